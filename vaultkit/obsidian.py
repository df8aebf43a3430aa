"""What Obsidian's own configuration says about the vault: the daily notes and the template folders.

vaultkit reads four files under `.obsidian/`, never writes them, and never fails on them:

- `daily-notes.json` (the core Daily notes plugin): `folder`, `format`;
- `plugins/periodic-notes/data.json` (the Periodic Notes plugin): its daily settings;
- `templates.json` (the core Templates plugin): `folder`;
- `plugins/templater-obsidian/data.json` (the Templater plugin): `templates_folder`.

A file that is missing is simply not there. A file that exists but cannot be used (unreadable,
not JSON, not an object, a value of the wrong type) is one problem, (path, message), and is
then treated as missing: the build goes on. `json` is imported only once a file has been read,
and nothing is read when the vault has no `.obsidian/` folder (a no-change build must stay
cheap, tests/test_startup.py).

`daily_date` then says which notes are daily notes and their dates, by matching a note's path
against the daily notes folder and Moment format; `format_problem` says why a format cannot
be read. See docs/daily-notes.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from vaultkit.words import nfc

DAILY_NOTES = ".obsidian/daily-notes.json"
PERIODIC_NOTES = ".obsidian/plugins/periodic-notes/data.json"
TEMPLATES = ".obsidian/templates.json"
TEMPLATER = ".obsidian/plugins/templater-obsidian/data.json"
COMMUNITY_PLUGINS = ".obsidian/community-plugins.json"
PERIODIC_NOTES_ID = "periodic-notes"  # its id in community-plugins.json
CONFIG_FILES = (DAILY_NOTES, PERIODIC_NOTES, TEMPLATES, TEMPLATER, COMMUNITY_PLUGINS)  # all that is read

DEFAULT_DAILY_FORMAT = "YYYY-MM-DD"  # what Obsidian and Periodic Notes use when the format is empty

DAILY_BY_NAME_ONLY = "daily notes are read by file name only"


@dataclass(frozen=True)
class ObsidianConfig:
    daily_folder: str = ""  # vault-relative, forward slashes, no leading/trailing "/"; "" = the root
    daily_format: str = ""  # Moment format as configured; "" = no daily-notes config found
    template_folders: tuple[str, ...] = ()  # core Templates + Templater folders, normalised, unique, sorted
    problems: tuple[tuple[str, str], ...] = ()  # (vault-relative config path, message)


# --- reading .obsidian -------------------------------------------------------------------------


class _Unusable(Exception):
    """A config file that exists but cannot be used; the message says why."""


def read_obsidian(root: Path) -> ObsidianConfig:
    """The daily notes and template settings of the vault at `root`, with the problems found.

    Which daily notes settings win:

    1. Periodic Notes' daily settings, when its daily notes are enabled (`"enabled": true`) and
       the plugin is switched on (listed in `.obsidian/community-plugins.json`, or that file is
       absent). Periodic Notes replaces the core plugin's daily notes in practice: it is
       installed to do so, and its settings tab offers to migrate the core settings into its own.
    2. Else the core Daily notes plugin's `daily-notes.json`, when it exists (whether or not the
       core plugin is on today: the notes it made are still in its folder).
    3. Else Periodic Notes' enabled daily settings even though the plugin is switched off, for
       the same reason.

    Both shapes of Periodic Notes are read: 0.x (`"daily": {"format", "folder", "enabled"}`)
    and 1.0 (`"calendarSets": [{"id", "day": {...}}]` with `"activeCalendarSet"`, default
    "Default"; else the first set). An empty or missing format is `YYYY-MM-DD`, as in both
    plugins. A JSON `null` is taken as a missing key.
    """
    if not (root / ".obsidian").is_dir():
        return ObsidianConfig()
    problems: list[tuple[str, str]] = []

    core, core_error = _daily_notes(root)
    periodic, periodic_error = _periodic_notes(root)
    plugin_on, plugins_error = True, None
    if periodic is not None:
        plugin_on, plugins_error = _plugin_enabled(root, PERIODIC_NOTES_ID)

    if periodic is not None and plugin_on:
        daily, used = periodic, PERIODIC_NOTES
    elif core is not None:
        daily, used = core, DAILY_NOTES
    elif periodic is not None:
        daily, used = periodic, PERIODIC_NOTES
    else:
        daily, used = ("", ""), ""
    if core_error:
        problems.append((DAILY_NOTES, core_error + _instead(used)))
    if periodic_error:
        problems.append((PERIODIC_NOTES, periodic_error + _instead(used)))
    if plugins_error:
        problems.append((COMMUNITY_PLUGINS, plugins_error + "; Periodic Notes is taken to be switched on"))

    folders = set()
    for rel, key in ((TEMPLATES, "folder"), (TEMPLATER, "templates_folder")):
        try:
            data = _load_object(root, rel)
            if data is not None and (value := _text(data, key)):
                folders.add(normalise_folder(value))
        except _Unusable as error:
            problems.append((rel, f"{error}; the templates in its folder are read as notes"))
    folders.discard("")  # an unset template folder is not the whole vault

    return ObsidianConfig(
        daily_folder=daily[0],
        daily_format=daily[1],
        template_folders=tuple(sorted(folders)),
        problems=tuple(problems),
    )


def _instead(used: str) -> str:
    return f"; {used} is used instead" if used else "; " + DAILY_BY_NAME_ONLY


def _daily_notes(root: Path) -> tuple[tuple[str, str] | None, str | None]:
    """(folder, format) of the core Daily notes plugin, or None; the problem with its file."""
    try:
        data = _load_object(root, DAILY_NOTES)
        if data is None:
            return None, None
        return (normalise_folder(_text(data, "folder")), _text(data, "format") or DEFAULT_DAILY_FORMAT), None
    except _Unusable as error:
        return None, str(error)


def _periodic_notes(root: Path) -> tuple[tuple[str, str] | None, str | None]:
    """(folder, format) of Periodic Notes' enabled daily notes, or None; the problem with its file."""
    try:
        data = _load_object(root, PERIODIC_NOTES)
        if data is None:
            return None, None
        sets = data.get("calendarSets")
        if sets is not None and not isinstance(sets, list):
            raise _Unusable(f'"calendarSets" is {_kind(sets)}, not an array')
        if sets:  # 1.0: calendar sets, one of them active
            for number, each in enumerate(sets):
                if not isinstance(each, dict):
                    raise _Unusable(f'"calendarSets" item {number + 1} is {_kind(each)}, not an object')
            active = _text(data, "activeCalendarSet") or "Default"
            chosen = next((each for each in sets if each.get("id") == active), sets[0])
            daily, where = chosen.get("day"), '"day" of the calendar set'
        else:  # 0.x: one "daily" object
            daily, where = data.get("daily"), '"daily"'
        if daily is None:
            return None, None
        if not isinstance(daily, dict):
            raise _Unusable(f"{where} is {_kind(daily)}, not an object")
        enabled = daily.get("enabled")
        if enabled is not None and not isinstance(enabled, bool):
            raise _Unusable(f'"enabled" in {where} is {_kind(enabled)}, not true or false')
        if not enabled:
            return None, None
        folder, fmt = _text(daily, "folder", where), _text(daily, "format", where)
        return (normalise_folder(folder), fmt or DEFAULT_DAILY_FORMAT), None
    except _Unusable as error:
        return None, str(error)


