"""Hostile input: property tests over every client operation and the resource's
``create_virtual_mfa_device``.

Every parameter is drawn from random Unicode (lone surrogates, NUL, RTL marks, emoji), huge
strings (10^5 characters), wrong types (numbers, bytes, None, containers, nested junk, objects
whose ``__str__`` raises), the boundary lengths of its model constraint (0, 1, min, max, max+1)
and valid values (so success paths run too), plus unknown keys. Each call must either succeed
with a response made only of modeled keys, or raise exactly botocore's ``ParamValidationError``
(exactly when botocore's own validator rejects the same parameters) or iamlite's ``ClientError``
with a code the operation models (or ValidationError) and its HTTP status; never a panic,
``SystemError``, ``TypeError`` or ``ValueError``. A failed call (and any read-only call) leaves
the account exactly as it was.

Budget: the ``ci`` profile (default) keeps this file well under a minute;
``HYPOTHESIS_PROFILE=long`` runs many more examples.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, Dict

import botocore.exceptions
import botocore.session
import botocore.validate
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import iamlite
from iamlite.exceptions import ClientError, error_class_for

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

NOW = 1_800_000_000
ACCOUNT = "123456789012"
PREFIX = f"arn:aws:iam::{ACCOUNT}:mfa"

MODEL = botocore.session.get_session().get_service_model("iam")
VALIDATOR = botocore.validate.ParamValidator()

OPERATIONS = [
    "CreateVirtualMFADevice",
    "DeleteVirtualMFADevice",
    "ListVirtualMFADevices",
    "EnableMFADevice",
    "DeactivateMFADevice",
    "ResyncMFADevice",
    "GetMFADevice",
    "ListMFADevices",
    "TagMFADevice",
    "UntagMFADevice",
    "ListMFADeviceTags",
    "CreateUser",
    "GetUser",
    "UpdateUser",
    "DeleteUser",
    "ListUsers",
    "GetAccountSummary",
]
READ_ONLY = {"ListVirtualMFADevices", "GetMFADevice", "ListMFADevices", "ListMFADeviceTags",
             "GetUser", "ListUsers", "GetAccountSummary"}

#: aws-reference §8: the documented codes and their HTTP statuses.
STATUS = {
    "NoSuchEntity": 404,
    "EntityAlreadyExists": 409,
    "DeleteConflict": 409,
    "InvalidAuthenticationCode": 403,
    "LimitExceeded": 409,
    "InvalidInput": 400,
    "ValidationError": 400,
    "ConcurrentModification": 409,
    "EntityTemporarilyUnmodifiable": 409,
    "ServiceFailure": 500,
}


def allowed_codes(op: str) -> set:
    """The error codes the model lists for the operation, plus ValidationError (any request);
    ServiceFailure is left out: only a failing OS random generator produces it."""
    codes = {"ValidationError"}
    for shape in MODEL.operation_model(op).error_shapes:
        codes.add(shape.metadata.get("error", {}).get("code", shape.name))
    codes.discard("ServiceFailure")
    return codes


# ---------------------------------------------------------------------------- hostile values


class Unprintable:
    """An object whose str() and repr() raise."""

    def __str__(self) -> str:
        raise RuntimeError("__str__ of a hostile object")

    __repr__ = __str__  # type: ignore[assignment]

    def __len__(self) -> int:
        raise RuntimeError("__len__ of a hostile object")


class StrWithBadStr(str):
    """A real str subclass whose __str__ raises."""

    def __str__(self) -> str:
        raise RuntimeError("__str__ of a str subclass")


NASTY_TEXT = [
    "\ud800",
    "a\udfffb",
    "\x00",
    "a\x00b",
    "\u200f",
    "\u202eevil",
    "\ufeff",
    "😀",
    "名前",
    " ",
    "\n",
    "a" * 100_000,
    "/" + "a" * 100_000 + "/",
    "aws:x",
    "AWS:",
    "%s%n{0}",
    "'; DROP TABLE users; --",
    "<xml>&amp;</xml>",
]

WRONG_TYPES = [
    0,
    -1,
    2**70,
    1.5,
    float("nan"),
    float("inf"),
    b"bytes",
    bytearray(b"x"),
    None,
    True,
    [],
    ["a"],
    {},
    {"Key": "k"},
    [[{"x": [1, {2: 3}]}]],
    (1, 2),
    {1, 2},
    object(),
]

any_text = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=()), max_size=40),
    st.sampled_from(NASTY_TEXT),
)
junk = st.one_of(
    st.sampled_from(WRONG_TYPES),
    st.builds(Unprintable),
    st.builds(StrWithBadStr, st.sampled_from(["alice", "d0", "x"])),
    st.recursive(
        st.one_of(st.none(), st.integers(), st.floats(), st.binary(max_size=4), any_text),
        lambda inner: st.one_of(st.lists(inner, max_size=3),
                                st.dictionaries(st.text(max_size=3), inner, max_size=3)),
        max_leaves=6,
    ),
)


def boundary_strings(member: str, shape: Any) -> st.SearchStrategy:
    """Valid-looking strings at the shape's length bounds: 0, 1, min-1, min, max, max+1."""
    lo = shape.metadata.get("min", 0)
    hi = shape.metadata.get("max")
    lengths = {0, 1, max(lo - 1, 0), lo}
    if hi is not None:
        lengths |= {hi, hi + 1}
    else:
        lengths |= {64, 2300, 2400}

    def build(n: int) -> str:
        if member in ("Path", "NewPath"):
            return "/" + "a" * max(n - 2, 0) + "/" if n >= 2 else "/" * n
        if member == "PathPrefix":
            return "/" + "a" * max(n - 1, 0) if n else ""
        if member == "SerialNumber":
            base = PREFIX + "/"
            return base + "a" * (n - len(base)) if n > len(base) else "a" * n
        if member.startswith("AuthenticationCode"):
            return "1" * n
        if member == "PermissionsBoundary":
            base = "arn:aws:iam::aws:policy/"
            return base + "a" * (n - len(base)) if n > len(base) else "a" * n
        return "a" * n

    return st.sampled_from(sorted(lengths)).map(build)


