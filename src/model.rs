//! The stored entities of one account. Everything here is serde-serializable for the state file.

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    #[serde(rename = "Key")]
    pub key: String,
    #[serde(rename = "Value")]
    pub value: String,
}

impl Tag {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// A TOTP key: the 40 random bytes behind a Base32StringSeed. Wiped when dropped; its `Debug`
/// never shows the bytes.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Secret(pub [u8; SECRET_LEN]);

/// AWS seeds are 40 bytes, i.e. 64 base32 characters without padding [OBS].
pub const SECRET_LEN: usize = 40;

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Secret {
    /// The Base32StringSeed text (RFC 4648 alphabet, no padding).
    pub fn base32(&self) -> zeroize::Zeroizing<String> {
        zeroize::Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0))
    }

    pub fn from_base32(text: &str) -> Option<Secret> {
        let mut bytes =
            zeroize::Zeroizing::new(data_encoding::BASE32_NOPAD.decode(text.as_bytes()).ok()?);
        if bytes.len() != SECRET_LEN {
            bytes.zeroize();
            return None;
        }
        let mut key = [0u8; SECRET_LEN];
        key.copy_from_slice(&bytes);
        Some(Secret(key))
    }
}

/// When and to whom a virtual device is enabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The user's stable id (`UserId`), so renames keep the link.
    pub user_id: String,
    /// Epoch seconds (UTC, whole seconds).
    pub enable_date: i64,
}

/// A virtual MFA device. Its SerialNumber is the key of the account's device map.
#[derive(Debug, Clone)]
pub struct Device {
    pub secret: Secret,
    /// Sorted by key (code point order), keys unique.
    pub tags: Vec<Tag>,
    pub assignment: Option<Assignment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub user_id: String,
    pub name: String,
    pub path: String,
    pub create_date: i64,
    /// In request order, as AWS keeps them; keys unique case-insensitively.
    pub tags: Vec<Tag>,
}

/// One entry of a list of virtual devices, as ListVirtualMFADevices returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceEntry {
    pub serial: String,
    pub assigned: Option<(User, i64)>,
}

/// One enabled device of a user (ListMFADevices, GetMFADevice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaEntry {
    pub user_name: String,
    pub serial: String,
    pub enable_date: i64,
}

/// What CreateVirtualMFADevice returns: the only time the bootstrap data leaves the account.
#[derive(Clone)]
pub struct CreatedDevice {
    pub serial: String,
    pub secret: Secret,
    pub otpauth_uri: zeroize::Zeroizing<String>,
    pub tags: Vec<Tag>,
}

impl std::fmt::Debug for CreatedDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedDevice")
            .field("serial", &self.serial)
            .field("tags", &self.tags)
            .finish_non_exhaustive()
    }
}

/// A page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Present exactly when the listing is truncated.
    pub marker: Option<String>,
}

impl<T> Page<T> {
    pub fn is_truncated(&self) -> bool {
        self.marker.is_some()
    }
}

/// Which listing a marker continues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Listing {
    VirtualDevices,
    Users,
    MfaDevices { user_id: String },
    DeviceTags { serial: String },
}

/// An issued pagination marker: the listing and the key of the last item returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkerState {
    pub listing: Listing,
    pub after: String,
}
