//! QR code generation for `otpauth://` provisioning URIs.
//!
//! Data analysis, segmentation, version selection and the Reed-Solomon
//! codewords come from the `qrcode` crate (error correction level M). Module
//! placement, data-mask selection and PNG output are done here on bit-packed
//! rows (one bit per module):
//!
//! * function patterns and codewords are drawn straight into row bit planes,
//!   in the crate's drawing order and placement order, so the unmasked symbol
//!   is the crate's `Canvas` after `draw_all_functional_patterns` and
//!   `draw_data`; columns are the bit transpose of the rows;
//! * the mask (ISO/IEC 18004:2015 §7.8.3) is chosen as the crate's
//!   `Canvas::apply_best_mask` chooses it: same scoring rules (including the
//!   crate's reading of N3 and N4, see `score`), same tie break (lowest mask
//!   number wins);
//! * the PNG is written directly: 1-bit grayscale, one zlib stream made of a
//!   single fixed-table "dynamic Huffman" deflate block in which each distinct
//!   scanline is sent once as literals and its repeats as one back-reference.
//!
//! The tests check all of this against the crate (modules, mask, scores) and
//! against the `png` crate's decoder (pixels, CRCs, Adler-32).
//!
//! The encoded text carries a TOTP secret: no error message or `Debug` output
//! contains it. Buffers this module derives from it (bitstream, codewords, bit
//! planes, scanlines, `QrMatrix` on drop) are zeroized; temporaries inside the
//! `qrcode` crate are not, and neither is the returned PNG.

use std::fmt;

use qrcode::bits::encode_auto;
use qrcode::ec::construct_codewords;
use qrcode::{EcLevel, Version};
use zeroize::Zeroize;

/// Light border around the symbol, in modules (the minimum ISO/IEC 18004 requires).
pub const QUIET_ZONE: usize = 4;

/// Pixels per module in [`render_png`] output, and CSS pixels per module in
/// the `width`/`height` of [`render_svg`] output.
pub const PNG_SCALE: usize = 4;

/// Errors from QR generation. Messages never contain the encoded text.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The text does not fit a version 40 symbol at error correction level M.
    #[error("data too long for a QR code (version 40, error correction level M)")]
    DataTooLong,
    /// Any other failure of the QR or PNG encoder.
    #[error("QR code generation failed: {0}")]
    Encode(String),
}

impl From<qrcode::types::QrError> for QrError {
    fn from(e: qrcode::types::QrError) -> Self {
        match e {
            qrcode::types::QrError::DataTooLong => Self::DataTooLong,
            // The crate's messages are fixed strings without data.
            other => Self::Encode(other.to_string()),
        }
    }
}

/// A finished QR symbol (masked, with format information), without quiet zone.
pub struct QrMatrix {
    width: usize,
    /// 64-bit words per row.
    words: usize,
    /// Row-major; bit `x % 64` of `rows[y * words + x / 64]` is module (x, y),
    /// set = dark. Bits at `x >= width` are zero.
    rows: Vec<u64>,
}

impl QrMatrix {
    /// Modules per side (17 + 4 × version).
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether module (x = column, y = row) is dark. Coordinates outside the
    /// symbol are light, like the quiet zone.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width
            && y < self.width
            && self
                .rows
                .get(y * self.words + x / 64)
                .is_some_and(|w| (w >> (x % 64)) & 1 == 1)
    }
}

impl fmt::Debug for QrMatrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The modules encode the secret: only the size is shown.
        f.debug_struct("QrMatrix")
            .field("width", &self.width)
            .finish_non_exhaustive()
    }
}

impl Drop for QrMatrix {
    fn drop(&mut self) {
        self.rows.zeroize();
    }
}

/// Encodes `text` at error correction level M in the smallest version that
/// holds it, with the data mask of lowest penalty.
pub fn encode(text: &[u8]) -> Result<QrMatrix, QrError> {
    let cw = Codewords::new(text)?;
    match cw.width().div_ceil(64) {
        1 => Ok(select_mask(&Unmasked::<1>::new(&cw)).0),
        2 => Ok(select_mask(&Unmasked::<2>::new(&cw)).0),
        3 => Ok(select_mask(&Unmasked::<3>::new(&cw)).0),
        _ => Err(QrError::Encode("unsupported symbol width".into())),
    }
}

/// Encodes `text` and renders it with [`render_png`].
pub fn png_for(text: &[u8]) -> Result<Vec<u8>, QrError> {
    render_png(&encode(text)?)
}

/// Renders a standalone SVG: one `<path>` of unit squares (horizontal runs of
/// dark modules) on a white background, in a `viewBox` whose unit is one
/// module, including a [`QUIET_ZONE`]-module border.
pub fn render_svg(m: &QrMatrix) -> String {
    let side = m.width + 2 * QUIET_ZONE;
    let px = side * PNG_SCALE;
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="{px}" height="{px}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d=""##
    );
    s.reserve(m.width * m.width * 3);
    for y in 0..m.width {
        let mut x = 0;
        while x < m.width {
            if !m.is_dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while m.is_dark(x, y) {
                x += 1;
            }
            // "M x y h len v1 h -len z": one unit-high rectangle per run.
            s.push('M');
            push_decimal(&mut s, start + QUIET_ZONE);
            s.push(' ');
            push_decimal(&mut s, y + QUIET_ZONE);
            s.push('h');
            push_decimal(&mut s, x - start);
            s.push_str("v1h-");
            push_decimal(&mut s, x - start);
            s.push('z');
        }
    }
    s.push_str(r#""/></svg>"#);
    s
}

fn push_decimal(s: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.extend(digits[i..].iter().map(|&d| char::from(d)));
}

// ---------------------------------------------------------------------------
// Codewords and module placement

/// The version (1..=40) and the interleaved data and EC codewords, in
/// placement order. Zeroized on drop.
struct Codewords {
    version: usize,
    data: Vec<u8>,
    ec: Vec<u8>,
}

impl Codewords {
    fn new(text: &[u8]) -> Result<Self, QrError> {
        let bits = encode_auto(text, EcLevel::M)?;
        let version = bits.version();
        let number = match version {
            // encode_auto only ever picks normal versions.
            Version::Normal(v @ 1..=40) => usize::try_from(v).unwrap_or(0),
            _ => 0,
        };
        let mut raw = bits.into_bytes();
        if number == 0 {
            raw.zeroize();
            return Err(QrError::Encode("unsupported QR version".into()));
        }
        let codewords = construct_codewords(&raw, version, EcLevel::M);
        raw.zeroize();
        let (data, ec) = codewords?;
        Ok(Self {
            version: number,
            data,
            ec,
        })
    }

    /// 17 + 4 × version: 21..=177.
    fn width(&self) -> usize {
        17 + 4 * self.version
    }

    /// The codeword bits as one bit string, least significant bit first: bit
    /// i of the stream (the crate's placement order: codewords in order, most
    /// significant bit of each first) is bit i % 64 of word i / 64.
    /// Zero-padded to whole words.
    fn stream(&self) -> Vec<u64> {
        let bytes = self.data.len() + self.ec.len();
        let mut words = vec![0u64; bytes.div_ceil(8)];
        for (i, &b) in self.data.iter().chain(&self.ec).enumerate() {
            words[i / 8] |= u64::from(b.reverse_bits()) << (8 * (i % 8));
        }
        words
    }
}

impl Drop for Codewords {
    fn drop(&mut self) {
        self.data.zeroize();
        self.ec.zeroize();
    }
}

/// One row or column, bit i = module i, set = dark. Bits at i >= width are 0.
type Line<const N: usize> = [u64; N];

/// Alignment pattern centre coordinates for versions 7..=40 (ISO/IEC
/// 18004:2015 Annex E; the same table as the qrcode crate).
static ALIGNMENT_POSITIONS: [&[u8]; 34] = [
    &[6, 22, 38],
    &[6, 24, 42],
    &[6, 26, 46],
    &[6, 28, 50],
    &[6, 30, 54],
    &[6, 32, 58],
    &[6, 34, 62],
    &[6, 26, 46, 66],
    &[6, 26, 48, 70],
    &[6, 26, 50, 74],
    &[6, 30, 54, 78],
    &[6, 30, 56, 82],
    &[6, 30, 58, 86],
    &[6, 34, 62, 90],
    &[6, 28, 50, 72, 94],
    &[6, 26, 50, 74, 98],
    &[6, 30, 54, 78, 102],
    &[6, 28, 54, 80, 106],
    &[6, 32, 58, 84, 110],
    &[6, 30, 58, 86, 114],
    &[6, 34, 62, 90, 118],
    &[6, 26, 50, 74, 98, 122],
    &[6, 30, 54, 78, 102, 126],
    &[6, 26, 52, 78, 104, 130],
    &[6, 30, 56, 82, 108, 134],
    &[6, 34, 60, 86, 112, 138],
    &[6, 30, 58, 86, 114, 142],
    &[6, 34, 62, 90, 118, 146],
    &[6, 30, 54, 78, 102, 126, 150],
    &[6, 24, 50, 76, 102, 128, 154],
    &[6, 28, 54, 80, 106, 132, 158],
    &[6, 32, 58, 84, 110, 136, 162],
    &[6, 26, 54, 82, 110, 138, 166],
    &[6, 30, 58, 86, 114, 142, 170],
];

