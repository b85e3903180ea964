//! Users: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers (aws-reference §4).

use super::Account;
use super::{after_bound, page_size};
use crate::arn;
use crate::error::{IamError, IamResult};
use crate::model::{Listing, Page, Tag, User};
use crate::validate::{self, Violations};

impl Account {
    pub(super) fn user_by_id(&self, user_id: &str) -> Option<&User> {
        self.user_keys.get(user_id).and_then(|k| self.users.get(k))
    }

    pub(super) fn find_user(&self, name: &str) -> IamResult<&User> {
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
}
