//! Rebuilds: `bindery watch`, and the cache that makes a rebuild cost
//! about what changed while giving the same bytes as a build from nothing.

use crate::support::{TempBook, assert_epubcheck_clean, bindery, fixture};
use bindery::{BuildCache, BuildOptions};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

fn options(output: &Path) -> BuildOptions {
    BuildOptions {
        output: Some(output.to_path_buf()),
        ..BuildOptions::default()
    }
}

fn first_chapter(book: &Path) -> std::path::PathBuf {
    let mut names: Vec<_> = std::fs::read_dir(book.join("chapters"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    names.sort();
    names.remove(1)
}

#[test]
fn a_rebuild_from_the_cache_is_the_same_as_a_build_from_nothing() {
    let book = TempBook::copy_of(&fixture("markdown"));
    let dir = book.path();
    let cached_out = dir.join("cached.epub");
    let fresh_out = dir.join("fresh.epub");
    let mut cache = BuildCache::default();
    let first = bindery::build_with_cache(&dir, &options(&cached_out), &mut cache).unwrap();
    assert_eq!(cache.rendered(), first.chapters);

    // Nothing changed: nothing is rendered again.
    bindery::build_with_cache(&dir, &options(&cached_out), &mut cache).unwrap();
    assert_eq!(cache.rendered(), 0);

    // One chapter's text: that chapter alone.
    let chapter = first_chapter(&dir);
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, format!("{text}\nOne more paragraph.\n")).unwrap();
    bindery::build_with_cache(&dir, &options(&cached_out), &mut cache).unwrap();
    assert_eq!(cache.rendered(), 1);
    bindery::build(&dir, &options(&fresh_out)).unwrap();
    assert_eq!(
        std::fs::read(&cached_out).unwrap(),
        std::fs::read(&fresh_out).unwrap()
    );

    // A new heading: the chapter alone, as the links to it from the two
    // others lead where they did.
    std::fs::write(&chapter, format!("{text}\n## A new section\n")).unwrap();
    bindery::build_with_cache(&dir, &options(&cached_out), &mut cache).unwrap();
    assert_eq!(cache.rendered_chapters(), ["chapters/01-extensions.md"]);
    bindery::build(&dir, &options(&fresh_out)).unwrap();
    assert_eq!(
        std::fs::read(&cached_out).unwrap(),
        std::fs::read(&fresh_out).unwrap()
    );

    // A new date stamps every entry: the bytes still match a fresh build.
    let stamped = |out: &Path| BuildOptions {
        source_date_epoch: Some(1_700_000_000),
        ..options(out)
    };
    bindery::build_with_cache(&dir, &stamped(&cached_out), &mut cache).unwrap();
    bindery::build(&dir, &stamped(&fresh_out)).unwrap();
    assert_eq!(
        std::fs::read(&cached_out).unwrap(),
        std::fs::read(&fresh_out).unwrap()
    );
    assert_epubcheck_clean(&cached_out);
}

/// A book of three chapters in a temporary folder, rebuilt from one cache
/// as it is edited: `1-a.md` has a footnote and an image, `2-b.md` links
/// to `1-a.md` (and to its section "More"), `3-c.md` links nowhere. Every
/// rebuild is checked against a build from nothing.
struct Rebuilds {
    dir: tempfile::TempDir,
    cache: BuildCache,
    /// The codes of the last rebuild's warnings.
    warnings: Vec<String>,
}

const RED: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\
                   <rect width=\"10\" height=\"10\" fill=\"red\"/></svg>\n";

impl Rebuilds {
    /// The book, with `manifest_extra` added to its `book.toml`; not built yet.
    fn new(manifest_extra: &str) -> Rebuilds {
        let rebuilds = Rebuilds {
            dir: tempfile::tempdir().unwrap(),
            cache: BuildCache::default(),
            warnings: Vec::new(),
        };
        rebuilds.write(
            "book.toml",
            &format!("[book]\ntitle = \"Rebuilds\"\nlanguage = \"en\"\n{manifest_extra}"),
        );
        rebuilds.write(
            "chapters/1-a.md",
            "# Alpha\n\nA first chapter.[^a]\n\n![A red square](../assets/square.svg)\n\n\
             ## More {#more}\n\nMore of it.\n\n[^a]: A note in Alpha.\n",
        );
        rebuilds.write(
            "chapters/2-b.md",
            "# Beta\n\nBack to [Alpha](1-a.md) and [more of it](1-a.md#more).[^b]\n\n\
             [^b]: A note in Beta, to [its own heading](#beta).\n",
        );
        rebuilds.write(
            "chapters/3-c.md",
            "# Gamma\n\nLinks nowhere.[^c]\n\n## Aside\n\nAn aside.\n\n[^c]: A note in Gamma.\n",
        );
        rebuilds.write("assets/square.svg", RED);
        rebuilds
    }

    fn book(&self) -> std::path::PathBuf {
        self.dir.path().join("book")
    }

    fn write(&self, file: &str, text: &str) {
        let path = self.book().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.book().join(file)).unwrap()
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert!(text.contains(from), "{file} has no `{from}`");
        self.write(file, &text.replacen(from, to, 1));
    }

    /// Builds with the cache and from nothing, checks that both give the
    /// same EPUB and the same warnings, and returns the chapters the
    /// cached build rendered.
    fn rebuild(&mut self) -> Vec<String> {
        let cached_out = self.dir.path().join("cached.epub");
        let fresh_out = self.dir.path().join("fresh.epub");
        let cached =
            bindery::build_with_cache(&self.book(), &options(&cached_out), &mut self.cache)
                .unwrap_or_else(|report| panic!("the rebuild failed: {:?}", report.diagnostics));
        let fresh = bindery::build(&self.book(), &options(&fresh_out)).unwrap();
        assert!(
            std::fs::read(&cached_out).unwrap() == std::fs::read(&fresh_out).unwrap(),
            "the rebuilt EPUB differs from a build from nothing"
        );
        assert_eq!(
            format!("{:?}", cached.report.diagnostics),
            format!("{:?}", fresh.report.diagnostics)
        );
        self.warnings = cached
            .report
            .diagnostics
            .iter()
            .map(|d| d.code.to_string())
            .collect();
        self.cache.rendered_chapters().to_vec()
    }

    /// Builds with the cache, which fails; returns the error codes.
    fn rebuild_fails(&mut self) -> Vec<String> {
        let out = self.dir.path().join("cached.epub");
        let report = bindery::build_with_cache(&self.book(), &options(&out), &mut self.cache)
            .expect_err("the rebuild should fail");
        report
            .diagnostics
            .into_iter()
            .map(|d| d.code.to_string())
            .collect()
    }
}

