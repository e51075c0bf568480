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
    let voluntary = html.find(page::VOLUNTARY).unwrap();
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
    assert!(with.contains("\"url\": \"https://example.org/t/book.epub\""));
}
