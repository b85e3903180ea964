"""Independent conformance tests: aws-reference.md §1, §2, §3, §6, §7 (at create) and §8.

Written against the contract only (aws-reference.md + design.md "Public API"); every
expectation below cites the section of aws-reference.md it comes from.  The botocore
service model installed next to boto3 is the oracle for shapes, patterns and for
client-side ParamValidationError texts.
"""

from __future__ import annotations

import base64
import io
import re
import urllib.parse

import boto3.exceptions
import pytest
from botocore.exceptions import ClientError as BotoClientError
from botocore.exceptions import ParamValidationError

import iamlite

# Helpers and the clock/iam fixtures shared with test_conformance_lifecycle.py.
from conformance_support import (
    ACCOUNT,
    MODELED,
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
    enable,
    iam,
    length_part,
    out_members,
    pattern,
    pattern_part,
    raises,
    serial,
    shape_members,
    tag,
)
from conformance_support import device_snapshot as snapshot

# --------------------------------------------------------------------------- helpers

NAME_PATTERN = pattern("virtualMFADeviceName")  # [\w+=,.@-]+
MARKER_PATTERN = pattern("markerType")

ENUM_MSG = (
    "1 validation error detected: Value '{}' at 'assignmentStatus' failed to satisfy constraint: "
    "Member must satisfy enum value set: [Unassigned, Any, Assigned]"
)


