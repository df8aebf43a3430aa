"""Golden pages: each case's vault must give exactly its expected pages.

Set VAULTKIT_REGENERATE=1 to rewrite the expected pages after an intended
change, then review `git diff tests/golden`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "vault").is_dir())


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_copy(source: Path, target: Path, today: str) -> Path:
    shutil.copytree(source, target)
    result = run_cli("build", vault=target, today=today)
    assert result.exit_code == 0, result.output
    return target / "Overview"


@pytest.mark.parametrize("case", CASES)
def test_golden_pages(case, tmp_path):
    here = GOLDEN / case
    today = (here / "today").read_text().strip()
    built = files_under(build_copy(here / "vault", tmp_path / "vault", today))
    expected_dir = here / "expected"
    if os.environ.get("VAULTKIT_REGENERATE"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, data in built.items():
            (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / name).write_bytes(data)
    expected = files_under(expected_dir)
    assert sorted(built) == sorted(expected)
    for name in expected:
        assert built[name].decode() == expected[name].decode(), name


def test_example_vault_pages_are_up_to_date(tmp_path):
    """The committed example-vault/Overview is what the README's command produces."""
    source = REPO / "example-vault"
    target = tmp_path / "example"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("Overview"))
    result = run_cli("build", vault=target, today="2026-12-01")
    assert result.exit_code == 0, result.output
    built = files_under(target / "Overview")
    assert built == files_under(source / "Overview")