VALID: Dict[str, list] = {
    "UserName": ["alice", "bob", "ALICE", "nobody"],
    "NewUserName": ["carol", "bob", "Alice"],
    "VirtualMFADeviceName": ["d0", "d9", "new", "x.y@z"],
    "SerialNumber": [f"{PREFIX}/d0", f"{PREFIX}/ops/d1", f"{PREFIX}/d2", f"{PREFIX}/nope"],
    "Path": ["/", "/ops/", "/a//b/"],
    "NewPath": ["/", "/new/"],
    "PathPrefix": ["/", "/ops/", "/nothing/"],
    "AuthenticationCode1": ["<CODE1>", "123456"],
    "AuthenticationCode2": ["<CODE2>", "654321"],
    "AssignmentStatus": ["Assigned", "Unassigned", "Any"],
    "Marker": ["bm90IGEgbWFya2Vy"],
    "PermissionsBoundary": ["arn:aws:iam::aws:policy/PowerUserAccess"],
}


def weighted(*pairs: Any) -> st.SearchStrategy:
    """``one_of`` with integer weights: (weight, strategy) pairs."""
    return st.sampled_from([strategy for weight, strategy in pairs for _ in range(weight)]).flatmap(lambda s: s)


def string_values(member: str, shape: Any) -> st.SearchStrategy:
    valid = st.sampled_from(VALID.get(member, ["x"]))
    return weighted((6, valid), (2, boundary_strings(member, shape)), (2, any_text), (1, junk))


def integer_values() -> st.SearchStrategy:
    return weighted(
        (4, st.sampled_from([1, 2, 1000, 1001, 0, -1, 2**31, 2**63, 2**70, True, False])),
        (1, st.integers()),
        (1, junk),
    )


