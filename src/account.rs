//! One account's users and virtual MFA devices: every operation, its server-side checks in AWS's
//! order, quotas and pagination. Pure Rust: time comes in as an argument (`now`, epoch seconds),
//! randomness from the account's own [`Entropy`].

use crate::arn;
use crate::error::{IamError, IamResult};
use crate::model::{
    Assignment, CreatedDevice, Device, DeviceEntry, Listing, MarkerState, MfaEntry, Page, Secret,
    Tag, User, SECRET_LEN,
};
use crate::otpauth;
use crate::totp::{self, Window};
use crate::validate::{self, Violations};
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
const QR_CAPACITY: usize = 2331;
/// Base32 characters of a 40-byte seed, without padding.
const SEED_TEXT_LEN: usize = 64;
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

    fn random_upper_alnum(&mut self, n: usize) -> IamResult<String> {
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

    // ------------------------------------------------------------------ virtual devices

    /// CreateVirtualMFADevice (aws-reference §2).
    pub fn create_virtual_mfa_device(
        &mut self,
        path: Option<&str>,
        name: &str,
        tags: &[Tag],
    ) -> IamResult<CreatedDevice> {
        let mut v = Violations::new();
        if let Some(p) = path {
            v.path("path", p);
        }
        v.name("virtualMFADeviceName", name, None);
        v.tags(tags);
        // The model sets no maximum for the name [DOC]; the only bound iamlite adds is that the
        // otpauth URI must fit a QR code (version 40-M holds 2331 bytes), so the bootstrap PNG
        // can always be made [CHOICE].
        if v.is_empty() {
            let uri_len = otpauth::uri_len(name, self.account_label(), SEED_TEXT_LEN);
            if uri_len > QR_CAPACITY {
                let room = name.len().saturating_sub(uri_len - QR_CAPACITY);
                v.too_long("virtualMFADeviceName", Some(name), room);
            }
        }
        v.finish()?;
        validate::check_tag_rules(tags, false)?;

        let path = path.unwrap_or("/");
        let serial =
            arn::device_serial(&self.config.partition, &self.config.account_id, path, name);
        if self.devices.contains_key(&serial) {
            return Err(IamError::device_exists());
        }
        let quotas = self.config.quotas;
        if self.devices.len() as u64 >= quotas.virtual_mfa_devices_per_account {
            return Err(IamError::quota(
                "VirtualMFADevicesPerAccount",
                quotas.virtual_mfa_devices_per_account,
            ));
        }
        if tags.len() as u64 > quotas.tags_per_mfa_device {
            return Err(IamError::quota(
                "TagsPerMFADevice",
                quotas.tags_per_mfa_device,
            ));
        }
        let mut secret = Secret([0u8; SECRET_LEN]);
        self.entropy.fill(&mut secret.0)?;
        let otpauth_uri = otpauth::uri(name, self.account_label(), &secret.base32());
        let mut sorted = tags.to_vec();
        sorted.sort_by(|a, b| a.key.cmp(&b.key));
        self.devices.insert(
            serial.clone(),
            Device {
                path_len: path.len() as u32,
                secret: secret.clone(),
                tags: sorted,
                assignment: None,
            },
        );
        Ok(CreatedDevice {
            serial,
            secret,
            otpauth_uri,
            tags: tags.to_vec(),
        })
    }

    /// DeleteVirtualMFADevice (§6). Never detaches silently; the secret is wiped on drop.
    pub fn delete_virtual_mfa_device(&mut self, serial: &str) -> IamResult<()> {
        let mut v = Violations::new();
        v.serial(serial);
        v.finish()?;
        let device = self.device(serial)?;
        if device.assignment.is_some() {
            return Err(IamError::device_delete_conflict());
        }
        self.devices.remove(serial);
        Ok(())
    }

    /// ListVirtualMFADevices (§3): SerialNumber order, default AssignmentStatus `Any`.
    pub fn list_virtual_mfa_devices(
        &mut self,
        assignment_status: Option<&str>,
        marker: Option<&str>,
        max_items: Option<i64>,
    ) -> IamResult<Page<DeviceEntry>> {
        let mut v = Violations::new();
        if let Some(status) = assignment_status {
            if !validate::ASSIGNMENT_STATUSES.contains(&status) {
                v.not_in_enum("assignmentStatus", status, &validate::ASSIGNMENT_STATUSES);
            }
        }
        v.marker(marker);
        v.max_items(max_items);
        v.finish()?;
        let after = self.resume_key(marker, &Listing::VirtualDevices)?;
        let want: Option<bool> = match assignment_status {
            Some("Assigned") => Some(true),
            Some("Unassigned") => Some(false),
            _ => None,
        };
        let limit = page_size(max_items);
        let mut items = Vec::with_capacity(limit.min(self.devices.len()));
        let mut last: Option<&String> = None;
        let mut more = false;
        for (serial, device) in self.devices.range::<String, _>(after_bound(&after)) {
            if want.is_some_and(|w| w != device.assignment.is_some()) {
                continue;
            }
            if items.len() == limit {
                more = true;
                break;
            }
            let assigned = device.assignment.as_ref().and_then(|a| {
                self.user_by_id(&a.user_id)
                    .map(|u| (u.clone(), a.enable_date))
            });
            items.push(DeviceEntry {
                serial: serial.clone(),
                assigned,
            });
            last = Some(serial);
        }
        let resume = if more { last.cloned() } else { None };
        let marker = self.issue_marker(resume, Listing::VirtualDevices)?;
        Ok(Page { items, marker })
    }

    fn device(&self, serial: &str) -> IamResult<&Device> {
        self.devices
            .get(serial)
            .ok_or_else(|| IamError::no_such_device(serial))
    }

    /// The device's name (the part of the serial after the path).
    pub fn device_name<'a>(&self, serial: &'a str) -> Option<&'a str> {
        let device = self.devices.get(serial)?;
        let prefix = arn::device_prefix(&self.config.partition, &self.config.account_id);
        serial.get(prefix.len() + device.path_len as usize..)
    }

    /// The TOTP key of a device this account holds (for `iamlite mfa-codes` and tests).
    pub fn device_secret(&self, serial: &str) -> IamResult<&Secret> {
        self.devices
            .get(serial)
            .map(|d| &d.secret)
            .ok_or_else(|| IamError::no_such_device(serial))
    }

    // ------------------------------------------------------------------ users

    fn user_by_id(&self, user_id: &str) -> Option<&User> {
        self.user_keys.get(user_id).and_then(|k| self.users.get(k))
    }

    fn find_user(&self, name: &str) -> IamResult<&User> {
        self.users
            .get(&name.to_lowercase())
            .ok_or_else(|| IamError::no_such_user(name))
    }

    /// CreateUser (§4).
    pub fn create_user(
        &mut self,
        path: Option<&str>,
        name: &str,
        permissions_boundary: Option<&str>,
        tags: &[Tag],
        now: i64,
    ) -> IamResult<User> {
        let mut v = Violations::new();
        if let Some(p) = path {
            v.path("path", p);
        }
        v.user_name("userName", name, validate::USER_NAME_MAX);
        if let Some(b) = permissions_boundary {
            v.arn("permissionsBoundary", b);
        }
        v.tags(tags);
        v.finish()?;
        validate::check_tag_rules(tags, true)?;
        let key = name.to_lowercase();
        if self.users.contains_key(&key) {
            return Err(IamError::user_exists(name));
        }
        if let Some(b) = permissions_boundary {
            // iamlite models no managed policies, so no boundary can be attached [CHOICE].
            return Err(IamError::no_such_policy(b));
        }
        let quota = self.config.quotas.users_per_account;
        if self.users.len() as u64 >= quota {
            return Err(IamError::quota("UsersPerAccount", quota));
        }
        let user_id = loop {
            // UserIds: `AIDA` + 17 upper-case letters and digits [OBS].
            let id = format!("AIDA{}", self.random_upper_alnum(17)?);
            if !self.user_keys.contains_key(&id) {
                break id;
            }
        };
        let user = User {
            user_id: user_id.clone(),
            name: name.to_string(),
            path: path.unwrap_or("/").to_string(),
            create_date: now,
            tags: tags.to_vec(),
        };
        self.user_keys.insert(user_id, key.clone());
        self.users.insert(key, user.clone());
        Ok(user)
    }

    /// GetUser (§4) for a named user.
    pub fn get_user(&self, name: &str) -> IamResult<User> {
        let mut v = Violations::new();
        v.user_name("userName", name, validate::EXISTING_USER_NAME_MAX);
        v.finish()?;
        self.find_user(name).cloned()
    }

    pub fn user_arn(&self, user: &User) -> String {
        arn::user_arn(
            &self.config.partition,
            &self.config.account_id,
            &user.path,
            &user.name,
        )
    }

    /// UpdateUser (§4): a rename or new path keeps the user's MFA devices [REC].
    pub fn update_user(
        &mut self,
        name: &str,
        new_path: Option<&str>,
        new_name: Option<&str>,
    ) -> IamResult<()> {
        let mut v = Violations::new();
        v.user_name("userName", name, validate::EXISTING_USER_NAME_MAX);
        if let Some(p) = new_path {
            v.path("newPath", p);
        }
        if let Some(n) = new_name {
            v.name("newUserName", n, Some(validate::USER_NAME_MAX));
        }
        v.finish()?;
        let key = name.to_lowercase();
        if !self.users.contains_key(&key) {
            return Err(IamError::no_such_user(name));
        }
        let new_key = new_name.map(str::to_lowercase);
        if let Some(nk) = &new_key {
            if *nk != key && self.users.contains_key(nk) {
                return Err(IamError::user_exists(new_name.unwrap_or_default()));
            }
        }
        let Some(mut user) = self.users.remove(&key) else {
            return Err(IamError::no_such_user(name));
        };
        if let Some(p) = new_path {
            user.path = p.to_string();
        }
        if let Some(n) = new_name {
            user.name = n.to_string();
        }
        let final_key = new_key.unwrap_or(key);
        self.user_keys
            .insert(user.user_id.clone(), final_key.clone());
        self.users.insert(final_key, user);
        Ok(())
    }

    /// DeleteUser (§4): refused while an MFA device is enabled for the user [OBS].
    pub fn delete_user(&mut self, name: &str) -> IamResult<()> {
        let mut v = Violations::new();
        v.user_name("userName", name, validate::EXISTING_USER_NAME_MAX);
        v.finish()?;
        let user_id = self.find_user(name)?.user_id.clone();
        if self.enabled.get(&user_id).is_some_and(|s| !s.is_empty()) {
            return Err(IamError::user_delete_conflict_mfa());
        }
        self.enabled.remove(&user_id);
        self.user_keys.remove(&user_id);
        self.users.remove(&name.to_lowercase());
        Ok(())
    }

    /// ListUsers: by name (case-insensitive order), filtered by path prefix.
    pub fn list_users(
        &mut self,
        path_prefix: Option<&str>,
        marker: Option<&str>,
        max_items: Option<i64>,
    ) -> IamResult<Page<User>> {
        let mut v = Violations::new();
        if let Some(p) = path_prefix {
            v.path_prefix("pathPrefix", p);
        }
        v.marker(marker);
        v.max_items(max_items);
        v.finish()?;
        let after = self.resume_key(marker, &Listing::Users)?;
        let prefix = path_prefix.unwrap_or("/");
        let limit = page_size(max_items);
        let mut items = Vec::new();
        let mut last = None;
        let mut more = false;
        for (key, user) in self.users.range::<String, _>(after_bound(&after)) {
            if !user.path.starts_with(prefix) {
                continue;
            }
            if items.len() == limit {
                more = true;
                break;
            }
            items.push(user.clone());
            last = Some(key.clone());
        }
        let marker = self.issue_marker(if more { last } else { None }, Listing::Users)?;
        Ok(Page { items, marker })
    }

    // ------------------------------------------------------------------ enable and friends

    fn check_codes(&self, v: &mut Violations, code1: &str, code2: &str) {
        v.code("authenticationCode1", code1);
        v.code("authenticationCode2", code2);
    }

    fn codes_match(
        &self,
        serial: &str,
        code1: &str,
        code2: &str,
        now: i64,
        window: Window,
    ) -> bool {
        if self.config.accept_any_code {
            return true;
        }
        self.devices.get(serial).is_some_and(|d| {
            totp::verify_pair(&d.secret.0, code1, code2, totp::step_at(now), window).is_some()
        })
    }

    /// EnableMFADevice (§5). Order: user [REC], device [REC], in use [REC], quota, codes [CHOICE].
    pub fn enable_mfa_device(
        &mut self,
        user_name: &str,
        serial: &str,
        code1: &str,
        code2: &str,
        now: i64,
    ) -> IamResult<()> {
        let mut v = Violations::new();
        v.user_name("userName", user_name, validate::EXISTING_USER_NAME_MAX);
        v.serial(serial);
        self.check_codes(&mut v, code1, code2);
        v.finish()?;
        let user_id = self.find_user(user_name)?.user_id.clone();
        let device = self.device(serial)?;
        if device.assignment.is_some() {
            return Err(IamError::device_in_use());
        }
        let quota = self.config.quotas.mfa_devices_per_user;
        if self.enabled.get(&user_id).map_or(0, BTreeSet::len) as u64 >= quota {
            return Err(IamError::quota("MFADevicesPerUser", quota));
        }
        if !self.codes_match(serial, code1, code2, now, self.config.enable_window) {
            return Err(IamError::invalid_code());
        }
        if let Some(device) = self.devices.get_mut(serial) {
            device.assignment = Some(Assignment {
                user_id: user_id.clone(),
                enable_date: now,
            });
        }
        self.enabled
            .entry(user_id)
            .or_default()
            .insert(serial.to_string());
        Ok(())
    }

    /// The user a device is enabled for, checked against the request (deactivate, resync).
    /// Order: user, serial [REC], then `MFA Device invalid for user.` [CHOICE].
    fn enabled_for(&self, user_name: Option<&str>, serial: &str) -> IamResult<String> {
        let wanted = match user_name {
            Some(name) => Some(self.find_user(name)?.user_id.clone()),
            None => None,
        };
        let device = self.device(serial)?;
        match (&device.assignment, wanted) {
            (Some(a), Some(w)) if a.user_id == w => Ok(w),
            // Without UserName, the device's own user is meant [CHOICE].
            (Some(a), None) => Ok(a.user_id.clone()),
            _ => Err(IamError::device_invalid_for_user()),
        }
    }

    /// DeactivateMFADevice (§5). The device stays, unassigned.
    pub fn deactivate_mfa_device(
        &mut self,
        user_name: Option<&str>,
        serial: &str,
    ) -> IamResult<()> {
        let mut v = Violations::new();
        if let Some(name) = user_name {
            v.user_name("userName", name, validate::EXISTING_USER_NAME_MAX);
        }
        v.serial(serial);
        v.finish()?;
        let user_id = self.enabled_for(user_name, serial)?;
        if let Some(device) = self.devices.get_mut(serial) {
            device.assignment = None;
        }
        if let Some(set) = self.enabled.get_mut(&user_id) {
            set.remove(serial);
        }
        Ok(())
    }

    /// ResyncMFADevice (§5): same order as deactivate, then the codes within the wider window.
    pub fn resync_mfa_device(
        &mut self,
        user_name: &str,
        serial: &str,
        code1: &str,
        code2: &str,
        now: i64,
    ) -> IamResult<()> {
        let mut v = Violations::new();
        v.user_name("userName", user_name, validate::EXISTING_USER_NAME_MAX);
        v.serial(serial);
        self.check_codes(&mut v, code1, code2);
        v.finish()?;
        self.enabled_for(Some(user_name), serial)?;
        if !self.codes_match(serial, code1, code2, now, self.config.resync_window) {
            return Err(IamError::invalid_code());
        }
        Ok(())
    }

    /// GetMFADevice (§5): only enabled devices answer [CHOICE].
    pub fn get_mfa_device(&self, serial: &str, user_name: Option<&str>) -> IamResult<MfaEntry> {
        let mut v = Violations::new();
        v.serial(serial);
        if let Some(name) = user_name {
            v.user_name("userName", name, validate::USER_NAME_MAX);
        }
        v.finish()?;
        let wanted = match user_name {
            Some(name) => Some(self.find_user(name)?.user_id.clone()),
            None => None,
        };
        let device = self.device(serial)?;
        let assignment = device
            .assignment
            .as_ref()
            .filter(|a| wanted.as_ref().is_none_or(|w| *w == a.user_id))
            .ok_or_else(|| IamError::no_such_device(serial))?;
        let user = self
            .user_by_id(&assignment.user_id)
            .ok_or_else(|| IamError::no_such_device(serial))?;
        Ok(MfaEntry {
            user_name: user.name.clone(),
            serial: serial.to_string(),
            enable_date: assignment.enable_date,
        })
    }

    /// ListMFADevices (§5). Without UserName the caller (the root) is meant, which has none.
    pub fn list_mfa_devices(
        &mut self,
        user_name: Option<&str>,
        marker: Option<&str>,
        max_items: Option<i64>,
    ) -> IamResult<Page<MfaEntry>> {
        let mut v = Violations::new();
        if let Some(name) = user_name {
            v.user_name("userName", name, validate::EXISTING_USER_NAME_MAX);
        }
        v.marker(marker);
        v.max_items(max_items);
        v.finish()?;
        let Some(name) = user_name else {
            let listing = Listing::MfaDevices {
                user_id: String::new(),
            };
            self.resume_key(marker, &listing)?;
            return Ok(Page {
                items: Vec::new(),
                marker: None,
            });
        };
        let user = self.find_user(name)?.clone();
        let listing = Listing::MfaDevices {
            user_id: user.user_id.clone(),
        };
        let after = self.resume_key(marker, &listing)?;
        let limit = page_size(max_items);
        let mut items = Vec::new();
        let mut more = false;
        if let Some(serials) = self.enabled.get(&user.user_id) {
            for serial in serials.range::<String, _>(after_bound(&after)) {
                if items.len() == limit {
                    more = true;
                    break;
                }
                let enable_date = self
                    .devices
                    .get(serial)
                    .and_then(|d| d.assignment.as_ref())
                    .map_or(0, |a| a.enable_date);
                items.push(MfaEntry {
                    user_name: user.name.clone(),
                    serial: serial.clone(),
                    enable_date,
                });
            }
        }
        let resume = if more {
            items.last().map(|e: &MfaEntry| e.serial.clone())
        } else {
            None
        };
        let marker = self.issue_marker(resume, listing)?;
        Ok(Page { items, marker })
    }

    // ------------------------------------------------------------------ tags (§7)

    /// TagMFADevice: all or nothing; an existing key gets the new value [DOC].
    pub fn tag_mfa_device(&mut self, serial: &str, tags: &[Tag]) -> IamResult<()> {
        let mut v = Violations::new();
        v.serial(serial);
        v.tags(tags);
        v.finish()?;
        validate::check_tag_rules(tags, false)?;
        let quota = self.config.quotas.tags_per_mfa_device;
        let device = self
            .devices
            .get_mut(serial)
            .ok_or_else(|| IamError::no_such_device(serial))?;
        let mut merged = device.tags.clone();
        for tag in tags {
            match merged.binary_search_by(|t| t.key.cmp(&tag.key)) {
                Ok(i) => merged[i].value = tag.value.clone(),
                Err(i) => merged.insert(i, tag.clone()),
            }
        }
        if merged.len() as u64 > quota {
            return Err(IamError::quota("TagsPerMFADevice", quota));
        }
        device.tags = merged;
        Ok(())
    }

    /// UntagMFADevice: keys that are not there are ignored.
    pub fn untag_mfa_device(&mut self, serial: &str, keys: &[String]) -> IamResult<()> {
        let mut v = Violations::new();
        v.serial(serial);
        v.tag_keys(keys);
        v.finish()?;
        let device = self
            .devices
            .get_mut(serial)
            .ok_or_else(|| IamError::no_such_device(serial))?;
        device.tags.retain(|t| !keys.contains(&t.key));
        Ok(())
    }

    /// ListMFADeviceTags: sorted by key in code point order [DOC; CHOICE for the order's meaning].
    pub fn list_mfa_device_tags(
        &mut self,
        serial: &str,
        marker: Option<&str>,
        max_items: Option<i64>,
    ) -> IamResult<Page<Tag>> {
        let mut v = Violations::new();
        v.serial(serial);
        v.marker(marker);
        v.max_items(max_items);
        v.finish()?;
        let listing = Listing::DeviceTags {
            serial: serial.to_string(),
        };
        if !self.devices.contains_key(serial) {
            return Err(IamError::no_such_device(serial));
        }
        let after = self.resume_key(marker, &listing)?;
        let tags = self.devices.get(serial).map(|d| &d.tags[..]).unwrap_or(&[]);
        let start = match &after {
            Some(k) => tags.partition_point(|t| t.key.as_str() <= k.as_str()),
            None => 0,
        };
        let limit = page_size(max_items);
        let end = (start + limit).min(tags.len());
        let items = tags[start..end].to_vec();
        let resume = if end < tags.len() {
            items.last().map(|t| t.key.clone())
        } else {
            None
        };
        let marker = self.issue_marker(resume, listing)?;
        Ok(Page { items, marker })
    }

    // ------------------------------------------------------------------ summary (§8)

    /// GetAccountSummary's SummaryMap, with AWS's documented default quotas.
    pub fn account_summary(&self) -> Vec<(&'static str, i64)> {
        let in_use = self
            .devices
            .values()
            .filter(|d| d.assignment.is_some())
            .count() as i64;
        let q = self.config.quotas;
        vec![
            ("Users", self.users.len() as i64),
            ("UsersQuota", q.users_per_account as i64),
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
    fn resume_key(&self, marker: Option<&str>, listing: &Listing) -> IamResult<Option<String>> {
        match marker {
            None => Ok(None),
            Some(m) => match self.markers.get(m) {
                Some(state) if state.listing == *listing => Ok(Some(state.after.clone())),
                _ => Err(IamError::invalid_marker()),
            },
        }
    }

    fn issue_marker(
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

fn page_size(max_items: Option<i64>) -> usize {
    max_items.map_or(DEFAULT_MAX_ITEMS, |n| {
        n.clamp(1, validate::MAX_ITEMS_MAX) as usize
    })
}

fn after_bound(after: &Option<String>) -> (Bound<&String>, Bound<&String>) {
    match after {
        Some(k) => (Bound::Excluded(k), Bound::Unbounded),
        None => (Bound::Unbounded, Bound::Unbounded),
    }
}

#[cfg(test)]
mod tests;
