//! Store profiles: what a store requires of an EPUB beyond EPUB 3.3, and
//! what it rejects, checked after packaging so the finished size is known;
//! and what a store's profile changes in the files of the EPUB
//! ([`adapt`]): Kobo's sentence spans (a KEPUB), Apple's display options.
//!
//! Each rule names the store's document it comes from; the stores change
//! their guidance from time to time, so the rules are kept few and plain.

mod kepub;

pub use kepub::kepub_document;

use crate::diag::{Code, Diagnostic};
use crate::load::{Asset, Book, Content, MediaType, media};
use crate::manifest;
use crate::package::Entry;

/// Where the book is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Any reading system: EPUB 3.3 and EPUBCheck only.
    #[default]
    Generic,
    /// Amazon Kindle Direct Publishing.
    Kdp,
    /// Apple Books.
    Apple,
    /// Kobo Writing Life.
    Kobo,
}

impl Profile {
    /// The profile of that name, as `--profile` takes it.
    pub fn named(name: &str) -> Option<Profile> {
        match name {
            "generic" => Some(Profile::Generic),
            "kdp" => Some(Profile::Kdp),
            "apple" => Some(Profile::Apple),
            "kobo" => Some(Profile::Kobo),
            _ => None,
        }
    }
}

/// Where Apple Books reads its display options: "Apple Books Asset Guide",
/// section "Fixed-layout and display options".
pub const APPLE_DISPLAY_OPTIONS: &str = "META-INF/com.apple.ibooks.display-options.xml";

/// Apple Books sets a book in the reader's font unless this file says the
/// book specifies its own; with it, the fonts the book embeds are used.
const APPLE_DISPLAY_OPTIONS_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<display_options>\n  <platform name=\"*\">\n    <option name=\"specified-fonts\">true</option>\n  </platform>\n</display_options>\n";

/// The file name a store's profile gives the EPUB: Kobo's sideloading
/// and Kobo Writing Life take a KEPUB by its `.kepub.epub` ending.
pub fn extension(profile: Profile) -> &'static str {
    match profile {
        Profile::Kobo => ".kepub.epub",
        _ => ".epub",
    }
}

/// Changes the EPUB's files as the store of `profile` asks: for Kobo, the
/// sentence spans of a KEPUB in every text document (not the navigation
/// document, which Kobo reads as it is); for Apple Books, the display
/// options that let it use the book's fonts, written after
/// `container.xml`. Other profiles change nothing.
pub fn adapt(profile: Profile, entries: &mut Vec<Entry>) {
    match profile {
        Profile::Kobo => {
            for entry in entries.iter_mut() {
                let text = entry.name.starts_with("EPUB/text/") && entry.name.ends_with(".xhtml");
                if !text {
                    continue;
                }
                let marked = match &entry.body {
                    Content::Text(xhtml) => kepub_document(xhtml),
                    Content::Bytes(bytes) => {
                        std::str::from_utf8(bytes).ok().and_then(kepub_document)
                    }
                    Content::OnDisk { .. } => None,
                };
                if let Some(marked) = marked {
                    entry.body = Content::Text(marked.into());
                }
            }
        }
        Profile::Apple => {
            let after = entries
                .iter()
                .position(|e| e.name == "META-INF/container.xml")
                .map_or(0, |i| i + 1);
            entries.insert(
                after,
                Entry {
                    name: APPLE_DISPLAY_OPTIONS.to_string(),
                    body: Content::Bytes(APPLE_DISPLAY_OPTIONS_XML.as_bytes().to_vec()),
                    compress: true,
                },
            );
        }
        Profile::Generic | Profile::Kdp => {}
    }
}

/// KDP: "Kindle Publishing Guidelines", cover image section: the ideal
/// cover is 1600 × 2560 pixels; KDP refuses covers under 625 × 1000.
const KDP_MIN_COVER: (u32, u32) = (625, 1000);
/// KDP: "Kindle Publishing Guidelines": EPUB files up to 650 MB.
const KDP_MAX_BYTES: u64 = 650 * 1024 * 1024;
/// Apple: "Apple Books Asset Guide", cover art: at least 1400 pixels
/// along the shorter side.
const APPLE_MIN_COVER_SHORT_SIDE: u32 = 1400;
/// Kobo: "Kobo Writing Life" content guidelines recommend 1600 × 2400;
/// covers under 1400 pixels on the long side look blurred in the store.
const KOBO_MIN_COVER_LONG_SIDE: u32 = 1400;

