"""Obsidian's own configuration: the daily notes folder and format, the template folders (issue 13)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from vaultkit.obsidian import (
    ObsidianConfig,
    daily_date,
    format_problem,
    normalise_folder,
    read_obsidian,
)

SAMPLES = Path(__file__).resolve().parent / "data" / "obsidian-config"

CORE = ".obsidian/daily-notes.json"
PERIODIC = ".obsidian/plugins/periodic-notes/data.json"
TEMPLATES = ".obsidian/templates.json"
TEMPLATER = ".obsidian/plugins/templater-obsidian/data.json"
PLUGINS = ".obsidian/community-plugins.json"
BY_NAME = "; daily notes are read by file name only"


def vault(root: Path, **files: str | bytes) -> Path:
    """A vault with `.obsidian/` (even when empty) and these files: {CORE: text, ...} by keyword."""
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / PLACES[rel]
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


PLACES = {"core": CORE, "periodic": PERIODIC, "templates": TEMPLATES, "templater": TEMPLATER, "plugins": PLUGINS}


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


# --- which files are read -----------------------------------------------------------------------


def test_a_vault_without_obsidian_has_no_config(tmp_path):
    assert read_obsidian(tmp_path) == ObsidianConfig()
    assert ObsidianConfig() == ObsidianConfig("", "", (), ())


def test_obsidian_with_none_of_the_files_has_no_config(tmp_path):
    vault(tmp_path)
    (tmp_path / ".obsidian" / "app.json").write_text('{"alwaysUpdateLinks": true}', encoding="utf-8")
    assert read_obsidian(tmp_path) == ObsidianConfig()


PROBE = "import sys; from pathlib import Path; from vaultkit.obsidian import read_obsidian; read_obsidian(Path(sys.argv[1])); print('json' in sys.modules)"


@pytest.mark.parametrize("with_folder", [False, True])
def test_json_is_not_imported_when_there_is_nothing_to_read(tmp_path, with_folder):
    """A no-change build must not load json (tests/test_startup.py): read nothing, import nothing."""
    if with_folder:
        vault(tmp_path)
        (tmp_path / ".obsidian" / "plugins" / "periodic-notes").mkdir(parents=True)
    out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_json_is_imported_once_a_file_is_there(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json").decode())
    out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


# --- the core Daily notes plugin ----------------------------------------------------------------


def test_core_daily_notes(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json"))
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Journal/Daily", daily_format="YYYY-MM-DD")


def test_core_daily_notes_without_a_format_use_obsidians_default(tmp_path):
    vault(tmp_path, core=sample("daily-notes-no-format.json"))
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Daily", daily_format="YYYY-MM-DD")


@pytest.mark.parametrize(
    ("text", "folder", "fmt"),
    [
        ('{"folder": "", "format": ""}', "", "YYYY-MM-DD"),
        ("{}", "", "YYYY-MM-DD"),
        ('{"folder": null, "format": null}', "", "YYYY-MM-DD"),
        ('{"folder": "/", "format": "YYYY/MM/YYYY-MM-DD"}', "", "YYYY/MM/YYYY-MM-DD"),
        ('{"folder": "/Daily/", "format": "DD.MM.YYYY"}', "Daily", "DD.MM.YYYY"),
        ('{"folder": "Daily Notes/"}', "Daily Notes", "YYYY-MM-DD"),
        ('{"folder": "./Journal"}', "Journal", "YYYY-MM-DD"),
        ('{"folder": "Journal\\\\2026"}', "Journal/2026", "YYYY-MM-DD"),
        ('{"folder": "HH:mm", "format": "HH:mm"}', "HH:mm", "HH:mm"),  # kept as configured: format_problem says why
    ],
)
def test_core_daily_notes_values(tmp_path, text, folder, fmt):
    vault(tmp_path, core=text)
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder=folder, daily_format=fmt)


# --- Periodic Notes, and which daily settings win -----------------------------------------------


def test_periodic_notes_0x(tmp_path):
    vault(tmp_path, periodic=sample("periodic-notes-0.x.json"))
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Personal/Journal", daily_format="YYYY/[W]WW/YYYY-MM-DD")


def test_periodic_notes_0x_without_a_format_use_the_default(tmp_path):
    vault(tmp_path, periodic=sample("periodic-notes-0.x-no-format.json"))
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="1-Daily", daily_format="YYYY-MM-DD")


def test_periodic_notes_1_0_uses_the_active_calendar_set(tmp_path):
    vault(tmp_path, periodic=sample("periodic-notes-1.0.json"))
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Work/Log", daily_format="[Day] Do MMM YYYY")


@pytest.mark.parametrize(
    ("active", "folder", "fmt"),
    [
        (None, "01 - Diário", "YYYY/MM-MMMM/YYYY-MM-DD"),  # no activeCalendarSet: "Default"
        ("Default", "01 - Diário", "YYYY/MM-MMMM/YYYY-MM-DD"),
        ("Gone", "01 - Diário", "YYYY/MM-MMMM/YYYY-MM-DD"),  # a set that is not there: the first
        ("Work", "Work/Log", "[Day] Do MMM YYYY"),
    ],
)
def test_periodic_notes_1_0_calendar_sets(tmp_path, active, folder, fmt):
    import json

    data = json.loads(sample("periodic-notes-1.0.json"))
    if active is None:
        del data["activeCalendarSet"]
    else:
        data["activeCalendarSet"] = active
    vault(tmp_path, periodic=json.dumps(data, indent=2))
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder=folder, daily_format=fmt)


def test_periodic_notes_1_0_with_no_calendar_sets_reads_the_0x_settings(tmp_path):
    vault(tmp_path, periodic='{"calendarSets": [], "daily": {"enabled": true, "folder": "Old", "format": "YYYYMMDD"}}')
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Old", daily_format="YYYYMMDD")


@pytest.mark.parametrize(
    "daily",
    [
        '{"enabled": false, "folder": "P", "format": "YYYY"}',
        '{"folder": "P", "format": "YYYY"}',  # no "enabled": off, as in the plugin
        '{"enabled": null, "folder": "P"}',
    ],
)
def test_periodic_daily_notes_switched_off_are_not_read(tmp_path, daily):
    vault(tmp_path, periodic=f'{{"daily": {daily}}}')
    assert read_obsidian(tmp_path) == ObsidianConfig()


def test_periodic_daily_notes_switched_off_leave_the_core_settings(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json"), periodic='{"daily": {"enabled": false, "folder": "P", "format": "YYYY"}}')
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Journal/Daily", daily_format="YYYY-MM-DD")


def test_periodic_notes_win_over_the_core_plugin(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json"), periodic=sample("periodic-notes-0.x.json"))
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Personal/Journal", daily_format="YYYY/[W]WW/YYYY-MM-DD")


def test_periodic_notes_win_when_the_plugin_is_switched_on(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json"), periodic=sample("periodic-notes-0.x.json"), plugins=sample("community-plugins.json"))
    assert read_obsidian(tmp_path).daily_folder == "Personal/Journal"


def test_the_core_plugin_wins_when_periodic_notes_is_switched_off(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json"), periodic=sample("periodic-notes-0.x.json"), plugins='["dataview", "calendar"]')
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Journal/Daily", daily_format="YYYY-MM-DD")


def test_periodic_notes_switched_off_still_date_their_notes_when_nothing_else_does(tmp_path):
    vault(tmp_path, periodic=sample("periodic-notes-0.x.json"), plugins="[]")
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Personal/Journal", daily_format="YYYY/[W]WW/YYYY-MM-DD")


# --- template folders ---------------------------------------------------------------------------


def test_template_folders_from_both_plugins(tmp_path):
    vault(tmp_path, templates=sample("templates.json"), templater=sample("templater-obsidian.json"))
    assert read_obsidian(tmp_path) == ObsidianConfig(template_folders=("Templates", "Templates/Templater"))


@pytest.mark.parametrize(
    ("core", "templater", "folders"),
    [
        ('{"folder": "Templates/"}', '{"templates_folder": "/Templates"}', ("Templates",)),  # one folder, once
        ('{"folder": "zz/Tpl"}', '{"templates_folder": "A templates"}', ("A templates", "zz/Tpl")),  # sorted
        ('{"folder": ""}', '{"templates_folder": "/"}', ()),  # unset, not the whole vault
        ("{}", '{"templates_folder": null}', ()),
        ('{"folder": "./_templates", "dateFormat": "YYYY-MM-DD"}', '{"command_timeout": 5}', ("_templates",)),
    ],
)
def test_template_folder_values(tmp_path, core, templater, folders):
    vault(tmp_path, templates=core, templater=templater)
    assert read_obsidian(tmp_path) == ObsidianConfig(template_folders=folders)


def test_everything_at_once(tmp_path):
    vault(
        tmp_path,
        core=sample("daily-notes-no-format.json"),
        periodic=sample("periodic-notes-1.0.json"),
        templates=sample("templates.json"),
        templater=sample("templater-obsidian.json"),
        plugins=sample("community-plugins.json"),
    )
    assert read_obsidian(tmp_path) == ObsidianConfig(
        daily_folder="Work/Log",
        daily_format="[Day] Do MMM YYYY",
        template_folders=("Templates", "Templates/Templater"),
    )


# --- files that exist but cannot be used --------------------------------------------------------

BROKEN = '{\n  "folder": "Daily"\n    "format": "YYYY-MM-DD"\n}\n'


def test_a_daily_notes_file_that_is_not_json(tmp_path):
    vault(tmp_path, core=BROKEN)
    assert read_obsidian(tmp_path) == ObsidianConfig(
        problems=((CORE, "not JSON (line 3, column 5): Expecting ',' delimiter; daily notes are read by file name only"),)
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('["Daily", "YYYY-MM-DD"]', "not a JSON object (an array)"),
        ('"Daily"', "not a JSON object (text)"),
        ("null", "not a JSON object (null)"),
        ("3", "not a JSON object (a number)"),
        ('{"folder": 3, "format": "YYYY-MM-DD"}', '"folder" is a number, not text'),
        ('{"folder": "Daily", "format": true}', '"format" is true or false, not text'),
        ('{"folder": ["Daily"]}', '"folder" is an array, not text'),
        ('{"folder": {"path": "Daily"}}', '"folder" is an object, not text'),
        ("", "empty, not JSON"),
        ("  \n", "empty, not JSON"),
        ("{'folder': 'Daily'}", "not JSON (line 1, column 2): Expecting property name enclosed in double quotes"),
        ("[" * 100_000 + "]" * 100_000, "not JSON that vaultkit can read (nested too deeply)"),
    ],
)
def test_a_daily_notes_file_that_cannot_be_used(tmp_path, text, message):
    vault(tmp_path, core=text)
    assert read_obsidian(tmp_path) == ObsidianConfig(problems=((CORE, message + BY_NAME),))


def test_a_daily_notes_file_that_is_not_utf8(tmp_path):
    vault(tmp_path, core='{"folder": "Tägliche Notizen"}'.encode("latin-1"))
    assert read_obsidian(tmp_path).problems == ((CORE, "not UTF-8 text (byte 14)" + BY_NAME),)


def test_a_byte_order_mark_is_not_a_problem(tmp_path):
    """PowerShell's `Out-File -Encoding utf8` writes one; Obsidian reads the file all the same."""
    vault(tmp_path, core=b"\xef\xbb\xbf" + sample("daily-notes.json"))
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Journal/Daily", daily_format="YYYY-MM-DD")


