"""The note reader (notes.py + records.py) on hostile and broken notes: never an exception,
always a Note and problems that say where (path, line, column) and what was expected."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vaultkit.errors import Problem
from vaultkit.read.note import Note, parse_note, read_note
from vaultkit.read.records import event_from_note, person_from_note, resource_from_note

REL = "people/Ada Lovelace.md"


def read(data: bytes) -> Note:
    return parse_note(data, REL)


def person_problems(data: bytes) -> list[str]:
    """Every problem of a note read as a person, as `check` prints them."""
    note = read(data)
    if not note.readable:
        return [str(p) for p in note.problems]
    _, problems = person_from_note(note)
    return sorted(str(p) for p in problems)


def only_problem(data: bytes) -> Problem:
    note = read(data)
    assert len(note.problems) == 1, note.problems
    return note.problems[0]


# --- front matter that is not a mapping of text keys -----------------------------------------


def test_invalid_yaml_names_line_and_column():
    note = read(b"---\ncadence: monthly\nname: [Ada\n---\nBody.\n")
    assert not note.readable
    assert [str(p) for p in note.problems] == [
        "people/Ada Lovelace.md:4:1: invalid YAML in front matter: did not find expected ',' or ']' "
        "(while parsing a flow sequence started at line 3, column 7)"
    ]
    assert note.problems[0].line == 4 and note.problems[0].column == 1


def test_tab_indent_is_explained():
    problem = only_problem(b"---\ntags:\n\t- python\n---\n")
    assert str(problem) == (
        "people/Ada Lovelace.md:3:1: invalid YAML in front matter: a tab character; "
        "YAML indents with spaces only"
    )


def test_front_matter_that_is_a_list():
    assert str(only_problem(b"---\n- python\n- london\n---\n")) == (
        "people/Ada Lovelace.md:2: front matter must be keys and values (a mapping), found a list"
    )


def test_front_matter_that_is_a_scalar():
    assert str(only_problem(b"---\njust some words\n---\n")) == (
        "people/Ada Lovelace.md:2: front matter must be keys and values (a mapping), "
        "found a single value"
    )


def test_non_string_keys_are_ignored_with_a_problem_each():
    note = read(b"---\n1: one\ncadence: monthly\n[a, b]: list\ntrue: yes\n2026-01-01: day\n---\n")
    assert note.readable
    assert note.meta == {"cadence": "monthly"}
    assert [str(p) for p in note.problems] == [
        "people/Ada Lovelace.md:2: key 1 is not text; ignored",
        "people/Ada Lovelace.md:4: key ['a', 'b'] is not text; ignored",
        "people/Ada Lovelace.md:5: key True is not text; ignored",
        "people/Ada Lovelace.md:6: key datetime.date(2026, 1, 1) is not text; ignored",
    ]


def test_duplicate_keys_last_wins_and_each_repeat_is_named():
    note = read(b"---\ntags: [a]\ncadence: monthly\ntags: [b]\nsocial:\n  x: 1\n  x: 2\n---\n")
    assert note.readable
    assert note.meta["tags"] == ["b"] and note.meta["social"] == {"x": 2}
    assert sorted(str(p) for p in note.problems) == [
        "people/Ada Lovelace.md:4: duplicate key 'tags'; the last one wins",
        "people/Ada Lovelace.md:7: duplicate key 'x'; the last one wins",
    ]


def test_an_unrendered_template_placeholder_is_explained():
    assert str(only_problem(b"---\nbirthday:\ncreated: {{date}}\n---\n")) == (
        "people/Ada Lovelace.md:3:11: invalid YAML in front matter: braces or brackets read as a "
        'key; quote text like "{{date}}"'
    )


def test_merge_keys_work_and_own_keys_override_them():
    note = read(b"---\nbase: &b {tags: [x], cadence: monthly}\n<<: *b\ntags: [y]\n---\n")
    assert note.readable and note.problems == ()
    assert note.meta == {
        "tags": ["y"],
        "cadence": "monthly",
        "base": {"tags": ["x"], "cadence": "monthly"},
    }


def test_merge_of_a_scalar_is_a_problem():
    assert str(only_problem(b"---\n<<: 5\n---\n")) == (
        "people/Ada Lovelace.md:2:5: invalid YAML in front matter: expected a mapping or list of "
        "mappings for merging, but found scalar (while constructing a mapping started at line 2, column 1)"
    )


@pytest.mark.parametrize("data", [b"---\ncadence: monthly\n", b"---", b"---\n"])
def test_unterminated_fence(data):
    note = read(data)
    assert not note.readable
    assert [str(p) for p in note.problems] == [
        "people/Ada Lovelace.md:1: front matter opened with '---' on line 1 is never closed with '---'"
    ]


def test_a_fence_with_trailing_spaces_is_named_not_silently_dropped():
    note = read(b"--- \ncadence: monthly\n---\n")
    assert note.meta == {}
    assert [str(p) for p in note.problems] == [
        "people/Ada Lovelace.md:1: line 1 is '---' with spaces after it; remove them so the "
        "front matter is read"
    ]


def test_a_note_without_front_matter_is_all_body():
    note = read(b"Met at PyCon.\n\n- 2026-10-01 Coffee\n")
    assert note.readable and note.meta == {} and note.problems == ()
    person, problems = person_from_note(note)
    assert problems == [] and [i.when for i in person.interactions] == [date(2026, 10, 1)]


# --- encodings and odd files -----------------------------------------------------------------

GOOD = (
    "---\n"
    "aliases: [Ada]\n"
    "tags: [python, london]\n"
    "cadence: monthly\n"
    "birthday: 1815-12-10\n"
    "---\n"
    "Countess.\n"
    "\n"
    "## Log\n"
    "- 2026-10-01 Coffee #help\n"
    "- [ ] Send the slides 📅 2026-12-05\n"
)


@pytest.mark.parametrize(
    "data",
    [
        GOOD.encode("utf-8"),
        b"\xef\xbb\xbf" + GOOD.encode("utf-8"),
        GOOD.replace("\n", "\r\n").encode("utf-8"),
        b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["plain", "bom", "crlf", "bom+crlf"],
)
def test_bom_and_crlf_notes_read_fully(data):
    note = read(data)
    assert note.readable and note.problems == ()
    person, problems = person_from_note(note)
    assert problems == []
    assert person.aliases == ("Ada",)
    assert person.tags == ("python", "london")
    assert person.cadence is not None and person.cadence.label == "monthly"
    assert (person.birthday.month, person.birthday.day) == (12, 10)
    assert [(i.when, i.text, i.tags, i.line) for i in person.interactions] == [
        (date(2026, 10, 1), "Coffee #help", ("help",), 10)
    ]
    assert [(f.text, f.due, f.line) for f in person.followups] == [
        ("Send the slides", date(2026, 12, 5), 11)
    ]
    assert person.about == "Countess."
    assert note.key_lines == {"aliases": 2, "tags": 3, "cadence": 4, "birthday": 5}


def test_latin1_note_is_named_with_its_line():
    data = "---\ncadence: monthly\nname: José\n---\n".encode("latin-1")
    note = read(data)
    assert not note.readable
    assert [str(p) for p in note.problems] == [
        "people/Ada Lovelace.md:3: not UTF-8 text (byte 0xe9); re-save the note as UTF-8"
    ]


def test_utf16_note_is_named():
    assert str(only_problem("---\nname: x\n---\n".encode("utf-16"))) == (
        "people/Ada Lovelace.md:1: UTF-16 text; re-save the note as UTF-8"
    )


def test_binary_file_with_md_name():
    note = read(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert not note.readable
    assert [str(p) for p in note.problems] == [
        "people/Ada Lovelace.md: a binary file, not a Markdown note"
    ]


def test_empty_file_is_a_valid_note_with_no_keys():
    note = read(b"")
    assert note.readable and note.meta == {} and note.body == "" and note.problems == ()
    person, problems = person_from_note(note)
    assert problems == [] and person.name == "Ada Lovelace" and person.cadence is None


def test_empty_front_matter_is_fine():
    note = read(b"---\n---\nBody\n")
    assert note.readable and note.meta == {} and note.body == "Body\n" and note.problems == ()


def test_control_character_in_front_matter_names_line_and_column():
    assert str(only_problem(b"---\nname: ok\nrole: a\x07b\n---\n")) == (
        "people/Ada Lovelace.md:3:8: invalid YAML in front matter: character U+0007 is not allowed"
    )


# --- git conflicts ---------------------------------------------------------------------------


def test_git_conflict_markers_in_front_matter():
    data = b"---\ntags: [a]\n<<<<<<< HEAD\ncadence: monthly\n=======\ncadence: weekly\n>>>>>>> theirs\n---\n"
    note = read(data)
    assert not note.readable
    assert [str(p) for p in note.problems] == [
        "people/Ada Lovelace.md:3: unresolved git merge conflict (<<<<<<< ... ======= ... >>>>>>>); resolve it"
    ]


def test_git_conflict_markers_in_body():
    data = b"---\ncadence: monthly\n---\n## Log\n<<<<<<< ours\n- 2026-10-01 a\n=======\n- 2026-10-02 b\n>>>>>>> theirs\n"
    assert only_problem(data).line == 5


def test_a_setext_heading_is_not_a_conflict():
    note = read(b"---\ncadence: monthly\n---\nAbout Ada\n=======\n\n- 2026-10-01 Coffee\n")
    assert note.readable and note.problems == ()


# --- wrong types and YAML 1.1 surprises ------------------------------------------------------


def test_wrong_types_are_named_with_what_was_expected():
    assert person_problems(b"---\ntags: 5\ncadence: [1]\nbirthday: someday\n---\n") == [
        "people/Ada Lovelace.md:2: tags: expected a list, got 5",
        "people/Ada Lovelace.md:3: cadence: unknown cadence '1' (weekly, biweekly, monthly, "
        "quarterly, yearly, or a count and unit like 10d, 6w, 3m, 1y)",
        "people/Ada Lovelace.md:4: birthday: expected YYYY-MM-DD or --MM-DD, got 'someday'",
    ]


def test_more_wrong_types():
    data = (
        b"---\nsocial: [a]\nname: [x]\nstatus: 5\naliases: {a: 1}\nmet: 2026-02-30\n"
        b"snooze_until: tomorrow\ncadence: sometimes\n---\n"
        b"- 2026-02-31 Coffee\n- [ ] Call \xf0\x9f\x93\x85 2026-13-01\n"
    )
    assert person_problems(data) == [
        "people/Ada Lovelace.md:10: 2026-02-31 is not a real date",
        "people/Ada Lovelace.md:11: follow-up due date 2026-13-01 is not a real date",
        "people/Ada Lovelace.md:2: social: expected keys and values (linkedin: URL), got ['a']",
        "people/Ada Lovelace.md:4: status: expected one of active, paused, archived, got '5'; read as active",
        "people/Ada Lovelace.md:5: aliases: expected a list, got {'a': 1}",
        "people/Ada Lovelace.md:6: met: expected a date YYYY-MM-DD, got '2026-02-30'",
        "people/Ada Lovelace.md:7: snooze_until: expected a date YYYY-MM-DD, got 'tomorrow'",
        "people/Ada Lovelace.md:8: cadence: unknown cadence 'sometimes' (weekly, biweekly, monthly, "
        "quarterly, yearly, or a count and unit like 10d, 6w, 3m, 1y)",
    ]


def test_event_and_resource_wrong_types():
    event, problems = event_from_note(read(b"---\ndate: someday\nattendees: 5\n---\n"))
    assert event.when is None
    assert sorted(str(p) for p in problems) == [
        "people/Ada Lovelace.md:2: date: expected a date YYYY-MM-DD, got 'someday'",
        "people/Ada Lovelace.md:3: attendees: expected a list, got 5",
    ]
    resource, problems = resource_from_note(
        read(b"---\nurl: [x]\nadded: 5\nshared_with: {a: b}\n---\n")
    )
    assert resource.url == "x"  # a one-item list where text is expected is read as its item
    assert sorted(str(p) for p in problems) == [
        "people/Ada Lovelace.md:3: added: expected a date YYYY-MM-DD, got 5",
        "people/Ada Lovelace.md:4: shared_with: expected a list, got {'a': 'b'}",
    ]


def test_yaml_11_surprises_stay_what_the_user_wrote():
    note = read(
        b"---\ncountry: NO\nanswer: yes\nflag: off\ncall_at: 1:30\nphone: 0123 456\n"
        b"zip: 01234\ncount: 12\nratio: 1.5\nreal: true\n---\n"
    )
    assert note.meta == {
        "country": "NO",
        "answer": "yes",
        "flag": "off",
        "call_at": "1:30",
        "phone": "0123 456",
        "zip": "01234",
        "count": 12,
        "ratio": 1.5,
        "real": True,
    }


def test_country_no_reads_as_text_in_a_text_field():
    person, problems = person_from_note(read(b"---\ncompany: NO\nrole: off\nphone: 0123\n---\n"))
    assert problems == []
    assert (person.company, person.role, person.phone) == ("NO", "off", "0123")


# --- hostile YAML ----------------------------------------------------------------------------


def test_python_tags_are_refused_and_run_nothing(tmp_path):
    witness = tmp_path / "pwned"
    data = f"---\nx: !!python/object/apply:os.system ['touch {witness}']\n---\n".encode()
    note = read(data)
    assert not note.readable
    assert [str(p) for p in note.problems] == [
        "people/Ada Lovelace.md:2:4: invalid YAML in front matter: the tag "
        "!!python/object/apply:os.system is not allowed; front matter holds plain data only"
    ]
    assert not witness.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"---\n!!python/name:os.system : 1\n---\n",
        b"---\nx: !!python/object/new:subprocess.Popen [[touch, pwned]]\n---\n",
        b"---\nx: !custom thing\n---\n",
    ],
)
def test_other_tags_are_refused(data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    note = read(data)
    assert not note.readable
    assert "is not allowed; front matter holds plain data only" in note.problems[0].message
    assert list(tmp_path.iterdir()) == []


def test_billion_laughs_is_refused_fast():
    lines = ["---", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    names = "abcdefghij"
    for prev, cur in zip(names, names[1:], strict=False):
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    data = ("\n".join(lines) + "\n---\nBody\n").encode()
    started = time.perf_counter()
    note = read(data)
    elapsed = time.perf_counter() - started
    assert not note.readable
    assert [str(p) for p in note.problems] == [
        "people/Ada Lovelace.md:2: front matter expands to too many values through YAML aliases "
        "(&a, *a); refused"
    ]
    assert elapsed < 2  # a generous bound: expanding it would take minutes and gigabytes


def test_a_few_aliases_are_fine():
    note = read(b"---\ninterests: &i [python, poetry]\ntags: *i\n---\n")
    assert note.readable and note.meta["tags"] == ["python", "poetry"]


@pytest.mark.parametrize("data", [b"---\na: &a [*a]\n---\n", b"---\na: &a {b: *a}\n---\n"])
def test_recursive_aliases_are_a_problem(data):
    assert str(only_problem(data)) == (
        "people/Ada Lovelace.md:2:4: invalid YAML in front matter: found unconstructable recursive node"
    )


def test_deep_nesting_is_a_problem():
    problem = only_problem(b"---\na: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n")
    assert problem.message == "invalid YAML in front matter: exceeded maximum nesting depth"
    assert problem.line == 2


def test_a_number_too_long_for_python_is_a_problem():
    problem = only_problem(b"---\nx: 1" + b"0" * 5000 + b"\n---\n")
    assert problem.line == 2
    assert problem.message.startswith(
        "invalid YAML in front matter: Exceeds the limit (4300 digits)"
    )


def test_a_5_mb_note_reads_fully():
    entry = "- 2026-01-01 Coffee and a long talk. " + "lorem ipsum dolor " * 20 + "\n"
    body = "## Log\n" + entry * (5 * 1024 * 1024 // len(entry) + 1)
    data = ("---\ncadence: monthly\ntags: [big]\n---\n" + body).encode()
    assert len(data) > 5 * 1024 * 1024
    note = read(data)
    assert note.readable and note.problems == ()
    person, problems = person_from_note(note)
    assert problems == [] and len(person.interactions) == body.count("\n- 2026-01-01")


def test_a_pipe_named_md_is_not_read(tmp_path):
    fifo = tmp_path / "Ada.md"
    import os

    os.mkfifo(fifo)
    note = read_note(fifo, "people/Ada.md")  # would block forever if opened
    assert [str(p) for p in note.problems] == [
        "people/Ada.md: not a regular file (a pipe, socket or device); skipped"
    ]


def test_a_missing_file_is_a_problem_not_an_exception(tmp_path):
    note = read_note(tmp_path / "gone.md", "people/gone.md")
    assert [str(p) for p in note.problems] == [
        "people/gone.md: cannot read the file: No such file or directory"
    ]


# --- property test: any bytes in, a Note out -------------------------------------------------

HOSTILE_PIECES = [
    "---",
    "...",
    "\ufeff",
    "\r\n",
    "\r",
    "\t",
    "\x00",
    "\x07",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGk=",
    "!!set {a, b}",
    "<<<<<<< HEAD",
    "=======",
    ">>>>>>> x",
    "[[Ada]]",
    "[[",
    "]]",
    "#help",
    "📅 2026-02-30",
    "- [ ] ",
    "- [x] ",
    "- 2026-10-01 ",
    "- 9999-12-31 ",
    "- 0001-01-01 ",
    "```",
    "{{ 7*7 }}",
    "cadence: ",
    "tags: ",
    "birthday: ",
    "met: ",
    "aliases: ",
    "social:\n  x: ",
    "status: ",
    "name: ",
    "attendees: ",
    "date: ",
    "[",
    "{",
    "'",
    '"',
    ": ",
    "- ",
    "  ",
    "\n",
    "999999999999999999999y",
    "--02-29",
    "NO",
    "1:30",
    "0123",
]


def check_reader(data: bytes) -> None:
    """The properties: a Note, problems that point inside the file, and typed records."""
    note = parse_note(data, REL)
    assert isinstance(note, Note)
    lines = data.count(b"\n") + data.count(b"\r") + 2
    for problem in note.problems:
        assert problem.path == REL and problem.message
        assert problem.line is None or 1 <= problem.line <= lines
    if note.readable:
        assert isinstance(note.meta, dict) and all(isinstance(k, str) for k in note.meta)
        for build in (person_from_note, event_from_note, resource_from_note):
            _, problems = build(note)
            for problem in problems:
                assert problem.path == REL and problem.message
                assert problem.line is None or 1 <= problem.line <= lines
        person, _ = person_from_note(note, default_cadence="monthly")
        assert all(isinstance(t, str) for t in (*person.tags, *person.aliases, *person.groups))


note_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=12)), max_size=40
).map("".join)


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Delete, flip or insert bytes at the given places."""
    out = bytearray(data)
    for kind, where, stuff in edits:
        if not out:
            out.extend(stuff)
            continue
        at = where % len(out)
        if kind == 0:
            del out[at : at + len(stuff) + 1]
        elif kind == 1:
            out[at] = stuff[0] if stuff else 0xFF
        else:
            out[at:at] = stuff
    return bytes(out)


