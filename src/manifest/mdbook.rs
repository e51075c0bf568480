//! mdBook's `book.toml` → [`Manifest`]: the same stage for books written
//! for mdBook.
//!
//! mdBook's manifest has a `[book]` table (title, authors, description,
//! language, `src`), tables for its renderers (`[output.html]`) and its
//! preprocessors (`[preprocessor.NAME]`), and accepts any other table.
//! bindery reads what it needs from mdBook's tables and takes its own
//! keys from `[output.bindery]` (which mdBook passes to a renderer named
//! `bindery`, and skips when that table says `optional = true`), its
//! tables included (`[output.bindery.toc]`, `[output.bindery.style]` …).
//! bindery's keys and tables where mdBook has its own (in `[book]`, or at
//! the top level, where mdBook 0.4 warns about tables it does not know and
//! 0.5 refuses them) are warnings, and not read. mdBook's other keys are
//! mdBook's business: they are not reported, except for `before` and
//! `after` of the preprocessors, whose order must not be a cycle.

use super::walk::{Table, Walker};
use super::{
    BOOK_KEYS, Located, Manifest, ManifestError, MarkdownConfig, NotesConfig, StyleConfig,
    TocConfig, publishing, read_book_rest, read_language, read_markdown, read_notes, read_style,
    read_toc,
};
use crate::diag::{Code, Diagnostic};
use std::collections::BTreeMap;
use toml::de::DeTable;

/// What bindery takes from an mdBook manifest besides the book's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdBookConfig {
    /// The folder holding `SUMMARY.md` and the chapters, relative to the
    /// book folder: `[book] src`, by default `src`.
    pub src: Located<String>,
    /// Whether numbered chapters show their numbers ("1.2.") in titles:
    /// on, as in mdBook's HTML, unless `[output.html] no-section-label`
    /// or `[output.bindery] section-numbers = false` turns them off.
    pub section_numbers: bool,
    /// The web address the book's HTML lives at, for links that leave the
    /// book: `[output.bindery] site-url`, else `[output.html] site-url`
    /// when it is a whole address, else `[book] url` from `[output.bindery]`.
    pub site_url: Option<String>,
    /// `[output.html] additional-css`: stylesheets, relative to the book folder.
    pub additional_css: Vec<Located<String>>,
    /// `[output.html] mathjax-support`: `\\(…\\)` and `\\[…\\]` are math.
    pub mathjax: bool,
    /// `[output.html.code.hidelines]`: language to hidden-line prefix.
    pub hidelines: BTreeMap<String, String>,
    /// The configured preprocessors, in the order they are written.
    pub preprocessors: Vec<Preprocessor>,
    /// `[build] use-default-preprocessors`: whether `{{#include}}` and
    /// `README.md` → `index` are processed (mdBook's `links` and `index`);
    /// when it is off, each still runs if it has a `[preprocessor.NAME]`
    /// table.
    pub default_preprocessors: bool,
    /// Where `[output.bindery] preprocessors = true` is written: the book
    /// asks to run its preprocessors. Only the person running bindery can
    /// allow that (a book may come from anyone), so it is only told that
    /// the book asks.
    pub asks_for_preprocessors: Option<std::ops::Range<usize>>,
}

/// One `[preprocessor.NAME]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preprocessor {
    /// The table's name.
    pub name: String,
    /// The command, or by default `mdbook-NAME`.
    pub command: String,
    /// Preprocessors it runs before.
    pub before: Vec<Located<String>>,
    /// Preprocessors it runs after.
    pub after: Vec<Located<String>>,
    /// The renderers it is for, when the table lists them.
    pub renderers: Option<Vec<String>>,
    /// The table, in `book.toml`.
    pub span: std::ops::Range<usize>,
}

/// mdBook's own preprocessors, which bindery does itself: `index` (a
/// chapter `README.md` is the folder's `index.md`) and `links` (the
/// `{{#include}}` directives).
pub const BUILT_IN_PREPROCESSORS: &[&str] = &["index", "links"];

