//! `bindery build`: one book, or a catalogue of books built in parallel.

use super::release::ReleaseArgs;
use super::{Checks, Deny, MessageFormat, check, colour, print_report, source_date_epoch};
use bindery::diag::{
    Report, Severity, render_github, render_human_in, render_json_in, render_sarif_many,
    severity_label,
};
use bindery::inspect::epubcheck::Epubcheck;
use bindery::{BuildOptions, Built};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
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
    let Outcome { result, written } =
        build_checked(dir, &options, epubcheck.as_ref(), checks, check_only);
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

/// What building one book came to.
struct Outcome {
    /// The build, or the report of why it failed.
    result: Result<Built, Report>,
    /// With `--epubcheck`: the EPUB that was written although EPUBCheck
    /// finds errors in it.
    written: Option<PathBuf>,
}

/// Builds one book and, with `--epubcheck`, runs EPUBCheck on it.
fn build_checked(
    dir: &Path,
    options: &BuildOptions,
    epubcheck: Option<&Epubcheck>,
    checks: &Checks,
    check_only: bool,
) -> Outcome {
    // With `--epubcheck`, a build can write the EPUB and still fail.
    let mut written = None;
    let result = bindery::build(dir, options).and_then(|mut built| {
        if let Some(epubcheck) = epubcheck {
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
    Outcome { result, written }
}

/// `bindery build [DIR]...`: one book as [`run`] builds it, or several in
/// parallel, each printed when it and the books before it are done.
pub fn run_many(
    args: &[PathBuf],
    output: Option<PathBuf>,
    release: &ReleaseArgs,
    checks: &Checks,
) -> ExitCode {
    let dirs = match expand(args) {
        Ok(dirs) => dirs,
        Err(patterns) => {
            for pattern in patterns {
                eprintln!("error: no book folder matches `{pattern}`");
            }
            eprintln!(
                "  = help: a pattern matches the folders that hold a book.toml or an mdBook's src/SUMMARY.md"
            );
            return ExitCode::from(2);
        }
    };
    if let [dir] = dirs.as_slice() {
        return run(dir, output, release, checks, false);
    }
    if output.is_some() {
        eprintln!(
            "error: `-o` names one EPUB, but there are {} books to build",
            dirs.len()
        );
        eprintln!("  = help: use `--out-dir DIR` to write every book's EPUB into one folder");
        return ExitCode::from(2);
    }
    let source_date_epoch = match source_date_epoch() {
        Ok(value) => value,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let epubcheck = match check::wanted(checks, Path::new(".")) {
        Ok(epubcheck) => epubcheck,
        Err(code) => return code,
    };
    let options = BuildOptions {
        output: None,
        source_date_epoch,
        profile: checks.profile.into(),
        deny_warnings: checks.deny == Some(Deny::Warnings),
        check_only: false,
        run_preprocessors: checks.preprocessors,
        out_dir: release.out_dir.clone(),
        name_template: release.name_template.clone(),
    };
    let clashes = clashes(&dirs, &options);
    if !clashes.is_empty() {
        for clash in &clashes {
            eprintln!("error: {clash}");
        }
        eprintln!(
            "  = help: name each book once, and give books with the same title a --name-template \
             that tells them apart, such as `{{slug}}-{{version}}.epub`"
        );
        return ExitCode::from(2);
    }

    let mut printer = Printer {
        format: checks.message_format,
        checksums: release.checksums,
        sarif: Vec::new(),
        failed: Vec::new(),
    };
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut done: Vec<Option<Option<Outcome>>> = dirs.iter().map(|_| None).collect();
    let mut next = 0;
    // This thread, which is not one of rayon's, hands the books to the
    // pool in the order given, no more at a time than the pool has threads
    // (a thread waiting inside one book's work would otherwise start
    // another, and hold both in memory), and prints each book when it and
    // the books before it are done.
    let limit = rayon::current_num_threads().max(1);
    let (books, options, epubcheck) = (&dirs, &options, epubcheck.as_ref());
    rayon::in_place_scope_fifo(|scope| {
        let start = |index: usize| {
            let Some(dir) = books.get(index) else {
                return;
            };
            let sender = sender.clone();
            scope.spawn_fifo(move |_| {
                // A bug in one book's build must not take the others down.
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    build_checked(dir, options, epubcheck, checks, false)
                }))
                .ok();
                let _ = sender.send((index, outcome));
            });
        };
        let mut queue = 0..dirs.len();
        queue.by_ref().take(limit).for_each(start);
        for _ in 0..dirs.len() {
            let Ok((index, outcome)) = receiver.recv() else {
                break;
            };
            if let Some(book) = queue.next() {
                start(book);
            }
            if let Some(slot) = done.get_mut(index) {
                *slot = Some(outcome);
            }
            while let Some(outcome) = done.get_mut(next).and_then(Option::take) {
                if let Some(dir) = dirs.get(next) {
                    printer.book(dir, outcome);
                }
                next += 1;
            }
        }
    });
    printer.finish(&dirs)
}

/// Prints the books of a catalogue build, one after the other.
struct Printer<'a> {
    format: MessageFormat,
    checksums: bool,
    /// With `--message-format sarif`: every book's report, for one
    /// document at the end.
    sarif: Vec<(Report, String)>,
    /// The folders of the books that failed.
    failed: Vec<&'a Path>,
}

