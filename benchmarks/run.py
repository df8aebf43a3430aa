"""Benchmark `vaultkit build` against baselines measured in the same run, on the same machine.

    python benchmarks/run.py                 # the 10,000-people cases
    python benchmarks/run.py --big           # and the 100,000-people builds (minutes)
    python benchmarks/run.py --repeat 7 --people 2000

Every figure is the wall-clock time of a subprocess, interpreter start-up included:
a real `vaultkit build` (the console script of the interpreter running this file), and
two baselines run the same way on the same notes:

- read floor:   a Python script that only reads every note's bytes;
- naive parse:  a Python script that only runs `frontmatter.load` on every note.

The cases run round-robin (each round runs every case once) so that a noisy neighbour
slows every case alike; each figure is the median of its rounds. The vault is generated
afresh (benchmarks/generate.py, fixed seed) in a temporary folder and removed at the end.
After the timed rounds, the pages of the incremental builds are compared byte for byte
with a cold build without the cache of the same notes.

A build leaves a child process behind that keeps the people's rows for the next build once
its pages are written (commands/reckoning.keep_rows). This script adopts it when the build
ends (a Linux child subreaper), waits for it before the next run, and prints its times
apart: the figures are the time a user waits for the pages. The peak memory of the big
vault's cold build, that child included, is sampled in one more cold build, not timed.

The one-change build is timed twice a round: after a log line on one person's note (the
most common edit, which keeps Introductions.md and Events.md: commands/build.pages_kept),
and after a tag given to another person (which makes them again).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import TODAY, generate  # noqa: E402

NOTE_DIRS = ("people", "events", "resources", "Daily", "Meetings")

READ_FLOOR = """
import os, sys
total = 0
for sub in ("people", "events", "resources", "Daily", "Meetings"):
    for folder, _, names in os.walk(os.path.join(sys.argv[1], sub)):
        for name in names:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), "rb") as handle:
                    total += len(handle.read())
print(total)
"""

NAIVE_PARSE = """
import os, sys
import frontmatter
keys = 0
for sub in ("people", "events", "resources", "Daily", "Meetings"):
    for folder, _, names in os.walk(os.path.join(sys.argv[1], sub)):
        for name in names:
            if name.endswith(".md"):
                keys += len(frontmatter.load(os.path.join(folder, name)).metadata)
