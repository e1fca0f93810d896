"""A graph level reads each node's newest links from both ends' indexes and
merges them: the answer is the newest visible links touching the level,
whichever end they touch it by, as if every match were ordered by id."""

import pytest
from django.db.models import Q

from people import graph
from people.graph import GraphFilter, edges_touching
from people.nodes import Node
from people.selectors import link_scope
from people.services import link_create, link_mention
from tests import factories

pytestmark = pytest.mark.django_db


def _newest(user, keys, n):
    every = link_scope(user=user).filter(Q(a_node__any=keys) | Q(b_node__any=keys))
    return [f"link:{pk}" for pk in every.order_by("-id").values_list("pk", flat=True)][
        :n
    ]


def _link_edges(user, keys):
    return [
        e.id
        for e in edges_touching(user=user, keys=keys, flt=GraphFilter())
        if e.id.startswith("link:")
    ]


def test_a_level_keeps_the_newest_visible_links_from_either_end(
    scene, analyst, awaiting_record, monkeypatch
):
    poi = Node("subject", scene.poi.pk).key
    # Newer links by either end: a record mentions the poi (the poi is its
    # b end), the poi frequents the second hotel (its a end), and the newest
    # rests on a record not yet graded, which no one sees.
    mention = link_mention(record=factories.make_record(), entity=scene.poi)
    seen = link_create(
        link_type="seen_at",
        subject=scene.poi,
        other=scene.hotel_b,
        records=[scene.r2],
    )
    hidden = link_create(
        link_type="works_at",
        subject=scene.poi,
        other=scene.hotel_b,
        records=[awaiting_record],
    )
    monkeypatch.setattr(graph, "MAX_LEVEL_ROWS", 2)
    kept = _link_edges(analyst, [poi])
    assert kept == [f"link:{seen.pk}", f"link:{mention.pk}"]
    assert f"link:{hidden.pk}" not in kept
    assert kept == _newest(analyst, [poi], 2)
    # Three keys, a link joining two of them comes once.
    keys = [
        poi,
        Node("vehicle", scene.car.pk).key,
        Node("location", scene.hotel_a.pk).key,
    ]
    monkeypatch.setattr(graph, "MAX_LEVEL_ROWS", 4)
    assert _link_edges(analyst, keys) == _newest(analyst, keys, 4)
    monkeypatch.setattr(graph, "MAX_LEVEL_ROWS", 2_000)
    assert _link_edges(analyst, keys) == _newest(analyst, keys, 2_000)


def test_edges_are_cited_with_their_records_after_the_walk(scene, analyst):
    found = graph.graph_expand(
        user=analyst,
        centre=Node("location", scene.hotel_a.pk),
        hops=2,
        flt=GraphFilter(),
    )
    frequents = found.edges[f"link:{scene.frequents.pk}"]
    assert frequents.records == [scene.r1.pk]
    r1 = scene.r1
    assert frequents.grades == [
        f"{r1.grading_scheme}:{r1.source_evaluation}{r1.intelligence_assessment}"
    ]
    assert frequents.first == frequents.last
