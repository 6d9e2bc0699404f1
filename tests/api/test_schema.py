"""Property tests of every operation in /api/v1/openapi.json, run by Schemathesis
against the WSGI application as an anonymous client: no server errors, and every
response conforms to what the OpenAPI document says of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import settings
from schemathesis import Case
from schemathesis.specs.openapi.checks import status_code_conformance

from peerwork.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# The organisation routes do not yet list their 401/403/404/409/422 answers among the
# documented responses (api/organisations.py), so for them only the check "is this
# status code documented" is left out; every other check, bodies included, still runs.
STATUS_CODES_UNDOCUMENTED: set[str] = set()


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Serve requests as Django's test client does. After each request the WSGI handler
    closes a connection that is inside a transaction, which would end the test's own
    transaction (on PostgreSQL; SQLite's in-memory test database ignores the close)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(max_examples=25, deadline=None)
def test_api_operation_conforms_to_its_openapi_description(case: Case) -> None:
    tags = set(case.operation.tags or ())
    excluded = [status_code_conformance] if tags & STATUS_CODES_UNDOCUMENTED else []

    response = case.call_and_validate(excluded_checks=excluded)

    assert response.status_code < 500


def test_api_property_tests_reach_every_documented_operation() -> None:
    document = schema.raw_schema
    documented = sorted(f"{method.upper()} {path}" for path, item in document["paths"].items()
                        for method in item if method in {"get", "post", "put", "patch", "delete"})

    loaded = sorted(f"{op.ok().method.upper()} {op.ok().path}"  # ok() raises on a broken one
                    for op in schema.get_all_operations())

    assert loaded == documented
    assert {"GET /api/v1/library", "GET /api/v1/library/structures/{structure_id}",
            "GET /api/v1/library/elements", "GET /api/v1/library/elements/{element_id}",
            "GET /api/v1/reports/jobs/{job_id}"} <= set(loaded)
