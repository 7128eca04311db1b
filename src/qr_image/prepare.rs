//! Ways of presenting a picture to the QR detector, cheapest first.
//!
//! `rqrr` binarises with its own adaptive threshold and finds a code by its
//! three finder patterns, so it fails on pictures that a phone reads easily:
//! a code cropped to its edge (no white around the finder patterns), a tiny
//! screenshot, a dark-mode screen. Each step below fixes one of those.

use image::imageops::{self, FilterType};
use image::{GrayImage, Luma};
use std::fmt;

/// One way of presenting the picture to the detector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preparation {
    /// The grayscale picture as decoded, transparency flattened onto white.
    AsIs,
    /// A white border added: a code cropped to its edge has no quiet zone.
    QuietZone,
    /// Cut out of the photo at its own resolution around a patch that looks
    /// like a code, and read as it is and thresholded at one, one and a half
    /// and two times its size (`region`): a small code in a large photo, too
    /// small once the photo is shrunk and lost among everything else in the
    /// frame at full size. Tried before the whole-photo thresholds: on a 6 MP
    /// photo a few cut-outs cost less than those six steps failing (a 360 px
    /// sticker read in 110-150 ms instead of 250-300, loaded machine), and a
    /// code filling the photo has no cut-out, so it loses nothing.
    Region,
    /// Otsu's global threshold, then a border: tinted or glaring stickers
    /// where the detector's local threshold breaks modules apart.
    Otsu,
    /// Each pixel against the mean of a block around it (imageproc's
    /// adaptive threshold), then a border: a shadow across the sticker, where
    /// no one threshold fits both halves. Blocks of a few modules…
    LocalThreshold,
    /// …and of about one module, for dense codes that fill the picture (on
    /// the shared images neither size reads every shadowed sticker alone).
    LocalThresholdFine,
    /// Half size, then a border: sensor noise and JPEG blocks in big photos.
    Half,
    /// Double size, then a border: screenshots with 1-2 px modules.
    Double,
    /// Light on dark, then a border: dark-mode screenshots.
    Inverted,
    /// The photo at its own resolution, when it was shrunk for speed and the
    /// code is too small in the frame to survive that.
    FullResolution,
}

impl Preparation {
    /// The order `scan` tries them in.
    pub const ALL: [Preparation; 10] = [
        Preparation::AsIs,
        Preparation::QuietZone,
        Preparation::Region,
        Preparation::Otsu,
        Preparation::LocalThreshold,
        Preparation::LocalThresholdFine,
        Preparation::Half,
        Preparation::Double,
        Preparation::Inverted,
        Preparation::FullResolution,
    ];

    /// The picture to hand to the detector, or `None` when this step does
    /// not apply (nothing to enlarge, no full-resolution original).
    pub(crate) fn apply(self, base: &GrayImage, original: Option<&GrayImage>) -> Option<GrayImage> {
        let long = base.width().max(base.height());
        match self {
            Preparation::AsIs => Some(base.clone()),
            Preparation::QuietZone => Some(with_border(base)),
            Preparation::Otsu => Some(with_border(&otsu(base))),
            Preparation::LocalThreshold => Some(local_threshold(base, long / 40)),
            // about a module of a QRIS filling the picture (65-73 modules wide)
            Preparation::LocalThresholdFine => Some(local_threshold(base, long / 100)),
            Preparation::Half => (long >= 400).then(|| with_border(&scale(base, 0.5))),
            Preparation::Double => (long <= 1000).then(|| with_border(&scale(base, 2.0))),
            Preparation::Inverted => {
                let mut inverted = base.clone();
                imageops::invert(&mut inverted);
                Some(with_border(&inverted))
            }
            // more than one picture: `scan` cuts them out and reads each
            Preparation::Region => None,
            Preparation::FullResolution => original.map(with_border),
        }
    }
}

impl fmt::Display for Preparation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Preparation::AsIs => "as decoded",
            Preparation::QuietZone => "with a white border",
            Preparation::Otsu => "thresholded (Otsu) with a white border",
            Preparation::LocalThreshold => "thresholded block by block with a white border",
            Preparation::LocalThresholdFine => "thresholded in small blocks with a white border",
            Preparation::Half => "at half size with a white border",
            Preparation::Double => "at double size with a white border",
            Preparation::Inverted => "inverted with a white border",
            Preparation::Region => "cut out around the code at full resolution",
            Preparation::FullResolution => "at full resolution with a white border",
        })
    }
}

/// A white border an eighth of the long side (at least 8 px): wider than the
/// 4-module quiet zone of any code that fills the picture.
pub(super) fn with_border(g: &GrayImage) -> GrayImage {
    let border = g.width().max(g.height()) / 8 + 8;
    let mut out =
        GrayImage::from_pixel(g.width() + 2 * border, g.height() + 2 * border, Luma([255]));
    imageops::replace(&mut out, g, i64::from(border), i64::from(border));
    out
}

fn local_threshold(g: &GrayImage, radius: u32) -> GrayImage {
    with_border(&imageproc::contrast::adaptive_threshold(
        g,
        radius.clamp(3, 64),
    ))
}

pub(super) fn scale(g: &GrayImage, factor: f32) -> GrayImage {
    let w = ((g.width() as f32 * factor) as u32).max(1);
    let h = ((g.height() as f32 * factor) as u32).max(1);
    imageops::resize(g, w, h, FilterType::Triangle)
}

/// Otsu's method: the global threshold that best separates ink from paper.
pub(super) fn otsu(g: &GrayImage) -> GrayImage {
    let mut hist = [0u64; 256];
    for p in g.pixels() {
        hist[usize::from(p[0])] += 1;
    }
    let total = (u64::from(g.width()) * u64::from(g.height())) as f64;
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut sum_dark, mut n_dark, mut best, mut threshold) = (0.0, 0.0, 0.0, 128u8);
    for (i, &c) in hist.iter().enumerate() {
        n_dark += c as f64;
        let n_light = total - n_dark;
        if n_dark == 0.0 {
            continue;
        }
        if n_light == 0.0 {
            break;
        }
        sum_dark += i as f64 * c as f64;
        let mean_dark = sum_dark / n_dark;
        let mean_light = (sum - sum_dark) / n_light;
        let between = n_dark * n_light * (mean_dark - mean_light).powi(2);
        if between > best {
            best = between;
            threshold = i as u8;
        }
    }
    let mut out = g.clone();
    for p in out.pixels_mut() {
        p[0] = if p[0] > threshold { 255 } else { 0 };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otsu_splits_two_grays_between_them() {
        let mut g = GrayImage::from_pixel(10, 10, Luma([200]));
        for x in 0..5 {
            for y in 0..10 {
                g.put_pixel(x, y, Luma([60]));
            }
        }
        let t = otsu(&g);
        assert_eq!(t.get_pixel(0, 0)[0], 0);
        assert_eq!(t.get_pixel(9, 9)[0], 255);
    }

    #[test]
    fn the_border_is_white_and_the_picture_is_centred() {
        let g = GrayImage::from_pixel(80, 40, Luma([0]));
        let b = with_border(&g);
        assert_eq!((b.width(), b.height()), (80 + 36, 40 + 36));
        assert_eq!(b.get_pixel(0, 0)[0], 255);
        assert_eq!(b.get_pixel(18, 18)[0], 0);
    }
}
