"""A seeded generator of labelled customer records for the matching quality benchmark.

Every positive pair is one company entered twice: a base record and a variant of one kind
(traditional script, region dropped, pinyin, a phone typed another way, ...). Every hard
negative is two companies built to look alike (the same trade name in another city, two
companies on qq.com, similar Latin names, a switchboard shared by sixty companies, ...).
Filler companies fill the index up to the requested size. Only ``random.Random(seed)`` is
used, so a seed always gives the same data.

Each pair carries ``label``, the verdict a careful reviewer would give seeing only the two
records: "same" when the records prove it (a shared phone, or names identical once typing,
script and legal form are set aside), "possible" when they are one company but the records
alone cannot prove it (a bare trade name, a pinyin spelling, a typo), "different" for hard
negatives. The truth is ``entity_of``: records of one entity are one company.

The vocabulary (characters with their traditional forms and pinyin, cities, legal forms of
many countries) is written here, independently of the matcher's own tables.
"""

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import phonenumbers

from guishu.matching import CustomerRecord


def _listed(text: str, separator: str = " ") -> list[str]:
    """The entries of a vocabulary table written as prose, one or more lines."""
    if separator == " ":
        return text.split()
    return [
        entry.strip() for entry in text.replace("\n", separator).split(separator) if entry.strip()
    ]


# Trade-name characters: simplified, traditional, pinyin.
CHARS = [
    (entry[0], entry[1], entry[2:])
    for entry in _listed(
        """
        华華hua 骅驊hua 达達da 恒恒heng 衡衡heng 泰泰tai 丰豐feng 峰峰feng 锋鋒feng
        枫楓feng 龙龍long 隆隆long 升升sheng 瑞瑞rui 锐銳rui 睿睿rui 宏宏hong 鸿鴻hong
        弘弘hong 泓泓hong 佳佳jia 嘉嘉jia 康康kang 安安an 通通tong 同同tong 彤彤tong
        源源yuan 元元yuan 远遠yuan 圆圓yuan 铭銘ming 鸣鳴ming 豪豪hao 昊昊hao 天天tian
        田田tian 添添tian 诚誠cheng 成成cheng 城城cheng 程程cheng 利利li 力力li 丽麗li
        益益yi 艺藝yi 亿億yi 怡怡yi 毅毅yi 逸逸yi 金金jin 锦錦jin 晋晉jin 进進jin
        福福fu 富富fu 孚孚fu 祥祥xiang 翔翔xiang 香香xiang 博博bo 荣榮rong 融融rong
        蓉蓉rong 伟偉wei 威威wei 维維wei 卫衛wei 玮瑋wei 海海hai 创創chuang 智智zhi
        志志zhi 辉輝hui 汇匯hui 惠惠hui 慧慧hui 晖暉hui 宇宇yu 裕裕yu 誉譽yu 煜煜yu
        玉玉yu 瑜瑜yu 兴興xing 星星xing 凯凱kai 开開kai 恺愷kai 骏駿jun 君君jun 峻峻jun
        润潤run 德德de 昌昌chang 畅暢chang 鹏鵬peng 蓬蓬peng 忠忠zhong 联聯lian 莲蓮lian
        盈盈ying 赢贏ying 颖穎ying 鹰鷹ying 耀耀yao 瑶瑤yao 启啟qi 琪琪qi 祺祺qi 森森sen
        林林lin 麟麟lin 霖霖lin 宝寶bao 保保bao 光光guang 欣欣xin 馨馨xin 鑫鑫xin 新新xin
        美美mei 永永yong 正正zheng 汉漢han 腾騰teng 飞飛fei 跃躍yue 亚亞ya 银銀yin
        """
    )
]
HOMOPHONES: dict[str, list[tuple[str, str, str]]] = {}
for _char in CHARS:
    HOMOPHONES.setdefault(_char[2], []).append(_char)

# City, traditional, pinyin, province, province in traditional, area code.
CITIES = [
    tuple(entry.split())
    for entry in _listed(
        """
        北京 北京 Beijing 北京 北京 10|上海 上海 Shanghai 上海 上海 21
        天津 天津 Tianjin 天津 天津 22|重庆 重慶 Chongqing 重庆 重慶 23
        广州 廣州 Guangzhou 广东 廣東 20|深圳 深圳 Shenzhen 广东 廣東 755
        东莞 東莞 Dongguan 广东 廣東 769|佛山 佛山 Foshan 广东 廣東 757
        杭州 杭州 Hangzhou 浙江 浙江 571|宁波 寧波 Ningbo 浙江 浙江 574
        温州 溫州 Wenzhou 浙江 浙江 577|义乌 義烏 Yiwu 浙江 浙江 579
        苏州 蘇州 Suzhou 江苏 江蘇 512|无锡 無錫 Wuxi 江苏 江蘇 510
        南京 南京 Nanjing 江苏 江蘇 25|厦门 廈門 Xiamen 福建 福建 592
        泉州 泉州 Quanzhou 福建 福建 595|青岛 青島 Qingdao 山东 山東 532
        济南 濟南 Jinan 山东 山東 531|成都 成都 Chengdu 四川 四川 28
        武汉 武漢 Wuhan 湖北 湖北 27|长沙 長沙 Changsha 湖南 湖南 731
        郑州 鄭州 Zhengzhou 河南 河南 371|合肥 合肥 Hefei 安徽 安徽 551
        沈阳 瀋陽 Shenyang 辽宁 遼寧 24|大连 大連 Dalian 辽宁 遼寧 411
        """,
        "|",
    )
]
MUNICIPALITIES = {"北京", "上海", "天津", "重庆"}

