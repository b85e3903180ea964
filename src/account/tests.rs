//! Unit tests of the account state machine against `aws-reference.md` (the shared specification).
//! Time is always a parameter (`NOW`), randomness always `Entropy::seeded`.

use super::*;
use crate::model::{DeviceEntry, MfaEntry, Page, Secret, Tag, User};
use crate::totp;
use crate::validate::{PATH_MESSAGE, USER_NAME_MESSAGE};

const NOW: i64 = 1_700_000_000;
const ACCOUNT_ID: &str = "123456789012";

const NAME_PATTERN_TEXT: &str = r"[\w+=,.@-]+";
const TAG_KEY_PATTERN_TEXT: &str = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";
const SERIAL_PATTERN_TEXT: &str = r"[\w+=/:,.@-]+";
const ENUM_TEXT: &str = "Member must satisfy enum value set: [Unassigned, Any, Assigned]";
const IN_USE: &str = "MFA Device is already in use.";
const BAD_CODE: &str = "Authentication code for device is not valid.";
const INVALID_FOR_USER: &str = "MFA Device invalid for user.";

// ---------------------------------------------------------------------------------- helpers

fn account() -> Account {
    Account::new(AccountConfig::default(), Entropy::seeded(7), NOW)
}

fn account_with(change: impl FnOnce(&mut AccountConfig)) -> Account {
    let mut config = AccountConfig::default();
    change(&mut config);
    Account::new(config, Entropy::seeded(7), NOW)
}

fn serial_of(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT_ID}:mfa/{name}")
}

#[track_caller]
fn assert_err<T: std::fmt::Debug>(result: IamResult<T>, code: &str, status: u16, message: &str) {
    let err = result.expect_err("expected an error");
    assert_eq!(err.code(), code, "code of {err}");
    assert_eq!(err.http_status(), status, "status of {err}");
    assert_eq!(err.message(), message, "message of {err}");
}

#[track_caller]
fn assert_validation<T: std::fmt::Debug>(result: IamResult<T>, message: &str) {
    assert_err(result, "ValidationError", 400, message);
}

#[track_caller]
fn assert_no_such_device<T: std::fmt::Debug>(result: IamResult<T>, serial: &str) {
    assert_err(
        result,
        "NoSuchEntity",
        404,
        &format!("MFA Device with serial number {serial} does not exist."),
    );
}

#[track_caller]
fn assert_no_such_user<T: std::fmt::Debug>(result: IamResult<T>, name: &str) {
    assert_err(
        result,
        "NoSuchEntity",
        404,
        &format!("The user with name {name} cannot be found."),
    );
}

#[track_caller]
fn assert_invalid_marker<T: std::fmt::Debug>(result: IamResult<T>) {
    assert_validation(result, "Invalid Marker.");
}

fn pattern_msg(value: &str, member: &str, pattern: &str) -> String {
    format!("Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}")
}

fn one_error(part: &str) -> String {
    format!("1 validation error detected: {part}")
}

fn tags(pairs: &[(&str, &str)]) -> Vec<Tag> {
    pairs.iter().map(|(k, v)| Tag::new(*k, *v)).collect()
}

fn numbered_tags(prefix: &str, n: usize) -> Vec<Tag> {
    (0..n)
        .map(|i| Tag::new(format!("{prefix}{i:03}"), "v"))
        .collect()
}

fn now_step() -> i64 {
    totp::step_at(NOW)
}

fn code_at_step(key: &[u8], step: i64) -> String {
    totp::format_code(totp::code_for_step(key, step, totp::DIGITS))
}

/// The codes of `step` and `step + 1` for a device the account holds.
fn pair_at(a: &Account, serial: &str, step: i64) -> (String, String) {
    let secret = a.device_secret(serial).unwrap();
    (
        code_at_step(&secret.0, step),
        code_at_step(&secret.0, step + 1),
    )
}

/// A well-formed pair far outside every window: rejected unless `accept_any_code`.
fn wrong_pair(a: &Account, serial: &str) -> (String, String) {
    pair_at(a, serial, now_step() + 5_000)
}

fn new_device(a: &mut Account, name: &str) -> String {
    a.create_virtual_mfa_device(None, name, &[]).unwrap().serial
}

fn new_user(a: &mut Account, name: &str) -> User {
    a.create_user(None, name, None, &[], NOW).unwrap()
}

/// Enables with the previous + current pair, the one AWS is recorded accepting.
fn enable(a: &mut Account, user: &str, serial: &str) {
    let (c1, c2) = pair_at(a, serial, now_step() - 1);
    a.enable_mfa_device(user, serial, &c1, &c2, NOW).unwrap();
}

fn summary(a: &Account, key: &str) -> i64 {
    a.account_summary()
        .into_iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {key} in the summary"))
}

fn assigned_serials(a: &mut Account) -> Vec<String> {
    a.list_virtual_mfa_devices(Some("Assigned"), None, None)
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.serial)
        .collect()
}

/// Follows markers until the listing ends; checks that a marker comes exactly with full pages.
fn walk<T>(mut call: impl FnMut(Option<&str>) -> IamResult<Page<T>>, max: usize) -> Vec<Vec<T>> {
    let mut pages = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = call(marker.as_deref()).unwrap();
        assert!(page.items.len() <= max);
        let next = page.marker.clone();
        assert_eq!(page.is_truncated(), next.is_some());
        if next.is_some() {
            assert_eq!(page.items.len(), max, "a truncated page is full");
        }
        pages.push(page.items);
        match next {
            Some(m) => marker = Some(m),
            None => return pages,
        }
        assert!(pages.len() < 10_000, "listing does not end");
    }
}

// ---------------------------------------------------------------------------------- create

#[test]
fn create_then_list() {
    let mut a = account();
    let d = a
        .create_virtual_mfa_device(Some("/ops/"), "alice", &[])
        .unwrap();
    assert_eq!(d.serial, "arn:aws:iam::123456789012:mfa/ops/alice");
    let page = a.list_virtual_mfa_devices(None, None, None).unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(!page.is_truncated());
}

#[test]
fn create_serial_keeps_the_path_as_given() {
    let mut a = account();
    let cases = [
        (None, "alice", "arn:aws:iam::123456789012:mfa/alice"),
        (Some("/"), "bob", "arn:aws:iam::123456789012:mfa/bob"),
        (
            Some("/div/team/"),
            "alice",
            "arn:aws:iam::123456789012:mfa/div/team/alice",
        ),
        (
            Some("/a//b/"),
            "alice",
            "arn:aws:iam::123456789012:mfa/a//b/alice",
        ),
        (
            Some("///"),
            "carol",
            "arn:aws:iam::123456789012:mfa///carol",
        ),
        (
            Some("/~!/"),
            "a+b=c,d.e@f_g-h",
            "arn:aws:iam::123456789012:mfa/~!/a+b=c,d.e@f_g-h",
        ),
    ];
    for (path, name, serial) in cases {
        let d = a.create_virtual_mfa_device(path, name, &[]).unwrap();
        assert_eq!(d.serial, serial);
        assert!(d.tags.is_empty());
    }
    assert_eq!(a.device_count(), cases.len());
}

#[test]
fn create_serial_uses_partition_and_account_id() {
    for partition in ["aws-cn", "aws-us-gov"] {
        let mut a = account_with(|c| {
            c.partition = partition.into();
            c.account_id = "000000000042".into();
        });
        assert!(a.config.check().is_ok());
        let d = a
            .create_virtual_mfa_device(Some("/div/"), "alice", &[])
            .unwrap();
        assert_eq!(
            d.serial,
            format!("arn:{partition}:iam::000000000042:mfa/div/alice")
        );
        // The label of the QR code has the account id, not the partition.
        assert!(d.otpauth_uri.contains(":alice@000000000042?"));
        let user = new_user(&mut a, "bob");
        assert_eq!(
            a.user_arn(&user),
            format!("arn:{partition}:iam::000000000042:user/bob")
        );
    }
}

#[test]
fn create_duplicate_serial_conflicts() {
    let mut a = account();
    let first = a
        .create_virtual_mfa_device(Some("/x/"), "alice", &[])
        .unwrap();
    let secret = first.secret.clone();
    assert_err(
        a.create_virtual_mfa_device(Some("/x/"), "alice", &[]),
        "EntityAlreadyExists",
        409,
        "MFA device already exists.",
    );
    // The failed call changes nothing: same count, same key.
    assert_eq!(a.device_count(), 1);
    assert_eq!(a.device_secret(&first.serial).unwrap(), &secret);
    // Another path, or another case, is another serial [CHOICE: case-sensitive].
    a.create_virtual_mfa_device(None, "alice", &[]).unwrap();
    a.create_virtual_mfa_device(Some("/x/"), "Alice", &[])
        .unwrap();
    // No Path and `/` are the same serial.
    assert_err(
        a.create_virtual_mfa_device(Some("/"), "alice", &[]),
        "EntityAlreadyExists",
        409,
        "MFA device already exists.",
    );
    assert_eq!(a.device_count(), 3);
}

#[test]
fn create_bad_path_uses_iams_text() {
    let mut a = account();
    for bad in [
        "noslash",
        "/lead-only",
        "trail-only/",
        "//",
        "/a b/",
        "/é/",
        "/tab\t/",
    ] {
        assert_validation(
            a.create_virtual_mfa_device(Some(bad), "alice", &[]),
            PATH_MESSAGE,
        );
    }
    assert_eq!(
        PATH_MESSAGE,
        "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."
    );
    assert_eq!(a.device_count(), 0);
}

#[test]
fn create_path_pattern_and_length_limit() {
    let mut a = account();
    // The longest path a device can use is bounded by the serial's 256 (see the name-room test);
    // the path member itself allows 512.
    let path = format!("/{}/", "p".repeat(100));
    a.create_virtual_mfa_device(Some(&path), "alice", &[])
        .unwrap();
    assert_eq!(a.device_count(), 1);
}

/// §2 [REC]: a too-long path is reported alone: `1 validation error detected: Value at 'path' …`.
/// The serial-room rule for the name (a [CHOICE] not in the spec) adds a second part, naming
/// `virtualMFADeviceName` with "less than or equal to 0", to every request whose path is 227 characters or more.
#[test]
fn create_path_too_long_is_reported_alone() {
    let mut a = account();
    let too_long = format!("/{}/", "p".repeat(511));
    assert_eq!(too_long.len(), 513);
    assert_validation(
        a.create_virtual_mfa_device(Some(&too_long), "alice", &[]),
        "1 validation error detected: Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512",
    );
    // Too long and malformed: both path parts, pattern first, and nothing about the name.
    let both = format!("/{}", "p".repeat(600));
    assert_validation(
        a.create_virtual_mfa_device(Some(&both), "alice", &[]),
        &format!("2 validation errors detected: {PATH_MESSAGE}; Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512"),
    );
    assert_eq!(a.device_count(), 0);
}

