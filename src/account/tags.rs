//! Tags on MFA devices: TagMFADevice, UntagMFADevice, ListMFADeviceTags (aws-reference §7).

use super::page_size;
use super::Account;
use crate::error::{IamError, IamResult};
use crate::model::{Listing, Page, Tag};
use crate::validate::{self, Violations};

impl Account {
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
}
