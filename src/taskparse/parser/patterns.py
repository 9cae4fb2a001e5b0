"""Every regular expression of the parser, compiled once.

All patterns are anchored or built from bounded, non-nested quantifiers so that matching is
linear in the input (no pattern has a quantified group that can match the same text two ways).
Patterns run on *cleaned* text: whitespace between CJK characters already removed.
"""
from __future__ import annotations

import functools

import regex

from ..limits import MAX_UNIT_CHARS as MAX_UNIT_LEN  # noqa: F401 - re-exported
from . import vocabulary as V

# --- characters ---------------------------------------------------------------------------
BOLD_ON = "\ue000"  # parser-internal marks around bold runs; never reach the output
BOLD_OFF = "\ue001"
MARKS = BOLD_ON + BOLD_OFF
PRIVATE_USE = regex.compile(r"[\ue000-\uf8ff]")

OPEN = "（(〔【[［"
CLOSE = "）)〕】]］"
CN_DIGITS = "一二三四五六七八九十百零〇两"

_TRAD = V.TRAD  # traditional forms for matching labels and verbs (units keep their printed form)


def _t(word: str) -> str:
    """A regex matching ``word`` in simplified or traditional characters."""
    out = []
    for ch in word:
        trad = _TRAD.get(ch)
        out.append(f"[{ch}{trad}]" if trad and trad != ch else regex.escape(ch))
    return "".join(out)


