//! `bindery watch`: build, then build again on every change.
//!
//! Each rebuild reuses what the one before rendered and deflated
//! (`bindery::BuildCache`), so it costs about what changed. A failed
//! rebuild prints its problems and leaves the last good EPUB in place;
//! watching goes on until interrupted.

use super::{Checks, print_report};
use bindery::{BuildCache, BuildOptions};
use notify::{EventKind, RecursiveMode, Watcher};
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
    let mut output = rebuild(dir, &options, checks, &mut cache, "built");
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
        if changed && let Some(written) = rebuild(dir, &options, checks, &mut cache, "rebuilt") {
            output = Some(written);
        }
    }
}

/// Builds, prints one line (or the problems), and says what was written.
fn rebuild(
    dir: &Path,
    options: &BuildOptions,
    checks: &Checks,
    cache: &mut BuildCache,
    verb: &str,
) -> Option<PathBuf> {
    let start = Instant::now();
    match bindery::build_with_cache(dir, options, cache) {
        Ok(built) => {
            print_report(&built.report, checks.message_format, dir);
            eprintln!(
                "{verb} {} in {:.2} s ({} of {} chapter{} rendered)",
                super::visible(&built.output),
                start.elapsed().as_secs_f64(),
                cache.rendered(),
                built.chapters,
                if built.chapters == 1 { "" } else { "s" },
            );
            Some(built.output)
        }
        Err(report) => {
            print_report(&report, checks.message_format, dir);
            eprintln!(
                "error: the build failed after {:.2} s; the last EPUB written is left as it was",
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
