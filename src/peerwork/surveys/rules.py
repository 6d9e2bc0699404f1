"""Who may do what with surveys. Object permissions take an Organisation."""

from __future__ import annotations

import rules

from peerwork.orgs.enums import Role
from peerwork.orgs.rules import has_role, is_member

# Every member sees the organisation's surveys and their (suppressed) results.
rules.add_perm("surveys.view_surveys", is_member)
# Analysts, managers and organisation administrators build surveys and run waves.
rules.add_perm("surveys.manage_surveys", has_role(Role.ANALYST, Role.MANAGER, Role.ORG_ADMIN))
