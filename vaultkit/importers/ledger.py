"""Ledger notes: `<interactions_dir>/<YYYY-MM> <source>.md`, one dated list item per imported
interaction, each ending with an Obsidian block id (`^mail-3f2a9c1b`).

A note is merged into, never rewritten: an id already in the note is skipped, new items go
between the existing ones by day, and every existing line keeps its bytes, so a line the user
edited stays as they left it. Each note is written in one atomic step.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from vaultkit.settings import Settings
from vaultkit.write import atomic_write

BLOCK_RE = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)[ \t]*$")
DATED_RE = re.compile(r"[ \t]*[-*+][ \t]+(\d{4}-\d{2}-\d{2})")


class Entry(NamedTuple):
    """One line of a ledger note, before it is written."""

    day: date
    order: str  # sorts the entries of one day: the time as written, or ""
    block: str  # "mail-3f2a9c1b"
    text: str  # 'Email to [[Ada Lovelace]]: "Re: PyData CFP"'

    @property
    def line(self) -> str:
        return f"- {self.day.isoformat()} {self.text} ^{self.block}"


def block_id(source: str, *parts: str) -> str:
    """A short id that the same message, event or conversation day always gets."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{source}-{digest[:8]}"


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_TAG_RE = re.compile(r"#(?=[^\s\d#])")


def safe_text(text: str) -> str:
    """A subject or title as plain text on one line: nothing in it reads as a link, a tag, a
    comment, a block id or a Dataview field when the vault is read."""
    text = " ".join(_CONTROL_RE.sub(" ", text).split())
    text = text.replace("[[", "[").replace("]]", "]").replace("%%", "%").replace("<!--", "<!-")
    text = text.replace("::", ":").replace("^", "ˆ")
    return _TAG_RE.sub("＃", text)


def names_text(links: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    if len(links) <= 1:
        return "".join(links)
    return f"{', '.join(links[:-1])} and {links[-1]}"


def with_subject(text: str, subject: str) -> str:
    subject = safe_text(subject)
    return f'{text}: "{subject}"' if subject else text


def note_path(settings: Settings, source: str, day: date) -> str:
    """The vault-relative path of the ledger note a day's interaction goes to."""
    return f"{settings.interactions_dir.strip('/')}/{day.year:04d}-{day.month:02d} {source}.md"


@dataclass(frozen=True)
class Change:
    """The lines one ledger note gains."""

    path: str  # vault-relative
    added: tuple[Entry, ...]
    present: int  # entries whose id the note holds already
    created: bool
    problem: str = ""  # why the note is left as it is


@dataclass(frozen=True)
class Ledger:
    source: str
    changes: tuple[Change, ...]

    @property
    def added(self) -> int:
        return sum(len(c.added) for c in self.changes if not c.problem)

    @property
    def present(self) -> int:
        return sum(c.present for c in self.changes)


def plan(settings: Settings, source: str, entries: Iterable[Entry]) -> Ledger:
    """What each ledger note would gain. Reads the notes; writes nothing."""
    by_note: dict[str, dict[str, Entry]] = defaultdict(dict)
    for entry in sorted(entries):
        by_note[note_path(settings, source, entry.day)].setdefault(entry.block, entry)
    changes = []
    for rel in sorted(by_note):
        wanted = list(by_note[rel].values())
        try:
            data = (settings.root / rel).read_bytes()
        except FileNotFoundError:
            changes.append(Change(rel, tuple(wanted), 0, created=True))
            continue
        except OSError as exc:
            changes.append(Change(rel, tuple(wanted), 0, False, f"cannot read: {exc.strerror}"))
            continue
        try:
            present = ids_in(data.decode("utf-8"))
        except UnicodeDecodeError:
            changes.append(Change(rel, tuple(wanted), 0, False, "not UTF-8 text"))
            continue
        new = tuple(e for e in wanted if e.block not in present)
        changes.append(Change(rel, new, len(wanted) - len(new), created=False))
    return Ledger(source, tuple(changes))


def ids_in(text: str) -> set[str]:
    return {m.group(1) for m in map(BLOCK_RE.search, text.splitlines()) if m}


def merged(text: str | None, source: str, entries: Iterable[Entry]) -> str:
    """The note's text with the entries whose id it lacks, each placed by its day."""
    if text is None:
        text = f"---\nsource: {source}\n---\n"
    present = ids_in(text)
    new = sorted(e for e in entries if e.block not in present)
    if not new:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    dated = [(i, m.group(1)) for i, m in enumerate(map(DATED_RE.match, lines)) if m]
    end = dated[-1][0] + 1 if dated else len(lines)
    inserts: dict[int, list[str]] = defaultdict(list)
    for entry in new:
        day = entry.day.isoformat()
        at = next((i for i, other in dated if other > day), end)
        inserts[at].append(entry.line + newline)
    if len(lines) in inserts and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline  # the last line gains only its missing line end
    out: list[str] = []
    for i, line in enumerate(lines):
        out.extend(inserts.get(i, ()))
        out.append(line)
    out.extend(inserts.get(len(lines), ()))
    return "".join(out)


def write(settings: Settings, ledger: Ledger) -> list[Change]:
    """Write each note that gains lines, atomically; returns the changes written.

    Each note is read again just before its write, so a line the user saved meanwhile is kept.
    """
    written = []
    for change in ledger.changes:
        if change.problem or not change.added:
            continue
        path = settings.root / change.path
        try:
            before = path.read_bytes()
        except FileNotFoundError:
            before = None
        try:
            old = before.decode("utf-8") if before is not None else None
        except UnicodeDecodeError:  # made unreadable since it was planned: left as it is
            continue
        data = merged(old, ledger.source, change.added).encode("utf-8")
        if data != before:
            atomic_write(path, data, path.stat().st_mode if before is not None else None)
        written.append(change)
    return written
