"""Jupyter rendering (``iamlite.display``): device cards, the resource summary and collection
tables — escaped, never the seed, the QR code only where this process holds it."""

from __future__ import annotations

import base64
import re
import subprocess
import sys

import pytest

import iamlite
from iamlite import display

from conftest import ACCOUNT, NOW, decode_qr

SERIAL = f"arn:aws:iam::{ACCOUNT}:mfa/"
HOSTILE_PATH = "/<script>alert('x')</script>&\"/"  # a valid IAM path: any printable ASCII


def _seed_forms(seed: bytes) -> list:
    text = seed.decode("ascii")
    return [text, text.lower(), base64.b64encode(seed).decode(), base64.b32decode(seed).hex()]


def _png_in(html: str) -> bytes:
    m = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert m, "no embedded PNG"
    return base64.b64decode(m.group(1))


def _enable(iam, device, user_name="alice"):
    user = iam.create_user(UserName=user_name)
    totp = iamlite.TOTP(device.base32_string_seed)
    user.enable_mfa(
        SerialNumber=device.serial_number,
        AuthenticationCode1=totp.at(NOW - 30),
        AuthenticationCode2=totp.at(NOW),
    )
    return user


# ---------------------------------------------------------------------------- device card


def test_created_device_card_embeds_the_qr_code(iam):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone", Tags=[{"Key": "team", "Value": "ops"}])
    html = device._repr_html_()
    assert html == display.device_html(device)
    png = _png_in(html)
    assert png == device.qr_code_png
    assert decode_qr(png).startswith("otpauth://totp/Amazon%20Web%20Services:alice-phone@123456789012?secret=")
    assert f"<code>{SERIAL}alice-phone</code>" in html
    assert "Unassigned" in html
    assert "<code>team</code>=<code>ops</code>" in html


def test_device_card_never_contains_the_seed(iam):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="d", Tags=[{"Key": "k", "Value": "v"}])
    seed = device.base32_string_seed
    assert len(seed) == 64
    html = device._repr_html_()
    for form in _seed_forms(seed):
        assert form not in html
    assert "otpauth://" not in html
    assert "secret=" not in html
    # Nor once its meta.data has been built (it holds the seed bytes), nor in the listing.
    assert device.meta.data["Base32StringSeed"] == seed
    for rendered in (device._repr_html_(), iam.virtual_mfa_devices._repr_html_(), iam._repr_html_()):
        for form in _seed_forms(seed):
            assert form not in rendered


def test_device_card_escapes_user_input(iam):
    device = iam.create_virtual_mfa_device(Path=HOSTILE_PATH, VirtualMFADeviceName="d")
    assert "<script>" in device.serial_number
    for html in (device._repr_html_(), iam.virtual_mfa_devices._repr_html_()):
        assert "<script>" not in html
        assert "alert('x')" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;&quot;/d" in html


def test_tags_are_escaped():
    class Fake:
        serial_number = "arn:aws:iam::123456789012:mfa/f"
        user_attribute = {"UserName": "<b>bob</b>"}
        enable_date = None
        tags = [{"Key": "<k>", "Value": "\"v\"&"}]
        _has_bootstrap = False

    html = display.device_html(Fake())
    assert "<b>bob" not in html and "&lt;b&gt;bob&lt;/b&gt;" in html
    assert "<code>&lt;k&gt;</code>=<code>&quot;v&quot;&amp;</code>" in html
    assert '<span class="iamlite-status">Assigned</span>' in html


def test_qr_code_only_with_bootstrap(iam):
    created = iam.create_virtual_mfa_device(VirtualMFADeviceName="d")
    assert created._has_bootstrap
    assert "<img" in created._repr_html_()
    assert created._repr_png_() == created.qr_code_png

    (listed,) = list(iam.virtual_mfa_devices.all())
    assert not listed._has_bootstrap
    assert "<img" not in listed._repr_html_()
    assert "data:image" not in listed._repr_html_()
    assert listed._repr_png_() is None

    unloaded = iam.VirtualMfaDevice(created.serial_number)
    assert "<img" not in unloaded._repr_html_()
    assert unloaded._repr_png_() is None


def test_unloaded_device_renders_not_loaded(iam):
    device = iam.VirtualMfaDevice(SERIAL + "never-created")
    with pytest.raises(iamlite.exceptions.ResourceLoadException):
        _ = device.user_attribute
    html = device._repr_html_()
    assert f"<code>{SERIAL}never-created</code>" in html
    assert "not loaded" in html
    assert ">Assigned" not in html and "Unassigned" not in html


def test_unloaded_device_in_ipython_formatter(iam):
    pytest.importorskip("IPython")
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(iam.VirtualMfaDevice(SERIAL + "x"))
    assert "not loaded" in data["text/html"]
    assert "image/png" not in data
    assert data["text/plain"] == f"iam.VirtualMfaDevice(serial_number='{SERIAL}x')"


