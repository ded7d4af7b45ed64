"""Real-world variants of one customer, in both scripts, and the verdict each pair gets.

SAME is a hard collision, so it needs a shared strong key or names identical once typing,
script, legal form, region and industry are set aside; weaker name evidence is POSSIBLE.
"""

from typing import Any

import pytest

from guishu.matching import CustomerRecord, MatchProfile, Verdict, build_profile, compare

SAME, POSSIBLE, DIFFERENT = Verdict.SAME, Verdict.POSSIBLE, Verdict.DIFFERENT


def profile(name: str | tuple[str, ...] = (), **signals: Any) -> MatchProfile:
    names = (name,) if isinstance(name, str) else name
    return build_profile(CustomerRecord(id=str(id(signals)), names=names, **signals))


# (left name, right name, verdict): the records carry nothing but the name.
NAME_VARIANTS = [
    # the issue's example
    ("北京字节跳动科技有限公司", "字節跳動(北京)科技", SAME),
    ("北京字节跳动科技有限公司", "字节跳动", POSSIBLE),
    ("字节跳动", "字節跳動(北京)科技", POSSIBLE),
    ("北京字节跳动科技有限公司", "BYTEDANCE LTD.", DIFFERENT),
    ("Acme Corp.", "ACME Corporation", SAME),
    # Chinese: script, width, brackets, region spelling, legal form
    ("广州市恒达电子有限公司", "廣州市恒達電子有限公司", SAME),
    ("深圳市恒达电子有限公司", "恒达（深圳）电子有限公司", SAME),
    ("深圳市恒达电子有限公司", "恒达【深圳】电子", SAME),
    ("深圳市恒达电子有限公司", "深圳恒达电子有限责任公司", SAME),
    ("深圳市恒达电子有限公司", "广东省深圳市恒达电子有限公司", SAME),
    ("深圳市恒达电子有限公司", "深圳市　恒达电子　有限公司", SAME),
    ("深圳市恒达电子有限公司", "深圳市恒达电子股份有限公司", SAME),
    ("上海恒达（集团）有限公司", "上海恒达集团有限公司", SAME),
    ("杭州宏鑫纺织品有限公司", "杭州宏鑫紡織品有限公司", SAME),
    ("北京字节跳动科技有限公司", "字节跳动北京科技", SAME),
    # Chinese: lossy spellings are warnings, not refusals
    ("深圳市恒达电子有限公司", "恒达电子有限公司", POSSIBLE),
    ("深圳市恒达电子有限公司", "深圳市恒达有限公司", POSSIBLE),
    ("深圳市恒达电子有限公司", "恒达", POSSIBLE),
    ("深圳市恒达电子有限公司", "Shenzhen Hengda Electronics Co., Ltd.", POSSIBLE),
    ("北京字节跳动科技有限公司", "Beijing Zijie Tiaodong Technology Co., Ltd.", POSSIBLE),
    ("北京字节跳动科技有限公司", "Zijie Tiaodong Keji Youxian Gongsi", POSSIBLE),
    ("宁波市锋恒包装有限公司", "宁波市锋衡包装有限公司", POSSIBLE),  # homophone slip
    ("成都瑞宏鑫机械有限公司", "成都瑞宏欣机械有限公司", POSSIBLE),  # homophone slip
    ("东莞市惠佳凯纺织有限公司", "东莞市惠佳铠纺织有限公司", POSSIBLE),  # one character off
    ("北京字节跳动科技有限公司", "北京字节跳恸科技有限公司", POSSIBLE),
    ("北京字节跳动科技有限公司", "北京字节跳动科技有限公司上海分公司", POSSIBLE),
    # Chinese: other companies
    ("北京恒达科技有限公司", "上海恒达科技有限公司", DIFFERENT),
    ("北京恒达科技有限公司", "北京恒达食品有限公司", POSSIBLE),  # often one group: ask
    ("北京恒达科技有限公司", "恒达食品有限公司", DIFFERENT),
    ("北京恒达科技有限公司", "北京宏远科技有限公司", DIFFERENT),
    ("深圳市恒达电子有限公司", "深圳市恒通电子有限公司", DIFFERENT),  # two characters: too short
    # Latin: legal forms, case, punctuation, "&", "The", accents, width
    ("Acme Corp.", "Acme Inc", SAME),
    ("Acme Trading Co., Ltd.", "ACME TRADING COMPANY LIMITED", SAME),
    ("Smith & Jones Ltd", "Smith and Jones Limited", SAME),
    ("The Velora Group Ltd", "Velora Group Ltd.", SAME),
    ("Müller Maschinenbau GmbH", "Mueller Maschinenbau GmbH", SAME),
    ("Société Générale S.A.", "SOCIETE GENERALE SA", SAME),
    ("Ｖｅｌｏｒａ　Ｔｒａｄｉｎｇ", "Velora Trading Inc.", SAME),
    ("Kowalski Sp. z o.o.", "KOWALSKI SP Z O O", SAME),
    ("A.B.C. Trading Ltd", "ABC Trading Limited", SAME),
    # Latin: lossy spellings
    ("Velora Trading International Ltd", "Velora Ltd", POSSIBLE),
    ("Velora Trading Ltd", "Velorra Trading Ltd", POSSIBLE),
    ("Brantley Kessler Industries", "Brantley Kesler Industries", POSSIBLE),
    ("Acme Robotics", "Acme Robotics Zurich", POSSIBLE),
    # Latin: other companies
    ("Acme GmbH", "Acme B.V.", POSSIBLE),
    ("Velora Trading Ltd", "Zantor Trading Ltd", DIFFERENT),
    ("Global Trading Ltd", "Global Trading Co.", POSSIBLE),  # generic: never a refusal
    ("John Smith", "John Smith", POSSIBLE),  # a person's name: many people share it
]


