"""Table-form notices at the document level (extractors give Table blocks; see test_samples for files)."""
from __future__ import annotations

import taskparse
from taskparse.document import Cell, Document, Line, Table

HEADER = ("序号", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限")


def table(*rows, merged_cols=()):
    grid = []
    for r in rows:
        grid.append(tuple(Cell(t, merged=(j in merged_cols and r is not rows[0])) for j, t in enumerate(r)))
    return Table(tuple(grid), line=3)


def parse(*blocks, has_bold=False):
    return taskparse.parse_document(Document(blocks=list(blocks), format="docx", has_bold=has_bold))


def test_header_by_meaning_and_section_rows():
    sec = "二、抓好常态化疫情防控"
    r = parse(Line("关于分解落实2021年政府工作报告任务目标的通知", 1),
              table(HEADER, (sec,) * 6,
                    ("1", "坚持外防输入、内防反弹。", "寇宁、孙恒民", "区卫生健康局", "区市场监督管理局、各镇街", "6月底前"),
                    ("2", "加强公共卫生体系建设。", "孙恒民", "", "区卫生健康局、大安镇等", "")),
              Line("抄送：区委办公室。", 9))
    assert [t.id for t in r.tasks] == ["二.1", "二.2"]
    t1, t2 = r.tasks
    assert t1.section == [sec]
    assert (t1.leaders, t1.lead_units, t1.units, t1.deadline) == (
        ["寇宁", "孙恒民"], ["区卫生健康局"], ["区市场监督管理局", "各镇街"], "6月底前")
    assert (t2.lead_units, t2.units, t2.deadline) == ([], ["区卫生健康局", "大安镇"], None)
    assert r.notice.title == "关于分解落实2021年政府工作报告任务目标的通知"


def test_unnumbered_category_rows_each_head_their_own_rows():
    """"乡村振兴" across the table after a row was read as the rest of that row's clause: every task below
    it was filed under the category before."""
    r = parse(table(HEADER, ("科技创新",) * 6, ("1", "甲。", "张三", "A局", "B局", "6月"),
                    ("乡村振兴", "", "", "", "", ""), ("2", "乙。", "李四", "C局", "", "6月")))
    assert [(t.number, t.section, t.lead_units) for t in r.tasks] == [
        ("1", ["科技创新"], ["A局"]), ("2", ["乡村振兴"], ["C局"])]


def test_columns_in_another_order_with_spaced_headers_and_extra_column():
    r = parse(table(("责 任 单 位", "编号", "工作任务", "分 管 县领导", "进展情况"),
                    ("县财政局、县税务局", "1", "组织收入。", "王丹县长", "已完成")))
    t = r.tasks[0]
    assert (t.text, t.leaders, t.units, t.extra) == ("组织收入。", ["王丹"], ["县财政局", "县税务局"], {"进展情况": "已完成"})


def test_compact_and_other_header_words():
    # 主办 | 协办, 工作目标, 时间安排: other offices' words for the same columns
    r = parse(table(("编号", "工作目标", "分管领导", "主办", "协办", "时间安排"),
                    ("1", "建成智慧停车平台。", "李明", "市住建局", "市城管局、市公安局", "9月底前")))
    t = r.tasks[0]
    assert (t.text, t.leaders, t.lead_units, t.units, t.deadline) == (
        "建成智慧停车平台。", ["李明"], ["市住建局"], ["市城管局", "市公安局"], "9月底前")
    assert t.extra == {}


def test_two_row_header():
    r = parse(table(("序号", "重点任务", "责任单位", "责任单位", "完成时限"),
                    ("", "", "牵头单位", "配合单位", ""),
                    ("1", "建设停车场。", "市住建局", "市城管局、市公安局", "年底前")))
    t = r.tasks[0]
    assert (t.lead_units, t.units, t.deadline) == (["市住建局"], ["市城管局", "市公安局"], "年底前")


def test_merged_leader_cells_and_leader_rows():
    r = parse(table(HEADER,
                    ("（一）王宏副市长牵头重点工作",) * 6,
                    ("1", "甲。", "", "市发改委", "市财政局", ""),
                    ("2", "乙。", "", "市商务局", "", "")))
    assert [t.leaders for t in r.tasks] == [["王宏"], ["王宏"]]
    r = parse(table(HEADER,
                    ("1", "甲。", "李明", "市发改委", "市财政局", ""),
                    ("2", "乙。", "李明", "市商务局", "", ""), merged_cols=(2,)))
    assert [t.leaders for t in r.tasks] == [["李明"], ["李明"]]


def test_table_continued_on_next_page_with_repeated_header():
    first = table(HEADER, ("1", "甲。", "", "市发改委", "", ""))
    again = table(HEADER, ("2", "乙。", "", "市商务局", "", ""))  # header repeated on the new page
    cont = table(("3", "丙。", "", "市住建局", "", ""))  # no header at all
    r = parse(first, Line("— 2 —", 5), again, cont)
    assert [t.text for t in r.tasks] == ["甲。", "乙。", "丙。"]
    assert [t.lead_units for t in r.tasks] == [["市发改委"], ["市商务局"], ["市住建局"]]


def test_project_name_and_content_joined():
    r = parse(table(("序号", "项目名称", "建设内容", "牵头单位"), ("1", "老旧小区改造", "改造小区3个。", "县住建局")))
    assert r.tasks[0].text == "老旧小区改造：改造小区3个。"


def test_layout_table_is_plain_text():
    r = parse(table(("索引号", "113304240025561412/2022-69894"), ("成文日期", "2022-04-18")),
              Line("一、任务", 5), Line("1.甲。（责任单位：A局）", 6))
    assert [t.text for t in r.tasks] == ["甲。"]
    assert r.notice.date == "2022-04-18"


def test_bold_lead_in_a_cell():
    cell = "区卫生健康局、大安镇"
    grid = (tuple(Cell(t) for t in ("序号", "重点任务", "承办单位")),
            (Cell("1"), Cell("加强防控。"), Cell(cell, bold_spans=((0, 6),))))
    r = parse(Line("黑体为主办单位，其他为协办单位。", 1), Table(grid, line=2), has_bold=True)
    assert (r.tasks[0].lead_units, r.tasks[0].units) == (["区卫生健康局"], ["大安镇"])


def test_pipe_separated_text_table():
    text = "\n".join([
        "| 序号 | 重点任务 | 牵头单位 | 责任单位 |",
        "|---|---|---|---|",
        "| 1 | 甲。 | 市发改委 | 市财政局、市税务局 |",
        "| 2 | 乙。 | 市商务局 | |",
    ])
    r = taskparse.parse_text(text)
    assert [(t.text, t.lead_units, t.units) for t in r.tasks] == [
        ("甲。", ["市发改委"], ["市财政局", "市税务局"]), ("乙。", ["市商务局"], [])]


def test_category_lines_between_the_rows_of_a_text_table_head_the_rows_below():
    """A tab-separated table pasted from Excel keeps its category rows as lines of their own, without a tab
    ("一、科技创新（2项）"), and may have blank lines and an empty cell; the table goes on across them."""
    text = "\n".join([
        "2026年市政府重点工作任务清单", "",
        "序号\t重点任务\t责任领导\t牵头单位\t配合单位\t完成时限",
        "一、科技创新（2项）",
        "1\t建设省级创新平台5个\t孙某某\t市科技局\t市发改委、市财政局\t2026年12月",
        "",
        "2\t高新技术企业净增50家\t孙某某\t市科技局\t市税务局\t2026年11月",
        "二、乡村振兴（1项）",
        "3\t新改建农村公路200公里\t郑某某\t市交通运输局\t\t2026年12月",
        "", "抄送：市委办公室。",
    ])
    r = taskparse.parse_text(text)
    assert [(t.id, t.section, t.text, t.leaders, t.lead_units, t.units, t.deadline) for t in r.tasks] == [
        ("一.1", ["一、科技创新（2项）"], "建设省级创新平台5个", ["孙某某"], ["市科技局"], ["市发改委", "市财政局"],
         "2026年12月"),
        ("一.2", ["一、科技创新（2项）"], "高新技术企业净增50家", ["孙某某"], ["市科技局"], ["市税务局"], "2026年11月"),
        ("二.3", ["二、乡村振兴（1项）"], "新改建农村公路200公里", ["郑某某"], ["市交通运输局"], [], "2026年12月"),
    ]
    assert r.notice.title == "2026年市政府重点工作任务清单"


def test_lines_between_tab_separated_lines_without_a_task_header_stay_text():
    r = taskparse.parse_text("一、经济发展\n甲\t乙\n短行\n丙\t丁\n1.推进项目建设。（责任单位：县发改局）")
    assert [(t.id, t.text, t.units) for t in r.tasks] == [("一.1", "推进项目建设。", ["县发改局"])]


def test_document_with_paragraphs_and_a_table_yields_both_in_order():
    r = parse(Line("一、重点任务", 1), Line("1.甲。（责任单位：A局）", 2),
              table(HEADER, ("2", "乙。", "", "B局", "", "")), Line("3.丙。（责任单位：C局）", 9))
    assert [t.text for t in r.tasks] == ["甲。", "乙。", "丙。"]


def test_a_notice_laid_out_inside_a_table_cell():
    """Government pages put the whole body in one cell of a layout table."""
    body = "关于印发2024年重点工作责任分工的通知\n一、重点任务\n1.推进园区建设。（责任单位：县发改局、县商务局）\n2.完善路网。（责任单位：县交通局）"
    grid = ((Cell("首页"), Cell(body)), (Cell("导航"), Cell("抄送：县委办公室")))
    r = parse(Table(grid, line=1))
    assert [(t.text, t.units) for t in r.tasks] == [("推进园区建设。", ["县发改局", "县商务局"]), ("完善路网。", ["县交通局"])]
    assert r.notice.title == "关于印发2024年重点工作责任分工的通知"


def test_a_category_column_heads_its_rows():
    """A 类别 column is the section of its rows (a merged cell repeats down): numbered, it is a numbered
    heading; unnumbered, a title, whatever punctuation it has.  Before, it went into ``extra``."""
    r = parse(Line("2024年重点工作任务分解表", 1),
              table(("类别", "序号", "重点任务", "牵头单位"),
                    ("一、经济发展", "1", "加快重点项目建设", "县发改委"),
                    ("一、经济发展", "2", "促进消费持续恢复", "县商务局"),
                    ("二、社会民生", "3", "办好人民满意教育", "县教育局"), merged_cols=(0,)))
    assert [(t.id, t.section, t.text, t.lead_units, t.extra) for t in r.tasks] == [
        ("一.1", ["一、经济发展"], "加快重点项目建设", ["县发改委"], {}),
        ("一.2", ["一、经济发展"], "促进消费持续恢复", ["县商务局"], {}),
        ("二.3", ["二、社会民生"], "办好人民满意教育", ["县教育局"], {})]
    r = taskparse.parse_text("2024年重点工作任务分解表\n任务类别\t序号\t工作任务\t牵头单位\n经济发展\t1\t加快重点项目建设\t县发改委\n"
                             "\t2\t促进消费持续恢复\t县商务局\n推动社会事业全面进步，增进民生福祉\t3\t办好教育\t县教育局\n")
    assert [(t.id, t.section, t.text, t.lead_units) for t in r.tasks] == [
        ("1", ["经济发展"], "加快重点项目建设", ["县发改委"]),
        # an empty first cell (a leading tab) keeps the columns in place: the category above goes on
        ("2", ["经济发展"], "促进消费持续恢复", ["县商务局"]),
        ("3", ["推动社会事业全面进步，增进民生福祉"], "办好教育", ["县教育局"])]
    assert r.warnings == []


def test_a_type_column_after_the_task_describes_its_row():
    """"项目名称 | 建设类型 | 牵头单位": a 类型 printed after the task is the row's own attribute (extra), not a
    category heading its rows (new/continued projects would otherwise alternate as sections)."""
    r = parse(table(("序号", "项目名称", "建设类型", "牵头单位"),
                    ("1", "县人民医院新院区", "续建", "县卫健局"),
                    ("2", "城北污水处理厂", "新建", "县住建局")))
    assert [(t.id, t.section, t.text, t.lead_units, t.extra) for t in r.tasks] == [
        ("1", [], "县人民医院新院区", ["县卫健局"], {"建设类型": "续建"}),
        ("2", [], "城北污水处理厂", ["县住建局"], {"建设类型": "新建"})]


def test_placeholder_cells_and_fields_mean_none():
    """"无", "/", "—" in a cell or after a label: no unit named 无, no deadline "/", no suspect warning."""
    r = parse(Line("重点工作任务分解表", 1),
              table(HEADER, ("1", "加快重点项目建设", "无", "县发改委", "/", "—"),
                    ("2", "促进消费", "张三", "县商务局", "无", "2024年底")))
    assert [(t.leaders, t.lead_units, t.units, t.deadline) for t in r.tasks] == [
        ([], ["县发改委"], [], None), (["张三"], ["县商务局"], [], "2024年底")]
    assert r.warnings == []
    r = taskparse.parse_text("一、经济发展\n1.加快重点项目建设。（牵头领导：无；牵头单位：县发改委；配合单位：无；完成时限：/）\n"
                             "2.促进消费。（牵头单位：县商务局；配合单位：——）")
    assert [(t.leaders, t.lead_units, t.units, t.deadline) for t in r.tasks] == [
        ([], ["县发改委"], [], None), ([], ["县商务局"], [], None)]
    assert r.warnings == []
