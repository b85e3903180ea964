"""The ``iamlite`` command line: the AWS CLI's `aws iam` commands, options, output and exit
codes, on a JSON state file."""

from __future__ import annotations

import base64
import json
import os
import re
import stat
import subprocess
import sys
import time

import pytest

import iamlite
from iamlite import cli

from conftest import decode_qr

ACCOUNT = "123456789012"
SERIAL = f"arn:aws:iam::{ACCOUNT}:mfa/alice"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
USAGE_HEAD = (
    "usage: iamlite [options] <command> [parameters]\n"
    "To see help text, you can run:\n"
    "\n"
    "  iamlite --help\n"
    "  iamlite <command> --help\n"
)


@pytest.fixture
def state(tmp_path, monkeypatch):
    path = tmp_path / "state" / "state.json"
    monkeypatch.setenv("IAMLITE_STATE", str(path))
    return path


@pytest.fixture
def run(state, capsys):
    """Runs the CLI in-process: ``rc, out, err = run('get-user', '--user-name', 'bob')``."""

    def _run(*argv):
        rc = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return rc, out, err

    return _run


@pytest.fixture
def ok(run):
    """Runs a command that must succeed; returns its parsed JSON output (None when empty)."""

    def _ok(*argv):
        rc, out, err = run(*argv)
        assert (rc, err) == (0, ""), err
        return json.loads(out) if out else None

    return _ok


def account(state):
    """A native client on the same state file (reads what the CLI wrote)."""
    return iamlite.client("iam", state_file=str(state))


def create_device(ok, tmp_path, name="alice", method="QRCodePNG", *extra):
    outfile = tmp_path / f"{name}.{'png' if method == 'QRCodePNG' else 'txt'}"
    out = ok("create-virtual-mfa-device", "--virtual-mfa-device-name", name,
             "--outfile", outfile, "--bootstrap-method", method, *extra)
    return out, outfile


def enable(ok, user, serial):
    codes = ok("mfa-codes", "--serial-number", serial)
    assert set(codes) == {"AuthenticationCode1", "AuthenticationCode2"}
    assert ok("enable-mfa-device", "--user-name", user, "--serial-number", serial,
              "--authentication-code1", codes["AuthenticationCode1"],
              "--authentication-code2", codes["AuthenticationCode2"]) is None


# ---------------------------------------------------------------------------- create + bootstrap


