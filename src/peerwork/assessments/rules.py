"""Who may do what with assessment rounds. Object permissions take an Organisation."""

from __future__ import annotations

import rules
from django_scopes import scopes_disabled

from peerwork.orgs.enums import Role
from peerwork.orgs.models import Membership
from peerwork.orgs.rules import is_manager, is_member

# Every member sees a round's suppressed results and its action plan ("visible to the team").
rules.add_perm("assessments.view_round", is_member)
# Managers and organisation administrators run rounds and keep the action plan.
rules.add_perm("assessments.manage_rounds", is_manager)


@rules.predicate
def is_national_analyst(user: object) -> bool:
    """Holds the national-analyst role in some organisation, or runs the platform."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_staff", False):
        return True
    with scopes_disabled():
        return Membership.objects.filter(user=user, is_active=True, role=Role.ANALYST).exists()


# The benchmark shows only aggregates over at least k services that chose to share.
rules.add_perm("assessments.view_benchmark", is_national_analyst)
