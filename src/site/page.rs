//! The HTML of the book page and the catalogue page.
//!
//! HTML5 written as XML: void elements are self-closed, every attribute
//! has a value, and all text goes through [`XmlWriter`], so the pages
//! parse both as HTML and as XML.

use super::json::Json;
use super::{About, CatalogueEntry, Image, Placement, STYLESHEET, absolute, human_size};
use crate::manifest::{Contributor, PubDate, relators};
use crate::xml::XmlWriter;

/// What the book page is made from.
pub struct PageInput<'a> {
    pub about: &'a About,
    pub epub_name: &'a str,
    pub epub_size: u64,
    pub digest: &'a str,
    pub cover: Option<&'a str>,
    pub thumbnail: Option<&'a Image>,
    pub placement: Placement,
}

/// The words said on every page with a donation prompt.
pub const VOLUNTARY: &str =
    "Donating is voluntary. The e-book is free, and you do not need to donate to download it.";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date for people: "28 November 2026", "November 2026", "2026".
fn human_date(date: PubDate) -> String {
    let month = date
        .month
        .and_then(|m| MONTHS.get(usize::from(m).wrapping_sub(1)));
    match (date.day, month) {
        (Some(day), Some(month)) => format!("{day} {month} {:04}", date.year),
        (None, Some(month)) => format!("{month} {:04}", date.year),
        _ => format!("{:04}", date.year),
    }
}

/// "A", "A and B", "A, B and C".
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The contributors grouped by role, authors first, in the manifest's order.
fn by_role(contributors: &[Contributor]) -> Vec<(&str, Vec<&str>)> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for c in contributors {
        match groups.iter_mut().find(|(role, _)| *role == c.role) {
            Some((_, names)) => names.push(&c.name),
            None => groups.push((&c.role, vec![&c.name])),
        }
    }
    groups.sort_by_key(|(role, _)| *role != "aut");
    groups
}

/// How a role is introduced: "By", "Edited by", else the relator's term.
fn role_phrase(role: &str) -> String {
    match role {
        "aut" => "By".into(),
        "edt" => "Edited by".into(),
        "trl" => "Translated by".into(),
        "ill" => "Illustrated by".into(),
        _ => relators::RELATORS
            .iter()
            .find(|(code, _)| *code == role)
            .map_or_else(|| "With".into(), |(_, term)| format!("{term}:")),
    }
}

/// The page's `<head>` up to the stylesheet: shared by both pages.
fn head_start(w: &mut XmlWriter, language: &str, rtl: bool, title: &str) {
    w.raw("<!DOCTYPE html>\n");
    let dir = if rtl { "rtl" } else { "ltr" };
    w.start(
        "html",
        &[
            ("xmlns", "http://www.w3.org/1999/xhtml"),
            ("lang", language),
            ("xml:lang", language),
            ("dir", dir),
        ],
    );
    w.newline();
    w.start("head", &[]);
    w.newline();
    w.empty("meta", &[("charset", "utf-8")]);
    w.newline();
    w.empty(
        "meta",
        &[
            ("name", "viewport"),
            ("content", "width=device-width, initial-scale=1"),
        ],
    );
    w.newline();
    w.element("title", &[], title);
    w.newline();
}

fn meta(w: &mut XmlWriter, attr: &str, name: &str, content: &str) {
    w.empty("meta", &[(attr, name), ("content", content)]);
    w.newline();
}

/// The book's licence: its name and the address of its text, or the
/// rights statement.
fn licence(about: &About) -> Option<(String, Option<String>)> {
    let book = &about.manifest.book;
    match &book.license {
        Some(l) => Some(match l.known {
            Some(known) => (known.name.to_string(), Some(known.url.to_string())),
            None => (l.spdx.clone(), spdx_page(&l.spdx)),
        }),
        None => book.rights.clone().map(|r| (r, None)),
    }
}

/// SPDX's page for a licence bindery has no name for, when `id` has the
/// shape of one SPDX id (letters, digits, `.` and `-`, perhaps `+` for
/// "or later"): <https://spdx.org/licenses/MPL-2.0.html>. Expressions
/// (`MIT OR Apache-2.0`) and `LicenseRef-` ids, which only the book
/// defines, have no page there.
pub(super) fn spdx_page(id: &str) -> Option<String> {
    let id = id.trim();
    let bare = id.strip_suffix('+').unwrap_or(id);
    let shaped = !bare.is_empty()
        && bare.bytes().any(|b| b.is_ascii_alphabetic())
        && bare
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !bare.starts_with('-')
        && !bare.starts_with('.');
    let own = ["LicenseRef-", "DocumentRef-"].iter().any(|p| {
        bare.get(..p.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(p))
    });
    (shaped && !own).then(|| format!("https://spdx.org/licenses/{bare}.html"))
}

