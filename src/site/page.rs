//! The HTML of the book page and the catalogue page.
//!
//! HTML5 written as XML: void elements are self-closed, every attribute
//! has a value, and all text goes through [`XmlWriter`], so the pages
//! parse both as HTML and as XML.
//!
//! Every word the pages say themselves comes from the label files, in the
//! book's language (a catalogue's: the language most of its books share);
//! dates, numbers and lists are written as CLDR writes them in that
//! language (see [`crate::locale`]).

use super::json::Json;
use super::{About, CatalogueEntry, Image, Placement, STYLESHEET, absolute};
use crate::locale::{Label, Locale};
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

/// The book's language, with the labels its manifest overrides.
pub fn locale_of(about: &About) -> Locale {
    let manifest = &about.manifest;
    Locale::new(&manifest.book.language, manifest.labels.clone())
}

/// A date for people, as the language writes it: "28 November 2026",
/// "28. November 2026", "2026年11月28日"; W3CDTF when CLDR cannot.
fn human_date(date: PubDate, locale: &Locale) -> String {
    locale
        .date(date.year, date.month, date.day)
        .unwrap_or_else(|| date.to_string())
}

/// A file's size for people: "1.2 MiB", "1,2 MiB", "900 B".
pub(super) fn file_size(bytes: u64, locale: &Locale) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    // In tenths, rounded.
    let tenths = |unit: u64| (u128::from(bytes) * 10 + u128::from(unit) / 2) / u128::from(unit);
    let tenths = |unit: u64| u64::try_from(tenths(unit)).unwrap_or(u64::MAX);
    if bytes < KIB {
        format!("{} B", locale.number(bytes, 0))
    } else if bytes < MIB {
        format!("{} KiB", locale.number(tenths(KIB), 1))
    } else {
        format!("{} MiB", locale.number(tenths(MIB), 1))
    }
}

