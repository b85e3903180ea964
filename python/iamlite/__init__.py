"""iamlite: a faithful, fast, in-process stand-in for AWS IAM virtual MFA devices.

    >>> import iamlite
    >>> iam = iamlite.resource("iam")
    >>> device = iam.create_virtual_mfa_device(Path="/ops/", VirtualMFADeviceName="alice")
    >>> device.serial_number
    'arn:aws:iam::123456789012:mfa/ops/alice'

``resource()`` and ``client()`` mirror ``boto3.resource("iam")`` and ``boto3.client("iam")``;
``mock_iam`` routes real boto3 clients to iamlite; ``TOTP`` and ``FrozenClock`` make codes.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from ._native import Client, ServiceResource, VirtualMfaDevice, __version__
from .clock import FrozenClock
from .totp import TOTP

__all__ = [
    "resource",
    "client",
    "mock_iam",
    "TOTP",
    "FrozenClock",
    "Client",
    "ServiceResource",
    "VirtualMfaDevice",
    "exceptions",
    "__version__",
]


def _check_service(service_name: str) -> None:
    if service_name != "iam":
        raise ValueError(f"iamlite emulates only the 'iam' service, not {service_name!r}")


def resource(
    service_name: str = "iam",
    *,
    account_id: str = "123456789012",
    partition: str = "aws",
    account_alias: Optional[str] = None,
    rng_seed: Optional[int] = None,
    clock: Any = None,
    quotas: Optional[Mapping[str, int]] = None,
    state_file: Any = None,
    accept_any_code: bool = False,
) -> ServiceResource:
    """A boto3-style IAM ``ServiceResource`` on a new account.

    ``rng_seed`` makes seeds, UserIds, RequestIds and markers reproducible; ``clock`` is any
    object with ``time()`` (e.g. ``FrozenClock``); ``quotas`` overrides AWS's defaults by name
    (``VirtualMFADevicesPerAccount``, ``MFADevicesPerUser``, ``TagsPerMFADevice``,
    ``UsersPerAccount``); ``accept_any_code`` accepts any well-formed 6-digit code pair (moto
    compatibility; off by default).
    """
    _check_service(service_name)
    kwargs = _options(account_id, partition, account_alias, rng_seed, clock, quotas, state_file, accept_any_code)
    return ServiceResource(**kwargs)


def client(
    service_name: str = "iam",
    *,
    account_id: str = "123456789012",
    partition: str = "aws",
    account_alias: Optional[str] = None,
    rng_seed: Optional[int] = None,
    clock: Any = None,
    quotas: Optional[Mapping[str, int]] = None,
    state_file: Any = None,
    accept_any_code: bool = False,
) -> Client:
    """A boto3-style IAM client on a new account (same options as ``resource()``)."""
    _check_service(service_name)
    kwargs = _options(account_id, partition, account_alias, rng_seed, clock, quotas, state_file, accept_any_code)
    return Client(**kwargs)


def _options(account_id, partition, account_alias, rng_seed, clock, quotas, state_file, accept_any_code):  # type: ignore[no-untyped-def]
    kwargs = dict(
        account_id=account_id,
        partition=partition,
        account_alias=account_alias,
        rng_seed=rng_seed,
        clock=clock,
        quotas=dict(quotas) if quotas is not None else None,
        accept_any_code=accept_any_code,
    )
    if state_file is not None:
        kwargs["state_file"] = str(state_file)
    return kwargs


def __getattr__(name: str) -> Any:
    # mock_iam imports botocore lazily: `import iamlite` stays light.
    if name == "exceptions":
        import importlib

        return importlib.import_module(".exceptions", __name__)
    if name == "mock_iam":
        from .mock import mock_iam

        return mock_iam
    raise AttributeError(f"module 'iamlite' has no attribute {name!r}")