/// The book's language for people: "English", "English (en-GB)", else the
/// tag itself.
fn language_name(tag: &str) -> String {
    match crate::manifest::language::name(tag) {
        Some(name) if tag.contains('-') => format!("{name} ({tag})"),
        Some(name) => name,
        None => tag.to_string(),
    }
}

/// The book's ISBN-13: the `isbn` key, else an `urn:isbn:` identifier.
fn isbn(about: &About) -> Option<String> {
    match &about.manifest.book.isbn {
        Some(isbn) => Some(isbn.digits.clone()),
        None => about
            .identifier
            .starts_with("urn:isbn:")
            .then(|| crate::manifest::publishing::isbn13(&about.identifier).ok())
            .flatten(),
    }
}

/// The schema.org `Book` description of the page's book.
fn json_ld(input: &PageInput<'_>, canonical: Option<&str>) -> Json {
    let about = input.about;
    let book = &about.manifest.book;
    let base = about.manifest.download.url.as_deref();
    let mut o = Json::object();
    o.set("@context", Json::Str("https://schema.org".into()));
    o.set("@type", Json::Str("Book".into()));
    o.set("@id", Json::Str(about.identifier.clone()));
    o.set_str("name", Some(&book.title));
    o.set_str("alternativeHeadline", book.subtitle.as_deref());
    let people = |role: &str| -> Vec<Json> {
        book.contributors
            .iter()
            .filter(|c| c.role == role)
            .map(|c| {
                let mut p = Json::object();
                p.set("@type", Json::Str("Person".into()));
                p.set_str("name", Some(&c.name));
                p
            })
            .collect()
    };
    for (role, key) in [
        ("aut", "author"),
        ("edt", "editor"),
        ("trl", "translator"),
        ("ill", "illustrator"),
    ] {
        let list = people(role);
        if !list.is_empty() {
            o.set(key, Json::Array(list));
        }
    }
    if let Some(publisher) = &book.publisher {
        let mut p = Json::object();
        p.set("@type", Json::Str("Organization".into()));
        p.set_str("name", Some(publisher));
        o.set("publisher", p);
    }
    o.set_str("datePublished", book.date.map(|d| d.to_string()).as_deref());
    o.set_str("description", book.description.as_deref());
    o.set_str("inLanguage", Some(&book.language));
    o.set_str("identifier", Some(&about.identifier));
    o.set_str("version", book.version.as_deref());
    if !book.subjects.is_empty() {
        o.set("keywords", Json::Str(book.subjects.join(", ")));
    }
    if let Some((name, url)) = licence(about) {
        o.set("license", Json::Str(url.unwrap_or(name)));
    }
    o.set("isAccessibleForFree", Json::Bool(true));
    if let Some(cover) = input.cover {
        o.set(
            "image",
            Json::Str(absolute(base, cover).unwrap_or_else(|| cover.to_string())),
        );
    }
    o.set_str("url", canonical);

    // The EPUB edition is a `Book` of `bookFormat` EBook; the file itself,
    // with its size and checksum, is the edition's `encoding`, a
    // `MediaObject` (schema.org puts `contentSize` and `sha256` there).
    let a11y = &about.accessibility;
    let mut edition = Json::object();
    edition.set("@type", Json::Str("Book".into()));
    edition.set("bookFormat", Json::Str("https://schema.org/EBook".into()));
    edition.set_str("name", Some(&book.title));
    edition.set_str("inLanguage", Some(&book.language));
    edition.set_str("isbn", isbn(about).as_deref());
    edition.set_str("bookEdition", book.version.as_deref());
    let mut file = Json::object();
    file.set("@type", Json::Str("MediaObject".into()));
    file.set(
        "contentUrl",
        Json::Str(absolute(base, input.epub_name).unwrap_or_else(|| input.epub_name.to_string())),
    );
    file.set("encodingFormat", Json::Str("application/epub+zip".into()));
    file.set(
        "contentSize",
        Json::Str(format!("{} bytes", input.epub_size)),
    );
    file.set("sha256", Json::Str(input.digest.to_string()));
    edition.set("encoding", file);
    edition.set_strs("accessMode", &a11y.access_modes);
    if !a11y.sufficient.is_empty() {
        edition.set(
            "accessModeSufficient",
            Json::Array(
                a11y.sufficient
                    .iter()
                    .map(|set| {
                        let mut list = Json::object();
                        list.set("@type", Json::Str("ItemList".into()));
                        list.set(
                            "itemListElement",
                            Json::Array(
                                set.split(',').map(|m| Json::Str(m.trim().into())).collect(),
                            ),
                        );
                        list
                    })
                    .collect(),
            ),
        );
    }
    edition.set_strs("accessibilityFeature", &a11y.features);
    edition.set_strs("accessibilityHazard", &a11y.hazards);
    // schema.org has no property for a conformance claim; the summary
    // states it when the book meets one.
    edition.set_str("accessibilitySummary", Some(&a11y.summary));
    o.set("workExample", Json::Array(vec![edition]));
    o
}

