"""The error tree.  Every error names the file, says what is wrong and what to do."""
from __future__ import annotations


class TaskparseError(Exception):
    """Base class: ``str(err)`` is one line fit for the user."""

    exit_code = 3
    kind = "error"

    def __init__(self, message: str, path: str | None = None, hint: str | None = None):
        self.message = message
        self.path = path
        self.hint = hint
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.path}: " if self.path else ""
        hint = f" — {self.hint}" if self.hint else ""
        return f"{where}{self.message}{hint}"


class UnsupportedFormat(TaskparseError):
    """The file is not a format taskparse reads (or an unsupported version of one)."""

    exit_code = 4
    kind = "unsupported"


class CorruptFile(TaskparseError):
    """The file claims a format but is truncated, damaged or undecodable."""

    exit_code = 5
    kind = "corrupt"


class EncryptedFile(TaskparseError):
    """The file is password-protected."""

    exit_code = 6
    kind = "encrypted"


class NeedsOCR(TaskparseError):
    """The file has no usable text layer (a scan, or fonts without a Unicode map)."""

    exit_code = 7
    kind = "needs-ocr"


class OCRNotInstalled(NeedsOCR):
    """A scan met without the OCR extra: the message for people names the command that adds it."""

    catalogue_key = "error.needs-ocr-extra"


class TooLarge(TaskparseError):
    """The file (or what it expands to) exceeds a safety limit."""

    exit_code = 8
    kind = "too-large"


class EmptyDocument(TaskparseError):
    """The file holds no text at all."""

    exit_code = 9
    kind = "empty"


class Interrupted(BaseException):
    """A batch stopped by SIGINT or SIGTERM (a BaseException, like KeyboardInterrupt, so that
    half-written outputs are removed on the way out).  ``done`` of ``total`` files had finished."""

    def __init__(self, signum: int, done: int = 0, total: int = 0):
        self.signum, self.done, self.total = signum, done, total
        super().__init__(signum, done, total)


class DamagedStructure(CorruptFile):
    """A reader met data it could not make sense of (an index out of range, a bad codec name,
    a field that does not unpack).  Raised in place of the raw Python exception, so that every
    failure caused by a file is a :class:`TaskparseError`; ``cause`` names the original
    exception type, which is worth reporting — a reader should have caught it by name."""

    def __init__(self, message: str, path: str | None = None, hint: str | None = None, cause: str | None = None):
        self.cause = cause
        super().__init__(message, path, hint)
