"""Template filters for the report pages: `{% load reports %}`."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """A fraction as a percentage with one decimal (0.256 → 25.6%); a dash when unknown."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def days(value: Any) -> str:
    return "—" if value is None else f"{float(value):.1f}"


@register.filter
def label(mapping: Any, key: Any) -> Any:
    """`mapping[key]`, or the key itself when the mapping has none."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key, 0) if hasattr(mapping, "get") else 0