def _alt(words: list[str]) -> str:
    """One alternative per word, as a trie ("牵头(?:单位|部门)…"): the engine then decides on each
    character once instead of trying every word at every position.  At every branch the longer words
    are tried before a word ends, so the longest word matching wins, as with a longest-first
    alternation ("牵头责任单位" over "责任单位")."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not _disjoint(trie):  # two branches could match one character: keep the plain alternation
        return "|".join(_t(w) for w in sorted(words, key=len, reverse=True))
    return _trie_pattern(trie)


def _char_forms(ch: str) -> set[str]:
    trad = _TRAD.get(ch)
    return {ch, trad} if trad else {ch}


def _disjoint(node: dict) -> bool:
    seen: set[str] = set()
    for ch, child in node.items():
        if ch:
            if seen & _char_forms(ch):
                return False
            seen |= _char_forms(ch)
        if not _disjoint(child):
            return False
    return True


def _trie_pattern(node: dict) -> str:
    branches = [_t(ch) + _trie_pattern(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


# --- clause labels (declared in vocabulary.py) ------------------------------------------------------
# labels that start a clause (a line or a bracket); inside a clause the clause-only ones are read too
_LINE_LABELS = [label for labels in V.LABELS.values() for label in labels]
ROLE_OF_LABEL: dict[str, str] = {label: role for table in (V.LABELS, V.CLAUSE_ONLY_LABELS)
                                 for role, labels in table.items() for label in labels}
MAX_LABEL_CHARS = max(map(len, _LINE_LABELS))

# a line that only adds a time limit to the clause line right above it ("责任单位：县发改局" / "时间：2025年6月底"):
# the clause-only deadline labels, which start no clause of their own
DEADLINE_AFTER_CLAUSE = regex.compile(rf"^(?:{_alt(list(V.CLAUSE_ONLY_LABELS['deadline']))})[：:]")
# a label in lenticular brackets with no colon ("【牵头单位】县财政局"): rewritten as "牵头单位：" before parsing
BRACKET_LABEL = regex.compile(rf"【\s{{0,2}}({_alt(_LINE_LABELS)})\s{{0,2}}】")
# a label followed by a colon (full or half width); group "label" is the label as printed
LABEL = regex.compile(rf"(?P<label>{_alt(_LINE_LABELS)})[：:]")
# a label's value follows a colon, or 为 where a clause starts ("（牵头单位为县发改委，配合单位为…）"); a label of
# two characters only a colon ("牵头为主", "参与为补充" are sentences)
_LABEL_THEN = r"(?:[：:]|为(?=[\p{Han}\d]))"


def _label_then(labels: list[str]) -> str:
    """A label followed by what introduces its value (see _LABEL_THEN)."""
    long, short = [x for x in labels if len(x) > 2], [x for x in labels if len(x) <= 2]
    return rf"(?P<label>{_alt(long)}(?={_LABEL_THEN})|{_alt(short)}(?=[：:])){_LABEL_THEN}"


# a clause that starts a line or a bracket: optional opening bracket, then a label
CLAUSE_START = regex.compile(rf"^[{regex.escape(OPEN)}]?{_label_then(_LINE_LABELS)}")
# where a label may start a clause in the middle of a line: after an end of sentence or a bracket
INLINE_LABEL = regex.compile(rf"(?<=[。；;！？!?）)\]】\s—]|^)(?:{_alt(_LINE_LABELS)})[：:]")
# the labels inside a clause (parse_clause), with those read only there (a contact person)
CLAUSE_LABEL = regex.compile(_label_then(list(ROLE_OF_LABEL)))

TRAD_TO_SIMP = {v: k for k, v in _TRAD.items() if v != k}


@functools.lru_cache(maxsize=512)
def label_role(printed: str) -> str:
    """The role ('leaders', 'lead', 'units', 'duty', 'deadline', 'extra') of a label as printed."""
    return ROLE_OF_LABEL.get(simplified(printed), "units")


def simplified(printed: str) -> str:
    """A label in simplified characters (as vocabulary.py declares it)."""
    return "".join(TRAD_TO_SIMP.get(c, c) for c in printed)


# --- numbering -----------------------------------------------------------------------------
# level 1: 一、  level 2: （一）  level 3: 1. 1、 1． 1﹒ ⒈  level 4: （1） 1）  level 5: ① 第一， 任务一：
# The pieces are shared by every pattern that reads an item number (MARKER, GLUED_NEXT, INNER_MARKER).
# A dot followed by a digit is a decimal (1.5) unless a year follows (3.2023年底前完成: item 3).
DOT = r"[.．﹒]"
NOT_DECIMAL = r"(?!(?!(?:19|20)\d\d年)[\d%％])"
SMALL_CN = "一二三四五六七八九十"  # inside a line only small numerals are taken for item numbers
NUM_L1 = rf"[{SMALL_CN}]{{1,3}}、"  # an item number inside a line, by level
NUM_L2 = rf"[（(][{SMALL_CN}]{{1,3}}[）)]"
NUM_L3 = rf"\d{{1,3}}(?:{DOT}{NOT_DECIMAL}|、)"
FULLSTOP_NUMBERS = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"  # U+2488..U+249B, one character each
MARKER = regex.compile(
    rf"""^(?:
        (?P<l1>[{CN_DIGITS}]{{1,4}})[、．.﹒]
      | [（(〔](?P<l2>[{CN_DIGITS}]{{1,3}})[）)〕]
      | (?P<l3>\d{{1,3}})(?:{DOT}{NOT_DECIMAL}|、|。(?=\p{{Han}}))
      | (?P<l3c>[{FULLSTOP_NUMBERS}])
      | [（(](?P<l4>\d{{1,3}})[）)]
      | (?P<l4b>\d{{1,3}})[）)]
      | (?P<l5>[①-⑳㉑-㉟])
      | 第(?P<l5c>[{SMALL_CN}]{{1,3}})[，,、：:]
      | (?:任务|事项)(?P<l5d>[{SMALL_CN}]{{1,3}}|\d{{1,2}})[：:、]
    )""",
    regex.VERBOSE,
)
# "146.65岁…": a number that reads as a decimal; an item number only if the sequence says so
GLUED_DECIMAL_START = regex.compile(rf"^(\d{{1,3}}){DOT}(?=\d)")
# decimal numbering, one level under the item it names: "1.1推进…", "2.3 做好…" (not "1.5万亩", "3.2倍")
DECIMAL_ITEM = regex.compile(
    rf"^(?P<major>\d{{1,2}}){DOT}(?P<minor>\d{{1,2}})(?:{DOT}|、)?(?![\d%％{DOT[1:-1]}])"
    r"(?![万亿千百元米吨亩个户家所项倍年月日号岁平公里人次台辆座])(?=\s|\p{Han}|[（(“《])")
# where an item may start in a dense line (checked against the numbering by the caller)
DENSE_CANDIDATE = regex.compile(rf"(?:^|(?<=[。；;！？!?）)】〕”：:\p{{Han}}]))\s{{0,2}}(?P<n>[（(〔]?[{SMALL_CN}\d⒈-⒛])")
DENSE_FIRST_CHILD = regex.compile(r"[（(]一[）)]|1[.．、﹒]|[（(]1[）)]|⒈")
# "1 . 加强" / "一 、 承担" inside a line whose breaks became spaces: the number and its dot belong together
SPACED_INNER_MARKER = regex.compile(rf"(?<=\s|^)(\d{{1,3}}|[{SMALL_CN}]{{1,3}})\s{{1,3}}([.．、])")
# an item number inside a line (a whole document on one line: "…。 2.加强…")
INNER_MARKER = regex.compile(rf"\s(?:{NUM_L3}|{NUM_L1}|{NUM_L2})\S")
# a "number" written with PDF debris: digits and spaces before the dot ("1 3 .", "30 .")
SPACED_NUMBER = regex.compile(r"^(\d(?:[ \t]{0,3}\d){0,2})[ \t]{0,3}([.．、])[ \t]*")
SPACED_CN_MARKER = regex.compile(rf"^([{CN_DIGITS}]{{1,4}})[ \t]{{1,3}}、")

# a bullet that starts an item without a number: "——推进…", "●推进…" (a dash only before a character of text)
BULLET_CHARS = "●◆■□▪•★☆▲△◇"
BULLET_START = regex.compile(rf"^[ \t\u3000]{{0,8}}(?:—{{1,2}}(?=\p{{Han}})|[{BULLET_CHARS}])")
CIRCLED = {c: i for i, c in enumerate("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳", 1)}
CIRCLED.update({c: i for i, c in enumerate("㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟", 21)})

# a line that labels the task's own text ("具体任务：加快…" under "一、扩大有效投资"): the label is no text; the
# words are those that name a table's task column (vocabulary.py)
TEXT_LABEL = regex.compile(rf"^(?:{_alt([w for role, words in V.HEADER_WORDS if role == 'task' for w in words])})[：:]")

# --- page furniture and web junk -------------------------------------------------------------
PAGE_NUMBER_LINE = regex.compile(
    r"^(?:[—－\-–─]{1,3}\s{0,3}\d{1,4}\s{0,3}[—－\-–─]{1,3}|第\s{0,2}\d{1,4}\s{0,2}页(?:\s{0,2}[，,/]?\s{0,2}共\s{0,2}\d{1,4}\s{0,2}页)?"
    r"|\d{1,4}\s{0,2}/\s{0,2}\d{1,4}|[-－]\s{0,2}\d{1,4}|\d{1,4}\s{0,2}[-－]|·\s{0,2}\d{1,4}\s{0,2}·)$")
INLINE_PAGE_NUMBER = regex.compile(r"[—－–─]{1,2}\s{0,3}\d{1,4}\s{0,3}[—－–─]{1,2}")
WEB_JUNK = regex.compile(
    r"^(?:当前位置|您的位置|首页\s{0,2}[>＞›]|[>＞›]|分享(?:到)?[:：]?$|打印(?:本页)?$|关闭(?:窗口)?$|【\s{0,2}(?:打印|关闭|字体)"
    r"|标签[:：]|留言与评论|验证码|扫一扫|字号[:：]|相关(?:链接|文件|阅读|解读)|上一篇|下一篇|来源[:：]|浏览次数|访问量|"
    r"发布时间[:：]|网站地图|版权所有|主办单位[:：]|承办单位[:：]\S{0,20}(?:网站|中心)$|ICP|网站标识码|"
    r"公安机关备案|联系我们|【\s{0,2}(?:图文解读|视频解读|相关解读))")
# site chrome anywhere in a line (a footer or a share bar glued to the last item of a web page)
CHROME = regex.compile(
    r"网站标识码|ICP\s{0,2}[备证]|公网安备|分享到[:：]?|版权所有|技术支持[:：]|网站地图|浏览次数|访问量[:：]|打印本页|关闭窗口"
    r"|【\s{0,2}(?:打印|关闭)\s{0,2}】|扫一扫|微信扫|手机版|无障碍浏览|政务微博|政务微信|返回顶部|设为首页|加入收藏")
# the site's own "主办单位：某某人民政府办公室 / 承办：某某信息中心" lines, next to chrome
SITE_LABEL = regex.compile(r"^(?:主办|承办|协办|运维|维护|建设)(?:单位)?[:：]")
# markup leaked into the text ("</p><p align=\"left\">", "&nbsp;")
MARKUP = regex.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>]{0,200})?/?>|&(?:nbsp|amp|lt|gt|quot|ensp|emsp|#\d{1,6});")
FOOTER_START = regex.compile(r"^(?:抄\s{0,2}送|抄\s{0,2}报|主\s{0,2}题\s{0,2}词|附\s{0,2}件[:：]\s{0,2}\S)")
PRINT_LINE = regex.compile(r"\d{1,2}\s{0,2}日\s{0,3}印\s{0,2}发\s{0,2}$")
PUBLIC_NOTE = regex.compile(r"^[（(]\s{0,2}此件\S{0,10}[）)]$")

# --- standing notes ----------------------------------------------------------------------------
FIRST_IS_LEAD = regex.compile(
    r"(?:首位|第一位|排(?:在|名)第一(?:位)?|排在首位|列(?:在)?第一位|列(?:在)?首位|第一个|排名第一|第一家|排序第一|排列第一|排第一)的?(?:单位|部门|者)?"
    r"(?:为|是|系)(?:牵头|主办|主责|主要责任)(?:单位|部门)?")
# "带*号的为牵头单位" / "标★的单位为牵头单位": units marked with a sign lead
STAR_MARKS = "*＊★☆▲△※"
STAR_IS_LEAD = regex.compile(
    r"(?:带|标|标有|加|有|打)?[*＊★☆▲△※]号?(?:标注|标记|标识)?的?(?:单位|部门)?(?:为|是)(?:牵头|主办|主责)")
BOLD_IS_LEAD = regex.compile(r"(?:黑体|加粗|粗体|黑色字体|字体加黑)(?:字)?(?:标注|显示)?的?(?:单位|部门)?(?:为|是)(?:牵头|主办|主责)")
# editorial remarks inside a clause: "不再做分工", "不再一一列出", "均涉及各市（州）人民政府"
EDITORIAL = regex.compile(
    r"不再(?:做|作|单独|重复|另行|一一|逐项|逐一)?(?:分工|列出|列举|标注|明确|赘述|注明|分解)|均(?:涉及|需要?|须|要)(?:各|相关|有关)"
    r"|以下(?:各项)?(?:均|同)|(?:均|各项任务)(?:由|为)?各(?:地|市|县)")
NOTE_WORDS = regex.compile(r"下同|除外|为牵头|为主办|为协办|为配合|首位|排名|排序|黑体|加粗|粗体|以下同|同上")
# every note of FIRST_IS_LEAD, STAR_IS_LEAD and BOLD_IS_LEAD says "为/是/系 牵头/主…" (a quick test before them)
LEAD_NOTE_VERB = regex.compile("[为是系](?:牵头|主)")
# any of the four above (a quick test: a piece that matches none of them is no note)
ANY_NOTE = regex.compile("|".join(f"(?:{p.pattern})" for p in (FIRST_IS_LEAD, BOLD_IS_LEAD, STAR_IS_LEAD, EDITORIAL,
                                                                  NOTE_WORDS)))

# --- leaders ---------------------------------------------------------------------------------------
TITLE = (r"(?:(?:常务|执行)?副?(?:省长|市长|县长|区长|州长|旗长|盟长|镇长|乡长|主任|书记|秘书长|部长|局长|主席)"
         r"|同志|(?:市|县|区)委常委|常委|党组成员|调研员)")
LEADER_TITLE_SUFFIX = regex.compile(rf"(?:{TITLE}){{1,3}}$")
LEADER_TITLE_PREFIX = regex.compile(rf"^(?:{TITLE}){{1,3}}")
# the verbs of LEADER_HEADING, a quick test before it within its reach (由 + 40 characters of names + a verb)
LEADER_VERB = regex.compile("牵头|分管|负责|领衔|联系|主抓|抓总|挂帅")
LEADER_HEADING_MAX_CHARS = 1 + 40 + 2
LEADER_HEADING = regex.compile(
    r"^(?:由|请)?(?P<names>[\p{Han}·、，,]{2,40}?)(?:牵头|分管|负责|领衔|联系|主抓|抓总|挂帅)(?:负责|推进|落实)?(?:的)?(?:重点|主要)?(?:工作|任务|事项|项目|领域)?(?:[（(：:。，,]|$)")

# --- units -----------------------------------------------------------------------------------------
UNIT_SUFFIXES = (
    "局", "委", "办", "部", "厅", "署", "院", "所", "会", "中心", "政府", "办事处", "公司", "集团", "站", "队", "处", "室", "行",
    "社", "园", "街道", "镇", "乡", "单位", "部门", "组", "校", "馆", "台", "庭", "社区", "指挥部", "管委会", "委员会",
    "小组", "开发区", "高新区", "新区", "园区", "分局", "支行", "联社", "协会", "商会", "学会", "团", "军分区", "武部", "总队",
    "支队", "大队", "专班", "机关", "海关", "联", "协", "团中央", "党校", "大学", "医院", "银行", "公安", "法院", "检察院",
    "邮政", "电信", "移动", "联通", "铁塔", "供电", "机构", "企业", "村", "场", "矿", "片区", "管理区", "示范区", "试验区",
    "合作区", "自贸区", "保税区", "港", "口岸", "办公室", "派出所", "街办", "景区", "中学", "小学", "学校",
    "一中", "二中", "三中", "四中", "五中", "六中", "七中", "八中", "九中", "十中",
)
def _forms(word: str) -> list[str]:
    """A word in every mix of simplified and traditional characters (words here are 1-4 long)."""
    out = [""]
    for ch in word:
        alts = {ch, _TRAD.get(ch, ch)}
        out = [o + a for o in out for a in alts]
    return out


_SUFFIX_FORMS = tuple(f for w in UNIT_SUFFIXES for f in _forms(w))


def has_unit_suffix(s: str) -> bool:
    """Does ``s`` end like an organisation's name (局, 委员会, 办事处 …, simplified or traditional)?"""
    return s.endswith(_SUFFIX_FORMS)
