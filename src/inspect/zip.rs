//! The zip of an EPUB → its entries in memory, bounded.
//!
//! Every entry is inflated through [`Read::take`], so an entry that is
//! larger than its header says, or a zip bomb, stops at the limit. Entry
//! names are checked, never used as paths on disk: nothing is extracted.

use super::InspectError;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::sync::Arc;

/// The container file every EPUB has (EPUB 3.3 section 4.2.6.3.1).
pub(super) const CONTAINER: &str = "META-INF/container.xml";

/// Entries up to this size are kept whole; of larger ones, only the
/// first bytes are kept (for sniffing), after they are read through once.
const KEEP: u64 = 16 * 1024 * 1024;
/// How many bytes of a large entry are kept.
const HEAD: usize = 64;
/// Below this size, any compression ratio is fine: small text files of
/// repeated characters compress very well.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// How much an EPUB may inflate to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes one entry may inflate to.
    pub entry: u64,
    /// The most bytes all entries together may inflate to.
    pub total: u64,
    /// The most an entry larger than 1 MiB may inflate to, as a multiple
    /// of its compressed size.
    pub ratio: u64,
}

impl Default for Limits {
    /// 512 MiB per entry, 2 GiB in all, a ratio of 100: far above any real
    /// e-book (deflate reaches 5 to 10 on text), far below a zip bomb.
    fn default() -> Self {
        Limits {
            entry: 512 * 1024 * 1024,
            total: 2 * 1024 * 1024 * 1024,
            ratio: 100,
        }
    }
}

/// One entry, read.
struct Entry {
    /// All of its bytes, or the first [`HEAD`] of them.
    data: Vec<u8>,
    /// Whether `data` is all of it.
    complete: bool,
    /// Its text, when it is complete and UTF-8.
    text: Option<Arc<str>>,
}

/// The readable entries of an EPUB, by name.
pub(super) struct Archive {
    entries: BTreeMap<String, Entry>,
    /// Entries that are there but were not read (too large, damaged, an
    /// unsafe name), each reported once already: a reference to one is not
    /// a reference to nothing.
    refused: std::collections::BTreeSet<String>,
}

impl Archive {
    /// Whether the zip has an entry of that name, read or refused.
    pub(super) fn contains(&self, name: &str) -> bool {
        self.entries.contains_key(name) || self.refused.contains(name)
    }

    /// The first bytes of an entry, or all of it.
    pub(super) fn head(&self, name: &str) -> Option<&[u8]> {
        self.entries.get(name).map(|e| &e.data[..])
    }

    /// All the bytes of an entry, if it was kept whole.
    pub(super) fn data(&self, name: &str) -> Option<&[u8]> {
        self.entries
            .get(name)
            .filter(|e| e.complete)
            .map(|e| &e.data[..])
    }

    /// An entry's text: `Ok(None)` when there is no such entry (or it was
    /// too large to keep), an error when it is not UTF-8.
    pub(super) fn text(&self, name: &str) -> Result<Option<Arc<str>>, InspectError> {
        match self.entries.get(name) {
            Some(entry) if entry.complete => match &entry.text {
                Some(text) => Ok(Some(text.clone())),
                None => Err(InspectError::NotUtf8 {
                    entry: name.to_string(),
                }),
            },
            _ => Ok(None),
        }
    }

    /// The text of the entries diagnostics may quote: the XML ones.
    pub(super) fn texts(&self) -> Vec<(String, Arc<str>)> {
        self.entries
            .iter()
            .filter(|(name, _)| {
                let lower = name.to_ascii_lowercase();
                [".xhtml", ".html", ".htm", ".xml", ".opf", ".ncx", ".svg"]
                    .iter()
                    .any(|ext| lower.ends_with(ext))
            })
            .filter_map(|(name, e)| Some((name.clone(), e.text.clone()?)))
            .collect()
    }
}

/// Why an entry name must not be used (OCF, EPUB 3.3 section 4.1.5: names
/// are relative paths with `/` as the separator).
fn unsafe_name(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    if name.contains('\0') {
        Some("it holds a NUL character")
    } else if name.contains('\\') {
        Some("it holds a backslash")
    } else if name.starts_with('/') {
        Some("it is an absolute path")
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        Some("it starts with a drive letter")
    } else if name.split('/').any(|segment| segment == "..") {
        Some("it climbs out of the container with `..`")
    } else {
        None
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at + 2)?;
    Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
}

