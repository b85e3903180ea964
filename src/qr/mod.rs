//! QR code generation for `otpauth://` provisioning URIs.
//!
//! Data analysis, segmentation, version selection and the Reed-Solomon
//! codewords come from the `qrcode` crate (error correction level M). The
//! rest is done here on bit-packed rows and columns (one bit per module),
//! one step per submodule:
//!
//! * `codewords`: the crate's interleaved codewords as one bit stream;
//! * `function_patterns`: finder, alignment and timing patterns, reserved
//!   format areas and version information, drawn in the crate's order;
//! * `placement`: the codeword bits placed into the other modules in the
//!   crate's order, giving the unmasked symbol (equal to the crate's
//!   `Canvas` after `draw_all_functional_patterns` and `draw_data`);
//! * `masking`: the eight data masks and the format information
//!   (ISO/IEC 18004:2015 §7.8.2, §7.9);
//! * `penalty`: the mask choice by the standard's penalty rules
//!   (§7.8.3.1, Table 11), ties going to the lowest mask number. This is
//!   the standard's choice, which is not always the qrcode crate's: the
//!   crate scores the dark/light balance (N4) on a linear scale of its own;
//! * `bit_lines`: the bit operations on rows and columns the above share;
//! * `png_writer` and `deflate`: the PNG, written directly as 1-bit
//!   grayscale, one zlib stream made of a single fixed-table "dynamic
//!   Huffman" deflate block in which each distinct scanline is sent once as
//!   literals and its repeats as one back-reference.
//!
//! The tests check all of this against the crate (modules for every mask),
//! against a module-by-module transcription of the penalty rules (scores and
//! choice), and against the `png` crate's decoder (pixels, CRCs, Adler-32).
//!
//! The encoded text carries a TOTP secret: no error message or `Debug` output
//! contains it. Buffers this module derives from it (bitstream, codewords, bit
//! planes, scanlines, `QrMatrix` on drop) are zeroized; temporaries inside the
//! `qrcode` crate are not, and neither is the returned PNG.

use std::fmt;

use zeroize::Zeroize;

mod bit_lines;
mod codewords;
mod deflate;
mod function_patterns;
mod masking;
mod penalty;
mod placement;
mod png_writer;
#[cfg(test)]
mod test_support;

use codewords::Codewords;
use penalty::select_mask;
use placement::Unmasked;
pub use png_writer::render_png;

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
/// holds it, with the data mask of lowest penalty by ISO/IEC 18004:2015
/// Table 11 (the lowest mask number on a tie).
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

#[cfg(test)]
mod tests {
    use super::test_support::{corpus, grid_of, Rng, BYTE_CAPACITY_M, LOWER};
    use super::*;

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
