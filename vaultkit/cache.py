"""The build cache: each note's record, kept between builds, so an unchanged note is not read again.

It lives in `<vault>/.vaultkit/cache/` -- a hidden folder, so never read as notes, and
listed in the .gitignore that `vaultkit init` writes. Deleting it is always safe: the
next build reads every note again and writes the same pages.

- `records-NN.marshal` (64 segments, a note's segment from a hash of its path): for
  each note, its kind, its stat (size, mtime and ctime in ns, inode), a digest of its
  bytes, and its Record as plain values (see "Segments" below). A note whose stat is
  unchanged is not read again.
- `manifest.pickle`: what the last build read and wrote -- the notes' stats, every other
  input (today, the templates' digests, other file names; the settings are in the key),
  the output folder's listing, and the build's report -- so a build with nothing
  changed can check its inputs with a stat each and write nothing.

Trust nothing: every file carries a header (format, a key made of vaultkit's version,
its source files, the Python and library versions, the settings) and a checksum; a
file that is missing, corrupt, truncated or from another version is ignored and
rewritten. A planted cache cannot run code: segments are marshal data, which holds
plain values only, and the manifest's unpickling is restricted to vaultkit's Problem.
A file changed just before it was read ("racy", as git calls it: a second edit in the
same tick of the file system's clock could keep size and times) is checked by its
digest until it is older. Cache files are written atomically (temporary file, rename)
but not fsynced: a cache lost in a crash is only rebuilt.
"""

from __future__ import annotations

import io
import marshal
import os
import pickle
import stat as stat_module
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .config import Settings
from .errors import Problem
from .model import Birthday, Cadence, Event, FollowUp, Interaction, Link, Person, Resource, make
from .scan import Stat

if TYPE_CHECKING:
    from .vault import Record

FORMAT = 2  # 2: segments in marshal
CACHE_DIR = ".vaultkit/cache"
SEGMENTS = 64
# A file changed this close to when it was read could change again within the same tick of the
# file system's clock and keep its stat: it is checked by digest until it is older. A file system
# with fine times (a ctime with digits below the millisecond) ticks every few milliseconds; one with
# coarse times keeps them to the second (HFS+, ext3) or two (FAT).
RACY_FINE_NS = 20_000_000
RACY_COARSE_NS = 2_000_000_000
MAGIC = b"vaultkit-cache\x00"

# A note's cached entry: kind, stat, digest of its bytes (b"" unless racy: only a racy note is
# checked by its bytes), racy?, record
Entry = tuple[str, "Stat | None", bytes, bool, "Record"]


def digest(data: bytes) -> bytes:
    import hashlib  # here: a build with nothing changed rarely needs it, and it is slow to import

    return hashlib.blake2b(data, digest_size=16).digest()


def segment_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8", "surrogateescape")) % SEGMENTS


def is_racy(stat: Stat | None, seen_ns: int) -> bool:
    """Changed so close to when it was read (at `seen_ns`) that a later change could keep the same stat."""
    if stat is None:
        return True
    window = RACY_FINE_NS if stat[2] % 1_000_000 else RACY_COARSE_NS
    return max(stat[1], stat[2]) > seen_ns - window


def cache_key(settings: Settings) -> bytes:
    """What a cached record depends on besides the note: the code that read it and the settings.

    Kept whole in each file's header (a digest would cost an import at every start).
    """
    from importlib.machinery import PathFinder

    import vaultkit.templates

    stamp: list[Any] = [FORMAT, __version__, sys.version, sys.implementation.cache_tag, repr(settings)]
    for folder in (str(Path(__file__).parent), *vaultkit.templates.__path__):
        try:
            with os.scandir(folder) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    if entry.name.endswith((".py", ".j2")):
                        st = entry.stat()
                        stamp.append((entry.name, st.st_size, st.st_mtime_ns))
        except OSError:
            stamp.append((folder, None))
    for module in ("yaml", "jinja2"):  # a reinstalled library may read or render differently
        spec = PathFinder.find_spec(module)
        origin = spec.origin if spec else None
        try:
            stamp.append((module, origin, os.stat(origin).st_mtime_ns if origin else None))
        except OSError:
            stamp.append((module, origin, None))
    return repr(stamp).encode("utf-8", "surrogateescape")


