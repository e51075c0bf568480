//! Paths inside a book, confined to the book's root.
//!
//! A [`BookPath`] is a normalised path relative to the book's root: the
//! book folder, or the git repository that holds it (real books include
//! files from elsewhere in their repository). It is made lexically by
//! [`BookRoot::resolve`] — no `..` can climb above the root — and checked
//! again against symlinks when [`BookRoot::read`] opens the file.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The largest text file a book may have: a chapter, an included file,
/// `SUMMARY.md`, a stylesheet or `book.toml`. The longest novels are
/// about 3 MiB of text; a larger file is a mistake or an attack, and
/// rendering holds a few times a chapter's size in memory.
pub const MAX_TEXT_FILE: u64 = 8 * 1024 * 1024;

/// The largest image or font a book may have. It is copied into the EPUB
/// whole, and stores refuse far smaller books.
pub const MAX_BINARY_FILE: u64 = 256 * 1024 * 1024;

/// A normalised, `/`-separated path relative to the book's root.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BookPath(String);

impl BookPath {
    /// The path as a `/`-separated string relative to the root.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folder holding this file (empty for the root).
    pub fn parent(&self) -> BookPath {
        BookPath(
            self.0
                .rsplit_once('/')
                .map_or(String::new(), |(dir, _)| dir.to_string()),
        )
    }

    /// The last component.
    pub fn file_name(&self) -> &str {
        self.0.rsplit_once('/').map_or(&self.0, |(_, name)| name)
    }

    /// The file name without its extension.
    pub fn stem(&self) -> &str {
        let name = self.file_name();
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }

    /// The extension, lower-cased.
    pub fn extension(&self) -> String {
        self.file_name()
            .rsplit_once('.')
            .map_or(String::new(), |(_, ext)| ext.to_ascii_lowercase())
    }

    /// A file in this folder: for files bindery makes, such as a
    /// generated cover, which are placed as if they were in the book.
    pub fn child(&self, name: &str) -> BookPath {
        if self.0.is_empty() {
            BookPath(name.to_string())
        } else {
            BookPath(format!("{}/{name}", self.0))
        }
    }

    /// This path as a relative path from the folder `dir`, as an author
    /// would write it in a file there: `02-b.md`, `../assets/map.png`.
    pub fn relative_to(&self, dir: &BookPath) -> String {
        let parts = |p: &BookPath| -> Vec<String> {
            p.0.split('/')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect()
        };
        let (to, from) = (parts(self), parts(dir));
        let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
        let mut out: Vec<&str> = vec![".."; from.len() - common];
        out.extend(to[common..].iter().map(String::as_str));
        out.join("/")
    }
}

impl fmt::Display for BookPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    /// Empty, or only `.`.
    Empty,
    /// `/x`, `C:\x`, `\\server\x`.
    Absolute,
    /// A `\` separator, which means something else on each system.
    Backslash,
    /// `..` climbs above the book's root.
    EscapesRoot,
    /// A character that cannot be seen, or that makes a name look like
    /// another: a control or format character (U+202E turns text around),
    /// or dots that are not `.` (U+2024, U+FF0E) making something that
    /// reads as `..`. The file would exist only under a name nobody can
    /// type, so it is refused rather than looked for.
    Deceptive(char),
}

impl PathProblem {
    /// The message for `path` refused for this reason.
    pub fn message(&self, path: &str) -> String {
        match self {
            PathProblem::Empty => format!("`{path}` does not name a file"),
            PathProblem::Absolute => format!("`{path}` is an absolute path"),
            PathProblem::Backslash => format!("`{path}` uses `\\` as a separator"),
            PathProblem::EscapesRoot => format!("`{path}` points outside the book"),
            PathProblem::Deceptive(c) => format!(
                "`{}` holds {}, which a path may not",
                path.escape_debug(),
                describe_char(*c)
            ),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            PathProblem::Backslash => "use `/` to separate folders",
            PathProblem::Empty => "name a file",
            PathProblem::Deceptive(_) => {
                "rename the file with characters that can be seen and typed, and write the path with `.` and `/`"
            }
            PathProblem::Absolute | PathProblem::EscapesRoot => {
                "use a path relative to this file, inside the book's folder or its repository"
            }
        }
    }
}

