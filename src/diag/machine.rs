//! The formats tools read: JSON lines, GitHub Actions annotations and
//! SARIF.

use super::{Diagnostic, LineCol, Report};
use std::fmt::Write;

/// Where a diagnostic starts and ends, as 1-based lines and columns.
fn location(d: &Diagnostic, report: &Report) -> Option<(LineCol, LineCol)> {
    let file = d.file.as_deref()?;
    let span = d.span.as_ref()?;
    Some((
        report.sources.line_col(file, span.start)?,
        report.sources.line_col(file, span.end.max(span.start))?,
    ))
}

/// One JSON object per line:
/// `{"code","severity","message","file","line","column","end_line","end_column","help","epubcheck"}`,
/// with `null` for what a diagnostic does not have.
pub fn render_json(report: &Report) -> String {
    json_lines(report, None)
}

/// [`render_json`] for one of several books: every object ends with a
/// `"book"` field, the book folder as given on the command line, which
/// `file` is relative to.
pub fn render_json_in(report: &Report, book: &str) -> String {
    json_lines(report, Some(book))
}

fn json_lines(report: &Report, book: Option<&str>) -> String {
    let book = book.map_or(String::new(), |book| {
        format!(",\"book\":{}", json_string(Some(book)))
    });
    let mut out = String::new();
    for d in &report.diagnostics {
        let at = location(d, report);
        let number = |n: Option<usize>| n.map_or("null".to_string(), |n| n.to_string());
        let _ = writeln!(
            out,
            "{{\"code\":{},\"severity\":{},\"message\":{},\"file\":{},\"line\":{},\"column\":{},\"end_line\":{},\"end_column\":{},\"help\":{},\"epubcheck\":{}{book}}}",
            json_string(Some(d.code.as_str())),
            json_string(Some(&d.severity.to_string())),
            json_string(Some(&d.message)),
            json_string(d.file.as_deref()),
            number(at.map(|(s, _)| s.line)),
            number(at.map(|(s, _)| s.column)),
            number(at.map(|(_, e)| e.line)),
            number(at.map(|(_, e)| e.column)),
            json_string(d.help.as_deref()),
            json_string(d.epubcheck.as_deref()),
        );
    }
    out
}

fn json_string(text: Option<&str>) -> String {
    let Some(text) = text else {
        return "null".to_string();
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Every control and direction character is written as an
            // escape, not only those JSON requires: the same string, and
            // nothing in it for a terminal to obey if it is printed.
            c if super::escape::is_unsafe(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// GitHub Actions workflow commands: `::error file=…,line=…::message`, so
/// problems show as annotations on the pull request's files. `base` is the
/// book folder as given on the command line: GitHub wants paths from the
/// repository's root, where workflows run.
pub fn render_github(report: &Report, base: &str) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let command = match d.severity {
            super::Severity::Error => "error",
            super::Severity::Warning => "warning",
            super::Severity::Note => "notice",
        };
        let mut properties = Vec::new();
        if let Some(file) = &d.file {
            let path = joined(base, file);
            properties.push(format!("file={}", escape_property(&path)));
        }
        if let Some((start, end)) = location(d, report) {
            properties.push(format!("line={}", start.line));
            properties.push(format!("col={}", start.column));
            properties.push(format!("endLine={}", end.line));
            if end.line == start.line {
                properties.push(format!("endColumn={}", end.column));
            }
        }
        properties.push(format!("title={}", escape_property(d.code.as_str())));
        // The log shows the text to people: a control character from the
        // book is shown escaped, as on a terminal.
        let mut message = super::escape::escape(&headline(d)).into_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&super::escape::escape(help));
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&message)
        );
    }
    out
}

/// The message, and the EPUBCheck id when there is one.
fn headline(d: &Diagnostic) -> String {
    match &d.epubcheck {
        Some(id) => format!("{} (EPUBCheck {id})", d.message),
        None => d.message.clone(),
    }
}

/// SARIF 2.1.0, the format code-scanning dashboards read: one run, with a
/// rule per code seen and a result per problem. A rule's `help` is the
/// code's explanation (as `bindery explain` prints it); a result that
/// matches an EPUBCheck message names it in its `properties`. `base` is
/// as for [`render_github`].
pub fn render_sarif(report: &Report, base: &str, version: &str) -> String {
    render_sarif_many(&[(report, base)], version)
}

