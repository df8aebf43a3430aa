"""What a vault that already exists holds, for `vaultkit init`: where its people, daily
notes and meeting notes are. Reads front matter only; changes nothing.

The rules are those of "Which notes are people" (docs/existing-vault.md): a `People` or
`Contacts` folder in any case at any depth, or a note tagged `person`, `people` or
`contact`, or whose `type`, `category` or `categories` names People, Person or Contact.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultkit.errors import VaultkitError
from vaultkit.read.note import read_note

PEOPLE_FOLDERS = ("people", "contacts")
PERSON_TAGS = ("person", "people", "contact")
PERSON_KINDS = ("people", "person", "contact", "contacts")
KIND_KEYS = ("type", "category", "categories")
ATTENDEE_KEYS = ("attendees", "people", "participants", "with")
TEMPLATE_FOLDERS = ("templates",)  # vaultkit's templates_dir, in any case: never people
OUTPUT_DIR = "Overview"
# Moment tokens that daily note formats use, as regular expressions.
MOMENT = {
    "YYYY": r"\d{4}", "MMMM": r"[^\W\d_]+", "MMM": r"[^\W\d_]{3}", "MM": r"\d{2}", "M": r"\d{1,2}",
    "DD": r"\d{2}", "D": r"\d{1,2}", "dddd": r"[^\W\d_]+", "ddd": r"[^\W\d_]{3}",
}
MOMENT_RE = re.compile(r"\[([^\]]*)\]|YYYY|MMMM|MMM|MM|M|DD|D|dddd|ddd")
DATE_STEM_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Found:
    """What `init` found in a vault."""

    notes: int  # Markdown notes read
    people_dir: str | None  # the folder of people, as spelt on disk; None: no such folder
    in_folder: int  # people in people_dir
    elsewhere: tuple[str, ...]  # people outside it, by tag or category (vault-relative paths)
    daily_dir: str  # "" for the vault root
    daily_format: str
    daily_source: str  # ".obsidian/daily-notes.json", or "" when the notes' names told
    daily: int
    meetings: int  # notes that are not people and list attendees
    templates: tuple[str, ...] = field(default=())  # folders skipped as templates

    @property
    def people(self) -> int:
        return self.in_folder + len(self.elsewhere)


def has_notes(folder: Path) -> bool:
    """Whether the folder holds any Markdown note outside hidden folders."""
    for _, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if any(f.lower().endswith(".md") and not f.startswith(".") for f in files):
            return True
    return False


def obsidian_setting(root: Path, name: str) -> dict[str, Any]:
    """`.obsidian/<name>` as a dict ({} when missing); a file that cannot be read is an error."""
    path = root / ".obsidian" / name
    if not path.exists():
        return {}
    rel = path.relative_to(root).as_posix()
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig") or "{}")
    except OSError as exc:
        raise VaultkitError(f"{rel}: cannot read: {exc.strerror}; nothing written") from None
    except UnicodeDecodeError:
        raise VaultkitError(f"{rel}: not UTF-8 text; fix it in Obsidian or delete it; nothing written") from None
    except json.JSONDecodeError as exc:
        raise VaultkitError(
            f"{rel}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); "
            "fix it in Obsidian or delete it; nothing written"
        ) from None
    if not isinstance(data, dict):
        raise VaultkitError(f"{rel}: expected a JSON object {{...}}, got {type(data).__name__}; nothing written")
    return data


def _folder(value: Any) -> str:
    return str(value).strip().strip("/") if isinstance(value, str) else ""


def template_folders(root: Path) -> tuple[str, ...]:
    """Obsidian's template folder and the Templater plugin's, when set."""
    found = [_folder(obsidian_setting(root, "templates.json").get("folder"))]
    found.append(_folder(obsidian_setting(root, "plugins/templater-obsidian/data.json").get("templates_folder")))
    return tuple(dict.fromkeys(f for f in found if f))


def moment_regex(fmt: str) -> re.Pattern[str]:
    """A daily notes format (Moment tokens, `[literal]`, `/` for folders) as a regex of paths."""
    out, at = [], 0
    for token in MOMENT_RE.finditer(fmt):
        out.append(re.escape(fmt[at : token.start()]))
        out.append(re.escape(token.group(1)) if token.group(1) is not None else MOMENT[token.group(0)])
        at = token.end()
    out.append(re.escape(fmt[at:]))
    return re.compile("".join(out))


def norm_key(key: object) -> str:
    """`Last Contact`, `last-contact` and `lastContact` all as `last_contact`."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(key))
    return re.sub(r"[\s\-]+", "_", text.strip()).lower()


