//! Any raw HTML, through both steps of the sanitiser: rewritten as a
//! snippet of a chapter, then parsed as the chapter's body and written as
//! XHTML. Neither may panic, and the XHTML, wrapped in a `<section>`, must
//! parse as XML.

#![no_main]

use bindery::diag::Code;
use bindery::render::html::{self, SnippetHost, SnippetState};
use libfuzzer_sys::fuzz_target;

/// Resolves every reference to itself, as a link inside the book would be.
struct Host;

impl SnippetHost for Host {
    fn link(&mut self, href: &str) -> Option<String> {
        Some(href.to_string())
    }
    fn image(&mut self, src: &str) -> Option<String> {
        Some(src.to_string())
    }
    fn warn(&mut self, _code: Code, _message: String, _help: &'static str) {}
}

fn assert_xml(body: &str, xhtml: &str) {
    let document = format!(
        "<section xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">{xhtml}</section>"
    );
    if let Err(e) = roxmltree::Document::parse(&document) {
        panic!("not XML: {e}\nfrom: {body:?}\nto:   {xhtml}");
    }
}

fuzz_target!(|fragment: &str| {
    // The body as it is, which is what `to_xhtml` must survive on its own …
    let (xhtml, _) = html::to_xhtml(fragment);
    assert_xml(fragment, &xhtml);
    // … and as a chapter gives it: each snippet rewritten first, as block
    // HTML and as inline HTML closed at the end of its block.
    for inline in [false, true] {
        let mut state = SnippetState::default();
        let mut body = html::rewrite_snippet(fragment, inline, &mut state, &mut Host);
        body.push_str(&state.close_inline());
        let (xhtml, _) = html::to_xhtml(&body);
        assert_xml(&body, &xhtml);
    }
});
