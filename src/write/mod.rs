//! Entries → the EPUB file: the last stage of a build.
//!
//! The zip is deterministic: `mimetype` first and stored (OCF, EPUB 3.3
//! section 4.2.2), then the entries in the order given, every one with
//! the same timestamp and permissions. It is written to a temporary file
//! beside the target, flushed to disk and renamed into place, so a failed
//! build never leaves a broken file where a good one was.

use crate::diag::{Code, Diagnostic, ToDiagnostic};
use crate::load::Content;
use crate::package::Entry;
use crate::time::Timestamp;
use rayon::prelude::*;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zip::write::{SimpleFileOptions, ZipWriter};
use zip::{CompressionMethod, DateTime, ZipArchive};

/// Writing the EPUB failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot write `{}`: {message}", path.display())]
pub struct WriteError {
    /// The file or folder that could not be written.
    pub path: PathBuf,
    /// The system's words.
    pub message: String,
    /// What kind of failure it was, when the system said.
    pub kind: Option<io::ErrorKind>,
    /// Why bindery did not, or could not, write.
    pub cause: Cause,
}

/// Why an EPUB was not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cause {
    /// The output could not be written: the system's error.
    #[default]
    Output,
    /// A file of the book, not the EPUB, could not be read as it was when
    /// the book was loaded.
    SourceChanged,
    /// A symbolic link inside the book stands where the default output
    /// goes: writing would follow it out of the book.
    Link,
    /// The output is one of the book's own files.
    Input,
}

impl WriteError {
    fn new(path: &Path, error: impl std::fmt::Display) -> Self {
        WriteError {
            path: path.to_path_buf(),
            message: error.to_string(),
            kind: None,
            cause: Cause::Output,
        }
    }

    /// An error of the system writing `path`.
    pub fn io(path: &Path, error: &io::Error) -> Self {
        WriteError {
            kind: Some(error.kind()),
            ..WriteError::new(path, error)
        }
    }
}

impl ToDiagnostic for WriteError {
    fn code(&self) -> Code {
        match self.cause {
            Cause::Output => Code::WriteFailed,
            Cause::SourceChanged => Code::ImageChanged,
            Cause::Link => Code::OutputThroughLink,
            Cause::Input => Code::OutputIsInput,
        }
    }

    fn to_diagnostic(&self) -> Diagnostic {
        match self.cause {
            Cause::SourceChanged => {
                return Diagnostic::new(
                    Code::ImageChanged,
                    format!("cannot read `{}`: {}", self.path.display(), self.message),
                )
                .with_help("build again once nothing is writing to the book's files; the old EPUB, if there was one, is untouched");
            }
            Cause::Link => {
                return Diagnostic::new(
                    Code::OutputThroughLink,
                    format!(
                        "`{}` is a symbolic link inside the book: bindery does not write through it",
                        self.path.display()
                    ),
                )
                .with_help("remove the link, or name the output with `-o FILE` (a link given there is followed)");
            }
            Cause::Input => {
                return Diagnostic::new(
                    Code::OutputIsInput,
                    format!(
                        "`{}` is a file of the book, which the output would replace",
                        self.path.display()
                    ),
                )
                .with_help("write elsewhere with `-o`, such as `bindery build -o build/book.epub` or `bindery site -o build/site`");
            }
            Cause::Output => {}
        }
        Diagnostic::new(Code::WriteFailed, self.to_string()).with_help(match self.kind {
            Some(io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded) => {
                "the disk is full: free some space, or write elsewhere with `-o`; the old EPUB, if there was one, is untouched"
            }
            Some(io::ErrorKind::ReadOnlyFilesystem) => {
                "the output folder is on a read-only file system: write elsewhere with `-o`"
            }
            Some(io::ErrorKind::PermissionDenied) => {
                "bindery may not write in the output folder: change its permissions, or write elsewhere with `-o`"
            }
            // Set above, for an output that is there and is not a file.
            Some(io::ErrorKind::AlreadyExists) => {
                "name a file with `-o`, such as `-o build/book.epub`: only a file is replaced"
            }
            _ => "check that the output folder exists or can be created, is writable and has space",
        })
    }
}

/// The prefix of the temporary files beside `file_name`: the file name
/// itself, hidden, then the writing process's id, so that a later build
/// can tell a temporary file left by a build that was killed from one
/// that another build is still writing.
fn temp_prefix(file_name: &str) -> String {
    format!(".{file_name}.")
}

