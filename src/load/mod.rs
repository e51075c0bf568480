//! Manifest + folder → [`Book`]: the stage that reads the book's files.
//!
//! [`read_manifest`] finds `book.toml` and the book's root;
//! [`load_book`] reads the chapters, the cover and, for a book without a
//! cover image, the fonts its drawn cover needs; [`load_assets`] reads
//! the images the rendered chapters refer to. Every path is a
//! [`BookPath`], confined to the book's root.

mod error;
mod fonts;
mod mdbook;
pub mod media;
mod preprocess;
mod style;

pub use crate::paths::{
    BookPath, BookRoot, MAX_BINARY_FILE, MAX_TEXT_FILE, PathProblem, ReadProblem,
};
pub use error::{LoadError, Origin, PreprocessorProblem, StyleProblem};
pub use mdbook::MdBookSite;
pub use media::{MediaType, Motion};
pub use preprocess::run_preprocessors;
pub use style::{Style, load_style};

use crate::diag::{Code, Diagnostic, Sources};
use crate::manifest::front::{self, Direction, FrontMatter};
use crate::manifest::kind::ChapterKind;
use crate::manifest::{self, Manifest, Matter};
use crate::paths;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// A book, read: its manifest, chapters and cover.
#[derive(Debug, Clone)]
pub struct Book {
    /// The manifest.
    pub manifest: Manifest,
    /// The folder and the root paths are confined to.
    pub root: BookRoot,
    /// The chapters in reading order.
    pub chapters: Vec<SourceChapter>,
    /// The cover image: the manifest's, or once drawn (by
    /// [`crate::cover::draw_for`]), the one bindery drew.
    pub cover: Option<Asset>,
    /// The drawn cover as SVG, shown on the cover page, when bindery drew
    /// the cover.
    pub cover_svg: Option<Asset>,
    /// For a book without a cover image, the fonts its cover is drawn in,
    /// in the order a character is looked for in them; they have every
    /// character the cover shows. Empty otherwise (a cover drawn for an
    /// empty chain is set in the bundled font alone).
    pub cover_fonts: Vec<crate::typeface::FontFile>,
    /// The author's stylesheets and fonts.
    pub style: Style,
    /// For an mdBook project: what its links need to know.
    pub mdbook: Option<MdBookSite>,
    /// Files besides the manifest and the chapters that messages may
    /// point into (`SUMMARY.md`, included files), by display name.
    pub extra_sources: BTreeMap<String, Arc<str>>,
    /// What loading noticed that is worth saying but is not an error.
    pub notes: Vec<Diagnostic>,
    /// The book's language: its labels, script, direction and quotes.
    pub locale: crate::locale::Locale,
}

/// A chapter's Markdown, as read from disk.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceChapter {
    /// Where it is.
    pub path: BookPath,
    /// The path as the user names it.
    pub display: String,
    /// The text, without a byte-order mark.
    pub text: Arc<str>,
    /// The Markdown to render: the text with its front matter blanked out
    /// (so that every byte keeps its place, for messages).
    pub markdown: Arc<str>,
    /// The title from the manifest, else from the front matter.
    pub title: Option<String>,
    /// Front, body or back matter: from the manifest, else the front
    /// matter, else body.
    pub matter: Matter,
    /// The chapter's language, from its front matter, when it is not the
    /// book's.
    pub language: Option<String>,
    /// The direction of its text, from its front matter.
    pub dir: Option<Direction>,
    /// What the chapter is: from the manifest, else the front matter,
    /// else an ordinary chapter.
    pub kind: ChapterKind,
    /// The title of the part it belongs to: from the manifest, else the
    /// front matter.
    pub part: Option<String>,
    /// How deep it is nested under other chapters in the table of
    /// contents: 0 for a chapter at the top (every chapter of a bindery
    /// book; mdBook's `SUMMARY.md` nests them).
    pub depth: u8,
    /// For a chapter whose Markdown was preprocessed (mdBook's includes):
    /// where each piece of `markdown` comes from, to point messages at
    /// the files the author wrote.
    pub trace: Option<Arc<crate::mdbook::Expanded>>,
}

