"""Independent conformance tests: aws-reference.md §4, §5, §6, §7 and GetAccountSummary (§8).

Written against the contract only (aws-reference.md + design.md "Public API").  TOTP codes
are computed independently with pyotp from the seed CreateVirtualMFADevice returns; the
clock is an iamlite.FrozenClock so nothing sleeps.
"""

from __future__ import annotations

import re

import pyotp
import pytest

# Helpers and the clock/iam fixtures shared with test_conformance_core.py.
from conformance_support import (
    PATH_MSG,
    SERIAL_PATTERN,
    T0,
    TAG_KEY_PATTERN,
    TAG_VALUE_PATTERN,
    all_pages,
    assert_param_error,
    assert_ts,
    check_metadata,
    client_factory,
    clock,
    coral,
    create,
    device_snapshot,
    enable,
    iam,
    length_part,
    out_members,
    pair,
    pattern,
    pattern_part,
    raises,
    serial,
    shape_members,
    step_now,
    tag,
    valid_pair,
)

# --------------------------------------------------------------------------- helpers

CODE_PATTERN = pattern("authenticationCodeType")  # [\d]+

USERNAME_MSG = (
    "The specified value for userName is invalid. It must contain only alphanumeric characters and/or "
    "the following: +=,.@_-"
)
BAD_CODE = "Authentication code for device is not valid."
IN_USE = "MFA Device is already in use."
INVALID_FOR_USER = "MFA Device invalid for user."
KEY_RESERVED = "Tag keys starting with 'aws:' are reserved for AWS use."
VALUE_RESERVED = "Tag values starting with 'aws:' are reserved for AWS use."


def no_user(name: str) -> str:
    return f"The user with name {name} cannot be found."


def no_device(sn: str) -> str:
    return f"MFA Device with serial number {sn} does not exist."


def check_only_metadata(r: dict) -> None:
    assert set(r) == {"ResponseMetadata"}, r
    check_metadata(r["ResponseMetadata"])


def snapshot(client):
    """Everything observable (devices, tags, users, assignments, summary), for 'changes nothing' assertions."""
    devices, tags = device_snapshot(client)
    users = all_pages(client.list_users, "Users")
    mfa = {
        u["UserName"]: sorted(
            all_pages(client.list_mfa_devices, "MFADevices", UserName=u["UserName"]),
            key=lambda d: d["SerialNumber"],
        )
        for u in users
    }
    summary = client.get_account_summary()["SummaryMap"]
    return devices, tags, sorted(users, key=lambda u: u["UserName"]), mfa, summary


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def bogus_pair(clock, dev) -> tuple[str, str]:
    c1, c2 = valid_pair(clock, dev)
    return wrong(c1), wrong(c2)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def make(clock):
    return client_factory(clock, rng_seed=2026)


@pytest.fixture
def alice_dev(iam):
    """User alice and an unassigned device 'dev'."""
    iam.create_user(UserName="alice")
    return create(iam, "dev")


# =========================================================================== §4 users

USER_KEYS = {"Path", "UserName", "UserId", "Arn", "CreateDate"}


@pytest.mark.parametrize(
    "path, arn",
    [
        (None, "arn:aws:iam::123456789012:user/alice"),
        ("/", "arn:aws:iam::123456789012:user/alice"),
        ("/div/team/", "arn:aws:iam::123456789012:user/div/team/alice"),
        ("/a//b/", "arn:aws:iam::123456789012:user/a//b/alice"),
    ],
)
def test_create_user_shape(iam, path, arn):
    kw = {} if path is None else {"Path": path}
    r = iam.create_user(UserName="alice", **kw)
    check_metadata(r["ResponseMetadata"])
    assert set(r) == {"User", "ResponseMetadata"}
    u = r["User"]
    assert set(u) == USER_KEYS
    assert set(u) <= shape_members("User")
    assert u["UserName"] == "alice"
    assert u["Path"] == (path or "/")
    assert u["Arn"] == arn
    assert re.fullmatch(r"AIDA[A-Z0-9]{17}", u["UserId"]), u["UserId"]
    assert_ts(u["CreateDate"], T0)
    got = iam.get_user(UserName="alice")
    assert set(got) == {"User", "ResponseMetadata"}
    assert got["User"] == u


@pytest.mark.parametrize("partition", ["aws-cn", "aws-us-gov"])
def test_user_arn_partition(make, partition):
    iam = make(partition=partition, account_id="210987654321")
    u = iam.create_user(UserName="bob", Path="/x/")["User"]
    assert u["Arn"] == f"arn:{partition}:iam::210987654321:user/x/bob"


def test_user_ids_distinct(iam):
    ids = {iam.create_user(UserName=f"u{i}")["User"]["UserId"] for i in range(20)}
    assert len(ids) == 20
    assert all(re.fullmatch(r"AIDA[A-Z0-9]{17}", i) for i in ids)


@pytest.mark.parametrize("first, second", [("alice", "alice"), ("Alice", "alice"), ("alice", "ALICE"), ("aLiCe", "AlIcE")])
def test_create_user_duplicate_case_insensitive(iam, first, second):
    iam.create_user(UserName=first)
    before = snapshot(iam)
    raises(iam, "CreateUser", "EntityAlreadyExists", f"User with name {second} already exists.", UserName=second)
    assert snapshot(iam) == before


def test_create_user_duplicate_other_path(iam):
    iam.create_user(UserName="alice", Path="/a/")
    raises(iam, "CreateUser", "EntityAlreadyExists", "User with name alice already exists.", UserName="alice", Path="/b/")


@pytest.mark.parametrize("name", ["bad name", "ü", "a/b", "a#b", "a:b", "日本"])
def test_create_user_bad_name(iam, name):
    before = snapshot(iam)
    raises(iam, "CreateUser", "ValidationError", USERNAME_MSG, UserName=name)
    assert snapshot(iam) == before


def test_create_user_name_length(iam):
    iam.create_user(UserName="u" * 64)
    raises(iam, "CreateUser", "ValidationError", coral(length_part("v" * 65, "userName", 64)), UserName="v" * 65)
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["u" * 64]


@pytest.mark.parametrize("name", ["a", "a+b=c,d.e@f-g_h", "_", "0"])
def test_create_user_valid_names(iam, name):
    assert iam.create_user(UserName=name)["User"]["UserName"] == name


