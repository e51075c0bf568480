//! Pathological books: each is built or refused with a clear error, with
//! bounded memory. A generous deadline guards against a hang; it is not a
//! measure of speed (the benchmarks are).

use crate::support::{Epub, assert_epubcheck_clean, bindery};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a finished command did.
struct Run {
    code: Option<i32>,
    stderr: String,
    /// Peak resident memory, in MiB.
    peak_mib: u64,
}

/// Runs `command` to its end (killing it after `deadline`), watching its
/// peak memory: the kernel's high-water mark of the process's resident
/// memory (`VmHWM`), read every few milliseconds until it exits. (The
/// resource usage `wait4` reports would include the memory of this test
/// process, which the child shares until it starts the program.)
fn run_measured(command: &mut Command, deadline: Duration) -> Run {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let status_file = format!("/proc/{}/status", child.id());
    let started = Instant::now();
    let mut peak_kib = 0;
    let status = loop {
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            })
        {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            panic!("still running after {deadline:?}: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Run {
        code: status.code(),
        stderr: reader.join().unwrap(),
        peak_mib: peak_kib / 1024,
    }
}

/// `bindery build BOOK -o OUT`, measured.
fn build_measured(book: &Path, out: &Path) -> Run {
    let mut run = run_measured(
        bindery().arg("build").arg(book).arg("-o").arg(out),
        DEADLINE,
    );
    run.stderr = from_the_book(&run.stderr, book);
    run
}

/// Messages with the files named from the book's folder, as they are when
/// bindery runs there: the tests compare them with the book's own paths.
fn from_the_book(stderr: &str, book: &Path) -> String {
    stderr.replace(&format!("{}/", book.display()), "")
}

fn write(path: &Path, text: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn book_with(dir: &Path, chapters: &[(&str, &[u8])]) {
    write(
        &dir.join("book.toml"),
        b"[book]\ntitle = \"Limits\"\nlanguage = \"en\"\ndate = \"2026-01-01\"\n",
    );
    for (name, text) in chapters {
        write(&dir.join("chapters").join(name), text);
    }
}

const DEADLINE: Duration = Duration::from_secs(240);
/// Far above what these books need, far below what unbounded work takes.
const MEMORY_MIB: u64 = 1024;

#[test]
fn a_chapter_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    book_with(&book, &[("01-one.md", b"# One\n")]);
    // 100 MB, sparse: the limit is checked before a byte is read.
    let huge = std::fs::File::create(book.join("chapters/02-huge.md")).unwrap();
    huge.set_len(100 * 1000 * 1000).unwrap();
    let run = build_measured(&book, &dir.path().join("o.epub"));
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "error[B113]: `chapters/02-huge.md` is 95.4 MiB, more than the 8.0 MiB bindery reads\n \
         --> chapters/02-huge.md\n  = help: split the text into several chapters of a few hundred KiB each; \
         reading systems are slow on large documents too\nerror: could not build `{}` (1 error)\n"
            .replace("{}", &book.display().to_string())
    );
    assert!(run.peak_mib < 64, "{} MiB", run.peak_mib);
    assert!(!dir.path().join("o.epub").exists());
}

#[test]
fn an_image_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    book_with(
        &book,
        &[("01-one.md", b"# One\n\n![A map](../assets/map.png)\n")],
    );
    std::fs::create_dir_all(book.join("assets")).unwrap();
    let huge = std::fs::File::create(book.join("assets/map.png")).unwrap();
    huge.set_len(300 * 1024 * 1024).unwrap();
    let run = build_measured(&book, &dir.path().join("o.epub"));
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with(
            "error[B113]: `assets/map.png` is 300.0 MiB, more than the 256.0 MiB bindery reads\n \
             --> chapters/01-one.md:3:1\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("= help: make the file smaller: scale the image down or subset the font\n")
    );
    assert!(run.peak_mib < 64, "{} MiB", run.peak_mib);
}

