//! The typefaces of the cover: shaping words and turning glyphs into
//! outlines.
//!
//! A cover is set in a chain of faces: the font the manifest names for
//! it, then the bundled EB Garamond, then the book's own fonts, then
//! fonts of the system (see `load`). Each character is set in the first
//! face that has it, so a Japanese title gets its kanji from a Japanese
//! font and its Latin letters from Garamond.
//!
//! Text is shaped a word at a time with rustybuzz, so kerning, ligatures
//! and Arabic joining come from the faces' own GPOS and GSUB tables; a
//! word in a right-to-left script is shaped right to left. Lines are then
//! laid out as words plus the first face's space advance (none between
//! two pieces of a Chinese or Japanese word), which makes the width
//! measured while wrapping exactly the width drawn. Every measure is in
//! the first face's units: glyphs of other faces are scaled to them.

use std::collections::BTreeMap;
use std::fmt::Write;

use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};
use rustybuzz::{Direction, Face, UnicodeBuffer};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use super::CoverError;
use crate::locale::{TextDirection, direction_of};

/// Drawn for a character no face has a glyph for, in this order of
/// preference. `load` refuses such text before a cover is drawn; this is
/// for the cover's own tests and for text bindery itself adds.
const PLACEHOLDERS: [char; 3] = ['\u{FFFD}', '\u{25A1}', '?'];

/// Put at the end of a piece of a word split where Chinese and Japanese
/// may break a line: no space goes after it.
pub const GLUE: char = '\u{2060}';

/// One glyph of a shaped word, in the first face's units from the word's
/// origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    pub face: usize,
    pub id: u16,
    pub x: i32,
    pub y: i32,
}

/// A word, shaped: its glyphs and how far it advances the pen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Run {
    pub glyphs: Vec<Glyph>,
    pub advance: i32,
}

/// The parsed faces, plus what is worth looking up only once.
pub struct Font<'a> {
    /// Each face, with the factor from its units to the first face's.
    faces: Vec<(Face<'a>, f64)>,
    placeholder: char,
    space: i32,
}

#[cfg(test)]
impl Font<'static> {
    /// The bundled font alone.
    pub fn bundled() -> Result<Font<'static>, CoverError> {
        Font::chain(&[(crate::typeface::BUNDLED, 0)])
    }
}

impl<'a> Font<'a> {
    /// Faces from font files (bytes and index in a collection), the first
    /// giving the metrics. A file that does not parse is an error.
    pub fn chain(files: &[(&'a [u8], u32)]) -> Result<Font<'a>, CoverError> {
        let mut faces = Vec::with_capacity(files.len());
        for (data, index) in files {
            faces.push(Face::from_slice(data, *index).ok_or(CoverError::Font)?);
        }
        let first = faces.first().ok_or(CoverError::Font)?;
        let units = f64::from(first.units_per_em());
        let faces: Vec<(Face<'a>, f64)> = faces
            .into_iter()
            .map(|face| {
                let scale = units / f64::from(face.units_per_em().max(1));
                (face, scale)
            })
            .collect();
        let placeholder = PLACEHOLDERS
            .into_iter()
            .find(|&c| faces.iter().any(|(face, _)| face.glyph_index(c).is_some()))
            .unwrap_or('?');
        let mut font = Font {
            faces,
            placeholder,
            space: 0,
        };
        font.space = font.shape(" ").advance;
        if font.space <= 0 {
            font.space = font.units_per_em() / 4;
        }
        Ok(font)
    }

    fn first(&self) -> Option<&Face<'a>> {
        self.faces.first().map(|(face, _)| face)
    }

    pub fn units_per_em(&self) -> i32 {
        self.first().map_or(1000, |f| f.units_per_em())
    }

    /// The hhea ascender, in font units above the baseline.
    pub fn ascender(&self) -> i32 {
        self.first().map_or(800, |f| i32::from(f.ascender()))
    }

    /// The hhea descender, in font units below the baseline (positive).
    pub fn descender(&self) -> i32 {
        self.first().map_or(200, |f| -i32::from(f.descender()))
    }

    /// The advance of a word space.
    pub fn space(&self) -> i32 {
        self.space
    }

    /// The face a character is set in: the first that has it.
    fn face_of(&self, c: char) -> Option<usize> {
        self.faces
            .iter()
            .position(|(face, _)| face.glyph_index(c).is_some())
    }

    /// `text` made drawable: runs of white space and control characters
    /// become one space, characters no face has become the placeholder
    /// (or vanish, for marks and format characters, which have no shape of
    /// their own), and the ends are trimmed.
    pub fn clean(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            } else if self.face_of(c).is_some() {
                out.push(c);
            } else if crate::typeface::needs_glyph(c) {
                out.push(self.placeholder);
            }
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out
    }

    /// Shapes one word (or any text without line breaks): in its own
    /// direction, each run of characters in the face that has them.
    pub fn shape(&self, text: &str) -> Run {
        let rtl = direction_of(text) == Some(TextDirection::Rtl);
        // Runs of characters set in one face, in logical order.
        let mut runs: Vec<(usize, String)> = Vec::new();
        for c in text.chars().filter(|&c| c != GLUE) {
            // A mark goes with the letter before it, whatever face has it.
            let face = match runs.last() {
                Some((face, _)) if is_mark(c) => *face,
                _ => self.face_of(c).unwrap_or(0),
            };
            match runs.last_mut() {
                Some((last, run)) if *last == face => run.push(c),
                _ => runs.push((face, c.to_string())),
            }
        }
        // Right to left, the first run is drawn rightmost.
        if rtl {
            runs.reverse();
        }
        let mut run = Run::default();
        for (face, text) in runs {
            let Some((shaped_face, scale)) = self.faces.get(face) else {
                continue;
            };
            let mut buffer = UnicodeBuffer::new();
            buffer.push_str(&text);
            buffer.set_direction(if rtl {
                Direction::RightToLeft
            } else {
                Direction::LeftToRight
            });
            let shaped = rustybuzz::shape(shaped_face, &[], buffer);
            let units = |v: i32| (f64::from(v) * scale).round() as i32;
            for (info, position) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
                run.glyphs.push(Glyph {
                    face,
                    id: u16::try_from(info.glyph_id).unwrap_or(0),
                    x: run.advance.saturating_add(units(position.x_offset)),
                    y: units(position.y_offset),
                });
                run.advance = run.advance.saturating_add(units(position.x_advance));
            }
        }
        run
    }

    /// Appends the outlines of `glyphs`, moved right by `x`, to SVG path
    /// data, in the first face's units with y pointing down as SVG wants it.
    pub fn outline(&self, glyphs: &[Glyph], x: i32, path: &mut String) {
        for glyph in glyphs {
            let Some((face, scale)) = self.faces.get(glyph.face) else {
                continue;
            };
            let mut pen = PathPen {
                path: &mut *path,
                dx: f64::from(x) + f64::from(glyph.x),
                dy: f64::from(glyph.y),
                scale: *scale,
            };
            // A glyph with no outline (a space) draws nothing.
            let _ = face.outline_glyph(GlyphId(glyph.id), &mut pen);
        }
    }
}

/// Shaped words, remembered while one block of text is fitted: the same
/// words are measured again at every width tried.
pub struct Shaper<'f, 'a> {
    font: &'f Font<'a>,
    runs: BTreeMap<String, Run>,
}

impl<'f, 'a> Shaper<'f, 'a> {
    pub fn new(font: &'f Font<'a>) -> Shaper<'f, 'a> {
        Shaper {
            font,
            runs: BTreeMap::new(),
        }
    }

