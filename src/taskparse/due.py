"""Due dates: a deadline phrase (完成时限) as a date a ledger can sort and flag.

``resolve("2022年10月底前", 2022)`` -> ``Due("2022-10-31", "by")``.  Kinds:

- ``by``: done by ``date`` — 前/底前/之前, a day, a month (its last day), and the end of a range
  (上半年 -> 06-30, 第三季度 -> 09-30, 年内/年底/全年 -> 12-31, 2021-2023年 -> 2023-12-31);
- ``ongoing``: 长期坚持, 持续推进, 常态化, 2019年1月1日起 …;
- ``recurring``: 每季度 / 每月 / 每年 … with ``every`` (week, month, quarter, half-year, year);
- ``unknown``: a phrase that names no time this module understands (春节前 in an undated notice, 2024年汛期前,
  3年内); a holiday after a year is dated (2025年春节前 -> 2025-01-28, 2025年元旦前 -> 2024-12-31), one without a
  year is the next after the notice's date (春节前 in a notice of 2024-03-01 -> 2025-01-28).

A phrase without a year takes the notice's year (:func:`notice_year`); ``date`` is None when there is
none.  Where a phrase names several times (6月底前启动，12月底前完成) the latest is the due date.
Everything here is pure.
"""
from __future__ import annotations

import calendar
import functools
import unicodedata
from dataclasses import dataclass
from datetime import date

import regex

from .limits import MAX_REMEMBERED

BY, ONGOING, RECURRING, UNKNOWN = "by", "ongoing", "recurring", "unknown"
FROM_DEADLINE, FROM_TEXT = "deadline", "text"
MAX_PHRASE_CHARS = 200  # a longer "deadline" is a sentence: only its first part is read
YEAR_MIN, YEAR_MAX = 1949, 2100
# the five-year plans that deadlines name: 十四五期间 -> the plan's last year
FIVE_YEAR_PLANS = {"十三五": 2020, "十四五": 2025, "十五五": 2030}
EVERY = {"周": "week", "星期": "week", "旬": "ten-days", "月": "month", "季": "quarter", "季度": "quarter",
         "半年": "half-year", "年": "year", "年度": "year"}
# 上旬 ends on the 10th, 中旬 on the 20th, 下旬 with the month
TEN_DAYS_END = {"上旬": 10, "中旬": 20}

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}