/// BCH-coded version information for versions 7..=40 (ISO/IEC 18004:2015
/// Annex D, Table D.1).
static VERSION_INFO: [u32; 34] = [
    0x07c94, 0x085bc, 0x09a99, 0x0a4d3, 0x0bbf6, 0x0c762, 0x0d847, 0x0e60d, 0x0f928, 0x10b78,
    0x1145d, 0x12a17, 0x13532, 0x149a6, 0x15683, 0x168c9, 0x177ec, 0x18ec4, 0x191e1, 0x1afab,
    0x1b08e, 0x1cc1a, 0x1d33f, 0x1ed75, 0x1f250, 0x209d5, 0x216f0, 0x228ba, 0x2379f, 0x24b0b,
    0x2542e, 0x26a64, 0x27541, 0x28c69,
];

/// Function patterns being drawn: `dark` and `func` (set = function module)
/// bit planes, rows of `N` words.
struct Functions<const N: usize> {
    width: usize,
    dark: Vec<Line<N>>,
    func: Vec<Line<N>>,
}

impl<const N: usize> Functions<N> {
    /// Maps a coordinate, negative = from the far edge, like the crate's
    /// `Canvas`; callers pass |c| < width.
    fn at(&self, c: i32) -> usize {
        let c = if c < 0 { c + self.width as i32 } else { c };
        usize::try_from(c).unwrap_or(usize::MAX)
    }

    /// Marks (x, y) as a function module of the given colour (the crate's
    /// `Canvas::put`); coordinates outside the symbol are ignored.
    fn put(&mut self, x: i32, y: i32, dark: bool) {
        let (x, y) = (self.at(x), self.at(y));
        if x >= self.width || y >= self.width {
            return;
        }
        let (word, bit) = (x / 64, 1u64 << (x % 64));
        self.func[y][word] |= bit;
        if dark {
            self.dark[y][word] |= bit;
        } else {
            self.dark[y][word] &= !bit;
        }
    }

    fn is_func(&self, x: i32, y: i32) -> bool {
        let (x, y) = (self.at(x), self.at(y));
        x < self.width && y < self.width && (self.func[y][x / 64] >> (x % 64)) & 1 == 1
    }

    /// The crate's `draw_all_functional_patterns` for a normal version, in
    /// the same order (later patterns overwrite earlier ones the same way).
    fn new(version: usize) -> Self {
        let width = 17 + 4 * version;
        let mut f = Self {
            width,
            dark: vec![[0; N]; width],
            func: vec![[0; N]; width],
        };
        // Finder patterns with their light separators.
        for (cx, cy) in [(3, 3), (-4, 3), (3, -4)] {
            let (left, right) = if cx >= 0 { (-3, 4) } else { (-4, 3) };
            let (top, bottom) = if cy >= 0 { (-3, 4) } else { (-4, 3) };
            for j in top..=bottom {
                for i in left..=right {
                    let ring = i32::max(i32::abs(i), i32::abs(j));
                    f.put(cx + i, cy + j, ring != 4 && ring != 2);
                }
            }
        }
        // Alignment patterns, skipped where the centre is already taken.
        let alignment = |f: &mut Self, cx: i32, cy: i32| {
            if f.is_func(cx, cy) {
                return;
            }
            for j in -2..=2 {
                for i in -2..=2 {
                    let ring = i32::max(i32::abs(i), i32::abs(j));
                    f.put(cx + i, cy + j, ring != 1);
                }
            }
        };
        match version {
            1 => {}
            2..=6 => alignment(&mut f, -7, -7),
            _ => {
                let positions = ALIGNMENT_POSITIONS.get(version - 7).copied().unwrap_or(&[]);
                for &x in positions {
                    for &y in positions {
                        alignment(&mut f, i32::from(x), i32::from(y));
                    }
                }
            }
        }
        // Format information areas, reserved light, and the dark module.
        for (&(x1, y1), &(x2, y2)) in FORMAT_MAIN.iter().zip(&FORMAT_SIDE) {
            f.put(i32::from(x1), i32::from(y1), false);
            f.put(i32::from(x2), i32::from(y2), false);
        }
        f.put(8, -8, true);
        // Timing patterns, dark on even coordinates.
        let end = width as i32 - 9;
        for i in 8..=end {
            f.put(i, 6, i % 2 == 0);
            f.put(6, i, i % 2 == 0);
        }
        // Version information, most significant bit first.
        if let Some(&info) = VERSION_INFO.get(version.wrapping_sub(7)) {
            for i in 0..18 {
                let dark = (info >> (17 - i)) & 1 == 1;
                let (a, b) = (5 - i / 3, -9 - i % 3);
                f.put(a, b, dark);
                f.put(b, a, dark);
            }
        }
        f
    }
}

