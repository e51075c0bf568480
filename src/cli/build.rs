//! `bindery build`.

use super::{print_report, source_date_epoch};
use bindery::BuildOptions;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(dir: &Path, output: Option<PathBuf>, profile: bindery::profile::Profile) -> ExitCode {
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
        profile,
    };
    match bindery::build(dir, &options) {
        Ok(built) => {
            print_report(&built.report);
            eprintln!(
                "wrote {} ({} chapter{}, {})",
                built.output.display(),
                built.chapters,
                if built.chapters == 1 { "" } else { "s" },
                human_size(built.size)
            );
            ExitCode::SUCCESS
        }
        Err(report) => {
            print_report(&report);
            let errors = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == bindery::diag::Severity::Error)
                .count();
            eprintln!(
                "error: could not build `{}` ({errors} error{})",
                dir.display(),
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
    }
}

fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}
