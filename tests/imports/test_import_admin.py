import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportRun
from locations.models import Location

pytestmark = pytest.mark.django_db


def upload(files, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (files / name).read_bytes())


def test_administrator_uploads_a_file_and_sees_the_report(client, admin_user, files):
    client.force_login(admin_user)
    add = reverse("admin:imports_importrun_add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "format": "fhrs",
            "upload": upload(files, "fhrs-small.xml"),
            "types": ["takeaway"],
        },
        follow=True,
    )
    run = ImportRun.objects.get()
    assert run.succeeded and run.created_by == admin_user
    assert run.report["created"] == 1 and run.report["skipped"] == 5
    page = response.content.decode()
    assert "FHRS premises from fhrs-small.xml" in page
    assert "read 11, created 1" in page
    assert "rejected FHRSID 900007" in page
    assert Location.objects.filter(fhrs_id="900001").exists()


def test_broken_upload_is_recorded_and_changes_nothing(client, admin_user, files):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:imports_importrun_add"),
        {"format": "fhrs", "upload": upload(files, "fhrs-broken.xml")},
        follow=True,
    )
    run = ImportRun.objects.get()
    assert not run.succeeded
    assert "broken XML at line 10" in response.content.decode()
    assert not Location.objects.exists()


def test_zipped_shapefile_upload_with_srid(client, admin_user, files, tmp_path):
    import zipfile

    archive = tmp_path / "wards.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for ext in ("shp", "shx", "dbf"):
            z.write(files / f"wards-bng.{ext}", f"wards/wards-bng.{ext}")
    client.force_login(admin_user)
    client.post(
        reverse("admin:imports_importrun_add"),
        {
            "format": "areas",
            "upload": SimpleUploadedFile("wards.zip", archive.read_bytes()),
            "area_type": "ward",
            "code_field": "WD13CD",
            "name_field": "WD13NM",
            "srid": "27700",
        },
    )
    assert ImportRun.objects.get().report["created"] == 2


def test_boundaries_need_their_fields(client, admin_user, files):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:imports_importrun_add"),
        {"format": "areas", "upload": upload(files, "wards-small.geojson")},
    )
    assert response.status_code == 200
    assert "Needed for boundaries." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_other_roles_cannot_import(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("admin:imports_importrun_add"))
    assert response.status_code in (302, 403)
