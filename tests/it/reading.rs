//! What a reader sees: built books opened in Chromium, the engine under
//! many reading systems, with the EPUB's own stylesheet, at phone, tablet
//! and desktop sizes, under the day, sepia and night themes that reading
//! systems inject as user stylesheets, with the system set to light and
//! to dark. A script (`reading/measure.js`) measures each page as laid out;
//! the tests below judge the measurements.
//!
//! Each book is built once (shared with the other tests) and measured once
//! per test run, in one browser; the tests share the measurements.

mod browser;

use crate::support::{Cell, built, cell, chromium, fixture, parse_xml, repo};
use browser::Browser;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// Phone, tablet and desktop, in CSS pixels.
const VIEWPORTS: [(u32, u32); 3] = [(360, 640), (768, 1024), (1280, 900)];

/// The user stylesheets reading systems inject for their themes.
const THEMES: [(&str, &str); 3] = [
    ("day", include_str!("reading/themes/day.css")),
    ("sepia", include_str!("reading/themes/sepia.css")),
    ("night", include_str!("reading/themes/night.css")),
];

/// The script that measures a page.
const MEASURE: &str = include_str!("reading/measure.js");

/// The books read: the guide and every fixture book, which hold, between
/// them, tables, footnotes, code in many languages, math, images,
/// admonitions, a one-chapter article, right-to-left scripts and Chinese
/// and Japanese set horizontally and vertically.
const BOOKS: &[&str] = &[
    "guide",
    "article",
    "layout",
    "markdown",
    "full-metadata",
    "mdbook",
    "minimal",
    "no-manifest-chapters",
    "mdbook-preprocessor",
    "mdbook-epub",
    "shell-notes",
    "pandoc-split",
    "lang-ar",
    "lang-de",
    "lang-fr",
    "lang-he",
    "lang-ja",
    "lang-ja-vertical",
    "lang-zh-hant",
];

fn book_folder(name: &str) -> PathBuf {
    if name == "guide" {
        repo()
    } else {
        fixture(name)
    }
}

/// One page measured at one size under one theme.
pub struct Reading {
    pub page: String,
    pub viewport: (u32, u32),
    pub theme: &'static str,
    /// Whether the system asked for a dark colour scheme.
    pub dark: bool,
    pub result: Value,
}

impl Reading {
    /// Where this was measured, for messages.
    fn label(&self) -> String {
        format!(
            "{} at {}x{}, {} theme{}",
            self.page,
            self.viewport.0,
            self.viewport.1,
            self.theme,
            if self.dark { ", system dark" } else { "" }
        )
    }
}

/// A built book's files, written out for the browser to open.
pub struct Unpacked {
    pub dir: tempfile::TempDir,
    /// The XHTML documents in the reading order (the spine's linear items).
    pub reading_order: Vec<String>,
    /// Those, then every other XHTML document (the navigation document
    /// when it is not in the reading order).
    pub pages: Vec<String>,
}

impl Unpacked {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Writes out the EPUB of `book` (built once per test run).
pub fn unpacked(book: &str) -> Unpacked {
    let epub = &built(&book_folder(book)).epub;
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in &epub.files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let opf = epub.text("EPUB/package.opf");
    let doc = parse_xml("EPUB/package.opf", opf);
    let items: BTreeMap<&str, &str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .filter_map(|n| Some((n.attribute("id")?, n.attribute("href")?)))
        .collect();
    let reading_order: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("itemref") && n.attribute("linear") != Some("no"))
        .filter_map(|n| items.get(n.attribute("idref")?))
        .map(|href| format!("EPUB/{href}"))
        .collect();
    let mut pages = reading_order.clone();
    for name in epub.xhtml_names() {
        if !pages.iter().any(|p| p == name) {
            pages.push(name.to_string());
        }
    }
    Unpacked {
        dir,
        reading_order,
        pages,
    }
}

/// Puts a reading system's user stylesheet into the open page, in place
/// of the last one, at the end of the document as reading systems do.
fn apply_theme(browser: &mut Browser, css: &str) {
    let script = format!(
        r#"(() => {{
  let style = document.getElementById("reader-theme");
  if (!style) {{
    style = document.createElementNS("http://www.w3.org/1999/xhtml", "style");
    style.id = "reader-theme";
    document.documentElement.appendChild(style);
  }}
  style.textContent = {};
  return true;
}})()"#,
        serde_json::to_string(css).unwrap()
    );
    browser.evaluate(&script);
}

