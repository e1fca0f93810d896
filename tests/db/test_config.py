"""DATABASES entries for several nodes named in libpq's multi-host form."""

from common.db.config import primary_database, replica_database

NODES = {"HOST": "10.0.0.1,10.0.0.2", "PORT": "5432,5432", "NAME": "intelmap"}


def test_the_replica_prefers_a_standby_when_the_primary_lists_several_nodes():
    default = primary_database(
        {**NODES, "USER": "app", "OPTIONS": {"options": "-c jit=off"}}
    )
    replica = replica_database(default=default, replica={**NODES, "USER": "app"})
    assert default["OPTIONS"]["target_session_attrs"] == "read-write"
    assert replica["OPTIONS"]["target_session_attrs"] == "prefer-standby"
    # The primary's other session options still apply to the standby's reads.
    assert replica["OPTIONS"]["options"] == "-c jit=off"


def test_a_single_node_gets_no_target_session_attrs():
    default = primary_database({"HOST": "db", "PORT": "5432", "NAME": "intelmap"})
    assert "target_session_attrs" not in default["OPTIONS"]
