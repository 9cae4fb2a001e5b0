"""Responsibility clauses: finding them, and turning them into leaders, units and deadlines."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from ..limits import MAX_REMEMBERED
from . import patterns as P
from . import vocabulary as V
from .text import bracket_groups, cn_number as cn_value, outside_brackets, split_top, strip_marks, top_level, unwrap

GLUED_NAMES_MIN_CHARS = 7  # "县财政局县审计局": two names glued need at least this many characters
SUSPECT_UNIT_CHARS = 8  # a name without an organisation word at its end is doubted past this length
UNIT_SEPS = "、，,；;／/"
PART_SEPS = "，,；;"
SENTENCE_SEPS = "。"
STATE_COUNCIL_TAIL = ("牵头", "负责", "配合", "参与", "协助", "协办", "落实", "按职责分工负责")


class Unit(NamedTuple):
    name: str
    bold: bool = False
    lead: bool = False  # marked as the lead inside the list: "市发改委（牵头）"
    star: bool = False  # marked with a sign: "市发改委*" ("带*号的为牵头单位")


@dataclass
class Roles:
    """What the clause(s) of one task say."""

    leaders: list[str] = field(default_factory=list)
    lead: list[Unit] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)  # from unit labels (责任单位 etc.)
    other: list[Unit] = field(default_factory=list)  # from State-Council style "Y、Z按职责分工负责"
    deadline: str | None = None
    explicit_lead: bool = False  # a 牵头单位 label or "X牵头" was present
    firsts: list[Unit] = field(default_factory=list)  # the first unit of each clause that names no lead
    suspects: list[str] = field(default_factory=list)  # pieces of a unit list that read like a sentence
    extra: list[tuple[str, str]] = field(default_factory=list)  # (label, value) of fields kept as printed (责任人)

    def empty(self) -> bool:
        return not (self.leaders or self.lead or self.units or self.other or self.deadline)

    def merge(self, other: Roles) -> None:
        self.leaders += other.leaders
        self.lead += other.lead
        self.units += other.units
        self.other += other.other
        self.deadline = self.deadline or other.deadline
        self.explicit_lead = self.explicit_lead or other.explicit_lead
        self.firsts += other.firsts
        self.suspects += other.suspects
        self.extra += other.extra

    def copy(self) -> Roles:
        return Roles(list(self.leaders), list(self.lead), list(self.units), list(self.other), self.deadline,
                     self.explicit_lead, list(self.firsts), list(self.suspects), list(self.extra))

    def close_clause(self) -> Roles:
        """Mark the end of one clause: under a "first unit leads" note its first unit would lead."""
        if not self.lead and not self.firsts:
            listed = self.units + self.other
            if listed:
                self.firsts.append(listed[0])
        return self


# --- finding clauses inside an item's text -------------------------------------------------------

def _is_state_council(content: str) -> bool:
    """"X牵头，Y、Z按职责分工负责" / "X、Y负责" / "X会同Y负责" (content without brackets); notes in it
    ("排在第一位的部门为牵头部门，下同") do not count against it."""
    plain = _strip_notes(strip_marks(content)).rstrip("。.；;，,、")
    if not plain or "。" in plain or len(plain) > 400:
        return False
    plain, leaders = _without_leaders(plain)
    parts = [p for p in split_top(plain, PART_SEPS + "、") if p]
    duty = bool(leaders)  # "县长张三牵头，…": a leader's part counts as a role verb's
    for part in parts:
        part = _time_in_brackets(part)[0]  # "县财政局配合（2026年底前）": the time limit goes with the list
        if P.DUTY_TAIL.search(part) and looks_like_units(P.DUTY_TAIL.sub("", part)):
            duty = True
        elif P.DEADLINE.match(part) or P.CLAUSE_START.match(part):
            continue  # a time limit, or a labelled field ("…配合；时限：2026年底")
        elif not looks_like_units(part):
            return False
    return duty


def _bare_units(content: str) -> bool:
    """A bracket that holds only units' names ("县发改委、县财政局"), perhaps with a time limit after them
    ("县商务局，2024年6月底前"), not a note ("以下简称…")."""
    plain = strip_marks(content).strip("。；;，, ")
    if "：" in plain or ":" in plain:
        return False  # a label that is no clause label ("分管：…"): not a list of names
    parts = split_top(plain, PART_SEPS)
    if len(parts) > 1 and P.DEADLINE.match(parts[-1].strip()):
        plain = "，".join(parts[:-1])
    return bool(plain) and plain[-1] != "等" and looks_like_units(plain)


_LEADER_PART_VERB = regex.compile(r"(?:牵头|负责|挂帅|领衔|主抓)(?:负责|推进|落实)?$")
_TITLE_ANY = regex.compile(P.TITLE)


def _leader_part(part: str) -> list[str]:
    """The leaders of a part "县长张三牵头" / "张三、李四副县长负责" (each name with a title, or the
    last one's title covering the list), else []."""
    plain = part.strip()
    verb = _LEADER_PART_VERB.search(plain)
    if verb is None or verb.start() == 0:
        return []
    pieces = [p for p in split_top(plain[:verb.start()], "、和及") if p]
    if not pieces or not (P.LEADER_TITLE_PREFIX.match(pieces[0]) or P.LEADER_TITLE_SUFFIX.search(pieces[-1])):
        return []
    names = [clean_leader(p) for p in pieces]
    if not all(looks_like_person(n) and not _whole_name(n) for n in names):
        return []
    return names


def _without_leaders(s: str) -> tuple[str, list[str]]:
    """A State-Council clause without its leaders' parts ("县长张三牵头，县发改委负责"), and those leaders."""
    if not _TITLE_ANY.search(s):
        return s, []
    kept, leaders = [], []
    for part in split_top(s, PART_SEPS):
        names = _leader_part(strip_marks(part))
        if names:
            leaders += names
        else:
            kept.append(part)
    return "，".join(kept), leaders


def _standalone(text: str, start: int, end: int, sentence_end: bool = False) -> bool:
    """A bracket group that stands between sentences (after 。 or before one, or at the end); with
    ``sentence_end`` not before a comma ("老年活动中心（老年大学），…" names a place)."""
    before, after = _char_before(text, start), _char_after(text, end)
    if not before or before in "。；;！？!?" or not after or after in "。；;" or after in P.OPEN:
        return True
    return after in "，," and not sentence_end


def _char_before(text: str, i: int) -> str:
    """The last character before ``text[i]`` that is not a space or a mark ('' at the start): a walk back
    over that run only, so a line of many brackets stays linear."""
    i -= 1
    while i >= 0 and (text[i].isspace() or text[i] in P.MARKS):
        i -= 1
    return text[i] if i >= 0 else ""


def _char_after(text: str, i: int) -> str:
    """The first character from ``text[i]`` on that is not a space or a mark ('' at the end)."""
    while i < len(text) and (text[i].isspace() or text[i] in P.MARKS):
        i += 1
    return text[i] if i < len(text) else ""


def _trailing_sentence_clause(text: str, after: int) -> tuple[int, int] | None:
    """"…做好服务。县商务局牵头，县财政局配合" — an unbracketed State-Council sentence ending the item."""
    end = len(text.rstrip("。；;， " + P.MARKS))
    if not end or (text[end - 1] not in P.DUTY_LAST_CHARS and text[end - 1] not in P.DEADLINE_LAST_CHARS):
        return None
    start = max(text.rfind(c, after, end) for c in "。；;")
    start = after if start < after else start + 1
    if start <= 0 or end - start > 200 or any(c in text[start:end] for c in P.OPEN + P.CLOSE):
        return None
    if not _is_state_council(text[start:end]):
        return None
    return start, len(text)


def find_inline_clauses(text: str) -> tuple[str, list[str]]:
    """Split an item's text into (text without clauses, [clause contents]).

    A clause is a top-level bracket group that starts with a label (anywhere), or a group in
    State-Council style ("（X牵头，Y负责）") that stands between sentences.
    """
    groups = bracket_groups(text)
    picked: list[tuple[int, int]] = []
    for start, end in groups:
        content = unwrap(text[start:end])
        plain = strip_marks(content).lstrip(P.MARKS)
        if P.CLAUSE_START.match(plain):
            picked.append((start, end))
        elif _is_state_council(content) and _standalone(text, start, end):
            picked.append((start, end))
        elif _bare_units(content) and _standalone(text, start, end, sentence_end=True):
            picked.append((start, end))  # only the units: "…。（县发改委、县财政局）" / "…建设（县发改委）。"
    if not picked or picked[-1][1] < len(text.rstrip("。；; " + P.MARKS)):
        tail = _trailing_sentence_clause(text, picked[-1][1] if picked else 0)
        if tail is not None:
            picked.append(tail)
    if not picked:
        return text, []
    out, clauses, pos = [], [], 0
    for start, end in picked:
        out.append(text[pos:start])
        clauses.append(unwrap(text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out), clauses


def run_in_parts(text: str) -> list[tuple[str, str, list[str]]]:
    """Run-in parts "一是…（责任单位：A）；二是…（责任单位：B）" as (number, text, clauses), when every
    part carries a clause of its own; otherwise [] (the parts stay in one task's text)."""
    starts = []
    expected = 1
    for m in P.RUN_IN.finditer(text):
        if cn_value(m.group("n")) == expected:
            starts.append((m.start("n"), m.group("n")))
            expected += 1
    if len(starts) < 2:
        return []
    out = []
    bounds = [b for b, _ in starts] + [len(text)]
    for (start, number), end in zip(starts, bounds[1:]):
        body, clauses = find_inline_clauses(text[start + len(number) + 1:end])
        if not clauses:
            return []
        out.append((number, body.strip("；;，,。 ") + ("。" if body.rstrip().endswith("。") else ""), clauses))
    return out


# --- parsing one clause --------------------------------------------------------------------------

def parse_clause(raw: str) -> Roles:
    """Parse one clause (bracket content or a label line)."""
    return parse_clauses([raw])


def parse_clauses(raws: list[str]) -> Roles:
    """The roles of several clauses together (those of each clause one after the other)."""
    roles = Roles()
    for raw in raws:
        roles.merge(_parse_clause(raw))  # (merge reads the remembered parse, never changes it)
    return roles


@functools.lru_cache(maxsize=MAX_REMEMBERED)
def _parse_clause(raw: str) -> Roles:
    """:func:`parse_clause`, remembered: a notice repeats its clauses (never changed once made)."""
    roles = Roles()
    s = raw.strip()
    if s[:1] in P.OPEN:
        s = unwrap(s)
    matches = _labels(s)
    if len(matches) > 1 and ("(" in s or "（" in s):
        # a label inside brackets belongs to the value around it ("县发改委（责任人：王五）")
        inside = set(m.start() for m in matches) - set(outside_brackets(s, [m.start() for m in matches]))
        matches = [m for m in matches if m.start() not in inside]
    if not matches:
        _parse_unlabelled(s, roles)
        return roles.close_clause()
    if matches[0].start() > 0:
        _parse_unlabelled(s[: matches[0].start()], roles)
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(s)
        value = s[m.end():end]
        label = strip_marks(m.group("label"))
        role = P.label_role(label)
        if role == "extra":
            _keep(P.simplified(label), value, roles)
        else:
            _apply(role, value, roles)
    return roles.close_clause()


def _labels(s: str) -> list[regex.Match]:
    """The labels of a clause, left to right (as ``CLAUSE_LABEL.finditer``: a label is never empty; one
    search per label is quicker than the iterator for the one or two labels of a clause)."""
    out = []
    m = P.CLAUSE_LABEL.search(s)
    while m is not None:
        out.append(m)
        m = P.CLAUSE_LABEL.search(s, m.end())
    return out


@functools.lru_cache(maxsize=MAX_REMEMBERED)
def _strip_notes(value: str) -> str:
    """Drop sentences and bracketed notes that are editorial (下同, 除外, 黑体为主办单位 …)."""
    if not P.ANY_NOTE.search(strip_marks(value)):
        # no note anywhere, so none in a bracket or a sentence (ANY_NOTE has no anchor or look-around):
        # only the sentences are joined, as below
        if SENTENCE_SEPS not in value:
            return value if value.strip(_BLANK) else ""
        return "、".join(x for x in split_top(value, SENTENCE_SEPS) if x.strip(_BLANK))
    if any(ch in value for ch in P.OPEN):
        out, pos = [], 0
        for start, end in bracket_groups(value):
            if _is_note(value[start:end]):
                out.append(value[pos:start])
                pos = end
        out.append(value[pos:])
        value = "".join(out)
    kept = []
    for i, sentence in enumerate(split_top(value, SENTENCE_SEPS)):
        if i > 0 and P.EDITORIAL.search(strip_marks(sentence)):
            continue  # "…负责。具体任务均涉及相关市（州）人民政府，不再做分工，下同": an editor's sentence
        if not _is_note_part(sentence):
            kept.append(sentence)
            continue
        # a note written after a comma ("A局、B局，排名第一的为牵头单位") takes only its own part
        kept.append("，".join(p for p in split_top(sentence, PART_SEPS) if not _is_note_part(p)))
    return "、".join(x for x in kept if x.strip(_BLANK))


_BLANK = P.MARKS + "，,；; "  # what a kept sentence must have more than


def _lead_marked(piece: str) -> bool:
    """"县发改局为牵头单位" / "市发改委（牵头）": a unit marked as the lead, not an editorial note."""
    m = P.LEAD_SUFFIX.search(piece)
    return bool(m) and m.start() > 0 and _whole_name(piece[: m.start()])


def _is_note(s: str) -> bool:
    plain = strip_marks(s)
    if not P.ANY_NOTE.search(plain):
        return False
    if P.FIRST_IS_LEAD.search(plain) or P.BOLD_IS_LEAD.search(plain) or P.STAR_IS_LEAD.search(plain):
        return True
    return not _lead_marked(plain) and bool(P.NOTE_WORDS.search(plain) or P.EDITORIAL.search(plain))


def _is_note_part(s: str) -> bool:
    return _is_note(s) and any(_is_note(p) for p in split_top(strip_marks(s), UNIT_SEPS))


def parse_field(role: str, value: str) -> Roles:
    """The roles one labelled field gives (a table cell is such a field: its header is the label)."""
    roles = Roles()
    _apply(role, value, roles)
    return roles.close_clause()


def _keep(label: str, value: str, roles: Roles) -> None:
    """A field kept as printed under its label (责任人：王五)."""
    value = strip_marks(value).strip("。.；;，,、 ")
    if value:
        roles.extra.append((label, value))


def _take_kept(value: str, roles: Roles) -> str:
    """"县发改委（责任人：王五）": a bracketed kept field leaves the unit list for ``roles.extra``."""
    out, pos = [], 0
    for start, end in bracket_groups(value):
        inner = strip_marks(unwrap(value[start:end])).lstrip()
        label = P.CLAUSE_LABEL.match(inner)
        if label and P.label_role(label.group("label")) == "extra":
            _keep(P.simplified(label.group("label")), inner[label.end():], roles)
            out.append(value[pos:start])
            pos = end
    out.append(value[pos:])
    return "".join(out)


# what a clerk writes in a field that has no value ("配合单位：无", a "/" or "—" cell)
PLACEHOLDERS = frozenset({"无", "暂无", "空", "/", "／", "\\", "—", "——", "-", "--", "－", "－－", "─", "×", "…", "……"})


def is_placeholder(value: str) -> bool:
    """Is a field's value only a mark for "none"?"""
    return strip_marks(value).strip(" 。.；;，,、　") in PLACEHOLDERS


def _apply(role: str, value: str, roles: Roles) -> None:
    if is_placeholder(value):
        return
    if "人" in value and role != "deadline":
        value = _take_kept(value, roles)
    if role == "duty":  # 部门分工：X牵头，Y配合 — a sentence in State-Council style
        _parse_unlabelled(value, roles)
        return
    value = _strip_notes(value)
    if role == "deadline":
        d = strip_marks(value).strip("。.；;，,、 ")
        if d:
            roles.deadline = roles.deadline or d
        return
    if role == "leaders":
        for name in split_leaders(value):
            (roles.leaders if looks_like_person(name) or is_office(name) else roles.suspects).append(name)
        return
    listed, marked, deadline = _units_and_leads(value)
    units, lead = _sift(listed, roles), _sift(marked, roles)
    if role == "lead":
        roles.lead += lead + units
        roles.explicit_lead = True
    else:
        roles.units += units
        if lead:
            roles.lead += lead
            roles.explicit_lead = True
    roles.deadline = roles.deadline or deadline


def _parse_unlabelled(s: str, roles: Roles) -> None:
    """State-Council style: "X牵头，Y、Z按职责分工负责" or "X、Y负责" (leaders: "县长张三牵头，…")."""
    s, leaders = _without_leaders(_strip_notes(s))
    roles.leaders += leaders
    units, lead, deadline = _units_and_leads(s)
    roles.lead += _sift(lead, roles)
    roles.other += _sift(units, roles)
    roles.explicit_lead = roles.explicit_lead or bool(lead)
    roles.deadline = roles.deadline or deadline


def _sift(units: tuple[Unit, ...], roles: Roles) -> list[Unit]:
    """Keep the names; a piece that reads like a sentence goes to ``roles.suspects`` (a warning)."""
    kept = []
    for u in units:
        (roles.suspects.append(u.name) if suspect_unit(u.name) else kept.append(u))
    return kept


_ODD_IN_COLLECTIVE = regex.compile(r"参与|配合|协助|牵头|负责|落实|为")  # role words inside a collective's "name"


@functools.lru_cache(maxsize=MAX_REMEMBERED)
def suspect_unit(name: str) -> bool:
    """A unit candidate that reads like part of the task, not an organisation's name: figures with
    万/亿/%, task verbs, or a long text, and no organisation word at its end; and any name with a colon
    outside brackets (a label that is none of the vocabulary's: "分管：县财政局")."""
    if ("：" in name or ":" in name) and top_level(name, "：:"):
        return True
    if _whole_name(_name_core(name)) or _whole_name(name):
        if not (P.has_unit_suffix(_name_core(name)) or P.has_unit_suffix(name)) and (
                _ODD_IN_COLLECTIVE.search(name) or P.TASK_WORDS_IN_UNIT.search(name)):
            return True  # a collective that goes on as a sentence: "县直各部门参与为补充"
        return len(name) > P.MAX_UNIT_LEN
    return (bool(P.TASK_WORDS_IN_UNIT.search(name)) or len(name) > SUSPECT_UNIT_CHARS
            or name[-1] in P.CN_DIGITS or not name[-1].isalnum() and name[-1] not in P.CLOSE)


def looks_like_person(name: str) -> bool:
    """A leader's name after titles are dropped: 2-4 Han characters (a '·' allowed in long names)."""
    return bool(P.PERSON_NAME.fullmatch(name))


_TIME_IN_BRACKETS = regex.compile(r"[（(](?P<when>[^（）()]{2,30})[）)]$")


def _time_in_brackets(part: str) -> tuple[str, str | None]:
    """``part`` without a time limit in brackets at its end ("县发改局（2026年6月底前）"), and that limit."""
    m = _TIME_IN_BRACKETS.search(part) if part[-1:] in ("）", ")") else None
    if m is None or not P.DEADLINE.match(m.group("when")):
        return part, None
    return part[:m.start()], m.group("when")


@functools.lru_cache(maxsize=MAX_REMEMBERED)
def _units_and_leads(value: str) -> tuple[tuple[Unit, ...], tuple[Unit, ...], str | None]:
    """Split a list into (units, leads, deadline): a part ending in 牵头 gives leads (remembered: the
    tuples are never changed, :func:`_sift` copies what it keeps)."""
    units: list[Unit] = []
    leads: list[Unit] = []
    deadline = None
    if "牵头" in value:  # "县发改局牵头、县财政局配合": the lead's part ends at its verb, as at a comma
        value = P.LEAD_BEFORE_LIST.sub(r"\1，", value)
    for part in split_top(value, PART_SEPS):
        plain = strip_marks(part).strip("。. ")
        if not plain:
            continue
        if P.DEADLINE.match(plain):
            # a time limit as the last element of a unit list: "6月底完成" gives the date "6月底"
            deadline = deadline or P.DONE_AFTER_TIME.sub("", plain)
            continue
        rest, when = _time_in_brackets(plain)  # "县发改局（2026年6月底前）": the list's time limit, not a name
        if when is not None:
            deadline = deadline or P.DONE_AFTER_TIME.sub("", when)
            part = plain = rest
        with_verb = P.WITH_VERB.search(plain)
        if with_verb and _whole_name(P.TRAILING_ETC.sub("", plain[:with_verb.start()])):
            # "X会同Y负责": X leads, Y shares (bold marks are dropped: the verb says who leads)
            leads += _split_units(plain[:with_verb.start()])
            units += _split_units(plain[with_verb.end():])
            continue
        if "牵头" in plain and P.LEAD_PHRASE.match(plain) and not part.endswith(P.BOLD_ON):
            cut = part.rstrip(P.MARKS)
            lead = P.LEAD_PHRASE.match(cut)  # (its verb whole: "共同牵头负责" is no part of a name)
            leads += _split_units(lead.group("lead") if lead else cut)
            continue
        for u in _split_units(part):
            (leads if u.lead else units).append(u)
    return tuple(units), tuple(leads), deadline


# --- units ---------------------------------------------------------------------------------------

def split_units(s: str) -> list[Unit]:
    """Split a unit list on 、，, etc. outside brackets, and on 及/和/与 only between two whole names."""
    return list(_split_units(s))


@functools.lru_cache(maxsize=MAX_REMEMBERED)
def _split_units(s: str) -> tuple[Unit, ...]:
    out: list[Unit] = []
    bold = False
    if "等" in s:
        s = P.ETC_AND.sub("、", s)
    for piece in split_top(s, UNIT_SEPS):
        if _PLAIN_NAME_SKIPS.isdisjoint(piece) and (
                len(piece) < GLUED_NAMES_MIN_CHARS or not P.GLUED_NAME_CUT.search(piece)):
            # a plain name (县财政局): no mark, no sign, no lead word, no conjunction, no place where two
            # names could be glued — as below, in one step
            name = _tidy_unit(piece)
            if name:
                out.append(Unit(name, bold))
            continue
        bold_start = bold
        on, off = piece.rfind(P.BOLD_ON), piece.rfind(P.BOLD_OFF)
        if on >= 0 or off >= 0:
            bold = on > off  # the last mark in the piece says whether bold goes on after it
        plain = strip_marks(piece)
        is_bold = on >= 0 or (bold_start and off >= 0) or (bold_start and bold)
        lead = bool(P.LEAD_SUFFIX.search(plain))
        if lead:
            plain = P.LEAD_SUFFIX.sub("", plain)
        unmarked = plain.strip(" " + P.STAR_MARKS)
        star = len(unmarked) != len(plain.strip(" "))
        plain = unmarked if star else plain
        for name in (g for c in _split_conj(plain) for g in _split_glued_names(c)):
            name = _tidy_unit(name)
            if name:
                out.append(Unit(name, is_bold, lead, star))
    return tuple(out)


_PLAIN_NAME_SKIPS = frozenset(P.MARKS + P.STAR_MARKS + "牵主为及和与")  # characters the long way reads


def _split_conj(name: str) -> list[str]:
    if len(name) < 6 or not P.SPLIT_CONJ.search(name):
        return [name]
    parts, start = [], 0
    for i in top_level(name, "及和与"):
        if i > start:
            left, right = name[start:i], name[i + 1:]
            if len(left) >= 2 and len(right) >= 2 and _whole_name(left) and (
                    _whole_name(_first_name(right)) or P.COLLECTIVE.match(right)):
                parts.append(left)
                start = i + 1
    parts.append(name[start:])
    return parts


def _split_glued_names(name: str) -> list[str]:
    """"县财政局县审计局" (a table cell pasted without separators): cut where a whole name ends and
    the next starts with a level prefix (县/市/区/省/州/镇/乡) and is a whole name too."""
    if len(name) < GLUED_NAMES_MIN_CHARS:
        return [name]
    parts, start = [], 0
    for m in P.GLUED_NAME_CUT.finditer(name):
        cut = m.start() + 1
        if cut - start >= 2 and _whole_name(name[start:cut]) and _whole_name(_glued_head(name[cut:])):
            parts.append(name[start:cut])
            start = cut
    parts.append(name[start:])
    return parts


def _glued_head(s: str) -> str:
    """The first whole name at the start of ``s`` (up to the next level prefix after a suffix)."""
    m = P.GLUED_NAME_CUT.search(s, 1)
    return s[: m.start() + 1] if m else s


def _first_name(s: str) -> str:
    """The text up to the next conjunction (to test whether the right side starts a whole name)."""
    for i, ch in enumerate(s):
        if ch in "及和与":
            return s[:i]
    return s


GENERIC_NAMES = frozenset({"单位", "部门", "机构", "机关", "企业", "组织"})  # (a trailing 等 is stripped first)


@functools.lru_cache(maxsize=MAX_REMEMBERED)
def _whole_name(s: str) -> bool:
    s = s.rstrip("等")
    return len(s) >= 2 and s not in GENERIC_NAMES and (P.has_unit_suffix(s) or (bool(P.COLLECTIVE.match(s)) and len(s) <= 16))


@functools.lru_cache(maxsize=MAX_REMEMBERED)
def _tidy_unit(name: str) -> str:
    name = name.strip(" 。.：:　\u3000")
    name = P.UNIT_LEADING_NOISE.sub("", name)
    for _ in range(3):  # "X等有关部门负责" -> "X"
        before = name
        m = P.TRAILING_DUTY.search(name)
        if m and m.start() > 0:
            name = name[: m.start()]
        m = P.TRAILING_ETC.search(name) if "等" in name else None
        if m and m.start() > 0:
            name = name[: m.start()]
        name = name.strip(" 。.")
        if name == before:
            break
    if not name or len(name) > P.MAX_UNIT_LEN or "。" in name:
        return ""
    if name[0] in P.CLOSE or (name[-1] in P.OPEN):
        name = name.strip(P.OPEN + P.CLOSE)
    if name.startswith("、"):
        name = name[1:]
    return name


def _name_core(name: str) -> str:
    """A unit name without its trailing bracketed parts: "县(市)政府(管委会)" -> "县(市)政府"."""
    core = name
    for _ in range(3):
        if not core or core[-1] not in P.CLOSE:
            break
        groups = bracket_groups(core)
        if not groups or groups[-1][1] != len(core) or groups[-1][0] == 0:
            break
        core = core[: groups[-1][0]]
    return core


def looks_like_units(text: str) -> bool:
    """Is ``text`` a list of organisation names (a table cell of units), role words allowed?"""
    s = strip_marks(text).strip("。；;，, ")
    if not s or len(s) > 400 or "。" in s:
        return False
    parts = [p for p in split_top(s, UNIT_SEPS) if p.strip()]
    if not parts:
        return False
    for part in parts:
        part = P.DUTY_TAIL.sub("", part) or part
        part = P.TRAILING_ETC.sub("", part) or part
        for name in _split_conj(part):
            for piece in P.WITH_VERB.split(name):
                core = _name_core(piece.strip())
                if not piece or len(piece) > P.MAX_UNIT_LEN or not (_whole_name(core) or _whole_name(piece)):
                    return False
    return True


_HAN_NAME = regex.compile(r"\p{Han}{2,4}")


def looks_like_names(text: str) -> bool:
    """Is ``text`` one or more people's names (2-4 characters each, titles allowed)?"""
    s = strip_marks(text).strip("。 ")
    if not s or len(s) > 40:
        return False
    names = [clean_leader(p) for p in split_top(s, "、，,；; ") if p.strip()]
    return bool(names) and all(2 <= len(n) <= 4 and not _whole_name(n) and _HAN_NAME.fullmatch(n)
                               for n in names)


# --- leaders -------------------------------------------------------------------------------------

def split_leaders(s: str) -> list[str]:
    """The leaders' names of a leader field; when it names none, only offices ("县长", "常务副县长"), the
    offices (a blank would lose who leads)."""
    names, offices = [], []
    for piece in split_top(strip_marks(s), "、，,；;／/ 和及"):
        n = clean_leader(piece)
        if n:
            names.append(n)
        elif is_office(piece):
            offices.append(piece.strip(" 。.：:"))
    return names or offices


def is_office(piece: str) -> bool:
    """Is ``piece`` a leader's title alone, without a name ("县长", "常务副县长")?"""
    t = piece.strip(" 。.：:")
    if t in _LEADER_LABELS:  # the field's own words ("分管县领导", "县领导")
        return True
    t = _OFFICE_DUTY.sub("", t)
    return bool(t) and P.LEADER_TITLE_SUFFIX.fullmatch(t) is not None


_OFFICE_DUTY = regex.compile(r"^(?:分管|主管|联系|挂钩|包联)")  # "分管副县长": the office in charge, no name
_LEADER_LABELS = frozenset(V.LABELS["leaders"])


def clean_leader(name: str) -> str:
    name = name.strip(" 。.：:")
    if not name:
        return ""
    if name[-1:] in P.CLOSE:  # "王丹（县长）"
        groups = bracket_groups(name)
        if groups:
            name = name[: groups[-1][0]]
    name = P.LEADER_TITLE_PREFIX.sub("", name)
    name = P.LEADER_TITLE_SUFFIX.sub("", name)
    name = name.strip(" 。.")
    return "" if _OFFICE_DUTY.fullmatch(name) else name  # ("分管副县长" names no one)


@functools.lru_cache(maxsize=256)
def heading_unit_roles(heading: str, numbered: bool = True) -> Roles | None:
    """The unit named by a heading that starts one unit's list ("县教育局工作任务清单",
    "甲局2023年安全生产目标责任", a numbered "一、县发改委（3项）", a line "县商务局："), as the roles of
    the items below it; else None.  An unnumbered line that is only a name needs its count or colon
    (a bare name on a line of its own is as often a signature)."""
    plain = strip_marks(heading).strip(" ")
    bare = P.BARE_UNIT_HEADING.fullmatch(plain) if len(plain) <= 30 else None
    if bare and not P.ISSUER_NAME.search(bare.group("name")) and _whole_name(bare.group("name")) and (
            numbered or bare.group("count") or bare.group("colon") or bare.group("leads")
            or len(bare.group("duty") or "") > 2):  # ("县教育局负责的工作" on a line of its own)
        roles = Roles()
        if bare.group("leads"):  # "一、县发改委牵头的工作": the unit leads the items below
            roles.lead.append(Unit(bare.group("name")))
            roles.explicit_lead = True
        else:
            roles.units.append(Unit(bare.group("name")))
        return roles
    text = plain.strip("：:")
    if len(text) > 40 or not ("任务" in text or "责任" in text or "清单" in text):
        return None  # (every ending of patterns.UNIT_LIST_HEADING has one of these words)
    for i in range(2, min(len(text), P.MAX_UNIT_LEN) + 1):
        if _whole_name(text[:i]) and not text[:i].endswith("政府") and P.UNIT_LIST_HEADING.fullmatch(text, i):
            roles = Roles()
            roles.units.append(Unit(text[:i]))
            return roles
    return None


def heading_leaders(heading: str) -> list[str]:
    """Leaders named by a heading such as 王丹县长牵头重点工作 (titles dropped), else []."""
    plain = strip_marks(heading)
    m = P.LEADER_HEADING.match(plain) if P.LEADER_VERB.search(plain, 0, P.LEADER_HEADING_MAX_CHARS) else None
    if not m:
        return []
    pieces = [p for p in split_top(m.group("names"), "、，,和") if p]
    # "李明、张伟副市长": a title on the last name covers the list; no title at all
    # ("产业发展牵头工作") means these are not people
    if not pieces:
        return []
    prefixed = P.LEADER_TITLE_PREFIX.match(pieces[0])
    if not P.LEADER_TITLE_SUFFIX.search(pieces[-1]) and not (prefixed and 2 <= len(pieces[0]) - prefixed.end() <= 3):
        return []
    names = []
    for piece in pieces:
        n = clean_leader(piece)
        if not (2 <= len(n) <= 4):
            return []
        names.append(n)
    return names