/// [`render_sarif`] for several books built in one run: one document and
/// one run, with the rules of every book's codes and each book's results
/// in the order given, their paths starting from that book's `base`.
pub fn render_sarif_many(reports: &[(&Report, &str)], version: &str) -> String {
    let mut codes: Vec<super::Code> = reports
        .iter()
        .flat_map(|(report, _)| report.diagnostics.iter().map(|d| d.code))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<String> = codes
        .iter()
        .map(|code| {
            let e = code.explanation();
            format!(
                "{{\"id\":{},\"shortDescription\":{{\"text\":{}}},\"help\":{{\"text\":{}}}}}",
                json_string(Some(code.as_str())),
                json_string(Some(e.summary)),
                json_string(Some(&format!(
                    "{}\n\n{}\n\n(bindery explain {code})",
                    e.summary, e.text
                )))
            )
        })
        .collect();
    let results: Vec<String> = reports
        .iter()
        .flat_map(|(report, base)| {
            report
                .diagnostics
                .iter()
                .map(move |d| sarif_result(d, report, base))
        })
        .collect();
    format!(
        "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{{\"name\":\"bindery\",\"version\":{},\"rules\":[{}]}}}},\"results\":[{}]}}]}}\n",
        json_string(Some(version)),
        rules.join(","),
        results.join(",")
    )
}

/// One SARIF result.
fn sarif_result(d: &Diagnostic, report: &Report, base: &str) -> String {
    let level = match d.severity {
        super::Severity::Error => "error",
        super::Severity::Warning => "warning",
        super::Severity::Note => "note",
    };
    let mut text = headline(d);
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = format!(
        "{{\"ruleId\":{},\"level\":\"{level}\",\"message\":{{\"text\":{}}}",
        json_string(Some(d.code.as_str())),
        json_string(Some(&text))
    );
    if let Some(file) = &d.file {
        let path = joined(base, file);
        let region = location(d, report).map_or(String::new(), |(start, end)| {
            format!(
                ",\"region\":{{\"startLine\":{},\"startColumn\":{},\"endLine\":{},\"endColumn\":{}}}",
                start.line, start.column, end.line, end.column
            )
        });
        let _ = write!(
            result,
            ",\"locations\":[{{\"physicalLocation\":{{\"artifactLocation\":{{\"uri\":{}}}{region}}}}}]",
            json_string(Some(&percent_path(&path)))
        );
    }
    if let Some(id) = &d.epubcheck {
        let _ = write!(
            result,
            ",\"properties\":{{\"epubcheck\":{}}}",
            json_string(Some(id))
        );
    }
    result.push('}');
    result
}

/// A diagnostic's file (relative to the book) as seen from where the tool
/// runs: `base` is the book folder's path from there.
pub(super) fn joined(base: &str, file: &str) -> String {
    let base = base.trim_end_matches('/');
    if base.is_empty() || base == "." {
        file.to_string()
    } else {
        format!("{base}/{file}")
    }
}

