"""Every read of intelligence records.

Lists and details go through IntelligenceRecord.objects.visible_to(user), the
one place need-to-know is decided. Roles without record content get counts
and density only (intelligence_count_scope), with small counts suppressed.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import GEOSGeometry, Point
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from common.params import (
    period_bounds,
)
from common.placement import placement_annotate, placement_filter
from history.selectors import Change, HistorySource, change_history
from locations.models import RESTRICTED_CATEGORIES

from .grading import grade_at_least, grade_can, graded_q
from .models import (
    HANDLING_CODE_3X5X2,
    HANDLING_CODE_5X5X5,
    INTELLIGENCE_ASSESSMENT_3X5X2,
    INTELLIGENCE_ASSESSMENT_5X5X5,
    SOURCE_EVALUATION_3X5X2,
    SOURCE_EVALUATION_5X5X5,
    GradingScheme,
    IntelligenceLocationLink,
    IntelligenceLocationLinkEvent,
    IntelligenceRecord,
    IntelligenceRecordEvent,
    LinkType,
    RecordKind,
    RecordReview,
    RecordStatus,
    grade_text,
    restricted_handling_q,
)

# Counts below this are shown as "<3" to roles without record content, so a
# single record cannot be picked out of an area or a cell.
SMALL_COUNT = 3


def record_placed(
    *,
    user: AbstractBaseUser,
    qs: QuerySet[IntelligenceRecord],
    restricted_lookup: str = "per_row",
) -> QuerySet[IntelligenceRecord]:
    """Each record placed where this user may see it (common.placement): one
    linked to a restricted location (a children's home, a school, a
    residential address) is snapped to the grid, and matched by radius or
    area there, for roles not cleared for exact positions.

    `restricted_lookup` picks the query plan for asking whether a record is
    at a restricted location. "hashed": the query places most records of a
    period (a heat map), so the records at restricted locations are read once
    into a hash (an uncorrelated IN). "per_row": the spatial index has
    already narrowed the rows (a radius, an area, a list), so each row asks
    by its own link, which avoids building that hash for a few thousand rows
    (docs/scaling.md has the figures)."""
    restricted_links = IntelligenceLocationLink.objects.filter(
        location__category__in=sorted(RESTRICTED_CATEGORIES)
    )
    if restricted_lookup == "hashed":
        at_restricted = Q(pk__in=restricted_links.values("record_id"))
    elif restricted_lookup == "per_row":
        at_restricted = Exists(restricted_links.filter(record=OuterRef("pk")))
    else:
        raise ValueError(f"restricted_lookup: {restricted_lookup!r}")
    return placement_annotate(qs=qs, user=user, restricted=at_restricted)


def record_at_restricted_sql(alias: str) -> str:
    """SQL: the record `alias` is linked to a restricted location, asked
    through one hashed IN (for aggregates written in SQL; the statement
    takes the categories as the parameter %(restricted)s)."""
    return f"""{alias}.id IN (
            SELECT l.record_id FROM intelligence_intelligencelocationlink l
            JOIN locations_location loc ON loc.id = l.location_id
            WHERE loc.category = ANY(%(restricted)s)
        )"""


def record_list(*, user: AbstractBaseUser) -> QuerySet[IntelligenceRecord]:
    """Graded records this user may see (submissions are read in triage)."""
    return record_placed(
        user=user, qs=IntelligenceRecord.objects.visible_to(user).filter(graded_q())
    )


def record_register_list(*, user: AbstractBaseUser) -> QuerySet[IntelligenceRecord]:
    """The records register's rows: graded records this user may see, and for
    those who grade (intelligence.grading.grade_can), the submissions awaiting
    it. The register shows graded ones unless its status filter asks."""
    shown = graded_q()
    if grade_can(user=user):
        shown |= Q(status=RecordStatus.AWAITING)
    return record_placed(
        user=user, qs=IntelligenceRecord.objects.visible_to(user).filter(shown)
    )


def record_has_content_access(*, user: AbstractBaseUser) -> bool:
    return user.has_perm("intelligence.view_record_content")


def intelligence_count_scope(
    *, user: AbstractBaseUser, restricted_lookup: str = "per_row"
) -> QuerySet[IntelligenceRecord]:
    """The records a user's counts and density are built from.

    Roles with record content count what they may see; roles without it count
    every record (DESIGN.md: the same data, no content) with small counts
    suppressed by count_display().
    """
    if record_has_content_access(user=user):
        qs = IntelligenceRecord.objects.visible_to(user)
    else:
        qs = IntelligenceRecord.objects.all()
    return record_placed(
        user=user, qs=qs.filter(graded_q()), restricted_lookup=restricted_lookup
    )


def rollup_count_scope(*, user: AbstractBaseUser, qs: QuerySet) -> QuerySet:
    """The roll-up rows (intelligence.rollups, graded records only) a user's
    counts and density are built from: intelligence_count_scope's rule on
    rows that share the records' grade and handling columns."""
    rule = _rollup_handling_rule(user=user)
    if rule == "none":
        return qs.none()
    if rule == "no_c":
        return qs.exclude(restricted_handling_q())
    return qs


