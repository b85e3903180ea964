//! Function patterns (ISO/IEC 18004:2015 §6.3): finder patterns with their
//! separators, alignment and timing patterns, the reserved format areas, the
//! dark module and the version information, drawn into row bit planes in the
//! qrcode crate's order.

use super::bit_lines::Line;

/// Alignment pattern centre coordinates for versions 7..=40 (ISO/IEC
/// 18004:2015 Annex E; the same table as the qrcode crate).
static ALIGNMENT_POSITIONS: [&[u8]; 34] = [
    &[6, 22, 38],
    &[6, 24, 42],
    &[6, 26, 46],
    &[6, 28, 50],
    &[6, 30, 54],
    &[6, 32, 58],
    &[6, 34, 62],
    &[6, 26, 46, 66],
    &[6, 26, 48, 70],
    &[6, 26, 50, 74],
    &[6, 30, 54, 78],
    &[6, 30, 56, 82],
    &[6, 30, 58, 86],
    &[6, 34, 62, 90],
    &[6, 28, 50, 72, 94],
    &[6, 26, 50, 74, 98],
    &[6, 30, 54, 78, 102],
    &[6, 28, 54, 80, 106],
    &[6, 32, 58, 84, 110],
    &[6, 30, 58, 86, 114],
    &[6, 34, 62, 90, 118],
    &[6, 26, 50, 74, 98, 122],
    &[6, 30, 54, 78, 102, 126],
    &[6, 26, 52, 78, 104, 130],
    &[6, 30, 56, 82, 108, 134],
    &[6, 34, 60, 86, 112, 138],
    &[6, 30, 58, 86, 114, 142],
    &[6, 34, 62, 90, 118, 146],
    &[6, 30, 54, 78, 102, 126, 150],
    &[6, 24, 50, 76, 102, 128, 154],
    &[6, 28, 54, 80, 106, 132, 158],
    &[6, 32, 58, 84, 110, 136, 162],
    &[6, 26, 54, 82, 110, 138, 166],
    &[6, 30, 58, 86, 114, 142, 170],
];

/// BCH-coded version information for versions 7..=40 (ISO/IEC 18004:2015
/// Annex D, Table D.1).
static VERSION_INFO: [u32; 34] = [
    0x07c94, 0x085bc, 0x09a99, 0x0a4d3, 0x0bbf6, 0x0c762, 0x0d847, 0x0e60d, 0x0f928, 0x10b78,
    0x1145d, 0x12a17, 0x13532, 0x149a6, 0x15683, 0x168c9, 0x177ec, 0x18ec4, 0x191e1, 0x1afab,
    0x1b08e, 0x1cc1a, 0x1d33f, 0x1ed75, 0x1f250, 0x209d5, 0x216f0, 0x228ba, 0x2379f, 0x24b0b,
    0x2542e, 0x26a64, 0x27541, 0x28c69,
];

/// Function patterns being drawn: `dark` and `func` (set = function module)
/// bit planes, rows of `N` words.
pub(super) struct Functions<const N: usize> {
    pub(super) width: usize,
    pub(super) dark: Vec<Line<N>>,
    pub(super) func: Vec<Line<N>>,
}

impl<const N: usize> Functions<N> {
    /// Maps a coordinate, negative = from the far edge, like the crate's
    /// `Canvas`; callers pass |c| < width.
    fn at(&self, c: i32) -> usize {
        let c = if c < 0 { c + self.width as i32 } else { c };
        usize::try_from(c).unwrap_or(usize::MAX)
    }

    /// Marks (x, y) as a function module of the given colour (the crate's
    /// `Canvas::put`); coordinates outside the symbol are ignored.
    fn put(&mut self, x: i32, y: i32, dark: bool) {
        let (x, y) = (self.at(x), self.at(y));
        if x >= self.width || y >= self.width {
            return;
        }
        let (word, bit) = (x / 64, 1u64 << (x % 64));
        self.func[y][word] |= bit;
        if dark {
            self.dark[y][word] |= bit;
        } else {
            self.dark[y][word] &= !bit;
        }
    }

    fn is_func(&self, x: i32, y: i32) -> bool {
        let (x, y) = (self.at(x), self.at(y));
        x < self.width && y < self.width && (self.func[y][x / 64] >> (x % 64)) & 1 == 1
    }

    /// The crate's `draw_all_functional_patterns` for a normal version, in
    /// the same order (later patterns overwrite earlier ones the same way).
    pub(super) fn new(version: usize) -> Self {
        let width = 17 + 4 * version;
        let mut f = Self {
            width,
            dark: vec![[0; N]; width],
            func: vec![[0; N]; width],
        };
        // Finder patterns with their light separators.
        for (cx, cy) in [(3, 3), (-4, 3), (3, -4)] {
            let (left, right) = if cx >= 0 { (-3, 4) } else { (-4, 3) };
            let (top, bottom) = if cy >= 0 { (-3, 4) } else { (-4, 3) };
            for j in top..=bottom {
                for i in left..=right {
                    let ring = i32::max(i32::abs(i), i32::abs(j));
                    f.put(cx + i, cy + j, ring != 4 && ring != 2);
                }
            }
        }
        // Alignment patterns, skipped where the centre is already taken.
        let alignment = |f: &mut Self, cx: i32, cy: i32| {
            if f.is_func(cx, cy) {
                return;
            }
            for j in -2..=2 {
                for i in -2..=2 {
                    let ring = i32::max(i32::abs(i), i32::abs(j));
                    f.put(cx + i, cy + j, ring != 1);
                }
            }
        };
        match version {
            1 => {}
            2..=6 => alignment(&mut f, -7, -7),
            _ => {
                let positions = ALIGNMENT_POSITIONS.get(version - 7).copied().unwrap_or(&[]);
                for &x in positions {
                    for &y in positions {
                        alignment(&mut f, i32::from(x), i32::from(y));
                    }
                }
            }
        }
        // Format information areas, reserved light, and the dark module.
        for (&(x1, y1), &(x2, y2)) in FORMAT_MAIN.iter().zip(&FORMAT_SIDE) {
            f.put(i32::from(x1), i32::from(y1), false);
            f.put(i32::from(x2), i32::from(y2), false);
        }
        f.put(8, -8, true);
        // Timing patterns, dark on even coordinates.
        let end = width as i32 - 9;
        for i in 8..=end {
            f.put(i, 6, i % 2 == 0);
            f.put(6, i, i % 2 == 0);
        }
        // Version information, most significant bit first.
        if let Some(&info) = VERSION_INFO.get(version.wrapping_sub(7)) {
            for i in 0..18 {
                let dark = (info >> (17 - i)) & 1 == 1;
                let (a, b) = (5 - i / 3, -9 - i % 3);
                f.put(a, b, dark);
                f.put(b, a, dark);
            }
        }
        f
    }
}

/// Positions (x, y) of format bits 14 (first) down to 0 around the top-left
/// finder pattern; negative coordinates count from the far edge. Same
/// placement as the qrcode crate.
pub(super) const FORMAT_MAIN: [(i16, i16); 15] = [
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
/// The second copy of format bits 14 (first) down to 0: up column 8 beside
/// the bottom-left finder pattern (bits 14..=8), then along row 8 below the
/// top-right one (bits 7..=0).
pub(super) const FORMAT_SIDE: [(i16, i16); 15] = [
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
