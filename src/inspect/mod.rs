//! Any EPUB file → the problems in it: `bindery check FILE.epub`.
//!
//! This stage stands beside the build pipeline rather than in it: it takes
//! the bytes of an EPUB, whoever made it, and returns every problem it
//! finds as an [`InspectError`], each of which becomes a
//! [`Diagnostic`] whose `file` is the entry name inside the EPUB.
//!
//! It checks, in order:
//!
//! - the zip (`zip.rs`): `mimetype` first, stored and exact (EPUB 3.3
//!   section 4.2.2); entry names that are relative and stay inside the
//!   container (section 4.1.5); sizes and compression ratios within
//!   [`Limits`], so a zip bomb is reported instead of inflated;
//! - `META-INF/container.xml` and the package document (`package.rs`):
//!   required metadata, the unique identifier, manifest items that exist
//!   and are what their media type says, unique ids and hrefs, the spine,
//!   one `nav` item, and the `svg`, `mathml`, `scripted` and
//!   `remote-resources` properties;
//! - every XHTML document (`xhtml.rs`): well-formed XML, the navigation
//!   document's `toc` nav, every link and resource reference resolving
//!   to a manifest item (and a fragment to an id in it), ids unique in
//!   their document, no block inside an element that holds only phrasing
//!   content, and well-formed language tags.
//!
//! Nothing is ever written to disk: entries are read into memory, bounded.
//! [`epubcheck`] runs the official validator, when it is installed, and
//! turns its report into diagnostics too.

pub mod epubcheck;
mod package;
mod xhtml;
mod zip;

use crate::diag::{Code, Diagnostic, Report, ToDiagnostic};
use crate::url::percent_decode;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

pub use self::zip::Limits;

