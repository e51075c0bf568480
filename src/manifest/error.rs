//! The ways a manifest can be wrong.

use crate::diag::Diagnostic;
use std::ops::Range;

/// A problem in `book.toml`. Every variant carries the byte span it is
/// about, so the message can show the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// Not TOML at all.
    #[error("{message}")]
    Syntax {
        /// The parser's words.
        message: String,
        /// Where the parser stopped.
        span: Option<Range<usize>>,
    },
    /// A required key is absent.
    #[error("missing key `{key}` in [{table}]")]
    MissingKey {
        /// The key.
        key: &'static str,
        /// The table it belongs in.
        table: String,
        /// The table's header, when the table exists.
        span: Option<Range<usize>>,
    },
    /// A key bindery does not know.
    #[error("unknown key `{key}` {}", in_table(table))]
    UnknownKey {
        /// The key as written.
        key: String,
        /// The table it was found in.
        table: String,
        /// The key's span.
        span: Range<usize>,
        /// The closest known key, if any is close.
        suggestion: Option<&'static str>,
    },
    /// A value of the wrong TOML type.
    #[error("`{key}` must be {expected}, found {found}")]
    WrongType {
        /// Dotted key path.
        key: String,
        /// What it should be, with an article ("a string").
        expected: &'static str,
        /// What it is.
        found: &'static str,
        /// The value's span.
        span: Range<usize>,
    },
    /// A value of the right type that still cannot be used.
    #[error("{message}")]
    InvalidValue {
        /// Stable code for the kind of value (`B005` language, `B006` date …).
        code: &'static str,
        /// What is wrong.
        message: String,
        /// What to do.
        help: String,
        /// The value's span.
        span: Range<usize>,
    },
}

/// `in [book]`, or `at the top of the file` for the top level, which has
/// no table name to show.
fn in_table(table: &str) -> String {
    if table == "top level" {
        "at the top of the file".to_string()
    } else {
        format!("in [{table}]")
    }
}

impl ManifestError {
    /// The same error with its span moved `by` bytes on: for TOML that
    /// sits inside a larger file, such as a chapter's front matter.
    pub fn shifted(mut self, by: usize) -> Self {
        let shift = |span: &mut Range<usize>| *span = span.start + by..span.end + by;
        match &mut self {
            ManifestError::Syntax { span, .. } | ManifestError::MissingKey { span, .. } => {
                if let Some(span) = span {
                    shift(span);
                }
            }
            ManifestError::UnknownKey { span, .. }
            | ManifestError::WrongType { span, .. }
            | ManifestError::InvalidValue { span, .. } => shift(span),
        }
        self
    }

    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            ManifestError::Syntax { .. } => "B001",
            ManifestError::MissingKey { .. } => "B002",
            ManifestError::UnknownKey { .. } => "B003",
            ManifestError::WrongType { .. } => "B004",
            ManifestError::InvalidValue { code, .. } => code,
        }
    }

    /// The EPUBCheck message for the same problem in a package document,
    /// if there is one: the manifest's metadata becomes the package's.
    pub fn epubcheck(&self) -> Option<&'static str> {
        match self.code() {
            "B005" => Some("OPF-092"),
            "B006" => Some("OPF-053"),
            "B007" => Some("OPF-052"),
            _ => None,
        }
    }

    /// Turns the error into a diagnostic about `file`.
    pub fn to_diagnostic(&self, file: &str) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(self.code(), self.to_string()).in_file(file);
        // A chapter's front matter becomes the chapter's attributes, not
        // package metadata.
        if file == super::FILE_NAME {
            diagnostic.epubcheck = self.epubcheck().map(str::to_string);
        }
        match self {
            ManifestError::Syntax { span, .. } => diagnostic
                .at_opt(span.clone())
                .with_help("fix the TOML syntax; see https://toml.io for the format"),
            ManifestError::MissingKey { key, table, span } => {
                diagnostic.at_opt(span.clone()).with_help(match *key {
                    "title" => format!("add `title = \"…\"` to [{table}]"),
                    "language" => format!(
                        "add the language of the text as a BCP 47 tag to [{table}], for example `language = \"en\"`"
                    ),
                    _ => format!("add `{key} = …` to [{table}]"),
                })
            }
            ManifestError::UnknownKey {
                span, suggestion, table, ..
            } => diagnostic.at(span.clone()).with_help(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("remove it; the manifest reference lists the keys of [{table}]"),
            }),
            ManifestError::WrongType { span, expected, .. } => diagnostic
                .at(span.clone())
                .with_help(format!("write {expected} here")),
            ManifestError::InvalidValue { span, help, .. } => {
                diagnostic.at(span.clone()).with_help(help.clone())
            }
        }
    }
}
