"""The relationship rules: pure functions of (index, today). No file, no clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from vaultkit.errors import Problem
from vaultkit.index.vault import INTRO_TAG, Index
from vaultkit.model import Cadence, Event, FollowUp, Interaction, Person, Resource
from vaultkit.settings import Settings
from vaultkit.words import key_of

if TYPE_CHECKING:  # (the logbook and the gift ledger: not imported by the commands that need neither, `export ics`)
    from vaultkit.index.logbook import Logbook

SOON_DAYS = 7
BIRTHDAY_DAYS = 30


@dataclass(frozen=True)
class Standing:
    """Where one person stands today: last contact, when a check-in is due, whether drifted."""

    person: Person
    last_contact: date | None
    due: date | None
    active: bool  # not paused, archived or snoozed
    drifted: bool
    cadence: Cadence | None = None  # the cadence that applies now (see standing)

    def days_overdue(self, today: date) -> int:
        return (today - self.due).days if self.due and self.due < today else 0


def last_contact(
    person: Person, attended: tuple[Event, ...], today: date, logbook: Logbook | None = None
) -> date | None:
    """Latest interaction or attended event up to today, or the `last_contact` key if later.

    `logbook`: everyone's lines read once, when asking about everyone (see logbook.py)."""
    if logbook is not None:
        last = logbook.latest(person)
    else:
        last = max([i.when for i in person.interactions if i.when <= today], default=None) if person.interactions else None
    for event in attended:
        if event.when and event.when <= today and (last is None or event.when > last):
            last = event.when
    key = person.last_contact
    if key and key <= today and (last is None or key > last):
        last = key
    return last


def date_warnings(index: Index, today: date) -> tuple[Problem, ...]:
    """Dates that only today shows to be wrong: a `last_contact` after today (a typo of the year?)
    is left out of every reminder until that day, so it is said."""
    return tuple(
        Problem(p.path, None, f"last_contact {p.last_contact} is after today ({today}); it counts only from that day (a typo?)", "warning", "future")
        for p in index.people
        if p.last_contact is not None and p.last_contact > today
    )


def is_active(person: Person, today: date) -> bool:
    return active_on(person.status, person.snooze_until, today)


def active_on(status: str, snooze_until: date | None, today: date) -> bool:
    """is_active, from the two fields it reads (a person's derived row keeps them: rules/rows.py)."""
    if status != "active":
        return False
    return not (snooze_until and today < snooze_until)


def standing(person: Person, index: Index, today: date, logbook: Logbook | None = None) -> Standing:
    """Where a person stands (see reckon)."""
    return standing_at(person, last_contact(person, index.attended.get(person.key, ()), today, logbook), today)


def standing_at(person: Person, last: date | None, today: date) -> Standing:
    """Where a person stands, given their last contact up to today (last_contact)."""
    cadence, due, drifted = reckon(person.cadence, person.cadence_source, person.met, last, today)
    return Standing(person, last, due, is_active(person, today), drifted, cadence)


def reckon(
    cadence: Cadence | None, cadence_source: str, met: date | None, last: date | None, today: date
) -> tuple[Cadence | None, date | None, bool]:
    """The cadence that applies now, when a check-in is due, and whether drifted, given the
    last contact up to today.

    A cadence from `default_cadence` or `cadence_by_tag` applies only once there is contact
    (an interaction, an attended event or `last_contact`), and only contact drifts: an
    imported network of thousands is not all due or drifted at once. A cadence written on
    the note starts the clock at `met`, or today."""
    if cadence is not None and last is None and cadence_source != "note":
        cadence = None  # a rule of vaultkit.toml, and no contact yet
    since = last or (met if met and met <= today else None)
    due = None
    if cadence:
        due = cadence.after(since) if since else today
    drifted = False
    if last is not None:
        drifted = _add_years(last, 1) < today or bool(cadence and cadence.after(last, 3) < today)
    return cadence, due, drifted


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def standings(index: Index, today: date, logbook: Logbook | None = None) -> dict[str, Standing]:
    return {p.key: standing(p, index, today, logbook) for p in index.people}


