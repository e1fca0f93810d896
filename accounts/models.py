from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


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


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    agency = models.CharField(max_length=32, choices=Agency.choices)
    rank = models.CharField(max_length=32, choices=Rank.choices, blank=True)
    team = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_agency_display()})"


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
        from .sessions import SessionStore

        return SessionStore
