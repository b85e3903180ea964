//! Randomized robustness tests of the pure core (no Python): the `validate` predicates and
//! `Violations`, `check_tag_rules`, the state file parser and the `Account` state machine.
//!
//! Properties: nothing panics; every predicate agrees with an independent regex oracle (Java
//! semantics: `\w`/`\d` ASCII, whole-string match, UTF-16 lengths); `Violations::finish` counts
//! exactly the failures its checks imply; `from_json` returns `Ok` or `Err` for any mutation of a
//! valid document and no error text holds a seed; a failed `Account` operation changes nothing;
//! the account's lists, summary and state file agree after every step.
//!
//! Reproducible: a seeded `StdRng`. `IAMLITE_FUZZ_ITERS` scales the iterations (default small for
//! CI), `IAMLITE_FUZZ_SEED` picks another seed. A failure message names the seed and iteration.

use iamlite::account::{Account, AccountConfig, Entropy};
use iamlite::error::{ErrorKind, IamError, IamResult};
use iamlite::model::Tag;
use iamlite::state::{from_json, to_json, StateError};
use iamlite::totp;
use iamlite::validate::{self, Violations};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use regex::Regex;
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};

const NOW: i64 = 1_800_000_000;
const ACCOUNT: &str = "123456789012";

fn iterations(default: usize) -> usize {
    std::env::var("IAMLITE_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn base_seed() -> u64 {
    std::env::var("IAMLITE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x1A31_17E0)
}

fn rng_for(test: u64) -> (StdRng, u64) {
    let seed = base_seed() ^ test.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (StdRng::seed_from_u64(seed), seed)
}

// ------------------------------------------------------------------------------ random input

const SPECIALS: &[char] = &[
    '\u{0}',
    '\u{1}',
    '\n',
    '\t',
    ' ',
    '\u{7f}',
    '\u{80}',
    '\u{a0}',
    '\u{ff}',
    '\u{100}',
    'é',
    'ß',
    'İ',
    'K',
    '名',
    '٣',
    '\u{200f}',
    '\u{202e}',
    '\u{feff}',
    '\u{fffd}',
    '😀',
    '\u{10ffff}',
    '/',
    ':',
    '@',
    '=',
    '+',
    ',',
    '.',
    '-',
    '_',
    '*',
    '\'',
    '"',
    '\\',
    ';',
    '%',
    '?',
    '#',
];

fn rand_char(rng: &mut StdRng) -> char {
    match rng.random_range(0..10) {
        0..=4 => rng.random_range(0x21u8..0x7f) as char,
        5..=6 => SPECIALS[rng.random_range(0..SPECIALS.len())],
        7 => char::from_u32(rng.random_range(0..0x800)).unwrap_or('x'),
        _ => loop {
            if let Some(c) = char::from_u32(rng.random_range(0..0x11_0000)) {
                break c;
            }
        },
    }
}

fn rand_chars(rng: &mut StdRng, n: usize) -> String {
    (0..n).map(|_| rand_char(rng)).collect()
}

/// Lengths at every model boundary (0, 1, max, max + 1) and a few more.
const BOUNDARY_LENGTHS: &[usize] = &[
    0, 1, 2, 5, 6, 7, 8, 9, 10, 19, 20, 21, 63, 64, 65, 127, 128, 129, 255, 256, 257, 319, 320,
    321, 511, 512, 513, 2047, 2048, 2049,
];

fn word_string(rng: &mut StdRng, n: usize) -> String {
    const W: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-";
    (0..n)
        .map(|_| W[rng.random_range(0..W.len())] as char)
        .collect()
}

/// Any text: short random, boundary lengths of valid and invalid characters, near-valid.
fn rand_text(rng: &mut StdRng) -> String {
    match rng.random_range(0..14) {
        0 => String::new(),
        1..=3 => {
            let n = rng.random_range(1..12);
            rand_chars(rng, n)
        }
        4..=5 => {
            let n = BOUNDARY_LENGTHS[rng.random_range(0..BOUNDARY_LENGTHS.len())];
            word_string(rng, n)
        }
        6 => {
            let n = BOUNDARY_LENGTHS[rng.random_range(0..BOUNDARY_LENGTHS.len())];
            // A multi-unit character makes UTF-16 length differ from chars and bytes.
            let mut s = word_string(rng, n.saturating_sub(1));
            s.push('😀');
            s
        }
        7 => {
            let n = BOUNDARY_LENGTHS[rng.random_range(0..BOUNDARY_LENGTHS.len())];
            format!("/{}/", word_string(rng, n.saturating_sub(2)))
        }
        8 => format!("{:06}", rng.random_range(0..10_000_000u32))
            [..rng.random_range(0..8usize).min(6)]
            .to_string(),
        9 => format!("{}", rng.random_range(0..100_000_000u64)),
        10 => {
            let p = ["aws:", "AWS:", "Aws:x", "aws", "aws:aws:"];
            format!("{}{}", p[rng.random_range(0..p.len())], word_string(rng, 3))
        }
        11 => {
            if rng.random_range(0..8) == 0 {
                "a".repeat(100_000)
            } else {
                word_string(rng, 4)
            }
        }
        12 => {
            let base = word_string(rng, 5);
            let mut s: Vec<char> = base.chars().collect();
            let at = rng.random_range(0..=s.len());
            s.insert(at, rand_char(rng));
            s.into_iter().collect()
        }
        _ => {
            let n = rng.random_range(1..40);
            rand_chars(rng, n)
        }
    }
}

fn rand_tags(rng: &mut StdRng) -> Vec<Tag> {
    let n = match rng.random_range(0..10) {
        0 => 0,
        1 => 50,
        2 => 51,
        _ => rng.random_range(1..5),
    };
    (0..n)
        .map(|i| {
            if rng.random_range(0..3) == 0 {
                Tag::new(rand_text(rng), rand_text(rng))
            } else {
                Tag::new(format!("k{}", i % 7), word_string(rng, 3))
            }
        })
        .collect()
}

// ------------------------------------------------------------------------------ seeds

/// Every seed of a state document (the 64-character base32 text).
fn seeds_in(doc: &str) -> Vec<String> {
    let Ok(value) = serde_json::from_str::<Value>(doc) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(devices) = value["account"]["devices"].as_array() {
        for d in devices {
            if let Some(s) = d["seed"].as_str() {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// The seed text, any 16-character window of it, its lower case: none may appear in `text`.
#[track_caller]
fn assert_no_seed(text: &str, seeds: &[String], context: &str) {
    let lower = text.to_lowercase();
    for seed in seeds {
        assert!(!text.contains(seed.as_str()), "{context}: seed in {text:?}");
        for window in seed.as_bytes().windows(16) {
            let window = std::str::from_utf8(window).unwrap_or_default();
            assert!(
                !text.contains(window) && !lower.contains(&window.to_lowercase()),
                "{context}: seed fragment {window} in {text:?}"
            );
        }
    }
}

// ------------------------------------------------------------------------------ oracles

struct Oracle {
    name: Regex,
    serial: Regex,
    path: Regex,
    path_prefix: Regex,
    marker: Regex,
    code: Regex,
    tag_key: Regex,
    tag_value: Regex,
}

impl Oracle {
    fn new() -> Self {
        let re = |p: &str| Regex::new(&format!("^(?:{p})$")).expect("oracle regex");
        Oracle {
            // Java's \w is ASCII: [A-Za-z0-9_].
            name: re(r"[A-Za-z0-9_+=,.@-]+"),
            serial: re(r"[A-Za-z0-9_+=/:,.@-]+"),
            path: re(r"(/)|(/[\x{21}-\x{7E}]+/)"),
            path_prefix: re(r"/[\x{21}-\x{7F}]*"),
            marker: re(r"[\x{20}-\x{FF}]+"),
            code: re(r"[0-9]+"),
            tag_key: re(r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"),
            tag_value: re(r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*"),
        }
    }
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[test]
fn predicates_agree_with_java_regex_semantics() {
    let oracle = Oracle::new();
    let (mut rng, seed) = rng_for(1);
    for i in 0..iterations(3000) {
        let s = rand_text(&mut rng);
        let ctx = format!(
            "seed {seed} iteration {i} input {:?}",
            s.get(..80).unwrap_or(&s)
        );
        let got = catch_unwind(|| {
            (
                validate::is_iam_name(&s),
                validate::is_serial_text(&s),
                validate::is_path(&s),
                validate::is_path_prefix(&s),
                validate::is_marker_text(&s),
                validate::is_code_text(&s),
                validate::is_tag_key(&s),
                validate::is_tag_value(&s),
                validate::has_reserved_prefix(&s),
                validate::java_len(&s),
            )
        });
        let Ok(got) = got else {
            panic!("a predicate panicked: {ctx}");
        };
        assert_eq!(got.0, oracle.name.is_match(&s), "is_iam_name: {ctx}");
        assert_eq!(got.1, oracle.serial.is_match(&s), "is_serial_text: {ctx}");
        assert_eq!(got.2, oracle.path.is_match(&s), "is_path: {ctx}");
        assert_eq!(
            got.3,
            oracle.path_prefix.is_match(&s),
            "is_path_prefix: {ctx}"
        );
        assert_eq!(got.4, oracle.marker.is_match(&s), "is_marker_text: {ctx}");
        assert_eq!(got.5, oracle.code.is_match(&s), "is_code_text: {ctx}");
        assert_eq!(got.6, oracle.tag_key.is_match(&s), "is_tag_key: {ctx}");
        assert_eq!(got.7, oracle.tag_value.is_match(&s), "is_tag_value: {ctx}");
        let reserved = s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"));
        assert_eq!(got.8, reserved, "has_reserved_prefix: {ctx}");
        assert_eq!(got.9, utf16_len(&s), "java_len: {ctx}");
    }
}

/// Runs random member checks and counts the failures each one must report.
#[test]
fn violations_count_exactly_the_failures() {
    let (mut rng, seed) = rng_for(2);
    for i in 0..iterations(1500) {
        let mut v = Violations::new();
        let mut coral = 0usize;
        let mut iam_texts: Vec<&str> = Vec::new();
        let mut calls = Vec::new();
        for _ in 0..rng.random_range(0..5) {
            let s = rand_text(&mut rng);
            let len = utf16_len(&s);
            let op = rng.random_range(0..11);
            calls.push((op, s.chars().take(40).collect::<String>()));
            let r = catch_unwind(AssertUnwindSafe(|| match op {
                0 => {
                    v.path("path", &s);
                    if !validate::is_path(&s) {
                        iam_texts.push(validate::PATH_MESSAGE);
                    }
                    coral += usize::from(len > validate::PATH_MAX);
                }
                1 => {
                    v.path_prefix("pathPrefix", &s);
                    coral += usize::from(!validate::is_path_prefix(&s));
                    coral += usize::from(len > validate::PATH_MAX);
                }
                2 => {
                    let max = [None, Some(64)][rng.random_range(0..2)];
                    v.name("virtualMFADeviceName", &s, max);
                    coral += usize::from(!validate::is_iam_name(&s));
                    coral += usize::from(max.is_some_and(|m| len > m));
                }
                3 => {
                    v.user_name("userName", &s, validate::USER_NAME_MAX);
                    if !validate::is_iam_name(&s) {
                        iam_texts.push(validate::USER_NAME_MESSAGE);
                    }
                    coral += usize::from(len > validate::USER_NAME_MAX);
                }
                4 => {
                    v.serial(&s);
                    coral += usize::from(!validate::is_serial_text(&s));
                    coral += usize::from(len > validate::SERIAL_MAX);
                }
                5 => {
                    v.code("authenticationCode1", &s);
                    coral += usize::from(!validate::is_code_text(&s));
                    coral += usize::from(len > validate::CODE_LEN);
                }
                6 => {
                    v.marker(Some(&s));
                    coral += usize::from(!validate::is_marker_text(&s));
                    coral += usize::from(len > validate::MARKER_MAX);
                }
                7 => {
                    let n: i64 = match rng.random_range(0..4) {
                        0 => i64::MIN,
                        1 => i64::MAX,
                        _ => rng.random_range(-5..2000),
                    };
                    v.max_items(Some(n));
                    coral += usize::from(n > validate::MAX_ITEMS_MAX);
                }
                8 => {
                    v.arn("permissionsBoundary", &s);
                    coral += usize::from(len > validate::ARN_MAX);
                }
                9 => {
                    let tags = rand_tags(&mut rng);
                    v.tags(&tags);
                    coral += usize::from(tags.len() > validate::TAGS_MAX);
                    for t in &tags {
                        coral += usize::from(!validate::is_tag_key(&t.key));
                        coral += usize::from(utf16_len(&t.key) > validate::TAG_KEY_MAX);
                        coral += usize::from(!validate::is_tag_value(&t.value));
                        coral += usize::from(utf16_len(&t.value) > validate::TAG_VALUE_MAX);
                    }
                }
                _ => {
                    let keys: Vec<String> =
                        rand_tags(&mut rng).into_iter().map(|t| t.key).collect();
                    v.tag_keys(&keys);
                    coral += usize::from(keys.len() > validate::TAGS_MAX);
                    for k in &keys {
                        coral += usize::from(!validate::is_tag_key(k));
                        coral += usize::from(utf16_len(k) > validate::TAG_KEY_MAX);
                    }
                }
            }));
            assert!(
                r.is_ok(),
                "a Violations check panicked: seed {seed} iteration {i} {calls:?}"
            );
        }
        let expected = coral + iam_texts.len();
        let ctx = format!("seed {seed} iteration {i} {calls:?}");
        assert_eq!(v.is_empty(), expected == 0, "{ctx}");
        let result = catch_unwind(AssertUnwindSafe(|| v.finish()));
        let Ok(result) = result else {
            panic!("Violations::finish panicked: {ctx}");
        };
        match result {
            Ok(()) => assert_eq!(expected, 0, "{ctx}"),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::ValidationError, "{ctx}");
                assert_eq!(e.http_status(), 400, "{ctx}");
                if expected == 1 && coral == 0 {
                    assert_eq!(e.message(), iam_texts[0], "{ctx}");
                } else {
                    let noun = if expected == 1 { "error" } else { "errors" };
                    let prefix = format!("{expected} validation {noun} detected: ");
                    assert!(e.message().starts_with(&prefix), "{ctx}: {}", e.message());
                }
            }
        }
    }
}

#[test]
fn tag_rules_follow_their_order() {
    let (mut rng, seed) = rng_for(3);
    for i in 0..iterations(3000) {
        let mut tags = rand_tags(&mut rng);
        // Make duplicates and reserved prefixes likely.
        if rng.random_range(0..3) == 0 && !tags.is_empty() {
            let t = tags[rng.random_range(0..tags.len())].clone();
            let key = if rng.random_range(0..2) == 0 {
                t.key.to_uppercase()
            } else {
                t.key
            };
            tags.push(Tag::new(key, "x"));
        }
        let users = rng.random_range(0..2) == 0;
        let ctx = format!("seed {seed} iteration {i} users={users} {tags:?}");
        let got = catch_unwind(|| validate::check_tag_rules(&tags, users));
        let Ok(got) = got else {
            panic!("check_tag_rules panicked: {ctx}");
        };
        let reserved_key = tags.iter().any(|t| validate::has_reserved_prefix(&t.key));
        let reserved_value = tags.iter().any(|t| validate::has_reserved_prefix(&t.value));
        let mut seen = std::collections::HashSet::new();
        let duplicate = !tags.iter().all(|t| {
            seen.insert(if users {
                t.key.to_lowercase()
            } else {
                t.key.clone()
            })
        });
        let expected: IamResult<()> = if reserved_key {
            Err(IamError::reserved_tag_key())
        } else if reserved_value {
            Err(IamError::reserved_tag_value())
        } else if duplicate {
            Err(if users {
                IamError::duplicate_user_tag_keys()
            } else {
                IamError::duplicate_device_tag_keys()
            })
        } else {
            Ok(())
        };
        assert_eq!(got, expected, "{ctx}");
        if let Err(e) = got {
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{ctx}");
        }
    }
}

// ------------------------------------------------------------------------------ the account

fn serial(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:mfa/{name}")
}

const USER_POOL: &[&str] = &["alice", "Alice", "bob", "carol", "dave"];
const DEVICE_POOL: &[&str] = &["d0", "d1", "d2", "D0", "d3", "x.y@z"];

fn pick<'a>(rng: &mut StdRng, pool: &[&'a str]) -> &'a str {
    pool[rng.random_range(0..pool.len())]
}

fn user_arg(rng: &mut StdRng) -> String {
    if rng.random_range(0..6) == 0 {
        rand_text(rng)
    } else {
        pick(rng, USER_POOL).to_string()
    }
}

fn serial_arg(rng: &mut StdRng) -> String {
    match rng.random_range(0..8) {
        0 => rand_text(rng),
        1 => format!("arn:aws:iam::{ACCOUNT}:mfa/ops/{}", pick(rng, DEVICE_POOL)),
        _ => serial(pick(rng, DEVICE_POOL)),
    }
}

fn marker_arg(rng: &mut StdRng, issued: &[String]) -> Option<String> {
    match rng.random_range(0..6) {
        0 if !issued.is_empty() => Some(issued[rng.random_range(0..issued.len())].clone()),
        1 => Some(rand_text(rng)),
        _ => None,
    }
}

fn max_items_arg(rng: &mut StdRng) -> Option<i64> {
    match rng.random_range(0..6) {
        0 => Some(rng.random_range(-3..3)),
        1 => Some([1000, 1001, i64::MAX, i64::MIN][rng.random_range(0..4)]),
        2 => Some(1),
        _ => None,
    }
}

/// A pair of codes: right for the device (previous and current step), wrong, or malformed.
fn codes_arg(rng: &mut StdRng, account: &Account, serial: &str, now: i64) -> (String, String) {
    let right = account.device_secret(serial).ok().map(|s| {
        let step = totp::step_at(now);
        (
            totp::format_code(totp::code_for_step(&s.0, step - 1, totp::DIGITS)),
            totp::format_code(totp::code_for_step(&s.0, step, totp::DIGITS)),
        )
    });
    match (rng.random_range(0..6), right) {
        (0..=2, Some(pair)) => pair,
        (3, _) => ("123456".into(), "654321".into()),
        _ => (rand_text(rng), rand_text(rng)),
    }
}

fn now_arg(rng: &mut StdRng) -> i64 {
    match rng.random_range(0..20) {
        0 => i64::MIN,
        1 => i64::MAX,
        2 => -1,
        3 => 0,
        _ => NOW + rng.random_range(-90..90),
    }
}

/// One random operation; returns its name and, for a failure, the error.
fn random_op(
    rng: &mut StdRng,
    a: &mut Account,
    issued: &mut Vec<String>,
    seeds: &mut Vec<String>,
) -> (&'static str, Option<IamError>) {
    fn keep<T>(issued: &mut Vec<String>, r: IamResult<iamlite::model::Page<T>>) -> IamResult<()> {
        r.map(|p| {
            if let Some(m) = p.marker {
                issued.push(m);
            }
        })
    }
    let now = now_arg(rng);
    let (name, result): (&'static str, IamResult<()>) = match rng.random_range(0..17) {
        0 | 1 => {
            let path = match rng.random_range(0..4) {
                0 => Some("/ops/".to_string()),
                1 => Some(rand_text(rng)),
                _ => None,
            };
            let name = if rng.random_range(0..5) == 0 {
                rand_text(rng)
            } else {
                pick(rng, DEVICE_POOL).to_string()
            };
            let tags = if rng.random_range(0..3) == 0 {
                rand_tags(rng)
            } else {
                Vec::new()
            };
            let r = a.create_virtual_mfa_device(path.as_deref(), &name, &tags);
            if let Ok(created) = &r {
                let seed = created.secret.base32().to_string();
                assert_eq!(seed.len(), 64);
                assert!(created.otpauth_uri.contains(&seed));
                seeds.push(seed);
            }
            ("CreateVirtualMFADevice", r.map(|_| ()))
        }
        2 => {
            let s = serial_arg(rng);
            ("DeleteVirtualMFADevice", a.delete_virtual_mfa_device(&s))
        }
        3 => {
            let status = match rng.random_range(0..5) {
                0 => Some("Assigned".to_string()),
                1 => Some("Unassigned".to_string()),
                2 => Some("Any".to_string()),
                3 => Some(rand_text(rng)),
                _ => None,
            };
            let (m, n) = (marker_arg(rng, issued), max_items_arg(rng));
            let r = a.list_virtual_mfa_devices(status.as_deref(), m.as_deref(), n);
            ("ListVirtualMFADevices", keep(issued, r))
        }
        4 | 5 => {
            let (u, s) = (user_arg(rng), serial_arg(rng));
            let (c1, c2) = codes_arg(rng, a, &s, now);
            (
                "EnableMFADevice",
                a.enable_mfa_device(&u, &s, &c1, &c2, now),
            )
        }
        6 => {
            let u = (rng.random_range(0..3) > 0).then(|| user_arg(rng));
            let s = serial_arg(rng);
            (
                "DeactivateMFADevice",
                a.deactivate_mfa_device(u.as_deref(), &s),
            )
        }
        7 => {
            let (u, s) = (user_arg(rng), serial_arg(rng));
            let (c1, c2) = codes_arg(rng, a, &s, now);
            (
                "ResyncMFADevice",
                a.resync_mfa_device(&u, &s, &c1, &c2, now),
            )
        }
        8 => {
            let s = serial_arg(rng);
            let u = (rng.random_range(0..2) == 0).then(|| user_arg(rng));
            (
                "GetMFADevice",
                a.get_mfa_device(&s, u.as_deref()).map(|_| ()),
            )
        }
        9 => {
            let u = (rng.random_range(0..4) > 0).then(|| user_arg(rng));
            let (m, n) = (marker_arg(rng, issued), max_items_arg(rng));
            let r = a.list_mfa_devices(u.as_deref(), m.as_deref(), n);
            ("ListMFADevices", keep(issued, r))
        }
        10 => {
            let s = serial_arg(rng);
            let tags = rand_tags(rng);
            ("TagMFADevice", a.tag_mfa_device(&s, &tags))
        }
        11 => {
            let s = serial_arg(rng);
            let keys: Vec<String> = rand_tags(rng).into_iter().map(|t| t.key).collect();
            ("UntagMFADevice", a.untag_mfa_device(&s, &keys))
        }
        12 => {
            let s = serial_arg(rng);
            let (m, n) = (marker_arg(rng, issued), max_items_arg(rng));
            let r = a.list_mfa_device_tags(&s, m.as_deref(), n);
            ("ListMFADeviceTags", keep(issued, r))
        }
        13 => {
            let path = (rng.random_range(0..3) == 0).then(|| rand_text(rng));
            let u = user_arg(rng);
            let boundary = (rng.random_range(0..8) == 0).then(|| rand_text(rng));
            let tags = if rng.random_range(0..3) == 0 {
                rand_tags(rng)
            } else {
                Vec::new()
            };
            let r = a.create_user(path.as_deref(), &u, boundary.as_deref(), &tags, now);
            ("CreateUser", r.map(|_| ()))
        }
        14 => {
            let u = user_arg(rng);
            let new_path = (rng.random_range(0..3) == 0).then(|| rand_text(rng));
            let new_name = (rng.random_range(0..2) == 0).then(|| user_arg(rng));
            let r = a.update_user(&u, new_path.as_deref(), new_name.as_deref());
            ("UpdateUser", r)
        }
        15 => {
            let u = user_arg(rng);
            ("DeleteUser", a.delete_user(&u))
        }
        _ => {
            let prefix = (rng.random_range(0..3) == 0).then(|| rand_text(rng));
            let (m, n) = (marker_arg(rng, issued), max_items_arg(rng));
            let r = a.list_users(prefix.as_deref(), m.as_deref(), n);
            let _ = a.get_user(&user_arg(rng));
            ("ListUsers", keep(issued, r))
        }
    };
    (name, result.err())
}

/// Lists, summary and per-user views of an account agree.
#[track_caller]
fn check_invariants(a: &mut Account, ctx: &str) {
    let devices = a
        .list_virtual_mfa_devices(None, None, Some(1000))
        .unwrap_or_else(|e| panic!("{ctx}: list devices: {e}"));
    let users = a
        .list_users(None, None, Some(1000))
        .unwrap_or_else(|e| panic!("{ctx}: list users: {e}"));
    let serials: Vec<&String> = devices.items.iter().map(|d| &d.serial).collect();
    let mut unique = serials.clone();
    unique.dedup();
    assert_eq!(
        unique.len(),
        serials.len(),
        "{ctx}: a serial is listed twice"
    );
    assert_eq!(serials.len(), a.device_count(), "{ctx}");
    assert_eq!(users.items.len(), a.user_count(), "{ctx}");
    let mut enabled_by_users = 0;
    for u in &users.items {
        let page = a
            .list_mfa_devices(Some(&u.name), None, Some(1000))
            .unwrap_or_else(|e| panic!("{ctx}: list mfa of {}: {e}", u.name));
        for e in &page.items {
            enabled_by_users += 1;
            let entry = devices
                .items
                .iter()
                .find(|d| d.serial == e.serial)
                .unwrap_or_else(|| panic!("{ctx}: {} enabled but not listed", e.serial));
            let (owner, date) = entry
                .assigned
                .as_ref()
                .unwrap_or_else(|| panic!("{ctx}: {} enabled but unassigned", e.serial));
            assert_eq!(owner.user_id, u.user_id, "{ctx}");
            assert_eq!(*date, e.enable_date, "{ctx}");
            let got = a
                .get_mfa_device(&e.serial, None)
                .unwrap_or_else(|err| panic!("{ctx}: get {}: {err}", e.serial));
            assert_eq!(got.user_name, u.name, "{ctx}");
        }
    }
    let assigned = devices
        .items
        .iter()
        .filter(|d| d.assigned.is_some())
        .count();
    assert_eq!(
        assigned, enabled_by_users,
        "{ctx}: every assigned device has one user"
    );
    let summary: std::collections::HashMap<_, _> = a.account_summary().into_iter().collect();
    assert_eq!(summary["MFADevices"], serials.len() as i64, "{ctx}");
    assert_eq!(summary["MFADevicesInUse"], assigned as i64, "{ctx}");
    assert_eq!(summary["Users"], users.items.len() as i64, "{ctx}");
}

fn new_account(seed: u64) -> Account {
    Account::new(AccountConfig::default(), Entropy::seeded(seed), NOW)
}

#[test]
fn account_operations_with_random_input() {
    let (mut rng, seed) = rng_for(4);
    let runs = iterations(40).div_ceil(4).max(2);
    let mut tally: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for run in 0..runs {
        let mut a = new_account(seed ^ run as u64);
        let (mut issued, mut seeds) = (Vec::new(), Vec::new());
        // A few users and devices to start from, so random calls often name existing entities.
        for u in ["alice", "bob", "carol"] {
            a.create_user(None, u, None, &[], NOW).expect("user");
        }
        for d in ["d0", "d1", "d2"] {
            let created = a.create_virtual_mfa_device(None, d, &[]).expect("device");
            seeds.push(created.secret.base32().to_string());
        }
        for step in 0..60 {
            let before = to_json(&a);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                random_op(&mut rng, &mut a, &mut issued, &mut seeds)
            }));
            let ctx = format!("seed {seed} run {run} step {step}");
            let Ok((op, err)) = outcome else {
                panic!("an Account operation panicked: {ctx}");
            };
            let ctx = format!("{ctx} {op}");
            let entry = tally.entry(op).or_insert((0usize, 0usize));
            if err.is_none() {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
            if let Some(e) = err {
                assert!(ErrorKind::ALL.contains(&e.kind()), "{ctx}");
                assert_eq!(e.http_status(), e.kind().http_status(), "{ctx}");
                assert_ne!(e.kind(), ErrorKind::ServiceFailure, "{ctx}: {e}");
                assert_no_seed(&e.to_string(), &seeds, &ctx);
                assert_eq!(
                    to_json(&a),
                    before,
                    "{ctx}: the failed call {e} changed the account"
                );
            }
            assert_no_seed(
                &format!("{a:?}"),
                &seeds,
                &format!("{ctx} Debug of Account"),
            );
            if step % 10 == 9 {
                check_invariants(&mut a, &ctx);
                let text = to_json(&a);
                let back = from_json(&text, "fuzz").unwrap_or_else(|e| panic!("{ctx}: {e}"));
                assert_eq!(
                    to_json(&back),
                    text,
                    "{ctx}: the state file does not round-trip"
                );
            }
        }
    }
    // The random inputs reach the success paths too, not only the validation errors.
    for op in [
        "CreateVirtualMFADevice",
        "EnableMFADevice",
        "CreateUser",
        "TagMFADevice",
    ] {
        let (ok, err) = tally.get(op).copied().unwrap_or_default();
        assert!(
            ok > 0 && err > 0,
            "{op}: {ok} successes, {err} failures; {tally:?}"
        );
    }
}

// ------------------------------------------------------------------------------ the state file

/// A valid document with users, enabled and unassigned devices, tags and markers.
fn sample_document(rng: &mut StdRng, seed: u64) -> String {
    let mut a = new_account(seed);
    for u in ["alice", "bob"] {
        a.create_user(Some("/team/"), u, None, &[Tag::new("team", "x")], NOW)
            .expect("user");
    }
    for (i, d) in ["d0", "d1", "d2", "d3"].iter().enumerate() {
        let tags = [Tag::new("k", format!("{i}"))];
        let s = a
            .create_virtual_mfa_device(Some("/"), d, &tags)
            .expect("device")
            .serial;
        if i < 2 {
            let key = a.device_secret(&s).expect("secret").0;
            let step = totp::step_at(NOW);
            let c1 = totp::format_code(totp::code_for_step(&key, step - 1, 6));
            let c2 = totp::format_code(totp::code_for_step(&key, step, 6));
            let user = ["alice", "bob"][i];
            a.enable_mfa_device(user, &s, &c1, &c2, NOW)
                .expect("enable");
        }
    }
    // Markers: truncated listings.
    let _ = a.list_virtual_mfa_devices(None, None, Some(1));
    let _ = a.list_users(None, None, Some(1));
    let _ = a.list_mfa_device_tags(&serial("d0"), None, Some(1));
    for _ in 0..rng.random_range(0..3) {
        let _ = a.tag_mfa_device(&serial("d3"), &rand_tags(rng));
    }
    to_json(&a)
}

fn random_json(rng: &mut StdRng, depth: u32) -> Value {
    match rng.random_range(0..if depth > 2 { 7 } else { 9 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.random()),
        2 => Value::from(rng.random::<i64>()),
        3 => Value::from(rng.random::<u64>()),
        4 => serde_json::Number::from_f64(rng.random_range(-1e9..1e9))
            .map_or(Value::Null, Value::Number),
        5 => Value::from(rand_text(rng)),
        6 => Value::from(-1),
        7 => Value::Array(
            (0..rng.random_range(0..3))
                .map(|_| random_json(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let mut m = serde_json::Map::new();
            for _ in 0..rng.random_range(0..3) {
                m.insert(rand_text(rng), random_json(rng, depth + 1));
            }
            Value::Object(m)
        }
    }
}

/// Pointers ("/account/devices/0/seed") to every node of a document.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.remove(&last);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// One random mutation of a valid document. Never moves seed text into another field (that
/// case has its own test below).
fn mutate(rng: &mut StdRng, text: &str) -> (String, &'static str) {
    let mut bytes = text.as_bytes().to_vec();
    match rng.random_range(0..9) {
        0 => {
            let cut = rng.random_range(0..bytes.len());
            bytes.truncate(cut);
            (String::from_utf8_lossy(&bytes).into_owned(), "truncate")
        }
        1 => {
            for _ in 0..rng.random_range(1..4) {
                let i = rng.random_range(0..bytes.len());
                bytes[i] ^= 1 << rng.random_range(0..8);
            }
            (String::from_utf8_lossy(&bytes).into_owned(), "flip bits")
        }
        2 => {
            let i = rng.random_range(0..bytes.len());
            let n = rng.random_range(1..4);
            let junk = rand_chars(rng, n);
            let mut s = String::from_utf8_lossy(&bytes[..i]).into_owned();
            s.push_str(&junk);
            s.push_str(&String::from_utf8_lossy(&bytes[i..]));
            (s, "insert")
        }
        3 => (String::new(), "empty"),
        _ => {
            let Ok(mut doc) = serde_json::from_str::<Value>(text) else {
                return (text.to_string(), "unchanged");
            };
            let mut all = Vec::new();
            pointers(&doc, String::new(), &mut all);
            let target = all[rng.random_range(0..all.len())].clone();
            let what = match rng.random_range(0..6) {
                0 | 1 => {
                    remove_at(&mut doc, &target);
                    "delete field"
                }
                2 => {
                    let version = [
                        Value::from(0),
                        Value::from(2),
                        Value::from(99),
                        Value::from(u64::MAX),
                        Value::from(-1),
                        Value::from(1.5),
                        Value::from("1"),
                        Value::Null,
                    ][rng.random_range(0..8)]
                    .clone();
                    doc["version"] = version;
                    "version"
                }
                3 => {
                    // Duplicate an entry (two users or devices with one key).
                    let list = ["users", "devices", "markers"][rng.random_range(0..3)];
                    if let Some(items) = doc["account"][list].as_array_mut() {
                        if let Some(first) = items.first().cloned() {
                            items.push(first);
                        }
                    }
                    "duplicate entry"
                }
                _ => {
                    let replacement = random_json(rng, 0);
                    if let Some(slot) = doc.pointer_mut(&target) {
                        *slot = replacement;
                    }
                    "replace value"
                }
            };
            (serde_json::to_string_pretty(&doc).unwrap_or_default(), what)
        }
    }
}

#[test]
fn state_parser_survives_mutations_without_quoting_seeds() {
    let (mut rng, seed) = rng_for(5);
    let original = sample_document(&mut rng, seed);
    let seeds = seeds_in(&original);
    assert_eq!(seeds.len(), 4);
    let (mut ok, mut err) = (0, 0);
    for i in 0..iterations(1500) {
        let (text, what) = mutate(&mut rng, &original);
        let ctx = format!("seed {seed} iteration {i} mutation {what}");
        let parsed = catch_unwind(|| from_json(&text, "/tmp/state.json"));
        let Ok(parsed) = parsed else {
            panic!("from_json panicked: {ctx}");
        };
        match parsed {
            Err(e) => {
                err += 1;
                let msg = e.to_string();
                assert!(msg.starts_with("/tmp/state.json: "), "{ctx}: {msg}");
                assert_no_seed(&msg, &seeds, &ctx);
                assert_no_seed(&format!("{e:?}"), &seeds, &ctx);
                if let Ok(v) = serde_json::from_str::<Value>(&text) {
                    let newer = v["format"] == "iamlite-state"
                        && v["version"].as_u64().is_some_and(|n| n > 1);
                    assert_eq!(newer, matches!(e, StateError::Newer { .. }), "{ctx}: {msg}");
                } else {
                    assert!(matches!(e, StateError::Corrupt { .. }), "{ctx}: {msg}");
                }
            }
            Ok(mut account) => {
                ok += 1;
                assert_no_seed(&format!("{account:?}"), &seeds, &ctx);
                // Whatever loaded must be safe to use and to save again.
                let (mut issued, mut new_seeds) = (Vec::new(), Vec::new());
                for step in 0..8 {
                    let r = catch_unwind(AssertUnwindSafe(|| {
                        random_op(&mut rng, &mut account, &mut issued, &mut new_seeds)
                    }));
                    assert!(
                        r.is_ok(),
                        "{ctx} step {step}: an operation on a loaded account panicked"
                    );
                }
                let again = catch_unwind(AssertUnwindSafe(|| to_json(&account)));
                let Ok(again) = again else {
                    panic!("{ctx}: to_json panicked");
                };
                assert!(
                    catch_unwind(|| from_json(&again, "x")).is_ok(),
                    "{ctx}: reloading panicked"
                );
            }
        }
    }
    assert!(
        err > 0 && ok > 0,
        "mutations should both load and fail: ok {ok} err {err}"
    );
}

#[test]
fn version_and_truncation_errors_are_classified() {
    let (mut rng, seed) = rng_for(6);
    let original = sample_document(&mut rng, seed);
    let seeds = seeds_in(&original);
    let newer = original.replacen("\"version\": 1", "\"version\": 99", 1);
    let e = from_json(&newer, "s").expect_err("version 99 is refused");
    assert!(matches!(e, StateError::Newer { found: 99, .. }), "{e}");
    assert!(e.to_string().contains("newer"), "{e}");
    for cut in (0..original.len()).step_by(97) {
        if !original.is_char_boundary(cut) {
            continue;
        }
        let e = from_json(&original[..cut], "s")
            .err()
            .unwrap_or_else(|| panic!("a document cut at {cut} loaded"));
        assert!(matches!(e, StateError::Corrupt { .. }), "cut at {cut}: {e}");
        assert!(e.to_string().contains("damaged or truncated"), "{e}");
        assert_no_seed(&e.to_string(), &seeds, "truncated");
    }
}

/// The state module promises "No error message quotes the file's content", yet serde's type
/// errors quote the offending string, and `AccountConfig::check` quotes a bad account id.
#[test]
fn state_errors_never_quote_seed_text_found_in_another_field() {
    let (mut rng, seed) = rng_for(7);
    let original = sample_document(&mut rng, seed);
    let seeds = seeds_in(&original);
    let doc: Value = serde_json::from_str(&original).expect("valid");
    let seed_text = Value::from(seeds[0].clone());
    let targets = [
        "/account/devices/0/serial",
        "/account/devices/0/enable_date",
        "/account/devices/0/tags",
        "/account/quotas/users_per_account",
        "/account/account_id",
        "/account/partition",
        "/account/created",
        "/account/markers/0/listing",
    ];
    for target in targets {
        let mut d = doc.clone();
        if let Some(slot) = d.pointer_mut(target) {
            *slot = seed_text.clone();
        }
        let text = serde_json::to_string_pretty(&d).expect("json");
        if let Err(e) = from_json(&text, "s") {
            assert_no_seed(&e.to_string(), &seeds, target);
        }
    }
}

/// `dbg!(created)` or `result.unwrap_err()` on a successful create prints `CreatedDevice`'s
/// `Debug`: the secret and the otpauth URI (which holds the seed) must stay hidden.
#[test]
fn created_device_debug_hides_the_seed() {
    let mut a = new_account(1);
    let created = a
        .create_virtual_mfa_device(None, "alice", &[])
        .expect("create");
    let seed = created.secret.base32().to_string();
    assert_no_seed(&format!("{created:?}"), &[seed], "Debug of CreatedDevice");
}
