"""Text built run by run with a bold flag per character: the one buffer every Word-like reader
(docx, doc, html, rtf) fills while it walks a paragraph or a table cell, and turns into the
``bold``/``bold_spans`` of a :class:`~taskparse.document.Line` or :class:`~taskparse.document.Cell`."""
from __future__ import annotations

from ..document import Cell, Line, Span
from ._common import bold_spans


class RunBuffer:
    """Characters and one bold flag for each, appended run by run."""

    __slots__ = ("parts", "flags")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.flags: list[bool] = []

    def __len__(self) -> int:
        return len(self.flags)

    def add(self, text: str, bold: bool) -> None:
        """Append a run of ``text``, every character of it bold or not."""
        if not text:
            return
        self.parts.append(text)
        if len(text) == 1:
            self.flags.append(bold)
        else:
            self.flags.extend([bold] * len(text))

    def add_spans(self, text: str, bold: bool | None, spans: tuple[Span, ...]) -> None:
        """Append text that already carries its bold as a whole flag or as [start, end) spans
        (a finished Line or Cell that becomes part of a bigger one)."""
        if bold:
            self.add(text, True)
            return
        flags = [False] * len(text)
        for a, b in spans:
            flags[a:b] = [True] * (b - a)
        self.parts.append(text)
        self.flags.extend(flags)

    def prepend(self, text: str, bold: bool) -> None:
        """Put ``text`` in front of what is there (a list number found after the paragraph)."""
        if text:
            self.parts.insert(0, text)
            self.flags[:0] = [bold] * len(text)

    def endswith(self, suffix: str) -> bool:
        return bool(self.parts) and self.parts[-1].endswith(suffix)

    def rstrip(self, chars: str) -> None:
        """Drop ``chars`` from the end, with their flags."""
        while self.parts:
            last = self.parts[-1]
            kept = last.rstrip(chars)
            if kept == last:
                return
            del self.flags[len(self.flags) - (len(last) - len(kept)):]
            if kept:
                self.parts[-1] = kept
                return
            self.parts.pop()

    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""

    def spans(self) -> tuple[tuple[Span, ...], bool]:
        """The bold spans of the text and whether all of its visible characters are bold."""
        return bold_spans(self.text(), self.flags)

    def line(self, number: int | None, page: int | None = None) -> Line:
        """The buffer as a Line (bold when every visible character is, and the bold spans)."""
        spans, whole = self.spans()
        return Line(self.text(), line=number, page=page, bold=whole, bold_spans=spans)

    def cell(self) -> Cell:
        """The buffer as a table Cell (bold spans only when the cell is partly bold)."""
        spans, whole = self.spans()
        return Cell(self.text(), bold=whole, bold_spans=() if whole else spans)

    def clear(self) -> None:
        self.parts = []
        self.flags = []


def joined(parts: list[RunBuffer], sep: str = "\n") -> RunBuffer:
    """The buffers one after another with ``sep`` (never bold) between them: the paragraphs of a cell."""
    out = RunBuffer()
    for i, part in enumerate(parts):
        if i:
            out.add(sep, False)
        out.parts += part.parts
        out.flags += part.flags
    return out
