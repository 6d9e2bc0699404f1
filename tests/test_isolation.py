"""Tenant isolation, proved by walking every route.

Every URL pattern in ``peerwork.urls`` (through every ``include``) and every
operation in the OpenAPI document is requested with Fjordvik's real ids, as
Charlie (administrator of another organisation, with two-factor authentication)
and as an anonymous visitor. No answer may be a server error or contain any of
Fjordvik's secrets, and Fjordvik's data must be unchanged afterwards.

A new route whose path parameters the walker cannot fill fails
``test_isolation_every_url_pattern_can_be_filled``: teach ``fill_values`` the new
parameter, and the route is covered from then on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from django_scopes import scopes_disabled
from tests.surveys.conftest import open_wave as survey_wave
from tests.surveys.conftest import small_definition as survey_definition
from tests.surveys.results_seed import submit_many

from peerwork.accounts.models import User
from peerwork.accounts.services import create_api_token
from peerwork.assessments import services as assessment_services
from peerwork.assessments.models import Action, Response, Round, ShareLink
from peerwork.assessments.questionnaires import get_questionnaire
from peerwork.framework.library import get_library
from peerwork.impact import services as impact_services
from peerwork.impact.models import Improvement
from peerwork.orgs import services
from peerwork.orgs.enums import Role
from peerwork.orgs.models import AuditEvent, Invitation, Membership, Organisation
from peerwork.qualitative import services as qualitative_services
from peerwork.qualitative.models import Code, CodeGroup, MeaningUnit, SpeakerKey
from peerwork.reports.models import JobStatus, ReportJob
from peerwork.roles import services as role_services
from peerwork.roles.models import DocumentVersion, RoleDesign
from peerwork.surveys import services as survey_services
from peerwork.surveys.models import Response as SurveyResponse
from peerwork.surveys.models import SurveyVersion, Wave, WaveInvitation

# Strings that exist only in Fjordvik's data. The slug is not one of them: it is
# in the very URL the outsider asks for, and pages repeat their own path.
AUDIT_MARKER = "audit-marker-7731@hemmelig.test"
MEMBER_NAME_MARKER = "Ingrid Hemmeligsen"
REPORT_MARKER = "fjordvik-secret-report.pdf"
ROUND_MARKER = "Hemmelig runde 4412"
ROLE_MARKER = "Hemmelig rolle 5521"
IMPROVEMENT_MARKER = "Hemmelig forbedring 6630"
ANALYSIS_MARKER = "Hemmelig fokusgruppe 6093"
SURVEY_MARKER = "Hemmelig undersøkelse 5521"
SECRETS = ["Fjordvik psykisk helse", "@fjordvik.test", "Vestland", AUDIT_MARKER,
           MEMBER_NAME_MARKER, REPORT_MARKER, ROUND_MARKER, ROLE_MARKER, IMPROVEMENT_MARKER,
           ANALYSIS_MARKER, SURVEY_MARKER]

# A form body plausible for every Peerwork form, so that an access bug would
# really write something rather than fail validation.
FORM_BODY = {"name": "Hacked", "type": "ngo", "country": "NO", "region": "Hacked",
             "size_band": "1-9", "email": "spy@evil.test", "role": Role.ORG_ADMIN,
             "action": "deactivate", "language": "nb", "next": "/", "token": "1",
             "password1": "spy-password-29817", "password2": "spy-password-29817"}
JSON_VALUES = {"name": "Hacked", "type": "ngo", "country": "NO", "region": "Hacked",
               "size_band": "1-9", "email": "spy@evil.test", "role": Role.ORG_ADMIN,
               "is_active": False, "stage": "preparing", "role_form": "role_form.care_provider",
               "status": "done", "element": "", "recommendation": "",
               "position": "colleague", "emails": ["spy@evil.test"],
               "on": "2026-01-01"}  # a nullable date the schema walker would fill with "x"
JSON_BY_TYPE = {"string": "x", "integer": 1, "number": 1, "boolean": False, "array": [],
                "object": {}}


@dataclass
class Seeded:
    org: Organisation
    values: dict[str, str]  # path parameter name -> Fjordvik's real value
    by_route: dict[tuple[str, str], str]  # (route name, parameter) where names are ambiguous


def walk_patterns(patterns: list[Any], prefix: str = "", namespace: str = ""
                  ) -> Iterator[tuple[str, URLPattern, str]]:
    """Every pattern as (full route, pattern, namespaced name), through includes."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace and namespace else (
                entry.namespace or namespace)
            yield from walk_patterns(entry.url_patterns, prefix + pattern_text(entry.pattern),
                                     inner)
        else:
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield prefix + pattern_text(entry.pattern), entry, name


def pattern_text(pattern: Any) -> str:
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = text.removeprefix("^").removesuffix("$")
    return text


