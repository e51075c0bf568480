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

/// The books read: the guide and fixture books that hold, between them,
/// tables, footnotes, code in many languages, math, images, admonitions
/// and a one-chapter article.
const BOOKS: &[&str] = &[
    "guide",
    "article",
    "layout",
    "markdown",
    "full-metadata",
    "mdbook",
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
    /// The XHTML documents in reading order, then any others (the
    /// navigation document when it is not in the reading order).
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
    let mut pages: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .filter_map(|n| items.get(n.attribute("idref")?))
        .map(|href| format!("EPUB/{href}"))
        .collect();
    for name in epub.xhtml_names() {
        if !pages.iter().any(|p| p == name) {
            pages.push(name.to_string());
        }
    }
    Unpacked { dir, pages }
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

/// What one measurement found wrong, for each reading of every book.
fn findings(pick: impl Fn(&Reading) -> Vec<String>) -> Vec<String> {
    let mut found = Vec::new();
    for book in BOOKS {
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
    let Some(layout) = measured("layout") else {
        return;
    };
    // Every colour the highlighter uses was drawn and measured, in every theme.
    let css = include_str!("../../src/render/highlight.css");
    for class in css.split(['.', ' ', '{']).filter(|w| w.starts_with("hl-")) {
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