# collectives: 各地, 各县（市、区）, 各有关部门, 有关单位, 相关市（州）人民政府 — names in their own right
# inside a run of glued names: a unit suffix character followed by a level prefix ("…局县…", "…委市…")
GLUED_NAME_CUT = regex.compile(r"[局委办院厅部队所站会心府室](?=[县市区省州镇乡])")
# words of a task sentence that never occur in a unit's name (checked on names without a unit suffix)
TASK_WORDS_IN_UNIT = regex.compile(
    r"\d|[%％万亿]|确保|完成|实现|推进|加强|提升|开展|做好|力争|不少于|不低于|以上|左右|达到|新增|持续|全面|积极|深入|加快|推动")
PERSON_NAME = regex.compile(r"\p{Han}{2,4}|\p{Han}{1,6}[·•]\p{Han}{1,8}")
COLLECTIVE = regex.compile(r"^(?:各|有关|相关|其他|其它|[省市县区州](?:\([中市]\)|（[中市]）)?直(?:有关|相关|各|单位|部门|机关))")
SPLIT_CONJ = regex.compile(r"[及和与]")
TRAILING_ETC = regex.compile(
    r"等(?:[\d一二三四五六七八九十两]{1,3}(?:个|家))?(?:有关|相关|其他|其它)?(?:部门|单位|机构)?(?:和|及)?(?:单位|部门)?$")
