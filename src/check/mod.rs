//! The checks only `bindery check` runs: what makes a valid EPUB but
//! probably not the book the author meant, and what stores will ask for.
//!
//! Takes the loaded book, the files its chapters refer to and the files in
//! its `assets/` folder (listed by `load`), and returns warnings; `build`
//! calls it after rendering when `check_only` is set. It reads nothing
//! from disk itself. The checks a build makes anyway (broken links,
//! images without alt text, duplicate ids, cover size, profiles) are not
//! repeated here; the metadata stores ask for ([`store_metadata`]) is
//! checked here and called by every build with a store's profile.

use crate::diag::{Code, Diagnostic};
use crate::load::{AssetRef, Book, BookPath, SourceChapter};
use crate::manifest::{self, language};
use crate::profile::Profile;
use pulldown_cmark::{Event, Tag, TagEnd};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::ops::Range;

/// The folder of a book whose files should all be used.
pub const ASSETS: &str = "assets";

/// What the checks look at.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The book.
    pub book: &'a Book,
    /// The text of `book.toml`.
    pub manifest_text: &'a str,
    /// The files the rendered chapters refer to.
    pub refs: &'a [AssetRef],
    /// Every file in the book's `assets/` folder.
    pub asset_files: &'a [BookPath],
    /// Every file in the folder the chapters come from, when the book lists
    /// its chapters itself: an mdBook's source folder, or `chapters/` of a
    /// book with `[[chapters]]` (see [`chapter_folder`]).
    pub chapter_files: &'a [BookPath],
}

/// Runs every check-only check on a book whose chapters refer to `refs`,
/// and returns its warnings. Lists the files of
/// the book's `assets/` and chapters' folders to find those it leaves out.
pub fn check_folder(book: &Book, manifest_text: &str, refs: &[AssetRef]) -> Vec<Diagnostic> {
    let asset_files = crate::load::list_files(&book.root, ASSETS);
    let chapter_files = chapter_folder(&book.manifest)
        .map(|folder| crate::load::list_files(&book.root, &folder))
        .unwrap_or_default();
    check_book(&Input {
        book,
        manifest_text,
        refs,
        asset_files: &asset_files,
        chapter_files: &chapter_files,
    })
}

/// Runs every check-only check and returns its warnings.
pub fn check_book(input: &Input<'_>) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    warnings.extend(language_case(input.book, input.manifest_text));
    warnings.extend(unused_assets(input));
    warnings.extend(unlisted_chapters(input));
    let per_chapter: Vec<Vec<Diagnostic>> = input
        .book
        .chapters
        .par_iter()
        .map(chapter_outline)
        .collect();
    warnings.extend(per_chapter.into_iter().flatten());
    warnings
}

/// The kinds of file a book uses, by extension: images, fonts and
/// stylesheets. Other files in `assets/` (a script that draws the cover, a
/// README) cannot be part of an EPUB and are not reported.
const BOOK_FILES: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "svg", "ttf", "otf", "woff", "woff2", "css",
];

/// Images, fonts and stylesheets in `assets/` that no chapter, stylesheet,
/// font list or cover uses (`B120`).
fn unused_assets(input: &Input<'_>) -> Vec<Diagnostic> {
    let book = input.book;
    let mut used: BTreeSet<&BookPath> = input.refs.iter().map(|r| &r.path).collect();
    used.extend(book.cover.iter().map(|c| &c.path));
    used.extend(book.style.assets.iter().map(|a| &a.path));
    let sheets: Vec<BookPath> = book
        .manifest
        .style
        .css
        .iter()
        .filter_map(|sheet| book.root.resolve(book.root.book(), &sheet.value).ok())
        .collect();
    used.extend(&sheets);
    input
        .asset_files
        .iter()
        .filter(|file| BOOK_FILES.contains(&file.extension().as_str()) && !used.contains(file))
        .map(|file| {
            let name = book.root.display(file);
            Diagnostic::new(
                Code::UnusedAsset,
                format!("`{name}` is in the book's assets but nothing uses it"),
            )
            .in_file(name)
            .with_help(
                "show it in a chapter, name it in book.toml or a stylesheet, or delete it; \
                 it is not put into the EPUB",
            )
        })
        .collect()
}

