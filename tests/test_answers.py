"""`due` and `show` asked again the same day, nothing changed: the answer kept is printed
(commands/answers.py); anything it depends on changed, and the question is answered anew."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import run_cli
from test_startup import imported

from vaultkit.commands import answers
from vaultkit.commands.reckoning import _signed_kept
from vaultkit.read.cache import Cache
from vaultkit.settings import load_settings

DAY = "2026-12-01"
ADA = "---\ncadence: monthly\n---\n- 2026-10-01 Coffee with [[Bob]].\n"
BOB = "---\nbirthday: 1990-12-05\ncadence: weekly\n---\n- 2026-11-20 Call.\n"
DUE = ("due", DAY, False, False)  # the question `vaultkit due --today DAY` asks


@pytest.fixture
def root(vault):
    root = vault({"people/Ada.md": ADA, "people/Bob.md": BOB})
    assert run_cli("build", vault=root, today=DAY).exit_code == 0
    return root


def plant(root, question, text: str = "KEPT\n") -> None:
    """Keep `text` as the answer to `question` from the rows as they are: printed only when the
    kept answer is used."""
    settings = load_settings(root)
    cache = Cache(settings)
    _, signature = _signed_kept(cache)
    assert signature
    answers.keep_answer(cache, signature, question, answers.inputs_of(settings), text)


def fresh(root, *args: str) -> str:
    """The answer worked out anew: the kept ones removed first."""
    (root / ".vaultkit/cache" / answers.ANSWERS_FILE).unlink(missing_ok=True)
    return run_cli(*args, vault=root, today=DAY).output


def asked(root, *args: str) -> str:
    return run_cli(*args, vault=root, today=DAY).output


def test_the_same_question_asked_again_is_answered_as_before_without_the_renderer(root):
    first = asked(root, "due")
    assert first.startswith("# Reminders — Tuesday 1 December 2026\n")
    assert asked(root, "due") == first == fresh(root, "due")
    asked(root, "due")  # (kept again)
    dated = ("--vault", str(root), "--today", DAY)
    assert imported("due", *dated, heavy=("jinja2", "vaultkit.pages.views", "vaultkit.rules.cards")) == []
    card = asked(root, "show", "Ada")
    assert card.startswith("# Ada\n") and asked(root, "show", "Ada") == card
    assert imported("show", "Ada", *dated, heavy=("jinja2", "vaultkit.pages.views", "vaultkit.rules.cards")) == []


def test_the_kept_answer_is_what_is_printed(root):
    plant(root, DUE)
    assert asked(root, "due") == "KEPT\n"
    assert asked(root, "due", "--json") != "KEPT\n"  # another question
    assert asked(root, "due", "--all") != "KEPT\n"
    assert run_cli("due", vault=root, today="2026-12-02").output.startswith("# Reminders — Wednesday 2 December 2026\n")
    assert asked(root, "due") == "KEPT\n"  # (the others kept beside it)
    plant(root, ("show", "Ada", DAY, False))
    assert asked(root, "show", "Ada") == "KEPT\n"
    assert asked(root, "show", "ada").startswith("# Ada\n")  # asked otherwise: answered anew


def test_a_note_changed_is_answered_anew(root):
    plant(root, DUE)
    (root / "people/Bob.md").write_text(BOB.replace("2026-11-20 Call.", "2026-11-30 Lunch."), encoding="utf-8")
    text = asked(root, "due")
    assert text != "KEPT\n" and text == fresh(root, "due")
    assert "- Bob — weekly, due Mon 7 Dec; last contact 2026-11-30.\n" in text  # (overdue before)


def test_rows_made_again_are_answered_anew(root):
    """A build after a change keeps new rows (another signature), even where the notes end
    as they were."""
    plant(root, DUE)
    (root / "people/Ada.md").write_text(ADA + "- 2026-11-02 Tea.\n", encoding="utf-8")
    assert run_cli("build", vault=root, today=DAY).exit_code == 0
    (root / "people/Ada.md").write_text(ADA, encoding="utf-8")
    assert run_cli("build", vault=root, today=DAY).exit_code == 0
    assert asked(root, "due") == fresh(root, "due") != "KEPT\n"


def test_a_template_of_the_vaults_own_is_answered_anew(root):
    plant(root, DUE)
    (root / "templates").mkdir()
    (root / "templates/Reminders.md.j2").write_text("Due: {{ overdue | length }}\n", encoding="utf-8")
    assert asked(root, "due") == "Due: 2\n"
    plant(root, DUE)
    (root / "templates/part.md.j2").write_text("x\n", encoding="utf-8")  # any file there: it may be included
    assert asked(root, "due") == "Due: 2\n"
    plant(root, DUE)
    (root / "templates/part.md.j2").unlink()
    assert asked(root, "due") == "Due: 2\n"


def test_a_template_saved_again_in_the_same_tick_is_answered_anew(root):
    """Templates are compared by content: a save that leaves the stat as it was (the same size,
    within the file system's clock tick, or its times set back) still counts."""
    (root / "templates").mkdir()
    template = root / "templates/Reminders.md.j2"
    template.write_text("Due: {{ overdue | length }}\n", encoding="utf-8")
    assert asked(root, "due") == "Due: 2\n"
    st = template.stat()
    template.write_text("Dus: {{ overdue | length }}\n", encoding="utf-8")  # the same size
    os.utime(template, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert asked(root, "due") == "Dus: 2\n"


def test_settings_the_cache_key_leaves_out_count_where_a_template_shows_them(root):
    """Where mail goes and the alarms' time are not part of the cache's key (a change of them
    makes no build read every note again), but a template of the vault's may show them: the
    answers and the pages follow them."""
    (root / "templates").mkdir()
    (root / "templates/Reminders.md.j2").write_text("Alarm {{ settings.alarm_time }}\n", encoding="utf-8")
    (root / "vaultkit.toml").write_text('alarm_time = "09:00"\n', encoding="utf-8")  # (a file that was not there counts apart)
    assert run_cli("build", vault=root, today=DAY).exit_code == 0
    assert asked(root, "due") == "Alarm 09:00\n"
    (root / "vaultkit.toml").write_text('alarm_time = "07:30"\n', encoding="utf-8")
    assert asked(root, "due") == "Alarm 07:30\n"
    assert run_cli("build", vault=root, today=DAY).exit_code == 0
    assert (root / "Overview/Reminders.md").read_text(encoding="utf-8").endswith("Alarm 07:30\n")


def test_other_settings_are_answered_anew(root):
    plant(root, DUE)
    (root / "vaultkit.toml").write_text('default_cadence = "weekly"\n', encoding="utf-8")
    text = asked(root, "due")
    assert text != "KEPT\n" and text == fresh(root, "due")


def test_a_damaged_file_of_answers_is_answered_anew_and_kept_again(root):
    plant(root, DUE)
    path = root / ".vaultkit/cache" / answers.ANSWERS_FILE
    data = bytearray(path.read_bytes())
    data[-2] ^= 0xFF
    path.write_bytes(bytes(data))
    text = asked(root, "due")
    assert text != "KEPT\n" and text.startswith("# Reminders")
    settings = load_settings(root)
    assert answers.answer_kept(Cache(settings), _signed_kept(Cache(settings))[1], DUE, answers.inputs_of(settings)) == text


def test_a_console_script_run_twice_prints_the_same(root):
    """As a user runs it: two processes, the second answered from what the first kept."""
    command = [sys.executable, "-m", "vaultkit", "due", "--vault", str(root), "--today", DAY]
    first, second = (subprocess.run(command, capture_output=True, text=True, check=True).stdout for _ in range(2))
    assert first == second == fresh(root, "due")