def test_create_writes_qr_png_and_prints_no_blobs(ok, run, state, tmp_path):
    rc, out, err = run("create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
                       "--outfile", tmp_path / "qr.png", "--bootstrap-method", "QRCodePNG")
    assert (rc, err) == (0, "")
    assert out == '{\n    "VirtualMFADevice": {\n        "SerialNumber": "%s"\n    }\n}\n' % SERIAL
    png = (tmp_path / "qr.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert stat.S_IMODE(os.stat(tmp_path / "qr.png").st_mode) == 0o600
    seed = account(state)._device_seed(SERIAL)
    assert decode_qr(png) == (
        f"otpauth://totp/Amazon%20Web%20Services:alice@{ACCOUNT}?secret={seed}&issuer=Amazon%20Web%20Services"
    )
    assert seed not in out


def test_create_base32_seed_goes_only_to_the_outfile(run, state, tmp_path):
    rc, out, err = run("create-virtual-mfa-device", "--virtual-mfa-device-name", "alice", "--path", "/ops/",
                       "--outfile", tmp_path / "seed.txt", "--bootstrap-method", "Base32StringSeed")
    assert (rc, err) == (0, "")
    serial = f"arn:aws:iam::{ACCOUNT}:mfa/ops/alice"
    assert json.loads(out) == {"VirtualMFADevice": {"SerialNumber": serial}}
    seed = (tmp_path / "seed.txt").read_text()
    assert re.fullmatch(r"[A-Z2-7]{64}", seed)
    assert seed == account(state)._device_seed(serial)
    assert seed not in out + err


def test_create_with_tags_echoes_them(ok, tmp_path):
    out, _ = create_device(ok, tmp_path, "alice", "QRCodePNG", "--tags", "Key=team,Value=blue", "Key=env,Value=")
    assert out == {"VirtualMFADevice": {"SerialNumber": SERIAL,
                                        "Tags": [{"Key": "team", "Value": "blue"}, {"Key": "env", "Value": ""}]}}


def test_unwritable_outfile_fails_before_the_call(run, state, tmp_path):
    missing = tmp_path / "no" / "such" / "dir" / "qr.png"
    rc, out, err = run("create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
                       "--outfile", missing, "--bootstrap-method", "QRCodePNG")
    assert (rc, out, err) == (255, "", f"\nUnable to write to file: {missing}\n")
    assert account(state).list_virtual_mfa_devices()["VirtualMFADevices"] == []


def test_a_directory_as_outfile_fails_before_the_call(run, state, tmp_path):
    rc, out, err = run("create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
                       "--outfile", tmp_path, "--bootstrap-method", "QRCodePNG")
    assert (rc, out, err) == (255, "", f"\nUnable to write to file: {tmp_path}\n")
    assert account(state).list_virtual_mfa_devices()["VirtualMFADevices"] == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_failed_write_deletes_the_new_device_again(run, state):
    rc, out, err = run("create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
                       "--outfile", "/dev/full", "--bootstrap-method", "Base32StringSeed")
    assert (rc, out, err) == (255, "", "\nUnable to write to file: /dev/full\n")
    assert account(state).list_virtual_mfa_devices()["VirtualMFADevices"] == []


# ---------------------------------------------------------------------------- enable flow


def test_mfa_codes_are_the_previous_and_current_step(ok, state, tmp_path):
    create_device(ok, tmp_path)
    seed = account(state)._device_seed(SERIAL)
    totp = iamlite.TOTP(seed)
    before = time.time()
    codes = ok("mfa-codes", "--serial-number", SERIAL)
    after = time.time()
    expected = [{"AuthenticationCode1": totp.at(t, -1), "AuthenticationCode2": totp.at(t)} for t in (before, after)]
    assert codes in expected


def test_enable_from_the_shell_then_list_shows_assigned(ok, state, tmp_path):
    create_device(ok, tmp_path)
    user = ok("create-user", "--user-name", "alice")["User"]
    assert ISO.match(user["CreateDate"])
    enable(ok, "alice", SERIAL)

    listed = ok("list-virtual-mfa-devices")["VirtualMFADevices"]
    assert len(listed) == 1
    entry = listed[0]
    assert entry["SerialNumber"] == SERIAL
    assert entry["User"]["UserName"] == "alice"
    assert entry["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/alice"
    assert ISO.match(entry["EnableDate"])
    assert ok("list-virtual-mfa-devices", "--assignment-status", "Assigned")["VirtualMFADevices"] == listed
    assert ok("list-virtual-mfa-devices", "--assignment-status", "Unassigned") == {"VirtualMFADevices": []}

    mfa = ok("list-mfa-devices", "--user-name", "alice")["MFADevices"]
    assert [(d["UserName"], d["SerialNumber"]) for d in mfa] == [("alice", SERIAL)]
    got = ok("get-mfa-device", "--serial-number", SERIAL)
    assert got["UserName"] == "alice" and ISO.match(got["EnableDate"])
    summary = ok("get-account-summary")["SummaryMap"]
    assert (summary["MFADevices"], summary["MFADevicesInUse"], summary["Users"]) == (1, 1, 1)


def test_resync_deactivate_delete_print_nothing(ok, run, tmp_path):
    create_device(ok, tmp_path)
    ok("create-user", "--user-name", "alice")
    enable(ok, "alice", SERIAL)
    codes = ok("mfa-codes", "--serial-number", SERIAL)
    assert ok("resync-mfa-device", "--user-name", "alice", "--serial-number", SERIAL,
              "--authentication-code1", codes["AuthenticationCode1"],
              "--authentication-code2", codes["AuthenticationCode2"]) is None
    rc, out, err = run("delete-virtual-mfa-device", "--serial-number", SERIAL)
    assert (rc, out) == (254, "")
    assert err == ("\nAn error occurred (DeleteConflict) when calling the DeleteVirtualMFADevice operation: "
                   "MFA VirtualDevice in use. Must deactivate first.\n")
    assert ok("deactivate-mfa-device", "--user-name", "alice", "--serial-number", SERIAL) is None
    assert ok("delete-virtual-mfa-device", "--serial-number", SERIAL) is None
    assert ok("delete-user", "--user-name", "alice") is None
    assert ok("list-virtual-mfa-devices") == {"VirtualMFADevices": []}


def test_wrong_codes_are_a_service_error(ok, run, tmp_path):
    create_device(ok, tmp_path)
    ok("create-user", "--user-name", "alice")
    codes = ok("mfa-codes", "--serial-number", SERIAL)
    bad = "000000" if codes["AuthenticationCode1"] != "000000" else "111111"
    rc, out, err = run("enable-mfa-device", "--user-name", "alice", "--serial-number", SERIAL,
                       "--authentication-code1", bad, "--authentication-code2", codes["AuthenticationCode2"])
    assert (rc, out) == (254, "")
    assert err == ("\nAn error occurred (InvalidAuthenticationCode) when calling the EnableMFADevice operation: "
                   "Authentication code for device is not valid.\n")


def test_mfa_codes_for_an_unknown_device(run):
    rc, out, err = run("mfa-codes", "--serial-number", SERIAL)
    assert (rc, out) == (254, "")
    assert f"MFA Device with serial number {SERIAL} does not exist." in err


def test_the_seed_is_never_printed(run, state, tmp_path):
    outputs = []

    def go(*argv):
        rc, out, err = run(*argv)
        outputs.append(out + err)
        return rc, out

    go("create-virtual-mfa-device", "--virtual-mfa-device-name", "alice", "--outfile", tmp_path / "q.png",
       "--bootstrap-method", "QRCodePNG")
    go("create-user", "--user-name", "alice")
    _, codes = go("mfa-codes", "--serial-number", SERIAL)
    codes = json.loads(codes)
    go("enable-mfa-device", "--user-name", "alice", "--serial-number", SERIAL,
       "--authentication-code1", codes["AuthenticationCode1"], "--authentication-code2", codes["AuthenticationCode2"])
    for argv in (["list-virtual-mfa-devices"], ["get-mfa-device", "--serial-number", SERIAL],
                 ["list-virtual-mfa-devices", "--output", "text"], ["get-account-summary"]):
        go(*argv)
    seed = account(state)._device_seed(SERIAL)
    blob = "\n".join(outputs)
    assert seed not in blob and seed.lower() not in blob
    assert base64.b64encode(seed.encode()).decode() not in blob
    assert "QRCodePNG" not in blob and "Base32StringSeed" not in blob


# ---------------------------------------------------------------------------- users


def test_user_commands(ok, run):
    created = ok("create-user", "--user-name", "bob", "--path", "/eng/", "--tags", "Key=k,Value=v")["User"]
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/eng/bob"
    assert created["Tags"] == [{"Key": "k", "Value": "v"}]
    assert ok("get-user", "--user-name", "bob")["User"]["UserId"] == created["UserId"]
    assert ok("update-user", "--user-name", "bob", "--new-user-name", "robert", "--new-path", "/ops/") is None
    assert ok("get-user", "--user-name", "robert")["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/ops/robert"
    assert [u["UserName"] for u in ok("list-users", "--path-prefix", "/ops/")["Users"]] == ["robert"]
    assert ok("list-users", "--path-prefix", "/eng/") == {"Users": []}
    assert ok("delete-user", "--user-name", "robert") is None


def test_iam_service_word_is_accepted(ok):
    ok("iam", "create-user", "--user-name", "bob")
    assert ok("iam", "get-user", "--user-name", "bob")["User"]["UserName"] == "bob"


# ---------------------------------------------------------------------------- errors


def test_service_error_text_and_status(run):
    rc, out, err = run("get-user", "--user-name", "bob")
    assert rc == 254
    assert out == ""
    assert err == ("\nAn error occurred (NoSuchEntity) when calling the GetUser operation: "
                   "The user with name bob cannot be found.\n")


def test_validation_error_from_the_service(run):
    rc, out, err = run("list-virtual-mfa-devices", "--assignment-status", "Bogus")
    assert rc == 254
    assert err == (
        "\nAn error occurred (ValidationError) when calling the ListVirtualMFADevices operation: "
        "1 validation error detected: Value 'Bogus' at 'assignmentStatus' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Unassigned, Any, Assigned]\n"
    )


def test_duplicate_device(ok, run, tmp_path):
    create_device(ok, tmp_path)
    rc, out, err = run("create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
                       "--outfile", tmp_path / "again.png", "--bootstrap-method", "QRCodePNG")
    assert (rc, out) == (254, "")
    assert err == ("\nAn error occurred (EntityAlreadyExists) when calling the CreateVirtualMFADevice operation: "
                   "MFA device already exists.\n")
    assert not (tmp_path / "again.png").exists()


def test_param_validation_error_is_252(run):
    rc, out, err = run("create-user", "--user-name", "")
    assert (rc, out) == (252, "")
    assert err == ("\nParameter validation failed:\n"
                   "Invalid length for parameter UserName, value: 0, valid min length: 1\n")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["get-user", "--foo", "bar"], None),
        (["create-user"], "the following arguments are required: --user-name"),
        (["create-virtual-mfa-device", "--virtual-mfa-device-name", "x"],
         "the following arguments are required: --outfile, --bootstrap-method"),
        (["enable-mfa-device", "--user-name", "u"],
         "the following arguments are required: --serial-number, --authentication-code1, --authentication-code2"),
        (["list-users", "--max-items", "abc"], "argument --max-items: invalid int value: 'abc'"),
        (["--output", "yaml", "list-users"], None),
        ([], "the following arguments are required: command"),
    ],
)
def test_usage_errors_are_252(run, argv, message):
    rc, out, err = run(*argv)
    assert (rc, out) == (252, "")
    assert err.startswith(USAGE_HEAD)
    if message is not None:
        assert err == f"{USAGE_HEAD}iamlite: error: {message}\n"


