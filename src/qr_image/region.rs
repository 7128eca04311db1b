//! Where a small code might be in a large photo.
//!
//! A sticker a few hundred pixels wide in a 6 MP photo has 1-2 px modules
//! once the photo is shrunk for detection, and the detector fails on the
//! whole photo at full resolution too: its finder-pattern search is thrown by
//! everything else in the frame, and a code that small needs enlarging. So
//! the shrunk photo is searched for the patches a code makes (strong contrast
//! in every few pixels, over a roughly square area), and each is cut out of
//! the full-resolution photo and read on its own.

use super::prepare::{otsu, scale, with_border};
use image::GrayImage;

/// Side of the square cells whose contrast is measured, in the shrunk photo's
/// pixels: 2-6 modules of a code small enough to need this search.
const CELL: u32 = 8;
/// A cell counts as "busy" when its darkest and lightest pixels differ by at
/// least this, and by a third of the photo's strongest contrasts: ink on
/// paper, not the grain of a counter or a wall.
const MIN_CONTRAST: u8 = 40;
/// How many patches are read, most code-like first: each costs a few detector
/// runs on a crop, so this bounds the time a photo without a code takes.
pub(crate) const MAX_REGIONS: usize = 4;

/// The sizes a cut-out is read at. The detector misses a small code at one
/// size and reads it at another, with no size best for every code: on 160
/// small codes made from the shared images (8 images, 240-360 px wide, three
/// places in a 3000×2000 photo, some under a shadow), these three sizes, each
/// as it is and after Otsu's threshold, read every one; no two did.
const SCALES: [f32; 3] = [1.0, 1.5, 2.0];
/// No picture of a cut-out is larger than this on its long side: the
/// detector's time grows with the pixels (a 6 MP cut-out of a 40 MP photo
/// would take a second), and a code this big reads without enlarging.
const MAX_VIEW_SIDE: u32 = 1400;

/// A rectangle of the full-resolution photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// Up to `MAX_REGIONS` rectangles of a `full_width`×`full_height` photo
/// that `small` (the same photo, shrunk) shows busy, best first, each with a
/// margin for the code's quiet zone. Patches covering most of the photo are
/// left out: the whole photo has been tried already.
pub(crate) fn candidates(small: &GrayImage, full_width: u32, full_height: u32) -> Vec<Rect> {
    let (gw, gh) = (small.width().div_ceil(CELL), small.height().div_ceil(CELL));
    if gw < 3 || gh < 3 {
        return vec![];
    }
    let contrast = cell_contrast(small, gw, gh);
    let threshold = {
        let mut sorted = contrast.clone();
        sorted.sort_unstable();
        let strong = sorted[sorted.len() * 99 / 100];
        MIN_CONTRAST.max(strong / 3)
    };
    let busy: Vec<bool> = contrast.iter().map(|&c| c >= threshold).collect();
    // one cell of closing, so a code's quiet patches inside do not split it
    let joined = dilate(&busy, gw, gh);

    let sx = f64::from(full_width) / f64::from(small.width());
    let sy = f64::from(full_height) / f64::from(small.height());
    let mut found: Vec<(f64, Rect)> = components(&joined, gw, gh)
        .into_iter()
        .filter_map(|c| {
            // the bounding box of the busy cells themselves, not the dilation
            let (mut x0, mut y0, mut x1, mut y1, mut count) = (u32::MAX, u32::MAX, 0, 0, 0u32);
            for &i in &c {
                if busy[i] {
                    let (x, y) = (i as u32 % gw, i as u32 / gw);
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                    count += 1;
                }
            }
            let (w, h) = (x1.checked_sub(x0)? + 1, y1.checked_sub(y0)? + 1);
            // a code is at least 3 cells across and fills its box
            let square = f64::from(w.min(h)) / f64::from(w.max(h));
            let density = f64::from(count) / f64::from(w * h);
            if w < 3 || h < 3 || square < 0.3 || density < 0.3 {
                return None;
            }
            let rect = expand(
                (x0 * CELL, y0 * CELL, w * CELL, h * CELL),
                (sx, sy),
                (full_width, full_height),
            );
            let covers = u64::from(rect.width) * u64::from(rect.height) * 10
                >= u64::from(full_width) * u64::from(full_height) * 7;
            let empty = rect.width == 0 || rect.height == 0;
            (!covers && !empty).then_some((f64::from(count) * square * density, rect))
        })
        .collect();
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found
        .into_iter()
        .take(MAX_REGIONS)
        .map(|(_, r)| r)
        .collect()
}

/// The pictures of one cut-out to hand to the detector, in order, each size
/// made only when the ones before have failed. A cut-out too large to enlarge
/// is read once, shrunk to `MAX_VIEW_SIDE`.
pub(crate) fn views(crop: GrayImage) -> impl Iterator<Item = GrayImage> {
    let fit = MAX_VIEW_SIDE as f32 / crop.width().max(crop.height()).max(1) as f32;
    let sizes: Vec<f32> = if fit < 1.0 {
        vec![fit]
    } else {
        SCALES.into_iter().filter(|&k| k <= fit).collect()
    };
    sizes.into_iter().flat_map(move |k| {
        let sized = if k == 1.0 {
            crop.clone()
        } else {
            scale(&crop, k)
        };
        let thresholded = with_border(&otsu(&sized));
        [sized, thresholded]
    })
}

