"""The commands that change notes (`add`, `log`): only the lines they name, atomically."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from vaultkit.edit.notefile import os_error, rewrite_note
from vaultkit.errors import VaultkitError
from vaultkit.index.vault import Index
from vaultkit.model import Person, parse_cadence
from vaultkit.pages.render import Renderer
from vaultkit.read.body import FENCE_RE, ITEM_RE
from vaultkit.settings import Settings
from vaultkit.write import atomic_create

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
BAD_NAME_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def check_note_name(name: str) -> str:
    """A person's name as a note's file name, valid on Linux, macOS and Windows; else an error."""
    name = unicodedata.normalize("NFC", name)
    problem = None
    if not name.strip():
        problem = "it is empty"
    elif name != name.strip():
        problem = "it starts or ends with a space"
    elif BAD_NAME_CHARS.search(name):
        bad = BAD_NAME_CHARS.search(name).group(0)  # type: ignore[union-attr]
        problem = f"it contains {bad!r}; a file name cannot hold any of < > : \" / \\ | ? * or control characters"
    elif name in (".", "..") or name.startswith("."):
        problem = "it starts with a dot (a hidden file)"
    elif name.endswith("."):
        problem = "it ends with a dot, which Windows drops"
    elif name.split(".")[0].lower() in WINDOWS_RESERVED:
        problem = "it is a reserved device name on Windows"
    elif "[" in name or "]" in name or "#" in name or "^" in name:
        problem = "Obsidian links cannot point to names with [ ] # or ^"
    elif len(name.encode("utf-8")) > 250:
        problem = "it is too long for a file name"
    if problem:
        raise VaultkitError(f"cannot use {name!r} as a person's note name: {problem}")
    return name


def yaml_scalar(value: str) -> str:
    """A string as YAML: plain when that reads back the same, JSON-quoted otherwise."""
    plain = re.fullmatch(r"[A-Za-z_\u00c0-\uffff][\w .@/+'-]*", value)
    risky = value.lower() in {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}
    if plain and not risky and not value.endswith(" "):
        return value
    import json

    return json.dumps(value, ensure_ascii=False)


def add_person(
    settings: Settings,
    index: Index,
    name: str,
    tags: tuple[str, ...] = (),
    cadence: str = "",
    email: str | tuple[str, ...] = "",
    company: str = "",
    role: str = "",
    aliases: tuple[str, ...] = (),
    birthday: str = "",
    met: date | None = None,
    today: date | None = None,
) -> Path:
    """Create people/NAME.md from the vault's people template or vaultkit's; never over an existing person."""
    name = check_note_name(name)
    emails = [e.strip() for e in ((email,) if isinstance(email, str) else email) if e.strip()]
    for address in emails:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
            raise VaultkitError(f"--email {address!r} is not an email address (like ada@example.com)")
    if birthday:
        from vaultkit.read.records import parse_birthday

        if parse_birthday(birthday.strip()) is None:
            raise VaultkitError(f"--birthday {birthday!r}: expected YYYY-MM-DD, or --MM-DD when the year is unknown")
    for alias in aliases:
        if not alias.strip():
            raise VaultkitError("--alias is empty")
    existing = index.person(name)
    if existing is not None:
        raise VaultkitError(f"{name!r} is already in the vault: {existing.path}")
    if cadence and parse_cadence(cadence) is None:
        raise VaultkitError(
            f"unknown cadence {cadence!r} (weekly, biweekly, monthly, quarterly, yearly, or like 10d, 6w, 3m, 1y)"
        )
    path = people_folder(settings) / f"{name}.md"
    if not path.parent.resolve().is_relative_to(settings.root.resolve()):
        raise VaultkitError(f"{settings.people_dir}/ leads outside the vault (a symlink); not written")
    if path.exists():
        raise VaultkitError(f"{path.relative_to(settings.root).as_posix()} already exists")
    clean_tags = [t.strip().lstrip("#").lower() for t in tags if t.strip().lstrip("#")]
    from vaultkit.edit.template import find_template, from_template

    template = find_template(settings)
    if template is not None:
        fields = [
            ("tags", "[" + ", ".join(yaml_scalar(t) for t in clean_tags) + "]") if clean_tags else None,
            ("aliases", "[" + ", ".join(yaml_scalar(a.strip()) for a in aliases) + "]") if aliases else None,
            ("company", yaml_scalar(company)) if company else None,
            ("role", yaml_scalar(role)) if role else None,
            ("email", yaml_scalar(emails[0]) if len(emails) == 1 else "[" + ", ".join(map(yaml_scalar, emails)) + "]") if emails else None,
            ("birthday", json_quoted(birthday.strip()) if birthday.strip().startswith("--") else birthday.strip()) if birthday.strip() else None,
            ("met", met.isoformat()) if met else None,
            ("cadence", yaml_scalar(cadence)) if cadence else None,
        ]
        try:
            source = template.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise VaultkitError(f"{template.relative_to(settings.root).as_posix()}: cannot read the people template ({error})") from None
        text = from_template(source, name, today or date.today(), [f for f in fields if f])
    else:
        text = _builtin_note(settings, name, clean_tags, cadence, emails, company, role, aliases, birthday, met)
    try:
        atomic_create(path, text.encode("utf-8"))  # never over a file, never half a note
    except FileExistsError:
        raise VaultkitError(f"{path.relative_to(settings.root).as_posix()} already exists") from None
    except OSError as exc:
        raise os_error(path.relative_to(settings.root).as_posix(), "write", exc) from None
    return path


def _builtin_note(
    settings: Settings, name: str, clean_tags: list[str], cadence: str, emails: list[str], company: str, role: str,
    aliases: tuple[str, ...], birthday: str, met: date | None,
) -> str:
    """vaultkit's own person template, templates/person.md.j2."""
    return Renderer(settings).render_note(
        "person.md.j2",
        name=name,
        tags=[yaml_scalar(t) for t in clean_tags],
        cadence=yaml_scalar(cadence) if cadence else "",
        email=(yaml_scalar(emails[0]) if len(emails) == 1 else "[" + ", ".join(map(yaml_scalar, emails)) + "]") if emails else "",
        company=yaml_scalar(company) if company else "",
        role=yaml_scalar(role) if role else "",
        aliases=[yaml_scalar(a.strip()) for a in aliases],
        birthday=json_quoted(birthday.strip()) if birthday.strip().startswith("--") else birthday.strip(),
        met=met.isoformat() if met else "",
    )