/// 64×64 bit transpose in place: bit j of `a[i]` moves to bit i of `a[j]`.
fn transpose64(a: &mut [u64; 64]) {
    let mut j = 32;
    let mut m: u64 = 0x0000_0000_ffff_ffff;
    while j != 0 {
        let mut k = 0;
        while k < 64 {
            // Swaps the high-j bits of a[k] with the low-j bits of a[k + j].
            let t = ((a[k] >> j) ^ a[k + j]) & m;
            a[k] ^= t << j;
            a[k + j] ^= t;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        m ^= m << j;
    }
}

/// Columns of a symbol given by its rows (both `width` long).
fn transpose<const N: usize>(rows: &[Line<N>]) -> Vec<Line<N>> {
    let mut cols = vec![[0; N]; rows.len()];
    let mut block = [0u64; 64];
    for by in 0..N {
        for bx in 0..N {
            for (i, b) in block.iter_mut().enumerate() {
                *b = rows.get(by * 64 + i).map_or(0, |r| r[bx]);
            }
            transpose64(&mut block);
            for (i, b) in block.iter().enumerate() {
                if let Some(c) = cols.get_mut(bx * 64 + i) {
                    c[by] = *b;
                }
            }
        }
    }
    block.zeroize();
    cols
}
/// Bit i of the result is bit i + k of `a` (0 beyond the end). 1 <= k <= 63.
#[inline(always)]
fn shr<const N: usize>(a: &Line<N>, k: u32) -> Line<N> {
    let mut r = [0; N];
    for i in 0..N {
        let carry = if i + 1 < N { a[i + 1] << (64 - k) } else { 0 };
        r[i] = (a[i] >> k) | carry;
    }
    r
}

/// Bit i of the result is bit i - k of `a` (0 for i < k). 1 <= k <= 63.
#[inline(always)]
fn shl<const N: usize>(a: &Line<N>, k: u32) -> Line<N> {
    let mut r = [0; N];
    for i in 0..N {
        let carry = if i > 0 { a[i - 1] >> (64 - k) } else { 0 };
        r[i] = (a[i] << k) | carry;
    }
    r
}

#[inline(always)]
fn zip<const N: usize>(a: &Line<N>, b: &Line<N>, f: impl Fn(u64, u64) -> u64) -> Line<N> {
    let mut r = [0; N];
    for i in 0..N {
        r[i] = f(a[i], b[i]);
    }
    r
}

#[inline(always)]
fn popcount<const N: usize>(a: &Line<N>) -> u32 {
    a.iter().map(|w| w.count_ones()).sum()
}

/// Bits 0..n set.
fn low_bits<const N: usize>(n: usize) -> Line<N> {
    let mut r = [0; N];
    for (i, w) in r.iter_mut().enumerate() {
        let lo = i * 64;
        *w = match n.saturating_sub(lo) {
            0 => 0,
            k if k >= 64 => u64::MAX,
            k => (1 << k) - 1,
        };
    }
    r
}

/// N1 and N3 features of one line (ISO/IEC 18004:2015 §7.8.3.1, Table 11).
/// `pairs` has bits 0..width-1 set (positions that have a right neighbour).
/// Returns (N1 points, number of finder-like patterns).
#[inline(always)]
fn line_features<const N: usize>(l: &Line<N>, pairs: &Line<N>) -> (u32, u32) {
    let r = |k| shr(l, k);
    let (r1, r2, r3, r4, r5, r6) = (r(1), r(2), r(3), r(4), r(5), r(6));

    // N1: a run of 5 + i same-coloured modules scores 3 + i. `five` marks every
    // start of 5 equal modules, so a run of length L has L - 4 of them and one
    // "first" one: points = |five| + 2 × |runs|.
    let same = zip(&zip(l, &r1, |a, b| !(a ^ b)), pairs, |a, b| a & b);
    let five = zip(
        &zip(&same, &shr(&same, 1), |a, b| a & b),
        &zip(&shr(&same, 2), &shr(&same, 3), |a, b| a & b),
        |a, b| a & b,
    );
    let runs = zip(&five, &shl(&five, 1), |a, b| a & !b);
    let n1 = popcount(&five) + 2 * popcount(&runs);

    // N3: dark-light-dark-dark-dark-light-dark starting at bit i, with the 4
    // modules before it or the 4 after it light; modules outside the symbol
    // count as light. One occurrence counts once even if both sides are
    // light (the crate's reading). Bits >= width are 0, so a match implies
    // i + 6 < width.
    let core = {
        let dark = zip(
            &zip(l, &r2, |a, b| a & b),
            &zip(&r3, &r4, |a, b| a & b),
            |a, b| a & b,
        );
        let dark = zip(&dark, &r6, |a, b| a & b);
        zip(&dark, &zip(&r1, &r5, |a, b| a | b), |a, b| a & !b)
    };
    let dark_before = zip(
        &zip(&shl(l, 1), &shl(l, 2), |a, b| a | b),
        &zip(&shl(l, 3), &shl(l, 4), |a, b| a | b),
        |a, b| a | b,
    );
    let dark_after = zip(
        &zip(&r(7), &r(8), |a, b| a | b),
        &zip(&r(9), &r(10), |a, b| a | b),
        |a, b| a | b,
    );
    let hits = zip(
        &core,
        &zip(&dark_before, &dark_after, |a, b| a & b),
        |a, b| a & !b,
    );
    (n1, popcount(&hits))
}

/// Number of 2×2 blocks of one colour with their top row in `a` and bottom
/// row in `b` (N2).
#[inline(always)]
fn blocks<const N: usize>(a: &Line<N>, b: &Line<N>, pairs: &Line<N>) -> u32 {
    let vert = zip(a, b, |a, b| !(a ^ b));
    let horiz = zip(a, &shr(a, 1), |a, b| !(a ^ b));
    let all = zip(&zip(&vert, &shr(&vert, 1), |a, b| a & b), &horiz, |a, b| {
        a & b
    });
    popcount(&zip(&all, pairs, |a, b| a & b))
}

/// Penalty of a masked symbol given as rows and columns, as computed by the
/// qrcode crate (0.14) and weighted per ISO/IEC 18004:2015 Table 11:
/// N1 = 3 (+1 per module beyond 5), N2 = 3 per 2×2 block (overlapping),
/// N3 = 40 per finder-like pattern in rows and columns, minus the 2 × 9
/// occurrences every symbol has in its own finder patterns (a constant),
/// N4 = |⌊200 × dark / total⌋ − 100|, the crate's linear form; ISO's is
/// 10 × ⌊|100 × dark / total − 50| / 5⌋.
fn score<const N: usize>(rows: &[Line<N>], cols: &[Line<N>], width: usize) -> u32 {
    let pairs = low_bits::<N>(width - 1);
    let (mut n1, mut n3, mut dark, mut n2) = (0, 0, 0, 0);
    for l in rows {
        let (a, b) = line_features(l, &pairs);
        n1 += a;
        n3 += b;
        dark += popcount(l);
    }
    for pair in rows.windows(2) {
        n2 += blocks(&pair[0], &pair[1], &pairs);
    }
    for l in cols {
        let (a, b) = line_features(l, &pairs);
        n1 += a;
        n3 += b;
    }
    let total = u32::try_from(width * width).unwrap_or(u32::MAX);
    let n4 = (dark * 200 / total).abs_diff(100);
    (n1 + 3 * n2 + 40 * n3 + n4).saturating_sub(2 * 9 * 40)
}

/// Mask condition of pattern `k` at column x, row y (ISO/IEC 18004:2015
/// Table 10; j = x, i = y). Module is inverted when true.
const fn mask_bit(k: usize, x: usize, y: usize) -> bool {
    match k {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (y / 2 + x / 3).is_multiple_of(2),
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + (x * y) % 3).is_multiple_of(2),
    }
}

/// Every mask pattern is periodic with period dividing 12 in x and in y.
const MASK_PERIOD: usize = 12;

/// `table[k][p]` bit i = mask k at (x = i, y = p) for rows, or at
/// (x = p, y = i) when `transposed`; valid for any y ≡ p (resp. x ≡ p) mod 12.
const fn mask_table(transposed: bool) -> [[[u64; 3]; MASK_PERIOD]; 8] {
    let mut t = [[[0; 3]; MASK_PERIOD]; 8];
    let mut k = 0;
    while k < 8 {
        let mut p = 0;
        while p < MASK_PERIOD {
            let mut i = 0;
            while i < 192 {
                let (x, y) = if transposed { (p, i) } else { (i, p) };
                if mask_bit(k, x, y) {
                    t[k][p][i / 64] |= 1 << (i % 64);
                }
                i += 1;
            }
            p += 1;
        }
        k += 1;
    }
    t
}

static MASK_ROWS: [[[u64; 3]; MASK_PERIOD]; 8] = mask_table(false);
static MASK_COLS: [[[u64; 3]; MASK_PERIOD]; 8] = mask_table(true);

/// Format information for level M and mask 0..7, BCH-coded and XORed with
/// 101010000010010 (ISO/IEC 18004:2015 §7.9, Table C.1).
const FORMAT_M: [u16; 8] = [
    0x5412, 0x5125, 0x5e7c, 0x5b4b, 0x45f9, 0x40ce, 0x4f97, 0x4aa0,
];

/// Positions (x, y) of format bits 14 (first) down to 0; negative coordinates
/// count from the far edge. Same placement as the qrcode crate.
const FORMAT_MAIN: [(i16, i16); 15] = [
    (0, 8),
    (1, 8),
    (2, 8),
    (3, 8),
    (4, 8),
    (5, 8),
    (7, 8),
    (8, 8),
    (8, 7),
    (8, 5),
    (8, 4),
    (8, 3),
    (8, 2),
    (8, 1),
    (8, 0),
];
const FORMAT_SIDE: [(i16, i16); 15] = [
    (8, -1),
    (8, -2),
    (8, -3),
    (8, -4),
    (8, -5),
    (8, -6),
    (8, -7),
    (-8, 8),
    (-7, 8),
    (-6, 8),
    (-5, 8),
    (-4, 8),
    (-3, 8),
    (-2, 8),
    (-1, 8),
];

/// The unmasked symbol as bit-packed rows and columns.
struct Unmasked<const N: usize> {
    width: usize,
    /// Module colours before masking; format areas light, dark module set.
    rows: Vec<Line<N>>,
    cols: Vec<Line<N>>,
    /// Set where the mask applies (data, EC and remainder modules).
    data_rows: Vec<Line<N>>,
    data_cols: Vec<Line<N>>,
}

impl<const N: usize> Unmasked<N> {
    /// Draws the function patterns, then the codeword bits into the other
    /// modules: the crate's `draw_data` order, two-module-wide strips from
    /// the right, alternately upwards and downwards, skipping the vertical
    /// timing pattern column 6; right module before left one. Modules left
    /// over after the last codeword bit (remainder bits) stay light.
    fn new(cw: &Codewords) -> Self {
        let Functions {
            width,
            mut dark,
            func,
        } = Functions::<N>::new(cw.version);
        let mut stream = cw.stream();
        let all = low_bits::<N>(width);
        let data_rows: Vec<Line<N>> = func.iter().map(|f| zip(f, &all, |f, a| !f & a)).collect();
        let data_cols = transpose(&data_rows);
        // Versions 1..=11 (width ≤ 61, so a strip's mask fits a u128): whole
        // strips at a time, on columns; larger ones module by module.
        let (rows, cols) = if N == 1 && width <= 61 {
            let free: Vec<u64> = data_cols.iter().map(|c| c[0]).collect();
            let placed = place_narrow(&free, width, &stream);
            let mut cols = transpose(&dark);
            for (c, p) in cols.iter_mut().zip(&placed) {
                c[0] |= p;
            }
            (transpose(&cols), cols)
        } else {
            place_rows(&func, &mut dark, &stream);
            let cols = transpose(&dark);
            (dark, cols)
        };
        stream.zeroize();
        Self {
            width,
            rows,
            cols,
            data_rows,
            data_cols,
        }
    }

