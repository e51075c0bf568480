//! mdBook's `book.toml` → [`Manifest`]: the same stage for books written
//! for mdBook.
//!
//! mdBook's manifest has a `[book]` table (title, authors, description,
//! language, `src`), tables for its renderers (`[output.html]`) and its
//! preprocessors (`[preprocessor.NAME]`), and accepts any other table.
//! bindery reads what it needs from mdBook's tables and takes its own
//! keys from `[output.bindery]` (which mdBook passes to a renderer named
//! `bindery`, and skips when that table says `optional = true`) or from
//! its own top-level tables (`[toc]`, `[style]` …), which mdBook ignores.
//! mdBook's other keys are mdBook's business: they are not reported.

use super::walk::{Table, Walker};
use super::{
    BOOK_KEYS, Located, Manifest, ManifestError, MarkdownConfig, NotesConfig, StyleConfig,
    TocConfig, publishing, read_book_rest, read_language, read_markdown, read_notes, read_style,
    read_toc,
};
use crate::diag::Diagnostic;
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
    /// `README.md` → `index` are processed (mdBook's `links` and `index`).
    pub default_preprocessors: bool,
    /// `[output.bindery] preprocessors = true`: run the configured
    /// preprocessors without being asked on the command line.
    pub run_preprocessors: bool,
}

/// One `[preprocessor.NAME]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preprocessor {
    /// The table's name.
    pub name: String,
    /// The command, or by default `mdbook-NAME`.
    pub command: String,
    /// Preprocessors it runs before.
    pub before: Vec<String>,
    /// Preprocessors it runs after.
    pub after: Vec<String>,
    /// The renderers it is for, when the table lists them.
    pub renderers: Option<Vec<String>>,
    /// The table, in `book.toml`.
    pub span: std::ops::Range<usize>,
}

/// mdBook's own preprocessors, which bindery does itself.
pub const BUILT_IN_PREPROCESSORS: &[&str] = &["links", "index"];

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
    meta.title = pick(&mut walker, "title").map_or_else(|| folder_name.to_string(), |t| t.value);
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
            meta.direction = publishing::PageDirection::Rtl;
        }
        for (key, value) in book.entries.iter() {
            let key: &str = key.get_ref();
            if !MDBOOK_BOOK_KEYS.contains(&key) && BOOK_KEYS.contains(&key) {
                // bindery's key in mdBook's table: mdBook ignores it,
                // and so would bindery, so say where it belongs.
                warnings.push(
                    Diagnostic::warning(
                        "B175",
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

    // bindery's tables: under [output.bindery], else at the top level.
    let ours = |walker: &mut Walker, key: &str| {
        bindery
            .as_ref()
            .and_then(|t| walker.table(t, key))
            .or_else(|| walker.table(&top, key))
    };
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
    let mut style = match ours(&mut walker, "style") {
        Some(table) => read_style(&mut walker, &table),
        None => StyleConfig::default(),
    };

    let no_section_label = html
        .as_ref()
        .and_then(|t| walker.boolean(t, "no-section-label"))
        .unwrap_or(false);
    let section_numbers = bindery
        .as_ref()
        .and_then(|t| walker.boolean(t, "section-numbers"))
        .unwrap_or(!no_section_label);
    let site_url = bindery
        .as_ref()
        .and_then(|t| site_url(&mut walker, t, true))
        .or_else(|| html.as_ref().and_then(|t| site_url(&mut walker, t, false)))
        .or_else(|| meta.url.clone());
    let additional_css = html
        .as_ref()
        .map(|t| walker.string_array(t, "additional-css"))
        .unwrap_or_default();
    // mdBook's extra stylesheets style the EPUB too, after bindery's own.
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
    let run_preprocessors = bindery
        .as_ref()
        .and_then(|t| walker.boolean(t, "preprocessors"))
        .unwrap_or(false);
    let default_preprocessors = walker
        .table(&top, "build")
        .and_then(|t| walker.boolean(&t, "use-default-preprocessors"))
        .unwrap_or(true);
    let preprocessors = match walker.table(&top, "preprocessor") {
        Some(table) => read_preprocessors(&mut walker, &table),
        None => Vec::new(),
    };

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
        mdbook: Some(MdBookConfig {
            src,
            section_numbers,
            site_url,
            additional_css,
            mathjax,
            hidelines,
            preprocessors,
            default_preprocessors,
            run_preprocessors,
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
            code: "B017",
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
            before: walker
                .string_array(&entry, "before")
                .into_iter()
                .map(|b| b.value)
                .collect(),
            after: walker
                .string_array(&entry, "after")
                .into_iter()
                .map(|a| a.value)
                .collect(),
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
        assert_eq!(mdbook.preprocessors[0].after, ["links"]);
        assert!(!mdbook.run_preprocessors);
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
        let diagnostic = errors[0].to_diagnostic("book.toml");
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
}
