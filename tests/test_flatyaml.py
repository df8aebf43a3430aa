"""The flat front matter fast path gives exactly what PyYAML gives, or declines."""

from __future__ import annotations

import datetime
import subprocess
import sys

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultkit.read import fullyaml
from vaultkit.read.flatyaml import REFUSED, flat_mapping
from vaultkit.read.note import (
    _RESOLVERS_BY_FIRST,
    MAX_YAML_NODES,
    _from_pairs,
    _load_yaml,
    _plain_scalar,
    parse_note,
)


def _load_yaml_pyyaml(source: str, rel: str):
    """_load_yaml without the fast path: PyYAML reads everything."""
    return fullyaml.load(source, rel, MAX_YAML_NODES)

KEYS = ["tags", "name", "aliases", "cadence", "met", "a", "b_c", "x-y", "true", "null", "No", "on", "2024", "<<", "key with space", "ключ", "_"]
SCALARS = [
    "", "Ada", "Ada Lovelace", "2026-12-01", "2026-02-30", "2026-12-01 10:00:00", "2026-12-01T10:00:00Z",
    "012", "0o17", "0x1F", "1_000", "1e3", "1.5", ".inf", "-.5", "+1", "yes", "No", "true", "TRUE", "False",
    "null", "Null", "~", "[a, b]", "[]", "[ ]", '["[[Ada]]", "[[Bob|B]]"]', "[a, [b]]", "[a,]", "[a b, c]",
    "'it''s'", "'a' # c", '"q"', '"a\\nb"', '"a" b', "a # c", "a#b", "- x", "a: b", "a:b", "a:", "http://x.y/z",
    "&anchor x", "*alias", "!tag x", "|", ">", "{a: b}", "%x", "@x", "`x`", "O'Brien", 'say "hi"', "a  b",
    "...", "---", "-1", "?x", "a ? b", "[a, 'b', \"c\"] # c", "[a # b]", "x\ty", "é ü 名前", "\u2028", "a\x85b",
    "a\x07b", "\ufeffa", "#", "#c", "a #", "[[Ada Lovelace]]", '"[[Ada Lovelace]]"', "10d", "quarterly",
    "a\u00a0", "\u3000", "[a\u3000, b]", "[ , ]", "[a,,b]", "[a, ]", "['x' y]", "a\u2003 # c",
]
TEXT = st.text(alphabet=list("abcXY019 :#'\"[]{},-?!&*|>%@`\\.~\té_\n\u00a0\u3000"), max_size=16)
VALUE = st.one_of(st.sampled_from(SCALARS), TEXT)
KEY = st.one_of(st.sampled_from(KEYS), st.text(alphabet=list("abz_-09 :#"), min_size=1, max_size=6))


@st.composite
def chunk(draw) -> str:
    key = draw(KEY)
    sep = draw(st.sampled_from([": ", ":", ":  ", " : ", ":\t"]))
    form = draw(st.integers(0, 6))
    if form <= 2:
        return f"{key}{sep}{draw(VALUE)}"
    if form == 3:  # a block list
        indent = draw(st.sampled_from(["", "  ", "    ", " "]))
        items = draw(st.lists(VALUE, min_size=0, max_size=3))
        marker = draw(st.sampled_from(["- ", "-", "-  "]))
        return "\n".join([f"{key}:"] + [f"{indent}{marker}{item}" for item in items])
    if form == 4:  # a nested mapping
        indent = draw(st.sampled_from(["  ", "    ", " ", "\t"]))
        subs = draw(st.lists(st.tuples(KEY, VALUE), min_size=0, max_size=3))
        return "\n".join([f"{key}:"] + [f"{indent}{k}: {v}" for k, v in subs])
    if form == 5:
        return draw(st.sampled_from(["# a comment", "  # indented", "", "   ", "  continued", "- stray", "...", "%YAML 1.2", "\u00a0", "\u3000a: b"]))
    return f"{key}{sep}{draw(VALUE)}  # why"


SIMPLE_KEY = st.sampled_from(["tags", "name", "met", "a", "b_c", "x-y", "No", "true", "on"])
LINE_VALUE = st.one_of(st.sampled_from(SCALARS), st.text(alphabet=list("abcXY019 :#'\"[]{},-?!&*|>%@`\\.~é_\u00a0\u3000"), max_size=16))


@st.composite
def simple_chunk(draw) -> str:
    """Mostly what the fast path takes, with the tricky values, so that it answers often."""
    key = draw(SIMPLE_KEY)
    form = draw(st.integers(0, 5))
    if form <= 2:
        return f"{key}: {draw(LINE_VALUE)}"
    if form == 3:
        indent = draw(st.sampled_from(["", "  "]))
        return "\n".join([f"{key}:"] + [f"{indent}- {v}" for v in draw(st.lists(LINE_VALUE, max_size=3))])
    if form == 4:
        return "\n".join([f"{key}:"] + [f"  {k}: {v}" for k, v in draw(st.lists(st.tuples(SIMPLE_KEY, LINE_VALUE), max_size=3))])
    return draw(st.sampled_from(["# a comment", ""]))


def agree(source: str) -> bool:
    pairs = flat_mapping(source, _plain_scalar, MAX_YAML_NODES)
    if pairs is not None:
        assert _from_pairs(pairs, "n.md", 2) == _load_yaml_pyyaml(source, "n.md"), source
    return pairs is not None


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(chunk(), min_size=1, max_size=6))
def test_the_fast_path_agrees_with_pyyaml_whenever_it_answers(chunks):
    agree("\n".join(chunks))


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(simple_chunk(), min_size=1, max_size=6))
def test_the_fast_path_agrees_with_pyyaml_on_flat_front_matter(chunks):
    agree("\n".join(chunks))


