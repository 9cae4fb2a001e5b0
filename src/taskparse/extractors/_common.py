"""Small pieces every extractor shares: telling 黑体 faces, and turning per-character bold flags
into the bold spans of a Line."""
from __future__ import annotations

from ..document import Span

HEI_FONT_MARKS = ("黑体", "simhei", "hei", "黑")
NOT_HEI_FONT_MARKS = ("yahei", "雅黑")  # Microsoft YaHei is a UI font, often a whole document's body font


def is_hei(name: str | None) -> bool:
    """True for a 黑体 face (黑体, SimHei, 方正黑体, STHeiti...), which notices use as bold."""
    if not name:
        return False
    low = name.lower()
    if any(m in low for m in NOT_HEI_FONT_MARKS):
        return False
    return any(m in low for m in HEI_FONT_MARKS)


def bold_spans(text: str, bold: list[bool]) -> tuple[tuple[Span, ...], bool]:
    """[start, end) spans of bold non-space text, and whether every visible character is bold."""
    spans: list[Span] = []
    i, n = 0, len(text)
    while i < n:
        if bold[i] and not text[i].isspace():
            j = i
            while j < n and (bold[j] or text[j].isspace()):
                j += 1
            k = j
            while k > i and text[k - 1].isspace():
                k -= 1
            spans.append((i, k))
            i = j
        else:
            i += 1
    visible = [b for c, b in zip(text, bold) if not c.isspace()]
    whole = bool(visible) and all(visible)
    return tuple(spans), whole
