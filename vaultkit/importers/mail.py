"""An mbox file or a Maildir folder -> one ledger entry per message with people in the vault.

Only the headers are read (up to the first blank line of each message), one message at a
time: a body is never read into memory, let alone kept. The day is the `Date` header's own
day, in its own offset.
"""

from __future__ import annotations

import mailbox
import re
from collections.abc import Iterator
from datetime import date
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_tz
from pathlib import Path
from typing import BinaryIO

from vaultkit.errors import VaultkitError
from vaultkit.importers.ledger import Entry, block_id, names_text, with_subject
from vaultkit.importers.people_match import People, ignored, link
from vaultkit.importers.tally import Options, Tally, Wrap

BULK_PRECEDENCE = {"bulk", "list", "junk"}
MAX_HEADER_BYTES = 1 << 20  # a "header" longer than this is not one


def open_mailbox(path: Path) -> mailbox.Mailbox:
    """The mbox file or Maildir folder at `path`; VaultkitError if it is neither."""
    if path.is_dir():
        if (path / "cur").is_dir() and (path / "new").is_dir():
            return mailbox.Maildir(path, factory=None, create=False)
        raise VaultkitError(
            f"{path}: not a Maildir folder (expected cur/ and new/ inside it); "
            "give an mbox file or a Maildir folder"
        )
    try:
        with path.open("rb") as handle:
            start = handle.read(5)
    except OSError as exc:
        raise VaultkitError(f"{path}: cannot read: {exc.strerror}") from None
    if start and start != b"From ":
        hint = ""
        if start.lower().startswith((b"retur", b"recei", b"deliv", b"messa", b"from:", b"date:")):
            hint = " (this looks like one message, an .eml file; put it in a Maildir or mbox)"
        raise VaultkitError(
            f"{path}: not an mbox file (expected a mailbox whose first line starts with 'From ') "
            f"or a Maildir folder{hint}"
        )
    return mailbox.mbox(path, factory=None, create=False)


def read(path: Path, people: People, options: Options, tally: Tally, wrap: Wrap) -> Iterator[Entry]:
    box = open_mailbox(path)
    try:
        number = 0
        for key in wrap(box.iterkeys(), box.__len__):
            number += 1
            where = f"message {number}" if isinstance(box, mailbox.mbox) else str(key)
            try:
                with box.get_file(key) as handle:
                    headers = _headers(handle)
            except (OSError, KeyError) as exc:
                tally.unreadable.append(
                    f"{where}: cannot read: {getattr(exc, 'strerror', None) or exc}"
                )
                continue
            entry = _entry(headers, where, people, options, tally)
            if entry is not None:
                yield entry
    finally:
        box.close()


WANTED = frozenset(
    (
        "from",
        "to",
        "cc",
        "bcc",
        "date",
        "subject",
        "message-id",
        "list-id",
        "precedence",
        "auto-submitted",
    )
)
Headers = dict[str, list[str]]


def _headers(handle: BinaryIO) -> Headers:
    """The headers vaultkit uses, unfolded, from the message's lines up to the first empty one.

    (email.parser would parse every header of every message; this reads only a few.)
    """
    found: Headers = {}
    current: list[str] | None = None
    size = 0
    for raw in handle:
        if raw in (b"\n", b"\r\n"):
            break
        size += len(raw)
        if size > MAX_HEADER_BYTES:
            break
        line = _text(raw).rstrip("\r\n")
        if line[:1] in (" ", "\t"):
            if current is not None:
                current[-1] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        if colon and name in WANTED:
            current = found.setdefault(name, [])
            current.append(value.strip())
        else:
            current = None
    return found


def _first(headers: Headers, name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # raw 8-bit headers from an old client
        return data.decode("latin-1")


def decoded(value: str | None) -> str:
    """A header value with RFC 2047 words (`=?utf-8?q?...?=`) decoded, on one line."""
    if not value:
        return ""
    if "=?" not in value:
        return " ".join(value.split())
    try:
        text = str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):  # an unknown charset...
        parts = []
        for chunk, charset in decode_header(value):
            if isinstance(chunk, bytes):
                try:
                    chunk = chunk.decode(charset or "ascii", "replace")
                except LookupError:
                    chunk = chunk.decode("utf-8", "replace")
            parts.append(chunk)
        text = "".join(parts)
    return " ".join(text.split())


