"""One demo user per role, for `make run`. Never used outside the demo."""

from accounts.services import user_create

from . import names

DEMO_PASSWORD = "intel-map-demo"


def demo_users_ensure() -> list[dict]:
    users = []
    for username, first, last, role, agency, rank in names.OFFICERS:
        user = user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            agency=agency,
            first_name=first,
            last_name=last,
            rank=rank,
        )
        users.append({"user": user, "role": role, "password": DEMO_PASSWORD})
    return users
