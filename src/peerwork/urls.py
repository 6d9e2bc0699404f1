from __future__ import annotations

from django.urls import include, path

from peerwork.accounts import views as account_views
from peerwork.api.urls import api
from peerwork.assessments import views as assessment_views
from peerwork.core import views as core_views
from peerwork.framework import views as framework_views
from peerwork.orgs import views as org_views
from peerwork.reports import views as report_views

framework_patterns = ([
    path("", framework_views.index, name="index"),
    path("search/", framework_views.search, name="search"),
    path("report/", framework_views.report, name="report"),
    path("report/pdf/", framework_views.report_pdf, name="pdf"),
    path("element/<str:element_id>/", framework_views.element, name="element"),
    path("<slug:structure_id>/", framework_views.structure, name="structure"),
], "framework")

org_patterns = ([
    path("o/<slug:slug>/", org_views.detail, name="detail"),
    path("o/<slug:slug>/settings/", org_views.settings_view, name="settings"),
    path("o/<slug:slug>/members/", org_views.members, name="members"),
    path("o/<slug:slug>/members/<int:pk>/", org_views.member_update, name="member_update"),
    path("o/<slug:slug>/invitations/<int:pk>/withdraw/", org_views.invitation_revoke,
         name="invitation_revoke"),
    path("o/<slug:slug>/audit/", org_views.audit, name="audit"),
    path("platform/", org_views.platform, name="platform"),
    path("platform/audit/", org_views.platform_audit, name="platform_audit"),
    path("platform/<slug:slug>/invite/", org_views.platform_invite, name="platform_invite"),
], "orgs")

assessment_patterns = ([
    path("o/<slug:slug>/assessments/", assessment_views.round_list, name="list"),
    path("o/<slug:slug>/assessments/new/", assessment_views.round_new, name="new"),
    path("o/<slug:slug>/assessments/<int:round_id>/", assessment_views.round_detail, name="round"),
    path("o/<slug:slug>/assessments/<int:round_id>/close/", assessment_views.round_close, name="close"),
    path("o/<slug:slug>/assessments/<int:round_id>/results/", assessment_views.round_results,
         name="results"),
    path("o/<slug:slug>/assessments/<int:round_id>/report/", assessment_views.round_report,
         name="report"),
    path("o/<slug:slug>/assessments/<int:round_id>/report/pdf/", assessment_views.round_report_pdf,
         name="report_pdf"),
    path("o/<slug:slug>/assessments/<int:round_id>/export/<slug:detail>.<slug:fmt>",
         assessment_views.round_export, name="export"),
    path("o/<slug:slug>/assessments/<int:round_id>/actions/", assessment_views.round_actions,
         name="actions"),
    path("o/<slug:slug>/assessments/<int:round_id>/actions/<int:action_id>/status/",
         assessment_views.action_status, name="action_status"),
    path("benchmark/", assessment_views.benchmark, name="benchmark"),
    path("a/<str:token>/", assessment_views.start_link, name="link"),
    path("a/<str:token>/all/", assessment_views.answer_all, name="link_all"),
    path("i/<str:token>/", assessment_views.start_invited, name="invited"),
    path("answer/<str:code>/", assessment_views.answer, name="answer"),
    path("answer/<str:code>/item/<str:item_id>/", assessment_views.answer_item, name="item"),
    path("answer/<str:code>/submit/", assessment_views.review, name="review"),
], "assessments")

report_patterns = ([
    path("jobs/<uuid:job_id>/", report_views.job_status, name="job"),
    path("jobs/<uuid:job_id>/download/", report_views.job_download, name="download"),
], "reports")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("language/", account_views.set_language, name="set_language"),
    path("me/", account_views.profile, name="account_profile"),
    path("me/api-keys/", account_views.api_keys, name="api_keys"),
    path("invitations/<str:token>/", org_views.invitation_accept, name="invitation_accept"),
    path("accounts/", include("allauth.urls")),
    path("library/", include(framework_patterns)),
    path("reports/", include(report_patterns)),
    path("", include(org_patterns)),
    path("", include(assessment_patterns)),
    path("", include("peerwork.surveys.urls")),
    path("", include("peerwork.roles.urls")),
    path("", include("peerwork.impact.urls")),
    path("", include("peerwork.qualitative.urls")),
    path("api/v1/", api.urls),
]

handler400 = "peerwork.core.views.bad_request"
handler403 = "peerwork.core.views.permission_denied"
handler404 = "peerwork.core.views.not_found"
handler500 = "peerwork.core.views.server_error"
