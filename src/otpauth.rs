//! The otpauth URI inside the QR code (aws-reference §1, [OBS]):
//! `otpauth://totp/Amazon%20Web%20Services:{name}@{alias or account id}?secret={seed}&issuer=Amazon%20Web%20Services`.

use zeroize::Zeroizing;

const ISSUER: &str = "Amazon%20Web%20Services";

/// RFC 3986 path-text encoding [CHOICE]: every UTF-8 byte outside `A-Za-z0-9-._~` becomes `%XX`
/// (upper-case hex), so `+=,@` in a device name are encoded.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// How many characters `percent_encode` turns one byte into.
pub fn encoded_byte_len(b: u8) -> usize {
    if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
        1
    } else {
        3
    }
}

/// The length of `percent_encode(text)` without building it.
pub fn encoded_len(text: &str) -> usize {
    text.bytes().map(encoded_byte_len).sum()
}

/// The length of `uri(device_name, account_label, seed)` for a seed of `seed_len` characters.
pub fn uri_len(device_name: &str, account_label: &str, seed_len: usize) -> usize {
    "otpauth://totp/:@?secret=&issuer=".len()
        + 2 * ISSUER.len()
        + encoded_len(device_name)
        + encoded_len(account_label)
        + seed_len
}

/// The label holds the device name only (no path); the `@` before the account stays literal.
pub fn uri(device_name: &str, account_label: &str, base32_seed: &str) -> Zeroizing<String> {
    Zeroizing::new(format!(
        "otpauth://totp/{ISSUER}:{}@{}?secret={base32_seed}&issuer={ISSUER}",
        percent_encode(device_name),
        percent_encode(account_label)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_len_is_the_length_of_the_uri() {
        for name in ["alice", "a+b=c,d@e", "x".repeat(300).as_str()] {
            assert_eq!(
                uri_len(name, "123456789012", 64),
                uri(name, "123456789012", &"A".repeat(64)).len()
            );
        }
    }

    #[test]
    fn encodes_like_rfc3986_path_text() {
        assert_eq!(
            percent_encode("a+b=c,d@e.f_g-h~"),
            "a%2Bb%3Dc%2Cd%40e.f_g-h~"
        );
        assert_eq!(
            uri("alice", "123456789012", "ABC").as_str(),
            "otpauth://totp/Amazon%20Web%20Services:alice@123456789012?secret=ABC&issuer=Amazon%20Web%20Services"
        );
    }
}
