//! RFC 6238 TOTP as authenticator apps compute it for AWS: HMAC-SHA1, 6 digits, 30-second steps.
//! Time is always an argument; nothing here reads a clock.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: i64 = 30;
pub const DIGITS: u32 = 6;

/// The time step containing `epoch_seconds` (floor division). RFC 4226 counters are unsigned, so
/// steps before 1970 have no code of their own: `code_for_step` treats them as step 0.
pub fn step_at(epoch_seconds: i64) -> i64 {
    epoch_seconds.div_euclid(STEP_SECONDS)
}

/// The code for one step (RFC 4226 dynamic truncation), as a number below 10^digits.
pub fn code_for_step(key: &[u8], step: i64, digits: u32) -> u32 {
    let counter = (step.max(0) as u64).to_be_bytes();
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else {
        // HMAC accepts keys of any length; this arm cannot be reached.
        return u32::MAX;
    };
    mac.update(&counter);
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    // More than 9 digits cannot come from a 31-bit value; 9 is the most a u32 modulus allows.
    binary % 10u32.pow(digits.min(9))
}

/// The 6-digit code text at a time.
pub fn code_at(key: &[u8], epoch_seconds: i64) -> String {
    format_code(code_for_step(key, step_at(epoch_seconds), DIGITS))
}

pub fn format_code(code: u32) -> String {
    format!("{code:06}")
}

/// How far from "now" the first code of a pair may lie, in steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub steps_before: i64,
    pub steps_after: i64,
}

/// Enable: the first code may be 10 steps old to 1 step ahead [CHOICE]; the previous+current pair
/// AWS is recorded accepting lies inside it [REC].
pub const ENABLE_WINDOW: Window = Window {
    steps_before: 10,
    steps_after: 1,
};
/// Resync: ±20 steps [CHOICE].
pub const RESYNC_WINDOW: Window = Window {
    steps_before: 20,
    steps_after: 20,
};

/// Finds the step `s` within the window around `now_step` where `code1` is the code of `s` and
/// `code2` the code of `s + 1`. Codes must be 6 ASCII digits.
pub fn verify_pair(
    key: &[u8],
    code1: &str,
    code2: &str,
    now_step: i64,
    window: Window,
) -> Option<i64> {
    let c1 = parse_code(code1)?;
    let c2 = parse_code(code2)?;
    (now_step - window.steps_before..=now_step + window.steps_after)
        .find(|&s| code_for_step(key, s, DIGITS) == c1 && code_for_step(key, s + 1, DIGITS) == c2)
}

fn parse_code(code: &str) -> Option<u32> {
    if code.len() == DIGITS as usize && code.bytes().all(|b| b.is_ascii_digit()) {
        code.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA1 rows (8 digits) with the ASCII key "12345678901234567890".
    #[test]
    fn rfc6238_vectors() {
        let key = b"12345678901234567890";
        let rows: [(i64, u32); 6] = [
            (59, 94287082),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ];
        for (t, expected) in rows {
            assert_eq!(code_for_step(key, step_at(t), 8), expected, "t={t}");
        }
    }

    #[test]
    fn pair_window_edges() {
        let key = [7u8; 40];
        let now = 1_700_000_000;
        let now_step = step_at(now);
        let pair = |s: i64| {
            (
                format_code(code_for_step(&key, s, 6)),
                format_code(code_for_step(&key, s + 1, 6)),
            )
        };
        for (offset, ok) in [
            (-11, false),
            (-10, true),
            (-1, true),
            (0, true),
            (1, true),
            (2, false),
        ] {
            let (a, b) = pair(now_step + offset);
            assert_eq!(
                verify_pair(&key, &a, &b, now_step, ENABLE_WINDOW).is_some(),
                ok,
                "offset {offset}"
            );
        }
        // A repeated code is accepted exactly when two consecutive steps in the window share it.
        let (a, _) = pair(now_step);
        let repeated = (now_step - 10..=now_step + 1).any(|s| {
            let (x, y) = pair(s);
            x == a && y == a
        });
        assert_eq!(
            verify_pair(&key, &a, &a, now_step, ENABLE_WINDOW).is_some(),
            repeated
        );
        assert!(verify_pair(&key, "12345", "123456", now_step, ENABLE_WINDOW).is_none());
        assert!(verify_pair(&key, "１２３４５６", "123456", now_step, ENABLE_WINDOW).is_none());
    }
}
