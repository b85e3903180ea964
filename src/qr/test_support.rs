//! Test inputs and helpers shared by the submodules' tests: a deterministic
//! corpus, and the qrcode crate's symbols as module grids to compare with.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::ec::construct_codewords;
use qrcode::{Color, EcLevel};

use super::codewords::Codewords;
use super::function_patterns::FORMAT_MAIN;
use super::masking::FORMAT_M;
use super::penalty::select_mask;
use super::placement::Unmasked;
use super::QrMatrix;

/// xorshift64* — deterministic, dependency-free.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn string(&mut self, alphabet: &[u8], len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())])
            .collect()
    }
}

/// The crate's mask patterns, indexed by mask number.
pub(super) const PATTERNS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// Byte-mode capacity at level M, versions 1..=40 (ISO/IEC 18004 Table 7).
pub(super) const BYTE_CAPACITY_M: [usize; 40] = [
    14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
    711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911,
    1989, 2099, 2213, 2331,
];

const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub(super) const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

/// A random `otpauth://totp/` URI shaped like the ones iamlite issues.
pub(super) fn otpauth(rng: &mut Rng) -> Vec<u8> {
    const NAME: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-";
    const ISSUERS: [&str; 4] = [
        "Amazon%20Web%20Services",
        "AWS",
        "Example%20Corp",
        "iamlite",
    ];
    let issuer = ISSUERS[rng.below(ISSUERS.len())];
    let name_len = 1 + rng.below(64);
    let name = String::from_utf8(rng.string(NAME, name_len)).unwrap_or_default();
    let account = String::from_utf8(rng.string(b"0123456789", 12)).unwrap_or_default();
    let secret_len = [16, 32, 52, 64, 64, 64][rng.below(6)];
    let secret = String::from_utf8(rng.string(BASE32, secret_len)).unwrap_or_default();
    let extra = ["", "&algorithm=SHA1&digits=6&period=30", "&digits=6"][rng.below(3)];
    format!("otpauth://totp/{issuer}:{name}@{account}?secret={secret}&issuer={issuer}{extra}")
        .into_bytes()
}

/// 300 otpauth URIs, then one text per version 1..=40 (alternately filled to
/// its minimum and its maximum), then 80 random texts of assorted classes.
pub(super) fn corpus() -> Vec<Vec<u8>> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out: Vec<Vec<u8>> = (0..300).map(|_| otpauth(&mut rng)).collect();
    for v in 0..40 {
        let len = match v {
            0 => 0,
            _ if v % 2 == 0 => BYTE_CAPACITY_M[v - 1] + 1,
            _ => BYTE_CAPACITY_M[v],
        };
        out.push(rng.string(LOWER, len));
    }
    let all_bytes: Vec<u8> = (0..=255).collect();
    let classes: [&[u8]; 4] = [
        b"0123456789",
        b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:",
        &all_bytes,
        b"abcdefghijklmnopqrstuvwxyz0123456789:/?&=%.-_ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ];
    for i in 0..80 {
        let len = rng.below(if i % 8 == 0 { 1000 } else { 400 });
        out.push(rng.string(classes[i % classes.len()], len));
    }
    out
}

/// Words per bit-plane line for `text`'s symbol: 1, 2 or 3.
pub(super) fn words_for(text: &[u8]) -> usize {
    Codewords::new(text)
        .expect("corpus text fits")
        .width()
        .div_ceil(64)
}

/// `encode`, also returning the chosen mask and all eight scores.
pub(super) fn select(text: &[u8]) -> (QrMatrix, usize, [u32; 8]) {
    let cw = Codewords::new(text).expect("corpus text fits");
    match cw.width().div_ceil(64) {
        1 => select_mask(&Unmasked::<1>::new(&cw)),
        2 => select_mask(&Unmasked::<2>::new(&cw)),
        _ => select_mask(&Unmasked::<3>::new(&cw)),
    }
}

/// The crate's canvas with function patterns and codewords placed, before
/// masking, and its width.
pub(super) fn crate_canvas(text: &[u8]) -> (Canvas, usize) {
    let bits = qrcode::bits::encode_auto(text, EcLevel::M).expect("fits");
    let version = bits.version();
    let (data, ec) =
        construct_codewords(&bits.into_bytes(), version, EcLevel::M).expect("codewords");
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    (canvas, version.width() as usize)
}

/// The crate's symbol for each of the eight masks (its `apply_mask`, which
/// also draws the format information) as row-major grids, and the width.
pub(super) fn crate_masked_grids(text: &[u8]) -> ([Vec<bool>; 8], usize) {
    let (canvas, w) = crate_canvas(text);
    let grids = PATTERNS.map(|pattern| {
        let mut c = canvas.clone();
        c.apply_mask(pattern);
        dark(c.into_colors())
    });
    (grids, w)
}

/// Row-major grid of a symbol, true = dark.
pub(super) fn grid_of(m: &QrMatrix) -> Vec<bool> {
    let w = m.width();
    (0..w * w).map(|i| m.is_dark(i % w, i / w)).collect()
}

pub(super) fn dark(colors: Vec<Color>) -> Vec<bool> {
    colors.into_iter().map(|c| c == Color::Dark).collect()
}

/// Mask number read back from the format information along row 8.
pub(super) fn format_mask(grid: &[bool], w: usize) -> Option<usize> {
    let word = FORMAT_MAIN.iter().fold(0u16, |acc, &(x, y)| {
        let (x, y) = (x as usize, y as usize);
        (acc << 1) | u16::from(grid[y * w + x])
    });
    FORMAT_M.iter().position(|&f| f == word)
}
