"""Walking the vault: which files are notes of which kind, with their stats; nothing is read."""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from itertools import chain
from pathlib import Path

from vaultkit.errors import Problem
from vaultkit.settings import Settings
from vaultkit.words import key_of

Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode: what says a file changed


@dataclass(frozen=True)
class Scan:
    """What a walk of the vault found: notes by kind, every other file's name, problems."""

    notes: dict[str, str]  # rel -> kind
    others: frozenset[str] = frozenset()  # the names of the files that are not notes, case-folded
    # The file names of the notes that are no one's (daily, meeting notes) and of excluded
    # notes, as found: their link keys are made where links are resolved (other_names), not
    # on a build with nothing to do (3,000 daily notes: 3 ms).
    note_names: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    stats: dict[str, Stat] = field(default_factory=dict)  # rel -> stat, for each note that has one

    @cached_property
    def other_names(self) -> frozenset[str]:
        """Link targets that are not people, events or resources."""
        return self.others.union(map(key_of, self.note_names))

    def names(self) -> tuple[list[str], list[str]]:
        """What other_names is made of, sorted: for a digest of a build's inputs."""
        return sorted(self.others), sorted(self.note_names)

    @cached_property
    def packed_stats(self) -> bytes:
        """The notes' stats packed (pack_stats), in the scan's order: made once, compared with
        the last build's and kept for the next."""
        return pack_stats(self.stats.values())


def pack_stats(stats: Iterable[Stat | None]) -> bytes:
    """The stats as one string of bytes, four signed 64-bit numbers each (an inode number past
    2**63 wraps round, one to one); b"" if a note has none."""
    values = list(stats)
    if None in values:
        return b""
    try:
        return array("q", chain.from_iterable(values)).tobytes()  # type: ignore[arg-type]
    except OverflowError:  # an inode number past 2**63 (a few network file systems)
        return array("q", [v - (1 << 64) if v >= 1 << 63 else v for v in chain.from_iterable(values)]).tobytes()  # type: ignore[arg-type]


class Places:
    """Where a vault-relative path stands: which kind of note, or skipped (scan and watch agree).

    Folders match case-insensitively (`People/` is the people folder). Skipped: hidden files and
    folders, backups ending in `~`, the output folder, the templates folders (vaultkit's and
    Obsidian's) and paths that match an `exclude` glob.
    """

    def __init__(self, settings: Settings) -> None:
        self.folders = {kind: _norm(folder).casefold() for kind, folder in settings.note_folders.items()}
        self.skip = {_norm(settings.output_dir).casefold(), *(_norm(f).casefold() for f in settings.template_folders)}
        self.exclude = settings.exclude

    def folder_skipped(self, rel_dir: str) -> bool:
        return rel_dir.casefold() in self.skip or self._excluded(rel_dir, True)

    def _excluded(self, rel: str, is_dir: bool) -> bool:
        return any(fnmatchcase(rel, glob) or (is_dir and fnmatchcase(rel + "/", glob)) for glob in self.exclude)

    def excluded(self, rel: str) -> bool:
        """A file that an `exclude` glob leaves out."""
        return bool(self.exclude) and self._excluded(rel, False)

    def folder_kind(self, rel_dir: str) -> tuple[str, str | None]:
        """The kind of the notes in folder `rel_dir` (person, event, resource or note), and the
        case-folded name of its folder note (People/People.md is a note, not a person), if any."""
        folded = rel_dir.casefold()
        for kind, folder in self.folders.items():
            if folded == folder or folded.startswith(folder + "/"):
                return kind, folded.rsplit("/", 1)[-1] if kind == "person" else None
        return "note", None

    def kind_in(self, rel_dir: str, name: str) -> str | None:
        """The kind of the note `name` in folder `rel_dir`: person, event, resource or note;
        None for a file that is not a note or is excluded."""
        if not name.lower().endswith(".md"):
            return None
        if self.excluded(f"{rel_dir}/{name}" if rel_dir else name):
            return None
        kind, folder_note = self.folder_kind(rel_dir)
        return "note" if folder_note is not None and name[:-3].casefold() == folder_note else kind

    def kind_of(self, rel: str) -> str | None:
        """What a vault-relative path is to the index: a kind of note; "other" for any other
        file (links may point at its name); None for what is never read."""
        parts = rel.split("/")
        if any(part.startswith(".") for part in parts) or parts[-1].endswith("~"):
            return None
        if not rel.isascii() and not _utf8(rel):  # left out by the scan, which reports it
            return None
        for depth in range(1, len(parts)):
            if self.folder_skipped("/".join(parts[:depth])):
                return None
        if not parts[-1].lower().endswith(".md"):
            return "other"
        return self.kind_in("/".join(parts[:-1]), parts[-1])


def _norm(folder: str) -> str:
    return Path(os.path.normpath(folder)).as_posix()


