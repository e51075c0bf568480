//! `[output.epub]`: the settings of mdbook-epub, the EPUB renderer many
//! mdBooks were made into e-books with, read where they mean something
//! to bindery, so that such a book keeps its cover and its stylesheets
//! without a word added. Part of the manifest stage, for mdBook projects
//! ([`super::mdbook`]).
//!
//! mdbook-epub reads `cover-image` and `additional-resources` relative to
//! the book's source folder, and `additional-css` relative to the book
//! folder. A key that asks for something bindery does differently
//! (a template of its own, no default stylesheet, EPUB 2, straight
//! quotes) is a warning at the key, saying what bindery does instead;
//! a key mdbook-epub does not have is a warning too.

use super::Located;
use super::walk::{Table, Walker};
use crate::diag::{Code, Diagnostic};

/// What bindery takes from `[output.epub]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpubSettings {
    /// `cover-image`, as a path from the book folder.
    pub cover: Option<Located<String>>,
    /// `additional-css`: stylesheets, relative to the book folder.
    pub css: Option<Vec<Located<String>>>,
    /// `no-section-label = true`: chapters without their numbers.
    pub no_section_label: Option<bool>,
}

/// The keys mdbook-epub reads whose meaning bindery has: they are read
/// without a word (`additional-resources`: bindery takes every file the
/// chapters and stylesheets use; `footnote-backrefs`: bindery always links
/// a note back to where it is referred to; `epub-version = 3`, which is
/// what bindery writes; `curly-quotes = true`, which is what bindery
/// does). mdBook's own keys of every renderer table are here too.
const SILENT: &[&str] = &["additional-resources", "command", "optional", "renderers"];

/// Reads the table. `src` is the book's source folder, from the book
/// folder.
pub fn read(
    walker: &mut Walker,
    table: &Table<'_, '_>,
    src: &str,
    warnings: &mut Vec<Diagnostic>,
) -> EpubSettings {
    let mut settings = EpubSettings::default();
    let mut warn = |span: std::ops::Range<usize>, message: String, help: &str| {
        warnings.push(
            Diagnostic::new(Code::MdBookEpubKeyNotUsed, message)
                .in_file(super::FILE_NAME)
                .at(span)
                .with_help(help.to_string()),
        );
    };
    let mut keys: Vec<(String, std::ops::Range<usize>)> = table
        .entries
        .iter()
        .map(|(key, _)| (key.get_ref().to_string(), key.span()))
        .collect();
    // In the order they are written.
    keys.sort_by_key(|(_, span)| span.start);
    for (key, span) in keys {
        match key.as_str() {
            "cover-image" => {
                settings.cover = walker.string(table, &key).map(|cover| Located {
                    value: from_src(src, &cover.value),
                    span: cover.span,
                });
            }
            "additional-css" => settings.css = Some(walker.string_array(table, &key)),
            "no-section-label" => settings.no_section_label = walker.boolean(table, &key),
            "curly-quotes" => {
                if walker.boolean(table, &key) == Some(false) {
                    warn(
                        span,
                        "`curly-quotes = false` in [output.epub] is not followed".into(),
                        "bindery always sets the quotation marks of the book's language; remove the key",
                    );
                }
            }
            "footnote-backrefs" => {
                if walker.boolean(table, &key) == Some(false) {
                    warn(
                        span,
                        "`footnote-backrefs = false` in [output.epub] is not followed".into(),
                        "bindery always links a note back to where it is referred to, as EPUB 3 reading systems expect; remove the key",
                    );
                }
            }
            "epub-version" => {
                let version = walker.integer(table, &key);
                if version.as_ref().is_some_and(|v| v.value != 3) {
                    warn(
                        span,
                        "`epub-version` in [output.epub] is not followed: bindery writes EPUB 3".into(),
                        "EPUB 3 reading systems open EPUB 3 files; remove the key",
                    );
                }
            }
            "use-default-css" => {
                if walker.boolean(table, &key) == Some(false) {
                    warn(
                        span,
                        "`use-default-css = false` in [output.epub] is not followed".into(),
                        "bindery's stylesheet is always in the book, and the book's `additional-css` comes after it, so it can change anything bindery's sets",
                    );
                }
            }
            "index-template" => warn(
                span,
                "`index-template` in [output.epub] is not read: bindery writes each chapter's XHTML itself".into(),
                "style the chapters with `additional-css` instead, and remove the key",
            ),
            _ if SILENT.contains(&key.as_str()) => {}
            _ => warn(
                span,
                format!("`{key}` in [output.epub] is not a setting bindery knows"),
                "bindery reads `cover-image`, `additional-css`, `additional-resources`, `no-section-label`, `curly-quotes`, `footnote-backrefs`, `epub-version`, `use-default-css` and `index-template` there; bindery's own settings go in [output.bindery]",
            ),
        }
    }
    settings
}

/// A path mdbook-epub reads from the source folder, as a path from the
/// book folder. An absolute path stays as it is, for `load` to refuse.
fn from_src(src: &str, path: &str) -> String {
    let src = src.trim_end_matches('/');
    if path.starts_with('/') || src.is_empty() || src == "." {
        return path.to_string();
    }
    format!("{src}/{}", path.trim_start_matches("./"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (EpubSettings, Vec<String>) {
        let document = toml::de::DeTable::parse(text).unwrap();
        let top = Table::new(document.get_ref(), "top level", document.span());
        let mut walker = Walker::default();
        let output = walker.table(&top, "output").unwrap();
        let epub = walker.table(&output, "epub").unwrap();
        let mut warnings = Vec::new();
        let settings = read(&mut walker, &epub, "src", &mut warnings);
        assert!(walker.errors.is_empty());
        let messages = warnings
            .iter()
            .map(|w| {
                let span = w.span.clone().unwrap();
                format!("{} {}", &text[span], w.message)
            })
            .collect();
        (settings, messages)
    }

    #[test]
    fn the_cover_comes_from_the_source_folder_and_the_css_from_the_book() {
        let (settings, warnings) = read_text(
            "[output.epub]\ncover-image = \"./images/cover.png\"\nadditional-css = [\"theme/epub.css\"]\nadditional-resources = [\"fonts/a.ttf\"]\ncurly-quotes = true\nfootnote-backrefs = true\nepub-version = 3\nno-section-label = true\n",
        );
        assert_eq!(settings.cover.unwrap().value, "src/images/cover.png");
        let css: Vec<String> = settings.css.unwrap().into_iter().map(|c| c.value).collect();
        assert_eq!(css, ["theme/epub.css"]);
        assert_eq!(settings.no_section_label, Some(true));
        assert_eq!(warnings, Vec::<String>::new());
    }

    #[test]
    fn settings_bindery_does_not_follow_are_warned_at_their_key() {
        let (_, warnings) = read_text(
            "[output.epub]\nuse-default-css = false\nindex-template = \"t.hbs\"\ncurly-quotes = false\nepub-version = 2\nfootnote-backrefs = false\nflavour = \"x\"\ncommand = \"mdbook-epub\"\n",
        );
        assert_eq!(
            warnings,
            [
                "use-default-css `use-default-css = false` in [output.epub] is not followed",
                "index-template `index-template` in [output.epub] is not read: bindery writes each chapter's XHTML itself",
                "curly-quotes `curly-quotes = false` in [output.epub] is not followed",
                "epub-version `epub-version` in [output.epub] is not followed: bindery writes EPUB 3",
                "footnote-backrefs `footnote-backrefs = false` in [output.epub] is not followed",
                "flavour `flavour` in [output.epub] is not a setting bindery knows",
            ]
        );
    }
}
