"""Hot-spot rows, tasking targets, legal clocks and did-it-work lead to the
location's page in one click."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from disruption.services import disruption_log, meeting_create, tasking_create
from tests import factories

pytestmark = pytest.mark.django_db


def test_tasking_targets_and_clocks_link_to_the_location(client, analyst):
    hotel = factories.make_location(name="Canal Hotel")
    meeting = meeting_create(group="cse_mog", held_on=date.today())
    tasking = tasking_create(
        meeting=meeting,
        target_location=hotel,
        reason="Visit",
        priority="high",
        owner_agency="police",
        due_date=date.today() + timedelta(days=3),
    )
    now = timezone.now()
    disruption_log(
        action_type="cawn",
        outcome="notice_served",
        occurred_at=now - timedelta(days=30),
        location=hotel,
        agency="police",
        served_at=now - timedelta(days=30),
        expires_at=now + timedelta(days=3),
    )
    link = f'href="/locations/{hotel.pk}/"'
    client.force_login(analyst)
    factories.justify(client)
    for url in (
        f"/analysis/meetings/{meeting.pk}/",
        f"/analysis/taskings/{tasking.pk}/",
        "/analysis/clocks/",
        f"/analysis/did-it-work/{hotel.pk}/",
    ):
        assert link in client.get(url).content.decode(), url


def test_hot_spot_rows_link_to_the_location(client, analyst):
    hotel = factories.make_location(name="Busy Hotel")
    for days in range(1, 6):
        rec = factories.make_record(occurred_from=timezone.now() - timedelta(days=days))
        rec.location_links.create(location=hotel, link_type="occurred_at")
    client.force_login(analyst)
    html = client.get("/analysis/hotspots/").content.decode()
    row = html[html.index(f'data-location="{hotel.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'href="/locations/{hotel.pk}/"' in row
