//! Rows and columns of a symbol as bit strings ([`Line`]) and the word-wise
//! operations on them that placement, masking and the penalty rules share.

use zeroize::Zeroize;

/// One row or column of a symbol up to `64 × N` modules wide: bit i (bit
/// i % 64 of word i / 64) is module i, set = dark (or, in the data planes,
/// set = the mask applies). Bits at i >= width are 0.
pub(super) type Line<const N: usize> = [u64; N];

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
pub(super) fn transpose<const N: usize>(rows: &[Line<N>]) -> Vec<Line<N>> {
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
pub(super) fn shr<const N: usize>(a: &Line<N>, k: u32) -> Line<N> {
    let mut r = [0; N];
    for i in 0..N {
        let carry = if i + 1 < N { a[i + 1] << (64 - k) } else { 0 };
        r[i] = (a[i] >> k) | carry;
    }
    r
}

/// Bit i of the result is bit i - k of `a` (0 for i < k). 1 <= k <= 63.
#[inline(always)]
pub(super) fn shl<const N: usize>(a: &Line<N>, k: u32) -> Line<N> {
    let mut r = [0; N];
    for i in 0..N {
        let carry = if i > 0 { a[i - 1] >> (64 - k) } else { 0 };
        r[i] = (a[i] << k) | carry;
    }
    r
}

/// Word-wise `f(a, b)`.
#[inline(always)]
pub(super) fn zip<const N: usize>(
    a: &Line<N>,
    b: &Line<N>,
    f: impl Fn(u64, u64) -> u64,
) -> Line<N> {
    let mut r = [0; N];
    for i in 0..N {
        r[i] = f(a[i], b[i]);
    }
    r
}

/// Number of set bits.
#[inline(always)]
pub(super) fn popcount<const N: usize>(a: &Line<N>) -> u32 {
    a.iter().map(|w| w.count_ones()).sum()
}

/// Bits 0..n set.
pub(super) fn low_bits<const N: usize>(n: usize) -> Line<N> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::test_support::Rng;

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
}
