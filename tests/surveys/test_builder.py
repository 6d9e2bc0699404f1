"""The builder through HTTP, as an analyst uses it: create from a template, edit,
add every question type, reorder, delete, skip logic, preview, publish = freeze."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scopes_disabled

from peerwork.surveys.definition import load_definition
from peerwork.surveys.models import Survey, SurveyVersion


def analyst(world: Any) -> Client:
    return world.client_for(world.analyst)


def draft(survey: Survey) -> dict[str, Any]:
    with scopes_disabled():
        return SurveyVersion.objects.get(survey=survey, status="draft").definition  # type: ignore[no-any-return]


def create(client: Client, slug: str, start: str, key: str, **extra: Any) -> Survey:
    response = client.post(f"/o/{slug}/surveys/new/", {"start": start, "key": key, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        return Survey.objects.get(key=key)


def question_form(prefix: str, section: str, **fields: Any) -> dict[str, Any]:
    data = {"prefix": prefix, f"{prefix}-section": section, f"{prefix}-original": ""}
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return data


def test_builder_creates_from_the_national_template(world: Any) -> None:
    client = analyst(world)
    survey = create(client, world.org.slug, "national-peer-worker", "national-2027")
    data = draft(survey)
    assert data["key"] == "national-2027"
    assert data["sections"][0]["id"] == "role"
    page = client.get(f"/o/{world.org.slug}/surveys/{survey.pk}/edit/")
    assert page.status_code == 200
    assert "What is your annual salary before tax" in page.content.decode()


def test_builder_adds_every_question_type_and_edits_reorders_deletes(world: Any) -> None:
    client = analyst(world)
    slug = world.org.slug
    survey = create(client, slug, "blank", "staff")
    base = f"/o/{slug}/surveys/{survey.pk}/edit"
    added = client.post(
        f"{base}/section/",
        {
            "prefix": "new-section",
            "new-section-section_id": "work",
            "new-section-title_en": "Work",
            "new-section-title_nb": "Arbeid",
        },
    )
    assert added.status_code == 302
    kinds = [
        ("sector", {"type": "single", "choices": "public | Public | Offentlig\nngo | NGO | Frivillig"}),
        ("tasks", {"type": "multiple", "choices": "groups | Groups | Grupper\none | One to one | En til en"}),
        ("clear", {"type": "likert", "scale": "agree5"}),
        ("salary", {"type": "number", "unit": "NOK", "min": "0", "max": "2000000", "required": "on"}),
        ("start", {"type": "date"}),
        ("title", {"type": "text"}),
        ("story", {"type": "longtext", "relevant": "${sector} = 'ngo'"}),
        ("phases", {"type": "matrix", "scale": "extent5", "rows": "design | Design | Utforming"}),
    ]
    for qid, fields in kinds:
        response = client.post(
            f"{base}/question/",
            question_form(
                "new-work", "work", question_id=qid, label_en=f"Q {qid}", label_nb=f"S {qid}", **fields
            ),
        )
        assert response.status_code == 302, (qid, response.content.decode()[:3000])
    data = draft(survey)
    work = data["sections"][1]
    assert [q["id"] for q in work["questions"]] == ["work_q1", *[k for k, _ in kinds]]
    assert work["questions"][4] == {
        "id": "salary",
        "type": "number",
        "label": {"en": "Q salary", "nb": "S salary"},
        "required": True,
        "min": 0,
        "max": 2000000,
        "unit": "NOK",
    }
    assert work["questions"][7]["relevant"] == "${sector} = 'ngo'"
    load_definition(data)  # still valid as a whole
    # Edit, move up, delete.
    edited = client.post(
        f"{base}/question/",
        {
            **question_form(
                "q-title",
                "work",
                question_id="title",
                label_en="Your job title",
                label_nb="Stillingstittel",
                type="text",
                required="on",
            ),
            "q-title-original": "title",
        },
    )
    assert edited.status_code == 302
    assert (
        client.post(f"{base}/move/", {"kind": "question", "item": "salary", "direction": "up"}).status_code
        == 302
    )
    assert client.post(f"{base}/delete/", {"kind": "question", "item": "work_q1"}).status_code == 302
    assert (
        client.post(f"{base}/move/", {"kind": "section", "item": "work", "direction": "up"}).status_code
        == 302
    )
    data = draft(survey)
    assert data["sections"][0]["id"] == "work"
    ids = [q["id"] for q in data["sections"][0]["questions"]]
    assert ids[:4] == ["sector", "tasks", "salary", "clear"]
    title = next(q for q in data["sections"][0]["questions"] if q["id"] == "title")
    assert title["label"] == {"en": "Your job title", "nb": "Stillingstittel"}
    assert title["required"] is True


def test_builder_refuses_broken_edits_with_a_clear_message_and_keeps_the_draft(world: Any) -> None:
    client = analyst(world)
    survey = create(client, world.org.slug, "blank", "broken")
    before = draft(survey)
    base = f"/o/{world.org.slug}/surveys/{survey.pk}/edit"
    late = client.post(
        f"{base}/question/",
        question_form(
            "new-part_1",
            "part_1",
            question_id="x",
            label_en="X",
            label_nb="X",
            type="text",
            relevant="${later} = 'yes'",
        ),
    )
    assert late.status_code == 400
    assert "the skip logic reads later, which is not an earlier question." in late.content.decode()
    no_choices = client.post(
        f"{base}/question/",
        question_form("new-part_1", "part_1", question_id="y", label_en="Y", label_nb="Y", type="single"),
    )
    assert no_choices.status_code == 400
    assert "Question “y”: a question of type “Single choice” needs choices." in no_choices.content.decode()
    bad_lines = client.post(
        f"{base}/question/",
        question_form(
            "new-part_1", "part_1", question_id="z", label_en="Z", label_nb="Z", type="single", choices="only"
        ),
    )
    assert bad_lines.status_code == 400
    assert "Choices, line 1: write it as value | English | Norsk." in bad_lines.content.decode()
    upload = client.post(f"{base}/upload/", {"upload": SimpleUploadedFile("x.yaml", b"key: [unclosed")})
    assert upload.status_code == 400
    assert "The YAML is malformed" in upload.content.decode()
    assert draft(survey) == before


def test_builder_sets_the_title_and_introduction_in_both_languages(world: Any) -> None:
    client = analyst(world)
    survey = create(client, world.org.slug, "blank", "staff-2027")
    url = f"/o/{world.org.slug}/surveys/{survey.pk}/edit/info/"
    saved = client.post(url, {"info-title_en": "Staff survey 2027",
                              "info-title_nb": "Ansatteundersøkelse 2027",
                              "info-intro_en": "", "info-intro_nb": "Takk for at du svarer."})
    assert saved.status_code == 302
    data = draft(survey)
    assert data["title"] == {"en": "Staff survey 2027", "nb": "Ansatteundersøkelse 2027"}
    # One language fills in for the other rather than leaving a respondent a blank.
    assert data["intro"] == {"en": "Takk for at du svarer.", "nb": "Takk for at du svarer."}
    survey.refresh_from_db()
    assert survey.title == "Staff survey 2027"  # the list and breadcrumbs follow the draft
    cleared = client.post(url, {"info-title_en": "Staff survey 2027", "info-title_nb": "Ansatte 2027",
                                "info-intro_en": "", "info-intro_nb": ""})
    assert cleared.status_code == 302
    assert "intro" not in draft(survey)
    missing = client.post(url, {"info-title_en": "", "info-title_nb": "Ansatte 2027"})
    assert missing.status_code == 400
    page = missing.content.decode()
    assert "Check the title and introduction." in page
    assert '<details open><summary>Edit the title and introduction' in page
    assert draft(survey)["title"] == {"en": "Staff survey 2027", "nb": "Ansatte 2027"}


def test_preview_and_publish_freeze_the_version(world: Any) -> None:
    client = analyst(world)
    slug = world.org.slug
    survey = create(client, slug, "model4-impact", "impact")
    preview = client.get(f"/o/{slug}/surveys/{survey.pk}/versions/1/preview/")
    assert preview.status_code == 200
    assert "Nothing you enter here is saved." in preview.content.decode()
    assert client.post(f"/o/{slug}/surveys/{survey.pk}/versions/1/publish/").status_code == 302
    with scopes_disabled():
        version = SurveyVersion.objects.get(survey=survey, number=1)
    assert version.status == "published"
    # Editing now works on a new draft, version 2; version 1 keeps its hash.
    page = client.get(f"/o/{slug}/surveys/{survey.pk}/edit/")
    assert "Edit version 2 (draft)" in page.content.decode()
    with scopes_disabled():
        again = SurveyVersion.objects.get(survey=survey, number=1)
    assert again.sha256 == version.sha256


def test_builder_is_for_analysts_managers_and_admins_only(world: Any) -> None:
    survey = create(analyst(world), world.org.slug, "blank", "only")
    peer = world.client_for(world.peer)
    assert peer.get(f"/o/{world.org.slug}/surveys/{survey.pk}/edit/").status_code == 404
    assert peer.get(f"/o/{world.org.slug}/surveys/{survey.pk}/").status_code == 200
    charlie = world.client_for(world.charlie)
    assert charlie.get(f"/o/{world.org.slug}/surveys/{survey.pk}/").status_code == 404
