//! Catalogue builds: `bindery build DIR...` (or a pattern) builds many
//! books in one run, in parallel, and reports each book in the order given.

use crate::support::{bindery, copy_dir, fixture};
use std::path::{Path, PathBuf};
use std::process::Output;

/// A folder of books, `books/<name>`, to run `bindery build` in.
struct Shelf {
    dir: tempfile::TempDir,
}

impl Shelf {
    fn new() -> Shelf {
        Shelf {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Adds a copy of a fixture as `books/<name>`.
    fn add(&self, name: &str, fixture_name: &str) -> &Shelf {
        copy_dir(&fixture(fixture_name), &self.path(&format!("books/{name}")));
        self
    }

    /// Adds the minimal book with a different `book.toml`.
    fn add_with_manifest(&self, name: &str, manifest: &str) -> &Shelf {
        self.add(name, "minimal");
        std::fs::write(self.path(&format!("books/{name}/book.toml")), manifest).unwrap();
        self
    }

    /// Runs `bindery build` in the shelf's folder.
    fn build(&self, args: &[&str]) -> Output {
        bindery()
            .arg("build")
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    /// Builds one book alone, into a file of its own, and returns its bytes.
    fn build_alone(&self, book: &str) -> Vec<u8> {
        let out = self.path("alone.epub");
        let output = self.build(&[book, "-o", out.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let bytes = std::fs::read(&out).unwrap();
        std::fs::remove_file(&out).unwrap();
        bytes
    }
}

const BROKEN: &str = "[book]\ntitle = \"Broken\"\ntitel = \"Broken\"\nlanguage = \"en\"\n";
const MINIMAL_EPUB: &str = "build/a-minimal-book.epub";
const FULL_EPUB: &str = "build/the-binder-s-companion.epub";

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Stderr with the sizes in `wrote` lines left out: they change whenever
/// the renderer does.
fn without_sizes(text: &str) -> String {
    text.lines()
        .map(
            |line| match (line.starts_with("wrote "), line.rfind(", ")) {
                (true, Some(at)) => format!("{}, …)", &line[..at]),
                _ => line.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_broken_book_fails_alone_and_the_others_are_written_as_if_built_alone() {
    let shelf = Shelf::new();
    shelf
        .add("a", "minimal")
        .add_with_manifest("b", BROKEN)
        .add("c", "full-metadata");
    let output = shelf.build(&["books/a", "books/b", "books/c"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(
        without_sizes(&text),
        "wrote books/a/build/a-minimal-book.epub from books/a (1 chapter, …)\n\
         error[B003]: unknown key `titel` in [book]\n \
         --> books/b/book.toml:3:1\n  \
         |\n\
         3 | titel = \"Broken\"\n  \
         | ^^^^^\n  \
         = help: did you mean `title`?\n\
         error: could not build `books/b` (1 error)\n\
         wrote books/c/build/the-binder-s-companion.epub from books/c (6 chapters, …)\n\
         error: built 2 of 3 books, 1 failed: books/b"
    );
    assert!(!shelf.path("books/b/build").exists());
    let catalogue = [
        std::fs::read(shelf.path("books/a").join(MINIMAL_EPUB)).unwrap(),
        std::fs::read(shelf.path("books/c").join(FULL_EPUB)).unwrap(),
    ];
    assert!(catalogue[0] == shelf.build_alone("books/a"));
    assert!(catalogue[1] == shelf.build_alone("books/c"));
}

#[test]
fn a_pattern_builds_the_book_folders_it_matches_in_order_into_one_folder() {
    let shelf = Shelf::new();
    shelf
        .add("b-second", "full-metadata")
        .add("a-first", "minimal")
        .add(".hidden", "minimal");
    std::fs::create_dir_all(shelf.path("books/notes")).unwrap();
    std::fs::write(shelf.path("books/notes/todo.md"), "not a book\n").unwrap();
    let output = shelf.build(&["books/*", "--out-dir", "dist", "--checksums"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert_eq!(
        without_sizes(&text),
        "wrote dist/a-minimal-book.epub from books/a-first (1 chapter, …)\n\
         wrote dist/the-binder-s-companion.epub from books/b-second (6 chapters, …)\n\
         built 2 books"
    );
    // One SHA256SUMS for every book in the folder.
    let sums = std::fs::read_to_string(shelf.path("dist/SHA256SUMS")).unwrap();
    let names: Vec<&str> = sums
        .lines()
        .map(|line| line.split_once("  ").unwrap().1)
        .collect();
    assert_eq!(
        names,
        ["a-minimal-book.epub", "the-binder-s-companion.epub"]
    );

    let output = shelf.build(&["books/*", "books/z*", "books/[xy]"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: no book folder matches `books/z*`\n\
         error: no book folder matches `books/[xy]`\n  \
         = help: a pattern matches the folders that hold a book.toml or an mdBook's src/SUMMARY.md\n"
    );
}

#[test]
fn one_output_file_for_several_books_is_a_usage_error() {
    let shelf = Shelf::new();
    shelf.add("a", "minimal").add("c", "full-metadata");
    let output = shelf.build(&["books/a", "books/c", "-o", "book.epub"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `-o` names one EPUB, but there are 2 books to build\n  \
         = help: use `--out-dir DIR` to write every book's EPUB into one folder\n"
    );
    assert!(!shelf.path("books/a/build").exists());
    assert!(!shelf.path("book.epub").exists());
}

#[test]
fn two_books_that_would_write_the_same_file_stop_the_build_before_it_starts() {
    let shelf = Shelf::new();
    shelf
        .add("a", "minimal")
        .add("twin", "minimal")
        .add("c", "full-metadata");
    let help = "  = help: name each book once, and give books with the same title a \
                --name-template that tells them apart, such as `{slug}-{version}.epub`\n";

    let output = shelf.build(&["books/a", "books/c", "./books/a"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: `books/a` and `./books/a` would both write `books/a/build/a-minimal-book.epub`\n{help}"
        )
    );

    let output = shelf.build(&["books/*", "--out-dir", "dist"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: `books/a` and `books/twin` would both write `dist/a-minimal-book.epub`\n{help}"
        )
    );
    assert!(!shelf.path("books/a/build").exists());
    assert!(!shelf.path("books/c/build").exists());
    assert!(!shelf.path("dist").exists());
}

#[test]
fn deny_warnings_fails_only_the_book_with_warnings() {
    let shelf = Shelf::new();
    shelf.add("a", "minimal").add_with_manifest(
        "w",
        "[book]\ntitle = \"Warned\"\nlanguage = \"en\"\nlicense = \"Made-Up\"\n",
    );
    let output = shelf.build(&["books/a", "books/w"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains(
            "warning[B050]: unknown SPDX licence id `Made-Up`\n --> books/w/book.toml:4:11\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("\nbuilt 2 books\n"), "{text}");

    std::fs::remove_dir_all(shelf.path("books/a/build")).unwrap();
    std::fs::remove_dir_all(shelf.path("books/w/build")).unwrap();
    let output = shelf.build(&["books/a", "books/w", "--deny", "warnings"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "error[B050]: unknown SPDX licence id `Made-Up`\n --> books/w/book.toml:4:11\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with(
            "error: could not build `books/w` (1 error)\nerror: built 1 of 2 books, 1 failed: books/w\n"
        ),
        "{text}"
    );
    assert!(shelf.path("books/a").join(MINIMAL_EPUB).is_file());
    assert!(!shelf.path("books/w/build").exists());
}

/// Standard output and the exit code of a build of a good and a broken
/// book with `--message-format`.
fn machine_output(format: &str) -> String {
    let shelf = Shelf::new();
    shelf.add("a", "minimal").add_with_manifest("my b", BROKEN);
    let output = shelf.build(&["--message-format", format, "books/a", "books/my b"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).ends_with("error: built 1 of 2 books, 1 failed: books/my b\n"),
        "{}",
        stderr(&output)
    );
    assert!(shelf.path("books/a").join(MINIMAL_EPUB).is_file());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn json_lines_name_the_book_each_problem_belongs_to() {
    let json = machine_output("json");
    let lines: Vec<serde_json::Value> = json
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{json}");
    assert_eq!(lines[0]["code"], "B003");
    assert_eq!(lines[0]["file"], "book.toml");
    assert_eq!(lines[0]["line"], 3);
    for line in &lines {
        assert_eq!(line["book"], "books/my b");
        let file = Path::new(line["book"].as_str().unwrap()).join(line["file"].as_str().unwrap());
        assert_eq!(file, Path::new("books/my b/book.toml"));
    }
}

#[test]
fn sarif_is_one_document_and_github_paths_start_at_the_book() {
    let sarif = machine_output("sarif");
    let document: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let runs = document["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    for result in results {
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "books/my%20b/book.toml"
        );
    }
    let rules: Vec<&str> = runs[0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["B003"]);

    let github = machine_output("github");
    assert!(
        github.starts_with("::error file=books/my b/book.toml,line=3,col=1,"),
        "{github}"
    );
}
