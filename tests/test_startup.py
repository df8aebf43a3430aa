"""A build with nothing to do, and `--help`, do not import what they do not use (issue 7)."""

from __future__ import annotations

import subprocess
import sys

from conftest import run_cli

HEAVY = ("yaml", "jinja2", "vaultkit.model", "vaultkit.read.records", "vaultkit.pages.views", "vaultkit.read.codec", "json", "tempfile")

PROBE = """
import sys
from vaultkit.cli import run
try:
    run()  # reads sys.argv[1:], the arguments after -c (main() would end the process)
except SystemExit as done:
    assert not done.code, done.code
print("loaded:", *(name for name in {heavy!r} if name in sys.modules))
"""


def imported(*args: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """The heavy modules loaded by one real run of the CLI with these arguments."""
    probe = PROBE.format(heavy=heavy)
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True).stdout
    return out.rsplit("loaded:", 1)[1].split()


def test_a_build_with_nothing_changed_loads_neither_yaml_nor_jinja_nor_the_model(vault):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n## Log\n- 2026-10-01 Coffee.\n"})
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    assert imported("build", "--vault", str(root), "--today", "2026-12-01") == []


def test_a_first_build_loads_them_so_the_probe_sees_imports(vault):
    """...but PyYAML only for front matter that is not flat (read/fullyaml.py)."""
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n## Log\n- 2026-10-01 Coffee.\n"})
    loaded = imported("build", "--vault", str(root), "--today", "2026-12-01")
    assert {"jinja2", "vaultkit.model", "vaultkit.read.records", "vaultkit.pages.views", "vaultkit.read.codec"} <= set(loaded)
    assert "yaml" not in loaded
    (root / "people/Bob.md").write_text("---\nabout: |\n  two\n  lines\n---\n", encoding="utf-8")
    assert "yaml" in imported("build", "--vault", str(root), "--today", "2026-12-01")


# What reads a note: needed for a note that changed since the cache was written, only (and
# PyYAML, for front matter that is not flat, not even then).
PARSER = ("vaultkit.read.note", "vaultkit.read.flatyaml", "vaultkit.read.records", "vaultkit.read.lines")


def test_commands_whose_notes_all_come_from_the_cache_load_no_note_parser(vault):
    root = vault({
        "people/Ada.md": "---\ncadence: monthly\n---\n## Log\n- 2026-10-01 Coffee with [[Bob]].\n",
        "people/Bob.md": "---\nbirthday: 1990-12-05\n---\n",
    })
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    dated = ("--vault", str(root), "--today", "2026-12-01")
    for command in (["due"], ["due", "--json"], ["show", "Ada"], ["show", "Ada", "--json"], ["export", "ics"]):
        assert imported(*command, *dated, heavy=PARSER) == [], command
    assert imported("due", *dated, heavy=("vaultkit.rules.matchmaking",)) == []  # no introductions in it


def test_json_for_scripts_renders_no_page_so_loads_no_jinja(vault):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n- 2026-10-01 Coffee.\n"})
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    dated = ("--vault", str(root), "--today", "2026-12-01")
    for command in (["due", "--json"], ["show", "Ada", "--json"]):
        assert imported(*command, *dated, heavy=("jinja2",)) == [], command
    assert imported("due", *dated, heavy=("jinja2",)) == ["jinja2"]  # (the text is the page's template)


def test_a_changed_note_loads_the_note_parser(vault):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n"})
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    (root / "people/Ada.md").write_text("---\ncadence: weekly\n---\n", encoding="utf-8")
    assert set(imported("due", "--vault", str(root), "--today", "2026-12-01", heavy=(*PARSER, "yaml"))) == set(PARSER)


def test_help_loads_only_click_and_the_cli():
    assert imported("--help") == []
    assert imported("build", "--help") == []


def test_the_console_script_ends_with_the_command_and_its_exit_code(vault):
    """`vaultkit` ends its process itself (read/collector.end): the output is all there,
    flushed, with the exit code the command gave."""
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n- 2026-10-01 Coffee.\n"})
    dated = ["--vault", str(root), "--today", "2026-12-01"]
    due = subprocess.run([sys.executable, "-m", "vaultkit", "due", *dated], capture_output=True, text=True)
    assert (due.returncode, due.stdout, due.stderr) == (
        0,
        "# Reminders — Tuesday 1 December 2026\n\n## Overdue check-ins (1)\n"
        "- Ada — monthly, last contact 2026-10-01 (30 days overdue). Last time (2026-10-01): Coffee.\n\n"
        "## Due this week (0)\nNobody is due this week.\n\n"
        "## Follow-ups (0)\nNo follow-up is due this week.\n\n"
        "## Birthdays in the next 30 days (0)\nNo birthdays in the next 30 days.\n\n"
        "## Introductions to follow up (0)\nEvery introduction has been followed up.\n\n"
        "## Drifted — reconnect (0)\nNobody has drifted.\n",
        "",
    )
    nobody = subprocess.run([sys.executable, "-m", "vaultkit", "show", "Nobody", *dated], capture_output=True, text=True)
    assert (nobody.returncode, nobody.stdout, nobody.stderr) == (1, "", "Error: no person named 'Nobody' in people/\n")


def test_the_console_script_ends_quietly_with_standard_output_or_error_closed(vault):
    """Started with a descriptor closed (`vaultkit due >&-` in a script): the command's exit
    code, no traceback; with standard error open, nothing said on it."""
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n- 2026-10-01 Coffee.\n"})
    command = '"$0" -m vaultkit due --vault "$1" --today 2026-12-01'
    no_out = subprocess.run(["sh", "-c", command + " >&-", sys.executable, str(root)], capture_output=True, text=True)
    assert (no_out.returncode, no_out.stderr) == (0, "")
    no_err = subprocess.run(["sh", "-c", command + " 2>&-", sys.executable, str(root)], capture_output=True, text=True)
    assert (no_err.returncode, no_err.stdout.splitlines()[0]) == (0, "# Reminders — Tuesday 1 December 2026")


def test_a_no_change_build_whose_notes_are_listed_in_another_order_is_still_one(vault):
    """A file system may list a folder's notes in another order than last time: the notes
    are the same, and the build has nothing to do (it loads neither YAML nor Jinja)."""
    from vaultkit.read.cache import Cache, Manifest
    from vaultkit.read.scan import pack_stats
    from vaultkit.settings import load_settings

    root = vault({f"people/P{n}.md": "---\ncadence: monthly\n---\n" for n in range(5)})
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    cache = Cache(load_settings(root))
    kept = cache.manifest()
    stats = [kept.stat_of(rel) for rel in reversed(kept.notes)]
    cache.save_manifest(Manifest(kept.notes[::-1], kept.kinds[::-1], pack_stats(stats), {}, kept.inputs, kept.output, kept.report))
    assert imported("build", "--vault", str(root), "--today", "2026-12-01") == []
    (root / "people/P3.md").write_text("---\ncadence: weekly\n---\n", encoding="utf-8")  # and a change is still seen
    assert "vaultkit.read.records" in imported("build", "--vault", str(root), "--today", "2026-12-01")


def test_what_a_command_keeps_is_left_to_the_end_of_the_process_not_freed_one_by_one():
    probe = """
from vaultkit.read import collector

class Index:
    def __del__(self):
        print("freed object by object", flush=True)

collector.ends_process()
collector.keep(Index())
print("done", flush=True)
collector.end(3)
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (3, "done\n", "")