_SIMPLE_RE = re.compile(
    r"\s*(?:([^<>\"(),@]*?)\s*<([^<>\s@,]+@[^<>\s@,]+)>|([^<>\s@,\"()]+@[^<>\s@,\"()]+))\s*"
)


def _addresses(headers: Headers, *names: str) -> list[tuple[str, str]]:
    """(display name, lower-case address) of each address in the headers, once each."""
    pairs: list[tuple[str, str]] = []
    for name in names:
        for value in headers.get(name, ()):
            pairs.extend(_parse_addresses(value))
    found: dict[str, str] = {}
    for name, address in pairs:
        address = address.strip().strip("<>").casefold()
        if "@" in address and address not in found:
            found[address] = decoded(name).strip("'\" ")
    return [(name, address) for address, name in found.items()]


def _parse_addresses(value: str) -> list[tuple[str, str]]:
    """`Ada <ada@example.com>, grace@navy.example`: most headers are this simple and read with
    a pattern; the rest (quotes, comments, groups) with the stdlib's full parser."""
    simple = []
    for part in value.split(","):
        found = _SIMPLE_RE.fullmatch(part)
        if found is None:
            return getaddresses([value])
        simple.append((found.group(1) or "", found.group(2) or found.group(3)))
    return simple


def _day(value: str | None) -> date | None:
    if not value:
        return None
    parts = parsedate_tz(" ".join(value.split()))
    if parts is None:
        return None
    try:
        return date(parts[0], parts[1], parts[2])
    except (ValueError, TypeError):
        return None


def _bulk(headers: Headers) -> bool:
    if "list-id" in headers:
        return True
    if (_first(headers, "precedence") or "").strip().lower() in BULK_PRECEDENCE:
        return True
    auto = (_first(headers, "auto-submitted") or "").strip().lower()
    return bool(auto) and auto.split(";")[0].strip() != "no"


def _entry(
    headers: Headers, where: str, people: People, options: Options, tally: Tally
) -> Entry | None:
    raw_date = _first(headers, "date")
    day = _day(raw_date)
    if day is None:
        tally.unreadable.append(
            f"{where}: no Date header"
            if not raw_date
            else f"{where}: Date {' '.join(raw_date.split())!r} is not a date"
        )
        return None
    senders = _addresses(headers, "from")
    if not senders:
        tally.unreadable.append(f"{where}: no From address")
        return None
    tally.read += 1
    why = options.when(day)
    if why:
        tally.left_out[why] += 1
        return None
    if _bulk(headers):
        tally.left_out["mailing lists or bulk"] += 1
        return None
    recipients = _addresses(headers, "to", "cc", "bcc")
    if len(recipients) > options.max_recipients:
        tally.left_out[f"more than {options.max_recipients} recipients"] += 1
        return None
    sender = senders[0][1]
    me = set(options.me)
    outgoing = sender in me
    candidates = [(n, a) for n, a in (recipients if outgoing else senders[:1]) if a not in me]
    others = [(n, a) for n, a in candidates if not ignored(a, options.ignore)]
    if not others:
        tally.left_out["only ignored addresses" if candidates else "to nobody but me"] += 1
        return None
    matched = tally.match(people, ((address, name) for name, address in others))
    if not matched:
        return None
    links = names_text([link(p) for p in matched])
    text = f"Email {'to' if outgoing else 'from'} {links}"
    subject = decoded(_first(headers, "subject"))
    if options.subjects:
        text = with_subject(text, subject)
    message_id = " ".join((_first(headers, "message-id") or "").split())
    if message_id:
        block = block_id("mail", message_id)
    else:  # the same message gives the same id from one export to the next
        block = block_id("mail", " ".join((raw_date or "").split()), sender, subject)
    return Entry(day, _time(raw_date), block, text)


def _time(value: str | None) -> str:
    parts = parsedate_tz(" ".join((value or "").split()))
    return f"{parts[3]:02d}:{parts[4]:02d}:{parts[5]:02d}" if parts else ""