def tag_values(case_keys: bool) -> st.SearchStrategy:
    key = weighted((6, st.sampled_from(["k", "team", "K", "aws:x", "名", "k" * 128, "k" * 129])), (2, any_text), (1, junk))
    value = weighted((6, st.sampled_from(["v", "", "v" * 256, "v" * 257, "aws:v"])), (2, any_text), (1, junk))
    tag = weighted(
        (8, st.fixed_dictionaries({"Key": key, "Value": value})),
        (1, st.fixed_dictionaries({"Key": key}, optional={"Value": value, "Extra": junk, 7: junk})),
        (1, junk),
    )
    return weighted(
        (6, st.lists(tag, max_size=4)),
        (1, st.lists(st.fixed_dictionaries({"Key": st.sampled_from(["a", "b", "c"]), "Value": st.just("v")}),
                     min_size=49, max_size=52)),
        (1, st.lists(tag, max_size=3).map(tuple)),
        (1, junk),
    )


def key_list_values() -> st.SearchStrategy:
    item = weighted((6, st.sampled_from(["k", "team", "x", "k" * 129])), (2, any_text), (1, junk))
    return weighted((6, st.lists(item, max_size=4)), (1, st.lists(st.just("k"), min_size=50, max_size=52)), (1, junk))


def member_values(member: str, shape: Any) -> st.SearchStrategy:
    if shape.type_name == "string":
        return string_values(member, shape)
    if shape.type_name == "integer":
        return integer_values()
    if member == "Tags":
        return tag_values(False)
    if member == "TagKeys":
        return key_list_values()
    raise AssertionError(f"unexpected member {member} of type {shape.type_name}")


def params_for(op: str, str_keys_only: bool) -> st.SearchStrategy:
    input_shape = MODEL.operation_model(op).input_shape
    if input_shape is None:
        # GetAccountSummary has no input shape, so botocore ignores whatever it is given (tests
        # below check extra parameters are ignored): only the empty request here.
        return st.just({})
    members = input_shape.members
    required = set(input_shape.required_members)
    absent = object()
    fields = {
        name: weighted((9 if name in required else 1, member_values(name, shape)),
                       (1, st.just(absent)))
        for name, shape in members.items()
    }
    base = st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not absent})
    unknown_key = st.sampled_from(["Foo", "userName", "VirtualMfaDeviceName", "", "\ud800", "ResponseMetadata"])
    if not str_keys_only:
        unknown_key = st.one_of(unknown_key, st.sampled_from([1, 2.5, None, b"Path", ("a",)]))
    extra = weighted((8, st.just({})), (1, st.dictionaries(unknown_key, junk, min_size=1, max_size=1)))
    return st.tuples(base, extra).map(lambda t: {**t[0], **t[1]})


# ---------------------------------------------------------------------------- the account


class Account:
    """A small account per example: alice (with d1 enabled), bob, and a tagged unassigned d0."""

    def __init__(self, iam: Any = None, clock: Any = None) -> None:
        self.clock = clock or iamlite.FrozenClock(NOW)
        self.iam = iam or iamlite.resource("iam", clock=self.clock, rng_seed=7)
        self.client = self.iam.meta.client
        c = self.client
        c.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "a"}])
        c.create_user(UserName="bob", Path="/ops/")
        self.seeds = {}
        for name, path in (("d0", "/"), ("d1", "/ops/"), ("d2", "/")):
            dev = c.create_virtual_mfa_device(
                VirtualMFADeviceName=name, Path=path, Tags=[{"Key": "k", "Value": name}]
            )["VirtualMFADevice"]
            self.seeds[dev["SerialNumber"]] = dev["Base32StringSeed"]
        serial = f"{PREFIX}/ops/d1"
        code1, code2 = self.codes(serial)
        c.enable_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1=code1,
                            AuthenticationCode2=code2)

    def codes(self, serial: Any) -> tuple:
        seed = self.seeds.get(serial) if isinstance(serial, str) else None
        if seed is None:
            seed = self.seeds[f"{PREFIX}/d0"]
        totp = iamlite.TOTP(seed)
        return totp.at(self.clock.time() - 30), totp.at(self.clock.time())

    def fill_codes(self, params: dict) -> dict:
        code1, code2 = self.codes(params.get("SerialNumber"))
        return {
            k: (code1 if v == "<CODE1>" else code2 if v == "<CODE2>" else v) if isinstance(v, str) else v
            for k, v in params.items()
        }

    def snapshot(self) -> Dict[str, Any]:
        c = self.client

        def strip(r: dict) -> dict:
            r = dict(r)
            r.pop("ResponseMetadata", None)
            return r

        devices = strip(c.list_virtual_mfa_devices(MaxItems=1000))
        users = strip(c.list_users(MaxItems=1000))
        snap: Dict[str, Any] = {"devices": devices, "users": users,
                                "summary": strip(c.get_account_summary())}
        for u in users["Users"]:
            snap["user " + u["UserName"]] = strip(c.get_user(UserName=u["UserName"]))
            snap["mfa " + u["UserName"]] = strip(c.list_mfa_devices(UserName=u["UserName"], MaxItems=1000))
        for d in devices["VirtualMFADevices"]:
            snap["tags " + d["SerialNumber"]] = strip(
                c.list_mfa_device_tags(SerialNumber=d["SerialNumber"], MaxItems=1000))
        return snap


