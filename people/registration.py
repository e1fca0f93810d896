"""UK vehicle registration marks: normalised, and told apart by format.

Current marks (since September 2001) are two letters, two digits (the age
identifier) and three letters: AB12 CDE. Older marks are still on the road:
prefix (1983-2001) A123 BCD, suffix (1963-1983) ABC 123D, and dateless
(before 1963, and Northern Ireland's) ABC 123 or 123 ABC.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models


class MarkFormat(models.TextChoices):
    CURRENT = "current", "Current (2001 on)"
    PREFIX = "prefix", "Prefix (1983-2001)"
    SUFFIX = "suffix", "Suffix (1963-1983)"
    DATELESS = "dateless", "Dateless"
    # Kept as written by a record (people/migrations/0002): never lost, but
    # not a mark the formats above know.
    UNVALIDATED = "unvalidated", "Not a recognised UK format"


FORMATS = [
    (MarkFormat.CURRENT, re.compile(r"[A-Z]{2}[0-9]{2}[A-Z]{3}")),
    (MarkFormat.PREFIX, re.compile(r"[A-Z][0-9]{1,3}[A-Z]{3}")),
    (MarkFormat.SUFFIX, re.compile(r"[A-Z]{3}[0-9]{1,3}[A-Z]")),
    (MarkFormat.DATELESS, re.compile(r"[A-Z]{1,3}[0-9]{1,4}|[0-9]{1,4}[A-Z]{1,3}")),
]
MAX_LENGTH = 16


def registration_normalise(raw: str | None) -> str:
    """Upper case, no spaces or hyphens: 'ab12 cde' -> 'AB12CDE'."""
    return re.sub(r"[\s-]+", "", raw or "").upper()


def registration_format(mark: str) -> MarkFormat | None:
    """The format a normalised mark is in, or None."""
    for fmt, pattern in FORMATS:
        if pattern.fullmatch(mark):
            return fmt
    return None


def registration_clean(raw: str | None) -> tuple[str, MarkFormat]:
    """The normalised mark and its format, or a ValidationError saying what a
    UK mark looks like."""
    mark = registration_normalise(raw)
    if not mark:
        raise ValidationError(
            {"registration": "Give the vehicle's registration mark."}, code="required"
        )
    fmt = registration_format(mark) if len(mark) <= MAX_LENGTH else None
    if fmt is None:
        raise ValidationError(
            {
                "registration": (
                    f"“{mark[:MAX_LENGTH]}” is not a UK registration mark. Current "
                    "marks look like AB12 CDE; older ones A123 BCD (prefix), "
                    "ABC 123D (suffix) or ABC 123 (dateless)."
                )
            },
            code="invalid_registration",
        )
    return mark, fmt
