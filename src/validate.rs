//! AWS's server-side format checks and their messages (AWS's "Coral" validation format).
//!
//! Semantics are Java's, as AWS evaluates them: `\w` and `\d` are ASCII only, lengths count UTF-16
//! code units, and a pattern must match the whole value. Tag patterns use Unicode general
//! categories (`\p{L}`, `\p{Z}`, `\p{N}`). Patterns and limits are copied from the botocore service
//! model; `tests/test_constraints.py` cross-checks [`CONSTRAINTS`] against the installed model.

use crate::error::{IamError, IamResult};
use crate::model::Tag;
use regex::Regex;
use std::sync::LazyLock;

pub const NAME_PATTERN: &str = r"[\w+=,.@-]+";
pub const PATH_PATTERN: &str = r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)";
pub const PATH_PREFIX_PATTERN: &str = r"\u002F[\u0021-\u007F]*";
pub const SERIAL_PATTERN: &str = r"[\w+=/:,.@-]+";
pub const TAG_KEY_PATTERN: &str = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";
pub const TAG_VALUE_PATTERN: &str = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*";
pub const MARKER_PATTERN: &str = r"[\u0020-\u00FF]+";
pub const CODE_PATTERN: &str = r"[\d]+";
pub const ASSIGNMENT_STATUSES: [&str; 3] = ["Unassigned", "Any", "Assigned"];

pub const PATH_MAX: usize = 512;
pub const USER_NAME_MAX: usize = 64;
pub const EXISTING_USER_NAME_MAX: usize = 128;
pub const SERIAL_MAX: usize = 256;
pub const TAG_KEY_MAX: usize = 128;
pub const TAG_VALUE_MAX: usize = 256;
pub const TAGS_MAX: usize = 50;
pub const MARKER_MAX: usize = 320;
pub const MAX_ITEMS_MAX: i64 = 1000;
pub const CODE_LEN: usize = 6;
pub const ARN_MAX: usize = 2048;

/// One row of the constraint table: (shape name in the botocore model, pattern, min, max).
/// Mirrors the model so a test can prove they agree.
pub type Constraint = (&'static str, Option<&'static str>, Option<i64>, Option<i64>);

pub const CONSTRAINTS: &[Constraint] = &[
    ("virtualMFADeviceName", Some(NAME_PATTERN), Some(1), None),
    (
        "pathType",
        Some(PATH_PATTERN),
        Some(1),
        Some(PATH_MAX as i64),
    ),
    (
        "pathPrefixType",
        Some(PATH_PREFIX_PATTERN),
        Some(1),
        Some(PATH_MAX as i64),
    ),
    (
        "userNameType",
        Some(NAME_PATTERN),
        Some(1),
        Some(USER_NAME_MAX as i64),
    ),
    (
        "existingUserNameType",
        Some(NAME_PATTERN),
        Some(1),
        Some(EXISTING_USER_NAME_MAX as i64),
    ),
    (
        "serialNumberType",
        Some(SERIAL_PATTERN),
        Some(9),
        Some(SERIAL_MAX as i64),
    ),
    (
        "tagKeyType",
        Some(TAG_KEY_PATTERN),
        Some(1),
        Some(TAG_KEY_MAX as i64),
    ),
    (
        "tagValueType",
        Some(TAG_VALUE_PATTERN),
        Some(0),
        Some(TAG_VALUE_MAX as i64),
    ),
    ("tagListType", None, None, Some(TAGS_MAX as i64)),
    ("tagKeyListType", None, None, Some(TAGS_MAX as i64)),
    (
        "markerType",
        Some(MARKER_PATTERN),
        Some(1),
        Some(MARKER_MAX as i64),
    ),
    ("maxItemsType", None, Some(1), Some(MAX_ITEMS_MAX)),
    (
        "authenticationCodeType",
        Some(CODE_PATTERN),
        Some(CODE_LEN as i64),
        Some(CODE_LEN as i64),
    ),
    ("arnType", None, Some(20), Some(ARN_MAX as i64)),
];