/// A preprocessor in the order mdBook runs them: one of mdBook's own
/// ([`BUILT_IN_PREPROCESSORS`]) or one the book configures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its `[preprocessor.NAME]` table; a built-in one may have none.
    pub table: Option<&'a Preprocessor>,
}

impl Step<'_> {
    /// Whether it is one of mdBook's own, which bindery does itself
    /// whatever its table's `command` says, as mdBook does.
    pub fn is_built_in(&self) -> bool {
        BUILT_IN_PREPROCESSORS.contains(&self.name)
    }
}

/// Preprocessors whose `before` and `after` lead in a circle, so that
/// none of them can run first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The preprocessors, each to run before the next and the last before
    /// the first, starting with the first by name.
    pub names: Vec<String>,
    /// The `before` or `after` entry that puts the first before the second.
    pub span: std::ops::Range<usize>,
}

impl Cycle {
    /// What is wrong, in words.
    pub fn message(&self) -> String {
        let quoted: Vec<String> = self.names.iter().map(|n| format!("`{n}`")).collect();
        match quoted.as_slice() {
            [one] => format!("the preprocessor {one} is to run before itself"),
            [first, rest @ ..] => {
                let mut steps = vec![format!("{first} runs before {}", rest[0])];
                for pair in quoted[1..].windows(2) {
                    steps.push(format!("{} before {}", pair[0], pair[1]));
                }
                let last = format!("and {} before {first}", quoted[quoted.len() - 1]);
                format!(
                    "the preprocessors cannot be put in order: {}, {last}",
                    steps.join(", ")
                )
            }
            [] => "the preprocessors cannot be put in order".to_string(),
        }
    }
}

impl MdBookConfig {
    /// The preprocessors in mdBook's order: mdBook's own `links` and
    /// `index` (unless `use-default-preprocessors = false` leaves out those
    /// without a table) and the configured ones. Each takes the whole batch
    /// of those whose `before` and `after` are satisfied, sorted by name,
    /// and then the next batch. A name in `before` or `after` that is not
    /// a preprocessor of the book is passed over, as in mdBook.
    ///
    /// # Errors
    ///
    /// The cycle, when `before` and `after` lead in a circle; [`parse`]
    /// reports it, so the config of a parsed manifest has none.
    pub fn preprocessor_order(&self) -> Result<Vec<Step<'_>>, Cycle> {
        order(&self.preprocessors, self.default_preprocessors)
    }
}

fn order(preprocessors: &[Preprocessor], defaults: bool) -> Result<Vec<Step<'_>>, Cycle> {
    let mut nodes: BTreeMap<&str, Option<&Preprocessor>> = BTreeMap::new();
    if defaults {
        for name in BUILT_IN_PREPROCESSORS {
            nodes.insert(name, None);
        }
    }
    for p in preprocessors {
        nodes.insert(&p.name, Some(p));
    }
    // (first, then): `first` runs before `then`; the entry that said so.
    let mut edges: BTreeMap<(&str, &str), std::ops::Range<usize>> = BTreeMap::new();
    for p in preprocessors {
        let before = p
            .before
            .iter()
            .map(|b| ((p.name.as_str(), b.value.as_str()), &b.span));
        let after = p
            .after
            .iter()
            .map(|a| ((a.value.as_str(), p.name.as_str()), &a.span));
        for (edge, span) in before.chain(after) {
            if nodes.contains_key(edge.0) && nodes.contains_key(edge.1) {
                edges.entry(edge).or_insert_with(|| span.clone());
            }
        }
    }
    // How many of the preprocessors still waiting each one waits for.
    let mut waiting: BTreeMap<&str, usize> = nodes.keys().map(|n| (*n, 0)).collect();
    for (_, then) in edges.keys() {
        if let Some(count) = waiting.get_mut(then) {
            *count += 1;
        }
    }
    let mut out = Vec::with_capacity(nodes.len());
    loop {
        // The map is sorted, so the batch is in mdBook's order of names.
        let batch: Vec<&str> = waiting
            .iter()
            .filter(|(_, count)| **count == 0)
            .map(|(name, _)| *name)
            .collect();
        if batch.is_empty() {
            break;
        }
        for name in batch {
            waiting.remove(name);
            for (_, then) in edges.keys().filter(|(first, _)| *first == name) {
                if let Some(count) = waiting.get_mut(then) {
                    *count = count.saturating_sub(1);
                }
            }
            out.push(Step {
                name,
                table: nodes.get(name).copied().flatten(),
            });
        }
    }
    let Some(start) = waiting.keys().next().copied() else {
        return Ok(out);
    };
    // Each one still waiting waits for another still waiting: walking
    // back from one of them comes round to a cycle.
    let mut walked: Vec<&str> = Vec::new();
    let mut at = start;
    loop {
        if let Some(index) = walked.iter().position(|n| *n == at) {
            walked.drain(..index);
            break;
        }
        walked.push(at);
        let previous = edges
            .keys()
            .find(|(first, then)| *then == at && waiting.contains_key(first))
            .map(|(first, _)| *first);
        match previous {
            Some(previous) => at = previous,
            None => break,
        }
    }
    walked.reverse();
    let first = walked
        .iter()
        .enumerate()
        .min_by_key(|(_, name)| **name)
        .map_or(0, |(index, _)| index);
    walked.rotate_left(first);
    let span = match walked.as_slice() {
        [one] => edges.get(&(*one, *one)),
        [a, b, ..] => edges.get(&(*a, *b)),
        [] => None,
    };
    Err(Cycle {
        names: walked.iter().map(|n| n.to_string()).collect(),
        span: span.cloned().unwrap_or(0..0),
    })
}