print(keys)
"""

# As installed: Python's compiled modules are written and used (an environment that turns
# that off would have every run compile vaultkit from source, which no install does).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Case:
    name: str
    times: list[float] = field(default_factory=list)
    peak: int = 0  # bytes, the largest seen
    # what the build left to a child that goes on after it (keeping the people's rows:
    # commands/reckoning.keep_rows): its wall time after the build ended, its CPU time, and
    # the largest memory of the build and that child together
    after: list[float] = field(default_factory=list)
    after_cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def vaultkit_command() -> list[str]:
    script = Path(sys.executable).parent / "vaultkit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "vaultkit"]


def _tree_memory(pid: int) -> int:
    """Memory of a process and its descendants, in bytes (Linux /proc).

    PSS (proportional set size): a page shared by a process and the child it forked
    counts half in each, so the sum is what the tree really holds.
    """
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{current}/task/{current}/children") as handle:
                todo += [int(c) for c in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total


def adopt_orphans() -> None:
    """Have the processes a build leaves behind (it forks a child that keeps the people's rows
    once the pages are out, and does not wait for it) become this process's children when
    the build ends (Linux: a child subreaper), so that the next timed run waits for them and
    their time and memory are measured, not left to overlap the next build."""
    import ctypes

    PR_SET_CHILD_SUBREAPER = 36
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("benchmarks/run.py needs Linux (prctl PR_SET_CHILD_SUBREAPER)")


def wait_orphans(peak: list[int] | None = None) -> float | None:
    """Wait for every child left (see adopt_orphans), sampling their memory into `peak`, if
    given (a walk of their pages every 10 ms: see timed); their CPU seconds, or None if none."""
    cpu = None
    while True:
        try:
            children = open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split()
        except OSError:
            children = []
        if not children:
            return cpu
        for child in map(int, children):
            if peak is None:
                _, _, usage = os.wait4(child, 0)
                cpu = (cpu or 0.0) + usage.ru_utime + usage.ru_stime
                continue
            while True:
                peak[0] = max(peak[0], _tree_memory(child))
                pid, _, usage = os.wait4(child, os.WNOHANG)
                if pid:
                    cpu = (cpu or 0.0) + usage.ru_utime + usage.ru_stime
                    break
                time.sleep(0.01)


def timed(argv: list[str], case: Case, ok: tuple[int, ...] = (0,), sample: bool = False) -> str:
    """Run argv; add its wall time to case; return its stdout. `sample`: keep the peak
    memory of its process tree too, sampled every 10 ms, and do not time it: reading a
    process's memory map costs the kernel a walk of its pages (at 100,000 people, sampling
    made the cold build 4-5 s slower), so the peak is measured in a run of its own."""
    peak = [0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=ENV)
        done = threading.Event()

        def sampled() -> None:  # the process tree's memory every 10 ms, pool workers included
            while not done.wait(0.01):
                peak[0] = max(peak[0], _tree_memory(proc.pid))

        sampler = threading.Thread(target=sampled, daemon=True)
        if sample:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        if not sample:
            case.times.append(time.perf_counter() - started)
        ended = time.perf_counter()
        cpu = wait_orphans(peak if sample else None)  # the child the build left, reparented to this process
        if cpu is not None and not sample:
            case.after.append(time.perf_counter() - ended)
            case.after_cpu.append(cpu)
        done.set()
        if sample:
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    # ru_maxrss (kB on Linux): the largest single process, a floor that sampling may miss
    case.peak = max(case.peak, peak[0], usage.ru_maxrss * 1024)
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(argv)} exited {proc.returncode}:\n{stderr[-2000:]}")
    return stdout


def warm_vault(vault: Path, people: int) -> None:
    """The vault of issue 17's figures (people, 3 years of daily notes, a meeting for every
    five people), generated unless it is there, built once so that the cache is warm."""
    if not (vault / "vaultkit.toml").is_file():
        started = time.perf_counter()
        generate(people, vault, daily_days=1095, meetings=people // 5)
        print(f"generated {people} people in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    subprocess.run(build_argv(vault), capture_output=True, env=ENV, check=False)
    wait_orphans()


def build_argv(vault: Path, *extra: str) -> list[str]:
    return [*vaultkit_command(), "build", "--vault", str(vault), "--today", TODAY.isoformat(), *extra]


def reset(vault: Path) -> None:
    """A first build ever: no cache, no pages.

    The last build's cache and pages are moved aside, into a folder beside the vault that is
    deleted when the benchmark ends, not deleted here. A first build does not follow the
    deletion of 1,100 files, and on ext4 that deletion would slow every file the build then
    creates: for a minute, the allocator looks at each inode freed in the folder's block group
    and skips it (ext4's recently_deleted), a scan per file created. Measured here: writing
    the 1,060 pages of the 10,000-people vault took 0.6-0.9 s after such a deletion, 0.06 s
    after a move (perf: the time in find_inode_bit and recently_deleted).
    """
    trash = vault.parent / "moved-aside"
    trash.mkdir(exist_ok=True)
    for name in (".vaultkit", "Overview"):
        if (vault / name).exists():
            (vault / name).rename(trash / f"{vault.name}-{name}-{time.time_ns()}")
    os.sync()


def change_one(vault: Path, round_: int) -> None:
    """Log one interaction on one person's note, as `vaultkit log` would."""
    people = sorted((vault / "people").iterdir())
    note = people[(round_ * 7919 + 13) % len(people)]
    with note.open("a", encoding="utf-8") as handle:
        handle.write(f"- {TODAY.isoformat()} Coffee after the benchmark, round {round_}. #benchmark\n")


def change_tag(vault: Path, round_: int) -> None:
    """Give one person a tag: a change that Introductions.md and Events.md read, so that the
    build makes them again (a log line keeps them: commands/build.pages_kept)."""
    people = sorted((vault / "people").iterdir())
    at = (round_ * 6007 + 29) % len(people)
    while not (text := people[at].read_text(encoding="utf-8")).startswith("---\n"):
        at = (at + 1) % len(people)  # (the generator's front matter lists are inline: [a, b])
    tag = f"benchmark-{round_}"
    text = text.replace("\ntags: [", f"\ntags: [{tag}, ", 1) if "\ntags: [" in text else f"---\ntags: [{tag}]\n{text[4:]}"
    people[at].write_text(text, encoding="utf-8")


def same_pages(a: Path, b: Path) -> list[str]:
    """Files that differ between two output folders (missing on either side included)."""
    diff: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        diff.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        diff.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(a, b), "")
    return sorted(diff)