/// The book page.
pub fn book_page(input: &PageInput<'_>) -> String {
    let about = input.about;
    let manifest = &about.manifest;
    let book = &manifest.book;
    let download = &manifest.download;
    let base = download.url.as_deref();
    let canonical = base.map(|b| {
        if b.ends_with('/') {
            b.to_string()
        } else {
            format!("{b}/")
        }
    });
    let full_title = match &book.subtitle {
        Some(subtitle) => format!("{}: {subtitle}", book.title),
        None => book.title.clone(),
    };
    let authors: Vec<&str> = book.authors().collect();
    let summary = book.description.clone().unwrap_or_else(|| {
        let by = if authors.is_empty() {
            String::new()
        } else {
            format!(" by {}", list(&authors))
        };
        format!("{full_title}{by}: a free e-book (EPUB).")
    });
    let cover_alt = format!("Cover of {}", book.title);

    let mut w = XmlWriter::fragment();
    let rtl = crate::manifest::language::is_right_to_left(&book.language);
    head_start(&mut w, &book.language, rtl, &full_title);
    meta(&mut w, "name", "description", &summary);
    if let Some(canonical) = &canonical {
        w.empty("link", &[("rel", "canonical"), ("href", canonical)]);
        w.newline();
    }
    w.empty("link", &[("rel", "stylesheet"), ("href", STYLESHEET)]);
    w.newline();
    if input.placement == Placement::InCatalogue {
        w.empty(
            "link",
            &[
                ("rel", "alternate"),
                (
                    "type",
                    "application/atom+xml;profile=opds-catalog;kind=acquisition",
                ),
                ("href", "../catalog.xml"),
            ],
        );
        w.newline();
    }
    // Open Graph (https://ogp.me) and Twitter cards: what a link preview shows.
    meta(&mut w, "property", "og:type", "book");
    meta(&mut w, "property", "og:title", &full_title);
    meta(&mut w, "property", "og:description", &summary);
    if let Some(canonical) = &canonical {
        meta(&mut w, "property", "og:url", canonical);
    }
    if let Some(publisher) = &book.publisher {
        meta(&mut w, "property", "og:site_name", publisher);
    }
    let image = input.cover.and_then(|c| absolute(base, c));
    if let Some(image) = &image {
        meta(&mut w, "property", "og:image", image);
        meta(&mut w, "property", "og:image:alt", &cover_alt);
    }
    for author in &authors {
        meta(&mut w, "property", "book:author", author);
    }
    if let Some(isbn) = isbn(about) {
        meta(&mut w, "property", "book:isbn", &isbn);
    }
    if let Some(date) = book.date {
        meta(&mut w, "property", "book:release_date", &date.to_string());
    }
    for subject in &book.subjects {
        meta(&mut w, "property", "book:tag", subject);
    }
    let card = if image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    meta(&mut w, "name", "twitter:card", card);
    meta(&mut w, "name", "twitter:title", &full_title);
    meta(&mut w, "name", "twitter:description", &summary);
    if let Some(image) = &image {
        meta(&mut w, "name", "twitter:image", image);
        meta(&mut w, "name", "twitter:image:alt", &cover_alt);
    }
    let mut ld = String::from("\n");
    json_ld(input, canonical.as_deref()).write(&mut ld, 0);
    ld.push('\n');
    w.start("script", &[("type", "application/ld+json")]);
    // The JSON writer escapes `<`, `>` and `&`: nothing in it is markup.
    w.raw(&ld);
    w.end("script");
    w.newline();
    w.end("head");
    w.newline();

    w.start("body", &[]);
    w.newline();
    w.start("header", &[]);
    w.start("p", &[]);
    match input.placement {
        Placement::InCatalogue => {
            w.element("a", &[("href", "../index.html")], "All books");
        }
        Placement::Alone => w.text(book.publisher.as_deref().unwrap_or(&book.title)),
    }
    w.end("p");
    w.end("header");
    w.newline();
    w.start("main", &[("id", "main")]);
    w.newline();
    w.start("article", &[("class", "book")]);
    w.newline();
    if let Some(thumb) = input.thumbnail {
        let (width, height) = thumb.size.unwrap_or((400, 640));
        let (width, height) = (width.to_string(), height.to_string());
        let target = input.cover.unwrap_or(&thumb.name);
        w.start("a", &[("class", "cover"), ("href", target)]);
        w.empty(
            "img",
            &[
                ("src", &thumb.name),
                ("alt", &cover_alt),
                ("width", &width),
                ("height", &height),
            ],
        );
        w.end("a");
        w.newline();
    }
    w.start("div", &[("class", "details")]);
    w.newline();
    w.element("h1", &[], &book.title);
    w.newline();
    if let Some(subtitle) = &book.subtitle {
        w.element("p", &[("class", "subtitle")], subtitle);
        w.newline();
    }
    for (role, names) in by_role(&book.contributors) {
        let class = match role {
            "aut" => "authors",
            "edt" => "editors",
            _ => "contributors",
        };
        w.element(
            "p",
            &[("class", class)],
            &format!("{} {}", role_phrase(role), list(&names)),
        );
        w.newline();
    }
    if let Some(description) = &book.description {
        w.element("p", &[("class", "description")], description);
        w.newline();
    }

    w.start(
        "section",
        &[
            ("class", "download"),
            ("aria-labelledby", "download-heading"),
        ],
    );
    w.newline();
    w.element("h2", &[("id", "download-heading")], "Download");
    w.newline();
    if let Some(donation) = &download.donation {
        w.start("div", &[("class", "donation"), ("id", "donation")]);
        w.element("p", &[], &donation.text);
        w.start("p", &[]);
        w.element(
            "a",
            &[("href", &donation.url), ("class", "donate")],
            &donation.label,
        );
        w.end("p");
        w.element("p", &[("class", "voluntary")], VOLUNTARY);
        w.end("div");
        w.newline();
    }
    let size = format!(
        "{} ({} bytes)",
        human_size(input.epub_size),
        input.epub_size
    );
    w.start("p", &[]);
    w.start(
        "a",
        &[
            ("class", "button"),
            ("id", "download"),
            ("href", input.epub_name),
            ("type", "application/epub+zip"),
            ("download", input.epub_name),
        ],
    );
    w.text("Download the EPUB");
    w.end("a");
    w.end("p");
    w.newline();
    w.element("p", &[("class", "file")], &format!("EPUB 3 e-book, {size}"));
    w.newline();
    w.start("p", &[("class", "checksum")]);
    w.text("SHA-256: ");
    w.element("code", &[], input.digest);
    w.text(" (");
    w.element("a", &[("href", "SHA256SUMS")], "SHA256SUMS");
    w.text(")");
    w.end("p");
    w.newline();
    if !download.formats.is_empty() {
        w.start("p", &[("class", "formats")]);
        w.text("Also available as ");
        for (i, format) in download.formats.iter().enumerate() {
            if i > 0 {
                w.text(if i + 1 == download.formats.len() {
                    " and "
                } else {
                    ", "
                });
            }
            w.element("a", &[("href", &format.url)], &format.name);
        }
        w.text(".");
        w.end("p");
        w.newline();
    }
    w.end("section");
    w.newline();

    w.element("h2", &[("id", "about-heading")], "About this edition");
    w.newline();
    w.start("dl", &[("aria-labelledby", "about-heading")]);
    w.newline();
    let row = |w: &mut XmlWriter, term: &str, value: &str| {
        w.element("dt", &[], term);
        w.element("dd", &[], value);
        w.newline();
    };
    if let Some(publisher) = &book.publisher {
        row(&mut w, "Publisher", publisher);
    }
    if let Some(date) = book.date {
        w.element("dt", &[], "Published");
        w.start("dd", &[]);
        w.element(
            "time",
            &[("datetime", &date.to_string())],
            &human_date(date),
        );
        w.end("dd");
        w.newline();
    }
    if let Some(version) = &book.version {
        row(&mut w, "Version", version);
    }
    if let Some(isbn) = &book.isbn {
        row(&mut w, "ISBN", &isbn.written);
    }
    row(&mut w, "Identifier", &about.identifier);
    row(&mut w, "Language", &language_name(&book.language));
    if let Some((name, url)) = licence(about) {
        w.element("dt", &[], "Licence");
        w.start("dd", &[]);
        match url {
            Some(url) => w.element("a", &[("href", &url), ("rel", "license")], &name),
            None => w.text(&name),
        }
        w.end("dd");
        w.newline();
    }
    if !book.subjects.is_empty() {
        row(&mut w, "Subjects", &book.subjects.join(", "));
    }
    row(&mut w, "Accessibility", &about.accessibility.summary);
    w.end("dl");
    w.newline();
    w.end("div");
    w.newline();
    w.end("article");
    w.newline();
    w.end("main");
    w.newline();
    footer(
        &mut w,
        book.publisher.as_deref(),
        (input.placement == Placement::InCatalogue).then_some("../catalog.xml"),
    );
    w.end("body");
    w.newline();
    w.end("html");
    w.newline();
    w.finish()
}