/// An image or other file copied into the EPUB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it is.
    pub path: BookPath,
    /// Its bytes, or where to read them.
    pub content: Content,
    /// Its type, from its bytes.
    pub media_type: MediaType,
    /// Whether it moves (an animated image), from its bytes.
    pub motion: Motion,
}

/// An asset's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Held in memory: the cover, which bindery looks into and puts on
    /// the download page, and what it draws itself.
    Bytes(Vec<u8>),
    /// Text shared with the stage that wrote it: a chapter's XHTML, which
    /// a rebuild's cache holds too.
    Text(Arc<str>),
    /// Left on disk until they go into the EPUB, streamed from there, so
    /// that a book's images and fonts are never all in memory.
    OnDisk {
        /// The real path, checked to be inside the book.
        file: std::path::PathBuf,
        /// Its size when it was loaded.
        size: u64,
    },
}

impl Asset {
    /// Its bytes, when they are in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.content {
            Content::Bytes(bytes) => Some(bytes),
            Content::Text(text) => Some(text.as_bytes()),
            Content::OnDisk { .. } => None,
        }
    }

    /// Its bytes, read from disk when they are not in memory (`None` when
    /// the file can no longer be read).
    pub fn read(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        match &self.content {
            Content::Bytes(bytes) => Some(std::borrow::Cow::Borrowed(bytes)),
            Content::Text(text) => Some(std::borrow::Cow::Borrowed(text.as_bytes())),
            Content::OnDisk { file, .. } => paths::read_limited(file, paths::MAX_BINARY_FILE)
                .ok()
                .map(std::borrow::Cow::Owned),
        }
    }

    /// How many bytes it has.
    pub fn size(&self) -> u64 {
        match &self.content {
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::Text(text) => text.len() as u64,
            Content::OnDisk { size, .. } => *size,
        }
    }
}

/// A request for a file, with where it was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetRef {
    /// The file.
    pub path: BookPath,
    /// Where it was referred to.
    pub origin: Origin,
}

/// Whether something other than a folder is at `path`: what the book
/// means to be its `book.toml` or `SUMMARY.md`. A named pipe or a device
/// there counts, so that reading it is refused with an error naming it,
/// rather than the book being taken for another kind or for none.
pub(crate) fn names_a_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|meta| !meta.is_dir())
}

/// Finds the book's root and reads `book.toml`.
pub fn read_manifest(dir: &Path) -> Result<(BookRoot, Arc<str>), LoadError> {
    read_manifest_in(dir, None)
}

/// [`read_manifest`], with the root the user named (`--root`) instead of
/// the one found, when there is one.
pub fn read_manifest_in(
    dir: &Path,
    root: Option<&Path>,
) -> Result<(BookRoot, Arc<str>), LoadError> {
    let manifest_path = dir.join(manifest::FILE_NAME);
    if !names_a_file(&manifest_path) {
        return Err(LoadError::NoManifest {
            dir: dir.display().to_string(),
        });
    }
    let found = match root {
        Some(root) => BookRoot::within(dir, root),
        None => BookRoot::discover(dir),
    };
    let root = found.map_err(|e| LoadError::Read {
        file: root.unwrap_or(dir).display().to_string(),
        message: e.to_string(),
    })?;
    // Read like every other file of the book: a `book.toml` that is a
    // symbolic link to a file outside the root (`/proc/self/environ`)
    // is refused, never read, so no line of it reaches a message.
    let bytes = root
        .read(&root.book().child(manifest::FILE_NAME))
        .map_err(|problem| {
            LoadError::from_read(problem, manifest::FILE_NAME.into(), Origin::none())
        })?;
    let text = decode_text(manifest::FILE_NAME, &bytes)?;
    Ok((root, text))
}

impl SourceChapter {
    /// A body chapter made from Markdown held in memory, with no front
    /// matter, title or part: for rendering text that has no book folder.
    pub fn from_text(path: BookPath, display: &str, markdown: &str) -> SourceChapter {
        SourceChapter {
            path,
            display: display.to_string(),
            text: Arc::from(markdown),
            markdown: Arc::from(markdown),
            title: None,
            matter: Matter::Body,
            language: None,
            dir: None,
            kind: ChapterKind::chapter(),
            part: None,
            depth: 0,
            trace: None,
        }
    }
}

