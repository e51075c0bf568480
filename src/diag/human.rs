//! The human format: rustc-style, with the offending line and a caret,
//! in colour when asked to. The carets stand under the span in terminal
//! columns, whatever the width of the characters before it (see
//! [`in_columns`]).

use super::escape::{escape, visible_line};
use super::{Diagnostic, Report, Severity, line_col};
use std::fmt::Write;

/// Renders every diagnostic of a report for people to read, without
/// colour.
pub fn render_human(report: &Report) -> String {
    render_human_styled(report, false)
}

/// Renders every diagnostic of a report for people to read; with
/// `colour`, with ANSI colours as rustc prints them on a terminal.
pub fn render_human_styled(report: &Report, colour: bool) -> String {
    render_human_in(report, ".", colour)
}

/// [`render_human_styled`] for one of several books: each file is shown
/// from where bindery runs, starting with `base`, the book folder as given
/// on the command line, so that the reader knows whose problem it is.
pub fn render_human_in(report: &Report, base: &str, colour: bool) -> String {
    let paint = Paint(colour);
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        render_one(&mut out, diagnostic, report, base, paint);
    }
    out
}

/// The most characters of a line shown around a span: a minified or
/// generated file can have lines of megabytes.
const CONTEXT_CHARS: usize = 60;

/// The part of `line` to show for a span of `span_chars` characters from
/// character `column` (from 0): the whole line when it is short, else the
/// span with [`CONTEXT_CHARS`] either side and `…` where it was cut.
/// Returns the text, the span's column in it and the span's width.
fn window(line: &str, column: usize, span_chars: usize) -> (String, usize, usize) {
    let total = line.chars().count();
    if total <= 2 * CONTEXT_CHARS + 40 {
        return (line.to_string(), column, span_chars);
    }
    let span_chars = span_chars.min(CONTEXT_CHARS);
    let from = column.saturating_sub(CONTEXT_CHARS);
    let to = (column + span_chars + CONTEXT_CHARS).min(total);
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    shown.extend(line.chars().skip(from).take(to - from));
    if to < total {
        shown.push('…');
    }
    (shown, column - from + usize::from(from > 0), span_chars)
}

/// Columns between tab stops in the line shown.
const TAB_STOP: usize = 4;

/// The line as a terminal shows it, and where the carets go under it, in
/// terminal columns: for a span of `span_chars` characters from character
/// `column` (from 0). East Asian wide characters and emoji take two
/// columns, combining marks none, a tab runs to the next stop. The line
/// has been through [`visible_line`], so it holds no control character
/// but the tab. The carets are at least one wide, so that a span at the
/// end of the line (a missing value) points just past it.
fn in_columns(line: &str, column: usize, span_chars: usize) -> (String, usize, usize) {
    use unicode_width::UnicodeWidthChar;
    let mut shown = String::with_capacity(line.len());
    let (mut at, mut caret_start, mut caret_end) = (0, None, None);
    for (i, c) in line.chars().enumerate() {
        if i == column {
            caret_start = Some(at);
        }
        if i == column + span_chars {
            caret_end = Some(at);
        }
        match c {
            '\t' => {
                let to = (at / TAB_STOP + 1) * TAB_STOP;
                shown.extend(std::iter::repeat_n(' ', to - at));
                at = to;
            }
            c => {
                shown.push(c);
                at += c.width().unwrap_or(0);
            }
        }
    }
    let caret_start = caret_start.unwrap_or(at);
    let caret_end = caret_end.unwrap_or(at);
    (
        shown,
        caret_start,
        caret_end.saturating_sub(caret_start).max(1),
    )
}

/// ANSI escapes, or nothing.
#[derive(Debug, Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, style: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Bold, in the severity's colour.
    fn severity(self, severity: Severity, text: &str) -> String {
        self.wrap(severity_style(severity), text)
    }

    /// Bold blue, for the gutter.
    fn gutter(self, text: &str) -> String {
        self.wrap("1;34", text)
    }

    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
}

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Note => "1;32",
    }
}

/// `error`, `warning` or `note`, in its colour when `colour` is set: for
/// the lines the command line prints around a report.
pub fn severity_label(severity: Severity, colour: bool) -> String {
    Paint(colour).severity(severity, &severity.to_string())
}

