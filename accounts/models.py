from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models

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