impl Book {
    /// A book of chapters held in memory, `(path, markdown)` in reading
    /// order, in a folder that is never read (`/nowhere`): for rendering
    /// text without touching the disk.
    ///
    /// ```
    /// let manifest = bindery::manifest::parse(
    ///     "[book]\ntitle = \"T\"\nlanguage = \"en\"\n",
    ///     &mut Vec::new(),
    /// )
    /// .unwrap();
    /// let book = bindery::load::Book::in_memory(manifest, &[("chapters/a.md", "# A\n")]);
    /// assert_eq!(book.chapters[0].display, "chapters/a.md");
    /// ```
    pub fn in_memory(manifest: Manifest, chapters: &[(&str, &str)]) -> Book {
        let root = BookRoot::detached(Path::new("/nowhere"));
        let chapters = chapters
            .iter()
            .map(|(path, markdown)| {
                let resolved = root.resolve(root.book(), path).unwrap_or_default();
                SourceChapter::from_text(resolved, path, markdown)
            })
            .collect();
        Book {
            locale: crate::locale::Locale::new(&manifest.book.language, manifest.labels.clone()),
            manifest,
            root,
            chapters,
            cover: None,
            cover_svg: None,
            cover_fonts: Vec::new(),
            style: Style::default(),
            mdbook: None,
            extra_sources: BTreeMap::new(),
            notes: Vec::new(),
        }
    }
}

/// The note for a book in a language bindery has no labels in.
fn labels_in_english(tag: &str) -> Diagnostic {
    let name = crate::manifest::language::name(tag)
        .map_or_else(|| format!("`{tag}`"), |n| format!("{n} (`{tag}`)"));
    Diagnostic::new(
        crate::diag::Code::LabelsInEnglish,
        format!(
            "bindery has no labels in {name}: the pages it writes itself say \"Contents\", \"Notes\" and the like in English"
        ),
    )
    .in_file(manifest::FILE_NAME)
    .with_help("give the labels in a [labels] table of book.toml (`bindery explain B028` lists them)")
}

impl Book {
    /// The heading of the table of contents: `[toc] title`, else the
    /// label in the book's language.
    pub fn toc_title(&self) -> String {
        self.manifest
            .toc
            .title
            .clone()
            .unwrap_or_else(|| self.locale.label(crate::locale::Label::Contents))
    }
}

/// Parses the text of a book's `book.toml`: as mdBook's when it has
/// mdBook's `[book]` table and its source folder holds a `SUMMARY.md`
/// (an mdBook project), else as bindery's.
pub fn parse_manifest(
    root: &BookRoot,
    text: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Manifest, Vec<manifest::ManifestError>> {
    let is_mdbook = manifest::mdbook::source_folder(text)
        .is_some_and(|src| names_a_file(&root.book_dir().join(src).join("SUMMARY.md")));
    if is_mdbook {
        let folder = root.book_dir().file_name().map_or_else(
            || "Untitled".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        manifest::mdbook::parse(text, &folder, warnings)
    } else {
        manifest::parse(text, warnings)
    }
}

/// Decodes UTF-8, dropping a byte-order mark. A lone CR, the line end of
/// old Mac files, becomes LF: CommonMark counts it as a line end, but the
/// parser and TOML do not. The text keeps its length, so spans into it
/// are spans into the file.
fn decode_text(display: &str, bytes: &[u8]) -> Result<Arc<str>, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) if text.contains('\r') => Ok(Arc::from(lone_cr_to_lf(text))),
        Ok(text) => Ok(Arc::from(text)),
        Err(e) => Err(LoadError::NotUtf8 {
            file: display.to_string(),
            offset: e.valid_up_to(),
            lossy: Arc::from(String::from_utf8_lossy(bytes).as_ref()),
        }),
    }
}

/// `text` with every CR that is not followed by LF turned into LF.
fn lone_cr_to_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if c == '\r' && chars.peek() != Some(&'\n') {
            '\n'
        } else {
            c
        });
    }
    out
}

