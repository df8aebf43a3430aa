"""Introductions to make: pairs of people who would gain from knowing each other.

Pure functions of (index, today), like reminders.py. A pair is suggested when
the two are both active, neither opted out, they are not yet linked in any
note, and either their roles complement each other (one hiring and one looking
for work; a founder and an investor; a mentor and someone who wants one) or
they share enough uncommon interests. Every rule and weight is in this module
and in docs/introductions.md.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from itertools import combinations
from operator import itemgetter
from typing import Any

from vaultkit.index.logbook import Logbook
from vaultkit.index.vault import Index
from vaultkit.model import Interaction, Person, link_shape
from vaultkit.read.body import LINK_RE, TAG_RE
from vaultkit.rules import candidates
from vaultkit.rules.candidates import Group
from vaultkit.rules.reminders import is_active

RECENT_DAYS = 180  # a log line older than this says nothing about what someone needs now
PAGE_LIMIT = 10  # the page lists the ten best pairs...
PER_PERSON = 3  # ...with nobody in more than three of them
CARD_LIMIT = 5  # `vaultkit show` lists a person's five best
MIN_SHARED = 4  # points of shared topics a pair needs without complementary roles...
DISTINCTIVE = 3  # ...one of them a topic of this weight: held by at most an eighth of the people
NAMED_BONUS = 4  # the hiring line names what the other person does
MAX_CANDIDATES = 30_000  # pairs scored at most; a network of thousands offers millions


@dataclass(frozen=True)
class Signal:
    """Why we think someone is hiring, looking, a founder, ...: a tag, their role or a log line."""

    evidence: str  # "#hiring", "Technical Recruiter", or a quoted clause of a log line
    when: date | None = None  # the log line's date


@dataclass(frozen=True)
class Role:
    """One side of a complementary pair, and how to find it in a note."""

    name: str
    tags: frozenset[str]
    role_re: re.Pattern[str] | None  # matched against the `role` key
    log_re: re.Pattern[str] | None  # matched against recent log lines
    says: str  # "{name} is hiring"
    # Words of which every match of log_re holds one (any case): a line with none of any
    # role's is not searched with each log_re (most lines). Keep them beside log_re.
    hints: tuple[str, ...] = ()


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


ROLES = {
    "hiring": Role(
        "hiring",
        frozenset({"hiring", "recruiter", "recruiting"}),
        _re(r"\brecruit\w*|\btalent\b"),
        _re(r"\b(?:hiring|hire|recruiting|openings?|vacanc(?:y|ies))\b"),
        "is hiring",
        ("hir", "recruiting", "opening", "vacanc"),
    ),
    "seeking": Role(
        "seeking",
        frozenset({"job-seeker", "jobseeker", "looking", "open-to-work", "job-hunting", "seeking"}),
        None,
        _re(
            r"\blooking for (?:a |an |his |her |their |my )?(?:new |next )?(?:[\w-]+ ){0,3}?"
            r"(?:role|job|position|work|opportunit\w*)\b|\bjob[- ]?(?:hunting|seeking|search)\b"
            r"|\bopen to (?:new )?(?:work|roles|opportunities)\b|\bbetween jobs\b|\blaid off\b"
            r"|\bmade redundant\b"
            r"|\b(?:thinking about|considering|planning on) (?:leaving|a move|a change)\b"
        ),
        "is looking for work",
        ("looking", "job", "open", "laid", "redundant", "leaving", "move", "change"),
    ),
    "founder": Role(
        "founder",
        frozenset({"founder", "co-founder", "cofounder"}),
        _re(r"\b(?:co-?)?founder\b"),
        _re(
            r"\braising (?:a |an |his |her |their |our )?(?:pre-seed|seed|series [a-d]|round)\b"
            r"|\b(?:pre-seed|seed|series [a-d]) round\b|\bfundrais\w*"
        ),
        "is a founder",
        ("raising", "round", "fundrais"),
    ),
    "investor": Role(
        "investor",
        frozenset({"investor", "angel", "vc", "venture-capital", "angel-investor"}),
        _re(r"\binvestor\b|\bangel\b|\bventure\b|\bvc\b"),
        _re(r"\binvests\b|\binvesting in\b|\bwriting (?:\w+ )?(?:cheques|checks)\b"),
        "invests",
        ("invest", "writing"),
    ),
    "mentor": Role("mentor", frozenset({"mentor"}), None, None, "mentors"),
    "mentee": Role(
        "mentee",
        frozenset({"mentee", "looking-for-mentor"}),
        None,
        _re(r"\b(?:looking for|wants|needs) a mentor\b"),
        "wants a mentor",
        ("mentor",),
    ),
}

# (giver, taker, points): the first side has what the second needs.
COMPLEMENTS = (("hiring", "seeking", 10), ("founder", "investor", 8), ("mentor", "mentee", 6))

WORDED = tuple(role for role in ROLES.values() if role.log_re)  # roles a log line can say in words
# Same flags as the roles' patterns, so that a hint's letters match as theirs do.
HINTS = _re("|".join(re.escape(word) for role in WORDED for word in role.hints))
HINTS_LOWER = re.compile(HINTS.pattern)  # the same, on lower-cased text: several times faster


def _has_hint(text: str) -> bool:
    """HINTS.search(text), quickly. Ignoring case, Python's patterns also match "ı", "İ" and
    "ſ" to "i" and "s", which lower() leaves as they are: text beyond ASCII is searched as is."""
    return bool(HINTS_LOWER.search(text.lower()) or (not text.isascii() and HINTS.search(text)))

# Role words say what someone does, not what they share with others: two people
# both tagged #hiring have nothing to give each other, so they are not topics.
ROLE_TAGS = frozenset(t for role in ROLES.values() for t in role.tags)


@dataclass(frozen=True)
class Profile:
    """What matchmaking knows of one person: roles with evidence, topics, who they know."""

    person: Person
    roles: dict[str, Signal]
    topics: frozenset[str]

    @cached_property  # read only when the other one of a pair is hiring
    def does(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """Their role and interests, as word stems."""
        return tuple(
            (phrase, stems)
            for phrase in (self.person.role, *self.person.interests)
            if (stems := _stems(phrase, STOP_WORDS))
        )

    @cached_property
    def hiring_words(self) -> frozenset[str]:
        """Stems of the hiring log line, if any."""
        hiring = self.roles.get("hiring")
        return _stems(hiring.evidence) if hiring and hiring.when else frozenset()


@dataclass(frozen=True)
class Match:
    """A suggested introduction: `a` and `b`, how strong the case is, and why in one line."""

    a: Person  # for complementary roles, the one who gives: hiring, founder, mentor
    b: Person
    score: int
    kind: str  # "hiring" | "founder" | "mentor" | "shared"
    common: tuple[str, ...]  # shared topics, strongest first
    evidence: tuple[str, str] = ("", "")  # why we think a and b hold their roles
    named: str = ""  # b's role or interest that a's hiring line names

    def other(self, person: Person) -> Person:
        return self.b if self.a.key == person.key else self.a

    @property
    def reason(self) -> str:
        """Why, in one line; made when shown, since a large network has many pairs."""
        shown = _shown_topics(self.common, self.a, self.b)
        if self.kind == "shared":
            return f"Both into {_join(shown)}."
        taker_role = next(t for g, t, _ in COMPLEMENTS if g == self.kind)
        text = (
            f"{_first(self.a)} {ROLES[self.kind].says} ({self.evidence[0]}); "
            f"{_first(self.b)} {ROLES[taker_role].says} ({self.evidence[1]})"
        )
        if self.named:
            what = "role" if self.named == self.b.role else "interest"
            text += f"; the opening matches {_first(self.b)}'s {what} ({self.named})"
        if shown:
            text += f"; both into {_join(shown)}"
        return text + "."


def opted_out(index: Index, person: Person) -> bool:
    return bool(set(index.settings.intro_opt_out_tags) & set(person.tags))


def suggestions(index: Index, today: date, budget: int = MAX_CANDIDATES) -> list[Match]:
    """Every pair worth introducing, best first; ties by the two names. `budget`: how many
    candidate pairs are scored at most."""
    network = _Network(index, today)
    cases = network.cases(budget)
    cases.sort()
    return [network.match(case) for case in cases]


def best(
    index: Index, today: date, limit: int = PAGE_LIMIT, per_person: int = PER_PERSON, logbook: Logbook | None = None
) -> tuple[list[Match], int]:
    """`top(suggestions(index, today))` and how many pairs that leaves out.

    Only the pairs the page shows become a Match: a large network has tens of
    thousands of pairs, and sorting all of them to show ten is most of the work.
    `logbook`: everyone's lines read once (see logbook.py), if the caller has it.
    """
    network = _Network(index, today, logbook)
    cases = network.cases()
    total = len(cases)
    heapq.heapify(cases)
    chosen = top((network.match(heapq.heappop(cases)) for _ in range(total)), limit, per_person)
    return chosen, total - len(chosen)


def best_for(
    index: Index, today: date, person: Person, limit: int = CARD_LIMIT, budget: int = MAX_CANDIDATES
) -> list[Match]:
    """`for_person(suggestions(index, today, budget), person)`, scoring that person's pairs only."""
    return best_in(_Network(index, today), person.key, limit, budget)


