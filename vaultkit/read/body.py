"""A note's body: links, tags, dated list items and tasks, in one pass of each pattern.

Code fences are skipped; records.py turns what this finds into a person's interactions and
follow-ups, and lines.py reads the same body line by line where a rule needs headings.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from vaultkit.errors import Problem
from vaultkit.model import FollowUp, Interaction, Link
from vaultkit.words import key_of

if TYPE_CHECKING:  # (the note parser and PyYAML: the rules use this module's patterns without them)
    from vaultkit.read.note import Note

# No part of a link holds "[": a line of "[[[[..." then costs linear time, not quadratic.
# TARGET_RE is for the targets: a pattern that starts with "[[" is searched for several times
# faster; LINK_RE also takes the "!" of an embed (`![[image.png]]`), for a link as written.
TARGET_RE = re.compile(r"\[\[([^\[\]\|#\^]*)(?:[#\^][^\[\]\|]*)?(?:\|([^\[\]]*))?\]\]")
LINK_RE = re.compile("!?" + TARGET_RE.pattern)
# A "#" with no word character, "&", "/" or "#" before it (the lookbehind after the "#", so that
# the pattern starts with a plain character and is searched for fast).
TAG_RE = re.compile(r"#(?<![\w&/#]#)([^\s#\d\W][\w/-]*|[\d_][\w/-]*[^\W\d][\w/-]*)")
ITEM_RE = re.compile(r"^[\s\u200b]*(?:[-*+]|\d+[.)])\s+(.*)$")
TASK_RE = re.compile(r"^\[(.)\]\s*(.*)$")
DUE_RE = re.compile(r"(?:📅|\bdue::?)\s*(\d{4}-\d{2}-\d{2})")
# The Obsidian Tasks plugin's signifiers; they and their dates are not part of the task's text.
# `(?:(?<!\s)\s++)?`: a field takes the spaces before it, but only a whole run of them, and
# field values hold no brackets; a long line stays linear instead of quadratic.
TASK_FIELD_RE = re.compile(
    r"(?:(?<!\s)\s++)?(?:(?:📅|⏳|🛫|➕|✅|❌)\s*\d{4}-\d{2}-\d{2}|\bdue::?\s*\d{4}-\d{2}-\d{2}"
    r"|[\[(](?:due|scheduled|start|created|completion|cancelled|priority|repeat|onCompletion|id|dependsOn)::[^\])\[(]*[\])]"
    r"|🏁\s*\w+|🆔\s*[\w-]+|⛔\s*[\w,-]+"
    r"|🔁[^📅⏳🛫➕✅❌⏫🔼🔽⏬🔺🏁🆔⛔]*|[⏫🔼🔽⏬🔺])"
)
FENCE_RE = re.compile(r"^\s*(```|~~~)")
# parse_body reads the whole body with one pass of each pattern below, not line by line: they
# are the patterns above made to stay within one line (`[^\S\n]` is `\s` without the newline;
# `.` never takes a newline) and run with re.M, so that `^` and `$` are a line's ends.
# BODY_LINE_RE matches every line, so that the n-th match is the n-th line; in a line that is
# ITEM_RE followed by TASK_RE, it captures (status, task); followed by a date (maybe as a
# [[link]]) and a separator or the end, (date, rest). The possessive `*+`, `++` keep it
# linear. tests/test_body_reader.py holds parse_body to a plain line-by-line reading.
BODY_LINE_RE = re.compile(
    r"^(?:(?:[^\S\n]|\u200b)*+(?:[-*+]|\d++[.)])[^\S\n]++"
    r"(?:\[(.)\][^\S\n]*+(.*)"
    r"|(?:\[\[)?(\d{4}-\d{2}-\d{2})(?:\|[^\]\n]*)?(?:\]\])?(?=$|[\s:,.;)\-–—])(?:[^\S\n]|[:,.;\-–—])*+(.*)))?.*",
    re.M,
)
# TARGET_RE within a line; parse_body takes the "!" of an embed from before the match.
BODY_LINK_RE = re.compile(r"\[\[([^\[\]\|#\^\n]*)(?:[#\^][^\[\]\|\n]*)?(?:\|([^\[\]\n]*))?\]\]")
FENCE_LINE_RE = re.compile(r"^[^\S\n]*+(?:```|~~~).*", re.M)


def link_targets(text: str) -> list[str]:
    return [key_of(target) for target, _ in TARGET_RE.findall(text) if target.strip()]


def parse_body(
    note: Note, body: str | None = None, shown: str | None = None
) -> tuple[list[Interaction], list[FollowUp], list[Link], list[Problem]]:
    """Dated list items are interactions; task items are follow-ups; [[links]] everywhere.

    `body`: the note's body as masks.mask left it (code spans, quotes and comments blanked);
    `shown`: as masks.shown left it, where the lines' words are taken from (their code too).
    """
    interactions: list[Interaction] = []
    followups: list[FollowUp] = []
    links: list[Link] = []
    problems: list[Problem] = []
    rel = note.rel
    if body is None:
        body = note.body
    for start, end, first in _outside_code(body, note.body_line):
        line, at = first, start  # the line number at position `at`: counted forward, match by match
        if "[[" in body:
            for found in BODY_LINK_RE.finditer(body, start, end):
                if found.group(1).strip():
                    begin = found.start()
                    line += body.count("\n", at, begin)
                    at = begin
                    text = found.group(0)
                    if begin > start and body[begin - 1] == "!":
                        text = "!" + text
                    links.append(Link(key_of(found.group(1)), text, line))
        # (where there is code, each line's task and text as shown, found at the same places)
        said = None if shown is None else [(shown[m.start(2) : m.end(2)], shown[m.start(4) : m.end(4)])
                                            for m in BODY_LINE_RE.finditer(body, start, end)]
        for line, (status, task, day, rest) in enumerate(BODY_LINE_RE.findall(body, start, end), first):
            if day:
                when = _valid_day(day)
                if when is None:
                    problems.append(Problem(rel, line, f"{day} is not a real date", code="date"))
                    continue
                rest = rest.strip()
                tags = tuple(dict.fromkeys(map(str.lower, TAG_RE.findall(rest)))) if "#" in rest else ()
                targets = tuple(link_targets(rest)) if "[[" in rest else ()
                text = rest if said is None else said[line - first][1].strip()
                interactions.append(_new_tuple(Interaction, (when, text, tags, targets, line, "")))
            elif status:  # a task item
                due_match = DUE_RE.search(task)
                due = None
                if due_match:
                    due = _valid_day(due_match.group(1))
                    if due is None:
                        problems.append(Problem(rel, line, f"follow-up due date {due_match.group(1)} is not a real date", code="date"))
                clean = task_text(task, None if said is None else said[line - first][0])
                followups.append(FollowUp(clean, due, status not in " /", line, tuple(link_targets(task))))
    return interactions, followups, links, problems


def task_text(task: str, said: str | None = None) -> str:
    """A task's words without the Tasks plugin's fields; `said`: the task as shown (its code
    kept, see masks.shown), whose words are taken at the places of those outside the fields."""
    if said is None:
        return TASK_FIELD_RE.sub("", task).strip()
    parts, at = [], 0
    for field in TASK_FIELD_RE.finditer(task):  # (found in the masked task: none in code)
        parts.append(said[at : field.start()])
        at = field.end()
    parts.append(said[at:])
    return "".join(parts).strip()


_new_tuple = tuple.__new__  # an Interaction from a tuple of its fields, without its Python __new__


def _outside_code(body: str, body_line: int) -> list[tuple[int, int, int]]:
    """(start, end, line number at start) of each stretch of the body outside ``` and ~~~ fences.

    The fence lines themselves are in no stretch.
    """
    if "```" not in body and "~~~" not in body:
        return [(0, len(body), body_line)]
    stretches = []
    start, in_code = 0, False
    for fence in FENCE_LINE_RE.finditer(body):
        if not in_code:
            stretches.append((start, fence.start(), body_line + body.count("\n", 0, start)))
        in_code = not in_code
        start = fence.end() + 1  # the line after the fence
    if not in_code:
        stretches.append((start, len(body), body_line + body.count("\n", 0, start)))
    return stretches


@lru_cache(maxsize=1 << 14)  # one call per dated line, on a few thousand distinct days: one date object each
def _valid_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