class _ManifestUnpickler(pickle.Unpickler):
    """Only the classes a manifest holds: a planted file cannot call anything else."""

    ALLOWED = {("vaultkit.errors", "Problem")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return super().find_class(module, name)


def _pack(key: bytes, payload: bytes) -> bytes:
    """MAGIC, the key's length and the key, the payload's checksum and length, the payload."""
    sizes = len(key).to_bytes(4, "big") + zlib.crc32(payload).to_bytes(4, "big") + len(payload).to_bytes(8, "big")
    return MAGIC + sizes + key + payload


def _unpack(data: bytes, key: bytes) -> bytes | None:
    """The payload; None unless the file is whole, undamaged and written with this key."""
    start = len(MAGIC) + 16
    if len(data) < start or data[: len(MAGIC)] != MAGIC:
        return None
    sizes = data[len(MAGIC) : start]
    key_size, crc, size = int.from_bytes(sizes[:4], "big"), int.from_bytes(sizes[4:8], "big"), int.from_bytes(sizes[8:], "big")
    if key_size != len(key) or data[start : start + key_size] != key:
        return None
    payload = data[start + key_size :]
    if len(payload) != size or zlib.crc32(payload) != crc:
        return None
    return payload


def _load(data: bytes) -> Any:
    return _ManifestUnpickler(io.BytesIO(data)).load()


@dataclass
class Manifest:
    """What the last build read and wrote; enough to answer a build that has nothing to do."""

    kinds: dict[str, str]  # rel -> kind: every note the last build read
    stats: dict[str, Stat]  # rel -> stat
    racy: dict[str, bytes]  # rel -> digest: notes changed too close to the build to trust their stat
    inputs: bytes  # today, the templates, the other file names, the scan's problems
    output: dict[str, tuple]  # output listing: rel -> ("d",) | ("l", stat) | ("f", stat, digest, racy)
    report: dict[str, Any]  # counts, problems, pages, refused

    def valid(self) -> bool:
        return all(isinstance(getattr(self, name), dict) for name in ("kinds", "stats", "racy", "output", "report")) and isinstance(self.inputs, bytes)


class Cache:
    """One vault's cache folder. Every read tolerates anything; every write is atomic."""

    def __init__(self, settings: Settings, create: bool = True) -> None:
        """`create` False: use a cache folder that exists, never make one (commands other than build)."""
        self.settings = settings
        self.folder = settings.root / CACHE_DIR
        self.key = cache_key(settings)
        self.create = create

    # -- manifest -------------------------------------------------------------------------

    def manifest(self) -> Manifest | None:
        payload = self._read("manifest.pickle")
        if payload is None:
            return None
        try:
            found = _load(payload)
            manifest = Manifest(**found) if isinstance(found, dict) else None
        except Exception:  # noqa: BLE001 - a corrupt cache is ignored, never trusted
            return None
        return manifest if manifest is not None and manifest.valid() else None

    def save_manifest(self, manifest: Manifest) -> None:
        self._write("manifest.pickle", pickle.dumps(vars(manifest), protocol=pickle.HIGHEST_PROTOCOL))

    # -- records --------------------------------------------------------------------------

    def segment_payload(self, number: int) -> bytes | None:
        return self._read(f"records-{number:02d}.marshal")

    def load_segment(self, number: int) -> dict[str, Entry]:
        payload = self.segment_payload(number)
        if payload is None:
            return {}
        return decode_segment(payload)

    def save_segment(self, number: int, payload: bytes) -> None:
        self._write(f"records-{number:02d}.marshal", payload)

    def drop_segment(self, number: int) -> None:
        try:
            (self.folder / f"records-{number:02d}.marshal").unlink()
        except OSError:
            pass

    # -- files ----------------------------------------------------------------------------

    def _read(self, name: str) -> bytes | None:
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        return _unpack(data, self.key)

    def _write(self, name: str, payload: bytes) -> None:
        """Atomic (temporary file, rename), not fsynced: a lost cache is only rebuilt."""
        try:
            if self.create:
                self.folder.mkdir(parents=True, exist_ok=True)
            import tempfile  # (imported here: a build with nothing changed saves nothing)

            fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_pack(self.key, payload))
                os.replace(temp, self.folder / name)
            except BaseException:
                try:
                    os.unlink(temp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # a read-only vault builds without a cache


def read_regular(path: str, limit: int | None = None) -> bytes | None:
    """A regular file's bytes; None for anything else (a pipe must not hang the build), or above `limit`."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat_module.S_ISREG(info.st_mode) or (limit is not None and info.st_size > limit):
            return None
        # os.read, not a file object (which costs as much as the read): one call for the size and
        # one more byte, then on to the end only when the file grew or a read came back short
        size = info.st_size
        data = os.read(fd, size + 1)
        if len(data) != size:
            parts = [data]
            while part := os.read(fd, max(size, 1 << 16)):
                parts.append(part)
            data = b"".join(parts)
        return data
    except OSError:
        return None
    finally:
        os.close(fd)


def read_entries(settings: Settings, items: Iterable[tuple[str, str, Stat | None]], seen_ns: int) -> dict[str, Entry]:
    """Read each note (rel, kind, stat) into its cache entry: its record as read_record makes it,
    with the bytes' digest if the note is racy."""
    from .notes import MAX_NOTE_BYTES  # (here: a build with nothing changed reads no note)
    from .vault import read_record

    root = os.fspath(settings.root)
    found: dict[str, Entry] = {}
    for rel, kind, stat in items:
        data = read_regular(os.path.join(root, rel), MAX_NOTE_BYTES)
        if data is None:  # not a regular file, too big, unreadable: read_record says which
            found[rel] = (kind, stat, b"", True, read_record(settings, rel, kind))
            continue
        racy = is_racy(stat, seen_ns)
        found[rel] = (kind, stat, digest(data) if racy else b"", racy, read_record(settings, rel, kind, data))
    return found


# -- segments -----------------------------------------------------------------------------
#
# A segment is marshal data of plain values (str, int, bool, bytes, None, tuples): marshal
# builds nothing else, so a planted file cannot run code; it writes them in about 60% of the
# time pickle takes to write the record objects, and a quarter smaller. (Loading costs about
# what unpickling did: making the objects again is most of it.) Each note's entry is
# (rel, kind, stat, digest, racy, record kind, record class, record fields, problems):
#
# - a Person, Event or Resource is the tuple of its fields in their declared order, each kept
#   as it is (text, tuples of text, numbers) or as _CODECS below turns it into plain values:
#   dates become ordinals; a person's interactions become columns (dates, texts, tags, links,
#   lines), so that they are made again with no Python step each;
# - a Problem is the tuple of its fields.
#
# Loading trusts nothing but the types marshal can give: a file of another shape fails to
# load (any exception) and is ignored like a damaged one.


def _day_in(day: Any) -> int | None:
    return None if day is None else day.toordinal()


def _day_out(number: int | None) -> date | None:
    return None if number is None else _DAYS[number]


class _Days(dict):
    """Ordinal -> date, each made once: a vault has a few thousand days and many more dates."""

    def __missing__(self, number: int) -> date:
        if len(self) >= 1 << 16:  # (a vault of notes dated on every day of many years: start again)
            self.clear()
        day = self[number] = date.fromordinal(number)
        return day


_DAYS = _Days()


_new_tuple = tuple.__new__  # a named tuple from a tuple of its fields, without its Python __new__
_DUE = FollowUp._fields.index("due")


def _interactions_in(items: tuple[Interaction, ...]) -> tuple:
    if not items:
        return ()
    columns = list(zip(*items, strict=True))
    columns[0] = tuple(map(date.toordinal, columns[0]))
    return tuple(columns)


def _interactions_out(columns: tuple) -> tuple[Interaction, ...]:
    if not columns:
        return ()
    return tuple(map(_new_tuple, repeat(Interaction), zip(map(_DAYS.__getitem__, columns[0]), *columns[1:], strict=True)))


def _followups_in(items: tuple[FollowUp, ...]) -> tuple:
    return tuple((*f[:_DUE], _day_in(f[_DUE]), *f[_DUE + 1 :]) for f in items)


def _followups_out(rows: tuple) -> tuple[FollowUp, ...]:
    return tuple(_new_tuple(FollowUp, (*r[:_DUE], _day_out(r[_DUE]), *r[_DUE + 1 :])) for r in rows)


def _optional_in(value: Any) -> tuple | None:
    return None if value is None else tuple(value.__dict__[f.name] for f in fields(value))


def _birthday_out(values: tuple | None) -> Birthday | None:
    return None if values is None else Birthday(*values)


def _cadence_out(values: tuple | None) -> Cadence | None:
    return None if values is None else Cadence(*values)


# A field's declared type -> (to plain values, back). Types not here are kept as they are: they
# must be what marshal writes (a test checks every field of the model is one or the other).
_CODECS: dict[str, tuple[Any, Any]] = {
    "date | None": (_day_in, _day_out),
    "Birthday | None": (_optional_in, _birthday_out),
    "Cadence | None": (_optional_in, _cadence_out),
    "tuple[Interaction, ...]": (_interactions_in, _interactions_out),
    "tuple[FollowUp, ...]": (_followups_in, _followups_out),
    "tuple[Link, ...]": (lambda links: tuple(map(tuple, links)), lambda rows: tuple(map(_new_tuple, repeat(Link), rows))),
}
PLAIN_TYPES = frozenset(["str", "int", "tuple[str, ...]", "tuple[tuple[str, str], ...]"])
_CLASSES = (Person, Event, Resource)


# Cached properties kept with the record: what building the index reads of every person, computed
# once when the note is read (on every core, for a cold build) rather than at every build.
CARRIED: dict[type, tuple[str, ...]] = {Person: ("other_keys",)}


class _Codec:
    """One record class's fields (and CARRIED properties) <-> a tuple of plain values."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.names = tuple(f.name for f in fields(cls)) + CARRIED.get(cls, ())
        self.encoders = tuple((i, _CODECS[f.type][0]) for i, f in enumerate(fields(cls)) if f.type in _CODECS)  # type: ignore[index]
        self.decoders = tuple((i, _CODECS[f.type][1]) for i, f in enumerate(fields(cls)) if f.type in _CODECS)  # type: ignore[index]

    def encode(self, item: Any) -> tuple:
        values = [getattr(item, name) for name in self.names]
        for i, encode in self.encoders:
            values[i] = encode(values[i])
        return tuple(values)

    def decode(self, values: tuple) -> Any:
        if len(values) != len(self.names):
            raise ValueError("a record of another shape")
        row = list(values)
        for i, decode in self.decoders:
            if row[i]:  # None and () stand for themselves (and no ordinal is 0)
                row[i] = decode(row[i])
        item: Any = object.__new__(self.cls)  # as unpickling makes it: not through the frozen __init__
        item.__dict__.update(zip(self.names, row, strict=True))
        return item


_CODEC_OF = [_Codec(cls) for cls in _CLASSES]
_PROBLEM_FIELDS = tuple(f.name for f in fields(Problem))


def encode_segment(entries: dict[str, Entry]) -> bytes:
    rows = []
    for rel, (kind, stat, sums, racy, record) in entries.items():
        item = record.item
        number = -1 if item is None else _CLASSES.index(type(item))
        values = None if item is None else _CODEC_OF[number].encode(item)
        problems = tuple(tuple(p.__dict__[name] for name in _PROBLEM_FIELDS) for p in record.problems)
        rows.append((rel, kind, stat, sums, racy, record.kind, number, values, problems))
    return marshal.dumps(tuple(rows))


def decode_segment(payload: bytes) -> dict[str, Entry]:
    """A segment's entries; {} when it is not what a cache writes."""
    from .vault import Record

    try:
        found: dict[str, Entry] = {}
        for rel, kind, stat, sums, racy, record_kind, number, values, problems in marshal.loads(payload):
            item: Any = None if number == -1 else _CODEC_OF[number].decode(values)
            problems = tuple(Problem(*p) for p in problems) if problems else ()
            found[rel] = (kind, stat, sums, racy, make(Record, {"rel": rel, "kind": record_kind, "item": item, "problems": problems}))
    except Exception:  # noqa: BLE001 - a corrupt cache is ignored, never trusted
        return {}
    return found


def listing(folder: Path, seen_ns: int | None, known: dict[str, bytes] | None = None) -> dict[str, tuple]:
    """Every file, folder and link under `folder`, with stats; a racy file with its digest.

    `known` gives the digest of files whose content the caller knows (pages just written).
    `seen_ns` None: stats only, no file is read (the racy flag is then meaningless).
    """
    found: dict[str, tuple] = {}
    known = known or {}

    def walk(path: str, prefix: str) -> None:
        try:
            with os.scandir(path) as entries:
                items = list(entries)
        except OSError:
            return
        for entry in items:
            rel = prefix + entry.name
            try:
                if entry.is_symlink():
                    st = entry.stat(follow_symlinks=False)
                    found[rel] = ("l", (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
                elif entry.is_dir():
                    found[rel] = ("d",)
                    walk(entry.path, rel + "/")
                else:
                    st = entry.stat()
                    stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                    racy = seen_ns is not None and is_racy(stat, seen_ns)
                    sums = b""
                    if racy:
                        sums = known.get(rel) or _file_digest(entry.path)
                    found[rel] = ("f", stat, sums, racy)
            except OSError:
                found[rel] = ("?",)

    walk(str(folder), "")
    return found


def _file_digest(path: str) -> bytes:
    data = read_regular(path)
    return b"" if data is None else digest(data)


def same_listing(stored: dict[str, tuple], folder: Path) -> bool:
    """True when `folder` holds exactly what `stored` recorded (racy files by digest)."""
    current = listing(folder, seen_ns=None)
    if current.keys() != stored.keys():
        return False
    for rel, now in current.items():
        then = stored[rel]
        if now[0] != then[0] or now[1:2] != then[1:2]:
            return False
        if now[0] == "f" and then[3] and _file_digest(str(folder / rel)) != then[2]:
            return False
    return True


def notes_digest_ok(rel: str, root: Path, expected: bytes) -> bool:
    return _file_digest(str(root / rel)) == expected


def inputs_digest(parts: Iterable[Any]) -> bytes:
    """The inputs as they are, not hashed: comparing them costs less than importing hashlib."""
    return repr(tuple(parts)).encode("utf-8", "surrogateescape")
