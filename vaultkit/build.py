"""`vaultkit build`: read the vault, render every page, write what changed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from .config import Settings
from .errors import Problem, VaultkitError
from .pages import build_pages
from .render import Renderer, plural
from .vault import Index, load_vault
from .write import WriteResult, write_pages


@dataclass(frozen=True)
class BuildReport:
    index: Index
    pages: int
    result: WriteResult
    seconds: float

    @property
    def problems(self) -> list[Problem]:
        return [*self.index.problems, *self.result.refused]

    @property
    def failed(self) -> bool:
        """Exit 1: a note had an error or a page was refused. Warnings do not count."""
        return any(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        index, result = self.index, self.result
        errors = sum(1 for p in self.problems if p.severity == "error")
        warnings = len(self.problems) - errors
        parts = [
            f"{plural(len(index.people), 'person', 'people')}, {plural(len(index.events), 'event')}, "
            f"{plural(len(index.resources), 'resource')}",
            f"{plural(self.pages, 'page')}: {len(result.written)} written, {len(result.unchanged)} unchanged"
            + (f", {len(result.deleted)} deleted" if result.deleted else ""),
        ]
        if errors or warnings:
            parts.append(f"{plural(errors, 'problem')}, {plural(warnings, 'warning')}")
        out = index.settings.output.relative_to(index.settings.root).as_posix()
        return f"Built {out}/ from " + "; ".join(parts) + f" ({self.seconds:.2f} s)"


def check_output_inside(settings: Settings) -> None:
    """Refuse an output folder that is (or leads through) a symlink out of the vault."""
    root = settings.root.resolve()
    if settings.output.exists() and not settings.output.is_dir():
        raise VaultkitError(
            f"output_dir {settings.output_dir!r} is a file, not a folder; move it away or set another output_dir"
        )
    if not settings.output.resolve().is_relative_to(root):
        raise VaultkitError(
            f"output_dir {settings.output_dir!r} leads outside the vault ({settings.output.resolve()}); refused"
        )


def build(settings: Settings, today: date) -> BuildReport:
    started = time.perf_counter()
    check_output_inside(settings)
    index = load_vault(settings)
    pages = build_pages(index, today, Renderer(settings))
    result = write_pages(settings.output, pages, settings.root)
    return BuildReport(index, len(pages), result, time.perf_counter() - started)