# Industry words: simplified, traditional, pinyin, English.
INDUSTRIES = [
    tuple(entry.split(" ", 3))
    for entry in _listed(
        """
        科技 科技 keji Technology|电子 電子 dianzi Electronics|贸易 貿易 maoyi Trading
        机械 機械 jixie Machinery|实业 實業 shiye Industrial|服装 服裝 fuzhuang Garments
        纺织 紡織 fangzhi Textile|化工 化工 huagong Chemical
        进出口 進出口 jinchukou Import & Export|五金 五金 wujin Hardware
        塑胶 塑膠 sujiao Plastics|照明 照明 zhaoming Lighting|包装 包裝 baozhuang Packaging
        食品 食品 shipin Food|物流 物流 wuliu Logistics
        新材料 新材料 xincailiao New Material
        精密机械 精密機械 jingmijixie Precision Machinery
        医疗器械 醫療器械 yiliaoqixie Medical Equipment|家具 傢具 jiaju Furniture
        汽车配件 汽車配件 qichepeijian Auto Parts
        """,
        "|",
    )
]
ZH_LEGAL = [
    ("有限公司", "有限公司"),
    ("有限责任公司", "有限責任公司"),
    ("股份有限公司", "股份有限公司"),
]
# A trade name must not read as a place or an industry word.
FORBIDDEN_IN_TRADE = (
    [city[0] for city in CITIES] + [city[3] for city in CITIES] + [i[0] for i in INDUSTRIES]
) + _listed("通信 国际 信息 光电 金属 汇通 中山 泰安 华通 天华 新华 亚太 利通")
PERSON_NAMES = [
    surname + given
    for surname in "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
    for given in _listed("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 霞 平 刚 桂英 建华 志强")
]
SURNAMES = _listed("li wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin")
GIVEN = _listed("wei fang min jing li qiang lei jun yang yong yan jie tao ming chao xia hua ping")

# Country, top-level domain, legal forms, cities.
COUNTRIES = [
    ("US", "com", "Inc|Inc.|LLC|Corp.|Corporation", "New York|Chicago|Houston"),
    ("GB", "co.uk", "Ltd|Limited|PLC|Ltd.", "London|Manchester|Leeds"),
    ("DE", "de", "GmbH|AG|GmbH & Co. KG|KG", "Berlin|Hamburg|München|Köln"),
    ("FR", "fr", "SARL|SAS|S.A.", "Paris|Lyon|Marseille"),
    ("ES", "es", "S.L.|S.A.|SL", "Madrid|Barcelona|Valencia"),
    ("IT", "it", "S.r.l.|S.p.A.|SRL", "Milano|Roma|Torino"),
    ("NL", "nl", "B.V.|BV|N.V.", "Amsterdam|Rotterdam"),
    ("BR", "com.br", "Ltda.|S.A.|LTDA", "São Paulo|Rio de Janeiro"),
    ("MX", "com.mx", "S.A. de C.V.|S. de R.L.", "Monterrey|Guadalajara"),
    ("AU", "com.au", "Pty Ltd|Pty. Ltd.", "Sydney|Melbourne"),
    ("IN", "co.in", "Pvt Ltd|Private Limited|Pvt. Ltd.", "Mumbai|Delhi"),
    ("PL", "pl", "Sp. z o.o.|S.A.", "Warszawa|Kraków"),
    ("SE", "se", "AB", "Stockholm|Göteborg"),
    ("TR", "com.tr", "A.Ş.|Ltd. Şti.", "Istanbul|Izmir"),
    ("AE", "ae", "LLC|FZE|FZCO", "Dubai|Sharjah"),
    ("SG", "com.sg", "Pte Ltd|Pte. Ltd.", "Singapore"),
    ("MY", "com.my", "Sdn Bhd|Sdn. Bhd.", "Kuala Lumpur|Penang"),
    ("ZA", "co.za", "(Pty) Ltd|Pty Ltd", "Johannesburg|Cape Town"),
    ("CA", "ca", "Inc.|Ltd.|Corp.", "Toronto|Vancouver"),
    ("VN", "vn", "Co., Ltd|JSC", "Hanoi|Da Nang"),
]
# Syllables of invented brand words ("Velora", "Kintex").
ONSETS = _listed("b br c ch d dr f g gr h j k kl l m n p pr qu r s st t tr v w z")
VOWELS = _listed("a e i o u ae ai ea ia io ou")
CODAS = _listed("n r x l s m nt rk st v rd ns")
ENDINGS = _listed("a on ex ia us is or o ic ar en um ite")
LATIN_SURNAMES = _listed(
    """
    Müller Schröder Weiß Gonçalves Núñez Lévesque Ødegaard Dvořák Çelik Åberg Pérez Márquez
    Brandão Jørgensen Kovačević Łukasik Bäcker Rossi Dupont Silva Novak Jansen Okafor Tanaka
    Smith Jones Brown Taylor Walker Garcia Moreau Fischer Bianchi
    """
)
GENERIC = _listed(
    """
    Trading Industries International Group Technologies Solutions Imports Logistics
    Electronics Foods Textiles Machinery Holdings Global Systems Engineering Distribution
    """
)
FREE_MAIL = ["qq.com", "163.com", "126.com", "foxmail.com", "sina.com", "gmail.com", "hotmail.com"]
_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# How people type accented letters on a keyboard without them.
_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ø": "oe", "Ø": "Oe", "ł": "l", "Ł": "L"}
)


