"""How long making the pages takes (`pages.build_pages`), without reading the notes.

    .venv/bin/python benchmarks/pages.py [PEOPLE] [--rounds N] [--vault DIR] [--profile]

Generates a vault of PEOPLE (default 10,000) with benchmarks/generate.py into a
temporary folder (or uses --vault DIR as it is), loads its index once, then
times `build_pages` N times (default 7), each time with a new Renderer as
`vaultkit build` does, and prints the median (and the median CPU time, steadier
on a busy machine); then the median time of each page or kind of page, made one
by one (the time up to a page includes working out what it shows).
--profile runs one more build under cProfile and prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from functools import cached_property
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import TODAY, generate  # noqa: E402

import vaultkit.pages.render  # noqa: E402
import vaultkit.pages.views  # noqa: E402
import vaultkit.rules.matchmaking  # noqa: E402
import vaultkit.rules.reminders  # noqa: E402
from vaultkit.commands.as_read import load_index  # noqa: E402
from vaultkit.pages.render import Renderer  # noqa: E402
from vaultkit.pages.views import build_pages, iter_pages  # noqa: E402
from vaultkit.read import collector  # noqa: E402
from vaultkit.settings import load_settings  # noqa: E402


def phase(page: str) -> str:
    """Pages of one kind count together: the drafts, the group pages."""
    if "/" in page:
        return page.split("/", 1)[0] + "/*"
    return page


def cached_names(item) -> set[str]:
    """The cached properties an item holds a value for."""
    return {name for name, attr in vars(type(item)).items() if isinstance(attr, cached_property) and name in vars(item)}


def forget(index, loaded: dict[int, set[str]]) -> None:
    """Make the next build start as cold as `vaultkit build` does: no value a record or a
    module function cached in an earlier round (Person.topics, render's lru_caches, ...).
    `loaded`: what each item held once the index was loaded (Person.order, for one)."""
    for item in index.items:
        for name in cached_names(item) - loaded[id(item)]:
            del vars(item)[name]
    for module in (vaultkit.pages.views, vaultkit.pages.render, vaultkit.rules.reminders, vaultkit.rules.matchmaking):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == module.__name__:
                value.cache_clear()


def one_build(index, settings, loaded: dict[int, set[str]]) -> tuple[float, float]:
    """`build_pages` as `vaultkit build` runs it, a new Renderer included: (seconds, CPU seconds)."""
    forget(index, loaded)
    cpu = time.process_time()
    start = time.perf_counter()
    build_pages(index, TODAY, Renderer(settings))
    return time.perf_counter() - start, time.process_time() - cpu


def phased_build(index, settings, loaded: dict[int, set[str]]) -> dict[str, float]:
    """The same pages made one by one (`iter_pages`, the collector paused throughout as
    build_pages pauses it): seconds up to each page, by kind of page."""
    forget(index, loaded)
    phases: dict[str, float] = defaultdict(float)
    last = time.perf_counter()
    renderer = Renderer(settings)
    phases["Renderer()"] += time.perf_counter() - last
    with collector.paused():
        last = time.perf_counter()
        for page, _ in iter_pages(index, TODAY, renderer):
            now = time.perf_counter()
            phases[phase(page)] += now - last
            last = now
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("people", type=int, nargs="?", default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--vault", type=Path, help=f"an existing vault (built for --today {TODAY})")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vault = args.vault
        if vault is None:
            vault = Path(tmp) / "vault"
            generate(args.people, vault)
        settings = load_settings(vault)
        index = load_index(settings, use_cache=False)
        loaded = {id(item): cached_names(item) for item in index.items}
        print(f"{len(index.people)} people, {len(index.events)} events, {len(index.resources)} resources")
        totals, cpus, per_phase = [], [], defaultdict(list)
        for _ in range(args.rounds):
            total, cpu = one_build(index, settings, loaded)
            totals.append(total)
            cpus.append(cpu)
            for name, seconds in phased_build(index, settings, loaded).items():
                per_phase[name].append(seconds)
        print(f"build_pages, median of {args.rounds}: {statistics.median(totals):.3f} s "
              f"(min {min(totals):.3f}, max {max(totals):.3f}); CPU {statistics.median(cpus):.3f} s")
        print("one by one (iter_pages), median time up to each page or kind of page:")
        for name, times in per_phase.items():
            print(f"  {name:<24} {statistics.median(times) * 1000:8.1f} ms")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            one_build(index, settings, loaded)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
