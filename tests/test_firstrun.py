"""The first five minutes on a vault that already exists: init, no people, the cache in git."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REAL, run_cli, write_vault

CARLO = REAL / "obsidian" / "czottmann-obsidian-people"
KEPANO = REAL / "obsidian" / "kepano-obsidian"


def tree(root: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def existing_vault(tmp_path: Path) -> Path:
    """czottmann's People/ and Templates/, with daily notes and a meeting note beside them."""
    root = tmp_path / "Brain"
    shutil.copytree(CARLO, root)
    write_vault(
        root,
        {
            ".obsidian/daily-notes.json": '{"folder": "Journal", "format": "YYYY/MM/YYYY-MM-DD"}',
            "Journal/2026/11/2026-11-02.md": "Lunch with [[Jane Doe]].\n",
            "Journal/2026/11/2026-11-03.md": "Nothing much.\n",
            "Journal/notes about journaling.md": "Not a daily note.\n",
            "Meetings/2026-11-04 Planning.md": "---\nParticipants: ['[[Jane Doe]]']\n---\n",
            "Areas/Steph.md": "---\ncategories: ['[[People]]']\n---\n",
            "People/People.md": "A folder note: not a person.\n",
        },
    )
    return root


SETTINGS = """\
# vaultkit settings, written by `vaultkit init` on 2026-12-04 from what it found here.
# Every key is optional; docs/settings.md says what each one does.

# The people: 2 notes in People/ (at any depth).
people_dir = "People"
# 1 more note elsewhere is tagged or categorised as people: Areas/Steph.md

# Event notes (a date and attendees), and things worth sharing; the folders need not exist.
events_dir = "events"
resources_dir = "resources"

# Also found: 2 daily notes in Journal/, format YYYY/MM/YYYY-MM-DD from .obsidian/daily-notes.json; 1 note with attendees.

# Where vaultkit writes its pages; it writes nowhere else.
output_dir = "Overview"

# How often to check in with someone who has no cadence of their own, once you have
# logged a first interaction with them; e.g. "yearly". Empty: only people with a cadence.
default_cadence = ""

# Links on the pages: "wiki" ([[Ada Lovelace]]) or "markdown" ([Ada Lovelace](../people/Ada%20Lovelace.md)).
link_style = "wiki"

# Interactions with these tags owe a thank-you, until one tagged as thanked.
thanks_tags = ["help", "gift", "intro", "referral"]
thanked_tags = ["thanked"]

# People without their own cadence get the shortest cadence of their tags:
# [cadence_by_tag]
# mentor = "monthly"
"""


def test_init_on_an_existing_vault_adds_only_vaultkit_toml(tmp_path):
    root = existing_vault(tmp_path)
    before = tree(root)
    result = run_cli("init", str(root), today="2026-12-04")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"created {root / 'vaultkit.toml'}\n"
        "Found 2 people in People/ and 1 by tag or category elsewhere, 2 daily notes, "
        "1 note with attendees; pages will go to Overview/.\n"
        f"Next: vaultkit build --vault {root}\n"
    )
    after = tree(root)
    assert after.pop("vaultkit.toml") == SETTINGS.encode("utf-8")
    assert after == before


def test_init_never_overwrites_vaultkit_toml(tmp_path):
    root = existing_vault(tmp_path)
    (root / "vaultkit.toml").write_text('people_dir = "People"\n', encoding="utf-8")
    before = tree(root)
    result = run_cli("init", str(root), today="2026-12-04")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == f"kept    {root / 'vaultkit.toml'}"
    assert tree(root) == before


def test_a_people_folder_vault_builds_its_people_after_init(tmp_path):
    root = tmp_path / "net"
    shutil.copytree(CARLO, root)
    assert run_cli("init", str(root), today="2026-12-04").exit_code == 0
    built = run_cli("build", vault=root, today="2026-12-04")
    assert built.exit_code == 0, built.output
    assert built.output.startswith("Built Overview/ from 2 people, 0 events, 0 resources; ")
    assert "Templates" not in (root / "Overview/Dashboard.md").read_text(encoding="utf-8")


def test_init_finds_kepanos_people_by_category(tmp_path):
    root = tmp_path / "kepano"
    shutil.copytree(KEPANO, root)
    result = run_cli("init", str(root), today="2026-12-04")
    assert result.output.splitlines()[1] == (
        "Found 1 person by tag or category, 0 daily notes, 1 note with attendees; pages will go to Overview/."
    )
    text = (root / "vaultkit.toml").read_text(encoding="utf-8")
    assert "# 1 more note elsewhere is tagged or categorised as people: References/Steph Ango.md\n" in text