const A: &str = "chapters/1-a.md";
const B: &str = "chapters/2-b.md";
const C: &str = "chapters/3-c.md";
const D: &str = "chapters/4-d.md";

/// Edits a book in every way that matters to the cache, rebuilding after
/// each, and checks what was rendered again.
fn edit_and_rebuild(manifest_extra: &str) {
    let mut book = Rebuilds::new(manifest_extra);
    assert_eq!(book.rebuild(), [A, B, C], "the first build renders all");
    assert_eq!(book.rebuild(), [""; 0], "nothing changed");
    assert_epubcheck_clean(&book.dir.path().join("cached.epub"));

    // One chapter's text: that chapter alone.
    book.edit(A, "A first chapter.", "A first chapter, edited.");
    assert_eq!(book.rebuild(), [A]);

    // A new heading in Alpha, which Beta links to: Alpha alone, as Beta's
    // links lead where they did.
    book.edit(A, "More of it.\n", "More of it.\n\n## Even more\n\nYes.\n");
    assert_eq!(book.rebuild(), [A]);

    // Alpha's linked heading renamed, its id kept: Alpha alone, as Beta's
    // link leads where it did.
    book.edit(A, "## More {#more}", "## More still {#more}");
    assert_eq!(book.rebuild(), [A]);

    // A heading that nobody links to renamed: that chapter alone.
    book.edit(C, "## Aside", "## Beside");
    assert_eq!(book.rebuild(), [C]);

    // Beta now links to Gamma's new heading: Beta alone (Gamma is as it was).
    book.edit(B, "Back to", "See [the side](3-c.md#beside). Back to");
    assert_eq!(book.rebuild(), [B]);
    // … then Gamma's linked heading gets its id written out, the same id:
    // Gamma alone, as Beta's link leads where it did.
    book.edit(C, "## Beside", "## Beside {#beside}\n\n## 2. After");
    assert_eq!(book.rebuild(), [C]);
    // A link to a heading whose id is not its slug (`h-2-after`) …
    book.edit(B, "Back to", "See [after](3-c.md#2-after). Back to");
    assert_eq!(book.rebuild(), [B]);
    // … and an anchor written before the heading takes that id, so the
    // heading gets another: Gamma, and Beta, whose link now leads there.
    book.edit(C, "## 2. After", "<a id=\"h-2-after\"></a>\n\n## 2. After");
    assert_eq!(book.rebuild(), [B, C]);
    book.edit(B, "See [after](3-c.md#2-after). ", "");
    assert_eq!(book.rebuild(), [B]);

    // The manifest: every chapter.
    book.edit("book.toml", "title = \"Rebuilds\"", "title = \"Rebuilt\"");
    assert_eq!(book.rebuild(), [A, B, C]);

    // An image replaced: no chapter, and the new image in the EPUB.
    book.write("assets/square.svg", &RED.replace("red", "blue"));
    assert_eq!(book.rebuild(), [""; 0]);

    // A chapter added, then removed: the list of chapters changed, so all.
    book.write(
        D,
        "# Delta\n\nBack to [Beta](2-b.md).[^d]\n\n[^d]: A note in Delta.\n",
    );
    assert_eq!(book.rebuild(), [A, B, C, D]);
    std::fs::remove_file(book.book().join(D)).unwrap();
    assert_eq!(book.rebuild(), [A, B, C]);

    // The order changed (Gamma first): all.
    std::fs::rename(book.book().join(C), book.book().join("chapters/0-c.md")).unwrap();
    book.edit(B, "3-c.md#beside", "0-c.md#beside");
    assert_eq!(book.rebuild(), ["chapters/0-c.md", A, B]);
    std::fs::rename(book.book().join("chapters/0-c.md"), book.book().join(C)).unwrap();
    book.edit(B, "0-c.md#beside", "3-c.md#beside");
    assert_eq!(book.rebuild(), [A, B, C]);

    // A broken link fails the rebuild; fixing it renders that chapter alone.
    let good = book.read(B);
    book.edit(B, "Back to", "On to [Delta](4-d.md). Back to");
    assert_eq!(book.rebuild_fails(), ["B200"]);
    book.write(B, &good);
    assert_eq!(book.rebuild(), [B]);

    // The same broken link, fixed by writing the chapter it names: all.
    book.edit(B, "Back to", "On to [Delta](4-d.md). Back to");
    assert_eq!(book.rebuild_fails(), ["B200"]);
    book.write(D, "# Delta\n\nThe last.\n");
    assert_eq!(book.rebuild(), [A, B, C, D]);
    assert_epubcheck_clean(&book.dir.path().join("cached.epub"));
}

