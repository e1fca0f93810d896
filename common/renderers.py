"""JSON that PostgreSQL has already built, sent as it is.

Lists of features are built as GeoJSON text in SQL (locations.selectors).
Parsing that text into Python objects only for DRF's renderer to encode them
again cost as much as the query for a page of 500 locations. A `JSONText`
holds the text: the API's renderer (REST_FRAMEWORK's DEFAULT_RENDERER_CLASSES)
writes it into the body unchanged, and Python code that reads the value
(a CSV export, a test) gets it parsed, once, on first use.
"""

import json
import uuid

from rest_framework.renderers import JSONRenderer as DRFJSONRenderer


class JSONText:
    """A JSON array or object as text, read as a list or dict when used."""

    __slots__ = ("text", "_value")

    def __init__(self, text: str):
        self.text = text
        self._value = None

    @property
    def value(self):
        if self._value is None:
            self._value = json.loads(self.text)
        return self._value

    def __iter__(self):
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)

    def __bool__(self) -> bool:
        # An empty array or object is known from the text, without parsing.
        if self._value is None:
            return self.text.strip() not in ("", "[]", "{}")
        return bool(self._value)

    def __getitem__(self, key):
        return self.value[key]

    def __eq__(self, other) -> bool:
        other = other.value if isinstance(other, JSONText) else other
        return self.value == other

    __hash__ = None

    def __repr__(self) -> str:
        return f"JSONText({self.text[:60]!r}...)"


class JSONRenderer(DRFJSONRenderer):
    """DRF's JSON renderer, with each JSONText written as its own text."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        fragments: dict[str, str] = {}
        token = uuid.uuid4().hex

        class Encoder(self.encoder_class):
            def default(self, o):
                if isinstance(o, JSONText):
                    key = f"@jsontext-{token}-{len(fragments)}@"
                    fragments[key] = o.text
                    return key
                return super().default(o)

        self.encoder_class = Encoder
        try:
            body = super().render(data, accepted_media_type, renderer_context)
        finally:
            del self.encoder_class
        for key, text in fragments.items():
            body = body.replace(f'"{key}"'.encode(), text.encode(), 1)
        return body