def test_unknown_option_text(run):
    rc, out, err = run("get-user", "--foo", "bar")
    assert (rc, out, err) == (252, "", f"usage: {USAGE_HEAD[len('usage: '):]}\nUnknown options: --foo, bar\n")


def test_bad_choice_text(run, tmp_path):
    rc, _, err = run("create-virtual-mfa-device", "--virtual-mfa-device-name", "x",
                     "--outfile", tmp_path / "x", "--bootstrap-method", "PNG")
    assert rc == 252
    assert err == (
        f"{USAGE_HEAD}iamlite: error: argument --bootstrap-method: Invalid choice, valid choices are:\n\n"
        f"{'QRCodePNG':<40} | {'Base32StringSeed':<40}\n"
    )


def test_unknown_command_suggests(run):
    rc, _, err = run("get-usr")
    assert rc == 252
    assert "iamlite: error: argument command: Invalid choice, valid choices are:" in err
    assert err.endswith("Invalid choice: 'get-usr', maybe you meant:\n\n  * get-user\n")


def test_damaged_state_file_is_a_general_error(run, state):
    state.parent.mkdir(parents=True)
    state.write_text("{not json")
    rc, out, err = run("list-users")
    assert (rc, out) == (255, "")
    assert err.startswith("\n") and str(state) in err
    assert state.read_text() == "{not json"


