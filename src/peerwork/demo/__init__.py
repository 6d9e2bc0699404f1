"""The demo data: a made-up municipal service (Fjordvik) where every capability has
something to show, and the national organisation and other services it is compared with.

Everything is written through the apps' own services, so the data is what the pages,
API and exports would hold after real use. Each part looks for what it made before and
stops there, so running the demo again changes nothing; everything runs in one
transaction, so a failure leaves nothing half made. Services date what they write
today; the rounds and waves that stand for the past get their dates moved back.
"""

from __future__ import annotations

from django.db import transaction

from peerwork.demo import assessments, impact, qualitative, roles, surveys
from peerwork.demo.people import Cast, ensure_people


@transaction.atomic
def seed() -> Cast:
    """Create whatever of the demo is missing; returns who is in it."""
    cast = ensure_people()
    assessments.ensure_fjordvik_rounds(cast)
    assessments.ensure_benchmark(cast)
    surveys.ensure_surveys(cast)
    roles.ensure_role(cast)
    impact.ensure_impact_log(cast)
    qualitative.ensure_project(cast)
    return cast
