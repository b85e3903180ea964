//! One account's users and virtual MFA devices: every operation, its server-side checks in AWS's
//! order, quotas and pagination. Pure Rust: time comes in as an argument (`now`, epoch seconds),
//! randomness from the account's own [`Entropy`].

use crate::arn;
use crate::error::{IamError, IamResult};
use crate::model::{Device, Listing, MarkerState, User};
use crate::totp::{self, Window};
use crate::validate;
use rand::rngs::{OsRng, StdRng};
use rand::{RngCore, SeedableRng, TryRngCore};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::ops::Bound;

/// Service quotas, named as in the LimitExceeded messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Equal to the user quota [DOC].
    pub virtual_mfa_devices_per_account: u64,
    /// [DOC]
    pub mfa_devices_per_user: u64,
    /// [DOC]
    pub tags_per_mfa_device: u64,
    /// [DOC]
    pub users_per_account: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            virtual_mfa_devices_per_account: 5000,
            mfa_devices_per_user: 8,
            tags_per_mfa_device: 50,
            users_per_account: 5000,
        }
    }
}

impl Quotas {
    pub const NAMES: [&'static str; 4] = [
        "VirtualMFADevicesPerAccount",
        "MFADevicesPerUser",
        "TagsPerMFADevice",
        "UsersPerAccount",
    ];

    /// Sets one quota by its AWS name; `Err` names the unknown quota.
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), String> {
        match name {
            "VirtualMFADevicesPerAccount" => self.virtual_mfa_devices_per_account = value,
            "MFADevicesPerUser" => self.mfa_devices_per_user = value,
            "TagsPerMFADevice" => self.tags_per_mfa_device = value,
            "UsersPerAccount" => self.users_per_account = value,
            other => {
                return Err(format!(
                    "unknown quota {other:?}; expected one of {}",
                    Self::NAMES.join(", ")
                ))
            }
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<u64> {
        match name {
            "VirtualMFADevicesPerAccount" => Some(self.virtual_mfa_devices_per_account),
            "MFADevicesPerUser" => Some(self.mfa_devices_per_user),
            "TagsPerMFADevice" => Some(self.tags_per_mfa_device),
            "UsersPerAccount" => Some(self.users_per_account),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AccountConfig {
    pub account_id: String,
    pub partition: String,
    pub alias: Option<String>,
    pub quotas: Quotas,
    pub enable_window: Window,
    pub resync_window: Window,
    /// moto-compatibility: any well-formed 6-digit pair is accepted (off by default).
    pub accept_any_code: bool,
}

impl Default for AccountConfig {
    fn default() -> Self {
        AccountConfig {
            account_id: "123456789012".into(),
            partition: "aws".into(),
            alias: None,
            quotas: Quotas::default(),
            enable_window: totp::ENABLE_WINDOW,
            resync_window: totp::RESYNC_WINDOW,
            accept_any_code: false,
        }
    }
}

impl AccountConfig {
    /// Checks the options a user passes when creating an account.
    pub fn check(&self) -> Result<(), String> {
        if !arn::is_account_id(&self.account_id) {
            return Err(format!(
                "account_id must be 12 digits, got {:?}",
                self.account_id
            ));
        }
        if !arn::PARTITIONS.contains(&self.partition.as_str()) {
            return Err(format!(
                "partition must be one of {}, got {:?}",
                arn::PARTITIONS.join(", "),
                self.partition
            ));
        }
        if let Some(alias) = &self.alias {
            if !is_account_alias(alias) {
                return Err(format!("invalid account alias {alias:?}: 3-63 characters, lower-case letters, digits and single hyphens, not at either end"));
            }
        }
        Ok(())
    }
}

/// `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$` [DOC].
fn is_account_alias(s: &str) -> bool {
    let b = s.as_bytes();
    let ok_char = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    (3..=63).contains(&b.len())
        && ok_char(b[0])
        && ok_char(b[b.len() - 1])
        && b.iter().all(|&c| ok_char(c) || c == b'-')
        && !s.contains("--")
}

/// Where random bytes come from: the OS CSPRNG, or a seeded CSPRNG (ChaCha) for reproducible runs.
pub enum Entropy {
    Os,
    Seeded(Box<StdRng>),
}

impl Entropy {
    pub fn seeded(seed: u64) -> Self {
        Entropy::Seeded(Box::new(StdRng::seed_from_u64(seed)))
    }

    pub fn fill(&mut self, buf: &mut [u8]) -> IamResult<()> {
        match self {
            Entropy::Os => OsRng
                .try_fill_bytes(buf)
                .map_err(|_| IamError::service_failure("The OS random number generator failed.")),
            Entropy::Seeded(rng) => {
                rng.fill_bytes(buf);
                Ok(())
            }
        }
    }
}

impl std::fmt::Debug for Entropy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Entropy::Os => "Entropy::Os",
            Entropy::Seeded(_) => "Entropy::Seeded",
        })
    }
}

