"""Time a warm build's reading side, part by part, in one process: what issue 17 measured.

    python benchmarks/warm.py                    # a generated vault: 10,000 people, daily and meeting notes
    python benchmarks/warm.py --vault /tmp/v     # a vault built before (its cache is made if it has none)
    python benchmarks/warm.py --repeat 9

Parts, each the median of --repeat rounds (wall clock, the garbage collector off as a
build has it), run round-robin so that a noisy neighbour slows each alike:

- scan:            read/scan.scan, the walk of the vault with each note's stat;
- read+verify:     the 64 segment files read and their signatures checked (Cache.segment_payload);
- decode_segment:  codec.decode_segment of each: the records made again;
- build_index:     index/vault.build_index of those records (names, aliases, other notes' lines).

The code measured is whatever `vaultkit` imports: run it with another PYTHONPATH to time
another version on a copy of the same vault (each version keeps its own cache).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import TODAY, given_or_generated  # noqa: E402

from vaultkit.index.vault import build_index  # noqa: E402
from vaultkit.read import codec  # noqa: E402
from vaultkit.read.cache import SEGMENTS, Cache  # noqa: E402
from vaultkit.read.scan import scan  # noqa: E402
from vaultkit.settings import load_settings  # noqa: E402


def timed(times: list[float], work: Callable[[], object]) -> object:
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    finally:
        gc.enable()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vault", type=Path, help="an existing vault (default: generate one)")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with given_or_generated(args.vault, args.people, "vaultkit-warm-", daily_days=1095, meetings=2000) as vault:
        settings = load_settings(vault.resolve())
        cache = Cache(settings, create=False)
        if any(cache.segment_payload(number) is None for number in range(SEGMENTS)):  # no cache of this version
            build = [sys.executable, "-m", "vaultkit", "build", "--vault", str(vault), "--today", TODAY.isoformat()]
            subprocess.run(build, capture_output=True, check=False)
        parts: dict[str, list[float]] = {name: [] for name in ("scan", "read+verify", "decode_segment", "build_index")}
        for _ in range(args.repeat):
            found: Any = timed(parts["scan"], lambda: scan(settings))
            payloads: Any = timed(parts["read+verify"], lambda: [cache.segment_payload(n) for n in range(SEGMENTS)])
            entries: Any = timed(parts["decode_segment"], lambda: [codec.decode_segment(p) for p in payloads])  # noqa: B023
            records = {rel: entry[4] for segment in entries for rel, entry in segment.items()}
            assert records.keys() == found.notes.keys(), "the cache does not hold every note"
            index: Any = timed(parts["build_index"], lambda: build_index(settings, records.values(), found.other_names, found.problems))  # noqa: B023
        total = sum(statistics.median(times) for times in parts.values())
        print(f"{len(found.notes)} notes, {len(index.people)} people; medians of {args.repeat} rounds, Python {sys.version.split()[0]}")
        for name, times in parts.items():
            print(f"{name:16} {statistics.median(times):7.3f} s")
        print(f"{'total':16} {total:7.3f} s")


if __name__ == "__main__":
    main()
