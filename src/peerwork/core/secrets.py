"""Bearer secrets (invitation links, API keys): made here, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str = "") -> str:
    """A fresh secret with 256 bits of randomness, URL-safe."""
    return prefix + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    """What the database keeps instead of the secret. SHA-256 suffices: the secret
    is random, so there is nothing to guess that a slow hash would protect."""
    return hashlib.sha256(secret.encode()).hexdigest()