PROPERTY = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run and every machine
)


@PROPERTY
@given(st.binary(max_size=600))
def test_any_bytes_give_a_note(data):
    check_reader(data)
    check_reader(b"---\n" + data)
    check_reader(b"---\n" + data + b"\n---\n" + data)


@PROPERTY
@given(note_text, note_text, st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_random_notes_give_a_note(front, body, newline, bom):
    text = f"---\n{front}\n---\n{body}".replace("\n", newline)
    check_reader((("\ufeff" if bom else "") + text).encode("utf-8"))
    check_reader(text.encode("utf-8", "surrogatepass")[:-1])


@PROPERTY
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 10_000), st.binary(min_size=1, max_size=8)),
        min_size=1,
        max_size=8,
    )
)
def test_mutated_good_notes_give_a_note(edits):
    check_reader(mutate(GOOD.encode("utf-8"), edits))
    check_reader(mutate(GOOD.replace("\n", "\r\n").encode("utf-8"), edits))


def test_real_notes_read_without_exception():
    """Every real-world note in tests/data/real reads."""
    from conftest import REAL

    notes = sorted(REAL.rglob("*.md"))
    assert notes
    for path in notes:
        check_reader(path.read_bytes())


def test_read_note_takes_a_path(tmp_path: Path):
    path = tmp_path / "Ada.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ncadence: monthly\r\n---\r\n")
    note = read_note(path, "people/Ada.md")
    assert note.meta == {"cadence": "monthly"} and note.body_line == 4


