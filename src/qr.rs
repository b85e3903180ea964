//! TEMPORARY placeholder (the fast-mask module replaces this file): QR via the qrcode crate's
//! own mask search, rendered to PNG/SVG.

use qrcode::{Color, EcLevel, QrCode};

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("the data is too long for a QR code")]
    DataTooLong,
    #[error("QR encoding failed: {0}")]
    Encode(String),
}

pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl std::fmt::Debug for QrMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "QrMatrix({}x{})", self.width, self.width)
    }
}

impl QrMatrix {
    pub fn width(&self) -> usize {
        self.width
    }
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }
}

pub fn encode(text: &[u8]) -> Result<QrMatrix, QrError> {
    let code = QrCode::with_error_correction_level(text, EcLevel::M).map_err(|e| match e {
        qrcode::types::QrError::DataTooLong => QrError::DataTooLong,
        other => QrError::Encode(other.to_string()),
    })?;
    Ok(QrMatrix {
        width: code.width(),
        dark: code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect(),
    })
}

const QUIET: usize = 4;
const SCALE: usize = 4;

pub fn render_png(m: &QrMatrix) -> Result<Vec<u8>, QrError> {
    let side = (m.width() + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for y in 0..m.width() {
        for x in 0..m.width() {
            if m.is_dark(x, y) {
                for dy in 0..SCALE {
                    let row = ((y + QUIET) * SCALE + dy) * side;
                    for dx in 0..SCALE {
                        pixels[row + (x + QUIET) * SCALE + dx] = 0;
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc
            .write_header()
            .map_err(|e| QrError::Encode(e.to_string()))?;
        w.write_image_data(&pixels)
            .map_err(|e| QrError::Encode(e.to_string()))?;
    }
    Ok(out)
}

pub fn render_svg(m: &QrMatrix) -> String {
    let side = m.width() + 2 * QUIET;
    let mut path = String::new();
    for y in 0..m.width() {
        for x in 0..m.width() {
            if m.is_dark(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET, y + QUIET));
            }
        }
    }
    format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>")
}

pub fn png_for(text: &[u8]) -> Result<Vec<u8>, QrError> {
    render_png(&encode(text)?)
}
