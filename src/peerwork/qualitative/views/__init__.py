"""Analysis pages: projects, material, coding, the codebook, the four STC steps,
comparison, exports and the report. Views resolve the project through one funnel
(``_project``) and write through services."""

from __future__ import annotations

from peerwork.qualitative.views.codes import code_edit, group_edit
from peerwork.qualitative.views.coding import codebook, delete_unit, document_detail, mark_unit, undo
from peerwork.qualitative.views.projects import (
    compare,
    export,
    import_qdpx,
    members,
    project_detail,
    project_list,
    report,
    report_pdf,
    speakers,
    upload,
)
from peerwork.qualitative.views.steps import group_detail, step
from peerwork.qualitative.views.waves import import_wave

__all__ = ["code_edit", "codebook", "compare", "delete_unit", "document_detail", "export",
           "group_detail", "group_edit", "import_qdpx", "import_wave", "mark_unit", "members",
           "project_detail", "project_list", "report", "report_pdf", "speakers", "step", "undo",
           "upload"]
