"""Chinese places: provinces and major cities, in Chinese and in pinyin.

Business rule: the place in a company name or in the city field says where the company is
registered, so "北京恒达科技" and "上海恒达科技" are two companies, while "深圳", "深圳市",
"Shenzhen" and "广东深圳" are one place. Only places listed here are compared: an unknown
district ("余杭区") is still cut off the name, but says nothing about conflicts, because we
cannot tell which city it belongs to.
"""

import functools
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from guishu.matching.text import fold_letters, has_han, to_simplified, words

# Province-level divisions, then the prefecture-level (and a few big county-level) cities of
# each. Municipalities are their own city. Compact on purpose: the ~200 cities where nearly
# all of our users' customers are registered; the "X市/X区/X县" rule covers the rest.
_CITIES_BY_PROVINCE: dict[str, str] = {
    "北京": "北京",
    "天津": "天津",
    "上海": "上海",
    "重庆": "重庆",
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭",
    "吉林": "长春 四平 辽源 通化 白山 松原 延吉",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 牡丹江 绥化",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 昆山 江阴 "
    "张家港 常熟 宜兴",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 义乌 慈溪 余姚",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 晋江 石狮",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 "
    "周口 驻马店",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底",
    "广东": "广州 深圳 珠海 汕头 佛山 韶关 湛江 肇庆 江门 茂名 惠州 梅州 汕尾 河源 阳江 "
    "清远 东莞 中山 潮州 揭阳 云浮 顺德",
    "广西": "南宁 柳州 桂林 梧州 北海 钦州 贵港 玉林",
    "海南": "海口 三亚",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 宜宾 达州",
    "贵州": "贵阳 六盘水 遵义 安顺",
    "云南": "昆明 曲靖 玉溪 昭通 丽江 大理",
    "西藏": "拉萨",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林",
    "甘肃": "兰州 嘉峪关 天水 酒泉",
    "青海": "西宁",
    "宁夏": "银川",
    "新疆": "乌鲁木齐 克拉玛依",
    "台湾": "台北 新北 桃园 台中 台南 高雄 新竹",
    "香港": "香港",
    "澳门": "澳门",
}

# The country itself, as in "艾克米（中国）有限公司": a place, but one that conflicts with nothing.
COUNTRY_PLACES = frozenset({"中国", "中华", "全国"})

# Suffixes of administrative divisions, longest first so "壮族自治区" goes before "区".
DIVISION_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "州",
    "镇",
)

# Latin spellings that are not the pinyin of the Chinese name.
_LATIN_EXONYMS = {
    "hongkong": "香港",
    "macau": "澳门",
    "macao": "澳门",
    "peking": "北京",
    "canton": "广州",
    "amoy": "厦门",
    "taipei": "台北",
    "kaohsiung": "高雄",
    "taichung": "台中",
    "tainan": "台南",
    "hsinchu": "新竹",
    "taoyuan": "桃园",
}

PROVINCE_OF: dict[str, str] = {}
for _province, _cities in _CITIES_BY_PROVINCE.items():
    PROVINCE_OF[_province] = _province
    for _city in _cities.split():
        PROVINCE_OF[_city] = _province

# Cities as opposed to provinces (a municipality is both).
CITIES = frozenset(
    city for province, cities in _CITIES_BY_PROVINCE.items() for city in cities.split()
)

# Known place names, longest first, so "呼和浩特" is tried before any two-character prefix.
PLACES_LONGEST_FIRST = tuple(sorted(PROVINCE_OF, key=lambda name: (-len(name), name)))


@functools.cache
def latin_places() -> dict[str, str]:
    """Pinyin (without spaces or tones) of each known place → its Chinese name.

    A pinyin shared by two places ("taizhou" is 台州 and 泰州) maps to itself: it is still a
    place, so it is cut off romanised names, but it cannot be placed on the map.
    """
    found: dict[str, set[str]] = {}
    for place in PROVINCE_OF:
        spelled = "".join(lazy_pinyin(place))
        found.setdefault(spelled, set()).add(place)
    table = {
        spelled: (min(places) if len(places) == 1 else spelled) for spelled, places in found.items()
    }
    table.update(_LATIN_EXONYMS)
    return table


@dataclass(frozen=True, slots=True)
class Location:
    """Where a place is: its province and city when known (None when it is unknown)."""

    province: str | None
    city: str | None


def locate(place: str) -> Location:
    """The province and city of a canonical place name; both None for unknown places."""
    province = PROVINCE_OF.get(place)
    if province is None:
        return Location(None, None)
    return Location(province, place if place in CITIES else None)


def strip_division_suffix(name: str) -> str:
    """ "广东省" → "广东", "深圳市" → "深圳", keeping at least two characters."""
    for suffix in DIVISION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def canonical_place(text: str | None) -> str | None:
    """One spelling per place: "深圳市", "深圳", "Shenzhen" and "SHENZHEN CITY" give "深圳".

    Places we do not know keep their folded spelling ("München" → "muenchen"), so the same
    city field typed twice still compares equal. Empty text gives None.
    """
    if not text:
        return None
    folded = fold_letters(text)
    if has_han(folded):
        name = "".join(words(to_simplified(folded)))
        for place in PLACES_LONGEST_FIRST:
            # A full address ("广东省深圳市南山区...") starts with its province or city.
            if name.startswith(place):
                rest = name[len(place) :]
                for suffix in DIVISION_SUFFIXES:
                    if rest.startswith(suffix):
                        rest = rest[len(suffix) :]
                        break
                # "广东深圳" is more precise than "广东": keep the city when one follows.
                for city in PLACES_LONGEST_FIRST:
                    if rest.startswith(city) and PROVINCE_OF[city] == place != city:
                        return city
                return place
        return strip_division_suffix(name) or None
    tokens = [token for token in words(folded) if token not in ("city", "shi")]
    joined = "".join(tokens)
    return latin_places().get(joined, joined) or None