/// One problem found in an EPUB.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InspectError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {message}")]
    Read {
        /// The file as given.
        path: String,
        /// The system's words.
        message: String,
    },
    /// The file is not a zip archive, or its directory is damaged.
    #[error("not a zip archive: {message}")]
    NotZip {
        /// The zip reader's words.
        message: String,
    },
    /// The first entry is not `mimetype`.
    #[error("the first entry of the zip is not `mimetype`")]
    MimetypeNotFirst {
        /// The name of the first entry, if there is one.
        found: Option<String>,
    },
    /// `mimetype` is compressed, has an extra field or the wrong content.
    #[error("`mimetype` {problem}")]
    MimetypeWrong {
        /// What is wrong with it.
        problem: String,
    },
    /// An entry name that would reach outside the container if followed.
    #[error("unsafe entry name `{name}`: {reason}")]
    UnsafeName {
        /// The name as stored.
        name: String,
        /// Why it is unsafe.
        reason: &'static str,
    },
    /// An entry whose name is not UTF-8, which OCF requires (EPUB 3.3
    /// section 4.1.5.2): reading systems would name it differently.
    #[error("the entry name `{name}` is not UTF-8")]
    NameNotUtf8 {
        /// The name, with each byte that is not UTF-8 shown as U+FFFD.
        name: String,
    },
    /// An entry larger, or more compressed, than [`Limits`] allow.
    #[error("`{name}` {reason}; it was not inflated further")]
    TooLarge {
        /// The entry.
        name: String,
        /// Which limit, with the numbers.
        reason: String,
    },
    /// An entry whose data cannot be read.
    #[error("cannot read `{name}` in the zip: {message}")]
    Unreadable {
        /// The entry.
        name: String,
        /// The zip reader's words.
        message: String,
    },
    /// Two entries with the same name.
    #[error("{}", match name {
        Some(name) => format!("the zip holds `{name}` more than once"),
        None => "the zip holds two entries with the same name".to_string(),
    })]
    DuplicateEntry {
        /// The name, when the zip reader tells it.
        name: Option<String>,
    },
    /// No `META-INF/container.xml`.
    #[error("`META-INF/container.xml` is missing")]
    NoContainer,
    /// The container names no package document.
    #[error("`META-INF/container.xml` names no package document")]
    NoRootfile,
    /// The package document the container names is not in the zip.
    #[error("the package document `{path}` is not in the zip")]
    RootfileMissing {
        /// The path the container gives.
        path: String,
    },
    /// An XML file that is not well-formed.
    #[error("`{entry}` is not well-formed XML: {message}")]
    NotWellFormed {
        /// The entry.
        entry: String,
        /// The parser's words.
        message: String,
        /// Where, in the entry's text.
        span: Option<Range<usize>>,
    },
    /// An XML file that is not UTF-8.
    #[error("`{entry}` is not UTF-8")]
    NotUtf8 {
        /// The entry.
        entry: String,
    },
    /// The package document's root is not an OPF `package`.
    #[error("`{entry}` is not a package document: its root is `<{found}>`")]
    NotPackage {
        /// The entry.
        entry: String,
        /// The root element's name.
        found: String,
    },
    /// A required metadata element is missing or empty.
    #[error("the package document has no {element}")]
    MissingMetadata {
        /// The element, such as `dc:title`.
        element: &'static str,
    },
    /// `unique-identifier` is missing or names no `dc:identifier`.
    #[error("{}", match id {
        Some(id) => format!("unique-identifier `{id}` is not the id of a dc:identifier"),
        None => "the package has no unique-identifier attribute".to_string(),
    })]
    UniqueIdentifier {
        /// The value of the attribute, if there is one.
        id: Option<String>,
    },
    /// A manifest item whose file is not in the zip.
    #[error("manifest item `{href}` is not in the zip")]
    ItemMissing {
        /// The item's href as written.
        href: String,
    },
    /// A manifest item that is not what its media type says.
    #[error("`{href}` is declared as `{declared}` but is {found}")]
    MediaTypeMismatch {
        /// The item's href as written.
        href: String,
        /// Its `media-type`.
        declared: String,
        /// What its content is.
        found: String,
    },
    /// Two elements of the package document with the same id.
    #[error("the id `{id}` is used more than once in the package document")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// Two manifest items for the same file.
    #[error("`{href}` is listed in the manifest more than once")]
    DuplicateHref {
        /// The href.
        href: String,
    },
    /// A spine `itemref` whose `idref` is not a manifest item.
    #[error("the spine refers to `{idref}`, which is not a manifest item")]
    UnknownIdref {
        /// The idref.
        idref: String,
    },
    /// Not exactly one manifest item with the `nav` property.
    #[error("{count} manifest items have the `nav` property; exactly one must")]
    NavCount {
        /// How many there are.
        count: usize,
    },
    /// An XHTML item whose content needs a property it does not declare.
    #[error("`{href}` needs the `{property}` property in the manifest")]
    PropertyMissing {
        /// The item's href.
        href: String,
        /// The property.
        property: &'static str,
    },
    /// An XHTML item declaring a property its content does not need.
    #[error("`{href}` has the `{property}` property but nothing in it needs it")]
    PropertyExtra {
        /// The item's href.
        href: String,
        /// The property.
        property: &'static str,
    },
    /// The navigation document has no `toc` nav with a list.
    #[error("the navigation document has no `<nav epub:type=\"toc\">` with an `<ol>`")]
    NoTocNav {
        /// The entry.
        entry: String,
    },
    /// A link or reference to a file that is not in the zip.
    #[error("`{target}` is not in the EPUB")]
    LinkMissing {
        /// The document that refers.
        entry: String,
        /// The reference as written.
        target: String,
        /// Where, in the document.
        span: Range<usize>,
    },
    /// A link or reference to a file that is in the zip but not a manifest item.
    #[error("`{target}` is not listed in the manifest")]
    LinkUndeclared {
        /// The document that refers.
        entry: String,
        /// The reference as written.
        target: String,
        /// Where, in the document.
        span: Range<usize>,
    },
    /// A link to an id that does not exist.
    #[error("`{target}` points to an id that does not exist")]
    FragmentMissing {
        /// The document that refers.
        entry: String,
        /// The reference as written.
        target: String,
        /// Where, in the document.
        span: Range<usize>,
    },
    /// Two elements of a content document with the same id.
    #[error("the id `{id}` is used more than once in this document")]
    DuplicateDocumentId {
        /// The document.
        entry: String,
        /// The id.
        id: String,
        /// Where the second one is.
        span: Range<usize>,
    },
    /// An element where XHTML does not allow it: a block inside an element
    /// that holds only text and phrasing elements.
    #[error(
        "`<{element}>` is not allowed inside `<{parent}>`, which holds only text and phrasing elements"
    )]
    MisplacedElement {
        /// The document.
        entry: String,
        /// The element.
        element: String,
        /// The element that may not hold it.
        parent: String,
        /// Where the element starts.
        span: Range<usize>,
    },
    /// A language tag that is not well-formed.
    #[error("{}", match attribute {
        Some(attribute) => format!("`{attribute}=\"{tag}\"` is not a language tag"),
        None => format!("the language tag `{tag}` in dc:language is not well-formed"),
    })]
    BadLanguageTag {
        /// The document.
        entry: String,
        /// The tag.
        tag: String,
        /// The attribute (`xml:lang`, `lang`) that holds it; `None` for
        /// the package's `dc:language`.
        attribute: Option<&'static str>,
        /// Where the tag is.
        span: Range<usize>,
    },
    /// A reference that leaves the container.
    #[error("`{target}` points outside the EPUB")]
    LinkOutside {
        /// The document that refers.
        entry: String,
        /// The reference as written.
        target: String,
        /// Where, in the document.
        span: Range<usize>,
    },
}

