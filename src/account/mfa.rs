//! MFA devices of users: EnableMFADevice, DeactivateMFADevice, ResyncMFADevice, GetMFADevice,
//! ListMFADevices (aws-reference §5).

use super::Account;
use super::{after_bound, page_size};
use crate::error::{IamError, IamResult};
use crate::model::{Assignment, Listing, MfaEntry, Page};
use crate::totp::{self, Window};
use crate::validate::{self, Violations};
use std::collections::BTreeSet;

impl Account {
    /// The format checks of EnableMFADevice and ResyncMFADevice, in the model's member order.
    fn check_code_request(
        user_name: &str,
        serial: &str,
        code1: &str,
        code2: &str,
    ) -> IamResult<()> {
        let mut v = Violations::new();
        v.user_name("userName", user_name, validate::EXISTING_USER_NAME_MAX);
        v.serial(serial);
        v.code("authenticationCode1", code1);
        v.code("authenticationCode2", code2);
        v.finish()
    }

    pub(super) fn codes_match(
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
        Self::check_code_request(user_name, serial, code1, code2)?;
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
        self.assigned.insert(serial.to_string());
        self.enabled
            .entry(user_id)
            .or_default()
            .insert(serial.to_string());
        Ok(())
    }

    /// The user a device is enabled for, checked against the request (deactivate, resync).
    /// Order: user, serial [REC], then `MFA Device invalid for user.` [CHOICE].
    pub(super) fn enabled_for(&self, user_name: Option<&str>, serial: &str) -> IamResult<String> {
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
        self.assigned.remove(serial);
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
        Self::check_code_request(user_name, serial, code1, code2)?;
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
}
