//! The XHTML (and SVG) documents of a [`Publication`] → well-formedness,
//! manifest properties, the navigation document's `toc`, and every link
//! and resource reference.

use super::package::{Item, Publication, parse_xml, read_xml};
use super::zip::Archive;
use super::{InspectError, has_scheme, resolve};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

const XHTML: &str = "http://www.w3.org/1999/xhtml";
const SVG: &str = "http://www.w3.org/2000/svg";
const MATHML: &str = "http://www.w3.org/1998/Math/MathML";
const OPS: &str = "http://www.idpf.org/2007/ops";
const XLINK: &str = "http://www.w3.org/1999/xlink";

/// One reference a document makes.
struct Reference {
    /// As written.
    target: String,
    /// Where its value is in the document.
    span: Range<usize>,
    /// Whether it is a hyperlink (whose fragment must name an id) rather
    /// than an embedded resource.
    hyperlink: bool,
}

/// What a document holds, as far as the checks need.
#[derive(Default)]
struct Facts {
    ids: BTreeSet<String>,
    references: Vec<Reference>,
    /// Resources it embeds from the web.
    remote: Vec<Reference>,
    /// The properties its content needs.
    needs: BTreeSet<&'static str>,
    /// Whether it has `<nav epub:type="toc">` with an `<ol>`.
    toc: bool,
}

/// The properties whose presence the content decides (EPUB 3.3 section
/// 5.6.3.2 (manifest properties)).
const CONTENT_PROPERTIES: [&str; 4] = ["mathml", "remote-resources", "scripted", "svg"];

/// Checks every XHTML and SVG item of the publication.
pub(super) fn inspect_documents(
    archive: &Archive,
    publication: &Publication,
    problems: &mut Vec<InspectError>,
) {
    let mut documents: BTreeMap<String, Facts> = BTreeMap::new();
    for item in &publication.items {
        let Some(entry) = item.entry.as_deref() else {
            continue;
        };
        let xhtml = item.media_type == "application/xhtml+xml";
        let xml = xhtml
            || item.media_type == "image/svg+xml"
            || item.media_type == "application/x-dtbncx+xml";
        if !xml || documents.contains_key(entry) {
            continue;
        }
        let Some(text) = read_xml(archive, entry, problems) else {
            continue;
        };
        let Ok(document) = parse_xml(entry, &text) else {
            continue;
        };
        if item.media_type == "application/x-dtbncx+xml" {
            continue;
        }
        let root = document.root_element();
        if xhtml && !root.has_tag_name((XHTML, "html")) {
            problems.push(InspectError::MediaTypeMismatch {
                href: item.href.clone(),
                declared: item.media_type.clone(),
                found: format!("XML whose root is `<{}>`", root.tag_name().name()),
            });
            continue;
        }
        let facts = facts_of(&document);
        if xhtml {
            check_content(entry, &document, problems);
        }
        if xhtml && publication.epub3 {
            check_properties(item, &facts, problems);
            if item.properties.contains("nav") && !facts.toc {
                problems.push(InspectError::NoTocNav {
                    entry: entry.to_string(),
                });
            }
        }
        documents.insert(entry.to_string(), facts);
    }

    for (entry, facts) in &documents {
        for reference in &facts.references {
            check_reference(archive, publication, &documents, entry, reference, problems);
        }
        // Remote resources are publication resources too: the manifest
        // lists them (EPUB 3.3 section 3.6).
        for reference in &facts.remote {
            if !publication.items.iter().any(|i| i.href == reference.target) {
                problems.push(InspectError::LinkUndeclared {
                    entry: entry.clone(),
                    target: reference.target.clone(),
                    span: reference.span.clone(),
                });
            }
        }
    }
}