def decode_qr(png: bytes) -> str:
    import PIL.Image
    import zxingcpp

    found = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(png)))
    # zxing occasionally also "finds" a short 1-D ITF code inside QR modules (~1 in 300 random
    # seeds); only QR symbols count.
    results = [r for r in found if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(results) == 1, [(r.format, r.text) for r in found]
    return results[0].text


def otpauth(name: str, account_label: str, seed: bytes) -> str:
    label = urllib.parse.quote(name, safe="")  # RFC 3986 unreserved stays, everything else %XX upper-case
    return (
        f"otpauth://totp/Amazon%20Web%20Services:{label}@{account_label}"
        f"?secret={seed.decode()}&issuer=Amazon%20Web%20Services"
    )


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def make(clock):
    return client_factory(clock)


# =========================================================================== §1 identifiers


@pytest.mark.parametrize(
    "path, expected",
    [
        (None, "arn:aws:iam::123456789012:mfa/alice"),
        ("/", "arn:aws:iam::123456789012:mfa/alice"),
        ("/div/", "arn:aws:iam::123456789012:mfa/div/alice"),
        ("/div/team/", "arn:aws:iam::123456789012:mfa/div/team/alice"),
        ("/a//b/", "arn:aws:iam::123456789012:mfa/a//b/alice"),
        ("///", "arn:aws:iam::123456789012:mfa///alice"),
        ("/!~/", "arn:aws:iam::123456789012:mfa/!~/alice"),
    ],
)
def test_serial_number_is_arn_with_path_kept(iam, path, expected):
    kw = {} if path is None else {"Path": path}
    dev = create(iam, "alice", **kw)
    assert dev["SerialNumber"] == expected
    listed = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert listed == [{"SerialNumber": expected}]


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
@pytest.mark.parametrize("account", ["123456789012", "000000000001"])
def test_serial_number_partition_and_account(make, partition, account):
    iam = make(account_id=account, partition=partition)
    dev = create(iam, "bob", Path="/x/")
    assert dev["SerialNumber"] == f"arn:{partition}:iam::{account}:mfa/x/bob"


def test_seed_is_64_char_base32_of_40_bytes(iam):
    dev = create(iam, "alice")
    seed = dev["Base32StringSeed"]
    assert isinstance(seed, bytes)
    assert len(seed) == 64
    assert re.fullmatch(rb"[A-Z2-7]{64}", seed), seed[:4]
    assert len(base64.b32decode(seed)) == 40


def test_seeds_differ_between_devices(iam):
    seeds = {create(iam, f"d{i}")["Base32StringSeed"] for i in range(20)}
    assert len(seeds) == 20


def test_rng_seed_reproducible(make):
    a = make(rng_seed=42)
    b = make(rng_seed=42)
    c = make(rng_seed=43)
    sa = [create(a, f"d{i}")["Base32StringSeed"] for i in range(3)]
    sb = [create(b, f"d{i}")["Base32StringSeed"] for i in range(3)]
    sc = [create(c, f"d{i}")["Base32StringSeed"] for i in range(3)]
    assert sa == sb
    assert len(set(sa)) == 3
    assert sa[0] != sc[0]
    assert not set(sa) & set(sc)


def test_no_rng_seed_is_random(make):
    a, b = make(), make()
    assert create(a, "d")["Base32StringSeed"] != create(b, "d")["Base32StringSeed"]


@pytest.mark.parametrize(
    "name",
    ["alice", "UPPER_lower-09", "a+b=c,d@e.f_g-h", "+", "@", "x.y", "n" * 60],
)
@pytest.mark.parametrize("path", [None, "/div/team/"])
def test_qr_png_holds_otpauth_uri(iam, name, path):
    kw = {} if path is None else {"Path": path}
    dev = create(iam, name, **kw)
    png = dev["QRCodePNG"]
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert decode_qr(png) == otpauth(name, ACCOUNT, dev["Base32StringSeed"])


def test_qr_label_encoding_examples(iam):
    dev = create(iam, "a+b=c,d@e")
    text = decode_qr(dev["QRCodePNG"])
    assert text.startswith("otpauth://totp/Amazon%20Web%20Services:a%2Bb%3Dc%2Cd%40e@123456789012?secret=")
    assert text.endswith("&issuer=Amazon%20Web%20Services")


@pytest.mark.parametrize("alias", ["my-corp", "acme123"])
def test_qr_uses_account_alias_when_set(make, alias):
    iam = make(account_alias=alias, account_id="111122223333")
    dev = create(iam, "alice")
    assert decode_qr(dev["QRCodePNG"]) == otpauth("alice", alias, dev["Base32StringSeed"])
    # the ARN still uses the account ID
    assert dev["SerialNumber"] == "arn:aws:iam::111122223333:mfa/alice"


def test_qr_uses_account_id_in_other_partition(make):
    iam = make(account_id="210987654321", partition="aws-cn")
    dev = create(iam, "bob")
    assert decode_qr(dev["QRCodePNG"]) == otpauth("bob", "210987654321", dev["Base32StringSeed"])


def test_bootstrap_only_returned_by_create(iam, clock):
    a = create(iam, "assigned")
    create(iam, "free")
    iam.create_user(UserName="alice")
    enable(iam, clock, "alice", a)
    for status in ("Any", "Assigned", "Unassigned"):
        for d in iam.list_virtual_mfa_devices(AssignmentStatus=status)["VirtualMFADevices"]:
            assert "Base32StringSeed" not in d and "QRCodePNG" not in d
    got = iam.get_mfa_device(SerialNumber=a["SerialNumber"])
    assert "Base32StringSeed" not in got and "QRCodePNG" not in got
    for d in iam.list_mfa_devices(UserName="alice")["MFADevices"]:
        assert "Base32StringSeed" not in d and "QRCodePNG" not in d


def test_secrets_not_in_repr_of_error_or_response_metadata(iam):
    dev = create(iam, "alice")
    with pytest.raises(BotoClientError) as ei:
        iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    seed = dev["Base32StringSeed"].decode()
    assert seed not in str(ei.value) and seed not in repr(ei.value.response)


# =========================================================================== §2 CreateVirtualMFADevice


def test_create_response_exact_shape(iam):
    r = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    assert set(r) == {"VirtualMFADevice", "ResponseMetadata"}
    assert set(r) - {"ResponseMetadata"} <= out_members("CreateVirtualMFADevice")
    check_metadata(r["ResponseMetadata"])
    dev = r["VirtualMFADevice"]
    assert set(dev) == {"SerialNumber", "Base32StringSeed", "QRCodePNG"}
    assert set(dev) <= shape_members("VirtualMFADevice")
    assert isinstance(dev["SerialNumber"], str)
    assert isinstance(dev["Base32StringSeed"], bytes)
    assert isinstance(dev["QRCodePNG"], bytes)


def test_create_with_tags_echoes_tags(iam):
    tags = [tag("b", "2"), tag("a", "1")]
    dev = create(iam, "alice", Tags=tags)
    assert set(dev) == {"SerialNumber", "Base32StringSeed", "QRCodePNG", "Tags"}
    assert sorted(dev["Tags"], key=lambda t: t["Key"]) == [tag("a", "1"), tag("b", "2")]
    listed = iam.list_mfa_device_tags(SerialNumber=dev["SerialNumber"])
    assert listed["Tags"] == [tag("a", "1"), tag("b", "2")]
    assert listed["IsTruncated"] is False


@pytest.mark.parametrize(
    "name",
    ["a", "Z", "0", "_", "-", "a+b=c,d.e@f-g_h", "ALL_CAPS", "x" * 200],
)
def test_create_accepts_valid_names(iam, name):
    assert create(iam, name)["SerialNumber"] == serial(name)


@pytest.mark.parametrize(
    "name",
    ["bad name", "ü", "é1", "a/b", "a#b", "a:b", "a*", "日本", "a!", "a%20", "tab\tx", "a;b", "a'b"],
)
def test_create_rejects_bad_name(iam, name):
    before = snapshot(iam)
    raises(
        iam,
        "CreateVirtualMFADevice",
        "ValidationError",
        coral(pattern_part(name, "virtualMFADeviceName", NAME_PATTERN)),
        VirtualMFADeviceName=name,
    )
    assert snapshot(iam) == before


def test_create_bad_name_exact_text(iam):
    e = raises(iam, "CreateVirtualMFADevice", "ValidationError", None, VirtualMFADeviceName="bad name")
    assert e.response["Error"]["Message"] == (
        "1 validation error detected: Value 'bad name' at 'virtualMFADeviceName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w+=,.@-]+"
    )


@pytest.mark.parametrize(
    "path",
    ["/", "/div/", "/div/team/", "/a//b/", "///", "/!~/", "/a.b-c_d/", "/" + "a" * 510 + "/"],
)
def test_create_accepts_valid_paths(iam, path):
    assert create(iam, "dev", Path=path)["SerialNumber"] == serial("dev", path)


@pytest.mark.parametrize(
    "path",
    ["div", "/div", "div/", "//", "/a b/", "/ü/", "/a\x7f/", "a", "\\div\\", " /"],
)
def test_create_rejects_bad_path(iam, path):
    before = snapshot(iam)
    raises(iam, "CreateVirtualMFADevice", "ValidationError", PATH_MSG, VirtualMFADeviceName="dev", Path=path)
    assert snapshot(iam) == before


def test_create_path_too_long_value_not_echoed(iam):
    path = "/" + "a" * 511 + "/"
    assert len(path) == 513
    raises(
        iam,
        "CreateVirtualMFADevice",
        "ValidationError",
        "1 validation error detected: Value at 'path' failed to satisfy constraint: "
        "Member must have length less than or equal to 512",
        VirtualMFADeviceName="dev",
        Path=path,
    )
    assert snapshot(iam) == ([], {})


def test_create_two_validation_errors_in_model_order(iam):
    long_path = "/" + "p" * 600 + "/"
    raises(
        iam,
        "CreateVirtualMFADevice",
        "ValidationError",
        "2 validation errors detected: Value at 'path' failed to satisfy constraint: Member must have length "
        "less than or equal to 512; Value 'bad name' at 'virtualMFADeviceName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w+=,.@-]+",
        Tags=[tag("k", "v")],
        VirtualMFADeviceName="bad name",
        Path=long_path,
    )


def test_create_name_and_tags_list_errors(iam):
    tags = [tag(f"k{i}") for i in range(51)]
    raises(
        iam,
        "CreateVirtualMFADevice",
        "ValidationError",
        coral(
            pattern_part("bad name", "virtualMFADeviceName", NAME_PATTERN),
            length_part(None, "tags", 50),
        ),
        Tags=tags,
        VirtualMFADeviceName="bad name",
    )


def test_create_three_validation_errors(iam):
    raises(
        iam,
        "CreateVirtualMFADevice",
        "ValidationError",
        coral(
            length_part(None, "path", 512),
            pattern_part("a b", "virtualMFADeviceName", NAME_PATTERN),
            length_part(None, "tags", 50),
        ),
        VirtualMFADeviceName="a b",
        Path="/" + "x" * 512 + "/",
        Tags=[tag(f"k{i}") for i in range(60)],
    )
    assert snapshot(iam) == ([], {})


def test_create_duplicate(iam):
    dev = create(iam, "alice", Path="/p/")
    before = snapshot(iam)
    raises(
        iam,
        "CreateVirtualMFADevice",
        "EntityAlreadyExists",
        "MFA device already exists.",
        VirtualMFADeviceName="alice",
        Path="/p/",
    )
    assert snapshot(iam) == before
    assert before[0] == [{"SerialNumber": dev["SerialNumber"]}]


def test_create_duplicate_with_tags_does_not_touch_tags(iam):
    dev = create(iam, "alice", Tags=[tag("a", "1")])
    before = snapshot(iam)
    raises(
        iam,
        "CreateVirtualMFADevice",
        "EntityAlreadyExists",
        "MFA device already exists.",
        VirtualMFADeviceName="alice",
        Tags=[tag("a", "2"), tag("b", "3")],
    )
    assert snapshot(iam) == before
    assert iam.list_mfa_device_tags(SerialNumber=dev["SerialNumber"])["Tags"] == [tag("a", "1")]


def test_create_default_path_equals_slash(iam):
    create(iam, "alice")
    raises(iam, "CreateVirtualMFADevice", "EntityAlreadyExists", "MFA device already exists.",
           VirtualMFADeviceName="alice", Path="/")


def test_uniqueness_is_path_plus_name_case_sensitive(iam):
    names = [("alice", "/"), ("Alice", "/"), ("ALICE", "/"), ("alice", "/x/"), ("alice", "/X/"), ("alice", "/a//b/")]
    for n, p in names:
        create(iam, n, Path=p)
    got = [d["SerialNumber"] for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]]
    assert got == sorted(serial(n, p) for n, p in names)


