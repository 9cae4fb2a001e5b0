"""Canonical unit names: one name per office, computed with the notice as context.

A unit keeps its printed form; its canonical name says which office it is:

- the level prefix is resolved against the issuer's place (金乡县人民政府: ``县财政局`` and ``财政局`` are
  ``金乡县财政局``; ``市财政局`` names the city's office, which the notice does not name, so it stays
  ``市财政局`` — another office);
- short and long forms of one office are one name, from ``data/unit_aliases.csv`` (发改局 = 发展和改革局)
  and a user file given with ``--aliases`` (``printed,canonical[,place]``);
- an alias in trailing brackets (``市商务局（市粮食和物资储备局）``) is the office's second name;
- collectives (各镇街, 有关部门, 成员单位 …) are left as printed;
- two different offices are never merged: a near miss (自然资源局 / 自然资源和规划局) is a warning.

Everything here is pure: ``context_of(issuer, title)`` then ``canonicalise(names, context, aliases)``.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import regex

# --- places ----------------------------------------------------------------------------------------

# a place segment: a name and its level word; 自治州/自治区/自治县 before the one-character words
_SEGMENT = r"\p{Han}{1,8}?(?:自治区|自治州|自治县|特别行政区|地区|省|市|州|盟|县|区|旗)"
PLACE_CHAIN = regex.compile(rf"^(?:(?P<seg>{_SEGMENT}))+$")
SEGMENT = regex.compile(r"(?P<name>\p{Han}{1,8}?)(?P<level>自治区|自治州|自治县|特别行政区|地区|省|市|州|盟|县|区|旗)")
# the place in front of 人民政府 / 政府 (title or issuer)
GOVERNMENT = regex.compile(r"(?P<place>\p{Han}{2,24}?)(?:人民政府|政府)")
# a label copied with the issuer from a web page's metadata box (名称：金乡县人民政府)
ISSUER_LABEL = regex.compile(r"^(?:名称|发布机构|发文机关|发文单位|发文机构|来源|机构|单位)[:：]?")
# the word a unit of that place starts with when printed short (县财政局, 州司法局, 自治区发展改革委)
LEVEL_PREFIX = {"省": "省", "自治区": "自治区", "市": "市", "州": "州", "自治州": "州", "地区": "地区", "盟": "盟",
                "县": "县", "自治县": "县", "区": "区", "旗": "旗", "特别行政区": "特区"}
# levels where a function that is a 委员会 elsewhere is usually a 局 (县发展和改革局 / 市发展和改革委员会)
BUREAU_LEVELS = {"县", "自治县", "区", "旗"}
# a level word in front of a unit (县财政局, 自治区发展改革委), but not the start of a word (市场监督管理局,
# 市政服务中心, 市容环境卫生服务中心, 区域…, 县域…, 省级…)
LEVEL_WORD = regex.compile(r"^(?P<prefix>自治区|地区|特区|省|市|州|盟|县|区|旗)(?=\S{2})")
NOT_LEVEL_WORD = regex.compile(r"^(?:市场|市政(?!府)|市容|市级|市属|市区|市域|市民(?!政|族|宗)|区域|区划|县域|县级|省级|省属|州级)")
NATIONAL = regex.compile(r"^(?:国务院|中共中央|国家)")

# --- units -----------------------------------------------------------------------------------------

COLLECTIVE = regex.compile(
    r"^(?:各|有关|相关|其他|其它|所属)|各(?=\p{Han})|"
    r"(?:成员单位|协助单位|有关单位|相关单位|有关部门|相关部门|直属机构|直属单位|(?:有關|相關)(?:單位|部門)|成員單位)$|"
    r"^(?:街道办事处|乡镇政府|镇政府|乡政府|镇街|乡镇|街道|乡镇街道|镇（街道）|镇\(街道\))$")
# units that are offices of the notice's own place even when printed without it (财政局, 园区发展服务中心)
OFFICE_END = regex.compile(
    r"(?:局|委|办|办公室|委员会|中心|指挥部|部|法院|检察院|会|联|所|站|处|队|专班|厅|署|社|室|组|分局|管委)$")
NOT_OFFICE_END = regex.compile(r"(?:学院|医院|卫生院|中学|小学|学校|银行|支行|分行|公司|集团|镇|乡|街道|办事处|社区|村|景区|园区?)$")
# 团县委, 团市委: the Youth League committee of the place, printed with its level inside the name
LEVEL_INSIDE = regex.compile(r"^\p{Han}(?:省|市|县|区|州)委")
# another place named at the start (郑州市生态环境局): two or more characters before 省/市/县
FOREIGN_PLACE = regex.compile(r"^\p{Han}{2,6}?(?<![全本该我各])(?:省|自治区|市|自治州|县)(?=\p{Han}{2})")
# a second name in trailing brackets: 市商务局（市粮食和物资储备局）
SECOND_NAME = regex.compile(r"^(?P<main>.{2,60}?)（(?P<second>[^（）]{2,40})）$")
BARE_TYPE_WORDS = {"指挥部", "办公室", "牵头", "主办", "协办", "配合", "领导小组", "工作专班"}
# short endings that stand for the long one (产业集聚区管委 = 产业集聚区管委会)
SUFFIX_ALIASES = (("管委", "管委会"),)
NEAR_MISS_MAX_EXTRA_CHARS = 4  # 自然资源局 vs 自然资源和规划局: 3 more characters
NEAR_MISS_MAX_NAMES = 500  # offices of one place with one last character; pairs are quadratic
MAX_NAME_CHARS = 120  # longer "names" are extraction debris: kept as printed


@dataclass(frozen=True)
class Place:
    name: str  # 兖州区
    level: str  # 区
    full: str  # 济宁市兖州区 (with the places above it that the notice names)

    @property
    def stem(self) -> str:
        return self.name[: len(self.name) - len(self.level)]


@dataclass(frozen=True)
class Context:
    """The notice's own place and the places above it it names, innermost last."""

    places: tuple[Place, ...] = ()
    national: bool = False

    @property
    def own(self) -> Place | None:
        return self.places[-1] if self.places else None

    def by_prefix(self, prefix: str) -> Place | None:
        """The innermost place whose units are printed with ``prefix`` (县, 市 …)."""
        for p in reversed(self.places):
            if LEVEL_PREFIX.get(p.level) == prefix:
                return p
        return None

    def matches(self, place: str | None) -> bool:
        if not place:
            return True
        return any(place in (p.name, p.full, p.stem) for p in self.places)


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    s = "".join(s.split())
    return s.replace("(", "（").replace(")", "）")


