use super::*;

fn about(toml: &str) -> About {
    let mut warnings = Vec::new();
    let manifest = crate::manifest::parse(toml, &mut warnings).unwrap();
    About {
        manifest,
        identifier: "urn:uuid:00000000-0000-0000-0000-000000000000".into(),
        modified: Timestamp::DEFAULT,
        accessibility: crate::package::a11y::Accessibility {
            access_modes: vec!["textual"],
            sufficient: vec!["textual"],
            features: vec!["tableOfContents"],
            hazards: vec!["none".into()],
            summary: "Text only.".into(),
            conforms_to: None,
            certified_by: None,
            certifier_credential: None,
            exemption: None,
            page_source: None,
        },
        cover: None,
    }
}

fn page_of(toml: &str) -> String {
    let page = book_files(&about(toml), "book.epub", b"epub", Placement::Alone);
    let index = page.files.iter().find(|f| f.path == "index.html").unwrap();
    String::from_utf8(index.data.clone()).unwrap()
}

#[test]
fn user_text_cannot_break_the_page_or_its_json_ld() {
    let html = page_of(
        "[book]\ntitle = \"</script><script>alert(1)</script> & <b>\"\nlanguage = \"en\"\n\
         description = \"\\\"quoted\\\" </script>\"\n",
    );
    assert!(!html.contains("<script>alert"), "{html}");
    assert_eq!(html.matches("</script>").count(), 1, "{html}");
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;"));
    assert!(html.contains("\\u003c/script\\u003e"));
}

#[test]
fn the_donation_prompt_comes_before_the_download_link() {
    let html = page_of(
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[download]\n\
         donation-url = \"https://example.org/give\"\ndonation-text = \"Please give.\"\n",
    );
    let donation = html.find("Please give.").unwrap();
    let voluntary = html.find("Donating is voluntary.").unwrap();
    let download = html.find("id=\"download\"").unwrap();
    assert!(donation < download && voluntary < download);
    assert!(!page_of("[book]\ntitle = \"T\"\nlanguage = \"en\"\n").contains("donation"));
}

#[test]
fn canonical_link_and_absolute_images_need_the_download_url() {
    let without = page_of("[book]\ntitle = \"T\"\nlanguage = \"en\"\n");
    assert!(!without.contains("rel=\"canonical\""));
    assert!(!without.contains("og:url"));
    let with = page_of(
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[download]\nurl = \"https://example.org/t\"\n",
    );
    assert!(with.contains("<link rel=\"canonical\" href=\"https://example.org/t/\"/>"));
    assert!(with.contains("\"contentUrl\": \"https://example.org/t/book.epub\""));
}

/// The page's JSON-LD, parsed.
fn json_ld_of(toml: &str) -> serde_json::Value {
    let html = page_of(toml);
    let start = html.find("application/ld+json\">").unwrap() + "application/ld+json\">".len();
    let end = html[start..].find("</script>").unwrap() + start;
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn json_ld_puts_the_file_on_a_media_object_of_the_ebook_edition() {
    let ld = json_ld_of("[book]\ntitle = \"T\"\nlanguage = \"en\"\n");
    assert_eq!(ld["isAccessibleForFree"], serde_json::Value::Bool(true));
    let edition = &ld["workExample"][0];
    assert_eq!(edition["@type"], "Book");
    assert_eq!(edition["bookFormat"], "https://schema.org/EBook");
    let file = &edition["encoding"];
    assert_eq!(file["@type"], "MediaObject");
    assert_eq!(file["contentUrl"], "book.epub");
    assert_eq!(file["encodingFormat"], "application/epub+zip");
    assert_eq!(file["contentSize"], "4 bytes");
    assert_eq!(file["sha256"], crate::release::sha256_hex(b"epub"));
    // What schema.org puts on a MediaObject is not on the Book, and
    // `conformsTo` is not a schema.org property at all.
    for key in [
        "contentSize",
        "sha256",
        "encodingFormat",
        "url",
        "conformsTo",
    ] {
        assert!(edition.get(key).is_none(), "{key} on the edition");
    }
    assert!(ld.get("conformsTo").is_none());
}

#[test]
fn an_spdx_id_bindery_does_not_know_links_to_its_spdx_page() {
    assert_eq!(
        page::spdx_page("MPL-2.0").as_deref(),
        Some("https://spdx.org/licenses/MPL-2.0.html")
    );
    assert_eq!(
        page::spdx_page("GPL-2.0-or-later").as_deref(),
        Some("https://spdx.org/licenses/GPL-2.0-or-later.html")
    );
    assert_eq!(
        page::spdx_page("LGPL-2.1+").as_deref(),
        Some("https://spdx.org/licenses/LGPL-2.1.html")
    );
    for not_one in [
        "MIT OR Apache-2.0",
        "LicenseRef-house",
        "licenseref-x",
        "",
        "+",
        "1.0",
        "a/b",
    ] {
        assert_eq!(page::spdx_page(not_one), None, "{not_one}");
    }
    let ld = json_ld_of("[book]\ntitle = \"T\"\nlanguage = \"en\"\nlicense = \"MPL-2.0\"\n");
    assert_eq!(ld["license"], "https://spdx.org/licenses/MPL-2.0.html");
    let html = page_of("[book]\ntitle = \"T\"\nlanguage = \"en\"\nlicense = \"MPL-2.0\"\n");
    assert!(
        html.contains(
            "<a href=\"https://spdx.org/licenses/MPL-2.0.html\" rel=\"license\">MPL-2.0</a>"
        ),
        "{html}"
    );
    // An expression has no one page: its text stands alone.
    let html = page_of("[book]\ntitle = \"T\"\nlanguage = \"en\"\nlicense = \"MIT OR MPL-2.0\"\n");
    assert!(html.contains("<dd>MIT OR MPL-2.0</dd>"), "{html}");
}

#[test]
fn the_language_is_shown_by_its_own_name_when_bindery_knows_it() {
    for (tag, term, shown) in [
        ("en", "Language", "English"),
        ("de-CH", "Sprache", "Deutsch (de-CH)"),
        ("tlh", "Language", "tlh"),
    ] {
        let html = page_of(&format!("[book]\ntitle = \"T\"\nlanguage = \"{tag}\"\n"));
        assert!(
            html.contains(&format!("<dt>{term}</dt><dd>{shown}</dd>")),
            "{tag}: {html}"
        );
        // The markup keeps the tag.
        assert!(html.contains(&format!(" lang=\"{tag}\"")), "{html}");
    }
}

#[test]
fn sizes_are_written_as_the_language_writes_numbers() {
    let en = Locale::new("en", Default::default());
    let de = Locale::new("de", Default::default());
    let fr = Locale::new("fr", Default::default());
    assert_eq!(page::file_size(900, &en), "900 B");
    assert_eq!(page::file_size(1536, &en), "1.5 KiB");
    assert_eq!(page::file_size(1536, &de), "1,5 KiB");
    assert_eq!(page::file_size(5 * 1024 * 1024 + 104_858, &de), "5,1 MiB");
    // French groups thousands with a narrow no-break space.
    assert_eq!(page::file_size(1000, &fr), "1\u{202f}000 B");
}
