from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from knox.models import AbstractAuthToken

from audit.triggers import append_only_triggers
from history.tracking import tracked


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    LICENSING = "licensing", "Council licensing"
    COMMUNITY_SAFETY = "community_safety", "Community safety"
    YOUTH_SERVICES = "youth_services", "Youth services"
    SOCIAL_CARE = "social_care", "Children's social care"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    FIRE = "fire", "Fire and rescue"
    OTHER = "other", "Other"


class Rank(models.TextChoices):
    """Police ranks, where a power depends on one (a s.116 notice needs an
    inspector or above; a 48-hour closure notice a superintendent)."""

    NONE = "", "Not a police officer"
    CONSTABLE = "constable", "Constable"
    SERGEANT = "sergeant", "Sergeant"
    INSPECTOR = "inspector", "Inspector"
    CHIEF_INSPECTOR = "chief_inspector", "Chief inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"
    CHIEF_SUPERINTENDENT = "chief_superintendent", "Chief superintendent"


RANK_ORDER = [r.value for r in Rank if r.value]


@tracked()
class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    agency = models.CharField(max_length=32, choices=Agency.choices)
    rank = models.CharField(max_length=32, choices=Rank.choices, blank=True)
    team = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_agency_display()})"


# Who may do what changes too: a user's details and their role (group
# membership) keep their history like any record. Never the password hash;
# not last_login, which moves at every sign-in and is nobody's edit. Proxies,
# so the triggers' migrations live in this app, not in django.contrib.auth.
@tracked(exclude=("password", "last_login"), model_name="UserEvent")
class TrackedUser(User):
    class Meta:
        proxy = True


@tracked(model_name="UserRoleEvent")
class TrackedUserRole(User.groups.through):
    class Meta:
        proxy = True


class UserSession(AbstractBaseSession):
    """A session, with the user signed in to it (none before sign-in)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = "session"

    @classmethod
    def get_session_store_class(cls):
        # The cycle with accounts.sessions is Django's session-engine pattern.
        from .sessions import SessionStore

        return SessionStore


# --- API tokens (django-rest-knox) ---------------------------------------------


class TokenScope(models.TextChoices):
    """What a token may be used for (accounts.tokens.TokenScopePermission):
    whatever its scope, it never shows more than its user's role may see."""

    READ = "read", "Read only: what your role reads, no changes"
    SUBMIT = "submit", "Submit only: send intelligence in, read nothing"
    MAP = "map", "Map only: the map's layers (heat map, areas, places, hot spots)"


class ApiToken(AbstractAuthToken):
    """An API token. Only its SHA-512 digest is stored (knox): the token
    itself is shown once, when it is issued. It always expires
    (API_TOKEN_DAYS), and revoking it deletes the row."""

    name = models.CharField(
        max_length=100, help_text="What it is for, e.g. the system that uses it."
    )
    scope = models.CharField(max_length=8, choices=TokenScope.choices)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=TokenScope.values), name="api_token_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(expiry__isnull=False), name="api_token_expires"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_scope_display().split(':')[0]})"


class ApiTokenUse(models.Model):
    """One request made with an API token, as the user behind it. Rows are
    only ever inserted: the database refuses UPDATE, DELETE and TRUNCATE."""

    at = models.DateTimeField(db_default=Now(), db_index=True, editable=False)
    # PROTECT: a user whose tokens were used is deactivated, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField(max_length=150)
    # The token's first characters (knox's token_key), never the token: it
    # names the token after it is revoked and its row deleted.
    token_key = models.CharField(max_length=25, db_index=True)
    token_name = models.CharField(max_length=100)
    scope = models.CharField(max_length=8, choices=TokenScope.choices)
    method = models.CharField(max_length=10)
    route = models.CharField(max_length=2000)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "API token use"
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.method} {self.route}"


# --- Sign-in lock-outs ---------------------------------------------------------


class SignInEventKind(models.TextChoices):
    LOCKED = "locked", "Locked out after failed sign-ins"
    UNLOCKED = "unlocked", "Unlocked by an administrator"


class SignInEvent(models.Model):
    """A lock-out (django-axes) or an administrator's unlock. Append-only,
    like the access log. The username is the one typed, which may belong
    to no account."""

    at = models.DateTimeField(db_default=Now(), db_index=True, editable=False)
    kind = models.CharField(max_length=10, choices=SignInEventKind.choices)
    username = models.CharField(max_length=255, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # What was locked ("username and address", "username") or, for an
    # unlock, how many failed attempts were cleared.
    detail = models.CharField(max_length=200, blank=True)
    # The administrator who unlocked.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "sign-in lock-out or unlock"
        verbose_name_plural = "sign-in lock-outs and unlocks"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SignInEventKind.values),
                name="sign_in_event_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind=SignInEventKind.LOCKED) | Q(by__isnull=False),
                name="sign_in_unlock_has_admin",
            ),
        ]
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()}: {self.username}"
