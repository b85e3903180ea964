"""``iamlite``: the ``aws iam`` commands for virtual MFA devices and users, on a local state file.

    iamlite create-virtual-mfa-device --virtual-mfa-device-name alice \\
        --outfile alice.png --bootstrap-method QRCodePNG
    iamlite create-user --user-name alice
    iamlite mfa-codes --serial-number arn:aws:iam::123456789012:mfa/alice
    iamlite enable-mfa-device --user-name alice --serial-number arn:aws:iam::123456789012:mfa/alice \\
        --authentication-code1 123456 --authentication-code2 654321

Options, output and errors follow the AWS CLI: the same option names (shorthand ``Key=k,Value=v``
or JSON for tags), JSON output with 4-space indent and ISO 8601 datetimes, automatic pagination
(``--max-items``/``--starting-token``/``--page-size``/``--no-paginate``), and AWS CLI v2's exit
codes: 0 success, 252 usage or parameter error, 254 service error, 255 anything else.

State lives in a JSON file: ``--state PATH``, else ``$IAMLITE_STATE``, else
``$XDG_STATE_HOME/iamlite/state.json`` (``~/.local/state/iamlite/state.json`` when
``XDG_STATE_HOME`` is unset). ``--account-id`` and ``--account-alias`` only matter when the file
is created; an existing file keeps its account.

Commands are one table (``COMMANDS``): each maps a command name to its IAM operation and its
options; parsing, calling and printing are shared.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as _dt
import difflib
import json
import os
import platform
import re
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, TextIO, Tuple

from ._support import METHOD_TO_API
from .exceptions import ClientError, ParamValidationError
from .totp import TOTP

PROG = "iamlite"

#: AWS CLI v2's return codes (awscli/constants.py).
RC_OK = 0
RC_USAGE = 252  # PARAM_VALIDATION_ERROR_RC: usage errors, botocore ParamValidationError
RC_SERVICE = 254  # CLIENT_ERROR_RC: the service answered with an error
RC_GENERAL = 255  # GENERAL_ERROR_RC: anything else

USAGE = (
    f"{PROG} [options] <command> [parameters]\n"
    "To see help text, you can run:\n"
    "\n"
    f"  {PROG} --help\n"
    f"  {PROG} <command> --help\n"
)


# ---------------------------------------------------------------------------- the command table

STRING, INTEGER, TAGS, STRING_LIST = "string", "integer", "tags", "list"


@dataclass(frozen=True)
class Opt:
    """One option: ``name`` is the API member (``UserName`` → ``--user-name``), or a CLI-only
    name when ``api`` is False."""

    name: str
    kind: str = STRING
    required: bool = False
    help: str = ""
    choices: Optional[Tuple[str, ...]] = None
    api: bool = True

    @property
    def flag(self) -> str:
        return "--" + cli_name(self.name)

    @property
    def dest(self) -> str:
        return cli_name(self.name).replace("-", "_")


@dataclass(frozen=True)
class Command:
    """One command: its IAM operation (None for iamlite's own commands, which have a
    ``handler``), its API options in the service model's member order, and hooks."""

    operation: Optional[str]
    help: str
    options: Tuple[Opt, ...] = ()
    #: the result key when the operation is paginated (the AWS CLI then pages it fully)
    paginated: Optional[str] = None
    #: CLI-only options (not sent to the service)
    extra: Tuple[Opt, ...] = ()
    #: checks CLI-only options before the call
    before: Optional[Callable[[argparse.Namespace], None]] = None
    #: runs on the parsed response before printing (create-virtual-mfa-device's outfile)
    after: Optional[Callable[[Any, argparse.Namespace, Dict[str, Any]], None]] = None
    #: computes the output of a command that is not an IAM operation
    handler: Optional[Callable[[Any, argparse.Namespace], Dict[str, Any]]] = None


def cli_name(member: str) -> str:
    """botocore's ``xform_name(member, '-')`` for IAM's members: ``VirtualMFADeviceName`` →
    ``virtual-mfa-device-name``, ``AuthenticationCode1`` → ``authentication-code1``."""
    if "-" in member or member.islower():
        return member
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", member)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", s).lower()


BOOTSTRAP_METHODS = ("QRCodePNG", "Base32StringSeed")


