"""`vaultkit build`: read the vault, render every page, write what changed.

With the cache (cache.py), a build reads only the notes whose stat changed, and a
build whose inputs all match the last build's -- every note's stat, today, the
settings, the templates, the other file names, the output folder's listing -- writes
nothing and reports what the last build reported. After a few people's notes changed
in ways the people's derived rows can take, it makes the pages that may differ from
those rows, without the index (build_rows.py). Either way the pages are exactly what a
build without the cache writes. The heavy modules (YAML, Jinja, the rules) are imported
only past the first check, so a build with nothing to do starts fast. Every build
keeps the rows for the next one (and `due`) once its pages are out.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from vaultkit.commands.as_read import (
    check_note_folders,
    notes_as_read,
    notes_changed,
    notes_read,
    read_all,
)
from vaultkit.errors import Problem, VaultkitError
from vaultkit.read.scan import Scan, Stat, scan
from vaultkit.settings import Settings
from vaultkit.words import plural
from vaultkit.write import WriteResult

if TYPE_CHECKING:
    from vaultkit.commands.reckoning import Loaded
    from vaultkit.index.vault import Index
    from vaultkit.read.cache import Cache, Manifest
    from vaultkit.read.codec import Entry


@dataclass(frozen=True)
class BuildReport:
    settings: Settings
    counts: tuple[int, int, int]  # people, events, resources
    index_problems: tuple[Problem, ...]
    pages: int
    result: WriteResult
    seconds: float
    index: Index | None = None  # None when the cache showed that nothing changed

    @property
    def problems(self) -> list[Problem]:
        return [*self.index_problems, *self.result.refused]

    @property
    def failed(self) -> bool:
        """Exit 1: a note had an error or a page was refused. Warnings do not count."""
        return any(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        result = self.result
        people, events, resources = self.counts
        errors = sum(1 for p in self.problems if p.severity == "error")
        warnings = len(self.problems) - errors
        parts = [
            f"{plural(people, 'person', 'people')}, {plural(events, 'event')}, "
            f"{plural(resources, 'resource')}",
            f"{plural(self.pages, 'page')}: {len(result.written)} written, {len(result.unchanged)} unchanged"
            + (f", {len(result.deleted)} deleted" if result.deleted else ""),
        ]
        if errors or warnings:
            parts.append(f"{plural(errors, 'problem')}, {plural(warnings, 'warning')}")
        out = self.settings.output.relative_to(self.settings.root).as_posix()
        return f"Built {out}/ from " + "; ".join(parts) + f" ({self.seconds:.2f} s)"


SETTLE_MIN = 50  # racy files that became old enough before the manifest is rewritten to say so


def check_output_inside(settings: Settings) -> None:
    """Refuse an output folder that is (or leads through) a symlink out of the vault, and a
    notes folder that is a file."""
    check_note_folders(settings)
    root = settings.root.resolve()
    if settings.output.exists() and not settings.output.is_dir():
        raise VaultkitError(
            f"output_dir {settings.output_dir!r} is a file, not a folder; move it away or set another output_dir"
        )
    if not settings.output.resolve().is_relative_to(root):
        raise VaultkitError(
            f"output_dir {settings.output_dir!r} leads outside the vault ({settings.output.resolve()}); refused"
        )


def require_people(settings: Settings, people: int) -> None:
    """No person at all is a vault vaultkit does not understand yet: say where it looked."""
    if people:
        return
    folder = settings.root / settings.people_dir
    if folder.is_dir():
        state = "no notes in it"
    elif folder.exists():
        state = "a file, not a folder"
    else:
        state = "no such folder"
    raise VaultkitError(
        f"no people found in {settings.root}: looked for notes in {settings.people_dir}/ ({state}), "
        f"and anywhere for notes tagged {'/'.join(settings.person_tags) or '(no person_tags)'} "
        "or with a type or category People, Person or Contact.\n"
        "Run `vaultkit init` in the vault to find where its people are, "
        "or set people_dir in vaultkit.toml to the folder that holds them. Nothing was written."
    )


def build(
    settings: Settings, today: date, use_cache: bool = True, waiting: Callable[[str], None] | None = None
) -> BuildReport:
    """Build every page. `use_cache=False` reads every note and leaves the cache alone.

    A vault with no person in it is an error, before anything is written. One build of a
    vault at a time (edit/lock.py): a second one waits, saying so through `waiting`.
    """
    from vaultkit.edit.lock import build_locked

    check_output_inside(settings)
    with build_locked(settings, waiting):
        report, rows = _build(settings, today, use_cache)
    if rows is not None:  # the people's rows, for the next build and `due`, once the pages are out
        from vaultkit.commands.reckoning import keep_rows

        keep_rows(rows, today)
    return report


def _build(settings: Settings, today: date, use_cache: bool) -> tuple[BuildReport, Loaded | None]:
    """The build, and the people's rows to make and keep after it (commands/reckoning.py)."""
    started = time.perf_counter()
    seen_ns = time.time_ns()  # before any stat: what is changed after this is racy
    found = scan(settings)
    require_people(settings, sum(1 for kind in found.notes.values() if kind in ("person", "note")))  # maybe people
    cache: Cache | None = None
    manifest: Manifest | None = None
    changed: list[str] | None = None  # the notes changed since the last build, when it read the same ones
    fresh_cache = not (settings.root / ".vaultkit").exists()  # removed again if nobody is found
    if use_cache:
        from vaultkit.read.cache import Cache, same_listing

        cache = Cache(settings)
        manifest = cache.manifest()
        if manifest is None:  # a first build, or a cache of another version: tidy it
            cache.drop_stale()
        inputs = _inputs(settings, found, today)
        if manifest is not None and manifest.inputs == inputs:
            # the notes whose stat (or bytes) changed, when the scan lists the notes as the last
            # build did: none is a build with nothing to do; a few may leave some of its pages
            changed = notes_changed(settings, found, manifest.notes, manifest.kinds, manifest.stats, manifest.racy)
            if (changed == [] and same_listing(manifest.output, settings.output)) or (
                changed is None and _unchanged(settings, found, manifest, cache)
            ):
                _settle(manifest, cache, seen_ns)
                report = manifest.report
                result = WriteResult(unchanged=list(report["pages"]), refused=list(report["refused"]))
                return BuildReport(settings, report["counts"], report["problems"], len(report["pages"]), result, time.perf_counter() - started), None
            if changed:
                from vaultkit.commands.build_rows import build_from_rows

                made = build_from_rows(settings, found, cache, manifest, changed, inputs, today, seen_ns)
                if made is not None:
                    report = manifest.report
                    seconds = time.perf_counter() - started
                    return BuildReport(settings, report["counts"], made.problems, len(report["pages"]), made.result, seconds), made.keep
    from vaultkit.pages.render import Renderer
    from vaultkit.pages.views import build_pages
    from vaultkit.read.cache import KEEP_MAX
    from vaultkit.write import write_pages

    # the notes read anew, as the cache held them: when only a few notes differ from the last
    # build's, what changed decides whether its Introductions.md and Events.md still hold
    replaced: dict[str, Entry] | None = {} if changed is not None and len(changed) <= KEEP_MAX else None
    entries, index = read_all(settings, found, cache, seen_ns, replaced)  # (frozen: it lives to the end)
    if not index.people:  # the notes outside the people folder were read: none is a person
        if fresh_cache:
            import shutil

            shutil.rmtree(settings.root / ".vaultkit", ignore_errors=True)
        require_people(settings, 0)
    digests: dict[str, bytes] = {}  # page -> digest of its text, when there is a cache to keep them
    try:
        kept: Mapping[str, str] = {}
        if replaced is not None and changed is not None and manifest is not None:
            assert cache is not None  # (a manifest comes from one)
            kept = pages_kept(settings, cache, manifest, changed, replaced, entries, today, index)
        pages = build_pages(index, today, Renderer(settings), kept=kept)
        if cache is not None:
            from vaultkit.read.cache import digest

            digests = {name: digest(text.encode("utf-8")) for name, text in pages.items()}
        result = write_pages(settings.output, pages, settings.root, known=_pages_left(manifest, digests))
    finally:
        gc.unfreeze()
    counts = (len(index.people), len(index.events), len(index.resources))
    from vaultkit.rules.reminders import date_warnings

    problems = (*index.problems, *date_warnings(index, today))
    if cache is not None:
        from vaultkit.read.cache import Manifest, listing

        # the bytes of each page now on disk (a page that could not be written holds others)
        written = {name: digests[name] for name in (*result.written, *result.unchanged)}
        read = notes_read(found, entries)
        report = {"counts": counts, "problems": problems, "pages": tuple(sorted(pages)), "refused": tuple(result.refused)}
        cache.save_manifest(Manifest.of_build(read, inputs, listing(settings.output, time.time_ns(), written), report))
        cache.drop_displaced()  # (the manifest has the stats of the notes as read now)
    rows: Loaded | None = None
    if cache is not None:
        from vaultkit.commands import reckoning
        from vaultkit.pages.forked import PLATFORM_FORKS

        # the rows made from the index, in a child the build does not wait for; where no
        # process forks (macOS, Windows) it would wait for them: `due` makes them there
        if reckoning.writable(cache) is not None and PLATFORM_FORKS:
            rows = reckoning.Loaded(settings, index=index, remake=reckoning.remade(cache, index, read), cache=cache)
    return BuildReport(settings, counts, problems, len(pages), result, time.perf_counter() - started, index), rows


