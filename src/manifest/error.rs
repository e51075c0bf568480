//! The ways a manifest can be wrong.

use crate::diag::{Code, Diagnostic, ToDiagnostic};
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
        /// The kind of value (`B005` a language, `B006` a date …).
        code: Code,
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
}

impl ToDiagnostic for ManifestError {
    fn code(&self) -> Code {
        match self {
            ManifestError::Syntax { .. } => Code::TomlSyntax,
            ManifestError::MissingKey { .. } => Code::MissingKey,
            ManifestError::UnknownKey { .. } => Code::UnknownKey,
            ManifestError::WrongType { .. } => Code::WrongType,
            ManifestError::InvalidValue { code, .. } => *code,
        }
    }

    /// The problem in `book.toml`; for a chapter's front matter,
    /// [`ManifestError::in_front_matter`].
    fn to_diagnostic(&self) -> Diagnostic {
        let diagnostic = Diagnostic::new(self.code(), self.to_string()).in_file(super::FILE_NAME);
        // The manifest's metadata becomes the package document's, so
        // EPUBCheck would name the same problem there.
        let diagnostic = match self.code() {
            Code::BadLanguageTag => diagnostic.with_epubcheck("OPF-092"),
            Code::BadDate => diagnostic.with_epubcheck("OPF-053"),
            Code::UnknownRole => diagnostic.with_epubcheck("OPF-052"),
            _ => diagnostic,
        };
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

impl ManifestError {
    /// The problem in the front matter of the chapter `file`: its
    /// attributes, not package metadata, so no EPUBCheck message matches.
    pub fn in_front_matter(&self, file: &str) -> Diagnostic {
        Diagnostic {
            file: Some(file.to_string()),
            epubcheck: None,
            ..self.to_diagnostic()
        }
    }
}
