"""Chinese company names: region, trade name (字号), industry, legal form and branch."""

import pytest

from guishu.matching.chinese_names import parse_chinese_name, pinyin_of


@pytest.mark.parametrize(
    ("name", "regions", "trade", "industry", "legal_form"),
    [
        ("北京字节跳动科技有限公司", ("北京",), "字节跳动", ("科技",), "有限公司"),
        ("字節跳動(北京)科技", ("北京",), "字节跳动", ("科技",), ""),
        ("字节跳动（北京）科技有限公司", ("北京",), "字节跳动", ("科技",), "有限公司"),
        ("【上海】恒达贸易有限公司", ("上海",), "恒达", ("贸易",), "有限公司"),
        ("深圳市恒达精密机械制造有限公司", ("深圳",), "恒达", ("精密", "机械", "制造"), "有限公司"),
        ("广东省深圳市恒达电子有限公司", ("深圳",), "恒达", ("电子",), "有限公司"),
        (
            "杭州余杭区恒达新材料科技有限公司",
            ("余杭", "杭州"),
            "恒达",
            ("新材料", "科技"),
            "有限公司",
        ),
        ("海尔集团股份有限公司", (), "海尔", (), "集团股份有限公司"),
        ("上海恒达（集团）有限公司", ("上海",), "恒达", (), "集团有限公司"),
        ("华为技术有限公司", (), "华为", ("技术",), "有限公司"),
        ("中山恒达服装厂", ("中山",), "恒达", ("服装",), "厂"),
        ("恒达五金店", (), "恒达", ("五金",), "店"),
        ("宁波恒达国际贸易有限责任公司", ("宁波",), "恒达", ("国际贸易",), "有限责任公司"),
        ("ACME（中国）有限公司", (), "acme", (), "有限公司"),
        ("字节跳动北京科技", ("北京",), "字节跳动", ("科技",), ""),
    ],
)
def test_names_split_into_region_trade_name_industry_and_legal_form(
    name: str, regions: tuple[str, ...], trade: str, industry: tuple[str, ...], legal_form: str
) -> None:
    parsed = parse_chinese_name(name)
    assert (parsed.regions, parsed.trade, parsed.industry, parsed.legal_form) == (
        regions,
        trade,
        industry,
        legal_form,
    )


def test_traditional_characters_are_read_as_simplified() -> None:
    assert parse_chinese_name("廣州市恒達電子有限公司") == parse_chinese_name(
        "广州市恒达电子有限公司"
    )


def test_full_width_spaces_and_brackets_do_not_change_the_parse() -> None:
    assert parse_chinese_name("字节跳动　（北京） 科技") == parse_chinese_name("字节跳动(北京)科技")


def test_a_place_that_is_the_whole_trade_name_stays_the_trade_name() -> None:
    # 金华 is a city, but "金华贸易" has no other trade name.
    parsed = parse_chinese_name("金华贸易有限公司")
    assert (parsed.regions, parsed.trade, parsed.industry) == ((), "金华", ("贸易",))


def test_a_place_and_then_a_place_named_trade_name_keeps_two_characters() -> None:
    assert parse_chinese_name("北京泰安科技有限公司").trade == "泰安"


def test_municipal_works_is_an_industry_not_the_city_suffix() -> None:
    parsed = parse_chinese_name("北京市政工程有限公司")
    assert (parsed.regions, parsed.trade) == (("北京",), "市政")


def test_a_branch_is_flagged_with_its_own_place() -> None:
    parsed = parse_chinese_name("北京字节跳动科技有限公司上海分公司")
    assert (parsed.regions, parsed.trade, parsed.branch) == (("北京",), "字节跳动", "上海分公司")


@pytest.mark.parametrize("marker", ["办事处", "分厂", "代表处"])
def test_other_branch_markers_are_flagged(marker: str) -> None:
    assert parse_chinese_name(f"恒达电子有限公司广州{marker}").branch == f"广州{marker}"


def test_the_exact_key_ignores_bracket_position_and_legal_form() -> None:
    assert (
        parse_chinese_name("字節跳動(北京)科技").key
        == parse_chinese_name("北京字节跳动科技有限公司").key
        == "北京字节跳动科技"
    )


def test_a_province_before_its_city_adds_nothing_to_the_key() -> None:
    assert parse_chinese_name("广东省深圳市恒达电子").key == parse_chinese_name("深圳恒达电子").key


def test_pinyin_of_a_trade_name_is_toneless_and_joined() -> None:
    assert pinyin_of("字节跳动") == "zijietiaodong"
    assert pinyin_of("重庆") == "chongqing"
    assert pinyin_of("绿源") == "luyuan"  # ü as u, as romanised names write it
    assert pinyin_of("vivo中国") == "vivozhongguo"  # Latin letters are kept as they are
