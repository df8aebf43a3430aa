"""After any sequence of edits, an incremental build (through the cache) writes what a cold one does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import run_cli, write_vault
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TODAY = "2026-11-20"
PEOPLE = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson"]
TAGS = ["investor", "job-seeker", "climate", "climate"]  # pairs for Introductions.md from the start
GROUPS = ["Python London", "Python London", "Climate Circle", "Python London"]  # the groups' pages, the dashboard

edit = st.one_of(
    st.tuples(st.just("daily"), st.integers(1, 25), st.sampled_from(PEOPLE), st.sampled_from(["", " #help", " #thanked", " #intro", " #intro [[Ghost]]"])),
    st.tuples(st.just("log"), st.integers(1, 25), st.sampled_from(PEOPLE), st.sampled_from(["", " #gift"])),
    st.tuples(st.just("task"), st.integers(1, 25), st.sampled_from(PEOPLE), st.just("")),
    st.tuples(st.just("delete"), st.integers(1, 25), st.sampled_from(PEOPLE), st.just("")),
    st.tuples(st.just("cadence"), st.integers(1, 25), st.sampled_from(PEOPLE), st.sampled_from(["monthly", "weekly", ""])),
    # what matchmaking reads (Introductions.md is kept while it is the same: commands/build.py)
    st.tuples(st.just("said"), st.integers(1, 25), st.sampled_from(PEOPLE), st.sampled_from(["She is hiring engineers.", "Coffee.", "Talked. #founder"])),
    # what a thank-you draft shows of the people its line links (their drafts are kept while
    # no changed person has another name: commands/build.py)
    st.tuples(st.just("name"), st.integers(1, 25), st.sampled_from(PEOPLE), st.sampled_from(["", "The Countess", "Amazing Grace"])),
    # an alias, which may make a link to no note ([[Ghost]]) mean someone
    st.tuples(st.just("alias"), st.integers(1, 25), st.sampled_from(PEOPLE), st.sampled_from(["", "Ghost", "Countess"])),
)


def pages(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.md"))}


def apply(root: Path, op: tuple[str, int, str, str], step: int) -> None:
    kind, day, who, tag = op
    daily = root / "Daily" / f"2026-11-{day:02d}.md"
    person = root / "People" / f"{who}.md"
    if kind == "daily":
        daily.parent.mkdir(exist_ok=True)
        with daily.open("a", encoding="utf-8") as handle:
            handle.write(f"Met [[{who}]] and [[{PEOPLE[day % len(PEOPLE)]}]]{tag}\n")
    elif kind == "log":
        with person.open("a", encoding="utf-8") as handle:
            handle.write(f"- 2026-11-{day:02d} Call {step}{tag}\n")
    elif kind == "task":
        daily.parent.mkdir(exist_ok=True)
        with daily.open("a", encoding="utf-8") as handle:
            handle.write(f"- [ ] Write to [[{who}]] 📅 2026-11-{day:02d}\n")
    elif kind == "delete" and daily.exists():
        daily.unlink()
    elif kind == "said":
        with person.open("a", encoding="utf-8") as handle:
            handle.write(f"- 2026-11-{day:02d} {tag}\n")
    elif kind in ("name", "alias"):
        key = "name" if kind == "name" else "aliases"
        value = tag if kind == "name" else f"[{tag}]"
        head, body = person.read_text(encoding="utf-8")[4:].split("---\n", 1)
        head = "".join(line for line in head.splitlines(keepends=True) if not line.startswith(f"{key}:"))
        person.write_text(f"---\n{f'{key}: {value}' + chr(10) if tag else ''}{head}---\n{body}", encoding="utf-8")
    elif kind == "cadence":
        text = person.read_text(encoding="utf-8").split("---\n", 2)[2]
        tags = f"tags: [python, {TAGS[PEOPLE.index(who)]}]\ngroups: [{GROUPS[PEOPLE.index(who)]}]\n"
        person.write_text(f"---\ncadence: {tag}\n{tags}---\n{text}" if tag else f"---\n{tags}---\n{text}", encoding="utf-8")
    # a new mtime for the note written, each step: the cache is told by stat, as on a real disk
    # (the other note's is left alone: a build keeps pages only while people's notes alone changed)
    written = daily if kind in ("daily", "task") else person if kind != "delete" else None
    if written is not None and written.exists():
        stamp = 1_700_000_000 + step
        os.utime(written, (stamp, stamp))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(edit, min_size=1, max_size=4), min_size=1, max_size=4))
def test_incremental_builds_equal_a_cold_build(tmp_path_factory, batches):
    root = write_vault(
        tmp_path_factory.mktemp("vault"),
        {
            **{
                f"People/{name}.md": f"---\ncadence: monthly\ntags: [python, {TAGS[at]}]\ngroups: [{GROUPS[at]}]\n---\n## Log\n"
                for at, name in enumerate(PEOPLE)
            },
            # Share.md ranks the people a resource matches by how overdue they are
            "resources/Grant guide.md": '---\ntags: [climate, python]\nadded: 2026-11-01\nshared_with: ["[[Alan Turing]]"]\n---\n',
            # Events.md reads the attendees' lines since a past event, and the invitees' topics
            "events/2026-11-05 Meetup.md": '---\ndate: 2026-11-05\ninvite: [python]\nattendees: ["[[Ada Lovelace]]"]\n---\n',
            "events/2026-11-28 Drinks.md": "---\ndate: 2026-11-28\ninvite: [climate, job-seeker]\n---\n",
        },
    )
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    step = 0
    for number, batch in enumerate(batches):
        for op in batch:
            step += 1
            apply(root, op, step)
        assert run_cli("build", vault=root, today=TODAY).exit_code in (0, 1)
        # after every batch, not only the last: a page kept wrongly may be made again later
        cold = tmp_path_factory.mktemp(f"cold-{number}") / "vault"
        shutil.copytree(root, cold, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
        assert run_cli("build", "--no-cache", vault=cold, today=TODAY).exit_code in (0, 1)
        assert pages(cold / "Overview") == pages(root / "Overview")
