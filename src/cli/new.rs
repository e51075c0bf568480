//! `bindery new`.

use bindery::diag::{Report, ToDiagnostic, render_human};
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path, title: Option<String>) -> ExitCode {
    let title = title.unwrap_or_else(|| bindery::new::title_from_dir(dir));
    match bindery::new::create(dir, &title) {
        Ok(()) => {
            eprintln!("created book `{title}` in {}", super::visible(dir));
            eprintln!("next: cd {} && bindery build", super::visible(dir));
            ExitCode::SUCCESS
        }
        Err(e) => {
            let report = Report {
                diagnostics: vec![e.to_diagnostic()],
                ..Report::default()
            };
            eprint!("{}", render_human(&report));
            ExitCode::from(1)
        }
    }
}
