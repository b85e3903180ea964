//! The codewords to place: the `qrcode` crate's data analysis, version
//! selection (level M) and Reed-Solomon blocks, as one bit stream.

use qrcode::bits::encode_auto;
use qrcode::ec::construct_codewords;
use qrcode::{EcLevel, Version};
use zeroize::Zeroize;

use super::QrError;

/// The version (1..=40) and the interleaved data and EC codewords, in
/// placement order. Zeroized on drop.
pub(super) struct Codewords {
    pub(super) version: usize,
    data: Vec<u8>,
    ec: Vec<u8>,
}

impl Codewords {
    pub(super) fn new(text: &[u8]) -> Result<Self, QrError> {
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
    pub(super) fn width(&self) -> usize {
        17 + 4 * self.version
    }

    /// The codeword bits as one bit string, least significant bit first: bit
    /// i of the stream (the crate's placement order: codewords in order, most
    /// significant bit of each first) is bit i % 64 of word i / 64.
    /// Zero-padded to whole words.
    pub(super) fn stream(&self) -> Vec<u64> {
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
