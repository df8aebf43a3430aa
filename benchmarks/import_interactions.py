"""How fast `vaultkit import mail` reads a large mailbox, against reading it with `mailbox` alone.

    .venv/bin/python benchmarks/import_interactions.py [--messages 20000] [--keep DIR]

Writes, into a temporary folder, a vault of 500 people and an mbox of MESSAGES messages over
ten years (about 3 KB each: headers and a body; a third from or to people in the vault, one in
ten from a mailing list, some noreply, some to many recipients), then times in this process:

- the baseline: every message of the mbox read with the stdlib (`for m in mailbox.mbox(p)`);
- the import: load the vault, read every message's headers, match, plan and write the ledger
  notes (about 120 of them);
- the same import again (every line already there: nothing written);

and runs the import once more as a real `vaultkit import mail --dry-run` subprocess, for its
peak memory (the mailbox is streamed: memory does not grow with the mailbox). Prints the
ratios to the baseline and messages per second.
"""

from __future__ import annotations

import argparse
import mailbox
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from vaultkit.importers.interactions import run
from vaultkit.importers.tally import Options
from vaultkit.index.vault import load_vault
from vaultkit.settings import load_settings

TODAY = date(2026, 12, 1)
ME = "me@example.com"
PEOPLE = 500
STRANGERS = 3000
WORDS = "the of and to in is was for on that with as it by at from this be are or an".split()


def make_vault(root: Path) -> None:
    (root / "people").mkdir(parents=True)
    (root / "vaultkit.toml").write_text(f'me = ["{ME}"]\n', encoding="utf-8")
    for i in range(PEOPLE):
        text = f"---\nemail: [p{i:04d}@example.com]\ncadence: quarterly\n---\n## Log\n- 2024-01-01 Met.\n"
        (root / "people" / f"Person {i:04d}.md").write_text(text, encoding="utf-8")


def make_mbox(path: Path, count: int, rng: random.Random) -> int:
    """Raw mbox text written directly (as Thunderbird and Takeout write it); returns bytes."""
    start = datetime(2016, 12, 1, tzinfo=UTC)
    span = (datetime(2026, 12, 1, tzinfo=UTC) - start).total_seconds()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for i in range(count):
            when = start + timedelta(seconds=rng.random() * span)
            offset = rng.choice([-8, -5, 0, 1, 9])
            local = when.astimezone(timezone(timedelta(hours=offset)))
            who = (
                f"p{rng.randrange(PEOPLE):04d}@example.com"
                if rng.random() < 0.35
                else f"s{rng.randrange(STRANGERS):04d}@elsewhere.example"
            )
            if rng.random() < 0.03:
                who = "noreply@service.example"
            outgoing = rng.random() < 0.4
            sender, to = (ME, who) if outgoing else (who, ME)
            if rng.random() < 0.03:
                to += ", " + ", ".join(f"x{k}@crowd.example" for k in range(12))
            lines = [
                f"From {sender} {local.strftime('%a %b %d %H:%M:%S %Y')}",
                f"From: Someone {i} <{sender}>",
                f"To: {to}",
                f"Date: {local.strftime('%a, %d %b %Y %H:%M:%S %z')}",
                f"Subject: =?utf-8?q?Re:_topic_{i % 997}_=E2=80=94_notes?=",
                f"Message-ID: <m{i}.{rng.randrange(1 << 30)}@example.com>",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Received: from mx.example.com (mx.example.com [192.0.2.1]) by mail.example.com",
            ]
            if rng.random() < 0.1:
                lines.append("List-Id: <dev.lists.example>")
            body = [" ".join(rng.choice(WORDS) for _ in range(14)) for _ in range(36)]
            out.write("\n".join(lines) + "\n\n" + "\n".join(body) + "\n\n")
    return path.stat().st_size


def timed(label: str, func, count: int) -> tuple[float, object]:
    started = time.perf_counter()
    result = func()
    took = time.perf_counter() - started
    print(f"{label:52} {took:7.2f} s  {count / took:9,.0f} messages/s")
    return took, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--keep", type=Path, help="Write the vault and mbox here and keep them.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="vaultkit-mail-bench-"))
    try:
        root, mbox = folder / "vault", folder / "All mail.mbox"
        make_vault(root)
        size = make_mbox(mbox, args.messages, random.Random(14))
        print(f"{args.messages:,} messages, {size / 1e6:.0f} MB; {PEOPLE} people in the vault")

        def baseline() -> int:
            return sum(1 for _ in mailbox.mbox(mbox, create=False))

        def once():
            settings = load_settings(root)
            options = Options(TODAY, None, (ME,), settings.ignore_addresses, 10, 10, True)
            return run("mail", mbox, load_vault(settings), options, dry_run=False)

        base, read = timed("baseline: every message with mailbox.mbox", baseline, args.messages)
        assert read == args.messages, read
        first, report = timed(
            "vaultkit import mail (load, read, match, write)", once, args.messages
        )
        again, second = timed("the same import again (nothing to write)", once, args.messages)
        print(
            f"  {report.ledger.added:,} lines in {len(report.ledger.changes)} ledger notes; "
            f"again: {second.ledger.added} added, {second.ledger.present:,} already there"
        )
        command = [
            sys.executable,
            "-m",
            "vaultkit",
            "import",
            "mail",
            str(mbox),
            "--vault",
            str(root),
            "--today",
            TODAY.isoformat(),
            "--dry-run",
        ]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        took = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"{'subprocess vaultkit import mail --dry-run':52} {took:7.2f} s  peak memory {peak:.0f} MB"
        )
        print(f"ratio to the baseline: import {first / base:.2f}x, re-import {again / base:.2f}x")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
