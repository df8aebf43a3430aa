"""A build after a few people's notes changed, made from the people's derived rows: no index.

The edit a user makes most is a line on one person's note, and then they build. The pages
such a build makes differ from the last build's only where that person shows. When:

- every note that changed since the last build is a person's own note, changed in a way
  the rows kept in the cache can take without reading the others (rules/rows_patch.py:
  the same name, file, aliases and links, no #intro line, no twin);
- the rows kept in the cache (every build keeps them, as `due` does: commands/reckoning.py)
  can be brought to the notes as they are now the same way: by the notes changed since
  they were kept (those since the last build; fewer where `due` or `show` patched them
  since; more where the last build's could not be kept);
- what each changed person's note says to the pages a build may keep is the same
  (views.KEEPABLE: Introductions.md, Events.md, Thank-you notes.md; and with the same
  names, every thank-you draft), and to the build's report (the note's problems, its
  links, a `last_contact` after today);
- the changed people are in the same groups, the vault has no template of its own for a
  page, and the output folder is as the last build left it;

then the build patches the rows and makes from them only the pages that may differ:
Reminders.md (Rows.sections, as `vaultkit due` does), Dashboard.md, Share.md and the
pages of the changed people's groups (pages/from_rows.py). Every other page is the last
build's, left unread. The pages are those a build from the index makes (tests/test_build_rows.py
compares them, and the property test after random edits). Anything else: None, and the
build reads the vault.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from vaultkit.commands import reckoning
from vaultkit.commands.as_read import notes_changed, notes_reread
from vaultkit.errors import Problem
from vaultkit.model import Item, Person
from vaultkit.pages.views import EVENTS, KEEPABLE, own_template, reads_same
from vaultkit.read.scan import Scan
from vaultkit.rules import rows_patch
from vaultkit.rules.rows import DamagedRows, Rows
from vaultkit.settings import Settings

if TYPE_CHECKING:
    from vaultkit.read.cache import Cache, Manifest
    from vaultkit.read.codec import Entry
    from vaultkit.write import WriteResult

# The templates of the pages made here, and of those kept: a vault's own may show anything.
TEMPLATES = (
    "Reminders.md.j2", "Dashboard.md.j2", "Share.md.j2", "group.md.j2", "Introductions.md.j2", "Events.md.j2",
    "Thank-you notes.md.j2", "thank-you.md.j2",
)  # fmt: skip


@dataclass(frozen=True)
class Made:
    """A build made from the rows: what it wrote, and the rows to keep for the next one."""

    result: WriteResult
    keep: reckoning.Loaded | None  # None: the rows are kept already
    problems: tuple[Problem, ...]  # the build's report: the last build's, with the changed notes' links


def build_from_rows(
    settings: Settings, found: Scan, cache: Cache, manifest: Manifest, changed: list[str], inputs: bytes,
    today: date, seen_ns: int,
) -> Made | None:
    """The pages after `changed` (notes_changed against the manifest), from the kept rows,
    written, and the manifest saved; None where the rows cannot make them (see the module)."""
    from vaultkit.read.cache import entry_as_read, read_entries, segment_of

    if not changed or len(changed) > rows_patch.MOST or any(own_template(settings, name) for name in TEMPLATES):
        return None
    kept = reckoning.kept_of(cache)
    if kept is None:
        return None
    # the notes changed since the rows were kept: those since the last build, where it kept
    # them; fewer, where a command since (`due`, `show`) patched the rows with some
    since = notes_changed(settings, found, *kept[:4])
    if since is None or len(since) > rows_patch.MOST:
        return None
    entries = read_entries(settings, [(rel, found.notes[rel], found.stats[rel]) for rel in {*changed, *since}], seen_ns)
    pairs: list[tuple[Person, Person]] = []
    for rel in changed:
        entry = cache.last_read(manifest, rel, cache.load_segment(segment_of(rel)).get(rel))
        if entry is None:
            return None  # what the last build read of it is not known
        was, now = entry[4].item, entries[rel][4].item
        if type(was) is not Person or type(now) is not Person or entry[4].problems != entries[rel][4].problems:
            return None
        if _future(was, today) != _future(now, today) or was.groups != now.groups:
            return None  # (a last_contact after today is a warning of the report's; a group, a page)
        pairs.append((was, now))  # their own record then and now
    # (first what needs no rows: most changes the rows cannot take fail here, before they are
    # read; Events.md, which reads the events a person attended, once they are)
    if not all(reads_same(page, pairs, today, settings, {}) for page in KEEPABLE if page != EVENTS):
        return None
    old = reckoning.rows_of_kept(settings, cache, kept)
    if old is None:
        return None
    made: Rows | None = old
    if since:

        def before(rel: str) -> Item | None:
            """A note's record as the rows were made from it (rows_patch asks for a daily
            note's): the segment's, if it is the one they were made from."""
            entry = cache.load_segment(segment_of(rel)).get(rel)
            return entry[4].item if entry_as_read(entry, rel, kept[0].index(rel), *kept[1:4]) else None

        try:
            made = rows_patch.patched(old, {rel: entries[rel][4] for rel in since}, before)
        except DamagedRows:
            return None
    if made is None:
        return None
    place = {row.path: at for at, row in enumerate(made.rows)}
    if any(rel not in place for rel in changed):
        return None
    places = [place[rel] for rel in changed]
    # each change one the rows take, as rows_patch asks of those it patches: here also of the
    # notes a command since patched the rows with, or made them again after (a twin's)
    if not all(rows_patch.takes(made, at, was, now) for at, (was, now) in zip(places, pairs, strict=True)):
        return None
    events = made.payload.events
    attended = {now.key: tuple(events[e] for e in made.rows[at].attended) for at, (_, now) in zip(places, pairs, strict=True)}
    if not reads_same(EVENTS, pairs, today, settings, attended):
        return None
    problems = _problems(manifest.report["problems"], pairs)
    from vaultkit.read.cache import same_listing

    if not same_listing(manifest.output, settings.output):
        return None
    pages = _pages(settings, made, places, today)
    if not set(pages) <= set(manifest.report["pages"]):
        return None
    racy, settled = _racy(cache, manifest, found, entries, seen_ns)
    read = notes_reread(found, racy, entries)
    result = _written(settings, cache, manifest, read, {**entries, **settled}, pages, inputs, problems)
    if not since:
        return Made(result, None, problems)  # (the rows are kept already)
    keep = reckoning.Loaded(settings, rows=made, remake=lambda: (made, reckoning.write_rows(cache, made, read)), cache=cache)  # type: ignore[arg-type]
    return Made(result, keep, problems)


def _problems(last: tuple[Problem, ...], pairs: list[tuple[Person, Person]]) -> tuple[Problem, ...]:
    """The build's problems: the last build's (the index's, then the dates only today shows
    wrong: rules.date_warnings), with the changed notes' links that point to no note where
    their lines are now. A changed note's own problems are the same, and so are its links
    but for their lines (rows_patch.takes: the same targets, in order), and whether a target
    is a note: which of its links were warned of, by target, says which are now (the caller
    checked both)."""
    from vaultkit.index.vault import link_problems, sorted_problems

    moved = {now.path: (was, now) for was, now in pairs if was.links != now.links}
    if not moved:
        return last
    index = [p for p in last if p.code != "future"]
    warned = set(index)
    found = [p for p in index if not (p.path in moved and p.code == "link")]
    for was, now in moved.values():
        # (each link as if it pointed to no note, to find those the last build warned of)
        dangling = {link.target for link, warning in zip(was.links, link_problems(was, frozenset()), strict=True) if warning in warned}
        found += link_problems(now, frozenset(link.target for link in now.links) - dangling)
    return (*sorted_problems(set(found)), *(p for p in last if p.code == "future"))


def _future(person: Person, today: date) -> date | None:
    """A `last_contact` after today, which the build's report warns of (rules.date_warnings)."""
    return person.last_contact if person.last_contact and person.last_contact > today else None


