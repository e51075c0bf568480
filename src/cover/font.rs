//! The bundled typeface: shaping words and turning glyphs into outlines.
//!
//! Text is shaped a word at a time with rustybuzz, so kerning and
//! ligatures inside a word come from the font's own GPOS and GSUB tables.
//! Lines are then laid out as words plus the font's space advance, which
//! makes the width measured while wrapping exactly the width drawn.

use std::collections::BTreeMap;
use std::fmt::Write;

use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};
use rustybuzz::{Direction, Face, UnicodeBuffer};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use super::CoverError;

/// EB Garamond 12 Regular 0.016 by Georg A. Duffner, SIL Open Font
/// License 1.1 (see `OFL.txt` beside it): a book face that covers Latin,
/// Greek (polytonic too) and Cyrillic in 412 KiB.
const FONT: &[u8] = include_bytes!("EBGaramond12-Regular.otf");

/// Drawn for a character the font has no glyph for, in this order of
/// preference.
const PLACEHOLDERS: [char; 3] = ['\u{FFFD}', '\u{25A1}', '?'];

/// One glyph of a shaped word, in font units from the word's origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
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

/// The parsed font, plus what is worth looking up only once.
pub struct Font {
    face: Face<'static>,
    placeholder: char,
    space: i32,
}

impl Font {
    /// Parses the bundled font.
    pub fn bundled() -> Result<Font, CoverError> {
        let face = Face::from_slice(FONT, 0).ok_or(CoverError::Font)?;
        let placeholder = PLACEHOLDERS
            .into_iter()
            .find(|&c| face.glyph_index(c).is_some())
            .unwrap_or('?');
        let mut font = Font {
            face,
            placeholder,
            space: 0,
        };
        font.space = font.shape(" ").advance;
        if font.space <= 0 {
            font.space = font.units_per_em() / 4;
        }
        Ok(font)
    }

    pub fn units_per_em(&self) -> i32 {
        self.face.units_per_em()
    }

    /// The hhea ascender, in font units above the baseline.
    pub fn ascender(&self) -> i32 {
        i32::from(self.face.ascender())
    }

    /// The hhea descender, in font units below the baseline (positive).
    pub fn descender(&self) -> i32 {
        -i32::from(self.face.descender())
    }

    /// The advance of a word space.
    pub fn space(&self) -> i32 {
        self.space
    }

    /// `text` made drawable: runs of white space and control characters
    /// become one space, characters the font lacks become the placeholder
    /// (or vanish, for marks and format characters, which have no shape of
    /// their own), and the ends are trimmed.
    pub fn clean(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            } else if self.face.glyph_index(c).is_some() {
                out.push(c);
            } else if !is_invisible(c) {
                out.push(self.placeholder);
            }
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out
    }

    /// Shapes one word (or any text without line breaks) left to right.
    pub fn shape(&self, text: &str) -> Run {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        // Every script the font covers runs left to right; fixing the
        // direction keeps a stray right-to-left character from reversing
        // the placeholders around it.
        buffer.set_direction(Direction::LeftToRight);
        let shaped = rustybuzz::shape(&self.face, &[], buffer);
        let mut run = Run::default();
        for (info, position) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            run.glyphs.push(Glyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                x: run.advance.saturating_add(position.x_offset),
                y: position.y_offset,
            });
            run.advance = run.advance.saturating_add(position.x_advance);
        }
        run
    }

    /// Appends the outlines of `glyphs`, moved right by `x`, to SVG path
    /// data, in font units with y pointing down as SVG wants it.
    pub fn outline(&self, glyphs: &[Glyph], x: i32, path: &mut String) {
        for glyph in glyphs {
            let mut pen = PathPen {
                path: &mut *path,
                dx: f64::from(x) + f64::from(glyph.x),
                dy: f64::from(glyph.y),
            };
            // A glyph with no outline (a space) draws nothing.
            let _ = self.face.outline_glyph(GlyphId(glyph.id), &mut pen);
        }
    }
}

/// Shaped words, remembered while one block of text is fitted: the same
/// words are measured again at every width tried.
pub struct Shaper<'f> {
    font: &'f Font,
    runs: BTreeMap<String, Run>,
}

impl<'f> Shaper<'f> {
    pub fn new(font: &'f Font) -> Shaper<'f> {
        Shaper {
            font,
            runs: BTreeMap::new(),
        }
    }

    pub fn font(&self) -> &'f Font {
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
        let spaces = i32::try_from(words.len().saturating_sub(1)).unwrap_or(i32::MAX);
        let mut width = self.font.space().saturating_mul(spaces);
        for word in words {
            width = width.saturating_add(self.run(word).advance);
        }
        width
    }
}

/// Whether a character the font lacks can simply be left out: combining
/// marks and format characters (joiners, soft hyphens, direction marks)
/// draw nothing by themselves.
fn is_invisible(c: char) -> bool {
    matches!(c.general_category_group(), GeneralCategoryGroup::Mark)
        || matches!(
            c.general_category(),
            unicode_properties::GeneralCategory::Format
        )
}

/// Whether a character attaches to the one before it, so that a line must
/// not break between them.
pub fn is_mark(c: char) -> bool {
    matches!(c.general_category_group(), GeneralCategoryGroup::Mark)
}

/// Writes outline commands as SVG path data.
struct PathPen<'p> {
    path: &'p mut String,
    dx: f64,
    dy: f64,
}

impl PathPen<'_> {
    fn point(&mut self, x: f32, y: f32) {
        // Font units are y-up; the glyph's offset is added before flipping.
        let x = f64::from(x) + self.dx;
        let y = -(f64::from(y) + self.dy);
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

    fn font() -> Font {
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
