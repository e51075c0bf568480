//! `bindery check`: the checks a build does not run, and the problems a
//! build reports, as tools read them.

use crate::support::{bindery, fixture};
use serde_json::Value;
use std::path::Path;

fn write(book: &Path, file: &str, text: &str) {
    let path = book.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn image(book: &Path, file: &str) {
    let path = book.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::copy(fixture("full-metadata").join("assets/ornament.gif"), path).unwrap();
}

/// A book that builds cleanly but has what only `check` reports.
fn book_with_loose_ends(dir: &Path) {
    write(
        dir,
        "book.toml",
        "[book]\ntitle = \"Loose Ends\"\nlanguage = \"EN-gb\"\n",
    );
    write(
        dir,
        "chapters/01-one.md",
        "# One\n\n![A kite](../assets/kite.gif)\n\n### Too deep\n\nText.\n",
    );
    write(dir, "chapters/02-empty.md", "# Empty\n\n## Still empty\n");
    write(
        dir,
        "chapters/03-trois.md",
        "+++\nlanguage = \"fr-fr\"\n+++\n# Trois\n\nTexte.\n",
    );
    image(dir, "assets/kite.gif");
    image(dir, "assets/old/unused.gif");
    image(dir, "assets/.hidden.gif");
    write(
        dir,
        "assets/make-cover.py",
        "print('a script, not part of the book')\n",
    );
}

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn summary(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{}:{}",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap_or("-"),
                d["line"],
                d["column"]
            )
        })
        .collect()
}

#[test]
fn check_reports_loose_ends_that_a_build_lets_pass() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path();
    book_with_loose_ends(book);
    let output = bindery()
        .args(["check", "--message-format", "json"])
        .arg(book)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let lines = json_lines(&output.stdout);
    assert_eq!(
        summary(&lines),
        [
            "warning B120 assets/old/unused.gif:null:null",
            "warning B051 book.toml:3:12",
            "warning B261 chapters/01-one.md:5:1",
            "warning B260 chapters/02-empty.md:1:1",
            "warning B051 chapters/03-trois.md:2:12",
        ]
    );
    assert_eq!(
        lines[1]["message"],
        "the language tag `EN-gb` is usually written `en-GB`"
    );
    assert_eq!(
        lines[2]["message"],
        "a level 3 heading follows a level 1 heading, skipping level 2"
    );
    assert_eq!(
        lines[2]["help"],
        "make it a level 2 heading (`## …`), or add the level between"
    );
    assert_eq!(lines[3]["message"], "the chapter has headings but no text");
    assert_eq!(
        lines[0]["message"],
        "`assets/old/unused.gif` is in the book's assets but nothing uses it"
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).ends_with("(3 chapters, 5 warnings)\n"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // --deny warnings makes them errors.
    let output = bindery()
        .args(["check", "--deny", "warnings"])
        .current_dir(book)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "error[B261]: a level 3 heading follows a level 1 heading, skipping level 2\n \
             --> chapters/01-one.md:5:1\n  |\n5 | ### Too deep\n  | ^^^^^^^^^^^^\n"
        ),
        "{stderr}"
    );

    // A build runs only the check for empty chapters.
    let output = bindery()
        .arg("build")
        .arg("-o")
        .arg(dir.path().join("out.epub"))
        .current_dir(book)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "warning[B260]: the chapter has headings but no text\n --> chapters/02-empty.md:1:1\n"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning[").count(), 1, "{stderr}");
    assert!(stderr.contains("\nwrote "), "{stderr}");
}

#[test]
fn check_with_a_store_profile_asks_for_the_store_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path();
    book_with_loose_ends(book);
    let output = bindery()
        .args(["check", "--profile", "kobo", "--message-format", "json"])
        .arg(book)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let lines = json_lines(&output.stdout);
    let metadata: Vec<String> = summary(&lines)
        .into_iter()
        .filter(|s| s.contains(" B08"))
        .collect();
    assert_eq!(
        metadata,
        [
            "warning B080 book.toml:1:1",
            "warning B081 book.toml:1:1",
            "warning B082 book.toml:1:1",
            "warning B083 book.toml:1:1",
        ]
    );
    assert_eq!(lines[1]["message"], "the book has no description");

    // A book with all of it gets none of these.
    let output = bindery()
        .args(["check", "--profile", "kobo", "--message-format", "json"])
        .arg(fixture("full-metadata"))
        .output()
        .unwrap();
    let codes: Vec<String> = summary(&json_lines(&output.stdout));
    assert!(codes.iter().all(|s| !s.contains(" B08")), "{codes:?}");
}