def scan(settings: Settings) -> Scan:
    """Walk the vault once: every note, with its kind and stat; other files' names.

    os.scandir rather than os.walk and Path: a vault of 10,000 notes is walked in a few
    milliseconds, and each note's stat comes with the walk (for the build cache).
    """
    root = settings.root
    places = Places(settings)
    notes: dict[str, str] = {}
    stats: dict[str, Stat] = {}
    others: set[str] = set()
    note_names: list[str] = []
    problems = [Problem(path, None, message, "warning", "obsidian") for path, message in settings.obsidian_problems]
    real_root = root.resolve()

    def walk(folder: str, rel_dir: str) -> None:
        handle = None
        try:
            if _BY_HANDLE:
                handle = os.open(folder, _DIR_FLAGS)
            with os.scandir(folder if handle is None else handle) as found:
                entries = list(found)
        except OSError as error:  # os.walk would skip the folder silently
            if handle is not None:
                os.close(handle)
            message = f"cannot read this folder: {error.strerror}; its notes are left out"
            problems.append(Problem(rel_dir or ".", None, message, code="io"))
            return
        try:
            dirs = files(entries, folder, rel_dir)
        finally:
            if handle is not None:
                os.close(handle)  # (after the files' stats: they are taken through it)
        prefix = f"{rel_dir}/" if rel_dir else ""
        for name, is_link in sorted(dirs):
            rel = prefix + name
            path = os.path.join(folder, name)
            if places.folder_skipped(rel):
                continue
            if is_link:
                if not _inside(Path(path), real_root):
                    problems.append(Problem(rel, None, _link_message(Path(path), "symlinked folder"), "warning", "symlink"))
                continue
            walk(path, rel)

    def files(entries: list[os.DirEntry], folder: str, rel_dir: str) -> list[tuple[str, bool]]:
        """Take the folder's notes and other files; its folders (name, is a link?), to walk next."""
        dirs = []
        prefix = f"{rel_dir}/" if rel_dir else ""
        # Places.kind_in, with the folder's part worked out once for all its files
        folder_kind, folder_note = places.folder_kind(rel_dir)
        excluding = bool(places.exclude)
        for entry in entries:
            name = entry.name
            if name.startswith("."):  # hidden: a file or a folder, never read
                continue
            if not name.isascii() and not _utf8(name):
                problems.append(Problem(_shown(prefix + name), None, NOT_UTF8, code="encoding"))
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                dirs.append((name, entry.is_symlink()))  # (asked now: the handle is closed after)
                continue
            if name.endswith("~"):
                continue
            rel = prefix + name
            if entry.is_symlink() and not _inside(Path(folder, name), real_root):
                problems.append(Problem(rel, None, _link_message(Path(folder, name), "symlink"), "warning", "symlink"))
                continue
            if not name.lower().endswith(".md"):
                others.add(name.casefold())
                continue
            if excluding and places.excluded(rel):
                note_names.append(name)  # excluded, but still a name links may point at
                continue
            kind = "note" if folder_note is not None and name[:-3].casefold() == folder_note else folder_kind
            notes[rel] = kind
            if kind == "note":
                note_names.append(name)  # links may point at any note
            try:
                st = entry.stat()
                stats[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            except FileNotFoundError:  # a dangling symlink, or a file deleted since the listing
                link = _dangling(entry)
                if link is not None:
                    stats[rel] = link
            except OSError:
                pass  # read_record says what is wrong with it
        return dirs

    walk(str(root), "")
    return Scan(notes=notes, others=frozenset(others), note_names=tuple(note_names), problems=tuple(problems), stats=stats)


# A name of bytes that are not UTF-8 (a file from an old archive, or another system's disk):
# Python keeps them as lone surrogates, which no page, cache or terminal can write.
NOT_UTF8 = "its name is not UTF-8 text; left out (and what is in it, for a folder): rename it"


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(rel: str) -> str:
    """A path with bytes that are not UTF-8, as a terminal can show it (each such byte as U+FFFD)."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _dangling(entry: os.DirEntry) -> Stat | None:
    """A dangling symlink's stat: the link's own, with the size -1 that no file has. The
    note stays what it was (unreadable) while the link is: a new target gives the target's
    stat, another target another ctime. So a vault with one dangling link still builds
    through the cache's quick paths (a note without a stat is never taken as unchanged)."""
    try:
        if entry.is_symlink():
            st = entry.stat(follow_symlinks=False)
            return (-1, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    except OSError:  # gone since the listing
        pass
    return None


# Each folder is listed through a handle that its files' stats are then taken through: the
# kernel then looks up each file's name only, not its whole path again (a sixth of a scan's
# stats). Not on Windows, where os.scandir takes no handle.
_BY_HANDLE = os.scandir in os.supports_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):  # a loop or a dangling link
        return False


def _link_message(path: Path, what: str) -> str:
    """Why a symlink is not followed: it goes round in a loop, or it leads out of the vault."""
    try:
        path.resolve(strict=False)
    except (OSError, RuntimeError):  # (RuntimeError: Python 3.11's "Symlink loop")
        return f"{what} is a loop (it leads back to itself through {os.readlink(path)!r}); not followed"
    return f"{what} points outside the vault; not followed"