def test_create_account_quota_configurable(make):
    iam = make(quotas={"VirtualMFADevicesPerAccount": 3})
    for i in range(3):
        create(iam, f"d{i}")
    before = snapshot(iam)
    raises(
        iam,
        "CreateVirtualMFADevice",
        "LimitExceeded",
        "Cannot exceed quota for VirtualMFADevicesPerAccount: 3",
        VirtualMFADeviceName="d3",
    )
    assert snapshot(iam) == before
    # format checks come before the quota (aws-reference "Order of checks")
    raises(
        iam,
        "CreateVirtualMFADevice",
        "ValidationError",
        coral(pattern_part("bad name", "virtualMFADeviceName", NAME_PATTERN)),
        VirtualMFADeviceName="bad name",
    )
    raises(iam, "CreateVirtualMFADevice", "ValidationError", PATH_MSG, VirtualMFADeviceName="d3", Path="nope")
    iam.delete_virtual_mfa_device(SerialNumber=serial("d0"))
    create(iam, "d3")
    assert len(iam.list_virtual_mfa_devices()["VirtualMFADevices"]) == 3


def test_create_account_quota_default_5000(clock):
    # bulk creation through the resource (lazy QR rendering); errors checked on its client
    res = iamlite.resource("iam", account_id=ACCOUNT, clock=clock)
    for i in range(5000):
        res.create_virtual_mfa_device(VirtualMFADeviceName=f"d{i}")
    iam = res.meta.client
    raises(
        iam,
        "CreateVirtualMFADevice",
        "LimitExceeded",
        "Cannot exceed quota for VirtualMFADevicesPerAccount: 5000",
        VirtualMFADeviceName="one-more",
    )
    assert len(all_pages(iam.list_virtual_mfa_devices, "VirtualMFADevices", MaxItems=1000)) == 5000