    pub fn font(&self) -> &'f Font<'a> {
        self.font
    }

    /// The shaped word, shaped once.
    pub fn run(&mut self, word: &str) -> &Run {
        let font = self.font;
        self.runs
            .entry(word.to_string())
            .or_insert_with(|| font.shape(word))
    }

    /// The width of a line made of `words`, in font units.
    pub fn width(&mut self, words: &[&str]) -> i32 {
        let mut width = 0i32;
        for (i, word) in words.iter().enumerate() {
            if i + 1 < words.len() {
                width = width.saturating_add(self.font.gap_after(word));
            }
            width = width.saturating_add(self.run(word).advance);
        }
        width
    }
}

/// Whether a character attaches to the one before it, so that a line must
/// not break between them.
pub fn is_mark(c: char) -> bool {
    matches!(c.general_category_group(), GeneralCategoryGroup::Mark)
}

impl Font<'_> {
    /// The space after a word on a line: none after a piece of a Chinese
    /// or Japanese word.
    pub fn gap_after(&self, word: &str) -> i32 {
        if word.ends_with(GLUE) { 0 } else { self.space }
    }
}

/// Writes outline commands as SVG path data.
struct PathPen<'p> {
    path: &'p mut String,
    dx: f64,
    dy: f64,
    /// From the glyph's face's units to the first face's.
    scale: f64,
}

impl PathPen<'_> {
    fn point(&mut self, x: f32, y: f32) {
        // Font units are y-up; the glyph's offset is added before flipping.
        let x = f64::from(x) * self.scale + self.dx;
        let y = -(f64::from(y) * self.scale + self.dy);
        let _ = write!(self.path, "{} {}", Number(x), Number(y));
    }

    fn command(&mut self, letter: char) {
        self.path.push(letter);
    }
}

impl OutlineBuilder for PathPen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.command('M');
        self.point(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.command('L');
        self.point(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.command('Q');
        self.point(x1, y1);
        self.command(' ');
        self.point(x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.command('C');
        self.point(x1, y1);
        self.command(' ');
        self.point(x2, y2);
        self.command(' ');
        self.point(x, y);
    }

    fn close(&mut self) {
        self.command('Z');
    }
}

/// A number for SVG: at most two decimals, no trailing zeros, no `-0`.
pub struct Number(pub f64);

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hundredths = (self.0 * 100.0).round();
        if hundredths == 0.0 || !hundredths.is_finite() {
            return f.write_str("0");
        }
        let text = format!("{:.2}", hundredths / 100.0);
        f.write_str(text.trim_end_matches('0').trim_end_matches('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> Font<'static> {
        match Font::bundled() {
            Ok(font) => font,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn the_font_covers_latin_greek_and_cyrillic() {
        let font = font();
        for text in ["Garamond ÆØÅ çñß", "Ἡ Ὀδύσσεια λόγος", "Война и мир Ёё Її"]
        {
            assert_eq!(font.clean(text), text);
        }
    }

    #[test]
    fn missing_characters_become_the_placeholder() {
        let font = font();
        let cleaned = font.clean("  漢字\tand\u{61C}\n\n  more ");
        let p = font.placeholder;
        assert_eq!(cleaned, format!("{p}{p} and more"));
    }

    #[test]
    fn words_are_kerned() {
        let font = font();
        let apart = font.shape("A").advance + font.shape("V").advance;
        assert!(font.shape("AV").advance < apart);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(Number(12.0).to_string(), "12");
        assert_eq!(Number(-0.004).to_string(), "0");
        assert_eq!(Number(1.5).to_string(), "1.5");
        assert_eq!(Number(-3.256).to_string(), "-3.26");
    }
}
