//! The long explanation of each diagnostic code, for `bindery explain`
//! and the help of SARIF rules.
//!
//! The texts live in `explain.txt`, one section per code: a line
//! `@CODE summary`, then the explanation with an example of the problem
//! and its fix. A test checks that every code in the source has one.

/// The explanation of one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    /// The code, such as `B003`.
    pub code: &'static str,
    /// What the code is about, in a few words.
    pub summary: &'static str,
    /// The explanation, with an example and its fix.
    pub text: &'static str,
}

const TEXT: &str = include_str!("explain.txt");

/// Every explanation, in the order of their codes.
pub fn explanations() -> impl Iterator<Item = Explanation> {
    TEXT.split("\n@")
        .filter_map(|section| {
            let section = section.strip_prefix('@').unwrap_or(section);
            let (head, text) = section.split_once('\n')?;
            let (code, summary) = head.split_once(' ')?;
            Some(Explanation {
                code,
                summary: summary.trim(),
                text: text.trim(),
            })
        })
        .filter(|e| is_code(e.code))
}

/// The explanation of `code` (case-insensitive: `b003` is `B003`).
///
/// ```
/// let e = bindery::diag::explain("B003").unwrap();
/// assert_eq!(e.summary, "a key bindery does not know");
/// assert!(bindery::diag::explain("nothing").is_none());
/// ```
pub fn explain(code: &str) -> Option<Explanation> {
    explanations().find(|e| e.code.eq_ignore_ascii_case(code.trim()))
}

/// Whether `text` has the shape of a code: `B` and three digits.
pub fn is_code(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 4 && bytes[0] == b'B' && bytes[1..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    /// Every `"Bnnn"` string literal in the source files under `dir`.
    fn codes_in(dir: &Path, codes: &mut BTreeSet<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                codes_in(&path, codes);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("\"B") {
                    let code = text.get(at + 1..at + 5).unwrap_or("");
                    if is_code(code) && text.get(at + 5..at + 6) == Some("\"") {
                        codes.insert(code.to_string());
                    }
                }
            }
        }
    }

    #[test]
    fn every_code_in_the_source_has_an_explanation() {
        let mut codes = BTreeSet::new();
        codes_in(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut codes,
        );
        assert!(codes.len() > 60, "{codes:?}");
        let missing: Vec<&String> = codes.iter().filter(|c| explain(c).is_none()).collect();
        assert!(
            missing.is_empty(),
            "codes without an explanation: {missing:?}"
        );
    }

    #[test]
    fn explanations_are_sorted_unique_and_complete() {
        let all: Vec<Explanation> = explanations().collect();
        assert_eq!(all.len(), TEXT.matches("\n@B").count() + 1);
        for pair in all.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} then {}",
                pair[0].code,
                pair[1].code
            );
        }
        for e in &all {
            assert!(!e.summary.is_empty(), "{}", e.code);
            assert!(e.text.contains("Example"), "{} has no example", e.code);
            assert!(e.text.contains("Fix"), "{} has no fix", e.code);
        }
    }

    #[test]
    fn codes_are_found_whatever_their_case() {
        assert_eq!(explain("b201").map(|e| e.code), Some("B201"));
        assert_eq!(explain(" B201 ").map(|e| e.code), Some("B201"));
        assert!(explain("B2011").is_none());
        assert!(explain("").is_none());
    }
}
