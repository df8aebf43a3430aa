"""Time the reading side of a build, phase by phase, in this process (no pages are made).

    python benchmarks/read.py                      # a generated vault of 10,000 people
    python benchmarks/read.py --vault /tmp/rf10k   # an existing vault (its cache is removed and remade)
    python benchmarks/read.py --repeat 9 --people 2000

Phases, each the median of --repeat runs (wall clock, no profiler; with the CPU time of
this process and of the worker processes, which a busy machine changes less), with the garbage
collector off as a build has it, and the lookup caches (functools.lru_cache) emptied
before each phase, as in a new process:

- read_entries: every note read into its cache entry by cache.read_entries, one process.
- encode:      codec.encode_segment of every entry (what a cold build saves).
- decode:      codec.decode_segment of those bytes (what a warm build loads).
- cold read+index: as_read.read_all with an empty cache: read on every core, save the
               segments, build the index: what a cold `vaultkit build` does before pages.
- warm read+index: as_read.read_all with the cache that left, nothing changed: load every
               entry from the cache and build the index.
- one-change read+index: the same after one note changed (one note read, one segment saved).

Walking the vault (scan) is done once, before, and timed on its own. The phases run
round-robin, so that a noisy neighbour slows each alike.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import TODAY, given_or_generated  # noqa: E402

import vaultkit  # noqa: E402
from vaultkit.commands import as_read as build_module  # noqa: E402
from vaultkit.read.cache import CACHE_DIR, Cache, read_entries  # noqa: E402
from vaultkit.read.codec import decode_segment, encode_segment  # noqa: E402
from vaultkit.read.scan import scan  # noqa: E402
from vaultkit.settings import load_settings  # noqa: E402


def clear_caches() -> None:
    """Empty every lru_cache of vaultkit's modules: each phase starts as a new process would."""
    for name, module in list(sys.modules.items()):
        if name.startswith("vaultkit"):
            for value in vars(module).values():
                if isinstance(value, functools._lru_cache_wrapper):
                    value.cache_clear()


CPU: dict[int, tuple[float, float]] = {}  # id(times) -> CPU seconds of this process, of its children


def timed(times: list[float], work: Callable[[], object]) -> object:
    clear_caches()
    gc.collect()
    gc.disable()
    try:
        before = os.times()
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
        after = os.times()
    finally:
        gc.enable()
    own = after.user + after.system - before.user - before.system
    children = after.children_user + after.children_system - before.children_user - before.children_system
    CPU.setdefault(id(times), (own, children))  # the first round's, for the table
    CPU[id(times)] = min(CPU[id(times)], (own, children))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vault", type=Path, help="an existing vault (default: generate one)")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with given_or_generated(args.vault, args.people, "vaultkit-read-") as vault:
        settings = load_settings(vault.resolve())
        scans: list[float] = []
        found = timed(scans, lambda: scan(settings))
        items = [(rel, kind, found.stats.get(rel)) for rel, kind in found.notes.items()]  # type: ignore[attr-defined]
        phases: dict[str, list[float]] = {
            name: [] for name in ("read_entries", "encode", "decode", "cold read+index", "warm read+index", "one-change read+index")
        }
        people = sorted(p for p, kind in found.notes.items() if kind == "person")  # type: ignore[attr-defined]
        note = settings.root / people[len(people) // 2]
        original = note.read_bytes()
        try:
            for round_ in range(args.repeat):
                seen_ns = time.time_ns()
                entries = timed(phases["read_entries"], lambda: read_entries(settings, items, seen_ns))  # noqa: B023
                payload = timed(phases["encode"], lambda: encode_segment(entries))  # noqa: B023
                timed(phases["decode"], lambda: decode_segment(payload))  # noqa: B023
                shutil.rmtree(settings.root / CACHE_DIR, ignore_errors=True)
                timed(phases["cold read+index"], lambda: build_module.read_all(settings, found, Cache(settings), time.time_ns()))
                timed(phases["warm read+index"], lambda: build_module.read_all(settings, found, Cache(settings), time.time_ns()))
                note.write_bytes(original + f"- {TODAY.isoformat()} Coffee, round {round_}.\n".encode())
                past = time.time_ns() - 10**9  # not racy: trusted by its stat from the next build on
                os.utime(note, ns=(past, past))
                changed = scan(settings)
                timed(phases["one-change read+index"], lambda: build_module.read_all(settings, changed, Cache(settings), time.time_ns()))  # noqa: B023
                note.write_bytes(original)
                print(f"round {round_ + 1}/{args.repeat}: " + ", ".join(f"{k} {v[-1]:.3f}" for k, v in phases.items()), file=sys.stderr)
        finally:
            note.write_bytes(original)
        count = len(items)
        print(f"vaultkit {vaultkit.__version__}, {count} notes, medians of {args.repeat} rounds ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
        print(f"{'scan':24} {scans[0]:7.3f} s  (once)")
        print(f"{'phase':24} {'wall':>9}   {'CPU: this process, workers (least of the rounds)':>20}")
        for name, times in phases.items():
            median = statistics.median(times)
            own, children = CPU[id(times)]
            extra = f"  {median / count * 1e6:4.0f} µs per note" if name in ("read_entries", "encode", "decode") else ""
            print(f"{name:24} {median:7.3f} s   {own:6.3f} s, {children:6.3f} s{extra}")
        print(f"{'cache size':24} {len(payload) / 2**20:7.1f} MiB (every entry in one segment)")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
