//! `bindery build`: one book, or a catalogue of books built in parallel.

use super::progress::Progress;
use super::release::ReleaseArgs;
use super::{Checks, MessageFormat, check, colour, print_report};
use bindery::diag::{
    Report, Severity, render_github, render_human_in, render_json_in, render_sarif_many,
    severity_label,
};
use bindery::inspect::epubcheck::Epubcheck;
use bindery::{BuildOptions, Built};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `bindery build`, or with `check_only`, `bindery check`.
pub fn run(
    dir: &Path,
    output: Option<PathBuf>,
    release: &ReleaseArgs,
    checks: &Checks,
    check_only: bool,
) -> ExitCode {
    let mut options = match checks.build_options(release.target(output), check_only) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let epubcheck = match check::wanted(checks, dir) {
        Ok(epubcheck) => epubcheck,
        Err(code) => return code,
    };
    // EPUBCheck reads a file: `check --epubcheck` builds into a temporary one.
    let scratch = match (&epubcheck, check_only) {
        (Some(_), true) => match tempfile::tempdir() {
            Ok(dir) => Some(dir),
            Err(e) => {
                eprintln!("error: cannot create a temporary folder: {e}");
                return ExitCode::from(1);
            }
        },
        _ => None,
    };
    if let Some(scratch) = &scratch {
        options.output = Some(scratch.path().join("book.epub"));
        options.check_only = false;
    }
    let progress = Progress::start(format!(
        "{} {}",
        if check_only { "checking" } else { "building" },
        dir.display()
    ));
    let Outcome {
        result,
        written,
        verdict,
    } = build_checked(
        dir,
        &options,
        epubcheck.as_ref(),
        checks,
        check_only,
        &progress,
    );
    progress.finish();
    let verdict = || {
        if let Some(verdict) = &verdict {
            eprintln!("{verdict}");
        }
    };
    match result {
        Ok(built) if check_only => {
            print_report(&built.report, checks.message_format, dir);
            let warnings = built.report.diagnostics.len();
            eprintln!(
                "checked {} ({} chapter{}, {})",
                super::visible(dir),
                built.chapters,
                if built.chapters == 1 { "" } else { "s" },
                match warnings {
                    0 => "no problems".to_string(),
                    1 => "1 warning".to_string(),
                    n => format!("{n} warnings"),
                }
            );
            verdict();
            ExitCode::SUCCESS
        }
        Ok(built) => {
            print_report(&built.report, checks.message_format, dir);
            if release.checksums
                && let Err(message) = super::release::checksums(&built.output)
            {
                eprintln!("error: {message}");
                return ExitCode::from(1);
            }
            eprintln!(
                "wrote {} ({} chapter{}, {})",
                super::visible(&built.output),
                built.chapters,
                if built.chapters == 1 { "" } else { "s" },
                bindery::site::human_size(built.size)
            );
            verdict();
            ExitCode::SUCCESS
        }
        Err(report) => {
            print_report(&report, checks.message_format, dir);
            let errors = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == bindery::diag::Severity::Error)
                .count();
            if let Some(output) = written {
                eprintln!(
                    "error: wrote {}, but EPUBCheck finds {}",
                    super::visible(&output),
                    check::count(errors, "error")
                );
                return ExitCode::from(1);
            }
            eprintln!(
                "{}: could not {} `{}` ({errors} error{})",
                bindery::diag::severity_label(bindery::diag::Severity::Error, colour()),
                if check_only { "check" } else { "build" },
                super::visible(dir),
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
    }
}

/// What building one book came to.
struct Outcome {
    /// The build, or the report of why it failed.
    result: Result<Built, Report>,
    /// With `--epubcheck`: the EPUB that was written although EPUBCheck
    /// finds errors in it.
    written: Option<PathBuf>,
    /// With `--epubcheck`: what EPUBCheck found, as a line to print.
    verdict: Option<String>,
}

/// Builds one book and, with `--epubcheck`, runs EPUBCheck on it.
fn build_checked(
    dir: &Path,
    options: &BuildOptions,
    epubcheck: Option<&Epubcheck>,
    checks: &Checks,
    check_only: bool,
    progress: &Progress,
) -> Outcome {
    // With `--epubcheck`, a build can write the EPUB and still fail.
    let mut written = None;
    let mut verdict = None;
    let result = bindery::build(dir, options).and_then(|mut built| {
        if let Some(epubcheck) = epubcheck {
            progress.set("running EPUBCheck".to_string());
            verdict =
                check::add_epubcheck(epubcheck, &built.output, &built.files, &mut built.report);
            check::deny(&mut built.report, checks);
        }
        if built.report.has_errors() {
            if !check_only {
                written = Some(built.output);
            }
            Err(built.report)
        } else {
            Ok(built)
        }
    });
    Outcome {
        result,
        written,
        verdict,
    }
}

/// `bindery build [DIR]...`: one book as [`run`] builds it, or several in
/// parallel, each printed when it and the books before it are done.
pub fn run_many(
    args: &[PathBuf],
    output: Option<PathBuf>,
    release: &ReleaseArgs,
    checks: &Checks,
) -> ExitCode {
    let dirs = match bindery::batch::expand(args) {
        Ok(dirs) => dirs,
        Err(patterns) => {
            for pattern in patterns {
                eprintln!("error: no book folder matches `{pattern}`");
            }
            eprintln!(
                "  = help: a pattern matches the folders that hold a book.toml or an mdBook's src/SUMMARY.md"
            );
            return ExitCode::from(2);
        }
    };
    if let [dir] = dirs.as_slice() {
        return run(dir, output, release, checks, false);
    }
    if output.is_some() {
        eprintln!(
            "error: `-o` names one EPUB, but there are {} books to build",
            dirs.len()
        );
        eprintln!("  = help: use `--out-dir DIR` to write every book's EPUB into one folder");
        return ExitCode::from(2);
    }
    let options = match checks.build_options(release.target(None), false) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let epubcheck = match check::wanted(checks, Path::new(".")) {
        Ok(epubcheck) => epubcheck,
        Err(code) => return code,
    };
    let clashes = bindery::batch::clashes(&dirs, &options);
    if !clashes.is_empty() {
        for clash in &clashes {
            eprintln!("error: {clash}");
        }
        eprintln!(
            "  = help: name each book once, and give books with the same title a --name-template \
             that tells them apart, such as `{{slug}}-{{version}}.epub`"
        );
        return ExitCode::from(2);
    }

    let mut printer = Printer {
        format: checks.message_format,
        checksums: release.checksums,
        sarif: Vec::new(),
        failed: Vec::new(),
    };
    let epubcheck = epubcheck.as_ref();
    bindery::batch::in_order(
        &dirs,
        |dir| build_checked(dir, &options, epubcheck, checks, false, &Progress::hidden()),
        |index, outcome| {
            if let Some(dir) = dirs.get(index) {
                printer.book(dir, outcome);
            }
        },
    );
    printer.finish(&dirs)
}

/// Prints the books of a catalogue build, one after the other.
struct Printer<'a> {
    format: MessageFormat,
    checksums: bool,
    /// With `--message-format sarif`: every book's report, for one
    /// document at the end.
    sarif: Vec<(Report, String)>,
    /// The folders of the books that failed.
    failed: Vec<&'a Path>,
}

