"""UK postcodes as text: one normal form for lookups, one for display."""

import re

_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def postcode_normalise(text: str | None) -> str:
    """'cv1 1lf', 'CV11LF' and ' CV1  1LF ' are all 'CV11LF'."""
    return _NOT_ALNUM.sub("", (text or "").upper())


def postcode_display(text: str | None) -> str:
    """The postcode as written on letters: 'CV11LF' -> 'CV1 1LF'."""
    code = postcode_normalise(text)
    return f"{code[:-3]} {code[-3:]}" if len(code) > 3 else code
