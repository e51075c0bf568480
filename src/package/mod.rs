//! Rendered chapters + outline → the files of the EPUB, in order: the
//! fifth stage.
//!
//! Writes `META-INF/container.xml`, the package document, the navigation
//! document, the NCX, the cover and title pages and the stylesheet, all
//! through the escaping `XmlWriter`. The result
//! is a list of [`Entry`]s in their final order; `write` zips them.

pub mod a11y;
mod nav;
mod opf;
mod pages;

use crate::epub_paths;
use crate::load::{Asset, Book, Content};
use crate::manifest::publishing::WritingMode;
use crate::outline::{Landmark, TocEntry};
use crate::render::RenderedChapter;
use crate::time::Timestamp;
use std::collections::BTreeMap;

/// The default stylesheet: relative sizes, no forced fonts, text in the
/// colours of the reader's theme (code blocks carry their own), so
/// the reader's settings win.
pub const STYLESHEET: &str = include_str!("book.css");

/// What a book set in vertical lines adds to it, before the author's
/// stylesheets.
pub const VERTICAL_STYLESHEET: &str = include_str!("vertical.css");

/// One file of the EPUB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its name in the zip.
    pub name: String,
    /// Its bytes, or the file they are streamed from.
    pub body: Content,
    /// Whether to deflate it (already compressed images are stored).
    pub compress: bool,
}

impl Entry {
    fn text(name: impl Into<String>, data: String) -> Entry {
        Entry {
            name: name.into(),
            body: Content::Bytes(data.into_bytes()),
            compress: true,
        }
    }

    /// How many bytes it has before compression.
    pub fn size(&self) -> u64 {
        match &self.body {
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::Text(text) => text.len() as u64,
            Content::OnDisk { size, .. } => *size,
        }
    }
}

/// A bound of the EPUB's size known before it is written: a zip is never
/// larger than its entries, with a header each.
pub fn size_bound(entries: &[Entry]) -> u64 {
    entries.iter().map(|e| e.size() + 128).sum()
}

/// The book file each entry of the EPUB is made from, where there is
/// one: chapters' XHTML → their Markdown, images → themselves, the
/// package document → `book.toml`.
pub fn entry_sources(book: &Book, assets: &[Asset]) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert(
        epub_paths::PACKAGE.to_string(),
        crate::manifest::FILE_NAME.to_string(),
    );
    let count = book.chapters.len();
    for (index, chapter) in book.chapters.iter().enumerate() {
        files.insert(
            format!(
                "EPUB/text/{}",
                epub_paths::chapter_file(index, count, &chapter.path)
            ),
            chapter.display.clone(),
        );
    }
    let images = book.cover.iter().chain(assets).chain(&book.style.assets);
    for asset in images {
        let display = book.root.display(&asset.path);
        files.insert(
            format!("EPUB/{}", epub_paths::asset_file(&display)),
            display,
        );
    }
    files
}

/// Everything the package stage takes.
pub struct Parts<'a> {
    /// The book.
    pub book: &'a Book,
    /// Its chapters, rendered.
    pub chapters: &'a [RenderedChapter],
    /// The images the chapters show (the cover is `book.cover`).
    pub assets: &'a [Asset],
    /// The table of contents.
    pub toc: &'a [TocEntry],
    /// The landmarks.
    pub landmarks: &'a [Landmark],
    /// The build's instant.
    pub modified: Timestamp,
    /// The accessibility metadata.
    pub accessibility: &'a a11y::Accessibility,
}

/// The book's unique identifier: the manifest's, else its ISBN, else a
/// UUID v5 of its title and authors, so the same book keeps the same
/// identifier.
pub fn identifier(book: &Book) -> String {
    if let Some(id) = &book.manifest.book.identifier {
        return id.trim().to_string();
    }
    if let Some(isbn) = &book.manifest.book.isbn {
        return format!("urn:isbn:{}", isbn.digits);
    }
    // A namespace of bindery's own, so the UUIDs do not collide with other tools'.
    const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f0b_2a4e_8c1d_4f5b_9a7e_3d2c_1b0a_9f8e);
    let meta = &book.manifest.book;
    let mut name = meta.title.clone();
    for author in meta.authors() {
        name.push('\u{1F}');
        name.push_str(author);
    }
    format!(
        "urn:uuid:{}",
        uuid::Uuid::new_v5(&NAMESPACE, name.as_bytes())
    )
}

/// Whether the book is a short work, such as an article offered as an
/// e-book: one chapter, which a contents page of one entry and three pages
/// of front matter would only keep the reader from. Its licence page comes
/// after the text, and the contents page is out of the reading order
/// unless `[toc] in-book` asks for it.
fn is_short(parts: &Parts<'_>) -> bool {
    parts.chapters.len() == 1
}

/// Whether the contents page is in the reading order.
fn contents_in_book(parts: &Parts<'_>) -> bool {
    parts.book.manifest.toc.in_book.unwrap_or(!is_short(parts))
}

