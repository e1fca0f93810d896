"""The awareness-visit checklists: the warning signs staff are trained to spot,
by sector (DESIGN.md), and which sector a location's category uses."""

from django.core.exceptions import ValidationError

from .models import Sector

CHECKLISTS: dict[str, list[tuple[str, str]]] = {
    Sector.HOTEL: [
        ("walk_in_adult_with_young", "Walk-in bookings by adults with young people"),
        ("no_luggage_or_id", "No luggage or ID"),
        ("cash_payment", "Cash payment"),
        ("isolated_room", "Requests for isolated rooms"),
        ("many_visitors", "Many visitors to one room"),
        ("young_person_alone_night", "Young people arriving or leaving alone at night"),
    ],
    Sector.TAXI: [
        ("young_person_late_pickup", "Young people picked up late or from hotels"),
        ("adult_pays_for_young", "Adults paying for young people's journeys"),
        ("repeat_addresses", "Repeated journeys to the same addresses"),
        ("alcohol_in_vehicle", "Alcohol or drugs in the vehicle"),
        ("free_rides_gifts", "Free rides or gifts to young people"),
    ],
    Sector.TAKEAWAY: [
        ("young_people_linger", "Young people spending long periods on the premises"),
        ("free_food_gifts", "Free food, phones or gifts to young people"),
        ("staff_relationships", "Staff in relationships with young people"),
        ("back_rooms", "Young people taken to back rooms or upstairs"),
        ("vehicle_collection", "Vehicles collecting young people outside"),
    ],
    Sector.LICENSED: [
        ("underage_drinking", "Under-age drinking"),
        ("with_older_adults", "Young people with much older adults"),
        ("leaving_intoxicated", "Intoxicated young people leaving with adults"),
        ("staff_unaware", "Staff unaware of their safeguarding duty"),
    ],
}

SECTOR_FOR_CATEGORY = {
    "hotel": Sector.HOTEL,
    "bnb": Sector.HOTEL,
    "taxi_rank": Sector.TAXI,
    "private_hire_base": Sector.TAXI,
    "takeaway": Sector.TAKEAWAY,
    "licensed_premises": Sector.LICENSED,
    "shisha_lounge": Sector.LICENSED,
}


def disruption_validate_checklist(*, action) -> None:
    """Only the chosen sector's warning signs may be ticked."""
    if not action.checklist:
        return
    allowed = {key for key, _ in CHECKLISTS.get(action.sector, [])}
    if unknown := [c for c in action.checklist if c not in allowed]:
        sector = action.sector or "chosen"
        raise ValidationError(
            {"checklist": f"Not on the {sector} checklist: {', '.join(unknown)}."}
        )
