from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerwork.accounts.middleware import requires_two_factor
from peerwork.orgs.queries import organisations_of


def peerwork(request: HttpRequest) -> dict[str, Any]:
    """What the page frame needs: the user's organisations for the navigation."""
    user = getattr(request, "user", None)
    return {
        "my_organisations": organisations_of(user) if user is not None else [],
        # A callable, so the query runs only on the pages that ask.
        "two_factor_required": lambda: bool(user and user.is_authenticated
                                            and requires_two_factor(user)),
    }