/// Removes the temporary files that builds of `file_name` killed before
/// they could clean up left in `dir`: those whose process is gone. Files
/// whose process cannot be checked (not on Linux) are removed once they
/// are a day old. Only a file that is bindery's own is removed, whatever
/// its name ([`is_own_temp`]). Errors are ignored: this is tidying, not
/// building.
fn remove_stale_temps(dir: &Path, file_name: &str) {
    let prefix = temp_prefix(file_name);
    let Ok(listing) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in listing.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(rest) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid, &entry) && is_own_temp(&entry.path()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// How every EPUB bindery writes begins: the local header of the
/// `mimetype` entry, stored, without an extra field (OCF, EPUB 3.3 section
/// 4.2.2). Bytes 4 to 25 (version, flags, time, checksum and sizes, which
/// are filled in once the content is written) are left out of the
/// comparison.
const OWN_HEADER: [(usize, &[u8]); 2] = [(0, b"PK\x03\x04"), (26, b"\x08\x00\x00\x00mimetype")];

/// The content of the `mimetype` entry, right after its header.
const OWN_MIMETYPE: &[u8] = b"application/epub+zip";

/// Whether the file at `path` is a temporary file bindery wrote: a
/// regular file, not a link, that is empty or begins as bindery's EPUBs
/// begin. A build killed early leaves the header alone, the content not
/// yet flushed, so what follows the header may be any beginning of the
/// content. A file that only has the name of one, which a book may hold
/// to have it deleted, is not bindery's.
fn is_own_temp(path: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.file_type().is_file() {
        return false;
    }
    if meta.len() == 0 {
        return true;
    }
    // A local header is 30 bytes long, and the name follows it.
    let header_len = 30 + b"mimetype".len();
    let mut head = Vec::new();
    let limit = (header_len + OWN_MIMETYPE.len()) as u64;
    if std::fs::File::open(path)
        .and_then(|file| file.take(limit).read_to_end(&mut head))
        .is_err()
    {
        return false;
    }
    let Some(content) = head.get(header_len..) else {
        return false;
    };
    OWN_HEADER
        .iter()
        .all(|(at, bytes)| head.get(*at..at + bytes.len()) == Some(*bytes))
        && OWN_MIMETYPE.starts_with(content)
}

/// Refuses to write `file` where a symbolic link would take the writing
/// out of `base`: no part of its path below `base` may be a link. For an
/// output whose place the book decides (`build/<slug>.epub` and the site
/// beside it, inside the book's folder): a book from a stranger may hold
/// `build` as a link to anywhere. `base` itself, and a file the user
/// names with `-o`, are the user's own choice and are not checked.
pub fn refuse_links(base: &Path, file: &Path) -> Result<(), WriteError> {
    let Ok(below) = file.strip_prefix(base) else {
        return Ok(());
    };
    let mut at = base.to_path_buf();
    for part in below.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(WriteError {
                    cause: Cause::Link,
                    ..WriteError::new(&at, "it is a symbolic link")
                });
            }
            Ok(_) => {}
            // Nothing there yet, so nothing below it either.
            Err(_) => break,
        }
    }
    Ok(())
}

