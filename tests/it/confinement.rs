//! Paths stay inside the book's root: its folder, or the repository
//! that holds it.

use crate::books::check_epub_structure;
use crate::support::{Epub, assert_epubcheck_clean, bindery};
use std::path::Path;

fn write(path: &Path, text: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn build(book: &Path, out: &Path) -> (Option<i32>, String) {
    let output = bindery()
        .arg("build")
        .arg(".")
        .arg("-o")
        .arg(out)
        .current_dir(book)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const PNG: &[u8] = include_bytes!("../books/full-metadata/chapters/figures/text-block.png");

#[test]
fn a_book_in_a_repository_may_use_files_from_elsewhere_in_it() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let book = repo.path().join("docs/guide");
    write(
        &book.join("book.toml"),
        b"[book]\ntitle = \"Shared\"\nlanguage = \"en\"\n[[chapters]]\nfile = \"../../shared/intro.md\"\n",
    );
    write(
        &repo.path().join("shared/intro.md"),
        b"# Intro\n\n![A shared figure](pics/fig.png)\n",
    );
    write(&repo.path().join("shared/pics/fig.png"), PNG);
    let out = repo.path().join("out.epub");
    let (code, stderr) = build(&book, &out);
    assert_eq!(code, Some(0), "{stderr}");
    let epub = Epub::open(&out);
    assert!(
        epub.files
            .contains_key("EPUB/media/_2E_2E/_2E_2E/shared/pics/fig.png"),
        "{:?}",
        epub.names
    );
    check_epub_structure(&epub);
    assert_epubcheck_clean(&out);
}

#[test]
fn nothing_beyond_the_repository_is_reached() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(&outer.path().join("secret.md"), b"# Secret\n");
    write(
        &repo.join("book/book.toml"),
        b"[book]\ntitle = \"T\"\nlanguage = \"en\"\n[[chapters]]\nfile = \"../../secret.md\"\n",
    );
    let (code, stderr) = build(&repo.join("book"), &outer.path().join("o.epub"));
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with(
            "error[B103]: `../../secret.md` points outside the book (EPUBCheck RSC-026)\n --> book.toml:5:8\n"
        ),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_book_is_refused() {
    let outer = tempfile::tempdir().unwrap();
    write(&outer.path().join("secret.md"), b"# Secret\n");
    let book = outer.path().join("book");
    write(
        &book.join("book.toml"),
        b"[book]\ntitle = \"T\"\nlanguage = \"en\"\n",
    );
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::os::unix::fs::symlink(outer.path().join("secret.md"), book.join("chapters/01.md"))
        .unwrap();
    write(
        &book.join("chapters/02.md"),
        b"# Two\n\n![x](../assets/link.png)\n",
    );
    std::fs::create_dir_all(book.join("assets")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", book.join("assets/link.png")).unwrap();
    let (code, stderr) = build(&book, &outer.path().join("o.epub"));
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with(
            "error[B103]: `chapters/01.md` points outside the book (EPUBCheck RSC-026)\n --> chapters/01.md\n"
        ),
        "{stderr}"
    );
    // With the chapter gone, the image is the next thing refused.
    std::fs::remove_file(book.join("chapters/01.md")).unwrap();
    let (code, stderr) = build(&book, &outer.path().join("o.epub"));
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with(
            "error[B103]: `assets/link.png` points outside the book (EPUBCheck RSC-026)\n --> chapters/02.md:3:1\n"
        ),
        "{stderr}"
    );
}

#[test]
fn byte_order_marks_and_crlf_line_ends_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    write(
        &book.join("book.toml"),
        b"\xEF\xBB\xBF[book]\r\ntitle = \"CRLF\"\r\nlanguage = \"en\"\r\n",
    );
    write(
        &book.join("chapters/01.md"),
        b"\xEF\xBB\xBF# Windows\r\n\r\nLine one\r\nline two\r\n",
    );
    let out = dir.path().join("o.epub");
    let (code, stderr) = build(&book, &out);
    assert_eq!(code, Some(0), "{stderr}");
    let epub = Epub::open(&out);
    let chapter = epub.text("EPUB/text/001-01.xhtml");
    assert!(
        chapter.contains("<h1 id=\"windows\">Windows</h1>\n<p>Line one\nline two</p>"),
        "{chapter}"
    );
    assert!(!chapter.contains('\u{FEFF}') && !chapter.contains('\r'));
}
