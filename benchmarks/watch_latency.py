"""Save-to-page latency of `vaultkit watch` on a generated vault of 10,000 people.

    python benchmarks/watch_latency.py [--people 10000] [--saves 40] [--keep DIR]
                                       [--daily-days 1095] [--meetings 2000] [--save person|daily]

Builds a vault in a temporary folder (or DIR): the people, with 3 years of daily
notes and 2,000 meeting notes by default, as issue 17's figures and
benchmarks/run.py have them. Starts `vaultkit watch` as a
subprocess, then saves one person's note N times, each time as a real write on
disk that changes what Overview/Reminders.md says about them, and measures the
time from the save until Reminders.md carries the new line. Prints p50 and p95.
Target on a 2-core machine: p50 <= 150 ms, p95 <= 300 ms. The vault comes
from benchmarks/generate.py, the generator every benchmark shares.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 12, 1)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402  (benchmarks/generate.py, the shared vault generator)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def measure(vault: Path, name: str, saves: int, today: date = TODAY, daily: bool = False) -> tuple[list[float], list[str]]:
    """Start `vaultkit watch`, save `name`'s note `saves` times (or, with `daily`, today's daily
    note with a task that links them); return latencies (s) and report lines."""
    import queue
    import threading

    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    note = vault / "Daily" / f"{today.isoformat()}.md" if daily else vault / "people" / f"{name}.md"
    link = f" [[{name}]]" if daily else ""
    page = vault / "Overview" / "Reminders.md"
    original = note.read_text(encoding="utf-8") if note.exists() else ""  # no daily note yet: made, then removed
    existed = note.exists()
    expected = {"text": "", "seen": threading.Event(), "at": 0.0}

    class PageWatch(FileSystemEventHandler):
        def on_any_event(self, event) -> None:  # the page is replaced by a rename: look at it
            if not expected["text"] or expected["seen"].is_set():
                return
            if os.fsdecode(getattr(event, "dest_path", "") or event.src_path) != str(page):
                return
            try:
                text = page.read_text(encoding="utf-8")
            except OSError:
                return
            if expected["text"] in text:
                expected["at"] = time.perf_counter()
                expected["seen"].set()

    command = [sys.executable, "-c", "from vaultkit.cli import main; main()", "watch", "--vault", str(vault), "--today", today.isoformat()]
    # Started in the vault, as a user would: from a checkout, `-c` would import the source tree's
    # vaultkit (the first entry of sys.path is the current folder), not the installed one.
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1"}, cwd=vault,
    )
    lines: queue.Queue[str] = queue.Queue()
    def read() -> None:
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put("")  # (the watcher ended)

    threading.Thread(target=read, daemon=True).start()
    report: list[str] = []
    try:
        while True:  # the first build of the whole vault
            line = lines.get(timeout=300)
            report.append(line)
            if line.startswith("Built "):
                break
            if not line and process.poll() is not None:
                raise SystemExit("the watcher ended before its first build:\n" + "\n".join(report))
        observer = Observer()
        observer.schedule(PageWatch(), str(page.parent), recursive=False)
        observer.start()
        latencies = []
        for n in range(saves):
            # long overdue: first among the follow-ups, which the page cuts at page_limit (daily
            # notes bring hundreds of late ones)
            due = (today - timedelta(days=3650)).isoformat()
            expected["text"] = f"Benchmark follow-up number {n} "
            expected["seen"].clear()
            text = original.rstrip("\n") + f"\n- [ ] Benchmark follow-up number {n}{link} 📅 {due}\n"
            with open(note, "w", encoding="utf-8") as handle:  # a plain editor save
                handle.write(text)
            saved = time.perf_counter()
            if not expected["seen"].wait(30):
                raise SystemExit(f"save {n}: Reminders.md never showed the new follow-up")
            latencies.append(expected["at"] - saved)
            while True:  # the watcher's line for this rebuild: it has finished writing
                line = lines.get(timeout=30)
                report.append(line)
                if "changed" in line:
                    break
            time.sleep(0.2)
        observer.stop()
        observer.join()
    finally:
        if existed:
            note.write_text(original, encoding="utf-8")
        else:
            note.unlink(missing_ok=True)
        # SIGTERM, which the watcher takes as Ctrl-C: a SIGINT is ignored by a process started
        # from a shell script's background job (`run.sh &`), as this one may be
        process.send_signal(__import__("signal").SIGTERM)
        process.wait(30)
    return latencies, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="generate the vault here (reused if it exists)")
    parser.add_argument("--daily-days", type=int, default=1095, help="daily notes: 3 years (1095)")
    parser.add_argument("--meetings", type=int, default=2000, help="meeting notes (2000)")
    parser.add_argument(
        "--save", choices=("person", "daily"), default="person",
        help="the note saved: the person's own (person), or today's daily note with a task linking them (daily)",
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="vaultkit-watch-bench-"))
    try:
        if not (folder / "people").is_dir():
            started = time.perf_counter()
            generate(args.people, folder, daily_days=args.daily_days, meetings=args.meetings)
            print(
                f"generated {args.people} people, {args.daily_days} days of daily notes, {args.meetings} meetings "
                f"in {folder} ({time.perf_counter() - started:.1f} s)"
            )
        name = sorted(p.stem for p in (folder / "people").glob("*.md"))[args.people // 2]
        latencies, report = measure(folder, name, args.saves, daily=args.save == "daily")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    rebuilds = [line for line in report if "changed" in line]
    took = [float(line.rsplit("(", 1)[1].split()[0]) for line in rebuilds if line.endswith(" ms)")]
    print(report[1])
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"saves of one note ({name}{', in the daily note' if args.save == 'daily' else ''}): {len(latencies)}, on {os.cpu_count()} CPUs, load average {load}")
    print(
        f"save -> Reminders.md rewritten: p50 {percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    if took:  # the whole rebuild: every page, Reminders.md first
        print(f"whole rebuild as the watcher reports it: p50 {statistics.median(took):.0f} ms, max {max(took):.0f} ms")
    print("last report line:", rebuilds[-1] if rebuilds else "-")


if __name__ == "__main__":
    main()