/// Opens the zip and reads every entry, within `limits`. `None` when the
/// file is not a zip at all.
pub(super) fn read_archive(
    bytes: &[u8],
    limits: &Limits,
    problems: &mut Vec<InspectError>,
) -> Option<Archive> {
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(zip) => zip,
        Err(e) => {
            problems.push(InspectError::NotZip {
                message: e.to_string(),
            });
            return None;
        }
    };
    if zip.has_duplicate_names() {
        problems.push(InspectError::DuplicateEntry { name: None });
    }
    let mut entries = BTreeMap::new();
    let mut refused = std::collections::BTreeSet::new();
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let Ok(meta) = zip.by_index_data(index) else {
            continue;
        };
        let name = String::from_utf8_lossy(meta.name_raw()).into_owned();
        if std::str::from_utf8(meta.name_raw()).is_err() {
            refused.insert(name.clone());
            problems.push(InspectError::NameNotUtf8 { name });
            continue;
        }
        if let Some(reason) = unsafe_name(&name) {
            refused.insert(name.clone());
            problems.push(InspectError::UnsafeName { name, reason });
            continue;
        }
        if name.ends_with('/') {
            continue;
        }
        if entries.contains_key(&name) {
            problems.push(InspectError::DuplicateEntry { name: Some(name) });
            continue;
        }
        let declared = meta.size();
        if declared > limits.entry {
            refused.insert(name.clone());
            problems.push(InspectError::TooLarge {
                reason: format!(
                    "says it inflates to {declared} bytes, more than the {} allowed for one entry",
                    limits.entry
                ),
                name,
            });
            continue;
        }
        let compressed = meta.compressed_size();
        let by_ratio = compressed.saturating_mul(limits.ratio).max(RATIO_FLOOR);
        let remaining = limits.total.saturating_sub(total);
        let cap = limits.entry.min(by_ratio).min(remaining);
        let mut file = match zip.by_index(index) {
            Ok(file) => file,
            Err(e) => {
                refused.insert(name.clone());
                problems.push(InspectError::Unreadable {
                    name,
                    message: e.to_string(),
                });
                continue;
            }
        };
        let keep = declared <= KEEP;
        let mut data = Vec::new();
        let mut read: u64 = 0;
        let mut buffer = [0u8; 64 * 1024];
        let mut limited = (&mut file).take(cap.saturating_add(1));
        let outcome = loop {
            match limited.read(&mut buffer) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    read += n as u64;
                    if keep {
                        data.extend_from_slice(&buffer[..n]);
                    } else if data.len() < HEAD {
                        let room = HEAD - data.len();
                        data.extend_from_slice(&buffer[..n.min(room)]);
                    }
                }
                Err(e) => break Err(e),
            }
        };
        total = total.saturating_add(read.min(cap));
        if read > cap {
            let reason = if cap == remaining {
                format!(
                    "takes the EPUB past {} bytes inflated, the most allowed in all",
                    limits.total
                )
            } else if cap == limits.entry {
                format!(
                    "inflates to more than {} bytes, the most allowed for one entry",
                    limits.entry
                )
            } else {
                format!(
                    "inflates to more than {} times its compressed size of {compressed} bytes",
                    limits.ratio
                )
            };
            refused.insert(name.clone());
            problems.push(InspectError::TooLarge { name, reason });
            if cap == remaining {
                break;
            }
            continue;
        }
        if let Err(e) = outcome {
            refused.insert(name.clone());
            problems.push(InspectError::Unreadable {
                name,
                message: e.to_string(),
            });
            continue;
        }
        let text = if keep {
            std::str::from_utf8(&data).ok().map(Arc::from)
        } else {
            None
        };
        entries.insert(
            name,
            Entry {
                data,
                complete: keep,
                text,
            },
        );
    }
    let archive = Archive { entries, refused };
    check_mimetype(bytes, &archive, problems);
    Some(archive)
}

/// `mimetype` must be the first entry, stored, without an extra field,
/// holding exactly `application/epub+zip` (EPUB 3.3 section 4.2.2). Like
/// EPUBCheck, this reads the first local header itself, since that is
/// what reading systems sniff.
fn check_mimetype(bytes: &[u8], archive: &Archive, problems: &mut Vec<InspectError>) {
    let local_header = bytes.starts_with(b"PK\x03\x04");
    let name_len = u16_at(bytes, 26);
    let first = match (local_header, name_len) {
        (true, Some(len)) => bytes
            .get(30..30 + len)
            .map(|n| String::from_utf8_lossy(n).into_owned()),
        _ => None,
    };
    if first.as_deref() != Some("mimetype") {
        problems.push(InspectError::MimetypeNotFirst { found: first });
        return;
    }
    if u16_at(bytes, 8) != Some(0) {
        problems.push(InspectError::MimetypeWrong {
            problem: "is compressed".into(),
        });
    }
    if let Some(extra) = u16_at(bytes, 28).filter(|&n| n > 0) {
        problems.push(InspectError::MimetypeWrong {
            problem: format!("has an extra field of {extra} bytes"),
        });
    }
    if let Some(data) = archive.data("mimetype")
        && data != b"application/epub+zip"
    {
        let shown: String = String::from_utf8_lossy(data).chars().take(60).collect();
        problems.push(InspectError::MimetypeWrong {
            problem: format!(
                "holds `{}`, not `application/epub+zip`",
                shown.escape_debug()
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_are_named() {
        assert_eq!(unsafe_name("EPUB/text/01.xhtml"), None);
        assert_eq!(unsafe_name("EPUB/a..b.xhtml"), None);
        assert!(unsafe_name("../evil").is_some());
        assert!(unsafe_name("EPUB/../../evil").is_some());
        assert!(unsafe_name("/etc/passwd").is_some());
        assert!(unsafe_name("C:/evil").is_some());
        assert!(unsafe_name("EPUB\\evil").is_some());
    }
}
