//! How bad each problem is: decided here, and nowhere else.
//!
//! A problem's [`Code`](super::Code) gives its usual severity. Two things
//! may change it, both chosen by whoever builds the book:
//! `broken-links = "warn"` in the manifest makes a link or image that
//! leads nowhere a warning (the book is written without it), and `--deny
//! warnings` makes every warning an error. EPUBCheck's messages keep the
//! severity EPUBCheck gives them.

use super::{Code, Diagnostic, Severity, ToDiagnostic};

/// How a build treats the problems a book may choose to treat lightly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    /// `broken-links = "warn"`: a link or image that cannot be resolved
    /// is a warning, and the link is kept as text, the image replaced by
    /// its alt text.
    pub lenient_links: bool,
    /// `--deny warnings`: a warning stops the build like an error.
    pub deny_warnings: bool,
}

/// What becomes of a link or image that cannot be resolved under
/// `broken-links = "warn"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokenLink {
    /// The link is kept as text without a target.
    Link,
    /// The image is replaced by its alt text.
    Image,
}

impl Policy {
    /// The problem as a diagnostic, as bad as this policy makes it.
    pub fn judge(&self, problem: &(impl ToDiagnostic + ?Sized)) -> Diagnostic {
        let mut diagnostic = problem.to_diagnostic();
        if let Some(broken) = problem.broken_link()
            && self.lenient_links
            && diagnostic.severity == Severity::Error
        {
            diagnostic.severity = Severity::Warning;
            diagnostic.help = Some(
                match broken {
                    BrokenLink::Link => {
                        "broken-links = \"warn\": the link is kept as text without a target"
                    }
                    BrokenLink::Image => {
                        "broken-links = \"warn\": the image is replaced by its alt text"
                    }
                }
                .into(),
            );
        }
        diagnostic
    }

    /// Whether the problem stops the build under this policy, before
    /// `--deny warnings` is applied to the whole build.
    pub fn is_fatal(&self, problem: &(impl ToDiagnostic + ?Sized)) -> bool {
        problem.code().severity() == Severity::Error
            && !(self.lenient_links && problem.broken_link().is_some())
    }

    /// With `--deny warnings`, makes every warning an error; says whether
    /// there was one. Notes stay notes: they say what bindery did, not
    /// what is wrong.
    pub fn deny(&self, diagnostics: &mut [Diagnostic]) -> bool {
        let mut denied = false;
        if self.deny_warnings {
            for diagnostic in diagnostics {
                if diagnostic.severity == Severity::Warning {
                    diagnostic.severity = Severity::Error;
                    denied = true;
                }
            }
        }
        denied
    }
}

/// A message of EPUBCheck's, as bad as EPUBCheck says it is: `FATAL` and
/// `ERROR` are errors, `WARNING` a warning, anything else (`USAGE`,
/// `INFO`) a note.
pub fn epubcheck_message(level: &str, message: impl Into<String>) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(Code::EpubcheckMessage, message);
    diagnostic.severity = match level {
        "FATAL" | "ERROR" => Severity::Error,
        "WARNING" => Severity::Warning,
        _ => Severity::Note,
    };
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Missing(Option<BrokenLink>, Code);

    impl ToDiagnostic for Missing {
        fn code(&self) -> Code {
            self.1
        }
        fn to_diagnostic(&self) -> Diagnostic {
            Diagnostic::new(self.1, "missing").with_help("create it")
        }
        fn broken_link(&self) -> Option<BrokenLink> {
            self.0
        }
    }

    #[test]
    fn a_broken_link_is_a_warning_only_when_the_book_says_so() {
        let image = Missing(Some(BrokenLink::Image), Code::FileNotFound);
        let strict = Policy::default();
        assert_eq!(strict.judge(&image).severity, Severity::Error);
        assert!(strict.is_fatal(&image));
        let lenient = Policy {
            lenient_links: true,
            ..Policy::default()
        };
        let judged = lenient.judge(&image);
        assert_eq!(judged.severity, Severity::Warning);
        assert_eq!(
            judged.help.as_deref(),
            Some("broken-links = \"warn\": the image is replaced by its alt text")
        );
        assert!(!lenient.is_fatal(&image));
        let math = Missing(None, Code::BadMath);
        assert_eq!(lenient.judge(&math).severity, Severity::Error);
        assert!(lenient.is_fatal(&math));
    }

    #[test]
    fn deny_warnings_makes_warnings_errors_and_leaves_notes() {
        let mut diagnostics = vec![
            Diagnostic::new(Code::SmallCover, "small"),
            Diagnostic::new(Code::DraftChapterLeftOut, "draft"),
        ];
        assert!(!Policy::default().deny(&mut diagnostics));
        assert_eq!(diagnostics[0].severity, Severity::Warning);
        let deny = Policy {
            deny_warnings: true,
            ..Policy::default()
        };
        assert!(deny.deny(&mut diagnostics));
        assert_eq!(diagnostics[0].severity, Severity::Error);
        assert_eq!(diagnostics[1].severity, Severity::Note);
    }

    #[test]
    fn epubcheck_keeps_its_own_levels() {
        assert_eq!(epubcheck_message("FATAL", "x").severity, Severity::Error);
        assert_eq!(
            epubcheck_message("WARNING", "x").severity,
            Severity::Warning
        );
        assert_eq!(epubcheck_message("USAGE", "x").severity, Severity::Note);
    }
}
