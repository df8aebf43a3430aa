"""[cadence_by_tag]: a cadence from a person's tags when their note sets none."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import run_cli

from vaultkit.index.vault import load_vault
from vaultkit.settings import load_settings

RULES = """\
default_cadence = "yearly"

[cadence_by_tag]
mentor = "monthly"
investor = "quarterly"
"#Friend" = "6w"
"""

PEOPLE = {
    "people/Ada.md": "---\ntags: [mentor, investor]\n---\n",  # both rules: the shorter wins
    "people/Ben.md": "---\ntags: [investor]\ncadence: weekly\n---\n",  # own cadence wins
    "people/Cy.md": "---\ntags: [python]\n---\n",  # no rule: default_cadence
    "people/Di.md": "---\ntags: [friend, investor]\n---\n",  # 6w beats quarterly
    "people/Eve.md": "---\ntags: Mentor\n---\n",  # tags are lower-cased before matching
}


def cadences(vault, files, settings):
    index = load_vault(load_settings(vault(files, settings)))
    return {
        p.name: (p.cadence.label if p.cadence else None, p.cadence_source) for p in index.people
    }


def test_own_cadence_then_shortest_tag_rule_then_default(vault):
    assert cadences(vault, PEOPLE, RULES) == {
        "Ada": ("monthly", "tag:mentor"),
        "Ben": ("weekly", "note"),
        "Cy": ("yearly", "default"),
        "Di": ("6w", "tag:friend"),
        "Eve": ("monthly", "tag:mentor"),
    }


def test_without_default_a_person_without_a_rule_has_no_cadence(vault):
    settings = RULES.replace('default_cadence = "yearly"\n', "")
    assert cadences(vault, PEOPLE, settings)["Cy"] == (None, "")


def test_equal_rules_are_decided_by_tag_name(vault):
    settings = '[cadence_by_tag]\nzebra = "1m"\nalpha = "monthly"\nmid = "4w"\n'
    files = {
        "people/Ada.md": "---\ntags: [zebra, alpha]\n---\n",
        "people/Ben.md": "---\ntags: [zebra, alpha, mid]\n---\n",
    }
    assert cadences(vault, files, settings) == {
        "Ada": ("monthly", "tag:alpha"),
        "Ben": ("4w", "tag:mid"),
    }


def test_an_unknown_own_cadence_is_a_problem_and_no_rule_covers_it(vault):
    root = vault({"people/Ada.md": "---\ntags: [mentor]\ncadence: sometimes\n---\n"}, RULES)
    index = load_vault(load_settings(root))
    assert index.people[0].cadence is None
    assert [p.message for p in index.problems] == [
        "cadence: unknown cadence 'sometimes' (weekly, biweekly, monthly, quarterly, yearly, "
        "or a count and unit like 10d, 6w, 3m, 1y)"
    ]


def test_show_says_where_the_cadence_came_from(vault):
    root = vault(PEOPLE, RULES)
    lines = {
        name: next(
            line
            for line in run_cli("show", name, vault=root, today="2026-12-01").output.splitlines()
            if line.startswith("Cadence:")
        )
        for name in ("Ada", "Ben", "Cy")
    }
    assert lines == {
        # a rule of vaultkit.toml waits for the first contact; a note's own cadence does not
        "Ada": "Cadence: monthly (tag rule #mentor), from the first interaction; no contact yet",
        "Ben": "Cadence: weekly (own note); no contact yet; due today",
        "Cy": "Cadence: yearly (default_cadence), from the first interaction; no contact yet",
    }


def test_reminders_use_the_tag_rule(vault):
    files = {"people/Ada.md": "---\ntags: [mentor]\n---\n## Log\n- 2026-10-01 Coffee.\n"}
    root = vault(files, '[cadence_by_tag]\nmentor = "monthly"\n')
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    page = (root / "Overview" / "Reminders.md").read_text(encoding="utf-8")
    assert "- [[Ada]] — monthly, last contact 2026-10-01 (30 days overdue)." in page


@pytest.mark.parametrize(
    ("settings", "errors"),
    [
        (
            '[cadence_by_tag]\nmentor = "fortnightlyish"\ninvestor = "quarterly"\n',
            [
                "cadence_by_tag.mentor: 'fortnightlyish' is not a cadence (weekly, biweekly, monthly, quarterly, yearly, or like 10d, 6w, 3m, 1y)"
            ],
        ),
        (
            "[cadence_by_tag]\nmentor = 30\n",
            ["cadence_by_tag.mentor: expected a cadence as a string, got 30"],
        ),
        (
            'cadence_by_tag = "monthly"\n',
            [
                "cadence_by_tag: expected a table of tag = cadence, like [cadence_by_tag] mentor = \"monthly\"; got 'monthly'"
            ],
        ),
        (
            'link_style = "obsidian"\n[cadence_by_tag]\nmentor = "sometimes"\noutput_dir = "Pages"\n',
            [
                "cadence_by_tag.mentor: 'sometimes' is not a cadence (weekly, biweekly, monthly, quarterly, yearly, or like 10d, 6w, 3m, 1y)",
                "cadence_by_tag.output_dir: 'Pages' is not a cadence (weekly, biweekly, monthly, quarterly, yearly, "
                "or like 10d, 6w, 3m, 1y); if 'output_dir' is a setting, move it above the [cadence_by_tag] table",
                'link_style: expected "wiki" or "markdown", got \'obsidian\'',
            ],
        ),
    ],
)
def test_bad_rules_name_the_key(vault, settings, errors):
    root = vault({}, settings)
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {root / 'vaultkit.toml'}: invalid settings:\n  " + "\n  ".join(errors) + "\n"
    )


def test_rules_are_read_into_settings_sorted(vault):
    root = vault({}, RULES)
    assert load_settings(root).cadence_by_tag == (
        ("friend", "6w"),
        ("investor", "quarterly"),
        ("mentor", "monthly"),
    )


def test_due_json_reports_the_rule_cadence(vault):
    import json

    files = {
        "people/Ada.md": "---\ntags: [investor]\nmet: 2025-12-01\n---\n- 2026-01-01 Coffee.\n",
        "people/Bo.md": "---\ntags: [investor]\nmet: 2026-01-01\n---\n",  # no contact: no rule cadence
    }
    root = vault(files, RULES)
    data = json.loads(run_cli("due", "--json", vault=root, today="2026-12-01").output)
    assert [(o["name"], o["cadence"], o["due"]) for o in data["overdue"]] == [
        ("Ada", "quarterly", date(2026, 4, 1).isoformat())
    ]
