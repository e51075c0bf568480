use super::*;
use crate::diag::ToDiagnostic;

fn parse_ok(text: &str) -> Manifest {
    let mut warnings = Vec::new();
    let manifest = parse(text, &mut warnings).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    manifest
}

fn parse_err(text: &str) -> Vec<ManifestError> {
    parse(text, &mut Vec::new()).expect_err("manifest should be rejected")
}

#[test]
fn minimal_manifest_gets_defaults() {
    let m = parse_ok("[book]\ntitle = \"T\"\nlanguage = \"en\"\n");
    assert_eq!(m.book.title, "T");
    assert_eq!(m.book.language, "en");
    assert!(m.chapters.is_none());
    assert_eq!(m.toc, TocConfig::default());
    assert!(m.book.contributors.is_empty());
}

#[test]
fn every_key_is_read() {
    let m = parse_ok(
        r#"
[book]
title = "Borders"
subtitle = "Essays"
authors = ["A. Writer"]
language = "en-GB"
identifier = "urn:isbn:9780306406157"
publisher = "Open Press"
date = 2026-11-27
description = "About borders."
subjects = ["Security", "Eurasia"]
license = "CC-BY-4.0"
rights = "Some rights reserved."
cover = "assets/cover.jpg"

[[book.contributors]]
name = "B. Editor"
role = "edt"
file-as = "Editor, B."

[[chapters]]
file = "chapters/01.md"
title = "One"
matter = "front"

[toc]
depth = 3
title = "Inhalt"
"#,
    );
    let b = &m.book;
    assert_eq!(b.subtitle.as_deref(), Some("Essays"));
    assert_eq!(b.contributors.len(), 2);
    assert!(b.contributors[0].is_author());
    assert_eq!(b.contributors[1].role, "edt");
    assert_eq!(b.contributors[1].file_as.as_deref(), Some("Editor, B."));
    assert_eq!(b.date.map(|d| d.to_string()).as_deref(), Some("2026-11-27"));
    assert_eq!(
        b.license.as_ref().and_then(|l| l.known).map(|l| l.id),
        Some("CC-BY-4.0")
    );
    assert_eq!(
        b.cover.as_ref().map(|c| c.value.as_str()),
        Some("assets/cover.jpg")
    );
    let chapters = m.chapters.as_ref().unwrap();
    assert_eq!(chapters[0].matter, Some(Matter::Front));
    assert_eq!(chapters[0].title.as_deref(), Some("One"));
    assert_eq!(m.toc.depth, 3);
    assert_eq!(m.toc.title.as_deref(), Some("Inhalt"));
}

#[test]
fn unknown_key_suggests_closest_key() {
    let errors = parse_err("[book]\ntitle = \"T\"\ntitel = \"T\"\nlanguage = \"en\"\n");
    assert_eq!(
        errors,
        vec![ManifestError::UnknownKey {
            key: "titel".into(),
            table: "book".into(),
            span: 19..24,
            suggestion: Some("title"),
        }]
    );
}

#[test]
fn every_problem_is_reported_in_source_order() {
    let errors = parse_err("[book]\nautors = [\"x\"]\nlanguage = \"english\"\n[toc]\ndepth = 9\n");
    let codes: Vec<_> = errors.iter().map(|e| e.code()).collect();
    assert_eq!(codes, ["B002", "B003", "B005", "B010"]);
}

#[test]
fn wrong_types_name_the_expected_type() {
    let errors = parse_err("[book]\ntitle = 42\nlanguage = \"en\"\nauthors = \"A\"\n");
    assert_eq!(errors.len(), 2);
    assert_eq!(
        errors[0].to_string(),
        "`book.title` must be a string, found an integer"
    );
    assert_eq!(
        errors[1].to_string(),
        "`book.authors` must be an array of strings, found a string"
    );
}

