"""Notification channels (group-chat bots): administrators only, as in the API. The webhook
address and the secret are credentials and never shown again."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guishu.notifications.models import Channel
from guishu.web.forms_settings import ChannelForm
from guishu.web.views_settings import admins_only, form_page, settings_page

# --- notification channels (administrators) -------------------------------------------------


@require_safe
def channel_list(request: HttpRequest) -> HttpResponse:
    if refused := admins_only(request):
        return refused
    channels = Channel.objects.select_related("team").order_by("name", "pk")
    return settings_page(
        request, "guishu/settings/channels.html", "settings-channels", {"channels": channels}
    )


@require_http_methods(["GET", "POST"])
def channel_create(request: HttpRequest) -> HttpResponse:
    if refused := admins_only(request):
        return refused
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel = form.save()
        messages.success(request, _("Created %(name)s.") % {"name": channel.name})
        return redirect("settings-channels")
    return form_page(
        request,
        "settings-channels",
        form,
        title=_("New notification channel"),
        editable=True,
        back="settings-channels",
    )


@require_http_methods(["GET", "POST"])
def channel_edit(request: HttpRequest, channel_id: int) -> HttpResponse:
    if refused := admins_only(request):
        return refused
    channel = get_object_or_404(Channel, pk=channel_id)
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved %(name)s.") % {"name": channel.name})
        return redirect("settings-channels")
    return form_page(
        request,
        "settings-channels",
        form,
        title=channel.name,
        editable=True,
        back="settings-channels",
        delete_url="settings-channel-delete",
        extra={"object_id": channel.pk},
    )


@require_POST
def channel_delete(request: HttpRequest, channel_id: int) -> HttpResponse:
    if refused := admins_only(request):
        return refused
    channel = get_object_or_404(Channel, pk=channel_id)
    name = channel.name
    channel.delete()
    messages.success(request, _("Deleted %(name)s.") % {"name": name})
    return redirect("settings-channels")
