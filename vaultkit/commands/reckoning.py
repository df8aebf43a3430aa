"""The people's derived rows (rules/rows.py) for `vaultkit due`, `show` and `export ics`:
from the cache while every note is as they were made from; else patched, or the index, and
the rows kept again for next time once the command has printed what it prints.

The rows are kept in the build cache's folder (`rows.msgpack`, signed like its other files,
so keyed on the code and the settings too) with the notes they were made from: their paths
in the scan's order, kinds and stats, and the digests of notes changed too close to the
read to trust their stat. When only a few people's notes changed, and in ways that change
nobody else's row (rules/rows_patch.py), the kept rows are patched with those notes read
anew. Else the command reads the vault as `load_index` does (only the changed notes from
their files) and answers from the index; then it makes the rows again, keeping each
person's where their merged record is the same and no event lists them (Rows.of). Either
way the rows are kept by a child process it does not wait for (`keep_rows`), so that its
output comes as soon as it did without the rows; with them, once `show` has kept a day's
introductions to make (`introductions.msgpack`), those of the command's day.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import msgspec

from vaultkit.commands.as_read import (
    check_note_folders,
    notes_as_read,
    notes_changed,
    notes_read,
    notes_reread,
    read_all,
)
from vaultkit.read import collector
from vaultkit.read.cache import decoded, digest
from vaultkit.read.notes import existing_cache
from vaultkit.read.scan import Scan, scan
from vaultkit.rules import rows as derived
from vaultkit.settings import Settings

if TYPE_CHECKING:
    from vaultkit.commands.answers import Question
    from vaultkit.index.vault import Index
    from vaultkit.model import Item
    from vaultkit.read.cache import Cache
    from vaultkit.read.codec import Entry

T = TypeVar("T")
ROWS_FILE = "rows.msgpack"
LOCK_FILE = "rows.lock"  # held by the one command making the rows (edit/lock.py tried)

# (paths, kinds, packed stats, racy digests, the records' file, the rows' payload): the rows'
# payload is decoded only once the rest says the notes are as they were. The people's records
# are in a file of their own beside it (`people-<digest of the payload>.bin`, unsigned: each
# record is checked by its digest, which the signed payload holds, when it is read)
Kept = tuple[list[str], list[str], bytes, dict[str, bytes], str, msgspec.Raw]
RECORDS = re.compile(r"people-[0-9a-f]{32}\.bin")
_KEPT = msgspec.msgpack.Decoder(Kept)

INTRODUCTIONS_FILE = "introductions.msgpack"
# (the records' file of the rows they were found from, the day's ordinal, each person's key ->
# their introductions to make that day, encoded apart: rules/cards.py Cards.of_day)
_Day = tuple[str, int, dict[str, msgspec.Raw]]
_DAY = msgspec.msgpack.Decoder(_Day)


@dataclass
class Loaded:
    """The rows, when the cache's are the notes' as they are; else the index, and how to
    make and keep the rows from it (`keep_rows`, once the command has printed)."""

    settings: Settings
    rows: derived.Rows | None = None
    index: Index | None = None
    remake: Callable[[], tuple[derived.Rows, str]] | None = None  # the rows made and kept again: (rows, records' file)
    cache: Cache | None = None  # where the rows are kept (None: nowhere to keep anything)
    name: str = ""  # the file of the records of `rows`, when they are the cache's
    also: list[Callable[[derived.Rows, str], None]] = field(default_factory=list)  # more to keep, from the rows
    introductions: date | None = None  # the day whose introductions are to be kept too (keep_introductions)
    signature: bytes = b""  # of the rows' file, when `rows` are the cache's as kept (commands/answers.py)
    inputs: bytes = b""  # and what else an answer depends on (answers.inputs_of), when asked one
    said: str | None = None  # the answer kept for the question asked, when there was one

    @property
    def to_keep(self) -> bool:
        return self.remake is not None or bool(self.also)

    def reading(self, above: int = -1) -> int | None:
        """The descriptor of the cache's file that the rows read their records from, if any;
        made one past `above` first if it is not (read/cache.Unsigned.move)."""
        records = self.rows.records if self.rows is not None else None
        while records is not None and not hasattr(records, "move"):
            records = getattr(records, "old", None)  # (rows_patch.Spliced: the records it reads from)
        return None if records is None else records.move(above)


def kept_of(cache: Cache) -> Kept | None:
    """What the cache keeps of the rows (their payload undecoded), if it has any."""
    return _signed_kept(cache)[0]


def _signed_kept(cache: Cache) -> tuple[Kept | None, bytes]:
    """kept_of, and the signature of the rows' file (read/cache.signature_of)."""
    from vaultkit.read.cache import signature_of

    data = cache.read(ROWS_FILE)
    kept = _decoded(data)
    if kept is None or not RECORDS.fullmatch(kept[4]):
        return None, b""
    return kept, signature_of(data)  # type: ignore[arg-type]