#[test]
fn dates_are_checked() {
    assert_eq!(
        walk::parse_date("2024-02-29")
            .map(|d| d.to_string())
            .as_deref(),
        Some("2024-02-29")
    );
    assert_eq!(
        walk::parse_date("2026-11")
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-11")
    );
    assert!(walk::parse_date("2023-02-29").is_none());
    assert!(walk::parse_date("27/11/2026").is_none());
    assert!(walk::parse_date("2026-1-5").is_none());
    let errors = parse_err("[book]\ntitle = \"T\"\nlanguage = \"en\"\ndate = \"27/11/2026\"\n");
    assert_eq!(errors[0].code(), "B006");
}

#[test]
fn roles_are_marc_relator_codes() {
    let errors = parse_err(
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[[book.contributors]]\nname = \"X\"\nrole = \"editor\"\n",
    );
    let diagnostic = errors[0].to_diagnostic();
    assert_eq!(diagnostic.code, "B007");
    assert!(diagnostic.help.unwrap().starts_with("did you mean `edt`?"));
}

#[test]
fn unknown_license_is_a_warning_with_a_hint() {
    let mut warnings = Vec::new();
    let m = parse(
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\nlicense = \"CC-BY-4\"\n",
        &mut warnings,
    )
    .unwrap();
    assert_eq!(m.book.license.unwrap().known, None);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, "B050");
    assert!(warnings[0].help.as_deref().unwrap().contains("CC-BY-4.0"));
}

