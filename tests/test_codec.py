"""What a warm build decodes from the cache is what reading the notes gives, field by field.

Each vault is copied and built (which writes the cache, as a user's build does); then every
note's entry is loaded from its segment file and compared with the note read again: the same
record, every value of the same type (a tuple, a date, an Interaction), the same fields in its
__dict__, and the carried properties as the class computes them.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from conftest import REPO, run_cli, same_values

from vaultkit.model import Mentions, Person
from vaultkit.read.cache import Cache, segment_of
from vaultkit.read.codec import CARRIED
from vaultkit.read.records import read_record
from vaultkit.read.scan import scan
from vaultkit.settings import load_settings

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

GOLDEN = REPO / "tests" / "golden"


def decoded_equals_read(root: Path, today: str) -> dict[type, int]:
    result = run_cli("build", vault=root, today=today)
    assert result.exit_code in (0, 1), result.output
    settings = load_settings(root)
    cache = Cache(settings, create=False)
    segments = {number: cache.load_segment(number) for number in range(64)}
    found = scan(settings)
    assert sum(map(len, segments.values())) == len(found.notes)
    counts: dict[type, int] = {}
    for rel, kind in found.notes.items():
        entry = segments[segment_of(rel)][rel]
        assert entry[0] == kind and entry[1] == found.stats[rel]
        record, read = entry[4], read_record(settings, rel, kind)
        assert record == read
        same_values(record.problems, read.problems)
        item = record.item
        if item is None:
            continue
        counts[type(item)] = counts.get(type(item), 0) + 1
        same_values(item, read.item)
        carried = CARRIED.get(type(item), ())
        assert list(vars(item)) == [f.name for f in fields(item)] + list(carried)
        for name in carried:
            assert vars(item)[name] == getattr(type(item), name).func(read.item)
    return counts


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir() if (p / "vault").is_dir()))
def test_golden_vaults(case, tmp_path):
    root = shutil.copytree(GOLDEN / case / "vault", tmp_path / "vault")
    counts = decoded_equals_read(root, (GOLDEN / case / "today").read_text().strip())
    assert counts.get(Person)


def test_the_example_vault(tmp_path):
    root = shutil.copytree(REPO / "example-vault", tmp_path / "vault", ignore=shutil.ignore_patterns("Overview"))
    assert decoded_equals_read(root, "2026-12-01").get(Person)


def test_a_generated_vault_with_daily_and_meeting_notes(tmp_path):
    root = tmp_path / "vault"
    generate(300, root, seed=13, daily_days=60, meetings=40)
    counts = decoded_equals_read(root, "2026-12-01")
    assert counts[Person] == 300 and counts[Mentions] >= 60
    settings = load_settings(root)
    people = [e[4].item for n in range(64) for e in Cache(settings, create=False).load_segment(n).values() if isinstance(e[4].item, Person)]
    for name in ("birthday", "cadence", "met", "interactions", "followups", "links"):  # each kind of value was compared
        assert any(getattr(p, name) for p in people), name
