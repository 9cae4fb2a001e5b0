"""Each clause style and cleanup rule on small notices composed for the purpose."""
from __future__ import annotations

import textwrap

import pytest

import taskparse


def tasks_of(text: str):
    return taskparse.parse_text(textwrap.dedent(text).strip("\n")).tasks


def one(text: str):
    ts = tasks_of(text)
    assert len(ts) == 1, [t.text for t in ts]
    return ts[0]


# --- clause styles -----------------------------------------------------------------------------

def test_inline_clause_half_and_full_width():
    ts = tasks_of("""
        一、工作重点
        1.推进园区建设。(责任单位:县发改局、商务局等,各产业园)
        2．完善路网。（责任单位：县交通局、住建局）
    """)
    assert [t.units for t in ts] == [["县发改局", "商务局", "各产业园"], ["县交通局", "住建局"]]
    assert [t.text for t in ts] == ["推进园区建设。", "完善路网。"]
    assert ts[0].clause == "责任单位:县发改局、商务局等,各产业园"


def test_label_lines_lead_and_units():
    t = one("""
        一、重点任务
        1.新增国土绿化面积5300亩。
        牵头单位：市林业局
        责任单位：各乡镇政府、街道办事处
    """)
    assert t.lead_units == ["市林业局"]
    assert t.units == ["各乡镇政府", "街道办事处"]


def test_leader_and_undertaking_units_in_one_bracket():
    t = one("""
        二、抓好疫情防控
        1、加强公共卫生体系建设。（牵头领导：寇宁、孙恒民。承办单位：区卫生健康局、大安镇等，各镇街）
    """)
    assert t.leaders == ["寇宁", "孙恒民"]
    assert t.units == ["区卫生健康局", "大安镇", "各镇街"]


def test_responsible_leader_label_and_titles_dropped():
    t = one("""
        一、重点工作
        1.推进改革。（责任领导：王宏副市长。责任单位：市发改委）
    """)
    assert t.leaders == ["王宏"]


def test_leader_heading_gives_leaders_to_items_below():
    ts = tasks_of("""
        一、王丹县长牵头重点工作
        1.全县生产总值增长7.5%左右。
        责任单位：县发改局
        二、曹惠明常务副县长牵头重点工作
        1.坚持集体学法。
        责任单位：县司法局
    """)
    assert [t.leaders for t in ts] == [["王丹"], ["曹惠明"]]
    assert ts[0].text == "全县生产总值增长7.5%左右。"


def test_heading_without_a_title_is_not_a_leader():
    t = one("""
        一、产业发展牵头工作
        1.做大产业。（责任单位：县工信局）
    """)
    assert t.leaders == []


@pytest.mark.parametrize("clause, lead, units", [
    ("（国家发展改革委、商务部牵头，财政部、人力资源社会保障部等按职责分工负责）",
     ["国家发展改革委", "商务部"], ["财政部", "人力资源社会保障部"]),
    ("（财政部、国家发展改革委负责）", [], ["财政部", "国家发展改革委"]),
    ("（商务部牵头，工业和信息化部参与）", ["商务部"], ["工业和信息化部"]),
    ("（市场监管总局牵头，各地区各部门配合）", ["市场监管总局"], ["各地区各部门"]),
])
def test_state_council_style(clause, lead, units):
    t = one(f"一、扩大内需\n1.培育新型消费。{clause}")
    assert (t.lead_units, t.units) == (lead, units)
    assert t.text == "培育新型消费。"


def test_parenthetical_in_text_is_not_a_clause():
    t = one("一、民生\n1.新建学校（含幼儿园）3所。（责任单位：县教育局）")
    assert t.text == "新建学校（含幼儿园）3所。"
    assert t.units == ["县教育局"]


def test_other_labels():
    t = one("""
        一、重点任务
        1.加快招商。
        牵头部门：市商务局
        配合单位：市投促中心；协办单位：市发改委
        参与单位：各县区
    """)
    assert t.lead_units == ["市商务局"]
    assert t.units == ["市投促中心", "市发改委", "各县区"]