def test_a_daily_notes_path_that_is_a_folder(tmp_path):
    vault(tmp_path)
    (tmp_path / CORE).mkdir()
    assert read_obsidian(tmp_path).problems == ((CORE, "cannot be read: Is a directory" + BY_NAME),)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a user whom permissions stop")
def test_a_daily_notes_file_that_cannot_be_read(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json"), templates=sample("templates.json"))
    (tmp_path / CORE).chmod(0)
    try:
        assert read_obsidian(tmp_path) == ObsidianConfig(
            template_folders=("Templates",), problems=((CORE, "cannot be read: Permission denied" + BY_NAME),)
        )
    finally:
        (tmp_path / CORE).chmod(0o644)


def test_a_plugins_folder_that_is_a_file_is_no_plugin(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json"))
    (tmp_path / ".obsidian" / "plugins").write_text("", encoding="utf-8")
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Journal/Daily", daily_format="YYYY-MM-DD")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"daily": "YYYY-MM-DD"}', '"daily" is text, not an object'),
        ('{"daily": {"enabled": "yes", "folder": "P"}}', '"enabled" in "daily" is text, not true or false'),
        ('{"daily": {"enabled": true, "folder": 7}}', '"folder" in "daily" is a number, not text'),
        ('{"calendarSets": {"id": "Default"}}', '"calendarSets" is an object, not an array'),
        ('{"calendarSets": ["Default"]}', '"calendarSets" item 1 is text, not an object'),
        ('{"calendarSets": [{"id": "Default", "day": []}]}', '"day" of the calendar set is an array, not an object'),
        ('{"calendarSets": [{"day": {"enabled": true, "format": 1}}]}', '"format" in "day" of the calendar set is a number, not text'),
        ('{"activeCalendarSet": 1, "calendarSets": [{}]}', '"activeCalendarSet" is a number, not text'),
    ],
)
def test_a_periodic_notes_file_with_a_wrong_type(tmp_path, text, message):
    vault(tmp_path, periodic=text)
    assert read_obsidian(tmp_path) == ObsidianConfig(problems=((PERIODIC, message + BY_NAME),))


