"""The vault's own templates cannot reach other files of the computer, nor hang or exhaust a build."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli
from test_watch import wait_until, watching  # noqa: F401 - the fixture

TODAY = "2026-12-01"
SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- not for pages"


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "home" / ".ssh" / "id_rsa"
    path.parent.mkdir(parents=True)
    path.write_text(SECRET)
    return path


def pages_text(root: Path) -> str:
    return "".join(p.read_text() for p in (root / "Overview").rglob("*.md")) if (root / "Overview").exists() else ""


def build(root: Path, *extra: str, limit_memory: int | None = None) -> tuple[int, str, str]:
    def limits() -> None:
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    done = subprocess.run([sys.executable, "-m", "vaultkit", "build", "--vault", str(root), "--today", TODAY, *extra],
                          capture_output=True, text=True, timeout=120, preexec_fn=limits)
    return done.returncode, done.stdout, done.stderr.replace(str(root), "<vault>")


def test_a_symlinked_template_override_is_refused(vault, secret):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n"})
    (root / "templates").mkdir()
    (root / "templates" / "Reminders.md.j2").symlink_to(secret)
    result = run_cli("build", vault=root, today=TODAY)
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: template Reminders.md.j2: templates/Reminders.md.j2 is a symlink; "
        "vaultkit reads templates only from regular files in the templates folder\n",
    )
    assert SECRET not in pages_text(root)


@pytest.mark.parametrize("link", ["parts", "parts/key.j2"])
def test_an_include_through_a_symlink_is_refused(vault, secret, link):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n", "templates/Reminders.md.j2": '{% include "parts/key.j2" %}'})
    if link == "parts":
        (root / "templates" / "parts").symlink_to(secret.parent, target_is_directory=True)
        secret.rename(secret.parent / "key.j2")
    else:
        (root / "templates" / "parts").mkdir()
        (root / "templates" / "parts" / "key.j2").symlink_to(secret)
    result = run_cli("build", vault=root, today=TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: template Reminders.md.j2: templates/{link} is a symlink; "
        "vaultkit reads templates only from regular files in the templates folder\n"
    )
    assert SECRET not in pages_text(root)


@pytest.mark.parametrize("how", ['{% include "../people/Ada.md" %}', '{% extends "/etc/passwd" %}', '{% include "../../outside.j2" %}'])
def test_includes_outside_the_templates_folder_are_refused(vault, how, tmp_path):
    (tmp_path / "outside.j2").write_text(SECRET)
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n", "templates/Reminders.md.j2": how})
    result = run_cli("build", vault=root, today=TODAY)
    name = how.split('"')[1]
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: template Reminders.md.j2: no template {name!r} in templates/ or vaultkit's own "
        "(an include or extends names a file inside the templates folder)\n",
    )
    assert SECRET not in pages_text(root) and "root:" not in pages_text(root)


@pytest.mark.parametrize(
    "template, error",
    [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "Error: template <vault>/templates/Reminders.md.j2:1: loops took more than 10,000,000 steps through range(); stopped\n",
        ),
        (
            '{% for i in range(100000) %}{{ "x" * 1000 }}{% endfor %}',
            "Error: template <vault>/templates/Reminders.md.j2: the page came to more than 64 MiB; stopped\n",
        ),
        (
            '{{ "x" * 10**10 }}',
            "Error: template <vault>/templates/Reminders.md.j2:1: a value of more than 64 MiB; stopped\n",
        ),
        (
            "{{ 2 ** (10 ** 9) }}",
            "Error: template <vault>/templates/Reminders.md.j2:1: a power too big (1000000000); stopped\n",
        ),
    ],
)
def test_a_template_too_big_stops_with_a_message(vault, template, error):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n", "templates/Reminders.md.j2": template})
    started = time.monotonic()
    assert build(root) == (1, "", error)
    assert time.monotonic() - started < 60
    assert not (root / "Overview").exists()


def test_running_out_of_memory_says_so(vault):
    template = '{% set x = "x" * 60000000 %}{% set y = x ~ x ~ x ~ x ~ x ~ x ~ x ~ x ~ x ~ x %}{{ y | length }}'
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n", "templates/Reminders.md.j2": template})
    assert build(root, limit_memory=400 << 20) == (
        1,
        "",
        "Error: template <vault>/templates/Reminders.md.j2: ran out of memory while rendering it; "
        "stopped (a loop or a value too big?)\n",
    )


def test_watch_survives_a_huge_loop_in_a_template(watching):  # noqa: F811
    w = watching()
    (w.root / "templates").mkdir()
    (w.root / "templates" / "Reminders.md.j2").write_text("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    failed = w.wait_for_report("Rebuild failed", timeout=60)
    assert "loops took more than 10,000,000 steps through range(); stopped (still watching)" in failed
    (w.root / "templates" / "Reminders.md.j2").write_text("# Fine {{ today }}\n")
    w.wait_for_line("# Fine 2026-12-01")
