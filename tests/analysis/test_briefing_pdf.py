"""The briefing pack: made as a PDF, its pages rendered to PNG and read."""

import subprocess
from datetime import date, timedelta

import numpy as np
import pytest
from django.db.models import Q
from django.utils import timezone
from PIL import Image

from audit.models import AccessLogEntry
from disruption.services import meeting_open, tasking_create
from intelligence.models import IntelligenceRecord
from locations.models import Location
from tests import factories
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_with_work(scene, tasking_officer, safety_officer):
    hotel = scene[0]
    meeting, _ = meeting_open(group="cse_mog", held_on=date(2026, 2, 28))
    tasking_create(
        meeting=meeting,
        target_location=hotel,
        target_description=hotel.name,
        reason="Train night staff; check bookings for walk-ins with young people",
        priority="high",
        owner_agency="community_safety",
        owner_officer=safety_officer,
        due_date=date(2026, 3, 7),  # long past: overdue
    )
    now = timezone.now()
    factories.make_action(
        action_type="cawn",
        location=hotel,
        served_at=now - timedelta(days=300),
        expires_at=now + timedelta(days=3),
        outcome="notice_served",
    )
    return meeting


def _render(pdf: bytes, tmp_path) -> list[Image.Image]:
    src = tmp_path / "briefing.pdf"
    src.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(src), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    ARTIFACTS.mkdir(exist_ok=True)
    images = []
    for i, path in enumerate(pages, start=1):
        image = Image.open(path).convert("RGB")
        image.save(ARTIFACTS / f"briefing-page-{i}.png")
        images.append(image)
    return images


def test_briefing_pack_pdf(client, tasking_officer, meeting_with_work, tmp_path):
    client.force_login(tasking_officer)
    response = client.get(
        f"/analysis/meetings/{meeting_with_work.pk}/briefing.pdf",
        {"justification": "Briefing for the CSE operational group"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")

    pages = _render(pdf, tmp_path)
    assert len(pages) >= 2
    first = np.asarray(pages[0]).astype(int)
    # The map: the ranked-location marker (#14213d) and ward outline grey
    # (#4a5568) are drawn in the map's box, not a blank placeholder.
    h, w, _ = first.shape
    box = first[int(h * 0.09) : int(h * 0.78), int(w * 0.08) : int(w * 0.94)]
    navy = (np.abs(box - [0x14, 0x21, 0x3D]).sum(axis=2) < 40).sum()
    grey = (np.abs(box - [0x4A, 0x55, 0x68]).sum(axis=2) < 40).sum()
    assert navy > 20 and grey > 50
    non_white = (box.sum(axis=2) < 700).mean()
    assert non_white > 0.02

    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Briefing pack: CSE and missing operational group 28 Feb 2026" in text
    assert "1. Hotel A" in text
    assert "2 reports in the last 28 days, 2 graded 2B or better" in text
    assert "OVERDUE" in text and "Train night staff" in text
    assert "Community safety /" in text
    assert "CAWN ends" in text and "in 3 days" in text
    assert "Settings used" in text and "halves every 28 days" in text


def test_briefing_pack_asks_its_own_reason_and_is_logged(
    client, tasking_officer, meeting_with_work
):

    client.force_login(tasking_officer)
    factories.justify(client, "Session reason does not cover exports")
    url = f"/analysis/meetings/{meeting_with_work.pk}/briefing.pdf"
    asked = client.get(url, {"days": 28})
    assert asked.status_code == 428
    page = asked.content.decode()
    assert 'id="export-reason-form"' in page and 'name="days" value="28"' in page
    assert client.get(url, {"justification": "abc"}).status_code == 400
    assert not AccessLogEntry.objects.exists()

    resp = client.get(url, {"days": 28, "justification": "Pack for the CSE MOG"})
    assert resp.content.startswith(b"%PDF")
    [entry] = AccessLogEntry.objects.all()
    assert (entry.action, entry.justification) == ("exported", "Pack for the CSE MOG")
    # The records the listed hot spots (Hotel A, Takeaway B) were scored
    # from: within 200 m, in the period, grade E and source 3 left out.
    hotel, takeaway = (Location.objects.get(name=n) for n in ("Hotel A", "Takeaway B"))
    near = Q(point_bng__dwithin=(hotel.point_bng, 200)) | Q(
        point_bng__dwithin=(takeaway.point_bng, 200)
    )
    expected = (
        IntelligenceRecord.objects.filter(near)
        .exclude(source_evaluation="3")
        .exclude(intelligence_assessment="E")
    )
    assert sorted(entry.record_ids) == sorted(expected.values_list("id", flat=True))
    assert len(entry.record_ids) == 4
