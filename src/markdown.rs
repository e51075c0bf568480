//! The Markdown bindery reads: one set of pulldown-cmark extensions for
//! every place that parses a chapter.
//!
//! `render` writes chapters with these events, and `load` (mdBook
//! chapters), `mdbook` (hidden lines) and `check` read chapters with the
//! same ones, so that all of them see the same structure in the same text.
//!
//! Dollar signs are math only when they look like it, as pandoc reads
//! them: an opening `$` has no space after it, a closing one no space
//! before it (both pulldown-cmark's rules) and no digit after it, and a
//! formula holds no backtick (TeX has no use for one; a code span does).
//! So `$5 and $10`, `$HOME` and `` `$PATH` `` stay text. pulldown-cmark
//! has no switch for the last two rules: a `$` that would close such a
//! formula is hidden from it (written as a control character of the same
//! length, so that every byte keeps its place) and the text parsed again;
//! the dollar sign comes back in the events. mdBook chapters have no
//! dollar math at all: `load` escapes their dollar signs.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use std::ops::Range;

/// The Markdown extensions bindery turns on.
pub fn options() -> Options {
    without_math() | Options::ENABLE_MATH
}

/// The extensions, without `$` math: to find code and HTML where a `$`
/// is never math.
pub fn without_math() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
}

/// How many times a chapter is parsed again to take formulas that do not
/// look like math back to text. Each round settles every formula found
/// in it; what is left after the last is written as the text it was.
const MAX_ROUNDS: usize = 8;

/// The events of a chapter's text, each with its byte range.
pub fn events(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    fn parse(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
        Parser::new_ext(text, options())
            .into_offset_iter()
            .collect()
    }
    let first = parse(text);
    let mut closers = not_math(text, &first);
    if closers.is_empty() {
        return first;
    }
    // A byte the text does not hold stands for the hidden dollar signs.
    let Some(hidden) = (1u8..9)
        .chain(14..32)
        .find(|b| !text.as_bytes().contains(b))
    else {
        return as_text(text, first, &closers);
    };
    let mut masked = text.as_bytes().to_vec();
    for _ in 0..MAX_ROUNDS {
        for at in &closers {
            if let Some(byte) = masked.get_mut(*at) {
                *byte = hidden;
            }
        }
        // Replacing one ASCII byte by another keeps the text UTF-8.
        let Ok(masked_text) = std::str::from_utf8(&masked) else {
            return first;
        };
        let events = parse(masked_text);
        closers = not_math(masked_text, &events);
        if closers.is_empty() {
            let hidden = char::from(hidden);
            return events
                .into_iter()
                .map(|(event, range)| (unmask(event.into_static(), hidden), range))
                .collect();
        }
    }
    as_text(text, first, &closers)
}

/// Where the closing `$` of each formula that does not look like math is.
fn not_math(text: &str, events: &[(Event<'_>, Range<usize>)]) -> Vec<usize> {
    events
        .iter()
        .filter_map(|(event, range)| match event {
            Event::InlineMath(tex) => {
                let digit_after = text
                    .as_bytes()
                    .get(range.end)
                    .is_some_and(u8::is_ascii_digit);
                (digit_after || tex.contains('`')).then(|| range.end.checked_sub(1))?
            }
            Event::DisplayMath(tex) if tex.contains('`') => range.end.checked_sub(2),
            _ => None,
        })
        .collect()
}

/// The events, each formula whose closing `$` is in `closers` written as
/// the text it was: a last resort, which keeps no Markdown inside it.
fn as_text<'a>(
    text: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    closers: &[usize],
) -> Vec<(Event<'a>, Range<usize>)> {
    events
        .into_iter()
        .map(|(event, range)| match event {
            Event::InlineMath(_) | Event::DisplayMath(_)
                if closers.iter().any(|at| range.contains(at)) =>
            {
                let source = text.get(range.clone()).unwrap_or_default();
                (Event::Text(CowStr::Borrowed(source)), range)
            }
            event => (event, range),
        })
        .collect()
}

/// An event with the hidden dollar signs back.
fn unmask(event: Event<'static>, hidden: char) -> Event<'static> {
    let back = |s: CowStr<'static>| -> CowStr<'static> {
        if s.contains(hidden) {
            CowStr::from(s.replace(hidden, "$"))
        } else {
            s
        }
    };
    match event {
        Event::Text(s) => Event::Text(back(s)),
        Event::Code(s) => Event::Code(back(s)),
        Event::InlineMath(s) => Event::InlineMath(back(s)),
        Event::DisplayMath(s) => Event::DisplayMath(back(s)),
        Event::Html(s) => Event::Html(back(s)),
        Event::InlineHtml(s) => Event::InlineHtml(back(s)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: back(dest_url),
            title: back(title),
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: back(dest_url),
            title: back(title),
            id,
        }),
        event => event,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the formulas and of the code spans, in order.
    fn math_and_code(text: &str) -> Vec<String> {
        events(text)
            .into_iter()
            .filter_map(|(event, _)| match event {
                Event::InlineMath(tex) => Some(format!("math {tex}")),
                Event::DisplayMath(tex) => Some(format!("display {tex}")),
                Event::Code(code) => Some(format!("code {code}")),
                _ => None,
            })
            .collect()
    }

    /// The text of a paragraph, its pieces joined.
    fn plain(text: &str) -> String {
        events(text)
            .into_iter()
            .filter_map(|(event, _)| match event {
                Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn formulas_that_look_like_math_are_math() {
        assert_eq!(math_and_code("Let $x^2$ be."), ["math x^2"]);
        assert_eq!(math_and_code("$$\\frac{a}{b}$$"), ["display \\frac{a}{b}"]);
        assert_eq!(math_and_code("$a$, $b$."), ["math a", "math b"]);
    }

    #[test]
    fn prices_stay_text() {
        // A space before the closing dollar, or a digit after it.
        assert!(math_and_code("It costs $5 and $10 a month.").is_empty());
        assert!(math_and_code("From $20,000 to$30,000 a year.").is_empty());
        assert_eq!(
            plain("From $20,000 to$30,000 a year."),
            "From $20,000 to$30,000 a year."
        );
        // A closing dollar followed by a digit closes nothing.
        assert!(math_and_code("Pay $x$2 now.").is_empty());
        assert_eq!(plain("Pay $x$2 now."), "Pay $x$2 now.");
    }

    #[test]
    fn shell_variables_stay_text_and_code_stays_code() {
        let text = "Install to *$HOME/.cargo/bin*. Make sure your `$PATH` has it.";
        assert_eq!(math_and_code(text), ["code $PATH"]);
        assert_eq!(
            plain(text),
            "Install to $HOME/.cargo/bin. Make sure your $PATH has it."
        );
        assert!(math_and_code("echo $HOME $USER").is_empty());
        assert_eq!(
            math_and_code("Run `echo $A` and `echo $B`."),
            ["code echo $A", "code echo $B"]
        );
    }

    #[test]
    fn a_text_holding_every_control_character_still_parses() {
        let controls: String = (1u8..32).map(char::from).collect();
        let text = format!("{controls} *$HOME* `$PATH`");
        let found = math_and_code(&text);
        assert!(!found.iter().any(|f| f.starts_with("math")), "{found:?}");
    }
}
