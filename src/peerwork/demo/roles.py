"""Fjordvik's designed peer-worker role and its documents.

The design is written the way the service writes (Norwegian); the job description and
onboarding plan are drafted by Peerwork in both languages. The English versions are
drafted from the design's fields in English, as the manager would translate them. The
design leaves two hiring-policy findings open and pays below the national median, so
the checks have something to say.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scope

from peerwork.demo.people import Cast
from peerwork.roles import documents, services
from peerwork.roles.enums import CoreFunction, DocumentKind, InformationSharing, Level, Phase
from peerwork.roles.enums import RoleForm as Form
from peerwork.roles.models import RoleDesign

TITLE = "Erfaringskonsulent (80 %)"
DESIGN: dict[str, Any] = {
    "title": TITLE,
    "form": Form.CARE_PROVIDER,
    "team": "Oppfølgingsteamet for psykisk helse og rus",
    "target_group": "Voksne med langvarige psykiske helseproblemer og rusproblemer som får "
                    "oppfølging hjemme.",
    "lived_experience": "Egen erfaring med psykiske helseproblemer eller rus, og med å komme "
                        "videre med hjelp fra kommunale tjenester.",
    "experience_matches": True,
    "involvement": {Phase.DELIVERY: [Level.INDIVIDUAL, Level.SERVICE],
                    Phase.DESIGN: [Level.SERVICE], Phase.ASSESSMENT: [Level.SERVICE]},
    "functions": [CoreFunction.CO_PRODUCING, CoreFunction.BOUNDARY_SPANNING],
    "tasks": "Følge opp brukere hjemme sammen med en fagperson\n"
             "Lede en ukentlig likepersonsgruppe\n"
             "Bringe brukerperspektivet inn i teammøtene\n"
             "Være med når tjenesten evaluerer og endrer tilbudene sine",
    "peer_workers_in_team": 1,
    "experienced": False,
    "former_client_of_unit": False,
    "peer_on_hiring_committee": True,
    "senior_peer_supervision": False,
    "absence_policy_agreed": True,
    "information_sharing": InformationSharing.MEDICAL_FILE,
    "annual_salary_nok": 498_000,
    "contact_person": "en sykepleier i oppfølgingsteamet",
    "buddy": "en erfaringskonsulent fra nabokommunen",
}
IN_ENGLISH = {
    "title": "Peer worker (80%)",
    "team": "the follow-up team for mental health and substance use",
    "target_group": "Adults with long-term mental health and substance use problems who are "
                    "followed up at home.",
    "lived_experience": "Own experience of mental health or substance use problems, and of "
                        "moving on with help from municipal services.",
    "tasks": "Follow up service users at home together with a professional\n"
             "Lead a weekly peer support group\n"
             "Bring the service users' perspective into team meetings\n"
             "Take part when the service evaluates and changes what it offers",
}


def _onboarding_filled_in() -> dict[str, str]:
    """The onboarding plan's lines the manager and the peer worker filled in (version 2),
    keyed by the drafted Norwegian lines they replace."""
    with override("nb"):
        return {
            "- " + _("Contact person: %(name)s") % {"name": DESIGN["contact_person"]}:
                "- " + _("Contact person: %(name)s") % {"name": DESIGN["contact_person"]}
                + ", fast møte hver tirsdag",
            "- [ ] " + _("Welcome meeting with the manager: the role, its tasks and its "
                         "limits"): "- [x] Velkomstmøte med lederen: rollen, oppgavene og "
                                    "grensene",
        }


def _english_copy(role: RoleDesign) -> RoleDesign:
    english = copy.copy(role)
    for name, value in IN_ENGLISH.items():
        setattr(english, name, value)
    return english


def _save(actor: Any, role: RoleDesign, kind: str, language: str, *, based_on: int | None = None,
          source: RoleDesign | None = None, edits: dict[str, str] | None = None) -> Any:
    title, body = documents.draft(kind=kind, role=source or role, language=language)
    for old, new in (edits or {}).items():
        body = body.replace(old, new)
    return services.save_document(actor=actor, role=role, kind=kind, language=language,
                                  based_on=based_on, title=title, body=body)


def ensure_role(cast: Cast) -> None:
    organisation, manager, peer = cast.organisation, cast.manager, cast.peer
    with scope(organisation=organisation):
        if RoleDesign.objects.filter(organisation=organisation, title=TITLE).exists():
            return
    role = services.create_role(actor=manager, organisation=organisation,
                                data={**DESIGN, "peer_worker": peer})
    english = _english_copy(role)
    job = DocumentKind.JOB_DESCRIPTION
    final = _save(manager, role, job, "nb")
    for actor, side in ((manager, "manager"), (peer, "peer_worker")):
        services.confirm_document(actor=actor, role=role, kind=job, language="nb",
                                  number=final.number, side=side)
    _save(manager, role, job, "en", source=english)
    onboarding = DocumentKind.ONBOARDING_PLAN
    _save(manager, role, onboarding, "nb")
    filled = _save(peer, role, onboarding, "nb", based_on=1, edits=_onboarding_filled_in())
    services.confirm_document(actor=manager, role=role, kind=onboarding, language="nb",
                              number=filled.number, side="manager")
    _save(manager, role, onboarding, "en", source=english)
