"""`vaultkit init`: settings for the vault that is there, or a new one with a sample person.

A folder that already holds notes gets only a `vaultkit.toml` saying what was found
(detect.py); an empty one gets the small sample vault. Nothing that exists is overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

from vaultkit.commands.detect import OUTPUT_DIR, Found, detect, has_notes
from vaultkit.errors import VaultkitError
from vaultkit.settings import CONFIG_NAME
from vaultkit.words import plural

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
    if folder.exists() and not folder.is_dir():
        raise VaultkitError(f"{folder}: a file, not a folder; nothing written")
    for name in ("people", "events", "resources"):
        path = folder / name
        if path.exists() and not path.is_dir():
            raise VaultkitError(
                f"{path}: a file where the {name} folder should be; move it away first; nothing written"
            )
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


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def existing_settings(found: Found, date: str) -> str:
    """vaultkit.toml for a vault that is there: each setting with a comment on what was found."""
    lines = [
        f"# vaultkit settings, written by `vaultkit init` on {date} from what it found here.",
        "# Every key is optional; docs/settings.md says what each one does.",
        "",
    ]
    if found.people_dir:
        lines.append(f"# The people: {plural(found.in_folder, 'note')} in {found.people_dir}/ (at any depth).")
        lines.append(f"people_dir = {_toml(found.people_dir)}")
    else:
        lines.append("# No People or Contacts folder was found; `vaultkit add` makes people/ for new people.")
        lines.append('people_dir = "people"')
    if found.elsewhere:
        shown = ", ".join(found.elsewhere[:3]) + (", ..." if len(found.elsewhere) > 3 else "")
        lines.append(
            f"# {plural(len(found.elsewhere), 'more note')} elsewhere {'is' if len(found.elsewhere) == 1 else 'are'} "
            f"tagged or categorised as people: {shown}"
        )
    lines += [
        "",
        "# Event notes (a date and attendees), and things worth sharing; the folders need not exist.",
        'events_dir = "events"',
        'resources_dir = "resources"',
        "",
        f"# Also found: {_daily_line(found)}; {plural(found.meetings, 'note')} with attendees.",
        "",
        "# Where vaultkit writes its pages; it writes nowhere else.",
        f"output_dir = {_toml(OUTPUT_DIR)}",
        "",
        "# How often to check in with someone who has no cadence of their own, once you have",
        '# logged a first interaction with them; e.g. "yearly". Empty: only people with a cadence.',
        'default_cadence = ""',
        "",
        '# Links on the pages: "wiki" ([[Ada Lovelace]]) or "markdown" ([Ada Lovelace](../people/Ada%20Lovelace.md)).',
        'link_style = "wiki"',
        "",
        "# Interactions with these tags owe a thank-you, until one tagged as thanked.",
        'thanks_tags = ["help", "gift", "intro", "referral"]',
        'thanked_tags = ["thanked"]',
        "",
        "# People without their own cadence get the shortest cadence of their tags:",
        "# [cadence_by_tag]",
        '# mentor = "monthly"',
        "",
    ]
    return "\n".join(lines)


def _daily_line(found: Found) -> str:
    where = f"in {found.daily_dir}/" if found.daily_dir else "named by date"
    source = f", format {found.daily_format} from {found.daily_source}" if found.daily_source else ""
    return f"{plural(found.daily, 'daily note')} {where}{source}"


def summary(found: Found) -> str:
    """One line: what init found and where the pages will go."""
    if found.people_dir:
        people = f"{plural(found.in_folder, 'person', 'people')} in {found.people_dir}/"
        if found.elsewhere:
            people += f" and {len(found.elsewhere)} by tag or category elsewhere"
    elif found.elsewhere:
        people = f"{plural(len(found.elsewhere), 'person', 'people')} by tag or category"
    else:
        people = "no people yet (no People or Contacts folder, no note tagged as a person)"
    daily = plural(found.daily, "daily note")
    meetings = plural(found.meetings, "note")
    return f"Found {people}, {daily}, {meetings} with attendees; pages will go to {OUTPUT_DIR}/."


def init_existing(folder: Path, date: str) -> tuple[bool, Found]:
    """Write vaultkit.toml for a vault that holds notes, unless there is one; (created?, found)."""
    people = folder / "people"
    if people.exists() and not people.is_dir():
        raise VaultkitError(f"{people}: a file where a people folder could be; move it away first; nothing written")
    found = detect(folder)
    path = folder / CONFIG_NAME
    if path.exists():
        return False, found
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(existing_settings(found, date))
    except FileExistsError:
        return False, found
    except OSError as exc:
        raise VaultkitError(f"{path}: cannot write: {exc.strerror}") from None
    return True, found


def is_existing_vault(folder: Path) -> bool:
    return folder.is_dir() and has_notes(folder)
