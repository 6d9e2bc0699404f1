"""Create the demo organisation with one login per role, and print the logins."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from peerwork.assessments import services as assessment_services
from peerwork.assessments.enums import Position, RoleForm, Stage
from peerwork.assessments.questionnaires import get_questionnaire
from peerwork.orgs import services
from peerwork.orgs.enums import OrganisationType, Role, SizeBand
from peerwork.orgs.models import Organisation

DEMO_SLUG = "fjordvik-mental-health"
DEMO_PASSWORD = "peerwork-demo"  # noqa: S105 - printed for the demo on purpose

DEMO_PEOPLE = [
    ("manager@demo.peerwork.test", "Mona Manager", Role.MANAGER),
    ("peer@demo.peerwork.test", "Per Peer", Role.PEER_WORKER),
    ("colleague@demo.peerwork.test", "Kari Colleague", Role.COLLEAGUE),
    ("analyst@demo.peerwork.test", "Ane Analyst", Role.ANALYST),
    ("orgadmin@demo.peerwork.test", "Ola Orgadmin", Role.ORG_ADMIN),
]
PLATFORM_ADMIN = ("admin@demo.peerwork.test", "Pia Platform")


def demo_round(*, organisation: Organisation, manager: Any) -> None:
    """A first-year round with answers from one manager, six colleagues and five peer
    workers, so the results, the gaps and the recommendations have something to show.
    The peer workers see the job description and support less rosily than the others."""
    round_ = assessment_services.create_round(
        actor=manager, organisation=organisation, title="Første år med erfaringskonsulenter",
        stage=Stage.FIRST_YEAR, role_form=RoleForm.CARE_PROVIDER, anonymous=True,
        closes_on=timezone.localdate() + dt.timedelta(days=21),
    )
    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    items = questionnaire.items_for(round_.stage)
    rng = random.Random(7)  # noqa: S311 - made-up demo answers, the same every time
    with scope(organisation=organisation):
        links = {link.position: link for link in round_.links.all()}
    for position, count in ((Position.MANAGER, 1), (Position.COLLEAGUE, 6),
                            (Position.PEER_WORKER, 5)):
        for _ in range(count):
            started = assessment_services.start_from_link(link=links[position])
            for item in items:
                low = position == Position.PEER_WORKER and item.section in {
                    "job_description", "support", "onboarding"}
                value: int | None = rng.choice([1, 2, 2, 3] if low else [3, 4, 4, 5])
                if rng.random() < 0.05:
                    value = None  # "don't know"
                assessment_services.save_answer(response=started.response, item_id=item.id,
                                                value=value)
            assessment_services.submit(response=started.response)


class Command(BaseCommand):
    help = "Create the demo organisation (a municipal mental health and substance use service)."

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        with transaction.atomic():
            admin = User.objects.filter(email=PLATFORM_ADMIN[0]).first()
            if admin is None:
                admin = User.objects.create_superuser(PLATFORM_ADMIN[0], DEMO_PASSWORD,
                                                      name=PLATFORM_ADMIN[1])
            organisation = Organisation.objects.filter(slug=DEMO_SLUG).first()
            if organisation is None:
                organisation = services.create_organisation(
                    actor=admin, slug=DEMO_SLUG,
                    name="Fjordvik kommune – psykisk helse og rus",
                    type=OrganisationType.MUNICIPAL, country="NO", region="Vestland",
                    size_band=SizeBand.LARGE,
                )
                for email, name, role in DEMO_PEOPLE:
                    user = User.objects.create_user(email, DEMO_PASSWORD, name=name)
                    services.add_member(actor=admin, organisation=organisation, user=user,
                                        role=role)
                manager = User.objects.get(email=DEMO_PEOPLE[0][0])
                demo_round(organisation=organisation, manager=manager)
        self.stdout.write(self.style.SUCCESS(f"Demo organisation: {organisation.name}"))
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}")
        rows = [(PLATFORM_ADMIN[0], "platform administrator")]
        rows += [(email, str(role.label)) for email, _name, role in DEMO_PEOPLE]
        for email, label in rows:
            self.stdout.write(f"  {email:34} {label}")
        self.stdout.write("National analysts and administrators set up two-factor "
                          "authentication at their first login.")
        self.stdout.write("A demo assessment round with twelve answers is under the organisation's "
                          "'Readiness and integration assessments'.")
