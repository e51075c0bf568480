//! Links to ids in other chapters. The chapters are parsed and written
//! once each, in parallel, and a chapter does not know another's ids
//! until that one is written: such a link is written as a marker and
//! filled in when all are known.
//!
//! A marker is U+FDD0, the link's number, U+FDD1, as the whole value of
//! an `href` attribute. Both are Unicode noncharacters, which no text is
//! meant to hold, and bindery writes every href itself, so no text of the
//! book can make one there; U+FDD0 anywhere else is text and is left as
//! it is.

use super::error::{RenderError, RenderErrorKind};
use super::links::LinkTargets;
use super::writer::{Written, judge};
use crate::diag::{Code, Diagnostic, Policy};

const OPEN: char = '\u{FDD0}';
const CLOSE: char = '\u{FDD1}';

/// The marker written for deferred link number `n`.
pub fn marker(n: usize) -> String {
    format!("{OPEN}{n}{CLOSE}")
}

/// Where one deferred link leads, or why it leads nowhere.
pub type Resolved = Result<super::links::Found, RenderErrorKind>;

/// Where each of the chapter's deferred links leads, now that `targets`
/// hold every chapter's ids.
pub fn resolve(written: &Written, targets: &LinkTargets) -> Vec<Resolved> {
    written
        .deferred
        .iter()
        .map(|(deferred, _)| deferred.resolve(targets))
        .collect()
}

/// Fills in the chapter's deferred links with what [`resolve`] found. A
/// link whose id is not there is an error, or with `broken-links = "warn"` a warning and
/// a link without a target, as when a link is resolved at once. A link
/// `#id` found in another chapter is noted for `bindery check`.
pub fn fill_in(
    written: &mut Written,
    display: &str,
    resolved: &[Resolved],
    policy: Policy,
) -> Vec<RenderError> {
    let mut errors = Vec::new();
    if written.deferred.is_empty() {
        return errors;
    }
    let mut elsewhere = Vec::new();
    let hrefs: Vec<Option<&str>> = written
        .deferred
        .iter()
        .zip(resolved)
        .map(|((link, span), resolved)| match resolved {
            Ok(found) => {
                if let Some(chapter) = &found.elsewhere {
                    elsewhere.push(
                        Diagnostic::new(
                            Code::AnchorInOtherChapter,
                            format!("link to `#{}` leads to `{chapter}`", link.fragment),
                        )
                        .in_file(display.to_string())
                        .at(span.clone())
                        .with_help("the id is not in this chapter but in that one; name the chapter in the link to say so"),
                    );
                }
                Some(found.href.as_str())
            }
            Err(kind) => {
                let error = RenderError {
                    file: display.to_string(),
                    span: span.clone(),
                    kind: kind.clone(),
                };
                judge(error, policy, &mut written.warnings, &mut errors);
                None
            }
        })
        .collect();
    if let Some(chapter) = &mut written.chapter {
        chapter.elsewhere = elsewhere;
        chapter.xhtml = replace_markers(&chapter.xhtml, &hrefs).into();
        if !chapter.notes.is_empty() {
            chapter.notes = replace_markers(&chapter.notes, &hrefs);
        }
    }
    errors
}

/// `xhtml` with each marker replaced by its href, escaped, or, for a link
/// that has none, with the whole attribute left out. Only a marker that is
/// the whole value of an `href` attribute is one: bindery writes every
/// href itself (a resolved link, percent-encoded when it leaves the book),
/// so no text of the book can put U+FDD0 there, while text elsewhere may
/// hold it, written as it is or as `&#xFDD0;`, and is left as it is.
fn replace_markers(xhtml: &str, hrefs: &[Option<&str>]) -> String {
    const BEFORE: &str = " href=\"";
    // Sized for every href at once: growing by doubling would leave a
    // large book's chapters with up to twice the room they need.
    let longer: usize = hrefs.iter().flatten().map(|h| h.len()).sum();
    let mut out = String::with_capacity(xhtml.len() + longer);
    let mut rest = xhtml;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len_utf8()..];
        let marker = after
            .find(CLOSE)
            .filter(|_| out.ends_with(BEFORE))
            .and_then(|end| {
                let n: usize = after[..end].parse().ok()?;
                let tail = &after[end + CLOSE.len_utf8()..];
                (n < hrefs.len() && tail.starts_with('"')).then_some((n, tail))
            });
        let Some((n, tail)) = marker else {
            // Not a marker: kept as it is.
            out.push(OPEN);
            rest = after;
            continue;
        };
        match hrefs[n] {
            Some(href) => {
                crate::xml::escape_into(&mut out, href, true);
                rest = tail;
            }
            None => {
                // ` href="` before the marker and `"` after it go too.
                out.truncate(out.len() - BEFORE.len());
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_hrefs_or_leave_with_their_attribute() {
        let xhtml = format!(
            "<a href=\"{}\">x</a> <a title=\"t\" href=\"{}\">y</a> {OPEN}9{CLOSE} {OPEN}",
            marker(0),
            marker(1)
        );
        let hrefs = [Some("b.xhtml#c&d"), None];
        assert_eq!(
            replace_markers(&xhtml, &hrefs),
            format!("<a href=\"b.xhtml#c&amp;d\">x</a> <a title=\"t\">y</a> {OPEN}9{CLOSE} {OPEN}")
        );
    }
}
