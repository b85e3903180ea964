"""Exceptions raised by iamlite, shaped exactly like botocore's.

``ClientError`` subclasses ``botocore.exceptions.ClientError`` when botocore is importable, so
``except botocore.exceptions.ClientError`` catches iamlite's errors; without botocore it is a plain
``Exception`` with the same constructor, ``.response`` and ``.operation_name``. Each modeled IAM
error code has its own subclass (``NoSuchEntityException`` for ``NoSuchEntity`` …), named as
botocore names them. The Rust core raises these classes; it never defines exceptions itself.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Type

try:  # botocore is optional: iamlite's native API works without it.
    from botocore.exceptions import ClientError as _ClientErrorBase
    from botocore.exceptions import ParamValidationError as ParamValidationError
except ImportError:  # pragma: no cover - exercised in a botocore-free environment
    _ClientErrorBase = None  # type: ignore[assignment,misc]

    class ParamValidationError(ValueError):  # type: ignore[no-redef]
        """botocore's ParamValidationError, for environments without botocore."""

        fmt = "Parameter validation failed:\n{report}"

        def __init__(self, **kwargs: Any) -> None:
            self.kwargs = kwargs
            super().__init__(self.fmt.format(**kwargs))

        def __reduce__(self) -> Any:
            return _rebuild_param_error, (self.kwargs,)


class _ResourceLoadException(Exception):
    """boto3's ResourceLoadException, for environments without boto3."""


def __getattr__(name: str) -> Any:
    # boto3 costs ~150 ms to import; its ResourceLoadException is looked up on first use only.
    if name == "ResourceLoadException":
        try:
            from boto3.exceptions import ResourceLoadException as cls
        except ImportError:  # pragma: no cover
            cls = _ResourceLoadException
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _rebuild_param_error(kwargs: Dict[str, Any]) -> Exception:
    return ParamValidationError(**kwargs)


if _ClientErrorBase is not None:

    class ClientError(_ClientErrorBase):  # type: ignore[valid-type,misc]
        """A service error, as botocore raises it."""

        def __reduce__(self) -> Any:
            # botocore's own __reduce__ rebuilds a plain ClientError; keep the subclass.
            return self.__class__, (self.response, self.operation_name)

else:  # pragma: no cover

    class ClientError(Exception):  # type: ignore[no-redef]
        """A service error, as botocore raises it (botocore-free fallback)."""

        MSG_TEMPLATE = (
            "An error occurred ({error_code}) when calling the {operation_name} "
            "operation{retry_info}: {error_message}"
        )

        def __init__(self, error_response: Mapping[str, Any], operation_name: str) -> None:
            err = error_response.get("Error", {})
            msg = self.MSG_TEMPLATE.format(
                error_code=err.get("Code", "Unknown"),
                error_message=err.get("Message", "Unknown"),
                operation_name=operation_name,
                retry_info="",
            )
            super().__init__(msg)
            self.response = error_response
            self.operation_name = operation_name

        def __reduce__(self) -> Any:
            return self.__class__, (self.response, self.operation_name)


class UnsupportedOperation(NotImplementedError):
    """An IAM operation iamlite does not implement (raised by ``mock_iam`` and the client)."""


#: Every modeled IAM error code → botocore's exception class name (the installed service model's
#: error shapes; `tests/test_exceptions.py` keeps the two equal). iamlite itself raises a few.
MODELED_CODES: Dict[str, str] = {
    "AccountNotManagementOrDelegatedAdministratorException": "AccountNotManagementOrDelegatedAdministratorException",
    "CallerIsNotManagementAccountException": "CallerIsNotManagementAccountException",
    "ConcurrentModification": "ConcurrentModificationException",
    "ReportExpired": "CredentialReportExpiredException",
    "ReportNotPresent": "CredentialReportNotPresentException",
    "ReportInProgress": "CredentialReportNotReadyException",
    "DeleteConflict": "DeleteConflictException",
    "DuplicateCertificate": "DuplicateCertificateException",
    "DuplicateSSHPublicKey": "DuplicateSSHPublicKeyException",
    "EntityAlreadyExists": "EntityAlreadyExistsException",
    "EntityTemporarilyUnmodifiable": "EntityTemporarilyUnmodifiableException",
    "FeatureDisabled": "FeatureDisabledException",
    "FeatureEnabled": "FeatureEnabledException",
    "InvalidAuthenticationCode": "InvalidAuthenticationCodeException",
    "InvalidCertificate": "InvalidCertificateException",
    "InvalidInput": "InvalidInputException",
    "InvalidPublicKey": "InvalidPublicKeyException",
    "InvalidUserType": "InvalidUserTypeException",
    "KeyPairMismatch": "KeyPairMismatchException",
    "LimitExceeded": "LimitExceededException",
    "MalformedCertificate": "MalformedCertificateException",
    "MalformedPolicyDocument": "MalformedPolicyDocumentException",
    "NoSuchEntity": "NoSuchEntityException",
    "OpenIdIdpCommunicationError": "OpenIdIdpCommunicationErrorException",
    "OrganizationNotFoundException": "OrganizationNotFoundException",
    "OrganizationNotInAllFeaturesModeException": "OrganizationNotInAllFeaturesModeException",
    "PasswordPolicyViolation": "PasswordPolicyViolationException",
    "PolicyEvaluation": "PolicyEvaluationException",
    "PolicyNotAttachable": "PolicyNotAttachableException",
    "ReportGenerationLimitExceeded": "ReportGenerationLimitExceededException",
    "ServiceAccessNotEnabledException": "ServiceAccessNotEnabledException",
    "ServiceFailure": "ServiceFailureException",
    "NotSupportedService": "ServiceNotSupportedException",
    "UnmodifiableEntity": "UnmodifiableEntityException",
    "UnrecognizedPublicKeyEncoding": "UnrecognizedPublicKeyEncodingException",
}

