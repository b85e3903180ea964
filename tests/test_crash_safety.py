"""Crash safety of the state file.

A child process that keeps saving (creating devices through ``iamlite.client(state_file=...)``)
is SIGKILLed at random moments, again and again. After every kill the file loads (valid JSON,
iamlite's format), holds every device the child reported as created (a save is durable before the
call returns) and at most the one it was saving when killed, the device count never goes down, and
no temporary file left behind breaks loading. Files from a newer iamlite and damaged files are
refused with ``StateFileError`` and left byte-identical.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import List, Tuple

import pytest

import iamlite
from iamlite.exceptions import StateFileError

CHILD = textwrap.dedent(
    """
    import os, sys
    import iamlite
    path, prefix, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
    client = iamlite.client("iam", state_file=path)
    for i in range(limit):
        name = f"{prefix}-{os.getpid()}-{i}"
        client.create_virtual_mfa_device(VirtualMFADeviceName=name, Tags=[{"Key": "k", "Value": "v" * 200}])
        print(name, flush=True)
    """
)

ROUNDS = 8


def spawn(path: Path, prefix: str, limit: int = 1_000_000) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), prefix, str(limit)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_lines(proc: subprocess.Popen, want: int, timeout: float) -> List[str]:
    """Reads up to ``want`` lines of the child's output, or what arrives before ``timeout``."""
    assert proc.stdout is not None
    lines: List[str] = []
    deadline = time.monotonic() + timeout
    while len(lines) < want and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
    return lines


def stored_serials(path: Path) -> List[str]:
    doc = json.loads(path.read_text())  # valid JSON, whole
    assert doc["format"] == "iamlite-state" and doc["version"] == 1
    return [d["serial"] for d in doc["account"]["devices"]]


def listed_serials(path: Path) -> List[str]:
    client = iamlite.client("iam", state_file=path)
    out: List[str] = []
    pages = client.get_paginator("list_virtual_mfa_devices").paginate()
    for page in pages:
        out += [d["SerialNumber"] for d in page["VirtualMFADevices"]]
    return out


def serial(name: str) -> str:
    return f"arn:aws:iam::123456789012:mfa/{name}"


