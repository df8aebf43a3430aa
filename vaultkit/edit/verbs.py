"""`snooze`, `done` and `thank`: commands that change only the line they name, atomically.

Each reads the note as bytes, changes one line (or adds one), and writes the
whole note back in one atomic step with its file mode kept. The note's
newline style (LF or CRLF), key order, comments and quoting stay as they were.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from vaultkit.edit.frontmatter import set_key
from vaultkit.edit.notefile import rewrite_note
from vaultkit.edit.person import append_log, log_line
from vaultkit.errors import VaultkitError
from vaultkit.model import FollowUp, Person, parse_cadence
from vaultkit.read.body import ITEM_RE, TASK_RE, task_text
from vaultkit.read.masks import for_lines
from vaultkit.rules.reminders import ThanksOwed, favour_kind_of, followup_id, open_followups
from vaultkit.settings import Settings

KIND_WORDS = {"intro": "introduction", "help": "help", "referral": "referral", "gift": "gift"}
OPEN_BOX_RE = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+\[)[ /](\])")
# Tasks writes the done date at the end of the line, before a block id (^abc123) if any.
LINE_END_RE = re.compile(r"(\s+\^[\w-]+)?\s*$")


# -- snooze ------------------------------------------------------------------


def snooze_date(value: str, today: date) -> date:
    """`2w`, `10d`, `3m`, `1y` (or `monthly`, ...) from today, or a date YYYY-MM-DD after today."""
    text = value.strip()
    try:
        until = date.fromisoformat(text)
    except ValueError:
        cadence = parse_cadence(text)
        if cadence is None:
            raise VaultkitError(
                f"{value!r} is neither a date (YYYY-MM-DD) "
                "nor a length of time (like 10d, 2w, 3m, 1y)"
            ) from None
        until = cadence.after(today)
    if until <= today:
        raise VaultkitError(f"{until} is not after today ({today}); nothing to snooze")
    return until


def snooze(settings: Settings, person: Person, until: date) -> Path:
    """Set `snooze_until: YYYY-MM-DD` (a plain YAML date); every other line stays."""
    return rewrite_note(
        settings, person.path, lambda text: set_key(text, "snooze_until", until.isoformat())
    )


# -- done --------------------------------------------------------------------


def pick_followup(person: Person, which: str) -> FollowUp:
    """An open follow-up by its id in `vaultkit show` (stable), a unique piece of its text,
    or its number there (which shifts once an earlier one is done)."""
    tasks = open_followups(person)
    listing = "; ".join(f"{n}. {t.text}" for n, t in enumerate(tasks, start=1))
    if not tasks:
        raise VaultkitError(f"{person.path}: no open follow-up")
    wanted = which.strip()
    if wanted.isdigit():
        number = int(wanted)
        if not 1 <= number <= len(tasks):
            raise VaultkitError(
                f"{person.path}: no open follow-up number {number}; "
                f"there are {len(tasks)}: {listing}"
            )
        return tasks[number - 1]
    by_id = [t for t in tasks if followup_id(t) == wanted.casefold()]
    if len(by_id) == 1:
        return by_id[0]
    needle = _words(wanted).casefold()
    if not needle:
        raise VaultkitError(
            "say which follow-up: its number in `vaultkit show`, or a piece of its text"
        )
    found = [t for t in tasks if needle in _words(t.text).casefold()]
    if not found:
        raise VaultkitError(
            f"{person.path}: no open follow-up matches {which!r}; open ones: {listing}"
        )
    if len(found) > 1:
        several = "; ".join(f"{tasks.index(t) + 1}. {t.text}" for t in found)
        raise VaultkitError(
            f"{person.path}: {which!r} matches {len(found)} open follow-ups: {several}; "
            "give more of the text or the number"
        )
    return found[0]


def tick_line(line: str, today: date) -> str:
    """`- [ ] task 📅 date` -> `- [x] task 📅 date ✅ today`, the line end kept as it was."""
    cr = "\r" if line.endswith("\r") else ""
    body = line[: len(line) - len(cr)]
    body = OPEN_BOX_RE.sub(r"\1x\2", body, count=1)
    end = LINE_END_RE.search(body)  # always matches, if only the empty end
    assert end is not None
    return f"{body[: end.start()]} ✅ {today.isoformat()}{end.group(1) or ''}{cr}"


def done(settings: Settings, person: Person, task: FollowUp, today: date) -> Path:
    """Tick the follow-up's box and add the Tasks plugin's done date, on that line only.

    The line is in the note the follow-up was read from: the person's own, or another
    note whose task links them (a daily note's `- [ ] Send [[Ada]] the slides`). It must
    still be that open task, the same text, or nothing is changed."""
    rel = task.source or person.path

    def change(text: str) -> str:
        lines = text.split("\n")
        i = task.line - 1
        item = ITEM_RE.match(lines[i].rstrip("\r")) if 0 <= i < len(lines) else None
        box = TASK_RE.match(item.group(1)) if item else None
        if (
            box is None
            or box.group(1) not in " /"
            or not OPEN_BOX_RE.match(lines[i])
            or _words(_task_said(lines[i].rstrip("\r"), item.start(1) + box.start(2))) != _words(task.text)
        ):
            raise VaultkitError(
                f"{rel}:{task.line}: expected the open follow-up {task.text!r} there; "
                "the note changed or its line endings are unusual; not changed"
            )
        lines[i] = tick_line(lines[i], today)
        return "\n".join(lines)

    return rewrite_note(settings, rel, change)


def _task_said(line: str, at: int) -> str:
    """The words of the task that starts at `at` in this line, as the reader takes them: the
    whole line masked (its task's own text could look like a quote: `- [ ] > the price`)."""
    masked, said = for_lines(line)
    return task_text(masked[at:], None if said is None else said[at:])


def _words(text: str) -> str:
    return " ".join(text.split())


# -- thank -------------------------------------------------------------------


def thanks_text(settings: Settings, owed: ThanksOwed | None) -> str:
    """The words of a thank-you line when none are given: what it was for (`owed`: the
    favours of theirs waiting for thanks, rules.thanks_owed_for)."""
    if owed is None:
        return "Said thank you."
    kinds = list(dict.fromkeys(KIND_WORDS.get(favour_kind_of(settings, f), "help") for f in owed.favours))
    days = list(dict.fromkeys(f.when.isoformat() for f in owed.favours))
    what = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return f"Thanked for the {what} of {' and '.join(days)}."


def thank(settings: Settings, person: Person, text: str, when: date, owed: ThanksOwed | None) -> tuple[Path, str]:
    """Log a line tagged with the first `thanked_tags` tag at the end of the note's Log
    (`owed`: as for thanks_text)."""
    tag = settings.thanked_tags[0] if settings.thanked_tags else "thanked"
    if not text.strip() and owed is None:
        raise VaultkitError(
            f"{person.path}: no favour of theirs is waiting for thanks; nothing written "
            f'(to log a thank-you anyway, say what it was: vaultkit thank "{person.name}" "Sent a card")'
        )
    line = log_line(when, text.strip() or thanks_text(settings, owed), (tag,))
    return append_log(settings, person, line), line