def _check_outfile(args: argparse.Namespace) -> None:
    # awscli.customizations.arguments.resolve_given_outfile_path: fail before calling the service.
    # Stricter than the AWS CLI (a directory or read-only file is refused here too), because a
    # device whose seed could not be written is useless.
    outfile = os.path.expanduser(os.path.expandvars(args.outfile))
    writable_dir = os.access(os.path.dirname(os.path.abspath(outfile)), os.W_OK)
    if os.path.isdir(outfile) or not writable_dir or (os.path.exists(outfile) and not os.access(outfile, os.W_OK)):
        raise CLIError(f"Unable to write to file: {outfile}")
    args.outfile = outfile


def _save_bootstrap(client: Any, args: argparse.Namespace, response: Dict[str, Any]) -> None:
    # awscli.customizations.iamvirtmfa: write the chosen blob (0600), drop both from the output.
    # If the file cannot be written after all (a full disk, a device file), the new device is
    # deleted again, so no device exists whose seed nobody holds.
    device = response["VirtualMFADevice"]
    if args.bootstrap_method in device:
        try:
            fd = os.open(args.outfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "wb") as fp:
                if hasattr(os, "fchmod"):
                    os.fchmod(fp.fileno(), 0o600)
                fp.write(bytes(device[args.bootstrap_method]))
        except OSError:
            try:
                client._make_api_call("DeleteVirtualMFADevice", {"SerialNumber": device["SerialNumber"]})
            finally:
                with contextlib.suppress(OSError):
                    if os.path.isfile(args.outfile):
                        os.unlink(args.outfile)  # a partial copy of the seed is no use to anyone
            raise CLIError(f"Unable to write to file: {args.outfile}") from None
        for choice in BOOTSTRAP_METHODS:
            device.pop(choice, None)


def _mfa_codes(client: Any, args: argparse.Namespace) -> Dict[str, Any]:
    # The previous and the current 30-second step: the pair an authenticator app shows in a row,
    # and one that EnableMFADevice accepts now and for the next several steps.
    totp = TOTP(client._device_seed(args.serial_number))
    now = time.time()
    return {"AuthenticationCode1": totp.at(now, -1), "AuthenticationCode2": totp.at(now)}


_SERIAL = Opt("SerialNumber", required=True, help="The serial number (ARN) of the MFA device.")
_USER = Opt("UserName", required=True, help="The name of the IAM user.")
_CODES = (
    Opt("AuthenticationCode1", required=True, help="An authentication code emitted by the device."),
    Opt("AuthenticationCode2", required=True, help="A subsequent authentication code emitted by the device."),
)
_TAGS_HELP = "Tags: Key=k,Value=v Key=k2,Value=v2 (shorthand) or JSON '[{\"Key\":\"k\",\"Value\":\"v\"}]'."