def fill(route: str, name: str, seeded: Seeded) -> str | None:
    """The path with Fjordvik's values, or None when a parameter is unknown."""
    missing = False

    def value(param: str) -> str:
        nonlocal missing
        found = seeded.by_route.get((name, param), seeded.values.get(param))
        if found is None:
            missing = True
            return ""
        return found

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    return None if missing else "/" + path


ALL_PATTERNS = list(walk_patterns(get_resolver().url_patterns))


@pytest.fixture
def seeded(world: Any) -> Seeded:
    """Fjordvik with distinctive data in every kind of object an outsider could ask for."""
    User.objects.filter(pk=world.peer.pk).update(name=MEMBER_NAME_MARKER)
    issued = services.invite_member(actor=world.org_admin, organisation=world.org,
                                    email=AUDIT_MARKER, role=Role.ANALYST)
    job = ReportJob.objects.create(
        kind="framework", language="en", organisation=world.org,
        requested_by=world.org_admin, status=JobStatus.DONE, filename=REPORT_MARKER,
        pdf=b"%PDF-1.4 Fjordvik psykisk helse Vestland",
    )
    with scopes_disabled():
        membership = Membership.objects.get(organisation=world.org, user=world.peer)
    library = get_library()
    element_id = next(iter(library.elements))
    round_ = assessment_services.create_round(
        actor=world.manager, organisation=world.org, title=ROUND_MARKER, stage="first_year",
        role_form="role_form.care_provider", anonymous=True,
        closes_on=timezone.localdate() + dt.timedelta(days=7))
    action = assessment_services.add_action(
        actor=world.manager, round_=round_, title=ROUND_MARKER, owner=MEMBER_NAME_MARKER,
        due_on=timezone.localdate())
    with scopes_disabled():
        link = ShareLink.objects.filter(round=round_).first()
    assert link is not None
    started = assessment_services.start_from_link(link=link)
    role = role_services.create_role(actor=world.manager, organisation=world.org, data={
        "title": ROLE_MARKER, "form": "role_form.care_provider", "team": ROLE_MARKER,
        "target_group": ROLE_MARKER, "lived_experience": ROLE_MARKER, "peer_worker": world.peer})
    role_services.save_document(actor=world.manager, role=role, kind="job_description",
                                language="en", based_on=None, title=ROLE_MARKER, body=ROLE_MARKER)
    improvement = impact_services.log_improvement(
        actor=world.peer, organisation=world.org, identified_on=timezone.localdate(),
        data={"title": IMPROVEMENT_MARKER, "problem": IMPROVEMENT_MARKER,
              "experience_source": "service_users", "function": "model4.function.boundary_spanning",
              "level": "model4.outcome.service"})
    project = qualitative_services.create_project(actor=world.manager, organisation=world.org,
                                                  title=ANALYSIS_MARKER)
    document = qualitative_services.import_document(
        actor=world.manager, project=project, filename="t.vtt", title=ANALYSIS_MARKER,
        data=f"WEBVTT\n\n00:00.000 --> 00:01.000\n<v Kari>{ANALYSIS_MARKER}\n".encode())
    group = qualitative_services.create_group(actor=world.manager, project=project, name=ANALYSIS_MARKER)
    code = qualitative_services.create_code(actor=world.manager, project=project, name=ANALYSIS_MARKER,
                                            group_id=group.pk)
    # An empty subgroup, which the walk attacks: deleting it would not be refused for its content.
    subgroup = qualitative_services.create_group(actor=world.manager, project=project,
                                                 name=ANALYSIS_MARKER, parent_id=group.pk)
    unit = qualitative_services.mark_unit(actor=world.manager, document=document, start=0, end=8,
                                          code_ids=[code.pk])
    definition = survey_definition(key="hemmelig")
    definition["title"]["en"] = SURVEY_MARKER
    wave = survey_wave(world, definition, title=SURVEY_MARKER)
    survey_services.invite(actor=world.analyst, wave=wave, emails=[AUDIT_MARKER])
    survey_services.submit_whole(wave=wave, key="fjordvik-answer-key-1", answers={
        "sector": "ngo", "fte": 50, "comment": SURVEY_MARKER})
    # Enough answers that the wave's results show, so the walk attacks real figures.
    submit_many(wave, ["municipal"] * 6, comment=SURVEY_MARKER)
    return Seeded(
        org=world.org,
        values={
            "slug": world.org.slug,
            "membership_id": str(membership.pk),
            "job_id": str(job.pk),
            "element_id": element_id,
            "structure_id": library.structures[0].id,
            # The stored hash of a real invitation must not work as its link.
            "token": issued.invitation.token_hash,
            # allauth's email confirmation and password reset links, for a Fjordvik user.
            "uidb36": user_pk_to_url_str(world.peer),
            "round_id": str(round_.pk),
            "action_id": str(action.pk),
            "detail": "scores",
            "fmt": "csv",
            # The stored hash of a respondent's private code must not open their answers.
            "code": started.response.resume_hash,
            "item_id": next(iter(get_questionnaire().items)),
            "key": "set-by-someone-else",
            "role_id": str(role.pk),
            "doc_kind": "job_description",
            "lang": "en",
            "entry_id": str(improvement.pk),
            "year": str(timezone.localdate().year),
            "project_id": str(project.pk),
            "document_id": str(document.pk),
            "unit_id": str(unit.pk),
            "group_id": str(subgroup.pk),
            "code_id": str(code.pk),
            "number": "1",
            "survey_id": str(wave.survey_id),
            "wave_id": str(wave.pk),
            "question_id": "fte",
            "name": "answers.csv",  # survey exports: the answer-level file
        },
        by_route={
            ("orgs:member_update", "pk"): str(membership.pk),
            ("orgs:invitation_revoke", "pk"): str(issued.invitation.pk),
        },
    )