/// Reads the chapters and the cover that the manifest names.
///
/// Every problem is reported, not only the first.
pub fn load_book(root: BookRoot, manifest: Manifest) -> Result<Book, Vec<LoadError>> {
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let mut extra_sources = BTreeMap::new();
    let (entries, mdbook_src) = match &manifest.mdbook {
        Some(config) => {
            let (entries, src, names) =
                mdbook::summary_entries(&root, config, &mut errors, &mut notes, &mut extra_sources);
            (entries, Some((src, names)))
        }
        None => (
            chapter_entries(&root, &manifest, &mut errors, &mut notes),
            None,
        ),
    };
    let mut chapters = Vec::with_capacity(entries.len());
    // The files are read and decoded in parallel; the rest is done in order.
    let mut seen: std::collections::BTreeSet<&BookPath> = Default::default();
    let first: Vec<bool> = entries.iter().map(|e| seen.insert(&e.path)).collect();
    let texts: Vec<Option<Result<Arc<str>, LoadError>>> = entries
        .par_iter()
        .zip(&first)
        .map(|(entry, first)| {
            first.then(|| {
                let display = root.display(&entry.path);
                let bytes = root.read(&entry.path).map_err(|problem| {
                    LoadError::from_read(problem, display.clone(), entry.origin.clone())
                })?;
                decode_text(&display, &bytes)
            })
        })
        .collect();
    for (entry, text) in entries.iter().zip(texts) {
        let Some(text) = text else {
            errors.push(LoadError::DuplicateChapter {
                path: root.display(&entry.path),
                origin: entry.origin.clone(),
            });
            continue;
        };
        let display = root.display(&entry.path);
        match text {
            Ok(text) => match &manifest.mdbook {
                // mdBook has no front matter: the chapter is preprocessed instead.
                Some(config) => match mdbook::preprocess(
                    &root,
                    config,
                    &entry.path,
                    &display,
                    &text,
                    &mut extra_sources,
                ) {
                    Ok(expanded) => chapters.push(SourceChapter {
                        path: entry.path.clone(),
                        display,
                        markdown: Arc::from(expanded.text.as_str()),
                        text,
                        title: entry.title.clone(),
                        matter: entry.matter.unwrap_or_default(),
                        language: None,
                        dir: None,
                        kind: entry.kind.unwrap_or_else(ChapterKind::chapter),
                        part: entry.part.clone(),
                        depth: entry.depth,
                        trace: Some(Arc::new(expanded)),
                    }),
                    Err(e) => errors.extend(e),
                },
                None => match read_front_matter(&display, &text) {
                    Ok((front, markdown)) => {
                        let kind = entry.kind.or(front.kind);
                        // `{{#include}}` works in bindery's own books too.
                        let (markdown, trace) = match mdbook::expand_native(
                            &root,
                            &entry.path,
                            &display,
                            &markdown,
                            &mut extra_sources,
                        ) {
                            None => (markdown, None),
                            Some(Ok(expanded)) => {
                                (Arc::from(expanded.text.as_str()), Some(Arc::new(expanded)))
                            }
                            Some(Err(e)) => {
                                errors.extend(e);
                                continue;
                            }
                        };
                        chapters.push(SourceChapter {
                            path: entry.path.clone(),
                            display,
                            markdown,
                            text,
                            title: entry.title.clone().or(front.title),
                            // A preface is front matter unless told otherwise.
                            matter: entry
                                .matter
                                .or(front.matter)
                                .or(kind.map(|k| k.matter))
                                .unwrap_or_default(),
                            language: front.language,
                            dir: front.dir,
                            kind: kind.unwrap_or_else(ChapterKind::chapter),
                            part: entry.part.clone().or(front.part),
                            depth: entry.depth,
                            trace,
                        })
                    }
                    Err(e) => errors.extend(e),
                },
            },
            Err(e) => errors.push(e),
        }
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push(LoadError::NoChapters {
            listed: manifest.chapters.is_some(),
        });
    }

    // A book without a cover image gets one drawn later, by `cover`.
    let cover = manifest.book.cover.as_ref().and_then(|cover| {
        let origin = Origin::manifest(cover.span.clone());
        let path = match root.resolve(root.book(), &cover.value) {
            Ok(path) => path,
            Err(problem) => {
                errors.push(LoadError::BadPath {
                    path: cover.value.clone(),
                    problem,
                    origin,
                });
                return None;
            }
        };
        load_asset(&root, &AssetRef { path, origin }, Keep::InMemory)
            .map_err(|e| errors.push(e))
            .ok()
    });

    let style = load_style(&root, &manifest.style)
        .map_err(|e| errors.extend(e))
        .unwrap_or_default();
    let cover_fonts = fonts::cover_fonts(&root, &manifest)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();

    if errors.is_empty() {
        let mdbook = match (&manifest.mdbook, mdbook_src) {
            (Some(config), Some((src, names))) => {
                let listed: std::collections::BTreeSet<&BookPath> =
                    chapters.iter().map(|c| &c.path).collect();
                Some(MdBookSite {
                    unlisted: mdbook::unlisted_chapters(&root, &src, &listed),
                    src,
                    site_url: config.site_url.clone(),
                    names,
                })
            }
            _ => None,
        };
        let locale = crate::locale::Locale::new(&manifest.book.language, manifest.labels.clone());
        if !locale.has_labels() {
            notes.push(labels_in_english(&manifest.book.language));
        }
        Ok(Book {
            manifest,
            root,
            chapters,
            cover,
            cover_svg: None,
            cover_fonts,
            style,
            mdbook,
            extra_sources,
            notes,
            locale,
        })
    } else {
        Err(errors)
    }
}