# ---------------------------------------------------------------------------- tags


def test_tag_shorthand_json_and_untag(ok, tmp_path):
    create_device(ok, tmp_path)
    assert ok("tag-mfa-device", "--serial-number", SERIAL, "--tags", "Key=b,Value=2", "Key=a,Value='x y=z'") is None
    assert ok("tag-mfa-device", "--serial-number", SERIAL, "--tags", '[{"Key": "c", "Value": "3"}]') is None
    assert ok("tag-mfa-device", "--serial-number", SERIAL, "--tags", '{"Key": "d", "Value": "4"}') is None
    tags = ok("list-mfa-device-tags", "--serial-number", SERIAL)
    assert tags == {"Tags": [{"Key": "a", "Value": "x y=z"}, {"Key": "b", "Value": "2"},
                             {"Key": "c", "Value": "3"}, {"Key": "d", "Value": "4"}]}
    assert ok("untag-mfa-device", "--serial-number", SERIAL, "--tag-keys", "a", "b") is None
    assert ok("untag-mfa-device", "--serial-number", SERIAL, "--tag-keys", '["c"]') is None
    assert ok("list-mfa-device-tags", "--serial-number", SERIAL) == {"Tags": [{"Key": "d", "Value": "4"}]}


def test_tags_from_a_paramfile(ok, tmp_path):
    create_device(ok, tmp_path)
    (tmp_path / "tags.json").write_text('[{"Key": "f", "Value": "file"}]')
    ok("tag-mfa-device", "--serial-number", SERIAL, "--tags", f"file://{tmp_path / 'tags.json'}")
    assert ok("list-mfa-device-tags", "--serial-number", SERIAL) == {"Tags": [{"Key": "f", "Value": "file"}]}


