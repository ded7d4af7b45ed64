"""Forms of the opportunity pages. They parse and validate input; the pipeline services decide
(required actions, who may move what) and write."""

import re
from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guishu.pipeline.models import Stage


class StageChoiceField(forms.ModelChoiceField[Stage]):
    """Stages by their name in the page's language, with their win probability."""

    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.name_in(translation.get_language())} ({obj.win_probability}%)"


CURRENCY = re.compile(r"[A-Z]{3}")


def _stages() -> QuerySet[Stage]:
    return Stage.objects.filter(active=True).order_by("position")


class OpportunityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    amount = forms.DecimalField(
        label=_("Expected amount"), max_digits=14, decimal_places=2, min_value=Decimal(0)
    )
    currency = forms.CharField(label=_("Currency"), initial="CNY", max_length=3)
    stage = StageChoiceField(
        label=_("Starting stage"),
        queryset=Stage.objects.none(),
        required=False,
        empty_label=_("The first stage"),
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = _stages()  # type: ignore[attr-defined]

    def clean_currency(self) -> str:
        currency = str(self.cleaned_data["currency"]).strip().upper()
        if not CURRENCY.fullmatch(currency):
            raise forms.ValidationError(_("Three letters, like CNY or USD."))
        return currency


class AdvanceForm(forms.Form):
    stage = StageChoiceField(
        label=_("Move to stage"), queryset=Stage.objects.none(), empty_label=_("Choose a stage")
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = _stages()  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    """Won or lost; a loss needs its reason (the win-rate report is read with them)."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("won", _("Won")), ("lost", _("Lost"))]
    )
    reason = forms.CharField(
        label=_("Why it was lost (needed when lost)"), max_length=300, required=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("outcome") == "lost" and not str(data.get("reason") or "").strip():
            self.add_error("reason", _("Say why it was lost."))
        return data