def load_rows(settings: Settings, rows: bool = True, question: Question = ()) -> Loaded:
    """Every person's row from the cache, or the index when a note changed since they were
    made (or `rows` is False: the kept ones were found damaged, derived.DamagedRows). With a
    `question`, the answer kept for it from the same rows instead, if there is one
    (commands/answers.py)."""
    check_note_folders(settings)
    seen_ns = time.time_ns()
    found = scan(settings)
    cache = existing_cache(settings)
    kept, signature = _signed_kept(cache)
    if rows and kept is not None:
        if notes_as_read(settings, found, *kept[:4]):
            inputs = b""
            if question:
                from vaultkit.commands.answers import answer_kept, inputs_of

                inputs = inputs_of(settings)  # (before the answer is made: see inputs_of)
                said = answer_kept(cache, signature, question, inputs)
                if said is not None:
                    return Loaded(settings, said=said)
            made = rows_of_kept(settings, cache, kept)
            if made is not None:
                return Loaded(settings, rows=made, cache=writable(cache), name=kept[4], signature=signature, inputs=inputs)
        else:
            loaded = _patched(settings, found, cache, kept, seen_ns)
            if loaded is not None:
                return loaded
    entries, index = read_all(settings, found, cache, seen_ns, displace=True)
    if writable(cache) is None:
        return Loaded(settings, index=index)  # no cache (no build made one), or a read-only one
    return Loaded(settings, index=index, remake=remade(cache, index, notes_read(found, entries)), cache=cache)


def remade(cache: Cache, index: Index, read: tuple[list[str], list[str], bytes, dict[str, bytes]]) -> Callable[[], tuple[derived.Rows, str]]:
    """How to make the rows from an index of the notes as `read` (as_read.notes_read) and
    keep them: each person's row as the cache kept it where their record is the same."""

    def remake() -> tuple[derived.Rows, str]:
        from vaultkit.rules.cards import rows_of  # (with matchmaking: only where rows are made)

        kept = _decoded(cache.read(ROWS_FILE))
        old = derived.decode(index.settings, kept[5], None) if kept is not None else None
        made = rows_of(index, old)
        return made, write_rows(cache, made, read)

    return remake


def rows_of_kept(settings: Settings, cache: Cache, kept: Kept) -> derived.Rows | None:
    """The rows kept in the cache, with their records' file open to read from."""
    records = cache.open_unsigned(kept[4])
    if records is None:
        return None
    with collector.paused(keep=True):
        made = derived.decode(settings, kept[5], records)
    if made is not None:
        collector.keep(made)
    return made


def _patched(settings: Settings, found: Scan, cache: Cache, kept: Kept, seen_ns: int) -> Loaded | None:
    """The kept rows with the few notes that changed since read anew, where
    rules/rows_patch.py can (None else); kept in their place once the command has printed,
    and the notes' records in the build cache's segments."""
    from vaultkit.read.cache import entry_as_read, read_entries, segment_of
    from vaultkit.rules import rows_patch

    changed = notes_changed(settings, found, *kept[:4])
    if not changed or len(changed) > rows_patch.MOST:
        return None
    old = rows_of_kept(settings, cache, kept)
    if old is None:
        return None
    entries = read_entries(settings, [(rel, found.notes[rel], found.stats[rel]) for rel in changed], seen_ns)

    def before(rel: str) -> Item | None:
        """The note's record as the rows were made from it: the segment's, if it holds the
        note with the stat the rows were made from (and the bytes, for a racy one)."""
        entry = cache.load_segment(segment_of(rel)).get(rel)
        if entry is None or not entry_as_read(entry, rel, kept[0].index(rel), *kept[1:4]):
            return None
        return entry[4].item

    try:
        made = rows_patch.patched(old, {rel: entry[4] for rel, entry in entries.items()}, before)
    except derived.DamagedRows:
        return None
    if made is None:
        return None
    loaded = Loaded(settings, rows=made, cache=writable(cache))
    if loaded.cache is not None:
        read = notes_reread(found, kept[3], entries)

        def remake() -> tuple[derived.Rows, str]:
            save_entries(cache, entries)
            return made, write_rows(cache, made, read)

        loaded.remake = remake
    return loaded


