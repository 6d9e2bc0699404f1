from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from peerwork.impact import views

app_name = "impact"

urlpatterns: list[URLPattern | URLResolver] = [
    path("o/<slug:slug>/impact/", views.log, name="log"),
    path("o/<slug:slug>/impact/new/", views.new, name="new"),
    path("o/<slug:slug>/impact/export.<slug:fmt>", views.export, name="export"),
    path("o/<slug:slug>/impact/summary/<int:year>/", views.summary, name="summary"),
    path("o/<slug:slug>/impact/summary/<int:year>/pdf/", views.summary_pdf, name="summary_pdf"),
    path("o/<slug:slug>/impact/<int:entry_id>/", views.detail, name="detail"),
    path("o/<slug:slug>/impact/<int:entry_id>/edit/", views.edit, name="edit"),
    path("o/<slug:slug>/impact/<int:entry_id>/stage/", views.move, name="stage"),
]
