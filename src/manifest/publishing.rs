//! The keys a publisher adds: more identifiers, a series, the direction
//! of the text and the `[accessibility]` table.

use super::walk::{Table, Walker};
use super::{Located, ManifestError};
use crate::diag::Code;
use crate::locale::TextDirection;

/// An ISBN, written as given and as 13 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isbn {
    /// As written.
    pub written: String,
    /// The ISBN-13, digits only (an ISBN-10 is converted).
    pub digits: String,
}

/// A book's place in a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// The series' name.
    pub name: String,
    /// The book's number in it.
    pub position: Option<u32>,
}

/// How lines run: CSS `writing-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WritingMode {
    /// Horizontal lines, top to bottom: the default.
    #[default]
    HorizontalTb,
    /// Vertical lines, right to left: Chinese, Japanese and Korean set
    /// vertically, as many of their books are.
    VerticalRl,
}

impl WritingMode {
    /// The CSS value.
    pub fn as_str(self) -> &'static str {
        match self {
            WritingMode::HorizontalTb => "horizontal-tb",
            WritingMode::VerticalRl => "vertical-rl",
        }
    }
}

/// The accessibility conformance an author claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conformance {
    /// WCAG 2.x level A, as (major, minor).
    A(u8, u8),
    /// WCAG 2.x level AA.
    Aa(u8, u8),
}

impl Conformance {
    /// The value of `dcterms:conformsTo`, as EPUB Accessibility 1.1 words it.
    pub fn statement(self) -> String {
        let (version, level) = match self {
            Conformance::A(major, minor) => (format!("{major}.{minor}"), "A"),
            Conformance::Aa(major, minor) => (format!("{major}.{minor}"), "AA"),
        };
        format!("EPUB Accessibility 1.1 - WCAG {version} Level {level}")
    }
}

/// The `[accessibility]` table: what only the author can say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccessibilityConfig {
    /// The conformance claimed, if any; written only when bindery's own
    /// checks pass.
    pub conformance: Option<Located<Conformance>>,
    /// Replaces the generated summary.
    pub summary: Option<String>,
    /// Hazards, as schema.org values; `none` when not given.
    pub hazards: Vec<String>,
    /// Who certified the conformance.
    pub certified_by: Option<String>,
    /// The certifier's credential.
    pub certifier_credential: Option<String>,
    /// An exemption under the European Accessibility Act.
    pub exemption: Option<String>,
    /// The print edition the page markers come from.
    pub page_source: Option<String>,
}

const ACCESSIBILITY_KEYS: &[&str] = &[
    "conformance",
    "summary",
    "hazards",
    "certified-by",
    "certifier-credential",
    "exemption",
    "page-source",
];
const SERIES_KEYS: &[&str] = &["name", "position"];
const HAZARDS: &[&str] = &[
    "none",
    "unknown",
    "flashing",
    "motionSimulation",
    "sound",
    "noFlashingHazard",
    "noMotionSimulationHazard",
    "noSoundHazard",
    "unknownFlashingHazard",
    "unknownMotionSimulationHazard",
    "unknownSoundHazard",
];
const EXEMPTIONS: &[&str] = &[
    "eaa-disproportionate-burden",
    "eaa-fundamental-alteration",
    "eaa-microenterprise",
];

/// Reads `isbn`: an ISBN-10 or ISBN-13 with a valid check digit.
pub fn read_isbn(walker: &mut Walker, table: &Table<'_, '_>) -> Option<Isbn> {
    let written = walker.string(table, "isbn")?;
    match isbn13(&written.value) {
        Ok(digits) => Some(Isbn {
            written: written.value,
            digits,
        }),
        Err(problem) => {
            walker.errors.push(ManifestError::InvalidValue {
                code: Code::BadIsbn,
                message: format!("`{}` is not a valid ISBN: {problem}", written.value),
                help: "copy the ISBN from the publisher's record; hyphens and spaces may stay"
                    .into(),
                span: written.span,
            });
            None
        }
    }
}

