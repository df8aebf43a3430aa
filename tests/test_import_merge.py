"""Merging imported contacts into notes as people write them: only the named lines change."""

from __future__ import annotations

from conftest import run_cli

from vaultkit.edit.frontmatter import add_entries, add_keys, extend_list


def test_extend_block_list_keeps_its_indent_and_comments():
    text = "---\ntags:\n  - mentor   # since 2024\n  - python\ncompany: X\n---\nbody\n"
    assert extend_list(text, "tags", ["linkedin"]) == (
        "---\ntags:\n  - mentor   # since 2024\n  - python\n  - linkedin\ncompany: X\n---\nbody\n"
    )
    flush = "---\ntags:\n- mentor\n\nrole: CTO\n---\n"
    assert extend_list(flush, "tags", ["a", "b"]) == "---\ntags:\n- mentor\n- a\n- b\n\nrole: CTO\n---\n"


def test_extend_flow_list_scalar_and_empty_values():
    assert extend_list("---\ntags: [a, b]  # mine\n---\n", "tags", ["c"]) == "---\ntags: [a, b, c]  # mine\n---\n"
    assert extend_list("---\ntags: []\n---\n", "tags", ["c"]) == "---\ntags: [c]\n---\n"
    assert extend_list("---\ntags:\n---\n", "tags", ["c"]) == "---\ntags: [c]\n---\n"
    assert extend_list("---\nemail: a@x.org # work\n---\n", "email", ["b@x.org"]) == (
        "---\nemail: [a@x.org, b@x.org] # work\n---\n"
    )
    assert extend_list("---\nrole: x\n---\n", "tags", ["c"]) == "---\nrole: x\ntags: [c]\n---\n"


def test_extend_list_refuses_shapes_it_cannot_edit_safely():
    assert extend_list("---\ntags: [a,\n  b]\n---\n", "tags", ["c"]) is None
    assert extend_list("---\ntags: |\n  a\n---\n", "tags", ["c"]) is None
    assert extend_list("---\ntags:\n  k: v\n---\n", "tags", ["c"]) is None


def test_add_entries_to_block_and_flow_mappings():
    block = '---\nsocial:\n    mastodon: "@a@b.social"\nrole: x\n---\n'
    assert add_entries(block, "social", [("linkedin", "https://l.example/in/a")]) == (
        '---\nsocial:\n    mastodon: "@a@b.social"\n    linkedin: https://l.example/in/a\nrole: x\n---\n'
    )
    flow = "---\nsocial: {github: https://github.com/a}\n---\n"
    assert add_entries(flow, "social", [("linkedin", "https://l.example/in/a")]) == (
        "---\nsocial: {github: https://github.com/a, linkedin: https://l.example/in/a}\n---\n"
    )
    assert add_entries("---\nsocial:\n---\n", "social", [("x", "y")]) == "---\nsocial:\n  x: y\n---\n"
    assert add_entries("---\nsocial: none\n---\n", "social", [("x", "y")]) is None


def test_add_keys_keeps_line_ends_and_byte_order_mark():
    crlf = "---\r\nrole: x\r\n---\r\nbody\r\n"
    assert add_keys(crlf, [("met", "2022-03-01"), ("social", "\n  linkedin: u")]) == (
        "---\r\nrole: x\r\nmet: 2022-03-01\r\nsocial:\r\n  linkedin: u\r\n---\r\nbody\r\n"
    )
    assert add_keys("\ufeffJust text.\n", [("role", "CTO")]) == "\ufeff---\nrole: CTO\n---\nJust text.\n"


