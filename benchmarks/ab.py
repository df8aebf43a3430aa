"""This checkout against another commit, taking turns on the same edits: what a change gained.

    python benchmarks/ab.py --base 7775ed4                  # 20 runs of each edit, 10,000 people
    python benchmarks/ab.py --base HEAD~3 --runs 30 --edit log
    python benchmarks/ab.py --base main --people 2000 --edit tag

A figure of benchmarks/run.py moves with the host as much as with the code: on a shared
machine the same build took 0.70 s at one hour and 0.90 s at another. To see what a change
gained, the two versions here build the same vault in turns, each on its own copy (the cache
is keyed on the code, so each keeps its own), after the same edit each time:

- log: a log line on one person's note (as `vaultkit log` adds; most pages are kept);
- tag: a tag given to one person (a change the kept pages read: they are made again).

Each run is a `vaultkit build` subprocess, interpreter start-up included, with the code on
PYTHONPATH (the base exported with `git archive`, this checkout copied as it is, uncommitted
changes included; both with the libraries installed here), so both start alike. Which of the
two goes first alternates from run to run. It prints each version's median and least time
and their ratio, and at the end whether the two output folders are byte-identical (they
should be, unless the change is meant to change a page).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import TODAY, generate  # noqa: E402
from run import adopt_orphans, change_one, change_tag, same_pages  # noqa: E402
from same_pages import build as build_with  # noqa: E402
from same_pages import export, snapshot  # noqa: E402

EDITS: dict[str, Callable[[Path, int], None]] = {"log": change_one, "tag": change_tag}


def build(code: Path, vault: Path) -> float:
    """Seconds of one `vaultkit build` of `vault` with the package at `code`."""
    return build_with(code, vault, TODAY.isoformat())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the commit to compare with (e.g. main~3)")
    parser.add_argument("--people", type=int, default=10_000, help="people in the vault (10000)")
    parser.add_argument("--runs", type=int, default=20, help="builds of each version for each edit (20)")
    parser.add_argument("--edit", choices=sorted(EDITS), action="append", help="log, tag (repeatable; default both)")
    args = parser.parse_args()
    adopt_orphans()  # (and same_pages.build waits for the child each build leaves)
    work = Path(tempfile.mkdtemp(prefix="vaultkit-ab-"))
    try:
        versions = {"base": export(args.base, work), "head": snapshot(work)}
        notes = work / "notes"
        generate(args.people, notes, daily_days=1095, meetings=args.people // 5)
        vaults = {name: work / f"{name}-vault" for name in versions}
        for name, code in versions.items():
            shutil.copytree(notes, vaults[name])
            build(code, vaults[name])  # the cold build (and the compiled modules)
            build(code, vaults[name])  # the racy notes settled
        print(f"vaultkit build, {args.base} (base) against this checkout (head), {args.people:,} people, "
              f"{args.runs} runs each, taking turns ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
        print("| edit | base median s | head median s | head / base | base least s | head least s |")
        print("| --- | --- | --- | --- | --- | --- |")
        step = 0
        for edit in args.edit or sorted(EDITS):
            times: dict[str, list[float]] = {name: [] for name in versions}
            for run in range(args.runs):
                step += 1
                order = list(versions) if run % 2 else list(reversed(versions))
                for name in order:
                    EDITS[edit](vaults[name], step)  # the same person and text in both vaults
                    times[name].append(build(versions[name], vaults[name]))
            base, head = (statistics.median(times[n]) for n in ("base", "head"))
            print(f"| {edit} | {base:.3f} | {head:.3f} | {head / base:.2f}× | {min(times['base']):.3f} | {min(times['head']):.3f} |")
        differ = same_pages(vaults["base"] / "Overview", vaults["head"] / "Overview")
        print("the two output folders are byte-identical" if not differ else f"{len(differ)} pages differ: {differ[:10]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
