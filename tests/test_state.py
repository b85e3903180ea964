"""The state file as seen from Python: persistence across clients, options, resets, and that
read-only calls leave the file alone."""

from __future__ import annotations

import os

import pytest

import iamlite


def test_every_change_is_persisted_and_seen_by_a_new_client(tmp_path):
    path = tmp_path / "state.json"
    first = iamlite.client("iam", state_file=path, account_id="210987654321")
    serial = first.create_virtual_mfa_device(VirtualMFADeviceName="a")["VirtualMFADevice"]["SerialNumber"]
    assert serial == "arn:aws:iam::210987654321:mfa/a"
    second = iamlite.client("iam", state_file=path)  # the file's account wins over the options
    assert [d["SerialNumber"] for d in second.list_virtual_mfa_devices()["VirtualMFADevices"]] == [serial]
    second.create_user(UserName="bob")
    assert first.get_user(UserName="bob")["User"]["Arn"] == "arn:aws:iam::210987654321:user/bob"
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_read_only_calls_do_not_rewrite_the_file(tmp_path):
    path = tmp_path / "state.json"
    client = iamlite.client("iam", state_file=path)
    client.create_user(UserName="bob")
    before = os.stat(path).st_mtime_ns, path.read_bytes()
    os.utime(path, ns=(1, 1))
    client.get_user(UserName="bob")
    client.get_account_summary()
    assert os.stat(path).st_mtime_ns == 1 and path.read_bytes() == before[1]


def test_a_removed_file_starts_the_account_afresh(tmp_path):
    path = tmp_path / "state.json"
    client = iamlite.client("iam", state_file=path)
    client.create_user(UserName="bob")
    path.unlink()
    assert client.list_users()["Users"] == []
    assert path.exists()


def test_rng_seed_and_state_file_do_not_combine(tmp_path):
    with pytest.raises(ValueError, match="rng_seed cannot be combined with state_file"):
        iamlite.resource("iam", state_file=tmp_path / "s.json", rng_seed=1)
