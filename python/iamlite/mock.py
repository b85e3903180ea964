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
* nothing is signed, so no credentials are needed for the call, and nothing is sent;
* the answer is what botocore would build from AWS's HTTP response. For a client with parser
  settings (the AWS CLI's raw-blob parser keeps ``Base32StringSeed`` as base64 text, and its
  ``--outfile`` handler decodes it), with ``before-parse`` handlers, or for an error, iamlite's
  result is written as IAM's query-protocol XML (``<CreateUserResponse><CreateUserResult>…``,
  ``<ErrorResponse><Error>…``, with ``x-amzn-requestid``, ``content-type``, ``content-length``,
  ``date`` headers) and parsed by *that client's* botocore parser. A successful answer to a client
  that parses by default skips the round trip: botocore would rebuild iamlite's dict value for
  value (a test compares both paths), so it is handed over directly, with its timestamps passed
  through botocore's own timestamp parser. Either way timestamps are tz-aware as botocore makes
  them (on a machine whose local zone is UTC, dateutil labels them ``tzlocal()``, as for real AWS
  responses; iamlite's native client says ``tzutc()``: the instants are equal);
* ``after-call`` handlers run (the AWS CLI writes ``--outfile`` from one);
* errors are raised by botocore itself, as that client's modeled classes
  (``client.exceptions.NoSuchEntityException``), so ``except client.exceptions.X`` and
  ``except botocore.exceptions.ClientError`` both work.

The transport needs the request's parameters, which ``_make_request`` only sees serialized; a
second class-level wrapper around ``_convert_to_request_dict`` (after botocore validated them)
stores the parameter dict in the call's ``request_context`` (key ``"iamlite_api_params"``).

Creating a client resolves credentials eagerly (botocore walks its provider chain, which ends
with the EC2 instance-metadata endpoint). So that nothing leaves the process, an IAM client
*created while a mock is active*, without explicit keys and on a session that has no credentials
yet, gets placeholder keys (``iamlite`` / ``iamlite``) instead of a provider-chain lookup (moto sets
fake environment credentials for the same reason). Other services' clients are left alone.
Clients created before ``start()`` keep whatever credentials they had. (A client created inside
a mock keeps its placeholder keys after ``stop()``: create clients for real AWS outside mocks.)
Routing is process-wide, for every thread, as with moto.

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

moto: inside both ``moto.mock_aws`` and ``mock_iam``, iamlite answers IAM (it routes before moto's
``before-send`` hook) and moto answers every other service, so a suite can move IAM to iamlite
one test at a time.

An IAM operation iamlite does not implement raises ``iamlite.exceptions.UnsupportedOperation``
naming it (botocore has validated its parameters first). The mock's account answers regardless of
the client's region, endpoint URL or credentials; the ARNs use the mock's ``partition`` and
``account_id``.
"""

from __future__ import annotations

import base64
import datetime as _dt
import functools
import inspect
import re
import threading
from xml.sax.saxutils import escape as _xml_escape
from typing import Any, Callable, Dict, List, Optional, TypeVar

import botocore.client
import botocore.session
from botocore import UNSIGNED
from botocore.awsrequest import AWSResponse
from botocore.endpoint import convert_to_response_dict
from botocore.parsers import DEFAULT_TIMESTAMP_PARSER as _TIMESTAMP_PARSER

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


class _Body:
    """The ``raw`` of the synthetic HTTP response: botocore reads ``stream()`` for ``content``."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Any:
        return iter((self._data,))


_XMLNS = "https://iam.amazonaws.com/doc/2010-05-08/"
# Characters XML 1.0 cannot carry at all (not even as references).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _NotXml(ValueError):
    pass


#: `[True]` while the XML-free path for default parsers is on (tests switch it off to compare).
_FAST_PATH = [True]


def _text(value: str) -> str:
    if _NOT_XML.search(value):
        raise _NotXml
    return _xml_escape(value, {"\r": "&#13;"})  # a literal CR would be read back as LF


def _to_xml(shape: Any, value: Any, tag: str, out: List[str]) -> None:
    """Append ``value`` as AWS's query protocol writes it for ``shape`` (IAM's wire format)."""
    kind = shape.type_name
    if kind == "structure":
        out.append(f"<{tag}>")
        for name, member in shape.members.items():
            if name in value and value[name] is not None:
                _to_xml(member, value[name], member.serialization.get("name", name), out)
        out.append(f"</{tag}>")
    elif kind == "list":
        member = shape.member
        member_tag = member.serialization.get("name", "member")
        out.append(f"<{tag}>")
        for item in value:
            _to_xml(member, item, member_tag, out)
        out.append(f"</{tag}>")
    elif kind == "map":
        key_tag = shape.key.serialization.get("name", "key")
        value_tag = shape.value.serialization.get("name", "value")
        out.append(f"<{tag}>")
        for k, v in value.items():
            out.append("<entry>")
            _to_xml(shape.key, k, key_tag, out)
            _to_xml(shape.value, v, value_tag, out)
            out.append("</entry>")
        out.append(f"</{tag}>")
    elif kind == "timestamp":
        if isinstance(value, _dt.datetime):
            text = value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            text = str(value)
        out.append(f"<{tag}>{text}</{tag}>")
    elif kind == "blob":
        data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        out.append(f"<{tag}>{base64.b64encode(data).decode('ascii')}</{tag}>")
    elif kind == "boolean":
        out.append(f"<{tag}>{'true' if value else 'false'}</{tag}>")
    else:
        out.append(f"<{tag}>{_text(str(value))}</{tag}>")


def _response_body(operation_model: Any, parsed: Dict[str, Any], request_id: str) -> bytes:
    name = operation_model.name
    out = [f'<{name}Response xmlns="{_XMLNS}">']
    shape = operation_model.output_shape
    if shape is not None:
        wrapper = shape.serialization.get("resultWrapper", f"{name}Result")
        _to_xml(shape, parsed, wrapper, out)
    out.append(f"<ResponseMetadata><RequestId>{_text(request_id)}</RequestId></ResponseMetadata>")
    out.append(f"</{name}Response>")
    return "".join(out).encode("utf-8")


def _error_body(error: Dict[str, Any], request_id: str) -> bytes:
    out = [f'<ErrorResponse xmlns="{_XMLNS}"><Error>']
    for key in ("Type", "Code", "Message"):
        if key in error:
            out.append(f"<{key}>{_text(str(error[key]))}</{key}>")
    out.append(f"</Error><RequestId>{_text(request_id)}</RequestId></ErrorResponse>")
    return "".join(out).encode("utf-8")


def _parses_by_default(client: Any, operation_model: Any) -> bool:
    """Whether this client parses IAM responses exactly as a default botocore client does: no
    parser settings (the AWS CLI sets some) and no ``before-parse`` handler for the operation.
    Anything unexpected answers False, which keeps the XML round trip."""
    try:
        if client._endpoint._response_parser_factory._defaults:
            return False
        service_id = operation_model.service_model.service_id.hyphenize()
        event = f"before-parse.{service_id}.{operation_model.name}"
        return not list(client.meta.events._emitter._handlers.prefix_search(event))
    except Exception:
        return False


def _botocore_timestamps(shape: Any, value: Any) -> Any:
    """iamlite's parse with every timestamp replaced by what botocore's parser makes of AWS's
    text for it (so even the tzinfo object is botocore's)."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        return {
            k: _botocore_timestamps(shape.members[k], v) if k in shape.members else v for k, v in value.items()
        }
    if kind == "list" and isinstance(value, list):
        return [_botocore_timestamps(shape.member, v) for v in value]
    if kind == "timestamp" and isinstance(value, _dt.datetime):
        return _TIMESTAMP_PARSER(value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return value


def _http_response(client: Any, operation_model: Any, url: str, parsed: Dict[str, Any]) -> Any:
    """The HTTP response AWS would have sent for iamlite's parsed answer, and botocore's own
    parse of it (with this client's parser settings, ``before-parse`` handlers, modeled fields).

    A successful answer to a client that parses by default skips the XML round trip: botocore
    would rebuild iamlite's dict value for value (``tests/test_mock_boto3.py`` compares both
    paths for every operation), and the round trip costs more than the rest of the mock."""
    metadata = parsed.get("ResponseMetadata", {})
    status = metadata.get("HTTPStatusCode", 200)
    request_id = metadata.get("RequestId", "")
    if status < 300 and _FAST_PATH[0] and _parses_by_default(client, operation_model):
        shape = operation_model.output_shape
        result = _botocore_timestamps(shape, parsed) if shape is not None else dict(parsed)
        headers = dict(metadata.get("HTTPHeaders", {}))
        result["ResponseMetadata"] = dict(metadata, HTTPHeaders=headers, RetryAttempts=0)
        return AWSResponse(url, status, headers, _Body(b"")), result
    if status >= 300:
        body = _error_body(parsed.get("Error", {}), request_id)
    else:
        body = _response_body(operation_model, parsed, request_id)
    headers: Dict[str, str] = {}
    for key, value in metadata.get("HTTPHeaders", {}).items():
        headers[key] = value
        if key == "content-type":
            headers["content-length"] = str(len(body))
    headers.setdefault("content-length", str(len(body)))
    http = AWSResponse(url, status, headers, _Body(body))

    endpoint = client._endpoint
    response_dict = convert_to_response_dict(http, operation_model)
    service_id = operation_model.service_model.service_id.hyphenize()
    customized: Dict[str, Any] = {}
    client.meta.events.emit(
        f"before-parse.{service_id}.{operation_model.name}",
        operation_model=operation_model,
        response_dict=response_dict,
        customized_response_dict=customized,
    )
    parser = endpoint._response_parser_factory.create_parser(operation_model.service_model.resolved_protocol)
    result = parser.parse(response_dict, operation_model.output_shape)
    result.update(customized)
    if status >= 300:
        endpoint._add_modeled_error_fields(response_dict, result, operation_model, parser)
    if "ResponseMetadata" in result:
        result["ResponseMetadata"]["RetryAttempts"] = 0
    return http, result


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
    url = request_dict.get("url", self.meta.endpoint_url) if isinstance(request_dict, dict) else ""
    try:
        return _http_response(self, operation_model, url, parsed)
    except _NotXml:
        # Text XML cannot carry (control characters echoed in a message): hand over
        # iamlite's parse directly; it is what botocore builds with default parser settings.
        metadata = parsed.get("ResponseMetadata", {})
        http = AWSResponse(url, metadata.get("HTTPStatusCode", 200), metadata.get("HTTPHeaders", {}), _Body(b""))
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
