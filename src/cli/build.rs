//! `bindery build`.

use super::release::ReleaseArgs;
use super::{Checks, Deny, check, colour, print_report, source_date_epoch};
use bindery::BuildOptions;
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
    let source_date_epoch = match source_date_epoch() {
        Ok(value) => value,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
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
    let options = BuildOptions {
        output: scratch
            .as_ref()
            .map(|d| d.path().join("book.epub"))
            .or(output),
        source_date_epoch,
        profile: checks.profile.into(),
        deny_warnings: checks.deny == Some(Deny::Warnings),
        check_only: check_only && epubcheck.is_none(),
        run_preprocessors: checks.preprocessors,
        out_dir: release.out_dir.clone(),
        name_template: release.name_template.clone(),
    };
    // With `--epubcheck`, a build can write the EPUB and still fail.
    let mut written = None;
    let result = bindery::build(dir, &options).and_then(|mut built| {
        if let Some(epubcheck) = &epubcheck {
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
    match result {
        Ok(built) if check_only => {
            print_report(&built.report, checks.message_format, dir);
            let warnings = built.report.diagnostics.len();
            eprintln!(
                "checked {} ({} chapter{}, {})",
                dir.display(),
                built.chapters,
                if built.chapters == 1 { "" } else { "s" },
                match warnings {
                    0 => "no problems".to_string(),
                    1 => "1 warning".to_string(),
                    n => format!("{n} warnings"),
                }
            );
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
                built.output.display(),
                built.chapters,
                if built.chapters == 1 { "" } else { "s" },
                bindery::site::human_size(built.size)
            );
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
                    output.display(),
                    check::count(errors, "error")
                );
                return ExitCode::from(1);
            }
            eprintln!(
                "{}: could not {} `{}` ({errors} error{})",
                bindery::diag::severity_label(bindery::diag::Severity::Error, colour()),
                if check_only { "check" } else { "build" },
                dir.display(),
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
    }
}