def _chain(text: str) -> tuple[Place, ...]:
    m = PLACE_CHAIN.match(text)
    if not m:
        return ()
    out: list[Place] = []
    full = ""
    for seg in m.captures("seg"):  # the regex backtracks into 济宁市 + 兖州区, not 济宁市 + 兖州 + 区
        level = SEGMENT.fullmatch(seg)
        if level is None:
            return ()
        full += seg
        out.append(Place(seg, level.group("level"), full))
    return tuple(out)


def context_of(issuer: str | None, title: str | None = None) -> Context:
    """The place and level of a notice from its issuer (金乡县人民政府), else its title."""
    for text in (issuer, title):
        t = ISSUER_LABEL.sub("", _norm(text or ""))
        if not t:
            continue
        if NATIONAL.match(t):
            return Context(national=True)
        for m in GOVERNMENT.finditer(t):
            # the longest tail of the text before 政府 that reads as places: 印发2021年金乡县 -> 金乡县
            before = m.group("place").rsplit("年", 1)[-1]  # 印发2021年金乡县政府…: not 年金乡县
            for start in range(len(before)):
                places = _chain(before[start:])
                if places:
                    return Context(places)
        if text is issuer:
            m = SEGMENT.match(t)  # a department as issuer: 四川省发展和改革委员会 -> 四川省
            if m and _chain(m.group(0)):
                return Context(_chain(m.group(0)))
    return Context()


# --- aliases ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Alias:
    canonical: str
    place: str | None = None
    builtin: bool = False  # the shipped table names local forms; State Council notices use their own