def _rollup_handling_rule(*, user: AbstractBaseUser) -> str:
    """Which roll-up rows a user's counts take: "all", "none", or "no_c"
    (not those with a restricting handling code)."""
    if not record_has_content_access(user=user):
        return "all"
    if not user.is_active or not user.is_authenticated:
        return "none"
    if not user.has_perm("intelligence.view_handling_c"):
        return "no_c"
    return "all"


def rollup_bucket_scope_sql(*, user: AbstractBaseUser, alias: str) -> str:
    """rollup_count_scope's rule as SQL on bucket roll-up rows
    (intelligence.rollups), which hold the handling code as `code_c`."""
    return {"all": "true", "none": "false", "no_c": f"NOT {alias}.code_c"}[
        _rollup_handling_rule(user=user)
    ]


def rollup_filter(
    *,
    qs: QuerySet,
    since: date,
    until: date,
    kind: str | None = None,
    min_grade: tuple[str, str] | None = None,
) -> QuerySet:
    """record_filter's period, kind and minimum grade on roll-up rows: the
    period's local days, as period_bounds() cuts them."""
    qs = qs.filter(day__gte=since, day__lte=until)
    if kind:
        qs = qs.filter(kind=kind)
    if min_grade:
        qs = qs.filter(grade_at_least(source=min_grade[0], assessment=min_grade[1]))
    return qs


def count_is_small(n: float) -> bool:
    """A count that could single someone out: more than none, under 3."""
    return 0 < n < SMALL_COUNT


def count_display(*, n: int, user: AbstractBaseUser) -> int | str:
    if count_is_small(n) and not record_has_content_access(user=user):
        return f"<{SMALL_COUNT}"
    return n


def record_filter(
    *,
    qs: QuerySet[IntelligenceRecord],
    since: date | None = None,
    until: date | None = None,
    kind: str | None = None,
    min_grade: tuple[str, str] | None = None,
    tag: list[str] | None = None,
    bbox: GEOSGeometry | None = None,
    point: Point | None = None,
    radius: int | None = None,
    polygon: GEOSGeometry | None = None,
    area_ids: list[int] | None = None,
) -> QuerySet[IntelligenceRecord]:
    if since and until:
        start, end = period_bounds(since=since, until=until)
        qs = qs.filter(occurred_from__gte=start, occurred_from__lt=end)
    if kind:
        qs = qs.filter(kind=kind)
    if min_grade:
        qs = qs.filter(grade_at_least(source=min_grade[0], assessment=min_grade[1]))
    if tag:
        qs = qs.filter(tags__overlap=tag)
    return placement_filter(
        qs=qs,
        bbox=bbox,
        point=point,
        radius_m=radius,
        polygon=polygon,
        area_ids=area_ids,
    )


def record_counts(*, qs: QuerySet[IntelligenceRecord], user: AbstractBaseUser) -> dict:
    """Counts by kind and by grade, suppressed as due."""
    rows = (
        qs.order_by()
        .values("kind", "source_evaluation", "intelligence_assessment")
        .annotate(n=Count("id"))
    )
    return _counts_from_rows(rows=rows, user=user)


def record_counts_and_ids(
    *, qs: QuerySet[IntelligenceRecord], user: AbstractBaseUser
) -> tuple[dict, list[int]]:
    """The counts of record_counts() and the ids of the records counted, from
    the same one grouped query: a search logged for s.62 reads its records
    once, not again for the log."""
    counts, ids, _ = record_counts_ids_newest(qs=qs, user=user, newest=0)
    return counts, ids


