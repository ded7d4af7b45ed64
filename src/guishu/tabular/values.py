"""Reading one cell as a typed value: dates, booleans, numbers, durations, lists, choices.

Every parser takes the cell's text and returns None for a blank cell, the value when the text
can be read, and raises CellError with a translated reason otherwise, so that an importer can
say "row 7, column 电话: ...". Dates and choices are read as people write them in China and
abroad: "2026/3/5", "2026年3月5日 下午3点", "05-Mar-2026", an Excel serial number; "是/否",
"✓"; "电话" (a call by phone), "报价" (a quote).
"""

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from guishu.matching.credit_code import normalise_credit_code
from guishu.tabular import vocabulary
from guishu.tabular.countries import country_code


class CellError(ValueError):
    """A cell that cannot be read as its field's type; the message is the reason, translated."""


def _normal(text: str) -> str:
    # NFKC turns full-width digits and colons ("２０２６：") into ASCII ones.
    return unicodedata.normalize("NFKC", text).strip()


def parse_text(text: str) -> str | None:
    """Text as typed, with surrounding spaces removed; None when blank."""
    return text.strip() or None


# --- booleans and numbers -------------------------------------------------------------------


def parse_bool(text: str) -> bool | None:
    """是/否, yes/no, Y/N, true/false, 1/0, ✓/✗ and their kin."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped in vocabulary.SYMBOL_BOOLEANS:
        return vocabulary.SYMBOL_BOOLEANS[stripped]
    found = vocabulary.BOOLEANS.get(vocabulary.fold(stripped))
    if found is None:
        raise CellError(_("“%(value)s” is not yes or no (是/否).") % {"value": stripped})
    return found == "1"


_CURRENCY = re.compile(r"^(?:[¥$€£]|rmb|cny|usd|eur)\s*|\s*(?:元|rmb|cny|usd|eur)$", re.I)
_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "%": Decimal("0.01")}


def parse_number(text: str) -> Decimal | None:
    """1234.5, "1,234.50", "¥1,234", "(1,234)" (negative), "15%", "1.2万"."""
    value = _normal(text)
    if not value:
        return None
    original = value
    negative = value.startswith("(") and value.endswith(")")
    value = value.strip("()").replace(" ", "").replace("_", "").replace("'", "")
    value = _CURRENCY.sub("", value)
    factor = Decimal(1)
    if value[-1:] in _MULTIPLIERS:
        factor, value = _MULTIPLIERS[value[-1]], value[:-1]
    if "," in value and "." not in value and not re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+", value):
        raise CellError(
            _("“%(value)s” is not a number; write decimals with a point, like 12.5.")
            % {"value": original}
        )
    value = value.replace(",", "")
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", value):
        raise CellError(_("“%(value)s” is not a number.") % {"value": original})
    number *= factor
    return -number if negative else number


def parse_int(text: str) -> int | None:
    """A whole number ("1,200", "3.0"); 2.5 is refused."""
    number = parse_number(text)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text.strip()})
    return int(number)


_DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)(小时|钟头|hours?|hrs?|h|分钟|分|minutes?|mins?|m|秒钟|秒|seconds?|secs?|s)"
)
_SECONDS_PER_UNIT = {"小": 3600, "钟": 3600, "h": 3600, "分": 60, "m": 60, "秒": 1, "s": 1}


def parse_minutes(text: str) -> int | None:
    """A duration in whole minutes: 30, "30分钟", "1.5小时", "1h30m", "1:30", "半小时"."""
    value = _normal(text).lower().replace(" ", "").replace("个", "")
    if not value:
        return None
    value = value.replace("半小时", "0.5小时") if value.startswith("半") else value
    value = value.replace("半小时", ".5小时").replace("半钟头", ".5钟头")
    seconds: float | None = None
    if re.fullmatch(r"\d+(\.\d+)?", value):
        seconds = float(value) * 60
    elif clock := re.fullmatch(r"(\d{1,3}):(\d{2})(?::(\d{2}))?", value):
        hours, minutes, secs = clock.groups()
        seconds = int(hours) * 3600 + int(minutes) * 60 + int(secs or 0)
    elif _DURATION_PART.sub("", value) == "" and _DURATION_PART.search(value):
        seconds = sum(
            float(amount) * _SECONDS_PER_UNIT[unit[0]]
            for amount, unit in _DURATION_PART.findall(value)
        )
    if seconds is None or seconds > 60 * 24 * 366 * 60:
        raise CellError(
            _("“%(value)s” is not a duration; write minutes, like 30 or 1:30.")
            % {"value": text.strip()}
        )
    return round(seconds / 60)


# --- dates and times ------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month_name>[a-z]{3,9})\.?"
_TIME = r"(?:[ t]+(?P<time>.+))?"
_DATE_FORMS = (
    re.compile(r"(?P<year>\d{4})[-/.](?P<a>\d{1,2})[-/.](?P<b>\d{1,2})" + _TIME),
    re.compile(r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<year>\d{4})" + _TIME),
    re.compile(
        r"(?P<day>\d{1,2})(?:st|nd|rd|th)?[ -]*" + _MONTH + r"[ ,-]*(?P<year>\d{2,4})" + _TIME
    ),
    re.compile(_MONTH + r"[ -]*(?P<day>\d{1,2})(?:st|nd|rd|th)?[ ,-]*(?P<year>\d{4})" + _TIME),
)
_CLOCK = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})(?:\.\d+)?)?")
# 下午3点半 → pm 3:30; "年/月/日" → "-"; the order matters (longest first).
_CHINESE = (
    (re.compile(r"(\d{1,2})[点时](\d{1,2})分(\d{1,2})秒"), r"\1:\2:\3"),
    (re.compile(r"(\d{1,2})[点时]半"), r"\1:30"),
    (re.compile(r"(\d{1,2})[点时](\d{1,2})分?"), r"\1:\2"),
    (re.compile(r"(\d{1,2})[点时]整?"), r"\1:00"),
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"), r"\1-\2-\3 "),
)
_AFTERNOON = ("下午", "晚上", "傍晚", "pm", "p.m.")
_MORNING = ("上午", "早上", "凌晨", "早晨", "am", "a.m.")
_NOON = ("中午",)
# Excel serial numbers people meet in a CRM: 10000 is 1927-05-18, 99999 is 2173-10-14.
_SERIAL = re.compile(r"(?P<days>\d{5})(?P<fraction>\.\d+)?")
_EXCEL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - a calendar origin, not an instant


def parse_date(text: str, *, day_first: bool | None = None) -> date | None:
    """A calendar date; a time of day in the cell is ignored.

    Year-first dates are read as year-month-day. "05/03/2026" is ambiguous: it is read
    day-first or month-first as `day_first` says, and refused when `day_first` is None,
    unless one of the numbers is over 12.
    """
    moment = _parse_moment(text, day_first)
    return None if moment is None else moment[0]


def parse_datetime(text: str, *, tz: tzinfo, day_first: bool | None = None) -> datetime | None:
    """An aware date-time: a written offset ("+08:00", "Z") is kept and converted to `tz`;
    otherwise the time is taken as local time in `tz`. A date alone is midnight."""
    moment = _parse_moment(text, day_first)
    if moment is None:
        return None
    day, clock, offset = moment
    naive = datetime.combine(day, clock or time(0, 0))
    if offset is not None:
        return naive.replace(tzinfo=offset).astimezone(tz)
    return naive.replace(tzinfo=tz)


def _parse_moment(
    text: str, day_first: bool | None
) -> tuple[date, time | None, tzinfo | None] | None:
    original = text.strip()
    value = _normal(text).lower()
    if not value:
        return None
    try:
        result = _read_moment(value, day_first)
    except (ValueError, OverflowError) as error:
        if isinstance(error, CellError):
            raise
        result = None
    if result is None:
        raise CellError(
            _("“%(value)s” is not a date; write it like 2026-03-05 or 2026-03-05 14:30.")
            % {"value": original}
        )
    if not 1900 <= result[0].year <= 2100:
        raise CellError(_("“%(value)s” is not a plausible date.") % {"value": original})
    return result


def _read_moment(
    value: str, day_first: bool | None
) -> tuple[date, time | None, tzinfo | None] | None:
    if re.fullmatch(r"\d{8}", value):
        return date(int(value[:4]), int(value[4:6]), int(value[6:])), None, None
    if serial := _SERIAL.fullmatch(value):
        moment = _EXCEL_EPOCH + timedelta(days=float(value))
        moment = (moment + timedelta(microseconds=500_000)).replace(microsecond=0)
        return moment.date(), (moment.time() if serial["fraction"] else None), None
    try:
        parsed = datetime.fromisoformat(value.upper())
    except ValueError:
        pass
    else:
        has_time = len(value) > 10
        return parsed.date(), (parsed.time() if has_time else None), parsed.tzinfo
    meridiem, value = _take_meridiem(value)
    for pattern, replacement in _CHINESE:
        value = pattern.sub(replacement, value)
    value = re.sub(r"\s+", " ", value).strip()
    for form in _DATE_FORMS:
        found = form.fullmatch(value)
        if found:
            day = _date_of(found, day_first, value)
            clock = _time_of(found["time"], meridiem)
            return day, clock, None
    return None


def _take_meridiem(value: str) -> tuple[str | None, str]:
    for words, marker in ((_AFTERNOON, "pm"), (_MORNING, "am"), (_NOON, "noon")):
        for word in words:
            if word in value:
                return marker, value.replace(word, " ")
    return None, value


def _date_of(found: re.Match[str], day_first: bool | None, value: str) -> date:
    groups = found.groupdict()
    year = int(groups["year"])
    if year < 100:
        year += 2000 if year < 70 else 1900
    if groups.get("month_name"):
        month = _MONTHS.get(groups["month_name"])
        if month is None:
            raise ValueError(value)
        return date(year, month, int(groups["day"]))
    a, b = int(groups["a"]), int(groups["b"])
    if found.re is _DATE_FORMS[0]:
        return date(year, a, b)
    if a > 12 >= b:
        day_first = True
    elif b > 12 >= a:
        day_first = False
    elif a == b:
        day_first = True
    elif day_first is None:
        raise CellError(
            _(
                "“%(value)s” could be %(first)s or %(second)s; write the date as "
                "YYYY-MM-DD (2026-03-05)."
            )
            % {
                "value": value,
                "first": date(year, b, a).isoformat(),
                "second": date(year, a, b).isoformat(),
            }
        )
    return date(year, b, a) if day_first else date(year, a, b)


def _time_of(text: str | None, meridiem: str | None) -> time | None:
    if not text:
        return None
    found = _CLOCK.fullmatch(text.strip())
    if not found:
        raise ValueError(text)
    hour, minute = int(found["hour"]), int(found["minute"])
    if (meridiem == "pm" and hour < 12) or (meridiem == "noon" and hour < 11):
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    return time(hour, minute, int(found["second"] or 0))


# --- lists ---------------------------------------------------------------------------------

PHONE_SEPARATORS = ";；,，/、|\n\r"
EMAIL_SEPARATORS = PHONE_SEPARATORS + " \t"
WEBSITE_SEPARATORS = ";；,，、|\n\r \t"
NAME_SEPARATORS = ";；、|\n\r"


def split_values(text: str, separators: str = PHONE_SEPARATORS) -> list[str]:
    """The distinct values in one cell, in order: "138...;139... / 010-..." → three phones."""
    parts = re.split("[" + re.escape(separators) + "]+", text)
    seen: dict[str, None] = {}
    for part in parts:
        if part.strip():
            seen.setdefault(part.strip(), None)
    return list(seen)


def parse_phones(text: str) -> list[str]:
    """Phone numbers as typed (the matching engine normalises them); each needs 5 digits."""
    phones = split_values(text, PHONE_SEPARATORS)
    bad = [phone for phone in phones if _digits(phone) < 5]
    if bad:
        # "n/a", "无", "-": when no part is a phone, name the whole cell, not "n".
        value = text.strip() if len(bad) == len(phones) else bad[0]
        raise CellError(_("“%(value)s” is not a phone number.") % {"value": value})
    return phones


def _digits(text: str) -> int:
    return len(_DIGIT.findall(text))


_DIGIT = re.compile(r"\d")


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def parse_emails(text: str) -> list[str]:
    emails = [
        re.sub(r"^mailto:", "", value, flags=re.I)
        for value in split_values(unicodedata.normalize("NFKC", text), EMAIL_SEPARATORS)
    ]
    for email in emails:
        if not _EMAIL.fullmatch(email):
            raise CellError(_("“%(value)s” is not an email address.") % {"value": email})
    return emails


def parse_websites(text: str) -> list[str]:
    return split_values(text, WEBSITE_SEPARATORS)


def parse_names(text: str) -> list[str]:
    """Several names in one cell, separated by ; 、 | or new lines (not commas: "Acme, Inc.")."""
    return split_values(text, NAME_SEPARATORS)


def parse_handles(text: str) -> list[str]:
    """WeChat or WhatsApp IDs, separated like phone numbers."""
    return split_values(text, PHONE_SEPARATORS)


# --- codes ---------------------------------------------------------------------------------


def parse_country(text: str) -> str | None:
    """An ISO 3166 code from "China", "中国", "cn", "Deutschland"."""
    if not text.strip():
        return None
    code = country_code(text)
    if code is None:
        raise CellError(
            _("“%(value)s” is not a country we recognise; write its name or a code like CN.")
            % {"value": text.strip()}
        )
    return code


def parse_credit_code(text: str) -> str | None:
    if not text.strip():
        return None
    code = normalise_credit_code(text)
    if code is None:
        raise CellError(
            _(
                "“%(value)s” is not a valid unified social credit code (18 characters, the "
                "last one a check character)."
            )
            % {"value": text.strip()}
        )
    return code


def parse_activity_kind(text: str) -> str | None:
    """The activity's type from its word, or from its channel word ("微信" is a chat)."""
    if not text.strip():
        return None
    kind, channel = vocabulary.kind_and_channel(text)
    kind = kind or vocabulary.KIND_FOR_CHANNEL.get(channel or "")
    if kind is None:
        raise CellError(
            _("“%(value)s” is not an activity type (拜访, 电话, 微信, 报价, 样品, 验厂, ...).")
            % {"value": text.strip()}
        )
    return kind


