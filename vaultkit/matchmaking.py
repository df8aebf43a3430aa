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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from itertools import combinations

from .model import Event, Interaction, Person, Resource
from .records import LINK_RE, TAG_RE
from .reminders import is_active
from .vault import Index

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


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


ROLES = {
    "hiring": Role(
        "hiring",
        frozenset({"hiring", "recruiter", "recruiting"}),
        _re(r"\brecruit\w*|\btalent\b"),
        _re(r"\b(?:hiring|hire|recruiting|openings?|vacanc(?:y|ies))\b"),
        "is hiring",
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
    ),
    "investor": Role(
        "investor",
        frozenset({"investor", "angel", "vc", "venture-capital", "angel-investor"}),
        _re(r"\binvestor\b|\bangel\b|\bventure\b|\bvc\b"),
        _re(r"\binvests\b|\binvesting in\b|\bwriting (?:\w+ )?(?:cheques|checks)\b"),
        "invests",
    ),
    "mentor": Role("mentor", frozenset({"mentor"}), None, None, "mentors"),
    "mentee": Role(
        "mentee",
        frozenset({"mentee", "looking-for-mentor"}),
        None,
        _re(r"\b(?:looking for|wants|needs) a mentor\b"),
        "wants a mentor",
    ),
}

# (giver, taker, points): the first side has what the second needs.
COMPLEMENTS = (("hiring", "seeking", 10), ("founder", "investor", 8), ("mentor", "mentee", 6))

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


def suggestions(index: Index, today: date) -> list[Match]:
    """Every pair worth introducing, best first; ties by the two names."""
    cases = _cases(index, today)
    cases.sort()
    return [_match(case) for case in cases]


def best(index: Index, today: date, limit: int = PAGE_LIMIT, per_person: int = PER_PERSON) -> tuple[list[Match], int]:
    """`top(suggestions(index, today))` and how many pairs that leaves out.

    Only the pairs the page shows become a Match: a large network has tens of
    thousands of pairs, and sorting all of them to show ten is most of the work.
    """
    cases = _cases(index, today)
    total = len(cases)
    heapq.heapify(cases)
    ranked = (_match(heapq.heappop(cases)) for _ in range(total))
    chosen = top(ranked, limit, per_person)
    return chosen, total - len(chosen)


def best_for(index: Index, today: date, person: Person, limit: int = CARD_LIMIT) -> list[Match]:
    """`for_person(suggestions(index, today), person)`, making a Match of that person's pairs only."""
    cases = [case for case in _cases(index, today) if person.key in (case[4].person.key, case[5].person.key)]
    return [_match(case) for case in heapq.nsmallest(limit, cases)]


# A pair worth introducing, as the pairs are ranked before any is shown:
# (-score, first name, second name (case-folded, in order), place among the candidates,
#  profile, profile, shared topics, their points, the complementary roles or None, the
#  topics' weights).
# The place is unique, so two cases never compare beyond it, and ties keep the
# candidates' order, as a stable sort would.
Case = tuple[int, str, str, int, "Profile", "Profile", frozenset[str], int, "tuple | None", dict[str, int]]


