"""Registering a customer, with the duplicate check running as the rep types."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guishu.ownership.matches import customer_precheck
from guishu.ownership.registration import customer_register
from guishu.web.forms import RegistrationForm
from guishu.web.people import signed_in
from guishu.web.trace import translate_trace


@require_http_methods(["GET", "POST"])
def customer_register_page(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: register, or show why not (a collision, or possible duplicates
    to confirm), keeping everything typed in the form."""
    user = signed_in(request)
    form = RegistrationForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result = customer_register(
                user=user,
                data=form.customer_input(),
                first_contact_at=form.cleaned_data.get("first_contact_at"),
                details_found_at=form.cleaned_data.get("details_found_at"),
                confirm_distinct=form.cleaned_data.get("confirm_distinct", False),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            if result.created and result.customer is not None:
                term = result.events[0]
                messages.success(
                    request,
                    _("Registered %(name)s: protected until %(until)s.")
                    % {
                        "name": result.customer.name,
                        "until": term.protected_until.date().isoformat()
                        if term.protected_until
                        else "—",
                    },
                )
                return redirect("customer-detail", customer_id=result.customer.pk)
            context.update(
                result=result,
                answers=result.matches,
                refusal="; ".join(translate_trace(line) for line in result.rejection.trace)
                if result.rejection
                else "",
            )
    return render(request, "guishu/customers/register.html", context)


@require_POST
def customer_precheck_partial(request: HttpRequest) -> HttpResponse:
    """The duplicate check as the rep types: the matches panel only, nothing written."""
    user = signed_in(request)
    form = RegistrationForm(request.POST)
    form.is_valid()  # partial input is expected; whatever parsed is checked
    answers = customer_precheck(user=user, data=form.customer_input())
    return render(request, "guishu/customers/_matches.html", {"answers": answers})