def test_other_quotas_do_not_change_device_quota(make):
    iam = make(quotas={"MFADevicesPerUser": 1})
    for i in range(10):
        create(iam, f"d{i}")


# ---- §7 at create


@pytest.mark.parametrize(
    "tags, message",
    [
        ([tag("aws:env", "x")], "Tag keys starting with 'aws:' are reserved for AWS use."),
        ([tag("AWS:env", "x")], "Tag keys starting with 'aws:' are reserved for AWS use."),
        ([tag("Aws:env", "x")], "Tag keys starting with 'aws:' are reserved for AWS use."),
        ([tag("ok", "v"), tag("aWs:", "x")], "Tag keys starting with 'aws:' are reserved for AWS use."),
        ([tag("env", "aws:x")], "Tag values starting with 'aws:' are reserved for AWS use."),
        ([tag("env", "AWS:x")], "Tag values starting with 'aws:' are reserved for AWS use."),
        ([tag("a", "1"), tag("a", "2")], "Duplicate tag keys found."),
        ([tag("a", "1"), tag("b", ""), tag("a", "1")], "Duplicate tag keys found."),
    ],
)
def test_create_with_invalid_tags_creates_nothing(iam, tags, message):
    before = snapshot(iam)
    raises(iam, "CreateVirtualMFADevice", "InvalidInput", message, VirtualMFADeviceName="alice", Tags=tags)
    assert snapshot(iam) == before
    # the name is still free
    create(iam, "alice")


@pytest.mark.parametrize("key", ["awsx", "aws", "xaws:", "amazon:x", "aws-x", "aws/"])
def test_create_tag_keys_near_reserved_prefix_are_fine(iam, key):
    dev = create(iam, "alice", Tags=[tag(key, "aws")])
    assert iam.list_mfa_device_tags(SerialNumber=dev["SerialNumber"])["Tags"] == [tag(key, "aws")]


def test_create_tag_keys_case_sensitive(iam):
    dev = create(iam, "alice", Tags=[tag("Env", "1"), tag("env", "2"), tag("ENV", "3")])
    got = iam.list_mfa_device_tags(SerialNumber=dev["SerialNumber"])["Tags"]
    assert got == [tag("ENV", "3"), tag("Env", "1"), tag("env", "2")]


def test_create_with_50_tags_ok_51_rejected(iam):
    dev = create(iam, "fifty", Tags=[tag(f"k{i:02d}", str(i)) for i in range(50)])
    assert len(all_pages(iam.list_mfa_device_tags, "Tags", SerialNumber=dev["SerialNumber"])) == 50
    before = snapshot(iam)
    raises(
        iam,
        "CreateVirtualMFADevice",
        "ValidationError",
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length "
        "less than or equal to 50",
        VirtualMFADeviceName="fiftyone",
        Tags=[tag(f"k{i:02d}", str(i)) for i in range(51)],
    )
    assert snapshot(iam) == before


@pytest.mark.parametrize(
    "tags, parts",
    [
        ([tag("bad#key", "v")], [pattern_part("bad#key", "tags.1.member.key", TAG_KEY_PATTERN)]),
        ([tag("ok"), tag("b!d", "v")], [pattern_part("b!d", "tags.2.member.key", TAG_KEY_PATTERN)]),
        ([tag("k", "bad#")], [pattern_part("bad#", "tags.1.member.value", TAG_VALUE_PATTERN)]),
        ([tag("k" * 129, "v")], [length_part("k" * 129, "tags.1.member.key", 128)]),
        ([tag("k", "v" * 257)], [length_part("v" * 257, "tags.1.member.value", 256)]),
        (
            [tag("a#"), tag("b", "c#")],
            [
                pattern_part("a#", "tags.1.member.key", TAG_KEY_PATTERN),
                pattern_part("c#", "tags.2.member.value", TAG_VALUE_PATTERN),
            ],
        ),
    ],
)
def test_create_tag_format_errors(iam, tags, parts):
    raises(iam, "CreateVirtualMFADevice", "ValidationError", coral(*parts), VirtualMFADeviceName="alice", Tags=tags)
    assert snapshot(iam) == ([], {})


@pytest.mark.parametrize(
    "key, value",
    [
        ("k" * 128, "v" * 256),
        ("ключ", "значение"),
        ("Größe", "ü"),
        ("with space", "a b"),
        ("_.:/=+-@", "_.:/=+-@"),
        ("日本", "１２３"),
        ("k", ""),
    ],
)
def test_create_tag_format_accepted(iam, key, value):
    dev = create(iam, "alice", Tags=[tag(key, value)])
    assert iam.list_mfa_device_tags(SerialNumber=dev["SerialNumber"])["Tags"] == [tag(key, value)]


def test_create_format_error_beats_reserved_tag(iam):
    raises(
        iam,
        "CreateVirtualMFADevice",
        "ValidationError",
        coral(pattern_part("bad name", "virtualMFADeviceName", NAME_PATTERN)),
        VirtualMFADeviceName="bad name",
        Tags=[tag("aws:x", "y")],
    )


# =========================================================================== §3 ListVirtualMFADevices


