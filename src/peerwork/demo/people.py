"""The demo's organisations and logins: Fjordvik (a municipal service) with one login
per role, a national peer-worker organisation for the national survey, and a few other
services that share their assessments with the national benchmark. All are made up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django_scopes import scope

from peerwork.orgs import services
from peerwork.orgs.enums import OrganisationType, Role, SizeBand
from peerwork.orgs.models import Membership, Organisation

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

NATIONAL_SLUG = "national-peer-network-demo"
NATIONAL_NAME = "Nasjonalt nettverk for erfaringskonsulenter (demo)"
# The national organisation runs the national survey: the analyst analyses it, and the
# peer worker, as a member, sees the national results and where their own pay stands.
NATIONAL_PEOPLE = [("analyst@demo.peerwork.test", Role.ANALYST),
                   ("peer@demo.peerwork.test", Role.PEER_WORKER)]

# Services that share their assessment rounds with the national benchmark. Made-up
# names; "(demo)" says so wherever they appear.
OTHER_SERVICES: list[tuple[str, str, str, str]] = [
    ("havlund-demo", "Havlund kommune (demo)", OrganisationType.MUNICIPAL, "Nordland"),
    ("bjorkedal-dps-demo", "Bjørkedal DPS (demo)", OrganisationType.SPECIALIST, "Innlandet"),
    ("lyngvik-demo", "Lyngvik kommune (demo)", OrganisationType.MUNICIPAL, "Agder"),
    ("eikely-demo", "Eikely rusomsorg (demo)", OrganisationType.NGO, "Oslo"),
    ("storfjell-demo", "Storfjell kommune (demo)", OrganisationType.MUNICIPAL, "Trøndelag"),
]


@dataclass(frozen=True)
class Cast:
    """Who the demo's data is made by."""

    admin: Any
    organisation: Organisation
    national: Organisation
    manager: Any
    peer: Any
    colleague: Any
    analyst: Any


def other_services() -> list[tuple[str, str, str, str]]:
    """Enough services for the benchmark to show with Fjordvik among them: at least
    *k*, however far PEERWORK_MIN_CELL is raised."""
    services_: list[tuple[str, str, str, str]] = list(OTHER_SERVICES)
    for number in range(len(services_) + 1, settings.PEERWORK_MIN_CELL + 1):
        services_.append((f"service-{number}-demo", f"Demo service {number}",
                          OrganisationType.MUNICIPAL, ""))
    return services_


def ensure_user(email: str, name: str, *, superuser: bool = False) -> Any:
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email, DEMO_PASSWORD, name=name)
    return user


def ensure_organisation(*, actor: Any, slug: str, name: str, type: str, region: str = "",
                        size_band: str = "") -> Organisation:
    found = Organisation.objects.filter(slug=slug).first()
    if found is not None:
        return found
    return services.create_organisation(actor=actor, slug=slug, name=name, type=type,
                                        country="NO", region=region, size_band=size_band)


def ensure_member(*, actor: Any, organisation: Organisation, user: Any, role: str) -> None:
    with scope(organisation=organisation):
        if Membership.objects.filter(organisation=organisation, user=user).exists():
            return
    services.add_member(actor=actor, organisation=organisation, user=user, role=role)


def ensure_people() -> Cast:
    """The platform administrator, Fjordvik and its members, and the national organisation."""
    admin = ensure_user(*PLATFORM_ADMIN, superuser=True)
    organisation = ensure_organisation(
        actor=admin, slug=DEMO_SLUG, name="Fjordvik kommune – psykisk helse og rus",
        type=OrganisationType.MUNICIPAL, region="Vestland", size_band=SizeBand.LARGE)
    users = {}
    for email, name, role in DEMO_PEOPLE:
        users[email] = ensure_user(email, name)
        ensure_member(actor=admin, organisation=organisation, user=users[email], role=role)
    national = ensure_organisation(actor=admin, slug=NATIONAL_SLUG, name=NATIONAL_NAME,
                                   type=OrganisationType.NATIONAL, size_band=SizeBand.SMALL)
    for email, role in NATIONAL_PEOPLE:
        ensure_member(actor=admin, organisation=national, user=users[email], role=role)
    manager, peer, colleague, analyst, _orgadmin = (users[e] for e, _n, _r in DEMO_PEOPLE)
    return Cast(admin=admin, organisation=organisation, national=national, manager=manager,
                peer=peer, colleague=colleague, analyst=analyst)


def login_rows() -> list[tuple[str, str]]:
    """(email, what the login is) for the printed list."""
    rows = [(PLATFORM_ADMIN[0], "platform administrator")]
    rows += [(email, str(role.label)) for email, _name, role in DEMO_PEOPLE]
    return rows
