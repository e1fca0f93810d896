"""The upload page: a preview writes nothing; importing writes the file
previewed, once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from licensing.models import Driver, PendingImport
from tests import factories

from .conftest import SAMPLES, register_csv, register_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(licensing_officer):
    client = Client()
    client.force_login(licensing_officer)
    factories.justify(client)
    return client


def _upload(path, name="register.csv"):
    return SimpleUploadedFile(name, path.read_bytes())


def test_preview_then_import(officer_client, licensing_officer):
    url = reverse("licensing:import")
    preview = officer_client.post(
        url,
        {"file": _upload(SAMPLES / "sample_register.csv"), "register": "drivers"},
    )
    assert preview.status_code == 200
    assert b"Preview: nothing has been written yet" in preview.content
    assert Driver.objects.count() == 0
    assert PendingImport.objects.count() == 1
    done = officer_client.post(url, {"confirm": "1"})
    assert done.status_code == 302
    assert Driver.objects.count() == 5
    assert set(Driver.objects.values_list("officer", flat=True)) == {
        licensing_officer.pk
    }
    assert not PendingImport.objects.exists()
    # Confirming again imports nothing more: the preview was taken.
    again = officer_client.post(url, {"confirm": "1"}, follow=True)
    assert b"preview the file first" in again.content


def test_a_broken_file_is_answered_400_naming_row_and_column(officer_client, tmp_path):
    rows = [register_row(1), register_row(2, **{"Licence Type": "Rickshaw"})]
    answer = officer_client.post(
        reverse("licensing:import"),
        {
            "file": _upload(register_csv(rows, tmp_path / "r.csv")),
            "register": "drivers",
        },
    )
    assert answer.status_code == 400
    assert "line 3, column “Licence Type”" in answer.content.decode()
    assert b"confirm-import" not in answer.content
    assert not PendingImport.objects.exists()
    assert Driver.objects.count() == 0