#[test]
fn deep_nesting_and_a_wide_table_build_valid_xhtml_keeping_every_level() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    let quotes = format!("# Quotes\n\n{} deep\n", ">".repeat(100_000));
    let lists = format!("# Lists\n\n{}deep\n", "- ".repeat(100_000));
    let row = |cell: &str| vec![cell; 50_000].join("|");
    let table = format!("# Table\n\n{}\n{}\n{}\n", row("h"), row("-"), row("c"));
    let emphasis = format!(
        "# Emphasis\n\n{}x{}\n",
        "*".repeat(50_000),
        "*".repeat(50_000)
    );
    let links = format!(
        "# Brackets\n\n{}x{}\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    book_with(
        &book,
        &[
            ("1-quotes.md", quotes.as_bytes()),
            ("2-lists.md", lists.as_bytes()),
            ("3-table.md", table.as_bytes()),
            ("4-emphasis.md", emphasis.as_bytes()),
            ("5-brackets.md", links.as_bytes()),
        ],
    );
    let out = dir.path().join("o.epub");
    let run = build_measured(&book, &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.peak_mib < MEMORY_MIB, "{} MiB", run.peak_mib);
    let epub = Epub::open(&out);
    let count = |name: &str, tag: &str| epub.text(name).matches(tag).count();
    assert_eq!(
        count("EPUB/text/001-1-quotes.xhtml", "<blockquote>"),
        100_000
    );
    assert_eq!(count("EPUB/text/002-2-lists.xhtml", "<ul>"), 100_000);
    assert_eq!(count("EPUB/text/003-3-table.xhtml", "<th>"), 50_000);
    assert_eq!(count("EPUB/text/003-3-table.xhtml", "<td>"), 50_000);
    assert_epubcheck_clean(&out);
}

#[test]
fn raw_html_nested_beyond_the_limit_is_refused_and_below_it_builds() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    let deep = format!("# Deep\n\nText.\n\n{}x\n", "<div>".repeat(100_000));
    let fine = format!(
        "# Fine\n\n{}x{}\n",
        "<div>".repeat(900),
        "</div>".repeat(900)
    );
    book_with(&book, &[("1-fine.md", fine.as_bytes())]);
    let out = dir.path().join("o.epub");
    let run = build_measured(&book, &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        Epub::open(&out)
            .text("EPUB/text/001-1-fine.xhtml")
            .matches("<div>")
            .count(),
        900
    );

    book_with(&book, &[("2-deep.md", deep.as_bytes())]);
    let run = build_measured(&book, &out);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with(
            "error[B209]: the chapter holds raw HTML and nests 100000 elements deep, \
             more than the 1000 bindery parses\n --> chapters/2-deep.md:5:1\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.peak_mib < MEMORY_MIB, "{} MiB", run.peak_mib);
}

#[test]
fn ten_thousand_chapters_build() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    write(
        &book.join("book.toml"),
        b"[book]\ntitle = \"Many\"\nlanguage = \"en\"\n",
    );
    for i in 1..=10_000 {
        write(
            &book.join(format!("chapters/{i:05}.md")),
            format!(
                "# Chapter {i}\n\nText of chapter {i}, see [the next](./{:05}.md).\n",
                i % 10_000 + 1
            )
            .as_bytes(),
        );
    }
    let out = dir.path().join("o.epub");
    let run = build_measured(&book, &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.peak_mib < MEMORY_MIB, "{} MiB", run.peak_mib);
    let epub = Epub::open(&out);
    let names = epub.xhtml_names();
    let chapters: Vec<&&str> = names
        .iter()
        .filter(|n| n.starts_with("EPUB/text/") && n.len() == "EPUB/text/00001-00001.xhtml".len())
        .collect();
    assert_eq!(chapters.len(), 10_000, "{:?}", &chapters[..3]);
    // bindery's own reading of the EPUB, cheaper than EPUBCheck on 10,000
    // documents, and the same checks of structure and links.
    let check = run_measured(bindery().arg("check").arg(&out), DEADLINE);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
}

/// A PNG whose header claims 100,000 × 100,000 pixels but holds almost
/// nothing: nothing may try to allocate its pixels.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    // One empty stored zlib block: no pixels at all.
    let zlib = [
        0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01,
    ];
    crate::large::png_from_chunks(width, height, 2, &zlib)
}