def _cases(index: Index, today: date) -> list[Case]:
    """Every pair worth introducing, unsorted."""
    start = today - timedelta(days=RECENT_DAYS)
    opt_out = frozenset(index.settings.intro_opt_out_tags)
    profiles = {
        p.key: _profile(p, start, today) for p in index.people if is_active(p, today) and opt_out.isdisjoint(p.tags)
    }
    topics = topic_stats(profiles.values())
    known = linked_pairs(index)
    by_topic: dict[str, list[str]] = defaultdict(list)
    by_role: dict[str, list[str]] = defaultdict(list)
    for key, prof in profiles.items():
        for topic in prof.topics:
            by_topic[topic].append(key)
        for role in prof.roles:
            by_role[role].append(key)
    # Only pairs that share a distinctive topic, or hold complementary roles and
    # share any topic (or the hiring line names the other), can be suggested;
    # finding them through these groups, not by scoring every pair, keeps a
    # network of thousands fast (benchmarks/introductions.py). A large network
    # still offers millions, so groups are taken smallest first (the rarest
    # topics say the most about a pair) until MAX_CANDIDATES pairs are found;
    # a vault of hundreds never comes near that.
    groups: list[tuple[int, str, list[str], list[str]]] = [
        (len(keys) * (len(keys) - 1) // 2, f"topic {topic}", keys, keys)
        for topic, keys in by_topic.items()
        if topic in topics.distinct
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
    candidates: dict[tuple[str, str], None] = {}
    for _, _, left, right in sorted(groups, key=lambda g: (g[0], g[1])):
        if len(candidates) >= MAX_CANDIDATES:
            break
        pairs = combinations(left, 2) if left is right else ((x, y) for x in left for y in right if x != y)
        for x, y in pairs:
            candidates[(x, y) if x < y else (y, x)] = None
            if len(candidates) >= MAX_CANDIDATES:
                break
    # Loop-invariant lookups as locals: this runs once for each of up to 30,000 pairs.
    found: list[Case] = []
    weight, distinct = topics.weight, topics.distinct
    names = {key: prof.person.name.casefold() for key, prof in profiles.items()}
    companies = {key: prof.person.company.casefold() for key, prof in profiles.items()}
    for place, pair in enumerate(candidates):
        if pair in known:
            continue
        x, y = pair
        company = companies[x]
        if company and company == companies[y]:
            continue  # colleagues know each other
        a, b = profiles[x], profiles[y]
        common = a.topics & b.topics
        shared = sum(map(weight.__getitem__, common))
        roles = _complement(a, b, common) if a.roles and b.roles else None
        if roles is None:
            if shared < MIN_SHARED or common.isdisjoint(distinct):
                continue
            score = shared
        else:
            score = roles[0] + shared
        first, second = names[x], names[y]
        if second < first:
            first, second = second, first
        found.append((-score, first, second, place, a, b, common, shared, roles, weight))
    return found


def _complement(a: Profile, b: Profile, common: frozenset[str]) -> tuple[int, Profile, Profile, str, str] | None:
    """The strongest complementary roles of a and b: (points, giver, taker, giver's role, what
    the hiring line names), or None."""
    best: tuple[int, Profile, Profile, str, str] | None = None
    for giver_role, taker_role, points in COMPLEMENTS:
        for giver, taker in ((a, b), (b, a)):
            if giver_role in giver.roles and taker_role in taker.roles:
                named = names_them(giver, taker) if giver_role == "hiring" else ""
                if not common and not named:
                    continue  # a hiring manager for nurses and a job-seeking engineer
                total = points + (NAMED_BONUS if named else 0)
                if best is None or total > best[0]:
                    best = (total, giver, taker, giver_role, named)
    return best


def _match(case: Case) -> Match:
    """The Match a case stands for."""
    score, _, _, _, a, b, common_set, shared, roles, weight = case
    common = tuple(sorted(common_set, key=lambda t: (-weight[t], t)))
    if roles is not None:
        _, giver, taker, kind, named = roles
        taker_role = next(t for g, t, _ in COMPLEMENTS if g == kind)
        evidence = (giver.roles[kind].evidence, taker.roles[taker_role].evidence)
        return Match(giver.person, taker.person, -score, kind, common, evidence, named)
    first, second = sorted((a.person, b.person), key=lambda p: p.name.casefold())
    return Match(first, second, -score, "shared", common)


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
    return _profile(person, today - timedelta(days=RECENT_DAYS), today)


NO_ROLES: dict[str, Signal] = {}  # shared by the many who hold none; never changed


def _profile(person: Person, start: date, today: date) -> Profile:
    """The profile from the log lines from `start` to `today`."""
    recent = [i for i in person.interactions if start <= i.when <= today]
    roles = NO_ROLES
    keyed = _roles_named(person.role) if person.role else ()
    # Most people have no recent line, no role key that names one and no role tag.
    if recent or keyed or not ROLE_TAGS.isdisjoint(person.tags):
        roles = {}
        texts = [(line, plain(line.text)) for line in reversed(recent)]  # once, not once a role
        for role in ROLES.values():
            if texts or role.name in keyed or not role.tags.isdisjoint(person.tags):
                signal = _signal(person, role, texts, role.name in keyed)
                if signal is not None:
                    roles[role.name] = signal
    topics = person.topics
    return Profile(person, roles, topics if ROLE_TAGS.isdisjoint(topics) else topics - ROLE_TAGS)


@lru_cache(maxsize=4096)  # a network has many people and few role titles
def _roles_named(title: str) -> tuple[str, ...]:
    """The roles a `role` key says: ("hiring",) for "Technical Recruiter"."""
    return tuple(role.name for role in ROLES.values() if role.role_re and role.role_re.search(title))


def _signal(person: Person, role: Role, recent: list[tuple[Interaction, str]], keyed: bool) -> Signal | None:
    """The best evidence for a role, in this order: a recent log line saying it in words,
    a recent log line tagged with it, the `role` key (`keyed`: it says the role), a tag.
    `recent`: the latest first, each line with its plain text."""
    worded = tagged = None
    for line, text in recent:
        found = role.log_re.search(text) if role.log_re else None
        if found and worded is None:
            worded = Signal(f"“{_clause(text, found.start())}”, {line.when}", line.when)
            break  # nothing later can beat a line in words
        elif tagged is None and text and not role.tags.isdisjoint(line.tags):
            tagged = Signal(f"“{_clause(text, 0)}”, {line.when}", line.when)
    if worded or tagged:
        return worded or tagged
    if keyed:
        return Signal(person.role)
    tag = next((t for t in person.tags if t in role.tags), None)
    return Signal(f"#{tag}") if tag else None


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


def topic_stats(profiles) -> Topics:
    """A shared topic is worth more the fewer hold it: floor(log2(people / holders)), at least 1."""
    profiles = list(profiles)
    holders: dict[str, int] = defaultdict(int)
    for prof in profiles:
        for topic in prof.topics:
            holders[topic] += 1
    total = len(profiles)
    return Topics(dict(holders), {t: max(1, int(math.log2(total / n))) for t, n in holders.items()})


def linked_pairs(index: Index) -> set[tuple[str, str]]:
    """Pairs who already know each other as far as the notes tell.

    One note links the other (in its body or its front matter, such as
    `introduced_by`), or one line of any note's body links both ("Introduced
    [[Ada]] to [[Grace]]"). Attending the same event, or being in one
    resource's `shared_with`, does not count.
    """
    known: set[tuple[str, str]] = set()
    lookup = index.lookup
    people = len(index.people)
    for place, item in enumerate(index.items):  # people first
        if not item.links:
            continue  # most notes link nobody
        lines: dict[int, set[str]] = defaultdict(set)
        for link in item.links:
            other = lookup.get(link.target)
            if other is None:
                continue
            if place < people and other.key != item.key:
                known.add(_pair(item.key, other.key))
            if link.text.startswith(("[[", "![[")):
                lines[link.line].add(other.key)
        for keys in lines.values():
            if len(keys) > 1:
                known.update(_pair(x, y) for x, y in combinations(sorted(keys), 2))
    return known


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
