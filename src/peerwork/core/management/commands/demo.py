"""Create the demo organisation with one login per role, and print the logins."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

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
        self.stdout.write(self.style.SUCCESS(f"Demo organisation: {organisation.name}"))
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}")
        rows = [(PLATFORM_ADMIN[0], "platform administrator")]
        rows += [(email, str(role.label)) for email, _name, role in DEMO_PEOPLE]
        for email, label in rows:
            self.stdout.write(f"  {email:34} {label}")
        self.stdout.write("National analysts and administrators set up two-factor "
                          "authentication at their first login.")
