"""Which pages a build produces, and the data each page's template is given."""

from __future__ import annotations

import functools
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from vaultkit.index.vault import Index
from vaultkit.model import Event, Interaction, Person, Resource
from vaultkit.pages import forked
from vaultkit.pages.kept import KeptPages
from vaultkit.pages.memo import Memo, OneOff
from vaultkit.read import collector
from vaultkit.rules import gifts
from vaultkit.rules import reminders as rules
from vaultkit.settings import Settings

if TYPE_CHECKING:  # (Jinja, imported where a page is rendered: `due --json` renders none)
    from vaultkit.pages.render import Renderer

PAST_EVENT_DAYS = 30
SHARE_LIMIT = 10
INVITE_LIMIT = 25  # suggested invitees listed for one event
UNSAFE_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f#^\[\]]')


def safe_file_name(name: str) -> str:
    """A group or person name as a file name that is valid on Windows, macOS and Linux."""
    cleaned = UNSAFE_FILE_CHARS.sub("-", name).strip().rstrip(".")
    return cleaned or "unnamed"


DRAFTS = "Thank-you notes/"  # the thank-you drafts' folder in the output folder


def draft_page(person: Person) -> str:
    """The thank-you draft's page, relative to the output folder."""
    return f"{DRAFTS}{safe_file_name(person.path.rsplit('/', 1)[-1][:-3])}.md"


@dataclass(frozen=True)
class Invitee:
    person: Person
    topics: tuple[str, ...]


@dataclass(frozen=True)
class EventView:
    event: Event
    attendees: tuple[Person | str, ...]  # a person, or the name as written
    invitees: tuple[Invitee, ...] = ()
    to_follow_up: tuple[Person, ...] = ()
    more_invitees: int = 0  # matched but left off past INVITE_LIMIT


@dataclass(frozen=True)
class Suggestion:
    resource: Resource
    people: tuple[tuple[rules.Standing, tuple[str, ...]], ...]  # (standing, matched topics)
    more: int  # how many were left off past the limit


@dataclass(frozen=True)
class Group:
    name: str
    page: str
    members: tuple[rules.Standing, ...]


def events_view(
    index: Index, today: date, by_topic: dict[str, tuple[int, ...]] | None = None
) -> tuple[list[EventView], list[EventView]]:
    """Upcoming events (today included) with invitees; past ones of the last 30 days with follow-ups.

    `by_topic`: people_by_topic(index), if the caller has it already."""
    upcoming, past = [], []
    by_topic = people_by_topic(index) if by_topic is None else by_topic
    people = index.people
    active: list[bool] | None = None  # by place in index.people, worked out at the first upcoming event
    for event in index.events:
        if event.when is None:
            continue
        attendees = tuple(index.lookup.get(t) or t for t in event.attendees)
        present = {a.key for a in attendees if isinstance(a, Person)}
        if event.when >= today:
            if active is None:
                active = [rules.is_active(p, today) for p in people]
            invite = set(event.invite)
            # How many of the invite tags each match has, counted from the topic index: an
            # event for a common tag matches thousands, of whom INVITE_LIMIT are shown.
            matching: Counter[int] = Counter()
            for topic in invite:
                matching.update(by_topic.get(topic, ()))
            places = sorted(i for i in matching if active[i] and people[i].key not in present)
            if len(places) > INVITE_LIMIT:  # those matching the most invite tags first, else in index order
                places.sort(key=lambda i: -matching[i])
            shown = tuple(Invitee(people[i], tuple(sorted(invite & people[i].topics))) for i in places[:INVITE_LIMIT])
            upcoming.append(EventView(event, attendees, shown, more_invitees=len(places) - len(shown)))
        elif event.when >= today - timedelta(days=PAST_EVENT_DAYS):
            quiet = tuple(
                a
                for a in attendees
                if isinstance(a, Person) and not any(event.when < i.when <= today for i in a.interactions)
            )
            past.append(EventView(event, attendees, to_follow_up=quiet))
    past.sort(key=lambda v: (-(v.event.when or date.min).toordinal(), v.event.name.casefold()))
    return upcoming, past


