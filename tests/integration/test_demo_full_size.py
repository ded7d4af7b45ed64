"""The demo at the size `make run` loads: the quick start must never fail on it.

Look-alike companies only start to meet at full size (two 恒达 in different cities), which is
where the collision checks and the plan must still agree. SQLite only: it is what `make run`
uses, and the small demo tests cover PostgreSQL.
"""

import io
from datetime import date

import pytest
from django.core.management import call_command

from guishu.customers.models import Customer


@pytest.mark.django_db
def test_the_full_demo_loads_through_the_services():
    out = io.StringIO()
    call_command("demo", "--today", date(2026, 11, 22).isoformat(), stdout=out)
    assert Customer.objects.count() == 2000
    assert "Mueller Industrietechnik GmbH" in out.getvalue()
