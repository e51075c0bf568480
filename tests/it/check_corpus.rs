//! `bindery check FILE.epub` beside EPUBCheck: a corpus of broken EPUBs,
//! each a built book with one thing broken, checked by both. For every
//! one, the EPUBCheck ids that bindery's errors name are the ids of
//! EPUBCheck's own errors; and the guide's table of the EPUBCheck
//! messages `check` covers lists each of them.

use crate::support::{Epub, bindery, built, epubcheck, fixture, repo};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::{SimpleFileOptions, ZipWriter};

const CHAPTER: &str = "EPUB/text/001-01-only.xhtml";
const PACKAGE: &str = "EPUB/package.opf";
/// An entry added to the zip, whose name is then made Latin-1's `café`.
const LATIN_1: &str = "EPUB/cafX.txt";

/// One broken EPUB: its name, and how it differs from the minimal book.
struct Case {
    name: &'static str,
    /// The entry changed, and how.
    entry: &'static str,
    edit: fn(&str) -> String,
}

fn in_paragraph(text: &str, inserted: &str) -> String {
    text.replacen("<p>", &format!("<p>{inserted} "), 1)
}

/// Each problem `check` finds that EPUBCheck also finds, one per EPUB.
const CORPUS: &[Case] = &[
    Case {
        name: "duplicate-id",
        entry: CHAPTER,
        edit: |t| t.replacen("<p>", "<p id=\"the-only-chapter\">", 1),
    },
    Case {
        name: "div-in-span",
        entry: CHAPTER,
        edit: |t| in_paragraph(t, "<span>a <div>block</div></span>"),
    },
    Case {
        name: "div-in-paragraph",
        entry: CHAPTER,
        edit: |t| in_paragraph(t, "a <div>block</div>"),
    },
    Case {
        name: "list-in-link-in-paragraph",
        entry: CHAPTER,
        edit: |t| in_paragraph(t, "<a href=\"#the-only-chapter\"><ul><li>x</li></ul></a>"),
    },
    Case {
        name: "language-c",
        entry: PACKAGE,
        edit: |t| t.replacen("<dc:language>en<", "<dc:language>C<", 1),
    },
    Case {
        name: "xml-lang-with-underscore",
        entry: CHAPTER,
        edit: |t| t.replacen("<p>", "<p xml:lang=\"en_US\">", 1),
    },
    Case {
        name: "entry-name-not-utf8",
        entry: LATIN_1,
        edit: |_| "not read".to_string(),
    },
    Case {
        name: "missing-link-target",
        entry: CHAPTER,
        edit: |t| in_paragraph(t, "<a href=\"002-missing.xhtml\">next</a>"),
    },
    Case {
        name: "missing-fragment",
        entry: CHAPTER,
        edit: |t| in_paragraph(t, "<a href=\"#nowhere\">here</a>"),
    },
    Case {
        name: "not-well-formed",
        entry: CHAPTER,
        edit: |t| in_paragraph(t, "a&nbsp;b"),
    },
    Case {
        name: "svg-without-property",
        entry: CHAPTER,
        edit: |t| {
            in_paragraph(
                t,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>",
            )
        },
    },
];

/// Writes the minimal book with `case` applied.
fn write_case(source: &Epub, case: &Case, path: &Path) {
    let mut zip = ZipWriter::new(std::fs::File::create(path).unwrap());
    for name in &source.names {
        let method = match name.as_str() {
            "mimetype" => zip::CompressionMethod::Stored,
            _ => zip::CompressionMethod::Deflated,
        };
        let options = SimpleFileOptions::default().compression_method(method);
        zip.start_file(name.as_str(), options).unwrap();
        if name == case.entry {
            let text = std::str::from_utf8(&source.files[name]).unwrap();
            let edited = (case.edit)(text);
            assert_ne!(edited, text, "{}: the edit changed nothing", case.name);
            zip.write_all(edited.as_bytes()).unwrap();
        } else {
            zip.write_all(&source.files[name]).unwrap();
        }
    }
    if !source.names.iter().any(|n| n == case.entry) {
        let options = SimpleFileOptions::default();
        zip.start_file(case.entry, options).unwrap();
        zip.write_all((case.edit)("").as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    if case.entry == LATIN_1 {
        // The zip writer takes only UTF-8 names: the byte is changed in
        // the local header and in the central directory.
        let mut bytes = std::fs::read(path).unwrap();
        let mut changed = 0;
        for at in 0..bytes.len().saturating_sub(8) {
            if &bytes[at..at + 8] == b"cafX.txt" {
                bytes[at + 3] = 0xE9;
                changed += 1;
            }
        }
        assert_eq!(changed, 2);
        std::fs::write(path, bytes).unwrap();
    }
}

/// The EPUBCheck ids bindery's errors name.
fn ids_from_check(epub: &Path) -> BTreeSet<String> {
    let output = bindery()
        .env_remove("BINDERY_EPUBCHECK")
        .env_remove("BINDERY_EPUBCHECK_JAR")
        .args(["check", "--message-format", "json"])
        .arg(epub)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|d| d["severity"] == "error")
        .map(|d| d["epubcheck"].as_str().unwrap_or("(none)").to_string())
        .collect()
}

#[test]
fn check_and_epubcheck_find_the_same_errors_in_a_corpus_of_broken_epubs() {
    let source = &built(&fixture("minimal")).epub;
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = CORPUS
        .iter()
        .map(|case| {
            let path = dir.path().join(format!("{}.epub", case.name));
            write_case(source, case, &path);
            path
        })
        .collect();
    // EPUBCheck is slow to start: two at a time.
    let results: Vec<Option<Vec<crate::support::CheckMessage>>> = std::thread::scope(|s| {
        let (first, second) = paths.split_at(paths.len() / 2);
        let one = s.spawn(|| first.iter().map(|p| epubcheck(p)).collect::<Vec<_>>());
        let two = s.spawn(|| second.iter().map(|p| epubcheck(p)).collect::<Vec<_>>());
        let mut all = one.join().unwrap();
        all.extend(two.join().unwrap());
        all
    });
    let guide = std::fs::read_to_string(repo().join("chapters/05-errors.md")).unwrap();
    let mut differences = Vec::new();
    for ((case, path), messages) in CORPUS.iter().zip(&paths).zip(results) {
        let ours = ids_from_check(path);
        if ours.is_empty() {
            differences.push(format!("{}: bindery check finds nothing", case.name));
        }
        for id in &ours {
            if !guide.contains(&format!("| {id} |")) {
                differences.push(format!("{}: {id} is not in the guide's table", case.name));
            }
        }
        let Some(messages) = messages else {
            continue;
        };
        let theirs: BTreeSet<String> = messages
            .iter()
            .filter(|m| matches!(m.severity.as_str(), "FATAL" | "ERROR"))
            .map(|m| m.id.clone())
            .collect();
        if ours != theirs {
            differences.push(format!(
                "{}: bindery check names {ours:?}, EPUBCheck {theirs:?}",
                case.name
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
