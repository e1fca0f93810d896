"""When a record comes up for its Management of Police Information review."""

from datetime import date

# MoPI: records are reviewed six years after receipt.
RETENTION_YEARS = 6


def review_date_for(received: date) -> date:
    try:
        return received.replace(year=received.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return received.replace(year=received.year + RETENTION_YEARS, day=28)
