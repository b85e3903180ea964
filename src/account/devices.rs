//! Virtual MFA devices: CreateVirtualMFADevice, DeleteVirtualMFADevice, ListVirtualMFADevices
//! (aws-reference §2, §3, §6).

use super::{after_bound, page_size};
use super::{Account, QR_CAPACITY, SEED_TEXT_LEN};
use crate::arn;
use crate::error::{IamError, IamResult};
use crate::model::{CreatedDevice, Device, DeviceEntry, Listing, Page, Secret, Tag, SECRET_LEN};
use crate::otpauth;
use crate::validate::{self, Violations};

impl Account {
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
                // The longest prefix of the name whose encoded form still fits.
                let budget = otpauth::encoded_len(name).saturating_sub(uri_len - QR_CAPACITY);
                let mut used = 0;
                let room = name
                    .bytes()
                    .take_while(|&b| {
                        used += otpauth::encoded_byte_len(b);
                        used <= budget
                    })
                    .count();
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
        // `Assigned` walks the index of enabled devices; `Unassigned` and `Any` walk all devices
        // (skipping enabled ones for `Unassigned`).
        let candidates: Box<dyn Iterator<Item = (&String, &Device)>> = match want {
            Some(true) => Box::new(
                self.assigned
                    .range::<String, _>(after_bound(&after))
                    .filter_map(|s| self.devices.get_key_value(s)),
            ),
            _ => Box::new(self.devices.range::<String, _>(after_bound(&after))),
        };
        for (serial, device) in candidates {
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

    pub(super) fn device(&self, serial: &str) -> IamResult<&Device> {
        self.devices
            .get(serial)
            .ok_or_else(|| IamError::no_such_device(serial))
    }

    /// The TOTP key of a device this account holds (for `iamlite mfa-codes` and tests).
    pub fn device_secret(&self, serial: &str) -> IamResult<&Secret> {
        self.devices
            .get(serial)
            .map(|d| &d.secret)
            .ok_or_else(|| IamError::no_such_device(serial))
    }
}