def record_counts_ids_newest(
    *, qs: QuerySet[IntelligenceRecord], user: AbstractBaseUser, newest: int
) -> tuple[dict, list[int], list[int]]:
    """record_counts_and_ids(), and the ids of the `newest` records counted
    (newest first, as record_rows() lists them), all from one reading of the
    records: the spatial and period scan is the query's whole cost, and a
    what-is-here for a cleared role needs all three."""
    if not newest:
        rows = list(
            qs.order_by()
            .values("kind", "source_evaluation", "intelligence_assessment")
            .annotate(n=Count("id"), ids=ArrayAgg("id"))
        )
        ids = sorted({i for row in rows for i in row["ids"]})
        return _counts_from_rows(rows=rows, user=user), ids, []
    matched = qs.order_by().values(
        "id", "kind", "source_evaluation", "intelligence_assessment", "occurred_from"
    )
    sql, params = matched.query.sql_with_params()
    # MATERIALIZED: the records are read once for both parts of the answer.
    query = f"""
        WITH m (id, kind, se, ia, at) AS MATERIALIZED ({sql})
        SELECT kind, se, ia, count(*), array_agg(id), NULL::bigint[]
        FROM m GROUP BY kind, se, ia
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, NULL,
               ARRAY(SELECT id FROM m ORDER BY at DESC, id DESC LIMIT %s)
    """
    rows, newest_ids = [], []
    with connections[qs.db].cursor() as cur:
        cur.execute(query, [*params, newest])
        for kind, se, ia, n, ids, top in cur.fetchall():
            if top is not None:
                newest_ids = list(top)
            else:
                rows.append(
                    {
                        "kind": kind,
                        "source_evaluation": se,
                        "intelligence_assessment": ia,
                        "n": n,
                        "ids": ids,
                    }
                )
    ids = sorted({i for row in rows for i in row["ids"]})
    return _counts_from_rows(rows=rows, user=user), ids, newest_ids


def _counts_from_rows(*, rows, user: AbstractBaseUser) -> dict:
    # One grouped query; the totals by kind and by grade are summed from it.
    by_kind_n: dict[str, int] = {}
    by_grade_n: dict[str, int] = {}
    for row in rows:
        grade = f"{row['source_evaluation']}{row['intelligence_assessment']}"
        by_kind_n[row["kind"]] = by_kind_n.get(row["kind"], 0) + row["n"]
        by_grade_n[grade] = by_grade_n.get(grade, 0) + row["n"]
    by_kind = {k: count_display(n=n, user=user) for k, n in sorted(by_kind_n.items())}
    by_grade = {g: count_display(n=n, user=user) for g, n in sorted(by_grade_n.items())}
    total = sum(by_kind_n.values())
    return {
        "total": count_display(n=total, user=user),
        "by_kind": by_kind,
        "by_grade": by_grade,
    }


def record_rows(*, qs: QuerySet[IntelligenceRecord], limit: int) -> list[dict]:
    """Records as a list shows them to a role cleared for their content:
    newest first, each with its grade, its handling conditions (always shown
    with a C record) and the locations it is linked to.

    Read as plain rows, not model instances: a what-is-here lists up to
    `limit` records, and building each (its points as GEOS objects, its links
    and their locations) cost several times the query itself. Two queries:
    the records, then their links with the locations' names."""
    records = list(
        qs.order_by("-occurred_from", "-id").values(
            "id",
            "reference",
            "kind",
            "occurred_from",
            "source_evaluation",
            "intelligence_assessment",
            "handling_code",
            "handling_conditions",
            "summary",
        )[:limit]
    )
    links: dict[int, list[dict]] = {r["id"]: [] for r in records}
    urls: dict[int, str] = {}
    link_labels = dict(LinkType.choices)
    for record_id, location_id, name, link_type in (
        IntelligenceLocationLink.objects.filter(record_id__in=list(links))
        .order_by("id")
        .values_list("record_id", "location_id", "location__name", "link_type")
    ):
        if location_id not in urls:
            urls[location_id] = reverse("location-page", args=[location_id])
        links[record_id].append(
            {
                "id": location_id,
                "name": name,
                "link": str(link_labels.get(link_type, link_type)),
                "url": urls[location_id],
            }
        )
    kind_labels = dict(RecordKind.choices)
    return [
        {
            "id": r["id"],
            "reference": r["reference"],
            "kind": r["kind"],
            "kind_label": str(kind_labels.get(r["kind"], r["kind"])),
            "occurred_from": r["occurred_from"],
            "grade": grade_text(
                source_evaluation=r["source_evaluation"],
                intelligence_assessment=r["intelligence_assessment"],
                handling_code=r["handling_code"],
            ),
            "handling_code": r["handling_code"],
            "handling_conditions": r["handling_conditions"],
            "summary": r["summary"],
            "locations": links[r["id"]],
        }
        for r in records
    ]


