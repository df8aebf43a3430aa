"""Python's cycle collector paused while a build makes many small objects.

Reading 10,000 notes and making their pages allocate millions of small objects, and
every so many allocations the collector walks all of them, the whole index included:
at 10,000 people that was a third of the time the pages took. Almost all of them are
freed by their reference count; the few cycles left wait for the collector's next run.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

# What a command keeps to its end when the process ends with it (see `end`), else nothing.
_kept: list[Any] | None = None


@contextmanager
def paused(keep: bool = False) -> Iterator[None]:
    """The collector off inside the block, and back as it was after (even on an error).

    `keep`: what the block made lives to the end of the command (a CLI command's index), so
    it is frozen (gc.freeze) before the collector is back. Otherwise the first allocation
    after the block starts a collection that walks every object the block made, which at
    10,000 people cost 60 ms, to find no garbage. Only for a process that ends soon (or calls
    gc.unfreeze): cycles among frozen objects are never freed.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()


def ends_process() -> None:
    """This process ends when its command does (the console script): `keep` keeps.

    Not under a profiler or a tracer (`python -m cProfile -m vaultkit`, coverage): they
    write what they found at the interpreter's exit, which `end` would skip."""
    global _kept
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12's, which coverage may use
    if monitoring is not None and any(monitoring.get_tool(tool) for tool in range(6)):
        return
    if sys.getprofile() is None and sys.gettrace() is None:
        _kept = []


def process_ends() -> bool:
    """Whether this process ends with its command (ends_process was called, and counts)."""
    return _kept is not None


def keep(*objects: Any) -> None:
    """Objects that live to the end of the command (its index), for `end` to leave to the
    system: freeing an index of 10,000 people object by object costs 30 ms, a tenth of a
    `vaultkit due`. Only in a process that ends with its command (`ends_process`); else,
    in tests or a watcher, nothing is kept. The last call's objects replace the last ones."""
    if _kept is not None:
        _kept[:] = objects


def end(code: int | str | None) -> NoReturn:
    """End the process now, as sys.exit(code) would, without freeing what it made.

    The standard streams are flushed first; nothing else is left to do at exit: every file
    is written and closed by the command (atomically), and its child processes have ended
    (but the one that keeps the people's rows, which goes on alone: commands/reckoning.py).
    """
    if _kept is None:  # under a profiler: the interpreter's own exit
        sys.exit(code)
    if isinstance(code, str):  # sys.exit("message")
        if sys.stderr is not None:
            print(code, file=sys.stderr)
        code = 1
    if not flushed():
        code = code or 1  # the output did not all reach its reader
    os._exit(code or 0)


def flushed() -> bool:
    """Flush standard output and error (before the process ends or forks); False if the output
    could not all be written (a closed pipe: `vaultkit due | head -1`). A stream closed or
    missing (`vaultkit due >&-`) is passed over."""
    done = True
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with that descriptor closed
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream
            if stream is sys.stdout:
                done = False
    return done