def _plugin_enabled(root: Path, plugin: str) -> tuple[bool, str | None]:
    """Whether community-plugins.json lists the plugin (True when the file is absent or unusable)."""
    try:
        data = _load(root, COMMUNITY_PLUGINS)
    except _Unusable as error:
        return True, str(error)
    if data is _MISSING:
        return True, None
    if not isinstance(data, list) or not all(isinstance(each, str) for each in data):
        return True, f"not a JSON array of plugin ids ({_kind(data)})"
    return plugin in data, None


_MISSING = object()


def _load(root: Path, rel: str) -> object:
    """The JSON value of one config file, or _MISSING; _Unusable when it exists but cannot be read."""
    try:
        raw = (root / rel).read_bytes()
    except FileNotFoundError:
        return _MISSING
    except NotADirectoryError:  # .obsidian/plugins is a file: nothing of the plugin is there
        return _MISSING
    except OSError as error:
        raise _Unusable(f"cannot be read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")  # a BOM, as PowerShell's Out-File writes, is not an error
    except UnicodeDecodeError as error:
        raise _Unusable(f"not UTF-8 text (byte {error.start + 1})") from None
    if not text.strip():
        raise _Unusable("empty, not JSON")
    import json  # only here: a vault without these files never loads it

    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _Unusable(f"not JSON (line {error.lineno}, column {error.colno}): {error.msg}") from None
    except RecursionError:
        raise _Unusable("not JSON that vaultkit can read (nested too deeply)") from None


