"""`vaultkit import vcard`: vCard 2.1, 3.0 and 4.0, written here and as phones and apps write them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import IMPORT_ADA as ADA
from conftest import REAL, REPO, run_cli

DATA = REPO / "tests" / "data" / "vcard"
VCARDS = REAL / "vcard"

PRIYA = "---\nemail:\n  - priya@example.in\ngroups: [Book Club]\n---\n"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_vcard_3_merges_and_creates_notes(vault):
    root = vault({"people/Ada Lovelace.md": ADA, "people/Priya Raman.md": PRIYA})
    result = run_cli("import", "vcard", str(DATA / "contacts-3.0.vcf"), vault=root)
    assert result.exit_code == 0, result.output
    assert snapshot(root) == {
        "people/Ada Lovelace.md": b"""\
---
aliases: [Ada, Countess]
tags:
  - mentor
  - python
  - mentors
company: Analytical Engines Ltd
email: [ada@example.com, ada@analytical.example]            # a string or a list
social:
  mastodon: "@ada@hachyderm.io"
  linkedin: https://www.linkedin.com/in/ada-lovelace
cadence: monthly
role: CTO
phone: "+44 20 7946 0000"
birthday: 1815-12-10
---
Met her at PyCon UK; she cares about compilers and poetry.

## Log
- 2026-11-02 Coffee in King's Cross. #hiring
""",
        # Google's system groups (myContacts, starred) are not tags
        "people/Priya Raman.md": b"---\nemail:\n  - priya@example.in\ngroups: [Book Club]\ntags: [book-club]\n---\n",
        # Apple's X-APPLE-OMIT-YEAR: a birthday without a year; a folded NOTE unfolded
        "people/Tomás Ferreira.md": b"""\
---
company: "Porto Robotics, Lda"
email: tomas@porto-robotics.example
birthday: --02-29
---
```text
Robotics founder in Porto. We met at a hackathon in Lisbon and talked for hours about motion planning.
```
""",
        # a photo that is not valid base64 costs the photo, not the contact
        "people/Hannah Kowalski.md": b"---\nrole: Accessibility Consultant\nemail: hannah@kowalski.example\n---\n",
    }
    assert result.stdout.splitlines() == [
        "created   people/Tomás Ferreira.md",
        "created   people/Hannah Kowalski.md",
        "merged    people/Ada Lovelace.md: + aliases, tags, email, social.linkedin, role, phone, birthday",
        "merged    people/Priya Raman.md: + tags",
        "Imported contacts-3.0.vcf: 2 new, 2 merged, 0 unchanged, 1 skipped.",
    ]
    assert result.stderr.splitlines() == [
        "skipped   contacts-3.0.vcf:41: card has no END:VCARD before the next BEGIN:VCARD; skipped",
        "warning   contacts-3.0.vcf:52: 'THIS LINE HAS NO COLON' cannot be read (not a property line); left out",
    ]


def test_vcard_4_two_people_with_one_name_get_two_notes(vault):
    root = vault({})
    result = run_cli("import", "vcard", str(DATA / "contacts-4.0.vcf"), vault=root)
    assert result.exit_code == 0, result.output
    assert snapshot(root) == {
        "people/Siobhán Ní Bhriain.md": b"""\
---
tags: [academia, dublin]
company: Trinity College Dublin
role: Lecturer
email: siobhan@example.ie
phone: "+353-1-896-1000"
social:
  linkedin: https://www.linkedin.com/in/siobhan-ni-bhriain