# --- property test: hostile notes through the whole pipeline (index, rules, pages) -------------

DATES = [
    "0001-01-01",
    "1000-02-29",
    "2024-02-29",
    "2026-12-01",
    "9999-12-31",
    "--02-29",
    "2026-02-30",
]
FIELDS = st.sampled_from(
    ["cadence", "met", "last_contact", "snooze_until", "birthday", "status", "tags", "groups",
     "aliases", "interests", "introduced_by", "date", "attendees", "invite", "shared_with", "added"]
)  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(DATES),
    st.sampled_from(
        [
            "monthly",
            "9999y",
            "1d",
            "0d",
            "99999999999w",
            "paused",
            "[[A]]",
            "[a, b]",
            "{x: 1}",
            "5",
            "~",
            "''",
        ]
    ),
    st.lists(
        st.sampled_from(["[[A]]", "[[B|b]]", "python", "", "#x", "9999-12-31"]), max_size=3
    ).map(lambda items: "[" + ", ".join(f'"{i}"' for i in items) + "]"),
)
BODY_LINES = st.sampled_from(
    [
        "- 9999-12-31 plan #help",
        "- 0001-01-01 long ago #intro [[B]]",
        "- 2026-11-30 coffee #help",
        "- 2026-12-01 thanks #thanked",
        "- [ ] call 📅 9999-12-31",
        "- [ ] call 📅 0001-01-01",
        "- [x] done ✅ 2026-01-01",
        "- 2026-10-01 met [[A]] #intro",
        "{{ 7*7 }}",
        "```",
    ]
)
NOTE = st.tuples(
    st.lists(st.tuples(FIELDS, VALUES), max_size=6), st.lists(BODY_LINES, max_size=5)
).map(
    lambda fb: (
        "---\n" + "".join(f"{k}: {v}\n" for k, v in fb[0]) + "---\n" + "\n".join(fb[1]) + "\n"
    )
)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    st.dictionaries(
        st.sampled_from(["people/A.md", "people/B.md", "events/E.md", "resources/R.md"]),
        NOTE,
        min_size=1,
    ),
    st.sampled_from(["1000-01-01", "2024-02-29", "2026-12-01", "9000-12-31"]),
)
@example({"people/A.md": "---\ncadence: 9999y\nmet: 2024-02-29\n---\n"}, "2026-12-01")
@example({"people/A.md": "---\ncadence: 99999999999w\n---\n- 2026-11-30 coffee\n"}, "9000-12-31")
def test_hostile_notes_never_break_the_pages(tmp_path_factory, files, today):
    from conftest import write_vault

    from vaultkit.index.vault import load_vault
    from vaultkit.pages.render import Renderer
    from vaultkit.pages.views import build_pages
    from vaultkit.settings import load_settings

    root = write_vault(tmp_path_factory.mktemp("vault"), files)
    settings_ = load_settings(root)
    pages = build_pages(load_vault(settings_), date.fromisoformat(today), Renderer(settings_))
    assert {"Reminders.md", "Dashboard.md", "Events.md", "Share.md", "Thank-you notes.md"} <= set(
        pages
    )


