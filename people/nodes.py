"""Graph node keys: one bigint per entity, so a link's two ends are two
indexed columns whatever their types (people.models.Link.a_node / b_node)
and the graph is walked in SQL without a join per type.

key = type code x 10^12 + id. Ids stay far below 10^12 (a national
deployment holds tens of millions of records).
"""

from dataclasses import dataclass

SPAN = 10**12
TYPE_CODES = {"location": 1, "subject": 2, "vehicle": 3, "record": 4}
CODE_TYPES = {code: name for name, code in TYPE_CODES.items()}
NODE_TYPES = tuple(TYPE_CODES)


@dataclass(frozen=True, order=True)
class Node:
    type: str
    id: int

    @property
    def key(self) -> int:
        return TYPE_CODES[self.type] * SPAN + self.id

    def __str__(self) -> str:
        return f"{self.type}:{self.id}"


def node_from_key(key: int) -> Node:
    return Node(CODE_TYPES[key // SPAN], key % SPAN)


def node_parse(text: str | None) -> Node:
    """'subject:3' -> Node; ValueError with a message saying what is wrong."""
    kind, sep, ident = (text or "").partition(":")
    if not sep or kind not in TYPE_CODES:
        raise ValueError(
            f"Give an entity as <type>:<id>, the type one of {', '.join(NODE_TYPES)}."
        )
    if not (ident.isascii() and ident.isdigit()) or not 0 < int(ident) < SPAN:
        raise ValueError(f"'{ident}' is not an id: give a whole number above 0.")
    return Node(kind, int(ident))
