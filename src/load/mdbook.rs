//! Reading an mdBook project: `SUMMARY.md` gives the chapters, and each
//! chapter is preprocessed as mdBook does it before it is rendered:
//! `{{#include}}` (mdBook's `links` preprocessor) as the chapters are
//! read, or in its turn among the book's own preprocessors when one of
//! them runs first (see [`super::preprocess`]); then, once every
//! preprocessor has run, hidden lines and MathJax delimiters, which are
//! the work of mdBook's HTML renderer.

use super::{BookPath, BookRoot, Entry, LoadError, Origin};
use crate::diag::{Code, Diagnostic, ToDiagnostic};
use crate::manifest::Matter;
use crate::manifest::mdbook::MdBookConfig;
use crate::mdbook::{self as md, Expanded, Included, SummaryChapter, SummaryItem};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

/// What links in an mdBook need to know about the book beyond its
/// chapters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MdBookSite {
    /// The source folder, holding `SUMMARY.md`.
    pub src: BookPath,
    /// Markdown files in the source folder that `SUMMARY.md` leaves out:
    /// mdBook does not build them, so a link to one leads nowhere.
    pub unlisted: BTreeSet<BookPath>,
    /// The web address of the book's HTML, for links that leave the book.
    pub site_url: Option<String>,
    /// Each chapter's name in `SUMMARY.md` and its section number, for
    /// preprocessors.
    pub names: BTreeMap<BookPath, (String, Option<Vec<u32>>)>,
}

/// How many files bindery looks at in the source folder for chapters left
/// out of `SUMMARY.md`; a folder bigger than that is not a book's.
const MAX_LISTED_FILES: usize = 100_000;

/// The chapters `SUMMARY.md` lists, as loader entries, in reading order.
pub(super) fn summary_entries(
    root: &BookRoot,
    config: &MdBookConfig,
    errors: &mut Vec<LoadError>,
    notes: &mut Vec<Diagnostic>,
    sources: &mut BTreeMap<String, Arc<str>>,
) -> (Vec<Entry>, BookPath, Names) {
    let src = match root.resolve(root.book(), &config.src.value) {
        Ok(src) => src,
        Err(problem) => {
            errors.push(LoadError::BadPath {
                path: config.src.value.clone(),
                problem,
                origin: Origin::manifest(config.src.span.clone()),
            });
            return (Vec::new(), root.book().clone(), Names::new());
        }
    };
    let summary_path = src.child("SUMMARY.md");
    let display = root.display(&summary_path);
    let text = match root.read(&summary_path) {
        Ok(bytes) => match super::decode_text(&display, &bytes) {
            Ok(text) => text,
            Err(e) => {
                errors.push(e);
                return (Vec::new(), src, Names::new());
            }
        },
        Err(problem) => {
            errors.push(LoadError::from_read(problem, display, Origin::none()));
            return (Vec::new(), src, Names::new());
        }
    };
    sources.insert(display.clone(), text.clone());
    let summary = match md::parse_summary(&text) {
        Ok(summary) => summary,
        Err(found) => {
            errors.extend(found.into_iter().map(|e| LoadError::Summary {
                file: display.clone(),
                text: text.clone(),
                error: Box::new(e),
            }));
            return (Vec::new(), src, Names::new());
        }
    };
    notes.extend(
        summary
            .warnings
            .iter()
            .map(|w| w.to_diagnostic().in_file(display.clone())),
    );

    let mut walk = Walk {
        root,
        src: &src,
        summary: &display,
        numbers: config.section_numbers,
        entries: Vec::new(),
        names: Names::new(),
        errors,
        notes,
    };
    let mut part: Option<String> = None;
    let mut numbered_seen = false;
    for item in &summary.items {
        match item {
            SummaryItem::Part { title, .. } => part = Some(title.clone()),
            SummaryItem::Separator => {}
            SummaryItem::Chapter(chapter) => {
                let matter = if chapter.number.is_some() {
                    numbered_seen = true;
                    Matter::Body
                } else if numbered_seen {
                    // Suffix chapters belong to no part.
                    part = None;
                    Matter::Back
                } else {
                    Matter::Front
                };
                walk.chapter(chapter, 0, matter, part.as_ref());
            }
        }
    }
    let (entries, names) = (walk.entries, walk.names);
    (entries, src, names)
}

/// Chapters' names in `SUMMARY.md` and their section numbers.
pub(super) type Names = BTreeMap<BookPath, (String, Option<Vec<u32>>)>;

