//! Property tests: whatever Markdown or HTML comes in, the renderer does
//! not panic and what it writes parses as XML.

use bindery::load::Book;
use bindery::manifest;
use bindery::render;
use proptest::prelude::*;

/// The text the unit tests give the scanners, from the same file.
#[path = "../../src/test_text.rs"]
mod test_text;

/// Pieces that make Markdown parsers work hard, mixed with any text.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# ".to_string()),
        Just("## Heading {#id .c}\n".to_string()),
        Just("*".to_string()),
        Just("_".to_string()),
        Just("**".to_string()),
        Just("`".to_string()),
        Just("```rust\n".to_string()),
        Just("[".to_string()),
        Just("](".to_string()),
        Just(")".to_string()),
        Just("[x](#id)".to_string()),
        Just("[x](other.md)".to_string()),
        Just("![alt](pic.png \"t\")".to_string()),
        Just("<div>".to_string()),
        Just("</div>".to_string()),
        Just("<b>".to_string()),
        Just("<p>".to_string()),
        Just("<br>".to_string()),
        Just("<img src=x>".to_string()),
        Just("<svg><circle r=\"1\"/>".to_string()),
        Just("<math><mi>x</mi>".to_string()),
        Just("<script>".to_string()),
        Just("<!-- c -- d -->".to_string()),
        Just("<table><tr><td>".to_string()),
        Just("&nbsp;".to_string()),
        Just("&bogus;".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("| a | b |\n|---|:-:|\n".to_string()),
        Just("---\n".to_string()),
        Just("> ".to_string()),
        Just("- [ ] ".to_string()),
        Just("1. ".to_string()),
        Just("[^n]".to_string()),
        Just("\n[^n]: note\n".to_string()),
        Just("www.example.org/x".to_string()),
        Just("a@b.co".to_string()),
        Just("~~".to_string()),
        Just("\\".to_string()),
        Just("\t".to_string()),
        Just("    ".to_string()),
        Just(": def\n".to_string()),
        Just("日本語 العربية é".to_string()),
        any::<String>(),
        "[\\x00-\\x1f\\u{7f}\\u{fffe}\\u{ffff}]{1,3}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn book_of(markdown: &str) -> Book {
    let manifest = manifest::parse(
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[markdown]\nbroken-links = \"warn\"\n",
        &mut Vec::new(),
    )
    .unwrap();
    Book::in_memory(manifest, &[("chapters/a.md", markdown)])
}

fn parses(xhtml: &str) -> Result<(), String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(xhtml, options)
        .map(|_| ())
        .map_err(|e| format!("{e}\n{xhtml}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_markdown_renders_to_xml_without_panic(markdown in markdownish()) {
        let book = book_of(&markdown);
        if let Ok(chapters) = render::render_book(&book, &mut Vec::new()) {
            for chapter in chapters {
                prop_assert!(parses(&chapter.xhtml).is_ok(), "{}", parses(&chapter.xhtml).unwrap_err());
            }
        }
    }

    #[test]
    fn any_html_fragment_becomes_xml(html in markdownish()) {
        let (xhtml, _) = render::html::to_xhtml(&html);
        let document = format!("<section xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">{xhtml}</section>");
        prop_assert!(parses(&document).is_ok(), "{}", parses(&document).unwrap_err());
    }
}

/// Every public scanner of text a book supplies is given
/// [`test_text::any_text`]: none may panic, and what they return must
/// point at whole characters. (Scanners private to a module are tested
/// beside them with the same text.)
mod scanners {
    use super::test_text::any_text;
    use bindery::diag::{Diagnostic, Report};
    use bindery::{manifest, mdbook, render};
    use proptest::prelude::*;
    use std::sync::Arc;

    /// A reader for includes that answers every path with `text`.
    fn reader(text: &str) -> impl FnMut(&str, &str) -> Result<mdbook::Included, String> + '_ {
        move |target: &str, _from: &str| {
            if target.contains("missing") {
                return Err("no such file".into());
            }
            Ok(mdbook::Included {
                file: format!("listings/{}", target.len() % 3),
                text: text.into(),
            })
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

        #[test]
        fn manifests_front_matter_and_metadata_values(text in any_text()) {
            let _ = manifest::parse(&text, &mut Vec::new());
            let _ = manifest::mdbook::parse(&text, "folder", &mut Vec::new());
            let _ = manifest::mdbook::source_folder(&text);
            if let Ok(Some(block)) = manifest::front::find(&text) {
                prop_assert!(text.get(block.toml.clone()).is_some());
                prop_assert!(text.is_char_boundary(block.body_start.min(text.len())));
                let _ = manifest::front::parse(&text[block.toml]);
            }
            let _ = manifest::front::parse(&text);
            let _ = manifest::language::is_well_formed(&text);
            let _ = manifest::language::suggest(&text);
            let _ = manifest::language::canonical_case(&text);
            let _ = manifest::language::name(&text);
            let _ = manifest::license::is_expression(&text);
            let _ = manifest::publishing::isbn13(&text);
        }

        #[test]
        fn mdbook_summaries_includes_and_hidden_lines(text in any_text(), included in any_text()) {
            let _ = mdbook::parse_summary(&text);
            let _ = mdbook::strip_hidden_lines(&text);
            let mut read = reader(&included);
            if let Ok(expanded) = mdbook::expand(&text, "src/a.md", &mut read) {
                let mut end = 0;
                for segment in &expanded.segments {
                    prop_assert_eq!(segment.expanded.start, end);
                    prop_assert!(expanded.text.is_char_boundary(segment.expanded.end));
                    end = segment.expanded.end;
                }
                prop_assert_eq!(end, expanded.text.len());
            }
        }

        #[test]
        fn html_links_ids_and_file_names(text in any_text()) {
            let _ = render::html::to_xhtml(&text);
            let _ = render::html::declared_ids(&text);
            let _ = render::html::is_only_comments(&text);
            let _ = render::slug(&text);
            let _ = bindery::url::percent_decode(&text);
            let _ = bindery::url::encode_url(&text);
            let _ = bindery::url::has_scheme(&text);
            let _ = bindery::url::scheme(&text);
            let _ = bindery::slug_of_title(&text);
            let _ = bindery::release::check_template(&text);
            let mut warnings = Vec::new();
            if let Ok(manifest) = manifest::parse("[book]\ntitle = \"T\"\nlanguage = \"en\"\n", &mut warnings) {
                let mut book = manifest.book;
                book.title = text.clone();
                let _ = bindery::release::file_name("{slug}-{language}.epub", &book);
            }
        }

        #[test]
        fn messages_point_at_any_span_of_any_text(text in any_text(), start in 0usize..300, len in 0usize..40) {
            let mut report = Report::default();
            report.sources.insert("a.md", Arc::from(text.as_str()));
            report.diagnostics.push(
                Diagnostic::new(bindery::diag::Code::BrokenAnchor, text.clone()).in_file("a.md").at(start..start + len).with_help(text.clone()),
            );
            let _ = bindery::diag::line_col(&text, start);
            let _ = bindery::diag::render_human(&report);
            let _ = bindery::diag::render_json(&report);
            let _ = bindery::diag::render_github(&report, ".");
        }
    }
}
