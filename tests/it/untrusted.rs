//! Books and EPUBs from strangers: each test makes the hostile input
//! itself and asserts what the user sees (exit code, the message naming
//! the file) and that nothing outside the book was read, written or
//! deleted.

use crate::support::{Epub, TempBook, fixture as fixture_path, run_in, write_file};
use std::path::Path;

const MANIFEST: &str = "[book]\ntitle = \"Strange\"\nlanguage = \"en\"\ndate = \"2026-01-01\"\n";

/// A bindery book in `dir` with one chapter and `extra` after `[book]`.
fn native_book(dir: &Path, extra: &str) {
    write_file(
        &dir.join("book.toml"),
        format!("{MANIFEST}{extra}").as_bytes(),
    );
    write_file(&dir.join("chapters/01-one.md"), b"# One\n\nText.\n");
}

/// An mdBook in `dir` with one chapter and `extra` at the end of its
/// `book.toml`.
fn mdbook(dir: &Path, extra: &str) {
    write_file(
        &dir.join("book.toml"),
        format!("[book]\ntitle = \"Strange\"\nlanguage = \"en\"\n{extra}").as_bytes(),
    );
    write_file(
        &dir.join("src/SUMMARY.md"),
        b"# Summary\n\n- [One](one.md)\n",
    );
    write_file(&dir.join("src/one.md"), b"# One\n\nText.\n");
}

/// Stylesheet text that once made the reader of `url()`s cut a character
/// in two: non-ASCII before a `"`, an emoji, and a quoted `url(` left
/// open at the end of a line.
const NON_ASCII_CSS: &str = "p::after { content: \"»\"; }\n/* 😀 ünïcödé */\n\
                             h1::before { content: \"«\" }\nli { font-family: \"é\n}\n";

#[test]
fn a_stylesheet_with_non_ascii_text_builds_and_checks_in_both_kinds_of_book() {
    let dir = tempfile::tempdir().unwrap();
    let native = dir.path().join("native");
    native_book(&native, "[style]\ncss = [\"assets/style.css\"]\n");
    write_file(&native.join("assets/style.css"), NON_ASCII_CSS.as_bytes());
    let md = dir.path().join("md");
    mdbook(
        &md,
        "[output.html]\nadditional-css = [\"theme/extra.css\"]\n",
    );
    write_file(&md.join("theme/extra.css"), NON_ASCII_CSS.as_bytes());
    for book in [&native, &md] {
        let built = run_in(book, &["build", "-o", "out.epub"]);
        assert_eq!(built.code, Some(0), "{}", built.stderr);
        let epub = Epub::open(&book.join("out.epub"));
        let css = epub
            .files
            .iter()
            .find(|(name, data)| {
                name.ends_with(".css") && data.windows(2).any(|w| w == "»".as_bytes())
            })
            .map(|(name, _)| name.clone());
        assert!(css.is_some(), "no stylesheet keeps `»`: {:?}", epub.names);
        let checked = run_in(book, &["check"]);
        assert_eq!(checked.code, Some(0), "{}", checked.stderr);
    }
}

/// A preprocessor that leaves a mark outside the book when it runs at all
/// (its `supports` call included).
fn book_whose_preprocessor_marks(dir: &Path, mark: &Path) {
    mdbook(
        dir,
        &format!(
            "\n[preprocessor.evil]\ncommand = \"sh -c 'touch {}'\"\n\n[output.html]\n\n\
             [output.bindery]\noptional = true\npreprocessors = true\n",
            mark.display()
        ),
    );
}