def _cn_number(s: str) -> int:
    """一 … 三十一 (and 十二)."""
    if "十" not in s:
        return _CN_DIGITS[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


CN_YEAR = regex.compile(r"[〇零○一二三四五六七八九]{4}(?=年)")
CN_MONTH = regex.compile(r"(?<![\d一二三四五六七八九十])(?:十[一二]?|[一二三四五六七八九])(?=月)")
CN_DAY = regex.compile(r"(?<=月)(?:三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])(?=日|号)")

ONGOING_WORDS = regex.compile(r"长期|持续|常态化|常年|久久为功|按序时|按时序|按进度|按时间节点|动态|逐年|不断|经常性")
RECURRING_WORD = regex.compile(r"每(?P<unit>星期|周|旬|个?月|季度?|半年|年度?)")
PLAN = regex.compile(r"[“\"]?(?P<plan>十[三四五]五)[”\"]?(?:期间|时期|末|内)")
YEAR_RANGE = regex.compile(r"(?P<a>\d{4})\s{0,2}[-—–~～至到]\s{0,2}(?P<b>\d{4})年")
# one point in time; the year is optional (the notice's, or the one named earlier in the phrase)
POINT = regex.compile(
    r"(?:(?P<year>\d{4})年度?)?"
    r"(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})[日号]|(?P<part>底|末|份|上旬|中旬|下旬|中))?(?P<before>之前|以前|前)?"
    r"|第?(?P<quarter>[一二三四1-4])季度(?:末|底)?"
    r"|(?P<half>上半年|下半年)"
    r"|(?<![\d一二三四五六七八九十两半])(?P<yearend>年底|年末|年内|全年|年中|年度)"
    r"|(?<=\d{4}年度?)(?P<bare>(?:底|末|内))?)")
START_ONLY = regex.compile(r"起|开始|以来")
# 2021.6.30, 2021-06-30, 2021/6: a date written with digits only (table cells)
NUMERIC_DATE = regex.compile(r"(?<!\d)(?P<y>\d{4})[./\-](?P<m>\d{1,2})(?:[./\-](?P<d>\d{1,2}))?(?!\d)")
# years named relative to the notice's: 今年6月底 / 明年一季度 / 次年
RELATIVE_YEAR = {"今年": 0, "当年": 0, "本年": 0, "本年度": 0, "明年": 1, "次年": 1, "来年": 1}
RELATIVE_YEAR_WORD = regex.compile(r"本年度|今年|当年|本年|明年|次年|来年")
# a task text ending in a time limit of its own: "…，6月底前完成。"
TIME = (r"(?:(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}[日号]|底|末|份|上旬|中旬|下旬)?|年底|年末|年内|上半年|下半年|"
        r"第?[一二三四1-4]季度(?:末|底)?)|\d{4}年(?:底|末|内)?)")
TEXT_TAIL = regex.compile(
    rf"^(?:于|在|力争|确保|争取|计划|要)?(?P<time>{TIME}(?:前|之前|以前)?)"
    r"(?:全部完成|全面完成|基本完成|完成|办结|落实到位|到位|建成投用|建成|完成任务|见效)?$")
CLAUSE_SPLIT = regex.compile(r"[，,；;。.！!]")


@dataclass(frozen=True)
class Due:
    date: str | None  # ISO yyyy-mm-dd, the last day allowed
    kind: str  # BY / ONGOING / RECURRING / UNKNOWN
    every: str | None = None  # RECURRING: week, month, quarter, half-year, year
    source: str = FROM_DEADLINE  # "from": deadline or text

    def as_dict(self) -> dict[str, str | None]:
        return {"date": self.date, "kind": self.kind, "every": self.every, "from": self.source}


def _norm(phrase: str) -> str:
    s = unicodedata.normalize("NFKC", phrase or "")
    s = "".join(s.split())[:MAX_PHRASE_CHARS]
    # (each pattern needs its 年 or 月 next to the numeral: a text with neither is left as it is)
    if "年" in s:
        s = CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group(0)), s)
    if "月" not in s:
        return s
    s = CN_MONTH.sub(lambda m: str(_cn_number(m.group(0))), s)
    return CN_DAY.sub(lambda m: str(_cn_number(m.group(0))), s)


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _point(m: regex.Match, year: int | None) -> tuple[date | None, bool]:
    """(the last day a point allows, whether it needed a year it did not have)."""
    y = int(m.group("year")) if m.group("year") else year
    if y is None or not YEAR_MIN <= y <= YEAR_MAX:
        return None, True
    if m.group("month"):
        mon = int(m.group("month"))
        if not 1 <= mon <= 12:
            return None, False
        if m.group("day"):
            d = int(m.group("day"))
            if not 1 <= d <= calendar.monthrange(y, mon)[1]:
                return None, False
            return date(y, mon, d), False
        part = m.group("part")
        if m.group("before") and not part:  # 6月前: before June begins
            return date.fromordinal(date(y, mon, 1).toordinal() - 1), False
        if part in TEN_DAYS_END:
            return date(y, mon, TEN_DAYS_END[part]), False
        if part == "中":
            return date(y, mon, 15), False
        return _last_day(y, mon), False
    if m.group("quarter"):
        q = "一二三四".find(m.group("quarter")) + 1 or int(m.group("quarter"))
        return _last_day(y, 3 * q), False
    if m.group("half"):
        return _last_day(y, 6 if m.group("half") == "上半年" else 12), False
    if m.group("yearend") == "年中":
        return _last_day(y, 6), False
    return date(y, 12, 31), False


def _numeric_to_words(m: regex.Match) -> str:
    if not 1 <= int(m.group("m")) <= 12:
        return m.group(0)
    return f"{m.group('y')}年{int(m.group('m'))}月" + (f"{int(m.group('d'))}日" if m.group("d") else "")


# 春节 (the first day of the lunar year) by Gregorian year: "2025年春节前" is 2025-01-28, not the year's end
SPRING_FESTIVAL = {2015: (2, 19), 2016: (2, 8), 2017: (1, 28), 2018: (2, 16), 2019: (2, 5), 2020: (1, 25),
                   2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17),
                   2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23), 2032: (2, 11),
                   2033: (1, 31), 2034: (2, 19), 2035: (2, 8)}
# a holiday or season after a year: the day before the holiday, or no date this module knows (汛期 differs by region)
YEAR_ANCHOR = regex.compile(
    r"(?P<year>\d{4})年(?:的)?(?P<what>元旦|春节|五一|劳动节|国庆节?|清明节?|端午节?|中秋节?|汛期|主汛期|雨季|旱季|"
    r"春季|夏季|秋季|冬季|春耕|秋收|冬春|秋冬|春运|开学|年初|两会)")
_HOLIDAY_EVE = {"五一": (4, 30), "劳动节": (4, 30), "国庆": (9, 30), "国庆节": (9, 30)}
# a holiday named without a year ("春节前"): the next one after the notice's date, when the notice is dated
HOLIDAY_NO_YEAR = regex.compile(r"(?<![\d年])(?P<what>元旦|春节|五一|劳动节|国庆节?)")


def _holiday_eve(y: int, what: str) -> date | None:
    """The last day before the holiday of year ``y`` (元旦 2025 -> 2024-12-31), or None (a season, or 春节 out
    of the table)."""
    if what == "元旦":
        return date(y - 1, 12, 31)
    if what in _HOLIDAY_EVE:
        return date(y, *_HOLIDAY_EVE[what])
    if what == "春节" and y in SPRING_FESTIVAL:
        return date.fromordinal(date(y, *SPRING_FESTIVAL[y]).toordinal() - 1)
    return None


