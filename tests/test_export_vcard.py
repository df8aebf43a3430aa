"""`vaultkit export vcard`: one vCard 4.0 per person; importing it gives the same people and keys."""

from __future__ import annotations

from pathlib import Path

import vobject
from conftest import run_cli

from vaultkit.read.note import read_note

PEOPLE = {
    "people/Ada Lovelace.md": """\
---
aliases: [Ada, "Countess of Lovelace"]
tags: [mentor, python, london]
company: "Analytical Engines, Ltd"
role: CTO
email: [ada@example.com, ada@analytical.example]
phone: "+44 20 7946 0000"
social:
  linkedin: https://www.linkedin.com/in/ada
  mastodon: "@ada@hachyderm.io"
birthday: 1815-12-10
met: 2024-05-03
how_met: "PyCon UK; the sprint room, day 2"
cadence: quarterly
interests: [compilers, poetry]
groups: [PSF, "Friends, Romans"]
status: active
snooze_until: 2026-12-01
last_contact: 2026-11-02
---
The body stays private.

## Log
- 2026-11-02 Coffee.
""",
    "people/Charles Babbage.md": """\
---
email: charles@example.com
birthday: --12-26
introduced_by: "[[Ada]]"
cadence: 6w
status: paused
---
""",
    "people/Leap Lee.md": "---\nbirthday: --02-29\n---\n",
    "people/Zhang Wei 张伟.md": "---\ncompany: ByteWorks\n---\n",
    "people/Empty.md": "",
}

ADA_CARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "UID:urn:uuid:dc7fc494-b963-59e5-8cdd-016378601e4b\r\n"
    "BDAY:18151210\r\n"
    "CATEGORIES:mentor,python,london\r\n"
    "EMAIL:ada@example.com\r\n"
    "EMAIL:ada@analytical.example\r\n"
    "FN:Ada Lovelace\r\n"
    "N:Lovelace;Ada;;;\r\n"
    "NICKNAME:Ada\r\n"
    "NICKNAME:Countess of Lovelace\r\n"
    "ORG:Analytical Engines\\, Ltd\r\n"
    "TEL;VALUE=text:+44 20 7946 0000\r\n"
    "TITLE:CTO\r\n"
    "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/ada\r\n"
    "X-SOCIALPROFILE;TYPE=mastodon:@ada@hachyderm.io\r\n"
    "X-VAULTKIT-CADENCE:quarterly\r\n"
    "X-VAULTKIT-GROUP:PSF\r\n"
    "X-VAULTKIT-GROUP:Friends\\, Romans\r\n"
    "X-VAULTKIT-HOW-MET:PyCon UK\\; the sprint room\\, day 2\r\n"
    "X-VAULTKIT-INTEREST:compilers\r\n"
    "X-VAULTKIT-INTEREST:poetry\r\n"
    "X-VAULTKIT-LAST-CONTACT:2026-11-02\r\n"
    "X-VAULTKIT-MET:2024-05-03\r\n"
    "X-VAULTKIT-SNOOZE-UNTIL:2026-12-01\r\n"
    "X-VAULTKIT-STATUS:active\r\n"
    "END:VCARD\r\n"
)


def metas(root: Path) -> dict[str, dict]:
    return {p.name: read_note(p, p.name).meta for p in sorted((root / "people").glob("*.md"))}


def test_export_then_import_into_an_empty_vault_gives_the_same_people_and_keys(vault, tmp_path):
    root = vault(PEOPLE)
    out = tmp_path / "network.vcf"
    result = run_cli("export", "vcard", "-o", str(out), vault=root)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (5 people)\n"
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    imported = run_cli("import", "vcard", str(out), vault=fresh)
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.splitlines()[-1] == "Imported network.vcf: 5 new, 0 merged, 0 unchanged, 0 skipped."
    assert metas(fresh) == metas(root)
    # and into the vault it came from: nothing to add
    back = run_cli("import", "vcard", str(out), vault=root)
    assert back.stdout.splitlines()[-1] == "Imported network.vcf: 0 new, 0 merged, 5 unchanged, 0 skipped."


def test_each_person_is_one_vcard_4_with_vaultkit_keys_in_x_fields(vault):
    root = vault(PEOPLE)
    first = run_cli("export", "vcard", vault=root)
    assert first.exit_code == 0
    data = first.stdout_bytes.decode("utf-8")
    cards = list(vobject.readComponents(data))
    assert [c.fn.value for c in cards] == ["Ada Lovelace", "Charles Babbage", "Empty", "Leap Lee", "Zhang Wei 张伟"]
    assert all(c.version.value == "4.0" for c in cards)
    assert data.startswith(ADA_CARD)
    charles = data.split("END:VCARD\r\n")[1]
    assert "BDAY:--1226\r\n" in charles
    assert "X-VAULTKIT-INTRODUCED-BY:Ada\r\n" in charles
    assert "X-VAULTKIT-CADENCE:6w\r\n" in charles and "X-VAULTKIT-STATUS:paused\r\n" in charles
    # the same vault gives the same bytes, and UIDs follow the file name
    assert run_cli("export", "vcard", vault=root).stdout_bytes == first.stdout_bytes


def test_default_cadence_and_status_are_not_written_into_people(vault, tmp_path):
    root = vault({"people/Grace Hopper.md": "---\nrole: Admiral\n---\n"}, settings='default_cadence = "yearly"\n')
    data = run_cli("export", "vcard", vault=root).stdout_bytes.decode("utf-8")
    assert "X-VAULTKIT-CADENCE" not in data and "X-VAULTKIT-STATUS" not in data
    assert "TITLE:Admiral\r\n" in data
