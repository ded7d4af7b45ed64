"""Chinese name parts for the demo: people, cities, and the pieces domestic company names are
built from. Small tables in code, so the demo needs no data files and no network."""

# Common surnames, most frequent first (weights fall off with the index when drawn).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
# Given-name characters; a given name is one or two of them.
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华飞鹏辉玲红建文斌宇浩凯亮志峰波海晨欣婷雪琳颖"
    "倩佳慧瑶晶鑫宁博鸿俊健帆琦瑞楠昊雯婕晓丹萍秀英桂兰国庆春梅翠云兵成林瑜"
)

# (province, city, administrative division code, area code, pinyin, English) — the division
# code goes into the credit code, the area code into landlines.
CITIES = (
    ("江苏", "苏州", "320500", "512", "suzhou", "Suzhou"),
    ("江苏", "无锡", "320200", "510", "wuxi", "Wuxi"),
    ("江苏", "常州", "320400", "519", "changzhou", "Changzhou"),
    ("浙江", "宁波", "330200", "574", "ningbo", "Ningbo"),
    ("浙江", "杭州", "330100", "571", "hangzhou", "Hangzhou"),
    ("浙江", "温州", "330300", "577", "wenzhou", "Wenzhou"),
    ("浙江", "台州", "331000", "576", "taizhou", "Taizhou"),
    ("广东", "深圳", "440300", "755", "shenzhen", "Shenzhen"),
    ("广东", "东莞", "441900", "769", "dongguan", "Dongguan"),
    ("广东", "佛山", "440600", "757", "foshan", "Foshan"),
    ("广东", "广州", "440100", "20", "guangzhou", "Guangzhou"),
    ("上海", "上海", "310115", "21", "shanghai", "Shanghai"),
    ("山东", "青岛", "370200", "532", "qingdao", "Qingdao"),
    ("福建", "厦门", "350200", "592", "xiamen", "Xiamen"),
    ("天津", "天津", "120116", "22", "tianjin", "Tianjin"),
    ("湖北", "武汉", "420100", "27", "wuhan", "Wuhan"),
    ("四川", "成都", "510100", "28", "chengdu", "Chengdu"),
    ("北京", "北京", "110108", "10", "beijing", "Beijing"),
)

# Trade names (字号): (characters, pinyin syllables).
BRANDS = (
    ("恒达", "heng da"),
    ("宏远", "hong yuan"),
    ("鑫盛", "xin sheng"),
    ("永泰", "yong tai"),
    ("金鹏", "jin peng"),
    ("华腾", "hua teng"),
    ("瑞丰", "rui feng"),
    ("天润", "tian run"),
    ("博创", "bo chuang"),
    ("汇通", "hui tong"),
    ("德嘉", "de jia"),
    ("新越", "xin yue"),
    ("凯达", "kai da"),
    ("昌隆", "chang long"),
    ("立信", "li xin"),
    ("顺发", "shun fa"),
    ("盛世", "sheng shi"),
    ("海纳", "hai na"),
    ("联创", "lian chuang"),
    ("卓越", "zhuo yue"),
    ("信达", "xin da"),
    ("嘉禾", "jia he"),
    ("亿丰", "yi feng"),
    ("科瑞", "ke rui"),
    ("华盛", "hua sheng"),
    ("明辉", "ming hui"),
    ("远航", "yuan hang"),
    ("安捷", "an jie"),
    ("锦程", "jin cheng"),
    ("康达", "kang da"),
    ("荣昌", "rong chang"),
    ("富源", "fu yuan"),
    ("万通", "wan tong"),
    ("宝丰", "bao feng"),
    ("利达", "li da"),
    ("致远", "zhi yuan"),
    ("精诚", "jing cheng"),
    ("同创", "tong chuang"),
    ("昊天", "hao tian"),
    ("鼎盛", "ding sheng"),
    ("启航", "qi hang"),
    ("星辰", "xing chen"),
    ("金桥", "jin qiao"),
    ("云帆", "yun fan"),
    ("铭泰", "ming tai"),
    ("晟达", "sheng da"),
    ("旭日", "xu ri"),
    ("润丰", "run feng"),
    ("振华", "zhen hua"),
    ("东升", "dong sheng"),
    ("泰和", "tai he"),
    ("广源", "guang yuan"),
    ("佳美", "jia mei"),
    ("宏达", "hong da"),
    ("长兴", "chang xing"),
    ("中诚", "zhong cheng"),
    ("奥维", "ao wei"),
    ("德力", "de li"),
    ("盈科", "ying ke"),
    ("华信", "hua xin"),
    ("迈特", "mai te"),
    ("力拓", "li tuo"),
    ("协和", "xie he"),
    ("兴业", "xing ye"),
    ("鸿运", "hong yun"),
    ("正阳", "zheng yang"),
    ("永信", "yong xin"),
    ("蓝海", "lan hai"),
    ("聚源", "ju yuan"),
    ("天成", "tian cheng"),
    ("恒丰", "heng feng"),
    ("巨力", "ju li"),
)

