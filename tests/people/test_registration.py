import pytest
from django.core.exceptions import ValidationError

from people.registration import registration_clean
from people.services import vehicle_get_or_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw, mark, fmt",
    [
        ("ab12 cde", "AB12CDE", "current"),
        ("KX19-ZZT", "KX19ZZT", "current"),
        ("A123 BCD", "A123BCD", "prefix"),
        ("ABC 123D", "ABC123D", "suffix"),
        ("ABC 123", "ABC123", "dateless"),
        ("1234 AB", "1234AB", "dateless"),
    ],
)
def test_marks_are_normalised_and_told_apart(raw, mark, fmt):
    assert registration_clean(raw) == (mark, fmt)


@pytest.mark.parametrize("raw", ["", "   ", "AB12CDEF", "12345", "AB1!CDE", "ABCDEFG"])
def test_anything_else_gets_a_message_saying_what_a_mark_looks_like(raw):
    with pytest.raises(ValidationError) as caught:
        registration_clean(raw)
    assert "registration" in caught.value.message_dict


def test_one_car_is_one_row():
    first, made = vehicle_get_or_create(registration="ab12 cde", colour="Silver")
    again, made_again = vehicle_get_or_create(registration="AB12CDE")
    assert made and not made_again
    assert first.pk == again.pk


def test_a_licensed_vehicle_needs_its_plate_number():
    with pytest.raises(ValidationError):
        vehicle_get_or_create(registration="AB12CDE", plate_kind="hackney")
