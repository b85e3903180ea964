"""``iamlite.mock_iam``: real boto3/botocore IAM clients and resources answered by iamlite.

The same scenario bodies run against iamlite's native resource and against real boto3 under
``mock_iam`` (parametrized ``surface``); the mock's answers are also compared, value by value,
with the native ones (botocore's own parse of the same result).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import io
import time
import unittest

import boto3
import botocore.client
import botocore.credentials
import botocore.session
import pyotp
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError, NoCredentialsError, ParamValidationError, WaiterError
from botocore.stub import Stubber
from botocore.validate import ParamValidator

import iamlite
from iamlite.exceptions import UnsupportedOperation
from iamlite.mock import mock_iam

ACCOUNT = "123456789012"
T0 = 1_767_225_612  # 2026-01-01T00:00:12Z, 12 s into a TOTP step
SEED = 20260101
MODEL = botocore.session.get_session().get_service_model("iam")


# --------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch, tmp_path):
    """No credentials anywhere, and any attempt to resolve them from the provider chain fails."""
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield
    assert iamlite.mock.current() is None, "a test left a mock active"


def no_credential_lookup(monkeypatch):
    def refuse(self):  # pragma: no cover - reached only on failure
        raise AssertionError("the credential provider chain was consulted")

    monkeypatch.setattr(botocore.credentials.CredentialResolver, "load_credentials", refuse)


def strip(response: dict) -> dict:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def same_metadata(mocked: dict, native: dict) -> None:
    """The mock's ResponseMetadata is the native one, plus the content-length of the XML body
    where the answer went through XML (errors; clients with parser settings)."""
    m, n = dict(mocked), dict(native)
    mh, nh = dict(m.pop("HTTPHeaders")), dict(n.pop("HTTPHeaders"))
    assert int(mh.pop("content-length", "1")) > 0
    assert m == n
    assert mh == nh
    assert list(m) == ["RequestId", "HTTPStatusCode", "RetryAttempts"] or list(m) == list(n)


def utc(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc)


def codes(seed: bytes, now: float) -> dict:
    totp = pyotp.TOTP(seed.decode())
    return {"AuthenticationCode1": totp.at(now - 30), "AuthenticationCode2": totp.at(now)}


def decode_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1
    return results[0].text


class Surface:
    """A client + resource pair: iamlite's native objects, or real boto3 under mock_iam."""

    def __init__(self, kind: str, **options):
        self.kind = kind
        self.clock = iamlite.FrozenClock(T0)
        options.setdefault("clock", self.clock)
        if kind == "native":
            self.mock = None
            self.resource = iamlite.resource("iam", **options)
            self.client = self.resource.meta.client
        else:
            self.mock = mock_iam(**options).start()
            self.client = boto3.client("iam")
            self.resource = boto3.resource("iam")

    def close(self):
        if self.mock is not None:
            self.mock.stop()


@pytest.fixture(params=["native", "mock"])
def surface(request):
    s = Surface(request.param, rng_seed=SEED)
    yield s
    s.close()


def error_of(call, **params) -> ClientError:
    with pytest.raises(ClientError) as ei:
        call(**params)
    return ei.value


# --------------------------------------------------------------------------- one body, two surfaces