birthday: --03-17
---
""",
        # the third card (same name and birthday, no email) is the first Jane again
        "people/Jane Doe.md": b'---\ncompany: Globex\nemail: jane.doe@globex.example\nphone: "+1-555-0100"\nbirthday: 1990-01-02\n---\n',
        "people/Jane Doe (2).md": b"---\nname: Jane Doe\ncompany: Acme Corp\nemail: jane@acme.example\nbirthday: 1985-07-05\n---\n",
    }
    assert result.stdout.splitlines()[-1] == (
        "Imported contacts-4.0.vcf: 3 new, 0 merged, 0 unchanged, 2 skipped; 1 repeated an earlier contact."
    )
    assert result.stderr.splitlines() == [
        "skipped   contacts-4.0.vcf:29: card has no name (only someone@example.com); skipped",
        "skipped   contacts-4.0.vcf:40: card has no END:VCARD (the file ends first); skipped",
    ]
    before = snapshot(root)
    again = run_cli("import", "vcard", str(DATA / "contacts-4.0.vcf"), vault=root)
    assert snapshot(root) == before
    assert again.stdout.splitlines()[-1].startswith("Imported contacts-4.0.vcf: 0 new, 0 merged, 3 unchanged")


# Every real file: what it gives, and what is reported (with the line) instead of a crash.
REAL_FILES = [
    ("android-vcard/v21_invalid_comment_line.vcf", "1 new, 0 merged, 0 unchanged, 0 skipped", [
        "warning   v21_invalid_comment_line.vcf:6: comment line '# This line must be ignored.' in a card; ignored",
        "warning   v21_invalid_comment_line.vcf:9: comment line '# This line must be ignored too.' in a card; ignored",
    ]),
    ("android-vcard/v21_multiple_entry.vcf", "3 new, 0 merged, 0 unchanged, 0 skipped", []),
    ("android-vcard/v40_sort_as.vcf", "1 new, 0 merged, 0 unchanged, 0 skipped", []),
    ("ez-vcard/John_Doe_ANDROID.vcf", "3 new, 0 merged, 0 unchanged, 2 skipped; 1 repeated an earlier contact", [
        "skipped   John_Doe_ANDROID.vcf:1: card has no name (only john.doe@company.com); skipped",
        "skipped   John_Doe_ANDROID.vcf:6: card has no name (only jane.doe@company.com); skipped",
        "warning   John_Doe_ANDROID.vcf:36: 'ÑÑÑÑÑÑÑÑÑÑÑÑÑÑ' is not an email address; left out",
        "warning   John_Doe_ANDROID.vcf:82: ORG cannot be read ('utf-8' codec can't decode byte 0x80 in "
        "position 88: invalid start byte); left out",
    ]),
    ("ez-vcard/John_Doe_IPHONE.vcf", "1 new, 0 merged, 0 unchanged, 0 skipped", []),
    ("ez-vcard/gmail-single2.vcf", "1 new, 0 merged, 0 unchanged, 0 skipped", []),
    ("ez-vcard/outlook-2003.vcf", "1 new, 0 merged, 0 unchanged, 0 skipped", []),
    ("ez-vcard/rfc6350-example.vcf", "1 new, 0 merged, 0 unchanged, 0 skipped", []),
    ("khard/unparsable.vcf", "0 new, 0 merged, 0 unchanged, 1 skipped", [
        "skipped   unparsable.vcf:1: card has no END:VCARD (the file ends first); skipped",
    ]),
    ("node-vcf/multiple.vcf", "1 new, 0 merged, 0 unchanged, 0 skipped; 2 repeated an earlier contact", []),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "counts", "notices"), REAL_FILES, ids=[r[0] for r in REAL_FILES])
def test_real_vcard_files_import_or_report_with_a_line(vault, rel, counts, notices):
    path = VCARDS / rel
    root = vault({})
    result = run_cli("import", "vcard", str(path), vault=root)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"Imported {path.name}: {counts}."
    assert result.stderr.splitlines() == notices
    before = snapshot(root)
    again = run_cli("import", "vcard", str(path), vault=root)
    assert snapshot(root) == before, "a second import changed a note"
    assert " 0 new, 0 merged," in again.stdout


def test_real_vcards_read_charsets_encodings_and_line_ends(vault):
    """QUOTED-PRINTABLE with soft breaks, Shift_JIS names, Apple's CR CR LF, vCard 4.0 --MMDD."""
    root = vault({})
    for rel in (
        "android-vcard/v21_invalid_comment_line.vcf",
        "android-vcard/v21_multiple_entry.vcf",
        "ez-vcard/John_Doe_IPHONE.vcf",
        "ez-vcard/outlook-2003.vcf",
        "ez-vcard/rfc6350-example.vcf",
        "node-vcf/multiple.vcf",
    ):
        assert run_cli("import", "vcard", str(VCARDS / rel), vault=root).exit_code == 0
    people = root / "people"
    assert (people / "Conference Call.md").read_text(encoding="utf-8") == (
        "```text\nThis is an (sharp ->#<- sharp) example. This message must NOT be ignored.\n```\n"
    )
    assert (people / "安藤ロイド3.md").read_text(encoding="utf-8") == '---\nphone: "9"\n---\n'
    assert (people / "Mr. John Richter James Doe Sr.md").read_text(encoding="utf-8") == """\
---
name: Mr. John Richter James Doe Sr.
aliases: [Johny]
company: IBM
role: Money Counter
email: john.doe@ibm.com
phone: 905-555-1234
social:
  website: http://www.ibm.com
birthday: 2012-06-06
---
"""
    assert (people / "John Doe III.md").read_text(encoding="utf-8") == """\
---
aliases: [Joey]
company: "Company, The"
role: The Job Title
email: jdoe@hotmail.com
phone: BusinessPhone
social:
  website: http://web-page-address.com
birthday: 1980-03-21
---
```text
This is the note field!!
Second line

Third line is empty
```
"""
    assert (people / "Simon Perreault.md").read_text(encoding="utf-8") == """\
---
company: Viagenie
email: simon.perreault@viagenie.ca
phone: "+1-418-656-9254;ext=102"
social:
  website: http://nomis80.org
birthday: --02-03
---
"""
    # one person exported three times (vCard 4.0, 2.1, 3.0) is one note
    assert (people / "Dr. Erika Mustermann.md").read_text(encoding="utf-8") == """\
---
company: Wikimedia
role: "Redaktion & Gestaltung"
email: erika@mustermann.de
phone: "+49-221-9999123"
social:
  website: http://de.wikipedia.org/
---
"""
    check = run_cli("check", vault=root, today="2026-12-01")
    assert check.exit_code == 0, check.output


def test_vaultkit_x_fields_that_are_not_valid_are_left_out_and_reported(vault, tmp_path):
    vcf = tmp_path / "x.vcf"
    vcf.write_text(
        "BEGIN:VCARD\nVERSION:4.0\nFN:Test Person\nX-VAULTKIT-CADENCE:sometimes\nX-VAULTKIT-STATUS:Paused\n"
        "X-VAULTKIT-MET:yesterday\nX-VAULTKIT-SNOOZE-UNTIL:2027-01-15\nEND:VCARD\n",
        encoding="utf-8",
    )
    root = vault({})
    result = run_cli("import", "vcard", str(vcf), vault=root)
    assert (root / "people" / "Test Person.md").read_text(encoding="utf-8") == (
        "---\nstatus: paused\nsnooze_until: 2027-01-15\n---\n"
    )
    assert result.stderr.splitlines() == [
        "warning   x.vcf:1: X-VAULTKIT-MET 'yesterday' is not a date; left out",
        "warning   x.vcf:1: X-VAULTKIT-CADENCE 'sometimes' is not valid; left out",
    ]