def best_in(network: _Network, key: str, limit: int = CARD_LIMIT, budget: int = MAX_CANDIDATES) -> list[Match]:
    """best_for the person of this key, in a network made from the index or from rows."""
    return [network.match(case) for case in heapq.nsmallest(limit, network.cases_of(key, budget))]


def best_of_everyone(network: _Network, limit: int = CARD_LIMIT, budget: int = MAX_CANDIDATES) -> dict[str, list[Case]]:
    """best_in for every person of the network at once: each key's first `limit` cases of
    all the network's, best first (for_person(suggestions(...)) of each). The cases are
    scored once for everyone, not once per person."""
    cases = network.cases(budget)
    cases.sort()
    found: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        for key in (case[4], case[5]):
            mine = found[key]
            if len(mine) < limit:
                mine.append(case)
    return dict(found)


def network_of(facts: Iterable[Facts], known: Callable[[Container[str], str | None], set[tuple[str, str]]],
               person_of: Callable[[Any], Person]) -> _Network:  # fmt: skip
    """The network of a day made from what each person's derived row says (see _Network.of)."""
    return _Network.of(facts, known, person_of)


# A pair worth introducing, as the pairs are ranked before any is shown: (-score, first
# name, second name (case-folded, in order), place among the candidates, key, key (in
# order), shared topics, the complementary roles (see _Network.complement) or None). The
# place is unique, so two cases never compare beyond it, and ties keep the candidates'
# order, as a stable sort would. (_Network.cases_of gives numbers in the places' order.)
Case = tuple[int, str, str, int, str, str, frozenset[str], "tuple[int, str, str, str, str] | None"]
# What scoring a pair reads of one person: key, topics, company and name case-folded, and
# the sides of COMPLEMENTS they can take (bits: giver's, taker's).
Info = tuple[str, frozenset[str], str, str, int, int]


