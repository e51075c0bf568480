//! The ways reading a book can fail.

use super::{PathProblem, ReadProblem};
use crate::diag::{BrokenLink, Code, Diagnostic, ToDiagnostic};
use crate::manifest;
use std::ops::Range;
use std::sync::Arc;

/// Where a path was written: a file and a span in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file, as the user names it.
    pub file: Option<String>,
    /// The span of the reference.
    pub span: Option<Range<usize>>,
}

impl Origin {
    /// Written in `book.toml` at `span`.
    pub fn manifest(span: Range<usize>) -> Self {
        Origin {
            file: Some(manifest::FILE_NAME.into()),
            span: Some(span),
        }
    }

    /// Written in a chapter at `span`.
    pub fn chapter(file: &str, span: Range<usize>) -> Self {
        Origin {
            file: Some(file.into()),
            span: Some(span),
        }
    }

    /// Not written anywhere (a chapter found by listing `chapters/`).
    pub fn none() -> Self {
        Origin::default()
    }
}

/// What bindery cannot use in an author's stylesheet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StyleProblem {
    /// `@import`, which would need a file bindery has not read.
    #[error("`@import` is not supported")]
    Import,
    /// A `url()` on the web.
    #[error("remote resource `{url}`")]
    Remote {
        /// The address as written.
        url: String,
    },
}

/// How one of an mdBook's preprocessors let the build down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreprocessorProblem {
    /// Its command cannot be split into a program and arguments.
    Command,
    /// It answered with something that is not a book.
    Answer(String),
    /// It could not be run, or failed.
    Failed(String),
}

/// A problem reading the book.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// No `book.toml` in the folder.
    #[error("no book.toml in `{dir}`")]
    NoManifest {
        /// The folder.
        dir: String,
    },
    /// The system could not read a file.
    #[error("cannot read `{file}`: {message}")]
    Read {
        /// The file.
        file: String,
        /// The system's words.
        message: String,
    },
    /// A path that names a folder or a device rather than a file.
    #[error("`{path}` is not a file")]
    NotAFile {
        /// The path.
        path: String,
        /// Where it was named.
        origin: Origin,
    },
    /// A file the book names does not exist.
    #[error("file not found: `{path}`")]
    Missing {
        /// The path as written.
        path: String,
        /// Where it was named.
        origin: Origin,
    },
    /// A path that leaves the book's root, or cannot be used at all.
    #[error("{}", bad_path_message(path, problem))]
    BadPath {
        /// The path as written.
        path: String,
        /// What is wrong with it.
        problem: PathProblem,
        /// Where it was named.
        origin: Origin,
    },
    /// A file larger than bindery reads.
    #[error("`{path}` is {}, more than the {} bindery reads", size_words(*size), size_words(*limit))]
    TooLarge {
        /// The file.
        path: String,
        /// Its size in bytes.
        size: u64,
        /// The most bytes allowed.
        limit: u64,
        /// Where it was named.
        origin: Origin,
    },
    /// A chapter or manifest that is not UTF-8.
    #[error("`{file}` is not valid UTF-8")]
    NotUtf8 {
        /// The file.
        file: String,
        /// The first byte that is not UTF-8.
        offset: usize,
        /// The text with bad bytes replaced, to show the line.
        lossy: Arc<str>,
    },
    /// Nothing to put in the book.
    #[error("the book has no chapters")]
    NoChapters {
        /// Whether `[[chapters]]` was given (and empty).
        listed: bool,
    },
    /// A cover or image that is not an image bindery knows.
    #[error("`{path}` is not a PNG, JPEG, GIF, WebP or SVG image")]
    NotAnImage {
        /// The file.
        path: String,
        /// Where it was named.
        origin: Origin,
    },
    /// A problem in a chapter's front matter.
    #[error("{error}")]
    FrontMatter {
        /// The chapter.
        file: String,
        /// Its text, to show the line.
        text: Arc<str>,
        /// What is wrong, with its span in the chapter.
        error: Box<manifest::ManifestError>,
    },
    /// A chapter that opens front matter and never closes it.
    #[error("the front matter is not closed")]
    UnclosedFrontMatter {
        /// The chapter.
        file: String,
        /// Its text, to show the line.
        text: Arc<str>,
    },
    /// A file named as a font, or by a stylesheet, that is neither a font
    /// nor an image.
    #[error("`{path}` is not a font (TTF, OTF, WOFF, WOFF2) or an image")]
    NotAFont {
        /// The file.
        path: String,
        /// Where it was named.
        origin: Origin,
    },
    /// A problem in one of the author's stylesheets.
    #[error("{problem}")]
    Style {
        /// The stylesheet.
        file: String,
        /// Its text, to show the line.
        text: Arc<str>,
        /// Where in it.
        span: Range<usize>,
        /// What is wrong.
        problem: StyleProblem,
    },
    /// An image whose header cannot be read.
    #[error("`{path}` is damaged: its size cannot be read")]
    DamagedImage {
        /// The file.
        path: String,
        /// Where it was named.
        origin: Origin,
    },
    /// No font has some characters of the text the drawn cover shows.
    #[error("no font has {} for the drawn cover", characters(missing))]
    CoverGlyphs {
        /// The characters, each once, in the order they first appear.
        missing: Vec<char>,
        /// The fonts that were tried, by name.
        tried: Vec<String>,
        /// The title's span in `book.toml`, when the manifest wrote one.
        span: Option<Range<usize>>,
    },
    /// A problem in an mdBook's `SUMMARY.md`.
    #[error("{}", error.kind)]
    Summary {
        /// The summary, as the user names it.
        file: String,
        /// Its text, to show the line.
        text: Arc<str>,
        /// What is wrong, with its span in the summary.
        error: Box<crate::mdbook::SummaryError>,
    },
    /// A problem with a chapter's `{{#include}}` or `{{#title}}`.
    #[error("{}", error.kind)]
    Include {
        /// The text of the file the directive is in, to show the line.
        text: Arc<str>,
        /// What is wrong, with its file and span.
        error: Box<crate::mdbook::IncludeError>,
    },
    /// A preprocessor that was run and let the build down.
    #[error("{}", preprocessor_message(name, problem))]
    Preprocessor {
        /// Its name, as in `[preprocessor.NAME]`.
        name: String,
        /// Its table in `book.toml`.
        span: Range<usize>,
        /// What went wrong.
        problem: PreprocessorProblem,
    },
    /// The same chapter listed twice.
    #[error("`{path}` is listed as a chapter twice")]
    DuplicateChapter {
        /// The file.
        path: String,
        /// The second listing.
        origin: Origin,
    },
}

