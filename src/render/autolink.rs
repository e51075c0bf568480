//! GitHub's extended autolinks: `www.` addresses, `http://`, `https://`
//! and `ftp://` URLs, and e-mail addresses written as plain text become
//! links, by the rules of the GFM spec (section 6.9). pulldown-cmark does
//! not do this, so the writer runs [`find`] over each run of text.

use std::ops::Range;

/// The links in a run of text: where each is, and its address.
pub fn find(text: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    // Every link `at` finds starts with `www.` or a scheme and `://`: most
    // text has neither, and is passed over at the speed of a substring
    // search. Elsewhere only the first letters of those can start a link;
    // they are ASCII, so a byte that is one of them starts a character.
    if text.contains("://") || text.contains("www.") {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if matches!(bytes[i], b'w' | b'h' | b'H' | b'f' | b'F')
                && let Some((end, href)) = at(text, i)
            {
                found.push((i, end, href));
                i = end;
            } else {
                i += 1;
            }
        }
    }
    // E-mail addresses: found around each `@` outside the links above.
    let mut links: Vec<(Range<usize>, String)> =
        found.into_iter().map(|(s, e, h)| (s..e, h)).collect();
    let mut search = 0;
    while let Some(offset) = text[search..].find('@') {
        let at_sign = search + offset;
        search = at_sign + 1;
        if links.iter().any(|(r, _)| r.contains(&at_sign)) {
            continue;
        }
        if let Some(range) = email(text, at_sign)
            && !links
                .iter()
                .any(|(r, _)| r.start < range.end && range.start < r.end)
        {
            let href = format!("mailto:{}", &text[range.clone()]);
            search = range.end;
            links.push((range, href));
        }
    }
    links.sort_by_key(|(r, _)| r.start);
    links
}

/// A `www.` or URL autolink starting at `i`, if there is one.
fn at(text: &str, i: usize) -> Option<(usize, String)> {
    let rest = &text[i..];
    let before = text[..i].chars().next_back();
    if before.is_some_and(|c| !(c.is_whitespace() || matches!(c, '*' | '_' | '~' | '('))) {
        return None;
    }
    let (prefix_len, href_prefix) = if rest.starts_with("www.") {
        (0, "http://")
    } else {
        let scheme = ["http://", "https://", "ftp://"].into_iter().find(|s| {
            rest.get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
        })?;
        (scheme.len(), "")
    };
    let domain_len = domain(&rest[prefix_len..])?;
    let mut end = prefix_len + domain_len;
    end += rest[end..]
        .find(|c: char| c.is_whitespace() || c == '<')
        .unwrap_or(rest.len() - end);
    let link = trim_trailing(&rest[..end]);
    if link.len() <= prefix_len {
        return None;
    }
    Some((i + link.len(), format!("{href_prefix}{link}")))
}

/// The length of a valid domain at the start of `text`: segments of
/// letters, digits, `_` and `-` joined by `.`, with at least one `.` and
/// no `_` in the last two segments.
fn domain(text: &str) -> Option<usize> {
    let len = text
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(text.len());
    let candidate = text[..len].trim_end_matches('.');
    let segments: Vec<&str> = candidate.split('.').collect();
    if segments.len() < 2 || segments.iter().any(|s| s.is_empty()) {
        return None;
    }
    if segments.iter().rev().take(2).any(|s| s.contains('_')) {
        return None;
    }
    Some(len)
}

/// Drops trailing punctuation, unbalanced `)` and an entity-like `&x;`.
fn trim_trailing(link: &str) -> &str {
    let mut link = link;
    loop {
        let Some(last) = link.chars().next_back() else {
            return link;
        };
        let unbalanced_paren = last == ')' && link.matches(')').count() > link.matches('(').count();
        if matches!(last, '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~') || unbalanced_paren {
            link = &link[..link.len() - 1];
        } else if last == ';'
            && let Some(amp) = link.rfind('&')
            && link.len() - amp > 2
            && link[amp + 1..link.len() - 1]
                .chars()
                .all(|c| c.is_ascii_alphanumeric())
        {
            link = &link[..amp];
        } else {
            return link;
        }
    }
}

/// The e-mail address around the `@` at `at_sign`, if it is one.
fn email(text: &str, at_sign: usize) -> Option<Range<usize>> {
    let local_start = text[..at_sign]
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    if local_start == at_sign {
        return None;
    }
    let after = &text[at_sign + 1..];
    let len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(after.len());
    let domain = after[..len].trim_end_matches('.');
    if !domain.contains('.') || domain.ends_with(['-', '_']) || domain.split('.').any(str::is_empty)
    {
        return None;
    }
    Some(local_start..at_sign + 1 + domain.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, String)> {
        find(text).into_iter().map(|(r, h)| (&text[r], h)).collect()
    }

    #[test]
    fn www_and_urls() {
        assert_eq!(
            links("Visit www.commonmark.org/help for more."),
            [(
                "www.commonmark.org/help",
                "http://www.commonmark.org/help".to_string()
            )]
        );
        assert_eq!(
            links("Visit www.commonmark.org."),
            [(
                "www.commonmark.org",
                "http://www.commonmark.org".to_string()
            )]
        );
        assert_eq!(
            links("(www.google.com/search?q=Markup+(business))")[0].0,
            "www.google.com/search?q=Markup+(business)"
        );
        assert_eq!(
            links("www.google.com/search?q=(business))+ok")[0].0,
            "www.google.com/search?q=(business))+ok"
        );
        assert_eq!(
            links("www.google.com/search?q=commonmark&hl;")[0].0,
            "www.google.com/search?q=commonmark"
        );
        assert_eq!(
            links("www.commonmark.org/he<lp")[0].0,
            "www.commonmark.org/he"
        );
        assert_eq!(
            links("at ftp://foo.bar.baz.")[0],
            ("ftp://foo.bar.baz", "ftp://foo.bar.baz".to_string())
        );
        assert!(links("www.a_b.c_d").is_empty());
        assert!(links("xwww.example.com").is_empty());
        assert!(links("no links here.").is_empty());
    }

    #[test]
    fn emails() {
        assert_eq!(
            links("foo@bar.baz"),
            [("foo@bar.baz", "mailto:foo@bar.baz".to_string())]
        );
        assert_eq!(
            links("hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is."),
            [(
                "hello+xyz@mail.example",
                "mailto:hello+xyz@mail.example".to_string()
            )]
        );
        assert_eq!(links("a.b-c_d@a.b.")[0].0, "a.b-c_d@a.b");
        assert!(links("a.b-c_d@a.b-").is_empty());
        assert!(links("a.b-c_d@a.b_").is_empty());
        assert!(links("@ alone").is_empty());
        // Non-ASCII text around an address is never split inside a character.
        assert!(links("“mail” é@x.org").is_empty());
        assert_eq!(links("“a” b@x.org — “www.x.org”")[0].0, "b@x.org");
    }

    proptest::proptest! {
        #[test]
        fn links_found_in_any_text_are_whole_characters(text in crate::test_text::any_text()) {
            for (range, _) in find(&text) {
                proptest::prop_assert!(text.get(range).is_some());
            }
        }
    }
}
