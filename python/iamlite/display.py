"""Jupyter rendering for iamlite objects: ``_repr_html_`` of ``VirtualMfaDevice``,
``ServiceResource`` and the collections call into this module.

Invariants:
- everything that came from a caller (paths, names, tags, ARNs) is HTML-escaped;
- the base32 seed never appears in any output; the QR code of a device this process created is
  embedded as a PNG ``data:`` URI, which is an image, not the seed's text;
- rendering never raises for a device made from an identifier alone (boto3's no-load device):
  its fields show "not loaded";
- importing this module imports nothing beyond the standard library.
"""

from __future__ import annotations

import base64
import datetime as _dt
from html import escape
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple, Type

#: How many rows a collection table shows before "… and N more".
MAX_ROWS = 50

NOT_LOADED = "not loaded"

_STYLE = (
    "<style>"
    ".iamlite-card{display:flex;gap:1em;align-items:flex-start;font-family:sans-serif;"
    "border:1px solid #ccc;border-radius:6px;padding:0.75em;max-width:48em}"
    ".iamlite-card img{image-rendering:pixelated;width:200px;height:200px;flex:none}"
    ".iamlite-card table,.iamlite-table{border-collapse:collapse}"
    ".iamlite-card th{text-align:left;padding:0.15em 0.75em 0.15em 0;vertical-align:top}"
    ".iamlite-card td{padding:0.15em 0;word-break:break-all}"
    ".iamlite-table th,.iamlite-table td{text-align:left;padding:0.2em 0.6em;border-bottom:1px solid #ddd}"
    ".iamlite-muted{color:#777}"
    "</style>"
)


def _text(value: Any) -> str:
    """Escaped text of a value; ``—`` for None."""
    if value is None:
        return '<span class="iamlite-muted">—</span>'
    if isinstance(value, _dt.datetime):
        value = value.isoformat(sep=" ", timespec="seconds")
    elif isinstance(value, (bytes, bytearray)):
        # No byte string the device holds is displayable (the seed is bytes): never echo one.
        return '<span class="iamlite-muted">(bytes)</span>'
    return escape(str(value), quote=True)


def _muted(text: str) -> str:
    return f'<span class="iamlite-muted">{escape(text)}</span>'


def _load_error() -> Tuple[Type[BaseException], ...]:
    from .exceptions import ResourceLoadException  # boto3's class when boto3 is importable

    return (ResourceLoadException,)


def _attr(obj: Any, name: str) -> Tuple[bool, Any]:
    """``(loaded, value)`` of a resource attribute; ``(False, None)`` for a no-load resource."""
    try:
        return True, getattr(obj, name)
    except _load_error():
        return False, None


def _tags_html(tags: Any) -> str:
    if not tags:
        return _muted("none")
    items = []
    for tag in tags:
        if isinstance(tag, dict):
            items.append(f"<code>{_text(tag.get('Key'))}</code>=<code>{_text(tag.get('Value'))}</code>")
        else:
            items.append(_text(tag))
    return ", ".join(items)


def _status(loaded: bool, user: Any) -> str:
    if not loaded:
        return NOT_LOADED
    return "Assigned" if user else "Unassigned"


def _user_name(user: Any) -> Optional[str]:
    if isinstance(user, dict):
        return user.get("UserName")
    return None


def _qr_img(device: Any) -> str:
    """The QR code of a device this process created, as an ``<img>`` (PNG data URI), else ''."""
    try:
        if not device._has_bootstrap:
            return ""
    except AttributeError:
        return ""
    png = None
    try:
        png = device.qr_code_png
    except Exception:  # the PNG failed to render: fall back to the SVG
        png = None
    if png:
        data = base64.b64encode(bytes(png)).decode("ascii")
        return f'<img class="iamlite-qr" alt="QR code of the virtual MFA device" src="data:image/png;base64,{data}"/>'
    try:
        svg = device._qr_svg()
    except Exception:
        svg = None
    if svg:
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="iamlite-qr" alt="QR code of the virtual MFA device" src="data:image/svg+xml;base64,{data}"/>'
    return ""


