"""Cells read as typed values, as people write them in China and abroad."""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from guishu.activities.models import Activity
from guishu.customers.models import Contact, Customer
from guishu.tabular import values, vocabulary
from guishu.tabular.values import CellError

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-03-05", date(2026, 3, 5)),
        ("2026/3/5", date(2026, 3, 5)),
        ("2026.3.5", date(2026, 3, 5)),
        ("2026年3月5日", date(2026, 3, 5)),
        ("2026年3月5号", date(2026, 3, 5)),
        ("２０２６年３月５日", date(2026, 3, 5)),
        ("20260305", date(2026, 3, 5)),
        ("46086", date(2026, 3, 5)),
        ("05-Mar-2026", date(2026, 3, 5)),
        ("5 March 2026", date(2026, 3, 5)),
        ("Mar 5, 2026", date(2026, 3, 5)),
        ("5-Mar-26", date(2026, 3, 5)),
        ("13/3/2026", date(2026, 3, 13)),
        ("3/13/2026", date(2026, 3, 13)),
        ("2026-03-05 14:30", date(2026, 3, 5)),
        ("", None),
    ],
)
def test_dates_in_the_forms_people_write_them(text: str, expected: date | None) -> None:
    assert values.parse_date(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-03-05 14:30", datetime(2026, 3, 5, 14, 30)),
        ("2026-03-05T14:30:15", datetime(2026, 3, 5, 14, 30, 15)),
        ("2026/3/5 9:05", datetime(2026, 3, 5, 9, 5)),
        ("2026年3月5日 14:30", datetime(2026, 3, 5, 14, 30)),
        ("2026年3月5日14时30分", datetime(2026, 3, 5, 14, 30)),
        ("2026年3月5日 下午3点", datetime(2026, 3, 5, 15, 0)),
        ("2026年3月5日 下午3点半", datetime(2026, 3, 5, 15, 30)),
        ("2026年3月5日 上午12点", datetime(2026, 3, 5, 0, 0)),
        ("2026年3月5日 中午12点", datetime(2026, 3, 5, 12, 0)),
        ("3/13/2026 2:30 PM", datetime(2026, 3, 13, 14, 30)),
        ("46086.5", datetime(2026, 3, 5, 12, 0)),
        ("2026-03-05", datetime(2026, 3, 5)),
    ],
)
def test_date_times_are_local_to_the_given_time_zone(text: str, expected: datetime) -> None:
    assert values.parse_datetime(text, tz=SHANGHAI) == expected.replace(tzinfo=SHANGHAI)


def test_a_written_offset_is_kept_and_shown_in_the_given_zone() -> None:
    moment = values.parse_datetime("2026-03-05T06:30:00Z", tz=SHANGHAI)
    assert moment == datetime(2026, 3, 5, 14, 30, tzinfo=SHANGHAI)
    assert moment is not None and moment.tzinfo == SHANGHAI


def test_a_day_and_month_that_could_swap_need_the_imports_word() -> None:
    with pytest.raises(CellError, match="could be 2026-03-05 or 2026-05-03"):
        values.parse_date("05/03/2026")
    assert values.parse_date("05/03/2026", day_first=True) == date(2026, 3, 5)
    assert values.parse_date("05/03/2026", day_first=False) == date(2026, 5, 3)
    assert values.parse_date("05/05/2026") == date(2026, 5, 5)


@pytest.mark.parametrize(
    "text", ["2026-13-45", "2026-02-30", "yesterday", "2026", "1234", "3/5", "Foo 5, 2026"]
)
def test_what_is_not_a_date_says_how_to_write_one(text: str) -> None:
    with pytest.raises(CellError, match="is not a date; write it like 2026-03-05"):
        values.parse_date(text)


def test_an_implausible_year_is_refused() -> None:
    with pytest.raises(CellError, match="not a plausible date"):
        values.parse_date("1850-01-01")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("是", True),
        ("否", False),
        ("Yes", True),
        ("no", False),
        ("Y", True),
        ("n", False),
        ("1", True),
        ("0", False),
        ("TRUE", True),
        ("FALSE", False),
        ("✓", True),
        ("√", True),
        ("✗", False),
        ("×", False),
        ("对", True),
        ("", None),
    ],
)
def test_booleans(text: str, expected: bool | None) -> None:
    assert values.parse_bool(text) is expected


