//! `META-INF/container.xml` and the package document → a [`Publication`]:
//! the manifest items, checked against the zip.

use super::zip::{Archive, CONTAINER};
use super::{InspectError, has_scheme, resolve};
use std::collections::{BTreeMap, BTreeSet};

const OPF: &str = "http://www.idpf.org/2007/opf";
const DC: &str = "http://purl.org/dc/elements/1.1/";

/// A manifest item.
#[derive(Debug, Clone)]
pub(super) struct Item {
    /// Its href as written.
    pub href: String,
    /// The entry it names; `None` for a remote resource or one outside the
    /// container.
    pub entry: Option<String>,
    /// Its `media-type`.
    pub media_type: String,
    /// Its `properties`.
    pub properties: BTreeSet<String>,
}

/// What the rest of the inspection needs from the package document.
#[derive(Debug, Clone)]
pub(super) struct Publication {
    /// The package document's entry name.
    pub entry: String,
    /// The manifest items, in order.
    pub items: Vec<Item>,
    /// Whether it is EPUB 3 (rather than EPUB 2, which has no `nav`,
    /// no `dcterms:modified` and no manifest properties).
    pub epub3: bool,
}

impl Publication {
    /// The item for an entry.
    pub(super) fn item(&self, entry: &str) -> Option<&Item> {
        self.items
            .iter()
            .find(|item| item.entry.as_deref() == Some(entry))
    }
}

/// Parses XML as EPUB allows it: a DOCTYPE, no external entities.
pub(super) fn parse_xml<'a>(
    entry: &str,
    text: &'a str,
) -> Result<roxmltree::Document<'a>, InspectError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        let message = e.to_string();
        // The place is shown as the diagnostic's own.
        let suffix = format!(" at {}:{}", pos.row, pos.col);
        InspectError::NotWellFormed {
            entry: entry.to_string(),
            message: message
                .strip_suffix(&suffix)
                .unwrap_or(&message)
                .to_string(),
            span: offset_of(text, pos.row as usize, pos.col as usize).map(|at| at..at),
        }
    })
}

/// The byte offset of a 1-based line and character column.
pub(super) fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = text.get(start..)?;
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

/// Reads an XML entry: `None` (with the problem recorded) when it is
/// missing, not UTF-8 or not well-formed.
pub(super) fn read_xml(
    archive: &Archive,
    entry: &str,
    problems: &mut Vec<InspectError>,
) -> Option<std::sync::Arc<str>> {
    match archive.text(entry) {
        Ok(Some(text)) => match parse_xml(entry, &text) {
            Ok(_) => Some(text),
            Err(e) => {
                problems.push(e);
                None
            }
        },
        Ok(None) => None,
        Err(e) => {
            problems.push(e);
            None
        }
    }
}

