"""iamlite.TOTP and FrozenClock: codes equal pyotp's, with pyotp's method names and semantics."""

from __future__ import annotations

import base64
import datetime as dt
import os
import random

import pyotp
import pytest

import iamlite


def test_codes_equal_pyotp_for_random_secrets_and_times():
    rng = random.Random(1)
    for _ in range(300):
        secret = base64.b32encode(os.urandom(40)).decode()
        t = rng.randrange(0, 4_000_000_000)
        ours, theirs = iamlite.TOTP(secret), pyotp.TOTP(secret)
        assert ours.at(t) == theirs.at(t)
        assert ours.at(t, counter_offset=-1) == theirs.at(t, counter_offset=-1)


def test_bytes_seed_from_a_device_and_verify_window(iam, clock):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    totp = iamlite.TOTP(device.base32_string_seed)
    reference = pyotp.TOTP(device.base32_string_seed.decode())
    t = clock.time()
    assert totp.at(t) == reference.at(t)
    assert totp.verify(reference.at(t - 30), for_time=t, valid_window=1)
    assert not totp.verify(reference.at(t - 30), for_time=t)
    assert totp.verify(int(reference.at(t)), for_time=t) == reference.verify(int(reference.at(t)), for_time=t)


def test_datetimes_are_accepted_like_pyotp():
    secret = pyotp.random_base32()
    when = dt.datetime(2027, 1, 15, 12, 0, 0, tzinfo=dt.timezone.utc)
    assert iamlite.TOTP(secret).at(when) == pyotp.TOTP(secret).at(when)
    naive = dt.datetime(2027, 1, 15, 12, 0, 0)
    assert iamlite.TOTP(secret).at(naive) == pyotp.TOTP(secret).at(naive)


def test_repr_hides_the_secret_and_bad_secrets_are_refused_without_echo():
    secret = pyotp.random_base32()
    assert secret not in repr(iamlite.TOTP(secret))
    with pytest.raises(ValueError) as e:
        iamlite.TOTP("not base32 at all!")
    assert "not base32 at all" not in str(e.value)


def test_frozen_clock_moves_only_when_told():
    clock = iamlite.FrozenClock(dt.datetime(2027, 1, 15, tzinfo=dt.timezone.utc))
    start = clock.time()
    assert clock.time() == start
    assert clock.advance(90) == start + 90
    clock.set(1_800_000_000)
    assert clock.time() == 1_800_000_000
    iam = iamlite.resource("iam", clock=clock)
    user = iam.meta.client.create_user(UserName="u")["User"]
    assert user["CreateDate"] == dt.datetime.fromtimestamp(1_800_000_000, dt.timezone.utc)


def test_default_clock_follows_freezegun():
    freezegun = pytest.importorskip("freezegun")
    with freezegun.freeze_time("2030-05-01 10:00:00"):
        user = iamlite.client("iam").create_user(UserName="u")["User"]
    assert user["CreateDate"] == dt.datetime(2030, 5, 1, 10, 0, tzinfo=dt.timezone.utc)
