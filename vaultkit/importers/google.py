"""Google Contacts' CSV export ("Google CSV") -> contacts.

Two header generations are read: the older one (`Name,Given Name,...,Group Membership,
E-mail 1 - Type,E-mail 1 - Value,...`) and today's (`First Name,Middle Name,Last Name,...,
Labels,E-mail 1 - Label,E-mail 1 - Value,...`). A cell holding several values separates
them with ` ::: `. Labels become tags, except Google's own (`* myContacts`, `* starred`).
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from vaultkit.errors import VaultkitError
from vaultkit.importers.contact import (
    Contact,
    Notice,
    Parsed,
    clean,
    emails_from,
    label_tags,
    parse_birthday,
    social_from_urls,
    take_row,
    unique,
)
from vaultkit.importers.text import Row, csv_rows, decode

SEPARATOR = ":::"
NAME_COLUMNS = ("Name", "Given Name", "Family Name", "First Name", "Last Name")


def read(path: Path, data: bytes) -> Parsed:
    text, problem = decode(data)
    warnings = [Notice(None, problem)] if problem else []
    contacts: list[Contact] = []
    skipped: list[Notice] = []
    rows = csv_rows(text)
    first = next(rows, None)
    header = (
        {cell.strip().lstrip("\ufeff"): i for i, cell in enumerate(first.cells)} if first else {}
    )
    if first is not None and not any(name in header for name in NAME_COLUMNS):
        raise VaultkitError(
            f"{path}:{first.line}: no name columns (Name, Given Name, First Name, ...) in the header; "
            "is this a Google Contacts CSV export?"
        )
    width = len(first.cells) if first else 0
    for row in rows:
        take_row(row, width, partial(_contact, header=header, warnings=warnings), contacts, skipped)
    return Parsed(path.name, tuple(contacts), tuple(skipped), tuple(warnings))


def _contact(row: Row, header: dict[str, int], warnings: list[Notice]) -> Contact | Notice:
    def cell(*names: str) -> str:
        for name in names:
            if name in header and row.cells[header[name]].strip():
                return row.cells[header[name]].strip()
        return ""

    def values(*names: str) -> list[str]:
        return [clean(v) for v in re.split(r"\s*" + SEPARATOR + r"\s*", cell(*names)) if clean(v)]

    def numbered(kind: str, part: str) -> list[str]:
        """Every value of `E-mail 1 - Value`, `E-mail 2 - Value`, ... in order."""
        found = []
        for column in sorted(header, key=_number):
            if re.fullmatch(rf"{kind} \d+ - {part}", column):
                found.extend(values(column))
        return found

    given = clean(
        " ".join(
            filter(
                None,
                (
                    cell("Given Name", "First Name"),
                    cell("Additional Name", "Middle Name"),
                    cell("Family Name", "Last Name"),
                ),
            )
        )
    )
    short = clean(f"{cell('Given Name', 'First Name')} {cell('Family Name', 'Last Name')}")
    name = clean(cell("Name")) or given or clean(cell("Nickname")) or clean(cell("File As"))
    if not name:
        return Notice(row.line, "no name")
    birthday = ""
    born = clean(cell("Birthday"))
    if born:
        birthday = parse_birthday(born) or ""
        if not birthday:
            warnings.append(
                Notice(
                    row.line, f"Birthday {born!r} is not a date (YYYY-MM-DD or --MM-DD); left out"
                )
            )
    return Contact(
        line=row.line,
        name=name,
        names=unique([name, given, short]),
        aliases=unique(values("Nickname")),
        tags=label_tags(values("Group Membership", "Labels")),
        company=clean(cell("Organization 1 - Name", "Organization Name")),
        role=clean(cell("Organization 1 - Title", "Organization Title")),
        emails=emails_from(numbered("E-mail", "Value"), row.line, warnings),
        phone=_phone(row, header),
        social=social_from_urls(numbered("Website", "Value")),
        birthday=birthday,
        notes=cell("Notes").replace("\r\n", "\n").strip(),
    )


def _number(column: str) -> tuple[int, str]:
    found = re.search(r"(\d+)", column)
    return (int(found.group(1)) if found else 0, column)


def _phone(row: Row, header: dict[str, int]) -> str:
    """The first mobile number, else the first number."""
    phones: list[tuple[str, str]] = []
    for column in sorted(header, key=_number):
        found = re.fullmatch(r"Phone (\d+) - Value", column)
        if not found:
            continue
        kind_column = next(
            (
                f"Phone {found.group(1)} - {k}"
                for k in ("Type", "Label")
                if f"Phone {found.group(1)} - {k}" in header
            ),
            None,
        )
        kind = row.cells[header[kind_column]] if kind_column else ""
        for value in re.split(r"\s*" + SEPARATOR + r"\s*", row.cells[header[column]]):
            if clean(value):
                phones.append((kind.lower(), clean(value)))
    mobile = [value for kind, value in phones if "mobile" in kind or "cell" in kind]
    return (mobile or [value for _, value in phones] or [""])[0]