/// A chapter's front matter, and its Markdown with the front matter
/// blanked out: spaces in place of every byte but line ends.
fn read_front_matter(
    display: &str,
    text: &Arc<str>,
) -> Result<(FrontMatter, Arc<str>), Vec<LoadError>> {
    let block = match front::find(text) {
        Ok(Some(block)) => block,
        Ok(None) => return Ok((FrontMatter::default(), text.clone())),
        Err(_) => {
            return Err(vec![LoadError::UnclosedFrontMatter {
                file: display.to_string(),
                text: text.clone(),
            }]);
        }
    };
    let front = front::parse(&text[block.toml.clone()]).map_err(|errors| {
        errors
            .into_iter()
            .map(|error| LoadError::FrontMatter {
                file: display.to_string(),
                text: text.clone(),
                error: Box::new(error.shifted(block.toml.start)),
            })
            .collect::<Vec<_>>()
    })?;
    let mut markdown = String::with_capacity(text.len());
    markdown.extend(text[..block.body_start].bytes().map(|b| {
        if b == b'\n' || b == b'\r' {
            b as char
        } else {
            ' '
        }
    }));
    markdown.push_str(&text[block.body_start..]);
    Ok((front, markdown.into()))
}

struct Entry {
    path: BookPath,
    title: Option<String>,
    matter: Option<Matter>,
    kind: Option<ChapterKind>,
    part: Option<String>,
    depth: u8,
    origin: Origin,
}

fn chapter_entries(
    root: &BookRoot,
    manifest: &Manifest,
    errors: &mut Vec<LoadError>,
    notes: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    match &manifest.chapters {
        Some(listed) => listed
            .iter()
            .filter_map(|chapter| {
                let origin = Origin::manifest(chapter.file.span.clone());
                match root.resolve(root.book(), &chapter.file.value) {
                    Ok(path) => Some(Entry {
                        path,
                        title: chapter.title.clone(),
                        matter: chapter.matter,
                        kind: chapter.kind,
                        part: chapter.part.clone(),
                        depth: 0,
                        origin,
                    }),
                    Err(problem) => {
                        errors.push(LoadError::BadPath {
                            path: chapter.file.value.clone(),
                            problem,
                            origin,
                        });
                        None
                    }
                }
            })
            .collect(),
        None => discover_chapters(root, errors, notes),
    }
}

