"""The person a typed name means (`vaultkit show NAME`, `log`, `snooze`, `done`, `thank`)."""

from __future__ import annotations

import unicodedata
from pathlib import PureWindowsPath

from vaultkit.errors import VaultkitError
from vaultkit.index.vault import Index
from vaultkit.model import Person
from vaultkit.words import key_of, named_by


def name_key(name: str) -> str:
    """A typed name's link key; an error for an empty name, a path or a folder's name."""
    if not name.strip():
        raise VaultkitError("the person's name is empty")
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or PureWindowsPath(name).drive:
        raise VaultkitError(f"{name!r} is a path, not a person's name")
    key = key_of(name)
    if not key:  # `x/`: a folder's name
        raise VaultkitError(f"{name!r} is not a person's name")
    return key


def find_person(index: Index, name: str) -> Person:
    """The one person a typed name means; a clear error otherwise, never a guess.

    In order: the file name, `name` or an alias; then a unique first name; then a unique
    prefix of a file name, `name` or alias -- each case- and accent-insensitive. A name
    that matches several people lists them; one that matches nobody names the closest.
    `people/Ada Lovelace.md` (as a shell completes it) means Ada; a name is looked up in
    the index, never opened as a path, and an empty, absolute or `..` name is refused.
    """
    key = name_key(name)
    matches = named_by(key, ((p, p.key, [k for _, k in p.other_keys]) for p in index.people))
    if len(matches) > 1:
        raise _several(name, matches, "use the file name")
    if matches:
        return matches[0]
    people = index.settings.people_dir.rstrip("/") + "/"
    unreadable = [p for p in index.problems if p.path.startswith(people) and p.severity == "error" and key_of(p.path.rpartition("/")[2]) == key]
    if unreadable:  # the note is there but does not read: say why, not that there is no one
        raise VaultkitError(f"{unreadable[0].path}: {unreadable[0].message.removesuffix('; skipped')}; not changed")
    wanted = fold(key)
    names = {p.key: [fold(n) for n in (p.key, p.name, *p.aliases)] for p in index.people}
    for rule, hint in (
        (lambda n: n == wanted, "use the file name"),
        (lambda n: n.split(" ")[0] == wanted, "give the full name"),
        (lambda n: n.startswith(wanted), "give more of the name"),
    ):
        found = [p for p in index.people if any(rule(n) for n in names[p.key])]
        if len(found) == 1:
            return found[0]
        if found:
            raise _several(name, found, hint)
    close = _closest(wanted, index.people, names)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise VaultkitError(f"no person named {name!r} in {index.settings.people_dir}/{hint}")


def _several(name: str, people: list[Person], hint: str) -> VaultkitError:
    listed = ", ".join(p.path for p in sorted(people, key=lambda p: p.order)[:10])
    more = f" and {len(people) - 10} more" if len(people) > 10 else ""
    return VaultkitError(f"{name!r} could be several people: {listed}{more}; {hint}")


def _closest(wanted: str, people: tuple[Person, ...], names: dict[str, list[str]], count: int = 3) -> list[str]:
    """The names most like a typo (difflib's ratio over each spelling), best first."""
    from difflib import SequenceMatcher

    scored = []
    for person in people:
        best = max(
            SequenceMatcher(None, wanted, part).ratio()
            for spelling in names[person.key]
            for part in (spelling, *spelling.split(" "))
        )
        if best >= 0.6:
            scored.append((-best, person.name.casefold(), person.name))
    return [name for _, _, name in sorted(scored)[:count]]


def fold(text: str) -> str:
    """A name as lookups compare it: no case, no accents, single spaces (`Ádá  lovelace` = `ada lovelace`)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())