# ---------------------------------------------------------------------------- checks


def check_shape(value: Any, shape: Any, where: str, top: bool = False) -> None:
    """``value`` is what botocore would parse for ``shape``: modeled keys only, right types.
    Required members are checked at the top level only: real AWS leaves ``Path`` and
    ``UserName`` out of GetUser's ``User`` for the root user, although the model requires them."""
    t = shape.type_name
    if t == "structure":
        assert isinstance(value, dict), where
        for key, item in value.items():
            assert key in shape.members, f"{where}: unmodeled key {key!r}"
            check_shape(item, shape.members[key], f"{where}.{key}")
        for key in shape.required_members if top else ():
            assert key in value, f"{where}: required key {key!r} missing"
    elif t == "list":
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            check_shape(item, shape.member, f"{where}[{i}]")
    elif t == "map":
        assert isinstance(value, dict), where
        for k, v in value.items():
            check_shape(k, shape.key, f"{where} key")
            check_shape(v, shape.value, f"{where}[{k!r}]")
    elif t == "string":
        assert isinstance(value, str), where
        if shape.enum:
            assert value in shape.enum, where
    elif t == "blob":
        assert isinstance(value, bytes), where
    elif t == "timestamp":
        assert isinstance(value, dt.datetime) and value.tzinfo is not None, where
    elif t == "boolean":
        assert isinstance(value, bool), where
    elif t in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), where
    else:  # pragma: no cover
        raise AssertionError(f"{where}: unexpected shape type {t}")


def check_response(op: str, response: Any) -> None:
    assert isinstance(response, dict)
    md = response.get("ResponseMetadata")
    assert isinstance(md, dict) and md["HTTPStatusCode"] == 200, response
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    output = MODEL.operation_model(op).output_shape
    if output is None:
        assert body == {}, body
    else:
        check_shape(body, output, op, top=True)


def botocore_rejects(op: str, params: Any) -> bool:
    shape = MODEL.operation_model(op).input_shape
    if shape is None:  # botocore validates nothing for an operation without input
        return False
    return VALIDATOR.validate(params, shape).has_errors()


