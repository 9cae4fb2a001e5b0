"""Notices as they are found in the wild: one composed example per class of real-world form
(State-Council clauses, standing notes, role verbs, collectives, new labels, editorial sentences,
numbering, tables pasted as text, unit headings, web chrome, one-line copies, sentence fragments).
Every expected value was worked out by hand from the conventions in tests/corpus/README.md."""
from __future__ import annotations

import textwrap

import pytest

import taskparse


def parse(text: str):
    return taskparse.parse_text(textwrap.dedent(text).strip("\n"))


def tasks_of(text: str):
    return parse(text).tasks


def fields(t):
    return t.leaders, t.lead_units, t.units, t.deadline


# --- 1. several clauses in one item ------------------------------------------------------------------

def test_several_state_council_clauses_in_one_item_are_one_task():
    ts = tasks_of("""
        一、重点任务
        （三）改善条件。加强场地建设。（教育部、体育总局负责）完善设施。（财政部负责）推进开放。（住房城乡建设部、教育部负责）
        （四）加强管理。做好工作。（民政部负责）
    """)
    assert [t.text for t in ts] == ["改善条件。加强场地建设。完善设施。推进开放。", "加强管理。做好工作。"]
    assert ts[0].units == ["教育部", "体育总局", "财政部", "住房城乡建设部"]
    assert ts[0].clause == "教育部、体育总局负责；财政部负责；住房城乡建设部、教育部负责"


def test_a_bracket_of_bare_unit_names_ending_an_item_is_its_clause():
    """"…。（县发改委）": the units alone, no label, no verb.  Before, such items had no clause, so the one
    sibling that had one was taken as the group's shared clause and its units given to all of them."""
    ts = tasks_of("""
        一、经济发展
        1.加快重点项目建设，全年完成投资50亿元。（县发改委）
        2.促进消费持续恢复（县商务局、县市场监管局）。
        3.稳定外贸外资。（县商务局牵头，县财政局配合）
        二、社会民生
        4.办好人民满意教育。（县教育局）
        5.开工建设老年活动中心（老年大学），完成老年公寓提升改造。（县民政局）
    """)
    assert [(t.id, t.text, t.lead_units, t.units) for t in ts] == [
        ("一.1", "加快重点项目建设，全年完成投资50亿元。", [], ["县发改委"]),
        ("一.2", "促进消费持续恢复。", [], ["县商务局", "县市场监管局"]),
        ("一.3", "稳定外贸外资。", ["县商务局"], ["县财政局"]),
        ("二.4", "办好人民满意教育。", [], ["县教育局"]),
        # a name in brackets inside a sentence names a place, it is no clause
        ("二.5", "开工建设老年活动中心（老年大学），完成老年公寓提升改造。", [], ["县民政局"])]


def test_state_council_clause_naming_a_leader_and_a_bare_clause_with_a_time_limit():
    result = parse("""
        一、经济发展
        1.加快重点项目建设。（县长张三牵头，县发改委负责）
        2.促进消费。（王五、赵六副县长牵头，县商务局负责）
        3.稳定外贸。（县商务局，2024年6月底前）
        4.做好统计。（县发改委主任牵头，县统计局配合）
    """)
    ts = result.tasks
    assert [fields(t) for t in ts] == [
        (["张三"], [], ["县发改委"], None),
        (["王五", "赵六"], [], ["县商务局"], None),
        ([], [], ["县商务局"], "2024年6月底前"),
        # a unit's head is no person's name: the clause stays unread, and says so
        ([], [], [], None)]
    assert ts[3].text == "做好统计。（县发改委主任牵头，县统计局配合）"
    assert [(w.code, w.location.line) for w in result.warnings] == [("no_clause", 5)]


def test_a_bracket_inside_a_sentence_is_text_not_a_clause():
    t = tasks_of("""
        一、任务
        1.推动（教育部负责的）试点扩面，做好工作。（财政部负责）
    """)[0]
    assert t.text == "推动（教育部负责的）试点扩面，做好工作。"
    assert t.units == ["财政部"]


# --- 2. standing notes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("note", ["排在第一位的部门为牵头部门，下同", "列第一位者为牵头单位，下同", "首位单位为牵头单位，下同"])
def test_first_unit_leads_from_the_note_on(note):
    ts = tasks_of(f"""
        一、任务
        （一）甲事。做好。（教育部、财政部、人力资源社会保障部负责，{note}）
        （二）乙事。做好。（财政部、教育部负责）
        （三）丙事。（科技部负责）
    """)
    assert [(t.lead_units, t.units) for t in ts] == [
        (["教育部"], ["财政部", "人力资源社会保障部"]), (["财政部"], ["教育部"]), (["科技部"], [])]
    assert all("下同" not in u and "牵头" not in u for t in ts for u in t.units)


def test_note_after_a_full_stop_in_the_clause():
    ts = tasks_of("""
        一、任务
        （一）甲事。（教育部、财政部等负责。列第一位者为牵头单位，下同）
        （二）乙事。（财政部、教育部负责）（科技部、教育部负责）
    """)
    assert (ts[0].lead_units, ts[0].units) == (["教育部"], ["财政部"])
    # every clause's first unit leads; a unit that leads in one clause stays a lead only
    assert (ts[1].lead_units, ts[1].units) == (["财政部", "科技部"], ["教育部"])


@pytest.mark.parametrize("note, where", [("注：带*号的为牵头单位。", "below"), ("标★的单位为牵头单位。", "above")])
def test_units_marked_with_a_sign_lead_when_a_note_says_so(note, where):
    items = """
        1.推进项目建设。（责任单位：县发改委*、县财政局）
        2.做好招商。（责任单位：★县商务局、县发改委）
    """
    r = parse(note + "\n" + items if where == "above" else items + "\n" + note)
    assert [(t.text, t.lead_units, t.units) for t in r.tasks] == [
        ("推进项目建设。", ["县发改委"], ["县财政局"]), ("做好招商。", ["县商务局"], ["县发改委"])]
    assert not r.warnings


def test_a_sign_without_a_note_is_dropped_with_a_warning():
    r = parse("""
        1.推进项目建设。（责任单位：县发改委*、县财政局）
        2.做好招商。（责任单位：县商务局、县发改委）
    """)
    assert [(t.lead_units, t.units) for t in r.tasks] == [([], ["县发改委", "县财政局"]), ([], ["县商务局", "县发改委"])]
    assert [w.code for w in r.warnings] == ["mark_unexplained"]


# --- 3. role verbs ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("clause, lead, units", [
    ("（教育部会同有关部门负责）", ["教育部"], ["有关部门"]),
    ("（教育部、财政部会同科技部负责）", ["教育部", "财政部"], ["科技部"]),
    ("（教育部牵头负责）", ["教育部"], []),
    ("（县发改局牵头，县财政局配合落实）", ["县发改局"], ["县财政局"]),
    ("（县发改局牵头，县财政局、县审计局按照职责分工负责）", ["县发改局"], ["县财政局", "县审计局"]),
    ("（责任单位：县发改局牵头，县财政局等部门分工负责）", ["县发改局"], ["县财政局"]),
    ("（教育部指导，各省级人民政府负责）", [], ["教育部", "各省级人民政府"]),
    ("（由县财政局负责）", [], ["县财政局"]),
])
def test_state_council_role_verbs(clause, lead, units):
    t = tasks_of(f"一、任务\n1.做好工作。{clause}")[0]
    assert (t.lead_units, t.units) == (lead, units)
    assert t.text == "做好工作。"