struct Walk<'a> {
    root: &'a BookRoot,
    src: &'a BookPath,
    summary: &'a str,
    numbers: bool,
    entries: Vec<Entry>,
    names: Names,
    errors: &'a mut Vec<LoadError>,
    notes: &'a mut Vec<Diagnostic>,
}

impl Walk<'_> {
    fn chapter(
        &mut self,
        chapter: &SummaryChapter,
        depth: u8,
        matter: Matter,
        part: Option<&String>,
    ) {
        let origin = Origin::chapter(self.summary, chapter.span.clone());
        let Some(path) = &chapter.path else {
            // A draft has no file; its chapters take its place.
            self.notes.push(
                Diagnostic::new(
                    Code::DraftChapterLeftOut,
                    format!("the draft chapter `{}` is left out", chapter.title),
                )
                .in_file(self.summary)
                .at(chapter.span.clone())
                .with_help("give it a file, `[Title](file.md)`, to put it in the book"),
            );
            for child in &chapter.children {
                self.chapter(child, depth, matter, part);
            }
            return;
        };
        match self.root.resolve(self.src, path) {
            Ok(resolved) => {
                let title = match (&chapter.number, self.numbers) {
                    (Some(number), true) => {
                        let number: Vec<String> = number.iter().map(u32::to_string).collect();
                        format!("{}. {}", number.join("."), chapter.title)
                    }
                    _ => chapter.title.clone(),
                };
                self.names.insert(
                    resolved.clone(),
                    (chapter.title.clone(), chapter.number.clone()),
                );
                self.entries.push(Entry {
                    path: resolved,
                    title: Some(title),
                    matter: Some(matter),
                    kind: None,
                    part: part.cloned(),
                    depth,
                    origin,
                });
            }
            Err(problem) => self.errors.push(LoadError::BadPath {
                path: path.clone(),
                problem,
                origin,
            }),
        }
        for child in &chapter.children {
            self.chapter(child, depth.saturating_add(1), matter, part);
        }
    }
}

/// A chapter's Markdown as read: with its includes expanded, unless a
/// preprocessor of the book runs before mdBook's `links` (then
/// [`super::run_preprocessors`] expands them in their turn). The texts of
/// included files go to `sources`, for messages.
pub(super) fn preprocess(
    root: &BookRoot,
    config: &MdBookConfig,
    path: &BookPath,
    display: &str,
    text: &str,
    sources: &mut BTreeMap<String, Arc<str>>,
) -> Result<Expanded, Vec<LoadError>> {
    if super::preprocess::includes_at_load(config) {
        expand_includes(root, path, display, text, &[], sources)
    } else {
        Ok(Expanded::unchanged(text, display))
    }
}

/// The Markdown of a chapter of a bindery book with its `{{#include}}`
/// directives expanded as in an mdBook, with the same confinement and
/// limits, or `None` when it has none. A directive in a code span is text
/// about includes (this guide has many), and stays as written.
pub(super) fn expand_native(
    root: &BookRoot,
    path: &BookPath,
    display: &str,
    text: &str,
    sources: &mut BTreeMap<String, Arc<str>>,
) -> Option<Result<Expanded, Vec<LoadError>>> {
    if !text.contains("{{#") {
        return None;
    }
    use pulldown_cmark::{Event, Parser};
    let spans: Vec<Range<usize>> = Parser::new_ext(text, crate::markdown::without_math())
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Code(_)))
        .map(|(_, range)| range)
        .collect();
    let expanded = expand_includes(root, path, display, text, &spans, sources);
    // Nothing expanded: the chapter as it was, without a map.
    match &expanded {
        Ok(expanded) if expanded.text == text && expanded.title.is_none() => None,
        _ => Some(expanded),
    }
}

