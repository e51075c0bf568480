//! The long explanation of each diagnostic code, for `bindery explain`
//! and the help of SARIF rules.
//!
//! The texts live in `explain.txt`, one section per code: a line
//! `@CODE`, then the explanation with an example of the problem and its
//! fix. The code's summary is in [`Code`]; a test checks that every code
//! has exactly one section.

use super::Code;

/// The explanation of one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    /// The code.
    pub code: Code,
    /// What the code is about, in a few words.
    pub summary: &'static str,
    /// The explanation, with an example and its fix.
    pub text: &'static str,
}

const TEXT: &str = include_str!("explain.txt");

/// The sections of `explain.txt`: each code as written and its text.
fn sections() -> impl Iterator<Item = (&'static str, &'static str)> {
    TEXT.split("\n@").filter_map(|section| {
        let section = section.strip_prefix('@').unwrap_or(section);
        let (code, text) = section.split_once('\n')?;
        Some((code.trim(), text.trim()))
    })
}

impl Code {
    /// The code's summary and long explanation.
    pub fn explanation(self) -> Explanation {
        Explanation {
            code: self,
            summary: self.summary(),
            text: sections()
                .find(|(code, _)| *code == self.as_str())
                .map_or("", |(_, text)| text),
        }
    }
}

/// Every explanation, in the order of their codes.
pub fn explanations() -> impl Iterator<Item = Explanation> {
    Code::ALL.iter().map(|code| code.explanation())
}

/// The explanation of `code` (case-insensitive: `b003` is `B003`).
///
/// ```
/// let e = bindery::diag::explain("B003").unwrap();
/// assert_eq!(e.summary, "a key bindery does not know");
/// assert!(bindery::diag::explain("nothing").is_none());
/// ```
pub fn explain(code: &str) -> Option<Explanation> {
    Code::parse(code).map(Code::explanation)
}

/// Whether `text` is shaped like an EPUBCheck message id: three capital
/// letters, a hyphen and three digits (`RSC-007`, `OPF-092`), in any case.
pub fn is_epubcheck_id(text: &str) -> bool {
    let bytes = text.trim().as_bytes();
    bytes.len() == 7
        && bytes[..3].iter().all(u8::is_ascii_alphabetic)
        && bytes[3] == b'-'
        && bytes[4..].iter().all(u8::is_ascii_digit)
}

/// The codes that report what EPUBCheck reports as `id` (such as
/// `RSC-007`), in order: those whose explanation names it. A diagnostic
/// that carries an EPUBCheck id names it in its explanation; a test checks
/// that each id the source gives is named in one.
///
/// ```
/// let codes = bindery::diag::codes_for_epubcheck("rsc-012");
/// assert!(codes.contains(&bindery::diag::Code::BrokenAnchor));
/// assert!(bindery::diag::codes_for_epubcheck("XYZ-999").is_empty());
/// ```
pub fn codes_for_epubcheck(id: &str) -> Vec<Code> {
    if !is_epubcheck_id(id) {
        return Vec::new();
    }
    let id = id.trim().to_ascii_uppercase();
    explanations()
        .filter(|e| names_id(e.text, &id))
        .map(|e| e.code)
        .collect()
}

/// Whether `text` names `id` as a word of its own (`RSC-007` but not
/// `RSC-0071`).
fn names_id(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_epubcheck_id_the_source_gives_is_named_by_an_explanation() {
        // The ids written as string literals in the stages' errors.
        let mut missing = Vec::new();
        for dir in ["load", "render", "manifest", "inspect", "package", "check"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src")
                .join(dir);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if !name.ends_with(".rs") || name == "tests.rs" {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let text = text.split("#[cfg(test)]").next().unwrap();
                for (at, _) in text.match_indices('"') {
                    let Some(piece) = text.get(at + 1..at + 8) else {
                        continue;
                    };
                    let closed = text.get(at + 8..at + 9) == Some("\"");
                    if closed && is_epubcheck_id(piece) && codes_for_epubcheck(piece).is_empty() {
                        missing.push(format!("{piece} ({name})"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "no explanation names {missing:?}");
    }

    #[test]
    fn epubcheck_ids_lead_to_the_codes_that_report_them() {
        assert!(is_epubcheck_id("RSC-007") && is_epubcheck_id(" opf-092 "));
        assert!(!is_epubcheck_id("B003") && !is_epubcheck_id("RSC-07"));
        let codes = codes_for_epubcheck("RSC-007");
        assert!(codes.contains(&Code::BrokenLink), "{codes:?}");
        assert!(!codes.contains(&Code::BrokenAnchor), "{codes:?}");
        assert!(!names_id("see RSC-0071", "RSC-007"));
        assert!(names_id("(EPUBCheck RSC-007).", "RSC-007"));
    }

    #[test]
    fn every_code_has_one_section_and_every_section_a_code() {
        let written: Vec<&str> = sections().map(|(code, _)| code).collect();
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            written, codes,
            "explain.txt must have one section per code of diag::Code, in order, \
             each opening with a line holding only the code"
        );
    }

    #[test]
    fn every_explanation_has_an_example_and_a_fix() {
        for e in explanations() {
            assert!(e.text.contains("Example"), "{} has no example", e.code);
            assert!(e.text.contains("Fix"), "{} has no fix", e.code);
        }
    }

    #[test]
    fn codes_are_found_whatever_their_case() {
        assert_eq!(explain("b201").map(|e| e.code), Some(Code::BrokenAnchor));
        assert_eq!(explain(" B201 ").map(|e| e.code), Some(Code::BrokenAnchor));
        assert!(explain("B2011").is_none());
        assert!(explain("").is_none());
    }
}
