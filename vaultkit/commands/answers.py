"""Answers kept: what `vaultkit due` and `vaultkit show` printed, for the next time the same
question is asked while nothing it depends on has changed.

An answer is a function of the question (the command, its arguments, the day), the people's
rows it was made from, the vault's templates, the settings and vaultkit's code, and of
nothing else. The cache keys each of its files on the code and the settings (read/cache.py);
an answer is kept with the signature of the rows' file it came from (a keyed digest of that
file's content: other rows have another), the digest of every file in the vault's templates
folder and the settings the cache's key leaves out (where mail goes, the alarms' time: a
template of the vault's may show them), taken before the answer was made. So `due` asked again the same day, with every note as the rows were made from, prints
what it printed then without decoding the rows, working out the reminders or importing the
renderer (Jinja): about a third of a warm `due` at 10,000 people. A note, a template or the
day that changed, or rows made again, and the question is answered anew (and kept again).

Kept in `answers.msgpack` beside the rows: the rows' signature, those inputs and the last KEEP
questions with their answers. A command that cannot write the cache keeps nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from vaultkit.read.cache import decoded, inputs_digest, templates_read, unkeyed_settings
from vaultkit.settings import Settings

if TYPE_CHECKING:
    from vaultkit.read.cache import Cache

ANSWERS_FILE = "answers.msgpack"
KEEP = 16  # questions kept for one state of the rows: `due`, `due --json`, a few `show NAME`

Question = tuple[str | bool, ...]  # ("due", day, as JSON, all) or ("show", name, day, as JSON)
_Kept = tuple[bytes, bytes, list[tuple[list[str | bool], str]]]  # rows' signature, inputs, answers
_KEPT = msgspec.msgpack.Decoder(_Kept)


def inputs_of(settings: Settings) -> bytes:
    """What an answer depends on besides the question and the rows, that the cache's key does
    not cover: the vault's templates (by content) and the settings the key leaves out, which a
    template of the vault's own may show. Taken before the answer is made: a template saved
    while it is rendered leaves an answer kept for the template as it was before, which the
    next question then does not match."""
    return inputs_digest((templates_read(settings), unkeyed_settings(settings)))


def answer_kept(cache: Cache, rows: bytes, question: Question, inputs: bytes) -> str | None:
    """The text kept for this question, answered from the rows of this signature with these
    inputs (inputs_of), if there is one."""
    asked = list(question)
    return next((text for was, text in _answers(cache, rows, inputs) if was == asked), None)


def keep_answer(cache: Cache, rows: bytes, question: Question, inputs: bytes, text: str) -> None:
    """Keep this question's answer, made from the rows of this signature with these inputs (as
    they were before it was made), with the others kept for the same (the last KEEP)."""
    asked = list(question)
    answers = [a for a in _answers(cache, rows, inputs) if a[0] != asked]
    answers.append((asked, text))
    cache.write(ANSWERS_FILE, msgspec.msgpack.encode((rows, inputs, answers[-KEEP:])))


def _answers(cache: Cache, rows: bytes, inputs: bytes) -> list[tuple[list[str | bool], str]]:
    """The questions and answers kept for the rows of this signature and these inputs."""
    kept = decoded(cache.read(ANSWERS_FILE), _KEPT)
    return kept[2] if kept is not None and kept[0] == rows and kept[1] == inputs else []
