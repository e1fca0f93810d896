"""Every cell of the authorisation matrix, requested for real.

Each role signs in by session; API routes are also requested with the
analyst's token and no session. Past the status, every text response is read
for what the role must never be shown: a children's home's exact position or
address (all but the administrator), and record content (roles without it).
"""

import pytest

from .cells import Cell, cell_list, outcome
from .conftest import C_CONDITIONS, HOME_ADDRESS, HOME_LAT, HOME_LON, HOME_POSTCODE

pytestmark = pytest.mark.django_db

CELLS = cell_list()
TEXT_TYPES = ("text/", "application/json", "application/javascript")
NO_RECORD_CONTENT = {"anonymous", "licensing", "safety"}


def forbidden_text(world, role: str) -> list[str]:
    words = []
    if role != "admin":
        x, y = world.home_bng
        words += [
            HOME_ADDRESS,
            HOME_POSTCODE,
            f"{HOME_LON:.5f}",
            f"{HOME_LAT:.5f}",
            f"{x:.1f}",
            f"{y:.1f}",
        ]
    if role in NO_RECORD_CONTENT:
        words += ["INT-MX-", "MX summary", C_CONDITIONS]
    return words


def assert_reveals_nothing(cell: Cell, response, world) -> None:
    if not response.get("Content-Type", "").startswith(TEXT_TYPES):
        return
    text = response.content.decode()
    shown = [w for w in forbidden_text(world, cell.role) if w in text]
    assert not shown, f"{cell} shows {shown}"


def _body(response, cell: Cell, world) -> str:
    text = response.content.decode(errors="replace")
    oid = cell.object_id(world)
    return text.replace(str(oid), "{id}") if oid is not None else text


@pytest.mark.parametrize("cell", CELLS, ids=str)
def test_cell(cell: Cell, world, client_as):
    client = client_as(cell.role)
    response = cell.request(client, world)
    got = outcome(response)
    assert got in cell.expected, (
        f"{cell}: {cell.url(world)} answered {got}, the matrix says "
        f"{' or '.join(sorted(cell.expected))}"
    )
    assert_reveals_nothing(cell, response, world)
    if cell.expected == {"404"} and cell.variant and cell.variant != "missing":
        # Denied as if it did not exist: the same answer as a missing id.
        twin = cell.missing_twin()
        missing = twin.request(client_as(cell.role), world)
        assert missing.status_code == 404
        assert _body(response, cell, world) == _body(missing, twin, world), (
            f"{cell}: a hidden object answers unlike a missing one"
        )


API_CELLS = [
    c
    for c in CELLS
    if c.role == "analyst"
    and c.route.pattern.startswith("api/v1/")
    and not c.route.format_suffix
]


@pytest.mark.parametrize("cell", API_CELLS, ids=str)
def test_api_cell_with_token(cell: Cell, world, client_as):
    """The API answers a token as it answers the same user's session."""
    client = client_as("anonymous")
    response = cell.request(client, world, HTTP_AUTHORIZATION=f"Token {world.token}")
    got = outcome(response)
    assert got in cell.expected, f"{cell} by token: {got}"
    assert_reveals_nothing(cell, response, world)
