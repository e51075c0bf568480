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

/// The environment a build runs in changes nothing: locale, time zone,
/// umask, current folder and number of threads. The book's chapters are
/// found by listing `chapters/`, and its images are many, so an order
/// taken from the file system or from thread timing would show.
#[test]
fn the_bytes_do_not_depend_on_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    crate::large::generate(&book, 60, 12, 3);
    let run = |label: &str, command: &mut std::process::Command| -> Vec<u8> {
        let out = dir.path().join(format!("{label}.epub"));
        let output = command.arg("-o").arg(&out).output().unwrap();
        assert!(
            output.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::read(&out).unwrap()
    };
    let build = || {
        let mut command = bindery();
        command.arg("build").arg(&book);
        command
    };
    let reference = run("reference", &mut build());
    let mut variants: Vec<(&str, Vec<u8>)> = vec![
        (
            "C locale",
            run("c", build().env("LC_ALL", "C").env("LANG", "C")),
        ),
        (
            "Turkish locale",
            run(
                "tr",
                build()
                    .env("LC_ALL", "tr_TR.UTF-8")
                    .env("LANG", "tr_TR.UTF-8"),
            ),
        ),
        (
            "time zone +14",
            run("tz14", build().env("TZ", "Pacific/Kiritimati")),
        ),
        (
            "time zone -3:30",
            run("tz3", build().env("TZ", "America/St_Johns")),
        ),
        (
            "one thread",
            run("t1", build().env("RAYON_NUM_THREADS", "1")),
        ),
        (
            "seven threads",
            run("t7", build().env("RAYON_NUM_THREADS", "7")),
        ),
        (
            "another folder",
            run(
                "cwd",
                bindery()
                    .arg("build")
                    .arg("..")
                    .current_dir(book.join("chapters")),
            ),
        ),
    ];
    for umask in ["077", "000"] {
        let out = dir.path().join(format!("umask{umask}.epub"));
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" build \"$1\" -o \"$2\""
            ))
            .arg(env!("CARGO_BIN_EXE_bindery"))
            .arg(&book)
            .arg(&out)
            .output()
            .unwrap();
        assert!(status.status.success());
        variants.push(("umask", std::fs::read(&out).unwrap()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644, "umask {umask}");
        }
    }
    for (label, bytes) in &variants {
        assert!(*bytes == reference, "{label}: different bytes");
    }
}

/// The same book written into two folders in opposite orders, on a file
/// system that lists files in the order they were made (tmpfs): the two
/// listings differ, the EPUBs do not.
#[test]
fn the_bytes_do_not_depend_on_the_order_the_file_system_lists_files_in() {
    if !crate::faults::can_mount() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    crate::large::generate(&book, 40, 8, 9);
    let scratch = dir.path().join("scratch");
    std::fs::create_dir_all(scratch.join("mnt")).unwrap();
    let bin = std::path::PathBuf::from(env!("CARGO_BIN_EXE_bindery"));
    let (stdout, stderr) = crate::faults::in_mount_namespace(
        r#"mount -t tmpfs tmpfs "$1" || exit 99
cd "$2" || exit 98
for order in forward backward; do
  mkdir -p "$1/$order"
  if [ $order = forward ]; then files=$(find . -type f | sort); else files=$(find . -type f | sort -r); fi
  for f in $files; do mkdir -p "$1/$order/$(dirname "$f")"; cp "$f" "$1/$order/$f"; done
  echo "$order: $(ls -f "$1/$order/chapters" | head -3 | tr '\n' ' ')"
  "$3" build "$1/$order" -o "$4/$order.epub" || exit 97
done"#,
        &[&scratch.join("mnt"), &book, &bin, &scratch],
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}\n{stderr}");
    assert_ne!(
        lines[0].trim_start_matches("forward: "),
        lines[1].trim_start_matches("backward: "),
        "the listings are in the same order: {stdout}"
    );
    assert_eq!(
        std::fs::read(scratch.join("forward.epub")).unwrap(),
        std::fs::read(scratch.join("backward.epub")).unwrap()
    );
}