@dataclass
class Aliases:
    """printed form -> canonical form (optionally for one place only); user rows win over built-in ones."""

    rows: dict[str, list[Alias]] = field(default_factory=dict)

    def add(self, printed: str, canonical: str, place: str | None = None, builtin: bool = False) -> None:
        self.rows.setdefault(_norm(printed), []).insert(
            0, Alias(_norm(canonical), _norm(place or "") or None, builtin))

    def lookup(self, printed: str, context: Context) -> str | None:
        for a in self.rows.get(printed, ()):
            if context.matches(a.place) and not (a.builtin and context.national):
                return a.canonical
        return None

    def merged(self, other: Aliases) -> Aliases:
        out = Aliases({k: list(v) for k, v in self.rows.items()})
        for k, v in other.rows.items():
            out.rows[k] = list(v) + out.rows.get(k, [])
        return out


class AliasFileError(ValueError):
    """A line of an aliases file that cannot be read: ``line`` is 1-based."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"第 {line} 行：{problem}")
        self.line = line


def parse_aliases(text: str, builtin: bool = False) -> Aliases:
    """Read ``printed,canonical[,place]`` rows; blank lines, ``#`` lines and a header are skipped."""
    out = Aliases()
    for n, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].startswith("#") or (n == 1 and cells[0].lower() == "printed"):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise AliasFileError(n, "每行应为 印刷名称,规范名称[,地方]")
        if len(cells) > 3 and any(cells[3:]):
            raise AliasFileError(n, "多于三列（印刷名称,规范名称,地方）")
        out.add(cells[0], cells[1], cells[2] if len(cells) > 2 else None, builtin)
    return out


def load_aliases(path: str | Path) -> Aliases:
    """A user aliases file (UTF-8, with or without BOM)."""
    return parse_aliases(Path(path).read_text(encoding="utf-8-sig"))


_BUILTIN: Aliases | None = None


def builtin_aliases() -> Aliases:
    global _BUILTIN
    if _BUILTIN is None:
        text = resources.files("taskparse").joinpath("data/unit_aliases.csv").read_text(encoding="utf-8")
        _BUILTIN = parse_aliases(text, builtin=True)
    return _BUILTIN


# --- one name --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Canon:
    """A printed unit and the office it names."""

    printed: str
    canonical: str
    place: str | None = None  # the place prefix of the canonical name ("" for no place)
    base: str = ""  # the canonical name without its place
    also: tuple[str, ...] = ()  # second names (canonical)
    collective: bool = False


def is_collective(name: str) -> bool:
    return bool(COLLECTIVE.search(_norm(name)))


def _alias_base(base: str, context: Context, aliases: Aliases) -> str:
    hit = aliases.lookup(base, context)
    if hit is not None:
        return hit
    for short, long in SUFFIX_ALIASES:
        if base.endswith(short):
            return base + long[len(short):]
    return base


def _split_place(name: str, context: Context) -> tuple[Place | None, str, bool]:
    """(place, rest, placed): the place a printed name belongs to and the name without it.
    ``placed`` is False when the name says nothing about its place."""
    for p in reversed(context.places):  # 济宁市兖州区财政局, 兖州区财政局
        for written in (p.full, p.name):
            if name.startswith(written) and len(name) > len(written):
                return p, name[len(written):], True
    m = None if NOT_LEVEL_WORD.match(name) else LEVEL_WORD.match(name)
    if m:
        return context.by_prefix(m.group("prefix")), name[m.end():], True
    return None, name, False