TRAILING_DUTY = regex.compile(
    rf"(?:按照?(?:各自)?职责(?:分工)?(?:负责|落实|配合)?|{_alt(list(V.DUTY_VERBS))})$")
# a clause part that ends in a role verb: "X牵头" / "X牵头负责" (leads) or "Y按职责分工负责" (shares)
DUTY_TAIL = regex.compile(
    rf"(?:(?:共同|负责|分别)?{_alt(list(V.LEAD_VERBS))}(?:负责|落实|推进|组织|实施)?|{TRAILING_DUTY.pattern[:-1]})$")
# the last characters a role verb can end with (a quick test before DUTY_TAIL)
DUTY_LAST_CHARS = frozenset(f[-1] for w in V.DUTY_VERBS + V.LEAD_VERBS + ("推进", "组织", "分工", "职责") for f in (w, "".join(_TRAD.get(c, c) for c in w)))
# "X会同Y负责": X leads, Y shares
WITH_VERB = regex.compile(_alt(list(V.WITH_VERBS)))
# "X等和各省级人民政府" / "X等及有关单位": the 等 ends a list, a collective follows
ETC_AND = regex.compile(r"等(?:部门|单位)?[和及与](?=各|有关|相关|省|市|县|区|州)")
# "市发改委（牵头）" / "市发改委为牵头单位": a lead marked inside a unit list
LEAD_SUFFIX = regex.compile(r"(?:[（(](?:牵头|牵头单位|牵头部门|主办|主责)[）)]|为牵头(?:单位|部门)?)$")
# glued items on one line: a clause bracket immediately followed by the next item's number
# (in two steps, not one pattern with a look-behind tried at every position: the brackets are found
# first, the number is tried after each)
GLUE_CLOSE = regex.compile(r"[）)】〕]")
GLUED_NEXT = regex.compile(rf"{NUM_L3}|{NUM_L1}|{NUM_L2}")
# units separated by spaces only ("责任单位：县发改局 县财政局"): a space after a whole name before another
SPACE_BETWEEN_UNITS = regex.compile(r"(?<=\p{Han}{2})(?<=(?:局|委|办|中心|政府|办事处|公司|集团|管委会|委员会|指挥部|街道|镇|乡|部|院|厅))[ \t\u3000]+(?=\p{Han}{2,30}(?:局|委|办|中心|政府|办事处|公司|集团|管委会|委员会|指挥部|街道|镇|乡|部|院|厅)(?:[ \t\u3000、，,；;）)]|$))")
_LEAD_VERB = r"(?:共同|负责|分别)?牵头(?:负责|落实|推进|组织)?"
LEAD_PHRASE = regex.compile(rf"^(?P<lead>.{{1,200}}?){_LEAD_VERB}$")
# "县发改局牵头负责、县财政局配合": a lead's part that ends at 、 instead of a comma
LEAD_BEFORE_LIST = regex.compile(rf"({_LEAD_VERB})、")
UNIT_LEADING_NOISE = regex.compile(r"^(?:由|请|其中[:：]?|包括[:：]?)")