def test_lifecycle_same_on_both_surfaces(surface):
    c = surface.client
    created = c.create_virtual_mfa_device(Path="/ops/", VirtualMFADeviceName="alice")
    device = created["VirtualMFADevice"]
    assert set(device) == {"SerialNumber", "Base32StringSeed", "QRCodePNG"}
    serial = device["SerialNumber"]
    assert serial == f"arn:aws:iam::{ACCOUNT}:mfa/ops/alice"
    seed = device["Base32StringSeed"]
    assert isinstance(seed, bytes) and len(seed) == 64 and base64.b32decode(seed)
    assert device["QRCodePNG"].startswith(b"\x89PNG\r\n\x1a\n")
    assert decode_qr(device["QRCodePNG"]) == (
        f"otpauth://totp/Amazon%20Web%20Services:alice@{ACCOUNT}?secret={seed.decode()}"
        "&issuer=Amazon%20Web%20Services"
    )
    md = created["ResponseMetadata"]
    assert md["HTTPStatusCode"] == 200 and md["RetryAttempts"] == 0
    assert md["HTTPHeaders"]["x-amzn-requestid"] == md["RequestId"]

    user = c.create_user(UserName="bob")["User"]
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/bob"
    assert user["CreateDate"] == utc(T0) and user["CreateDate"].utcoffset() == dt.timedelta(0)

    assert strip(c.enable_mfa_device(UserName="bob", SerialNumber=serial, **codes(seed, T0))) == {}
    listed = c.list_virtual_mfa_devices()
    assert listed["IsTruncated"] is False
    (entry,) = listed["VirtualMFADevices"]
    assert entry["SerialNumber"] == serial and entry["EnableDate"] == utc(T0)
    assert entry["User"]["UserName"] == "bob" and entry["User"]["UserId"] == user["UserId"]
    assert c.list_mfa_devices(UserName="bob")["MFADevices"] == [
        {"UserName": "bob", "SerialNumber": serial, "EnableDate": utc(T0)}
    ]
    summary = c.get_account_summary()["SummaryMap"]
    assert (summary["MFADevices"], summary["MFADevicesInUse"], summary["Users"]) == (1, 1, 1)

    e = error_of(c.delete_virtual_mfa_device, SerialNumber=serial)
    assert isinstance(e, c.exceptions.DeleteConflictException)
    assert e.response["Error"] == {
        "Type": "Sender", "Code": "DeleteConflict", "Message": "MFA VirtualDevice in use. Must deactivate first."
    }
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert str(e) == (
        "An error occurred (DeleteConflict) when calling the DeleteVirtualMFADevice operation: "
        "MFA VirtualDevice in use. Must deactivate first."
    )
    c.deactivate_mfa_device(UserName="bob", SerialNumber=serial)
    c.delete_virtual_mfa_device(SerialNumber=serial)
    assert c.list_virtual_mfa_devices()["VirtualMFADevices"] == []