# --- 4. lists that end in a collective ----------------------------------------------------------------

@pytest.mark.parametrize("clause, units", [
    ("（教育部、财政部等和各省级人民政府负责）", ["教育部", "财政部", "各省级人民政府"]),
    ("（责任单位：州委编办及州直相关单位）", ["州委编办", "州直相关单位"]),
    ("（各有关部门和单位负责）", ["各有关部门和单位"]),
    ("（责任单位：县直通民生及网格化建设指挥部）", ["县直通民生及网格化建设指挥部"]),
    ("（责任单位：县发改委、县财政局等12个部门）", ["县发改委", "县财政局"]),  # the count is no unit
    ("（责任单位：县发改委等三家单位）", ["县发改委"]),
])
def test_collectives(clause, units):
    assert tasks_of(f"一、任务\n1.做好工作。{clause}")[0].units == units


# --- 5. labels ---------------------------------------------------------------------------------------------

def test_labels_of_other_provinces():
    ts = tasks_of("""
        一、袁某某省长主抓重点工作
        1.甲事。
        牵头负责领导：刘某。
        牵头责任单位：省发展改革委。
        协同责任单位：省财政厅、省商务厅等。
        2.乙事。
        分管省领导：张某
        部门分工：省商务厅牵头，各地、各部门配合。
        时间要求：立即整改，长期坚持
        3.丙事。（牵头部门：市财政局；责任部门：市审计局；责任处室：预算处）
        4.丁事。（牵头单位：市财政局；参与单位：市审计局，6月底完成）
        5.戊事。（牵头单位：市财政局）
        整改时限：2023年12月底前
    """)
    assert [fields(t) for t in ts] == [
        (["刘某"], ["省发展改革委"], ["省财政厅", "省商务厅"], None),
        (["张某"], ["省商务厅"], ["各地", "各部门"], "立即整改，长期坚持"),
        (["袁某某"], ["市财政局"], ["市审计局", "预算处"], None),
        (["袁某某"], ["市财政局"], ["市审计局"], "6月底"),
        (["袁某某"], ["市财政局"], [], "2023年12月底前"),
    ]


def test_traditional_labels_and_units():
    t = tasks_of("""
        一、任務
        1.甲事。（牽頭單位：州行政審批服務局；責任單位：州司法局、州委編辦及州直相關單位，6月底完成）
    """)[0]
    assert fields(t) == ([], ["州行政審批服務局"], ["州司法局", "州委編辦", "州直相關單位"], "6月底")


def test_a_label_after_a_dash_starts_the_clause():
    ts = tasks_of("""
        一、经济发展
        1.推进项目建设，全年完成投资100亿元。——责任单位：县发改委、县财政局
        2.做好招商引资工作。——牵头单位：县商务局
    """)
    assert [t.text for t in ts] == ["推进项目建设，全年完成投资100亿元。", "做好招商引资工作。"]
    assert [(t.lead_units, t.units) for t in ts] == [([], ["县发改委", "县财政局"]), (["县商务局"], [])]


def test_labels_followed_by_wei_instead_of_a_colon():
    ts = tasks_of("""
        1.推进项目建设。（牵头单位为县发改委，配合单位为县财政局，完成时限为2023年6月底）
        2.做好招商。（牵头单位为县商务局）
    """)
    assert [(t.text, t.lead_units, t.units, t.deadline) for t in ts] == [
        ("推进项目建设。", ["县发改委"], ["县财政局"], "2023年6月底"), ("做好招商。", ["县商务局"], [], None)]


def test_a_responsible_person_is_kept_under_its_label_not_in_the_text():
    """"责任人：王五" names a person at the unit, not a 牵头领导: the task's extra keeps it (as a 责任人 table
    column is kept), and it is neither text, nor a leader, nor a unit."""
    ts = tasks_of("""
        一、经济发展
        1.扩大有效投资，加快重点项目建设。
        责任人：王五
        牵头单位：县发改委
        2.促进消费持续恢复。（牵头单位：县商务局，责任人：赵六）
        3.稳定外贸外资。（牵头单位：县商务局（责任人：钱七）；责任单位：县财政局）
    """)
    assert [(t.text, t.leaders, t.lead_units, t.units, t.extra) for t in ts] == [
        ("扩大有效投资，加快重点项目建设。", [], ["县发改委"], [], {"责任人": "王五"}),
        ("促进消费持续恢复。", [], ["县商务局"], [], {"责任人": "赵六"}),
        ("稳定外贸外资。", [], ["县商务局"], ["县财政局"], {"责任人": "钱七"})]
    assert parse("""
        一、经济发展
        1.促进消费。（牵头单位：县商务局，责任人：赵六）
    """).warnings == []


def test_a_label_before_the_task_text_is_no_text():
    """"具体任务：…" under a heading: the text goes on after the heading's words with a colon, as a table's
    two task columns are joined; the label itself is not text."""
    ts = tasks_of("""
        重点工作任务清单
        一、扩大有效投资
        具体任务：加快重点项目建设，全年完成投资50亿元。
        牵头领导：张三 牵头单位：县发改委 责任单位：县财政局
        二、促进消费。
        工作内容：举办消费季活动。
        牵头单位：县商务局
    """)
    assert [(t.id, t.text, t.leaders, t.lead_units, t.units) for t in ts] == [
        ("一", "扩大有效投资：加快重点项目建设，全年完成投资50亿元。", ["张三"], ["县发改委"], ["县财政局"]),
        ("二", "促进消费。举办消费季活动。", [], ["县商务局"], [])]
    # the labels are the words that name a table's task column (one vocabulary): 工作举措 too
    t = tasks_of("""
        一、扩大有效投资
        工作举措：加快重点项目建设。
        牵头单位：县发改委
    """)[0]
    assert t.text == "扩大有效投资：加快重点项目建设。"


def test_a_contact_person_inside_a_clause_is_kept_but_a_contact_line_is_no_clause():
    r = parse("""
        一、经济发展
        1.促进消费。（牵头单位：县商务局，联系人：王五，联系电话：0371-12345678）
        2.稳定外贸。（牵头单位：县商务局）
        请各责任单位于每月25日前报送进展，联系人：孙七，电话：0371-87654321。
    """)
    assert [(t.text, t.lead_units, t.units, t.extra) for t in r.tasks] == [
        ("促进消费。", ["县商务局"], [], {"联系人": "王五", "联系电话": "0371-12345678"}),
        ("稳定外贸。", ["县商务局"], [], {})]
    assert r.warnings == []  # before: two suspect-unit warnings for the contact fields


