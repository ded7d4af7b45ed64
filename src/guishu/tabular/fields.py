"""The fields an import fills, per kind of sheet, with the headers that name them.

Aliases are matched after folding (case, full-width characters, traditional characters, spaces
and punctuation; see vocabulary.fold), then without anything in brackets ("时长（分钟）"), then
without a trailing number ("电话2"). docs/spreadsheets.md lists them; keep the two in step.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guishu.tabular import values, vocabulary

KINDS = ("customers", "contacts", "activities")
# The company time zone's default (STYLE.md); an import passes the company's own.
DEFAULT_TIME_ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ValueContext:
    """How to read the cells of one import: the company's time zone, and whether "05/03/2026"
    is day-first (True), month-first (False) or refused as ambiguous (None)."""

    tz: tzinfo = DEFAULT_TIME_ZONE
    day_first: bool | None = None


Parser = Callable[[str, ValueContext], Any]


@dataclass(frozen=True)
class Field:
    """One thing an import reads from a column. `multiple` fields take a list of values and may
    come from several columns ("电话" and "手机" both fill `phones`)."""

    name: str
    label: Promise
    aliases: tuple[str, ...]
    parse: Parser
    multiple: bool = False


def _text(text: str, context: ValueContext) -> str | None:
    return values.parse_text(text)


def _plain(parser: Callable[[str], Any]) -> Parser:
    return lambda text, context: parser(text)


def _when(text: str, context: ValueContext) -> Any:
    return values.parse_datetime(text, tz=context.tz, day_first=context.day_first)


def _channel(text: str, context: ValueContext) -> str | None:
    # "跟进方式" columns hold kinds as often as channels ("报价", "样品"): such a word is no
    # error here; parse_row takes the kind from it and leaves the channel unset.
    if vocabulary.kind_and_channel(text)[0] is not None:
        return vocabulary.kind_and_channel(text)[1]
    return values.parse_channel(text)


def _aliases(listing: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in listing.split("|") if word.strip())


def _field(
    name: str, label: Promise, listing: str, parse: Parser = _text, *, multiple: bool = False
) -> Field:
    return Field(name, label, _aliases(listing), parse, multiple)


_NAME = "客户名称|公司名称|客户|名称|企业名称|单位名称|公司|客户全称|公司全称|企业|单位|"
_NAME += "name|customer|customer name|company|company name|account|account name|organisation|"
_NAME += "organization|client|client name"
_CUSTOMER = "客户名称|公司名称|客户|公司|企业名称|单位名称|单位|所属客户|所属公司|客户全称|"
_CUSTOMER += "customer|customer name|company|company name|account|account name|client"
_CUSTOMER_ID = "客户编号|客户id|客户代码|客户号|customer id|customer no|customer number|"
_CUSTOMER_ID += "customer code|account id"
_PHONES = "电话|手机|联系电话|座机|手机号|手机号码|电话号码|固话|固定电话|移动电话|联系手机|"
_PHONES += "phone|phones|tel|telephone|mobile|cell|cellphone|mobile phone|phone number|"
_PHONES += "landline|contact number"
_EMAILS = "邮箱|电子邮件|邮件|电子邮箱|邮箱地址|email|e-mail|mail|email address|emails"
_WEBSITES = "网址|官网|网站|公司网站|公司网址|主页|website|web|url|site|homepage|web site"
_WECHAT = "微信|微信号|wechat|weixin|wechat id"
_WHATSAPP = "whatsapp|whatsapp号|whatsapp号码|whats app"
_CREDIT_CODE = "统一社会信用代码|信用代码|社会信用代码|税号|纳税人识别号|credit code|"
_CREDIT_CODE += "unified social credit code|uscc"
_NOTES = "备注|说明|备注信息|描述|notes|note|remarks|remark|comments|comment|description|memo"

_COMMON = {
    "phones": _field("phones", _("phones"), _PHONES, _plain(values.parse_phones), multiple=True),
    "emails": _field("emails", _("emails"), _EMAILS, _plain(values.parse_emails), multiple=True),
    "wechat": _field("wechat", _("WeChat"), _WECHAT, _plain(values.parse_handles), multiple=True),
    "whatsapp": _field(
        "whatsapp", _("WhatsApp"), _WHATSAPP, _plain(values.parse_handles), multiple=True
    ),
    "credit_code": _field(
        "credit_code",
        _("unified social credit code"),
        _CREDIT_CODE,
        _plain(values.parse_credit_code),
    ),
}

CUSTOMER_FIELDS = (
    _field("name", _("name"), _NAME),
    _field(
        "aliases",
        _("other names"),
        "其他名称|别名|简称|客户简称|公司简称|英文名|英文名称|中文名|中文名称|曾用名|"
        "other names|other name|alias|aliases|aka|also known as|short name|english name|"
        "chinese name|trade name",
        _plain(values.parse_names),
        multiple=True,
    ),
    _COMMON["phones"],
    _COMMON["emails"],
    _field("websites", _("websites"), _WEBSITES, _plain(values.parse_websites), multiple=True),
    _COMMON["wechat"],
    _COMMON["whatsapp"],
    _COMMON["credit_code"],
    _field(
        "country",
        _("country"),
        "国家|国家地区|国别|country|nation|country region",
        _plain(values.parse_country),
    ),
    _field(
        "region",
        _("region / province"),
        "省份|地区|省|省州|州|区域|省市|region|province|state|area",
    ),
    _field("city", _("city"), "城市|市|所在城市|city|town"),
    _field(
        "address",
        _("address"),
        "地址|详细地址|公司地址|办公地址|联系地址|通讯地址|address|street|street address",
    ),
    _field("industry", _("industry"), "行业|所属行业|行业类别|行业分类|industry|sector|vertical"),
    _field(
        "source",
        _("source"),
        "来源|客户来源|渠道|渠道来源|获客渠道|线索来源|source|lead source|channel|origin",
    ),
    _field(
        "level",
        _("level"),
        "级别|客户等级|等级|客户级别|分级|客户分级|level|grade|tier|rating|customer level",
        _plain(values.parse_level),
    ),
    _field("notes", _("notes"), _NOTES),
    _field(
        "owner",
        _("owner"),
        "负责人|业务员|归属人|销售|销售员|跟进人|所属销售|客户经理|归属|所属人|"
        "owner|sales rep|salesperson|rep|account owner|assigned to|sales",
    ),
    _field(
        "kind",
        _("kind"),
        "类型|客户类型|公司个人|客户性质|性质|kind|type|customer type",
        _plain(values.parse_customer_kind),
    ),
    _field("contact_name", _("contact"), "联系人|联系人姓名|contact|contact name|contact person"),
    _field(
        "contact_title",
        _("contact's title"),
        "职位|职务|联系人职位|联系人职务|title|job title|position",
    ),
)

CONTACT_FIELDS = (
    _field("customer", _("customer"), _CUSTOMER),
    _field("customer_id", _("customer ID"), _CUSTOMER_ID),
    _COMMON["credit_code"],
    _field(
        "name", _("name"), "联系人|姓名|联系人姓名|名字|name|contact|contact name|full name|person"
    ),
    _field("title", _("title"), "职位|职务|岗位|头衔|title|job title|position"),
    _COMMON["phones"],
    _COMMON["emails"],
    _COMMON["wechat"],
    _COMMON["whatsapp"],
    _field(
        "chain_role",
        _("decision-chain role"),
        "决策链角色|角色|决策角色|决策链|chain role|role|decision role|buying role",
        _plain(values.parse_chain_role),
    ),
    _field("stance", _("stance"), "态度|立场|倾向|stance|attitude", _plain(values.parse_stance)),
    _field("notes", _("notes"), _NOTES),
)

ACTIVITY_FIELDS = (
    _field("customer", _("customer"), _CUSTOMER),
    _field("customer_id", _("customer ID"), _CUSTOMER_ID),
    _COMMON["credit_code"],
    _field(
        "by",
        _("by"),
        "跟进人|业务员|负责人|销售|销售员|记录人|员工|拜访人|by|rep|sales rep|salesperson|owner|"
        "user|recorded by|staff|employee",
    ),
    _field(
        "kind",
        _("type"),
        "类型|跟进类型|活动类型|记录类型|事项|type|kind|activity type|activity",
        _plain(values.parse_activity_kind),
    ),
    _field(
        "channel",
        _("channel"),
        "跟进方式|渠道|方式|沟通方式|沟通渠道|联系渠道|channel|via|medium|method",
        _channel,
    ),
    _field(
        "when",
        _("when"),
        "跟进时间|日期|时间|跟进日期|拜访时间|拜访日期|发生时间|联系时间|date|time|when|"
        "datetime|date time|occurred at",
        _when,
    ),
    _field(
        "duration",
        _("duration (minutes)"),
        "时长|时长分钟|通话时长|持续时间|用时|duration|minutes|duration minutes|length",
        _plain(values.parse_minutes),
    ),
    _field("outcome", _("outcome"), "结果|跟进结果|成果|outcome|result"),
    _field(
        "note",
        _("note"),
        "内容|跟进内容|备注|记录|详情|沟通内容|说明|跟进记录|note|notes|content|details|"
        "summary|description|remarks",
    ),
    _field(
        "customer_initiated",
        _("customer initiated"),
        "客户主动|是否客户主动|主动联系|客户发起|customer initiated|inbound|initiated by customer",
        _plain(values.parse_bool),
    ),
    _field(
        "contacts",
        _("contacts"),
        "联系人|参与人|对接人|contact|contacts|attendees",
        _plain(values.parse_names),
        multiple=True,
    ),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "customers": CUSTOMER_FIELDS,
    "contacts": CONTACT_FIELDS,
    "activities": ACTIVITY_FIELDS,
}

# What a sheet must have for its rows to mean anything: one field of each group.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "customers": (("name",),),
    "contacts": (("name",), ("customer", "customer_id", "credit_code")),
    "activities": (("customer", "customer_id", "credit_code"), ("kind", "channel"), ("when",)),
}