def _words(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _anchor_to_words(m: regex.Match) -> str:
    """"2025年春节" -> "2025年1月28日", "2025年元旦" -> "2024年12月31日"; a time this module cannot date (2024年汛期)
    becomes a mark: the phrase is unknown, not the year's end."""
    d = _holiday_eve(int(m.group("year")), m.group("what"))
    return _words(d) if d is not None else "\x00"


def _next_holiday(m: regex.Match, after: date) -> str:
    """"春节" in a notice of 2024-03-01 -> the eve of 春节 2025 (the first one on or after that day)."""
    for y in (after.year, after.year + 1):
        d = _holiday_eve(y, m.group("what"))
        if d is None:
            break
        if d >= after:
            return _words(d)
    return "\x00"


@functools.lru_cache(maxsize=MAX_REMEMBERED)
def resolve(phrase: str | None, year: int | None, after: date | None = None) -> Due | None:
    """The due date of a deadline phrase in a notice of ``year`` (None when there is no phrase); a
    holiday without a year (春节前) is the next one after ``after`` (the notice's date), else unknown.
    Remembered (a pure function; a notice prints the same few time limits again and again, and a
    Due is frozen)."""
    s = _norm(phrase or "")
    if not s:
        return None
    if year is not None:  # 明年6月底前 -> 2022年6月底前 in a 2021 notice
        s = RELATIVE_YEAR_WORD.sub(lambda m: f"{year + RELATIVE_YEAR[m.group(0)]}年", s)
    if "年" in s:
        s = YEAR_ANCHOR.sub(_anchor_to_words, s)
    if after is not None and HOLIDAY_NO_YEAR.search(s):
        s = HOLIDAY_NO_YEAR.sub(lambda m: _next_holiday(m, after), s)
    s = NUMERIC_DATE.sub(_numeric_to_words, s)
    rec = RECURRING_WORD.search(s)
    points: list[date] = []
    missing_year = False
    current = year
    for m in POINT.finditer(s):
        if not m.group(0):
            continue
        if m.group("year"):
            current = int(m.group("year"))
        d, missing = _point(m, current)
        missing_year |= missing
        if d is not None:
            points.append(d)
    plan = PLAN.search(s)
    if plan:
        points.append(date(FIVE_YEAR_PLANS[plan.group("plan")], 12, 31))
    for r in YEAR_RANGE.finditer(s):
        points.append(date(int(r.group("b")), 12, 31))
    if rec:  # 每季度, 每年6月底前 (the first one is the date)
        unit = rec.group("unit").lstrip("个")
        return Due(min(points).isoformat() if points else None, RECURRING, EVERY.get(unit, EVERY.get(unit[:1])))
    if points:
        if START_ONLY.search(s) and len(points) == 1 and not regex.search(r"前|底|末|止|完成", s):
            return Due(None, ONGOING)  # 2019年1月1日起: from then on
        return Due(max(points).isoformat(), BY)
    if "\x00" in s:
        return Due(None, UNKNOWN)  # only a time that cannot be dated (2024年汛期前)
    if missing_year:
        return Due(None, BY)
    if ONGOING_WORDS.search(s):
        return Due(None, ONGOING)
    return Due(None, UNKNOWN)


def text_deadline(text: str | None) -> str | None:
    """The time limit a task text ends with as its own clause (…，6月底前完成。 -> 6月底前), else None."""
    if not text:
        return None
    clauses = [c for c in CLAUSE_SPLIT.split(_norm(text[-MAX_PHRASE_CHARS:])) if c]
    if not clauses:
        return None
    m = TEXT_TAIL.match(clauses[-1])
    return m.group("time") if m else None


YEAR_IN_TITLE = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?!\d)")
LATE_IN_YEAR_MONTH = 10  # a plan for next year is often issued from October on


def notice_day(notice_date: str | None) -> date | None:
    """A notice's date (ISO, as the parser gives it) as a date, or None."""
    try:
        return date.fromisoformat(notice_date[:10]) if notice_date else None
    except ValueError:
        return None


def notice_year(notice_date: str | None, title: str | None) -> int | None:
    """The year a notice's deadlines fall in: its date's year, else the year its title names.

    One exception: a notice dated late in a year whose title names only the next year
    (2020-12-28 关于印发2021年重点工作…) plans that next year."""
    title_years = {int(m.group("y")) for m in YEAR_IN_TITLE.finditer(_norm(title or ""))}
    d = notice_day(notice_date)
    if d is not None:
        if title_years == {d.year + 1} and d.month >= LATE_IN_YEAR_MONTH:
            return d.year + 1
        return d.year
    if len(title_years) == 1:
        return title_years.pop()
    return None


def due_of(deadline: str | None, text: str | None, year: int | None, after: date | None = None) -> Due | None:
    """A task's ``due``: from its deadline field, else from a time limit its text ends with (``after``:
    the notice's date, for a holiday named without a year)."""
    if deadline:
        return resolve(deadline, year, after)
    tail = text_deadline(text)
    if tail:
        d = resolve(tail, year, after)
        if d is not None:
            return Due(d.date, d.kind, d.every, FROM_TEXT)
    return None
