"""The gift ledger: gifts given and received, read from a person's log.

How a line says which way a gift went (docs/gifts.md):
- `#gave` (or `#given`): a gift you gave.
- `#gift` on a line whose words start with a giving verb, as a log is written
  ("Sent her a book", "Gave him ...", "Bought ...", "Posted ..."): given too.
- `#gift` with `#thanked` on the same line: a thank-you gift you gave.
- Any other `#gift` line ("She sent me a signed copy"): a gift received, a
  favour that calls for thanks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from vaultkit.model import Interaction, Person

GIVEN_TAGS = frozenset({"gave", "given"})
GIFT_TAG = "gift"
# "Sent her a book", "Gave them ...", but not "Sent me ..." (that one came to you).
GIVING_RE = re.compile(
    r"^(?:i\s+)?(?:sent|gave|gifted|bought|posted|brought|mailed|ordered|got)\b(?!\s+me\b)",
    re.IGNORECASE,
)


def is_given(line: Interaction, thanked_tags: tuple[str, ...] = ("thanked",)) -> bool:
    """True for a gift you gave; see the module's docstring for the wording."""
    tags = set(line.tags)
    if GIVEN_TAGS & tags:
        return True
    if GIFT_TAG not in tags:
        return False
    return bool(set(thanked_tags) & tags) or bool(GIVING_RE.match(line.text.strip()))


def is_received(line: Interaction, thanked_tags: tuple[str, ...] = ("thanked",)) -> bool:
    return GIFT_TAG in line.tags and not is_given(line, thanked_tags)


@dataclass(frozen=True)
class Entry:
    line: Interaction
    given: bool
    thanked: date | None = None  # received: the first thanks on that day or later


@dataclass(frozen=True)
class Ledger:
    entries: tuple[Entry, ...]  # oldest first

    @property
    def given(self) -> int:
        return sum(1 for e in self.entries if e.given)

    @property
    def received(self) -> int:
        return sum(1 for e in self.entries if not e.given)


def ledger(person: Person, today: date, thanked_tags: tuple[str, ...] = ("thanked",)) -> Ledger:
    """Gifts given and received up to today, oldest first; received ones with when you thanked."""
    thanks = sorted(
        i.when for i in person.interactions if set(thanked_tags) & set(i.tags) and i.when <= today
    )
    entries = []
    for line in person.interactions:
        given = is_given(line, thanked_tags)
        if line.when > today or not (given or is_received(line, thanked_tags)):
            continue
        thanked = None
        if not given:
            thanked = next((d for d in thanks if d >= line.when), None)
        entries.append(Entry(line, given, thanked))
    return Ledger(tuple(entries))
