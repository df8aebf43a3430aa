"""A vault of hostile notes beside good ones: the build names every bad note, writes every
good note's pages, never changes a byte of the notes and never shows a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

VAULTKIT = [sys.executable, "-c", "from vaultkit.cli import main; main()"]
TODAY = "2026-12-01"

BOMB = (
    "---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]\n"
        for p, c in zip("abcdefghi", "bcdefghij", strict=False)
    )
    + "---\n"
)

GOOD_NOTES = {
    "people/Good One.md": (
        "---\naliases: [Goodie]\ntags: [python]\ncadence: monthly\ngroups: [PSF]\n---\n"
        "Met at PyCon.\n\n## Log\n- 2026-10-01 Coffee; she helped me move #help\n"
    ),
    "people/Good Crlf.md": (
        "\ufeff---\r\ntags: [python]\r\ncadence: monthly\r\ncountry: NO\r\n---\r\n## Log\r\n- 2026-09-01 Lunch\r\n"
    ),
    "people/Empty.md": "",
    "people/Jinja Fan.md": (
        '---\ncompany: "{{ 7*7 }}"\ncadence: monthly\n---\n{{ 7*7 }} {% raw %}\n\n'
        "## Log\n- 2026-10-02 Lent me {{ 7*7 }} books {% for x in y %} #gift\n"
    ),
    "people/Slow Cadence.md": "---\ncadence: 9999y\nmet: 2020-01-01\n---\n",
    "events/2026-12-10 Winter social.md": (
        '---\ndate: 2026-12-10\ninvite: [python]\nattendees: ["[[Good One]]"]\n---\n'
    ),
    "resources/Python guide.md": (
        "---\nurl: https://example.com/guide\nkind: article\ntags: [python]\nadded: 2026-11-20\n---\n"
    ),
}

HOSTILE_NOTES = {
    "people/Bad Yaml.md": "---\ncadence: monthly\nname: [oops\n---\n",
    "people/Bad List.md": "---\n- python\n- london\n---\n",
    "people/Bad Scalar.md": "---\njust words\n---\n",
    "people/Bad Keys.md": "---\n1: one\ncadence: monthly\n---\n",
    "people/Bad Dup.md": "---\ntags: [a]\ntags: [b]\n---\n",
    "people/Bad Fence.md": "---\ncadence: monthly\n\nBody without a closing fence.\n",
    "people/Bad Conflict.md": (
        "---\n<<<<<<< HEAD\ncadence: monthly\n=======\ncadence: weekly\n>>>>>>> theirs\n---\n"
    ),
    "people/Bad Types.md": "---\ntags: 5\ncadence: [1]\nbirthday: someday\n---\n",
    "people/Bad Python.md": "---\nx: !!python/object/apply:os.system ['touch {witness}']\n---\n",
    "people/Bad Bomb.md": BOMB,
    "people/Bad Cadence.md": "---\ncadence: sometimes\n---\n",
    "people/Bad Control.md": "---\nrole: a\x07b\n---\n",
    "people/Bad Deep.md": "---\na: " + "[" * 2000 + "]" * 2000 + "\n---\n",
    "people/Bad Placeholder.md": "---\ncreated: {{date}}\n---\n",
    "people/Bad Link.md": "---\ncadence: weekly\n---\n- 2026-11-01 Met [[Nobody Here]]\n",
    "people/Bad Alias.md": "---\naliases: [Good One]\n---\n",
    "events/Bad Event.md": "---\ndate: someday\n---\n",
    "resources/Bad Resource.md": "---\ntags: {a: b}\n---\n",
}


def make_hostile_vault(root: Path, outside: Path) -> Path:
    """The vault of the issue's "done when": hostile notes of every kind beside good ones."""
    outside.mkdir(parents=True, exist_ok=True)
    witness = outside / "pwned"
    for rel, text in {**GOOD_NOTES, **HOSTILE_NOTES}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.replace("{witness}", str(witness)).encode("utf-8"))
    people = root / "people"
    (people / "Bad Latin.md").write_bytes("---\nname: Jos\xe9\n---\n".encode("latin-1"))
    (people / "Bad Binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (people / "Bad Utf16.md").write_bytes("---\nname: x\n---\n".encode("utf-16"))
    entry = "- 2025-01-03 A long chat. " + "lorem ipsum " * 40 + "\n"
    big = "---\ncadence: monthly\n---\n## Log\n" + entry * (5 * 2**20 // len(entry) + 1)
    big += "- 2026-10-03 A long chat.\n"
    (people / "Big Note.md").write_bytes(big.encode("utf-8"))
    secret = outside / "secret.md"
    secret.write_text("---\ncadence: weekly\n---\nnot yours\n", encoding="utf-8")
    os.symlink(secret, people / "Bad Symlink.md")
    os.symlink(outside, people / "Linked folder")
    os.mkfifo(people / "Bad Pipe.md")
    return root


def fingerprint(root: Path, skip: str = "Overview") -> str:
    """A hash of every file under root but the output folder and the build cache: names, kinds,
    modes, times, bytes."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if Path(dirpath, d) != root / skip and d != ".vaultkit")
        for name in sorted([*filenames, *dirnames]):
            path = Path(dirpath, name)
            info = path.lstat()
            digest.update(f"{path.relative_to(root)}|{info.st_mode}|{info.st_mtime_ns}|".encode())
            if stat.S_ISLNK(info.st_mode):
                digest.update(os.readlink(path).encode())
            elif stat.S_ISREG(info.st_mode):
                digest.update(path.read_bytes())
    return digest.hexdigest()


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """vaultkit as a user runs it: a real process, its own stdout and stderr."""
    return subprocess.run([*VAULTKIT, *args], capture_output=True, text=True, cwd=cwd, timeout=60)


EXPECTED_BUILD_PROBLEMS = [
    "events/Bad Event.md:2: date: expected a date YYYY-MM-DD, got 'someday'",
    "people/Bad Alias.md: alias 'Good One' is also people/Good One.md; links to it go there",
    "people/Bad Binary.md: a binary file, not a Markdown note",
    "people/Bad Bomb.md:2: front matter expands to too many values through YAML aliases (&a, *a); refused",
    "people/Bad Cadence.md:2: cadence: unknown cadence 'sometimes' (weekly, biweekly, monthly, "
    "quarterly, yearly, or a count and unit like 10d, 6w, 3m, 1y)",
    "people/Bad Conflict.md:2: unresolved git merge conflict (<<<<<<< ... ======= ... >>>>>>>); resolve it",
    "people/Bad Control.md:2:8: invalid YAML in front matter: character U+0007 is not allowed",
    "people/Bad Deep.md:2:1003: invalid YAML in front matter: exceeded maximum nesting depth",
    "people/Bad Dup.md:3: duplicate key 'tags'; the last one wins",
    "people/Bad Fence.md:1: front matter opened with '---' on line 1 is never closed with '---'",
    "people/Bad Keys.md:2: key 1 is not text; ignored",
    "people/Bad Latin.md:2: not UTF-8 text (byte 0xe9); re-save the note as UTF-8",
    "people/Bad Link.md:4: warning: link [[Nobody Here]] points to no note",
    "people/Bad List.md:2: front matter must be keys and values (a mapping), found a list",
    "people/Bad Pipe.md: not a regular file (a pipe, socket or device); skipped",
    'people/Bad Placeholder.md:2:11: invalid YAML in front matter: braces or brackets read as a key; quote text like "{{date}}"',
    "people/Bad Python.md:2:4: invalid YAML in front matter: the tag !!python/object/apply:os.system "
    "is not allowed; front matter holds plain data only",
    "people/Bad Scalar.md:2: front matter must be keys and values (a mapping), found a single value",
    "people/Bad Symlink.md: warning: symlink points outside the vault; not followed",
    "people/Bad Types.md:2: tags: expected a list, got 5",
    "people/Bad Types.md:3: cadence: unknown cadence '1' (weekly, biweekly, monthly, quarterly, "
    "yearly, or a count and unit like 10d, 6w, 3m, 1y)",
    "people/Bad Types.md:4: birthday: expected YYYY-MM-DD or --MM-DD, got 'someday'",
    "people/Bad Utf16.md:1: UTF-16 text; re-save the note as UTF-8",
    "people/Bad Yaml.md:4:1: invalid YAML in front matter: did not find expected ',' or ']' "
    "(while parsing a flow sequence started at line 3, column 7)",
    "people/Linked folder: warning: symlinked folder points outside the vault; not followed",
    "resources/Bad Resource.md:2: tags: expected a list, got {'a': 'b'}",
]


def test_hostile_vault_builds_names_every_bad_note_and_changes_no_note(tmp_path):
    root = make_hostile_vault(tmp_path / "vault", tmp_path / "outside")
    bad = {rel for rel in HOSTILE_NOTES} | {
        f"people/{name}.md"
        for name in ("Bad Latin", "Bad Binary", "Bad Utf16", "Bad Symlink", "Bad Pipe")
    }
    assert len(bad) >= 15
    before = fingerprint(root)
    outside_before = fingerprint(tmp_path / "outside")

    result = run("build", "--vault", str(root), "--today", TODAY)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == EXPECTED_BUILD_PROBLEMS
    named = {line.split(":")[0] for line in result.stderr.splitlines()}
    assert bad <= named, bad - named
    assert result.stdout.startswith(
        "Built Overview/ from 12 people, 2 events, 2 resources; 9 pages: 9 written, 0 unchanged; "
        "23 problems, 3 warnings ("
    )
    assert fingerprint(root) == before, "a note was changed"
    assert fingerprint(tmp_path / "outside") == outside_before
    assert not (tmp_path / "outside" / "pwned").exists()

    pages = {p.relative_to(root / "Overview").as_posix() for p in (root / "Overview").rglob("*.md")}
    assert pages == {
        "Dashboard.md", "Events.md", "Introductions.md", "Reminders.md", "Share.md", "Thank-you notes.md",
        "Groups/PSF.md", "Thank-you notes/Good One.md", "Thank-you notes/Jinja Fan.md",
    }  # fmt: skip
    reminders = (root / "Overview" / "Reminders.md").read_text(encoding="utf-8")
    for line in (
        "- [[Good Crlf]] — monthly, last contact 2026-09-01 (61 days overdue). "
        "Reason to write: [[Python guide]] matches #python.",
        "- [[Good One]] — monthly, last contact 2026-10-01 (30 days overdue). "
        "Reason to write: [[Python guide]] matches #python.",
        "- [[Jinja Fan]] — monthly, last contact 2026-10-02 (29 days overdue). "
        "Last time (2026-10-02): Lent me {{ 7*7 }} books {% for x in y %} #gift",
    ):
        assert line + "\n" in reminders
    assert "[[Slow Cadence]]" not in reminders  # 9999y is never due; met without contact never drifts
    assert "- [[Big Note]] — monthly, last contact 2026-10-03 (28 days overdue)." in reminders
    dashboard = (root / "Overview" / "Dashboard.md").read_text(encoding="utf-8")
    assert "- 12 people: 12 active, 0 paused, 0 archived\n" in dashboard  # Empty.md counts
    events = (root / "Overview" / "Events.md").read_text(encoding="utf-8")
    assert "Coming: [[Good One]]\n\nInvite (#python):\n- [[Good Crlf]] — #python\n" in events
    share = (root / "Overview" / "Share.md").read_text(encoding="utf-8")
    assert "- [[Good Crlf]] — #python; check-in 61 days overdue\n" in share
    group = (root / "Overview" / "Groups" / "PSF.md").read_text(encoding="utf-8")
    assert (
        "- [[Good One]] — active; last contact 2026-10-01; check-in overdue since 2026-11-01\n"
        in group
    )
    unreadable = [
        "Bad Yaml", "Bad List", "Bad Scalar", "Bad Fence", "Bad Conflict", "Bad Python", "Bad Bomb",
        "Bad Control", "Bad Deep", "Bad Placeholder", "Bad Latin", "Bad Binary", "Bad Utf16",
        "Bad Symlink", "Bad Pipe",
    ]  # fmt: skip
    for page in pages:
        text = (root / "Overview" / page).read_text(encoding="utf-8")
        assert "49" not in text and "not yours" not in text
        assert not [name for name in unreadable if name in text], page


def test_hostile_vault_second_build_writes_nothing(tmp_path):
    root = make_hostile_vault(tmp_path / "vault", tmp_path / "outside")
    first = run_cli("build", vault=root, today=TODAY)
    pages = fingerprint(root / "Overview", skip="-")
    second = run_cli("build", vault=root, today=TODAY)
    assert first.exit_code == second.exit_code == 1
    assert "9 pages: 0 written, 9 unchanged" in second.stdout
    assert fingerprint(root / "Overview", skip="-") == pages


def test_check_on_the_hostile_vault_lists_every_problem(tmp_path):
    root = make_hostile_vault(tmp_path / "vault", tmp_path / "outside")
    before = fingerprint(root)
    result = run("check", "--vault", str(root), "--today", TODAY)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    expected = [line.replace(": warning: link", ": link") for line in EXPECTED_BUILD_PROBLEMS]
    assert result.stdout.splitlines() == expected
    assert result.stderr == "26 problems in 24 files; 16 notes read\n"
    assert fingerprint(root) == before
    assert not (root / "Overview").exists()


# --- vaultkit check: path:line: message, --strict, --format json -------------------------------


CHECK_NOTES = {
    "people/Ada Lovelace.md": (
        "---\naliases: [Ada, The Countess]\ncadence: sometimes\n---\n"
        "## Log\n- 2026-11-02 Coffee with [[Charles Babbage]]\n- 2027-01-05 Dinner planned\n"
    ),
    "people/archive/Ada Lovelace.md": "---\ntags: [old]\n---\n",
    "people/Grace Hopper.md": '---\naliases: [Ada]\nintroduced_by: "[[Nobody]]"\n---\n',
    "events/Meetup.md": '---\nattendees: ["[[Ada]]", "[[Alan Turing]]"]\n---\n',
}


def test_check_reports_every_kind_of_problem_with_file_and_line(vault):
    root = vault(CHECK_NOTES)
    result = run_cli("check", vault=root, today=TODAY)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "events/Meetup.md: warning: event has no date: add `date: YYYY-MM-DD`",
        "events/Meetup.md:2: link attendees: alan turing points to no note",
        "people/Ada Lovelace.md:3: cadence: unknown cadence 'sometimes' (weekly, biweekly, monthly, "
        "quarterly, yearly, or a count and unit like 10d, 6w, 3m, 1y)",
        "people/Ada Lovelace.md:6: link [[Charles Babbage]] points to no note",
        "people/Ada Lovelace.md:7: warning: interaction dated 2027-01-05, after today; "
        "a plan does not count as contact",
        "people/Grace Hopper.md: alias 'Ada' is also people/Ada Lovelace.md; links to it go there",
        "people/Grace Hopper.md:3: link introduced_by: nobody points to no note",
        "people/archive/Ada Lovelace.md: two people named 'Ada Lovelace': here and people/Ada Lovelace.md",
    ]
    assert result.stderr == "8 problems in 4 files; 4 notes read\n"


def test_check_json_for_editors_and_ci(vault):
    root = vault(CHECK_NOTES)
    result = run_cli("check", "--format", "json", vault=root, today=TODAY)
    assert result.exit_code == 1 and result.stderr == ""
    found = json.loads(result.stdout)
    assert found[:2] == [
        {
            "path": "events/Meetup.md",
            "line": None,
            "column": None,
            "severity": "warning",
            "code": "date",
            "message": "event has no date: add `date: YYYY-MM-DD`",
        },
        {
            "path": "events/Meetup.md",
            "line": 2,
            "column": None,
            "severity": "error",
            "code": "link",
            "message": "link attendees: alan turing points to no note",
        },
    ]
    assert [(p["path"], p["line"], p["severity"], p["code"]) for p in found[2:]] == [
        ("people/Ada Lovelace.md", 3, "error", "cadence"),
        ("people/Ada Lovelace.md", 6, "error", "link"),
        ("people/Ada Lovelace.md", 7, "warning", "future"),
        ("people/Grace Hopper.md", None, "error", "duplicate-name"),
        ("people/Grace Hopper.md", 3, "error", "link"),
        ("people/archive/Ada Lovelace.md", None, "error", "duplicate-name"),
    ]


def test_check_json_carries_yaml_columns(vault):
    root = vault({"people/Ada.md": "---\nname: [oops\n---\n"})
    result = run_cli("check", "--format", "json", vault=root, today=TODAY)
    assert json.loads(result.stdout) == [
        {
            "path": "people/Ada.md",
            "line": 3,
            "column": 1,
            "severity": "error",
            "code": "yaml",
            "message": "invalid YAML in front matter: did not find expected ',' or ']' "
            "(while parsing a flow sequence started at line 2, column 7)",
        }
    ]


def test_strict_makes_warnings_count(vault):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n- 2027-01-05 Dinner planned\n"})
    loose = run_cli("check", vault=root, today=TODAY)
    assert loose.exit_code == 0
    assert loose.stdout == (
        "people/Ada.md:4: warning: interaction dated 2027-01-05, after today; a plan does not count as contact\n"
    )
    strict = run_cli("check", "--strict", vault=root, today=TODAY)
    assert strict.exit_code == 1 and strict.stdout == loose.stdout
    strict_json = run_cli("check", "--strict", "--format", "json", vault=root, today=TODAY)
    assert strict_json.exit_code == 1 and json.loads(strict_json.stdout)[0]["severity"] == "warning"


def test_a_clean_vault_checks_clean(vault):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n- 2026-11-05 Coffee\n"})
    for args in (["check"], ["check", "--strict"]):
        result = run_cli(*args, vault=root, today=TODAY)
        assert result.exit_code == 0 and result.stdout == ""
        assert result.stderr == "0 problems in 0 files; 1 note read\n"
    assert json.loads(run_cli("check", "--format", "json", vault=root, today=TODAY).stdout) == []


# --- templates: sandboxed overrides, notes are data --------------------------------------------


def test_template_syntax_in_a_note_stays_verbatim_in_pages_drafts_and_cards(vault):
    root = vault(
        {
            "people/Ada.md": (
                '---\ncompany: "{{ 7*7 }}"\ncadence: monthly\n---\n'
                "## Log\n- 2026-10-02 Lent me {{ 7*7 }} books {% raw %} #gift\n"
            )
        }
    )
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    draft = (root / "Overview" / "Thank-you notes" / "Ada.md").read_text(encoding="utf-8")
    assert draft.endswith("> Friday 2 October 2026: Lent me {{ 7*7 }} books {% raw %} #gift\n")
    thanks = (root / "Overview" / "Thank-you notes.md").read_text(encoding="utf-8")
    assert "- On 2026-10-02 (gift): Lent me {{ 7*7 }} books {% raw %} #gift\n" in thanks
    card = run_cli("show", "Ada", vault=root, today=TODAY)
    assert "{{ 7*7 }}" in card.stdout and "49" not in card.stdout


@pytest.mark.parametrize(
    "template, error",
    [
        (
            "{{ settings.root.joinpath('vaultkit.toml').read_text() }}",
            "Error: template Reminders.md.j2: access to attribute 'joinpath' of 'PosixPath' object is unsafe.",
        ),
        (
            "{{ settings.output | attr('unlink') }}",
            "Error: template Reminders.md.j2: access to attribute 'unlink' of 'PosixPath' object is unsafe.",
        ),
        (
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "Error: template Reminders.md.j2: access to attribute '__class__' of 'str' object is unsafe.",
        ),
        (
            "{% set x = [] %}{{ x.append(1) }}",
            "Error: template Reminders.md.j2: access to attribute 'append' of 'list' object is unsafe.",
        ),
        (
            "ok\n{{ 1/0 }}",
            "Error: template <vault>/templates/Reminders.md.j2:2: ZeroDivisionError: division by zero",
        ),
        (
            "{% for i in range(10**9) %}x{% endfor %}",
            "Error: template <vault>/templates/Reminders.md.j2:1: OverflowError: Range too big. "
            "The sandbox blocks ranges larger than MAX_RANGE (100000).",
        ),
        (
            "{{ nothing_here }}",
            "Error: template Reminders.md.j2: 'nothing_here' is undefined",
        ),
        (
            "{% if %}",
            "Error: template <vault>/templates/Reminders.md.j2:1: Expected an expression, got 'end of statement block'",
        ),
    ],
)
def test_override_templates_run_sandboxed(vault, template, error):
    root = vault(
        {"people/Ada.md": "---\ncadence: monthly\n---\n", "templates/Reminders.md.j2": template}
    )
    result = run_cli("build", vault=root, today=TODAY)
    assert result.exit_code == 1
    assert result.stderr.replace(str(root), "<vault>") == error + "\n"
    assert not (root / "Overview").exists()
    assert (root / "vaultkit.toml").exists() is False


def test_a_good_override_template_is_used(vault):
    root = vault(
        {
            "people/Ada.md": "---\ncadence: monthly\n---\n",
            "templates/Reminders.md.j2": "# My reminders\n{% for s in due_soon %}- {{ s.person | link }}\n{% endfor %}",
        }
    )
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    page = (root / "Overview" / "Reminders.md").read_text(encoding="utf-8")
    assert (
        page
        == "<!-- generated by vaultkit: edit the notes, not this page -->\n# My reminders\n- [[Ada]]\n"
    )


# --- no traceback, ever; --debug for the curious -----------------------------------------------


def test_no_traceback_for_anything_a_user_can_cause(tmp_path):
    root = make_hostile_vault(tmp_path / "vault", tmp_path / "outside")
    (root / "people" / "Big Note.md").unlink()  # nine runs: keep them quick
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "vaultkit.toml").write_text("output_dir = [\n", encoding="utf-8")
    runs = [
        (1, ["check", "--format", "json", "--vault", str(root)]),
        (0, ["due", "--vault", str(root), "--today", TODAY]),
        (0, ["show", "Good One", "--vault", str(root), "--today", TODAY]),
        (1, ["show", "Nobody", "--vault", str(root)]),
        (2, ["log", "Good One", "--vault", str(root)]),  # usage: the text is missing
        (1, ["log", "../../etc/passwd", "hi", "--vault", str(root)]),
        (1, ["add", "../evil", "--vault", str(root)]),
        (1, ["build", "--vault", str(tmp_path / "missing")]),
        (1, ["build", "--vault", str(tmp_path / "bad")]),
        (2, ["build", "--today", "someday", "--vault", str(root)]),
    ]
    for code, args in runs:
        result = run(*args)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert "internal error" not in result.stderr, (args, result.stderr)
        assert result.returncode == code, (args, result.returncode, result.stderr)
    assert not (tmp_path / "evil.md").exists()


BUGGY = """
import click, sys
from vaultkit.cli import cli, main

@cli.command()
def explode():
    '''A command with a bug in it.'''
    raise RuntimeError("something vaultkit did not expect")

main()
"""


def test_an_internal_bug_gives_a_short_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", BUGGY, "explode"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "vaultkit: internal error: RuntimeError: something vaultkit did not expect\n"
        "This is a bug in vaultkit, not in your notes. Run again with --debug for the traceback "
        "and report it to the vaultkit issue tracker.\n"
    )


def test_debug_shows_the_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", BUGGY, "--debug", "explode"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.rstrip().endswith("RuntimeError: something vaultkit did not expect")


# --- add and log: names that are not plain file names, atomic writes, permissions ---------------


@pytest.mark.parametrize(
    "name, why",
    [
        (
            "a/b",
            "it contains '/'; a file name cannot hold any of < > : \" / \\ | ? * or control characters",
        ),
        (
            "a\\b",
            "it contains '\\\\'; a file name cannot hold any of < > : \" / \\ | ? * or control characters",
        ),
        (
            "../evil",
            "it contains '/'; a file name cannot hold any of < > : \" / \\ | ? * or control characters",
        ),
        ("..", "it starts with a dot (a hidden file)"),
        (
            "/etc/passwd",
            "it contains '/'; a file name cannot hold any of < > : \" / \\ | ? * or control characters",
        ),
        (
            "C:evil",
            "it contains ':'; a file name cannot hold any of < > : \" / \\ | ? * or control characters",
        ),
        ("", "it is empty"),
        ("   ", "it is empty"),
        (" Ada", "it starts or ends with a space"),
        (
            "Ada?",
            "it contains '?'; a file name cannot hold any of < > : \" / \\ | ? * or control characters",
        ),
        (
            "Ada\tLovelace",
            "it contains '\\t'; a file name cannot hold any of < > : \" / \\ | ? * or control characters",
        ),
        ("Ada.", "it ends with a dot, which Windows drops"),
        (".Ada", "it starts with a dot (a hidden file)"),
        ("CON", "it is a reserved device name on Windows"),
        ("lpt1.txt", "it is a reserved device name on Windows"),
        ("[[Ada]]", "Obsidian links cannot point to names with [ ] # or ^"),
        ("x" * 251, "it is too long for a file name"),
    ],
)
def test_add_refuses_names_that_are_not_plain_file_names(vault, tmp_path, name, why):
    root = vault({"people/Grace.md": "---\ncadence: monthly\n---\n"})
    before = fingerprint(tmp_path, skip="-")
    result = run_cli("add", name, vault=root)
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot use {name!r} as a person's note name: {why}\n"
    assert fingerprint(tmp_path, skip="-") == before


@pytest.mark.parametrize(
    "name, error",
    [
        ("", "Error: the person's name is empty"),
        ("  ", "Error: the person's name is empty"),
        ("/etc/passwd", "Error: '/etc/passwd' is a path, not a person's name"),
        ("../people/Grace", "Error: '../people/Grace' is a path, not a person's name"),
        ("..\\people\\Grace", "Error: '..\\\\people\\\\Grace' is a path, not a person's name"),
        ("C:\\Grace", "Error: 'C:\\\\Grace' is a path, not a person's name"),
        ("Team/", "Error: 'Team/' is not a person's name"),  # (not her, though an alias of hers is "Team/")
        ("Nobody", "Error: no person named 'Nobody' in people/"),
    ],
)
def test_log_refuses_paths_and_unknown_names(vault, tmp_path, name, error):
    root = vault({"people/Grace.md": "---\ncadence: monthly\naliases: [Team/]\n---\n"})
    before = fingerprint(tmp_path, skip="-")
    result = run_cli("log", name, "Coffee", vault=root, today=TODAY)
    assert result.exit_code == 1
    assert result.stderr == error + "\n"
    assert fingerprint(tmp_path, skip="-") == before


def test_a_file_name_wins_over_another_notes_alias(vault):
    root = vault({"people/Grace.md": "", "people/Amazing Grace.md": "---\naliases: [Grace]\n---\n"})
    result = run_cli("log", "grace", "Coffee", vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert (root / "people" / "Grace.md").read_text(
        encoding="utf-8"
    ) == "## Log\n- 2026-12-01 Coffee\n"


def test_log_accepts_the_note_path_a_shell_completes(vault):
    root = vault({"people/Grace.md": "---\ncadence: monthly\n---\n"})
    result = run_cli("log", "people/Grace.md", "Coffee", vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert (root / "people" / "Grace.md").read_text(encoding="utf-8") == (
        "---\ncadence: monthly\n---\n\n## Log\n- 2026-12-01 Coffee\n"
    )


def test_log_keeps_permissions_bytes_and_line_ends(vault):
    root = vault({})
    note = root / "people" / "Ada.md"
    note.parent.mkdir(parents=True)
    note.write_bytes(
        b"\xef\xbb\xbf---\r\ncadence: monthly\r\n---\r\n## Log\r\n- 2026-10-01 Coffee\r\n\r\nAfter.\r\n"
    )
    note.chmod(0o640)
    result = run_cli("log", "Ada", "Lunch", "--tag", "help", vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert note.read_bytes() == (
        b"\xef\xbb\xbf---\r\ncadence: monthly\r\n---\r\n## Log\r\n- 2026-10-01 Coffee\r\n"
        b"- 2026-12-01 Lunch #help\r\n\r\nAfter.\r\n"
    )
    assert stat.S_IMODE(note.stat().st_mode) == 0o640
    assert sorted(p.name for p in note.parent.iterdir()) == ["Ada.md"]  # no temporary file left


def test_log_through_a_symlinked_note_keeps_the_link(vault):
    root = vault({"archive/Ada.md": "---\ncadence: monthly\n---\n"})
    (root / "people").mkdir()
    os.symlink(Path("..") / "archive" / "Ada.md", root / "people" / "Ada.md")
    result = run_cli("log", "Ada", "Lunch", vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert (root / "people" / "Ada.md").is_symlink()
    assert (
        (root / "archive" / "Ada.md")
        .read_text(encoding="utf-8")
        .endswith("## Log\n- 2026-12-01 Lunch\n")
    )


def test_add_writes_a_whole_note_with_the_usual_permissions(vault):
    root = vault({"people/Grace.md": "---\ncadence: monthly\n---\n"})
    old_mask = os.umask(0o027)
    try:
        result = run_cli("add", "Ada Lovelace", "--cadence", "monthly", vault=root)
    finally:
        os.umask(old_mask)
    assert result.exit_code == 0, result.output
    note = root / "people" / "Ada Lovelace.md"
    assert stat.S_IMODE(note.stat().st_mode) == 0o640
    assert note.read_text(encoding="utf-8").startswith("---\naliases: []\ntags: []\n")
    assert sorted(p.name for p in note.parent.iterdir()) == ["Ada Lovelace.md", "Grace.md"]
    again = run_cli("add", "Ada Lovelace", vault=root)
    assert (
        again.exit_code == 1
        and again.stderr
        == "Error: 'Ada Lovelace' is already in the vault: people/Ada Lovelace.md\n"
    )


def test_add_refuses_a_people_folder_that_leads_outside(vault, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    root = vault({"events/Meetup.md": "---\ndate: 2026-12-10\n---\n"})
    os.symlink(outside, root / "people")
    result = run_cli("add", "Ada", vault=root)
    assert result.exit_code == 1
    assert result.stderr == "Error: people/ leads outside the vault (a symlink); not written\n"
    assert list(outside.iterdir()) == []


def test_unreadable_folders_are_reported(vault):
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n", "people/private/Bob.md": ""})
    (root / "people" / "private").chmod(0)
    try:
        result = run_cli("check", vault=root, today=TODAY)
    finally:
        (root / "people" / "private").chmod(0o755)
    assert result.exit_code == 1
    assert (
        result.stdout
        == "people/private: cannot read this folder: Permission denied; its notes are left out\n"
    )