#[test]
fn a_book_cannot_allow_its_own_preprocessors_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    let mark = dir.path().join("ran");
    book_whose_preprocessor_marks(&book, &mark);
    for args in [
        &["build", "-o", "out.epub"][..],
        &["check"],
        &["site", "-o", "site"],
    ] {
        let run = run_in(&book, args);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        assert!(!mark.exists(), "{args:?} ran the book's preprocessor");
        assert!(
            run.stderr.contains(
                "warning[B182]: the book asks to run its preprocessors, which only the person running bindery can allow\n  \
                 --> book.toml:12:17\n"
            ),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(
                "= help: if you trust the programs it names, build with `--preprocessors`, or set \
                 BINDERY_PREPROCESSORS=1; `preprocessors = true` in book.toml is not read\n"
            ),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("warning[B177]: the preprocessor `evil` is not run"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn the_user_allows_preprocessors_on_the_command_line_or_in_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    let mark = dir.path().join("ran");
    book_whose_preprocessor_marks(&book, &mark);
    let flag = run_in(&book, &["build", "--preprocessors", "-o", "out.epub"]);
    assert!(mark.exists(), "{}", flag.stderr);
    assert!(!flag.stderr.contains("B182"), "{}", flag.stderr);
    std::fs::remove_file(&mark).unwrap();
    let output = crate::support::bindery()
        .args(["build", "-o", "out.epub"])
        .env("BINDERY_PREPROCESSORS", "1")
        .current_dir(&book)
        .output()
        .unwrap();
    assert!(mark.exists(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[cfg(unix)]
#[test]
fn a_book_toml_that_links_outside_the_book_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    // Invalid TOML, whose line an error message would quote.
    let secret = dir.path().join("secret.toml");
    write_file(&secret, b"[book]\ntitle = \"T\"\ntoken = hunter2\n");
    for target in [secret.as_path(), Path::new("/proc/self/environ")] {
        let book = dir.path().join("book");
        let _ = std::fs::remove_dir_all(&book);
        write_file(&book.join("chapters/01-one.md"), b"# One\n");
        std::os::unix::fs::symlink(target, book.join("book.toml")).unwrap();
        for args in [&["build", "-o", "out.epub"][..], &["check"]] {
            let output = crate::support::bindery()
                .args(args)
                .env("BINDERY_TEST_SECRET", "hunter2")
                .current_dir(&book)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{stderr}");
            assert!(!stderr.contains("hunter2"), "{stderr}");
            assert!(
                stderr.starts_with(
                    "error[B103]: `book.toml` points outside the book\n --> book.toml\n  \
                     = help: it is a symbolic link to a file outside the book's folder (or its repository), \
                     which bindery never reads: put the file itself there\n"
                ),
                "{stderr}"
            );
            assert!(!book.join("out.epub").exists());
        }
    }
}

/// Characters a terminal obeys rather than shows.
fn obeyed_by_a_terminal(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| (c.is_control() && c != '\n') || ('\u{202A}'..='\u{202E}').contains(&c))
        .collect()
}

#[test]
fn terminal_escapes_from_a_book_are_shown_escaped_in_every_message_format() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    // A key that writes the clipboard (OSC 52) and clears the screen.
    native_book(&book, "\"x\\u001b]52;c;ZXZpbA==\\u0007\\u001b[2J\" = 1\n");
    let human = run_in(&book, &["build", "-o", "out.epub"]);
    assert_eq!(human.code, Some(1), "{}", human.stderr);
    assert!(
        obeyed_by_a_terminal(&human.stderr).is_empty(),
        "{}",
        human.stderr
    );
    assert!(
        human.stderr.contains(
            "error[B003]: unknown key `x\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{1b}[2J` in [book]"
        ),
        "{}",
        human.stderr
    );
    for format in ["json", "github", "sarif"] {
        let output = crate::support::bindery()
            .args(["build", "-o", "out.epub", "--message-format", format])
            .current_dir(&book)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{format}: {stdout}");
        assert!(
            obeyed_by_a_terminal(&stdout).is_empty(),
            "{format}: {stdout}"
        );
        assert!(stdout.contains("]52;c;ZXZpbA=="), "{format}: {stdout}");
    }

    // A line quoted under a message: each such character is shown as one
    // that can be seen, so the caret still points at the link.
    native_book(&book, "");
    write_file(
        &book.join("chapters/01-one.md"),
        "# One\n\n\u{1b}[2J [here](#a\u{202E}b)\n".as_bytes(),
    );
    let human = run_in(&book, &["build", "-o", "out.epub"]);
    assert_eq!(human.code, Some(1), "{}", human.stderr);
    assert!(
        obeyed_by_a_terminal(&human.stderr).is_empty(),
        "{}",
        human.stderr
    );
    assert!(
        human
            .stderr
            .contains("3 | ␛[2J [here](#a\u{FFFD}b)\n  |      ^^^^^^^^^^^^\n"),
        "{}",
        human.stderr
    );
}

/// The files in `dir` and what they hold, to show that nothing in it
/// changed.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            let data = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), data)
        })
        .collect();
    files.sort();
    files
}

