from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from peerwork.qualitative import views

app_name = "qualitative"

P = "o/<slug:slug>/analysis/<int:project_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("o/<slug:slug>/analysis/", views.project_list, name="list"),
    path(P, views.project_detail, name="project"),
    path(P + "members/", views.members, name="members"),
    path(P + "upload/", views.upload, name="upload"),
    path(P + "import-qdpx/", views.import_qdpx, name="import_qdpx"),
    path(P + "import-survey/", views.import_wave, name="import_wave"),
    path(P + "documents/<int:document_id>/", views.document_detail, name="document"),
    path(P + "documents/<int:document_id>/units/", views.mark_unit, name="mark"),
    path(P + "units/<int:unit_id>/delete/", views.delete_unit, name="delete_unit"),
    path(P + "undo/", views.undo, name="undo"),
    path(P + "codebook/", views.codebook, name="codebook"),
    path(P + "steps/<int:number>/", views.step, name="step"),
    path(P + "codes/<int:code_id>/", views.code_edit, name="code_edit"),
    path(P + "groups/<int:group_id>/", views.group_detail, name="group"),
    path(P + "groups/<int:group_id>/edit/", views.group_edit, name="group_edit"),
    path(P + "team/", views.compare, name="compare"),
    path(P + "speakers/", views.speakers, name="speakers"),
    path(P + "export/<slug:fmt>/", views.export, name="export"),
    path(P + "report/", views.report, name="report"),
    path(P + "report/pdf/", views.report_pdf, name="report_pdf"),
]