    /// Writes the symbol with mask `k` and its format information into `rows`
    /// and `cols` (each `width` long).
    fn apply(&self, k: usize, rows: &mut [Line<N>], cols: &mut [Line<N>]) {
        let masked = |base: &[Line<N>],
                      data: &[Line<N>],
                      table: &[[u64; 3]; MASK_PERIOD],
                      out: &mut [Line<N>]| {
            for (i, ((b, d), o)) in base.iter().zip(data).zip(out.iter_mut()).enumerate() {
                let t = &table[i % MASK_PERIOD];
                for j in 0..N {
                    o[j] = b[j] ^ (t[j] & d[j]);
                }
            }
        };
        masked(&self.rows, &self.data_rows, &MASK_ROWS[k], rows);
        masked(&self.cols, &self.data_cols, &MASK_COLS[k], cols);

        // Format modules are light in the unmasked symbol: OR in the 1 bits.
        let w = self.width;
        let at = |c: i16| {
            if c < 0 {
                w - usize::from(c.unsigned_abs())
            } else {
                usize::from(c.unsigned_abs())
            }
        };
        let format = FORMAT_M[k];
        for (i, (&main, &side)) in FORMAT_MAIN.iter().zip(&FORMAT_SIDE).enumerate() {
            if (format >> (14 - i)) & 1 == 0 {
                continue;
            }
            for (x, y) in [main, side] {
                let (x, y) = (at(x), at(y));
                rows[y][x / 64] |= 1 << (x % 64);
                cols[x][y / 64] |= 1 << (y % 64);
            }
        }
    }
}

/// Calls `f(x, upward)` for the right column x of each two-module strip, in
/// placement order: x = width − 1, width − 3, …, 8, then 5, 3, 1 (column 6
/// is the vertical timing pattern); the first strip goes upwards.
fn for_each_strip(width: usize, mut f: impl FnMut(usize, bool)) {
    // width = 17 + 4v is odd, so the strips start at an even column.
    let mut x = width - 1;
    let mut upward = true;
    loop {
        f(x, upward);
        if x < 3 {
            break;
        }
        upward = !upward;
        x -= 2;
        if x == 6 {
            x = 5;
        }
    }
}

/// Module-by-module placement into `rows` (which hold the function pattern
/// colours) wherever `func` is clear; any width.
fn place_rows<const N: usize>(func: &[Line<N>], rows: &mut [Line<N>], stream: &[u64]) {
    let width = rows.len();
    // Index of the next stream bit; past the end, bits read as 0.
    let mut i = 0usize;
    for_each_strip(width, |x, upward| {
        for step in 0..width {
            let y = if upward { width - 1 - step } else { step };
            for c in [x, x - 1] {
                let (word, shift) = (c / 64, c % 64);
                let free = !(func[y][word] >> shift) & 1;
                let bit = stream.get(i / 64).map_or(0, |w| (w >> (i % 64)) & 1);
                rows[y][word] |= (bit & free) << shift;
                i += free as usize;
            }
        }
    });
}

/// Placement for symbols at most 64 modules wide, a strip at a time: the
/// strip's free modules in placement order form a bit mask of at most 2 ×
/// 61 bits (step s = bits 2s, right module, and 2s + 1, left module), the
/// stream bits are deposited into its runs of set bits, and the result is
/// split back into the two columns. `free[x]` has bit y set where module
/// (x, y) takes data. Returns the placed bits per column.
fn place_narrow(free: &[u64], width: usize, stream: &[u64]) -> Vec<u64> {
    let mut placed = vec![0u64; width];
    if !(21..=61).contains(&width) || free.len() != width {
        return placed; // not reached: the caller checks the width
    }
    // Bit y -> bit width − 1 − y: makes an upward strip's order ascending.
    let flip = |v: u64| v.reverse_bits() >> (64 - width);
    let mut i = 0usize;
    for_each_strip(width, |x, upward| {
        let (r, l) = (free[x], free[x - 1]);
        let (r, l) = if upward { (flip(r), flip(l)) } else { (r, l) };
        let mut mask = interleave(r, l);
        let mut bits = 0u128;
        while mask != 0 {
            let start = mask.trailing_zeros();
            let len = (!(mask >> start)).trailing_zeros(); // ≤ 122
            let run = (1u128 << len) - 1;
            bits |= (take_bits(stream, i, len) & run) << start;
            i += len as usize;
            mask &= !(run << start);
        }
        let (r, l) = deinterleave(bits);
        let (r, l) = if upward { (flip(r), flip(l)) } else { (r, l) };
        placed[x] = r;
        placed[x - 1] = l;
    });
    placed
}

/// Stream bits i.. as bits 0.. (the low `len` ≤ 127 bits are meaningful;
/// bits past the end of the stream are 0).
fn take_bits(stream: &[u64], i: usize, len: u32) -> u128 {
    let word = |k: usize| u128::from(stream.get(k).copied().unwrap_or(0));
    let (k, o) = (i / 64, (i % 64) as u32);
    let low = (word(k + 1) << 64 | word(k)) >> o;
    if o == 0 || len <= 128 - o {
        low
    } else {
        low | word(k + 2) << (128 - o)
    }
}

/// Bits 0..32 of `x` spread to the even bits.
fn spread(x: u64) -> u64 {
    let mut x = x & 0xffff_ffff;
    x = (x | x << 16) & 0x0000_ffff_0000_ffff;
    x = (x | x << 8) & 0x00ff_00ff_00ff_00ff;
    x = (x | x << 4) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | x << 2) & 0x3333_3333_3333_3333;
    (x | x << 1) & 0x5555_5555_5555_5555
}

/// The even bits of `x` gathered into bits 0..32 (inverse of `spread`).
fn gather(x: u64) -> u64 {
    let mut x = x & 0x5555_5555_5555_5555;
    x = (x | x >> 1) & 0x3333_3333_3333_3333;
    x = (x | x >> 2) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | x >> 4) & 0x00ff_00ff_00ff_00ff;
    x = (x | x >> 8) & 0x0000_ffff_0000_ffff;
    (x | x >> 16) & 0x0000_0000_ffff_ffff
}

/// Bit 2s of the result is bit s of `a`, bit 2s + 1 is bit s of `b`.
fn interleave(a: u64, b: u64) -> u128 {
    let lo = spread(a) | spread(b) << 1;
    let hi = spread(a >> 32) | spread(b >> 32) << 1;
    u128::from(hi) << 64 | u128::from(lo)
}

/// Inverse of `interleave`.
fn deinterleave(x: u128) -> (u64, u64) {
    let (lo, hi) = (x as u64, (x >> 64) as u64);
    let a = gather(lo) | gather(hi) << 32;
    let b = gather(lo >> 1) | gather(hi >> 1) << 32;
    (a, b)
}

impl<const N: usize> Drop for Unmasked<N> {
    fn drop(&mut self) {
        self.rows.zeroize();
        self.cols.zeroize();
    }
}

/// Scores all eight masks and returns the symbol with the first one of lowest
/// penalty (the crate's `min_by_key` order), that mask, and all scores.
fn select_mask<const N: usize>(sym: &Unmasked<N>) -> (QrMatrix, usize, [u32; 8]) {
    let width = sym.width;
    let mut rows = vec![[0; N]; width];
    let mut cols = vec![[0; N]; width];
    let mut scores = [0; 8];
    let mut best = 0;
    for k in 0..8 {
        sym.apply(k, &mut rows, &mut cols);
        scores[k] = score(&rows, &cols, width);
        if scores[k] < scores[best] {
            best = k;
        }
    }
    sym.apply(best, &mut rows, &mut cols);
    let matrix = QrMatrix {
        width,
        words: N,
        rows: rows.iter().flatten().copied().collect(),
    };
    rows.zeroize();
    cols.zeroize();
    (matrix, best, scores)
}

// ---------------------------------------------------------------------------
// PNG output

