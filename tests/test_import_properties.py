"""Property tests: any bytes in an import file give contacts or reported rows, never an
exception; merging into any readable note only adds, and never touches the body."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultkit.errors import VaultkitError
from vaultkit.importers import google, linkedin, vcard
from vaultkit.importers.notetext import merge_text
from vaultkit.read.note import parse_note

VCARD_LINES = st.sampled_from(
    [
        "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:3.0", "VERSION:4.0", "FN:Ada Lovelace",
        "N:Lovelace;Ada;;;", "EMAIL:ada@example.com", "EMAIL;TYPE=INTERNET:bad address", "TEL;CELL:+44 1",
        "NOTE;ENCODING=QUOTED-PRINTABLE:a=", "=C3=91", "=80", " folded", "BDAY:--0229", "BDAY:nonsense",
        "ORG:A\\, B;Dept", "CATEGORIES:myContacts,Friends", "PHOTO;ENCODING=b:////", "item1.URL:http\\://x",
        "# comment", "X-VAULTKIT-CADENCE:6w", "X-VAULTKIT-MET:2024-13-45", "garbage", "", "BEGIN:vCard",
    ]
)  # fmt: skip
CSV_CELLS = st.sampled_from(['"', '""', ",", "Ada", "Jane Doe", "01 Mar 2022", "--12-10", " ::: ", "\n", "é", ""])


@settings(max_examples=150, deadline=None)
@given(st.lists(VCARD_LINES, max_size=30), st.sampled_from(["\r\n", "\n", "\r\r\n"]), st.binary(max_size=20))
def test_any_vcard_file_gives_contacts_or_notices(lines, newline, noise):
    data = newline.join(lines).encode("utf-8") + noise
    parsed = vcard.read(Path("x.vcf"), data)
    assert all(c.name for c in parsed.contacts)
    assert all(n.line is None or n.line >= 1 for n in (*parsed.skipped, *parsed.warnings))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CSV_CELLS, max_size=8).map("".join), max_size=10), st.binary(max_size=10))
def test_any_csv_file_gives_contacts_or_notices_or_a_clear_error(rows, noise):
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    body = "\n".join(rows).encode("utf-8") + noise
    for reader, head in ((linkedin.read, header), (google.read, "Name,Given Name,Family Name,Birthday\n")):
        try:
            parsed = reader(Path("x.csv"), head.encode() + body)
        except VaultkitError:
            continue  # a file that is not the format named: a message, not a crash
        assert all(c.name for c in parsed.contacts)


FRONT_LINES = st.sampled_from(
    [
        "tags: [a, b]", "tags:", "tags: a, b", "tags:\n  - a", "tags: |\n  a", "Tags: [x]", "aliases: Ada, Countess",
        "email: a@x.org  # work", "emails:\n- b@x.org", "org: Acme", "role:", "social:\n  github: g",
        "social: {x: y}", "social: none", "met: 2020-01-01", "# a comment", "name: Ada", "phone: \"+1\"",
    ]
)  # fmt: skip
PROPOSAL = {
    "aliases": ["Countess"],
    "tags": ["linkedin", "b"],
    "company": "Analytical Engines",
    "role": "CTO",
    "email": ["a@x.org", "new@x.org"],
    "social": {"linkedin": "https://www.linkedin.com/in/ada"},
    "met": date(2022, 3, 1),
}


@settings(max_examples=200, deadline=None)
@given(st.lists(FRONT_LINES, max_size=8, unique=True), st.sampled_from(["\n", "\r\n"]), st.sampled_from(["", "Body.\n- 2026-01-01 Log."]))
def test_merging_only_adds_and_never_touches_the_body(lines, newline, body):
    text = newline.join(["---", *"\n".join(lines).split("\n"), "---", body])
    before = parse_note(text.encode("utf-8"), "p.md")
    if not before.readable or before.problems:
        return  # such notes are refused before merging
    after_text, gained, _ = merge_text(text, "p.md", PROPOSAL)
    after = parse_note(after_text.encode("utf-8"), "p.md")
    assert after.readable and not after.problems
    assert after.body == before.body
    for key, value in before.meta.items():
        new = after.meta[key]
        if new != value:  # only grown: a list with more items, a mapping with more entries, an empty key filled
            assert value in (None, "", []) or isinstance(new, (list, dict)), (key, value, new)
            if isinstance(value, list):
                assert new[: len(value)] == value
            if isinstance(value, dict):
                assert all(new[k] == v for k, v in value.items())
    assert after_text == text or gained
    again, more, _ = merge_text(after_text, "p.md", PROPOSAL)
    assert again == after_text and not more