/// Issued markers kept at most; the oldest is forgotten first (and then answers `Invalid Marker.`).
pub const MARKERS_KEPT: usize = 100_000;
const DEFAULT_MAX_ITEMS: usize = 100;
/// Bytes a QR code of version 40, error correction M, holds in byte mode (ISO/IEC 18004).
pub(crate) const QR_CAPACITY: usize = 2331;
/// Base32 characters of a 40-byte seed, without padding.
pub(crate) const SEED_TEXT_LEN: usize = 64;
const ALPHANUMERIC_UPPER: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

#[derive(Debug)]
pub struct Account {
    pub config: AccountConfig,
    /// Epoch seconds when the account was made (the root's CreateDate).
    pub created: i64,
    /// By SerialNumber; listing order is SerialNumber order [CHOICE].
    pub(crate) devices: BTreeMap<String, Device>,
    /// By lower-cased user name: names are unique case-insensitively [DOC].
    pub(crate) users: BTreeMap<String, User>,
    /// UserId → lower-cased name.
    pub(crate) user_keys: HashMap<String, String>,
    /// UserId → serials of the devices enabled for the user.
    pub(crate) enabled: HashMap<String, BTreeSet<String>>,
    /// Serials of all enabled devices, so an `Assigned` page costs O(page).
    pub(crate) assigned: BTreeSet<String>,
    pub(crate) markers: HashMap<String, MarkerState>,
    pub(crate) marker_order: VecDeque<String>,
    pub(crate) entropy: Entropy,
}

impl Account {
    pub fn new(config: AccountConfig, entropy: Entropy, now: i64) -> Self {
        Account {
            config,
            created: now,
            devices: BTreeMap::new(),
            users: BTreeMap::new(),
            user_keys: HashMap::new(),
            enabled: HashMap::new(),
            assigned: BTreeSet::new(),
            markers: HashMap::new(),
            marker_order: VecDeque::new(),
            entropy,
        }
    }

    /// The text after `@` in the QR label: the alias if set, else the account id [OBS].
    pub fn account_label(&self) -> &str {
        self.config
            .alias
            .as_deref()
            .unwrap_or(&self.config.account_id)
    }