/// IAM's own text for a bad path [REC]; replaces the Coral pattern message for `path`.
pub const PATH_MESSAGE: &str = "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.";

/// IAM's own text for a bad user name [OBS]; replaces the Coral pattern message for `userName`.
pub const USER_NAME_MESSAGE: &str = "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-";

/// The model's tag patterns, anchored (Java's `matches()` is a whole-string match). `None` only if
/// the regex crate refused them, which `tag_patterns_compile` rules out.
static TAG_KEY_RE: LazyLock<Option<Regex>> = LazyLock::new(|| whole(TAG_KEY_PATTERN));
static TAG_VALUE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| whole(TAG_VALUE_PATTERN));

fn whole(pattern: &str) -> Option<Regex> {
    Regex::new(&format!("^(?:{pattern})$")).ok()
}

/// Java's `String.length()`: UTF-16 code units.
pub fn java_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

pub fn is_iam_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| is_word(c) || "+=,.@-".contains(c))
}

pub fn is_serial_text(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| is_word(c) || "+=/:,.@-".contains(c))
}

pub fn is_path(s: &str) -> bool {
    if s == "/" {
        return true;
    }
    s.len() >= 3
        && s.starts_with('/')
        && s.ends_with('/')
        && s.chars().all(|c| ('\u{21}'..='\u{7E}').contains(&c))
}

pub fn is_path_prefix(s: &str) -> bool {
    s.starts_with('/') && s[1..].chars().all(|c| ('\u{21}'..='\u{7F}').contains(&c))
}

pub fn is_marker_text(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| ('\u{20}'..='\u{FF}').contains(&c))
}

