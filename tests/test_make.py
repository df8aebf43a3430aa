"""The readers build records with model.make (no frozen __init__): they are what the classes make."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from conftest import REPO

from vaultkit.model import Event, Person, Record, make
from vaultkit.read.note import Note, parse_note
from vaultkit.read.records import read_record
from vaultkit.read.scan import scan
from vaultkit.settings import load_settings


def through_the_class(obj: object) -> object:
    """The same record made by its own __init__ from its fields (an AttributeError if one is missing)."""
    cls = type(obj)
    return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)})  # type: ignore[arg-type]


def test_every_record_of_the_example_vault_is_what_its_class_makes():
    settings = load_settings(REPO / "example-vault")
    found = scan(settings)
    assert len(found.notes) > 20
    for rel, kind in found.notes.items():
        record = read_record(settings, rel, kind)
        assert isinstance(record, Record) and record == through_the_class(record)
        assert record.item is not None and record.item == through_the_class(record.item)
        assert vars(record.item).keys() == {f.name for f in fields(type(record.item))}
        note = parse_note((Path(settings.root) / rel).read_bytes(), rel)
        assert isinstance(note, Note) and note == through_the_class(note)


def test_make_refuses_a_wrong_count_of_fields():
    values = {f.name: None for f in fields(Event)}
    event = make(Event, dict(values))
    assert vars(event) == values
    del values["location"]
    with pytest.raises(TypeError, match="Event has 9 fields, not 8"):
        make(Event, values)
    with pytest.raises(TypeError):
        make(Person, {**values, "location": "", "extra": 1})