impl<'a> Printer<'a> {
    /// Prints what one book came to (`None`: its build panicked).
    fn book(&mut self, dir: &'a Path, outcome: Option<Outcome>) {
        let Some(Outcome { result, written }) = outcome else {
            eprintln!(
                "{}: bindery stopped on a bug while building `{}`; please report it",
                severity_label(Severity::Error, colour()),
                dir.display()
            );
            self.failed.push(dir);
            return;
        };
        match result {
            Ok(built) => {
                self.report(built.report, dir);
                if self.checksums
                    && let Err(message) = super::release::checksums(&built.output)
                {
                    eprintln!("error: {message}");
                    self.failed.push(dir);
                    return;
                }
                eprintln!(
                    "wrote {} from {} ({} chapter{}, {})",
                    built.output.display(),
                    dir.display(),
                    built.chapters,
                    if built.chapters == 1 { "" } else { "s" },
                    bindery::site::human_size(built.size)
                );
            }
            Err(report) => {
                let errors = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                self.report(report, dir);
                match written {
                    Some(output) => eprintln!(
                        "error: wrote {} from {}, but EPUBCheck finds {}",
                        output.display(),
                        dir.display(),
                        check::count(errors, "error")
                    ),
                    None => eprintln!(
                        "{}: could not build `{}` ({})",
                        severity_label(Severity::Error, colour()),
                        dir.display(),
                        check::count(errors, "error")
                    ),
                }
                self.failed.push(dir);
            }
        }
    }

    /// Prints one book's problems, its files named from where bindery
    /// runs (or, in JSON, with the book's folder beside them).
    fn report(&mut self, report: Report, dir: &Path) {
        let base = dir.to_string_lossy().replace('\\', "/");
        match self.format {
            MessageFormat::Human => eprint!("{}", render_human_in(&report, &base, colour())),
            MessageFormat::Json => print!("{}", render_json_in(&report, &base)),
            MessageFormat::Github => print!("{}", render_github(&report, &base)),
            MessageFormat::Sarif => self.sarif.push((report, base)),
        }
    }

    /// Prints the SARIF document and the summary line; the exit code.
    fn finish(self, dirs: &[PathBuf]) -> ExitCode {
        if self.format == MessageFormat::Sarif {
            let reports: Vec<(&Report, &str)> = self
                .sarif
                .iter()
                .map(|(r, base)| (r, base.as_str()))
                .collect();
            print!("{}", render_sarif_many(&reports, env!("CARGO_PKG_VERSION")));
        }
        if self.failed.is_empty() {
            eprintln!("built {} books", dirs.len());
            return ExitCode::SUCCESS;
        }
        let failed: Vec<String> = self
            .failed
            .iter()
            .map(|d| d.display().to_string())
            .collect();
        eprintln!(
            "{}: built {} of {} books, {} failed: {}",
            severity_label(Severity::Error, colour()),
            dirs.len() - failed.len(),
            dirs.len(),
            failed.len(),
            failed.join(", ")
        );
        ExitCode::from(1)
    }
}