/// Names a character by its code point: it cannot be shown as it is.
fn describe_char(c: char) -> String {
    format!(
        "the invisible or look-alike character U+{:04X}",
        u32::from(c)
    )
}

/// A character a path may not hold: see [`PathProblem::Deceptive`].
pub(crate) fn deceptive(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    // Zero-width joiners are part of how Persian, Indic and emoji names
    // are spelt; the other format characters only hide or reorder text.
    c.is_control()
        || (matches!(c.general_category(), GeneralCategory::Format)
            && !matches!(c, '\u{200C}' | '\u{200D}'))
        || matches!(
            c,
            // Dot look-alikes: one dot leader, two dot leader, fullwidth
            // and small full stops, and the ellipsis.
            '\u{2024}' | '\u{2025}' | '\u{2026}' | '\u{FE52}' | '\u{FF0E}'
                // Slash look-alikes: division slash, fraction slash,
                // fullwidth solidus, and the same for `\\`.
                | '\u{2215}' | '\u{2044}' | '\u{FF0F}' | '\u{29F5}' | '\u{FF3C}'
        )
}

/// The book folder and the root that paths are confined to.
#[derive(Debug, Clone)]
pub struct BookRoot {
    root: PathBuf,
    book: BookPath,
    book_dir: PathBuf,
}

impl BookRoot {
    /// Finds the root for a book folder: the nearest folder at or above it
    /// that holds `.git`, else the book folder itself.
    pub fn discover(book_dir: &Path) -> io::Result<BookRoot> {
        let book_dir = book_dir.canonicalize()?;
        let root = book_dir
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(&book_dir)
            .to_path_buf();
        Ok(BookRoot::at(root, book_dir))
    }

    /// The root `root` for the book folder `book_dir`, which it holds
    /// (both canonical).
    fn at(root: PathBuf, book_dir: PathBuf) -> BookRoot {
        let relative = book_dir.strip_prefix(&root).unwrap_or(Path::new(""));
        let book = BookPath(
            relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
        );
        BookRoot {
            root,
            book,
            book_dir,
        }
    }

