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

#[cfg(test)]
mod tests {
    use super::*;

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