/// A chapter's Markdown with its `{{#include}}` (and `{{#title}}`)
/// directives expanded, read relative to the chapter at `path`, shown to
/// the user as `display`, except those starting in the ranges `kept`. The
/// texts of included files go to `sources`.
pub(super) fn expand_includes(
    root: &BookRoot,
    path: &BookPath,
    display: &str,
    text: &str,
    kept: &[Range<usize>],
    sources: &mut BTreeMap<String, Arc<str>>,
) -> Result<Expanded, Vec<LoadError>> {
    let mut paths: BTreeMap<String, BookPath> = BTreeMap::new();
    paths.insert(display.to_string(), path.clone());
    // A file included many times is read once.
    let mut read_before: BTreeMap<BookPath, Arc<str>> = BTreeMap::new();
    let mut read = |target: &str, from: &str| -> Result<Included, String> {
        let base = paths.get(from).map(BookPath::parent).unwrap_or_default();
        let target = target.split(['#', '?']).next().unwrap_or(target);
        let resolved = root
            .resolve(&base, target)
            .map_err(|problem| match problem {
                super::PathProblem::EscapesRoot => {
                    "the path leads outside the book's root (its git repository, else its folder)"
                        .to_string()
                }
                super::PathProblem::Absolute => "the path is absolute".to_string(),
                super::PathProblem::Backslash => "the path uses `\\` as a separator".to_string(),
                super::PathProblem::Empty => "the path names no file".to_string(),
                problem @ super::PathProblem::Deceptive(_) => problem.message(target),
            })?;
        let file = root.display(&resolved);
        if let Some(text) = read_before.get(&resolved) {
            return Ok(Included {
                file,
                text: text.to_string(),
            });
        }
        let bytes = root.read(&resolved).map_err(|problem| match problem {
            super::ReadProblem::Missing => "there is no such file".to_string(),
            super::ReadProblem::EscapesRoot => {
                "a symbolic link leads outside the book's repository".to_string()
            }
            super::ReadProblem::NotAFile => "it is not a file".to_string(),
            super::ReadProblem::TooLarge { size, limit } => {
                format!("it is {size} bytes, more than the {limit} bindery reads")
            }
            super::ReadProblem::Io(message) => message,
        })?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = std::str::from_utf8(bytes)
            .map_err(|_| "the file is not UTF-8 text".to_string())?
            .to_string();
        let shared: Arc<str> = Arc::from(text.as_str());
        sources.insert(file.clone(), shared.clone());
        read_before.insert(resolved.clone(), shared);
        paths.insert(file.clone(), resolved);
        Ok(Included { file, text })
    };
    let expanded = md::expand_outside(text, display, kept, &mut read);
    expanded.map_err(|found| {
        found
            .into_iter()
            .map(|e| LoadError::Include {
                text: sources
                    .get(&e.file)
                    .cloned()
                    .unwrap_or_else(|| Arc::from(text)),
                error: Box::new(e),
            })
            .collect::<Vec<_>>()
    })
}

/// What mdBook's HTML renderer does to a chapter after every
/// preprocessor: hidden lines dropped, dollar signs left as they are,
/// MathJax delimiters turned into math.
pub(super) fn finish(config: &MdBookConfig, expanded: &mut Expanded) {
    expanded.strip_hidden_lines(&config.hidelines);
    let edits = dollar_edits(&expanded.text);
    if !edits.is_empty() {
        expanded.splice(&edits);
    }
    if config.mathjax {
        let edits = mathjax_edits(&expanded.text);
        expanded.splice(&edits);
    }
}

/// Every `.md` file in the source folder that is not a chapter.
pub(super) fn unlisted_chapters(
    root: &BookRoot,
    src: &BookPath,
    chapters: &BTreeSet<&BookPath>,
) -> BTreeSet<BookPath> {
    let mut found = BTreeSet::new();
    let mut folders = vec![src.clone()];
    let mut seen = 0;
    while let Some(folder) = folders.pop() {
        let Ok(listing) = std::fs::read_dir(root.on_disk(&folder)) else {
            continue;
        };
        for entry in listing.flatten() {
            seen += 1;
            if seen > MAX_LISTED_FILES {
                return found;
            }
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            // Symbolic links are not followed: they may lead anywhere.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = folder.child(&name);
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file()
                && path.extension() == "md"
                && name != "SUMMARY.md"
                && !chapters.contains(&path)
            {
                found.insert(path);
            }
        }
    }
    found
}

/// mdBook has no dollar math: `$HOME` and `$5 and $10` are text in its
/// HTML. bindery's parser reads `$…$` as math, for bindery's own books, so
/// every `$` of an mdBook chapter outside code and HTML is escaped
/// (`\$`); one already escaped is left alone. MathJax's delimiters,
/// turned into `$…$` after this, are then the only math.
fn dollar_edits(text: &str) -> Vec<(Range<usize>, String)> {
    let literal = literal_ranges(text);
    let in_literal = |at: usize| {
        let index = literal.partition_point(|r| r.end <= at);
        literal.get(index).is_some_and(|r| r.start <= at)
    };
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    for (at, _) in text.match_indices('$') {
        let backslashes = bytes[..at]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        if backslashes % 2 == 0 && !in_literal(at) {
            edits.push((at..at + 1, "\\$".to_string()));
        }
    }
    edits
}