/// The folder whose Markdown files should all be chapters, relative to
/// the book folder: an mdBook's source folder, whose `SUMMARY.md` lists
/// them, or `chapters/` when `[[chapters]]` lists them. `None` when every
/// `chapters/*.md` is a chapter anyway.
pub fn chapter_folder(manifest: &manifest::Manifest) -> Option<String> {
    match (&manifest.mdbook, &manifest.chapters) {
        (Some(config), _) => Some(config.src.value.clone()),
        (None, Some(_)) => Some("chapters".into()),
        (None, None) => None,
    }
}

/// Markdown files in the chapters' folder that are not in the book: no
/// `[[chapters]]` entry or `SUMMARY.md` line names them and no chapter
/// includes them, so no reader can reach them (`B121`).
fn unlisted_chapters(input: &Input<'_>) -> Vec<Diagnostic> {
    let book = input.book;
    let mut in_book: BTreeSet<String> = book.chapters.iter().map(|c| c.display.clone()).collect();
    for chapter in &book.chapters {
        if let Some(trace) = &chapter.trace {
            in_book.extend(trace.segments.iter().map(|s| s.file.clone()));
        }
    }
    let mdbook = book.manifest.mdbook.is_some();
    input
        .chapter_files
        .iter()
        .filter(|file| file.extension() == "md" && !(mdbook && file.file_name() == "SUMMARY.md"))
        .map(|file| book.root.display(file))
        .filter(|name| !in_book.contains(name))
        .map(|name| {
            let help = if mdbook {
                "add it to SUMMARY.md, or move it out of the source folder".to_string()
            } else {
                format!("add a `[[chapters]]` entry with `file = \"{name}\"` to book.toml, or move the file out of `chapters/`")
            };
            Diagnostic::new(Code::ChapterNotInBook, format!("`{name}` is not in the book"))
                .in_file(name)
                .with_help(help)
        })
        .collect()
}

/// Description, identifier, cover and author, which stores ask for
/// (`B080` to `B083`), for a store's `profile`; none for the generic one.
/// A build and `bindery check` both run these, so that `build --profile
/// kdp --deny warnings` refuses what `check --profile kdp` does.
pub fn store_metadata(book: &Book, manifest_text: &str, profile: Profile) -> Vec<Diagnostic> {
    if profile == Profile::Generic {
        return Vec::new();
    }
    let meta = &book.manifest.book;
    let header = manifest_text
        .find("[book]")
        .map(|start| start..start + "[book]".len());
    let warning = |code, message: &str, help: &str| {
        Diagnostic::new(code, message)
            .in_file(manifest::FILE_NAME)
            .at_opt(header.clone())
            .with_help(help)
    };
    let mut warnings = Vec::new();
    if meta.description.is_none() {
        warnings.push(warning(
            Code::NoDescription,
            "the book has no description",
            "stores show it on the book's page: add `description = \"…\"` to [book]",
        ));
    }
    if meta.identifier.is_none() && meta.isbn.is_none() {
        warnings.push(warning(
            Code::NoStableIdentifier,
            "the book's identifier is a UUID made from its title and authors",
            "it changes when they do, and the store then sees a new book: add the book's `isbn`, \
             or an `identifier` that stays, to [book]",
        ));
    }
    if meta.cover.is_none() {
        warnings.push(warning(
            Code::NoCoverImage,
            "the book has no cover image; bindery draws one from the title",
            "stores ask for a cover of 1600 × 2560 pixels: add `cover = \"assets/cover.jpg\"` to [book]",
        ));
    }
    let authors: Vec<_> = meta.authors().collect();
    if authors.is_empty() {
        warnings.push(warning(
            Code::NoAuthor,
            "the book has no author",
            "add `authors = [\"…\"]` to [book]",
        ));
    }
    for author in authors {
        if author.trim() == crate::new::PLACEHOLDER_AUTHOR {
            warnings.push(warning(
                Code::NoAuthor,
                &format!(
                    "the book's author is `{}`, the placeholder `bindery new` writes",
                    author
                ),
                "put the author's name into `authors` in [book]",
            ));
        }
    }
    warnings
}

