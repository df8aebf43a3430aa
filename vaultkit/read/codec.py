"""The build cache's segments: each note's entry (its stat, digest and record) as plain values.

Kept apart from cache.py so that a build with nothing changed, which only reads the
manifest, does not import the model.
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any

from vaultkit.errors import Problem
from vaultkit.model import Event, Mentions, Person, Record, Resource

if TYPE_CHECKING:
    from vaultkit.read.scan import Stat

# A note's cached entry: kind, stat, digest of its bytes (b"" unless racy: only a racy note is
# checked by its bytes), racy?, record
Entry = tuple[str, "Stat | None", bytes, bool, "Record"]

# A segment is MessagePack (msgspec) of plain values (str, int, bool, bytes, None, arrays, maps),
# decoded against the model's own classes: what comes out is text, numbers, bytes, dates,
# tuples and the model's records of the declared shape, or nothing at all -- no code, no other
# object, and a file of another shape fails to load (and is ignored like a damaged one). Each
# note's entry is (rel, kind, stat, digest, racy, record kind, record, carried, problems), in
# the group of its record's class (Person, Event, Resource, Mentions, or none):
#
# - a record is a map of all its fields, as msgspec writes a dataclass: text, tuples of text,
#   numbers, dates as ISO text, a Birthday or Cadence as a map, each Interaction, FollowUp and
#   Link as an array. msgspec makes it again itself, with no Python step per field or row: the
#   class's object, then each field set on it (no __init__ is run, as with model.make), so its
#   __dict__ holds every field, in their declared order, as the readers make it;
# - carried: the values of the class's CARRIED properties, or nil;
# - a Problem is a map of its fields.
#
# The cache's files are also signed with a key kept outside the vault (cache.py): a segment
# edited by hand is never decoded at all.

_CLASSES = (Person, Event, Resource, Mentions)

# Cached properties kept with the record: what building the index reads of every person, computed
# once when the note is read (on every core, for a cold build) rather than at every build.
CARRIED: dict[type, tuple[str, ...]] = {Person: ("other_keys",)}
_CARRIED = tuple(CARRIED.get(cls, ()) for cls in _CLASSES)


def _carried_type(cls: type) -> Any:
    """The tuple of the CARRIED properties' values (their declared return types), or None."""
    names = CARRIED.get(cls, ())
    if not names:
        return type(None)
    return tuple[tuple(typing.get_type_hints(getattr(cls, name).func)["return"] for name in names)]  # type: ignore[misc]


def _segment_decoder() -> Any:
    """A segment: its entries grouped by record class (Person, Event, Resource, Mentions, none),
    each group typed with that class, so that one call decodes the whole segment."""
    import msgspec

    stat = tuple[int, int, int, int] | None

    def rows(item: Any, carried: Any) -> Any:
        return tuple[tuple[str, str, stat, bytes, bool, str, item, carried, tuple[Problem, ...]], ...]  # type: ignore[valid-type]

    groups = [rows(cls, _carried_type(cls)) for cls in _CLASSES] + [rows(type(None), type(None))]
    return msgspec.msgpack.Decoder(tuple[tuple(groups)])  # type: ignore[misc]


_SEGMENT = _segment_decoder()


def encode_segment(entries: dict[str, Entry]) -> bytes:
    import msgspec

    groups: list[list[tuple]] = [[] for _ in range(len(_CLASSES) + 1)]
    for rel, (kind, stat, sums, racy, record) in entries.items():
        item = record.item
        number = -1 if item is None else _CLASSES.index(type(item))
        names = _CARRIED[number] if number >= 0 else ()
        carried = tuple(getattr(item, name) for name in names) if names else None
        groups[number].append((rel, kind, stat, sums, racy, record.kind, item, carried, record.problems))
    return msgspec.msgpack.encode(groups)


def decode_segment(payload: bytes) -> dict[str, Entry]:
    """A segment's entries; {} when it is not what a cache writes."""
    try:
        found: dict[str, Entry] = {}
        for names, group in zip((*_CARRIED, ()), _SEGMENT.decode(payload), strict=True):
            for rel, kind, stat, sums, racy, record_kind, item, carried, problems in group:
                if carried:  # (a tuple of len(names) values: the decoder's type says so)
                    item.__dict__.update(zip(names, carried, strict=True))
                # a Record as model.make makes one (its four fields, named here), without the call
                record = _new(Record)
                _setattr(record, "__dict__", {"rel": rel, "kind": record_kind, "item": item, "problems": problems})
                found[rel] = (kind, stat, sums, racy, record)
    except Exception:  # noqa: BLE001 - a corrupt cache is ignored, never trusted
        return {}
    return found


_new, _setattr = object.__new__, object.__setattr__
