"""Who may do what with assessment rounds. Object permissions take an Organisation."""

from __future__ import annotations

import rules

from peerwork.orgs.rules import is_manager, is_member

# Every member sees a round's suppressed results and its action plan ("visible to the team").
rules.add_perm("assessments.view_round", is_member)
# Managers and organisation administrators run rounds and keep the action plan.
rules.add_perm("assessments.manage_rounds", is_manager)