@pytest.mark.parametrize(
    "op, params, cls, code, status, message",
    [
        ("delete_virtual_mfa_device", {"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/nope"},
         "NoSuchEntityException", "NoSuchEntity", 404,
         f"MFA Device with serial number arn:aws:iam::{ACCOUNT}:mfa/nope does not exist."),
        ("get_user", {"UserName": "nobody"}, "NoSuchEntityException", "NoSuchEntity", 404,
         "The user with name nobody cannot be found."),
        ("create_virtual_mfa_device", {"VirtualMFADeviceName": "bad name"}, None, "ValidationError", 400,
         "1 validation error detected: Value 'bad name' at 'virtualMFADeviceName' failed to satisfy "
         "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
        ("list_virtual_mfa_devices", {"AssignmentStatus": "Nope"}, None, "ValidationError", 400,
         "1 validation error detected: Value 'Nope' at 'assignmentStatus' failed to satisfy constraint: "
         "Member must satisfy enum value set: [Unassigned, Any, Assigned]"),
    ],
)
def test_errors_same_on_both_surfaces(surface, op, params, cls, code, status, message):
    c = surface.client
    e = error_of(getattr(c, op), **params)
    assert e.response["Error"] == {"Type": "Sender", "Code": code, "Message": message}
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert set(e.response) == {"Error", "ResponseMetadata"}
    assert e.operation_name == MODEL.operation_model(c.meta.method_to_api_mapping[op]).name
    if cls is not None:
        assert type(e) is getattr(c.exceptions, cls)
        assert c.exceptions.from_code(code) is type(e)


def test_duplicates_and_codes_same_on_both_surfaces(surface):
    c = surface.client
    seed = c.create_virtual_mfa_device(VirtualMFADeviceName="d")["VirtualMFADevice"]["Base32StringSeed"]
    e = error_of(c.create_virtual_mfa_device, VirtualMFADeviceName="d")
    assert type(e) is c.exceptions.EntityAlreadyExistsException
    assert (e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "MFA device already exists.", 409)
    c.create_user(UserName="u")
    serial = f"arn:aws:iam::{ACCOUNT}:mfa/d"
    e = error_of(c.enable_mfa_device, UserName="u", SerialNumber=serial,
                 AuthenticationCode1="123456", AuthenticationCode2="654321")
    assert type(e) is c.exceptions.InvalidAuthenticationCodeException
    assert (e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "Authentication code for device is not valid.", 403)
    c.enable_mfa_device(UserName="u", SerialNumber=serial, **codes(seed, T0))
    e = error_of(c.enable_mfa_device, UserName="u", SerialNumber=serial, **codes(seed, T0))
    assert e.response["Error"]["Message"] == "MFA Device is already in use."
    e = error_of(c.delete_user, UserName="u")
    assert type(e) is c.exceptions.DeleteConflictException
    assert e.response["Error"]["Message"] == "Cannot delete entity, must delete MFA device first."


def test_resource_same_on_both_surfaces(surface):
    r = surface.resource
    device = r.create_virtual_mfa_device(VirtualMFADeviceName="alice", Tags=[{"Key": "team", "Value": "ops"}])
    assert type(device).__name__ == "iam.VirtualMfaDevice" or repr(device).startswith("iam.VirtualMfaDevice(")
    assert device.serial_number == f"arn:aws:iam::{ACCOUNT}:mfa/alice"
    assert isinstance(device.base32_string_seed, bytes) and len(device.base32_string_seed) == 64
    assert device.qr_code_png.startswith(b"\x89PNG")
    assert device.tags == [{"Key": "team", "Value": "ops"}]
    user = r.create_user(UserName="bob")
    assert user.name == "bob" and user.arn == f"arn:aws:iam::{ACCOUNT}:user/bob"
    mfa = user.enable_mfa(SerialNumber=device.serial_number, **codes(device.base32_string_seed, T0))
    assert (mfa.user_name, mfa.serial_number) == ("bob", device.serial_number)
    assert [(m.user_name, m.serial_number, m.enable_date) for m in user.mfa_devices.all()] == [
        ("bob", device.serial_number, utc(T0))
    ]
    r.create_virtual_mfa_device(VirtualMFADeviceName="carol")
    assert [d.serial_number for d in r.virtual_mfa_devices.all()] == [
        f"arn:aws:iam::{ACCOUNT}:mfa/alice", f"arn:aws:iam::{ACCOUNT}:mfa/carol"]
    assert [d.serial_number for d in r.virtual_mfa_devices.filter(AssignmentStatus="Unassigned")] == [
        f"arn:aws:iam::{ACCOUNT}:mfa/carol"]
    assert [[d.serial_number for d in page] for page in r.virtual_mfa_devices.page_size(1).pages()] == [
        [f"arn:aws:iam::{ACCOUNT}:mfa/alice"], [f"arn:aws:iam::{ACCOUNT}:mfa/carol"]]
    assert [u.name for u in r.users.all()] == ["bob"]
    looked_up = r.VirtualMfaDevice(device.serial_number)
    assert looked_up == r.VirtualMfaDevice(device.serial_number)
    with pytest.raises(boto3.exceptions.ResourceLoadException, match="iam.VirtualMfaDevice has no load method"):
        looked_up.base32_string_seed
    assert r.User("bob").user_id == user.user_id


def test_paginator_same_on_both_surfaces(surface):
    c = surface.client
    for i in range(5):
        c.create_virtual_mfa_device(VirtualMFADeviceName=f"d{i}")
    pages = list(c.get_paginator("list_virtual_mfa_devices").paginate(PaginationConfig={"PageSize": 2}))
    assert [[d["SerialNumber"].rsplit("/", 1)[1] for d in p["VirtualMFADevices"]] for p in pages] == [
        ["d0", "d1"], ["d2", "d3"], ["d4"]]
    assert [p["IsTruncated"] for p in pages] == [True, True, False]
    full = c.get_paginator("list_virtual_mfa_devices").paginate(PaginationConfig={"MaxItems": 3}).build_full_result()
    assert [d["SerialNumber"][-2:] for d in full["VirtualMFADevices"]] == ["d0", "d1", "d2"]
    assert "NextToken" in full


# --------------------------------------------------------------------------- mock == native, value by value


def run_scenario(client) -> list:
    out = []
    r = client.create_virtual_mfa_device(VirtualMFADeviceName="alice", Tags=[{"Key": "k", "Value": "v w"}])
    out.append(r)
    seed = r["VirtualMFADevice"]["Base32StringSeed"]
    out.append(client.create_user(UserName="bob", Path="/staff/"))
    out.append(client.enable_mfa_device(UserName="bob", SerialNumber=r["VirtualMFADevice"]["SerialNumber"],
                                        **codes(seed, T0)))
    out.append(client.create_virtual_mfa_device(VirtualMFADeviceName="carol"))
    out.append(client.list_virtual_mfa_devices(MaxItems=1))
    out.append(client.list_virtual_mfa_devices(Marker=out[-1]["Marker"]))
    out.append(client.list_mfa_device_tags(SerialNumber=r["VirtualMFADevice"]["SerialNumber"]))
    out.append(client.list_users())
    out.append(client.get_user(UserName="bob"))
    out.append(client.get_mfa_device(SerialNumber=r["VirtualMFADevice"]["SerialNumber"]))
    out.append(client.get_account_summary())
    for call, params in [(client.get_user, {"UserName": "nobody"}),
                         (client.create_user, {"UserName": "BOB"}),
                         (client.list_users, {"Marker": "bogus"})]:
        try:
            call(**params)
        except ClientError as e:
            out.append((type(e).__name__, e.response))
    return out


def test_mock_answers_exactly_what_the_native_client_answers():
    native = run_scenario(iamlite.client("iam", rng_seed=SEED, clock=iamlite.FrozenClock(T0)))
    with mock_iam(rng_seed=SEED, clock=iamlite.FrozenClock(T0)):
        mocked = run_scenario(boto3.client("iam"))
    assert len(mocked) == len(native) == 14
    for m, n in zip(mocked, native):
        if isinstance(n, tuple):  # (exception class name, response)
            assert m[0] == n[0]
            m, n = m[1], n[1]
        assert strip(m) == strip(n)
        same_metadata(m["ResponseMetadata"], n["ResponseMetadata"])
        assert list(m) == list(n)  # key order too


def test_responses_match_the_botocore_output_shapes():
    with mock_iam(rng_seed=SEED):
        c = boto3.client("iam")
        c.create_virtual_mfa_device(VirtualMFADeviceName="alice")
        c.create_user(UserName="bob")
        for op, params in [("ListVirtualMFADevices", {}), ("ListUsers", {}), ("GetUser", {"UserName": "bob"}),
                           ("GetAccountSummary", {})]:
            resp = c._make_api_call(op, params)
            shape = MODEL.operation_model(op).output_shape
            assert set(strip(resp)) <= set(shape.members)
            assert set(shape.required_members) <= set(resp)


# --------------------------------------------------------------------------- botocore's own pipeline


def test_botocore_param_validation_happens_first():
    with mock_iam() as m:
        c = boto3.client("iam")
        for op, params in [("CreateVirtualMFADevice", {}), ("CreateVirtualMFADevice", {"VirtualMFADeviceName": "x", "Foo": 1}),
                           ("CreateVirtualMFADevice", {"VirtualMFADeviceName": ""}),
                           ("EnableMFADevice", {"UserName": "u", "SerialNumber": "s", "AuthenticationCode1": 123456,
                                                "AuthenticationCode2": "123456"})]:
            report = ParamValidator().validate(params, MODEL.operation_model(op).input_shape)
            expected = str(ParamValidationError(report=report.generate_report()))
            with pytest.raises(ParamValidationError) as ei:
                c._make_api_call(op, params)
            assert type(ei.value) is ParamValidationError  # botocore's own class, raised by botocore
            assert str(ei.value) == expected
        # nothing reached the account
        assert m.client.get_account_summary()["SummaryMap"]["MFADevices"] == 0


def test_errors_are_the_clients_modeled_classes():
    with mock_iam():
        a, b = boto3.client("iam"), boto3.client("iam")
        with pytest.raises(a.exceptions.NoSuchEntityException) as ei:
            a.get_user(UserName="ghost")
        e = ei.value
        assert type(e) is a.exceptions.NoSuchEntityException is a.exceptions.from_code("NoSuchEntity")
        assert isinstance(e, ClientError) and not isinstance(e, iamlite.exceptions.ClientError)
        assert type(e).__module__ == "botocore.errorfactory"
        assert isinstance(e, b.exceptions.NoSuchEntityException)  # botocore shares classes per service
        assert e.operation_name == "GetUser"
        assert str(e) == "An error occurred (NoSuchEntity) when calling the GetUser operation: The user with name ghost cannot be found."


def test_no_credentials_needed_and_nothing_is_sent(monkeypatch):
    no_credential_lookup(monkeypatch)
    with mock_iam():
        session = boto3.session.Session()
        c = session.client("iam")
        assert c.meta.region_name == "aws-global"

        def refuse_send(**kwargs):
            raise AssertionError("an IAM request reached the HTTP layer")

        c.meta.events.register("before-send", refuse_send)
        c.meta.events.register("request-created", refuse_send)  # signing
        c.create_user(UserName="bob")
        assert session.resource("iam").User("bob").arn == f"arn:aws:iam::{ACCOUNT}:user/bob"
    # outside the mock, the client is the real one again: signing runs, sending is refused by our hook
    with pytest.raises(AssertionError, match="reached the HTTP layer"):
        c.get_user(UserName="bob")


def test_client_created_before_the_mock_is_routed_and_released(monkeypatch):
    monkeypatch.setattr(botocore.credentials.CredentialResolver, "load_credentials", lambda self: None)
    early = boto3.session.Session().client("iam")  # no credentials at all
    assert early._request_signer._credentials is None
    with mock_iam() as m:
        early.create_user(UserName="early")
        assert m.client.get_user(UserName="early")["User"]["UserName"] == "early"
    with pytest.raises(NoCredentialsError):
        early.get_user(UserName="early")
    # the class-level patches are gone
    assert botocore.client.BaseClient.__dict__["_make_request"].__module__ == "botocore.client"
    assert botocore.client.BaseClient.__dict__["_convert_to_request_dict"].__module__ == "botocore.client"
    assert botocore.session.Session.__dict__["create_client"].__module__ == "botocore.session"


def test_explicit_credentials_are_kept():
    with mock_iam():
        c = boto3.client("iam", aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="secret")
        assert c._request_signer._credentials.access_key == "AKIAEXAMPLE"
        placeholder = boto3.session.Session().client("iam")  # a session that has no credentials
        assert placeholder._request_signer._credentials.access_key == "iamlite"
        c.create_user(UserName="x")


def test_stubber_on_an_iam_client_still_wins():
    with mock_iam() as m:
        c = boto3.client("iam")
        with Stubber(c) as stub:
            stub.add_response("get_user", {"User": {"Path": "/", "UserName": "stubbed", "UserId": "AIDA" + "X" * 17,
                                                    "Arn": "arn:aws:iam::1:user/stubbed", "CreateDate": utc(T0)}},
                              {"UserName": "stubbed"})
            assert c.get_user(UserName="stubbed")["User"]["UserName"] == "stubbed"
        assert m.client.list_users()["Users"] == []


def test_other_services_are_not_intercepted():
    list_buckets = (b'<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o</ID></Owner>'
                    b"<Buckets><Bucket><Name>real-path</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate>"
                    b"</Bucket></Buckets></ListAllMyBucketsResult>")
    sent = []

    class Raw:
        def stream(self, **_):
            yield list_buckets

    def fake_send(request, **kwargs):
        sent.append(request)
        return AWSResponse(request.url, 200, {"content-type": "application/xml"}, Raw())

    with mock_iam():
        s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="s")
        s3.meta.events.register("before-send", fake_send)
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["real-path"]
        # it went through botocore's transport: signed with its own credentials, sent to S3's endpoint
        (request,) = sent
        assert request.headers["Authorization"].startswith(b"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        assert request.url.startswith("https://s3.amazonaws.com/")
        with Stubber(s3) as stub:
            stub.add_response("list_buckets", {"Buckets": [{"Name": "stubbed"}]})
            assert s3.list_buckets()["Buckets"] == [{"Name": "stubbed"}]
        # no credentials for S3 inside the mock either: botocore's normal path refuses
        nocreds = boto3.client("s3", region_name="us-east-1")
        with pytest.raises(NoCredentialsError):
            nocreds.list_buckets()


def test_with_moto_iamlite_answers_iam_and_moto_the_rest():
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        with mock_iam() as m:
            s3 = boto3.client("s3", region_name="us-east-1")
            s3.create_bucket(Bucket="still-moto")
            assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["still-moto"]
            iam = boto3.client("iam")
            iam.create_virtual_mfa_device(VirtualMFADeviceName="d")
            e = error_of(iam.create_virtual_mfa_device, VirtualMFADeviceName="d")
            assert e.response["Error"]["Message"] == "MFA device already exists."  # AWS's text, not moto's
            assert m.client.list_virtual_mfa_devices()["VirtualMFADevices"] == [
                {"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/d"}]
        # iamlite stopped: moto answers IAM again, and it never saw the device
        assert boto3.client("iam").list_virtual_mfa_devices()["VirtualMFADevices"] == []


def test_text_survives_the_xml_round_trip():
    name = "a\rb\tc\nd<&>'\"\u00e9"
    with mock_iam():
        c = boto3.client("iam")
        e = error_of(c.create_virtual_mfa_device, VirtualMFADeviceName=name)
        assert e.response["Error"]["Message"].startswith(f"1 validation error detected: Value '{name}' at")
        # not representable in XML 1.0 at all: iamlite's own parse is handed over unchanged
        e = error_of(c.create_virtual_mfa_device, VirtualMFADeviceName="x\x01")
        assert type(e) is c.exceptions.ClientError
        assert e.response["Error"]["Message"].startswith("1 validation error detected: Value 'x\x01' at")
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unsupported_iam_operation_names_itself():
    with mock_iam():
        c = boto3.client("iam")
        with pytest.raises(UnsupportedOperation, match="^iamlite does not implement the IAM operation ListRoles;"):
            c.list_roles()
        with pytest.raises(NotImplementedError, match="CreateAccessKey"):
            c.create_access_key(UserName="bob")
        with pytest.raises(ParamValidationError, match='Missing required parameter in input: "RoleName"'):
            c.get_role()  # botocore validates before iamlite is asked


def test_waiter_and_resource_waiter():
    with mock_iam(clock=iamlite.FrozenClock(T0)):
        c = boto3.client("iam")
        c.create_user(UserName="bob")
        start = time.monotonic()
        c.get_waiter("user_exists").wait(UserName="bob")
        assert time.monotonic() - start < 0.5
        with pytest.raises(WaiterError) as ei:
            c.get_waiter("user_exists").wait(UserName="ghost", WaiterConfig={"Delay": 0, "MaxAttempts": 2})
        assert ei.value.last_response["Error"]["Code"] == "NoSuchEntity"


def test_mock_resource_and_client_share_the_account():
    with mock_iam(rng_seed=1) as m:
        assert m.client is not None and m.resource.meta.client._make_api_call  # native objects
        native_device = m.resource.create_virtual_mfa_device(VirtualMFADeviceName="native")
        boto3.client("iam").create_virtual_mfa_device(VirtualMFADeviceName="boto")
        assert [d["SerialNumber"] for d in boto3.client("iam").list_virtual_mfa_devices()["VirtualMFADevices"]] == [
            f"arn:aws:iam::{ACCOUNT}:mfa/boto", native_device.serial_number]
        assert len(list(m.resource.virtual_mfa_devices.all())) == 2
        assert m.client._device_seed(native_device.serial_number) == native_device.base32_string_seed.decode()


def test_account_options_apply():
    with mock_iam(account_id="210987654321", partition="aws-us-gov", quotas={"UsersPerAccount": 1}):
        c = boto3.client("iam", region_name="us-gov-west-1")
        assert c.create_user(UserName="a")["User"]["Arn"] == "arn:aws-us-gov:iam::210987654321:user/a"
        e = error_of(c.create_user, UserName="b")
        assert type(e) is c.exceptions.LimitExceededException
        assert e.response["Error"]["Message"] == "Cannot exceed quota for UsersPerAccount: 1"
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_awscli_style_raw_blob_parser_is_respected():
    """botocore parses iamlite's answer with the client's own parser settings."""
    with mock_iam():
        session = botocore.session.get_session()
        session.get_component("response_parser_factory").set_parser_defaults(blob_parser=lambda x: x)
        c = session.create_client("iam")
        device = c.create_virtual_mfa_device(VirtualMFADeviceName="raw")["VirtualMFADevice"]
        assert isinstance(device["Base32StringSeed"], str)
        assert len(base64.b64decode(device["Base32StringSeed"])) == 64


# --------------------------------------------------------------------------- nesting and lifetime


def test_nested_mocks_innermost_wins_and_outer_resumes():
    c = boto3.client("iam")
    with mock_iam() as outer:
        c.create_user(UserName="outer")
        with mock_iam() as inner:
            assert iamlite.mock.current() is inner
            assert c.list_users()["Users"] == []
            c.create_user(UserName="inner")
        assert iamlite.mock.current() is outer
        assert [u["UserName"] for u in c.list_users()["Users"]] == ["outer"]
    assert [u["UserName"] for u in inner.client.list_users()["Users"]] == ["inner"]


def test_out_of_order_stop_and_restart():
    a, b = mock_iam(), mock_iam()
    a.start()
    b.start()
    a.stop()  # b is still the most recent active one
    assert iamlite.mock.current() is b
    boto3.client("iam").create_user(UserName="b-user")
    b.stop()
    assert iamlite.mock.current() is None
    with pytest.raises(RuntimeError, match="not started"):
        b.stop()
    b.start()  # state survives stop/start
    assert [u["UserName"] for u in boto3.client("iam").list_users()["Users"]] == ["b-user"]
    b.start()  # re-entrant: needs two stops
    b.stop()
    assert b.active
    b.stop()
    assert not b.active
    b.start(reset=True)
    assert boto3.client("iam").list_users()["Users"] == []
    b.stop()


def test_function_decorator_gives_a_fresh_account_per_call():
    seen = []

    @mock_iam(rng_seed=3)
    def body(name):
        c = boto3.client("iam")
        c.create_user(UserName=name)
        seen.append([u["UserName"] for u in c.list_users()["Users"]])
        return iamlite.mock.current()

    m1 = body("first")
    m2 = body("second")
    assert seen == [["first"], ["second"]]
    assert m1 is m2 and not m1.active
    assert body.__name__ == "body"


def test_async_function_decorator():
    @mock_iam()
    async def body():
        await asyncio.sleep(0)
        return boto3.client("iam").create_user(UserName="async")["User"]["UserName"]

    assert asyncio.iscoroutinefunction(body)
    assert asyncio.run(body()) == "async"
    assert iamlite.mock.current() is None


def test_class_decorator_plain_and_unittest():
    m = mock_iam()

    @m
    class Plain:
        def helper(self):
            return iamlite.mock.current()

        def test_one(self):
            boto3.client("iam").create_user(UserName="one")
            return [u["UserName"] for u in boto3.client("iam").list_users()["Users"]]

        def test_two(self):
            return [u["UserName"] for u in boto3.client("iam").list_users()["Users"]]

    p = Plain()
    assert p.test_one() == ["one"]
    assert p.test_two() == []  # each test method starts on a fresh account
    assert p.helper() is None  # not a test method: not mocked

    @mock_iam()
    class WithSetUp(unittest.TestCase):
        def setUp(self):
            boto3.client("iam").create_user(UserName="from-setup")

        def test_sees_setup_state(self):
            names = [u["UserName"] for u in boto3.client("iam").list_users()["Users"]]
            self.assertEqual(names, ["from-setup"])

        def test_again(self):
            self.assertEqual(len(boto3.client("iam").list_users()["Users"]), 1)

    result = unittest.TextTestRunner(stream=io.StringIO()).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(WithSetUp))
    assert result.wasSuccessful() and result.testsRun == 2, result.failures + result.errors


