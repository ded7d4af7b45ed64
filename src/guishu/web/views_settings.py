"""The settings pages: the index of sections, and what every settings page shares (the
section tabs, the 403 page, the admins-only check, the generic form page).

The pages call the same services with the same permission rules as the API. The policy editor
and its what-if are in views_settings_policy.py; users, teams and pools in
views_settings_admin.py; territory rules in views_settings_territories.py; notification
channels in views_settings_channels.py.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from guishu.accounts.models import User
from guishu.domain import Role
from guishu.web.people import signed_in


def forbidden(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 with the page frame and a reason, for a page or action the role may not use."""
    context = {"reason": reason or _("This page is not open to your role.")}
    return render(request, "guishu/settings/forbidden.html", context, status=403)


# --- the index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    url_name: str
    title: str
    text: str


def sections_for(user: User) -> list[Section]:
    """The sections `user` may open, with what they may do there."""
    admin = user.role == Role.ADMIN
    manager = user.role == Role.MANAGER
    found = [
        Section(
            "settings-policy",
            _("Policy"),
            _("Change the rules and see what a change would do before saving it.")
            if admin or manager
            else _("The rules in force, and their history."),
        ),
        Section(
            "settings-users",
            _("Users"),
            _("Create users, change their role and team, deactivate them.")
            if admin
            else _("The people you work with."),
        ),
        Section(
            "settings-teams",
            _("Teams"),
            _("The team tree: create teams, change their manager and parent.")
            if admin
            else _("The team tree."),
        ),
        Section(
            "settings-pools",
            _("Pools"),
            _("Create pools and change where returning customers go and who may claim them.")
            if admin
            else _("The pools you may claim from."),
        ),
        Section(
            "settings-stages",
            _("Sales stages"),
            _(
                "The standard stages of an opportunity: their order, win probability and "
                "required actions."
            )
            if admin
            else _("The standard stages every opportunity moves through."),
        ),
        Section(
            "settings-territories",
            _("Territories"),
            _("Territory rules in the order they are tried: create, change, delete.")
            if admin or manager
            else _("Territory rules in the order they are tried."),
        ),
    ]
    if admin:
        found.append(
            Section(
                "settings-channels",
                _("Notification channels"),
                _("DingTalk, Feishu and WeCom group bots that receive digests."),
            )
        )
    return found


@require_safe
def settings_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "guishu/settings/index.html", {"sections": sections_for(signed_in(request))}
    )


def settings_page(
    request: HttpRequest, template: str, section: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context |= {"settings_sections": sections_for(signed_in(request)), "current_section": section}
    return render(request, template, context, status=status)


def admins_only(request: HttpRequest) -> HttpResponse | None:
    if signed_in(request).role != Role.ADMIN:
        return forbidden(request, _("Only administrators change this."))
    return None


def form_page(
    request: HttpRequest,
    section: str,
    form: Any,
    *,
    title: str,
    editable: bool,
    back: str,
    delete_url: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "editable": editable,
        "back": back,
        "delete_url": delete_url,
        **(extra or {}),
    }
    return settings_page(request, "guishu/settings/form.html", section, context)
