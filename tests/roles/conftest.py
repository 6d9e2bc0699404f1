"""Helpers for role tests: a role designed by Fjordvik's manager, with the peer worker in it;
its pages' addresses, and API clients with a personal key."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from peerwork.accounts.services import create_api_token
from peerwork.roles import services
from peerwork.roles.models import RoleDesign

DESIGN: dict[str, Any] = {
    "title": "Erfaringskonsulent, ROP-teamet",
    "form": "role_form.care_provider",
    "team": "ROP-teamet",
    "target_group": "Adults with co-occurring substance use and mental health problems.",
    "lived_experience": "Own recovery from substance use and mental health problems.",
    "experience_matches": True,
    "involvement": {"service_cycle.delivery": ["involvement_level.individual"]},
    "functions": ["model4.function.co_producing_delivery"],
    "tasks": "Individual follow-up\nRecovery groups",
    "peer_workers_in_team": 1,
    "experienced": False,
    "former_client_of_unit": False,
    "peer_on_hiring_committee": True,
    "senior_peer_supervision": True,
    "absence_policy_agreed": True,
    "information_sharing": "medical_file",
    "annual_salary_nok": 480000,
    "contact_person": "Kari Nordmann",
    "buddy": "Per Hansen, senior peer worker",
    "supervisor": "Line Berg, Erfaringssentrum",
}


def design_role(world: Any, **overrides: Any) -> RoleDesign:
    data = {**DESIGN, "peer_worker": world.peer, **overrides}
    return services.create_role(actor=world.manager, organisation=world.org, data=data)


def form_data(**overrides: Any) -> dict[str, Any]:
    """The design as the page's form posts it."""
    data: dict[str, Any] = {k: v for k, v in DESIGN.items()
                            if k not in {"involvement", "functions"} and v is not False}
    data["involvement"] = ["service_cycle.delivery|involvement_level.individual"]
    data["functions"] = ["model4.function.co_producing_delivery"]
    data.update(overrides)
    return data


API = "/api/v1/organisations"


def url(world: Any, *parts: Any) -> str:
    """A role page: url(world, role.pk, "documents", "job_description", "nb")."""
    return "/o/" + world.org.slug + "/roles/" + "".join(f"{p}/" for p in parts)


def call(client: Client, method: str, address: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method.upper(), address, data=json.dumps(body or {}),
                          content_type="application/json")


def keyed(user: Any) -> Client:
    return Client(headers={"authorization": f"Bearer {create_api_token(user=user, name='t').key}"})