def test_short_labels_lead_and_help():
    """"（牵头：X；配合：Y）", "主办/协办", "主责/参与": the short forms of the labels.  Before, such a bracket was read as a
    list of names and gave units "牵头：县发改委"."""
    ts = tasks_of("""
        一、经济发展
        1.加快重点项目建设。（牵头：县发改委；配合：县财政局、县自然资源局）
        2.促进消费。（主办：县商务局；协办：县市场监管局）
        3.优化营商环境。（主责：县营商办；参与：县直各部门）
    """)
    assert [(t.lead_units, t.units) for t in ts] == [
        (["县发改委"], ["县财政局", "县自然资源局"]), (["县商务局"], ["县市场监管局"]), (["县营商办"], ["县直各部门"])]
    # a short label takes only a colon: "牵头为主" / "参与为补充" are words of a sentence, not labels
    r = parse("""
        一、经济发展
        1.推进工作。（县发改委牵头为主，县财政局配合）
        2.做好统计。（牵头单位：县统计局）
    """)
    assert [(t.lead_units, t.units) for t in r.tasks] == [([], []), (["县统计局"], [])]
    assert [w.code for w in r.warnings] == ["no_clause"]
    # a collective that goes on as a sentence is doubted, not listed
    r = parse("""
        一、经济发展
        1.做好统计。（牵头单位：县统计局，县直各部门参与为补充）
    """)
    assert (r.tasks[0].lead_units, r.tasks[0].units) == (["县统计局"], [])
    assert [w.code for w in r.warnings] == ["suspect_unit"]
    # a bracket with a colon that is no clause label is no list of names either
    t = tasks_of("""
        一、经济发展
        1.加快重点项目建设。（牵头单位：县发改委）
        2.推进专项债券。（分管：县财政局）
    """)[1]
    assert (t.text, t.units) == ("推进专项债券。（分管：县财政局）", [])
    # inside a clause, a piece with a colon is never listed as a unit: it is doubted, with a warning
    r = parse("""
        一、经济发展
        1.推进工作。（牵头单位：县发改委；责任单位：分管：县财政局）
    """)
    assert (r.tasks[0].lead_units, r.tasks[0].units) == (["县发改委"], [])
    assert [w.code for w in r.warnings] == ["suspect_unit"]


# --- 6. editorial sentences ------------------------------------------------------------------------------

def test_editorial_sentence_in_a_clause_is_dropped():
    t = tasks_of("""
        一、任务
        （一）加强市场体系建设。〔责任单位：省发展改革委、省市场监管局按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工，下同。〕
    """)[0]
    assert t.units == ["省发展改革委", "省市场监管局"]


# --- 7. numbering in the wild -----------------------------------------------------------------------------

@pytest.mark.parametrize("first, second", [("1﹒", "2﹒"), ("1．", "2．"), ("⒈", "⒉"), ("11。", "12。")])
def test_item_number_forms(first, second):
    ts = tasks_of(f"一、任务\n{first}甲事。（责任单位：县财政局）\n{second}乙事。（责任单位：县审计局）")
    assert [(t.text, t.units) for t in ts] == [("甲事。", ["县财政局"]), ("乙事。", ["县审计局"])]


def test_number_glued_to_a_year():
    ts = tasks_of("一、任务\n2.做好。（责任单位：县审计局）\n3.2023年底前完成改造。（责任单位：县审计局）")
    assert [(t.number, t.text) for t in ts] == [("2", "做好。"), ("3", "2023年底前完成改造。")]


def test_number_glued_to_a_decimal_when_the_sequence_proves_it():
    ts = tasks_of("""
        一、任务
        145.做好老年工作。
        牵头单位：县民政局
        146.65岁及以上老年人免费体检。
        牵头单位：县卫健局
    """)
    assert [(t.number, t.text, t.lead_units) for t in ts] == [
        ("145", "做好老年工作。", ["县民政局"]), ("146", "65岁及以上老年人免费体检。", ["县卫健局"])]


def test_items_run_together_on_one_line():
    ts = tasks_of("一、任务\n（一）加强建设。（县发改局牵头，县财政局配合）（二）培育产业。（县工信局负责）"
                  "(三)发展经济。县商务局牵头，县财政局配合(四)做好服务。（县政务服务中心负责）")
    assert [(t.number, t.text, t.lead_units, t.units) for t in ts] == [
        ("一", "加强建设。", ["县发改局"], ["县财政局"]),
        ("二", "培育产业。", [], ["县工信局"]),
        ("三", "发展经济。", ["县商务局"], ["县财政局"]),
        ("四", "做好服务。", [], ["县政务服务中心"]),
    ]


def test_run_in_parts_with_their_own_clauses_are_tasks():
    ts = tasks_of("""
        一、任务
        （一）加强建设。一是加快道路建设（责任单位：县交通局）；二是推进水利建设（责任单位：县水利局）。
        （二）做好服务。一是优化流程，二是提升效率。（责任单位：县政务服务中心）
    """)
    assert [(t.id, t.number, t.text, t.units) for t in ts] == [
        ("一.(一).一", "一", "加快道路建设", ["县交通局"]),
        ("一.(一).二", "二", "推进水利建设。", ["县水利局"]),
        ("一.(二)", "二", "做好服务。一是优化流程，二是提升效率。", ["县政务服务中心"]),
    ]
    assert ts[0].section == ["一、任务", "（一）加强建设。"]


def test_decimal_numbering_is_a_level_under_its_item():
    ts = tasks_of("""
        1.经济发展
        1.1推进项目建设。（责任单位：县发改委）
        1.2 做好招商，全年新增项目
        1.5万个。（责任单位：县商务局）
        2.社会事业
        2.1办好教育。（牵头单位：县教育局）
        2.3抓好医疗。（牵头单位：县卫健局）
    """)
    assert [(t.id, t.number, t.section, t.text) for t in ts] == [
        ("1.1", "1.1", ["1.经济发展"], "推进项目建设。"),
        ("1.2", "1.2", ["1.经济发展"], "做好招商，全年新增项目1.5万个。"),
        ("2.1", "2.1", ["2.社会事业"], "办好教育。"),
        ("2.3", "2.3", ["2.社会事业"], "抓好医疗。"),
    ]
    assert [(t.lead_units, t.units) for t in ts] == [
        ([], ["县发改委"]), ([], ["县商务局"]), (["县教育局"], []), (["县卫健局"], [])]


def test_decimal_items_under_titles_without_a_stop():
    ts = tasks_of("""
        1 总体要求
        1.1 推进项目建设。（责任单位：县发改委）
        1.2 做好招商。（责任单位：县商务局）
        2 保障措施
        2.1 强化督查。（责任单位：县政府督查室）
    """)
    assert [(t.id, t.section, t.text, t.units) for t in ts] == [
        ("1.1", ["1总体要求"], "推进项目建设。", ["县发改委"]),
        ("1.2", ["1总体要求"], "做好招商。", ["县商务局"]),
        ("2.1", ["2保障措施"], "强化督查。", ["县政府督查室"]),
    ]


@pytest.mark.parametrize("lead_in", ["", "——", "●"])
def test_unnumbered_items_right_under_a_heading(lead_in):
    ts = tasks_of(f"""
        一、经济发展
        {lead_in}推进项目建设，全年完成投资100亿元。（责任单位：县发改委）
        {lead_in}做好招商。（责任单位：县商务局）
        二、社会事业
        {lead_in}办好教育。（责任单位：县教育局）
    """)
    assert [(t.id, t.section, t.text, t.units) for t in ts] == [
        ("一.p1", ["一、经济发展"], "推进项目建设，全年完成投资100亿元。", ["县发改委"]),
        ("一.p2", ["一、经济发展"], "做好招商。", ["县商务局"]),
        ("二.p1", ["二、社会事业"], "办好教育。", ["县教育局"]),
    ]


