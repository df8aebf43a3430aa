"""parse_body reads a body in one regex pass; it must say what a plain line-by-line reading says.

`line_by_line` below is that plain reading (how parse_body read bodies before it was made
fast): each line matched in turn against the item, task and dated-line patterns. Random bodies
built from the pieces that matter (list markers, checkboxes, dates real and impossible, tags,
links and embeds, fences, odd whitespace) must give both the same interactions, follow-ups,
links and problems, line numbers included.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vaultkit.errors import Problem
from vaultkit.model import FollowUp, Interaction, Link
from vaultkit.read.body import (
    DUE_RE,
    FENCE_RE,
    ITEM_RE,
    LINK_RE,
    TAG_RE,
    TASK_FIELD_RE,
    TASK_RE,
    _valid_day,
    link_targets,
    parse_body,
)
from vaultkit.read.note import Note
from vaultkit.words import key_of

# A dated line: the date, maybe as a [[link]], then a separator or the end.
DATE_START_RE = re.compile(r"^(?:\[\[)?(\d{4}-\d{2}-\d{2})(?:\|[^\]]*)?(?:\]\])?(?=$|[\s:,.;)\-–—])[\s:,.;\-–—]*")


def line_by_line(note: Note) -> tuple[list, list, list, list]:
    interactions, followups, links, problems = [], [], [], []
    in_code = False
    for number, line in enumerate(note.body.split("\n"), start=note.body_line):
        if FENCE_RE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        for found in LINK_RE.finditer(line):
            if found.group(1).strip():
                links.append(Link(key_of(found.group(1)), found.group(0), number))
        item = ITEM_RE.match(line)
        if not item:
            continue
        text = item.group(1)
        task = TASK_RE.match(text)
        if task:
            status, rest = task.group(1), task.group(2)
            due_match = DUE_RE.search(rest)
            due = None
            if due_match:
                due = _valid_day(due_match.group(1))
                if due is None:
                    problems.append(Problem(note.rel, number, f"follow-up due date {due_match.group(1)} is not a real date", code="date"))
            clean = TASK_FIELD_RE.sub("", rest).strip()
            followups.append(FollowUp(clean, due, status not in " /", number, tuple(link_targets(rest))))
            continue
        dated = DATE_START_RE.match(text)
        if not dated:
            continue
        when = _valid_day(dated.group(1))
        if when is None:
            problems.append(Problem(note.rel, number, f"{dated.group(1)} is not a real date", code="date"))
            continue
        rest = text[dated.end():].strip()
        tags = tuple(dict.fromkeys(t.lower() for t in TAG_RE.findall(rest)))
        interactions.append(Interaction(when, rest, tags, tuple(link_targets(rest)), number))
    return interactions, followups, links, problems


PIECES = [
    "- ", "* ", "+ ", "1. ", "2) ", "  - ", "\t- ", "\u200b- ", "-", " ", "  ", "\t", "\x0b", "\u00a0", "\u2028",
    "[ ] ", "[x] ", "[/] ", "[-] ", "[]", "2026-11-30", "2026-02-30", "[[2026-11-30]]", "[[2026-11-30|Mon]]",
    ": ", " — ", ", ", ".", "Coffee", "#help", "#thanked", "x#not", "#1", "#a/b-c", "[[Ada]]", "![[Ada.png]]",
    "[[Ada|label]]", "[[Ada#Work]]", "[[ ]]", "[[", "]]", "📅 2026-12-01", "due: 2026-12-01", "📅 2026-13-01",
    "⏫", "🔁 every week", "[due:: 2026-12-02]", "```", "~~~", "``", "#", "## Log", "\r",
]  # fmt: skip

lines = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
bodies = st.lists(lines, max_size=12).map("\n".join)


@given(body=bodies, body_line=st.integers(1, 50))
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(body="```\n- 2026-11-30 in code [[Ada]]\n```\n- 2026-11-30 Coffee. #help ![[Ada]]", body_line=5)
@example(body="- [ ] 2026-11-30 a task, not an interaction 📅 2026-02-30\n- 2026-02-30 no such day", body_line=1)
def test_the_body_reads_as_a_line_by_line_reading_says(body, body_line):
    note = Note(rel="people/Ada.md", body=body, body_line=body_line)
    assert parse_body(note) == line_by_line(note)
