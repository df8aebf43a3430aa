"""vaultkit.toml -> a frozen Settings; every error collected, then raised once."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

from vaultkit.errors import VaultkitError

CONFIG_NAME = "vaultkit.toml"

DEFAULTS: dict[str, object] = {
    "people_dir": "people",
    "events_dir": "events",
    "resources_dir": "resources",
    "output_dir": "Overview",
    "templates_dir": "templates",
    "default_cadence": "",
    "link_style": "wiki",
    "thanks_tags": ["help", "gift", "intro", "referral"],
    "thanked_tags": ["thanked"],
    "intro_opt_out_tags": ["no-intros"],
    "cadence_by_tag": {},
    "person_tags": ["person", "people", "contact"],
    "exclude": [],
    "keys": {},
    "page_limit": 20,
    "alarm_time": "09:00",
    "mail": {},
    "interactions_dir": "Interactions",
    "me": [],
    "ignore_addresses": ["*noreply*", "*no-reply*", "notifications@*"],
    "max_recipients": 10,
    "max_attendees": 10,
}

FOLDER_KEYS = ("people_dir", "events_dir", "resources_dir", "output_dir", "templates_dir", "interactions_dir")


@dataclass(frozen=True)
class Mail:
    """[mail]: where `vaultkit digest --mail` sends the digest. The password is never here:
    it comes from the environment (VAULTKIT_SMTP_PASSWORD), not from a file in the vault."""

    host: str = ""
    port: int = 587
    starttls: bool = True
    sender: str = ""  # `from` in vaultkit.toml (a keyword in Python)
    to: tuple[str, ...] = ()
    username: str = ""


@dataclass(frozen=True)
class Settings:
    root: Path
    people_dir: str = "people"
    events_dir: str = "events"
    resources_dir: str = "resources"
    output_dir: str = "Overview"
    templates_dir: str = "templates"
    default_cadence: str = ""
    link_style: str = "wiki"
    thanks_tags: tuple[str, ...] = ("help", "gift", "intro", "referral")
    thanked_tags: tuple[str, ...] = ("thanked",)
    intro_opt_out_tags: tuple[str, ...] = ("no-intros",)
    cadence_by_tag: tuple[tuple[str, str], ...] = ()  # (tag, cadence), sorted by tag
    person_tags: tuple[str, ...] = ("person", "people", "contact")  # a note tagged so is a person, anywhere
    exclude: tuple[str, ...] = ()  # globs of vault-relative paths never read
    keys: tuple[tuple[str, tuple[str, ...]], ...] = ()  # [keys]: vaultkit's key -> more spellings, sorted
    # From Obsidian's own settings in .obsidian/ (vaultkit/obsidian.py), not from vaultkit.toml:
    obsidian_templates: tuple[str, ...] = ()  # the Templates and Templater folders: never read
    daily_folder: str = ""  # the daily notes' folder and Moment format; "" when not configured
    daily_format: str = ""
    obsidian_problems: tuple[tuple[str, str], ...] = ()  # (config file, what is wrong with it)
    page_limit: int = 20  # entries in each Reminders section and the digest; `vaultkit due --all` shows all
    # Read by the digest and the calendar export only: not in the repr, which keys the cache
    # of records (changing where mail goes must not make a build read every note again).
    alarm_time: str = field(default="09:00", repr=False)  # "HH:MM", checked
    mail: Mail = field(default_factory=Mail, repr=False)
    interactions_dir: str = "Interactions"  # ledger notes of imported mail, calendars, messages
    me: tuple[str, ...] = ()  # the user's own addresses, lower-case
    ignore_addresses: tuple[str, ...] = ("*noreply*", "*no-reply*", "notifications@*")
    max_recipients: int = 10
    max_attendees: int = 10
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def alarm_minutes(self) -> int:
        """alarm_time as minutes after midnight."""
        hours, minutes = self.alarm_time.split(":")
        return int(hours) * 60 + int(minutes)

    @property
    def output(self) -> Path:
        return self.root / self.output_dir

    @property
    def template_folders(self) -> tuple[str, ...]:
        """Folders of templates, never read as notes: vaultkit's, Obsidian's and Templater's."""
        return (self.templates_dir, *self.obsidian_templates)

    @property
    def note_folders(self) -> dict[str, str]:
        """Kind of record -> folder, relative to the root."""
        return {"person": self.people_dir, "event": self.events_dir, "resource": self.resources_dir}