@pytest.mark.parametrize(("left", "right", "verdict"), NAME_VARIANTS)
def test_name_variants_get_the_expected_verdict(left: str, right: str, verdict: Verdict) -> None:
    match = compare(profile(left), profile(right))
    assert match.verdict is verdict, [str(r) for r in match.reasons]


# (left signals, right signals, verdict): names differ or are missing.
SIGNAL_VARIANTS: list[tuple[dict[str, Any], dict[str, Any], Verdict]] = [
    ({"phones": ("+86 138-0013-8000",)}, {"phones": ("13800138000",)}, SAME),
    ({"phones": ("0086 138 0013 8000",)}, {"phones": ("(+86)138 0013 8000",)}, SAME),
    ({"phones": ("0755-8888 6666",)}, {"phones": ("+86 755 8888 6666 转 123",)}, SAME),
    ({"phones": ("+61 412 345 678",)}, {"phones": ("0061 412 345 678",), "country": "AU"}, SAME),
    ({"phones": ("(415) 555-0132",), "country": "US"}, {"whatsapp_ids": ("14155550132",)}, SAME),
    ({"emails": ("li.wei@acme.com",)}, {"emails": ("sales@acme.com",)}, SAME),
    ({"emails": ("li.wei@acme.com",)}, {"emails": ("LI.WEI＠ACME.COM",)}, SAME),
    ({"emails": ("li@acme.com.cn",)}, {"websites": ("http://www.acme.com.cn/en/",)}, SAME),
    ({"emails": ("12345@qq.com",)}, {"emails": ("67890@qq.com",)}, DIFFERENT),
    ({"emails": ("li.wei@gmail.com",)}, {"emails": ("sales@gmail.com",)}, DIFFERENT),
    ({"credit_code": "91350100M000100Y43"}, {"credit_code": "9135 0100 m000 100y 43"}, SAME),
    ({"wechat_ids": ("WXid_Acme",)}, {"wechat_ids": (" wxid_acme ",)}, SAME),
    ({"websites": ("acme.com",)}, {"websites": ("https://www.acme.com/about",)}, SAME),
    ({"websites": ("linkedin.com/company/acme",)}, {"websites": ("linkedin.com/x",)}, DIFFERENT),
]  # fmt: skip


@pytest.mark.parametrize(("left", "right", "verdict"), SIGNAL_VARIANTS)
def test_signal_variants_get_the_expected_verdict(
    left: dict[str, Any], right: dict[str, Any], verdict: Verdict
) -> None:
    match = compare(profile("王伟", **left), profile("Li Ming", **right))
    assert match.verdict is verdict, [str(r) for r in match.reasons]


def test_the_issue_examples_come_with_their_reasons() -> None:
    phone = compare(profile(phones=("+86 138-0013-8000",)), profile(phones=("13800138000",)))
    assert [r.code for r in phone.reasons] == ["same_phone"]
    assert str(phone.reasons[0]) == "same phone number +8613800138000"
    mail = compare(profile(emails=("li.wei@acme.com",)), profile(emails=("sales@acme.com",)))
    assert [str(r) for r in mail.reasons] == ["same company domain acme.com"]
    brand = compare(profile("北京字节跳动科技有限公司"), profile("字节跳动"))
    assert [r.code for r in brand.reasons] == ["trade_name_equal"]
    assert brand.reasons[0].params["trade"] == "字节跳动"


def test_an_english_brand_name_matches_through_an_alias_or_the_company_domain() -> None:
    # Nothing in "字节跳动" spells "bytedance": it matches only through what the records share.
    registered = profile(("北京字节跳动科技有限公司", "ByteDance Ltd."))
    assert compare(registered, profile("BYTEDANCE LTD.")).verdict is SAME
    at_domain = profile("北京字节跳动科技有限公司", websites=("www.bytedance.com",))
    match = compare(at_domain, profile("BYTEDANCE LTD."))
    assert match.verdict is POSSIBLE
    assert [r.code for r in match.reasons] == ["name_matches_domain"]