def _load_object(root: Path, rel: str) -> dict | None:
    data = _load(root, rel)
    if data is _MISSING:
        return None
    if not isinstance(data, dict):
        raise _Unusable(f"not a JSON object ({_kind(data)})")
    return data


def _text(data: dict, key: str, where: str = "") -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        inside = f" in {where}" if where else ""
        raise _Unusable(f'"{key}"{inside} is {_kind(value)}, not text')
    return value


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null"


def normalise_folder(value: str) -> str:
    """A folder as configured -> vault-relative, "/"-separated, no leading or trailing "/".

    "/Daily/" -> "Daily", "Daily Notes/" -> "Daily Notes", "./Journal" -> "Journal",
    "Journal\\\\2026" -> "Journal/2026", "/" and "" -> "" (the root). Like Obsidian's
    normalizePath, no-break spaces are spaces and the text is NFC.
    """
    text = nfc(value.replace("\u00a0", " ").replace("\u202f", " ").strip()).replace("\\", "/")
    return "/".join(part for part in text.split("/") if part not in ("", "."))


# --- the date of a daily note ------------------------------------------------------------------

# Moment's own tokenizer (moment.js `formattingTokens`), so that a format splits as Moment splits it.
# These two are patterns that `re` compiles (and keeps) when a format is first read, not at every
# start: most vaults have no daily notes format.
_MOMENT_TOKENS = (
    r"(?s)(\[[^\[]*\])|(\\)?([Hh]mm(?:ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?|Qo?"
    r"|N{1,5}|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|gg(?:ggg?)?|GG(?:GGG?)?|e|E|a|A|hh?|HH?|kk?|mm?|ss?"
    r"|S{1,9}|x|X|zz?|ZZ?|.)"
)
# Moment expands these to the locale's long formats before formatting (moment.js `localFormattingTokens`).
_LOCALE_FORMATS = r"(\[[^\[]*\])|(\\)?(LTS|LT|LL?L?L?|l{1,4})"
# The single characters that Moment formats as a value ("Y" through its catch-all "any character").
_SINGLE_TOKENS = frozenset("MDdwWQNyeEaAhHkmsSxXzZY")

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # date.weekday() order

_MONTH_NUMBER = {name: number for number, name in enumerate(MONTHS, 1)} | {name[:3]: number for number, name in enumerate(MONTHS, 1)}
_WEEKDAY_NUMBER = (
    {name: number for number, name in enumerate(WEEKDAYS)}
    | {name[:3]: number for number, name in enumerate(WEEKDAYS)}
    | {name[:2]: number for number, name in enumerate(WEEKDAYS)}
)


def _alternatives(names: tuple[str, ...] | list[str]) -> str:
    return "(" + "|".join(sorted(names, key=len, reverse=True)) + ")"


def _ordinal_ok(text: str) -> int | None:
    number, suffix = int(text[:-2]), text[-2:].lower()
    if number % 100 in (11, 12, 13):
        right = "th"
    else:
        right = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return number if suffix == right else None


def _two_digit_year(text: str) -> int:
    number = int(text)
    return number + (1900 if number > 68 else 2000)  # Moment's parseTwoDigitYear


