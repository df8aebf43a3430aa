"""What in a body is text only: inline code, quotes, HTML comments and `%% comments %%`.

None of them holds links, dates, tasks or fields that count (vault-format.md). `mask` blanks
them with spaces and keeps every newline, so that the readers that run after it see the same
line numbers and find nothing inside them. Fenced code blocks are left to the readers, which
skip them already (records._outside_code).

Inline code is still text that a task or a log line says (`- [ ] Send [[Ada]] the
`deploy.sh` script`): `shown` is the body as a reader of the note sees it, comments blanked
and code kept, at the same places as in the masked body, for the readers to take a line's
words from after they have found the line in the masked one. For them, `mask(body, CODE)`
marks the code with CODE instead of blanking it: a mark is no space, so a line's text
starts where its code does (`- [ ] `make` the release`), and it is no word, link, tag or date.
"""

from __future__ import annotations

import re

# Inline code is one line; a quote (or callout) is a line whose first character after
# indentation is ">". Comments may span lines: found with str.find, so that an opening with no
# end costs one search, not one search per opening (a regex's lazy `.*?` would be quadratic).
_CODE_OR_QUOTE_RE = re.compile(r"`[^`\n]++`|^[^\S\n]*+>[^\n]*+", re.M)
_QUOTE_RE = re.compile(r"^[^\S\n]*>", re.M)
_NOT_NEWLINE_RE = re.compile(r"[^\n]")
_COMMENTS = (("<!--", "-->"), ("%%", "%%"))
CODE = "\ue000"  # a character of Unicode's private use: no space, no word, nothing a reader looks for


def _blank(text: str) -> str:
    return _NOT_NEWLINE_RE.sub(" ", text)


def needs_mask(body: str) -> bool:
    """Cheap: does the body hold anything `mask` would blank?"""
    return "`" in body or "<!--" in body or "%%" in body or (">" in body and _QUOTE_RE.search(body) is not None)


def mask(body: str, code: str = " ") -> str:
    """The body with code spans, quotes and comments blanked, newlines kept; `code`: what each
    character of a code span becomes (CODE for the readers of lines, see above)."""
    if not needs_mask(body):
        return body

    def blank(found: re.Match[str]) -> str:
        text = found.group(0)
        return code * len(text) if text[0] == "`" else _blank(text)

    return _CODE_OR_QUOTE_RE.sub(blank, hide_comments(body))


def shown(body: str) -> str | None:
    """The body with its comments blanked, if it has inline code (else None: the masked body's
    lines say the same words). Same length and newlines as mask(body)."""
    return hide_comments(body) if "`" in body else None


def hide_comments(body: str) -> str:
    """The body with its HTML and `%%` comments blanked, newlines kept.

    Read from the start, as Obsidian does: an opening inside inline code is code
    (`` `a %% b` ``), and whatever a comment holds, code included, is the comment's."""
    kinds = [(opening, closing) for opening, closing in _COMMENTS if opening in body]
    if not kinds:
        return body
    parts, at = [], 0
    while kinds:
        found = [(start, o, c) for o, c in kinds if (start := body.find(o, at)) >= 0]
        if not found:
            break
        start, opening, closing = min(found)
        code_end = _code_around(body, at, start)
        if code_end is not None:  # the opening is code: go on after the code
            parts.append(body[at:code_end])
            at = code_end
            continue
        end = body.find(closing, start + len(opening))
        if end < 0:  # an opening with no end is text, as Obsidian shows it; so is every later one
            kinds.remove((opening, closing))
            continue
        end += len(closing)
        parts += [body[at:start], _blank(body[start:end])]
        at = end
    return "".join(parts) + body[at:]


_CODE_RE = re.compile(r"`[^`\n]++`")


def _code_around(body: str, at: int, position: int) -> int | None:
    """The end of the code span `position` is in, if any, reading its line from `at` on."""
    line_start = max(at, body.rfind("\n", 0, position) + 1)
    line_end = body.find("\n", position)
    for code in _CODE_RE.finditer(body, line_start, len(body) if line_end < 0 else line_end):
        if code.start() < position < code.end():
            return code.end()
        if code.start() > position:
            break
    return None
