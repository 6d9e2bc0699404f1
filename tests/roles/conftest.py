"""Helpers for role tests: a role designed by Fjordvik's manager, with the peer worker in it."""

from __future__ import annotations

from typing import Any

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
