"""`vaultkit show` asks each rule about one person: the same answers as asking about everyone.

card_context used to work out the thanks owed, the introductions and the pairs worth
introducing of the whole network and keep the person's; it now asks thanks_owed_for,
introductions_of, matching_resources and best_for, which read only what concerns them.
These tests hold each to the whole-network answer, for every person of the golden
vaults, the example vault and a generated one (with two notes of one file name, and
two people of one name), and under candidate budgets that cut the walk of
matchmaking's groups short (candidates.py); the cards `vaultkit show` prints are
compared whole with the card the whole-network answers make.
"""

from __future__ import annotations

import random
import shutil
from datetime import date
from itertools import combinations

import pytest
from conftest import SMALL, run_cli

from vaultkit.index.vault import load_vault
from vaultkit.pages.render import Renderer
from vaultkit.pages.views import card_context
from vaultkit.rules import candidates, matchmaking
from vaultkit.rules import reminders as rules
from vaultkit.rules.cards import Asked
from vaultkit.settings import load_settings

TODAY = date(2026, 12, 1)


def copy_of(source, target):
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    return target


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
        **card_context(Asked(index), person, today),
        "owed": owed.favours if owed else (),
        "intros": [i for i in everyone["intros"] if person.key in (i.by.key, i.to.key)],
        "resources": everyone["resources"].matching(person)[:3],
        "to_introduce": matchmaking.for_person(everyone["matches"], person),
    }


def test_each_card_is_what_the_whole_networks_answers_make(index):
    everyone = whole_network(index, TODAY)
    shown = dict.fromkeys(["owed", "intros", "resources", "to_introduce"], 0)
    for person in index.people:
        card = card_context(Asked(index), person, TODAY)
        assert card == card_as_it_was(index, person, TODAY, everyone), person.path
        for name in shown:
            shown[name] += bool(card[name])
    if len(index.people) > 20:  # the example vault and the generated one: something to compare
        assert all(shown.values()), shown


def test_each_rule_for_one_person_is_its_answer_for_everyone(index):
    owed, intros = rules.thanks_owed(index, TODAY), rules.introductions(index)
    resources, known = rules.Resources(index), matchmaking.linked_pairs(index)
    for person in index.people:
        key = person.key
        assert rules.thanks_owed_for(index, person, TODAY) == next((t for t in owed if t.person.key == key), None)
        assert rules.introductions_of(index, person) == [i for i in intros if key in (i.by.key, i.to.key)]
        assert rules.matching_resources(index, person) == resources.matching(person)
        assert matchmaking.linked_pairs(index, of=key) == {pair for pair in known if key in pair}


@pytest.fixture(scope="module")
def network(generated):
    return load_vault(load_settings(generated))


def test_the_generated_vault_has_what_these_tests_are_about(network):
    keys = [p.key for p in network.people]
    assert len(keys) > len(set(keys))  # two notes of one file name
    names = [p.name.casefold() for p in network.people]
    assert len(set(keys)) > len(set(names))  # two files of one name
    everything = matchmaking.suggestions(network, TODAY)
    assert any(  # pairs that tie on score and names: their places decide
        (m.score, m.a.name, m.b.name) == (n.score, n.a.name, n.b.name) for m, n in zip(everything, everything[1:], strict=False)
    )


def all_candidates(network) -> int:
    return len(matchmaking._Network(network, TODAY).cases(budget=10**9)) + 1


@pytest.mark.parametrize("part", [0, 1, 2, 3, 5, 8, 40, 111, 300, 567, 850, 1000])
def test_one_persons_cases_are_theirs_of_all_cases_under_any_budget(network, part):
    """The same cases in the same order, bar the place, which cases_of only numbers in order."""
    budget = part if part < 40 else all_candidates(network) * part // 1000
    whole = matchmaking._Network(network, TODAY)
    cases = sorted(whole.cases(budget))
    one = matchmaking._Network(network, TODAY)
    for key in one.people:
        theirs = [c[:3] + c[4:] for c in cases if key in (c[4], c[5])]
        assert [c[:3] + c[4:] for c in sorted(one.cases_of(key, budget))] == theirs, (key, budget)


@pytest.mark.parametrize("part", [5, 300, 1000])
def test_best_for_is_the_persons_part_of_all_suggestions_under_a_budget(network, part):
    budget = all_candidates(network) * part // 1000
    everything = matchmaking.suggestions(network, TODAY, budget)
    assert everything
    for person in network.people:
        found = matchmaking.best_for(network, TODAY, person, budget=budget)
        assert found == matchmaking.for_person(everything, person), person.path


@pytest.mark.parametrize("part", [0, 5, 300, 1000])
def test_everyones_best_in_one_walk_is_each_ones_best_under_a_budget(network, part):
    """best_of_everyone (what `show` keeps for a day) gives each person what best_in gives."""
    budget = all_candidates(network) * part // 1000
    whole = matchmaking._Network(network, TODAY)
    everyone = matchmaking.best_of_everyone(whole, budget=budget)
    assert bool(everyone) == (part > 0)
    for key in whole.people:
        one = matchmaking._Network(network, TODAY)
        assert [whole.match(c) for c in everyone.get(key, [])] == matchmaking.best_in(one, key, budget=budget), key


def walk(groups, budget):
    """The walk of matchmaking's _Network.cases, plainly: each pair's place."""
    places, count = {}, 0
    for _, _, left, right in groups:
        if count >= budget:
            break
        pairs = combinations(left, 2) if left is right else ((a, b) for a in left for b in right if a != b)
        for a, b in pairs:
            pair = (min(a, b), max(a, b))
            if pair in places:
                continue
            if count >= budget:
                break
            places[pair] = count
            count += 1
    return places


@pytest.mark.parametrize("seed", range(40))
def test_reach_finds_the_pairs_the_walk_meets_in_their_order(seed):
    rng = random.Random(seed)
    people = [f"p{n:02}" for n in range(rng.randint(2, 30))]
    groups = []
    for number in range(rng.randint(1, 12)):
        left = rng.sample(people, rng.randint(1, len(people)))
        right = left if rng.random() < 0.5 else rng.sample(people, rng.randint(1, len(people)))
        size = len(left) * (len(left) - 1) // 2 if left is right else len(left) * len(right)
        groups.append((size, f"group {number}", left, right))
    groups.sort(key=lambda g: (g[0], g[1]))
    everyone = len(walk(groups, 10**9))
    for budget in sorted({0, 1, 2, everyone // 3, everyone // 2, everyone - 1, everyone, everyone + 1, 10**9}):
        places = walk(groups, budget)
        for key in people:
            mine = sorted((place, a if b == key else b) for (a, b), place in places.items() if key in (a, b))
            reached = candidates.reach(groups, key, budget)
            assert sorted(reached, key=reached.__getitem__) == [other for _, other in mine], (key, budget)


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
