import json

import pytest

from audit.models import AccessLogEntry
from people.models import SubjectConsultation

pytestmark = pytest.mark.django_db

GRAPH = "/api/v1/links/graph/"
PATH = "/api/v1/links/path/"


def _graph(client, centre, **params):
    return client.get(GRAPH, {"centre": centre, **params})


def test_analyst_expands_from_hotel_to_the_car_and_its_driver(
    client_for, analyst, scene
):
    answer = _graph(client_for(analyst), f"location:{scene.hotel_a.pk}", hops=2)
    assert answer.status_code == 200
    body = answer.json()
    ids = {n["id"]: n for n in body["nodes"]}
    assert body["centre"] == f"location:{scene.hotel_a.pk}"
    assert ids[f"location:{scene.hotel_a.pk}"]["hops"] == 0
    assert ids[f"record:{scene.r1.pk}"]["hops"] == 1
    assert ids[f"subject:{scene.poi.pk}"]["label"] == scene.poi.reference
    assert ids[f"vehicle:{scene.car.pk}"]["label"] == "AB12CDE"
    assert ids[f"vehicle:{scene.car.pk}"]["url"] == f"/people/vehicles/{scene.car.pk}/"
    edge = next(e for e in body["edges"] if e["id"] == f"link:{scene.frequents.pk}")
    assert edge["source"] == f"subject:{scene.poi.pk}"
    assert edge["target"] == f"location:{scene.hotel_a.pk}"
    assert edge["type"] == "frequents"
    assert edge["records"] == [scene.r1.pk]
    # 2B: known indirectly but corroborated, from an untested source.
    assert edge["confidence"] == "high"
    assert edge["first_seen"] == scene.r1.occurred_from.date().isoformat()
    # A record's place is dated as a link is: a day, not a moment (the map's
    # track reads it as one).
    place = next(
        e
        for e in body["edges"]
        if e["source"] == f"record:{scene.r1.pk}"
        and e["target"] == f"location:{scene.hotel_a.pk}"
    )
    assert place["first_seen"] == scene.r1.occurred_from.date().isoformat()
    assert body["suppressed"] == {}


def test_hops_limit_how_far_the_graph_goes(client_for, analyst, scene):
    one = _graph(client_for(analyst), f"location:{scene.hotel_a.pk}", hops=1).json()
    ids = {n["id"] for n in one["nodes"]}
    assert f"record:{scene.r1.pk}" in ids
    assert f"vehicle:{scene.car.pk}" not in ids
    assert max(n["hops"] for n in one["nodes"]) == 1


def test_analyst_sees_the_young_person(client_for, analyst, scene):
    body = _graph(client_for(analyst), f"vehicle:{scene.car.pk}").json()
    assert f"subject:{scene.young.pk}" in {n["id"] for n in body["nodes"]}


def test_tasking_officer_learns_only_that_a_young_person_is_linked(
    client_for, tasking_officer, scene
):
    answer = _graph(client_for(tasking_officer), f"vehicle:{scene.car.pk}", hops=3)
    assert answer.status_code == 200
    text = answer.content.decode()
    assert scene.young.reference not in text
    assert f'subject:{scene.young.pk}"' not in text
    assert f'link:{scene.seen_in.pk}"' not in text
    body = json.loads(text)
    # Only the link to the car: the home is reached through the young person
    # alone, so it is not in the graph either.
    assert body["suppressed"] == {"young_person_links": 1}
    assert f"location:{scene.home.pk}" not in text
    # The poi is still there.
    assert f"subject:{scene.poi.pk}" in {n["id"] for n in body["nodes"]}


def test_tasking_officer_cannot_centre_on_a_young_person(
    client_for, tasking_officer, scene
):
    answer = _graph(client_for(tasking_officer), f"subject:{scene.young.pk}")
    assert answer.status_code == 404
    missing = _graph(client_for(tasking_officer), "subject:999999")
    assert missing.status_code == 404
    assert answer.json() == missing.json()


