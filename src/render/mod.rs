//! Markdown → XHTML, one document per chapter: the third stage.
//!
//! Each chapter is parsed once with pulldown-cmark and written at once
//! through the one escaping writer, in parallel, so that only the
//! chapters being written hold their events in memory. A link to a
//! heading in another chapter cannot be checked before that chapter is
//! written: it is written as a marker and filled in when every chapter's
//! ids are known (`deferred`). This stage touches no files: images
//! come out as [`AssetRef`]s for `load` to read, and with `broken-links =
//! "warn"` it asks `load` ([`IsMissing`]) whether an image is missing, to
//! write it as its alt text, so that the book is rendered once.

mod autolink;
mod deferred;
mod error;
mod highlight;
pub mod html;
mod ids;
mod links;
mod math;
mod pandoc;
mod scan;
mod writer;

pub use error::{RenderError, RenderErrorKind};
pub use ids::slug;

use crate::diag::{Diagnostic, Policy};
use crate::epub_paths;
use crate::load::SourceChapter;
use crate::load::{AssetRef, Book, BookPath};
use crate::manifest::{Matter, NotesPlacement};
use links::{LinkTargets, Target};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A heading of a rendered chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The element's id.
    pub id: String,
    /// Its text, without markup.
    pub text: String,
}

/// A chapter as XHTML, with what the later stages need to know about it.
#[derive(Debug, Clone)]
pub struct RenderedChapter {
    /// The file name inside `text/`.
    pub file: String,
    /// The chapter's title.
    pub title: String,
    /// Front, body or back matter.
    pub matter: Matter,
    /// The headings, in order.
    pub headings: Vec<Heading>,
    /// Whether the first heading is the chapter's own title (rather than
    /// the first of its sections).
    pub first_heading_is_title: bool,
    /// The whole XHTML document, shared with the zip entry and the rebuild
    /// cache rather than copied.
    pub xhtml: Arc<str>,
    /// The images it shows.
    pub assets: Vec<AssetRef>,
    /// The images it would show that are missing, written as their alt
    /// text (only with `broken-links = "warn"`; else they are in `assets`,
    /// for `load` to report).
    pub missing_images: Vec<AssetRef>,
    /// Whether it holds inline SVG or MathML.
    pub contains: html::Contains,
    /// Its footnotes, when they go to the notes chapter (XHTML asides).
    pub notes: String,
    /// Its language, when it is not the book's.
    pub language: Option<String>,
    /// What it is: a chapter, a preface, an appendix …
    pub kind: crate::manifest::kind::ChapterKind,
    /// What accessibility metadata needs to know about it.
    pub facts: ContentFacts,
    /// Its print page markers, in order: (label, id).
    pub pages: Vec<(String, String)>,
    /// The title of the part it belongs to.
    pub part: Option<String>,
    /// How deep it is nested under other chapters in the table of contents.
    pub depth: u8,
    /// Notes on its links `#id` that lead to another chapter, which has
    /// the id it lacks: for `bindery check`, not for every build.
    pub elsewhere: Vec<Diagnostic>,
}

/// Facts about a chapter's content that the package's accessibility
/// metadata is derived from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContentFacts {
    /// Images shown (`<img>`).
    pub images: usize,
    /// Images without alt text (not those marked decorative with `alt=""`
    /// in HTML).
    pub images_without_alt: usize,
    /// Tables without a header cell.
    pub tables_without_headers: usize,
}

impl ContentFacts {
    /// Adds another chapter's facts.
    pub fn add(&mut self, other: ContentFacts) {
        self.images += other.images;
        self.images_without_alt += other.images_without_alt;
        self.tables_without_headers += other.tables_without_headers;
    }
}

/// The stylesheet for highlighted code, added to the book's own.
pub const HIGHLIGHT_CSS: &str = include_str!("highlight.css");