    /// The root the user named for a book folder (`--root`), which must
    /// hold it: the folder the book's paths may reach into, in place of
    /// the repository [`BookRoot::discover`] would find.
    pub fn within(book_dir: &Path, root: &Path) -> io::Result<BookRoot> {
        let book_dir = book_dir.canonicalize()?;
        let root = root.canonicalize()?;
        if !book_dir.starts_with(&root) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the root given with --root does not hold the book folder `{}`",
                    book_dir.display()
                ),
            ));
        }
        Ok(BookRoot::at(root, book_dir))
    }

    /// A root at `dir` for a book in that same folder, taken as given
    /// without looking at the disk (for rendering text held in memory).
    pub fn detached(dir: &Path) -> BookRoot {
        BookRoot {
            root: dir.to_path_buf(),
            book: BookPath::default(),
            book_dir: dir.to_path_buf(),
        }
    }

    /// The book folder, on disk.
    pub fn book_dir(&self) -> &Path {
        &self.book_dir
    }

    /// The book folder as a [`BookPath`].
    pub fn book(&self) -> &BookPath {
        &self.book
    }

    /// Resolves `relative` against the folder `base`, lexically.
    pub fn resolve(&self, base: &BookPath, relative: &str) -> Result<BookPath, PathProblem> {
        // `/x`, `\\server\x` and `C:x` are absolute whatever follows, so
        // they are named so before any other problem.
        let bytes = relative.as_bytes();
        let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
        if relative.starts_with(['/', '\\']) || drive {
            return Err(PathProblem::Absolute);
        }
        if relative.contains('\\') {
            return Err(PathProblem::Backslash);
        }
        if let Some(c) = relative.chars().find(|&c| deceptive(c)) {
            return Err(PathProblem::Deceptive(c));
        }
        if !relative
            .split('/')
            .any(|part| !matches!(part, "" | "." | ".."))
        {
            return Err(PathProblem::Empty);
        }
        let mut parts: Vec<&str> = base.0.split('/').filter(|p| !p.is_empty()).collect();
        for part in relative.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err(PathProblem::EscapesRoot);
                    }
                }
                name => parts.push(name),
            }
        }
        if parts.is_empty() {
            return Err(PathProblem::Empty);
        }
        Ok(BookPath(parts.join("/")))
    }

    /// The path as the user names it: relative to the book folder.
    pub fn display(&self, path: &BookPath) -> String {
        let book: Vec<&str> = self.book.0.split('/').filter(|p| !p.is_empty()).collect();
        let target: Vec<&str> = path.0.split('/').collect();
        let common = book.iter().zip(&target).take_while(|(a, b)| a == b).count();
        let mut parts: Vec<&str> = vec![".."; book.len() - common];
        parts.extend(&target[common..]);
        parts.join("/")
    }

    /// Where the path is on disk (no checks).
    pub fn on_disk(&self, path: &BookPath) -> PathBuf {
        self.root.join(&path.0)
    }

    /// Reads a text file of at most [`MAX_TEXT_FILE`] bytes, refusing one
    /// that a symlink takes outside the root.
    pub fn read(&self, path: &BookPath) -> Result<Vec<u8>, ReadProblem> {
        self.read_at_most(path, MAX_TEXT_FILE)
    }

    /// Reads an image or font of at most [`MAX_BINARY_FILE`] bytes.
    pub fn read_binary(&self, path: &BookPath) -> Result<Vec<u8>, ReadProblem> {
        self.read_at_most(path, MAX_BINARY_FILE)
    }

    /// Reads a file of at most `limit` bytes, refusing one that a symlink
    /// takes outside the root. The size is checked before reading, and
    /// reading stops at the limit, so a file that grows meanwhile, or a
    /// device that never ends, is refused too.
    pub fn read_at_most(&self, path: &BookPath, limit: u64) -> Result<Vec<u8>, ReadProblem> {
        read_limited(&self.real_file(path)?, limit)
    }

    /// The real path of an image or font, refusing one that a symlink
    /// takes outside the root, with its first bytes (at most `head`) and
    /// its size, checked against [`MAX_BINARY_FILE`]: for a file that is
    /// streamed into the EPUB later rather than read now.
    pub fn peek_binary(
        &self,
        path: &BookPath,
        head: usize,
    ) -> Result<(PathBuf, u64, Vec<u8>), ReadProblem> {
        let real = self.real_file(path)?;
        let file = std::fs::File::open(&real).map_err(ReadProblem::from_io)?;
        let size = file.metadata().map_err(ReadProblem::from_io)?.len();
        if size > MAX_BINARY_FILE {
            return Err(ReadProblem::TooLarge {
                size,
                limit: MAX_BINARY_FILE,
            });
        }
        let mut data = Vec::with_capacity(head.min(size as usize));
        file.take(head as u64)
            .read_to_end(&mut data)
            .map_err(ReadProblem::from_io)?;
        Ok((real, size, data))
    }

    /// Whether nothing is at the path (a file that is there but cannot
    /// be used is not missing: reading it says what is wrong).
    pub fn is_missing(&self, path: &BookPath) -> bool {
        matches!(self.real_file(path), Err(ReadProblem::Missing))
    }

    /// The file's real path, when it is a file inside the root.
    fn real_file(&self, path: &BookPath) -> Result<PathBuf, ReadProblem> {
        let full = self.on_disk(path);
        let real = full.canonicalize().map_err(ReadProblem::from_io)?;
        if !real.starts_with(&self.root) {
            return Err(ReadProblem::EscapesRoot);
        }
        if !real.is_file() {
            return Err(ReadProblem::NotAFile);
        }
        Ok(real)
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadProblem {
    /// There is nothing there.
    Missing,
    /// A symlink leads outside the root.
    EscapesRoot,
    /// A folder or something else that is not a file.
    NotAFile,
    /// Larger than bindery reads.
    TooLarge {
        /// The file's size, or the limit plus one when it kept growing.
        size: u64,
        /// The most bytes allowed.
        limit: u64,
    },
    /// Any other I/O error, as the system says it.
    Io(String),
}

/// Reads at most `limit` bytes of the file at `path`.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    let file = std::fs::File::open(path).map_err(ReadProblem::from_io)?;
    let size = file.metadata().map_err(ReadProblem::from_io)?.len();
    if size > limit {
        return Err(ReadProblem::TooLarge { size, limit });
    }
    let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut data)
        .map_err(ReadProblem::from_io)?;
    if data.len() as u64 > limit {
        return Err(ReadProblem::TooLarge {
            size: limit + 1,
            limit,
        });
    }
    Ok(data)
}

