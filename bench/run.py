"""iamlite's benchmark suite: iamlite against moto, segno, the qrcode crate and the boto3 floor.

    python bench/run.py            # full run (several minutes; writes bench/results.json)
    python bench/run.py --quick    # about a minute: fewer rounds, smaller accounts, 100k memory only
    python bench/run.py --smoke    # a few seconds, for tests/test_bench_smoke.py (numbers meaningless)

Options: ``--json PATH`` (where to write the results; ``--smoke`` writes nothing unless given),
``--only create,enable,list,page,qr,memory,import`` (a subset of sections), ``--no-rust`` (skip the
qrcode-crate row, which builds a scratch crate under /tmp with cargo).

Every comparison runs its contestants interleaved in one process: each round times one batch of
each contestant in turn (the order rotates every round), so machine noise — this usually runs on
a small shared machine — hits every contestant alike. A contestant's figure is the median over the
rounds of (batch time / calls in the batch); the JSON file also keeps the quartiles. The markdown
table (for the README's "Performance" section) is printed at the end, with PASS/MISS against
iamlite's targets (informational only; the script exits 0 either way).

What is measured (see bench/README.md for the reasoning behind each choice):

* create — ``CreateVirtualMFADevice``: iamlite's native ``iamlite.resource("iam")``; a real boto3
  client under ``iamlite.mock_iam`` (botocore validates, iamlite answers with IAM's XML including a
  real QR PNG, botocore parses); a real boto3 client under ``moto.mock_aws`` (region us-east-1,
  dummy credentials; moto's "PNG" is 64 random bytes); and the boto3 floor: a boto3 client whose
  ``before-call`` handler returns a canned parsed response (no serialization, no transport, no
  parsing — what any in-process mock of boto3 costs at least).
* enable — ``EnableMFADevice`` with two real consecutive TOTP codes (precomputed; the account's
  clock is a ``FrozenClock``) for a fresh user/device pair per call: native client, boto3 under
  mock_iam, moto (which accepts any code), floor.
* list — paging through all of ListVirtualMFADevices (MaxItems=100, Marker) over N devices:
  native client, boto3 under mock_iam, moto; plus one page through boto3 under mock_iam vs the
  floor. Then the cost of one page (native, MaxItems=100) at the start vs near the end of a
  100 000-device account (the end marker comes from paging once; only the page call is timed).
* qr — the first read of ``device.qr_code_png`` (QR matrix + PNG, rendered lazily) vs segno
  (``segno.make(uri, error='m').save(buf, kind='png', scale=4)``) on the same otpauth URIs; and in
  Rust alone, ``iamlite::qr::png_for`` vs the qrcode crate's own default mask search
  (``QrCode::with_error_correction_level(uri, M)``) followed by the same PNG writer.
* memory — RSS growth per device after creating N devices through the native resource and dropping
  the returned objects (no QR read), each N in a fresh subprocess.
* import — ``import iamlite`` vs ``import boto3`` vs ``from moto import mock_aws``, each timed with
  ``time.perf_counter`` around the import in a fresh interpreter, median of several.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ACCOUNT = "123456789012"
NOW = 1_800_000_000  # FrozenClock time for the enable benchmark (2027-01-15)
BIG_QUOTAS = {
    "VirtualMFADevicesPerAccount": 10**9,
    "UsersPerAccount": 10**9,
}

# Dummy credentials for every boto3 client made here; no call ever leaves the process.
for _k, _v in (
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_SESSION_TOKEN", "testing"),
    ("AWS_DEFAULT_REGION", "us-east-1"),
):
    os.environ.setdefault(_k, _v)
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")


# ---------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Mode:
    name: str
    create_rounds: int
    enable_rounds: int
    list_devices: int  # the account paged through for the full-pagination rows
    list_rounds: int
    page_devices: int  # the account for the start-vs-end page row
    page_rounds: int
    page_batch: int
    qr_rounds: int
    qr_batch: int
    rust_rounds: int  # 0: skip the qrcode-crate row
    memory_sizes: Tuple[int, ...]
    import_runs: int
    # calls per batch, by contestant
    batch: Dict[str, int] = field(default_factory=dict)


MODES = {
    "full": Mode(
        name="full",
        create_rounds=500,
        enable_rounds=300,
        list_devices=10_000,
        list_rounds=11,
        page_devices=100_000,
        page_rounds=500,
        page_batch=10,
        qr_rounds=500,
        qr_batch=10,
        rust_rounds=3000,
        memory_sizes=(100_000, 1_000_000),
        import_runs=11,
        batch={"native": 100, "mock_iam": 5, "moto": 3, "floor": 20},
    ),
    "quick": Mode(
        name="quick",
        create_rounds=100,
        enable_rounds=60,
        list_devices=2_000,
        list_rounds=5,
        page_devices=100_000,
        page_rounds=100,
        page_batch=10,
        qr_rounds=100,
        qr_batch=10,
        rust_rounds=1000,
        memory_sizes=(100_000,),
        import_runs=5,
        batch={"native": 50, "mock_iam": 3, "moto": 2, "floor": 10},
    ),
    "smoke": Mode(
        name="smoke",
        create_rounds=3,
        enable_rounds=2,
        list_devices=250,
        list_rounds=1,
        page_devices=2_000,
        page_rounds=3,
        page_batch=2,
        qr_rounds=3,
        qr_batch=2,
        rust_rounds=0,
        memory_sizes=(2_000,),
        import_runs=1,
        batch={"native": 2, "mock_iam": 1, "moto": 1, "floor": 2},
    ),
}

SECTIONS = ("create", "enable", "list", "page", "qr", "memory", "import")


# ---------------------------------------------------------------------------- timing


@dataclass
class Timing:
    """Per-call nanoseconds, one sample per round (batch time / batch size)."""

    samples: List[float] = field(default_factory=list)
    calls: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def quartiles(self) -> Tuple[float, float]:
        if len(self.samples) < 2:
            return self.median, self.median
        q = statistics.quantiles(self.samples, n=4)
        return q[0], q[2]

    def as_json(self) -> Dict[str, Any]:
        p25, p75 = self.quartiles()
        return {"median_ns": self.median, "p25_ns": p25, "p75_ns": p75, "rounds": len(self.samples),
                "calls": self.calls}


@dataclass
class Contestant:
    """``run(n)`` makes n calls (inputs prepared beforehand); ``around`` wraps a batch without
    being timed (e.g. starting and stopping mock_iam)."""

    name: str
    batch: int
    run: Callable[[int], Any]
    enter: Optional[Callable[[], Any]] = None
    leave: Optional[Callable[[], Any]] = None


def interleave(contestants: Sequence[Contestant], rounds: int, warmup: int = 1) -> Dict[str, Timing]:
    """Round-robin: each round times one batch of every contestant; the order rotates per round."""
    out = {c.name: Timing() for c in contestants}
    clock = time.perf_counter_ns
    n = len(contestants)
    for r in range(warmup + rounds):
        for k in range(n):
            c = contestants[(r + k) % n]
            if c.enter is not None:
                c.enter()
            try:
                t0 = clock()
                c.run(c.batch)
                dt = clock() - t0
            finally:
                if c.leave is not None:
                    c.leave()
            if r >= warmup:
                out[c.name].samples.append(dt / c.batch)
                out[c.name].calls += c.batch
    return out


def feeder(items: Sequence[Any]) -> Callable[[], Any]:
    """next() over prepared inputs, with a clear error if a section prepared too few."""
    it = iter(items)

    def take() -> Any:
        try:
            return next(it)
        except StopIteration:
            raise RuntimeError("benchmark prepared too few inputs") from None

    return take


def needed(mode: Mode, who: str, rounds: int, warmup: int = 1) -> int:
    return (rounds + warmup) * mode.batch[who]


# ---------------------------------------------------------------------------- result rows


@dataclass
class Row:
    section: str
    key: str
    label: str
    value: str  # iamlite's figure, formatted
    versus: str  # the other side, formatted ("" when none)
    ratio: str  # formatted ratio ("" when none)
    target: str = ""
    status: str = ""  # PASS / MISS / ""
    note: str = ""
    data: Dict[str, Any] = field(default_factory=dict)


def fmt_ns(ns: float) -> str:
    if ns < 1_000:
        return f"{ns:.0f} ns"
    if ns < 1_000_000:
        return f"{ns / 1_000:.1f} µs" if ns < 100_000 else f"{ns / 1_000:.0f} µs"
    if ns < 1_000_000_000:
        return f"{ns / 1_000_000:.2f} ms" if ns < 100_000_000 else f"{ns / 1_000_000:.0f} ms"
    return f"{ns / 1_000_000_000:.2f} s"


def fmt_ratio(r: float) -> str:
    if r >= 100:
        return f"{r:,.0f}×"
    if r >= 10:
        return f"{r:.1f}×"
    return f"{r:.2f}×"


def speedup_row(section: str, key: str, label: str, mine: Timing, other: Timing, other_label: str,
                target: Optional[float] = None, note: str = "") -> Row:
    ratio = other.median / mine.median
    status = ""
    target_text = ""
    if target is not None:
        target_text = f"≥ {target:g}× faster"
        status = "PASS" if ratio >= target else "MISS"
    return Row(section, key, label, fmt_ns(mine.median), f"{other_label}: {fmt_ns(other.median)}",
               f"{fmt_ratio(ratio)} faster", target_text, status, note,
               {"iamlite": mine.as_json(), "other": other.as_json(), "other_label": other_label,
                "ratio_other_over_iamlite": ratio})


# ---------------------------------------------------------------------------- shared set-up


def _boto3_client() -> Any:
    import boto3

    return boto3.session.Session().client(
        "iam", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )


class CannedHTTP:
    """The AWSResponse-like first half of a ``before-call`` answer."""

    status_code = 200
    headers: Dict[str, str] = {}
    content = b""
    text = ""
    raw = None


def floor_client(answers: Dict[str, Callable[[], Dict[str, Any]]]) -> Any:
    """A real boto3 IAM client whose ``before-call`` handler returns a canned parsed response:
    botocore still validates parameters, resolves the endpoint, builds the request dict and runs
    every event; nothing is serialized to XML, sent or parsed. ``answers`` maps operation names to
    a factory for the parsed response (a fresh dict per call, as a real parse would give)."""
    client = _boto3_client()

    def before_call(model: Any, **_: Any) -> Any:
        return CannedHTTP, answers[model.name]()

    client.meta.events.register("before-call.iam", before_call)
    return client


def response_metadata() -> Dict[str, Any]:
    return {
        "RequestId": "4e2f8d6a-0f5e-4d4b-9b1c-1f7a3c2b9e10",
        "HTTPStatusCode": 200,
        "HTTPHeaders": {"x-amzn-requestid": "4e2f8d6a-0f5e-4d4b-9b1c-1f7a3c2b9e10",
                        "content-type": "text/xml", "content-length": "2500",
                        "date": "Fri, 15 Jan 2027 08:00:00 GMT"},
        "RetryAttempts": 0,
    }


class Moto:
    """A fresh ``moto.mock_aws`` for one section (started in __enter__, stopped in __exit__)."""

    def __enter__(self) -> "Moto":
        from moto import mock_aws

        self._mock = mock_aws()
        self._mock.start()
        self.client = _boto3_client()
        return self

    def backend(self) -> Any:
        from moto.iam.models import iam_backends

        return iam_backends[ACCOUNT]["global"]

    def __exit__(self, *exc: Any) -> None:
        self._mock.stop()


class MockIam:
    """An ``iamlite.mock_iam`` whose boto3 client is made while it is active and which is only
    active around its own batches (so moto and the floor are never routed to iamlite)."""

    def __init__(self, **options: Any) -> None:
        import iamlite

        self.mock = iamlite.mock_iam(quotas=BIG_QUOTAS, **options)
        with self.mock:
            self.client = _boto3_client()

    def enter(self) -> None:
        self.mock.start()

    def leave(self) -> None:
        self.mock.stop()


# ---------------------------------------------------------------------------- sections


def bench_create(mode: Mode, rows: List[Row], log: Callable[[str], None]) -> None:
    import iamlite

    rounds = mode.create_rounds
    log(f"create: {rounds} rounds × batches {mode.batch}")
    iam = iamlite.resource("iam", quotas=BIG_QUOTAS)
    native_names = [{"VirtualMFADeviceName": f"native-{i:07d}"} for i in range(needed(mode, "native", rounds))]
    mock = MockIam()
    mock_names = [{"VirtualMFADeviceName": f"boto3-{i:07d}"} for i in range(needed(mode, "mock_iam", rounds))]
    moto_names = [{"VirtualMFADeviceName": f"moto-{i:07d}"} for i in range(needed(mode, "moto", rounds))]
    floor_names = [{"VirtualMFADeviceName": f"floor-{i:07d}"} for i in range(needed(mode, "floor", rounds))]

    # The floor answers with what iamlite's mock answers: a real seed and a real PNG.
    sample = iam.create_virtual_mfa_device(VirtualMFADeviceName="floor-sample")
    seed, png = bytes(sample.base32_string_seed), bytes(sample.qr_code_png)

    def canned_create() -> Dict[str, Any]:
        return {"VirtualMFADevice": {"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/floor",
                                     "Base32StringSeed": seed, "QRCodePNG": png},
                "ResponseMetadata": response_metadata()}

    floor = floor_client({"CreateVirtualMFADevice": canned_create})

    # Sanity: the boto3 path returns a real PNG.
    with mock.mock:
        got = mock.client.create_virtual_mfa_device(VirtualMFADeviceName="png-check")["VirtualMFADevice"]
    assert got["QRCodePNG"].startswith(b"\x89PNG\r\n\x1a\n"), "mock_iam did not return a PNG"

    with Moto() as moto:
        def batch_of(call: Callable[..., Any], items: List[Dict[str, Any]]) -> Callable[[int], None]:
            take = feeder(items)

            def run(n: int) -> None:
                for _ in range(n):
                    call(**take())

            return run

        t = interleave([
            Contestant("native", mode.batch["native"], batch_of(iam.create_virtual_mfa_device, native_names)),
            Contestant("mock_iam", mode.batch["mock_iam"],
                       batch_of(mock.client.create_virtual_mfa_device, mock_names), mock.enter, mock.leave),
            Contestant("moto", mode.batch["moto"], batch_of(moto.client.create_virtual_mfa_device, moto_names)),
            Contestant("floor", mode.batch["floor"], batch_of(floor.create_virtual_mfa_device, floor_names)),
        ], rounds)

    rows.append(speedup_row("create", "create_native_vs_moto",
                            "CreateVirtualMFADevice — native `iam.create_virtual_mfa_device`",
                            t["native"], t["moto"], "moto", target=300,
                            note="QR PNG rendered lazily, on first read of `qr_code_png`"))
    rows.append(speedup_row("create", "create_boto3_vs_moto",
                            "CreateVirtualMFADevice — real boto3 client under `mock_iam` (real PNG in the response)",
                            t["mock_iam"], t["moto"], "moto", target=5,
                            note="moto's QRCodePNG is 64 random bytes, not a PNG"))
    rows.append(floor_row("create", "create_boto3_vs_floor", "CreateVirtualMFADevice — boto3 under `mock_iam` vs the boto3 floor",
                          t["mock_iam"], t["floor"]))


def floor_row(section: str, key: str, label: str, mock: Timing, floor: Timing) -> Row:
    ratio = mock.median / floor.median
    return Row(section, key, label, fmt_ns(mock.median), f"floor: {fmt_ns(floor.median)}",
               f"{fmt_ratio(ratio)} the floor", "", "",
               "floor: a boto3 client whose `before-call` handler returns a canned parsed response",
               {"iamlite": mock.as_json(), "other": floor.as_json(), "other_label": "floor",
                "ratio_iamlite_over_floor": ratio})


def bench_enable(mode: Mode, rows: List[Row], log: Callable[[str], None]) -> None:
    import iamlite

    rounds = mode.enable_rounds
    log(f"enable: {rounds} rounds")
    clock = iamlite.FrozenClock(NOW)

    def codes(seed: bytes) -> Tuple[str, str]:
        totp = iamlite.TOTP(seed)
        return totp.at(NOW - 30), totp.at(NOW)

    # native: one user and one device per call, set up through the native client (not timed)
    iam = iamlite.resource("iam", clock=clock, quotas=BIG_QUOTAS)
    client = iam.meta.client
    native_calls = []
    for i in range(needed(mode, "native", rounds)):
        name = f"native-{i:06d}"
        client.create_user(UserName=name)
        device = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)
        c1, c2 = codes(device.base32_string_seed)
        native_calls.append({"UserName": name, "SerialNumber": device.serial_number,
                             "AuthenticationCode1": c1, "AuthenticationCode2": c2})

    mock = MockIam(clock=clock)
    mock_calls = []
    with mock.mock:
        for i in range(needed(mode, "mock_iam", rounds)):
            name = f"boto3-{i:06d}"
            mock.client.create_user(UserName=name)
            d = mock.client.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
            c1, c2 = codes(d["Base32StringSeed"])
            mock_calls.append({"UserName": name, "SerialNumber": d["SerialNumber"],
                               "AuthenticationCode1": c1, "AuthenticationCode2": c2})
    # Sanity: a wrong code is refused (the verification is real).
    with mock.mock:
        mock.client.create_user(UserName="wrong-code")
        d = mock.client.create_virtual_mfa_device(VirtualMFADeviceName="wrong-code")["VirtualMFADevice"]
        try:
            mock.client.enable_mfa_device(UserName="wrong-code", SerialNumber=d["SerialNumber"],
                                          AuthenticationCode1="000000", AuthenticationCode2="000000")
        except mock.client.exceptions.InvalidAuthenticationCodeException:
            pass
        else:  # pragma: no cover - one in 10^12
            raise AssertionError("iamlite accepted a wrong code pair")

    floor = floor_client({"EnableMFADevice": lambda: {"ResponseMetadata": response_metadata()}})
    floor_calls = [{"UserName": f"floor-{i}", "SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/floor-{i}",
                    "AuthenticationCode1": "123456", "AuthenticationCode2": "234567"}
                   for i in range(needed(mode, "floor", rounds))]

    with Moto() as moto:
        moto_calls = []
        for i in range(needed(mode, "moto", rounds)):
            name = f"moto-{i:06d}"
            moto.client.create_user(UserName=name)
            d = moto.client.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
            moto_calls.append({"UserName": name, "SerialNumber": d["SerialNumber"],
                               "AuthenticationCode1": "123456", "AuthenticationCode2": "234567"})

        def batch_of(call: Callable[..., Any], items: List[Dict[str, Any]]) -> Callable[[int], None]:
            take = feeder(items)

            def run(n: int) -> None:
                for _ in range(n):
                    call(**take())

            return run

        t = interleave([
            Contestant("native", mode.batch["native"], batch_of(client.enable_mfa_device, native_calls)),
            Contestant("mock_iam", mode.batch["mock_iam"], batch_of(mock.client.enable_mfa_device, mock_calls),
                       mock.enter, mock.leave),
            Contestant("moto", mode.batch["moto"], batch_of(moto.client.enable_mfa_device, moto_calls)),
            Contestant("floor", mode.batch["floor"], batch_of(floor.enable_mfa_device, floor_calls)),
        ], rounds)

    rows.append(speedup_row("enable", "enable_native_vs_moto",
                            "EnableMFADevice (real TOTP pair check) — native client", t["native"], t["moto"],
                            "moto", note="moto accepts any code pair"))
    rows.append(speedup_row("enable", "enable_boto3_vs_moto",
                            "EnableMFADevice (real TOTP pair check) — boto3 under `mock_iam`", t["mock_iam"],
                            t["moto"], "moto", note="moto accepts any code pair"))
    rows.append(floor_row("enable", "enable_boto3_vs_floor", "EnableMFADevice — boto3 under `mock_iam` vs the boto3 floor",
                          t["mock_iam"], t["floor"]))


def page_through(call: Callable[..., Dict[str, Any]], max_items: int = 100) -> int:
    """Every page of ListVirtualMFADevices; returns the number of devices seen."""
    seen = 0
    resp = call(MaxItems=max_items)
    seen += len(resp["VirtualMFADevices"])
    while resp.get("IsTruncated"):
        resp = call(MaxItems=max_items, Marker=resp["Marker"])
        seen += len(resp["VirtualMFADevices"])
    return seen


def bench_list(mode: Mode, rows: List[Row], log: Callable[[str], None]) -> None:
    import iamlite

    n = mode.list_devices
    log(f"list: full pagination over {n:,} devices, {mode.list_rounds} rounds")
    # Set-up goes through each side's fastest door; only the list calls are timed.
    iam = iamlite.resource("iam", quotas=BIG_QUOTAS)
    client = iam.meta.client
    mock = MockIam()
    for i in range(n):
        iam.create_virtual_mfa_device(VirtualMFADeviceName=f"device-{i:07d}")
        mock.mock.resource.create_virtual_mfa_device(VirtualMFADeviceName=f"device-{i:07d}")

    # One 100-item page: boto3 under mock_iam vs the floor answering the same page.
    with mock.mock:
        canned_page = mock.client.list_virtual_mfa_devices(MaxItems=100)
    canned_page.pop("ResponseMetadata", None)

    def canned_list() -> Dict[str, Any]:
        out = dict(canned_page)
        out["VirtualMFADevices"] = [dict(d) for d in canned_page["VirtualMFADevices"]]
        out["ResponseMetadata"] = response_metadata()
        return out

    floor = floor_client({"ListVirtualMFADevices": canned_list})

    with Moto() as moto:
        backend = moto.backend()
        for i in range(n):
            backend.create_virtual_mfa_device(f"device-{i:07d}", "/")

        def full(call: Callable[..., Dict[str, Any]]) -> Callable[[int], None]:
            def run(k: int) -> None:
                for _ in range(k):
                    seen = page_through(call)
                    if seen != n:
                        raise AssertionError(f"paged {seen} devices, expected {n}")

            return run

        t = interleave([
            Contestant("native", 1, full(client.list_virtual_mfa_devices)),
            Contestant("mock_iam", 1, full(mock.client.list_virtual_mfa_devices), mock.enter, mock.leave),
            Contestant("moto", 1, full(moto.client.list_virtual_mfa_devices)),
        ], mode.list_rounds)

    def one_page(call: Callable[..., Any]) -> Callable[[int], None]:
        def run(k: int) -> None:
            for _ in range(k):
                call(MaxItems=100)

        return run

    page_rounds = max(3, mode.create_rounds // 2)
    tp = interleave([
        Contestant("mock_iam", mode.batch["mock_iam"], one_page(mock.client.list_virtual_mfa_devices),
                   mock.enter, mock.leave),
        Contestant("floor", mode.batch["floor"], one_page(floor.list_virtual_mfa_devices)),
    ], page_rounds)

    size = f"{n:,}"
    note = "" if n >= 10_000 else f"{size} devices (the full run uses 10,000)"
    rows.append(speedup_row("list", "list_native_vs_moto",
                            f"ListVirtualMFADevices, all pages of {size} devices (MaxItems=100) — native client",
                            t["native"], t["moto"], "moto", note=note))
    rows.append(speedup_row("list", "list_boto3_vs_moto",
                            f"ListVirtualMFADevices, all pages of {size} devices (MaxItems=100) — boto3 under `mock_iam`",
                            t["mock_iam"], t["moto"], "moto", note=note))
    rows.append(floor_row("list", "list_page_boto3_vs_floor",
                          "ListVirtualMFADevices, one 100-item page — boto3 under `mock_iam` vs the boto3 floor",
                          tp["mock_iam"], tp["floor"]))
    for r in rows[-3:]:
        r.data["devices"] = n


def bench_page(mode: Mode, rows: List[Row], log: Callable[[str], None]) -> None:
    import iamlite

    n = mode.page_devices
    log(f"page: one page at the start vs the end of {n:,} devices, {mode.page_rounds} rounds")
    iam = iamlite.resource("iam", quotas=BIG_QUOTAS)
    client = iam.meta.client
    for i in range(n):
        iam.create_virtual_mfa_device(VirtualMFADeviceName=f"device-{i:07d}")
    # Page once to a marker 200 devices before the end (markers are opaque).
    target = n - 200
    seen = 0
    marker = None
    while seen < target:
        step = min(1000, target - seen)
        kw: Dict[str, Any] = {"MaxItems": step}
        if marker is not None:
            kw["Marker"] = marker
        resp = client.list_virtual_mfa_devices(**kw)
        seen += len(resp["VirtualMFADevices"])
        marker = resp["Marker"]
    end = client.list_virtual_mfa_devices(MaxItems=100, Marker=marker)
    assert len(end["VirtualMFADevices"]) == 100 and end["IsTruncated"]
    assert end["VirtualMFADevices"][0]["SerialNumber"].endswith(f"device-{target:07d}")

    call = client.list_virtual_mfa_devices

    def start_page(k: int) -> None:
        for _ in range(k):
            call(MaxItems=100)

    def end_page(k: int) -> None:
        for _ in range(k):
            call(MaxItems=100, Marker=marker)

    t = interleave([Contestant("start", mode.page_batch, start_page),
                    Contestant("end", mode.page_batch, end_page)], mode.page_rounds)
    ratio = t["end"].median / t["start"].median
    ok = 0.8 <= ratio <= 1.25
    rows.append(Row("page", "page_end_vs_start",
                    f"One 100-item page near the end vs at the start of {n:,} devices — native client",
                    f"end: {fmt_ns(t['end'].median)}", f"start: {fmt_ns(t['start'].median)}",
                    f"{ratio:.2f} (end/start)", "≈ 1 (0.8–1.25)", "PASS" if ok else "MISS",
                    "marker from paging once; only the page call is timed",
                    {"end": t["end"].as_json(), "start": t["start"].as_json(), "ratio_end_over_start": ratio,
                     "devices": n}))


def bench_qr(mode: Mode, rows: List[Row], log: Callable[[str], None], rust: bool) -> None:
    import iamlite
    import segno

    rounds, batch = mode.qr_rounds, mode.qr_batch
    log(f"qr: {rounds} rounds × {batch}")
    iam = iamlite.resource("iam", quotas=BIG_QUOTAS)
    total = (rounds + 1) * batch
    devices = [iam.create_virtual_mfa_device(VirtualMFADeviceName=f"alice-{i:06d}") for i in range(total)]
    uris = [d._otpauth_uri() for d in devices]
    # segno gets its own copy of the same URIs, in the same order.
    take_dev = feeder(devices)
    take_uri = feeder(uris)

    def first_read(k: int) -> None:
        for _ in range(k):
            take_dev().qr_code_png

    def segno_png(k: int) -> None:
        for _ in range(k):
            buf = io.BytesIO()
            segno.make(take_uri(), error="m").save(buf, kind="png", scale=4)

    t = interleave([Contestant("iamlite", batch, first_read), Contestant("segno", batch, segno_png)], rounds)
    target_ns = 100_000
    mine = t["iamlite"].median
    row = speedup_row("qr", "qr_png_vs_segno", "QR code + PNG, first read of `device.qr_code_png`",
                      t["iamlite"], t["segno"], "segno", note="same otpauth URIs; segno error='m', scale=4")
    row.target = "≤ 100 µs"
    row.status = "PASS" if mine <= target_ns else "MISS"
    rows.append(row)

    if not rust or mode.rust_rounds == 0:
        return
    res = rust_qr(mode.rust_rounds, log)
    if isinstance(res, str):
        rows.append(Row("qr", "qr_rust_vs_qrcode_crate", "QR code + PNG in Rust — `iamlite::qr::png_for`",
                        "skipped", "", "", note=res))
        return
    rt = {k: Timing(v, len(v)) for k, v in res.items()}
    r = speedup_row("qr", "qr_rust_vs_qrcode_crate",
                    "QR code + PNG in Rust (no Python) — `iamlite::qr::png_for`",
                    rt["iamlite_png"], rt["crate_png"], "qrcode crate's mask search + same PNG writer",
                    note="same mask as the crate's `apply_best_mask`")
    r.data["matrix_only"] = {"iamlite": rt["iamlite_matrix"].as_json(), "crate": rt["crate_matrix"].as_json()}
    rows.append(r)
    rows.append(speedup_row("qr", "qr_matrix_rust_vs_qrcode_crate",
                            "QR matrix only in Rust — `iamlite::qr::encode`", rt["iamlite_matrix"],
                            rt["crate_matrix"], "`QrCode::with_error_correction_level(uri, M)`"))


RUST_CRATE = "/tmp/iamlite-bench-qr"
RUST_TARGET = os.environ.get("IAMLITE_BENCH_TARGET", "/tmp/bench-target")


def rust_qr(rounds: int, log: Callable[[str], None]) -> Any:
    """Builds (on demand) and runs bench/qrcode_ref/main.rs in a scratch crate under /tmp that
    depends on iamlite by path (no Python feature) and on the qrcode crate. Returns
    {row: [ns, ...]} or a string saying why the row was skipped."""
    cargo = shutil.which("cargo")
    if cargo is None:
        return "cargo not found"
    os.makedirs(os.path.join(RUST_CRATE, "src"), exist_ok=True)
    manifest = f"""[package]
