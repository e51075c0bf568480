//! The first pass over a chapter: parse once, give every heading and
//! footnote its id.

use super::error::{RenderError, RenderErrorKind};
use super::ids::{IdSet, slug};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

/// A heading found by the scan.
pub struct ScannedHeading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Ids a footnote needs: its own, and one per reference for back-links.
pub struct FootnoteIds {
    pub id: String,
    pub refs: Vec<String>,
}

/// A parsed chapter and its ids.
pub struct Scanned<'a> {
    pub events: Vec<(Event<'a>, Range<usize>)>,
    pub headings: Vec<ScannedHeading>,
    /// Every id in the document.
    pub ids: IdSet,
    /// GitHub-style slugs (and explicit ids) to element ids.
    pub slugs: BTreeMap<String, String>,
    /// Footnotes by label, for the labels that have a definition.
    pub footnotes: BTreeMap<String, FootnoteIds>,
    /// Labels of defined footnotes in the order of their first reference:
    /// their numbers.
    pub note_order: Vec<String>,
    pub errors: Vec<RenderError>,
    /// What pandoc's Markdown could not be read as.
    pub warnings: Vec<crate::diag::Diagnostic>,
}

/// Parses a chapter written in `language`; `quotes_of` gives the
/// quotation marks of a language (the chapter's, or a `lang` attribute's).
/// With `pandoc`, pandoc's extensions of Markdown are read too (a book
/// that is not an mdBook).
pub fn scan<'a>(
    text: &'a str,
    display: &str,
    language: &str,
    pandoc: bool,
    quotes_of: impl FnMut(&str) -> crate::locale::Quotes,
) -> Scanned<'a> {
    let mut events = crate::markdown::events(text);
    let mut errors = Vec::new();
    let (mut warnings, mut attribute_ids) = (Vec::new(), Vec::new());
    if pandoc {
        let read = super::pandoc::read(text, display, events);
        (events, warnings, attribute_ids) = (read.events, read.warnings, read.ids);
    }

    // Headings: their explicit ids and their text.
    struct Found {
        level: u8,
        explicit: Option<String>,
        text: String,
        /// The text as GitHub sees it, without smart punctuation.
        slug_text: String,
    }
    let mut found: Vec<Found> = Vec::new();
    let mut in_heading = false;
    let mut definitions: Vec<String> = Vec::new();
    let mut ref_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut first_refs: Vec<String> = Vec::new();
    let mut raw_ids: Vec<String> = Vec::new();
    for (event, span) in &events {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                in_heading = true;
                found.push(Found {
                    level: *level as u8,
                    explicit: id.as_ref().map(|id| id.to_string()),
                    text: String::new(),
                    slug_text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(piece) | Event::Code(piece) if in_heading => {
                if let Some(heading) = found.last_mut() {
                    heading.text.push_str(piece);
                    // Smart punctuation comes as events of its own: a
                    // dash written `--` counts as two hyphens, as on GitHub.
                    let source = text.get(span.clone()).unwrap_or_default();
                    let smart = matches!(event, Event::Text(_))
                        && !source.is_empty()
                        && source.chars().all(|c| matches!(c, '-' | '.' | '\'' | '"'))
                        && piece.chars().all(|c| "–—…‘’“”".contains(c));
                    heading
                        .slug_text
                        .push_str(if smart { source } else { piece });
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => definitions.push(label.to_string()),
            Event::Html(html) | Event::InlineHtml(html)
                if html.contains("id") || html.contains("name") =>
            {
                raw_ids.extend(super::html::declared_ids(html));
            }
            Event::FootnoteReference(label) => {
                let count = ref_counts.entry(label.to_string()).or_default();
                if *count == 0 {
                    first_refs.push(label.to_string());
                }
                *count += 1;
            }
            _ => {}
        }
    }

    // Slugs are made from the text as GitHub sees it (above); the text
    // shown gets the quotation marks of its language.
    crate::locale::quotes::localize(&mut events, text, language, quotes_of);
    if !found.is_empty() {
        let mut at = 0;
        let mut in_heading = false;
        for (event, _) in &events {
            match event {
                Event::Start(Tag::Heading { .. }) => {
                    in_heading = true;
                    if let Some(heading) = found.get_mut(at) {
                        heading.text.clear();
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    in_heading = false;
                    at += 1;
                }
                Event::Text(piece) | Event::Code(piece) if in_heading => {
                    if let Some(heading) = found.get_mut(at) {
                        heading.text.push_str(piece);
                    }
                }
                _ => {}
            }
        }
    }

    let mut ids = IdSet::default();
    let mut slugs_taken = IdSet::default();
    let mut slugs = BTreeMap::new();
    // Explicit ids are the author's: they win over generated ones.
    let heading_spans: Vec<Range<usize>> = events
        .iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::Heading { .. })))
        .map(|(_, span)| span.clone())
        .collect();
    for (heading, span) in found.iter().zip(&heading_spans) {
        if let Some(id) = &heading.explicit {
            if !crate::xml::is_ncname(id) {
                errors.push(RenderError {
                    file: display.to_string(),
                    span: span.clone(),
                    kind: RenderErrorKind::InvalidId { id: id.clone() },
                });
            } else if !ids.take(id) {
                errors.push(RenderError {
                    file: display.to_string(),
                    span: span.clone(),
                    kind: RenderErrorKind::DuplicateId { id: id.clone() },
                });
            }
            slugs_taken.take(id);
            slugs.insert(id.clone(), id.clone());
        }
    }
    // So are ids given in pandoc's attributes, on divs, spans and images.
    for (id, span) in attribute_ids.drain(..) {
        if !crate::xml::is_ncname(&id) {
            errors.push(RenderError {
                file: display.to_string(),
                span,
                kind: RenderErrorKind::InvalidId { id },
            });
        } else if !ids.take(&id) {
            errors.push(RenderError {
                file: display.to_string(),
                span,
                kind: RenderErrorKind::DuplicateId { id },
            });
        } else {
            slugs_taken.take(&id);
            slugs.insert(id.clone(), id);
        }
    }
    // Anchors written in raw HTML are the author's too.
    for id in raw_ids {
        if crate::xml::is_ncname(&id) && ids.take(&id) {
            slugs_taken.take(&id);
            slugs.insert(id.clone(), id);
        }
    }
    let mut headings = Vec::with_capacity(found.len());
    for heading in found {
        let id = match heading.explicit {
            Some(id) => id,
            None => {
                let slug = slugs_taken.take_numbered(&slug(&heading.slug_text));
                let id = ids.take_valid(&slug, "h-");
                slugs.insert(slug, id.clone());
                id
            }
        };
        headings.push(ScannedHeading {
            level: heading.level,
            id,
            text: heading.text,
        });
    }

    let mut footnotes = BTreeMap::new();
    for label in definitions {
        if footnotes.contains_key(&label) {
            continue;
        }
        let base = slug(&label);
        let id = ids.take_valid(&format!("fn-{base}"), "fn-");
        let count = ref_counts.get(&label).copied().unwrap_or(0);
        let refs = (0..count)
            .map(|_| ids.take_numbered(&format!("fnref-{base}")))
            .collect();
        footnotes.insert(label, FootnoteIds { id, refs });
    }

    let note_order = first_refs
        .into_iter()
        .filter(|l| footnotes.contains_key(l))
        .collect();
    Scanned {
        events,
        note_order,
        headings,
        ids,
        slugs,
        footnotes,
        errors,
        warnings,
    }
}