COMMANDS: Dict[str, Command] = {
    "create-virtual-mfa-device": Command(
        "CreateVirtualMFADevice",
        "Creates a virtual MFA device and writes its QR code PNG or base32 seed to --outfile.",
        (
            Opt("Path", help="The path for the virtual MFA device (default /)."),
            Opt("VirtualMFADeviceName", required=True, help="The name of the virtual MFA device."),
            Opt("Tags", TAGS, help=_TAGS_HELP),
        ),
        extra=(
            Opt("outfile", required=True, api=False, help="The file to write the bootstrap information to."),
            Opt("bootstrap-method", required=True, api=False, choices=BOOTSTRAP_METHODS,
                help="QRCodePNG | Base32StringSeed: what to write to --outfile."),
        ),
        before=_check_outfile,
        after=_save_bootstrap,
    ),
    "delete-virtual-mfa-device": Command(
        "DeleteVirtualMFADevice", "Deletes a virtual MFA device.", (_SERIAL,)),
    "list-virtual-mfa-devices": Command(
        "ListVirtualMFADevices", "Lists the virtual MFA devices, optionally by assignment status.",
        (Opt("AssignmentStatus", help="Assigned | Unassigned | Any (default Any)."),),
        paginated="VirtualMFADevices"),
    "enable-mfa-device": Command(
        "EnableMFADevice", "Enables an MFA device for a user (two consecutive codes).",
        (_USER, _SERIAL) + _CODES),
    "deactivate-mfa-device": Command(
        "DeactivateMFADevice", "Deactivates an MFA device and removes it from its user.",
        (Opt("UserName", help="The name of the IAM user."), _SERIAL)),
    "resync-mfa-device": Command(
        "ResyncMFADevice", "Resynchronizes an MFA device with two consecutive codes.",
        (_USER, _SERIAL) + _CODES),
    "get-mfa-device": Command(
        "GetMFADevice", "Shows an enabled MFA device.",
        (_SERIAL, Opt("UserName", help="The name of the IAM user."))),
    "list-mfa-devices": Command(
        "ListMFADevices", "Lists the MFA devices enabled for a user.",
        (Opt("UserName", help="The name of the IAM user."),), paginated="MFADevices"),
    "tag-mfa-device": Command(
        "TagMFADevice", "Adds tags to an MFA device.",
        (_SERIAL, Opt("Tags", TAGS, required=True, help=_TAGS_HELP))),
    "untag-mfa-device": Command(
        "UntagMFADevice", "Removes tags from an MFA device.",
        (_SERIAL, Opt("TagKeys", STRING_LIST, required=True, help="The tag keys to remove: k1 k2 ..."))),
    "list-mfa-device-tags": Command(
        "ListMFADeviceTags", "Lists the tags of an MFA device.", (_SERIAL,), paginated="Tags"),
    "create-user": Command(
        "CreateUser", "Creates an IAM user.",
        (
            Opt("Path", help="The path for the user (default /)."),
            _USER,
            Opt("PermissionsBoundary", help="The ARN of the permissions boundary policy."),
            Opt("Tags", TAGS, help=_TAGS_HELP),
        )),
    "get-user": Command(
        "GetUser", "Shows a user.", (Opt("UserName", help="The name of the IAM user."),)),
    "update-user": Command(
        "UpdateUser", "Renames a user or changes its path.",
        (
            _USER,
            Opt("NewPath", help="The new path for the user."),
            Opt("NewUserName", help="The new name for the user."),
        )),
    "delete-user": Command("DeleteUser", "Deletes a user.", (_USER,)),
    "list-users": Command(
        "ListUsers", "Lists the users, optionally under a path prefix.",
        (Opt("PathPrefix", help="Only users whose path starts with this prefix."),), paginated="Users"),
    "get-account-summary": Command("GetAccountSummary", "Shows the account's entity counts and quotas."),
    # iamlite's own: codes for a device this state holds, so devices can be enabled from a shell
    "mfa-codes": Command(
        None, "Prints two consecutive current codes (previous and current step) of a device in this state.",
        (_SERIAL,), handler=_mfa_codes),
}

#: IAM operation → the boto3 method name its paginator is registered under
_PAGINATOR_METHOD = {op: method for method, op in METHOD_TO_API.items()}

#: The paging options the AWS CLI puts on every paginated command (awscli/customizations/paginate.py).
PAGING_OPTIONS = (
    Opt("starting-token", api=False, help="The NextToken from a previous truncated output."),
    Opt("page-size", INTEGER, api=False, help="Items per service call (does not change the output)."),
    Opt("max-items", INTEGER, api=False, help="Total items to output; then NextToken tells where to resume."),
)
#: the service's own paging member, hidden as in the AWS CLI; giving it turns pagination off
MARKER = Opt("Marker", help=argparse.SUPPRESS)

# ---------------------------------------------------------------------------- errors


class CLIError(Exception):
    """An error printed as ``\\n<message>\\n`` with a return code."""

    def __init__(self, message: str, rc: int = RC_GENERAL) -> None:
        super().__init__(message)
        self.rc = rc


class UsageError(CLIError):
    """An argparse-style usage error: usage block, then ``iamlite: error: ...``."""

    def __init__(self, message: str) -> None:
        super().__init__(message, RC_USAGE)


class UnknownOptions(CLIError):
    """Options the command does not have (printed after the usage block, like the AWS CLI)."""

    def __init__(self, unknown: List[str]) -> None:
        super().__init__("Unknown options: " + ", ".join(unknown), RC_USAGE)


