"""LinkedIn's messages.csv (from "Get a copy of your data") -> one ledger entry per
conversation and day with people in the vault.

The export's header is `CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,
RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER` (newer exports add ATTACHMENTS,
IS MESSAGE DRAFT, IS CONVERSATION DRAFT) and dates read `2025-06-01 14:03:22 UTC`. The
CONTENT column is never read into an entry.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from vaultkit.errors import VaultkitError
from vaultkit.importers.contact import clean, profile_key
from vaultkit.importers.ledger import Entry, block_id, names_text, with_subject
from vaultkit.importers.notetext import fold
from vaultkit.importers.people_match import People, link
from vaultkit.importers.tally import Options, Tally, Wrap
from vaultkit.importers.text import csv_rows, decode

REQUIRED = ("CONVERSATION ID", "FROM", "SENDER PROFILE URL", "DATE")
DATE_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[ T]|$)")
LINES_BEFORE_HEADER = 5
SYSTEM_SENDERS = {
    "linkedin member",
    "linkedin",
    "sponsored conversation",
    "linkedin talent solutions",
}


@dataclass
class _Day:
    """One conversation on one day: who took part, its title."""

    day: date
    conversation: str
    title: str = ""
    time: str = ""
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (name, url)


def _key(name: str, url: str) -> str:
    return profile_key(url) if url.strip() else f"name:{fold(name)}"


KEPT = (
    *REQUIRED,
    "CONVERSATION TITLE",
    "SUBJECT",
    "TO",
    "RECIPIENT PROFILE URLS",
    "IS MESSAGE DRAFT",
)


def _rows(path: Path) -> Iterator[tuple[int, str, dict[str, str]]]:
    """(line, error, cells) of each message, with only the columns kept: never CONTENT."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise VaultkitError(f"{path}: cannot read: {exc.strerror}") from None
    text, _ = decode(data)
    header: dict[str, int] | None = None
    before = 0
    for row in csv_rows(text):
        if header is None:
            names = [cell.strip().lstrip("\ufeff").upper() for cell in row.cells]
            if all(name in names for name in REQUIRED):
                header = {name: names.index(name) for name in KEPT if name in names}
                continue
            if "FIRST NAME" in names and "LAST NAME" in names:
                raise VaultkitError(
                    f"{path}: this is LinkedIn's Connections.csv, not messages.csv; "
                    f"import it with `vaultkit import linkedin {path.name}`"
                )
            before += 1
            if before <= LINES_BEFORE_HEADER:  # Connections.csv starts with a few lines of notes
                continue
            raise VaultkitError(
                f"{path}: not LinkedIn's messages.csv (expected a first line "
                "'CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,...')"
            )
        cells = {k: row.cells[i].strip() for k, i in header.items() if i < len(row.cells)}
        yield row.line, row.error, cells
    if header is None:
        raise VaultkitError(
            f"{path}: not LinkedIn's messages.csv (expected a first line "
            "'CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,...')"
        )


def _participants(cells: dict[str, str]) -> list[tuple[str, str]]:
    """(name, profile URL) of the sender and each recipient; a name or URL may be ""."""
    found = [(clean(cells.get("FROM", "")), cells.get("SENDER PROFILE URL", ""))]
    to = cells.get("TO", "")
    urls = [u.strip() for u in cells.get("RECIPIENT PROFILE URLS", "").split(",") if u.strip()]
    names = [clean(n) for n in to.split(",")] if to else []
    if len(names) == len(urls):
        found += zip(names, urls, strict=True)
    elif len(urls) == 1:  # one recipient whose name has a comma in it
        found.append((clean(to), urls[0]))
    elif urls:  # names that cannot be paired with their profiles: the profiles are enough
        found += [("", url) for url in urls]
    else:
        found += [(name, "") for name in names]
    return [(n, u) for n, u in found if u or (n and n.casefold() not in SYSTEM_SENDERS)]


def read(path: Path, people: People, options: Options, tally: Tally, wrap: Wrap) -> Iterator[Entry]:
    days: dict[tuple[str, date], _Day] = {}
    rows = list(_rows(path))
    for line, error, cells in wrap(rows, rows.__len__):
        if error:
            tally.unreadable.append(f"line {line}: {error}")
            continue
        stamp = cells.get("DATE", "")
        found = DATE_RE.match(stamp)
        conversation = cells.get("CONVERSATION ID", "")
        try:
            day = (
                date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
                if found
                else None
            )
        except ValueError:
            day = None
        if day is None or not conversation:
            what = f"DATE {stamp!r} is not a date" if conversation else "no CONVERSATION ID"
            tally.unreadable.append(f"line {line}: {what}")
            continue
        if cells.get("IS MESSAGE DRAFT", "").lower() in ("yes", "true"):
            continue
        tally.read += 1
        why = options.when(day)
        if why:
            tally.left_out[why] += 1
            continue
        one = days.setdefault((conversation, day), _Day(day, conversation))
        one.title = (
            one.title or clean(cells.get("CONVERSATION TITLE")) or clean(cells.get("SUBJECT"))
        )
        one.time = min(one.time or "~", stamp[11:19])
        for name, url in _participants(cells):
            one.people.setdefault(_key(name, url), (name, url))
    me = _me(options, days.values())
    for one in sorted(days.values(), key=lambda d: (d.day, d.time, d.conversation)):
        others = {k: v for k, v in one.people.items() if k not in me}
        if len(others) > options.max_recipients:
            tally.left_out[f"more than {options.max_recipients} people"] += 1
            continue
        matched = []
        for name, url in others.values():
            person = people.by_linkedin(url, name)
            if person is None:
                tally.strangers.add(url or name, name)
            elif person not in matched:
                matched.append(person)
        if not matched:
            continue
        tally.matched += 1
        tally.people.update(p.path for p in matched)
        text = f"LinkedIn messages with {names_text([link(p) for p in matched])}"
        if options.subjects:
            text = with_subject(text, one.title)
        yield Entry(
            one.day, one.time, block_id("linkedin", one.conversation, one.day.isoformat()), text
        )


def _me(options: Options, days) -> set[str]:
    """The user's own keys: profiles given with --me / `me`, else the one who takes
    part in more conversations than anyone else (LinkedIn's export is one person's messages)."""
    given = {profile_key(m) for m in options.me if "linkedin.com/" in m}  # not the addresses
    if given:
        return given
    conversations: dict[str, set[str]] = {}
    for one in days:
        for key in one.people:
            conversations.setdefault(key, set()).add(one.conversation)
    counts = Counter({key: len(c) for key, c in conversations.items()}).most_common(2)
    if len(counts) == 2 and counts[0][1] > counts[1][1]:
        return {counts[0][0]}
    return set()