impl<'a> Printer<'a> {
    /// Prints what one book came to (`None`: its build panicked).
    fn book(&mut self, dir: &'a Path, outcome: Option<Outcome>) {
        let Some(Outcome {
            result,
            written,
            verdict,
        }) = outcome
        else {
            eprintln!(
                "{}: bindery stopped on a bug while building `{}`; please report it",
                severity_label(Severity::Error, colour()),
                super::visible(dir)
            );
            self.failed.push(dir);
            return;
        };
        match result {
            Ok(built) => {
                self.report(built.report, dir);
                if self.checksums
                    && let Err(message) = super::release::checksums(&built.output)
                {
                    eprintln!("error: {message}");
                    self.failed.push(dir);
                    return;
                }
                eprintln!(
                    "wrote {} from {} ({} chapter{}, {})",
                    super::visible(&built.output),
                    super::visible(dir),
                    built.chapters,
                    if built.chapters == 1 { "" } else { "s" },
                    bindery::site::human_size(built.size)
                );
                if let Some(verdict) = verdict {
                    eprintln!("{verdict}");
                }
            }
            Err(report) => {
                let errors = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                self.report(report, dir);
                match written {
                    Some(output) => eprintln!(
                        "error: wrote {} from {}, but EPUBCheck finds {}",
                        super::visible(&output),
                        super::visible(dir),
                        check::count(errors, "error")
                    ),
                    None => eprintln!(
                        "{}: could not build `{}` ({})",
                        severity_label(Severity::Error, colour()),
                        super::visible(dir),
                        check::count(errors, "error")
                    ),
                }
                self.failed.push(dir);
            }
        }
    }

    /// Prints one book's problems, its files named from where bindery
    /// runs (or, in JSON, with the book's folder beside them).
    fn report(&mut self, report: Report, dir: &Path) {
        let base = dir.to_string_lossy().replace('\\', "/");
        match self.format {
            MessageFormat::Human => eprint!("{}", render_human_in(&report, &base, colour())),
            MessageFormat::Json => print!("{}", render_json_in(&report, &base)),
            MessageFormat::Github => print!("{}", render_github(&report, &base)),
            MessageFormat::Sarif => self.sarif.push((report, base)),
        }
    }

    /// Prints the SARIF document and the summary line; the exit code.
    fn finish(self, dirs: &[PathBuf]) -> ExitCode {
        if self.format == MessageFormat::Sarif {
            let reports: Vec<(&Report, &str)> = self
                .sarif
                .iter()
                .map(|(r, base)| (r, base.as_str()))
                .collect();
            print!("{}", render_sarif_many(&reports, env!("CARGO_PKG_VERSION")));
        }
        if self.failed.is_empty() {
            eprintln!("built {} books", dirs.len());
            return ExitCode::SUCCESS;
        }
        let failed: Vec<String> = self.failed.iter().map(|d| super::visible(d)).collect();
        eprintln!(
            "{}: built {} of {} books, {} failed: {}",
            severity_label(Severity::Error, colour()),
            dirs.len() - failed.len(),
            dirs.len(),
            failed.len(),
            failed.join(", ")
        );
        ExitCode::from(1)
    }
}
