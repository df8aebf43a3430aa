"""Time the reading side of a build, phase by phase, in this process (no subprocess, no pages).

    python benchmarks/read.py                      # a generated vault of 10,000 people
    python benchmarks/read.py --vault /tmp/rf10k   # an existing vault (its cache is removed and remade)
    python benchmarks/read.py --repeat 9 --people 2000

Phases, each the median of --repeat runs (wall clock, no profiler):

- read_group:   every note read into its cache entry by parallel.read_group, one process;
                also per note.
- encode:       cache.encode_segment of every entry (what a cold build saves).
- decode:       cache.decode_segment of those bytes, restricted as a build loads them.
- cold read+index: build._read_all with an empty cache: read on every core, save the
                segments, build the index (what a cold `vaultkit build` spends before pages).
- warm read+index: build._read_all with the cache the cold phase left, nothing changed:
                load every entry from the cache and build the index.
- one-change read+index: the same after one note changed (one note read, one segment saved).

The phases run round-robin, so a noisy neighbour slows each alike.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import TODAY, generate  # noqa: E402

from vaultkit import build as build_module  # noqa: E402
from vaultkit.cache import CACHE_DIR, Cache, decode_segment, encode_segment  # noqa: E402
from vaultkit.config import load_settings  # noqa: E402
from vaultkit.parallel import read_group  # noqa: E402
from vaultkit.scan import scan  # noqa: E402


def timed(times: list[float], work: Callable[[], object]) -> object:
    gc.collect()
    started = time.perf_counter()
    result = work()
    times.append(time.perf_counter() - started)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vault", type=Path, help="an existing vault (default: generate one)")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = None
    vault = args.vault
    if vault is None:
        work = Path(tempfile.mkdtemp(prefix="vaultkit-read-"))
        vault = work / "vault"
        generate(args.people, vault)
    try:
        settings = load_settings(vault.resolve())
        found = scan(settings)
        items = [(rel, kind, found.stats.get(rel)) for rel, kind in found.notes.items()]
        phases: dict[str, list[float]] = {name: [] for name in ("read_group", "encode", "decode", "cold read+index", "warm read+index", "one-change read+index")}
        people = sorted(p for p, kind in found.notes.items() if kind == "person")
        note = settings.root / people[len(people) // 2]
        original = note.read_bytes()
        try:
            for round_ in range(args.repeat):
                seen_ns = time.time_ns()
                entries = timed(phases["read_group"], lambda: read_group(settings, items, seen_ns))
                payload = timed(phases["encode"], lambda: encode_segment(entries))  # noqa: B023
                timed(phases["decode"], lambda: decode_segment(payload, restricted=True))  # noqa: B023
                shutil.rmtree(settings.root / CACHE_DIR, ignore_errors=True)
                timed(phases["cold read+index"], lambda: build_module._read_all(settings, scan(settings), Cache(settings), time.time_ns()))
                timed(phases["warm read+index"], lambda: build_module._read_all(settings, scan(settings), Cache(settings), time.time_ns()))
                note.write_bytes(original + f"- {TODAY.isoformat()} Coffee, round {round_}.\n".encode())
                os.utime(note, ns=(time.time_ns() - 10**9, time.time_ns() - 10**9))  # not racy
                timed(phases["one-change read+index"], lambda: build_module._read_all(settings, scan(settings), Cache(settings), time.time_ns()))
                print(f"round {round_ + 1}/{args.repeat}: " + ", ".join(f"{k} {v[-1]:.3f}" for k, v in phases.items()), file=sys.stderr)
        finally:
            note.write_bytes(original)
        count = len(items)
        print(f"{count} notes, medians of {args.repeat} rounds ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
        for name, times in phases.items():
            median = statistics.median(times)
            extra = f"  ({median / count * 1e6:.0f} µs per note)" if name == "read_group" else ""
            print(f"{name:24} {median:7.3f} s{extra}")
        print(f"{'cache size':24} {len(payload) / 2**20:7.1f} MiB (one segment of every entry)")
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
