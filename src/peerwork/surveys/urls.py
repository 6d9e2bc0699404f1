from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from peerwork.surveys import respond, views

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = [
    # Staff: build, publish, run waves.
    path("o/<slug:slug>/surveys/", views.survey_list, name="list"),
    path("o/<slug:slug>/surveys/new/", views.survey_new, name="new"),
    path("o/<slug:slug>/surveys/<int:survey_id>/", views.survey_detail, name="detail"),
    path("o/<slug:slug>/surveys/<int:survey_id>/edit/", views.builder, name="builder"),
    path("o/<slug:slug>/surveys/<int:survey_id>/edit/info/", views.builder_info, name="info"),
    path("o/<slug:slug>/surveys/<int:survey_id>/edit/section/", views.builder_section, name="section"),
    path("o/<slug:slug>/surveys/<int:survey_id>/edit/question/", views.builder_question, name="question"),
    path("o/<slug:slug>/surveys/<int:survey_id>/edit/move/", views.builder_move, name="move"),
    path("o/<slug:slug>/surveys/<int:survey_id>/edit/delete/", views.builder_delete, name="delete"),
    path("o/<slug:slug>/surveys/<int:survey_id>/edit/upload/", views.builder_upload, name="upload"),
    path("o/<slug:slug>/surveys/<int:survey_id>/versions/<int:number>/preview/", views.preview,
         name="preview"),
    path("o/<slug:slug>/surveys/<int:survey_id>/versions/<int:number>/publish/", views.publish,
         name="publish"),
    path("o/<slug:slug>/surveys/<int:survey_id>/versions/<int:number>/definition.json",
         views.definition_json, name="definition_json"),
    path("o/<slug:slug>/surveys/<int:survey_id>/waves/new/", views.wave_new, name="wave_new"),
    path("o/<slug:slug>/surveys/waves/<int:wave_id>/", views.wave_detail, name="wave"),
    path("o/<slug:slug>/surveys/waves/<int:wave_id>/close/", views.wave_close, name="wave_close"),
    path("o/<slug:slug>/surveys/waves/<int:wave_id>/remind/", views.wave_remind, name="wave_remind"),
    # Respondents: no account.
    path("s/i/<str:token>/", respond.invited, name="invited"),
    path("s/r/<str:code>/", respond.answer, name="answer"),
    path("s/r/<str:code>/save/<str:question_id>/", respond.save_one, name="save"),
    path("s/r/<str:code>/submit/", respond.review, name="review"),
    path("s/<str:token>/", respond.open_link, name="link"),
]

from peerwork.surveys.results_urls import urlpatterns as _results  # noqa: E402

urlpatterns += _results