def test_a_heading_wrapped_over_two_lines_stays_one_item():
    ts = tasks_of("""
        （一）关于推进重点项目建设和招商引资
        工作。（牵头单位：县发改委）
        （二）做好民生保障。（牵头单位：县民政局）
    """)
    assert [(t.id, t.text, t.lead_units) for t in ts] == [
        ("(一)", "关于推进重点项目建设和招商引资工作。", ["县发改委"]), ("(二)", "做好民生保障。", ["县民政局"])]


@pytest.mark.parametrize("bullet", ["——", "●", "◆", "★", "▲"])
def test_bulleted_items_with_their_clause_on_the_next_line(bullet):
    r = parse(f"""
        • 文号:某政办〔2024〕1号
        一、经济发展
        {bullet}推进工业发展。
        责任单位：县工信局
        {bullet}做好农业。
        责任单位：县农业农村局
        二、社会事业
        {bullet}办好教育。
        责任单位：县教育局
    """)
    assert r.notice.doc_number == "某政办〔2024〕1号"  # a bullet before the first heading is no item
    assert [(t.id, t.section, t.text, t.units) for t in r.tasks] == [
        ("一.p1", ["一、经济发展"], "推进工业发展。", ["县工信局"]),
        ("一.p2", ["一、经济发展"], "做好农业。", ["县农业农村局"]),
        ("二.p1", ["二、社会事业"], "办好教育。", ["县教育局"]),
    ]


@pytest.mark.parametrize("sep", ["    ", "；"])
def test_bulleted_items_under_part_headings_without_numbers(sep):
    """"第一部分 经济发展" is no numbered heading: a bullet below it is an item when its clause proves it
    (its own, or the line below); the star is the bullet, not text."""
    r = parse(f"""
        2026年全县重点工作责任分解
        第一部分 经济发展
        ★ 推动招商引资提质增效，全年引进亿元以上项目30个。
        县领导：陈某某{sep}责任单位：县投资促进中心{sep}协同单位：各乡镇、园区
        ★ 强化要素保障。（责任单位：县自然资源局）
        第二部分 民生保障
        ★ 新增城镇就业3000人。
        县领导：吴某某{sep}责任单位：县人社局
        ★ 联系我们
    """)
    assert [(t.id, t.section, t.text, t.leaders, t.units) for t in r.tasks] == [
        ("p1", ["第一部分经济发展"], "推动招商引资提质增效，全年引进亿元以上项目30个。", ["陈某某"],
         ["县投资促进中心", "各乡镇", "园区"]),
        ("p2", ["第一部分经济发展"], "强化要素保障。", [], ["县自然资源局"]),
        ("p3", ["第二部分民生保障"], "新增城镇就业3000人。", ["吴某某"], ["县人社局"]),
    ]


def test_bullets_after_the_last_task_are_no_items():
    ts = tasks_of("""
        一、经济发展
        1.推进工业发展。（责任单位：县工信局）
        2.做好农业。（责任单位：县农业农村局）
        ●联系我们
        ●关于本站
    """)
    assert [(t.id, t.text, t.units) for t in ts] == [
        ("一.1", "推进工业发展。", ["县工信局"]), ("一.2", "做好农业。", ["县农业农村局"])]


def test_items_numbered_in_words_first_second():
    """"第一，…" "第二，…": the innermost level, under whatever heading is open; the number goes from the text."""
    ts = tasks_of("""
        关于印发2024年重点工作任务分工的通知
        现将任务分工如下。
        第一，扩大有效投资。（牵头单位：县发改委；责任单位：县财政局）
        第二，促进消费持续恢复。（牵头单位：县商务局）
    """)
    assert [(t.id, t.number, t.text, t.lead_units, t.units) for t in ts] == [
        ("第一", "一", "扩大有效投资。", ["县发改委"], ["县财政局"]),
        ("第二", "二", "促进消费持续恢复。", ["县商务局"], [])]
    ts = tasks_of("""
        一、稳增长
        第一，扩大有效投资。（牵头单位：县发改委）
        第二，促进消费。（牵头单位：县商务局）
        二、促改革
        第一，深化国企改革。（牵头单位：县国资办）
        三、工作要求
        第一，提高认识。各单位要高度重视。
        第二，强化督查。县政府督查室要定期通报。
    """)
    assert [(t.id, t.section, t.text, t.lead_units) for t in ts] == [
        ("一.第一", ["一、稳增长"], "扩大有效投资。", ["县发改委"]),
        ("一.第二", ["一、稳增长"], "促进消费。", ["县商务局"]),
        ("二.第一", ["二、促改革"], "深化国企改革。", ["县国资办"])]
    ts = tasks_of("""
        2024年重点工作任务分解表
        任务一：扩大有效投资。（牵头单位：县发改委）
        任务二：促进消费持续恢复。（牵头单位：县商务局）
        事项3：稳定外贸。（牵头单位：县商务局）
    """)
    assert [(t.id, t.number, t.text, t.lead_units) for t in ts] == [
        ("任务一", "一", "扩大有效投资。", ["县发改委"]), ("任务二", "二", "促进消费持续恢复。", ["县商务局"]),
        ("事项3", "3", "稳定外贸。", ["县商务局"])]
    # a part heading "第一部分" is no item number
    assert [t.id for t in tasks_of("""
        第一部分 经济发展
        1.推进工业发展。（责任单位：县工信局）
    """)] == ["1"]


def test_paragraphs_with_a_labelled_clause_and_no_heading_at_all_are_items():
    ts = tasks_of("""
        关于印发2024年重点工作任务分工的通知
        各乡镇人民政府，县政府各部门：
        现将任务分工印发给你们，请认真抓好落实。
        加快重点项目建设，全年完成投资50亿元。（牵头单位：县发改委；责任单位：县财政局）
        促进消费持续恢复。（牵头单位：县商务局）
        县人民政府
        2024年3月1日
    """)
    assert [(t.id, t.text, t.lead_units, t.units) for t in ts] == [
        ("p1", "加快重点项目建设，全年完成投资50亿元。", ["县发改委"], ["县财政局"]),
        ("p2", "促进消费持续恢复。", ["县商务局"], [])]
    # before any item, a sentence that only ends in a role verb is the preamble, not a task
    assert tasks_of("""
        关于做好招商引资工作的通知
        县政府决定开展招商引资专项行动。县商务局牵头，各部门配合。
    """) == []


# --- 8. tables pasted as text -----------------------------------------------------------------------------

def test_table_one_cell_per_line_with_bars_and_an_empty_cell():
    ts = tasks_of("""
        序号 |
        主要工作举措 |
        牵头单位 |
        配合单位 |
        责任领导 |
        一、做大做强主导产业 |
        1 |
        加快构建现代化产业体系。 |
        区农业农村局 |
        区发展改革局、区工业和信息化局 |
        2 |
        加快在建项目建设进度。 |
        沈阳近海经济区管委会 |
        自然资源分局、生态环境分局 |
        冯冬昌 |
    """)
    assert [(t.number, t.text, t.leaders, t.lead_units, t.units, t.section) for t in ts] == [
        ("1", "加快构建现代化产业体系。", [], ["区农业农村局"], ["区发展改革局", "区工业和信息化局"], ["一、做大做强主导产业"]),
        ("2", "加快在建项目建设进度。", ["冯冬昌"], ["沈阳近海经济区管委会"], ["自然资源分局", "生态环境分局"],
         ["一、做大做强主导产业"]),
    ]


