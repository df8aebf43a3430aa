"""Who in the vault a correspondent is: by email address or LinkedIn profile, then by exact
name or alias; and the correspondents who are nobody in the vault, counted."""

from __future__ import annotations

import fnmatch
import shlex
from collections import Counter
from pathlib import PurePosixPath

from vaultkit.importers.contact import clean, profile_key
from vaultkit.index.vault import Index
from vaultkit.model import Person


class People:
    """The vault's people, looked up the ways imported interactions name them."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.by_email: dict[str, Person] = {}
        self.by_profile: dict[str, Person] = {}
        for person in index.people:  # sorted by name: the first person keeps a shared address
            for email in person.emails:
                self.by_email.setdefault(email.strip().casefold(), person)
            url = dict(person.social).get("linkedin", "")
            if url:
                self.by_profile.setdefault(profile_key(url), person)

    def by_name(self, name: str) -> Person | None:
        name = clean(name)
        return self.index.person(name) if name else None

    def by_address(self, address: str, name: str = "") -> Person | None:
        return self.by_email.get(address.casefold()) or self.by_name(name)

    def by_linkedin(self, url: str, name: str = "") -> Person | None:
        found = self.by_profile.get(profile_key(url)) if url.strip() else None
        return found or self.by_name(name)


def link(person: Person) -> str:
    """A wiki link to the person's note by its file name, as the reader resolves it."""
    return f"[[{PurePosixPath(person.path).stem}]]"


def ignored(address: str, globs: tuple[str, ...]) -> bool:
    address = address.casefold()
    return any(fnmatch.fnmatchcase(address, glob.casefold()) for glob in globs)


class Strangers:
    """Correspondents who match nobody, by how often they were seen."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self.names: dict[str, str] = {}

    def add(self, key: str, name: str) -> None:
        self.seen[key] += 1
        if name and key not in self.names:
            self.names[key] = clean(name)

    def top(self, count: int = 10) -> list[tuple[str, str, int]]:
        """(key, name, times) of the most frequent, ties by key."""
        ranked = sorted(self.seen.items(), key=lambda item: (-item[1], item[0]))[:count]
        return [(key, self.names.get(key, ""), times) for key, times in ranked]

    def hints(self, noun: str, email: bool) -> list[str]:
        """`vaultkit add` lines for the ten seen most often."""
        lines = []
        for key, name, times in self.top():
            if not name:
                name = _name_from(key) if email else key
            command = f"vaultkit add {shlex.quote(name)}"
            if email:
                command += f" --email {shlex.quote(key)}"
            lines.append(f"  {command}  # {times} {noun if times == 1 else noun + 's'}")
        return lines


def _name_from(address: str) -> str:
    """`hedy.lamarr@example.com` -> `Hedy Lamarr`: a starting point for a note's name."""
    local = address.split("@")[0].replace(".", " ").replace("_", " ").replace("-", " ")
    return " ".join(part.capitalize() for part in local.split()) or address
