//! Faults and interruptions: a build killed while it writes, a full disk,
//! a read-only output folder. Each leaves the EPUB that was there before
//! (or the complete new one) and no stray temporary file.

use crate::large::generate;
use crate::support::{Epub, bindery, fixture};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The temporary files bindery writes beside `book.epub`.
fn temporaries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".book.epub.") && n.ends_with(".tmp"))
        .collect();
    names.sort();
    names
}

fn build(book: &Path, out: &Path) -> std::process::Output {
    bindery()
        .arg("build")
        .arg(book)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn a_build_killed_while_writing_leaves_the_old_epub_and_the_next_build_tidies_up() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    generate(&book, 400, 40, 11);
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join("book.epub");

    // The old EPUB, then the book changes: the new one has other bytes.
    assert!(build(&book, &out).status.success());
    let old = std::fs::read(&out).unwrap();
    let chapter = book.join("chapters/001-chapter.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, format!("{text}\nA new last paragraph.\n")).unwrap();
    let reference = dir.path().join("new.epub");
    assert!(build(&book, &reference).status.success());
    let new = std::fs::read(&reference).unwrap();
    assert_ne!(old, new);

    // Kill builds at moments spread over the writing: as soon as the
    // temporary file appears, and a little later each time.
    let mut killed_mid_write = 0;
    for delay_ms in [0, 1, 3, 10, 30, 100] {
        let mut child = bindery()
            .arg("build")
            .arg(&book)
            .arg("-o")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(300);
        let mut seen = false;
        while Instant::now() < deadline {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if !temporaries(&out_dir).is_empty() {
                seen = true;
                break;
            }
            std::thread::sleep(Duration::from_micros(500));
        }
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).unwrap();
        assert!(
            now == old || now == new,
            "after a kill {delay_ms} ms into writing, book.epub is neither the old nor the new EPUB ({} bytes)",
            now.len()
        );
        if seen && !finished && !temporaries(&out_dir).is_empty() {
            killed_mid_write += 1;
        }
        if now == new {
            // The build won the race; put the old one back for the next try.
            std::fs::write(&out, &old).unwrap();
        }
    }
    assert!(
        killed_mid_write > 0,
        "no kill landed while the EPUB was being written"
    );

    // The next build replaces the old EPUB and removes what the killed
    // builds left, but not the temporary file of a build still running.
    let alive = out_dir.join(format!(".book.epub.{}.running.tmp", std::process::id()));
    std::fs::write(&alive, b"another build, still writing").unwrap();
    let output = build(&book, &out);
    assert!(output.status.success());
    assert_eq!(std::fs::read(&out).unwrap(), new);
    assert_eq!(
        temporaries(&out_dir),
        vec![format!(".book.epub.{}.running.tmp", std::process::id())]
    );
}

/// Whether this process may make mount namespaces (root on Linux). Where
/// it may not, the disk tests are skipped, except under CI, which runs as
/// root and must run them.
pub fn can_mount() -> bool {
    let ok = Command::new("unshare")
        .args(["-m", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must be able to run `unshare -m` (as root) for the disk tests"
        );
        eprintln!("skipped: `unshare -m` is not allowed here (run as root)");
    }
    ok
}

/// Runs a shell script in a mount namespace of its own, so what it mounts
/// disappears with it; returns its standard output and error.
pub fn in_mount_namespace(script: &str, args: &[&Path]) -> (String, String) {
    let output = Command::new("unshare")
        .args(["-m", "sh", "-c", script, "sh"])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const OLD: &[u8] = b"a good EPUB from an earlier build";

fn old_epub(dir: &Path) -> PathBuf {
    let old = dir.join("old.epub");
    std::fs::write(&old, OLD).unwrap();
    old
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_old_epub_stays() {
    if !can_mount() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let old = old_epub(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_bindery"));
    // A 256 KiB file system, filled to the last block, holding the old EPUB.
    let (stdout, stderr) = in_mount_namespace(
        r#"mount -t tmpfs -o size=256k tmpfs "$1" || exit 99
cp "$2" "$1/book.epub"
head -c 1000000 /dev/zero > "$1/filler" 2>/dev/null
"$3" build "$4" -o "$1/book.epub"
echo "exit=$?"
cmp -s "$2" "$1/book.epub" && echo "old epub kept"
ls -A "$1""#,
        &[&out, &old, &bin, &fixture("full-metadata")],
    );
    assert!(
        stdout.starts_with("exit=1\nold epub kept\nbook.epub\nfiller\n"),
        "{stdout}\n{stderr}"
    );
    assert_eq!(stdout.lines().count(), 4, "stray files: {stdout}");
    assert!(
        stderr.contains("error[B300]: cannot write `")
            && stderr.contains("No space left on device")
            && stderr.contains("= help: the disk is full: free some space, or write elsewhere with `-o`; the old EPUB, if there was one, is untouched"),
        "{stderr}"
    );
}

#[test]
fn a_read_only_output_folder_is_a_clear_error_and_the_old_epub_stays() {
    if !can_mount() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let old = old_epub(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(&old, out.join("book.epub")).unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_bindery"));
    let (stdout, stderr) = in_mount_namespace(
        r#"mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99
"$3" build "$4" -o "$1/book.epub"
echo "exit=$?"
cmp -s "$2" "$1/book.epub" && echo "old epub kept"
ls -A "$1""#,
        &[&out, &old, &bin, &fixture("minimal")],
    );
    assert_eq!(stdout, "exit=1\nold epub kept\nbook.epub\n", "{stderr}");
    assert!(
        stderr.contains("Read-only file system")
            && stderr.contains(
                "= help: the output folder is on a read-only file system: write elsewhere with `-o`"
            ),
        "{stderr}"
    );
}

#[test]
fn an_epub_written_into_a_new_folder_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a/b/c/book.epub");
    let output = build(&fixture("minimal"), &out);
    assert!(output.status.success());
    let epub = Epub::open(&out);
    assert_eq!(epub.names[0], "mimetype");
    assert!(temporaries(out.parent().unwrap()).is_empty());
}