/// Every `chapters/*.md`, in natural order: `2-x.md` before `10-x.md`. A
/// `.md` that cannot be a chapter (a folder, a pipe, a name with control
/// characters or not in UTF-8) is a warning in `notes`.
fn discover_chapters(
    root: &BookRoot,
    errors: &mut Vec<LoadError>,
    notes: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let dir = root.book_dir().join("chapters");
    let listing = match std::fs::read_dir(&dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            errors.push(LoadError::Read {
                file: "chapters".into(),
                message: e.to_string(),
            });
            return Vec::new();
        }
    };
    let mut names: Vec<String> = Vec::new();
    let mut skipped: Vec<(String, String)> = Vec::new();
    for entry in listing.filter_map(Result::ok) {
        let name = entry.file_name();
        let lossy = name.to_string_lossy();
        if !lossy.ends_with(".md") || lossy.starts_with('.') {
            continue;
        }
        // What is not read is said, so that no chapter goes missing
        // without a word.
        let kind = entry.file_type().ok();
        let odd = name
            .to_str()
            .and_then(|text| text.chars().find(|&c| paths::deceptive(c)));
        let why = match (name.to_str(), odd, kind) {
            (None, _, _) => Some("its name is not UTF-8".to_string()),
            (_, Some(c), _) => Some(format!(
                "its name holds U+{:04X}, a control, invisible or look-alike character",
                u32::from(c)
            )),
            (_, _, Some(t)) if t.is_dir() => Some("it is a folder".into()),
            (_, _, Some(t)) if t.is_file() || t.is_symlink() => None,
            (_, _, Some(_)) => {
                Some("it is not a regular file but a named pipe, a socket or a device".into())
            }
            (_, _, None) => Some("its type cannot be read".into()),
        };
        match why {
            Some(why) => skipped.push((format!("chapters/{lossy}"), why)),
            None => names.push(lossy.into_owned()),
        }
    }
    skipped.sort();
    notes.extend(skipped.into_iter().map(|(file, why)| {
        Diagnostic::new(Code::NotAChapter, format!("`{file}` is not read as a chapter: {why}"))
            .in_file(file)
            .with_help("give a chapter a name of letters, digits and `-` ending in `.md`, as a file; or move it out of `chapters/`")
    }));
    names.sort_by(|a, b| natural_cmp(a, b).then_with(|| a.cmp(b)));
    names
        .into_iter()
        .filter_map(|name| {
            let path = root
                .resolve(root.book(), &format!("chapters/{name}"))
                .ok()?;
            Some(Entry {
                path,
                title: None,
                matter: None,
                kind: None,
                part: None,
                depth: 0,
                origin: Origin::none(),
            })
        })
        .collect()
}

/// Compares names so that runs of digits compare as numbers.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let na = trim_zeros(&a[..da]);
                let nb = trim_zeros(&b[..db]);
                let order = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if order.is_ne() {
                    return order;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&d| d == b'0').count();
    &digits[zeros..]
}

/// Reads the files the chapters refer to, each once, in the order given.
pub fn load_assets(root: &BookRoot, refs: &[AssetRef]) -> Result<Vec<Asset>, Vec<LoadError>> {
    let mut assets: Vec<Asset> = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for asset_ref in refs {
        if !seen.insert(&asset_ref.path) {
            continue;
        }
        match load_asset(root, asset_ref, Keep::OnDisk) {
            Ok(asset) => assets.push(asset),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(assets)
    } else {
        Err(errors)
    }
}

/// The error for each image a chapter would show that is missing, once
/// per file, where it is first shown.
pub fn missing_images(root: &BookRoot, refs: &[AssetRef]) -> Vec<LoadError> {
    let mut seen = std::collections::BTreeSet::new();
    refs.iter()
        .filter(|image| seen.insert(&image.path))
        .map(|image| {
            LoadError::from_read(
                ReadProblem::Missing,
                root.display(&image.path),
                image.origin.clone(),
            )
        })
        .collect()
}

/// How much of an image is read to learn its type and size: enough for
/// every header but a JPEG's with large metadata before its frame, which
/// is then read whole.
const IMAGE_HEAD: usize = 64 * 1024;

/// Where an asset's bytes are kept.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Read into memory.
    InMemory,
    /// Looked at, then left on disk to be streamed into the EPUB.
    OnDisk,
}

