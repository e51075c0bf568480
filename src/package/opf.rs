//! The package document (EPUB 3.3, section 5).

use super::a11y::Accessibility;
use super::{Parts, all_assets, identifier};
use crate::epub_paths;
use crate::locale::TextDirection;
use crate::locale::{Label, Locale, isolate};
use crate::manifest::publishing::WritingMode;
use crate::xml::XmlWriter;

pub fn package_document(parts: &Parts<'_>) -> String {
    let meta = &parts.book.manifest.book;
    let locale = &parts.book.locale;
    let base = locale.direction();
    // The metadata's direction: the book's, and each value's own where
    // that differs (EPUB 3.3, section 5.5.3: the `dir` attribute).
    let dir = |text: &str| isolate(text, base).map(|d| ("dir", d.as_str()));
    let mut w = XmlWriter::new();
    w.start(
        "package",
        &[
            ("xmlns", "http://www.idpf.org/2007/opf"),
            ("version", "3.0"),
            ("unique-identifier", "pub-id"),
            ("xml:lang", &meta.language),
            ("dir", base.as_str()),
        ],
    );
    w.raw("\n  ");
    w.start(
        "metadata",
        &[("xmlns:dc", "http://purl.org/dc/elements/1.1/")],
    );
    let line = |w: &mut XmlWriter| w.raw("\n    ");

    let unique = identifier(parts.book);
    line(&mut w);
    w.element("dc:identifier", &[("id", "pub-id")], &unique);
    // The other identifiers, each with its ONIX code list 5 type.
    let mut others: Vec<(&str, String, Option<&str>)> = Vec::new();
    if let Some(isbn) = &meta.isbn {
        others.push(("isbn", format!("urn:isbn:{}", isbn.digits), Some("15")));
    }
    if let Some(doi) = &meta.doi {
        others.push(("doi", format!("urn:doi:{doi}"), Some("06")));
    }
    if let Some(url) = &meta.url {
        others.push(("url", url.clone(), None));
    }
    for (id, value, onix) in others.iter().filter(|(_, value, _)| *value != unique) {
        line(&mut w);
        w.element("dc:identifier", &[("id", id)], value);
        if let Some(code) = onix {
            let refines = format!("#{id}");
            line(&mut w);
            w.element(
                "meta",
                &[
                    ("refines", &refines),
                    ("property", "identifier-type"),
                    ("scheme", "onix:codelist5"),
                ],
                code,
            );
        }
    }
    if unique.starts_with("urn:isbn:") {
        line(&mut w);
        w.element(
            "meta",
            &[
                ("refines", "#pub-id"),
                ("property", "identifier-type"),
                ("scheme", "onix:codelist5"),
            ],
            "15",
        );
    }
    line(&mut w);
    let mut attributes = vec![("id", "title")];
    attributes.extend(dir(&meta.title));
    w.element("dc:title", &attributes, &meta.title);
    if let Some(subtitle) = &meta.subtitle {
        line(&mut w);
        w.element(
            "meta",
            &[("refines", "#title"), ("property", "title-type")],
            "main",
        );
        line(&mut w);
        let mut attributes = vec![("id", "subtitle")];
        attributes.extend(dir(subtitle));
        w.element("dc:title", &attributes, subtitle);
        line(&mut w);
        w.element(
            "meta",
            &[("refines", "#subtitle"), ("property", "title-type")],
            "subtitle",
        );
    }
    line(&mut w);
    w.element("dc:language", &[], &meta.language);

    let (mut creators, mut contributors) = (0, 0);
    for person in &meta.contributors {
        let (element, id) = if person.is_author() {
            creators += 1;
            ("dc:creator", format!("creator-{creators}"))
        } else {
            contributors += 1;
            ("dc:contributor", format!("contributor-{contributors}"))
        };
        let refines = format!("#{id}");
        line(&mut w);
        let mut attributes = vec![("id", id.as_str())];
        attributes.extend(dir(&person.name));
        w.element(element, &attributes, &person.name);
        line(&mut w);
        w.element(
            "meta",
            &[
                ("refines", &refines),
                ("property", "role"),
                ("scheme", "marc:relators"),
            ],
            &person.role,
        );
        if let Some(file_as) = &person.file_as {
            line(&mut w);
            w.element(
                "meta",
                &[("refines", &refines), ("property", "file-as")],
                file_as,
            );
        }
    }
    if let Some(publisher) = &meta.publisher {
        line(&mut w);
        w.element("dc:publisher", &Vec::from_iter(dir(publisher)), publisher);
    }
    if let Some(date) = &meta.date {
        line(&mut w);
        w.element("dc:date", &[], &date.to_string());
    }
    if let Some(description) = &meta.description {
        line(&mut w);
        w.element(
            "dc:description",
            &Vec::from_iter(dir(description)),
            description,
        );
    }
    for subject in &meta.subjects {
        line(&mut w);
        w.element("dc:subject", &Vec::from_iter(dir(subject)), subject);
    }
    if let Some(rights) = &meta.rights {
        line(&mut w);
        w.element("dc:rights", &Vec::from_iter(dir(rights)), rights);
    }
    if let Some(license) = &meta.license {
        line(&mut w);
        w.element("dc:rights", &[], &license_statement(license, locale));
    }
    if let Some(series) = &meta.series {
        line(&mut w);
        w.element(
            "meta",
            &[("property", "belongs-to-collection"), ("id", "series")],
            &series.name,
        );
        line(&mut w);
        w.element(
            "meta",
            &[("refines", "#series"), ("property", "collection-type")],
            "series",
        );
        if let Some(position) = series.position {
            line(&mut w);
            w.element(
                "meta",
                &[("refines", "#series"), ("property", "group-position")],
                &position.to_string(),
            );
        }
    }
    accessibility(&mut w, parts.accessibility);
    line(&mut w);
    w.element(
        "meta",
        &[("property", "dcterms:modified")],
        &parts.modified.to_rfc3339(),
    );
    if let Some(series) = &meta.series {
        // calibre and the reading systems built on it read only these.
        line(&mut w);
        w.empty(
            "meta",
            &[("name", "calibre:series"), ("content", &series.name)],
        );
        if let Some(position) = series.position {
            line(&mut w);
            w.empty(
                "meta",
                &[
                    ("name", "calibre:series_index"),
                    ("content", &position.to_string()),
                ],
            );
        }
    }
    if meta.writing_mode == WritingMode::VerticalRl {
        // Kindle's converters and the reading systems built on them set a
        // book vertically only when told so here; the others follow the
        // stylesheet's `writing-mode`.
        line(&mut w);
        w.empty(
            "meta",
            &[("name", "primary-writing-mode"), ("content", "vertical-rl")],
        );
    }
    if parts.book.cover.is_some() {
        // For EPUB 2 reading systems, which do not read `cover-image`.
        line(&mut w);
        w.empty("meta", &[("name", "cover"), ("content", "cover-image")]);
    }
    w.raw("\n  </metadata>\n  <manifest>");

    let item =
        |w: &mut XmlWriter, id: &str, href: &str, media_type: &str, properties: Option<&str>| {
            w.raw("\n    ");
            let mut attrs = vec![("id", id), ("href", href), ("media-type", media_type)];
            if let Some(p) = properties {
                attrs.push(("properties", p));
            }
            w.empty("item", &attrs);
        };
    const XHTML: &str = "application/xhtml+xml";
    item(&mut w, "nav", epub_paths::NAV, XHTML, Some("nav"));
    item(
        &mut w,
        "ncx",
        epub_paths::NCX,
        "application/x-dtbncx+xml",
        None,
    );
    item(&mut w, "css", epub_paths::STYLESHEET, "text/css", None);
    if parts.book.cover.is_some() {
        item(&mut w, "cover-page", epub_paths::COVER_PAGE, XHTML, None);
    }
    item(&mut w, "title-page", epub_paths::TITLE_PAGE, XHTML, None);
    let copyright = super::copyright_page(parts).is_some();
    if copyright {
        item(
            &mut w,
            "copyright-page",
            epub_paths::COPYRIGHT_PAGE,
            XHTML,
            None,
        );
    }
    let width = parts.chapters.len().to_string().len().max(3);
    for (i, chapter) in parts.chapters.iter().enumerate() {
        let id = format!("chapter-{:0width$}", i + 1);
        let mut properties = Vec::new();
        if chapter.contains.mathml {
            properties.push("mathml");
        }
        if chapter.contains.svg {
            properties.push("svg");
        }
        let properties = properties.join(" ");
        let properties = (!properties.is_empty()).then_some(properties.as_str());
        item(
            &mut w,
            &id,
            &format!("text/{}", chapter.file),
            XHTML,
            properties,
        );
    }
    let cover_path = parts.book.cover.as_ref().map(|c| &c.path);
    let (mut images, mut fonts) = (0, 0);
    for asset in all_assets(parts) {
        let is_cover = Some(&asset.path) == cover_path;
        let id = if is_cover {
            "cover-image".to_string()
        } else if asset.media_type.is_font() {
            fonts += 1;
            format!("font-{fonts:03}")
        } else {
            images += 1;
            format!("image-{images:03}")
        };
        let href = epub_paths::asset_file(&parts.book.root.display(&asset.path));
        let properties = is_cover.then_some("cover-image");
        item(&mut w, &id, &href, asset.media_type.mime(), properties);
    }
    w.raw("\n  </manifest>\n  ");
    let mut spine = vec![("toc", "ncx")];
    if meta.page_direction() == TextDirection::Rtl {
        spine.push(("page-progression-direction", "rtl"));
    }
    w.start("spine", &spine);
    let itemref = |w: &mut XmlWriter, id: &str| {
        w.raw("\n    ");
        w.empty("itemref", &[("idref", id)]);
    };
    if parts.book.cover.is_some() {
        itemref(&mut w, "cover-page");
    }
    itemref(&mut w, "title-page");
    let short = super::is_short(parts);
    if copyright && !short {
        itemref(&mut w, "copyright-page");
    }
    if super::contents_in_book(parts) {
        itemref(&mut w, "nav");
    } else {
        // Out of the reading order, but still a page links can lead to.
        w.raw("\n    ");
        w.empty("itemref", &[("idref", "nav"), ("linear", "no")]);
    }
    for i in 0..parts.chapters.len() {
        itemref(&mut w, &format!("chapter-{:0width$}", i + 1));
    }
    // A short work's licence page follows its text.
    if copyright && short {
        itemref(&mut w, "copyright-page");
    }
    w.raw("\n  </spine>\n</package>\n");
    w.finish()
}

