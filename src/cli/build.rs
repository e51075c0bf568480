//! `bindery build`.

use super::release::ReleaseArgs;
use super::{Checks, Deny, print_report, source_date_epoch};
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
    let options = BuildOptions {
        output,
        source_date_epoch,
        profile: checks.profile.into(),
        deny_warnings: checks.deny == Some(Deny::Warnings),
        check_only,
        out_dir: release.out_dir.clone(),
        name_template: release.name_template.clone(),
    };
    match bindery::build(dir, &options) {
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
            eprintln!(
                "error: could not {} `{}` ({errors} error{})",
                if check_only { "check" } else { "build" },
                dir.display(),
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
    }
}
