"""The pages of this checkout against another commit's, byte for byte, on a generated vault.

    python benchmarks/same_pages.py --base 1357cce            # 10,000 people, three days
    python benchmarks/same_pages.py --base HEAD~5 --people 2000 --today 2026-12-01

A change meant to make vaultkit faster must not change a page. This writes a vault with
benchmarks/generate.py (people, events, resources, three years of daily notes and meeting
notes), exports the `--base` commit's `vaultkit/` and `templates/` with `git archive`, and
builds the vault with each (no cache, each in its own copy) for every `--today`; then it
compares the two output folders file by file and exits 1 naming the first pages that differ.
The base runs from its export on this interpreter, with its templates put where an installed
vaultkit has them; both use the libraries installed here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402
from run import adopt_orphans, same_pages, wait_orphans  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DAYS = ("2026-03-15", "2026-12-01", "2027-07-01")


def export(commit: str, into: Path) -> Path:
    """The commit's package, with its templates inside it as an install has them."""
    archive = into / "base.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(REPO), "archive", commit, "vaultkit", "templates"], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "base", filter="data")
    return installed(into / "base")


def snapshot(into: Path) -> Path:
    """This checkout's package as it is now, uncommitted changes included."""
    for name in ("vaultkit", "templates"):
        shutil.copytree(REPO / name, into / "head" / name, ignore=shutil.ignore_patterns("__pycache__"))
    return installed(into / "head")


def installed(code: Path) -> Path:
    shutil.copytree(code / "templates", code / "vaultkit" / "templates")
    (code / "vaultkit" / "templates" / "__init__.py").touch()
    return code


def build(code: Path, vault: Path, today: str, *extra: str) -> float:
    """`vaultkit build` of `vault` with the package at `code` (on PYTHONPATH); its seconds.
    Compiled modules are written and used, as installed (PYTHONDONTWRITEBYTECODE is dropped)."""
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(code)}
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "vaultkit", "build", *extra, "--vault", str(vault), "--today", today],
        capture_output=True, text=True, env=env, check=False, cwd=vault.parent,
    )
    seconds = time.perf_counter() - started
    wait_orphans()  # the child it left to keep the people's rows, where adopt_orphans was called
    if run.returncode not in (0, 1) or "Traceback" in run.stderr:  # 1: the vault has broken notes on purpose
        sys.exit(f"build with {code} failed:\n{run.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the commit to compare with (e.g. main~3)")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--today", action="append", help=f"a day to build for (repeatable; default {', '.join(DAYS)})")
    args = parser.parse_args()
    adopt_orphans()
    work = Path(tempfile.mkdtemp(prefix="vaultkit-same-"))
    try:
        base, head = export(args.base, work), snapshot(work)
        notes = work / "notes"
        generate(args.people, notes, daily_days=1095, meetings=args.people // 5)
        pages = 0
        for today in args.today or DAYS:
            for name, code in (("base", base), ("head", head)):
                shutil.rmtree(work / f"{name}-vault", ignore_errors=True)
                shutil.copytree(notes, work / f"{name}-vault")
                build(code, work / f"{name}-vault", today, "--no-cache")
            found = same_pages(work / "base-vault" / "Overview", work / "head-vault" / "Overview")
            if found:
                sys.exit(f"--today {today}: {len(found)} pages differ from {args.base}'s: {found[:10]}")
            count = sum(1 for _ in (work / "head-vault" / "Overview").rglob("*.md"))
            pages += count
            print(f"--today {today}: {count} pages, byte-identical to {args.base}'s")
        print(f"{pages} pages in all, {args.people} people: the same bytes")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