def ascii_fold(text: str) -> str:
    text = text.translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def full_width(text: str) -> str:
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text
    )


@dataclass
class Company:
    """The facts of one generated company, from which its records are spelled."""

    entity: str
    domestic: bool
    country: str | None  # as recorded: sometimes left empty
    region: str = "CN"  # the real country
    city: tuple[str, ...] = ()  # an entry of CITIES (domestic companies)
    city_suffix: bool = True  # "深圳市" rather than "深圳"
    city_latin: str = ""  # a foreign company's city
    trade: list[tuple[str, str, str]] = field(default_factory=list)
    industry: tuple[str, ...] = ()
    legal: int = 0  # index into ZH_LEGAL
    words: list[str] = field(default_factory=list)  # a foreign company's distinctive words
    generic: list[str] = field(default_factory=list)
    legal_latin: str = ""
    joiner: str = " "
    the: bool = False
    phones: list[phonenumbers.PhoneNumber] = field(default_factory=list)
    domain: str | None = None
    emails: list[str] = field(default_factory=list)
    website: str | None = None
    credit_code: str | None = None
    wechat: str | None = None
    city_field: bool = True

    def trade_text(self, traditional: bool = False) -> str:
        return "".join(char[1 if traditional else 0] for char in self.trade)

    def zh_name(self, *, traditional: bool = False, region: str = "prefix", industry: bool = True,
                legal: int | None = None) -> str:  # fmt: skip
        pick = 1 if traditional else 0
        city = self.city[pick]
        prefix = city + ("市" if self.city_suffix else "")
        if region == "province" and city not in MUNICIPALITIES:
            prefix = self.city[3 + pick] + "省" + city + "市"
        words = self.industry[pick] if industry else ""
        form = "" if legal == -1 else ZH_LEGAL[self.legal if legal is None else legal][pick]
        trade = self.trade_text(traditional)
        if region in ("prefix", "province"):
            return prefix + trade + words + form
        if region == "bracket":
            return f"{trade}({city}){words}{form}"
        if region == "fullwidth_bracket":
            return f"{trade}（{city}）{words}{form}"
        return trade + words + form

    def latin_name(self, *, legal: str | None = None, generic: bool = True) -> str:
        parts = ["The"] if self.the else []
        parts += [self.joiner.join(self.words), *(self.generic if generic else [])]
        parts.append(self.legal_latin if legal is None else legal)
        return " ".join(part for part in parts if part)

    def primary_name(self) -> str:
        return self.zh_name() if self.domestic else self.latin_name()

    def short_name(self) -> str:
        return self.trade_text() if self.domestic else " ".join(self.words)

    def record(self, record_id: str, names: tuple[str, ...] = ()) -> CustomerRecord:
        return CustomerRecord(
            id=record_id,
            names=names or (self.primary_name(),),
            phones=tuple(format_phone(phone, "intl") for phone in self.phones),
            emails=tuple(self.emails),
            websites=(self.website,) if self.website else (),
            wechat_ids=(self.wechat,) if self.wechat else (),
            credit_code=self.credit_code,
            country=self.country,
            city=self.city_text(),
        )

    def city_text(self) -> str | None:
        if not self.city_field:
            return None
        return self.city[0] if self.domestic else self.city_latin


def format_phone(number: phonenumbers.PhoneNumber, style: str) -> str:
    """The number as people type it: "+86 138 0013 8000", "13800138000", "0086 ...", ..."""
    fmt = phonenumbers.PhoneNumberFormat
    international = phonenumbers.format_number(number, fmt.INTERNATIONAL)
    national = phonenumbers.format_number(number, fmt.NATIONAL)
    styles: dict[str, Callable[[], str]] = {
        "intl": lambda: international,
        "e164": lambda: phonenumbers.format_number(number, fmt.E164),
        "national": lambda: national,
        "zero_zero": lambda: "00" + international.lstrip("+"),
        "dashes": lambda: international.replace(" ", "-"),
        "bare": lambda: "".join(char for char in national if char.isdigit()),
        "fullwidth": lambda: full_width(international),
        "brackets": lambda: f"(+{number.country_code}){number.national_number}",
    }
    return styles[style]()


def credit_code(rng: random.Random) -> str:
    """A valid unified social credit code (GB 32100-2015 check character)."""
    body = "91" + rng.choice(["110108", "310115", "440300", "330100", "320500", "350200"])
    body += "".join(rng.choice(_CODE_ALPHABET) for _ in range(9))
    total = sum(_CODE_ALPHABET.index(char) * pow(3, index, 31) for index, char in enumerate(body))
    return body + _CODE_ALPHABET[-total % 31]


@dataclass(frozen=True)
class LabelledPair:
    left: str
    right: str
    label: str  # same | possible | different
    kind: str


@dataclass
class Dataset:
    records: list[CustomerRecord] = field(default_factory=list)
    pairs: list[LabelledPair] = field(default_factory=list)
    entity_of: dict[str, str] = field(default_factory=dict)
    kind_of: dict[str, str] = field(default_factory=dict)  # record id -> the kind it was made for