/// `8.0 MiB`, for a size in bytes.
fn size_words(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes < 1024 * 1024 {
        format!("{bytes} bytes")
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB)
    }
}

fn preprocessor_message(name: &str, problem: &PreprocessorProblem) -> String {
    match problem {
        PreprocessorProblem::Command => {
            format!("the command of the preprocessor `{name}` cannot be read")
        }
        PreprocessorProblem::Answer(message) => {
            format!("the preprocessor `{name}` answered with {message}")
        }
        PreprocessorProblem::Failed(message) => {
            format!("the preprocessor `{name}` failed: {message}")
        }
    }
}

fn bad_path_message(path: &str, problem: &PathProblem) -> String {
    problem.message(path)
}

impl LoadError {
    pub(crate) fn from_read(problem: ReadProblem, path: String, origin: Origin) -> Self {
        match problem {
            ReadProblem::Missing => LoadError::Missing { path, origin },
            ReadProblem::EscapesRoot => LoadError::BadPath {
                path,
                problem: PathProblem::EscapesRoot,
                origin,
            },
            ReadProblem::NotAFile => LoadError::NotAFile { path, origin },
            ReadProblem::TooLarge { size, limit } => LoadError::TooLarge {
                path,
                size,
                limit,
                origin,
            },
            ReadProblem::Io(message) => LoadError::Read {
                file: path,
                message,
            },
        }
    }

