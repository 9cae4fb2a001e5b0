"""Text cleanup and bracket-aware splitting (all linear scans)."""
from __future__ import annotations

import regex

from . import patterns as P

_ODD_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u3000\u00a0\u2002\u2003\u2009\u202f\t"
_ODD = str.maketrans({**dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad"), **dict.fromkeys("\u3000\u00a0\u2002\u2003\u2009\u202f\t", " ")})
_HAS_ODD = regex.compile(f"[{_ODD_CHARS}]")
_LATIN = regex.compile("[A-Za-z]")  # (as patterns.KEEP_SPACE reads a Latin letter)
_KEEP = "\ue002"  # placeholder for a space kept between Latin letters


def clean(s: str) -> str:
    """Remove extraction whitespace: keep a space only between two Latin letters."""
    if s.isprintable():  # (every odd character, tab and line break is unprintable: a quick test)
        if " " not in s:
            return s
        if not _LATIN.search(s):
            return s.replace(" ", "")  # (the only whitespace a printable text has is the space)
    elif _HAS_ODD.search(s):  # zero-width characters go, odd spaces become plain ones
        s = s.translate(_ODD)
    if " " not in s and "\n" not in s and "\r" not in s:
        return s
    s = P.KEEP_SPACE.sub(_KEEP, s)
    s = P.SPACE_RUN.sub("", s)
    return s.replace(_KEEP, " ")


def no_private_use(s: str) -> str:
    """Private-use code points carry no text; replaced by spaces so offsets stay valid."""
    if s.isprintable():  # (private-use code points are unprintable: a quick test)
        return s
    return P.PRIVATE_USE.sub(" ", s) if P.PRIVATE_USE.search(s) else s


def strip_marks(s: str) -> str:
    """Remove the parser's bold marks."""
    return s.replace(P.BOLD_ON, "").replace(P.BOLD_OFF, "") if P.BOLD_ON in s or P.BOLD_OFF in s else s


def with_bold_marks(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """Insert bold marks around the given [start, end) spans of ``text``."""
    if not spans:
        return text
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        out += [text[pos:start], P.BOLD_ON, text[start:end], P.BOLD_OFF]
        pos = end
    out.append(text[pos:])
    return "".join(out)


# --- brackets: one scanner, used by every function that needs the bracket depth ----------------------

_BRACKET = regex.compile(f"[{regex.escape(P.OPEN + P.CLOSE)}]")
_BRACKET_BACK = regex.compile(_BRACKET.pattern, regex.REVERSE)


def depth_after(depth: int, s: str) -> int:
    """The bracket depth after reading ``s`` from ``depth`` (a stray closing bracket is ignored)."""
    for ch in _BRACKET.findall(s):
        if ch in P.OPEN:
            depth += 1
        elif depth:
            depth -= 1
    return depth


def outside_brackets(s: str, positions: list[int]) -> list[int]:
    """The ones of the (sorted) ``positions`` of ``s`` that stand outside brackets (one pass)."""
    out, depth, j = [], 0, 0
    for m in _BRACKET.finditer(s):
        while j < len(positions) and positions[j] <= m.start():
            if depth == 0:
                out.append(positions[j])
            j += 1
        if m.group() in P.OPEN:
            depth += 1
        elif depth:
            depth -= 1
    if depth == 0:
        out += positions[j:]
    return out


def depth_profile_ok(s: str) -> bool:
    """True when every bracket in ``s`` is closed (open and close kinds may differ: PDF text
    often opens full-width and closes half-width)."""
    return depth_after(0, s) == 0


def balanced(s: str) -> bool:
    """Every bracket closed and none closed before it opened."""
    depth = 0
    for m in _BRACKET.finditer(s):
        depth += 1 if m.group() in P.OPEN else -1
        if depth < 0:
            return False
    return depth == 0


def top_level(s: str, chars: str) -> list[int]:
    """Positions of the characters of ``chars`` in ``s`` that stand outside brackets."""
    wanted = _TOP_PATTERNS.get(chars)
    if wanted is None:
        wanted = _TOP_PATTERNS[chars] = regex.compile(f"[{regex.escape(P.OPEN + P.CLOSE + chars)}]")
    out, depth = [], 0
    for m in wanted.finditer(s):
        ch = m.group()
        if ch in P.OPEN:
            depth += 1
        elif ch in P.CLOSE:
            if depth:
                depth -= 1
        elif depth == 0:
            out.append(m.start())
    return out


_TOP_PATTERNS: dict[str, regex.Pattern] = {}
_SEP_PATTERNS: dict[str, regex.Pattern] = {}


def split_top(s: str, seps: str) -> list[str]:
    """Split ``s`` on any char of ``seps`` that is outside brackets."""
    if not _BRACKET.search(s):  # no brackets: every separator is outside them
        sep = _SEP_PATTERNS.get(seps)
        if sep is None:
            sep = _SEP_PATTERNS[seps] = regex.compile(f"[{regex.escape(seps)}]")
        return sep.split(s)
    parts, start = [], 0
    for i in top_level(s, seps):
        parts.append(s[start:i])
        start = i + 1
    parts.append(s[start:])
    return parts


def bracket_groups(s: str) -> list[tuple[int, int]]:
    """Top-level bracket groups of ``s`` as (start, end) with end exclusive (an unclosed group
    runs to the end of the string)."""
    groups, depth, start = [], 0, 0
    for m in _BRACKET.finditer(s):
        if m.group() in P.OPEN:
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                groups.append((start, m.end()))
    if depth:
        groups.append((start, len(s)))
    return groups


def group_ending_at(s: str, end: int, reach: int) -> int | None:
    """Where the bracket group that closes right before ``end`` opens (looking back at most ``reach``
    characters), or None: read backwards, bracket characters only."""
    depth = 0
    for m in _BRACKET_BACK.finditer(s, max(0, end - reach), end):  # (from ``end`` back: stops at the group's start)
        i = m.start()
        if s[i] in P.CLOSE:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return i
    return None


def unwrap(group: str) -> str:
    """Drop one pair of outer brackets (either may be missing)."""
    if group[:1] in P.OPEN:
        group = group[1:]
    if group[-1:] in P.CLOSE:
        group = group[:-1]
    return group


def cn_number(s: str) -> int | None:
    """Value of a small Chinese numeral (一 .. 九十九, also 〇-style digit strings)."""
    digits = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" not in s and "百" not in s:
        if all(c in digits for c in s):
            v = 0
            for c in s:
                v = v * 10 + digits[c]
            return v
        return None
    if "百" in s:
        head, _, tail = s.partition("百")
        h = digits.get(head, 1) if head else 1
        rest = cn_number(tail.lstrip("零〇")) if tail else 0
        return None if rest is None else h * 100 + rest
    head, _, tail = s.partition("十")
    tens = digits.get(head, None) if head else 1
    ones = digits.get(tail, None) if tail else 0
    if tens is None or ones is None:
        return None
    return tens * 10 + ones


def cn_numeral(value: int) -> str:
    """A small number as a Chinese numeral: 3 -> 三, 12 -> 十二, 20 -> 二十 (1-99; '' outside)."""
    digits = "零一二三四五六七八九"
    if not 0 < value < 100:
        return ""
    if value < 10:
        return digits[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
