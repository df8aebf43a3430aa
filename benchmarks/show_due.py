"""Benchmark `vaultkit show NAME` and `vaultkit due` at 10,000 people, warm, against the read floor.

    python benchmarks/show_due.py                  # 10,000 people, 5 rounds
    python benchmarks/show_due.py --people 2000 --repeat 7
    python benchmarks/show_due.py --vault /tmp/vault-10k   # generate once, keep, reuse

Warm: the vault has been built once, so the notes come from the build cache, and the
files are in the OS's file cache. Every figure is the wall-clock time of a subprocess,
interpreter start-up included, run round-robin in the same run (see run.py):

- read floor:  a Python script that only reads every note's bytes;
- show:        `vaultkit show NAME --today TODAY`, NAME the one with the most log lines
               of those with introductions to make (the card with the most to compute),
               with the day's introductions kept (a first show of the day finds them, as
               `due, a note changed` makes the rows), answered anew (the answers kept
               removed first: commands/answers.py);
- due:         `vaultkit due --today TODAY`, answered anew too;
- show, asked again; due, asked again: the same right after, answered with what the one
               before kept;
- due, a note changed: the same after a line was added to one person's note, so that
               the people's rows kept in the cache are not the notes' (commands/reckoning.py):
               due reads that note into the rows (rules/rows_patch.py), and keeps them in a
               child process;
- due, a daily note changed: the same after a line linking someone was added to a daily
               note.

Prints the medians and each one's ratio to the read floor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import TODAY  # noqa: E402
from run import ENV, READ_FLOOR, Case, timed, vaultkit_command, warm_vault  # noqa: E402


def someone(vault: Path) -> str:
    """The person with the most log lines of those with introductions to make: the card
    with the most to compute (interactions, favours, introductions, pairs)."""
    from vaultkit.index.vault import load_vault
    from vaultkit.rules import matchmaking
    from vaultkit.settings import load_settings

    index = load_vault(load_settings(vault))
    paired = {p.key for m in matchmaking.suggestions(index, TODAY) for p in (m.a, m.b)}
    return max((p for p in index.people if p.key in paired), key=lambda p: (len(p.interactions), p.name)).name


def kept(vault: Path, name: str, after_ns: int = 0, wait: float = 120.0) -> None:
    """Wait until a file of the rows' (commands/reckoning.py) is in the cache, written after
    `after_ns` (time.time_ns()), and the child process that keeps them is done: it holds
    rows.lock (an flock) until it has kept the rows and the day's introductions."""
    import fcntl

    cache = vault / ".vaultkit" / "cache"
    deadline = time.monotonic() + wait
    while not (cache / name).exists() or (cache / name).stat().st_mtime_ns <= after_ns:
        if time.monotonic() > deadline:
            raise SystemExit(f"no {name} in {cache} after {wait:.0f} s")
        time.sleep(0.05)
    with open(cache / "rows.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="people in the vault (10000)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; each figure is a median (5)")
    parser.add_argument("--vault", type=Path, help="generate into this folder once and keep it")
    parser.add_argument("--person", help="whom to show (default: the one with the longest note)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vaultkit-bench-show-"))
    vault = args.vault or work / f"vault-{args.people}"
    try:
        warm_vault(vault, args.people)
        name = args.person or someone(vault)
        common = ["--vault", str(vault), "--today", TODAY.isoformat()]
        argvs = {
            "read floor": [sys.executable, "-c", READ_FLOOR, str(vault)],
            "show": [*vaultkit_command(), "show", name, *common],
            "due": [*vaultkit_command(), "due", *common],
        }
        # (a vault kept from an earlier run may have the day's introductions, or the show's
        # answer, kept already: the first show below then keeps none, and the wait would not end)
        for name_ in ("introductions.msgpack", "answers.msgpack"):
            (vault / ".vaultkit" / "cache" / name_).unlink(missing_ok=True)
        warmed = time.time_ns()
        for argv in argvs.values():  # the file cache: warm
            subprocess.run(argv, check=True, capture_output=True, env=ENV)
        # the first show made the day's introductions (and the rows, unless they were
        # there) in a child process of its own
        kept(vault, "introductions.msgpack", warmed)
        changes = ("due, a note changed", "due, a daily note changed")
        again = {"show": "show, asked again", "due": "due, asked again"}
        cases = {label: Case(label) for label in (*argvs, *again.values(), *changes)}
        notes = sorted((vault / "people").glob("*.md"))
        days = sorted((vault / "Daily").glob("*.md"))
        answers = vault / ".vaultkit" / "cache" / "answers.msgpack"
        for round_ in range(args.repeat):
            for label, argv in argvs.items():
                if label in again:  # answered anew, then asked again (commands/answers.py)
                    answers.unlink(missing_ok=True)
                    timed(argv, cases[label])
                    timed(argv, cases[again[label]])
                else:
                    timed(argv, cases[label])
            # one person's note changed, then one daily note: due puts the note into the rows
            # (rules/rows_patch.py), and keeps them in a child, with the day's introductions
            # (show kept some before)
            person = notes[round_ * 97 % len(notes)]
            with person.open("a", encoding="utf-8") as note:
                note.write(f"\n- {TODAY.isoformat()} Call about the benchmark, round {round_ + 1}\n")
            changed = time.time_ns()
            timed(argvs["due"], cases[changes[0]])
            kept(vault, "introductions.msgpack", changed)
            if days:
                with days[-1 - round_ % len(days)].open("a", encoding="utf-8") as note:
                    note.write(f"\nCoffee with [[{notes[round_ * 89 % len(notes)].stem}]], round {round_ + 1}\n")
                changed = time.time_ns()
                timed(argvs["due"], cases[changes[1]])
                kept(vault, "introductions.msgpack", changed)
            print(f"round {round_ + 1}/{args.repeat}: "
                  + ", ".join(f"{c.name} {c.times[-1]:.3f}" for c in cases.values() if c.times), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    floor = cases["read floor"].median
    print(f"vaultkit show and due, {args.people:,} people, warm; medians of {args.repeat} rounds "
          f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]}); show {name!r}")
    print(f"read floor  {floor:.3f} s")
    for label in ("show", "due", *again.values(), *(c for c in changes if cases[c].times)):
        print(f"{label:<20}  {cases[label].median:.3f} s  {cases[label].median / floor:.2f}x the read floor")


if __name__ == "__main__":
    main()
