//! Property tests: whatever Markdown or HTML comes in, the renderer does
//! not panic and what it writes parses as XML.

use bindery::load::Book;
use bindery::manifest;
use bindery::render;
use proptest::prelude::*;

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
