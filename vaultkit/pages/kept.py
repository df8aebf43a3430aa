"""Pages of the last build that a build takes as they are, read when it comes to them.

commands/build.pages_kept decides which of the last build's pages still hold (nothing they
read has changed); this is the mapping it gives views.build_pages. A page is taken only
where its file still has the bytes the last build wrote (by the manifest's digest), and is
read when first asked for: a page that is made anyway (a person no longer owed thanks) is
never read, and a forked child reads its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path


class KeptPages(Mapping[str, str]):
    """page -> the text the last build wrote, for the pages offered that still have it.

    (A Mapping, as build_pages takes any: iterating one, or its len(), reads every page
    offered; the build only looks pages up.)
    """

    def __init__(self, output: Path, left: dict[str, tuple], made: Iterable[str]) -> None:
        self.output = output
        self.left = left  # the last build's output listing: page -> (kind, stat, digest, racy)
        self.made = frozenset(made)  # the last build's pages (the listing has any file)
        self.offered: set[str] = set()
        self.texts: dict[str, str | None] = {}
        # every thank-you draft the last build made, when pages_kept found that they all hold
        # (no one owed thanks reads otherwise, and the list of who is owed is the same)
        self.drafts_left: tuple[str, ...] | None = None

    def offer(self, page: str) -> None:
        """Take `page` as the last build wrote it, if it made the page and its file still has those bytes."""
        left = self.left.get(page)
        if page in self.made and left is not None and left[0] == "f" and left[2]:
            self.offered.add(page)

    def all_drafts(self) -> list[tuple[str, str]] | None:
        """Every draft of the last build with its text, when they all hold and each file still
        has its bytes; else None (the build works out who is owed thanks, and takes what it can)."""
        if self.drafts_left is None:
            return None
        drafts = []
        for page in self.drafts_left:
            text = self.get(page)
            if text is None:
                return None
            drafts.append((page, text))
        return drafts

    def __getitem__(self, page: str) -> str:
        if page not in self.offered:
            raise KeyError(page)
        if page not in self.texts:
            self.texts[page] = self._text(page)
        text = self.texts[page]
        if text is None:
            raise KeyError(page)
        return text

    def _text(self, page: str) -> str | None:
        from vaultkit.read.cache import digest, read_regular

        data = read_regular(os.path.join(self.output, page))
        if data is None or digest(data) != self.left[page][2]:
            return None  # (changed or removed since: made again)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:  # pragma: no cover - its digest is the one of the text written
            return None

    def __iter__(self) -> Iterator[str]:
        return (page for page in sorted(self.offered) if page in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)
