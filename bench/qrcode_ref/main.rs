//! Rust-side QR timing for iamlite's benchmark (built by bench/run.py in a scratch crate under
//! /tmp that depends on iamlite by path with `default-features = false`, and on the `qrcode`
//! crate iamlite itself uses; iamlite's Cargo.toml is not touched).
//!
//! Rows, interleaved round-robin so machine noise hits all of them alike:
//!   iamlite_png      `iamlite::qr::png_for(uri)`: QR matrix with iamlite's one-pass mask choice + PNG
//!   iamlite_matrix   `iamlite::qr::encode(uri)`: the matrix alone
//!   crate_matrix     `qrcode::QrCode::with_error_correction_level(uri, M)`: the crate's default
//!                    mask search (`Canvas::apply_best_mask`: 8 canvas clones, module-by-module scoring)
//!   crate_png        crate_matrix + the same 1-bit PNG (4 px/module, 4-module quiet zone,
//!                    png crate, Compression::Fastest) iamlite writes
//!
//! Usage: qrcode_ref ROUNDS  → one JSON object on stdout: {"row": [ns per call, ...], ...}
//!        qrcode_ref ROUNDS profile → only `iamlite::qr::png_for`, ROUNDS times (for `perf record`)

use std::hint::black_box;
use std::time::Instant;

use qrcode::{Color, EcLevel, QrCode};

fn crate_png(uri: &[u8]) -> Vec<u8> {
    let code = QrCode::with_error_correction_level(uri, EcLevel::M).expect("fits");
    let w = code.width();
    let colors = code.to_colors();
    let side = (w + 8) * 4;
    let stride = side.div_ceil(8);
    let mut img = vec![0xffu8; stride * side];
    for y in 0..w {
        let first = (y + 4) * 4 * stride;
        for x in 0..w {
            if colors[y * w + x] == Color::Dark {
                let byte = first + 2 + x / 2;
                img[byte] &= if x % 2 == 0 { 0x0f } else { 0xf0 };
            }
        }
        for r in 1..4 {
            img.copy_within(first..first + stride, first + r * stride);
        }
    }
    let mut out = Vec::with_capacity(2048);
    {
        let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        enc.set_compression(png::Compression::Fastest);
        enc.set_filter(png::Filter::Up);
        let mut writer = enc.write_header().expect("header");
        writer.write_image_data(&img).expect("data");
    }
    out
}

fn seed(i: u64) -> String {
    // Deterministic 64-character base32 text (the shape of a real seed).
    const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..64)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            B32[(x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 59) as usize] as char
        })
        .collect()
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let uris: Vec<String> = (0..rounds as u64)
        .map(|i| {
            iamlite::otpauth::uri(&format!("device-{i}"), "123456789012", &seed(i)).to_string()
        })
        .collect();
    if std::env::args().nth(2).as_deref() == Some("profile") {
        let t = Instant::now();
        for u in &uris {
            black_box(iamlite::qr::png_for(u.as_bytes()).expect("png"));
        }
        eprintln!("{:.1} us per png_for", t.elapsed().as_secs_f64() * 1e6 / rounds as f64);
        return;
    }
    let names = ["iamlite_png", "iamlite_matrix", "crate_matrix", "crate_png"];
    let mut times: Vec<Vec<u64>> = vec![Vec::with_capacity(rounds); names.len()];
    // Warm up caches and the allocator.
    for u in uris.iter().take(20) {
        black_box(iamlite::qr::png_for(u.as_bytes()).expect("png"));
        black_box(crate_png(u.as_bytes()));
    }
    for (i, u) in uris.iter().enumerate() {
        let b = u.as_bytes();
        for k in 0..names.len() {
            let row = (k + i) % names.len(); // rotate the order too
            let t = Instant::now();
            match row {
                0 => drop(black_box(iamlite::qr::png_for(b).expect("png"))),
                1 => drop(black_box(iamlite::qr::encode(b).expect("qr"))),
                2 => drop(black_box(
                    QrCode::with_error_correction_level(b, EcLevel::M).expect("qr"),
                )),
                _ => drop(black_box(crate_png(b))),
            }
            times[row].push(t.elapsed().as_nanos() as u64);
        }
    }
    let body: Vec<String> = names
        .iter()
        .zip(&times)
        .map(|(n, t)| {
            let list: Vec<String> = t.iter().map(u64::to_string).collect();
            format!("\"{n}\": [{}]", list.join(","))
        })
        .collect();
    println!("{{{}}}", body.join(", "));
}