def test_tag_syntax_errors_are_252(ok, run, tmp_path):
    create_device(ok, tmp_path)
    rc, out, err = run("tag-mfa-device", "--serial-number", SERIAL, "--tags", "foo")
    assert (rc, out) == (252, "")
    assert err == "\nError parsing parameter '--tags': Expected: '=', received: 'EOF' for input:\nfoo\n   ^\n"
    rc, _, err = run("tag-mfa-device", "--serial-number", SERIAL, "--tags", "Key=k,Value=a,b")
    assert rc == 252
    assert err.startswith("\nParameter validation failed:\nInvalid type for parameter Tags[0].Value")
    rc, _, err = run("tag-mfa-device", "--serial-number", SERIAL, "--tags", "[{bad json")
    assert rc == 252 and err.startswith("\nError parsing parameter '--tags': Invalid JSON:")


SHORTHAND_CASES = [
    "Key=k,Value=v",
    "Key=k,Value=",
    "Key=k",
    "Key = k , Value = v",
    "Key=k,Value=a=b",
    "Key=k,Value=a,b",
    "Key=k,Value=a,b,c",
    "Key=\"a,b\",Value='x y'",
    "Key=a\\,b,Value=c",
    "Key=k,Value=a b ",
    "Key=k:/x@y.z+1,Value=v-_",
]


@pytest.mark.parametrize("text", SHORTHAND_CASES)
def test_shorthand_matches_the_aws_cli(text):
    shorthand = pytest.importorskip("awscli.shorthand")
    assert cli._Shorthand(text).parse() == shorthand.ShorthandParser().parse(text)


# ---------------------------------------------------------------------------- pagination


def test_pagination_max_items_and_starting_token(ok, run):
    for name in ["u1", "u2", "u3", "u4", "u5"]:
        ok("create-user", "--user-name", name)
    everything = ok("list-users", "--page-size", "2")
    assert [u["UserName"] for u in everything["Users"]] == ["u1", "u2", "u3", "u4", "u5"]
    assert "NextToken" not in everything and "IsTruncated" not in everything

    seen = []
    first = ok("list-users", "--max-items", "2")
    seen += first["Users"]
    assert len(first["Users"]) == 2 and first["NextToken"]
    second = ok("list-users", "--max-items", "2", "--starting-token", first["NextToken"], "--page-size", "3")
    seen += second["Users"]
    third = ok("list-users", "--max-items", "2", "--starting-token", second["NextToken"])
    seen += third["Users"]
    assert "NextToken" not in third
    assert [u["UserName"] for u in seen] == ["u1", "u2", "u3", "u4", "u5"]


def test_no_paginate_makes_one_call(ok, run):
    for name in ["u1", "u2", "u3"]:
        ok("create-user", "--user-name", name)
    page = ok("list-users", "--no-paginate", "--max-items", "2")
    assert [u["UserName"] for u in page["Users"]] == ["u1", "u2"]
    assert page["IsTruncated"] is True and page["Marker"]
    rest = ok("list-users", "--marker", page["Marker"])  # the service's own token turns paging off
    assert [u["UserName"] for u in rest["Users"]] == ["u3"] and rest["IsTruncated"] is False
    rc, out, err = run("list-users", "--no-paginate", "--page-size", "2")
    assert (rc, out, err) == (252, "", "\nCannot specify --no-paginate along with pagination arguments: --page-size\n")


