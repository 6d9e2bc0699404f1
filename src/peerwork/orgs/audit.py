"""The audit trail: one event per administrative action, written in the same transaction."""

from __future__ import annotations

from typing import Any

from peerwork.orgs.enums import AuditAction
from peerwork.orgs.models import AuditEvent, Organisation


def record(
    *,
    actor: Any,
    action: AuditAction,
    organisation: Organisation | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event. Call it inside the service function's transaction."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=actor if authenticated else None,
        actor_email=actor.email if authenticated else "",
        action=action,
        target=target[:200],
        detail=detail or {},
    )
