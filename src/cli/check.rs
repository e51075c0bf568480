//! `bindery check FILE.epub`, and `--epubcheck` for `build` and `check`.

use super::progress::Progress;
use super::{Checks, Deny, print_report};
use bindery::diag::{Policy, Report, Severity, ToDiagnostic};
use bindery::inspect::epubcheck::{Epubcheck, EpubcheckError};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// Whether `check` was given an EPUB rather than a book folder: a file
/// (other than a book's `book.toml`, which stands for its folder), or a
/// path ending in `.epub`.
pub fn is_epub(path: &Path) -> bool {
    (path.is_file() && path.file_name() != Some(std::ffi::OsStr::new("book.toml")))
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("epub"))
}

/// Finds EPUBCheck as the environment says; the one place that reads it.
pub fn locate() -> Option<Epubcheck> {
    Epubcheck::locate(
        std::env::var_os("BINDERY_EPUBCHECK"),
        std::env::var_os("BINDERY_EPUBCHECK_JAR"),
        std::env::var_os("PATH"),
    )
}

/// With `--epubcheck`: EPUBCheck, or none when it is not installed, after
/// a warning that says how to install it: the book is still built and
/// written, unchecked. With `--deny warnings` the missing EPUBCheck is an
/// error, printed, and the exit code.
pub fn wanted(checks: &Checks, base: &Path) -> Result<Option<Epubcheck>, ExitCode> {
    if !checks.epubcheck {
        return Ok(None);
    }
    if let Some(epubcheck) = locate() {
        return Ok(Some(epubcheck));
    }
    let mut report = Report {
        diagnostics: vec![EpubcheckError::NotInstalled.to_diagnostic()],
        ..Report::default()
    };
    deny(&mut report, checks);
    print_report(&report, checks.message_format, base);
    if report.has_errors() {
        return Err(ExitCode::from(1));
    }
    Ok(None)
}

/// Runs EPUBCheck on `epub` and adds what it says to `report`. Returns
/// EPUBCheck's verdict, as a line to print (none when it could not run:
/// that is in the report).
pub fn add_epubcheck(
    epubcheck: &Epubcheck,
    epub: &Path,
    files: &BTreeMap<String, String>,
    report: &mut Report,
) -> Option<String> {
    match epubcheck.run(epub, files, &report.sources) {
        Ok(diagnostics) => {
            let verdict = verdict(&diagnostics);
            bindery::inspect::epubcheck::merge(report, diagnostics);
            Some(verdict)
        }
        Err(e) => {
            report.diagnostics.push(e.to_diagnostic());
            report.sort();
            None
        }
    }
}

/// What EPUBCheck found, in a line: `EPUBCheck passed it: no errors, no
/// warnings`, or its errors and warnings counted.
fn verdict(found: &[bindery::diag::Diagnostic]) -> String {
    let of = |severity| found.iter().filter(|d| d.severity == severity).count();
    match (of(Severity::Error), of(Severity::Warning)) {
        (0, 0) => "EPUBCheck passed it: no errors, no warnings".to_string(),
        (errors, warnings) => format!(
            "EPUBCheck found {} and {}",
            count(errors, "error"),
            count(warnings, "warning")
        ),
    }
}

/// With `--deny warnings`, makes every warning an error.
pub fn deny(report: &mut Report, checks: &Checks) {
    let policy = Policy {
        deny_warnings: checks.deny == Some(Deny::Warnings),
        ..Policy::default()
    };
    policy.deny(&mut report.diagnostics);
}

/// Counts `n` of something: "1 error", "2 errors".
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// `bindery check FILE.epub`.
pub fn run(epub: &Path, checks: &Checks) -> ExitCode {
    let epubcheck = match wanted(checks, epub) {
        Ok(epubcheck) => epubcheck,
        Err(code) => return code,
    };
    let progress = Progress::start(format!("checking {}", epub.display()));
    let inspection = bindery::inspect::inspect_file(epub);
    let mut report = inspection.to_report();
    let mut verdict = None;
    if let Some(epubcheck) = &epubcheck
        && epub.is_file()
    {
        progress.set("running EPUBCheck".to_string());
        verdict = add_epubcheck(epubcheck, epub, &BTreeMap::new(), &mut report);
    }
    deny(&mut report, checks);
    progress.finish();
    print_report(&report, checks.message_format, epub);
    if let Some(verdict) = verdict {
        eprintln!("{verdict}");
    }
    let of = |severity| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let (errors, warnings) = (of(Severity::Error), of(Severity::Warning));
    if errors > 0 {
        eprintln!(
            "error: `{}` is not a valid EPUB ({})",
            super::visible(epub),
            count(errors, "error")
        );
        return ExitCode::from(1);
    }
    eprintln!(
        "checked {} ({})",
        super::visible(epub),
        match warnings {
            0 => "no problems".to_string(),
            n => count(n, "warning"),
        }
    );
    ExitCode::SUCCESS
}