/// With `mathjax-support`, mdBook's HTML leaves `\\(…\\)` and `\\[…\\]`
/// for MathJax to typeset. bindery writes them as `$…$` and `$$…$$`, the
/// math it renders to MathML, undoing the Markdown escapes inside (an
/// author writes `\\` for MathJax's `\` and `\_` for `_`). Code is left
/// alone.
fn mathjax_edits(text: &str) -> Vec<(Range<usize>, String)> {
    let code = literal_ranges(text);
    let in_code = |at: usize| {
        let index = code.partition_point(|r| r.end <= at);
        code.get(index).is_some_and(|r| r.start <= at)
    };
    let mut edits = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("\\\\") {
        let start = at + found;
        let (close, display) = match text.as_bytes().get(start + 2) {
            Some(b'(') => ("\\\\)", false),
            Some(b'[') => ("\\\\]", true),
            _ => {
                at = start + 2;
                continue;
            }
        };
        if in_code(start) {
            at = start + 3;
            continue;
        }
        let body_start = start + 3;
        let Some(length) = text[body_start..].find(close) else {
            break;
        };
        let body_end = body_start + length;
        let end = body_end + close.len();
        if (start..end).any(in_code) {
            at = start + 3;
            continue;
        }
        let tex = unescape(&text[body_start..body_end]);
        let dollars = if display { "$$" } else { "$" };
        edits.push((start..end, format!("{dollars}{}{dollars}", tex.trim())));
        at = end;
    }
    edits
}

/// Markdown's backslash escapes undone: `\X` is `X` for ASCII punctuation.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && next.is_ascii_punctuation()
        {
            out.push(next);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// The byte ranges where a backslash is not an escape, in order: code
/// spans and blocks, HTML, and autolinks (`<https://…>`). Read without
/// dollar math, which would hide a code span inside a formula.
fn literal_ranges(text: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, LinkType, Parser, Tag};
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let events = Parser::new_ext(text, crate::markdown::without_math()).into_offset_iter();
    for (event, range) in events {
        match event {
            Event::Code(_)
            | Event::Start(Tag::CodeBlock(_))
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => {
                if ranges.last().is_some_and(|last| last.end > range.start) {
                    continue;
                }
                ranges.push(range);
            }
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_signs_are_escaped_outside_code_and_html() {
        let text = "Install to *$HOME/bin*, see `$PATH`, \\$5 <a title=\"$x\">$</a> <https://a.example/$b>\n\n```sh\necho $HOME\n```\n$$x$$";
        let edits: Vec<usize> = dollar_edits(text)
            .into_iter()
            .map(|(r, _)| r.start)
            .collect();
        let expected: Vec<usize> = [
            text.find("$HOME/").unwrap(),
            text.find("$</a>").unwrap(),
            text.rfind("$$x").unwrap(),
            text.rfind("$$x").unwrap() + 1,
            text.rfind('$').unwrap() - 1,
            text.rfind('$').unwrap(),
        ]
        .into_iter()
        .collect();
        assert_eq!(edits, expected);
    }

    #[test]
    fn mathjax_delimiters_become_dollars_outside_code() {
        let text = "Energy \\\\( E = mc^2 \\\\) and\n\n\\\\[ \\frac{a}{b} \\\\]\n\n`\\\\(x\\\\)`\n";
        let edits = mathjax_edits(text);
        assert_eq!(edits.len(), 2);
        assert_eq!(edits[0].1, "$E = mc^2$");
        assert_eq!(edits[1].1, "$$\\frac{a}{b}$$");
    }

    #[test]
    fn markdown_escapes_inside_mathjax_are_undone() {
        let edits = mathjax_edits("\\\\( x\\_1 \\\\\\\\ y \\\\)");
        assert_eq!(edits[0].1, "$x_1 \\\\ y$");
    }

    #[test]
    fn an_unclosed_delimiter_is_text() {
        assert!(mathjax_edits("a \\\\( b").is_empty());
        assert!(mathjax_edits("a \\\\ b").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn edits_of_any_text_lie_on_character_boundaries_in_order(text in crate::test_text::any_text()) {
            let mut end = 0;
            for (range, _) in mathjax_edits(&text) {
                proptest::prop_assert!(end <= range.start && range.start <= range.end);
                proptest::prop_assert!(text.get(range.clone()).is_some());
                end = range.end;
            }
        }
    }
}