def test_list_empty_exact(iam):
    r = iam.list_virtual_mfa_devices()
    check_metadata(r["ResponseMetadata"])
    del r["ResponseMetadata"]
    assert r == {"VirtualMFADevices": [], "IsTruncated": False}


def test_list_response_keys_subset_of_model(iam):
    create(iam, "a")
    r = iam.list_virtual_mfa_devices()
    assert set(r) - {"ResponseMetadata"} == {"VirtualMFADevices", "IsTruncated"}
    assert set(r) - {"ResponseMetadata"} <= out_members("ListVirtualMFADevices")


def test_list_entries_unassigned_vs_assigned(iam, clock):
    a = create(iam, "assigned", Tags=[tag("t", "v")])
    create(iam, "free", Tags=[tag("t", "v")])
    u = iam.create_user(UserName="alice", Path="/staff/")["User"]
    clock.advance(100)
    enable(iam, clock, "alice", a)
    enabled_at = clock.time()
    clock.advance(100)
    entries = {d["SerialNumber"]: d for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]}
    assert entries[serial("free")] == {"SerialNumber": serial("free")}
    e = entries[serial("assigned")]
    assert set(e) == {"SerialNumber", "EnableDate", "User"}
    assert set(e) <= shape_members("VirtualMFADevice")
    assert_ts(e["EnableDate"], enabled_at)
    user = e["User"]
    assert {"Path", "UserName", "UserId", "Arn", "CreateDate"} <= set(user) <= {
        "Path", "UserName", "UserId", "Arn", "CreateDate", "PasswordLastUsed"}
    assert user["Path"] == "/staff/"
    assert user["UserName"] == "alice"
    assert user["UserId"] == u["UserId"]
    assert user["Arn"] == "arn:aws:iam::123456789012:user/staff/alice"
    assert user["CreateDate"] == u["CreateDate"]
    assert_ts(user["CreateDate"], T0)


@pytest.mark.parametrize(
    "status, expected",
    [
        (None, ["a1", "a2", "u1", "u2", "u3"]),
        ("Any", ["a1", "a2", "u1", "u2", "u3"]),
        ("Assigned", ["a1", "a2"]),
        ("Unassigned", ["u1", "u2", "u3"]),
    ],
)
def test_list_assignment_status_filter(iam, clock, status, expected):
    devs = {n: create(iam, n) for n in ["u3", "a2", "u1", "a1", "u2"]}
    iam.create_user(UserName="x")
    iam.create_user(UserName="y")
    enable(iam, clock, "x", devs["a1"])
    enable(iam, clock, "y", devs["a2"])
    kw = {} if status is None else {"AssignmentStatus": status}
    got = [d["SerialNumber"] for d in iam.list_virtual_mfa_devices(**kw)["VirtualMFADevices"]]
    assert got == [serial(n) for n in expected]


@pytest.mark.parametrize("bad", ["assigned", "ANY", "All", "", "Unassigned ", "None"])
def test_list_bad_assignment_status(iam, bad):
    raises(iam, "ListVirtualMFADevices", "ValidationError", ENUM_MSG.format(bad), AssignmentStatus=bad)


def test_list_orders_by_serial_number_code_point(iam):
    specs = [("b", "/"), ("a", "/"), ("B", "/"), ("z", "/p/"), ("A", "/P/"), ("a", "/a//b/"),
             ("_", "/"), ("0", "/"), ("a.b", "/"), ("a-b", "/"), ("a@b", "/"), ("~x", "/~/")]
    specs = [(n, p) for n, p in specs if re.fullmatch(r"[\w+=,.@-]+", n)]
    for n, p in specs:
        create(iam, n, Path=p)
    expected = sorted(serial(n, p) for n, p in specs)
    got = [d["SerialNumber"] for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]]
    assert got == expected
    paged = [d["SerialNumber"] for d in all_pages(iam.list_virtual_mfa_devices, "VirtualMFADevices", MaxItems=3)]
    assert paged == expected


