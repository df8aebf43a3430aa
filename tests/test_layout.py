"""The package is the pipeline (style.md): imports point down it only, and no module imports itself back."""

from __future__ import annotations

import ast
from pathlib import Path

import vaultkit
from vaultkit.read.cache import PACKAGE_FOLDERS

PACKAGE = Path(vaultkit.__file__).parent

# Lowest first. A module may import its own layer or a lower one, never a higher one.
LAYERS = [
    ("vaultkit", "vaultkit.errors", "vaultkit.words", "vaultkit.model", "vaultkit.templates"),
    ("vaultkit.settings", "vaultkit.obsidian"),
    ("vaultkit.read",),
    ("vaultkit.index",),
    ("vaultkit.rules",),
    ("vaultkit.pages",),
    ("vaultkit.write",),
    ("vaultkit.edit",),
    ("vaultkit.importers", "vaultkit.exporters"),
    ("vaultkit.commands",),
    ("vaultkit.watch",),
    ("vaultkit.cli", "vaultkit.__main__"),
]


def module_names() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["vaultkit", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = module_names()


def imports_of(path: Path) -> set[str]:
    """Every vaultkit module this file imports, wherever the import stands (lazy ones too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES else node.module for alias in node.names]
        else:
            continue
        found |= {name for name in names if name == "vaultkit" or name.startswith("vaultkit.")}
    return found


def layer_of(module: str) -> int:
    best = None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + ".") and prefix != "vaultkit":
                best = number
    assert best is not None, f"{module} is in no layer of tests/test_layout.py"
    return best


GRAPH = {name: imports_of(path) - {name} for name, path in MODULES.items()}


def test_every_module_has_a_layer():
    for name in MODULES:
        layer_of(name)


def test_imports_point_down_the_pipeline_only():
    upward = sorted(
        f"{name} (layer {layer_of(name)}) imports {target} (layer {layer_of(target)})"
        for name, targets in GRAPH.items()
        for target in targets
        if layer_of(target) > layer_of(name)
    )
    assert upward == []


def test_no_module_imports_itself_back():
    cycles = []
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycles.append(" -> ".join(path[path.index(name):] + [name]))
            return
        if name in done:
            return
        for target in sorted(GRAPH.get(name, ())):
            if target != "vaultkit":  # the package itself holds only the version
                visit(target, [*path, name])
        done.add(name)

    for name in sorted(GRAPH):
        visit(name, [])
    assert cycles == []


def test_the_cache_key_covers_every_folder_of_code():
    """The build cache is keyed by the package's code: a folder it did not list would keep stale records."""
    folders = {p.parent.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE}
    assert folders - {"templates"} == set(PACKAGE_FOLDERS)


def test_a_planted_upward_import_is_caught(tmp_path):
    """The check itself can fail: a read/ module importing the rules is an upward import."""
    planted = tmp_path / "planted.py"
    planted.write_text("def f():\n    from vaultkit.rules.reminders import standing\n", encoding="utf-8")
    assert {layer_of(t) for t in imports_of(planted)} == {layer_of("vaultkit.rules.reminders")}
    assert layer_of("vaultkit.rules.reminders") > layer_of("vaultkit.read.scan")
