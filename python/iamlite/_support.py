"""The pure-Python parts of iamlite's boto3 surface: resource metas, paginators, the ``User``,
``MfaDevice`` and ``AccountSummary`` resources and the collections. Everything here goes through
the native client's one dispatch entry; the fast path (creating virtual devices) stays in Rust.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Callable, Dict, Iterator, List, Optional

from . import _native
from . import exceptions as _exceptions

#: boto3 client method name → IAM operation name, for the operations iamlite implements (from
#: the Rust operation table, the one place they are listed).
METHOD_TO_API: Dict[str, str] = {method: operation for operation, method, _ in _native._input_shapes()}

#: botocore's IAM paginator configuration for these operations (input/output token, result key).
PAGINATED: Dict[str, str] = {
    "list_virtual_mfa_devices": "VirtualMFADevices",
    "list_mfa_devices": "MFADevices",
    "list_mfa_device_tags": "Tags",
    "list_users": "Users",
}


class ClientMeta:
    """``client.meta`` for an iamlite client."""

    service_name = "iam"
    region_name = "aws-global"
    method_to_api_mapping = METHOD_TO_API

    def __init__(self, partition: str) -> None:
        self.partition = partition
        self.endpoint_url = {
            "aws": "https://iam.amazonaws.com",
            "aws-cn": "https://iam.cn-north-1.amazonaws.com.cn",
            "aws-us-gov": "https://iam.us-gov.amazonaws.com",
        }.get(partition, "https://iam.amazonaws.com")

    @property
    def service_model(self) -> Any:
        """botocore's IAM service model (None without botocore); loaded on first use."""
        if not hasattr(self, "_service_model"):
            try:
                import botocore.session

                self._service_model = botocore.session.get_session().get_service_model("iam")
            except ImportError:  # pragma: no cover
                self._service_model = None
        return self._service_model

    def __repr__(self) -> str:
        return f"ClientMeta(service_name='iam', partition={self.partition!r})"


class ResourceMeta:
    """boto3's ``ResourceMeta``: ``service_name``, ``identifiers``, ``client``, ``data``.

    ``data`` may come from a loader called on first read, so a created device renders its QR
    code only when someone asks for it.
    """

    def __init__(
        self,
        service_name: str,
        identifiers: Optional[List[str]] = None,
        client: Any = None,
        data: Any = None,
        resource_model: Any = None,
    ) -> None:
        self.service_name = service_name
        self.identifiers = list(identifiers or [])
        self.client = client
        self._loader: Optional[Callable[[], Any]] = data if callable(data) else None
        self._data = None if callable(data) else data
        self.resource_model = resource_model

    @property
    def data(self) -> Any:
        if self._loader is not None:
            self._data = self._loader()
            self._loader = None
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._loader = None
        self._data = value

    def __repr__(self) -> str:
        return f"ResourceMeta('{self.service_name}', identifiers={self.identifiers})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResourceMeta):
            return False
        return (self.service_name, self.identifiers, self.client, self.data) == (
            other.service_name,
            other.identifiers,
            other.client,
            other.data,
        )

    __hash__ = None  # type: ignore[assignment]

    def copy(self) -> "ResourceMeta":
        return ResourceMeta(self.service_name, list(self.identifiers), self.client, self.data, self.resource_model)


# ---------------------------------------------------------------------------- paginators


def _encode_token(token: Dict[str, Any]) -> str:
    """botocore's TokenEncoder: base64 of the JSON token."""
    return base64.b64encode(json.dumps(token).encode("utf-8")).decode("utf-8")


