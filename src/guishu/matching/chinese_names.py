"""Chinese company names split into region, trade name (字号), industry words and legal form.

Business rule: a Chinese company name is built by law as 行政区划 + 字号 + 行业 + 组织形式
("北京" + "字节跳动" + "科技" + "有限公司"). Reps type any part of it: the bare trade name
("字节跳动"), the region in brackets ("字節跳動(北京)科技"), another legal form. The trade name
is what identifies the company; the region and industry tell apart companies that share it
("北京恒达科技" and "上海恒达科技" are two companies). Traditional characters are read as
simplified first. A branch ("…上海分公司") is flagged, because it belongs to a company without
being that company's head office.
"""

import functools
import itertools
import re
from dataclasses import dataclass, replace

from pypinyin import lazy_pinyin

from guishu.matching.places import (
    COUNTRY_PLACES,
    DIVISION_SUFFIXES,
    PLACES_LONGEST_FIRST,
    PROVINCE_OF,
    locate,
    strip_division_suffix,
)
from guishu.matching.text import fold_letters, is_han, to_simplified, word_set, words

# Industry words (行业表述), the ones that end most registered names. A longer word wins over
# its parts ("新材料" over "材料"), and words are cut from the end of the name one by one.
INDUSTRY_WORDS = word_set(
    """
    科技 技术 高新技术 高科技 新技术 信息技术 网络科技 生物科技 贸易 商贸 经贸 外贸 工贸 科贸
    进出口 进出口贸易 国际 国际贸易 发展 实业 实业发展 贸易发展 机械 机电 电子 电器 电气 电力
    电机 家电 制造 精密 精工 信息 网络 软件 数据 系统 集成 通信 通讯 数码 智能 自动化 机器人
    半导体 集成电路 光电 光学 激光 显示 服装 服饰 纺织 纺织品 针织 鞋业 箱包 皮革 化工
    精细化工 化学 材料 新材料 建材 设备 器材 仪器 仪表 工程 建设 建筑 装饰 投资 控股 咨询
    咨询服务 管理 服务 商务 电子商务 电商 物流 供应链 运输 货运 海运 货运代理 国际货运代理
    代理 航空 船舶 新能源 能源 光伏 储能 电池 环保 节能 环境 水务 热能 动力 生物 医药 医疗
    医疗器械 器械 健康 食品 农业 五金 塑胶 塑料 橡胶 包装 印刷 纸业 家具 家居 照明 灯饰
    门窗 卫浴 洁具 厨具 汽车 汽配 配件 零部件 模具 金属 钢铁 不锈钢 铝业 制品 工艺 礼品 玩具
    陶瓷 玻璃 石材 化妆品 日用品 用品 泵业 阀门 轴承 液压 工业 产业 重工 轻工 传媒 文化 广告
    教育 旅游 餐饮 酒店 房地产 置业 物业 人力资源 安防 消防 检测 测控 设计 企业 商业 连锁
    超市 百货 电线 电缆 线缆
    """
)
_INDUSTRY_LENGTHS = sorted({len(word) for word in INDUSTRY_WORDS}, reverse=True)

# Legal forms (组织形式) and their long spellings; cut from the end again and again, so
# "集团股份有限公司" needs no entry of its own, but the usual forms are listed to be read.
LEGAL_FORMS = word_set(
    """
    股份有限公司 有限责任公司 集团有限公司 有限公司 股份合作公司 股份公司 集团公司 总公司 集团
    公司 有限合伙企业 普通合伙企业 合伙企业 有限合伙 普通合伙 个人独资企业 独资企业 个体工商户
    总厂 厂 商行 商店 商铺 店 经营部 门市部 工作室 事务所 合作社 中心 研究院 研究所
    """
)
_LEGAL_LONGEST_FIRST = tuple(sorted(LEGAL_FORMS, key=lambda word: (-len(word), word)))

# What ends the name of an office that belongs to another company.
BRANCH_MARKERS = ("分公司", "办事处", "代表处", "分厂", "分店", "分部", "营业部", "分中心", "分所")

# "X市/X区/X县" for places not in our table: two or three characters and a division suffix.
_UNKNOWN_DIVISION = re.compile(r"^([\u4e00-\u9fff]{2,3}?)(自治区|自治州|新区|省|市|区|县)")