#[test]
fn a_rebuild_renders_only_the_chapters_an_edit_reaches() {
    edit_and_rebuild("");
}

#[test]
fn a_rebuild_with_the_notes_in_a_notes_chapter_is_the_same_as_a_build_from_nothing() {
    edit_and_rebuild("[notes]\nplacement = \"book\"\n");
}

/// With `broken-links = "warn"`, a chapter whose link did not resolve is
/// kept in the cache with its warning: it must be rendered again when the
/// link comes to resolve.
#[test]
fn a_link_that_failed_is_rendered_again_when_its_target_appears() {
    let mut book = Rebuilds::new("[markdown]\nbroken-links = \"warn\"\n");
    book.edit(
        B,
        "Back to",
        "See [later](1-a.md#later) and [Delta](4-d.md). Back to",
    );
    assert_eq!(book.rebuild(), [A, B, C]);
    assert_eq!(book.warnings, ["B201", "B200"]);
    assert_eq!(book.rebuild(), [""; 0]);
    assert_eq!(book.warnings, ["B201", "B200"], "the cache keeps them");

    // The missing section appears in Alpha: Alpha and Beta, whose warning goes.
    book.edit(A, "More of it.\n", "More of it.\n\n## Later\n\nNow.\n");
    assert_eq!(book.rebuild(), [A, B]);
    assert_eq!(book.warnings, ["B200"]);

    // The missing chapter appears: all (the list of chapters changed).
    book.write(D, "# Delta\n\nThe last.\n");
    assert_eq!(book.rebuild(), [A, B, C, D]);
    assert_eq!(book.warnings, [""; 0]);
}

