"""Create a virtual MFA device and write its QR code PNG to a file.

    python examples/create_device.py [OUT.png]

Prints the device's serial number and where the PNG went; never the seed. The PNG itself
encodes the seed (that is what an authenticator app scans), so treat the file like a password.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import iamlite


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "qr.png")
    iam = iamlite.resource("iam")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="example-device")
    # 0600 from the start: the QR code is as secret as the seed it encodes.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(device.qr_code_png)
    print(f"SerialNumber: {device.serial_number}")
    print(f"QR code PNG: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