# Each section of the reminders is made of entries that one person (or note) gives, in the
# order of a stable sort of everyone's by a rank: `is_overdue` says whether a standing is an
# entry of overdue(), `overdue_rank` where it goes. A watcher's memo keeps the sections and
# changes the entries of the people whose record changed (pages/ranked.py).


def overdue(stand: dict[str, Standing], today: date) -> list[Standing]:
    """Active people past due, most days overdue first."""
    # (s.due first: most have none, and a test is cheaper than a call)
    return sorted([s for s in stand.values() if s.due and is_overdue(s, today)], key=lambda s: overdue_rank(s, today))


def is_overdue(s: Standing, today: date) -> bool:
    return bool(s.active and s.due and s.due < today)


def overdue_rank(s: Standing, today: date) -> tuple:
    return (-s.days_overdue(today), s.person.name.casefold())


def due_soon(stand: dict[str, Standing], today: date) -> list[Standing]:
    """Active people due from today through the seventh day."""
    return sorted([s for s in stand.values() if s.due and is_due_soon(s, today)], key=due_soon_rank)


def is_due_soon(s: Standing, today: date) -> bool:
    return bool(s.active and s.due and today <= s.due <= today + timedelta(days=SOON_DAYS))


def due_soon_rank(s: Standing) -> tuple:
    return (s.due, s.person.name.casefold())


def on_track(stand: dict[str, Standing], today: date) -> list[Standing]:
    return [s for s in stand.values() if s.active and s.due and s.due >= today]


def drifted(stand: dict[str, Standing], today: date) -> list[Standing]:
    """Active people with nothing for over a year or three cadences; longest silence first."""
    return sorted([s for s in stand.values() if s.drifted and is_drifted(s)], key=drifted_rank)


def is_drifted(s: Standing) -> bool:
    return s.active and s.drifted


def drifted_rank(s: Standing) -> tuple:
    return (s.last_contact or date.min, s.person.name.casefold())


@dataclass(frozen=True)
class OpenFollowUp:
    """An open task item due soon or late, on a person, event or resource note."""

    owner: Person | Event | Resource
    task: FollowUp

    def days_late(self, today: date) -> int:
        return (today - self.task.due).days if self.task.due and self.task.due < today else 0


ID_LETTERS = "abcdefghijkmnpqrstuvwxyz"  # no l or o: never read as 1 or 0, never a number


def followup_id(task: FollowUp) -> str:
    """A short handle for `vaultkit done` that stays while the task's text does: four
    letters from a hash of its words (case and spacing aside), unlike its number."""
    import hashlib

    text = " ".join(task.text.split()).casefold()
    value = int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:4], "big")
    letters = []
    for _ in range(4):
        value, at = divmod(value, len(ID_LETTERS))
        letters.append(ID_LETTERS[at])
    return "".join(letters)


def open_followups(person: Person) -> list[FollowUp]:
    """A person's open follow-ups, dated ones first by date."""
    return sorted((f for f in person.followups if not f.done), key=_open_rank)


def _open_rank(f: FollowUp) -> tuple:
    return (f.due or date.max, f.line)


def followups_due(index: Index, today: date) -> list[OpenFollowUp]:
    """Open follow-ups due by the seventh day from today, on any note, paused people included."""
    found = [entry for owner in index.items if owner.followups for entry in followups_of(owner, today)]
    return sorted(found, key=followup_rank)


def followups_of(owner: Person | Event | Resource, today: date) -> list[OpenFollowUp]:
    """The entries of followups_due that one note's owner gives, in their order."""
    end = today + timedelta(days=SOON_DAYS)
    return [OpenFollowUp(owner, task) for task in owner.followups if not task.done and task.due and task.due <= end]


def followup_rank(f: OpenFollowUp) -> tuple:
    return (f.task.due, f.owner.name.casefold(), f.task.line)


@dataclass(frozen=True)
class UpcomingBirthday:
    person: Person
    when: date

    @property
    def turns(self) -> int | None:
        year = self.person.birthday.year if self.person.birthday else None
        return self.when.year - year if year else None


def birthdays(index: Index, today: date, days: int = BIRTHDAY_DAYS) -> list[UpcomingBirthday]:
    found = [b for person in index.people if person.birthday and (b := birthday_of(person, today, days))]
    return sorted(found, key=birthday_rank)


