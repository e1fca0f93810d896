"""The main navigation offers each role only the pages it may open."""

from datetime import date, timedelta

import pytest

from accounts.roles import ANALYST, PARTNER, ROLE_PERMISSIONS
from tests import factories

pytestmark = pytest.mark.django_db


def _nav(client):
    html = client.get("/").content.decode()
    start = html.index('<nav class="mainnav"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize("role", sorted(ROLE_PERMISSIONS))
def test_every_link_in_the_navigation_opens(client, role):
    user = factories.make_user(role)
    client.force_login(user)
    factories.justify(client)
    nav = _nav(client)
    hrefs = [part.split('"')[0] for part in nav.split('href="')[1:]]
    assert hrefs[0] == "/"
    for href in hrefs:
        assert client.get(href).status_code == 200, (role, href)


def _index(client):
    html = client.get("/analysis/").content.decode()
    start = html.index('id="analysis-index"')
    return html[start : html.index("</dl>", start)]


def test_density_only_roles_are_not_offered_hot_spots(
    client, analyst, licensing_officer
):
    client.force_login(licensing_officer)
    assert 'href="/analysis/"' in _nav(client)
    index = _index(client)
    assert "Legal clocks" in index
    assert "Hot spots" not in index and "Reports" not in index
    client.force_login(analyst)
    index = _index(client)
    assert "Hot spots" in index and "Reports" in index
    assert 'aria-current="page">Home' in _nav(client)
    assert 'aria-current="page">Map' in client.get("/map/").content.decode()


def test_a_partner_is_offered_no_map_and_no_analysis(client):
    client.force_login(factories.make_user(PARTNER))
    nav = _nav(client)
    assert 'href="/map/"' not in nav and 'href="/analysis/"' not in nav
    assert 'href="/api/v1/docs/"' not in nav
    assert client.get("/map/").status_code == 403
    assert client.get("/analysis/").status_code == 403


def test_location_page_leads_to_did_it_work(client, analyst, licensing_officer):
    place = factories.make_location(name="Canal Hotel")
    factories.make_action(location=place)
    client.force_login(analyst)
    factories.justify(client)
    html = client.get(f"/locations/{place.pk}/").content.decode()
    assert f'href="/analysis/did-it-work/{place.pk}/"' in html
    assert 'id="wdq-summary"' in html and "Within 200 m" in html
    assert client.get(f"/analysis/did-it-work/{place.pk}/").status_code == 200
    client.force_login(licensing_officer)
    html = client.get(f"/locations/{place.pk}/").content.decode()
    assert "did-it-work" not in html and "wdq-summary" not in html


def test_a_busy_role_finds_its_work_in_a_menu_with_its_count(client):
    analyst = factories.make_user(ANALYST)
    factories.make_record(review_date=date.today() - timedelta(days=3))
    client.force_login(analyst)
    factories.justify(client)
    nav = _nav(client)
    menu = nav[nav.index("<summary>Work") :]
    menu = menu[: menu.index("</details>")]
    assert "<summary>Work" in menu and 'title="waiting for you">1<' in menu
    assert 'href="/intelligence/review/"' in menu or "Reviews due" in menu


def test_a_role_with_few_pages_sees_them_flat(client):
    client.force_login(factories.make_user(PARTNER))
    assert "navmenu" not in _nav(client)


def test_a_menu_of_one_page_is_that_page(client, licensing_officer):
    # A licensing officer has the link chart (counts only) but no subjects.
    client.force_login(licensing_officer)
    factories.justify(client)
    nav = _nav(client)
    assert "<summary>People" not in nav
    assert 'href="/links/"' in nav and 'href="/people/subjects/"' not in nav