def parse_channel(text: str) -> str | None:
    if not text.strip():
        return None
    _kind, channel = vocabulary.kind_and_channel(text)
    if channel is None:
        raise CellError(
            _("“%(value)s” is not a channel (面谈, 电话, 邮件, 微信, WhatsApp, 视频, 平台, 其他).")
            % {"value": text.strip()}
        )
    return channel


def _choice(table: dict[str, str], message: Callable[[], str], text: str) -> str | None:
    if not text.strip():
        return None
    found = table.get(vocabulary.fold(text))
    if found is None:
        raise CellError(message() % {"value": text.strip()})
    return found


def parse_chain_role(text: str) -> str | None:
    return _choice(
        vocabulary.CHAIN_ROLES,
        lambda: _(
            "“%(value)s” is not a decision-chain role (决策者, 影响者, 使用者, 把关人, 内线)."
        ),
        text,
    )


def parse_stance(text: str) -> str | None:
    return _choice(
        vocabulary.STANCES, lambda: _("“%(value)s” is not a stance (支持, 中立, 反对, 未知)."), text
    )


def parse_level(text: str) -> str | None:
    return _choice(vocabulary.LEVELS, lambda: _("“%(value)s” is not a level (A, B or C)."), text)


def parse_customer_kind(text: str) -> str | None:
    return _choice(
        vocabulary.CUSTOMER_KINDS,
        lambda: _("“%(value)s” is neither a company nor a person (公司/个人)."),
        text,
    )