def test_what_is_not_yes_or_no_is_an_error() -> None:
    with pytest.raises(CellError, match="is not yes or no"):
        values.parse_bool("maybe")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1234.5", Decimal("1234.5")),
        ("1,234.50", Decimal("1234.50")),
        ("¥1,234", Decimal("1234")),
        ("$ 99", Decimal("99")),
        ("100元", Decimal("100")),
        ("(1,234)", Decimal("-1234")),
        ("15%", Decimal("0.15")),
        ("1.2万", Decimal("12000")),
        ("１２３", Decimal("123")),
        ("-7", Decimal("-7")),
        ("", None),
    ],
)
def test_numbers(text: str, expected: Decimal | None) -> None:
    assert values.parse_number(text) == expected


@pytest.mark.parametrize("text", ["12,5", "abc", "-", "1e5", "1.2.3"])
def test_what_is_not_a_number_is_an_error(text: str) -> None:
    with pytest.raises(CellError, match="is not a number"):
        values.parse_number(text)


def test_whole_numbers() -> None:
    assert values.parse_int("1,200") == 1200
    assert values.parse_int("3.0") == 3
    with pytest.raises(CellError, match="not a whole number"):
        values.parse_int("2.5")


@pytest.mark.parametrize(
    "text,minutes",
    [
        ("30", 30),
        ("30分钟", 30),
        ("30 min", 30),
        ("1.5小时", 90),
        ("1h30m", 90),
        ("1小时30分钟", 90),
        ("1:30", 90),
        ("半小时", 30),
        ("1个半小时", 90),
        ("2 hours", 120),
        ("90 seconds", 2),
        ("", None),
    ],
)
def test_durations_in_minutes(text: str, minutes: int | None) -> None:
    assert values.parse_minutes(text) == minutes


def test_what_is_not_a_duration_is_an_error() -> None:
    with pytest.raises(CellError, match="is not a duration"):
        values.parse_minutes("a while")


def test_several_values_in_one_cell() -> None:
    cell = "13800138000；13900139000, 010-12345678/+86 21 5555 6666、13700137000\n13800138000"
    assert values.parse_phones(cell) == [
        "13800138000",
        "13900139000",
        "010-12345678",
        "+86 21 5555 6666",
        "13700137000",
    ]
    assert values.parse_emails("a@x.com b@y.cn;mailto:c@z.de") == ["a@x.com", "b@y.cn", "c@z.de"]
    assert values.parse_websites("acme.com/zh, acme.de") == ["acme.com/zh", "acme.de"]
    assert values.parse_names("Acme, Inc.；艾克美、ACME") == ["Acme, Inc.", "艾克美", "ACME"]
    assert values.parse_phones("") == []


@pytest.mark.parametrize(
    "parser,text,message",
    [
        (values.parse_phones, "n/a", "“n/a” is not a phone number"),
        (values.parse_phones, "13800138000/123", "“123” is not a phone number"),
        (values.parse_emails, "a@x.com, not-an-email", "“not-an-email” is not an email"),
        (values.parse_country, "Atlantis", "not a country we recognise"),
        (values.parse_credit_code, "91320500MA1NABCDEX", "not a valid unified social credit"),
    ],
)
def test_each_bad_value_is_named_in_its_error(parser: object, text: str, message: str) -> None:
    with pytest.raises(CellError, match=message):
        parser(text)  # type: ignore[operator]


def test_countries_and_credit_codes_are_normalised() -> None:
    assert values.parse_country("中国") == "CN"
    assert values.parse_credit_code("91320500-MA1N-ABCDEM") == "91320500MA1NABCDEM"


