"""Shared fixtures for iamlite's own tests (the public pytest plugin has its own in
``iamlite.pytest_plugin``)."""

from __future__ import annotations

import io

import pytest

import iamlite

ACCOUNT = "123456789012"
NOW = 1_800_000_000  # a fixed epoch second, 2027-01-15


@pytest.fixture
def clock() -> iamlite.FrozenClock:
    return iamlite.FrozenClock(NOW)


@pytest.fixture
def iam(clock):
    return iamlite.resource("iam", clock=clock)


@pytest.fixture
def client(iam):
    return iam.meta.client


def decode_qr(png: bytes) -> str:
    """The text of the single QR code in a PNG, read by zxing-cpp."""
    import zxingcpp
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1, results
    return results[0].text