class ParamError(CLIError):
    """awscli's ParamError: ``Error parsing parameter '--tags': ...``."""

    def __init__(self, flag: str, message: str) -> None:
        super().__init__(f"Error parsing parameter '{flag}': {message}", RC_USAGE)


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, and reports bad choices like the AWS CLI."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(add_help=False, allow_abbrev=False, usage=USAGE, prog=PROG, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            raise argparse.ArgumentError(action, invalid_choice(value, list(action.choices)))


def invalid_choice(value: str, choices: List[str]) -> str:
    """awscli.argparser.CLIArgParser._check_value's message: the choices two per line, then
    close matches."""
    msg = ["Invalid choice, valid choices are:\n"]
    for i in range(0, len(choices), 2):
        msg.append(" | ".join("%-40s" % c for c in choices[i : i + 2]))
    possible = difflib.get_close_matches(value, choices, cutoff=0.8)
    if possible:
        msg.append("\n\nInvalid choice: %r, maybe you meant:\n" % value)
        msg.extend("  * %s" % word for word in possible)
    return "\n".join(msg)


# ---------------------------------------------------------------------------- argument values


_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.#/:")


class _Shorthand:
    """The flat subset of the AWS CLI's shorthand syntax (awscli/shorthand.py):
    ``Key=k,Value=v``; values may be quoted (``'a,b'``, ``"a b"``), commas escaped (``a\\,b``);
    ``Value=a,b`` makes a list, as in the AWS CLI (which botocore then rejects for a string)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def parse(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        while True:
            key, value = self._keyval()
            if key in out:
                raise self._syntax_error_dup(key)
            out[key] = value
            if self._eof():
                return out
            self._expect(",")

    def _eof(self) -> bool:
        return self.i >= len(self.text)

    def _skip_ws(self) -> None:
        while not self._eof() and self.text[self.i].isspace():
            self.i += 1

    def _location(self) -> str:
        return f"{self.text}\n{' ' * self.i}^"

    def _expect(self, char: str) -> None:
        self._skip_ws()
        if self._eof() or self.text[self.i] != char:
            actual = "EOF" if self._eof() else self.text[self.i]
            raise ValueError(f"Expected: '{char}', received: '{actual}' for input:\n{self._location()}")
        self.i += 1
        self._skip_ws()

    def _syntax_error_dup(self, key: str) -> ValueError:
        return ValueError(
            f'Second instance of key "{key}" encountered for input:\n{self._location()}\n'
            'This is often because there is a preceding "," instead of a space.'
        )

    def _keyval(self) -> Tuple[str, Any]:
        self._skip_ws()
        start = self.i
        while not self._eof() and self.text[self.i] in _KEY_CHARS:
            self.i += 1
        key = self.text[start : self.i]
        self._expect("=")
        if self._eof():
            return key, ""
        values = [self._value()]
        # More comma-separated values, unless what follows is the next `key=`.
        while not self._eof() and self.text[self.i] == "," and not self._next_is_key():
            self.i += 1
            self._skip_ws()
            if self._eof():
                raise ValueError(f"Expected: '<second>', received: '<none>' for input:\n{self._location()}")
            values.append(self._value())
        return key, values[0] if len(values) == 1 else values

    def _next_is_key(self) -> bool:
        return re.match(r",\s*[A-Za-z0-9\-_.#/:]*\s*=", self.text[self.i :]) is not None

    def _value(self) -> str:
        self._skip_ws()
        quote = self.text[self.i] if not self._eof() else ""
        if quote in ("'", '"'):
            m = re.compile(r"%s((?:\\%s|[^%s])*)%s" % ((quote,) * 4)).match(self.text, self.i)
            if m is None:
                raise ValueError(f"Expected: '{quote}', received: 'EOF' for input:\n{self._location()}")
            self.i = m.end()
            self._skip_ws()
            return m.group(1).replace("\\" + quote, quote)
        m = re.compile(r"(?:\\,|[^,])*").match(self.text, self.i)
        assert m is not None  # the pattern matches the empty string
        self.i = m.end()
        return m.group(0).replace("\\,", ",").rstrip()


def _read_paramfile(value: str) -> str:
    # awscli/paramfile.py: file:// reads a text file as the value.
    if value.startswith("file://"):
        path = os.path.expanduser(os.path.expandvars(value[len("file://") :]))
        try:
            with open(path, encoding="utf-8") as f:
                return f.read()
        except OSError as e:
            raise CLIError(f"Error parsing parameter: Unable to load paramfile {value}: {e}", RC_USAGE)
    return value


def _json_value(flag: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as e:
        raise ParamError(flag, f"Invalid JSON: {e}\nJSON received: {text}")


def convert(opt: Opt, raw: Any) -> Any:
    """The API value of one option, as the AWS CLI builds it (argprocess.py)."""
    if opt.kind in (TAGS, STRING_LIST):
        values = [_read_paramfile(v) for v in raw]
        if len(values) == 1 and values[0].strip().startswith("["):
            return _json_value(opt.flag, values[0])
        if opt.kind == STRING_LIST:
            return values
        if values[0].strip().startswith(("[", "{")):
            parsed = []
            for v in values:
                if not v.strip().startswith("{"):
                    raise ParamError(opt.flag, f"Invalid JSON:\n{v}")
                parsed.append(_json_value(opt.flag, v))
            return parsed
        try:
            return [_Shorthand(v).parse() for v in values]
        except ValueError as e:
            raise ParamError(opt.flag, str(e))
    if opt.kind == STRING and opt.api:
        return _read_paramfile(raw)
    return raw


# ---------------------------------------------------------------------------- output


def _json_default(obj: Any) -> Any:
    # awscli.utils.json_encoder
    if isinstance(obj, _dt.datetime):
        return obj.isoformat()
    if isinstance(obj, (bytes, bytearray)):
        return base64.b64encode(bytes(obj)).decode("utf-8")
    raise TypeError("Encountered unrecognized type in JSON encoder.")


def _text_scalar(value: Any) -> str:
    return value.isoformat() if isinstance(value, _dt.datetime) else str(value)


def _format_text(item: Any, out: List[str], identifier: Optional[str] = None,
                 scalar_keys: Optional[List[str]] = None) -> None:
    """awscli/text.py: tab-separated scalars, one line per structure, nested lists under an
    upper-cased identifier."""
    if isinstance(item, dict):
        if scalar_keys is None:
            scalars = [_text_scalar(v) for k, v in sorted(item.items()) if not isinstance(v, (dict, list))]
            nested = [(k, v) for k, v in sorted(item.items()) if isinstance(v, (dict, list))]
        else:
            scalars = [_text_scalar(item.get(k, "")) for k in scalar_keys]
            nested = [(k, item[k]) for k in sorted(set(item) - set(scalar_keys))]
        if scalars:
            out.append("\t".join(([identifier.upper()] if identifier is not None else []) + scalars))
        for key, value in nested:
            _format_text(value, out, key)
    elif isinstance(item, list):
        if not item:
            return
        if any(isinstance(el, dict) for el in item):
            keys = sorted({k for el in item if isinstance(el, dict)
                           for k, v in el.items() if not isinstance(v, (dict, list))})
            for el in item:
                _format_text(el, out, identifier, keys)
        elif identifier is not None:
            out.extend(f"{identifier.upper()}\t{_text_scalar(v)}" for v in item)
        else:
            out.append("\t".join(_text_scalar(v) for v in item))
    else:
        out.append(_text_scalar(item))


def render(response: Dict[str, Any], output: str) -> str:
    """The AWS CLI's rendering of a response (ResponseMetadata already removed)."""
    if output == "text":
        lines: List[str] = []
        token = response.pop("NextToken", None)  # the paginator's resume token comes last
        _format_text(response, lines)
        if token is not None:
            lines.append(f"NEXTTOKEN\t{token}")
        return "".join(line + "\n" for line in lines)
    if response == {}:
        return ""  # operations that return only metadata print nothing
    return json.dumps(response, indent=4, default=_json_default, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------- state


def default_state_path() -> str:
    """``$XDG_STATE_HOME/iamlite/state.json``, or ``~/.local/state/iamlite/state.json``."""
    base = os.environ.get("XDG_STATE_HOME", "")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "iamlite", "state.json")


