"""The case of reps A and B from DOMAIN.md, planted in the demo ready to be disputed.

A year ago rep A (王磊) registered a German buyer that wrote in through the B2B platform, sent
the catalog there once and locked the customer as a key account; nothing else. Months ago rep B
(陈静) met the same buyer at a trade show, worked it for months (chats the buyer started
themselves, a quote, samples) and got the buyer to agree to visit the factory. When B tried to
register it, under the English name the buyer uses, the website and the buyer's WhatsApp
number matched A's registration: a collision.

B's touchpoints are stored as B's activities on the customer: they are the evidence a dispute
weighs. The engine would refuse to log them today (the customer is A's), so like every other
older activity that moves no ownership they are loaded directly.
"""

from datetime import datetime, time, timedelta

from guishu.customers.inputs import ContactInput, CustomerInput
from guishu.demo.companies import DemoCustomer
from guishu.demo.names import INDUSTRY
from guishu.demo.plan import PlanError, Step
from guishu.demo.story import Year
from guishu.demo.texts import Touch
from guishu.domain import FollowUp, Register

NAME = "Mueller Industrietechnik GmbH"
DOMAIN = "mueller-industrietechnik.de"
KLAUS_MOBILE = "+49 171 5523481"

MUELLER = DemoCustomer(
    data=CustomerInput(
        name=NAME,
        country="DE",
        region="Baden-Württemberg",
        city="Stuttgart",
        address="Industriestraße 14, 70565 Stuttgart",
        industry=INDUSTRY["machinery"],
        source="Alibaba.com",
        level="B",
        phones=("+49 711 4590 2210",),
        websites=(f"www.{DOMAIN}",),
        emails=(f"einkauf@{DOMAIN}",),
        notes="Inquiry via Alibaba.com about servo drives / 平台询盘：伺服驱动器",
        contacts=(
            ContactInput(
                name="Klaus Müller",
                title="Geschäftsführer",
                chain_role="decision_maker",
                stance="neutral",
                email=f"k.mueller@{DOMAIN}",
            ),
            ContactInput(
                name="Sabine Keller",
                title="Einkäuferin",
                chain_role="gatekeeper",
                stance="unknown",
                email=f"s.keller@{DOMAIN}",
            ),
        ),
    ),
    domestic=False,
    currency="EUR",
    size="mid",
)

# What B typed: the English name from the buyer's website, the site itself, and Klaus's
# WhatsApp number, which A never had. Only the web domain matches A's record.
B_ENTRY = CustomerInput(
    name="Mueller Industrial Technology",
    country="DE",
    region="Baden-Württemberg",
    city="Stuttgart",
    industry=INDUSTRY["machinery"],
    source="展会 / Trade show",
    level="A",
    websites=(f"https://www.{DOMAIN}/en/",),
    whatsapp_ids=(KLAUS_MOBILE.replace(" ", "")[1:],),
    contacts=(
        ContactInput(
            name="Klaus Mueller",
            title="Managing Director",
            chain_role="decision_maker",
            stance="supporter",
            phone=KLAUS_MOBILE,
        ),
    ),
    notes="展会结识，客户已同意来厂参观 / Met at our trade-show booth; agreed to visit the factory",
)