def find_root(start: Path) -> Path:
    """The nearest folder upwards holding vaultkit.toml, else `start` itself (as git does)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start


def vault_root(vault: str | None) -> Path:
    """--vault / VAULTKIT_VAULT when given, else found from the current folder."""
    if vault:
        root = Path(vault).expanduser()
        if not root.is_dir():
            raise VaultkitError(f"{vault}: no such vault folder")
        return root.resolve()
    return find_root(Path.cwd())


def load_settings(root: Path) -> Settings:
    """Read root/vaultkit.toml if there is one (defaults otherwise), and what vaultkit reads of
    Obsidian's own settings: the daily notes folder and format, the templates folders."""
    return _with_obsidian(_from_toml(root))


def _with_obsidian(settings: Settings) -> Settings:
    from dataclasses import replace

    from vaultkit.obsidian import format_problem, read_obsidian

    found = read_obsidian(settings.root)
    problems = list(found.problems)
    daily_format = found.daily_format
    why = format_problem(daily_format)
    if why:
        problems.append((".obsidian", f"daily notes format {daily_format!r}: {why}; daily notes are dated by file name only"))
        daily_format = ""
    if not (found.template_folders or daily_format or problems):
        return settings
    return replace(
        settings,
        obsidian_templates=found.template_folders,
        daily_folder=found.daily_folder,
        daily_format=daily_format,
        obsidian_problems=tuple(problems),
    )


