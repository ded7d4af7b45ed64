"""Reading a chart's spec back out of a page ({% chart %}, guishu/_chart.html)."""

import html as html_lib
import json
import re
from typing import Any


def chart_in(page: str, chart_id: str) -> dict[str, Any]:
    """The spec of the chart box `chart_id` on `page`."""
    box = re.search(rf'<div[^>]*\bid="{re.escape(chart_id)}"[^>]*>', page)
    assert box, f"no chart {chart_id!r} on the page"
    spec = re.search(r'\bdata-spec="([^"]*)"', box.group(0))
    assert spec, f"chart {chart_id!r} carries no spec"
    found: dict[str, Any] = json.loads(html_lib.unescape(spec.group(1)))
    return found