impl InspectError {
    /// Its code, EPUBCheck's id for the same problem, and what to do.
    fn parts(&self) -> (Code, Option<&'static str>, String) {
        use InspectError as E;
        match self {
            E::Read { .. } => (
                Code::EpubUnreadable,
                Some("PKG-018"),
                "check the path, and that the file can be read".into(),
            ),
            E::NotZip { .. } => (
                Code::NotAZip,
                Some("PKG-004"),
                "an EPUB is a zip archive; the file may be cut short or not an EPUB at all".into(),
            ),
            E::MimetypeNotFirst { found } => (
                Code::MimetypeNotFirst,
                Some("PKG-006"),
                match found {
                    Some(name) => format!(
                        "`{name}` comes first; write `mimetype` as the first entry, stored, then the rest"
                    ),
                    None => "write `mimetype` as the first entry, stored, then the rest".into(),
                },
            ),
            E::MimetypeWrong { .. } => (
                Code::MimetypeWrong,
                Some("PKG-007"),
                "`mimetype` must hold exactly `application/epub+zip`, stored without compression or extra field".into(),
            ),
            E::UnsafeName { reason, .. } => (
                Code::UnsafeEntryName,
                // EPUBCheck flags the characters OCF forbids in names, but
                // says nothing of `..` or a leading `/`.
                (!reason.contains("..") && !reason.contains("absolute")).then_some("PKG-009"),
                "entry names are relative paths with `/` between folders; the entry was not read".into(),
            ),
            E::NameNotUtf8 { .. } => (
                Code::EntryNameNotUtf8,
                Some("PKG-027"),
                "OCF requires entry names in UTF-8; rename the file and the references to it; the entry was not read".into(),
            ),
            E::TooLarge { .. } => (
                Code::EntryTooLarge,
                None,
                "this looks like a zip bomb; if the file is genuine, it is far larger than an e-book should be".into(),
            ),
            E::Unreadable { .. } => (
                Code::EntryUnreadable,
                Some("PKG-008"),
                "the entry is damaged, encrypted or compressed with a method other than deflate".into(),
            ),
            E::DuplicateEntry { .. } => (
                Code::DuplicateEntry,
                Some("OPF-060"),
                "remove all but one of the entries".into(),
            ),
            E::NoContainer => (
                Code::NoContainer,
                Some("RSC-002"),
                "every EPUB needs `META-INF/container.xml` naming its package document".into(),
            ),
            E::NoRootfile => (
                Code::NoRootfile,
                Some("RSC-003"),
                "add `<rootfile full-path=\"…\" media-type=\"application/oebps-package+xml\"/>` to `<rootfiles>`".into(),
            ),
            E::RootfileMissing { .. } => (
                Code::RootfileMissing,
                Some("OPF-002"),
                "correct `full-path` in `META-INF/container.xml`; it is relative to the root of the zip".into(),
            ),
            E::NotWellFormed { .. } => (
                Code::NotWellFormed,
                Some("RSC-016"),
                "XHTML in an EPUB must be XML: close every element, quote every attribute, write `&amp;` for `&`".into(),
            ),
            E::NotUtf8 { .. } => (
                Code::XmlNotUtf8,
                Some("RSC-028"),
                "save the file as UTF-8".into(),
            ),
            E::NotPackage { .. } => (
                Code::NotAPackage,
                Some("RSC-005"),
                "`full-path` in `META-INF/container.xml` must name the OPF file".into(),
            ),
            E::MissingMetadata { element } => (
                Code::MissingMetadata,
                Some("RSC-005"),
                match *element {
                    "dcterms:modified" => "add `<meta property=\"dcterms:modified\">2026-01-01T00:00:00Z</meta>` to the metadata".into(),
                    other => format!("add a non-empty `<{other}>` to the metadata"),
                },
            ),
            E::UniqueIdentifier { id } => (
                Code::BadUniqueIdentifier,
                Some(if id.is_some() { "OPF-030" } else { "OPF-048" }),
                "give `<package>` a unique-identifier attribute with the id of a `<dc:identifier>`".into(),
            ),
            E::ItemMissing { .. } => (
                Code::ItemMissing,
                Some("RSC-001"),
                "add the file to the EPUB or remove the item; hrefs are relative to the package document".into(),
            ),
            E::MediaTypeMismatch { .. } => (
                Code::MediaTypeMismatch,
                Some("OPF-029"),
                "correct the item's media-type, or convert the file".into(),
            ),
            E::DuplicateId { .. } => (
                Code::DuplicatePackageId,
                Some("RSC-005"),
                "ids must be unique within the package document".into(),
            ),
            E::DuplicateHref { .. } => (
                Code::DuplicateHref,
                Some("OPF-074"),
                "list each file once".into(),
            ),
            E::UnknownIdref { .. } => (
                Code::UnknownIdref,
                Some("OPF-049"),
                "each itemref's idref must be the id of a manifest item".into(),
            ),
            E::NavCount { .. } => (
                Code::NavCount,
                Some("RSC-005"),
                "give the navigation document, and only it, `properties=\"nav\"`".into(),
            ),
            E::PropertyMissing { property, .. } => (
                Code::PropertyMissing,
                Some("OPF-014"),
                format!("add `{property}` to the item's properties"),
            ),
            E::PropertyExtra { property, .. } => (
                Code::PropertyExtra,
                Some("OPF-015"),
                format!("remove `{property}` from the item's properties"),
            ),
            E::NoTocNav { .. } => (
                Code::NoTocNav,
                Some("RSC-005"),
                "the navigation document needs `<nav epub:type=\"toc\">` holding an `<ol>` of links".into(),
            ),
            E::LinkMissing { .. } => (
                Code::LinkMissing,
                Some("RSC-007"),
                "add the file or correct the reference; it is relative to the document that makes it".into(),
            ),
            E::LinkUndeclared { .. } => (
                Code::LinkUndeclared,
                Some("RSC-008"),
                "add an item for the file to the package document's manifest".into(),
            ),
            E::FragmentMissing { .. } => (
                Code::FragmentMissing,
                Some("RSC-012"),
                "correct the part after `#`, or give the target element that id".into(),
            ),
            E::DuplicateDocumentId { .. } => (
                Code::DuplicateDocumentId,
                Some("RSC-005"),
                "ids must be unique within a document: rename one of them, and the links to it".into(),
            ),
            E::MisplacedElement { parent, .. } => (
                Code::MisplacedElement,
                Some("RSC-005"),
                format!("close the `<{parent}>` before the block, or make the block a `<span>`"),
            ),
            E::BadLanguageTag { attribute, .. } => (
                Code::MalformedLanguageTag,
                Some(if attribute.is_some() { "RSC-005" } else { "OPF-092" }),
                "write a BCP 47 tag such as `en`, `en-GB` or `zh-Hant`: subtags joined by `-`, not `_`".into(),
            ),
            E::LinkOutside { .. } => (
                Code::LinkOutside,
                Some("RSC-026"),
                "references stay inside the EPUB: remove `..` segments that climb above its root".into(),
            ),
        }
    }

