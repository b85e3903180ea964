//! The eight data masks (ISO/IEC 18004:2015 §7.8.2, Table 10) and the format
//! information (§7.9) of a masked symbol.

use super::bit_lines::Line;
use super::function_patterns::{FORMAT_MAIN, FORMAT_SIDE};
use super::placement::Unmasked;

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
pub(super) const FORMAT_M: [u16; 8] = [
    0x5412, 0x5125, 0x5e7c, 0x5b4b, 0x45f9, 0x40ce, 0x4f97, 0x4aa0,
];

impl<const N: usize> Unmasked<N> {
    /// Writes the symbol with mask `k` and its format information into `rows`
    /// and `cols` (each `width` long).
    pub(super) fn apply(&self, k: usize, rows: &mut [Line<N>], cols: &mut [Line<N>]) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::codewords::Codewords;
    use crate::qr::test_support::{corpus, crate_masked_grids, format_mask, words_for};

    fn check_every_mask<const N: usize>(text: &[u8], text_no: usize) {
        let sym = Unmasked::<N>::new(&Codewords::new(text).expect("fits"));
        let (grids, w) = crate_masked_grids(text);
        assert_eq!(sym.width, w, "input {text_no}");
        let mut rows = vec![[0; N]; w];
        let mut cols = vec![[0; N]; w];
        let bit = |l: &Line<N>, i: usize| (l[i / 64] >> (i % 64)) & 1 == 1;
        for (k, g) in grids.iter().enumerate() {
            assert_eq!(format_mask(g, w), Some(k), "input {text_no} mask {k}");
            sym.apply(k, &mut rows, &mut cols);
            for y in 0..w {
                for x in 0..w {
                    let dark = g[y * w + x];
                    assert_eq!(
                        bit(&rows[y], x),
                        dark,
                        "input {text_no} mask {k} at {x},{y}"
                    );
                    assert_eq!(
                        bit(&cols[x], y),
                        dark,
                        "input {text_no} mask {k} at {x},{y}"
                    );
                }
            }
        }
    }

    /// For every input and every mask k, the masked symbol (rows and
    /// columns, with format information) equals the crate's canvas after
    /// `apply_mask(k)`.
    #[test]
    fn masked_symbols_equal_the_crates_for_every_mask() {
        for (n, text) in corpus().iter().enumerate() {
            match words_for(text) {
                1 => check_every_mask::<1>(text, n),
                2 => check_every_mask::<2>(text, n),
                _ => check_every_mask::<3>(text, n),
            }
        }
    }
}