/// Reads ids, references, needed properties and the toc nav off a document.
fn facts_of(document: &roxmltree::Document<'_>) -> Facts {
    let mut facts = Facts::default();
    for node in document.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name();
        let ns = name.namespace();
        if let Some(id) = node.attribute("id") {
            facts.ids.insert(id.to_string());
        }
        match ns {
            Some(SVG) => {
                facts.needs.insert("svg");
            }
            Some(MATHML) => {
                facts.needs.insert("mathml");
            }
            _ => {}
        }
        if ns == Some(XHTML) {
            if name.name() == "script" && is_javascript(node.attribute("type")) {
                facts.needs.insert("scripted");
            }
            if node
                .attributes()
                .any(|a| a.namespace().is_none() && a.name().starts_with("on"))
            {
                facts.needs.insert("scripted");
            }
            if name.name() == "nav"
                && node
                    .attribute((OPS, "type"))
                    .is_some_and(|t| t.split_ascii_whitespace().any(|t| t == "toc"))
                && node.children().any(|c| c.has_tag_name((XHTML, "ol")))
            {
                facts.toc = true;
            }
        }
        for attribute in node.attributes() {
            let Some(hyperlink) = reference_kind(name.name(), ns, &attribute) else {
                continue;
            };
            let value = attribute.value().trim();
            if value.is_empty() {
                continue;
            }
            if has_scheme(value) {
                let lower = value.to_ascii_lowercase();
                if !hyperlink && (lower.starts_with("http:") || lower.starts_with("https:")) {
                    facts.needs.insert("remote-resources");
                    facts.remote.push(Reference {
                        target: value.to_string(),
                        span: attribute.range_value(),
                        hyperlink,
                    });
                }
                continue;
            }
            facts.references.push(Reference {
                target: value.to_string(),
                span: attribute.range_value(),
                hyperlink,
            });
        }
    }
    facts
}

/// Elements whose content is phrasing content only: text and inline
/// elements, never a block (HTML, section 4 (elements), each element's
/// content model).
const PHRASING_ONLY: &[&str] = &[
    "abbr", "b", "bdi", "bdo", "button", "cite", "code", "data", "dfn", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "i", "kbd", "label", "mark", "output", "p", "pre", "q", "rp", "rt", "s",
    "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// Elements whose content model is their parent's.
const TRANSPARENT: &[&str] = &[
    "a", "audio", "canvas", "del", "ins", "map", "noscript", "object", "slot", "video",
];

/// Flow content that is not phrasing content: the blocks that an element
/// of [`PHRASING_ONLY`] may not hold.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// The pattern `xml:lang` and `lang` must match in XHTML: an RFC 3066
/// tag (`xsd:language`) or nothing.
fn is_language_attribute(value: &str) -> bool {
    value.is_empty()
        || value.split('-').enumerate().all(|(i, subtag)| {
            (1..=8).contains(&subtag.len())
                && subtag.bytes().all(|b| {
                    if i == 0 {
                        b.is_ascii_alphabetic()
                    } else {
                        b.is_ascii_alphanumeric()
                    }
                })
        })
}

/// What EPUBCheck's schema for XHTML content documents finds in a
/// document and the rest of the inspection does not: ids used twice,
/// blocks inside elements that hold only phrasing content, and language
/// attributes that are not language tags.
fn check_content(
    entry: &str,
    document: &roxmltree::Document<'_>,
    problems: &mut Vec<InspectError>,
) {
    let mut ids = BTreeSet::new();
    for node in document.descendants().filter(|n| n.is_element()) {
        for attribute in node.attributes() {
            let name = match (attribute.namespace(), attribute.name()) {
                (None, "id") => {
                    if !ids.insert(attribute.value()) {
                        problems.push(InspectError::DuplicateDocumentId {
                            entry: entry.to_string(),
                            id: attribute.value().to_string(),
                            span: attribute.range_value(),
                        });
                    }
                    continue;
                }
                (Some(roxmltree::NS_XML_URI), "lang") => "xml:lang",
                (None, "lang") if node.tag_name().namespace() == Some(XHTML) => "lang",
                _ => continue,
            };
            if !is_language_attribute(attribute.value()) {
                problems.push(InspectError::BadLanguageTag {
                    entry: entry.to_string(),
                    tag: attribute.value().to_string(),
                    attribute: Some(name),
                    span: attribute.range_value(),
                });
            }
        }
        let name = node.tag_name();
        if name.namespace() != Some(XHTML) || !BLOCKS.contains(&name.name()) {
            continue;
        }
        if let Some(parent) = phrasing_parent(node) {
            let start = node.range().start;
            problems.push(InspectError::MisplacedElement {
                entry: entry.to_string(),
                element: name.name().to_string(),
                parent: parent.to_string(),
                span: start..start + 1 + name.name().len(),
            });
        }
    }
}

/// The element that makes `node`'s place one for phrasing content only,
/// if any: its parent, or, through transparent elements such as `<a>`,
/// the nearest ancestor that is not transparent.
fn phrasing_parent<'a>(node: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    for ancestor in node.ancestors().skip(1).filter(|n| n.is_element()) {
        let name = ancestor.tag_name();
        if name.namespace() != Some(XHTML) {
            return None;
        }
        if PHRASING_ONLY.contains(&name.name()) {
            return Some(name.name());
        }
        if !TRANSPARENT.contains(&name.name()) {
            return None;
        }
    }
    None
}