/// A relative path as a URI reference: spaces and other characters
/// percent-encoded, `/` kept.
fn percent_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::diag::Code;
    use std::sync::Arc;

    fn report() -> Report {
        let mut report = Report::default();
        report
            .sources
            .insert("book.toml", Arc::from("[book]\ntitel = \"x\"\n"));
        report.diagnostics.push(
            Diagnostic::new(Code::UnknownKey, "unknown key `titel` in [book]")
                .in_file("book.toml")
                .at(7..12)
                .with_help("did you mean `title`?"),
        );
        report.diagnostics.push(Diagnostic::new(
            Code::SmallCover,
            "the cover is \"small\", 50%",
        ));
        report
    }

    /// A broken-anchor report that names its EPUBCheck message, as the
    /// human format's tests use it too.
    pub(in crate::diag) fn with_epubcheck() -> Report {
        let mut report = Report::default();
        report
            .sources
            .insert("a.md", Arc::from("See [x](#nowhere).\n"));
        report.diagnostics.push(
            Diagnostic::new(
                Code::BrokenAnchor,
                "link to `#nowhere`, which is not an id in `a.md`",
            )
            .in_file("a.md")
            .at(4..17)
            .with_epubcheck("RSC-012"),
        );
        report
    }

    #[test]
    fn the_epubcheck_id_is_in_every_format() {
        let report = with_epubcheck();
        assert!(
            render_json(&report).ends_with(",\"help\":null,\"epubcheck\":\"RSC-012\"}\n"),
            "{}",
            render_json(&report)
        );
        assert_eq!(
            render_github(&report, "."),
            "::error file=a.md,line=1,col=5,endLine=1,endColumn=18,title=B201::link to `#nowhere`, \
             which is not an id in `a.md` (EPUBCheck RSC-012)\n"
        );
        let sarif = render_sarif(&report, ".", "1");
        assert!(
            sarif.contains("\"message\":{\"text\":\"link to `#nowhere`, which is not an id in `a.md` (EPUBCheck RSC-012)\"}"),
            "{sarif}"
        );
        assert!(
            sarif.contains("\"properties\":{\"epubcheck\":\"RSC-012\"}}"),
            "{sarif}"
        );
    }

    #[test]
    fn sarif_rules_carry_the_explanation_as_help() {
        let sarif = render_sarif(&with_epubcheck(), ".", "1");
        assert!(sarif.contains(
            "{\"id\":\"B201\",\"shortDescription\":{\"text\":\"a link to an id that does not exist\"},\
             \"help\":{\"text\":\"a link to an id that does not exist\\n\\nA link's `#fragment` must be"
        ), "{sarif}");
        assert!(sarif.contains("(bindery explain B201)\"}}"), "{sarif}");
    }

    #[test]
    fn json_lines_hold_every_field() {
        assert_eq!(
            render_json(&report()),
            "{\"code\":\"B003\",\"severity\":\"error\",\"message\":\"unknown key `titel` in [book]\",\
             \"file\":\"book.toml\",\"line\":2,\"column\":1,\"end_line\":2,\"end_column\":6,\
             \"help\":\"did you mean `title`?\",\"epubcheck\":null}\n\
             {\"code\":\"B150\",\"severity\":\"warning\",\"message\":\"the cover is \\\"small\\\", 50%\",\
             \"file\":null,\"line\":null,\"column\":null,\"end_line\":null,\"end_column\":null,\"help\":null,\"epubcheck\":null}\n"
        );
    }

    #[test]
    fn sarif_has_a_rule_per_code_and_a_result_per_problem() {
        let sarif = render_sarif(&report(), "my book", "1.2.3");
        assert!(sarif.starts_with(
            "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\""
        ));
        assert!(sarif.contains("\"name\":\"bindery\",\"version\":\"1.2.3\""));
        assert!(sarif.contains(
            "{\"id\":\"B003\",\"shortDescription\":{\"text\":\"a key bindery does not know\"}"
        ));
        assert!(sarif.contains("{\"id\":\"B150\""));
        assert!(sarif.contains(
            "{\"ruleId\":\"B003\",\"level\":\"error\",\"message\":{\"text\":\"unknown key `titel` in [book]\\nhelp: did you mean `title`?\"},\
             \"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"my%20book/book.toml\"},\
             \"region\":{\"startLine\":2,\"startColumn\":1,\"endLine\":2,\"endColumn\":6}}}]}"
        ), "{sarif}");
        assert!(sarif.contains("{\"ruleId\":\"B150\",\"level\":\"warning\",\"message\":{\"text\":\"the cover is \\\"small\\\", 50%\"}}"));
    }

    #[test]
    fn json_lines_of_one_of_several_books_end_with_the_book() {
        let json = render_json_in(&report(), "books/a \"b\"");
        let lines: Vec<&str> = json.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].starts_with("{\"code\":\"B003\",")
                && lines[0].contains("\"file\":\"book.toml\",\"line\":2,"),
            "{json}"
        );
        for line in lines {
            assert!(
                line.ends_with(",\"epubcheck\":null,\"book\":\"books/a \\\"b\\\"\"}"),
                "{line}"
            );
        }
    }

    #[test]
    fn sarif_of_several_books_is_one_run_with_every_result() {
        let (a, b) = (report(), with_epubcheck());
        let sarif = render_sarif_many(&[(&a, "books/a"), (&b, "books/b")], "1");
        assert_eq!(sarif.matches("\"$schema\"").count(), 1, "{sarif}");
        assert_eq!(sarif.matches("\"tool\"").count(), 1, "{sarif}");
        let rules = ["{\"id\":\"B003\"", "{\"id\":\"B150\"", "{\"id\":\"B201\""];
        let at: Vec<usize> = rules.iter().map(|r| sarif.find(r).unwrap()).collect();
        assert!(at.is_sorted(), "{sarif}");
        let first = sarif.find("\"uri\":\"books/a/book.toml\"").unwrap();
        let second = sarif.find("\"uri\":\"books/b/a.md\"").unwrap();
        assert!(first < second, "{sarif}");
        assert_eq!(
            render_sarif_many(&[(&a, "x")], "1"),
            render_sarif(&a, "x", "1")
        );
    }

    #[test]
    fn github_annotations_escape_their_data() {
        assert_eq!(
            render_github(&report(), "."),
            "::error file=book.toml,line=2,col=1,endLine=2,endColumn=6,title=B003::unknown key `titel` in [book]%0Ahelp: did you mean `title`?\n\
             ::warning title=B150::the cover is \"small\", 50%25\n"
        );
        assert!(
            render_github(&report(), "books/a/").starts_with("::error file=books/a/book.toml,")
        );
    }
}
