//! `bindery watch`: build, then build again on every change.
//!
//! Each rebuild reuses what the one before rendered and deflated
//! (`bindery::BuildCache`), so it costs about what changed. A failed
//! rebuild prints its problems and leaves the last good EPUB in place;
//! watching goes on until interrupted.

use super::{Checks, MessageFormat, check, print_report};
use bindery::diag::{Code, Diagnostic, Report};
use bindery::{BuildCache, BuildOptions};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long to wait after a change for the rest of it: an editor's save is
/// often several events (write, rename, attributes).
const SETTLE: Duration = Duration::from_millis(150);

/// `bindery watch`.
pub fn run(dir: &Path, output: Option<PathBuf>, checks: &Checks) -> ExitCode {
    let target = super::Target {
        output,
        ..Default::default()
    };
    let options = match checks.build_options(target, false) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let (sender, events) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(move |event| {
        let _ = sender.send(event);
    }) {
        Ok(watcher) => watcher,
        Err(e) => {
            eprintln!("error: cannot watch for changes: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = watcher.watch(dir, RecursiveMode::Recursive) {
        eprintln!("error: cannot watch `{}`: {e}", super::visible(dir));
        return ExitCode::from(1);
    }

    let mut cache = BuildCache::default();
    let mut seen = Seen::default();
    let mut output = rebuild(dir, &options, checks, &mut cache, &mut seen, "built");
    eprintln!(
        "watching {} for changes (Ctrl-C to stop)",
        super::visible(dir)
    );
    loop {
        let Ok(first) = events.recv() else {
            return ExitCode::SUCCESS;
        };
        let mut changed = relevant(&first, output.as_deref());
        // Let the rest of the change arrive, then build once for all of it.
        let deadline = Instant::now() + SETTLE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match events.recv_timeout(left) {
                Ok(event) => changed |= relevant(&event, output.as_deref()),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return ExitCode::SUCCESS,
            }
        }
        if changed
            && let Some(written) = rebuild(dir, &options, checks, &mut cache, &mut seen, "rebuilt")
        {
            output = Some(written);
        }
    }
}

/// The problems of the build before, counted by what they say and where:
/// a rebuild prints, for people, only the problems that are new, and
/// counts the ones it printed before and the ones that are gone.
#[derive(Default)]
struct Seen(BTreeMap<(Code, Option<String>, String), usize>);

impl Seen {
    fn of(report: &Report) -> Seen {
        let mut seen = Seen::default();
        for d in &report.diagnostics {
            *seen.0.entry(Seen::key(d)).or_default() += 1;
        }
        seen
    }

    /// Where the problem is, but not on which line: text added above a
    /// problem moves it without making it new.
    fn key(d: &Diagnostic) -> (Code, Option<String>, String) {
        (d.code, d.file.clone(), d.message.clone())
    }

    /// `report` cut down to the problems not seen before, how many it
    /// has that were seen, and how many seen are gone.
    fn news(&self, report: &Report) -> (Report, usize, usize) {
        let mut left = self.0.clone();
        let mut new = Report {
            diagnostics: Vec::new(),
            sources: report.sources.clone(),
        };
        let mut same = 0;
        for d in &report.diagnostics {
            match left.get_mut(&Seen::key(d)).filter(|n| **n > 0) {
                Some(n) => {
                    *n -= 1;
                    same += 1;
                }
                None => new.diagnostics.push(d.clone()),
            }
        }
        (new, same, left.values().sum())
    }
}

/// Prints the problems of a build: for people, only those that are new
/// since the build before, and what became of the others; for tools, all
/// of them, as each run of a tool's reader starts afresh. Returns the
/// words to add to the summary line.
fn print_changes(report: &Report, checks: &Checks, dir: &Path, seen: &mut Seen) -> String {
    let summary = if checks.message_format == MessageFormat::Human {
        let (new, same, gone) = seen.news(report);
        print_report(&new, checks.message_format, dir);
        let mut words = Vec::new();
        if same > 0 {
            words.push(format!("{} as before", check::count(same, "problem")));
        }
        if gone > 0 {
            words.push(format!("{gone} fixed"));
        }
        words.join(", ")
    } else {
        print_report(report, checks.message_format, dir);
        String::new()
    };
    *seen = Seen::of(report);
    if summary.is_empty() {
        summary
    } else {
        format!("; {summary}")
    }
}

/// Builds, prints one line (and the problems that changed), and says what
/// was written.
fn rebuild(
    dir: &Path,
    options: &BuildOptions,
    checks: &Checks,
    cache: &mut BuildCache,
    seen: &mut Seen,
    verb: &str,
) -> Option<PathBuf> {
    let start = Instant::now();
    match bindery::build_with_cache(dir, options, cache) {
        Ok(built) => {
            let changes = print_changes(&built.report, checks, dir, seen);
            eprintln!(
                "{verb} {} in {:.2} s ({} of {} chapter{} rendered){changes}",
                super::visible(&built.output),
                start.elapsed().as_secs_f64(),
                cache.rendered(),
                built.chapters,
                if built.chapters == 1 { "" } else { "s" },
            );
            Some(built.output)
        }
        Err(report) => {
            let changes = print_changes(&report, checks, dir, seen);
            eprintln!(
                "error: the build failed after {:.2} s; the last EPUB written is left as it was{changes}",
                start.elapsed().as_secs_f64()
            );
            None
        }
    }
}

/// Whether an event is a change to the book: not bindery's own output
/// (the EPUB and its temporary file), not version control's files.
fn relevant(event: &notify::Result<notify::Event>, output: Option<&Path>) -> bool {
    let Ok(event) = event else {
        // The watcher lost track (too many events): build to be sure.
        return true;
    };
    if !matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    ) {
        return false;
    }
    event.paths.iter().any(|path| !is_ours(path, output))
}

fn is_ours(path: &Path, output: Option<&Path>) -> bool {
    if path
        .components()
        .any(|c| matches!(c.as_os_str().to_str(), Some(".git" | "target")))
    {
        return true;
    }
    let Some(output) = output else {
        return false;
    };
    // The folder the EPUB is written to, made by the first build.
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    if output.starts_with(path) || canonical(output).starts_with(canonical(path)) {
        return true;
    }
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let same_folder = |a: &Path, b: &Path| match (a.parent(), b.parent()) {
        (Some(a), Some(b)) => a.canonicalize().ok() == b.canonicalize().ok(),
        _ => false,
    };
    let (Some(file), Some(out)) = (name(path), name(output)) else {
        return false;
    };
    // The EPUB, or the temporary file it is written to (`.NAME.xxxx.tmp`).
    (file == out || (file.starts_with(&format!(".{out}.")) && file.ends_with(".tmp")))
        && same_folder(path, output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epub_and_its_temporary_file_are_not_changes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("book.epub");
        std::fs::write(&out, b"x").unwrap();
        assert!(is_ours(&out, Some(&out)));
        assert!(is_ours(&dir.path().join(".book.epub.a1B2.tmp"), Some(&out)));
        assert!(!is_ours(&dir.path().join("chapter.md"), Some(&out)));
        assert!(is_ours(&dir.path().join(".git/index"), Some(&out)));
        assert!(is_ours(dir.path(), Some(&out)));
    }
}
