"""The Norsk bokmål catalogue: complete, consistent with the code, and what nb pages show."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import polib
import pytest
from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


def _load_checker() -> ModuleType:
    # scripts/ is not a package; load the checker the way `python scripts/…` runs it.
    spec = importlib.util.spec_from_file_location("check_translations",
                                                  ROOT / "scripts" / "check_translations.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


checker = _load_checker()




def test_translations_catalogue_covers_the_code_and_compiles():
    # Act
    result = checker.check()

    # Assert
    assert result.problems == []
    assert result.messages > 200


def test_translations_checker_reports_each_kind_of_problem(tmp_path):
    # Arrange: one good entry and one of each fault, plus a message the catalogue lacks.
    catalogue = polib.POFile()
    catalogue.metadata = {"Language": "nb", "Content-Type": "text/plain; charset=UTF-8",
                          "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    catalogue.append(polib.POEntry(msgid="Log in", msgstr="Logg inn"))
    catalogue.append(polib.POEntry(msgid="Log out", msgstr=""))
    catalogue.append(polib.POEntry(msgid="Save", msgstr="Lagre", flags=["fuzzy"]))
    catalogue.append(polib.POEntry(msgid="Welcome to %(name)s.", msgstr="Velkommen til %(navn)s.",
                                   flags=["python-format"]))
    catalogue.append(polib.POEntry(msgid="%(counter)s event.", msgid_plural="%(counter)s events.",
                                   msgstr_plural={0: "%(counter)s hendelse.", 1: "hendelser."},
                                   flags=["python-format"]))
    catalogue.append(polib.POEntry(msgid="Hello {name}", msgstr="Hei {navn}"))
    catalogue.append(polib.POEntry(msgid="%(percent)s %% done.", msgstr="%(percent)s %% ferdig.",
                                   flags=["python-format"]))
    used = {checker.entry_key(entry) for entry in catalogue} | {("", "Members", "")}
    path = tmp_path / "django.po"
    catalogue.save(str(path))

    # Act
    result = checker.check_catalogue(polib.pofile(str(path)), used)

    # Assert
    assert result.problems == [
        "missing from the catalogue: 'Members'",
        "placeholders differ in 'hendelser.': expected %(counter)s, found none; "
        "msgid '%(counter)s event.' / '%(counter)s events.'",
        "placeholders differ in 'Hei {navn}': expected {name}, found {navn}; msgid 'Hello {name}'",
        "untranslated: 'Log out'",
        "fuzzy: 'Save'",
        "placeholders differ in 'Velkommen til %(navn)s.': expected %(name)s, found %(navn)s; "
        "msgid 'Welcome to %(name)s.'",
    ]
    assert checker.check_compiles(path) != []


@pytest.mark.usefixtures("nb_catalogue")
def test_translations_start_page_in_norwegian_for_nb_browser(db):
    # Arrange
    client = Client(headers={"accept-language": "nb"})

    # Act
    response = client.get("/")

    # Assert
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="nb">' in page
    assert '<a class="skip-link" href="#main">Gå til hovedinnholdet</a>' in page
    assert '<a href="/accounts/login/">Logg inn</a>' in page
    assert "<h2 id=\"library-heading\">Rammeverksbibliotek</h2>" in page
    assert "Skip to main content" not in page


@pytest.mark.usefixtures("nb_catalogue")
def test_translations_member_sees_role_in_norwegian(world):
    # Arrange
    client = world.client_for(world.peer)

    # Act
    response = client.get("/", headers={"accept-language": "nb"})

    # Assert
    page = response.content.decode()
    assert "Erfaringskonsulent" in page
    assert "Peer worker" not in page
    assert '<button class="link-button" type="submit">Logg ut</button>' in page


@pytest.mark.usefixtures("nb_catalogue")
def test_translations_plural_and_context_forms_in_norwegian(db):
    # Act
    response = Client(headers={"accept-language": "nb"}).get("/library/")
    with translation.override("nb"):
        size = translation.pgettext("organisation size", "250 or more employees")
        one = translation.ngettext("%(counter)s event.", "%(counter)s events.", 1) % {"counter": 1}

    # Assert
    assert response.status_code == 200
    assert " elementer</p>" in response.content.decode()
    assert size == "250 ansatte eller flere"
    assert one == "1 hendelse."