def canonical_name(printed: str, context: Context, aliases: Aliases | None = None) -> Canon:
    """The canonical form of one printed unit in a notice of ``context`` (no notice-wide merging)."""
    aliases = builtin_aliases() if aliases is None else aliases
    name = _norm(printed)
    if not name or len(name) > MAX_NAME_CHARS or COLLECTIVE.search(name):
        return Canon(printed, name or printed, None, name, (), bool(name) and len(name) <= MAX_NAME_CHARS)
    m = SECOND_NAME.match(name)
    if (m and m.group("second") not in BARE_TYPE_WORDS and "（" not in m.group("main")
            and not COLLECTIVE.search(m.group("main"))):
        second = canonical_name(m.group("second"), context, aliases)
        main = canonical_name(m.group("main"), context, aliases)
        return Canon(printed, main.canonical, main.place, main.base, (second.canonical, *second.also, *main.also))
    whole = aliases.lookup(name, context)  # a user row for the whole printed form
    if whole is not None and whole != name:
        again = canonical_name(whole, context, aliases)
        return Canon(printed, again.canonical, again.place, again.base, again.also, again.collective)
    place, rest, placed = _split_place(name, context)
    branch = _own_branch(rest, context) if placed else None
    if branch is not None:
        return Canon(printed, *branch)
    if placed:
        if place is None:  # 市财政局 in a county notice: the city's office, which the notice does not place
            prefix = name[: len(name) - len(rest)]
            base = _alias_base(rest, context, aliases)
            return Canon(printed, prefix + base, prefix, base)
        base = _alias_base(rest, context, aliases)
        return Canon(printed, place.full + base, place.full, base)
    base = _alias_base(name, context, aliases)
    own = context.own
    if own is None or not _is_own_office(base, context):
        return Canon(printed, base, "", base)
    return Canon(printed, own.full + base, own.full, base)


def _own_branch(rest: str, context: Context) -> tuple[str, str, str] | None:
    """市生态环境局金乡县分局 in a 金乡县 notice: the city bureau's branch here is this place's office of
    that function, 金乡县生态环境分局."""
    own = context.own
    if own is None:
        return None
    for written in (own.name, own.stem):
        if written and rest.endswith("局" + written + "分局") and len(rest) > len(written) + 4:
            base = rest[: -len("局" + written + "分局")] + "分局"
            return own.full + base, own.full, base
    return None


def _is_own_office(base: str, context: Context) -> bool:
    """An unplaced name that is an office of the notice's own place (财政局), not a proper name
    (金乡街道, 金乡一中, 郑州市生态环境局, 山东蒜都发展投资有限公司)."""
    if (not OFFICE_END.search(base) or NOT_OFFICE_END.search(base) or FOREIGN_PLACE.match(base)
            or LEVEL_INSIDE.match(base)):
        return False
    if base.startswith(("中国", "国家", "中共")):
        return False
    return not any(p.stem and base.startswith(p.stem) for p in context.places)


# --- a whole notice --------------------------------------------------------------------------------

@dataclass
class NoticeUnits:
    """The canonical form of every printed unit of one notice, and the warnings found."""

    by_printed: dict[str, Canon]
    warnings: list[tuple[str, str]]  # (code, message)

    def canonical(self, printed: str) -> str:
        c = self.by_printed.get(printed)
        return c.canonical if c else printed


def canonicalise(names: Iterable[str], context: Context, aliases: Aliases | None = None) -> NoticeUnits:
    """Canonical names for all units printed in one notice: each name alone, then the merges that
    need the whole notice (a second name printed alone elsewhere; a bare name that is the printed
    form of a placed one; one office printed as 局 and as 委员会), then the near-miss warnings."""
    aliases = builtin_aliases() if aliases is None else aliases
    printed = list(dict.fromkeys(names))
    canons = {p: canonical_name(p, context, aliases) for p in printed}
    _merge_second_names(canons)
    _merge_bare_into_placed(canons, context)
    _merge_bureau_and_commission(canons, context)
    _merge_bureau_into_branch(canons, context)
    return NoticeUnits(canons, _near_misses(canons))


def _replace(canons: dict[str, Canon], old: str, new: Canon) -> None:
    for p, c in canons.items():
        if c.canonical == old and not c.collective:
            canons[p] = Canon(p, new.canonical, new.place, new.base, tuple(dict.fromkeys(c.also + new.also)))


def _merge_second_names(canons: dict[str, Canon]) -> None:
    seconds = {s: c for c in canons.values() for s in c.also}
    for s, main in seconds.items():
        if s != main.canonical:
            _replace(canons, s, main)


