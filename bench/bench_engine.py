"""How fast the pure engine decides: decisions per second for a mix of commands.

.venv/bin/python bench/bench_engine.py
"""

import time
from datetime import UTC, datetime, timedelta

from guishu.domain import (
    Actor,
    Claim,
    FollowUp,
    OwnershipState,
    Person,
    Policy,
    Reclaim,
    ReclaimRule,
    Register,
    apply,
    decide,
)

N = 50_000


def main() -> None:
    policy = Policy()
    now = datetime(2026, 11, 20, 2, tzinfo=UTC)
    alice, bob = Actor(Person(1, "李雷")), Actor(Person(2, "韩梅梅"))
    registered = decide(OwnershipState.unregistered("Acme"), Register(actor=alice), policy, now)
    state = apply(OwnershipState.unregistered("Acme"), registered.events[0])  # type: ignore[union-attr]
    commands = [
        Register(actor=bob),
        Claim(actor=bob),
        FollowUp(actor=alice, kind="call", at=now),
        Reclaim(rule=ReclaimRule.NO_FOLLOW_UP),
    ]
    started = time.perf_counter()
    for i in range(N):
        decide(state, commands[i % len(commands)], policy, now + timedelta(minutes=i))
    elapsed = time.perf_counter() - started
    print(
        f"engine: {N} decisions in {elapsed:.2f} s = {N / elapsed:,.0f} decisions/s "
        f"({elapsed / N * 1e6:.1f} µs each)"
    )


if __name__ == "__main__":
    main()