/// §2: Path is 1–512; a 512-character path is valid input.
#[test]
fn create_accepts_a_512_character_path() {
    let mut a = account();
    let longest = format!("/{}/", "p".repeat(510));
    assert_eq!(longest.len(), 512);
    a.create_virtual_mfa_device(Some(&longest), "alice", &[])
        .unwrap();
}

/// [CHOICE]: the name is unbounded in the model; only a name whose otpauth URI cannot fit a QR
/// code is refused, with the length form.
#[test]
fn create_refuses_a_name_no_qr_code_can_hold() {
    let mut a = account();
    a.create_virtual_mfa_device(None, &"n".repeat(1000), &[])
        .unwrap();
    let err = a
        .create_virtual_mfa_device(None, &"+".repeat(1000), &[])
        .unwrap_err();
    assert_eq!(err.code(), "ValidationError");
    assert!(err.message().contains("at 'virtualMFADeviceName' failed to satisfy constraint: Member must have length less than or equal to"));
    assert_eq!(a.device_count(), 1);
}

#[test]
fn create_bad_name_uses_coral_pattern_text() {
    let mut a = account();
    for bad in ["bad name", "é", "a/b", "a*b", "tab\t", "名前"] {
        assert_validation(
            a.create_virtual_mfa_device(None, bad, &[]),
            &one_error(&pattern_msg(bad, "virtualMFADeviceName", NAME_PATTERN_TEXT)),
        );
    }
    assert_eq!(
        pattern_msg("bad name", "virtualMFADeviceName", NAME_PATTERN_TEXT),
        r"Value 'bad name' at 'virtualMFADeviceName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+"
    );
    assert_eq!(a.device_count(), 0);
}

#[test]
fn create_several_failures_are_counted_in_member_order() {
    let mut a = account();
    let bad_tags = tags(&[("ok", "fine"), ("a*b", "v")]);
    assert_validation(
        a.create_virtual_mfa_device(Some("bad"), "bad name", &[]),
        &format!(
            "2 validation errors detected: {PATH_MESSAGE}; {}",
            pattern_msg("bad name", "virtualMFADeviceName", NAME_PATTERN_TEXT)
        ),
    );
    assert_validation(
        a.create_virtual_mfa_device(Some("bad"), "bad name", &bad_tags),
        &format!(
            "3 validation errors detected: {PATH_MESSAGE}; {}; {}",
            pattern_msg("bad name", "virtualMFADeviceName", NAME_PATTERN_TEXT),
            pattern_msg("a*b", "tags.2.member.key", TAG_KEY_PATTERN_TEXT)
        ),
    );
    assert_eq!(a.device_count(), 0);
}

#[test]
fn create_bad_tags_name_the_member() {
    let mut a = account();
    assert_validation(
        a.create_virtual_mfa_device(None, "d", &tags(&[("a*b", "v")])),
        &one_error(&pattern_msg(
            "a*b",
            "tags.1.member.key",
            TAG_KEY_PATTERN_TEXT,
        )),
    );
    assert_validation(
        a.create_virtual_mfa_device(None, "d", &tags(&[("k", "v"), ("k2", "no*")])),
        &one_error(&pattern_msg(
            "no*",
            "tags.2.member.value",
            r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*",
        )),
    );
    assert_validation(
        a.create_virtual_mfa_device(None, "d", &tags(&[("", "v")])),
        &one_error(&pattern_msg("", "tags.1.member.key", TAG_KEY_PATTERN_TEXT)),
    );
    let long_key = "k".repeat(129);
    assert_validation(
        a.create_virtual_mfa_device(None, "d", &[Tag::new(long_key.clone(), "v")]),
        &one_error(&format!("Value '{long_key}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128")),
    );
    // Lengths count UTF-16 units: 257 'é' are too many, 256 are fine.
    let long_value = "é".repeat(257);
    assert_validation(
        a.create_virtual_mfa_device(None, "d", &[Tag::new("k", long_value.clone())]),
        &one_error(&format!("Value '{long_value}' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256")),
    );
    assert_eq!(a.device_count(), 0);
    // Unicode letters, separators and numbers are allowed; empty values too.
    let ok = tags(&[
        ("名前 ٣", "Ünïcødé"),
        ("k".repeat(128).as_str(), ""),
        ("v", "é".repeat(256).as_str()),
    ]);
    let d = a.create_virtual_mfa_device(None, "d", &ok).unwrap();
    assert_eq!(d.tags, ok, "tags are echoed");
}

#[test]
fn create_with_51_tags_is_a_validation_error_and_creates_nothing() {
    let mut a = account();
    assert_validation(
        a.create_virtual_mfa_device(None, "d", &numbered_tags("k", 51)),
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
    assert_eq!(a.device_count(), 0);
    assert_eq!(summary(&a, "MFADevices"), 0);
    let d = a
        .create_virtual_mfa_device(None, "d", &numbered_tags("k", 50))
        .unwrap();
    let listed = a.list_mfa_device_tags(&d.serial, None, None).unwrap();
    assert_eq!(listed.items.len(), 50);
}

#[test]
fn create_reserved_tag_prefix_is_invalid_input() {
    let mut a = account();
    let key_text = "Tag keys starting with 'aws:' are reserved for AWS use.";
    let value_text = "Tag values starting with 'aws:' are reserved for AWS use.";
    for key in ["aws:x", "AWS:x", "Aws:", "aWs:team"] {
        assert_err(
            a.create_virtual_mfa_device(None, "d", &tags(&[("ok", "1"), (key, "v")])),
            "InvalidInput",
            400,
            key_text,
        );
    }
    for value in ["aws:v", "AWS:v"] {
        assert_err(
            a.create_virtual_mfa_device(None, "d", &tags(&[("k", value)])),
            "InvalidInput",
            400,
            value_text,
        );
    }
    assert_eq!(a.device_count(), 0);
    // Only the prefix is reserved.
    a.create_virtual_mfa_device(None, "d", &tags(&[("aws", "x:aws:"), ("my:aws:k", "awsv")]))
        .unwrap();
}

#[test]
fn create_duplicate_tag_keys_are_case_sensitive_for_devices() {
    let mut a = account();
    assert_err(
        a.create_virtual_mfa_device(None, "d", &tags(&[("k", "1"), ("j", "2"), ("k", "3")])),
        "InvalidInput",
        400,
        "Duplicate tag keys found.",
    );
    assert_eq!(a.device_count(), 0);
    let d = a
        .create_virtual_mfa_device(None, "d", &tags(&[("k", "1"), ("K", "2")]))
        .unwrap();
    let keys: Vec<String> = a
        .list_mfa_device_tags(&d.serial, None, None)
        .unwrap()
        .items
        .into_iter()
        .map(|t| t.key)
        .collect();
    assert_eq!(keys, ["K", "k"]);
}

#[test]
fn create_format_checks_come_before_tag_rules_and_state() {
    let mut a = account();
    new_device(&mut a, "d");
    // Reserved key and a malformed one: the ValidationError wins.
    assert_validation(
        a.create_virtual_mfa_device(None, "d", &tags(&[("aws:x", "v"), ("a*b", "v")])),
        &one_error(&pattern_msg(
            "a*b",
            "tags.2.member.key",
            TAG_KEY_PATTERN_TEXT,
        )),
    );
    // Existing serial and a reserved key: InvalidInput before the conflict.
    assert_err(
        a.create_virtual_mfa_device(None, "d", &tags(&[("aws:x", "v")])),
        "InvalidInput",
        400,
        "Tag keys starting with 'aws:' are reserved for AWS use.",
    );
    // Reserved beats duplicate.
    assert_err(
        a.create_virtual_mfa_device(None, "e", &tags(&[("k", "v"), ("k", "aws:v")])),
        "InvalidInput",
        400,
        "Tag values starting with 'aws:' are reserved for AWS use.",
    );
}

#[test]
fn create_account_quota_is_limit_exceeded() {
    let mut a = account_with(|c| c.quotas.virtual_mfa_devices_per_account = 2);
    let first = new_device(&mut a, "d1");
    new_device(&mut a, "d2");
    assert_err(
        a.create_virtual_mfa_device(None, "d3", &[]),
        "LimitExceeded",
        409,
        "Cannot exceed quota for VirtualMFADevicesPerAccount: 2",
    );
    assert_eq!(a.device_count(), 2);
    // An existing serial is reported as a conflict before the quota.
    assert_err(
        a.create_virtual_mfa_device(None, "d1", &[]),
        "EntityAlreadyExists",
        409,
        "MFA device already exists.",
    );
    // Deleting frees a slot.
    a.delete_virtual_mfa_device(&first).unwrap();
    new_device(&mut a, "d3");
    assert_eq!(a.device_count(), 2);
}

#[test]
fn create_default_account_quota_is_5000() {
    let a = account();
    assert_eq!(a.config.quotas.virtual_mfa_devices_per_account, 5000);
    assert_eq!(
        a.config.quotas.get("VirtualMFADevicesPerAccount"),
        Some(5000)
    );
    assert_eq!(a.config.quotas.get("MFADevicesPerUser"), Some(8));
    assert_eq!(a.config.quotas.get("TagsPerMFADevice"), Some(50));
    assert_eq!(a.config.quotas.get("UsersPerAccount"), Some(5000));
}

#[test]
fn create_tags_over_a_lowered_tag_quota_is_limit_exceeded() {
    let mut a = account_with(|c| c.quotas.tags_per_mfa_device = 2);
    assert_err(
        a.create_virtual_mfa_device(None, "d", &numbered_tags("k", 3)),
        "LimitExceeded",
        409,
        "Cannot exceed quota for TagsPerMFADevice: 2",
    );
    assert_eq!(a.device_count(), 0);
    a.create_virtual_mfa_device(None, "d", &numbered_tags("k", 2))
        .unwrap();
}

#[test]
fn create_seed_is_40_bytes_as_64_base32_characters() {
    let mut a = account();
    let d = a.create_virtual_mfa_device(None, "alice", &[]).unwrap();
    assert_eq!(d.secret.0.len(), 40);
    let b32 = d.secret.base32();
    assert_eq!(b32.len(), 64);
    assert!(b32
        .bytes()
        .all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c)));
    assert!(!b32.contains('='));
    assert_eq!(Secret::from_base32(&b32), Some(d.secret.clone()));
    assert_eq!(a.device_secret(&d.serial).unwrap(), &d.secret);
    // Not all zeros, and another device gets another key.
    assert_ne!(d.secret.0, [0u8; 40]);
    let other = a.create_virtual_mfa_device(None, "bob", &[]).unwrap();
    assert_ne!(other.secret, d.secret);
    // The secret never shows in Debug output.
    assert!(!format!("{d:?}").contains(b32.as_str()));
}

