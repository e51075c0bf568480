//! The one escaping path for every piece of markup bindery writes.
//!
//! Chapters, the package document, the navigation document and the
//! generated pages all go through [`XmlWriter`], so user text can never
//! break the markup around it.

/// Builds an XML document as a string.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
}

impl XmlWriter {
    /// An empty document with the XML declaration.
    pub fn new() -> Self {
        XmlWriter {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        }
    }

    /// A writer for a fragment (no declaration).
    pub fn fragment() -> Self {
        XmlWriter { out: String::new() }
    }

    /// Opens an XHTML document of the EPUB, up to and including
    /// `<body>`: the doctype; `html` in the XHTML and EPUB namespaces with
    /// its language and, when given, its direction; a head with the title
    /// and the stylesheet at `stylesheet`; and `body` with its `epub:type`.
    /// Chapters and the pages bindery writes all start here.
    pub fn xhtml_start(
        &mut self,
        title: &str,
        language: &str,
        dir: Option<&str>,
        stylesheet: &str,
        body_type: &str,
    ) {
        self.raw("<!DOCTYPE html>\n");
        let mut attributes = vec![
            ("xmlns", "http://www.w3.org/1999/xhtml"),
            ("xmlns:epub", "http://www.idpf.org/2007/ops"),
            ("xml:lang", language),
            ("lang", language),
        ];
        if let Some(dir) = dir {
            attributes.push(("dir", dir));
        }
        self.start("html", &attributes);
        self.raw("\n<head>\n");
        self.element("title", &[], title);
        self.newline();
        let link = [
            ("rel", "stylesheet"),
            ("type", "text/css"),
            ("href", stylesheet),
        ];
        self.empty("link", &link);
        self.raw("\n</head>\n");
        self.start("body", &[("epub:type", body_type)]);
        self.newline();
    }

    /// Opens an element.
    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.open_tag(name, attrs);
        self.out.push('>');
    }

    /// Writes an element with no content.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.open_tag(name, attrs);
        self.out.push_str("/>");
    }

    /// Closes an element.
    pub fn end(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Writes text, escaped.
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text, false);
    }

    /// An element holding only text.
    pub fn element(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs);
        self.text(text);
        self.end(name);
    }

    /// Writes markup that bindery itself made (a doctype, a newline, an
    /// already escaped fragment). Never user text.
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Ends a line, for readable output.
    pub fn newline(&mut self) {
        self.out.push('\n');
    }

    /// Makes room for `additional` more bytes at once, so that a large
    /// document is not left with up to twice its size in spare capacity.
    pub fn reserve(&mut self, additional: usize) {
        self.out.reserve_exact(additional);
    }

    /// The document so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// The finished document.
    pub fn finish(self) -> String {
        self.out
    }

    fn open_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value, true);
            self.out.push('"');
        }
    }
}

/// Escapes text for XML content or an attribute value. Characters XML 1.0
/// does not allow at all (most C0 controls, lone surrogates cannot occur in
/// a `str`, U+FFFE and U+FFFF) become U+FFFD, so output always parses. A
/// carriage return is dropped (the text's line ends are LF or CRLF, and a
/// parser reads CRLF as LF anyway); in an attribute, a line feed and a tab
/// are written as references, which a parser would otherwise turn into
/// spaces. This is the one escaper: chapters, highlighted code, MathML and
/// every page bindery writes go through it.
pub fn escape_into(out: &mut String, text: &str, in_attribute: bool) {
    // Runs of ordinary characters are copied whole: only ASCII markup
    // characters, C0 controls and the lead byte of U+FFFE and U+FFFF
    // (0xEF) need a look, and all are single bytes that never occur
    // inside another character's UTF-8.
    let bytes = text.as_bytes();
    let mut copied = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if in_attribute => "&quot;",
            b'\n' if in_attribute => "&#10;",
            b'\t' if in_attribute => "&#9;",
            b'\t' | b'\n' => continue,
            b'\r' => "",
            0..0x20 => "\u{FFFD}",
            0xEF if matches!(bytes.get(at + 1..at + 3), Some([0xBF, 0xBE | 0xBF])) => {
                out.push_str(&text[copied..at]);
                out.push('\u{FFFD}');
                copied = at + 3;
                continue;
            }
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(escaped);
        copied = at + 1;
    }
    if copied < text.len() {
        out.push_str(&text[copied..]);
    }
}

#[cfg(test)]
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether a string is a valid XML name without colons (an NCName), as
/// `id` attributes must be.
pub fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if is_name_start(c) => chars.all(is_name_char),
        _ => false,
    }
}

fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut w = XmlWriter::fragment();
        w.element("a", &[("title", "\"<&>\"")], "<b> & \u{1}");
        assert_eq!(
            w.finish(),
            "<a title=\"&quot;&lt;&amp;&gt;&quot;\">&lt;b&gt; &amp; \u{FFFD}</a>"
        );
    }

    #[test]
    fn escaping_matches_the_rules_character_by_character() {
        // The rules, one character at a time, as the fast path must keep them.
        fn slow(text: &str, in_attribute: bool) -> String {
            let mut out = String::new();
            for c in text.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' if in_attribute => out.push_str("&quot;"),
                    '\n' if in_attribute => out.push_str("&#10;"),
                    '\t' if in_attribute => out.push_str("&#9;"),
                    '\t' | '\n' => out.push(c),
                    '\r' => {}
                    c if is_xml_char(c) => out.push(c),
                    _ => out.push('\u{FFFD}'),
                }
            }
            out
        }
        let samples = [
            "",
            "plain",
            "a<b>&\"c\"\r\n\td",
            "\u{0}\u{1}\u{1F}\u{7F}\u{9F}",
            "\u{FFFE}\u{FFFF}\u{FFFD}\u{FEFF}\u{EFFF}\u{F000}\u{FDD0}",
            "日本語 & ελληνικά < \u{10FFFF} > \u{1F600}",
            "x\u{FFFF}",
            "\u{FFFE}",
        ];
        for text in samples {
            for in_attribute in [false, true] {
                let mut fast = String::new();
                escape_into(&mut fast, text, in_attribute);
                assert_eq!(fast, slow(text, in_attribute), "{text:?}");
            }
        }
        // Every character of the first plane and a sample of the others.
        let all: String = (0..0x11_0000u32)
            .filter(|c| *c < 0x1_0000 || c % 97 == 0)
            .filter_map(char::from_u32)
            .collect();
        for in_attribute in [false, true] {
            let mut fast = String::new();
            escape_into(&mut fast, &all, in_attribute);
            assert_eq!(fast, slow(&all, in_attribute));
        }
    }

    #[test]
    fn ncname_rules() {
        assert!(is_ncname("intro"));
        assert!(is_ncname("日本語"));
        assert!(is_ncname("_x-1.2"));
        assert!(!is_ncname("1-intro"));
        assert!(!is_ncname("-x"));
        assert!(!is_ncname(""));
        assert!(!is_ncname("a:b"));
    }
}
