"""The words people type in a cell for our coded values, in English and Chinese.

Each table maps a folded word to a code of the models (Activity.Kind, Activity.Channel,
Contact.ChainRole, Contact.Stance, Customer.Kind, Level); tests/tabular check that every code
exists there. The codes and the English labels are words too, so a file we exported reads back.
"""

from guishu.matching.text import fold_case_and_width, to_simplified, words


def fold(text: str) -> str:
    """Case, width, traditional characters, spaces and punctuation folded away:
    "E-Mail", "ｅｍａｉｌ" and "e mail" are all "email"; "電話" is "电话"."""
    return "".join(words(to_simplified(fold_case_and_width(text))))


def _table(entries: dict[str, str]) -> dict[str, str]:
    """{"word word ...": code} written as prose → {folded word: code}; "|" separates words
    that contain spaces."""
    table: dict[str, str] = {}
    for listing, code in entries.items():
        for word in listing.split("|"):
            folded = fold(word)
            assert folded not in table or table[folded] == code, word
            table[folded] = code
    return table


# An activity word gives its kind, its channel, or both: "电话" is a call by phone, "报价" is a
# quote by any channel, "阿里巴巴" is only a channel.
_KIND_AND_CHANNEL: dict[str, tuple[str | None, str | None]] = {}
for _listing, _pair in {
    "visit|拜访|上门|上门拜访|走访|客户拜访|面访|拜访客户": ("visit", "in_person"),
    "call|phone call|电话|打电话|致电|电话沟通|电话拜访|来电|去电|电话联系|phone|手机|座机": (
        "call",
        "phone",
    ),
    "email|e-mail|mail|邮件|发邮件|电子邮件|邮件沟通|邮箱": ("email", "email"),
    "chat|聊天|在线沟通|沟通|即时通讯|im": ("chat", None),
    "wechat|weixin|微信|微信沟通|微信聊天|企业微信|企微": ("chat", "wechat"),
    "whatsapp|whats app|whatsapp chat": ("chat", "whatsapp"),
    "meeting|会议|开会|会面|见面|洽谈|商务洽谈": ("meeting", None),
    "面谈|面对面沟通": ("meeting", "in_person"),
    "video|video call|视频|视频会议|视频通话|zoom|teams|腾讯会议|网络会议": ("meeting", "video"),
    "catalog|catalog sent|catalogue|catalog_sent|发目录|寄目录|产品目录|目录|画册|寄画册|发画册|"
    "发送目录|发送产品目录": ("catalog_sent", None),
    "quote|quotation|offer|报价|报价单|发报价|询价回复": ("quote", None),
    "sample|samples|样品|寄样|送样|打样|寄样品|发样品|样品寄送": ("sample", None),
    "factory visit|factory_visit|factory audit|factory tour|验厂|来厂参观|参观工厂|看厂|工厂参观|"
    "来厂|来访|客户来访|实地验厂": ("factory_visit", "in_person"),
    "invitation|invitation accepted|邀约|接受邀请|应邀|邀请|赴约": ("invitation", None),
    "order intent|order_intent|下单意向|意向|意向订单|采购意向|订单意向": ("order_intent", None),
    "complaint|投诉|客诉|抱怨|客户投诉": ("complaint", None),
    "service|after-sales|after sales|售后|服务|售后服务|回访|客服": ("service", None),
    "in person|in_person|当面|面对面|线下|现场|offline": (None, "in_person"),
    "platform|b2b platform|b2b|平台|b2b平台|阿里巴巴|alibaba|阿里|1688|中国制造网|"
    "made-in-china|made in china|环球资源|global sources|国际站": (None, "platform"),
    "other|others|其他|其它|别的": (None, "other"),
}.items():
    for _word in _listing.split("|"):
        assert _KIND_AND_CHANNEL.get(fold(_word), _pair) == _pair, _word
        _KIND_AND_CHANNEL[fold(_word)] = _pair

# When a sheet names only the channel, the kind it most likely records.
KIND_FOR_CHANNEL = {
    "in_person": "visit",
    "phone": "call",
    "email": "email",
    "wechat": "chat",
    "whatsapp": "chat",
    "video": "meeting",
    "platform": "chat",
}

ACTIVITY_KINDS = frozenset(k for k, _c in _KIND_AND_CHANNEL.values() if k) | {"factory_visit"}
CHANNELS = frozenset(c for _k, c in _KIND_AND_CHANNEL.values() if c)

CHAIN_ROLES = _table(
    {
        "decision maker|decision-maker|decision_maker|dm|决策者|决策人|拍板人|拍板|关键决策人|"
        "最终决策人": "decision_maker",
        "influencer|影响者|影响人|影响力|技术影响者": "influencer",
        "user|end user|使用者|使用人|用户|最终用户|使用部门": "user",
        "gatekeeper|gate keeper|把关者|把关人|守门人|守门员": "gatekeeper",
        "champion|coach|内线|教练|内部教练|内部支持者|内部推动者|线人": "champion",
    }
)
STANCES = _table(
    {
        "supporter|support|supportive|支持|支持者|支持我们|友好|赞成|positive": "supporter",
        "neutral|中立|中性|一般": "neutral",
        "opponent|against|反对|反对者|敌对|negative|不支持": "opponent",
        "unknown|未知|不清楚|不确定|待定|不知道": "unknown",
    }
)
CUSTOMER_KINDS = _table(
    {
        "company|企业|公司|单位|法人|组织|organisation|organization|business|corporate": "company",
        "person|个人|自然人|individual|private|private person|私人": "person",
    }
)
LEVELS = _table(
    {
        "a|a类|a级|a级客户|a类客户|a档|a key|a重点|key|key account|重点|重点客户|重要客户": "A",
        "b|b类|b级|b级客户|b类客户|b档": "B",
        "c|c类|c级|c级客户|c类客户|c档": "C",
    }
)
BOOLEANS = _table(
    {
        "1|y|yes|true|t|是|对|有|真|是的|checked": "1",
        "0|n|no|false|f|否|不是|错|无|没有|假|unchecked": "0",
    }
)
# "✓" and friends are symbols, which `fold` drops; they are looked up before folding.
SYMBOL_BOOLEANS = {"✓": True, "✔": True, "√": True, "☑": True, "✗": False, "✘": False}
SYMBOL_BOOLEANS |= {"×": False, "☐": False}


def kind_and_channel(text: str) -> tuple[str | None, str | None]:
    """What an activity word says about the kind and the channel; (None, None) if unknown."""
    return _KIND_AND_CHANNEL.get(fold(text), (None, None))