def save_entries(cache: Cache, entries: dict[str, Entry], displace: bool = True) -> None:
    """The notes' new entries put into the build cache's segments, as a build that read
    them would (read/notes.py): the next build, and the next patch, find them there.
    `displace`: a command other than build, which keeps the entries they replace where the
    last build read them (Cache.keep_displaced)."""
    from vaultkit.read.cache import segment_of
    from vaultkit.read.codec import encode_segment

    numbers: dict[int, list[str]] = {}
    for rel in entries:
        numbers.setdefault(segment_of(rel), []).append(rel)
    displaced: dict[str, Entry] = {}
    for number, rels in numbers.items():
        stored = cache.load_segment(number)
        if not stored:
            continue  # (no segment: the next build reads its notes)
        displaced.update((rel, stored[rel]) for rel in rels if rel in stored)
        stored.update((rel, entries[rel]) for rel in rels)
        cache.save_segment(number, encode_segment(stored))
    if displace:
        cache.keep_displaced(displaced)


def write_rows(cache: Cache, made: derived.Rows, read: tuple[list[str], list[str], bytes, dict[str, bytes]]) -> str:
    """Keep the rows, with the notes as they were read for them (as_read.notes_read); the
    name of the records' file kept beside."""
    payload, records = derived.encode(made)
    if not isinstance(made.records, (bytes, bytearray)) and not derived.records_match(made.payload, records):
        # (read back from the file beside the old rows, not made now: each checked by its digest)
        raise derived.DamagedRows("the records kept beside the rows are not all theirs")
    name = f"people-{digest(payload).hex()}.bin"
    cache.write_unsigned(name, records)
    cache.write(ROWS_FILE, msgspec.msgpack.encode((*read, name, msgspec.Raw(payload))))
    _drop_records(cache, but=name)
    return name


def day_introductions(loaded: Loaded, today: date) -> dict[str, msgspec.Raw] | None:
    """Everyone's introductions to make on this day (rules/cards.py Cards.of_day), kept
    for the rows the command read; None if there are none for them and this day."""
    if loaded.rows is None or loaded.cache is None:
        return None
    kept = decoded(loaded.cache.read(INTRODUCTIONS_FILE), _DAY)
    if kept is None:
        return None
    name, day, found = kept
    return found if (name, day) == (loaded.name, today.toordinal()) else None


def keep_introductions(loaded: Loaded, today: date) -> None:
    """Have everyone's introductions to make on this day kept too, from the rows (made
    again first if the command did without them), once the command has printed: `show`
    asks for one person's, and finding them takes walking every pair of the network."""
    cache = loaded.cache
    if cache is None or loaded.introductions is not None:
        return
    loaded.introductions = today

    def keep(rows: derived.Rows, name: str) -> None:
        from vaultkit.rules.cards import Cards

        kept = _decoded(cache.read(ROWS_FILE))
        if kept is None or kept[4] != name:
            return  # other rows were kept since these were read: theirs are the ones to keep
        found = {key: msgspec.Raw(day) for key, day in Cards(rows).of_day(today).items()}
        cache.write(INTRODUCTIONS_FILE, msgspec.msgpack.encode((name, today.toordinal(), found)))

    loaded.also.append(keep)


def writable(cache: Cache) -> Cache | None:
    """The cache, if a build made one and it can be written."""
    return None if cache.signing is None or not os.access(cache.folder, os.W_OK) else cache


def _drop_records(cache: Cache, but: str) -> None:
    """The records' files of rows made before (a command that reads one has it all in memory)."""
    try:
        names = [entry.name for entry in os.scandir(cache.folder) if RECORDS.fullmatch(entry.name) and entry.name != but]
    except OSError:
        return
    for name in names:
        try:
            os.unlink(cache.folder / name)
        except OSError:
            pass