# what follows a unit's name in a heading that starts that unit's own list (matched after the name)
UNIT_LIST_HEADING = regex.compile(
    r"(?:\d{4}年度?)?\p{Han}{0,10}?(?:工作任务清单|重点工作任务|工作任务|任务清单|目标责任|责任清单|工作清单|目标任务)"
    r"(?:书|清单|表|分解表)?")
# a heading that is one unit's name and nothing else ("一、县发改委（3项）", "县商务局："): the name must end in
# an office word (not 园/组/会… that also end topics), and is never the issuer (…人民政府, …政府办公室)
BARE_UNIT_HEADING = regex.compile(
    r"(?:由)?(?P<name>\p{Han}{1,20}?(?:局|委|办|院|中心|办事处|公司|集团|管委会|委员会|指挥部|街道|镇|乡|部|厅|署|分局|支行|大队|"
    r"支队|总队|海关|法院|检察院|医院|学校|银行|派出所|办公室|所|站|队|室|处))"
    r"(?P<leads>(?:负责)?牵头(?:负责)?的?(?:重点|主要)?(?:工作|任务|事项)?)?"
    r"(?P<duty>负责的?(?:重点|主要)?(?:工作|任务|事项)?)?"  # "县教育局负责": its units, not a lead
    r"(?P<count>[（(]\d{1,3}项[）)]|\d{1,3}项)?(?P<colon>[：:])?")
