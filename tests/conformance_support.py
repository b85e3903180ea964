"""Helpers shared by the independent conformance tests (test_conformance_core.py and
test_conformance_lifecycle.py).

Written against the contract only (aws-reference.md + design.md "Public API").  The botocore
service model installed next to boto3 is the oracle for shapes, patterns and for client-side
ParamValidationError texts; TOTP codes are computed independently with pyotp.

The ``clock`` and ``iam`` fixtures defined here are imported by name into each test module
(which overrides the ones in conftest.py); ``iam`` uses the module's own ``make`` fixture.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import botocore.session
import pyotp
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError as BotoClientError
from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator

import iamlite

# --------------------------------------------------------------------------- constants

ACCOUNT = "123456789012"
T0 = 1767225600 + 12  # 2026-01-01T00:00:12Z, 12 s into a 30 s TOTP step
STEP = 30

MODEL = botocore.session.get_session().get_service_model("iam")


def pattern(shape_name: str) -> str:
    return MODEL.shape_for(shape_name).metadata["pattern"]


SERIAL_PATTERN = pattern("serialNumberType")  # [\w+=/:,.@-]+
TAG_KEY_PATTERN = pattern("tagKeyType")
TAG_VALUE_PATTERN = pattern("tagValueType")

PATH_MSG = (
    "The specified value for path is invalid. It must begin and end with / and contain only "
    "alphanumeric characters and/or / characters."
)

STATUS = {
    "EntityAlreadyExists": 409,
    "NoSuchEntity": 404,
    "DeleteConflict": 409,
    "InvalidAuthenticationCode": 403,
    "LimitExceeded": 409,
    "InvalidInput": 400,
    "ValidationError": 400,
}
MODELED = {
    "NoSuchEntity": "NoSuchEntityException",
    "EntityAlreadyExists": "EntityAlreadyExistsException",
    "LimitExceeded": "LimitExceededException",
    "DeleteConflict": "DeleteConflictException",
    "InvalidAuthenticationCode": "InvalidAuthenticationCodeException",
    "InvalidInput": "InvalidInputException",
}

# --------------------------------------------------------------------------- service model


def out_members(op: str) -> set[str]:
    return set(MODEL.operation_model(op).output_shape.members)


def shape_members(shape_name: str) -> set[str]:
    return set(MODEL.shape_for(shape_name).members)


# --------------------------------------------------------------------------- error texts


def pattern_part(value: str, member: str, pat: str) -> str:
    return f"Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pat}"


def length_part(value: str | None, member: str, n: int) -> str:
    v = "Value" if value is None else f"Value '{value}'"
    return f"{v} at '{member}' failed to satisfy constraint: Member must have length less than or equal to {n}"


def coral(*parts: str) -> str:
    n = len(parts)
    head = "1 validation error detected: " if n == 1 else f"{n} validation errors detected: "
    return head + "; ".join(parts)


# --------------------------------------------------------------------------- response checks


def check_metadata(md: dict, status: int = 200) -> None:
    assert {"RequestId", "HTTPStatusCode", "HTTPHeaders", "RetryAttempts"} <= set(md)
    assert md["HTTPStatusCode"] == status
    assert md["RetryAttempts"] == 0
    assert isinstance(md["RequestId"], str) and md["RequestId"]
    assert isinstance(md["HTTPHeaders"], dict)


def check_error(client, e: BaseException, op: str, code: str, message: str | None) -> None:
    """aws-reference §8: the full ClientError contract."""
    assert isinstance(e, BotoClientError), type(e)
    assert isinstance(e, iamlite.exceptions.ClientError), type(e)
    assert set(e.response) == {"Error", "ResponseMetadata"}, e.response
    err = e.response["Error"]
    assert err["Code"] == code, err
    assert err["Type"] == "Sender", err
    if message is not None:
        assert err == {"Type": "Sender", "Code": code, "Message": message}
        assert str(e) == f"An error occurred ({code}) when calling the {op} operation: {message}"
    check_metadata(e.response["ResponseMetadata"], STATUS[code])
    assert e.operation_name == op
    if code in MODELED:
        assert isinstance(e, getattr(client.exceptions, MODELED[code])), type(e)
    else:
        for cls in MODELED.values():
            assert not isinstance(e, getattr(client.exceptions, cls)), type(e)


def raises(client, op: str, code: str, message: str | None, **params) -> BotoClientError:
    method = getattr(client, xform_name(op))
    with pytest.raises(BotoClientError) as ei:
        method(**params)
    check_error(client, ei.value, op, code, message)
    return ei.value


def expected_param_error(op: str, params: dict) -> str:
    """The ParamValidationError text botocore itself gives for ``params``."""
    report = ParamValidator().validate(params, MODEL.operation_model(op).input_shape)
    assert report.has_errors(), "test bug: botocore accepts these params"
    return str(ParamValidationError(report=report.generate_report()))


def assert_param_error(client, op: str, params: dict) -> None:
    expected = expected_param_error(op, params)
    with pytest.raises(ParamValidationError) as ei:
        getattr(client, xform_name(op))(**params)
    assert str(ei.value) == expected


def assert_ts(value, epoch: float | None = None) -> None:
    assert isinstance(value, datetime)
    assert value.tzinfo is not None and value.utcoffset() == timedelta(0)
    assert value.microsecond == 0
    if epoch is not None:
        assert value == datetime.fromtimestamp(int(epoch), timezone.utc)


# --------------------------------------------------------------------------- values


def serial(name: str, path: str = "/", account: str = ACCOUNT, partition: str = "aws") -> str:
    return f"arn:{partition}:iam::{account}:mfa{path}{name}"


def tag(k: str, v: str = "") -> dict:
    return {"Key": k, "Value": v}


def all_pages(fn, key: str, **kw) -> list:
    out: list = []
    marker = None
    for _ in range(10_000):
        args = dict(kw)
        if marker is not None:
            args["Marker"] = marker
        r = fn(**args)
        out += r[key]
        if not r["IsTruncated"]:
            assert "Marker" not in r
            return out
        marker = r["Marker"]
    raise AssertionError("pagination did not terminate")


def device_snapshot(client):
    """Everything observable about devices (and their tags), for 'changes nothing' assertions."""
    devices = all_pages(client.list_virtual_mfa_devices, "VirtualMFADevices")
    tags = {
        d["SerialNumber"]: all_pages(client.list_mfa_device_tags, "Tags", SerialNumber=d["SerialNumber"])
        for d in devices
    }
    return devices, tags


# --------------------------------------------------------------------------- TOTP


def step_now(clock) -> int:
    return int(clock.time()) // STEP


def pair(seed: bytes, step: int) -> tuple[str, str]:
    """The codes for ``step`` and ``step + 1``."""
    totp = pyotp.TOTP(seed.decode())
    return totp.generate_otp(step), totp.generate_otp(step + 1)


def valid_pair(clock, dev) -> tuple[str, str]:
    """Codes for the previous and the current step (what an authenticator app shows)."""
    return pair(dev["Base32StringSeed"], step_now(clock) - 1)


def enable(client, clock, user: str, dev: dict):
    c1, c2 = valid_pair(clock, dev)
    return client.enable_mfa_device(
        UserName=user, SerialNumber=dev["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2
    )


def create(client, name: str, **kw) -> dict:
    return client.create_virtual_mfa_device(VirtualMFADeviceName=name, **kw)["VirtualMFADevice"]


# --------------------------------------------------------------------------- fixtures


def client_factory(clock, **defaults):
    """What each module's ``make`` fixture returns: ``make(**kw)`` builds an iamlite IAM client
    for ACCOUNT on ``clock``, with the module's ``defaults`` and then ``kw`` on top."""

    def _make(**kw):
        opts = {"account_id": ACCOUNT, "clock": clock, **defaults}
        opts.update(kw)
        return iamlite.client("iam", **opts)

    return _make


@pytest.fixture
def clock():
    return iamlite.FrozenClock(T0)


@pytest.fixture
def iam(make):
    """A client from the test module's own ``make`` fixture, with its defaults."""
    return make()
