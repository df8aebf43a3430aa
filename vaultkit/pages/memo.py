"""What one build of a watcher hands to the next (Memo), and a one-off build's stand-in.

The pages are exactly those a build without a memo makes (pages/views.py): a memo only
skips work whose inputs are the same objects or values as last time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from vaultkit.index import patch
from vaultkit.index.logbook import Logbook
from vaultkit.index.vault import Index
from vaultkit.model import Event, Person
from vaultkit.pages import ranked
from vaultkit.rules import reminders as rules

if TYPE_CHECKING:  # imported where introductions are made: `vaultkit due` makes none
    from vaultkit.pages.render import Renderer  # (Jinja: `due --json` renders nothing)
    from vaultkit.rules import matchmaking


class Memo:
    """Work one build hands to the next in a long-running process (`vaultkit watch`).

    A person whose record is the same object as last time, with the same attended
    events, keeps their standing and reasons to write; a page whose template and
    inputs are equal to last time keeps its text. When the index was patched from
    the last one (index/patch.py), only the people it gave a new record (`places`)
    are looked at: their log lines, standings, entries in the reminders' sections
    and the thanks owed (pages/ranked.py), and what matchmaking reads of them. The
    pages are exactly those a build without a memo makes: only the work is skipped.
    """

    def __init__(self) -> None:
        self.today: date | None = None
        self.renderer: Renderer | None = None
        self.standings: dict[str, tuple[Person, tuple[Event, ...], rules.Standing]] = {}
        # The index of the last build whose standings and sections were made (None if some
        # work was left undone), its standings, and whether no two of its people share a key.
        self.last: Index | None = None
        self.stand: dict[str, rules.Standing] = {}
        self.unique = False
        self.places: list[int] | None = None  # where this build's index was patched from last's
        self.sections: ranked.Sections | None = None
        self.reasons: dict[str, tuple[rules.Standing, list[rules.Reason]]] = {}
        self.reasons_basis: tuple = ()
        self.resources: rules.Resources | None = None  # the resources to match, made at each start
        self.logbook: Logbook | None = None  # everyone's lines, read at each start
        self.pages: dict[str, tuple[str, dict, str]] = {}  # page -> (template, inputs, text)
        self.rendered: list[str] = []  # the pages the last build rendered (the others were reused)
        self.intro_views: dict[str, tuple[Person, tuple]] = {}
        self.intro_of: Index | None = None  # the index the views are of
        self.patched_from: Index | None = None  # the index this build's was patched from
        self.intro_basis: tuple = ()
        self.intro_best: list[matchmaking.Match] = []
        self.intro_more = 0

    def start(self, index: Index, today: date, renderer: Renderer) -> None:
        last, self.last = self.last, None
        if today != self.today:
            self.standings, self.reasons, self.intro_views, self.today = {}, {}, {}, today
            last = self.intro_of = None
        self.places = self._patched(last, index)
        self.patched_from = last if self.places is not None else None
        if self.places is None:
            self.unique = len({p.key for p in index.people}) == len(index.people)
        if renderer is not self.renderer:
            self.pages, self.renderer = {}, renderer
        # Reasons to write read the resources and whom each was shared with.
        basis = (index.resources, tuple(index.lookup[t].key if t in index.lookup else None
                                        for r in index.resources for t in r.shared_with))
        if basis != self.reasons_basis:
            self.reasons, self.reasons_basis = {}, basis
        self.resources = rules.Resources(index)
        self.logbook = logbook_of(index, today, self.logbook)
        self.rendered = []

    def _patched(self, last: Index | None, index: Index) -> list[int] | None:
        """The places of the people to whom a patch of `last` (index/patch.py) gave a new
        record, if `index` is such a patch of an index whose people all have their own key;
        else None, and every person is looked at."""
        if last is None or not self.unique:
            return None
        if any(getattr(index, name) is not getattr(last, name) for name in ("settings", "events", "resources", "attended")):
            return None  # built afresh
        places = patch.replaced(last.people, index.people)
        if places is None:
            return None
        if any(last.people[at].key != index.people[at].key for at in places):
            return None
        return places

    def standings_of(self, index: Index, today: date) -> dict[str, rules.Standing]:
        """Everyone's standing: on a patched index the last ones with those of the people who
        got a new record worked out again; else each person's compared with last time."""
        if self.places is None:
            self.stand = self._standings_compared(index, today)
            return self.stand
        self.stand = stand = self.stand.copy()
        for at in self.places:
            person = index.people[at]
            standing = stand[person.key] = rules.standing(person, index, today, self.logbook)
            self.standings[person.key] = (person, self.standings[person.key][1], standing)
        return stand

    def sections_of(self, index: Index, stand: dict[str, rules.Standing], today: date) -> dict[str, list] | None:
        """Reminders.md's sections (pages/ranked.py), changed where the index was patched; None
        when it was not (the rules make them, as quickly as ever, and `finish` makes the
        memo's once the pages are written), or when two people have the same key."""
        assert self.logbook is not None
        self.last = index  # its standings are made, and its sections (now, or by `finish`)
        if self.places is None or self.sections is None or not self.unique:
            self.sections = None
            return None
        self.sections.patch(index, self.places, stand, self.logbook)
        return self.sections.of(index, self.logbook)

    def thanks_owed(self, index: Index, today: date) -> list[rules.ThanksOwed]:
        assert self.logbook is not None
        if self.sections is None:
            return rules.thanks_owed(index, today, self.logbook)
        return self.sections.thanks_owed(index, self.logbook)

    def _standings_compared(self, index: Index, today: date) -> dict[str, rules.Standing]:
        stand: dict[str, rules.Standing] = {}
        kept = {}
        for person in index.people:
            attended = index.attended.get(person.key, ())
            known = self.standings.get(person.key)
            if known is not None and known[0] is person and known[1] == attended:
                standing = known[2]
            else:
                standing = rules.standing(person, index, today, self.logbook)
            kept[person.key] = (person, attended, standing)
            stand[person.key] = standing
        self.standings = kept
        return stand

    def reasons_of(self, index: Index, standing: rules.Standing, today: date) -> list[rules.Reason]:
        known = self.reasons.get(standing.person.key)
        if known is not None and known[0] is standing:
            return known[1]
        found = rules.reasons(index, standing, today, self.resources)
        self.reasons[standing.person.key] = (standing, found)
        return found

    def render(self, renderer: Renderer, template: str, page: str, pages: dict, **inputs: Any) -> None:
        known = self.pages.get(page)
        if known is not None and known[0] == template and known[1] == inputs:
            pages[page] = known[2]
            return
        pages[page] = text = renderer.render(template, page, **inputs)
        self.pages[page] = (template, inputs, text)
        self.rendered.append(page)

    def introductions_of(self, index: Index, today: date) -> tuple[list[matchmaking.Match], int]:
        """The best introductions and how many more, as Introductions.md shows them.

        matchmaking scores up to 30,000 pairs of people, a few tenths of a second in a
        vault of thousands; the result is reused while nothing matchmaking reads has changed
        (a follow-up or an old log line added to a note does not count), with each
        pair's people replaced by their current records.
        """
        from vaultkit.rules import matchmaking

        start = today - timedelta(days=matchmaking.RECENT_DAYS)
        if self.places is not None and self.intro_of is self.patched_from and self.intro_basis:
            # The index is a patch of the one these were worked out for: only the people with a
            # new record can have another view (the events, resources and settings are the same).
            same = True
            for at in self.places:
                person = index.people[at]
                view = matchmaking.reads_of(person, start, today)
                same = same and view == self.intro_views[person.key][1]
                self.intro_views[person.key] = (person, view)
            if same:  # everyone in a pair is still active and not opted out: lookup has them
                self.intro_of = index
                lookup = index.lookup
                return [replace(m, a=lookup[m.a.key], b=lookup[m.b.key]) for m in self.intro_best], self.intro_more
        self.intro_of = index
        views = {}
        for person in index.people:
            known = self.intro_views.get(person.key)
            if known is None or known[0] is not person:
                known = (person, matchmaking.reads_of(person, start, today))
            views[person.key] = known
        self.intro_views = views
        basis = (
            today,
            index.settings.intro_opt_out_tags,
            tuple(views[p.key][1] for p in index.people),
            tuple(e.links for e in index.events),
            tuple(r.links for r in index.resources),
        )
        if basis == self.intro_basis:
            current = {
                p.key: p for p in index.people if rules.is_active(p, today) and not matchmaking.opted_out(index, p)
            }
            return [replace(m, a=current[m.a.key], b=current[m.b.key]) for m in self.intro_best], self.intro_more
        best, more = matchmaking.best(index, today, logbook=self.logbook)
        self.intro_basis, self.intro_best, self.intro_more = basis, best, more
        return best, more

    def finish(self, pages: dict[str, str]) -> None:
        for page in [p for p in self.pages if p not in pages]:
            del self.pages[page]
        if self.sections is None and self.unique and self.last is not None and self.logbook is not None:
            # for the next builds to patch (a build stopped early leaves them to a later one)
            assert self.today is not None
            self.sections = ranked.Sections(self.last, self.stand, self.today, self.logbook)
            self.sections.thanks_owed(self.last, self.logbook)


