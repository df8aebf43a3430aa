"""Bytes of an exported file -> text, and CSV rows with the line each starts on."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and a warning ('' if none).

    Address books come as UTF-8 (with or without a byte order mark), UTF-16 with a
    byte order mark (older Google and Outlook exports), or a Windows code page.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), ""
    if data[:200].count(b"\x00") > 20:  # UTF-16 without a byte order mark
        codec = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(codec, errors="replace"), ""
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return data.decode(
            "cp1252", errors="replace"
        ), f"line {line}: not UTF-8; read as Windows-1252"


@dataclass(frozen=True)
class Row:
    """One CSV record: the line it starts on, its cells, or why it could not be read."""

    line: int
    cells: tuple[str, ...] = ()
    error: str = ""


def csv_rows(text: str) -> Iterator[Row]:
    """Every non-blank CSV record, with the line it starts on (a quoted value may span lines).

    The reader is strict, so a stray quote is an error for that record; reading goes on
    with the next line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "unexpected end of data" in message:
                message = "a quoted value is never closed; the rest of the file could not be read"
            yield Row(last + 1, error=f"not valid CSV: {message}")
            last = reader.line_num
            continue
        first, last = last + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            yield Row(first, tuple(cells))