@pytest.mark.parametrize("path", ["div", "/div", "div/", "/a b/"])
def test_create_user_bad_path(iam, path):
    raises(iam, "CreateUser", "ValidationError", PATH_MSG, UserName="alice", Path=path)
    assert iam.list_users()["Users"] == []


def test_create_user_tags_duplicate_keys_case_insensitive(iam):
    before = snapshot(iam)
    raises(
        iam,
        "CreateUser",
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        UserName="alice",
        Tags=[tag("Env", "a"), tag("env", "b")],
    )
    assert snapshot(iam) == before


def test_create_user_quota(make):
    iam = make(quotas={"UsersPerAccount": 2})
    iam.create_user(UserName="a")
    iam.create_user(UserName="b")
    before = snapshot(iam)
    raises(iam, "CreateUser", "LimitExceeded", "Cannot exceed quota for UsersPerAccount: 2", UserName="c")
    assert snapshot(iam) == before


@pytest.mark.parametrize(
    "op, params",
    [
        ("GetUser", {"UserName": "ghost"}),
        ("DeleteUser", {"UserName": "ghost"}),
        ("UpdateUser", {"UserName": "ghost", "NewUserName": "spirit"}),
        ("ListMFADevices", {"UserName": "ghost"}),
        ("EnableMFADevice", {"UserName": "ghost", "SerialNumber": serial("dev"),
                             "AuthenticationCode1": "123456", "AuthenticationCode2": "654321"}),
        ("DeactivateMFADevice", {"UserName": "ghost", "SerialNumber": serial("dev")}),
        ("ResyncMFADevice", {"UserName": "ghost", "SerialNumber": serial("dev"),
                             "AuthenticationCode1": "123456", "AuthenticationCode2": "654321"}),
        ("GetMFADevice", {"UserName": "ghost", "SerialNumber": serial("dev")}),
    ],
)
def test_missing_user_any_call(iam, op, params):
    create(iam, "dev")
    iam.create_user(UserName="alice")
    before = snapshot(iam)
    raises(iam, op, "NoSuchEntity", no_user("ghost"), **params)
    assert snapshot(iam) == before


def test_list_users(iam, clock):
    iam.create_user(UserName="bob", Path="/b/")
    clock.advance(60)
    iam.create_user(UserName="alice")
    r = iam.list_users()
    check_metadata(r["ResponseMetadata"])
    assert set(r) - {"ResponseMetadata"} == {"Users", "IsTruncated"}
    assert set(r) - {"ResponseMetadata"} <= out_members("ListUsers")
    assert r["IsTruncated"] is False
    by_name = {u["UserName"]: u for u in r["Users"]}
    assert set(by_name) == {"alice", "bob"}
    for u in r["Users"]:
        assert set(u) == USER_KEYS
    assert by_name["bob"]["Arn"] == "arn:aws:iam::123456789012:user/b/bob"
    assert_ts(by_name["bob"]["CreateDate"], T0)
    assert_ts(by_name["alice"]["CreateDate"], T0 + 60)


def test_list_users_pagination(iam):
    for i in range(5):
        iam.create_user(UserName=f"u{i}")
    r = iam.list_users(MaxItems=2)
    assert r["IsTruncated"] is True and len(r["Users"]) == 2
    names = [u["UserName"] for u in all_pages(iam.list_users, "Users", MaxItems=2)]
    assert sorted(names) == [f"u{i}" for i in range(5)]
    assert len(names) == 5


def test_delete_user(iam):
    iam.create_user(UserName="alice")
    check_only_metadata(iam.delete_user(UserName="alice"))
    raises(iam, "GetUser", "NoSuchEntity", no_user("alice"), UserName="alice")
    # name is free again
    iam.create_user(UserName="ALICE")


def test_delete_user_with_enabled_device_conflicts(iam, clock, alice_dev):
    enable(iam, clock, "alice", alice_dev)
    before = snapshot(iam)
    raises(iam, "DeleteUser", "DeleteConflict", "Cannot delete entity, must delete MFA device first.", UserName="alice")
    assert snapshot(iam) == before
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=alice_dev["SerialNumber"])
    check_only_metadata(iam.delete_user(UserName="alice"))
    # the device stays, unassigned
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == [{"SerialNumber": alice_dev["SerialNumber"]}]


def test_delete_user_unassigned_devices_do_not_block(iam, alice_dev):
    iam.delete_user(UserName="alice")
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == [{"SerialNumber": alice_dev["SerialNumber"]}]


def test_update_user_keeps_mfa_devices(iam, clock, alice_dev):
    iam.create_user(UserName="carol")
    enable(iam, clock, "alice", alice_dev)
    enabled_at = int(clock.time())
    alice = iam.get_user(UserName="alice")["User"]
    clock.advance(3600)
    r = iam.update_user(UserName="alice", NewUserName="bob", NewPath="/new/")
    check_only_metadata(r)
    bob = iam.get_user(UserName="bob")["User"]
    assert bob["UserId"] == alice["UserId"]
    assert bob["Path"] == "/new/"
    assert bob["Arn"] == "arn:aws:iam::123456789012:user/new/bob"
    assert bob["CreateDate"] == alice["CreateDate"]
    sn = alice_dev["SerialNumber"]
    devices = iam.list_mfa_devices(UserName="bob")["MFADevices"]
    assert len(devices) == 1
    assert devices[0]["UserName"] == "bob"
    assert devices[0]["SerialNumber"] == sn
    assert_ts(devices[0]["EnableDate"], enabled_at)
    raises(iam, "ListMFADevices", "NoSuchEntity", no_user("alice"), UserName="alice")
    g = iam.get_mfa_device(SerialNumber=sn)
    assert g["UserName"] == "bob"
    listed = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert listed[0]["User"]["UserName"] == "bob"
    assert listed[0]["User"]["Arn"] == "arn:aws:iam::123456789012:user/new/bob"
    assert listed[0]["User"]["Path"] == "/new/"
    # still enabled: the renamed user cannot be deleted
    raises(iam, "DeleteUser", "DeleteConflict", "Cannot delete entity, must delete MFA device first.", UserName="bob")
    iam.deactivate_mfa_device(UserName="bob", SerialNumber=sn)
    assert iam.list_mfa_devices(UserName="bob")["MFADevices"] == []