def holds_unprintable(value: Any) -> bool:
    if isinstance(value, (Unprintable, StrWithBadStr)):
        return True
    if isinstance(value, dict):
        return any(holds_unprintable(k) or holds_unprintable(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(holds_unprintable(v) for v in value)
    return False


def check_outcome(op: str, account: Account, call, params: Any, *, resource: bool = False, boto: bool = False) -> None:
    """``boto``: the call went through real boto3 under mock_iam, so the classes are botocore's."""
    before = account.snapshot()
    try:
        result = call()
    except BaseException as e:  # noqa: BLE001 - PanicException is a BaseException
        is_client_error = isinstance(e, botocore.exceptions.ClientError)
        event(f"{op}: {type(e).__name__}" + (f" {e.response['Error']['Code']}" if is_client_error else ""))
        if isinstance(e, botocore.exceptions.ParamValidationError):
            assert type(e) is botocore.exceptions.ParamValidationError, type(e)
            assert str(e).startswith("Parameter validation failed:\n"), str(e)
            assert botocore_rejects(op, params), f"iamlite rejected what botocore accepts: {e}"
        elif is_client_error and (boto or isinstance(e, ClientError)):
            code = e.response["Error"]["Code"]
            assert code in STATUS, code
            assert code in allowed_codes(op), f"{op} raised {code}, not modeled for it: {e}"
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == STATUS[code], e.response
            if boto:
                modeled = code != "ValidationError"
                expected_name = f"{code}Exception" if modeled else "ClientError"
                assert type(e).__name__ == expected_name, (type(e), code)
            else:
                assert type(e) is error_class_for(code), (type(e), code)
            assert e.operation_name == op
            assert str(e).startswith(f"An error occurred ({code}) when calling the {op} operation: ")
            assert not botocore_rejects(op, params), f"botocore would have rejected this before the call: {e}"
        elif boto and isinstance(e, RuntimeError) and holds_unprintable(params):
            pass  # botocore's own report formatting calls str() on the hostile object
        else:
            raise AssertionError(
                f"{op} raised {type(e).__module__}.{type(e).__qualname__}: {e!r}"[:2000]
            ) from e
        assert account.snapshot() == before, f"the failed {op} changed the account ({type(e).__name__}: {e})"[:2000]
        return
    event(f"{op}: success")
    assert not botocore_rejects(op, params), f"{op} accepted what botocore rejects"
    if resource:
        assert isinstance(result, iamlite.VirtualMfaDevice)
        assert result.serial_number.startswith(PREFIX)
        seed = result.base32_string_seed
        assert isinstance(seed, bytes) and len(seed) == 64
        assert result.qr_code_png.startswith(b"\x89PNG")
        check_shape(result.meta.data, MODEL.shape_for("VirtualMFADevice"), "meta.data")
    else:
        check_response(op, result)
    if op in READ_ONLY:
        assert account.snapshot() == before, f"the read-only {op} changed the account"


# ---------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("op", OPERATIONS)
@PROFILE
@given(data=st.data())
def test_client_operation_with_hostile_parameters(op: str, data: st.DataObject) -> None:
    via_dispatch = data.draw(st.booleans(), label="via _make_api_call")
    params = data.draw(params_for(op, str_keys_only=not via_dispatch), label="params")
    account = Account()
    params = account.fill_codes(params)
    if via_dispatch:
        call = lambda: account.client._make_api_call(op, params)  # noqa: E731
    else:
        call = lambda: getattr(account.client, botocore.xform_name(op))(**params)  # noqa: E731
    check_outcome(op, account, call, params)


@pytest.mark.parametrize("op", OPERATIONS)
def test_boto3_under_mock_iam_with_hostile_parameters(op: str) -> None:
    """The same through real boto3: botocore validates and serializes, iamlite answers as XML."""
    boto3 = pytest.importorskip("boto3")
    clock = iamlite.FrozenClock(NOW)
    with iamlite.mock_iam(clock=clock, rng_seed=7) as mock:
        iam = boto3.client("iam", region_name="us-east-1")

        @settings(PROFILE, max_examples=max(5, PROFILE.max_examples // 4))
        @given(data=st.data())
        def run(data: st.DataObject) -> None:
            params = data.draw(params_for(op, str_keys_only=True), label="params")
            mock.reset()
            clock.set(NOW)
            account = Account(mock.resource, clock)
            params = account.fill_codes(params)
            check_outcome(op, account, lambda: getattr(iam, botocore.xform_name(op))(**params), params, boto=True)

        run()


@PROFILE
@given(data=st.data())
def test_resource_create_virtual_mfa_device_with_hostile_parameters(data: st.DataObject) -> None:
    params = data.draw(params_for("CreateVirtualMFADevice", str_keys_only=True), label="params")
    account = Account()
    check_outcome("CreateVirtualMFADevice", account,
                  lambda: account.iam.create_virtual_mfa_device(**params), params, resource=True)


@pytest.mark.parametrize("op", OPERATIONS)
def test_positional_arguments_are_a_type_error_and_change_nothing(op: str) -> None:
    account = Account()
    before = account.snapshot()
    with pytest.raises(TypeError, match="only accepts keyword arguments"):
        getattr(account.client, botocore.xform_name(op))({"UserName": "alice"})
    if op == "CreateVirtualMFADevice":
        with pytest.raises(TypeError, match="only accepts keyword arguments"):
            account.iam.create_virtual_mfa_device("d9")
    assert account.snapshot() == before


@pytest.mark.parametrize("params", [None, [], "UserName=alice", 5, Unprintable(), ("UserName", "alice")])
def test_dispatch_with_a_request_that_is_not_a_dict(params: Any) -> None:
    account = Account()
    before = account.snapshot()
    with pytest.raises(botocore.exceptions.ParamValidationError) as info:
        account.client._make_api_call("GetUser", params)
    assert type(info.value) is botocore.exceptions.ParamValidationError
    assert "valid types: <class 'dict'>" in str(info.value)
    assert account.snapshot() == before


def test_a_long_hostile_session_on_one_account_keeps_its_invariants() -> None:
    """Many hostile calls in a row on one account: afterwards the views still agree."""
    account = Account()
    calls = 0

    @PROFILE
    @given(op=st.sampled_from(OPERATIONS), data=st.data())
    def step(op: str, data: st.DataObject) -> None:
        nonlocal calls
        params = account.fill_codes(data.draw(params_for(op, str_keys_only=True)))
        check_outcome(op, account, lambda: getattr(account.client, botocore.xform_name(op))(**params), params)
        calls += 1

    step()
    snap = account.snapshot()
    devices = snap["devices"]["VirtualMFADevices"]
    serials = [d["SerialNumber"] for d in devices]
    assert len(serials) == len(set(serials))
    assigned = {d["SerialNumber"]: d["User"]["UserName"] for d in devices if "User" in d}
    enabled = {}
    for key, value in snap.items():
        if key.startswith("mfa "):
            for entry in value["MFADevices"]:
                assert entry["SerialNumber"] not in enabled
                enabled[entry["SerialNumber"]] = entry["UserName"]
    assert enabled == assigned
    summary = snap["summary"]["SummaryMap"]
    assert summary["MFADevices"] == len(serials)
    assert summary["MFADevicesInUse"] == len(assigned)
    assert summary["Users"] == len(snap["users"]["Users"])
    assert calls > 0


class _Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def time(self) -> float:
        return self.t


@pytest.mark.parametrize("t", [float("nan"), float("inf"), -float("inf")])
def test_a_clock_that_is_not_finite_is_refused_before_anything_changes(t: float) -> None:
    clock = _Clock(NOW)
    iam = iamlite.resource("iam", clock=clock)
    clock.t = t
    with pytest.raises(ValueError, match="not finite"):
        iam.meta.client.create_user(UserName="bob")
    clock.t = NOW
    assert iam.meta.client.list_users()["Users"] == []


@pytest.mark.parametrize("t", [1e20, -1e12])
def test_a_clock_beyond_datetime_range_fails_without_changing_state(t: float) -> None:
    clock = _Clock(NOW)
    iam = iamlite.resource("iam", clock=clock)
    clock.t = t
    raised = None
    try:
        iam.meta.client.create_user(UserName="bob")
    except BaseException as e:  # noqa: BLE001
        raised = e
    finally:
        clock.t = NOW
    assert raised is not None
    assert iam._counts() == (0, 0), f"the failed CreateUser ({type(raised).__name__}: {raised}) stored the user"


def test_get_account_summary_ignores_parameters_like_botocore() -> None:
    account = Account()
    response = account.client.get_account_summary(Foo=1)
    assert response["SummaryMap"]["Users"] == 2


def test_get_account_summary_with_extra_parameters_under_mock_iam() -> None:
    import boto3

    with iamlite.mock_iam():
        iam = boto3.client("iam", region_name="us-east-1")
        assert "SummaryMap" in iam.get_account_summary(Foo=1)