/// Starts the browser, or `None` when there is none (and none is required).
pub fn browser() -> Option<Browser> {
    let Some(chromium) = chromium() else {
        eprintln!("chromium not installed: the reading tests are skipped");
        return None;
    };
    Some(Browser::launch(&chromium))
}

/// Every page of `book` measured at every size under every theme, once
/// per test run; `None` without a browser.
fn measured(book: &str) -> Option<&'static [Reading]> {
    type Readings = Option<&'static [Reading]>;
    static CACHE: OnceLock<Mutex<BTreeMap<String, Cell<Readings>>>> = OnceLock::new();
    let cell = cell(CACHE.get_or_init(Default::default), book);
    *cell.get_or_init(|| {
        let mut browser = browser()?;
        let book = unpacked(book);
        let readings = measure(&mut browser, &book);
        Some(&*Box::leak(readings.into_boxed_slice()))
    })
}

fn measure(browser: &mut Browser, book: &Unpacked) -> Vec<Reading> {
    let mut readings = Vec::new();
    for page in &book.pages {
        browser.viewport(VIEWPORTS[0].0, VIEWPORTS[0].1);
        browser.open(&book.path(page));
        for viewport in VIEWPORTS {
            browser.viewport(viewport.0, viewport.1);
            for (theme, css) in THEMES {
                apply_theme(browser, css);
                for dark in [false, true] {
                    browser.color_scheme(dark);
                    readings.push(Reading {
                        page: page.trim_start_matches("EPUB/").to_string(),
                        viewport,
                        theme,
                        dark,
                        result: browser.evaluate(MEASURE),
                    });
                }
            }
        }
    }
    readings
}

/// The book set in vertical lines. A browser shows such a page as one
/// long row of columns, which scrolls sideways by design (a reading system
/// cuts it into pages), and its lines are columns: the measurements of
/// width and of where a line ends assume horizontal lines, so they skip
/// it. Its layout has a test of its own below.
const VERTICAL: &str = "lang-ja-vertical";

/// What one measurement found wrong, for each reading of every book.
fn findings(pick: impl Fn(&Reading) -> Vec<String>) -> Vec<String> {
    findings_in(BOOKS, pick)
}

/// The same, in the books set in horizontal lines.
fn horizontal_findings(pick: impl Fn(&Reading) -> Vec<String>) -> Vec<String> {
    let books: Vec<&str> = BOOKS.iter().copied().filter(|b| *b != VERTICAL).collect();
    findings_in(&books, pick)
}

fn findings_in(books: &[&str], pick: impl Fn(&Reading) -> Vec<String>) -> Vec<String> {
    let mut found = Vec::new();
    for book in books {
        let Some(readings) = measured(book) else {
            return found;
        };
        for reading in readings {
            for finding in pick(reading) {
                found.push(format!("{book}: {}: {finding}", reading.label()));
            }
        }
    }
    found
}

/// The entries of a list in a measurement, each written on one line.
fn listed(reading: &Reading, pointer: &str) -> Vec<String> {
    reading
        .result
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(|list| list.iter().map(Value::to_string).collect())
        .unwrap_or_default()
}

