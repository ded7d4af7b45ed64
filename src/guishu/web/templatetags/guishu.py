"""Template filters for the pages: `{% load guishu %}`."""

import json
from collections.abc import Mapping
from typing import Any

from django import template
from django.utils import translation

from guishu.customers.masking import mask_value
from guishu.domain import TraceLine
from guishu.matching import Reason
from guishu.pipeline.models import Stage
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


@register.filter
def stage_name(stage: Stage) -> str:
    """A sales stage's name in the page's language."""
    return stage.name_in(translation.get_language())


@register.filter
def mask(value: str) -> str:
    """A contact detail masked (see guishu.customers.masking)."""
    return mask_value(value)


@register.filter
def mask_if(value: str, masked: bool) -> str:
    return mask_value(value) if masked else value


@register.inclusion_tag("guishu/_chart.html")
def chart(spec: Mapping[str, Any], chart_id: str) -> dict[str, Any]:
    """`{% chart spec "reclaim-forecast" %}`: a chart box and its spec (guishu.web.charts);
    load static/guishu/charts.js on the page (block head) to draw it."""
    return {"chart": spec, "chart_id": chart_id, "spec_json": json.dumps(spec, ensure_ascii=False)}
