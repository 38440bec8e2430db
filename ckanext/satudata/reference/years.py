"""The years SDI data may cover: one rule for the dataset schema's
validators, the inventory reader, the spreadsheet harvester's coverage and
the Dukcapil semester labels. (The data standards in standards/tables/ state
their own bounds, as published JSON.) Pure Python: no CKAN import."""

from __future__ import annotations

import datetime

FIRST_YEAR = 1945  # the Republic's first year; no SDI data predates it


def last_year(today: datetime.date | None = None) -> int:
    """Next year: plans and targets (a budget, an RPJMD indicator) name it."""
    return (today or datetime.date.today()).year + 1


def is_data_year(year: int) -> bool:
    return FIRST_YEAR <= year <= last_year()
