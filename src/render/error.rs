//! The ways a chapter can fail to render.

use crate::diag::{BrokenLink, Code, Diagnostic, ToDiagnostic};
use crate::load::PathProblem;
use std::ops::Range;

/// A problem in a chapter's Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The chapter, as the user names it.
    pub file: String,
    /// Where in the chapter.
    pub span: Range<usize>,
    /// What is wrong.
    pub kind: RenderErrorKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderErrorKind {
    /// A link to a Markdown file that is not a chapter of the book.
    #[error("link to `{target}`, which is not a chapter of this book")]
    BrokenLink {
        /// The target as written.
        target: String,
        /// The closest chapter, as the user names it.
        nearest: Option<String>,
        /// Whether the book is an mdBook, whose chapters `SUMMARY.md` lists.
        in_mdbook: bool,
    },
    /// A link to an id that does not exist in its chapter.
    #[error("link to `#{fragment}`, which is not an id in `{chapter}`")]
    BrokenAnchor {
        /// The fragment as written.
        fragment: String,
        /// The chapter it should be in.
        chapter: String,
        /// The closest id there.
        nearest: Option<String>,
    },
    /// A link `#id` to an id its chapter lacks and several other chapters
    /// have.
    #[error(
        "link to `#{fragment}`, which is not an id in this chapter but is one in {}",
        list(chapters)
    )]
    AmbiguousAnchor {
        /// The fragment as written.
        fragment: String,
        /// The chapters that have it, as the user names them.
        chapters: Vec<String>,
        /// The link to the first of them, as written from this chapter.
        example: String,
    },
    /// A link to a local file that is not a chapter.
    #[error("link to `{target}`, which is not a chapter")]
    LinkToFile {
        /// The target as written.
        target: String,
    },
    /// An image on the web.
    #[error("remote image `{url}`")]
    RemoteImage {
        /// The address.
        url: String,
    },
    /// A path that leaves the book, or is absolute.
    #[error("{}", path_message(path, problem))]
    BadPath {
        /// The path as written.
        path: String,
        /// What is wrong.
        problem: PathProblem,
    },
    /// An external address that reading systems cannot follow.
    #[error("`{url}` is not a usable address: {reason}")]
    BadUrl {
        /// The address as written.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A formula that is not valid TeX math.
    #[error("the formula `{tex}` cannot be read: {message}")]
    BadMath {
        /// The formula, without its dollars.
        tex: String,
        /// What is wrong.
        message: String,
    },
    /// A chapter with raw HTML whose elements nest deeper than bindery
    /// parses: the HTML parser's work grows with the square of the depth.
    #[error(
        "the chapter holds raw HTML and nests {depth} elements deep, more than the {limit} bindery parses"
    )]
    TooDeep {
        /// How deep the elements nest.
        depth: usize,
        /// The most allowed.
        limit: usize,
    },
    /// In an mdBook, a link to a Markdown file that `SUMMARY.md` leaves
    /// out, which mdBook does not build either. The link becomes text.
    #[error("link to `{target}`, which SUMMARY.md leaves out of the book")]
    NotInSummary {
        /// The target as written.
        target: String,
    },
    /// In an mdBook without a web address, a link out of the book, such
    /// as to a sibling book on the same site. The link becomes text.
    #[error("link to `{target}`, which is outside the book")]
    LeavesBook {
        /// The target as written.
        target: String,
    },
    /// An explicit id given twice.
    #[error("the id `{id}` is used twice in this chapter")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// An explicit id that is not a valid XML id.
    #[error("`{id}` is not a valid id")]
    InvalidId {
        /// The id.
        id: String,
    },
}

