"""Benchmark `vaultkit export ics` at 10,000 people, warm, against the read floor.

    python benchmarks/export_ics.py                  # 10,000 people, 5 rounds
    python benchmarks/export_ics.py --people 2000 --repeat 7
    python benchmarks/export_ics.py --vault /tmp/vault-10k   # generate once, keep, reuse

Warm: the vault has been built once, so the notes come from the build cache, and the
files are in the OS's file cache. Both figures are wall-clock times of subprocesses,
interpreter start-up included, run round-robin in the same run (see run.py):

- read floor:  a Python script that only reads every note's bytes;
- export ics:  `vaultkit export ics -o FILE --today TODAY` (the console script), with the
               people's rows kept (the warm-up export keeps them, as `due` does).

Prints the medians and their ratio; issue 17 asks for at most 3x (goal 1.5x).
"""

from __future__ import annotations

import argparse
import fcntl
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="people in the vault (10000)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; each figure is a median (5)")
    parser.add_argument("--vault", type=Path, help="generate into this folder once and keep it")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vaultkit-bench-ics-"))
    vault = args.vault or work / f"vault-{args.people}"
    try:
        warm_vault(vault, args.people)
        floor = [sys.executable, "-c", READ_FLOOR, str(vault)]
        out = work / "reminders.ics"
        export = [*vaultkit_command(), "export", "ics", "-o", str(out), "--vault", str(vault),
                  "--today", TODAY.isoformat()]
        subprocess.run(floor, check=True, capture_output=True, env=ENV)  # the file cache: warm
        subprocess.run(export, check=True, capture_output=True, env=ENV)
        # the export read the notes if the rows were not the notes' (commands/reckoning.py), and
        # left the rows to a child process: wait for it (it holds rows.lock, an flock, until done)
        time.sleep(0.5)
        with open(vault / ".vaultkit" / "cache" / "rows.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
        cases = {"read floor": Case("read floor"), "export ics": Case("export ics")}
        for round_ in range(args.repeat):
            timed(floor, cases["read floor"])
            timed(export, cases["export ics"])
            print(f"round {round_ + 1}/{args.repeat}: "
                  + ", ".join(f"{c.name} {c.times[-1]:.3f}" for c in cases.values()), file=sys.stderr)
        size = out.stat().st_size
    finally:
        shutil.rmtree(work, ignore_errors=True)
    floor_s, export_s = cases["read floor"].median, cases["export ics"].median
    print(f"vaultkit export ics, {args.people:,} people, warm; medians of {args.repeat} rounds "
          f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]}); {size:,} bytes written")
    print(f"read floor  {floor_s:.3f} s")
    print(f"export ics  {export_s:.3f} s")
    print(f"ratio       {export_s / floor_s:.2f}x the read floor (issue 17: at most 3x, goal 1.5x)")


if __name__ == "__main__":
    main()