def snapshot(org: Organisation) -> dict[str, Any]:
    """Everything about Fjordvik an outsider might try to change."""
    org = Organisation.objects.get(pk=org.pk)
    with scopes_disabled():
        return {
            "profile": (org.name, org.type, org.country, org.region, org.size_band),
            "members": sorted(Membership.objects.filter(organisation=org)
                              .values_list("user__email", "role", "is_active")),
            "invitations": sorted(Invitation.objects.filter(organisation=org)
                                  .values_list("email", "role", "accepted", "revoked")),
            "audit": AuditEvent.objects.filter(organisation=org).count(),
            "rounds": sorted(Round.objects.filter(organisation=org)
                             .values_list("title", "status", "closes_on")),
            "actions": sorted(Action.objects.filter(organisation=org).values_list("title", "status")),
            "responses": sorted(Response.objects.filter(organisation=org)
                                .values_list("position", "submitted")),
            "roles": sorted(RoleDesign.objects.filter(organisation=org)
                            .values_list("title", "version", "peer_worker_id", "archived")),
            "documents": sorted(DocumentVersion.objects.filter(organisation=org).values_list(
                "number", "title", "manager_confirmed", "peer_confirmed")),
            "improvements": sorted(Improvement.objects.filter(organisation=org)
                                   .values_list("title", "stage", "version")),
            "analysis": (MeaningUnit.objects.filter(organisation=org).count(),
                         SpeakerKey.objects.filter(organisation=org).count()),
            "codebook": (sorted(Code.objects.filter(organisation=org).values_list("id", "name", "group_id")),
                         sorted(CodeGroup.objects.filter(organisation=org)
                                .values_list("id", "name", "parent_id"), key=repr)),
            "surveys": sorted(SurveyVersion.objects.filter(organisation=org)
                              .values_list("survey__title", "number", "status", "sha256")),
            "waves": sorted(Wave.objects.filter(organisation=org)
                            .values_list("title", "status", "min_cell", "link_active")),
            "survey_responses": sorted((SurveyResponse.objects.filter(organisation=org)
                                        .values_list("status", "answers")), key=repr),
            "survey_invitations": sorted(WaveInvitation.objects.filter(organisation=org)
                                         .values_list("email", "used", "token_hash")),
            "users": sorted(User.objects.filter(email__endswith="@fjordvik.test")
                            .values_list("email", "password", "is_active")),
        }


