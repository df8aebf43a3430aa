"""`vaultkit import mail`: an mbox and a Maildir, written with the stdlib `mailbox` module from
hand-written raw messages, into ledger notes."""

from __future__ import annotations

import mailbox
import subprocess
import sys
from pathlib import Path

from conftest import run_cli

TODAY = "2026-12-01"

PEOPLE = {
    "people/Ada Lovelace.md": "---\nemail: [ada@example.com, Ada.L@Work.example]\ncadence: monthly\n---\n",
    "people/Grace Hopper.md": "---\nemail: grace@navy.example\naliases: [Amazing Grace]\n---\n",
    # no email: matched by her name
    "people/Katherine Johnson.md": "---\ntags: [space]\n---\n",
}
SETTINGS = 'me = ["me@example.com"]\n'


def message(
    headers: str, body: str = "Body text that is never kept.\nFrom the start of a line.\n"
) -> bytes:
    return (headers.strip("\n") + "\n\n" + body).encode("utf-8")


ELEVEN = ", ".join(f"p{i}@example.org" for i in range(10))

MESSAGES = [
    # Ada writes to me late in the evening of 2 November, her time (3 November in UTC)
    message("""
From: Ada Lovelace <ada@example.com>
To: Me <me@example.com>
Date: Mon, 02 Nov 2026 23:30:00 -0800
Subject: =?utf-8?q?Re:_PyData_CFP_=E2=80=94_draft?=
Message-ID: <cfp-1@example.com>
"""),
    # I write to Ada (another of her addresses, other case) and Grace, on 3 November in
    # Tokyo (2 November in UTC); no Message-ID; a Latin-1 encoded word; a folded To
    message("""
From: Me <me@example.com>
To: "Lovelace, Ada" <ADA.L@work.example>,
 =?utf-8?b?R3JhY2UgSG9wcGVy?= <grace@navy.example>
Date: Tue, 03 Nov 2026 00:15:00 +0900
Subject: =?iso-8859-1?q?Caf=E9?= tomorrow?
"""),
    # Katherine has no address in her note: matched by her name; the subject has a tag
    # and a link that must not become a tag and a link in the vault
    message("""
From: Katherine Johnson <kj@nasa.example>
To: me@example.com
Date: Fri, 30 Oct 2026 09:00:00 +0000
Subject: #help with orbits [[Trajectories]]
Message-ID: <orbits@nasa.example>
"""),
    # a mailing list
    message("""
From: Ada Lovelace <ada@example.com>
To: python-dev@python.example
List-Id: <python-dev.python.example>
Date: Wed, 04 Nov 2026 10:00:00 +0000
Subject: [python-dev] PEP draft
Message-ID: <list-1@example.com>
"""),
    # bulk and automatic replies
    message("""
From: Grace Hopper <grace@navy.example>
To: me@example.com
Precedence: bulk
Date: Thu, 05 Nov 2026 10:00:00 +0000
Subject: Newsletter
Message-ID: <bulk-1@navy.example>
"""),
    message("""
From: Grace Hopper <grace@navy.example>
To: me@example.com
Auto-Submitted: auto-replied
Date: Thu, 05 Nov 2026 11:00:00 +0000
Subject: Out of office
Message-ID: <ooo-1@navy.example>
"""),
    # a noreply sender
    message("""
From: GitHub <noreply@github.com>
To: me@example.com
Date: Fri, 06 Nov 2026 10:00:00 +0000
Subject: [vaultkit] New issue
Message-ID: <gh-1@github.com>
"""),
    # 11 recipients
    message(f"""
From: me@example.com
To: ada@example.com, {ELEVEN}
Date: Sat, 07 Nov 2026 10:00:00 +0000
Subject: Party
Message-ID: <party@example.com>
"""),
    # people who are not in the vault: Hedy twice, Alan once
    message("""
From: Hedy Lamarr <hedy@example.com>
To: me@example.com
Date: Sun, 08 Nov 2026 10:00:00 +0000
Subject: Frequency hopping
Message-ID: <hedy-1@example.com>
"""),
    message("""
From: me@example.com
To: =?utf-8?q?Hedy_Lamarr?= <Hedy@Example.com>, alan.turing@example.com
Date: Mon, 09 Nov 2026 10:00:00 +0000
Subject: Re: Frequency hopping
Message-ID: <hedy-2@example.com>
"""),
    # after today
    message("""
From: Ada Lovelace <ada@example.com>
To: me@example.com
Date: Sat, 05 Dec 2026 10:00:00 +0000
Subject: Next week
Message-ID: <future@example.com>
"""),
]

BROKEN = [
    message("""
From: Ada Lovelace <ada@example.com>
To: me@example.com
Subject: No date at all
Message-ID: <nodate@example.com>
"""),
    message("""
From: Ada Lovelace <ada@example.com>
To: me@example.com
Date: sometime last week
Subject: A date nobody can read
"""),
]

