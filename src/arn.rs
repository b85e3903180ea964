//! ARNs: a virtual device's SerialNumber and a user's Arn (aws-reference §1).

/// Partitions AWS has for IAM [DOC].
pub const PARTITIONS: [&str; 3] = ["aws", "aws-cn", "aws-us-gov"];

/// `arn:{partition}:iam::{account}:mfa{path}{name}`; the path keeps its slashes as given,
/// so `/a//b/` stays doubled [REC].
pub fn device_serial(partition: &str, account_id: &str, path: &str, name: &str) -> String {
    format!("arn:{partition}:iam::{account_id}:mfa{path}{name}")
}

pub fn user_arn(partition: &str, account_id: &str, path: &str, name: &str) -> String {
    format!("arn:{partition}:iam::{account_id}:user{path}{name}")
}

/// The `arn:{partition}:iam::{account}:mfa` prefix every serial of the account starts with.
pub fn device_prefix(partition: &str, account_id: &str) -> String {
    format!("arn:{partition}:iam::{account_id}:mfa")
}

/// A 12-digit account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_keeps_the_path() {
        assert_eq!(
            device_serial("aws", "123456789012", "/", "alice"),
            "arn:aws:iam::123456789012:mfa/alice"
        );
        assert_eq!(
            device_serial("aws", "123456789012", "/a//b/", "alice"),
            "arn:aws:iam::123456789012:mfa/a//b/alice"
        );
        assert_eq!(
            user_arn("aws-cn", "123456789012", "/ops/", "bob"),
            "arn:aws-cn:iam::123456789012:user/ops/bob"
        );
    }
}
