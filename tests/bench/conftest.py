import os
import subprocess
import sys

import pytest


@pytest.fixture
def bench_owner_python():
    """Runs Python in a process of its own on the test database, as its owner.

    The bench loads its own database as its owner (it empties tables, sets
    triggers aside and creates tables, which the application role may not);
    what it commits there, the test then reads as the application role.
    Returns the process's last line of output."""
    from django.conf import settings
    from django.db import connection

    owner = settings.DATABASE_OWNER
    url = (
        f"postgis://{owner['USER']}@{owner['HOST']}:{owner['PORT']}/"
        f"{connection.settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_AS_OWNER": "true",
        "DATABASE_OWNER_URL": url,
        "DJANGO_SETTINGS_MODULE": "intel_map.settings.base",
    }

    def run(code: str) -> str:
        out = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup()\n{code}"],
            env=env,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise AssertionError(out.stderr[-3000:])
        return out.stdout.strip().splitlines()[-1]

    return run