def test_update_user_path_only(iam, clock, alice_dev):
    enable(iam, clock, "alice", alice_dev)
    iam.update_user(UserName="alice", NewPath="/p/")
    assert iam.get_user(UserName="alice")["User"]["Path"] == "/p/"
    assert [d["SerialNumber"] for d in iam.list_mfa_devices(UserName="alice")["MFADevices"]] == [alice_dev["SerialNumber"]]


def test_update_user_to_existing_name_conflicts(iam, alice_dev):
    iam.create_user(UserName="bob")
    before = snapshot(iam)
    raises(iam, "UpdateUser", "EntityAlreadyExists", None, UserName="alice", NewUserName="BOB")
    assert snapshot(iam) == before


# =========================================================================== §5 Enable


def test_enable_happy_path(iam, clock, alice_dev):
    sn = alice_dev["SerialNumber"]
    r = enable(iam, clock, "alice", alice_dev)
    check_only_metadata(r)
    at = int(clock.time())
    clock.advance(500)
    lm = iam.list_mfa_devices(UserName="alice")
    check_metadata(lm["ResponseMetadata"])
    assert set(lm) - {"ResponseMetadata"} == {"MFADevices", "IsTruncated"}
    assert lm["IsTruncated"] is False
    assert len(lm["MFADevices"]) == 1
    entry = lm["MFADevices"][0]
    assert set(entry) == {"UserName", "SerialNumber", "EnableDate"}
    assert set(entry) <= shape_members("MFADevice")
    assert entry["UserName"] == "alice" and entry["SerialNumber"] == sn
    assert_ts(entry["EnableDate"], at)
    g = iam.get_mfa_device(SerialNumber=sn, UserName="alice")
    check_metadata(g["ResponseMetadata"])
    del g["ResponseMetadata"]
    assert set(g) <= out_members("GetMFADevice")
    assert g == {"UserName": "alice", "SerialNumber": sn, "EnableDate": entry["EnableDate"]}
    assert "Certifications" not in g


@pytest.mark.parametrize(
    "offset, ok",
    [(-11, False), (-10, True), (-9, True), (-5, True), (-2, True), (-1, True), (0, True), (1, True), (2, False),
     (3, False), (-30, False), (40, False)],
)
def test_enable_window(iam, clock, alice_dev, offset, ok):
    """First step of the pair within 10 steps before .. 1 step after now (aws-reference §5 CHOICE)."""
    c1, c2 = pair(alice_dev["Base32StringSeed"], step_now(clock) + offset)
    kw = dict(UserName="alice", SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2)
    if ok:
        check_only_metadata(iam.enable_mfa_device(**kw))
        assert len(iam.list_mfa_devices(UserName="alice")["MFADevices"]) == 1
    else:
        before = snapshot(iam)
        raises(iam, "EnableMFADevice", "InvalidAuthenticationCode", BAD_CODE, **kw)
        assert snapshot(iam) == before


@pytest.mark.parametrize("seconds_into_step", [0, 1, 29])
def test_enable_previous_and_current_anywhere_in_step(iam, clock, alice_dev, seconds_into_step):
    clock.set(T0 - 12 + 300 + seconds_into_step)
    check_only_metadata(enable(iam, clock, "alice", alice_dev))


