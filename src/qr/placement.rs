//! The unmasked symbol: function patterns plus the codeword bits placed into
//! the remaining modules (ISO/IEC 18004:2015 §7.7.3), as row and column bit
//! planes.

use zeroize::Zeroize;

use super::bit_lines::{low_bits, transpose, zip, Line};
use super::codewords::Codewords;
use super::function_patterns::Functions;

/// The unmasked symbol as bit-packed rows and columns.
pub(super) struct Unmasked<const N: usize> {
    pub(super) width: usize,
    /// Module colours before masking; format areas light, dark module set.
    pub(super) rows: Vec<Line<N>>,
    pub(super) cols: Vec<Line<N>>,
    /// Set where the mask applies (data, EC and remainder modules).
    pub(super) data_rows: Vec<Line<N>>,
    pub(super) data_cols: Vec<Line<N>>,
}

impl<const N: usize> Unmasked<N> {
    /// Draws the function patterns, then the codeword bits into the other
    /// modules: the crate's `draw_data` order, two-module-wide strips from
    /// the right, alternately upwards and downwards, skipping the vertical
    /// timing pattern column 6; right module before left one. Modules left
    /// over after the last codeword bit (remainder bits) stay light.
    pub(super) fn new(cw: &Codewords) -> Self {
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
}

impl<const N: usize> Drop for Unmasked<N> {
    fn drop(&mut self) {
        self.rows.zeroize();
        self.cols.zeroize();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::test_support::{corpus, crate_canvas, words_for, Rng};
    use qrcode::canvas::{Canvas, Module};
    use qrcode::Color;

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

    fn check_unmasked<const N: usize>(text: &[u8], text_no: usize) {
        let (canvas, w) = crate_canvas(text);
        let sym = Unmasked::<N>::new(&Codewords::new(text).expect("fits"));
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
    }

    /// Function patterns and codeword placement equal the crate's
    /// `draw_all_functional_patterns` + `draw_data`, for every version (both
    /// placement paths).
    #[test]
    fn unmasked_symbol_equals_the_crates_canvas() {
        for (n, text) in corpus().iter().enumerate() {
            match words_for(text) {
                1 => check_unmasked::<1>(text, n),
                2 => check_unmasked::<2>(text, n),
                _ => check_unmasked::<3>(text, n),
            }
        }
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
}