#[test]
fn create_same_entropy_seed_gives_the_same_secret() {
    let make = |seed: u64| {
        let mut a = Account::new(AccountConfig::default(), Entropy::seeded(seed), NOW);
        a.create_virtual_mfa_device(None, "alice", &[])
            .unwrap()
            .secret
    };
    assert_eq!(make(42), make(42));
    assert_ne!(make(42), make(43));
}

#[test]
fn create_otpauth_uri_has_name_and_account() {
    let mut a = account();
    let d = a
        .create_virtual_mfa_device(Some("/div/team/"), "alice", &[])
        .unwrap();
    let seed = d.secret.base32();
    assert_eq!(
        d.otpauth_uri.as_str(),
        format!("otpauth://totp/Amazon%20Web%20Services:alice@123456789012?secret={}&issuer=Amazon%20Web%20Services", seed.as_str())
    );
    // `+=,@` in the name are percent-encoded; `-._` stay; the separating `@` stays literal.
    let d = a
        .create_virtual_mfa_device(None, "a+b=c,d@e.f_g-h", &[])
        .unwrap();
    assert!(
        d.otpauth_uri.starts_with(
            "otpauth://totp/Amazon%20Web%20Services:a%2Bb%3Dc%2Cd%40e.f_g-h@123456789012?secret="
        ),
        "{}",
        d.otpauth_uri.as_str()
    );
}

#[test]
fn create_otpauth_uri_prefers_the_alias() {
    let mut a = account_with(|c| c.alias = Some("my-corp".into()));
    assert!(a.config.check().is_ok());
    assert_eq!(a.account_label(), "my-corp");
    let d = a.create_virtual_mfa_device(None, "alice", &[]).unwrap();
    assert_eq!(
        d.otpauth_uri.as_str(),
        format!("otpauth://totp/Amazon%20Web%20Services:alice@my-corp?secret={}&issuer=Amazon%20Web%20Services", d.secret.base32().as_str())
    );
    assert_eq!(account().account_label(), ACCOUNT_ID);
}

#[test]
fn create_seed_from_the_response_yields_working_codes() {
    // What a user does: decode Base32StringSeed and compute the codes from it.
    let mut a = account();
    new_user(&mut a, "alice");
    let d = a.create_virtual_mfa_device(None, "alice", &[]).unwrap();
    let b32 = d.secret.base32();
    let key = data_encoding::BASE32_NOPAD.decode(b32.as_bytes()).unwrap();
    assert_eq!(key.len(), 40);
    let c1 = code_at_step(&key, now_step() - 1);
    let c2 = code_at_step(&key, now_step());
    assert_eq!(c2, totp::code_at(&key, NOW));
    a.enable_mfa_device("alice", &d.serial, &c1, &c2, NOW)
        .unwrap();
    assert_eq!(assigned_serials(&mut a), [d.serial]);
}

// ---------------------------------------------------------------------------------- list virtual

/// Three devices, `b` enabled for alice.
fn listing_fixture() -> (Account, User) {
    let mut a = account();
    let alice = new_user(&mut a, "alice");
    for name in ["c", "a", "b"] {
        new_device(&mut a, name);
    }
    enable(&mut a, "alice", &serial_of("b"));
    (a, alice)
}

#[test]
fn list_defaults_to_any_in_serial_order() {
    let (mut a, alice) = listing_fixture();
    let all = a.list_virtual_mfa_devices(None, None, None).unwrap();
    assert!(!all.is_truncated());
    assert_eq!(all.marker, None);
    let serials: Vec<&str> = all.items.iter().map(|e| e.serial.as_str()).collect();
    assert_eq!(serials, [serial_of("a"), serial_of("b"), serial_of("c")]);
    assert_eq!(all.items[0].assigned, None);
    assert_eq!(all.items[1].assigned, Some((alice, NOW)));
    assert_eq!(all.items[2].assigned, None);
    let any = a.list_virtual_mfa_devices(Some("Any"), None, None).unwrap();
    assert_eq!(any, all);
}

#[test]
fn list_filters_by_assignment_status() {
    let (mut a, alice) = listing_fixture();
    let assigned = a
        .list_virtual_mfa_devices(Some("Assigned"), None, None)
        .unwrap();
    assert_eq!(
        assigned.items,
        [DeviceEntry {
            serial: serial_of("b"),
            assigned: Some((alice, NOW)),
        }]
    );
    let unassigned = a
        .list_virtual_mfa_devices(Some("Unassigned"), None, None)
        .unwrap();
    let serials: Vec<&str> = unassigned.items.iter().map(|e| e.serial.as_str()).collect();
    assert_eq!(serials, [serial_of("a"), serial_of("c")]);
    assert!(unassigned.items.iter().all(|e| e.assigned.is_none()));
    assert!(!unassigned.is_truncated());
}

#[test]
fn list_empty_account() {
    let mut a = account();
    for status in [None, Some("Any"), Some("Assigned"), Some("Unassigned")] {
        let page = a.list_virtual_mfa_devices(status, None, None).unwrap();
        assert!(page.items.is_empty());
        assert!(!page.is_truncated());
    }
}

#[test]
fn list_bad_assignment_status() {
    let mut a = account();
    for bad in ["assigned", "ANY", "None", ""] {
        assert_validation(
            a.list_virtual_mfa_devices(Some(bad), None, None),
            &one_error(&format!(
                "Value '{bad}' at 'assignmentStatus' failed to satisfy constraint: {ENUM_TEXT}"
            )),
        );
    }
    // With a too-large MaxItems: both, in member order.
    assert_validation(
        a.list_virtual_mfa_devices(Some("X"), None, Some(5000)),
        &format!("2 validation errors detected: Value 'X' at 'assignmentStatus' failed to satisfy constraint: {ENUM_TEXT}; Value '5000' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"),
    );
    // A format error comes before the marker check.
    assert_validation(
        a.list_virtual_mfa_devices(Some("X"), Some("forged"), None),
        &one_error(&format!(
            "Value 'X' at 'assignmentStatus' failed to satisfy constraint: {ENUM_TEXT}"
        )),
    );
}

#[test]
fn list_max_items_paging_walks_everything_once_in_serial_order() {
    let mut a = account();
    let alice = new_user(&mut a, "alice");
    let created = [
        (None, "zed"),
        (Some("/b/"), "amy"),
        (None, "Bob"),
        (Some("/a/"), "x"),
        (None, "alice"),
        (None, "_u"),
        (None, "9"),
        (Some("/a//b/"), "m"),
    ];
    let mut expected = Vec::new();
    for (path, name) in created {
        expected.push(a.create_virtual_mfa_device(path, name, &[]).unwrap().serial);
    }
    expected.sort();
    for (i, serial) in expected.iter().enumerate() {
        if i % 3 == 0 {
            enable(&mut a, &alice.name, serial);
        }
    }
    for max in 1..=9 {
        let pages = walk(
            |m| a.list_virtual_mfa_devices(None, m, Some(max)),
            max as usize,
        );
        assert_eq!(pages.len(), expected.len().div_ceil(max as usize).max(1));
        let seen: Vec<String> = pages.into_iter().flatten().map(|e| e.serial).collect();
        assert_eq!(seen, expected, "MaxItems {max}");
    }
    for (status, want) in [("Assigned", true), ("Unassigned", false)] {
        let wanted: Vec<String> = expected
            .iter()
            .enumerate()
            .filter(|(i, _)| (i % 3 == 0) == want)
            .map(|(_, s)| s.clone())
            .collect();
        for max in 1..=4 {
            let pages = walk(
                |m| a.list_virtual_mfa_devices(Some(status), m, Some(max)),
                max as usize,
            );
            let seen: Vec<String> = pages.into_iter().flatten().map(|e| e.serial).collect();
            assert_eq!(seen, wanted, "{status} MaxItems {max}");
        }
    }
}

#[test]
fn list_marker_only_when_truncated() {
    let mut a = account();
    for name in ["a", "b", "c"] {
        new_device(&mut a, name);
    }
    // Exactly as many as MaxItems: not truncated, no marker.
    let page = a.list_virtual_mfa_devices(None, None, Some(3)).unwrap();
    assert_eq!(page.items.len(), 3);
    assert_eq!(page.marker, None);
    let page = a.list_virtual_mfa_devices(None, None, Some(1000)).unwrap();
    assert_eq!(page.marker, None);
    let page = a.list_virtual_mfa_devices(None, None, Some(2)).unwrap();
    assert!(page.is_truncated());
    let last = a
        .list_virtual_mfa_devices(None, page.marker.as_deref(), Some(2))
        .unwrap();
    assert_eq!(last.items.len(), 1);
    assert_eq!(last.marker, None);
    // A filtered listing whose remaining items are all filtered out is not truncated.
    new_user(&mut a, "u");
    enable(&mut a, "u", &serial_of("a"));
    let page = a
        .list_virtual_mfa_devices(Some("Assigned"), None, Some(1))
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.marker, None);
}

#[test]
fn list_marker_survives_a_deleted_resume_point() {
    let mut a = account();
    for name in ["a", "b", "c", "d"] {
        new_device(&mut a, name);
    }
    let page = a.list_virtual_mfa_devices(None, None, Some(2)).unwrap();
    a.delete_virtual_mfa_device(&serial_of("b")).unwrap();
    let rest = a
        .list_virtual_mfa_devices(None, page.marker.as_deref(), Some(2))
        .unwrap();
    let serials: Vec<&str> = rest.items.iter().map(|e| e.serial.as_str()).collect();
    assert_eq!(serials, [serial_of("c"), serial_of("d")]);
    // A marker may be used again.
    let again = a
        .list_virtual_mfa_devices(None, page.marker.as_deref(), Some(2))
        .unwrap();
    assert_eq!(again, rest);
}

#[test]
fn list_forged_marker_is_invalid() {
    let mut a = account();
    new_device(&mut a, "a");
    for forged in ["forged", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "0", " "] {
        assert_invalid_marker(a.list_virtual_mfa_devices(None, Some(forged), None));
    }
    // Also when nothing exists.
    let mut empty = account();
    assert_invalid_marker(empty.list_virtual_mfa_devices(None, Some("forged"), None));
}