@pytest.mark.parametrize(
    "steps",
    [(-1, -1), (0, 0), (0, -1), (1, 0), (-2, 0), (-1, 1), (-3, -1), (0, 2)],
)
def test_enable_codes_must_be_consecutive(iam, clock, alice_dev, steps):
    totp = pyotp.TOTP(alice_dev["Base32StringSeed"].decode())
    s = step_now(clock)
    c1, c2 = totp.generate_otp(s + steps[0]), totp.generate_otp(s + steps[1])
    before = snapshot(iam)
    raises(iam, "EnableMFADevice", "InvalidAuthenticationCode", BAD_CODE, UserName="alice",
           SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert snapshot(iam) == before


@pytest.mark.parametrize("which", ["first", "second", "both"])
def test_enable_wrong_codes(iam, clock, alice_dev, which):
    c1, c2 = valid_pair(clock, alice_dev)
    if which in ("first", "both"):
        c1 = wrong(c1)
    if which in ("second", "both"):
        c2 = wrong(c2)
    before = snapshot(iam)
    raises(iam, "EnableMFADevice", "InvalidAuthenticationCode", BAD_CODE, UserName="alice",
           SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert snapshot(iam) == before
    # the device is still usable afterwards
    enable(iam, clock, "alice", alice_dev)


def test_enable_codes_of_other_device_rejected(iam, clock, alice_dev):
    other = create(iam, "other")
    c1, c2 = valid_pair(clock, other)
    raises(iam, "EnableMFADevice", "InvalidAuthenticationCode", BAD_CODE, UserName="alice",
           SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2)


def test_enable_unknown_serial(iam, clock, alice_dev):
    sn = serial("ghost")
    c1, c2 = valid_pair(clock, alice_dev)
    before = snapshot(iam)
    raises(iam, "EnableMFADevice", "NoSuchEntity", no_device(sn), UserName="alice", SerialNumber=sn,
           AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert snapshot(iam) == before


def test_enable_already_in_use_same_user(iam, clock, alice_dev):
    enable(iam, clock, "alice", alice_dev)
    clock.advance(90)
    before = snapshot(iam)
    c1, c2 = valid_pair(clock, alice_dev)
    raises(iam, "EnableMFADevice", "EntityAlreadyExists", IN_USE, UserName="alice",
           SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert snapshot(iam) == before


def test_enable_already_in_use_other_user(iam, clock, alice_dev):
    enable(iam, clock, "alice", alice_dev)
    iam.create_user(UserName="bob")
    clock.advance(90)
    before = snapshot(iam)
    c1, c2 = valid_pair(clock, alice_dev)
    raises(iam, "EnableMFADevice", "EntityAlreadyExists", IN_USE, UserName="bob",
           SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert snapshot(iam) == before
    assert iam.get_mfa_device(SerialNumber=alice_dev["SerialNumber"])["UserName"] == "alice"


def test_enable_per_user_quota_default_8(iam, clock):
    iam.create_user(UserName="alice")
    devs = [create(iam, f"d{i}") for i in range(9)]
    for d in devs[:8]:
        enable(iam, clock, "alice", d)
    assert len(all_pages(iam.list_mfa_devices, "MFADevices", UserName="alice")) == 8
    before = snapshot(iam)
    c1, c2 = valid_pair(clock, devs[8])
    raises(iam, "EnableMFADevice", "LimitExceeded", "Cannot exceed quota for MFADevicesPerUser: 8", UserName="alice",
           SerialNumber=devs[8]["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert snapshot(iam) == before
    # another user can still take it
    iam.create_user(UserName="bob")
    enable(iam, clock, "bob", devs[8])


def test_enable_per_user_quota_configurable(make, clock):
    iam = make(quotas={"MFADevicesPerUser": 1})
    iam.create_user(UserName="alice")
    a, b = create(iam, "a"), create(iam, "b")
    enable(iam, clock, "alice", a)
    before = snapshot(iam)
    c1, c2 = valid_pair(clock, b)
    raises(iam, "EnableMFADevice", "LimitExceeded", "Cannot exceed quota for MFADevicesPerUser: 1", UserName="alice",
           SerialNumber=b["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert snapshot(iam) == before
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=a["SerialNumber"])
    enable(iam, clock, "alice", b)


# ---- check order with combined faults (§5 "Check order")


@pytest.fixture
def order_world(make, clock):
    """alice holds 'held' (quota 1 reached), bob exists with nothing, 'free' unassigned."""
    iam = make(quotas={"MFADevicesPerUser": 1})
    iam.create_user(UserName="alice")
    iam.create_user(UserName="bob")
    held = create(iam, "held")
    free = create(iam, "free")
    enable(iam, clock, "alice", held)
    return iam, held, free


@pytest.mark.parametrize(
    "user, dev, codes, code, message",
    [
        ("ghost", "unknown", "bogus", "NoSuchEntity", no_user("ghost")),
        ("ghost", "held", "bogus", "NoSuchEntity", no_user("ghost")),
        ("ghost", "free", "valid", "NoSuchEntity", no_user("ghost")),
        ("bob", "unknown", "bogus", "NoSuchEntity", no_device(serial("unknown"))),
        ("alice", "unknown", "bogus", "NoSuchEntity", no_device(serial("unknown"))),
        ("bob", "held", "bogus", "EntityAlreadyExists", IN_USE),
        ("alice", "held", "bogus", "EntityAlreadyExists", IN_USE),  # in use beats the quota
        ("alice", "free", "bogus", "LimitExceeded", "Cannot exceed quota for MFADevicesPerUser: 1"),  # quota beats codes
        ("alice", "free", "valid", "LimitExceeded", "Cannot exceed quota for MFADevicesPerUser: 1"),
        ("bob", "free", "bogus", "InvalidAuthenticationCode", BAD_CODE),
    ],
)
def test_enable_check_order(order_world, clock, user, dev, codes, code, message):
    iam, held, free = order_world
    d = {"held": held, "free": free}.get(dev)
    sn = d["SerialNumber"] if d else serial(dev)
    c1, c2 = valid_pair(clock, d or free)
    if codes == "bogus":
        c1, c2 = wrong(c1), wrong(c2)
    before = snapshot(iam)
    raises(iam, "EnableMFADevice", code, message, UserName=user, SerialNumber=sn,
           AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert snapshot(iam) == before


def test_enable_validation_beats_state(iam):
    # no user, no device, and a 7-digit code: the format check wins
    raises(iam, "EnableMFADevice", "ValidationError",
           coral(length_part("1234567", "authenticationCode1", 6)),
           UserName="ghost", SerialNumber=serial("ghost"), AuthenticationCode1="1234567", AuthenticationCode2="123456")


@pytest.mark.parametrize(
    "params, parts",
    [
        ({"AuthenticationCode1": "1234567"}, [length_part("1234567", "authenticationCode1", 6)]),
        ({"AuthenticationCode2": "12345678"}, [length_part("12345678", "authenticationCode2", 6)]),
        ({"AuthenticationCode1": "12345a"}, [pattern_part("12345a", "authenticationCode1", CODE_PATTERN)]),
        ({"AuthenticationCode1": "1234567", "AuthenticationCode2": "7654321"},
         [length_part("1234567", "authenticationCode1", 6), length_part("7654321", "authenticationCode2", 6)]),
        ({"SerialNumber": "arn:aws:iam::123456789012:mfa/bad name", "AuthenticationCode2": "abcdef"},
         [pattern_part("arn:aws:iam::123456789012:mfa/bad name", "serialNumber", SERIAL_PATTERN),
          pattern_part("abcdef", "authenticationCode2", CODE_PATTERN)]),
        ({"UserName": "u" * 129}, [length_part("u" * 129, "userName", 128)]),
        ({"SerialNumber": "s" * 257}, [length_part("s" * 257, "serialNumber", 256)]),
    ],
)
def test_enable_format_errors(iam, alice_dev, params, parts):
    kw = {"UserName": "alice", "SerialNumber": alice_dev["SerialNumber"],
          "AuthenticationCode1": "123456", "AuthenticationCode2": "654321"}
    kw.update(params)
    before = snapshot(iam)
    raises(iam, "EnableMFADevice", "ValidationError", coral(*parts), **kw)
    assert snapshot(iam) == before


def test_enable_bad_user_name_uses_iam_text(iam, alice_dev):
    raises(iam, "EnableMFADevice", "ValidationError", USERNAME_MSG, UserName="bad name",
           SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1="123456", AuthenticationCode2="654321")


def test_enable_65_char_user_name_is_only_missing(iam, alice_dev):
    # existingUserNameType allows 128: a 65-character name passes the format checks
    name = "u" * 65
    raises(iam, "EnableMFADevice", "NoSuchEntity", no_user(name), UserName=name,
           SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1="123456", AuthenticationCode2="654321")


@pytest.mark.parametrize(
    "params",
    [
        {"AuthenticationCode1": "12345"},
        {"AuthenticationCode2": ""},
        {"AuthenticationCode1": 123456},
        {"SerialNumber": "arn:aws"},
        {"UserName": ""},
        {"Extra": "x"},
    ],
)
def test_enable_param_validation(iam, alice_dev, params):
    kw = {"UserName": "alice", "SerialNumber": alice_dev["SerialNumber"],
          "AuthenticationCode1": "123456", "AuthenticationCode2": "654321"}
    kw.update(params)
    assert_param_error(iam, "EnableMFADevice", kw)


def test_enable_missing_codes_param_validation(iam, alice_dev):
    assert_param_error(iam, "EnableMFADevice", {"UserName": "alice", "SerialNumber": alice_dev["SerialNumber"]})


def test_enable_positional_rejected(iam):
    with pytest.raises(TypeError) as ei:
        iam.enable_mfa_device("alice")
    assert str(ei.value) == "enable_mfa_device() only accepts keyword arguments."


# =========================================================================== §5 Deactivate


def test_deactivate_happy_path(iam, clock, alice_dev):
    sn = alice_dev["SerialNumber"]
    enable(iam, clock, "alice", alice_dev)
    check_only_metadata(iam.deactivate_mfa_device(UserName="alice", SerialNumber=sn))
    assert iam.list_mfa_devices(UserName="alice")["MFADevices"] == []
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == [{"SerialNumber": sn}]
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"] == []
    raises(iam, "GetMFADevice", "NoSuchEntity", no_device(sn), SerialNumber=sn)
    # re-creating its name conflicts: the device stays
    raises(iam, "CreateVirtualMFADevice", "EntityAlreadyExists", "MFA device already exists.", VirtualMFADeviceName="dev")
    # it can be enabled again with the same seed; EnableDate is the new time
    clock.advance(3600)
    enable(iam, clock, "alice", alice_dev)
    assert_ts(iam.get_mfa_device(SerialNumber=sn)["EnableDate"], clock.time())


def test_deactivate_then_delete(iam, clock, alice_dev):
    sn = alice_dev["SerialNumber"]
    enable(iam, clock, "alice", alice_dev)
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=sn)
    check_only_metadata(iam.delete_virtual_mfa_device(SerialNumber=sn))
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []


@pytest.fixture
def deact_world(iam, clock):
    iam.create_user(UserName="alice")
    iam.create_user(UserName="bob")
    held = create(iam, "held")  # enabled for bob
    free = create(iam, "free")
    enable(iam, clock, "bob", held)
    return iam, held, free


@pytest.mark.parametrize(
    "user, dev, message",
    [
        ("ghost", "unknown", no_user("ghost")),
        ("ghost", "held", no_user("ghost")),
        ("alice", "unknown", no_device(serial("unknown"))),
        ("alice", "free", INVALID_FOR_USER),
        ("alice", "held", INVALID_FOR_USER),
        ("bob", "free", INVALID_FOR_USER),
    ],
)
def test_deactivate_errors_and_order(deact_world, user, dev, message):
    iam, held, free = deact_world
    sn = {"held": held, "free": free}.get(dev, {"SerialNumber": serial(dev)})["SerialNumber"]
    before = snapshot(iam)
    raises(iam, "DeactivateMFADevice", "NoSuchEntity", message, UserName=user, SerialNumber=sn)
    assert snapshot(iam) == before
    assert iam.get_mfa_device(SerialNumber=held["SerialNumber"])["UserName"] == "bob"


def test_deactivate_twice(iam, clock, alice_dev):
    enable(iam, clock, "alice", alice_dev)
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=alice_dev["SerialNumber"])
    raises(iam, "DeactivateMFADevice", "NoSuchEntity", INVALID_FOR_USER, UserName="alice",
           SerialNumber=alice_dev["SerialNumber"])


def test_deactivate_malformed_serial(iam, alice_dev):
    sn = "arn:aws:iam::123456789012:mfa/bad#name"
    raises(iam, "DeactivateMFADevice", "ValidationError", coral(pattern_part(sn, "serialNumber", SERIAL_PATTERN)),
           UserName="ghost", SerialNumber=sn)


# =========================================================================== §5 Resync


@pytest.mark.parametrize(
    "offset, ok",
    [(-21, False), (-20, True), (-19, True), (-1, True), (0, True), (1, True), (19, True), (20, True), (21, False),
     (-40, False), (60, False)],
)
def test_resync_window(iam, clock, alice_dev, offset, ok):
    enable(iam, clock, "alice", alice_dev)
    enabled_at = int(clock.time())
    clock.advance(30 * 50)
    c1, c2 = pair(alice_dev["Base32StringSeed"], step_now(clock) + offset)
    kw = dict(UserName="alice", SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2)
    before = snapshot(iam)
    if ok:
        check_only_metadata(iam.resync_mfa_device(**kw))
    else:
        raises(iam, "ResyncMFADevice", "InvalidAuthenticationCode", BAD_CODE, **kw)
    assert snapshot(iam) == before  # resync changes nothing visible
    assert_ts(iam.get_mfa_device(SerialNumber=alice_dev["SerialNumber"])["EnableDate"], enabled_at)


@pytest.mark.parametrize("steps", [(0, 0), (0, -1), (-2, 0), (1, 3)])
def test_resync_codes_must_be_consecutive(iam, clock, alice_dev, steps):
    enable(iam, clock, "alice", alice_dev)
    totp = pyotp.TOTP(alice_dev["Base32StringSeed"].decode())
    s = step_now(clock)
    raises(iam, "ResyncMFADevice", "InvalidAuthenticationCode", BAD_CODE, UserName="alice",
           SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1=totp.generate_otp(s + steps[0]),
           AuthenticationCode2=totp.generate_otp(s + steps[1]))


@pytest.mark.parametrize(
    "user, dev, codes, code, message",
    [
        ("ghost", "unknown", "bogus", "NoSuchEntity", no_user("ghost")),
        ("ghost", "held", "valid", "NoSuchEntity", no_user("ghost")),
        ("alice", "unknown", "bogus", "NoSuchEntity", no_device(serial("unknown"))),
        ("alice", "free", "bogus", "NoSuchEntity", INVALID_FOR_USER),
        ("alice", "free", "valid", "NoSuchEntity", INVALID_FOR_USER),
        ("alice", "held", "valid", "NoSuchEntity", INVALID_FOR_USER),
        ("bob", "free", "valid", "NoSuchEntity", INVALID_FOR_USER),
        ("bob", "held", "bogus", "InvalidAuthenticationCode", BAD_CODE),
    ],
)
def test_resync_check_order(deact_world, clock, user, dev, codes, code, message):
    iam, held, free = deact_world
    d = {"held": held, "free": free}.get(dev)
    sn = d["SerialNumber"] if d else serial(dev)
    c1, c2 = valid_pair(clock, d or free)
    if codes == "bogus":
        c1, c2 = wrong(c1), wrong(c2)
    before = snapshot(iam)
    raises(iam, "ResyncMFADevice", code, message, UserName=user, SerialNumber=sn,
           AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert snapshot(iam) == before


def test_resync_format_errors(iam, clock, alice_dev):
    enable(iam, clock, "alice", alice_dev)
    raises(iam, "ResyncMFADevice", "ValidationError",
           coral(pattern_part("abcdef", "authenticationCode1", CODE_PATTERN), length_part("1234567", "authenticationCode2", 6)),
           UserName="alice", SerialNumber=alice_dev["SerialNumber"], AuthenticationCode1="abcdef",
           AuthenticationCode2="1234567")


# =========================================================================== §5 Get / ListMFADevices


def test_list_mfa_devices_empty_exact(iam):
    iam.create_user(UserName="alice")
    r = iam.list_mfa_devices(UserName="alice")
    check_metadata(r["ResponseMetadata"])
    del r["ResponseMetadata"]
    assert r == {"MFADevices": [], "IsTruncated": False}


def test_list_mfa_devices_without_user_is_root(iam, clock, alice_dev):
    enable(iam, clock, "alice", alice_dev)
    r = iam.list_mfa_devices()
    del r["ResponseMetadata"]
    assert r == {"MFADevices": [], "IsTruncated": False}


def test_list_mfa_devices_only_that_users(iam, clock):
    iam.create_user(UserName="alice")
    iam.create_user(UserName="bob")
    devs = [create(iam, f"d{i}") for i in range(5)]
    for i, d in enumerate(devs):
        enable(iam, clock, "alice" if i % 2 == 0 else "bob", d)
    a = all_pages(iam.list_mfa_devices, "MFADevices", UserName="alice", MaxItems=2)
    assert sorted(x["SerialNumber"] for x in a) == [serial("d0"), serial("d2"), serial("d4")]
    assert all(x["UserName"] == "alice" and set(x) == {"UserName", "SerialNumber", "EnableDate"} for x in a)
    r = iam.list_mfa_devices(UserName="alice", MaxItems=2)
    assert r["IsTruncated"] is True and len(r["MFADevices"]) == 2 and r["Marker"]
    b = iam.list_mfa_devices(UserName="bob")["MFADevices"]
    assert sorted(x["SerialNumber"] for x in b) == [serial("d1"), serial("d3")]


def test_get_mfa_device_variants(deact_world):
    iam, held, free = deact_world
    sn = held["SerialNumber"]
    g1 = iam.get_mfa_device(SerialNumber=sn)
    g2 = iam.get_mfa_device(SerialNumber=sn, UserName="bob")
    for g in (g1, g2):
        assert set(g) == {"UserName", "SerialNumber", "EnableDate", "ResponseMetadata"}
        assert g["UserName"] == "bob" and g["SerialNumber"] == sn
        assert_ts(g["EnableDate"], T0)
    raises(iam, "GetMFADevice", "NoSuchEntity", no_device(sn), SerialNumber=sn, UserName="alice")
    raises(iam, "GetMFADevice", "NoSuchEntity", no_device(free["SerialNumber"]), SerialNumber=free["SerialNumber"])
    raises(iam, "GetMFADevice", "NoSuchEntity", no_device(free["SerialNumber"]), SerialNumber=free["SerialNumber"],
           UserName="alice")
    raises(iam, "GetMFADevice", "NoSuchEntity", no_device(serial("nope")), SerialNumber=serial("nope"))


# =========================================================================== §6 Delete (lifecycle)


def test_delete_enabled_device_conflict_and_recreate(iam, clock, alice_dev):
    sn = alice_dev["SerialNumber"]
    enable(iam, clock, "alice", alice_dev)
    before = snapshot(iam)
    raises(iam, "DeleteVirtualMFADevice", "DeleteConflict", "MFA VirtualDevice in use. Must deactivate first.",
           SerialNumber=sn)
    assert snapshot(iam) == before
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=sn)
    iam.delete_virtual_mfa_device(SerialNumber=sn)
    raises(iam, "DeleteVirtualMFADevice", "NoSuchEntity", no_device(sn), SerialNumber=sn)
    new = create(iam, "dev")
    assert new["SerialNumber"] == sn
    # old codes do not enable the new device (new seed)
    c1, c2 = valid_pair(clock, alice_dev)
    if (c1, c2) != valid_pair(clock, new):
        raises(iam, "EnableMFADevice", "InvalidAuthenticationCode", BAD_CODE, UserName="alice", SerialNumber=sn,
               AuthenticationCode1=c1, AuthenticationCode2=c2)
    enable(iam, clock, "alice", new)


# =========================================================================== §7 tags


@pytest.fixture
def dev(iam):
    return create(iam, "tagged")


def list_tags(iam, sn):
    return iam.list_mfa_device_tags(SerialNumber=sn)["Tags"]


def test_tag_list_untag_roundtrip(iam, dev):
    sn = dev["SerialNumber"]
    check_only_metadata(iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("b", "2"), tag("a", "1")]))
    r = iam.list_mfa_device_tags(SerialNumber=sn)
    check_metadata(r["ResponseMetadata"])
    del r["ResponseMetadata"]
    assert set(r) <= out_members("ListMFADeviceTags")
    assert r == {"Tags": [tag("a", "1"), tag("b", "2")], "IsTruncated": False}
    check_only_metadata(iam.untag_mfa_device(SerialNumber=sn, TagKeys=["a"]))
    assert list_tags(iam, sn) == [tag("b", "2")]


def test_list_tags_empty(iam, dev):
    r = iam.list_mfa_device_tags(SerialNumber=dev["SerialNumber"])
    del r["ResponseMetadata"]
    assert r == {"Tags": [], "IsTruncated": False}


def test_tags_sorted_by_code_point(iam, dev):
    keys = ["b", "B", "a", "A", "_", "1", "Z", "z", "é", "ä", ".", "aa", "a1", " x", "ключ"]
    iam.tag_mfa_device(SerialNumber=dev["SerialNumber"], Tags=[tag(k, k) for k in keys])
    assert [t["Key"] for t in list_tags(iam, dev["SerialNumber"])] == sorted(keys)


def test_tag_overwrites_value(iam, dev):
    sn = dev["SerialNumber"]
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("env", "dev"), tag("team", "x")])
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("env", "prod")])
    assert list_tags(iam, sn) == [tag("env", "prod"), tag("team", "x")]
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("env", "")])
    assert list_tags(iam, sn) == [tag("env", ""), tag("team", "x")]


