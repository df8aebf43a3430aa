"""`vaultkit import google`: Google Contacts CSV (today's header and the older one, UTF-8 and UTF-16)."""

from __future__ import annotations

from pathlib import Path

from conftest import IMPORT_ADA, REAL, REPO, run_cli

CONTACTS = REPO / "tests" / "data" / "google" / "contacts.csv"
ROUNDCUBE_UTF8 = REAL / "google" / "roundcube-current" / "gmail.csv"
ROUNDCUBE_UTF16 = REAL / "google" / "roundcube-2014-utf16le" / "gmail.csv"

EXISTING = {
    "people/Ada Lovelace.md": IMPORT_ADA,
    "people/Grace Hopper.md": "---\r\ntags: [navy, cobol]\r\nrole:\r\nstatus: active\r\n---\r\nWrote the first compiler.\r\n",
    "people/Priya Raman.md": "---\nemail:\n  - priya@example.in\ngroups: [Book Club]\n---\n",
}

AFTER = {
    "people/Ada Lovelace.md": """\
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
    "people/Grace Hopper.md": (
        "---\r\ntags: [navy, cobol]\r\nrole:\r\nstatus: active\r\nemail: grace@navy.example\r\n---\r\n"
        "Wrote the first compiler.\r\n"
    ),
    # two rows for Priya: both merged, the mobile number preferred, Google's own labels dropped
    "people/Priya Raman.md": """\
---
email:
  - priya@example.in
  - priya.raman@work.example
groups: [Book Club]
tags: [book-club, work-friends]
company: Infosys
phone: "+91 98765 43210"
birthday: --04-15
---
""",
    "people/Tomás J. Ferreira.md": """\
---
company: "Porto Robotics, Lda"
role: Founder
email: tomas@porto-robotics.example
social:
  github: https://github.com/tferreira
---
""",
    "people/Marta Nowak.md": "---\ntags: [book-club]\nemail: marta.nowak@example.pl\n---\n",
}


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_google_csv_merges_and_creates_notes(vault):
    root = vault(EXISTING)
    result = run_cli("import", "google", str(CONTACTS), vault=root)
    assert result.exit_code == 0, result.output
    assert snapshot(root) == {rel: text.encode("utf-8") for rel, text in AFTER.items()}
    assert result.stdout.splitlines() == [
        "created   people/Tomás J. Ferreira.md",
        "created   people/Marta Nowak.md",
        "merged    people/Ada Lovelace.md: + aliases, tags, email, social.linkedin, role, phone, birthday",
        "merged    people/Priya Raman.md: + email, tags, company, phone, birthday",
        "merged    people/Grace Hopper.md: + email",
        "Imported contacts.csv: 2 new, 3 merged, 0 unchanged, 2 skipped; 1 repeated an earlier contact.",
    ]
    assert result.stderr.splitlines() == [
        "skipped   contacts.csv:7: no name",
        "skipped   contacts.csv:9: not valid CSV: ',' expected after '\"'",
        "warning   contacts.csv:8: Birthday 'April 15' is not a date (YYYY-MM-DD or --MM-DD); left out",
        "warning   contacts.csv:8: 'not-an-address' is not an email address; left out",
    ]
    again = run_cli("import", "google", str(CONTACTS), vault=root)
    assert snapshot(root) == {rel: text.encode("utf-8") for rel, text in AFTER.items()}
    assert again.stdout.splitlines()[-1] == (
        "Imported contacts.csv: 0 new, 0 merged, 5 unchanged, 2 skipped; 1 repeated an earlier contact."
    )


ROUNDCUBE_NOTE = """\
---
aliases: [nick]
tags: [test]
company: company
role: jobtitle
email: [home@aaa.pl, work@email.pl, unknown@email.com, other@email.com]
phone: mobile
social:
  website: test.com
birthday: 1975-12-12
---
```text
note"note
```
"""


def test_older_google_export_in_utf8_and_utf16_gives_the_same_note(vault, tmp_path):
    """The Roundcube fixture: `* My Contacts ::: Test` groups, multi-line addresses, doubled quotes."""
    for csv in (ROUNDCUBE_UTF8, ROUNDCUBE_UTF16):
        root = vault({}) if csv == ROUNDCUBE_UTF8 else tmp_path / "second"
        root.mkdir(exist_ok=True)
        result = run_cli("import", "google", str(csv), vault=root)
        assert result.exit_code == 0, result.output
        note = root / "people" / "Prefix Firstname Middle Lastname Suffix.md"
        assert note.read_text(encoding="utf-8") == ROUNDCUBE_NOTE
        assert result.stdout.splitlines()[-1] == "Imported gmail.csv: 1 new, 0 merged, 0 unchanged, 0 skipped."


def test_a_csv_without_name_columns_is_an_error(vault, tmp_path):
    csv = tmp_path / "export.csv"
    csv.write_text("Title,Amount\nLunch,12\n", encoding="utf-8")
    result = run_cli("import", "google", str(csv), vault=vault({}))
    assert result.exit_code == 1
    assert "export.csv:1: no name columns (Name, Given Name, First Name, ...) in the header" in result.output
