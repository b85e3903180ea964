"""iamlite's pytest plugin (``iamlite.pytest_plugin``, entry point ``pytest11``), run with pytester."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Imported here so that pytester's in-process runs (which restore sys.modules afterwards) do not
# import them afresh each time.
import boto3  # noqa: F401
import botocore.session  # noqa: F401
import pyotp  # noqa: F401

import iamlite.mock  # noqa: F401

pytest_plugins = ["pytester"]

# Inner runs: no cache dir, and not hypothesis's plugin (its summary hook imports hypothesis).
ARGS = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch):
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_native_fixtures(pytester):
    pytester.makepyfile(
        """
        import iamlite as lib

        def test_resource_and_client_share_one_account(iamlite, iamlite_client):
            assert type(iamlite) is lib.ServiceResource
            assert iamlite_client is iamlite.meta.client
            d = iamlite.create_virtual_mfa_device(VirtualMFADeviceName="alice")
            listed = iamlite_client.list_virtual_mfa_devices()["VirtualMFADevices"]
            assert listed == [{"SerialNumber": d.serial_number}]
            assert d.serial_number == "arn:aws:iam::123456789012:mfa/alice"

        def test_each_test_starts_empty(iamlite):
            assert list(iamlite.virtual_mfa_devices.all()) == []

        def test_client_alone(iamlite_client):
            assert iamlite_client.list_users()["Users"] == []
            with __import__("pytest").raises(iamlite_client.exceptions.NoSuchEntityException):
                iamlite_client.get_user(UserName="ghost")
        """
    )
    pytester.runpytest(*ARGS).assert_outcomes(passed=3)


def test_clock_fixture_drives_the_account(pytester):
    pytester.makepyfile(
        """
        import datetime as dt
        import pyotp
        import iamlite as lib

        def test_frozen_time(iamlite, iamlite_clock):
            assert isinstance(iamlite_clock, lib.FrozenClock)
            iamlite_clock.set(dt.datetime(2026, 1, 1, 0, 0, 12))
            first = iamlite.create_user(UserName="a").create_date
            iamlite_clock.advance(3600)
            second = iamlite.create_user(UserName="b").create_date
            assert first == dt.datetime(2026, 1, 1, 0, 0, 12, tzinfo=dt.timezone.utc)
            assert second - first == dt.timedelta(hours=1)

        def test_codes_at_the_clock(iamlite_client, iamlite_clock):
            iamlite_clock.set(1_000_000_000)  # 2001: far from the wall clock
            r = iamlite_client.create_virtual_mfa_device(VirtualMFADeviceName="d")["VirtualMFADevice"]
            iamlite_client.create_user(UserName="u")
            totp = pyotp.TOTP(r["Base32StringSeed"].decode())
            t = iamlite_clock.time()
            iamlite_client.enable_mfa_device(UserName="u", SerialNumber=r["SerialNumber"],
                                             AuthenticationCode1=totp.at(t - 30), AuthenticationCode2=totp.at(t))
            date = iamlite_client.get_mfa_device(SerialNumber=r["SerialNumber"])["EnableDate"]
            assert date.year == 2001

        def test_mock_uses_the_clock_too(iamlite_mock, iamlite_clock):
            import boto3
            iamlite_clock.set(1_500_000_000)
            user = boto3.client("iam").create_user(UserName="m")["User"]
            assert user["CreateDate"].timestamp() == 1_500_000_000
        """
    )
    pytester.runpytest(*ARGS).assert_outcomes(passed=3)


def test_marker_and_options_fixture(pytester):
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def iamlite_options():
            return {"account_id": "111122223333", "account_alias": "corp"}
        """
    )
    pytester.makepyfile(
        """
        import pytest
        import iamlite as lib

        def test_options_fixture(iamlite):
            d = iamlite.create_virtual_mfa_device(VirtualMFADeviceName="x")
            assert d.serial_number == "arn:aws:iam::111122223333:mfa/x"

        @pytest.mark.iamlite(account_id="210987654321", quotas={"UsersPerAccount": 1})
        def test_marker_overrides(iamlite_client):
            arn = iamlite_client.create_user(UserName="a")["User"]["Arn"]
            assert arn == "arn:aws:iam::210987654321:user/a"
            with pytest.raises(iamlite_client.exceptions.LimitExceededException) as ei:
                iamlite_client.create_user(UserName="b")
            assert ei.value.response["Error"]["Message"] == "Cannot exceed quota for UsersPerAccount: 1"

        @pytest.mark.iamlite(rng_seed=5)
        def test_seeded(iamlite):
            seed = iamlite.create_virtual_mfa_device(VirtualMFADeviceName="s").base32_string_seed
            again = lib.resource(rng_seed=5).create_virtual_mfa_device(VirtualMFADeviceName="s")
            assert seed == again.base32_string_seed

        @pytest.mark.iamlite(account_id="444455556666")
        class TestClassMarker:
            def test_class_marker(self, iamlite):
                assert iamlite.create_user(UserName="c").arn == "arn:aws:iam::444455556666:user/c"

            @pytest.mark.iamlite(account_id="777788889999")
            def test_closest_marker_wins(self, iamlite):
                assert iamlite.create_user(UserName="c").arn == "arn:aws:iam::777788889999:user/c"

        @pytest.mark.iamlite(account_id="210987654321")
        def test_marker_applies_to_mock(iamlite_mock):
            import boto3
            assert boto3.client("iam").create_user(UserName="m")["User"]["Arn"] == (
                "arn:aws:iam::210987654321:user/m")
        """
    )
    result = pytester.runpytest(*ARGS, "--strict-markers")
    result.assert_outcomes(passed=6)


