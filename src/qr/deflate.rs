//! The deflate (RFC 1951) side of the PNG writer: one fixed "dynamic Huffman"
//! code suited to 1-bit QR scanlines, its block header built at compile
//! time, and a bit writer for literals and back-references.

/// Code lengths of the literal/length alphabet (0..=285): the four bytes
/// that occur in scanlines get 2 or 3 bits, every other symbol 10 or 11, so
/// any byte and any length stays encodable. Complete (Kraft sum 1).
pub(super) const LIT_LENGTHS: [u8; 286] = {
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
pub(super) const fn canonical<const K: usize>(lengths: &[u8; K]) -> [u16; K] {
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

/// Length of the block header in bytes, rounded up.
pub(super) fn header_len() -> usize {
    HEADER.bits.div_ceil(8)
}

/// Deflate bit stream writer, least significant bit first, appending to a
/// byte vector.
pub(super) struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    /// Pending bits, `n < 32` of them between calls.
    acc: u64,
    n: u32,
}

impl<'a> BitWriter<'a> {
    pub(super) fn new(out: &'a mut Vec<u8>) -> Self {
        Self { out, acc: 0, n: 0 }
    }

    /// Appends the `len` (≤ 32) low bits of `bits`.
    #[inline(always)]
    pub(super) fn push(&mut self, bits: u64, len: u32) {
        self.acc |= bits << self.n;
        self.n += len;
        if self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    pub(super) fn header(&mut self) {
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
    pub(super) fn literal(&mut self, b: u8) {
        self.symbol(usize::from(b));
    }

    /// Copies `len` (≥ 3) bytes from `dist` (1..=32768) back, as as many
    /// length/distance pairs as needed (each covers 3..=258 bytes).
    pub(super) fn copy(&mut self, len: usize, dist: usize) {
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

    pub(super) fn end_of_block(&mut self) {
        self.symbol(256);
    }

    /// Flushes the pending bits, padding the last byte with zeros.
    pub(super) fn finish(self) {
        let bytes = self.n.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.acc.to_le_bytes()[..bytes]);
    }
}
