"""Settings: the standard sales stages (guishu.pipeline, docs/pipeline.md). Everyone signed in
reads them (they are the company's process); administrators add and change them. A stage in
use by opportunities is retired (not in use), never deleted, so their history stays readable."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from guishu.activities.models import Activity
from guishu.domain import Role
from guishu.pipeline.models import Stage
from guishu.web.people import signed_in
from guishu.web.views_settings import admins_only, forbidden, form_page, settings_page


class StageForm(forms.ModelForm[Stage]):
    required_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Required actions"),
        help_text=gettext_lazy(
            "Activity types that must be in the customer's records before an opportunity "
            "enters the stage."
        ),
        choices=Activity.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Stage
        fields = ["name_zh", "name_en", "position", "win_probability", "required_kinds", "active"]

    def clean_required_kinds(self) -> list[str]:
        kinds: list[str] = self.cleaned_data["required_kinds"]
        return sorted(set(kinds))


@require_safe
def stage_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    labels = dict(Activity.Kind.choices)
    stages: list[dict[str, Any]] = [
        {"stage": stage, "actions": [labels.get(kind, kind) for kind in stage.required_kinds]}
        for stage in Stage.objects.order_by("position")
    ]
    context = {"stages": stages, "admin": user.role == Role.ADMIN}
    return settings_page(request, "guishu/settings/stages.html", "settings-stages", context)


@require_http_methods(["GET", "POST"])
def stage_create(request: HttpRequest) -> HttpResponse:
    if refused := admins_only(request):
        return refused
    form = StageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        stage = form.save()
        name = stage.name_in(request.LANGUAGE_CODE)
        messages.success(request, _("Created %(name)s.") % {"name": name})
        return redirect("settings-stages")
    title = _("New stage")
    return form_page(
        request, "settings-stages", form, title=title, editable=True, back="settings-stages"
    )


@require_http_methods(["GET", "POST"])
def stage_edit(request: HttpRequest, stage_id: int) -> HttpResponse:
    user = signed_in(request)
    admin = user.role == Role.ADMIN
    if request.method == "POST" and not admin:
        return forbidden(request, _("Only administrators change this."))
    stage = get_object_or_404(Stage, pk=stage_id)
    form = StageForm(request.POST or None, instance=stage)
    if request.method == "POST" and form.is_valid():
        form.save()
        name = stage.name_in(request.LANGUAGE_CODE)
        messages.success(request, _("Saved %(name)s.") % {"name": name})
        return redirect("settings-stages")
    return form_page(
        request,
        "settings-stages",
        form,
        title=stage.name_in(request.LANGUAGE_CODE),
        editable=admin,
        back="settings-stages",
    )
