"""How long the reader and a build take on the heavy hostile notes of issue 5.

    .venv/bin/python benchmarks/hostile_notes.py

Times: reading a 5 MB note; refusing a billion-laughs alias bomb; reading a front
matter of 60,000 keys; lines built to make regular expressions backtrack; and a whole build of a vault whose one person has a 5 MB
log of recent lines (the worst case for the introductions page, which reads
recent log lines for hiring, looking and the like).
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from vaultkit.commands.build import build
from vaultkit.read.note import parse_note
from vaultkit.read.records import person_from_note
from vaultkit.settings import load_settings


def timed(label: str, func) -> object:
    started = time.perf_counter()
    result = func()
    print(f"{label:48} {time.perf_counter() - started:7.3f} s")
    return result


def main() -> None:
    entry = "- 2026-10-03 A long chat about work and life. " + "lorem ipsum " * 40 + "\n"
    big = ("---\ncadence: monthly\n---\n## Log\n" + entry * (5 * 2**20 // len(entry) + 1)).encode()
    note = timed(f"read a {len(big) / 2**20:.1f} MB note", lambda: parse_note(big, "people/Big.md"))
    timed("  ... and make it a person", lambda: person_from_note(note))  # type: ignore[arg-type]

    bomb = "---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]\n"
        for p, c in zip("abcdefghi", "bcdefghij", strict=True)
    )
    refused = timed(
        "refuse a billion-laughs bomb (9^10 values)",
        lambda: parse_note(bomb.encode() + b"---\n", "x.md"),
    )
    assert not refused.readable  # type: ignore[attr-defined]

    keys = b"---\n" + b"".join(b"key%d: value %d\n" % (i, i) for i in range(60_000)) + b"---\n"
    timed("read a front matter of 60,000 keys", lambda: parse_note(keys, "people/Keys.md"))

    lines = ["[[" * 100_000, " " * 200_000 + "y", "[due::" * 50_000, "[[a|" * 50_000]
    hostile = (
        "---\ncadence: monthly\n---\n" + "\n".join(f"- [ ] x {line}" for line in lines)
    ).encode()
    made = timed(
        "read lines made to backtrack (were quadratic)", lambda: parse_note(hostile, "x.md")
    )
    timed("  ... and make it a person", lambda: person_from_note(made))  # type: ignore[arg-type]

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "people").mkdir()
        (root / "people" / "Big.md").write_bytes(big)
        (root / "people" / "Ada.md").write_text("---\ncadence: monthly\n---\n", encoding="utf-8")
        settings = load_settings(root)
        timed(
            "build a vault with that 5 MB note (recent lines)",
            lambda: build(settings, date(2026, 12, 1)),
        )


if __name__ == "__main__":
    main()
