"""The role vocabulary: every word that names who does a task, declared once.

Each role lists the *clause labels* that introduce it (``责任单位：…``), the *table-header words*
that name a column of it, and the *role verbs* that mark it inside a sentence (``X牵头``, ``X会同Y``,
``Y配合``).  Clause patterns (patterns.py), table header mapping (tables.py) and the borderless PDF
table header test (extractors/_pdf_grid.py) are all built from these tables, so one word means one
role everywhere.  Matching accepts simplified and traditional forms (see :func:`trad`).

Roles: ``leaders`` (牵头领导), ``lead`` (牵头单位), ``units`` (责任/配合单位), ``duty`` (a labelled
field that holds a whole sentence: ``部门分工：X牵头，Y配合``), ``deadline`` (完成时限), ``extra`` (责任人:
kept under its label), ``number`` (序号), ``section`` (a 类别 column: the rows' heading) and ``task``
(the task text column).
"""
from __future__ import annotations

# --- clause labels: "<label>：value" ------------------------------------------------------------------
LABELS: dict[str, tuple[str, ...]] = {
    "leaders": (
        "县领导", "市领导", "区领导", "牵头领导", "责任领导", "分管领导", "牵头负责领导", "分管县领导", "分管市领导",
        "分管区领导", "分管省领导", "联系领导", "责任县领导", "牵头县领导", "牵头市领导", "牵头区领导", "包保领导",
        "县级领导", "市级领导", "责任市领导", "责任区领导", "分管副县长", "分管副市长", "分管副区长", "分管副省长",
        "牵头县级领导", "牵头市级领导", "联系县领导", "联系市领导", "牵头省领导", "责任省领导", "省领导",
        "牵头负责同志", "分管负责同志", "牵头市级领导同志", "督办领导", "主抓领导", "分管州领导", "州领导",
        "牵头州领导", "责任州领导", "分管旗领导", "旗领导", "牵头单位领导",
    ),
    "lead": (
        "牵头单位", "牵头部门", "主办单位", "牵头责任单位", "责任牵头单位", "主责单位", "主责部门", "牵头科室",
        "牵头处室", "主办部门", "牵头责任部门", "牵头机构", "省牵头单位", "市牵头单位", "县牵头单位", "区牵头单位",
        "牵头落实单位", "牵头实施单位", "主要责任单位", "牵头推进单位",
        "牵头", "主办", "主责",  # short forms: "（牵头：县发改委；配合：县财政局）"
    ),
    "units": (
        "责任单位", "配合单位", "协办单位", "参与单位", "责任部门", "配合部门", "承办单位", "协同单位", "协同责任单位",
        "协同部门", "参与部门", "实施单位", "落实单位", "协助单位", "具体责任单位", "责任主体", "协办部门", "承办部门",
        "责任科室", "配合科室", "责任处室", "配合处室", "责任单位（部门）", "责任单位(部门)", "协同配合单位",
        "配合责任单位", "督办单位", "责任股室", "配合股室", "实施主体", "落实主体", "参加单位", "协作单位", "协助部门", "协作部门",
        "配合落实单位", "市责任单位", "县责任单位", "区责任单位", "省责任单位",
        "包保单位", "协助部门", "协作部门", "参加部门",
        "配合", "协办", "参与", "协助", "协同",  # short forms
    ),
    "duty": ("部门分工", "责任分工", "任务分工", "职责分工", "单位分工"),
    # a person at the unit, not a 牵头领导: kept as printed in the task's ``extra`` under its label, as a
    # table column of that name is (a ledger's 责任人 column)
    "extra": ("责任人", "具体责任人", "直接责任人", "责任人员"),
    "deadline": (
        "完成时限", "时限", "完成时间", "时间节点", "时限要求", "完成期限", "时间要求", "进度安排", "完成时间节点",
        "办结时限", "整改时限", "整改期限", "办理时限", "完成时限要求", "时间安排",
    ),
}

# labels read only inside a clause, never as the start of one: a contact line ("联系人：孙七，电话：…") under a
# notice or a task is no responsibility clause, but "（牵头单位：县商务局，联系人：王五）" keeps it in ``extra``
CLAUSE_ONLY_LABELS: dict[str, tuple[str, ...]] = {
    "extra": ("联系人", "联系电话", "电话", "联系方式", "手机", "负责人", "具体负责人"),
    # "责任单位：市大数据局。时间：2025年6月" (a web page's "时间：2021-05-14 来源：…" line starts no clause)
    "deadline": ("时间",),
}

