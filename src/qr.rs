//! QR code generation for `otpauth://` provisioning URIs.
//!
//! Data analysis, segmentation, version selection, Reed-Solomon codewords and
//! module placement come from the `qrcode` crate (error correction level M).
//! The data-mask selection (ISO/IEC 18004:2015 §7.8.3) is done here on
//! bit-packed rows and columns: the crate's `Canvas::apply_best_mask` clones
//! the canvas eight times and scores module by module, which dominates the
//! cost of a whole QR + PNG. The choice made here is the one the crate makes:
//! same scoring rules (including the crate's reading of N3 and N4, see
//! `score`), same tie break (lowest mask number wins).
//!
//! The encoded text carries a TOTP secret: no error message or `Debug` output
//! contains it. Buffers this module derives from it (bitstream, codewords,
//! canvas, bit planes, raw image, `QrMatrix` on drop) are zeroized;
//! temporaries inside the `qrcode` and `png` crates are not.

use std::fmt;

use qrcode::bits::encode_auto;
use qrcode::canvas::{Canvas, Module};
use qrcode::ec::construct_codewords;
use qrcode::{Color, EcLevel};
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

fn png_error(e: png::EncodingError) -> QrError {
    // png's encoding errors describe formats and I/O, never pixel data.
    QrError::Encode(format!("PNG encoding: {e}"))
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
    let (mut canvas, width) = unmasked_canvas(text)?;
    let result = match width.div_ceil(64) {
        1 => Ok(select_mask::<1>(&canvas, width).0),
        2 => Ok(select_mask::<2>(&canvas, width).0),
        3 => Ok(select_mask::<3>(&canvas, width).0),
        _ => Err(QrError::Encode("unsupported symbol width".into())),
    };
    scrub_canvas(&mut canvas, width);
    result
}

/// Encodes `text` and renders it with [`render_png`].
pub fn png_for(text: &[u8]) -> Result<Vec<u8>, QrError> {
    render_png(&encode(text)?)
}

/// Renders a 1-bit grayscale PNG: [`PNG_SCALE`] pixels per module, a
/// [`QUIET_ZONE`]-module light border, dark = 0, light = 1.
pub fn render_png(m: &QrMatrix) -> Result<Vec<u8>, QrError> {
    let side = (m.width + 2 * QUIET_ZONE) * PNG_SCALE;
    let side_u32 = u32::try_from(side).map_err(|_| QrError::Encode("image too large".into()))?;
    // PNG packs 1-bit pixels most significant bit first, rows padded to a
    // byte. With 4 px per module and an even quiet zone, module x of the
    // symbol is the nibble at byte QUIET_ZONE / 2 + x / 2, high nibble for
    // even x.
    const _: () = assert!(PNG_SCALE == 4 && QUIET_ZONE.is_multiple_of(2));
    const NIBBLES: [u8; 4] = [0xff, 0x0f, 0xf0, 0x00]; // index: bit0 = even x dark, bit1 = odd x dark
    let stride = side.div_ceil(8);
    let mut img = vec![0xffu8; stride * side];
    for y in 0..m.width {
        let first = (y + QUIET_ZONE) * PNG_SCALE * stride;
        let row = &m.rows[y * m.words..(y + 1) * m.words];
        let line = &mut img[first + QUIET_ZONE / 2..first + stride];
        // Bits at x >= width are 0, so an odd width ends on a light nibble.
        for (i, byte) in line.iter_mut().take(m.width.div_ceil(2)).enumerate() {
            let pair = (row[i / 32] >> (2 * (i % 32))) & 3;
            *byte = NIBBLES[pair as usize & 3];
        }
        for r in 1..PNG_SCALE {
            img.copy_within(first..first + stride, first + r * stride);
        }
    }

    let mut out = Vec::with_capacity(2048);
    let written = write_png(&mut out, side_u32, &img);
    img.zeroize();
    written?;
    Ok(out)
}

fn write_png(out: &mut Vec<u8>, side: u32, img: &[u8]) -> Result<(), QrError> {
    let mut enc = png::Encoder::new(out, side, side);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::One);
    // fdeflate with the Up filter: each module row repeats PNG_SCALE times and
    // Up turns the repeats into zero runs.
    enc.set_compression(png::Compression::Fastest);
    let mut writer = enc.write_header().map_err(png_error)?;
    writer.write_image_data(img).map_err(png_error)?;
    writer.finish().map_err(png_error)
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