def test_traditional_labels():
    t = one("一、重點工作\n1.推進鄉村振興。（牽頭單位：市農業農村局；責任單位：市財政局、市水務局）")
    assert t.lead_units == ["市農業農村局"]
    assert t.units == ["市財政局", "市水務局"]


# --- standing notes ------------------------------------------------------------------------------

def test_first_unit_is_lead_from_the_note_on():
    ts = tasks_of("""
        一、王丹县长牵头重点工作
        1.全县生产总值增长7.5%左右。
        责任单位：县发改局（首位单位为牵头单位，下同）、县财政局、县税务局
        2.节俭办一切事业。
        责任单位：县财政局、县审计局
    """)
    assert [(t.lead_units, t.units) for t in ts] == [
        (["县发改局"], ["县财政局", "县税务局"]), (["县财政局"], ["县审计局"])]


def test_first_unit_note_in_the_preamble():
    ts = tasks_of("""
        关于印发2023年重点工作责任分工的通知
        现将分工印发给你们（排在第一位的部门为牵头部门，下同）。
        1、深化改革。责任单位：区政务服务中心、区司法局
    """)
    assert (ts[0].lead_units, ts[0].units) == (["区政务服务中心"], ["区司法局"])


def test_a_unit_set_off_by_a_comma_is_not_a_lead():
    t = one("一、工作\n1.推进。（责任单位：县委组织部，县农业农村局、乡村振兴局等，各镇街）")
    assert t.lead_units == []
    assert t.units == ["县委组织部", "县农业农村局", "乡村振兴局", "各镇街"]


def test_bold_lead_from_bold_spans():
    from taskparse.document import Document, Line

    text = "1、加强防控。（牵头领导：寇宁。承办单位：区卫生健康局、大安镇，各镇街。黑体为主办单位，其他为协办单位，下同）"
    start = text.index("区卫生健康局")
    doc = Document(blocks=[Line("二、疫情防控", 1, bold=True),
                           Line(text, 2, bold_spans=((start, start + len("区卫生健康局")),))],
                   format="docx", has_bold=True)
    t = taskparse.parse_document(doc).tasks[0]
    assert t.lead_units == ["区卫生健康局"]
    assert t.units == ["大安镇", "各镇街"]
    assert t.leaders == ["寇宁"]


# --- units -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("units, want", [
    ("街道办事处及伏羲山管委会", ["街道办事处", "伏羲山管委会"]),
    ("县直通民生及网格化建设指挥部", ["县直通民生及网格化建设指挥部"]),
    ("自然资源和规划局、住房和城乡建设局", ["自然资源和规划局", "住房和城乡建设局"]),
    ("各县（市、区）人民政府", ["各县（市、区）人民政府"]),
    ("县交通建设（港航经济）指挥部、各镇卫生院（社区卫生服务中心）", ["县交通建设（港航经济）指挥部", "各镇卫生院（社区卫生服务中心）"]),
    ("武原街道（县城投集团）", ["武原街道（县城投集团）"]),
    ("各乡镇政府、伏羲山管委会（青屏街办事处、矿区办事处除外）", ["各乡镇政府", "伏羲山管委会"]),
    ("市财政局等有关部门", ["市财政局"]),
    ("各级各部门、安委会各成员单位", ["各级各部门", "安委会各成员单位"]),
    ("市教育局、市教育局、市财政局", ["市教育局", "市财政局"]),
])
def test_unit_splitting(units, want):
    assert one(f"一、任务\n1.做好工作。（责任单位：{units}）").units == want