def test_marker_is_registered(pytester):
    result = pytester.runpytest(*ARGS, "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.iamlite(**options): account options for the iamlite fixtures*"])


def test_mock_fixture(pytester):
    pytester.makepyfile(
        """
        import boto3
        import iamlite as lib
        from iamlite.mock import current

        def test_boto3_is_routed(iamlite_mock):
            assert current() is iamlite_mock
            c = boto3.client("iam")
            serial = c.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["SerialNumber"]
            assert [d.serial_number for d in iamlite_mock.resource.virtual_mfa_devices.all()] == [serial]
            assert iamlite_mock.client.list_virtual_mfa_devices()["VirtualMFADevices"] == [{"SerialNumber": serial}]
            with __import__("pytest").raises(c.exceptions.NoSuchEntityException):
                c.get_user(UserName="ghost")

        def test_one_account_per_test(iamlite_mock, iamlite, iamlite_client):
            assert iamlite is iamlite_mock.resource
            iamlite.create_user(UserName="native")
            assert [u.name for u in boto3.resource("iam").users.all()] == ["native"]
            assert iamlite_client.get_user(UserName="native")["User"]["UserName"] == "native"

        def test_mock_is_gone_after_the_test():
            assert current() is None

        def test_fresh_account(iamlite_mock):
            assert boto3.client("iam").list_users()["Users"] == []
        """
    )
    pytester.runpytest(*ARGS).assert_outcomes(passed=4)


def test_under_xdist(pytester):
    pytester.makepyfile(
        """
        import os
        import boto3
        import pytest
        import iamlite as lib

        @pytest.mark.parametrize("i", range(6))
        def test_native(iamlite, i):
            assert list(iamlite.users.all()) == []
            iamlite.create_user(UserName=f"u{i}")
            assert [u.name for u in iamlite.users.all()] == [f"u{i}"]

        @pytest.mark.parametrize("i", range(6))
        def test_mocked(iamlite_mock, i):
            c = boto3.client("iam")
            assert c.list_users()["Users"] == []
            c.create_user(UserName=f"m{i}")
            assert [u["UserName"] for u in c.list_users()["Users"]] == [f"m{i}"]

        @pytest.mark.iamlite(rng_seed=42)
        @pytest.mark.parametrize("i", range(4))
        def test_seeded_everywhere(iamlite, i):
            seed = iamlite.create_virtual_mfa_device(VirtualMFADeviceName="d").base32_string_seed
            assert seed == lib.resource(rng_seed=42).create_virtual_mfa_device(VirtualMFADeviceName="d").base32_string_seed

        def test_workers(worker_id):
            assert worker_id in ("gw0", "gw1")
        """
    )
    result = pytester.runpytest_subprocess(*ARGS, "-p", "xdist", "-n", "2")
    result.assert_outcomes(passed=17)


def test_plugin_module_imports_nothing_heavy():
    code = (
        "import sys, pytest, iamlite\n"
        "before = set(sys.modules)\n"
        "import iamlite.pytest_plugin\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['iamlite.pytest_plugin']"
    source = open(__import__("iamlite.pytest_plugin").pytest_plugin.__file__).read()
    top_level_imports = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert top_level_imports == ["from __future__ import annotations", "from typing import Any, Dict, Iterator",
                                 "import pytest"]
