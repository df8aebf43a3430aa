"""Introductions.md and the thank-you drafts made in a forked child (pages/forked.py) are the
pages the parent makes.

A build of a big network makes its costliest page and the drafts in a child while it makes
the others. These tests force the child on small vaults and hold it to the one-process
build: the same bytes, the same error from a template that fails, no child left
behind when the build fails first, and a real `vaultkit build` of a network past
FORK_MIN writing what `--no-cache` serial pages write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date

import pytest
from conftest import REPO

from vaultkit.errors import VaultkitError
from vaultkit.index.vault import load_vault
from vaultkit.pages import forked
from vaultkit.pages.render import Renderer
from vaultkit.pages.views import build_pages
from vaultkit.settings import load_settings

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

TODAY = date(2026, 12, 1)
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child is forked on Linux only")


def children() -> list[int]:
    """This process's child processes (zombies included)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.append(int(name))
    return found


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    root = tmp_path_factory.mktemp("forked") / "vault"
    generate(300, root, seed=11)
    return root


def test_the_childs_page_is_the_parents_page(vault):
    index = load_vault(load_settings(vault))
    serial = build_pages(index, TODAY, Renderer(index.settings), fork=False)
    with_child = build_pages(index, TODAY, Renderer(index.settings), fork=True)
    assert "Introductions.md" in serial and serial["Introductions.md"].count("\n") > 10
    assert with_child == serial
    assert sum(1 for page in serial if page.startswith("Thank-you notes/")) > 10  # the child's drafts
    assert children() == []


def with_template(vault, tmp_path, name: str, text: str):
    """The index of a copy of `vault` whose templates/ overrides `name` with `text`."""
    root = tmp_path / "vault"
    shutil.copytree(vault, root)
    (root / "templates").mkdir()
    (root / "templates" / name).write_text(text, encoding="utf-8")
    return load_vault(load_settings(root))


def test_a_template_that_fails_in_the_child_fails_as_in_one_process(vault, tmp_path):
    index = with_template(vault, tmp_path, "Introductions.md.j2", "{{ matches | nosuchfilter }}\n")
    with pytest.raises(VaultkitError) as serial:
        build_pages(index, TODAY, Renderer(index.settings), fork=False)
    with pytest.raises(VaultkitError) as with_child:
        build_pages(index, TODAY, Renderer(index.settings), fork=True)
    assert "nosuchfilter" in str(serial.value)
    assert str(with_child.value) == str(serial.value)
    assert children() == []


def test_no_child_is_left_when_an_earlier_page_fails(vault, tmp_path):
    index = with_template(vault, tmp_path, "Reminders.md.j2", "{{ 1 / 0 }}\n")
    with pytest.raises(VaultkitError, match="ZeroDivisionError"):
        build_pages(index, TODAY, Renderer(index.settings), fork=True)
    assert children() == []


def test_only_a_network_of_thousands_is_worth_a_child():
    cores = len(os.sched_getaffinity(0)) > 1
    assert not forked.worth_forking(forked.FORK_MIN - 1)
    assert forked.worth_forking(forked.FORK_MIN) == cores
    assert forked.worth_forking(forked.FORK_MAX) == cores
    assert not forked.worth_forking(forked.FORK_MAX + 1)  # the child's copies would cost more memory


def test_a_build_past_fork_min_writes_the_pages_of_a_build_in_one_process(tmp_path):
    """The real command, on a network big enough to fork (when this machine has two cores),
    against the same vault's pages made in this process without a child."""
    root = tmp_path / "vault"
    generate(forked.FORK_MIN, root, seed=3, daily_days=30, meetings=20)
    run = subprocess.run(
        [sys.executable, "-m", "vaultkit", "build", "--vault", str(root), "--today", TODAY.isoformat()],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode in (0, 1), run.stderr  # the generated vault has broken notes on purpose
    assert "Traceback" not in run.stderr
    index = load_vault(load_settings(root))
    expected = build_pages(index, TODAY, Renderer(index.settings), fork=False)
    for page, text in expected.items():
        assert (root / "Overview" / page).read_text(encoding="utf-8") == text, page