def test_table_with_leader_rows_blank_lines_and_padded_names():
    ts = tasks_of("""
        序号

        重点工作任务

        分管县领导

        牵头责任单位

        （一）王某副市长牵头重点工作

        80

        做好托育服务。

        陆 明俞 悦

        县教育局县卫健局
    """)
    assert [(t.number, t.leaders, t.lead_units) for t in ts] == [("80", ["陆明", "俞悦"], ["县教育局", "县卫健局"])]


def test_table_rows_with_cells_separated_by_spaces():
    ts = tasks_of("""
        2023年重点任务分解表
        序号 重点工作任务 牵头单位 配合单位 责任领导
        1 推进项目建设，完成投资10亿元。 县发改局 县财政局、县审计局 张三
        2 做好招商引资。 县商务局  王五
    """)
    assert [(t.text, t.leaders, t.lead_units, t.units) for t in ts] == [
        ("推进项目建设，完成投资10亿元。", ["张三"], ["县发改局"], ["县财政局", "县审计局"]),
        ("做好招商引资。", ["王五"], ["县商务局"], []),
    ]


def _aligned(rows: list[list[str]], starts: list[int], wide: bool) -> str:
    """Rows laid out in columns starting at ``starts``, padded as a PDF copy (a Chinese character one
    character wide) or an editor (two columns wide) would pad them."""
    def width(s: str) -> int:
        return len(s) + (sum(1 for c in s if "\u3400" <= c <= "\u9fff" or c in "，、（）") if wide else 0)
    out = []
    for row in rows:
        line = ""
        for at, cell in zip(starts, row):
            if cell:
                line += " " * max(1, at - width(line)) + cell
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("wide", [False, True])
def test_aligned_table_cells_that_go_on_over_the_next_line(wide):
    """A table copied from a PDF with its columns aligned by spaces: a cell too long for its column goes on
    under it on the next line (the task, and a unit list broken inside a name); a centred category row
    heads the rows below it."""
    text = _aligned([
        ["序号", "重点任务", "责任领导", "牵头单位", "配合单位", "完成时限"],
        ["1", "建设省级创新平台5个，新增国家", "孙某某", "市科技局", "市发改委、市财", "2026年12月"],
        ["", "级研发机构2家", "", "", "政局", ""],
        ["2", "高新技术企业净增50家", "孙某某", "市科技局", "市税务局", "2026年11月"],
        ["", "", "乡村振兴", "", "", ""],
        ["3", "新改建农村公路200公里", "郑某某", "市交通运输局", "各县区政府", "2026年12月"],
    ], [0, 6, 40, 52, 68, 90], wide)
    ts = tasks_of(text)
    assert [(t.number, t.section, t.text, t.leaders, t.lead_units, t.units, t.deadline) for t in ts] == [
        ("1", [], "建设省级创新平台5个，新增国家级研发机构2家", ["孙某某"], ["市科技局"], ["市发改委", "市财政局"],
         "2026年12月"),
        ("2", [], "高新技术企业净增50家", ["孙某某"], ["市科技局"], ["市税务局"], "2026年11月"),
        ("3", ["乡村振兴"], "新改建农村公路200公里", ["郑某某"], ["市交通运输局"], ["各县区政府"], "2026年12月"),
    ]


def test_a_time_limit_no_column_pattern_knows_keeps_its_row():
    """"汛期前" reads as no time limit: the row's cells still go to their columns (they were all lost)."""
    ts = tasks_of("""
        序号  重点任务                 责任领导    牵头单位      配合单位      完成时限
        1     推进水利工程建设         郭某某      县水利局      相关乡镇      汛期前
        2     做好防汛准备             郭某某      县应急局      县水利局      2026年5月底
    """)
    assert [(t.leaders, t.lead_units, t.units, t.deadline) for t in ts] == [
        (["郭某某"], ["县水利局"], ["相关乡镇"], "汛期前"), (["郭某某"], ["县应急局"], ["县水利局"], "2026年5月底")]


def test_tab_separated_row_whose_task_went_on_over_the_next_line():
    ts = tasks_of("序号\t重点任务\t责任领导\t牵头单位\t配合单位\t完成时限\n"
                  "1\t建设省级创新平台5个，新增国家\t孙某某\t市科技局\t市发改委\t2026年12月\n"
                  "\t级研发机构2家\t\t\t\t\n"
                  "2\t高新技术企业净增50家\t孙某某\t市科技局\t市税务局\t2026年11月")
    assert [(t.number, t.section, t.text, t.units) for t in ts] == [
        ("1", [], "建设省级创新平台5个，新增国家级研发机构2家", ["市发改委"]),
        ("2", [], "高新技术企业净增50家", ["市税务局"])]


@pytest.mark.parametrize("field, leaders", [
    ("牵头领导：县长", ["县长"]), ("责任领导：常务副县长", ["常务副县长"]), ("县领导：分管副县长", ["分管副县长"]),
    ("牵头领导：分管县领导", ["分管县领导"]), ("牵头领导：王某副县长", ["王某"]),
    ("牵头领导：副县长 刘某", ["刘某"]), ("牵头领导：县长、常务副县长李某", ["李某"]),
])
def test_a_leader_field_that_names_only_an_office_keeps_the_office(field, leaders):
    """Titles go from leaders' names; a field with no name at all keeps the office it names (it was left
    blank, and "分管副县长" became the name "分管")."""
    r = parse(f"一、经济发展\n1.推进项目建设。\n{field}\n牵头单位：县发改局")
    assert [(t.leaders, t.lead_units) for t in r.tasks] == [(leaders, ["县发改局"])]
    assert r.warnings == []


def test_a_label_spaced_out_letter_by_letter_inside_an_item_line():
    """"牵 头 单 位：" (a PDF's letter-spacing) after the task on the same line is the item's clause; the unit
    list after it is separated by spaces."""
    ts = tasks_of("""
        一、优化营商环境
        (1)推行“证照分离”改革全覆盖。牵 头 单 位：县市场监管局  配 合 单 位：县政务服务中心 县司法局
        (2)开展营商环境评价。责任单位：县发改局
    """)
    assert [(t.text, t.lead_units, t.units) for t in ts] == [
        ("推行“证照分离”改革全覆盖。", ["县市场监管局"], ["县政务服务中心", "县司法局"]),
        ("开展营商环境评价。", [], ["县发改局"])]


def test_a_clause_on_the_last_items_own_line_is_not_shared_by_the_group():
    """The clause of "(2)开展评价。责任单位：县发改局" is item (2)'s, though the line reader puts the label on a
    line of its own: item (1) has none (it used to get 县发改局); a clause line after the group is still shared."""
    r = parse("""
        一、优化营商环境
        (1)推行改革全覆盖。
        (2)开展评价。责任单位：县发改局
        二、其他
        1.甲。
        2.乙。
        责任单位：县财政局
    """)
    assert [(t.id, t.units) for t in r.tasks] == [
        ("一.(1)", []), ("一.(2)", ["县发改局"]), ("二.1", ["县财政局"]), ("二.2", ["县财政局"])]
    assert [w.code for w in r.warnings] == ["no_clause"]