/// The source folder an mdBook manifest names, if `text` looks like one:
/// TOML with a `[book]` table and no `[[chapters]]` list. Whether it is an
/// mdBook is then decided by a `SUMMARY.md` in that folder.
pub fn source_folder(text: &str) -> Option<String> {
    let document = DeTable::parse(text).ok()?;
    let top = document.get_ref();
    if top.contains_key("chapters") {
        return None;
    }
    let book = top.get("book")?;
    let toml::de::DeValue::Table(book) = book.get_ref() else {
        return None;
    };
    match book.get("src").map(|v| v.get_ref()) {
        None => Some("src".to_string()),
        Some(toml::de::DeValue::String(src)) => Some(src.to_string()),
        Some(_) => None,
    }
}

/// The top-level tables of mdBook's `book.toml` that bindery's manifest
/// also has.
const MDBOOK_TOP_KEYS: &[&str] = &["book"];

const MDBOOK_BOOK_KEYS: &[&str] = &[
    "title",
    "authors",
    "description",
    "language",
    "src",
    "multilingual",
    "text-direction",
];

/// `[output.bindery]`: `[book]`'s keys, and besides them the tables
/// bindery has at the top level and the keys of an mdBook renderer table.
const OUTPUT_KEYS: &[&str] = &[
    "download",
    "site-url",
    "section-numbers",
    "preprocessors",
    "optional",
    "command",
    "toc",
    "markdown",
    "notes",
    "accessibility",
    "style",
    "labels",
];

