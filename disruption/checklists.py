"""The awareness-visit checklists: the warning signs staff are trained to spot,
by sector (DESIGN.md), and which sector a location's category uses."""

from django.core.exceptions import ValidationError

from .models import Sector

CHECKLISTS: dict[str, list[tuple[str, str]]] = {
    Sector.HOTEL: [
        (
            "walk_in_adults_with_young_people",
            "Walk-in bookings by adults with young people",
        ),
        ("no_luggage_or_id", "No luggage or ID"),
        ("cash_payment", "Cash payment"),
        ("isolated_room_requested", "Requests for isolated rooms"),
        ("many_visitors_to_room", "Many visitors to one room"),
        ("young_people_alcohol", "Alcohol taken to rooms with young people"),
    ],
    Sector.TAXI: [
        ("young_people_with_older_adults", "Young people travelling with older adults"),
        ("pickups_from_hotels_late", "Late-night pick-ups of young people from hotels"),
        ("driver_gives_gifts", "Drivers giving gifts or free rides"),
        ("repeated_same_young_person", "The same young person carried again and again"),
    ],
    Sector.TAKEAWAY: [
        ("young_people_given_free_food", "Young people given free food or gifts"),
        ("young_people_behind_counter", "Young people behind the counter or upstairs"),
        ("adults_loitering_with_young_people", "Adults loitering with young people"),
        (
            "vehicles_collecting_young_people",
            "Vehicles collecting young people outside",
        ),
    ],
    Sector.LICENSED: [
        ("underage_drinking", "Under-age drinking"),
        ("young_people_with_older_adults", "Young people with much older adults"),
        ("after_hours_private_parties", "After-hours private parties"),
        ("staff_not_challenging_age", "Staff not challenging age"),
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
