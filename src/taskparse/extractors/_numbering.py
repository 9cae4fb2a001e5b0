"""Word's automatic list numbers as Word prints them, for both .docx and .doc.

.docx names a number format (``w:numFmt``, ST_NumberFormat); .doc gives an MSONFC code, mapped here
onto the same names, so one function formats both and the two readers cannot drift apart.
"""
from __future__ import annotations

from ..limits import MAX_LIST_LABEL_CHARS

BULLET = "●"  # what a bulleted list paragraph starts with, from .docx and .doc alike
CN_DIGITS = "〇一二三四五六七八九"  # digit by digit (ideographDigital): 10 -> 一〇
CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
TIAN_GAN = "甲乙丙丁戊己庚辛壬癸"
DI_ZHI = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL = {ord(a): ord(b) for a, b in zip(CN_DIGITS + "十百千", CN_LEGAL + "拾佰仟")}

# [MS-DOC] MSONFC codes -> the ST_NumberFormat name of the same style
MSONFC = {
    0: "decimal", 1: "upperRoman", 2: "lowerRoman", 3: "upperLetter", 4: "lowerLetter", 10: "ideographDigital",
    14: "decimalFullWidth", 18: "decimalEnclosedCircle", 19: "decimalFullWidth2", 22: "decimalZero",
    26: "decimalEnclosedFullstop", 27: "decimalEnclosedParen", 28: "decimalEnclosedCircleChinese",
    29: "ideographEnclosedCircle", 30: "ideographTraditional", 31: "ideographZodiac", 33: "chineseCounting",
    34: "chineseLegalSimplified", 35: "chineseCountingThousand", 36: "taiwaneseDigital", 37: "taiwaneseCounting",
    38: "chineseLegalSimplified", 39: "taiwaneseCountingThousand",
}
_COUNTING = ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
             "japaneseCounting")
_DIGITAL = ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand")


def cn_count(n: int) -> str:
    """Chinese counting: 1 一, 10 十, 11 十一, 20 二十, 105 一百零五 (digit by digit from 10000)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return "".join(CN_DIGITS[int(d)] for d in str(n))
    out: list[str] = []
    zero = False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        if not (value == 10 and digit == 1 and not out):  # 十一, not 一十一
            out.append(CN_DIGITS[digit])
        out.append(name)
    return "".join(out)


def roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(sym * count)
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """One counter value in a number format named as ST_NumberFormat names it."""
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 4000:
        r = roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("upperLetter", "lowerLetter") and 0 < n <= 26 * MAX_LIST_LABEL_CHARS:
        r = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return r if fmt == "upperLetter" else r.lower()
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "ideographEnclosedCircle" and 1 <= n <= 10:
        return chr(0x3220 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in _COUNTING:
        return cn_count(n)
    if fmt in _DIGITAL:
        return "".join(CN_DIGITS[int(d)] for d in str(n)) if n >= 0 else str(n)
    if fmt == "chineseLegalSimplified" and n > 0:
        return cn_count(n).translate(_LEGAL)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return TIAN_GAN[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= 12:
        return DI_ZHI[n - 1]
    return str(n)


def format_msonfc(n: int, nfc: int) -> str:
    """One counter value in a .doc MSONFC number format."""
    return format_number(n, MSONFC.get(nfc, "decimal"))