fn assert_none(what: &str, found: &[String]) {
    assert!(
        found.is_empty(),
        "{what}: {} findings, the first of them:\n{}",
        found.len(),
        found
            .iter()
            .take(25)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The sum of a count over every reading of every book.
fn total(pointer: &str) -> u64 {
    BOOKS
        .iter()
        .filter_map(|book| measured(book))
        .flatten()
        .map(|reading| {
            reading
                .result
                .pointer(pointer)
                .and_then(Value::as_u64)
                .unwrap_or(0)
        })
        .sum()
}

#[test]
fn every_fixture_book_is_read() {
    for entry in std::fs::read_dir(repo().join("tests/books")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(BOOKS.contains(&name.as_str()), "{name} is not read");
    }
}

#[test]
fn code_is_set_at_85_to_100_percent_of_the_text_around_it() {
    let found = findings(|reading| listed(reading, "/code/off"));
    assert_none(
        "code smaller than 85% or larger than the text around it",
        &found,
    );
    if measured("layout").is_some() {
        assert!(
            total("/code/checked") > 1000,
            "too little code was measured"
        );
    }
}

#[test]
fn every_text_run_keeps_a_contrast_of_4_5_to_1_in_every_theme() {
    let found = findings(|reading| listed(reading, "/contrast/low"));
    assert_none("text drawn at less than 4.5:1", &found);
    let found = findings(|reading| listed(reading, "/contrast/unread"));
    assert_none("text whose colour could not be read", &found);
    let Some(layout) = measured("layout") else {
        return;
    };
    // Every colour the highlighter uses was drawn and measured, in every theme.
    let css = include_str!("../../src/render/highlight.css");
    for class in css
        .split(['.', ' ', '{', ','])
        .filter(|w| w.starts_with("hl-"))
    {
        for (theme, _) in THEMES {
            for dark in [false, true] {
                let seen = layout
                    .iter()
                    .filter(|r| r.theme == theme && r.dark == dark)
                    .any(|r| listed(r, "/contrast/classes").contains(&format!("\"{class}\"")));
                assert!(seen, "no `{class}` token was measured in the {theme} theme");
            }
        }
    }
}

#[test]
fn every_line_of_the_title_page_is_centred() {
    let found = findings(|reading| listed(reading, "/titlePage/off"));
    assert_none("title page lines not centred", &found);
    if measured("layout").is_some() {
        assert!(
            total("/titlePage/lines") > 100,
            "too few title page lines were measured"
        );
    }
}

#[test]
fn a_publisher_that_is_also_the_author_is_on_the_title_page_once() {
    let Some(layout) = measured("layout") else {
        return;
    };
    let title_page = layout
        .iter()
        .find_map(|r| r.result["titlePage"]["text"].as_str())
        .expect("the layout book has a title page");
    assert_eq!(
        title_page.matches("Open Layout Press").count(),
        1,
        "{title_page}"
    );
    // The drawn cover names it once too: as the author, with no publisher.
    let epub = &built(&book_folder("layout")).epub;
    let drawn = bindery::cover::generate(&bindery::cover::CoverText {
        title: "The Layout Sampler",
        subtitle: Some("Wide tables, notes and figures on small screens"),
        authors: &["Open Layout Press".to_string()],
        publisher: None,
    })
    .unwrap();
    assert!(
        epub.text("EPUB/media/bindery-cover/cover.svg") == drawn.svg,
        "the cover names the publisher again"
    );
}

#[test]
fn nothing_is_wider_than_the_page_or_cut_off() {
    let found = horizontal_findings(|reading| {
        let mut found = listed(reading, "/overflow/wide");
        found.extend(listed(reading, "/overflow/clipped"));
        let (width, page) = (
            &reading.result["overflow"]["document"],
            &reading.result["width"],
        );
        if width.as_u64() > page.as_u64() {
            found.push(format!(
                "the page scrolls sideways: {width} pixels wide in {page}"
            ));
        }
        found
    });
    assert_none("wider than the page", &found);
}

#[test]
fn a_figure_and_its_caption_fit_on_one_page() {
    let found = findings(|reading| listed(reading, "/figures/tall"));
    assert_none("figures taller than the page", &found);
    if measured("layout").is_some() {
        assert!(
            total("/figures/checked") > 100,
            "too few figures were measured"
        );
    }
}

#[test]
fn centre_elements_are_centred() {
    let found = findings(|reading| listed(reading, "/centred/off"));
    assert_none("lines of <center> not centred", &found);
    if measured("layout").is_some() {
        assert!(
            total("/centred/lines") > 20,
            "too few centred lines were measured"
        );
    }
}

#[test]
fn the_cells_of_a_table_row_share_a_baseline() {
    let found = findings(|reading| listed(reading, "/baselines/off"));
    assert_none("table rows whose cells sit on different baselines", &found);
    if measured("layout").is_some() {
        assert!(
            total("/baselines/rows") > 100,
            "too few table rows were measured"
        );
    }
}

#[test]
fn a_word_of_code_never_breaks_at_its_hyphens() {
    let found = findings(|reading| listed(reading, "/words/broken"));
    assert_none("words of code broken across lines", &found);
    if measured("layout").is_some() {
        assert!(
            total("/words/checked") > 100,
            "too few words of code were measured"
        );
    }
}

#[test]
fn a_footnote_ends_with_its_back_links_and_pops_up_alone() {
    let found = horizontal_findings(|reading| {
        let mut found = listed(reading, "/notes/backlinks");
        found.extend(listed(reading, "/notes/popup"));
        found
    });
    assert_none("footnotes", &found);
    if measured("layout").is_some() {
        assert!(
            total("/notes/checked") > 100,
            "too few footnotes were measured"
        );
    }
}

#[test]
fn a_work_of_one_chapter_reads_cover_title_text_and_licence() {
    let article = unpacked("article");
    assert_eq!(
        article.reading_order,
        [
            "EPUB/text/cover.xhtml",
            "EPUB/text/title.xhtml",
            "EPUB/text/001-counting-bridges.xhtml",
            "EPUB/text/copyright.xhtml",
        ]
    );
    // The navigation document is still there, out of the reading order.
    assert!(article.pages.iter().any(|p| p == "EPUB/nav.xhtml"));
    let licence = std::fs::read_to_string(article.path("EPUB/text/copyright.xhtml")).unwrap();
    assert!(
        licence.contains("<body epub:type=\"backmatter\">"),
        "{licence}"
    );
    // A book of several chapters keeps its contents page, after the front matter.
    let layout = unpacked("layout");
    assert_eq!(
        layout.reading_order[..4],
        [
            "EPUB/text/cover.xhtml",
            "EPUB/text/title.xhtml",
            "EPUB/text/copyright.xhtml",
            "EPUB/nav.xhtml",
        ]
    );
}

#[test]
fn the_licence_page_names_the_author_and_sets_title_and_date_apart() {
    let Some(article) = measured("article") else {
        return;
    };
    let text = article
        .iter()
        .find_map(|r| r.result["licencePage"]["text"].as_str())
        .expect("the article has a licence page");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines,
        [
            "Counting Bridges",
            "A short survey of the river crossings of one city",
            "© 2026 Mira Okafor",
            "Creative Commons Attribution 4.0 International (CC-BY-4.0)",
            "Open Essays Press · April 2, 2026",
        ],
        "{text}"
    );
}

/// A book with a described image, one the author did not describe and one
/// marked as decoration, built in a temporary folder.
fn book_with_images() -> (tempfile::TempDir, crate::support::Epub) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::fs::create_dir_all(book.join("assets")).unwrap();
    std::fs::copy(
        fixture("layout").join("assets/river.png"),
        book.join("assets/river.png"),
    )
    .unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Pictures\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    std::fs::write(
        book.join("chapters/01-pictures.md"),
        "# Pictures\n\n![A blue river across a green field](../assets/river.png)\n\n\
         ![](../assets/river.png)\n\n<img src=\"../assets/river.png\" alt=\"\">\n",
    )
    .unwrap();
    let (epub, stderr) = crate::support::build_into(&book, &dir.path().join("book.epub"));
    // The author is told about the image without a description.
    assert!(
        stderr.contains("warning[B255]: image without alt text"),
        "{stderr}"
    );
    (dir, epub)
}