/// Renders a 1-bit grayscale PNG: [`PNG_SCALE`] pixels per module, a
/// [`QUIET_ZONE`]-module light border, dark = 0, light = 1.
///
/// Every scanline uses filter type 0 (None). The image data is one deflate
/// block with the fixed code of `LIT_LENGTHS`/`DIST_LENGTHS`: the first
/// scanline of each module row as literals (unless it equals the previous
/// module row's), then its repeats as a back-reference at a distance of one
/// scanline.
pub fn render_png(m: &QrMatrix) -> Result<Vec<u8>, QrError> {
    let modules = m.width + 2 * QUIET_ZONE;
    let side = modules * PNG_SCALE;
    let side_u32 = u32::try_from(side).map_err(|_| QrError::Encode("image too large".into()))?;
    // PNG packs 1-bit pixels most significant bit first, rows padded to a
    // byte, after a filter-type byte. With 4 px per module, each byte holds
    // two modules (high nibble first): one of `NIBBLES`. The width is odd, so
    // the padding is one light nibble: a scanline is the filter byte and the
    // (width + 9) / 2 module pairs of x = -4..width + 5 (light outside the
    // symbol).
    const _: () = assert!(PNG_SCALE == 4 && QUIET_ZONE == 4);
    if m.width.is_multiple_of(2) || m.words > 3 || m.rows.len() != m.width * m.words {
        return Err(QrError::Encode("unsupported symbol width".into()));
    }
    let pixel_bytes = (m.width + 9) / 2;
    debug_assert_eq!(pixel_bytes, side.div_ceil(8));
    let line_len = 1 + pixel_bytes;

    // Upper bound: literals take at most 11 bits (44 per group of four), and
    // a module row's back-reference(s) at most 40 bits per 258 bytes.
    let fixed = 8 + 25 + 12 + 2 + HEADER.bits.div_ceil(8) + 2 + 4 + 12 + 8;
    let row_bound = (line_len * 11).div_ceil(8) + 5 * (4 * line_len).div_ceil(258);
    let mut out = Vec::with_capacity(fixed + modules * row_bound);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = [0u8; 13];
    ihdr[..4].copy_from_slice(&side_u32.to_be_bytes());
    ihdr[4..8].copy_from_slice(&side_u32.to_be_bytes());
    // Bit depth 1, colour type 0 (grayscale), deflate, adaptive filtering
    // method 0, no interlace.
    ihdr[8] = 1;
    write_chunk(&mut out, b"IHDR", &ihdr);

    let idat = out.len();
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(b"IDAT");
    // zlib header: deflate, 32 KiB window, no dictionary; 0x7801 % 31 == 0.
    out.extend_from_slice(&[0x78, 0x01]);
    let mut adler = Adler32::default();
    let mut bits = BitWriter::new(&mut out);
    bits.header();
    // The current module row as bits of x = -4.. (bit 0 = x = -4), set =
    // dark; bits past the symbol are 0 (light). (width + 9) ≤ 186 < 256.
    let mut line = [0u64; 4];
    let mut prev = [0u64; 4];
    let mut sums = (0, 0);
    let groups = pixel_bytes / 4;
    let tail = pixel_bytes % 4;
    for my in 0..modules {
        line = [0; 4];
        if let Some(y) = my.checked_sub(QUIET_ZONE).filter(|&y| y < m.width) {
            let row = &m.rows[y * m.words..(y + 1) * m.words];
            for (i, &w) in row.iter().enumerate() {
                line[i] |= w << QUIET_ZONE;
                line[i + 1] |= w >> (64 - QUIET_ZONE);
            }
        }
        let repeats = if my > 0 && line == prev {
            PNG_SCALE
        } else {
            // Filter byte 0, then groups of 8 modules = 4 bytes.
            bits.literal(0);
            let (mut s, mut t) = (0u32, 0u32);
            let byte_of = |k: usize| (line[k / 8] >> (8 * (k % 8))) & 0xff;
            for g in 0..groups {
                let (code, len) = GROUP_CODES[byte_of(g) as usize];
                bits.push(u64::from(code), u32::from(len));
                let (gs, gu) = GROUP_SUMS[byte_of(g) as usize];
                // Byte j of the group sits at line index 1 + 4g + j.
                s += gs;
                t += (line_len - 1 - 4 * g) as u32 * gs - gu;
            }
            let last = byte_of(groups);
            for j in 0..tail {
                let b = NIBBLES[((last >> (2 * j)) & 3) as usize];
                bits.literal(b);
                s += u32::from(b);
                t += (line_len - 1 - 4 * groups - j) as u32 * u32::from(b);
            }
            sums = (s % Adler32::MOD, t % Adler32::MOD);
            PNG_SCALE - 1
        };
        bits.copy(repeats * line_len, line_len);
        for _ in 0..PNG_SCALE {
            adler.extend(sums, line_len);
        }
        prev = line;
    }
    bits.end_of_block();
    bits.finish();
    line.zeroize();
    prev.zeroize();
    out.extend_from_slice(&adler.value().to_be_bytes());

    let len = u32::try_from(out.len() - idat - 8)
        .map_err(|_| QrError::Encode("image too large".into()))?;
    out[idat..idat + 4].copy_from_slice(&len.to_be_bytes());
    let crc = crc32(&out[idat + 4..]);
    out.extend_from_slice(&crc.to_be_bytes());
    write_chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

/// PNG byte of a module pair, indexed by bit 0 = first (even x) module
/// dark, bit 1 = second module dark: 4 pixels each, dark = 0.
const NIBBLES: [u8; 4] = [0xff, 0x0f, 0xf0, 0x00];

/// For 8 modules (bit j = module j dark): the literal codes of their 4 PNG
/// bytes, concatenated in stream order, and the total length (≤ 12 bits).
static GROUP_CODES: [(u16, u8); 256] = {
    let codes = canonical(&LIT_LENGTHS);
    let mut t = [(0u16, 0u8); 256];
    let mut v = 0;
    while v < 256 {
        let (mut code, mut len) = (0u16, 0u8);
        let mut j = 0;
        while j < 4 {
            let b = NIBBLES[(v >> (2 * j)) & 3] as usize;
            code |= codes[b] << len;
            len += LIT_LENGTHS[b];
            j += 1;
        }
        t[v] = (code, len);
        v += 1;
    }
    t
};

/// For 8 modules: (Σ xⱼ, Σ j · xⱼ) over their 4 PNG bytes x₀..x₃.
static GROUP_SUMS: [(u32, u32); 256] = {
    let mut t = [(0u32, 0u32); 256];
    let mut v = 0;
    while v < 256 {
        let (mut s, mut u) = (0u32, 0u32);
        let mut j = 0;
        while j < 4 {
            let b = NIBBLES[(v >> (2 * j)) & 3] as u32;
            s += b;
            u += j as u32 * b;
            j += 1;
        }
        t[v] = (s, u);
        v += 1;
    }
    t
};

/// Appends a PNG chunk (length, type, data, CRC of type and data). `data`
/// is at most a few bytes here.
fn write_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let start = out.len();
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start + 4..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// Adler-32 (RFC 1950) of the uncompressed zlib data, fed whole scanlines.
struct Adler32 {
    a: u32,
    b: u32,
}

impl Default for Adler32 {
    fn default() -> Self {
        Self { a: 1, b: 0 }
    }
}

impl Adler32 {
    const MOD: u32 = 65521;

    /// (Σ xᵢ, Σ (n − i) · xᵢ) of a line x₀..xₙ₋₁ (n ≤ 94 here, so no
    /// overflow), which is all `extend` needs. `render_png` computes the same
    /// from `GROUP_SUMS`.
    #[cfg(test)]
    fn sums(line: &[u8]) -> (u32, u32) {
        let (mut s, mut t) = (0u32, 0u32);
        for &x in line {
            s += u32::from(x);
            t += s;
        }
        (s % Self::MOD, t % Self::MOD)
    }

    /// Appends a line of `n` bytes with the given `sums`: processing x₀..xₙ₋₁
    /// one at a time adds Σ x to a and n · a + Σ (n − i) · xᵢ to b.
    fn extend(&mut self, (s, t): (u32, u32), n: usize) {
        let n = u32::try_from(n).unwrap_or(0) % Self::MOD;
        // a, n, t < 65521: the sum stays below 2^33, so use u64.
        let b = u64::from(self.b) + u64::from(n) * u64::from(self.a) + u64::from(t);
        self.b = u32::try_from(b % u64::from(Self::MOD)).unwrap_or(0);
        self.a = (self.a + s) % Self::MOD;
    }

    fn value(&self) -> u32 {
        (self.b << 16) | self.a
    }
}

/// Code lengths of the literal/length alphabet (0..=285): the four bytes
/// that occur in scanlines get 2 or 3 bits, every other symbol 10 or 11, so
/// any byte and any length stays encodable. Complete (Kraft sum 1).
const LIT_LENGTHS: [u8; 286] = {
    let mut l = [0u8; 286];
    let mut others = 0;
    let mut s = 0;
    while s < 286 {
        l[s] = match s {
            0x00 | 0xff => 2,
            0x0f | 0xf0 => 3,
            _ => {
                others += 1;
                if others <= 230 {
                    10
                } else {
                    11
                }
            }
        };
        s += 1;
    }
    l
};

/// Code lengths of the 30 distance codes. Complete.
const DIST_LENGTHS: [u8; 30] = {
    let mut l = [5u8; 30];
    l[0] = 4;
    l[1] = 4;
    l
};

/// Code lengths of the code length alphabet (0..=18) for the values used in
/// `LIT_LENGTHS` and `DIST_LENGTHS`. Complete.
const CL_LENGTHS: [u8; 19] = {
    let mut l = [0u8; 19];
    l[10] = 1;
    l[11] = 2;
    l[5] = 3;
    l[2] = 4;
    l[3] = 5;
    l[4] = 5;
    l
};

/// Kraft sum scaled by 2^15: 2^15 exactly for a complete prefix code.
const fn kraft<const K: usize>(lengths: &[u8; K]) -> u32 {
    let mut sum = 0;
    let mut i = 0;
    while i < K {
        if lengths[i] != 0 {
            sum += 1 << (15 - lengths[i]);
        }
        i += 1;
    }
    sum
}

const _: () = assert!(kraft(&LIT_LENGTHS) == 1 << 15);
const _: () = assert!(kraft(&DIST_LENGTHS) == 1 << 15);
const _: () = assert!(kraft(&CL_LENGTHS) == 1 << 15);

/// Canonical Huffman codes for `lengths` (RFC 1951 §3.2.2), bit-reversed so
/// they can be emitted least significant bit first.
const fn canonical<const K: usize>(lengths: &[u8; K]) -> [u16; K] {
    let mut count = [0u16; 16];
    let mut i = 0;
    while i < K {
        count[lengths[i] as usize] += 1;
        i += 1;
    }
    count[0] = 0;
    let mut next = [0u16; 16];
    let mut code = 0u16;
    let mut bits = 1;
    while bits < 16 {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
        bits += 1;
    }
    let mut out = [0u16; K];
    i = 0;
    while i < K {
        let len = lengths[i] as usize;
        if len != 0 {
            let mut rev = 0u16;
            let mut b = 0;
            while b < len {
                rev = (rev << 1) | ((next[len] >> b) & 1);
                b += 1;
            }
            out[i] = rev;
            next[len] += 1;
        }
        i += 1;
    }
    out
}

static LIT_CODES: [u16; 286] = canonical(&LIT_LENGTHS);
static DIST_CODES: [u16; 30] = canonical(&DIST_LENGTHS);

/// Base values and extra bits of the length codes 257..=285 and distance
/// codes 0..=29 (RFC 1951 §3.2.5).
const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// The dynamic-block header (BFINAL, BTYPE = 2, HLIT, HDIST, HCLEN and the
/// three code length tables, written without run-length codes), built at
/// compile time.
struct Header {
    bytes: [u8; 128],
    bits: usize,
}

impl Header {
    const fn push(&mut self, value: u32, n: usize) {
        let mut i = 0;
        while i < n {
            if (value >> i) & 1 == 1 {
                self.bytes[self.bits / 8] |= 1 << (self.bits % 8);
            }
            self.bits += 1;
            i += 1;
        }
    }

    const fn build() -> Self {
        const ORDER: [usize; 19] = [
            16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
        ];
        let cl_codes = canonical(&CL_LENGTHS);
        let mut h = Self {
            bytes: [0; 128],
            bits: 0,
        };
        h.push(1, 1); // BFINAL: last block
        h.push(2, 2); // BTYPE: dynamic Huffman codes
        h.push(286 - 257, 5); // HLIT
        h.push(30 - 1, 5); // HDIST
        h.push(19 - 4, 4); // HCLEN
        let mut i = 0;
        while i < 19 {
            h.push(CL_LENGTHS[ORDER[i]] as u32, 3);
            i += 1;
        }
        i = 0;
        while i < 286 + 30 {
            let len = if i < 286 {
                LIT_LENGTHS[i]
            } else {
                DIST_LENGTHS[i - 286]
            } as usize;
            h.push(cl_codes[len] as u32, CL_LENGTHS[len] as usize);
            i += 1;
        }
        h
    }
}

static HEADER: Header = Header::build();
const _: () = assert!(Header::build().bits <= 128 * 8);

/// Deflate bit stream writer, least significant bit first, appending to a
/// byte vector.
struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    /// Pending bits, `n < 32` of them between calls.
    acc: u64,
    n: u32,
}