    /// The entry the problem is in, and where, if it has a place.
    fn place(&self) -> (Option<&str>, Option<Range<usize>>) {
        use InspectError as E;
        match self {
            E::MimetypeWrong { .. } => (Some("mimetype"), None),
            E::TooLarge { name, .. } | E::Unreadable { name, .. } | E::NameNotUtf8 { name } => {
                (Some(name), None)
            }
            E::NoRootfile => (Some(zip::CONTAINER), None),
            E::RootfileMissing { .. } => (Some(zip::CONTAINER), None),
            E::NotWellFormed { entry, span, .. } => (Some(entry), span.clone()),
            E::NotUtf8 { entry } | E::NotPackage { entry, .. } | E::NoTocNav { entry } => {
                (Some(entry), None)
            }
            E::LinkMissing { entry, span, .. }
            | E::DuplicateDocumentId { entry, span, .. }
            | E::MisplacedElement { entry, span, .. }
            | E::BadLanguageTag { entry, span, .. }
            | E::LinkUndeclared { entry, span, .. }
            | E::FragmentMissing { entry, span, .. }
            | E::LinkOutside { entry, span, .. } => (Some(entry), Some(span.clone())),
            _ => (None, None),
        }
    }

    /// Whether the problem is in the package document without a place of
    /// its own there: its diagnostic names the OPF's entry, once known.
    fn in_package(&self) -> bool {
        matches!(
            self,
            InspectError::MissingMetadata { .. }
                | InspectError::UniqueIdentifier { .. }
                | InspectError::ItemMissing { .. }
                | InspectError::MediaTypeMismatch { .. }
                | InspectError::DuplicateId { .. }
                | InspectError::DuplicateHref { .. }
                | InspectError::UnknownIdref { .. }
                | InspectError::NavCount { .. }
                | InspectError::PropertyMissing { .. }
                | InspectError::PropertyExtra { .. }
        )
    }
}