def birthday_of(person: Person, today: date, days: int = BIRTHDAY_DAYS) -> UpcomingBirthday | None:
    """The person's entry of birthdays(), if any."""
    if person.birthday and is_active(person, today):
        when = person.birthday.next_on_or_after(today)
        if when <= today + timedelta(days=days):
            return UpcomingBirthday(person, when)
    return None


def birthday_rank(b: UpcomingBirthday) -> tuple:
    return (b.when, b.person.name.casefold())


@dataclass(frozen=True)
class Introduction:
    """`by` introduced you to `to` on `when`; pending until `to` has a later interaction."""

    by: Person
    to: Person
    when: date | None
    line: Interaction | None = None


def introductions(index: Index, logbook: Logbook | None = None, givers: Iterable[Person] | None = None) -> list[Introduction]:
    """Every introduction in the vault: `introduced_by` keys and #intro lines linking someone.

    `givers`: the people that can give one (is_giver), in index order, if known."""
    return _introductions(index, index.people if givers is None else givers, logbook)


def is_giver(person: Person, logbook: Logbook) -> bool:
    """Whether the person's note can give an introduction: an `introduced_by` key, an #intro line."""
    return bool(person.introduced_by) or logbook.has_intro(person)


def introductions_of(index: Index, person: Person) -> list[Introduction]:
    """The entries of introductions(index) that involve the person's key, made from the notes
    that can give one: theirs, and those whose `introduced_by` or #intro lines link them.

    Finding the latter still looks at every log line's tags (there is no index of who links
    whom), which is most of the work of introductions(): what this saves is the others' entries.
    """
    key = person.key
    names = frozenset(t for t, p in index.lookup.items() if p.key == key)  # link targets that mean them
    givers = [
        p for p in index.people
        if p.key == key or p.introduced_by in names
        or any(INTRO_TAG in line.tags and not names.isdisjoint(line.links) for line in p.interactions)
    ]  # fmt: skip
    return [i for i in _introductions(index, givers, None) if key in (i.by.key, i.to.key)]


def _introductions(index: Index, people: Iterable[Person], logbook: Logbook | None) -> list[Introduction]:
    """The introductions these people's notes give, in index order; for a pair given twice,
    the `introduced_by` key of the later note, or the earliest dated #intro line."""
    found: dict[tuple[str, str], Introduction] = {}
    for person in people:
        if person.introduced_by:
            by = index.lookup.get(person.introduced_by)
            if by is not None and by is not person:
                found[(by.key, person.key)] = Introduction(by, person, person.met)
        if logbook is not None and not logbook.has_intro(person):
            continue  # most people: no #intro line
        for line in person.interactions:
            if INTRO_TAG not in line.tags:
                continue
            for target in line.links:
                to = index.lookup.get(target)
                if to is None or to is person:
                    continue
                pair = (person.key, to.key)
                known = found.get(pair)
                if known is None or known.when is None or line.when < known.when:
                    found[pair] = Introduction(person, to, line.when, line)
    return sorted(found.values(), key=lambda i: (i.when or date.min, i.to.name.casefold(), i.by.name.casefold()))


def intros_to_follow(
    index: Index, today: date, logbook: Logbook | None = None, givers: Iterable[Person] | None = None
) -> list[Introduction]:
    """Introductions whose introduced person has had no interaction since (`givers`: as for
    introductions)."""
    pending = []
    for intro in introductions(index, logbook, givers):
        if intro.when and intro.when > today:
            continue
        if not is_active(intro.to, today):
            continue
        since = intro.when or date.min
        talked = any(since < i.when <= today for i in intro.to.interactions)
        attended = any(e.when and since < e.when <= today for e in index.attended.get(intro.to.key, ()))
        if not (talked or attended):
            pending.append(intro)
    return pending


def sections(index: Index, stand: dict[str, Standing], today: date, logbook: Logbook | None = None) -> dict[str, list]:
    """The sections of the reminders, each one's entries in order, as Reminders.md and
    `vaultkit due` show them (`logbook`: everyone's lines read once, if the caller has it)."""
    return {
        "overdue": overdue(stand, today),
        "due_soon": due_soon(stand, today),
        "followups": followups_due(index, today),
        "birthdays": birthdays(index, today),
        "intros": intros_to_follow(index, today, logbook),
        "drifted": drifted(stand, today),
    }


