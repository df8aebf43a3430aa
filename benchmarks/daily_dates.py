"""How long `obsidian.daily_date` takes over the paths of a 20,000-note vault.

    .venv/bin/python benchmarks/daily_dates.py [--notes 20000] [--repeat 7]

The reader calls `daily_date` once for every note, so it must cost little more than the
cheapest test one could make instead: `str.startswith(folder + "/")` over the same paths,
timed in the same run as the baseline. Each figure is the best of --repeat runs, wall clock and
CPU time of this process (a busy machine changes the CPU time less), with the garbage collector
off as a build has it. Three vaults of paths:

- mixed:   people and meeting notes, and three years of daily notes in `Journal/YYYY/MM/`
           (the common case: most paths fail at the folder);
- daily:   every path a daily note, `YYYY/MM/YYYY-MM-DD` (the worst case for the fast path);
- names:   every path a daily note named `YYYY-MM-DD dddd` with a weekday to check
           (the worst case for the general path).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from vaultkit.obsidian import _compile, daily_date  # noqa: E402

START = date(2000, 1, 1)


def days(count: int) -> list[date]:
    return [START + timedelta(days=n) for n in range(count)]


def vaults(notes: int) -> dict[str, tuple[list[str], str, str]]:
    daily = 3 * 365
    mixed = [f"Journal/{d:%Y/%m/%Y-%m-%d}.md" for d in days(daily)]
    mixed += [f"Meetings/{d:%Y-%m-%d} Sync.md" for d in days(2000)]
    mixed += [f"People/Person {n:05}.md" for n in range(notes - len(mixed))]
    return {
        "mixed": (mixed, "Journal", "YYYY/MM/YYYY-MM-DD"),
        "daily": ([f"Journal/{d:%Y/%m/%Y-%m-%d}.md" for d in days(notes)], "Journal", "YYYY/MM/YYYY-MM-DD"),
        "names": ([f"Daily/{d:%Y-%m-%d %A}.md" for d in days(notes)], "Daily", "YYYY-MM-DD dddd"),
    }


def best(func, repeat: int) -> tuple[float, float]:
    """(wall, cpu) seconds of the fastest of `repeat` runs of func()."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return min(wall), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"{args.notes:,} paths, best of {args.repeat}, wall clock (CPU time)")
    print(f"{'vault':6} {'dated':>6}  {'str.startswith':>20}  {'daily_date':>20}  {'ratio':>5}")
    gc.disable()
    for name, (paths, folder, fmt) in vaults(args.notes).items():
        prefix = folder + "/"
        _compile.cache_clear()
        dated = sum(daily_date(p, folder, fmt) is not None for p in paths)  # also compiles, once
        base, base_cpu = best(lambda: [p.startswith(prefix) for p in paths], args.repeat)  # noqa: B023
        took, took_cpu = best(lambda: [daily_date(p, folder, fmt) for p in paths], args.repeat)  # noqa: B023
        print(
            f"{name:6} {dated:6,}  {base * 1000:6.2f} ms ({base_cpu * 1000:6.2f} ms)"
            f"  {took * 1000:6.2f} ms ({took_cpu * 1000:6.2f} ms)  {took / base:4.1f}x"
        )
    gc.enable()


if __name__ == "__main__":
    main()
