"""Reading the change history as people read it: who, when, which field, from
what to what, in the words and labels the pages use.

Each event row is a snapshot of the record after the change (or before it, for
a delete); a change is the difference from the snapshot before it. Who made a
change is the request's user recorded by pghistory's middleware; changes made
outside a request (imports run from the command line, migrations) are shown as
made by the system.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import GEOSGeometry
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

# Bookkeeping columns: they move with every change and say nothing by
# themselves (the version counter), or are the change's own metadata.
NOT_SHOWN = frozenset({"id", "version", "created_at"})
EMPTY = "—"
ACTIONS = {"insert": "created", "update": "changed", "delete": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class Change:
    when: datetime
    who: str
    subject: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    # Fields that changed but are not shown to this user (a protected
    # location's position and address).
    withheld: list[str] = field(default_factory=list)
    event_id: int = 0

    def as_dict(self) -> dict:
        return {
            "when": self.when.isoformat(),
            "who": self.who,
            "subject": self.subject,
            "action": self.action,
            "changes": [c.__dict__ for c in self.changes],
            "withheld": self.withheld,
        }


@dataclass(frozen=True)
class HistorySource:
    """Events of one event model, and what to call the records they track."""

    subject: str
    events: QuerySet
    # Fields not worth a line here (a flag's location, on that location's page).
    omit: frozenset[str] = frozenset()


def _tracked_fields(event_model) -> list[models.Field]:
    return [
        f
        for f in event_model._meta.concrete_fields
        if not f.name.startswith("pgh_") and f.name not in NOT_SHOWN
    ]


def _user_label(user) -> str:
    return user.get_full_name() or user.username


def _related_labels(rows: list, fields: list[models.Field]) -> dict:
    """str() of every object the rows' foreign keys point at: one query per
    related model, not one per row."""
    labels: dict = {}
    for f in fields:
        if not f.is_relation:
            continue
        ids = {getattr(r, f.attname) for r in rows} - {None}
        if not ids:
            continue
        model = f.related_model
        objects = model._default_manager.filter(pk__in=ids)
        for obj in objects:
            label = _user_label(obj) if model is get_user_model() else str(obj)
            labels[(model, obj.pk)] = label
    return labels


def _display(f: models.Field, value, labels: dict) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if f.is_relation:
        return labels.get((f.related_model, value), f"#{value} (deleted)")
    if isinstance(value, GEOSGeometry):
        if value.geom_type == "Point":
            return f"{value.y:.5f}, {value.x:.5f}"
        return f"{value.geom_type.lower()} of {value.num_coords} points"
    if isinstance(value, list):
        base = getattr(f, "base_field", None)
        choices = dict(base.flatchoices) if base is not None else {}
        return ", ".join(str(choices.get(v, v)) for v in value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, date):
        return date_format(value, "j M Y")
    return str(value)


def _same(a, b) -> bool:
    if isinstance(a, GEOSGeometry) and isinstance(b, GEOSGeometry):
        return a.ewkb == b.ewkb
    return a == b


def _who(event, users: dict) -> str:
    context = event.pgh_context.metadata if event.pgh_context_id else {}
    user_id = context.get("user")
    if user_id is None and context.get("command"):
        return f"Command {context['command']} ({context.get('file') or 'no file'})"
    if user_id is None:
        return "System (no signed-in user)"
    return users.get(user_id, f"User #{user_id} (deleted)")


def _source_changes(source: HistorySource, hidden: frozenset[str]) -> list[Change]:
    rows = list(source.events.select_related("pgh_context").order_by("pgh_id"))
    if not rows:
        return []
    fields = [
        f for f in _tracked_fields(rows[0].__class__) if f.name not in source.omit
    ]
    labels = _related_labels(rows, fields)
    user_ids = {
        r.pgh_context.metadata.get("user") for r in rows if r.pgh_context_id
    } - {None}
    users = {
        u.pk: _user_label(u) for u in get_user_model().objects.filter(pk__in=user_ids)
    }
    previous: dict = {}
    changes = []
    for row in rows:
        before = previous.get(row.pgh_obj_id)
        change = Change(
            when=row.pgh_created_at,
            who=_who(row, users),
            subject=source.subject,
            action=ACTIONS.get(row.pgh_label, row.pgh_label),
            event_id=row.pgh_id,
        )
        if row.pgh_label != "delete":
            for f in fields:
                new = getattr(row, f.attname)
                old = getattr(before, f.attname) if before is not None else None
                if before is None and new in (None, "", []):
                    continue
                if before is not None and _same(old, new):
                    continue
                label = str(f.verbose_name).capitalize()
                if f.name in hidden:
                    change.withheld.append(label)
                    continue
                change.changes.append(
                    FieldChange(
                        field=label,
                        old=_display(f, old, labels) if before is not None else EMPTY,
                        new=_display(f, new, labels),
                    )
                )
        previous[row.pgh_obj_id] = row
        changes.append(change)
    return changes


def change_history(
    *,
    sources: list[HistorySource],
    hidden: frozenset[str] = frozenset(),
    limit: int | None = None,
) -> list[Change]:
    """The changes recorded by these sources, newest first.

    `hidden` names fields whose values this user may not see (they are listed
    as withheld, never shown).
    """
    changes = [c for s in sources for c in _source_changes(s, hidden)]
    changes.sort(key=lambda c: (c.when, c.event_id), reverse=True)
    return changes[:limit] if limit else changes