#[test]
fn build_with_a_store_profile_refuses_what_check_with_it_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let created = bindery()
        .args(["new", "book"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(created.status.success());
    let book = dir.path().join("book");
    let run = |command: &str, profile: &str| {
        bindery()
            .args([command, "--profile", profile, "--deny", "warnings"])
            .args(["--message-format", "json"])
            .arg(&book)
            .output()
            .unwrap()
    };
    let checked = run("check", "kdp");
    let built = run("build", "kdp");
    assert_eq!(checked.status.code(), Some(1));
    assert_eq!(built.status.code(), Some(1));
    let codes = |output: &std::process::Output| -> Vec<String> {
        summary(&json_lines(&output.stdout))
            .into_iter()
            .filter(|s| s.contains(" B08"))
            .collect()
    };
    assert_eq!(
        codes(&built),
        [
            "error B080 book.toml:1:1",
            "error B081 book.toml:1:1",
            "error B082 book.toml:1:1",
            "error B083 book.toml:1:1",
        ]
    );
    assert_eq!(codes(&built), codes(&checked));
    let lines = json_lines(&built.stdout);
    let placeholder = lines
        .iter()
        .find(|l| l["code"] == "B083")
        .map(|l| l["message"].as_str().unwrap().to_string());
    assert_eq!(
        placeholder.as_deref(),
        Some("the book's author is `Your Name`, the placeholder `bindery new` writes")
    );
    assert!(
        !book.join("build").exists(),
        "a refused build writes no EPUB"
    );

    // Without a store, the same book builds.
    let generic = run("build", "generic");
    assert_eq!(
        generic.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&generic.stderr)
    );
}

#[test]
fn broken_links_duplicate_ids_and_missing_alt_text_name_their_epubcheck_message() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path();
    write(
        book,
        "book.toml",
        "[book]\ntitle = \"Broken\"\nlanguage = \"en\"\n",
    );
    write(
        book,
        "chapters/01.md",
        "# A {#x}\n\n## B {#x}\n\n![](../assets/kite.gif)\n\n[gone](#nowhere) [away](02.md)\n\n![Map](map.png)\n",
    );
    image(book, "assets/kite.gif");
    let output = bindery()
        .args(["check", "--message-format", "json"])
        .arg(book)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines = json_lines(&output.stdout);
    let found: Vec<String> = lines
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{} {}",
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["epubcheck"]
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "B205 error 3:1 \"RSC-005\"",
            "B255 warning 5:1 null",
            "B201 error 7:1 \"RSC-012\"",
            "B200 error 7:18 \"RSC-007\"",
        ]
    );
}

#[test]
fn a_chapter_file_the_book_does_not_list_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path();
    write(
        book,
        "book.toml",
        "[book]\ntitle = \"Listed\"\nlanguage = \"en\"\n\n[[chapters]]\nfile = \"chapters/01-one.md\"\n",
    );
    write(book, "chapters/01-one.md", "# One\n\nText.\n");
    write(book, "chapters/02-forgotten.md", "# Forgotten\n\nText.\n");
    write(book, "chapters/notes.txt", "not Markdown: not a chapter\n");
    let output = bindery().arg("check").current_dir(book).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "warning[B121]: `chapters/02-forgotten.md` is not in the book\n \
             --> chapters/02-forgotten.md\n  = help: add a `[[chapters]]` entry with \
             `file = \"chapters/02-forgotten.md\"` to book.toml, or move the file out of `chapters/`\n"
        ),
        "{stderr}"
    );
    assert!(stderr.ends_with("(1 chapter, 1 warning)\n"), "{stderr}");

    // Without `[[chapters]]`, every chapters/*.md is a chapter: nothing to say.
    write(
        book,
        "book.toml",
        "[book]\ntitle = \"Listed\"\nlanguage = \"en\"\n",
    );
    let output = bindery().arg("check").arg(book).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.ends_with("(2 chapters, no problems)\n"), "{stderr}");
}

#[test]
fn an_mdbook_file_left_out_of_summary_is_reported_but_an_included_one_is_not() {
    let output = bindery()
        .args(["check", "--message-format", "json"])
        .arg(crate::support::fixture("mdbook"))
        .output()
        .unwrap();
    let lines = json_lines(&output.stdout);
    let unlisted: Vec<&str> = lines
        .iter()
        .filter(|d| d["code"] == "B121")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    // src/parts/schedule.md is included by a chapter: it is in the book.
    assert_eq!(unlisted, ["src/unlisted.md"]);
}
