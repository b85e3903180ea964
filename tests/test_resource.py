"""The native ServiceResource and VirtualMfaDevice, compared with what real boto3 exposes for
the same resource model."""

from __future__ import annotations

import base64
import pickle

import boto3
import pyotp
import pytest
from boto3.exceptions import ResourceLoadException
from botocore.exceptions import ClientError, ParamValidationError

import iamlite
from conftest import ACCOUNT, decode_qr

BOTO_IAM = boto3.resource("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


def public(obj) -> set:
    return {a for a in dir(obj) if not a.startswith("_")}


def uri(name: str, seed: bytes, label: str = ACCOUNT) -> str:
    return (
        f"otpauth://totp/Amazon%20Web%20Services:{name}@{label}"
        f"?secret={seed.decode()}&issuer=Amazon%20Web%20Services"
    )


def test_boto3_docs_call(iam):
    device = iam.create_virtual_mfa_device(
        Path="/ops/", VirtualMFADeviceName="alice", Tags=[{"Key": "team", "Value": "ops"}]
    )
    assert device.serial_number == f"arn:aws:iam::{ACCOUNT}:mfa/ops/alice"
    assert device.tags == [{"Key": "team", "Value": "ops"}]
    assert device.enable_date is None and device.user_attribute is None and device.user is None
    assert repr(device) == f"iam.VirtualMfaDevice(serial_number='arn:aws:iam::{ACCOUNT}:mfa/ops/alice')"


def test_seed_is_64_base32_characters_of_40_random_bytes(iam):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    seed = device.base32_string_seed
    assert isinstance(seed, bytes) and len(seed) == 64
    assert set(seed.decode()) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert len(base64.b32decode(seed)) == 40
    assert len(pyotp.TOTP(seed.decode()).now()) == 6


def test_seeds_are_never_shared(iam):
    seeds = {iam.create_virtual_mfa_device(VirtualMFADeviceName=f"d{i}").base32_string_seed for i in range(200)}
    assert len(seeds) == 200


def test_qr_png_decodes_to_the_exact_uri(iam):
    device = iam.create_virtual_mfa_device(Path="/ops/", VirtualMFADeviceName="alice")
    png = device.qr_code_png
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert decode_qr(png) == uri("alice", device.base32_string_seed)
    assert device.qr_code_png is not png and device.qr_code_png == png  # cached render, fresh bytes


@pytest.mark.parametrize("name, encoded", [("a+b=c,d@e.f_g-h", "a%2Bb%3Dc%2Cd%40e.f_g-h")])
def test_qr_label_percent_encodes_the_name(iam, name, encoded):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)
    assert decode_qr(device.qr_code_png) == uri(encoded, device.base32_string_seed)


def test_qr_label_uses_the_account_alias():
    iam = iamlite.resource("iam", account_alias="acme-prod")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob")
    assert decode_qr(device.qr_code_png) == uri("bob", device.base32_string_seed, "acme-prod")


def test_rng_seed_makes_runs_reproducible(clock):
    def run(seed):
        iam = iamlite.resource("iam", rng_seed=seed, clock=iamlite.FrozenClock(1_800_000_000))
        d = iam.create_virtual_mfa_device(VirtualMFADeviceName="x")
        user = iam.meta.client.create_user(UserName="u")
        return d.base32_string_seed, d.qr_code_png, user["User"]["UserId"], user["ResponseMetadata"]["RequestId"]

    assert run(1) == run(1)
    assert run(1)[0] != run(2)[0]


def test_meta_data_matches_the_create_response_shape(iam):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    assert set(device.meta.data) == {"SerialNumber", "Base32StringSeed", "QRCodePNG"}
    assert device.meta.service_name == "iam"
    assert device.meta.identifiers == ["serial_number"]
    assert device.meta.client is not None


def test_attributes_match_boto3_resource_model(iam):
    ours = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    theirs = BOTO_IAM.VirtualMfaDevice("arn:aws:iam::123456789012:mfa/alice")
    assert public(ours) == public(theirs)
    assert public(iam.meta.client.meta) >= {"service_name", "region_name", "partition"}


def test_user_and_mfa_device_attributes_match_boto3(iam):
    supported_user = public(BOTO_IAM.User("bob")) - {
        "AccessKey", "LoginProfile", "Policy", "SigningCertificate", "access_keys", "add_group",
        "attach_policy", "attached_policies", "create_access_key_pair", "create_login_profile",
        "create_policy", "detach_policy", "groups", "policies", "remove_group", "signing_certificates",
    }
    assert public(iam.User("bob")) == supported_user
    assert public(iam.MfaDevice("bob", "arn:aws:iam::123456789012:mfa/x")) == public(
        BOTO_IAM.MfaDevice("bob", "arn:aws:iam::123456789012:mfa/x")
    )