@pytest.mark.parametrize("n, page", [(5, 2), (5, 1), (6, 3), (6, 6), (6, 7), (7, 1000)])
def test_list_pagination(iam, n, page):
    for i in range(n):
        create(iam, f"d{i:02d}")
    expected = [serial(f"d{i:02d}") for i in range(n)]
    got: list = []
    marker = None
    pages = 0
    while True:
        kw = {"MaxItems": page}
        if marker is not None:
            kw["Marker"] = marker
        r = iam.list_virtual_mfa_devices(**kw)
        pages += 1
        assert len(r["VirtualMFADevices"]) <= page
        got += [d["SerialNumber"] for d in r["VirtualMFADevices"]]
        if r["IsTruncated"]:
            assert isinstance(r["Marker"], str) and r["Marker"]
            assert len(r["VirtualMFADevices"]) == page
            marker = r["Marker"]
        else:
            assert "Marker" not in r
            break
    assert got == expected
    assert pages == max(1, -(-n // page))


def test_list_default_max_items_is_100(clock):
    res = iamlite.resource("iam", account_id=ACCOUNT, clock=clock)
    for i in range(101):
        res.create_virtual_mfa_device(VirtualMFADeviceName=f"d{i:03d}")
    iam = res.meta.client
    r = iam.list_virtual_mfa_devices()
    assert len(r["VirtualMFADevices"]) == 100
    assert r["IsTruncated"] is True
    r2 = iam.list_virtual_mfa_devices(Marker=r["Marker"])
    assert [d["SerialNumber"] for d in r2["VirtualMFADevices"]] == [serial("d100")]
    assert r2["IsTruncated"] is False and "Marker" not in r2


def test_list_exactly_full_page_not_truncated(iam):
    for i in range(4):
        create(iam, f"d{i}")
    r = iam.list_virtual_mfa_devices(MaxItems=4)
    assert r["IsTruncated"] is False
    assert "Marker" not in r
    assert len(r["VirtualMFADevices"]) == 4


def test_list_pagination_with_filter(iam, clock):
    for i in range(6):
        d = create(iam, f"d{i}")
        if i % 2 == 0:
            iam.create_user(UserName=f"u{i}")
            enable(iam, clock, f"u{i}", d)
    assigned = all_pages(iam.list_virtual_mfa_devices, "VirtualMFADevices", AssignmentStatus="Assigned", MaxItems=1)
    assert [d["SerialNumber"] for d in assigned] == [serial("d0"), serial("d2"), serial("d4")]
    assert all(d["User"]["UserName"] == f"u{d['SerialNumber'][-1]}" for d in assigned)
    unassigned = all_pages(iam.list_virtual_mfa_devices, "VirtualMFADevices", AssignmentStatus="Unassigned", MaxItems=2)
    assert unassigned == [{"SerialNumber": serial(f"d{i}")} for i in (1, 3, 5)]


@pytest.mark.parametrize("marker", ["bogus", "0", "x" * 320, "AAAAAAAAAAAAAAAA", "d1", serial("d1")])
def test_list_never_issued_marker(iam, marker):
    for i in range(3):
        create(iam, f"d{i}")
    raises(iam, "ListVirtualMFADevices", "ValidationError", "Invalid Marker.", Marker=marker)


def test_list_never_issued_marker_on_empty_account(iam):
    raises(iam, "ListVirtualMFADevices", "ValidationError", "Invalid Marker.", Marker="bogus")


def test_list_marker_format_errors(iam):
    raises(iam, "ListVirtualMFADevices", "ValidationError",
           coral(length_part("m" * 321, "marker", 320)), Marker="m" * 321)
    raises(iam, "ListVirtualMFADevices", "ValidationError",
           coral(pattern_part("\u0101", "marker", MARKER_PATTERN)), Marker="\u0101")


@pytest.mark.parametrize("n", [1001, 5000, 2**31 - 1])
def test_list_max_items_too_large(iam, n):
    raises(
        iam,
        "ListVirtualMFADevices",
        "ValidationError",
        f"1 validation error detected: Value '{n}' at 'maxItems' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000",
        MaxItems=n,
    )


def test_list_max_items_1000_ok(iam):
    create(iam, "a")
    assert iam.list_virtual_mfa_devices(MaxItems=1000)["IsTruncated"] is False


def test_list_validation_errors_combined_in_model_order(iam):
    raises(
        iam,
        "ListVirtualMFADevices",
        "ValidationError",
        "2 validation errors detected: Value 'X' at 'assignmentStatus' failed to satisfy constraint: Member must "
        "satisfy enum value set: [Unassigned, Any, Assigned]; Value '1001' at 'maxItems' failed to satisfy "
        "constraint: Member must have value less than or equal to 1000",
        MaxItems=1001,
        AssignmentStatus="X",
    )


def test_list_format_error_beats_bad_marker(iam):
    # format checks first, state (markers) after
    raises(iam, "ListVirtualMFADevices", "ValidationError", ENUM_MSG.format("X"), AssignmentStatus="X", Marker="bogus")


def test_list_marker_survives_between_pages_with_stable_state(iam):
    for i in range(4):
        create(iam, f"d{i}")
    r1 = iam.list_virtual_mfa_devices(MaxItems=2)
    again = iam.list_virtual_mfa_devices(MaxItems=2)
    assert again["VirtualMFADevices"] == r1["VirtualMFADevices"]
    r2 = iam.list_virtual_mfa_devices(MaxItems=2, Marker=r1["Marker"])
    assert [d["SerialNumber"] for d in r2["VirtualMFADevices"]] == [serial("d2"), serial("d3")]


# =========================================================================== §6 DeleteVirtualMFADevice


def test_delete_returns_only_metadata(iam):
    dev = create(iam, "alice")
    r = iam.delete_virtual_mfa_device(SerialNumber=dev["SerialNumber"])
    assert set(r) == {"ResponseMetadata"}
    check_metadata(r["ResponseMetadata"])
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []


@pytest.mark.parametrize(
    "sn",
    [serial("nobody"), "arn:aws:iam::123456789012:mfa/a//b/x", "arn:aws:iam::999999999999:mfa/alice",
     "arn:aws:iam::123456789012:mfa/ALICE", "arn:aws-cn:iam::123456789012:mfa/alice", "not-an-arn-at-all"],
)
def test_delete_unknown_serial(iam, sn):
    create(iam, "alice")
    before = snapshot(iam)
    raises(iam, "DeleteVirtualMFADevice", "NoSuchEntity",
           f"MFA Device with serial number {sn} does not exist.", SerialNumber=sn)
    assert snapshot(iam) == before


def test_delete_twice(iam):
    dev = create(iam, "alice")
    iam.delete_virtual_mfa_device(SerialNumber=dev["SerialNumber"])
    raises(iam, "DeleteVirtualMFADevice", "NoSuchEntity",
           f"MFA Device with serial number {dev['SerialNumber']} does not exist.", SerialNumber=dev["SerialNumber"])


def test_delete_then_recreate_gives_fresh_device(iam):
    old = create(iam, "alice", Tags=[tag("a", "1")])
    iam.delete_virtual_mfa_device(SerialNumber=old["SerialNumber"])
    new = create(iam, "alice")
    assert new["SerialNumber"] == old["SerialNumber"]
    assert new["Base32StringSeed"] != old["Base32StringSeed"]
    assert iam.list_mfa_device_tags(SerialNumber=new["SerialNumber"])["Tags"] == []


def test_delete_malformed_serial_is_validation_error(iam):
    sn = "arn:aws:iam::123456789012:mfa/bad name"
    raises(iam, "DeleteVirtualMFADevice", "ValidationError", coral(pattern_part(sn, "serialNumber", SERIAL_PATTERN)),
           SerialNumber=sn)
    long_sn = "arn:aws:iam::123456789012:mfa/" + "x" * 300
    raises(iam, "DeleteVirtualMFADevice", "ValidationError", coral(length_part(long_sn, "serialNumber", 256)),
           SerialNumber=long_sn)


def test_delete_enabled_device_conflict(iam, clock):
    dev = create(iam, "alice")
    iam.create_user(UserName="alice")
    enable(iam, clock, "alice", dev)
    before = snapshot(iam)
    raises(iam, "DeleteVirtualMFADevice", "DeleteConflict", "MFA VirtualDevice in use. Must deactivate first.",
           SerialNumber=dev["SerialNumber"])
    assert snapshot(iam) == before
    assert [d["SerialNumber"] for d in iam.list_mfa_devices(UserName="alice")["MFADevices"]] == [dev["SerialNumber"]]
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=dev["SerialNumber"])
    iam.delete_virtual_mfa_device(SerialNumber=dev["SerialNumber"])
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []


# =========================================================================== §8 errors as boto3 users see them


def test_exception_classes_exposed(iam):
    for cls in MODELED.values():
        c = getattr(iam.exceptions, cls)
        assert issubclass(c, BotoClientError)
        assert issubclass(c, iamlite.exceptions.ClientError)
    assert issubclass(iamlite.exceptions.ClientError, BotoClientError)


def test_modeled_error_catchable_by_client_class(iam):
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.delete_virtual_mfa_device(SerialNumber=serial("ghost"))
    create(iam, "a")
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException):
        create(iam, "a")


