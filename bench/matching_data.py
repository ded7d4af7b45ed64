"""A seeded generator of labelled customer records for the matching quality benchmark.

Every positive pair is one company entered twice: a base record and a variant of one kind
(traditional script, region dropped, pinyin, a phone typed another way, ...). Every hard
negative is two companies built to look alike (the same trade name in another city, two
companies on qq.com, similar Latin names, a switchboard shared by sixty companies, ...).
Filler companies fill the index up to the requested size. Only ``random.Random(seed)`` is
used, so a seed always gives the same data.

Each pair carries ``label``, the verdict a careful reviewer would give seeing only the two
records: "same" when the records prove it (a shared phone, or names identical once typing,
script and legal form are set aside), "possible" when they are the same company but the
records alone cannot prove it (a bare trade name, a pinyin spelling, a typo), "different"
for hard negatives. Truth is ``entity``: records of one entity are one company.

The vocabulary (characters with their traditional forms and pinyin, cities, legal forms of
many countries) is written here, independently of the matcher's tables.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import phonenumbers

from guishu.matching import CustomerRecord

# Trade-name characters as simplified, traditional, pinyin.
_CHARS = (
    "华華hua 骅驊hua 达達da 恒恒heng 衡衡heng 泰泰tai 丰豐feng 峰峰feng 锋鋒feng 枫楓feng "
    "龙龍long 隆隆long 升升sheng 瑞瑞rui 锐銳rui 睿睿rui 宏宏hong 鸿鴻hong 弘弘hong 泓泓hong "
    "佳佳jia 嘉嘉jia 康康kang 安安an 通通tong 同同tong 彤彤tong 源源yuan 元元yuan 远遠yuan "
    "圆圓yuan 铭銘ming 鸣鳴ming 豪豪hao 昊昊hao 天天tian 田田tian 添添tian 诚誠cheng "
    "成成cheng 城城cheng 程程cheng 利利li 力力li 丽麗li 益益yi 艺藝yi 亿億yi 怡怡yi 毅毅yi "
    "逸逸yi 金金jin 锦錦jin 晋晉jin 进進jin 福福fu 富富fu 孚孚fu 祥祥xiang 翔翔xiang "
    "香香xiang 博博bo 荣榮rong 融融rong 蓉蓉rong 伟偉wei 威威wei 维維wei 卫衛wei 玮瑋wei "
    "海海hai 创創chuang 智智zhi 志志zhi 辉輝hui 汇匯hui 惠惠hui 慧慧hui 晖暉hui 宇宇yu "
    "裕裕yu 誉譽yu 煜煜yu 玉玉yu 瑜瑜yu 兴興xing 星星xing 凯凱kai 开開kai 恺愷kai 骏駿jun "
    "君君jun 峻峻jun 润潤run 德德de 昌昌chang 畅暢chang 鹏鵬peng 蓬蓬peng 忠忠zhong "
    "联聯lian 莲蓮lian 盈盈ying 赢贏ying 颖穎ying 鹰鷹ying 耀耀yao 瑶瑤yao 启啟qi 琪琪qi "
    "祺祺qi 森森sen 林林lin 麟麟lin 霖霖lin 宝寶bao 保保bao 光光guang 欣欣xin 馨馨xin "
    "鑫鑫xin 新新xin 美美mei 永永yong 正正zheng 汉漢han 腾騰teng 飞飛fei 跃躍yue 亚亞ya "
    "银銀yin"
).split()
CHARS = [(entry[0], entry[1], entry[2:]) for entry in _CHARS]
HOMOPHONES: dict[str, list[tuple[str, str, str]]] = {}
for _char in CHARS:
    HOMOPHONES.setdefault(_char[2], []).append(_char)

# City, traditional, pinyin, province (simplified, traditional), area code.
_CITIES = (
    "北京 北京 Beijing 北京 北京 10|上海 上海 Shanghai 上海 上海 21|广州 廣州 Guangzhou 广东 廣東 20|"
    "深圳 深圳 Shenzhen 广东 廣東 755|东莞 東莞 Dongguan 广东 廣東 769|佛山 佛山 Foshan 广东 廣東 757|"
    "杭州 杭州 Hangzhou 浙江 浙江 571|宁波 寧波 Ningbo 浙江 浙江 574|温州 溫州 Wenzhou 浙江 浙江 577|"
    "义乌 義烏 Yiwu 浙江 浙江 579|苏州 蘇州 Suzhou 江苏 江蘇 512|无锡 無錫 Wuxi 江苏 江蘇 510|"
    "南京 南京 Nanjing 江苏 江蘇 25|厦门 廈門 Xiamen 福建 福建 592|泉州 泉州 Quanzhou 福建 福建 595|"
    "青岛 青島 Qingdao 山东 山東 532|济南 濟南 Jinan 山东 山東 531|天津 天津 Tianjin 天津 天津 22|"
    "重庆 重慶 Chongqing 重庆 重慶 23|成都 成都 Chengdu 四川 四川 28|武汉 武漢 Wuhan 湖北 湖北 27|"
    "长沙 長沙 Changsha 湖南 湖南 731|郑州 鄭州 Zhengzhou 河南 河南 371|合肥 合肥 Hefei 安徽 安徽 551|"
    "沈阳 瀋陽 Shenyang 辽宁 遼寧 24|大连 大連 Dalian 辽宁 遼寧 411"
)
CITIES = [tuple(city.split()) for city in _CITIES.split("|")]
_MUNICIPALITIES = {"北京", "上海", "天津", "重庆"}

# Industry words: simplified, traditional, English, pinyin.
_INDUSTRIES = (
    "科技 科技 Technology keji|电子 電子 Electronics dianzi|贸易 貿易 Trading maoyi|"
    "机械 機械 Machinery jixie|实业 實業 Industrial shiye|服装 服裝 Garments fuzhuang|"
    "纺织 紡織 Textile fangzhi|化工 化工 Chemical huagong|进出口 進出口 Import & Export jinchukou|"
    "五金 五金 Hardware wujin|塑胶 塑膠 Plastics sujiao|照明 照明 Lighting zhaoming|"
    "包装 包裝 Packaging baozhuang|食品 食品 Food shipin|物流 物流 Logistics wuliu|"
    "新材料 新材料 New Material xincailiao|精密 精密 Precision jingmi|"
    "医疗器械 醫療器械 Medical Equipment yiliaoqixie|家具 傢具 Furniture jiaju|"
    "汽车配件 汽車配件 Auto Parts qichepeijian"
)
INDUSTRIES = [tuple(entry.split(" ", 2)[:2]) + tuple(entry.split(" ", 2)[2].rsplit(" ", 1)) for entry in _INDUSTRIES.split("|")]
ZH_LEGAL = [("有限公司", "有限公司"), ("有限责任公司", "有限責任公司"), ("股份有限公司", "股份有限公司")]
# Words a trade name must not contain, or it would read as a place or an industry.
_FORBIDDEN = {city[0] for city in CITIES} | {city[3] for city in CITIES} | {
    "通信", "国际", "信息", "光电", "电子", "金属", "新材", "汇通", "天津", "中山", "泰安", "华通",
}  # fmt: skip

SURNAMES = "li wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin".split()
GIVEN = "wei fang min jing li qiang lei jun yang yong yan jie tao ming chao xia hua ping".split()

# Country, top-level domain, legal forms, cities.
COUNTRIES = [
    ("US", "com", ["Inc", "Inc.", "LLC", "Corp.", "Corporation"], ["New York", "Chicago", "Houston"]),
    ("GB", "co.uk", ["Ltd", "Limited", "PLC", "Ltd."], ["London", "Manchester", "Leeds"]),
    ("DE", "de", ["GmbH", "AG", "GmbH & Co. KG", "KG"], ["Berlin", "Hamburg", "München", "Köln"]),
    ("FR", "fr", ["SARL", "SAS", "S.A."], ["Paris", "Lyon", "Marseille"]),
    ("ES", "es", ["S.L.", "S.A.", "SL"], ["Madrid", "Barcelona", "Valencia"]),
    ("IT", "it", ["S.r.l.", "S.p.A.", "SRL"], ["Milano", "Roma", "Torino"]),
    ("NL", "nl", ["B.V.", "BV", "N.V."], ["Amsterdam", "Rotterdam"]),
    ("BR", "com.br", ["Ltda.", "S.A.", "LTDA"], ["São Paulo", "Rio de Janeiro"]),
    ("MX", "com.mx", ["S.A. de C.V.", "S. de R.L."], ["Monterrey", "Guadalajara"]),
    ("AU", "com.au", ["Pty Ltd", "Pty. Ltd."], ["Sydney", "Melbourne"]),
    ("IN", "co.in", ["Pvt Ltd", "Private Limited", "Pvt. Ltd."], ["Mumbai", "Delhi"]),
    ("PL", "pl", ["Sp. z o.o.", "S.A."], ["Warszawa", "Kraków"]),
    ("SE", "se", ["AB"], ["Stockholm", "Göteborg"]),
    ("TR", "com.tr", ["A.Ş.", "Ltd. Şti."], ["Istanbul", "Izmir"]),
    ("AE", "ae", ["LLC", "FZE", "FZCO"], ["Dubai", "Sharjah"]),
    ("SG", "com.sg", ["Pte Ltd", "Pte. Ltd."], ["Singapore"]),
    ("MY", "com.my", ["Sdn Bhd", "Sdn. Bhd."], ["Kuala Lumpur", "Penang"]),
    ("ZA", "co.za", ["(Pty) Ltd", "Pty Ltd"], ["Johannesburg", "Cape Town"]),
    ("CA", "ca", ["Inc.", "Ltd.", "Corp."], ["Toronto", "Vancouver"]),
    ("VN", "vn", ["Co., Ltd", "JSC"], ["Hanoi", "Da Nang"]),
]
_ONSETS = "b br c ch d dr f g gr h j k kl l m n p pr qu r s st t tr v w z".split()
_VOWELS = "a e i o u ae ai ea ia io ou".split()
_CODAS = "n r x l s m nt rk st v rd ns".split()
_ENDINGS = "a on ex ia us is or o ic ex ar en um ite".split()
SURNAMES_LATIN = (
    "Müller Schröder Weiß Gonçalves Núñez Lévesque Ødegaard Dvořák Çelik Åberg Pérez Márquez "
    "Brandão Jørgensen Kovačević Łukasik Bäcker Rossi Dupont Silva Novak Jansen Okafor Tanaka "
    "Smith Jones Brown Taylor Walker Garcia Moreau Fischer Bianchi"
).split()
GENERIC = (
    "Trading Industries International Group Technologies Solutions Imports Logistics "
    "Electronics Foods Textiles Machinery Holdings Global Systems Engineering Distribution"
).split()
FREE_MAIL = ["qq.com", "163.com", "126.com", "foxmail.com", "sina.com", "gmail.com", "hotmail.com"]
_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class Company:
    """The facts of one generated company, from which its records are spelled."""

    entity: str
    domestic: bool
    country: str | None
    city: tuple[str, ...] = ()  # an entry of CITIES for domestic companies
    city_latin: str = ""  # the city of a foreign company
    trade: list[tuple[str, str, str]] = field(default_factory=list)
    industry: tuple[str, ...] = ()
    legal: tuple[str, str] = ZH_LEGAL[0]
    words: list[str] = field(default_factory=list)  # a foreign company's distinctive words
    generic: list[str] = field(default_factory=list)
    legal_latin: str = ""
    joiner: str = " "  # " & " for partnerships
    the: bool = False
    phones: list[phonenumbers.PhoneNumber] = field(default_factory=list)
    domain: str | None = None
    emails: list[str] = field(default_factory=list)
    website: str | None = None
    credit_code: str | None = None
    wechat: str | None = None
    has_city_field: bool = True

    def zh_name(self, *, traditional: bool = False, region: str = "prefix", industry: bool = True,
                legal: tuple[str, str] | None = None, province: bool = False) -> str:
        pick = 1 if traditional else 0
        trade = "".join(char[pick] for char in self.trade)
        city = self.city[pick] + ("" if self.city[0] in _MUNICIPALITIES else "市" if traditional is False else "市")
        prov = ""
        if province and self.city[0] not in _MUNICIPALITIES:
            prov = self.city[3 + pick] + "省"
        words = self.industry[pick] if industry else ""
        form = (legal or self.legal)[pick]
        if region == "prefix":
            return prov + city + trade + words + form
        if region == "bracket":
            return f"{trade}({self.city[pick]}){words}{form}"
        if region == "fullwidth_bracket":
            return f"{trade}（{self.city[pick]}）{words}{form}"
        return trade + words + form

    def latin_name(self, *, legal: str | None = None) -> str:
        core = self.joiner.join(self.words)
        parts = (["The"] if self.the else []) + [core] + self.generic + [legal if legal is not None else self.legal_latin]
        return " ".join(part for part in parts if part)

    def primary_name(self) -> str:
        return self.zh_name() if self.domestic else self.latin_name()

    def record(self, record_id: str, names: tuple[str, ...] | None = None) -> CustomerRecord:
        return CustomerRecord(
            id=record_id,
            names=names or (self.primary_name(),),
            phones=tuple(format_phone(phone, "intl") for phone in self.phones),
            emails=tuple(self.emails),
            websites=(self.website,) if self.website else (),
            wechat_ids=(self.wechat,) if self.wechat else (),
            credit_code=self.credit_code,
            country=self.country,
            city=self.city_field(),
        )

    def city_field(self) -> str | None:
        if not self.has_city_field:
            return None
        return self.city[0] if self.domestic else self.city_latin


def format_phone(number: phonenumbers.PhoneNumber, style: str) -> str:
    formats = {
        "intl": phonenumbers.PhoneNumberFormat.INTERNATIONAL,
        "e164": phonenumbers.PhoneNumberFormat.E164,
        "national": phonenumbers.PhoneNumberFormat.NATIONAL,
    }
    text = phonenumbers.format_number(number, formats.get(style, formats["intl"]))
    if style == "zero_zero":
        return "00" + text.lstrip("+")
    if style == "dashes":
        return text.replace(" ", "-")
    if style == "bare":
        return "".join(char for char in phonenumbers.format_number(number, formats["national"]) if char.isdigit())
    if style == "fullwidth":
        return "".join(chr(ord(char) + 0xFEE0) if char.isdigit() or char == "+" else char for char in text)
    if style == "brackets":
        return f"(+{number.country_code}){number.national_number}"
    return text


def credit_code(rng: random.Random) -> str:
    body = "91" + rng.choice(["110108", "310115", "440300", "330100", "320500", "350200"])
    body += "".join(rng.choice(_CODE_ALPHABET) for _ in range(9))
    total = sum(_CODE_ALPHABET.index(char) * pow(3, index, 31) for index, char in enumerate(body))
    return body + _CODE_ALPHABET[-total % 31]
