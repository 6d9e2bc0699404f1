"""Classify a role design: which of the thesis's three roles it is (Model 3), whether
it is co-production or co-creation, and where it stands on the transformative-potential
scale, with what would move it further. Pure functions over framework-library ids.

The rules (002 L520–580, L826–850; domain notes "the service cycle" and "three roles"):
co-production is involvement at delivery; co-creation needs an early phase
(commissioning or design) *and* delivery; delivery with assessment but no early phase
is still not co-creation. A partner in co-creation is involved early and in delivery;
a provider of peer support brings experiential knowledge into delivery (co-producing
it, or bridging between service users and the service); anything else delivers
services designed by others: pre-determined services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PHASES = ("service_cycle.commissioning", "service_cycle.design", "service_cycle.delivery",
          "service_cycle.assessment")
EARLY = frozenset({"service_cycle.commissioning", "service_cycle.design"})
DELIVERY = "service_cycle.delivery"
ASSESSMENT = "service_cycle.assessment"
LEVELS = ("involvement_level.individual", "involvement_level.service", "involvement_level.system")
FUNCTIONS = ("model4.function.co_producing_delivery", "model4.function.boundary_spanning",
             "model4.function.service_planning")
PEER_FUNCTIONS = frozenset({"model4.function.co_producing_delivery",
                            "model4.function.boundary_spanning"})

PREDETERMINED = "peer_role.predetermined_services"
PEER_SUPPORT = "peer_role.peer_support"
CO_CREATION_PARTNER = "peer_role.co_creation_partner"
CO_PRODUCTION = "service_cycle.co_production"
CO_CREATION = "service_cycle.co_creation"

# The scale's three steps, as the library gives them (attribute transformative_potential).
POTENTIAL = {PREDETERMINED: 1, PEER_SUPPORT: 2, CO_CREATION_PARTNER: 3}
SCALE_MAX = 3


@dataclass(frozen=True)
class NextStep:
    """One change that would move the role further, and the element that explains it."""

    code: str
    element_id: str


@dataclass(frozen=True)
class Classification:
    peer_role: str  # a peer_role.* id
    mode: str | None  # service_cycle.co_production / .co_creation, or None: no delivery
    potential: int  # 1..SCALE_MAX
    early_phases: tuple[str, ...]
    levels: tuple[str, ...]
    next_steps: tuple[NextStep, ...]


def normalise_involvement(involvement: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Keep known phases and levels, in the library's order; drop empty phases."""
    result = {}
    for phase in PHASES:
        levels = set(involvement.get(phase, ()))
        ordered = tuple(level for level in LEVELS if level in levels)
        if ordered:
            result[phase] = ordered
    return result


def mode_of(phases: Iterable[str]) -> str | None:
    """Co-creation, co-production, or None when the role has no part in delivery."""
    chosen = set(phases)
    if DELIVERY not in chosen:
        return None
    return CO_CREATION if chosen & EARLY else CO_PRODUCTION


def classify(*, involvement: Mapping[str, Iterable[str]], functions: Iterable[str]) -> Classification:
    """The role's place in Model 3 and on the service cycle, and what would move it on."""
    phases = normalise_involvement(involvement)
    chosen_functions = set(functions) & set(FUNCTIONS)
    mode = mode_of(phases)
    if mode == CO_CREATION:
        peer_role = CO_CREATION_PARTNER
    elif mode == CO_PRODUCTION and chosen_functions & PEER_FUNCTIONS:
        peer_role = PEER_SUPPORT
    else:
        peer_role = PREDETERMINED
    levels = tuple(level for level in LEVELS if any(level in ls for ls in phases.values()))
    steps: list[NextStep] = []
    if DELIVERY not in phases:
        steps.append(NextStep("join_delivery", DELIVERY))
    if not chosen_functions & PEER_FUNCTIONS:
        steps.append(NextStep("bring_experience", "model4.function.co_producing_delivery"))
    if not set(phases) & EARLY:
        steps.append(NextStep("involve_early", "service_cycle.design"))
    if "model4.function.service_planning" not in chosen_functions:
        steps.append(NextStep("plan_services", "model4.function.service_planning"))
    if "model4.function.boundary_spanning" not in chosen_functions:
        steps.append(NextStep("span_boundaries", "model4.function.boundary_spanning"))
    if not {"involvement_level.service", "involvement_level.system"} & set(levels):
        steps.append(NextStep("beyond_individual", "involvement_level.service"))
    if ASSESSMENT not in phases:
        steps.append(NextStep("assess", ASSESSMENT))
    return Classification(
        peer_role=peer_role, mode=mode, potential=POTENTIAL[peer_role],
        early_phases=tuple(p for p in PHASES if p in EARLY and p in phases),
        levels=levels, next_steps=tuple(steps),
    )
