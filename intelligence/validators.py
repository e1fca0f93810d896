"""Free text that must not identify anyone: one check for every form, API and
service that takes it (intelligence submissions and triage summaries today;
subject profiles reuse it).

A submission never names a child. No program can tell a name from any other
word, so the forms say so in words; what can be told is refused here: a date
of birth, a phone number, an email address. Each refusal says what was found
and what to write instead, so the person typing can fix it at once.
"""

import re
from datetime import date

import phonenumbers
from dateutil import parser as date_parser
from django.core.exceptions import ValidationError
from django.utils import timezone

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# A calendar date with its year: 3/4/2011, 03-04-11, 2011-04-03, 3rd April 2011,
# April 3 2011.
FULL_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)
# "DOB", "D.O.B.", "date of birth", "born", "birthday" and what follows it.
BIRTH_WORD = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born|birth\s?day)\b[\s:,-]*"
    r"(?:on\s+|in\s+)?(\S+(?:\s+\S+){0,3})",
    re.IGNORECASE,
)
# Events reported are recent; a full date further back than this in free
# text is far more likely to be someone's birthday than what happened.
EVENT_YEARS_BACK = 2
# UK numbers have 10 digits after the leading 0 (a few 9): shorter runs of
# digits are times, room numbers, references.
PHONE_MIN_DIGITS = 10

AGE_INSTEAD = "give an age or age band instead (for example 'about 14')"


def _phone_numbers(text: str) -> list[str]:
    found = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        if sum(c.isdigit() for c in match.raw_string) >= PHONE_MIN_DIGITS:
            found.append(match.raw_string)
    return found


def _looks_like_birth_date(text: str, today: date) -> str | None:
    if m := BIRTH_WORD.search(text):
        words = m.group(1).split()
        # Quote up to the last word holding a digit: the date, not what follows.
        last = max(
            (i for i, w in enumerate(words) if any(c.isdigit() for c in w)),
            default=None,
        )
        if last is not None:
            start = m.group(0)[: m.start(1) - m.start(0)]
            return (start + " ".join(words[: last + 1])).strip().rstrip(",.;")
    for m in FULL_DATE.finditer(text):
        try:
            when = date_parser.parse(m.group(0), dayfirst=True, fuzzy=True).date()
        except (ValueError, OverflowError):
            continue
        if when.year < today.year - EVENT_YEARS_BACK:
            return m.group(0)
    return None


def personal_details_found(text: str, *, today: date | None = None) -> list[str]:
    """What in `text` identifies someone, as messages to show; [] if none."""
    text = text or ""
    today = today or timezone.localdate()
    problems = []
    if found := _looks_like_birth_date(text, today):
        problems.append(
            f"Remove the date of birth (“{found}”): {AGE_INSTEAD}. A submission "
            "never holds a child's date of birth."
        )
    if found := _phone_numbers(text):
        problems.append(
            f"Remove the phone number (“{found[0]}”): say whose it is in words "
            "(for example 'the driver's mobile'), and give the number to the "
            "police by phone instead."
        )
    if found := EMAIL.findall(text):
        problems.append(
            f"Remove the email address (“{found[0]}”): say whose it is in words "
            "instead."
        )
    return problems


def free_text_check(value: str) -> None:
    """A Django validator: ValidationError listing what to take out."""
    problems = personal_details_found(value)
    if problems:
        raise ValidationError(problems, code="personal_details")