def test_service_resource_has_boto3_names_for_what_it_covers(iam):
    expected = {"create_virtual_mfa_device", "create_user", "VirtualMfaDevice", "User", "MfaDevice",
                "AccountSummary", "virtual_mfa_devices", "users", "meta", "get_available_subresources"}
    assert expected <= public(BOTO_IAM)
    assert expected <= public(iam)


def test_no_load_method_like_boto3(iam):
    device = iam.VirtualMfaDevice(f"arn:aws:iam::{ACCOUNT}:mfa/ghost")
    assert not hasattr(device, "load")
    for attr in ("base32_string_seed", "qr_code_png", "user_attribute", "enable_date", "tags", "user"):
        with pytest.raises(ResourceLoadException, match="^iam.VirtualMfaDevice has no load method$"):
            getattr(device, attr)
    assert device.meta.data is None


def test_equality_and_hash_by_identifier(iam):
    created = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    same = iam.VirtualMfaDevice(created.serial_number)
    assert created == same and hash(created) == hash(same)
    assert created != iam.VirtualMfaDevice(f"arn:aws:iam::{ACCOUNT}:mfa/bob")
    assert created != created.serial_number


def test_positional_arguments_are_refused_like_boto3(iam):
    with pytest.raises(TypeError, match=r"^create_virtual_mfa_device\(\) only accepts keyword arguments\.$"):
        iam.create_virtual_mfa_device("alice")
    with pytest.raises(TypeError, match=r"only accepts keyword arguments"):
        iam.meta.client.create_virtual_mfa_device("alice")


def test_param_validation_errors_are_botocores(iam):
    with pytest.raises(ParamValidationError) as e:
        iam.create_virtual_mfa_device()
    assert str(e.value) == 'Parameter validation failed:\nMissing required parameter in input: "VirtualMFADeviceName"'
    with pytest.raises(ParamValidationError) as e:
        iam.create_virtual_mfa_device(VirtualMFADeviceName="a", Foo=1)
    assert str(e.value) == (
        'Parameter validation failed:\nUnknown parameter in input: "Foo", must be one of: Path, VirtualMFADeviceName, Tags'
    )
    with pytest.raises(ParamValidationError) as e:
        iam.create_virtual_mfa_device(VirtualMFADeviceName="")
    assert str(e.value) == (
        "Parameter validation failed:\nInvalid length for parameter VirtualMFADeviceName, value: 0, valid min length: 1"
    )
    with pytest.raises(ParamValidationError) as e:
        iam.create_virtual_mfa_device(VirtualMFADeviceName=5, Tags=[{"Key": "k"}])
    assert str(e.value) == (
        "Parameter validation failed:\n"
        "Invalid type for parameter VirtualMFADeviceName, value: 5, type: <class 'int'>, valid types: <class 'str'>\n"
        'Missing required parameter in Tags[0]: "Value"'
    )
    assert list(iam.virtual_mfa_devices.all()) == []


def test_param_validation_text_equals_real_botocore():
    real = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    ours = iamlite.client("iam")
    cases = [
        {},
        {"VirtualMFADeviceName": "a", "Bogus": 1},
        {"VirtualMFADeviceName": ["x"], "Path": ""},
        {"VirtualMFADeviceName": "a", "Tags": "k=v"},
        {"VirtualMFADeviceName": "a", "Tags": [{"Key": "", "Value": 3, "Other": 1}, "x"]},
    ]
    for params in cases:
        with pytest.raises(ParamValidationError) as theirs:
            real.create_virtual_mfa_device(**params)
        with pytest.raises(ParamValidationError) as mine:
            ours.create_virtual_mfa_device(**params)
        assert str(mine.value) == str(theirs.value), params


