"""`vaultkit digest`: today's short list, as a person acts on it over breakfast.

Overdue check-ins (at most `page_limit`, most overdue first), follow-ups due today or
late, birthdays in the next seven days, thanks owed. Who, why now and what to say come
from the same rules and the same wording as Reminders.md (rules.reasons, render.reason_text);
only what is printed is worked out (a standing for people with a cadence, not everyone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from vaultkit.index.vault import Index
from vaultkit.pages.render import Renderer, reason_text, short_date, unlinked
from vaultkit.pages.views import draft_page
from vaultkit.rules import reminders as rules
from vaultkit.words import plural

BIRTHDAY_DAYS = 7
NOTHING = "Nothing due today.\n"
TRAILING_TAGS = re.compile(r"(?:\s+#[\w/-]+)+\s*$")


def untagged(text: str) -> str:
    """A log line without the hashtags at its end (the digest names the kind of favour)."""
    return unlinked(TRAILING_TAGS.sub("", text)) or text


def sentence(text: str) -> str:
    """The text ending in a full stop, unless it ends in one already (or ! ? …)."""
    return text if text.endswith((".", "!", "?", "…")) else text + "."


@dataclass(frozen=True)
class Digest:
    today: date
    overdue: tuple[tuple[rules.Standing, tuple[rules.Reason, ...]], ...]  # at most page_limit
    more_overdue: int  # overdue, left off past page_limit
    followups: tuple[rules.OpenFollowUp, ...]  # due today or late
    birthdays: tuple[rules.UpcomingBirthday, ...]
    thanks: tuple[rules.ThanksOwed, ...]

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.followups or self.birthdays or self.thanks)

    @property
    def summary(self) -> str:
        """3 check-ins, 1 follow-up, 1 birthday, 2 thank-yous."""
        counts = [
            (len(self.overdue) + self.more_overdue, "check-in"),
            (len(self.followups), "follow-up"),
            (len(self.birthdays), "birthday"),
            (len(self.thanks), "thank-you"),
        ]
        return ", ".join(plural(n, word) for n, word in counts if n)


def digest(index: Index, today: date) -> Digest:
    """What is due today, from the index."""
    limit = index.settings.page_limit
    # Only people with a cadence can be overdue: the others' standings are not needed.
    stand = {p.key: rules.standing(p, index, today) for p in index.people if p.cadence}
    late = rules.overdue(stand, today)
    resources = rules.Resources(index)
    overdue = tuple((s, tuple(rules.reasons(index, s, today, resources))) for s in late[:limit])
    followups = tuple(f for f in rules.followups_due(index, today) if f.task.due and f.task.due <= today)
    return Digest(
        today=today,
        overdue=overdue,
        more_overdue=len(late) - len(overdue),
        followups=followups,
        birthdays=tuple(rules.birthdays(index, today, BIRTHDAY_DAYS)),
        thanks=tuple(rules.thanks_owed(index, today)),
    )


def markdown(index: Index, found: Digest) -> str:
    """The digest as Markdown (names plain: it is read in a terminal or a mail)."""
    if found.empty:
        return NOTHING
    renderer = Renderer(index.settings, link_style="plain")
    return renderer.render_text(
        "digest.md.j2",
        d=found,
        today=found.today,
        unlinked=unlinked,
        untagged=untagged,
        sentence=sentence,
        kind=lambda line: rules.favour_kind(index, line),
        draft=lambda person: f"{index.settings.output_dir}/{draft_page(person)}",
    )


def subject(found: Digest) -> str:
    """The mail's subject: the day and what is in it."""
    return f"vaultkit, {short_date(found.today)}: {found.summary}"  # ASCII: folds the same everywhere


def as_data(index: Index, found: Digest) -> dict[str, Any]:
    """`vaultkit digest --json`: the same list as plain data for scripts."""
    today = found.today

    def who(item: Any) -> dict[str, str]:
        return {"name": item.name, "path": item.path}

    return {
        "today": today.isoformat(),
        "overdue": [
            {
                **who(s.person),
                "cadence": s.person.cadence.label if s.person.cadence else None,
                "last_contact": s.last_contact.isoformat() if s.last_contact else None,
                "due": s.due.isoformat() if s.due else None,
                "days_overdue": s.days_overdue(today),
                "say": [unlinked(reason_text(r)) for r in reasons],
            }
            for s, reasons in found.overdue
        ],
        "more_overdue": found.more_overdue,
        "followups": [
            {**who(f.owner), "text": f.task.text, "due": f.task.due.isoformat() if f.task.due else None,
             "days_late": f.days_late(today), "line": f.task.line}
            for f in found.followups
        ],
        "birthdays": [{**who(b.person), "date": b.when.isoformat(), "turns": b.turns} for b in found.birthdays],
        "thanks": [
            {**who(t.person), "favours": [
                {"date": i.when.isoformat(), "kind": rules.favour_kind(index, i), "text": i.text} for i in t.favours
            ]}
            for t in found.thanks
        ],
    }
