"""Rule traces: the plain-words explanation attached to every decision.

A trace line is an English message template plus its parameters. The engine never translates:
the web layer looks the template up in the translation catalogue and fills in the parameters,
so the same trace reads in Chinese or English. Templates are marked with `gettext_noop`
(imported as `N_`); the project's `makemessages` command knows that keyword and collects them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo


def gettext_noop(message: str) -> str:
    """Marks a template for translation without translating it (the engine has no catalogue)."""
    return message


@dataclass(frozen=True)
class TraceLine:
    """One sentence of a rule trace, e.g. "refused: protected for 李雷 until 2026-12-20 ..."."""

    message: str
    params: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message.format(**self.params)

    def as_json(self) -> dict[str, Any]:
        return {"message": self.message, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TraceLine":
        return cls(message=str(data["message"]), params=dict(data.get("params", {})))


def render_trace(lines: Iterable[TraceLine]) -> str:
    return "; ".join(str(line) for line in lines)


def day(moment: datetime, tz: str) -> str:
    """A date as users read it: the calendar day in the company's time zone."""
    return moment.astimezone(ZoneInfo(tz)).date().isoformat()
