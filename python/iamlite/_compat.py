"""The UTC tzinfo iamlite puts on timestamps: dateutil's ``tzutc()`` when available (what botocore
hands out), else ``datetime.timezone.utc``."""

from __future__ import annotations

import datetime as _dt

try:
    from dateutil.tz import tzutc as _tzutc

    UTC: _dt.tzinfo = _tzutc()
except ImportError:  # pragma: no cover
    UTC = _dt.timezone.utc


def from_epoch(seconds: int) -> _dt.datetime:
    """A timezone-aware UTC datetime for whole epoch seconds."""
    return _dt.datetime.fromtimestamp(seconds, UTC)
