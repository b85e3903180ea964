"""``TOTP``: RFC 6238 codes as AWS's authenticator apps compute them (SHA1, 6 digits, 30 s), with
pyotp's method names. The computation runs in iamlite's Rust core."""

from __future__ import annotations

import datetime as _dt
import hmac
import time as _time
from typing import Optional, Union

from ._native import totp_at

TimeLike = Union[_dt.datetime, float, int]


def _epoch(t: TimeLike) -> float:
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            return _time.mktime(t.timetuple())  # pyotp treats naive datetimes as local time
        return t.timestamp()
    return float(t)


class TOTP:
    """Time-based one-time passwords for a base32 secret (``str`` or the ``bytes`` that
    ``base32_string_seed`` returns)."""

    interval = 30
    digits = 6

    def __init__(self, secret: Union[str, bytes]) -> None:
        if isinstance(secret, (bytes, bytearray)):
            secret = bytes(secret).decode("ascii")
        totp_at(secret, 0.0)  # rejects text that is not base32, without echoing it
        self._secret = secret

    @property
    def secret(self) -> str:
        return self._secret

    def at(self, for_time: TimeLike, counter_offset: int = 0) -> str:
        """The code at a time (datetime or epoch seconds), shifted by ``counter_offset`` steps.

        A naive datetime is local time, as in pyotp (``FrozenClock`` reads naive datetimes as UTC):
        pass epoch seconds or an aware datetime to mean the same instant in both."""
        return totp_at(self._secret, _epoch(for_time), counter_offset)

    def now(self) -> str:
        return self.at(_time.time())

    def verify(self, otp: Union[str, int], for_time: Optional[TimeLike] = None, valid_window: int = 0) -> bool:
        """Whether ``otp`` is the code at ``for_time`` (default now), ± ``valid_window`` steps."""
        t = _time.time() if for_time is None else _epoch(for_time)
        otp = str(otp)
        return any(
            hmac.compare_digest(otp, self.at(t, offset)) for offset in range(-valid_window, valid_window + 1)
        )

    def __repr__(self) -> str:
        return "TOTP(<secret hidden>)"
