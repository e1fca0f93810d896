import pytest
from django.db import connections

from common.db.config import REPLICA, replica_database
from common.db.standby import standby_status_reset

from .standby import (
    primary_pgdir,
    standby_ensure,
    standby_replay,
    standby_wait_caught_up,
)


class Nodes:
    def __init__(self, *, primary_port: int, standby_port: int):
        self.primary_port = primary_port
        self.standby_port = standby_port

    def caught_up(self):
        standby_wait_caught_up(primary_port=self.primary_port, port=self.standby_port)

    def pause(self):
        """Replay stops: what the primary writes next is not on the standby."""
        self.caught_up()
        standby_replay(port=self.standby_port, paused=True)

    def resume(self):
        standby_replay(port=self.standby_port, paused=False)


@pytest.fixture(scope="package")
def nodes(django_db_setup, django_db_blocker):
    """The test database on the primary, and a streaming standby of it as the
    "replica" alias, named as a deployment names it: libpq's host list with
    prefer-standby (the standby, else the primary).

    Package-scoped: the alias is gone once tests/db is done, so tests that
    run after it in the same process (one xdist worker runs them all) see
    the single database they were written for."""
    default = connections["default"].settings_dict
    primary_port = int(default["PORT"])
    pgdir = primary_pgdir()
    if pgdir is None:
        pytest.skip("needs the project-local cluster (make setup), not DATABASE_URL")
    with django_db_blocker.unblock():
        port = standby_ensure(primary_port=primary_port, pgdir=pgdir)
    connections.settings[REPLICA] = replica_database(
        default=default,
        replica={"HOST": "127.0.0.1,127.0.0.1", "PORT": f"{port},{primary_port}"},
    )
    yield Nodes(primary_port=primary_port, standby_port=port)
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]
    standby_status_reset()


@pytest.fixture(autouse=True)
def _standby_fresh(nodes):
    standby_status_reset()
    yield
    nodes.resume()
    connections[REPLICA].close()
    standby_status_reset()