/// The book folders the arguments name. An argument is a folder as given,
/// unless it does not exist and holds `*`, `?` or `[…]`: a pattern the
/// shell left alone (it was quoted, or matched nothing), which stands for
/// the folders it matches that hold a book, sorted. The error lists the
/// patterns that match none.
fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<String>> {
    let mut dirs = Vec::new();
    let mut unmatched = Vec::new();
    for arg in args {
        let text = arg.to_string_lossy();
        if arg.exists() || !is_pattern(&text) {
            dirs.push(arg.clone());
            continue;
        }
        let found = glob(arg);
        if found.is_empty() {
            unmatched.push(text.into_owned());
        }
        dirs.extend(found);
    }
    if unmatched.is_empty() {
        Ok(dirs)
    } else {
        Err(unmatched)
    }
}

fn is_pattern(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

/// Whether a folder holds a book: a `book.toml`, or an mdBook's
/// `src/SUMMARY.md`.
fn is_book(dir: &Path) -> bool {
    dir.join(bindery::manifest::FILE_NAME).is_file() || dir.join("src/SUMMARY.md").is_file()
}

/// The book folders a pattern matches, sorted; each part of the path may
/// be a pattern (`series-*/book-?`).
fn glob(pattern: &Path) -> Vec<PathBuf> {
    let mut found = vec![PathBuf::new()];
    for component in pattern.components() {
        let part = component.as_os_str().to_string_lossy();
        if !matches!(component, Component::Normal(_)) || !is_pattern(&part) {
            for path in &mut found {
                path.push(component);
            }
            continue;
        }
        let part: Vec<char> = part.chars().collect();
        let mut matched = Vec::new();
        for base in &found {
            let list = if base.as_os_str().is_empty() {
                Path::new(".")
            } else {
                base.as_path()
            };
            let Ok(entries) = std::fs::read_dir(list) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|name| wildcard(&part, &name.chars().collect::<Vec<_>>()))
                .collect();
            names.sort();
            matched.extend(
                names
                    .into_iter()
                    .map(|name| base.join(name))
                    .filter(|path| path.is_dir()),
            );
        }
        found = matched;
    }
    found.retain(|dir| is_book(dir));
    found
}

/// Whether `name` matches the shell pattern `pattern`: `*` any run of
/// characters, `?` one character, `[abc]`, `[a-z]`, `[!a]` or `[^a]` one
/// of a set. As in the shell, a leading `.` is matched only by a `.`.
fn wildcard(pattern: &[char], name: &[char]) -> bool {
    if name.first() == Some(&'.') && pattern.first() != Some(&'.') {
        return false;
    }
    let (mut p, mut n) = (0, 0);
    // Where the last `*` was, and where in the name it matched up to.
    let mut star: Option<(usize, usize)> = None;
    while let Some(&c) = name.get(n) {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
                continue;
            }
            Some(_) => {
                if let Some(width) = pattern.get(p..).and_then(|rest| one(rest, c)) {
                    p += width;
                    n += 1;
                    continue;
                }
            }
            None => {}
        }
        match star {
            Some((at, upto)) => {
                // Let the `*` take one more character, and try again.
                star = Some((at, upto + 1));
                p = at + 1;
                n = upto + 1;
            }
            None => return false,
        }
    }
    pattern.iter().skip(p).all(|&c| c == '*')
}

/// If the start of `pattern` (not a `*`) matches the character `c`: how
/// many pattern characters it took.
fn one(pattern: &[char], c: char) -> Option<usize> {
    match pattern.first()? {
        '?' => Some(1),
        '[' => match set(pattern, c) {
            Some((true, width)) => Some(width),
            Some((false, _)) => None,
            // No closing `]`: the `[` is itself.
            None => (c == '[').then_some(1),
        },
        &literal => (literal == c).then_some(1),
    }
}

