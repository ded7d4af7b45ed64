"""Pages of the work area, included by guishu.web.urls (every route needs a row in the page
permission matrix: tests/web/matrix_*.py)."""

from django.urls import URLPattern, path

from guishu.web import views_disputes, views_handover, views_manager, views_pipeline, views_pool

urlpatterns: list[URLPattern] = [
    path("pool/", views_pool.pool_list, name="pool-list"),
    path("pool/<int:customer_id>/claim/", views_pool.pool_claim_page, name="pool-claim"),
    path("disputes/", views_disputes.dispute_inbox, name="dispute-inbox"),
    path(
        "disputes/open/<int:collision_id>/",
        views_disputes.dispute_open_page,
        name="dispute-open",
    ),
    path("disputes/<int:dispute_id>/", views_disputes.dispute_detail, name="dispute-detail"),
    path(
        "disputes/<int:dispute_id>/state/",
        views_disputes.dispute_state_page,
        name="dispute-state",
    ),
    path(
        "disputes/<int:dispute_id>/decide/",
        views_disputes.dispute_decide_page,
        name="dispute-decide",
    ),
    path(
        "disputes/<int:dispute_id>/appeal-decide/",
        views_disputes.dispute_appeal_decide_page,
        name="dispute-appeal-decide",
    ),
    path(
        "disputes/<int:dispute_id>/answer/",
        views_disputes.dispute_answer_page,
        name="dispute-answer",
    ),
    path(
        "disputes/<int:dispute_id>/appeal/",
        views_disputes.dispute_appeal_page,
        name="dispute-appeal",
    ),
    path(
        "disputes/<int:dispute_id>/withdraw/",
        views_disputes.dispute_withdraw_page,
        name="dispute-withdraw",
    ),
]
urlpatterns += [
    path("manager/", views_manager.manager_console, name="manager-console"),
    path(
        "manager/customers/<int:customer_id>/reassign/",
        views_manager.manager_reassign,
        name="manager-reassign",
    ),
    path("manager/review/", views_manager.manager_review, name="manager-review"),
    path("manager/handovers/", views_handover.handover_list, name="manager-handovers"),
    path(
        "manager/handovers/<int:plan_id>/",
        views_handover.handover_page,
        name="manager-handover",
    ),
    path(
        "manager/handovers/<int:plan_id>/items/<int:item_id>/",
        views_handover.handover_item_page,
        name="manager-handover-item",
    ),
    path(
        "manager/handovers/<int:plan_id>/check/",
        views_handover.handover_check_page,
        name="manager-handover-check",
    ),
    path(
        "manager/handovers/<int:plan_id>/execute/",
        views_handover.handover_execute_page,
        name="manager-handover-execute",
    ),
    path(
        "manager/handovers/<int:plan_id>/cancel/",
        views_handover.handover_cancel_page,
        name="manager-handover-cancel",
    ),
]
urlpatterns += [
    path("opportunities/", views_pipeline.pipeline_list, name="opportunity-list"),
    path(
        "opportunities/<int:opportunity_id>/",
        views_pipeline.opportunity_detail,
        name="opportunity-detail",
    ),
    path(
        "opportunities/<int:opportunity_id>/advance/",
        views_pipeline.opportunity_advance_page,
        name="opportunity-advance",
    ),
    path(
        "opportunities/<int:opportunity_id>/close/",
        views_pipeline.opportunity_close_page,
        name="opportunity-close",
    ),
    path(
        "customers/<int:customer_id>/opportunities/new/",
        views_pipeline.opportunity_new,
        name="opportunity-new",
    ),
]