def test_validation_error_is_plain_client_error(iam):
    e = raises(iam, "ListVirtualMFADevices", "ValidationError", ENUM_MSG.format("nope"), AssignmentStatus="nope")
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize(
    "op, params",
    [
        ("CreateVirtualMFADevice", {}),
        ("CreateVirtualMFADevice", {"Path": "/"}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": ""}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": "a", "Foo": 1}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": 5}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": None}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": b"bytes"}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": "a", "Path": ""}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": "a", "Path": 7}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": "a", "Tags": {"Key": "a", "Value": "b"}}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": "a", "Tags": [{"Key": "a"}]}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": "a", "Tags": [{"Key": "", "Value": "v"}]}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": "a", "Tags": [{"Key": "k", "Value": "v", "X": 1}]}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": "a", "Tags": ["k"]}),
        ("CreateVirtualMFADevice", {"VirtualMFADeviceName": "", "Foo": 1, "Path": 5, "Tags": [{"Key": ""}]}),
        ("ListVirtualMFADevices", {"MaxItems": 0}),
        ("ListVirtualMFADevices", {"MaxItems": "5"}),
        ("ListVirtualMFADevices", {"Marker": ""}),
        ("ListVirtualMFADevices", {"AssignmentStatus": 5}),
        ("ListVirtualMFADevices", {"Bogus": "x"}),
        ("ListVirtualMFADevices", {"MaxItems": 0, "Marker": ""}),
        ("DeleteVirtualMFADevice", {}),
        ("DeleteVirtualMFADevice", {"SerialNumber": "short"}),
        ("DeleteVirtualMFADevice", {"SerialNumber": ["x" * 20]}),
    ],
)
def test_param_validation_matches_botocore(iam, op, params):
    assert_param_error(iam, op, params)
    assert snapshot(iam) == ([], {})


def test_param_validation_exact_texts(iam):
    with pytest.raises(ParamValidationError) as ei:
        iam.create_virtual_mfa_device()
    assert str(ei.value) == 'Parameter validation failed:\nMissing required parameter in input: "VirtualMFADeviceName"'
    with pytest.raises(ParamValidationError) as ei:
        iam.create_virtual_mfa_device(VirtualMFADeviceName="a", Foo="x")
    assert str(ei.value) == (
        'Parameter validation failed:\nUnknown parameter in input: "Foo", must be one of: Path, VirtualMFADeviceName, Tags'
    )
    with pytest.raises(ParamValidationError) as ei:
        iam.create_virtual_mfa_device(VirtualMFADeviceName="")
    assert str(ei.value) == (
        "Parameter validation failed:\nInvalid length for parameter VirtualMFADeviceName, value: 0, valid min length: 1"
    )


def test_param_validation_beats_service_validation(iam):
    # client-side check first: the bad Path would be a ValidationError, but the missing name wins
    with pytest.raises(ParamValidationError):
        iam.create_virtual_mfa_device(Path="nope")