/// The schema.org and a11y properties of EPUB Accessibility 1.1.
fn accessibility(w: &mut XmlWriter, a11y: &Accessibility) {
    let mut meta = |property: &str, value: &str| {
        w.raw("\n    ");
        w.element("meta", &[("property", property)], value);
    };
    for mode in &a11y.access_modes {
        meta("schema:accessMode", mode);
    }
    for set in &a11y.sufficient {
        meta("schema:accessModeSufficient", set);
    }
    for feature in &a11y.features {
        meta("schema:accessibilityFeature", feature);
    }
    for hazard in &a11y.hazards {
        meta("schema:accessibilityHazard", hazard);
    }
    meta("schema:accessibilitySummary", &a11y.summary);
    if let Some(statement) = &a11y.conforms_to {
        meta("dcterms:conformsTo", statement);
    }
    if let Some(certifier) = &a11y.certified_by {
        meta("a11y:certifiedBy", certifier);
    }
    if let Some(credential) = &a11y.certifier_credential {
        meta("a11y:certifierCredential", credential);
    }
    if let Some(exemption) = &a11y.exemption {
        meta("a11y:exemption", exemption);
    }
    if let Some(source) = &a11y.page_source {
        meta("pageBreakSource", source);
    }
}

/// A licence as a sentence for `dc:rights`, in the book's language.
fn license_statement(license: &crate::manifest::License, locale: &Locale) -> String {
    match license.known {
        Some(known) => locale.format(
            Label::License,
            &[("name", known.name), ("id", known.id), ("url", known.url)],
        ),
        None => locale.format(Label::LicenseOther, &[("license", &license.spdx)]),
    }
}