@pytest.mark.parametrize("bracket, lead, units, deadline", [
    ("（县农业农村局牵头；各乡镇配合；时限：2026年底）", ["县农业农村局"], ["各乡镇"], "2026年底"),
    ("（县农业农村局牵头，各乡镇配合，完成时限：2026年底）", ["县农业农村局"], ["各乡镇"], "2026年底"),
    ("（县农业农村局牵头；配合单位：各乡镇）", ["县农业农村局"], ["各乡镇"], None),
])
def test_a_role_verb_bracket_with_a_labelled_field_in_it(bracket, lead, units, deadline):
    """"X牵头，Y配合" with a labelled part ("时限：…") is still the item's clause (it stayed in the text)."""
    r = parse(f"一、重点项目\n1.推进乡村振兴示范村建设。{bracket}\n2.做好改厕。（县财政局负责）")
    t = r.tasks[0]
    assert (t.text, t.lead_units, t.units, t.deadline) == ("推进乡村振兴示范村建设。", lead, units, deadline)
    assert r.warnings == []


@pytest.mark.parametrize("label, units, extra", [
    ("协助部门", ["镇应急办", "各村（社区）"], {}),
    ("帮扶部门", ["镇应急办"], {"帮扶部门": "各村（社区）"}),  # a label no role knows: a field of the task
])
def test_field_lines_of_a_town_list_and_its_signature(label, units, extra):
    """A town's list: fields on lines of their own; a field whose value ends in a bracket is no new item
    (it became item p1 and took the next field), and the signature below the last field is no part of it
    (the time limit read "长期坚持XX镇人民政府")."""
    r = parse(f"""
        关于印发2026年全镇重点工作任务清单的通知
        1.抓好森林防火工作。
        分管领导：李某
        责任部门：镇应急办
        {label}：各村（社区）
        完成时间：全年
        2.做好退役军人服务保障。
        分管领导：赵某
        责任部门：镇退役军人服务站
        完成时间：长期坚持
        XX镇人民政府
        2026年3月1日
    """)
    assert [(t.id, t.leaders, t.units, t.deadline, t.extra) for t in r.tasks] == [
        ("1", ["李某"], units, "全年", extra), ("2", ["赵某"], ["镇退役军人服务站"], "长期坚持", {})]
    assert r.notice.issuer == "XX镇人民政府"


@pytest.mark.parametrize("clause", [
    "（县发改局牵头、县财政局配合）", "\n责任单位：县发改局牵头、县财政局配合", "（县发改局牵头负责、县财政局参与）",
])
def test_a_lead_verb_before_a_list_comma(clause):
    """"X牵头、Y配合": the lead's part ends at its verb as at a comma (the unit read "县发改局牵头")."""
    ts = tasks_of(f"一、项目建设\n1.推进工作。{clause}")
    assert [(t.lead_units, t.units) for t in ts] == [(["县发改局"], ["县财政局"])]


@pytest.mark.parametrize("sep", ["，", "、"])
def test_a_shared_lead_verb_is_no_part_of_the_last_leads_name(sep):
    ts = tasks_of(f"一、项目建设\n1.推进工作。（县发改局、县住建局共同牵头{sep}县财政局配合）")
    assert [(t.lead_units, t.units) for t in ts] == [(["县发改局", "县住建局"], ["县财政局"])]  # not "县住建局共同"


def test_a_label_alone_on_its_line_takes_the_next_line_as_its_value():
    """"牵头单位：" then "县发改局" on the next line (a PDF or Word layout): the units were read as the task's
    text, and item 1 then got item 2's 牵头单位 as a group clause."""
    r = parse("""
        一、项目建设
        1.推进重大项目建设。
        牵头单位：
        县发改局
        责任单位：
        县财政局、县住建局
        2.强化要素保障。
        牵头单位：县自然资源局
    """)
    assert [(t.text, t.lead_units, t.units) for t in r.tasks] == [
        ("推进重大项目建设。", ["县发改局"], ["县财政局", "县住建局"]), ("强化要素保障。", ["县自然资源局"], [])]
    assert r.warnings == []


@pytest.mark.parametrize("title", ["2026年全市重点改革任务台账", "2026年重点工作责任分工表", "2026年目标责任书"])
def test_a_ledger_title_is_the_notices_title_not_a_section(title):
    r = parse(f"{title}\n一、经济体制改革\n1.深化国资国企改革。（牵头单位：市国资委）")
    assert r.notice.title == title
    assert [t.section for t in r.tasks] == [["一、经济体制改革"]]  # it headed every task's section


@pytest.mark.parametrize("clause, lead, units, deadline, extra", [
    ("\n责任单位：县发改局（2026年6月底前）", [], ["县发改局"], "2026年6月底前", {}),
    ("\n责任单位：县发改局、县财政局（2026年6月底前完成）", [], ["县发改局", "县财政局"], "2026年6月底前", {}),
    ("（县发改局牵头，县财政局配合（2026年底前））", ["县发改局"], ["县财政局"], "2026年底前", {}),
    ("\n牵头单位：县发改局（负责人：王某某）", ["县发改局"], [], None, {"负责人": "王某某"}),
    ("\n责任单位：县委组织部（县委老干部局）", [], ["县委组织部（县委老干部局）"], None, {}),  # a second name stays
])
def test_a_bracket_after_a_unit_that_is_a_time_limit_or_a_person(clause, lead, units, deadline, extra):
    """"县发改局（2026年6月底前）" was a unit of that name (and a State-Council clause with it no clause at all);
    "（负责人：王某某）" was part of the unit's name."""
    r = parse(f"一、项目建设\n1.推进工作。{clause}\n2.做好保障。（县财政局负责）")
    t = r.tasks[0]
    assert (t.text, t.lead_units, t.units, t.deadline, t.extra) == ("推进工作。", lead, units, deadline, extra)


def test_the_attachment_list_after_the_last_task_is_no_task():
    """"附件：1.任务进度表" then "2.联系人名单": the second name became task 二.2 (with a numbering-gap warning)."""
    r = parse("""
        一、经济发展
        1.规上工业增加值增长8%。
        责任单位：县工信局
        二、社会事业
        2.新建学校3所。
        责任单位：县教体局
        附件：1.任务进度表
        2.联系人名单
        3.填报说明
    """)
    assert [(t.id, t.text) for t in r.tasks] == [("一.1", "规上工业增加值增长8%。"), ("二.2", "新建学校3所。")]
    assert r.warnings == []


def test_a_header_alone_is_not_a_table():
    ts = tasks_of("序号\n重点工作任务\n责任单位\n各单位要高度重视，认真落实。")
    assert ts == []


