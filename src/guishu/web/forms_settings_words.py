"""The words of the policy form: each setting's label and help, the sections they are
grouped in, and the names of the keys of keyed settings."""

from django.utils.functional import Promise
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from guishu.activities.models import Activity
from guishu.disputes.models import Collaboration, Violation

ANY_INDUSTRY = "*"

LABELS: dict[str, tuple[Promise, Promise]] = {
    "protection_days": (
        _("Protection period (days)"),
        _("A registration protects the customer from colleagues for this long."),
    ),
    "follow_up_reclaim_days": (
        _("Reclaim without follow-up (days)"),
        _("Without a valid follow-up by the owner for this long, it returns to the pool."),
    ),
    "no_deal_reclaim_days": (
        _("Reclaim without a deal (days)"),
        _("Owned this long without a won deal, the customer returns to the pool."),
    ),
    "reclaim_warning_days": (
        _("Warning before a reclaim (days)"),
        _("The owner is warned this long before a reclaim."),
    ),
    "valid_follow_up_kinds": (
        _("Valid follow-ups"),
        _("The activity types that restart the follow-up clock."),
    ),
    "max_protection_extensions": (
        _("Protection extensions"),
        _("How many times per term the protection may be extended by another period."),
    ),
    "max_held": (_("Customers per rep"), _("Customers one rep may own at once.")),
    "won_excluded_from_holding_cap": (
        _("Won customers do not count"),
        _("Customers with a won deal do not count towards the customers per rep."),
    ),
    "max_locked": (
        _("Key customers per rep"),
        _("Key customers one rep may lock against reclaim."),
    ),
    "daily_claim_limit": (
        _("Claims per day"),
        _("Claims from the pool per rep per day."),
    ),
    "former_owner_cooldown_days": (
        _("Cool-down for the former owner (days)"),
        _("A rep who lost a customer may not claim it back for this long."),
    ),
    "new_in_pool_delay_hours": (
        _("Delay before a returned customer can be claimed (hours)"),
        _("So that everyone eligible sees it before the fastest clicker takes it."),
    ),
    "claim_cycling_count": (
        _("Claim/release cycling: claims"),
        _("Claiming one customer this many times within the days below is cycling."),
    ),
    "claim_cycling_days": (
        _("Claim/release cycling: within (days)"),
        _("The period the claims above are counted in."),
    ),
    "pool_contacts_hidden": (
        _("Hide pooled customers' contact details"),
        _("Contact details of pooled customers are masked until claimed; reveals are logged."),
    ),
    "reveals_per_day": (
        _("Reveals per day"),
        _("Masked values one person may reveal per day."),
    ),
    "dispute_window_days": (
        _("Time to contest a collision (days)"),
        _("A party may contest a collision this long after it."),
    ),
    "dispute_decision_days": (
        _("Time to decide a dispute (days)"),
        _("A dispute is decided this long after it opens; after that it escalates."),
    ),
    "dispute_appeal_days": (
        _("Time to appeal (days)"),
        _("A manager's decision may be appealed to the director this long (0: no appeal)."),
    ),
    "max_joint_share": (
        _("Largest collaborator share (%)"),
        _("The largest credit share a joint settlement gives the collaborator."),
    ),
    "split_templates": (
        _("Default credit shares (%)"),
        _("The share a collaborator of each role takes when none is named."),
    ),
    "violation_points": (
        _("Points per violation"),
        _("Points per confirmed violation of each kind; 0 makes it a warning only."),
    ),
    "holidays": (
        _("Holidays"),
        _(
            "One per line: first date, last date, name (e.g. 2027-02-05 2027-02-11 春节). "
            "Every clock pauses during them."
        ),
    ),
    "cadence_days": (
        _("Longest time without contact (days)"),
        _("A customer of each level should be contacted at least this often."),
    ),
    "cadence_strategy_days": (
        _("Longest time without contact, by strategy (days)"),
        _("The same by engagement strategy; the shorter of the two applies."),
    ),
    "after_sales_days": (
        _("After-sales follow-up (days)"),
        _("A delivery or a service is followed up within this many days."),
    ),
    "complaint_resolution_days": (
        _("Complaint resolution (days)"),
        _("A complaint is resolved within this many days."),
    ),
    "plan_capacity_per_week": (
        _("Contacts per rep per week"),
        _("How many contacts a rep can make in a week."),
    ),
    "plan_share_percent": (
        _("Planned share of contacts (%)"),
        _("The share of a week's contacts the plan fills; the rest stays free."),
    ),
    "working_hours_per_week": (
        _("Working hours per week"),
        _("The working time that selling time is measured against."),
    ),
    "potential_a_amount": (
        _("Potential A from (yearly purchases)"),
        _("A customer whose yearly purchase potential reaches this is potential A."),
    ),
    "potential_b_amount": (
        _("Potential B from (yearly purchases)"),
        _("A customer whose yearly purchase potential reaches this is potential B."),
    ),
    "potential_b_employees": (
        _("Potential B from (employees)"),
        _("A company this large is at least potential B."),
    ),
    "classification_review_days": (
        _("Classification review (days)"),
        _("A classification set by rule is evaluated again this often."),
    ),
    "engagement_type1_volume": (
        _("Type 1 from (monthly volume)"),
        _("Monthly volume of our products at or above which a customer earns with you."),
    ),
    "engagement_type2_volume": (
        _("Worth digging in from (monthly volume)"),
        _("The least a customer must be able to buy in total to be worth digging in."),
    ),
    "engagement_type3_volume": (
        _("Type 3 below (monthly volume)"),
        _("Below this monthly volume a customer won't move."),
    ),
    "engagement_min_margin": (
        _("Type 1 margin (%)"),
        _("The customer's margin on our products a type 1 customer needs."),
    ),
    "channel_cost_cents": (
        _("Cost of one touch (hundredths)"),
        _("What one touch on each channel costs, in hundredths of the company's currency."),
    ),
    "margin_percent": (
        _("Gross margin by level (%)"),
        _("The gross margin of sales to customers of each level."),
    ),
}