/// Refuses an output that is one of `inputs`, the files the book was made
/// from (`-o chapters/01.md` would replace the chapter with the EPUB). The
/// files are compared as the system knows them, so another path to the
/// same file, through a link or `..`, is refused too.
pub fn refuse_inputs(output: &Path, inputs: &[PathBuf]) -> Result<(), WriteError> {
    // Only a regular file is opened to be compared: opening a named pipe
    // would wait for a writer. Nothing there is nothing to replace, and
    // anything else is refused when the EPUB is written.
    if !std::fs::metadata(output).is_ok_and(|meta| meta.is_file()) {
        return Ok(());
    }
    let Ok(target) = same_file::Handle::from_path(output) else {
        return Ok(());
    };
    for input in inputs {
        if same_file::Handle::from_path(input).is_ok_and(|handle| handle == target) {
            return Err(WriteError {
                cause: Cause::Input,
                ..WriteError::new(output, "it is a file of the book")
            });
        }
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32, _entry: &std::fs::DirEntry) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_alive(_pid: u32, entry: &std::fs::DirEntry) -> bool {
    let day = std::time::Duration::from_secs(24 * 60 * 60);
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_none_or(|age| age < day)
}

/// The zip timestamp for an instant: DOS time holds 1980 to 2107 only,
/// so instants outside are clamped to the nearest end.
fn zip_time(timestamp: Timestamp) -> DateTime {
    let c = timestamp.civil();
    let fallback = DateTime::default();
    if c.year < 1980 {
        return fallback;
    }
    if c.year > 2107 {
        return DateTime::from_date_and_time(2107, 12, 31, 23, 59, 58).unwrap_or(fallback);
    }
    DateTime::from_date_and_time(c.year as u16, c.month, c.day, c.hour, c.minute, c.second)
        .unwrap_or(fallback)
}

/// Writes the EPUB to `output`, replacing it only when complete.
pub fn write_epub(
    entries: Vec<Entry>,
    timestamp: Timestamp,
    output: &Path,
) -> Result<u64, WriteError> {
    write_epub_cached(entries, timestamp, output, None)
}

/// Entries deflated by earlier builds, by name, with the bytes they were
/// deflated from: a rebuild deflates only what changed.
#[derive(Default)]
pub struct DeflateCache {
    entries: std::collections::BTreeMap<String, (Content, Arc<Vec<u8>>)>,
    /// The time stamped on the entries, which is part of their bytes.
    timestamp: Option<i64>,
}

/// [`write_epub`], reusing and refilling `cache`.
pub fn write_epub_cached(
    entries: Vec<Entry>,
    timestamp: Timestamp,
    output: &Path,
    cache: Option<&mut DeflateCache>,
) -> Result<u64, WriteError> {
    // A link is followed, so the file it points at is replaced, not the link.
    let resolved;
    let output = match std::fs::symlink_metadata(output) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::read_link(output).map_err(|e| WriteError::new(output, e))?;
            resolved = match output.parent() {
                Some(dir) if target.is_relative() => dir.join(target),
                _ => target,
            };
            resolved.as_path()
        }
        _ => output,
    };
    // Renaming over a folder, a device or a pipe would destroy it or fail
    // half-way: only a regular file may be replaced.
    if let Ok(meta) = std::fs::metadata(output)
        && !meta.is_file()
    {
        return Err(WriteError {
            kind: Some(io::ErrorKind::AlreadyExists),
            ..WriteError::new(
                output,
                if meta.is_dir() {
                    "it is a folder; name a file such as `book.epub`"
                } else {
                    "it is not a regular file but a named pipe, a socket or a device"
                },
            )
        });
    }
    let dir = match output.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| WriteError::io(&dir, &e))?;
    let file_name = output
        .file_name()
        .map_or("book.epub".into(), |n| n.to_string_lossy());
    remove_stale_temps(&dir, &file_name);
    let temp = tempfile::Builder::new()
        .prefix(&format!(
            "{}{}.",
            temp_prefix(&file_name),
            std::process::id()
        ))
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| WriteError::io(&dir, &e))?;

    let size = write_zip(temp.as_file(), entries, timestamp, cache).map_err(|e| {
        match e.get_ref().and_then(|e| e.downcast_ref::<SourceProblem>()) {
            Some(problem) => WriteError {
                path: problem.file.clone(),
                message: problem.message.clone(),
                kind: None,
                cause: Cause::SourceChanged,
            },
            None => WriteError::io(output, &e),
        }
    })?;
    temp.as_file()
        .sync_all()
        .map_err(|e| WriteError::io(output, &e))?;
    set_readable(temp.path()).map_err(|e| WriteError::io(output, &e))?;
    temp.persist(output)
        .map_err(|e| WriteError::io(output, &e.error))?;
    Ok(size)
}

fn write_zip(
    file: &std::fs::File,
    entries: Vec<Entry>,
    timestamp: Timestamp,
    cache: Option<&mut DeflateCache>,
) -> io::Result<u64> {
    let buffered = io::BufWriter::new(Sticky::new(file));
    let mut zip = ZipWriter::new(buffered);
    let base = SimpleFileOptions::default()
        .last_modified_time(zip_time(timestamp))
        .unix_permissions(0o644);
    let stored = base.compression_method(CompressionMethod::Stored);
    let deflated = base
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6));

    zip.start_file("mimetype", stored).map_err(zip_io)?;
    zip.write_all(b"application/epub+zip")?;
    // Deflating is most of the work of writing: each entry is deflated on
    // its own, in parallel, into a one-entry zip in memory, and copied
    // from there as it is, in the fixed order. Each entry's bytes are let
    // go as soon as they are deflated, so a book is not held twice.
    let mut cache = cache;
    if let Some(cache) = cache.as_deref_mut()
        && cache.timestamp != Some(timestamp.unix)
    {
        cache.entries.clear();
        cache.timestamp = Some(timestamp.unix);
    }
    let known = cache.as_deref();
    let keep = known.is_some();
    let ready: Vec<io::Result<(Ready, Option<Kept>)>> = entries
        .into_par_iter()
        .map(|entry| {
            if !entry.compress {
                return Ok((Ready::Stored(entry), None));
            }
            let earlier = known
                .and_then(|c| c.entries.get(&entry.name))
                .filter(|(before, _)| same_bytes(before, &entry.body))
                .map(|(_, one)| one.clone());
            let one = match earlier {
                Some(one) => one,
                None => Arc::new(deflate_alone(&entry, deflated)?),
            };
            // Files on disk may change without their entry knowing: never kept.
            let kept = match entry.body {
                Content::OnDisk { .. } => None,
                body if keep => Some((entry.name, (body, one.clone()))),
                _ => None,
            };
            Ok((Ready::Deflated(one), kept))
        })
        .collect();
    let mut kept = Vec::new();
    for result in ready {
        let (ready, keep) = result?;
        kept.extend(keep);
        match ready {
            Ready::Deflated(one) => {
                let mut archive = ZipArchive::new(io::Cursor::new(&one[..])).map_err(zip_io)?;
                let file = archive.by_index_raw(0).map_err(zip_io)?;
                zip.raw_copy_file(file).map_err(zip_io)?;
            }
            Ready::Stored(entry) => {
                zip.start_file(entry.name.as_str(), stored)
                    .map_err(zip_io)?;
                copy_body(&entry.body, &mut zip)?;
            }
        }
    }
    if let Some(cache) = cache {
        cache.entries = kept.into_iter().collect();
    }
    let mut buffered = zip.finish().map_err(zip_io)?;
    buffered.flush()?;
    let file = buffered.into_inner().map_err(|e| e.into_error())?;
    Ok(file.inner.metadata()?.len())
}

