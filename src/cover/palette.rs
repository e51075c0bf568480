//! The cover's colours, chosen from the title's seed.
//!
//! A seed picks a hue and one of two schemes, dark (deep background, pale
//! ink) or light (paper background, dark ink). The ink's lightness is then
//! moved away from the background until the WCAG 2 contrast ratio between
//! them is at least [`MIN_CONTRAST`], so every title, however unlucky its
//! hue, gets readable text.

use std::fmt;

/// The least contrast ratio between text and anything behind it: WCAG 2
/// success criterion 1.4.3 (level AA) for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb {
    /// Red, 0 to 255.
    pub r: u8,
    /// Green, 0 to 255.
    pub g: u8,
    /// Blue, 0 to 255.
    pub b: u8,
}

impl fmt::Display for Rgb {
    /// The SVG form, `#rrggbb`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// The colours of one cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Fills the whole cover.
    pub background: Rgb,
    /// A shade close to the background for large quiet shapes; text may
    /// sit on it, so the ink contrasts with it too.
    pub tint: Rgb,
    /// Every piece of text.
    pub ink: Rgb,
    /// Rules and ornaments, never text.
    pub accent: Rgb,
}

/// A colour as hue (degrees), saturation and lightness (0 to 1).
#[derive(Debug, Clone, Copy)]
struct Hsl {
    hue: f64,
    saturation: f64,
    lightness: f64,
}

impl Palette {
    /// The palette for a seed (see [`super::seed`]).
    pub(super) fn from_seed(seed: &mut super::Seed) -> Palette {
        let hue = seed.below(360) as f64;
        let dark = seed.below(3) != 0;
        // Complementary or split-complementary accents read as deliberate
        // next to the background; nearer hues would look like a mistake.
        let accent_hue = (hue + [150.0, 180.0, 210.0][seed.below(3) as usize]) % 360.0;
        let (background, tint_shift, ink, accent) = if dark {
            (
                Hsl::new(hue, 0.42, 0.20),
                0.05,
                Hsl::new(hue, 0.30, 0.94),
                Hsl::new(accent_hue, 0.55, 0.66),
            )
        } else {
            (
                Hsl::new(hue, 0.32, 0.91),
                -0.05,
                Hsl::new(hue, 0.45, 0.14),
                Hsl::new(accent_hue, 0.50, 0.42),
            )
        };
        let tint = background.lighter(tint_shift);
        let backdrops = [background.to_rgb(), tint.to_rgb()];
        Palette {
            background: backdrops[0],
            tint: backdrops[1],
            ink: readable_ink(ink, &backdrops),
            accent: accent.to_rgb(),
        }
    }
}

/// `ink`, made lighter or darker (away from the backdrops) until it
/// contrasts enough with each of them.
fn readable_ink(ink: Hsl, backdrops: &[Rgb]) -> Rgb {
    let darken = backdrops
        .iter()
        .all(|&b| relative_luminance(b) > relative_luminance(ink.to_rgb()));
    let step = if darken { -0.02 } else { 0.02 };
    let mut candidate = ink;
    for _ in 0..=50 {
        let rgb = candidate.to_rgb();
        if least_contrast(rgb, backdrops) >= MIN_CONTRAST {
            return rgb;
        }
        candidate = candidate.lighter(step);
    }
    // Against any colour, black or white reaches at least 4.58:1; only a
    // tint far from its background could defeat both, and then the better
    // of the two is still the most readable choice.
    let black = Rgb { r: 0, g: 0, b: 0 };
    let white = Rgb {
        r: 255,
        g: 255,
        b: 255,
    };
    if least_contrast(black, backdrops) >= least_contrast(white, backdrops) {
        black
    } else {
        white
    }
}

fn least_contrast(ink: Rgb, backdrops: &[Rgb]) -> f64 {
    backdrops
        .iter()
        .map(|&b| contrast_ratio(ink, b))
        .fold(f64::INFINITY, f64::min)
}

/// The WCAG 2 contrast ratio, from 1 (same luminance) to 21 (black on
/// white).
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    let (lighter, darker) = if la >= lb { (la, lb) } else { (lb, la) };
    (lighter + 0.05) / (darker + 0.05)
}

/// WCAG 2 relative luminance: the sRGB channels made linear and weighted
/// by how bright each looks.
pub fn relative_luminance(c: Rgb) -> f64 {
    let linear = |channel: u8| {
        let v = f64::from(channel) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b)
}

impl Hsl {
    fn new(hue: f64, saturation: f64, lightness: f64) -> Hsl {
        Hsl {
            hue,
            saturation,
            lightness,
        }
    }

    fn lighter(self, by: f64) -> Hsl {
        Hsl {
            lightness: (self.lightness + by).clamp(0.0, 1.0),
            ..self
        }
    }

    fn to_rgb(self) -> Rgb {
        let chroma = (1.0 - (2.0 * self.lightness - 1.0).abs()) * self.saturation;
        let sector = (self.hue.rem_euclid(360.0)) / 60.0;
        let x = chroma * (1.0 - (sector % 2.0 - 1.0).abs());
        let (r, g, b) = match sector as u8 {
            0 => (chroma, x, 0.0),
            1 => (x, chroma, 0.0),
            2 => (0.0, chroma, x),
            3 => (0.0, x, chroma),
            4 => (x, 0.0, chroma),
            _ => (chroma, 0.0, x),
        };
        let m = self.lightness - chroma / 2.0;
        let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
        Rgb {
            r: byte(r),
            g: byte(g),
            b: byte(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_of_black_on_white_is_21() {
        let black = Rgb { r: 0, g: 0, b: 0 };
        let white = Rgb {
            r: 255,
            g: 255,
            b: 255,
        };
        assert!((contrast_ratio(black, white) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio(white, white) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn hsl_primaries_convert_exactly() {
        assert_eq!(Hsl::new(0.0, 1.0, 0.5).to_rgb(), Rgb { r: 255, g: 0, b: 0 });
        assert_eq!(
            Hsl::new(120.0, 1.0, 0.5).to_rgb(),
            Rgb { r: 0, g: 255, b: 0 }
        );
        assert_eq!(
            Hsl::new(240.0, 1.0, 0.25).to_rgb(),
            Rgb { r: 0, g: 0, b: 128 }
        );
    }

    #[test]
    fn ink_is_pushed_until_it_contrasts() {
        // Mid-grey ink on a mid-grey background starts at 1:1.
        let grey = Hsl::new(0.0, 0.0, 0.5);
        let ink = readable_ink(grey, &[grey.to_rgb()]);
        assert!(contrast_ratio(ink, grey.to_rgb()) >= MIN_CONTRAST);
    }

    #[test]
    fn every_hue_and_scheme_has_readable_ink() {
        for n in 0..2000u64 {
            let mut seed = super::super::Seed::new(n);
            let p = Palette::from_seed(&mut seed);
            assert!(contrast_ratio(p.ink, p.background) >= MIN_CONTRAST, "{p:?}");
            assert!(contrast_ratio(p.ink, p.tint) >= MIN_CONTRAST, "{p:?}");
        }
    }
}
