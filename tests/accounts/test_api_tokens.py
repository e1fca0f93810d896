"""API tokens (accounts/tokens.py): hashed at rest, expiring, revocable,
issued only after the second factor, held to their scope, every use logged."""

from datetime import timedelta

import django_otp
import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.views import APIView

from accounts.models import ApiToken, ApiTokenUse
from accounts.roles import PARTNER
from accounts.tokens import TokenScopePermission
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"
LOCATIONS = "/api/v1/locations/"
HEAT = {"bbox": "-1.60,52.36,-1.40,52.46", "zoom": 14}


def _api(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def _verified(client: Client, user) -> Client:
    """A session that has passed the second factor, as /accounts/two-factor/
    leaves it."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    request = type("R", (), {"session": client.session, "user": user})()
    django_otp.login(request, device)
    request.session.save()
    return client


def test_the_page_is_in_the_navigation(client, analyst):
    client.force_login(analyst)
    home = client.get("/").content.decode()
    assert f'href="{PAGE}"' in home
    assert "API tokens" in home


def test_a_token_is_issued_only_after_the_second_factor(client, analyst):
    client.force_login(analyst)
    page = client.get(PAGE).content.decode()
    assert 'id="token-needs-second-factor"' in page
    assert 'id="token-form"' not in page
    refused = client.post(PAGE, {"name": "Ward dashboard", "scope": "read"})
    assert refused.status_code == 400
    assert "authenticator app" in refused.content.decode()
    assert not ApiToken.objects.exists()

    _verified(client, analyst)
    issued = client.post(PAGE, {"name": "Ward dashboard", "scope": "map"})
    assert issued.status_code == 200
    token = issued.context["issued"]["secret"]
    assert token.startswith("im_")
    assert f'<code id="token-secret">{token}</code>' in issued.content.decode()
    assert _api(token).get("/api/v1/heatmap/", HEAT).status_code == 200
    # Shown once: the page never shows it again.
    assert token not in client.get(PAGE).content.decode()


def test_the_form_says_what_is_missing(client, analyst):
    _verified(client, analyst)
    response = client.post(PAGE, {"name": "", "scope": "everything"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == ["Say what the token is for."]
    assert "scope" in errors


def test_only_the_digest_is_kept_and_the_token_expires(analyst, settings):
    token = factories.make_token(analyst)
    row = ApiToken.objects.get(user=analyst)
    assert token not in (row.digest, row.token_key)
    assert token.startswith(row.token_key)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM accounts_apitoken WHERE digest = %s", [token])
        assert cur.fetchone()[0] == 0
    lasts = row.expiry - row.created
    assert abs(lasts - timedelta(days=settings.API_TOKEN_DAYS)) < timedelta(minutes=1)
    assert settings.API_TOKEN_DAYS == 30

    assert _api(token).get(LOCATIONS).status_code == 200
    ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    expired = _api(token).get(LOCATIONS)
    assert expired.status_code == 403
    assert expired.json()["detail"] == "Invalid token."


def test_a_partner_is_offered_submitting_only(client):
    partner = factories.make_user(PARTNER)
    _verified(client, partner)
    form = client.get(PAGE).context["form"]
    assert [value for value, _ in form.fields["scope"].choices] == ["submit"]
    assert client.post(PAGE, {"name": "School", "scope": "read"}).status_code == 400


def test_the_owner_lists_and_revokes_their_tokens(client, analyst, tasking_officer):
    mine = factories.make_token(analyst, name="Tasking spreadsheet")
    theirs = factories.make_token(tasking_officer, name="Their script")
    _api(mine).get(LOCATIONS)
    client.force_login(analyst)
    page = client.get(PAGE)
    [listed] = page.context["tokens"]
    assert listed.name == "Tasking spreadsheet" and listed.last_used is not None
    assert "Their script" not in page.content.decode()

    # Someone else's token is not theirs to revoke.
    other = ApiToken.objects.get(user=tasking_officer)
    client.post("/accounts/tokens/revoke/", {"token": other.digest})
    assert _api(theirs).get(LOCATIONS).status_code == 200

    response = client.post("/accounts/tokens/revoke/", {"token": listed.digest})
    assert response.status_code == 302
    assert _api(mine).get(LOCATIONS).status_code == 403
    assert "no tokens in force" in client.get(PAGE).content.decode()


def test_an_administrator_revokes_anyones_token(client, analyst, admin_user):
    token = factories.make_token(analyst)
    client.force_login(admin_user)
    row = ApiToken.objects.get(user=analyst)
    listing = client.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200 and row.token_key in listing.content.decode()
    # Tokens are issued by their owners only.
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    assert _api(token).get(LOCATIONS).status_code == 403


def test_every_use_is_logged_as_the_user_behind_it(analyst):
    token = factories.make_token(analyst, name="Nightly sync")
    api = _api(token)
    api.get(LOCATIONS, REMOTE_ADDR="10.1.2.3")
    # The cached heat map runs the map's own view for the same request:
    # still one use.
    assert api.get("/api/v1/heatmap/", HEAT).status_code == 200
    _api(token).get("/api/v1/intelligence/export/")  # refused, still a use
    uses = list(ApiTokenUse.objects.order_by("id"))
    assert [(u.method, u.route.split("?")[0]) for u in uses] == [
        ("GET", LOCATIONS),
        ("GET", "/api/v1/heatmap/"),
        ("GET", "/api/v1/intelligence/export/"),
    ]
    assert {u.user_id for u in uses} == {analyst.pk}
    assert uses[0].username == analyst.username
    assert uses[0].token_name == "Nightly sync" and uses[0].ip == "10.1.2.3"
    assert token.startswith(uses[0].token_key)


def test_a_submit_token_reads_nothing(analyst, intel):
    api = _api(factories.make_token(analyst, scope="submit"))
    for url in (
        LOCATIONS,
        "/api/v1/intelligence/",
        f"/api/v1/intelligence/{intel.pk}/",
        "/api/v1/heatmap/?bbox=-1.60,52.36,-1.40,52.46&zoom=14",
        "/api/v1/areas/",
        "/api/v1/schema/",
    ):
        response = api.get(url, HTTP_X_JUSTIFICATION="Checking the nightly sync")
        assert response.status_code == 403, url
        assert b"scope does not allow" in response.content, url


def test_a_map_token_reads_only_the_map(analyst, intel, location):
    api = _api(factories.make_token(analyst, scope="map"))
    assert api.get("/api/v1/areas/").status_code == 200
    assert api.get(LOCATIONS).status_code == 200
    reason = {"HTTP_X_JUSTIFICATION": "Checking the ward dashboard"}
    for url in (
        "/api/v1/intelligence/",
        f"/api/v1/intelligence/{intel.pk}/",
        f"/api/v1/locations/{location.pk}/history/",
        "/api/v1/query/radius/?point=-1.5106,52.4081&radius=400",
        "/api/v1/legal-clocks/",
    ):
        assert api.get(url, **reason).status_code == 403, url


def test_no_token_writes_but_a_submit_token_submitting(analyst, location):
    read = _api(factories.make_token(analyst))
    flag = read.post(
        f"/api/v1/locations/{location.pk}/flags/", {}, content_type="application/json"
    )
    assert flag.status_code == 403
    justify = read.post(
        "/api/v1/justification/",
        {"justification": "A reason long enough"},
        content_type="application/json",
    )
    assert justify.status_code == 403


def _api_views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_views(entry, pattern)
        elif isinstance(entry, URLPattern) and pattern.startswith("api/v1/"):
            yield pattern, entry.callback


def test_every_api_view_holds_tokens_to_their_scope():
    """Every API view's permissions include the scope check, so a token
    cannot reach a view that forgot it (a new route is checked here)."""
    checked = 0
    for pattern, callback in _api_views():
        cls = getattr(callback, "cls", None)
        if cls is None or not issubclass(cls, APIView):
            continue
        view = cls()
        actions = getattr(callback, "actions", None) or {"get": None}
        for action in actions.values():
            view.action = action
            permissions = view.get_permissions()
            assert any(isinstance(p, TokenScopePermission) for p in permissions), (
                pattern,
                action,
            )
            checked += 1
    assert checked >= 20


def test_drf_plain_tokens_are_gone():
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('authtoken_token')")
        assert cur.fetchone()[0] is None
