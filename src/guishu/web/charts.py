"""Chart specs for the pages: plain dicts the template tag `{% chart %}` hands to
static/guishu/charts.js, which turns them into ECharts options. A view builds a spec from
figures it already has; nothing here queries anything.

A spec: {"kind": "line" | "bar" | "stacked" | "pie", "title": str, "x": [labels],
"series": [{"name": str, "data": [numbers]}], "small": bool}. Pie series take their labels
from "x".
"""

from collections.abc import Sequence
from typing import Any

KINDS = frozenset({"line", "bar", "stacked", "pie"})


def chart_spec(
    kind: str,
    title: str,
    x: Sequence[Any],
    series: Sequence[tuple[str, Sequence[float | int]]],
    *,
    small: bool = False,
) -> dict[str, Any]:
    """A spec for `{% chart %}`; labels and names are turned into strings now (lazy
    translations included), so the spec is plain JSON."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}")
    for name, data in series:
        if len(data) != len(x):
            raise ValueError(f"series {name!r} has {len(data)} values for {len(x)} labels")
    return {
        "kind": kind,
        "title": str(title),
        "x": [str(label) for label in x],
        "series": [{"name": str(name), "data": list(data)} for name, data in series],
        "small": small,
    }