impl ToDiagnostic for InspectError {
    fn code(&self) -> Code {
        self.parts().0
    }

    /// The problem; one in the package document without a place of its
    /// own has no file yet ([`Inspection::to_report`] names the OPF).
    fn to_diagnostic(&self) -> Diagnostic {
        let (code, epubcheck, help) = self.parts();
        let (file, span) = self.place();
        let mut diagnostic = Diagnostic::new(code, self.to_string())
            .with_help(help)
            .at_opt(span);
        if let Some(file) = file {
            diagnostic = diagnostic.in_file(file);
        }
        if let Some(id) = epubcheck {
            diagnostic = diagnostic.with_epubcheck(id);
        }
        diagnostic
    }
}

/// What inspecting an EPUB found.
#[derive(Debug, Clone, Default)]
pub struct Inspection {
    /// Every problem, in the order found.
    pub problems: Vec<InspectError>,
    /// The package document's entry name, once known.
    pub package: Option<String>,
    /// The text of the XML entries that were read, by entry name, for
    /// diagnostics to quote.
    pub texts: Vec<(String, Arc<str>)>,
}

impl Inspection {
    /// The problems as a report that can quote the EPUB's files.
    pub fn to_report(&self) -> Report {
        let mut report = Report::default();
        for (name, text) in &self.texts {
            report.sources.insert(name.clone(), text.clone());
        }
        report.diagnostics = self
            .problems
            .iter()
            .map(|p| {
                let diagnostic = p.to_diagnostic();
                match &self.package {
                    Some(package) if p.in_package() => diagnostic.in_file(package.clone()),
                    _ => diagnostic,
                }
            })
            .collect();
        report.sort();
        report
    }
}

/// Reads the EPUB at `path` and inspects it with the default [`Limits`].
///
/// ```no_run
/// let inspection = bindery::inspect::inspect_file(std::path::Path::new("book.epub"));
/// eprint!("{}", bindery::diag::render_human(&inspection.to_report()));
/// ```
pub fn inspect_file(path: &Path) -> Inspection {
    let limits = Limits::default();
    // Even compressed, a file this large is not an e-book.
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > limits.total
    {
        return Inspection {
            problems: vec![InspectError::TooLarge {
                name: path.display().to_string(),
                reason: format!(
                    "is {} bytes, more than the {} allowed for a whole EPUB",
                    meta.len(),
                    limits.total
                ),
            }],
            ..Inspection::default()
        };
    }
    match std::fs::read(path) {
        Ok(bytes) => inspect_bytes(&bytes, &limits),
        Err(e) => Inspection {
            problems: vec![InspectError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            }],
            ..Inspection::default()
        },
    }
}

/// Inspects the bytes of an EPUB: never panics, never writes.
pub fn inspect_bytes(bytes: &[u8], limits: &Limits) -> Inspection {
    let mut problems = Vec::new();
    let Some(archive) = zip::read_archive(bytes, limits, &mut problems) else {
        return Inspection {
            problems,
            ..Inspection::default()
        };
    };
    let mut inspection = Inspection::default();
    let publication = package::inspect_package(&archive, &mut problems);
    if let Some(publication) = &publication {
        inspection.package = Some(publication.entry.clone());
        xhtml::inspect_documents(&archive, publication, &mut problems);
    }
    inspection.problems = problems;
    inspection.texts = archive.texts();
    inspection
}

/// A reference inside the EPUB, resolved against the entry that makes it:
/// the entry it names (percent-decoded) and its fragment, or `None` when
/// it climbs above the root.
fn resolve(base: &str, reference: &str) -> Option<(String, Option<String>)> {
    let (path, fragment) = match reference.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (reference, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let fragment = fragment.map(percent_decode);
    if path.is_empty() {
        return Some((base.to_string(), fragment));
    }
    // An absolute path would name a file of the reading system, not of
    // the EPUB.
    if path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<String> = base.split('/').map(str::to_string).collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(percent_decode(other)),
        }
    }
    Some((parts.join("/"), fragment))
}

/// Whether a reference has a scheme (`https:`, `mailto:`, `data:` …) and so
/// is not a path inside the EPUB. Unlike a link an author writes, a
/// reference in an EPUB is a URL: a one-letter scheme is a scheme.
fn has_scheme(reference: &str) -> bool {
    crate::url::scheme(reference).is_some()
}

#[cfg(test)]
mod tests;
