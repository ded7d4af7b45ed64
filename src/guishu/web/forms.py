"""Forms of the pages. They parse and validate input; services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Customer


class LinesField(forms.CharField):
    """One value per line (or separated by commas or semicolons)."""

    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value: str | None) -> tuple[str, ...]:  # type: ignore[override]
        text = super().to_python(value) or ""
        parts = text.replace(";", "\n").replace("，", "\n").replace(",", "\n").splitlines()
        return tuple(part.strip() for part in parts if part.strip())


class RegistrationForm(forms.Form):
    """Registering (报备) a customer: who they are, how to reach them, and the evidence."""

    name = forms.CharField(label=_("Customer name"), max_length=200, required=False)
    aliases = LinesField(label=_("Other names (one per line)"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Customer.Kind.choices, initial=Customer.Kind.COMPANY
    )
    phones = LinesField(label=_("Phones"), required=False)
    emails = LinesField(label=_("E-mails"), required=False)
    websites = LinesField(label=_("Websites"), required=False)
    wechat_ids = LinesField(label=_("WeChat IDs"), required=False)
    whatsapp_ids = LinesField(label=_("WhatsApp numbers"), required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30, required=False
    )
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    region = forms.CharField(label=_("Region / province"), max_length=100, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    source = forms.CharField(label=_("Source"), max_length=100, required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=Customer.LevelChoice.choices, initial=Customer.LevelChoice.C
    )
    first_contact_at = forms.DateTimeField(
        label=_("First contact"), required=False, widget=forms.DateTimeInput(attrs={"type": "date"})
    )
    details_found_at = forms.DateTimeField(
        label=_("Contact details found"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "date"}),
    )
    confirm_distinct = forms.BooleanField(
        label=_("I have checked: this is a different customer"), required=False
    )

    def customer_input(self) -> CustomerInput:
        data = self.cleaned_data
        return CustomerInput(
            name=data.get("name") or "",
            kind=data.get("kind") or "company",
            aliases=data.get("aliases") or (),
            phones=data.get("phones") or (),
            emails=data.get("emails") or (),
            websites=data.get("websites") or (),
            wechat_ids=data.get("wechat_ids") or (),
            whatsapp_ids=data.get("whatsapp_ids") or (),
            credit_code=data.get("credit_code") or "",
            country=data.get("country") or "",
            region=data.get("region") or "",
            city=data.get("city") or "",
            address=data.get("address") or "",
            industry=data.get("industry") or "",
            source=data.get("source") or "",
            level=data.get("level") or "C",
        )