/// Whether the image at `path` moves, from `head`, its first bytes, and,
/// when they do not tell and the file is longer (`size`), from the whole
/// file, which [`BookRoot::read_binary`] bounds.
fn motion_of(
    root: &BookRoot,
    path: &BookPath,
    media_type: MediaType,
    head: &[u8],
    size: u64,
) -> Motion {
    let whole = size <= head.len() as u64;
    match media::motion(media_type, head, whole) {
        Motion::Unknown if !whole => root.read_binary(path).map_or(Motion::Unknown, |bytes| {
            media::motion(media_type, &bytes, true)
        }),
        motion => motion,
    }
}

fn load_asset(root: &BookRoot, asset_ref: &AssetRef, keep: Keep) -> Result<Asset, LoadError> {
    let display = root.display(&asset_ref.path);
    let read_problem =
        |problem| LoadError::from_read(problem, display.clone(), asset_ref.origin.clone());
    let (content, head) = match keep {
        Keep::InMemory => {
            let data = root.read_binary(&asset_ref.path).map_err(read_problem)?;
            (None, data)
        }
        Keep::OnDisk => {
            let (file, size, head) = root
                .peek_binary(&asset_ref.path, IMAGE_HEAD)
                .map_err(read_problem)?;
            (Some(Content::OnDisk { file, size }), head)
        }
    };
    let media_type = media::sniff_image(&head).ok_or_else(|| LoadError::NotAnImage {
        path: display.clone(),
        origin: asset_ref.origin.clone(),
    })?;
    // A raster image whose header cannot be read would not show anywhere.
    let readable = |bytes: &[u8]| media::dimensions(media_type, bytes).is_some();
    let damaged = media_type != MediaType::Svg
        && !readable(&head)
        && match &content {
            // Only the start was read: look at the whole before saying so.
            Some(Content::OnDisk { size, .. }) if *size > head.len() as u64 => !root
                .read_binary(&asset_ref.path)
                .is_ok_and(|whole| readable(&whole)),
            _ => true,
        };
    if damaged {
        return Err(LoadError::DamagedImage {
            path: display,
            origin: asset_ref.origin.clone(),
        });
    }
    let size = match &content {
        Some(Content::OnDisk { size, .. }) => *size,
        _ => head.len() as u64,
    };
    let motion = motion_of(root, &asset_ref.path, media_type, &head, size);
    Ok(Asset {
        path: asset_ref.path.clone(),
        content: content.unwrap_or(Content::Bytes(head)),
        media_type,
        motion,
    })
}

/// The files in the book's `folder` (such as `assets`) and the folders in
/// it, sorted, without those whose names start with `.`; nothing when
/// there is no such folder. Links to folders are not followed. For
/// `bindery check`, which looks for files nothing uses.
pub fn list_files(root: &BookRoot, folder: &str) -> Vec<BookPath> {
    let mut files = Vec::new();
    let mut pending = vec![root.book().child(folder)];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(root.on_disk(&dir)) else {
            continue;
        };
        let mut entries: Vec<(String, bool)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().to_str()?.to_string();
                let kind = entry.file_type().ok()?;
                (!name.starts_with('.')).then_some((name, kind.is_dir()))
            })
            .collect();
        entries.sort();
        for (name, is_dir) in entries.into_iter().rev() {
            if is_dir {
                pending.push(dir.child(&name));
            } else {
                files.push(dir.child(&name));
            }
        }
    }
    files.sort();
    files
}

/// Every file the book was made from, as it is on disk: `book.toml`, the
/// chapters, the files they include, the stylesheets, the fonts, the cover
/// and the images in `assets`.
pub fn files_read(book: &Book, assets: &[Asset]) -> Vec<std::path::PathBuf> {
    let root = &book.root;
    let book_dir = root.book_dir();
    let mut files = vec![book_dir.join(manifest::FILE_NAME)];
    files.extend(book.chapters.iter().map(|c| root.on_disk(&c.path)));
    files.extend(book.extra_sources.keys().map(|name| book_dir.join(name)));
    files.extend(book.style.sheets.iter().map(|sheet| root.on_disk(sheet)));
    let used = book.cover.iter().chain(&book.style.assets).chain(assets);
    files.extend(used.map(|asset| root.on_disk(&asset.path)));
    files
}

