"""API tokens: django-rest-knox's hashed, expiring tokens, with a scope.

A token is issued from a signed-in session that has passed the second factor
(accounts.views_tokens), lasts API_TOKEN_DAYS, and is revoked by deleting it.
Its scope (accounts.models.TokenScope) narrows what its user's role may do,
never widens it:

- read: what the role reads (GET, and the queries that read by POST);
- submit: POST /api/v1/intelligence/ only; it reads nothing;
- map: the map's layers only (views marked with `token_scopes(MAP)`).

The scope is enforced by TokenScopePermission, which every API permission of
the product (accounts.roles.MapReader, intelligence's Submitter) extends, so
no API view can be reached without it; tests/accounts/test_api_tokens.py
walks the API's routes to keep it so. Every request made with a token is
written to accounts.ApiTokenUse as the user behind it.
"""

from collections.abc import Callable

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken, TokenScope

READ, SUBMIT, MAP = TokenScope.READ, TokenScope.SUBMIT, TokenScope.MAP
_READS = frozenset({READ})


class ScopedTokenAuthentication(TokenAuthentication):
    """knox's authentication (`Authorization: Token <token>`), writing each
    use to the token-use log as the token's user."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            from .services import api_token_use_log

            user, token = result
            api_token_use_log(token=token, request=request._request)
        return result


class ScopedTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular)."""

    target_class = "accounts.tokens.ScopedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An API token from /accounts/tokens/, with the prefix "Token".',
        }


def token_scopes(*scopes: str) -> Callable:
    """Mark an API view (a class, or a function wrapped by @api_view: put this
    above it) as usable by tokens of these scopes, whatever the method. A
    viewset may instead set `token_scopes = {action: {scopes}}`."""

    def mark(view):
        target = getattr(view, "cls", view)
        target.token_scopes = frozenset(scopes)
        return view

    return mark


def view_token_scopes(*, request, view) -> frozenset[str]:
    """The scopes of token that may make this request of this view: what the
    view declares, else read tokens for reads and none for writes."""
    declared = getattr(view, "token_scopes", None)
    if isinstance(declared, dict):
        declared = declared.get(getattr(view, "action", None))
    if declared is not None:
        return frozenset(declared)
    return _READS if request.method in SAFE_METHODS else frozenset()


def request_token(*, request) -> ApiToken | None:
    """The API token a DRF request was authenticated with, if any."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


SCOPE_REFUSED = "This API token's scope does not allow this request."


class TokenScopePermission(BasePermission):
    """A request made with a token is allowed only within the token's scope;
    then `role_allows` (what subclasses define) decides, token or session."""

    message = SCOPE_REFUSED

    def has_permission(self, request, view) -> bool:
        token = request_token(request=request)
        # A method the view does not have is answered 405, as for a session.
        handles = getattr(view, request.method.lower(), None) is not None
        if (
            token is not None
            and handles
            and token.scope not in view_token_scopes(request=request, view=view)
        ):
            self.message = SCOPE_REFUSED
            return False
        return self.role_allows(request, view)

    def role_allows(self, request, view) -> bool:
        return True
