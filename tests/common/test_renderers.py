"""GeoJSON built in SQL is written into the API's body as it came, and read
as Python values where Python reads it."""

import json
from datetime import date

from common.renderers import JSONRenderer, JSONText


def test_text_is_spliced_unparsed_where_it_stands():
    features = JSONText('[{"id" : 1, "name" : "Hotel \\"Rex\\""}, {"id" : 2}]')
    data = {
        "type": "FeatureCollection",
        "when": date(2026, 12, 7),
        "locations": {"features": features, "note": '"quoted" text'},
        "empty": JSONText("[]"),
    }
    body = JSONRenderer().render(data).decode()
    # The database's spacing survives: the text was not re-encoded.
    assert '[{"id" : 1, "name" : "Hotel \\"Rex\\""}, {"id" : 2}]' in body
    assert json.loads(body) == {
        "type": "FeatureCollection",
        "when": "2026-12-07",
        "locations": {
            "features": [{"id": 1, "name": 'Hotel "Rex"'}, {"id": 2}],
            "note": '"quoted" text',
        },
        "empty": [],
    }
    assert features._value is None


def test_python_reads_it_as_values():
    features = JSONText('[{"id": 1}, {"id": 2}]')
    assert not JSONText("[]") and features
    assert features._value is None
    assert [f["id"] for f in features] == [1, 2]
    assert len(features) == 2 and features[1] == {"id": 2}
    assert features == [{"id": 1}, {"id": 2}] == JSONText('[{"id":1},{"id":2}]')
    (first, second) = features
    assert first["id"] == 1
