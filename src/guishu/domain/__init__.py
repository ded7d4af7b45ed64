"""The pure ownership rules engine.

Standard library only: no Django, no clock, no database. `now` and the `Policy` are always
arguments, so every rule can be tested on plain objects in microseconds.
"""

from guishu.domain.cadence import CadenceStatus, ContactFacts, cadence_status
from guishu.domain.classification import (
    ClassificationInputs,
    Engagement,
    Strategy,
    engagement_of,
    potential_of,
)
from guishu.domain.commands import (
    AssignFromPool,
    Award,
    Claim,
    Command,
    ExtendProtection,
    FollowUp,
    Lock,
    Reclaim,
    Register,
    Release,
    Transfer,
    Unlock,
    WinDeal,
)
from guishu.domain.engine import decide
from guishu.domain.events import EventKind, OwnershipEvent, apply, replay
from guishu.domain.forecast import ReclaimForecast, reclaim_forecast
from guishu.domain.outcomes import Accepted, Decision, Rejection, RejectionCode
from guishu.domain.people import Actor, Person, Role
from guishu.domain.policy import Level, Policy, ReclaimRule
from guishu.domain.state import Basis, FormerOwner, OwnershipState
from guishu.domain.trace import TraceLine, render_trace

__all__ = [
    "Accepted",
    "Actor",
    "AssignFromPool",
    "Award",
    "Basis",
    "CadenceStatus",
    "Claim",
    "ClassificationInputs",
    "Command",
    "ContactFacts",
    "Decision",
    "Engagement",
    "EventKind",
    "ExtendProtection",
    "FollowUp",
    "FormerOwner",
    "Level",
    "Lock",
    "OwnershipEvent",
    "OwnershipState",
    "Person",
    "Policy",
    "Reclaim",
    "ReclaimForecast",
    "ReclaimRule",
    "Register",
    "Rejection",
    "RejectionCode",
    "Release",
    "Role",
    "Strategy",
    "TraceLine",
    "Transfer",
    "Unlock",
    "WinDeal",
    "apply",
    "cadence_status",
    "decide",
    "engagement_of",
    "potential_of",
    "reclaim_forecast",
    "render_trace",
    "replay",
]
