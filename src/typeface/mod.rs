//! Font files as bytes, and which characters they have a glyph for.
//!
//! `load` gathers the fonts the drawn cover may be set in (see
//! [`FontFile`]) and checks with [`uncovered`] that they have every
//! character the cover shows; `cover` shapes and draws with them. Both
//! stand above this module, which reads no files: it holds the bundled
//! face, EB Garamond 12 Regular, version 0.016, by Georg A. Duffner, under
//! the SIL Open Font License 1.1 (the unmodified file from Debian's
//! `fonts-ebgaramond` package, upstream
//! <https://github.com/georgd/EB-Garamond>, with its notice and licence in
//! `OFL.txt` beside this file). It covers Latin, Greek (polytonic too) and
//! Cyrillic in 412 KiB.
//!
//! Faces are parsed with ttf-parser, which reads a table only when asked:
//! looking a few dozen characters up in a large CJK font is cheap.

use std::sync::{Arc, LazyLock};
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// The bundled face's bytes.
pub const BUNDLED: &[u8] = include_bytes!("EBGaramond12-Regular.otf");

/// Shared, so that every book's chain holds the one copy.
static BUNDLED_SHARED: LazyLock<Arc<[u8]>> = LazyLock::new(|| Arc::from(BUNDLED));

/// One face of a font file (TrueType, OpenType, or a collection of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontFile {
    /// What to call it in messages: its path in the book, or its family.
    pub name: String,
    /// The file's bytes.
    pub data: Arc<[u8]>,
    /// The face's index in a collection (`.ttc`), else 0.
    pub index: u32,
}

impl FontFile {
    /// EB Garamond, bundled with bindery.
    pub fn bundled() -> FontFile {
        FontFile {
            name: "EB Garamond (bundled)".into(),
            data: BUNDLED_SHARED.clone(),
            index: 0,
        }
    }

    /// The face, parsed; `None` when the bytes are not a TrueType or
    /// OpenType font (a WOFF file, for one).
    pub fn face(&self) -> Option<ttf_parser::Face<'_>> {
        ttf_parser::Face::parse(&self.data, self.index).ok()
    }

    /// Whether the face has a glyph for `c`; `false` when it does not
    /// parse.
    pub fn has(&self, c: char) -> bool {
        self.face()
            .is_some_and(|face| face.glyph_index(c).is_some())
    }
}

/// Whether a character is drawn with a glyph of its own. White space and
/// control characters are not (they become a space, or nothing), nor are
/// format characters and combining marks, which are left out where no
/// face has them rather than drawn as a box.
pub fn needs_glyph(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c.general_category_group(), GeneralCategoryGroup::Mark)
        || matches!(c.general_category(), GeneralCategory::Format))
}

/// The characters of `texts` that need a glyph and that none of `fonts`
/// has, each once, in the order they first appear.
pub fn uncovered<'t>(texts: impl IntoIterator<Item = &'t str>, fonts: &[FontFile]) -> Vec<char> {
    let faces: Vec<ttf_parser::Face<'_>> = fonts.iter().filter_map(FontFile::face).collect();
    let mut missing = Vec::new();
    for c in texts.into_iter().flat_map(str::chars) {
        if needs_glyph(c)
            && !missing.contains(&c)
            && !faces.iter().any(|face| face.glyph_index(c).is_some())
        {
            missing.push(c);
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_face_parses_and_has_latin_greek_and_cyrillic() {
        let bundled = FontFile::bundled();
        assert!(bundled.face().is_some());
        assert!(uncovered(["Bücher", "Ἀρχή", "Книга", "…"], &[bundled]).is_empty());
    }

    #[test]
    fn uncovered_names_each_character_no_font_has_once_in_order() {
        let texts = ["Über 製本 製本", "Ω \u{301}\u{200D}", "אב"];
        assert_eq!(
            uncovered(texts, &[FontFile::bundled()]),
            ['製', '本', 'א', 'ב']
        );
    }

    #[test]
    fn bytes_that_are_not_a_font_cover_nothing() {
        let junk = FontFile {
            name: "junk".into(),
            data: Arc::from(&b"wOF2 not really"[..]),
            index: 0,
        };
        assert!(junk.face().is_none());
        assert!(!junk.has('a'));
        assert_eq!(uncovered(["a"], &[junk]), ['a']);
    }
}
