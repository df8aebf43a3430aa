"""Introductions to make: pairs of people who would gain from knowing each other.

Pure functions of (index, today), like reminders.py. A pair is suggested when
the two are both active, neither opted out, they are not yet linked in any
note, and either their roles complement each other (one hiring and one looking
for work; a founder and an investor; a mentor and someone who wants one) or
they share enough uncommon interests. Every rule and weight is in this module
and in docs/introductions.md.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
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
    does: tuple[tuple[str, frozenset[str]], ...] = ()  # role and interests, as word stems
    hiring_words: frozenset[str] = frozenset()  # stems of the hiring log line, if any


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
    people = [p for p in index.people if is_active(p, today) and not opted_out(index, p)]
    profiles = {p.key: profile(p, today) for p in people}
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
        if topics.distinctive(topic)
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
            candidates[_pair(x, y)] = None
            if len(candidates) >= MAX_CANDIDATES:
                break
    found = []
    for x, y in candidates:
        if (x, y) in known:
            continue
        a, b = profiles[x], profiles[y]
        if a.person.company and a.person.company.casefold() == b.person.company.casefold():
            continue  # colleagues know each other
        match = score_pair(a, b, topics)
        if match is not None:
            found.append(match)
    return sorted(found, key=_rank)


def top(matches: list[Match], limit: int = PAGE_LIMIT, per_person: int = PER_PERSON) -> list[Match]:
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


def _rank(match: Match) -> tuple:
    names = sorted((match.a.name.casefold(), match.b.name.casefold()))
    return (-match.score, *names)


def _pair(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x < y else (y, x)


def profile(person: Person, today: date) -> Profile:
    recent = [
        i for i in person.interactions if today - timedelta(days=RECENT_DAYS) <= i.when <= today
    ]
    roles = {}
    texts = [(line, plain(line.text)) for line in reversed(recent)]  # once, not once a role
    for role in ROLES.values():
        signal = _signal(person, role, texts)
        if signal is not None:
            roles[role.name] = signal
    does = tuple(
        (phrase, stems)
        for phrase in (person.role, *person.interests)
        if (stems := _stems(phrase, STOP_WORDS))
    )
    hiring = roles.get("hiring")
    words = _stems(hiring.evidence) if hiring and hiring.when else frozenset()
    return Profile(person, roles, frozenset(person.topics - ROLE_TAGS), does, words)


def _signal(person: Person, role: Role, recent: list[tuple[Interaction, str]]) -> Signal | None:
    """The best evidence for a role, in this order: a recent log line saying it in words,
    a recent log line tagged with it, the `role` key, a tag. `recent`: the latest first,
    each line with its plain text."""
    worded = tagged = None
    for line, text in recent:
        found = role.log_re.search(text) if role.log_re else None
        if found and worded is None:
            worded = Signal(f"“{_clause(text, found.start())}”, {line.when}", line.when)
            break  # nothing later can beat a line in words
        elif role.tags & set(line.tags) and tagged is None and text:
            tagged = Signal(f"“{_clause(text, 0)}”, {line.when}", line.when)
    if worded or tagged:
        return worded or tagged
    if role.role_re and person.role and role.role_re.search(person.role):
        return Signal(person.role)
    tag = next((t for t in person.tags if t in role.tags), None)
    return Signal(f"#{tag}") if tag else None


def plain(text: str) -> str:
    """A log line as prose: links by their label, no hashtags, spaces collapsed."""
    text = LINK_RE.sub(lambda m: (m.group(2) or m.group(1)).strip(), text)
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
    for person in index.people:
        for link in person.links:
            other = index.lookup.get(link.target)
            if other is not None and other.key != person.key:
                known.add(_pair(person.key, other.key))
    items: tuple[Person | Event | Resource, ...] = (*index.people, *index.events, *index.resources)
    for item in items:
        lines: dict[int, set[str]] = defaultdict(set)
        for link in item.links:
            other = index.lookup.get(link.target)
            if other is not None and link.text.startswith(("[[", "![[")):
                lines[link.line].add(other.key)
        for keys in lines.values():
            known.update(_pair(x, y) for x, y in combinations(sorted(keys), 2))
    return known


def score_pair(a: Profile, b: Profile, topics: Topics) -> Match | None:
    """The case for introducing a and b, or None when it is too weak to suggest."""
    weights = topics.weight
    common_set = a.topics & b.topics
    shared = sum(weights[t] for t in common_set)
    best: tuple[int, Profile, Profile, str, str] | None = None
    if a.roles and b.roles:
        for giver_role, taker_role, points in COMPLEMENTS:
            for giver, taker in ((a, b), (b, a)):
                if giver_role in giver.roles and taker_role in taker.roles:
                    named = names_them(giver, taker) if giver_role == "hiring" else ""
                    if not common_set and not named:
                        continue  # a hiring manager for nurses and a job-seeking engineer
                    total = points + (NAMED_BONUS if named else 0)
                    if best is None or total > best[0]:
                        best = (total, giver, taker, giver_role, named)
    if best is None and (shared < MIN_SHARED or not any(topics.distinctive(t) for t in common_set)):
        return None
    common = tuple(sorted(common_set, key=lambda t: (-weights[t], t)))
    if best is not None:
        total, giver, taker, kind, named = best
        taker_role = next(t for g, t, _ in COMPLEMENTS if g == kind)
        evidence = (giver.roles[kind].evidence, taker.roles[taker_role].evidence)
        return Match(giver.person, taker.person, total + shared, kind, common, evidence, named)
    first, second = sorted((a.person, b.person), key=lambda p: p.name.casefold())
    return Match(first, second, shared, "shared", common)


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
