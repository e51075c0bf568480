//! Resolving link targets: other chapters, ids, the web.

use super::error::RenderErrorKind;
use super::ids::IdSet;
use crate::load::{BookPath, BookRoot};
use percent_encoding::percent_decode_str;
use std::collections::BTreeMap;

/// What a link may point at in one chapter.
pub struct Target {
    /// Its file name in `text/`.
    pub file: String,
    /// Its path as the user names it.
    pub display: String,
    /// Every id in it.
    pub ids: IdSet,
    /// Slugs and explicit ids to element ids.
    pub slugs: BTreeMap<String, String>,
}

impl Target {
    /// The element id a fragment names: an id, or a GitHub-style slug.
    fn find(&self, fragment: &str) -> Result<String, RenderErrorKind> {
        if let Some(id) = self.slugs.get(fragment) {
            return Ok(id.clone());
        }
        if self.ids.contains(fragment) {
            return Ok(fragment.to_string());
        }
        Err(RenderErrorKind::BrokenAnchor {
            fragment: fragment.to_string(),
            chapter: self.display.clone(),
            nearest: crate::diag::did_you_mean(fragment, self.slugs.keys().map(String::as_str))
                .map(str::to_string),
        })
    }
}

/// Every chapter, by path.
#[derive(Default)]
pub struct LinkTargets {
    chapters: BTreeMap<BookPath, Target>,
}

impl LinkTargets {
    pub fn insert(&mut self, path: BookPath, target: Target) {
        self.chapters.insert(path, target);
    }

    pub fn get(&self, path: &BookPath) -> Option<&Target> {
        self.chapters.get(path)
    }
}

/// Whether a link starts with a URL scheme (`https:`, `mailto:` …). A
/// single letter before the colon is a Windows drive, not a scheme.
pub fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Percent-decodes a path or fragment as UTF-8.
pub fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Resolves a link written in the chapter at `from` to an href relative
/// to that chapter's XHTML file.
pub fn resolve(
    dest: &str,
    from: &BookPath,
    root: &BookRoot,
    targets: &LinkTargets,
) -> Result<String, RenderErrorKind> {
    if has_scheme(dest) {
        return Ok(dest.to_string());
    }
    if dest.starts_with("//") {
        return Err(RenderErrorKind::BadPath {
            path: dest.to_string(),
            problem: crate::load::PathProblem::Absolute,
        });
    }
    let (path_part, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(decode(fragment))),
        None => (dest, None),
    };
    let path_part = path_part.split_once('?').map_or(path_part, |(p, _)| p);
    let own = targets.get(from);
    if path_part.is_empty() {
        return match (fragment, own) {
            (Some(fragment), Some(own)) => own.find(&fragment).map(|id| format!("#{id}")),
            (Some(fragment), None) => Ok(format!("#{fragment}")),
            (None, _) => Ok(String::new()),
        };
    }
    let decoded = decode(path_part);
    let path =
        root.resolve(&from.parent(), &decoded)
            .map_err(|problem| RenderErrorKind::BadPath {
                path: decoded.clone(),
                problem,
            })?;
    match targets.get(&path) {
        Some(target) => {
            let base = if own.is_some_and(|o| o.file == target.file) {
                String::new()
            } else {
                target.file.clone()
            };
            match fragment {
                Some(fragment) => target.find(&fragment).map(|id| format!("{base}#{id}")),
                None => Ok(target.file.clone()),
            }
        }
        None if path.extension() == "md" => Err(RenderErrorKind::BrokenLink {
            target: decoded.clone(),
            nearest: crate::diag::did_you_mean(
                &root.display(&path),
                targets.chapters.values().map(|t| t.display.as_str()),
            )
            .map(str::to_string),
        }),
        None => Err(RenderErrorKind::LinkToFile { target: decoded }),
    }
}