/// Finds the package document through the container and checks it.
pub(super) fn inspect_package(
    archive: &Archive,
    problems: &mut Vec<InspectError>,
) -> Option<Publication> {
    if !archive.contains(CONTAINER) {
        problems.push(InspectError::NoContainer);
        return None;
    }
    let container = read_xml(archive, CONTAINER, problems)?;
    let container = parse_xml(CONTAINER, &container).ok()?;
    let rootfiles: Vec<_> = container
        .descendants()
        .filter(|n| n.has_tag_name("rootfile"))
        .filter_map(|n| Some((n.attribute("full-path")?, n.attribute("media-type"))))
        .collect();
    let full_path = rootfiles
        .iter()
        .find(|(_, media_type)| *media_type == Some("application/oebps-package+xml"))
        .or(rootfiles.first())
        .map(|(path, _)| crate::url::percent_decode(path));
    let Some(entry) = full_path else {
        problems.push(InspectError::NoRootfile);
        return None;
    };
    if !archive.contains(&entry) {
        problems.push(InspectError::RootfileMissing { path: entry });
        return None;
    }
    let text = read_xml(archive, &entry, problems)?;
    let document = parse_xml(&entry, &text).ok()?;
    let root = document.root_element();
    if root.tag_name().name() != "package" || root.tag_name().namespace() != Some(OPF) {
        problems.push(InspectError::NotPackage {
            entry,
            found: root.tag_name().name().to_string(),
        });
        return None;
    }

    let mut ids = BTreeSet::new();
    for node in document.descendants() {
        if let Some(id) = node.attribute("id")
            && !ids.insert(id)
        {
            problems.push(InspectError::DuplicateId { id: id.to_string() });
        }
    }

    let epub3 = !root
        .attribute("version")
        .is_some_and(|v| v.trim().starts_with(['1', '2']));
    check_metadata(&entry, root, epub3, problems);

    let child = |name: &str| {
        root.children()
            .find(|n| n.tag_name().name() == name && n.tag_name().namespace() == Some(OPF))
    };
    let mut items = Vec::new();
    let mut item_ids = BTreeSet::new();
    let mut hrefs: BTreeMap<String, usize> = BTreeMap::new();
    if let Some(manifest) = child("manifest") {
        for node in manifest
            .children()
            .filter(|n| n.has_tag_name((OPF, "item")))
        {
            let href = node.attribute("href").unwrap_or("").to_string();
            if let Some(id) = node.attribute("id") {
                item_ids.insert(id.to_string());
            }
            let target = if has_scheme(&href) {
                None
            } else {
                resolve(&entry, &href).map(|(path, _)| path)
            };
            if let Some(target) = &target {
                let seen = hrefs.entry(target.clone()).or_default();
                *seen += 1;
                if *seen == 2 {
                    problems.push(InspectError::DuplicateHref { href: href.clone() });
                }
            }
            if !has_scheme(&href) && target.as_deref().is_none_or(|t| !archive.contains(t)) {
                problems.push(InspectError::ItemMissing { href: href.clone() });
            }
            let item = Item {
                href,
                entry: target.filter(|t| archive.contains(t)),
                media_type: node.attribute("media-type").unwrap_or("").to_string(),
                properties: node
                    .attribute("properties")
                    .unwrap_or("")
                    .split_ascii_whitespace()
                    .map(str::to_string)
                    .collect(),
            };
            check_media_type(archive, &item, problems);
            items.push(item);
        }
    }
    let navs = items
        .iter()
        .filter(|item| item.properties.contains("nav"))
        .count();
    if epub3 && navs != 1 {
        problems.push(InspectError::NavCount { count: navs });
    }
    if let Some(spine) = child("spine") {
        for itemref in spine
            .children()
            .filter(|n| n.has_tag_name((OPF, "itemref")))
        {
            let idref = itemref.attribute("idref").unwrap_or("");
            if !item_ids.contains(idref) {
                problems.push(InspectError::UnknownIdref {
                    idref: idref.to_string(),
                });
            }
        }
    }
    Some(Publication {
        entry,
        items,
        epub3,
    })
}

