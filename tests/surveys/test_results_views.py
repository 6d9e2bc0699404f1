"""Results pages, exports and the report through HTTP: suppression, rights, isolation."""

from __future__ import annotations

import io
import random
import re
from typing import Any

import pyreadstat
import pytest
from defusedcsv import csv as safe_csv
from django.urls import reverse

from peerwork.surveys import exporters, services
from peerwork.surveys.models import Wave
from peerwork.surveys.queries import definition_of, wave_frame
from surveys.conftest import open_wave
from surveys.results_seed import another_wave, submit_many
from surveys.results_seed import answers as seed_answers

# 12 municipal, 10 specialist, 3 in an NGO: the NGO must never be shown apart.
SECTORS = ["municipal"] * 12 + ["specialist"] * 10 + ["ngo"] * 3


@pytest.fixture
def answered(world: Any) -> Wave:
    wave = open_wave(world)
    submit_many(wave, SECTORS)
    return wave


def _flat(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _url(name: str, wave: Wave, *extra: str) -> str:
    return reverse(f"surveys:{name}", args=[wave.organisation.slug, wave.pk, *extra])


def test_results_page_shows_counts_and_hides_the_small_group(world: Any, answered: Wave) -> None:
    client = world.client_for(world.peer)

    response = client.get(_url("results", answered))

    assert response.status_code == 200
    page = _flat(response)
    assert "25 submitted answers" in page
    assert "Municipal</th> <td>12</td>" in page
    assert "Voluntary</th> <td><span class=\"suppressed\">hidden" in page
    assert "Specialist</th> <td><span class=\"suppressed\">hidden" in page
    assert "data:image/svg+xml;base64," in page
    assert "Comment number 4" in page


def test_results_page_of_a_wave_under_k_shows_nothing(world: Any) -> None:
    wave = open_wave(world)
    submit_many(wave, ["municipal"] * 4)

    page = world.client_for(world.peer).get(_url("results", wave)).content.decode()

    assert "Results appear when at least 5 people have answered." in page
    assert "Comment number" not in page


def test_results_crosstab_merges_the_small_group(world: Any, answered: Wave) -> None:
    client = world.client_for(world.manager)

    response = client.get(_url("crosstab", answered), {"question": "jd_clear", "by": "sector"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Municipal <span class=\"meta\">(n=12)</span>" in page
    assert "Other groups, merged <span class=\"meta\">(n=13)</span>" in page
    assert "(n=3)" not in page


def test_results_crosstab_htmx_gives_the_fragment(world: Any, answered: Wave) -> None:
    response = world.client_for(world.manager).get(
        _url("crosstab", answered), {"question": "salary", "by": "sector"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Mean and median per group" in response.content


def test_results_crosstab_with_unknown_question_is_400(world: Any, answered: Wave) -> None:
    response = world.client_for(world.manager).get(
        _url("crosstab", answered), {"question": "nope", "by": "sector"})

    assert response.status_code == 400
    assert b"Choose a question and a background variable" in response.content


def test_results_aggregate_csv_for_every_member(world: Any, answered: Wave) -> None:
    response = world.client_for(world.peer).get(_url("export", answered, "aggregate.csv"))

    assert response.status_code == 200
    rows = list(safe_csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    sector = {r[3]: r[5] for r in rows if r[1] == "sector"}
    assert sector == {"Municipal": "12", "Specialist": "", "Voluntary": "", "No answer": "0"}


@pytest.mark.parametrize("name", ["answers.csv", "answers.xlsx", "answers.sav"])
def test_results_answer_exports_are_403_below_analyst(world: Any, answered: Wave, name: str) -> None:
    for user in (world.peer, world.manager, world.org_admin):
        assert world.client_for(user).get(_url("export", answered, name)).status_code == 403


def test_results_answer_csv_for_the_analyst(world: Any, answered: Wave) -> None:
    response = world.client_for(world.analyst).get(_url("export", answered, "answers.csv"))

    assert response.status_code == 200
    rows = list(safe_csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 26
    assert rows[0][:3] == ["response", "sector", "fte"]


def test_results_answer_export_refused_under_k(world: Any) -> None:
    wave = open_wave(world)
    submit_many(wave, ["municipal"] * 3)

    response = world.client_for(world.analyst).get(_url("export", wave, "answers.csv"))

    assert response.status_code == 403


def test_results_codebook_html(world: Any, answered: Wave) -> None:
    response = world.client_for(world.peer).get(_url("export", answered, "codebook.html"))

    assert response.status_code == 200
    assert b"<th scope=\"row\">phases__design</th>" in response.content


def test_results_unknown_export_is_404(world: Any, answered: Wave) -> None:
    assert world.client_for(world.analyst).get(_url("export", answered, "all.zip")).status_code == 404


@pytest.mark.parametrize("name", ["results", "crosstab", "trends", "standing", "report"])
def test_results_pages_are_404_for_outsiders_and_other_tenants_ids(world: Any, answered: Wave,
                                                                   name: str) -> None:
    charlie = world.client_for(world.charlie)
    assert charlie.get(_url(name, answered)).status_code == 404
    # Charlie's own organisation with Fjordvik's wave id: still 404.
    other = reverse(f"surveys:{name}", args=[world.other_org.slug, answered.pk])
    assert charlie.get(other).status_code == 404


def test_results_pages_need_login(world: Any, answered: Wave) -> None:
    response = world.client_for(None).get(_url("results", answered))

    assert response.status_code == 302


def test_results_standing_page_publishes_only_inner_percentiles(world: Any, answered: Wave) -> None:
    page = world.client_for(world.peer).get(_url("standing", answered)).content.decode()

    # 25 answers: the 10th and 90th percentiles would rest on fewer than 5 people at an end.
    assert 'data-percentile="25"' in page
    assert 'data-percentile="75"' in page
    assert 'data-percentile="10"' not in page
    assert 'data-percentile="90"' not in page
    assert "survey-standing.js" in page
    assert "<script>" not in page


def test_results_standing_salary_field_has_no_name_so_no_form_can_send_it(world: Any,
                                                                         answered: Wave) -> None:
    page = _flat(world.client_for(world.peer).get(_url("standing", answered)))

    assert '<input id="standing-salary" type="text"' in page
    assert 'name="salary"' not in page


def test_results_page_lists_at_most_200_texts_and_the_export_all(world: Any) -> None:
    wave = open_wave(world)
    submit_many(wave, ["municipal"] * 205)

    page = _flat(world.client_for(world.peer).get(_url("results", wave)))
    export = world.client_for(world.peer).get(_url("export", wave, "aggregate.csv"))

    assert page.count("<li>Comment number ") == 200
    assert "The first 200 of 205 are shown" in page
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert text.count("Comment number ") == 205


def test_results_streamed_answers_equal_the_wave_frame(world: Any, answered: Wave) -> None:
    # The export streams stored answers from the database; it must give exactly the
    # rows of the contract's frame (order aside: both orders are random).
    response = world.client_for(world.analyst).get(_url("export", answered, "answers.csv"))
    streamed = list(safe_csv.reader(io.StringIO(
        b"".join(response.streaming_content).decode("utf-8-sig"))))
    definition = definition_of(answered.version)
    expected = _csv_rows(exporters.answer_rows(definition, wave_frame(answered), "en"))

    assert streamed[0] == expected[0]
    assert sorted(r[1:] for r in streamed[1:]) == sorted(r[1:] for r in expected[1:])


def test_results_sav_export_reads_back(world: Any, answered: Wave, tmp_path: Any) -> None:
    response = world.client_for(world.analyst).get(_url("export", answered, "answers.sav"))
    path = tmp_path / "wave.sav"
    path.write_bytes(b"".join(response.streaming_content))

    data, meta = pyreadstat.read_sav(str(path))
    assert len(data) == 25
    assert sorted(data["sector"].tolist()) == [1.0] * 12 + [2.0] * 10 + [3.0] * 3
    assert meta.variable_value_labels["sector"] == {1.0: "Municipal", 2.0: "Specialist",
                                                    3.0: "Voluntary"}


def _csv_rows(rows: Any) -> list[list[str]]:
    text = b"".join(exporters.csv_chunks(rows)).decode("utf-8-sig")
    return list(safe_csv.reader(io.StringIO(text)))


def test_results_index_lists_waves_and_the_organisation_page_links_to_it(world: Any,
                                                                       answered: Wave) -> None:
    client = world.client_for(world.peer)
    index_url = reverse("surveys:results_index", args=[world.org.slug])

    index = _flat(client.get(index_url))
    organisation = _flat(client.get(reverse("orgs:detail", args=[world.org.slug])))

    assert f'<th scope="row">{answered.title}</th><td>25</td>' in index
    assert f'href="{_url("results", answered)}"' in index
    assert f'href="{index_url}">Survey results</a>' in organisation
    assert world.client_for(world.charlie).get(index_url).status_code == 404


def test_results_page_draws_the_matrix_with_its_shares(world: Any, answered: Wave) -> None:
    page = _flat(world.client_for(world.peer).get(_url("results", answered)))

    # Every answer to "delivery" is 5 ("to a very large extent"): 25 of 25 answered.
    assert "Answers to “Involvement”, one bar per row" in page
    assert ('<th scope="row">Delivery</th> <td>0 % <span class="meta">(0)</span></td>'
            + '<td>0 % <span class="meta">(0)</span></td>' * 3
            + '<td>100 % <span class="meta">(25)</span></td><td>0</td></tr>') in page


def test_results_page_says_why_a_number_has_no_ranges(world: Any) -> None:
    # 23 gave a salary and 2 did not: the number who answered is hidden, so are ranges.
    wave = open_wave(world)
    submit_many(wave, ["municipal"] * 23)
    rng = random.Random(3)
    for index in range(2):
        answers = {**seed_answers(index, rng, "municipal"), "salary": None}
        services.submit_whole(wave=wave, key=f"no-salary-{index}", answers=answers)

    page = _flat(world.client_for(world.peer).get(_url("results", wave)))

    assert "Answers to “Annual salary”" not in page
    assert ("No chart of ranges: the number who answered is hidden, so that it does not reveal "
            "how many skipped the question, and the ranges would add up to it.") in page
    assert "How many respondents gave an answer in each range of “Percentage of full time”" in page


def test_results_trends_list_answers_down_and_waves_across(world: Any, answered: Wave) -> None:
    later = another_wave(world, answered, "Wave 2028")
    submit_many(later, SECTORS, seed=9)

    page = _flat(world.client_for(world.peer).get(_url("trends", later)))

    assert ('<th scope="col">Answer</th><th scope="col">Wave 2027 <span class="meta">(n=25)</span>'
            '</th><th scope="col">Wave 2028 <span class="meta">(n=25)</span></th>') in page
    assert '<th scope="row">Municipal</th> <td>48 %</td><td>48 %</td>' in page
    assert '<th scope="col">Figure</th>' in page  # the numbers: median, mean, n