def client_as(who: str, world: Any) -> Client:
    client = Client(raise_request_exception=False)
    if who == "charlie":
        client.force_login(world.charlie,
                           backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def problems_in(label: str, response: Any) -> list[str]:
    found = []
    if response.status_code >= 500:
        found.append(f"{label}: status {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    found += [f"{label}: contains {secret!r}" for secret in SECRETS if secret in text]
    return found


def test_isolation_every_url_pattern_can_be_filled(seeded):
    # Act
    unfilled = [route for route, _pattern, name in ALL_PATTERNS
                if fill(route, name, seeded) is None]

    # Assert
    assert unfilled == [], "teach tests/test_isolation.py to fill these routes"


def test_isolation_filled_paths_resolve_to_their_own_pattern(seeded):
    # Act
    wrong = []
    for route, pattern, name in ALL_PATTERNS:
        path = fill(route, name, seeded)
        assert path is not None
        match = resolve(path)
        # Django-ninja gives each method of one path its own pattern with the same route;
        # the first of them answers for all.
        if match.func is not pattern.callback and match.route != route:
            wrong.append((route, path, match.route))

    # Assert
    assert wrong == []


@pytest.mark.parametrize("who", ["charlie", "anonymous"])
def test_isolation_url_patterns_leak_nothing(seeded, world, who):
    # Arrange
    before = snapshot(seeded.org)
    paths = sorted({fill(route, name, seeded) for route, _pattern, name in ALL_PATTERNS})

    # Act
    problems = []
    for path in paths:
        assert path is not None
        problems += problems_in(f"GET {path}", client_as(who, world).get(path))
        problems += problems_in(f"POST {path}", client_as(who, world).post(path, FORM_BODY))

    # Assert
    assert problems == []
    assert snapshot(seeded.org) == before


def openapi_operations(client: Client) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/api/v1/openapi.json").json()
    return [(method.upper(), path, operation)
            for path, item in document["paths"].items()
            for method, operation in item.items()]


def json_body(operation: dict[str, Any], document: dict[str, Any]) -> dict[str, Any] | None:
    """A valid-looking body for the operation's request schema."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return None
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    body = {}
    for prop, spec in schema.get("properties", {}).items():
        types = [spec.get("type")] + [alt.get("type") for alt in spec.get("anyOf", [])]
        kind = next((t for t in types if t and t != "null"), "string")
        if spec.get("format") == "date":
            body[prop] = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        else:
            body[prop] = JSON_VALUES.get(prop, JSON_BY_TYPE[kind])
    return body


@pytest.mark.parametrize("who", ["charlie", "charlie-key", "anonymous"])
def test_isolation_api_operations_leak_nothing(seeded, world, who):
    # Arrange
    before = snapshot(seeded.org)
    document = Client().get("/api/v1/openapi.json").json()
    key = create_api_token(user=world.charlie, name="walker").key
    operations = openapi_operations(Client())

    # Act
    problems = []
    statuses = {}
    for method, template, operation in operations:
        path = re.sub(r"\{(\w+)\}", lambda m: seeded.values[m.group(1)], template)
        if who == "charlie-key":
            client = Client(raise_request_exception=False,
                            headers={"authorization": f"Bearer {key}"})
        else:
            client = client_as(who, world)
        body = json_body(operation, document)
        response = client.generic(method, path, data="" if body is None else json.dumps(body),
                                  content_type="application/json")
        statuses[(method, template)] = response.status_code
        problems += problems_in(f"{method} {path}", response)

    # Assert
    assert problems == []
    assert snapshot(seeded.org) == before
    scoped = {op: status for op, status in statuses.items() if "{slug}" in op[1]}
    expected = 401 if who == "anonymous" else 404
    assert scoped == dict.fromkeys(scoped, expected)
    assert statuses[("GET", "/api/v1/reports/jobs/{job_id}")] == 404


def test_isolation_walker_covers_every_api_operation(seeded):
    # Arrange
    operations = openapi_operations(Client())

    # Act
    unfilled = [template for _method, template, _op in operations
                if set(re.findall(r"\{(\w+)\}", template)) - set(seeded.values)]

    # Assert
    assert len(operations) >= 13
    assert unfilled == []


@pytest.mark.parametrize("who", ["charlie", "anonymous"])
def test_isolation_public_library_still_answers(seeded, world, who):
    # Arrange
    element, structure = seeded.values["element_id"], seeded.values["structure_id"]
    paths = ["/library/", "/library/search/?q=peer", f"/library/{structure}/",
             f"/library/element/{element}/", "/api/v1/library",
             f"/api/v1/library/structures/{structure}", f"/api/v1/library/elements/{element}",
             "/api/v1/library/elements?q=peer", "/api/v1/openapi.json", "/healthz"]

    # Act
    statuses = {path: client_as(who, world).get(path).status_code for path in paths}

    # Assert
    assert statuses == dict.fromkeys(paths, 200)


def test_isolation_charlie_own_organisation_still_works(seeded, world):
    # Arrange: the walker's refusals are not just refusals of everything.
    client = client_as("charlie", world)

    # Act
    page = client.get(f"/o/{world.other_org.slug}/members/")
    api = client.get(f"/api/v1/organisations/{world.other_org.slug}/members")

    # Assert
    assert page.status_code == 200
    assert api.status_code == 200
    assert [m["email"] for m in api.json()] == ["charlie@secretdal.test"]


def test_isolation_unknown_ids_answer_like_forbidden_ones(seeded, world):
    # Arrange
    client = client_as("charlie", world)
    job = seeded.values["job_id"]

    # Act
    forbidden = client.get(f"/reports/jobs/{job}/")
    missing = client.get(f"/reports/jobs/{uuid.uuid4()}/")
    forbidden_api = client.get(f"/api/v1/reports/jobs/{job}")
    missing_api = client.get(f"/api/v1/reports/jobs/{uuid.uuid4()}")

    # Assert
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden_api.status_code == missing_api.status_code == 404
    assert forbidden_api.json() == missing_api.json()
