"""Threads racing on one account: creates, enables, deactivates, tags and deletes on overlapping
names, through the native client, the native resource and (under ``mock_iam``) real boto3.

Afterwards every invariant holds: each name's create succeeded exactly once in the opening race
(all other threads got EntityAlreadyExists); each serial and user exists once; for every name,
successful creates minus successful deletes is 1 exactly when it exists; for every serial,
successful enables minus deactivates is 1 exactly when it is assigned; every enabled device belongs
to one user and appears in that user's ListMFADevices and GetMFADevice; GetAccountSummary's
MFADevices, MFADevicesInUse and Users match the lists; no exception but the documented AWS errors;
every thread finishes within a bounded time.
"""

from __future__ import annotations

import collections
import random
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Tuple

import botocore.exceptions
import pytest

import iamlite

ACCOUNT = "123456789012"
PREFIX = f"arn:aws:iam::{ACCOUNT}:mfa"
NOW = 1_800_000_000
THREADS = 8
DEVICES = [f"dev{i}" for i in range(10)]
USERS = [f"user{i}" for i in range(5)]
#: the errors these races may legitimately produce (aws-reference §2, §4-§7)
EXPECTED_CODES = {"NoSuchEntity", "EntityAlreadyExists", "DeleteConflict", "InvalidAuthenticationCode", "LimitExceeded"}
JOIN_TIMEOUT = 60.0


@pytest.fixture(autouse=True)
def frequent_thread_switches():
    """Switch threads every microsecond (default 5 ms) so that the races really interleave."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def serial_of(name: str) -> str:
    return f"{PREFIX}/{name}"


def code_of(e: BaseException) -> str:
    if isinstance(e, botocore.exceptions.ClientError):
        return e.response["Error"]["Code"]
    raise e


class Surface:
    """One thread's way into the account: the client API, plus resource-style calls when
    ``resource`` is given. All methods raise the service's ClientError on failure."""

    def __init__(self, client: Any, resource: Any = None) -> None:
        self.client = client
        self.resource = resource

    def create_device(self, name: str) -> Tuple[str, bytes]:
        if self.resource is not None:
            device = self.resource.create_virtual_mfa_device(VirtualMFADeviceName=name)
            return device.serial_number, device.base32_string_seed
        d = self.client.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
        return d["SerialNumber"], d["Base32StringSeed"]

    def create_user(self, name: str) -> None:
        if self.resource is not None:
            self.resource.create_user(UserName=name)
        else:
            self.client.create_user(UserName=name)

    def enable(self, user: str, serial: str, code1: str, code2: str) -> None:
        if self.resource is not None:
            self.resource.User(user).enable_mfa(SerialNumber=serial, AuthenticationCode1=code1,
                                                AuthenticationCode2=code2)
        else:
            self.client.enable_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1=code1,
                                          AuthenticationCode2=code2)

    def deactivate(self, user: str, serial: str) -> None:
        if self.resource is not None:
            self.resource.MfaDevice(user, serial).disassociate()
        else:
            self.client.deactivate_mfa_device(UserName=user, SerialNumber=serial)

    def delete_device(self, serial: str) -> None:
        if self.resource is not None:
            self.resource.VirtualMfaDevice(serial).delete()
        else:
            self.client.delete_virtual_mfa_device(SerialNumber=serial)

    def delete_user(self, name: str) -> None:
        if self.resource is not None:
            self.resource.User(name).delete()
        else:
            self.client.delete_user(UserName=name)