/// Chapters as a list in a message: `a.md`, `b.md` and `c.md`.
fn list(chapters: &[String]) -> String {
    let quoted: Vec<String> = chapters.iter().map(|c| format!("`{c}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

fn path_message(path: &str, problem: &PathProblem) -> String {
    problem.message(path)
}

impl RenderError {
    /// The EPUBCheck message for the same problem in an EPUB, if there
    /// is one.
    pub fn epubcheck(&self) -> Option<&'static str> {
        match self.kind {
            RenderErrorKind::BrokenLink { .. } | RenderErrorKind::LinkToFile { .. } => {
                Some("RSC-007")
            }
            RenderErrorKind::BrokenAnchor { .. } | RenderErrorKind::AmbiguousAnchor { .. } => {
                Some("RSC-012")
            }
            RenderErrorKind::RemoteImage { .. } => Some("RSC-006"),
            RenderErrorKind::BadPath {
                problem: PathProblem::EscapesRoot,
                ..
            } => Some("RSC-026"),
            RenderErrorKind::DuplicateId { .. } | RenderErrorKind::InvalidId { .. } => {
                Some("RSC-005")
            }
            RenderErrorKind::BadUrl { .. } => Some("RSC-020"),
            _ => None,
        }
    }
}

impl ToDiagnostic for RenderError {
    fn code(&self) -> Code {
        match self.kind {
            RenderErrorKind::BrokenLink { .. } => Code::BrokenLink,
            RenderErrorKind::BrokenAnchor { .. } => Code::BrokenAnchor,
            RenderErrorKind::AmbiguousAnchor { .. } => Code::AmbiguousAnchor,
            RenderErrorKind::LinkToFile { .. } => Code::LinkToFile,
            RenderErrorKind::RemoteImage { .. } => Code::RemoteImage,
            RenderErrorKind::BadPath { .. } => Code::BadChapterPath,
            RenderErrorKind::DuplicateId { .. } => Code::DuplicateId,
            RenderErrorKind::InvalidId { .. } => Code::InvalidId,
            RenderErrorKind::BadUrl { .. } => Code::UnusableAddress,
            RenderErrorKind::BadMath { .. } => Code::BadMath,
            RenderErrorKind::TooDeep { .. } => Code::HtmlTooDeep,
            RenderErrorKind::NotInSummary { .. } => Code::LinkNotInSummary,
            RenderErrorKind::LeavesBook { .. } => Code::LinkLeavesBook,
        }
    }

    /// A link, or an image, that cannot be resolved: with `broken-links
    /// = "warn"` the link is kept as text and the image replaced by its
    /// alt text. A bad id or formula is never let through.
    fn broken_link(&self) -> Option<BrokenLink> {
        match self.kind {
            RenderErrorKind::RemoteImage { .. } | RenderErrorKind::BadPath { .. } => {
                Some(BrokenLink::Image)
            }
            RenderErrorKind::BrokenLink { .. }
            | RenderErrorKind::BrokenAnchor { .. }
            | RenderErrorKind::AmbiguousAnchor { .. }
            | RenderErrorKind::LinkToFile { .. }
            | RenderErrorKind::BadUrl { .. }
            | RenderErrorKind::NotInSummary { .. }
            | RenderErrorKind::LeavesBook { .. } => Some(BrokenLink::Link),
            RenderErrorKind::DuplicateId { .. }
            | RenderErrorKind::InvalidId { .. }
            | RenderErrorKind::BadMath { .. }
            | RenderErrorKind::TooDeep { .. } => None,
        }
    }

    fn to_diagnostic(&self) -> Diagnostic {
        let help = match &self.kind {
            RenderErrorKind::BrokenLink { nearest: Some(n), .. } => format!("did you mean `{n}`?"),
            RenderErrorKind::BrokenLink { nearest: None, in_mdbook: true, .. } => {
                "link to a chapter listed in SUMMARY.md, relative to this file".into()
            }
            RenderErrorKind::BrokenLink { nearest: None, .. } => {
                "link to a chapter listed in book.toml, relative to this file".into()
            }
            RenderErrorKind::BrokenAnchor { nearest: Some(n), .. } => format!("did you mean `#{n}`?"),
            RenderErrorKind::BrokenAnchor { nearest: None, .. } => {
                "link to a heading's id: its text in lower case, punctuation dropped, spaces as hyphens".into()
            }
            RenderErrorKind::AmbiguousAnchor { example, .. } => {
                format!("name the chapter in the link, such as `{example}`, or give the headings ids of their own with `{{#id}}`")
            }
            RenderErrorKind::LinkToFile { .. } => {
                "link to a chapter, or to a web address; an EPUB cannot link to other files".into()
            }
            RenderErrorKind::RemoteImage { .. } => {
                "bindery never fetches from the network: download the image into `assets/` and link to that file".into()
            }
            RenderErrorKind::BadPath { problem, .. } => problem.help().into(),
            RenderErrorKind::BadUrl { .. } => {
                "check the address; links may use http:, https:, mailto:, tel:, ftp: and the other registered schemes".into()
            }
            RenderErrorKind::BadMath { .. } => {
                "write the formula in LaTeX math; a dollar sign that is not math is written `\\$`".into()
            }
            RenderErrorKind::DuplicateId { .. } => "give each heading its own id".into(),
            RenderErrorKind::TooDeep { .. } => {
                "nest block quotes, lists and HTML elements less deeply, or split the chapter; close the HTML elements you open".into()
            }
            RenderErrorKind::NotInSummary { .. } => {
                "the link is kept as text without a target; list the chapter in SUMMARY.md to link to it".into()
            }
            RenderErrorKind::LeavesBook { .. } => {
                "the link is kept as text without a target; give the book's web address as `site-url` in [output.bindery] to make it a link to the web".into()
            }
            RenderErrorKind::InvalidId { .. } => {
                "an id starts with a letter or `_` and holds only letters, digits, `-`, `_` and `.`".into()
            }
        };
        let d = Diagnostic::new(self.code(), self.kind.to_string())
            .in_file(self.file.clone())
            .at(self.span.clone())
            .with_help(help);
        match self.epubcheck() {
            Some(id) => d.with_epubcheck(id),
            None => d,
        }
    }
}
