"""The demo company behind `guishu demo`: people, customers and a year of history.

A realistic, bilingual, deterministic data set for trying Guishu out. The year is planned in
memory first, with the rules engine refereeing every step (plan.py, story.py, abcase.py), and
then written through the real services in time order (replay.py), so the audit trail, the
reclaim clocks and the collisions are exactly what the product would have recorded.
"""

# Every demo user signs in with this password; `guishu demo` prints it with the logins.
DEMO_PASSWORD = "guishu-demo"  # noqa: S105 - a documented demo password, not a secret  # nosec B105