def _decode_token(token: str) -> Dict[str, Any]:
    try:
        decoded = json.loads(base64.b64decode(token.encode("utf-8")).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        decoded = None
    if not isinstance(decoded, dict):
        # botocore accepts a raw service marker too (old-style tokens).
        return {"Marker": token}
    return decoded


def can_paginate(operation_name: str) -> bool:
    return operation_name in PAGINATED


def get_paginator(client: Any, operation_name: str) -> "Paginator":
    if operation_name in PAGINATED:
        return Paginator(client, operation_name)
    if operation_name in METHOD_TO_API:
        # An operation iamlite serves that AWS does not paginate: botocore's own error.
        try:
            from botocore.exceptions import OperationNotPageableError
        except ImportError:  # pragma: no cover
            raise ValueError(f"Operation cannot be paginated: {operation_name}") from None
        raise OperationNotPageableError(operation_name=operation_name)
    raise _exceptions.UnsupportedOperation(
        f"iamlite does not implement the IAM operation behind {operation_name!r}; "
        "it covers virtual MFA devices and users."
    )


#: botocore's IAM waiters iamlite can answer: waiter name → the client method it polls.
WAITERS: Dict[str, str] = {"user_exists": "get_user"}


def get_waiter(client: Any, waiter_name: str) -> "Waiter":
    if waiter_name not in WAITERS:
        raise ValueError(f"Waiter does not exist: {waiter_name}")
    return Waiter(client, waiter_name)


class Waiter:
    """botocore's ``UserExists`` waiter: GetUser until it succeeds (retrying on NoSuchEntity),
    ``WaiterConfig={'Delay': 1, 'MaxAttempts': 20}``; ``botocore.exceptions.WaiterError`` after the
    last attempt or on any other error, as botocore raises it."""

    name = "UserExists"

    def __init__(self, client: Any, waiter_name: str) -> None:
        self._client = client
        self._method = WAITERS[waiter_name]

    def wait(self, **kwargs: Any) -> None:
        import time

        config = dict(kwargs.pop("WaiterConfig", None) or {})
        delay, max_attempts = config.get("Delay", 1), config.get("MaxAttempts", 20)
        attempts = 0
        while True:
            attempts += 1
            try:
                getattr(self._client, self._method)(**kwargs)
                return
            except _exceptions.NoSuchEntityException as e:
                last = e.response
                if attempts >= max_attempts:
                    raise _waiter_error(self.name, "Max attempts exceeded", last) from None
            except _exceptions.ClientError as e:
                raise _waiter_error(
                    self.name, f"An error occurred ({e.response['Error']['Code']}): {e.response['Error']['Message']}",
                    e.response,
                ) from None
            time.sleep(delay)


def _waiter_error(name: str, reason: str, last_response: Dict[str, Any]) -> Exception:
    try:
        from botocore.exceptions import WaiterError
    except ImportError:  # pragma: no cover
        return RuntimeError(f"Waiter {name} failed: {reason}")
    return WaiterError(name=name, reason=reason, last_response=last_response)


class Paginator:
    """botocore's Paginator for one list operation: ``paginate(**kwargs)`` with
    ``PaginationConfig={'MaxItems', 'PageSize', 'StartingToken'}``."""

    def __init__(self, client: Any, method: str) -> None:
        self._client = client
        self._method = method
        self.result_keys = [PAGINATED[method]]

    def paginate(self, **kwargs: Any) -> "PageIterator":
        config = dict(kwargs.pop("PaginationConfig", None) or {})
        return PageIterator(self._client, self._method, PAGINATED[self._method], kwargs, config)


class PageIterator:
    """Iterates response pages; ``build_full_result()`` merges them as botocore does."""

    def __init__(self, client: Any, method: str, result_key: str, params: Dict[str, Any], config: Dict[str, Any]):
        self._client = client
        self._method = method
        self._result_key = result_key
        self._params = params
        # botocore casts both with int() (Paginator._extract_paging_params).
        max_items, page_size = config.get("MaxItems"), config.get("PageSize")
        self._max_items = None if max_items is None else int(max_items)
        self._page_size = None if page_size is None else int(page_size)
        self._starting_token = config.get("StartingToken")
        self.resume_token: Optional[str] = None

    @property
    def result_keys(self) -> List[str]:
        return [self._result_key]

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        # Mirrors botocore.paginate.PageIterator.__iter__ for a single Marker token.
        params = dict(self._params)
        next_token: Dict[str, Any] = {"Marker": None}
        starting_truncation = 0
        if self._starting_token is not None:
            decoded = _decode_token(self._starting_token)
            starting_truncation = int(decoded.pop("boto_truncate_amount", 0) or 0)
            next_token = {"Marker": decoded.get("Marker")}
            if next_token["Marker"] is not None:
                params["Marker"] = next_token["Marker"]
        if self._page_size is not None:
            params["MaxItems"] = self._page_size
        method = getattr(self._client, self._method)
        total = 0
        first = True
        self.resume_token = None
        while True:
            page = method(**params)
            items = page.get(self._result_key) or []
            if first:
                if starting_truncation:
                    del items[:starting_truncation]
                first = False
            else:
                starting_truncation = 0
            truncate_amount = 0
            if self._max_items is not None:
                truncate_amount = total + len(items) - self._max_items
            if truncate_amount > 0:
                keep = len(items) - truncate_amount
                del items[keep:]
                token = dict(next_token)
                token["boto_truncate_amount"] = keep + starting_truncation
                self.resume_token = _encode_token(token)
                yield page
                return
            yield page
            total += len(items)
            marker = page.get("Marker") if page.get("IsTruncated") else None
            if marker is None:
                return
            next_token = {"Marker": marker}
            if self._max_items is not None and total == self._max_items:
                self.resume_token = _encode_token(next_token)
                return
            params["Marker"] = marker

    def build_full_result(self) -> Dict[str, Any]:
        result: List[Any] = []
        for page in self:
            result.extend(page.get(self._result_key, []))
        out: Dict[str, Any] = {self._result_key: result}
        if self.resume_token is not None:
            out["NextToken"] = self.resume_token
        return out

    def search(self, expression: str) -> Iterator[Any]:
        import jmespath  # botocore's dependency; only needed for search()

        compiled = jmespath.compile(expression)
        for page in self:
            results = compiled.search(page)
            if isinstance(results, list):
                yield from results
            else:
                yield results


# ---------------------------------------------------------------------------- resources


def _identifier_repr(cls_name: str, **ids: Any) -> str:
    inner = ", ".join(f"{k}={v!r}" for k, v in ids.items())
    return f"iam.{cls_name}({inner})"


class _Resource:
    _identifiers: tuple = ()
    _load_operation: Optional[str] = None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, i) == getattr(other, i) for i in self._identifiers
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__,) + tuple(getattr(self, i) for i in self._identifiers))

    def __repr__(self) -> str:
        return _identifier_repr(type(self).__name__, **{i: getattr(self, i) for i in self._identifiers})

    def _attr(self, key: str) -> Any:
        if self.meta.data is None:
            loader = getattr(self, "load", None)
            if loader is None:
                raise _exceptions.ResourceLoadException(f"iam.{type(self).__name__} has no load method")
            loader()
        return self.meta.data.get(key)