# --------------------------------------------------------------------------- moto migration, reproducibility


def moto_style_suite():
    """A test body written for moto: any six digits enable a device."""
    c = boto3.client("iam", region_name="us-east-1")
    serial = c.create_virtual_mfa_device(VirtualMFADeviceName="mfa")["VirtualMFADevice"]["SerialNumber"]
    c.create_user(UserName="alice")
    c.enable_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1="123456",
                        AuthenticationCode2="654321")
    assert c.list_mfa_devices(UserName="alice")["MFADevices"][0]["SerialNumber"] == serial
    c.resync_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1="111111",
                        AuthenticationCode2="222222")


def test_moto_style_suite_passes_with_accept_any_code():
    mock_iam(accept_any_code=True)(moto_style_suite)()


def test_moto_style_suite_fails_without_accept_any_code():
    with pytest.raises(ClientError) as ei:
        mock_iam()(moto_style_suite)()
    e = ei.value
    assert e.response["Error"] == {"Type": "Sender", "Code": "InvalidAuthenticationCode",
                                   "Message": "Authentication code for device is not valid."}
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert e.operation_name == "EnableMFADevice"


def reproducible_run() -> list:
    with mock_iam(rng_seed=99, clock=iamlite.FrozenClock(T0)):
        c = boto3.client("iam")
        out = [c.create_virtual_mfa_device(VirtualMFADeviceName=f"d{i}", Path="/p/") for i in range(3)]
        out += [c.create_user(UserName=f"u{i}") for i in range(3)]
        seed = out[0]["VirtualMFADevice"]["Base32StringSeed"]
        out.append(c.enable_mfa_device(UserName="u0", SerialNumber=out[0]["VirtualMFADevice"]["SerialNumber"],
                                       **codes(seed, T0)))
        out.append(c.list_virtual_mfa_devices(MaxItems=2))
        out.append(error_of(c.get_user, UserName="ghost").response)
        return out


