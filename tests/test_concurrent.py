"""Commands run at the same time on one vault (two terminals, an editor plugin, a script):
nothing one of them writes is lost, and builds take turns."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import write_vault

TODAY = "2026-12-01"


def start(*args: str, vault: Path) -> subprocess.Popen:
    env = {**os.environ, "VAULTKIT_TODAY": TODAY}
    return subprocess.Popen(
        [sys.executable, "-m", "vaultkit", *args, "--vault", str(vault)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def finish(processes: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    return [(p.wait(60), *p.communicate()) for p in processes]


def ada_vault(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault", {"people/Ada Lovelace.md": "---\ncadence: monthly\n---\n## Log\n- 2026-11-01 Coffee.\n"})


def test_twenty_logs_at_once_lose_no_line(tmp_path):
    root = ada_vault(tmp_path)
    results = finish([start("log", "Ada Lovelace", f"Call number {n}", vault=root) for n in range(20)])
    assert [r[0] for r in results] == [0] * 20, [r[2] for r in results if r[0]]
    lines = (root / "people" / "Ada Lovelace.md").read_text().splitlines()
    assert lines[:4] == ["---", "cadence: monthly", "---", "## Log"]
    assert sorted(lines[4:]) == sorted(["- 2026-11-01 Coffee.", *(f"- 2026-12-01 Call number {n}" for n in range(20))])


def test_snoozes_and_logs_at_once_keep_every_change(tmp_path):
    root = ada_vault(tmp_path)
    processes = []
    for n in range(8):
        processes.append(start("log", "Ada Lovelace", f"Note {n}", vault=root))
        processes.append(start("snooze", "Ada Lovelace", f"2026-12-{10 + n:02d}", vault=root))
    results = finish(processes)
    assert [r[0] for r in results] == [0] * 16, [r[2] for r in results if r[0]]
    text = (root / "people" / "Ada Lovelace.md").read_text()
    assert sorted(line for line in text.splitlines() if line.startswith("- 2026-12-01")) == [f"- 2026-12-01 Note {n}" for n in range(8)]
    assert text.count("snooze_until: 2026-12-") == 1
    assert text.startswith("---\ncadence: monthly\nsnooze_until: 2026-12-")


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path):
    root = ada_vault(tmp_path)
    lock = os.open(root, os.O_RDONLY)  # as another terminal's build holds it
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build = start("build", vault=root)
        time.sleep(1.5)
        assert build.poll() is None  # waiting
        assert not (root / "Overview").exists()
    finally:
        os.close(lock)
    code, out, err = finish([build])[0]
    assert code == 0, err
    assert err.startswith("Another vaultkit build or watch is writing this vault's pages; waiting for it (a lock on ")
    assert out.startswith("Built Overview/ from 1 person")


def test_builds_at_once_all_succeed_and_agree(tmp_path):
    root = ada_vault(tmp_path)
    results = finish([start("build", vault=root) for _ in range(4)])
    assert [r[0] for r in results] == [0] * 4, [r[2] for r in results]
    fresh = write_vault(tmp_path / "fresh", {"people/Ada Lovelace.md": (root / "people" / "Ada Lovelace.md").read_text()})
    assert finish([start("build", "--no-cache", vault=fresh)])[0][0] == 0
    assert pages(root / "Overview") == pages(fresh / "Overview")


def pages(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
