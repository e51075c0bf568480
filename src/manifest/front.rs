//! A chapter's front matter: a TOML block between `+++` lines at the very
//! start of a Markdown file, read with the manifest's rules.

use super::walk::{Table, Walker};
use super::{ManifestError, Matter, language, read_matter, syntax_message};
use crate::diag::Code;
use std::ops::Range;

/// The keys a chapter's front matter may hold.
const KEYS: &[&str] = &["title", "language", "matter", "dir", "type", "part"];

/// The text direction of a chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left: Arabic, Hebrew, Persian, Urdu …
    Rtl,
    /// Decided by the reading system from the text.
    Auto,
}

impl Direction {
    /// The value of the `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
            Direction::Auto => "auto",
        }
    }
}

/// What a chapter's front matter says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// The chapter's title.
    pub title: Option<String>,
    /// The language of the chapter, when it is not the book's.
    pub language: Option<String>,
    /// Where the chapter sits in the book.
    pub matter: Option<Matter>,
    /// The direction of its text.
    pub dir: Option<Direction>,
    /// What the chapter is.
    pub kind: Option<super::kind::ChapterKind>,
    /// The title of the part it belongs to.
    pub part: Option<String>,
}

/// Where the front matter of a Markdown text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterBlock {
    /// The TOML between the `+++` lines.
    pub toml: Range<usize>,
    /// Where the Markdown starts, after the closing line.
    pub body_start: usize,
}

/// Finds a front matter block: a first line `+++`, then TOML, then a line
/// `+++`. `Err` holds the span of an opening line that is never closed
/// although TOML follows it; without TOML after it, a lone `+++` is
/// Markdown text.
pub fn find(text: &str) -> Result<Option<FrontMatterBlock>, Range<usize>> {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return Ok(None);
    };
    if first.trim_end() != "+++" {
        return Ok(None);
    }
    let looks_like_toml = |line: &str| {
        line.split_once('=').is_some_and(|(key, _)| {
            let key = key.trim();
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '"' | '.'))
        })
    };
    let opens_toml = text[first.len()..]
        .lines()
        .next()
        .is_some_and(looks_like_toml);
    let toml_start = first.len();
    let mut at = toml_start;
    for line in lines {
        if line.trim_end() == "+++" {
            return Ok(Some(FrontMatterBlock {
                toml: toml_start..at,
                body_start: at + line.len(),
            }));
        }
        at += line.len();
    }
    if opens_toml { Err(0..3) } else { Ok(None) }
}

/// Parses the TOML of a front matter block. Spans in the errors are
/// relative to `toml`.
pub fn parse(toml: &str) -> Result<FrontMatter, Vec<ManifestError>> {
    let document = toml::de::DeTable::parse(toml).map_err(|error| {
        vec![ManifestError::Syntax {
            message: syntax_message(error.message()),
            span: error.span(),
        }]
    })?;
    let mut walker = Walker::default();
    let table = Table::new(document.get_ref(), "front matter", document.span());
    walker.check_keys(&table, KEYS);
    let title = walker.string(&table, "title").map(|s| s.value);
    let language = walker.string(&table, "language").and_then(|lang| {
        if language::is_well_formed(&lang.value) {
            Some(lang.value)
        } else {
            walker
                .errors
                .push(language::invalid(&lang.value, lang.span));
            None
        }
    });
    let matter = read_matter(&mut walker, &table);
    let kind = super::kind::read_kind(&mut walker, &table);
    let part = walker.string(&table, "part").map(|s| s.value);
    let words = [
        ("ltr", Direction::Ltr, ""),
        ("rtl", Direction::Rtl, ""),
        ("auto", Direction::Auto, ""),
    ];
    let dir = walker
        .string(&table, "dir")
        .and_then(|dir| walker.one_of(dir, Code::BadDirection, "a text direction", &words));
    if walker.errors.is_empty() {
        Ok(FrontMatter {
            title,
            language,
            matter,
            dir,
            kind,
            part,
        })
    } else {
        Err(walker.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_is_found_only_at_the_start() {
        let text = "+++\ntitle = \"A\"\n+++\n# Heading\n";
        let block = find(text).unwrap().unwrap();
        assert_eq!(&text[block.toml.clone()], "title = \"A\"\n");
        assert_eq!(&text[block.body_start..], "# Heading\n");
        assert_eq!(find("# A\n+++\nx\n+++\n"), Ok(None));
        assert_eq!(find("+++ x\n"), Ok(None));
        assert_eq!(find(""), Ok(None));
        assert_eq!(
            find("+++\r\ntitle = \"A\"\r\n+++  \r\nText"),
            Ok(Some(FrontMatterBlock {
                toml: 5..18,
                body_start: 25,
            }))
        );
        // Empty, and closed at the very end without a newline.
        assert_eq!(
            find("+++\n+++"),
            Ok(Some(FrontMatterBlock {
                toml: 4..4,
                body_start: 7
            }))
        );
        assert_eq!(find("+++\ntitle = \"A\"\n"), Err(0..3));
        // A lone `+++` with no TOML after it is Markdown.
        assert_eq!(find("+++\n"), Ok(None));
        assert_eq!(find("+++\nSome text.\n"), Ok(None));
    }

    #[test]
    fn every_key_is_read() {
        let front =
            parse("title = \"Sources\"\nlanguage = \"ar\"\nmatter = \"back\"\ndir = \"rtl\"\n")
                .unwrap();
        assert_eq!(
            front,
            FrontMatter {
                title: Some("Sources".into()),
                language: Some("ar".into()),
                matter: Some(Matter::Back),
                dir: Some(Direction::Rtl),
                kind: None,
                part: None,
            }
        );
        assert_eq!(parse("").unwrap(), FrontMatter::default());
    }

    #[test]
    fn problems_are_errors_with_spans() {
        let errors = parse("titel = \"x\"\nlanguage = \"english!\"\ndir = \"up\"\n").unwrap_err();
        let messages: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            [
                "unknown key `titel` in [front matter]",
                "`english!` is not a valid BCP 47 language tag",
                "`up` is not a text direction",
            ]
        );
        assert!(matches!(
            &errors[0],
            ManifestError::UnknownKey { suggestion: Some("title"), span, .. } if *span == (0..5)
        ));
        assert!(matches!(
            parse("title = ").unwrap_err()[0],
            ManifestError::Syntax { .. }
        ));
    }
}
