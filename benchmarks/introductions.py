"""How long introductions to make take on a large synthetic network.

    .venv/bin/python benchmarks/introductions.py [PEOPLE]

Writes a vault of PEOPLE notes (default 2000) into a temporary folder: tags
from a pool where a few are common (python, data, london) and many are rare,
one person in ten hiring or looking, one in twenty a founder or investor,
log lines that link a few others. Prints the time to load the vault, to score
every pair (`matchmaking.suggestions`) and to build every page.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from vaultkit.commands.build import build
from vaultkit.index.vault import load_vault
from vaultkit.rules import matchmaking
from vaultkit.settings import load_settings

TODAY = date(2026, 12, 1)
COMMON = ["python", "data", "london", "design", "product"]
RARE = [f"topic{i}" for i in range(300)]
ROLES = ["hiring", "job-seeker", "founder", "investor", "mentor"]


def make_vault(root: Path, count: int) -> None:
    rng = random.Random(42)
    names = [f"Person {i:05d}" for i in range(count)]
    (root / "people").mkdir(parents=True)
    for name in names:
        tags = rng.sample(COMMON, rng.randint(0, 2)) + rng.sample(RARE, rng.randint(0, 3))
        if rng.random() < 0.25:
            tags.append(rng.choice(ROLES))
        interests = rng.sample(RARE, rng.randint(0, 2))
        log = [
            f"- 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d} Coffee with [[{rng.choice(names)}]]. #coffee"
            for _ in range(rng.randint(0, 4))
        ]
        if "hiring" in tags:
            log.append("- 2026-11-01 Call; she is hiring a data engineer. #call")
        text = (
            f"---\ntags: [{', '.join(tags)}]\ninterests: [{', '.join(interests)}]\ncadence: quarterly\n---\n## Log\n"
            + "\n".join(log)
            + "\n"
        )
        (root / "people" / f"{name}.md").write_text(text, encoding="utf-8")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "vault"
        make_vault(root, count)
        settings = load_settings(root)
        started = time.perf_counter()
        index = load_vault(settings)
        loaded = time.perf_counter()
        matches = matchmaking.suggestions(index, TODAY)
        scored = time.perf_counter()
        report = build(settings, TODAY)
        built = time.perf_counter()
        print(
            f"{count} people: load {loaded - started:.2f} s, introductions {scored - loaded:.2f} s "
            f"({len(matches)} pairs), whole build {built - scored:.2f} s ({report.pages} pages)"
        )


if __name__ == "__main__":
    main()