/// Renders every chapter of a book, every image taken to be there.
/// Warnings are pushed to `warnings`; errors from all chapters are
/// returned together.
pub fn render_book(
    book: &Book,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<RenderedChapter>, Vec<RenderError>> {
    render_book_cached(book, &|_| false, warnings, None)
}

/// The images the chapters show, and those they would show that are
/// missing (with `broken-links = "warn"`), in reading order.
pub fn images(chapters: &[RenderedChapter]) -> (Vec<AssetRef>, Vec<AssetRef>) {
    let all = |of: fn(&RenderedChapter) -> &Vec<AssetRef>| {
        chapters
            .iter()
            .flat_map(|c| of(c).iter().cloned())
            .collect()
    };
    (all(|c| &c.assets), all(|c| &c.missing_images))
}

/// Takes each chapter's XHTML out, leaving it empty, to move it into the
/// zip's entries: a large book is never held twice.
pub fn take_xhtml(chapters: &mut [RenderedChapter]) -> Vec<Arc<str>> {
    chapters
        .iter_mut()
        .map(|c| std::mem::replace(&mut c.xhtml, "".into()))
        .collect()
}

/// Whether nothing is at a path: asked of `load` for each image, so that
/// with `broken-links = "warn"` a missing image becomes its alt text in
/// the book's one rendering.
pub type IsMissing<'a> = &'a (dyn Fn(&BookPath) -> bool + Sync);

/// What earlier builds rendered, so that a rebuild (`bindery watch`)
/// renders only the chapters that changed.
///
/// A chapter is written again when its Markdown or settings changed, or
/// when it moved; it counts as written again too when one of its links
/// to another chapter's ids now leads elsewhere, or nowhere, or somewhere
/// again. Everything else a chapter's XHTML depends on is the same for
/// the whole book (the manifest, the list of chapters, …); when that
/// changes, every chapter is written again.
#[derive(Default)]
pub struct RenderCache {
    /// What every chapter below was written with.
    context: Option<ContextKey>,
    /// Each chapter as written, and what from.
    chapters: BTreeMap<BookPath, Cached>,
    /// How many chapters the last build wrote, or filled in anew, rather
    /// than took from here.
    pub rendered: usize,
    /// Those chapters, as the user names them, in reading order.
    pub rendered_chapters: Vec<String>,
}

/// A chapter as an earlier build wrote it.
struct Cached {
    /// The chapter it was written from.
    source: SourceChapter,
    /// Its position in the book.
    index: usize,
    /// As written, its links to other chapters still markers; shared
    /// with the build that wrote it, not copied.
    written: Arc<writer::Written>,
    /// What its links to other chapters were filled in with, and the
    /// chapter so filled in, when that went without error.
    filled: Option<(Arc<Vec<deferred::Resolved>>, Arc<writer::Written>)>,
}

/// What a chapter's XHTML depends on besides the chapter itself and the
/// chapters it links to: each field of [`writer::Context`] but the link
/// targets, and, to be safe, the whole manifest and the list of chapters
/// (a broken link's "did you mean" looks through all of them).
#[derive(PartialEq)]
struct ContextKey {
    manifest: crate::manifest::Manifest,
    /// The book folder, on disk and as a path.
    root: (std::path::PathBuf, BookPath),
    /// Each chapter's path, display path and file, in reading order.
    chapters: Vec<(BookPath, String, String)>,
    language: String,
    policy: Policy,
    notes_file: Option<String>,
    mdbook: Option<crate::load::MdBookSite>,
}

/// [`render_book`], asking `missing` which images are missing, reusing
/// what `cache` holds from an earlier build and leaving this build's
/// chapters there.
pub fn render_book_cached(
    book: &Book,
    missing: IsMissing<'_>,
    warnings: &mut Vec<Diagnostic>,
    mut cache: Option<&mut RenderCache>,
) -> Result<Vec<RenderedChapter>, Vec<RenderError>> {
    let count = book.chapters.len();
    // Every chapter's file is known from the start; its ids once it is written.
    let mut targets = LinkTargets::default();
    for (index, chapter) in book.chapters.iter().enumerate() {
        targets.insert(
            chapter.path.clone(),
            Arc::new(Target {
                file: epub_paths::chapter_file(index, count, &chapter.path),
                display: chapter.display.clone(),
                ids: ids::IdSet::default(),
                slugs: BTreeMap::new(),
            }),
        );
    }
    let notes = &book.manifest.notes;
    let context = writer::Context {
        root: &book.root,
        language: &book.manifest.book.language,
        locale: &book.locale,
        targets: &targets,
        policy: book.manifest.policy(),
        missing,
        notes_file: (notes.placement == NotesPlacement::Book).then_some(epub_paths::NOTES_FILE),
        mdbook: book.mdbook.as_ref(),
    };
    if let Some(cache) = cache.as_deref_mut() {
        let key = ContextKey {
            manifest: book.manifest.clone(),
            root: (book.root.book_dir().to_path_buf(), book.root.book().clone()),
            chapters: book
                .chapters
                .iter()
                .map(|c| {
                    let file = targets.get(&c.path).map(|t| t.file.clone());
                    (c.path.clone(), c.display.clone(), file.unwrap_or_default())
                })
                .collect(),
            language: context.language.to_string(),
            policy: context.policy,
            notes_file: context.notes_file.map(str::to_string),
            mdbook: book.mdbook.clone(),
        };
        if cache.context.as_ref() != Some(&key) {
            cache.chapters.clear();
            cache.context = Some(key);
        }
    }
    let known = cache.as_deref();
    // Each chapter as written, with whether it was written in this build
    // rather than taken from the cache.
    let first: Vec<(Arc<writer::Written>, bool)> = book
        .chapters
        .par_iter()
        .enumerate()
        .map(|(index, chapter)| {
            let earlier = known.and_then(|c| {
                c.chapters
                    .get(&chapter.path)
                    .filter(|cached| cached.index == index && cached.source == *chapter)
                    .filter(|cached| images_as_before(&cached.written, &context))
            });
            if let Some(cached) = earlier {
                return (cached.written.clone(), false);
            }
            let language = chapter.language.as_deref().unwrap_or(context.language);
            // An mdBook is read as mdBook reads it; any other book as pandoc would.
            let pandoc = context.mdbook.is_none();
            let scanned = scan::scan(
                &chapter.markdown,
                &chapter.display,
                language,
                pandoc,
                |tag| context.locale.other(tag).quotes(),
            );
            let written = writer::write_chapter(index, chapter, scanned, &context);
            (Arc::new(written), true)
        })
        .collect();

    // Each chapter's ids go into the targets: moved, unless the cache
    // keeps them.
    let mut first = first;
    let mut all = targets.clone();
    for (chapter, (written, _)) in book.chapters.iter().zip(&mut first) {
        let own = match Arc::get_mut(written) {
            Some(written) if cache.is_none() => written.own.take(),
            _ => written.own.clone(),
        };
        if let Some(own) = own {
            all.insert(chapter.path.clone(), own);
        }
    }
    // The second pass fills in the links between chapters.
    let known = cache.as_deref();
    // The chapters written in this build: the only ones whose ids may
    // differ from the last build's. A chapter whose links lead into none
    // of them is filled in as it was, without resolving its links again.
    let changed: BTreeSet<&BookPath> = match known {
        Some(_) => book
            .chapters
            .iter()
            .zip(&first)
            .filter(|(_, (_, fresh))| *fresh)
            .map(|(chapter, _)| &chapter.path)
            .collect(),
        None => BTreeSet::new(),
    };
    let results: Vec<(writer::Written, Option<Kept>, bool)> = book
        .chapters
        .par_iter()
        .zip(first)
        .map(|(chapter, (shared, fresh))| {
            let before = known
                .and_then(|c| c.chapters.get(&chapter.path))
                .and_then(|c| c.filled.as_ref())
                .filter(|_| !fresh);
            // Links into none of the chapters written in this build lead
            // where they led: they need not be resolved again.
            let resolved = match before {
                Some((with, _))
                    if shared.deferred.iter().all(|(link, _)| {
                        // A link that may lead anywhere may lead into any of them.
                        let anywhere = link.anywhere.is_some() && !changed.is_empty();
                        !anywhere && !changed.contains(&link.path)
                    }) =>
                {
                    with.clone()
                }
                _ => Arc::new(deferred::resolve(&shared, &all)),
            };
            // Written as before and filled in as before: as it was.
            if let Some((_, filled)) = before.filter(|(with, _)| *with == resolved) {
                let kept = Kept {
                    unfilled: shared,
                    resolved,
                    filled: Some(filled.clone()),
                };
                return ((**filled).clone(), Some(kept), false);
            }
            let refilled = known.is_some();
            let unfilled = known.map(|_| shared.clone());
            let mut written = Arc::try_unwrap(shared).unwrap_or_else(|kept| (*kept).clone());
            let errors =
                deferred::fill_in(&mut written, &chapter.display, &resolved, context.policy);
            written.errors.extend(errors);
            let kept = unfilled.map(|unfilled| {
                // Without links to fill in, filled is as written.
                let filled = match written.errors.is_empty() {
                    false => None,
                    true if written.deferred.is_empty() => Some(unfilled.clone()),
                    true => Some(Arc::new(written.clone())),
                };
                Kept {
                    unfilled,
                    resolved,
                    filled,
                }
            });
            (written, kept, fresh || refilled)
        })
        .collect();
    if let Some(cache) = cache {
        cache.rendered = results.iter().filter(|(_, _, fresh)| *fresh).count();
        cache.rendered_chapters = book
            .chapters
            .iter()
            .zip(&results)
            .filter(|(_, (_, _, fresh))| *fresh)
            .map(|(chapter, _)| chapter.display.clone())
            .collect();
        let mut results = results;
        cache.chapters = book
            .chapters
            .iter()
            .zip(&mut results)
            .enumerate()
            .filter_map(|(index, (chapter, (_, kept, _)))| {
                let kept = kept.take()?;
                if !kept.unfilled.errors.is_empty() {
                    return None;
                }
                let cached = Cached {
                    source: chapter.clone(),
                    index,
                    written: kept.unfilled,
                    filled: kept.filled.map(|filled| (kept.resolved, filled)),
                };
                Some((chapter.path.clone(), cached))
            })
            .collect();
        return finish(book, results, warnings);
    }
    finish(book, results, warnings)
}

/// Whether the images a chapter was written with are as they were: each
/// one it left out as missing still missing, and, when missing images are
/// left out, each one it shows still there.
fn images_as_before(written: &writer::Written, context: &writer::Context<'_>) -> bool {
    let Some(chapter) = &written.chapter else {
        return true;
    };
    let missing = context.missing;
    chapter
        .missing_images
        .iter()
        .all(|image| missing(&image.path))
        && (!context.policy.lenient_links
            || chapter.assets.iter().all(|image| !missing(&image.path)))
}

/// What the cache keeps of a chapter written in this build.
struct Kept {
    /// As written, with markers.
    unfilled: Arc<writer::Written>,
    /// What its markers were filled in with.
    resolved: Arc<Vec<deferred::Resolved>>,
    /// Filled in, when that went without error.
    filled: Option<Arc<writer::Written>>,
}

/// The chapters, once written: with part pages and the notes chapter,
/// or every chapter's errors.
fn finish(
    book: &Book,
    results: Vec<(writer::Written, Option<Kept>, bool)>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<RenderedChapter>, Vec<RenderError>> {
    let language = &book.manifest.book.language;
    let notes = &book.manifest.notes;
    let results = results.into_iter().map(|(written, _, _)| written);
    let count = book.chapters.len();

    let mut chapters = Vec::with_capacity(count);
    let mut errors = Vec::new();
    for result in results {
        warnings.extend(result.warnings);
        errors.extend(result.errors);
        chapters.extend(result.chapter);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut chapters = with_part_pages(chapters, language);
    if chapters.iter().any(|c| !c.notes.is_empty()) {
        let title = notes
            .title
            .clone()
            .unwrap_or_else(|| book.locale.label(crate::locale::Label::Notes));
        let notes = writer::notes_chapter(&chapters, &title, language);
        chapters.push(notes);
    }
    Ok(chapters)
}

/// The chapters with a part title page before the first chapter of each
/// run of chapters that name the same part.
fn with_part_pages(chapters: Vec<RenderedChapter>, language: &str) -> Vec<RenderedChapter> {
    let mut out = Vec::with_capacity(chapters.len());
    let mut current: Option<String> = None;
    let mut parts = 0;
    for chapter in chapters {
        if chapter.part.is_some() && chapter.part != current {
            parts += 1;
            let title = chapter.part.clone().unwrap_or_default();
            out.push(writer::part_page(parts, &title, language));
        }
        current = chapter.part.clone();
        out.push(chapter);
    }
    out
}

/// A title made from a file name: `01-getting_started.md` → "Getting started".
pub fn title_from_file_name(path: &BookPath) -> String {
    let stem = path.stem().trim_start_matches(|c: char| {
        c.is_ascii_digit() || c == '-' || c == '_' || c == '.' || c == ' '
    });
    let words = stem.replace(['-', '_'], " ");
    let words = words.trim();
    let words = if words.is_empty() { path.stem() } else { words };
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_string(),
    }
}

#[cfg(test)]
mod tests;
