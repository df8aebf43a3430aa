"""A build keeps the last build's Introductions.md while nothing matchmaking reads changed.

Each case edits the SMALL network of test_introductions.py after a build, builds again
through the cache, and compares every page with a cold build of the same notes. Whether
the page was kept is asked of commands/build.introductions_kept on the vault's real files
and cache, as the build asks it.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli, write_vault
from test_introductions import SMALL

from vaultkit.commands.build import introductions_kept, notes_changed, read_all
from vaultkit.index.vault import load_vault
from vaultkit.pages.render import Renderer
from vaultkit.pages.views import build_pages
from vaultkit.read.cache import Cache
from vaultkit.read.scan import scan
from vaultkit.settings import load_settings

TODAY = "2026-12-01"
DAILY = {"Daily/2026-11-25.md": "Lunch with [[Gil Ross]].\n"}


def pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.md"))}


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
    stamp = time.time() + 5  # another stat than the build took, on any file system
    os.utime(path, (stamp, stamp))


def replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def kept(root: Path) -> str | None:
    """What the next build of the vault will take as its Introductions.md (None: made again),
    asked as the build asks it; the cache is left as it was, so the build that follows
    reads the same notes anew and comes to the same answer."""
    saved = root.parent / "cache-before"
    shutil.copytree(root / ".vaultkit", saved)
    try:
        return _kept(root)
    finally:
        shutil.rmtree(root / ".vaultkit")
        saved.rename(root / ".vaultkit")


def _kept(root: Path) -> str | None:
    settings = load_settings(root)
    found = scan(settings)
    cache = Cache(settings)
    manifest = cache.manifest()
    assert manifest is not None
    changed = notes_changed(settings, found, manifest.notes, manifest.kinds, manifest.stats, manifest.racy)
    assert changed is not None
    replaced: dict = {}
    entries, _ = read_all(settings, found, cache, time.time_ns(), replaced)
    return introductions_kept(settings, manifest, changed, replaced, entries, date.fromisoformat(TODAY))


def cold(root: Path, tmp_path: Path) -> dict[str, str]:
    copy = tmp_path / "cold"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
    assert run_cli("build", "--no-cache", vault=copy, today=TODAY).exit_code == 0
    return pages(copy / "Overview")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = write_vault(tmp_path / "vault", {**SMALL, **DAILY})
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    assert "Ada Byron" in (root / "Overview" / "Introductions.md").read_text(encoding="utf-8")
    return root


# edits that change nothing matchmaking reads: the page is the last build's
KEEPS = {
    "a log line that says no role": ("append", "people/Ada Byron.md", "- 2026-11-30 Coffee again. #coffee\n"),
    "an old line that says a role": ("append", "people/Ben Okri.md", "- 2025-01-02 Was hiring then.\n"),
    "a follow-up": ("append", "people/Cleo Marsh.md", "- [ ] Send her the deck 📅 2026-12-03\n"),
    "a cadence": ("replace", "people/Eli Stone.md", "tags: [investor, climate]", "cadence: monthly\ntags: [investor, climate]"),
}

# edits that change what matchmaking reads, or that it cannot tell from people's notes
REMAKES = {
    "a recent line that says a role": ("append", "people/Dara Quinn.md", "- 2026-11-29 She is hiring a designer.\n"),
    "a recent line with a role tag": ("append", "people/Gil Ross.md", "- 2026-11-29 Talked shop. #hiring\n"),
    "a tag": ("replace", "people/Hal Pike.md", "tags: [ux]", "tags: [ux, climate]"),
    "an interest": ("replace", "people/Ivo Lane.md", "typography]", "typography, letterpress]"),
    "a status": ("replace", "people/Eli Stone.md", "tags: [investor, climate]", "status: paused\ntags: [investor, climate]"),
    "a company": ("replace", "people/Lev Hart.md", "company: lumen", "company: Elsewhere"),
    "a link": ("append", "people/Hal Pike.md", "Met [[Gil Ross]] at a fair.\n"),
    "a daily note": ("append", "Daily/2026-11-25.md", "Introduced [[Hal Pike]] to [[Gil Ross]].\n"),
}


def edit(root: Path, how: tuple[str, ...]) -> None:
    if how[0] == "append":
        append(root, how[1], how[2])
    else:
        replace(root, *how[1:])


@pytest.mark.parametrize("case", sorted(KEEPS))
def test_an_edit_matchmaking_does_not_read_keeps_the_page(built, tmp_path, case):
    before = (built / "Overview" / "Introductions.md").read_text(encoding="utf-8")
    edit(built, KEEPS[case])
    assert kept(built) == before
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)


@pytest.mark.parametrize("case", sorted(REMAKES))
def test_an_edit_matchmaking_reads_makes_the_page_again(built, tmp_path, case):
    edit(built, REMAKES[case])
    assert kept(built) is None
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_the_pages_change_where_matchmaking_reads_a_change(built, tmp_path):
    """The remade page differs from the last one (the cases above could not tell)."""
    before = (built / "Overview" / "Introductions.md").read_text(encoding="utf-8")
    edit(built, REMAKES["a status"])  # Eli pauses: Dara and Eli are no pair any more
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    after = (built / "Overview" / "Introductions.md").read_text(encoding="utf-8")
    assert "[[Eli Stone]]" in before and "[[Eli Stone]]" not in after


def test_a_vaults_own_template_makes_the_page_again(built, tmp_path):
    """A vault's Introductions.md.j2 may show anything of a person, not only what
    matchmaking reads: here how many log lines they have."""
    builtin = Path(__file__).resolve().parent.parent / "templates" / "Introductions.md.j2"
    own = builtin.read_text(encoding="utf-8").replace("{{ m.reason | one_line }}", "{{ m.reason | one_line }} ({{ m.a.interactions | length }} lines)")
    assert own != builtin.read_text(encoding="utf-8")
    (built / "templates").mkdir()
    (built / "templates" / "Introductions.md.j2").write_text(own, encoding="utf-8")
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    edit(built, KEEPS["a log line that says no role"])
    assert kept(built) is None
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert "[[Ada Byron]] ↔ [[Ben Okri]]" in (built / "Overview" / "Introductions.md").read_text(encoding="utf-8")
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_a_page_changed_by_hand_is_made_again(built, tmp_path):
    append(built, "Overview/Introductions.md", "my own line\n")
    edit(built, KEEPS["a log line that says no role"])
    assert kept(built) is None
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_a_note_the_cache_holds_newer_than_the_build_read_is_not_trusted(built, tmp_path):
    """`vaultkit due` after an edit keeps that note's new record in the cache: the next build
    cannot tell what the last build read of it, and makes the page again."""
    edit(built, REMAKES["a recent line that says a role"])
    assert run_cli("due", vault=built, today=TODAY).exit_code == 0
    assert kept(built) is None
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_another_day_makes_the_page_again(built, tmp_path):
    edit(built, KEEPS["a log line that says no role"])
    assert run_cli("build", vault=built, today="2026-12-02").exit_code == 0
    copy = tmp_path / "cold"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
    assert run_cli("build", "--no-cache", vault=copy, today="2026-12-02").exit_code == 0
    assert pages(built / "Overview") == pages(copy / "Overview")
    assert "Wednesday 2 December 2026" in (built / "Overview" / "Introductions.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fork", [False, True])
def test_pages_made_with_a_known_introductions_page_are_the_same(built, fork):
    """A child, when there is one, makes the thank-you notes and Events.md instead."""
    index = load_vault(load_settings(built))
    today = date.fromisoformat(TODAY)
    made = build_pages(index, today, Renderer(index.settings), fork=False)
    known = made["Introductions.md"]
    assert build_pages(index, today, Renderer(index.settings), fork=fork, introductions=known) == made
