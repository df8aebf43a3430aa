"""How long imports and exports take on a large address book.

    .venv/bin/python benchmarks/import_export.py [CONTACTS]

Writes a vault of CONTACTS/5 people (default 5000 contacts: 1000 people) into a
temporary folder, a LinkedIn Connections.csv and a vCard 3.0 file of CONTACTS rows
each (a fifth of them people already in the vault, matched by email or name; one in
ten a repeat of an earlier row), then times: reading each file, planning the import,
writing it, importing the same file again (nothing to write), and exporting the
resulting vault as vCard and as a calendar.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from vaultkit.exporters.ics import export_ics
from vaultkit.exporters.vcard import export_vcard
from vaultkit.importers import read_contacts
from vaultkit.importers.merge import apply, plan_import
from vaultkit.index.vault import load_vault
from vaultkit.settings import load_settings

TODAY = date(2026, 12, 1)
FIRST = ["Ada", "Grace", "José", "Siobhán", "Wei", "Amara", "Björn", "Priya", "Kwame", "Zoë"]
LAST = ["Lovelace", "Hopper", "Álvarez", "Murphy", "Zhang", "Okafor", "Eriksson", "Raman", "Mensah", "Brennan"]


def people(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(first, last, email): unique names made of a pool and a number."""
    return [
        (rng.choice(FIRST), f"{rng.choice(LAST)}-{i:05d}", f"p{i:05d}@example.com") for i in range(count)
    ]


def make_vault(root: Path, existing: list[tuple[str, str, str]]) -> None:
    (root / "people").mkdir(parents=True)
    for first, last, email in existing:
        text = f"---\ntags: [friend]\nemail: {email}\ncadence: quarterly\n---\n## Log\n- 2026-10-01 Coffee.\n"
        (root / "people" / f"{first} {last}.md").write_text(text, encoding="utf-8")


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:48} {time.perf_counter() - start:7.2f} s")
    return result


def main(count: int) -> None:
    rng = random.Random(7)
    everyone = people(count, rng)
    existing = everyone[: count // 5]
    rows = everyone[: count - count // 10]
    rows += [rng.choice(rows) for _ in range(count // 10)]  # the same person again
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_lines = ["Notes:", '"Some emails are missing."', "", "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
        cards = []
        for i, (first, last, email) in enumerate(rows):
            shown = email if i % 3 else ""
            csv_lines.append(f"{first},{last},https://www.linkedin.com/in/{last.lower()},{shown},\"Acme, Inc\",Engineer,01 Mar 2022")
            cards.append(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{last};{first};;;\r\nFN:{first} {last}\r\nEMAIL;TYPE=INTERNET:{email}\r\n"
                f"TEL;TYPE=CELL:+44 20 7946 {i:04d}\r\nCATEGORIES:myContacts,Friends\r\nBDAY:1990-01-{i % 28 + 1:02d}\r\nEND:VCARD\r\n"
            )
        (folder / "Connections.csv").write_text("\n".join(csv_lines) + "\n", encoding="utf-8")
        (folder / "contacts.vcf").write_text("".join(cards), encoding="utf-8")
        print(f"{count} contacts, {len(existing)} people already in the vault")
        for source, name in (("linkedin", "Connections.csv"), ("vcard", "contacts.vcf")):
            root = folder / f"vault-{source}"
            make_vault(root, existing)
            settings = load_settings(root)
            index = timed(f"{source}: load the vault", lambda: load_vault(settings))  # noqa: B023
            parsed = timed(f"{source}: read {name}", lambda: read_contacts(source, folder / name))  # noqa: B023
            plan = timed(f"{source}: plan", lambda: plan_import(index, parsed, ["imported"]))  # noqa: B023
            applied = timed(f"{source}: write {len(plan.changes)} notes", lambda: apply(settings, plan.changes))  # noqa: B023
            print(f"{'':48} {plan.summary(applied)}")
            index = load_vault(settings)
            again = timed(f"{source}: plan the same file again", lambda: plan_import(index, parsed, ["imported"]))  # noqa: B023
            print(f"{'':48} {again.summary()}")
        timed(f"export vcard ({len(index.people)} people)", lambda: export_vcard(index))
        timed("export ics", lambda: export_ics(index, TODAY, 30))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
