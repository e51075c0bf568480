//! Several books in one run: `bindery build 'books/*'`.
//!
//! [`expand`] finds the book folders the command line names, patterns
//! included (for shells that do not expand them, such as a quoted pattern
//! in CI); [`clashes`] finds books that would write the same EPUB; and
//! [`in_order`] builds them in parallel, handing each book's outcome back
//! in the order given, so that they can be reported as they finish.

use crate::BuildOptions;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Runs `work` on each of `items` on rayon's pool, no more at a time than
/// the pool has threads, and hands each result to `done` with its index,
/// in the order of the items, as soon as it and the ones before it are
/// finished. A panic in one item's work is caught and handed on as `None`,
/// so that a bug in one book's build does not take the others down.
pub fn in_order<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    mut done: impl FnMut(usize, Option<R>),
) {
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut finished: Vec<Option<Option<R>>> = items.iter().map(|_| None).collect();
    let mut next = 0;
    // This thread, which is not one of rayon's, hands the items to the
    // pool in order, no more at a time than the pool has threads (a
    // thread waiting inside one book's work would otherwise start another,
    // and hold both in memory), and passes each on when it and the items
    // before it are finished.
    let limit = rayon::current_num_threads().max(1);
    let work = &work;
    rayon::in_place_scope_fifo(|scope| {
        let start = |index: usize| {
            let Some(item) = items.get(index) else {
                return;
            };
            let sender = sender.clone();
            scope.spawn_fifo(move |_| {
                let result =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(item))).ok();
                let _ = sender.send((index, result));
            });
        };
        let mut queue = 0..items.len();
        queue.by_ref().take(limit).for_each(start);
        for _ in 0..items.len() {
            let Ok((index, result)) = receiver.recv() else {
                break;
            };
            if let Some(item) = queue.next() {
                start(item);
            }
            if let Some(slot) = finished.get_mut(index) {
                *slot = Some(result);
            }
            while let Some(result) = finished.get_mut(next).and_then(Option::take) {
                done(next, result);
                next += 1;
            }
        }
    });
}

/// The book folders the arguments name. An argument is a folder as given,
/// unless it does not exist and holds `*`, `?` or `[…]`: a pattern the
/// shell left alone (it was quoted, or matched nothing), which stands for
/// the folders it matches that hold a book, sorted. The error lists the
/// patterns that match none.
pub fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<String>> {
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
/// `src/SUMMARY.md` (as a file, or as anything else but a folder, which
/// the build then names in an error).
pub fn is_book(dir: &Path) -> bool {
    crate::load::names_a_file(&dir.join(crate::manifest::FILE_NAME))
        || crate::load::names_a_file(&dir.join("src/SUMMARY.md"))
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
    let (root, text) = crate::load::read_manifest(dir).ok()?;
    let manifest = crate::load::parse_manifest(&root, &text, &mut Vec::new()).ok()?;
    // Shown as the build would say it; compared with the book folder
    // resolved, so that `a` and `./a` are the same book.
    let shown = crate::default_output(dir, options, &manifest.book).ok()?;
    let compared = crate::default_output(root.book_dir(), options, &manifest.book).ok()?;
    Some((shown, compared))
}

/// Every EPUB that two of the books would write, as messages naming them.
pub fn clashes(dirs: &[PathBuf], options: &BuildOptions) -> Vec<String> {
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
    use std::path::Path;

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

    #[test]
    fn results_come_in_the_order_of_the_items_and_a_panic_is_none() {
        let items: Vec<u64> = (0..40).collect();
        let mut seen = Vec::new();
        in_order(
            &items,
            |&n| {
                // Later items finish first.
                std::thread::sleep(std::time::Duration::from_millis(40 - n));
                assert!(n != 7, "a bug in one item");
                n * 2
            },
            |index, result| seen.push((index, result)),
        );
        let expected: Vec<(usize, Option<u64>)> = items
            .iter()
            .map(|&n| (n as usize, (n != 7).then_some(n * 2)))
            .collect();
        assert_eq!(seen, expected);
    }
}