class Generator:
    """Makes companies with unique identity signals, and records of them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.data = Dataset()
        self.taken: set[str] = set()  # names, phones, domains, codes already used
        self.entities = 0

    def _unique(self, make: Callable[[], str]) -> str:
        for _ in range(1000):
            value = make()
            if value not in self.taken:
                self.taken.add(value)
                return value
        raise RuntimeError("vocabulary exhausted")

    def add(self, record: CustomerRecord, entity: str, kind: str) -> str:
        self.data.records.append(record)
        self.data.entity_of[record.id] = entity
        self.data.kind_of[record.id] = kind
        return record.id

    def new_id(self) -> str:
        return f"r{len(self.data.records) + 1:06d}"

    # --- signals -----------------------------------------------------------------------

    def cn_landline(self, area: str) -> phonenumbers.PhoneNumber:
        digits = self._unique(
            lambda: area + str(self.rng.randint(2, 8)) + f"{self.rng.randrange(10**7):07d}"
        )
        return phonenumbers.PhoneNumber(country_code=86, national_number=int(digits))

    def cn_mobile(self) -> phonenumbers.PhoneNumber:
        digits = self._unique(
            lambda: f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"
        )
        return phonenumbers.PhoneNumber(country_code=86, national_number=int(digits))

    def foreign_phone(self, region: str) -> phonenumbers.PhoneNumber:
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        template = str(example.national_number)

        def make() -> str:
            for _ in range(50):
                digits = template[:-5] + f"{self.rng.randrange(10**5):05d}"
                number = phonenumbers.parse("+" + str(example.country_code) + digits)
                if phonenumbers.is_valid_number(number):
                    return "+" + str(example.country_code) + digits
            return "+" + str(example.country_code) + template

        return phonenumbers.parse(self._unique(make))

    def contact_phone(self, company: Company) -> phonenumbers.PhoneNumber:
        """Another contact's mobile at the same company: a number the base record lacks."""
        return self.cn_mobile() if company.domestic else self.foreign_phone(company.region)

    def local_part(self, domestic: bool) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return rng.choice(["sales", "info", "export", "purchase", "service", "admin"])
        if domestic:
            return rng.choice(SURNAMES) + rng.choice([".", "_", ""]) + rng.choice(GIVEN)
        first = rng.choice(["john", "maria", "ahmed", "anna", "li", "peter", "sofia", "raj"])
        return first + "." + ascii_fold(rng.choice(LATIN_SURNAMES)).lower()

    def free_mail(self, domestic: bool) -> str:
        provider = self.rng.choice(FREE_MAIL[:5] if domestic else FREE_MAIL[5:])
        if provider in ("qq.com", "foxmail.com") or self.rng.random() < 0.3:
            return self._unique(lambda: f"{self.rng.randrange(10**5, 10**10)}@{provider}")
        return self._unique(
            lambda: f"{self.local_part(domestic)}{self.rng.randrange(100)}@{provider}"
        )

    # --- companies ---------------------------------------------------------------------

    def trade(self) -> list[tuple[str, str, str]]:
        length = self.rng.choices([2, 3, 4], [50, 35, 15])[0]
        while True:
            chars = [self.rng.choice(CHARS) for _ in range(length)]
            text = "".join(char[0] for char in chars)
            if len(set(text)) == length and not any(word in text for word in FORBIDDEN_IN_TRADE):
                return chars

    def entity(self) -> str:
        self.entities += 1
        return f"e{self.entities:06d}"

    def domestic(
        self,
        *,
        city: tuple[str, ...] | None = None,
        trade: list[tuple[str, str, str]] | None = None,
        industry: tuple[str, ...] | None = None,
        domain: bool | None = None,
    ) -> Company:
        rng = self.rng
        for _ in range(100):
            company = Company(
                entity=self.entity(), domestic=True, country=rng.choice(["CN", None]),
                city=city or rng.choice(CITIES), city_suffix=rng.random() < 0.6,
                trade=trade or self.trade(), industry=industry or rng.choice(INDUSTRIES),
                legal=rng.choices([0, 1, 2], [80, 12, 8])[0], city_field=rng.random() < 0.7,
            )  # fmt: skip
            # One registration area never has two companies of one trade name and industry.
            registered = f"{company.city[0]}|{company.trade_text()}|{company.industry[0]}"
            if registered not in self.taken:
                self.taken.add(registered)
                break
            # A fixed trade name already registered here: another city.
            city = None if trade else city
        else:
            raise RuntimeError("no free registration for this trade name")
        if rng.random() < 0.7:
            company.phones.append(self.cn_landline(company.city[5]))
        if not company.phones or rng.random() < 0.5:
            company.phones.append(self.cn_mobile())
        if domain if domain is not None else rng.random() < 0.55:
            slug = "".join(char[2] for char in company.trade)
            city = company.city[2].lower()

            def domain_name() -> str:
                suffix = rng.choice(["", "", "tech", "group", city, str(rng.randrange(1000))])
                return f"{slug}{suffix}.{rng.choice(['com', 'com', 'com.cn', 'cn'])}"

            company.domain = self._unique(domain_name)
            company.emails.append(f"{self.local_part(True)}@{company.domain}")
            if rng.random() < 0.6:
                company.website = "www." + company.domain
        elif rng.random() < 0.6:
            company.emails.append(self.free_mail(True))
        if rng.random() < 0.5:
            company.credit_code = self._unique(lambda: credit_code(rng))
        if rng.random() < 0.3:
            company.wechat = self._unique(lambda: f"wxid_{rng.randrange(16**10):010x}")
        return company

    def latin_words(self) -> list[str]:
        rng = self.rng
        if rng.random() < 0.15:
            return [rng.choice(LATIN_SURNAMES), rng.choice(LATIN_SURNAMES)]
        word = rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) + rng.choice(ENDINGS)
        if rng.random() < 0.25:
            word2 = (
                rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) + rng.choice(ENDINGS)
            )
            return [word.capitalize(), word2.capitalize()]
        return [word.capitalize()]

    def foreign(
        self,
        *,
        country: tuple[str, str, str, str] | None = None,
        words: list[str] | None = None,
        generic: list[str] | None = None,
        domain: bool | None = None,
    ) -> Company:
        rng = self.rng
        region, tld, forms, cities = country or rng.choice(COUNTRIES)
        for _ in range(100):
            chosen = words or self.latin_words()
            extra = (
                generic
                if generic is not None
                else rng.sample(GENERIC, rng.choices([0, 1, 2], [35, 50, 15])[0])
            )
            registered = region + "|" + ascii_fold(" ".join(chosen + extra)).lower()
            if registered not in self.taken:
                self.taken.add(registered)
                break
            # A fixed name already taken in this country: another generic word.
            generic = None
        else:
            raise RuntimeError("no free name")
        company = Company(
            entity=self.entity(), domestic=False, country=region if rng.random() < 0.95 else None,
            region=region,
            city_latin=rng.choice(cities.split("|")), words=chosen, generic=extra,
            legal_latin=rng.choice(forms.split("|")), city_field=rng.random() < 0.6,
            joiner=" & " if len(chosen) == 2 and chosen[0] in LATIN_SURNAMES else " ",
            the=rng.random() < 0.08,
        )  # fmt: skip
        company.phones.append(self.foreign_phone(region))
        if domain if domain is not None else rng.random() < 0.75:
            slug = ascii_fold("".join(chosen)).lower()

            def domain_name() -> str:
                suffix = rng.choice(["", "", "-" + region.lower(), str(rng.randrange(10, 999))])
                return f"{slug}{suffix}.{rng.choice([tld, 'com'])}"

            company.domain = self._unique(domain_name)
            company.emails.append(f"{self.local_part(False)}@{company.domain}")
            if rng.random() < 0.7:
                company.website = rng.choice(["www.", "https://www.", "http://"]) + company.domain
        elif rng.random() < 0.6:
            company.emails.append(self.free_mail(False))
        return company

    def company(self, domestic: bool | None = None, **kwargs: object) -> Company:
        if domestic if domestic is not None else self.rng.random() < 0.55:
            return self.domestic(**kwargs)  # type: ignore[arg-type]
        return self.foreign(**kwargs)  # type: ignore[arg-type]


