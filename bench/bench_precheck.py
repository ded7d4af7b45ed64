"""Registration-check latency through the service at scale, against a plain ILIKE search.

Seeds a scratch database (SQLite, or PostgreSQL when DATABASE_URL names a server) with N
labelled customers from matching_data.py (profiles and keys written in bulk, as `guishu
reindex` would leave them), then times `customer_precheck` -- the whole service: profile,
key lookup, candidate profiles, comparison, masked answers -- for 1,000 variant records, and
`name ILIKE '%...%'` for the same names.

    .venv/bin/python bench/bench_precheck.py [N ...]        # default: 100000
    .venv/bin/python bench/bench_precheck.py N --reuse      # measure again, same database
    DATABASE_URL=postgres://root@127.0.0.1:5432/test \
        .venv/bin/python bench/bench_precheck.py 1000000
"""

import statistics
import sys
import time

from scratch import use_scratch_database

QUERIES = 1000
ILIKE_QUERIES = 200


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def seed(total: int, *, reuse: bool = False) -> list:  # type: ignore[type-arg]
    """Writes the stored side (unless reusing it); returns the query records (the variants)."""
    from django.db import connection, transaction
    from matching_data import generate

    from guishu.accounts.models import User
    from guishu.customers.models import Customer, IdentityKey
    from guishu.matching import blocking_keys, build_profile

    data = generate(7, total=total)
    queries = {pair.right for pair in data.pairs if pair.label == "same"}
    stored = [record for record in data.records if record.id not in queries]
    by_id = {record.id: record for record in data.records}
    if reuse:
        print(f"  reusing {Customer.objects.count():,} stored customers")
        return [by_id[record_id] for record_id in sorted(queries)][:QUERIES]
    user = User.objects.create_user("bench", role="rep")
    started = time.perf_counter()
    batch = 5000
    for start in range(0, len(stored), batch):
        chunk = stored[start : start + batch]
        profiles = [build_profile(record) for record in chunk]
        with transaction.atomic():
            customers = Customer.objects.bulk_create(
                Customer(
                    name=record.names[0],
                    country=record.country or "",
                    city=record.city or "",
                    created_by=user,
                    match_profile=profile.to_json(),
                )
                for record, profile in zip(chunk, profiles, strict=True)
            )
            IdentityKey.objects.bulk_create(
                (
                    IdentityKey(customer=customer, kind=key.kind.value, value=key.value)
                    for customer, profile in zip(customers, profiles, strict=True)
                    for key in blocking_keys(profile)
                ),
                batch_size=20000,
            )
        print(f"\r  seeded {start + len(chunk):,}/{len(stored):,}", end="", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    keys = IdentityKey.objects.count()
    print(
        f"\r  seeded {len(stored):,} customers, {keys:,} keys "
        f"({keys / len(stored):.1f} per customer) in {time.perf_counter() - started:.0f} s"
    )
    by_id = {record.id: record for record in data.records}
    return [by_id[record_id] for record_id in sorted(queries)][:QUERIES]


def main() -> None:
    reuse = "--reuse" in sys.argv
    sizes = [int(arg) for arg in sys.argv[1:] if arg != "--reuse"] or [100_000]
    database = use_scratch_database(reuse=reuse)
    for size in sizes:
        if size != sizes[0]:
            database = use_scratch_database(again=True)
        run(size, database, reuse=reuse)


def run(size: int, database: str, *, reuse: bool = False) -> None:
    from guishu.accounts.models import User
    from guishu.customers.inputs import CustomerInput
    from guishu.customers.models import Customer
    from guishu.ownership.matches import customer_precheck

    print(f"== {size:,} customers on {database}")
    queries = seed(size, reuse=reuse)
    viewer, _ = User.objects.get_or_create(username=f"viewer{size}", defaults={"role": "rep"})
    inputs = [
        CustomerInput(
            name=r.names[0],
            aliases=r.names[1:],
            phones=r.phones,
            emails=r.emails,
            websites=r.websites,
            wechat_ids=r.wechat_ids,
            whatsapp_ids=r.whatsapp_ids,
            credit_code=r.credit_code or "",
            country=r.country or "",
            city=r.city or "",
        )
        for r in queries
    ]
    for data in inputs[:20]:  # warm caches
        customer_precheck(user=viewer, data=data)
    times, found = [], 0
    for data in inputs:
        started = time.perf_counter()
        answers = customer_precheck(user=viewer, data=data)
        times.append((time.perf_counter() - started) * 1000)
        found += bool(answers)
    print(
        f"  precheck (service, end to end): p50 {percentile(times, 0.5):.1f} ms, "
        f"p99 {percentile(times, 0.99):.1f} ms, mean {statistics.mean(times):.1f} ms; "
        f"{found}/{len(inputs)} found their stored twin or a possible match"
    )
    times, found = [], 0
    # A full scan per query: an evenly spread sample is enough to compare.
    sample = inputs[:: max(1, len(inputs) // ILIKE_QUERIES)]
    for data in sample:
        started = time.perf_counter()
        hits = list(Customer.objects.filter(name__icontains=data.name).values_list("pk")[:20])
        times.append((time.perf_counter() - started) * 1000)
        found += bool(hits)
    print(
        f"  name ILIKE '%...%':              p50 {percentile(times, 0.5):.1f} ms, "
        f"p99 {percentile(times, 0.99):.1f} ms, mean {statistics.mean(times):.1f} ms; "
        f"{found}/{len(sample)} found anything"
    )


if __name__ == "__main__":
    main()
