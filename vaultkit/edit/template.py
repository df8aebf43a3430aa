"""A new person's note from the vault's own Obsidian people template, when it has one.

`vaultkit add` starts from `Templates/Person.md` (or `People Template.md`, `Contact
Template.md`, in Obsidian's or Templater's templates folder): `{{title}}` and
`<% tp.file.title %>` become the name, `{{date}}` and `{{date:FORMAT}}` today. The fields given
on the command line fill the template's own keys, in the template's own spelling (`org:` for
--company), or are added after them; every other line of the template stays as it is.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from vaultkit.edit.frontmatter import add_keys, set_key
from vaultkit.read import keys
from vaultkit.read.note import parse_note
from vaultkit.settings import Settings

TEMPLATE_NAMES = ("person", "person template", "people template", "people", "contact template", "contact")
_TITLE_RE = re.compile(r"\{\{\s*title\s*\}\}|<%\s*tp\.file\.title\s*%>")
_DATE_RE = re.compile(r"\{\{\s*date(?::([^}]*))?\s*\}\}|<%\s*tp\.date\.now\(\s*(?:\"([^\"]*)\"|'([^']*)')?\s*\)\s*%>")
# Moment tokens a date template uses, longest first (the rest of a format is kept as written).
_MOMENT = (("YYYY", "%Y"), ("YY", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("DD", "%d"), ("dddd", "%A"), ("ddd", "%a"), ("HH", "%H"), ("mm", "%M"))


def find_template(settings: Settings) -> Path | None:
    """The vault's people template: the first of TEMPLATE_NAMES in a templates folder."""
    folders = [*settings.obsidian_templates, "Templates", settings.templates_dir]
    for folder in dict.fromkeys(folders):
        base = settings.root / folder
        if not base.is_dir():
            continue
        found = {p.stem.casefold(): p for p in base.iterdir() if p.suffix.lower() == ".md" and p.is_file() and not p.is_symlink()}
        for name in TEMPLATE_NAMES:
            if name in found:
                return found[name]
    return None


def moment(fmt: str, today: date) -> str:
    """A Moment format of Obsidian's date templates, for today (YYYY-MM-DD when none)."""
    if not fmt.strip():
        return today.isoformat()
    if "x" in fmt.replace("\\x", ""):  # `x`: a Unix time in milliseconds, as templates use for ids
        import time

        fmt = re.sub(r"(?<!\\)x", str(time.time_ns() // 1_000_000), fmt)
    fmt = re.sub(r"\\+(.)", r"\1", fmt)  # `\p`: a literal p
    out = fmt
    for token, code in _MOMENT:
        out = out.replace(token, "\x00" + code + "\x00")
    return "".join(today.strftime(part) if part.startswith("%") else part for part in out.split("\x00"))


def from_template(template: str, name: str, today: date, fields: list[tuple[str, str]]) -> str:
    """The template's text for this person, with `fields` (vaultkit's key, YAML value) set."""
    text = _TITLE_RE.sub(name, template)
    text = _DATE_RE.sub(lambda m: moment(m.group(1) or m.group(2) or m.group(3) or "", today), text)
    meta = parse_note(text.encode("utf-8"), "template.md").meta
    written, _ = keys.canonical_names(meta, keys.table("person"))
    missing = []
    for key, value in fields:
        if key in written:
            text = set_key(text, written[key], value)
        else:
            missing.append((key, value))
    return add_keys(text, missing) if missing else text