/// With `broken-links = "warn"`, a missing image is written as its alt
/// text in the book's one rendering: the chapter must be rendered again
/// when the image appears, and when it goes again.
#[test]
fn a_chapter_is_rendered_again_when_its_missing_image_appears_or_goes() {
    let mut book = Rebuilds::new("[markdown]\nbroken-links = \"warn\"\n");
    let image = book.book().join("assets/square.svg");
    std::fs::remove_file(&image).unwrap();
    assert_eq!(book.rebuild(), [A, B, C]);
    assert_eq!(book.warnings, ["B102"]);
    assert_eq!(book.rebuild(), [""; 0]);
    assert_eq!(book.warnings, ["B102"], "the cache keeps the warning");

    book.write("assets/square.svg", RED);
    assert_eq!(book.rebuild(), [A], "the image appeared");
    assert_eq!(book.warnings, [""; 0]);

    std::fs::remove_file(&image).unwrap();
    assert_eq!(book.rebuild(), [A], "the image went");
    assert_eq!(book.warnings, ["B102"]);
}

/// The lines `bindery watch` writes to standard error, as they come.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

/// Waits for a line containing `needle`; the lines before it are returned.
fn wait_for(lines: &mpsc::Receiver<String>, needle: &str) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        match lines.recv_timeout(Duration::from_secs(120)) {
            Ok(line) if line.contains(needle) => {
                seen.push(line);
                return seen;
            }
            Ok(line) => seen.push(line),
            Err(_) => panic!("no line with `{needle}` after:\n{}", seen.join("\n")),
        }
    }
}

#[test]
fn watch_rebuilds_on_change_and_keeps_the_last_good_epub() {
    let book = TempBook::copy_of(&fixture("markdown"));
    let dir = book.path();
    let out = dir.join("build/watched.epub");
    let mut child = bindery()
        .args(["watch", ".", "-o", "build/watched.epub"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = lines_of(&mut child);
    let first = wait_for(&lines, "watching");
    assert!(
        first[0].starts_with("built build/watched.epub in "),
        "{first:?}"
    );

    let chapter = first_chapter(&dir);
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{text}\nA paragraph added while watching.\n"),
    )
    .unwrap();
    let rebuilt = wait_for(&lines, "rebuilt");
    assert!(rebuilt.last().unwrap().contains("(1 of "), "{rebuilt:?}");
    let good = std::fs::read(&out).unwrap();
    assert!(
        crate::support::Epub::open(&out)
            .files
            .values()
            .any(|data| String::from_utf8_lossy(data).contains("A paragraph added while watching.")),
    );

    // A broken link: the problem is printed, the EPUB stays, watching goes on.
    std::fs::write(&chapter, format!("{text}\n[broken](nowhere.md)\n")).unwrap();
    let failed = wait_for(&lines, "the build failed");
    assert!(
        failed.iter().any(|l| l.contains("error[B200]")),
        "{failed:?}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), good);

    std::fs::write(&chapter, &text).unwrap();
    wait_for(&lines, "rebuilt");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn watch_prints_only_the_problems_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path();
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Watched\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    std::fs::write(book.join("chapters/01.md"), "# One\n\nText.\n").unwrap();
    std::fs::write(book.join("chapters/02.md"), "# Two\n").unwrap();
    let mut child = bindery()
        .args(["watch", "."])
        .current_dir(book)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = lines_of(&mut child);
    let first = wait_for(&lines, "watching");
    assert!(
        first[0].starts_with("warning[B260]: the chapter has headings but no text"),
        "{first:?}"
    );

    // A change elsewhere: the warning is counted, not printed again.
    std::fs::write(book.join("chapters/01.md"), "# One\n\nMore text.\n").unwrap();
    let rebuilt = wait_for(&lines, "rebuilt");
    assert_eq!(rebuilt.len(), 1, "{rebuilt:?}");
    assert!(
        rebuilt[0].ends_with(" rendered); 1 problem as before"),
        "{rebuilt:?}"
    );

    // The chapter written: the warning is gone, and the line says so.
    std::fs::write(book.join("chapters/02.md"), "# Two\n\nWritten.\n").unwrap();
    let rebuilt = wait_for(&lines, "rebuilt");
    assert_eq!(rebuilt.len(), 1, "{rebuilt:?}");
    assert!(rebuilt[0].ends_with(" rendered); 1 fixed"), "{rebuilt:?}");

    // A new problem is printed in full.
    std::fs::write(book.join("chapters/01.md"), "# One\n").unwrap();
    let rebuilt = wait_for(&lines, "rebuilt");
    assert!(
        rebuilt[0].starts_with("warning[B260]: the chapter has headings but no text"),
        "{rebuilt:?}"
    );
    assert!(
        rebuilt.last().unwrap().ends_with(" rendered)"),
        "{rebuilt:?}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
