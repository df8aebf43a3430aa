"""LinkedIn's Connections.csv -> contacts.

LinkedIn puts a few lines before the header (`Notes:` and a paragraph about missing
emails), then `First Name,Last Name,URL,Email Address,Company,Position,Connected On`
(older exports have no URL column). Dates read like `01 Mar 2022`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from vaultkit.errors import VaultkitError
from vaultkit.importers.contact import (
    Contact,
    Notice,
    Parsed,
    clean,
    emails_from,
    parse_day,
    take_row,
    unique,
)
from vaultkit.importers.text import Row, csv_rows, decode

REQUIRED = ("First Name", "Last Name")


def read(path: Path, data: bytes) -> Parsed:
    text, problem = decode(data)
    warnings = [Notice(None, problem)] if problem else []
    contacts: list[Contact] = []
    skipped: list[Notice] = []
    header: dict[str, int] | None = None
    width = 0
    for row in csv_rows(text):
        if header is None:
            names = [cell.strip().lstrip("\ufeff") for cell in row.cells]
            if all(name in names for name in REQUIRED):
                header, width = {name: i for i, name in enumerate(names)}, len(names)
            continue
        take_row(row, width, partial(_contact, header=header, warnings=warnings), contacts, skipped)
    if header is None:
        raise VaultkitError(
            f"{path}: no header line with 'First Name,Last Name,...' found; "
            "is this LinkedIn's Connections.csv?"
        )
    return Parsed(path.name, tuple(contacts), tuple(skipped), tuple(warnings))


def _contact(row: Row, header: dict[str, int], warnings: list[Notice]) -> Contact | Notice:
    def cell(name: str) -> str:
        return clean(row.cells[header[name]]) if name in header else ""

    name = clean(f"{cell('First Name')} {cell('Last Name')}")
    if not name:
        return Notice(row.line, "no first or last name")
    met = None
    connected = cell("Connected On")
    if connected:
        met = parse_day(connected)
        if met is None:
            warnings.append(
                Notice(
                    row.line, f"Connected On {connected!r} is not a date like 01 Mar 2022; left out"
                )
            )
    url = cell("URL")
    return Contact(
        line=row.line,
        name=name,
        company=cell("Company"),
        role=cell("Position"),
        emails=emails_from([cell("Email Address")], row.line, warnings),
        social=(("linkedin", url),) if url else (),
        met=met,
        names=unique([name]),
    )
