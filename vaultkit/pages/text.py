"""Dates, spans and note text as the pages say them: plain functions, no Jinja.

The pages' filters (render.py) and the texts that leave the vault without a template
(the calendar export, the morning digest) share them; importing them costs no Jinja.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from vaultkit.words import plural

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def long_date(day: date) -> str:
    """Tuesday 3 March 2026 (English whatever the locale: pages must be deterministic)."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def day_month(day: date) -> str:
    """Thursday 26 March."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def short_date(day: date) -> str:
    """Fri 6 Mar."""
    return f"{DAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}"


@lru_cache(maxsize=4096)  # Reminders.md at 10,000 people asks for thousands, mostly the same few
def span(start: date, end: date) -> str:
    """How long from start to end, as a person says it: 21 days, 3 months, 1 year 5 months."""
    days = (end - start).days
    if days < 0:
        return "in " + span(end, start)
    if days < 60:
        return plural(days, "day")
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(plural(years, "year"))
    if months:
        parts.append(plural(months, "month"))
    return " ".join(parts) or plural(days, "day")


TASK_BOX = re.compile(r"^\[.\]\s*")


def one_line(text: str) -> str:
    """Note text made safe for one line: whitespace collapsed, no task box."""
    text = " ".join(str(text).split())  # str.split and the regex \s agree on what is whitespace
    return TASK_BOX.sub("", text) if text.startswith("[") else text


WIKILINK = re.compile(r"\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")


def unlinked(text: str) -> str:
    """Wikilinks as the words a reader sees, [[Ada Lovelace|Ada]] -> Ada: for text read
    outside the vault (a mail, a calendar entry)."""
    return WIKILINK.sub(lambda m: m.group(2) or m.group(1), text) if "[[" in text else text


def hashtags(tags: tuple[str, ...]) -> str:
    return ", ".join(f"#{t}" for t in tags)


def reason_text(reason: Any, link: Callable[[Any], str] = lambda item: item.name) -> str:
    """A reason to write (rules.Reason) as Reminders.md, the digest and the calendar say it.

    `link`: how a resource is named (the page's link filter; by default its name)."""
    if reason.kind == "followup":
        due = f" (due {reason.followup.due})" if reason.followup.due else ""
        return f"Open follow-up: {one_line(reason.followup.text)}{due}."
    if reason.kind == "birthday":
        return f"Birthday on {day_month(reason.birthday)}."
    if reason.kind == "resource":
        return f"Reason to write: {link(reason.resource)} matches {hashtags(reason.topics)}."
    if reason.kind == "recent":
        return f"Last time ({reason.interaction.when}): {one_line(reason.interaction.text)}"
    return ""
