//! The state file: one account as a versioned JSON document, and its safe storage on disk.
//!
//! Invariants: a file is written whole or not at all (temp file in the same directory, fsync,
//! rename, fsync of the directory), always with mode 0600 because it holds TOTP seeds; every
//! reader and writer holds an exclusive lock on `<file>.lock` for a whole load → change → save,
//! so concurrent processes lose no update. A file that is not ours, is damaged, or comes from a
//! newer iamlite is refused and left untouched. No error message quotes the file's content.

use crate::account::{Account, AccountConfig, Entropy, Quotas};
use crate::model::{Assignment, Device, Listing, MarkerState, Secret, Tag, User};
use rand::TryRngCore;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "iamlite-state";
/// Markers the file keeps (the newest): enough for any CLI pagination, small enough that every
/// load and save stays cheap. Older ones answer `Invalid Marker.` in a later process.
pub const MARKERS_PERSISTED: usize = 1000;
pub const VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{path}: not an iamlite state file ({why}); it was left untouched")]
    Foreign { path: String, why: String },
    #[error("{path}: the state file is damaged or truncated ({why}); it was left untouched")]
    Corrupt { path: String, why: String },
    #[error("{path}: written by a newer iamlite (state format version {found}, this one reads up to {VERSION}); upgrade iamlite")]
    Newer { path: String, found: u32 },
    #[error("{path}: {why}")]
    Io { path: String, why: String },
}

/// The two fields read before the document itself.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
struct Document {
    format: String,
    version: u32,
    account: AccountDoc,
}

#[derive(Serialize, Deserialize)]
struct AccountDoc {
    account_id: String,
    partition: String,
    alias: Option<String>,
    created: i64,
    quotas: QuotasDoc,
    accept_any_code: bool,
    users: Vec<UserDoc>,
    devices: Vec<DeviceDoc>,
    #[serde(default)]
    markers: Vec<MarkerDoc>,
}

#[derive(Serialize, Deserialize)]
struct QuotasDoc {
    virtual_mfa_devices_per_account: u64,
    mfa_devices_per_user: u64,
    tags_per_mfa_device: u64,
    users_per_account: u64,
}

#[derive(Serialize, Deserialize)]
struct UserDoc {
    user_id: String,
    name: String,
    path: String,
    create_date: i64,
    tags: Vec<Tag>,
}

#[derive(Serialize, Deserialize)]
struct DeviceDoc {
    serial: String,
    /// Wiped when the parsed document is dropped.
    seed: zeroize::Zeroizing<String>,
    tags: Vec<Tag>,
    user_id: Option<String>,
    enable_date: Option<i64>,
}

#[derive(Serialize, Deserialize)]
struct MarkerDoc {
    token: String,
    listing: Listing,
    after: String,
}

