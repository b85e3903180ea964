"""Seeds stay secret: outside the one CreateVirtualMFADevice result (and the state file, which is
private), no repr, str, exception, log record or CLI output holds any fragment of a seed.

Every operation runs through the native resource, the native client, the CLI and real boto3 under
``mock_iam``, on success and error paths, while everything they print or return is collected.
A fragment is the 64-character seed, any 16-character window of it, its lower case, the base64
and hex of the raw 40-byte key and the base64 of the seed text.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import pickle
import stat
from pathlib import Path
from typing import Any, Iterable, List

import pytest

import iamlite
import iamlite.cli
from iamlite.exceptions import ClientError

NOW = 1_800_000_000
ACCOUNT = "123456789012"
PREFIX = f"arn:aws:iam::{ACCOUNT}:mfa"


def fragments(seed: str) -> List[str]:
    raw = base64.b32decode(seed)
    whole = [
        seed,
        seed.lower(),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode(),
        raw.hex(),
        raw.hex().upper(),
        base64.b64encode(seed.encode()).decode(),
    ]
    out = set(whole)
    for text in (seed, seed.lower(), base64.b64encode(raw).decode()):
        out.update(text[i:i + 16] for i in range(len(text) - 15))
    return sorted(out)


def assert_no_secret(texts: Iterable[str], seeds: Iterable[str]) -> None:
    seeds = list(seeds)
    assert seeds, "no seed was collected: the test would prove nothing"
    frags = [f for s in seeds for f in fragments(s)]
    for text in texts:
        for frag in frags:
            assert frag not in text, f"seed fragment {frag!r} in {text[:300]!r}"


class Collector:
    """Gathers every printable form of what the API hands out."""

    def __init__(self) -> None:
        self.texts: List[str] = []

    def add(self, *objs: Any) -> None:
        for obj in objs:
            self.texts.append(repr(obj))
            self.texts.append(str(obj))
            if isinstance(obj, BaseException):
                self.texts.append(repr(obj.args))
                self.texts.append(repr(getattr(obj, "response", None)))
                self.texts.append(pickle.dumps(obj).decode("latin-1"))
            for hook in ("_repr_html_", "_repr_markdown_", "_repr_pretty_"):
                method = getattr(obj, hook, None)
                if callable(method) and hook != "_repr_pretty_":
                    try:
                        self.texts.append(str(method()))
                    except ImportError:
                        pass

    def error(self, call, *args: Any, **kwargs: Any) -> BaseException:
        try:
            call(*args, **kwargs)
        except Exception as e:  # noqa: BLE001
            self.add(e)
            return e
        raise AssertionError(f"{call} did not fail")

    def response(self, r: Any) -> Any:
        self.add(r)
        return r


def codes(seed: Any, clock: iamlite.FrozenClock) -> dict:
    totp = iamlite.TOTP(seed)
    return {"AuthenticationCode1": totp.at(clock.time() - 30), "AuthenticationCode2": totp.at(clock.time())}


# ---------------------------------------------------------------------------- native


def test_native_resource_and_client_never_show_a_seed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    clock = iamlite.FrozenClock(NOW)
    iam = iamlite.resource("iam", clock=clock)
    client = iam.meta.client
    c = Collector()
    seeds: List[str] = []

    # Create: the seed is in the result (by design) and nowhere else.
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice", Tags=[{"Key": "team", "Value": "a"}])
    seeds.append(device.base32_string_seed.decode())
    assert len(seeds[0]) == 64
    c.add(device, device.meta, device.serial_number, device.tags, device.user_attribute, device.enable_date,
          iam, iam.meta, client, client.meta, client.exceptions)
    created = client.create_virtual_mfa_device(VirtualMFADeviceName="bob", Path="/ops/")
    seeds.append(created["VirtualMFADevice"]["Base32StringSeed"].decode())
    c.add({k: v for k, v in created.items() if k != "VirtualMFADevice"}, created["VirtualMFADevice"]["SerialNumber"])
    bob_serial = created["VirtualMFADevice"]["SerialNumber"]

    # TOTP and the clock keep the seed out of their reprs.
    totp = iamlite.TOTP(seeds[0])
    c.add(totp, iamlite.TOTP(device.base32_string_seed), clock)
    assert repr(totp) == "TOTP(<secret hidden>)"

    # Users, enable, resync, tags, lists, summary, paginators, collections.
    alice = iam.create_user(UserName="alice")
    c.add(alice, alice.meta, alice.meta.data)
    c.response(client.create_user(UserName="bob", Tags=[{"Key": "k", "Value": "v"}]))
    mfa = alice.enable_mfa(SerialNumber=device.serial_number, **codes(seeds[0], clock))
    c.add(mfa, mfa.meta, mfa.meta.data, mfa.User())
    c.error(lambda: mfa.enable_date)  # boto3: MfaDevice has no load method
    c.response(client.enable_mfa_device(UserName="bob", SerialNumber=bob_serial, **codes(seeds[1], clock)))
    c.response(client.resync_mfa_device(UserName="bob", SerialNumber=bob_serial, **codes(seeds[1], clock)))
    mfa.resync(**codes(seeds[0], clock))
    c.response(client.tag_mfa_device(SerialNumber=bob_serial, Tags=[{"Key": "a", "Value": "b"}]))
    c.response(client.list_mfa_device_tags(SerialNumber=bob_serial))
    c.response(client.untag_mfa_device(SerialNumber=bob_serial, TagKeys=["a"]))
    c.response(client.list_virtual_mfa_devices())
    c.response(client.list_virtual_mfa_devices(AssignmentStatus="Assigned", MaxItems=1))
    c.response(client.get_mfa_device(SerialNumber=bob_serial))
    c.response(client.list_mfa_devices(UserName="bob"))
    c.response(client.get_user(UserName="bob"))
    c.response(client.get_user())
    c.response(client.list_users())
    c.response(client.get_account_summary())
    c.response(client.update_user(UserName="bob", NewPath="/x/"))
    for name in ("list_virtual_mfa_devices", "list_users", "list_mfa_devices", "list_mfa_device_tags"):
        kwargs = {"list_mfa_devices": {"UserName": "bob"},
                  "list_mfa_device_tags": {"SerialNumber": bob_serial}}.get(name, {})
        pages = client.get_paginator(name).paginate(PaginationConfig={"PageSize": 1}, **kwargs)
        c.add(pages, pages.build_full_result())
    for d in iam.virtual_mfa_devices.all():
        c.add(d, d.meta, d.meta.data, d.user_attribute, d.user)
    for u in iam.users.all():
        c.add(u, u.meta.data, list(u.mfa_devices.all()))
    c.add(iam.virtual_mfa_devices, iam.users, iam.AccountSummary().summary_map)
    c.add(iam.VirtualMfaDevice(bob_serial))

    # Error paths, each with its exception collected.
    c.error(client.create_virtual_mfa_device, VirtualMFADeviceName="alice")
    c.error(client.enable_mfa_device, UserName="alice", SerialNumber=device.serial_number, **codes(seeds[0], clock))
    c.error(client.enable_mfa_device, UserName="alice", SerialNumber=bob_serial,
            AuthenticationCode1="123456", AuthenticationCode2="654321")
    c.error(client.resync_mfa_device, UserName="bob", SerialNumber=bob_serial,
            AuthenticationCode1="000000", AuthenticationCode2="000000")
    c.error(client.delete_virtual_mfa_device, SerialNumber=bob_serial)
    c.error(client.delete_user, UserName="bob")
    c.error(client.get_mfa_device, SerialNumber=f"{PREFIX}/nobody")
    c.error(client.tag_mfa_device, SerialNumber=bob_serial, Tags=[{"Key": "aws:x", "Value": "v"}])
    c.error(client.create_virtual_mfa_device, VirtualMFADeviceName="bad name")
    c.error(client.create_virtual_mfa_device, Foo="bar")
    c.error(client.list_virtual_mfa_devices, Marker="not-a-marker")
    c.error(lambda: iam.VirtualMfaDevice(bob_serial).base32_string_seed)
    c.error(iamlite.TOTP, "not base32 !!")

    # Deactivate and delete: the device objects keep nothing new.
    mfa.disassociate()
    c.response(client.deactivate_mfa_device(UserName="bob", SerialNumber=bob_serial))
    c.response(client.delete_virtual_mfa_device(SerialNumber=bob_serial))
    c.add(device.delete())
    c.error(client.delete_virtual_mfa_device, SerialNumber=bob_serial)

    c.texts += [r.getMessage() for r in caplog.records] + [repr(r.args) for r in caplog.records]
    assert_no_secret(c.texts, seeds)


def test_list_entries_and_loaded_devices_never_carry_bootstrap_data() -> None:
    iam = iamlite.resource("iam")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    assert device.base32_string_seed and device.qr_code_png
    for listed in iam.virtual_mfa_devices.all():
        assert listed == device
        assert listed.base32_string_seed is None and listed.qr_code_png is None
        assert set(listed.meta.data) == {"SerialNumber"}
    assert set(iam.meta.client.list_virtual_mfa_devices()["VirtualMFADevices"][0]) == {"SerialNumber"}


def test_seed_helper_needs_the_account_and_reveals_nothing_in_errors() -> None:
    client = iamlite.client("iam")
    seed = client.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["Base32StringSeed"]
    c = Collector()
    c.error(client._device_seed, f"{PREFIX}/bob")
    assert_no_secret(c.texts, [seed.decode()])


# ---------------------------------------------------------------------------- CLI


def run_cli(capsys: pytest.CaptureFixture, c: Collector, *argv: str) -> Any:
    rc = iamlite.cli.main(list(argv))
    out, err = capsys.readouterr()
    c.texts += [out, err]
    return rc, out, err


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_cli_never_prints_a_seed_and_keeps_files_private(tmp_path: Path, capsys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    state = tmp_path / "private" / "state.json"
    outfile = tmp_path / "seed.txt"
    png = tmp_path / "qr.png"
    c = Collector()
    g = ["--state", str(state)]
    old_umask = os.umask(0)  # the modes must not depend on the caller's umask
    try:
        rc, out, _ = run_cli(capsys, c, *g, "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
                             "--outfile", str(outfile), "--bootstrap-method", "Base32StringSeed")
    finally:
        os.umask(old_umask)
    assert rc == 0, out
    seeds = [outfile.read_text().strip()]
    assert len(seeds[0]) == 64
    assert json.loads(out)["VirtualMFADevice"] == {"SerialNumber": f"{PREFIX}/alice"}
    assert mode(state) == 0o600
    assert mode(state.parent) & 0o077 == 0, oct(mode(state.parent))
    assert mode(outfile) == 0o600
    assert mode(Path(str(state) + ".lock")) & 0o077 == 0

    rc, out, _ = run_cli(capsys, c, *g, "create-virtual-mfa-device", "--virtual-mfa-device-name", "bob",
                         "--path", "/ops/", "--outfile", str(png), "--bootstrap-method", "QRCodePNG")
    assert rc == 0 and png.read_bytes().startswith(b"\x89PNG") and mode(png) == 0o600
    bob_serial = f"{PREFIX}/ops/bob"
    seeds.append(iamlite.client("iam", state_file=state)._device_seed(bob_serial))

    alice = f"{PREFIX}/alice"
    steps = [
        ["create-user", "--user-name", "alice"],
        ["create-user", "--user-name", "bob", "--tags", "Key=k,Value=v"],
        ["list-virtual-mfa-devices"],
        ["list-virtual-mfa-devices", "--output", "text"],
        ["get-account-summary"],
        ["tag-mfa-device", "--serial-number", alice, "--tags", "Key=a,Value=b"],
        ["list-mfa-device-tags", "--serial-number", alice],
        ["untag-mfa-device", "--serial-number", alice, "--tag-keys", "a"],
        ["list-users", "--output", "text"],
        ["get-user", "--user-name", "bob"],
        # error paths
        ["create-virtual-mfa-device", "--virtual-mfa-device-name", "alice", "--outfile", str(tmp_path / "x"),
         "--bootstrap-method", "Base32StringSeed"],
        ["enable-mfa-device", "--user-name", "alice", "--serial-number", alice,
         "--authentication-code1", "123456", "--authentication-code2", "654321"],
        ["get-mfa-device", "--serial-number", f"{PREFIX}/nobody"],
        ["delete-user", "--user-name", "nobody"],
        ["create-virtual-mfa-device", "--virtual-mfa-device-name", "bad name", "--outfile", str(tmp_path / "y"),
         "--bootstrap-method", "Base32StringSeed"],
        ["list-users", "--bogus"],
        ["no-such-command"],
        ["help"],
        ["create-virtual-mfa-device", "help"],
    ]
    for argv in steps:
        run_cli(capsys, c, *g, *argv)

    # Enable with codes from the CLI's own helper, then everything that shows an enabled device.
    for user, serial in (("alice", alice), ("bob", bob_serial)):
        rc, out, _ = run_cli(capsys, c, *g, "mfa-codes", "--serial-number", serial)
        assert rc == 0, out
        got = json.loads(out)
        rc, out, err = run_cli(capsys, c, *g, "enable-mfa-device", "--user-name", user, "--serial-number", serial,
                               "--authentication-code1", got["AuthenticationCode1"],
                               "--authentication-code2", got["AuthenticationCode2"])
        assert rc == 0, err
    for argv in (
        ["list-mfa-devices", "--user-name", "alice"],
        ["get-mfa-device", "--serial-number", alice],
        ["list-virtual-mfa-devices", "--assignment-status", "Assigned"],
        ["delete-virtual-mfa-device", "--serial-number", alice],
        ["delete-user", "--user-name", "alice"],
        ["deactivate-mfa-device", "--user-name", "alice", "--serial-number", alice],
        ["delete-virtual-mfa-device", "--serial-number", alice],
        ["get-account-summary", "--output", "text"],
    ):
        run_cli(capsys, c, *g, *argv)

    c.texts += [r.getMessage() for r in caplog.records]
    assert_no_secret(c.texts, seeds)
    assert mode(state) == 0o600


def test_cli_default_state_path_is_private(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("IAMLITE_STATE", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    old_umask = os.umask(0o022)
    try:
        assert iamlite.cli.main(["create-user", "--user-name", "alice"]) == 0
    finally:
        os.umask(old_umask)
    capsys.readouterr()
    state = tmp_path / "xdg" / "iamlite" / "state.json"
    assert state.exists()
    assert mode(state) == 0o600
    assert mode(state.parent) & 0o077 == 0, oct(mode(state.parent))


def test_a_world_readable_state_file_is_made_private_on_the_next_save(tmp_path: Path, capsys) -> None:
    state = tmp_path / "state.json"
    assert iamlite.cli.main(["--state", str(state), "create-user", "--user-name", "alice"]) == 0
    os.chmod(state, 0o644)
    assert iamlite.cli.main(["--state", str(state), "create-user", "--user-name", "bob"]) == 0
    capsys.readouterr()
    assert mode(state) == 0o600


def test_state_file_errors_do_not_quote_the_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    client = iamlite.client("iam", state_file=state)
    seed = client.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["Base32StringSeed"]
    text = state.read_text()
    c = Collector()
    for damaged in (text[: len(text) // 2], text.replace('"iamlite-state"', '"other"'),
                    text.replace('"version": 1', '"version": 7'), text + "garbage"):
        state.write_text(damaged)
        c.error(iamlite.client, "iam", state_file=state)
        c.error(client.list_virtual_mfa_devices)
    assert_no_secret(c.texts, [seed.decode()])


def test_state_file_errors_do_not_quote_a_seed_in_the_wrong_field(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    client = iamlite.client("iam", state_file=state)
    seed = client.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["Base32StringSeed"]
    doc = json.loads(state.read_text())
    doc["account"]["devices"][0]["enable_date"] = seed.decode()  # a number field: serde would quote the string
    state.write_text(json.dumps(doc))
    c = Collector()
    c.error(iamlite.client, "iam", state_file=state)
    assert_no_secret(c.texts, [seed.decode()])


# ---------------------------------------------------------------------------- boto3 under mock_iam


def test_boto3_under_mock_iam_never_shows_a_seed_outside_the_create_result(caplog) -> None:
    boto3 = pytest.importorskip("boto3")
    caplog.set_level(logging.DEBUG, logger="iamlite")
    clock = iamlite.FrozenClock(NOW)
    c = Collector()
    with iamlite.mock_iam(clock=clock) as mock:
        iam = boto3.client("iam", region_name="us-east-1")
        created = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")
        seed = created["VirtualMFADevice"]["Base32StringSeed"]
        serial = created["VirtualMFADevice"]["SerialNumber"]
        c.add(mock, {k: v for k, v in created.items() if k != "VirtualMFADevice"})
        c.response(iam.create_user(UserName="alice"))
        c.response(iam.enable_mfa_device(UserName="alice", SerialNumber=serial, **codes(seed, clock)))
        c.response(iam.list_virtual_mfa_devices())
        c.response(iam.list_mfa_devices(UserName="alice"))
        c.response(iam.get_mfa_device(SerialNumber=serial))
        c.response(iam.get_account_summary())
        c.error(iam.delete_virtual_mfa_device, SerialNumber=serial)
        c.error(iam.enable_mfa_device, UserName="alice", SerialNumber=serial, **codes(seed, clock))
        c.error(iam.create_virtual_mfa_device, VirtualMFADeviceName="alice")
        res = boto3.resource("iam", region_name="us-east-1")
        for d in res.virtual_mfa_devices.all():
            c.add(d, d.meta.data)
    c.texts += [r.getMessage() for r in caplog.records if r.name.startswith("iamlite")]
    assert_no_secret(c.texts, [seed.decode()])


def test_the_detector_finds_a_seed_where_one_is() -> None:
    """Positive control: the create result does hold the seed, and the checks above would see it."""
    client = iamlite.client("iam")
    created = client.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    seed = created["VirtualMFADevice"]["Base32StringSeed"].decode()
    raw = base64.b32decode(seed)
    for leak in (repr(created), seed.lower(), f"key={base64.b64encode(raw).decode()}", f"..{seed[20:36]}..",
                 raw.hex()):
        with pytest.raises(AssertionError, match="seed fragment"):
            assert_no_secret([leak], [seed])


# ---------------------------------------------------------------------------- the temp file of a save


def test_a_stale_temp_file_cannot_widen_the_state_file_mode(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    client = iamlite.client("iam", state_file=state)
    stale = tmp_path / f"state.json.tmp.{os.getpid()}"
    stale.write_text("stale")
    os.chmod(stale, 0o666)
    client.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    assert mode(state) == 0o600, oct(mode(state))


def test_a_symlink_at_the_temp_path_is_not_followed(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    client = iamlite.client("iam", state_file=state)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    os.chmod(victim, 0o644)
    (tmp_path / f"state.json.tmp.{os.getpid()}").symlink_to(victim)
    client.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    assert victim.read_text() == "precious", "the symlink's target was overwritten with the state"
    assert not state.is_symlink() and mode(state) == 0o600
