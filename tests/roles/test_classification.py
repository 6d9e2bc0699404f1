"""The classification of a role: Model 3's three roles, co-production vs co-creation, and
the transformative-potential scale. Pure functions, checked against the library too."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from peerwork.framework.library import get_library
from peerwork.roles.classification import (
    CO_CREATION,
    CO_CREATION_PARTNER,
    CO_PRODUCTION,
    EARLY,
    FUNCTIONS,
    LEVELS,
    PEER_SUPPORT,
    PHASES,
    POTENTIAL,
    PREDETERMINED,
    classify,
    mode_of,
)

involvements = st.dictionaries(st.sampled_from(PHASES), st.lists(st.sampled_from(LEVELS), max_size=3))
function_sets = st.lists(st.sampled_from(FUNCTIONS), max_size=3)


def test_classification_delivery_only_is_co_production():
    # Act / Assert
    assert mode_of(["service_cycle.delivery"]) == CO_PRODUCTION


def test_classification_delivery_and_assessment_without_an_early_phase_is_not_co_creation():
    # Act / Assert: the domain notes' rule, 002 L520–580.
    assert mode_of(["service_cycle.delivery", "service_cycle.assessment"]) == CO_PRODUCTION


def test_classification_design_and_delivery_is_co_creation():
    assert mode_of(["service_cycle.design", "service_cycle.delivery"]) == CO_CREATION
    assert mode_of(["service_cycle.commissioning", "service_cycle.delivery"]) == CO_CREATION


def test_classification_early_phase_without_delivery_is_neither():
    assert mode_of(["service_cycle.commissioning", "service_cycle.design"]) is None


def test_classification_peer_support_needs_experiential_functions():
    # Arrange
    delivery = {"service_cycle.delivery": ["involvement_level.individual"]}

    # Act
    with_function = classify(involvement=delivery,
                             functions=["model4.function.co_producing_delivery"])
    without = classify(involvement=delivery, functions=[])

    # Assert
    assert (with_function.peer_role, with_function.potential) == (PEER_SUPPORT, 2)
    assert (without.peer_role, without.potential) == (PREDETERMINED, 1)
    assert "bring_experience" in [s.code for s in without.next_steps]


def test_classification_co_creation_partner_at_the_top_of_the_scale():
    # Act
    result = classify(involvement={
        "service_cycle.commissioning": ["involvement_level.system"],
        "service_cycle.design": ["involvement_level.service"],
        "service_cycle.delivery": ["involvement_level.individual"],
        "service_cycle.assessment": ["involvement_level.service"]}, functions=FUNCTIONS)

    # Assert
    assert (result.peer_role, result.mode, result.potential) == (CO_CREATION_PARTNER, CO_CREATION, 3)
    assert result.next_steps == ()


def test_classification_potential_matches_the_library():
    # Arrange
    library = get_library()

    # Act / Assert: the scale is the one the library's Model 3 elements carry.
    for role_id, potential in POTENTIAL.items():
        assert library.elements[role_id].attributes["transformative_potential"] == potential


@given(involvements, function_sets)
def test_classification_rules_hold_for_any_design(involvement, functions):
    # Act
    result = classify(involvement=involvement, functions=functions)

    # Assert
    phases = {p for p, levels in involvement.items() if levels}
    assert (result.mode == CO_CREATION) == ("service_cycle.delivery" in phases and bool(phases & EARLY))
    assert (result.peer_role == CO_CREATION_PARTNER) == (result.mode == CO_CREATION)
    assert result.potential == POTENTIAL[result.peer_role]
    # Something always moves a role below the top further; every step cites a real element.
    library = get_library()
    assert all(library.element(s.element_id) is not None for s in result.next_steps)
    if result.potential < 3:
        assert result.next_steps


@given(involvements, function_sets, st.sampled_from(PHASES), st.sampled_from(LEVELS))
def test_classification_adding_involvement_never_lowers_potential(involvement, functions, phase, level):
    # Arrange
    before = classify(involvement=involvement, functions=functions)
    more = {**involvement, phase: [*involvement.get(phase, []), level]}

    # Act
    after = classify(involvement=more, functions=functions)

    # Assert
    assert after.potential >= before.potential
