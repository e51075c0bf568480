//! Quotation marks and the spaces around punctuation, by language.
//!
//! pulldown-cmark's smart punctuation turns the straight quotes an author
//! types into English curly quotes: `"` into “ ”, `'` into ‘ ’ (or an
//! apostrophe). [`localize`] turns those into the marks of the language
//! the text is in: the chapter's, or that of the `lang` attribute of the
//! HTML element around the text. Double quotes become the language's
//! quotation marks, single quotes inside them its marks for a quote
//! within a quote (German „… ‚…‘ …“, French « … “…” … », Japanese
//! 「…『…』…」). In French, a narrow no-break space goes inside
//! guillemets and before `;`, `!` and `?`, a no-break space before `:`.
//!
//! Only the quotes pulldown-cmark made are changed: curly quotes an
//! author typed are the author's choice and stay as they are.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::ops::Range;

/// A language's quotation marks and punctuation spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotes {
    /// Opening and closing marks of a quotation.
    pub outer: (String, String),
    /// Opening and closing marks of a quotation inside a quotation.
    pub inner: (String, String),
    /// The space put before `;`, `!` and `?`.
    pub before_punctuation: Option<String>,
    /// The space put before `:`.
    pub before_colon: Option<String>,
}

impl Quotes {
    /// Whether the language is written like English: nothing to change.
    fn is_english(&self) -> bool {
        self.outer.0 == "“"
            && self.outer.1 == "”"
            && self.inner.0 == "‘"
            && self.inner.1 == "’"
            && self.before_punctuation.is_none()
            && self.before_colon.is_none()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Double,
    Single,
}

/// An element with a `lang` attribute, open around the text: its name,
/// its language, and how many elements of the same name are open inside
/// it.
struct LangScope {
    name: String,
    language: String,
    same_inside: usize,
}

/// Rewrites the quotes in a chapter's events for the language of each
/// piece of text. `source` is the Markdown the spans point into;
/// `chapter` the chapter's language; `quotes_of` gives a language's marks.
pub fn localize<'a>(
    events: &mut [(Event<'a>, Range<usize>)],
    source: &str,
    chapter: &str,
    mut quotes_of: impl FnMut(&str) -> Quotes,
) {
    let mut cache: Vec<(String, Quotes)> = Vec::new();
    let mut quotes_for = |tag: &str| -> Quotes {
        if let Some((_, q)) = cache.iter().find(|(t, _)| t == tag) {
            return q.clone();
        }
        let q = quotes_of(tag);
        cache.push((tag.to_string(), q.clone()));
        q
    };
    let chapter_quotes = quotes_for(chapter);
    let mut scopes: Vec<LangScope> = Vec::new();
    if chapter_quotes.is_english() && !mentions_lang(events) {
        return;
    }
    let mut open: Vec<Kind> = Vec::new();
    let mut in_code = false;
    // The last Text event of the current block, for spaces that go
    // before punctuation at the start of the next one.
    let mut previous_text: Option<usize> = None;
    for index in 0..events.len() {
        let Some((event, span)) = events.get(index) else {
            break;
        };
        let span = span.clone();
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Html(html) | Event::InlineHtml(html) => {
                track_lang(html, &mut scopes);
                previous_text = None;
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::TableCell
                | TagEnd::Item
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::FootnoteDefinition,
            )
            | Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::TableCell
                | Tag::Item
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition,
            ) => {
                open.clear();
                previous_text = None;
            }
            Event::Code(_) | Event::InlineMath(_) | Event::SoftBreak | Event::HardBreak => {
                previous_text = None;
            }
            Event::Text(text) if !in_code => {
                let text = text.to_string();
                let language = scopes.last().map_or(chapter, |s| s.language.as_str());
                let quotes = if language == chapter {
                    chapter_quotes.clone()
                } else {
                    quotes_for(language)
                };
                let written = source.get(span.clone()).unwrap_or_default();
                let after = source.get(span.end..).and_then(|rest| rest.chars().next());
                let before = source
                    .get(..span.start)
                    .and_then(|text| text.chars().next_back());
                // Between Chinese, Japanese or Korean characters a quote
                // has no word boundary to open or close at, so
                // pulldown-cmark takes it for an apostrophe or leaves it
                // open; there it opens when none is open, else closes.
                let cjk = before.is_some_and(is_cjk) || after.is_some_and(is_cjk);
                let innermost = open.last().copied();
                let replaced = match (text.as_str(), written) {
                    ("”", "\"") => {
                        close(&mut open, Kind::Double);
                        Some(quotes.outer.1.clone())
                    }
                    ("“", "\"") if cjk && open.contains(&Kind::Double) => {
                        close(&mut open, Kind::Double);
                        Some(quotes.outer.1.clone())
                    }
                    ("“", "\"") => {
                        open.push(Kind::Double);
                        Some(quotes.outer.0.clone())
                    }
                    ("‘", "'") => {
                        open.push(Kind::Single);
                        Some(quotes.inner.0.clone())
                    }
                    // An apostrophe, unless it closes an open single
                    // quote: then no letter follows it.
                    ("’", "'")
                        if innermost == Some(Kind::Single)
                            && (cjk || !after.is_some_and(char::is_alphanumeric)) =>
                    {
                        close(&mut open, Kind::Single);
                        Some(quotes.inner.1.clone())
                    }
                    ("’", "'") if cjk => {
                        open.push(Kind::Single);
                        Some(quotes.inner.0.clone())
                    }
                    _ => None,
                };
                let text = match replaced.clone() {
                    Some(mark) => mark,
                    None => text,
                };
                let spaced = match (&quotes.before_punctuation, &quotes.before_colon) {
                    (None, None) => None,
                    _ => Some(space_punctuation(&text, &quotes)),
                };
                let mut changed = replaced.is_some() || spaced.as_ref().is_some_and(|s| *s != text);
                let mut text = spaced.unwrap_or(text);
                // A mark or punctuation at the start of this event may want
                // the space at the end of the one before.
                if let Some(before) = previous_text
                    && let Some(first) = text.chars().next()
                    && let Some(space) = space_before(first, &quotes)
                    && let Some((Event::Text(previous), _)) = events.get_mut(before)
                    && previous.ends_with([' ', '\u{a0}', '\u{202f}'])
                {
                    let mut joined = previous.to_string();
                    joined.pop();
                    joined.push_str(space);
                    *previous = CowStr::from(joined);
                } else if let Some(before) = previous_text
                    && let Some(first) = text.chars().next()
                    && let Some(space) = space_before(first, &quotes)
                    && let Some((Event::Text(previous), _)) = events.get(before)
                    && previous.chars().last().is_some_and(wants_space_after)
                    && first != ':'
                {
                    text.insert_str(0, space);
                    changed = true;
                }
                if changed && let Some((event, _)) = events.get_mut(index) {
                    *event = Event::Text(CowStr::from(text));
                }
                previous_text = Some(index);
            }
            _ => {}
        }
    }
}