def test_bad_starting_token_is_a_service_error(ok, run):
    ok("create-user", "--user-name", "u1")
    rc, _, err = run("list-users", "--starting-token", "bogus")
    assert rc == 254
    assert "Invalid Marker." in err


# ---------------------------------------------------------------------------- output, help, version


def test_text_output(ok, run, tmp_path):
    create_device(ok, tmp_path)
    rc, out, err = run("--output", "text", "list-virtual-mfa-devices")
    assert (rc, out, err) == (0, f"VIRTUALMFADEVICES\t{SERIAL}\n", "")
    rc, out, _ = run("mfa-codes", "--serial-number", SERIAL, "--output", "text")
    assert re.fullmatch(r"\d{6}\t\d{6}\n", out)
    create_device(ok, tmp_path, "bob")
    rc, out, _ = run("list-virtual-mfa-devices", "--output", "text", "--max-items", "1")
    lines = out.splitlines()
    assert lines[0] == f"VIRTUALMFADEVICES\t{SERIAL}"
    assert lines[1].startswith("NEXTTOKEN\t") and len(lines) == 2


def test_global_options_anywhere(ok):
    ok("create-user", "--user-name", "bob")
    assert ok("get-user", "--output", "json", "--user-name", "bob")["User"]["UserName"] == "bob"


def test_help_and_version(run):
    rc, out, _ = run("--help")
    assert rc == 0 and "create-virtual-mfa-device" in out and "mfa-codes" in out
    rc, out, _ = run("create-virtual-mfa-device", "--help")
    assert rc == 0 and "--bootstrap-method" in out and "--virtual-mfa-device-name" in out
    rc, out, _ = run("list-users", "help")
    assert rc == 0 and "--starting-token" in out
    rc, out, _ = run("--version")
    assert rc == 0 and out.startswith(f"iamlite/{iamlite.__version__} Python/")


def test_json_is_the_aws_cli_encoding(ok):
    # indent 4, non-ASCII kept, datetimes in ISO 8601 with +00:00
    out = cli.render({"A": "é", "B": [1], "C": b"\x00\x01"}, "json")
    assert out == '{\n    "A": "é",\n    "B": [\n        1\n    ],\n    "C": "AAE="\n}\n'
    assert cli.render({}, "json") == ""


# ---------------------------------------------------------------------------- the command table


def test_table_matches_the_botocore_model():
    botocore_session = pytest.importorskip("botocore.session")
    from botocore import xform_name

    from iamlite._support import METHOD_TO_API

    model = botocore_session.get_session().get_service_model("iam")
    aws_commands = {n: c for n, c in cli.COMMANDS.items() if c.operation is not None}
    assert {c.operation for c in aws_commands.values()} == set(METHOD_TO_API.values())
    assert set(cli.COMMANDS) - set(aws_commands) == {"mfa-codes"}
    for name, command in aws_commands.items():
        op = model.operation_model(command.operation)
        assert name == xform_name(command.operation, "-")
        members = op.input_shape.members if op.input_shape else {}
        required = set(op.input_shape.required_members) if op.input_shape else set()
        paging = {"Marker", "MaxItems"} if command.paginated else set()
        assert [o.name for o in command.options] == [m for m in members if m not in paging], name
        for opt in command.options:
            assert opt.flag == "--" + xform_name(opt.name, "-")
            assert opt.required == (opt.name in required), (name, opt.name)
            kind = members[opt.name].type_name
            assert kind == ("list" if opt.kind in (cli.TAGS, cli.STRING_LIST) else opt.kind)
        assert bool(command.paginated) == (xform_name(command.operation) in
                                           {"list_virtual_mfa_devices", "list_mfa_devices",
                                            "list_mfa_device_tags", "list_users"})


# ---------------------------------------------------------------------------- the state file


def test_state_file_is_0600_and_default_directory_0700(run, monkeypatch, tmp_path):
    monkeypatch.delenv("IAMLITE_STATE")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert cli.default_state_path() == str(tmp_path / "xdg" / "iamlite" / "state.json")
    rc, _, err = run("create-user", "--user-name", "bob")
    assert (rc, err) == (0, "")
    path = tmp_path / "xdg" / "iamlite" / "state.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert "bob" in path.read_text()


