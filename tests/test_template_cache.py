"""The compiled built-in templates kept in the user's cache folder: never trusted, never needed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from jinja2 import DictLoader, Environment

from vaultkit.pages.render import Renderer
from vaultkit.pages.template_cache import TemplateCache, cache_folder
from vaultkit.settings import load_settings


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def example(tmp_path):
    """A copy of the example vault without its pages; and the pages it must give."""
    target = tmp_path / "example"
    shutil.copytree(REPO / "example-vault", target, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    return target, files_under(REPO / "example-vault" / "Overview")


def build(vault: Path) -> dict[str, bytes]:
    shutil.rmtree(vault / "Overview", ignore_errors=True)
    result = run_cli("build", "--no-cache", vault=vault, today="2026-12-01")
    assert result.exit_code == 0, result.output
    return files_under(vault / "Overview")


def test_the_folder_follows_xdg_cache_home(tmp_path, monkeypatch):
    import jinja2

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "vaultkit" / f"templates-{jinja2.__version__}"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "vaultkit" / f"templates-{jinja2.__version__}"


def test_cold_and_warm_caches_give_the_same_pages(example, tmp_path, monkeypatch):
    vault, expected = example
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert build(vault) == expected  # compiles and keeps each template
    kept = sorted(p.name for p in cache_folder().iterdir())
    assert len(kept) == 8  # the page templates (card.md.j2 and person.md.j2 are not pages)
    stamps = {p.name: p.stat().st_mtime_ns for p in cache_folder().iterdir()}
    assert build(vault) == expected  # loads them
    assert {p.name: p.stat().st_mtime_ns for p in cache_folder().iterdir()} == stamps  # not written again


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit of the compiled code
        lambda data: data[:30] + bytes([data[30] ^ 1]) + data[31:],  # one bit of the digest
        lambda data: b"\x00" * len(data),
        lambda data: b"garbage" * 1000,
    ],
    ids=["empty", "truncated", "bit-in-code", "bit-in-digest", "zeros", "garbage"],
)
def test_a_damaged_cache_is_compiled_again_not_trusted(example, tmp_path, monkeypatch, damage):
    vault, expected = example
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    build(vault)
    good = {p: p.read_bytes() for p in cache_folder().iterdir()}
    for path, data in good.items():
        path.write_bytes(damage(data))
    assert build(vault) == expected
    assert {p: p.read_bytes() for p in cache_folder().iterdir()} == good  # written again, whole


def test_a_cache_of_another_python_jinja_or_vaultkit_is_ignored(tmp_path):
    """The same template name and text, compiled by an environment set up otherwise (here:
    another filter), is not loaded: the file's digest covers what the code depends on."""
    folder = tmp_path / "cache"
    first = Environment(loader=DictLoader({"t": "{{ x | shout }}"}))
    first.filters["shout"] = lambda s: s.upper() + "!"
    first.bytecode_cache = TemplateCache(folder, first)
    assert first.get_template("t").render(x="hi") == "HI!"
    other = Environment(loader=DictLoader({"t": "{{ x | shout }}"}), trim_blocks=True)
    other.filters["shout"] = lambda s: s.upper() + "?"
    other.bytecode_cache = TemplateCache(folder, other)
    stale = TemplateCache(folder, first)
    assert other.bytecode_cache.stamp != stale.stamp
    assert other.get_template("t").render(x="hi") == "HI?"


def test_an_edited_template_is_compiled_again(tmp_path):
    folder = tmp_path / "cache"
    before = Environment(loader=DictLoader({"t": "before {{ x }}"}))
    before.bytecode_cache = TemplateCache(folder, before)
    assert before.get_template("t").render(x=1) == "before 1"
    after = Environment(loader=DictLoader({"t": "after {{ x }}"}))
    after.bytecode_cache = TemplateCache(folder, after)
    assert after.get_template("t").render(x=1) == "after 1"


def test_a_cache_folder_that_cannot_be_made_is_left_out(example, tmp_path, monkeypatch):
    vault, expected = example
    blocker = tmp_path / "xdg"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert build(vault) == expected
    assert blocker.read_text() == "a file where the cache folder would go"


def test_the_vaults_own_templates_never_use_it(example, tmp_path, monkeypatch):
    """The sandbox compiles templates differently: it must never load the trusted code."""
    vault, _ = example
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (vault / "templates").mkdir(exist_ok=True)
    (vault / "templates" / "Share.md.j2").write_text("# Share {{ suggestions | length }}\n")
    renderer = Renderer(load_settings(vault))
    assert renderer.env.bytecode_cache is None
    assert isinstance(renderer.trusted.bytecode_cache, TemplateCache)
    pages = build(vault)
    assert pages["Share.md"].decode().endswith("# Share 8\n")
    assert len(list(cache_folder().iterdir())) == 7  # every page template but Share.md.j2