# --- variants of one company ---------------------------------------------------------------
# Each takes the generator and the base company and returns the variant's name, or None when
# the variant would not differ (the base is then drawn again).

NameVariant = Callable[[Generator, Company], str | None]


def _zh_spacing(gen: Generator, c: Company) -> str:
    space = gen.rng.choice([" ", "\u3000", "  "])
    prefix = c.city[0] + ("市" if c.city_suffix else "")
    return space.join([prefix, c.trade_text() + c.industry[0], ZH_LEGAL[c.legal][0]])


def _zh_pinyin(gen: Generator, c: Company) -> str:
    syllables = [char[2] for char in c.trade]
    trade = (
        "".join(syllables).capitalize()
        if gen.rng.random() < 0.6
        else " ".join(s.capitalize() for s in syllables)
    )
    industry = c.industry[3] if gen.rng.random() < 0.6 else c.industry[2].capitalize()
    city = c.city[2] + " " if gen.rng.random() < 0.7 else ""
    form = gen.rng.choice(["Co., Ltd.", "Co.,Ltd", "Company Limited", "Youxian Gongsi"])
    return f"{city}{trade} {industry} {form}"


def _zh_retyped(gen: Generator, c: Company, homophone: bool) -> str | None:
    position = gen.rng.randrange(len(c.trade))
    original = c.trade[position]
    pool = [ch for ch in HOMOPHONES[original[2]] if ch != original] if homophone else CHARS
    if not pool or (not homophone and len(c.trade) < 3):
        return None
    chars = list(c.trade)
    chars[position] = gen.rng.choice([ch for ch in pool if ch != original])
    changed = Company(**{**c.__dict__, "trade": chars})
    registered = f"{c.city[0]}|{changed.trade_text()}|{c.industry[0]}"
    if registered in gen.taken:  # the slip made another company's name: not a typo case
        return None
    gen.taken.add(registered)
    return changed.zh_name()


def _zh_branch(gen: Generator, c: Company) -> str:
    other = gen.rng.choice([city for city in CITIES if city != c.city])
    return c.zh_name() + other[0] + "分公司"


def _latin_legal(gen: Generator, c: Company) -> str | None:
    forms = next(country[2] for country in COUNTRIES if country[0] == c.region)
    others = [form for form in forms.split("|") if form != c.legal_latin] + [""]
    return c.latin_name(legal=gen.rng.choice(others))


