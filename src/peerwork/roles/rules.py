"""Who may do what with role designs. Object permissions take an Organisation.

Every member reads roles and their documents (colleagues need "a briefing on what
the role is"); managers and organisation administrators design roles and confirm
documents for the service, and archive, restore or delete roles (a role with a
confirmed document is never deleted: ``services.delete_role``). The peer worker
named in a role may edit its design and documents with the manager and confirms for
themself: that is checked against the role in ``queries.can_edit`` and
``services.confirm_document``.
"""

from __future__ import annotations

import rules

from peerwork.orgs.rules import is_manager, is_member

rules.add_perm("roles.view_role", is_member)
rules.add_perm("roles.design_role", is_manager)
rules.add_perm("roles.archive_role", is_manager)
rules.add_perm("roles.delete_role", is_manager)