def people_by_topic(index: Index) -> dict[str, tuple[int, ...]]:
    """Topic -> positions in index.people, so a match is a lookup a topic, not a scan of everyone."""
    positions: dict[str, list[int]] = defaultdict(list)
    for i, person in enumerate(index.people):
        if person.tags or person.interests or person.groups:  # else no topics: not worked out
            for topic in person.topics:
                positions[topic].append(i)
    return {topic: tuple(found) for topic, found in positions.items()}


def share_view(
    index: Index, stand: dict[str, rules.Standing], today: date, by_topic: dict[str, tuple[int, ...]] | None = None
) -> list[Suggestion]:
    """Each resource with the active people it matches, most overdue first, at most ten."""
    found = []
    by_topic = people_by_topic(index) if by_topic is None else by_topic
    # Everyone's place in the share order, once: most overdue first, then due date, then name.
    # Ties keep index order, as a stable sort of each resource's matches would.
    # s.person.order[0]: the name, case-folded (worked out when the index was sorted).
    standings = [stand[p.key] for p in index.people]
    order = [
        (-s.days_overdue(today), s.due, s.person.order[0], i)
        for i, s in enumerate(standings)
        if s.active and s.due is not None
    ]
    # Most have no check-in due: in index order they are in name order already, one run
    # that the sort takes as it is.
    order += [(0, date.max, s.person.order[0], i) for i, s in enumerate(standings) if s.active and s.due is None]
    order.sort()
    rank = {key[3]: r for r, key in enumerate(order)}  # place in index.people -> place in the share order
    active = set(rank)
    known = rules.Resources(index)  # newest first, with whom each was shared
    resources, shared_with = known.order, known.shared
    positions: dict[str, list[int]] = {}  # person key -> places in index.people, of those shared with
    if any(shared_with):
        wanted = set().union(*shared_with)
        for i, person in enumerate(index.people):
            if person.key in wanted:
                positions.setdefault(person.key, []).append(i)
    for resource, shared in zip(resources, shared_with, strict=True):
        candidates: set[int] = set()
        for tag in resource.tags:
            candidates.update(by_topic.get(tag, ()))
        matched = candidates & active
        for key in shared:
            matched.difference_update(positions.get(key, ()))
        top = [order[r][3] for r in sorted(map(rank.__getitem__, matched))[:SHARE_LIMIT]]
        people = tuple(
            (stand[p.key], tuple(t for t in resource.tags if t in p.topics)) for p in (index.people[i] for i in top)
        )
        found.append(Suggestion(resource, people, max(0, len(matched) - SHARE_LIMIT)))
    return found


def groups_view(index: Index, stand: dict[str, rules.Standing]) -> list[Group]:
    """Groups by name (case-insensitive; the first spelling met names the group)."""
    found = grouped((person.groups, person.key, person.key) for person in index.people)
    return [Group(name, page, tuple(stand[key] for key in keys)) for name, page, keys in found]


def grouped(members: Iterable[tuple[tuple[str, ...], str, Any]]) -> list[tuple[str, str, list]]:
    """Each group (of the members' groups, each with their key and a value, in order) by name,
    case-insensitive, the first spelling met naming it: its name, its page, and the value of
    the first member of each key in it."""
    found: dict[str, dict[str, Any]] = {}  # group -> person key -> value, in order
    names: dict[str, str] = {}
    for groups, person, value in members:
        for group in groups:
            key = group.casefold()
            names.setdefault(key, group)
            found.setdefault(key, {}).setdefault(person, value)
    made, used = [], set()
    for key in sorted(found, key=lambda k: names[k].casefold()):
        base = safe_file_name(names[key])
        page, n = f"Groups/{base}.md", 2
        while page.casefold() in used:
            page, n = f"Groups/{base} ({n}).md", n + 1
        used.add(page.casefold())
        made.append((names[key], page, list(found[key].values())))
    return made