def record_rows_for_ids(*, ids: list[int]) -> list[dict]:
    """record_rows() for records already chosen (and already allowed):
    record_counts_ids_newest()'s newest."""
    return record_rows(
        qs=IntelligenceRecord.objects.filter(pk__in=ids), limit=len(ids) or 1
    )


def record_list_for_location(
    *, user: AbstractBaseUser, location
) -> QuerySet[IntelligenceRecord]:
    return (
        record_list(user=user)
        .filter(location_links__location=location)
        .distinct()
        .order_by("-occurred_from")
    )


# Linked intelligence shown on the location page; the rest is a search away.
LINKED_RECORDS_SHOWN = 50


def record_list_linked(
    *, user: AbstractBaseUser, location, limit: int = LINKED_RECORDS_SHOWN
) -> list[IntelligenceRecord] | None:
    """The latest records linked to a location that this user may see; None
    for roles without record content."""
    if not record_has_content_access(user=user):
        return None
    return list(record_list_for_location(user=user, location=location)[:limit])


def record_change_history(
    *, record: IntelligenceRecord, limit: int | None = None
) -> list[Change]:
    """Changes to a record and its location links, newest first.

    `record` must come from record_list(user): only a user who may see the
    record reaches its history, and where the record is placed on the grid
    for them its exact position is withheld.
    """
    hidden = (
        frozenset({"point"})
        if getattr(record, "position_approximate", False)
        else frozenset()
    )
    return change_history(
        sources=[
            HistorySource(
                "Record", IntelligenceRecordEvent.objects.filter(pgh_obj_id=record.pk)
            ),
            HistorySource(
                "Location link",
                IntelligenceLocationLinkEvent.objects.filter(record_id=record.pk),
                omit=frozenset({"record"}),
            ),
        ],
        hidden=hidden,
        limit=limit,
    )


def record_can_review(*, user: AbstractBaseUser) -> bool:
    """Management of Police Information reviews: analysts and administrators
    (accounts.roles), who also see the content they decide on."""
    return user.has_perm("intelligence.review_retention") and record_has_content_access(
        user=user
    )


def record_review_queue(
    *, user: AbstractBaseUser, today: date | None = None
) -> QuerySet[IntelligenceRecord]:
    """Records this user may see whose review date has come, the longest
    overdue first. Empty for users who do not review."""
    if not record_can_review(user=user):
        return IntelligenceRecord.objects.none()
    today = today or timezone.localdate()
    return (
        record_list(user=user)
        .filter(review_date__lte=today)
        .order_by("review_date", "occurred_from", "id")
    )


def record_review_due_count(*, user: AbstractBaseUser) -> int:
    return record_review_queue(user=user).count()


def record_get(*, user: AbstractBaseUser, pk: int) -> IntelligenceRecord:
    """The record with its location links, if this user may see it;
    IntelligenceRecord.DoesNotExist otherwise (the caller answers 404, never
    saying whether it exists)."""
    return (
        record_list(user=user).prefetch_related("location_links__location").get(pk=pk)
    )


GRADE_WORDS = {
    GradingScheme.G3X5X2: (
        SOURCE_EVALUATION_3X5X2,
        INTELLIGENCE_ASSESSMENT_3X5X2,
        HANDLING_CODE_3X5X2,
    ),
    GradingScheme.G5X5X5: (
        SOURCE_EVALUATION_5X5X5,
        INTELLIGENCE_ASSESSMENT_5X5X5,
        HANDLING_CODE_5X5X5,
    ),
}


def record_grade_words(*, record: IntelligenceRecord) -> list[tuple[str, str, str]]:
    """The grade in words, as (part, code, meaning), in the record's own
    scheme: a legacy 5x5x5 grade is read as 5x5x5, never translated."""
    source, assessment, handling = GRADE_WORDS[record.grading_scheme]
    return [
        (
            "Source evaluation",
            record.source_evaluation,
            source.get(record.source_evaluation, ""),
        ),
        (
            "Intelligence assessment",
            record.intelligence_assessment,
            assessment.get(record.intelligence_assessment, ""),
        ),
        (
            "Handling code",
            record.handling_code,
            handling.get(record.handling_code, ""),
        ),
    ]


def record_for_review(*, user: AbstractBaseUser, pk: int) -> IntelligenceRecord:
    """The record, if this user may see it (see record_get)."""
    return record_get(user=user, pk=pk)


def record_reviews(*, record_id: int) -> QuerySet[RecordReview]:
    return RecordReview.objects.filter(record_id=record_id).select_related(
        "reviewed_by"
    )