def test_tag_keys_case_sensitive(iam, dev):
    sn = dev["SerialNumber"]
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("Env", "1")])
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("env", "2"), tag("ENV", "3")])
    assert list_tags(iam, sn) == [tag("ENV", "3"), tag("Env", "1"), tag("env", "2")]
    iam.untag_mfa_device(SerialNumber=sn, TagKeys=["ENV", "eNv"])
    assert list_tags(iam, sn) == [tag("Env", "1"), tag("env", "2")]


def test_untag_missing_keys_is_noop(iam, dev):
    sn = dev["SerialNumber"]
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("a", "1")])
    check_only_metadata(iam.untag_mfa_device(SerialNumber=sn, TagKeys=["nope", "A"]))
    assert list_tags(iam, sn) == [tag("a", "1")]


@pytest.mark.parametrize(
    "tags, message",
    [
        ([tag("aws:x", "1")], KEY_RESERVED),
        ([tag("AWS:x", "1")], KEY_RESERVED),
        ([tag("aWs:", "1")], KEY_RESERVED),
        ([tag("ok", "1"), tag("Aws:x", "1")], KEY_RESERVED),
        ([tag("k", "aws:v")], VALUE_RESERVED),
        ([tag("k", "AWS:v")], VALUE_RESERVED),
        ([tag("new", "1"), tag("k", "aWS:")], VALUE_RESERVED),
        ([tag("k", "1"), tag("k", "2")], "Duplicate tag keys found."),
        ([tag("new", "1"), tag("x", "1"), tag("new", "1")], "Duplicate tag keys found."),
    ],
)
def test_tag_invalid_input_all_or_nothing(iam, dev, tags, message):
    sn = dev["SerialNumber"]
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("k", "orig")])
    before = snapshot(iam)
    raises(iam, "TagMFADevice", "InvalidInput", message, SerialNumber=sn, Tags=tags)
    assert snapshot(iam) == before
    assert list_tags(iam, sn) == [tag("k", "orig")]


