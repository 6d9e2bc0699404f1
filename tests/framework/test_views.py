"""Browsing and searching the library, in English and Norwegian, and its HTML report."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import escape

from peerwork.framework.library import Library, get_library

pytestmark = pytest.mark.django_db

SENIORITY = "precondition.hiring_policy.seniority"


@pytest.fixture
def library() -> Library:
    return get_library()


@pytest.fixture
def nb_client() -> Client:
    client = Client()
    client.cookies["peerwork_language"] = "nb"
    return client


def html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def main(response: object) -> str:
    """The page's <main>, without the site frame."""
    page = html(response)
    return page[page.index("<main"):page.index("</main>")]


def element_links(fragment: str) -> list[str]:
    return re.findall(r'href="/library/element/([^/"]+)/"', fragment)


def test_library_index_lists_every_structure(client: Client, library: Library) -> None:
    response = client.get("/library/")

    assert response.status_code == 200
    content = main(response)
    for structure in library.structures:
        assert (f'<a href="/library/{structure.id}/">{escape(structure.title["en"])}</a>'
                in content)
    assert "Library version 2026.1." in content
    assert '<a href="/library/report/">' in content
    cards = content[content.index('<ul class="cards">'):]
    assert re.findall(r'href="/library/([a-z0-9_]+)/"', cards) == [
        s.id for s in library.structures]
    assert "61 elements" in cards  # the ten preconditions and their 51 sub-items


@pytest.mark.parametrize("structure_id", [
    "role_form", "precondition", "attention_point", "barrier", "involvement_level",
    "service_cycle", "peer_role", "model4", "influence_study", "stc", "io5_process",
])
def test_library_structure_page_shows_its_whole_tree(client: Client, library: Library,
                                                     structure_id: str) -> None:
    structure = library.structure(structure_id)
    assert structure is not None

    response = client.get(f"/library/{structure_id}/")

    assert response.status_code == 200
    content = main(response)
    assert f"<h1>{escape(structure.title['en'])}</h1>" in content
    tree = content[content.index('<ul class="tree">'):]
    assert element_links(tree) == [e.id for e in structure.walk()]


def test_library_element_page_shows_title_why_source_related_and_breadcrumbs(
        client: Client, library: Library) -> None:
    element = library.elements[SENIORITY]
    referenced_by = [e.id for e in library.elements.values() if SENIORITY in e.related]

    response = client.get(f"/library/element/{SENIORITY}/")

    assert response.status_code == 200
    content = main(response)
    assert ('<h1><span class="label">7.6</span> Seniority: not alone when inexperienced</h1>'
            in content)
    assert f"<code>{SENIORITY}</code>" in content
    assert escape(element.summary["en"]) in content
    why = content[content.index('id="why-heading"'):content.index("</section>",
                                                                 content.index("why-heading"))]
    assert escape(element.why["en"]) in why
    source = content[content.index('id="source-heading"'):]
    assert ("Erasmus+ European profile for Peer-worker, Intellectual Output 5: recommendations "
            "for the use and positioning of peer workers, lines 319, 415") in source
    related = content[content.index('id="related-heading"'):content.index('id="source-heading"')]
    assert element_links(related) == [
        *element.related, *(r for r in referenced_by if r not in element.related)]
    crumbs = content[content.index('class="breadcrumbs"'):content.index("</nav>")]
    assert re.findall(r'href="([^"]+)"', crumbs) == [
        "/library/", "/library/precondition/", "/library/element/precondition.hiring_policy/",
        f"/library/element/{SENIORITY}/"]
    assert (f'<a href="/library/element/{SENIORITY}/" aria-current="page">Seniority: not alone '
            "when inexperienced</a>") in crumbs


def test_library_element_page_in_norwegian_by_accept_language(client: Client,
                                                              library: Library) -> None:
    element = library.elements[SENIORITY]

    response = client.get(f"/library/element/{SENIORITY}/", headers={"accept-language": "nb"})

    page = html(response)
    assert '<html lang="nb">' in page
    content = main(response)
    assert '<h1><span class="label">7.6</span> Erfaring: ikke alene som uerfaren</h1>' in content
    assert escape(element.why["nb"]) in content
    assert escape(element.why["en"]) not in content
    assert ">Ansettelsespolitikk</a>" in content  # the parent, in the breadcrumbs


