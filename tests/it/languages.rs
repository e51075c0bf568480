//! Books in other languages and scripts: what bindery writes itself
//! follows the book's language (labels, dates, quotes), and every
//! document says the book's language and direction.

use crate::support::{Epub, TempBook, built, fixture, parse_xml};

const XHTML: &str = "http://www.w3.org/1999/xhtml";
const OPS: &str = "http://www.idpf.org/2007/ops";
const XML: &str = "http://www.w3.org/XML/1998/namespace";
const NNBSP: char = '\u{202f}';
const NBSP: char = '\u{a0}';

fn epub(name: &str) -> &'static Epub {
    &built(&fixture(name)).epub
}

/// The text of every element with a name, in a document.
fn texts(epub: &Epub, file: &str, tag: &str) -> Vec<String> {
    let doc = parse_xml(file, epub.text(file));
    doc.descendants()
        .filter(|n| n.has_tag_name((XHTML, tag)))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect()
}

/// An attribute of every element with a name.
fn attributes(epub: &Epub, file: &str, tag: &str, attribute: &str) -> Vec<String> {
    let doc = parse_xml(file, epub.text(file));
    doc.descendants()
        .filter(|n| n.has_tag_name((XHTML, tag)))
        .filter_map(|n| n.attribute(attribute).map(str::to_string))
        .collect()
}

/// The landmarks' titles.
fn landmarks(epub: &Epub) -> Vec<String> {
    let nav = epub.text("EPUB/nav.xhtml");
    let doc = parse_xml("nav.xhtml", nav);
    doc.descendants()
        .find(|n| n.has_tag_name((XHTML, "nav")) && n.attribute((OPS, "type")) == Some("landmarks"))
        .unwrap()
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "a")))
        .map(|a| a.text().unwrap_or_default().to_string())
        .collect()
}

/// The one chapter of a fixture.
fn chapter(epub: &Epub) -> &str {
    let name = epub
        .xhtml_names()
        .into_iter()
        .find(|n| n.starts_with("EPUB/text/0"))
        .unwrap();
    epub.text(name)
}

/// The chapter's first paragraph, as text.
fn first_paragraph(epub: &Epub) -> String {
    let doc = parse_xml("chapter", chapter(epub));
    doc.descendants()
        .find(|n| n.has_tag_name((XHTML, "p")))
        .unwrap()
        .descendants()
        .filter(|t| t.is_text())
        .filter_map(|t| t.text())
        .collect()
}