#[cfg(unix)]
#[test]
fn no_symbolic_link_inside_the_book_takes_the_default_output_elsewhere() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    // What the book's links point at: a folder holding a file named like
    // the EPUB, and one named like a temporary file a killed build left.
    let victim = dir.path().join("victim");
    write_file(&victim.join("strange.epub"), b"precious");
    write_file(
        &victim.join(".strange.epub.999999.abcdef.tmp"),
        b"precious too",
    );
    write_file(&victim.join("index.html"), b"<p>precious</p>");
    write_file(&victim.join("SHA256SUMS"), b"precious sums\n");
    let before = snapshot(&victim);
    let book = dir.path().join("book");
    native_book(&book, "");

    // `build` itself is a link.
    symlink(&victim, book.join("build")).unwrap();
    for args in [&["build"][..], &["build", "--checksums"], &["site"]] {
        let run = run_in(&book, args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(
                "error[B302]: `./build` is a symbolic link inside the book: bindery does not write through it\n  \
                 = help: remove the link, or name the output with `-o FILE` (a link given there is followed)\n"
            ),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(snapshot(&victim), before, "{args:?}");
    }

    // `build` is a folder, but the EPUB, the checksums or the site in it
    // are links.
    std::fs::remove_file(book.join("build")).unwrap();
    std::fs::create_dir(book.join("build")).unwrap();
    symlink(victim.join("strange.epub"), book.join("build/strange.epub")).unwrap();
    let run = run_in(&book, &["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error[B302]: `./build/strange.epub` is a symbolic link"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(book.join("build/strange.epub")).unwrap();
    symlink(victim.join("SHA256SUMS"), book.join("build/SHA256SUMS")).unwrap();
    let run = run_in(&book, &["build", "--checksums"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "SHA256SUMS`: it is a symbolic link, which bindery neither reads nor writes through"
        ),
        "{}",
        run.stderr
    );
    std::fs::create_dir(book.join("build/site")).unwrap();
    symlink(
        victim.join("index.html"),
        book.join("build/site/index.html"),
    )
    .unwrap();
    let run = run_in(&book, &["site"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[B302]: `./build/site/index.html` is a symbolic link inside the book"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&victim), before);

    // A link the user names with `-o` is followed: their own choice.
    let run = run_in(&book, &["build", "-o", "build/site/index.html"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        std::fs::read(victim.join("index.html"))
            .unwrap()
            .starts_with(b"PK")
    );
}

#[test]
fn only_bindery_s_own_temporary_files_are_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    native_book(&book, "");
    let build = book.join("build");
    // Named as the temporary files of builds that were killed (no process
    // has a number that high): one empty, one begun as bindery begins an
    // EPUB and one holding that beginning's first header alone are
    // bindery's; one of the same name holding anything else is not.
    let mut begun = b"PK\x03\x04\x0a\x00\x00\x00\x00\x00\x00\x00\x21\x00\x6f\x61\xab\x2d\x14\x00\x00\x00\x14\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/epub+zip".to_vec();
    begun.extend_from_slice(b"PK\x03\x04 and more");
    write_file(&build.join(".strange.epub.4194304999.aaaaaa.tmp"), b"");
    write_file(&build.join(".strange.epub.4194304999.bbbbbb.tmp"), &begun);
    // Killed after the first header was flushed and before its content.
    let header_only = &begun[..38];
    write_file(
        &build.join(".strange.epub.4194304999.eeeeee.tmp"),
        header_only,
    );
    // The same header, followed by something else.
    let mut other = header_only.to_vec();
    other.extend_from_slice(b"text/plain");
    write_file(&build.join(".strange.epub.4194304999.ffffff.tmp"), &other);
    write_file(
        &build.join(".strange.epub.4194304999.cccccc.tmp"),
        b"someone's notes",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("elsewhere"),
        build.join(".strange.epub.4194304999.dddddd.tmp"),
    )
    .unwrap();
    let run = run_in(&book, &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let left: Vec<String> = snapshot(&build).into_iter().map(|(name, _)| name).collect();
    let mut expected = vec![
        ".strange.epub.4194304999.cccccc.tmp",
        ".strange.epub.4194304999.ffffff.tmp",
        "strange.epub",
    ];
    if cfg!(unix) {
        expected.insert(1, ".strange.epub.4194304999.dddddd.tmp");
    }
    assert_eq!(left, expected);
}

#[test]
fn an_output_that_is_one_of_the_book_s_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    native_book(&book, "[style]\ncss = [\"assets/style.css\"]\n");
    write_file(&book.join("assets/style.css"), b"p { margin: 0 }\n");
    for (output, shown) in [
        ("chapters/01-one.md", "chapters/01-one.md"),
        ("book.toml", "book.toml"),
        ("assets/style.css", "assets/style.css"),
        ("chapters/../book.toml", "chapters/../book.toml"),
    ] {
        let before = std::fs::read(book.join(output)).unwrap();
        let run = run_in(&book, &["build", "-o", output]);
        assert_eq!(run.code, Some(1), "{output}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "error[B303]: `{shown}` is a file of the book, which the output would replace\n  \
                 = help: write elsewhere with `-o`, such as `bindery build -o build/book.epub` or `bindery site -o build/site`\n\
                 error: could not build `.` (1 error)\n"
            )
        );
        assert_eq!(std::fs::read(book.join(output)).unwrap(), before);
    }
    // The download page's files are outputs too: its stylesheet is not
    // written over the book's.
    let before = std::fs::read(book.join("assets/style.css")).unwrap();
    let run = run_in(&book, &["site", "-o", "assets"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error[B303]: `assets/style.css` is a file of the book, which the output would replace\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(book.join("assets/style.css")).unwrap(),
        before
    );
}

/// Every file below `dir`, with what it holds, by its path from `dir`.
fn files_below(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap()) {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                folders.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap();
                let name = name.to_string_lossy().replace('\\', "/");
                files.push((name, std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    files.sort();
    files
}

/// Every file a book is made of, named with `-o`, is refused, in a book of
/// each kind: chapters, `SUMMARY.md`, included listings, images, the
/// cover, the author's stylesheet, `book.toml`. (A file the book does not
/// read, such as an mdBook's chapter left out of `SUMMARY.md`, is not one
/// of them, and is not tried.)
#[test]
fn every_file_the_book_is_made_of_is_refused_as_the_output() {
    for (fixture, unread) in [
        ("mdbook", vec!["src/unlisted.md"]),
        ("full-metadata", vec![]),
    ] {
        let book = TempBook::copy_of(&fixture_path(fixture));
        let files = files_below(&book.path());
        assert!(files.len() > 10, "{fixture}: {files:?}");
        for (name, _) in &files {
            if unread.contains(&name.as_str()) {
                continue;
            }
            let run = run_in(&book.path(), &["build", "-o", name]);
            assert_eq!(run.code, Some(1), "{fixture}, {name}: {}", run.stderr);
            let refused = format!(
                "error[B303]: `{name}` is a file of the book, which the output would replace\n"
            );
            assert!(
                run.stderr.contains(&refused),
                "{fixture}, {name}: {}",
                run.stderr
            );
        }
        let after = files_below(&book.path());
        let changed: Vec<&String> = after
            .iter()
            .filter(|file| !files.contains(file))
            .map(|(name, _)| name)
            .collect();
        assert!(
            changed.is_empty(),
            "{fixture}: {changed:?} changed or appeared"
        );
    }
}

/// Other paths to a file of the book are refused too: through `..`, from
/// outside the book, absolute, through a symbolic link or a hard link
/// outside the book.
#[test]
fn a_file_of_the_book_is_refused_as_the_output_by_any_path() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    mdbook(&book, "");
    write_file(
        &book.join("src/one.md"),
        b"# One\n\n```rust\n{{#include ../listings/main.rs}}\n```\n",
    );
    write_file(&book.join("listings/main.rs"), b"fn main() {}\n");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::hard_link(book.join("src/SUMMARY.md"), elsewhere.join("hard.epub")).unwrap();
    let absolute = book.join("listings/main.rs").to_string_lossy().into_owned();
    let mut outputs = vec![
        (book.clone(), "../book/book.toml".to_string()),
        (book.clone(), "./src/../src/one.md".to_string()),
        (book.clone(), "src//SUMMARY.md".to_string()),
        (book.clone(), absolute),
        (
            dir.path().to_path_buf(),
            "book/listings/main.rs".to_string(),
        ),
        (book.clone(), "../elsewhere/hard.epub".to_string()),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(book.join("src/one.md"), elsewhere.join("link.epub")).unwrap();
        std::os::unix::fs::symlink("src/one.md", book.join("build.epub")).unwrap();
        outputs.push((book.clone(), "../elsewhere/link.epub".to_string()));
        outputs.push((book.clone(), "build.epub".to_string()));
    }
    let before = files_below(&book);
    for (at, output) in &outputs {
        let mut args = vec!["build", "-o", output.as_str()];
        if at != &book {
            args.insert(1, "book");
        }
        let run = run_in(at, &args);
        assert_eq!(run.code, Some(1), "{output}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!(
                "error[B303]: `{output}` is a file of the book, which the output would replace\n"
            )),
            "{output}: {}",
            run.stderr
        );
    }
    assert_eq!(files_below(&book), before);
}

#[test]
fn a_very_long_title_gives_a_shortened_file_name_that_is_stable_and_distinct() {
    let dir = tempfile::tempdir().unwrap();
    for (title, start) in [
        ("A".repeat(232), "a".repeat(91)),
        ("漢".repeat(90), "漢".repeat(30)),
    ] {
        let book = dir.path().join("book");
        let _ = std::fs::remove_dir_all(&book);
        write_file(
            &book.join("book.toml"),
            format!("[book]\ntitle = \"{title}\"\nlanguage = \"en\"\n").as_bytes(),
        );
        write_file(&book.join("chapters/01-one.md"), b"# One\n");
        let run = run_in(&book, &["build"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let names: Vec<String> = snapshot(&book.join("build"))
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].starts_with(&format!("{start}-")), "{names:?}");
        assert!(names[0].len() <= 105, "{names:?}");
        let again = run_in(&book, &["build"]);
        assert_eq!(again.code, Some(0), "{}", again.stderr);
        let after: Vec<String> = snapshot(&book.join("build"))
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(after, names);
    }
}

#[cfg(unix)]
#[test]
fn files_in_chapters_that_cannot_be_chapters_are_named_not_skipped_silently() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    native_book(&book, "");
    let chapters = book.join("chapters");
    let fifo = std::process::Command::new("mkfifo")
        .arg(chapters.join("02-pipe.md"))
        .status()
        .unwrap();
    assert!(fifo.success());
    std::fs::create_dir(chapters.join("03-folder.md")).unwrap();
    write_file(&chapters.join("04-\u{7}\u{1b}[2Jbell.md"), b"# Bell\n");
    write_file(
        &chapters.join(std::ffi::OsStr::from_bytes(b"05-latin1-\xe9.md")),
        b"# Latin\n",
    );
    let run = run_in(&book, &["build", "-o", "out.epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let help = "  = help: give a chapter a name of letters, digits and `-` ending in `.md`, \
                as a file; or move it out of `chapters/`\n";
    for (file, why) in [
        (
            "chapters/02-pipe.md",
            "it is not a regular file but a named pipe, a socket or a device",
        ),
        ("chapters/03-folder.md", "it is a folder"),
        (
            "chapters/04-\\u{7}\\u{1b}[2Jbell.md",
            "its name holds U+0007, a control, invisible or look-alike character",
        ),
        ("chapters/05-latin1-\u{FFFD}.md", "its name is not UTF-8"),
    ] {
        let expected =
            format!("warning[B115]: `{file}` is not read as a chapter: {why}\n --> {file}\n{help}");
        assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    }
    assert!(
        obeyed_by_a_terminal(&run.stderr).is_empty(),
        "{}",
        run.stderr
    );
    let epub = Epub::open(&book.join("out.epub"));
    let chapters: Vec<&String> = epub
        .names
        .iter()
        .filter(|n| n.starts_with("EPUB/text/0"))
        .collect();
    assert_eq!(chapters.len(), 1, "{chapters:?}");
}

#[cfg(unix)]
#[test]
fn a_folder_name_from_a_pattern_is_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J";
    let book = dir.path().join("books").join(name);
    native_book(&book, "");
    // A broken link: the book fails, and the line saying so names it.
    write_file(
        &book.join("chapters/01-one.md"),
        b"# One\n\n[x](#nowhere)\n",
    );
    let run = run_in(dir.path(), &["build", "books/*"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        obeyed_by_a_terminal(&run.stderr).is_empty(),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("books/x\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{1b}[2J"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_named_pipe_is_refused_without_waiting_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    native_book(&book, "");
    let pipe = dir.path().join("pipe.epub");
    mkfifo(&pipe);
    let pipe = pipe.to_string_lossy().into_owned();
    let run = run_unless_it_waits(&book, &["build", "-o", &pipe]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "error[B300]: cannot write `{pipe}`: it is not a regular file but a named pipe, a socket or a device\n  \
             = help: name a file with `-o`, such as `-o build/book.epub`: only a file is replaced\n\
             error: could not build `.` (1 error)\n"
        )
    );
}

/// Makes a named pipe at `path`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.unwrap().success(), "mkfifo {}", path.display());
}

/// Runs bindery in `dir`, killing it if it has not ended after two
/// minutes: opening a named pipe would wait for a writer forever. The
/// deadline guards against that; it measures nothing.
#[cfg(unix)]
fn run_unless_it_waits(dir: &Path, args: &[&str]) -> crate::support::Ran {
    let mut child = crate::support::bindery()
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read standard error as it comes, so that a long message never
    // blocks the child on a full pipe.
    let mut stream = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stream, &mut text).unwrap();
        text
    });
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("bindery {args:?} waits on a named pipe");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    crate::support::Ran {
        code: status.code(),
        stderr: reader.join().unwrap(),
    }
}

/// A file the book names that is a named pipe or a folder, in any of the
/// places a book names files, is an error naming it, at once: it is never
/// opened, which for a pipe would wait forever.
#[cfg(unix)]
#[test]
fn a_named_pipe_or_a_folder_named_by_the_book_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let native = dir.path().join("native");
    native_book(
        &native,
        "cover = \"assets/cover.png\"\n[style]\ncss = [\"assets/style.css\"]\n\n\
         [[chapters]]\nfile = \"chapters/01-one.md\"\n\n\
         [[chapters]]\nfile = \"chapters/02-pipe.md\"\n\n\
         [[chapters]]\nfile = \"chapters/03-folder.md\"\n",
    );
    mkfifo(&native.join("chapters/02-pipe.md"));
    std::fs::create_dir_all(native.join("chapters/03-folder.md")).unwrap();
    std::fs::create_dir_all(native.join("assets")).unwrap();
    mkfifo(&native.join("assets/cover.png"));
    mkfifo(&native.join("assets/style.css"));
    let md = dir.path().join("md");
    mdbook(&md, "");
    write_file(
        &md.join("src/SUMMARY.md"),
        b"# Summary\n\n- [One](one.md)\n- [Pipe](pipe.md)\n",
    );
    write_file(&md.join("src/one.md"), b"# One\n\n{{#include notes.md}}\n");
    mkfifo(&md.join("src/pipe.md"));
    mkfifo(&md.join("src/notes.md"));
    // The two files that say what kind of book a folder holds.
    let no_manifest = dir.path().join("no-manifest");
    native_book(&no_manifest, "");
    std::fs::remove_file(no_manifest.join("book.toml")).unwrap();
    mkfifo(&no_manifest.join("book.toml"));
    let no_summary = dir.path().join("no-summary");
    mdbook(&no_summary, "");
    std::fs::remove_file(no_summary.join("src/SUMMARY.md")).unwrap();
    mkfifo(&no_summary.join("src/SUMMARY.md"));
    for (book, expected) in [
        (
            &no_manifest,
            &["error[B101]: `book.toml` is not a file\n"][..],
        ),
        (
            &no_summary,
            &["error[B101]: `src/SUMMARY.md` is not a file\n"][..],
        ),
        (
            &native,
            &[
                "error[B101]: `chapters/02-pipe.md` is not a file\n",
                "error[B101]: `chapters/03-folder.md` is not a file\n",
                "error[B101]: `assets/cover.png` is not a file\n",
                "error[B101]: `assets/style.css` is not a file\n",
            ][..],
        ),
        (
            &md,
            &[
                "error[B101]: `src/pipe.md` is not a file\n",
                "error[B170]: cannot include `notes.md`: it is not a file\n",
            ][..],
        ),
    ] {
        for command in ["build", "check"] {
            let run = run_unless_it_waits(book, &[command]);
            assert_eq!(run.code, Some(1), "{command}: {}", run.stderr);
            for message in expected {
                assert!(
                    run.stderr.contains(message),
                    "{command}: {message}\n{}",
                    run.stderr
                );
            }
        }
    }
}
