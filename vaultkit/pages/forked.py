"""One page made in a second process while this one makes the others: a build's two cores.

`vaultkit build` makes its pages in one pass over an index that is already in memory.
The costliest single page, Introductions.md (every candidate pair of people scored),
depends on nothing the other pages compute, so a child forked after the index is read
makes it from the same memory (copy-on-write: nothing is read or sent twice) while the
parent makes the rest; only the page's text comes back, through a pipe.

Only where `fork` is safe and worth it: Linux (on macOS a forked child of a process that
used system frameworks may crash), a single thread (a fork copies only the thread that
calls it, so locks held by others stay held), more than one core, and a network big
enough that the pages cost more than a fork (`FORK_MIN` people) and small enough that the
memory the child copies stays small (`FORK_MAX`). Whatever fails in the
child, the parent makes the page itself when it is asked for it, so an error (a vault
template that does not render, say) is raised where and as it would be without a child.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable

FORK_MIN = 2000  # people; below this a fork costs about what the page does
# Above this, the child's copies of the memory pages it touches (every object it reads has its
# reference count written) cost more than the pages save: at 100,000 people a cold build
# forked peaked at 1.2 GiB, against 0.7 GiB in one process, and took longer.
FORK_MAX = 30_000


# Whether processes may fork here: on Linux (on macOS a forked child of a process that used
# system frameworks may crash; Windows has no fork)
PLATFORM_FORKS = sys.platform == "linux" and hasattr(os, "fork")


def fork_is_safe() -> bool:
    """Whether this process may fork: where the platform may (PLATFORM_FORKS), with a single
    thread (a fork copies only the calling one)."""
    return PLATFORM_FORKS and threading.active_count() == 1


def worth_forking(people: int) -> bool:
    """Whether a build of this many people makes its costliest page in a child."""
    if not FORK_MIN <= people <= FORK_MAX or not fork_is_safe():
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return False


class Later:
    """`work()` being done in a forked child: `result()` waits for its text."""

    def __init__(self, work: Callable[[], str]) -> None:
        self.work = work
        self.pid = 0
        self.pipe = -1
        try:
            read, write = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:  # no memory or process left for a child: the parent does it
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: do the work, send the text, leave without the parent's cleanup
            status = 1
            try:
                os.close(read)
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it at once
                data = work().encode("utf-8")
                view = memoryview(data)
                while view:
                    view = view[os.write(write, view) :]
                status = 0
            except BaseException:  # noqa: BLE001 - the parent does the work again and raises it
                pass
            finally:
                os._exit(status)
        os.close(write)
        self.pid, self.pipe = pid, read

    def result(self) -> str:
        """The child's text; if there is no child or it failed, `work()` done here."""
        if not self.pid:
            return self.work()
        chunks = []
        with os.fdopen(self.pipe, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.waitstatus_to_exitcode(status) == 0:
            return b"".join(chunks).decode("utf-8")
        return self.work()

    def cancel(self) -> None:
        """Stop a child whose text is not wanted any more (the build failed before it)."""
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            os.close(self.pipe)
            self.pid = 0
