"""English or Norsk bokmål: the browser's language by default, remembered per user."""

from __future__ import annotations

from django.test import Client

from conftest import PASSWORD
from peerwork.accounts.models import User


def test_language_browser_norwegian_gives_norwegian_page(db):
    # Act
    response = Client().get("/", headers={"accept-language": "nb-NO,nb;q=0.9,en;q=0.5"})

    # Assert
    assert response.status_code == 200
    assert '<html lang="nb">' in response.content.decode()
    assert response["Content-Language"] == "nb"


def test_language_browser_english_gives_english_page(db):
    # Act
    response = Client().get("/", headers={"accept-language": "en-GB,en;q=0.9"})

    # Assert
    assert '<html lang="en">' in response.content.decode()


def test_language_unsupported_browser_language_falls_back_to_english(db):
    # Act
    response = Client().get("/", headers={"accept-language": "de-DE,de;q=0.9"})

    # Assert
    assert '<html lang="en">' in response.content.decode()


def test_language_switch_anonymous_sets_cookie(db):
    # Arrange
    client = Client()

    # Act
    response = client.post("/language/", {"language": "nb", "next": "/library/"})
    page = client.get("/", headers={"accept-language": "en"})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/library/"
    cookie = response.cookies["peerwork_language"]
    assert cookie.value == "nb"
    assert cookie["max-age"] == 60 * 60 * 24 * 365
    assert cookie["samesite"] == "Lax"
    assert '<html lang="nb">' in page.content.decode()


def test_language_switch_logged_in_saves_user_language(world):
    # Arrange
    client = world.client_for(world.peer)

    # Act
    response = client.post("/language/", {"language": "nb", "next": "/"})

    # Assert
    assert response.status_code == 302
    assert response.cookies["peerwork_language"].value == "nb"
    assert User.objects.get(pk=world.peer.pk).language == "nb"


def test_language_saved_choice_beats_browser_language(world, nb_catalogue):
    # Arrange: chosen on one device...
    world.client_for(world.peer).post("/language/", {"language": "nb", "next": "/"})
    other_device = world.client_for(world.peer)

    # Act: ...remembered on another whose browser asks for English.
    response = other_device.get(f"/o/{world.org.slug}/", headers={"accept-language": "en"})

    # Assert
    assert response.status_code == 200
    assert '<html lang="nb">' in response.content.decode()
    assert ">Kontoen din</a>" in response.content.decode()
    assert response.cookies["peerwork_language"].value == "nb"


def test_language_without_saved_choice_follows_browser(world):
    # Arrange
    client = world.client_for(world.peer)

    # Act
    norwegian = client.get(f"/o/{world.org.slug}/", headers={"accept-language": "nb"})
    english = client.get(f"/o/{world.org.slug}/", headers={"accept-language": "en"})

    # Assert
    assert '<html lang="nb">' in norwegian.content.decode()
    assert '<html lang="en">' in english.content.decode()


def test_language_norwegian_page_is_translated(db, nb_catalogue):
    # Act
    response = Client().get("/", headers={"accept-language": "nb"})

    # Assert
    assert ">Logg inn</a>" in response.content.decode()


def test_language_unknown_code_is_refused(world):
    # Arrange
    client = world.client_for(world.peer)

    # Act
    response = client.post("/language/", {"language": "de", "next": "/"})

    # Assert
    assert response.status_code == 400
    assert response.content.decode() == "Choose English or Norsk bokmål."
    assert "peerwork_language" not in response.cookies
    assert User.objects.get(pk=world.peer.pk).language == ""


def test_language_switch_ignores_offsite_next(db):
    # Act
    response = Client().post("/language/", {"language": "nb", "next": "https://evil.example/"})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_language_switch_needs_post(db):
    # Act
    response = Client().get("/language/?language=nb")

    # Assert
    assert response.status_code == 405
    assert "peerwork_language" not in response.cookies


def test_language_preferences_page_can_return_to_browser_language(world):
    # Arrange
    User.objects.filter(pk=world.peer.pk).update(language="nb")
    client = world.client_for(world.peer)

    # Act
    response = client.post("/me/", {"name": "Peer", "language": ""})
    page = client.get("/me/", headers={"accept-language": "en"})

    # Assert
    assert response.status_code == 302
    assert User.objects.get(pk=world.peer.pk).language == ""
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()


def test_language_login_message_is_in_the_saved_language(world, nb_catalogue):
    # Arrange: Norwegian saved on the account, an English browser.
    User.objects.filter(pk=world.peer.pk).update(language="nb")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    # Act
    response = client.post("/accounts/login/", {"login": "peer@fjordvik.test", "password": PASSWORD},
                           follow=True)

    # Assert
    body = response.content.decode()
    assert '<html lang="nb">' in body
    assert "Logget inn som Peer." in body