def _words(value: Any) -> list[str]:
    """A front matter value as lower-case words: `[[People]]`, `#person`, lists of them."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if not isinstance(item, str):
            continue
        for part in re.split(r"[,\s]+", item) if "[[" not in item else [item]:
            part = part.strip().strip("[]").split("|")[0].strip().lstrip("#").lower()
            if part:
                out.append(part)
    return out


def kinds_of(meta: dict[str, Any]) -> tuple[bool, bool]:
    """(tagged or categorised as a person, categorised as something else)."""
    keys = {norm_key(k): v for k, v in meta.items()}
    tags = _words(keys.get("tags")) + _words(keys.get("tag"))
    person = any(t in PERSON_TAGS for t in tags)
    other = False
    for key in KIND_KEYS:
        words = _words(keys.get(key))
        if any(w in PERSON_KINDS for w in words):
            person = True
        elif words:
            other = True
    return person, other and not person


def attendees_in(meta: dict[str, Any]) -> bool:
    keys = {norm_key(k): v for k, v in meta.items()}
    return any(keys.get(k) not in (None, "", [], {}) for k in ATTENDEE_KEYS)


def detect(root: Path) -> Found:
    """Walk the vault (hidden folders and template folders skipped) and sort its notes."""
    templates = template_folders(root)
    skipped = {t.casefold() for t in templates}
    daily_settings = obsidian_setting(root, "daily-notes.json")
    daily_dir = _folder(daily_settings.get("folder"))
    fmt = daily_settings.get("format") if isinstance(daily_settings.get("format"), str) else ""
    daily_format = fmt.strip() or "YYYY-MM-DD"
    daily_source = ".obsidian/daily-notes.json" if daily_settings else ""
    daily_re = moment_regex(daily_format)

    notes: list[str] = []
    people_dirs: dict[str, int] = {}  # folder -> notes at any depth below it
    for dirpath, dirs, files in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        keep = []
        for d in sorted(dirs):
            rel = f"{rel_dir}/{d}" if rel_dir else d
            if d.startswith(".") or rel.casefold() in skipped or d.casefold() in TEMPLATE_FOLDERS:
                continue
            if rel.casefold() == OUTPUT_DIR.casefold() and not rel_dir:
                continue  # vaultkit's own pages, from an earlier try
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            if name.lower().endswith(".md") and not name.startswith("."):
                notes.append(f"{rel_dir}/{name}" if rel_dir else name)
    for rel in notes:
        parts = rel.split("/")[:-1]
        for depth, part in enumerate(parts):
            if part.casefold() in PEOPLE_FOLDERS:
                folder = "/".join(parts[: depth + 1])
                people_dirs[folder] = people_dirs.get(folder, 0) + 1
    # The folder with the most notes; ties: the shallowest, then by name.
    people_dir = min(people_dirs, key=lambda f: (-people_dirs[f], f.count("/"), f), default=None)

    in_folder, elsewhere, daily, meetings = 0, [], 0, 0
    for rel in notes:
        note = read_note(root / rel, rel)
        meta = note.meta if note.readable else {}
        person, other = kinds_of(meta)
        stem = rel.rsplit("/", 1)[-1][:-3]
        inside = people_dir is not None and rel.startswith(people_dir + "/")
        folder_note = inside and rel.split("/")[-2] == stem
        if inside and not other and not folder_note:
            in_folder += 1
            continue
        if person and not inside:
            elsewhere.append(rel)
            continue
        if _is_daily(rel, daily_dir, daily_re, bool(daily_source)):
            daily += 1
        if attendees_in(meta):
            meetings += 1
    return Found(
        notes=len(notes),
        people_dir=people_dir,
        in_folder=in_folder,
        elsewhere=tuple(elsewhere),
        daily_dir=daily_dir,
        daily_format=daily_format,
        daily_source=daily_source,
        daily=daily,
        meetings=meetings,
        templates=templates,
    )


def _is_daily(rel: str, folder: str, pattern: re.Pattern[str], configured: bool) -> bool:
    path = rel[:-3]
    if configured:
        if folder:
            if not path.startswith(folder + "/"):
                return False
            path = path[len(folder) + 1 :]
        return pattern.fullmatch(path) is not None
    return DATE_STEM_RE.fullmatch(path.rsplit("/", 1)[-1]) is not None