def due_now(index: Index, today: date) -> tuple[dict[str, list], Callable[[Standing, date], list[Reason]]]:
    """What `vaultkit due` prints, from the index: the sections, and the reasons to write to
    one of their people (Resources made once). rules/rows.py gives the same from the rows."""
    resources = Resources(index)

    def reasons_of(s: Standing, day: date) -> list[Reason]:
        return reasons(index, s, day, resources)

    return sections(index, standings(index, today), today), reasons_of


def matching_resources(index: Index, person: Person) -> list[tuple[Resource, tuple[str, ...]]]:
    """Resources whose tags overlap the person's tags, interests or groups, not yet shared.

    For one person: only the resources that share a tag with them are put in order."""
    topics = person.topics
    return Resources(index, [r for r in index.resources if not topics.isdisjoint(r.tags)]).matching(person)


def shared_keys(index: Index, resource: Resource) -> frozenset[str]:
    """The keys of the people a resource was shared with (its `shared_with` links that resolve)."""
    return frozenset(index.lookup[t].key for t in resource.shared_with if t in index.lookup)


class Resources:
    """The resources, newest first, ready to be matched against many people.

    Made once for a build, not once per person: Reminders.md asks for every overdue person.
    """

    def __init__(
        self, index: Index | None, resources: Iterable[Resource] | None = None, shared: Iterable[frozenset[str]] | None = None
    ) -> None:
        """`resources`: some of index.resources, in index order, if not all are to be matched;
        `shared`: with each, the keys of the people it was shared with (shared_keys), if known
        (then `index` may be None: a person's derived rows keep them, rules/rows.py)."""
        assert index is not None or (resources is not None and shared is not None)
        given = list(index.resources if resources is None else resources)  # type: ignore[union-attr]
        keys = list(shared) if shared is not None else [shared_keys(index, r) for r in given]  # type: ignore[arg-type]
        # Newest first, then by name; ties in index order (a stable sort).
        places = sorted(range(len(given)), key=lambda at: (-(given[at].added or date.min).toordinal(), given[at].name.casefold()))
        self.order = [given[at] for at in places]
        self.shared: list[frozenset[str]] = [keys[at] for at in places]  # keys of the people each was shared with
        self.by_tag: dict[str, list[int]] = {}  # tag -> places in self.order
        for place, resource in enumerate(self.order):
            for tag in resource.tags:
                self.by_tag.setdefault(tag, []).append(place)

    def matching(self, person: Person) -> list[tuple[Resource, tuple[str, ...]]]:
        """matching_resources(index, person)."""
        topics = person.topics
        return [
            (resource, tuple(t for t in resource.tags if t in topics))
            for resource, shared in ((self.order[p], self.shared[p]) for p in self._places(topics))
            if person.key not in shared
        ]

    def first(self, person: Person) -> tuple[Resource, tuple[str, ...]] | None:
        """The first of matching(person), or None: all a reason to write names."""
        topics = person.topics
        for place in self._places(topics):
            if person.key not in self.shared[place]:
                resource = self.order[place]
                return resource, tuple(t for t in resource.tags if t in topics)
        return None

    def _places(self, topics: frozenset[str]) -> list[int]:
        """The places in self.order of the resources with any of these tags, in order."""
        places: set[int] = set()
        for topic in topics:
            found = self.by_tag.get(topic)
            if found:
                places.update(found)
        return sorted(places)


@dataclass(frozen=True)
class Reason:
    """Why to write now: a kind and what to say."""

    kind: str  # "followup" | "birthday" | "resource" | "recent"
    followup: FollowUp | None = None
    birthday: date | None = None
    resource: Resource | None = None
    topics: tuple[str, ...] = ()
    interaction: Interaction | None = None


