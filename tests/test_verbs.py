"""snooze, done and thank: each changes exactly the line it names, nothing else."""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

import pytest
from conftest import run_cli

TODAY = "2026-12-01"

COMMENTED = """\
---
# Who: met at PyCon UK
aliases: ['Ada']          # single quotes, kept
tags: [mentor, python]
cadence: "monthly"        # quoted on purpose
snooze_until: 2026-11-01  # after her move
birthday: --12-10
---
She is hiring.

## Log
- 2026-10-15 Introduced me to [[Charles Babbage]]. #intro
- 2026-11-02 Coffee in King's Cross. #coffee

## Follow-ups
- [ ] Send her the PyData call for proposals 📅 2026-12-04
- [x] Thank her for the intro ✅ 2026-10-16
- [ ] Return the book
- [/] Draft the joint talk abstract 📅 2026-12-02 ^talk
"""


def write_note(root: Path, name: str, text: str, crlf: bool = False) -> Path:
    path = root / "people" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", "\r\n").encode() if crlf else text.encode())
    return path


def one_change(before: bytes, after: bytes) -> tuple[str, list[str], list[str]]:
    """The single edit between two versions of a file, line by line (line ends kept)."""
    old = before.decode().split("\n")
    new = after.decode().split("\n")
    edits = [
        op
        for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    assert len(edits) == 1, edits
    tag, i1, i2, j1, j2 = edits[0]
    return tag, old[i1:i2], new[j1:j2]


@pytest.fixture
def ada(tmp_path):
    def make(text: str = COMMENTED, crlf: bool = False) -> tuple[Path, Path, bytes]:
        root = tmp_path / "vault"
        path = write_note(root, "Ada Lovelace", text, crlf)
        write_note(root, "Charles Babbage", "---\ntags: [maths]\n---\n")
        return root, path, path.read_bytes()

    return make


# --- snooze ---------------------------------------------------------------------


@pytest.mark.parametrize("crlf", [False, True])
def test_snooze_replaces_the_key_line_and_keeps_its_comment(ada, crlf):
    root, path, before = ada(crlf=crlf)
    result = run_cli("snooze", "ada", "2w", vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert result.output == "people/Ada Lovelace.md: snooze_until: 2026-12-15\n"
    end = "\r" if crlf else ""
    assert one_change(before, path.read_bytes()) == (
        "replace",
        [f"snooze_until: 2026-11-01  # after her move{end}"],
        [f"snooze_until: 2026-12-15  # after her move{end}"],
    )


@pytest.mark.parametrize("crlf", [False, True])
def test_snooze_adds_the_key_before_the_closing_fence(ada, crlf):
    text = "---\ntags: [python]  # a comment\nname: 'Ada Lovelace'\n---\nBody.\n"
    root, path, before = ada(text, crlf=crlf)
    assert run_cli("snooze", "Ada Lovelace", "2027-01-31", vault=root, today=TODAY).exit_code == 0
    end = "\r" if crlf else ""
    assert one_change(before, path.read_bytes()) == (
        "insert",
        [],
        [f"snooze_until: 2027-01-31{end}"],
    )


def test_snoozed_person_reads_back_as_a_plain_date(ada):
    root, path, _ = ada()
    run_cli("snooze", "Ada", "3m", vault=root, today=TODAY)
    shown = run_cli("show", "Ada", vault=root, today=TODAY)
    assert "Snoozed until 2027-03-01\n" in shown.output
    assert "snooze_until: 2027-03-01  # after her move\n" in path.read_text()


def test_snooze_keeps_the_file_mode(ada):
    root, path, _ = ada()
    os.chmod(path, 0o640)
    assert run_cli("snooze", "Ada", "10d", vault=root, today=TODAY).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    ("until", "message"),
    [
        (
            "soon",
            "Error: 'soon' is neither a date (YYYY-MM-DD) nor a length of time (like 10d, 2w, 3m, 1y)\n",
        ),
        ("2026-11-30", "Error: 2026-11-30 is not after today (2026-12-01); nothing to snooze\n"),
        ("2026-12-01", "Error: 2026-12-01 is not after today (2026-12-01); nothing to snooze\n"),
    ],
)
def test_snooze_refuses_what_is_not_a_later_date(ada, until, message):
    root, path, before = ada()
    result = run_cli("snooze", "Ada", until, vault=root, today=TODAY)
    assert (result.exit_code, result.output) == (1, message)
    assert path.read_bytes() == before


def test_snooze_names_a_person_who_is_not_there(ada):
    root, _, _ = ada()
    result = run_cli("snooze", "Grace", "2w", vault=root, today=TODAY)
    assert (result.exit_code, result.output) == (1, "Error: no person named 'Grace' in people/\n")


# --- done -----------------------------------------------------------------------


def test_show_numbers_open_follow_ups_dated_first(ada):
    root, _, _ = ada()
    shown = run_cli("show", "Ada", vault=root, today=TODAY).output
    section = shown.split("## Open follow-ups\n", 1)[1].split("\n\n", 1)[0]
    assert section == (
        "1. Draft the joint talk abstract ^talk — due 2026-12-02 (id yeqa)\n"
        "2. Send her the PyData call for proposals — due 2026-12-04 (id bjdc)\n"
        "3. Return the book (id putq)"
    )


def test_done_by_the_id_show_prints_stays_right_after_another_is_done(ada):
    root, path, _ = ada()
    first = run_cli("done", "Ada", "yeqa", vault=root, today=TODAY)
    assert first.output == "people/Ada Lovelace.md:19: done: Draft the joint talk abstract ^talk\n"
    again = run_cli("done", "Ada", "yeqa", vault=root, today=TODAY)  # done already: no longer open
    assert again.exit_code == 1
    second = run_cli("done", "Ada", "PUTQ", vault=root, today=TODAY)  # the number would have shifted
    assert second.output == "people/Ada Lovelace.md:18: done: Return the book\n"
    assert "(id bjdc)" in run_cli("show", "Ada", vault=root, today=TODAY).output


@pytest.mark.parametrize("crlf", [False, True])
def test_done_by_number_ticks_that_line_only(ada, crlf):
    root, path, before = ada(crlf=crlf)
    result = run_cli("done", "Ada", "2", vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert (
        result.output == "people/Ada Lovelace.md:16: done: Send her the PyData call for proposals\n"
    )
    end = "\r" if crlf else ""
    assert one_change(before, path.read_bytes()) == (
        "replace",
        [f"- [ ] Send her the PyData call for proposals 📅 2026-12-04{end}"],
        [f"- [x] Send her the PyData call for proposals 📅 2026-12-04 ✅ 2026-12-01{end}"],
    )


def test_done_by_text_is_case_insensitive_and_keeps_a_block_id_last(ada):
    root, path, before = ada()
    assert run_cli("done", "Ada", "JOINT talk", vault=root, today=TODAY).exit_code == 0
    assert one_change(before, path.read_bytes()) == (
        "replace",
        ["- [/] Draft the joint talk abstract 📅 2026-12-02 ^talk"],
        ["- [x] Draft the joint talk abstract 📅 2026-12-02 ✅ 2026-12-01 ^talk"],
    )


def test_done_on_a_note_without_front_matter_and_without_final_newline(ada):
    root, path, before = ada("Notes.\n\n- [ ] Return the book", crlf=False)
    assert run_cli("done", "Ada Lovelace", "book", vault=root, today=TODAY).exit_code == 0
    assert path.read_bytes() == b"Notes.\n\n- [x] Return the book \xe2\x9c\x85 2026-12-01"


@pytest.mark.parametrize("crlf", [False, True])
def test_done_ticks_a_task_whose_text_starts_like_a_quote_or_with_code(ada, crlf):
    root, path, _ = ada("Notes.\n\n- [ ] > quote the price 📅 2026-12-05\n- [ ] `make` the release %% soon %%\n", crlf=crlf)
    quoted = run_cli("done", "Ada Lovelace", "price", vault=root, today=TODAY)
    assert (quoted.exit_code, quoted.output) == (0, "people/Ada Lovelace.md:3: done: > quote the price\n")
    coded = run_cli("done", "Ada Lovelace", "release", vault=root, today=TODAY)
    assert (coded.exit_code, coded.output) == (0, "people/Ada Lovelace.md:4: done: `make` the release\n")
    newline = "\r\n" if crlf else "\n"
    assert path.read_text(encoding="utf-8").replace("\r\n", "\n") == (
        "Notes.\n\n- [x] > quote the price 📅 2026-12-05 ✅ 2026-12-01\n- [x] `make` the release %% soon %% ✅ 2026-12-01\n"
    )
    assert newline in path.read_bytes().decode("utf-8")


def test_a_ticked_follow_up_leaves_the_card(ada):
    root, _, _ = ada()
    run_cli("done", "Ada", "3", vault=root, today=TODAY)
    shown = run_cli("show", "Ada", vault=root, today=TODAY).output
    assert "Return the book" not in shown
    assert "2. Send her the PyData call for proposals — due 2026-12-04 (id bjdc)\n" in shown


@pytest.mark.parametrize(
    ("which", "message"),
    [
        (
            "slides",
            "Error: people/Ada Lovelace.md: no open follow-up matches 'slides'; open ones: "
            "1. Draft the joint talk abstract ^talk; 2. Send her the PyData call for proposals; 3. Return the book\n",
        ),
        (
            "the",
            "Error: people/Ada Lovelace.md: 'the' matches 3 open follow-ups: 1. Draft the joint talk abstract ^talk; "
            "2. Send her the PyData call for proposals; 3. Return the book; give more of the text or the number\n",
        ),
        (
            "4",
            "Error: people/Ada Lovelace.md: no open follow-up number 4; there are 3: "
            "1. Draft the joint talk abstract ^talk; 2. Send her the PyData call for proposals; 3. Return the book\n",
        ),
        (
            "Thank her",  # done already: not an open follow-up
            "Error: people/Ada Lovelace.md: no open follow-up matches 'Thank her'; open ones: "
            "1. Draft the joint talk abstract ^talk; 2. Send her the PyData call for proposals; 3. Return the book\n",
        ),
    ],
)
def test_done_says_why_it_changed_nothing(ada, which, message):
    root, path, before = ada()
    result = run_cli("done", "Ada", which, vault=root, today=TODAY)
    assert (result.exit_code, result.output) == (1, message)
    assert path.read_bytes() == before


def test_done_with_nothing_open(ada):
    root, path, before = ada("---\n---\n- [x] Old ✅ 2026-01-01\n")
    result = run_cli("done", "Ada Lovelace", "1", vault=root, today=TODAY)
    assert (result.exit_code, result.output) == (
        1,
        "Error: people/Ada Lovelace.md: no open follow-up\n",
    )


DAILY = """\
# Friday
Coffee with `[[Ada Lovelace]]` in code: no task.
- [ ] Send [[Ada Lovelace]] the `slides.pdf` deck 📅 2026-11-25
"""


def test_done_ticks_a_follow_up_in_the_note_it_lives_in(ada):
    """A daily note's task that links her is her follow-up: `done` ticks it there, and her
    own note, with an open task on the same line number, is left as it is."""
    root, path, before = ada("Ada.\n\n- [ ] Her own task\n")  # line 3, as the daily note's task
    daily = root / "Daily" / "2026-11-20.md"
    daily.parent.mkdir()
    daily.write_text(DAILY, encoding="utf-8")
    shown = run_cli("show", "Ada Lovelace", vault=root, today=TODAY).output
    # (its code is text: the task's words, not a link, a date or a field)
    assert "1. Send [[Ada Lovelace]] the `slides.pdf` deck — due 2026-11-25, 6 days late (id hsfe) — in [[Daily/2026-11-20]]\n" in shown
    result = run_cli("done", "Ada Lovelace", "deck", vault=root, today=TODAY)
    assert (result.exit_code, result.output) == (
        0,
        "Daily/2026-11-20.md:3: done: Send [[Ada Lovelace]] the `slides.pdf` deck\n",
    )
    assert path.read_bytes() == before
    assert daily.read_text(encoding="utf-8") == DAILY.replace(
        "- [ ] Send [[Ada Lovelace]] the `slides.pdf` deck 📅 2026-11-25",
        "- [x] Send [[Ada Lovelace]] the `slides.pdf` deck 📅 2026-11-25 ✅ 2026-12-01",
    )


def test_done_changes_nothing_when_the_line_is_another_task_now(ada):
    """Between reading the vault and writing, the line became another open task (the note
    was edited): that task is not ticked in its place."""
    from datetime import date

    from vaultkit.commands.as_read import load_index
    from vaultkit.edit.verbs import done, pick_followup
    from vaultkit.errors import VaultkitError
    from vaultkit.settings import load_settings

    root, path, _ = ada("---\n---\n- [ ] Return the book\n")
    index = load_index(load_settings(root))
    person = index.person("Ada Lovelace")
    task = pick_followup(person, "book")
    path.write_text("---\n---\n- [ ] Buy the tickets\n", encoding="utf-8")
    with pytest.raises(VaultkitError, match="expected the open follow-up 'Return the book' there"):
        done(index.settings, person, task, date(2026, 12, 1))
    assert path.read_text(encoding="utf-8") == "---\n---\n- [ ] Buy the tickets\n"


# --- thank ----------------------------------------------------------------------


@pytest.mark.parametrize("crlf", [False, True])
def test_thank_adds_one_line_at_the_end_of_the_log(ada, crlf):
    root, path, before = ada(crlf=crlf)
    result = run_cli("thank", "Ada", vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    line = "- 2026-12-01 Thanked for the introduction of 2026-10-15. #thanked"
    assert result.output == f"people/Ada Lovelace.md: {line}\n"
    end = "\r" if crlf else ""
    assert one_change(before, path.read_bytes()) == ("insert", [], [f"{line}{end}"])


def test_thank_with_words_and_a_date(ada):
    root, path, before = ada()
    result = run_cli(
        "thank", "Ada", "Sent", "a", "card", "--date", "2026-11-30", vault=root, today=TODAY
    )
    assert result.exit_code == 0, result.output
    assert one_change(before, path.read_bytes()) == (
        "insert",
        [],
        ["- 2026-11-30 Sent a card #thanked"],
    )


def test_thank_clears_the_thank_you_page(ada):
    root, _, _ = ada()
    run_cli("build", vault=root, today=TODAY)
    draft = root / "Overview" / "Thank-you notes" / "Ada Lovelace.md"
    assert draft.exists()
    run_cli("thank", "Ada", vault=root, today=TODAY)
    run_cli("build", vault=root, today=TODAY)
    assert not draft.exists()
    page = (root / "Overview" / "Thank-you notes.md").read_text()
    assert "Nobody is owed thanks. Well done." in page


def test_thank_with_nothing_owed_writes_nothing_and_says_so(tmp_path):
    root = tmp_path / "vault"
    root.mkdir()
    (root / "vaultkit.toml").write_text('thanked_tags = ["merci", "thanked"]\n')
    path = write_note(
        root, "Ada Lovelace", "---\n---\n## Log\n- 2026-11-01 Coffee.\n\n## Notes\nMore.\n"
    )
    before = path.read_bytes()
    result = run_cli("thank", "Ada Lovelace", vault=root, today=TODAY)
    assert (result.exit_code, result.output) == (
        1,
        "Error: people/Ada Lovelace.md: no favour of theirs is waiting for thanks; nothing written "
        '(to log a thank-you anyway, say what it was: vaultkit thank "Ada Lovelace" "Sent a card")\n',
    )
    assert path.read_bytes() == before
    assert run_cli("thank", "Ada Lovelace", "Said", "thank", "you.", vault=root, today=TODAY).exit_code == 0
    assert one_change(before, path.read_bytes()) == (
        "insert",
        [],
        ["- 2026-12-01 Said thank you. #merci"],
    )


def test_every_verb_has_help_and_a_docs_example():
    docs = "\n".join(
        p.read_text(encoding="utf-8") for p in (Path(__file__).parent.parent / "docs").glob("*.md")
    )
    for verb in ("snooze", "done", "thank"):
        result = run_cli(verb, "--help")
        assert result.exit_code == 0 and "Example: vaultkit " + verb in result.output
        assert f"$ vaultkit {verb} " in docs


def test_snooze_gives_a_note_without_front_matter_one(ada):
    root, path, before = ada("Met at PyCon.\n")
    assert run_cli("snooze", "Ada Lovelace", "1w", vault=root, today=TODAY).exit_code == 0
    assert one_change(before, path.read_bytes()) == (
        "insert",
        [],
        ["---", "snooze_until: 2026-12-08", "---"],
    )


def test_snooze_keeps_a_byte_order_mark(ada):
    root, path, before = ada("\ufeff---\ntags: [python]\n---\n")
    assert run_cli("snooze", "Ada Lovelace", "1w", vault=root, today=TODAY).exit_code == 0
    assert path.read_bytes() == "\ufeff---\ntags: [python]\nsnooze_until: 2026-12-08\n---\n".encode()