/// Language tags not written in their usual case (`B051`).
fn language_case(book: &Book, manifest_text: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let tag = &book.manifest.book.language;
    let canonical = language::canonical_case(tag);
    if &canonical != tag {
        warnings.push(
            language_warning(tag, &canonical)
                .in_file(manifest::FILE_NAME)
                .at_opt(book_language_span(manifest_text)),
        );
    }
    for chapter in &book.chapters {
        let Some(tag) = &chapter.language else {
            continue;
        };
        let canonical = language::canonical_case(tag);
        if &canonical != tag {
            warnings.push(
                language_warning(tag, &canonical)
                    .in_file(chapter.display.clone())
                    .at_opt(quoted(&chapter.text, tag)),
            );
        }
    }
    warnings
}

fn language_warning(tag: &str, canonical: &str) -> Diagnostic {
    Diagnostic::new(Code::LanguageTagCase,
        format!("the language tag `{tag}` is usually written `{canonical}`"),
    )
    .with_help(format!(
        "write `{canonical}`: the language in lower case, a script capitalised, a region in capitals"
    ))
}

/// The span of `language` in `[book]`.
fn book_language_span(manifest_text: &str) -> Option<Range<usize>> {
    let document = toml::de::DeTable::parse(manifest_text).ok()?;
    match document.get_ref().get("book")?.get_ref() {
        toml::de::DeValue::Table(table) => table.get("language").map(|value| value.span()),
        _ => None,
    }
}

/// The first place `value` is written as a TOML string in `text`.
fn quoted(text: &str, value: &str) -> Option<Range<usize>> {
    ["\"", "'"].iter().find_map(|quote| {
        let start = text.find(&format!("{quote}{value}{quote}"))?;
        Some(start..start + value.len() + 2)
    })
}

/// Headings that skip a level (`B261`), from the chapter's Markdown.
fn chapter_outline(chapter: &SourceChapter) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut previous: Option<u8> = None;
    for (event, span) in crate::markdown::events(&chapter.markdown) {
        let Event::Start(Tag::Heading { level, .. }) = event else {
            continue;
        };
        let level = level as u8;
        if let Some(previous) = previous.filter(|p| level > p + 1) {
            let wanted = previous + 1;
            warnings.push(
                Diagnostic::new(Code::SkippedHeadingLevel,
                    format!(
                        "a level {level} heading follows a level {previous} heading, skipping level {wanted}"
                    ),
                )
                .in_file(chapter.display.clone())
                .at(first_line(&chapter.markdown, span))
                .with_help(format!(
                    "make it a level {wanted} heading (`{} …`), or add the level between",
                    "#".repeat(usize::from(wanted))
                )),
            );
        }
        previous = Some(level);
    }
    warnings
}

/// Chapters with no text beyond their headings (`B260`): every build
/// reports them, not only `bindery check`, as an empty chapter is almost
/// always one not written yet.
pub fn empty_chapters(book: &Book) -> Vec<Diagnostic> {
    let found: Vec<Option<Diagnostic>> = book.chapters.par_iter().map(empty_chapter).collect();
    found.into_iter().flatten().collect()
}