# Brackets people put around a region or a legal form: "字節跳動(北京)科技", "（集团）".
_BRACKETED = re.compile(r"[(\[【〔{]([^()\[\]【】〔〕{}]*)[)\]】〕}]")

# A trade name needs two characters: "金华贸易" is the trade name 金华, not the city 金华.
_MIN_TRADE = 2


@dataclass(frozen=True, slots=True)
class ChineseName:
    """A parsed Chinese company name; every part simplified and without punctuation."""

    regions: tuple[str, ...]  # canonical places of registration, most specific only
    trade: str  # 字号, e.g. "字节跳动"
    industry: tuple[str, ...]  # in name order, e.g. ("网络", "科技")
    legal_form: str  # e.g. "有限公司", "" when none
    branch: str  # "" for a head office, else e.g. "上海分公司"

    @property
    def key(self) -> str:
        """The exact key: equal keys are the same name once typing and form are ignored."""
        return "".join((*self.regions, self.trade, *self.industry, self.branch))


# Places by length, so that finding the longest place at either end of a name costs a few set
# lookups instead of a scan of every place (the scan dominated profile building).
_PLACE_SET = frozenset(PLACES_LONGEST_FIRST)
_PLACE_LENGTHS = sorted({len(place) for place in _PLACE_SET}, reverse=True)


def _leading_place(text: str) -> tuple[str, str] | None:
    """A place that starts the text, as (canonical place, text consumed)."""
    for length in _PLACE_LENGTHS:
        place = text[:length]
        if len(place) == length and place in _PLACE_SET:
            consumed = place
            for suffix in DIVISION_SUFFIXES:
                # "北京市政工程": 市政 (municipal works) is the industry, not 北京市.
                if text.startswith(suffix, len(place)) and not text.startswith(
                    suffix + "政", len(place)
                ):
                    consumed += suffix
                    break
            return place, consumed
    for country in COUNTRY_PLACES:
        if text.startswith(country):
            return country, country
    match = _UNKNOWN_DIVISION.match(text)
    # "市政工程" is an industry, not a city called 市.
    if match and not text.startswith("政", match.end()):
        return match.group(1), match.group(0)
    return None


def _trailing_place(text: str) -> tuple[str, str] | None:
    """A known place that ends the text ("字节跳动北京"), as (place, text consumed)."""
    for length in _PLACE_LENGTHS:
        for suffix in ("", *DIVISION_SUFFIXES):
            if not text.endswith(suffix):
                continue
            stem = text[: len(text) - len(suffix)]
            place = stem[-length:]
            if len(place) == length and place in _PLACE_SET:
                return place, place + suffix
    return None


def _is_place(text: str) -> str | None:
    """The canonical place when the whole text names one ("北京", "北京市", "浦东新区")."""
    found = _leading_place(text)
    if found is not None and found[1] == text:
        return found[0]
    return None


def _strip_legal_forms(text: str) -> tuple[str, str]:
    removed = ""
    changed = True
    while changed:
        changed = False
        for form in _LEGAL_LONGEST_FIRST:
            if text.endswith(form) and len(text) > len(form):
                text, removed = text[: -len(form)], form + removed
                changed = True
                break
    return text, removed


def _strip_industry(text: str) -> tuple[str, tuple[str, ...]]:
    """Cuts industry words off the end while at least a two-character trade name remains."""
    found: list[str] = []
    changed = True
    while changed:
        changed = False
        # The longest industry word ending the text: a set lookup per possible length.
        for length in _INDUSTRY_LENGTHS:
            word = text[-length:]
            if len(text) - length >= _MIN_TRADE and word in INDUSTRY_WORDS:
                text = text[:-length]
                found.insert(0, word)
                changed = True
                break
    return text, tuple(found)


def _is_trade(text: str) -> bool:
    """Whether what is left can be a trade name: two characters, not an industry or a form."""
    return len(text) >= _MIN_TRADE and text not in INDUSTRY_WORDS and text not in LEGAL_FORMS


def _most_specific(places: list[str]) -> tuple[str, ...]:
    """Drops a province when one of its cities is also named: "广东深圳" is just 深圳.

    The country ("艾克米（中国）") is dropped too: it tells no two Chinese companies apart.
    """
    kept = {
        place
        for place in places
        if place not in COUNTRY_PLACES
        and not any(other != place and locate(other).province == place for other in places)
    }
    return tuple(sorted(kept))


