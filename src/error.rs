//! The AWS error catalogue: every error iamlite returns, with AWS's code, HTTP status and message text.
//!
//! Each constructor below is the single place where one AWS message lives; the evidence grade from
//! `aws-reference.md` is noted beside it ([REC] recorded, [OBS] observed, [DOC] documented, [CHOICE] ours).

/// One service-side error, as AWS would return it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", kind.code())]
pub struct IamError {
    kind: ErrorKind,
    message: String,
}

/// The modeled error codes iamlite can return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    NoSuchEntity,
    EntityAlreadyExists,
    DeleteConflict,
    InvalidAuthenticationCode,
    LimitExceeded,
    InvalidInput,
    ValidationError,
    ConcurrentModification,
    EntityTemporarilyUnmodifiable,
    ServiceFailure,
}

impl ErrorKind {
    /// The `Error.Code` string AWS sends.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::NoSuchEntity => "NoSuchEntity",
            ErrorKind::EntityAlreadyExists => "EntityAlreadyExists",
            ErrorKind::DeleteConflict => "DeleteConflict",
            ErrorKind::InvalidAuthenticationCode => "InvalidAuthenticationCode",
            ErrorKind::LimitExceeded => "LimitExceeded",
            ErrorKind::InvalidInput => "InvalidInput",
            ErrorKind::ValidationError => "ValidationError",
            ErrorKind::ConcurrentModification => "ConcurrentModification",
            ErrorKind::EntityTemporarilyUnmodifiable => "EntityTemporarilyUnmodifiable",
            ErrorKind::ServiceFailure => "ServiceFailure",
        }
    }

    /// HTTP status of the error response (aws-reference §8, [DOC]).
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::NoSuchEntity => 404,
            ErrorKind::InvalidAuthenticationCode => 403,
            ErrorKind::InvalidInput | ErrorKind::ValidationError => 400,
            ErrorKind::ServiceFailure => 500,
            ErrorKind::EntityAlreadyExists
            | ErrorKind::DeleteConflict
            | ErrorKind::LimitExceeded
            | ErrorKind::ConcurrentModification
            | ErrorKind::EntityTemporarilyUnmodifiable => 409,
        }
    }

    /// `Error.Type`: `Receiver` only for server faults.
    pub fn fault(self) -> &'static str {
        match self {
            ErrorKind::ServiceFailure => "Receiver",
            _ => "Sender",
        }
    }

    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::NoSuchEntity,
        ErrorKind::EntityAlreadyExists,
        ErrorKind::DeleteConflict,
        ErrorKind::InvalidAuthenticationCode,
        ErrorKind::LimitExceeded,
        ErrorKind::InvalidInput,
        ErrorKind::ValidationError,
        ErrorKind::ConcurrentModification,
        ErrorKind::EntityTemporarilyUnmodifiable,
        ErrorKind::ServiceFailure,
    ];
}