def reasons(index: Index, s: Standing, today: date, resources: Resources | None = None) -> list[Reason]:
    """Reasons to reach out: an open follow-up, a birthday soon, a matching resource, a recent note.

    `resources`: Resources(index), made once when asking for many people."""
    found: list[Reason] = []
    person = s.person
    if person.followups:  # the first of open_followups(person): dated ones first by date
        task = min((f for f in person.followups if not f.done), key=_open_rank, default=None)
        if task is not None:
            found.append(Reason("followup", followup=task))
    if person.birthday:
        when = person.birthday.next_on_or_after(today)
        if when <= today + timedelta(days=BIRTHDAY_DAYS):
            found.append(Reason("birthday", birthday=when))
    match = (resources or Resources(index)).first(person)
    if match:
        found.append(Reason("resource", resource=match[0], topics=match[1]))
    if not found:
        past = [i for i in person.interactions if i.when <= today and i.text]
        if past:
            found.append(Reason("recent", interaction=past[-1]))
    return found


def person_by_name(index: Index, name: str) -> list[Person]:
    """People whose file name, alias or name matches (case-insensitive); [] or one, or several."""
    key = key_of(name)
    exact = index.lookup.get(key)
    if exact is not None:
        claimed = [p for p in index.people if p.answers_to(key)]
        return claimed if len(claimed) > 1 else [exact]
    return []


@dataclass(frozen=True)
class ThanksOwed:
    person: Person
    favours: tuple[Interaction, ...]  # oldest first


def thanks_owed(index: Index, today: date, logbook: Logbook | None = None) -> list[ThanksOwed]:
    """Favours (#help, #gift, #intro, #referral) with no #thanked on that day or later.

    A debt does not pause: paused, archived and snoozed people are included.
    """
    return _oldest_first(owed for person in index.people if (owed := owed_by(index, person, today, logbook)))


def thanks_owed_for(index: Index, person: Person, today: date) -> ThanksOwed | None:
    """The first entry of thanks_owed(index, today) with the person's key, reading only the
    notes with that key (two notes in different folders may have the same file name)."""
    return first_owed(index.settings, (p for p in index.people if p.key == person.key), today)


def first_owed(settings: Settings, same: Iterable[Person], today: date) -> ThanksOwed | None:
    """thanks_owed_for, given the people of that key (in the index's order)."""
    return next(iter(_oldest_first(owed for p in same if (owed := owed_of(settings, p, today)))), None)


def owed_by(index: Index, person: Person, today: date, logbook: Logbook | None = None) -> ThanksOwed | None:
    """One person's entry of thanks_owed, or None if they are owed no thanks."""
    if logbook is not None and not logbook.has_favour(person):
        return None  # most people: no favour at all
    return owed_of(index.settings, person, today, logbook is not None)


def owed_of(settings: Settings, person: Person, today: date, has_favour: bool = False) -> ThanksOwed | None:
    """owed_by, from the settings (`has_favour`: a line of theirs is known to carry a thanks tag)."""
    favour_tags = frozenset(settings.thanks_tags)
    if not has_favour and not any(line.tags and not favour_tags.isdisjoint(line.tags) for line in person.interactions):
        return None
    from vaultkit.rules.gifts import is_given

    thanked_tags = frozenset(settings.thanked_tags)
    thanked = [i.when for i in person.interactions if not thanked_tags.isdisjoint(i.tags) and i.when <= today]
    last_thanks = max(thanked, default=None)
    favours = tuple(
        i
        for i in person.interactions
        if not favour_tags.isdisjoint(i.tags)
        and thanked_tags.isdisjoint(i.tags)
        and not is_given(i, settings.thanked_tags)  # a gift you gave is no favour
        and i.when <= today
        and (last_thanks is None or last_thanks < i.when)
    )
    return ThanksOwed(person, favours) if favours else None


def _oldest_first(owed: Iterable[ThanksOwed]) -> list[ThanksOwed]:
    """The oldest favour first, then by name; ties in index order (a stable sort)."""
    return sorted(owed, key=thanks_rank)


def thanks_rank(owed: ThanksOwed) -> tuple:
    return (owed.favours[0].when, owed.person.name.casefold())


def favour_kind(index: Index, line: Interaction) -> str:
    """The first thanks tag on a line: what the favour was (intro, help, referral, gift)."""
    return favour_kind_of(index.settings, line)


def favour_kind_of(settings: Settings, line: Interaction) -> str:
    """favour_kind, from the settings."""
    return next((t for t in line.tags if t in settings.thanks_tags), "help")
