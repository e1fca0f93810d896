"""Change history for every domain model, kept by database triggers.

`tracked()` puts pghistory's insert, update and delete triggers on a model, so
saves, QuerySet.update(), bulk_create, deletes and raw SQL imports are all
recorded, with the user and URL of the request that made them (pghistory's
middleware). The triggers are statement-level: a bulk insert or update of
10,000 rows writes its history in one INSERT ... SELECT, not 10,000.

Columns the database derives from others (the British National Grid copy of a
geometry, the area ids) are neither recorded nor a reason to record: an areas
import re-deriving them is nobody's edit. Neither is `updated_at`, which moves
on every save whether anything changed or not.
"""

import pghistory
import pgtrigger
from django.contrib.gis.db.models import GeometryField
from django.db import models

NOT_RECORDED = ("point_bng", "geom_bng", "area_ids", "updated_at")


class AnyRecordedChange(pgtrigger.Condition):
    """True when any recorded column changed.

    pghistory's default compares whole rows (`OLD.* IS DISTINCT FROM NEW.*`),
    which leans on each column type's equality operator; PostGIS geometry
    equality has changed meaning between versions (bounding boxes before 2.4)
    and the whole-row form also fires on derived columns. Here geometries are
    compared as EWKB bytes, so a moved point is always a change and an
    identical one never is, and only recorded columns count.
    """

    def __init__(self, *, exclude: tuple[str, ...] = ()):
        self.exclude = set(exclude)
        self.sql = "resolved per model"

    def resolve(self, model: type[models.Model]) -> str:
        parts = []
        for field in model._meta.concrete_fields:
            if field.name in self.exclude or field.primary_key:
                continue
            old, new = f'OLD."{field.column}"', f'NEW."{field.column}"'
            if isinstance(field, GeometryField):
                old, new = f"ST_AsEWKB({old})", f"ST_AsEWKB({new})"
            parts.append(f"{old} IS DISTINCT FROM {new}")
        return " OR ".join(parts)


def tracked(
    *,
    exclude: tuple[str, ...] = (),
    app_label: str | None = None,
    model_name: str | None = None,
):
    """Decorator: record every insert, update and delete of the model.

    `exclude` names further columns never copied into the history (secrets
    such as password hashes, or noise such as last_login).
    """

    def wrap(model: type[models.Model]) -> type[models.Model]:
        field_names = {f.name for f in model._meta.concrete_fields}
        skipped = tuple(n for n in (*NOT_RECORDED, *exclude) if n in field_names)
        return pghistory.track(
            pghistory.InsertEvent(trigger_name="history_insert"),
            pghistory.UpdateEvent(
                condition=AnyRecordedChange(exclude=skipped),
                trigger_name="history_update",
            ),
            pghistory.DeleteEvent(trigger_name="history_delete"),
            exclude=list(skipped),
            level=pgtrigger.Statement,
            # History is not edited: only MoPI disposal removes a record's
            # history, and it says so (intelligence.services).
            append_only=True,
            app_label=app_label,
            model_name=model_name or f"{model.__name__}Event",
            meta={"verbose_name": f"{model._meta.verbose_name} change"},
        )(model)

    return wrap