def people_folder(settings: Settings) -> Path:
    """The people folder as it is on disk: `People/` for `people_dir = "people"`, as the scan reads it."""
    folder = settings.root
    for part in Path(settings.people_dir).parts:
        exact = folder / part
        if not exact.is_dir() and folder.is_dir():
            exact = next((d for d in sorted(folder.iterdir()) if d.name.casefold() == part.casefold() and d.is_dir()), exact)
        folder = exact
    return folder


def json_quoted(text: str) -> str:
    import json

    return json.dumps(text)




def log_line(when: date, text: str, tags: tuple[str, ...]) -> str:
    text = " ".join(text.split())
    if not text:
        raise VaultkitError("the log text is empty")
    present = {t.lower() for t in re.findall(r"#([\w/-]+)", text)}
    extra = [f"#{t}" for t in (t.strip().lstrip("#").lower() for t in tags) if t and t not in present]
    return " ".join([f"- {when.isoformat()}", text, *extra])


def append_log(settings: Settings, person: Person, line: str) -> Path:
    """Add `line` at the end of the note's `## Log` list (the heading is made if missing)."""
    return rewrite_note(settings, person.path, lambda text: insert_log_line(text, line))


def insert_log_line(text: str, line: str) -> str:
    """The note's text with `line` added to its Log section; every other byte as it was."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split("\n")
    start = _body_start(lines)
    heading, level = None, 0
    in_code = False
    for i in range(start, len(lines)):
        raw = lines[i].rstrip("\r")
        if FENCE_RE.match(raw):
            in_code = not in_code
        if in_code:
            continue
        found = HEADING_RE.match(raw)
        if found and heading is None and found.group(2).strip().lower() == "log":
            heading, level = i, len(found.group(1))
            continue
        if found and heading is not None and len(found.group(1)) <= level:
            end = i
            break
    else:
        end = len(lines)
    if heading is None:
        if not text:
            return f"## Log{newline}{line}{newline}"
        sep = "" if text.endswith("\n") else newline
        return f"{text}{sep}{newline}## Log{newline}{line}{newline}"
    after = heading
    in_item = False
    for i in range(heading + 1, end):
        raw = lines[i].rstrip("\r")
        if ITEM_RE.match(raw) and not raw.startswith((" ", "\t")):
            after, in_item = i, True
        elif in_item and raw.startswith((" ", "\t")) and raw.strip():
            after = i  # a continuation of the item above
        elif raw.strip():
            in_item = False
    # Insert right after that line's text, before its line end: the file's own newline
    # style is kept, and a file that ended without a newline still does.
    offset = sum(len(lines[j]) + 1 for j in range(after)) + len(lines[after].rstrip("\r"))
    return text[:offset] + newline + line + text[offset:]


def _body_start(lines: list[str]) -> int:
    """The index of the first line after the front matter (0 when there is none)."""
    if lines and lines[0].lstrip("\ufeff").rstrip("\r") == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip("\r").rstrip() in ("---", "..."):
                return i + 1
    return 0
