"""Who may do what in analysis projects.

An organisation's members may start a project. Inside a project the project role
decides (``ProjectRole``); an organisation role gives nothing by itself, because
transcripts are special-category material that only the analysis team may read.
"""

from __future__ import annotations

import rules

from peerwork.orgs.rules import is_member
from peerwork.qualitative.enums import ProjectRole

rules.add_perm("qualitative.create_project", is_member)

VIEW = frozenset(ProjectRole.values)
COMMENT = frozenset({ProjectRole.LEAD, ProjectRole.ANALYST, ProjectRole.VALIDATOR})
CODE = frozenset({ProjectRole.LEAD, ProjectRole.ANALYST})
LEAD = frozenset({ProjectRole.LEAD})
