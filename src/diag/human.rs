//! The human format: rustc-style, with the offending line and a caret.

use super::{Diagnostic, Report, line_col};
use std::fmt::Write;

/// Renders every diagnostic of a report for people to read.
pub fn render_human(report: &Report) -> String {
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        render_one(&mut out, diagnostic, report);
    }
    out
}

fn render_one(out: &mut String, d: &Diagnostic, report: &Report) {
    let _ = writeln!(out, "{}[{}]: {}", d.severity, d.code, d.message);
    let source = d.file.as_deref().and_then(|f| report.sources.get(f));
    match (&d.file, &d.span, source) {
        (Some(file), Some(span), Some(text)) => {
            let start = line_col(text, span.start);
            let line_text = text
                .split('\n')
                .nth(start.line - 1)
                .unwrap_or("")
                .trim_end_matches('\r');
            let width = start.line.to_string().len();
            let pad = " ".repeat(width);
            let _ = writeln!(out, "{pad}--> {file}:{}:{}", start.line, start.column);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {}", start.line, line_text.replace('\t', "    "));
            let caret_start: String = line_text
                .chars()
                .take(start.column - 1)
                .map(|c| if c == '\t' { "    " } else { " " })
                .collect();
            let span_chars = text
                .get(span.start.min(text.len())..span.end.min(text.len()))
                .map_or(1, |s| s.split('\n').next().unwrap_or("").chars().count())
                .max(1);
            let _ = writeln!(out, "{pad} | {caret_start}{}", "^".repeat(span_chars));
            if let Some(help) = &d.help {
                let _ = writeln!(out, "{pad} = help: {help}");
            }
            if let Some(id) = &d.epubcheck {
                let _ = writeln!(out, "{pad} = note: EPUBCheck calls this {id}");
            }
        }
        (Some(file), _, _) => {
            let _ = writeln!(out, " --> {file}");
            if let Some(help) = &d.help {
                let _ = writeln!(out, "  = help: {help}");
            }
            if let Some(id) = &d.epubcheck {
                let _ = writeln!(out, "  = note: EPUBCheck calls this {id}");
            }
        }
        (None, _, _) => {
            if let Some(help) = &d.help {
                let _ = writeln!(out, "  = help: {help}");
            }
            if let Some(id) = &d.epubcheck {
                let _ = writeln!(out, "  = note: EPUBCheck calls this {id}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, Report};
    use std::sync::Arc;

    #[test]
    fn points_at_line_and_column_with_a_caret() {
        let mut report = Report::default();
        report.sources.insert(
            "book.toml",
            Arc::from("[book]\ntitle = \"x\"\ntitel = \"y\"\n"),
        );
        report.diagnostics.push(
            Diagnostic::error("B003", "unknown key `titel` in [book]")
                .in_file("book.toml")
                .at(19..24)
                .with_help("did you mean `title`?"),
        );
        assert_eq!(
            render_human(&report),
            "error[B003]: unknown key `titel` in [book]\n --> book.toml:3:1\n  |\n3 | titel = \"y\"\n  | ^^^^^\n  = help: did you mean `title`?\n"
        );
    }
}