fn render_one(out: &mut String, d: &Diagnostic, report: &Report, base: &str, paint: Paint) {
    // Messages, file names and lines may hold a book's text: nothing of
    // it reaches the terminal as a control character.
    let mut headline = escape(&d.message).into_owned();
    if let Some(id) = &d.epubcheck {
        let _ = write!(headline, " (EPUBCheck {})", escape(id));
    }
    let _ = writeln!(
        out,
        "{}{}",
        paint.severity(d.severity, &format!("{}[{}]", d.severity, d.code)),
        paint.bold(&format!(": {headline}"))
    );
    let help = |out: &mut String, pad: &str, help: &str| {
        let _ = writeln!(
            out,
            "{pad}{} {}{}",
            paint.gutter("="),
            paint.bold("help: "),
            escape(help)
        );
    };
    let source = d.file.as_deref().and_then(|f| report.sources.get(f));
    let shown = d
        .file
        .as_deref()
        .map(|f| escape(&super::machine::joined(base, f)).into_owned());
    match (&shown, &d.span, source) {
        (Some(file), Some(span), Some(text)) => {
            let name = d.file.as_deref().unwrap_or_default();
            let start = report
                .sources
                .line_col(name, span.start)
                .unwrap_or_else(|| line_col(text, span.start));
            let whole_line = report
                .sources
                .line(name, start.line)
                .unwrap_or("")
                .trim_end_matches('\r');
            let span_chars = text
                .get(span.start.min(text.len())..span.end.min(text.len()))
                .map_or(1, |s| s.split('\n').next().unwrap_or("").chars().count())
                .max(1);
            let (line_text, caret_column, span_chars) =
                window(whole_line, start.column - 1, span_chars);
            let line_text = visible_line(&line_text);
            let (shown_line, caret_start, caret_width) =
                in_columns(&line_text, caret_column, span_chars);
            let width = start.line.to_string().len();
            let pad = " ".repeat(width);
            let _ = writeln!(
                out,
                "{pad}{} {file}:{}:{}",
                paint.gutter("-->"),
                start.line,
                start.column
            );
            let _ = writeln!(out, "{pad} {}", paint.gutter("|"));
            let _ = writeln!(
                out,
                "{} {shown_line}",
                paint.gutter(&format!("{} |", start.line)),
            );
            let _ = writeln!(
                out,
                "{pad} {} {}{}",
                paint.gutter("|"),
                " ".repeat(caret_start),
                paint.severity(d.severity, &"^".repeat(caret_width))
            );
            if let Some(text) = &d.help {
                help(out, &format!("{pad} "), text);
            }
        }
        (Some(file), _, _) => {
            let _ = writeln!(out, " {} {file}", paint.gutter("-->"));
            if let Some(text) = &d.help {
                help(out, "  ", text);
            }
        }
        (None, _, _) => {
            if let Some(text) = &d.help {
                help(out, "  ", text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
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
            Diagnostic::new(Code::UnknownKey, "unknown key `titel` in [book]")
                .in_file("book.toml")
                .at(19..24)
                .with_help("did you mean `title`?"),
        );
        assert_eq!(
            render_human(&report),
            "error[B003]: unknown key `titel` in [book]\n --> book.toml:3:1\n  |\n3 | titel = \"y\"\n  | ^^^^^\n  = help: did you mean `title`?\n"
        );
    }

    #[test]
    fn files_of_one_of_several_books_start_with_its_folder() {
        let mut report = Report::default();
        report.sources.insert("a.md", Arc::from("x\n"));
        report.diagnostics.push(
            Diagnostic::new(Code::BrokenAnchor, "one")
                .in_file("a.md")
                .at(0..1),
        );
        report
            .diagnostics
            .push(Diagnostic::new(Code::SmallCover, "two").in_file("cover.png"));
        let text = render_human_in(&report, "books/b/", false);
        assert!(text.contains(" --> books/b/a.md:1:1\n"), "{text}");
        assert!(text.contains(" --> books/b/cover.png\n"), "{text}");
        assert_eq!(render_human_in(&report, ".", false), render_human(&report));
    }

    #[test]
    fn colour_only_when_asked_and_epubcheck_id_on_the_first_line() {
        let report = crate::diag::machine::tests::with_epubcheck();
        let plain = render_human_styled(&report, false);
        assert_eq!(plain, render_human(&report));
        assert!(!plain.contains('\x1b'));
        assert!(plain.starts_with(
            "error[B201]: link to `#nowhere`, which is not an id in `a.md` (EPUBCheck RSC-012)\n --> a.md:1:5\n"
        ));
        let coloured = render_human_styled(&report, true);
        assert!(coloured.starts_with("\x1b[1;31merror[B201]\x1b[0m\x1b[1m: link to"));
        assert!(coloured.contains("\x1b[1;31m^^^^^^^^^^^^^\x1b[0m"));
        assert_eq!(strip_escapes(&coloured), plain);
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}[x](#nowhere){}", "a".repeat(500), "b".repeat(500));
        let mut report = Report::default();
        report.sources.insert("a.md", Arc::from(line.as_str()));
        report.diagnostics.push(
            Diagnostic::new(Code::BrokenAnchor, "broken")
                .in_file("a.md")
                .at(500..513),
        );
        let text = render_human(&report);
        let shown = format!("…{}[x](#nowhere){}…", "a".repeat(60), "b".repeat(60));
        assert!(text.contains(&format!("1 | {shown}\n")), "{text}");
        assert!(
            text.contains(&format!("  | {}^^^^^^^^^^^^^\n", " ".repeat(61))),
            "{text}"
        );
    }

    /// The line and caret lines shown for a span over `target` in `line`.
    fn snippet_of(line: &str, target: &str) -> Vec<String> {
        let at = line.find(target).unwrap_or_default();
        let mut report = Report::default();
        report.sources.insert("a.md", Arc::from(line));
        report.diagnostics.push(
            Diagnostic::new(Code::BrokenAnchor, "broken")
                .in_file("a.md")
                .at(at..at + target.len()),
        );
        let text = render_human(&report);
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        assert!(lines.len() >= 5, "{text}");
        lines[3..5].to_vec()
    }

    #[test]
    fn carets_stand_under_wide_characters_in_terminal_columns() {
        // Each of these five characters takes two columns of a terminal.
        assert_eq!(
            snippet_of("title = \"日本語の本\" x", "x"),
            ["1 | title = \"日本語の本\" x", "  |                      ^"]
        );
        assert_eq!(
            snippet_of("「日本」は[x](#nowhere)", "[x](#nowhere)"),
            ["1 | 「日本」は[x](#nowhere)", "  |           ^^^^^^^^^^^^^"]
        );
    }

    #[test]
    fn carets_skip_combining_marks_and_cover_a_wide_span() {
        // é written as e and a combining acute accent: two characters, one
        // column.
        assert_eq!(
            snippet_of("Cafe\u{301} cre\u{300}me [x]", "[x]"),
            ["1 | Cafe\u{301} cre\u{300}me [x]", "  |            ^^^"]
        );
        assert_eq!(
            snippet_of("a 日本 b", "日本"),
            ["1 | a 日本 b", "  |   ^^^^"]
        );
    }

    #[test]
    fn tabs_are_expanded_to_the_next_stop_in_the_line_and_under_it() {
        assert_eq!(
            snippet_of("\tx\ty = [z]", "[z]"),
            ["1 |     x   y = [z]", "  |             ^^^"]
        );
    }

    #[test]
    fn emoji_take_two_columns() {
        assert_eq!(
            snippet_of("a 😀😀 [b]", "[b]"),
            ["1 | a 😀😀 [b]", "  |        ^^^"]
        );
    }

    #[test]
    fn the_column_named_is_the_file_s_own_when_the_line_is_cut() {
        let line = format!("{}日本 [x](#nowhere){}", "a".repeat(500), "b".repeat(500));
        let at = line.find('[').unwrap_or_default();
        let mut report = Report::default();
        report.sources.insert("a.md", Arc::from(line.as_str()));
        report.diagnostics.push(
            Diagnostic::new(Code::BrokenAnchor, "broken")
                .in_file("a.md")
                .at(at..at + 13),
        );
        let text = render_human(&report);
        assert!(text.contains(" --> a.md:1:504\n"), "{text}");
        // 57 letters and the two wide characters, then a space.
        let shown = format!("…{}日本 [x](#nowhere){}…", "a".repeat(57), "b".repeat(60));
        assert!(text.contains(&format!("1 | {shown}\n")), "{text}");
        assert!(
            text.contains(&format!("  | {}^^^^^^^^^^^^^\n", " ".repeat(63))),
            "{text}"
        );
    }

    #[test]
    fn control_characters_are_shown_as_their_pictures_one_column_wide() {
        assert_eq!(
            snippet_of("a\u{1b}[31m\u{7}b [x]", "[x]"),
            ["1 | a\u{241b}[31m\u{2407}b [x]", "  |          ^^^"]
        );
    }

    fn strip_escapes(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