# B's months with the buyer: (days ago, hour, kind, channel, minutes, customer started it, outcome)
B_TOUCHES = (
    (
        150,
        11,
        "meeting",
        "in_person",
        40,
        False,
        "Met Klaus Müller at our trade-show booth; looking for a second source of servo drives",
    ),
    (148, 9, "email", "email", 15, False, "Sent catalog, price list and CE certificates"),
    (141, 16, "chat", "whatsapp", 20, True, "Klaus asked for the datasheet of the 750 W drive"),
    (134, 15, "call", "phone", 25, False, "Call with Klaus: annual need about 1,200 units"),
    (127, 10, "quote", "email", 45, False, "Quotation: 200 sets, FOB Ningbo, 30% deposit"),
    (121, 17, "chat", "whatsapp", 10, True, "Klaus: price acceptable if lead time under 5 weeks"),
    (113, 14, "sample", "other", 20, False, "Two sample sets sent by DHL"),
    (99, 18, "chat", "whatsapp", 15, True, "Samples arrived; testing them on their line"),
    (
        91,
        15,
        "meeting",
        "video",
        60,
        False,
        "Video call with Klaus and their engineer: sample passed the first test",
    ),
    (80, 10, "email", "email", 10, False, "Sent test reports and the warranty terms"),
    (71, 16, "chat", "whatsapp", 15, True, "Klaus asked about a trial order for spring"),
    (60, 11, "quote", "email", 40, False, "Revised quote: 500 sets, 3% volume discount"),
    (52, 15, "call", "phone", 30, False, "Payment terms agreed in principle: 30% deposit"),
    (
        41,
        17,
        "chat",
        "whatsapp",
        10,
        True,
        "Klaus plans a trip to China and wants to see the factory",
    ),
    (30, 14, "meeting", "video", 45, False, "Agreed the agenda of the factory visit"),
    (
        21,
        9,
        "invitation",
        "email",
        5,
        True,
        "Klaus agreed to visit the factory and sent his itinerary",
    ),
)
B_REGISTERS_DAYS_AGO = 3


def plant(year: Year, index: int, rep_a: str, rep_b: str) -> None:
    """Schedules the case on customer `index` (MUELLER) in the demo year."""
    tz, today = year.end.tzinfo, year.end.date()

    def moment(days_ago: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour, minute), tzinfo=tz)

    def a_registers(when: datetime) -> None:
        year.must(index, Register(actor=year.actor(rep_a, when)), when)
        year.record(
            Step(
                when,
                "register",
                index,
                by=rep_a,
                first_contact_at=when - timedelta(days=1, hours=3),
            )
        )

    def a_sends_the_catalog(when: datetime) -> None:
        note = (
            "Sent our catalog through Alibaba.com. Klaus replied \"maybe I'll come to China "
            'some time" — no dates, no itinerary'
        )
        year.must(
            index, FollowUp(actor=year.actor(rep_a, when), kind="catalog_sent", at=when), when
        )
        year.record(
            Step(
                when,
                "follow_up",
                index,
                by=rep_a,
                touch=Touch(
                    customer=index,
                    by=rep_a,
                    kind="catalog_sent",
                    channel="platform",
                    at=when,
                    minutes=5,
                    outcome="Catalog sent via the platform",
                    initiated=False,
                    note=note,
                ),
            )
        )

    def a_locks(when: datetime) -> None:
        year.must(index, year.lock(index, rep_a, when), when)
        year.record(Step(when, "lock", index, by=rep_a))

    def b_works(
        when: datetime, kind: str, channel: str, minutes: int, initiated: bool, outcome: str
    ) -> None:
        year.record(
            Step(
                when,
                "touch",
                index,
                by=rep_b,
                touch=Touch(
                    customer=index,
                    by=rep_b,
                    kind=kind,
                    channel=channel,
                    at=when,
                    minutes=minutes,
                    outcome=outcome,
                    initiated=initiated,
                ),
            )
        )

    def b_registers(when: datetime) -> None:
        refusal = year.ask(index, Register(actor=year.actor(rep_b, when)), when)
        if refusal is None or not refusal.is_collision:
            raise PlanError(f"B's registration of {NAME} should collide with A's")
        met = moment(B_TOUCHES[0][0], B_TOUCHES[0][1])
        reason = (
            "我从展会开始跟进了五个月，客户同意来厂参观。/ I have worked this buyer since the "
            "trade show, five months, and the factory visit is agreed."
        )
        year.record(
            Step(
                when,
                "collide",
                index,
                by=rep_b,
                first_contact_at=met,
                data=B_ENTRY,
                reason=reason,
            )
        )

    year.at(moment(358, 10, 24), a_registers)
    year.at(moment(357, 16, 5), a_sends_the_catalog)
    year.at(moment(355, 9, 40), a_locks)
    for days_ago, hour, kind, channel, minutes, initiated, outcome in B_TOUCHES:
        year.at(moment(days_ago, hour, 17), b_works, kind, channel, minutes, initiated, outcome)
    year.at(moment(B_REGISTERS_DAYS_AGO, 10, 2), b_registers)
