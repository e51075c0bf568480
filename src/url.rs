//! Addresses: whether a reference is a URL or a path, and percent-encoding.
//!
//! `load` (stylesheets), `render` (links and images), `package` (DOIs and
//! licence addresses) and `inspect` (references inside any EPUB) all ask
//! these questions; they are answered once, here, below all of them.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// The scheme of a reference (`https`, `mailto`, `data` …), if it has one:
/// a letter, then letters, digits, `+`, `-` or `.`, before a `:` that
/// comes before any `/`, `?` or `#` (RFC 3986, section 3.1).
pub fn scheme(reference: &str) -> Option<&str> {
    let end = reference.find(['/', '?', '#']).unwrap_or(reference.len());
    let colon = reference[..end].find(':')?;
    let scheme = &reference[..colon];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// Whether a link an author wrote starts with a URL scheme (`https:`,
/// `mailto:` …) and so is not a path in the book. A single letter before
/// the colon is a Windows drive (`C:/book/a.md`), not a scheme.
pub fn has_scheme(link: &str) -> bool {
    scheme(link).is_some_and(|scheme| scheme.len() > 1)
}

/// What a URL cannot hold as it is: controls, space, non-ASCII (always
/// encoded) and the characters RFC 3986 leaves out. `%` stays, so an
/// address that is already encoded is not encoded twice.
const NOT_IN_URL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'[')
    .add(b']');

/// An external address made valid as a URL.
pub fn encode_url(url: &str) -> String {
    utf8_percent_encode(url, NOT_IN_URL).to_string()
}

/// Percent-decodes a path or fragment; bytes that are not UTF-8 become
/// U+FFFD.
pub fn percent_decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_addresses_are_encoded_once() {
        assert_eq!(
            encode_url("https://x.org/a b/föö?q=\"1\""),
            "https://x.org/a%20b/f%C3%B6%C3%B6?q=%221%22"
        );
        assert_eq!(encode_url("https://x.org/f%C3%B6"), "https://x.org/f%C3%B6");
        assert_eq!(
            encode_url("https://x.org/?q=[a]"),
            "https://x.org/?q=%5Ba%5D"
        );
    }

    #[test]
    fn a_scheme_ends_at_the_first_colon_before_any_slash() {
        assert_eq!(scheme("https://example.org"), Some("https"));
        assert_eq!(scheme("mailto:a@b"), Some("mailto"));
        assert_eq!(scheme("urn:isbn:123"), Some("urn"));
        assert_eq!(scheme("C:/x"), Some("C"));
        assert_eq!(scheme("a/b:c"), None);
        assert_eq!(scheme("#a:b"), None);
        assert_eq!(scheme("?q=a:b"), None);
        assert_eq!(scheme("1a:b"), None);
        assert_eq!(scheme("no colon"), None);
    }

    #[test]
    fn links_need_two_letters_for_a_scheme() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("C:/x"));
        assert!(!has_scheme("a/b:c"));
        assert!(!has_scheme("#x"));
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_utf_8_visible() {
        assert_eq!(percent_decode("a%20b%C3%A9"), "a bé");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
