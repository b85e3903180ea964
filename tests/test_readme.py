"""The README's Python examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def python_block(after_heading: str) -> str:
    section = README[README.index(after_heading):]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, after_heading
    return match.group(1)


def test_intro_example_runs():
    namespace: dict = {}
    exec(python_block("# iamlite"), namespace)
    device = namespace["device"]
    assert device.serial_number == "arn:aws:iam::123456789012:mfa/ops/alice"
    assert len(device.base32_string_seed) == 64


def test_quick_start_runs():
    namespace: dict = {}
    exec(python_block("## Quick start"), namespace)
    client = namespace["client"]
    assert client.list_virtual_mfa_devices()["VirtualMFADevices"] == []
    assert client.list_mfa_devices(UserName="alice")["MFADevices"] == []
