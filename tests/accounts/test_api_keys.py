"""Personal API keys on the account page: shown once, stored as a hash, revocable."""

from __future__ import annotations

import hashlib
import re

from django.test import Client

from peerwork.accounts.models import ApiToken
from peerwork.accounts.services import create_api_token


def test_api_keys_new_key_is_shown_once_and_stored_as_hash(world):
    # Arrange
    client = world.client_for(world.peer)

    # Act
    created = client.post("/me/api-keys/", {"name": "Spreadsheet"}, follow=True)
    later = client.get("/me/api-keys/")

    # Assert: after the redirect the key is shown once; a reload shows only its prefix.
    assert created.redirect_chain == [("/me/api-keys/", 302)]
    key = re.search(r'value="(pw_[A-Za-z0-9_-]+)"', created.content.decode()).group(1)
    token = ApiToken.objects.get(user=world.peer)
    assert (token.name, token.prefix) == ("Spreadsheet", key[3:11])
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in later.content.decode()
    assert f"<code>{token.prefix}…</code>" in later.content.decode()


def test_api_keys_name_is_required(world):
    # Act
    response = world.client_for(world.peer).post("/me/api-keys/", {"name": "  "})

    # Assert
    assert response.status_code == 400
    assert "Give the key a name of at most 100 characters." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_api_keys_owner_revokes_key(world):
    # Arrange
    issued = create_api_token(user=world.peer, name="old")

    # Act
    response = world.client_for(world.peer).post(
        "/me/api-keys/", {"action": "revoke", "token": issued.token.pk})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/me/api-keys/"
    assert not ApiToken.objects.exists()


def test_api_keys_someone_elses_key_is_not_found(world):
    # Arrange
    issued = create_api_token(user=world.org_admin, name="admin script")

    # Act
    response = world.client_for(world.charlie).post(
        "/me/api-keys/", {"action": "revoke", "token": issued.token.pk})

    # Assert
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=issued.token.pk).exists()


def test_api_keys_malformed_token_id_is_400(world):
    # Act
    response = world.client_for(world.peer).post("/me/api-keys/",
                                                 {"action": "revoke", "token": "abc"})

    # Assert
    assert response.status_code == 400
    assert response.content.decode() == "Unknown key."


def test_api_keys_page_needs_login(db):
    # Act
    response = Client().get("/me/api-keys/")

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/api-keys/"
