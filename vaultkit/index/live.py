"""The vault kept in memory between rebuilds: only the files that changed are read again.

`LiveVault` reads every note once (the unchanged ones from the build cache, as
`as_read.load_index` does), then on each change re-reads only the paths it is told
about and makes the index again: by putting the new records in the last one when
only people's own notes changed and no name did (index/patch.py), else with
`vault.built_index` (which reads no file). A note that stops reading
(invalid YAML while the user types, a permission error) keeps its last good
record until it reads again, so one bad save does not drop a person from the
pages.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.errors import Problem
from vaultkit.index.patch import patch
from vaultkit.index.vault import Built, Index, built_index
from vaultkit.model import Record
from vaultkit.read.records import read_record
from vaultkit.read.scan import Places, Scan, scan
from vaultkit.settings import Settings

KEPT = "cannot be read now; the pages keep its last good version until it reads again"


@dataclass
class Changes:
    """What one update did to the in-memory vault."""

    read: list[str] = field(default_factory=list)  # notes read again that changed (or are new)
    removed: list[str] = field(default_factory=list)  # notes gone
    kept: list[str] = field(default_factory=list)  # notes that did not read: last good version kept
    names: bool = False  # the names of other files (link targets) changed

    def __bool__(self) -> bool:
        return bool(self.read or self.removed or self.names)

    def notes(self) -> list[str]:
        return sorted({*self.read, *self.removed})


class LiveVault:
    """Every note of one vault as records, updated path by path."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.records: dict[str, Record] = {}  # rel -> record, for every note the scan reads
        self.other_names: frozenset[str] = frozenset()  # every other file's name: links may point at it
        self.scan_problems: tuple[Problem, ...] = ()  # symlinks that were not followed
        self.last_good: dict[str, Record] = {}  # rel -> the record kept while the note does not read
        self.output_rel = _norm(settings.output_dir)  # vault-relative, forward slashes
        self.templates_rel = _norm(settings.templates_dir)
        self._places = Places(settings)
        self._built: Built | None = None  # the last index made, None after a walk of the vault
        self._before: dict[str, Record | None] = {}  # rel -> its record in that index, for each changed since

    def load(self) -> Changes:
        """Read the whole vault: at start, and when the vault folder came back.

        Through the build cache when `vaultkit build` made one (see read/notes.read_records): the
        notes unchanged since are not read again, and the others are read on every core.
        """
        from vaultkit.read.notes import read_records

        seen_ns = time.time_ns()
        found = scan(self.settings)
        return self._walked(found, read_records(self.settings, found, seen_ns))

    def rescan(self) -> Changes:
        """Walk the vault again: read the notes that appeared, drop the ones gone.

        For a folder created, moved or deleted (the events name the folder, not
        each note in it) and for files that are not notes (only their names
        matter, and a walk is what knows whether another file has the same name).
        """
        return self._walked(scan(self.settings), None)

    def _walked(self, found: Scan, fresh: dict[str, Record] | None) -> Changes:
        """Take what a walk found. `fresh`: every note's record as just read (those missing
        from it are read here); None: only the notes not known yet are read."""
        self._built = None  # names may have changed: the next index is built afresh
        changes = Changes()
        for rel in [r for r in self.records if r not in found.notes]:
            self._drop(rel, changes)
        for rel, kind in found.notes.items():
            known = self.records.get(rel)
            if fresh is not None or known is None or known.kind != kind:
                record = fresh.get(rel) if fresh is not None else None
                if record is not None and record.kind == kind:
                    self._take(record, changes)
                else:
                    self._read(rel, kind, changes)
        changes.names = found.other_names != self.other_names
        self.other_names = found.other_names
        self.scan_problems = found.problems
        return changes

    def update(self, rels: Iterable[str]) -> Changes:
        """Read again the files at these vault-relative paths, as they are on disk now."""
        notes: dict[str, str] = {}
        walk = False
        for rel in set(rels):
            kind = self.classify(rel)
            if kind is None:
                continue
            if kind == "other" or os.path.islink(self.settings.root / rel):
                walk = True  # a name, or a symlink that may lead out of the vault: as scan sees it
            if kind != "other":
                notes[rel] = kind
        if walk:
            changes = self.rescan()
            for rel in sorted(notes):
                if rel in self.records and rel not in changes.read:
                    self._read(rel, self.records[rel].kind, changes)
            return changes
        changes = Changes()
        for rel in sorted(notes):
            if _is_file(self.settings.root / rel):
                self._read(rel, notes[rel], changes)
            elif rel in self.records:
                self._drop(rel, changes)
        return changes

    def index(self) -> Index:
        changed = {rel: (old, self.records.get(rel)) for rel, old in self._before.items()}
        self._before = {}
        built = patch(self._built, changed, self.records) if self._built is not None else None
        if built is None:
            built = built_index(self.settings, self.records.values(), self.other_names, self.scan_problems)
        self._built = built
        return built.index

    def classify(self, rel: str) -> str | None:
        """What a path is to the index, by the rules of the scan (read/scan.Places): a kind of
        note; "other" for any other file, whose name a link may point at; None for what the
        index never reads (hidden, backups ending in ~, output, templates, excluded)."""
        return self._places.kind_of(rel)

    def _read(self, rel: str, kind: str, changes: Changes) -> None:
        self._take(read_record(self.settings, rel, kind), changes)

    def _take(self, record: Record, changes: Changes) -> None:
        """A note as just read: kept unless it is what the index has; its last good version
        kept in its place while it does not read."""
        rel, kind = record.rel, record.kind
        if record.item is None:
            good = self.last_good.get(rel) or self.records.get(rel)
            if good is not None and good.item is not None and good.kind == kind:
                self.last_good[rel] = good
                kept = Problem(rel, None, KEPT, "warning", "kept")
                record = Record(rel, kind, good.item, (*record.problems, kept))
                changes.kept.append(rel)
        else:
            self.last_good.pop(rel, None)
        if self.records.get(rel) == record:
            return  # saved with the same content, or only touched
        self._before.setdefault(rel, self.records.get(rel))
        self.records[rel] = record
        changes.read.append(rel)

    def _drop(self, rel: str, changes: Changes) -> None:
        self._before.setdefault(rel, self.records[rel])
        del self.records[rel]
        self.last_good.pop(rel, None)
        changes.removed.append(rel)


def _norm(folder: str) -> str:
    return Path(os.path.normpath(folder)).as_posix()


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False
