//! A typographic cover for a book that has no cover image.
//!
//! [`generate`] takes the book's title, subtitle, authors and publisher
//! and returns the same cover twice: as SVG, with every letter converted
//! to outlines so that it looks identical in every reading system and
//! carries no font, and as a PNG rendered from that SVG. Colours and
//! ornament come from a seed hashed from the title, so a book keeps its
//! cover from build to build and two books rarely share one; the text
//! always contrasts with what is behind it by at least 4.5:1 (WCAG AA).
//!
//! The lettering is set in a chain of fonts (see [`generate_with`]), each
//! character in the first that has it: by default only the bundled EB
//! Garamond (see [`crate::typeface`]), which covers Latin, Greek and
//! Cyrillic. For a book, `load` has already put together the chain the
//! book's text needs ([`Book::cover_fonts`]) and refused a text no font
//! covers, so a cover never shows a placeholder. Words in right-to-left
//! scripts are shaped and set right to left, and Chinese and Japanese
//! titles break between characters where their rules allow.
//!
//! In a build it runs after `load`, beside `render`: [`draw_for`] draws
//! the cover of a book that has no cover image, so that every book has a
//! thumbnail in library views. Like the other stages this touches no
//! files and no clock; the same text gives the same bytes on every run and
//! every thread.

mod fitting;
mod font;
mod palette;
mod raster;
mod svg;

pub use palette::{MIN_CONTRAST, Palette, Rgb, contrast_ratio};
pub use svg::{HEIGHT, WIDTH};

use crate::diag::{Code, Diagnostic, ToDiagnostic};
use crate::load::{Asset, Book, Content, MediaType, Motion};
use crate::typeface::FontFile;

/// The text a cover shows.
#[derive(Debug, Clone, Copy)]
pub struct CoverText<'a> {
    /// The book's title, set large.
    pub title: &'a str,
    /// Set smaller under the title; omitted when `None` or blank.
    pub subtitle: Option<&'a str>,
    /// Set in the lower part, joined with commas; blank names are skipped.
    pub authors: &'a [String],
    /// Set small at the foot; omitted when `None` or blank.
    pub publisher: Option<&'a str>,
}

/// A finished cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCover {
    /// A standalone SVG 1.1 document: paths only, no text elements, no
    /// external references, no scripts; its `<title>` is the book's title.
    pub svg: String,
    /// The same cover as an RGB PNG.
    pub png: Vec<u8>,
    /// In pixels: [`WIDTH`].
    pub width: u32,
    /// In pixels: [`HEIGHT`].
    pub height: u32,
}

/// Why a cover could not be made. None of these depends on the book's
/// text; each means the bundled font or a library let bindery down.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoverError {
    /// A font of the chain did not parse.
    #[error("a cover font cannot be read")]
    Font,
    /// The SVG bindery drew did not parse for rendering.
    #[error("the generated cover does not parse as SVG: {0}")]
    Svg(String),
    /// The canvas could not be allocated.
    #[error("cannot allocate a {width}×{height} canvas for the cover")]
    Canvas {
        /// In pixels.
        width: u32,
        /// In pixels.
        height: u32,
    },
    /// The PNG encoder failed.
    #[error("cannot encode the cover as PNG: {0}")]
    Png(String),
}

impl ToDiagnostic for CoverError {
    fn code(&self) -> Code {
        Code::CoverNotDrawn
    }

    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(self.code(), format!("cannot draw the cover: {self}")).with_help(
            "give the book a cover image with `cover` in book.toml; this is a bug in bindery, please report it",
        )
    }
}

/// The cover bindery drew for a book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnCover {
    /// As PNG: the book's cover image.
    pub png: Asset,
    /// As SVG: shown on the cover page.
    pub svg: Asset,
}

/// Where the drawn cover's files appear, relative to the book folder: a
/// folder no author would use.
const DRAWN_FOLDER: &str = "bindery-cover";

/// The cover of a book without a cover image, made from its title,
/// subtitle, authors and publisher; `None` when the manifest names an
/// image.
pub fn draw_for(book: &Book) -> Result<Option<DrawnCover>, CoverError> {
    let meta = &book.manifest.book;
    if meta.cover.is_some() {
        return Ok(None);
    }
    let authors: Vec<String> = meta.authors().map(str::to_string).collect();
    let text = CoverText {
        title: &meta.title,
        subtitle: meta.subtitle.as_deref(),
        authors: &authors,
        publisher: meta.publisher_apart_from_authors(),
    };
    let drawn = match book.cover_fonts.is_empty() {
        true => generate(&text)?,
        false => generate_with(&text, &book.cover_fonts)?,
    };
    let folder = book.root.book().child(DRAWN_FOLDER);
    Ok(Some(DrawnCover {
        png: Asset {
            path: folder.child("cover.png"),
            content: Content::Bytes(drawn.png),
            media_type: MediaType::Png,
            motion: Motion::Still,
        },
        svg: Asset {
            path: folder.child("cover.svg"),
            content: Content::Bytes(drawn.svg.into_bytes()),
            media_type: MediaType::Svg,
            motion: Motion::Still,
        },
    }))
}

/// Makes the cover for `text`.
///
/// ```
/// use bindery::cover::{generate, CoverText};
///
/// let authors = vec!["Ada Lovelace".to_string()];
/// let cover = generate(&CoverText {
///     title: "Notes on the Analytical Engine",
///     subtitle: None,
///     authors: &authors,
///     publisher: Some("Taylor"),
/// })?;
/// assert_eq!((cover.width, cover.height), (1600, 2560));
/// assert!(cover.svg.contains("<title>Notes on the Analytical Engine</title>"));
/// assert!(cover.png.starts_with(b"\x89PNG"));
/// # Ok::<(), bindery::cover::CoverError>(())
/// ```
pub fn generate(text: &CoverText<'_>) -> Result<GeneratedCover, CoverError> {
    generate_with(text, &[FontFile::bundled()])
}

/// Makes the cover for `text`, each character set in the first of `fonts`
/// that has it (the first gives the metrics).
pub fn generate_with(
    text: &CoverText<'_>,
    fonts: &[FontFile],
) -> Result<GeneratedCover, CoverError> {
    let files: Vec<(&[u8], u32)> = fonts.iter().map(|f| (&f.data[..], f.index)).collect();
    let font = font::Font::chain(&files)?;
    let mut seed = Seed::of_title(text.title);
    let svg = svg::draw(&font, text, &mut seed);
    let png = raster::render_png(&svg, WIDTH, HEIGHT)?;
    Ok(GeneratedCover {
        svg,
        png,
        width: WIDTH,
        height: HEIGHT,
    })
}

/// The palette a title's cover gets.
pub fn palette(title: &str) -> Palette {
    Palette::from_seed(&mut Seed::of_title(title))
}

/// A stream of numbers that depends only on the title. FNV-1a gives the
/// start (`std`'s hasher is randomised per process); SplitMix64 spreads it,
/// so that titles differing in one letter still look different.
#[derive(Debug, Clone)]
struct Seed(u64);

impl Seed {
    fn of_title(title: &str) -> Seed {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0100_0000_01b3;
        let hash = title
            .trim()
            .bytes()
            .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME));
        Seed::new(hash)
    }

    fn new(state: u64) -> Seed {
        Seed(state)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number from 0 to `bound` - 1 (`bound` is small, so the modulo's
    /// bias is negligible).
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

#[cfg(test)]
mod tests;
