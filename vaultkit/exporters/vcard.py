"""The people of the vault -> one vCard 4.0 per person (vobject).

Standard properties carry what address books know (FN, N, NICKNAME for aliases,
CATEGORIES for tags, ORG, TITLE, EMAIL, TEL, BDAY); vaultkit's own keys travel in
X-VAULTKIT-* properties and social profiles in X-SOCIALPROFILE;TYPE=<network>, so
that `vaultkit import vcard` of the file gives the same people and keys. A key is
exported only when the note has it: a default cadence or status is not written in.
The note's body stays private: it is not exported.
"""

from __future__ import annotations

import vobject

from vaultkit.exporters import stable_uid
from vaultkit.index.vault import Index
from vaultkit.model import Person
from vaultkit.read.note import read_note
from vaultkit.read.records import written_keys


def export_vcard(index: Index) -> bytes:
    cards = [_card(index, person) for person in index.people]
    return "".join(cards).encode("utf-8")


def _card(index: Index, person: Person) -> str:
    meta = read_note(index.settings.root / person.path, person.path).meta
    written = {key: meta[name] for key, name in written_keys(meta).items()}  # `Cadence` is cadence
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("uid").value = f"urn:uuid:{stable_uid('person', person.key)}"
    card.add("fn").value = person.name
    given, _, family = person.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    for alias in person.aliases:
        card.add("nickname").value = alias
    if person.tags:
        card.add("categories").value = list(person.tags)
    if person.company:
        card.add("org").value = [person.company]
    if person.role:
        card.add("title").value = person.role
    for email in person.emails:
        card.add("email").value = email
    if person.phone:
        tel = card.add("tel")
        tel.value = person.phone
        tel.params["VALUE"] = ["text"]
    for network, address in person.social:
        profile = card.add("x-socialprofile")
        profile.value = address
        profile.params["TYPE"] = [network]
    if person.birthday:
        b = person.birthday
        card.add("bday").value = (
            f"{b.year:04d}{b.month:02d}{b.day:02d}" if b.year else f"--{b.month:02d}{b.day:02d}"
        )
    extra = {
        "met": person.met.isoformat() if person.met else "",
        "how-met": person.how_met,
        "introduced-by": _introducer(index, person, written.get("introduced_by")),
        "cadence": person.cadence.label if person.cadence and "cadence" in written else "",
        "status": person.status if "status" in written else "",
        "snooze-until": person.snooze_until.isoformat() if person.snooze_until else "",
        "last-contact": person.last_contact.isoformat() if person.last_contact else "",
    }
    for key, value in extra.items():
        if value:
            card.add(f"x-vaultkit-{key}").value = _one_line(value)
    for interest in person.interests:
        card.add("x-vaultkit-interest").value = _one_line(interest)
    for group in person.groups:
        card.add("x-vaultkit-group").value = _one_line(group)
    return card.serialize()


def _introducer(index: Index, person: Person, written: object) -> str:
    """Who introduced the person, as the note links them (`[[Priya]]` -> `Priya`)."""
    if not person.introduced_by:
        return ""
    if isinstance(written, str) and written.strip():
        return written.strip().removeprefix("[[").removesuffix("]]").split("|")[0]
    found = index.person(person.introduced_by)
    return found.name if found else person.introduced_by


def _one_line(text: str) -> str:
    return " ".join(text.split())
