from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from peerwork.roles import views

app_name = "roles"

DOCUMENT = "o/<slug:slug>/roles/<int:role_id>/documents/<slug:doc_kind>/<slug:lang>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("o/<slug:slug>/roles/", views.role_list, name="list"),
    path("o/<slug:slug>/roles/new/", views.role_new, name="new"),
    path("o/<slug:slug>/roles/<int:role_id>/", views.role_detail, name="detail"),
    path("o/<slug:slug>/roles/<int:role_id>/edit/", views.role_edit, name="edit"),
    path("o/<slug:slug>/roles/<int:role_id>/archive/", views.role_archive, name="archive"),
    path("o/<slug:slug>/roles/<int:role_id>/restore/", views.role_restore, name="restore"),
    path("o/<slug:slug>/roles/<int:role_id>/delete/", views.role_delete, name="delete"),
    path(DOCUMENT, views.document, name="document"),
    path(DOCUMENT + "save/", views.document_save, name="document_save"),
    path(DOCUMENT + "confirm/", views.document_confirm, name="document_confirm"),
    path(DOCUMENT + "revise/", views.document_revise, name="document_revise"),
    path(DOCUMENT + "pdf/", views.document_pdf, name="document_pdf"),
]
