"""The neutral intermediate every extractor produces and the parser consumes.

A :class:`Document` is a sequence of blocks in reading order.  A block is either a
:class:`Line` (one paragraph or text line) or a :class:`Table` (rows of cells).
Every block carries provenance (1-based ``line``/paragraph number and ``page``) so that a
task can point back at where it starts in the original file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

Span = tuple[int, int]  # [start, end) character offsets into a text


@dataclass(frozen=True, slots=True)
class Line:
    """One line or paragraph of text.

    ``bold`` is True when the whole line is set bold (or in 黑体), False when known not to be,
    None when the format cannot tell (plain text).  ``bold_spans`` marks the bold parts of a
    partly bold line — this is how a lead unit set in 黑体 inside a clause is seen.
    """

    text: str
    line: int | None = None
    page: int | None = None
    bold: bool | None = None
    bold_spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell, after merges are resolved (a merged cell's text is repeated into
    every grid position it covers; ``merged`` is True on the covered copies)."""

    text: str
    bold: bool | None = None
    bold_spans: tuple[Span, ...] = ()
    merged: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table as a rectangular grid of cells (rows may be padded with empty cells)."""

    rows: tuple[tuple[Cell, ...], ...]
    line: int | None = None
    page: int | None = None
    row_pages: tuple[int | None, ...] = ()  # page of each row, when known (pdf)


Block = Union[Line, Table]


@dataclass(slots=True)
class Document:
    """What an extractor returns: blocks plus facts about the source."""

    blocks: list[Block]
    format: str
    path: str | None = None
    sha256: str | None = None
    encoding: str | None = None
    has_bold: bool = False  # the format carries bold information
    warnings: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)
    # (code, message, line, page) — extraction-time warnings, e.g. pages that need OCR

    def lines(self) -> list[Line]:
        """All Line blocks (tables skipped) — convenient for tests and simple consumers."""
        return [b for b in self.blocks if isinstance(b, Line)]
