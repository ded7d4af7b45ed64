"""Forms of the work area's pages (disputes, the manager console). They parse and validate
input; the services decide and write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from guishu.disputes.models import Dispute
from guishu.domain.disputes import Option, Proposal
from guishu.ownership.models import HandoverItem


class ProposalForm(forms.Form):
    """A way to settle a dispute. Only a joint settlement names a lead and a share; whatever
    the page sent for them with another option is dropped, not refused."""

    option = forms.ChoiceField(label=_("Option"), choices=Dispute.Option.choices)
    lead = forms.IntegerField(label=_("Who leads (joint)"), required=False, min_value=1)
    share = forms.DecimalField(
        label=_("Collaborator's share in percent (joint)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    fallback_on = forms.DateField(
        label=_('"No deal by" date (optional)'),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        joint = data["option"] == Option.JOINT
        return Proposal(
            option=Option(data["option"]),
            lead_id=data.get("lead") if joint else None,
            share=data.get("share") if joint else None,
            fallback_on=data.get("fallback_on"),
        )


class StatementForm(ProposalForm):
    text = forms.CharField(label=_("Your statement"), max_length=4000, widget=forms.Textarea)
    option = forms.ChoiceField(
        label=_("The settlement you accept (optional)"),
        choices=[("", "—"), *Dispute.Option.choices],
        required=False,
    )

    def proposal_or_none(self) -> Proposal | None:
        return self.proposal() if self.cleaned_data.get("option") else None


class DecisionForm(ProposalForm):
    rationale = forms.CharField(label=_("Rationale"), max_length=4000, widget=forms.Textarea)


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("Why you appeal"), max_length=4000, widget=forms.Textarea)


class AnswerForm(forms.Form):
    chosen = forms.IntegerField(label=_("The customer chose"), min_value=1)
    answer = forms.CharField(label=_("What the customer said"), max_length=4000, required=False)


class OpenForm(forms.Form):
    reason = forms.CharField(label=_("Why you contest it"), max_length=4000, required=False)


class ReassignForm(forms.Form):
    to = forms.IntegerField(label=_("To"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class PlanForm(forms.Form):
    rep = forms.IntegerField(label=_("Rep handing over"), min_value=1)
    effective_on = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    to = forms.IntegerField(label=_("Default receiver"), min_value=1, required=False)


class ItemForm(forms.Form):
    choice = forms.ChoiceField(label=_("What happens"), choices=HandoverItem.Choice.choices)
    to = forms.IntegerField(label=_("To"), min_value=1, required=False)
    collaborate_until = forms.DateField(
        label=_("Old owner collaborates until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
