"""Shared test helpers: real files in tmp_path, real CLI runs."""

from __future__ import annotations

import textwrap
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from vaultkit.cli import cli

REPO = Path(__file__).resolve().parent.parent
# Files written by other projects, copied with their PROVENANCE.md: a fresh clone tests alone.
REAL = REPO / "tests" / "data" / "real"

# A person already in the vault before an import: a list in block style, a comment,
# a social mapping and a body, all of which a merge must leave as they are.
IMPORT_ADA = """\
---
aliases: [Ada]
tags:
  - mentor
  - python
company: Analytical Engines Ltd
email: ada@example.com            # a string or a list
social:
  mastodon: "@ada@hachyderm.io"
cadence: monthly
---
Met her at PyCon UK; she cares about compilers and poetry.

## Log
- 2026-11-02 Coffee in King's Cross. #hiring
"""


GOLDEN = REPO / "tests" / "golden"
# The small vaults every person of which a test may ask about: the golden cases' and the example's
SMALL = [*sorted(p / "vault" for p in GOLDEN.iterdir() if (p / "vault").is_dir()), REPO / "example-vault"]


def with_twins(root: Path) -> Path:
    """A generated vault in root, with some notes again under the same file name in another
    folder (two people, one key), and some as a twin: another file, the same `name` (a tie
    that only the place breaks). A twin's file name sorts before the other's, its path
    after: the index meets the other first, and a tie broken by the keys would put the
    twin first."""
    import shutil

    notes = sorted((root / "people").glob("*.md"))
    for folder in ("again", "twins"):
        (root / "people" / folder).mkdir()
    for note in notes[::25]:
        shutil.copy(note, root / "people" / "again" / note.name)
    for note in notes[3::20]:
        text = note.read_text(encoding="utf-8").replace("---\n", f"---\nname: {note.stem}\n", 1)
        (root / "people" / "twins" / f"0 {note.stem}.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """300 generated people, with notes of one file name and twins (with_twins)."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    root = tmp_path_factory.mktemp("generated") / "vault"
    generate(300, root, seed=11)
    return with_twins(root)


@pytest.fixture(scope="module", params=[*range(len(SMALL)), "generated"])
def index(request, generated):
    """The index of each small vault (SMALL), then of the generated one: for the tests that
    hold an answer about one person to the answer about everyone."""
    from vaultkit.index.vault import load_vault
    from vaultkit.settings import load_settings

    root = generated if request.param == "generated" else SMALL[request.param]
    return load_vault(load_settings(root))


def write_vault(root: Path, files: dict[str, str], settings: str | None = None) -> Path:
    """Write `files` (vault-relative path -> text, dedented) under root; return root."""
    root.mkdir(parents=True, exist_ok=True)
    if settings is not None:
        (root / "vaultkit.toml").write_text(textwrap.dedent(settings), encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8", newline="")
    return root


def run_cli(*args: str, vault: Path | None = None, today: str | None = None) -> Result:
    """Run a vaultkit command as a user would (no exception swallowed)."""
    argv = list(args)
    if vault is not None:
        argv += ["--vault", str(vault)]
    if today is not None:
        argv += ["--today", today]
    return CliRunner().invoke(cli, argv, catch_exceptions=False)


@pytest.fixture
def vault(tmp_path: Path):
    """A factory: vault(files, settings=None) -> the vault's root folder."""

    def make(files: dict[str, str], settings: str | None = None) -> Path:
        return write_vault(tmp_path / "vault", files, settings)

    return make


@pytest.fixture(autouse=True)
def _outside_the_checkout(tmp_path_factory, monkeypatch):
    """Run every test from a folder of its own: a subprocess started with `python -c` or
    `-m` puts its working folder first on sys.path, and from the checkout that would
    import the source tree instead of the installed package (whose templates are
    installed as vaultkit.templates)."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(autouse=True)
def _user_cache_of_the_tests(cache_home, monkeypatch):
    """Compiled templates go to a cache folder of the test run, not the user's ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))


def same_values(got: object, want: object) -> None:
    """Equal, and of the same type all the way down (a list is not a tuple, a tuple not a Link)."""
    assert type(got) is type(want), (got, want)
    if isinstance(want, tuple):
        assert len(got) == len(want), (got, want)  # type: ignore[arg-type]
        for a, b in zip(got, want, strict=True):  # type: ignore[call-overload]
            same_values(a, b)
    elif hasattr(want, "__dataclass_fields__"):
        for f in fields(want):  # type: ignore[arg-type]
            same_values(getattr(got, f.name), getattr(want, f.name))
    else:
        assert got == want