/// An entry made ready for the zip.
enum Ready {
    /// Deflated, as a one-entry zip in memory.
    Deflated(Arc<Vec<u8>>),
    /// To be stored as it is.
    Stored(Entry),
}

/// What the deflate cache keeps of an entry: its name, its bytes and the
/// one-entry zip they were deflated into.
type Kept = (String, (Content, Arc<Vec<u8>>));

/// Whether an entry holds the bytes a cached one was deflated from: the
/// same shared text is known to be, without comparing it.
fn same_bytes(before: &Content, now: &Content) -> bool {
    match (before, now) {
        (Content::Text(a), Content::Text(b)) => Arc::ptr_eq(a, b) || a == b,
        (Content::Bytes(a), Content::Bytes(b)) => a == b,
        _ => false,
    }
}

/// A file that was to be streamed into the EPUB could not be read as it
/// was when the book was loaded.
#[derive(Debug)]
struct SourceProblem {
    file: PathBuf,
    message: String,
}

impl std::fmt::Display for SourceProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.file.display(), self.message)
    }
}

impl std::error::Error for SourceProblem {}

/// Writes an entry's bytes to `out`: from memory, or streamed from its
/// file, which must still have the size it had when it was loaded.
fn copy_body(body: &Content, out: &mut impl Write) -> io::Result<()> {
    let (file, size) = match body {
        Content::Bytes(data) => return out.write_all(data),
        Content::Text(text) => return out.write_all(text.as_bytes()),
        Content::OnDisk { file, size } => (file, *size),
    };
    let problem = |message: String| {
        io::Error::other(SourceProblem {
            file: file.clone(),
            message,
        })
    };
    let changed = || problem("the file changed while the book was being built".into());
    let mut source = std::fs::File::open(file).map_err(|e| problem(e.to_string()))?;
    let mut buffer = vec![0; 64 * 1024];
    let mut left = size;
    while left > 0 {
        let want = buffer
            .len()
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        let read = match source.read(&mut buffer[..want]) {
            Ok(0) => return Err(changed()),
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(problem(e.to_string())),
        };
        // Only the writing can fail from here on: its error is the EPUB's.
        out.write_all(&buffer[..read])?;
        left -= read as u64;
    }
    match source.read(&mut buffer[..1]) {
        Ok(0) => Ok(()),
        _ => Err(changed()),
    }
}

/// The zip crate's error as the I/O error it often is, so that its kind
/// (a full disk, a read-only file system) reaches the message.
fn zip_io(error: zip::result::ZipError) -> io::Error {
    match error {
        zip::result::ZipError::Io(error) => error,
        other => io::Error::other(other),
    }
}

/// A writer that, once a write has failed, accepts and drops everything
/// after it. The first error still reaches the build; this only keeps the
/// zip crate, which finishes the archive again when it is dropped after a
/// failure, from printing that second failure on standard error.
struct Sticky<W> {
    inner: W,
    failed: bool,
    /// Where the writer would be, once it writes nowhere.
    position: u64,
}

impl<W> Sticky<W> {
    fn new(inner: W) -> Self {
        Sticky {
            inner,
            failed: false,
            position: 0,
        }
    }
}

