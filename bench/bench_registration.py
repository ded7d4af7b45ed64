"""Registration and claim throughput through the real services on a scratch SQLite database
(or a scratch database on the PostgreSQL server DATABASE_URL names): registrations per second,
and the same with collisions.

    .venv/bin/python bench/bench_registration.py
    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python bench/bench_registration.py
"""

import sys
import time

from scratch import use_scratch_database

N = 500


def main() -> None:
    database = use_scratch_database()
    from guishu.accounts.models import User
    from guishu.customers.inputs import CustomerInput
    from guishu.ownership.registration import customer_register

    # Ten reps to stay under the holding cap (200 each); ten more to collide with them.
    reps = [User.objects.create_user(f"bench{i}", role="rep") for i in range(20)]
    inputs = [
        CustomerInput(
            name=f"Bench Customer {i} Co., Ltd.",
            phones=(f"+86 139 {i:04d} {i:04d}",),
            websites=(f"https://www.bench{i}.com.cn",),
        )
        for i in range(N)
    ]
    started = time.perf_counter()
    for i, data in enumerate(inputs):
        assert customer_register(user=reps[i % 10], data=data).created
    elapsed = time.perf_counter() - started
    print(
        f"registration ({database}): {N} new customers in "
        f"{elapsed:.2f} s = {N / elapsed:,.0f}/s ({elapsed / N * 1000:.1f} ms each)"
    )
    started = time.perf_counter()
    for i, data in enumerate(inputs):
        assert customer_register(user=reps[10 + i % 10], data=data).collision is not None
    elapsed = time.perf_counter() - started
    print(
        f"collision check: {N} colliding registrations in {elapsed:.2f} s = "
        f"{N / elapsed:,.0f}/s ({elapsed / N * 1000:.1f} ms each)"
    )


if __name__ == "__main__":
    sys.exit(main())