def test_sigkill_mid_save_always_leaves_the_last_good_state(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    # A state big enough that a save takes a while, so kills land inside saves too.
    seed_client = iamlite.client("iam", state_file=path)
    for i in range(40):
        seed_client.create_virtual_mfa_device(VirtualMFADeviceName=f"base{i}", Tags=[{"Key": "k", "Value": "v" * 200}])
    known = set(stored_serials(path))
    rng = random.Random(7)
    started = time.monotonic()
    for round_ in range(ROUNDS):
        before = len(known)
        proc = spawn(path, f"r{round_}")
        try:
            lines = read_lines(proc, rng.randint(1, 25), timeout=30)
            assert lines, f"round {round_}: the child reported nothing: {proc.stderr.read() if proc.poll() is not None else ''}"
            time.sleep(rng.random() * 0.01)
        finally:
            proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, (proc.returncode, err)
        reported = lines + [line for line in out.splitlines() if line.strip()]
        # A partial last line is a name whose print was cut; only whole lines count as reported.
        if out and not out.endswith("\n"):
            reported = reported[:-1]

        serials = stored_serials(path)
        assert len(serials) == len(set(serials))
        now_known = set(serials)
        assert known <= now_known, f"round {round_}: devices vanished"
        assert len(now_known) >= before, "the device count went down"
        new = now_known - known
        reported_serials = {serial(n) for n in reported}
        assert reported_serials <= new, f"round {round_}: a reported create is missing from the file"
        assert len(new) <= len(reported_serials) + 1, (
            f"round {round_}: {len(new)} new devices but {len(reported_serials)} reported (at most one may be in flight)"
        )
        assert sorted(listed_serials(path)) == sorted(serials), "the file does not load as it reads"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        for leftover in tmp_path.iterdir():
            if leftover.name not in ("state.json", "state.json.lock"):
                assert leftover.name.startswith("state.json.tmp."), leftover.name
                assert stat.S_IMODE(leftover.stat().st_mode) == 0o600, "a leftover temp file holds seeds"
        known = now_known
    assert time.monotonic() - started < 120
    # After all the kills, a normal process carries on from the last good state.
    client = iamlite.client("iam", state_file=path)
    client.create_virtual_mfa_device(VirtualMFADeviceName="after")
    assert set(stored_serials(path)) == known | {serial("after")}


def test_leftover_temp_files_do_not_break_loading(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    client = iamlite.client("iam", state_file=path)
    client.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    for pid in (1, 99999, os.getpid() + 1):
        (tmp_path / f"state.json.tmp.{pid}").write_text('{"format": "iamlite-state", "version": 1, "acc')
    (tmp_path / "state.json.lock").write_text("garbage")
    assert listed_serials(path) == [serial("alice")]
    client.create_virtual_mfa_device(VirtualMFADeviceName="bob")
    assert listed_serials(path) == [serial("alice"), serial("bob")]


def test_processes_saving_at_once_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    iamlite.client("iam", state_file=path)
    procs = [spawn(path, f"p{i}", limit=15) for i in range(3)]
    names: List[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        names += out.split()
    assert len(names) == 45
    assert sorted(stored_serials(path)) == sorted(serial(n) for n in names)


# ---------------------------------------------------------------------------- refused files


def make_state(tmp_path: Path) -> Tuple[Path, iamlite.Client]:
    path = tmp_path / "state.json"
    client = iamlite.client("iam", state_file=path)
    client.create_user(UserName="alice")
    client.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    return path, client


def test_a_file_from_a_newer_iamlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path, client = make_state(tmp_path)
    doc = json.loads(path.read_text())
    doc["version"] = 99
    path.write_text(json.dumps(doc))
    original = path.read_bytes()
    with pytest.raises(StateFileError, match="newer") as info:
        iamlite.client("iam", state_file=path)
    assert "99" in str(info.value)
    with pytest.raises(StateFileError, match="newer"):
        client.create_virtual_mfa_device(VirtualMFADeviceName="bob")
    assert path.read_bytes() == original


@pytest.mark.parametrize("cut", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_a_truncated_file_is_refused_and_left_byte_identical(tmp_path: Path, cut: float) -> None:
    path, client = make_state(tmp_path)
    text = path.read_bytes()
    path.write_bytes(text[: int(len(text) * cut)])
    damaged = path.read_bytes()
    with pytest.raises(StateFileError) as info:
        iamlite.client("iam", state_file=path)
    message = str(info.value)
    assert "damaged" in message or "truncated" in message, message
    for call in (lambda: client.list_users(), lambda: client.create_user(UserName="bob")):
        with pytest.raises(StateFileError, match="damaged or truncated"):
            call()
    assert path.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json", "state.json.lock"]


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00garbage", b"[]", b'{"format": "something-else", "version": 1}', b"null", b"{}" * 3],
)
def test_other_damage_is_refused_and_left_byte_identical(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    with pytest.raises(StateFileError) as info:
        iamlite.client("iam", state_file=path)
    assert "untouched" in str(info.value)
    assert path.read_bytes() == content


def test_a_directory_in_place_of_the_file_is_a_state_file_error(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.mkdir()
    with pytest.raises(StateFileError):
        iamlite.client("iam", state_file=path)
    assert path.is_dir()


def test_temp_files_of_killed_writers_do_not_outlive_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    client = iamlite.client("iam", state_file=path)
    client.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    # What a writer killed between writing its temp file and the rename leaves behind.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = tmp_path / f"state.json.tmp.{dead.pid}"
    orphan.write_bytes(path.read_bytes())
    os.chmod(orphan, 0o600)
    client.delete_virtual_mfa_device(SerialNumber=serial("alice"))
    client.create_virtual_mfa_device(VirtualMFADeviceName="bob")
    assert not orphan.exists(), "the deleted device's seed is still on disk in an orphaned temp file"
