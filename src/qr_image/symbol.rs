//! The module matrix of a QR code at error-correction level M.
//!
//! The `qrcode` crate segments and places the data; it would then spend
//! about 1 ms choosing the mask, evaluating the four penalty rules of
//! ISO/IEC 18004 §7.8.3 one module at a time for each of the eight masks.
//! Here the same rules, with the same arithmetic and tie-break, run on rows
//! and columns held as 128-bit words, about 3 µs a mask. The symbols are
//! identical to `qrcode::QrCode::with_error_correction_level(.., M)`; a test
//! checks that on every payload in the shared vectors and on random ones.
//! Codes wider than 128 modules (version 28 up, over ~1,000 bytes; a QRIS
//! is at most 512 characters, version 18 at worst) are left to `qrcode`.

use super::QrImageError;
use qrcode::canvas::{Canvas, Module};
use qrcode::types::QrError;
use qrcode::{bits, ec, Color, EcLevel, QrCode};

/// Format information for level M and masks 0-7 (ISO/IEC 18004 Table C.1),
/// most significant bit first, in the order `qrcode` numbers its masks.
const FORMAT_M: [u16; 8] = [
    0x5412, 0x5125, 0x5E7C, 0x5B4B, 0x45F9, 0x40CE, 0x4F97, 0x4AA0,
];
/// Where the two copies of the format information go, as (x, y); negative
/// counts from the far edge. The same coordinates `qrcode` draws them at.
const FORMAT_MAIN: [(i16, i16); 15] = [
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
const FORMAT_SIDE: [(i16, i16); 15] = [
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

/// The eight mask conditions, as `qrcode` orders them (x = column, y = row).
const fn mask_condition(mask: usize, x: usize, y: usize) -> bool {
    match mask {
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

/// Every mask condition repeats every 12 rows and every 12 columns (it uses
/// x and y mod 2 and mod 3, and y / 2 mod 2), so 12 rows of 128 modules per
/// mask (bit x of `TILES[m][y % 12]`) and 12 columns (bit y of
/// `TILES_T[m][x % 12]`) describe it for any symbol up to 128 modules wide.
const TILES: [[u128; 12]; 8] = tiles(false);
const TILES_T: [[u128; 12]; 8] = tiles(true);

const fn tiles(transposed: bool) -> [[u128; 12]; 8] {
    let mut t = [[0u128; 12]; 8];
    let mut mask = 0;
    while mask < 8 {
        let mut line = 0;
        while line < 12 {
            let mut word = 0u128;
            let mut i = 0;
            while i < 128 {
                let (x, y) = if transposed { (line, i) } else { (i, line) };
                if mask_condition(mask, x, y) {
                    word |= 1 << i;
                }
                i += 1;
            }
            t[mask][line] = word;
            line += 1;
        }
        mask += 1;
    }
    t
}

/// A QR symbol at level M: its modules, quiet zone not included. For
/// callers that draw it themselves (a receipt printer's raster).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    dark: Vec<bool>,
    side: usize,
}

impl Symbol {
    // Level M (15% of codewords recoverable) survives a smudged or glaring
    // screen. `qrcode` splits the payload into numeric, alphanumeric and
    // byte segments, so a 200-character QRIS (mostly digits and capitals) is
    // version 8, where single-mode `fast_qr` needs version 10 or 11.
    pub fn encode(payload: &str) -> Result<Symbol, QrImageError> {
        let too_long = |e: QrError| match e {
            QrError::DataTooLong => QrImageError::PayloadTooLong {
                bytes: payload.len(),
            },
            e => QrImageError::Encode(e.to_string()),
        };
        let data = bits::encode_auto(payload.as_bytes(), EcLevel::M).map_err(too_long)?;
        let version = data.version();
        let side = version.width() as usize;
        if side > 128 {
            let code =
                QrCode::with_error_correction_level(payload, EcLevel::M).map_err(too_long)?;
            let dark = code.to_colors().iter().map(|&c| c == Color::Dark).collect();
            return Ok(Symbol { dark, side });
        }
        let (codewords, ecc) =
            ec::construct_codewords(&data.into_bytes(), version, EcLevel::M).map_err(too_long)?;
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&codewords, &ecc);
        Ok(Symbol {
            dark: Unmasked::from_canvas(&canvas, side).best_masked(),
            side,
        })
    }

    /// Modules per side: 21 for version 1, 4 more per version.
    pub fn side(&self) -> usize {
        self.side
    }

    /// Whether the module in column `x`, row `y` is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.side + x]
    }
}

/// The placed data before masking, as bit rows and bit columns (bit x of
/// `rows[y]` is module (x, y); bit y of `cols[x]` is the same module).
struct Unmasked {
    side: usize,
    rows: Vec<u128>,
    cols: Vec<u128>,
    maskable_rows: Vec<u128>,
    maskable_cols: Vec<u128>,
}

impl Unmasked {
    fn from_canvas(canvas: &Canvas, side: usize) -> Unmasked {
        let mut u = Unmasked {
            side,
            rows: vec![0; side],
            cols: vec![0; side],
            maskable_rows: vec![0; side],
            maskable_cols: vec![0; side],
        };
        for y in 0..side {
            for x in 0..side {
                // function patterns are `Masked`; data is `Unmasked`; the
                // few remainder bits are `Empty`, light and maskable
                let (dark, maskable) = match canvas.get(x as i16, y as i16) {
                    Module::Empty => (false, true),
                    Module::Unmasked(c) => (c == Color::Dark, true),
                    Module::Masked(c) => (c == Color::Dark, false),
                };
                if dark {
                    u.rows[y] |= 1 << x;
                    u.cols[x] |= 1 << y;
                }
                if maskable {
                    u.maskable_rows[y] |= 1 << x;
                    u.maskable_cols[x] |= 1 << y;
                }
            }
        }
        u
    }

    /// The masked symbol with the lowest penalty; the first of equals, as in
    /// `qrcode`.
    fn best_masked(&self) -> Vec<bool> {
        let mut best: Option<(u32, Masked)> = None;
        for mask in 0..8 {
            let masked = self.masked(mask);
            let score = masked.penalty();
            if best.as_ref().is_none_or(|(s, _)| score < *s) {
                best = Some((score, masked));
            }
        }
        let (_, masked) = best.expect("eight masks");
        let n = self.side;
        let mut dark = Vec::with_capacity(n * n);
        for row in &masked.rows {
            dark.extend((0..n).map(|x| row >> x & 1 == 1));
        }
        dark
    }

    fn masked(&self, mask: usize) -> Masked {
        let n = self.side;
        let mut m = Masked {
            side: n,
            rows: (0..n)
                .map(|y| self.rows[y] ^ (self.maskable_rows[y] & TILES[mask][y % 12]))
                .collect(),
            cols: (0..n)
                .map(|x| self.cols[x] ^ (self.maskable_cols[x] & TILES_T[mask][x % 12]))
                .collect(),
        };
        // the reserved format area is light and not maskable: set its 1 bits
        let wrap = |v: i16| {
            if v < 0 {
                (n as i16 + v) as usize
            } else {
                v as usize
            }
        };
        for (k, (&main, &side)) in FORMAT_MAIN.iter().zip(FORMAT_SIDE.iter()).enumerate() {
            if FORMAT_M[mask] >> (14 - k) & 1 == 1 {
                for (x, y) in [main, side] {
                    let (x, y) = (wrap(x), wrap(y));
                    m.rows[y] |= 1 << x;
                    m.cols[x] |= 1 << y;
                }
            }
        }
        m
    }
}

struct Masked {
    side: usize,
    rows: Vec<u128>,
    cols: Vec<u128>,
}

impl Masked {
    /// `qrcode`'s penalty (its `compute_total_penalty_scores` for normal QR
    /// codes, less a constant it subtracts from rule 3).
    fn penalty(&self) -> u32 {
        let n = self.side;
        let all = if n == 128 {
            u128::MAX
        } else {
            (1u128 << n) - 1
        };
        let mut score = 0;
        for &line in self.rows.iter().chain(&self.cols) {
            score += runs_penalty(line, all) + runs_penalty(!line & all, all);
            score += finder_like_penalty(line, n);
        }
        // rule 2: every 2×2 block of one colour, overlaps counted
        let pairs = all >> 1; // a block starts at x = 0 ..= n - 2
        for w in self.rows.windows(2) {
            let dark = w[0] & w[1];
            let light = !w[0] & !w[1] & all;
            score += 3
                * ((dark & dark >> 1 & pairs).count_ones()
                    + (light & light >> 1 & pairs).count_ones());
        }
        // rule 4: distance of the dark share from 50%, as `qrcode` rounds it
        let dark: usize = self.rows.iter().map(|r| r.count_ones() as usize).sum();
        score + (dark * 200 / (n * n)).abs_diff(100) as u32
    }
}

/// Rule 1 for the set bits of one line: a run of L >= 5 scores L - 2. A run
/// has L - 4 positions that start five set bits, and one first such position.
fn runs_penalty(line: u128, all: u128) -> u32 {
    let five = line & line >> 1 & line >> 2 & line >> 3 & line >> 4;
    let first = five & !(five << 1) & all;
    five.count_ones() + 2 * first.count_ones()
}

/// Rule 3: 40 for each dark-light-dark-dark-dark-light-dark with four light
/// modules (or the edge) before it or after it.
fn finder_like_penalty(line: u128, n: usize) -> u32 {
    let b = line;
    let pattern = b & !(b >> 1) & b >> 2 & b >> 3 & b >> 4 & !(b >> 5) & b >> 6;
    let starts = (1u128 << (n - 6)) - 1; // the pattern fits at x = 0 ..= n - 7
    let light_before = !(b << 1 | b << 2 | b << 3 | b << 4);
    let light_after = !(b >> 7 | b >> 8 | b >> 9 | b >> 10);
    40 * (pattern & starts & (light_before | light_after)).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(payload: &str) -> Vec<bool> {
        QrCode::with_error_correction_level(payload, EcLevel::M)
            .unwrap()
            .to_colors()
            .iter()
            .map(|&c| c == Color::Dark)
            .collect()
    }

    #[test]
    fn runs_score_length_less_two() {
        let all = (1u128 << 20) - 1;
        assert_eq!(runs_penalty(0b1111, all), 0);
        assert_eq!(runs_penalty(0b11111, all), 3);
        assert_eq!(runs_penalty(0b1111111 << 3, all), 5);
        assert_eq!(runs_penalty(0b11111 | 0b111111 << 8, all), 3 + 4);
    }

    #[test]
    fn a_finder_like_pattern_needs_light_on_one_side() {
        // 1011101 at x = 4 with light all round, in a 20-module line
        assert_eq!(finder_like_penalty(0b1011101 << 4, 20), 40);
        // dark at x = 2 (before) and x = 12 (after): no light side
        assert_eq!(
            finder_like_penalty(0b1011101 << 4 | 1 << 2 | 1 << 12, 20),
            0
        );
        // against the edge counts as light
        assert_eq!(finder_like_penalty(0b1011101 | 1 << 8, 20), 40);
    }

    #[test]
    fn the_same_symbols_as_the_qrcode_crate() {
        for p in [
            "",
            "1",
            "HELLO WORLD",
            "https://example.com/pay?id=123",
            "00020101021126570011ID.DANA.WWW011893600915302259148102090225914810303UMI51440014ID.CO.QRIS.WWW0215ID10200176114730303UMI5204581253033605802ID5922Warung Sayur Bu Sugeng6010Kab. Demak61055956763041D2A",
        ] {
            let s = Symbol::encode(p).unwrap();
            assert_eq!(s.dark, reference(p), "{p:?}");
        }
    }

    #[test]
    fn wide_codes_are_left_to_the_qrcode_crate_and_match_it() {
        let p = "Kasir ".repeat(250); // 1500 bytes: version 32, 145 modules
        let s = Symbol::encode(&p).unwrap();
        assert!(s.side > 128);
        assert_eq!(s.dark, reference(&p));
    }
}