class User(_Resource):
    """boto3's ``iam.User``: identifier ``name``; loads with GetUser on first attribute read."""

    _identifiers = ("name",)

    def __init__(self, client: Any, name: str, data: Optional[Dict[str, Any]] = None) -> None:
        if name is None:
            raise ValueError("Required parameter name not set")
        self.name = name
        self.meta = ResourceMeta("iam", ["name"], client, data)

    # attributes of the User shape
    arn = property(lambda self: self._attr("Arn"))
    create_date = property(lambda self: self._attr("CreateDate"))
    password_last_used = property(lambda self: self._attr("PasswordLastUsed"))
    path = property(lambda self: self._attr("Path"))
    permissions_boundary = property(lambda self: self._attr("PermissionsBoundary"))
    tags = property(lambda self: self._attr("Tags"))
    user_id = property(lambda self: self._attr("UserId"))
    user_name = property(lambda self: self._attr("UserName"))

    def load(self) -> None:
        self.meta.data = self.meta.client.get_user(UserName=self.name)["User"]

    reload = load

    def get_available_subresources(self) -> List[str]:
        return ["MfaDevice"]

    def create(self, **kwargs: Any) -> "User":
        return create_user(self.meta.client, UserName=self.name, **kwargs)

    def delete(self, **kwargs: Any) -> Dict[str, Any]:
        return self.meta.client.delete_user(UserName=self.name, **kwargs)

    def update(self, **kwargs: Any) -> "User":
        self.meta.client.update_user(UserName=self.name, **kwargs)
        return User(self.meta.client, kwargs.get("NewUserName", self.name))

    def enable_mfa(self, **kwargs: Any) -> "MfaDevice":
        self.meta.client.enable_mfa_device(UserName=self.name, **kwargs)
        return MfaDevice(self.meta.client, self.name, kwargs.get("SerialNumber"))

    def MfaDevice(self, serial_number: str) -> "MfaDevice":  # noqa: N802 - boto3's name
        return MfaDevice(self.meta.client, self.name, serial_number)

    @property
    def mfa_devices(self) -> "CollectionManager":
        client = self.meta.client
        name = self.name
        return CollectionManager(
            client,
            "list_mfa_devices",
            {"UserName": name},
            lambda item: MfaDevice(client, item["UserName"], item["SerialNumber"], item),
        )