/// Whether a character is Chinese, Japanese or Korean: ideographs, kana,
/// Hangul, and their punctuation and full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(
        u32::from(c),
        0x1100..=0x11FF
            | 0x2E80..=0x2FFF
            | 0x3000..=0x303F
            | 0x3040..=0x30FF
            | 0x3100..=0x31FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xAC00..=0xD7AF
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF
            | 0x20000..=0x3FFFF
    )
}

/// Whether any raw HTML in the chapter could give text another language.
fn mentions_lang(events: &[(Event<'_>, Range<usize>)]) -> bool {
    events.iter().any(|(event, _)| match event {
        Event::Html(html) | Event::InlineHtml(html) => html.contains("lang"),
        _ => false,
    })
}

/// Closes the innermost open quote of a kind, and any opened inside it.
fn close(open: &mut Vec<Kind>, kind: Kind) {
    if let Some(at) = open.iter().rposition(|k| *k == kind) {
        open.truncate(at);
    }
}

/// The space a character wants before it, in a language that spaces
/// punctuation.
fn space_before(c: char, quotes: &Quotes) -> Option<&str> {
    match c {
        ';' | '!' | '?' | '»' => quotes.before_punctuation.as_deref(),
        ':' => quotes.before_colon.as_deref(),
        _ => None,
    }
}

/// Whether a space goes between this character and punctuation that
/// follows it: after a word or a closing mark, not after a space, an
/// opening bracket or other punctuation (`?!`, `/?`).
fn wants_space_after(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ')' | ']' | '»' | '”' | '’' | '…' | '%' | '€')
}

/// French spacing inside one piece of text: a space typed before
/// `; ! ? :` or `»`, or after `«`, becomes the no-break space the
/// language wants, and one is added where none was typed before `; ! ?`
/// that end a word, and inside guillemets.
fn space_punctuation(text: &str, quotes: &Quotes) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    let mut previous: Option<char> = None;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if let Some(space) = space_before(c, quotes) {
            if out.ends_with([' ', '\u{a0}', '\u{202f}']) {
                out.pop();
                out.push_str(space);
            } else if c != ':'
                && previous.is_some_and(wants_space_after)
                && (c == '»' || next.is_none_or(|n| !n.is_alphanumeric()))
            {
                out.push_str(space);
            }
            out.push(c);
        } else if matches!(previous, Some('«'))
            && let Some(space) = quotes.before_punctuation.as_deref()
        {
            if c == ' ' || c == '\u{a0}' || c == '\u{202f}' {
                out.push_str(space);
            } else {
                out.push_str(space);
                out.push(c);
            }
        } else {
            out.push(c);
        }
        previous = Some(c);
    }
    out
}