ISSUER_NAME = regex.compile(r"(?:人民政府|政府|政府办公室|政府办|人民政府办公室)$")
# an unnumbered title that starts a new list of its own (the headings before it no longer apply)
PART_TITLE = regex.compile(r"(?:责任分解|任务分解|分解表|责任分工|任务分工|任务清单|责任清单|一览表|台账|民生实事(?:项目)?)$")
# run-in parts of one item: "一是…；二是…" (after the start, a stop or a comma)
RUN_IN = regex.compile(rf"(?:^|(?<=[。；;，,：:]))(?P<n>[{SMALL_CN}]{{1,2}})是")

# --- deadlines -------------------------------------------------------------------------------------
DEADLINE = regex.compile(
    r"^(?:(?:\d{4}|[〇一二三四五六七八九零]{4})年(?:度)?)?"
    r"(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}日|底|末|中旬|上旬|下旬|份|中)?|年底|年内|年末|全年|上半年|下半年|"
    r"(?<=年)(?:底|末|内)|"
    r"第?[一二三四1-4]季度(?:末|底)?|年度)"
    r"(?:(?:前|以前|之前)\p{Han}{0,6}|(?:完成|全面完成|基本完成|见效|取得成效|建成|启动|落实到位|到位))?$"
    r"|^(?:长期坚持|持续推进|长期|常态化推进|持续开展|常态化|长期推进|持续实施|年底前完成|按序时推进|按时间节点推进)$")

