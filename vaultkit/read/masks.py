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
`for_lines` gives the readers both.
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


def for_lines(body: str) -> tuple[str, str | None]:
    """What the readers of a body's lines take: the body masked with its code marked (CODE),
    and as shown (None if it has no inline code)."""
    return mask(body, CODE), shown(body)


def shown(body: str) -> str | None:
    """The body with its comments blanked, if it has inline code (else None: the masked body's
    lines say the same words). Same length and newlines as mask(body)."""
    return hide_comments(body) if "`" in body else None


def hide_comments(body: str) -> str:
    """The body with its HTML and `%%` comments blanked, newlines kept.

    Read from the start, as Obsidian does: an opening inside inline code is code
    (`` `a %% b` ``), and whatever a comment holds, code included, is the comment's. One
    pass: each opening's end is looked for once, and a kind whose end is not found again is
    not looked for again (an opening with no end is text, as Obsidian shows it).
    """
    if "<!--" not in body and "%%" not in body:
        return body
    closings = {opening: closing for opening, closing in _COMMENTS if opening in body}
    parts, at, pos = [], 0, 0
    while closings and (found := _CODE_OR_OPENING_RE.search(body, pos)) is not None:
        opening = found.group(0)
        closing = closings.get(opening)
        if closing is None:  # code, or an opening of a kind that no longer closes
            pos = found.end()
            continue
        end = body.find(closing, found.end())
        if end < 0:
            del closings[opening]
            pos = found.end()
            continue
        end += len(closing)
        parts += [body[at : found.start()], _blank(body[found.start() : end])]
        at = pos = end
    return "".join(parts) + body[at:]


_CODE_OR_OPENING_RE = re.compile(r"`[^`\n]++`|<!--|%%")
