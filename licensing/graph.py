"""Licences on the link chart: a licensed vehicle in a graph answer brings
its driver and its operator, joined to it by licence links.

They are not people.Link rows (the register is the council's, not
intelligence): they are added to the answer people.graph makes, for roles
that see licences (licensing.view_licence), labelled by licence number, and
by name only for roles that see drivers' names.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from .compliance import compliance_annotate
from .models import Compliance, Driver, LicensedVehicle

LICENSED_DRIVER = "licensed_driver"
OPERATES = "operates"


def graph_licences_add(*, user: AbstractBaseUser, payload: dict) -> dict:
    """The payload with each licensed vehicle's driver and operator; the
    licence's status and compliance in the node's kind."""
    if not user.has_perm("licensing.view_licence"):
        return payload
    vehicle_ids = [
        int(n["id"].split(":", 1)[1])
        for n in payload.get("nodes", [])
        if n["type"] == "vehicle"
    ]
    if not vehicle_ids:
        return payload
    licences = list(
        LicensedVehicle.objects.filter(vehicle_id__in=vehicle_ids).select_related(
            "operator", "driver__operator"
        )
    )
    drivers = {
        d.pk: d
        for d in compliance_annotate(
            qs=Driver.objects.filter(
                pk__in=[lv.driver_id for lv in licences if lv.driver_id]
            )
        )
    }
    names = user.has_perm("licensing.view_driver")
    nodes, edges = payload["nodes"], payload["edges"]
    present = {n["id"] for n in nodes}
    for lv in licences:
        vehicle_ref = f"vehicle:{lv.vehicle_id}"
        hops = next((n["hops"] for n in nodes if n["id"] == vehicle_ref), 0) + 1
        driver = drivers.get(lv.driver_id)
        operator = lv.operator or (driver.operator if driver else None)
        if driver is not None:
            ref = f"driver:{driver.pk}"
            if ref not in present:
                present.add(ref)
                label = driver.licence_number + (f" {driver.name}" if names else "")
                kind = (
                    "not compliant"
                    if driver.compliance == Compliance.NOT_COMPLIANT
                    else driver.get_status_display().lower()
                )
                nodes.append(
                    {
                        "id": ref,
                        "type": "driver",
                        "label": label,
                        "kind": f"{driver.get_licence_type_display()}, {kind}",
                        "url": reverse("licensing:driver", args=[driver.pk])
                        if names
                        else None,
                        "hops": hops,
                    }
                )
            edges.append(_edge(LICENSED_DRIVER, vehicle_ref, ref))
        if operator is not None:
            ref = f"operator:{operator.pk}"
            if ref not in present:
                present.add(ref)
                nodes.append(
                    {
                        "id": ref,
                        "type": "operator",
                        "label": operator.name,
                        "kind": f"operator {operator.licence_number}",
                        "url": None,
                        "hops": hops + 1,
                    }
                )
            source = f"driver:{driver.pk}" if driver is not None else vehicle_ref
            edge = _edge(OPERATES, ref, source)
            if all(e["id"] != edge["id"] for e in edges):
                edges.append(edge)
    return payload


def _edge(kind: str, source: str, target: str) -> dict:
    return {
        "id": f"{kind}:{source}:{target}",
        "source": source,
        "target": target,
        "type": kind,
        "confidence": "high",
        "records": [],
        "first_seen": None,
        "last_seen": None,
    }