    /// The EPUBCheck message for the same problem in an EPUB, if there
    /// is one: a file a document refers to that is missing (RSC-007), or
    /// one the package document lists (RSC-001), and so on.
    pub fn epubcheck(&self) -> Option<&'static str> {
        let from_manifest = |origin: &Origin| {
            origin
                .file
                .as_deref()
                .is_none_or(|f| f == manifest::FILE_NAME)
        };
        match self {
            LoadError::Missing { origin, .. } if from_manifest(origin) => Some("RSC-001"),
            LoadError::Missing { .. } => Some("RSC-007"),
            LoadError::BadPath {
                problem: PathProblem::EscapesRoot,
                path,
                ..
            } if path != manifest::FILE_NAME => Some("RSC-026"),
            LoadError::NotUtf8 { file, .. } if file != manifest::FILE_NAME => Some("RSC-028"),
            LoadError::NotAnImage { origin, .. } if !from_manifest(origin) => Some("MED-003"),
            LoadError::DamagedImage { .. } => Some("MED-004"),
            LoadError::DuplicateChapter { .. } => Some("OPF-034"),
            LoadError::Style {
                problem: StyleProblem::Remote { .. },
                ..
            } => Some("RSC-006"),
            _ => None,
        }
    }
}

impl ToDiagnostic for LoadError {
    fn code(&self) -> Code {
        match self {
            LoadError::NoManifest { .. } => Code::NoManifest,
            LoadError::Read { .. } | LoadError::NotAFile { .. } => Code::CannotRead,
            LoadError::Missing { .. } => Code::FileNotFound,
            LoadError::BadPath { .. } => Code::BadPath,
            LoadError::NotUtf8 { .. } => Code::NotUtf8,
            LoadError::NoChapters { .. } => Code::NoChapters,
            LoadError::NotAnImage { .. } => Code::NotAnImage,
            LoadError::DuplicateChapter { .. } => Code::DuplicateChapter,
            LoadError::TooLarge { .. } => Code::FileTooLarge,
            LoadError::FrontMatter { error, .. } => error.code(),
            LoadError::DamagedImage { .. } => Code::DamagedImage,
            LoadError::NotAFont { .. } => Code::NotAFont,
            LoadError::CoverGlyphs { .. } => Code::CoverGlyphsMissing,
            LoadError::Style { .. } => Code::UnusableStylesheet,
            LoadError::UnclosedFrontMatter { .. } => Code::UnclosedFrontMatter,
            LoadError::Summary { error, .. } => error.code(),
            LoadError::Include { error, .. } => error.code(),
            LoadError::Preprocessor { .. } => Code::PreprocessorFailed,
        }
    }

    /// An image a chapter shows that is missing: with `broken-links =
    /// "warn"` the chapter is written without it.
    fn broken_link(&self) -> Option<BrokenLink> {
        match self {
            LoadError::Missing { origin, .. } if origin.span.is_some() => Some(BrokenLink::Image),
            _ => None,
        }
    }

    fn source_text(&self) -> Option<(&str, &Arc<str>)> {
        match self {
            LoadError::NotUtf8 { file, lossy, .. } => Some((file, lossy)),
            LoadError::FrontMatter { file, text, .. }
            | LoadError::UnclosedFrontMatter { file, text }
            | LoadError::Style { file, text, .. }
            | LoadError::Summary { file, text, .. } => Some((file, text)),
            LoadError::Include { error, text } => Some((&error.file, text)),
            _ => None,
        }
    }

