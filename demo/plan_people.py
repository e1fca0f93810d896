"""People and vehicles for the demo city: a few networks, each with a handful
of persons of interest and their cars around hotels and takeaways; young
people at risk living at children's homes and seen with the networks; and
the single mentions every record's own subject reference gives (noise).

Planned after the records, with a random generator of its own, so the rest
of the city is the same as before. The records the links rest on carry the
network's marks and references in their arrays, so the mention links that
people/arrays.py makes from them agree with the typed links.
"""

import random
from dataclasses import dataclass, field

NETWORKS = 4
PLANNED_PREFIX = "SUBJ-"
MAKES = [
    ("Toyota", "Prius"),
    ("Skoda", "Octavia"),
    ("Vauxhall", "Insignia"),
    ("BMW", "3 Series"),
    ("Mercedes-Benz", "C-Class"),
    ("Volkswagen", "Passat"),
    ("Ford", "Galaxy"),
    ("Audi", "A4"),
]
COLOURS = ["Black", "Silver", "Grey", "White", "Blue", "Red"]
BUILDS = ["slim", "stocky", "tall", "short", "heavy-set"]
FEATURES = [
    "short beard",
    "shaved head",
    "glasses",
    "tattoo on left hand",
    "gold chain",
    "grey hoodie",
    "designer jacket",
    "limps slightly",
]
ADULT_BANDS = ["18_24", "25_34", "25_34", "35_44", "45_54"]
YOUNG_BANDS = ["13_15", "13_15", "16_17"]


@dataclass
class PeoplePlan:
    people: list[dict] = field(default_factory=list)
    vehicles: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)


def _mark(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUVWXY"
    return (
        f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(51, 74)}"
        f"{''.join(rng.choice(letters) for _ in range(3))}"
    )


def _descriptors(rng: random.Random) -> str:
    return f"{rng.choice(BUILDS).capitalize()}, {', '.join(rng.sample(FEATURES, 2))}"


def _cite(record: dict, *, ref: str = "", mark: str = "") -> str:
    """Put the subject's reference or the car's mark in the record's arrays
    (and its summary's subject), so its mentions agree; the record's
    reference to cite."""
    if ref and ref not in record["subject_refs"]:
        old = record["subject_refs"][0] if record["subject_refs"] else ""
        if old.startswith(PLANNED_PREFIX):
            # Already one of the networks' people: both are named.
            record["subject_refs"] = [*record["subject_refs"], ref]
        else:
            if old and old in record["summary"]:
                record["summary"] = record["summary"].replace(old, ref)
            record["subject_refs"] = [ref, *record["subject_refs"][1:]]
    if mark and mark not in record["vehicle_marks"]:
        record["vehicle_marks"] = [*record["vehicle_marks"], mark]
    return record["reference"]


def plan_people(plan, seed: int) -> PeoplePlan:
    rng = random.Random(seed * 7919 + 15)
    out = PeoplePlan()
    at = {}
    for rec in plan.records:
        if rec["location_key"] is not None:
            at.setdefault(rec["location_key"], []).append(rec)
    by_cat: dict[str, list] = {}
    for loc in plan.locations:
        if loc.key in at:
            by_cat.setdefault(loc.category, []).append(loc)
    hot = [h.location_key for h in plan.hotspots if h.location_key in at]
    hotels = [loc.key for loc in by_cat.get("hotel", []) + by_cat.get("bnb", [])]
    takeaways = [loc.key for loc in by_cat.get("takeaway", [])]
    homes = [loc.key for loc in by_cat.get("childrens_home", [])]

    n = 0

    def person(kind: str, bands: list[str], sex: str) -> dict:
        nonlocal n
        n += 1
        p = {
            "key": f"P{n:03d}",
            "kind": kind,
            "age_band": rng.choice(bands),
            "sex": sex,
            "descriptors": _descriptors(rng),
            "former_ref": f"{PLANNED_PREFIX}{seed:02d}-{n:04d}",
        }
        out.people.append(p)
        return p

    def link(kind: str, subject: dict, other: tuple, records: list[dict], **cite):
        refs = sorted({_cite(r, **cite) for r in records})
        out.links.append(
            {"type": kind, "subject": subject["key"], "other": other, "records": refs}
        )

    network_vehicles = []
    for net in range(NETWORKS):
        anchor = [hot[net % len(hot)]] if hot else []
        places = list(
            dict.fromkeys(
                anchor
                + rng.sample(hotels, k=min(2, len(hotels)))
                + rng.sample(takeaways, k=min(2, len(takeaways)))
            )
        )
        places = [p for p in places if p in at]
        members = [
            person("person_of_interest", ADULT_BANDS, "male")
            for _ in range(rng.randint(3, 5))
        ] + [person("associate", ADULT_BANDS, rng.choice(["male", "female"]))]
        cars = []
        for i in range(rng.randint(2, 3)):
            make, model = rng.choice(MAKES)
            licensed = i == 0 and rng.random() < 0.6
            car = {
                "registration": _mark(rng),
                "make": make,
                "model": model,
                "colour": rng.choice(COLOURS),
                "plate_kind": "private_hire" if licensed else "",
                "plate_number": f"PH{rng.randint(1000, 9999)}" if licensed else "",
            }
            out.vehicles.append(car)
            cars.append(car)
        network_vehicles.extend(cars)
        for m in members:
            for place in rng.sample(places, k=min(len(places), rng.randint(1, 3))):
                records = rng.sample(
                    at[place], k=min(len(at[place]), rng.randint(1, 3))
                )
                kind = rng.choice(["frequents", "frequents", "seen_at", "works_at"])
                link(kind, m, ("location", place), records, ref=m["former_ref"])
        for car in cars:
            driver = rng.choice(members)
            place = rng.choice(places)
            records = rng.sample(at[place], k=min(len(at[place]), 2))
            for r in records:
                _cite(r, mark=car["registration"])
            link(
                rng.choice(["drives", "owns"]),
                driver,
                ("vehicle", car["registration"]),
                records[:1],
                ref=driver["former_ref"],
            )
        # Associates: the network's members know one another.
        for a, b in zip(members, members[1:], strict=False):
            records = rng.sample(at[places[0]], k=1)
            for r in records:
                _cite(r, ref=b["former_ref"])
            link("associate", a, ("subject", b["key"]), records, ref=a["former_ref"])

    # Young people at risk: living at a children's home, seen in a network
    # car and at a network hotel.
    for i in range(min(len(homes) * 2, 10)):
        if not homes or not network_vehicles:
            break
        home = homes[i % len(homes)]
        young = person("young_person", YOUNG_BANDS, rng.choice(["female", "male"]))
        young["forum"] = rng.choice(["none", "cmog", "mace", "masp"])
        link(
            "resides",
            young,
            ("location", home),
            rng.sample(at[home], k=min(len(at[home]), 2)),
            ref=young["former_ref"],
        )
        car = rng.choice(network_vehicles)
        place = rng.choice(hotels)
        record = rng.choice(at[place])
        _cite(record, mark=car["registration"])
        link(
            "seen_in",
            young,
            ("vehicle", car["registration"]),
            [record],
            ref=young["former_ref"],
        )
        if rng.random() < 0.5:
            link("frequents", young, ("location", place), [record])
    return out
