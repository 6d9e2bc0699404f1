"""Role pages: designs (list, design, edit, classification and checks, archive, restore,
delete) and their documents. Views resolve the role through one funnel
(``common.get_role``) and write through services."""

from __future__ import annotations

from peerwork.roles.views.designs import (
    role_archive,
    role_delete,
    role_detail,
    role_edit,
    role_list,
    role_new,
    role_restore,
)
from peerwork.roles.views.documents import (
    document,
    document_confirm,
    document_pdf,
    document_revise,
    document_save,
)

__all__ = ["document", "document_confirm", "document_pdf", "document_revise", "document_save",
           "role_archive", "role_delete", "role_detail", "role_edit", "role_list", "role_new",
           "role_restore"]
