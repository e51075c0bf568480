//! The static download page: `bindery site`.
//!
//! Takes what a build learnt about a book ([`About`]) and the EPUB's
//! bytes, and returns the files of a folder ready to upload: `index.html`,
//! `style.css`, the cover and its thumbnail, and `SHA256SUMS`
//! ([`book_files`]). For several books, [`catalogue_files`] adds a
//! catalogue page and an OPDS 1.2 acquisition feed, `catalog.xml`.
//!
//! The pages are HTML5 written as well-formed XML (through the crate's
//! one escaping path), with no scripts, one stylesheet, landmarks, alt
//! text and the web's metadata: Open Graph, Twitter cards and schema.org
//! JSON-LD. They speak the book's language: every word they say comes
//! from the label files (with the book's `[labels]`), and dates, numbers
//! and lists are written as that language writes them. Like the other
//! stages this touches no files and no clock: the same input gives the
//! same bytes. [`write_files`] puts them on disk.

mod json;
mod opds;
mod page;
pub mod thumb;

use crate::diag::{Code, Diagnostic};
use crate::load::Asset;
use crate::load::media::MediaType;
use crate::locale::{Label, Locale};
use crate::manifest::Manifest;
use crate::package::a11y::Accessibility;
use crate::time::Timestamp;
use std::path::Path;

pub use opds::catalogue_feed;

/// What a build learnt about a book that the download page shows.
#[derive(Debug, Clone)]
pub struct About {
    /// The parsed `book.toml`.
    pub manifest: Manifest,
    /// The book's unique identifier, as the EPUB has it.
    pub identifier: String,
    /// The build's instant (`dcterms:modified`).
    pub modified: Timestamp,
    /// The accessibility metadata the EPUB carries.
    pub accessibility: Accessibility,
    /// The cover image: the manifest's, or the one bindery drew.
    pub cover: Option<Asset>,
}

/// One file of the site, at a path relative to its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Relative path, `/`-separated.
    pub path: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// A book's page and what a catalogue needs to list it.
#[derive(Debug, Clone)]
pub struct BookPage {
    /// The files to write into the book's folder (the EPUB itself is
    /// already there).
    pub files: Vec<SiteFile>,
    /// The EPUB's file name.
    pub epub_name: String,
    /// The EPUB's size in bytes.
    pub epub_size: u64,
    /// The cover's file name and type, when the book has a cover.
    pub cover: Option<(String, &'static str)>,
    /// The thumbnail's file name, type and size in pixels.
    pub thumbnail: Option<Image>,
}

/// An image the pages show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// File name.
    pub name: String,
    /// MIME type.
    pub mime: &'static str,
    /// Size in pixels, when known.
    pub size: Option<(u32, u32)>,
}

/// Where a book's page sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Alone: the page is the site's `index.html`.
    Alone,
    /// In a catalogue: the page is in a subfolder and links back up.
    InCatalogue,
}

/// The name of the stylesheet every page links.
pub const STYLESHEET: &str = "style.css";
const CSS: &str = include_str!("style.css");

