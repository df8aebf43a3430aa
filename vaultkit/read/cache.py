"""The build cache: each note's record, kept between builds, so an unchanged note is not read again.

It lives in `<vault>/.vaultkit/cache/` -- a hidden folder, so never read as notes, and
`.vaultkit/.gitignore` (`*`, written with the folder) keeps it out of git. Deleting it is always safe: the
next build reads every note again and writes the same pages.

- `records-NN.msgpack` (64 segments, a note's segment from a hash of its path): for
  each note, its kind, its stat (size, mtime and ctime in ns, inode), a digest of its
  bytes while it is racy, and its Record as plain values (codec.py). A note whose stat
  is unchanged is not read again.
- `manifest.pickle`: what the last build read and wrote -- the notes' stats, every other
  input (today, the templates' digests, other file names; the settings are in the key),
  the output folder's listing, and the build's report -- so a build with nothing
  changed can check its inputs with a stat each and write nothing.

Trust nothing in the vault: every file carries a header (format, a key made of vaultkit's
version, its source files, the Python and library versions, the settings) and a signature
(keyed BLAKE2b) made with a secret that is kept outside every vault, in the user's cache
folder (`$XDG_CACHE_HOME/vaultkit/cache-key`, made once, readable by the user only) and
keyed to the vault's real path. A file that is missing, corrupt, truncated, from another
version, copied from another vault or edited by hand fails the check and is ignored and
rewritten: editing `.vaultkit/` can at worst make the next build read every note again.
Behind the signature the formats hold data only: segments are MessagePack decoded against
the model's own types (msgspec: text, numbers, bytes and tuples, never code or other
objects), and the manifest's unpickling is restricted to vaultkit's Problem. A file changed
just before it was read ("racy", as git calls it: a second edit in the same tick of the
file system's clock could keep size and times) is checked by its digest until it is older.
Cache files are written atomically (temporary file, rename) but not fsynced: a cache lost
in a crash is only rebuilt. Without the secret (a home folder that cannot be written) there
is no cache: every build reads every note.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import stat as stat_module
import sys
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultkit import __version__
from vaultkit.read.scan import Stat
from vaultkit.settings import Settings

if TYPE_CHECKING:
    from vaultkit.read.codec import Entry

FORMAT = 5  # 2: segments in marshal; 3: in MessagePack, every file signed; 4: records as maps msgspec decodes into the classes; 5: the manifest's stats packed
DISPLACED = "displaced.msgpack"  # entries other commands replaced since the last build (keep_displaced)
KEEP_MAX = 64  # notes changed since the last build, at most, for a build to compare what changed (build.pages_kept)
# The package's folders of code, each part of the cache key (tests/test_layout.py keeps the list whole).
PACKAGE_FOLDERS = ("read", "index", "rules", "pages", "edit", "importers", "exporters", "commands")
CACHE_DIR = ".vaultkit/cache"
STATE_IGNORE = "*\n"  # .vaultkit/.gitignore: git never shows vaultkit's own files (as pytest's cache does)
SEGMENTS = 64
# A file changed this close to when it was read could change again within the same tick of the
# file system's clock and keep its stat: it is checked by digest until it is older. A file system
# with fine times (a ctime with digits below the millisecond) ticks every few milliseconds; one with
# coarse times keeps them to the second (HFS+, ext3) or two (FAT).
RACY_FINE_NS = 20_000_000
RACY_COARSE_NS = 2_000_000_000
MAGIC = b"vaultkit-cache\x00"



def digest(data: bytes | memoryview) -> bytes:
    """The digest of a note's or a page's bytes, or of a record kept beside the people's rows."""
    return _blake2b_class()(data, digest_size=16).digest()


def _blake2b_class() -> Any:
    try:
        from _blake2 import blake2b  # hashlib's own, without loading OpenSSL at every start
    except ImportError:  # pragma: no cover - another Python
        from hashlib import blake2b
    return blake2b


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
    package = Path(__file__).parent.parent  # the vaultkit package: its code in every folder
    folders = [str(package), *(str(package / d) for d in PACKAGE_FOLDERS)]
    for folder in (*folders, *vaultkit.templates.__path__):
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