def test_a_broken_periodic_notes_file_leaves_the_core_settings(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json"), periodic=BROKEN)
    assert read_obsidian(tmp_path) == ObsidianConfig(
        daily_folder="Journal/Daily",
        daily_format="YYYY-MM-DD",
        problems=((PERIODIC, "not JSON (line 3, column 5): Expecting ',' delimiter; .obsidian/daily-notes.json is used instead"),),
    )


def test_a_broken_core_file_leaves_the_periodic_settings(tmp_path):
    vault(tmp_path, core="[]", periodic=sample("periodic-notes-0.x.json"))
    assert read_obsidian(tmp_path) == ObsidianConfig(
        daily_folder="Personal/Journal",
        daily_format="YYYY/[W]WW/YYYY-MM-DD",
        problems=((CORE, "not a JSON object (an array); .obsidian/plugins/periodic-notes/data.json is used instead"),),
    )


def test_both_daily_files_broken(tmp_path):
    vault(tmp_path, core="", periodic="[]")
    assert read_obsidian(tmp_path).problems == (
        (CORE, "empty, not JSON" + BY_NAME),
        (PERIODIC, "not a JSON object (an array)" + BY_NAME),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BROKEN, "not JSON (line 3, column 5): Expecting ',' delimiter"),
        ('{"enabled": ["periodic-notes"]}', "not a JSON array of plugin ids (an object)"),
        ('["periodic-notes", 3]', "not a JSON array of plugin ids (an array)"),
    ],
)
def test_a_broken_plugin_list_takes_periodic_notes_to_be_on(tmp_path, text, message):
    vault(tmp_path, core=sample("daily-notes.json"), periodic=sample("periodic-notes-0.x.json"), plugins=text)
    assert read_obsidian(tmp_path) == ObsidianConfig(
        daily_folder="Personal/Journal",
        daily_format="YYYY/[W]WW/YYYY-MM-DD",
        problems=((PLUGINS, message + "; Periodic Notes is taken to be switched on"),),
    )