def _pages(settings: Settings, rows: Rows, places: list[int], today: date) -> dict[str, str]:
    """The pages that may differ: the reminders, the dashboard, the share page, and the
    pages of the changed people's groups."""
    from functools import partial

    from vaultkit.pages.from_rows import Standings, dashboard_of, groups_of, share_of
    from vaultkit.pages.render import Renderer
    from vaultkit.pages.views import reminders_context

    renderer = Renderer(settings)
    context = reminders_context(settings, rows.sections(today), today, rows.reasons)
    pages = {"Reminders.md": renderer.render("Reminders.md.j2", "Reminders.md", **context)}
    standings = Standings(rows, today)
    groups = groups_of(rows, standings)
    render = partial(renderer.render, today=today)
    pages["Dashboard.md"] = render("Dashboard.md.j2", "Dashboard.md", **dashboard_of(rows, standings, groups, today))
    pages["Share.md"] = render("Share.md.j2", "Share.md", suggestions=share_of(rows, standings, today))
    theirs = {group.casefold() for at in places for group in rows.facets()[at].groups}
    for group in groups:
        if group.name.casefold() in theirs:
            pages[group.page] = render("group.md.j2", group.page, group=group)
    return pages


def _written(
    settings: Settings, cache: Cache, manifest: Manifest, read: tuple[list[str], list[str], bytes, dict[str, bytes]],
    entries: dict[str, Entry], pages: dict[str, str], inputs: bytes, problems: tuple[Problem, ...],
) -> WriteResult:
    """The pages written (those of the last build's that are the same are left as they
    are), the notes' new entries saved in the cache, and the manifest with the notes as
    `read` (as_read.notes_read)."""
    from vaultkit.read.cache import Manifest, digest, listing
    from vaultkit.write import WriteResult, write_pages

    digests = {name: digest(text.encode("utf-8")) for name, text in pages.items()}
    known = {
        rel: entry[1] for rel, entry in manifest.output.items()
        if rel in pages and entry[0] == "f" and entry[2] and not entry[3] and digests[rel] == entry[2]
    }  # fmt: skip
    made = write_pages(settings.output, pages, settings.root, prune=False, known=known)
    reckoning.save_entries(cache, entries, displace=False)
    # every page the last build made is on disk, the pages made here with their new bytes
    # (but one that could not be written) and the others with the last build's
    sums = {rel: entry[2] for rel, entry in manifest.output.items() if entry[0] == "f" and rel not in pages}
    sums.update((name, digests[name]) for name in (*made.written, *made.unchanged))
    report = {**manifest.report, "problems": problems, "refused": tuple(made.refused)}
    cache.save_manifest(Manifest.of_build(read, inputs, listing(settings.output, time.time_ns(), sums), report))
    cache.drop_displaced()
    untouched = set(manifest.report["pages"]) - set(pages)
    return WriteResult(written=made.written, unchanged=sorted(untouched.union(made.unchanged)), refused=made.refused)


def _racy(
    cache: Cache, manifest: Manifest, found: Scan, entries: dict[str, Entry], seen_ns: int
) -> tuple[dict[str, bytes], dict[str, Entry]]:
    """Of the notes racy for the last build, but those read anew: the digests of those still
    racy; and the entries of the others, old enough now to be trusted by their stat, marked
    so (as read/notes.py marks them when a build reads the vault). Their bytes are the last
    build's: notes_changed compared them."""
    from vaultkit.read.cache import is_racy, segment_of

    racy: dict[str, bytes] = {}
    settled: dict[str, Entry] = {}
    for rel, sums in manifest.racy.items():
        if rel in entries:
            continue
        if is_racy(found.stats.get(rel), seen_ns):
            racy[rel] = sums
            continue
        entry = cache.load_segment(segment_of(rel)).get(rel)
        if entry is not None and entry[3]:
            settled[rel] = (*entry[:3], False, entry[4])  # type: ignore[assignment]
    return racy, settled
