"""Gifts given and received, and thank-you drafts worded for what was done."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import run_cli

from vaultkit.model import Interaction
from vaultkit.rules import gifts

TODAY = "2026-12-01"


def line(text: str, *tags: str) -> Interaction:
    return Interaction(date(2026, 11, 1), text, tags, (), 1)


@pytest.mark.parametrize(
    ("text", "tags", "given"),
    [
        ("Sent her “Thinking in Systems” for her birthday.", ("gift",), True),
        ("Gave him a bottle of wine.", ("gift",), True),
        ("I bought them a plant for the new office.", ("gift",), True),
        ("Flowers for the opening.", ("gave",), True),  # #gave says it, whatever the words
        ("A coffee voucher to say thanks.", ("gift", "thanked"), True),  # a thank-you gift
        ("She sent me a signed copy of her book.", ("gift",), False),
        ("Sent me a signed copy of her book.", ("gift",), False),
        ("A jar of honey from her bees.", ("gift",), False),
    ],
)
def test_which_way_a_gift_went(text, tags, given):
    assert gifts.is_given(line(text, *tags)) is given
    assert gifts.is_received(line(text, *tags)) is (not given)


def test_a_line_without_a_gift_tag_is_neither():
    assert not gifts.is_given(line("Sent her the slides.", "shared"))
    assert not gifts.is_received(line("Sent her the slides.", "shared"))


SIOBHAN = """\
---
tags: [writing]
---
## Log
- 2026-06-03 Video call about my chapter. #call
- 2026-09-05 Sent her "Thinking in Systems" for her birthday. #gift
- 2026-10-12 She sent me a signed copy of her new book. #gift
- 2026-10-14 Posted a thank-you card for the book. #thanked
- 2026-11-20 A box of shortbread arrived from her. #gift
- 2026-11-25 Took flowers to her launch. #gave
- 2026-12-24 Send a Christmas hamper. #gave
"""


def test_show_lists_the_gift_ledger(vault):
    root = vault({"people/Siobhán Murphy.md": SIOBHAN})
    out = run_cli("show", "Siobhán Murphy", vault=root, today=TODAY).output
    section = out.split("## Gifts", 1)[1].split("\n\n", 1)[0]
    assert section == (
        " (2 given, 2 received)\n"
        '- Gave on 2026-09-05: Sent her "Thinking in Systems" for her birthday. #gift\n'
        "- Received on 2026-10-12: She sent me a signed copy of her new book. #gift — thanked 2026-10-14\n"
        "- Received on 2026-11-20: A box of shortbread arrived from her. #gift — not thanked yet\n"
        "- Gave on 2026-11-25: Took flowers to her launch. #gave\n"
    )


def test_a_gift_you_gave_is_not_a_favour_to_thank(vault):
    root = vault(
        {
            "people/Ada.md": "---\n---\n## Log\n- 2026-11-05 Sent her a book for her birthday. #gift\n"
        }
    )
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    page = (root / "Overview" / "Thank-you notes.md").read_text(encoding="utf-8")
    assert "Nobody is owed thanks. Well done." in page
    assert not (root / "Overview" / "Thank-you notes").exists()


def draft(vault, log: str) -> str:
    files = {
        "people/Ada Lovelace.md": "---\naliases: [Ada]\n---\n## Log\n" + log,
        "people/Charles Babbage.md": "---\n---\n",
        "people/Grace Hopper.md": "---\n---\n",
    }
    root = vault(files)
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    text = (root / "Overview" / "Thank-you notes" / "Ada Lovelace.md").read_text(encoding="utf-8")
    return text.split("Dear Ada,\n\n", 1)[1].split("\n\nWarm wishes,", 1)[0]


@pytest.mark.parametrize(
    ("log", "words"),
    [
        (
            "- 2026-11-10 Introduced me to [[Charles Babbage]]. #intro\n",
            "Thank you for the introduction to Charles Babbage. It meant a lot that you thought of me, "
            "and I will let you know how it goes.",
        ),
        (
            "- 2026-11-10 Referred me to [[Grace Hopper]] for the contract. #referral\n",
            "Thank you for the referral to Grace Hopper. Putting your name behind mine is no small thing, "
            "and I am grateful for your trust.",
        ),
        (
            "- 2026-11-10 She sent me a signed copy of her book. #gift\n",
            "Thank you for the gift. It was a lovely surprise and it made my week.",
        ),
        (
            "- 2026-11-10 Reviewed my talk abstract. #help\n",
            "Thank you for your help. It made a real difference, and I have not forgotten it.",
        ),
        (
            "- 2026-11-08 Reviewed my talk abstract. #help\n"
            "- 2026-11-09 Introduced me to [[Charles Babbage]]. #intro\n"
            "- 2026-11-10 Introduced me to [[Grace Hopper]] too. #intro\n",
            "Thank you for your help. It made a real difference, and I have not forgotten it.\n\n"
            "Thank you also for the introduction to Charles Babbage and Grace Hopper. It meant a lot that "
            "you thought of me, and I will let you know how it goes.",
        ),
    ],
)
def test_thank_you_drafts_are_worded_for_what_was_done(vault, log, words):
    assert draft(vault, log) == words
