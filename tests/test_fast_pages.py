"""The shortcuts that make pages fast give what the plain way gives.

benchmarks/pages.py measures them; these tests hold each one to its plain
equivalent: the hint words against the roles' patterns, one_line against the
regular expressions it replaced, the heap of best pairs against sorting them
all, a one-off build against a watcher's memo, and the cycle collector left as
it was found.
"""

from __future__ import annotations

import gc
import re
import shutil
import sys
from dataclasses import replace
from datetime import date, timedelta

import pytest
from conftest import REPO

from vaultkit.index.vault import load_vault
from vaultkit.pages.memo import Memo, logbook_of
from vaultkit.pages.render import Renderer, one_line
from vaultkit.pages.views import build_pages, iter_pages
from vaultkit.rules import matchmaking
from vaultkit.rules import reminders as rules
from vaultkit.settings import load_settings

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

TODAY = date(2026, 12, 1)

# A phrase for each alternative of each role's log pattern, in several cases.
ROLE_PHRASES = [
    "We are hiring", "they hire juniors", "RECRUITING now", "two openings", "an opening",
    "a vacancy", "vacancies in Leeds",
    "looking for a new role", "Looking for his next senior backend job", "looking for opportunities",
    "job hunting", "job-seeking", "jobsearch", "open to new work", "Open to roles", "between jobs",
    "laid off", "made redundant", "thinking about leaving", "considering a move", "planning on a change",
    "raising a seed", "raising their series b", "raising round", "pre-seed round", "Series A round",
    "fundraising", "fundraise",
    "invests in climate", "investing in robotics", "writing angel cheques", "writing checks",
    "looking for a mentor", "wants a mentor", "NEEDS A MENTOR",
]  # fmt: skip


@pytest.mark.parametrize("phrase", ROLE_PHRASES)
def test_every_line_a_role_pattern_finds_has_a_hint_word(phrase):
    for text in (phrase, phrase.upper(), phrase.title(), f"Coffee; {phrase}. Then lunch."):
        assert any(role.log_re.search(text) for role in matchmaking.WORDED), text
        assert matchmaking.HINTS.search(text), text


@pytest.mark.parametrize(
    "text",
    ["", "Lunch.", "We are HIRING", "HİRİNG", "hıring", "fundraiſing", "İnvests", "Kelvin \u212aind", "café job"],
)
def test_the_quick_hint_search_is_the_hint_pattern(text):
    """Ignoring case, Python's patterns match "ı", "İ" and "ſ" to "i" and "s"; lower() does not."""
    assert matchmaking._has_hint(text) == bool(matchmaking.HINTS.search(text))


def test_the_hint_words_are_in_the_patterns_they_stand_for():
    """Each role's hints are words of its pattern, so they are kept up to date together."""
    for role in matchmaking.WORDED:
        assert role.hints
        for word in role.hints:
            assert word in role.log_re.pattern.replace("(?:", "").replace("\\", ""), (role.name, word)


