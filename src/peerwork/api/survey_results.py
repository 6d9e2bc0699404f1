"""Survey results and exports through the API (developer B's router)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["survey results"])