def _merge_bare_into_placed(canons: dict[str, Canon], context: Context) -> None:
    """供电公司 beside 县供电公司: one office (only names that are not offices need this; offices
    get the place anyway)."""
    own = context.own
    if own is None:
        return
    placed = {c.canonical: c for c in canons.values() if c.place == own.full}
    for p, c in list(canons.items()):
        if c.place == "" and not c.collective and own.full + c.base in placed:
            canons[p] = placed[own.full + c.base]


def _function_stem(base: str) -> tuple[str, str] | None:
    for ending in ("委员会", "局"):
        if base.endswith(ending) and len(base) > len(ending) + 1:
            return base[: -len(ending)], ending
    return None


def _merge_bureau_and_commission(canons: dict[str, Canon], context: Context) -> None:
    """One place has one office per function: 卫生健康局 and 卫生健康委员会 printed in one notice for the
    same place are one office, named as the level usually names it (局 in a county or district)."""
    groups: dict[tuple[str, str], dict[str, Canon]] = {}
    for c in canons.values():
        fs = _function_stem(c.base) if c.place and not c.collective else None
        if fs:
            groups.setdefault((c.place or "", fs[0]), {})[fs[1]] = c
    for (place, _), forms in groups.items():
        if len(forms) < 2:
            continue
        level = next((p.level for p in context.places if p.full == place), "")
        keep = forms["局"] if level in BUREAU_LEVELS else forms["委员会"]
        for c in forms.values():
            if c.canonical != keep.canonical:
                _replace(canons, c.canonical, keep)


def _merge_bureau_into_branch(canons: dict[str, Canon], context: Context) -> None:
    """生态环境局 and 生态环境分局 of the same place in one notice: one office (a county or district
    has one office per function; where it is a branch of the city's bureau it is printed both ways)."""
    own = context.own
    if own is None:
        return
    branches = {c.base[: -len("分局")]: c for c in canons.values()
                if c.place == own.full and c.base.endswith("分局") and len(c.base) > 3}
    for c in list(canons.values()):
        if c.place == own.full and c.base.endswith("局") and not c.base.endswith("分局"):
            b = branches.get(c.base[: -1])
            if b is not None:
                _replace(canons, c.canonical, b)


def _is_subsequence(short: str, long: str) -> bool:
    """Do the characters of ``short`` appear in ``long`` in order?"""
    at = 0
    for ch in short:
        at = long.find(ch, at) + 1
        if not at:
            return False
    return True


def _near_misses(canons: dict[str, Canon]) -> list[tuple[str, str]]:
    """Pairs of offices of one place whose names are close (one's characters appear in order in the
    other's, a few more, same last character): 自然资源局 / 自然资源和规划局, 交通局 / 交通运输局."""
    offices: dict[str, Canon] = {}
    printed: dict[str, list[str]] = {}
    for c in canons.values():
        if not c.collective and c.base:
            offices.setdefault(c.canonical, c)
            printed.setdefault(c.canonical, []).append(c.printed)
    groups: dict[tuple[str, str], list[Canon]] = {}
    for c in offices.values():
        groups.setdefault((c.place or "", c.base[-1]), []).append(c)
    out = []
    for group in groups.values():
        if len(group) > NEAR_MISS_MAX_NAMES:  # pairs are quadratic: a list this long is not a real notice
            continue
        items = sorted(group, key=lambda c: (len(c.base), c.canonical))
        for i, a in enumerate(items):
            if len(a.base) < 3 or (not a.place and len(a.base) < 5):  # 产业园 / 食品产业园: generic words
                continue
            for b in items[i + 1:]:
                if len(b.base) - len(a.base) > NEAR_MISS_MAX_EXTRA_CHARS:
                    break
                if len(b.base) > len(a.base) and _is_subsequence(a.base, b.base):
                    out.append(("unit_near_miss",
                                f"单位名称相近但未合并：{a.canonical}（印作 {'、'.join(printed[a.canonical])}）与 "
                                f"{b.canonical}（印作 {'、'.join(printed[b.canonical])}）；如为同一单位，请在 "
                                f"--aliases 文件中写一行 印刷名称,规范名称"))
    return out


def canonical_list(names: Sequence[str], units: NoticeUnits) -> list[str]:
    """The canonical names of a printed list, item by item (the same length and order)."""
    return [units.canonical(n) for n in names]
