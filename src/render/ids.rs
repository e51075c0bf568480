//! Ids for headings and footnotes.
//!
//! Heading ids follow the convention authors already link against on
//! GitHub and in mdBook: lower case, punctuation dropped, spaces to
//! hyphens, a repeated heading gets `-1`, `-2`. Where that slug is not a
//! valid XML id (it starts with a digit, or is empty), the element gets a
//! valid id and links written against the slug still resolve to it.

use crate::xml::is_ncname;
use std::collections::BTreeSet;

/// GitHub's and mdBook's slug of a heading's text.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

/// The ids taken in one document.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IdSet {
    taken: BTreeSet<String>,
}

impl IdSet {
    /// Takes an id exactly as given; false if it was taken already.
    pub fn take(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_string())
    }

    /// Whether an id is taken.
    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// Takes `base`, or `base-1`, `base-2` … if it is taken (GitHub's rule
    /// for repeated headings).
    pub fn take_numbered(&mut self, base: &str) -> String {
        if self.take(base) {
            return base.to_string();
        }
        (1..)
            .map(|n| format!("{base}-{n}"))
            .find(|candidate| self.take(candidate))
            .unwrap_or_default()
    }

    /// A valid XML id for a slug: the slug itself when it is one, else
    /// the slug behind a prefix.
    pub fn take_valid(&mut self, slug: &str, prefix: &str) -> String {
        if is_ncname(slug) && self.take(slug) {
            return slug.to_string();
        }
        let base = if slug.is_empty() {
            prefix.trim_end_matches('-').to_string()
        } else {
            format!("{prefix}{slug}")
        };
        let base = if is_ncname(&base) {
            base
        } else {
            prefix.trim_end_matches('-').to_string()
        };
        self.take_numbered(&base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("The `bindery` CLI"), "the-bindery-cli");
        assert_eq!(slug("  Ελληνικά κείμενα "), "ελληνικά-κείμενα");
        assert_eq!(slug("日本語の本"), "日本語の本");
        assert_eq!(
            slug("snake_case and kebab-case"),
            "snake_case-and-kebab-case"
        );
        assert_eq!(slug("1. Intro"), "1-intro");
        assert_eq!(slug("?!"), "");
    }

    #[test]
    fn repeats_are_numbered_and_invalid_ids_prefixed() {
        let mut ids = IdSet::default();
        assert_eq!(ids.take_numbered("example"), "example");
        assert_eq!(ids.take_numbered("example"), "example-1");
        assert_eq!(ids.take_numbered("example"), "example-2");
        assert_eq!(ids.take_valid("1-intro", "h-"), "h-1-intro");
        assert_eq!(ids.take_valid("", "h-"), "h");
        assert_eq!(ids.take_valid("", "h-"), "h-1");
        assert_eq!(ids.take_valid("ok", "h-"), "ok");
    }
}
