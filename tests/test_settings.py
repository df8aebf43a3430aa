"""vaultkit.toml that is broken or dangerous: refused with the file, line, key and what was
expected, every error at once, and nothing written anywhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli, write_vault

NOTE = {"people/Ada Lovelace.md": "---\ncadence: monthly\n---\n- 2026-10-01 Coffee\n"}


def build_with(tmp_path: Path, toml: str):
    root = write_vault(tmp_path / "vault", NOTE)
    (root / "vaultkit.toml").write_text(toml, encoding="utf-8")
    result = run_cli("build", vault=root, today="2026-12-01")
    return root, result


def refused(tmp_path: Path, toml: str) -> str:
    """The error a build gives; asserts exit 1 and that nothing was written."""
    root, result = build_with(tmp_path, toml)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert sorted(p.name for p in root.iterdir()) == ["people", "vaultkit.toml"]
    assert "Traceback" not in result.output
    return result.stderr.replace(str(root), "<vault>")


# --- TOML syntax -----------------------------------------------------------------------------


def test_bad_toml_names_file_line_and_column(tmp_path):
    assert refused(tmp_path, 'people_dir = "people"\n\noutput_dir = = "x"\n') == (
        "Error: <vault>/vaultkit.toml:3:14: invalid TOML: Invalid value\n"
    )


def test_bad_toml_at_the_end_of_the_file_still_has_a_place(tmp_path):
    assert refused(tmp_path, 'thanks_tags = ["help",\n') == (
        "Error: <vault>/vaultkit.toml:2:1: invalid TOML: Invalid value at the end of the file\n"
    )


def test_unterminated_string(tmp_path):
    assert refused(tmp_path, 'output_dir = "Overview\n') == (
        "Error: <vault>/vaultkit.toml:1:23: invalid TOML: Illegal character '\\n'\n"
    )


def test_a_key_given_twice(tmp_path):
    assert refused(tmp_path, 'output_dir = "A"\noutput_dir = "B"\n') == (
        "Error: <vault>/vaultkit.toml:2:17: invalid TOML: Cannot overwrite a value\n"
    )


def test_settings_not_utf8(tmp_path):
    root = write_vault(tmp_path / "vault", NOTE)
    (root / "vaultkit.toml").write_bytes('output_dir = "Übersicht"\n'.encode("latin-1"))
    result = run_cli("build", vault=root)
    assert result.exit_code == 1
    assert result.stderr.replace(str(root), "<vault>") == (
        "Error: <vault>/vaultkit.toml:1:15: not UTF-8 text (byte 0xdc); save it as UTF-8\n"
    )


def test_settings_with_a_bom_and_crlf_are_fine(tmp_path):
    root, result = build_with(
        tmp_path, '\ufeffoutput_dir = "Pages"\r\ndefault_cadence = "yearly"\r\n'
    )
    assert result.exit_code == 0, result.output
    assert (root / "Pages" / "Reminders.md").is_file()


# --- keys and types: every error at once -----------------------------------------------------


def test_unknown_keys_and_wrong_types_all_at_once(tmp_path):
    toml = (
        'people_folder = "people"\n'
        "output_dir = 5\n"
        'thanks_tags = "help"\n'
        "thanked_tags = [1, 2]\n"
        'link_style = "html"\n'
        'default_cadence = "sometimes"\n'
        "[extra]\n"
        "x = 1\n"
    )
    known = (
        "cadence_by_tag, default_cadence, events_dir, exclude, intro_opt_out_tags, keys, link_style, "
        "output_dir, page_limit, people_dir, person_tags, resources_dir, templates_dir, thanked_tags, thanks_tags"
    )
    assert refused(tmp_path, toml) == (
        "Error: <vault>/vaultkit.toml: invalid settings:\n"
        f"  unknown setting 'people_folder' (known settings: {known})\n"
        "  output_dir: expected a string, got 5\n"
        "  thanks_tags: expected a list of strings, got 'help'\n"
        "  thanked_tags: expected a list of strings, got [1, 2]\n"
        f"  unknown setting 'extra' (known settings: {known})\n"
        '  link_style: expected "wiki" or "markdown", got \'html\'\n'
        "  default_cadence: 'sometimes' is not a cadence (weekly, biweekly, monthly, quarterly, "
        "yearly, or like 10d, 6w, 3m, 1y)\n"
    )


# --- folders that would lead vaultkit out of its output folder --------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "../out",
        "/tmp/out",
        "a/../../out",
        "",
        "  ",
        "C:\\\\out",
        "C:out",
        "\\\\\\\\server\\\\share",
        "a\\\\..\\\\..\\\\x",
    ],
)
def test_output_outside_the_vault_is_refused(tmp_path, value):
    shown = value.replace("\\\\", "\\")
    assert refused(tmp_path, f'output_dir = "{value}"\n') == (
        "Error: <vault>/vaultkit.toml: invalid settings:\n"
        f"  output_dir: {shown!r} must be a folder inside the vault (a relative path)\n"
    )


@pytest.mark.parametrize("value", [".", "./", "Overview/.."])
def test_output_on_the_vault_root_is_refused(tmp_path, value):
    message = refused(tmp_path, f'output_dir = "{value}"\n')
    if ".." in value:
        assert "must be a folder inside the vault" in message
        return
    assert message == (
        "Error: <vault>/vaultkit.toml: invalid settings:\n"
        "  output_dir: must not be the vault root; vaultkit writes only into its own folder\n"
        f"  output_dir: {value!r} overlaps people_dir 'people'\n"
        f"  output_dir: {value!r} overlaps events_dir 'events'\n"
        f"  output_dir: {value!r} overlaps resources_dir 'resources'\n"
        f"  output_dir: {value!r} overlaps templates_dir 'templates'\n"
    )


@pytest.mark.parametrize(
    "toml, error",
    [
        ('output_dir = "people"', "output_dir: 'people' overlaps people_dir 'people'"),
        (
            'output_dir = "people/Overview"',
            "output_dir: 'people/Overview' overlaps people_dir 'people'",
        ),
        ('output_dir = "./events/"', "output_dir: './events/' overlaps events_dir 'events'"),
        ('output_dir = "templates"', "output_dir: 'templates' overlaps templates_dir 'templates'"),
        (
            'people_dir = "Overview/people"',
            "output_dir: 'Overview' overlaps people_dir 'Overview/people'",
        ),
        ('resources_dir = "Overview"', "output_dir: 'Overview' overlaps resources_dir 'Overview'"),
    ],
)
def test_output_into_a_notes_folder_is_refused(tmp_path, toml, error):
    assert refused(tmp_path, toml + "\n") == (
        f"Error: <vault>/vaultkit.toml: invalid settings:\n  {error}\n"
    )


@pytest.mark.parametrize("value", [".git", ".obsidian/pages", "pages/.hidden"])
def test_output_into_a_hidden_folder_is_refused(tmp_path, value):
    assert refused(tmp_path, f'output_dir = "{value}"\n') == (
        "Error: <vault>/vaultkit.toml: invalid settings:\n"
        f"  output_dir: {value!r} is a hidden folder (such as .git or .obsidian); "
        "vaultkit writes only into a folder of its own\n"
    )


@pytest.mark.parametrize(
    "toml, error",
    [
        ('events_dir = "people"', "events_dir: 'people' overlaps people_dir 'people'"),
        (
            'events_dir = "people/events"',
            "events_dir: 'people/events' overlaps people_dir 'people'",
        ),
        (
            'templates_dir = "resources"',
            "templates_dir: 'resources' overlaps resources_dir 'resources'",
        ),
        (
            'people_dir = ".people"',
            "people_dir: '.people' is a hidden folder; hidden folders are never read",
        ),
        (
            'people_dir = "/home/me/people"',
            "people_dir: '/home/me/people' must be a folder inside the vault (a relative path)",
        ),
    ],
)
def test_note_folders_that_cannot_work_are_refused(tmp_path, toml, error):
    assert refused(tmp_path, toml + "\n") == (
        f"Error: <vault>/vaultkit.toml: invalid settings:\n  {error}\n"
    )


def test_every_folder_error_at_once(tmp_path):
    toml = 'output_dir = "../out"\npeople_dir = "/abs"\nevents_dir = ".."\nlink_style = 3\n'
    assert refused(tmp_path, toml) == (
        "Error: <vault>/vaultkit.toml: invalid settings:\n"
        "  link_style: expected a string, got 3\n"
        "  people_dir: '/abs' must be a folder inside the vault (a relative path)\n"
        "  events_dir: '..' must be a folder inside the vault (a relative path)\n"
        "  output_dir: '../out' must be a folder inside the vault (a relative path)\n"
    )


def test_every_command_refuses_bad_settings(tmp_path):
    root = write_vault(tmp_path / "vault", NOTE, settings='output_dir = "/tmp/x"\n')
    for args in (
        ["check"],
        ["due"],
        ["show", "Ada Lovelace"],
        ["log", "Ada Lovelace", "hi"],
        ["add", "Grace"],
    ):
        result = run_cli(*args, vault=root)
        assert result.exit_code == 1, args
        assert "output_dir: '/tmp/x' must be a folder inside the vault" in result.stderr
    assert sorted(p.name for p in (root / "people").iterdir()) == ["Ada Lovelace.md"]


# --- symlinks that lead out of the vault ------------------------------------------------------


def test_output_folder_that_is_a_symlink_out_of_the_vault_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = write_vault(tmp_path / "vault", NOTE)
    os.symlink(outside, root / "Overview")
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: output_dir 'Overview' leads outside the vault ({outside}); refused\n"
    )
    assert list(outside.iterdir()) == []


def test_symlinked_folders_inside_the_output_are_not_written_through(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = write_vault(
        tmp_path / "vault",
        {"people/Ada Lovelace.md": "---\ngroups: [PSF]\n---\n- 2026-10-01 Helped me move #help\n"},
    )
    (root / "Overview").mkdir()
    os.symlink(outside, root / "Overview" / "Groups")
    os.symlink(outside, root / "Overview" / "Thank-you notes")
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "Overview/Groups/PSF.md: its folder is a symlink; vaultkit writes only inside its output folder\n"
        "Overview/Thank-you notes/Ada Lovelace.md: its folder is a symlink; vaultkit writes only "
        "inside its output folder\n"
    )
    assert list(outside.iterdir()) == []
    assert (root / "Overview" / "Reminders.md").is_file()


def test_a_symlinked_page_is_left_alone(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("mine\n", encoding="utf-8")
    root = write_vault(tmp_path / "vault", NOTE)
    (root / "Overview").mkdir()
    os.symlink(outside, root / "Overview" / "Reminders.md")
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    assert result.stderr == "Overview/Reminders.md: not a regular file; vaultkit leaves it alone\n"
    assert outside.read_text(encoding="utf-8") == "mine\n"


def test_output_folder_that_is_a_file_is_one_clear_error(tmp_path):
    root = write_vault(tmp_path / "vault", NOTE)
    (root / "Overview").write_text("my own notes\n", encoding="utf-8")
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: output_dir 'Overview' is a file, not a folder; move it away or set another output_dir\n"
    )
    assert (root / "Overview").read_text(encoding="utf-8") == "my own notes\n"


@pytest.mark.parametrize("today", ["9999-12-31", "0001-01-01"])
def test_a_today_at_the_end_of_the_calendar_is_refused(tmp_path, today):
    root = write_vault(tmp_path / "vault", NOTE)
    result = run_cli("build", vault=root, today=today)
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: Invalid value for '--today': '{today}' is too far from our time; use a year from 1000 to 9000\n"
    )