class OneOff(Memo):
    """The memo of a build that has no next build (`vaultkit build`): each piece of work is
    done once, so nothing is compared with last time or kept for next time."""

    def start(self, index: Index, today: date, renderer: Renderer) -> None:
        self.resources = rules.Resources(index)
        self.logbook = logbook_of(index, today)

    def sections_of(self, index: Index, stand: dict[str, rules.Standing], today: date) -> dict[str, list] | None:
        return None

    def thanks_owed(self, index: Index, today: date) -> list[rules.ThanksOwed]:
        return rules.thanks_owed(index, today, self.logbook)

    def standings_of(self, index: Index, today: date) -> dict[str, rules.Standing]:
        return rules.standings(index, today, self.logbook)

    def reasons_of(self, index: Index, standing: rules.Standing, today: date) -> list[rules.Reason]:
        return rules.reasons(index, standing, today, self.resources)

    def render(self, renderer: Renderer, template: str, page: str, pages: dict, **inputs: Any) -> None:
        pages[page] = renderer.render(template, page, **inputs)

    def introductions_of(self, index: Index, today: date) -> tuple[list[matchmaking.Match], int]:
        from vaultkit.rules import matchmaking

        return matchmaking.best(index, today, logbook=self.logbook)

    def finish(self, pages: dict[str, str]) -> None:
        pass


def logbook_of(index: Index, today: date, last: Logbook | None = None) -> Logbook:
    """Everyone's lines read once for the rules, recent ones as matchmaking counts them;
    `last`: the last build's, whose entries a patched index's people who kept their record keep."""
    from vaultkit.rules import matchmaking

    return Logbook(index, today, today - timedelta(days=matchmaking.RECENT_DAYS), last)