def _from_toml(root: Path) -> Settings:
    path = root / CONFIG_NAME
    if not path.is_file():
        return Settings(root=root)
    text = ""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        byte = raw[exc.start]
        raise VaultkitError(f"{path}:{line}:{column}: not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line L, column C)"; put the place first, as compilers do.
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if found:
            place = f"{found.group(1)}:{found.group(2)}"
            message = message[: found.start()].strip()
            raise VaultkitError(f"{path}:{place}: invalid TOML: {message}") from None
        if "(at end of document)" in message:  # an unclosed [ or " runs to the end of the file
            last = text.split("\n")
            message = message.replace("(at end of document)", "at the end of the file").strip()
            raise VaultkitError(f"{path}:{len(last)}:{len(last[-1]) + 1}: invalid TOML: {message}") from None
        raise VaultkitError(f"{path}: invalid TOML: {message}") from None
    except OSError as exc:
        raise VaultkitError(f"{path}: cannot read: {exc.strerror}") from None
    return settings_from_dict(root, data, source=str(path))


def settings_from_dict(root: Path, data: dict[str, object], source: str) -> Settings:
    errors: list[str] = []
    values: dict[str, object] = {}
    for key, value in data.items():
        if key not in DEFAULTS:
            known = ", ".join(sorted(DEFAULTS))
            errors.append(f"unknown setting {key!r} (known settings: {known})")
            continue
        expected = DEFAULTS[key]
        if key == "keys":
            values[key], key_errors = _key_spellings(value)
            errors.extend(key_errors)
        elif key in _CHECKS:
            found, key_errors = _CHECKS[key](value)
            if key_errors:
                errors.extend(key_errors)
            else:
                values[key] = found
        elif isinstance(expected, dict):
            values[key], rule_errors = _cadence_rules(key, value)
            errors.extend(rule_errors)
        elif key == "exclude":
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                errors.append(f'exclude: expected a list of path globs, like ["Archive/**"]; got {value!r}')
                continue
            values[key] = tuple(v.strip().strip("/") for v in value)
        elif isinstance(expected, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                errors.append(f"{key}: expected a whole number of 1 or more, got {value!r}")
                continue
            values[key] = value
        elif isinstance(expected, list):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append(f"{key}: expected a list of strings, got {value!r}")
                continue
            values[key] = tuple(v.strip().lstrip("#").lower() for v in value)
        elif isinstance(expected, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                errors.append(f"{key}: expected a whole number of 1 or more, got {value!r}")
            else:
                values[key] = value
        elif not isinstance(value, str):
            errors.append(f"{key}: expected a string, got {value!r}")
        else:
            values[key] = value
    if values.get("link_style", "wiki") not in ("wiki", "markdown"):
        errors.append(f"link_style: expected \"wiki\" or \"markdown\", got {values['link_style']!r}")
    cadence = values.get("default_cadence", "")
    if cadence:
        from vaultkit.model import parse_cadence  # only here: the model is not needed to start

        if parse_cadence(str(cadence)) is None:
            errors.append(
                f"default_cadence: {cadence!r} is not a cadence "
                "(weekly, biweekly, monthly, quarterly, yearly, or like 10d, 6w, 3m, 1y)"
            )
    errors.extend(_folder_errors(root, {k: str(values.get(k, DEFAULTS[k])) for k in FOLDER_KEYS}))
    if errors:
        raise VaultkitError(f"{source}: " + "\n  ".join(["invalid settings:", *errors]))
    return Settings(root=root, **values)  # type: ignore[arg-type]


def _key_spellings(value: object) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], list[str]]:
    """[keys] last_contact = ["Letzter Kontakt"]: more spellings of a key, each a string."""
    if not isinstance(value, dict):
        return (), [f'keys: expected a table of key = [spellings], like [keys] last_contact = ["Letzter Kontakt"]; got {value!r}']
    found: dict[str, tuple[str, ...]] = {}
    errors = []
    for key, spellings in value.items():
        if isinstance(spellings, str):
            spellings = [spellings]
        if not isinstance(spellings, list) or not all(isinstance(s, str) and s.strip() for s in spellings):
            errors.append(f"keys.{key}: expected a list of spellings, like {key} = [\"Letzter Kontakt\"]; got {spellings!r}")
            continue
        found[key.strip()] = tuple(s.strip() for s in spellings)
    return tuple(sorted(found.items())), errors


ALARM_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
MAIL_KEYS = ("from", "host", "port", "starttls", "to", "username")


def _page_limit(value: object) -> tuple[int, list[str]]:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return 0, [f"page_limit: expected a whole number of 1 or more, got {value!r}"]
    return value, []


def _alarm_time(value: object) -> tuple[str, list[str]]:
    if not isinstance(value, str) or not ALARM_TIME.fullmatch(value.strip()):
        return "", [f'alarm_time: expected a time of day as "HH:MM" (24-hour, like "09:00"), got {value!r}']
    return value.strip(), []


def _mail(value: object) -> tuple[Mail, list[str]]:
    """[mail] host, port, starttls, from, to, username; each checked, every error at once."""
    if not isinstance(value, dict):
        return Mail(), [f'mail: expected a table, like [mail] host = "smtp.example.com"; got {value!r}']
    errors: list[str] = []
    found: dict[str, object] = {}
    for key, item in value.items():
        if key not in MAIL_KEYS:
            hint = f"; if {key!r} is a setting, move it above the [mail] table" if key in DEFAULTS else ""
            errors.append(f"unknown setting 'mail.{key}' (known in [mail]: {', '.join(MAIL_KEYS)}){hint}")
        elif key == "port":
            if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 65535:
                errors.append(f"mail.port: expected a port number from 1 to 65535, got {item!r}")
            else:
                found["port"] = item
        elif key == "starttls":
            if not isinstance(item, bool):
                errors.append(f"mail.starttls: expected true or false, got {item!r}")
            else:
                found["starttls"] = item
        elif key == "to":
            to = (item,) if isinstance(item, str) else item
            if not isinstance(to, list | tuple) or not to or not all(isinstance(a, str) and a.strip() for a in to):
                errors.append(f"mail.to: expected an address or a list of addresses, got {item!r}")
            else:
                found["to"] = tuple(a.strip() for a in to)
        elif not isinstance(item, str):
            errors.append(f"mail.{key}: expected a string, got {item!r}")
        else:
            found["sender" if key == "from" else key] = item.strip()
    return Mail(**found), errors  # type: ignore[arg-type]


_CHECKS = {"page_limit": _page_limit, "alarm_time": _alarm_time, "mail": _mail}


def _cadence_rules(key: str, value: object) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    """[cadence_by_tag] mentor = "monthly": tags lower-case without '#', each cadence checked."""
    from vaultkit.model import parse_cadence  # only here: the model is not needed to start

    if not isinstance(value, dict):
        example = f'[{key}] mentor = "monthly"'
        return (), [f"{key}: expected a table of tag = cadence, like {example}; got {value!r}"]
    rules: dict[str, str] = {}
    errors = []
    for tag, cadence in value.items():
        clean = tag.strip().lstrip("#").lower()
        if not isinstance(cadence, str):
            errors.append(f"{key}.{tag}: expected a cadence as a string, got {cadence!r}")
        elif not clean:
            errors.append(f"{key}: {tag!r} is not a tag")
        elif parse_cadence(cadence) is None:
            hint = ""
            if tag in DEFAULTS:  # TOML puts every key after a [table] header into that table
                hint = f"; if {tag!r} is a setting, move it above the [{key}] table"
            errors.append(
                f"{key}.{tag}: {cadence!r} is not a cadence "
                f"(weekly, biweekly, monthly, quarterly, yearly, or like 10d, 6w, 3m, 1y){hint}"
            )
        else:
            rules[clean] = cadence
    return tuple(sorted(rules.items())), errors


def _folder_errors(root: Path, folders: dict[str, str]) -> list[str]:
    """Folders must be plain relative paths inside the vault; output may not hold notes."""
    errors = []
    resolved: dict[str, Path] = {}
    for key, folder in folders.items():
        # Judged as a Windows path too: C:\\out or \\\\server\\share is absolute there.
        windows = PureWindowsPath(folder)
        if (
            not folder.strip()
            or Path(folder).is_absolute()
            or windows.is_absolute()
            or windows.drive
            or ".." in windows.parts
        ):
            errors.append(f"{key}: {folder!r} must be a folder inside the vault (a relative path)")
            continue
        hidden = any(part.startswith(".") for part in Path(folder).parts if part != ".")
        if hidden and key == "output_dir":
            errors.append(
                f"output_dir: {folder!r} is a hidden folder (such as .git or .obsidian); "
                "vaultkit writes only into a folder of its own"
            )
            continue
        if hidden and key != "templates_dir":
            errors.append(f"{key}: {folder!r} is a hidden folder; hidden folders are never read")
            continue
        resolved[key] = Path(os.path.normpath(root / folder))
    output = resolved.get("output_dir")
    if output is None:
        return errors
    if output == Path(os.path.normpath(root)):
        errors.append("output_dir: must not be the vault root; vaultkit writes only into its own folder")
    for key in ("people_dir", "events_dir", "resources_dir", "templates_dir", "interactions_dir"):
        other = resolved.get(key)
        if other is None:
            continue
        if output == other or other.is_relative_to(output) or output.is_relative_to(other):
            errors.append(f"output_dir: {folders['output_dir']!r} overlaps {key} {folders[key]!r}")
    # Two note folders in one another would make a note both a person and an event.
    note_keys = ["people_dir", "events_dir", "resources_dir", "templates_dir", "interactions_dir"]
    for i, key in enumerate(note_keys):
        for other_key in note_keys[i + 1 :]:
            mine, other = resolved.get(key), resolved.get(other_key)
            if mine is None or other is None:
                continue
            if mine == other or mine.is_relative_to(other) or other.is_relative_to(mine):
                errors.append(f"{other_key}: {folders[other_key]!r} overlaps {key} {folders[key]!r}")
    return errors
