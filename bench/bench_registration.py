"""Registration and claim throughput through the real services on a scratch SQLite database
(or DATABASE_URL): registrations per second, and the same with collisions.

    .venv/bin/python bench/bench_registration.py
"""

import os
import sys
import tempfile
import time

N = 500


def main() -> None:
    os.environ.setdefault("GUISHU_VAR_DIR", tempfile.mkdtemp(prefix="guishu-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guishu.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from guishu.accounts.models import User
    from guishu.customers.inputs import CustomerInput
    from guishu.ownership.registration import customer_register

    users = [User.objects.create_user(f"bench{i}", role="rep") for i in range(2)]
    inputs = [
        CustomerInput(
            name=f"Bench Customer {i} Co., Ltd.",
            phones=(f"+86 139 {i:04d} {i:04d}",),
            websites=(f"https://www.bench{i}.com.cn",),
        )
        for i in range(N)
    ]
    started = time.perf_counter()
    for data in inputs:
        assert customer_register(user=users[0], data=data).created
    elapsed = time.perf_counter() - started
    print(
        f"registration ({os.environ.get('DATABASE_URL', 'sqlite')}): {N} new customers in "
        f"{elapsed:.2f} s = {N / elapsed:,.0f}/s ({elapsed / N * 1000:.1f} ms each)"
    )
    started = time.perf_counter()
    for data in inputs:
        assert customer_register(user=users[1], data=data).collision is not None
    elapsed = time.perf_counter() - started
    print(
        f"collision check: {N} colliding registrations in {elapsed:.2f} s = "
        f"{N / elapsed:,.0f}/s ({elapsed / N * 1000:.1f} ms each)"
    )


if __name__ == "__main__":
    sys.exit(main())