/// Warnings for what the store of `profile` asks and the book does not do.
/// Fonts whose licence forbids embedding are reported for every profile.
/// `size` is an upper bound of the EPUB's size.
pub fn check(profile: Profile, book: &Book, size: u64) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let fonts = book.style.assets.iter().filter(|a| a.media_type.is_font());
    for font in fonts {
        if restricts_embedding(font) {
            warnings.push(
                Diagnostic::new(Code::FontNotEmbeddable,
                    format!(
                        "the font `{}` says its licence does not allow embedding",
                        book.root.display(&font.path)
                    ),
                )
                .in_file(manifest::FILE_NAME)
                .with_help("its OS/2 table sets fsType to restricted licence embedding; use a font licensed for embedding, such as one under the SIL Open Font License"),
            );
        }
    }
    let cover = book
        .cover
        .as_ref()
        .and_then(|c| media::dimensions(c.media_type, c.bytes()?));
    let cover_span = book.manifest.book.cover.as_ref().map(|c| c.span.clone());
    let mut cover_warning = |message: String, help: &str| {
        warnings.push(
            Diagnostic::new(Code::CoverRefusedByStore, message)
                .in_file(manifest::FILE_NAME)
                .at_opt(cover_span.clone())
                .with_help(help.to_string()),
        );
    };
    match (profile, cover) {
        (Profile::Kdp, Some((w, h)))
            if w.min(h) < KDP_MIN_COVER.0 || w.max(h) < KDP_MIN_COVER.1 =>
        {
            cover_warning(
                format!("KDP refuses covers under 625 × 1000 pixels; this one is {w} × {h}"),
                "Kindle Publishing Guidelines: use 1600 × 2560 pixels",
            )
        }
        (Profile::Apple, Some((w, h))) if w.min(h) < APPLE_MIN_COVER_SHORT_SIDE => cover_warning(
            format!(
                "Apple Books asks for a cover at least 1400 pixels on its shorter side; this one is {w} × {h}"
            ),
            "Apple Books Asset Guide: use 1600 × 2560 pixels or more",
        ),
        (Profile::Kobo, Some((w, h))) if w.max(h) < KOBO_MIN_COVER_LONG_SIDE => cover_warning(
            format!("Kobo recommends a cover of 1600 × 2400 pixels; this one is {w} × {h}"),
            "Kobo Writing Life: use 1600 × 2400 pixels or more",
        ),
        _ => {}
    }
    if profile == Profile::Kdp && size > KDP_MAX_BYTES {
        warnings.push(
            Diagnostic::new(
                Code::TooLargeForKdp,
                format!(
                    "the EPUB is {} MB; KDP accepts files up to 650 MB",
                    size / (1024 * 1024)
                ),
            )
            .with_help("make the images smaller: KDP recommends 300 ppi at most"),
        );
    }
    warnings
}

/// Whether a TrueType or OpenType font's `OS/2` table sets `fsType` to 2,
/// "Restricted License embedding" (OpenType spec, OS/2 table). WOFF fonts
/// are compressed and not looked into.
fn restricts_embedding(font: &Asset) -> bool {
    if !matches!(font.media_type, MediaType::Ttf | MediaType::Otf) {
        return false;
    }
    // Read again, one font at a time: fonts are streamed into the EPUB.
    let Some(data) = font.read() else {
        return false;
    };
    let u16_at = |at: usize| {
        data.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let u32_at = |at: usize| {
        data.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let Some(tables) = u16_at(4) else {
        return false;
    };
    (0..usize::from(tables))
        .map(|i| 12 + 16 * i)
        .find(|&record| data.get(record..record + 4) == Some(b"OS/2"))
        .and_then(|record| u32_at(record + 8))
        .and_then(|offset| u16_at(offset as usize + 8))
        .is_some_and(|fs_type| fs_type & 0x000F == 0x0002)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::BookPath;

    fn font_with_fs_type(fs_type: u16) -> Asset {
        // One table record pointing at an OS/2 table right after it.
        let mut data = vec![0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        data.extend_from_slice(b"OS/2");
        data.extend_from_slice(&[0; 4]);
        data.extend_from_slice(&28u32.to_be_bytes());
        data.extend_from_slice(&96u32.to_be_bytes());
        data.extend_from_slice(&[0; 8]);
        data.extend_from_slice(&fs_type.to_be_bytes());
        Asset {
            path: BookPath::default(),
            content: crate::load::Content::Bytes(data),
            media_type: MediaType::Ttf,
            motion: crate::load::Motion::Still,
        }
    }

    #[test]
    fn restricted_embedding_is_read_from_the_os2_table() {
        assert!(restricts_embedding(&font_with_fs_type(2)));
        assert!(!restricts_embedding(&font_with_fs_type(0)));
        assert!(!restricts_embedding(&font_with_fs_type(8)));
        let mut cut = font_with_fs_type(2);
        if let crate::load::Content::Bytes(data) = &mut cut.content {
            data.truncate(30);
        }
        assert!(!restricts_embedding(&cut));
    }

    #[test]
    fn a_font_left_on_disk_is_read_for_the_check() {
        let dir = tempfile::tempdir().unwrap();
        for (fs_type, restricted) in [(2, true), (0, false)] {
            let crate::load::Content::Bytes(data) = font_with_fs_type(fs_type).content else {
                unreachable!()
            };
            let file = dir.path().join(format!("f{fs_type}.ttf"));
            std::fs::write(&file, &data).unwrap();
            let font = Asset {
                path: BookPath::default(),
                content: crate::load::Content::OnDisk {
                    file,
                    size: data.len() as u64,
                },
                media_type: MediaType::Ttf,
                motion: crate::load::Motion::Still,
            };
            assert_eq!(restricts_embedding(&font), restricted);
        }
    }

    #[test]
    fn profiles_are_named_as_on_the_command_line() {
        assert_eq!(Profile::named("kdp"), Some(Profile::Kdp));
        assert_eq!(Profile::named("apple"), Some(Profile::Apple));
        assert_eq!(Profile::named("kobo"), Some(Profile::Kobo));
        assert_eq!(Profile::named("generic"), Some(Profile::Generic));
        assert_eq!(Profile::named("nook"), None);
    }
}
