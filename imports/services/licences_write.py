"""Writing a checked licensing register (imports.services.licences): COPY
into temporary tables, then one INSERT ... ON CONFLICT per table that
changes only what differs, so importing the same file again writes nothing.
"""

from datetime import date

from people.registration import registration_format

from .report import ImportReport, temp_table

COMPLIANCE_COLUMNS = [
    "dbs_issued_on",
    "dbs_certificate_number",
    "dbs_update_service",
    "dbs_last_checked_on",
    "training_course",
    "training_provider",
    "training_completed_on",
    "training_refresher_due",
]


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_CHUNK = 5_000


def _cell(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, date):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


def _copy(cur, table: str, columns: list[str], rows) -> None:
    """COPY in text format, written in chunks (psycopg's per-row adaptation
    was a third of an import's time), then ANALYZE: the planner knows a
    temporary table's size only when told, and joins a 50,000-row one by
    index only then."""
    raw = cur.cursor if hasattr(cur, "cursor") else cur
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        lines = []
        for row in rows:
            lines.append("\t".join(map(_cell, row)))
            if len(lines) >= COPY_CHUNK:
                copy.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            copy.write("\n".join(lines) + "\n")
    cur.execute(f"ANALYZE {table}")


def _upsert(
    cur, *, table: str, key: str, columns: list[str], select: str, keep=()
) -> tuple[int, int]:
    """INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE only where something
    differs: (created, updated); rows left as they were are neither. The
    `keep` columns are written on insert only (who holds a licence)."""
    updates = [c for c in columns if c != key and c not in keep]
    cur.execute(
        f"""
        WITH written AS (
            INSERT INTO {table} ({", ".join(columns)}, created_at, updated_at)
            SELECT src.*, now(), now() FROM ({select}) AS src
            ON CONFLICT ({key}) DO UPDATE SET
                {", ".join(f"{c} = EXCLUDED.{c}" for c in updates)},
                updated_at = now()
            WHERE ({", ".join(f"{table}.{c}" for c in updates)})
                IS DISTINCT FROM ({", ".join(f"EXCLUDED.{c}" for c in updates)})
            RETURNING (xmax = 0) AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
        FROM written
        """
    )
    return cur.fetchone()


