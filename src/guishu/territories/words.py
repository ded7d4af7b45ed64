"""The territories' words in the active language: why a candidate was skipped, and rule
traces (English templates from the engine) rendered for a reason text."""

from collections.abc import Iterable

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guishu.domain import TraceLine
from guishu.territories.fairness import Skip

SKIP_LABELS = {
    Skip.INACTIVE: _("inactive"),
    Skip.CANNOT_OWN: _("cannot own customers"),
    Skip.NOT_MANAGED: _("not in your teams"),
    Skip.HOLDING_CAP: _("at the holding cap"),
    Skip.REFUSED: _("refused by the ownership rules"),
}


def skip_label(skip: Skip | None) -> str:
    return str(SKIP_LABELS[skip]) if skip else ""


def words(lines: Iterable[TraceLine]) -> str:
    """Trace lines as one sentence; a translation that lost a placeholder falls back to the
    English template rather than hide the reason."""
    rendered = []
    for line in lines:
        for template in (gettext(line.message), line.message):
            try:
                rendered.append(template.format(**line.params))
                break
            except (KeyError, IndexError, ValueError):
                continue
    return "; ".join(rendered)