def test_init_with_a_broken_obsidian_setting_names_it_and_writes_nothing(tmp_path):
    root = write_vault(tmp_path / "v", {"People/Ada.md": "", ".obsidian/daily-notes.json": '{"folder": "Daily",'})
    before = tree(root)
    result = run_cli("init", str(root))
    assert result.exit_code == 1
    assert result.output == (
        "Error: .obsidian/daily-notes.json:1:20: not valid JSON (Expecting property name enclosed in double "
        "quotes); fix it in Obsidian or delete it; nothing written\n"
    )
    assert tree(root) == before


def test_init_refuses_a_people_file_where_the_folder_would_go(tmp_path):
    root = write_vault(tmp_path / "v", {"people": "not a folder\n"})
    result = run_cli("init", str(root))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {root / 'people'}: a file where the people folder should be; move it away first; nothing written\n"
    )
    assert sorted(p.name for p in root.iterdir()) == ["people"]


def test_init_on_an_empty_folder_makes_the_sample_vault(tmp_path):
    root = tmp_path / "new"
    root.mkdir()
    result = run_cli("init", str(root), today="2026-11-26")
    assert result.exit_code == 0
    assert (root / "people/Ada Lovelace.md").is_file()


def test_an_empty_vaultkit_toml_means_the_defaults(vault):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n"}, settings="")
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 0, result.output
    assert (root / "Overview/Reminders.md").is_file()


NO_PEOPLE = (
    "Error: no people found in {root}: looked for notes in people/ ({state}), "
    "and anywhere for notes tagged person/people/contact or with a type or category People, Person or Contact.\n"
    "Run `vaultkit init` in the vault to find where its people are, "
    "or set people_dir in vaultkit.toml to the folder that holds them. Nothing was written.\n"
)


def test_build_and_due_without_people_say_where_they_looked_and_write_nothing(tmp_path):
    root = write_vault(tmp_path / "v", {"Notes/Ada.md": "Hello\n"})
    for command in ("build", "due"):
        result = run_cli(command, vault=root, today="2026-12-01")
        assert result.exit_code == 1
        assert result.output == NO_PEOPLE.format(root=root, state="no such folder")
    assert sorted(p.name for p in root.iterdir()) == ["Notes"]
    (root / "people").mkdir()
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.output == NO_PEOPLE.format(root=root, state="no notes in it")