/// The account as the JSON document.
pub fn to_json(account: &Account) -> String {
    let q = account.config.quotas;
    let doc = Document {
        format: FORMAT.into(),
        version: VERSION,
        account: AccountDoc {
            account_id: account.config.account_id.clone(),
            partition: account.config.partition.clone(),
            alias: account.config.alias.clone(),
            created: account.created,
            quotas: QuotasDoc {
                virtual_mfa_devices_per_account: q.virtual_mfa_devices_per_account,
                mfa_devices_per_user: q.mfa_devices_per_user,
                tags_per_mfa_device: q.tags_per_mfa_device,
                users_per_account: q.users_per_account,
            },
            accept_any_code: account.config.accept_any_code,
            users: account
                .users
                .values()
                .map(|u| UserDoc {
                    user_id: u.user_id.clone(),
                    name: u.name.clone(),
                    path: u.path.clone(),
                    create_date: u.create_date,
                    tags: u.tags.clone(),
                })
                .collect(),
            devices: account
                .devices
                .iter()
                .map(|(serial, d)| DeviceDoc {
                    serial: serial.clone(),
                    seed: d.secret.base32(),
                    tags: d.tags.clone(),
                    user_id: d.assignment.as_ref().map(|a| a.user_id.clone()),
                    enable_date: d.assignment.as_ref().map(|a| a.enable_date),
                })
                .collect(),
            markers: account
                .marker_order
                .iter()
                .skip(account.marker_order.len().saturating_sub(MARKERS_PERSISTED))
                .filter_map(|t| {
                    account.markers.get(t).map(|m| MarkerDoc {
                        token: t.clone(),
                        listing: m.listing.clone(),
                        after: m.after.clone(),
                    })
                })
                .collect(),
        },
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Parses a document; `path` only names the file in errors.
pub fn from_json(text: &str, path: &str) -> Result<Account, StateError> {
    // Two light passes before the real one: valid JSON at all, then the header. Neither keeps a
    // copy of the document (so of no seed).
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| StateError::Corrupt {
        path: path.into(),
        why: format!("invalid JSON at line {} column {}", e.line(), e.column()),
    })?;
    let foreign = |why: &str| StateError::Foreign {
        path: path.into(),
        why: why.into(),
    };
    let header: Header =
        serde_json::from_str(text).map_err(|_| foreign("not a JSON object with a format"))?;
    if header.format.as_ref().and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(foreign("no \"format\": \"iamlite-state\" field"));
    }
    let version = header
        .version
        .as_ref()
        .and_then(|v| v.as_u64())
        .ok_or_else(|| foreign("no version"))?;
    if version > VERSION as u64 {
        return Err(StateError::Newer {
            path: path.into(),
            found: version.min(u32::MAX as u64) as u32,
        });
    }
    let corrupt = |why: String| StateError::Corrupt {
        path: path.into(),
        why,
    };
    // serde's own messages quote the offending value, which may be a seed: only its position
    // and category are reported.
    let doc: Document = serde_json::from_str(text).map_err(|e| {
        corrupt(format!(
            "a field is missing or has the wrong type or value at line {} column {}",
            e.line(),
            e.column()
        ))
    })?;
    let a = doc.account;
    let config = AccountConfig {
        account_id: a.account_id,
        partition: a.partition,
        alias: a.alias,
        quotas: Quotas {
            virtual_mfa_devices_per_account: a.quotas.virtual_mfa_devices_per_account,
            mfa_devices_per_user: a.quotas.mfa_devices_per_user,
            tags_per_mfa_device: a.quotas.tags_per_mfa_device,
            users_per_account: a.quotas.users_per_account,
        },
        accept_any_code: a.accept_any_code,
        ..AccountConfig::default()
    };
    config
        .check()
        .map_err(|_| corrupt("the account id, partition or alias is invalid".into()))?;
    let mut account = Account::new(config, Entropy::Os, a.created);
    for u in a.users {
        if !crate::validate::is_iam_name(&u.name) || !crate::validate::is_path(&u.path) {
            return Err(corrupt("a user has an invalid name or path".into()));
        }
        let key = u.name.to_lowercase();
        if account.users.contains_key(&key) || account.user_keys.contains_key(&u.user_id) {
            return Err(corrupt("two users share a name or a UserId".into()));
        }
        account.user_keys.insert(u.user_id.clone(), key.clone());
        account.users.insert(
            key,
            User {
                user_id: u.user_id,
                name: u.name,
                path: u.path,
                create_date: u.create_date,
                tags: u.tags,
            },
        );
    }
    let prefix = crate::arn::device_prefix(&account.config.partition, &account.config.account_id);
    for d in a.devices {
        // The serial must be this account's `{prefix}{path}{name}`; names hold no `/`, so the
        // path ends at the last one.
        let well_formed = d.serial.strip_prefix(prefix.as_str()).is_some_and(|rest| {
            rest.rfind('/').is_some_and(|last| {
                crate::validate::is_path(&rest[..=last])
                    && crate::validate::is_iam_name(&rest[last + 1..])
            })
        });
        if !well_formed {
            return Err(corrupt(
                "a device serial number does not match the account, path and name".into(),
            ));
        }
        if account.devices.contains_key(&d.serial) {
            return Err(corrupt("two devices share a serial number".into()));
        }
        // Device tags are kept sorted by key with unique keys; lookups and paging rely on it.
        if d.tags.windows(2).any(|w| w[0].key >= w[1].key) {
            return Err(corrupt(
                "a device's tags are not sorted by unique key".into(),
            ));
        }
        let secret = Secret::from_base32(&d.seed)
            .ok_or_else(|| corrupt("a device seed is not 64 base32 characters".into()))?;
        let assignment = match (d.user_id, d.enable_date) {
            (Some(user_id), Some(enable_date)) => {
                if !account.user_keys.contains_key(&user_id) {
                    return Err(corrupt(
                        "a device is enabled for a user that is missing".into(),
                    ));
                }
                account.assigned.insert(d.serial.clone());
                account
                    .enabled
                    .entry(user_id.clone())
                    .or_default()
                    .insert(d.serial.clone());
                Some(Assignment {
                    user_id,
                    enable_date,
                })
            }
            (None, None) => None,
            _ => return Err(corrupt("a device has half an assignment".into())),
        };
        account.devices.insert(
            d.serial,
            Device {
                secret,
                tags: d.tags,
                assignment,
            },
        );
    }
    let skip = a.markers.len().saturating_sub(crate::account::MARKERS_KEPT);
    for m in a.markers.into_iter().skip(skip) {
        account.marker_order.push_back(m.token.clone());
        account.markers.insert(
            m.token,
            MarkerState {
                listing: m.listing,
                after: m.after,
            },
        );
    }
    Ok(account)
}

