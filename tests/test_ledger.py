"""Ledger notes: merged by block id, new lines placed by day, nothing the user wrote
rewritten, subjects made inert, and each note written whole even when the import is killed."""

from __future__ import annotations

import mailbox
import random
import signal
import subprocess
import sys
import time
from datetime import date

from conftest import run_cli

from vaultkit.importers.ledger import Entry, block_id, merged, names_text, safe_text

VAULTKIT = [sys.executable, "-c", "from vaultkit.cli import main; main()"]


def entry(day: str, text: str, block: str, order: str = "") -> Entry:
    return Entry(date.fromisoformat(day), order, block, text)


def test_a_new_note_has_front_matter_and_sorted_lines():
    text = merged(
        None, "mail", [entry("2026-11-09", "B", "mail-2"), entry("2026-11-02", "A", "mail-1")]
    )
    assert text == "---\nsource: mail\n---\n- 2026-11-02 A ^mail-1\n- 2026-11-09 B ^mail-2\n"


def test_merge_keeps_every_existing_byte_and_skips_known_ids():
    before = (
        "---\r\nsource: mail\r\n---\r\n"
        "Intro I wrote.\r\n"
        "- 2026-11-03 I rewrote this line entirely ^mail-1\r\n"
        "- 2026-11-20 By hand\r\n"
        "\r\n"
        "Notes at the end, no final newline"
    )
    after = merged(
        before,
        "mail",
        [
            entry("2026-11-02", "Email from [[Ada Lovelace]]", "mail-1"),  # known id: skipped
            entry("2026-11-01", "First", "mail-2"),
            entry("2026-11-03", "Same day, after the one there", "mail-3"),
            entry("2026-11-30", "Last", "mail-4"),
        ],
    )
    assert after == (
        "---\r\nsource: mail\r\n---\r\n"
        "Intro I wrote.\r\n"
        "- 2026-11-01 First ^mail-2\r\n"
        "- 2026-11-03 I rewrote this line entirely ^mail-1\r\n"
        "- 2026-11-03 Same day, after the one there ^mail-3\r\n"
        "- 2026-11-20 By hand\r\n"
        "- 2026-11-30 Last ^mail-4\r\n"
        "\r\n"
        "Notes at the end, no final newline"
    )
    assert merged(after, "mail", [entry("2026-11-01", "First", "mail-2")]) == after


def test_a_note_without_list_items_gets_them_at_the_end():
    assert merged(
        "---\nsource: mail\n---\nNothing yet", "mail", [entry("2026-11-01", "A", "mail-9")]
    ) == ("---\nsource: mail\n---\nNothing yet\n- 2026-11-01 A ^mail-9\n")


def test_subjects_cannot_become_links_tags_comments_or_ids():
    assert safe_text("  Re:\t#help   [[Grace Hopper]] %% x <!-- y due:: z ^abc\n") == (
        "Re: ＃help [Grace Hopper] % x <!- y due: z ˆabc"
    )
    assert safe_text("C# and issue #42 and ## heading") == "C# and issue #42 and ## heading"
    assert names_text(["[[A]]", "[[B]]", "[[C]]"]) == "[[A]], [[B]] and [[C]]"


def test_block_ids_are_stable_and_short():
    assert block_id("mail", "<cfp-1@example.com>") == "mail-30cfbd30"
    assert block_id("calendar", "uid", "20261102") != block_id("calendar", "uid", "20261109")


def test_an_unreadable_ledger_note_is_left_as_it_is(vault, tmp_path):
    root = vault(
        {"people/Ada Lovelace.md": "---\nemail: ada@example.com\n---\n"},
        'me = ["me@example.com"]\n',
    )
    note = root / "Interactions" / "2026-11 mail.md"
    note.parent.mkdir()
    note.write_bytes(b"---\nsource: mail\n---\n- 2026-11-01 caf\xe9\n")
    box = mailbox.mbox(tmp_path / "inbox.mbox")
    box.add(
        b"From: ada@example.com\nTo: me@example.com\nDate: Mon, 02 Nov 2026 10:00:00 +0000\nMessage-ID: <x@y>\n\nbody\n"
    )
    box.close()
    result = run_cli("import", "mail", str(tmp_path / "inbox.mbox"), vault=root, today="2026-12-01")
    assert result.exit_code == 0
    assert note.read_bytes() == b"---\nsource: mail\n---\n- 2026-11-01 caf\xe9\n"
    assert result.stderr.splitlines() == [
        "Interactions/2026-11 mail.md: not UTF-8 text; left as it is, 1 line not added"
    ]
    assert result.stdout.splitlines()[0].endswith("0 lines added, 0 already there")


def test_a_killed_import_leaves_each_note_whole_and_a_rerun_completes_it(vault, tmp_path):
    root = vault(
        {"people/Ada Lovelace.md": "---\nemail: ada@example.com\n---\n"},
        'me = ["me@example.com"]\n',
    )
    box = mailbox.mbox(tmp_path / "inbox.mbox")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for i in range(3000):  # 3000 messages over 25 months: 25 ledger notes
        month, day = divmod(i % 750, 30)
        box.add(
            f"From: Ada <ada@example.com>\nTo: me@example.com\nMessage-ID: <m{i}@example.com>\n"
            f"Date: {day + 1:02d} {months[month % 12]} {2024 + month // 12} 10:00:00 +0000\n"
            f"Subject: Message {i}\n\n{'body line ' * 50}\n".encode()
        )
    box.close()
    command = [
        *VAULTKIT,
        "import",
        "mail",
        str(tmp_path / "inbox.mbox"),
        "--vault",
        str(root),
        "--today",
        "2026-12-01",
    ]
    folder = root / "Interactions"

    def notes() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in folder.glob("*.md")} if folder.is_dir() else {}

    started = time.perf_counter()
    clean = subprocess.run(command, capture_output=True, timeout=120)
    took = time.perf_counter() - started
    assert clean.returncode == 0, clean.stderr
    expected = notes()
    assert len(expected) == 25
    for path in folder.iterdir():
        path.unlink()
    rng = random.Random(14)
    for _ in range(3):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.4 * took, took))  # mostly while it reads or writes
        process.send_signal(signal.SIGKILL)
        process.wait()
        for name, data in notes().items():
            assert data == expected[name], name  # whole, never torn
    again = subprocess.run(command, capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert notes() == expected
