"""Forms of the pages. They parse and validate input; services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guishu.activities.models import Activity
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


class CustomerFilterForm(forms.Form):
    """The customer list's search, filters and sort, read from the query string. Unknown or
    malformed values are dropped rather than refused: a bookmarked list still opens."""

    SCOPES = (
        ("", _("Mine")),
        ("pool", _("The pool")),
        ("visible", _("Everything I can see")),
    )
    STATUSES = (
        ("", _("Any status")),
        ("protected", _("Protected")),
        ("unprotected", _("Protection over")),
        ("won", _("Deal won")),
        ("locked", _("Locked")),
    )
    ENDINGS = (
        ("", _("Any time")),
        ("7", _("Protection ends within 7 days")),
        ("14", _("Protection ends within 14 days")),
        ("30", _("Protection ends within 30 days")),
    )
    SORTS = (
        ("name", _("Name A–Z")),
        ("-name", _("Name Z–A")),
        ("-owner_since", _("Newest owned first")),
        ("owner_since", _("Oldest owned first")),
        ("protected_until", _("Protection ending first")),
        ("-created_at", _("Newest registered first")),
    )
    ORDERINGS = {
        "name": ("name", "pk"),
        "-name": ("-name", "-pk"),
        "-owner_since": ("-owner_since", "-pk"),
        "owner_since": ("owner_since", "pk"),
        "protected_until": ("protected_until", "pk"),
        "-created_at": ("-created_at", "-pk"),
    }
    FIELDS = ("q", "scope", "status", "level", "owner", "ending", "sort")

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    scope = forms.ChoiceField(label=_("Whose"), choices=SCOPES, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=(("", _("Any level")), *Customer.LevelChoice.choices),
        required=False,
    )
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False, empty_value=None)
    ending = forms.ChoiceField(label=_("Protection ending"), choices=ENDINGS, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)

    def __init__(self, data: object, *, owners: list[tuple[int, str]] | None) -> None:
        """`owners`: whom a manager may filter by (None: the filter is not offered)."""
        super().__init__(data)  # type: ignore[arg-type]
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].choices = [("", _("Anyone")), *owners]  # type: ignore[attr-defined]

    def values(self) -> dict[str, object]:
        """The valid filters only, each field present ("" or None when not set)."""
        values: dict[str, object] = {name: "" for name in self.FIELDS}
        if self.is_valid():
            values.update(self.cleaned_data)
            return values
        for name in self.fields:
            if name not in self.errors:
                values[name] = self.cleaned_data.get(name, "")
        return values


class SavedViewForm(forms.Form):
    """Saving the list's current filters under a name."""

    name = forms.CharField(label=_("Name of this view"), max_length=60)
    params = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)


class BulkForm(forms.Form):
    """A bulk action on the ticked customers: what to do, and to whom for a transfer. The
    ticked ids are read by the view, through the viewer's list."""

    ACTIONS = (
        ("release", _("Release to the pool")),
        ("transfer", _("Transfer to…")),
    )

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    to = forms.TypedChoiceField(label=_("To"), coerce=int, required=False, empty_value=None)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: object, *, people: list[tuple[int, str]]) -> None:
        """`people`: whom the viewer may transfer to (none: a rep may only release)."""
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["to"].choices = [("", "—"), *people]  # type: ignore[attr-defined]
        if not people:
            self.fields["action"].choices = self.ACTIONS[:1]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("action") == "transfer" and not data.get("to"):
            self.add_error("to", _("Choose whom to transfer the customers to."))
        return data


class ActivityForm(forms.Form):
    """Quick entry of a follow-up on the customer page."""

    kind = forms.ChoiceField(label=_("Type"), choices=Activity.Kind.choices)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Activity.Channel.choices, initial=Activity.Channel.PHONE
    )
    occurred_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=0, max_value=24 * 60, required=False
    )
    outcome = forms.CharField(label=_("Outcome"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    customer_initiated = forms.BooleanField(label=_("The customer reached out"), required=False)
