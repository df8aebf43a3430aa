"""The build cache's segments: each note's entry (its stat, digest and record) as plain values.

Kept apart from cache.py so that a build with nothing changed, which only reads the
manifest, does not import the model.
"""

from __future__ import annotations

import typing
from dataclasses import fields, is_dataclass
from datetime import date
from itertools import repeat
from typing import TYPE_CHECKING, Any

from vaultkit.errors import Problem
from vaultkit.model import (
    Birthday,
    Cadence,
    Event,
    FollowUp,
    Interaction,
    Link,
    Mentions,
    Person,
    Resource,
    make,
)

if TYPE_CHECKING:
    from vaultkit.read.records import Record
    from vaultkit.read.scan import Stat

# A note's cached entry: kind, stat, digest of its bytes (b"" unless racy: only a racy note is
# checked by its bytes), racy?, record
Entry = tuple[str, "Stat | None", bytes, bool, "Record"]

# A segment is MessagePack (msgspec) of plain values (str, int, bool, bytes, None, arrays), decoded
# against a type made from the model's own annotations (`_encoded` below): what comes out is text,
# numbers, bytes and tuples of the declared shape, or nothing at all -- no code, no other object,
# and a file of another shape fails to load (and is ignored like a damaged one). Each note's entry
# is (rel, kind, stat, digest, racy, record kind, record fields, problems), in the group of its
# record's class (Person, Event, Resource, or none):
#
# - a Person, Event or Resource is the tuple of its fields in their declared order, each kept
#   as it is (text, tuples of text, numbers) or as _CODECS below turns it into plain values:
#   dates become ordinals; a person's interactions become columns (dates, texts, tags, links,
#   lines), so that they are made again with no Python step each;
# - a Problem is the tuple of its fields.
#
# The cache's files are also signed with a key kept outside the vault (cache.py): a segment
# edited by hand is never decoded at all.


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


def _interactions_in(items: tuple[Interaction, ...]) -> tuple | None:
    if not items:
        return None  # (columns are a fixed number of arrays: none at all is nil)
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
# must be plain (a test checks every field of the model is one or the other).
_CODECS: dict[str, tuple[Any, Any]] = {
    "date | None": (_day_in, _day_out),
    "Birthday | None": (_optional_in, _birthday_out),
    "Cadence | None": (_optional_in, _cadence_out),
    "tuple[Interaction, ...]": (_interactions_in, _interactions_out),
    "tuple[FollowUp, ...]": (_followups_in, _followups_out),
    "tuple[Link, ...]": (lambda links: tuple(map(tuple, links)), lambda rows: tuple(map(_new_tuple, repeat(Link), rows))),
}
PLAIN_TYPES = frozenset(["str", "int", "tuple[str, ...]", "tuple[tuple[str, str], ...]"])
_CLASSES = (Person, Event, Resource, Mentions)


# Cached properties kept with the record: what building the index reads of every person, computed
# once when the note is read (on every core, for a cold build) rather than at every build.
CARRIED: dict[type, tuple[str, ...]] = {Person: ("other_keys",)}


def _encoded(tp: Any) -> Any:
    """The type of a value of type `tp` once encoded (what msgspec decodes it against)."""
    if tp is date:
        return int  # an ordinal
    if isinstance(tp, type) and issubclass(tp, tuple) and hasattr(tp, "_fields"):  # a named tuple: a row
        return tuple[tuple(_encoded(t) for t in typing.get_type_hints(tp).values())]  # type: ignore[misc]
    if is_dataclass(tp):  # Birthday, Cadence: the tuple of their fields
        hints = typing.get_type_hints(tp)
        return tuple[tuple(_encoded(hints[f.name]) for f in fields(tp))]  # type: ignore[misc]
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple[_encoded(args[0]), ...]  # type: ignore[misc]
        return tuple[tuple(_encoded(a) for a in args)]  # type: ignore[misc]
    if args:  # X | None
        out: Any = None
        for arg in args:
            one = type(None) if arg is type(None) else _encoded(arg)
            out = one if out is None else out | one
        return out
    return tp


