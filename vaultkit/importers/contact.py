"""What an importer proposes: one contact per row or card, normalized once, with its line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

MONTHS = {
    m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)
}
EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$")
# Address-book groups that every contact is in, or that only mark a favourite: not tags.
SYSTEM_GROUPS = {"mycontacts", "starred", "allcontacts", "contacts"}
SOCIAL_HOSTS = {
    "linkedin.com": "linkedin",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "github.com": "github",
    "gitlab.com": "gitlab",
    "facebook.com": "facebook",
    "instagram.com": "instagram",
    "bsky.app": "bluesky",
    "youtube.com": "youtube",
}


@dataclass(frozen=True)
class Contact:
    """One person as a source file describes them, in vaultkit's own keys.

    Lists are tuples without duplicates; `birthday` is `YYYY-MM-DD` or `--MM-DD`.
    """

    line: int  # where the row or card starts in the file
    name: str  # the display name: the note's name
    names: tuple[
        str, ...
    ] = ()  # other spellings to match on ("Given Family" for "Dr. Given Family")
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    company: str = ""
    role: str = ""
    emails: tuple[str, ...] = ()
    phone: str = ""
    social: tuple[tuple[str, str], ...] = ()
    birthday: str = ""
    met: date | None = None
    how_met: str = ""
    introduced_by: str = ""
    cadence: str = ""
    interests: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    status: str = ""
    snooze_until: date | None = None
    last_contact: date | None = None
    notes: str = ""  # free text for a new note's body


@dataclass(frozen=True)
class Notice:
    """A row or card left out (or a value left out of one), with the line and why."""

    line: int | None
    message: str


@dataclass(frozen=True)
class Parsed:
    """What a source file gave: the contacts, the rows skipped, the values left out."""

    source: str  # the file's name, for messages
    contacts: tuple[Contact, ...]
    skipped: tuple[Notice, ...] = ()
    warnings: tuple[Notice, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.contacts) + len(self.skipped)


def clean(text: str | None) -> str:
    """NFC, one space between words, no space at the ends."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def unique(items: list[str] | tuple[str, ...], fold=str.casefold) -> tuple[str, ...]:
    """The non-empty items once each (compared by `fold`), in their first order."""
    seen: dict[str, str] = {}
    for item in items:
        if item and fold(item) not in seen:
            seen[fold(item)] = item
    return tuple(seen.values())


def as_tag(label: str) -> str:
    """An address-book label as a vaultkit tag: lower case, no '#', words joined by '-'."""
    words = re.split(r"[\s,#]+", clean(label).lower())
    return "-".join(w for w in words if w).strip("-/")


def label_tags(labels: list[str]) -> tuple[str, ...]:
    """Tags from group labels, without the address book's own groups (`* myContacts`, `* starred`)."""
    tags = []
    for label in labels:
        label = clean(label)
        if re.sub(r"[\s*_-]", "", label).casefold() in SYSTEM_GROUPS:
            continue
        tags.append(as_tag(label.lstrip("* ")))
    return unique(tags)


def emails_from(values: list[str], line: int, warnings: list[Notice]) -> tuple[str, ...]:
    """Valid-looking addresses (a `mailto:` prefix dropped); the rest reported."""
    found = []
    for value in values:
        value = clean(value)
        if value.lower().startswith("mailto:"):
            value = value[7:]
        if not value:
            continue
        if EMAIL_RE.match(value):
            found.append(value)
        else:
            warnings.append(Notice(line, f"{value!r} is not an email address; left out"))
    return unique(found)


def social_from_urls(urls: list[str]) -> tuple[tuple[str, str], ...]:
    """Profile URLs under their network's name (linkedin, github, ...), the first other one as website."""
    social: dict[str, str] = {}
    for url in urls:
        url = clean(url).replace("\\:", ":").replace("\\,", ",")
        if not url:
            continue
        host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.lower()).split("/")[0].split(":")[0]
        key = next(
            (
                name
                for domain, name in SOCIAL_HOSTS.items()
                if host == domain or host.endswith("." + domain)
            ),
            "website",
        )
        social.setdefault(key, url)
    return tuple(social.items())


def profile_key(url: str) -> str:
    """A LinkedIn profile URL reduced to what identifies the person: `linkedin.com/in/jane-doe`."""
    url = clean(url).lower()
    url = re.sub(r"^[a-z]+://", "", url).split("?")[0].split("#")[0].rstrip("/")
    host, _, path = url.partition("/")
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        host = "linkedin.com"
    return f"{host}/{path}" if path else host


def parse_day(text: str) -> date | None:
    """`2022-03-01`, `01 Mar 2022`, `1 March 2022`, `20220301` -> a date; None otherwise."""
    text = clean(text)
    found = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?", text)
    if found:
        parts = (int(found.group(1)), int(found.group(2)), int(found.group(3)))
    else:
        found = re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*\.?[ -,]*(\d{4})", text)
        if not found or found.group(2).lower() not in MONTHS:
            return None
        parts = (int(found.group(3)), MONTHS[found.group(2).lower()], int(found.group(1)))
    try:
        return date(*parts)
    except ValueError:
        return None


def parse_birthday(text: str) -> str | None:
    """A birthday as vaultkit writes it: `YYYY-MM-DD`, or `--MM-DD` when the year is unknown.

    Reads ISO dates (basic or extended, a time after them ignored), vCard's `--MMDD`
    and `--MM-DD`, and `01 Mar 1990`. None when it is not a date.
    """
    text = clean(text)
    found = re.fullmatch(r"--(\d{2})-?(\d{2})", text)
    if found:
        month, day = int(found.group(1)), int(found.group(2))
        try:
            date(2000, month, day)  # a leap year: 29 February is a birthday
        except ValueError:
            return None
        return f"--{month:02d}-{day:02d}"
    day_ = parse_day(text)
    return day_.isoformat() if day_ else None


def take_row(row, width: int, convert, contacts: list, skipped: list) -> None:
    """One CSV row of a contacts export: a contact, or a skip with its line and why.

    `row` is a text.Row; `convert(row)` makes the Contact or a Notice saying why not.
    """
    if row.error:
        skipped.append(Notice(row.line, row.error))
        return
    if len(row.cells) != width:
        message = f"{len(row.cells)} values where the header has {width}; a comma in an unquoted value?"
        skipped.append(Notice(row.line, message))
        return
    contact = convert(row)
    (skipped if isinstance(contact, Notice) else contacts).append(contact)
