"""``mock_iam``: route every real boto3/botocore IAM client to one in-process iamlite account.

    import boto3, iamlite

    @iamlite.mock_iam(rng_seed=7)
    def test_create():
        iam = boto3.client("iam")              # no credentials, no network
        iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")

Also a context manager (``with iamlite.mock_iam() as m:``), a class decorator and
``start()``/``stop()``. ``m.resource`` / ``m.client`` are the same account as iamlite's native
``ServiceResource`` and ``Client``: whatever boto3 creates, they see, and the other way round.

How a call is routed, and why there
-----------------------------------
A botocore call runs ``BaseClient._make_api_call``: ``provide-client-params`` and
``before-parameter-build`` events → endpoint resolution → ``_convert_to_request_dict`` (botocore's
own ``ParamValidationError`` checks and the serializer) → the ``before-call`` event (where
``botocore.stub.Stubber`` answers) → ``_make_request`` (HTTP: signing, retries, the socket) →
``after-call`` → ``self.exceptions.from_code(code)(parsed, operation_name)`` for a status ≥ 300.

iamlite replaces exactly one step, the transport ``_make_request``, and only for clients whose
``meta.service_model.service_name == "iam"``. The patch sits on the class
(``botocore.client.BaseClient``), not on an event emitter, because every client copies the
session's emitter when it is created: a handler registered on sessions after the fact never
reaches a client made before ``start()`` (moto's ``before-send`` handler has this limitation),
while a class attribute reaches every instance, old or new. Everything around the transport
is botocore's own code, so what the user sees is what botocore would build from AWS:

* parameter validation (``ParamValidationError``) happens first, exactly as for a real call;
* a ``Stubber`` activated on an IAM client still wins (``before-call`` runs before the transport);
* ``after-call`` handlers run (the AWS CLI writes ``--outfile`` from one);
* errors are raised by botocore itself, as that client's modeled classes
  (``client.exceptions.NoSuchEntityException``), so ``except client.exceptions.X`` and
  ``except botocore.exceptions.ClientError`` both work;
* nothing is signed, so no credentials are needed for the call.

The transport needs the request's parameters, which ``_make_request`` only sees serialized; a
second class-level wrapper around ``_convert_to_request_dict`` stores the validated parameter dict
in the call's ``request_context`` (key ``"iamlite_api_params"``) for ``_make_request`` to read.

Creating a client resolves credentials eagerly (botocore walks its provider chain, which ends
with the EC2 instance-metadata endpoint). So that nothing leaves the process, an IAM client
*created while a mock is active*, without explicit keys and on a session that has no credentials
yet, gets placeholder keys (``iamlite`` / ``iamlite``) instead of a provider-chain lookup (moto sets
fake environment credentials for the same reason). Other services' clients are left alone.
Clients created before ``start()`` keep whatever credentials they had.

Which mock answers (nesting)
----------------------------
Active mocks form a stack; the most recently started one that is still active answers every IAM
call. ``stop()`` removes that mock, so the previously started one answers again::

    with mock_iam() as outer:
        with mock_iam() as inner:      # boto3 → inner's account
            ...
        ...                            # boto3 → outer's account again

Stopping out of order is allowed (the remaining most recent one answers). Starting a mock that is
already active pushes it again (balanced by one more ``stop()``). ``stop()`` on a mock that is not
active raises ``RuntimeError``. The class-level patches are installed when the first mock starts
and removed when the last one stops, so outside any mock botocore is untouched.

Account lifetime
----------------
The account is created with the mock object, so ``m.resource`` works before ``start()``.
``start()`` and the context manager keep it (state survives ``stop()``/``start()``);
``start(reset=True)`` or ``reset()`` gives a fresh one. As a decorator, every call runs on a fresh
account, as with moto (a class decorator resets in ``setUp``/``setup_method`` when the class has
one, so state created there reaches the test, else in each ``test*`` method).

An IAM operation iamlite does not implement raises ``iamlite.exceptions.UnsupportedOperation``
naming it (botocore has validated its parameters first). The mock's account answers regardless of
the client's region, endpoint URL or credentials; the ARNs use the mock's ``partition`` and
``account_id``.
"""