def _latin_case(gen: Generator, c: Company) -> str:
    name = c.latin_name()
    name = (
        name.replace(".", "")
        if "." in name and gen.rng.random() < 0.5
        else name.replace(f" {c.legal_latin}", f", {c.legal_latin}")
    )
    return name.upper() if gen.rng.random() < 0.5 else name.lower()


def _latin_typo(gen: Generator, c: Company) -> str | None:
    index = max(range(len(c.words)), key=lambda i: len(c.words[i]))
    word = c.words[index]
    if len(word) < 5:
        return None
    at = gen.rng.randrange(1, len(word) - 1)
    letter = gen.rng.choice("aeioulnrst")
    typo = gen.rng.choice([
        word[:at] + letter + word[at + 1 :],  # substitution
        word[:at] + word[at + 1 :],  # deletion
        word[:at] + word[at + 1] + word[at] + word[at + 2 :],  # transposition
        word[:at] + letter + word[at:],  # insertion
    ])  # fmt: skip
    if typo.lower() == word.lower():
        return None
    words = list(c.words)
    words[index] = typo
    return Company(**{**c.__dict__, "words": words}).latin_name()


def _zh_bracketed(gen: Generator, c: Company) -> str:
    return c.zh_name(region=gen.rng.choice(["bracket", "fullwidth_bracket"]))


def _zh_other_legal_form(gen: Generator, c: Company) -> str:
    return c.zh_name(legal=gen.rng.choice([i for i in (-1, 0, 1, 2) if i != c.legal]))


def _zh_province(gen: Generator, c: Company) -> str | None:
    return None if c.city[0] in MUNICIPALITIES else c.zh_name(region="province")


def _latin_and(gen: Generator, c: Company) -> str | None:
    name = c.latin_name()
    return name.replace(" & ", " and ") if " & " in name else None


def _latin_the(gen: Generator, c: Company) -> str:
    return Company(**{**c.__dict__, "the": not c.the}).latin_name()


def _latin_ascii(gen: Generator, c: Company) -> str | None:
    name = c.latin_name()
    return None if name.isascii() else ascii_fold(name)


def _latin_without_descriptive_words(gen: Generator, c: Company) -> str | None:
    return c.latin_name(generic=False) if c.generic else None


NAME_VARIANTS: dict[str, tuple[bool, str, NameVariant]] = {
    "zh_traditional": (True, "same", lambda g, c: c.zh_name(traditional=True)),
    "zh_bracket_region": (True, "same", _zh_bracketed),
    "zh_spacing_width": (True, "same", _zh_spacing),
    "zh_legal_form": (True, "same", _zh_other_legal_form),
    "zh_province_prefix": (True, "same", _zh_province),
    "zh_no_region": (True, "possible", lambda g, c: c.zh_name(region="none")),
    "zh_no_industry": (True, "possible", lambda g, c: c.zh_name(industry=False)),
    "zh_short": (True, "possible", lambda g, c: c.trade_text()),
    "zh_pinyin": (True, "possible", _zh_pinyin),
    "zh_homophone_typo": (True, "possible", lambda g, c: _zh_retyped(g, c, homophone=True)),
    "zh_char_typo": (True, "possible", lambda g, c: _zh_retyped(g, c, homophone=False)),
    "zh_branch": (True, "possible", _zh_branch),
    "latin_legal_form": (False, "same", _latin_legal),
    "latin_case_punct": (False, "same", _latin_case),
    "latin_and": (False, "same", _latin_and),
    "latin_the": (False, "same", _latin_the),
    "latin_diacritics": (False, "same", _latin_ascii),
    "latin_full_width": (False, "same", lambda g, c: full_width(c.latin_name())),
    "latin_typo": (False, "possible", _latin_typo),
    "latin_word_dropped": (False, "possible", _latin_without_descriptive_words),
}


def _lossy_name(gen: Generator, c: Company) -> str:
    """The name a rep types when a phone or e-mail is what they really have."""
    roll = gen.rng.random()
    if roll < 0.3:
        return c.primary_name()
    if roll < 0.8:
        return c.short_name()
    if c.domestic:
        return gen.rng.choice(PERSON_NAMES)
    return (
        gen.rng.choice(["John", "Maria", "Ahmed", "Anna", "Raj"])
        + " "
        + gen.rng.choice(LATIN_SURNAMES)
    )


def _spaced(text: str, every: int, sep: str) -> str:
    return sep.join(text[i : i + every] for i in range(0, len(text), every))


# Each returns the fields of the variant record that carry the signal, or None if the base
# lacks the signal (the base is then drawn again).
SignalVariant = Callable[[Generator, Company], dict[str, object] | None]


def _phone_format(gen: Generator, c: Company) -> dict[str, object]:
    styles = ["e164", "national", "zero_zero", "dashes", "bare", "fullwidth", "brackets"]
    return {"phones": (format_phone(c.phones[-1], gen.rng.choice(styles)),)}


def _whatsapp(gen: Generator, c: Company) -> dict[str, object] | None:
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if phonenumbers.number_type(c.phones[-1]) not in kinds:
        return None
    prefix = gen.rng.choice(["", "https://wa.me/", "wa.me/"])
    return {"whatsapp_ids": (prefix + format_phone(c.phones[-1], "e164").lstrip("+"),)}


def _email_local_part(gen: Generator, c: Company) -> dict[str, object] | None:
    return {"emails": (f"{gen.local_part(c.domestic)}2@{c.domain}",)} if c.domain else None


