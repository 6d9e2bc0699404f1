"""A wave's page leads to its results, trends and report."""

from __future__ import annotations


def test_wave_page_links_to_its_results(world, wave):
    page = world.client_for(world.analyst).get(f"/o/{world.org.slug}/surveys/waves/{wave.pk}/")

    text = page.content.decode()
    assert page.status_code == 200
    base = f"/o/{world.org.slug}/surveys/waves/{wave.pk}/"
    for target in ("results/", "results/trends/", "report/"):
        assert f'href="{base}{target}"' in text