def dashboard_view(index: Index, stand: dict[str, rules.Standing], groups: list[Group], today: date) -> dict:
    statuses = Counter([p.status for p in index.people])  # a list: faster to count than a generator
    tags = Counter([t for p in index.people if p.tags for t in p.tags])
    with_cadence = [s for s in stand.values() if s.active and s.due]
    since = {days: today - timedelta(days=days) for days in (30, 90)}
    recent = dict.fromkeys(since, 0)
    contacted = dict.fromkeys(since, 0)
    for s in stand.values():
        if s.last_contact and s.last_contact > since[90]:
            contacted[90] += 1
            if s.last_contact > since[30]:
                contacted[30] += 1
    for person in index.people:  # one pass over every contact, not one per window
        own = stand.get(person.key)
        if own is not None and own.person is person and (own.last_contact is None or own.last_contact <= since[90]):
            continue  # most people: no contact at all in the last 90 days
        attended = index.attended.get(person.key, ())
        for day in (*(i.when for i in person.interactions), *(e.when for e in attended if e.when)):
            if since[90] < day <= today:  # interaction days, event attendance included
                recent[90] += 1
                if day > since[30]:
                    recent[30] += 1
    return {
        "total": len(index.people),
        "statuses": [(s, statuses.get(s, 0)) for s in ("active", "paused", "archived")],
        "snoozed": sum(1 for p in index.people if p.snooze_until and p.status == "active" and not rules.is_active(p, today)),
        "tags": sorted(tags.items(), key=lambda kv: (-kv[1], kv[0])),
        "groups": groups,
        "with_cadence": len(with_cadence),
        "on_track": sum(1 for s in with_cadence if s.due and s.due >= today),
        "interactions": recent,
        "contacted": contacted,
        "new_people": [p for p in index.people if p.met and p.met.year == today.year and p.met <= today],
        "events": len(index.events),
        "resources": len(index.resources),
    }


def reminders_context(
    settings: Settings,
    sections: Mapping[str, Sequence],
    today: date,
    reasons: Callable[[rules.Standing, date], list[rules.Reason]],
    limit: int | None = -1,
) -> dict:
    """What Reminders.md (and `vaultkit due`) shows: `sections` as rules.sections gives them
    (or a memo keeps them, pages/ranked.py, or a person's derived rows, rules/rows.py), and
    `reasons` to write to an overdue person (rules.reasons, or a memo's).

    Each section keeps its `limit` most urgent entries (default: the `page_limit` setting;
    None: all); `total` and `more` count each section's entries and those left off."""
    if limit == -1:
        limit = settings.page_limit
    total = {name: len(found) for name, found in sections.items()}
    shown = {name: found[:limit] for name, found in sections.items()}
    shown["overdue"] = [(s, reasons(s, today)) for s in shown["overdue"]]  # reasons for the shown only
    return {
        "today": today,
        **shown,
        "total": total,
        "more": {name: total[name] - len(shown[name]) for name in sections},
    }


@dataclass(frozen=True, eq=False)
class FavourKind:
    """The templates' `kind(line)`: equal to another while the thanks tags are the same."""

    index: Index

    def __call__(self, line: Interaction) -> str:
        return rules.favour_kind(self.index, line)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FavourKind) and other.index.settings.thanks_tags == self.index.settings.thanks_tags

    __hash__ = None  # type: ignore[assignment]