def test_the_plugin_list_is_not_read_without_periodic_notes(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json"), plugins=BROKEN)
    assert read_obsidian(tmp_path) == ObsidianConfig(daily_folder="Journal/Daily", daily_format="YYYY-MM-DD")


def test_broken_template_files(tmp_path):
    vault(tmp_path, templates=BROKEN, templater='{"templates_folder": ["Templates"]}')
    assert read_obsidian(tmp_path) == ObsidianConfig(
        problems=(
            (TEMPLATES, "not JSON (line 3, column 5): Expecting ',' delimiter; the templates in its folder are read as notes"),
            (TEMPLATER, '"templates_folder" is an array, not text; the templates in its folder are read as notes'),
        )
    )


def test_one_broken_template_file_leaves_the_other(tmp_path):
    vault(tmp_path, core=sample("daily-notes.json"), templates="[]", templater=sample("templater-obsidian.json"))
    assert read_obsidian(tmp_path) == ObsidianConfig(
        daily_folder="Journal/Daily",
        daily_format="YYYY-MM-DD",
        template_folders=("Templates/Templater",),
        problems=((TEMPLATES, "not a JSON object (an array); the templates in its folder are read as notes"),),
    )


# --- folders ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "folder"),
    [
        ("", ""),
        ("/", ""),
        (".", ""),
        ("./", ""),
        ("Daily", "Daily"),
        ("/Daily/", "Daily"),
        ("Daily Notes/", "Daily Notes"),
        ("./Journal", "Journal"),
        ("Journal//2026/./Daily/", "Journal/2026/Daily"),
        ("Journal\\2026", "Journal/2026"),
        ("  Journal  ", "Journal"),
        ("Daily\u00a0Notes", "Daily Notes"),
        (unicodedata.normalize("NFD", "Journal/Café"), "Journal/Café"),
        (".journal", ".journal"),
    ],
)
def test_normalise_folder(value, folder):
    assert normalise_folder(value) == folder


# --- daily_date: each token ---------------------------------------------------------------------

NOV_2 = date(2026, 11, 2)  # a Monday, ISO week 45 of 2026, in the fourth quarter