/// Parses an mdBook manifest. `folder_name` titles a book whose manifest
/// has no title, as mdBook leaves it untitled.
pub fn parse(
    text: &str,
    folder_name: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Manifest, Vec<ManifestError>> {
    let document = match DeTable::parse(text) {
        Ok(document) => document,
        Err(error) => {
            return Err(vec![ManifestError::Syntax {
                message: super::syntax_message(error.message()),
                span: error.span(),
            }]);
        }
    };
    let mut walker = Walker::default();
    let top = Table::new(document.get_ref(), "top level", document.span());
    let book_table = walker.table(&top, "book");
    let output = walker.table(&top, "output");
    let bindery = output
        .as_ref()
        .and_then(|output| walker.table(output, "bindery"));
    let html = output
        .as_ref()
        .and_then(|output| walker.table(output, "html"));
    let epub = output
        .as_ref()
        .and_then(|output| walker.table(output, "epub"));
    if let Some(bindery) = &bindery {
        walker.check_keys_of(bindery, &[BOOK_KEYS, OUTPUT_KEYS]);
    }

    // Metadata: `[book]`, then `[output.bindery]` on top.
    let mut meta = match &bindery {
        Some(bindery) => read_book_rest(&mut walker, bindery, warnings),
        None => {
            let empty = DeTable::new();
            read_book_rest(
                &mut walker,
                &Table::new(&empty, "output.bindery", 0..0),
                warnings,
            )
        }
    };
    let pick = |walker: &mut Walker, key: &'static str| {
        let ours = bindery.as_ref().and_then(|t| walker.string(t, key));
        ours.or_else(|| book_table.as_ref().and_then(|t| walker.string(t, key)))
    };
    let title = pick(&mut walker, "title");
    meta.title_span = title.as_ref().map(|t| t.span.clone());
    meta.title = title.map_or_else(|| folder_name.to_string(), |t| t.value);
    meta.language = match pick(&mut walker, "language") {
        Some(lang) => read_language(&mut walker, lang).unwrap_or_default(),
        None => "en".to_string(),
    };
    if meta.description.is_none() {
        meta.description = book_table
            .as_ref()
            .and_then(|t| walker.string(t, "description"))
            .map(|d| d.value);
    }
    if let Some(book) = &book_table {
        let has_own_authors = bindery
            .as_ref()
            .is_some_and(|t| t.entries.contains_key("authors"));
        if !has_own_authors {
            let authors: Vec<super::Contributor> = walker
                .string_array(book, "authors")
                .into_iter()
                .map(|name| super::Contributor {
                    name: name.value,
                    role: "aut".into(),
                    file_as: None,
                })
                .collect();
            meta.contributors.splice(0..0, authors);
        }
        if let Some(direction) = walker.string(book, "text-direction")
            && direction.value == "rtl"
        {
            meta.direction = Some(crate::locale::TextDirection::Rtl);
        }
        for (key, value) in book.entries.iter() {
            let key: &str = key.get_ref();
            if !MDBOOK_BOOK_KEYS.contains(&key) && BOOK_KEYS.contains(&key) {
                // bindery's key in mdBook's table: mdBook ignores it,
                // and so would bindery, so say where it belongs.
                warnings.push(
                    Diagnostic::new(
                        Code::IgnoredByMdBook,
                        format!("`{key}` in [book] is not read in an mdBook project"),
                    )
                    .in_file(super::FILE_NAME)
                    .at(value.span())
                    .with_help(format!("move `{key}` to an [output.bindery] table")),
                );
            }
        }
    }

    let src = book_table
        .as_ref()
        .and_then(|t| walker.string(t, "src"))
        .unwrap_or(Located {
            value: "src".to_string(),
            span: 0..0,
        });
    // mdbook-epub's settings, for a book whose EPUB was made with it.
    let epub = epub
        .map(|table| super::mdbook_epub::read(&mut walker, &table, &src.value, warnings))
        .unwrap_or_default();
    if meta.cover.is_none() {
        meta.cover = epub.cover.clone();
    }

    // bindery's tables go under [output.bindery]. At the top level, mdBook
    // 0.4 warns about a table it does not know and 0.5 refuses the file,
    // so there they are pointed to their place and not read.
    let mut misplaced: Vec<_> = top
        .entries
        .keys()
        .filter(|key| {
            let name: &str = key.get_ref();
            super::TOP_KEYS.contains(&name) && !MDBOOK_TOP_KEYS.contains(&name)
        })
        .collect();
    misplaced.sort_by_key(|key| key.span().start);
    for key in misplaced {
        let key_name: &str = key.get_ref();
        warnings.push(
            Diagnostic::new(Code::IgnoredByMdBook,
                format!("the table [{key_name}] is not read in an mdBook project"),
            )
            .in_file(super::FILE_NAME)
            .at(key.span())
            .with_help(format!(
                "move it to [output.bindery.{key_name}]; mdBook 0.4 warns about a top-level table it does not know, and mdBook 0.5 refuses it"
            )),
        );
    }
    let ours = |walker: &mut Walker, key: &str| bindery.as_ref().and_then(|t| walker.table(t, key));
    let toc = match ours(&mut walker, "toc") {
        Some(table) => read_toc(&mut walker, &table),
        // mdBook's sidebar lists the chapters of SUMMARY.md, not their sections.
        None => TocConfig {
            depth: 1,
            ..TocConfig::default()
        },
    };
    let markdown = match ours(&mut walker, "markdown") {
        Some(table) => read_markdown(&mut walker, &table),
        None => MarkdownConfig::default(),
    };
    let notes = match ours(&mut walker, "notes") {
        Some(table) => read_notes(&mut walker, &table),
        None => NotesConfig::default(),
    };
    let accessibility = match ours(&mut walker, "accessibility") {
        Some(table) => publishing::read_accessibility(&mut walker, &table),
        None => publishing::AccessibilityConfig::default(),
    };
    let download = match ours(&mut walker, "download") {
        Some(table) => super::download::read_download(&mut walker, &table),
        None => super::download::DownloadConfig::default(),
    };
    let labels = match ours(&mut walker, "labels") {
        Some(table) => super::read_labels(&mut walker, &table),
        None => Default::default(),
    };
    let mut style = match ours(&mut walker, "style") {
        Some(table) => read_style(&mut walker, &table),
        None => StyleConfig::default(),
    };

    let no_section_label = html
        .as_ref()
        .and_then(|t| walker.boolean(t, "no-section-label"));
    let no_section_label = epub.no_section_label.or(no_section_label).unwrap_or(false);
    let section_numbers = bindery
        .as_ref()
        .and_then(|t| walker.boolean(t, "section-numbers"))
        .unwrap_or(!no_section_label);
    let site_url = bindery
        .as_ref()
        .and_then(|t| site_url(&mut walker, t, true))
        .or_else(|| html.as_ref().and_then(|t| site_url(&mut walker, t, false)))
        .or_else(|| meta.url.clone());
    let html_css = html
        .as_ref()
        .map(|t| walker.string_array(t, "additional-css"))
        .unwrap_or_default();
    // mdBook's extra stylesheets style the EPUB too, after bindery's own,
    // unless mdbook-epub's table names the ones for the EPUB.
    let additional_css = epub.css.clone().unwrap_or(html_css);
    style.css.splice(0..0, additional_css.iter().cloned());
    let mathjax = html
        .as_ref()
        .and_then(|t| walker.boolean(t, "mathjax-support"))
        .unwrap_or(false);
    let mut hidelines = BTreeMap::new();
    if let Some(code) = html.as_ref().and_then(|t| walker.table(t, "code"))
        && let Some(lines) = walker.table(&code, "hidelines")
    {
        let keys: Vec<String> = lines
            .entries
            .keys()
            .map(|k| k.get_ref().to_string())
            .collect();
        for key in keys {
            if let Some(prefix) = walker.string(&lines, &key) {
                hidelines.insert(key, prefix.value);
            }
        }
    }
    let asks_for_preprocessors = bindery
        .as_ref()
        .and_then(|t| walker.located_boolean(t, "preprocessors"))
        .filter(|asks| asks.value)
        .map(|asks| asks.span);
    let default_preprocessors = walker
        .table(&top, "build")
        .and_then(|t| walker.boolean(&t, "use-default-preprocessors"))
        .unwrap_or(true);
    let preprocessors = match walker.table(&top, "preprocessor") {
        Some(table) => read_preprocessors(&mut walker, &table),
        None => Vec::new(),
    };
    // mdBook refuses to build a book whose preprocessors cannot be put in
    // order; bindery could not know when to expand the includes either.
    if let Err(cycle) = order(&preprocessors, default_preprocessors) {
        walker.errors.push(ManifestError::InvalidValue {
            code: Code::PreprocessorCycle,
            message: cycle.message(),
            help: "remove one of the `before` or `after` entries that make the circle".into(),
            span: cycle.span,
        });
    }

    let errors = walker.errors;
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Manifest {
        book: meta,
        chapters: None,
        toc,
        markdown,
        notes,
        accessibility,
        style,
        download,
        labels,
        mdbook: Some(MdBookConfig {
            src,
            section_numbers,
            site_url,
            additional_css,
            mathjax,
            hidelines,
            preprocessors,
            default_preprocessors,
            asks_for_preprocessors,
        }),
    })
}

