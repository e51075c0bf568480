//! DAISY Ace, the accessibility checker publishers and distributors run on
//! EPUBs, finds no critical and no serious violation in the guide or in
//! any fixture book. Ace drives Chromium through Puppeteer; it is installed
//! into `.tools/ace/` by `scripts/test.sh` (`scripts/ace.sh` prints its
//! full reports).

use crate::support::{build_into, built, chromium, fixture, repo};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many Ace runs (each with its own browser) go at once.
const AT_ONCE: usize = 2;

/// Ace's command, if it is installed; a panic when it is required.
fn ace() -> Option<PathBuf> {
    let bin = std::env::var_os("BINDERY_ACE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".tools/ace/node_modules/.bin/ace-puppeteer"));
    if bin.is_file() {
        return Some(bin);
    }
    if std::env::var_os("BINDERY_REQUIRE_ACE").is_some() {
        panic!(
            "DAISY Ace is required but {} does not exist; run scripts/test.sh",
            bin.display()
        );
    }
    None
}

/// Puppeteer wants the browser's full path, not a name to look up.
fn full_path(program: &Path) -> PathBuf {
    if program.components().count() > 1 {
        return program.to_path_buf();
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
        .unwrap_or_else(|| program.to_path_buf())
}

/// Ace's report on one EPUB.
fn report(ace: &Path, browser: &Path, epub: &Path) -> Value {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(ace)
        .args(["--silent", "--force", "--outdir"])
        .arg(out.path())
        .arg(epub)
        .env("PUPPETEER_EXECUTABLE_PATH", browser)
        .output()
        .unwrap();
    let text = std::fs::read_to_string(out.path().join("report.json")).unwrap_or_else(|_| {
        panic!(
            "Ace wrote no report for {}:\n{}{}",
            epub.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    serde_json::from_str(&text).unwrap()
}

/// Every failed check of a critical or serious impact in a report, on a
/// line each: the file, the rule, and what failed. A report holds an
/// assertion per file checked, whose own assertions are the checks.
fn blocking(node: &Value, file: &str, found: &mut Vec<String>) {
    let file = node["earl:testSubject"]["url"].as_str().unwrap_or(file);
    let children = node["assertions"].as_array();
    if children.is_none_or(Vec::is_empty) && node["earl:result"]["earl:outcome"] == "fail" {
        let impact = node["earl:test"]["earl:impact"].as_str().unwrap_or("");
        if matches!(impact, "critical" | "serious") {
            found.push(format!(
                "{impact} {} in {file}: {}",
                node["earl:test"]["dct:title"].as_str().unwrap_or("?"),
                node["earl:result"]["dct:description"]
                    .as_str()
                    .unwrap_or("")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
    }
    for child in children.into_iter().flatten() {
        blocking(child, file, found);
    }
}

/// How many files a report says Ace checked.
fn files_checked(report: &Value) -> usize {
    report["assertions"].as_array().map_or(0, Vec::len)
}

/// The guide and every book under tests/books.
fn books() -> Vec<(String, PathBuf)> {
    let mut books = vec![("guide".to_string(), repo())];
    let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/books"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    books.extend(names.into_iter().map(|name| (name.clone(), fixture(&name))));
    books
}

/// A book with an image its author did not describe: Ace must say so, or
/// the test above could not fail.
fn undescribed_image() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Undescribed\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    std::fs::copy(
        fixture("layout").join("assets/river.png"),
        book.join("river.png"),
    )
    .unwrap();
    std::fs::write(
        book.join("chapters/01-picture.md"),
        "# Picture\n\n![](../river.png)\n",
    )
    .unwrap();
    let epub = dir.path().join("book.epub");
    build_into(&book, &epub);
    (dir, epub)
}

#[test]
fn ace_finds_no_critical_or_serious_violation_in_any_book() {
    let Some(ace) = ace() else {
        eprintln!("DAISY Ace not installed: skipped");
        return;
    };
    let Some(browser) = chromium() else {
        return;
    };
    let browser = full_path(&browser);
    let (_dir, undescribed) = undescribed_image();
    let mut epubs: Vec<(String, PathBuf)> = books()
        .into_iter()
        .map(|(name, folder)| (name, built(&folder).epub.path.clone()))
        .collect();
    epubs.push(("undescribed".to_string(), undescribed));

    let next = AtomicUsize::new(0);
    let reports = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE {
            scope.spawn(|| {
                while let Some((name, epub)) = epubs.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let report = report(&ace, &browser, epub);
                    reports.lock().unwrap().push((name.clone(), report));
                }
            });
        }
    });
    let mut reports = reports.into_inner().unwrap();
    reports.sort_by(|a, b| a.0.cmp(&b.0));

    let mut found = Vec::new();
    for (name, report) in &reports {
        assert!(files_checked(report) > 1, "{name}: Ace checked nothing");
        let mut own = Vec::new();
        blocking(report, "", &mut own);
        if name == "undescribed" {
            assert!(
                own.iter().any(|v| v.contains("image-alt")),
                "Ace did not notice an image without alt text: {own:?}"
            );
        } else {
            found.extend(own.into_iter().map(|v| format!("{name}: {v}")));
        }
    }
    assert!(
        found.is_empty(),
        "Ace found {} critical or serious violations:\n{}",
        found.len(),
        found.join("\n")
    );
}
