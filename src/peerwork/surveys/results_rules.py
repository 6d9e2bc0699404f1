"""Who may see what of a wave's results. Object permissions take an Organisation.

Every member sees the suppressed results (``surveys.view_surveys``). Answer-level
files go only to national analysts: a survey's respondents are often the staff of
the managers and administrators in the same organisation, who therefore get the
aggregates only (PRODUCT.md: answer-level data only for those entitled to it).
"""

from __future__ import annotations

import rules

from peerwork.orgs.enums import Role
from peerwork.orgs.rules import has_role

VIEW_RESULTS = "surveys.view_surveys"
EXPORT_ANSWERS = "surveys.export_answers"

if not rules.perm_exists(EXPORT_ANSWERS):
    rules.add_perm(EXPORT_ANSWERS, has_role(Role.ANALYST))
