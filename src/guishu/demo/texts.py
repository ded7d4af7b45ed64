"""What demo follow-ups look like: which kinds a rep logs before and after the first deal, on
which channels, for how long, and what they write as the outcome (Chinese for domestic
customers, English for foreign buyers, as reps really write them)."""

import random
from dataclasses import dataclass
from datetime import datetime

# Weights of each activity kind while prospecting, and once the customer buys.
PROSPECT = {
    "domestic": {
        "call": 25,
        "chat": 25,
        "visit": 14,
        "quote": 12,
        "sample": 7,
        "email": 4,
        "meeting": 5,
        "factory_visit": 3,
        "catalog_sent": 5,
    },
    "foreign": {
        "email": 28,
        "chat": 20,
        "call": 7,
        "catalog_sent": 10,
        "quote": 13,
        "sample": 7,
        "meeting": 8,
        "visit": 2,
        "factory_visit": 2,
    },
}
ACCOUNT = {
    "domestic": {
        "chat": 25,
        "call": 18,
        "visit": 12,
        "service": 14,
        "quote": 10,
        "meeting": 6,
        "complaint": 3,
        "sample": 4,
        "email": 4,
        "factory_visit": 2,
    },
    "foreign": {
        "email": 25,
        "chat": 22,
        "call": 8,
        "service": 12,
        "quote": 12,
        "meeting": 9,
        "complaint": 3,
        "sample": 5,
        "visit": 2,
        "factory_visit": 2,
    },
}

CHANNELS = {
    "visit": (("in_person",), ("in_person",)),
    "call": (("phone",), ("phone", "whatsapp")),
    "email": (("email",), ("email",)),
    "chat": (("wechat",), ("whatsapp", "whatsapp", "wechat", "platform")),
    "meeting": (("in_person", "video"), ("video", "video", "in_person")),
    "catalog_sent": (("wechat", "email"), ("email", "platform")),
    "quote": (("email", "wechat"), ("email", "platform")),
    "sample": (("other",), ("other",)),
    "factory_visit": (("in_person",), ("in_person",)),
    "complaint": (("phone", "wechat"), ("email", "whatsapp")),
    "service": (("phone", "wechat", "in_person"), ("email", "whatsapp", "video")),
}
MINUTES = {
    "visit": (60, 180),
    "call": (3, 35),
    "email": (0, 20),
    "chat": (5, 45),
    "meeting": (30, 120),
    "catalog_sent": (0, 10),
    "quote": (10, 60),
    "sample": (0, 30),
    "factory_visit": (120, 360),
    "complaint": (10, 60),
    "service": (10, 90),
}
# How often the customer, not the rep, started the touchpoint: it shows whom they choose.
INITIATED = {
    "call": 0.25,
    "email": 0.3,
    "chat": 0.35,
    "complaint": 0.9,
    "service": 0.4,
    "meeting": 0.1,
    "quote": 0.3,
}

OUTCOMES = {
    "visit": (
        (
            "拜访采购经理，了解下季度需求",
            "带技术人员上门解决装配问题",
            "客户带我们参观产线，确认了用量",
            "拜访老板，谈年度框架协议",
        ),
        (
            "Visited the buyer's warehouse, saw our competitor's stock",
            "Met the owner on site; wants a lower MOQ",
        ),
    ),
    "call": (
        (
            "电话沟通交期，客户希望提前一周",
            "客户询问新款价格",
            "确认样品测试结果，反馈良好",
            "客户说最近淡季，下月再联系",
            "催回款，财务说月底付",
        ),
        (
            "Call about lead time; they need goods before the season",
            "Discussed price increase; buyer will check with the boss",
            "Follow-up call: still comparing two suppliers",
            "Buyer asked about certificates (CE, RoHS)",
        ),
    ),
    "email": (
        ("发送报价单和产品规格书", "回复客户技术问题"),
        (
            "Sent spec sheets and updated price list",
            "Answered questions on packaging and labelling",
            "Buyer forwarded our offer to their engineering team",
            "Sent shipping schedule and booking details",
        ),
    ),
    "chat": (
        (
            "微信确认订单细节",
            "客户微信发来图纸，要求报价",
            "客户问库存，下周要货",
            "微信沟通包装要求",
        ),
        (
            "WhatsApp: buyer asked for stock availability",
            "Chat about the container loading plan",
            "Buyer sent photos of the installed units",
            "Buyer asked for a discount on a larger order",
        ),
    ),
    "meeting": (
        ("与客户采购、技术三方会议，确定方案", "视频会议讨论年度合作"),
        (
            "Video meeting with purchasing and engineering",
            "Quarterly review meeting; volumes up 10%",
        ),
    ),
    "catalog_sent": (
        ("微信发送最新产品目录",),
        ("Sent the new catalog", "Catalog and price list sent via the platform"),
    ),
    "quote": (
        ("报价已发，含税价，账期30天", "客户压价5%，已申请特价"),
        (
            "Quotation sent, FOB Ningbo, 30% deposit",
            "Revised quote with volume discount",
            "Quote for 2 x 40HQ, CIF",
        ),
    ),
    "sample": (
        ("寄样品3件，顺丰", "样品测试通过"),
        (
            "Samples sent by DHL",
            "Sample approved; waiting for the trial order",
            "Sample feedback: colour slightly off, will adjust",
        ),
    ),
    "factory_visit": (
        ("客户来厂参观，验厂通过", "客户来厂看生产线"),
        ("Buyer visited the factory; audit passed", "Factory tour with the buyer's QC team"),
    ),
    "complaint": (
        ("客户投诉一批货有划痕，已安排补发", "交期延误，客户不满，已道歉并加急"),
        (
            "Complaint: 3% of units damaged in transit; replacement agreed",
            "Late shipment complaint; we offered a discount on the next order",
        ),
    ),
    "service": (
        ("上门售后，更换配件", "培训客户操作人员"),
        (
            "After-sales call: installation went well",
            "Sent spare parts under warranty",
            "Remote support session for the buyer's technician",
        ),
    ),
}

RELEASE_REASONS = (
    "客户暂无采购需求 / No current demand",
    "多次联系不上 / Unreachable for weeks",
    "客户已选定其他供应商 / Chose another supplier",
    "价格差距太大 / Price gap too large",
)
TRANSFER_REASONS = (
    "区域调整 / Territory realignment",
    "工作交接 / Handover to a colleague",
    "客户要求更换对接人 / Customer asked for another contact",
)


@dataclass(frozen=True)
class Touch:
    """One planned touchpoint; `service` marks those that must go through activity_log."""

    customer: int
    by: str
    kind: str
    channel: str
    at: datetime
    minutes: int
    outcome: str
    initiated: bool
    note: str = ""


def touch(
    rng: random.Random,
    *,
    customer: int,
    by: str,
    at: datetime,
    domestic: bool,
    account: bool,
    kind: str | None = None,
) -> Touch:
    """A plausible touchpoint of `kind` (or a kind drawn for the phase)."""
    side = "domestic" if domestic else "foreign"
    if kind is None:
        weights = (ACCOUNT if account else PROSPECT)[side]
        kind = rng.choices(list(weights), list(weights.values()))[0]
    channel = rng.choice(CHANNELS[kind][0 if domestic else 1])
    lo, hi = MINUTES[kind]
    outcomes = OUTCOMES[kind][0 if domestic else 1]
    return Touch(
        customer=customer,
        by=by,
        kind=kind,
        channel=channel,
        at=at,
        minutes=rng.randint(lo, hi),
        outcome=rng.choice(outcomes),
        initiated=rng.random() < INITIATED.get(kind, 0.0),
    )