# --- deadlines ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("clause, want", [
    ("（责任单位：区应急局；完成时限：6月底前）", "6月底前"),
    # a time limit as the last element of a clause gives the date, not the verb (corpus excerpt 009: 6月底完成 → 6月底)
    ("（商务部牵头，财政部参与，2024年6月底前完成）", "2024年6月底前"),
    ("（牽頭單位：州行政審批服務局；責任單位：州司法局，6月底完成）", "6月底"),
    ("（整改时限：立即整改，长期坚持）", "立即整改，长期坚持"),
    ("\n责任单位：市商务局\n时限：长期坚持", "长期坚持"),
    ("（责任单位：市商务局）", None),
])
def test_deadline(clause, want):
    assert one(f"一、任务\n1.确保年底前建成10个项目。{clause}").deadline == want


# --- structure -------------------------------------------------------------------------------------

def test_sub_items_share_a_clause_written_after_the_group():
    ts = tasks_of("""
        一、城市建设
        1.实施城市更新行动：
        （1）改造老旧小区30个；
        （2）新建停车泊位2000个。
        牵头单位：市住建局
        责任单位：市城管局
    """)
    assert [t.text for t in ts] == ["改造老旧小区30个；", "新建停车泊位2000个。"]
    assert all(t.lead_units == ["市住建局"] and t.units == ["市城管局"] for t in ts)
    assert ts[0].section == ["一、城市建设", "1.实施城市更新行动："]
    assert ts[0].id == "一.1.(1)"


def test_a_clause_inside_the_last_items_line_is_its_own_not_the_groups():
    ts = taskparse.parse_text(textwrap.dedent("""
        一、经济发展
        1.加快重点项目建设。
        2.推进专项债券项目。
        3.稳定外贸外资。（牵头单位：县商务局）
    """).strip("\n"))
    assert [(t.id, t.lead_units) for t in ts.tasks] == [("一.1", []), ("一.2", []), ("一.3", ["县商务局"])]
    assert [(w.code, w.location.line) for w in ts.warnings] == [("no_clause", 2), ("no_clause", 3)]
    # a bracket on a line of its own after the group is the group's, labelled or not; one on a wrapped line is not
    ts = taskparse.parse_text(textwrap.dedent("""
        （一）完善应急体系
        1.完善预案。
        2.加强演练。
        （县应急局牵头，县直有关部门配合）
        （二）提升能力
        3.加强队伍建设。
        4.加强物资储备，提高保障
        能力。（牵头单位：县应急局）
    """).strip("\n"))
    assert [(t.id, t.text, t.lead_units, t.units) for t in ts.tasks] == [
        ("(一).1", "完善预案。", ["县应急局"], ["县直有关部门"]), ("(一).2", "加强演练。", ["县应急局"], ["县直有关部门"]),
        ("(二).3", "加强队伍建设。", [], []), ("(二).4", "加强物资储备，提高保障能力。", ["县应急局"], [])]
    assert [(w.code, w.location.line) for w in ts.warnings] == [("no_clause", 6)]


def test_clause_on_a_heading_goes_to_its_items():
    ts = tasks_of("""
        一、重点任务
        （一）优化营商环境（牵头单位：市发改委）
        ①推进一网通办；
        ②推进一件事一次办。
    """)
    assert [t.number for t in ts] == ["1", "2"]
    assert all(t.lead_units == ["市发改委"] for t in ts)


def test_sections_without_clauses_are_not_tasks():
    ts = tasks_of("""
        一、指导思想
        以习近平新时代中国特色社会主义思想为指导。
        二、主要预期目标
        地区生产总值增长7%以上。
        三、工作重点
        1.推进园区建设。（责任单位：县发改局）
        四、工作要求
        （一）狠抓落实。各单位要高度重视。
        （二）严格督查。
    """)
    assert [t.text for t in ts] == ["推进园区建设。"]


def test_leaf_without_clause_among_tasks_is_kept_with_a_warning():
    r = taskparse.parse_text("一、任务\n1.甲。（责任单位：A局）\n2.乙。\n3.丙。（责任单位：C局）")
    assert [t.text for t in r.tasks] == ["甲。", "乙。", "丙。"]
    assert r.tasks[1].units == []
    assert any(w.code == "no_clause" for w in r.warnings)