struct Expected {
    fixture: &'static str,
    tag: &'static str,
    dir: &'static str,
    contents: &'static str,
    landmarks: [&'static str; 4],
    role: &'static str,
    imprint_date: &'static str,
    back_link: &'static str,
    admonition: &'static str,
}

const BOOKS: &[Expected] = &[
    Expected {
        fixture: "lang-de",
        tag: "de",
        dir: "ltr",
        contents: "Inhalt",
        landmarks: ["Umschlag", "Titelseite", "Inhalt", "Textbeginn"],
        role: "Herausgeber: Ingrid Ålund",
        imprint_date: "27. November 2026",
        back_link: "Zurück zum Verweis 1",
        admonition: "Hinweis",
    },
    Expected {
        fixture: "lang-fr",
        tag: "fr",
        dir: "ltr",
        contents: "Table des matières",
        landmarks: [
            "Couverture",
            "Page de titre",
            "Table des matières",
            "Début de la lecture",
        ],
        // French sets a no-break space before a colon.
        role: "Traduction\u{a0}: Kenji Watanabe",
        imprint_date: "27 novembre 2026",
        back_link: "Retour à l’appel de note 1",
        admonition: "Avertissement",
    },
    Expected {
        fixture: "lang-ja",
        tag: "ja",
        dir: "ltr",
        contents: "目次",
        landmarks: ["表紙", "扉", "目次", "本文の始まり"],
        // A full-width colon, its space built in.
        role: "訳：Ingrid Ålund",
        imprint_date: "2026年11月27日",
        back_link: "参照元 1 に戻る",
        admonition: "ヒント",
    },
    Expected {
        fixture: "lang-ja-vertical",
        tag: "ja",
        dir: "ltr",
        contents: "目次",
        landmarks: ["表紙", "扉", "目次", "本文の始まり"],
        role: "",
        imprint_date: "2026年11月27日",
        back_link: "参照元 1 に戻る",
        admonition: "ヒント",
    },
    Expected {
        fixture: "lang-zh-hant",
        tag: "zh-Hant",
        dir: "ltr",
        contents: "目錄",
        landmarks: ["封面", "書名頁", "目錄", "正文開始"],
        role: "編：Margarethe Falz",
        imprint_date: "2026年11月27日",
        back_link: "返回引用 1",
        admonition: "重要",
    },
    Expected {
        fixture: "lang-ar",
        tag: "ar",
        dir: "rtl",
        contents: "المحتويات",
        landmarks: ["الغلاف", "صفحة العنوان", "المحتويات", "بداية القراءة"],
        role: "تحرير: Ingrid Ålund",
        imprint_date: "27 نوفمبر 2026",
        back_link: "العودة إلى الإحالة 1",
        admonition: "تنبيه",
    },
    Expected {
        fixture: "lang-he",
        tag: "he",
        dir: "rtl",
        contents: "תוכן העניינים",
        landmarks: ["כריכה", "עמוד שער", "תוכן העניינים", "תחילת הקריאה"],
        role: "תרגום: Kenji Watanabe",
        imprint_date: "27 בנובמבר 2026",
        back_link: "חזרה להפניה 1",
        admonition: "הערה",
    },
];

#[test]
fn generated_pages_speak_the_books_language() {
    for book in BOOKS {
        let epub = epub(book.fixture);
        let name = book.fixture;
        assert_eq!(
            texts(epub, "EPUB/nav.xhtml", "h1"),
            [book.contents],
            "{name}"
        );
        assert_eq!(landmarks(epub), book.landmarks, "{name}");
        if !book.role.is_empty() {
            let title_page = texts(epub, "EPUB/text/title.xhtml", "p");
            assert!(
                title_page.iter().any(|p| p == book.role),
                "{name}: {title_page:?}"
            );
        }
        let imprint = texts(epub, "EPUB/text/copyright.xhtml", "p");
        assert!(
            imprint.iter().any(|p| p.ends_with(book.imprint_date)),
            "{name}: {imprint:?}"
        );
        let chapter_file = epub
            .xhtml_names()
            .into_iter()
            .find(|n| n.starts_with("EPUB/text/0"))
            .unwrap();
        assert_eq!(
            attributes(epub, chapter_file, "a", "aria-label"),
            [book.back_link],
            "{name}"
        );
        let admonition = texts(epub, chapter_file, "p")
            .into_iter()
            .find(|p| p == book.admonition);
        assert!(admonition.is_some(), "{name}: no `{}`", book.admonition);
    }
}

#[test]
fn every_document_says_the_books_language_and_direction() {
    for book in BOOKS {
        let epub = epub(book.fixture);
        for name in epub.xhtml_names() {
            let doc = parse_xml(name, epub.text(name));
            let html = doc.root_element();
            assert_eq!(html.attribute((XML, "lang")), Some(book.tag), "{name}");
            assert_eq!(html.attribute("lang"), Some(book.tag), "{name}");
            assert_eq!(html.attribute("dir"), Some(book.dir), "{name}");
        }
        let opf = epub.text("EPUB/package.opf");
        let doc = parse_xml("package.opf", opf);
        let package = doc.root_element();
        assert_eq!(package.attribute((XML, "lang")), Some(book.tag));
        assert_eq!(package.attribute("dir"), Some(book.dir), "{}", book.fixture);
    }
}

#[test]
fn pages_turn_right_to_left_in_right_to_left_scripts_and_vertical_books() {
    let direction = |name: &str| {
        let opf = epub(name).text("EPUB/package.opf");
        let doc = parse_xml("package.opf", opf);
        doc.descendants()
            .find(|n| n.tag_name().name() == "spine")
            .and_then(|n| n.attribute("page-progression-direction"))
            .map(str::to_string)
    };
    assert_eq!(direction("lang-ar").as_deref(), Some("rtl"));
    assert_eq!(direction("lang-he").as_deref(), Some("rtl"));
    assert_eq!(direction("lang-ja-vertical").as_deref(), Some("rtl"));
    for name in ["lang-de", "lang-fr", "lang-ja", "lang-zh-hant", "minimal"] {
        assert_eq!(direction(name), None, "{name}");
    }
}

#[test]
fn quotes_are_those_of_the_language_nested_ones_too() {
    assert_eq!(
        first_paragraph(epub("lang-de")),
        "„Ein Buch“, sagte sie, „ist erst fertig, wenn es ‚gebunden‘ ist.“\n\
         Das ist der erste Satz des Handbuchs.1"
    );
    assert_eq!(
        first_paragraph(epub("lang-fr")),
        format!(
            "«{NNBSP}Un livre{NNBSP}», disait-elle, «{NNBSP}n’est fini qu’une fois “relié”.{NNBSP}»\n\
             Pourquoi{NNBSP}? Parce que tout commence par le pli{NNBSP}! \
             Voici la règle{NBSP}: on plie d’abord.1"
        )
    );
    assert_eq!(
        first_paragraph(epub("lang-ja")),
        "彼女は「本は『綴じて』初めて完成する」と言った。これが手引きの最初の一文である。1"
    );
    assert_eq!(
        first_paragraph(epub("lang-zh-hant")),
        "她說：「書要『裝訂』好了才算完成。」這是手冊的第一句話。1"
    );
    assert_eq!(
        first_paragraph(epub("lang-ar")),
        "قالت: «لا يكتمل الكتاب إلا حين “يُجلَّد”.» هذه أول جملة في الدليل.1"
    );
    assert_eq!(
        first_paragraph(epub("lang-he")),
        "היא אמרה: ”ספר שלם רק כשהוא ’כרוך’.” זה המשפט הראשון במדריך.1"
    );
}

#[test]
fn a_span_in_another_language_gets_that_languages_quotes() {
    let spans = |name: &str| {
        let epub = epub(name);
        let file = chapter_name(epub);
        let doc = parse_xml(file, epub.text(file));
        doc.descendants()
            .filter(|n| n.has_tag_name((XHTML, "span")) && n.attribute("lang").is_some())
            .map(|n| n.text().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(spans("lang-de"), ["“folding”"]);
    assert_eq!(spans("lang-fr"), ["„falzen“"]);
}

fn chapter_name(epub: &Epub) -> &str {
    epub.xhtml_names()
        .into_iter()
        .find(|n| n.starts_with("EPUB/text/0"))
        .unwrap()
}

#[test]
fn metadata_in_the_other_direction_is_isolated() {
    let epub = epub("lang-he");
    let title_page = epub.text("EPUB/text/title.xhtml");
    assert!(
        title_page.contains(r#"<p class="subtitle" dir="ltr">Bookbinding (2nd ed.)</p>"#),
        "{title_page}"
    );
    assert!(
        title_page
            .contains(r#"<p class="authors">נועה לוי, <bdi dir="ltr">Margarethe Falz</bdi></p>"#),
        "{title_page}"
    );
    let opf = epub.text("EPUB/package.opf");
    assert!(opf.contains(r#"<dc:title id="subtitle" dir="ltr">Bookbinding (2nd ed.)</dc:title>"#));
    assert!(opf.contains(r#"<dc:creator id="creator-2" dir="ltr">Margarethe Falz</dc:creator>"#));
    assert!(opf.contains(r#"<dc:creator id="creator-1">נועה לוי</dc:creator>"#));
}

#[test]
fn the_accessibility_summary_is_in_the_books_language() {
    let opf = epub("lang-de").text("EPUB/package.opf");
    assert!(opf.contains(
        "<meta property=\"schema:accessibilitySummary\">Diese Publikation hat ein Inhaltsverzeichnis, \
         gegliederte Überschriften und eine logische Lesereihenfolge."
    ));
    assert!(opf.contains(
        "<dc:rights>Dieses Werk steht unter der Lizenz Creative Commons Attribution 4.0 International (CC-BY-4.0): https://creativecommons.org/licenses/by/4.0/</dc:rights>"
    ), "{opf}");
}

#[test]
fn labels_are_overridden_in_the_manifest() {
    let book = TempBook::copy_of(&fixture("lang-de"));
    let manifest = book.path().join("book.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str(
        "\n[labels]\ncontents = \"Übersicht\"\nrole-edt = \"Redaktion\"\nnote = \"Merke\"\n",
    );
    std::fs::write(&manifest, text).unwrap();
    let output = book.build(&["-o", "out.epub"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let epub = Epub::open(&book.path().join("out.epub"));
    assert_eq!(texts(&epub, "EPUB/nav.xhtml", "h1"), ["Übersicht"]);
    assert!(
        texts(&epub, "EPUB/text/title.xhtml", "p").contains(&"Redaktion: Ingrid Ålund".to_string())
    );
    assert!(texts(&epub, chapter_name(&epub), "p").contains(&"Merke".to_string()));
}

#[test]
fn an_unknown_label_suggests_the_closest_one() {
    let book = TempBook::copy_of(&fixture("lang-de"));
    let manifest = book.path().join("book.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("\n[labels]\ncontens = \"Übersicht\"\n");
    std::fs::write(&manifest, text).unwrap();
    let output = book.build(&[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("error[B003]: unknown key `contens` in [labels]"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `contents`?"), "{stderr}");
}

#[test]
fn a_language_without_labels_is_english_with_a_note() {
    let book = TempBook::copy_of(&fixture("minimal"));
    let manifest = book.path().join("book.toml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("\"en\"", "\"sw\"");
    std::fs::write(&manifest, text).unwrap();
    let output = book.build(&["-o", "out.epub", "--deny", "warnings"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("note[B028]: bindery has no labels in Swahili (`sw`)"),
        "{stderr}"
    );
    let epub = Epub::open(&book.path().join("out.epub"));
    assert_eq!(texts(&epub, "EPUB/nav.xhtml", "h1"), ["Contents"]);
}

/// A minimal book with another title, built; its output and the EPUB.
fn build_titled(title: &str) -> (std::process::Output, TempBook) {
    let book = TempBook::copy_of(&fixture("minimal"));
    let manifest = book.path().join("book.toml");
    std::fs::write(
        &manifest,
        format!("[book]\ntitle = \"{title}\"\nlanguage = \"he\"\n"),
    )
    .unwrap();
    let output = book.build(&["-o", "out.epub"]);
    (output, book)
}

#[test]
fn a_title_the_books_fonts_lack_is_set_in_a_system_font() {
    // DejaVu Sans has Hebrew (scripts/test.sh installs it); EB Garamond
    // does not.
    let (output, book) = build_titled("ספר הכריכה");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let epub = Epub::open(&book.path().join("out.epub"));
    let svg = epub.text("EPUB/media/bindery-cover/cover.svg");
    assert!(svg.contains("<title>ספר הכריכה</title>"), "{svg}");
}

/// The names of the fonts the book in `dir` would draw its cover in.
fn cover_chain(dir: &std::path::Path) -> Vec<String> {
    let (root, text) = bindery::load::read_manifest(dir).unwrap();
    let manifest = bindery::load::parse_manifest(&root, &text, &mut Vec::new()).unwrap();
    let book = bindery::load::load_book(root, manifest).unwrap();
    book.cover_fonts.into_iter().map(|f| f.name).collect()
}

#[test]
fn a_cover_takes_the_books_fonts_only_for_characters_the_bundled_face_lacks() {
    // Hebrew letters come from the book's font; the Latin subtitle and
    // name from EB Garamond, which is looked in first.
    assert_eq!(
        cover_chain(&fixture("lang-he")),
        [
            "EB Garamond (bundled)",
            "assets/fonts/NotoSerifHebrew-cover.ttf"
        ]
    );
    // The same font in a book whose cover text is all Latin is not used.
    let book = TempBook::copy_of(&fixture("lang-he"));
    std::fs::write(
        book.path().join("book.toml"),
        "[book]\ntitle = \"Binding\"\nauthors = [\"Noa Levi\"]\nlanguage = \"he\"\n\n\
         [[style.fonts]]\nfile = \"assets/fonts/NotoSerifHebrew-cover.ttf\"\nfamily = \"Noto Serif Hebrew\"\n",
    )
    .unwrap();
    assert_eq!(cover_chain(&book.path()), ["EB Garamond (bundled)"]);
}

#[test]
fn a_cover_font_named_in_the_manifest_is_looked_in_first() {
    let book = TempBook::copy_of(&fixture("lang-he"));
    let manifest = std::fs::read_to_string(book.path().join("book.toml")).unwrap();
    let manifest = manifest.replace(
        "[[style.fonts]]",
        "[style]\ncover-font = \"assets/fonts/NotoSerifHebrew-cover.ttf\"\n\n[[style.fonts]]",
    );
    std::fs::write(book.path().join("book.toml"), manifest).unwrap();
    assert_eq!(
        cover_chain(&book.path()),
        [
            "assets/fonts/NotoSerifHebrew-cover.ttf",
            "EB Garamond (bundled)"
        ]
    );
}

#[test]
fn a_cover_font_that_is_not_a_font_is_refused_where_it_is_named() {
    let book = TempBook::copy_of(&fixture("minimal"));
    let manifest = std::fs::read_to_string(book.path().join("book.toml")).unwrap();
    std::fs::write(
        book.path().join("book.toml"),
        format!("{manifest}\n[style]\ncover-font = \"chapters/01-only.md\"\n"),
    )
    .unwrap();
    let output = book.build(&["-o", "out.epub"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[B110]"), "{stderr}");
    assert!(
        stderr.contains("cover-font = \"chapters/01-only.md\""),
        "{stderr}"
    );
}