/// The 13 digits of an ISBN, checked; an ISBN-10 becomes its ISBN-13.
pub fn isbn13(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    let text = text
        .strip_prefix("urn:isbn:")
        .or_else(|| text.strip_prefix("ISBN"))
        .unwrap_or(text)
        .trim_start_matches([':', ' ']);
    let chars: Vec<char> = text.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if chars
        .iter()
        .enumerate()
        .any(|(i, c)| !(c.is_ascii_digit() || (i == 9 && matches!(c, 'X' | 'x'))))
    {
        return Err("it holds characters other than digits, hyphens and spaces");
    }
    let digit = |c: char| c.to_digit(10).unwrap_or(10);
    match chars.len() {
        13 => {
            let sum: u32 = chars
                .iter()
                .enumerate()
                .map(|(i, &c)| digit(c) * if i % 2 == 0 { 1 } else { 3 })
                .sum();
            if !sum.is_multiple_of(10) {
                return Err("its check digit is wrong");
            }
            Ok(chars.iter().collect())
        }
        10 => {
            let sum: u32 = chars
                .iter()
                .enumerate()
                .map(|(i, &c)| digit(c) * (10 - i as u32))
                .sum();
            if !sum.is_multiple_of(11) {
                return Err("its check digit is wrong");
            }
            let mut digits: String = "978".chars().chain(chars[..9].iter().copied()).collect();
            let sum: u32 = digits
                .chars()
                .enumerate()
                .map(|(i, c)| digit(c) * if i % 2 == 0 { 1 } else { 3 })
                .sum();
            digits.push(char::from_digit((10 - sum % 10) % 10, 10).unwrap_or('0'));
            Ok(digits)
        }
        _ => Err("an ISBN has 10 or 13 digits"),
    }
}

/// Reads `doi`: `10.` followed by a registrant and a suffix.
pub fn read_doi(walker: &mut Walker, table: &Table<'_, '_>) -> Option<String> {
    let written = walker.string(table, "doi")?;
    let value = written.value.trim();
    let doi = value
        .strip_prefix("https://doi.org/")
        .or_else(|| value.strip_prefix("doi:"))
        .unwrap_or(value);
    let valid = doi.split_once('/').is_some_and(|(prefix, suffix)| {
        prefix.starts_with("10.") && prefix.len() > 3 && !suffix.is_empty()
    });
    if valid && !doi.contains(char::is_whitespace) {
        Some(doi.to_string())
    } else {
        walker.errors.push(ManifestError::InvalidValue {
            code: Code::BadDoi,
            message: format!("`{}` is not a DOI", written.value),
            help: "a DOI looks like `10.5281/zenodo.1234`".into(),
            span: written.span,
        });
        None
    }
}

/// Reads `url`: the book's address on the web.
pub fn read_url(walker: &mut Walker, table: &Table<'_, '_>) -> Option<String> {
    let written = walker.string(table, "url")?;
    web_address(walker, written)
}

/// Checks that a value is an `http` or `https` address with a host.
pub fn web_address(walker: &mut Walker, written: Located<String>) -> Option<String> {
    let value = written.value.trim();
    let host = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
    if host.is_some_and(|h| !h.is_empty()) && !value.contains(char::is_whitespace) {
        Some(value.to_string())
    } else {
        walker.errors.push(ManifestError::InvalidValue {
            code: Code::NotAWebAddress,
            message: format!("`{}` is not a web address", written.value),
            help: "write an address that starts with `https://` or `http://`, such as `https://example.org/books/borders`".into(),
            span: written.span,
        });
        None
    }
}

/// Reads `series = { name = "…", position = 2 }`.
pub fn read_series(walker: &mut Walker, table: &Table<'_, '_>) -> Option<Series> {
    let series = walker.table(table, "series")?;
    walker.check_keys(&series, SERIES_KEYS);
    let name = walker.required_string(&series, "name");
    let position = walker
        .integer(&series, "position")
        .and_then(|p| match u32::try_from(p.value) {
            Ok(position) => Some(position),
            Err(_) => {
                walker.errors.push(ManifestError::InvalidValue {
                    code: Code::BadSeriesPosition,
                    message: format!("`{}` is not a position in a series", p.value),
                    help: "number the books of a series 1, 2, 3 …".into(),
                    span: p.span,
                });
                None
            }
        });
    Some(Series {
        name: name?.value,
        position,
    })
}

/// Reads `direction`, in which the book's text runs and its pages turn:
/// `ltr` or `rtl`.
pub fn read_direction(walker: &mut Walker, table: &Table<'_, '_>) -> Option<TextDirection> {
    let value = walker.string(table, "direction")?;
    let words = [
        ("ltr", TextDirection::Ltr, ""),
        ("rtl", TextDirection::Rtl, ""),
    ];
    walker.one_of(value, Code::BadDirection, "a text direction", &words)
}

