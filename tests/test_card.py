"""`vaultkit show` asks each rule about one person: the same answers as asking about everyone.

card_context used to work out the thanks owed and the introductions of the whole
network and keep the person's; it now asks thanks_owed_for, introductions_of and
matching_resources, which read only what concerns them. These tests hold each to the
whole-network answer, for every person of the golden vaults, the example vault and a
generated one (with two notes of one file name, and two people of one name); the
cards `vaultkit show` prints are compared whole with the card the whole-network
answers make.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date

import pytest
from conftest import REPO, run_cli

from vaultkit.index.vault import load_vault
from vaultkit.pages.render import Renderer
from vaultkit.pages.views import card_context
from vaultkit.rules import matchmaking
from vaultkit.rules import reminders as rules
from vaultkit.settings import load_settings

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

TODAY = date(2026, 12, 1)
GOLDEN = REPO / "tests" / "golden"
SMALL = [*sorted(p / "vault" for p in GOLDEN.iterdir() if (p / "vault").is_dir()), REPO / "example-vault"]


def copy_of(source, target):
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    return target


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """300 generated people; some notes again under the same file name in another folder,
    and some as a twin: another file, the same `name` (a tie that only the place breaks).
    A twin's file name sorts before the other's, its path after: the index, and so the
    walk, meets the other first, and a tie broken by the keys would put the twin first."""
    root = tmp_path_factory.mktemp("card") / "vault"
    generate(300, root, seed=11)
    notes = sorted((root / "people").glob("*.md"))
    for folder in ("again", "twins"):
        (root / "people" / folder).mkdir()
    for note in notes[::25]:
        shutil.copy(note, root / "people" / "again" / note.name)
    for note in notes[3::20]:
        text = note.read_text(encoding="utf-8").replace("---\n", f"---\nname: {note.stem}\n", 1)
        (root / "people" / "twins" / f"0 {note.stem}.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module", params=[*range(len(SMALL)), "generated"])
def index(request, generated):
    root = generated if request.param == "generated" else SMALL[request.param]
    return load_vault(load_settings(root))


def whole_network(index, today):
    """What the card of each person was made from: every rule's answer about everyone."""
    return {
        "owed": rules.thanks_owed(index, today),
        "intros": rules.introductions(index),
        "resources": rules.Resources(index),
        "matches": matchmaking.suggestions(index, today),
    }


def card_as_it_was(index, person, today, everyone):
    """card_context, its per-person answers taken from the whole network's, as it did."""
    owed = next((t for t in everyone["owed"] if t.person.key == person.key), None)
    return {
        **card_context(index, person, today),
        "owed": owed.favours if owed else (),
        "intros": [i for i in everyone["intros"] if person.key in (i.by.key, i.to.key)],
        "resources": everyone["resources"].matching(person)[:3],
        "to_introduce": matchmaking.for_person(everyone["matches"], person),
    }


def test_each_card_is_what_the_whole_networks_answers_make(index):
    everyone = whole_network(index, TODAY)
    shown = dict.fromkeys(["owed", "intros", "resources", "to_introduce"], 0)
    for person in index.people:
        card = card_context(index, person, TODAY)
        assert card == card_as_it_was(index, person, TODAY, everyone), person.path
        for name in shown:
            shown[name] += bool(card[name])
    if len(index.people) > 20:  # the example vault and the generated one: something to compare
        assert all(shown.values()), shown


def test_each_rule_for_one_person_is_its_answer_for_everyone(index):
    owed, intros = rules.thanks_owed(index, TODAY), rules.introductions(index)
    resources = rules.Resources(index)
    for person in index.people:
        key = person.key
        assert rules.thanks_owed_for(index, person, TODAY) == next((t for t in owed if t.person.key == key), None)
        assert rules.introductions_of(index, person) == [i for i in intros if key in (i.by.key, i.to.key)]
        assert rules.matching_resources(index, person) == resources.matching(person)


@pytest.mark.parametrize("vault", [*range(len(SMALL)), "generated"])
def test_show_prints_the_card_the_whole_networks_answers_make(vault, generated, tmp_path):
    """The real command, on a copy of each vault (`show` writes the build cache)."""
    root = copy_of(generated if vault == "generated" else SMALL[vault], tmp_path / "vault")
    index = load_vault(load_settings(root))
    everyone = whole_network(index, TODAY)
    renderer = Renderer(index.settings, link_style="plain")
    keys = [p.key for p in index.people]
    people = [p for p in index.people if keys.count(p.key) == 1]  # a file name twice: `show` asks which
    for person in people if vault != "generated" else people[::15]:
        result = run_cli("show", person.key, vault=root, today=TODAY.isoformat())
        assert result.exit_code == 0, result.output
        card = card_as_it_was(index, person, TODAY, everyone)
        assert result.output == renderer.render_text("card.md.j2", **card), person.path