class MfaDevice(_Resource):
    """boto3's ``iam.MfaDevice`` (identifiers ``user_name``, ``serial_number``; no load)."""

    _identifiers = ("user_name", "serial_number")

    def __init__(self, client: Any, user_name: str, serial_number: str, data: Optional[Dict[str, Any]] = None) -> None:
        if user_name is None:
            raise ValueError("Required parameter user_name not set")
        if serial_number is None:
            raise ValueError("Required parameter serial_number not set")
        self.user_name = user_name
        self.serial_number = serial_number
        self.meta = ResourceMeta("iam", ["user_name", "serial_number"], client, data)

    enable_date = property(lambda self: self._attr("EnableDate"))

    def get_available_subresources(self) -> List[str]:
        return ["User"]

    def _ids(self) -> Dict[str, str]:
        return {"UserName": self.user_name, "SerialNumber": self.serial_number}

    def associate(self, **kwargs: Any) -> Dict[str, Any]:
        return self.meta.client.enable_mfa_device(**self._ids(), **kwargs)

    def disassociate(self, **kwargs: Any) -> Dict[str, Any]:
        return self.meta.client.deactivate_mfa_device(**self._ids(), **kwargs)

    def resync(self, **kwargs: Any) -> Dict[str, Any]:
        return self.meta.client.resync_mfa_device(**self._ids(), **kwargs)

    def User(self) -> User:  # noqa: N802 - boto3's name
        return User(self.meta.client, self.user_name)


class AccountSummary(_Resource):
    """boto3's ``iam.AccountSummary``: ``summary_map`` loaded with GetAccountSummary."""

    def __init__(self, client: Any) -> None:
        self.meta = ResourceMeta("iam", [], client, None)

    summary_map = property(lambda self: self._attr("SummaryMap"))

    def load(self) -> None:
        self.meta.data = self.meta.client.get_account_summary()

    reload = load

    def get_available_subresources(self) -> List[str]:
        return []

    def __repr__(self) -> str:
        return "iam.AccountSummary()"


def create_user(client: Any, **kwargs: Any) -> User:
    response = client.create_user(**kwargs)
    return User(client, kwargs.get("UserName"), response["User"])


# ---------------------------------------------------------------------------- collections


class ResourceCollection:
    """boto3's ResourceCollection: lazy, chainable (``filter``, ``limit``, ``page_size``),
    iterable; ``pages()`` yields one list of resources per service page."""

    def __init__(self, client: Any, method: str, params: Dict[str, Any], factory: Callable[[Dict[str, Any]], Any],
                 limit: Optional[int] = None, page_size: Optional[int] = None) -> None:
        self._client = client
        self._method = method
        self._params = params
        self._factory = factory
        self._limit = limit
        self._page_size = page_size

    def _clone(self, **changes: Any) -> "ResourceCollection":
        args = dict(client=self._client, method=self._method, params=dict(self._params),
                    factory=self._factory, limit=self._limit, page_size=self._page_size)
        params = changes.pop("params", None)
        if params:
            args["params"].update(params)
        args.update(changes)
        return type(self)(**args)

    def all(self) -> "ResourceCollection":
        return self._clone()

    def filter(self, **kwargs: Any) -> "ResourceCollection":
        return self._clone(params=kwargs)

    def limit(self, count: int) -> "ResourceCollection":
        return self._clone(limit=count)

    def page_size(self, count: int) -> "ResourceCollection":
        return self._clone(page_size=count)

    def pages(self) -> Iterator[List[Any]]:
        # As boto3's ResourceCollection.pages: the limit is also the paginator's MaxItems.
        config: Dict[str, Any] = {"MaxItems": self._limit, "PageSize": self._page_size}
        paginator = Paginator(self._client, self._method)
        limit = self._limit  # compared as given, as boto3 does
        count = 0
        for page in paginator.paginate(PaginationConfig=config, **self._params):
            resources = []
            for item in page.get(PAGINATED[self._method], []):
                resources.append(self._factory(item))
                count += 1
                if limit is not None and count >= limit:
                    break
            yield resources
            if limit is not None and count >= limit:
                return

    def __iter__(self) -> Iterator[Any]:
        limit = self._limit  # compared as given, as boto3 does
        count = 0
        for page in self.pages():
            for item in page:
                yield item
                count += 1
                if limit is not None and count >= limit:
                    return

    def __repr__(self) -> str:
        return f"iam.{self._method}Collection({self._params})"


class CollectionManager(ResourceCollection):
    """The collection attribute itself (``iam.virtual_mfa_devices``), as boto3's manager."""

    def __repr__(self) -> str:
        return f"iam.{PAGINATED[self._method]}CollectionManager()"

    def _repr_html_(self) -> str:
        from . import display

        return display.collection_html(self)


def virtual_mfa_devices_collection(client: Any) -> CollectionManager:
    return CollectionManager(
        client, "list_virtual_mfa_devices", {}, lambda item: _native.VirtualMfaDevice._from_data(client, item)
    )


def users_collection(client: Any) -> CollectionManager:
    return CollectionManager(client, "list_users", {}, lambda item: User(client, item["UserName"], item))
