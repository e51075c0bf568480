//! The same input gives the same bytes; a different instant does not.

use crate::support::{Epub, TempBook, bindery, fixture};
use std::path::Path;

fn build_bytes(book: &Path, epoch: Option<&str>) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.epub");
    let mut command = bindery();
    command.arg("build").arg(book).arg("-o").arg(&out);
    if let Some(epoch) = epoch {
        command.env("SOURCE_DATE_EPOCH", epoch);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(out).unwrap()
}

#[test]
fn building_twice_gives_identical_bytes() {
    let book = fixture("full-metadata");
    assert_eq!(build_bytes(&book, None), build_bytes(&book, None));
}

#[test]
fn a_copy_in_another_folder_gives_identical_bytes() {
    let a = TempBook::copy_of(&fixture("full-metadata"));
    let b = TempBook::copy_of(&fixture("full-metadata"));
    assert_eq!(build_bytes(&a.path(), None), build_bytes(&b.path(), None));
}

#[test]
fn source_date_epoch_fixes_the_timestamp() {
    let book = fixture("minimal");
    let first = build_bytes(&book, Some("1700000000"));
    assert_eq!(first, build_bytes(&book, Some("1700000000")));
    assert_ne!(first, build_bytes(&book, None));
    assert_ne!(first, build_bytes(&book, Some("1700000001")));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.epub");
    std::fs::write(&path, &first).unwrap();
    let epub = Epub::open(&path);
    assert!(
        epub.text("EPUB/package.opf")
            .contains(r#"<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>"#)
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(first)).unwrap();
    for i in 0..archive.len() {
        let file = archive.by_index(i).unwrap();
        let t = file.last_modified().unwrap();
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2023, 11, 14, 22, 13, 20),
            "{}",
            file.name().unwrap()
        );
        assert_eq!(file.unix_mode(), Some(0o100644), "{}", file.name().unwrap());
    }
}

#[test]
fn changing_the_manifest_date_changes_the_bytes() {
    let book = TempBook::copy_of(&fixture("full-metadata"));
    let before = build_bytes(&book.path(), None);
    let manifest = book.path().join("book.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("date = \"2025-03-14\"", "date = \"2025-03-15\""),
    )
    .unwrap();
    let after = build_bytes(&book.path(), None);
    assert_ne!(before, after);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.epub");
    std::fs::write(&path, &after).unwrap();
    assert!(
        Epub::open(&path)
            .text("EPUB/package.opf")
            .contains("2025-03-15T00:00:00Z")
    );
}

#[test]
fn a_bad_source_date_epoch_is_a_usage_error() {
    let output = bindery()
        .arg("build")
        .arg(fixture("minimal"))
        .arg("-o")
        .arg(tempfile::tempdir().unwrap().path().join("x.epub"))
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: SOURCE_DATE_EPOCH must be a whole number of seconds, found `yesterday`\n"
    );
}
