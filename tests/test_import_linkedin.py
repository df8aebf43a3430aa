"""`vaultkit import linkedin`: LinkedIn's Connections.csv into a vault that already has people."""

from __future__ import annotations

from pathlib import Path

from conftest import IMPORT_ADA as ADA
from conftest import REPO, run_cli

CONNECTIONS = REPO / "tests" / "data" / "linkedin" / "Connections.csv"


EXISTING = {
    "people/Ada Lovelace.md": ADA,
    # Windows line ends, an empty key, a flow list
    "people/Grace Hopper.md": "---\r\ntags: [navy, cobol]\r\nrole:\r\nstatus: active\r\n---\r\nWrote the first compiler.\r\n",
    # no front matter at all; the CSV spells the name without accents
    "people/José Álvarez.md": "Data lead at Lumen. Met through [[Kwame Mensah]].\n",
    # the same name as a second, different Jane in the file (another profile)
    "people/Jane Doe.md": "---\ncompany: Acme Corp\nsocial:\n  linkedin: https://www.linkedin.com/in/jane-doe-4a1b2c/\n---\n",
    # tags as one string
    "people/Kwame Mensah.md": "---\ntags: founder, solar\ncompany: Solar, Wind & Co\n---\n",
    # front matter that cannot be read: never merged into, never shadowed by a second note
    "people/Wei Zhang 张伟.md": "---\ntags: [infra\n---\n",
}

AFTER = {
    "people/Ada Lovelace.md": """\
---
aliases: [Ada]
tags:
  - mentor
  - python
  - linkedin
company: Analytical Engines Ltd
email: ada@example.com            # a string or a list
social:
  mastodon: "@ada@hachyderm.io"
  linkedin: https://www.linkedin.com/in/ada-lovelace
cadence: monthly
role: CTO
met: 2022-03-01
---
Met her at PyCon UK; she cares about compilers and poetry.

## Log
- 2026-11-02 Coffee in King's Cross. #hiring
""",
    "people/Grace Hopper.md": (
        "---\r\ntags: [navy, cobol, linkedin]\r\nrole: Rear Admiral\r\nstatus: active\r\n"
        'company: "US Navy, Reserve"\r\nsocial:\r\n  linkedin: https://www.linkedin.com/in/grace-hopper-navy\r\n'
        "met: 2021-01-15\r\n---\r\nWrote the first compiler.\r\n"
    ),
    "people/José Álvarez.md": """\
---
tags: [linkedin]
company: Lumen Analytics
role: Head of Data
social:
  linkedin: https://www.linkedin.com/in/jose-alvarez
met: 2023-06-07
---
Data lead at Lumen. Met through [[Kwame Mensah]].
""",
    "people/Jane Doe.md": """\
---
company: Acme Corp
social:
  linkedin: https://www.linkedin.com/in/jane-doe-4a1b2c/
tags: [linkedin]
role: Engineer
met: 2022-02-02
---
""",
    "people/Jane Doe (2).md": """\
---
name: Jane Doe
tags: [linkedin]
company: Globex
role: "Designer, UX"
email: jane.doe@globex.example
social:
  linkedin: https://www.linkedin.com/in/janedoe-design
met: 2022-02-03
---
""",
    "people/Kwame Mensah.md": """\
---
tags: [founder, solar, linkedin]
company: Solar, Wind & Co
role: Founder
social:
  linkedin: https://www.linkedin.com/in/kwame-mensah
---
""",
    "people/Siobhán Ní Bhriain.md": """\
---
tags: [linkedin]
company: Trinity College Dublin
role: "Lecturer, Computer Science"
email: siobhan@example.ie
social:
  linkedin: https://www.linkedin.com/in/siobhan-ni-bhriain
met: 2020-11-23
---
""",
    "people/Zoë O'Brien-Smith 🚀.md": """\
---
tags: [linkedin]
company: "Start \\"Up\\" Labs"
role: Co-founder
email: zoe@example.co.uk
social:
  linkedin: https://www.linkedin.com/in/zoe-obrien
met: 2023-12-28
---
""",
    "people/Wei Zhang 张伟.md": "---\ntags: [infra\n---\n",
}

