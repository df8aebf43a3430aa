"""`vaultkit import linkedin-messages`: messages.csv from LinkedIn's data export, in its real
header and date format (`2026-11-02 09:12:44 UTC`), into ledger notes."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, run_cli

MESSAGES = REPO / "tests" / "data" / "linkedin" / "messages.csv"
CONNECTIONS = REPO / "tests" / "data" / "linkedin" / "Connections.csv"
TODAY = "2026-12-01"

PEOPLE = {
    # the export spells her profile https://www.linkedin.com/in/Ada-Lovelace
    "people/Ada Lovelace.md": "---\nsocial:\n  linkedin: linkedin.com/in/ada-lovelace/\n---\n",
    # no profile in her note: matched by her name
    "people/Grace Hopper.md": "---\nemail: grace@navy.example\n---\n",
}

# Worked by hand: Alex Example takes part in every conversation, so Alex is me. Ada's two
# messages of 2 Nov are one line; the group conversation is a line on each of its days with
# Ada and Grace (Hedy is not in the vault); the draft of 12 Nov is not a message sent.
OCTOBER = """\
---
source: linkedin
---
- 2026-10-28 LinkedIn messages with [[Grace Hopper]]: "COBOL at 65" ^linkedin-1d662242
"""
NOVEMBER = """\
---
source: linkedin
---
- 2026-11-02 LinkedIn messages with [[Ada Lovelace]] ^linkedin-73190556
- 2026-11-05 LinkedIn messages with [[Ada Lovelace]] ^linkedin-31997dec
- 2026-11-10 LinkedIn messages with [[Ada Lovelace]] and [[Grace Hopper]]: "PyData organisers" ^linkedin-5eaebf25
- 2026-11-11 LinkedIn messages with [[Ada Lovelace]] and [[Grace Hopper]]: "PyData organisers" ^linkedin-dbc3c788
"""


def ledger(root: Path) -> dict[str, str]:
    folder = root / "Interactions"
    return (
        {p.name: p.read_bytes().decode("utf-8") for p in sorted(folder.glob("*"))}
        if folder.is_dir()
        else {}
    )


def test_messages_become_ledger_notes_without_their_content(vault):
    root = vault(PEOPLE)
    result = run_cli("import", "linkedin-messages", str(MESSAGES), vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert ledger(root) == {"2026-10 linkedin.md": OCTOBER, "2026-11 linkedin.md": NOVEMBER}
    assert result.stdout.splitlines() == [
        "created Interactions/2026-10 linkedin.md (1 line)",
        "created Interactions/2026-11 linkedin.md (4 lines)",
        "7 messages read; 5 with people in the vault (2 people); 5 lines added, 0 already there",
        "left out: 1 after today",
        "People you message who are not in your vault (the 10 seen most often):",
        "  vaultkit add 'Hedy Lamarr'  # 2 conversation days",
    ]
    assert result.stderr.splitlines() == [
        "1 message could not be read (left out):",
        "  messages.csv: line 10: DATE 'yesterday' is not a date",
    ]
    written = "".join(ledger(root).values()) + result.output
    assert "SECRET" not in written and "intro" not in written
    again = run_cli("import", "linkedin-messages", str(MESSAGES), vault=root, today=TODAY)
    assert ledger(root) == {"2026-10 linkedin.md": OCTOBER, "2026-11 linkedin.md": NOVEMBER}
    assert again.stdout.splitlines()[0].endswith("0 lines added, 5 already there")


def test_me_given_as_a_profile(vault):
    # Hedy as me: the group conversation is then with Alex, Ada and Grace
    root = vault(PEOPLE)
    result = run_cli(
        "import",
        "linkedin-messages",
        str(MESSAGES),
        "--me",
        "https://linkedin.com/in/hedy-lamarr/",
        "--since",
        "2026-11-11",
        "--dry-run",
        vault=root,
        today=TODAY,
    )
    assert result.stdout.splitlines() == [
        "would add 1 line to Interactions/2026-11 linkedin.md (new note)",
        '  - 2026-11-11 LinkedIn messages with [[Ada Lovelace]] and [[Grace Hopper]]: "PyData organisers" ^linkedin-dbc3c788',
        "7 messages read; 1 with people in the vault (2 people); 1 line to add, 0 already there",
        "left out: 5 before --since, 1 after today",
        "People you message who are not in your vault (the 10 seen most often):",
        "  vaultkit add 'Alex Example'  # 1 conversation day",
        "Nothing written (--dry-run).",
    ]
    assert not (root / "Interactions").exists()


def test_connections_csv_is_refused_with_a_hint(vault, tmp_path):
    root = vault(PEOPLE)
    result = run_cli("import", "linkedin-messages", str(CONNECTIONS), vault=root, today=TODAY)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {CONNECTIONS}: this is LinkedIn's Connections.csv, not messages.csv; "
        "import it with `vaultkit import linkedin Connections.csv`"
    ]
    other = tmp_path / "messages.csv"
    other.write_text("Date,Subject\n2026-11-02,Hello\n", encoding="utf-8")
    result = run_cli("import", "linkedin-messages", str(other), vault=root, today=TODAY)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {other}: not LinkedIn's messages.csv (expected a first line "
        "'CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,...')"
    ]
    assert not (root / "Interactions").exists()
