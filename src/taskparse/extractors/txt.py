"""Plain text: UTF-8 (with or without BOM), UTF-16 (BOM, or NUL-interleaved), GB18030/GBK."""
from __future__ import annotations

import regex

from ..document import Document, Line
from ..errors import CorruptFile, TooLarge, UnsupportedFormat
from ..limits import MAX_DOCUMENT_BLOCKS
from ._common import TOO_LARGE_HINT, Budget

_LINE_BREAKS = regex.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
BINARY_CONTROL_RATIO = 0.02
TEXT_PRINTABLE_RATIO = 0.9  # share of ordinary characters a decoding must give to be believed  # share of C0 control bytes above which a "text" file is binary


def decode(data: bytes, path: str | None = None) -> tuple[str, str]:
    """Decode text bytes, returning (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", path), "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        for enc in ("utf-16-le", "utf-16-be"):  # UTF-16 without a BOM (Windows "Unicode" text)
            if _plausible_text(sample[: len(sample) // 2 * 2], enc):
                return _strict(data, enc, path), enc
        raise UnsupportedFormat("binary data, not a text document", path,
                                "check the file: it is neither a notice in text form nor a known document format")
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > BINARY_CONTROL_RATIO:
        raise UnsupportedFormat("binary data, not a text document", path,
                                "check the file: it is neither a notice in text form nor a known document format")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise CorruptFile(f"not valid UTF-8 or GB18030/GBK text (bad byte at offset {exc.start})", path,
                          "re-save the file as UTF-8 or GBK") from None


def _plausible_text(sample: bytes, encoding: str) -> bool:
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError:
        return False
    good = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    ascii_ = sum(1 for c in text if c < "\x80")
    return bool(text) and good / len(text) >= TEXT_PRINTABLE_RATIO and (han + ascii_) / len(text) >= TEXT_PRINTABLE_RATIO


def _strict(data: bytes, encoding: str, path: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorruptFile(f"not valid {encoding.upper()} text (bad byte at offset {exc.start})", path,
                          "re-save the file as UTF-8") from None


def lines_of(text: str) -> list[Line]:
    """Split text into numbered lines (1-based)."""
    text = text.lstrip("\ufeff")
    return [Line(t, line=i) for i, t in enumerate(_LINE_BREAKS.split(text), 1)]


def extract(data: bytes, path: str | None = None) -> Document:
    text, encoding = decode(data, path)
    # count before splitting: millions of empty lines would be materialised first otherwise
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if breaks > MAX_DOCUMENT_BLOCKS:
        raise TooLarge(f"over {MAX_DOCUMENT_BLOCKS:,} lines", path, TOO_LARGE_HINT)
    Budget(path, len(data)).text(len(text))
    return Document(blocks=list(lines_of(text)), format="txt", path=path, encoding=encoding)
