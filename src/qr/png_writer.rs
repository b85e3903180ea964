//! PNG output: signature, IHDR, one IDAT (a zlib stream holding one deflate
//! block, see `deflate`) and IEND, with the CRC-32 and Adler-32 checksums
//! computed here.

use zeroize::Zeroize;

use super::deflate::{canonical, header_len, BitWriter, LIT_LENGTHS};
use super::{QrError, QrMatrix, PNG_SCALE, QUIET_ZONE};

/// Renders a 1-bit grayscale PNG: [`PNG_SCALE`] pixels per module, a
/// [`QUIET_ZONE`]-module light border, dark = 0, light = 1.
///
/// Every scanline uses filter type 0 (None). The image data is one deflate
/// block with the fixed Huffman code of `deflate`: the first scanline of each
/// module row as literals (unless it equals the previous module row's), then
/// its repeats as a back-reference at a distance of one scanline.
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
    let fixed = 8 + 25 + 12 + 2 + header_len() + 2 + 4 + 12 + 8;
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
    use crate::qr::test_support::{corpus, otpauth, Rng, LOWER};
    use crate::qr::{encode, png_for};

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
}