@pytest.mark.parametrize(
    "method, args",
    [
        ("create_virtual_mfa_device", ("alice",)),
        ("list_virtual_mfa_devices", ("Any",)),
        ("delete_virtual_mfa_device", (serial("alice"),)),
    ],
)
def test_positional_arguments_rejected_like_boto3(iam, method, args):
    with pytest.raises(TypeError) as ei:
        getattr(iam, method)(*args)
    assert str(ei.value) == f"{method}() only accepts keyword arguments."
    assert snapshot(iam) == ([], {})


def test_error_response_metadata_and_str(iam):
    e = raises(iam, "DeleteVirtualMFADevice", "NoSuchEntity",
               f"MFA Device with serial number {serial('x')} does not exist.", SerialNumber=serial("x"))
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert str(e) == (
        "An error occurred (NoSuchEntity) when calling the DeleteVirtualMFADevice operation: "
        "MFA Device with serial number arn:aws:iam::123456789012:mfa/x does not exist."
    )


def test_state_shared_only_within_one_client(make):
    a, b = make(), make()
    create(a, "alice")
    assert b.list_virtual_mfa_devices()["VirtualMFADevices"] == []


# ---- a few resource checks (§8)


@pytest.fixture
def res(clock):
    return iamlite.resource("iam", account_id=ACCOUNT, clock=clock)


def test_resource_meta_client_shares_account(res):
    dev = res.create_virtual_mfa_device(VirtualMFADeviceName="r1")
    assert dev.serial_number == serial("r1")
    assert isinstance(dev.base32_string_seed, bytes) and len(dev.base32_string_seed) == 64
    assert decode_qr(dev.qr_code_png) == otpauth("r1", ACCOUNT, dev.base32_string_seed)
    client = res.meta.client
    assert [d["SerialNumber"] for d in client.list_virtual_mfa_devices()["VirtualMFADevices"]] == [serial("r1")]
    client.create_virtual_mfa_device(VirtualMFADeviceName="c1")
    assert sorted(d.serial_number for d in res.virtual_mfa_devices.all()) == [serial("c1"), serial("r1")]


def test_resource_virtual_mfa_device_has_no_load(res):
    res.create_virtual_mfa_device(VirtualMFADeviceName="r1")
    d = res.VirtualMfaDevice(serial("r1"))
    assert d.serial_number == serial("r1")
    with pytest.raises(boto3.exceptions.ResourceLoadException) as ei:
        d.base32_string_seed
    assert str(ei.value) == "iam.VirtualMfaDevice has no load method"


def test_resource_actions_keyword_only(res):
    with pytest.raises(TypeError):
        res.create_virtual_mfa_device("r1")
    assert res.meta.client.list_virtual_mfa_devices()["VirtualMFADevices"] == []


def test_resource_user_attribute_and_user_reference(res, clock):
    client = res.meta.client
    dev = client.create_virtual_mfa_device(VirtualMFADeviceName="r1")["VirtualMFADevice"]
    client.create_virtual_mfa_device(VirtualMFADeviceName="r2")
    client.create_user(UserName="alice")
    enable(client, clock, "alice", dev)
    by_serial = {d.serial_number: d for d in res.virtual_mfa_devices.all()}
    d1 = by_serial[serial("r1")]
    assert d1.user_attribute["UserName"] == "alice"
    assert d1.user.name == "alice"
    assert_ts(d1.enable_date, T0)
    d2 = by_serial[serial("r2")]
    assert d2.user_attribute is None
    assert d2.base32_string_seed is None


# ---- additions: fractional clock, malformed serials elsewhere, resource identity


@pytest.mark.parametrize("frac", [0.0, 0.4, 0.999])
def test_timestamps_whole_seconds_with_fractional_clock(make, frac):
    clock = iamlite.FrozenClock(T0 + frac)
    iam = make(clock=clock)
    u = iam.create_user(UserName="alice")["User"]
    assert_ts(u["CreateDate"])
    assert u["CreateDate"].timestamp() in (T0, T0 + 1)
    dev = create(iam, "dev")
    enable(iam, clock, "alice", dev)
    ed = iam.get_mfa_device(SerialNumber=dev["SerialNumber"])["EnableDate"]
    assert_ts(ed)
    assert ed.timestamp() in (T0, T0 + 1)


@pytest.mark.parametrize(
    "op, extra",
    [("GetMFADevice", {}), ("ListMFADeviceTags", {}), ("TagMFADevice", {"Tags": [tag("k", "v")]}),
     ("UntagMFADevice", {"TagKeys": ["k"]})],
)
def test_malformed_serial_is_validation_error_everywhere(iam, op, extra):
    sn = "arn:aws:iam::123456789012:mfa/bad name"
    raises(iam, op, "ValidationError", coral(pattern_part(sn, "serialNumber", SERIAL_PATTERN)), SerialNumber=sn, **extra)


def test_resource_identity_and_repr(res):
    d = res.create_virtual_mfa_device(VirtualMFADeviceName="r1")
    same = res.VirtualMfaDevice(serial("r1"))
    assert d == same and hash(d) == hash(same)
    assert d != res.VirtualMfaDevice(serial("r2"))
    assert repr(same) == f"iam.VirtualMfaDevice(serial_number='{serial('r1')}')"