HEADER = len(MAGIC) + 4 + 8 + 32  # MAGIC, the key's length, the payload's length, the signature
KEY_FILE = "cache-key"  # in the user's cache folder: the secret the cache's files are signed with


def user_cache_folder() -> Path:
    """`$XDG_CACHE_HOME/vaultkit` (an absolute one), else `~/.cache/vaultkit`."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative: the XDG spec says to ignore it
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "vaultkit"


def _blake2b(key: bytes, *parts: bytes | memoryview) -> bytes:
    """The keyed digest of the parts one after the other (hashed in place: no copy joins them)."""
    found = _blake2b_class()(key=key, digest_size=32)
    for part in parts:
        found.update(part)
    return found.digest()


def vault_key(root: Path) -> bytes | None:
    """The key this vault's cache files are signed with: the user's secret (made once, readable by
    the user only, kept outside every vault) keyed to the vault's real path. None when the secret
    cannot be read or made: then there is no cache."""
    path = user_cache_folder() / KEY_FILE
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(32))
        except FileExistsError:
            pass  # another process made it first: read theirs
        except OSError:
            return None
        try:
            secret = path.read_bytes()
        except OSError:
            return None
    except OSError:
        return None
    if len(secret) != 32:  # (being written by another process, or damaged)
        return None
    return _blake2b(secret, os.fsencode(os.path.realpath(root)))


try:
    from _operator import _compare_digest  # hmac's, without importing hashlib
except ImportError:  # pragma: no cover - another Python
    from hmac import compare_digest as _compare_digest


def _pack(signing: bytes, key: bytes, payload: bytes) -> bytes:
    """MAGIC, the key's and the payload's lengths, their signature, the key, the payload."""
    sizes = len(key).to_bytes(4, "big") + len(payload).to_bytes(8, "big")
    return MAGIC + sizes + _blake2b(signing, sizes, key, payload) + key + payload


def _unpack(data: bytes, signing: bytes, key: bytes) -> memoryview | None:
    """The payload, a view of `data` (the rows' file is megabytes: not copied); None unless
    the file is whole, signed with this vault's key and written with this key."""
    if len(data) < HEADER or data[: len(MAGIC)] != MAGIC:
        return None
    sizes = data[len(MAGIC) : len(MAGIC) + 12]
    key_size, size = int.from_bytes(sizes[:4], "big"), int.from_bytes(sizes[4:], "big")
    if key_size != len(key) or data[HEADER : HEADER + key_size] != key:
        return None
    view = memoryview(data)
    payload = view[HEADER + key_size :]
    if len(payload) != size:
        return None
    if not _compare_digest(_blake2b(signing, sizes, view[HEADER:]), data[len(MAGIC) + 12 : HEADER]):
        return None  # (the key and the payload follow each other: signed in one piece)
    return payload


def decoded(data: memoryview | None, decoder: Any) -> Any:
    """A cache file's payload (Cache.read) decoded by `decoder` (a msgspec Decoder); None if
    there is none, or it is not of the decoder's shape."""
    if data is None:
        return None
    import msgspec  # (here: a build with nothing changed decodes nothing)

    try:
        return decoder.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def signature_of(payload: memoryview) -> bytes:
    """The signature of the file whose payload this is (as Cache.read gives it): a digest of
    the file's content, keyed, so it names that content (commands/answers.py)."""
    return bytes(payload.obj[len(MAGIC) + 12 : HEADER])  # type: ignore[index]


def _load(data: bytes) -> Any:
    return _ManifestUnpickler(io.BytesIO(data)).load()


@dataclass
class Manifest:
    """What the last build read and wrote; enough to answer a build that has nothing to do.

    The notes are kept as the scan found them, in its order: their paths, their kinds and
    their stats packed in one string of bytes (`pack_stats`). A build with nothing to do
    compares three lists and two strings of bytes, not 13,000 tuples in two dicts, and
    loads them in a tenth of the time.
    """

    notes: list[str]  # every note the last build read, in the scan's order
    kinds: list[str]  # each one's kind
    stats: bytes  # each one's stat, packed; b"" if one had none (then no build is taken as unchanged)
    racy: dict[str, bytes]  # rel -> digest: notes changed too close to the build to trust their stat
    inputs: bytes  # today, the templates, the other file names, the scan's problems
    output: dict[str, tuple]  # output listing: rel -> ("d",) | ("l", stat) | ("f", stat, digest, racy)
    report: dict[str, Any]  # counts, problems, pages, refused

    @classmethod
    def of_build(
        cls, read: tuple[list[str], list[str], bytes, dict[str, bytes]], inputs: bytes, output: dict[str, tuple], report: dict[str, Any]
    ) -> Manifest:
        """A build's manifest: the notes as it `read` them (commands/as_read.notes_read),
        its `inputs`, the output folder as it left it, and its report. A build that could
        not write a page keeps no inputs: the next one does not take the quick path and
        print this one's failure again, it tries the page again."""
        notes, kinds, stats, racy = read
        return cls(notes, kinds, stats, racy, b"" if report["refused"] else inputs, output, report)

    def valid(self) -> bool:
        return (
            all(isinstance(getattr(self, name), dict) for name in ("racy", "output", "report"))
            and isinstance(self.notes, list) and isinstance(self.kinds, list) and len(self.notes) == len(self.kinds)
            and isinstance(self.stats, bytes) and isinstance(self.inputs, bytes)
        )

    def stat_of(self, rel: str) -> Stat | None:
        """One note's stat as the last build took it (for the notes checked by digest: after
        a checkout or an import, all of them; so unpacked once, on the first call)."""
        by_rel = self.__dict__.get("_by_rel")
        if by_rel is None:
            values = array("q", self.stats) if self.stats else array("q")
            by_rel = self.__dict__["_by_rel"] = {
                rel: _stat(values, at) for rel, at in zip(self.notes, range(0, len(values), 4), strict=False)
            }
        return by_rel.get(rel)


def unpack_stat(stats: bytes, place: int) -> Stat:
    """The stat of the note at this place of those pack_stats packed."""
    return _stat(array("q", stats[place * 32 : place * 32 + 32]), 0)


def entry_as_read(entry: Entry | None, rel: str, at: int, kinds: list[str], stats: bytes, racy: dict[str, bytes]) -> bool:
    """Whether a cache entry of the note `rel` is the one read when the notes' kinds, stats
    and racy digests were taken (as_read.notes_read: the note is at place `at`): the same kind
    and stat, and for a note racy when either read it, the same bytes (else not known to be)."""
    if entry is None or entry[0] != kinds[at] or entry[1] != unpack_stat(stats, at):
        return False
    return not ((entry[3] or rel in racy) and entry[2] != racy.get(rel))


def _stat(values: array, at: int) -> Stat:
    inode = values[at + 3]
    return (*values[at : at + 3], inode + (1 << 64) if inode < 0 else inode)  # type: ignore[return-value]


_STALE = re.compile(r"records-\d\d\.(pickle|marshal)|\.tmp-.*")  # formats 1 and 2's segments; temporary files


class Cache:
    """One vault's cache folder. Every read tolerates anything; every write is atomic."""

    def __init__(self, settings: Settings, create: bool = True) -> None:
        """`create` False: use a cache folder that exists, never make one (commands other than build)."""
        self.settings = settings
        self.folder = settings.root / CACHE_DIR
        self.key = cache_key(settings)
        self.signing = vault_key(settings.root)
        self.create = create
        self._displaced: dict[str, Entry] | None = None  # (read by last_read, once)

    # -- manifest -------------------------------------------------------------------------

    def manifest(self) -> Manifest | None:
        payload = self.read("manifest.pickle")
        if payload is None:
            return None
        try:
            found = _load(payload)
            manifest = Manifest(**found) if isinstance(found, dict) else None
        except Exception:  # noqa: BLE001 - a corrupt cache is ignored, never trusted
            return None
        return manifest if manifest is not None and manifest.valid() else None

    def save_manifest(self, manifest: Manifest) -> None:
        kept = {field.name: getattr(manifest, field.name) for field in fields(Manifest)}  # (not stat_of's unpacked stats)
        self.write("manifest.pickle", pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))

    # -- records --------------------------------------------------------------------------

    def segment_payload(self, number: int) -> memoryview | None:
        return self.read(f"records-{number:02d}.msgpack")

    def load_segment(self, number: int) -> dict[str, Entry]:
        payload = self.segment_payload(number)
        if payload is None:
            return {}
        from vaultkit.read.codec import decode_segment

        return decode_segment(payload)

    def save_segment(self, number: int, payload: bytes) -> None:
        self.write(f"records-{number:02d}.msgpack", payload)

    def drop_segment(self, number: int) -> None:
        try:
            (self.folder / f"records-{number:02d}.msgpack").unlink()
        except OSError:
            pass

    # -- entries other commands replaced ---------------------------------------------------

    def keep_displaced(self, entries: dict[str, Entry]) -> None:
        """Keep these entries, which a command other than build is replacing in the segments
        (`due` puts a changed note's new record there), where they are still the ones the last
        build read (by the manifest's stats): the next build compares them with the notes as
        they are, to keep the pages nothing changed has touched (commands/build.pages_kept)."""
        manifest = self.manifest() if entries else None
        if manifest is None or not manifest.stats:
            return
        place = {rel: at for at, rel in enumerate(manifest.notes)}
        read = {
            rel: entry for rel, entry in entries.items()
            if rel in place and entry_as_read(entry, rel, place[rel], manifest.kinds, manifest.stats, manifest.racy)
        }  # fmt: skip
        if not read:
            return
        kept = self.displaced()
        kept.update(read)  # (a note's entry the last build read is only ever one)
        if len(kept) > KEEP_MAX:  # more changed than a build compares: an import, a checkout
            self.drop_displaced()
            return
        from vaultkit.read.codec import encode_segment

        self.write(DISPLACED, encode_segment(kept))

    def displaced(self) -> dict[str, Entry]:
        """The entries keep_displaced kept (any of them may be older than the last build's)."""
        payload = self.read(DISPLACED)
        if payload is None:
            return {}
        from vaultkit.read.codec import decode_segment

        return decode_segment(payload)  # ({} for bytes a cache does not write)

    def last_read(self, manifest: Manifest, rel: str, entry: Entry | None) -> Entry | None:
        """The entry of the note `rel` that the last build read (by the manifest's kinds, stats
        and racy digests): `entry` if it is that one, else the one a command kept aside as it
        replaced it (keep_displaced) if that is; None if neither is."""
        at = manifest.notes.index(rel)
        if entry_as_read(entry, rel, at, manifest.kinds, manifest.stats, manifest.racy):
            return entry
        if self._displaced is None:
            self._displaced = self.displaced()
        entry = self._displaced.get(rel)
        return entry if entry_as_read(entry, rel, at, manifest.kinds, manifest.stats, manifest.racy) else None

    def drop_displaced(self) -> None:
        """Forget them: a build read the notes anew, and its manifest has their stats now."""
        try:
            (self.folder / DISPLACED).unlink()
        except OSError:
            pass

    def drop_stale(self) -> None:
        """Delete what earlier versions or interrupted builds left here: segments in an older
        format (`records-NN.pickle`) and temporary files. Other files are left alone."""
        try:
            with os.scandir(self.folder) as found:
                names = [entry.name for entry in found if entry.is_file(follow_symlinks=False)]
        except OSError:
            return
        for name in names:
            if _STALE.fullmatch(name):
                try:
                    os.unlink(self.folder / name)
                except OSError:
                    pass

    # -- files ----------------------------------------------------------------------------

    def read(self, name: str) -> memoryview | None:
        """A file of the cache as it was written, or None (missing, damaged, signed otherwise)."""
        if self.signing is None:
            return None
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        return _unpack(data, self.signing, self.key)

    def pack(self, payload: bytes) -> bytes:
        """A cache file's bytes, as this vault's cache writes them."""
        assert self.signing is not None
        return _pack(self.signing, self.key, payload)

    def open_unsigned(self, name: str) -> Unsigned | None:
        """A file written by write_unsigned, to read pieces of: only for bytes checked otherwise
        (by digests that a signed file holds: the people's records beside their rows,
        commands/reckoning.py)."""
        if self.signing is None:
            return None
        try:
            fd = os.open(self.folder / name, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            return Unsigned(fd, os.fstat(fd).st_size)
        except OSError:
            os.close(fd)
            return None

    def write_unsigned(self, name: str, data: bytes | memoryview) -> None:
        self._write(name, data, signed=False)

    def write(self, name: str, payload: bytes) -> None:
        """Atomic (temporary file, rename), not fsynced: a lost cache is only rebuilt."""
        self._write(name, payload)

    def _write(self, name: str, payload: bytes | memoryview, signed: bool = True) -> None:
        if self.signing is None:
            return  # no key to sign with (the user's cache folder cannot be written): no cache
        try:
            if self.create:
                self.folder.mkdir(parents=True, exist_ok=True)
                ignore_state_folder(self.folder.parent)
            import tempfile  # (imported here: a build with nothing changed saves nothing)

            fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_pack(self.signing, self.key, payload) if signed else payload)  # type: ignore[arg-type]
                os.replace(temp, self.folder / name)
            except BaseException:
                try:
                    os.unlink(temp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # a read-only vault builds without a cache


class Unsigned:
    """An open file of the cache read a piece at a time (`file[start:end]`): a command reads
    the records of the few people it prints, not the whole 9 MB. Read with pread, not mapped:
    a file cut short under a map would end the process with SIGBUS; here a piece comes
    back short, and its digest says so. Open until the process ends."""

    def __init__(self, fd: int, size: int) -> None:
        self.fd, self.size = fd, size

    def __len__(self) -> int:
        return self.size

    def move(self, above: int = -1) -> int:
        """The descriptor, made one past `above` first if it is not (the old one is left to
        whoever closes it)."""
        if self.fd <= above:
            import fcntl

            self.fd = fcntl.fcntl(self.fd, fcntl.F_DUPFD_CLOEXEC, above + 1)
        return self.fd

    def __getitem__(self, piece: slice) -> bytes:
        start, stop, _ = piece.indices(self.size)
        try:
            if _PREAD is not None:
                return _PREAD(self.fd, max(0, stop - start), start)
            os.lseek(self.fd, start, os.SEEK_SET)  # Windows: no pread
            return os.read(self.fd, max(0, stop - start))
        except OSError:
            return b""


_PREAD = getattr(os, "pread", None)


def ignore_state_folder(folder: Path) -> None:
    """Give `.vaultkit/` a .gitignore of `*` when it has none, so git never lists it."""
    path = folder / ".gitignore"
    if not path.exists():
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(STATE_IGNORE)
        except OSError:
            pass  # another build wrote it first, or a read-only vault


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
    from vaultkit.read.note import (
        MAX_NOTE_BYTES,  # (here: a build with nothing changed reads no note)
    )
    from vaultkit.read.records import read_record

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
                    # a page just written keeps its digest: the next build compares it unread
                    sums = known.get(rel, b"")
                    if racy and not sums:
                        sums = _file_digest(entry.path)
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


def templates_read(settings: Settings) -> list[tuple[str, bytes | None]]:
    """Each file under the vault's templates folder (one may stand in for a built-in template,
    or be included by one) with the digest of its bytes (None: unreadable), sorted: what a page
    rendered with them depends on there. By content, not stat: a template saved twice within
    the file system's clock tick may keep its stat."""
    found: list[tuple[str, bytes | None]] = []
    folder = settings.root / settings.templates_dir
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            data = read_regular(path)
            found.append((os.path.relpath(path, folder), None if data is None else digest(data)))
    return sorted(found)


def unkeyed_settings(settings: Settings) -> str:
    """The settings that cache_key leaves out (it keys on their repr, without where mail goes or
    the alarms' time, so that changing them makes no build read every note again), which a
    template of the vault's own may still show (it is given the settings)."""
    from dataclasses import fields as fields_of

    return repr([(f.name, getattr(settings, f.name)) for f in fields_of(settings) if not f.repr])


def inputs_digest(parts: Iterable[Any]) -> bytes:
    """The inputs as they are, not hashed: comparing them costs less than importing hashlib."""
    return repr(tuple(parts)).encode("utf-8", "surrogateescape")
