//! Kobo's KEPUB: an EPUB whose text documents mark each sentence with a
//! `<span class="koboSpan" id="kobo.P.S">` (P counts the paragraphs of the
//! document, S the sentences of the paragraph) and wrap the body in
//! `<div id="book-columns"><div id="book-inner">`. Kobo's reading system
//! keeps reading statistics, highlights and its page turns by these spans;
//! Kobo's own conversion writes the same markup for the books it sells.
//!
//! Takes the finished XHTML of a document and returns it with the markup
//! added: the text itself, and every other tag, is left as it was, so the
//! document stays what EPUBCheck passed. Text in `pre`, `code`, maths,
//! SVG, ruby annotations, `script` and `style` is left unmarked.

use std::ops::Range;

/// Elements whose text is a paragraph of its own.
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "td",
    "th",
    "caption",
    "figcaption",
    "blockquote",
    "aside",
];

/// Elements whose text is left unmarked: a span would change how they read
/// (preformatted text, code) or is not allowed in them.
const LEFT_ALONE: &[&str] = &[
    "pre", "code", "kbd", "samp", "math", "svg", "ruby", "rt", "rp", "script", "style", "title",
];

/// `xhtml` with Kobo's markup; `None` when it does not parse as XML (the
/// document is then left as it was).
pub fn kepub_document(xhtml: &str) -> Option<String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(xhtml, options).ok()?;
    let body = document
        .root_element()
        .children()
        .find(|n| n.has_tag_name("body") || n.tag_name().name() == "body")?;
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();

    let body_range = body.range();
    let open_end = start_tag_end(xhtml, body_range.start)?;
    let close_start = body_range.start + xhtml.get(body_range.clone())?.rfind("</body>")?;
    edits.push((
        open_end..open_end,
        "<div id=\"book-columns\"><div id=\"book-inner\">".to_string(),
    ));
    edits.push((close_start..close_start, "</div></div>".to_string()));

    let mut paragraph = 0;
    for block in body.descendants().filter(|n| is_block(n)) {
        let texts: Vec<roxmltree::Node<'_, '_>> = block
            .descendants()
            .filter(|n| n.is_text() && owner(n) == Some(block) && !left_alone(n))
            .filter(|n| n.text().is_some_and(|t| !t.trim().is_empty()))
            .collect();
        if texts.is_empty() {
            continue;
        }
        paragraph += 1;
        let mut sentence = 0;
        for text in texts {
            let range = text.range();
            let raw = xhtml.get(range.clone())?;
            let mut marked = String::with_capacity(raw.len() + 64);
            for piece in sentences(raw) {
                if piece.trim().is_empty() {
                    marked.push_str(piece);
                    continue;
                }
                sentence += 1;
                marked.push_str(&format!(
                    "<span class=\"koboSpan\" id=\"kobo.{paragraph}.{sentence}\">{piece}</span>"
                ));
            }
            edits.push((range, marked));
        }
    }

    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(xhtml.len() + edits.len() * 48);
    let mut at = 0;
    for (range, text) in edits {
        out.push_str(xhtml.get(at..range.start)?);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(xhtml.get(at..)?);
    Some(out)
}

fn is_block(node: &roxmltree::Node<'_, '_>) -> bool {
    node.is_element() && BLOCKS.contains(&node.tag_name().name())
}

/// The nearest block around a text node: the paragraph it counts in.
fn owner<'a, 'input>(text: &roxmltree::Node<'a, 'input>) -> Option<roxmltree::Node<'a, 'input>> {
    text.ancestors().find(is_block)
}

fn left_alone(text: &roxmltree::Node<'_, '_>) -> bool {
    text.ancestors()
        .any(|n| n.is_element() && LEFT_ALONE.contains(&n.tag_name().name()))
}

/// Where the start tag that opens at `from` ends: after its `>`, quotes
/// in attribute values skipped.
fn start_tag_end(xhtml: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in xhtml.get(from..)?.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(from + i + 1),
            _ => {}
        }
    }
    None
}

/// The raw text of a text node cut into sentences, each with the spaces
/// after it: after `.`, `!`, `?` or `…` (and closing quotes or brackets)
/// followed by a space, and after a CJK full stop, exclamation or question
/// mark. The cuts fall between characters, never inside an entity such as
/// `&amp;`, which holds none of these.
fn sentences(raw: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = raw.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        let end_of_sentence = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' | '…' => {
                // Closing marks that belong to the sentence.
                let mut next = chars.peek().copied();
                while let Some((_, n)) = next {
                    if matches!(
                        n,
                        '"' | '\'' | ')' | ']' | '”' | '’' | '»' | '.' | '!' | '?'
                    ) {
                        chars.next();
                        next = chars.peek().copied();
                    } else {
                        break;
                    }
                }
                next.is_some_and(|(_, n)| n.is_whitespace())
            }
            _ => false,
        };
        if !end_of_sentence {
            continue;
        }
        // The spaces after the sentence go with it.
        let mut end = chars.peek().map_or(raw.len(), |&(j, _)| j);
        while let Some(&(j, n)) = chars.peek() {
            if !n.is_whitespace() {
                end = j;
                break;
            }
            chars.next();
            end = j + n.len_utf8();
        }
        pieces.push(&raw[start..end]);
        start = end;
    }
    if start < raw.len() {
        pieces.push(&raw[start..]);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_cut_after_their_closing_marks_and_spaces() {
        assert_eq!(
            sentences("One. Two! \"Three?\" Four"),
            ["One. ", "Two! ", "\"Three?\" ", "Four"]
        );
        assert_eq!(sentences("e.g.x and 3.14"), ["e.g.x and 3.14"]);
        assert_eq!(sentences("甲。乙！丙"), ["甲。", "乙！", "丙"]);
        assert_eq!(
            sentences("Tom &amp; Jerry. Done."),
            ["Tom &amp; Jerry. ", "Done."]
        );
        assert_eq!(sentences(""), [""; 0]);
    }

    #[test]
    fn each_sentence_of_each_paragraph_gets_a_kobo_span() {
        let xhtml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
            <html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>T</title></head>\
            <body class=\"a>b\"><h1>Title</h1><p>One. Two <em>three</em>.</p>\
            <pre><code>x = 1. y</code></pre><p> </p><ul><li>Item</li></ul></body></html>";
        let out = kepub_document(xhtml).unwrap();
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
            <html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>T</title></head>\
            <body class=\"a>b\"><div id=\"book-columns\"><div id=\"book-inner\">\
            <h1><span class=\"koboSpan\" id=\"kobo.1.1\">Title</span></h1>\
            <p><span class=\"koboSpan\" id=\"kobo.2.1\">One. </span>\
            <span class=\"koboSpan\" id=\"kobo.2.2\">Two </span>\
            <em><span class=\"koboSpan\" id=\"kobo.2.3\">three</span></em>\
            <span class=\"koboSpan\" id=\"kobo.2.4\">.</span></p>\
            <pre><code>x = 1. y</code></pre><p> </p>\
            <ul><li><span class=\"koboSpan\" id=\"kobo.3.1\">Item</span></li></ul>\
            </div></div></body></html>"
        );
        assert!(
            roxmltree::Document::parse_with_options(
                &out,
                roxmltree::ParsingOptions {
                    allow_dtd: true,
                    ..Default::default()
                }
            )
            .is_ok()
        );
        assert_eq!(kepub_document("<p>not closed"), None);
    }
}