@pytest.mark.parametrize(
    ("fmt", "name", "expected"),
    [
        ("YYYY-MM-DD", "2026-11-02", NOV_2),
        ("YYYYMMDD", "20261102", NOV_2),
        ("YY-MM-DD", "26-11-02", NOV_2),
        ("YY-MM-DD", "68-11-02", date(2068, 11, 2)),  # Moment: 00-68 are 20xx
        ("YY-MM-DD", "69-11-02", date(1969, 11, 2)),  # and 69-99 are 19xx
        ("YYYY-M-D", "2026-1-5", date(2026, 1, 5)),
        ("YYYY-M-D", "2026-11-2", NOV_2),
        ("YYYY-M-D", "2026-11-02", None),  # D has no leading zero
        ("YYYY-MM-DD", "2026-1-5", None),  # MM and DD have one
        ("YYYYMD", "2026111", date(2026, 11, 1)),  # 11-1 or 1-11: the longer month is tried first
        ("D MMM YYYY", "2 Nov 2026", NOV_2),
        ("D MMM YYYY", "2 nov 2026", NOV_2),
        ("D MMM YYYY", "2 NOV 2026", NOV_2),
        ("D MMM YYYY", "2 November 2026", None),
        ("D MMMM YYYY", "2 November 2026", NOV_2),
        ("D MMMM YYYY", "2 november 2026", NOV_2),
        ("D MMMM YYYY", "31 May 2026", date(2026, 5, 31)),
        ("D MMMM YYYY", "2 Nov 2026", None),
        ("MMMM Do, YYYY", "November 2nd, 2026", NOV_2),
        ("MMMM Do, YYYY", "November 1st, 2026", date(2026, 11, 1)),
        ("MMMM Do, YYYY", "November 3rd, 2026", date(2026, 11, 3)),
        ("MMMM Do, YYYY", "November 4th, 2026", date(2026, 11, 4)),
        ("MMMM Do, YYYY", "November 11th, 2026", date(2026, 11, 11)),
        ("MMMM Do, YYYY", "November 12th, 2026", date(2026, 11, 12)),
        ("MMMM Do, YYYY", "November 13th, 2026", date(2026, 11, 13)),
        ("MMMM Do, YYYY", "November 21st, 2026", date(2026, 11, 21)),
        ("MMMM Do, YYYY", "November 22nd, 2026", date(2026, 11, 22)),
        ("MMMM Do, YYYY", "November 23rd, 2026", date(2026, 11, 23)),
        ("MMMM Do, YYYY", "November 2th, 2026", None),
        ("MMMM Do, YYYY", "November 11st, 2026", None),
        ("MMMM Do, YYYY", "November 2, 2026", None),
        ("YYYY-MM-DD ddd", "2026-11-02 Mon", NOV_2),
        ("YYYY-MM-DD ddd", "2026-11-02 mon", NOV_2),
        ("YYYY-MM-DD ddd", "2026-11-02 Tue", None),
        ("YYYY-MM-DD dddd", "2026-11-02 Monday", NOV_2),
        ("YYYY-MM-DD dddd", "2026-11-02 MONDAY", NOV_2),
        ("YYYY-MM-DD dddd", "2026-11-08 Sunday", date(2026, 11, 8)),
        ("YYYY-MM-DD dddd", "2026-11-02 Sunday", None),
        ("YYYY-MM-DD dddd", "2026-11-02 Mon", None),
        ("YYYY-MM-DD dd", "2026-11-02 Mo", NOV_2),
        ("YYYY-MM-DD dd", "2026-11-02 Tu", None),
        ("YYYY-MM-DD d", "2026-11-02 1", NOV_2),  # 0 is Sunday
        ("YYYY-MM-DD d", "2026-11-08 0", date(2026, 11, 8)),
        ("YYYY-MM-DD d", "2026-11-02 0", None),
        ("YYYY-MM-DD E", "2026-11-02 1", NOV_2),  # ISO: 1 is Monday
        ("YYYY-MM-DD E", "2026-11-08 7", date(2026, 11, 8)),
        ("YYYY-MM-DD E", "2026-11-02 7", None),
        ("YYYY-[Q]Q/YYYY-MM-DD", "2026-Q4/2026-11-02", NOV_2),
        ("YYYY-[Q]Q/YYYY-MM-DD", "2026-Q3/2026-11-02", None),
        ("YYYY/[W]W/YYYY-MM-DD", "2026/W45/2026-11-02", NOV_2),
        ("YYYY/[W]W/YYYY-MM-DD", "2026/W1/2026-01-01", date(2026, 1, 1)),
        ("YYYY/[W]W/YYYY-MM-DD", "2026/W44/2026-11-02", None),
        ("YYYY/[W]WW/YYYY-MM-DD", "2026/W01/2026-01-01", date(2026, 1, 1)),
        ("YYYY/[W]WW/YYYY-MM-DD", "2026/W1/2026-01-01", None),
        ("GGGG-[W]WW/YYYY-MM-DD", "2026-W53/2027-01-01", date(2027, 1, 1)),  # in ISO week 53 of 2026
        ("GGGG-[W]WW/YYYY-MM-DD", "2027-W53/2027-01-01", None),
        ("GGGG-[W]WW/YYYY-MM-DD", "2027-W01/2027-01-01", None),
        ("GGGG-[W]WW/YYYY-MM-DD", "2026-W53/2026-12-31", date(2026, 12, 31)),
        ("GGGG-[W]WW/YYYY-MM-DD", "2026-W53/2027-01-03", date(2027, 1, 3)),
        ("GGGG-[W]WW/YYYY-MM-DD", "2027-W53/2027-01-03", None),
        ("YYYY/[Week] ww/YYYY-MM-DD", "2026/Week 45/2026-11-02", NOV_2),
        ("YYYY/[Week] ww/YYYY-MM-DD", "2026/Week 44/2026-11-02", NOV_2),  # locale weeks: the range only
        ("YYYY/[Week] ww/YYYY-MM-DD", "2026/Week 54/2026-11-02", None),
        ("YYYY/[Week] w/YYYY-MM-DD", "2026/Week 9/2026-03-01", date(2026, 3, 1)),
        ("gggg-[W]ww/YYYY-MM-DD", "2027-W01/2026-12-28", date(2026, 12, 28)),
        ("gggg-[W]ww/YYYY-MM-DD", "2029-W01/2026-12-28", None),
    ],
)
def test_each_token(fmt, name, expected):
    assert format_problem(fmt) is None
    assert daily_date(f"Daily/{name}.md", "Daily", fmt) == expected