def test_common_front_matter_takes_the_fast_path_with_pyyamls_values():
    source = (
        "aliases: [Ada]\n"
        "tags: [mentor, python, london]\n"
        "company: Analytical Engines Ltd\n"
        "email: ada@example.com            # a string or a list\n"
        'phone: "+44 20 7946 0000"\n'
        "social:\n"
        "  linkedin: https://www.linkedin.com/in/ada\n"
        '  mastodon: "@ada@hachyderm.io"\n'
        "birthday: 1815-12-10\n"
        'introduced_by: "[[Grace Hopper]]"\n'
        "cadence: quarterly\n"
        "groups:\n"
        "  - PSF\n"
        "  - IEEE\n"
        "country: NO\n"
        "rating: 5\n"
        "snooze_until:\n"
        "tags: [again]\n"
    )
    pairs = flat_mapping(source, _plain_scalar, MAX_YAML_NODES)
    assert pairs is not None
    meta, lines, problems, ok = _load_yaml(source, "people/Ada.md")
    assert (meta, lines, problems, ok) == _load_yaml_pyyaml(source, "people/Ada.md")
    assert meta["birthday"] == datetime.date(1815, 12, 10)
    assert meta["social"] == {"linkedin": "https://www.linkedin.com/in/ada", "mastodon": "@ada@hachyderm.io"}
    assert meta["groups"] == ["PSF", "IEEE"]
    assert meta["country"] == "NO" and meta["rating"] == 5 and meta["snooze_until"] is None
    assert meta["tags"] == ["again"] and lines["tags"] == 19
    assert [(p.line, p.message) for p in problems] == [(19, "duplicate key 'tags'; the last one wins")]


def test_what_the_fast_path_declines_pyyaml_still_reads_or_reports():
    for source in ("about: |\n  two\n  lines\n", "x: &a 1\ny: *a\n", "a:\n  b:\n    c: 1\n", "a: b: c\n"):
        assert flat_mapping(source, _plain_scalar, MAX_YAML_NODES) is None
        assert _load_yaml(source, "n.md") == _load_yaml_pyyaml(source, "n.md")
    note = parse_note(b"---\na: b: c\n---\nbody\n", "people/X.md")
    assert not note.readable and note.problems[0].line == 2


def test_the_fast_path_refuses_what_yaml_refuses_and_the_characters_it_leaves_to_pyyaml():
    every = "".join(map(chr, range(0x110000)))  # every code point, surrogates too
    refused = {m.group() for m in REFUSED.finditer(every)}
    by_yaml = {m.group() for m in yaml.reader.Reader.NON_PRINTABLE.finditer(every)}
    assert refused == by_yaml | set("\t\r\x85\u2028\u2029\ufeff")


def test_the_fast_paths_resolvers_are_the_loaders():
    """note.py writes the loader's implicit resolvers out, so as not to import PyYAML for a
    flat note: the same tags and patterns, for the same first characters, in the same order."""
    loaders = {
        first: [(tag, rx.pattern, rx.flags) for tag, rx in entries]
        for first, entries in fullyaml.yaml12_resolvers().items()
        if entries  # (y, Y, o, O: only YAML 1.1's booleans, which the loader drops)
    }
    assert None not in loaders  # no resolver for every first character
    assert {first: [(tag, rx.pattern, rx.flags) for tag, rx in entries] for first, entries in _RESOLVERS_BY_FIRST.items()} == loaders


def test_null_booleans_and_integers_are_constructed_as_pyyaml_constructs_them():
    for value in ("", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
                  "0", "-0", "+7", "-12", "1234567890123456789012", "0o17", "0x1F", "0x1f", "1.5", "2026-12-01 10:00:00"):
        meta, _, problems, ok = _load_yaml_pyyaml(f"a: {value}\n", "n.md")
        assert ok and not problems
        assert _plain_scalar(value) == meta["a"] and type(_plain_scalar(value)) is type(meta["a"]), value
    digits = "9" * 5000  # more than Python converts: PyYAML's path says so
    assert _load_yaml(f"a: {digits}\n", "n.md") == _load_yaml_pyyaml(f"a: {digits}\n", "n.md")
    assert _load_yaml(f"a: {digits}\n", "n.md")[3] is False


def test_a_flat_note_is_read_without_importing_pyyaml(tmp_path):
    """PyYAML takes about 15 ms to import: a note of flat front matter does without it, one
    that is not flat loads it."""
    flat = tmp_path / "Ada.md"
    flat.write_text("---\ntags: [a, b]\nmet: 2026-01-02\nrating: 5\nactive: true\nsnooze_until:\n---\n- 2026-01-03 Tea\n", encoding="utf-8")
    nested = tmp_path / "Bob.md"
    nested.write_text("---\nabout: |\n  two\n  lines\n---\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path\n"
        "from vaultkit.read.note import read_note\n"
        "note = read_note(Path(sys.argv[1]), 'people/x.md')\n"
        "print(sorted(note.meta), 'yaml' in sys.modules)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code, str(p)], capture_output=True, text=True, check=True).stdout for p in (flat, nested)]
    assert runs == ["['active', 'met', 'rating', 'snooze_until', 'tags'] False\n", "['about'] True\n"]
