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

    // A new heading is a new link target: every chapter is written again.
    std::fs::write(&chapter, format!("{text}\n## A new section\n")).unwrap();
    bindery::build_with_cache(&dir, &options(&cached_out), &mut cache).unwrap();
    assert_eq!(cache.rendered(), first.chapters);
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