def state_path(option: Optional[str]) -> str:
    path = option or os.environ.get("IAMLITE_STATE") or default_state_path()
    return os.path.abspath(os.path.expanduser(path))


def open_client(path: str, account_id: Optional[str], account_alias: Optional[str]) -> Any:
    """The client on the account in ``path`` (created on the first save when missing)."""
    import iamlite

    directory = os.path.dirname(path)
    if directory and not os.path.isdir(directory):
        os.makedirs(directory, mode=0o700, exist_ok=True)
    kwargs: Dict[str, Any] = {"state_file": path}
    if account_id is not None:
        kwargs["account_id"] = account_id
    if account_alias is not None:
        kwargs["account_alias"] = account_alias
    return iamlite.client("iam", **kwargs)


# ---------------------------------------------------------------------------- parsing


def _global_parser() -> _Parser:
    p = _Parser()
    p.add_argument("--state", default=None)
    p.add_argument("--account-id", default=None)
    p.add_argument("--account-alias", default=None)
    p.add_argument("--output", default="json", choices=("json", "text"))
    p.add_argument("--no-paginate", dest="paginate", action="store_false", default=True)
    p.add_argument("--version", action="store_true")
    p.add_argument("--help", "-h", dest="help", action="store_true")
    p.add_argument("command", nargs="?")
    return p


