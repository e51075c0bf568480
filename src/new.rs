//! `bindery new`: a book folder to start from.
//!
//! Writes `book.toml`, `chapters/01-introduction.md`, `assets/` and a
//! `.gitignore` that keeps `build/` out of version control. Refuses a
//! folder that already has files in it, so nothing is overwritten.

use crate::diag::{Code, Diagnostic, ToDiagnostic};
use std::path::{Path, PathBuf};

/// The author a new book's manifest names until the author puts their own
/// name in; a store's `--profile` reports a book that still has it.
pub const PLACEHOLDER_AUTHOR: &str = "Your Name";

/// Making the folder failed.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The folder exists and is not empty.
    #[error("`{}` already exists and is not empty", .0.display())]
    NotEmpty(PathBuf),
    /// The system refused.
    #[error("cannot create `{}`: {message}", path.display())]
    Io {
        /// What could not be created.
        path: PathBuf,
        /// The system's words.
        message: String,
    },
}

impl ToDiagnostic for NewError {
    fn code(&self) -> Code {
        match self {
            NewError::NotEmpty(_) => Code::FolderNotEmpty,
            NewError::Io { .. } => Code::NewBookFailed,
        }
    }

    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(self.code(), self.to_string()).with_help(match self {
            NewError::NotEmpty(_) => "choose a new folder name, or remove the folder first",
            NewError::Io { .. } => "check that the parent folder exists and is writable",
        })
    }
}

/// A title made from a folder name: `my-first_book` → "My first book".
pub fn title_from_dir(dir: &Path) -> String {
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words = name.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_string(),
    }
}

/// Creates a new book in `dir` with the given title.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let book = dir.path().join("my-book");
/// bindery::new::create(&book, "My book").unwrap();
/// assert!(book.join("book.toml").is_file());
/// ```
pub fn create(dir: &Path, title: &str) -> Result<(), NewError> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| io_error(dir, e))?
            .next()
            .is_none();
        if !empty {
            return Err(NewError::NotEmpty(dir.to_path_buf()));
        }
    }
    let mut manifest = String::new();
    manifest.push_str("[book]\ntitle = ");
    manifest.push_str(&toml_string(title));
    manifest.push_str(&format!(
        "\nauthors = [\"{PLACEHOLDER_AUTHOR}\"]\nlanguage = \"en\"\n"
    ));
    manifest.push_str(
        "# identifier = \"urn:isbn:...\"   # default: a UUID made from the title and authors\n\
         # date = \"2026-01-31\"\n\
         # description = \"One or two sentences about the book.\"\n\
         # license = \"CC-BY-4.0\"\n\
         # cover = \"assets/cover.jpg\"\n\
         \n\
         # Without [[chapters]], every chapters/*.md is a chapter, in natural order.\n",
    );
    let chapter = format!(
        "# Introduction\n\n\
         This is the first chapter of *{}*. Write in Markdown: **bold**, *italic*,\n\
         [links](https://commonmark.org), lists, tables and footnotes[^1] all work.\n\n\
         Add chapters as `chapters/02-next.md`, `chapters/03-after.md` and so on,\n\
         put images in `assets/`, then run `bindery build`.\n\n\
         [^1]: Footnotes become pop-up notes in reading systems that support them.\n",
        title.replace(['*', '_'], "")
    );
    let files: [(&str, &str); 3] = [
        ("book.toml", &manifest),
        ("chapters/01-introduction.md", &chapter),
        (".gitignore", "/build/\n"),
    ];
    for dir in [dir.to_path_buf(), dir.join("chapters"), dir.join("assets")] {
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    }
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| io_error(&path, e))?;
    }
    Ok(())
}

fn io_error(path: &Path, error: std::io::Error) -> NewError {
    NewError::Io {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