def _columns(cls: type) -> Any:
    """Named tuples kept as columns (a person's interactions): a tuple of one array per field, or nil."""
    return tuple[tuple(tuple[_encoded(t), ...] for t in typing.get_type_hints(cls).values())] | None  # type: ignore[misc]


class _Codec:
    """One record class's fields (and CARRIED properties) <-> a tuple of plain values."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.names = tuple(f.name for f in fields(cls)) + CARRIED.get(cls, ())
        self.encoders = tuple((i, _CODECS[f.type][0]) for i, f in enumerate(fields(cls)) if f.type in _CODECS)  # type: ignore[index]
        self.decoders = tuple((i, _CODECS[f.type][1], None if "None" in f.type else ()) for i, f in enumerate(fields(cls)) if f.type in _CODECS)  # type: ignore[operator, index]
        hints = typing.get_type_hints(cls)
        shape = [_columns(Interaction) if hints[f.name] == tuple[Interaction, ...] else _encoded(hints[f.name]) for f in fields(cls)]
        shape += [_encoded(typing.get_type_hints(getattr(cls, name).func)["return"]) for name in CARRIED.get(cls, ())]
        self.shape = tuple[tuple(shape)]  # type: ignore[misc]

    def encode(self, item: Any) -> tuple:
        values = [getattr(item, name) for name in self.names]
        for i, encode in self.encoders:
            values[i] = encode(values[i])
        return tuple(values)

    def decode(self, values: tuple) -> Any:
        row = list(values)
        for i, decode, empty in self.decoders:
            value = row[i]
            row[i] = decode(value) if value else empty  # None and () stand for themselves (and no ordinal is 0)
        item: Any = object.__new__(self.cls)  # as unpickling makes it: not through the frozen __init__
        item.__dict__.update(zip(self.names, row, strict=True))
        return item


_CODEC_OF = [_Codec(cls) for cls in _CLASSES]
_PROBLEM_FIELDS = tuple(f.name for f in fields(Problem))


def _segment_decoder() -> Any:
    """A segment: its entries grouped by record class (Person, Event, Resource, none), each group
    typed with that class's fields, so that one call decodes the whole segment."""
    import msgspec

    problems = tuple[_encoded(Problem), ...]  # type: ignore[misc]
    stat = tuple[int, int, int, int] | None

    def rows(values: Any) -> Any:
        return tuple[tuple[str, str, stat, bytes, bool, str, values, problems], ...]  # type: ignore[valid-type]

    groups = [rows(codec.shape) for codec in _CODEC_OF] + [rows(type(None))]
    return msgspec.msgpack.Decoder(tuple[tuple(groups)])  # type: ignore[misc]


_SEGMENT = _segment_decoder()


def encode_segment(entries: dict[str, Entry]) -> bytes:
    import msgspec

    groups: list[list[tuple]] = [[] for _ in range(len(_CLASSES) + 1)]
    for rel, (kind, stat, sums, racy, record) in entries.items():
        item = record.item
        number = -1 if item is None else _CLASSES.index(type(item))
        values = None if item is None else _CODEC_OF[number].encode(item)
        problems = tuple(tuple(p.__dict__[name] for name in _PROBLEM_FIELDS) for p in record.problems)
        groups[number].append((rel, kind, stat, sums, racy, record.kind, values, problems))
    return msgspec.msgpack.encode(groups)


def decode_segment(payload: bytes) -> dict[str, Entry]:
    """A segment's entries; {} when it is not what a cache writes."""
    from vaultkit.read.records import Record

    try:
        found: dict[str, Entry] = {}
        for number, group in enumerate(_SEGMENT.decode(payload)):
            decode = _CODEC_OF[number].decode if number < len(_CODEC_OF) else None
            for rel, kind, stat, sums, racy, record_kind, values, problems in group:
                item: Any = None if decode is None else decode(values)
                problems = tuple(Problem(*p) for p in problems) if problems else ()
                found[rel] = (kind, stat, sums, racy, make(Record, {"rel": rel, "kind": record_kind, "item": item, "problems": problems}))
    except Exception:  # noqa: BLE001 - a corrupt cache is ignored, never trusted
        return {}
    return found
