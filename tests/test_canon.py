"""Canonical unit names (canon.py): printed -> canonical in county, city, district, province and
State Council notices, the never-merge pairs, notice-wide merges, near-miss warnings, user aliases.

Every expected name below was worked out by hand from the rule it illustrates (see canon.py)."""
from __future__ import annotations

import pytest

from taskparse.canon import (AliasFileError, builtin_aliases, canonical_name, canonicalise, context_of,
                             parse_aliases)

COUNTY = context_of("金乡县人民政府")
COUNTY_CITY = context_of("新密市人民政府办公室")  # a county-level city: 市 is its own prefix
DISTRICT = context_of("济宁市兖州区人民政府")
CITY = context_of("杭州市人民政府办公厅")
PROVINCE = context_of("辽宁省人民政府")
PREFECTURE = context_of("湘西自治州人民政府")
NATIONAL = context_of("国务院办公厅")
CONTEXTS = {"county": COUNTY, "county_city": COUNTY_CITY, "district": DISTRICT, "city": CITY, "province": PROVINCE,
            "prefecture": PREFECTURE, "national": NATIONAL}

CASES = [
    # county notice (金乡县人民政府)
    ("county", "县财政局", "金乡县财政局"),
    ("county", "财政局", "金乡县财政局"),
    ("county", "金乡县财政局", "金乡县财政局"),
    ("county", "市财政局", "市财政局"),  # the city's office: another office, its place not named
    ("county", "县发改局", "金乡县发展和改革局"),
    ("county", "发展改革局", "金乡县发展和改革局"),
    ("county", "发展和改革局", "金乡县发展和改革局"),
    ("county", "人社局", "金乡县人力资源和社会保障局"),
    ("county", "县人力资源和社会保障局", "金乡县人力资源和社会保障局"),
    ("county", "住建局", "金乡县住房和城乡建设局"),
    ("county", "县住房城乡建设局", "金乡县住房和城乡建设局"),
    ("county", "市场监管局", "金乡县市场监督管理局"),  # 市场 is a word, not the level 市
    ("county", "县市场监管局", "金乡县市场监督管理局"),
    ("county", "县市场监督管理局", "金乡县市场监督管理局"),
    ("county", "卫健局", "金乡县卫生健康局"),
    ("county", "县卫生健康局", "金乡县卫生健康局"),
    ("county", "县委办", "金乡县委办公室"),
    ("county", "县政府办", "金乡县人民政府办公室"),
    ("county", "县政府办公室", "金乡县人民政府办公室"),
    ("county", "县人民政府办公室", "金乡县人民政府办公室"),
    ("county", "法院", "金乡县人民法院"),
    ("county", "县人民检察院", "金乡县人民检察院"),
    ("county", "县委组织部", "金乡县委组织部"),
    ("county", "自然资源局", "金乡县自然资源局"),
    ("county", "自然资源和规划局", "金乡县自然资源和规划局"),
    ("county", "县自然资源规划局", "金乡县自然资源和规划局"),
    ("county", "水利局", "金乡县水利局"),
    ("county", "水务局", "金乡县水务局"),
    ("county", "教育局", "金乡县教育局"),
    ("county", "教体局", "金乡县教育和体育局"),
    ("county", "县民政局", "金乡县民政局"),
    ("county", "县“双招双引”指挥部", "金乡县“双招双引”指挥部"),
    ("county", "县大气(水)污染防治指挥部", "金乡县大气（水）污染防治指挥部"),  # brackets inside: not a second name
    ("county", "市生态环境局金乡县分局", "金乡县生态环境分局"),  # the city bureau's branch here
    ("county", "市容环境卫生服务中心", "金乡县市容环境卫生服务中心"),
    ("county", "省发展改革委", "省发展和改革委员会"),  # the province is not named in the notice
    ("county", "各镇街", "各镇街"),
    ("county", "各有关部门", "各有关部门"),
    ("county", "安委会各成员单位", "安委会各成员单位"),
    ("county", "相关镇街", "相关镇街"),
    ("county", "金乡街道", "金乡街道"),  # a street named after the county, not an office
    ("county", "金乡一中", "金乡一中"),
    ("county", "羊山镇", "羊山镇"),
    ("county", "供电公司", "供电公司"),
    ("county", "中国人民银行金乡县支行", "中国人民银行金乡县支行"),
    # county-level city (新密市人民政府办公室)
    ("county_city", "市发展改革委", "新密市发展和改革委员会"),
    ("county_city", "卫健委", "新密市卫生健康委员会"),
    ("county_city", "市卫健委", "新密市卫生健康委员会"),
    ("county_city", "资源规划局", "新密市自然资源和规划局"),
    ("county_city", "市城管局", "新密市城市管理局"),
    ("county_city", "产业集聚区管委", "新密市产业集聚区管委会"),
    ("county_city", "郑州市生态环境局", "郑州市生态环境局"),  # another place
    ("county_city", "刘寨镇政府", "刘寨镇政府"),
    ("county_city", "市政府各部门", "市政府各部门"),
    # district (济宁市兖州区人民政府): 区 is the district, 市 the city above it
    ("district", "区财政局", "济宁市兖州区财政局"),
    ("district", "兖州区财政局", "济宁市兖州区财政局"),
    ("district", "市财政局", "济宁市财政局"),
    ("district", "区委宣传部", "济宁市兖州区委宣传部"),
    ("district", "区发展改革局", "济宁市兖州区发展和改革局"),
    ("district", "区直各部门", "区直各部门"),
    ("district", "人民银行兖州支行", "人民银行兖州支行"),
    ("district", "济宁银保监分局兖州监管组", "济宁银保监分局兖州监管组"),
    # city (杭州市人民政府办公厅)
    ("city", "市商务局（市粮食和物资储备局）", "杭州市商务局"),
    ("city", "市发改委", "杭州市发展和改革委员会"),
    ("city", "县财政局", "县财政局"),  # some county of the city: which one is not said
    ("city", "省商务厅", "省商务厅"),
    ("city", "团市委", "团市委"),  # the level inside the name: not 杭州市团市委
    # province (辽宁省人民政府)
    ("province", "省发展改革委", "辽宁省发展和改革委员会"),
    ("province", "省财政厅", "辽宁省财政厅"),
    ("province", "省委金融办", "辽宁省委金融办"),
    ("province", "人民银行辽宁省分行", "人民银行辽宁省分行"),
    # autonomous prefecture (湘西自治州人民政府): units are printed 州…
    ("prefecture", "州司法局", "湘西自治州司法局"),
    ("prefecture", "州委编办", "湘西自治州委编办"),
    # State Council: its own short names are its canonical names; no place
    ("national", "发展改革委", "发展改革委"),
    ("national", "财政部", "财政部"),
    ("national", "有关部门", "有关部门"),
]