/// The generated copyright page, unless a chapter is the book's own.
fn copyright_page(parts: &Parts<'_>) -> Option<String> {
    let own = parts
        .chapters
        .iter()
        .any(|c| c.kind.name == "copyright-page");
    if own {
        None
    } else {
        pages::copyright_page(parts.book, is_short(parts))
    }
}

/// Every print page marker: (href from the nav document, label).
fn page_list(chapters: &[RenderedChapter]) -> Vec<(String, String)> {
    chapters
        .iter()
        .flat_map(|chapter| {
            chapter
                .pages
                .iter()
                .map(|(label, id)| (format!("text/{}#{id}", chapter.file), label.clone()))
        })
        .collect()
}

/// Builds every file of the EPUB but `mimetype`, in the order they go in
/// the zip.
/// `xhtml` is each chapter's document, in the order of `parts.chapters`,
/// given apart so that it is moved into the entries, not copied.
pub fn package(parts: &Parts<'_>, xhtml: Vec<std::sync::Arc<str>>) -> Vec<Entry> {
    let language = &parts.book.manifest.book.language;
    let locale = &parts.book.locale;
    let mut entries = vec![Entry::text("META-INF/container.xml", container())];
    entries.push(Entry::text(
        epub_paths::PACKAGE,
        opf::package_document(parts),
    ));
    entries.push(Entry::text(
        format!("EPUB/{}", epub_paths::NAV),
        nav::nav_document(
            parts.toc,
            parts.landmarks,
            &page_list(parts.chapters),
            &parts.book.toc_title(),
            locale,
        ),
    ));
    entries.push(Entry::text(
        format!("EPUB/{}", epub_paths::NCX),
        nav::ncx(
            parts.toc,
            &identifier(parts.book),
            &parts.book.manifest.book.title,
            language,
        ),
    ));
    entries.push(Entry::text(
        format!("EPUB/{}", epub_paths::STYLESHEET),
        format!(
            "{STYLESHEET}\n{}{}\n{}",
            match parts.book.manifest.book.writing_mode {
                WritingMode::VerticalRl => VERTICAL_STYLESHEET,
                WritingMode::HorizontalTb => "",
            },
            crate::render::HIGHLIGHT_CSS,
            parts.book.style.css
        ),
    ));
    // A drawn cover is shown as SVG, sharp at any size; the PNG is the
    // thumbnail.
    if let Some(cover) = parts.book.cover_svg.as_ref().or(parts.book.cover.as_ref()) {
        entries.push(Entry::text(
            format!("EPUB/{}", epub_paths::COVER_PAGE),
            pages::cover_page(
                cover,
                &parts.book.root,
                &parts.book.manifest.book.title,
                locale,
            ),
        ));
    }
    entries.push(Entry::text(
        format!("EPUB/{}", epub_paths::TITLE_PAGE),
        pages::title_page(parts.book),
    ));
    if let Some(page) = copyright_page(parts) {
        entries.push(Entry::text(
            format!("EPUB/{}", epub_paths::COPYRIGHT_PAGE),
            page,
        ));
    }
    for (chapter, xhtml) in parts.chapters.iter().zip(xhtml) {
        entries.push(Entry {
            name: format!("EPUB/text/{}", chapter.file),
            body: Content::Text(xhtml),
            compress: true,
        });
    }
    for asset in all_assets(parts) {
        entries.push(Entry {
            name: format!(
                "EPUB/{}",
                epub_paths::asset_file(&parts.book.root.display(&asset.path))
            ),
            body: asset.content.clone(),
            compress: !asset.media_type.is_compressed(),
        });
    }
    entries
}

/// The cover first, then the chapters' images, then the files the
/// stylesheets use, each once.
fn all_assets<'a>(parts: &'a Parts<'a>) -> impl Iterator<Item = &'a Asset> {
    let cover = parts.book.cover.as_ref();
    let chapters = parts
        .assets
        .iter()
        .filter(move |a| cover.is_none_or(|c| c.path != a.path));
    let style = parts.book.style.assets.iter().filter(move |a| {
        cover.is_none_or(|c| c.path != a.path) && !parts.assets.iter().any(|b| b.path == a.path)
    });
    cover
        .into_iter()
        .chain(parts.book.cover_svg.as_ref())
        .chain(chapters)
        .chain(style)
}

fn container() -> String {
    let mut w = crate::xml::XmlWriter::new();
    w.start(
        "container",
        &[
            ("version", "1.0"),
            ("xmlns", "urn:oasis:names:tc:opendocument:xmlns:container"),
        ],
    );
    w.raw("\n  <rootfiles>\n    ");
    w.empty(
        "rootfile",
        &[
            ("full-path", epub_paths::PACKAGE),
            ("media-type", "application/oebps-package+xml"),
        ],
    );
    w.raw("\n  </rootfiles>\n</container>\n");
    w.finish()
}
