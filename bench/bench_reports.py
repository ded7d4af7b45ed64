# ruff: noqa: S608, E501, S108 - SQL built from our own constants; long SQL lines read better whole
"""The reports on a million customers, on PostgreSQL: each report's time for a manager (a
region of 250 reps) and for a director (everyone), over the last 90 days and the last year.

    DATABASE_URL=postgres://root@127.0.0.1:5432/postgres .venv/bin/python bench/bench_reports.py [CUSTOMERS] [--reuse]

The data lives in a scratch database of its own, `guishu_bench_reports` (dropped and created
again; `--reuse` keeps the last run's to measure again without loading), so it never races
another benchmark's `guishu_bench`. People are made through the ORM; the big tables are
filled by `INSERT ... SELECT generate_series` in proportion to the customers (per million:
1,000 reps in 20 teams under 4 regions, 70% of customers owned, 1.2M contacts, 3M activities
and 400k orders over two years, 1.3M ownership events, 50k collisions, 5k disputes, 300
executed handovers moving 30k customers, 200k opportunities with their stage changes), then
VACUUM ANALYZEd. Each report is timed three times per viewer and period. Target: every report
within 2 s.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

DATABASE = "guishu_bench_reports"
REGIONS, TEAMS_PER_REGION, REPS_PER_TEAM = 4, 5, 50


def scratch(reuse: bool) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        # `make bench` runs every benchmark; this one only means something on PostgreSQL.
        print("skipped: the reports benchmark needs DATABASE_URL naming a PostgreSQL server")
        sys.exit(0)
    if not reuse:
        import psycopg

        with psycopg.connect(url, autocommit=True) as server:
            server.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            server.execute(f"CREATE DATABASE {DATABASE}")
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{DATABASE}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guishu.config.settings")
    os.environ.setdefault("GUISHU_VAR_DIR", "/tmp/guishu-bench-reports")
    import django

    django.setup()
    if not reuse:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def people() -> tuple[int, int]:
    """Teams, managers, reps and a director; the first rep's id and the number of reps."""
    from guishu.accounts.models import Team, User

    director = User.objects.create_user("bench-director", role="director")
    del director
    reps: list[User] = []
    for r in range(REGIONS):
        manager = User.objects.create_user(f"bench-manager-{r}", role="manager")
        region = Team.objects.create(name=f"Region {r}", manager=manager)
        manager.team = region
        manager.save(update_fields=["team"])
        for t in range(TEAMS_PER_REGION):
            team = Team.objects.create(name=f"Team {r}-{t}", parent=region)
            reps += [
                User(username=f"rep-{r}-{t}-{n}", role="rep", team=team, display_name=f"R{r}{t}{n}")
                for n in range(REPS_PER_TEAM)
            ]
    made = User.objects.bulk_create(reps)
    ids = sorted(u.pk for u in made)
    assert ids == list(range(ids[0], ids[0] + len(ids))), "rep ids are contiguous"
    return ids[0], len(ids)