/// The difference between the lightest and darkest pixel of each cell.
fn cell_contrast(g: &GrayImage, gw: u32, gh: u32) -> Vec<u8> {
    let (mut lo, mut hi) = (
        vec![u8::MAX; (gw * gh) as usize],
        vec![0u8; (gw * gh) as usize],
    );
    for (y, row) in g.as_raw().chunks_exact(g.width() as usize).enumerate() {
        let base = (y as u32 / CELL * gw) as usize;
        for (x, &p) in row.iter().enumerate() {
            let i = base + x / CELL as usize;
            lo[i] = lo[i].min(p);
            hi[i] = hi[i].max(p);
        }
    }
    hi.iter()
        .zip(&lo)
        .map(|(h, l)| h.saturating_sub(*l))
        .collect()
}

fn dilate(cells: &[bool], gw: u32, gh: u32) -> Vec<bool> {
    let (gw, gh) = (gw as usize, gh as usize);
    let mut out = vec![false; cells.len()];
    for y in 0..gh {
        for x in 0..gw {
            if cells[y * gw + x] {
                for ny in y.saturating_sub(1)..(y + 2).min(gh) {
                    for nx in x.saturating_sub(1)..(x + 2).min(gw) {
                        out[ny * gw + nx] = true;
                    }
                }
            }
        }
    }
    out
}

/// The 4-connected groups of set cells, as lists of cell indices.
fn components(cells: &[bool], gw: u32, gh: u32) -> Vec<Vec<usize>> {
    let (gw, gh) = (gw as usize, gh as usize);
    let mut seen = vec![false; cells.len()];
    let mut out = vec![];
    for start in 0..cells.len() {
        if !cells[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        let mut group = vec![start];
        let mut next = 0;
        while let Some(&i) = group.get(next) {
            next += 1;
            let (x, y) = (i % gw, i / gw);
            let neighbours = [
                (x > 0).then(|| i - 1),
                (x + 1 < gw).then_some(i + 1),
                (y > 0).then(|| i - gw),
                (y + 1 < gh).then_some(i + gw),
            ];
            for n in neighbours.into_iter().flatten() {
                if cells[n] && !seen[n] {
                    seen[n] = true;
                    group.push(n);
                }
            }
        }
        out.push(group);
    }
    out
}

/// A box of the shrunk photo scaled to the full one, with a margin of a
/// quarter of its long side (the quiet zone, and cells the threshold missed
/// at the code's edge), clamped to the photo.
fn expand(
    (x, y, w, h): (u32, u32, u32, u32),
    (sx, sy): (f64, f64),
    (full_width, full_height): (u32, u32),
) -> Rect {
    let margin = f64::from(w.max(h)) / 4.0 + f64::from(CELL);
    let x0 = ((f64::from(x) - margin) * sx).max(0.0) as u32;
    let y0 = ((f64::from(y) - margin) * sy).max(0.0) as u32;
    let x1 = (((f64::from(x + w) + margin) * sx) as u32).min(full_width);
    let y1 = (((f64::from(y + h) + margin) * sy) as u32).min(full_height);
    Rect {
        x: x0.min(x1),
        y: y0.min(y1),
        width: x1.saturating_sub(x0),
        height: y1.saturating_sub(y0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    /// A grey 600×400 picture with a 64 px checkerboard patch at (400, 240).
    fn photo_with_patch() -> GrayImage {
        GrayImage::from_fn(600, 400, |x, y| {
            let inside = (400..464).contains(&x) && (240..304).contains(&y);
            Luma([if inside && (x / 4 + y / 4) % 2 == 0 {
                20
            } else if inside {
                230
            } else {
                150 + ((x * 7 + y * 13) % 20) as u8
            }])
        })
    }

    #[test]
    fn a_busy_square_patch_is_found_and_scaled_to_the_full_photo() {
        let found = candidates(&photo_with_patch(), 1800, 1200);
        assert_eq!(found.len(), 1, "{found:?}");
        let r = found[0];
        // the patch is 1200..1392 × 720..912 in the full photo, plus a margin
        assert!(r.x < 1200 && r.x + r.width > 1392, "{r:?}");
        assert!(r.y < 720 && r.y + r.height > 912, "{r:?}");
        assert!(r.width < 500 && r.height < 500, "{r:?}");
    }

    #[test]
    fn a_plain_or_tiny_picture_has_no_candidates() {
        assert!(candidates(&GrayImage::from_pixel(600, 400, Luma([200])), 600, 400).is_empty());
        assert!(candidates(&GrayImage::new(10, 10), 10, 10).is_empty());
        assert!(candidates(&GrayImage::new(1, 1), 1, 1).is_empty());
    }

    #[test]
    fn a_patch_covering_the_photo_is_left_to_the_whole_photo_attempts() {
        let board = GrayImage::from_fn(200, 200, |x, y| Luma([((x / 4 + y / 4) % 2 * 200) as u8]));
        assert!(candidates(&board, 200, 200).is_empty());
    }

    #[test]
    fn a_small_cut_out_is_read_at_three_sizes_and_a_large_one_shrunk_once() {
        let sides = |w, h| -> Vec<u32> {
            views(GrayImage::new(w, h))
                .map(|v| v.width().max(v.height()))
                .collect()
        };
        // each size as it is and thresholded with a border of an eighth + 8
        assert_eq!(sides(400, 300), [400, 516, 600, 766, 800, 1016]);
        assert_eq!(sides(800, 500), [800, 1016, 1200, 1516]);
        assert_eq!(sides(3000, 2000), [1400, 1766]);
        assert_eq!(sides(1, 1), [1, 17, 1, 17, 2, 18]);
    }

    #[test]
    fn margins_stay_inside_the_photo() {
        let r = expand((0, 0, 80, 80), (2.0, 2.0), (100, 100));
        assert_eq!(
            r,
            Rect {
                x: 0,
                y: 0,
                width: 100,
                height: 100
            }
        );
    }
}
