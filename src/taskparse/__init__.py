"""taskparse — turn Chinese government task-division notices into structured task ledgers.

Public API::

    import taskparse
    result = taskparse.parse_file("notice.pdf")     # -> taskparse.Result
    result = taskparse.parse_text("一、……")
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import (CorruptFile, EmptyDocument, EncryptedFile, NeedsOCR, TaskparseError, TooLarge,
                     UnsupportedFormat)

if TYPE_CHECKING:
    from .models import Location, Notice, Result, Source, Task, Warning

_MODELS = ("Location", "Notice", "Result", "Source", "Task", "Warning")


def __getattr__(name: str) -> Any:
    """The models load on first use (building them is most of ``import taskparse``: a run that only
    skips converted files never needs them)."""
    if name in _MODELS:
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"
__all__ = ["parse_file", "parse_bytes", "parse_text", "parse_document", "Result", "Task", "Notice", "Source",
           "Location", "Warning", "TaskparseError", "UnsupportedFormat", "CorruptFile", "EncryptedFile",
           "NeedsOCR", "TooLarge", "EmptyDocument"]


def parse_document(document) -> Result:
    """Parse an extracted :class:`taskparse.document.Document`; canonical units and due dates are
    added after parsing (postparse.py; user aliases from ``TASKPARSE_ALIASES``)."""
    from .parser import parse
    from .postparse import enrich, env_aliases

    return enrich(parse(document), env_aliases())


def parse_bytes(data: bytes, path: str | None = None, fmt: str | None = None) -> Result:
    """Sniff, extract and parse the bytes of one file (``path`` is only reported)."""
    from .extractors import extract_bytes

    return parse_document(extract_bytes(data, path, fmt))


def parse_file(path: str | Path) -> Result:
    """Parse one notice file of any supported format (sniffed by content)."""
    from .extractors import extract

    return parse_document(extract(path))


def parse_text(text: str, path: str | None = None) -> Result:
    """Parse a notice given as a string."""
    from .document import Document
    from .extractors.txt import lines_of

    return parse_document(Document(blocks=list(lines_of(text)), format="txt", path=path, encoding=None))