/// Whether a `<script type>` is JavaScript rather than a data block.
fn is_javascript(kind: Option<&str>) -> bool {
    match kind.map(|t| t.trim().to_ascii_lowercase()) {
        None => true,
        Some(t) => {
            t.is_empty() || t == "module" || t.contains("javascript") || t.contains("ecmascript")
        }
    }
}

/// Whether an attribute is a reference: `Some(true)` for a hyperlink,
/// `Some(false)` for an embedded resource, `None` for anything else.
fn reference_kind(
    element: &str,
    ns: Option<&str>,
    attribute: &roxmltree::Attribute<'_, '_>,
) -> Option<bool> {
    let local = attribute.name();
    let attr_ns = attribute.namespace();
    match (ns, element, attr_ns, local) {
        (Some(XHTML), "a" | "area", None, "href") => Some(true),
        (Some(XHTML), "link", None, "href") => Some(false),
        (
            Some(XHTML),
            "img" | "script" | "audio" | "video" | "source" | "track" | "embed" | "iframe"
            | "input",
            None,
            "src",
        ) => Some(false),
        (Some(XHTML), "video", None, "poster") => Some(false),
        (Some(XHTML), "object", None, "data") => Some(false),
        (Some(SVG), "a", None | Some(XLINK), "href") => Some(true),
        (Some(SVG), "image" | "use", None | Some(XLINK), "href") => Some(false),
        _ => None,
    }
}

/// Each content property must be declared exactly when the content needs
/// it (EPUB 3.3 section 5.6.3.2).
fn check_properties(item: &Item, facts: &Facts, problems: &mut Vec<InspectError>) {
    for property in CONTENT_PROPERTIES {
        let needed = facts.needs.contains(property);
        let declared = item.properties.contains(property);
        if needed && !declared {
            problems.push(InspectError::PropertyMissing {
                href: item.href.clone(),
                property,
            });
        } else if declared && !needed {
            problems.push(InspectError::PropertyExtra {
                href: item.href.clone(),
                property,
            });
        }
    }
}

/// A reference must stay in the container, name an entry that is a
/// manifest item, and, for a hyperlink into a document, an id in it.
fn check_reference(
    archive: &Archive,
    publication: &Publication,
    documents: &BTreeMap<String, Facts>,
    entry: &str,
    reference: &Reference,
    problems: &mut Vec<InspectError>,
) {
    let located = |error: fn(String, String, Range<usize>) -> InspectError| {
        error(
            entry.to_string(),
            reference.target.clone(),
            reference.span.clone(),
        )
    };
    let Some((target, fragment)) = resolve(entry, &reference.target) else {
        problems.push(located(|entry, target, span| InspectError::LinkOutside {
            entry,
            target,
            span,
        }));
        return;
    };
    if !archive.contains(&target) {
        problems.push(located(|entry, target, span| InspectError::LinkMissing {
            entry,
            target,
            span,
        }));
        return;
    }
    if publication.item(&target).is_none() {
        problems.push(located(|entry, target, span| {
            InspectError::LinkUndeclared {
                entry,
                target,
                span,
            }
        }));
        return;
    }
    let Some(fragment) = fragment.filter(|f| !f.is_empty() && !f.contains('(')) else {
        return;
    };
    if !reference.hyperlink {
        return;
    }
    if let Some(facts) = documents.get(&target)
        && !facts.ids.contains(&fragment)
    {
        problems.push(located(|entry, target, span| {
            InspectError::FragmentMissing {
                entry,
                target,
                span,
            }
        }));
    }
}
