"""The admin settings pages for users, teams and pools, each following the API's rules
exactly (guishu.api.people, guishu.api.pools):

- users: everyone lists the colleagues the API lists them (a rep their team, a manager their
  team trees, directors and admins everyone); only admins create, edit and deactivate;
- teams: everyone reads the tree; only admins create and edit;
- pools: everyone reads the pools they may claim from (admins all); only admins write.

A page a role may read but not change shows its form read-only. Territory rules and
notification channels have modules of their own.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import managed_user_ids
from guishu.domain import Role
from guishu.pools.models import Pool
from guishu.pools.routing import eligible_pool_ids
from guishu.web.forms_settings import PoolForm, TeamForm, UserForm
from guishu.web.people import signed_in
from guishu.web.views_settings import admins_only, forbidden, form_page, settings_page

USERS_PAGE = 100


# --- users ----------------------------------------------------------------------------------


def users_visible_to(user: User) -> QuerySet[User]:
    """The API's list: a rep their own team, a manager their team trees, directors and
    admins everyone."""
    users = User.objects.select_related("team").order_by("username", "pk")
    manages = managed_user_ids(user)
    if manages is None:
        return users
    if user.role == Role.MANAGER:
        return users.filter(pk__in=manages)
    return users.filter(team_id=user.team_id) if user.team_id else users.filter(pk=user.pk)


@require_safe
def user_list(request: HttpRequest) -> HttpResponse:
    """The colleagues the person may list, a page at a time, searchable by name."""
    user = signed_in(request)
    query = request.GET.get("q", "").strip()
    users = users_visible_to(user)
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(display_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    page = Paginator(users, USERS_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "admin": user.role == Role.ADMIN}
    return settings_page(request, "guishu/settings/users.html", "settings-users", context)


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    if refused := admins_only(request):
        return refused
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = form.save()
        messages.success(request, _("Created %(name)s.") % {"name": created.name})
        return redirect("settings-users")
    return form_page(
        request,
        "settings-users",
        form,
        title=_("New user"),
        editable=True,
        back="settings-users",
    )


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    if refused := admins_only(request):
        return refused
    person = get_object_or_404(User, pk=user_id)
    form = UserForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved %(name)s.") % {"name": person.name})
        return redirect("settings-users")
    return form_page(
        request,
        "settings-users",
        form,
        title=person.name,
        editable=True,
        back="settings-users",
        extra={"person": person},
    )


@require_POST
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    """Deactivating ends the person's sessions and revokes their tokens (the accounts app's
    signal); nothing they did is deleted."""
    if refused := admins_only(request):
        return refused
    person = get_object_or_404(User, pk=user_id)
    if person.pk == signed_in(request).pk:
        messages.error(request, _("You cannot deactivate yourself."))
    elif person.is_active:
        person.is_active = False
        person.save(update_fields=["is_active"])
        messages.success(request, _("Deactivated %(name)s.") % {"name": person.name})
    return redirect("settings-users")


# --- teams ----------------------------------------------------------------------------------


def team_tree() -> list[tuple[Team, int]]:
    """Every team with its depth, parents before their children."""
    teams = list(Team.objects.select_related("manager").order_by("name"))
    ids = {team.pk for team in teams}
    children: dict[int | None, list[Team]] = {}
    for team in teams:
        children.setdefault(team.parent_id if team.parent_id in ids else None, []).append(team)
    found: list[tuple[Team, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for team in children.get(parent, []):
            if all(team.pk != seen.pk for seen, _depth in found):
                found.append((team, depth))
                walk(team.pk, depth + 1)

    walk(None, 0)
    return found


@require_safe
def team_list(request: HttpRequest) -> HttpResponse:
    context = {"tree": team_tree(), "admin": signed_in(request).role == Role.ADMIN}
    return settings_page(request, "guishu/settings/teams.html", "settings-teams", context)


@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    if refused := admins_only(request):
        return refused
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = form.save()
        messages.success(request, _("Created %(name)s.") % {"name": team.name})
        return redirect("settings-teams")
    return form_page(
        request, "settings-teams", form, title=_("New team"), editable=True, back="settings-teams"
    )


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    admin = signed_in(request).role == Role.ADMIN
    if request.method == "POST" and not admin:
        return forbidden(request, _("Only administrators change this."))
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved %(name)s.") % {"name": team.name})
        return redirect("settings-teams")
    return form_page(
        request, "settings-teams", form, title=team.name, editable=admin, back="settings-teams"
    )


# --- pools ----------------------------------------------------------------------------------


def pools_visible_to(user: User) -> QuerySet[Pool]:
    """The API's list: the pools the person may claim from; administrators all."""
    pools = Pool.objects.prefetch_related("from_teams", "eligible_teams").order_by("priority", "pk")
    if user.role == Role.ADMIN:
        return pools
    eligible = eligible_pool_ids(user)
    return pools if eligible is None else pools.filter(pk__in=eligible)


@require_safe
def pool_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    context = {"pools": pools_visible_to(user), "admin": user.role == Role.ADMIN}
    return settings_page(request, "guishu/settings/pools.html", "settings-pools", context)


@require_http_methods(["GET", "POST"])
def pool_create(request: HttpRequest) -> HttpResponse:
    if refused := admins_only(request):
        return refused
    form = PoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pool = form.save()
        messages.success(request, _("Created %(name)s.") % {"name": pool.name})
        return redirect("settings-pools")
    return form_page(
        request, "settings-pools", form, title=_("New pool"), editable=True, back="settings-pools"
    )


@require_http_methods(["GET", "POST"])
def pool_edit(request: HttpRequest, pool_id: int) -> HttpResponse:
    user = signed_in(request)
    admin = user.role == Role.ADMIN
    if request.method == "POST" and not admin:
        return forbidden(request, _("Only administrators change this."))
    pool = pools_visible_to(user).filter(pk=pool_id).first()
    if pool is None:
        raise Http404
    form = PoolForm(request.POST or None, instance=pool)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved %(name)s.") % {"name": pool.name})
        return redirect("settings-pools")
    return form_page(
        request, "settings-pools", form, title=pool.name, editable=admin, back="settings-pools"
    )
