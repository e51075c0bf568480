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

/// Every way of writing a path that would leave the book, in every place
/// a path can be written, is refused with its own message, and nothing is
/// written. The book sits in a repository whose parent holds the secret.
#[test]
fn no_spelling_of_a_path_reaches_outside_the_root() {
    let outer = tempfile::tempdir().unwrap();
    write(&outer.path().join("secret.md"), b"# Secret\n");
    write(&outer.path().join("secret.png"), PNG);
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let book = repo.join("book");
    let cases: &[(&str, &str, &str)] = &[
        // (where, what is written, the start of the error)
        (
            "link",
            "[x](../../../secret.md)",
            "error[B204]: `../../../secret.md` points outside the book",
        ),
        (
            "link",
            "[x](%2e%2e/%2E%2E/%2e%2e/secret.md)",
            "error[B204]: `../../../secret.md` points outside the book",
        ),
        (
            "link",
            "[x](..%2F..%2F..%2Fsecret.md)",
            "error[B204]: `../../../secret.md` points outside the book",
        ),
        (
            "link",
            "[x](/etc/passwd)",
            "error[B204]: `/etc/passwd` is an absolute path",
        ),
        (
            "link",
            "[x](C:/Windows/win.ini)",
            "error[B204]: `C:/Windows/win.ini` is an absolute path",
        ),
        (
            "link",
            "[x](<\\\\\\\\server\\\\share\\\\x.md>)",
            "error[B204]: `\\\\server\\share\\x.md` is an absolute path",
        ),
        (
            "image",
            "![x](../../../secret.png)",
            "error[B204]: `../../../secret.png` points outside the book",
        ),
        (
            "image",
            "![x](%2E%2E/%2E%2E/%2E%2E/secret.png)",
            "error[B204]: `../../../secret.png` points outside the book",
        ),
        (
            "image",
            "![x](\u{2024}\u{2024}/\u{2024}\u{2024}/secret.png)",
            "error[B204]: `\u{2024}\u{2024}/\u{2024}\u{2024}/secret.png` holds the invisible or look-alike character U+2024",
        ),
        (
            "image",
            "![x](\u{FF0E}\u{FF0E}/secret.png)",
            "error[B204]: `\u{FF0E}\u{FF0E}/secret.png` holds the invisible or look-alike character U+FF0E",
        ),
        (
            "image",
            "![x](gnp.\u{202E}secret.png)",
            "error[B204]: `gnp.\\u{202e}secret.png` holds the invisible or look-alike character U+202E",
        ),
        (
            "raw html",
            "<img src=\"../../../secret.png\" alt=\"x\"/>",
            "error[B204]: `../../../secret.png` points outside the book",
        ),
        (
            "raw html",
            "<a href=\"../../../secret.md\">x</a>",
            "error[B204]: `../../../secret.md` points outside the book",
        ),
    ];
    let mut failures = Vec::new();
    for (i, (place, written, expected)) in cases.iter().enumerate() {
        let _ = std::fs::remove_dir_all(&book);
        write(
            &book.join("book.toml"),
            b"[book]\ntitle = \"T\"\nlanguage = \"en\"\n",
        );
        write(
            &book.join("chapters/01.md"),
            format!("# One\n\nText {written} here.\n").as_bytes(),
        );
        let out = outer.path().join(format!("o{i}.epub"));
        let (code, stderr) = build(&book, &out);
        if code != Some(1) || !stderr.starts_with(expected) || out.exists() {
            failures.push(format!(
                "{place} {written:?}: exit {code:?}, EPUB written: {}\n{stderr}",
                out.exists()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The manifest's paths are held to the same rules.
#[test]
fn manifest_paths_cannot_leave_the_book_either() {
    let outer = tempfile::tempdir().unwrap();
    write(&outer.path().join("secret.png"), PNG);
    let book = outer.path().join("book");
    let cases: &[(&str, &str)] = &[
        (
            "cover = \"../secret.png\"",
            "error[B103]: `../secret.png` points outside the book (EPUBCheck RSC-026)\n --> book.toml:4:9\n",
        ),
        (
            "cover = \"/etc/hostname\"",
            "error[B103]: `/etc/hostname` is an absolute path\n --> book.toml:4:9\n",
        ),
        (
            "cover = 'D:\\art\\cover.png'",
            "error[B103]: `D:\\art\\cover.png` is an absolute path\n --> book.toml:4:9\n",
        ),
        (
            "cover = \"assets/\u{200B}cover.png\"",
            "error[B103]: `assets/\\u{200b}cover.png` holds the invisible or look-alike character U+200B, which a path may not\n --> book.toml:4:9\n",
        ),
    ];
    let mut failures = Vec::new();
    for (line, expected) in cases {
        let _ = std::fs::remove_dir_all(&book);
        write(
            &book.join("book.toml"),
            format!("[book]\ntitle = \"T\"\nlanguage = \"en\"\n{line}\n").as_bytes(),
        );
        write(&book.join("chapters/01.md"), b"# One\n");
        let (code, stderr) = build(&book, &outer.path().join("o.epub"));
        if code != Some(1) || !stderr.starts_with(expected) {
            failures.push(format!("{line}: exit {code:?}\n{stderr}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