_CLASSES: Dict[str, Type[ClientError]] = {}
for _code, _name in MODELED_CODES.items():
    _cls = type(_name, (ClientError,), {"__module__": __name__, "__doc__": f"IAM error code {_code}."})
    globals()[_name] = _cls
    _CLASSES[_code] = _cls

# Names for static analysis and `from iamlite.exceptions import NoSuchEntityException`.
ConcurrentModificationException: Type[ClientError] = _CLASSES["ConcurrentModification"]
DeleteConflictException: Type[ClientError] = _CLASSES["DeleteConflict"]
EntityAlreadyExistsException: Type[ClientError] = _CLASSES["EntityAlreadyExists"]
EntityTemporarilyUnmodifiableException: Type[ClientError] = _CLASSES["EntityTemporarilyUnmodifiable"]
InvalidAuthenticationCodeException: Type[ClientError] = _CLASSES["InvalidAuthenticationCode"]
InvalidInputException: Type[ClientError] = _CLASSES["InvalidInput"]
LimitExceededException: Type[ClientError] = _CLASSES["LimitExceeded"]
NoSuchEntityException: Type[ClientError] = _CLASSES["NoSuchEntity"]
ServiceFailureException: Type[ClientError] = _CLASSES["ServiceFailure"]


def error_class_for(code: str) -> Type[ClientError]:
    """The class botocore would raise for an error code (``ClientError`` for unmodeled codes)."""
    return _CLASSES.get(code, ClientError)


def error_response(
    code: str, message: str, status: int, fault: str, request_id: str, headers: Optional[Dict[str, str]] = None
) -> Dict[str, Any]:
    """The parsed error response botocore builds from an AWS error."""
    return {
        "Error": {"Type": fault, "Code": code, "Message": message},
        "ResponseMetadata": {
            "RequestId": request_id,
            "HTTPStatusCode": status,
            "HTTPHeaders": headers
            if headers is not None
            else {"x-amzn-requestid": request_id, "content-type": "text/xml"},
            "RetryAttempts": 0,
        },
    }


def _client_error(
    code: str, message: str, status: int, fault: str, operation_name: str, request_id: str, headers: Dict[str, str]
) -> ClientError:
    """Called by the Rust core to build the exception for a service error."""
    return error_class_for(code)(error_response(code, message, status, fault, request_id, headers), operation_name)


def _param_validation_error(report: str) -> Exception:
    """Called by the Rust core for botocore's client-side parameter validation failures."""
    return ParamValidationError(report=report)


class ClientExceptions:
    """``client.exceptions``: every modeled IAM error class by botocore's name, plus ``ClientError``."""

    ClientError = ClientError

    def from_code(self, error_code: str) -> Type[ClientError]:
        """Like botocore's ``client.exceptions.from_code``."""
        return error_class_for(error_code)

    def __repr__(self) -> str:
        return "<iamlite client exceptions>"


for _cls in _CLASSES.values():
    setattr(ClientExceptions, _cls.__name__, _cls)


__all__ = [
    "ClientError",
    "ParamValidationError",
    "ResourceLoadException",
    "UnsupportedOperation",
    "ClientExceptions",
    "error_class_for",
    *MODELED_CODES.values(),
]


class StateFileError(ValueError):
    """A state file that is not iamlite's, is damaged or truncated, comes from a newer iamlite,
    or cannot be read or written. The file is left untouched; the message never quotes it."""


__all__.append("StateFileError")