# What the network reads of one person (active, not opted out) on a day: key, the person (or
# what `_Network.person_of` makes them from), topics, roles, company and name case-folded
Facts = tuple[str, Any, frozenset[str], dict[str, "Signal"], str, str]


class _Network:
    """The people matchmaking considers on a day (active, not opted out), each read once."""

    def __init__(self, index: Index, today: date, logbook: Logbook | None = None) -> None:
        start = today - timedelta(days=RECENT_DAYS)
        if logbook is not None and (logbook.today, logbook.since) != (today, start):
            logbook = None  # read for another day or window: read the lines here
        opt_out = frozenset(index.settings.intro_opt_out_tags)
        facts = (
            (p.key, p, topics_of(p), _roles_of(p, start, today, logbook), p.company.casefold(), p.name.casefold())
            for p in index.people
            if is_active(p, today) and opt_out.isdisjoint(p.tags)
        )
        self._gather(facts, lambda among, of: linked_pairs(index, among, of=of))

    @classmethod
    def of(cls, facts: Iterable[Facts], known: Callable[[Container[str], str | None], set[tuple[str, str]]],
           person_of: Callable[[Any], Person]) -> _Network:  # fmt: skip
        """The network of these people, in the index's order (each person's derived row gives
        theirs: rules/rows.py); `known`: linked_pairs(index, among, of=of); `person_of`: the
        Person of what the facts hold in its place."""
        network = cls.__new__(cls)
        network._gather(facts, known)
        network.person_of = person_of  # type: ignore[method-assign]
        return network

    def _gather(self, facts: Iterable[Facts], known: Callable[[Container[str], str | None], set[tuple[str, str]]]) -> None:
        self.known = known
        # By key, as a dict keeps them: the first one's place, the last one's record (two
        # notes in different folders may have the same file name).
        self.people: dict[str, Any] = {}
        self.topics: dict[str, frozenset[str]] = {}  # of those with a topic
        self.roles: dict[str, dict[str, Signal]] = {}  # of those with a role
        self.info: dict[str, Info] = {}  # of those with either, what scoring a pair reads
        for key, person, topics, roles, company, name in facts:
            self.people[key] = person
            # The last one with a key counts: one with none undoes an earlier one's.
            if topics:
                self.topics[key] = topics
            elif key in self.topics:
                del self.topics[key]
            if roles:
                self.roles[key] = roles
            elif key in self.roles:
                del self.roles[key]
            if topics or roles:
                self.info[key] = (key, topics, company, name, *_sides(roles))
            elif key in self.info:
                del self.info[key]
        self.profiles: dict[str, Profile] = {}
        self.stats = Topics({}, {})

    @staticmethod
    def person_of(held: Any) -> Person:
        return held

    def profile(self, key: str) -> Profile:
        known = self.profiles.get(key)
        if known is None:
            known = self.profiles[key] = Profile(
                self.person_of(self.people[key]), self.roles.get(key, NO_ROLES), self.topics.get(key, frozenset())
            )
        return known

    def groups(self) -> list[Group]:
        """The groups of people whose pairs may be worth introducing, in the order they are
        walked; sets self.stats."""
        topics_by, roles_by = self.topics, self.roles
        by_topic: dict[str, list[str]] = defaultdict(list)
        by_role: dict[str, list[str]] = defaultdict(list)
        for key in self.people:
            for topic in topics_by.get(key, ()):
                by_topic[topic].append(key)
            for role in roles_by.get(key, ()):
                by_role[role].append(key)
        self.stats = stats = topic_stats({topic: len(keys) for topic, keys in by_topic.items()}, len(self.people))
        # Only pairs that share a distinctive topic, or hold complementary roles and
        # share any topic (or the hiring line names the other), can be suggested;
        # finding them through these groups, not by scoring every pair, keeps a
        # network of thousands fast (benchmarks/introductions.py). A large network
        # still offers millions, so groups are taken smallest first (the rarest
        # topics say the most about a pair) until MAX_CANDIDATES pairs are found;
        # a vault of hundreds never comes near that.
        groups: list[Group] = [
            (len(keys) * (len(keys) - 1) // 2, f"topic {topic}", keys, keys)
            for topic, keys in by_topic.items()
            if topic in stats.distinct
        ]
        for giver, taker, _ in COMPLEMENTS:
            givers, takers = set(by_role[giver]), set(by_role[taker])
            if not givers or not takers:
                continue
            for topic, keys in by_topic.items():
                left = [k for k in keys if k in givers]
                right = [k for k in keys if k in takers]
                if left and right:
                    groups.append((len(left) * len(right), f"{giver} {topic}", left, right))
            if giver == "hiring":  # a hiring line may name what the other does, topic or not
                left, right = by_role[giver], by_role[taker]
                groups.append((len(left) * len(right), "hiring named", left, right))
        return sorted(groups, key=lambda g: (g[0], g[1]))

    def cases(self, budget: int = MAX_CANDIDATES) -> list[Case]:
        """Every pair worth introducing among the first `budget` candidates, unsorted."""
        groups = self.groups()
        info = self.info
        score = self.scorer(self.known(info, None))
        # Each candidate is scored as it is found, in the order found. This loop runs for up
        # to 30,000 pairs: each person's part is read once, as a tuple (self.info).
        seen: set[tuple[str, str]] = set()
        found: list[Case] = []
        count = 0
        for _, _, left, right in groups:
            if count >= budget:
                break
            lefts = [info[k] for k in left]
            if left is right:
                pairs: Iterable = combinations(lefts, 2)
            else:
                rights = [info[k] for k in right]
                pairs = ((a, b) for a in lefts for b in rights if a[0] != b[0])
            for a, b in pairs:
                if b[0] < a[0]:
                    a, b = b, a
                pair = (a[0], b[0])
                if pair in seen:
                    continue
                if count >= budget:
                    break
                seen.add(pair)
                case = score(a, b, pair, count)
                count += 1
                if case is not None:
                    found.append(case)
        return found

    def cases_of(self, key: str, budget: int = MAX_CANDIDATES) -> list[Case]:
        """The cases of cases(budget) that involve `key`, scoring only theirs: candidates.py
        finds which of their pairs the walk reaches, and numbers that order them as the
        places do (the places themselves are not worked out)."""
        reached = candidates.reach(self.groups(), key, budget)
        if not reached:
            return []
        info = self.info
        score = self.scorer(self.known(info, key))
        found = []
        for other, place in reached.items():
            a, b = (info[key], info[other]) if key < other else (info[other], info[key])
            case = score(a, b, (a[0], b[0]), place)
            if case is not None:
                found.append(case)
        return found

    def scorer(self, known: set[tuple[str, str]]) -> Callable[[Info, Info, tuple[str, str], int], Case | None]:
        """`score(a, b, pair, place)`: the case of a candidate pair (a's key first, `pair`
        their keys) met at `place`, or None if it is not worth introducing; `known`: the
        pairs who know each other (linked_pairs), of all or of those asked about."""
        stats = self.stats
        weight, distinct = stats.weight.__getitem__, stats.distinct
        complement = self.complement

        def score(a: Info, b: Info, pair: tuple[str, str], place: int) -> Case | None:
            if pair in known:
                return None
            if a[2] and a[2] == b[2]:
                return None  # colleagues know each other
            common = a[1] & b[1]
            shared = sum(map(weight, common))
            roles = complement(a[0], b[0], common) if a[4] & b[5] or b[4] & a[5] else None
            if roles is None:
                if shared < MIN_SHARED or common.isdisjoint(distinct):
                    return None
                score = shared
            else:
                score = roles[0] + shared
            if a[3] <= b[3]:
                return (-score, a[3], b[3], place, a[0], b[0], common, roles)
            return (-score, b[3], a[3], place, a[0], b[0], common, roles)

        return score

    def complement(self, x: str, y: str, common: frozenset[str]) -> tuple[int, str, str, str, str] | None:
        """The strongest complementary roles of x and y: (points, giver, taker, the giver's
        role, what the hiring line names), or None."""
        best: tuple[int, str, str, str, str] | None = None
        for giver_role, taker_role, points in COMPLEMENTS:
            for giver, taker in ((x, y), (y, x)):
                if giver_role in self.roles[giver] and taker_role in self.roles[taker]:
                    named = names_them(self.profile(giver), self.profile(taker)) if giver_role == "hiring" else ""
                    if not common and not named:
                        continue  # a hiring manager for nurses and a job-seeking engineer
                    total = points + (NAMED_BONUS if named else 0)
                    if best is None or total > best[0]:
                        best = (total, giver, taker, giver_role, named)
        return best

    def match(self, case: Case) -> Match:
        """The Match a case stands for."""
        a, b, *rest = self.parts(case)
        return Match(self.person_of(a), self.person_of(b), *rest)

    def parts(self, case: Case) -> tuple[Any, Any, int, str, tuple[str, ...], tuple[str, str], str]:
        """The fields of the Match a case stands for, with what the network holds in each
        person's place (the person, or their place in the rows: see person_of)."""
        score, _, _, _, x, y, common_set, roles = case
        weight = self.stats.weight
        common = tuple(sorted(common_set, key=lambda t: (-weight[t], t)))
        if roles is not None:
            _, giver, taker, kind, named = roles
            taker_role = next(t for g, t, _ in COMPLEMENTS if g == kind)
            evidence = (self.roles[giver][kind].evidence, self.roles[taker][taker_role].evidence)
            return self.people[giver], self.people[taker], -score, kind, common, evidence, named
        # by name (info's, as each one's facts gave it: Person.name case-folded), x first on a tie
        first, second = (x, y) if self.info[x][3] <= self.info[y][3] else (y, x)
        return self.people[first], self.people[second], -score, "shared", common, ("", ""), ""


def top(matches: Iterable[Match], limit: int = PAGE_LIMIT, per_person: int = PER_PERSON) -> list[Match]:
    """The best `limit` pairs, nobody in more than `per_person` of them: a page of varied work."""
    chosen: list[Match] = []
    count: dict[str, int] = defaultdict(int)
    for match in matches:
        if count[match.a.key] >= per_person or count[match.b.key] >= per_person:
            continue
        chosen.append(match)
        count[match.a.key] += 1
        count[match.b.key] += 1
        if len(chosen) == limit:
            break
    return chosen


def for_person(matches: list[Match], person: Person, limit: int = CARD_LIMIT) -> list[Match]:
    return [m for m in matches if person.key in (m.a.key, m.b.key)][:limit]


def _pair(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x < y else (y, x)


def profile(person: Person, today: date) -> Profile:
    return Profile(person, _roles_of(person, today - timedelta(days=RECENT_DAYS), today), topics_of(person))


NO_ROLES: dict[str, Signal] = {}  # shared by the many who hold none; never changed


def reads_of(person: Person, start: date, today: date) -> tuple:
    """All that matchmaking reads of one person's record: their profile, their links (what
    linked_pairs reads of them: model.link_shape), and what their lines from `start` to
    `today` say of a role (a line that says none changes nothing, rules/cards.py keeps only
    the others). Two records with the same answer give
    every pair the same case, and the built-in Introductions.md.j2 the same text
    (pages/memo.py reuses the last matches on it, commands/build.py the last page)."""
    said = tuple((i.when, found) for i in person.interactions if start <= i.when <= today and (found := line_roles(i)))
    return (
        person.key, person.name, person.path, person.aliases, person.company, person.role, person.tags,
        person.interests, person.groups, person.status, person.snooze_until, link_shape(person.links), said,
    )  # fmt: skip


def topics_of(person: Person) -> frozenset[str]:
    """Their topics, role words left out."""
    if not (person.tags or person.interests or person.groups):
        return frozenset()  # many people: not even Person.topics to work out
    topics = person.topics
    return topics if ROLE_TAGS.isdisjoint(topics) else topics - ROLE_TAGS


def _sides(roles: dict[str, Signal]) -> tuple[int, int]:
    """The sides of COMPLEMENTS one with these roles can take, as bits: (giver's, taker's)."""
    if not roles:
        return 0, 0
    gives = sum(1 << n for n, (giver, _, _) in enumerate(COMPLEMENTS) if giver in roles)
    takes = sum(1 << n for n, (_, taker, _) in enumerate(COMPLEMENTS) if taker in roles)
    return gives, takes


def _roles_of(person: Person, start: date, today: date, logbook: Logbook | None = None) -> dict[str, Signal]:
    """The roles they hold, by the log lines from `start` to `today`, their role key and tags."""
    if logbook is not None:
        recent: Sequence[Interaction] = logbook.recent(person)
    else:
        recent = [i for i in person.interactions if start <= i.when <= today] if person.interactions else ()
    return roles_from(person.role, person.tags, recent)


def roles_from(role_key: str, tags: tuple[str, ...], recent: Sequence[Interaction]) -> dict[str, Signal]:
    """_roles_of, from a person's `role` key, tags and recent lines."""
    return roles_said(role_key, tags, [(line.when, line_roles(line)) for line in reversed(recent)])


def roles_said(role_key: str, tags: tuple[str, ...], said: Sequence[tuple[date, tuple[Said, ...]]]) -> dict[str, Signal]:
    """roles_from, given what the recent lines say (the latest first; lines that say no role
    may be left out: each person's derived card keeps only the others, rules/cards.py)."""
    if not said:  # what their `role` key and tags say: the same for many, so made once each
        return _standing_roles(role_key, tuple(t for t in tags if t in ROLE_TAGS)) if role_key or tags else NO_ROLES
    keyed = _roles_named(role_key) if role_key else ()
    return _roles(role_key, tags, said, keyed, not ROLE_TAGS.isdisjoint(tags))


@lru_cache(maxsize=4096)
def _standing_roles(role_key: str, role_tags: tuple[str, ...]) -> dict[str, Signal]:
    """The roles of one with no recent line that says any: their `role` key's, and their
    role tags' (in their order). Shared by everyone with the same; never changed."""
    keyed = _roles_named(role_key) if role_key else ()
    # Most people have no role key that names a role and no role tag.
    return _roles(role_key, role_tags, (), keyed, bool(role_tags)) if keyed or role_tags else NO_ROLES


@lru_cache(maxsize=4096)  # a network has many people and few role titles
def _roles_named(title: str) -> tuple[str, ...]:
    """The roles a `role` key says: ("hiring",) for "Technical Recruiter"."""
    return tuple(role.name for role in ROLES.values() if role.role_re and role.role_re.search(title))


# What one log line says of a role: (the role, said in words (or by a tag)?, the line as
# prose, where the words start)
Said = tuple[str, bool, str, int]


def line_roles(line: Interaction) -> tuple[Said, ...]:
    """Every role the line says: in words (a role's pattern in its prose), or by a role tag
    on a line with text. () for most lines."""
    text = plain(line.text)
    found: list[Said] = []
    if _has_hint(text):
        for role in WORDED:
            if match := role.log_re.search(text):  # type: ignore[union-attr]
                found.append((role.name, True, text, match.start()))
    if text and not ROLE_TAGS.isdisjoint(line.tags):
        found.extend((role.name, False, text, 0) for role in ROLES.values() if not role.tags.isdisjoint(line.tags))
    return tuple(found)


def _roles(role_key: str, tags: tuple[str, ...], said: Iterable[tuple[date, tuple[Said, ...]]], keyed: tuple[str, ...], tagged: bool) -> dict[str, Signal]:
    """Each role's best evidence, in this order: a recent log line saying it in words, a
    recent log line tagged with it (the latest of each), the `role` key (`keyed`: the roles
    it says), a tag (`tagged`: the person has a role tag). `said`: the day and line_roles of
    each recent line, the latest first."""
    in_words: dict[str, tuple[date, str, int]] = {}
    by_tag: dict[str, tuple[date, str, int]] = {}
    for when, found in said:
        for name, worded, text, at in found:
            (in_words if worded else by_tag).setdefault(name, (when, text, at))
    if not (in_words or by_tag or keyed or tagged):
        return NO_ROLES  # recent lines, none of them about a role: most who have any
    roles = {}
    for name, role in ROLES.items():
        if name in in_words or name in by_tag:
            when, text, at = in_words.get(name) or by_tag[name]
            roles[name] = Signal(f"“{_clause(text, at)}”, {when}", when)
        elif name in keyed:
            roles[name] = Signal(role_key)
        elif tagged and (tag := next((t for t in tags if t in role.tags), None)):
            roles[name] = Signal(f"#{tag}")
    return roles


def plain(text: str) -> str:
    """A log line as prose: links by their label, no hashtags, spaces collapsed."""
    if "[[" in text:  # the patterns need these: most lines have neither
        text = LINK_RE.sub(lambda m: (m.group(2) or m.group(1)).strip(), text)
    if "#" in text:
        text = TAG_RE.sub("", text)
    return " ".join(text.split()).strip()


CLAUSE_SPLIT = re.compile(r"(?<=[.;:!?])\s+|\s+[—–]\s+")
CLAUSE_MAX = 70


def _clause(text: str, at: int) -> str:
    """The clause of `text` around position `at`, without end punctuation, at most 70 characters."""
    start = 0
    for part in CLAUSE_SPLIT.finditer(text):
        if part.start() >= at:
            end = part.start()
            break
        start = part.end()
    else:
        end = len(text)
    clause = text[start:end].strip().rstrip(".;:!?,")
    if len(clause) > CLAUSE_MAX:
        clause = clause[: CLAUSE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return clause


@dataclass(frozen=True)
class Topics:
    """How many people hold each topic, and what sharing it is worth."""

    holders: dict[str, int]
    weight: dict[str, int]

    def distinctive(self, topic: str) -> bool:
        """A topic that says something about a pair: rare enough, or theirs alone."""
        return self.weight[topic] >= DISTINCTIVE or self.holders[topic] <= 2

    @cached_property
    def distinct(self) -> frozenset[str]:
        """The distinctive topics."""
        return frozenset(t for t in self.holders if self.distinctive(t))


def topic_stats(holders: dict[str, int], people: int) -> Topics:
    """A shared topic is worth more the fewer hold it: floor(log2(people / holders)), at least 1."""
    return Topics(holders, {t: max(1, int(math.log2(people / n))) for t, n in holders.items()})


def linked_pairs(index: Index, among: Container[str] | None = None, of: str | None = None) -> set[tuple[str, str]]:
    """Pairs who already know each other as far as the notes tell.

    One note links the other (in its body or its front matter, such as
    `introduced_by`), or one line of any note's body links both ("Introduced
    [[Ada]] to [[Grace]]"). Attending the same event, or being in one
    resource's `shared_with`, does not count. `among`: the keys of the people
    asked about, if not everyone (the others' own links are not looked at).
    `of`: a key, to have only the pairs with it (only the notes that are
    theirs or link them are looked at).
    """
    known: set[tuple[str, str]] = set()
    lookup = index.lookup
    if of is not None:
        names = frozenset(t for t, p in lookup.items() if p.key == of)  # the link targets that mean them
    for items, own in ((index.people, True), (index.events, False), (index.resources, False)):
        for item in items:
            links = item.links
            mine = own and (among is None or item.key in among)  # its own links count
            if not links or (len(links) == 1 and not mine):
                continue  # most notes: nothing that can make a known pair
            if of is not None and item.key != of and names.isdisjoint(map(_target, links)):
                continue  # a pair of theirs that a note gives has a link to them
            key, several = item.key, len(links) > 1
            lines: dict[int, set[str]] = defaultdict(set)
            for link in links:
                other = lookup.get(link.target)
                if other is None:
                    continue
                linked = other.key
                if mine and linked != key:
                    known.add((key, linked) if key < linked else (linked, key))
                if several and link.text.startswith(("[[", "![[")):
                    lines[link.line].add(linked)
            for keys in lines.values():
                if len(keys) > 1:
                    known.update(combinations(sorted(keys), 2))
    return known if of is None else {pair for pair in known if of in pair}


_target = itemgetter(0)  # Link.target, quickly


def names_them(hiring: Profile, other: Profile) -> str:
    """What of the other's the hiring log line names: their role or an interest; "" if none."""
    if hiring.hiring_words:
        for phrase, stems in other.does:
            if stems <= hiring.hiring_words:
                return phrase
    return ""


STOP_WORDS = frozenset({"a", "an", "and", "the", "of", "for", "in", "at", "to", "formerly"})


def _stems(text: str, skip: frozenset[str] = frozenset()) -> frozenset[str]:
    # A crude stem, hand-written because a stemming library is a heavy dependency for
    # one comparison: "engineers", "engineering" and "engineer" all read "engine".
    return frozenset(w[:6] for w in re.findall(r"\w+", text.lower()) if w not in skip)


def _first(person: Person) -> str:
    """What you call them: a one-word alias (Seun for Oluwaseun Adeyemi), else the first name."""
    short = next((a for a in person.aliases if a and " " not in a), "")
    return short or person.name.split(" ")[0] or person.name


def _shown_topics(common: tuple[str, ...], a: Person, b: Person) -> list[str]:
    """Tags and interests as #tag; a group by its name as written."""
    groups = {g.lower(): g for g in (*b.groups, *a.groups)}
    tags = {t for t in (*a.tags, *a.interests, *b.tags, *b.interests)}
    return [f"#{t}" if t in tags or t not in groups else groups[t] for t in common]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
