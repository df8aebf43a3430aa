"""What in a body is text only: inline code, quotes, HTML comments and `%% comments %%`.

None of them holds links, dates, tasks or fields that count (vault-format.md). `mask` blanks
them with spaces and keeps every newline, so that the readers that run after it see the same
line numbers and find nothing inside them. Fenced code blocks are left to the readers, which
skip them already (records._outside_code).
"""

from __future__ import annotations

import re

# One pattern, one pass: an HTML comment or a %% comment may span lines; inline code is one
# line; a quote (or callout) is a line whose first character after indentation is ">".
_HIDDEN_RE = re.compile(r"<!--.*?-->|%%.*?%%|`[^`\n]+`|^[^\S\n]*>[^\n]*", re.S | re.M)
_QUOTE_RE = re.compile(r"^[^\S\n]*>", re.M)
_NOT_NEWLINE_RE = re.compile(r"[^\n]")


def _blank(match: re.Match[str]) -> str:
    return _NOT_NEWLINE_RE.sub(" ", match.group(0))


def needs_mask(body: str) -> bool:
    """Cheap: does the body hold anything `mask` would blank?"""
    return "`" in body or "<!--" in body or "%%" in body or (">" in body and _QUOTE_RE.search(body) is not None)


def mask(body: str) -> str:
    """The body with code spans, quotes and comments blanked, newlines kept."""
    if not needs_mask(body):
        return body
    return _HIDDEN_RE.sub(_blank, body)