@pytest.mark.parametrize(
    ("fmt", "rel", "expected"),
    [
        ("YYYY/MM/YYYY-MM-DD", "Journal/2026/11/2026-11-02.md", NOV_2),
        ("YYYY/MM/YYYY-MM-DD", "Journal/2025/11/2026-11-02.md", None),  # the years differ
        ("YYYY/MM/YYYY-MM-DD", "Journal/2026/10/2026-11-02.md", None),  # the months differ
        ("YYYY/MM/YYYY-MM-DD", "Journal/2026-11-02.md", None),  # not in its subfolders
        ("YYYY/MM-MMMM/YYYY-MM-DD", "Journal/2026/11-November/2026-11-02.md", NOV_2),
        ("YYYY/MM-MMMM/YYYY-MM-DD", "Journal/2026/11-October/2026-11-02.md", None),  # MM and MMMM disagree
        ("YY/YYYY-MM-DD", "Journal/26/2026-11-02.md", NOV_2),
        ("YY/YYYY-MM-DD", "Journal/25/2026-11-02.md", None),  # YY and YYYY disagree
        ("DD/Do MMMM YYYY", "Journal/02/2nd November 2026.md", NOV_2),
        ("DD/Do MMMM YYYY", "Journal/03/2nd November 2026.md", None),
        ("YYYY/MMMM/dddd, MMMM Do", "Journal/2026/November/Monday, November 2nd.md", NOV_2),
        ("YYYY/MMMM/dddd, MMMM Do", "Journal/2026/november/monday, November 2nd.md", NOV_2),  # names match in any case
        ("YYYY/MMMM/dddd, MMMM Do", "Journal/2026/October/Monday, November 2nd.md", None),
        ("YYYY/YYYY-MM/YYYY-MM-DD", "Journal/2026/2026-11/2026-11-02.md", NOV_2),
        ("YYYY/YYYY-MM/YYYY-MM-DD", "Journal/2026/2026-12/2026-11-02.md", None),
    ],
)
def test_nested_formats(fmt, rel, expected):
    assert daily_date(rel, "Journal", fmt) == expected


