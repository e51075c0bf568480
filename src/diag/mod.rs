//! Diagnostics: the one shape every stage's errors and warnings take.
//!
//! Each stage keeps its own error enum with byte spans; at the edge each
//! error becomes a [`Diagnostic`] through [`ToDiagnostic`], the one way
//! from any error to a diagnostic. Every diagnostic has a [`Code`], which
//! gives its usual severity; a book's [`Policy`] may change it, and
//! nothing else does. Spans stay bytes until printing, when
//! [`render_human`] turns them into 1-based lines and character columns
//! using the source text kept in [`Sources`].

mod code;
pub mod escape;
mod explain;
mod human;
mod machine;
mod policy;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

pub use code::Code;
pub use explain::{Explanation, codes_for_epubcheck, explain, explanations, is_epubcheck_id};
pub use human::{render_human, render_human_in, render_human_styled, severity_label};
pub use machine::{render_github, render_json, render_json_in, render_sarif, render_sarif_many};
pub use policy::{BrokenLink, Policy, epubcheck_message};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Worth knowing; the build goes on.
    Warning,
    /// Extra information.
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// One problem, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, such as `B003`.
    pub code: Code,
    /// Error, warning or note.
    pub severity: Severity,
    /// What is wrong: lower case, no full stop.
    pub message: String,
    /// The file, as the user names it (relative to the book folder).
    pub file: Option<String>,
    /// Byte range in `file`.
    pub span: Option<Range<usize>>,
    /// What to do about it.
    pub help: Option<String>,
    /// The id of the matching EPUBCheck message (such as `RSC-007`), so
    /// people can look the problem up there too.
    pub epubcheck: Option<String>,
}

/// What every stage's error type has in common: a code, and one way to
/// become a [`Diagnostic`].
pub trait ToDiagnostic {
    /// The stable code.
    fn code(&self) -> Code;

    /// The problem as users read it, with its code's usual severity.
    fn to_diagnostic(&self) -> Diagnostic;

    /// Whether `broken-links = "warn"` makes the problem a warning, and
    /// what then becomes of the link or image (see [`Policy`]).
    fn broken_link(&self) -> Option<BrokenLink> {
        None
    }

    /// The text of the file the diagnostic points into, when the build
    /// does not otherwise hold it (a file that is not UTF-8, a chapter
    /// whose front matter is wrong), with its name.
    fn source_text(&self) -> Option<(&str, &Arc<str>)> {
        None
    }
}

impl Diagnostic {
    /// A problem with a message and nothing else yet, as bad as its code
    /// usually is ([`Code::severity`]).
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            file: None,
            span: None,
            help: None,
            epubcheck: None,
        }
    }

    /// Names the file the problem is in.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Points at a byte range of the file.
    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    /// Points at a byte range, if there is one.
    pub fn at_opt(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
        self
    }

    /// Says what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Names the EPUBCheck message this problem matches.
    pub fn with_epubcheck(mut self, id: impl Into<String>) -> Self {
        self.epubcheck = Some(id.into());
        self
    }

    /// Says what to do, if there is something to say.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// The text of every file a diagnostic may point into, by display name.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: BTreeMap<String, Source>,
}

/// A file's text and, once asked for, where its lines start.
#[derive(Debug, Clone)]
struct Source {
    text: Arc<str>,
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl Sources {
    /// Remembers the text of a file.
    pub fn insert(&mut self, name: impl Into<String>, text: Arc<str>) {
        self.files.insert(
            name.into(),
            Source {
                text,
                line_starts: std::sync::OnceLock::new(),
            },
        );
    }

    /// The text of a file, if it was remembered.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(|source| &*source.text)
    }

    /// The line and column of a byte offset in a remembered file, as
    /// [`line_col`] finds them. The lines are indexed once per file, so
    /// a file with thousands of problems is not scanned once for each.
    pub fn line_col(&self, name: &str, offset: usize) -> Option<LineCol> {
        let (text, starts) = self.indexed(name)?;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = starts.partition_point(|&start| start <= offset);
        let start = starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        Some(LineCol {
            line: line.max(1),
            column: text.get(start..offset).map_or(0, |s| s.chars().count()) + 1,
        })
    }

    /// The text of line `line` (from 1) of a remembered file, without its
    /// line end.
    pub fn line(&self, name: &str, line: usize) -> Option<&str> {
        let (text, starts) = self.indexed(name)?;
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(text.len(), |next| next - 1);
        text.get(start..end)
    }

    fn indexed(&self, name: &str) -> Option<(&str, &[usize])> {
        let source = self.files.get(name)?;
        let text = &*source.text;
        let starts = source.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        Some((text, starts))
    }
}

/// Everything a run has to say, and the sources to say it with.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The problems, in the order they were found.
    pub diagnostics: Vec<Diagnostic>,
    /// The files they point into.
    pub sources: Sources,
}

impl Report {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Sorts diagnostics by file and position, keeping problems without a
    /// file first; ties keep the order they were found in.
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            (a.file.is_some(), &a.file, a.span.as_ref().map(|s| s.start)).cmp(&(
                b.file.is_some(),
                &b.file,
                b.span.as_ref().map(|s| s.start),
            ))
        });
    }
}

/// A 1-based line and character column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

/// Finds the line and column of a byte offset; offsets inside a character
/// or past the end are moved back to the nearest character start.
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// Suggests the candidate closest to a misspelt word, if one is close.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a\nzé = 1\n";
        assert_eq!(line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(line_col(text, 2), LineCol { line: 2, column: 1 });
        // "zé " is 4 bytes but 3 characters
        assert_eq!(line_col(text, 6), LineCol { line: 2, column: 4 });
        assert_eq!(line_col(text, 99), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn indexed_lines_agree_with_scanning() {
        let text = "a\nzé = 1\n\nlast";
        let mut sources = Sources::default();
        sources.insert("f", Arc::from(text));
        for offset in 0..text.len() + 3 {
            assert_eq!(
                sources.line_col("f", offset),
                Some(line_col(text, offset)),
                "{offset}"
            );
        }
        assert_eq!(sources.line_col("other", 0), None);
        assert_eq!(sources.line("f", 1), Some("a"));
        assert_eq!(sources.line("f", 2), Some("zé = 1"));
        assert_eq!(sources.line("f", 3), Some(""));
        assert_eq!(sources.line("f", 4), Some("last"));
        assert_eq!(sources.line("f", 5), None);
        assert_eq!(sources.line("f", 0), None);
    }

    #[test]
    fn did_you_mean_finds_close_words_only() {
        let keys = ["title", "subtitle", "language"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("langauge", keys), Some("language"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }
}