@pytest.mark.parametrize(
    "tags, parts",
    [
        ([tag("bad#", "v")], [pattern_part("bad#", "tags.1.member.key", TAG_KEY_PATTERN)]),
        ([tag("ok", "v"), tag("k", "v!")], [pattern_part("v!", "tags.2.member.value", TAG_VALUE_PATTERN)]),
        ([tag("k" * 129)], [length_part("k" * 129, "tags.1.member.key", 128)]),
        ([tag("k", "v" * 257)], [length_part("v" * 257, "tags.1.member.value", 256)]),
        ([tag(f"k{i}") for i in range(51)], [length_part(None, "tags", 50)]),
        ([tag("ok"), tag("😀", "v")], [pattern_part("😀", "tags.2.member.key", TAG_KEY_PATTERN)]),
    ],
)
def test_tag_format_errors_change_nothing(iam, dev, tags, parts):
    sn = dev["SerialNumber"]
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("ok", "orig")])
    before = snapshot(iam)
    raises(iam, "TagMFADevice", "ValidationError", coral(*parts), SerialNumber=sn, Tags=tags)
    assert snapshot(iam) == before


def test_tag_format_error_beats_unknown_serial(iam):
    raises(iam, "TagMFADevice", "ValidationError", coral(length_part(None, "tags", 50)),
           SerialNumber=serial("ghost"), Tags=[tag(f"k{i}") for i in range(51)])