from __future__ import annotations

import functools
import inspect
import threading
from typing import Any, Callable, Dict, List, Optional, TypeVar

import botocore.client
import botocore.session
from botocore import UNSIGNED
from botocore.awsrequest import AWSResponse

from . import resource as _new_resource
from .exceptions import ClientError as _IamliteClientError

__all__ = ["mock_iam", "current"]

F = TypeVar("F", bound=Callable[..., Any])

_PARAMS_KEY = "iamlite_api_params"
_DUMMY_KEY = "iamlite"

_lock = threading.RLock()
_stack: List["mock_iam"] = []
_originals: Dict[str, Any] = {}


def current() -> Optional["mock_iam"]:
    """The mock that answers IAM calls now (the most recently started active one), or None."""
    try:
        return _stack[-1]
    except IndexError:
        return None


# ---------------------------------------------------------------------------- the patches


class _EmptyBody:
    """The ``raw`` of the synthetic HTTP response: botocore reads ``stream()`` for ``content``."""

    def stream(self, **_: Any) -> Any:
        return iter((b"",))


def _is_iam(client: Any) -> bool:
    try:
        return client._service_model.service_name == "iam"
    except AttributeError:  # pragma: no cover - not a botocore client
        return False


def _convert_to_request_dict(self: Any, *args: Any, **kwargs: Any) -> Any:
    request_dict = _originals["_convert_to_request_dict"](self, *args, **kwargs)
    if _stack and _is_iam(self):
        if "api_params" in kwargs and "context" in kwargs:
            api_params, context = kwargs["api_params"], kwargs["context"]
        else:
            bound = inspect.signature(_originals["_convert_to_request_dict"]).bind(self, *args, **kwargs)
            api_params, context = bound.arguments["api_params"], bound.arguments.get("context")
        if isinstance(context, dict):
            context[_PARAMS_KEY] = api_params
    return request_dict


def _make_request(self: Any, operation_model: Any, request_dict: Any, request_context: Any) -> Any:
    mock = current()
    params = request_context.get(_PARAMS_KEY) if isinstance(request_context, dict) else None
    if mock is None or params is None or not _is_iam(self):
        return _originals["_make_request"](self, operation_model, request_dict, request_context)
    try:
        parsed = mock.client._make_api_call(operation_model.name, params)
    except _IamliteClientError as e:
        # Hand the error back as AWS would: botocore raises this client's modeled class.
        parsed = e.response
    except Exception as e:
        self.meta.events.emit(
            f"after-call-error.{self._service_model.service_id.hyphenize()}.{operation_model.name}",
            exception=e,
            context=request_context,
        )
        raise
    metadata = parsed.get("ResponseMetadata", {})
    http = AWSResponse(
        request_dict.get("url", self.meta.endpoint_url),
        metadata.get("HTTPStatusCode", 200),
        metadata.get("HTTPHeaders", {}),
        _EmptyBody(),
    )
    return http, parsed


def _create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
    original = _originals["create_client"]
    if _stack:
        bound = inspect.signature(original).bind(self, *args, **kwargs)
        a = bound.arguments
        config = a.get("config")
        if (
            a.get("service_name") == "iam"
            and a.get("aws_access_key_id") is None
            and a.get("aws_secret_access_key") is None
            and getattr(self, "_credentials", None) is None
            and not (config is not None and config.signature_version is UNSIGNED)
        ):
            a["aws_access_key_id"] = _DUMMY_KEY
            a["aws_secret_access_key"] = _DUMMY_KEY
        return original(*bound.args, **bound.kwargs)
    return original(self, *args, **kwargs)