def test_created_device_mimebundle_has_html_and_png(iam):
    pytest.importorskip("IPython")
    from IPython.core.formatters import DisplayFormatter

    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="d")
    data, _ = DisplayFormatter().format(device)
    assert set(data) >= {"text/plain", "text/html", "image/png"}
    assert data["image/png"] == device.qr_code_png


def test_assigned_device_from_listing(iam):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="d")
    _enable(iam, device)
    (listed,) = list(iam.virtual_mfa_devices.all())
    html = listed._repr_html_()
    assert '<span class="iamlite-status">Assigned</span>' in html
    assert "<td>alice</td>" in html
    assert "2027-01-15 08:00:00+00:00" in html  # NOW as the enable date


# ---------------------------------------------------------------------------- resource summary


def test_resource_summary(iam):
    html = iam._repr_html_()
    assert "aws" in html and "<td>0</td>" in html
    iam.create_virtual_mfa_device(VirtualMFADeviceName="a")
    iam.create_virtual_mfa_device(VirtualMFADeviceName="b")
    iam.create_user(UserName="u")
    html = iam._repr_html_()
    assert "<th>Virtual MFA devices</th><td>2</td>" in html
    assert "<th>Users</th><td>1</td>" in html
    assert "<th>Partition</th><td>aws</td>" in html
    assert f"<td>{ACCOUNT}</td>" in html


def test_resource_summary_other_partition():
    iam = iamlite.resource("iam", partition="aws-cn", account_id="210987654321")
    iam.create_user(UserName="u")
    html = iam._repr_html_()
    assert "<th>Partition</th><td>aws-cn</td>" in html
    assert "<td>210987654321</td>" in html


# ---------------------------------------------------------------------------- collections


def test_device_collection_table(iam):
    a = iam.create_virtual_mfa_device(VirtualMFADeviceName="a")
    iam.create_virtual_mfa_device(VirtualMFADeviceName="b")
    _enable(iam, a)
    html = iam.virtual_mfa_devices._repr_html_()
    assert html == iam.virtual_mfa_devices.all()._repr_html_()
    rows = re.findall(r"<tr><td>.*?</tr>", html)
    assert len(rows) == 2
    by_serial = {re.search(r"<code>(.*?)</code>", r).group(1): r for r in rows}
    assert '<span class="iamlite-status">Assigned</span>' in by_serial[SERIAL + "a"]
    assert "<td>alice</td>" in by_serial[SERIAL + "a"]
    assert '<span class="iamlite-status">Unassigned</span>' in by_serial[SERIAL + "b"]
    assert "virtual MFA devices: 2" in html
    assert "more" not in html

    unassigned = iam.virtual_mfa_devices.filter(AssignmentStatus="Unassigned")._repr_html_()
    assert SERIAL + "b" in unassigned and SERIAL + "a<" not in unassigned


def test_collection_is_capped(iam):
    for i in range(display.MAX_ROWS + 3):
        iam.create_user(UserName=f"user{i:03d}", Path="/<p>/")
    html = iam.users._repr_html_()
    assert len(re.findall(r"<tr><td>", html)) == display.MAX_ROWS
    assert "… and 3 more" in html
    assert "users: 53" in html
    assert "<td>/&lt;p&gt;/</td>" in html and "<p>/" not in html
    small = display.collection_html(iam.users.all(), max_rows=2)
    assert len(re.findall(r"<tr><td>", small)) == 2 and f"… and {display.MAX_ROWS + 1} more" in small
    # limit() is honoured: nothing more to count.
    assert "more" not in iam.users.limit(5)._repr_html_()


def test_user_collection_columns(iam):
    user = iam.create_user(UserName="bob", Path="/team/")
    html = iam.users.all()._repr_html_()
    for header in ("User name", "User ID", "Path", "Created"):
        assert f"<th>{header}</th>" in html
    assert f"<td>{user.user_id}</td>" in html
    assert "<td>/team/</td>" in html
    assert "<td>2027-01-15 08:00:00+00:00</td>" in html


def test_user_mfa_devices_table(iam):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="d")
    user = _enable(iam, device, "carol")
    html = user.mfa_devices._repr_html_()
    assert "<td>carol</td>" in html and f"<code>{SERIAL}d</code>" in html


def test_empty_collection(iam):
    html = iam.virtual_mfa_devices._repr_html_()
    assert "(none)" in html and "virtual MFA devices: 0" in html


# ---------------------------------------------------------------------------- import cost


def test_display_imports_no_aws_sdk():
    code = (
        "import sys, importlib.util, pathlib\n"
        "import iamlite\n"
        "before = set(sys.modules)\n"
        "import iamlite.display\n"
        "new = set(sys.modules) - before\n"
        "bad = sorted(m for m in new if m.split('.')[0] in ('boto3', 'botocore', 'IPython', 'PIL'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