def old_one_line(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip()
    return re.sub(r"^\[.\]\s*", "", text)


@pytest.mark.parametrize(
    "text",
    [
        "", " ", "plain", "  two  spaces\tand tab\n", "[x] done", "[ ]   open", "[x]", "[[Ada]] met",
        "a\u00a0b\u2003c\u3000d", "\u2028line\u2029sep\x1c\x1d\x1e\x1f", "\u200bzero width", "[é] accent",
        "x [x] inside", 42,
    ],
)  # fmt: skip
def test_one_line_is_the_regular_expressions_it_replaced(text):
    assert one_line(text) == old_one_line(text)


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    """A generated vault of 600 people, with people who share a file name in two folders."""
    root = tmp_path_factory.mktemp("network") / "vault"
    generate(600, root, seed=5)
    notes = sorted((root / "people").glob("*.md"))
    (root / "people" / "again").mkdir()
    for n, note in enumerate(notes[::40]):  # the same key twice: the last one read counts
        text = note.read_text(encoding="utf-8")
        if n % 2:
            text = text.replace("---\n", "---\ntags: [hiring, rust, chess]\n", 1) if "tags:" not in text else text
        shutil.copy(note, root / "people" / "again" / note.name)
        (root / "people" / "again" / note.name).write_text(text, encoding="utf-8")
    return load_vault(load_settings(root))


def test_the_best_pairs_are_the_top_of_all_pairs_sorted(network):
    everything = matchmaking.suggestions(network, TODAY)
    assert len(everything) > 100
    shown = matchmaking.top(everything)
    assert matchmaking.best(network, TODAY) == (shown, len(everything) - len(shown))
    assert matchmaking.best(network, TODAY, limit=3, per_person=1) == (
        matchmaking.top(everything, 3, 1),
        len(everything) - len(matchmaking.top(everything, 3, 1)),
    )
    for person in network.people[::50]:
        assert matchmaking.best_for(network, TODAY, person) == matchmaking.for_person(everything, person)


def test_known_pairs_among_some_people_are_those_among_everyone(network):
    everyone = matchmaking.linked_pairs(network)
    among = {p.key for p in network.people[::3]}
    some = matchmaking.linked_pairs(network, among)
    assert len(everyone) > 50
    assert {p for p in some if set(p) <= among} == {p for p in everyone if set(p) <= among}


def test_a_one_off_build_makes_the_pages_a_watchers_memo_makes(network):
    renderer = Renderer(network.settings)
    memo = Memo()
    once = build_pages(network, TODAY, renderer)
    assert build_pages(network, TODAY, renderer, memo) == once
    assert build_pages(network, TODAY, renderer, memo) == once  # the memo's second build reuses its work
    assert memo.rendered == []


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(network, enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        build_pages(network, TODAY, Renderer(network.settings))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_a_watcher_that_stops_early_is_not_left_without_the_collector(network):
    """A watcher takes pages one by one and may stop, or keep the generator in an error."""
    assert gc.isenabled()
    pages = iter_pages(network, TODAY, Renderer(network.settings))
    assert next(pages)[0] == "Reminders.md"
    assert gc.isenabled()
    kept = pages  # as a traceback would keep it: not closed
    assert gc.isenabled() and kept is pages


@pytest.mark.parametrize("today", [TODAY, date(2026, 4, 20), date(2031, 1, 1)])
def test_the_logbook_reads_each_persons_lines_as_the_rules_do(network, today):
    logbook = logbook_of(network, today)
    since = today - timedelta(days=matchmaking.RECENT_DAYS)
    favour = frozenset(network.settings.thanks_tags)
    for person in network.people:
        lines = person.interactions
        assert logbook.latest(person) == max((i.when for i in lines if i.when <= today), default=None)
        assert list(logbook.recent(person)) == [i for i in lines if since <= i.when <= today]
        assert logbook.has_favour(person) == any(not favour.isdisjoint(i.tags) for i in lines)
        assert logbook.has_intro(person) == any("intro" in i.tags for i in lines)
    assert rules.standings(network, today, logbook) == rules.standings(network, today)
    assert rules.thanks_owed(network, today, logbook) == rules.thanks_owed(network, today)
    assert rules.intros_to_follow(network, today, logbook) == rules.intros_to_follow(network, today)
    assert matchmaking.best(network, today, logbook=logbook) == matchmaking.best(network, today)
    assert sum(map(logbook.has_favour, network.people)) > 10  # the generated vault has favours
    assert sum(map(logbook.has_intro, network.people)) > 10


def test_a_logbook_reads_a_record_it_was_not_made_with(network):
    logbook = logbook_of(network, TODAY)
    person = max(network.people, key=lambda p: len(p.interactions))
    later = replace(person, interactions=person.interactions[:1])  # the same person, edited since
    assert logbook.latest(later) == max((i.when for i in later.interactions if i.when <= TODAY), default=None)
    assert logbook.latest(replace(person, interactions=())) is None


def test_a_logbook_of_another_day_is_not_used_for_matchmaking(network):
    other = logbook_of(network, date(2026, 4, 20))
    assert matchmaking.best(network, TODAY, logbook=other) == matchmaking.best(network, TODAY)