@pytest.mark.parametrize(
    ("fmt", "name", "expected"),
    [
        ("[Daily] YYYY-MM-DD", "Daily 2026-11-02", NOV_2),
        ("[Daily] YYYY-MM-DD", "2026-11-02", None),
        ("YYYY-MM-DD [Journal]", "2026-11-02 Journal", NOV_2),
        ("[YYYY] YYYY-MM-DD", "YYYY 2026-11-02", NOV_2),  # tokens in brackets are text
        ("[Day] Do MMM YYYY", "Day 2nd Nov 2026", NOV_2),
        ("[Week of] YYYY-MM-DD", "Week of 2026-11-02", NOV_2),
        ("YYYY.MM.DD", "2026.11.02", NOV_2),
        ("YYYY.MM.DD", "2026x11x02", None),  # "." is a dot, not any character
        ("(YYYY) MM+DD", "(2026) 11+02", NOV_2),
        ("YYYY年MM月DD日", "2026年11月02日", NOV_2),
        ("\\D YYYY-MM-DD", "D 2026-11-02", NOV_2),  # a backslash makes the next token text
        ("\\YYYY YYYY-MM-DD", "YYYY 2026-11-02", NOV_2),
        ("YYYY-MM-DD [at home]", "2026-11-02 AT HOME", NOV_2),  # case does not matter
        ("[]YYYY-MM-DD", "2026-11-02", NOV_2),
        ("YYYY-MM-DD-[", "2026-11-02-[", NOV_2),  # an unclosed bracket is text, as in Moment
        ("Tip: YYYY-MM-DD", "Tip: 2026-11-02", NOV_2),  # T, i, p are not Moment tokens: text
    ],
)
def test_literal_text(fmt, name, expected):
    assert format_problem(fmt) is None
    assert daily_date(f"Daily/{name}.md", "Daily", fmt) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2026-02-28", date(2026, 2, 28)),
        ("2026-02-29", None),  # 2026 is not a leap year
        ("2024-02-29", date(2024, 2, 29)),
        ("2026-02-30", None),
        ("2026-04-31", None),
        ("2026-13-01", None),
        ("2026-00-10", None),
        ("2026-11-00", None),
        ("2026-11-32", None),
        ("0000-01-01", None),
    ],
)
def test_impossible_dates(name, expected):
    assert daily_date(f"{name}.md", "", "YYYY-MM-DD") == expected


def test_impossible_dates_with_names():
    assert daily_date("Daily/30 February 2026.md", "Daily", "D MMMM YYYY") is None
    assert daily_date("Daily/February 30th, 2026.md", "Daily", "MMMM Do, YYYY") is None
    assert daily_date("Daily/26-02-29.md", "Daily", "YY-MM-DD") is None


@pytest.mark.parametrize(
    ("rel", "folder", "expected"),
    [
        ("Daily/2026-11-02.md", "Daily", NOV_2),
        ("Daily/2026-11-02.md", "/Daily/", NOV_2),  # the folder as configured
        ("Daily/2026-11-02.md", "./Daily", NOV_2),
        ("daily/2026-11-02.md", "Daily", NOV_2),  # folders match in any case, as on macOS and Windows
        ("Daily/2026-11-02.MD", "Daily", NOV_2),
        ("Daily/2026-11-02.txt", "Daily", None),
        ("Daily/2026-11-02", "Daily", None),
        ("Daily/2026-11-02 Coffee with Ada.md", "Daily", None),  # more than the format: not a daily note
        ("Daily/Sub/2026-11-02.md", "Daily", None),
        ("Dailyx/2026-11-02.md", "Daily", None),
        ("Old/Daily/2026-11-02.md", "Daily", None),
        ("2026-11-02.md", "Daily", None),
        ("2026-11-02.md", "", NOV_2),  # "" is the root
        ("Daily/2026-11-02.md", "", None),  # and only the root
        ("Journal/Daily/2026-11-02.md", "Journal/Daily", NOV_2),
        ("Journal/2026-11-02.md", "Journal/Daily", None),
    ],
)
def test_the_folder(rel, folder, expected):
    assert daily_date(rel, folder, "YYYY-MM-DD") == expected


def test_unicode_paths_match_in_nfc():
    """macOS may hand over decomposed names; the config may hold either form."""
    nfd = unicodedata.normalize("NFD", "Journal/Café/2026-11-02.md")
    assert daily_date(nfd, "Journal/Café", "YYYY-MM-DD") == NOV_2
    assert daily_date("Journal/Café/2026-11-02.md", unicodedata.normalize("NFD", "Journal/Café"), "YYYY-MM-DD") == NOV_2
    assert daily_date("01 - Diário/2026/11-November/2026-11-02.md", "01 - Diário", "YYYY/MM-MMMM/YYYY-MM-DD") == NOV_2


