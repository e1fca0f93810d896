"""Reading accounts: a user's API tokens and when each was last used."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max
from django.utils import timezone

from .models import ApiToken, ApiTokenUse


def api_token_list(*, user: AbstractBaseUser) -> list[ApiToken]:
    """The user's tokens still in force, newest first, each with `last_used`
    (None if never used)."""
    tokens = list(
        ApiToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by(
            "-created"
        )
    )
    last = dict(
        ApiTokenUse.objects.filter(
            user=user, token_key__in=[t.token_key for t in tokens]
        )
        .values("token_key")
        .annotate(last=Max("at"))
        .values_list("token_key", "last")
    )
    for token in tokens:
        token.last_used = last.get(token.token_key)
    return tokens