def test_licensing_officer_gets_counts_and_nothing_restricted(
    client_for, licensing_officer, scene
):
    answer = _graph(client_for(licensing_officer), f"location:{scene.hotel_a.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert [n["id"] for n in body["nodes"]] == [f"location:{scene.hotel_a.pk}"]
    assert body["edges"] == []
    # poi (frequents, and via r1 nothing else), poi_c (frequents on the C
    # record): 2 people, shown as "<3"; the car, mentioned in r1: "<3".
    assert body["suppressed"] == {"linked_subjects": "<3", "linked_vehicles": "<3"}
    text = answer.content.decode()
    for secret in (scene.poi.reference, scene.young.reference, "AB12CDE"):
        assert secret not in text
    assert "record:" not in text and "subject:" not in text
    for centre in (f"subject:{scene.poi.pk}", f"vehicle:{scene.car.pk}"):
        assert _graph(client_for(licensing_officer), centre).status_code == 404
    assert (
        client_for(licensing_officer)
        .get(
            PATH,
            {
                "from": f"location:{scene.hotel_a.pk}",
                "to": f"location:{scene.hotel_b.pk}",
            },
        )
        .status_code
        == 404
    )


def test_partner_is_refused(client_for, scene):
    from accounts.roles import PARTNER
    from tests.factories import make_user

    partner = make_user(PARTNER)
    assert (
        _graph(client_for(partner), f"location:{scene.hotel_a.pk}").status_code == 403
    )


@pytest.mark.parametrize(
    "params, field",
    [
        ({"centre": "hotel:1"}, "centre"),
        ({"centre": "location:abc"}, "centre"),
        ({"centre": "location:0"}, "centre"),
        ({"centre": "location:1", "hops": "4"}, "hops"),
        ({"centre": "location:1", "hops": "0"}, "hops"),
        ({"centre": "location:1", "hops": "two"}, "hops"),
        ({"centre": "location:1", "min_grade": "Z"}, "min_grade"),
        ({"centre": "location:1", "link_types": "knows"}, "link_types"),
        ({"centre": "location:1", "since": "2026-13-01"}, "since"),
        ({}, "centre"),
    ],
)
def test_bad_graph_parameters_are_named(client_for, analyst, params, field):
    answer = client_for(analyst).get(GRAPH, params)
    assert answer.status_code == 400
    assert field in answer.json()


@pytest.mark.parametrize(
    "params, field",
    [
        ({"to": "location:1"}, "from"),
        ({"from": "location:1", "to": "place:2"}, "to"),
        ({"from": "location:1", "to": "location:2", "max_hops": "5"}, "max_hops"),
    ],
)
def test_bad_path_parameters_are_named(client_for, analyst, params, field):
    answer = client_for(analyst).get(PATH, params)
    assert answer.status_code == 400
    assert field in answer.json()


def test_path_between_two_hotels_runs_through_the_car(client_for, analyst, scene):
    answer = client_for(analyst).get(
        PATH,
        {"from": f"location:{scene.hotel_a.pk}", "to": f"location:{scene.hotel_b.pk}"},
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["from"] == f"location:{scene.hotel_a.pk}"
    assert body["paths"]
    shortest = body["paths"][0]
    labels = [n["label"] for n in shortest["nodes"]]
    assert labels[0] == "Grand Hotel" and labels[-1] == "Station Hotel"
    assert "AB12CDE" in labels
    assert len(shortest["edges"]) == 4
    assert all(e["records"] for e in shortest["edges"])
    # Each step joins the node before it to the node after it.
    for i, edge in enumerate(shortest["edges"]):
        ends = {edge["source"], edge["target"]}
        assert ends == {shortest["nodes"][i]["id"], shortest["nodes"][i + 1]["id"]}


def test_no_path_within_the_hops_asked(client_for, analyst, scene):
    answer = client_for(analyst).get(
        PATH,
        {
            "from": f"location:{scene.hotel_a.pk}",
            "to": f"location:{scene.hotel_b.pk}",
            "max_hops": 3,
        },
    )
    assert answer.status_code == 200
    assert answer.json()["paths"] == []


def test_filters_by_link_type_and_grade(client_for, analyst, scene):
    body = _graph(
        client_for(analyst), f"subject:{scene.poi.pk}", link_types="drives"
    ).json()
    assert {e["type"] for e in body["edges"]} == {"drives"}
    low = _graph(client_for(analyst), f"location:{scene.home.pk}", min_grade="C").json()
    # r3 is graded 3D: below C, so the home stands alone.
    assert low["edges"] == []


def test_graph_needs_a_reason_and_is_logged_with_what_it_showed(
    client_for, analyst, scene
):
    refused = _graph(
        client_for(analyst, justification=None), f"location:{scene.hotel_a.pk}"
    )
    assert refused.status_code == 428
    before = AccessLogEntry.objects.count()
    body = _graph(client_for(analyst), f"location:{scene.hotel_a.pk}", hops=2).json()
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.order_by("-id").first()
    shown_records = {r for e in body["edges"] for r in e["records"]}
    assert set(entry.record_ids) == shown_records
    assert entry.justification
    consultation = SubjectConsultation.objects.get(entry=entry)
    shown_subjects = {
        int(n["id"].split(":")[1]) for n in body["nodes"] if n["type"] == "subject"
    }
    assert set(consultation.subject_ids) == shown_subjects
    assert scene.poi.pk in consultation.subject_ids
    assert consultation.vehicle_ids == [scene.car.pk]


def test_csv_edge_list_asks_its_own_reason_and_is_logged(client_for, analyst, scene):
    client = client_for(analyst, justification=None)
    url = f"/api/v1/links/graph.csv?centre=location:{scene.hotel_a.pk}&hops=2"
    assert client.get(url).status_code == 428
    answer = client.get(url + "&justification=Briefing+for+the+operational+group")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    lines = answer.content.decode().splitlines()
    assert lines[0] == "source,source_label,target,target_label,type,confidence,records"
    assert any("Grand Hotel" in line and "frequents" in line for line in lines)
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry.action == "exported"
    same = client_for(analyst).get(
        f"{GRAPH}?centre=location:{scene.hotel_a.pk}&hops=2&format=csv"
        "&justification=Briefing+for+the+operational+group"
    )
    assert same.status_code == 200
    assert same.content.decode().splitlines() == lines


def test_subject_search_by_reference_or_descriptor(
    client_for, analyst, tasking_officer, scene
):
    client = client_for(analyst)
    by_ref = client.get("/api/v1/subjects/", {"q": scene.poi.reference[-6:]}).json()
    assert [s["reference"] for s in by_ref] == [scene.poi.reference]
    by_words = client.get("/api/v1/subjects/", {"q": "grey coats"}).json()
    assert [s["id"] for s in by_words] == [scene.poi.pk]
    assert client.get("/api/v1/subjects/").status_code == 400
    young = client.get("/api/v1/subjects/", {"q": scene.young.reference}).json()
    assert [s["id"] for s in young] == [scene.young.pk]
    hidden = client_for(tasking_officer).get(
        "/api/v1/subjects/", {"q": scene.young.reference}
    )
    assert hidden.status_code == 200 and hidden.json() == []


def test_a_path_never_runs_through_someone_the_viewer_may_not_see(
    client_for, analyst, tasking_officer, scene
):
    # The home joins the car only through the young person.
    params = {"from": f"location:{scene.home.pk}", "to": f"vehicle:{scene.car.pk}"}
    seen = client_for(analyst).get(PATH, params).json()
    assert [n["id"] for n in seen["paths"][0]["nodes"]] == [
        f"location:{scene.home.pk}",
        f"subject:{scene.young.pk}",
        f"vehicle:{scene.car.pk}",
    ]
    hidden = client_for(tasking_officer).get(PATH, params)
    assert hidden.status_code == 200
    assert scene.young.reference not in hidden.content.decode()
    assert all(
        f"subject:{scene.young.pk}" not in [n["id"] for n in p["nodes"]]
        for p in hidden.json()["paths"]
    )
