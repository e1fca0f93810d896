"""No state in one app server's memory that another needs: two gunicorn
processes on the same primary and standby share sign-in, sign-out and
lock-outs, because sessions, the cache and django-axes live in the database."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.db import connections

from accounts.roles import ANALYST
from common.db.config import REPLICA
from scripts.bench.loadtest import gunicorn_start, gunicorn_stop
from tests import factories
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One user's cookies, sent to whichever app server it asks."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def get(self, url: str):
        try:
            response = self.opener.open(url, timeout=30)
        except urllib.error.HTTPError as err:
            return err.code, err.geturl(), err.read().decode()
        return response.status, response.geturl(), response.read().decode()

    def post_form(self, url: str, form_url: str, data: dict):
        _, _, page = self.get(form_url)
        token = CSRF.search(page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(
            url, data=body.encode(), headers={"Referer": form_url}
        )
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as err:
            return err.code, err.geturl(), err.read().decode()
        return response.status, response.geturl(), response.read().decode()


@pytest.fixture(scope="module")
def app_servers(nodes):
    db = connections["default"].settings_dict
    name, user = db["NAME"], db["USER"]
    primary = f"postgis://{user}@127.0.0.1:{nodes.primary_port}/{name}"
    standby = (
        f"postgis://{user}@127.0.0.1:{nodes.standby_port},"
        f"127.0.0.1:{nodes.primary_port}/{name}"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "intel_map.settings.test",
        "DATABASE_REPLICA_URL": standby,
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "4",
        "WHITENOISE_USE_FINDERS": "true",
    }
    ports = [nodes.standby_port + 20, nodes.standby_port + 40]
    procs = []
    try:
        for port in ports:
            procs.append(gunicorn_start(url=primary, port=port, env=env))
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for proc in procs:
            gunicorn_stop(proc)


def test_signed_in_on_one_app_server_continues_on_another(app_servers):
    a, b = app_servers
    factories.make_user(ANALYST, "analyst")
    user = Browser()
    status, url, _ = user.post_form(
        f"{a}/accounts/login/",
        f"{a}/accounts/login/",
        {"username": "analyst", "password": TEST_PASSWORD},
    )
    assert status == 200 and urllib.parse.urlsplit(url).path == "/"
    # The other server knows the session: the map, and a map read (served
    # through its standby), without signing in again.
    status, url, page = user.get(f"{b}/")
    assert status == 200 and urllib.parse.urlsplit(url).path == "/", url
    assert "analyst" in page
    status, _, _ = user.get(f"{b}/api/v1/areas/?type=ward")
    assert status == 200
    health = user.get(f"{b}/healthz")[2]
    assert '"used_for_reads": true' in health
    # Signing out on the second ends the session on the first.
    user.post_form(f"{b}/accounts/logout/", f"{b}/", {})
    status, url, _ = user.get(f"{a}/")
    assert urllib.parse.urlsplit(url).path == "/accounts/login/"


def test_a_lock_out_on_one_app_server_holds_on_another(app_servers):
    a, b = app_servers
    factories.make_user(ANALYST, "target")
    attacker = Browser()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        status, _, _ = attacker.post_form(
            f"{a}/accounts/login/",
            f"{a}/accounts/login/",
            {"username": "target", "password": "not-the-password"},
        )
    owner = Browser()
    status, _, page = owner.post_form(
        f"{b}/accounts/login/",
        f"{b}/accounts/login/",
        {"username": "target", "password": TEST_PASSWORD},
    )
    assert status == 429 and "locked" in page