REPORT_LINES = [
    "people/Siobhán Ní Bhriain.md",
    "people/Jane Doe (2).md",
    "people/Zoë O'Brien-Smith 🚀.md",
    "merged    people/Ada Lovelace.md: + tags, social.linkedin, role, met",
    "merged    people/Grace Hopper.md: + tags, role, company, social, met",
    "merged    people/José Álvarez.md: + tags, company, role, social, met",
    "merged    people/Jane Doe.md: + tags, role, met",
    "merged    people/Kwame Mensah.md: + tags, role, social",
]
NOTICES = """\
skipped   Connections.csv:11: Wei Zhang 张伟: people/Wei Zhang 张伟.md cannot be read (run vaultkit check); not merged
skipped   Connections.csv:12: no first or last name
skipped   Connections.csv:13: 8 values where the header has 7; a comma in an unquoted value?
warning   Connections.csv:14: Connected On '31 Feb 2022' is not a date like 01 Mar 2022; left out
"""


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_import_merges_into_existing_people_and_creates_the_rest(vault):
    root = vault(EXISTING)
    result = run_cli("import", "linkedin", str(CONNECTIONS), "--tag", "linkedin", vault=root)
    assert result.exit_code == 0, result.output
    files = snapshot(root)
    assert files == {rel: text.encode("utf-8") for rel, text in AFTER.items()}
    assert result.stdout.splitlines() == [
        *(f"created   {line}" for line in REPORT_LINES[:3]),
        *REPORT_LINES[3:],
        "Imported Connections.csv: 3 new, 5 merged, 0 unchanged, 3 skipped; 1 repeated an earlier contact.",
    ]
    assert result.stderr == NOTICES


def test_importing_the_same_file_again_changes_nothing(vault):
    root = vault(EXISTING)
    run_cli("import", "linkedin", str(CONNECTIONS), "--tag", "linkedin", vault=root)
    before = snapshot(root)
    again = run_cli("import", "linkedin", str(CONNECTIONS), "--tag", "linkedin", vault=root)
    assert again.exit_code == 0
    assert snapshot(root) == before
    assert again.stdout == "Imported Connections.csv: 0 new, 0 merged, 8 unchanged, 3 skipped; 1 repeated an earlier contact.\n"


def test_dry_run_prints_the_plan_and_writes_nothing(vault):
    root = vault(EXISTING)
    before = snapshot(root)
    result = run_cli("import", "linkedin", str(CONNECTIONS), "--tag", "linkedin", "--dry-run", vault=root)
    assert result.exit_code == 0
    assert snapshot(root) == before
    assert result.stdout.splitlines() == [
        *(f"new       {line}" for line in REPORT_LINES[:3]),
        *REPORT_LINES[3:],
        "Dry run of Connections.csv: 3 new, 5 merged, 0 unchanged, 3 skipped; "
        "1 repeated an earlier contact. Nothing was written.",
    ]
    assert result.stderr == NOTICES


def test_old_export_without_url_column_and_utf8_bom(vault, tmp_path):
    csv = tmp_path / "Connections.csv"
    csv.write_bytes(
        "\ufeffFirst Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Björn,Eriksson,bjorn@example.se,Volvo Cars,Embedded Lead,9 Sep 2019\n".encode()
    )
    root = vault({})
    result = run_cli("import", "linkedin", str(csv), vault=root)
    assert result.exit_code == 0, result.output
    note = root / "people" / "Björn Eriksson.md"
    assert note.read_text(encoding="utf-8") == (
        "---\ncompany: Volvo Cars\nrole: Embedded Lead\nemail: bjorn@example.se\nmet: 2019-09-09\n---\n"
    )


def test_a_file_that_is_not_connections_csv_is_an_error(vault, tmp_path):
    csv = tmp_path / "contacts.csv"
    csv.write_text("Name,E-mail 1 - Value\nAda,ada@example.com\n", encoding="utf-8")
    result = run_cli("import", "linkedin", str(csv), vault=vault({}))
    assert result.exit_code == 1
    assert "no header line with 'First Name,Last Name,...' found; is this LinkedIn's Connections.csv?" in result.output
    assert "Traceback" not in result.output


def test_large_import_writes_every_note_and_shows_no_progress_bar_off_a_terminal(vault, tmp_path):
    rows = [f"Person,Number {i:03d},https://www.linkedin.com/in/p{i},,Acme,Engineer,01 Mar 2022" for i in range(350)]
    csv = tmp_path / "Connections.csv"
    csv.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "\n".join(rows) + "\n", encoding="utf-8")
    root = vault({})
    result = run_cli("import", "linkedin", str(csv), vault=root)
    assert result.exit_code == 0
    assert len(list((root / "people").glob("*.md"))) == 350
    assert "Writing notes" not in result.output
    assert result.output.splitlines()[-1] == "Imported Connections.csv: 350 new, 0 merged, 0 unchanged, 0 skipped."