def test_seeded_frozen_runs_are_identical():
    first, second = reproducible_run(), reproducible_run()
    assert first == second  # seeds, PNGs, UserIds, RequestIds, dates, markers, headers
    seeds = [r["VirtualMFADevice"]["Base32StringSeed"] for r in first[:3]]
    assert len(set(seeds)) == 3
    assert [r["VirtualMFADevice"]["QRCodePNG"] for r in first[:3]] == [r["VirtualMFADevice"]["QRCodePNG"] for r in second[:3]]
    assert [r["User"]["UserId"] for r in first[3:6]] == [r["User"]["UserId"] for r in second[3:6]]
    request_ids = [r["ResponseMetadata"]["RequestId"] for r in first]
    assert len(set(request_ids)) == len(request_ids)
    assert first[3]["User"]["CreateDate"] == utc(T0)
    assert first[-1]["ResponseMetadata"]["HTTPHeaders"]["date"] == "Thu, 01 Jan 2026 00:00:12 GMT"
    other_seed = mock_iam(rng_seed=100, clock=iamlite.FrozenClock(T0))
    with other_seed:
        assert boto3.client("iam").create_virtual_mfa_device(VirtualMFADeviceName="d0", Path="/p/")[
            "VirtualMFADevice"]["Base32StringSeed"] != seeds[0]