DEADLINE_LAST_CHARS = frozenset("成前底末内度旬日月效启位")  # how a time limit ending a clause may end
DONE_AFTER_TIME = regex.compile(r"(?<=[底末前内旬日份度季])完成$")

# --- metadata --------------------------------------------------------------------------------------
DOC_NUMBER = regex.compile(
    r"(?P<num>[\p{Han}]{1,12}[〔［\[【（(]\s{0,2}(?:\d{4}|[〇一二三四五六七八九零]{4})\s{0,2}[〕］\]】）)]\s{0,2}\d{1,4}\s{0,2}号)")
META_LABEL = regex.compile(r"^(?:文件名称|文件标题|名称|标题|题名)[:：]?")
DOC_NUMBER_LABEL = regex.compile(r"^(?:文件编号|发文字号|发文编号|文件字号|文号)")
ISO_DATE_FIELD = regex.compile(
    r"成文日期[:：|\s]{0,6}(?P<y>\d{4})\s{0,2}[-年./]\s{0,2}(?P<m>\d{1,2})\s{0,2}[-月./]\s{0,2}(?P<d>\d{1,2})")
CN_DATE = regex.compile(
    r"(?P<y>\d{4}|[〇一二三四五六七八九零○Ｏ]{4})年(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})月"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})日")
DATE_LINE = regex.compile(rf"^{CN_DATE.pattern}$")
TITLE_END = regex.compile(r"(?:通知|意见|方案|决定|通报|批复|函|报告|安排|分工|清单|计划|任务|分解|台账|要点|措施|细则|办法)$")
DOC_TYPE_END = regex.compile(r"(?:通知|意见|方案|决定|通报|批复|函|安排|办法|细则|要点|清单|分工|分解|计划|规划|分解表|任务表|一览表|台账|分工表|责任表|清单表|任务书|责任书)$")
# a site name glued after a page title: "…的通知-欧洲杯网络平台", "…的通知_某某网"
TITLE_SITE_SUFFIX = regex.compile(r"(?<=通知|意见|方案|决定|通报|计划|分工|分解|分解表)\s{0,2}[-_|｜—–]{1,2}\s{0,2}\S{1,30}$")
ISSUER_END = regex.compile(r"(?:国务院|国务院办公厅|人民政府|政府|办公室|办公厅|委员会|人民政府办公室|人民政府办公厅|管委会|管理委员会|局|厅|委|办)$")
RED_HEAD = regex.compile(r"^(?P<org>[\p{Han}]{2,24}?(?:人民政府|人民政府办公室|人民政府办公厅|办公室|办公厅|委员会|管委会))文件$")
ISSUER_FIELD = regex.compile(r"发布机构[:：|\s]{0,4}(?P<org>[\p{Han}（）()]{2,30}?)(?:[|\s]|组配分类|$)")

# --- text cleanup ----------------------------------------------------------------------------------
# whitespace is kept only between two Latin letters ("Smart City"); everywhere else in this
# genre it is extraction debris (justified PDF text, web copies)
SPACE_RUN = regex.compile(r"\s+")
KEEP_SPACE = regex.compile(r"(?<=[A-Za-z])\s+(?=[A-Za-z])")