/// A state file on disk, with its lock file beside it.
#[derive(Debug, Clone)]
pub struct StateFile {
    pub path: PathBuf,
}

/// Holds `<file>.lock` exclusively until dropped.
pub struct StateLock {
    _file: File,
}

fn io_err(path: &Path, e: std::io::Error) -> StateError {
    StateError::Io {
        path: path.display().to_string(),
        why: e.to_string(),
    }
}

impl StateFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        StateFile { path: path.into() }
    }

    fn lock_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// Waits for the exclusive lock.
    pub fn lock(&self) -> Result<StateLock, StateError> {
        let lock_path = self.lock_path();
        let file = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| io_err(&lock_path, e))?;
        file.lock().map_err(|e| io_err(&lock_path, e))?;
        Ok(StateLock { _file: file })
    }

    /// The stored account, or `None` when the file does not exist yet.
    pub fn load(&self) -> Result<Option<Account>, StateError> {
        match fs::read_to_string(&self.path) {
            Ok(text) => {
                let text = zeroize::Zeroizing::new(text);
                from_json(&text, &self.path.display().to_string()).map(Some)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(StateError::Corrupt {
                path: self.path.display().to_string(),
                why: "not UTF-8 text".into(),
            }),
            Err(e) => Err(io_err(&self.path, e)),
        }
    }

    /// Writes the account atomically with mode 0600. Takes the lock guard as proof that no other
    /// writer is between its load and its save (stale temp files are removed on that basis).
    pub fn save(&self, account: &Account, _held: &StateLock) -> Result<(), StateError> {
        if self.path.file_name().is_none() {
            return Err(io_err(
                &self.path,
                std::io::Error::other("the state file path names no file"),
            ));
        }
        let text = zeroize::Zeroizing::new(to_json(account));
        if text.is_empty() {
            // to_json cannot fail for this document; never write "" over a good state anyway.
            return Err(io_err(
                &self.path,
                std::io::Error::other("the account could not be serialized"),
            ));
        }
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let base = self.path.file_name().unwrap_or_default().to_owned();
        self.remove_stale_temps(&dir, &base);
        let mut suffix = [0u8; 8];
        rand::rngs::OsRng
            .try_fill_bytes(&mut suffix)
            .map_err(|e| io_err(&self.path, std::io::Error::other(e.to_string())))?;
        let mut tmp_name = base.clone();
        tmp_name.push(format!(
            ".tmp.{}.{}",
            std::process::id(),
            data_encoding::HEXLOWER.encode(&suffix)
        ));
        let tmp = dir.join(tmp_name);
        let result = (|| -> std::io::Result<()> {
            // create_new: O_CREAT|O_EXCL, which neither reuses a file left there (whose mode
            // could be wider than 0600) nor follows a symlink planted at the name.
            let mut f = private_options().write(true).create_new(true).open(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            fs::rename(&tmp, &self.path)?;
            if let Ok(d) = File::open(&dir) {
                let _ = d.sync_all();
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result.map_err(|e| io_err(&self.path, e))
    }
}

impl StateFile {
    /// Temp files of writers that died mid-save. Only called with the lock held, so no live
    /// writer owns one.
    fn remove_stale_temps(&self, dir: &Path, base: &std::ffi::OsStr) {
        let mut prefix = base.to_owned();
        prefix.push(".tmp.");
        let prefix = prefix.to_string_lossy().into_owned();
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }
}

fn private_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Account {
        let mut a = Account::new(AccountConfig::default(), Entropy::seeded(3), 1_700_000_000);
        a.create_user(None, "bob", None, &[], 1_700_000_000)
            .unwrap();
        let d = a
            .create_virtual_mfa_device(Some("/ops/"), "bob", &[Tag::new("k", "v")])
            .unwrap();
        let key = d.secret.0;
        let now = 1_700_000_100;
        let s = crate::totp::step_at(now);
        let c1 = crate::totp::format_code(crate::totp::code_for_step(&key, s - 1, 6));
        let c2 = crate::totp::format_code(crate::totp::code_for_step(&key, s, 6));
        a.enable_mfa_device("bob", &d.serial, &c1, &c2, now)
            .unwrap();
        a
    }

    #[test]
    fn round_trips() {
        let a = sample();
        let text = to_json(&a);
        let b = from_json(&text, "x").unwrap();
        assert_eq!(to_json(&b), text);
        assert_eq!(b.device_count(), 1);
    }

    #[test]
    fn refuses_foreign_corrupt_and_newer() {
        let text = to_json(&sample());
        assert!(matches!(
            from_json("{}", "x"),
            Err(StateError::Foreign { .. })
        ));
        assert!(matches!(
            from_json(&text[..text.len() / 2], "x"),
            Err(StateError::Corrupt { .. })
        ));
        let newer = text.replace("\"version\": 1", "\"version\": 99");
        let err = from_json(&newer, "x")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("newer iamlite"), "{err}");
        // A seed moved into a field of another type is not quoted back (serde's own message
        // would quote the offending string).
        let seed = &text[text.find("\"seed\": \"").unwrap() + 9..][..64];
        let misplaced = text.replace(
            "\"created\": 1700000000",
            &format!("\"created\": \"{seed}\""),
        );
        assert_ne!(misplaced, text);
        let msg = from_json(&misplaced, "x")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.contains("damaged"), "{msg}");
        assert!(!msg.contains(&seed[..16]), "{msg}");
    }

    #[test]
    fn refuses_inconsistent_entities() {
        let text = to_json(&sample());
        let cases = [
            text.replace("mfa/ops/bob", "mfa/ops/b ob"),
            text.replace("arn:aws:iam::123456789012:mfa/ops/bob", "garbage"),
            text.replace("\"name\": \"bob\"", "\"name\": \"bad name\""),
        ];
        for (i, damaged) in cases.iter().enumerate() {
            assert_ne!(damaged, &text, "case {i} changed nothing");
            let err = from_json(damaged, "x")
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains("damaged"), "case {i}: {err}");
        }
    }

    #[test]
    fn saves_atomically_with_mode_0600() {
        let dir = std::env::temp_dir().join(format!("iamlite-state-test-{}", std::process::id()));
        let _ = fs::create_dir_all(&dir);
        let file = StateFile::new(dir.join("state.json"));
        let _lock = file.lock().unwrap();
        file.save(&sample(), &_lock).unwrap();
        let loaded = file.load().unwrap().unwrap();
        assert_eq!(loaded.device_count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&file.path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let _ = fs::remove_dir_all(&dir);
    }
}