def test_library_structure_page_in_norwegian_by_language_cookie(nb_client: Client) -> None:
    response = nb_client.get("/library/precondition/")

    content = main(response)
    assert "<h1>Ti forutsetninger for å lykkes med erfaringskonsulenter</h1>" in content
    assert "Ten preconditions" not in content


@pytest.mark.parametrize("path", [
    "/library/no_such_structure/",
    "/library/element/precondition.no_such_element/",
    "/library/element/precondition/",  # a structure id is not an element id
])
def test_library_unknown_structure_or_element_is_the_404_page(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert "There is nothing here, or you do not have access to it." in main(response)


def test_library_search_page_lists_results_title_hits_first(client: Client) -> None:
    response = client.get("/library/search/", {"q": "buddy"})

    assert response.status_code == 200
    content = main(response)
    assert "2 elements match “buddy”." in content
    results = content[content.index('<ul class="results">'):]
    assert element_links(results) == ["precondition.onboarding.senior_buddy",
                                      "precondition.onboarding"]


def test_library_search_page_in_norwegian(nb_client: Client) -> None:
    response = nb_client.get("/library/search/", {"q": "fadder"})

    content = main(response)
    results = content[content.index('<ul class="results">'):]
    assert element_links(results) == ["precondition.onboarding.senior_buddy",
                                      "precondition.onboarding"]
    assert "Erfaren fadder</a>" in results


def test_library_search_page_without_query_lists_nothing(client: Client) -> None:
    response = client.get("/library/search/", {"q": "   "})

    assert response.status_code == 200
    assert '<ul class="results">' not in main(response)


def test_library_search_page_shortens_a_very_long_query(client: Client) -> None:
    response = client.get("/library/search/", {"q": "buddy" + "x" * 500})

    assert response.status_code == 200
    assert response.context["query"] == "buddy" + "x" * 195


def test_library_report_page_has_chart_with_text_alternative_and_data_table(
        client: Client, library: Library) -> None:
    response = client.get("/library/report/")

    assert response.status_code == 200
    content = main(response)
    alt = "Number of studies in the scoping review that describe each peer-worker role."
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="'
                     + re.escape(alt) + '">', content)
    table = content[content.index('<table class="chart-data">'):content.index("</table>")]
    assert re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', table) == [
        ("Provider of pre-determined services", "21"), ("Provider of peer support", "145"),
        ("Partner in co-creation", "6")]
    assert '<th scope="col">Role</th><th scope="col">Studies</th>' in table
    sections = re.findall(r'<section class="report-section structure" aria-labelledby="s-(\w+)">',
                          content)
    assert sections == [s.id for s in library.structures]
    assert all(f"<code>{e.id}</code>" in content for e in library.elements.values())
    assert '<form method="post" action="/library/report/pdf/">' in content


def test_library_report_page_in_norwegian(nb_client: Client) -> None:
    response = nb_client.get("/library/report/")

    content = main(response)
    table = content[content.index('<table class="chart-data">'):content.index("</table>")]
    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == [
        "Utfører av forhåndsbestemte tjenester", "Yter av likepersonsstøtte",
        "Samskapingspartner"]
    assert "<h2 id=\"s-precondition\">Ti forutsetninger for å lykkes med erfaringskonsulenter</h2>" \
        in content


def test_library_pages_have_no_inline_styles_or_scripts(client: Client) -> None:
    for path in ("/library/", "/library/precondition/", f"/library/element/{SENIORITY}/",
                 "/library/search/?q=buddy", "/library/report/"):
        page = html(client.get(path))
        assert re.findall(r"<style\b| style=", page) == [], path
        assert re.findall(r"<script(?![^>]*\bsrc=)", page) == [], path