    pub fn device_count(&self) -> usize {
        self.devices.len()
    }

    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// A RequestId in UUID v4 form, drawn from the account's entropy (so reproducible when seeded).
    pub fn request_id(&mut self) -> String {
        let mut b = [0u8; 16];
        if self.entropy.fill(&mut b).is_err() {
            return "00000000-0000-4000-8000-000000000000".into();
        }
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = data_encoding::HEXLOWER.encode(&b);
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    pub(crate) fn random_upper_alnum(&mut self, n: usize) -> IamResult<String> {
        let mut bytes = vec![0u8; n];
        self.entropy.fill(&mut bytes)?;
        // 252 = 7 * 36: bytes at or above it would bias the choice; they are re-drawn.
        for b in bytes.iter_mut() {
            while *b >= 252 {
                let mut one = [0u8; 1];
                self.entropy.fill(&mut one)?;
                *b = one[0];
            }
        }
        Ok(bytes
            .iter()
            .map(|&b| ALPHANUMERIC_UPPER[(b % 36) as usize] as char)
            .collect())
    }

    // ------------------------------------------------------------------ summary (§8)

    /// GetAccountSummary's SummaryMap, with AWS's documented default quotas.
    pub fn account_summary(&self) -> Vec<(&'static str, i64)> {
        let in_use = self.assigned.len() as i64;
        let q = self.config.quotas;
        vec![
            ("Users", self.users.len() as i64),
            (
                "UsersQuota",
                i64::try_from(q.users_per_account).unwrap_or(i64::MAX),
            ),
            ("Groups", 0),
            ("GroupsQuota", 300),
            ("ServerCertificates", 0),
            ("ServerCertificatesQuota", 20),
            ("UserPolicySizeQuota", 2048),
            ("GroupPolicySizeQuota", 5120),
            ("GroupsPerUserQuota", 10),
            ("SigningCertificatesPerUserQuota", 2),
            ("AccessKeysPerUserQuota", 2),
            ("MFADevices", self.devices.len() as i64),
            ("MFADevicesInUse", in_use),
            ("AccountMFAEnabled", 0),
            ("AccountAccessKeysPresent", 0),
            ("AccountSigningCertificatesPresent", 0),
            ("AttachedPoliciesPerGroupQuota", 10),
            ("AttachedPoliciesPerRoleQuota", 10),
            ("AttachedPoliciesPerUserQuota", 10),
            ("Policies", 0),
            ("PoliciesQuota", 1500),
            ("PolicySizeQuota", 6144),
            ("PolicyVersionsInUse", 0),
            ("PolicyVersionsInUseQuota", 10000),
            ("VersionsPerPolicyQuota", 5),
            ("GlobalEndpointTokenVersion", 1),
            ("AssumeRolePolicySizeQuota", 2048),
            ("InstanceProfiles", 0),
            ("InstanceProfilesQuota", 1000),
            ("Providers", 0),
            ("RolePolicySizeQuota", 10240),
            ("Roles", 0),
            ("RolesQuota", 1000),
        ]
    }

    // ------------------------------------------------------------------ markers

    /// The key to resume after, for a marker this account issued for the same listing.
    pub(crate) fn resume_key(
        &self,
        marker: Option<&str>,
        listing: &Listing,
    ) -> IamResult<Option<String>> {
        match marker {
            None => Ok(None),
            Some(m) => match self.markers.get(m) {
                Some(state) if state.listing == *listing => Ok(Some(state.after.clone())),
                _ => Err(IamError::invalid_marker()),
            },
        }
    }

    pub(crate) fn issue_marker(
        &mut self,
        after: Option<String>,
        listing: Listing,
    ) -> IamResult<Option<String>> {
        let Some(after) = after else {
            return Ok(None);
        };
        let mut raw = [0u8; 24];
        self.entropy.fill(&mut raw)?;
        let token = data_encoding::BASE64URL_NOPAD.encode(&raw);
        if self.marker_order.len() >= MARKERS_KEPT {
            if let Some(old) = self.marker_order.pop_front() {
                self.markers.remove(&old);
            }
        }
        self.marker_order.push_back(token.clone());
        self.markers
            .insert(token.clone(), MarkerState { listing, after });
        Ok(Some(token))
    }
}

pub(crate) fn page_size(max_items: Option<i64>) -> usize {
    max_items.map_or(DEFAULT_MAX_ITEMS, |n| {
        n.clamp(1, validate::MAX_ITEMS_MAX) as usize
    })
}

pub(crate) fn after_bound(after: &Option<String>) -> (Bound<&String>, Bound<&String>) {
    match after {
        Some(k) => (Bound::Excluded(k), Bound::Unbounded),
        None => (Bound::Unbounded, Bound::Unbounded),
    }
}

mod devices;
mod mfa;
mod tags;
mod users;

#[cfg(test)]
mod tests;