def _unbracket(text: str, regions: list[str], legal: list[str]) -> str:
    """Takes regions and legal forms out of brackets; other bracketed text stays in place."""

    def replace(match: re.Match[str]) -> str:
        inner = "".join(words(match.group(1)))
        place = _is_place(inner)
        if place is not None:
            regions.append(place)
            return ""
        if inner in LEGAL_FORMS:
            legal.append(inner)
            return ""
        return inner

    return _BRACKETED.sub(replace, text)


def _split_branch(text: str) -> tuple[str, str]:
    """("北京字节跳动科技有限公司", "上海分公司") for a branch; (text, "") otherwise."""
    for marker in BRANCH_MARKERS:
        if text.endswith(marker) and len(text) > len(marker):
            head = text[: -len(marker)]
            # The branch's own place sits between the head office's legal form and the marker.
            for form in _LEGAL_LONGEST_FIRST:
                at = head.rfind(form)
                if at > 0 and len(head) - at - len(form) <= 6:
                    place = head[at + len(form) :]
                    return head[: at + len(form)], strip_division_suffix(place) + marker
            trailing = _trailing_place(head)
            if trailing is not None and len(head) > len(trailing[1]):
                return head[: -len(trailing[1])], trailing[0] + marker
            return head, marker
    return text, ""


@functools.cache
def parse_chinese_name(name: str) -> ChineseName:
    """Splits a company name written in Chinese; see the module docstring for the rules.

    Never fails: a name the rules do not fit keeps all of its characters in the trade name.
    The key is a normal form: parsing it again gives it again. Odd orders ("恒达有限公司北京")
    read differently once tidied, so the tidied key is parsed until nothing changes.
    """
    parsed = _parse(name)
    for _ in range(4):
        again = _parse(parsed.key)
        if again.key == parsed.key:
            break
        parsed = replace(again, legal_form=parsed.legal_form + again.legal_form)
    return parsed


def _parse(name: str) -> ChineseName:
    text = to_simplified(fold_letters(name))
    bracket_regions: list[str] = []
    bracket_legal: list[str] = []
    text = "".join(words(_unbracket(text, bracket_regions, bracket_legal)))
    text, branch = _split_branch(text)
    text, legal_form = _strip_legal_forms(text)
    legal_form = "".join(bracket_legal) + legal_form
    # Leading places, each a possible cut; the most cuts that still leave a trade name win.
    cuts: list[tuple[str, str]] = []
    rest = text
    while (found := _leading_place(rest)) is not None and len(rest) > len(found[1]):
        cuts.append(found)
        rest = rest[len(found[1]) :]
    for count in range(len(cuts), -1, -1):
        rest = text[sum(len(consumed) for _, consumed in cuts[:count]) :]
        regions = [place for place, _ in cuts[:count]] + bracket_regions
        trade, industry = _strip_industry(rest)
        while (trailing := _trailing_place(trade)) and _is_trade(trade[: -len(trailing[1])]):
            trade = trade[: -len(trailing[1])]
            regions.append(trailing[0])
        # "金华贸易": a trade name that is only an industry word means the place was the name.
        if _is_trade(trade) or count == 0:
            return ChineseName(_most_specific(regions), trade, industry, legal_form, branch)
    raise AssertionError("unreachable: the loop returns when count reaches 0")


def pinyin_of(text: str) -> str:
    """Toneless pinyin without spaces ("字节跳动" → "zijietiaodong"); other letters kept.

    "ü" is written "u", as in most romanised company names ("绿" → "lu").
    """
    spelled: list[str] = []
    for han, run in itertools.groupby(text, key=is_han):
        chunk = "".join(run)
        if han:
            # lazy_pinyin writes "ü" as "v" ("lv"); only Han syllables are rewritten.
            spelled.extend(syllable.replace("v", "u") for syllable in lazy_pinyin(chunk))
        else:
            spelled.extend(words(fold_letters(chunk)))
    return "".join(spelled)


def is_chinese_name(name: str) -> bool:
    """Whether the name is parsed the Chinese way: it has at least one Han character."""
    return any(is_han(char) for char in name)


def place_province(place: str) -> str | None:
    return PROVINCE_OF.get(place)