def test_the_sample_configs_date_their_own_notes(tmp_path):
    """End to end: each sample's folder and format date the path that Obsidian would make on 2026-11-02."""
    cases = [
        ("daily-notes.json", CORE, "Journal/Daily/2026-11-02.md"),
        ("daily-notes-no-format.json", CORE, "Daily/2026-11-02.md"),
        ("periodic-notes-0.x.json", PERIODIC, "Personal/Journal/2026/W45/2026-11-02.md"),
        ("periodic-notes-0.x-no-format.json", PERIODIC, "1-Daily/2026-11-02.md"),
        ("periodic-notes-1.0.json", PERIODIC, "Work/Log/Day 2nd Nov 2026.md"),
    ]
    for number, (name, place, rel) in enumerate(cases):
        root = tmp_path / str(number)
        (root / place).parent.mkdir(parents=True)
        shutil.copy(SAMPLES / name, root / place)
        config = read_obsidian(root)
        assert format_problem(config.daily_format) is None
        assert daily_date(rel, config.daily_folder, config.daily_format) == NOV_2, name
        assert daily_date("People/Ada Lovelace.md", config.daily_folder, config.daily_format) is None


# --- formats vaultkit cannot read ---------------------------------------------------------------

TOKENS = "YYYY YY Q M MM MMM MMMM D DD Do d E dd ddd dddd W WW GGGG w ww gggg"


@pytest.mark.parametrize(
    ("fmt", "problem"),
    [
        ("YYYY-MM-DD HH:mm", f"cannot read the Moment token 'HH' in 'YYYY-MM-DD HH:mm' (vaultkit reads {TOKENS} and [text])"),
        ("YYYY-MM-DD-hhmm A", f"cannot read the Moment token 'hh' in 'YYYY-MM-DD-hhmm A' (vaultkit reads {TOKENS} and [text])"),
        ("YYYY-MM-DD Hmm", f"cannot read the Moment token 'Hmm' in 'YYYY-MM-DD Hmm' (vaultkit reads {TOKENS} and [text])"),
        ("YYYY-MM-DD a", f"cannot read the Moment token 'a' in 'YYYY-MM-DD a' (vaultkit reads {TOKENS} and [text])"),
        ("YYYY-DDDD", f"cannot read the Moment token 'DDDD' in 'YYYY-DDDD' (vaultkit reads {TOKENS} and [text])"),
        ("X", f"cannot read the Moment token 'X' in 'X' (vaultkit reads {TOKENS} and [text])"),
        ("Y-MM-DD", f"cannot read the Moment token 'Y' in 'Y-MM-DD' (vaultkit reads {TOKENS} and [text])"),
        ("YYYY-MM-DD Mo", f"cannot read the Moment token 'Mo' in 'YYYY-MM-DD Mo' (vaultkit reads {TOKENS} and [text])"),
        # Moment reads "Daily" as D, a, i, l, y: l is the locale's short date ("11/2/2026")
        ("Daily YYYY-MM-DD", "cannot read the locale format token 'l' in 'Daily YYYY-MM-DD': write the date with YYYY, MM, DD and the like"),
        ("L", "cannot read the locale format token 'L' in 'L': write the date with YYYY, MM, DD and the like"),
        ("YYYY/LL", "cannot read the locale format token 'LL' in 'YYYY/LL': write the date with YYYY, MM, DD and the like"),
        ("YYYY-MM", "'YYYY-MM' is not a whole date: it names no day (D, DD or Do)"),
        ("MM-DD", "'MM-DD' is not a whole date: it names no year (YYYY or YY)"),
        ("gggg-[W]ww", "'gggg-[W]ww' is not a whole date: it names no year (YYYY or YY) and no month (M, MM, MMM or MMMM) and no day (D, DD or Do)"),
        ("[YYYY-MM-DD]", "'[YYYY-MM-DD]' is not a whole date: it names no year (YYYY or YY) and no month (M, MM, MMM or MMMM) and no day (D, DD or Do)"),
    ],
)
def test_format_problem(fmt, problem):
    assert format_problem(fmt) == problem
    assert daily_date("Daily/2026-11-02.md", "Daily", fmt) is None


@pytest.mark.parametrize(
    "fmt",
    ["YYYY-MM-DD", "YYYY/MM/YYYY-MM-DD", "YYYY/[Week] ww/YYYY-MM-DD", "[LT] YYYY-MM-DD", "\\L YYYY-MM-DD", "dddd, MMMM Do YYYY"],
)
def test_formats_that_can_be_read(fmt):
    assert format_problem(fmt) is None


def test_no_format_is_no_problem_and_dates_nothing():
    assert format_problem("") is None
    assert daily_date("2026-11-02.md", "", "") is None


def test_an_unreadable_format_dates_no_path():
    paths = ["2026-11-02.md", "Daily/2026-11-02 10:30.md", "Daily/2026-11-02.md"]
    assert [daily_date(p, "Daily", "YYYY-MM-DD HH:mm") for p in paths] == [None, None, None]