class Race:
    """Runs the two phases on THREADS threads and keeps the tallies."""

    def __init__(self, surfaces: List[Surface], clock: iamlite.FrozenClock, ops_per_thread: int) -> None:
        assert len(surfaces) == THREADS
        self.surfaces = surfaces
        self.clock = clock
        self.ops = ops_per_thread
        self.lock = threading.Lock()
        self.seeds: Dict[str, bytes] = {}
        self.tally: collections.Counter = collections.Counter()
        self.failures: List[str] = []
        self.create_outcomes: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)

    # -- bookkeeping
    def count(self, key: Tuple[Any, ...]) -> None:
        with self.lock:
            self.tally[key] += 1

    def fail(self, text: str) -> None:
        with self.lock:
            self.failures.append(text)

    def attempt(self, what: str, call: Callable[[], Any]) -> Any:
        """Runs a call; returns (True, result) or (False, code); records any unexpected exception."""
        try:
            return True, call()
        except BaseException as e:  # noqa: BLE001 - PanicException is a BaseException
            if isinstance(e, botocore.exceptions.ClientError):
                code = e.response["Error"]["Code"]
                if code in EXPECTED_CODES:
                    self.count((what, "error", code))
                    return False, code
            self.fail(f"{what}: {type(e).__module__}.{type(e).__qualname__}: {e!r}"[:500])
            return False, None

    # -- phase A: every thread creates every name
    def create_race(self, index: int, barrier: threading.Barrier) -> None:
        s = self.surfaces[index]
        rng = random.Random(index)
        names = DEVICES[:] + [("user", u) for u in USERS]  # type: ignore[list-item]
        rng.shuffle(names)
        barrier.wait()
        for item in names:
            if isinstance(item, tuple):
                ok, res = self.attempt("CreateUser", lambda: s.create_user(item[1]))
                key = "user " + item[1]
            else:
                ok, res = self.attempt("CreateVirtualMFADevice", lambda: s.create_device(item))
                key = "device " + item
                if ok:
                    with self.lock:
                        self.seeds[res[0]] = res[1]
            with self.lock:
                self.create_outcomes[key]["ok" if ok else str(res)] += 1
            if ok:
                self.count(("created", key))

    # -- phase B: random operations on overlapping names
    def churn(self, index: int, barrier: threading.Barrier) -> None:
        s = self.surfaces[index]
        rng = random.Random(1000 + index)
        barrier.wait()
        for _ in range(self.ops):
            op = rng.choice(["enable", "enable", "enable", "deactivate", "deactivate", "tag", "untag",
                             "delete_device", "create_device", "delete_user", "create_user", "list", "tick"])
            name = rng.choice(DEVICES)
            serial = serial_of(name)
            user = rng.choice(USERS)
            if op == "enable":
                with self.lock:
                    seed = self.seeds.get(serial)
                if seed is None:
                    continue
                totp = iamlite.TOTP(seed)
                t = self.clock.time()
                code1, code2 = totp.at(t - 30), totp.at(t)
                ok, _ = self.attempt("EnableMFADevice", lambda: s.enable(user, serial, code1, code2))
                if ok:
                    self.count(("enabled", serial))
            elif op == "deactivate":
                ok, _ = self.attempt("DeactivateMFADevice", lambda: s.deactivate(user, serial))
                if ok:
                    self.count(("deactivated", serial))
            elif op == "tag":
                tags = [{"Key": f"k{rng.randrange(4)}", "Value": f"t{index}"}]
                self.attempt("TagMFADevice", lambda: s.client.tag_mfa_device(SerialNumber=serial, Tags=tags))
            elif op == "untag":
                self.attempt("UntagMFADevice",
                             lambda: s.client.untag_mfa_device(SerialNumber=serial, TagKeys=[f"k{rng.randrange(4)}"]))
            elif op == "delete_device":
                ok, _ = self.attempt("DeleteVirtualMFADevice", lambda: s.delete_device(serial))
                if ok:
                    self.count(("deleted", "device " + name))
            elif op == "create_device":
                ok, res = self.attempt("CreateVirtualMFADevice", lambda: s.create_device(name))
                if ok:
                    self.count(("created", "device " + name))
                    with self.lock:
                        self.seeds[res[0]] = res[1]
            elif op == "delete_user":
                ok, _ = self.attempt("DeleteUser", lambda: s.delete_user(user))
                if ok:
                    self.count(("deleted", "user " + user))
            elif op == "create_user":
                ok, _ = self.attempt("CreateUser", lambda: s.create_user(user))
                if ok:
                    self.count(("created", "user " + user))
            elif op == "list":
                self.attempt("ListMFADevices", lambda: s.client.list_mfa_devices(UserName=user))
                self.attempt("ListVirtualMFADevices", lambda: s.client.list_virtual_mfa_devices(MaxItems=3))
                self.attempt("GetAccountSummary", lambda: s.client.get_account_summary())
            else:
                self.clock.advance(1)

    def run_phase(self, target: Callable[[int, threading.Barrier], None]) -> None:
        barrier = threading.Barrier(THREADS)
        errors: List[BaseException] = []

        def guarded(i: int) -> None:
            try:
                target(i, barrier)
            except BaseException as e:  # noqa: BLE001
                errors.append(e)

        threads = [threading.Thread(target=guarded, args=(i,), daemon=True, name=f"race-{i}") for i in range(THREADS)]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(0.1, JOIN_TIMEOUT - (time.monotonic() - start)))
        alive = [t.name for t in threads if t.is_alive()]
        assert not alive, f"threads still running after {JOIN_TIMEOUT}s (deadlock?): {alive}"
        assert not errors, errors
        assert not self.failures, "unexpected exceptions:\n" + "\n".join(self.failures[:20])


def all_pages(client: Any, method: str, key: str, **params: Any) -> List[Dict[str, Any]]:
    items: List[Dict[str, Any]] = []
    marker = None
    while True:
        kw = dict(params, MaxItems=3)
        if marker:
            kw["Marker"] = marker
        page = getattr(client, method)(**kw)
        items += page[key]
        if not page["IsTruncated"]:
            return items
        marker = page["Marker"]


