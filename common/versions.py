"""Optimistic locking: every editable record carries a `version`, bumped on
each change; an edit says which version it was based on, and one based on an
old version is refused (HTTP 409) rather than overwriting someone's work."""

from django.db import models


class StaleEdit(Exception):
    """Someone else changed the record since this edit began."""


def version_check(
    *,
    model: type[models.Model],
    pk: int,
    seen: int | None,
    what: str,
    doing: str = "editing",
) -> int:
    """Lock the row (inside the caller's transaction) and return its current
    version; raise StaleEdit if it is not the one the edit was based on."""
    current = (
        model._default_manager.select_for_update()
        .filter(pk=pk)
        .values_list("version", flat=True)
        .first()
    )
    if seen is None or current != seen:
        raise StaleEdit(
            f"This {what} was changed by someone else while you were {doing} it. "
            "Nothing was saved: reload it to see their changes, then make yours "
            "again."
        )
    return current