/// Makes a book's page and the files beside it.
///
/// ```no_run
/// let built = bindery::build(std::path::Path::new("my-book"), &Default::default()).unwrap();
/// let epub = std::fs::read(&built.output).unwrap();
/// let name = built.output.file_name().unwrap().to_string_lossy();
/// let page = bindery::site::book_files(&built.about, &name, &epub, bindery::site::Placement::Alone);
/// bindery::site::write_files(std::path::Path::new("site"), &page.files, None).unwrap();
/// ```
pub fn book_files(about: &About, epub_name: &str, epub: &[u8], placement: Placement) -> BookPage {
    let digest = crate::release::sha256_hex(epub);
    let mut files = Vec::new();
    let mut cover = None;
    let mut thumbnail = None;
    if let Some(asset) = &about.cover {
        let extension = match asset.media_type {
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
            MediaType::Gif => "gif",
            MediaType::Webp => "webp",
            MediaType::Svg => "svg",
            _ => "bin",
        };
        let name = format!("cover.{extension}");
        // The cover is always held in memory.
        let bytes = asset.bytes().unwrap_or_default();
        let size = crate::load::media::dimensions(asset.media_type, bytes);
        files.push(SiteFile {
            path: name.clone(),
            data: bytes.to_vec(),
        });
        cover = Some((name.clone(), asset.media_type.mime()));
        let small = match asset.media_type {
            MediaType::Png => thumb::thumbnail(bytes),
            MediaType::Svg => thumb::svg_thumbnail(bytes),
            _ => None,
        };
        thumbnail = Some(match small {
            Some(small) => {
                files.push(SiteFile {
                    path: "cover-thumbnail.png".into(),
                    data: small.png,
                });
                Image {
                    name: "cover-thumbnail.png".into(),
                    mime: "image/png",
                    size: Some((small.width, small.height)),
                }
            }
            // A cover bindery cannot scale is shown as it is.
            None => Image {
                name,
                mime: asset.media_type.mime(),
                size,
            },
        });
    }
    let page = page::book_page(&page::PageInput {
        about,
        epub_name,
        epub_size: epub.len() as u64,
        digest: &digest,
        cover: cover.as_ref().map(|(name, _)| name.as_str()),
        thumbnail: thumbnail.as_ref(),
        placement,
    });
    files.push(SiteFile {
        path: "index.html".into(),
        data: page.into_bytes(),
    });
    files.push(SiteFile {
        path: STYLESHEET.into(),
        data: CSS.as_bytes().to_vec(),
    });
    files.push(SiteFile {
        path: "SHA256SUMS".into(),
        data: crate::release::sha256sums(&[(epub_name.to_string(), digest)]).into_bytes(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    BookPage {
        files,
        epub_name: epub_name.to_string(),
        epub_size: epub.len() as u64,
        cover,
        thumbnail,
    }
}

/// A book as the catalogue lists it.
#[derive(Debug, Clone)]
pub struct CatalogueEntry<'a> {
    /// The book.
    pub about: &'a About,
    /// Its page.
    pub page: &'a BookPage,
    /// The subfolder its files are in.
    pub folder: String,
    /// The book's folder as the user named it, for messages.
    pub source: String,
}

/// The catalogue's `index.html`, `catalog.xml` and stylesheet, listing the
/// books newest first (by date, then title).
///
/// Books that share an identifier are an error (B410), one for each book
/// after the first: Atom (RFC 4287 section 4.1.1) takes entries with the
/// same `atom:id` for versions of one entry, so a reading app would show
/// one of the books and hide the other, and a library that keys books by
/// their EPUB's unique identifier (EPUB 3.3 section 5.4.1) would take
/// the two files for one book. No feed is right for such a catalogue.
///
/// The catalogue speaks the language most of its books are in (of two as
/// common, the newest book's); `title` is its title, else the
/// `site-catalogue` label in that language.
pub fn catalogue_files(
    title: Option<&str>,
    entries: &[CatalogueEntry<'_>],
) -> Result<Vec<SiteFile>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let id = &entry.about.identifier;
        if let Some(first) = entries[..i].iter().find(|e| &e.about.identifier == id) {
            problems.push(
                Diagnostic::new(
                    Code::SameIdentifierInCatalogue,
                    format!(
                        "`{}` and `{}` have the same identifier `{id}`",
                        first.source, entry.source
                    ),
                )
                .with_help(
                    "give each book its own `identifier` (or `isbn`) in [book]: \
                     reading apps take books with one identifier for one book",
                ),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut sorted: Vec<&CatalogueEntry<'_>> = entries.iter().collect();
    sorted.sort_by(|a, b| {
        let date = |e: &CatalogueEntry<'_>| {
            e.about
                .manifest
                .book
                .date
                .map(|d| (d.year, d.month.unwrap_or(0), d.day.unwrap_or(0)))
        };
        date(b)
            .cmp(&date(a))
            .then_with(|| {
                a.about
                    .manifest
                    .book
                    .title
                    .cmp(&b.about.manifest.book.title)
            })
            .then_with(|| a.folder.cmp(&b.folder))
    });
    let locale = catalogue_locale(&sorted);
    let title = title.map_or_else(|| locale.label(Label::SiteCatalogue), str::to_string);
    Ok(vec![
        SiteFile {
            path: "catalog.xml".into(),
            data: opds::catalogue_feed(&title, locale.tag(), &sorted).into_bytes(),
        },
        SiteFile {
            path: "index.html".into(),
            data: page::catalogue_page(&title, &locale, &sorted).into_bytes(),
        },
        SiteFile {
            path: STYLESHEET.into(),
            data: CSS.as_bytes().to_vec(),
        },
    ])
}

/// The language of a catalogue: the one most of its books are in; of two
/// as common, the one of the book listed first. English for no books.
fn catalogue_locale(sorted: &[&CatalogueEntry<'_>]) -> Locale {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for entry in sorted {
        let language = entry.about.manifest.book.language.as_str();
        match counts
            .iter_mut()
            .find(|(l, _)| l.eq_ignore_ascii_case(language))
        {
            Some((_, n)) => *n += 1,
            None => counts.push((language, 1)),
        }
    }
    // `max_by_key` keeps the last of equals: search from the end.
    let language = counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map_or("en", |(l, _)| *l);
    Locale::new(language, Default::default())
}

/// Writes the files into `dir`, creating folders as needed. With
/// `confined_to`, the folder whose place the book decided (the default
/// `build/site` is inside the book's folder), no symbolic link below that
/// folder is written through ([`crate::write::refuse_links`]).
pub fn write_files(
    dir: &Path,
    files: &[SiteFile],
    confined_to: Option<&Path>,
) -> Result<(), crate::write::WriteError> {
    for file in files {
        let path = dir.join(&file.path);
        if let Some(base) = confined_to {
            crate::write::refuse_links(base, &path)?;
        }
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|e| crate::write::WriteError::io(folder, &e))?;
        }
        std::fs::write(&path, &file.data).map_err(|e| crate::write::WriteError::io(&path, &e))?;
    }
    Ok(())
}

/// A size for people, in English (for messages): bytes, KiB or MiB.
pub fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// `base` and `name` joined into an absolute address, when the book's
/// files have one.
fn absolute(base: Option<&str>, name: &str) -> Option<String> {
    let base = base?;
    if base.ends_with('/') {
        Some(format!("{base}{name}"))
    } else {
        Some(format!("{base}/{name}"))
    }
}

#[cfg(test)]
mod tests;
