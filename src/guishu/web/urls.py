"""The pages. Every route here needs a row in tests/web/test_permissions.py (the matrix)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from guishu.accounts.forms import ThrottledAuthenticationForm
from guishu.web import (
    views,
    views_customer,
    views_customer_bulk,
    views_home,
    views_imports,
    views_register,
)

urlpatterns = [
    path("", views_home.home, name="home"),
    path("home/dates/", views_home.home_dates, name="home-dates"),
    path("home/overdue/", views_home.home_overdue, name="home-overdue"),
    path(
        "login/",
        views_home.LoginView.as_view(
            template_name="guishu/login.html",
            authentication_form=ThrottledAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch sits in the header of every page, the login page included.
    path("i18n/setlang/", login_not_required(views_home.language_set), name="set_language"),
    path("customers/", views.customer_list, name="customer-list"),
    path("customers/views/", views.saved_view_create, name="saved-view-create"),
    path(
        "customers/views/<int:view_id>/delete/",
        views.saved_view_delete,
        name="saved-view-delete",
    ),
    path("customers/bulk/", views_customer_bulk.customer_bulk, name="customer-bulk"),
    path("customers/<int:customer_id>/", views_customer.customer_detail, name="customer-detail"),
    path(
        "customers/<int:customer_id>/activities/",
        views_customer.customer_activity_log,
        name="customer-activity-log",
    ),
    path("customers/register/", views_register.customer_register_page, name="customer-register"),
    path(
        "customers/register/check/",
        views_register.customer_precheck_partial,
        name="customer-precheck",
    ),
    path("imports/", views_imports.import_list, name="import-list"),
    path("imports/<int:job_id>/", views_imports.import_detail, name="import-detail"),
    path("imports/<int:job_id>/mapping/", views_imports.import_mapping, name="import-mapping"),
    path("imports/<int:job_id>/preview/", views_imports.import_preview_page, name="import-preview"),
    path("imports/<int:job_id>/commit/", views_imports.import_commit_page, name="import-commit"),
    path("imports/<int:job_id>/progress/", views_imports.import_progress, name="import-progress"),
    # Areas kept in modules of their own.
    path("", include("guishu.web.urls_work")),
    path("settings/", include("guishu.web.urls_settings")),
    path("reports/", include("guishu.web.urls_reports")),
    path("", include("guishu.web.urls_discipline")),
    path("ops/", include("guishu.web.urls_ops")),
]