impl<'a> BitWriter<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        Self { out, acc: 0, n: 0 }
    }

    /// Appends the `len` (≤ 32) low bits of `bits`.
    #[inline(always)]
    fn push(&mut self, bits: u64, len: u32) {
        self.acc |= bits << self.n;
        self.n += len;
        if self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    fn header(&mut self) {
        for &b in &HEADER.bytes[..HEADER.bits / 8] {
            self.push(u64::from(b), 8);
        }
        let rest = HEADER.bits % 8;
        if rest > 0 {
            let last = HEADER.bytes[HEADER.bits / 8];
            self.push(u64::from(last), rest as u32);
        }
    }

    #[inline(always)]
    fn symbol(&mut self, s: usize) {
        self.push(u64::from(LIT_CODES[s]), u32::from(LIT_LENGTHS[s]));
    }

    #[inline(always)]
    fn literal(&mut self, b: u8) {
        self.symbol(usize::from(b));
    }

    /// Copies `len` (≥ 3) bytes from `dist` (1..=32768) back, as as many
    /// length/distance pairs as needed (each covers 3..=258 bytes).
    fn copy(&mut self, len: usize, dist: usize) {
        let d = DIST_BASE
            .iter()
            .rposition(|&b| usize::from(b) <= dist)
            .unwrap_or(0);
        let mut left = len;
        while left >= 3 {
            let mut l = left.min(258);
            if left - l < 3 && left != l {
                l = left - 3; // leave a pair of at least 3 bytes
            }
            let c = LEN_BASE
                .iter()
                .rposition(|&b| usize::from(b) <= l)
                .unwrap_or(0);
            self.symbol(257 + c);
            self.push(
                (l - usize::from(LEN_BASE[c])) as u64,
                u32::from(LEN_EXTRA[c]),
            );
            self.push(u64::from(DIST_CODES[d]), u32::from(DIST_LENGTHS[d]));
            self.push(
                (dist - usize::from(DIST_BASE[d])) as u64,
                u32::from(DIST_EXTRA[d]),
            );
            left -= l;
        }
    }

    fn end_of_block(&mut self) {
        self.symbol(256);
    }

    /// Flushes the pending bits, padding the last byte with zeros.
    fn finish(self) {
        let bytes = self.n.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.acc.to_le_bytes()[..bytes]);
    }
}

/// CRC-32 (ISO-HDLC, as PNG uses) lookup tables for slicing by 8.
static CRC_TABLES: [[u32; 256]; 8] = {
    let mut t = [[0u32; 256]; 8];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        t[0][n] = c;
        n += 1;
    }
    let mut k = 1;
    while k < 8 {
        n = 0;
        while n < 256 {
            let prev = t[k - 1][n];
            t[k][n] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            n += 1;
        }
        k += 1;
    }
    t
};