# token -> (regex, field, text -> value or None). Fields that are the same quantity share a name,
# so that repeated tokens must agree: YYYY and YY, MM and MMMM, ddd and dddd.
_SUPPORTED = {
    "YYYY": (r"(\d{4})", "year", int),
    "YY": (r"(\d{2})", "year", _two_digit_year),
    "Q": (r"([1-4])", "quarter", int),
    "M": (r"(1[0-2]|[1-9])", "month", int),
    "MM": (r"(0[1-9]|1[0-2])", "month", int),
    "MMM": (_alternatives([name[:3] for name in MONTHS]), "month", lambda text: _MONTH_NUMBER[text.lower()]),
    "MMMM": (_alternatives(MONTHS), "month", lambda text: _MONTH_NUMBER[text.lower()]),
    "D": (r"(3[01]|[12]\d|[1-9])", "day", int),
    "DD": (r"(0[1-9]|[12]\d|3[01])", "day", int),
    "Do": (r"((?:3[01]|[12]\d|[1-9])(?:st|nd|rd|th))", "day", _ordinal_ok),
    "d": (r"([0-6])", "weekday", lambda text: (int(text) - 1) % 7),  # 0 = Sunday
    "E": (r"([1-7])", "weekday", lambda text: int(text) - 1),  # 1 = Monday (ISO)
    "dd": (_alternatives([name[:2] for name in WEEKDAYS]), "weekday", lambda text: _WEEKDAY_NUMBER[text.lower()]),
    "ddd": (_alternatives([name[:3] for name in WEEKDAYS]), "weekday", lambda text: _WEEKDAY_NUMBER[text.lower()]),
    "dddd": (_alternatives(WEEKDAYS), "weekday", lambda text: _WEEKDAY_NUMBER[text.lower()]),
    "W": (r"([1-9]|[1-4]\d|5[0-3])", "isoweek", int),
    "WW": (r"(0[1-9]|[1-4]\d|5[0-3])", "isoweek", int),
    "GGGG": (r"(\d{4})", "isoyear", int),
    # Locale weeks: their numbering depends on Obsidian's language and week-start setting,
    # which vaultkit does not know, so only the range is checked (the date comes from YMD).
    "w": (r"([1-9]|[1-4]\d|5[0-3])", "week", int),
    "ww": (r"(0[1-9]|[1-4]\d|5[0-3])", "week", int),
    "gggg": (r"(\d{4})", "weekyear", int),
}
SUPPORTED_TOKENS = tuple(_SUPPORTED)

_NEEDED = (("year", "year (YYYY or YY)"), ("month", "month (M, MM, MMM or MMMM)"), ("day", "day (D, DD or Do)"))


def _lex(fmt: str) -> tuple[list[tuple[str, str]], str | None]:
    """The format as [("text", literal) | ("token", name)], as Moment reads it; or the problem."""
    for match in re.finditer(_LOCALE_FORMATS, fmt):
        if match.group(3) and not match.group(2):
            return [], f"cannot read the locale format token {match.group(3)!r} in {fmt!r}: write the date with YYYY, MM, DD and the like"
    parts: list[tuple[str, str]] = []
    for match in re.finditer(_MOMENT_TOKENS, fmt):
        bracketed, escaped, token = match.groups()
        if bracketed:
            parts.append(("text", bracketed[1:-1]))
        elif escaped:
            parts.append(("text", token))
        elif len(token) > 1 or token in _SINGLE_TOKENS:
            if token not in _SUPPORTED:
                return [], f"cannot read the Moment token {token!r} in {fmt!r} (vaultkit reads {' '.join(SUPPORTED_TOKENS)} and [text])"
            parts.append(("token", token))
        else:
            parts.append(("text", token))
    return parts, None


def format_problem(fmt: str) -> str | None:
    """Why vaultkit cannot read this daily notes format, or None when it can.

    "" is "no format configured": nothing to read and nothing wrong, so None (and `daily_date`
    gives None for every path).
    """
    if not fmt:
        return None
    parts, problem = _lex(fmt)
    if problem:
        return problem
    fields = {_SUPPORTED[name][1] for kind, name in parts if kind == "token"}
    missing = [what for field, what in _NEEDED if field not in fields]
    if missing:
        return f"{fmt!r} is not a whole date: it names no {' and no '.join(missing)}"
    return None


@dataclass(frozen=True)
class _Compiled:
    pattern: re.Pattern[str]
    converts: tuple  # text -> value or None, one for each group of the pattern
    ymd: tuple[int, int, int]  # the groups that give the year, the month and the day
    digits: bool  # the year, month and day are digits: int() them
    simple: bool  # and they are all the pattern has
    checks: tuple  # (groups, day) -> bool: the other groups agree with the day and each other


