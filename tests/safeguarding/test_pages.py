"""The safeguarding pages as their users meet them: a practitioner screens
a young person and the page shows the rule's outcome; every page is a
logged consultation with the session's reason; the agenda pack is a PDF;
any other role gets 404, as a missing page does."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AccessLogEntry
from people.models import SubjectConsultation
from people.services import link_mention
from safeguarding.models import PanelCase, Screening
from safeguarding.services import panel_case_open, panel_meeting_open
from tests import factories

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    factories.justify(client)
    return client


def test_a_practitioner_screens_and_the_outcome_follows_the_rule(cast):
    client = _client(cast.practitioner)
    form = {}
    for ind in cast.tool.indicators.all():
        form[f"p_{ind.pk}"] = "present" if ind.code == "disclosure" else "absent"
        form[f"w_{ind.pk}"] = "now"
        form[f"c_{ind.pk}"] = ""
    response = client.post(
        reverse("safeguarding:screen", args=[cast.young.pk]), form, follow=True
    )
    assert response.status_code == 200
    screening = Screening.objects.get(subject=cast.young)
    assert screening.outcome == "significant_risk"
    page = response.content.decode()
    assert "Significant risk" in page and "1. A disclosure present now" in page
    entry = AccessLogEntry.objects.filter(user=cast.practitioner).latest("id")
    assert entry.what.startswith("Safeguarding: screening")
    assert entry.justification
    assert SubjectConsultation.objects.get(entry=entry).subject_ids == [cast.young.pk]


def test_an_override_without_reason_is_answered_400_with_the_reason_asked(cast):
    client = _client(cast.practitioner)
    form = {"outcome": "at_risk"}
    for ind in cast.tool.indicators.all():
        form.update({f"p_{ind.pk}": "absent", f"w_{ind.pk}": "now"})
    response = client.post(reverse("safeguarding:screen", args=[cast.young.pk]), form)
    assert response.status_code == 400
    assert "Say why the outcome differs" in response.content.decode()
    assert not Screening.objects.exists()


@pytest.mark.parametrize("who", ["analyst", "police"])
def test_other_roles_get_404_as_for_a_missing_page(cast, who):
    client = _client(getattr(cast, who))
    for url in (
        reverse("safeguarding:index"),
        reverse("safeguarding:young-person", args=[cast.young.pk]),
        reverse("safeguarding:screen", args=[cast.young.pk]),
        reverse("safeguarding:masp"),
        reverse("safeguarding:panels"),
    ):
        assert client.get(url).status_code == 404, url


def test_a_person_of_interest_has_no_young_person_page(cast):
    client = _client(cast.practitioner)
    url = reverse("safeguarding:young-person", args=[cast.poi.pk])
    assert client.get(url).status_code == 404


def test_the_masp_queue_shows_the_episode_and_its_clock(cast):
    from django.utils import timezone

    now = timezone.now()
    record = factories.make_record(
        kind="missing",
        missing_point="found",
        occurred_from=now - timedelta(hours=60),
    )
    link_mention(record=record, entity=cast.young)
    response = _client(cast.practitioner).get(reverse("safeguarding:masp"))
    page = response.content.decode()
    assert record.reference in page and cast.young.reference in page
    assert 'data-state="due"' in page
    entry = AccessLogEntry.objects.filter(what="Safeguarding: MASP queue").get()
    assert entry.record_ids == [record.pk]


def test_the_agenda_pack_is_a_pdf_of_the_cases_due(cast):
    meeting = panel_meeting_open(panel="cse_mog", held_on=date.today())
    panel_case_open(panel="cse_mog", subject=cast.young, user=cast.practitioner)
    panel_case_open(panel="perpetrator", subject=cast.poi, user=cast.practitioner)
    client = _client(cast.practitioner)
    agenda = client.get(reverse("safeguarding:panel", args=[meeting.pk]))
    assert cast.young.reference in agenda.content.decode()
    assert cast.poi.reference not in agenda.content.decode()
    response = client.get(reverse("safeguarding:panel-pack", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(
        what__startswith="Safeguarding: agenda pack", action="exported"
    ).exists()
    assert PanelCase.objects.count() == 2