def _email_case(gen: Generator, c: Company) -> dict[str, object] | None:
    if not c.emails:
        return None
    email = c.emails[0]
    typed = gen.rng.choice([email.upper(), email.replace("@", "＠"), "mailto:" + email.title()])
    return {"emails": (typed,)}


def _website_form(gen: Generator, c: Company) -> dict[str, object] | None:
    if not c.domain:
        return None
    form = gen.rng.choice(["https://{}/", "http://www.{}/en/index.html", "WWW.{}", "{}/contact-us"])
    return {"websites": (form.format(c.domain.upper() if gen.rng.random() < 0.2 else c.domain),)}


def _credit_code_format(gen: Generator, c: Company) -> dict[str, object] | None:
    if not c.credit_code:
        return None
    code = c.credit_code
    return {
        "credit_code": gen.rng.choice([code.lower(), _spaced(code, 4, " "), _spaced(code, 6, "-")])
    }


def _wechat_case(gen: Generator, c: Company) -> dict[str, object] | None:
    return {"wechat_ids": (f" {c.wechat.upper()} ",)} if c.wechat else None


SIGNAL_VARIANTS: dict[str, tuple[bool | None, SignalVariant]] = {
    "phone_format": (None, _phone_format),
    "whatsapp": (None, _whatsapp),
    "email_local_part": (None, _email_local_part),
    "email_case": (None, _email_case),
    "website_form": (None, _website_form),
    "credit_code_format": (True, _credit_code_format),
    "wechat_case": (True, _wechat_case),
}

LABEL_OF_SIGNAL = "same"


def _variant_record(
    gen: Generator, c: Company, names: tuple[str, ...], **fields: object
) -> CustomerRecord:
    country = c.country if gen.rng.random() < 0.8 else None
    if not c.domestic and "phones" in fields:
        country = c.region  # a foreign number typed without its country code needs it
    base = {"id": gen.new_id(), "names": names, "country": country,
            "city": c.city_text() if gen.rng.random() < 0.7 else None}  # fmt: skip
    base.update(fields)
    return CustomerRecord(**base)  # type: ignore[arg-type]


def _base_for(gen: Generator, kind: str, domestic: bool | None) -> Company:
    rng = gen.rng
    accented = [name for name in LATIN_SURNAMES if not name.isascii()]
    if kind == "latin_and":
        return gen.foreign(words=[rng.choice(LATIN_SURNAMES), rng.choice(LATIN_SURNAMES)])
    if kind == "latin_diacritics":
        return gen.foreign(
            words=[rng.choice(accented)]
            + ([rng.choice(LATIN_SURNAMES)] if rng.random() < 0.7 else [])
        )
    if kind == "latin_word_dropped":
        return gen.foreign(generic=rng.sample(GENERIC, rng.choice([1, 2])))
    if kind in ("email_local_part", "website_form"):
        return gen.company(domestic, domain=True)
    return gen.company(domestic)


# --- hard negatives: two companies made to look alike ------------------------------------------


def _other_city(gen: Generator, city: tuple[str, ...]) -> tuple[str, ...]:
    return gen.rng.choice([other for other in CITIES if other[3] != city[3]])


def _zh_other_city(gen: Generator) -> tuple[Company, Company, tuple[str, ...], tuple[str, ...]]:
    a = gen.domestic()
    b = gen.domestic(city=_other_city(gen, a.city), trade=a.trade, industry=a.industry)
    return a, b, (a.primary_name(),), (b.primary_name(),)


def _zh_short_other_city(
    gen: Generator,
) -> tuple[Company, Company, tuple[str, ...], tuple[str, ...]]:
    a = gen.domestic()
    b = gen.domestic(city=_other_city(gen, a.city), trade=a.trade)
    b.city_field = True
    return a, b, (a.primary_name(),), (b.trade_text(),)


def _zh_homophone(gen: Generator) -> tuple[Company, Company, tuple[str, ...], tuple[str, ...]]:
    while True:
        a = gen.domestic(domain=True)
        position = gen.rng.randrange(len(a.trade))
        twins = [ch for ch in HOMOPHONES[a.trade[position][2]] if ch != a.trade[position]]
        if twins:
            break
    trade = list(a.trade)
    trade[position] = gen.rng.choice(twins)
    b = gen.domestic(city=a.city, trade=trade, industry=a.industry, domain=True)
    return a, b, (a.primary_name(),), (b.primary_name(),)


def _free_mail(gen: Generator) -> tuple[Company, Company, tuple[str, ...], tuple[str, ...]]:
    a = gen.domestic(domain=False)
    b = gen.domestic(city=a.city, industry=a.industry, domain=False)
    provider = gen.rng.choice(FREE_MAIL[:3])
    a.emails = [gen._unique(lambda: f"{gen.rng.randrange(10**5, 10**10)}@{provider}")]
    b.emails = [gen._unique(lambda: f"{gen.rng.randrange(10**5, 10**10)}@{provider}")]
    return a, b, (a.primary_name(),), (b.primary_name(),)


def _latin_similar(gen: Generator) -> tuple[Company, Company, tuple[str, ...], tuple[str, ...]]:
    a = gen.foreign(domain=True)
    country = next(country for country in COUNTRIES if country[0] == a.region)
    word = a.words[0]
    if gen.rng.random() < 0.5 and len(word) >= 5:
        at = gen.rng.randrange(1, len(word))
        words = [
            word[:at]
            + gen.rng.choice([ch for ch in "aeiourls" if ch != word[at : at + 1]])
            + word[at + 1 :]
        ]
        generic = a.generic
    else:
        words, generic = [word], [gen.rng.choice([g for g in GENERIC if g not in a.generic])]
    b = gen.foreign(country=country, words=words, generic=generic, domain=True)
    return a, b, (a.primary_name(),), (b.primary_name(),)


