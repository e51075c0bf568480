//! `catalog.xml`: an OPDS 1.2 acquisition feed of the catalogue's books
//! (<https://specs.opds.io/opds-1.2>), an Atom feed that e-reader apps
//! can browse and download from.

use super::CatalogueEntry;
use crate::xml::XmlWriter;

/// The feed's media type, as OPDS 1.2 §2.1 gives it for acquisition feeds.
pub const ACQUISITION_TYPE: &str = "application/atom+xml;profile=opds-catalog;kind=acquisition";

/// The feed for `entries`, in the order given, its own text (the title)
/// in `language`.
pub fn catalogue_feed(title: &str, language: &str, entries: &[&CatalogueEntry<'_>]) -> String {
    // The feed's id is made from its books' ids, so it is stable from
    // build to build and differs between catalogues.
    const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x3c1e_55a0_2b7d_4d4e_8f3a_6a1b_0c9d_7e21);
    let mut ids: Vec<&str> = entries
        .iter()
        .map(|e| e.about.identifier.as_str())
        .collect();
    ids.sort_unstable();
    let id = format!(
        "urn:uuid:{}",
        uuid::Uuid::new_v5(&NAMESPACE, ids.join("\u{1F}").as_bytes())
    );
    let updated = entries
        .iter()
        .map(|e| e.about.modified)
        .max_by_key(|t| t.unix)
        .unwrap_or(crate::time::Timestamp::DEFAULT)
        .to_rfc3339();

    let mut w = XmlWriter::new();
    w.start(
        "feed",
        &[
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xmlns:dc", "http://purl.org/dc/terms/"),
            ("xmlns:opds", "http://opds-spec.org/2010/catalog"),
            ("xml:lang", language),
        ],
    );
    w.newline();
    w.element("id", &[], &id);
    w.newline();
    w.element("title", &[], title);
    w.newline();
    w.element("updated", &[], &updated);
    w.newline();
    // Atom wants an author for the feed when an entry has none.
    w.start("author", &[]);
    w.element("name", &[], title);
    w.end("author");
    w.newline();
    for rel in ["self", "start"] {
        w.empty(
            "link",
            &[
                ("rel", rel),
                ("href", "catalog.xml"),
                ("type", ACQUISITION_TYPE),
            ],
        );
        w.newline();
    }
    w.empty(
        "link",
        &[
            ("rel", "alternate"),
            ("href", "index.html"),
            ("type", "text/html"),
        ],
    );
    w.newline();
    for entry in entries {
        write_entry(&mut w, language, entry);
    }
    w.end("feed");
    w.newline();
    w.finish()
}

/// One book's entry; its text is in the book's language, which the entry
/// says when it is not the feed's (`xml:lang` is inherited in Atom, RFC
/// 4287 section 2).
fn write_entry(w: &mut XmlWriter, feed_language: &str, entry: &CatalogueEntry<'_>) {
    let about = entry.about;
    let book = &about.manifest.book;
    let folder = &entry.folder;
    if book.language.eq_ignore_ascii_case(feed_language) {
        w.start("entry", &[]);
    } else {
        w.start("entry", &[("xml:lang", &book.language)]);
    }
    w.newline();
    w.element("title", &[], &book.title);
    w.newline();
    w.element("id", &[], &about.identifier);
    w.newline();
    w.element("updated", &[], &about.modified.to_rfc3339());
    w.newline();
    for author in book.authors() {
        w.start("author", &[]);
        w.element("name", &[], author);
        w.end("author");
        w.newline();
    }
    w.element("dc:language", &[], &book.language);
    w.newline();
    if let Some(date) = book.date {
        w.element("dc:issued", &[], &date.to_string());
        w.newline();
    }
    if let Some(publisher) = &book.publisher {
        w.element("dc:publisher", &[], publisher);
        w.newline();
    }
    if let Some(license) = &book.license {
        w.element(
            "rights",
            &[],
            license.known.map_or(&license.spdx, |k| k.name),
        );
        w.newline();
    } else if let Some(rights) = &book.rights {
        w.element("rights", &[], rights);
        w.newline();
    }
    for subject in &book.subjects {
        w.empty("category", &[("term", subject), ("label", subject)]);
        w.newline();
    }
    if let Some(description) = &book.description {
        w.element("summary", &[("type", "text")], description);
        w.newline();
    }
    let page = entry.page;
    if let Some((cover, mime)) = &page.cover {
        w.empty(
            "link",
            &[
                ("rel", "http://opds-spec.org/image"),
                ("href", &format!("{folder}/{cover}")),
                ("type", mime),
            ],
        );
        w.newline();
    }
    if let Some(thumb) = &page.thumbnail {
        w.empty(
            "link",
            &[
                ("rel", "http://opds-spec.org/image/thumbnail"),
                ("href", &format!("{folder}/{}", thumb.name)),
                ("type", thumb.mime),
            ],
        );
        w.newline();
    }
    w.empty(
        "link",
        &[
            ("rel", "http://opds-spec.org/acquisition/open-access"),
            ("href", &format!("{folder}/{}", page.epub_name)),
            ("type", "application/epub+zip"),
            ("length", &page.epub_size.to_string()),
        ],
    );
    w.newline();
    w.empty(
        "link",
        &[
            ("rel", "alternate"),
            ("href", &format!("{folder}/index.html")),
            ("type", "text/html"),
        ],
    );
    w.newline();
    w.end("entry");
    w.newline();
}
