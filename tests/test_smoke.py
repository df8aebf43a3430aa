from conftest import run_cli


def test_build_writes_reminders(vault):
    root = vault(
        {
            "people/Ada Lovelace.md": """\
            ---
            cadence: monthly
            ---
            ## Log
            - 2026-10-01 Coffee.
            """
        }
    )
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 0, result.output
    page = (root / "Overview" / "Reminders.md").read_text(encoding="utf-8")
    assert "- [[Ada Lovelace]] — monthly, last contact 2026-10-01 (30 days overdue)." in page