/// A `[…]` set at the start of `pattern`: whether it holds `c`, and its
/// width; `None` when it is not closed.
fn set(pattern: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negated = matches!(pattern.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let first = i;
    let mut holds = false;
    loop {
        let &here = pattern.get(i)?;
        if here == ']' && i > first {
            return Some((holds != negated, i + 1));
        }
        match (pattern.get(i + 1), pattern.get(i + 2)) {
            (Some('-'), Some(&end)) if end != ']' => {
                holds |= (here..=end).contains(&c);
                i += 3;
            }
            _ => {
                holds |= here == c;
                i += 1;
            }
        }
    }
}

/// The EPUB each book would write, for the books whose manifest can be
/// read (the others fail when built, saying why).
fn planned_output(dir: &Path, options: &BuildOptions) -> Option<(PathBuf, PathBuf)> {
    let (root, text) = bindery::load::read_manifest(dir).ok()?;
    let manifest = bindery::load::parse_manifest(&root, &text, &mut Vec::new()).ok()?;
    // Shown as the build would say it; compared with the book folder
    // resolved, so that `a` and `./a` are the same book.
    let shown = bindery::default_output(dir, options, &manifest.book).ok()?;
    let compared = bindery::default_output(root.book_dir(), options, &manifest.book).ok()?;
    Some((shown, compared))
}

/// Every EPUB that two of the books would write, as messages naming them.
fn clashes(dirs: &[PathBuf], options: &BuildOptions) -> Vec<String> {
    use rayon::prelude::*;
    let planned: Vec<Option<(PathBuf, PathBuf)>> = dirs
        .par_iter()
        .map(|dir| planned_output(dir, options))
        .collect();
    let mut by_output: BTreeMap<&Path, Vec<(&Path, &Path)>> = BTreeMap::new();
    for (dir, plan) in dirs.iter().zip(&planned) {
        if let Some((shown, compared)) = plan {
            by_output
                .entry(compared.as_path())
                .or_default()
                .push((dir.as_path(), shown.as_path()));
        }
    }
    by_output
        .values()
        .filter(|books| books.len() > 1)
        .filter_map(|books| {
            let (_, shown) = books.first()?;
            let names: Vec<String> = books
                .iter()
                .map(|(dir, _)| format!("`{}`", dir.display()))
                .collect();
            Some(format!(
                "{} would {} write `{}`",
                names.join(" and "),
                if books.len() == 2 { "both" } else { "all" },
                shown.display()
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, name: &str) -> bool {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        wildcard(&chars(pattern), &chars(name))
    }

    #[test]
    fn stars_and_question_marks_match_as_in_the_shell() {
        assert!(matches("*", "book"));
        assert!(matches("b*k", "book"));
        assert!(matches("b*k", "bk"));
        assert!(matches("*-*-*", "a-b-c-d"));
        assert!(matches("b??k", "book"));
        assert!(matches("ü?", "üb"));
        assert!(!matches("b?k", "book"));
        assert!(!matches("*.md", "book.toml"));
        assert!(!matches("a*", "ba"));
    }

    #[test]
    fn sets_take_ranges_negation_and_a_leading_bracket() {
        assert!(matches("book-[0-9]", "book-7"));
        assert!(!matches("book-[0-9]", "book-x"));
        assert!(matches("[!a]*", "book"));
        assert!(matches("[^a]*", "book"));
        assert!(!matches("[!b]*", "book"));
        assert!(matches("[]x]", "]"));
        assert!(matches("[a-]", "-"));
        // An unclosed `[` is itself.
        assert!(matches("[draft", "[draft"));
        assert!(!matches("[draft", "d"));
    }

    #[test]
    fn a_leading_dot_is_matched_only_by_a_dot() {
        assert!(!matches("*", ".git"));
        assert!(!matches("?git", ".git"));
        assert!(matches(".*", ".git"));
    }

    #[test]
    fn a_pattern_matches_book_folders_only_and_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let make = |path: &str, file: &str| {
            let folder = dir.path().join(path);
            std::fs::create_dir_all(&folder).unwrap();
            if !file.is_empty() {
                std::fs::create_dir_all(folder.join(file).parent().unwrap()).unwrap();
                std::fs::write(folder.join(file), "").unwrap();
            }
        };
        make("series-b/one", "book.toml");
        make("series-a/two", "book.toml");
        make("series-a/one", "src/SUMMARY.md");
        make("series-a/notes", "");
        make("series-c", "book.toml");
        let found = glob(&dir.path().join("series-*/*"));
        let found: Vec<&Path> = found
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap())
            .collect();
        assert_eq!(
            found,
            [
                Path::new("series-a/one"),
                Path::new("series-a/two"),
                Path::new("series-b/one")
            ]
        );
        let literal = dir.path().join("series-[x]");
        std::fs::create_dir_all(&literal).unwrap();
        assert_eq!(expand(std::slice::from_ref(&literal)), Ok(vec![literal]));
        let nothing = dir.path().join("series-z*").display().to_string();
        assert_eq!(
            expand(&[PathBuf::from(&nothing)]),
            Err(vec![nothing.clone()])
        );
    }
}