def test_delete_and_collections(iam):
    a = iam.create_virtual_mfa_device(VirtualMFADeviceName="a")
    iam.create_virtual_mfa_device(VirtualMFADeviceName="b")
    listed = list(iam.virtual_mfa_devices.all())
    assert [d.serial_number for d in listed] == [f"arn:aws:iam::{ACCOUNT}:mfa/a", f"arn:aws:iam::{ACCOUNT}:mfa/b"]
    assert listed[0].meta.data == {"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/a"}
    assert listed[0].base32_string_seed is None  # never returned again
    assert [len(p) for p in iam.virtual_mfa_devices.page_size(1).pages()] == [1, 1]
    assert len(list(iam.virtual_mfa_devices.limit(1))) == 1
    assert list(iam.virtual_mfa_devices.filter(AssignmentStatus="Assigned")) == []
    response = a.delete()
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [d.serial_number for d in iam.virtual_mfa_devices.all()] == [f"arn:aws:iam::{ACCOUNT}:mfa/b"]
    with pytest.raises(iam.meta.client.exceptions.NoSuchEntityException) as e:
        a.delete()
    assert e.value.response["Error"]["Message"] == f"MFA Device with serial number {a.serial_number} does not exist."


def test_errors_pickle_and_are_botocore_client_errors(client):
    client.create_virtual_mfa_device(VirtualMFADeviceName="a")
    with pytest.raises(ClientError) as e:
        client.create_virtual_mfa_device(VirtualMFADeviceName="a")
    err = e.value
    assert isinstance(err, iamlite.exceptions.EntityAlreadyExistsException)
    assert str(err) == (
        "An error occurred (EntityAlreadyExists) when calling the CreateVirtualMFADevice operation: "
        "MFA device already exists."
    )
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and again.response == err.response and str(again) == str(err)


def test_paginator_matches_botocore_semantics(client):
    for i in range(7):
        client.create_virtual_mfa_device(VirtualMFADeviceName=f"d{i}")
    paginator = client.get_paginator("list_virtual_mfa_devices")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["VirtualMFADevices"]) for p in pages] == [3, 3, 1]
    first = paginator.paginate(PaginationConfig={"MaxItems": 4, "PageSize": 3}).build_full_result()
    assert len(first["VirtualMFADevices"]) == 4 and "NextToken" in first
    rest = paginator.paginate(PaginationConfig={"StartingToken": first["NextToken"], "PageSize": 3}).build_full_result()
    names = [d["SerialNumber"][-2:] for d in first["VirtualMFADevices"] + rest["VirtualMFADevices"]]
    assert names == [f"d{i}" for i in range(7)]
    assert client.can_paginate("list_users") and not client.can_paginate("create_user")


def test_client_meta_and_close_like_botocore(client):
    assert client.meta.service_model.service_name == "iam"
    assert client.meta.region_name == "aws-global"
    assert client.meta.method_to_api_mapping["create_virtual_mfa_device"] == "CreateVirtualMFADevice"
    client.close()
    assert client.list_users()["Users"] == []


def test_missing_identifiers_raise_boto3s_value_error(iam):
    for make, message in [
        (lambda: iam.VirtualMfaDevice(None), "Required parameter serial_number not set"),
        (lambda: iam.User(None), "Required parameter name not set"),
        (lambda: iam.MfaDevice("bob", None), "Required parameter serial_number not set"),
        (lambda: BOTO_IAM.VirtualMfaDevice(None), "Required parameter serial_number not set"),
    ]:
        with pytest.raises(ValueError, match=f"^{message}$"):
            make()


def test_user_exists_waiter_like_botocores(client):
    from botocore.exceptions import WaiterError

    client.create_user(UserName="bob")
    assert client.get_waiter("user_exists").wait(UserName="bob") is None
    with pytest.raises(WaiterError) as e:
        client.get_waiter("user_exists").wait(UserName="nobody", WaiterConfig={"Delay": 0, "MaxAttempts": 2})
    assert str(e.value) == "Waiter UserExists failed: Max attempts exceeded"
    assert e.value.last_response["Error"]["Code"] == "NoSuchEntity"
    with pytest.raises(ValueError, match="Waiter does not exist: role_exists"):
        client.get_waiter("role_exists")


def test_get_paginator_refuses_like_botocore_and_names_what_iamlite_lacks(client):
    from botocore.exceptions import OperationNotPageableError

    real = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with pytest.raises(OperationNotPageableError) as theirs:
        real.get_paginator("create_user")
    with pytest.raises(OperationNotPageableError) as ours:
        client.get_paginator("create_user")
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(iamlite.exceptions.UnsupportedOperation, match="list_roles"):
        client.get_paginator("list_roles")
    with pytest.raises(iamlite.exceptions.UnsupportedOperation, match="^iamlite does not implement the IAM operation CreateRole;"):
        client._make_api_call("CreateRole", {"RoleName": "r", "AssumeRolePolicyDocument": "{}"})