/// `site-url`: a whole address ending in `/`. mdBook's own `site-url` is
/// often a path alone (`/book/`), which cannot make a link absolute, so
/// there it is passed over without a word; in `[output.bindery]` it is an
/// error.
fn site_url(walker: &mut Walker, table: &Table<'_, '_>, ours: bool) -> Option<String> {
    let written = walker.string(table, "site-url")?;
    let value = written.value.trim();
    let whole = (value.starts_with("https://") || value.starts_with("http://"))
        && value
            .split("//")
            .nth(1)
            .is_some_and(|rest| !rest.is_empty())
        && !value.contains(char::is_whitespace);
    if whole {
        let mut value = value.to_string();
        if !value.ends_with('/') {
            value.push('/');
        }
        return Some(value);
    }
    if ours {
        walker.errors.push(ManifestError::InvalidValue {
            code: Code::NotAWebAddress,
            message: format!("`{}` is not a web address", written.value),
            help: "write the whole address of the book's HTML, such as `https://example.org/book/`"
                .into(),
            span: written.span,
        });
    }
    None
}

fn read_preprocessors(walker: &mut Walker, table: &Table<'_, '_>) -> Vec<Preprocessor> {
    let names: Vec<String> = table
        .entries
        .keys()
        .map(|k| k.get_ref().to_string())
        .collect();
    let mut out = Vec::new();
    for name in names {
        let Some(entry) = walker.table(table, &name) else {
            continue;
        };
        let command = walker
            .string(&entry, "command")
            .map_or_else(|| format!("mdbook-{name}"), |c| c.value);
        let renderers = entry
            .entries
            .contains_key("renderers")
            .then(|| walker.string_array(&entry, "renderers"))
            .map(|list| list.into_iter().map(|r| r.value).collect());
        out.push(Preprocessor {
            before: walker.string_array(&entry, "before"),
            after: walker.string_array(&entry, "after"),
            command,
            renderers,
            span: entry.span.clone(),
            name,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::ToDiagnostic;

    fn parse_ok(text: &str) -> Manifest {
        let mut warnings = Vec::new();
        parse(text, "folder", &mut warnings).unwrap()
    }

    #[test]
    fn only_books_without_a_chapter_list_can_be_mdbooks() {
        assert_eq!(
            source_folder("[book]\ntitle = \"x\"\n").as_deref(),
            Some("src")
        );
        assert_eq!(
            source_folder("[book]\nsrc = \"doc\"\n").as_deref(),
            Some("doc")
        );
        assert_eq!(
            source_folder("[book]\ntitle = \"x\"\n[[chapters]]\nfile = \"a.md\"\n"),
            None
        );
        assert_eq!(source_folder("title = 1\n"), None);
        assert_eq!(source_folder("not toml ["), None);
    }

    #[test]
    fn mdbook_metadata_and_bindery_keys_are_merged() {
        let manifest = parse_ok(
            r#"
[book]
title = "The Book"
authors = ["A. Writer"]
description = "About things."
language = "de"

[output.html]
site-url = "/book/"
additional-css = ["theme/extra.css"]
mathjax-support = true
no-section-label = true

[output.html.code.hidelines]
python = "~"

[output.bindery]
optional = true
identifier = "urn:isbn:9780000000002"
site-url = "https://example.org/book"

[preprocessor.admonish]
command = "mdbook-admonish"
after = ["links"]
"#,
        );
        assert_eq!(manifest.book.title, "The Book");
        assert_eq!(manifest.book.language, "de");
        assert_eq!(manifest.book.contributors[0].name, "A. Writer");
        assert_eq!(manifest.book.description.as_deref(), Some("About things."));
        assert_eq!(
            manifest.book.identifier.as_deref(),
            Some("urn:isbn:9780000000002")
        );
        assert_eq!(manifest.toc.depth, 1);
        let mdbook = manifest.mdbook.unwrap();
        assert_eq!(mdbook.src.value, "src");
        assert!(!mdbook.section_numbers);
        assert!(mdbook.mathjax);
        assert_eq!(
            mdbook.site_url.as_deref(),
            Some("https://example.org/book/")
        );
        assert_eq!(mdbook.additional_css[0].value, "theme/extra.css");
        assert_eq!(mdbook.hidelines["python"], "~");
        assert_eq!(mdbook.preprocessors[0].name, "admonish");
        assert_eq!(mdbook.preprocessors[0].after[0].value, "links");
        assert_eq!(mdbook.asks_for_preprocessors, None);
    }

    #[test]
    fn a_bare_mdbook_manifest_gets_defaults() {
        let manifest = parse_ok("[book]\n");
        assert_eq!(manifest.book.title, "folder");
        assert_eq!(manifest.book.language, "en");
        let mdbook = manifest.mdbook.unwrap();
        assert!(mdbook.section_numbers);
        assert_eq!(mdbook.site_url, None);
        assert!(mdbook.default_preprocessors);
    }

    #[test]
    fn a_path_alone_is_not_a_site_address_but_ours_must_be_whole() {
        let manifest = parse_ok("[book]\n[output.html]\nsite-url = \"/book/\"\n");
        assert_eq!(manifest.mdbook.unwrap().site_url, None);
        let mut warnings = Vec::new();
        let errors = parse(
            "[book]\n[output.bindery]\nsite-url = \"/book/\"\n",
            "x",
            &mut warnings,
        )
        .unwrap_err();
        assert!(errors[0].to_string().contains("not a web address"));
    }

    #[test]
    fn unknown_keys_in_output_bindery_are_errors_with_a_hint() {
        let mut warnings = Vec::new();
        let errors = parse(
            "[book]\n[output.bindery]\nidentifer = \"x\"\n",
            "x",
            &mut warnings,
        )
        .unwrap_err();
        let diagnostic = errors[0].to_diagnostic();
        assert_eq!(
            diagnostic.message,
            "unknown key `identifer` in [output.bindery]"
        );
        assert!(diagnostic.help.unwrap().contains("identifier"));
    }

    #[test]
    fn bindery_keys_in_mdbooks_book_table_are_pointed_elsewhere() {
        let mut warnings = Vec::new();
        parse(
            "[book]\ntitle = \"T\"\ncover = \"c.png\"\n",
            "x",
            &mut warnings,
        )
        .unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .help
                .as_ref()
                .unwrap()
                .contains("[output.bindery]")
        );
    }

    fn names_in_order(text: &str) -> Vec<String> {
        let mdbook = parse_ok(text).mdbook.unwrap();
        let order = mdbook.preprocessor_order().unwrap();
        order.iter().map(|step| step.name.to_string()).collect()
    }

    #[test]
    fn preprocessors_run_in_batches_sorted_by_name() {
        // Batch one: all that wait for nothing, by name, mdBook's own too.
        assert_eq!(
            names_in_order("[book]\n[preprocessor.admonish]\n[preprocessor.zebra]\n"),
            ["admonish", "index", "links", "zebra"]
        );
        // `alpha` waits for `zeta`, and `mid` runs before `alpha`: after the
        // first batch (index, links, mid, zeta) comes `alpha`. Taking the
        // first by name each time would run `zeta` before `mid`.
        assert_eq!(
            names_in_order(
                "[book]\n[preprocessor.zeta]\n[preprocessor.alpha]\nafter = [\"zeta\"]\n\
                 [preprocessor.mid]\nbefore = [\"alpha\"]\n"
            ),
            ["index", "links", "mid", "zeta", "alpha"]
        );
        // The batch by batch order differs from one by one: `b` runs after
        // `a`, so `c` (free from the start) comes before it.
        assert_eq!(
            names_in_order(
                "[book]\n[build]\nuse-default-preprocessors = false\n\
                 [preprocessor.a]\n[preprocessor.b]\nafter = [\"a\"]\n[preprocessor.c]\n"
            ),
            ["a", "c", "b"]
        );
        // A name that is not a preprocessor of the book is passed over.
        assert_eq!(
            names_in_order(
                "[book]\n[preprocessor.x]\nafter = [\"nothing\"]\nbefore = [\"index\"]\n"
            ),
            ["links", "x", "index"]
        );
    }

    #[test]
    fn a_cycle_of_preprocessors_is_an_error_at_its_entry() {
        let text = "[book]\n[preprocessor.a]\nbefore = [\"b\"]\n\
                    [preprocessor.b]\nbefore = [\"links\"]\n\
                    [preprocessor.links]\nbefore = [\"a\"]\n";
        let errors = parse(text, "x", &mut Vec::new()).unwrap_err();
        assert_eq!(errors.len(), 1);
        let diagnostic = errors[0].to_diagnostic();
        assert_eq!(diagnostic.code, "B181");
        assert_eq!(
            diagnostic.message,
            "the preprocessors cannot be put in order: `a` runs before `b`, `b` before `links`, and `links` before `a`"
        );
        let span = diagnostic.span.unwrap();
        assert_eq!(&text[span], "\"b\"");
        assert!(diagnostic.help.unwrap().contains("`before` or `after`"));

        let errors = parse(
            "[book]\n[preprocessor.a]\nafter = [\"a\"]\n",
            "x",
            &mut Vec::new(),
        )
        .unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "the preprocessor `a` is to run before itself"
        );
        // Downstream of a cycle is not part of it.
        let errors = parse(
            "[book]\n[preprocessor.a]\nafter = [\"c\"]\n[preprocessor.c]\nafter = [\"d\"]\n\
             [preprocessor.d]\nafter = [\"c\"]\n",
            "x",
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .ends_with("`c` runs before `d`, and `d` before `c`"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn binderys_top_level_tables_are_pointed_to_output_bindery() {
        let mut warnings = Vec::new();
        let text = "[book]\ntitle = \"T\"\n[toc]\ndepth = 3\n[style]\ncss = [\"a.css\"]\n";
        let manifest = parse(text, "x", &mut warnings).unwrap();
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the table [toc] is not read in an mdBook project",
                "the table [style] is not read in an mdBook project"
            ]
        );
        assert_eq!(warnings[0].code, "B175");
        assert_eq!(&text[warnings[0].span.clone().unwrap()], "toc");
        assert!(
            warnings[0]
                .help
                .as_ref()
                .unwrap()
                .starts_with("move it to [output.bindery.toc]")
        );
        // Not read: the defaults stand.
        assert_eq!(manifest.toc.depth, 1);
        assert!(manifest.style.css.is_empty());
    }

    #[test]
    fn binderys_tables_under_output_bindery_are_read() {
        let mut warnings = Vec::new();
        let manifest = parse(
            "[book]\n[output.html]\nadditional-css = [\"m.css\"]\n\
             [output.bindery.toc]\ndepth = 3\ntitle = \"Inhalt\"\n\
             [output.bindery.style]\ncss = [\"a.css\"]\n\
             [output.bindery.markdown]\nbroken-links = \"warn\"\n\
             [output.bindery.notes]\ntitle = \"Notes\"\n",
            "x",
            &mut warnings,
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(manifest.toc.depth, 3);
        assert_eq!(manifest.toc.title.as_deref(), Some("Inhalt"));
        let css: Vec<&str> = manifest
            .style
            .css
            .iter()
            .map(|c| c.value.as_str())
            .collect();
        assert_eq!(css, ["m.css", "a.css"]);
        assert_eq!(
            manifest.markdown.broken_links,
            crate::manifest::BrokenLinks::Warn
        );
        assert_eq!(manifest.notes.title.as_deref(), Some("Notes"));
    }
}
