//! The crate as `cargo package` makes it: the program and what it builds
//! into every book, and none of the repository's guide, test books or CI.

use crate::support::repo;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The files `cargo package` puts into the crate.
fn packaged() -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--locked",
            "--offline",
        ])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Every file under `dir`, as a path from the repository's root.
fn files_under(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            let relative = path.strip_prefix(repo()).unwrap();
            found.insert(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The files the source builds in with `include_str!` or `include_bytes!`,
/// as paths from the repository's root.
fn included(files: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for file in files.iter().filter(|f| f.ends_with(".rs")) {
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        let dir = Path::new(file).parent().unwrap();
        for macro_name in ["include_str!(\"", "include_bytes!(\""] {
            for piece in text.split(macro_name).skip(1) {
                let Some((path, _)) = piece.split_once('"') else {
                    continue;
                };
                let mut full = dir.to_path_buf();
                for part in path.split('/') {
                    match part {
                        ".." => {
                            full.pop();
                        }
                        part => full.push(part),
                    }
                }
                found.insert(full.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found
}

#[test]
fn the_crate_holds_the_source_and_what_it_builds_into_books_and_nothing_else() {
    let packaged = packaged();
    let mut source = BTreeSet::new();
    files_under(&repo().join("src"), &mut source);

    let missing: Vec<_> = source.difference(&packaged).collect();
    assert!(missing.is_empty(), "not in the crate: {missing:?}");
    let embedded = included(&source);
    assert!(embedded.contains("src/typeface/EBGaramond12-Regular.otf"));
    assert!(embedded.contains("src/package/book.css"));
    assert!(embedded.contains("src/locale/labels/fr.toml"));
    let unpackaged: Vec<_> = embedded.difference(&packaged).collect();
    assert!(
        unpackaged.is_empty(),
        "built in, not in the crate: {unpackaged:?}"
    );
    // The font's licence travels with the font.
    assert!(packaged.contains("src/typeface/OFL.txt"));

    let others: Vec<&str> = packaged
        .iter()
        .map(String::as_str)
        .filter(|f| !f.starts_with("src/"))
        .collect();
    assert_eq!(
        others,
        [
            ".cargo_vcs_info.json",
            "Cargo.lock",
            "Cargo.toml",
            "Cargo.toml.orig",
            "LICENSE",
            "README.md"
        ]
    );

    // crates.io takes 10 MB; the crate stays a small part of that.
    let size: u64 = packaged
        .iter()
        .filter_map(|f| std::fs::metadata(repo().join(f)).ok())
        .map(|m| m.len())
        .sum();
    assert!(
        size < 4 * 1024 * 1024,
        "the crate's files add up to {size} bytes"
    );
}
