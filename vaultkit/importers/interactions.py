"""Interactions from mail, calendars and LinkedIn messages -> ledger notes: what the three
imports share (options, the tally of what was read and left out, the report)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultkit.errors import VaultkitError
from vaultkit.importers import ledger
from vaultkit.importers.people_match import People
from vaultkit.importers.tally import Options, Tally, Wrap
from vaultkit.words import plural

if TYPE_CHECKING:
    from vaultkit.index.vault import Index

SHOWN_UNREADABLE = 5  # items that could not be read, named one by one; the rest counted


@dataclass(frozen=True)
class Source:
    """One import: its ledger name, what it reads, and how."""

    name: str  # "mail": the ledger notes' source and block id prefix
    noun: str
    needs_me: bool
    email: bool  # strangers are known by address (else by name or profile)
    verb: str  # "write to": the people you ... who are not in your vault
    seen: str  # what a stranger is counted in: "message", "event", "conversation day"
    read: Callable[[Path, People, Options, Tally, Wrap], Iterator[ledger.Entry]]


def sources() -> dict[str, Source]:
    from vaultkit.importers import calendar, linkedin_messages, mail

    return {
        "mail": Source("mail", "message", True, True, "write to", "message", mail.read),
        "calendar": Source("calendar", "event", True, True, "meet", "event", calendar.read),
        "linkedin-messages": Source(
            "linkedin",
            "message",
            False,
            False,
            "message",
            "conversation day",
            linkedin_messages.read,
        ),
    }


@dataclass(frozen=True)
class Report:
    source: Source
    path: Path
    tally: Tally
    ledger: ledger.Ledger
    dry_run: bool

    def change_lines(self) -> list[str]:
        lines = []
        for change in self.ledger.changes:
            if change.problem or not change.added:
                continue
            count = plural(len(change.added), "line")
            if self.dry_run:
                lines.append(
                    f"would add {count} to {change.path}{' (new note)' if change.created else ''}"
                )
                lines.extend(f"  {entry.line}" for entry in change.added)
            elif change.created:
                lines.append(f"created {change.path} ({count})")
            else:
                lines.append(f"added {count} to {change.path}")
        return lines

    def notice_lines(self) -> list[str]:
        """Notes left as they are and items that could not be read: for standard error."""
        lines = [
            f"{c.path}: {c.problem}; left as it is, {plural(len(c.added), 'line')} not added"
            for c in self.ledger.changes
            if c.problem
        ]
        bad = self.tally.unreadable
        if bad:
            lines.append(f"{plural(len(bad), self.tally.noun)} could not be read (left out):")
            lines.extend(f"  {self.path.name}: {what}" for what in bad[:SHOWN_UNREADABLE])
            if len(bad) > SHOWN_UNREADABLE:
                lines.append(f"  ... and {len(bad) - SHOWN_UNREADABLE} more")
        return lines

    def summary_lines(self) -> list[str]:
        t = self.tally
        added = self.ledger.added
        done = "to add" if self.dry_run else "added"
        lines = [
            f"{plural(t.read, t.noun)} read; {t.matched} with people in the vault "
            f"({plural(len(t.people), 'person', 'people')}); "
            f"{plural(added, 'line')} {done}, {self.ledger.present} already there"
        ]
        if t.left_out:
            parts = [
                f"{count} {why}"
                for why, count in sorted(t.left_out.items(), key=lambda i: (-i[1], i[0]))
            ]
            lines.append(f"left out: {', '.join(parts)}")
        hints = t.strangers.hints(self.source.seen, self.source.email)
        if hints:
            lines.append(
                f"People you {self.source.verb} who are not in your vault (the 10 seen most often):"
            )
            lines.extend(hints)
        if self.dry_run:
            lines.append("Nothing written (--dry-run).")
        return lines


def run(
    kind: str,
    path: Path,
    index: Index,
    options: Options,
    dry_run: bool,
    wrap: Wrap = lambda items, count: items,
) -> Report:
    """Read `path` as `kind`, plan the ledger notes and (unless a dry run) write them."""
    source = sources()[kind]
    if source.needs_me and not options.me:
        raise VaultkitError(
            f"vaultkit import {kind} needs your own addresses, to tell what you sent from what "
            'you received: give --me you@example.com (repeatable), or me = ["you@example.com"] '
            "in vaultkit.toml"
        )
    tally = Tally(source.noun)
    people = People(index)
    entries = list(source.read(path, people, options, tally, wrap))
    plan = ledger.plan(index.settings, source.name, entries)
    if not dry_run:
        try:
            ledger.write(index.settings, plan)
        except OSError as exc:
            raise VaultkitError(
                f"{exc.filename or index.settings.interactions_dir}: cannot write: {exc.strerror}"
            ) from None
    return Report(source, path, tally, plan, dry_run)