/// Builds the crate's canvas with function patterns and data/EC codewords
/// placed, before masking. Returns the canvas and its width.
fn unmasked_canvas(text: &[u8]) -> Result<(Canvas, usize), QrError> {
    let bits = encode_auto(text, EcLevel::M)?;
    let version = bits.version();
    let width = usize::try_from(version.width())
        .map_err(|_| QrError::Encode("invalid symbol width".into()))?;
    let mut raw = bits.into_bytes();
    let codewords = construct_codewords(&raw, version, EcLevel::M);
    raw.zeroize();
    let (mut data, mut ec) = codewords?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    data.zeroize();
    ec.zeroize();
    Ok((canvas, width))
}

/// Overwrites the canvas modules (they hold the codeword bits). Best effort:
/// `black_box` keeps the stores from being elided as dead before the drop.
fn scrub_canvas(canvas: &mut Canvas, width: usize) {
    let w = i16::try_from(width).unwrap_or(0);
    for y in 0..w {
        for x in 0..w {
            *canvas.get_mut(x, y) = Module::Empty;
        }
    }
    std::hint::black_box(&canvas);
}

/// One row or column, bit i = module i, set = dark. Bits at i >= width are 0.
type Line<const N: usize> = [u64; N];

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
    fn from_canvas(canvas: &Canvas, width: usize) -> Self {
        let mut s = Self {
            width,
            rows: vec![[0; N]; width],
            cols: vec![[0; N]; width],
            data_rows: vec![[0; N]; width],
            data_cols: vec![[0; N]; width],
        };
        let w = i16::try_from(width).unwrap_or(0);
        for (y, yi) in (0..w).enumerate() {
            for (x, xi) in (0..w).enumerate() {
                // Empty = remainder bits, which are 0: light data modules.
                let (dark, data) = match canvas.get(xi, yi) {
                    Module::Empty => (false, true),
                    Module::Unmasked(c) => (c == Color::Dark, true),
                    Module::Masked(c) => (c == Color::Dark, false),
                };
                if dark {
                    s.rows[y][x / 64] |= 1 << (x % 64);
                    s.cols[x][y / 64] |= 1 << (y % 64);
                }
                if data {
                    s.data_rows[y][x / 64] |= 1 << (x % 64);
                    s.data_cols[x][y / 64] |= 1 << (y % 64);
                }
            }
        }
        s
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

/// Scores all eight masks and returns the symbol with the first one of lowest
/// penalty (the crate's `min_by_key` order), that mask, and all scores.
fn select_mask<const N: usize>(canvas: &Canvas, width: usize) -> (QrMatrix, usize, [u32; 8]) {
    let mut sym = Unmasked::<N>::from_canvas(canvas, width);
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
    sym.rows.zeroize();
    sym.cols.zeroize();
    (matrix, best, scores)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::canvas::MaskPattern;
    use qrcode::QrCode;

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
        let (canvas, w) = unmasked_canvas(text).expect("corpus text fits");
        match w.div_ceil(64) {
            1 => select_mask::<1>(&canvas, w),
            2 => select_mask::<2>(&canvas, w),
            _ => select_mask::<3>(&canvas, w),
        }
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

    fn check_scores<const N: usize>(canvas: &Canvas, w: usize, text_no: usize) {
        let sym = Unmasked::<N>::from_canvas(canvas, w);
        let (_, best, scores) = select_mask::<N>(canvas, w);
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
            let (canvas, w) = unmasked_canvas(text).expect("fits");
            match w.div_ceil(64) {
                1 => check_scores::<1>(&canvas, w, n),
                2 => check_scores::<2>(&canvas, w, n),
                _ => check_scores::<3>(&canvas, w, n),
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
            let mut decoder = png::Decoder::new(std::io::Cursor::new(&png_bytes));
            decoder.set_transformations(png::Transformations::EXPAND);
            let mut reader = decoder.read_info().expect("valid PNG");
            let mut buf = vec![0; reader.output_buffer_size().expect("size")];
            let info = reader.next_frame(&mut buf).expect("valid PNG");
            let side = (m.width() + 2 * QUIET_ZONE) * PNG_SCALE;
            assert_eq!((info.width as usize, info.height as usize), (side, side));
            assert_eq!(info.color_type, png::ColorType::Grayscale);
            for py in 0..side {
                for px in 0..side {
                    let (mx, my) = (px / PNG_SCALE, py / PNG_SCALE);
                    let is_dark = mx >= QUIET_ZONE
                        && my >= QUIET_ZONE
                        && m.is_dark(mx - QUIET_ZONE, my - QUIET_ZONE);
                    let expected = if is_dark { 0 } else { 255 };
                    assert_eq!(buf[py * info.line_size + px], expected, "pixel {px},{py}");
                }
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