@pytest.mark.parametrize("where,printed,canonical", CASES, ids=[f"{w}-{p}" for w, p, _ in CASES])
def test_printed_to_canonical(where, printed, canonical):
    assert canonical_name(printed, CONTEXTS[where]).canonical == canonical


def test_at_least_sixty_cases():
    assert len(CASES) >= 60


def test_second_name_is_kept():
    c = canonical_name("市商务局（市粮食和物资储备局）", CITY)
    assert c.also == ("杭州市粮食和物资储备局",)
    assert canonical_name("县委组织部(县委人才办)", context_of("海盐县人民政府办公室")).also == ("海盐县委人才办",)


@pytest.mark.parametrize("name", ["各镇街", "各有关部门", "相关镇街", "区直有关部门", "市减灾委成员单位", "各乡镇政府",
                                  "街道办事处", "州直相關單位"])
def test_collectives(name):
    assert canonical_name(name, COUNTY).collective


# --- places ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("issuer,title,places", [
    ("金乡县人民政府", None, ["金乡县"]),
    ("济宁市兖州区人民政府", None, ["济宁市", "济宁市兖州区"]),  # 兖州区, not 兖州 + 区
    ("湘西自治州人民政府", None, ["湘西自治州"]),
    ("四川省发展和改革委员会", None, ["四川省"]),
    (None, "关于印发2021年金乡县政府重要工作事项责任分工的通知", ["金乡县"]),  # not 年金乡县
    (None, "六安市人民政府关于2021年重点工作及责任分解的通知", ["六安市"]),
    ("国务院", None, []),
])
def test_context_of(issuer, title, places):
    assert [p.full for p in context_of(issuer, title).places] == places


# --- a whole notice ----------------------------------------------------------------------------------

def _groups(names, context, aliases=None):
    units = canonicalise(names, context, aliases)
    return {p: c.canonical for p, c in units.by_printed.items()}, units.warnings


