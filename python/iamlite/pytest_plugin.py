"""iamlite's pytest plugin (entry point ``pytest11``; active once iamlite is installed).

Fixtures (all function-scoped, so every test starts from an empty account and nothing is
shared between tests or pytest-xdist workers):

``iamlite``         a fresh ``iamlite.ServiceResource`` (boto3's ``boto3.resource("iam")`` surface).
``iamlite_client``  the client of that same account (``iamlite.meta.client``).
``iamlite_mock``    ``iamlite.mock_iam`` active for the test: real ``boto3.client("iam")`` /
                    ``boto3.resource("iam")`` calls (and the AWS CLI driver) go to iamlite. Yields
                    the mock; ``iamlite_mock.resource`` / ``.client`` are its account natively.
``iamlite_clock``   a ``iamlite.FrozenClock`` (frozen at the test's start). When a test requests
                    it, the account of the fixtures above runs on it (``clock=``), so
                    ``iamlite_clock.advance(30)`` moves iamlite's time and TOTP codes computed at
                    ``iamlite_clock.time()`` are the ones iamlite expects.
``iamlite_options`` the account options (a dict of ``iamlite.resource()`` keyword arguments);
                    ``{}`` by default. Override it in a ``conftest.py`` for a directory.

One account per test: if a test uses ``iamlite_mock`` together with ``iamlite`` or
``iamlite_client``, those two are the mock's account, so objects created natively are visible to
boto3 and the other way round.

Options per test or class: ``@pytest.mark.iamlite(account_id="210987654321", rng_seed=7,
quotas={"UsersPerAccount": 2}, accept_any_code=True)``. The marker closest to the test wins, and
its keywords override those of ``iamlite_options``; an explicit ``clock=`` overrides
``iamlite_clock``.

This module imports nothing from boto3/botocore (or iamlite's native core) at import time:
those load when a fixture is first used.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator

import pytest

MARKER_HELP = (
    "iamlite(**options): account options for the iamlite fixtures (those of iamlite.resource(): "
    "account_id, partition, account_alias, rng_seed, clock, quotas, accept_any_code)"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)


def _account_options(request: pytest.FixtureRequest) -> Dict[str, Any]:
    options: Dict[str, Any] = dict(request.getfixturevalue("iamlite_options") or {})
    marker = request.node.get_closest_marker("iamlite")
    if marker is not None:
        if marker.args:
            raise TypeError("@pytest.mark.iamlite takes keyword arguments only (the options of iamlite.resource())")
        options.update(marker.kwargs)
    if "clock" not in options and "iamlite_clock" in request.fixturenames:
        options["clock"] = request.getfixturevalue("iamlite_clock")
    return options


@pytest.fixture
def iamlite_options() -> Dict[str, Any]:
    """Account options for the iamlite fixtures; override to change them for many tests."""
    return {}


@pytest.fixture
def iamlite_clock() -> Any:
    """A ``FrozenClock`` at the test's start; the iamlite fixtures' account runs on it."""
    from iamlite.clock import FrozenClock

    return FrozenClock()


@pytest.fixture
def iamlite_mock(request: pytest.FixtureRequest) -> Iterator[Any]:
    """``iamlite.mock_iam`` active for the test; yields the mock (``.resource``, ``.client``)."""
    from iamlite.mock import mock_iam

    with mock_iam(**_account_options(request)) as mock:
        yield mock


@pytest.fixture
def iamlite(request: pytest.FixtureRequest) -> Any:
    """A fresh iamlite ``ServiceResource`` (the mock's account when ``iamlite_mock`` is used)."""
    if "iamlite_mock" in request.fixturenames:
        return request.getfixturevalue("iamlite_mock").resource
    import iamlite as _iamlite

    return _iamlite.resource("iam", **_account_options(request))


@pytest.fixture
def iamlite_client(iamlite: Any) -> Any:
    """The iamlite client of the ``iamlite`` fixture's account."""
    return iamlite.meta.client