@lru_cache(maxsize=64)
def _compile(folder: str, fmt: str) -> _Compiled | None:
    """One regular expression for the daily notes' paths; a token written twice is a backreference."""
    if not fmt or format_problem(fmt):
        return None
    parts, _ = _lex(fmt)
    folder = normalise_folder(folder)
    regex = [re.escape(folder + "/") if folder else ""]
    tokens: list[str] = []  # the token of each group, in order
    for kind, value in parts:
        if kind == "text":
            regex.append(re.escape(nfc(value)))
        elif value in tokens:  # the same token again must be the same text: (?P=...)
            regex.append(f"(?P=t{tokens.index(value)})")
        else:
            pattern = _SUPPORTED[value][0]
            regex.append(f"(?P<t{len(tokens)}>{pattern[1:-1]})")
            tokens.append(value)
    regex.append(r"\.md")
    converts = tuple(_SUPPORTED[token][2] for token in tokens)
    fields = [_SUPPORTED[token][1] for token in tokens]
    first = {field: fields.index(field) for field in fields}
    checks = [  # one field in two tokens (YY and YYYY, MM and MMMM) must say the same
        _same(converts[first[field]], first[field], converts[number], number)
        for number, field in enumerate(fields)
        if first[field] != number
    ]
    checks += [_agrees(field, converts[number], number) for field, number in first.items() if field in _AGREES]
    if "weekyear" in first:  # a locale's week-year (gggg) is the year or one next to it
        checks.append(_near_year(converts[first["weekyear"]], first["weekyear"]))
    digits = all(tokens[first[field]] in ("YYYY", "M", "MM", "D", "DD") for field in ("year", "month", "day"))
    return _Compiled(
        pattern=re.compile("".join(regex), re.IGNORECASE),
        converts=converts,
        ymd=(first["year"], first["month"], first["day"]),
        digits=digits,
        simple=digits and not checks,
        checks=tuple(checks),
    )


def _same(convert, number: int, convert_other, other: int):
    return lambda groups, day: convert(groups[number]) == convert_other(groups[other])


# field -> what the day says it must be
_AGREES = {
    "weekday": date.weekday,
    "quarter": lambda day: (day.month - 1) // 3 + 1,
    "isoyear": lambda day: day.isocalendar()[0],
    "isoweek": lambda day: day.isocalendar()[1],
}


def _agrees(field: str, convert, number: int):
    expected = _AGREES[field]
    return lambda groups, day: convert(groups[number]) == expected(day)


def _near_year(convert, number: int):
    return lambda groups, day: abs(convert(groups[number]) - day.year) <= 1


def daily_date(rel: str, folder: str, fmt: str) -> date | None:
    """The date of the note at vault-relative `rel` when it is a daily note, else None.

    A daily note lies in `folder` ("" = the root) and its path below the folder, without
    ".md", is `fmt` formatted for one day: `daily_date("Journal/2026/11/2026-11-02.md",
    "Journal", "YYYY/MM/YYYY-MM-DD")` is 2026-11-02. Names of months and weekdays are
    English and match in any case, as does the folder. The date must exist (no 2026-02-30),
    a weekday, quarter or ISO week in the name must be that date's, and a token written twice
    must say the same both times (`YYYY/YYYY-MM-DD`). A format that `format_problem` rejects
    dates nothing. Each (folder, fmt) is compiled once into one regular expression.
    """
    compiled = _compile(folder, fmt)
    if compiled is None:
        return None
    match = compiled.pattern.fullmatch(rel if rel.isascii() else nfc(rel))
    if match is None:
        return None
    groups = match.groups()
    if compiled.digits:  # the common case: the year, month and day are digits
        y, m, d = compiled.ymd
        try:
            day = date(int(groups[y]), int(groups[m]), int(groups[d]))
        except ValueError:  # 2026-02-30
            return None
        if compiled.simple:
            return day
        for check in compiled.checks:
            if not check(groups, day):
                return None
        return day
    return _resolve(compiled, groups)


def _resolve(compiled: _Compiled, groups: tuple[str, ...]) -> date | None:
    """The date of a name whose year, month or day is not plain digits (YY, MMM, Do)."""
    y, m, d = compiled.ymd
    converts = compiled.converts
    try:
        day = date(converts[y](groups[y]), converts[m](groups[m]), converts[d](groups[d]))
    except (ValueError, TypeError):  # 2026-02-30; "2th" (None)
        return None
    return day if all(check(groups, day) for check in compiled.checks) else None
