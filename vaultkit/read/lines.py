"""A body line by line, with the date each line falls under: for date headings and dated notes.

The one-pass reader (records.parse_body) finds dated list items and tasks. Two rules of
vault-format.md need more: a heading that starts with a date (`### 2026-11-02`) dates the
undated list items below it, up to the next heading of the same or a higher level; and in a
note that has a date, every line that links a person is an interaction on that day. Both read
the body as `masks.mask` left it (code, quotes and comments blanked).
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from vaultkit.read.body import ITEM_RE, TAG_RE, TASK_RE, _outside_code, _valid_day, link_targets

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*)")  # closing #s are stripped by hand: a regex for them backtracks
# A date at the start of a text, maybe as a link to a daily note ([[2026-11-02]]), then a
# separator or the end: as records.BODY_LINE_RE reads it.
LEADING_DATE_RE = re.compile(r"(?:\[\[)?(\d{4}-\d{2}-\d{2})(?:\|[^\]\n]*)?(?:\]\])?(?=$|[\s:,.;)\-–—])[\s:,.;\-–—]*(.*)")
DATE_HEADING_RE = re.compile(r"^#{1,6}[ \t]+(?:\[\[)?\d{4}-\d{2}-\d{2}", re.M)


class Line(NamedTuple):
    number: int
    kind: str  # "heading" | "item" | "task" | "text"
    day: date | None  # the date the line's text starts with
    text: str  # without the heading marks, list marker, checkbox or leading date
    under: date | None  # the date of the date heading this line stands under
    level: int = 0  # a heading's level
    said: str = ""  # the text with its inline code, as a reader sees it (see masks.shown)


def body_lines(body: str, body_line: int, shown: str | None = None) -> list[Line]:
    """Every non-blank line outside code fences, classified, with the date heading above it.

    `body` as masks.mask left it; `shown` as masks.shown did (None: the same words)."""
    found: list[Line] = []
    sections: list[tuple[int, date | None]] = []  # open headings: (level, their date)
    for start, end, first in _outside_code(body, body_line):
        said_lines = None if shown is None else shown[start:end].split("\n")
        for n, raw in enumerate(body[start:end].split("\n")):
            if not raw.strip():
                continue
            number = first + n
            heading = HEADING_RE.match(raw)
            if heading:
                level, at = len(heading.group(1)), heading.start(2)
                stop = at + len(heading.group(2).rstrip(" \t#"))
                kind = "heading"
                while sections and sections[-1][0] >= level:
                    sections.pop()
            else:
                item = ITEM_RE.match(raw)
                if item:
                    at, stop = item.span(1)
                    task = TASK_RE.match(item.group(1))  # (its "^" would not match at a start past 0)
                    kind = "item" if task is None else "task"
                    if task:
                        at += task.start(2)
                else:
                    kind, at, stop = "text", 0, len(raw)
            day = None
            if kind != "task":  # (a text line's words start after its spaces, as raw.strip() would)
                day, at = _leading_date(raw, at, stop, skip_spaces=kind == "text")
            text = raw[at:stop].strip()
            said = text if said_lines is None else said_lines[n][at:stop].strip()
            if kind == "heading":
                found.append(Line(number, kind, day, text, _under(sections), level, said))
                sections.append((level, day))
            else:
                found.append(Line(number, kind, day, text, _under(sections), 0, said))
    return found


def _under(sections: list[tuple[int, date | None]]) -> date | None:
    for _, day in reversed(sections):
        if day is not None:
            return day
    return None


def _leading_date(text: str, at: int, stop: int, skip_spaces: bool = False) -> tuple[date | None, int]:
    """The date that text[at:stop] starts with (after its spaces, with `skip_spaces`), and
    where the rest starts."""
    while skip_spaces and at < stop and text[at].isspace():
        at += 1
    found = LEADING_DATE_RE.match(text, at, stop)
    if found:
        day = _valid_day(found.group(1))
        if day is not None:
            return day, found.start(2)
    return None, at


def tags_of(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(map(str.lower, TAG_RE.findall(text)))) if "#" in text else ()


def links_of(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(link_targets(text))) if "[[" in text else ()


def dated_sections(lines: list[Line]) -> list[tuple[date, Line]]:
    """A person's own note: (day, line) for each undated list item under a date heading,
    and for each date heading with no list item in its section, in the order of the lines."""
    found: list[tuple[date, Line]] = []
    open_: list[list] = []  # date headings whose section is open: [level, line, has a list item]

    def close(level: int) -> None:
        while open_ and open_[-1][0] >= level:
            _, heading, has_item = open_.pop()
            if not has_item:
                found.append((heading.day, heading))

    for line in lines:
        if line.kind == "heading":
            close(line.level)
            if line.day is not None:
                open_.append([line.level, line, False])
        elif line.kind in ("item", "task"):
            for section in open_:
                section[2] = True
            if line.kind == "item" and line.day is None and line.under is not None:
                found.append((line.under, line))
    close(0)
    return sorted(found, key=lambda f: f[1].number)
