"""vCard files (2.1, 3.0, 4.0; one card or many) -> contacts, read with vobject.

vobject reads a whole file as one stream and stops at the first bad card, and it
cannot say on which line a card starts. So the file is cut into cards here first
(BEGIN:VCARD ... END:VCARD), each card is read on its own, and a card that cannot
be read is reported with its line and skipped. Before that, each line is decoded
on its own: phones still write names in the charset a property names
(`N;CHARSET=SHIFT_JIS:`), and line ends may be CR LF, LF or Apple's CR CR LF.
Photos, logos, sounds and keys are dropped before parsing: nothing here uses them,
and a broken base64 photo must not cost the contact.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

import vobject

from vaultkit.importers.contact import (
    Contact,
    Notice,
    Parsed,
    clean,
    emails_from,
    label_tags,
    parse_birthday,
    parse_day,
    social_from_urls,
    unique,
)
from vaultkit.importers.text import decode
from vaultkit.model import STATUSES, parse_cadence

BEGIN_RE = re.compile(r"^\s*BEGIN\s*:\s*VCARD\s*$", re.I)
END_RE = re.compile(r"^\s*END\s*:\s*VCARD\s*$", re.I)
BINARY_RE = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.I)
QP_RE = re.compile(r"^[^:]*;(?:ENCODING=)?QUOTED-PRINTABLE[;:]", re.I)
CHARSET_RE = re.compile(r"^[^:]*;CHARSET=([\w.:-]+)[;:]", re.I)
X_PREFIX = "x-vaultkit-"


def read(path: Path, data: bytes) -> Parsed:
    contacts: list[Contact] = []
    skipped: list[Notice] = []
    warnings: list[Notice] = []
    for start, lines, error in _cards(data):
        if error:
            skipped.append(Notice(start, error))
            continue
        contact = _read_card(start, lines, warnings)
        if isinstance(contact, Notice):
            skipped.append(contact)
        else:
            contacts.append(contact)
    return Parsed(path.name, tuple(contacts), tuple(skipped), tuple(warnings))


def _lines(data: bytes) -> list[str]:
    """The file's lines as text; each line decoded on its own (see the module's docstring)."""
    if (
        data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        or data[:200].count(b"\x00") > 20
    ):
        text, _ = decode(data)
        return text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    data = data.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    out: list[str] = []
    charset = ""
    for raw_line in data.split(b"\n"):
        if raw_line[:1] not in (b" ", b"\t"):  # a new property, not a folded continuation
            found = CHARSET_RE.match(raw_line.decode("ascii", errors="replace"))
            charset = found.group(1) if found else ""
        try:
            out.append(raw_line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            out.append(raw_line.decode(charset or "cp1252", errors="replace"))
        except LookupError:  # a charset Python does not know
            out.append(raw_line.decode("cp1252", errors="replace"))
    return out


def _cards(data: bytes) -> list[tuple[int, list[tuple[int, str]], str]]:
    """(first line, [(line number, text)], error) for each card in the file."""
    cards: list[tuple[int, list[tuple[int, str]], str]] = []
    current: list[tuple[int, str]] | None = None
    depth = 0
    for number, line in enumerate(_lines(data), start=1):
        if BEGIN_RE.match(line):
            if current is not None and depth and not _agent_before(current):
                # A new card before this one ended: this one is cut short.
                cards.append(
                    (
                        current[0][0],
                        [],
                        "card has no END:VCARD before the next BEGIN:VCARD; skipped",
                    )
                )
                current, depth = None, 0
            if current is None:
                current = []
            depth += 1
        if current is None:
            continue
        current.append((number, line))
        if END_RE.match(line):
            depth -= 1
            if depth == 0:
                cards.append((current[0][0], current, ""))
                current = None
    if current is not None:
        cards.append((current[0][0], [], "card has no END:VCARD (the file ends first); skipped"))
    return cards


def _agent_before(lines: list[tuple[int, str]]) -> bool:
    """A vCard 2.1 AGENT property holds a whole card: its BEGIN:VCARD is not a new card."""
    return (
        bool(lines) and re.match(r"^(?:[\w-]+\.)?AGENT[^:]*:\s*$", lines[-1][1], re.I) is not None
    )


def _properties(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """The card's lines grouped by property: a folded line or a quoted-printable soft line
    break (`=` at the end) continues the property above."""
    groups: list[list[tuple[int, str]]] = []
    soft_break = False
    for number, line in lines:
        if groups and (soft_break or line[:1] in (" ", "\t")):
            groups[-1].append((number, line))
        else:
            groups.append([(number, line)])
        head = groups[-1][0][1]
        soft_break = line.endswith("=") and QP_RE.match(head) is not None
    return groups


def _usable(
    groups: list[list[tuple[int, str]]], warnings: list[Notice]
) -> list[list[tuple[int, str]]]:
    """Without blank lines, `#` comment lines (some phones write them) and binary values."""
    kept = []
    for group in groups:
        number, head = group[0]
        if not head.strip() or BINARY_RE.match(head):
            continue
        if head.startswith("#"):
            warnings.append(Notice(number, f"comment line {head.strip()!r} in a card; ignored"))
            continue
        # A blank line ends a quoted-printable value whose last line ends in a soft break.
        ended = [(n, t) for n, t in group if t.strip()]
        if ended[-1][1].endswith("=") and QP_RE.match(head):
            ended[-1] = (ended[-1][0], ended[-1][1][:-1])
        kept.append(ended)
    return kept


def _parse(groups: list[list[tuple[int, str]]]) -> vobject.base.Component:
    return vobject.readOne("\r\n".join(t for g in groups for _, t in g) + "\r\n", allowQP=True)


def _read_card(
    start: int, lines: list[tuple[int, str]], warnings: list[Notice]
) -> Contact | Notice:
    """One card -> a contact. A card that fails is tried again without each property in
    turn, so one garbled value costs that value, not the contact."""
    dropped: list[Notice] = []
    groups = _usable(_properties(lines), dropped)
    attempts: list[tuple[list[list[tuple[int, str]]], list[tuple[int, str]] | None]] = [
        (groups, None)
    ]
    for i, group in enumerate(groups):
        if not re.match(r"^(BEGIN|END|VERSION)\s*:", group[0][1], re.I):
            attempts.append((groups[:i] + groups[i + 1 :], group))
    error: Exception | None = None
    for kept, left_out in attempts:
        found = list(dropped)
        try:
            contact = _contact(start, _parse(kept), found)
        # vobject raises many kinds on bad input (ParseError, ValueError, UnicodeError, ...)
        except Exception as exc:  # noqa: BLE001
            error = error or exc
            continue
        if left_out is not None and error is not None:
            number, head = left_out[0]
            what = head.split(":")[0].split(";")[0] if ":" in head else repr(head.strip())
            found.append(Notice(number, f"{what} cannot be read ({_reason(error)}); left out"))
        warnings.extend(found)
        return contact
    return Notice(start, f"card cannot be read: {_reason(error)}; skipped")


def _reason(exc: Exception | None) -> str:
    message = re.sub(r"^At line \d+: ", "", str(exc))
    found = re.search(r"Failed to parse line: (.*)$", message)
    return "not a property line" if found else message


def _text(value: object, sep: str = ",") -> str:
    """A property value as one string (a value vobject split at commas joined again)."""
    if isinstance(value, (list, tuple)):
        return clean(sep.join(_raw(v) for v in value))
    return clean(str(value)) if value is not None else ""


def _raw(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(_raw(v) for v in value)
    return "" if value is None else str(value)


def _contact(start: int, card: vobject.base.Component, warnings: list[Notice]) -> Contact | Notice:
    props: dict[str, list] = {}
    for line in card.lines():
        props.setdefault(line.name.lower(), []).append(line)

    def texts(name: str) -> list[str]:
        return [t for t in (_text(p.value) for p in props.get(name, [])) if t]

    def first(name: str) -> str:
        found = texts(name)
        return found[0] if found else ""

    full = first("fn")
    given = short = ""
    if props.get("n"):
        n = props["n"][0].value
        parts = [_text(getattr(n, k, ""), " ") for k in ("given", "additional", "family")]
        given = clean(" ".join(p for p in parts if p))
        short = clean(f"{parts[0]} {parts[2]}")
    name = full or given
    if not name:
        emails = texts("email")
        what = f" (only {emails[0]})" if emails else ""
        return Notice(start, f"card has no name{what}; skipped")
    company = ""
    if props.get("org"):
        org = props["org"][0].value
        company = _text(org[0] if isinstance(org, list) and org else org)
    birthday = ""
    born = first("bday")
    if born:
        birthday = parse_birthday(born) or ""
        omit = props["bday"][0].params.get("X-APPLE-OMIT-YEAR", [""])[0]
        if omit and birthday.startswith(omit):  # Apple's way of saying "year unknown"
            birthday = "--" + birthday[5:]
        if not birthday:
            warnings.append(Notice(start, f"BDAY {born!r} is not a date; left out"))
    categories = [
        c
        for p in props.get("categories", [])
        for c in (p.value if isinstance(p.value, list) else [p.value])
    ]
    profiles: dict[str, str] = {}
    for p in props.get("x-socialprofile", []):
        kind = clean(str(p.params.get("TYPE", [""])[0])).lower()
        if kind and _text(p.value):
            profiles.setdefault(kind, _text(p.value).replace("\\:", ":"))
    social = dict(social_from_urls(texts("url")))
    social.update(profiles)  # a named profile says which network it is; it wins over a guess
    x = {
        name[len(X_PREFIX) :]: values for name, values in props.items() if name.startswith(X_PREFIX)
    }

    def x_text(key: str) -> str:
        return _text(x[key][0].value) if x.get(key) else ""

    def x_checked(key: str, valid: Callable[[str], bool]) -> str:
        text = x_text(key)
        if text and not valid(text):
            warnings.append(
                Notice(start, f"{X_PREFIX.upper()}{key.upper()} {text!r} is not valid; left out")
            )
            return ""
        return text

    def x_day(key: str) -> object:
        text = x_text(key)
        day = parse_day(text) if text else None
        if text and day is None:
            warnings.append(
                Notice(start, f"{X_PREFIX.upper()}{key.upper()} {text!r} is not a date; left out")
            )
        return day

    return Contact(
        line=start,
        name=name,
        names=unique([name, given, short]),
        aliases=unique(texts("nickname")),
        tags=label_tags([_text(c) for c in categories]),
        company=company,
        role=first("title") or first("role"),
        emails=emails_from(texts("email"), start, warnings),
        phone=_phone(props.get("tel", [])),
        social=tuple(social.items()),
        birthday=birthday,
        met=x_day("met"),  # type: ignore[arg-type]
        how_met=x_text("how-met"),
        introduced_by=x_text("introduced-by"),
        cadence=x_checked("cadence", lambda v: parse_cadence(v) is not None),
        interests=unique([_text(v.value) for v in x.get("interest", [])]),
        groups=unique([_text(v.value) for v in x.get("group", [])]),
        status=x_checked("status", lambda v: v.lower() in STATUSES).lower(),
        snooze_until=x_day("snooze-until"),  # type: ignore[arg-type]
        last_contact=x_day("last-contact"),  # type: ignore[arg-type]
        notes="\n\n".join(
            str(p.value).replace("\r\n", "\n").strip()
            for p in props.get("note", [])
            if str(p.value).strip()
        ),
    )


def _phone(lines: list) -> str:
    """The preferred number, else the first mobile, else the first; `tel:` URIs as numbers."""

    def kinds(line) -> set[str]:
        found = {str(t).lower() for t in line.params.get("TYPE", [])}
        found |= {
            k.lower() for k in line.params if k.upper() in ("PREF", "CELL")
        }  # vCard 2.1: TEL;CELL;PREF
        return found

    def number(line) -> str:
        return re.sub(r"^tel:", "", _text(line.value), flags=re.I)

    for wanted in ("pref", "cell"):
        for line in lines:
            if wanted in kinds(line) and number(line):
                return number(line)
    return next((number(line) for line in lines if number(line)), "")
