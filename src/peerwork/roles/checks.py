"""Check a role design against the hiring policy and the preconditions.

Pure: :func:`check_role` takes plain facts and returns findings, each naming the
framework element that explains it (and through it, the source and lines). The
texts are ours; the rules are the sources' (003 L305–375, the senior buddy L335;
001 L139–175).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PEER_SUPPORT_WORKER = "role_form.peer_support_worker"
CARE_PROVIDER = "role_form.care_provider"
RECOMMENDED_PER_TEAM = 2  # precondition.hiring_policy.seniority, 003 L319


@dataclass(frozen=True)
class RoleFacts:
    form: str
    peer_workers_in_team: int = 1
    experienced: bool = False
    former_client_of_unit: bool = False
    peer_on_hiring_committee: bool = False
    senior_peer_supervision: bool = False
    absence_policy_agreed: bool = False
    information_sharing: str = ""  # "", "consent_only" or "medical_file"
    experience_matches: bool = True
    annual_salary_nok: int | None = None
    buddy_named: bool = False


@dataclass(frozen=True)
class Finding:
    code: str
    element_id: str
    also: tuple[str, ...] = ()  # further elements that explain it
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params


MESSAGES: dict[str, Promise] = {
    "inexperienced_alone": _(
        "An inexperienced peer worker would be the only one in the team. Hire at least two "
        "peer workers per team, or place someone with experience in the role."),
    "former_unit": _(
        "The peer worker was a client of this unit. Place them in another unit, so that "
        "colleagues and service users meet a colleague, not a former patient."),
    "no_peer_on_committee": _(
        "No peer worker sits on the hiring committee. An experienced peer worker judges "
        "lived experience and its use better than anyone else on the committee."),
    "no_senior_supervision": _(
        "No supervision by a senior peer worker is planned. Supervision by someone who has "
        "done the work helps the peer worker use their experience safely."),
    "no_buddy": _(
        "No buddy is named for the first months. Pair the new peer worker with an "
        "experienced peer worker, ideally one who took part in the hiring, who is easy to "
        "reach and gives feedback."),
    "no_absence_policy": _(
        "No absence policy is agreed. Agree from the start what happens when the peer "
        "worker is ill or needs adjustments."),
    "sharing_unsettled": _(
        "How information about service users is shared is not settled. Decide whether the "
        "peer worker reads the medical file or shares only with consent."),
    "sharing_mismatch_outside": _(
        "A peer support worker outside the team shares information only with the service "
        "user's consent, but this design gives access to the medical file. Choose the form "
        "that matches the access, or limit the access."),
    "sharing_mismatch_inside": _(
        "A care provider inside the treatment team is expected to share information and "
        "read the medical file, but this design limits sharing to consent. Agree how the "
        "team will work together, or choose the form outside the team."),
    "experience_mismatch": _(
        "The lived experience sought does not match the target group. The match between the "
        "peer worker's background and the service users' is a condition for impact."),
    "pay_below_benchmark": _(
        "The salary (NOK %(salary)s) is below the national benchmark (NOK %(benchmark)s). "
        "Peer workers should be on the same pay scale as colleagues with comparable work."),
}


def check_role(facts: RoleFacts, *, pay_benchmark_nok: int | None = None) -> list[Finding]:
    """Every finding for ``facts``, in the order of the hiring policy and preconditions.

    ``pay_benchmark_nok`` is the national benchmark where a survey wave published one;
    without it, pay is not checked.
    """
    findings: list[Finding] = []
    if not facts.experienced and facts.peer_workers_in_team < RECOMMENDED_PER_TEAM:
        findings.append(Finding("inexperienced_alone", "precondition.hiring_policy.seniority",
                                ("attention_point.resistance_isolation",)))
    if facts.former_client_of_unit:
        findings.append(Finding("former_unit", "precondition.hiring_policy.workplace"))
    if not facts.peer_on_hiring_committee:
        findings.append(Finding("no_peer_on_committee", "precondition.hiring_policy.hiring_committee"))
    if not facts.buddy_named:
        findings.append(Finding("no_buddy", "precondition.onboarding.senior_buddy",
                                ("precondition.hiring_policy.hiring_committee",)))
    if not facts.senior_peer_supervision:
        findings.append(Finding("no_senior_supervision", "precondition.support.supervision"))
    if not facts.absence_policy_agreed:
        findings.append(Finding("no_absence_policy", "precondition.absence_policy.clarity",
                                ("precondition.preparation.manager.absence",)))
    if facts.information_sharing == "":
        findings.append(Finding("sharing_unsettled", "attention_point.medical_file", (facts.form,)))
    elif facts.form == PEER_SUPPORT_WORKER and facts.information_sharing == "medical_file":
        findings.append(Finding("sharing_mismatch_outside", "attention_point.medical_file",
                                (PEER_SUPPORT_WORKER,)))
    elif facts.form == CARE_PROVIDER and facts.information_sharing == "consent_only":
        findings.append(Finding("sharing_mismatch_inside", "attention_point.medical_file",
                                (CARE_PROVIDER,)))
    if not facts.experience_matches:
        findings.append(Finding("experience_mismatch", "model4.condition.background_match"))
    if (pay_benchmark_nok is not None and facts.annual_salary_nok is not None
            and facts.annual_salary_nok < pay_benchmark_nok):
        findings.append(Finding("pay_below_benchmark", "precondition.working_conditions.pay_scale",
                                ("barrier.pay_conditions",),
                                {"salary": f"{facts.annual_salary_nok:,}".replace(",", " "),
                                 "benchmark": f"{pay_benchmark_nok:,}".replace(",", " ")}))
    return findings