/// `B260` for one chapter. Reads the chapter's Markdown up to its first
/// text, so a chapter that has some costs little.
fn empty_chapter(chapter: &SourceChapter) -> Option<Diagnostic> {
    // A part's page is its title alone.
    if chapter.kind.name == "part" {
        return None;
    }
    let mut first_heading: Option<Range<usize>> = None;
    let mut in_heading = false;
    for (event, span) in crate::markdown::events(&chapter.markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                first_heading.get_or_insert_with(|| first_line(&chapter.markdown, span));
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            _ if in_heading => {}
            event if is_text(&event) => return None,
            _ => {}
        }
    }
    let message = if first_heading.is_some() {
        "the chapter has headings but no text"
    } else {
        "the chapter is empty"
    };
    Some(
        Diagnostic::new(Code::EmptyChapter, message)
            .in_file(chapter.display.clone())
            .at_opt(first_heading)
            .with_help("write the chapter, or take it out of the book"),
    )
}

/// Whether an event outside a heading puts something on the page: text,
/// HTML other than a comment, an image, a table, maths or a note.
fn is_text(event: &Event<'_>) -> bool {
    match event {
        Event::Text(text) | Event::Code(text) => !text.trim().is_empty(),
        Event::Html(html) | Event::InlineHtml(html) => {
            let html = html.trim();
            let comment = html.starts_with("<!--") && html.ends_with("-->");
            !html.is_empty() && !comment
        }
        Event::Start(Tag::Image { .. } | Tag::Table(_))
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::FootnoteReference(_) => true,
        _ => false,
    }
}

/// A span cut at the end of its first line.
fn first_line(text: &str, span: Range<usize>) -> Range<usize> {
    let end = text
        .get(span.clone())
        .and_then(|s| s.find('\n'))
        .map_or(span.end, |n| span.start + n);
    span.start..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::BookPath;

    fn chapter(markdown: &str) -> SourceChapter {
        SourceChapter::from_text(BookPath::default(), "chapters/a.md", markdown)
    }

    fn found(markdown: &str) -> Vec<String> {
        let chapter = chapter(markdown);
        empty_chapter(&chapter)
            .into_iter()
            .chain(chapter_outline(&chapter))
            .collect::<Vec<_>>()
            .iter()
            .map(|d| {
                format!(
                    "{} {:?} {}",
                    d.code,
                    d.span.clone().unwrap_or_default(),
                    d.message
                )
            })
            .collect()
    }

    #[test]
    fn headings_that_skip_a_level_are_found_where_they_are() {
        assert_eq!(
            found("# A\n\nText.\n\n### C\n\nMore.\n\n## B\n\n#### D\n"),
            [
                "B261 12..17 a level 3 heading follows a level 1 heading, skipping level 2",
                "B261 32..38 a level 4 heading follows a level 2 heading, skipping level 3",
            ]
        );
        assert!(found("## A\n\nText.\n\n### B\n\n# C\n\n## D\n").is_empty());
    }

    #[test]
    fn chapters_with_only_headings_or_nothing_are_empty() {
        assert_eq!(
            found("# Title\n\n## Section\n\n<!-- to do -->\n"),
            ["B260 0..7 the chapter has headings but no text"]
        );
        assert_eq!(found("  \n"), ["B260 0..0 the chapter is empty"]);
        for text in [
            "# T\n\nA word.\n",
            "# T\n\n![map](m.png)\n",
            "# T\n\n$x$\n",
            "# T\n\n<div>x</div>\n",
            "# T\n\n| a |\n|---|\n",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn odd_chapters_do_not_panic() {
        for text in [
            "",
            "#",
            "######\n#",
            "# é\r\n\r\n### ü",
            "Setext\n===\n\nDeep\n---\n\n#### x",
            "<!--",
            "\u{0}# \u{feff}",
            "[^x]\n\n[^x]: # h",
        ] {
            let _ = found(text);
        }
        assert_eq!(language::canonical_case(""), "");
        assert_eq!(language::canonical_case("-A-"), "-A-".to_ascii_lowercase());
    }

    #[test]
    fn language_spans_are_found_in_book_toml() {
        let text = "[book]\ntitle = \"T\"\nlanguage = \"EN-us\"\n";
        assert_eq!(book_language_span(text), Some(30..37));
        assert_eq!(quoted("language = 'de-de'", "de-de"), Some(11..18));
        assert_eq!(book_language_span("not toml ["), None);
    }
}
