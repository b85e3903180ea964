"""The benchmark suite (bench/run.py) runs end to end in its --smoke mode, so it cannot rot.

No timing is asserted: smoke numbers come from a handful of calls and mean nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("boto3")
pytest.importorskip("moto")
pytest.importorskip("segno")

RUN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench", "run.py")


def test_bench_smoke(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, RUN, "--smoke", "--no-rust", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("| Benchmark |"), proc.stdout[:500]

    result = json.loads(out.read_text())
    assert result["mode"] == "smoke"
    keys = {row["key"] for row in result["rows"]}
    assert {
        "create_native_vs_moto",
        "create_boto3_vs_moto",
        "create_boto3_vs_floor",
        "enable_native_vs_moto",
        "enable_boto3_vs_moto",
        "enable_boto3_vs_floor",
        "list_native_vs_moto",
        "list_boto3_vs_moto",
        "list_page_boto3_vs_floor",
        "page_end_vs_start",
        "qr_png_vs_segno",
        "import_iamlite",
    } <= keys
    assert any(k.startswith("rss_per_device_") for k in keys)
    for row in result["rows"]:
        assert row["status"] in ("PASS", "MISS", ""), row
        # every row's label appears in the markdown table the lead pastes into the README
        assert row["label"] in result["markdown"]