def pages_kept(
    settings: Settings, cache: Cache, manifest: Manifest, changed: list[str], replaced: dict[str, Entry],
    entries: dict[str, Entry], today: date, index: Index,
) -> Mapping[str, str]:
    """The pages of the last build that still hold, of those a build may keep (views.KEEPABLE:
    Introductions.md, Events.md, Thank-you notes.md; and the thank-you drafts), with their
    text (pages/kept.KeptPages).

    The caller has checked that the day, the templates and the notes (names, kinds, order)
    are the last build's but for the stats or bytes of `changed` (notes_changed). These
    must all be people's notes that this build read anew; what the last build read of each
    is the cache's entry this build replaced (`replaced`), or one that a command since kept
    as it replaced it (Cache.keep_displaced: `due` keeps a changed note's new record in the
    segments), by the manifest's stat. The other notes are as they were,
    so a page that reads the same of each changed person's old record and new one
    (rules/matchmaking.reads_of: a log line that says no role, a follow-up, a cadence count
    for nothing to Introductions.md) reads the same of everyone's merged record. Such a
    page is kept if the vault has no template of its own for it (that may show anything of
    a person) and it is still the bytes the last build wrote (by digest).

    A thank-you draft shows one person's merged record and the names of the people its
    lines link: while no changed person changed their name or aliases, every
    other person's draft of the last build holds (offered here; taken, if still the bytes
    written, when the build asks for it: views._drafts), and with Thank-you notes.md kept
    and the built-in draft template, every draft does (KeptPages.all_drafts)."""
    from vaultkit.model import Person
    from vaultkit.pages.kept import KeptPages
    from vaultkit.pages.views import (
        DRAFT_TEMPLATE,
        DRAFTS,
        KEEPABLE,
        THANKS,
        draft_page,
        own_template,
        reads_same,
    )

    pairs: list[tuple[Person, Person]] = []  # each changed person's record then and now
    for rel in changed:
        old, new = cache.last_read(manifest, rel, replaced.get(rel)), entries.get(rel)
        if new is None or old is None:
            return {}  # what the last build read of it is not known
        was, now = old[4].item, new[4].item
        if type(was) is not Person or type(now) is not Person:
            return {}
        pairs.append((was, now))
    kept = KeptPages(settings.output, manifest.output, manifest.report["pages"])
    for page, (template, _) in KEEPABLE.items():
        if not own_template(settings, template) and reads_same(page, pairs, today, settings, index.attended):
            kept.offer(page)
    # (A changed person's file name, and so their key, is the same: the note names are.)
    if all((was.name, was.other_keys) == (now.name, now.other_keys) for was, now in pairs):
        # Each thank-you draft shows one person's merged record and the names of whom its lines
        # link: the same for everyone else, whose record is the same (the changed notes are
        # people's own, and only daily and meeting notes give lines to others:
        # index/vault._mentioned) and whose links name the same people (the lookup is made of
        # the people's names and other names, which no changed person changed).
        # With Thank-you notes.md kept, the changed people read the same to it (who they are,
        # the favours they are owed thanks for), and so to their built-in draft: every draft
        # holds, and who is owed thanks is not worked out again.
        every = THANKS in kept and not own_template(settings, DRAFT_TEMPLATE)
        mine = set() if every else {draft_page(person) for pair in pairs for person in pair}
        drafts = tuple(page for page in manifest.report["pages"] if page.startswith(DRAFTS))
        for page in drafts:
            if page not in mine:
                kept.offer(page)
        if every:
            kept.drafts_left = drafts
    return kept