def answered(settings: Settings, answer: Callable[[Loaded], T], question: Question = ()) -> tuple[T, Loaded]:
    """What `answer` says from the rows (or the index: see load_rows); from the index if a
    record kept beside the rows turns out not to be theirs (derived.DamagedRows). With a
    `question` (the command, its arguments, the day), an answer made from the cache's rows is
    kept for the same question asked again while they hold, and one kept is said again
    (commands/answers.py)."""
    loaded = load_rows(settings, question=question)
    if loaded.said is not None:
        return loaded.said, loaded  # type: ignore[return-value]  # (asked with a question: T is str)
    try:
        text = _without_collector(answer, loaded)
    except derived.DamagedRows:  # read the notes, and make the rows again after
        loaded = load_rows(settings, rows=False)
        return _without_collector(answer, loaded), loaded
    if question and loaded.signature and loaded.inputs and loaded.cache is not None:
        from vaultkit.commands.answers import keep_answer

        keep_answer(loaded.cache, loaded.signature, question, loaded.inputs, text)  # type: ignore[arg-type]
    return text, loaded


def _without_collector(answer: Callable[[Loaded], T], loaded: Loaded) -> T:
    """The answer, made with the cycle collector paused: a card decodes 10,000 cards and makes
    matchmaking's network of them, and collections walking those took as long again."""
    with collector.paused(keep=True):
        return answer(loaded)


def keep_rows(loaded: Loaded, today: date) -> None:
    """Make and keep the rows the command did without, if it did: in a child process when
    this one ends with the command and may fork (pages/forked.py), as git's automatic gc
    does, so that the shell's prompt comes back at once; else (tests, macOS, Windows, a
    process that goes on) here. Where `show` has kept a day's introductions before, the
    rows made again come with `today`'s."""
    if loaded.remake is not None and loaded.cache is not None and (loaded.cache.folder / INTRODUCTIONS_FILE).exists():
        keep_introductions(loaded, today)
    if not loaded.to_keep:
        return
    from vaultkit.pages.forked import fork_is_safe

    if not (collector.process_ends() and fork_is_safe()):
        _keep(loaded)
        return
    collector.flushed()  # (what the child would write again else)
    # Ctrl-C and a kill are held off until the child has left the parent's code behind
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        pid = os.fork()
    except OSError:
        pid = -1  # (no process to spare: the next command makes them)
    if pid != 0:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return
    try:  # the child: no terminal, and no descriptor of the parent's held open (a reader of
        # its output, or of any pipe it was given, gets its end now)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.setsid()
        # ...but the records' file the rows read from (the cache's own, read-only), moved
        # past the standard streams if it is one of them (a parent started with stdin closed)
        kept = loaded.reading(above=2)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        if kept is not None:
            os.closerange(3, kept)
            os.closerange(kept + 1, os.sysconf("SC_OPEN_MAX"))
        else:
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        _trimmed()
        _keep(loaded)
    finally:
        os._exit(0)


def _trimmed() -> None:
    """Give the system back the memory the command freed before the fork (its pages, at
    100,000 people a few hundred MB) that the C library keeps for reuse: this process
    would hold it to its end (glibc's malloc_trim; elsewhere nothing)."""
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _keep(loaded: Loaded) -> None:
    """The rows made and kept again if the command did without them, then what else it
    asked to keep from them (`also`); by one command at a time."""
    from vaultkit.edit.lock import tried

    assert loaded.cache is not None
    with tried(loaded.cache.folder / LOCK_FILE) as mine:
        if not mine:
            return  # another command is making them (after the same change, most likely)
        if loaded.remake is not None:
            try:
                rows, name = loaded.remake()
            except derived.DamagedRows:
                return  # a record could not be read again: the next command reads the notes
        else:
            assert loaded.rows is not None
            rows, name = loaded.rows, loaded.name
        for job in loaded.also:
            try:
                job(rows, name)
            except derived.DamagedRows:
                return  # a record not the rows' own: the next command that reads it makes them again


def _decoded(data: memoryview | None) -> Kept | None:
    return decoded(data, _KEPT)