/// Follows the elements that open and close in a piece of raw HTML,
/// keeping a stack of those with a `lang` attribute.
fn track_lang(html: &str, scopes: &mut Vec<LangScope>) {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(scope) = scopes.last_mut()
                && scope.name == name
            {
                if scope.same_inside > 0 {
                    scope.same_inside -= 1;
                } else {
                    scopes.pop();
                }
            }
            continue;
        }
        let name_len = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_len].to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let self_closing = tag.ends_with('/');
        match attribute(tag, "lang") {
            Some(language) if !self_closing => scopes.push(LangScope {
                name,
                language,
                same_inside: 0,
            }),
            _ => {
                if let Some(scope) = scopes.last_mut()
                    && scope.name == name
                    && !self_closing
                {
                    scope.same_inside += 1;
                }
            }
        }
    }
}

/// The value of an attribute in the text of a start tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut search = 0;
    while let Some(found) = lower.get(search..)?.find(name) {
        let at = search + found;
        search = at + name.len();
        let before_ok = lower[..at].ends_with(|c: char| c.is_whitespace());
        let rest = lower[search..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let offset = tag.len() - rest.len() + 1;
        let value = tag.get(offset..)?.trim_start();
        let value = match value.chars().next()? {
            q @ ('"' | '\'') => value[1..].split(q).next()?,
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()?,
        };
        return Some(value.trim().to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn french() -> Quotes {
        Quotes {
            outer: ("«\u{202f}".into(), "\u{202f}»".into()),
            inner: ("“".into(), "”".into()),
            before_punctuation: Some("\u{202f}".into()),
            before_colon: Some("\u{a0}".into()),
        }
    }

    #[test]
    fn french_spacing_replaces_typed_spaces_and_adds_missing_ones() {
        let q = french();
        assert_eq!(space_punctuation("Quoi ?", &q), "Quoi\u{202f}?");
        assert_eq!(space_punctuation("Quoi?!", &q), "Quoi\u{202f}?!");
        assert_eq!(space_punctuation("Note : oui", &q), "Note\u{a0}: oui");
        assert_eq!(space_punctuation("10:30", &q), "10:30");
        assert_eq!(space_punctuation("x.org/?a=1", &q), "x.org/?a=1");
        assert_eq!(space_punctuation("«oui»", &q), "«\u{202f}oui\u{202f}»");
        assert_eq!(space_punctuation("« oui »", &q), "«\u{202f}oui\u{202f}»");
    }

    #[test]
    fn lang_attributes_open_and_close_scopes() {
        let mut scopes = Vec::new();
        track_lang("<span lang=\"de\">", &mut scopes);
        assert_eq!(scopes.last().map(|s| s.language.as_str()), Some("de"));
        track_lang("<span class=x>", &mut scopes);
        track_lang("</span>", &mut scopes);
        assert_eq!(scopes.len(), 1);
        track_lang("<br/></span>", &mut scopes);
        assert!(scopes.is_empty());
        track_lang("<q xml:lang='fr' lang='fr'>", &mut scopes);
        assert_eq!(scopes.last().map(|s| s.language.as_str()), Some("fr"));
    }
}