_PATCHES = {
    "_convert_to_request_dict": (botocore.client.BaseClient, _convert_to_request_dict),
    "_make_request": (botocore.client.BaseClient, _make_request),
    "create_client": (botocore.session.Session, _create_client),
}


def _install() -> None:
    for name, (cls, wrapper) in _PATCHES.items():
        _originals[name] = cls.__dict__[name]
        setattr(cls, name, wrapper)


def _uninstall() -> None:
    for name, (cls, wrapper) in _PATCHES.items():
        # If someone patched over us meanwhile, leave theirs (ours is a pass-through when idle).
        if cls.__dict__.get(name) is wrapper:
            setattr(cls, name, _originals[name])


# ---------------------------------------------------------------------------- the mock


class mock_iam:  # noqa: N801 - named like moto's mock_aws and used as a decorator
    """Route every boto3/botocore IAM client (made before or inside it) to one iamlite account.

    ``options`` are those of ``iamlite.resource()``: ``account_id``, ``partition``,
    ``account_alias``, ``rng_seed``, ``clock``, ``quotas``, ``accept_any_code``.
    """

    def __init__(self, **options: Any) -> None:
        self.options: Dict[str, Any] = dict(options)
        self._depth = 0
        self.resource: Any = None
        self.client: Any = None
        self.reset()

    # -- account

    def reset(self) -> None:
        """Give the mock a fresh account (``resource`` and ``client`` are replaced)."""
        self.resource = _new_resource("iam", **self.options)
        self.client = self.resource.meta.client

    # -- activation

    @property
    def active(self) -> bool:
        return self._depth > 0

    def start(self, reset: bool = False) -> "mock_iam":
        """Start answering IAM calls (``reset=True``: on a fresh account, unless already active)."""
        with _lock:
            if reset and self._depth == 0:
                self.reset()
            if not _stack:
                _install()
            _stack.append(self)
            self._depth += 1
        return self

    def stop(self) -> None:
        """Stop answering; the previously started active mock (if any) answers again."""
        with _lock:
            if self._depth == 0:
                raise RuntimeError("mock_iam.stop() called on a mock that is not started")
            for i in range(len(_stack) - 1, -1, -1):
                if _stack[i] is self:
                    del _stack[i]
                    break
            self._depth -= 1
            if not _stack:
                _uninstall()

    def __enter__(self) -> "mock_iam":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- decorator

    def __call__(self, target: F) -> F:
        if inspect.isclass(target):
            return self._decorate_class(target)  # type: ignore[return-value]
        return self._decorate_callable(target, reset=True)

    def _decorate_callable(self, func: F, reset: bool) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                self.start(reset=reset)
                try:
                    return await func(*args, **kwargs)
                finally:
                    self.stop()

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.start(reset=reset)
            try:
                return func(*args, **kwargs)
            finally:
                self.stop()

        return wrapper  # type: ignore[return-value]

    def _decorate_class(self, klass: type) -> type:
        import unittest

        setups = ("setUp", "setup_method")
        teardowns = ("tearDown", "teardown_method")
        user_classes = [c for c in klass.__mro__ if c not in (unittest.TestCase, object)]

        def user_defined(name: str) -> bool:
            return any(name in vars(c) for c in user_classes)

        has_setup = any(user_defined(name) for name in setups)
        names = [n for n in vars(klass) if n.startswith("test")]
        names += [n for n in setups + teardowns if user_defined(n)]
        for name in names:
            value = inspect.getattr_static(klass, name)
            static = isinstance(value, staticmethod)
            func = value.__func__ if static else value
            if isinstance(value, classmethod) or not inspect.isfunction(func):
                continue
            reset = name in setups or (name.startswith("test") and not has_setup)
            wrapped = self._decorate_callable(func, reset=reset)
            setattr(klass, name, staticmethod(wrapped) if static else wrapped)
        return klass

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in self.options.items())
        return f"mock_iam({opts}){' [active]' if self.active else ''}"
