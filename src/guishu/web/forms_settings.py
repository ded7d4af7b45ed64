"""Forms of the admin settings pages (users, teams, pools, territory rules, notification
channels). They parse and validate input with the API's rules; services decide and write.
The policy form is in forms_settings_policy.py."""

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from guishu.accounts.models import Team, User
from guishu.customers.models import Customer
from guishu.domain import Level
from guishu.notifications.models import Channel, Kind
from guishu.notifications.webhooks import url_problem
from guishu.pools.models import Pool
from guishu.territories.models import Method

# --- people and teams -----------------------------------------------------------------------


class UserForm(forms.ModelForm[User]):
    """A user as administrators manage them (the API's rules: the password is validated, a
    new user needs one)."""

    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "email", "role", "team", "language", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["language"].widget = forms.Select(
            choices=[("", _("Follow the browser")), ("zh-hans", "简体中文"), ("en", "English")]
        )
        if self.instance.pk is None:
            self.fields["password"].help_text = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            candidate = (
                self.instance if self.instance.pk else User(username=data.get("username", ""))
            )
            try:
                validate_password(password, candidate)
            except forms.ValidationError as weak:
                self.add_error("password", weak)
        elif self.instance.pk is None:
            self.add_error("password", _("A new user needs a password."))
        return data

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if password := self.cleaned_data.get("password"):
            user.set_password(password)
        if commit:
            user.save()
        return user


class TeamForm(forms.ModelForm[Team]):
    class Meta:
        model = Team
        fields = ["name", "parent", "manager"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["manager"].queryset = User.objects.filter(is_active=True).order_by("username")  # type: ignore[attr-defined]

    def clean_parent(self) -> Team | None:
        parent: Team | None = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk is not None:
            # A team cannot sit below itself: walk up from the chosen parent.
            seen: set[int] = set()
            current: Team | None = parent
            while current is not None and current.pk not in seen:
                if current.pk == self.instance.pk:
                    raise forms.ValidationError(_("A team cannot sit below itself."))
                seen.add(current.pk)
                current = current.parent
        return parent


# --- pools ----------------------------------------------------------------------------------


class ListField(forms.CharField):
    """One value per line (or separated by commas); stored as a list."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        parts = text.replace(";", "\n").replace("，", "\n").replace(",", "\n").splitlines()
        return [part.strip() for part in parts if part.strip()]


LEVEL_CHOICES = [(level.value, level.value) for level in Level]


class PoolForm(forms.ModelForm[Pool]):
    levels = forms.MultipleChoiceField(
        label=_("Levels"),
        choices=LEVEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = ListField(label=_("Countries (ISO codes)"), required=False)
    regions = ListField(label=_("Regions / provinces"), required=False)
    industries = ListField(label=_("Industries"), required=False)

    class Meta:
        model = Pool
        fields = [
            "name",
            "priority",
            "is_default",
            "active",
            "levels",
            "countries",
            "regions",
            "industries",
            "from_teams",
            "eligible_teams",
        ]
        widgets = {
            "from_teams": forms.CheckboxSelectMultiple,
            "eligible_teams": forms.CheckboxSelectMultiple,
        }

    def clean_countries(self) -> list[str]:
        codes = [code.upper() for code in self.cleaned_data.get("countries") or []]
        if not all(len(code) == 2 and code.isascii() and code.isalpha() for code in codes):
            raise forms.ValidationError(_("Give two-letter ISO country codes, e.g. CN, DE, US."))
        return codes


# --- territory rules ------------------------------------------------------------------------


class TerritoryRuleForm(forms.Form):
    """A territory rule as written; the service validates and decides who may name whom."""

    name = forms.CharField(label=_("Name"), max_length=100)
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=0,
        max_value=1_000_000,
        initial=100,
        help_text=_("Lower numbers are tried first; the first matching rule wins."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    regions = ListField(label=_("Regions / provinces"), required=False)
    countries = ListField(label=_("Countries (ISO codes)"), required=False)
    industries = ListField(label=_("Industries"), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Customer kinds"),
        choices=Customer.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sources = ListField(label=_("Sources"), required=False)
    levels = forms.MultipleChoiceField(
        label=_("Levels"),
        choices=LEVEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reps = forms.MultipleChoiceField(
        label=_("Reps"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    teams = forms.MultipleChoiceField(
        label=_("Teams"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: list[User], teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reps"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.name} · {p.team.name}" if p.team else p.name) for p in people
        ]
        self.fields["teams"].choices = [(str(t.pk), t.name) for t in teams]  # type: ignore[attr-defined]

    def rule_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["reps"] = [int(pk) for pk in data.get("reps") or []]
        data["teams"] = [int(pk) for pk in data.get("teams") or []]
        return data


# --- notification channels ------------------------------------------------------------------


class ChannelForm(forms.ModelForm[Channel]):
    """A group-chat channel. The webhook address and the secret are credentials: never shown
    again, so on an edit an empty box keeps what is stored."""

    url = forms.CharField(
        label=_("Webhook address"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("DingTalk's 加签 or Feishu's 签名校验 secret; WeCom bots are not signed."),
    )
    remove_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Receives"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nothing ticked: everything."),
    )

    class Meta:
        model = Channel
        fields = ["name", "platform", "url", "secret", "team", "kinds", "language", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["team"].empty_label = str(_("The whole company"))  # type: ignore[attr-defined]
        if self.instance.pk is not None:
            self.fields["url"].help_text = _("Leave empty to keep the stored address.")
            self.fields["secret"].help_text = _("Leave empty to keep the stored secret.")
        else:
            del self.fields["remove_secret"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        current = self.instance if self.instance.pk else None
        platform = data.get("platform") or (current.platform if current else "")
        url = data.get("url") or (current.url if current else "")
        if not url:
            self.add_error("url", _("Give the bot's webhook address."))
        elif data.get("url") or (current and platform != current.platform):
            problem = url_problem(platform, url)
            if problem:
                self.add_error("url", problem)
        data["url"] = url
        secret = data.get("secret") or (
            "" if data.get("remove_secret") else (current.secret if current else "")
        )
        data["secret"] = secret
        if platform == Channel.Platform.WECOM and secret:
            self.add_error("secret", _("WeCom group bots are not signed: leave the secret empty."))
        data["kinds"] = sorted(set(data.get("kinds") or []))
        return data