def test_a_category_column_printed_once_holds_for_the_rows_below():
    ts = tasks_of("""
        | 序号 | 重点工作 | 具体任务 | 责任领导 | 牵头单位 | 责任单位 | 完成时限 |
        |---|---|---|---|---|---|---|
        | 1 | 经济发展 | 推进项目建设 | 张三 | 县发改委 | 县财政局 | 2024年底 |
        | 2 |  | 做好招商 | 张三 | 县商务局 | 县发改委 | 2024年6月 |
        | 3 | 社会事业 | 办好教育 | 李四 | 县教育局 | 各乡镇 | 长期 |
    """)
    assert [(t.text, t.leaders, t.lead_units, t.units, t.deadline) for t in ts] == [
        ("经济发展：推进项目建设", ["张三"], ["县发改委"], ["县财政局"], "2024年底"),
        ("经济发展：做好招商", ["张三"], ["县商务局"], ["县发改委"], "2024年6月"),
        ("社会事业：办好教育", ["李四"], ["县教育局"], ["各乡镇"], "长期"),
    ]


# --- 9. unit headings -------------------------------------------------------------------------------------

def test_a_heading_naming_the_unit_in_charge_gives_it_to_the_items_below():
    """"三、县教育局负责" / "县教育局负责的工作": the unit, not a lead (as "X负责" in a clause); before, no task."""
    ts = tasks_of("""
        一、县发改委牵头（1项）
        1.加快重点项目建设。
        二、县教育局负责
        2.办好教育。
        县卫健局负责的工作
        3.推进医改。
    """)
    assert [(t.id, t.lead_units, t.units) for t in ts] == [
        ("一.1", ["县发改委"], []), ("二.2", [], ["县教育局"]), ("3", [], ["县卫健局"])]


def test_unit_headings_give_their_unit_to_the_items_below():
    ts = tasks_of("""
        县教育局工作任务清单
        1.推进学前教育。
        2.做好义务教育。
        县卫健局2023年目标责任书
        1.推进医改。
    """)
    assert [(t.text, t.units) for t in ts] == [
        ("推进学前教育。", ["县教育局"]), ("做好义务教育。", ["县教育局"]), ("推进医改。", ["县卫健局"])]


def test_the_notices_own_title_is_not_a_unit_heading():
    ts = tasks_of("2021年金乡县政府重要工作事项责任分工\n一、指导思想\n以习近平新时代中国特色社会主义思想为指导。")
    assert ts == []


@pytest.mark.parametrize("first, second", [("一、县发改委（2项）", "二、县商务局（1项）"), ("一、县发改委", "二、县商务局"),
                                           ("县发改委：", "县商务局：")])
def test_headings_that_are_only_a_unit_name(first, second):
    ts = tasks_of(f"""
        {first}
        1.推进项目建设。
        2.做好规划。
        {second}
        1.做好招商。
    """)
    assert [(t.text, t.units, t.lead_units) for t in ts] == [
        ("推进项目建设。", ["县发改委"], []), ("做好规划。", ["县发改委"], []), ("做好招商。", ["县商务局"], [])]


def test_an_issuer_or_a_topic_is_no_unit_heading():
    ts = tasks_of("""
        某某县人民政府
        一、产业园
        1.推进项目建设。（责任单位：县财政局）
        2.做好规划。
        二、县人民政府
        1.做好服务。
    """)
    # 做好规划 sits among siblings with clauses: a task without units (and a no_clause warning), not 产业园's;
    # the issuer heading gives no unit either, so 做好服务 is no task
    assert [(t.text, t.units) for t in ts] == [("推进项目建设。", ["县财政局"]), ("做好规划。", [])]


def test_a_heading_that_names_the_lead_leads_its_items():
    ts = tasks_of("""
        （一）推进项目建设（牵头单位：县发改委）
        1.抓好重点项目。（配合单位：县财政局）
        2.做好前期工作。（配合单位：县自然资源局）
        二、由县商务局牵头的重点工作（2项）
        1.开展招商活动。
        2.优化营商环境。（配合单位：县发改委）
    """)
    assert [(t.text, t.lead_units, t.units) for t in ts] == [
        ("抓好重点项目。", ["县发改委"], ["县财政局"]), ("做好前期工作。", ["县发改委"], ["县自然资源局"]),
        # item 2's clause is inside its own line: it is item 2's, not shared with item 1
        ("开展招商活动。", ["县商务局"], []), ("优化营商环境。", ["县商务局"], ["县发改委"])]


# --- 10. web and crawler chrome ------------------------------------------------------------------------------

@pytest.mark.parametrize("footer", [
    "主办单位：某某县人民政府办公室 | 分享到：微信 微博\n承办：某某县大数据中心",
    "主办单位：某某县人民政府办公室\n承办单位：某某县信息中心\n网站标识码：3412000001",
])
def test_site_footer_never_becomes_a_unit(footer):
    ts = tasks_of("一、任务\n1.做好工作。\n牵头单位：县财政局\n2.推进改革。\n牵头单位：县审计局\n" + footer)
    assert [t.lead_units for t in ts] == [["县财政局"], ["县审计局"]]
    assert all(not t.units for t in ts)


def test_leaked_markup_is_removed():
    ts = tasks_of('一、任务</p><p align="left">\n1.做好工作。（责任单位：县财政局）</p><p align="left">\n'
                  "2.推进改革。&nbsp;（责任单位：县审计局）")
    assert [t.text for t in ts] == ["做好工作。", "推进改革。"]
    assert ts[0].section == ["一、任务"]


# --- 11. a whole notice on one line ---------------------------------------------------------------------

def test_whole_notice_on_one_line():
    ts = tasks_of("关于印发2023年重点工作任务分解的通知 各乡镇人民政府： 现将任务印发给你们。 一、经济发展 "
                  "1.推进项目建设。（牵头单位：县发改局；责任单位：县财政局） 2.加快园区建设。（牵头单位：县工信局） "
                  "3.做好招商引资。（牵头单位：县商务局） 二、社会事业 1.办好教育。（牵头单位：县教育局） "
                  "某某县人民政府办公室 2023年2月1日")
    assert [(t.id, t.lead_units) for t in ts] == [
        ("一.1", ["县发改局"]), ("一.2", ["县工信局"]), ("一.3", ["县商务局"]), ("二.1", ["县教育局"])]
    assert ts[0].units == ["县财政局"]


# --- what must hold: a unit is a name, never a fragment ------------------------------------------------------

def test_sentence_fragments_are_not_units_and_are_warned():
    r = parse("""
        一、任务
        1.做好工作。（责任单位：县财政局、完成投资5亿元以上、确保全年新增就业岗位不少于3000个并持续推进）
    """)
    assert r.tasks[0].units == ["县财政局"]
    codes = [(w.code, w.location.line) for w in r.warnings]
    assert codes.count(("suspect_unit", 2)) == 2


# --- more forms of other provinces ---------------------------------------------------------------------

def test_leader_headings_in_more_words():
    ts = tasks_of("""
        一、由张三副市长牵头负责的工作
        1.做好甲。（责任单位：市财政局）
        二、李四同志牵头
        1.做好乙。（责任单位：市财政局）
        三、王五常务副市长分管领域
        1.做好丙。（责任单位：市财政局）
    """)
    assert [t.leaders for t in ts] == [["张三"], ["李四"], ["王五"]]


