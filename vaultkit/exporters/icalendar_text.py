"""A small writer of iCalendar text (RFC 5545): content lines, escaping, folding, CRLF.

Written by hand rather than through `icalendar`'s objects because an export of 10,000
people spent most of its time making those objects and having them serialize
themselves; the few rules the output needs fit on one screen. `icalendar` stays the
reader, and the tests parse every file written here with it.

Only what vaultkit writes is supported: TEXT values (escaped here), and values the
caller has already formatted (dates, durations, URIs, recurrence rules).
"""

from __future__ import annotations

import re
from datetime import date, datetime

CRLF = "\r\n"
LIMIT = 75  # octets a line may hold, CRLF not counted (RFC 5545 section 3.1)

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # CTL but tab and newline: not allowed in TEXT


def text(value: str) -> str:
    """A TEXT value (section 3.3.11): backslash, semicolon, comma escaped; newlines as \\n.

    CR LF and a lone CR count as one newline; other control characters, which the
    format does not allow in TEXT, are left out.
    """
    if not value.isprintable():  # (every control character is unprintable; most values have none)
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = _CONTROL.sub("", value)
    # str.replace four times is several times faster than one str.translate with a table;
    # the backslash first, so that no escape's own backslash is doubled
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def day(value: date) -> str:
    """A DATE value: 20261201."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def utc(value: datetime) -> str:
    """A DATE-TIME value in UTC (the caller gives a UTC time): 20261201T000000Z."""
    return f"{day(value)}T{value.hour:02d}{value.minute:02d}{value.second:02d}Z"


def duration(minutes: int) -> str:
    """A DURATION value from minutes, zero or more: PT9H, PT9H30M, PT0S."""
    hours, rest = divmod(minutes, 60)
    if not minutes:
        return "PT0S"
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


def fold(line: str) -> str:
    """One content line folded at 75 octets: CRLF and a space before each continuation.

    Counted in UTF-8 octets, never splitting a character (section 3.1 allows a fold
    anywhere but inside a character's octets); the space that starts a continuation
    counts toward its 75.
    """
    if len(line) <= LIMIT and line.isascii():
        return line  # most lines
    if line.isascii():  # one octet a character: cut by length
        parts = [line[:LIMIT]]
        parts += [line[i : i + LIMIT - 1] for i in range(LIMIT, len(line), LIMIT - 1)]
        return (CRLF + " ").join(parts)
    if len(line.encode("utf-8")) <= LIMIT:
        return line
    parts = []
    start, size, room = 0, 0, LIMIT
    for i, char in enumerate(line):
        width = len(char.encode("utf-8"))
        if size + width > room:
            parts.append(line[start:i])
            start, size, room = i, 0, LIMIT - 1
        size += width
    parts.append(line[start:])
    return (CRLF + " ").join(parts)


class Writer:
    """Content lines in order, then the file's bytes; components opened and closed by name."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def begin(self, name: str) -> None:
        self.lines.append(f"BEGIN:{name}")

    def end(self, name: str) -> None:
        self.lines.append(f"END:{name}")

    def add(self, name: str, value: str, /, **params: str) -> None:
        """`NAME;PARAM=value:value`, value as given (escape TEXT with text() first).

        Parameter values here are vaultkit's own (VALUE=DATE, RELATED=START): plain
        words that need no quoting."""
        if params:
            name += "".join(f";{key.replace('_', '-').upper()}={val}" for key, val in params.items())
        self.lines.append(fold(f"{name}:{value}"))

    def to_bytes(self) -> bytes:
        return (CRLF.join(self.lines) + CRLF).encode("utf-8")