def drivers_write(parsed, report: ImportReport, officer_id) -> None:
    # The importing officer holds new licences; an existing one keeps its own.
    officer = "NULL" if officer_id is None else int(officer_id)
    counts = {"created": 0, "updated": 0}

    def add(created_updated):
        counts["created"] += created_updated[0]
        counts["updated"] += created_updated[1]

    with temp_table(
        "lic_operator",
        "licence_number text, name text, status text, expires_on date, base_postcode text",
    ) as cur:
        _copy(
            cur,
            "lic_operator",
            ["licence_number", "name", "status", "expires_on", "base_postcode"],
            (
                (
                    o["licence_number"],
                    o["name"],
                    o.get("status") or "active",
                    o.get("expires_on"),
                    o.get("base_postcode") or "",
                )
                for o in parsed.operators.values()
            ),
        )
        # The base: a private hire operator base of the premises register at
        # the operator's postcode (the one named as the operator, if several).
        add(
            _upsert(
                cur,
                table="licensing_operator",
                key="licence_number",
                columns=["licence_number", "name", "status", "expires_on", "base_id"],
                select="""
                SELECT o.licence_number, o.name, o.status, o.expires_on,
                       (SELECT l.id FROM locations_location l
                        WHERE l.category = 'private_hire_base'
                          AND o.base_postcode <> ''
                          AND upper(replace(l.postcode, ' ', '')) = o.base_postcode
                        ORDER BY lower(l.name) = lower(o.name) DESC, l.id LIMIT 1)
                FROM lic_operator o
                """,
            )
        )
    with temp_table(
        "lic_driver",
        "licence_number text, name text, licence_type text, status text, "
        "issued_on date, expires_on date, conditions text, operator_licence text, "
        "dbs_issued_on date, dbs_certificate_number text, dbs_update_service bool, "
        "dbs_last_checked_on date, training_course text, training_provider text, "
        "training_completed_on date, training_refresher_due date",
    ) as cur:
        head = [
            "licence_number",
            "name",
            "licence_type",
            "status",
            "issued_on",
            "expires_on",
            "conditions",
            "operator_licence",
            *COMPLIANCE_COLUMNS,
        ]
        _copy(
            cur,
            "lic_driver",
            head,
            ([d[c] for c in head] for d in parsed.drivers.values()),
        )
        cols = [c for c in head if c != "operator_licence"]
        add(
            _upsert(
                cur,
                table="licensing_driver",
                key="licence_number",
                columns=[*cols, "operator_id", "officer_id"],
                keep=("officer_id",),
                select=f"""
                SELECT {", ".join(f"d.{c}" for c in cols)}, o.id,
                       {officer}::integer
                FROM lic_driver d
                LEFT JOIN licensing_operator o ON o.licence_number = d.operator_licence
                """,
            )
        )
    with temp_table(
        "lic_vehicle",
        "plate_number text, registration text, mark_format text, make text, "
        "model text, colour text, licence_type text, status text, "
        "plate_expires_on date, driver_licence text, operator_licence text",
    ) as cur:
        head = [
            "plate_number",
            "registration",
            "mark_format",
            "make",
            "model",
            "colour",
            "licence_type",
            "status",
            "plate_expires_on",
            "driver_licence",
            "operator_licence",
        ]
        _copy(
            cur,
            "lic_vehicle",
            head,
            (
                (
                    v["plate_number"],
                    v["registration"],
                    registration_format(v["registration"]).value,
                    v.get("make") or "",
                    v.get("model") or "",
                    v.get("colour") or "",
                    v["licence_type"],
                    v.get("status") or "active",
                    v["plate_expires_on"],
                    v["driver_licence"],
                    v["operator_licence"],
                )
                for v in parsed.vehicles.values()
            ),
        )
        # One car, one row: the shared vehicle table gets any mark it lacks,
        # and the licence's plate and description where they differ.
        cur.execute(
            """
            INSERT INTO people_vehicle (registration, mark_format, make, model,
                colour, plate_kind, plate_number, created_at, updated_at)
            SELECT registration, mark_format, make, model, colour, licence_type,
                   plate_number, now(), now()
            FROM lic_vehicle
            ON CONFLICT (registration) DO UPDATE SET
                make = coalesce(nullif(EXCLUDED.make, ''), people_vehicle.make),
                model = coalesce(nullif(EXCLUDED.model, ''), people_vehicle.model),
                colour = coalesce(nullif(EXCLUDED.colour, ''), people_vehicle.colour),
                plate_kind = EXCLUDED.plate_kind,
                plate_number = EXCLUDED.plate_number,
                -- An edit open on the vehicle's page is now stale.
                version = people_vehicle.version + 1,
                updated_at = now()
            WHERE (people_vehicle.plate_kind, people_vehicle.plate_number,
                   people_vehicle.make, people_vehicle.model, people_vehicle.colour)
              IS DISTINCT FROM
                  (EXCLUDED.plate_kind, EXCLUDED.plate_number,
                   coalesce(nullif(EXCLUDED.make, ''), people_vehicle.make),
                   coalesce(nullif(EXCLUDED.model, ''), people_vehicle.model),
                   coalesce(nullif(EXCLUDED.colour, ''), people_vehicle.colour))
            """
        )
        add(
            _upsert(
                cur,
                table="licensing_licensedvehicle",
                key="plate_number",
                columns=[
                    "plate_number",
                    "vehicle_id",
                    "licence_type",
                    "status",
                    "plate_expires_on",
                    "driver_id",
                    "operator_id",
                    "officer_id",
                ],
                keep=("officer_id",),
                select=f"""
                SELECT v.plate_number, pv.id, v.licence_type, v.status,
                       v.plate_expires_on, d.id, o.id, {officer}::integer
                FROM lic_vehicle v
                JOIN people_vehicle pv ON pv.registration = v.registration
                LEFT JOIN licensing_driver d ON d.licence_number = v.driver_licence
                LEFT JOIN licensing_operator o ON o.licence_number = v.operator_licence
                """,
            )
        )
    report.created, report.updated = counts["created"], counts["updated"]
    total = len(parsed.drivers) + len(parsed.vehicles) + len(parsed.operators)
    report.unchanged = total - report.created - report.updated
    report.notes.append(
        f"{len(parsed.drivers)} drivers, {len(parsed.vehicles)} vehicles, "
        f"{len(parsed.operators)} operators in the file"
    )


def staff_write(parsed, report: ImportReport) -> None:
    head = [
        "reference",
        "name",
        "kind",
        "directorate",
        "role",
        "needs_enhanced_dbs",
        *COMPLIANCE_COLUMNS,
    ]
    with temp_table(
        "lic_staff",
        "reference text, name text, kind text, directorate text, role text, "
        "needs_enhanced_dbs bool, dbs_issued_on date, dbs_certificate_number text, "
        "dbs_update_service bool, dbs_last_checked_on date, training_course text, "
        "training_provider text, training_completed_on date, "
        "training_refresher_due date",
    ) as cur:
        _copy(
            cur,
            "lic_staff",
            head,
            ([s[c] for c in head] for s in parsed.staff.values()),
        )
        report.created, report.updated = _upsert(
            cur,
            table="licensing_staffmember",
            key="reference",
            columns=head,
            select=f"SELECT {', '.join(head)} FROM lic_staff",
        )
    report.unchanged = len(parsed.staff) - report.created - report.updated
    report.notes.append(f"{len(parsed.staff)} staff and councillors in the file")
