"""Demo orders and payments: how big an order is, by customer level and currency, and how the
buyer pays it (domestic buyers on credit terms, foreign buyers a deposit and the balance)."""

import math
import random
from dataclasses import dataclass
from decimal import Decimal

# (low, high) of one order: Chinese customers in CNY, foreign buyers in USD or EUR.
ORDER_SIZE = {
    "CNY": {"A": (80_000, 900_000), "B": (20_000, 250_000), "C": (3_000, 60_000)},
    "FX": {"A": (25_000, 300_000), "B": (6_000, 60_000), "C": (1_200, 15_000)},
}
QUANTITIES = (50, 100, 200, 300, 500, 800, 1000, 2000, 5000)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Sale:
    """An order, or a payment against the order with this number."""

    number: str
    amount: Decimal
    currency: str


def sale(rng: random.Random, *, number: str, level: str, currency: str) -> Sale:
    """An order of a round quantity at a unit price with cents, sized for the level."""
    low, high = ORDER_SIZE["CNY" if currency == "CNY" else "FX"][level]
    quantity = rng.choice(QUANTITIES)
    target = math.exp(rng.uniform(math.log(low), math.log(high)))
    unit = max(Decimal("0.5"), Decimal(target / quantity).quantize(CENT))
    return Sale(number, unit * quantity, currency)


def payments(rng: random.Random, order: Sale, *, domestic: bool) -> list[tuple[float, Decimal]]:
    """(days after the order, amount) of each payment. Domestic buyers pay in full on 15-75
    day terms, and some still owe; foreign buyers pay 30% within a week and the balance
    before shipment, and a few balances are still open."""
    if domestic:
        return [(rng.uniform(15, 75), order.amount)] if rng.random() < 0.85 else []
    deposit = (order.amount * Decimal("0.3")).quantize(CENT)
    paid = rng.uniform(1, 7)
    balance = [(paid + rng.uniform(20, 55), order.amount - deposit)] if rng.random() < 0.9 else []
    return [(paid, deposit), *balance]