# Industry labels as the demo company keeps them: one pick list, in both languages.
INDUSTRY = {
    "machinery": "机械设备 / Machinery",
    "hardware": "五金工具 / Hardware & tools",
    "electronics": "电子电器 / Electronics",
    "plastics": "橡塑化工 / Plastics & chemicals",
    "packaging": "包装印刷 / Packaging",
    "textiles": "纺织服装 / Textiles & apparel",
    "home": "家居建材 / Home & building",
    "lighting": "照明 / Lighting",
    "auto": "汽车配件 / Auto parts",
    "energy": "新能源 / New energy",
    "valves": "流体控制 / Valves & pumps",
    "automation": "自动化 / Automation",
    "medical": "医疗器械 / Medical devices",
    "food": "食品饮料 / Food & beverage",
    "trading": "贸易 / Trading",
}

# What the company does: (characters, pinyin syllables, English, industry key).
TRADES = (
    ("精密机械", "jing mi ji xie", "Precision Machinery", "machinery"),
    ("机械制造", "ji xie zhi zao", "Machinery Manufacturing", "machinery"),
    ("五金制品", "wu jin zhi pin", "Hardware Products", "hardware"),
    ("工具", "gong ju", "Tools", "hardware"),
    ("电子科技", "dian zi ke ji", "Electronic Technology", "electronics"),
    ("电器", "dian qi", "Electric Appliance", "electronics"),
    ("塑胶制品", "su jiao zhi pin", "Plastic Products", "plastics"),
    ("化工", "hua gong", "Chemical", "plastics"),
    ("模具", "mo ju", "Mould", "machinery"),
    ("包装材料", "bao zhuang cai liao", "Packaging Materials", "packaging"),
    ("纺织品", "fang zhi pin", "Textiles", "textiles"),
    ("服饰", "fu shi", "Apparel", "textiles"),
    ("家居用品", "jia ju yong pin", "Home Products", "home"),
    ("建材", "jian cai", "Building Materials", "home"),
    ("照明电器", "zhao ming dian qi", "Lighting", "lighting"),
    ("汽车零部件", "qi che ling bu jian", "Auto Parts", "auto"),
    ("新能源科技", "xin neng yuan ke ji", "New Energy Technology", "energy"),
    ("阀门", "fa men", "Valve", "valves"),
    ("泵业", "beng ye", "Pump", "valves"),
    ("轴承", "zhou cheng", "Bearing", "machinery"),
    ("自动化设备", "zi dong hua she bei", "Automation Equipment", "automation"),
    ("医疗器械", "yi liao qi xie", "Medical Devices", "medical"),
    ("食品", "shi pin", "Food", "food"),
    ("商贸", "shang mao", "Trading", "trading"),
)

# Titles at a Chinese customer, with the decision-chain role they usually hold.
DOMESTIC_TITLES = (
    ("总经理", "decision_maker"),
    ("董事长", "decision_maker"),
    ("副总经理", "decision_maker"),
    ("采购经理", "influencer"),
    ("采购主管", "champion"),
    ("技术总监", "influencer"),
    ("工程部经理", "influencer"),
    ("生产厂长", "user"),
    ("品质经理", "user"),
    ("财务经理", "gatekeeper"),
    ("采购专员", "gatekeeper"),
    ("总经理助理", "gatekeeper"),
)

# Streets of the industrial parks and town centres in demo addresses.
ROADS = ("工业园区星湖街", "经济开发区长江路", "高新区科技大道", "建设路", "人民路", "解放路",
         "中山路", "滨江大道", "新华路", "创业路", "环城北路", "湖东路")  # fmt: skip

# Free mail providers small Chinese firms use instead of a company domain.
FREE_MAIL = ("qq.com", "163.com", "126.com", "sina.com")

MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "199",
)


def initials(pinyin: str) -> str:
    """ "heng da jing mi" -> "hdjm": how Chinese firms often spell their domain."""
    return "".join(syllable[0] for syllable in pinyin.split())


def joined(pinyin: str) -> str:
    """ "heng da" -> "hengda"."""
    return pinyin.replace(" ", "")