OCTOBER = """\
---
source: mail
---
- 2026-10-30 Email from [[Katherine Johnson]]: "＃help with orbits [Trajectories]" ^mail-97302739
"""

NOVEMBER = """\
---
source: mail
---
- 2026-11-02 Email from [[Ada Lovelace]]: "Re: PyData CFP — draft" ^mail-30cfbd30
- 2026-11-03 Email to [[Ada Lovelace]] and [[Grace Hopper]]: "Café tomorrow?" ^mail-56062bcb
"""

SUMMARY = [
    "11 messages read; 3 with people in the vault (3 people); 3 lines added, 0 already there",
    "left out: 3 mailing lists or bulk, 1 after today, 1 more than 10 recipients, 1 only ignored addresses",
    "People you write to who are not in your vault (the 10 seen most often):",
    "  vaultkit add 'Hedy Lamarr' --email hedy@example.com  # 2 messages",
    "  vaultkit add 'Alan Turing' --email alan.turing@example.com  # 1 message",
]


def write_mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(path)
    for raw in messages:
        box.add(raw)
    box.close()
    return path


def write_maildir(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.Maildir(path, create=True)
    for raw in messages:
        box.add(mailbox.MaildirMessage(raw))
    box.close()
    return path


def ledger(root: Path) -> dict[str, str]:
    folder = root / "Interactions"
    return (
        {p.name: p.read_bytes().decode("utf-8") for p in sorted(folder.glob("*"))}
        if folder.is_dir()
        else {}
    )


def test_an_mbox_becomes_ledger_notes(vault, tmp_path):
    root = vault(PEOPLE, SETTINGS)
    mbox = write_mbox(tmp_path / "All mail.mbox", MESSAGES[:5] + BROKEN + MESSAGES[5:])
    result = run_cli("import", "mail", str(mbox), vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert ledger(root) == {"2026-10 mail.md": OCTOBER, "2026-11 mail.md": NOVEMBER}
    assert result.stdout.splitlines() == [
        "created Interactions/2026-10 mail.md (1 line)",
        "created Interactions/2026-11 mail.md (2 lines)",
        *SUMMARY,
    ]
    assert result.stderr.splitlines() == [
        "2 messages could not be read (left out):",
        "  All mail.mbox: message 6: no Date header",
        "  All mail.mbox: message 7: Date 'sometime last week' is not a date",
    ]


def test_reimport_adds_nothing_and_keeps_edited_lines(vault, tmp_path):
    root = vault(PEOPLE, SETTINGS)
    mbox = write_mbox(tmp_path / "inbox.mbox", MESSAGES)
    assert run_cli("import", "mail", str(mbox), vault=root, today=TODAY).exit_code == 0
    note = root / "Interactions" / "2026-11 mail.md"
    edited = NOVEMBER.replace('"Re: PyData CFP — draft"', "she accepted the talk! #hiring")
    note.write_text(
        edited.replace("\n", "\r\n") + "My own paragraph at the end.", encoding="utf-8", newline=""
    )
    (root / "Interactions" / "2026-10 mail.md").unlink()  # deleted: it comes back
    again = run_cli("import", "mail", str(mbox), vault=root, today=TODAY)
    assert again.exit_code == 0, again.output
    assert (
        note.read_bytes()
        == (edited.replace("\n", "\r\n") + "My own paragraph at the end.").encode()
    )
    assert ledger(root)["2026-10 mail.md"] == OCTOBER
    assert again.stdout.splitlines()[:2] == [
        "created Interactions/2026-10 mail.md (1 line)",
        "11 messages read; 3 with people in the vault (3 people); 1 line added, 2 already there",
    ]
    third = run_cli("import", "mail", str(mbox), vault=root, today=TODAY)
    assert third.stdout.splitlines()[0] == (
        "11 messages read; 3 with people in the vault (3 people); 0 lines added, 3 already there"
    )


def test_new_lines_go_between_existing_ones_by_day(vault, tmp_path):
    root = vault(
        {
            **PEOPLE,
            "Interactions/2026-11 mail.md": (
                "---\nsource: mail\n---\n"
                "- 2026-11-01 Lunch with [[Ada Lovelace]] (written by hand)\n"
                "- 2026-11-02 Email from [[Ada Lovelace]]: edited ^mail-30cfbd30\n"
                "- 2026-11-20 Call with [[Grace Hopper]]\n"
            ),
        },
        SETTINGS,
    )
    mbox = write_mbox(tmp_path / "inbox.mbox", MESSAGES[:2])
    result = run_cli("import", "mail", str(mbox), vault=root, today=TODAY)
    assert result.stdout.splitlines()[0] == "added 1 line to Interactions/2026-11 mail.md"
    assert ledger(root)["2026-11 mail.md"] == (
        "---\nsource: mail\n---\n"
        "- 2026-11-01 Lunch with [[Ada Lovelace]] (written by hand)\n"
        "- 2026-11-02 Email from [[Ada Lovelace]]: edited ^mail-30cfbd30\n"
        '- 2026-11-03 Email to [[Ada Lovelace]] and [[Grace Hopper]]: "Café tomorrow?" ^mail-56062bcb\n'
        "- 2026-11-20 Call with [[Grace Hopper]]\n"
    )


def test_a_maildir_gives_the_same_notes(vault, tmp_path):
    root = vault(PEOPLE, SETTINGS)
    maildir = write_maildir(tmp_path / "Mail", MESSAGES)
    result = run_cli("import", "mail", str(maildir), vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert ledger(root) == {"2026-10 mail.md": OCTOBER, "2026-11 mail.md": NOVEMBER}
    assert result.stdout.splitlines()[2:] == SUMMARY


def test_dry_run_prints_the_lines_and_writes_nothing(vault, tmp_path):
    root = vault(PEOPLE, SETTINGS)
    mbox = write_mbox(tmp_path / "inbox.mbox", MESSAGES)
    result = run_cli(
        "import", "mail", str(mbox), "--dry-run", "--no-subjects", vault=root, today=TODAY
    )
    assert result.exit_code == 0, result.output
    assert not (root / "Interactions").exists()
    assert result.stdout.splitlines() == [
        "would add 1 line to Interactions/2026-10 mail.md (new note)",
        "  - 2026-10-30 Email from [[Katherine Johnson]] ^mail-97302739",
        "would add 2 lines to Interactions/2026-11 mail.md (new note)",
        "  - 2026-11-02 Email from [[Ada Lovelace]] ^mail-30cfbd30",
        "  - 2026-11-03 Email to [[Ada Lovelace]] and [[Grace Hopper]] ^mail-56062bcb",
        SUMMARY[0].replace("added", "to add"),
        *SUMMARY[1:],
        "Nothing written (--dry-run).",
    ]


def test_since_me_option_and_settings(vault, tmp_path):
    # no `me` in vaultkit.toml: --me says who I am; a stricter ignore list and limit
    root = vault(PEOPLE, 'ignore_addresses = ["*@navy.example"]\nmax_recipients = 1\n')
    mbox = write_mbox(tmp_path / "inbox.mbox", MESSAGES)
    result = run_cli(
        "import",
        "mail",
        str(mbox),
        "--me",
        "ME@example.com",
        "--since",
        "2026-11-01",
        vault=root,
        today=TODAY,
    )
    assert result.exit_code == 0, result.output
    assert ledger(root) == {
        "2026-11 mail.md": "---\nsource: mail\n---\n"
        '- 2026-11-02 Email from [[Ada Lovelace]]: "Re: PyData CFP — draft" ^mail-30cfbd30\n'
    }
    assert result.stdout.splitlines()[1:3] == [
        "11 messages read; 1 with people in the vault (1 person); 1 line added, 0 already there",
        "left out: 3 mailing lists or bulk, 3 more than 1 recipients, 1 after today, 1 before --since",
    ]


def test_without_me_it_asks_who_you_are(vault, tmp_path):
    root = vault(PEOPLE)
    mbox = write_mbox(tmp_path / "inbox.mbox", MESSAGES)
    result = run_cli("import", "mail", str(mbox), vault=root, today=TODAY)
    assert result.exit_code == 1
    assert "give --me you@example.com" in result.output
    assert not (root / "Interactions").exists()


def test_files_that_are_not_mailboxes(vault, tmp_path):
    root = vault(PEOPLE, SETTINGS)
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    eml = tmp_path / "one.eml"
    eml.write_bytes(MESSAGES[0])
    folder = tmp_path / "notes"
    folder.mkdir()
    for path, expected in [
        (
            png,
            f"Error: {png}: not an mbox file (expected a mailbox whose first line starts with 'From ') or a Maildir folder",
        ),
        (
            eml,
            f"Error: {eml}: not an mbox file (expected a mailbox whose first line starts with 'From ') "
            "or a Maildir folder (this looks like one message, an .eml file; put it in a Maildir or mbox)",
        ),
        (
            folder,
            f"Error: {folder}: not a Maildir folder (expected cur/ and new/ inside it); give an mbox file or a Maildir folder",
        ),
    ]:
        result = run_cli("import", "mail", str(path), vault=root, today=TODAY)
        assert result.exit_code == 1
        assert result.output.splitlines() == [expected]
    assert not (root / "Interactions").exists()


def test_a_subprocess_run_shows_no_traceback_for_a_png(vault, tmp_path):
    root = vault(PEOPLE, SETTINGS)
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    done = subprocess.run(
        [sys.executable, "-m", "vaultkit", "import", "mail", str(png), "--vault", str(root)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "not an mbox file" in done.stderr