# --- table headers: a header cell containing one of these words names that column --------------------
# Order matters: the first role whose word is in the header wins (领导 before 牵头: 牵头领导 is a leader;
# 牵头 before 责任: 牵头责任单位 leads).
HEADER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("leaders", ("领导",)),
    ("lead", ("牵头", "主办", "主责")),
    ("units", ("责任单位", "配合单位", "协办单位", "参与单位", "协同", "责任部门", "配合部门", "承办单位", "协办部门",
               "参与部门", "实施单位", "落实单位", "责任主体", "责任科室", "配合科室", "责任处室", "责任股室", "实施主体",
               "落实主体", "主体单位", "协助单位", "督办单位", "参加单位", "协作单位", "协助部门", "协作部门",
               "协办", "配合", "参与", "承办", "协助")),  # compact headers: 主办 | 协办
    ("deadline", ("完成时限", "时间节点", "完成时间", "时限", "进度安排", "完成期限", "时间要求", "时间安排", "时序进度",
                  "进度要求", "时间进度", "整改时限", "整改期限")),
    ("number", ("序号", "编号")),
    # a category printed beside its rows ("类别 | 重点任务 | 牵头单位"): the rows' section (before "task":
    # 任务类别 is a category)
    ("section", ("类别", "分类", "领域", "板块", "类型")),
    ("task", ("重点任务", "工作任务", "主要任务", "任务内容", "工作内容", "具体措施", "主要工作举措", "目标任务",
              "工作措施", "具体任务", "工作举措", "重点工作", "主要内容", "建设内容", "项目名称", "项目内容",
              "任务名称", "工作事项", "重点事项", "任务事项", "工作目标", "目标要求", "年度目标", "具体工作", "主要措施",
              "工作要求", "目标与任务", "举措", "事项", "任务", "内容", "项目", "措施", "目标")),
)

# a borderless table's header must name the work and who does it (extractors/_pdf_grid.py)
HEADER_TASK_WORDS = ("任务", "措施", "举措", "内容", "事项", "项目", "工作", "目标")
HEADER_DUTY_WORDS = ("单位", "部门", "领导", "责任", "牵头", "主办", "协办", "配合", "承办", "参与", "主体", "协助")

# --- role verbs inside a clause sentence ----------------------------------------------------------------
# "X牵头" / "X牵头负责": X leads
LEAD_VERBS = ("牵头",)
# "X会同Y负责": X leads, Y shares
WITH_VERBS = ("会同",)
# "Y配合" / "Y按职责分工负责" …: Y shares (the longest first when building patterns)
DUTY_VERBS = (
    "按照职责分工负责", "按职责分工负责", "按照职责分工落实", "按职责分工落实", "按职责分工配合", "按职责负责",
    "按职能分工负责", "按各自职责负责", "分工负责", "分别负责", "共同负责", "负责落实", "配合落实", "协同落实",
    "参与落实", "具体落实", "组织实施", "具体实施", "配合", "参与", "协助", "协办", "落实", "负责", "实施", "指导",
)

# traditional forms of the characters used in labels and verbs (matching only; units keep their form)
TRAD: dict[str, str] = {
    "责": "責", "单": "單", "牵": "牽", "头": "頭", "领": "領", "导": "導", "协": "協", "办": "辦", "与": "與",
    "参": "參", "门": "門", "时": "時", "间": "間", "务": "務", "关": "關", "实": "實", "县": "縣", "区": "區",
    "长": "長", "节": "節", "点": "點", "进": "進", "级": "級", "体": "體", "为": "為", "负": "負", "职": "職",
    "内": "內", "对": "對", "应": "應", "双": "雙", "处": "處", "联": "聯", "织": "織", "组": "組", "会": "會",
    "别": "別", "结": "結", "规": "規", "划": "劃", "员": "員", "确": "確", "请": "請", "强": "強",
}


def trad(ch: str) -> str:
    """The traditional form of one simplified character (itself when it has none)."""
    return TRAD.get(ch, ch)


def role_of_label(simplified: str) -> str | None:
    """The role of a clause label (simplified form), or None when it is not one."""
    return _LABEL_ROLE.get(simplified)


def role_of_header_text(h: str) -> str:
    """The role of a table header cell's text ('' for empty, 'extra' for a column of its own).

    A header that is a clause label has the label's role; otherwise the first header word found decides.
    """
    if not h:
        return ""
    if h in _LABEL_ROLE:
        return _LABEL_ROLE[h]
    for role, words in HEADER_WORDS:
        if any(w in h for w in words):
            return role
    return "extra"


_LABEL_ROLE: dict[str, str] = {label: role for role, labels in LABELS.items() for label in labels}
