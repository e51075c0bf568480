//! The command line as a user meets it.

use crate::books::check_epub_structure;
use crate::support::{Epub, assert_epubcheck_clean, bindery};

#[test]
fn new_then_build_gives_a_valid_epub_in_build() {
    let dir = tempfile::tempdir().unwrap();
    let output = bindery()
        .args(["new", "my-book"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let book = dir.path().join("my-book");
    for file in ["book.toml", "chapters/01-introduction.md", ".gitignore"] {
        assert!(book.join(file).is_file(), "{file}");
    }
    assert!(book.join("assets").is_dir());
    assert_eq!(
        std::fs::read_to_string(book.join(".gitignore")).unwrap(),
        "/build/\n"
    );
    assert!(
        std::fs::read_to_string(book.join("book.toml"))
            .unwrap()
            .contains("title = \"My book\"")
    );

    let output = bindery().arg("build").current_dir(&book).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "wrote {} (1 chapter, {})\n",
            "./build/my-book.epub",
            size_of(&book.join("build/my-book.epub"))
        )
    );
    let epub = Epub::open(&book.join("build/my-book.epub"));
    check_epub_structure(&epub);
    assert_epubcheck_clean(&epub.path);
}

fn size_of(path: &std::path::Path) -> String {
    let bytes = std::fs::metadata(path).unwrap().len();
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

#[test]
fn new_refuses_a_folder_with_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let output = bindery().arg("new").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr =
        String::from_utf8_lossy(&output.stderr).replace(&dir.path().display().to_string(), "[DIR]");
    assert_eq!(
        stderr,
        "error[B400]: `[DIR]` already exists and is not empty\n  = help: choose a new folder name, or remove the folder first\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn new_takes_a_title() {
    let dir = tempfile::tempdir().unwrap();
    let output = bindery()
        .args(["new", "b", "--title", "Borders \"and\" Belts"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let manifest = std::fs::read_to_string(dir.path().join("b/book.toml")).unwrap();
    assert!(
        manifest.contains(r#"title = "Borders \"and\" Belts""#),
        "{manifest}"
    );
    let output = bindery()
        .arg("build")
        .current_dir(dir.path().join("b"))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(dir.path().join("b/build/borders-and-belts.epub").is_file());
}

#[test]
fn help_and_version() {
    let output = bindery().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("new") && help.contains("build"), "{help}");
    let output = bindery().arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("bindery {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let output = bindery().arg("frobnicate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = bindery()
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn output_folder_is_created_and_an_old_epub_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deep/er/book.epub");
    let output = bindery()
        .arg("build")
        .arg(crate::support::fixture("minimal"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    std::fs::write(&out, b"old").unwrap();
    let output = bindery()
        .arg("build")
        .arg(crate::support::fixture("minimal"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["book.epub"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o644
        );
    }
}

#[test]
fn only_a_regular_file_is_replaced_and_a_link_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let build_to = |out: &std::path::Path| {
        bindery()
            .arg("build")
            .arg(crate::support::fixture("minimal"))
            .arg("-o")
            .arg(out)
            .output()
            .unwrap()
    };
    // A folder is refused, and left as it was.
    let folder = dir.path().join("out");
    std::fs::create_dir(&folder).unwrap();
    let output = build_to(&folder);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[B300]"), "{stderr}");
    assert!(stderr.contains("it is a folder"), "{stderr}");
    assert!(folder.is_dir());
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    #[cfg(unix)]
    {
        // A device is never replaced.
        let output = build_to(std::path::Path::new("/dev/null"));
        assert_eq!(output.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&output.stderr).contains("not a regular file"));
        assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
        // A link, even a dangling one, leads to the file it names.
        let target = dir.path().join("real.epub");
        let link = dir.path().join("latest.epub");
        std::os::unix::fs::symlink("real.epub", &link).unwrap();
        assert!(build_to(&link).status.success());
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(std::fs::read(&target).unwrap().starts_with(b"PK"));
    }
}

#[test]
fn check_writes_nothing_and_says_what_it_found() {
    let book = crate::support::TempBook::copy_of(&crate::support::fixture("minimal"));
    let output = bindery()
        .arg("check")
        .current_dir(book.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "checked . (1 chapter, no problems)\n"
    );
    assert!(!book.path().join("build").exists());
}

#[test]
fn problems_come_as_json_lines_or_github_annotations() {
    let bad = crate::support::repo().join("tests/bad/missing-image");
    let run = |format: &str| {
        let output = bindery()
            .args([
                "check",
                "--message-format",
                format,
                "tests/bad/missing-image",
            ])
            .current_dir(crate::support::repo())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let json = run("json");
    let line: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(line["code"], "B102");
    assert_eq!(line["severity"], "error");
    assert_eq!(line["file"], "chapters/01-introduction.md");
    assert_eq!(line["line"], 5);
    assert_eq!(line["column"], 1);
    assert_eq!(line["epubcheck"], "RSC-007");
    assert!(
        line["help"]
            .as_str()
            .unwrap()
            .starts_with("check the spelling")
    );
    assert_eq!(
        run("github").lines().next().unwrap(),
        "::error file=tests/bad/missing-image/chapters/01-introduction.md,line=5,col=1,endLine=5,\
         endColumn=25,title=B102::file not found: `chapters/missing.png` (EPUBCheck RSC-007)%0Ahelp: check the spelling, \
         or create `chapters/missing.png`; paths are relative to the file that names them"
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "B102");
    assert_eq!(result["properties"]["epubcheck"], "RSC-007");
    let rule = &sarif["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "B102");
    assert_eq!(rule["shortDescription"]["text"], "file not found");
    assert!(
        rule["help"]["text"]
            .as_str()
            .unwrap()
            .contains("Paths in `book.toml` are relative to the book folder")
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
    assert!(bad.is_dir());
}

#[test]
fn deny_warnings_turns_warnings_into_errors_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path();
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::fs::write(book.join("chapters/1.md"), "# One\n\n![](../x.png)\n").unwrap();
    std::fs::copy(
        crate::support::fixture("full-metadata").join("assets/ornament.gif"),
        book.join("x.png"),
    )
    .unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"W\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    let build = |extra: &[&str]| {
        bindery()
            .arg("build")
            .args(extra)
            .arg(book)
            .output()
            .unwrap()
    };
    let output = build(&["--deny", "warnings"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[B255]: image without alt text"),
        "{stderr}"
    );
    assert!(!book.join("build").exists());
    let output = build(&[]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("warning[B255]"));
}

#[test]
fn check_of_a_manifest_checks_its_book() {
    let fixture = crate::support::fixture("minimal");
    let output = bindery()
        .args(["check", "book.toml"])
        .current_dir(&fixture)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("checked . (1 chapter, no problems)"),
        "{stderr}"
    );
}

#[test]
fn explain_prints_what_a_code_means_with_an_example_and_a_fix() {
    let output = bindery().args(["explain", "B201"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with(
            "B201: a link to an id that does not exist\n\n\
             A link's `#fragment` must be an id in its target chapter"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Example:"), "{stdout}");
    assert!(
        stdout.contains("    See [the section](#the-section).\n"),
        "{stdout}"
    );
    assert!(output.stderr.is_empty());

    let lower = bindery().args(["explain", "b201"]).output().unwrap();
    assert_eq!(lower.stdout, output.stdout);
}

#[test]
fn explain_refuses_an_unknown_code_with_a_suggestion() {
    let output = bindery().args(["explain", "B2001"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: there is no diagnostic code `B2001`\n  = help: did you mean `B200`?\n"
    );
    let output = bindery().args(["explain", "colour"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: there is no diagnostic code `colour`\n  = help: codes are `B` and three digits, \
         such as `B003`, or EPUBCheck's, such as `RSC-007`; `bindery explain` lists them all\n"
    );
}

#[test]
fn explain_without_a_code_lists_every_code_on_a_line_of_its_own() {
    let output = bindery().arg("explain").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "B001  error    book.toml is not valid TOML");
    assert!(
        lines.contains(&"B201  error    a link to an id that does not exist"),
        "{stdout}"
    );
    let codes = lines.iter().take_while(|l| !l.is_empty()).count();
    assert!(codes > 100, "{codes} codes listed");
    assert!(
        stdout.ends_with(
            "\n\n`bindery explain CODE` explains one, with an example and its fix; \
             it also takes EPUBCheck's ids, such as RSC-007\n"
        ),
        "{stdout}"
    );
}

#[test]
fn explain_takes_an_epubcheck_id_and_names_the_codes_that_report_it() {
    let output = bindery().args(["explain", "RSC-012"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("EPUBCheck's RSC-012 is reported by bindery as:\n\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n  B201  error    a link to an id that does not exist\n"),
        "{stdout}"
    );
    let lower = bindery().args(["explain", "rsc-012"]).output().unwrap();
    assert_eq!(lower.stdout, output.stdout);

    let output = bindery().args(["explain", "RSC-007"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("\n  B200  "), "{stdout}");

    let output = bindery().args(["explain", "ABC-999"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "no bindery code of its own reports EPUBCheck's ABC-999; with --epubcheck, \
         EPUBCheck's message is shown as B399\n"
    );
}

#[test]
#[cfg(unix)]
fn new_prints_a_next_step_the_shell_can_run_for_any_folder_name() {
    let dir = tempfile::tempdir().unwrap();
    let output = bindery()
        .args(["new", "My Great Book!"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let next = stderr.lines().last().unwrap();
    assert_eq!(next, "next: cd 'My Great Book!' && bindery build");
    // The line, pasted into a shell, builds the book.
    let command = next.strip_prefix("next: ").unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_bindery"))
        .parent()
        .unwrap()
        .display()
        .to_string();
    let output = std::process::Command::new("sh")
        .args(["-c", command])
        .env("PATH", format!("{bin}:{}", std::env::var("PATH").unwrap()))
        .env_remove("SOURCE_DATE_EPOCH")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        dir.path()
            .join("My Great Book!/build/my-great-book.epub")
            .is_file()
    );
}

#[test]
fn colour_only_on_a_terminal_or_when_forced_and_never_with_no_color() {
    let run = |env: &[(&str, &str)]| {
        let mut command = bindery();
        command
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .args(["check", "tests/bad/missing-image"])
            .current_dir(crate::support::repo());
        for (name, value) in env {
            command.env(name, value);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    // Standard error is a pipe here, not a terminal.
    let plain = run(&[]);
    assert!(plain.starts_with("error[B102]: file not found"), "{plain}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
    let forced = run(&[("CLICOLOR_FORCE", "1")]);
    assert!(
        forced.starts_with("\x1b[1;31merror[B102]\x1b[0m\x1b[1m: file not found"),
        "{forced:?}"
    );
    assert!(
        forced.contains("\x1b[1;31merror\x1b[0m: could not check"),
        "{forced:?}"
    );
    for env in [
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")][..],
        &[("CLICOLOR_FORCE", "0")][..],
        &[("NO_COLOR", "1")][..],
    ] {
        assert_eq!(run(env), plain, "{env:?}");
    }
}

/// A standard output whose reader has already gone: the write end of a
/// pipe whose only reader (`true`) has exited, so the first write fails
/// with a broken pipe every time, not only when the reader is quick.
fn closed_pipe() -> std::process::Stdio {
    let mut reader = std::process::Command::new("true")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let write_end = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    write_end.into()
}

#[test]
fn a_reader_that_closes_the_pipe_early_ends_the_output_quietly() {
    for args in [&["explain", "B003"][..], &["man"], &["completions", "bash"]] {
        let output = bindery().args(args).stdout(closed_pipe()).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

/// The same in a shell, where whether the reader has gone by the time
/// bindery writes depends on which process runs first: each pipeline runs
/// many times, so that both orders happen.
#[cfg(unix)]
#[test]
fn a_shell_pipeline_that_stops_reading_early_ends_quietly_every_time() {
    let script = r#"
        for i in $(seq 60); do
            for reader in true 'head -1' 'head -c 1'; do
                "$BINDERY" $ARGS 2>"$ERR" | $reader >/dev/null
                status=${PIPESTATUS[0]}
                if [ "$status" != 0 ] || [ -s "$ERR" ]; then
                    echo "run $i, | $reader: exit status $status: $(cat "$ERR")"
                fi
            done
        done
    "#;
    let dir = tempfile::tempdir().unwrap();
    for args in [
        "explain B003",
        "man",
        "completions bash",
        "completions zsh",
        "--help",
        "build --help",
    ] {
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .env("BINDERY", env!("CARGO_BIN_EXE_bindery"))
            .env("ARGS", args)
            .env("ERR", dir.path().join("stderr"))
            .output()
            .unwrap();
        let failures = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{args}: {output:?}");
        assert_eq!(failures, "", "bindery {args}");
    }
}

#[test]
fn help_and_manual_pages_have_exit_status_environment_and_examples_from_one_source() {
    let dir = tempfile::tempdir().unwrap();
    let output = bindery()
        .args(["man", "-o", "man"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    for command in ["build", "check", "explain", "new", "site", "watch"] {
        let page =
            std::fs::read_to_string(dir.path().join(format!("man/bindery-{command}.1"))).unwrap();
        for section in [".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", ".SH EXAMPLES"] {
            assert!(
                page.contains(section),
                "bindery-{command}.1: no {section}\n{page}"
            );
        }
        let help = bindery().args([command, "--help"]).output().unwrap();
        let help = String::from_utf8(help.stdout).unwrap();
        let examples = help
            .split("\nExamples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("`{command} --help` has no examples:\n{help}"));
        // Each example in --help is in the manual page, with its meaning.
        for line in examples.lines().filter(|l| !l.trim().is_empty()) {
            let text = line.trim().replace('-', "\\-").replace('\'', "\\*(Aq");
            assert!(
                page.contains(&text),
                "bindery-{command}.1 lacks {text:?}\n{page}"
            );
        }
        assert!(help.contains("\nExit status:\n  0\n"), "{help}");
        assert!(help.contains("\n  SOURCE_DATE_EPOCH\n"), "{help}");
    }
    let build_help = bindery().args(["build", "--help"]).output().unwrap();
    let build_help = String::from_utf8(build_help.stdout).unwrap();
    assert!(
        build_help.contains(
            "  bindery build 'books/*' --out-dir dist --checksums\n          \
             Build every book under books/ in parallel, with SHA256SUMS.\n"
        ),
        "{build_help}"
    );
    // `-h` stays short.
    let short = bindery().args(["build", "-h"]).output().unwrap();
    assert!(
        !String::from_utf8(short.stdout)
            .unwrap()
            .contains("Examples:")
    );

    let page = std::fs::read_to_string(dir.path().join("man/bindery.1")).unwrap();
    assert!(
        page.contains(".SH \"EXIT STATUS\"") && page.contains(".SH SUBCOMMANDS"),
        "{page}"
    );
    assert!(!page.contains(".SH EXTRA"), "{page}");
}

#[test]
fn a_single_books_errors_name_files_from_where_bindery_runs() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(
        &crate::support::repo().join("tests/bad/unknown-key"),
        &dir.path().join("books/revised"),
    );
    let output = bindery()
        .args(["build", "books/revised"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "error[B003]: unknown key `titel` in [book]\n --> books/revised/book.toml:4:1\n"
        ),
        "{stderr}"
    );
    // The path can be pasted: it names the file from here.
    let shown = stderr.lines().nth(1).unwrap();
    let path = shown.trim_start_matches(" --> ").split(':').next().unwrap();
    assert!(dir.path().join(path).is_file(), "{path}");
}