impl<W: Write> Write for Sticky<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.failed {
            self.position += buf.len() as u64;
            return Ok(buf.len());
        }
        let written = self.inner.write(buf).inspect_err(|_| self.failed = true)?;
        self.position += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.failed {
            return Ok(());
        }
        self.inner.flush().inspect_err(|_| self.failed = true)
    }
}

impl<W: io::Seek> io::Seek for Sticky<W> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        if !self.failed {
            let at = self.inner.seek(to).inspect_err(|_| self.failed = true)?;
            self.position = at;
            return Ok(at);
        }
        self.position = match to {
            io::SeekFrom::Start(at) => at,
            io::SeekFrom::Current(by) | io::SeekFrom::End(by) => {
                self.position.saturating_add_signed(by)
            }
        };
        Ok(self.position)
    }
}

/// A zip in memory holding one entry, deflated.
fn deflate_alone(entry: &Entry, options: SimpleFileOptions) -> io::Result<Vec<u8>> {
    let capacity = usize::try_from(entry.size() / 3 + 256).unwrap_or(0);
    let mut zip = ZipWriter::new(io::Cursor::new(Vec::with_capacity(capacity)));
    zip.start_file(entry.name.as_str(), options)
        .map_err(zip_io)?;
    copy_body(&entry.body, &mut zip)?;
    Ok(zip.finish().map_err(zip_io)?.into_inner())
}

/// Temporary files are created private (0600); an EPUB is for sharing.
#[cfg(unix)]
fn set_readable(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_readable(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries in memory and the same entries streamed from files.
    fn entries(dir: &Path, on_disk: bool) -> Vec<Entry> {
        let picture = vec![7u8; 200_000];
        let drawing = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".repeat(1000);
        let body = |name: &str, data: &[u8]| {
            if on_disk {
                let file = dir.join(name);
                std::fs::write(&file, data).unwrap();
                Content::OnDisk {
                    file,
                    size: data.len() as u64,
                }
            } else {
                Content::Bytes(data.to_vec())
            }
        };
        vec![
            Entry {
                name: "EPUB/media/p.png".into(),
                body: body("p.png", &picture),
                compress: false,
            },
            Entry {
                name: "EPUB/media/d.svg".into(),
                body: body("d.svg", drawing.as_bytes()),
                compress: true,
            },
        ]
    }

    #[test]
    fn files_streamed_from_disk_give_the_same_bytes_as_files_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let time = Timestamp::from_date(2026, 1, 1);
        let (a, b) = (dir.path().join("a.epub"), dir.path().join("b.epub"));
        write_epub(entries(dir.path(), false), time, &a).unwrap();
        write_epub(entries(dir.path(), true), time, &b).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    }

    #[test]
    fn a_file_that_changed_since_it_was_loaded_fails_the_build_and_keeps_the_old_epub() {
        let dir = tempfile::tempdir().unwrap();
        let time = Timestamp::from_date(2026, 1, 1);
        let out = dir.path().join("book.epub");
        std::fs::write(&out, b"the old book").unwrap();
        for (compress, size) in [
            (false, 10),
            (false, 1_000_000),
            (true, 10),
            (true, 1_000_000),
        ] {
            let mut list = entries(dir.path(), true);
            let entry = &mut list[usize::from(compress)];
            let Content::OnDisk { size: was, .. } = &mut entry.body else {
                unreachable!()
            };
            *was = size;
            let error = write_epub(list, time, &out).unwrap_err();
            assert_eq!(error.cause, Cause::SourceChanged);
            let diagnostic = error.to_diagnostic();
            assert_eq!(diagnostic.code, "B301");
            assert!(
                diagnostic
                    .message
                    .ends_with("the file changed while the book was being built"),
                "{}",
                diagnostic.message
            );
            assert_eq!(std::fs::read(&out).unwrap(), b"the old book");
        }
        let mut list = entries(dir.path(), true);
        std::fs::remove_file(dir.path().join("p.png")).unwrap();
        list.truncate(1);
        let error = write_epub(list, time, &out).unwrap_err();
        assert_eq!(error.to_diagnostic().code, "B301");
        assert!(error.path.ends_with("p.png"), "{}", error.path.display());
    }

    #[test]
    fn timestamps_outside_the_dos_range_are_clamped() {
        assert_eq!(zip_time(Timestamp { unix: 0 }), DateTime::default());
        let late = zip_time(Timestamp {
            unix: 5_000_000_000,
        });
        assert_eq!(late.year(), 2107);
        let t = zip_time(Timestamp::from_date(2026, 11, 27));
        assert_eq!((t.year(), t.month(), t.day()), (2026, 11, 27));
    }
}