#[test]
fn an_image_claiming_a_huge_size_costs_nothing_to_build_or_publish() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    book_with(
        &book,
        &[("01.md", b"# One\n\n![A claim](../assets/huge.png)\n")],
    );
    write(
        &book.join("assets/huge.png"),
        &png_claiming(100_000, 100_000),
    );
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    write(
        &book.join("book.toml"),
        format!("{toml}cover = \"assets/huge.png\"\n").as_bytes(),
    );
    let site = dir.path().join("site");
    let run = run_measured(
        bindery().arg("site").arg(&book).arg("-o").arg(&site),
        DEADLINE,
    );
    assert!(run.peak_mib < 256, "{} MiB", run.peak_mib);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // The page shows the cover itself: no thumbnail could be made.
    let page = std::fs::read_to_string(site.join("index.html")).unwrap();
    let images: Vec<&str> = page
        .match_indices("<img ")
        .map(|(at, _)| &page[at..(at + 120).min(page.len())])
        .collect();
    assert!(
        !images.is_empty() && images.iter().all(|img| !img.contains("thumb")),
        "{images:?}"
    );
}

/// A chapter's images are streamed from disk into the EPUB: a book with
/// 144 MiB of images is built in a fraction of that, and each image is in
/// the EPUB byte for byte.
#[test]
fn images_are_streamed_into_the_epub_not_held_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    let mut chapter = String::from("# Pictures\n\n");
    let mut images = Vec::new();
    for i in 0..6u8 {
        // A PNG header, then 24 MiB that nothing but the zip looks at.
        let mut png = crate::large::png_from_chunks(4, 4, i, &[0x78, 0x01]);
        png.resize(24 << 20, i);
        let name = format!("assets/p{i}.png");
        write(&book.join(&name), &png);
        chapter.push_str(&format!("![Picture {i}](../{name})\n\n"));
        images.push((format!("EPUB/media/{name}"), png));
    }
    book_with(&book, &[("1-pictures.md", chapter.as_bytes())]);
    let out = dir.path().join("o.epub");
    let run = build_measured(&book, &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.peak_mib < 72, "{} MiB", run.peak_mib);
    let epub = Epub::open(&out);
    for (name, png) in &images {
        assert!(epub.files.get(name) == Some(png), "{name}");
    }
}

#[test]
fn includes_that_multiply_are_stopped_at_the_size_limit_naming_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    write(
        &book.join("book.toml"),
        b"[book]\ntitle = \"Includes\"\nlanguage = \"en\"\n",
    );
    write(&book.join("src/SUMMARY.md"), b"# Summary\n\n- [A](a.md)\n");
    // Each file includes the next a hundred times: a hundred million
    // copies of the last one if nothing stopped it.
    let times = |file: &str| format!("{{{{#include {file}}}}}\n").repeat(100);
    write(
        &book.join("src/a.md"),
        format!("# A\n\n{}", times("b.md")).as_bytes(),
    );
    write(&book.join("src/b.md"), times("c.md").as_bytes());
    write(&book.join("src/c.md"), times("d.md").as_bytes());
    write(&book.join("src/d.md"), "Words. ".repeat(20).as_bytes());
    // Under a cap on the address space, as well as measured: a build
    // that tried to hold the expansion would be stopped by the system.
    let out = dir.path().join("o.epub");
    let run = run_measured(
        Command::new("prlimit")
            .arg(format!("--as={}", 4u64 << 30))
            .arg(env!("CARGO_BIN_EXE_bindery"))
            .arg("build")
            .arg(&book)
            .arg("-o")
            .arg(&out)
            .env("NO_COLOR", "1"),
        DEADLINE,
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let run = Run {
        stderr: from_the_book(&run.stderr, &book),
        ..run
    };
    assert!(
        run.stderr.starts_with(
            "error[B183]: `src/a.md` with its includes comes to more than 8 MiB: \
             `src/a.md` → `src/b.md` → `src/c.md` → `src/d.md`\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> src/c.md:"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "= help: include less, or split the chapter: a chapter and everything it includes, \
             counting a file each time it is included, may hold 8 MiB\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.peak_mib < MEMORY_MIB / 4, "{} MiB", run.peak_mib);
    assert!(!out.exists());
}
