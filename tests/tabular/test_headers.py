"""Header mapping in English and Chinese, the user's adjustments, and rows read as values."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from guishu.tabular import Row
from guishu.tabular.fields import FIELDS, KINDS, ValueContext
from guishu.tabular.headers import header_keys, parse_row, propose_mapping
from guishu.tabular.vocabulary import fold

DOCS = Path(__file__).resolve().parents[2] / "docs" / "spreadsheets.md"


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


CHINESE_CUSTOMERS = {
    "客户名称": "name",
    "简称": "aliases",
    "联系电话": "phones",
    "手机": "phones",
    "电子邮件": "emails",
    "官网": "websites",
    "微信": "wechat",
    "WhatsApp": "whatsapp",
    "统一社会信用代码": "credit_code",
    "国家": "country",
    "省份": "region",
    "城市": "city",
    "地址": "address",
    "行业": "industry",
    "客户来源": "source",
    "客户等级": "level",
    "备注": "notes",
    "业务员": "owner",
    "客户类型": "kind",
    "联系人": "contact_name",
    "职务": "contact_title",
}
ENGLISH_CUSTOMERS = {
    "Company Name": "name",
    "Other names": "aliases",
    "Tel": "phones",
    "Mobile Phone": "phones",
    "E-mail": "emails",
    "Website": "websites",
    "WeChat ID": "wechat",
    "Credit code": "credit_code",
    "Country/Region": "country",
    "Province": "region",
    "City": "city",
    "Street address": "address",
    "Industry": "industry",
    "Lead source": "source",
    "Grade": "level",
    "Remarks": "notes",
    "Sales rep": "owner",
    "Customer type": "kind",
}


@pytest.mark.parametrize("headers", [CHINESE_CUSTOMERS, ENGLISH_CUSTOMERS], ids=["zh", "en"])
def test_customer_headers_are_recognised_in_both_languages(headers: dict[str, str]) -> None:
    mapping = propose_mapping(list(headers), "customers")
    assert list(mapping.fields) == list(headers.values())
    assert set(mapping.origins) == {"auto"}
    assert mapping.missing == ()


def test_contact_and_activity_headers_are_recognised_in_both_languages() -> None:
    contacts = propose_mapping(
        ["所属客户", "姓名", "职位", "手机号", "邮箱", "角色", "态度", "Customer ID"], "contacts"
    )
    assert contacts.fields == (
        "customer",
        "name",
        "title",
        "phones",
        "emails",
        "chain_role",
        "stance",
        "customer_id",
    )
    activities = propose_mapping(
        ["Customer", "Rep", "Type", "Channel", "Date", "Duration", "Result", "Notes", "Inbound"],
        "activities",
    )
    assert activities.fields == (
        "customer",
        "by",
        "kind",
        "channel",
        "when",
        "duration",
        "outcome",
        "note",
        "customer_initiated",
    )


@pytest.mark.parametrize(
    "header,field",
    [
        ("ＥＭＡＩＬ", "emails"),
        ("e_mail", "emails"),
        (" 客户名称 ", "name"),
        ("*客户名称", "name"),
        ("客户名称（必填）", "name"),
        ("电话2", "phones"),
        ("Phone (mobile)", "phones"),
        ("【备注】", "notes"),
        ("電話", "phones"),
        ("客戶名稱", "name"),
        ("国家/地区", "country"),
        ("PHONE NUMBER", "phones"),
    ],
)
def test_headers_are_matched_despite_case_width_script_and_punctuation(
    header: str, field: str
) -> None:
    assert propose_mapping([header], "customers").fields == (field,)


def test_header_keys_try_the_header_as_written_first() -> None:
    assert header_keys("时长（分钟）") == ["时长分钟", "时长"]
    assert header_keys("Phone 2") == ["phone2", "phone"]


def test_unknown_headers_are_reported_and_ignored() -> None:
    mapping = propose_mapping(["序号", "客户名称", "", "Favourite colour"], "customers")
    assert mapping.fields == (None, "name", None, None)
    assert mapping.unknown == ("序号", "", "Favourite colour")
    assert mapping.ignored == (0, 2, 3)


def test_a_second_column_for_a_single_valued_field_is_ignored_but_phones_add_up() -> None:
    mapping = propose_mapping(["客户名称", "公司名称", "电话", "手机"], "customers")
    assert mapping.fields == ("name", None, "phones", "phones")
    assert mapping.origins == ("auto", "duplicate", "auto", "auto")


def test_missing_required_fields_are_named_by_group() -> None:
    assert propose_mapping(["电话"], "customers").missing == (("name",),)
    assert propose_mapping(["姓名"], "contacts").missing == (
        ("customer", "customer_id", "credit_code"),
    )
    assert propose_mapping(["客户", "跟进方式"], "activities").missing == (("when",),)


def test_a_saved_mapping_overrides_the_guess_and_may_ignore_a_column() -> None:
    saved = {"联系电话": None, "ERP编号": "aliases", " 客户  名称": "name", "旧字段": "removed"}
    mapping = propose_mapping(["客户名称", "联系电话", "ERP编号", "旧字段"], "customers", saved)
    assert mapping.fields == ("name", None, "aliases", None)
    assert mapping.origins == ("saved", "saved", "saved", "unknown")


def test_a_saved_choice_beats_a_guess_for_the_same_field() -> None:
    mapping = propose_mapping(["客户名称", "Legal name"], "customers", {"Legal name": "name"})
    assert mapping.fields == (None, "name")
    assert mapping.origins == ("duplicate", "saved")


def test_the_users_adjustment_is_what_the_company_remembers() -> None:
    mapping = propose_mapping(["公司", "Tel", "编号"], "customers")
    adjusted = mapping.adjust({0: "aliases", 2: "name"})
    assert adjusted.fields == ("aliases", "phones", "name")
    assert adjusted.origins == ("user", "auto", "user")
    remembered = adjusted.remember()
    assert remembered == {"公司": "aliases", "Tel": "phones", "编号": "name"}
    assert propose_mapping(["公司", "Tel", "编号"], "customers", remembered).fields == (
        adjusted.fields
    )
    with pytest.raises(ValueError, match="not a field of customers"):
        mapping.adjust({0: "by"})


def test_the_mapping_serves_the_simple_column_map_too() -> None:
    columns = propose_mapping(["客户名称", "电话", "手机", "序号"], "customers").column_map()
    row = ["Acme", "010-1234", "13800138000", "7"]
    assert columns.first(row, "name") == "Acme"
    assert columns.values(row, "phones") == ["010-1234", "13800138000"]
    assert columns.ignored == ("序号",)


def test_no_alias_means_two_fields_of_one_kind() -> None:
    for kind in KINDS:
        seen: dict[str, str] = {}
        for field in FIELDS[kind]:
            for alias in (field.name, *field.aliases):
                assert seen.setdefault(fold(alias), field.name) == field.name, (kind, alias)


def test_the_documentation_lists_every_alias() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for kind in KINDS:
        for field in FIELDS[kind]:
            assert f"`{field.name}`" in text
            for alias in field.aliases:
                assert alias in text, (kind, field.name, alias)


# --- rows --------------------------------------------------------------------------------


def test_values_from_several_columns_are_merged_without_repeats() -> None:
    mapping = propose_mapping(["客户名称", "电话", "手机", "邮箱"], "customers")
    parsed = parse_row(
        Row(2, ["Acme", "13800138000; 010-12345678", "13800138000", "A@acme.com"]), mapping
    )
    assert parsed.ok
    assert parsed.values == {
        "name": "Acme",
        "phones": ["13800138000", "010-12345678"],
        "emails": ["A@acme.com"],
    }


def test_blank_cells_are_left_out_and_a_blank_required_cell_is_an_issue() -> None:
    mapping = propose_mapping(["客户名称", "电话", "城市"], "customers")
    parsed = parse_row(Row(9, ["", "13800138000", ""]), mapping)
    assert parsed.values == {"phones": ["13800138000"]}
    assert [str(issue) for issue in parsed.issues] == ["Row 9, column 客户名称: Name is empty."]


def test_a_shifted_csv_row_is_an_issue() -> None:
    mapping = propose_mapping(["客户名称", "电话"], "customers")
    parsed = parse_row(Row(4, ["Acme", " Inc."], overflow=("138001",)), mapping)
    assert not parsed.ok
    assert any("more cells than the header (138001)" in str(i) for i in parsed.issues)


@pytest.mark.parametrize(
    "kind,channel,expected",
    [
        ("拜访", "", {"kind": "visit", "channel": "in_person"}),
        ("", "微信", {"kind": "chat", "channel": "wechat"}),
        ("", "报价", {"kind": "quote"}),
        ("报价", "邮件", {"kind": "quote", "channel": "email"}),
        ("", "阿里巴巴", {"kind": "chat", "channel": "platform"}),
        ("Sample", "WhatsApp", {"kind": "sample", "channel": "whatsapp"}),
    ],
)
def test_an_activity_takes_its_kind_and_channel_from_either_column(
    kind: str, channel: str, expected: dict[str, str]
) -> None:
    mapping = propose_mapping(["客户", "类型", "跟进方式", "日期"], "activities")
    parsed = parse_row(Row(2, ["Acme", kind, channel, "2026-03-05"]), mapping)
    assert parsed.ok, parsed.issues
    assert {k: v for k, v in parsed.values.items() if k in ("kind", "channel")} == expected


def test_an_activity_whose_channel_says_nothing_of_its_kind_lacks_a_kind() -> None:
    mapping = propose_mapping(["客户", "跟进方式", "日期"], "activities")
    parsed = parse_row(Row(3, ["Acme", "其他", "2026-03-05"]), mapping)
    assert [issue.field for issue in parsed.issues] == ["kind"]


def test_times_are_read_in_the_companys_time_zone() -> None:
    mapping = propose_mapping(["客户", "类型", "跟进时间"], "activities")
    row = Row(2, ["Acme", "call", "2026/3/5 9:30"])
    berlin = parse_row(row, mapping, ValueContext(tz=ZoneInfo("Europe/Berlin"))).values["when"]
    shanghai = parse_row(row, mapping).values["when"]
    assert berlin.astimezone(UTC) == datetime(2026, 3, 5, 8, 30, tzinfo=UTC)
    assert shanghai.astimezone(UTC) == datetime(2026, 3, 5, 1, 30, tzinfo=UTC)


def test_an_ambiguous_date_is_an_issue_unless_the_import_says_day_first() -> None:
    mapping = propose_mapping(["客户", "类型", "Date"], "activities")
    row = Row(2, ["Acme", "call", "05/03/2026"])
    assert "could be 2026-03-05 or 2026-05-03" in str(parse_row(row, mapping).issues[0])
    parsed = parse_row(row, mapping, ValueContext(day_first=True))
    assert parsed.values["when"].date().isoformat() == "2026-03-05"
