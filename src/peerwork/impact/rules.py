"""Who may do what with the impact log. Object permissions take an Organisation.

Every member reads the log and its yearly summary; peer workers, colleagues,
managers and organisation administrators record improvements and move them on.
National analysts read but do not write a service's log.
"""

from __future__ import annotations

import rules

from peerwork.orgs.enums import Role
from peerwork.orgs.rules import has_role, is_member

rules.add_perm("impact.view_log", is_member)
rules.add_perm("impact.log_improvement",
               has_role(Role.PEER_WORKER, Role.COLLEAGUE, Role.MANAGER, Role.ORG_ADMIN))