#[test]
fn an_image_without_alt_text_is_not_made_decoration() {
    let (_dir, epub) = book_with_images();
    crate::support::assert_epubcheck_clean(&epub.path);
    // The package says what the page says: one image of three is not described.
    let opf = epub.text("EPUB/package.opf");
    assert!(opf.contains("1 of 3 images has no alt text."), "{opf}");
    assert!(!opf.contains(">alternativeText<"), "{opf}");
    let Some(mut browser) = browser() else {
        return;
    };
    let files = tempfile::tempdir().unwrap();
    for (name, bytes) in &epub.files {
        let path = files.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    browser.open(&files.path().join("EPUB/text/001-01-pictures.xhtml"));
    // A screen reader is given two images, one with its description and
    // one without; the third is decoration, and skipped.
    let images: Vec<String> = browser
        .accessibility_tree()
        .iter()
        .filter(|node| {
            matches!(node["role"]["value"].as_str(), Some("image" | "img"))
                && node["ignored"] != serde_json::json!(true)
        })
        .map(|node| node["name"]["value"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(images, ["A blue river across a green field", ""]);
}

/// A screenshot kept for review in `assets/screenshots/`.
struct Shot {
    name: &'static str,
    book: &'static str,
    /// The end of the page's name in the EPUB.
    page: &'static str,
    viewport: (u32, u32),
    theme: &'static str,
    /// An element to scroll to first.
    scroll_to: Option<&'static str>,
}

const SHOTS: &[Shot] = &[
    Shot {
        name: "cover",
        book: "article",
        page: "text/cover.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "title-page",
        book: "layout",
        page: "text/title.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "code-night",
        book: "layout",
        page: "-code.xhtml",
        viewport: (768, 1024),
        theme: "night",
        scroll_to: None,
    },
    Shot {
        name: "table-phone",
        book: "layout",
        page: "-tables.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: Some("table"),
    },
    Shot {
        name: "licence-page",
        book: "article",
        page: "text/copyright.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "theme-day",
        book: "layout",
        page: "-code.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "theme-sepia",
        book: "layout",
        page: "-code.xhtml",
        viewport: (360, 640),
        theme: "sepia",
        scroll_to: None,
    },
    Shot {
        name: "theme-night",
        book: "layout",
        page: "-code.xhtml",
        viewport: (360, 640),
        theme: "night",
        scroll_to: None,
    },
    Shot {
        name: "cover-japanese",
        book: "lang-ja",
        page: "text/cover.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "cover-arabic",
        book: "lang-ar",
        page: "text/cover.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "cover-hebrew",
        book: "lang-he",
        page: "text/cover.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "title-page-hebrew",
        book: "lang-he",
        page: "text/title.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "title-page-vertical",
        book: "lang-ja-vertical",
        page: "text/title.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "chapter-vertical",
        book: "lang-ja-vertical",
        page: "-oru.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "cover-german",
        book: "lang-de",
        page: "text/cover.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "title-page-german",
        book: "lang-de",
        page: "text/title.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "cover-french",
        book: "lang-fr",
        page: "text/cover.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "title-page-french",
        book: "lang-fr",
        page: "text/title.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "title-page-japanese",
        book: "lang-ja",
        page: "text/title.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "cover-japanese-vertical",
        book: "lang-ja-vertical",
        page: "text/cover.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "cover-chinese",
        book: "lang-zh-hant",
        page: "text/cover.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "title-page-chinese",
        book: "lang-zh-hant",
        page: "text/title.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "title-page-arabic",
        book: "lang-ar",
        page: "text/title.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
    Shot {
        name: "chapter-arabic",
        book: "lang-ar",
        page: "-tayy.xhtml",
        viewport: (360, 640),
        theme: "day",
        scroll_to: None,
    },
];

/// A PNG's width, height and RGB pixels.
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let pixels = buffer[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, pixels)
}

/// Writes `bytes` to `path` unless it already holds them, through a
/// temporary file, so that a build of the guide never reads half an image.
fn write_if_changed(path: &std::path::Path, bytes: &[u8]) {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let temp = path.with_extension("png.part");
    std::fs::write(&temp, bytes).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

/// The screenshots in `assets/screenshots/` are taken again on every run,
/// so that a change in what readers see shows in review (and in the
/// guide, which shows some of them).
#[test]
fn screenshots_for_review_are_taken_again() {
    let Some(mut browser) = browser() else {
        return;
    };
    let mut books: BTreeMap<&str, Unpacked> = BTreeMap::new();
    for shot in SHOTS {
        let book = books
            .entry(shot.book)
            .or_insert_with(|| unpacked(shot.book));
        let page = book
            .pages
            .iter()
            .find(|p| p.ends_with(shot.page))
            .unwrap_or_else(|| panic!("{}: no page {}", shot.book, shot.page))
            .clone();
        browser.viewport(shot.viewport.0, shot.viewport.1);
        browser.color_scheme(false);
        browser.open(&book.path(&page));
        let css = THEMES
            .iter()
            .find(|(name, _)| *name == shot.theme)
            .unwrap()
            .1;
        apply_theme(&mut browser, css);
        if let Some(selector) = shot.scroll_to {
            let script = format!(
                "document.querySelector({}).scrollIntoView(); true",
                serde_json::to_string(selector).unwrap()
            );
            browser.evaluate(&script);
        }
        let png = browser.screenshot();
        let path = repo()
            .join("assets/screenshots")
            .join(format!("{}.png", shot.name));
        write_if_changed(&path, &png);
        let (width, height, pixels) = decode_png(&png);
        assert_eq!((width, height), shot.viewport, "{}", shot.name);
        // The theme's page colour is what the reader sees most of, or, on
        // a page of code, above the first block.
        let page_colour = match shot.theme {
            "night" => [0, 0, 0],
            "sepia" => [0xf6, 0xf3, 0xe9],
            _ => [0xff, 0xff, 0xff],
        };
        let mut counts: BTreeMap<[u8; 3], usize> = BTreeMap::new();
        for pixel in &pixels {
            *counts.entry(*pixel).or_default() += 1;
        }
        let most = counts.iter().max_by_key(|(_, n)| **n).map(|(c, _)| *c);
        match shot.name {
            name if name.starts_with("cover") => {}
            _ if shot.page == "-code.xhtml" => {
                assert_eq!(pixels[0], page_colour, "{}: the page", shot.name);
            }
            _ => assert_eq!(most, Some(page_colour), "{}: the page", shot.name),
        }
        if shot.page == "-code.xhtml" {
            // The code blocks keep a panel of their own: light on a light
            // page, dark on a night page (no bright block on black).
            let panel: [u8; 3] = match shot.theme {
                "night" => [0x16, 0x1b, 0x22],
                _ => [0xf6, 0xf8, 0xfa],
            };
            let near = |p: &[u8; 3]| (0..3).all(|i| p[i].abs_diff(panel[i]) <= 2);
            assert!(
                pixels.iter().filter(|p| near(p)).count() > pixels.len() / 10,
                "{}: no code panel of {panel:02x?}",
                shot.name
            );
        }
    }
}

/// Where each heading and paragraph of a page is, as the browser lays it
/// out, with the root's writing mode and direction.
fn layout_of(browser: &mut Browser, book: &Unpacked, page_end: &str) -> Value {
    let page = book
        .pages
        .iter()
        .find(|p| p.ends_with(page_end))
        .unwrap_or_else(|| panic!("no page {page_end}"))
        .clone();
    browser.viewport(360, 640);
    browser.color_scheme(false);
    browser.open(&book.path(&page));
    browser.evaluate(
        r#"(() => {
  const root = getComputedStyle(document.documentElement);
  const boxes = [...document.querySelectorAll("h1, p")].map(e => {
    const r = e.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, width: r.width, height: r.height };
  });
  return { mode: root.writingMode, direction: root.direction, boxes };
})()"#,
    )
}

/// A book set vertically is laid out in vertical lines that follow each
/// other from right to left: in Chromium, its heading stands to the right
/// of its first paragraph and is taller than wide.
#[test]
fn a_vertical_book_is_set_in_vertical_lines_from_right_to_left() {
    let Some(mut browser) = browser() else {
        return;
    };
    let book = unpacked("lang-ja-vertical");
    let layout = layout_of(&mut browser, &book, "-oru.xhtml");
    assert_eq!(layout["mode"], "vertical-rl", "{layout}");
    let heading = &layout["boxes"][0];
    let paragraph = &layout["boxes"][1];
    let number = |v: &Value| v.as_f64().unwrap();
    assert!(
        number(&heading["left"]) >= number(&paragraph["right"]) - 1.0,
        "{layout}"
    );
    assert!(
        number(&heading["height"]) > number(&heading["width"]),
        "{layout}"
    );
    // The same chapter set horizontally reads from the top down.
    let horizontal = unpacked("lang-ja");
    let layout = layout_of(&mut browser, &horizontal, "-oru.xhtml");
    assert_eq!(layout["mode"], "horizontal-tb", "{layout}");
    assert!(
        number(&layout["boxes"][0]["top"]) < number(&layout["boxes"][1]["top"]),
        "{layout}"
    );
}

/// Right-to-left pages are laid out from the right: an Arabic chapter's
/// paragraphs start at the right edge.
#[test]
fn a_right_to_left_book_is_laid_out_from_the_right() {
    let Some(mut browser) = browser() else {
        return;
    };
    let book = unpacked("lang-ar");
    for page in ["-tayy.xhtml", "text/title.xhtml", "nav.xhtml"] {
        let layout = layout_of(&mut browser, &book, page);
        assert_eq!(layout["direction"], "rtl", "{page}: {layout}");
    }
}