fn crc32(data: &[u8]) -> u32 {
    let t = &CRC_TABLES;
    let mut c = !0u32;
    let mut chunks = data.chunks_exact(8);
    for ch in &mut chunks {
        let lo = u32::from_le_bytes([ch[0], ch[1], ch[2], ch[3]]) ^ c;
        let hi = u32::from_le_bytes([ch[4], ch[5], ch[6], ch[7]]);
        c = t[7][(lo & 0xff) as usize]
            ^ t[6][((lo >> 8) & 0xff) as usize]
            ^ t[5][((lo >> 16) & 0xff) as usize]
            ^ t[4][(lo >> 24) as usize]
            ^ t[3][(hi & 0xff) as usize]
            ^ t[2][((hi >> 8) & 0xff) as usize]
            ^ t[1][((hi >> 16) & 0xff) as usize]
            ^ t[0][(hi >> 24) as usize];
    }
    for &b in chunks.remainder() {
        c = t[0][((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::canvas::{Canvas, MaskPattern, Module};
    use qrcode::{Color, QrCode};

    /// xorshift64* — deterministic, dependency-free.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn string(&mut self, alphabet: &[u8], len: usize) -> Vec<u8> {
            (0..len)
                .map(|_| alphabet[self.below(alphabet.len())])
                .collect()
        }
    }

    const PATTERNS: [MaskPattern; 8] = [
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
    const BYTE_CAPACITY_M: [usize; 40] = [
        14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624,
        666, 711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809,
        1911, 1989, 2099, 2213, 2331,
    ];

    const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

    fn otpauth(rng: &mut Rng) -> Vec<u8> {
        const NAME: &[u8] =
            b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-";
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

    /// otpauth URIs, then one text per version 1..=40 (alternately filled to
    /// its minimum and its maximum), then random texts of assorted classes.
    fn corpus() -> Vec<Vec<u8>> {
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

    fn select(text: &[u8]) -> (QrMatrix, usize, [u32; 8]) {
        let cw = Codewords::new(text).expect("corpus text fits");
        match cw.width().div_ceil(64) {
            1 => select_mask(&Unmasked::<1>::new(&cw)),
            2 => select_mask(&Unmasked::<2>::new(&cw)),
            _ => select_mask(&Unmasked::<3>::new(&cw)),
        }
    }

    /// The crate's canvas with function patterns and codewords placed,
    /// before masking, and its width.
    fn crate_canvas(text: &[u8]) -> (Canvas, usize) {
        let bits = qrcode::bits::encode_auto(text, EcLevel::M).expect("fits");
        let version = bits.version();
        let (data, ec) =
            construct_codewords(&bits.into_bytes(), version, EcLevel::M).expect("codewords");
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec);
        (canvas, version.width() as usize)
    }

    /// Bit planes (dark rows, dark columns, data rows, data columns) of the
    /// crate's unmasked canvas, read module by module.
    type Planes<const N: usize> = [Vec<Line<N>>; 4];

    fn planes_of_canvas<const N: usize>(canvas: &Canvas, width: usize) -> Planes<N> {
        let mut p: Planes<N> = std::array::from_fn(|_| vec![[0; N]; width]);
        for y in 0..width {
            for x in 0..width {
                // Empty = remainder bits, which are 0: light data modules.
                let (dark, data) = match canvas.get(x as i16, y as i16) {
                    Module::Empty => (false, true),
                    Module::Unmasked(c) => (c == Color::Dark, true),
                    Module::Masked(c) => (c == Color::Dark, false),
                };
                for (plane, on) in [(0, dark), (2, data)] {
                    if on {
                        p[plane][y][x / 64] |= 1 << (x % 64);
                        p[plane + 1][x][y / 64] |= 1 << (y % 64);
                    }
                }
            }
        }
        p
    }

    fn grid_of(m: &QrMatrix) -> Vec<bool> {
        let w = m.width();
        (0..w * w).map(|i| m.is_dark(i % w, i / w)).collect()
    }

    fn dark(colors: Vec<Color>) -> Vec<bool> {
        colors.into_iter().map(|c| c == Color::Dark).collect()
    }

    /// Mask number read back from the format information along row 8.
    fn format_mask(grid: &[bool], w: usize) -> Option<usize> {
        let word = FORMAT_MAIN.iter().fold(0u16, |acc, &(x, y)| {
            let (x, y) = (x as usize, y as usize);
            (acc << 1) | u16::from(grid[y * w + x])
        });
        FORMAT_M.iter().position(|&f| f == word)
    }

    /// Plain module-by-module penalty, ISO/IEC 18004:2015 §7.8.3 as the
    /// qrcode crate reads it (see `score`).
    fn reference_score(g: &[bool], w: usize) -> u32 {
        let (mut n1, mut n2, mut n3) = (0, 0, 0);
        for horizontal in [true, false] {
            for i in 0..w {
                let line: Vec<bool> = (0..w)
                    .map(|j| {
                        if horizontal {
                            g[i * w + j]
                        } else {
                            g[j * w + i]
                        }
                    })
                    .collect();
                let mut run = 1;
                for j in 1..=w {
                    if j < w && line[j] == line[j - 1] {
                        run += 1;
                    } else {
                        if run >= 5 {
                            n1 += run - 2;
                        }
                        run = 1;
                    }
                }
                let dark_at = |k: isize| k >= 0 && (k as usize) < w && line[k as usize];
                let finder = [true, false, true, true, true, false, true];
                for j in 0..=(w as isize - 7) {
                    if (0..7).all(|o| dark_at(j + o) == finder[o as usize]) {
                        let light_before = (j - 4..j).all(|k| !dark_at(k));
                        let light_after = (j + 7..j + 11).all(|k| !dark_at(k));
                        if light_before || light_after {
                            n3 += 1;
                        }
                    }
                }
            }
        }
        for y in 0..w - 1 {
            for x in 0..w - 1 {
                let c = g[y * w + x];
                if g[y * w + x + 1] == c && g[(y + 1) * w + x] == c && g[(y + 1) * w + x + 1] == c {
                    n2 += 1;
                }
            }
        }
        let dark = g.iter().filter(|&&d| d).count();
        let n4 = (dark * 200 / (w * w)).abs_diff(100) as u32;
        n1 + 3 * n2 + 40 * n3 + n4 - 720
    }

    #[test]
    fn corpus_covers_all_versions() {
        let corpus = corpus();
        assert!(corpus.len() >= 400);
        for (v, text) in corpus[300..340].iter().enumerate() {
            let width = encode(text).map(|m| m.width()).ok();
            assert_eq!(width, Some(21 + 4 * v), "version {}", v + 1);
        }
    }

    #[test]
    fn same_mask_and_modules_as_crate() {
        for (n, text) in corpus().iter().enumerate() {
            let (ours, mask, _) = select(text);
            let theirs = QrCode::with_error_correction_level(text, EcLevel::M).expect("fits");
            let w = theirs.width();
            assert_eq!(ours.width(), w, "input {n}");
            let their_grid = dark(theirs.to_colors());
            assert_eq!(format_mask(&their_grid, w), Some(mask), "input {n}");
            let our_grid = grid_of(&ours);
            assert_eq!(format_mask(&our_grid, w), Some(mask), "input {n}");
            assert!(our_grid == their_grid, "input {n}: modules differ");
            assert!(
                grid_of(&encode(text).expect("fits")) == their_grid,
                "input {n}"
            );
        }
    }

    fn check_scores<const N: usize>(text: &[u8], text_no: usize) {
        let (canvas, w) = crate_canvas(text);
        let cw = Codewords::new(text).expect("fits");
        let sym = Unmasked::<N>::new(&cw);
        assert_eq!(sym.width, w, "input {text_no}");
        let [rows, cols, data_rows, data_cols] = planes_of_canvas::<N>(&canvas, w);
        assert!(sym.rows == rows, "input {text_no}: unmasked rows differ");
        assert!(sym.cols == cols, "input {text_no}: unmasked columns differ");
        assert!(
            sym.data_rows == data_rows,
            "input {text_no}: data rows differ"
        );
        assert!(
            sym.data_cols == data_cols,
            "input {text_no}: data columns differ"
        );
        let (_, best, scores) = select_mask(&sym);
        let mut rows = vec![[0; N]; w];
        let mut cols = vec![[0; N]; w];
        let mut reference = [0; 8];
        for (k, &pattern) in PATTERNS.iter().enumerate() {
            let mut c = canvas.clone();
            c.apply_mask(pattern);
            let g = dark(c.into_colors());
            sym.apply(k, &mut rows, &mut cols);
            for y in 0..w {
                for x in 0..w {
                    let bit = |l: &Line<N>, i: usize| (l[i / 64] >> (i % 64)) & 1 == 1;
                    assert_eq!(bit(&rows[y], x), g[y * w + x], "input {text_no} mask {k}");
                    assert_eq!(bit(&cols[x], y), g[y * w + x], "input {text_no} mask {k}");
                }
            }
            reference[k] = reference_score(&g, w);
        }
        assert_eq!(scores, reference, "input {text_no}");
        let min = reference.iter().min().copied();
        assert_eq!(reference.iter().position(|&s| Some(s) == min), Some(best));
    }

    #[test]
    fn scores_match_reference_for_every_mask() {
        for (n, text) in corpus().iter().enumerate() {
            match Codewords::new(text).expect("fits").width().div_ceil(64) {
                1 => check_scores::<1>(text, n),
                2 => check_scores::<2>(text, n),
                _ => check_scores::<3>(text, n),
            }
        }
    }

    /// Decodes a PNG with CRC and Adler-32 checks on; returns (side, pixels
    /// as 0 = dark / 255 = light, one byte each).
    fn decode_png(png_bytes: &[u8]) -> Result<(usize, Vec<u8>), png::DecodingError> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        decoder.ignore_checksums(false);
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info()?;
        let size = reader.output_buffer_size().expect("size");
        let mut buf = vec![0; size];
        let info = reader.next_frame(&mut buf)?;
        assert_eq!(info.width, info.height);
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        assert_eq!(info.line_size, info.width as usize);
        reader.finish()?;
        Ok((info.width as usize, buf))
    }

    fn check_png_pixels(m: &QrMatrix, png_bytes: &[u8], what: &str) {
        let (side, buf) = decode_png(png_bytes).expect("valid PNG");
        assert_eq!(side, (m.width() + 2 * QUIET_ZONE) * PNG_SCALE, "{what}");
        for py in 0..side {
            for px in 0..side {
                let (mx, my) = (px / PNG_SCALE, py / PNG_SCALE);
                let is_dark = mx >= QUIET_ZONE
                    && my >= QUIET_ZONE
                    && m.is_dark(mx - QUIET_ZONE, my - QUIET_ZONE);
                let expected = if is_dark { 0 } else { 255 };
                assert_eq!(buf[py * side + px], expected, "{what}: pixel {px},{py}");
            }
        }
    }

    #[test]
    fn png_decodes_to_matrix_with_quiet_zone() {
        let mut rng = Rng(7);
        for text in [otpauth(&mut rng), b"x".to_vec(), rng.string(LOWER, 700)] {
            let m = encode(&text).expect("fits");
            let png_bytes = render_png(&m).expect("renders");
            assert_eq!(png_for(&text).expect("renders"), png_bytes);
            check_png_pixels(&m, &png_bytes, "sample");
        }
        // Every version, and a spread of otpauth URIs.
        let corpus = corpus();
        for (n, text) in corpus[300..340].iter().chain(&corpus[..40]).enumerate() {
            let m = encode(text).expect("fits");
            let png_bytes = png_for(text).expect("renders");
            check_png_pixels(&m, &png_bytes, &format!("input {n}"));
        }
    }

    #[test]
    fn png_is_small_and_checksums_are_verified() {
        let mut rng = Rng(3);
        for _ in 0..50 {
            let png_bytes = png_for(&otpauth(&mut rng)).expect("renders");
            assert!(png_bytes.len() < 2048, "{} bytes", png_bytes.len());
        }
        let png_bytes = png_for(&otpauth(&mut rng)).expect("renders");
        // Chunk layout: signature, IHDR (25 bytes), IDAT, IEND (12 bytes).
        assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png_bytes[12..16], b"IHDR");
        assert_eq!(&png_bytes[37..41], b"IDAT");
        let idat_end = png_bytes.len() - 12;
        assert_eq!(&png_bytes[idat_end..], b"\0\0\0\0IEND\xae\x42\x60\x82");
        let idat_len = u32::from_be_bytes(png_bytes[33..37].try_into().expect("4"));
        assert_eq!(idat_len as usize, idat_end - 4 - 41);
        // A wrong Adler-32 (CRC fixed up) or a wrong CRC is rejected, so the
        // decoding tests do check both.
        let mut bad = png_bytes.clone();
        bad[idat_end - 5] ^= 1;
        let crc = crc32(&bad[37..idat_end - 4]);
        bad[idat_end - 4..idat_end].copy_from_slice(&crc.to_be_bytes());
        assert!(decode_png(&bad).is_err(), "bad Adler-32 accepted");
        let mut bad = png_bytes.clone();
        bad[idat_end - 1] ^= 1;
        assert!(decode_png(&bad).is_err(), "bad CRC accepted");
        assert!(decode_png(&png_bytes).is_ok());
    }

    #[test]
    fn checksums_match_reference_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
        let mut rng = Rng(5);
        let data: Vec<u8> = (0..1000).map(|_| rng.next() as u8).collect();
        let bitwise = |d: &[u8]| {
            let mut c = !0u32;
            for &b in d {
                c ^= u32::from(b);
                for _ in 0..8 {
                    c = if c & 1 == 1 {
                        0xedb8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        };
        let adler = |d: &[u8]| {
            let (mut a, mut b) = (1u32, 0u32);
            for &x in d {
                a = (a + u32::from(x)) % 65521;
                b = (b + a) % 65521;
            }
            (b << 16) | a
        };
        for len in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            assert_eq!(crc32(&data[..len]), bitwise(&data[..len]), "len {len}");
        }
        // Lines of up to 94 bytes, each appended several times.
        let mut ours = Adler32::default();
        let mut stream = Vec::new();
        for (i, chunk) in data.chunks(94).enumerate() {
            for _ in 0..1 + i % 5 {
                ours.extend(Adler32::sums(chunk), chunk.len());
                stream.extend_from_slice(chunk);
            }
        }
        let ff = vec![0xff; 94];
        for _ in 0..2000 {
            ours.extend(Adler32::sums(&ff), ff.len());
            stream.extend_from_slice(&ff);
        }
        assert_eq!(ours.value(), adler(&stream));
    }

    #[test]
    fn interleave_and_take_bits() {
        let mut rng = Rng(13);
        let stream: Vec<u64> = (0..4).map(|_| rng.next()).collect();
        let bit = |i: usize| stream.get(i / 64).map_or(0, |w| (w >> (i % 64)) & 1);
        for _ in 0..200 {
            let (a, b) = (rng.next(), rng.next());
            let x = interleave(a, b);
            assert_eq!(deinterleave(x), (a, b));
            let s = rng.below(64);
            assert_eq!(
                (x >> (2 * s)) & 3,
                u128::from((a >> s) & 1 | ((b >> s) & 1) << 1)
            );
            let (i, len) = (rng.below(300), 1 + rng.below(127) as u32);
            let got = take_bits(&stream, i, len);
            for j in 0..len as usize {
                assert_eq!((got >> j) as u64 & 1, bit(i + j), "i {i} len {len} bit {j}");
            }
        }
    }

    #[test]
    fn transpose64_moves_bit_j_of_i_to_bit_i_of_j() {
        let mut rng = Rng(9);
        let a: [u64; 64] = std::array::from_fn(|_| rng.next());
        let mut t = a;
        transpose64(&mut t);
        for (i, &ai) in a.iter().enumerate() {
            for (j, &tj) in t.iter().enumerate() {
                assert_eq!((ai >> j) & 1, (tj >> i) & 1);
            }
        }
    }

    #[test]
    fn svg_path_covers_dark_modules() {
        let m = encode(b"otpauth://totp/x?secret=ABCDEFGH").expect("fits");
        let svg = render_svg(&m);
        let side = m.width() + 2 * QUIET_ZONE;
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")));
        assert!(svg.ends_with("\"/></svg>"));
        assert_eq!(svg.matches("<path").count(), 1);
        // Each "M x y h len" run covers exactly the dark modules.
        let d = svg.split("d=\"").nth(1).expect("path data");
        let mut covered = vec![false; m.width() * m.width()];
        for run in d.trim_end_matches("\"/></svg>").split('M').skip(1) {
            let nums: Vec<usize> = run
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().expect("number"))
                .collect();
            let (x, y, len) = (nums[0] - QUIET_ZONE, nums[1] - QUIET_ZONE, nums[2]);
            for i in x..x + len {
                assert!(!covered[y * m.width() + i]);
                covered[y * m.width() + i] = true;
            }
        }
        assert!(covered == grid_of(&m));
    }

    #[test]
    fn too_long_is_an_error_not_a_panic() {
        let mut rng = Rng(11);
        let max = BYTE_CAPACITY_M[39];
        assert!(encode(&rng.string(LOWER, max)).is_ok());
        assert!(matches!(
            encode(&rng.string(LOWER, max + 1)),
            Err(QrError::DataTooLong)
        ));
        assert!(matches!(
            png_for(&vec![b'a'; 100_000]),
            Err(QrError::DataTooLong)
        ));
        // Numeric mode: 5596 digits is the version 40-M limit.
        assert!(encode(&[b'7'; 5596]).is_ok());
        assert!(matches!(encode(&[b'7'; 5597]), Err(QrError::DataTooLong)));
    }

    #[test]
    fn no_payload_in_debug_or_errors() {
        let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        let m = encode(format!("otpauth://totp/a?secret={secret}").as_bytes()).expect("fits");
        let dbg = format!("{m:?}");
        assert_eq!(dbg, format!("QrMatrix {{ width: {}, .. }}", m.width()));
        let long = secret.repeat(200);
        let err = encode(long.as_bytes()).expect_err("too long");
        assert!(!format!("{err} {err:?}").contains(secret));
    }

    #[test]
    fn outside_coordinates_are_light() {
        let m = encode(b"hello").expect("fits");
        assert!(m.is_dark(0, 0));
        assert!(!m.is_dark(m.width(), 0));
        assert!(!m.is_dark(0, usize::MAX));
    }
}
