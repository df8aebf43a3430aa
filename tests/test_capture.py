"""Interactions from the whole vault (issue 13): a kepano-layout vault and a Dataview-style vault,
each with last contacts, sources, follow-ups and thanks worked out by hand for a fixed day."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REAL, run_cli, write_vault

TODAY = "2026-11-20"
KEPANO = REAL / "obsidian" / "kepano-obsidian"


def shown(root: Path, name: str) -> dict:
    result = run_cli("show", name, "--json", vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def kepano_vault(tmp_path: Path) -> Path:
    """kepano's layout: people at the root with `categories: ["[[People]]"]`, meeting notes with
    `people:`, templates in Templates/ (as .obsidian/templates.json says), daily notes in
    Journal/YYYY/MM/DD (as .obsidian/daily-notes.json says)."""
    root = tmp_path / "kepano"
    for rel in ("References/Steph Ango.md", "Notes/2023-09-12 Meeting with Steph.md", "Templates/People Template.md"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(KEPANO / rel, root / rel)
    return write_vault(root, {
        ".obsidian/templates.json": '{"folder": "Templates"}',
        ".obsidian/daily-notes.json": '{"folder": "Journal", "format": "YYYY/MM/DD"}',
        "Ada Lovelace.md": """\
            ---
            categories: ["[[People]]"]
            last contacted: 2026-09-01
            bday: 1815-12-10
            org: ["[[Analytical Engines]]"]
            cadence: monthly
            ---
            Mathematician; cares about engines and poetry.
            """,
        "Grace Hopper.md": "---\ntags: [person, navy]\n---\n",
        "Notes/2026-11-02 Coffee with Ada.md": """\
            ---
            categories: ["[[Meetings]]"]
            date: 2026-11-02T10:30
            people: ["[[Ada Lovelace]]", "[[Nobody Here]]"]
            ---
            Talked about the difference engine.
            """,
        "Journal/2026/11/10.md": "Lunch with [[Ada Lovelace]] and [[Grace Hopper]]; she helped me with the talk #help\n",
        "Journal/2026/11/12.md": """\
            ```
            [[Grace Hopper]] in a code block
            ```
            > quoted [[Grace Hopper]]
            <!-- [[Grace Hopper]] in a comment -->
            %% [[Grace Hopper]] in a comment %%
            Inline code: `[[Grace Hopper]]`
            ## A heading with [[Grace Hopper]]
            - [ ] Send [[Grace Hopper]] the slides 📅 2026-11-25
            """,
        "Journal/2026/11/25.md": "Dinner with [[Grace Hopper]]\n",
        "Projects/Roadmap.md": "Ask [[Ada Lovelace]] about engines\n- 2026-11-15 Call with [[Ada Lovelace]]\n",
    })


def test_kepano_layout_last_contacts_and_their_sources(tmp_path):
    root = kepano_vault(tmp_path)
    ada = shown(root, "Ada Lovelace")
    assert ada["path"] == "Ada Lovelace.md"
    assert ada["last_contact"] == "2026-11-15"  # the dated line of an undated note; `last contacted` is older
    assert ada["interactions"] == [
        {"date": "2026-11-15", "text": "Call with [[Ada Lovelace]]", "tags": [], "path": "Projects/Roadmap.md", "line": 2},
        {"date": "2026-11-10", "text": "Lunch with [[Ada Lovelace]] and [[Grace Hopper]]; she helped me with the talk #help",
         "tags": ["help"], "path": "Journal/2026/11/10.md", "line": 1},
        {"date": "2026-11-02", "text": "2026-11-02 Coffee with Ada", "tags": [], "path": "Notes/2026-11-02 Coffee with Ada.md", "line": 4},
    ]  # fmt: skip
    grace = shown(root, "Grace Hopper")
    assert grace["last_contact"] == "2026-11-10"  # code, quotes, comments, a heading, a task and a plan count for nothing
    assert grace["interactions"] == [
        {"date": "2026-11-10", "text": "Lunch with [[Ada Lovelace]] and [[Grace Hopper]]; she helped me with the talk #help",
         "tags": [], "path": "Journal/2026/11/10.md", "line": 1},
    ]  # fmt: skip
    assert grace["followups"] == [
        {"text": "Send [[Grace Hopper]] the slides", "due": "2026-11-25", "path": "Journal/2026/11/12.md", "line": 9},
    ]
    steph = shown(root, "Steph Ango")
    assert (steph["path"], steph["last_contact"]) == ("References/Steph Ango.md", "2023-09-12")


def test_kepano_layout_pages_and_problems(tmp_path):
    root = kepano_vault(tmp_path)
    result = run_cli("build", vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert "from 3 people" in result.stdout  # Ada, Grace, Steph; not the People Template
    assert "Notes/2026-11-02 Coffee with Ada.md:4: warning: people: 'Nobody Here' is no person in the vault" in result.output
    thanks = (root / "Overview" / "Thank-you notes.md").read_text(encoding="utf-8")
    assert thanks.split("\n", 3)[3] == (  # #help is for the first person the line links: Ada, not Grace
        "1 person to thank, oldest favour first. Log a line tagged #thanked on their note (or run `vaultkit thank NAME`) once you have.\n"
        "\n"
        "## [[Ada Lovelace]]\n"
        "- On 2026-11-10 (help): Lunch with [[Ada Lovelace]] and [[Grace Hopper]]; she helped me with the talk #help\n"
        "- Draft: [[Overview/Thank-you notes/Ada Lovelace|thank-you note to Ada Lovelace]]\n"
    )
    card = run_cli("show", "Ada Lovelace", vault=root, today=TODAY).stdout
    assert "- On 2026-11-15: Call with [[Ada Lovelace]] — in [[Projects/Roadmap]]\n" in card
    assert "Analytical Engines" in card and "[[Analytical Engines]]" not in card  # a company given as a link


def dataview_vault(tmp_path: Path) -> Path:
    """People notes with their own key spellings, Dataview inline fields and date headings;
    a meeting note with `participants`; a daily note with a Dataview field and a task."""
    return write_vault(tmp_path / "dataview", {
        "People/Katherine Johnson.md": """\
            ---
            lastContact: 2026-08-01
            Contact Frequency: quarterly
            ---
            birthday:: 1918-08-26

            ## Log
            ### 2026-10-15
            - Talked orbital mechanics
            - Sent the paper #shared
            ### 2026-10-20 Conference call
            ## Notes
            Prefers mornings.
            """,
        "People/Margaret Hamilton.md": "---\nLast-Contact: 2026-07-01\nlast_contact: 2026-06-01\n---\n",
        "People/People.md": "---\ntags: [index]\n---\nA folder note: not a person.\n",
        "meetings/Apollo review.md": """\
            ---
            date: 2026-11-03 14:00
            participants: ["[[Katherine Johnson]]", "[[Margaret Hamilton]]"]
            ---
            """,
        "daily/2026-11-05.md": """\
            [person:: [[Margaret Hamilton]]] reviewed the code
            - [ ] Follow up with [[Katherine Johnson]] [due:: 2026-11-10]
            """,
        "daily/2026-11-30.md": "Plan: visit [[Katherine Johnson]]\n",
    })


def test_dataview_style_last_contacts_sources_and_follow_ups(tmp_path):
    root = dataview_vault(tmp_path)
    katherine = shown(root, "Katherine Johnson")
    assert (katherine["last_contact"], katherine["due"]) == ("2026-11-03", "2027-02-03")  # `Contact Frequency`: quarterly
    assert katherine["interactions"] == [
        {"date": "2026-11-03", "text": "Apollo review", "tags": [], "path": "meetings/Apollo review.md", "line": 3},
        {"date": "2026-10-20", "text": "Conference call", "tags": [], "path": "People/Katherine Johnson.md", "line": 11},
        {"date": "2026-10-15", "text": "Sent the paper #shared", "tags": ["shared"], "path": "People/Katherine Johnson.md", "line": 10},
        {"date": "2026-10-15", "text": "Talked orbital mechanics", "tags": [], "path": "People/Katherine Johnson.md", "line": 9},
    ]  # fmt: skip
    assert katherine["followups"] == [
        {"text": "Follow up with [[Katherine Johnson]]", "due": "2026-11-10", "path": "daily/2026-11-05.md", "line": 2},
    ]
    margaret = shown(root, "Margaret Hamilton")
    assert margaret["last_contact"] == "2026-11-05"
    assert [(i["date"], i["path"]) for i in margaret["interactions"]] == [
        ("2026-11-05", "daily/2026-11-05.md"),
        ("2026-11-03", "meetings/Apollo review.md"),
    ]
    card = run_cli("show", "Katherine Johnson", vault=root, today=TODAY).stdout
    assert "\nBirthday: Thursday 26 August (born 1918)\n" in card  # from the Dataview field `birthday::`
    assert "\n## Planned\n- On 2026-11-30: Plan: visit [[Katherine Johnson]] — in [[daily/2026-11-30]]\n" in card


def test_dataview_style_check_names_duplicate_spellings_and_the_folder_note_is_nobody(tmp_path):
    root = dataview_vault(tmp_path)
    result = run_cli("check", vault=root, today=TODAY)
    assert "People/Margaret Hamilton.md:2: warning: Last-Contact and last_contact are both last_contact; last_contact is used" in result.output
    assert "after today" not in result.output  # a daily note made ahead is a plan, and no mistake
    assert run_cli("show", "People", vault=root, today=TODAY).exit_code == 1


def pages(root: Path) -> dict[str, str]:
    out = root / "Overview"
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.md"))}


def test_editing_and_deleting_a_daily_note_moves_last_contact_and_a_build_equals_a_fresh_one(tmp_path):
    root = kepano_vault(tmp_path)
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    daily = root / "Journal/2026/11/18.md"
    daily.parent.mkdir(parents=True, exist_ok=True)
    daily.write_text("Walk with [[Grace Hopper]]\n", encoding="utf-8")
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    assert shown(root, "Grace Hopper")["last_contact"] == "2026-11-18"
    cached = pages(root)
    assert run_cli("build", "--no-cache", vault=root, today=TODAY).exit_code == 0
    assert pages(root) == cached  # the cache kept each note's contributions, nothing stale
    daily.unlink()
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    assert shown(root, "Grace Hopper")["last_contact"] == "2026-11-10"  # its interaction went with it
    reminders = (root / "Overview/Reminders.md").read_text(encoding="utf-8")
    assert "Walk with" not in reminders


def test_a_ledger_note_of_an_import_counts_as_contact(tmp_path):
    root = write_vault(tmp_path / "ledger", {
        "people/Ada Lovelace.md": "---\nemail: ada@example.com\ncadence: monthly\n---\n",
        "Interactions/2026-11 mail.md": (
            "---\nsource: mail\n---\n"
            '- 2026-11-02 Email to [[Ada Lovelace]]: "Re: PyData CFP" ^mail-3f2a9c1b\n'
            "- 2026-11-30 Email to [[Ada Lovelace]]: a plan is no contact ^mail-00000001\n"
        ),
    })
    ada = shown(root, "Ada Lovelace")
    assert ada["last_contact"] == "2026-11-02"
    assert ada["interactions"] == [
        {"date": "2026-11-02", "text": 'Email to [[Ada Lovelace]]: "Re: PyData CFP"', "tags": [], "path": "Interactions/2026-11 mail.md", "line": 4},
    ]


def test_a_broken_daily_notes_config_is_a_warning_and_the_rest_builds(tmp_path):
    root = write_vault(tmp_path / "broken", {
        ".obsidian/daily-notes.json": '{"folder": "Journal",\n "format": "YYYY-MM-DD" "x"}',
        "people/Ada Lovelace.md": "---\ncadence: monthly\n---\n",
        "Journal/2026-11-10.md": "Tea with [[Ada Lovelace]]\n",  # still dated by its file name
    })
    result = run_cli("build", vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert ".obsidian/daily-notes.json: warning: not JSON (line 2, column 25): Expecting ',' delimiter; daily notes are read by file name only" in result.output
    assert shown(root, "Ada Lovelace")["last_contact"] == "2026-11-10"


def test_inline_code_is_text_of_the_line_but_never_a_link_tag_or_date(tmp_path):
    """`code` in a log line, under a date heading, in a daily note's line or in a task is shown
    as written; a link, tag or date inside it counts for nothing; a comment stays hidden."""
    root = write_vault(tmp_path / "v", {
        "people/Ada Lovelace.md": """\
            ---
            cadence: monthly
            ---
            - 2026-11-02 Paired on `engine.py` with her, not `[[Grace Hopper]]` #pairing `#nottag`
            - [ ] Send her the `notes.md` draft %% not this %% 📅 2026-11-25

            ### 2026-10-05
            - Reviewed `2026-09-01 plan` together
            """,
        "people/Grace Hopper.md": "Grace.\n",
        "Daily/2026-11-10.md": "Talked `cargo build` with [[Ada Lovelace]]\n- [ ] Ask [[Ada Lovelace]] for `the key`\n",
    })
    ada = shown(root, "Ada Lovelace")
    assert [(i["date"], i["text"], i["tags"], i["path"], i["line"]) for i in ada["interactions"]] == [
        ("2026-11-10", "Talked `cargo build` with [[Ada Lovelace]]", [], "Daily/2026-11-10.md", 1),
        ("2026-11-02", "Paired on `engine.py` with her, not `[[Grace Hopper]]` #pairing `#nottag`", ["pairing"], "people/Ada Lovelace.md", 4),
        ("2026-10-05", "Reviewed `2026-09-01 plan` together", [], "people/Ada Lovelace.md", 8),
    ]  # fmt: skip
    assert [(f["text"], f["due"], f["path"]) for f in ada["followups"]] == [
        ("Send her the `notes.md` draft", "2026-11-25", "people/Ada Lovelace.md"),
        ("Ask [[Ada Lovelace]] for `the key`", None, "Daily/2026-11-10.md"),
    ]
    grace = shown(root, "Grace Hopper")
    assert (grace["last_contact"], grace["interactions"]) == (None, [])  # her link was in code


def test_a_link_in_code_in_an_event_or_resource_note_is_no_link(tmp_path):
    root = write_vault(tmp_path / "v", {
        "people/Ada Lovelace.md": "Ada.\n",
        "events/2026-12-05 Meetup.md": "Wear the `[[Nobody Here]]` badge; invite [[Nobody There]]\n",
        "resources/Guide.md": "---\ntags: [python]\n---\nSee `[[Nowhere]]`.\n",
    })
    result = run_cli("check", vault=root, today=TODAY)
    assert "Nobody There" in result.output
    assert "Nobody Here" not in result.output and "Nowhere" not in result.output


def test_code_at_the_start_of_a_line_and_a_field_inside_code_stay_text(tmp_path):
    root = write_vault(tmp_path / "v", {
        "people/Ada Lovelace.md": """\
            - 2026-11-02 `engine.py` refactor, paired
            - [ ] `make release` before Friday
            - [ ] Set `📅 2026-01-01` in config 📅 2026-12-20

            ### 2026-11-05
            - `cargo build` fixed together

            ### \u00a02026-11-06
            - under a heading whose date follows a no-break space: no date heading
            """,
        "Daily/2026-11-10.md": "`git bisect` session with [[Ada Lovelace]]\n",
    })
    ada = shown(root, "Ada Lovelace")
    assert [(i["date"], i["text"]) for i in ada["interactions"]] == [
        ("2026-11-10", "`git bisect` session with [[Ada Lovelace]]"),
        ("2026-11-05", "`cargo build` fixed together"),
        ("2026-11-02", "`engine.py` refactor, paired"),
    ]
    assert [(f["text"], f["due"]) for f in ada["followups"]] == [
        ("Set `📅 2026-01-01` in config", "2026-12-20"),
        ("`make release` before Friday", None),
    ]
    done = run_cli("done", "Ada Lovelace", "before", vault=root, today=TODAY)
    assert (done.exit_code, done.output) == (0, "people/Ada Lovelace.md:2: done: `make release` before Friday\n")


def test_a_comment_marker_inside_code_is_code():
    from vaultkit.read.masks import hide_comments, mask

    line = "- [ ] Check `a %% b` and `c %% d` please %% mine %%\n- 2026-11-02 <!-- `x --> y` z\n"
    assert hide_comments(line) == line.replace("%% mine %%", " " * 10).replace("<!-- `x -->", " " * 11)
    assert mask(line) == line.replace("`a %% b`", " " * 8).replace("`c %% d`", " " * 8).replace("%% mine %%", " " * 10).replace(
        "<!-- `x -->", " " * 11
    )