impl ReadProblem {
    fn from_io(error: io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::NotFound => ReadProblem::Missing,
            _ => ReadProblem::Io(error.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_go_up_only_as_far_as_needed() {
        let path = |s: &str| BookPath(s.to_string());
        assert_eq!(
            path("book/chapters/b.md").relative_to(&path("book/chapters")),
            "b.md"
        );
        assert_eq!(
            path("book/assets/m.png").relative_to(&path("book/chapters")),
            "../assets/m.png"
        );
        assert_eq!(path("a.md").relative_to(&path("")), "a.md");
        assert_eq!(path("x/a.md").relative_to(&path("y/z")), "../../x/a.md");
    }

    fn root_with_book_at(book: &str) -> BookRoot {
        BookRoot {
            root: PathBuf::from("/repo"),
            book: BookPath(book.to_string()),
            book_dir: PathBuf::from("/repo").join(book),
        }
    }

    #[test]
    fn resolves_relative_paths_lexically() {
        let root = root_with_book_at("docs/guide");
        let base = root.book().clone();
        assert_eq!(
            root.resolve(&base, "chapters/./a.md").unwrap().as_str(),
            "docs/guide/chapters/a.md"
        );
        assert_eq!(
            root.resolve(&base, "../../examples/x.rs").unwrap().as_str(),
            "examples/x.rs"
        );
        assert_eq!(
            root.resolve(&base, "../../../x"),
            Err(PathProblem::EscapesRoot)
        );
        assert_eq!(
            root.resolve(&base, "/etc/passwd"),
            Err(PathProblem::Absolute)
        );
        assert_eq!(root.resolve(&base, "C:/x"), Err(PathProblem::Absolute));
        assert_eq!(
            root.resolve(&base, "\\\\server\\x"),
            Err(PathProblem::Absolute)
        );
        assert_eq!(root.resolve(&base, "a\\b"), Err(PathProblem::Backslash));
        assert_eq!(root.resolve(&base, "D:\\x"), Err(PathProblem::Absolute));
        assert_eq!(root.resolve(&base, "\\x"), Err(PathProblem::Absolute));
        assert_eq!(
            root.resolve(&base, "\u{2024}\u{2024}/x"),
            Err(PathProblem::Deceptive('\u{2024}'))
        );
        assert_eq!(
            root.resolve(&base, "a\u{202E}b"),
            Err(PathProblem::Deceptive('\u{202E}'))
        );
        // Joiners are part of how some scripts are spelt.
        assert!(root.resolve(&base, "\u{0645}\u{200C}\u{06CC}.md").is_ok());
        assert_eq!(root.resolve(&base, "."), Err(PathProblem::Empty));
    }

    #[test]
    fn displays_paths_relative_to_the_book_folder() {
        let root = root_with_book_at("docs/guide");
        assert_eq!(
            root.display(&BookPath("docs/guide/chapters/a.md".into())),
            "chapters/a.md"
        );
        assert_eq!(
            root.display(&BookPath("examples/x.rs".into())),
            "../../examples/x.rs"
        );
        let flat = root_with_book_at("");
        assert_eq!(
            flat.display(&BookPath("chapters/a.md".into())),
            "chapters/a.md"
        );
    }
}
