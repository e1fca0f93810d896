from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/heatmap/"
BBOX = "-1.55,52.39,-1.47,52.43"


def heat(client, **params):
    return client.get(URL, {"bbox": BBOX, "zoom": 14, **params})


def test_cells_and_settings(client_for, analyst, area):
    for _ in range(4):
        factories.make_record()
    factories.make_record(point=factories.geom("POINT(-1.50 52.415)"))
    resp = heat(client_for(analyst))
    assert resp.status_code == 200
    body = resp.json()
    assert len(body["cells"]) == 2
    s = body["settings"]
    assert s["cell_m"] == 100
    assert s["bandwidth_m"] == 150
    assert s["weights"]["source"]["1"] > s["weights"]["source"]["2"]
    assert s["since"] and s["until"]
    counts = sorted(c[3] for c in body["cells"])
    assert counts == [1, 4]


def test_weights_by_grade_and_age(client_for, analyst, area):
    factories.make_record(source_evaluation="1", intelligence_assessment="A")
    factories.make_record(
        source_evaluation="2",
        intelligence_assessment="C",
        point=factories.geom("POINT(-1.50 52.415)"),
    )
    factories.make_record(
        occurred_from=timezone.now() - timedelta(days=80),
        source_evaluation="1",
        intelligence_assessment="A",
        point=factories.geom("POINT(-1.52 52.405)"),
    )
    cells = heat(client_for(analyst)).json()["cells"]
    weights = sorted(c[2] for c in cells)
    # 1A recent ~ 0.9, 2C recent = 0.3 x age, 1A 80 days old ~ 0.4
    assert weights[-1] > weights[1] > weights[0]


def test_low_grades_left_out_unless_asked(client_for, analyst, area):
    factories.make_record(intelligence_assessment="E")
    factories.make_record(source_evaluation="3")
    c = client_for(analyst)
    assert heat(c).json()["cells"] == []
    assert len(heat(c, include_low_grade="true").json()["cells"]) == 1


def test_filters_kind_and_min_grade(client_for, analyst, area):
    factories.make_record(kind="missing", missing_point="last_seen")
    factories.make_record(source_evaluation="2", intelligence_assessment="C")
    c = client_for(analyst)
    assert heat(c, kind="missing").json()["cells"][0][3] == 1
    assert heat(c, min_grade="2B").json()["cells"][0][3] == 1
    assert heat(c).json()["cells"][0][3] == 2


def test_roles_without_content_get_no_counts_and_small_cells_suppressed(
    client_for, licensing_officer, area
):
    for _ in range(3):
        factories.make_record()
    factories.make_record(point=factories.geom("POINT(-1.50 52.415)"))
    body = heat(client_for(licensing_officer)).json()
    assert len(body["cells"]) == 1
    assert len(body["cells"][0]) == 3  # lon, lat, weight: no count
    assert body["settings"]["small_cells_suppressed_below"] == 3


def test_payload_does_not_grow_with_records(client_for, analyst, area):
    c = client_for(analyst)
    factories.make_record()
    one = len(heat(c).content)
    for _ in range(30):
        factories.make_record()
    assert len(heat(c).json()["cells"]) == 1
    assert len(heat(c).content) <= one + 12  # only the digits of the numbers grow


def test_big_box_gets_coarser_cells(client_for, analyst):
    body = client_for(analyst).get(URL, {"bbox": "-3,51,0,54", "zoom": 16}).json()
    assert body["settings"]["cell_m"] > 25


@pytest.mark.parametrize(
    "params, field",
    [
        ({"zoom": 14}, "bbox"),
        ({"bbox": "1,2", "zoom": 14}, "bbox"),
        ({"bbox": BBOX}, "zoom"),
        ({"bbox": BBOX, "zoom": 40}, "zoom"),
        ({"bbox": BBOX, "zoom": 14, "since": "yesterday"}, "since"),
        ({"bbox": BBOX, "zoom": 14, "until": "2026-13-45"}, "until"),
        (
            {"bbox": BBOX, "zoom": 14, "since": "2026-05-01", "until": "2026-01-01"},
            "since",
        ),
        ({"bbox": BBOX, "zoom": 14, "kind": "rumour"}, "kind"),
        ({"bbox": BBOX, "zoom": 14, "min_grade": "9Z"}, "min_grade"),
        ({"bbox": BBOX, "zoom": 14, "tag": "nonsense"}, "tag"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client_for, analyst, params, field):
    resp = client_for(analyst).get(URL, params)
    assert resp.status_code == 400
    assert field in resp.json()


def test_heat_map_plan_choice_is_for_its_own_query_only(client_for, analyst, area):
    """The heat map turns plain index scans off for its binning query (to use
    the box-and-period GiST index) and back on for whatever follows in the
    same transaction; the index it is for exists."""
    from django.db import connection

    factories.make_record()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_indexscan = on")
        assert len(heat(client_for(analyst)).json()["cells"]) == 1
        cur.execute("SHOW enable_indexscan")
        assert cur.fetchone()[0] == "on"
        cur.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'intel_point_when_gist'"
        )
        assert "gist (point, occurred_from)" in cur.fetchone()[0]