/// Reads `writing-mode`: `horizontal-tb` or `vertical-rl`, the latter
/// only for a language whose script is set vertically.
pub fn read_writing_mode(
    walker: &mut Walker,
    table: &Table<'_, '_>,
    language: &str,
) -> Option<WritingMode> {
    let value = walker.string(table, "writing-mode")?;
    let mode = match value.value.as_str() {
        "horizontal-tb" | "horizontal" => WritingMode::HorizontalTb,
        "vertical-rl" | "vertical" => WritingMode::VerticalRl,
        other => {
            walker.errors.push(ManifestError::InvalidValue {
                code: Code::BadWritingMode,
                message: format!("`{other}` is not a writing mode"),
                help: "use `horizontal-tb` (the default) or `vertical-rl` (vertical lines, read right to left)".into(),
                span: value.span,
            });
            return None;
        }
    };
    if mode == WritingMode::VerticalRl
        && !crate::locale::LanguageFacts::of(language).can_be_vertical()
    {
        walker.errors.push(ManifestError::InvalidValue {
            code: Code::BadWritingMode,
            message: format!("a book in `{language}` cannot be set in vertical lines"),
            help: "vertical lines are for Chinese, Japanese and Korean (`zh`, `ja`, `ko`); remove `writing-mode`".into(),
            span: value.span,
        });
        return None;
    }
    Some(mode)
}

/// Reads the `[accessibility]` table.
pub fn read_accessibility(walker: &mut Walker, table: &Table<'_, '_>) -> AccessibilityConfig {
    walker.check_keys(table, ACCESSIBILITY_KEYS);
    let conformance = walker.string(table, "conformance").and_then(|c| {
        let value = c.value.trim().to_ascii_lowercase().replace(' ', "-");
        let parsed = match value.as_str() {
            "wcag-2.0-a" => Some(Conformance::A(2, 0)),
            "wcag-2.0-aa" => Some(Conformance::Aa(2, 0)),
            "wcag-2.1-a" => Some(Conformance::A(2, 1)),
            "wcag-2.1-aa" => Some(Conformance::Aa(2, 1)),
            "wcag-2.2-a" => Some(Conformance::A(2, 2)),
            "wcag-2.2-aa" => Some(Conformance::Aa(2, 2)),
            _ => None,
        };
        if parsed.is_none() {
            walker.errors.push(ManifestError::InvalidValue {
                code: Code::UnknownAccessibilityValue,
                message: format!("`{}` is not a conformance level bindery knows", c.value),
                help: "use `wcag-2.2-aa` (EPUB Accessibility 1.1, WCAG 2.2 level AA), or `wcag-2.1-aa`, `wcag-2.2-a` …".into(),
                span: c.span.clone(),
            });
        }
        parsed.map(|value| Located {
            value,
            span: c.span,
        })
    });
    let hazards = walker
        .string_array(table, "hazards")
        .into_iter()
        .filter_map(|h| {
            let known = HAZARDS.iter().find(|k| k.eq_ignore_ascii_case(&h.value));
            if known.is_none() {
                walker.errors.push(ManifestError::InvalidValue {
                    code: Code::UnknownAccessibilityValue,
                    message: format!("`{}` is not a schema.org accessibility hazard", h.value),
                    help: format!("use `none`, or one or more of {}", HAZARDS[2..].join(", ")),
                    span: h.span,
                });
            }
            known.map(|k| k.to_string())
        })
        .collect();
    let exemption = walker.string(table, "exemption").and_then(|e| {
        if EXEMPTIONS.contains(&e.value.as_str()) {
            Some(e.value)
        } else {
            walker.errors.push(ManifestError::InvalidValue {
                code: Code::UnknownAccessibilityValue,
                message: format!(
                    "`{}` is not an exemption of the European Accessibility Act",
                    e.value
                ),
                help: format!("use one of {}", EXEMPTIONS.join(", ")),
                span: e.span,
            });
            None
        }
    });
    AccessibilityConfig {
        conformance,
        summary: walker.string(table, "summary").map(|s| s.value),
        hazards,
        certified_by: walker.string(table, "certified-by").map(|s| s.value),
        certifier_credential: walker
            .string(table, "certifier-credential")
            .map(|s| s.value),
        exemption,
        page_source: walker.string(table, "page-source").map(|s| s.value),
    }
}

#[cfg(test)]
mod tests {
    use super::isbn13;

    #[test]
    fn isbns_are_checked_and_made_13_digits() {
        assert_eq!(isbn13("978-3-16-148410-0").as_deref(), Ok("9783161484100"));
        assert_eq!(isbn13("ISBN 0-306-40615-2").as_deref(), Ok("9780306406157"));
        assert_eq!(
            isbn13("urn:isbn:0-8044-2957-X").as_deref(),
            Ok("9780804429573")
        );
        assert_eq!(isbn13("978-3-16-148410-1"), Err("its check digit is wrong"));
        assert_eq!(isbn13("12345"), Err("an ISBN has 10 or 13 digits"));
        assert!(isbn13("978-3-16-14841O-0").is_err());
    }
}