impl IamError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        IamError {
            kind,
            message: message.into(),
        }
    }
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
    pub fn http_status(&self) -> u16 {
        self.kind.http_status()
    }
    pub fn message(&self) -> &str {
        &self.message
    }

    // --- NoSuchEntity (404) ---
    /// [REC] any call naming a missing user.
    pub fn no_such_user(name: &str) -> Self {
        Self::new(
            ErrorKind::NoSuchEntity,
            format!("The user with name {name} cannot be found."),
        )
    }
    /// [REC] unknown serial number (enable, deactivate, delete; [CHOICE] for tags and GetMFADevice).
    pub fn no_such_device(serial: &str) -> Self {
        Self::new(
            ErrorKind::NoSuchEntity,
            format!("MFA Device with serial number {serial} does not exist."),
        )
    }
    /// [CHOICE] the device exists but is not enabled for the named user (deactivate, resync).
    pub fn device_invalid_for_user() -> Self {
        Self::new(ErrorKind::NoSuchEntity, "MFA Device invalid for user.")
    }
    /// [CHOICE] a permissions boundary names a policy; iamlite models no policies.
    pub fn no_such_policy(arn: &str) -> Self {
        Self::new(
            ErrorKind::NoSuchEntity,
            format!("Scope ARN: {arn} does not exist or is not attachable."),
        )
    }

    // --- EntityAlreadyExists (409) ---
    /// [REC] duplicate SerialNumber (path + name). moto's older text is no longer what AWS says.
    pub fn device_exists() -> Self {
        Self::new(ErrorKind::EntityAlreadyExists, "MFA device already exists.")
    }
    /// [OBS] duplicate user name (case-insensitive); the name as requested [CHOICE].
    pub fn user_exists(name: &str) -> Self {
        Self::new(
            ErrorKind::EntityAlreadyExists,
            format!("User with name {name} already exists."),
        )
    }
    /// [REC] the device is enabled for a user already (also the same one).
    pub fn device_in_use() -> Self {
        Self::new(
            ErrorKind::EntityAlreadyExists,
            "MFA Device is already in use.",
        )
    }

    // --- DeleteConflict (409) ---
    /// [OBS in a clone and a provider PR; CHOICE for the exact text].
    pub fn device_delete_conflict() -> Self {
        Self::new(
            ErrorKind::DeleteConflict,
            "MFA VirtualDevice in use. Must deactivate first.",
        )
    }
    /// [OBS] DeleteUser while an MFA device is enabled for the user.
    pub fn user_delete_conflict_mfa() -> Self {
        Self::new(
            ErrorKind::DeleteConflict,
            "Cannot delete entity, must delete MFA device first.",
        )
    }

    // --- InvalidAuthenticationCode (403) ---
    /// [OBS]
    pub fn invalid_code() -> Self {
        Self::new(
            ErrorKind::InvalidAuthenticationCode,
            "Authentication code for device is not valid.",
        )
    }

    // --- LimitExceeded (409) ---
    /// [CHOICE for the text] quota names as in AWS Service Quotas.
    pub fn quota(name: &str, limit: u64) -> Self {
        Self::new(
            ErrorKind::LimitExceeded,
            format!("Cannot exceed quota for {name}: {limit}"),
        )
    }

    // --- InvalidInput (400) ---
    /// [CHOICE] for the text; MFA device tag keys are case-sensitive [DOC].
    pub fn duplicate_device_tag_keys() -> Self {
        Self::new(ErrorKind::InvalidInput, "Duplicate tag keys found.")
    }
    /// [OBS] user tag keys are case-insensitive.
    pub fn duplicate_user_tag_keys() -> Self {
        Self::new(
            ErrorKind::InvalidInput,
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        )
    }
    /// [CHOICE] the `aws:` prefix (any case) is reserved [DOC].
    pub fn reserved_tag_key() -> Self {
        Self::new(
            ErrorKind::InvalidInput,
            "Tag keys starting with 'aws:' are reserved for AWS use.",
        )
    }
    /// [CHOICE]
    pub fn reserved_tag_value() -> Self {
        Self::new(
            ErrorKind::InvalidInput,
            "Tag values starting with 'aws:' are reserved for AWS use.",
        )
    }

    // --- ValidationError (400) ---
    /// [REC] a Marker that iamlite never issued (or one for another listing).
    pub fn invalid_marker() -> Self {
        Self::new(ErrorKind::ValidationError, "Invalid Marker.")
    }
    /// A ready-made validation message (see `validate::Violations`).
    pub fn validation(message: String) -> Self {
        Self::new(ErrorKind::ValidationError, message)
    }

    // --- ServiceFailure (500) ---
    pub fn service_failure(what: &str) -> Self {
        Self::new(ErrorKind::ServiceFailure, what.to_string())
    }
}

pub type IamResult<T> = Result<T, IamError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_match_the_reference() {
        let expected = [
            ("NoSuchEntity", 404),
            ("EntityAlreadyExists", 409),
            ("DeleteConflict", 409),
            ("InvalidAuthenticationCode", 403),
            ("LimitExceeded", 409),
            ("InvalidInput", 400),
            ("ValidationError", 400),
            ("ConcurrentModification", 409),
            ("EntityTemporarilyUnmodifiable", 409),
            ("ServiceFailure", 500),
        ];
        for (kind, (code, status)) in ErrorKind::ALL.iter().zip(expected) {
            assert_eq!(kind.code(), code);
            assert_eq!(kind.http_status(), status);
        }
        assert_eq!(ErrorKind::ServiceFailure.fault(), "Receiver");
        assert_eq!(ErrorKind::NoSuchEntity.fault(), "Sender");
    }

    #[test]
    fn messages_interpolate_the_subject() {
        assert_eq!(
            IamError::no_such_user("bob").message(),
            "The user with name bob cannot be found."
        );
        assert_eq!(
            IamError::quota("MFADevicesPerUser", 8).message(),
            "Cannot exceed quota for MFADevicesPerUser: 8"
        );
    }
}
