"""ISO weeks in a time zone (docs/metrics.md#weeks-and-time-zones): labels, validation, and their instants.

Pure standard library (no pandas) so the CLI can validate `--week` and `--tz` before reading.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from cetool.core.errors import CetoolError
from cetool.core.suggest import closest

_LABEL = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)


def check_tz(name: str, option: str = "--tz") -> str:
    try:
        if not name or name != name.strip():
            raise ValueError
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        close = similar_zones(name)
        hint = f"did you mean {' or '.join(close)}? Use" if close else "use"
        raise CetoolError(f"{option}: unknown time zone {name[:80]!r}; {hint} an IANA name such as "
                          "Europe/Berlin, America/New_York or UTC") from None
    return name


def similar_zones(name: str, limit: int = 3) -> list[str]:
    """IANA zones a mistyped name probably meant: `Berlin` -> Europe/Berlin (the city part
    matches, ignoring case, spaces for underscores), else the closest spellings."""
    wanted = name.strip().replace(" ", "_").casefold()
    if not wanted or len(wanted) > 64:
        return []
    zones = sorted(available_timezones())
    by_city = [zone for zone in zones if zone.rsplit("/", 1)[-1].casefold() == wanted or zone.casefold() == wanted]
    if by_city:
        return by_city[:limit]
    cities: dict[str, str] = {}
    for zone in zones:
        cities.setdefault(zone.rsplit("/", 1)[-1].casefold(), zone)
        cities.setdefault(zone.casefold(), zone)
    return list(dict.fromkeys(cities[c] for c in closest(wanted, cities, count=limit, cutoff=0.8)))


WEEK_YEARS = range(1900, 2100)


def monday_of(label: str) -> date:
    if not label.strip():
        raise CetoolError("--week: empty; expected an ISO week like 2026-W47 (leave --week out for the "
                          "last complete week)")
    match = _LABEL.match(label.strip())
    if not match:
        raise CetoolError(f"--week: {label!r} is not an ISO week; write it like 2026-W47")
    year, week = int(match.group(1)), int(match.group(2))
    if year not in WEEK_YEARS:  # timestamps outside these years are unparseable, so no week is
        raise CetoolError(f"--week: {label} is out of range; weeks run from {WEEK_YEARS.start} "
                          f"to {WEEK_YEARS.stop - 1}")
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise CetoolError(f"--week: {label} does not exist ({year} has "
                          f"{date(year, 12, 28).isocalendar().week} ISO weeks)") from None


def label_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def default_week(today: date) -> str:
    """The last complete ISO week before `today`: the week before the one `today` is in."""
    if today.year not in WEEK_YEARS:
        raise CetoolError(f"--today {today.isoformat()} is out of range; dates run from "
                          f"{WEEK_YEARS.start} to {WEEK_YEARS.stop - 1}")
    return label_of(today - timedelta(days=7))


def week_labels(last: str, count: int) -> list[str]:
    monday = monday_of(last)
    if (monday - timedelta(days=7 * (count - 1))).year < WEEK_YEARS.start:
        raise CetoolError(f"--weeks {count}: the trend before {last} would start before {WEEK_YEARS.start}")
    return [label_of(monday - timedelta(days=7 * back)) for back in range(count - 1, -1, -1)]


def local_midnight(day: date, tz: str) -> datetime:
    """Local 00:00 of `day` (fold=0: in a gap, the offset before it) as an aware datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz))


def boundaries(labels: list[str], tz: str) -> list[datetime]:
    """len(labels)+1 aware instants: each week's Monday 00:00 local, then the last week's end."""
    mondays = [monday_of(label) for label in labels]
    mondays.append(mondays[-1] + timedelta(days=7))
    return [local_midnight(day, tz) for day in mondays]


def to_ns(moment: datetime) -> int:
    delta = moment.astimezone(timezone.utc) - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


def week_rule(label: str, tz: str) -> str:
    return f"ISO week {label}: Monday 00:00 to the next Monday 00:00, {tz}"
