"""`vaultkit init`: a new vault with settings, folders and a sample person; never overwrites."""

from __future__ import annotations

from pathlib import Path

from vaultkit.settings import CONFIG_NAME

SETTINGS = """\
# vaultkit settings; every key is optional (see docs/settings.md)
people_dir = "people"
events_dir = "events"
resources_dir = "resources"
output_dir = "Overview"
default_cadence = ""          # e.g. "yearly"; empty: only people with a cadence get check-ins
link_style = "wiki"           # "wiki": [[Ada Lovelace]]; "markdown": [Ada Lovelace](../people/Ada%20Lovelace.md)
thanks_tags = ["help", "gift", "intro", "referral"]
thanked_tags = ["thanked"]
page_limit = 20               # overdue check-ins in `vaultkit digest`
alarm_time = "09:00"          # the alarm of each `vaultkit export ics` entry, on its day

# People without their own cadence get the shortest cadence of their tags:
# [cadence_by_tag]
# mentor = "monthly"
# investor = "quarterly"

# For `vaultkit digest --mail` (docs/every-morning.md); the password goes in the
# environment variable VAULTKIT_SMTP_PASSWORD, never in this file:
# [mail]
# host = "smtp.example.com"
# port = 587
# starttls = true
# from = "me@example.com"
# to = "me@example.com"
# username = "me@example.com"
"""

SAMPLE_PERSON = """\
---
aliases: [Ada]
tags: [mentor, python]
company: Analytical Engines Ltd
role: CTO
email: ada@example.com
met: {met}
how_met: PyCon UK
cadence: quarterly
interests: [compilers, poetry]
groups: [PSF]
status: active
---
A sample person: edit or delete this note. Each person is one note; the file name is their name.

## Log
- {met} Met at PyCon UK; she mentors new speakers. #event

## Follow-ups
- [ ] Send her the PyData call for proposals 📅 {due}
"""

SAMPLE_EVENT = """\
---
date: {due}
location: Online
invite: [python]
attendees: []
---
A sample event: people tagged #python are suggested as invitees on Overview/Events.md.
"""

GITIGNORE = """\
# vaultkit's cache; the notes and the Overview pages are worth versioning
.vaultkit/
"""


def init_vault(folder: Path, met: str, due: str) -> list[tuple[str, bool]]:
    """Create what is missing; return (path, created?) for each item, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        CONFIG_NAME: SETTINGS,
        "people/Ada Lovelace.md": SAMPLE_PERSON.format(met=met, due=due),
        f"events/{due} Python meetup.md": SAMPLE_EVENT.format(due=due),
        ".gitignore": GITIGNORE,
    }
    done = []
    for name in ("people", "events", "resources"):
        path = folder / name
        done.append((name + "/", not path.exists()))
        path.mkdir(exist_ok=True)
    for name, text in files.items():
        path = folder / name
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
            done.append((name, True))
        except FileExistsError:
            done.append((name, False))
    return done