def check_invariants(race: Race, client: Any) -> None:
    # The opening race: each name created exactly once, every other thread told it exists.
    for key, outcome in race.create_outcomes.items():
        assert outcome == {"ok": 1, "EntityAlreadyExists": THREADS - 1}, (key, dict(outcome))
    assert len(race.create_outcomes) == len(DEVICES) + len(USERS)

    devices = all_pages(client, "list_virtual_mfa_devices", "VirtualMFADevices")
    users = all_pages(client, "list_users", "Users")
    serials = [d["SerialNumber"] for d in devices]
    names = [u["UserName"] for u in users]
    assert len(serials) == len(set(serials)), "a serial is listed twice"
    assert len(names) == len(set(names)), "a user is listed twice"
    assert set(serials) <= {serial_of(n) for n in DEVICES}
    assert set(names) <= set(USERS)

    # Creates minus deletes = existence, per name.
    for n in DEVICES:
        net = race.tally[("created", "device " + n)] - race.tally[("deleted", "device " + n)]
        assert net == (1 if serial_of(n) in serials else 0), (n, net)
    for n in USERS:
        net = race.tally[("created", "user " + n)] - race.tally[("deleted", "user " + n)]
        assert net == (1 if n in names else 0), (n, net)

    # Every enabled device belongs to exactly one user, seen from every side.
    assigned = {d["SerialNumber"]: d["User"]["UserName"] for d in devices if "User" in d}
    owner: Dict[str, str] = {}
    for n in names:
        for entry in all_pages(client, "list_mfa_devices", "MFADevices", UserName=n):
            assert entry["UserName"] == n
            assert entry["SerialNumber"] not in owner, f"{entry['SerialNumber']} enabled for two users"
            owner[entry["SerialNumber"]] = n
    assert owner == assigned
    for serial, user in assigned.items():
        assert client.get_mfa_device(SerialNumber=serial)["UserName"] == user
        assert client.get_mfa_device(SerialNumber=serial, UserName=user)["SerialNumber"] == serial
    for serial in serials:
        net = race.tally[("enabled", serial)] - race.tally[("deactivated", serial)]
        assert net == (1 if serial in assigned else 0), (serial, net)

    summary = client.get_account_summary()["SummaryMap"]
    assert summary["MFADevices"] == len(serials)
    assert summary["MFADevicesInUse"] == len(assigned)
    assert summary["Users"] == len(names)

    # The churn reached the interesting paths, not only errors.
    for key in [("enabled",), ("deactivated",), ("deleted",)]:
        assert any(k[: len(key)] == key for k in race.tally), f"no successful {key[0]} in the churn"


def test_native_client_and_resource_threads_keep_every_invariant() -> None:
    clock = iamlite.FrozenClock(NOW)
    iam = iamlite.resource("iam", clock=clock)
    surfaces = [Surface(iam.meta.client, iam if i % 2 else None) for i in range(THREADS)]
    race = Race(surfaces, clock, ops_per_thread=1500)
    started = time.monotonic()
    race.run_phase(race.create_race)
    race.run_phase(race.churn)
    check_invariants(race, iam.meta.client)
    assert time.monotonic() - started < JOIN_TIMEOUT


def test_boto3_clients_under_mock_iam_keep_every_invariant() -> None:
    boto3 = pytest.importorskip("boto3")
    clock = iamlite.FrozenClock(NOW)
    with iamlite.mock_iam(clock=clock) as mock:
        clients = [boto3.session.Session().client("iam", region_name="us-east-1") for _ in range(THREADS)]
        surfaces = [Surface(c) for c in clients]
        race = Race(surfaces, clock, ops_per_thread=80)
        started = time.monotonic()
        race.run_phase(race.create_race)
        race.run_phase(race.churn)
        check_invariants(race, clients[0])
        # The native view of the same account agrees.
        check_invariants(race, mock.client)
        assert time.monotonic() - started < JOIN_TIMEOUT


def test_state_file_clients_in_threads_lose_no_update(tmp_path) -> None:
    """Each thread has its own client on one state file (load → change → save under the file
    lock): no create is lost and the file holds exactly the successful ones."""
    path = tmp_path / "state.json"
    clients = [iamlite.client("iam", state_file=path) for _ in range(4)]
    created: List[str] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        for j in range(15):
            name = f"t{i}-{j}"
            clients[i].create_virtual_mfa_device(VirtualMFADeviceName=name)
            with lock:
                created.append(serial_of(name))

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads)
    fresh = iamlite.client("iam", state_file=path)
    listed = [d["SerialNumber"] for d in fresh.list_virtual_mfa_devices(MaxItems=1000)["VirtualMFADevices"]]
    assert sorted(listed) == sorted(created)
    assert len(listed) == 60


def test_waiting_for_the_state_file_lock_does_not_freeze_other_threads(tmp_path) -> None:
    import subprocess

    path = tmp_path / "state.json"
    client = iamlite.client("iam", state_file=path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys, time\n"
         f"f = open({str(path) + '.lock'!r}, 'a')\n"
         "fcntl.flock(f, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\n"
         "time.sleep(1.5)\n"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        waiter = threading.Thread(target=client.list_users, daemon=True)
        started = time.monotonic()
        waiter.start()
        time.sleep(0.1)  # the waiter now blocks on the lock
        stalled = time.monotonic() - started
        waiter.join(timeout=JOIN_TIMEOUT)
        assert not waiter.is_alive()
    finally:
        holder.kill()
        holder.wait()
    assert stalled < 0.8, f"the main thread could not run for {stalled:.2f}s while another thread waited for the lock"
