"""The free-text check: what identifies someone is refused, what does not
is let through."""

from datetime import date

import pytest

from intelligence.validators import personal_details_found

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    "text, found",
    [
        ("Girl, DOB 03/04/2011, seen with two men", "date of birth"),
        ("her d.o.b. is 3.4.11", "date of birth"),
        ("born on 12 March 2012 according to her friend", "date of birth"),
        ("a boy (14/02/2010) was in the car", "date of birth"),
        ("She gave her number as 07700 900123", "phone number"),
        ("Driver rang from +44 24 7683 3333", "phone number"),
        ("messages from kid.sender@example.com", "email address"),
    ],
)
def test_personal_details_are_refused_with_what_was_found(text, found):
    problems = personal_details_found(text, today=TODAY)
    assert len(problems) == 1
    assert found in problems[0]


@pytest.mark.parametrize(
    "text",
    [
        "Seen at 22:30 on 14/11/2026 with a man in his 40s, room 203",
        "Grey Ford Focus AB12 CDE picked up two girls about 14 near CV1 2AB",
        "Between 2200 and 2330 on 3 March, three times this month",
        "Reference 123456 from the hotel's log",
        "",
    ],
)
def test_ordinary_details_pass(text):
    assert personal_details_found(text, today=TODAY) == []


def test_all_problems_are_listed_together():
    problems = personal_details_found(
        "DOB 1/1/2012, phone 07912 345678, mail a@b.org", today=TODAY
    )
    assert [p.split(" (")[0] for p in problems] == [
        "Remove the date of birth",
        "Remove the phone number",
        "Remove the email address",
    ]