def load(customers: int) -> None:
    from django.db import connection

    rep0, reps = people()
    n = customers
    k = n / 1_000_000
    owner = f"({rep0} + (c % {reps}))"  # customer c's owner (or would-be owner)
    steps = [
        (
            "customers",
            f"""
        INSERT INTO customers_customer (id, kind, name, credit_code, country, region, city,
            address, industry, source, level, notes, created_at, created_by_id, match_profile)
        SELECT c, 'company', 'Customer ' || c, '', 'CN', '', '', '', '', '',
            CASE WHEN c % 10 = 0 THEN 'A' WHEN c % 10 < 4 THEN 'B' ELSE 'C' END, '',
            now() - interval '800 days', {owner}, '{{}}'::jsonb
        FROM generate_series(1, {n}) AS c""",
        ),
        (
            "ownership terms",
            f"""
        INSERT INTO ownership_ownership (id, basis, started_at, ended_at, end_reason,
            protected_until, last_follow_up_at, customer_id, owner_id, protection_extensions)
        SELECT c, 'registered', now() - ((c * 37) % 700) * interval '1 day', NULL, '',
            now() - ((c * 37) % 700 - 30) * interval '1 day', now() - (c % 30) * interval '1 day',
            c, {owner}, 0
        FROM generate_series(1, {n}) AS c WHERE c % 10 < 7""",
        ),
        (
            "contacts",
            f"""
        INSERT INTO customers_contact (name, title, chain_role, stance, phone, email, wechat,
            notes, customer_id)
        SELECT 'Contact ' || c || '-' || j, '',
            (ARRAY['decision_maker','influencer','user','gatekeeper','champion',''])[1 + (c * 13 + j * 7) % 6],
            'unknown', '', '', '', '', c
        FROM generate_series(1, {n}) AS c
        CROSS JOIN LATERAL generate_series(1, CASE WHEN c % 10 = 0 THEN 3 ELSE 1 END) AS j""",
        ),
        (
            "activities",
            f"""
        INSERT INTO activities_activity (kind, channel, occurred_at, duration_minutes, outcome,
            note, customer_initiated, created_at, by_id, customer_id)
        SELECT CASE WHEN g % 100 < 5 THEN 'visit' WHEN g % 100 < 35 THEN 'call'
                    WHEN g % 100 < 75 THEN 'email' ELSE 'chat' END,
               CASE WHEN g % 100 < 5 THEN 'in_person' WHEN g % 100 < 35 THEN 'phone'
                    WHEN g % 100 < 75 THEN 'email' WHEN g % 100 < 90 THEN 'wechat' ELSE 'other' END,
               now() - random() * interval '730 days', 10, '', '', false, now(),
               CASE WHEN g % 10 = 0 THEN {rep0} + (g % {reps}) ELSE {rep0} + (c % {reps}) END, c
        FROM (SELECT g, 1 + (g::bigint * 7919) % {n} AS c
              FROM generate_series(1, {int(3_000_000 * k)}) AS g) AS s""",
        ),
        (
            "orders",
            f"""
        INSERT INTO activities_order (id, number, amount, currency, ordered_at, status,
            credited_to_id, customer_id, recorded_by_id, customer_status)
        SELECT g, 'B' || g, 1000 + (g * 31) % 50000, CASE WHEN g % 20 = 0 THEN 'USD' ELSE 'CNY' END,
            now() - random() * interval '730 days',
            CASE WHEN g % 33 = 0 THEN 'cancelled' ELSE 'won' END,
            {rep0} + (c % {reps}), c, {rep0} + (c % {reps}),
            CASE WHEN g % 4 = 0 THEN 'new' ELSE 'existing' END
        FROM (SELECT g, 1 + (g::bigint * 104729) % {n} AS c
              FROM generate_series(1, {int(400_000 * k)}) AS g) AS s""",
        ),
        (
            "order credits",
            f"""
        INSERT INTO activities_ordercredit (role, share, amount, order_id, user_id)
        SELECT 'owner', CASE WHEN o.id % 10 = 0 THEN 70 ELSE 100 END,
            CASE WHEN o.id % 10 = 0 THEN round(o.amount * 0.7, 2) ELSE o.amount END,
            o.id, o.credited_to_id FROM activities_order o
        UNION ALL
        SELECT 'co_seller', 30, o.amount - round(o.amount * 0.7, 2), o.id,
            {rep0} + ((o.credited_to_id - {rep0} + 1) % {reps})
        FROM activities_order o WHERE o.id % 10 = 0""",
        ),
        (
            "ownership events",
            f"""
        INSERT INTO ownership_ownershipevent (kind, at, recorded_at, trace, evidence, customer_id,
            actor_id, from_owner_id, to_owner_id)
        SELECT 'registered', o.started_at, now(), '[]'::jsonb, '{{}}'::jsonb, o.customer_id, o.owner_id, NULL, o.owner_id
        FROM ownership_ownership o
        UNION ALL
        SELECT (ARRAY['reclaimed','reclaimed','reclaimed','released','claimed','claimed'])[1 + g % 6],
            now() - random() * interval '730 days', now(), '[]'::jsonb, '{{}}'::jsonb, c, NULL,
            CASE WHEN g % 6 < 4 THEN {rep0} + (c % {reps}) END,
            CASE WHEN g % 6 >= 4 THEN {rep0} + ((c + g) % {reps}) END
        FROM (SELECT g, 1 + (g::bigint * 7927) % {n} AS c
              FROM generate_series(1, {int(600_000 * k)}) AS g) AS s""",
        ),
        (
            "collisions",
            f"""
        INSERT INTO disputes_collision (id, owner_since, action, at, reasons, trace, submitted,
            attempted_by_id, customer_id, owner_id)
        SELECT g, now() - interval '800 days', 'register', now() - random() * interval '730 days',
            '[]'::jsonb, '[]'::jsonb, '{{}}'::jsonb, {rep0} + ((c + 1) % {reps}), c, {rep0} + (c % {reps})
        FROM (SELECT g, 1 + (g::bigint * 7933) % {n} AS c
              FROM generate_series(1, {int(50_000 * k)}) AS g) AS s""",
        ),
        (
            "disputes",
            """
        INSERT INTO disputes_dispute (opened_at, reason, status, decision_due_at, option,
            settlement, rationale, appeal_reason, customer_answer, challenger_id, collision_id,
            customer_id, opened_by_id, owner_id)
        SELECT x.at, '', 'open', x.at + interval '5 days', '', '', '', '', '',
            x.attempted_by_id, x.id, x.customer_id, x.attempted_by_id, x.owner_id
        FROM disputes_collision x WHERE x.id % 10 = 0""",
        ),
        (
            "handovers",
            f"""
        INSERT INTO ownership_handoverplan (id, effective_on, reason, status, created_at,
            closed_at, summary, closed_by_id, created_by_id, rep_id)
        SELECT p, (now() - (p * 2) * interval '1 day')::date, '', 'executed',
            now() - (p * 2) * interval '1 day', now() - (p * 2) * interval '1 day', '{{}}',
            {rep0}, {rep0}, {rep0} + (p * 7) % {reps}
        FROM generate_series(1, {max(1, int(300 * k))}) AS p""",
        ),
        (
            "handover items",
            f"""
        INSERT INTO ownership_handoveritem (choice, customer_id, to_id, plan_id)
        SELECT 'reassign', 1 + (((p - 1) * 100 + j)::bigint * 31) % {n},
            {rep0} + (p * 7 + 1) % {reps}, p
        FROM ownership_handoverplan, generate_series(1, 100) AS j, LATERAL (SELECT id AS p) AS q""",
        ),
        (
            "opportunities",
            f"""
        INSERT INTO pipeline_opportunity (id, title, amount, currency, status, opened_at,
            closed_at, lost_reason, created_by_id, customer_id, owner_id, stage_id)
        SELECT g, 'Deal ' || g, 5000 + (g * 17) % 100000, 'CNY',
            CASE WHEN g % 10 < 6 THEN 'open' WHEN g % 10 < 8 THEN 'won' ELSE 'lost' END,
            opened, CASE WHEN g % 10 >= 6 THEN LEAST(now(), opened + (g % 90) * interval '1 day') END,
            '', {rep0} + (c % {reps}), c, {rep0} + (c % {reps}),
            (SELECT id FROM pipeline_stage ORDER BY position OFFSET (g % 5) LIMIT 1)
        FROM (SELECT g, 1 + (g::bigint * 7937) % {n} AS c,
                     now() - random() * interval '730 days' AS opened
              FROM generate_series(1, {int(200_000 * k)}) AS g) AS s""",
        ),
        (
            "stage changes",
            """
        INSERT INTO pipeline_stagechange (status, at, by_id, from_stage_id, opportunity_id, to_stage_id)
        SELECT 'open', o.opened_at + (s.position - 1) * interval '3 days', o.owner_id, NULL, o.id, s.id
        FROM pipeline_opportunity o
        JOIN pipeline_stage cur ON cur.id = o.stage_id
        JOIN pipeline_stage s ON s.position <= cur.position""",
        ),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        for name, sql in steps:
            started = time.perf_counter()
            cursor.execute(sql)
            print(
                f"  {name:<18} {cursor.rowcount:>10,} rows  {time.perf_counter() - started:6.1f} s"
            )
        for table in (
            "customers_customer",
            "ownership_ownership",
            "activities_order",
            "disputes_collision",
            "ownership_handoverplan",
            "pipeline_opportunity",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        cursor.execute("VACUUM ANALYZE")


def measure() -> None:
    from django.db import connection
    from django.utils import timezone

    from guishu.accounts.models import User
    from guishu.reports.params import ReportParams
    from guishu.reports.registry import REPORTS, report_run

    manager = User.objects.get(username="bench-manager-0")
    director = User.objects.get(username="bench-director")
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM customers_customer")
        print(f"customers: {cursor.fetchone()[0]:,}")
    worst = 0.0
    for days in (90, 365):
        params = ReportParams(today - timedelta(days=days - 1), today)
        print(f"\nlast {days} days        manager (250 reps)     director (everyone)")
        for kind in REPORTS.values():
            line = f"  {kind.name:<16}"
            for viewer in (manager, director):
                times = []
                for _ in range(3):
                    started = time.perf_counter()
                    report_run(kind=kind, viewer=viewer, params=params)
                    times.append(time.perf_counter() - started)
                worst = max(worst, max(times))
                line += f"  first {times[0]:5.2f} s, median {statistics.median(times):5.2f} s"
            print(line)
    verdict = "within" if worst <= 2 else "OVER"
    print(f"\nslowest single run: {worst:.2f} s ({verdict} the 2 s target)")
    overdue()


def overdue() -> None:
    """The home page's overdue-by-cadence section on the same data (docs/discipline.md):
    every customer in view judged, the ten most overdue explained."""
    from guishu.accounts.models import User
    from guishu.discipline.selectors import contact_dues, overdue_page

    print("\noverdue by cadence (home page section), median of three")
    for username, who in (("rep-0-0-0", "a rep"), ("bench-manager-0", "a manager of 250 reps")):
        person = User.objects.get(username=username)
        judged, paged = [], []
        for _ in range(3):
            started = time.perf_counter()
            dues = contact_dues(person)
            judged.append(time.perf_counter() - started)
            started = time.perf_counter()
            page = overdue_page(person, limit=10)
            paged.append(time.perf_counter() - started)
        print(
            f"  {who:<24} {len(dues):>8,} customers, {page.total:>8,} overdue: judging "
            f"{statistics.median(judged):5.2f} s, the section {statistics.median(paged):5.2f} s"
        )


def analyze() -> None:
    """Fresh planner statistics after the bulk load, as autovacuum would give them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    customers = int(numbers[0]) if numbers else 1_000_000
    reuse = "--reuse" in sys.argv
    scratch(reuse)
    if not reuse:
        print(f"loading {customers:,} customers into {DATABASE}")
        load(customers)
    analyze()
    measure()


if __name__ == "__main__":
    main()
