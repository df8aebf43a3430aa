"""Answers kept: what `vaultkit due` and `vaultkit show` printed, for the next time the same
question is asked while nothing it depends on has changed.

An answer is a function of the question (the command, its arguments, the day), the people's
rows it was made from, the vault's templates, the settings and vaultkit's code, and of
nothing else. The cache keys each of its files on the code and the settings (read/cache.py);
an answer is kept with the signature of the rows' file it came from (a keyed digest of that
file's content: other rows have another) and the stat of every file in the vault's templates
folder. So `due` asked again the same day, with every note as the rows were made from, prints
what it printed then without decoding the rows, working out the reminders or importing the
renderer (Jinja): about a third of a warm `due` at 10,000 people. A note, a template or the
day that changed, or rows made again, and the question is answered anew (and kept again).

Kept in `answers.msgpack` beside the rows: the rows' signature, the templates' stats and the
last KEEP questions with their answers. A command that cannot write the cache keeps nothing.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import msgspec

from vaultkit.read.cache import decoded
from vaultkit.settings import Settings

if TYPE_CHECKING:
    from vaultkit.read.cache import Cache

ANSWERS_FILE = "answers.msgpack"
KEEP = 16  # questions kept for one state of the rows: `due`, `due --json`, a few `show NAME`

Question = tuple[str | bool, ...]  # ("due", day, as JSON, all) or ("show", name, day, as JSON)
_Kept = tuple[bytes, list[tuple[str, int, int, int, int]], list[tuple[list[str | bool], str]]]
_KEPT = msgspec.msgpack.Decoder(_Kept)


def templates_state(settings: Settings) -> list[tuple[str, int, int, int, int]]:
    """Each file under the vault's templates folder (a template of its own may stand in for a
    built-in one, or be included by one) with its stat: path, size, modification and change
    time, inode. No folder, no files."""
    folder = os.path.join(settings.root, settings.templates_dir)
    state = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                st = None
            stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if st is not None else (-1, 0, 0, 0)
            state.append((os.path.relpath(path, folder), *stat))
    return sorted(state)


def answer_kept(cache: Cache, rows: bytes, question: Question, templates: list) -> str | None:
    """The text kept for this question, answered from the rows of this signature with the
    templates as they are, if there is one."""
    kept = _read(cache)
    if kept is None or kept[0] != rows or kept[1] != templates:
        return None
    asked = list(question)
    return next((text for was, text in kept[2] if was == asked), None)


def keep_answer(cache: Cache, rows: bytes, question: Question, templates: list, text: str) -> None:
    """Keep this question's answer, from the rows of this signature, with the others kept for
    the same rows and templates (the last KEEP questions)."""
    kept = _read(cache)
    asked = list(question)
    answers = [] if kept is None or kept[0] != rows or kept[1] != templates else [a for a in kept[2] if a[0] != asked]
    answers.append((asked, text))
    cache.write(ANSWERS_FILE, msgspec.msgpack.encode((rows, templates, answers[-KEEP:])))


def _read(cache: Cache) -> _Kept | None:
    return decoded(cache.read(ANSWERS_FILE), _KEPT)