@pytest.mark.parametrize(
    "text,kind,channel",
    [
        ("电话", "call", "phone"),
        ("拜访", "visit", "in_person"),
        ("微信", "chat", "wechat"),
        ("報價", "quote", None),
        ("样品", "sample", None),
        ("寄样", "sample", None),
        ("验厂", "factory_visit", "in_person"),
        ("来厂参观", "factory_visit", "in_person"),
        ("Factory visit", "factory_visit", "in_person"),
        ("E-mail", "email", "email"),
        ("视频会议", "meeting", "video"),
        ("阿里巴巴", None, "platform"),
        ("投诉", "complaint", None),
        ("售后", "service", None),
    ],
)
def test_activity_words_give_a_kind_a_channel_or_both(
    text: str, kind: str | None, channel: str | None
) -> None:
    assert vocabulary.kind_and_channel(text) == (kind, channel)


def test_an_activity_kind_may_be_told_by_its_channel_alone() -> None:
    assert values.parse_activity_kind("WhatsApp") == "chat"
    assert values.parse_activity_kind("阿里巴巴") == "chat"
    assert values.parse_channel("电话") == "phone"
    with pytest.raises(CellError, match="is not an activity type"):
        values.parse_activity_kind("飞鸽传书")
    with pytest.raises(CellError, match="is not a channel"):
        values.parse_channel("报价")


@pytest.mark.parametrize(
    "parser,text,code",
    [
        (values.parse_chain_role, "决策者", "decision_maker"),
        (values.parse_chain_role, "Decision-maker", "decision_maker"),
        (values.parse_chain_role, "内线", "champion"),
        (values.parse_chain_role, "把关人", "gatekeeper"),
        (values.parse_stance, "支持", "supporter"),
        (values.parse_stance, "中立", "neutral"),
        (values.parse_stance, "Opponent", "opponent"),
        (values.parse_level, "a", "A"),
        (values.parse_level, "B级", "B"),
        (values.parse_level, "C类客户", "C"),
        (values.parse_level, "A（重点）", "A"),
        (values.parse_customer_kind, "个人", "person"),
        (values.parse_customer_kind, "企业", "company"),
    ],
)
def test_choices_in_english_and_chinese(parser: object, text: str, code: str) -> None:
    assert parser(text) == code  # type: ignore[operator]


def test_an_unknown_choice_lists_the_known_ones() -> None:
    with pytest.raises(CellError, match=r"is not a level \(A, B or C\)"):
        values.parse_level("Z")
    with pytest.raises(CellError, match="is not a decision-chain role"):
        values.parse_chain_role("boss")


CHOICES = [
    (Activity.Kind, values.parse_activity_kind),
    (Activity.Channel, values.parse_channel),
    (Contact.ChainRole, values.parse_chain_role),
    (Contact.Stance, values.parse_stance),
    (Customer.LevelChoice, values.parse_level),
    (Customer.Kind, values.parse_customer_kind),
]


@pytest.mark.parametrize("choices,parser", CHOICES)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_models_choice_reads_back_from_its_code_and_its_labels(
    choices: type, parser: object, language: str
) -> None:
    """What an export writes (the code, or the label in either language) imports again, and
    every code the vocabulary produces is one the model accepts."""
    with translation.override(language):
        for value, label in choices.choices:  # type: ignore[attr-defined]
            assert parser(value) == value  # type: ignore[operator]
            assert parser(str(label)) == value, (language, label)  # type: ignore[operator]


def test_the_vocabularies_produce_only_model_codes() -> None:
    assert set(Activity.Kind.values) == vocabulary.ACTIVITY_KINDS
    assert set(Activity.Channel.values) == vocabulary.CHANNELS
    assert set(vocabulary.CHAIN_ROLES.values()) == set(Contact.ChainRole.values)
    assert set(vocabulary.STANCES.values()) == set(Contact.Stance.values)
    assert set(vocabulary.LEVELS.values()) == set(Customer.LevelChoice.values)
    assert set(vocabulary.CUSTOMER_KINDS.values()) == set(Customer.Kind.values)
    assert set(vocabulary.KIND_FOR_CHANNEL.values()) <= set(Activity.Kind.values)


def test_text_is_stripped_and_blank_is_none() -> None:
    assert values.parse_text("  Acme  ") == "Acme"
    assert values.parse_text("   ") is None