def test_one_office_one_name_and_the_citys_office_apart():
    got, _ = _groups(["县财政局", "财政局", "金乡县财政局", "市财政局"], COUNTY)
    assert got == {"县财政局": "金乡县财政局", "财政局": "金乡县财政局", "金乡县财政局": "金乡县财政局",
                   "市财政局": "市财政局"}


def test_never_merge_pairs_and_near_miss_warning():
    got, warnings = _groups(["自然资源局", "自然资源和规划局", "县委办", "县政府办", "水利局", "水务局"], COUNTY)
    assert len(set(got.values())) == 6
    assert [code for code, _ in warnings] == ["unit_near_miss"]
    assert "金乡县自然资源局" in warnings[0][1] and "金乡县自然资源和规划局" in warnings[0][1]


def test_bureau_and_commission_of_one_place_are_one_office():
    got, _ = _groups(["县发展和改革委员会", "县发展和改革局", "发展和改革局"], COUNTY)
    assert set(got.values()) == {"金乡县发展和改革局"}  # a county names it 局
    got, _ = _groups(["市卫健局", "市卫健委"], CITY)
    assert set(got.values()) == {"杭州市卫生健康委员会"}  # a city names it 委员会


def test_bare_name_joins_its_placed_form():
    got, _ = _groups(["供电公司", "县供电公司"], context_of("海盐县人民政府办公室"))
    assert set(got.values()) == {"海盐县供电公司"}


def test_second_name_printed_alone_is_the_same_office():
    got, _ = _groups(["市商务局（市粮食和物资储备局）", "市粮食和物资储备局", "市商务局"], CITY)
    assert set(got.values()) == {"杭州市商务局"}


def test_branch_of_the_city_bureau_is_the_local_office():
    got, _ = _groups(["生态环境局", "市生态环境局金乡县分局"], COUNTY)
    assert set(got.values()) == {"金乡县生态环境分局"}


def test_user_alias_merges_and_respects_its_place():
    aliases = builtin_aliases().merged(parse_aliases("printed,canonical,place\n自然资源局,自然资源和规划局,金乡县\n"))
    got, warnings = _groups(["自然资源局", "自然资源和规划局"], COUNTY, aliases)
    assert set(got.values()) == {"金乡县自然资源和规划局"} and not warnings
    got, _ = _groups(["自然资源局", "自然资源和规划局"], context_of("海盐县人民政府办公室"), aliases)
    assert len(set(got.values())) == 2  # the row is for 金乡县 only


def test_user_alias_for_a_whole_printed_form():
    aliases = builtin_aliases().merged(parse_aliases("市生态环境局,县生态环境局\n"))
    assert canonical_name("市生态环境局", COUNTY, aliases).canonical == "金乡县生态环境局"


@pytest.mark.parametrize("text,line", [("只有一列\n", 1), ("a,b\n\n,c\n", 3), ("a,b,c,d\n", 1)])
def test_bad_aliases_file(text, line):
    with pytest.raises(AliasFileError) as exc:
        parse_aliases(text)
    assert exc.value.line == line


def test_aliases_file_comments_header_and_bom():
    a = parse_aliases("\ufeffprinted,canonical,place\n# 注释\n\n发改局,发展和改革局\n")
    assert a.lookup("发改局", COUNTY) == "发展和改革局"


def test_long_debris_is_left_alone():
    junk = "财" * 500
    assert canonical_name(junk, COUNTY).canonical == junk


def test_label_before_the_issuer_is_not_part_of_the_place():
    # web pages' metadata boxes: 名称：金乡县人民政府
    assert [p.full for p in context_of("名称金乡县人民政府").places] == ["金乡县"]


# --- any input ---------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

UNIT_CHARS = "县市区省州自治委办局中心政府财发改住建各有关（）()、金乡兖州分局部指挥会镇街道 \u3000"
unit_text = st.text(alphabet=UNIT_CHARS, max_size=30) | st.text(max_size=30)


@settings(max_examples=300, deadline=None)
@given(names=st.lists(unit_text, max_size=20), issuer=unit_text)
def test_any_names_any_issuer(names, issuer):
    units = canonicalise(names, context_of(issuer + "人民政府"))
    assert set(units.by_printed) == set(names)
    for printed, c in units.by_printed.items():
        assert c.printed == printed and (c.canonical or not printed.strip())
    # the canonical name of a canonical name is itself: nothing drifts when a ledger is read back
    for c in units.by_printed.values():
        if c.canonical and not c.also and not c.collective:
            again = canonical_name(c.canonical, context_of(issuer + "人民政府")).canonical
            assert again == c.canonical or c.place == ""
