"""Clocks for iamlite accounts. The default is Python's ``time.time()`` (looked up on every call,
so freezegun and time-machine freeze iamlite too); ``FrozenClock`` stands still until moved."""

from __future__ import annotations

import datetime as _dt
import threading
import time as _time
from typing import Optional, Union

TimeLike = Union[_dt.datetime, float, int]


def _to_epoch(t: TimeLike) -> float:
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=_dt.timezone.utc)
        return t.timestamp()
    if isinstance(t, bool) or not isinstance(t, (int, float)):
        raise TypeError(f"expected a datetime or epoch seconds, got {type(t).__name__}")
    return float(t)


class FrozenClock:
    """A clock that only moves when told: ``time()``, ``advance(seconds)``, ``set(t)``.

    ``start`` is a datetime (naive means UTC; note that ``TOTP.at`` reads naive datetimes as local
    time, as pyotp does) or epoch seconds; the default is now.
    """

    def __init__(self, start: Optional[TimeLike] = None) -> None:
        self._lock = threading.Lock()
        self._now = _time.time() if start is None else _to_epoch(start)

    def time(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._now += float(seconds)
            return self._now

    def set(self, t: TimeLike) -> None:
        with self._lock:
            self._now = _to_epoch(t)

    def datetime(self) -> _dt.datetime:
        return _dt.datetime.fromtimestamp(self.time(), _dt.timezone.utc)

    def __repr__(self) -> str:
        return f"FrozenClock({self.datetime().isoformat()})"
