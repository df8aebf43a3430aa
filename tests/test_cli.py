"""Every command through the CLI, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import click
from conftest import REPO, run_cli

from vaultkit.cli import cli

ADA = """\
---
aliases: [Ada]
tags: [python]
cadence: monthly
met: 2024-05-03
how_met: PyCon UK
---
Mentor; cares about compilers.

## Log
- 2026-10-15 Introduced me to [[Charles Babbage]]. #intro
- 2026-10-20 Coffee.

## Follow-ups
- [ ] Send her the CFP 📅 2026-11-28
"""


def all_commands():
    found = []

    def walk(group, prefix):
        for name, command in sorted(group.commands.items()):
            found.append((f"{prefix} {name}".strip(), command))
            if isinstance(command, click.Group):
                walk(command, f"{prefix} {name}")

    walk(cli, "")
    return found


def test_every_command_has_help_and_is_documented():
    docs = "\n".join(p.read_text(encoding="utf-8") for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))])
    commands = all_commands()
    assert {"build", "init", "add", "log", "due", "show", "check"} <= {name for name, _ in commands}
    for name, command in commands:
        result = run_cli(*name.split(), "--help")
        assert result.exit_code == 0, name
        assert command.help and len(command.help) > 20, name
        assert f"vaultkit {name}" in docs, f"`vaultkit {name}` is not in README.md or docs/"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--help",):
                    assert opt in docs or name in ("",), f"{opt} of `vaultkit {name}` is not documented"


def test_build_with_a_broken_note_reports_it_and_builds_the_rest(vault):
    root = vault(
        {
            "people/Ada Lovelace.md": ADA,
            "people/Broken.md": "---\ntags: [a, b\ncadence: monthly\n---\n- 2026-01-01 x\n",
            "people/Charles Babbage.md": "---\ncadence: weekly\n---\n",
        }
    )
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    assert (
        "people/Broken.md:3:8: invalid YAML in front matter: did not find expected ',' or ']' "
        "(while parsing a flow sequence started at line 2, column 7)\n" in result.output
    )
    assert "Traceback" not in result.output
    assert "Built Overview/ from 2 people, 0 events, 0 resources; 7 pages: 7 written, 0 unchanged; 1 problem, 0 warnings" in result.output
    reminders = (root / "Overview/Reminders.md").read_text(encoding="utf-8")
    assert "- [[Ada Lovelace]] — monthly, last contact 2026-10-20 (11 days overdue)." in reminders
    assert "Broken" not in reminders


def test_build_as_a_subprocess_prints_no_traceback(vault):
    root = vault({"people/Bad.md": "\x00\x01binary", "people/Ada.md": ADA})
    done = subprocess.run(
        [sys.executable, "-m", "vaultkit", "build", "--vault", str(root), "--today", "2026-12-01"],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert done.returncode == 1
    assert "people/Bad.md: a binary file, not a Markdown note" in done.stderr.splitlines()
    assert "Traceback" not in done.stderr + done.stdout


def test_vault_and_today_from_the_environment(vault, monkeypatch):
    root = vault({"people/Ada Lovelace.md": ADA})
    monkeypatch.setenv("VAULTKIT_VAULT", str(root))
    monkeypatch.setenv("VAULTKIT_TODAY", "2026-11-01")
    result = run_cli("due")
    assert "Nobody is overdue." in result.output
    assert result.output.startswith("# Reminders — Sunday 1 November 2026\n")


def test_the_vault_is_found_upwards_from_the_current_folder(vault, monkeypatch):
    root = vault({"people/Ada Lovelace.md": ADA}, settings='output_dir = "Pages"\n')
    monkeypatch.chdir(root / "people")
    result = run_cli("build", today="2026-12-01")
    assert result.exit_code == 0
    assert (root / "Pages/Reminders.md").exists()


def test_a_bad_today_is_a_clear_error(vault):
    root = vault({"people/Ada.md": ADA})
    result = CliRunner_invoke(["build", "--vault", str(root), "--today", "someday"])
    assert result.exit_code == 2
    assert "'someday' is not a date; write it as YYYY-MM-DD" in result.output


def CliRunner_invoke(args):
    from click.testing import CliRunner

    return CliRunner().invoke(cli, args)


def test_init_makes_a_vault_and_never_overwrites(tmp_path):
    target = tmp_path / "net"
    result = run_cli("init", str(target), today="2026-11-26")
    assert result.exit_code == 0
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        ".gitignore",
        "events",
        "events/2026-12-10 Python meetup.md",
        "people",
        "people/Ada Lovelace.md",
        "resources",
        "vaultkit.toml",
    ]
    (target / "vaultkit.toml").write_text('output_dir = "Mine"\n')
    again = run_cli("init", str(target), today="2026-11-26")
    assert f"kept    {target / 'vaultkit.toml'}" in again.output
    assert (target / "vaultkit.toml").read_text() == 'output_dir = "Mine"\n'
    built = run_cli("build", vault=target, today="2026-12-12")
    assert built.exit_code == 0, built.output
    assert "- [[Ada Lovelace]]: Send her the PyData call for proposals — due 2026-12-10, **2 days late**" in (
        target / "Mine/Reminders.md"
    ).read_text(encoding="utf-8")


def test_add_creates_a_person_from_the_template(vault):
    root = vault({"people/Ada.md": ADA})
    result = run_cli("add", "Grace Hopper", "--tag", "Navy", "--tag", "#cobol", "--cadence", "quarterly", "--email", "grace@example.com", "--company", "US Navy", vault=root)
    assert result.exit_code == 0, result.output
    assert result.output == "created people/Grace Hopper.md\n"
    assert (root / "people/Grace Hopper.md").read_text(encoding="utf-8") == (
        "---\naliases: []\ntags: [navy, cobol]\ncompany: US Navy\nrole:\nemail: grace@example.com\n"
        "met:\nhow_met:\ncadence: quarterly\ninterests: []\ngroups: []\nstatus: active\n---\n"
        "How we know each other, what Grace Hopper cares about.\n\n## Log\n\n## Follow-ups\n"
    )
    check = run_cli("check", vault=root, today="2026-12-01")
    assert "people/Grace Hopper.md" not in check.output


def test_add_quotes_values_yaml_would_misread(vault):
    root = vault({})
    run_cli("add", "Nora Berg", "--company", "yes", "--tag", "no", vault=root)
    text = (root / "people/Nora Berg.md").read_text(encoding="utf-8")
    assert 'company: "yes"\n' in text and 'tags: ["no"]\n' in text


def test_add_refuses_an_existing_person_by_name_or_alias(vault):
    root = vault({"people/Ada Lovelace.md": ADA})
    for name in ("Ada Lovelace", "ada lovelace", "ADA"):
        result = run_cli("add", name, vault=root)
        assert result.exit_code == 1
        assert f"Error: {name!r} is already in the vault: people/Ada Lovelace.md" in result.output
    assert (root / "people/Ada Lovelace.md").read_text(encoding="utf-8") == ADA


def test_add_refuses_names_that_are_not_plain_file_names(vault):
    root = vault({})
    for name, why in [
        ("../evil", "it contains '/'"),
        ("a/b", "it contains '/'"),
        ("/etc/passwd", "it contains '/'"),
        ("C:\\x", "it contains ':'"),
        ("what?", "it contains '?'"),
        ("", "it is empty"),
        ("   ", "it is empty"),
        (".hidden", "it starts with a dot"),
        ("..", "it starts with a dot"),
        ("CON", "it is a reserved device name on Windows"),
        ("nul.txt", "it is a reserved device name on Windows"),
        ("Trailing.", "it ends with a dot"),
        (" Ada", "it starts or ends with a space"),
        ("Ada [work]", "Obsidian links cannot point to names with"),
    ]:
        result = run_cli("add", name, vault=root)
        assert result.exit_code == 1, name
        assert why in result.output, (name, result.output)
    assert not (root / "people").exists() or not any((root / "people").iterdir())


def test_log_appends_to_the_log_list_and_nothing_else(vault):
    root = vault({"people/Ada Lovelace.md": ADA})
    result = run_cli("log", "ada", "Lunch", "in", "Soho", "--tag", "lunch", "--date", "2026-11-30", vault=root)
    assert result.exit_code == 0, result.output
    assert result.output == "people/Ada Lovelace.md: - 2026-11-30 Lunch in Soho #lunch\n"
    assert (root / "people/Ada Lovelace.md").read_text(encoding="utf-8") == ADA.replace(
        "- 2026-10-20 Coffee.\n", "- 2026-10-20 Coffee.\n- 2026-11-30 Lunch in Soho #lunch\n"
    )


def test_log_uses_today_by_default_and_creates_the_heading(vault):
    root = vault({"people/Bea.md": "---\ntags: [x]\n---\nNo log yet."})
    run_cli("log", "Bea", "Met at the meetup", vault=root, today="2026-12-01")
    assert (root / "people/Bea.md").read_text() == "---\ntags: [x]\n---\nNo log yet.\n\n## Log\n- 2026-12-01 Met at the meetup\n"


def test_log_keeps_crlf_and_a_missing_final_newline(vault, tmp_path):
    root = vault({})
    note = root / "people/Cy.md"
    note.parent.mkdir(parents=True)
    note.write_bytes(b"---\r\ntags: [x]\r\n---\r\n## Log\r\n- 2026-01-01 First\r\n\r\n## Other\r\ntext")
    note.chmod(0o640)
    run_cli("log", "cy", "Second", vault=root, today="2026-12-01")
    assert note.read_bytes() == b"---\r\ntags: [x]\r\n---\r\n## Log\r\n- 2026-01-01 First\r\n- 2026-12-01 Second\r\n\r\n## Other\r\ntext"
    assert note.stat().st_mode & 0o777 == 0o640


def test_log_errors_for_nobody_and_for_several(vault):
    root = vault(
        {
            "people/Ada Lovelace.md": ADA,
            "people/Ada King.md": "---\naliases: [Countess]\n---\n",
            "people/Other.md": "---\naliases: [countess]\n---\n",
        }
    )
    nobody = run_cli("log", "Zed", "hi", vault=root)
    assert nobody.exit_code == 1 and "no person named 'Zed' in people/" in nobody.output
    several = run_cli("log", "Countess", "hi", vault=root)
    assert several.exit_code == 1
    assert "'Countess' could be several people: people/Ada King.md, people/Other.md; use the file name" in several.output


def test_due_text_and_json(vault):
    root = vault({"people/Ada Lovelace.md": ADA, "people/Charles Babbage.md": "---\n---\n"})
    text = run_cli("due", vault=root, today="2026-12-01").output
    assert (
        "- Ada Lovelace — monthly, last contact 2026-10-20 (11 days overdue). "
        "Open follow-up: Send her the CFP (due 2026-11-28).\n" in text
    )
    data = json.loads(run_cli("due", "--json", vault=root, today="2026-12-01").output)
    assert data["overdue"] == [
        {
            "name": "Ada Lovelace",
            "path": "people/Ada Lovelace.md",
            "cadence": "monthly",
            "last_contact": "2026-10-20",
            "due": "2026-11-20",
            "days_overdue": 11,
            "reasons": [{"kind": "followup", "text": "Send her the CFP", "due": "2026-11-28"}],
        }
    ]
    assert data["introductions"] == [
        {
            "by": {"name": "Ada Lovelace", "path": "people/Ada Lovelace.md"},
            "to": {"name": "Charles Babbage", "path": "people/Charles Babbage.md"},
            "date": "2026-10-15",
        }
    ]


def test_show_prints_a_prep_card(vault):
    root = vault({"people/Ada Lovelace.md": ADA, "people/Charles Babbage.md": "---\n---\n"})
    result = run_cli("show", "ADA", vault=root, today="2026-12-01")
    assert result.exit_code == 0
    assert result.output == (
        "# Ada Lovelace\n\n"
        "Mentor; cares about compilers.\n\n"
        "How you met: PyCon UK, 2024-05-03\n\n"
        "Cadence: monthly (own note); last contact 2026-10-20 (42 days ago); **11 days overdue**\n"
        "Interests: python\n\n"
        "## Last interactions\n"
        "- On 2026-10-20: Coffee.\n"
        "- On 2026-10-15: Introduced me to [[Charles Babbage]]. #intro\n\n"
        "## Open follow-ups\n"
        "1. Send her the CFP — due 2026-11-28, 3 days late (id gzpr)\n\n"
        "## What you owe them\n"
        "- Thanks for: Introduced me to [[Charles Babbage]]. #intro (on 2026-10-15)\n\n"
        "## Introductions\n"
        "- Ada Lovelace introduced you to Charles Babbage on 2026-10-15\n"
    )


def test_check_lists_every_problem_and_exits_1(vault):
    root = vault(
        {
            "people/Ada Lovelace.md": ADA,
            "people/Bad.md": "---\ncadence: often\nbirthday: someday\n---\n- 2026-12-24 Party. #plan\nSee [[Nobody]].\n",
            "people/Dup.md": "---\naliases: [ada]\n---\n",
        }
    )
    result = run_cli("check", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "people/Ada Lovelace.md:11: link [[Charles Babbage]] points to no note",
        "people/Bad.md:2: cadence: unknown cadence 'often' (weekly, biweekly, monthly, quarterly, yearly, or a count and unit like 10d, 6w, 3m, 1y)",
        "people/Bad.md:3: birthday: expected YYYY-MM-DD or --MM-DD, got 'someday'",
        "people/Bad.md:5: warning: interaction dated 2026-12-24, after today; a plan does not count as contact",
        "people/Bad.md:6: link [[Nobody]] points to no note",
        "people/Dup.md: alias 'ada' is also people/Ada Lovelace.md; links to it go there",
        "6 problems in 3 files; 3 notes read",
    ]
    as_json = json.loads(run_cli("check", "--format", "json", vault=root, today="2026-12-01").output)
    assert as_json[3] == {
        "path": "people/Bad.md",
        "line": 5,
        "column": None,
        "severity": "warning",
        "code": "future",
        "message": "interaction dated 2026-12-24, after today; a plan does not count as contact",
    }


def test_check_counts_warnings_only_with_strict(vault):
    root = vault({"people/Ada.md": "---\n---\n- 2026-12-24 Party.\n"})
    assert run_cli("check", vault=root, today="2026-12-01").exit_code == 0
    assert run_cli("check", "--strict", vault=root, today="2026-12-01").exit_code == 1


def test_bad_settings_are_reported_all_at_once(vault):
    root = vault({}, settings='ouput_dir = "x"\nlink_style = "obsidian"\nthanks_tags = "help"\ndefault_cadence = "often"\n')
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"Error: {root / 'vaultkit.toml'}: invalid settings:"
    assert lines[1].startswith("  unknown setting 'ouput_dir' (known settings: ")
    assert lines[2:] == [
        "  thanks_tags: expected a list of strings, got 'help'",
        "  link_style: expected \"wiki\" or \"markdown\", got 'obsidian'",
        "  default_cadence: 'often' is not a cadence (weekly, biweekly, monthly, quarterly, yearly, or like 10d, 6w, 3m, 1y)",
    ]


def test_bad_toml_names_file_line_and_column(vault):
    root = vault({}, settings='output_dir = "x"\nlink_style = \n')
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    assert f"Error: {root / 'vaultkit.toml'}:2:14: invalid TOML: Invalid value" in result.output
