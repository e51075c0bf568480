//! What a chapter is, in EPUB's structural semantics: a preface, an
//! appendix, a glossary …

use super::ManifestError;
use super::Matter;
use super::walk::{Table, Walker};
use crate::diag::Code;

/// A chapter's kind: its `epub:type` and ARIA role, and the matter it
/// belongs to unless told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChapterKind {
    /// The name as written in `type`, which is also its `epub:type`.
    pub name: &'static str,
    /// The DPUB-ARIA role, where there is one.
    pub role: Option<&'static str>,
    /// Where such a chapter usually sits.
    pub matter: Matter,
}

/// The kinds bindery knows, with their roles and usual matter.
const KINDS: &[(&str, Option<&str>, Matter)] = &[
    (
        "acknowledgments",
        Some("doc-acknowledgments"),
        Matter::Front,
    ),
    ("afterword", Some("doc-afterword"), Matter::Back),
    ("appendix", Some("doc-appendix"), Matter::Back),
    ("bibliography", Some("doc-bibliography"), Matter::Back),
    ("chapter", Some("doc-chapter"), Matter::Body),
    ("colophon", Some("doc-colophon"), Matter::Back),
    ("conclusion", Some("doc-conclusion"), Matter::Body),
    ("copyright-page", None, Matter::Front),
    ("dedication", Some("doc-dedication"), Matter::Front),
    ("epigraph", Some("doc-epigraph"), Matter::Front),
    ("epilogue", Some("doc-epilogue"), Matter::Body),
    ("errata", Some("doc-errata"), Matter::Back),
    ("foreword", Some("doc-foreword"), Matter::Front),
    ("glossary", Some("doc-glossary"), Matter::Back),
    ("index", Some("doc-index"), Matter::Back),
    ("introduction", Some("doc-introduction"), Matter::Body),
    ("part", Some("doc-part"), Matter::Body),
    ("preface", Some("doc-preface"), Matter::Front),
    ("prologue", Some("doc-prologue"), Matter::Body),
];

impl ChapterKind {
    /// The kind of that name.
    pub fn named(name: &str) -> Option<ChapterKind> {
        KINDS
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|&(name, role, matter)| ChapterKind { name, role, matter })
    }

    /// An ordinary chapter.
    pub fn chapter() -> ChapterKind {
        ChapterKind {
            name: "chapter",
            role: Some("doc-chapter"),
            matter: Matter::Body,
        }
    }
}

/// Reads the `type` key of a chapter entry or a chapter's front matter.
pub(super) fn read_kind(walker: &mut Walker, table: &Table<'_, '_>) -> Option<ChapterKind> {
    let value = walker.string(table, "type")?;
    let kind = ChapterKind::named(value.value.trim());
    if kind.is_none() {
        let names: Vec<&str> = KINDS.iter().map(|(n, _, _)| *n).collect();
        walker.errors.push(ManifestError::InvalidValue {
            code: Code::UnknownChapterKind,
            message: format!("`{}` is not a kind of chapter bindery knows", value.value),
            help: match crate::diag::did_you_mean(&value.value, names.iter().copied()) {
                Some(name) => format!("did you mean `{name}`?"),
                None => format!("use one of {}", names.join(", ")),
            },
            span: value.span,
        });
    }
    kind
}
