"""Template filters for the pages: `{% load guishu %}`."""

from collections.abc import Mapping
from typing import Any

from django import template

from guishu.domain import TraceLine
from guishu.matching import Reason
from guishu.web import trace

register = template.Library()


@register.filter
def render_trace(line: TraceLine | Reason | Mapping[str, Any]) -> str:
    """A rule-trace line in the active language (escaped like any other text)."""
    return trace.translate_trace(line)


@register.filter
def evidence_rows(evidence: Mapping[str, str]) -> list[tuple[str, str]]:
    return trace.evidence_rows(evidence)


@register.filter
def reclaim_rule(rule: str) -> str:
    return trace.reclaim_rule(rule)
