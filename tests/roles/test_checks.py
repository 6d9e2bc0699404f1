"""The checks against the hiring policy and the preconditions: each finding and its source."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from peerwork.framework.library import get_library
from peerwork.roles.checks import MESSAGES, RoleFacts, check_role
from peerwork.roles.pay import national_pay_benchmark

SOUND = RoleFacts(form="role_form.care_provider", peer_workers_in_team=2, experienced=False,
                  former_client_of_unit=False, peer_on_hiring_committee=True,
                  senior_peer_supervision=True, absence_policy_agreed=True,
                  information_sharing="medical_file", experience_matches=True,
                  annual_salary_nok=460_000, buddy_named=True)


def codes(facts, **kwargs):
    return [(f.code, f.element_id) for f in check_role(facts, **kwargs)]


def test_checks_sound_design_has_no_findings():
    assert codes(SOUND, pay_benchmark_nok=450_000) == []


def test_checks_each_rule_with_its_element():
    cases = [
        (replace(SOUND, peer_workers_in_team=1),
         ("inexperienced_alone", "precondition.hiring_policy.seniority")),
        (replace(SOUND, former_client_of_unit=True),
         ("former_unit", "precondition.hiring_policy.workplace")),
        (replace(SOUND, peer_on_hiring_committee=False),
         ("no_peer_on_committee", "precondition.hiring_policy.hiring_committee")),
        (replace(SOUND, buddy_named=False),
         ("no_buddy", "precondition.onboarding.senior_buddy")),
        (replace(SOUND, senior_peer_supervision=False),
         ("no_senior_supervision", "precondition.support.supervision")),
        (replace(SOUND, absence_policy_agreed=False),
         ("no_absence_policy", "precondition.absence_policy.clarity")),
        (replace(SOUND, information_sharing=""),
         ("sharing_unsettled", "attention_point.medical_file")),
        (replace(SOUND, information_sharing="consent_only"),
         ("sharing_mismatch_inside", "attention_point.medical_file")),
        (replace(SOUND, form="role_form.peer_support_worker"),
         ("sharing_mismatch_outside", "attention_point.medical_file")),
        (replace(SOUND, experience_matches=False),
         ("experience_mismatch", "model4.condition.background_match")),
    ]
    for facts, expected in cases:
        assert codes(facts) == [expected], expected


def test_checks_missing_buddy_recommends_a_senior_peer_worker_citing_the_source():
    # Act
    findings = check_role(replace(SOUND, buddy_named=False))

    # Assert: the recommendation, and the element that carries the source (003 L335).
    assert [(f.code, f.element_id, f.also) for f in findings] == [
        ("no_buddy", "precondition.onboarding.senior_buddy",
         ("precondition.hiring_policy.hiring_committee",))]
    assert findings[0].message == (
        "No buddy is named for the first months. Pair the new peer worker with an experienced "
        "peer worker, ideally one who took part in the hiring, who is easy to reach and gives "
        "feedback.")
    source = get_library().element(findings[0].element_id).source
    assert (source.document, source.lines) == ("003", "335")


def test_checks_one_experienced_peer_worker_may_work_alone():
    assert codes(replace(SOUND, peer_workers_in_team=1, experienced=True)) == []


def test_checks_pay_below_a_given_benchmark():
    # Act
    findings = check_role(replace(SOUND, annual_salary_nok=360_000), pay_benchmark_nok=450_000)

    # Assert
    assert [(f.code, f.element_id, f.also) for f in findings] == [
        ("pay_below_benchmark", "precondition.working_conditions.pay_scale",
         ("barrier.pay_conditions",))]
    assert findings[0].message.startswith(
        "The salary (NOK 360 000) is below the national benchmark (NOK 450 000).")


def test_checks_pay_is_not_checked_without_a_benchmark_or_a_salary():
    assert codes(replace(SOUND, annual_salary_nok=100_000)) == []
    assert codes(replace(SOUND, annual_salary_nok=None), pay_benchmark_nok=450_000) == []


@pytest.mark.django_db
def test_checks_benchmark_comes_from_the_setting_until_a_survey_publishes_one():
    # Act
    with override_settings(PEERWORK_PAY_BENCHMARK_NOK=455_000,
                           PEERWORK_PAY_BENCHMARK_SOURCE="Peer worker survey 2027"):
        benchmark = national_pay_benchmark()
    with override_settings(PEERWORK_PAY_BENCHMARK_NOK=None):
        none = national_pay_benchmark()

    # Assert
    assert benchmark is not None
    assert (benchmark.annual_nok, benchmark.source) == (455_000, "Peer worker survey 2027")
    assert none is None


facts_strategy = st.builds(
    RoleFacts, form=st.sampled_from(["role_form.care_provider", "role_form.peer_support_worker"]),
    peer_workers_in_team=st.integers(1, 10), experienced=st.booleans(),
    former_client_of_unit=st.booleans(), peer_on_hiring_committee=st.booleans(),
    senior_peer_supervision=st.booleans(), absence_policy_agreed=st.booleans(),
    information_sharing=st.sampled_from(["", "consent_only", "medical_file"]),
    experience_matches=st.booleans(), annual_salary_nok=st.none() | st.integers(1, 900_000),
    buddy_named=st.booleans())


@given(facts_strategy, st.none() | st.integers(1, 900_000))
def test_checks_every_finding_cites_a_library_element_and_reads(facts, benchmark):
    # Act
    findings = check_role(facts, pay_benchmark_nok=benchmark)

    # Assert
    library = get_library()
    for finding in findings:
        element = library.element(finding.element_id)
        assert element is not None
        assert element.source.lines
        assert all(library.element(e) is not None for e in finding.also)
        assert finding.message
        assert finding.code in MESSAGES
    assert len({f.code for f in findings}) == len(findings)