def test_default_path_without_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cli.default_state_path() == str(tmp_path / ".local" / "state" / "iamlite" / "state.json")


def test_state_option_beats_the_environment(run, state, tmp_path):
    other = tmp_path / "other.json"
    rc, _, _ = run("--state", other, "create-user", "--user-name", "bob")
    assert rc == 0
    assert other.exists() and not state.exists()
    assert run("get-user", "--user-name", "bob")[0] == 254
    assert run("get-user", "--user-name", "bob", "--state", other)[0] == 0


def test_account_options_apply_to_a_new_state_only(ok, run, tmp_path):
    ok("--account-id", "111122223333", "--account-alias", "corp", "create-user", "--user-name", "bob")
    out, png = create_device(ok, tmp_path, "alice")
    assert out["VirtualMFADevice"]["SerialNumber"] == "arn:aws:iam::111122223333:mfa/alice"
    assert "Amazon%20Web%20Services:alice@corp?" in decode_qr(png.read_bytes())
    user = ok("--account-id", "999999999999", "get-user", "--user-name", "bob")["User"]
    assert user["Arn"] == "arn:aws:iam::111122223333:user/bob"


# ---------------------------------------------------------------------------- real processes


def _cli_env(state_path):
    env = dict(os.environ)
    env["IAMLITE_STATE"] = str(state_path)
    return env


def _iamlite(env, *argv):
    return subprocess.run([sys.executable, "-m", "iamlite", *map(str, argv)], env=env,
                          capture_output=True, text=True, timeout=60)


def test_subprocess_end_to_end(tmp_path):
    env = _cli_env(tmp_path / "state.json")
    png = tmp_path / "alice.png"
    p = _iamlite(env, "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
                 "--outfile", png, "--bootstrap-method", "QRCodePNG")
    assert (p.returncode, p.stderr) == (0, "")
    assert decode_qr(png.read_bytes()).startswith(f"otpauth://totp/Amazon%20Web%20Services:alice@{ACCOUNT}?secret=")
    assert _iamlite(env, "create-user", "--user-name", "alice").returncode == 0
    codes = _iamlite(env, "mfa-codes", "--serial-number", SERIAL, "--output", "text").stdout.split()
    p = _iamlite(env, "enable-mfa-device", "--user-name", "alice", "--serial-number", SERIAL,
                 "--authentication-code1", codes[0], "--authentication-code2", codes[1])
    assert (p.returncode, p.stdout, p.stderr) == (0, "", "")
    p = _iamlite(env, "list-virtual-mfa-devices", "--assignment-status", "Assigned")
    entry = json.loads(p.stdout)["VirtualMFADevices"][0]
    assert entry["User"]["UserName"] == "alice" and ISO.match(entry["EnableDate"])
    assert stat.S_IMODE(os.stat(tmp_path / "state.json").st_mode) == 0o600

    p = _iamlite(env, "get-user", "--user-name", "bob")
    assert (p.returncode, p.stdout) == (254, "")
    assert p.stderr == ("\nAn error occurred (NoSuchEntity) when calling the GetUser operation: "
                        "The user with name bob cannot be found.\n")
    p = _iamlite(env, "get-user", "--bogus")
    assert p.returncode == 252 and "Unknown options: --bogus" in p.stderr


def test_concurrent_processes_lose_nothing(tmp_path):
    env = _cli_env(tmp_path / "state.json")
    procs = [
        subprocess.Popen([sys.executable, "-m", "iamlite", "create-virtual-mfa-device",
                          "--virtual-mfa-device-name", f"dev{i}", "--outfile", str(tmp_path / f"dev{i}.png"),
                          "--bootstrap-method", "QRCodePNG"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(8)
    ]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert (p.returncode, err) == (0, ""), err
    p = _iamlite(env, "list-virtual-mfa-devices")
    serials = sorted(d["SerialNumber"] for d in json.loads(p.stdout)["VirtualMFADevices"])
    assert serials == sorted(f"arn:aws:iam::{ACCOUNT}:mfa/dev{i}" for i in range(8))
