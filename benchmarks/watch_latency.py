"""Save-to-page latency of `vaultkit watch` on a generated vault of 10,000 people.

    python benchmarks/watch_latency.py [--people 10000] [--saves 40] [--keep DIR]

Builds a vault in a temporary folder (or DIR), starts `vaultkit watch` as a
subprocess, then saves one person's note N times, each time as a real write on
disk that changes what Overview/Reminders.md says about them, and measures the
time from the save until Reminders.md carries the new line. Prints p50 and p95.
Target on a 2-core machine: p50 <= 150 ms, p95 <= 300 ms.

`generate_vault` is a stand-in for benchmarks/generate.py (another branch);
swap it for that generator once it lands.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 12, 1)
FIRST = [
    "Ada", "Grace", "Alan", "Katherine", "Tim", "Vint", "Barbara", "Edsger", "Donald", "Frances",
    "Amara", "Aiko", "Björn", "Camille", "Chloé", "Dmitri", "Elena", "Fatima", "Hannah", "Henrik",
    "Ingrid", "José", "Kwame", "Lucas", "Marcus", "Mateo", "Nadia", "Oluwaseun", "Priya", "Rahul",
    "Sam", "Siobhán", "Tomás", "Yusuf", "Zoë", "Anya", "Bruno", "Carla", "Dev", "Emeka",
    "Farah", "Gustav", "Hiro", "Imani", "Jonas", "Keiko", "Leila", "Mikael", "Nora", "Omar",
    "Paula", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Xavier", "Yara",
    "Zane", "Aisha", "Ben", "Cora", "Diego", "Esme", "Felix", "Gita", "Hugo", "Ines",
    "Jamal", "Kira", "Luca", "Maya", "Nils", "Olga", "Pedro", "Rhea", "Saul", "Tess",
    "Ugo", "Vera", "Will", "Ximena", "Yosef", "Zara", "Arjun", "Bea", "Cyrus", "Dana",
    "Eli", "Fern", "Gil", "Hana", "Ivo", "Jade", "Kai", "Lena", "Milo", "Noor",
]  # fmt: skip
LAST = [
    "Lovelace", "Hopper", "Turing", "Johnson", "Berners-Lee", "Cerf", "Liskov", "Dijkstra", "Knuth", "Allen",
    "Okafor", "Tanaka", "Eriksson", "Laurent", "Dubois", "Volkov", "Petrova", "Al-Sayed", "Kowalski", "Larsson",
    "Solberg", "Álvarez", "Mensah", "Moreau", "Webb", "Rossi", "Haddad", "Adeyemi", "Raman", "Mehta",
    "Okoro", "Murphy", "Ferreira", "Demir", "Brennan", "Novak", "Silva", "Costa", "Nguyen", "Kim",
    "Schmidt", "Müller", "García", "Martin", "Bernard", "Jensen", "Nielsen", "Hansen", "Berg", "Lind",
    "Kaur", "Singh", "Patel", "Shah", "Chen", "Wang", "Li", "Zhang", "Sato", "Suzuki",
    "Ito", "Park", "Choi", "Lee", "Ivanov", "Popescu", "Horvat", "Kovač", "Nagy", "Tóth",
    "Dlamini", "Nkosi", "Mwangi", "Otieno", "Mensah-Bonsu", "Diallo", "Traoré", "Ba", "Sow", "Ndiaye",
    "O'Brien", "Walsh", "Byrne", "Ryan", "Kelly", "Evans", "Hughes", "Price", "Morgan", "Davies",
    "Reyes", "Cruz", "Flores", "Rivera", "Torres", "Ramos", "Vargas", "Castro", "Ortiz", "Romero",
]  # fmt: skip
TAGS = [
    "python", "rust", "data", "ml", "climate", "policy", "london", "berlin", "design", "security",
    "hiring", "founder", "investor", "mentor", "writing", "ux", "cloud", "devops", "go", "research",
] + [f"topic{n}" for n in range(80)]  # fmt: skip
GROUPS = [f"Group {n:02d}" for n in range(40)]
CADENCES = ["monthly", "quarterly", "yearly", "6w", "2m"]
WHAT = ["Coffee", "Call", "Lunch", "Video chat", "Met at a meetup", "Email thread", "Drinks"]


def generate_vault(root: Path, people: int = 10_000, seed: int = 4) -> list[str]:
    """A vault of `people` people plus events and resources; returns the people's names.

    Stand-in for benchmarks/generate.py. Fixed seed: the same arguments give the
    same bytes. Shaped like a large network kept for years: every person has
    front matter (tags, company, email), 60% a `met` date, 8% a cadence, 40% a
    log of 1 to 10 dated lines (a few favours, #intro lines linking others and
    #thanked lines), 8% a follow-up, 25% a birthday, 30% one or two groups;
    one event per 200 people and one resource per 100.
    """
    rng = random.Random(seed)
    names = [f"{f} {last}" for last in LAST for f in FIRST]
    if people > len(names):
        names += [f"{f} {last} {n}" for n in range(2, 2 + people // len(names)) for last in LAST for f in FIRST]
    names = names[:people]
    for folder in ("people", "events", "resources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "vaultkit.toml").write_text('output_dir = "Overview"\n', encoding="utf-8")
    for i, name in enumerate(names):
        tags = rng.sample(TAGS, rng.randint(1, 3))
        front = ["---", f"tags: [{', '.join(tags)}]", f"company: Company {rng.randint(1, 800)}", f"email: person{i}@example.com"]
        if rng.random() < 0.6:
            front.append(f"met: {(TODAY - timedelta(days=rng.randint(30, 2000))).isoformat()}")
        if rng.random() < 0.08:
            front.append(f"cadence: {rng.choice(CADENCES)}")
        if rng.random() < 0.3:
            front.append(f"groups: [{', '.join(rng.sample(GROUPS, rng.randint(1, 2)))}]")
        if rng.random() < 0.25:
            front.append(f"birthday: {rng.randint(1950, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        if rng.random() < 0.03:
            front.append(f"introduced_by: \"[[{names[rng.randrange(len(names))]}]]\"")
        roll = rng.random()
        if roll < 0.05:
            front.append("status: " + ("paused" if roll < 0.03 else "archived"))
        front.append("---")
        body = [f"{name} works on {rng.choice(TAGS)} things.", "", "## Log"]
        if rng.random() < 0.4:
            for d in sorted(rng.sample(range(1, 1100), rng.randint(1, 10)), reverse=True):  # oldest first
                day = TODAY - timedelta(days=d)
                tag = rng.choices(["#call", "#coffee", "#email", "", "#help", "#intro", "#thanked"], [15, 15, 10, 52, 2, 2, 4])[0]
                line = f"- {day.isoformat()} {rng.choice(WHAT)}. {tag}".rstrip()
                if tag == "#intro":
                    line += f" Introduced me to [[{names[rng.randrange(len(names))]}]]."
                body.append(line)
        if rng.random() < 0.08:
            due = TODAY + timedelta(days=rng.randint(-20, 40))
            body += ["", "## Follow-ups", f"- [{'x' if rng.random() < 0.3 else ' '}] Send the notes 📅 {due.isoformat()}"]
        (root / "people" / f"{name}.md").write_text("\n".join(front + body) + "\n", encoding="utf-8")
    for n in range(max(1, people // 200)):
        when = TODAY + timedelta(days=rng.randint(-60, 60))
        attendees = ", ".join(f'"[[{names[rng.randrange(len(names))]}]]"' for _ in range(rng.randint(2, 8)))
        text = (
            f"---\ndate: {when.isoformat()}\nlocation: Venue {n}\ninvite: [{rng.choice(TAGS)}]\n"
            f"attendees: [{attendees}]\n---\nAgenda.\n"
        )
        (root / "events" / f"{when.isoformat()} Meetup {n}.md").write_text(text, encoding="utf-8")
    for n in range(max(1, people // 100)):
        added = TODAY - timedelta(days=rng.randint(0, 300))
        shared = ", ".join(f'"[[{names[rng.randrange(len(names))]}]]"' for _ in range(rng.randint(0, 3)))
        text = (
            f"---\nurl: https://example.com/r/{n}\nkind: article\ntags: [{', '.join(rng.sample(TAGS, 2))}]\n"
            f"added: {added.isoformat()}\nshared_with: [{shared}]\n---\nWorth reading.\n"
        )
        (root / "resources" / f"Resource {n}.md").write_text(text, encoding="utf-8")
    return names


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def measure(vault: Path, name: str, saves: int, today: date = TODAY) -> tuple[list[float], list[str]]:
    """Start `vaultkit watch`, save `name`'s note `saves` times; return latencies (s) and report lines."""
    import queue
    import threading

    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    note = vault / "people" / f"{name}.md"
    page = vault / "Overview" / "Reminders.md"
    original = note.read_text(encoding="utf-8")
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
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in process.stdout], daemon=True).start()
    report: list[str] = []
    try:
        while True:  # the first build of the whole vault
            line = lines.get(timeout=300)
            report.append(line)
            if line.startswith("Built "):
                break
        observer = Observer()
        observer.schedule(PageWatch(), str(page.parent), recursive=False)
        observer.start()
        latencies = []
        for n in range(saves):
            due = (today + timedelta(days=2)).isoformat()
            expected["text"] = f"Benchmark follow-up number {n} "
            expected["seen"].clear()
            text = original.rstrip("\n") + f"\n- [ ] Benchmark follow-up number {n} 📅 {due}\n"
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
        note.write_text(original, encoding="utf-8")
        process.send_signal(__import__("signal").SIGINT)
        process.wait(30)
    return latencies, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="generate the vault here (reused if it exists)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="vaultkit-watch-bench-"))
    try:
        if not (folder / "people").is_dir():
            started = time.perf_counter()
            generate_vault(folder, args.people)
            print(f"generated {args.people} people in {folder} ({time.perf_counter() - started:.1f} s)")
        name = sorted(p.stem for p in (folder / "people").glob("*.md"))[args.people // 2]
        latencies, report = measure(folder, name, args.saves)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    rebuilds = [line for line in report if "changed" in line]
    took = [float(line.rsplit("(", 1)[1].split()[0]) for line in rebuilds if line.endswith(" ms)")]
    print(report[1])
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"saves of one note ({name}): {len(latencies)}, on {os.cpu_count()} CPUs, load average {load}")
    print(
        f"save -> Reminders.md rewritten: p50 {percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    if took:  # the whole rebuild: every page, Reminders.md first
        print(f"whole rebuild as the watcher reports it: p50 {statistics.median(took):.0f} ms, max {max(took):.0f} ms")
    print("last report line:", rebuilds[-1] if rebuilds else "-")


if __name__ == "__main__":
    main()
