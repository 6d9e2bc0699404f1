"""Who may do what, as named predicates (django-rules).

Object permissions take an ``Organisation``. A user's active memberships are
read once per request and cached on the user object.
"""

from __future__ import annotations

from typing import Any

import rules
from django_scopes import scopes_disabled

from peerwork.orgs.enums import Role
from peerwork.orgs.models import Membership


def roles_in(user: Any, organisation: Any) -> frozenset[str]:
    """The user's active roles in ``organisation`` (a member has one role)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache: dict[int, frozenset[str]] | None = getattr(user, "_peerwork_roles", None)
    if cache is None:
        with scopes_disabled():
            rows = Membership.objects.filter(user=user, is_active=True).values_list(
                "organisation_id", "role"
            )
            cache = {}
            for org_id, role in rows:
                cache[org_id] = frozenset({role})
        user._peerwork_roles = cache
    return cache.get(organisation.pk, frozenset())


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a membership change."""
    if hasattr(user, "_peerwork_roles"):
        del user._peerwork_roles


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


@rules.predicate
def is_member(user: Any, organisation: Any) -> bool:
    return organisation is not None and bool(roles_in(user, organisation))


def has_role(*wanted: Role) -> Any:
    names = frozenset(str(role) for role in wanted)

    @rules.predicate(name="has_role_" + "_or_".join(sorted(names)))
    def predicate(user: Any, organisation: Any) -> bool:
        return organisation is not None and bool(roles_in(user, organisation) & names)

    return predicate


is_org_admin = has_role(Role.ORG_ADMIN)
is_manager = has_role(Role.MANAGER, Role.ORG_ADMIN)

rules.add_perm("orgs.view_organisation", is_member)
rules.add_perm("orgs.change_organisation", is_org_admin)
rules.add_perm("orgs.manage_members", is_org_admin)
rules.add_perm("orgs.view_audit", is_org_admin)
rules.add_perm("orgs.create_organisation", is_platform_admin)
rules.add_perm("orgs.view_platform_audit", is_platform_admin)