    fn to_diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::new(self.code(), self.to_string());
        let at = |d: Diagnostic, origin: &Origin| match &origin.file {
            Some(file) => d.in_file(file.clone()).at_opt(origin.span.clone()),
            None => d,
        };
        let d = match self.epubcheck() {
            Some(id) => d.with_epubcheck(id),
            None => d,
        };
        match self {
            LoadError::NoManifest { .. } => d.with_help(
                "run bindery in a book folder, pass the folder as an argument, or create a book with `bindery new`",
            ),
            LoadError::Read { file, .. } => d.in_file(file.clone()).with_help("check that the file exists and can be read"),
            LoadError::NotAFile { path, origin } => {
                let d = if origin.file.is_none() { d.in_file(path.clone()) } else { at(d, origin) };
                d.with_help("name a file; a folder or a device cannot be part of a book")
            }
            LoadError::Missing { path, origin } => {
                let d = at(d, origin);
                let d = if origin.file.is_none() { d.in_file(path.clone()) } else { d };
                d.with_help(format!("check the spelling, or create `{path}`; paths are relative to the file that names them"))
            }
            LoadError::BadPath { problem, origin, path } if origin.file.is_none() => {
                // Found on disk rather than named: a symbolic link led there.
                let help = match problem {
                    PathProblem::EscapesRoot => "it is a symbolic link to a file outside the book's folder (or its repository), which bindery never reads: put the file itself there",
                    problem => problem.help(),
                };
                d.in_file(path.clone()).with_help(help)
            }
            LoadError::BadPath { problem, origin, .. } => at(d, origin).with_help(problem.help()),
            LoadError::NotUtf8 { file, offset, .. } => d
                .in_file(file.clone())
                .at(*offset..offset + 1)
                .with_help("save the file as UTF-8"),
            LoadError::NoChapters { listed: true } => d
                .in_file(manifest::FILE_NAME)
                .with_help("add a `[[chapters]]` entry with a `file`"),
            LoadError::NoChapters { listed: false } => d
                .in_file(manifest::FILE_NAME)
                .with_help("add Markdown files to `chapters/`, or list them with `[[chapters]]` in book.toml"),
            LoadError::CoverGlyphs { tried, span, .. } => d
                .in_file(manifest::FILE_NAME)
                .at_opt(span.clone())
                .with_help(format!(
                    "name a font that has them with `cover-font = \"assets/fonts/….otf\"` in [style] of book.toml, or embed one with `[[style.fonts]]`, or give the book a cover image with `cover`; tried {}",
                    in_words(tried)
                )),
            LoadError::NotAFont { origin, .. } => {
                at(d, origin).with_help("name a TTF, OTF, WOFF or WOFF2 font, or a PNG, JPEG, GIF, WebP or SVG image")
            }
            LoadError::Style { file, span, problem, .. } => {
                d.in_file(file.clone()).at(span.clone()).with_help(match problem {
                    StyleProblem::Import => "list every stylesheet under `css` in [style] of book.toml",
                    StyleProblem::Remote { .. } => "bindery never fetches from the network: download the file into the book and refer to it by a relative path",
                })
            }
            LoadError::DamagedImage { origin, .. } => {
                at(d, origin).with_help("open the image in an image editor and save it again")
            }
            LoadError::NotAnImage { origin, .. } => {
                at(d, origin).with_help("convert the file to PNG, JPEG, GIF, WebP or SVG")
            }
            LoadError::DuplicateChapter { origin, .. } => at(d, origin).with_help("remove one of the entries"),
            LoadError::TooLarge { path, origin, .. } => {
                let d = if origin.file.is_none() { d.in_file(path.clone()) } else { at(d, origin) };
                d.with_help(if path.ends_with(".md") || path.ends_with(".toml") {
                    "split the text into several chapters of a few hundred KiB each; reading systems are slow on large documents too"
                } else {
                    "make the file smaller: scale the image down or subset the font"
                })
            }
            LoadError::FrontMatter { file, error, .. } => error.in_front_matter(file),
            LoadError::Summary { file, error, .. } => error.to_diagnostic().in_file(file.clone()),
            LoadError::Include { error, .. } => error.to_diagnostic(),
            LoadError::Preprocessor { span, problem, .. } => d
                .in_file(manifest::FILE_NAME)
                .at(span.clone())
                .with_help(match problem {
                    PreprocessorProblem::Command => {
                        "write the command as a program and its arguments, with matching quotes"
                    }
                    PreprocessorProblem::Answer(_) => {
                        "check that it speaks mdBook's preprocessor protocol"
                    }
                    PreprocessorProblem::Failed(_) => {
                        "run the book with mdBook to see the preprocessor's own messages"
                    }
                }),
            LoadError::UnclosedFrontMatter { file, .. } => d
                .in_file(file.clone())
                .at(0..3)
                .with_help("end the front matter with a line `+++`, or start the chapter with something else"),
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn in_words(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Characters for a message: each quoted with its code point, the first
/// ten of them.
fn characters(missing: &[char]) -> String {
    let mut named: Vec<String> = missing
        .iter()
        .take(10)
        .map(|c| format!("`{c}` (U+{:04X})", u32::from(*c)))
        .collect();
    if missing.len() > 10 {
        named.push(format!("{} more", missing.len() - 10));
    }
    let noun = if missing.len() == 1 {
        "the character"
    } else {
        "the characters"
    };
    format!("{noun} {}", named.join(", "))
}