/// A count of bytes in words: "1,234 bytes", "1.234 Byte".
fn bytes_in_words(bytes: u64, locale: &Locale) -> String {
    let count = usize::try_from(bytes).unwrap_or(usize::MAX);
    locale.plural(
        Label::SiteBytes,
        count,
        &[("count", &locale.number(bytes, 0))],
    )
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

/// A role and its people, as the page says it: "By A and B" for the
/// authors, "Editor: C" (the role's label) for anyone else.
fn role_line(role: &str, names: &[&str], locale: &Locale) -> String {
    let names = locale.list(names);
    if role == "aut" {
        return locale.format(Label::SiteBy, &[("names", &names)]);
    }
    // A role without a label is named by the relator list's term.
    let term = locale.role(role).unwrap_or_else(|| {
        relators::RELATORS
            .iter()
            .find(|(code, _)| *code == role)
            .map_or_else(|| "Contributor".into(), |(_, term)| (*term).to_string())
    });
    locale.term(&term, &names)
}

/// The page's `<head>` up to the stylesheet: shared by both pages.
fn head_start(w: &mut XmlWriter, locale: &Locale, title: &str) {
    w.raw("<!DOCTYPE html>\n");
    let language = locale.tag();
    let dir = locale.direction().as_str();
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

/// The book's language for people, in its own words: "Deutsch",
/// "Deutsch (de-AT)"; its English name for a language bindery has no
/// labels in; else the tag itself.
fn language_name(tag: &str, locale: &Locale) -> String {
    let name = match locale.file() {
        Some(file) => Some(file.name.clone()),
        None => crate::manifest::language::name(tag),
    };
    match name {
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
    let locale = locale_of(about);
    let full_title = match &book.subtitle {
        Some(subtitle) => locale.term(&book.title, subtitle),
        None => book.title.clone(),
    };
    let authors: Vec<&str> = book.authors().collect();
    let summary = book.description.clone().unwrap_or_else(|| {
        if authors.is_empty() {
            locale.format(Label::SiteSummaryAnonymous, &[("title", &full_title)])
        } else {
            let names = locale.list(&authors);
            locale.format(
                Label::SiteSummary,
                &[("title", &full_title), ("names", &names)],
            )
        }
    });
    let cover_alt = locale.format(Label::CoverAlt, &[("title", &book.title)]);

    let mut w = XmlWriter::fragment();
    head_start(&mut w, &locale, &full_title);
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
            let all = locale.label(Label::SiteAllBooks);
            w.element("a", &[("href", "../index.html")], &all);
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
        w.element("p", &[("class", class)], &role_line(role, &names, &locale));
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
    let heading = locale.label(Label::SiteDownload);
    w.element("h2", &[("id", "download-heading")], &heading);
    w.newline();
    if let Some(donation) = &download.donation {
        let text = donation
            .text
            .clone()
            .unwrap_or_else(|| locale.label(Label::DonationText));
        let label = donation
            .label
            .clone()
            .unwrap_or_else(|| locale.label(Label::DonationLabel));
        w.start("div", &[("class", "donation"), ("id", "donation")]);
        w.element("p", &[], &text);
        w.start("p", &[]);
        w.element("a", &[("href", &donation.url), ("class", "donate")], &label);
        w.end("p");
        let voluntary = locale.label(Label::DonationVoluntary);
        w.element("p", &[("class", "voluntary")], &voluntary);
        w.end("div");
        w.newline();
    }
    let file = locale.format(
        Label::SiteEpubFile,
        &[
            ("size", &file_size(input.epub_size, &locale)),
            ("bytes", &bytes_in_words(input.epub_size, &locale)),
        ],
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
    w.text(&locale.label(Label::SiteDownloadEpub));
    w.end("a");
    w.end("p");
    w.newline();
    w.element("p", &[("class", "file")], &file);
    w.newline();
    w.start("p", &[("class", "checksum")]);
    w.text(&locale.term("SHA-256", ""));
    w.element("code", &[], input.digest);
    w.text(" (");
    w.element("a", &[("href", "SHA256SUMS")], "SHA256SUMS");
    w.text(")");
    w.end("p");
    w.newline();
    if !download.formats.is_empty() {
        w.start("p", &[("class", "formats")]);
        let links: Vec<(&str, &str)> = download
            .formats
            .iter()
            .map(|f| (f.name.as_str(), f.url.as_str()))
            .collect();
        text_with_links(&mut w, Label::SiteAlsoAvailable, "formats", &links, &locale);
        w.end("p");
        w.newline();
    }
    w.end("section");
    w.newline();

    let about_heading = locale.label(Label::SiteAbout);
    w.element("h2", &[("id", "about-heading")], &about_heading);
    w.newline();
    w.start("dl", &[("aria-labelledby", "about-heading")]);
    w.newline();
    let row = |w: &mut XmlWriter, term: &str, value: &str| {
        w.element("dt", &[], term);
        w.element("dd", &[], value);
        w.newline();
    };
    if let Some(publisher) = &book.publisher {
        row(&mut w, &locale.label(Label::SitePublisher), publisher);
    }
    if let Some(date) = book.date {
        w.element("dt", &[], &locale.label(Label::SitePublished));
        w.start("dd", &[]);
        let written = human_date(date, &locale);
        w.element("time", &[("datetime", &date.to_string())], &written);
        w.end("dd");
        w.newline();
    }
    if let Some(version) = &book.version {
        row(&mut w, &locale.label(Label::SiteVersion), version);
    }
    if let Some(isbn) = &book.isbn {
        row(&mut w, "ISBN", &isbn.written);
    }
    row(
        &mut w,
        &locale.label(Label::SiteIdentifier),
        &about.identifier,
    );
    let language = language_name(&book.language, &locale);
    row(&mut w, &locale.label(Label::SiteLanguage), &language);
    if let Some((name, url)) = licence(about) {
        w.element("dt", &[], &locale.label(Label::SiteLicence));
        w.start("dd", &[]);
        match url {
            Some(url) => w.element("a", &[("href", &url), ("rel", "license")], &name),
            None => w.text(&name),
        }
        w.end("dd");
        w.newline();
    }
    if !book.subjects.is_empty() {
        let subjects: Vec<&str> = book.subjects.iter().map(String::as_str).collect();
        row(
            &mut w,
            &locale.label(Label::SiteSubjects),
            &locale.list(&subjects),
        );
    }
    let summary = &about.accessibility.summary;
    row(&mut w, &locale.label(Label::SiteAccessibility), summary);
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
        &locale,
    );
    w.end("body");
    w.newline();
    w.end("html");
    w.newline();
    w.finish()
}

fn footer(w: &mut XmlWriter, publisher: Option<&str>, opds: Option<&str>, locale: &Locale) {
    w.start("footer", &[]);
    w.start("p", &[]);
    if let Some(publisher) = publisher {
        w.text(&locale.format(Label::SitePublishedBy, &[("publisher", publisher)]));
        w.text(" ");
    }
    w.text(&locale.label(Label::SiteMadeWith));
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
            &locale.label(Label::SiteOpds),
        );
    }
    w.end("p");
    w.end("footer");
    w.newline();
}

/// Writes a label whose placeholder `name` stands for a list of links:
/// the list is joined as the language joins lists, and each item is a
/// link.
fn text_with_links(
    w: &mut XmlWriter,
    label: Label,
    name: &str,
    links: &[(&str, &str)],
    locale: &Locale,
) {
    // Each link stands in the list as a marker no label or name holds,
    // then the text is written piece by piece, a link for each marker.
    let markers: Vec<String> = (0..links.len())
        .map(|i| format!("\u{E000}{i}\u{E001}"))
        .collect();
    let list = locale.list(&markers.iter().map(String::as_str).collect::<Vec<_>>());
    let text = locale.format(label, &[(name, &list)]);
    let mut rest = text.as_str();
    while let Some(start) = rest.find('\u{E000}') {
        let (before, after) = rest.split_at(start);
        w.text(before);
        let marker = after.trim_start_matches('\u{E000}');
        let Some((index, after)) = marker.split_once('\u{E001}') else {
            rest = marker;
            continue;
        };
        if let Some((text, href)) = index.parse::<usize>().ok().and_then(|i| links.get(i)) {
            w.element("a", &[("href", href)], text);
        }
        rest = after;
    }
    w.text(rest);
}

/// The catalogue page: every book, newest first, linking its own page,
/// in `locale`'s language; each book's entry says its own language and
/// speaks it.
pub fn catalogue_page(title: &str, locale: &Locale, entries: &[&CatalogueEntry<'_>]) -> String {
    let mut w = XmlWriter::fragment();
    head_start(&mut w, locale, title);
    let description = locale.format(Label::SiteCatalogueDescription, &[("title", title)]);
    meta(&mut w, "name", "description", &description);
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
        let own = locale_of(entry.about);
        let href = format!("{}/index.html", entry.folder);
        let mut attributes = vec![("lang", book.language.as_str())];
        if own.direction() != locale.direction() {
            attributes.push(("dir", own.direction().as_str()));
        }
        w.start("li", &attributes);
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
            let line = role_line("aut", &authors, &own);
            w.element("p", &[("class", "authors")], &line);
        }
        if let Some(date) = book.date {
            w.start("p", &[("class", "date")]);
            let written = human_date(date, &own);
            w.element("time", &[("datetime", &date.to_string())], &written);
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
    footer(&mut w, None, Some("catalog.xml"), locale);
    w.end("body");
    w.newline();
    w.end("html");
    w.newline();
    w.finish()
}