#[test]
fn list_marker_with_bad_characters_is_a_format_error() {
    let mut a = account();
    assert_validation(
        a.list_virtual_mfa_devices(None, Some("\u{100}"), None),
        &one_error(&pattern_msg("\u{100}", "marker", r"[\u0020-\u00FF]+")),
    );
    let long = "m".repeat(321);
    assert_validation(
        a.list_virtual_mfa_devices(None, Some(&long), None),
        &one_error(&format!("Value '{long}' at 'marker' failed to satisfy constraint: Member must have length less than or equal to 320")),
    );
}

#[test]
fn list_marker_from_another_listing_is_invalid() {
    let mut a = account();
    for name in ["u1", "u2", "u3"] {
        new_user(&mut a, name);
    }
    for name in ["d1", "d2", "d3"] {
        new_device(&mut a, name);
    }
    for i in 0..3 {
        enable(&mut a, "u1", &serial_of(&format!("d{}", i + 1)));
    }
    a.tag_mfa_device(&serial_of("d1"), &numbered_tags("k", 3))
        .unwrap();
    a.tag_mfa_device(&serial_of("d2"), &numbered_tags("k", 3))
        .unwrap();

    let users_marker = a.list_users(None, None, Some(1)).unwrap().marker.unwrap();
    let devices_marker = a
        .list_virtual_mfa_devices(None, None, Some(1))
        .unwrap()
        .marker
        .unwrap();
    let mfa_marker = a
        .list_mfa_devices(Some("u1"), None, Some(1))
        .unwrap()
        .marker
        .unwrap();
    let tags_marker = a
        .list_mfa_device_tags(&serial_of("d1"), None, Some(1))
        .unwrap()
        .marker
        .unwrap();

    for m in [&users_marker, &mfa_marker, &tags_marker] {
        assert_invalid_marker(a.list_virtual_mfa_devices(None, Some(m), Some(1)));
    }
    for m in [&devices_marker, &mfa_marker, &tags_marker] {
        assert_invalid_marker(a.list_users(None, Some(m), Some(1)));
    }
    for m in [&devices_marker, &users_marker, &tags_marker] {
        assert_invalid_marker(a.list_mfa_devices(Some("u1"), Some(m), Some(1)));
    }
    // Same operation, another user or device.
    assert_invalid_marker(a.list_mfa_devices(Some("u2"), Some(&mfa_marker), Some(1)));
    assert_invalid_marker(a.list_mfa_devices(None, Some(&mfa_marker), Some(1)));
    assert_invalid_marker(a.list_mfa_device_tags(&serial_of("d2"), Some(&tags_marker), Some(1)));
    for m in [&devices_marker, &users_marker, &mfa_marker] {
        assert_invalid_marker(a.list_mfa_device_tags(&serial_of("d1"), Some(m), Some(1)));
    }
    // And each marker still works where it came from.
    a.list_users(None, Some(&users_marker), Some(1)).unwrap();
    a.list_virtual_mfa_devices(None, Some(&devices_marker), Some(1))
        .unwrap();
    a.list_mfa_devices(Some("U1"), Some(&mfa_marker), Some(1))
        .unwrap();
    a.list_mfa_device_tags(&serial_of("d1"), Some(&tags_marker), Some(1))
        .unwrap();
}

#[test]
fn list_markers_of_another_account_are_invalid() {
    let mut a = account();
    let mut b = Account::new(AccountConfig::default(), Entropy::seeded(99), NOW);
    for name in ["a", "b"] {
        new_device(&mut a, name);
        new_device(&mut b, name);
    }
    let m = a
        .list_virtual_mfa_devices(None, None, Some(1))
        .unwrap()
        .marker
        .unwrap();
    assert_invalid_marker(b.list_virtual_mfa_devices(None, Some(&m), Some(1)));
}

#[test]
fn list_max_items_limits() {
    let mut a = account();
    for name in ["a", "b"] {
        new_device(&mut a, name);
    }
    assert_validation(
        a.list_virtual_mfa_devices(None, None, Some(1001)),
        "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
    assert_eq!(
        a.list_virtual_mfa_devices(None, None, Some(1000))
            .unwrap()
            .items
            .len(),
        2
    );
    assert_eq!(
        a.list_virtual_mfa_devices(None, None, Some(1))
            .unwrap()
            .items
            .len(),
        1
    );
}

#[test]
fn list_default_page_is_100() {
    let mut a = account();
    for i in 0..101 {
        new_device(&mut a, &format!("d{i:03}"));
    }
    let page = a.list_virtual_mfa_devices(None, None, None).unwrap();
    assert_eq!(page.items.len(), 100);
    let rest = a
        .list_virtual_mfa_devices(None, page.marker.as_deref(), None)
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.items[0].serial, serial_of("d100"));
    assert!(!rest.is_truncated());
}

#[test]
fn list_oldest_marker_is_forgotten_after_markers_kept() {
    let mut a = account();
    for name in ["a", "b"] {
        new_device(&mut a, name);
    }
    let first = a
        .list_virtual_mfa_devices(None, None, Some(1))
        .unwrap()
        .marker
        .unwrap();
    let mut second = None;
    for i in 0..MARKERS_KEPT {
        let m = a
            .list_virtual_mfa_devices(None, None, Some(1))
            .unwrap()
            .marker;
        if i == 0 {
            second = m;
        }
    }
    assert_invalid_marker(a.list_virtual_mfa_devices(None, Some(&first), Some(1)));
    let second = second.unwrap();
    let page = a
        .list_virtual_mfa_devices(None, Some(&second), Some(1))
        .unwrap();
    assert_eq!(page.items[0].serial, serial_of("b"));
    assert!(a.markers.len() <= MARKERS_KEPT);
}

// ---------------------------------------------------------------------------------- delete

#[test]
fn delete_unknown_serial() {
    let mut a = account();
    let ghost = serial_of("ghost");
    assert_no_such_device(a.delete_virtual_mfa_device(&ghost), &ghost);
    assert_validation(
        a.delete_virtual_mfa_device("not a serial"),
        &one_error(&pattern_msg(
            "not a serial",
            "serialNumber",
            SERIAL_PATTERN_TEXT,
        )),
    );
    let long = format!("arn:{}", "a".repeat(253));
    assert_validation(
        a.delete_virtual_mfa_device(&long),
        &one_error(&format!("Value '{long}' at 'serialNumber' failed to satisfy constraint: Member must have length less than or equal to 256")),
    );
}

#[test]
fn delete_enabled_device_conflicts() {
    let mut a = account();
    new_user(&mut a, "alice");
    let serial = new_device(&mut a, "d");
    enable(&mut a, "alice", &serial);
    assert_err(
        a.delete_virtual_mfa_device(&serial),
        "DeleteConflict",
        409,
        "MFA VirtualDevice in use. Must deactivate first.",
    );
    // Never detached silently.
    assert_eq!(a.device_count(), 1);
    assert_eq!(assigned_serials(&mut a), std::slice::from_ref(&serial));
    assert_eq!(
        a.list_mfa_devices(Some("alice"), None, None)
            .unwrap()
            .items
            .len(),
        1
    );
    a.deactivate_mfa_device(Some("alice"), &serial).unwrap();
    a.delete_virtual_mfa_device(&serial).unwrap();
    assert_eq!(a.device_count(), 0);
    assert_no_such_device(a.delete_virtual_mfa_device(&serial), &serial);
}

#[test]
fn delete_frees_the_name_for_a_new_device() {
    let mut a = account();
    let d = a
        .create_virtual_mfa_device(Some("/p/"), "d", &tags(&[("k", "v")]))
        .unwrap();
    a.delete_virtual_mfa_device(&d.serial).unwrap();
    assert_no_such_device(a.device_secret(&d.serial), &d.serial);
    let again = a.create_virtual_mfa_device(Some("/p/"), "d", &[]).unwrap();
    assert_eq!(again.serial, d.serial);
    assert_ne!(again.secret, d.secret, "a new device gets a new key");
    // Nothing of the old device survives: no tags.
    assert!(a
        .list_mfa_device_tags(&d.serial, None, None)
        .unwrap()
        .items
        .is_empty());
}

// ---------------------------------------------------------------------------------- users