def build_pages(
    index: Index, today: date, renderer: Renderer, memo: Memo | None = None, fork: bool | None = None,
    kept: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every page of a build: path relative to the output folder -> text.

    `memo` carries reusable work between the builds of a watcher (see Memo). `fork`:
    make Introductions.md and the thank-you drafts in a child process meanwhile
    (forked.py); by default, for a one-off build of a network where that pays and is safe.
    `kept`: pages of KEEPABLE and thank-you drafts with their text, when the caller knows
    that the last build's still hold (nothing they read has changed: commands/build.py); with
    Introductions.md kept, the child makes the thank-you notes, Events.md and the share page
    instead.
    """
    if fork is None:
        fork = memo is None and forked.worth_forking(len(index.people))
    with collector.paused():
        return dict(_pages(index, today, renderer, memo, fork, kept))


def iter_pages(
    index: Index, today: date, renderer: Renderer, memo: Memo | None = None
) -> Iterator[tuple[str, str]]:
    """The pages one by one, the ones acted on first (Reminders, Thank-you notes), so that a
    watcher can write each as soon as it is made."""
    pages = _pages(index, today, renderer, memo)
    while True:
        # Paused while a page is made, not while the caller has it: a caller that stops
        # early, or keeps this generator alive in an error's traceback, must not be left
        # without the collector.
        with collector.paused():
            page = next(pages, None)
        if page is None:
            return
        yield page


INTRODUCTIONS, EVENTS, THANKS = "Introductions.md", "Events.md", "Thank-you notes.md"
Attended = Mapping[str, tuple[Event, ...]]  # person key -> the events that list them (Index.attended)
DRAFT_TEMPLATE = "thank-you.md.j2"


def _intro_reads(person: Person, today: date, settings: Settings, attended: Attended) -> tuple:
    """matchmaking.reads_of (`settings`, `attended`: unused, for KEEPABLE's one signature)."""
    from vaultkit.rules import matchmaking  # (made only where introductions are made)

    return matchmaking.reads_of(person, today - timedelta(days=matchmaking.RECENT_DAYS), today)


def events_reads_of(person: Person, today: date, settings: Settings, attended: Attended) -> tuple:
    """All that Events.md reads of one person's record (events_view): whom links to them
    mean (names), their topics and whether they are active (invitees), and, if one of the
    last PAST_EVENT_DAYS' events lists them (by their key: a twin counts too), the day of
    their latest line after the first of those days, up to today: whether a line came
    after such an event is whether that one did. `attended`: the events that list each
    person, by key (Index.attended), the build's for an old record as for the new one: the
    events that list a person are found by the names it holds."""
    latest = None
    start = today - timedelta(days=PAST_EVENT_DAYS)
    if any(e.when and start <= e.when < today for e in attended.get(person.key, ())):
        latest = max((i.when for i in person.interactions if start < i.when <= today), default=None)
    return (
        person.key, person.name, person.path, person.aliases, person.tags, person.interests, person.groups,
        person.status, person.snooze_until, latest,
    )  # fmt: skip


def thanks_reads_of(person: Person, today: date, settings: Settings, attended: Attended) -> tuple:
    """All that Thank-you notes.md reads of one person's record, and the built-in draft too
    (with the names its lines link, which the build checks apart): who they are, and every
    line of theirs up to today that carries a thanks or thanked tag (day, words, tags and
    links, in order; not where it stands in its note). Their lines, not the favours they are
    owed thanks for: what a person is owed comes from their merged record, which other
    notes' lines are part of (a #thanked line of their own can end a favour a daily note
    gives them, while their own record owes nothing before or after)."""
    tags = frozenset((*settings.thanks_tags, *settings.thanked_tags))
    lines = tuple(
        (i.when, i.text, i.tags, i.links) for i in person.interactions if i.tags and i.when <= today and not tags.isdisjoint(i.tags)
    )
    return (person.key, person.name, person.path, person.aliases, lines)


# The pages a build may take as the last build wrote them, when every person whose note
# changed reads the same to them before and after (commands/build.pages_kept), and the vault
# has no template of its own for them (one may show anything of a person; the built-in ones
# include no other template): page -> (its template, what it reads of a person's record,
# given the settings and the events that list each person by key).
KEEPABLE: dict[str, tuple[str, Callable[[Person, date, Settings, Attended], tuple]]] = {
    INTRODUCTIONS: ("Introductions.md.j2", _intro_reads),
    EVENTS: ("Events.md.j2", events_reads_of),
    THANKS: ("Thank-you notes.md.j2", thanks_reads_of),
}


def reads_same(page: str, pairs: Iterable[tuple[Person, Person]], today: date, settings: Settings, attended: Attended) -> bool:
    """Whether each changed person (their record then and now) reads the same to this page
    of KEEPABLE."""
    reads = KEEPABLE[page][1]
    return all(reads(was, today, settings, attended) == reads(now, today, settings, attended) for was, now in pairs)


def own_template(settings: Settings, name: str) -> bool:
    """Whether the vault has a template of that name (one may show anything of a person)."""
    return os.path.lexists(os.path.join(settings.root, settings.templates_dir, name))


def _pages(
    index: Index, today: date, renderer: Renderer, memo: Memo | None, fork: bool = False,
    kept: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, str]]:
    memo = memo or OneOff()
    memo.start(index, today, renderer)
    made: dict[str, str] = {}
    kept = {} if kept is None else kept  # (not `kept or {}`: a kept mapping may read its pages as they are asked for)

    def render(template: str, page: str, **inputs: Any) -> tuple[str, str]:
        memo.render(renderer, template, page, made, **inputs)
        return page, made[page]

    def keep(page: str) -> tuple[str, str]:
        made[page] = kept[page]
        return page, made[page]

    def introductions() -> tuple[str, str]:
        if INTRODUCTIONS in kept:
            return keep(INTRODUCTIONS)
        best, more = memo.introductions_of(index, today)
        return render(KEEPABLE[INTRODUCTIONS][0], INTRODUCTIONS, today=today, matches=best, more=more)

    topics: list[dict[str, tuple[int, ...]]] = []

    def by_topic() -> dict[str, tuple[int, ...]]:
        """people_by_topic, worked out once, when a page first needs it."""
        if not topics:
            topics.append(people_by_topic(index))
        return topics[0]

    def events() -> tuple[str, str]:
        if EVENTS in kept:
            return keep(EVENTS)
        upcoming, past = events_view(index, today, by_topic())
        return render(KEEPABLE[EVENTS][0], EVENTS, today=today, upcoming=upcoming, past=past)

    def share(stand: dict[str, rules.Standing]) -> tuple[str, str]:
        return render("Share.md.j2", "Share.md", today=today, suggestions=share_view(index, stand, today, by_topic()))

    # Introductions.md and the thank-you drafts read nothing the other pages compute: with
    # `fork`, a child makes them while this process makes the rest. Else each is made in turn.
    # With Introductions.md kept, the child makes the thank-you notes, Events.md and the share
    # page instead, and everyone's standing is worked out before the fork: a child working it
    # out again writes the reference count of every record, the kernel copies the memory pages
    # that hold them, and the child then ended after this process.
    moved: frozenset[str] = frozenset()
    if fork:
        moved = frozenset({"drafts", "thanks", "events", "share"} if INTRODUCTIONS in kept else {"drafts"})
    stand = memo.standings_of(index, today) if "share" in moved else None

    def child_pages() -> str:
        """What a child makes (`moved`, and Introductions.md unless it is kept), as JSON."""
        if "thanks" in moved:
            pages = dict(_thanks(index, today, memo, render, kept=kept))
        else:
            pages = dict(_drafts_of(index, today, memo, render, kept))
        if "events" in moved:
            pages.update([events()])
        if stand is not None:
            pages.update([share(stand)])
        if INTRODUCTIONS not in kept:
            pages.update([introductions()])
        return json.dumps(pages)

    later = forked.Later(child_pages) if fork else None
    try:
        yield from _main_pages(index, today, memo, render, moved, events, share, kept, stand)
        if later is not None:
            pages = json.loads(later.result())
            made.update(pages)
            yield from pages.items()
        if later is None or INTRODUCTIONS in kept:
            yield introductions()
    finally:
        if later is not None:
            later.cancel()
    memo.finish(made)


def _main_pages(
    index: Index, today: date, memo: Memo, render: Callable, moved: Container[str], events: Callable, share: Callable,
    kept: Mapping[str, str] | None = None, stand: dict[str, rules.Standing] | None = None,
) -> Iterator[tuple[str, str]]:
    """Every page but Introductions.md, the ones acted on first, but those a child makes
    (`moved`: "drafts", "thanks" (with the drafts), "events", "share"); `events()` makes
    Events.md, `share(standings)` Share.md; `stand`: everyone's standing, when worked out
    already."""
    if stand is None:
        stand = memo.standings_of(index, today)
    sections = memo.sections_of(index, stand, today)
    if sections is None:
        sections = rules.sections(index, stand, today, memo.logbook)
    context = reminders_context(index.settings, sections, today, functools.partial(memo.reasons_of, index))
    yield render("Reminders.md.j2", "Reminders.md", **context)
    if "thanks" not in moved:
        yield from _thanks(index, today, memo, render, with_drafts="drafts" not in moved, kept=kept)
    groups = groups_view(index, stand)
    yield render("Dashboard.md.j2", "Dashboard.md", today=today, **dashboard_view(index, stand, groups, today))
    if "events" not in moved:
        yield events()
    if "share" not in moved:
        yield share(stand)
    for group in groups:
        yield render("group.md.j2", group.page, today=today, group=group)


def _thanks(
    index: Index, today: date, memo: Memo, render: Callable, with_drafts: bool = True, kept: Mapping[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """Thank-you notes.md, then (`with_drafts`) a draft for each person owed thanks."""
    if kept is not None and THANKS in kept:
        yield THANKS, kept[THANKS]
        if with_drafts:
            yield from _drafts_of(index, today, memo, render, kept)
        return
    owed = memo.thanks_owed(index, today)
    drafts = {t.person.key: draft_page(t.person) for t in owed}
    yield render(
        "Thank-you notes.md.j2", "Thank-you notes.md", today=today, owed=owed, drafts=drafts,
        kind=FavourKind(index),
    )
    if with_drafts:
        yield from _drafts(index, today, owed, render, kept)


def _drafts_of(
    index: Index, today: date, memo: Memo, render: Callable, kept: Mapping[str, str] | None
) -> Iterable[tuple[str, str]]:
    """The thank-you drafts: the last build's, all of them, where they all hold (KeptPages), or
    one for each person owed thanks, worked out."""
    drafts = kept.all_drafts() if isinstance(kept, KeptPages) else None
    if drafts is not None:
        return drafts
    return _drafts(index, today, memo.thanks_owed(index, today), render, kept)


def _drafts(
    index: Index, today: date, owed: list[rules.ThanksOwed], render: Callable, kept: Mapping[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """A thank-you draft for each person owed thanks; `kept`: drafts the caller knows hold
    still (commands/build.pages_kept), taken as they are (a draft it cannot give is made)."""
    for item in owed:
        page = draft_page(item.person)
        text = None if kept is None else kept.get(page)
        if text is not None:
            yield page, text
            continue
        yield render(
            "thank-you.md.j2", page, today=today, person=item.person, favours=item.favours,
            kind=rules.favour_kind(index, item.favours[-1]),
            mentioned=[index.lookup[t].name if t in index.lookup else t for t in item.favours[-1].links],
            kinds=favour_kinds(index, item.favours),
        )


def favour_kinds(index: Index, favours: tuple) -> list[tuple[str, list[str]]]:
    """Each kind of favour once, in order, with the names its lines link (whom you met through it)."""
    kinds: dict[str, list[str]] = {}
    for line in favours:
        names = kinds.setdefault(rules.favour_kind(index, line), [])
        for target in line.links:
            name = index.lookup[target].name if target in index.lookup else target
            if name not in names:
                names.append(name)
    return list(kinds.items())


SHOWN_INTERACTIONS = 10  # `vaultkit show`: the latest interactions, each with its source note


class CardQuestions(Protocol):
    """What a prep card asks the network about one person: rules/cards.py answers from an
    index (Asked) or from the people's derived rows (Cards)."""

    settings: Settings

    def standing(self, person: Person, today: date) -> rules.Standing: ...
    def thanks_owed(self, person: Person, today: date) -> rules.ThanksOwed | None: ...
    def introductions(self, person: Person) -> list[rules.Introduction]: ...
    def attended(self, person: Person) -> tuple[Event, ...]: ...
    def resources(self, person: Person) -> list[tuple[Resource, tuple[str, ...]]]: ...
    def linked(self, target: str) -> Person | None: ...
    def to_introduce(self, person: Person, today: date) -> list: ...


def card_context(asked: CardQuestions, person: Person, today: date) -> dict:
    """What `vaultkit show` prints: a prep card before meeting someone.

    Each rule is asked about this person only (thanks_owed_for, introductions_of,
    best_for, ...), giving what its answer about everyone gives for them
    (tests/test_card.py holds them to it)."""
    stand = asked.standing(person, today)
    owed = asked.thanks_owed(person, today)
    past = [i for i in person.interactions if i.when <= today]
    return {
        "today": today,
        "s": stand,
        "p": person,
        "recent": list(reversed(past[-SHOWN_INTERACTIONS:])),
        "planned": [i for i in person.interactions if i.when > today],
        "followups": rules.open_followups(person),
        "followup_id": rules.followup_id,
        "owed": owed.favours if owed else (),
        "intros": asked.introductions(person),
        "events": asked.attended(person),
        "resources": asked.resources(person)[:3],
        "introduced_by": asked.linked(person.introduced_by) if person.introduced_by else None,
        "to_introduce": asked.to_introduce(person, today),
        "gifts": gifts.ledger(person, today, asked.settings.thanked_tags),
    }


def card_data(asked: CardQuestions, person: Person, today: date) -> dict:
    """`vaultkit show --json`: the latest interactions and the open follow-ups, each with the
    note and line it comes from."""
    stand = asked.standing(person, today)
    past = [i for i in person.interactions if i.when <= today]
    return {
        "name": person.name,
        "path": person.path,
        "last_contact": stand.last_contact.isoformat() if stand.last_contact else None,
        "due": stand.due.isoformat() if stand.due else None,
        "interactions": [
            {"date": i.when.isoformat(), "text": i.text, "tags": list(i.tags), "path": i.source or person.path, "line": i.line}
            for i in reversed(past[-SHOWN_INTERACTIONS:])
        ],
        "followups": [
            {"text": f.text, "due": f.due.isoformat() if f.due else None, "path": f.source or person.path, "line": f.line}
            for f in rules.open_followups(person)
        ],
    }


def due_data(context: dict) -> dict:
    """`vaultkit due --json`: the reminders as plain data for scripts, cut as the page is
    (`context` as reminders_context makes it), with how many more each section has."""
    today = context["today"]

    def who(p: Person | Event | Resource) -> dict:
        return {"name": p.name, "path": p.path}

    def reason(r: rules.Reason) -> dict:
        out: dict = {"kind": r.kind}
        if r.followup:
            out.update(text=r.followup.text, due=r.followup.due.isoformat() if r.followup.due else None)
        if r.birthday:
            out.update(date=r.birthday.isoformat())
        if r.resource:
            out.update(resource=who(r.resource), topics=list(r.topics))
        if r.interaction:
            out.update(date=r.interaction.when.isoformat(), text=r.interaction.text)
        return out

    def checkin(s: rules.Standing) -> dict:
        return {
            **who(s.person),
            "cadence": s.cadence.label if s.cadence else None,
            "last_contact": s.last_contact.isoformat() if s.last_contact else None,
            "due": s.due.isoformat() if s.due else None,
            "days_overdue": s.days_overdue(today),
        }

    # (the JSON's name for the introductions to follow up, in the same place)
    more = {"introductions" if name == "intros" else name: count for name, count in context["more"].items()}
    return {
        "today": today.isoformat(),
        "overdue": [{**checkin(s), "reasons": [reason(r) for r in found]} for s, found in context["overdue"]],
        "due_soon": [checkin(s) for s in context["due_soon"]],
        "followups": [
            {**who(f.owner), "text": f.task.text, "due": f.task.due.isoformat() if f.task.due else None,
             "days_late": f.days_late(today), "line": f.task.line}
            for f in context["followups"]
        ],
        "birthdays": [{**who(b.person), "date": b.when.isoformat()} for b in context["birthdays"]],
        "introductions": [
            {"by": who(i.by), "to": who(i.to), "date": i.when.isoformat() if i.when else None}
            for i in context["intros"]
        ],
        "drifted": [checkin(s) for s in context["drifted"]],
        "more": more,
    }
