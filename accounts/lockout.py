"""Sign-in lock-out in two tiers (django-axes), with a cool-off.

- A username tried from one address: locked there after AXES_FAILURE_LIMIT
  failures (a colleague mistyping does not lock the office behind the same
  NAT address, and the user can still sign in from elsewhere).
- A username tried from anywhere: locked everywhere after
  AXES_USERNAME_FAILURE_LIMIT failures (an attacker rotating addresses).

Either lock lifts AXES_COOLOFF_TIME after the last failure that counted;
failures while locked do not extend it. Every lock-out and every unlock by
an administrator is written to accounts.SignInEvent (append-only).
"""

from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Max, Sum

# The order of settings.AXES_LOCKOUT_PARAMETERS, with each tier's limit.
TIERS = ("username and address", "username")


def tier_limits() -> tuple[int, int]:
    return settings.AXES_FAILURE_LIMIT, settings.AXES_USERNAME_FAILURE_LIMIT


class TieredLockoutHandler(AxesDatabaseHandler):
    """axes compares one failure count with one limit (AXES_FAILURE_LIMIT).
    Each tier's count is scaled to that limit, so the count reaches it
    exactly when one tier reaches its own: floor(n * L / T) >= L iff n >= T."""

    def get_failures(self, request, credentials=None) -> int:
        base = settings.AXES_FAILURE_LIMIT
        counts = [
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for qs in self.get_user_attempts(request, credentials)
        ]
        return max(
            (n * base // limit for n, limit in zip(counts, tier_limits(), strict=True)),
            default=0,
        )


def lockout_tier(*, request, credentials=None) -> str:
    """Which tier locked this request (for the audit)."""
    handler = TieredLockoutHandler()
    for name, qs, limit in zip(
        TIERS,
        handler.get_user_attempts(request, credentials),
        tier_limits(),
        strict=True,
    ):
        if (qs.aggregate(n=Sum("failures_since_start"))["n"] or 0) >= limit:
            return name
    return TIERS[0]


def lockout_ends(*, request, credentials=None) -> datetime | None:
    """When the lock on this request lifts: the cool-off after the latest
    failure that counts towards it."""
    handler = TieredLockoutHandler()
    latest = [
        qs.aggregate(at=Max("attempt_time"))["at"]
        for qs in handler.get_user_attempts(request, credentials)
    ]
    latest = [at for at in latest if at is not None]
    return max(latest) + settings.AXES_COOLOFF_TIME if latest else None


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    from .services import signin_lockout_record

    # axes sends this for the failure that locks and again for each attempt
    # refused while locked; only the first is a lock-out.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    signin_lockout_record(
        username=username or "",
        ip=ip_address,
        detail=lockout_tier(request=request, credentials={"username": username}),
    )


def lockout_signals_connect() -> None:
    user_locked_out.connect(_on_locked_out, dispatch_uid="accounts-lockout-audit")