def test_skipped_number_warns():
    r = taskparse.parse_text("一、任务\n1.甲。（责任单位：A局）\n2.乙。（责任单位：B局）\n4.丙。（责任单位：C局）")
    assert len(r.tasks) == 3
    assert any(w.code == "skipped_number" for w in r.warnings)


def test_half_and_full_width_numbering_levels():
    ts = tasks_of("""
        一、甲
        (一)乙
        1、丙（责任单位：A局）
        2．丁（责任单位：B局）
        （二）戊
        3.己（责任单位：C局）
    """)
    assert [t.id for t in ts] == ["一.(一).1", "一.(一).2", "一.(二).3"]


# --- cleanup -----------------------------------------------------------------------------------------

def test_spaces_inside_words_and_labels_removed():
    t = one("一 、 任务\n1 3 . 加强 社会治安 防控。\n牵头 单位:市 公安 局\n责任单位: 市 住建局 、资源规划 局")
    assert t.number == "13"
    assert t.text == "加强社会治安防控。"
    assert t.lead_units == ["市公安局"]
    assert t.units == ["市住建局", "资源规划局"]


def test_label_broken_across_lines_and_item_across_page_break():
    ts = tasks_of("""
        一、任务
        1. 支持北工大国家大学科技园金乡分园、凯盛、蒜通天下

        — 3 —

        申报省级数字经济园区。（责
        任单位：县工业和信息化局、科学技术局等）
        2. 完成重点场所 5G 网络深度覆盖。（责任单位：县卫生健康
        局、结核病防治所等）
    """)
    assert ts[0].text == "支持北工大国家大学科技园金乡分园、凯盛、蒜通天下申报省级数字经济园区。"
    assert ts[0].units == ["县工业和信息化局", "科学技术局"]
    assert ts[1].text == "完成重点场所5G网络深度覆盖。"
    assert ts[1].units == ["县卫生健康局", "结核病防治所"]


def test_numbers_inside_text_are_not_items():
    ts = tasks_of("""
        一、任务
        1.全县生产总值增长7.5%左右，实到外资2.9亿美元，完成
        12.5万亩。（责任单位：县发改局）
        2.新建5G基站200个。（责任单位：县工信局）
    """)
    assert len(ts) == 2
    assert ts[0].text == "全县生产总值增长7.5%左右，实到外资2.9亿美元，完成12.5万亩。"


def test_whole_document_on_one_line():
    items = " ".join(f"{i}.第{i}项重点工作任务的具体内容。 责任单位:县第{i}局、县财政局" for i in range(1, 40))
    text = f"海盐县人民政府办公室 2022年4月18日 (此件公开发布) 重点工作责任分解 一、王丹县长牵头重点工作 {items} 二、胡飞副县长牵头重点工作 1.最后一项。 责任单位:县农业农村局"
    ts = tasks_of(text)
    assert len(ts) == 40
    assert ts[0].units == ["县第1局", "县财政局"] and ts[0].leaders == ["王丹"]
    assert ts[-1].leaders == ["胡飞"] and ts[-1].units == ["县农业农村局"]


def test_footer_never_joins_the_last_task():
    ts = tasks_of("""
        一、任务
        1.做好工作
        责任单位：区财政局
        2.做好另一项工作
        责任单位：区审计局、区财政局
        济宁市兖州区人民政府
        2021年1月21日
        （此件公开发布）
        抄送：区委办公室，区人大常委会办公室。
    """)
    assert [t.text for t in ts] == ["做好工作", "做好另一项工作"]
    assert ts[1].units == ["区审计局", "区财政局"]


def test_web_junk_ignored():
    r = taskparse.parse_text("当前位置:首页 > 政务公开\n分享\n一、任务\n1.甲。（责任单位：A局）\n标签:\n留言与评论(共有 0 条评论)\n验证码:")
    assert [t.text for t in r.tasks] == ["甲。"]