def _command_options(name: str) -> Tuple[Opt, ...]:
    cmd = COMMANDS[name]
    opts = cmd.options + cmd.extra
    if cmd.paginated:
        opts += PAGING_OPTIONS + (MARKER,)
    return opts


def _command_parser(name: str) -> _Parser:
    p = _Parser()
    for opt in _command_options(name):
        kwargs: Dict[str, Any] = {"dest": opt.dest, "required": opt.required, "help": opt.help}
        if opt.kind in (TAGS, STRING_LIST):
            kwargs["nargs"] = "+"
        elif opt.kind == INTEGER:
            kwargs["type"] = int
        if opt.choices:
            kwargs["choices"] = opt.choices
        p.add_argument(opt.flag, **kwargs)
    return p


def _command_help(name: str) -> str:
    description = COMMANDS[name].help
    options = [o for o in _command_options(name) if o.help is not argparse.SUPPRESS]
    synopsis = []
    for opt in options:
        metavar = "<value> [<value> ...]" if opt.kind in (TAGS, STRING_LIST) else "<value>"
        synopsis.append(f"{opt.flag} {metavar}" if opt.required else f"[{opt.flag} {metavar}]")
    lines = [f"{PROG} {name}", "", description, "", "Synopsis:", f"  {PROG} {name}"]
    lines += [f"    {s}" for s in synopsis]
    if options:
        lines += ["", "Options:"]
        for opt in options:
            req = " (required)" if opt.required else ""
            lines.append(f"  {opt.flag}{req}")
            lines.append(f"      {opt.help}")
    if COMMANDS[name].paginated:
        lines += ["", f"{name} is paginated: all pages are fetched unless --no-paginate is given."]
    lines += ["", "Global options: --state PATH, --output json|text, --no-paginate, "
              "--account-id ID and --account-alias ALIAS (for a new state file)."]
    return "\n".join(lines) + "\n"


def _main_help() -> str:
    width = max(len(n) for n in COMMANDS)
    lines = [
        f"usage: {PROG} [options] <command> [parameters]",
        "",
        "The AWS CLI's `aws iam` commands for virtual MFA devices and users, on a local iamlite state file.",
        "",
        "Commands:",
    ]
    lines += [f"  {n:<{width}}  {c.help}" for n, c in COMMANDS.items()]
    lines += [
        "",
        "Options:",
        "  --state PATH          the state file (default: $IAMLITE_STATE, else",
        f"                        {default_state_path()})",
        "  --account-id ID       account ID for a new state file (default 123456789012)",
        "  --account-alias NAME  account alias for a new state file",
        "  --output json|text    output format (default json)",
        "  --no-paginate         make one call for list commands",
        "  --version             show the version",
        "",
        "Exit status: 0 success, 252 usage or parameter error, 254 service error, 255 other errors.",
    ]
    return "\n".join(lines) + "\n"


def _version() -> str:
    from . import __version__

    return f"{PROG}/{__version__} Python/{platform.python_version()} {platform.system()}/{platform.release()}"


# ---------------------------------------------------------------------------- running


