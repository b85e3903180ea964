"""The examples run: the quick-start notebook executes headless (nbclient + ipykernel) and shows a
scannable QR code, an Assigned device and never the seed; ``create_device.py`` writes a QR PNG."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOK = EXAMPLES / "quickstart.ipynb"
ACCOUNT = "123456789012"
URI = re.compile(
    r"^otpauth://totp/Amazon%20Web%20Services:(?P<name>[\w+=,.@-]+)@" + ACCOUNT
    + r"\?secret=(?P<secret>[A-Z2-7]{64})&issuer=Amazon%20Web%20Services$"
)


def _qr_texts(png: bytes) -> list:
    """Texts of the QR codes (only QR codes) zxing-cpp finds in a PNG."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]


def _kernel_manager(tmp_path: Path):
    """A KernelManager for a ``python3`` kernel running *this* interpreter.

    The kernelspec is written to a private directory, so the test neither depends on a registered
    kernelspec (a fresh ``pip install ipykernel`` may have none, or one for another Python) nor
    changes the machine's Jupyter configuration.
    """
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    kernels = tmp_path / "kernels"
    kernels.mkdir()
    write_kernel_spec(str(kernels / "python3"))  # argv[0] is sys.executable
    ksm = KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=False)
    assert ksm.get_kernel_spec("python3").argv[0] == sys.executable
    return KernelManager(kernel_name="python3", kernel_spec_manager=ksm)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")

    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    km = _kernel_manager(tmp_path_factory.mktemp("jupyter"))
    client = nbclient.NotebookClient(
        nb,
        km=km,
        kernel_name="python3",
        timeout=60,
        startup_timeout=60,
        allow_errors=False,
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()
    return nb


def _outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                yield cell, out


def _all_output_text(nb) -> str:
    """Every output as text: streams, every mimebundle entry (images as their base64), errors."""
    return json.dumps([out for _, out in _outputs(nb)])


def test_notebook_is_valid_and_committed_without_outputs():
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.kernelspec.name == "python3"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_notebook_runs_without_errors(executed):
    errors = [out for _, out in _outputs(executed) if out.output_type == "error"]
    assert errors == []
    streams = [out.text for _, out in _outputs(executed) if out.output_type == "stream"]
    assert not any(out.name == "stderr" for _, out in _outputs(executed) if out.output_type == "stream"), streams


def _decoded_uris(nb) -> list:
    uris = []
    for _, out in _outputs(nb):
        png = out.get("data", {}).get("image/png")
        if png:
            uris.extend(_qr_texts(base64.b64decode(png)))
    return uris


def test_device_cell_shows_a_scannable_qr_code(executed):
    uris = _decoded_uris(executed)
    assert len(uris) == 1, uris
    m = URI.match(uris[0])
    assert m, uris[0]
    assert m.group("name") == "alice-phone"
    query = parse_qs(urlsplit(uris[0]).query)
    assert query["issuer"] == ["Amazon Web Services"]

    # The same cell shows the HTML card, whose embedded image is the same QR code.
    cell = next(c for c, out in _outputs(executed) if "image/png" in out.get("data", {}))
    bundle = next(out.data for out in cell.outputs if "image/png" in out.get("data", {}))
    html = bundle["text/html"]
    assert "alice-phone" in html and "iamlite-card" in html
    embedded = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html)
    assert embedded and _qr_texts(base64.b64decode(embedded.group(1))) == uris


def test_listing_shows_the_device_assigned(executed):
    serial = f"arn:aws:iam::{ACCOUNT}:mfa/alice-phone"
    tables = [
        out.data["text/html"]
        for _, out in _outputs(executed)
        if "iamlite-collection" in out.get("data", {}).get("text/html", "")
    ]
    assert tables, "no collection table in the outputs"
    assert serial in tables[0]
    assert '<span class="iamlite-status">Assigned</span>' in tables[0]
    assert "<td>alice</td>" in tables[0]
    printed = "".join(out.text for _, out in _outputs(executed) if out.output_type == "stream")
    assert f"{serial} Assigned to alice" in printed


def test_no_output_contains_the_seed(executed):
    (uri,) = _decoded_uris(executed)
    seed = parse_qs(urlsplit(uri).query)["secret"][0]
    assert len(seed) == 64
    text = _all_output_text(executed)
    for form in (seed, seed.lower(), base64.b64encode(seed.encode()).decode(), repr(seed.encode())):
        assert form not in text
    # The sources never print it either.
    assert "print(device.base32_string_seed" not in json.dumps([c.source for c in executed.cells])


def test_create_device_script_writes_a_qr_png(tmp_path):
    out = tmp_path / "device.png"
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "create_device.py"), str(out)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"arn:aws:iam::{ACCOUNT}:mfa/" in proc.stdout
    assert str(out) in proc.stdout
    (uri,) = _qr_texts(out.read_bytes())
    m = URI.match(uri)
    assert m, uri
    assert m.group("secret") not in proc.stdout + proc.stderr
    assert out.stat().st_mode & 0o077 == 0


def test_create_device_script_default_path(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "create_device.py")],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "qr.png" in proc.stdout
    assert _qr_texts((tmp_path / "qr.png").read_bytes())