pub fn is_code_text(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

pub fn is_tag_key(s: &str) -> bool {
    TAG_KEY_RE.as_ref().is_some_and(|re| re.is_match(s))
}

pub fn is_tag_value(s: &str) -> bool {
    TAG_VALUE_RE.as_ref().is_some_and(|re| re.is_match(s))
}

/// The reserved prefix is matched case-insensitively (`AWS:` too) [CHOICE].
pub fn has_reserved_prefix(s: &str) -> bool {
    s.len() >= 4 && s.as_bytes()[..4].eq_ignore_ascii_case(b"aws:")
}

/// Collects the format violations of one request, in the order of the model's input members,
/// and turns them into one `ValidationError` with AWS's message.
#[derive(Debug, Default)]
pub struct Violations {
    parts: Vec<String>,
    only_iam_texts: bool,
}

impl Violations {
    pub fn new() -> Self {
        Violations {
            parts: Vec::new(),
            only_iam_texts: true,
        }
    }

    fn coral(&mut self, text: String) {
        self.only_iam_texts = false;
        self.parts.push(text);
    }

    /// An IAM-specific text that replaces Coral's pattern message for one member.
    pub fn iam_text(&mut self, text: &str) {
        self.parts.push(text.to_string());
    }

    pub fn pattern(&mut self, member: &str, value: &str, pattern: &str) {
        self.coral(format!(
            "Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
        ));
    }

    /// `value` is `None` where AWS leaves the value out (recorded for `path`; lists).
    pub fn too_long(&mut self, member: &str, value: Option<&str>, max: usize) {
        let subject = match value {
            Some(v) => format!("Value '{v}' at '{member}'"),
            None => format!("Value at '{member}'"),
        };
        self.coral(format!(
            "{subject} failed to satisfy constraint: Member must have length less than or equal to {max}"
        ));
    }

    pub fn too_large(&mut self, member: &str, value: i64, max: i64) {
        self.coral(format!(
            "Value '{value}' at '{member}' failed to satisfy constraint: Member must have value less than or equal to {max}"
        ));
    }

    pub fn not_in_enum(&mut self, member: &str, value: &str, allowed: &[&str]) {
        self.coral(format!(
            "Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        ));
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// One IAM-specific text alone is sent as is [REC for path]; anything else gets Coral's prefix.
    pub fn finish(self) -> IamResult<()> {
        match self.parts.len() {
            0 => Ok(()),
            1 if self.only_iam_texts => Err(IamError::validation(self.parts.concat())),
            n => {
                let noun = if n == 1 { "error" } else { "errors" };
                Err(IamError::validation(format!(
                    "{n} validation {noun} detected: {}",
                    self.parts.join("; ")
                )))
            }
        }
    }

    // --- member checks; each reports the pattern failure before the length failure [CHOICE] ---

    pub fn path(&mut self, member: &str, path: &str) {
        if !is_path(path) {
            self.iam_text(PATH_MESSAGE);
        }
        if java_len(path) > PATH_MAX {
            self.too_long(member, None, PATH_MAX);
        }
    }

    pub fn path_prefix(&mut self, member: &str, prefix: &str) {
        if !is_path_prefix(prefix) {
            self.pattern(member, prefix, PATH_PREFIX_PATTERN);
        }
        if java_len(prefix) > PATH_MAX {
            self.too_long(member, None, PATH_MAX);
        }
    }

    /// A name member with Coral's pattern message (device names, `newUserName`).
    pub fn name(&mut self, member: &str, value: &str, max: Option<usize>) {
        if !is_iam_name(value) {
            self.pattern(member, value, NAME_PATTERN);
        }
        if let Some(max) = max {
            if java_len(value) > max {
                self.too_long(member, Some(value), max);
            }
        }
    }

    /// `userName` gets IAM's own text for a pattern failure [OBS]; length keeps the Coral form.
    pub fn user_name(&mut self, member: &str, value: &str, max: usize) {
        if !is_iam_name(value) {
            self.iam_text(USER_NAME_MESSAGE);
        }
        if java_len(value) > max {
            self.too_long(member, Some(value), max);
        }
    }

    pub fn serial(&mut self, value: &str) {
        if !is_serial_text(value) {
            self.pattern("serialNumber", value, SERIAL_PATTERN);
        }
        if java_len(value) > SERIAL_MAX {
            self.too_long("serialNumber", Some(value), SERIAL_MAX);
        }
    }

    pub fn code(&mut self, member: &str, value: &str) {
        if !is_code_text(value) {
            self.pattern(member, value, CODE_PATTERN);
        }
        if java_len(value) > CODE_LEN {
            self.too_long(member, Some(value), CODE_LEN);
        }
    }

    pub fn marker(&mut self, value: Option<&str>) {
        if let Some(value) = value {
            if !is_marker_text(value) {
                self.pattern("marker", value, MARKER_PATTERN);
            }
            if java_len(value) > MARKER_MAX {
                self.too_long("marker", Some(value), MARKER_MAX);
            }
        }
    }

    pub fn max_items(&mut self, value: Option<i64>) {
        if let Some(n) = value {
            if n > MAX_ITEMS_MAX {
                self.too_large("maxItems", n, MAX_ITEMS_MAX);
            }
        }
    }

    pub fn arn(&mut self, member: &str, value: &str) {
        if java_len(value) > ARN_MAX {
            self.too_long(member, Some(value), ARN_MAX);
        }
    }

    /// Tag list: its count (value left out, as for lists), then each key and value.
    pub fn tags(&mut self, tags: &[Tag]) {
        if tags.len() > TAGS_MAX {
            self.too_long("tags", None, TAGS_MAX);
        }
        for (i, tag) in tags.iter().enumerate() {
            let n = i + 1;
            let key_member = format!("tags.{n}.member.key");
            if !is_tag_key(&tag.key) {
                self.pattern(&key_member, &tag.key, TAG_KEY_PATTERN);
            }
            if java_len(&tag.key) > TAG_KEY_MAX {
                self.too_long(&key_member, Some(&tag.key), TAG_KEY_MAX);
            }
            let value_member = format!("tags.{n}.member.value");
            if !is_tag_value(&tag.value) {
                self.pattern(&value_member, &tag.value, TAG_VALUE_PATTERN);
            }
            if java_len(&tag.value) > TAG_VALUE_MAX {
                self.too_long(&value_member, Some(&tag.value), TAG_VALUE_MAX);
            }
        }
    }

    /// UntagMFADevice's key list; members are named `tagKeys.N.member` [CHOICE].
    pub fn tag_keys(&mut self, keys: &[String]) {
        if keys.len() > TAGS_MAX {
            self.too_long("tagKeys", None, TAGS_MAX);
        }
        for (i, key) in keys.iter().enumerate() {
            let member = format!("tagKeys.{}.member", i + 1);
            if !is_tag_key(key) {
                self.pattern(&member, key, TAG_KEY_PATTERN);
            }
            if java_len(key) > TAG_KEY_MAX {
                self.too_long(&member, Some(key), TAG_KEY_MAX);
            }
        }
    }
}

/// Request-level tag rules that follow the format checks (InvalidInput): reserved prefix, then
/// duplicate keys. `case_insensitive_keys` is true for users, false for MFA devices [DOC].
pub fn check_tag_rules(tags: &[Tag], case_insensitive_keys: bool) -> IamResult<()> {
    if tags.iter().any(|t| has_reserved_prefix(&t.key)) {
        return Err(IamError::reserved_tag_key());
    }
    if tags.iter().any(|t| has_reserved_prefix(&t.value)) {
        return Err(IamError::reserved_tag_value());
    }
    let mut seen = std::collections::HashSet::with_capacity(tags.len());
    for tag in tags {
        let key = if case_insensitive_keys {
            tag.key.to_lowercase()
        } else {
            tag.key.clone()
        };
        if !seen.insert(key) {
            return Err(if case_insensitive_keys {
                IamError::duplicate_user_tag_keys()
            } else {
                IamError::duplicate_device_tag_keys()
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_is_ascii_only() {
        assert!(is_iam_name("a_b+c=d,e.f@g-h9"));
        assert!(!is_iam_name("é"));
        assert!(!is_iam_name("bad name"));
        assert!(!is_iam_name(""));
    }

    #[test]
    fn paths_follow_the_model_pattern() {
        for ok in ["/", "/a/", "/a//b/", "///", "/~!/"] {
            assert!(is_path(ok), "{ok}");
        }
        for bad in ["", "//", "a/", "/a", "/a b/", "/é/"] {
            assert!(!is_path(bad), "{bad}");
        }
    }

    #[test]
    fn tag_patterns_compile() {
        assert!(TAG_KEY_RE.is_some() && TAG_VALUE_RE.is_some());
    }

    #[test]
    fn tag_patterns_use_unicode_classes() {
        assert!(is_tag_key("Ünïcødé 名前 ٣"));
        assert!(!is_tag_key(""));
        assert!(is_tag_value(""));
        assert!(!is_tag_key("a*b"));
        assert!(!is_tag_value("a\u{0}b"));
    }

    #[test]
    fn one_iam_text_alone_has_no_prefix() {
        let mut v = Violations::new();
        v.path("path", "bad");
        assert_eq!(v.finish().unwrap_err().message(), PATH_MESSAGE);
    }

    #[test]
    fn several_failures_are_counted_and_joined() {
        let mut v = Violations::new();
        v.path("path", "bad");
        v.name("virtualMFADeviceName", "bad name", None);
        let msg = v.finish().unwrap_err().message().to_string();
        assert_eq!(
            msg,
            format!("2 validation errors detected: {PATH_MESSAGE}; Value 'bad name' at 'virtualMFADeviceName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+")
        );
    }

    #[test]
    fn long_path_leaves_the_value_out() {
        let mut v = Violations::new();
        v.path("path", &format!("/{}/", "a".repeat(511)));
        assert_eq!(
            v.finish().unwrap_err().message(),
            "1 validation error detected: Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512"
        );
    }

    #[test]
    fn lengths_count_utf16_units() {
        assert_eq!(java_len("😀"), 2);
        assert_eq!(java_len("é"), 1);
    }

    #[test]
    fn reserved_prefix_any_case() {
        assert!(has_reserved_prefix("AWS:x"));
        assert!(has_reserved_prefix("aws:"));
        assert!(!has_reserved_prefix("aws"));
        assert!(!has_reserved_prefix("éaws:"));
    }
}