def _datetimes(value, path=""):
    """Every datetime in a response, with where it sits and its tzinfo's type."""
    import datetime as dt

    if isinstance(value, dict):
        for k, v in value.items():
            yield from _datetimes(v, f"{path}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _datetimes(v, f"{path}[{i}]")
    elif isinstance(value, dt.datetime):
        yield path, value, type(value.tzinfo)


def test_fast_path_equals_the_xml_round_trip(monkeypatch):
    """A default boto3 client gets iamlite's parse without the XML round trip; it must be what
    botocore's parser builds from the XML, value for value, key order and tzinfo included."""
    from iamlite import mock as mock_module

    def run(fast: bool) -> list:
        monkeypatch.setattr(mock_module, "_FAST_PATH", [fast])
        with mock_iam(rng_seed=SEED, clock=iamlite.FrozenClock(T0)):
            return run_scenario(boto3.client("iam"))

    fast, slow = run(True), run(False)
    assert len(fast) == len(slow) == 14
    for f, s in zip(fast, slow):
        if isinstance(s, tuple):
            assert f == s
            continue
        f_meta, s_meta = f.pop("ResponseMetadata"), s.pop("ResponseMetadata")
        assert f == s and list(f) == list(s)
        assert list(_datetimes(f)) == list(_datetimes(s))
        s_meta["HTTPHeaders"].pop("content-length")
        assert f_meta == s_meta


@pytest.mark.parametrize("limit", [0, -1, 2.5, "2", 3, 10])
def test_collection_limits_behave_like_boto3(limit):
    """Native collections follow boto3's ResourceCollection (limit is also the paginator's
    MaxItems, which botocore casts with int())."""

    def outcome(resource):
        try:
            return len(list(resource.users.limit(limit))), [
                len(p) for p in resource.users.limit(limit).page_size(2).pages()
            ]
        except Exception as e:  # noqa: BLE001 - the exception type is what is compared
            return type(e).__name__

    with mock_iam() as m:
        real = boto3.resource("iam", region_name="us-east-1")
        for i in range(5):
            real.create_user(UserName=f"u{i}")
        assert outcome(m.resource) == outcome(real)