def copy_notes(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True)
    shutil.copy2(src / "vaultkit.toml", dst / "vaultkit.toml")
    for sub in NOTE_DIRS:
        if (src / sub).is_dir():
            shutil.copytree(src / sub, dst / sub)


def run_small(work: Path, people: int, repeat: int, daily_days: int = 0, meetings: int = 0) -> dict[str, Case]:
    vault = work / f"vault-{people}"
    started = time.perf_counter()
    generate(people, vault, daily_days=daily_days, meetings=meetings)
    print(f"generated {people} people in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    cases = {n: Case(n) for n in ("read floor", "naive parse", "cold", "no change", "one change", "one tag")}
    build_ok = (0, 1)  # 1: the generated vault has a few notes with problems, on purpose
    warm = work / "warm-up"
    generate(50, warm)
    subprocess.run(build_argv(warm), capture_output=True, env=ENV, check=False)  # compiled modules, as installed
    wait_orphans()
    for argv in ([sys.executable, "-c", READ_FLOOR, str(vault)], [sys.executable, "-c", NAIVE_PARSE, str(vault)]):
        subprocess.run(argv, check=True, capture_output=True, env=ENV)  # warm the file cache
    for round_ in range(repeat):
        timed([sys.executable, "-c", READ_FLOOR, str(vault)], cases["read floor"])
        timed([sys.executable, "-c", NAIVE_PARSE, str(vault)], cases["naive parse"])
        reset(vault)
        out = timed(build_argv(vault), cases["cold"], build_ok)
        timed(build_argv(vault), cases["no change"], build_ok)
        change_one(vault, round_)
        timed(build_argv(vault), cases["one change"], build_ok)
        change_tag(vault, round_)
        timed(build_argv(vault), cases["one tag"], build_ok)
        print(f"round {round_ + 1}/{repeat}: " + ", ".join(f"{c.name} {c.times[-1]:.3f}" for c in cases.values()), file=sys.stderr)
        print("  then its child: " + ", ".join(f"{c.name} {c.after[-1]:.3f}" for c in cases.values() if len(c.after) == round_ + 1), file=sys.stderr)
    print(out.strip().splitlines()[-1], file=sys.stderr)
    # the incremental builds' pages against a cold build of the same notes without the cache
    fresh = work / f"fresh-{people}"
    copy_notes(vault, fresh)
    subprocess.run(build_argv(fresh, "--no-cache"), capture_output=True, check=False, env=ENV)
    differ = same_pages(vault / "Overview", fresh / "Overview")
    if differ:
        sys.exit(f"incremental pages differ from a cold build's: {differ[:10]}")
    shutil.rmtree(fresh)
    print("pages after the incremental builds are byte-identical to a cold build's", file=sys.stderr)
    return cases


def run_big(work: Path, people: int, repeat: int, daily_days: int = 0, meetings: int = 0) -> dict[str, Case]:
    vault = work / f"vault-{people}"
    started = time.perf_counter()
    generate(people, vault, daily_days=daily_days, meetings=meetings)
    print(f"generated {people} people in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    cases = {n: Case(n) for n in ("read floor", "naive parse", "cold", "no change", "one change")}
    subprocess.run([sys.executable, "-c", READ_FLOOR, str(vault)], check=True, capture_output=True, env=ENV)
    for round_ in range(repeat):
        timed([sys.executable, "-c", READ_FLOOR, str(vault)], cases["read floor"])
        timed([sys.executable, "-c", NAIVE_PARSE, str(vault)], cases["naive parse"])
        reset(vault)
        timed(build_argv(vault), cases["cold"], (0, 1))
        timed(build_argv(vault), cases["no change"], (0, 1))
        change_one(vault, round_)
        timed(build_argv(vault), cases["one change"], (0, 1))
        print(f"round {round_ + 1}/{repeat}: " + ", ".join(f"{c.name} {c.times[-1]:.3f}" for c in cases.values()), file=sys.stderr)
    reset(vault)  # the peak memory of a cold build (with the child it leaves), in a run not timed
    timed(build_argv(vault), cases["cold"], (0, 1), sample=True)
    print(f"peak memory of a cold build: {cases['cold'].peak / 2**20:.0f} MiB", file=sys.stderr)
    return cases


# Issue 17's figures: (must reach, goal) for each ratio.
TARGETS = {
    "cold": (1.5, 0.8),  # cold build / naive parse, 10k
    "one change": (3.0, 2.0),  # one-change build / read floor, 10k
    "no change": (1.5, 1.0),  # no-change build / read floor, 10k
    "cold big": (11.0, 10.0),  # cold build 100k / cold build 10k
    "one change big": (11.0, 5.0),  # one-change build 100k / one-change build 10k
    "peak MiB": (1024, 500),  # peak memory of the cold build at 100k
}


def table(small: dict[str, Case], big: dict[str, Case] | None, people: int, big_people: int) -> tuple[str, bool]:
    rows = []
    passed = True

    def verdict(value: float, target: str) -> str:
        nonlocal passed
        must, goal = TARGETS[target]
        passed &= value <= must
        return "goal" if value <= goal else "pass" if value <= must else "FAIL"

    def row(case: str, seconds: float, base_name: str, base: float, target: str) -> None:
        ratio = seconds / base
        must, goal = TARGETS[target]
        rows.append((case, f"{seconds:.3f}", base_name, f"{base:.3f}", f"{ratio:.2f}×", f"≤ {must}× (goal {goal}×)", verdict(ratio, target)))

    n = f"{people:,}"
    rows.append((f"read floor, {n}", f"{small['read floor'].median:.3f}", "", "", "", "", ""))
    rows.append((f"naive parse, {n}", f"{small['naive parse'].median:.3f}", "", "", "", "", ""))
    row(f"cold build, {n}", small["cold"].median, "naive parse", small["naive parse"].median, "cold")
    row(f"no-change build, {n}", small["no change"].median, "read floor", small["read floor"].median, "no change")
    row(f"one-change build, {n}", small["one change"].median, "read floor", small["read floor"].median, "one change")
    # the same figure for a change that the kept pages read (a tag), so they are made again
    row(f"one-change build (a tag), {n}", small["one tag"].median, "read floor", small["read floor"].median, "one change")
    if big:
        b = f"{big_people:,}"
        rows.append((f"read floor, {b}", f"{big['read floor'].median:.3f}", "", "", "", "", ""))
        rows.append((f"naive parse, {b}", f"{big['naive parse'].median:.3f}", "", "", "", "", ""))
        row(f"cold build, {b}", big["cold"].median, f"cold build, {n}", small["cold"].median, "cold big")
        row(f"no-change build, {b}", big["no change"].median, f"read floor, {b}", big["read floor"].median, "no change")
        row(f"one-change build, {b}", big["one change"].median, f"one-change, {n}", small["one change"].median, "one change big")
        peak = big["cold"].peak / 2**20
        must, goal = TARGETS["peak MiB"]
        rows.append((f"peak memory, cold build {b}", f"{peak:.0f} MiB", "", "", "", f"≤ {must} MiB (goal {goal})", verdict(peak, "peak MiB")))
    head = ("case", "median s", "against", "its median s", "ratio", "target", "result")
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |",
             "| " + " | ".join("-" * w for w in widths) + " |"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return "\n".join(lines), passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="people in the main vault (10000)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; each figure is a median (5)")
    parser.add_argument("--big", action="store_true", help="also the cold build at --big-people (slow)")
    parser.add_argument("--big-people", type=int, default=100_000)
    parser.add_argument("--big-repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--daily-days", type=int, default=1095, help="daily notes in the main vault: 3 years (1095)")
    parser.add_argument("--meetings", type=int, default=2000, help="meeting notes in the main vault (2000)")
    args = parser.parse_args()
    adopt_orphans()
    work = args.keep or Path(tempfile.mkdtemp(prefix="vaultkit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        small = run_small(work, args.people, args.repeat, args.daily_days, args.meetings)
        # the big vault: the same days of daily notes, meetings in proportion to the people
        big_meetings = args.meetings * args.big_people // args.people
        big = run_big(work, args.big_people, args.big_repeat, args.daily_days, big_meetings) if args.big else None
    finally:
        shutil.rmtree(work / "moved-aside", ignore_errors=True)  # (reset's)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text, passed = table(small, big, args.people, args.big_people)
    print(f"vaultkit build, medians of {args.repeat} rounds ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    print(text)
    print()
    print(after_table({**{f"{k}, {args.people:,}": c for k, c in small.items()}, **{f"{k}, {args.big_people:,}": c for k, c in (big or {}).items()}}))
    sys.exit(0 if passed else 1)


def after_table(cases: dict[str, Case]) -> str:
    """What each build left to its child (the people's rows kept), which the next round waited for."""
    lines = ["| build | child's wall s after the build (median) | its CPU s (median) |", "| --- | --- | --- |"]
    for name, case in cases.items():
        if case.after:
            lines.append(f"| {name} | {statistics.median(case.after):.3f} | {statistics.median(case.after_cpu):.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