def test_watch_without_people_exits_1_and_writes_nothing(tmp_path):
    root = write_vault(tmp_path / "v", {"Notes/Ada.md": "Hello\n"})
    done = subprocess.run(
        [sys.executable, "-m", "vaultkit", "watch", "--vault", str(root), "--today", "2026-12-01", "--poll"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == NO_PEOPLE.format(root=root, state="no such folder")
    assert sorted(p.name for p in root.iterdir()) == ["Notes"]


def test_git_never_shows_the_cache(tmp_path):
    root = write_vault(tmp_path / "v", {"people/Ada.md": "---\ncadence: monthly\n---\n"})

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout

    git("init", "-q")
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    assert (root / ".vaultkit/.gitignore").read_text(encoding="utf-8") == "*\n"
    assert (root / ".vaultkit/cache").is_dir()
    assert git("status", "--porcelain", "--untracked-files=all").splitlines() == [
        "?? Overview/Dashboard.md",
        "?? Overview/Events.md",
        "?? Overview/Introductions.md",
        "?? Overview/Reminders.md",
        "?? Overview/Share.md",
        "?? \"Overview/Thank-you notes.md\"",
        "?? people/Ada.md",
    ]


# --- networks of thousands ---------------------------------------------------------------


def connections_csv(path: Path, count: int) -> Path:
    rows = [
        f"Person,Number {n:04d},https://www.linkedin.com/in/p{n},,Acme,Engineer,"
        f"{n % 28 + 1:02d} {('Jan', 'Mar', 'Jun', 'Sep')[n % 4]} {2016 + n % 9}"
        for n in range(count)
    ]
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_1500_connection_import_leaves_reminders_readable(vault, tmp_path):
    root = vault(
        {
            "people/Ada Lovelace.md": "---\nmet: 2020-01-01\n---\n## Log\n- 2026-10-01 Coffee.\n",
            "people/Vint Cerf.md": "---\nmet: 2019-05-01\n---\n## Log\n- 2024-06-01 Call about the RFC.\n",
            "people/Grace Hopper.md": "---\ncadence: monthly\nmet: 2026-10-01\n---\n",
            "people/Alan Kay.md": "---\nmet: 2018-03-01\n---\n",  # met, never in touch
        },
        settings='default_cadence = "yearly"\n',
    )
    imported = run_cli("import", "linkedin", str(connections_csv(tmp_path / "Connections.csv", 1500)), vault=root)
    assert imported.exit_code == 0, imported.output
    assert len(list((root / "people").iterdir())) == 1504
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    page = (root / "Overview/Reminders.md").read_text(encoding="utf-8")
    assert page == (
        "<!-- generated by vaultkit: edit the notes, not this page -->\n"
        "# Reminders — Tuesday 1 December 2026\n"
        "\n"
        "## Overdue check-ins (2)\n"
        "- [[Vint Cerf]] — yearly, last contact 2024-06-01 (548 days overdue). "
        "Last time (2024-06-01): Call about the RFC.\n"
        "- [[Grace Hopper]] — monthly, met 2026-10-01, no contact since (30 days overdue).\n"
        "\n"
        "## Due this week (0)\n"
        "Nobody is due this week.\n"
        "\n"
        "## Follow-ups (0)\n"
        "No follow-up is due this week.\n"
        "\n"
        "## Birthdays in the next 30 days (0)\n"
        "No birthdays in the next 30 days.\n"
        "\n"
        "## Introductions to follow up (0)\n"
        "Every introduction has been followed up.\n"
        "\n"
        "## Drifted — reconnect (1)\n"
        "- [[Vint Cerf]] — nothing for 2 years 6 months (last contact 2024-06-01).\n"
    )


def overdue_people(count: int) -> dict[str, str]:
    return {
        f"people/P{n:02d}.md": f"---\ncadence: monthly\n---\n## Log\n- 2026-{n % 9 + 1:02d}-{n % 27 + 1:02d} Call.\n"
        for n in range(count)
    }


def test_each_reminders_section_shows_page_limit_entries_then_how_many_more(vault):
    root = vault(overdue_people(25), settings="page_limit = 3\n")
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    page = (root / "Overview/Reminders.md").read_text(encoding="utf-8")
    start = page.index("## Overdue")
    assert page[start : page.index("## Due this week")] == (
        "## Overdue check-ins (25)\n"
        "- [[P00]] — monthly, last contact 2026-01-01 (303 days overdue). Last time (2026-01-01): Call.\n"
        "- [[P09]] — monthly, last contact 2026-01-10 (294 days overdue). Last time (2026-01-10): Call.\n"
        "- [[P18]] — monthly, last contact 2026-01-19 (285 days overdue). Last time (2026-01-19): Call.\n"
        "- …and 22 more: vaultkit due --all\n"
        "\n"
    )
    due = run_cli("due", vault=root, today="2026-12-01").output
    assert due.count(" — monthly, last contact") == 3  # `due` cuts as the page does
    assert "- …and 22 more: vaultkit due --all\n" in due
    every = run_cli("due", "--all", vault=root, today="2026-12-01").output
    assert "## Overdue check-ins (25)\n" in every
    assert every.count(" — monthly, last contact") == 25
    assert "more: vaultkit due --all" not in every


def test_due_json_is_cut_the_same_and_says_how_many_more(vault):
    import json

    root = vault(overdue_people(25))
    data = json.loads(run_cli("due", "--json", vault=root, today="2026-12-01").output)
    assert len(data["overdue"]) == 20
    assert data["more"] == {"overdue": 5, "due_soon": 0, "followups": 0, "birthdays": 0, "introductions": 0, "drifted": 3}
    data = json.loads(run_cli("due", "--json", "--all", vault=root, today="2026-12-01").output)
    assert len(data["overdue"]) == 25
    assert data["more"]["overdue"] == 0


def test_page_limit_must_be_a_whole_number(vault):
    root = vault({"people/Ada.md": ""}, settings='page_limit = "many"\n')
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {root / 'vaultkit.toml'}: invalid settings:\n"
        "  page_limit: expected a whole number of 1 or more, got 'many'\n"
    )


# --- finding the person a command means ------------------------------------------------------

LOOKUP = {
    "people/Ada Lovelace.md": "---\naliases: [Countess of Lovelace]\n---\n## Log\n",
    "people/Ada Byron.md": "---\nname: Ada Byron King\n---\n## Log\n",
    "people/José Núñez.md": "## Log\n",
    "people/Grace Hopper.md": "## Log\n",
    "people/Charles Babbage.md": "## Log\n",
}


def shown_name(root: Path, query: str) -> str:
    result = run_cli("show", query, vault=root, today="2026-12-01")
    return result.output.splitlines()[0] if result.exit_code == 0 else result.output


def test_lookup_by_name_alias_first_name_and_prefix_any_case_and_accent(vault):
    root = vault(LOOKUP)
    assert {q: shown_name(root, q) for q in (
        "ada lovelace", "ADA BYRON KING", "countess of lovelace", "jose nunez", "JOSÉ", "grace", "charl", "people/Grace Hopper.md",
    )} == {
        "ada lovelace": "# Ada Lovelace",
        "ADA BYRON KING": "# Ada Byron King",
        "countess of lovelace": "# Ada Lovelace",
        "jose nunez": "# José Núñez",
        "JOSÉ": "# José Núñez",
        "grace": "# Grace Hopper",
        "charl": "# Charles Babbage",
        "people/Grace Hopper.md": "# Grace Hopper",
    }


def test_an_ambiguous_first_name_lists_the_candidates_and_writes_nothing(vault):
    root = vault(LOOKUP)
    before = tree(root)
    for command in (["show", "ada"], ["log", "ada", "Coffee"], ["snooze", "ada", "2w"], ["thank", "ada"], ["done", "ada", "1"]):
        result = run_cli(*command, vault=root, today="2026-12-01")
        assert (result.exit_code, result.output) == (
            1,
            "Error: 'ada' could be several people: people/Ada Byron.md, people/Ada Lovelace.md; give the full name\n",
        ), command
    assert tree(root) == before


def test_a_typo_names_the_closest_people_and_writes_nothing(vault):
    root = vault(LOOKUP)
    before = tree(root)
    result = run_cli("log", "Ada Lovleace", "Coffee", vault=root, today="2026-12-01")
    assert (result.exit_code, result.output) == (
        1,
        "Error: no person named 'Ada Lovleace' in people/; did you mean Ada Lovelace?\n",
    )
    result = run_cli("show", "Grcae", vault=root, today="2026-12-01")
    assert result.output == "Error: no person named 'Grcae' in people/; did you mean Grace Hopper?\n"
    result = run_cli("show", "Zed", vault=root, today="2026-12-01")
    assert result.output == "Error: no person named 'Zed' in people/\n"
    assert tree(root) == before


# --- the command line itself -------------------------------------------------------------------


def under_a_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """Run vaultkit with its standard output and error on a pseudo-terminal, as a user sees it."""
    import os
    import pty

    leader, follower = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | env
    done = subprocess.run(
        [sys.executable, "-m", "vaultkit", *args], stdout=follower, stderr=follower, env=full_env, timeout=60
    )
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end is closed: all read
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert done.returncode == 1
    return out


def test_no_color_and_no_color_flag_under_a_terminal(vault):
    root = vault({"people/Ada.md": "---\ncadence: sometimes\n---\n"})
    args = ["build", "--vault", str(root), "--today", "2026-12-01"]
    coloured = under_a_terminal(args, {})
    assert b"\x1b[31mpeople/Ada.md:2: cadence: unknown cadence 'sometimes'" in coloured
    for plain in (under_a_terminal(args, {"NO_COLOR": "1"}), under_a_terminal(["--no-color", *args], {})):
        assert b"\x1b[" not in plain
        assert b"people/Ada.md:2: cadence: unknown cadence 'sometimes'" in plain


def test_plain_vaultkit_prints_the_help_and_succeeds():
    result = run_cli()
    assert result.exit_code == 0
    assert result.output.startswith("Usage: cli [OPTIONS] [COMMAND] [ARGS]...\n\n  vaultkit: a plain-text personal CRM.\n")
    commands = result.output.split("Commands:\n")[1].splitlines()
    assert len(commands) == 14
    assert not [line for line in commands if line.endswith("...")]
    done = subprocess.run([sys.executable, "-m", "vaultkit"], capture_output=True, text=True)
    assert (done.returncode, done.stdout.splitlines()[0]) == (0, "Usage: vaultkit [OPTIONS] [COMMAND] [ARGS]...")
    for group in ("export", "import"):
        listed = run_cli(group, "--help").output.split("Commands:\n")[1].splitlines()
        assert listed and not [line for line in listed if line.endswith("...")]


def test_add_takes_the_common_fields(vault):
    root = vault({"people/Ada.md": ""})
    result = run_cli(
        "add", "Ada Byron", "--email", "ada@example.com", "--email", "countess@example.org", "--alias", "Countess",
        "--role", "CTO", "--company", "Analytical Engines", "--birthday", "--12-10", "--met", "2026-01-02",
        "--cadence", "monthly", "--tag", "mentor", vault=root,
    )
    assert result.output == "created people/Ada Byron.md\n"
    assert (root / "people/Ada Byron.md").read_text(encoding="utf-8") == (
        "---\naliases: [Countess]\ntags: [mentor]\ncompany: Analytical Engines\nrole: CTO\n"
        "email: [ada@example.com, countess@example.org]\nbirthday: \"--12-10\"\nmet: 2026-01-02\nhow_met:\n"
        "cadence: monthly\ninterests: []\ngroups: []\nstatus: active\n---\n"
        "How we know each other, what Ada Byron cares about.\n\n## Log\n\n## Follow-ups\n"
    )
    assert run_cli("check", vault=root, today="2026-12-01").exit_code == 0
    assert shown_name(root, "countess") == "# Ada Byron — CTO, Analytical Engines"


def test_add_refuses_bad_fields_and_writes_nothing(vault):
    root = vault({"people/Ada.md": ""})
    for args, message in (
        (["--email", "nope"], "Error: --email 'nope' is not an email address (like ada@example.com)\n"),
        (["--birthday", "12-10"], "Error: --birthday '12-10': expected YYYY-MM-DD, or --MM-DD when the year is unknown\n"),
    ):
        result = run_cli("add", "Bo", *args, vault=root)
        assert (result.exit_code, result.output) == (1, message)
    assert sorted(p.name for p in (root / "people").iterdir()) == ["Ada.md"]


def test_add_starts_from_the_vaults_obsidian_people_template(tmp_path):
    """czottmann's template: its keys filled in their own spelling, comments and blank lines kept."""
    template = (REAL / "obsidian/czottmann-obsidian-people/Templates/Person.md").read_text(encoding="utf-8")
    root = write_vault(tmp_path / "v", {
        ".obsidian/templates.json": '{"folder": "Templates"}',
        "Templates/Person.md": template,
        "People/Jane Doe.md": "---\nEmail: jane@example.com\n---\n",
    })
    result = run_cli("add", "Ada Lovelace", "--company", "Analytical Engines", "--email", "ada@example.com",
                     "--tag", "mentor", "--cadence", "monthly", vault=root, today="2026-12-04")
    assert result.stdout == "created People/Ada Lovelace.md\n"
    text = (root / "People/Ada Lovelace.md").read_text(encoding="utf-8")
    expected = (template.replace("Company:\n", "Company: Analytical Engines\n").replace("Email:\n", "Email: ada@example.com\n")
                .replace("tags:\n  - Person\n", "tags: [mentor]\n").replace("Signal:\n---\n", "Signal:\ncadence: monthly\n---\n"))
    uid = text.split("\n")[2]
    assert uid.startswith('uid: "p') and uid[7:-1].isdigit()  # `{{date:\\px}}`: a time in milliseconds
    assert text.replace(uid, 'uid: "{{date:\\\\px}}"') == expected
    assert run_cli("show", "Ada", vault=root, today="2026-12-04").exit_code == 0


def test_add_fills_title_and_date_of_kepanos_people_template(tmp_path):
    template = (REAL / "obsidian/kepano-obsidian/Templates/People Template.md").read_text(encoding="utf-8")
    root = write_vault(tmp_path / "v", {"Templates/People Template.md": template, "people/Grace Hopper.md": ""})
    assert run_cli("add", "Ada Lovelace", "--birthday", "1815-12-10", vault=root, today="2026-12-04").exit_code == 0
    assert (root / "people/Ada Lovelace.md").read_text(encoding="utf-8") == (
        '---\ncategories:\n  - "[[People]]"\nbirthday: 1815-12-10\norg: []\ncreated: 2026-12-04\n---\n## Meetings\n\n![[Meetings.base#Person]]'
    )