def _call(client: Any, name: str, args: argparse.Namespace, paginate: bool) -> Dict[str, Any]:
    cmd = COMMANDS[name]
    if cmd.handler is not None:
        return cmd.handler(client, args)
    assert cmd.operation is not None
    params = {}
    for opt in cmd.options:
        value = getattr(args, opt.dest)
        if value is not None:
            params[opt.name] = convert(opt, value)
    if cmd.before is not None:
        cmd.before(args)
    if cmd.paginated:
        if args.marker is not None:
            paginate = False  # the service's own paging member: the AWS CLI turns paging off
        if not paginate:
            used = [o.flag for o in PAGING_OPTIONS if o.dest != "max_items" and getattr(args, o.dest) is not None]
            if used:
                raise CLIError(
                    "Cannot specify --no-paginate along with pagination arguments: " + ", ".join(used), RC_USAGE)
            # with paging off, --max-items is the service's MaxItems again
            if args.max_items is not None:
                params["MaxItems"] = args.max_items
            if args.marker is not None:
                params["Marker"] = args.marker
        else:
            config = {k: v for k, v in (("MaxItems", args.max_items), ("PageSize", args.page_size),
                                        ("StartingToken", args.starting_token)) if v is not None}
            pages = client.get_paginator(_PAGINATOR_METHOD[cmd.operation]).paginate(PaginationConfig=config, **params)
            return pages.build_full_result()
    response = client._make_api_call(cmd.operation, params)
    response.pop("ResponseMetadata", None)
    if cmd.after is not None:
        cmd.after(client, args, response)
    return response


def _split_help(rest: List[str]) -> Tuple[List[str], bool]:
    wants_help = any(a in ("--help", "-h") for a in rest) or (rest[-1:] == ["help"])
    if not wants_help:
        return rest, False
    return [a for a in rest if a not in ("--help", "-h")], True


def run(argv: Sequence[str], stdout: TextIO) -> int:
    """Parses ``argv``, runs the command, prints its output; raises for every error."""
    gargs, rest = _global_parser().parse_known_args(list(argv))
    if gargs.command == "iam" and rest and not rest[0].startswith("-"):
        gargs.command = rest.pop(0)  # `iamlite iam create-user ...` reads like `aws iam create-user ...`
    if gargs.version:
        stdout.write(_version() + "\n")
        return RC_OK
    if gargs.command in (None, "help") and (gargs.help or gargs.command == "help"):
        stdout.write(_main_help())
        return RC_OK
    if gargs.command is None:
        raise UsageError("the following arguments are required: command")
    name = gargs.command
    if name not in COMMANDS:
        raise UsageError("argument command: " + invalid_choice(name, list(COMMANDS) + ["help"]))
    rest, wants_help = _split_help(rest)
    if gargs.help or wants_help:
        stdout.write(_command_help(name))
        return RC_OK
    args, unknown = _command_parser(name).parse_known_args(rest)
    if unknown:
        raise UnknownOptions(unknown)

    client = open_client(state_path(gargs.state), gargs.account_id, gargs.account_alias)
    _write(stdout, render(_call(client, name, args, gargs.paginate), gargs.output))
    return RC_OK


def _write(stream: TextIO, text: str) -> None:
    if not text:
        return
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        pass


def main(argv: Optional[Sequence[str]] = None) -> int:
    """The ``iamlite`` console script; returns the exit status."""
    if argv is None:
        argv = sys.argv[1:]
    stdout, stderr = sys.stdout, sys.stderr
    try:
        return run(argv, stdout)
    except UsageError as e:
        # awscli's argparse errors: the usage block, then `prog: error: message`.
        _write(stderr, f"usage: {USAGE}{PROG}: error: {e}\n")
        return e.rc
    except UnknownOptions as e:
        _write(stderr, f"usage: {USAGE}\n{e}\n")
        return e.rc
    except CLIError as e:
        _write(stderr, f"\n{e}\n")
        return e.rc
    except ParamValidationError as e:
        _write(stderr, f"\n{e}\n")
        return RC_USAGE
    except ClientError as e:
        _write(stderr, f"\n{e}\n")
        return RC_SERVICE
    except KeyboardInterrupt:
        _write(stdout, "\n")
        return 130
    except Exception as e:  # noqa: BLE001 - the AWS CLI's last-resort handler
        _write(stderr, f"\n{e}\n")
        return RC_GENERAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
