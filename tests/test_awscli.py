"""The AWS CLI (v1, the installed ``awscli`` package) as a real client of ``iamlite.mock_iam``.

The driver runs in-process: its own botocore session, parser settings (blobs stay base64 text)
and customizations (``--outfile``/``--bootstrap-method`` write the file from an ``after-call``
handler) all run, and only the transport is iamlite.
"""

from __future__ import annotations

import base64
import io
import json
import os
import time

import pyotp
import pytest
from awscli.clidriver import create_clidriver

import iamlite

ACCOUNT = "123456789012"


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch, tmp_path):
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PAGER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def mock():
    with iamlite.mock_iam(rng_seed=11) as m:
        yield m


@pytest.fixture(scope="module")
def driver():
    """One CLI driver (its botocore session and loaded models) for the module, as ``aws`` would
    build per process; each test still gets its own mock account."""
    return create_clidriver()


@pytest.fixture
def aws(driver, capsys):
    """Run ``aws <args>`` in-process; returns (exit status, parsed stdout JSON or None, stderr)."""

    def run(*args: str):
        capsys.readouterr()
        rc = driver.main(list(args))
        out, err = capsys.readouterr()
        return rc, (json.loads(out) if out.strip() else None), err

    return run


def decode_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1
    return results[0].text


def test_create_virtual_mfa_device_writes_a_scannable_png(mock, aws, tmp_path, capsys):
    qr, seed_file = tmp_path / "qr.png", tmp_path / "seed.txt"
    # exactly as a user would: a fresh driver, `aws iam create-virtual-mfa-device ...`
    rc = create_clidriver().main(["iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "X",
                                  "--outfile", str(qr), "--bootstrap-method", "QRCodePNG"])
    stdout, err = capsys.readouterr()
    out = json.loads(stdout)
    assert (rc, err) == (0, "")
    serial = f"arn:aws:iam::{ACCOUNT}:mfa/X"
    assert out == {"VirtualMFADevice": {"SerialNumber": serial}}  # the CLI strips both secrets
    png = qr.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    seed = mock.client._device_seed(serial)
    assert decode_qr(png) == (
        f"otpauth://totp/Amazon%20Web%20Services:X@{ACCOUNT}?secret={seed}&issuer=Amazon%20Web%20Services"
    )

    rc, out, err = aws("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "Y",
                       "--path", "/team/", "--outfile", str(seed_file), "--bootstrap-method", "Base32StringSeed")
    assert (rc, err) == (0, "")
    serial_y = f"arn:aws:iam::{ACCOUNT}:mfa/team/Y"
    assert out == {"VirtualMFADevice": {"SerialNumber": serial_y}}
    text = seed_file.read_text()
    assert text == mock.client._device_seed(serial_y)
    assert len(text) == 64 and base64.b32decode(text)


def test_enable_and_list_with_real_codes(mock, aws, tmp_path):
    seed_file = tmp_path / "seed"
    assert aws("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice-phone",
               "--outfile", str(seed_file), "--bootstrap-method", "Base32StringSeed")[0] == 0
    rc, out, _ = aws("iam", "create-user", "--user-name", "alice")
    assert rc == 0
    user = out["User"]
    assert set(user) == {"Path", "UserName", "UserId", "Arn", "CreateDate"}
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/alice"
    assert user["UserId"].startswith("AIDA") and len(user["UserId"]) == 21

    serial = f"arn:aws:iam::{ACCOUNT}:mfa/alice-phone"
    totp = pyotp.TOTP(seed_file.read_text())
    now = time.time()
    rc, out, err = aws("iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial,
                       "--authentication-code1", totp.at(now - 30), "--authentication-code2", totp.at(now))
    assert (rc, out, err) == (0, None, "")  # only ResponseMetadata, which the CLI never prints

    rc, out, _ = aws("iam", "list-virtual-mfa-devices")
    assert rc == 0
    (entry,) = out["VirtualMFADevices"]
    assert entry["SerialNumber"] == serial
    assert entry["User"]["UserName"] == "alice" and entry["User"]["UserId"] == user["UserId"]
    assert set(entry) == {"SerialNumber", "User", "EnableDate"}
    rc, out, _ = aws("iam", "list-virtual-mfa-devices", "--assignment-status", "Unassigned")
    assert (rc, out) == (0, {"VirtualMFADevices": []})
    rc, out, _ = aws("iam", "list-mfa-devices", "--user-name", "alice")
    assert [d["SerialNumber"] for d in out["MFADevices"]] == [serial]
    # the CLI's view and the native account agree
    assert mock.client.get_mfa_device(SerialNumber=serial)["UserName"] == "alice"


def test_errors_exit_255_with_aws_text(mock, aws):
    rc, out, err = aws("iam", "get-user", "--user-name", "nobody")
    assert rc == 255 and out is None  # awscli v1: 255 for a service error
    assert err.strip() == (
        "An error occurred (NoSuchEntity) when calling the GetUser operation: "
        "The user with name nobody cannot be found."
    )
    rc, _, _ = aws("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "d",
                   "--outfile", os.devnull, "--bootstrap-method", "QRCodePNG")
    assert rc == 0
    rc, _, _ = aws("iam", "create-user", "--user-name", "u")
    rc, out, err = aws("iam", "enable-mfa-device", "--user-name", "u",
                       "--serial-number", f"arn:aws:iam::{ACCOUNT}:mfa/d",
                       "--authentication-code1", "123456", "--authentication-code2", "654321")
    assert rc == 255
    assert err.strip() == (
        "An error occurred (InvalidAuthenticationCode) when calling the EnableMFADevice operation: "
        "Authentication code for device is not valid."
    )