def device_html(device: Any) -> str:
    """An HTML card for a ``VirtualMfaDevice``: its QR code (only when this process created it),
    serial number, assignment status, user, enable date and tags. Never the seed."""
    serial = getattr(device, "serial_number", None)
    loaded, user = _attr(device, "user_attribute")
    _, enable_date = _attr(device, "enable_date")
    _, tags = _attr(device, "tags")
    bootstrap = bool(getattr(device, "_has_bootstrap", False))

    status = _status(loaded, user)
    if bootstrap and status == "Unassigned":
        # The object holds what CreateVirtualMFADevice returned; it is not refreshed (no load).
        status_html = f'{status} {_muted("(at creation)")}'
    elif not loaded:
        status_html = _muted(NOT_LOADED)
    else:
        status_html = escape(status)

    def field(value: Any) -> str:
        return _text(value) if loaded else _muted(NOT_LOADED)

    rows = [
        ("Serial number", f"<code>{_text(serial)}</code>"),
        ("Status", f'<span class="iamlite-status">{status_html}</span>'),
        ("User", field(_user_name(user))),
        ("Enable date", field(enable_date)),
        ("Tags", _tags_html(tags) if loaded else _muted(NOT_LOADED)),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    qr = _qr_img(device)
    hint = '<p class="iamlite-muted">Scan with an authenticator app.</p>' if qr else ""
    return (
        f'{_STYLE}<div class="iamlite-card iamlite-device">{qr}'
        f"<div><strong>iam.VirtualMfaDevice</strong><table>{body}</table>{hint}</div></div>"
    )


def resource_html(resource: Any) -> str:
    """A short summary of a ``ServiceResource``: partition, account id (when known) and counts."""
    client = resource.meta.client
    partition = getattr(getattr(client, "meta", None), "partition", None)
    devices, users = resource._counts()
    rows = [("Partition", _text(partition))]
    rows.append(("Account", _text(client._account_id)))
    rows.append(("Virtual MFA devices", _text(devices)))
    rows.append(("Users", _text(users)))
    body = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'{_STYLE}<div class="iamlite-card iamlite-resource"><div><strong>iam.ServiceResource</strong> (iamlite)<table>{body}</table></div></div>'


# ---------------------------------------------------------------------------- collections

Column = Tuple[str, Callable[[Any], str]]


def _data_get(item: Any, key: str) -> Tuple[bool, Any]:
    try:
        data = item.meta.data
    except _load_error():
        return False, None
    if data is None:
        return False, None
    return True, data.get(key)


def _device_columns() -> List[Column]:
    def status(d: Any) -> str:
        loaded, user = _attr(d, "user_attribute")
        return f'<span class="iamlite-status">{escape(_status(loaded, user))}</span>'

    def user(d: Any) -> str:
        loaded, u = _attr(d, "user_attribute")
        return _text(_user_name(u)) if loaded else _muted(NOT_LOADED)

    def enable_date(d: Any) -> str:
        loaded, v = _attr(d, "enable_date")
        return _text(v) if loaded else _muted(NOT_LOADED)

    return [
        ("Serial number", lambda d: f"<code>{_text(d.serial_number)}</code>"),
        ("Status", status),
        ("User", user),
        ("Enable date", enable_date),
    ]


def _user_columns() -> List[Column]:
    def attr(key: str) -> Callable[[Any], str]:
        def get(u: Any) -> str:
            loaded, v = _data_get(u, key)
            return _text(v) if loaded else _muted(NOT_LOADED)

        return get

    return [
        ("User name", lambda u: _text(u.name)),
        ("User ID", attr("UserId")),
        ("Path", attr("Path")),
        ("Created", attr("CreateDate")),
    ]


def _mfa_columns() -> List[Column]:
    def enable_date(m: Any) -> str:
        loaded, v = _data_get(m, "EnableDate")
        return _text(v) if loaded else _muted(NOT_LOADED)

    return [
        ("User name", lambda m: _text(m.user_name)),
        ("Serial number", lambda m: f"<code>{_text(m.serial_number)}</code>"),
        ("Enable date", enable_date),
    ]


_COLUMNS = {
    "list_virtual_mfa_devices": ("virtual MFA devices", _device_columns),
    "list_users": ("users", _user_columns),
    "list_mfa_devices": ("MFA devices", _mfa_columns),
}


def _table(title: str, columns: Sequence[Column], items: Iterable[Any], max_rows: int) -> str:
    head = "".join(f"<th>{escape(name)}</th>" for name, _ in columns)
    rows: List[str] = []
    more = 0
    for item in items:
        if len(rows) >= max_rows:
            more += 1
            continue
        rows.append("<tr>" + "".join(f"<td>{cell(item)}</td>" for _, cell in columns) + "</tr>")
    shown = len(rows)
    if not rows:
        rows.append(f'<tr><td colspan="{len(columns)}">{_muted("(none)")}</td></tr>')
    footer = f'<p class="iamlite-more">… and {more} more</p>' if more else ""
    count = shown + more
    caption = f"{escape(title)}: {count}"
    return (
        f'{_STYLE}<div class="iamlite-collection"><table class="iamlite-table"><caption style="text-align:left">'
        f"{caption}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{footer}</div>"
    )


def collection_html(collection: Any, max_rows: int = MAX_ROWS) -> str:
    """An HTML table of a collection's items (at most ``max_rows``, then "… and N more")."""
    method = str(getattr(collection, "_method", ""))
    title, columns = _COLUMNS.get(method, ("items", lambda: [("Item", lambda x: _text(repr(x)))]))
    return _table(title, columns(), collection, max_rows)