name = "iamlite-bench-qr"
version = "0.0.0"
edition = "2021"
publish = false

[[bin]]
name = "qrcode_ref"
path = "src/main.rs"

[dependencies]
iamlite = {{ path = {json.dumps(ROOT)}, default-features = false }}
qrcode = {{ version = "0.14", default-features = false }}
png = "0.18"

[profile.release]
lto = "thin"
codegen-units = 4

[workspace]
"""
    with open(os.path.join(RUST_CRATE, "Cargo.toml"), "w") as f:
        f.write(manifest)
    shutil.copyfile(os.path.join(HERE, "qrcode_ref", "main.rs"), os.path.join(RUST_CRATE, "src", "main.rs"))
    lock = os.path.join(RUST_CRATE, "Cargo.lock")
    if not os.path.exists(lock):  # the same dependency versions iamlite is built with
        shutil.copyfile(os.path.join(ROOT, "Cargo.lock"), lock)
    env = dict(os.environ, CARGO_TARGET_DIR=RUST_TARGET)
    log("qr: building the Rust reference (cargo build --release, first time ~1 min)")
    build = [cargo, "build", "--release", "--quiet", "--manifest-path", os.path.join(RUST_CRATE, "Cargo.toml")]
    proc = subprocess.run(build + ["--offline"], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        proc = subprocess.run(build, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return "cargo build failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    exe = os.path.join(RUST_TARGET, "release", "qrcode_ref")
    proc = subprocess.run([exe, str(rounds)], capture_output=True, text=True)
    if proc.returncode != 0:
        return "qrcode_ref failed: " + proc.stderr.strip()[-200:]
    return json.loads(proc.stdout)


# ---------------------------------------------------------------------------- subprocess sections


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: peak RSS is the best available
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def child_memory(n: int) -> None:
    """In a fresh interpreter: RSS growth for n devices made through the native resource."""
    import iamlite

    iam = iamlite.resource("iam", quotas=BIG_QUOTAS)
    create = iam.create_virtual_mfa_device
    # Warm the path (first-call caches, the support module) before the baseline.
    for i in range(100):
        create(VirtualMFADeviceName=f"warmup-{i:07d}")
    gc.collect()
    before = _rss_bytes()
    t0 = time.perf_counter()
    for i in range(n):
        create(VirtualMFADeviceName=f"device-{i:07d}")  # the returned object is dropped at once
    elapsed = time.perf_counter() - t0
    gc.collect()
    after = _rss_bytes()
    counts = iam._counts()
    print(json.dumps({"n": n, "before": before, "after": after, "seconds": elapsed, "devices": counts[0]}))


def bench_memory(mode: Mode, rows: List[Row], log: Callable[[str], None]) -> None:
    for n in mode.memory_sizes:
        log(f"memory: {n:,} devices in a fresh interpreter")
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--child-memory", str(n)],
                              capture_output=True, text=True, check=True)
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        per = (res["after"] - res["before"]) / n
        row = Row("memory", f"rss_per_device_{n}", f"RSS per device at {n:,} devices (native resource, no QR read)",
                  f"{per:.0f} B/device", "", "", note=f"RSS +{(res['after'] - res['before']) / 2**20:.1f} MiB "
                  f"over {n:,} devices; created in {res['seconds']:.1f} s", data=res | {"bytes_per_device": per})
        if n == 1_000_000:
            row.target = "≤ 400 B/device"
            row.status = "PASS" if per <= 400 else "MISS"
        rows.append(row)


IMPORTS = {
    "iamlite": "import iamlite",
    "boto3": "import boto3",
    "moto": "from moto import mock_aws",
}


def bench_import(mode: Mode, rows: List[Row], log: Callable[[str], None]) -> None:
    log(f"import: {mode.import_runs} fresh interpreters per module")
    samples: Dict[str, List[float]] = {k: [] for k in IMPORTS}
    names = list(IMPORTS)
    for r in range(mode.import_runs + 1):  # the first round warms the OS file cache
        for k in range(len(names)):
            name = names[(r + k) % len(names)]
            code = (f"import time; t = time.perf_counter(); {IMPORTS[name]}; "
                    "print(time.perf_counter() - t)")
            proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            if r > 0:
                samples[name].append(float(proc.stdout.strip()) * 1e9)
    t = {k: Timing(v, len(v)) for k, v in samples.items()}
    mine = t["iamlite"].median
    rows.append(Row("import", "import_iamlite", "`import iamlite` (fresh interpreter)", fmt_ns(mine),
                    f"`import boto3`: {fmt_ns(t['boto3'].median)}; `from moto import mock_aws`: {fmt_ns(t['moto'].median)}",
                    f"{fmt_ratio(t['boto3'].median / mine)} faster than boto3", "≤ 20 ms",
                    "PASS" if mine <= 20e6 else "MISS", "",
                    {k: v.as_json() for k, v in t.items()}))


# ---------------------------------------------------------------------------- report


def markdown(rows: List[Row], mode: Mode, meta: Dict[str, Any]) -> str:
    lines = [
        f"| Benchmark | iamlite | Compared with | Ratio | Target | |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        label = r.label + (f" <sub>({r.note})</sub>" if r.note else "")
        lines.append(f"| {label} | {r.value} | {r.versus} | {r.ratio} | {r.target} | {r.status} |")
    lines.append("")
    lines.append(
        f"Medians of interleaved rounds; mode `{mode.name}`; {meta['machine']['cpu']} "
        f"({meta['machine']['cpus']} CPUs), Python {meta['versions']['python']}, "
        f"iamlite {meta['versions']['iamlite']}, boto3 {meta['versions']['boto3']}, "
        f"moto {meta['versions']['moto']}, segno {meta['versions']['segno']}."
    )
    return "\n".join(lines)


def machine_info() -> Dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass

    def version(mod: str) -> str:
        try:
            from importlib.metadata import version as v

            return v(mod)
        except Exception:
            return "?"

    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = ""
    return {
        "machine": {"cpu": cpu, "cpus": os.cpu_count(), "platform": platform.platform()},
        "versions": {"python": platform.python_version(), "iamlite": version("iamlite"),
                     "boto3": version("boto3"), "botocore": version("botocore"), "moto": version("moto"),
                     "segno": version("segno")},
        "commit": commit,
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true", help="about a minute")
    g.add_argument("--smoke", action="store_true", help="seconds; numbers are meaningless")
    p.add_argument("--json", metavar="PATH", help="results file (default bench/results.json; none for --smoke)")
    p.add_argument("--only", metavar="SECTIONS", help=f"comma-separated subset of {','.join(SECTIONS)}")
    p.add_argument("--no-rust", action="store_true", help="skip the qrcode-crate row (needs cargo)")
    p.add_argument("--child-memory", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.child_memory is not None:
        child_memory(args.child_memory)
        return 0

    mode = MODES["smoke" if args.smoke else "quick" if args.quick else "full"]
    sections = SECTIONS
    if args.only:
        sections = tuple(s.strip() for s in args.only.split(",") if s.strip())
        unknown = set(sections) - set(SECTIONS)
        if unknown:
            p.error(f"unknown sections: {', '.join(sorted(unknown))}")
    json_path = args.json or (None if args.smoke else os.path.join(HERE, "results.json"))

    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {msg}", file=sys.stderr, flush=True)

    rows: List[Row] = []
    for s in sections:
        t0 = time.perf_counter()
        if s == "qr":
            bench_qr(mode, rows, log, rust=not args.no_rust)
        else:
            {"create": bench_create, "enable": bench_enable, "list": bench_list, "page": bench_page,
             "memory": bench_memory, "import": bench_import}[s](mode, rows, log)
        gc.collect()
        log(f"{s}: done in {time.perf_counter() - t0:.1f} s")

    meta = machine_info()
    table = markdown(rows, mode, meta)
    print(table)
    if json_path:
        result = {
            "mode": mode.name,
            "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 1),
            **meta,
            "rows": [{"section": r.section, "key": r.key, "label": r.label, "value": r.value,
                      "versus": r.versus, "ratio": r.ratio, "target": r.target, "status": r.status,
                      "note": r.note, "data": r.data} for r in rows],
            "markdown": table,
        }
        with open(json_path, "w") as f:
            json.dump(result, f, indent=1, ensure_ascii=False)
            f.write("\n")
        log(f"wrote {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