CSV_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def test_values_written_in_unusual_ways_are_left_alone_and_reported(vault, tmp_path):
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        CSV_HEADER
        + "Ada,Lovelace,https://www.linkedin.com/in/ada,,Analytical Engines,CTO,01 Mar 2022\n"
        + "Grace,Hopper,https://www.linkedin.com/in/grace,,Navy,Admiral,02 Mar 2022\n"
        + "Anne,Lister,https://www.linkedin.com/in/anne,,Shibden,Diarist,03 Mar 2022\n",
        encoding="utf-8",
    )
    ada = "---\ntags: |\n  mentor\nsocial: see below\nrole: Countess   # keep mine\n---\nBody.\n"
    grace = "---\nrole: Rear Admiral\nrole: Admiral\n---\n"  # a duplicate key: not merged into
    anne = "---\naliases: Gentleman Jack, Miss Lister\n---\n"  # one alias holding a comma
    root = vault({"people/Ada Lovelace.md": ada, "people/Grace Hopper.md": grace, "people/Anne Lister.md": anne})
    result = run_cli("import", "linkedin", str(csv), "--tag", "linkedin", vault=root)
    assert result.exit_code == 0, result.output
    assert (root / "people" / "Ada Lovelace.md").read_text(encoding="utf-8") == (
        "---\ntags: |\n  mentor\nsocial: see below\nrole: Countess   # keep mine\n"
        "company: Analytical Engines\nmet: 2022-03-01\n---\nBody.\n"
    )
    assert (root / "people" / "Grace Hopper.md").read_text(encoding="utf-8") == grace
    assert (root / "people" / "Anne Lister.md").read_text(encoding="utf-8") == (
        "---\naliases: Gentleman Jack, Miss Lister\ntags: [linkedin]\ncompany: Shibden\nrole: Diarist\n"
        "social:\n  linkedin: https://www.linkedin.com/in/anne\nmet: 2022-03-03\n---\n"
    )
    assert result.stderr.splitlines() == [
        "skipped   Connections.csv:3: people/Grace Hopper.md: its front matter has a problem "
        "(run vaultkit check); not merged",
        "warning   Connections.csv:2: people/Ada Lovelace.md: tags is written in a way vaultkit does not edit; "
        "add [linkedin] by hand",
        "warning   Connections.csv:2: people/Ada Lovelace.md: social is written in a way vaultkit does not edit; "
        "add linkedin: https://www.linkedin.com/in/ada by hand",
    ]


def test_a_single_string_value_becomes_a_list_read_as_before(vault, tmp_path):
    vcf = tmp_path / "anne.vcf"
    vcf.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Anne Lister\nNICKNAME:Anne\nX-VAULTKIT-GROUP:PSF\nEND:VCARD\n",
        encoding="utf-8",
    )
    # aliases written as one string are read split at commas; a group's name may hold one
    anne = "---\naliases: Gentleman Jack, Miss Lister  # as Halifax knew her\ngroups: Friends, Romans\n---\n"
    root = vault({"people/Anne Lister.md": anne})
    assert run_cli("import", "vcard", str(vcf), vault=root).exit_code == 0
    assert (root / "people" / "Anne Lister.md").read_text(encoding="utf-8") == (
        "---\naliases: [Gentleman Jack, Miss Lister, Anne]  # as Halifax knew her\n"
        'groups: ["Friends, Romans", PSF]\n---\n'
    )


def test_keys_are_matched_as_vaultkit_reads_them_any_case_and_synonyms(vault, tmp_path):
    vcf = tmp_path / "grace.vcf"
    vcf.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Grace Hopper\nORG:US Navy\nTEL:+1 555 0100\n"
        "EMAIL:grace@navy.example\nEMAIL:grace@yale.example\nCATEGORIES:Navy,COBOL\nEND:VCARD\n",
        encoding="utf-8",
    )
    grace = "---\nTags: [navy]\norg: Remington Rand\nmobile: \"+1 555 0199\"\nEmail:\n  - grace@navy.example\n---\n"
    root = vault({"people/Grace Hopper.md": grace})
    result = run_cli("import", "vcard", str(vcf), vault=root)
    assert result.stdout.splitlines()[0] == "merged    people/Grace Hopper.md: + tags, email"
    assert (root / "people" / "Grace Hopper.md").read_text(encoding="utf-8") == (
        "---\nTags: [navy, cobol]\norg: Remington Rand\nmobile: \"+1 555 0199\"\nEmail:\n"
        "  - grace@navy.example\n  - grace@yale.example\n---\n"
    )


def test_names_that_cannot_be_file_names_are_made_safe(vault, tmp_path):
    vcf = tmp_path / "odd.vcf"
    vcf.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:AC/DC: Angus [Young]\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Con\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:...\nEND:VCARD\n",
        encoding="utf-8",
    )
    root = vault({})
    result = run_cli("import", "vcard", str(vcf), vault=root)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (root / "people").iterdir())
    assert names == ["AC-DC- Angus (Young).md", "Con (contact).md", "Unnamed contact.md"]
    assert (root / "people" / "AC-DC- Angus (Young).md").read_text(encoding="utf-8") == (
        '---\nname: "AC/DC: Angus [Young]"\n---\n'
    )
    again = run_cli("import", "vcard", str(vcf), vault=root)
    assert again.stdout.splitlines()[-1] == "Imported odd.vcf: 0 new, 0 merged, 3 unchanged, 0 skipped."