def _pages_left(manifest: Manifest | None, digests: dict[str, bytes]) -> dict[str, Stat] | None:
    """The pages the last build left with the bytes they have now (by digest), each with the
    stat it left them with (racy ones aside)."""
    if manifest is None:
        return None
    return {
        rel: entry[1]
        for rel, entry in manifest.output.items()
        if entry[0] == "f" and entry[2] and not entry[3] and digests.get(rel) == entry[2]
    }


def _inputs(settings: Settings, found: Scan, today: date) -> bytes:
    """Everything besides the notes and the code that the pages depend on: the day, the other
    files' names, the scan's problems, the vault's templates and the settings the cache's key
    leaves out (a template of the vault's may show them)."""
    from vaultkit.read.cache import inputs_digest, templates_read, unkeyed_settings

    return inputs_digest((today.isoformat(), found.names(), found.problems, templates_read(settings), unkeyed_settings(settings)))


def _unchanged(settings: Settings, found: Scan, manifest: Manifest, cache: Cache) -> bool:
    """Every note as the last build read it, and the output folder as it left it."""
    from vaultkit.read.cache import same_listing

    return notes_as_read(
        settings, found, manifest.notes, manifest.kinds, manifest.stats, manifest.racy, manifest.stat_of
    ) and same_listing(manifest.output, settings.output)


def _settle(manifest: Manifest, cache: Cache, seen_ns: int) -> None:
    """Files checked by digest (racy) that are now old enough are trusted by stat from now on."""
    from vaultkit.read.cache import is_racy

    settled = 0
    for rel in list(manifest.racy):
        if not is_racy(manifest.stat_of(rel), seen_ns):
            del manifest.racy[rel]
            settled += 1
    for rel, entry in list(manifest.output.items()):
        if entry[0] == "f" and entry[3] and not is_racy(entry[1], seen_ns):
            manifest.output[rel] = (*entry[:3], False)
            settled += 1
    if settled > SETTLE_MIN:  # rewriting the manifest costs more than checking a few files again
        cache.save_manifest(manifest)
