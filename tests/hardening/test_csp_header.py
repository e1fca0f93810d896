"""The Content-Security-Policy: scripts from this site or carrying the
response's nonce, never inline by permission."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _script_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directives = dict(
        (d.strip().split(" ", 1) + [""])[:2] for d in policy.split(";") if d.strip()
    )
    return directives["script-src"].split()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/map/",
        "/analysis/hotspots/",
        "/api/v1/docs/",
        "/admin/",
        "/accounts/login/",
    ],
)
def test_every_page_forbids_inline_scripts(client, admin_user, url):
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    sources = _script_src(response)
    assert "'self'" in sources
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources
    assert "object-src 'none'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_map_set_up_script_carries_the_nonce(client, analyst):
    client.force_login(analyst)
    response = client.get("/map/")
    nonce = next(s for s in _script_src(response) if s.startswith("'nonce-"))[7:-1]
    page = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    executable = [a for a in inline if "application/json" not in a]
    assert executable, "the map's set-up script is inline"
    for attrs in executable:
        assert f'nonce="{nonce}"' in attrs


def test_the_nonce_changes_every_response(client, analyst):
    client.force_login(analyst)
    first = [s for s in _script_src(client.get("/map/")) if s.startswith("'nonce-")]
    second = [s for s in _script_src(client.get("/map/")) if s.startswith("'nonce-")]
    assert first and second and first != second


def test_swagger_start_up_script_is_a_file(client, analyst):
    client.force_login(analyst)
    page = client.get("/api/v1/docs/").content.decode()
    assert re.search(r'<script src="[^"]*\?script=', page)
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