def _latin_other_country(
    gen: Generator,
) -> tuple[Company, Company, tuple[str, ...], tuple[str, ...]]:
    a = gen.foreign(domain=True)
    a.country = a.region
    country = gen.rng.choice([country for country in COUNTRIES if country[0] != a.region])
    b = gen.foreign(country=country, words=a.words, generic=a.generic, domain=True)
    b.country = country[0]
    return a, b, (a.primary_name(),), (b.primary_name(),)


def _sibling(gen: Generator) -> tuple[Company, Company, tuple[str, ...], tuple[str, ...]]:
    a = gen.domestic()
    b = gen.domestic(
        city=a.city,
        trade=a.trade,
        industry=gen.rng.choice([i for i in INDUSTRIES if i != a.industry]),
    )
    a.credit_code = a.credit_code or gen._unique(lambda: credit_code(gen.rng))
    b.credit_code = b.credit_code or gen._unique(lambda: credit_code(gen.rng))
    b.phones = [a.phones[0], *b.phones[1:]]  # the group's switchboard
    return a, b, (a.primary_name(),), (b.primary_name(),)


PairMaker = Callable[[Generator], tuple[Company, Company, tuple[str, ...], tuple[str, ...]]]
HARD_NEGATIVES: dict[str, PairMaker] = {
    "neg_zh_same_trade_other_city": _zh_other_city,
    "neg_zh_short_name_other_city": _zh_short_other_city,
    "neg_zh_homophone_trade_name": _zh_homophone,
    "neg_same_free_mail_domain": _free_mail,
    "neg_latin_similar_name": _latin_similar,
    "neg_latin_same_name_other_country": _latin_other_country,
    "neg_group_sibling_shared_phone": _sibling,
}


def generate(seed: int = 7, *, pairs_per_kind: int = 150, total: int = 100_000,
             group_size: int = 60, groups: int = 3) -> Dataset:  # fmt: skip
    """Labelled pairs of every kind, shared-key groups, then filler up to ``total`` records."""
    gen = Generator(seed)
    data = gen.data
    for kind, (domestic, label, make) in NAME_VARIANTS.items():
        for _ in range(pairs_per_kind):
            while True:
                base = _base_for(gen, kind, domestic)
                name = make(gen, base)
                if name is not None and name != base.primary_name():
                    break
            extra: dict[str, object] = {}
            if gen.rng.random() < 0.25:  # another contact's number, which the base lacks
                extra["phones"] = (format_phone(gen.contact_phone(base), "intl"),)
            left = gen.add(base.record(gen.new_id()), base.entity, kind)
            right = gen.add(_variant_record(gen, base, (name,), **extra), base.entity, kind)
            data.pairs.append(LabelledPair(left, right, label, kind))
    for kind, (domestic, make_signal) in SIGNAL_VARIANTS.items():
        for _ in range(pairs_per_kind):
            while True:
                base = _base_for(gen, kind, domestic)
                fields = make_signal(gen, base)
                if fields is not None:
                    break
            left = gen.add(base.record(gen.new_id()), base.entity, kind)
            variant = _variant_record(gen, base, (_lossy_name(gen, base),), **fields)
            right = gen.add(variant, base.entity, kind)
            data.pairs.append(LabelledPair(left, right, LABEL_OF_SIGNAL, kind))
    for kind, make_pair in HARD_NEGATIVES.items():
        for _ in range(pairs_per_kind):
            a, b, names_a, names_b = make_pair(gen)
            left = gen.add(a.record(gen.new_id(), names_a), a.entity, kind)
            right = gen.add(b.record(gen.new_id(), names_b), b.entity, kind)
            data.pairs.append(LabelledPair(left, right, "different", kind))
    _shared_key_groups(gen, group_size, groups)
    while len(data.records) < total:
        company = gen.company()
        gen.add(company.record(gen.new_id()), company.entity, "filler")
    return data


def _agent_mail(gen: Generator, agent: str) -> str:
    return f"{gen.local_part(False)}{gen.rng.randrange(1000)}@{agent}"


def _shared_key_groups(gen: Generator, size: int, groups: int) -> None:
    """Companies sharing a business centre's switchboard, or an export agent's mail domain."""
    for group in range(groups * 2):
        by_phone = group % 2 == 0
        kind = "neg_shared_switchboard" if by_phone else "neg_shared_agent_domain"
        shared_phone = gen.cn_landline(gen.rng.choice(CITIES)[5])
        agent = gen._unique(lambda: f"sourcing-agent{gen.rng.randrange(1000)}.com")
        previous = None
        for _ in range(size):
            company = gen.company(True) if by_phone else gen.company(False, domain=False)
            if by_phone:
                company.phones = [shared_phone, *company.phones]
            else:
                company.emails = [gen._unique(partial(_agent_mail, gen, agent))]
            record_id = gen.add(company.record(gen.new_id()), company.entity, kind)
            if previous is not None:
                gen.data.pairs.append(LabelledPair(previous, record_id, "different", kind))
            previous = record_id