#[test]
fn user_create_and_get() {
    let mut a = account();
    let u = a
        .create_user(
            Some("/eng/"),
            "Alice",
            None,
            &tags(&[("team", "x")]),
            NOW + 5,
        )
        .unwrap();
    assert_eq!(u.name, "Alice");
    assert_eq!(u.path, "/eng/");
    assert_eq!(u.create_date, NOW + 5);
    assert_eq!(u.tags, tags(&[("team", "x")]));
    assert_eq!(u.user_id.len(), 21);
    assert!(u.user_id.starts_with("AIDA"));
    assert!(u.user_id[4..]
        .bytes()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    assert_eq!(a.user_arn(&u), "arn:aws:iam::123456789012:user/eng/Alice");
    assert_eq!(a.get_user("Alice").unwrap(), u);
    // Lookup is case-insensitive; the stored spelling is kept.
    assert_eq!(a.get_user("alice").unwrap(), u);
    assert_eq!(a.get_user("ALICE").unwrap().name, "Alice");
    let b = new_user(&mut a, "bob");
    assert_eq!(b.path, "/");
    assert_ne!(b.user_id, u.user_id);
    assert_eq!(a.user_count(), 2);
    assert_no_such_user(a.get_user("carol"), "carol");
}

#[test]
fn user_names_are_unique_case_insensitively() {
    let mut a = account();
    new_user(&mut a, "alice");
    for dup in ["alice", "Alice", "ALICE"] {
        assert_err(
            a.create_user(Some("/other/"), dup, None, &[], NOW),
            "EntityAlreadyExists",
            409,
            &format!("User with name {dup} already exists."),
        );
    }
    assert_eq!(a.user_count(), 1);
    assert_eq!(summary(&a, "Users"), 1);
}

#[test]
fn user_bad_name_uses_iams_text() {
    let mut a = account();
    assert_eq!(
        USER_NAME_MESSAGE,
        "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"
    );
    for bad in ["bad name", "é", "a/b", "a*b"] {
        assert_validation(a.create_user(None, bad, None, &[], NOW), USER_NAME_MESSAGE);
        assert_validation(a.get_user(bad), USER_NAME_MESSAGE);
        assert_validation(a.delete_user(bad), USER_NAME_MESSAGE);
    }
    // Bad path and bad name: the IAM texts, counted.
    assert_validation(
        a.create_user(Some("bad"), "bad name", None, &[], NOW),
        &format!("2 validation errors detected: {PATH_MESSAGE}; {USER_NAME_MESSAGE}"),
    );
    assert_eq!(a.user_count(), 0);
}

#[test]
fn user_name_length_keeps_the_coral_form() {
    let mut a = account();
    let max = "u".repeat(64);
    a.create_user(None, &max, None, &[], NOW).unwrap();
    let long = "u".repeat(65);
    assert_validation(
        a.create_user(None, &long, None, &[], NOW),
        &one_error(&format!("Value '{long}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64")),
    );
    // Malformed and too long: the IAM text replaces only the pattern part.
    let both = format!("{} x", "u".repeat(70));
    assert_validation(
        a.create_user(None, &both, None, &[], NOW),
        &format!("2 validation errors detected: {USER_NAME_MESSAGE}; Value '{both}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"),
    );
    // An existing user's name may be up to 128 long: 65 is not a format error there.
    assert_no_such_user(a.get_user(&long), &long);
    let very_long = "u".repeat(129);
    assert_validation(
        a.get_user(&very_long),
        &one_error(&format!("Value '{very_long}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 128")),
    );
}

#[test]
fn user_tag_keys_are_case_insensitive() {
    let mut a = account();
    assert_err(
        a.create_user(
            None,
            "alice",
            None,
            &tags(&[("Team", "a"), ("team", "b")]),
            NOW,
        ),
        "InvalidInput",
        400,
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
    );
    assert_err(
        a.create_user(None, "alice", None, &tags(&[("aws:k", "v")]), NOW),
        "InvalidInput",
        400,
        "Tag keys starting with 'aws:' are reserved for AWS use.",
    );
    assert_validation(
        a.create_user(None, "alice", None, &numbered_tags("k", 51), NOW),
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
    assert_eq!(a.user_count(), 0);
    // Tags are kept in request order.
    let u = a
        .create_user(None, "alice", None, &tags(&[("z", "1"), ("a", "2")]), NOW)
        .unwrap();
    assert_eq!(u.tags, tags(&[("z", "1"), ("a", "2")]));
}

#[test]
fn user_permissions_boundary_and_quota() {
    let mut a = account_with(|c| c.quotas.users_per_account = 1);
    let arn = "arn:aws:iam::aws:policy/PowerUserAccess";
    assert_err(
        a.create_user(None, "alice", Some(arn), &[], NOW),
        "NoSuchEntity",
        404,
        &format!("Scope ARN: {arn} does not exist or is not attachable."),
    );
    new_user(&mut a, "alice");
    assert_err(
        a.create_user(None, "bob", None, &[], NOW),
        "LimitExceeded",
        409,
        "Cannot exceed quota for UsersPerAccount: 1",
    );
    assert_eq!(summary(&a, "UsersQuota"), 1);
}

#[test]
fn user_rename_keeps_enabled_devices() {
    let mut a = account();
    let alice = new_user(&mut a, "alice");
    let serial = new_device(&mut a, "d");
    enable(&mut a, "alice", &serial);
    a.update_user("ALICE", Some("/new/"), Some("carol"))
        .unwrap();

    assert_no_such_user(a.get_user("alice"), "alice");
    assert_no_such_user(a.list_mfa_devices(Some("alice"), None, None), "alice");
    let carol = a.get_user("carol").unwrap();
    assert_eq!(carol.user_id, alice.user_id);
    assert_eq!(carol.path, "/new/");
    assert_eq!(carol.create_date, alice.create_date);
    assert_eq!(
        a.user_arn(&carol),
        "arn:aws:iam::123456789012:user/new/carol"
    );

    let listed = a.list_mfa_devices(Some("carol"), None, None).unwrap();
    assert_eq!(
        listed.items,
        [MfaEntry {
            user_name: "carol".into(),
            serial: serial.clone(),
            enable_date: NOW,
        }]
    );
    assert_eq!(a.get_mfa_device(&serial, None).unwrap().user_name, "carol");
    let entry = &a
        .list_virtual_mfa_devices(Some("Assigned"), None, None)
        .unwrap()
        .items[0];
    assert_eq!(entry.assigned, Some((carol.clone(), NOW)));
    // Still in use, and the new name is the one that holds it.
    assert_err(
        a.delete_user("carol"),
        "DeleteConflict",
        409,
        "Cannot delete entity, must delete MFA device first.",
    );
    a.deactivate_mfa_device(Some("carol"), &serial).unwrap();
    a.delete_user("carol").unwrap();
    assert_eq!(a.user_count(), 0);
}

#[test]
fn user_update_conflicts_and_checks() {
    let mut a = account();
    new_user(&mut a, "alice");
    new_user(&mut a, "bob");
    assert_err(
        a.update_user("alice", None, Some("BOB")),
        "EntityAlreadyExists",
        409,
        "User with name BOB already exists.",
    );
    assert_no_such_user(a.update_user("nobody", None, Some("x")), "nobody");
    assert_validation(a.update_user("alice", Some("bad"), None), PATH_MESSAGE);
    assert_validation(
        a.update_user("alice", None, Some("bad name")),
        &one_error(&pattern_msg("bad name", "newUserName", NAME_PATTERN_TEXT)),
    );
    let long = "n".repeat(65);
    assert_validation(
        a.update_user("alice", None, Some(&long)),
        &one_error(&format!("Value '{long}' at 'newUserName' failed to satisfy constraint: Member must have length less than or equal to 64")),
    );
    // A change of case only is allowed.
    a.update_user("alice", None, Some("Alice")).unwrap();
    assert_eq!(a.get_user("alice").unwrap().name, "Alice");
    // A path change alone keeps the name.
    a.update_user("alice", Some("/p/"), None).unwrap();
    let u = a.get_user("Alice").unwrap();
    assert_eq!((u.name.as_str(), u.path.as_str()), ("Alice", "/p/"));
    assert_eq!(a.user_count(), 2);
}

#[test]
fn user_delete() {
    let mut a = account();
    new_user(&mut a, "Alice");
    let serial = new_device(&mut a, "d");
    enable(&mut a, "alice", &serial);
    assert_err(
        a.delete_user("alice"),
        "DeleteConflict",
        409,
        "Cannot delete entity, must delete MFA device first.",
    );
    assert_eq!(a.user_count(), 1);
    a.deactivate_mfa_device(None, &serial).unwrap();
    a.delete_user("ALICE").unwrap();
    assert_no_such_user(a.get_user("Alice"), "Alice");
    assert_no_such_user(a.delete_user("Alice"), "Alice");
    assert_eq!(summary(&a, "Users"), 0);
    // The device stays; the name can be used again and gets a new id.
    assert_eq!(a.device_count(), 1);
    let again = new_user(&mut a, "alice");
    assert!(a
        .list_mfa_devices(Some("alice"), None, None)
        .unwrap()
        .items
        .is_empty());
    enable(&mut a, &again.name, &serial);
}

#[test]
fn user_list_with_path_prefix_and_paging() {
    let mut a = account();
    let users = [
        ("/", "eve"),
        ("/eng/", "bob"),
        ("/eng/web/", "Alice"),
        ("/engineering/", "carol"),
        ("/ops/", "Dave"),
    ];
    for (path, name) in users {
        a.create_user(Some(path), name, None, &[], NOW).unwrap();
    }
    let names = |page: Vec<User>| page.into_iter().map(|u| u.name).collect::<Vec<_>>();
    let all = a.list_users(None, None, None).unwrap();
    assert!(!all.is_truncated());
    // Name order, case-insensitively.
    assert_eq!(names(all.items), ["Alice", "bob", "carol", "Dave", "eve"]);
    let eng = a.list_users(Some("/eng/"), None, None).unwrap();
    assert_eq!(names(eng.items), ["Alice", "bob"]);
    let eng_any = a.list_users(Some("/eng"), None, None).unwrap();
    assert_eq!(names(eng_any.items), ["Alice", "bob", "carol"]);
    let root = a.list_users(Some("/"), None, None).unwrap();
    assert_eq!(root.items.len(), 5);
    assert!(a
        .list_users(Some("/none/"), None, None)
        .unwrap()
        .items
        .is_empty());
    for max in 1..=6 {
        let pages = walk(|m| a.list_users(None, m, Some(max)), max as usize);
        let seen: Vec<String> = pages.into_iter().flatten().map(|u| u.name).collect();
        assert_eq!(
            seen,
            ["Alice", "bob", "carol", "Dave", "eve"],
            "MaxItems {max}"
        );
    }
    let pages = walk(|m| a.list_users(Some("/eng"), m, Some(2)), 2);
    assert_eq!(pages.len(), 2);
    let seen: Vec<String> = pages.into_iter().flatten().map(|u| u.name).collect();
    assert_eq!(seen, ["Alice", "bob", "carol"]);
    assert_validation(
        a.list_users(Some("eng"), None, None),
        &one_error(&pattern_msg("eng", "pathPrefix", r"\u002F[\u0021-\u007F]*")),
    );
    assert_invalid_marker(a.list_users(None, Some("forged"), None));
    assert_validation(
        a.list_users(None, None, Some(1001)),
        "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
}

// ---------------------------------------------------------------------------------- enable

#[test]
fn enable_window_edges() {
    let step = now_step();
    // At the start and at the end of the current step.
    for now in [step * totp::STEP_SECONDS, step * totp::STEP_SECONDS + 29] {
        let mut a = account();
        new_user(&mut a, "alice");
        let serial = new_device(&mut a, "d");
        for offset in -12..=3 {
            let accepted = (-10..=1).contains(&offset);
            let (c1, c2) = pair_at(&a, &serial, step + offset);
            let result = a.enable_mfa_device("alice", &serial, &c1, &c2, now);
            if accepted {
                result.unwrap_or_else(|e| panic!("offset {offset}: {e}"));
                assert_eq!(a.get_mfa_device(&serial, None).unwrap().enable_date, now);
                a.deactivate_mfa_device(Some("alice"), &serial).unwrap();
            } else {
                assert_err(result, "InvalidAuthenticationCode", 403, BAD_CODE);
                assert!(assigned_serials(&mut a).is_empty(), "offset {offset}");
            }
        }
    }
}

#[test]
fn enable_previous_and_current_pair() {
    let mut a = account();
    new_user(&mut a, "alice");
    let serial = new_device(&mut a, "d");
    let secret = a.device_secret(&serial).unwrap().0;
    let c1 = totp::code_at(&secret, NOW - 30);
    let c2 = totp::code_at(&secret, NOW);
    a.enable_mfa_device("alice", &serial, &c1, &c2, NOW)
        .unwrap();
    assert_eq!(
        a.get_mfa_device(&serial, Some("alice")).unwrap(),
        MfaEntry {
            user_name: "alice".into(),
            serial: serial.clone(),
            enable_date: NOW,
        }
    );
}

#[test]
fn enable_rejects_pairs_that_are_not_consecutive() {
    let mut a = account();
    new_user(&mut a, "alice");
    let serial = new_device(&mut a, "d");
    let secret = a.device_secret(&serial).unwrap().0;
    let s = now_step();
    let bad_pairs = [
        (code_at_step(&secret, s - 1), code_at_step(&secret, s + 1)),
        (code_at_step(&secret, s), code_at_step(&secret, s - 1)),
        (code_at_step(&secret, s), code_at_step(&secret, s)),
        (code_at_step(&secret, s - 2), code_at_step(&secret, s)),
    ];
    for (c1, c2) in bad_pairs {
        assert_err(
            a.enable_mfa_device("alice", &serial, &c1, &c2, NOW),
            "InvalidAuthenticationCode",
            403,
            BAD_CODE,
        );
    }
}

#[test]
fn enable_rejection_changes_nothing() {
    let mut a = account();
    new_user(&mut a, "alice");
    let serial = new_device(&mut a, "d");
    let (c1, c2) = wrong_pair(&a, &serial);
    assert_err(
        a.enable_mfa_device("alice", &serial, &c1, &c2, NOW),
        "InvalidAuthenticationCode",
        403,
        BAD_CODE,
    );
    assert!(assigned_serials(&mut a).is_empty());
    assert!(a
        .list_mfa_devices(Some("alice"), None, None)
        .unwrap()
        .items
        .is_empty());
    assert_no_such_device(a.get_mfa_device(&serial, None), &serial);
    assert_eq!(summary(&a, "MFADevicesInUse"), 0);
    assert_eq!(summary(&a, "MFADevices"), 1);
    // The device can still be deleted (nothing was attached) — but first, a good pair works.
    enable(&mut a, "alice", &serial);
    assert_eq!(summary(&a, "MFADevicesInUse"), 1);
}

#[test]
fn enable_code_formats() {
    let mut a = account();
    new_user(&mut a, "alice");
    let serial = new_device(&mut a, "d");
    let (c1, c2) = pair_at(&a, &serial, now_step());
    assert_validation(
        a.enable_mfa_device("alice", &serial, "1234567", &c2, NOW),
        "1 validation error detected: Value '1234567' at 'authenticationCode1' failed to satisfy constraint: Member must have length less than or equal to 6",
    );
    assert_validation(
        a.enable_mfa_device("alice", &serial, &c1, "12345a", NOW),
        &one_error(&pattern_msg("12345a", "authenticationCode2", r"[\d]+")),
    );
    // Full-width digits are not `\d` in Java.
    assert_validation(
        a.enable_mfa_device("alice", &serial, "１２３４５６", &c2, NOW),
        &one_error(&pattern_msg(
            "１２３４５６",
            "authenticationCode1",
            r"[\d]+",
        )),
    );
    // Five digits pass the format checks (botocore checks the minimum) and fail as codes.
    assert_err(
        a.enable_mfa_device("alice", &serial, "12345", &c2, NOW),
        "InvalidAuthenticationCode",
        403,
        BAD_CODE,
    );
    // Everything malformed at once, in member order.
    assert_validation(
        a.enable_mfa_device("bad name", "bad serial", "x", "1234567", NOW),
        &format!(
            "4 validation errors detected: {USER_NAME_MESSAGE}; {}; {}; Value '1234567' at 'authenticationCode2' failed to satisfy constraint: Member must have length less than or equal to 6",
            pattern_msg("bad serial", "serialNumber", SERIAL_PATTERN_TEXT),
            pattern_msg("x", "authenticationCode1", r"[\d]+")
        ),
    );
    assert!(assigned_serials(&mut a).is_empty());
}

#[test]
fn enable_check_order() {
    let mut a = account_with(|c| c.quotas.mfa_devices_per_user = 1);
    new_user(&mut a, "alice");
    new_user(&mut a, "bob");
    let used = new_device(&mut a, "used");
    let free = new_device(&mut a, "free");
    let ghost = serial_of("ghost");
    let (b1, b2) = wrong_pair(&a, &free);

    // Format errors before everything, even with nothing there.
    assert_validation(
        a.enable_mfa_device("nobody", &ghost, "12345a", &b2, NOW),
        &one_error(&pattern_msg("12345a", "authenticationCode1", r"[\d]+")),
    );
    // Missing user and unknown serial (and bogus codes): the user.
    assert_no_such_user(
        a.enable_mfa_device("nobody", &ghost, &b1, &b2, NOW),
        "nobody",
    );
    // Missing user with a good pair for a real device: still the user.
    let (g1, g2) = pair_at(&a, &free, now_step());
    assert_no_such_user(
        a.enable_mfa_device("nobody", &free, &g1, &g2, NOW),
        "nobody",
    );
    // Unknown serial and bad codes: the serial.
    assert_no_such_device(a.enable_mfa_device("alice", &ghost, &b1, &b2, NOW), &ghost);

    enable(&mut a, "bob", &used);
    // In use and bad codes: in use.
    assert_err(
        a.enable_mfa_device("alice", &used, &b1, &b2, NOW),
        "EntityAlreadyExists",
        409,
        IN_USE,
    );
    // Quota before the codes: bob holds 1 of 1.
    assert_err(
        a.enable_mfa_device("bob", &free, &b1, &b2, NOW),
        "LimitExceeded",
        409,
        "Cannot exceed quota for MFADevicesPerUser: 1",
    );
    // In use before the quota.
    assert_err(
        a.enable_mfa_device("bob", &used, &b1, &b2, NOW),
        "EntityAlreadyExists",
        409,
        IN_USE,
    );
    // And only then the codes.
    assert_err(
        a.enable_mfa_device("alice", &free, &b1, &b2, NOW),
        "InvalidAuthenticationCode",
        403,
        BAD_CODE,
    );
    assert_eq!(assigned_serials(&mut a), [used]);
}

#[test]
fn enable_already_enabled_device_is_in_use() {
    let mut a = account();
    new_user(&mut a, "alice");
    new_user(&mut a, "bob");
    let serial = new_device(&mut a, "d");
    enable(&mut a, "alice", &serial);
    // Another user, and the same user, even with a good pair.
    for user in ["bob", "alice", "ALICE"] {
        let (c1, c2) = pair_at(&a, &serial, now_step());
        assert_err(
            a.enable_mfa_device(user, &serial, &c1, &c2, NOW + 30),
            "EntityAlreadyExists",
            409,
            IN_USE,
        );
    }
    let entry = a.get_mfa_device(&serial, None).unwrap();
    assert_eq!(
        (entry.user_name.as_str(), entry.enable_date),
        ("alice", NOW)
    );
}

#[test]
fn enable_default_per_user_quota_is_8() {
    let mut a = account();
    new_user(&mut a, "alice");
    let serials: Vec<String> = (0..9)
        .map(|i| new_device(&mut a, &format!("d{i}")))
        .collect();
    for serial in &serials[..8] {
        enable(&mut a, "alice", serial);
    }
    let (c1, c2) = pair_at(&a, &serials[8], now_step());
    assert_err(
        a.enable_mfa_device("alice", &serials[8], &c1, &c2, NOW),
        "LimitExceeded",
        409,
        "Cannot exceed quota for MFADevicesPerUser: 8",
    );
    // Another user is not affected; deactivating one frees a slot.
    new_user(&mut a, "bob");
    a.deactivate_mfa_device(Some("alice"), &serials[0]).unwrap();
    enable(&mut a, "alice", &serials[8]);
    enable(&mut a, "bob", &serials[0]);
    assert_eq!(
        a.list_mfa_devices(Some("alice"), None, None)
            .unwrap()
            .items
            .len(),
        8
    );
}

#[test]
fn enable_accept_any_code() {
    let mut a = account_with(|c| c.accept_any_code = true);
    new_user(&mut a, "alice");
    let serial = new_device(&mut a, "d");
    // Format is still checked.
    assert_validation(
        a.enable_mfa_device("alice", &serial, "00000a", "000000", NOW),
        &one_error(&pattern_msg("00000a", "authenticationCode1", r"[\d]+")),
    );
    // And state too.
    let ghost = serial_of("ghost");
    assert_no_such_device(
        a.enable_mfa_device("alice", &ghost, "000000", "000000", NOW),
        &ghost,
    );
    a.enable_mfa_device("alice", &serial, "000000", "000000", NOW)
        .unwrap();
    assert_err(
        a.enable_mfa_device("alice", &serial, "000000", "000000", NOW),
        "EntityAlreadyExists",
        409,
        IN_USE,
    );
    a.resync_mfa_device("alice", &serial, "111111", "999999", NOW)
        .unwrap();
    // Off by default.
    assert!(!AccountConfig::default().accept_any_code);
}

// ---------------------------------------------------------------------------------- deactivate

#[test]
fn deactivate_with_and_without_user_name() {
    let mut a = account();
    new_user(&mut a, "alice");
    let d1 = new_device(&mut a, "d1");
    let d2 = new_device(&mut a, "d2");
    enable(&mut a, "alice", &d1);
    enable(&mut a, "alice", &d2);
    assert_eq!(summary(&a, "MFADevicesInUse"), 2);

    a.deactivate_mfa_device(Some("Alice"), &d1).unwrap();
    a.deactivate_mfa_device(None, &d2).unwrap();
    assert!(assigned_serials(&mut a).is_empty());
    assert!(a
        .list_mfa_devices(Some("alice"), None, None)
        .unwrap()
        .items
        .is_empty());
    assert_eq!(summary(&a, "MFADevicesInUse"), 0);
    // The devices stay, unassigned; re-creating a name conflicts.
    assert_eq!(summary(&a, "MFADevices"), 2);
    assert_err(
        a.create_virtual_mfa_device(None, "d1", &[]),
        "EntityAlreadyExists",
        409,
        "MFA device already exists.",
    );
    // Deactivated devices can be enabled again (the same key), and deleted.
    enable(&mut a, "alice", &d1);
    a.delete_virtual_mfa_device(&d2).unwrap();
}

#[test]
fn deactivate_errors() {
    let mut a = account();
    new_user(&mut a, "alice");
    new_user(&mut a, "bob");
    let d = new_device(&mut a, "d");
    let free = new_device(&mut a, "free");
    let ghost = serial_of("ghost");
    enable(&mut a, "alice", &d);

    assert_no_such_user(a.deactivate_mfa_device(Some("nobody"), &ghost), "nobody");
    assert_no_such_user(a.deactivate_mfa_device(Some("nobody"), &d), "nobody");
    assert_no_such_device(a.deactivate_mfa_device(Some("alice"), &ghost), &ghost);
    assert_no_such_device(a.deactivate_mfa_device(None, &ghost), &ghost);
    for (user, serial) in [(Some("bob"), &d), (Some("alice"), &free), (None, &free)] {
        assert_err(
            a.deactivate_mfa_device(user, serial),
            "NoSuchEntity",
            404,
            INVALID_FOR_USER,
        );
    }
    assert_validation(
        a.deactivate_mfa_device(Some("bad name"), "bad serial"),
        &format!(
            "2 validation errors detected: {USER_NAME_MESSAGE}; {}",
            pattern_msg("bad serial", "serialNumber", SERIAL_PATTERN_TEXT)
        ),
    );
    // Nothing changed.
    assert_eq!(assigned_serials(&mut a), std::slice::from_ref(&d));
    a.deactivate_mfa_device(Some("alice"), &d).unwrap();
    assert_err(
        a.deactivate_mfa_device(Some("alice"), &d),
        "NoSuchEntity",
        404,
        INVALID_FOR_USER,
    );
}

// ---------------------------------------------------------------------------------- resync

#[test]
fn resync_window_is_plus_minus_20() {
    let mut a = account();
    new_user(&mut a, "alice");
    let serial = new_device(&mut a, "d");
    enable(&mut a, "alice", &serial);
    for offset in -22..=22 {
        let accepted = (-20..=20).contains(&offset);
        let (c1, c2) = pair_at(&a, &serial, now_step() + offset);
        let result = a.resync_mfa_device("alice", &serial, &c1, &c2, NOW);
        if accepted {
            result.unwrap_or_else(|e| panic!("offset {offset}: {e}"));
        } else {
            assert_err(result, "InvalidAuthenticationCode", 403, BAD_CODE);
        }
    }
    // Resync changes no assignment.
    let entry = a.get_mfa_device(&serial, None).unwrap();
    assert_eq!(
        (entry.user_name.as_str(), entry.enable_date),
        ("alice", NOW)
    );
    // Non-consecutive pairs are rejected here too.
    let secret = a.device_secret(&serial).unwrap().0;
    let c1 = code_at_step(&secret, now_step());
    let c3 = code_at_step(&secret, now_step() + 2);
    assert_err(
        a.resync_mfa_device("alice", &serial, &c1, &c3, NOW),
        "InvalidAuthenticationCode",
        403,
        BAD_CODE,
    );
}

#[test]
fn resync_check_order() {
    let mut a = account();
    new_user(&mut a, "alice");
    new_user(&mut a, "bob");
    let d = new_device(&mut a, "d");
    let free = new_device(&mut a, "free");
    let ghost = serial_of("ghost");
    enable(&mut a, "alice", &d);
    let (b1, b2) = wrong_pair(&a, &d);
    let (g1, g2) = pair_at(&a, &d, now_step());

    assert_validation(
        a.resync_mfa_device("alice", &d, "1234567", &g2, NOW),
        "1 validation error detected: Value '1234567' at 'authenticationCode1' failed to satisfy constraint: Member must have length less than or equal to 6",
    );
    assert_no_such_user(
        a.resync_mfa_device("nobody", &ghost, &b1, &b2, NOW),
        "nobody",
    );
    assert_no_such_device(a.resync_mfa_device("alice", &ghost, &b1, &b2, NOW), &ghost);
    // Not enabled for this user: even with a good pair.
    assert_err(
        a.resync_mfa_device("bob", &d, &g1, &g2, NOW),
        "NoSuchEntity",
        404,
        INVALID_FOR_USER,
    );
    let (f1, f2) = pair_at(&a, &free, now_step());
    assert_err(
        a.resync_mfa_device("alice", &free, &f1, &f2, NOW),
        "NoSuchEntity",
        404,
        INVALID_FOR_USER,
    );
    assert_err(
        a.resync_mfa_device("alice", &d, &b1, &b2, NOW),
        "InvalidAuthenticationCode",
        403,
        BAD_CODE,
    );
    a.resync_mfa_device("ALICE", &d, &g1, &g2, NOW).unwrap();
}

// ---------------------------------------------------------------------------------- get / list MFA

#[test]
fn get_mfa_device_answers_only_for_enabled_devices() {
    let mut a = account();
    new_user(&mut a, "alice");
    new_user(&mut a, "bob");
    let d = new_device(&mut a, "d");
    let free = new_device(&mut a, "free");
    let ghost = serial_of("ghost");
    enable(&mut a, "alice", &d);
    let expected = MfaEntry {
        user_name: "alice".into(),
        serial: d.clone(),
        enable_date: NOW,
    };
    assert_eq!(a.get_mfa_device(&d, None).unwrap(), expected);
    assert_eq!(a.get_mfa_device(&d, Some("alice")).unwrap(), expected);
    assert_eq!(a.get_mfa_device(&d, Some("ALICE")).unwrap(), expected);
    // Not this user's, not enabled, unknown: the serial text.
    assert_no_such_device(a.get_mfa_device(&d, Some("bob")), &d);
    assert_no_such_device(a.get_mfa_device(&free, None), &free);
    assert_no_such_device(a.get_mfa_device(&free, Some("alice")), &free);
    assert_no_such_device(a.get_mfa_device(&ghost, None), &ghost);
    // A missing user is named first.
    assert_no_such_user(a.get_mfa_device(&ghost, Some("nobody")), "nobody");
    // Members in model order: SerialNumber, then UserName (userNameType, max 64).
    let long = "u".repeat(65);
    assert_validation(
        a.get_mfa_device("bad serial", Some(&long)),
        &format!(
            "2 validation errors detected: {}; Value '{long}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64",
            pattern_msg("bad serial", "serialNumber", SERIAL_PATTERN_TEXT)
        ),
    );
}

#[test]
fn list_mfa_devices_for_the_root_is_empty() {
    let mut a = account();
    new_user(&mut a, "alice");
    let d = new_device(&mut a, "d");
    enable(&mut a, "alice", &d);
    let page = a.list_mfa_devices(None, None, None).unwrap();
    assert!(page.items.is_empty());
    assert!(!page.is_truncated());
    assert_invalid_marker(a.list_mfa_devices(None, Some("forged"), None));
    assert_validation(
        a.list_mfa_devices(None, None, Some(1001)),
        "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
}

#[test]
fn list_mfa_devices_of_a_user() {
    let mut a = account();
    new_user(&mut a, "alice");
    new_user(&mut a, "bob");
    let page = a.list_mfa_devices(Some("alice"), None, None).unwrap();
    assert!(page.items.is_empty());
    assert!(!page.is_truncated());
    assert_no_such_user(a.list_mfa_devices(Some("nobody"), None, None), "nobody");
    assert_validation(
        a.list_mfa_devices(Some("bad name"), None, None),
        USER_NAME_MESSAGE,
    );

    let mut mine: Vec<String> = ["e", "a", "d", "b", "c"]
        .iter()
        .map(|n| new_device(&mut a, n))
        .collect();
    for serial in &mine {
        enable(&mut a, "alice", serial);
    }
    let bobs = new_device(&mut a, "bobs");
    enable(&mut a, "bob", &bobs);
    mine.sort();
    for max in 1..=6 {
        let pages = walk(
            |m| a.list_mfa_devices(Some("alice"), m, Some(max)),
            max as usize,
        );
        let seen: Vec<MfaEntry> = pages.into_iter().flatten().collect();
        assert!(seen
            .iter()
            .all(|e| e.user_name == "alice" && e.enable_date == NOW));
        let serials: Vec<String> = seen.into_iter().map(|e| e.serial).collect();
        assert_eq!(serials, mine, "MaxItems {max}");
    }
    let bob_page = a.list_mfa_devices(Some("BOB"), None, None).unwrap();
    assert_eq!(
        bob_page.items,
        [MfaEntry {
            user_name: "bob".into(),
            serial: bobs,
            enable_date: NOW,
        }]
    );
}

// ---------------------------------------------------------------------------------- tags

fn tag_keys(a: &mut Account, serial: &str) -> Vec<String> {
    a.list_mfa_device_tags(serial, None, Some(1000))
        .unwrap()
        .items
        .into_iter()
        .map(|t| t.key)
        .collect()
}

#[test]
fn tags_overwrite_and_sort_by_code_point() {
    let mut a = account();
    let d = a
        .create_virtual_mfa_device(None, "d", &tags(&[("a", "1"), ("_", "2")]))
        .unwrap()
        .serial;
    a.tag_mfa_device(&d, &tags(&[("B", "3"), ("Z", "4"), ("a", "new")]))
        .unwrap();
    let listed = a.list_mfa_device_tags(&d, None, None).unwrap();
    assert!(!listed.is_truncated());
    assert_eq!(
        listed.items,
        tags(&[("B", "3"), ("Z", "4"), ("_", "2"), ("a", "new")])
    );
    // Code point order beyond ASCII too.
    a.tag_mfa_device(&d, &tags(&[("é", "x"), ("z", "y"), ("Ω", "w")]))
        .unwrap();
    assert_eq!(tag_keys(&mut a, &d), ["B", "Z", "_", "a", "z", "é", "Ω"]);
    // An empty value is a value.
    a.tag_mfa_device(&d, &tags(&[("B", "")])).unwrap();
    assert_eq!(
        a.list_mfa_device_tags(&d, None, None).unwrap().items[0],
        Tag::new("B", "")
    );
}

#[test]
fn tags_requests_are_all_or_nothing() {
    let mut a = account();
    let d = a
        .create_virtual_mfa_device(None, "d", &tags(&[("k", "v")]))
        .unwrap()
        .serial;
    let before = a.list_mfa_device_tags(&d, None, None).unwrap();
    assert_err(
        a.tag_mfa_device(&d, &tags(&[("new", "1"), ("AWS:x", "2")])),
        "InvalidInput",
        400,
        "Tag keys starting with 'aws:' are reserved for AWS use.",
    );
    assert_err(
        a.tag_mfa_device(&d, &tags(&[("k", "changed"), ("x", "aws:2")])),
        "InvalidInput",
        400,
        "Tag values starting with 'aws:' are reserved for AWS use.",
    );
    assert_err(
        a.tag_mfa_device(&d, &tags(&[("k", "changed"), ("k", "again")])),
        "InvalidInput",
        400,
        "Duplicate tag keys found.",
    );
    assert_validation(
        a.tag_mfa_device(&d, &tags(&[("k", "changed"), ("a*b", "2")])),
        &one_error(&pattern_msg(
            "a*b",
            "tags.2.member.key",
            TAG_KEY_PATTERN_TEXT,
        )),
    );
    assert_validation(
        a.tag_mfa_device(&d, &numbered_tags("t", 51)),
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
    assert_eq!(a.list_mfa_device_tags(&d, None, None).unwrap(), before);
    // Case-sensitive keys: `K` is another tag.
    a.tag_mfa_device(&d, &tags(&[("K", "upper")])).unwrap();
    assert_eq!(tag_keys(&mut a, &d), ["K", "k"]);
}

#[test]
fn tags_on_an_unknown_serial() {
    let mut a = account();
    let ghost = serial_of("ghost");
    assert_no_such_device(a.tag_mfa_device(&ghost, &tags(&[("k", "v")])), &ghost);
    assert_no_such_device(a.untag_mfa_device(&ghost, &["k".to_string()]), &ghost);
    assert_no_such_device(a.list_mfa_device_tags(&ghost, None, None), &ghost);
    assert_validation(
        a.list_mfa_device_tags("bad serial", None, None),
        &one_error(&pattern_msg(
            "bad serial",
            "serialNumber",
            SERIAL_PATTERN_TEXT,
        )),
    );
}

#[test]
fn untag_ignores_missing_keys() {
    let mut a = account();
    let d = a
        .create_virtual_mfa_device(None, "d", &tags(&[("a", "1"), ("b", "2"), ("c", "3")]))
        .unwrap()
        .serial;
    a.untag_mfa_device(
        &d,
        &["b".to_string(), "missing".to_string(), "A".to_string()],
    )
    .unwrap();
    assert_eq!(tag_keys(&mut a, &d), ["a", "c"]);
    a.untag_mfa_device(&d, &["b".to_string()]).unwrap();
    a.untag_mfa_device(&d, &[]).unwrap();
    assert_eq!(tag_keys(&mut a, &d), ["a", "c"]);
    assert_validation(
        a.untag_mfa_device(&d, &["a".to_string(), "a*b".to_string()]),
        &one_error(&pattern_msg(
            "a*b",
            "tagKeys.2.member",
            TAG_KEY_PATTERN_TEXT,
        )),
    );
    assert_eq!(
        tag_keys(&mut a, &d),
        ["a", "c"],
        "a bad request removes nothing"
    );
    a.untag_mfa_device(&d, &["a".to_string(), "c".to_string()])
        .unwrap();
    assert!(tag_keys(&mut a, &d).is_empty());
}

#[test]
fn tags_quota_counts_the_total() {
    let mut a = account();
    let d = a
        .create_virtual_mfa_device(None, "d", &numbered_tags("a", 30))
        .unwrap()
        .serial;
    assert_err(
        a.tag_mfa_device(&d, &numbered_tags("b", 21)),
        "LimitExceeded",
        409,
        "Cannot exceed quota for TagsPerMFADevice: 50",
    );
    assert_eq!(tag_keys(&mut a, &d).len(), 30, "nothing added");
    // Overwrites do not count: 20 new + 10 existing is exactly 50.
    let mut batch = numbered_tags("b", 20);
    batch.extend(
        numbered_tags("a", 10)
            .into_iter()
            .map(|t| Tag::new(t.key, "new")),
    );
    a.tag_mfa_device(&d, &batch).unwrap();
    assert_eq!(tag_keys(&mut a, &d).len(), 50);
    let full: Vec<Tag> = tag_keys(&mut a, &d)
        .into_iter()
        .map(|k| Tag::new(k, "again"))
        .collect();
    assert_eq!(full.len(), 50);
    a.tag_mfa_device(&d, &full).unwrap();
    assert_err(
        a.tag_mfa_device(&d, &tags(&[("one-more", "v")])),
        "LimitExceeded",
        409,
        "Cannot exceed quota for TagsPerMFADevice: 50",
    );
    // A lowered quota is the one reported.
    let mut small = account_with(|c| c.quotas.tags_per_mfa_device = 3);
    let d = small
        .create_virtual_mfa_device(None, "d", &numbered_tags("k", 2))
        .unwrap()
        .serial;
    assert_err(
        small.tag_mfa_device(&d, &tags(&[("x", "1"), ("y", "2")])),
        "LimitExceeded",
        409,
        "Cannot exceed quota for TagsPerMFADevice: 3",
    );
    small.tag_mfa_device(&d, &tags(&[("x", "1")])).unwrap();
    assert_eq!(tag_keys(&mut small, &d).len(), 3);
}

#[test]
fn tags_paging() {
    let mut a = account();
    let mut expected = numbered_tags("k", 7);
    expected.reverse();
    let d = a
        .create_virtual_mfa_device(None, "d", &expected)
        .unwrap()
        .serial;
    expected.reverse();
    for max in 1..=8 {
        let pages = walk(|m| a.list_mfa_device_tags(&d, m, Some(max)), max as usize);
        assert_eq!(pages.len(), 7usize.div_ceil(max as usize));
        let seen: Vec<Tag> = pages.into_iter().flatten().collect();
        assert_eq!(seen, expected, "MaxItems {max}");
    }
    let empty = new_device(&mut a, "empty");
    let page = a.list_mfa_device_tags(&empty, None, None).unwrap();
    assert!(page.items.is_empty());
    assert!(!page.is_truncated());
    assert_invalid_marker(a.list_mfa_device_tags(&d, Some("forged"), None));
    assert_validation(
        a.list_mfa_device_tags(&d, None, Some(1001)),
        "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
    // A marker whose key was untagged meanwhile resumes after it.
    let first = a.list_mfa_device_tags(&d, None, Some(2)).unwrap();
    a.untag_mfa_device(&d, &["k001".to_string()]).unwrap();
    let rest = a
        .list_mfa_device_tags(&d, first.marker.as_deref(), Some(10))
        .unwrap();
    let keys: Vec<String> = rest.items.into_iter().map(|t| t.key).collect();
    assert_eq!(keys, ["k002", "k003", "k004", "k005", "k006"]);
}

// ---------------------------------------------------------------------------------- summary

#[test]
fn account_summary_counts() {
    let mut a = account();
    assert_eq!(summary(&a, "MFADevices"), 0);
    assert_eq!(summary(&a, "MFADevicesInUse"), 0);
    assert_eq!(summary(&a, "Users"), 0);
    assert_eq!(summary(&a, "UsersQuota"), 5000);
    assert_eq!(summary(&a, "AccountMFAEnabled"), 0);

    new_user(&mut a, "alice");
    new_user(&mut a, "bob");
    let d1 = new_device(&mut a, "d1");
    new_device(&mut a, "d2");
    assert_eq!(summary(&a, "Users"), 2);
    assert_eq!(summary(&a, "MFADevices"), 2);
    assert_eq!(summary(&a, "MFADevicesInUse"), 0);

    // Create + enable raises both by one.
    let d3 = new_device(&mut a, "d3");
    enable(&mut a, "alice", &d3);
    assert_eq!(summary(&a, "MFADevices"), 3);
    assert_eq!(summary(&a, "MFADevicesInUse"), 1);
    enable(&mut a, "bob", &d1);
    assert_eq!(summary(&a, "MFADevicesInUse"), 2);

    a.deactivate_mfa_device(None, &d1).unwrap();
    a.delete_virtual_mfa_device(&d1).unwrap();
    a.delete_user("bob").unwrap();
    assert_eq!(summary(&a, "MFADevices"), 2);
    assert_eq!(summary(&a, "MFADevicesInUse"), 1);
    assert_eq!(summary(&a, "Users"), 1);

    // Every key appears once.
    let keys: Vec<&str> = a.account_summary().into_iter().map(|(k, _)| k).collect();
    let unique: BTreeSet<&str> = keys.iter().copied().collect();
    assert_eq!(unique.len(), keys.len());
}

// ---------------------------------------------------------------------------------- config

#[test]
fn quotas_set_by_aws_name() {
    let mut q = Quotas::default();
    for (i, name) in Quotas::NAMES.iter().enumerate() {
        q.set(name, i as u64 + 1).unwrap();
        assert_eq!(q.get(name), Some(i as u64 + 1));
    }
    let err = q.set("Nope", 1).unwrap_err();
    assert!(err.contains("\"Nope\""), "{err}");
    assert!(err.contains("VirtualMFADevicesPerAccount"), "{err}");
    assert_eq!(q.get("Nope"), None);
}

#[test]
fn account_config_check() {
    assert!(AccountConfig::default().check().is_ok());
    let with = |change: fn(&mut AccountConfig)| {
        let mut c = AccountConfig::default();
        change(&mut c);
        c.check()
    };
    assert!(with(|c| c.account_id = "12345".into()).is_err());
    assert!(with(|c| c.account_id = "12345678901a".into()).is_err());
    assert!(with(|c| c.partition = "aws-iso".into()).is_err());
    for ok in ["abc", "my-corp", "a1-b2-c3"] {
        let c = AccountConfig {
            alias: Some(ok.into()),
            ..Default::default()
        };
        assert!(c.check().is_ok(), "{ok}");
    }
    for bad in ["ab", "-abc", "abc-", "a--b", "ABC", "a_b", &"a".repeat(64)] {
        let c = AccountConfig {
            alias: Some(bad.into()),
            ..Default::default()
        };
        assert!(c.check().is_err(), "{bad}");
    }
}

#[test]
fn request_ids_are_uuid_v4_and_reproducible() {
    let mut a = account();
    let mut b = account();
    let id = a.request_id();
    assert_eq!(id, b.request_id());
    assert_eq!(id.len(), 36);
    let parts: Vec<&str> = id.split('-').collect();
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(parts[2].starts_with('4'));
    assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
    assert_ne!(a.request_id(), id);
}

/// `Assigned` pages come from the index of enabled devices, in serial order, and stay right as
/// devices are enabled and deactivated among many unassigned ones.
#[test]
fn assigned_pages_walk_the_enabled_index() {
    let mut a = account();
    let serials: Vec<String> = (0..300)
        .map(|i| new_device(&mut a, &format!("d{i:03}")))
        .collect();
    new_user(&mut a, "bob");
    for i in [250, 7, 120] {
        enable(&mut a, "bob", &serials[i]);
    }
    let first = a
        .list_virtual_mfa_devices(Some("Assigned"), None, Some(2))
        .unwrap();
    let names: Vec<&str> = first.items.iter().map(|e| e.serial.as_str()).collect();
    assert_eq!(names, [serials[7].as_str(), serials[120].as_str()]);
    assert!(first.items.iter().all(|e| e.assigned.is_some()));
    let marker = first.marker.clone().unwrap();
    let rest = a
        .list_virtual_mfa_devices(Some("Assigned"), Some(&marker), Some(2))
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.items[0].serial, serials[250]);
    assert!(rest.marker.is_none());
    a.deactivate_mfa_device(Some("bob"), &serials[120]).unwrap();
    assert_eq!(
        assigned_serials(&mut a),
        vec![serials[7].clone(), serials[250].clone()]
    );
    let unassigned = a
        .list_virtual_mfa_devices(Some("Unassigned"), None, Some(1000))
        .unwrap();
    assert_eq!(unassigned.items.len(), 298);
}