/// Stores ask for a cover of at least this many pixels on its long side.
pub const MIN_COVER_SIDE: u32 = 1400;

/// A warning when the cover is smaller than stores accept.
pub fn check_cover(book: &Book) -> Option<Diagnostic> {
    let cover = book.cover.as_ref()?;
    let (width, height) = media::dimensions(cover.media_type, cover.bytes()?)?;
    if width.max(height) >= MIN_COVER_SIDE {
        return None;
    }
    let span = book.manifest.book.cover.as_ref().map(|c| c.span.clone());
    Some(
        Diagnostic::new(
            Code::SmallCover,
            format!("the cover is {width} × {height} pixels, smaller than stores accept"),
        )
        .in_file(manifest::FILE_NAME)
        .at_opt(span)
        .with_help(format!(
            "use an image at least {MIN_COVER_SIDE} pixels on its long side; \
             Amazon KDP and Apple Books ask for 1600 × 2560 (a ratio of 1 to 1.6)"
        )),
    )
}

/// Registers the text of the manifest and every chapter, so diagnostics
/// can show their lines.
pub fn sources_of(book: &Book, manifest_text: &Arc<str>) -> Sources {
    let mut sources = Sources::default();
    sources.insert(manifest::FILE_NAME, manifest_text.clone());
    for chapter in &book.chapters {
        sources.insert(chapter.display.clone(), chapter.text.clone());
    }
    for (name, text) in &book.extra_sources {
        sources.insert(name.clone(), text.clone());
    }
    sources
}

/// Where the Markdown of preprocessed chapters comes from, to point
/// messages at the files the author wrote rather than at the text bindery
/// rendered.
#[derive(Debug, Clone, Default)]
pub struct Traces {
    chapters: BTreeMap<String, Arc<crate::mdbook::Expanded>>,
}

impl Traces {
    /// The traces of a book's preprocessed chapters.
    pub fn of(book: &Book) -> Traces {
        Traces {
            chapters: book
                .chapters
                .iter()
                .filter_map(|c| Some((c.display.clone(), c.trace.clone()?)))
                .collect(),
        }
    }

    /// Moves every diagnostic about a preprocessed chapter to the file and
    /// span its text came from, and sorts the report again.
    pub fn apply(&self, report: &mut crate::diag::Report) {
        if self.chapters.is_empty() {
            return;
        }
        for diagnostic in &mut report.diagnostics {
            let (Some(file), Some(span)) = (&diagnostic.file, &diagnostic.span) else {
                continue;
            };
            let Some(trace) = self.chapters.get(file) else {
                continue;
            };
            let (source, span) = trace.source_span(span.clone());
            if !source.is_empty() {
                diagnostic.file = Some(source);
                diagnostic.span = Some(span);
            }
        }
        report.sort();
    }
}

#[cfg(test)]
mod tests {
    use super::{decode_text, natural_cmp};

    #[test]
    fn lone_carriage_returns_become_line_feeds_and_crlf_stays() {
        let text = decode_text("a.md", b"\xEF\xBB\xBF# One\rText\r\nMore\r").unwrap();
        assert_eq!(&*text, "# One\nText\r\nMore\n");
    }

    #[test]
    fn natural_order_puts_2_before_10() {
        let mut names = vec!["10-c.md", "2-b.md", "1-a.md", "01-z.md", "b.md", "a.md"];
        names.sort_by(|a, b| natural_cmp(a, b).then_with(|| a.cmp(b)));
        assert_eq!(
            names,
            ["1-a.md", "01-z.md", "2-b.md", "10-c.md", "a.md", "b.md"]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_to_text_of_the_same_length_or_an_error_at_a_boundary(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            text in crate::test_text::any_text(),
        ) {
            for bytes in [bytes, text.into_bytes()] {
                let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes).len();
                match decode_text("a.md", &bytes) {
                    Ok(text) => proptest::prop_assert_eq!(text.len(), without_bom),
                    Err(super::LoadError::NotUtf8 { offset, .. }) => proptest::prop_assert!(offset <= without_bom),
                    Err(other) => proptest::prop_assert!(false, "{:?}", other),
                }
            }
        }
    }
}
