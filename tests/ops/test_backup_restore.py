"""`make backup` then `make restore` into a fresh database gives back the same
rows, the same geometries to the byte, the derived columns (point_bng,
area_ids) and the triggers that keep them."""

import os
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Agency
from accounts.roles import LICENSING_OFFICER
from tests import factories

# The dump must see committed rows: not inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[2]

# Every geometry and derived column, compared as EWKB bytes per row.
GEOMETRY_COLUMNS = {
    "locations_area": ["geom", "geom_bng"],
    "locations_location": ["point", "footprint", "point_bng", "area_ids"],
    "intelligence_intelligencerecord": ["point", "point_bng", "area_ids"],
    "disruption_disruptionaction": ["point", "point_bng", "area_ids"],
}


def _database_url(name: str) -> str:
    # Backups and restores are the owner's work: a restore makes the tables.
    db = settings.DATABASE_OWNER
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgis://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"


def _connect(name: str) -> psycopg.Connection:
    db = settings.DATABASE_OWNER
    return psycopg.connect(
        dbname=name,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"],
        port=db["PORT"],
        autocommit=True,
    )


def _run(script: str, *args: str, database: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(database),
        "DATABASE_OWNER_URL": _database_url(database),
        "YES": "1",
    }
    return subprocess.run(
        ["bash", str(REPO / "scripts" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def _snapshot(conn: psycopg.Connection) -> dict:
    """Each public table's row count and a checksum of its rows' text (the
    geometry columns' text is their hex EWKB), every geometry as EWKB bytes,
    and every sequence's position."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename <> 'spatial_ref_sys' ORDER BY tablename"
        )
    ]
    snap = {"tables": {}, "geometries": {}, "sequences": {}}
    for table in tables:
        snap["tables"][table] = conn.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n'"
            f" ORDER BY t::text), '')) FROM public.{table} t"
        ).fetchone()
    for table, columns in GEOMETRY_COLUMNS.items():
        cols = ", ".join(c if c == "area_ids" else f"ST_AsEWKB({c})" for c in columns)
        snap["geometries"][table] = conn.execute(
            f"SELECT id, {cols} FROM public.{table} ORDER BY id"
        ).fetchall()
    snap["sequences"] = dict(
        conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences"
            " WHERE schemaname = 'public'"
        ).fetchall()
    )
    return snap


def _seed():
    ward = factories.make_area()
    lsoa = factories.make_area(
        area_type="lsoa",
        geom=factories.geom(
            "MULTIPOLYGON(((-1.52 52.40, -1.50 52.40, -1.50 52.41, -1.52 52.41,"
            " -1.52 52.40)))"
        ),
    )
    footprint = factories.geom(
        "MULTIPOLYGON(((-1.5108 52.4080, -1.5104 52.4080, -1.5104 52.4083,"
        " -1.5108 52.4083, -1.5108 52.4080)))"
    )
    hotel = factories.make_location(footprint=footprint, concern_level="high")
    home = factories.make_location(
        category="childrens_home",
        point=factories.geom("POINT(-1.505 52.405)"),
        footprint=factories.geom(
            "MULTIPOLYGON(((-1.5052 52.4049, -1.5048 52.4049, -1.5048 52.4052,"
            " -1.5052 52.4049)))"
        ),
    )
    outside = factories.make_location(point=factories.geom("POINT(-1.60 52.45)"))
    now = timezone.now()
    records = [
        factories.make_record(),
        factories.make_record(
            handling_code="C", handling_conditions="Police only.", tags=["hotel_party"]
        ),
        factories.make_record(point=factories.geom("POINT(-1.505 52.405)")),
    ]
    for record, location in zip(records, [hotel, home, outside], strict=True):
        record.location_links.create(location=location, link_type="occurred_at")
    factories.make_action(location=hotel)
    factories.make_action(
        agency=Agency.LICENSING, location=home, occurred_at=now - timedelta(days=3)
    )
    officer = factories.make_user(LICENSING_OFFICER, "backup-officer")
    factories.make_flag(location=hotel, user=officer)
    return ward, lsoa, home


def test_restore_into_a_fresh_database_gives_back_the_same_data(tmp_path, capsys):
    ward, lsoa, home = _seed()
    source = connection.settings_dict["NAME"]
    fresh = f"{source}_restore"
    dump = tmp_path / "intel-map.dump"

    started = time.monotonic()
    out = _run("backup.sh", str(dump), database=source).stdout
    backup_s = time.monotonic() - started
    assert str(dump) in out and dump.stat().st_size > 0

    with _connect(source) as owner:
        owner.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        owner.execute(f'CREATE DATABASE "{fresh}"')
    try:
        started = time.monotonic()
        out = _run("restore.sh", str(dump), database=fresh).stdout
        restore_s = time.monotonic() - started
        assert "schema is up to date" in out

        with _connect(source) as a, _connect(fresh) as b:
            before, after = _snapshot(a), _snapshot(b)
            # The restored database's triggers still derive the columns: a
            # moved point gets its grid position and areas anew.
            moved = b.execute(
                "UPDATE locations_location SET point = ST_SetSRID("
                "ST_MakePoint(-1.495, 52.415), 4326) WHERE id = %s"
                " RETURNING ST_X(point_bng) > 0, area_ids",
                [home.pk],
            ).fetchone()
    finally:
        with _connect(source) as owner:
            owner.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')

    assert before["tables"] == after["tables"]
    assert before["geometries"] == after["geometries"]
    assert before["sequences"] == after["sequences"]
    # What was compared is the data made above, not empty tables.
    counts = {t: n for t, (n, _) in before["tables"].items()}
    assert counts["locations_location"] == 3
    assert counts["intelligence_intelligencerecord"] == 3
    assert counts["disruption_disruptionaction"] == 2
    assert counts["locations_area"] == 2
    locations = before["geometries"]["locations_location"]
    assert all(row[3] is not None for row in locations)  # point_bng
    assert sorted(locations[0][4]) == sorted([ward.pk, lsoa.pk])  # area_ids
    assert locations[2][4] == []  # outside every area
    assert moved == (True, [ward.pk])

    with capsys.disabled():
        print(
            f"\nbackup/restore: {len(before['tables'])} tables"
            f" ({sum(counts.values())} rows), "
            f"{sum(len(v) for v in before['geometries'].values())} geometry rows,"
            f" {len(before['sequences'])} sequences identical;"
            f" dump {dump.stat().st_size} bytes,"
            f" backup {backup_s:.1f} s, restore {restore_s:.1f} s"
        )


def _restore_refused(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "YES"}
    env["DATABASE_URL"] = _database_url(connection.settings_dict["NAME"])
    return subprocess.run(
        ["bash", str(REPO / "scripts" / "restore.sh"), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_restore_needs_a_file_and_a_confirmation(tmp_path):
    result = _restore_refused()
    assert result.returncode == 2
    assert "FILE=" in result.stderr
    not_a_dump = tmp_path / "notes.txt"
    not_a_dump.write_text("not a backup")
    result = _restore_refused(str(not_a_dump))
    assert result.returncode == 2
    assert "not a backup" in result.stderr
    # A real dump, but no YES=1 and nobody at a terminal to answer.
    dump = tmp_path / "intel-map.dump"
    _run("backup.sh", str(dump), database=connection.settings_dict["NAME"])
    result = _restore_refused(str(dump))
    assert result.returncode == 2
    assert "YES=1" in result.stderr
