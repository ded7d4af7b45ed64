"""What a rep is told about existing customers their input matches, and the pre-check.

A rep sees "exists — owned by 王芳 (华东组) since 2026-10-02, protected until 2026-11-01" or
"in the pool", with the signals behind the verdict, but never another rep's contact details:
for a customer the viewer may not see in full, every value in a reason that the viewer did not
type is masked.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.identity import CandidateMatch, find_stored_matches
from guishu.customers.inputs import CustomerInput
from guishu.customers.masking import mask_value
from guishu.customers.models import Customer
from guishu.disputes.models import Collaboration
from guishu.domain import TraceLine
from guishu.domain.trace import day
from guishu.matching import MatchProfile, Reason, Verdict, build_profile
from guishu.ownership.models import Ownership
from guishu.pools.models import PoolPlacement
from guishu.pools.routing import eligible_pool_ids


@dataclass(frozen=True)
class MatchAnswer:
    """One existing customer the input matches, as the viewer may see it."""

    customer_id: int
    name: str
    verdict: Verdict
    score: float
    reasons: tuple[Reason, ...]
    status: TraceLine
    owner_id: int | None
    visible: bool

    @property
    def is_collision(self) -> bool:
        return self.verdict is Verdict.SAME


def match_answers(
    user: User, profile: MatchProfile, found: Iterable[CandidateMatch]
) -> tuple[MatchAnswer, ...]:
    """Answers for `user`: one query for the owners and one for the viewer's collaborations,
    whatever the number of matches (one more for the names when the candidates came without
    them)."""
    found = list(found)
    ids = [candidate.customer_id for candidate in found]
    if not ids:
        return ()
    names = {candidate.customer_id: candidate.name for candidate in found}
    if not all(names.values()):
        names = dict(Customer.objects.filter(pk__in=ids).values_list("pk", "name"))
    terms = {
        term.customer_id: term
        for term in Ownership.objects.filter(
            customer_id__in=ids, ended_at__isnull=True
        ).select_related("owner__team")
    }
    # The selectors' rule, applied to the terms at hand: the pool, one's own (or one's teams')
    # customers and those one collaborates on are visible in full; any other is "taken, by
    # whom", masked.
    manages = managed_user_ids(user)
    collaborating: set[int] = set()
    if manages is not None:
        collaborating = set(
            Collaboration.objects.active(timezone.now())
            .filter(customer_id__in=ids, user=user)
            .values_list("customer_id", flat=True)
        )

    # Pooled customers in a pool the user is not eligible for are as good as taken.
    eligible = eligible_pool_ids(user)
    closed = (
        set(
            PoolPlacement.objects.filter(customer_id__in=ids)
            .exclude(pool_id__in=eligible)
            .values_list("customer_id", flat=True)
        )
        if eligible is not None
        else set()
    )

    def visible(customer_id: int, term: Ownership | None) -> bool:
        if manages is None:
            return True
        if term is None:
            return customer_id not in closed
        return term.owner_id in {user.pk, *manages} or customer_id in collaborating

    typed = _typed_values(profile)
    answers = []
    for candidate in found:
        term = terms.get(candidate.customer_id)
        shown = visible(candidate.customer_id, term)
        reasons = candidate.match.reasons
        if not shown:
            reasons = tuple(mask_reason(reason, typed) for reason in reasons)
        answers.append(
            MatchAnswer(
                customer_id=candidate.customer_id,
                name=names[candidate.customer_id],
                verdict=candidate.match.verdict,
                score=candidate.match.score,
                reasons=reasons,
                status=ownership_status(user, term),
                owner_id=term.owner_id if term else None,
                visible=shown,
            )
        )
    return tuple(answers)


def ownership_status(user: User, term: Ownership | None) -> TraceLine:
    """Who holds the customer, in one line the rep can act on."""
    tz = settings.TIME_ZONE
    if term is None:
        return TraceLine(N_("in the pool"), {})
    if term.owner_id == user.pk:
        return TraceLine(N_("yours since {since}"), {"since": day(term.started_at, tz)})
    params = {
        "owner": term.owner.name,
        "team": term.owner.team.name if term.owner.team else "—",
        "since": day(term.started_at, tz),
    }
    if term.protected_until and term.protected_until > timezone.now():
        params["until"] = day(term.protected_until, tz)
        return TraceLine(
            N_("exists — owned by {owner} ({team}) since {since}, protected until {until}"), params
        )
    return TraceLine(N_("exists — owned by {owner} ({team}) since {since}"), params)


def _typed_values(profile: MatchProfile) -> set[str]:
    values = {*profile.phones, *profile.emails, *profile.domains, *profile.wechat_ids}
    if profile.credit_code:
        values.add(profile.credit_code)
    for name in profile.names:
        values.update({name.text, name.key, name.trade, name.pinyin})
    return values


# Reasons whose parameters are names, places or lines of business, which the viewer may see
# ("taken, and by whom"). In every other reason, a value the viewer did not type is a contact
# detail or a code of the other customer, and is masked.
_NAME_REASONS = frozenset(
    {
        "name_equal",
        "generic_name",
        "trade_name_equal",
        "trade_name_pinyin_equal",
        "name_similar",
        "trade_name_contained",
        "branch_office",
        "different_country",
        "different_city",
        "different_industry",
        "different_phone",
        "nothing_in_common",
    }
)


def mask_reason(reason: Reason, typed: Collection[str] = ()) -> Reason:
    """The reason with every contact detail or code the viewer did not type masked."""
    if reason.code in _NAME_REASONS:
        return reason
    params = {
        key: value if value in typed else mask_value(value) for key, value in reason.params.items()
    }
    return replace(reason, params=params)


def customer_precheck(*, user: User, data: CustomerInput) -> tuple[MatchAnswer, ...]:
    """The duplicate check as a rep types: no writes, partial input welcome, nothing raised.

    Invalid bits (a half-typed e-mail) simply give no signal until they are complete.
    """
    if not any(
        (
            data.name.strip(),
            data.phones,
            data.emails,
            data.websites,
            data.wechat_ids,
            data.whatsapp_ids,
            data.credit_code.strip(),
        )
    ):
        return ()
    profile = build_profile(data.record())
    return match_answers(user, profile, find_stored_matches(profile))
