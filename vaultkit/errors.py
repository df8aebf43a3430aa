"""The one exception family, and the problems that notes can have."""

from __future__ import annotations

from dataclasses import dataclass

import click


class VaultkitError(click.ClickException):
    """Something the user can act on: the message names the file and what was wrong."""

    exit_code = 1


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file; reported, never raised."""

    path: str  # vault-relative, forward slashes
    line: int | None
    message: str
    severity: str = "error"  # "error" | "warning"
    code: str = "note"  # what kind: note, yaml, type, date, link, duplicate-name, ...
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        label = "warning: " if self.severity == "warning" else ""
        return f"{where}: {label}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