fn footer(w: &mut XmlWriter, publisher: Option<&str>, opds: Option<&str>) {
    w.start("footer", &[]);
    w.start("p", &[]);
    if let Some(publisher) = publisher {
        w.text(&format!("Published by {publisher}. "));
    }
    w.text("Made with bindery.");
    if let Some(opds) = opds {
        w.text(" ");
        w.element(
            "a",
            &[
                ("href", opds),
                (
                    "type",
                    "application/atom+xml;profile=opds-catalog;kind=acquisition",
                ),
            ],
            "OPDS catalogue",
        );
        w.text(" for e-reader apps.");
    }
    w.end("p");
    w.end("footer");
    w.newline();
}

/// The catalogue page: every book, newest first, linking its own page.
pub fn catalogue_page(title: &str, entries: &[&CatalogueEntry<'_>]) -> String {
    let language = entries
        .first()
        .map_or("en", |e| e.about.manifest.book.language.as_str());
    let mut w = XmlWriter::fragment();
    head_start(&mut w, language, false, title);
    meta(
        &mut w,
        "name",
        "description",
        &format!("{title}: free e-books to download"),
    );
    w.empty("link", &[("rel", "stylesheet"), ("href", STYLESHEET)]);
    w.newline();
    w.empty(
        "link",
        &[
            ("rel", "alternate"),
            (
                "type",
                "application/atom+xml;profile=opds-catalog;kind=acquisition",
            ),
            ("href", "catalog.xml"),
            ("title", title),
        ],
    );
    w.newline();
    meta(&mut w, "property", "og:type", "website");
    meta(&mut w, "property", "og:title", title);
    w.end("head");
    w.newline();
    w.start("body", &[]);
    w.newline();
    w.start("header", &[]);
    w.element("p", &[], title);
    w.end("header");
    w.newline();
    w.start("main", &[("id", "main")]);
    w.newline();
    w.element("h1", &[], title);
    w.newline();
    w.start("ul", &[("class", "books")]);
    w.newline();
    for entry in entries {
        let book = &entry.about.manifest.book;
        let href = format!("{}/index.html", entry.folder);
        w.start("li", &[("lang", &book.language)]);
        if let Some(thumb) = &entry.page.thumbnail {
            let src = format!("{}/{}", entry.folder, thumb.name);
            let (width, height) = thumb.size.unwrap_or((400, 640));
            // The title beside it names the link; the image is decoration here.
            w.start(
                "a",
                &[("href", &href), ("tabindex", "-1"), ("aria-hidden", "true")],
            );
            w.empty(
                "img",
                &[
                    ("src", &src),
                    ("alt", ""),
                    ("width", &width.to_string()),
                    ("height", &height.to_string()),
                ],
            );
            w.end("a");
        }
        w.start("h2", &[]);
        w.element("a", &[("href", &href)], &book.title);
        w.end("h2");
        let authors: Vec<&str> = book.authors().collect();
        if !authors.is_empty() {
            w.element(
                "p",
                &[("class", "authors")],
                &format!("By {}", list(&authors)),
            );
        }
        if let Some(date) = book.date {
            w.start("p", &[("class", "date")]);
            w.element(
                "time",
                &[("datetime", &date.to_string())],
                &human_date(date),
            );
            w.end("p");
        }
        if let Some(subtitle) = &book.subtitle {
            w.element("p", &[("class", "subtitle")], subtitle);
        }
        w.end("li");
        w.newline();
    }
    w.end("ul");
    w.newline();
    w.end("main");
    w.newline();
    footer(&mut w, None, Some("catalog.xml"));
    w.end("body");
    w.newline();
    w.end("html");
    w.newline();
    w.finish()
}
