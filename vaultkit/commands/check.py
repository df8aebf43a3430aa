"""`vaultkit check`: every problem in the vault, with file and line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from vaultkit.errors import Problem
from vaultkit.index.vault import Index


def check_vault(index: Index, today: date) -> list[Problem]:
    """The index's problems, broken links made errors, plus what only `check` looks for."""
    found = [replace(p, severity="error") if p.code == "link" else p for p in index.problems]
    for person in index.people:
        for line in person.interactions:
            if line.when > today and not line.source:  # a daily note made ahead is no mistake
                found.append(
                    Problem(person.path, line.line, f"interaction dated {line.when}, after today; a plan does not count as contact", "warning", "future")
                )
    from vaultkit.rules.reminders import date_warnings

    found += date_warnings(index, today)
    bad_dates = {p.path for p in found if p.message.startswith("date:")}
    for event in index.events:
        if event.when is None and event.path not in bad_dates:
            found.append(Problem(event.path, None, "event has no date: add `date: YYYY-MM-DD`", "warning", "date"))
    return sorted(set(found), key=lambda p: (p.path, p.line or 0, p.message))