#[test]
fn syntax_errors_have_a_span() {
    let errors = parse_err("[book]\ntitle = \"unclosed\nlanguage = \"en\"\n");
    match &errors[0] {
        ManifestError::Syntax { span, message } => {
            assert!(span.is_some());
            assert!(message.starts_with("invalid TOML: "), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_book_table_reports_title_and_language() {
    let errors = parse_err("[toc]\ndepth = 2\n");
    let keys: Vec<_> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        keys,
        [
            "missing key `title` in [book]",
            "missing key `language` in [book]"
        ]
    );
}

#[test]
fn empty_strings_are_errors_wherever_they_are() {
    let errors = parse_err(
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\nsubtitle = \" \"\npublisher = \"\"\n\
         authors = [\"A\", \"\"]\n[[chapters]]\nfile = \"a.md\"\ntitle = \"\"\n[toc]\ntitle = \"\"\n",
    );
    let messages: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        messages,
        [
            "`book.subtitle` is empty",
            "`book.publisher` is empty",
            "`book.authors` is empty",
            "`chapters.title` is empty",
            "`toc.title` is empty",
        ]
    );
    assert!(errors.iter().all(|e| e.code() == "B011"));
}

const BOOK: &str = "[book]\ntitle = \"T\"\nlanguage = \"en\"\n";

#[test]
fn download_table_is_read() {
    let m = parse_ok(&format!(
        "{BOOK}version = \"1.2.0\"\n[download]\nurl = \"https://example.org/t/\"\n\
         donation-url = \"https://example.org/give\"\ndonation-text = \"Help us.\"\n\
         [[download.formats]]\nname = \"PDF\"\nurl = \"https://example.org/t.pdf\"\n"
    ));
    assert_eq!(m.book.version.as_deref(), Some("1.2.0"));
    let d = &m.download;
    assert_eq!(d.url.as_deref(), Some("https://example.org/t/"));
    let donation = d.donation.as_ref().unwrap();
    assert_eq!(donation.text.as_deref(), Some("Help us."));
    // The link's text is the label in the book's language, chosen by the page.
    assert_eq!(donation.label, None);
    assert_eq!(d.formats[0].name, "PDF");
    assert_eq!(parse_ok(BOOK).download, download::DownloadConfig::default());
}

#[test]
fn download_keys_and_addresses_are_checked() {
    let text = format!(
        "{BOOK}[download]\ndonation-link = \"https://example.org\"\nurl = \"ftp://example.org/\"\n\
         [[download.formats]]\nname = \"PDF\"\nurl = \"javascript:alert(1)\"\n"
    );
    let errors = parse_err(&text);
    let shown: Vec<String> = errors
        .iter()
        .map(|e| {
            let d = e.to_diagnostic();
            format!("{}: {} ({})", d.code, d.message, d.help.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        shown,
        [
            "B003: unknown key `donation-link` in [download] (did you mean `donation-url`?)",
            "B017: `ftp://example.org/` is not a web address (write an address that starts with `https://` or `http://`, such as `https://example.org/books/borders`)",
            "B017: `javascript:alert(1)` is not a web address (write an address that starts with `https://` or `http://`, such as `https://example.org/books/borders`)",
        ]
    );
    let ErrorSpan(span) = ErrorSpan::of(&errors[1]);
    assert_eq!(&text[span], "\"ftp://example.org/\"");
}

#[test]
fn a_donation_prompt_needs_an_address() {
    let errors = parse_err(&format!("{BOOK}[download]\ndonation-text = \"Give!\"\n"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code(), "B026");
    assert_eq!(
        errors[0].to_string(),
        "a donation prompt needs `donation-url`"
    );
}

#[test]
fn versions_must_fit_in_a_file_name() {
    let errors = parse_err(&format!("{BOOK}version = \"1.0/beta 2\"\n"));
    assert_eq!(errors[0].code(), "B025");
    assert_eq!(errors[0].to_string(), "`1.0/beta 2` is not a version");
}

struct ErrorSpan(Range<usize>);

impl ErrorSpan {
    fn of(error: &ManifestError) -> ErrorSpan {
        match error {
            ManifestError::InvalidValue { span, .. }
            | ManifestError::UnknownKey { span, .. }
            | ManifestError::WrongType { span, .. } => ErrorSpan(span.clone()),
            _ => ErrorSpan(0..0),
        }
    }
}

#[test]
fn a_publisher_that_is_also_an_author_is_named_once() {
    let book = |authors: &str, publisher: &str| {
        parse_ok(&format!(
            "[book]\ntitle = \"T\"\nlanguage = \"en\"\nauthors = [{authors}]\npublisher = \"{publisher}\"\n"
        ))
        .book
    };
    let own = book("\"Open  Layout Press\"", "open layout press");
    assert_eq!(own.authors().collect::<Vec<_>>(), ["Open  Layout Press"]);
    assert_eq!(own.publisher_apart_from_authors(), None);
    let other = book("\"A. Writer\", \"B. Writer\"", "Open Press");
    assert_eq!(other.publisher_apart_from_authors(), Some("Open Press"));
    let second = book("\"A. Writer\", \"Open Press\"", "Open Press");
    assert_eq!(second.publisher_apart_from_authors(), None);
}

#[test]
fn a_word_that_is_not_one_of_the_choices_lists_them_with_what_they_mean() {
    let errors = parse_err(
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\ndirection = \"up\"\n\
         [markdown]\nbroken-links = \"ignore\"\n[notes]\nplacement = \"margin\"\n",
    );
    let said: Vec<(String, String, Option<String>)> = errors
        .iter()
        .map(|e| {
            let d = e.to_diagnostic();
            (d.code.to_string(), d.message, d.help)
        })
        .collect();
    let expected = [
        ("B013", "`up` is not a text direction", "use `ltr` or `rtl`"),
        (
            "B012",
            "`ignore` is not a way to treat broken links",
            "use `error` (the default) or `warn`",
        ),
        (
            "B014",
            "`margin` is not a place for notes",
            "use `chapter` (notes at the end of each chapter, the default) or `book` (one notes chapter at the end)",
        ),
    ];
    let expected: Vec<(String, String, Option<String>)> = expected
        .iter()
        .map(|(code, message, help)| {
            (
                code.to_string(),
                message.to_string(),
                Some(help.to_string()),
            )
        })
        .collect();
    assert_eq!(said, expected);
}