SECTIONS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (
        _("Protection and reclaim"),
        (
            "protection_days",
            "follow_up_reclaim_days",
            "no_deal_reclaim_days",
            "reclaim_warning_days",
            "max_protection_extensions",
            "valid_follow_up_kinds",
        ),
    ),
    (
        _("Holding and claiming"),
        (
            "max_held",
            "won_excluded_from_holding_cap",
            "max_locked",
            "daily_claim_limit",
            "former_owner_cooldown_days",
            "new_in_pool_delay_hours",
            "claim_cycling_count",
            "claim_cycling_days",
        ),
    ),
    (_("Pool privacy"), ("pool_contacts_hidden", "reveals_per_day")),
    (
        _("Disputes and credit"),
        (
            "dispute_window_days",
            "dispute_decision_days",
            "dispute_appeal_days",
            "max_joint_share",
            "split_templates",
            "violation_points",
        ),
    ),
    (
        _("Contact cadence and planning"),
        (
            "cadence_days",
            "cadence_strategy_days",
            "after_sales_days",
            "complaint_resolution_days",
            "plan_capacity_per_week",
            "plan_share_percent",
            "working_hours_per_week",
        ),
    ),
    (
        _("Customer classification"),
        (
            "potential_a_amount",
            "potential_b_amount",
            "potential_b_employees",
            "classification_review_days",
            "engagement_type1_volume",
            "engagement_type2_volume",
            "engagement_type3_volume",
            "engagement_min_margin",
        ),
    ),
    (_("Cost to serve"), ("channel_cost_cents", "margin_percent")),
    (_("Holidays"), ("holidays",)),
)


def key_labels() -> dict[str, str]:
    """Names of the keys of keyed settings, in the reader's language."""
    return {
        **{value: str(label) for value, label in Collaboration.Role.choices},
        **{value: str(label) for value, label in Violation.Kind.choices},
        **{value: str(label) for value, label in Activity.Channel.choices},
        "let_go": gettext_now("let go (serve, don't smother)"),
        "dig_in": gettext_now("dig in"),
        "give_up": gettext_now("give up"),
        ANY_INDUSTRY: gettext_now("every other industry"),
    }