def test_labels_in_lenticular_brackets_without_a_colon():
    ts = tasks_of("""
        一、任务
        1.做好甲。
        【牵头单位】县财政局
        【责任单位】县审计局、县统计局
        【完成时限】2023年6月底
        2.做好乙。【牵头单位】县发改局【责任单位】县商务局
    """)
    assert [fields(t) for t in ts] == [([], ["县财政局"], ["县审计局", "县统计局"], "2023年6月底"),
                                       ([], ["县发改局"], ["县商务局"], None)]
    assert [t.text for t in ts] == ["做好甲。", "做好乙。"]


def test_unbracketed_state_council_sentence_with_a_time_limit():
    t = tasks_of("一、任务\n1.做好甲。由县财政局牵头，县审计局、县统计局配合，2023年底前完成。\n2.做好乙。（县发改局负责）")[0]
    assert (t.text, t.lead_units, t.units, t.deadline) == ("做好甲。", ["县财政局"], ["县审计局", "县统计局"], "2023年底前")


def test_a_date_in_the_task_sentence_stays_text():
    t = tasks_of("一、任务\n1.确保项目2023年底前完成。（责任单位：县发改局）")[0]
    assert (t.text, t.deadline) == ("确保项目2023年底前完成。", None)


def test_pasted_table_without_a_number_column_ends_at_the_signature():
    ts = tasks_of("""
        重点工作任务
        牵头单位
        责任单位
        推进项目建设，完成投资10亿元。
        县发改局
        县财政局、县审计局
        加快园区建设。
        县工信局
        县商务局
        做好招商引资工作。
        县商务局

        某某县人民政府办公室
        2023年2月1日
    """)
    assert [(t.number, t.text, t.lead_units, t.units) for t in ts] == [
        ("1", "推进项目建设，完成投资10亿元。", ["县发改局"], ["县财政局", "县审计局"]),
        ("2", "加快园区建设。", ["县工信局"], ["县商务局"]),
        ("3", "做好招商引资工作。", ["县商务局"], []),
    ]


@pytest.mark.parametrize("signer", ["金乡县人民政府办公室", "金乡县人民政府", "金乡县发展和改革局"])
def test_signature_after_an_item_whose_clause_is_its_last_sentence(signer):
    """The notice's signature right after the last item: when that item's clause is a sentence at
    its end (no bracket, no label line), the issuer's name is not more of its text."""
    r = parse(f"""
        一、稳增长
        1.加快重大项目建设。（县发改局牵头）
        2.优化营商环境。县发改局牵头，县市场监管局等按职责分工负责。
        {signer}
        2025年2月10日
        """)
    t = r.tasks[1]
    assert t.id == "一.2" and t.text == "优化营商环境。"
    assert fields(t) == ([], ["县发改局"], ["县市场监管局"], None)
    assert r.notice.date == "2025-02-10" and len(r.tasks) == 2


def test_an_organisation_line_without_a_date_below_stays_text():
    """Only a name right above the date line signs: a wrapped line ending in an office's name is text."""
    ts = tasks_of("""
        一、稳增长
        1.完善重大项目调度机制，调度情况每月报送县人民政府办公室
        汇总。县发改局牵头，县财政局配合。
        """)
    assert ts[0].text == "完善重大项目调度机制，调度情况每月报送县人民政府办公室汇总。"
    assert fields(ts[0]) == ([], ["县发改局"], ["县财政局"], None)


# --- lines right below a clause line --------------------------------------------------------------------

def test_a_time_line_below_the_clause_is_its_time_limit():
    """"时间：" (short for 完成时间) read inside a clause and on the line right below the clause line;
    before, the line below vanished and the bracketed one was a suspect unit."""
    ts = tasks_of("""
        一、稳增长
        1.加快重大项目建设。
        责任单位：县发改局
        时间：2025年6月底
        2.扩大消费。（责任单位：县商务局；时间：2025年9月）
        3.深化“一网通办”。责任单位：市政务服务管理局、市大数据局。时间：2025年6月
        """)
    assert [fields(t) for t in ts] == [
        ([], [], ["县发改局"], "2025年6月底"),
        ([], [], ["县商务局"], "2025年9月"),
        ([], [], ["市政务服务管理局", "市大数据局"], "2025年6月"),
    ]
    assert [t.due.date for t in ts] == ["2025-06-30", "2025-09-30", "2025-06-30"]


def test_a_web_pages_time_line_starts_no_clause():
    """A page's "时间:2021-05-14 来源:本网" line is no clause: no orphan-clause warning, no deadline."""
    r = parse("""
        关于印发2021年重点工作分工的通知
        时间:2021-05-14 22:01:43 来源:本网原创稿
        一、稳增长
        1.加快重大项目建设。（责任单位：县发改局）
        """)
    assert [w.code for w in r.warnings] == []
    assert r.tasks[0].deadline is None and r.tasks[0].units == ["县发改局"]


def test_a_labelled_line_below_the_clause_is_kept_in_extra():
    """"备注：…" right below the clause line (before: dropped without a word) is a field of the task, as a
    table's 备注 column is; two such lines are two fields; text further down is not."""
    r = parse("""
        一、稳增长
        1.加快重大项目建设。
        责任单位：县发改局
        备注：需报县政府审定
        完成标志：项目开工
        2.扩大消费。
        责任单位：县商务局
        """)
    a, b = r.tasks
    assert a.extra == {"备注": "需报县政府审定", "完成标志": "项目开工"} and a.units == ["县发改局"]
    assert b.extra == {} and b.units == ["县商务局"] and b.text == "扩大消费。"
    assert r.warnings == []


def test_a_task_label_below_the_clause_is_kept_and_doubted():
    """"工作任务：…" right below a task's clause may be the next task in a form not read: its text is
    kept in extra and the task says so (before: the line vanished and its units joined the task above
    without a word)."""
    r = parse("""
        一、稳增长
        工作任务：推进项目建设。
        责任单位：县发改局
        工作任务：完善调度机制。
        责任单位：县统计局
        """)
    (t,) = r.tasks
    assert t.extra == {"工作任务": "完善调度机制。"}
    (w,) = r.warnings
    assert w.code == "text_after_clause" and w.location.line == 4
    assert w.message == "任务 一 的分工之后另有一行“工作任务：”，已存入附加字段；如是另一项任务，请核对原文"
    from taskparse import messages
    messages.set_language("en")
    try:
        assert messages.warning_text(w.code, w.message) == ("in task 一, a line “工作任务:” follows the clause; kept in "
                                                            "extra — if it is another task, check the original")
    finally:
        messages.set_language("zh")


def test_a_labelled_paragraph_with_its_own_clause_below_a_clause_is_an_item():
    """A line below a clause line that carries a clause of its own is an item without a number, not a
    field of the task above."""
    ts = tasks_of("""
        一、稳增长
        1.加快重大项目建设。
        责任单位：县发改局
        重点项目：加快建设高铁站。（县交通局牵头）
        2.扩大消费。
        责任单位：县商务局
        """)
    assert [(t.id, t.text, t.lead_units, t.units, t.extra) for t in ts] == [
        ("一.1", "加快重大项目建设。", [], ["县发改局"], {}),
        ("一.p1", "重点项目：加快建设高铁站。", ["县交通局"], [], {}),
        ("一.2", "扩大消费。", [], ["县商务局"], {}),
    ]