def test_tag_limit_50_total(iam, dev):
    sn = dev["SerialNumber"]
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag(f"a{i:02d}", "x") for i in range(30)])
    before = snapshot(iam)
    raises(iam, "TagMFADevice", "LimitExceeded", "Cannot exceed quota for TagsPerMFADevice: 50", SerialNumber=sn,
           Tags=[tag(f"b{i:02d}", "y") for i in range(21)])
    assert snapshot(iam) == before
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag(f"b{i:02d}", "y") for i in range(20)])
    assert len(all_pages(iam.list_mfa_device_tags, "Tags", SerialNumber=sn)) == 50
    # overwriting existing keys does not count against the quota
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag(f"a{i:02d}", "z") for i in range(50) if i < 30])
    raises(iam, "TagMFADevice", "LimitExceeded", "Cannot exceed quota for TagsPerMFADevice: 50", SerialNumber=sn,
           Tags=[tag("a00", "q"), tag("new", "n")])
    assert dict((t["Key"], t["Value"]) for t in all_pages(iam.list_mfa_device_tags, "Tags", SerialNumber=sn))["a00"] == "z"
    iam.untag_mfa_device(SerialNumber=sn, TagKeys=["a00"])
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("new", "n")])


def test_tag_limit_configurable(make):
    iam = make(quotas={"TagsPerMFADevice": 3})
    sn = create(iam, "d", Tags=[tag("a"), tag("b")])["SerialNumber"]
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("c")])
    before = snapshot(iam)
    raises(iam, "TagMFADevice", "LimitExceeded", "Cannot exceed quota for TagsPerMFADevice: 3", SerialNumber=sn,
           Tags=[tag("d")])
    assert snapshot(iam) == before


@pytest.mark.parametrize(
    "op, params",
    [
        ("TagMFADevice", {"Tags": [tag("a", "b")]}),
        ("UntagMFADevice", {"TagKeys": ["a"]}),
        ("ListMFADeviceTags", {}),
    ],
)
def test_tags_unknown_serial(iam, op, params):
    sn = serial("ghost")
    create(iam, "real")
    before = snapshot(iam)
    raises(iam, op, "NoSuchEntity", no_device(sn), SerialNumber=sn, **params)
    assert snapshot(iam) == before