# --- lines built to make a regular expression backtrack: read in linear time ---------------------

ADVERSARIAL = [
    "- 2026-01-01 " + "[[" * 100_000,
    "- 2026-01-01 " + "[[a#" * 50_000,
    "- 2026-01-01 " + "[[a|" * 50_000,
    "- [ ] x " + " " * 200_000 + "y",
    "- [ ] x " + "\t" * 200_000 + "y",
    "- [ ] x " + "[due::" * 50_000,
    "- [ ] x " + "(due::" * 50_000,
    "- [ ] x " + "🔁 " * 50_000,
    "- 2026-01-01 " + "#1" * 100_000,
]


def test_lines_made_to_backtrack_do_not_hang(tmp_path):
    """Each line was quadratic (minutes to hours) before; a hang shows as the timeout."""
    note = tmp_path / "Ada.md"
    note.write_text(
        "---\ncadence: monthly\n---\n" + "\n".join(ADVERSARIAL) + "\n", encoding="utf-8"
    )
    code = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from vaultkit.read.note import read_note\n"
        "from vaultkit.read.records import person_from_note\n"
        "from vaultkit.rules.matchmaking import profile\n"
        "person, problems = person_from_note(read_note(Path(sys.argv[1]), 'people/Ada.md'))\n"
        "profile(person, date(2026, 1, 2))\n"
        "print(len(person.interactions), len(person.followups), len(problems))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(note)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "4 5 0\n"


def test_comment_markers_and_code_do_not_make_masking_quadratic(tmp_path):
    """Openings of comments inside code, and openings that never close, each cost one step:
    a long line of them took minutes before; a hang shows as the timeout."""
    note = tmp_path / "Ada.md"
    body = "- 2026-01-01 " + "`%%` " * 300_000 + "<!--\n" + "%% x\n" * 50_000 + "- 2026-01-02 %%a%%" * 40_000 + "\n"
    note.write_text("---\ncadence: monthly\n---\n" + body, encoding="utf-8")
    code = (
        "import sys; from pathlib import Path\n"
        "from vaultkit.read.note import read_note\n"
        "from vaultkit.read.records import person_from_note\n"
        "person, problems = person_from_note(read_note(Path(sys.argv[1]), 'people/Ada.md'))\n"
        "print(len(person.interactions), len(person.interactions[0].text))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(note)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"2 {len('`%%` ' * 300_000 + '<!--')}\n"