def test_metadata_from_head_and_signature():
    r = taskparse.parse_text("""济兖政发〔2021〕1号
济宁市兖州区人民政府
关于分解落实2021年政府工作报告
任务目标的通知
各镇人民政府：
一、任务
1、甲。（承办单位：区财政局）
济宁市兖州区人民政府
2021年1月21日""")
    n = r.notice
    assert (n.title, n.doc_number, n.issuer, n.date) == (
        "关于分解落实2021年政府工作报告任务目标的通知", "济兖政发〔2021〕1号", "济宁市兖州区人民政府", "2021-01-21")


def test_empty_metadata_is_null():
    n = taskparse.parse_text("一、任务\n1.甲。（责任单位：A局）").notice
    assert (n.title, n.doc_number, n.issuer, n.date) == (None, None, None, None)


# --- more styles -----------------------------------------------------------------------------------

def test_lead_marked_inside_the_list():
    t = one("一、任务\n1.推进改革。（责任单位：市发改委（牵头）、市财政局、市税务局）")
    assert (t.lead_units, t.units) == (["市发改委"], ["市财政局", "市税务局"])


def test_units_separated_by_spaces_only():
    t = one("一、任务\n1.推进改革。\n责任单位：县发改局  县财政局 县税务局")
    assert t.units == ["县发改局", "县财政局", "县税务局"]


def test_spaces_inside_a_name_are_not_separators():
    t = one("一、任务\n1.推进改革。\n责任单位：市发改委、 住建 局、各乡镇政府、伏羲 山管委 会")
    assert t.units == ["市发改委", "住建局", "各乡镇政府", "伏羲山管委会"]


def test_items_glued_on_one_line():
    ts = tasks_of("一、任务\n1.甲。（责任单位：A局）2.乙。（责任单位：B局）3.丙。（责任单位：C局）")
    assert [(t.number, t.text, t.units) for t in ts] == [("1", "甲。", ["A局"]), ("2", "乙。", ["B局"]), ("3", "丙。", ["C局"])]


def test_unnumbered_paragraphs_with_their_own_clause():
    ts = tasks_of("""
        一、加快产业发展
        1.推进园区建设。（责任单位：县发改局）
        推进招商引资。（责任单位：县商务局）
        推进项目落地。（责任单位：县投促中心）
    """)
    assert [(t.text, t.units) for t in ts] == [("推进园区建设。", ["县发改局"]), ("推进招商引资。", ["县商务局"]),
                                              ("推进项目落地。", ["县投促中心"])]
    assert len({t.id for t in ts}) == 3


def test_leader_label_county_leader_and_deadline_verbs():
    t = one("一、任务\n1.出台实施意见。（县领导：王丹。牵头单位：县发改局；2024年6月底前出台）")
    assert (t.leaders, t.lead_units, t.deadline) == (["王丹"], ["县发改局"], "2024年6月底前出台")


def test_issuer_from_the_red_head():
    n = taskparse.parse_text("金乡县人民政府文件\n金政发〔2021〕1号\n关于印发重点工作责任分工的通知\n"
                             "一、任务\n1.甲。（责任单位：A局）\n二〇二一年二月十日").notice
    assert (n.issuer, n.doc_number, n.date) == ("金乡县人民政府", "金政发〔2021〕1号", "2021-02-10")


@pytest.mark.parametrize("heading, leaders", [
    ("王丹县长牵头重点工作", ["王丹"]),
    ("由王宏副市长分管", ["王宏"]),
    ("县长王丹牵头", ["王丹"]),
    ("李明、张伟副市长牵头重点工作（共12项）", ["李明", "张伟"]),
    ("张三同志负责的工作", ["张三"]),
    ("产业发展牵头工作", []),
    ("县长办公会议负责", []),
])
def test_leader_heading_forms(heading, leaders):
    t = one(f"一、{heading}\n1.做好工作。（责任单位：县发改局）")
    assert t.leaders == leaders