def test_untag_too_many_keys(iam, dev):
    raises(iam, "UntagMFADevice", "ValidationError", coral(length_part(None, "tagKeys", 50)),
           SerialNumber=dev["SerialNumber"], TagKeys=[f"k{i}" for i in range(51)])


def test_list_tags_pagination(iam, dev):
    sn = dev["SerialNumber"]
    keys = [f"k{i}" for i in range(7)]
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag(k, k.upper()) for k in reversed(keys)])
    r = iam.list_mfa_device_tags(SerialNumber=sn, MaxItems=3)
    assert r["IsTruncated"] is True and r["Marker"] and len(r["Tags"]) == 3
    got = all_pages(iam.list_mfa_device_tags, "Tags", SerialNumber=sn, MaxItems=3)
    assert got == [tag(k, k.upper()) for k in keys]
    full = iam.list_mfa_device_tags(SerialNumber=sn, MaxItems=7)
    assert full["IsTruncated"] is False and "Marker" not in full


def test_tags_survive_enable_and_deactivate_and_hidden_from_lists(iam, clock, dev):
    sn = dev["SerialNumber"]
    iam.create_user(UserName="alice")
    iam.tag_mfa_device(SerialNumber=sn, Tags=[tag("k", "v")])
    enable(iam, clock, "alice", dev)
    for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]:
        assert "Tags" not in d
    assert "Tags" not in iam.get_mfa_device(SerialNumber=sn)
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=sn)
    assert list_tags(iam, sn) == [tag("k", "v")]


def test_tag_param_validation(iam, dev):
    sn = dev["SerialNumber"]
    assert_param_error(iam, "TagMFADevice", {"SerialNumber": sn})
    assert_param_error(iam, "TagMFADevice", {"SerialNumber": sn, "Tags": [{"Key": "", "Value": "v"}]})
    assert_param_error(iam, "TagMFADevice", {"SerialNumber": sn, "Tags": [{"Key": "k"}]})
    assert_param_error(iam, "UntagMFADevice", {"SerialNumber": sn, "TagKeys": "k"})
    assert_param_error(iam, "ListMFADeviceTags", {"SerialNumber": sn, "MaxItems": 0})


# =========================================================================== GetAccountSummary (§8)


def summary(iam) -> dict:
    r = iam.get_account_summary()
    check_metadata(r["ResponseMetadata"])
    assert set(r) == {"SummaryMap", "ResponseMetadata"}
    return r["SummaryMap"]


def test_account_summary_counts(iam, clock):
    s0 = summary(iam)
    assert s0["MFADevices"] == 0 and s0["MFADevicesInUse"] == 0
    assert s0["Users"] == 0 and s0["UsersQuota"] == 5000
    assert all(isinstance(v, int) for v in s0.values())
    d = create(iam, "dev")
    s1 = summary(iam)
    assert (s1["MFADevices"], s1["MFADevicesInUse"]) == (1, 0)
    iam.create_user(UserName="alice")
    assert summary(iam)["Users"] == 1
    enable(iam, clock, "alice", d)
    s2 = summary(iam)
    assert (s2["MFADevices"], s2["MFADevicesInUse"]) == (1, 1)
    create(iam, "dev2")
    assert (summary(iam)["MFADevices"], summary(iam)["MFADevicesInUse"]) == (2, 1)
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=d["SerialNumber"])
    s3 = summary(iam)
    assert (s3["MFADevices"], s3["MFADevicesInUse"]) == (2, 0)
    iam.delete_virtual_mfa_device(SerialNumber=d["SerialNumber"])
    s4 = summary(iam)
    assert (s4["MFADevices"], s4["MFADevicesInUse"]) == (1, 0)
    iam.delete_user(UserName="alice")
    assert summary(iam)["Users"] == 0


def test_account_summary_create_plus_enable_raises_both_by_one(iam, clock):
    iam.create_user(UserName="alice")
    for i in range(3):
        create(iam, f"pre{i}")
    before = summary(iam)
    d = create(iam, "dev")
    enable(iam, clock, "alice", d)
    after = summary(iam)
    assert after["MFADevices"] == before["MFADevices"] + 1
    assert after["MFADevicesInUse"] == before["MFADevicesInUse"] + 1
    assert after["Users"] == before["Users"]


def test_account_summary_unchanged_by_rejected_calls(iam, clock, alice_dev):
    before = summary(iam)
    c1, c2 = bogus_pair(clock, alice_dev)
    with pytest.raises(iam.exceptions.InvalidAuthenticationCodeException):
        iam.enable_mfa_device(UserName="alice", SerialNumber=alice_dev["SerialNumber"],
                              AuthenticationCode1=c1, AuthenticationCode2=c2)
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException):
        create(iam, "dev")
    assert summary(iam) == before


# =========================================================================== a full scenario


def test_full_lifecycle_scenario(iam, clock):
    """Create → enable (app codes) → resync later → deactivate → delete, as a user would."""
    iam.create_user(UserName="carol", Path="/eng/")
    d = create(iam, "carol", Path="/eng/", Tags=[tag("owner", "carol")])
    assert d["SerialNumber"] == "arn:aws:iam::123456789012:mfa/eng/carol"
    enable(iam, clock, "carol", d)
    clock.advance(86400)
    # a drifted authenticator, 15 steps slow
    c1, c2 = pair(d["Base32StringSeed"], step_now(clock) - 15)
    iam.resync_mfa_device(UserName="carol", SerialNumber=d["SerialNumber"], AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert iam.get_mfa_device(SerialNumber=d["SerialNumber"], UserName="carol")["UserName"] == "carol"
    iam.deactivate_mfa_device(UserName="carol", SerialNumber=d["SerialNumber"])
    iam.delete_virtual_mfa_device(SerialNumber=d["SerialNumber"])
    iam.delete_user(UserName="carol")
    s = summary(iam)
    assert (s["MFADevices"], s["MFADevicesInUse"], s["Users"]) == (0, 0, 0)
