//! Broken books: each gives exit code 1, the exact error in its
//! `expected.txt`, and leaves an existing EPUB alone.
//!
//! To write the expected files after a deliberate change of messages, run
//! with `BINDERY_BLESS=1` and review the diff before committing.

use crate::support::{TempBook, repo};

const SENTINEL: &[u8] = b"a good EPUB from an earlier build";

fn check_bad_book(name: &str) -> Result<(), String> {
    let fixture = repo().join("tests/bad").join(name);
    let book = TempBook::copy_of(&fixture);
    let expected_path = book.path().join("expected.txt");
    let _ = std::fs::remove_file(&expected_path);
    let out = book.dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("book.epub"), SENTINEL).unwrap();

    let output = book.build(&["-o", "../out/book.epub"]);
    let stderr = String::from_utf8_lossy(&output.stderr)
        .replace(&book.dir.path().display().to_string(), "[TEMP]");
    let mut problems = Vec::new();
    if output.status.code() != Some(1) {
        problems.push(format!("exit code {:?}, not 1", output.status.code()));
    }
    if std::fs::read(out.join("book.epub")).unwrap() != SENTINEL {
        problems.push("the existing EPUB was changed".to_string());
    }
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    if leftovers.len() != 1 {
        problems.push(format!("files left in the output folder: {leftovers:?}"));
    }
    let expected_file = fixture.join("expected.txt");
    if std::env::var_os("BINDERY_BLESS").is_some() {
        std::fs::write(&expected_file, stderr.as_bytes()).unwrap();
    } else {
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if stderr != expected {
            problems.push(format!(
                "stderr differs from expected.txt:\n--- expected\n{expected}--- actual\n{stderr}"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}: {}", problems.join("\n")))
    }
}

#[test]
fn every_bad_book_fails_with_its_expected_error() {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/bad"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 30, "{names:?}");
    let failures: Vec<String> = names
        .iter()
        .filter_map(|n| check_bad_book(n).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} bad books:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}