/// `dc:identifier`, `dc:title`, `dc:language` and `dcterms:modified` are
/// required (EPUB 3.3 section 5.5.3), and `unique-identifier` must name
/// a `dc:identifier` (section 5.4.1).
fn check_metadata(
    entry: &str,
    root: roxmltree::Node<'_, '_>,
    epub3: bool,
    problems: &mut Vec<InspectError>,
) {
    let metadata = root.children().find(|n| n.has_tag_name((OPF, "metadata")));
    let elements: Vec<roxmltree::Node<'_, '_>> = metadata
        .map(|m| m.children().filter(|n| n.is_element()).collect())
        .unwrap_or_default();
    let text_of = |n: &roxmltree::Node<'_, '_>| {
        n.descendants()
            .filter_map(|d| d.text())
            .collect::<String>()
            .trim()
            .to_string()
    };
    for (name, element) in [
        ("identifier", "dc:identifier"),
        ("title", "dc:title"),
        ("language", "dc:language"),
    ] {
        if !elements
            .iter()
            .any(|n| n.has_tag_name((DC, name)) && !text_of(n).is_empty())
        {
            problems.push(InspectError::MissingMetadata { element });
        }
    }
    // A language tag must be well-formed BCP 47 (EPUB 3.3 section 5.5.3.4).
    for language in elements.iter().filter(|n| n.has_tag_name((DC, "language"))) {
        let Some(text) = language.first_child().filter(|c| c.is_text()) else {
            continue;
        };
        let raw = text.text().unwrap_or_default();
        let tag = raw.trim();
        if !tag.is_empty() && !is_well_formed_tag(tag) {
            let start = text.range().start + (raw.len() - raw.trim_start().len());
            problems.push(InspectError::BadLanguageTag {
                entry: entry.to_string(),
                tag: tag.to_string(),
                attribute: None,
                span: start..start + tag.len(),
            });
        }
    }
    if epub3
        && !elements.iter().any(|n| {
            n.has_tag_name((OPF, "meta"))
                && n.attribute("property") == Some("dcterms:modified")
                && !text_of(n).is_empty()
        })
    {
        problems.push(InspectError::MissingMetadata {
            element: "dcterms:modified",
        });
    }
    match root.attribute("unique-identifier") {
        None => problems.push(InspectError::UniqueIdentifier { id: None }),
        Some(id) => {
            if !elements
                .iter()
                .any(|n| n.has_tag_name((DC, "identifier")) && n.attribute("id") == Some(id))
            {
                problems.push(InspectError::UniqueIdentifier {
                    id: Some(id.to_string()),
                });
            }
        }
    }
}

/// Whether a tag is well-formed BCP 47 (RFC 5646 section 2.1), as
/// EPUBCheck reads it: unlike a book's manifest, where bindery asks for a
/// language subtag of 2 or 3 letters, the 4 to 8 letters the grammar
/// allows (though none is registered) are well-formed too.
fn is_well_formed_tag(tag: &str) -> bool {
    use crate::manifest::language::is_well_formed;
    let (first, rest) = tag.split_once('-').unwrap_or((tag, ""));
    let long = (4..=8).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic());
    match (long, rest.is_empty()) {
        (true, true) => true,
        (true, false) => is_well_formed(&format!("xx-{rest}")),
        (false, _) => is_well_formed(tag),
    }
}

/// The raster image type of some bytes, from their magic numbers.
pub(super) fn sniff_image(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if data.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if data.len() >= 12 && data.starts_with(b"RIFF") && &data[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

fn describe(media_type: &str) -> &'static str {
    match media_type {
        "image/png" => "a PNG image",
        "image/jpeg" => "a JPEG image",
        "image/gif" => "a GIF image",
        "image/webp" => "a WebP image",
        _ => "something else",
    }
}

/// Raster images must be what their media type says; XHTML and SVG must
/// at least not be raster images (their XML is checked later).
fn check_media_type(archive: &Archive, item: &Item, problems: &mut Vec<InspectError>) {
    let Some(head) = item.entry.as_deref().and_then(|e| archive.head(e)) else {
        return;
    };
    let sniffed = sniff_image(head);
    let declared = item.media_type.as_str();
    let found = match declared {
        "image/png" | "image/jpeg" | "image/gif" | "image/webp" => match sniffed {
            Some(found) if found == declared => return,
            Some(found) => describe(found).to_string(),
            None => "not a PNG, JPEG, GIF or WebP image".to_string(),
        },
        "application/xhtml+xml" | "image/svg+xml" => match sniffed {
            Some(found) => describe(found).to_string(),
            None => return,
        },
        _ => return,
    };
    problems.push(InspectError::MediaTypeMismatch {
        href: item.href.clone(),
        declared: declared.to_string(),
        found,
    });
}
