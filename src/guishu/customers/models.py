"""Customers, what identifies them, and the people we deal with there."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guishu.domain import Level


class Customer(models.Model):
    """A company or person we sell to. Ownership lives in guishu.ownership, never here.

    The primary name and the other identifiers (aliases, phones, emails, websites, messenger
    IDs) are what collision detection compares; `IdentityKey` keeps their normalised forms.
    """

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PERSON = "person", _("Person")

    class LevelChoice(models.TextChoices):
        A = Level.A.value, _("A (key)")
        B = Level.B.value, _("B")
        C = Level.C.value, _("C")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. CN, DE, US")
    )
    region = models.CharField(_("region / province"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    level = models.CharField(
        _("level"), max_length=1, choices=LevelChoice.choices, default=LevelChoice.C
    )
    notes = models.TextField(_("notes"), blank=True)
    match_profile = models.JSONField(
        default=dict,
        editable=False,
        help_text="The normalised identity profile collision detection compares (derived).",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["name"]),
            # The reports join a period's per-customer figures to the customers' levels in id
            # order, from the index alone (docs/reports.md).
            models.Index(fields=["id", "level"], name="customer_id_level"),
        ]

    def __str__(self) -> str:
        return self.name


class Identifier(models.Model):
    """One identity signal as the user typed it: an alias, phone, email, website or messenger ID."""

    class Kind(models.TextChoices):
        ALIAS = "alias", _("Other name")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        WEBSITE = "website", _("Website")
        WECHAT = "wechat", _("WeChat")
        WHATSAPP = "whatsapp", _("WhatsApp")

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=200)

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "value"], name="identifier_unique_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class IdentityKey(models.Model):
    """A blocking key ("phone:+8613800138000", "trade_name:字节跳动"), rebuilt on every
    customer write. Indexed by (kind, value) so that a registration check finds the customers
    sharing any key at once; see guishu.matching.blocking for the kinds."""

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="identity_keys")
    kind = models.CharField(max_length=16)
    value = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("identity key")
        verbose_name_plural = _("identity keys")
        indexes = [models.Index(fields=["kind", "value"])]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "value"], name="identity_key_unique_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class Contact(models.Model):
    """A person at the customer, with their place in the decision chain (决策链)."""

    class ChainRole(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision maker")
        INFLUENCER = "influencer", _("Influencer")
        USER = "user", _("User")
        GATEKEEPER = "gatekeeper", _("Gatekeeper")
        CHAMPION = "champion", _("Champion")

    class Stance(models.TextChoices):
        SUPPORTER = "supporter", _("Supporter")
        NEUTRAL = "neutral", _("Neutral")
        OPPONENT = "opponent", _("Opponent")
        UNKNOWN = "unknown", _("Unknown")

    # Looked up by the index below, which starts with it.
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="contacts", db_index=False)
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    chain_role = models.CharField(
        _("decision-chain role"), max_length=20, choices=ChainRole.choices, blank=True
    )
    stance = models.CharField(
        _("stance"), max_length=10, choices=Stance.choices, default=Stance.UNKNOWN
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        # A customer's contacts, and their decision-chain roles from the index alone (the
        # concentration report's key accounts, docs/reports.md).
        indexes = [models.Index(fields=["customer", "chain_role"], name="contact_customer_role")]

    def __str__(self) -> str:
        return self.name


class Reveal(models.Model):
    """A masked contact detail shown to someone on request: who, which value, when.

    Kept so managers can see who looks at pooled customers' details before claiming them,
    and so the daily cap can be counted.
    """

    user = models.ForeignKey("accounts.User", models.PROTECT, related_name="reveals")
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="reveals")
    identifier = models.ForeignKey(Identifier, models.SET_NULL, null=True, blank=True)
    contact = models.ForeignKey(Contact, models.SET_NULL, null=True, blank=True)
    field = models.CharField(max_length=16)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("revealed value")
        verbose_name_plural = _("revealed values")
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.field} {self.at:%Y-%m-%d %H:%M}"
