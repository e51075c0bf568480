//! Accessibility metadata (EPUB Accessibility 1.1), derived from what is
//! true of the book's content rather than written as fixed defaults.

use crate::diag::{Code, Diagnostic};
use crate::locale::{Label, Locale};
use crate::manifest::{self, publishing::AccessibilityConfig};
use crate::render::{ContentFacts, RenderedChapter};

/// What the package document says about the book's accessibility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accessibility {
    /// `schema:accessMode` values.
    pub access_modes: Vec<&'static str>,
    /// `schema:accessModeSufficient` values, each a comma-separated set.
    pub sufficient: Vec<&'static str>,
    /// `schema:accessibilityFeature` values.
    pub features: Vec<&'static str>,
    /// `schema:accessibilityHazard` values.
    pub hazards: Vec<String>,
    /// `schema:accessibilitySummary`.
    pub summary: String,
    /// `dcterms:conformsTo`, when claimed and bindery's checks pass.
    pub conforms_to: Option<String>,
    /// `a11y:certifiedBy`.
    pub certified_by: Option<String>,
    /// `a11y:certifierCredential`.
    pub certifier_credential: Option<String>,
    /// `a11y:exemption`.
    pub exemption: Option<String>,
    /// `pageBreakSource`, when the book marks print pages.
    pub page_source: Option<String>,
}

/// What the author's stylesheets do that the accessibility claims depend
/// on, read from their text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthorStyle {
    /// The book has stylesheets of its own.
    pub present: bool,
    /// They name fonts (`font-family`, `font`, `@font-face`).
    pub sets_fonts: bool,
    /// They set colours of text or backgrounds.
    pub sets_colours: bool,
    /// They animate something (`@keyframes`, `animation`).
    pub animates: bool,
}

impl AuthorStyle {
    /// Reads the declarations and at-rules of `css`, comments left out.
    pub fn of(css: &str) -> AuthorStyle {
        let mut style = AuthorStyle {
            present: !css.trim().is_empty(),
            ..AuthorStyle::default()
        };
        let mut text = String::with_capacity(css.len());
        let mut rest = css;
        while let Some(start) = rest.find("/*") {
            text.push_str(&rest[..start]);
            rest = rest[start + 2..]
                .find("*/")
                .map_or("", |end| &rest[start + 2 + end + 2..]);
        }
        text.push_str(rest);
        for part in text.split(['{', '}', ';']) {
            let part = part.trim().to_ascii_lowercase();
            if part.starts_with("@font-face") {
                style.sets_fonts = true;
            }
            if part.starts_with("@keyframes") || part.starts_with("@-webkit-keyframes") {
                style.animates = true;
            }
            let Some((property, value)) = part.split_once(':') else {
                continue;
            };
            let property = property.trim();
            let value = value.trim();
            // A declaration that hands the choice back sets nothing.
            if matches!(
                value,
                "inherit" | "initial" | "unset" | "revert" | "currentcolor"
            ) {
                continue;
            }
            match property {
                "font-family" | "font" => style.sets_fonts = true,
                "color" | "background" | "background-color" => style.sets_colours = true,
                "animation" | "animation-name" | "-webkit-animation" if value != "none" => {
                    style.animates = true;
                }
                _ => {}
            }
        }
        style
    }
}

/// Looks at the chapters and the manifest, and says what can be claimed.
/// A claimed conformance that bindery's checks refute is a warning in
/// `warnings`, and is not written.
/// `moving_images` counts the images that move or may move (an animated GIF
/// or SVG, or one whose bytes do not tell): bindery cannot check them for
/// flashing, so the hazards are then `unknown`.
pub fn assess(
    chapters: &[RenderedChapter],
    author_style: AuthorStyle,
    moving_images: usize,
    config: &AccessibilityConfig,
    locale: &Locale,
    warnings: &mut Vec<Diagnostic>,
) -> Accessibility {
    let mut facts = ContentFacts::default();
    for chapter in chapters {
        facts.add(chapter.facts);
    }
    let has_math = chapters.iter().any(|c| c.contains.mathml);
    let has_headings = chapters.iter().any(|c| !c.headings.is_empty());
    let has_pages = chapters.iter().any(|c| !c.pages.is_empty());
    let skipped: Vec<&RenderedChapter> = chapters.iter().filter(|c| skips_a_level(c)).collect();
    // The cover repeats the title page in pictures and has alt text of
    // bindery's making: it does not make the content visual.
    let visual = facts.images > 0;
    let all_described = facts.images_without_alt == 0;

    let mut access_modes = vec!["textual"];
    let mut sufficient = Vec::new();
    if visual {
        access_modes.push("visual");
        sufficient.push("textual,visual");
    }
    if all_described {
        sufficient.insert(0, "textual");
    }
    let mut features = vec!["tableOfContents", "readingOrder"];
    if has_headings {
        features.push("structuralNavigation");
    }
    if facts.images > 0 && all_described {
        features.push("alternativeText");
    }
    if has_math {
        features.push("MathML");
    }
    if has_pages {
        features.extend(["pageBreakMarkers", "pageNavigation", "printPageNumbers"]);
    }
    // bindery's stylesheet forces nothing; the author's may.
    if !author_style.present {
        features.push("displayTransformability");
    }

    let mut failures = Vec::new();
    if !all_described {
        failures.push(count(facts.images_without_alt, "image", "images") + " without alt text");
    }
    if let Some(first) = skipped.first() {
        failures.push(format!(
            "headings that skip a level in {} chapter{} (first: {})",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" },
            first.title
        ));
    }
    if facts.tables_without_headers > 0 {
        failures
            .push(count(facts.tables_without_headers, "table", "tables") + " without header cells");
    }
    let conforms_to = config.conformance.as_ref().and_then(|claim| {
        if failures.is_empty() {
            return Some(claim.value.statement());
        }
        warnings.push(
            Diagnostic::new(Code::UnmetAccessibilityClaim,
                format!(
                    "the book does not meet {}: {}",
                    claim.value.statement(),
                    failures.join("; ")
                ),
            )
            .in_file(manifest::FILE_NAME)
            .at(claim.span.clone())
            .with_help("fix what is listed, and bindery writes `dcterms:conformsTo`; until then the claim is left out"),
        );
        None
    });

    // Text and still images cannot flash or move; what moves, bindery
    // cannot judge.
    let hazards = if !config.hazards.is_empty() {
        config.hazards.clone()
    } else if moving_images > 0 || author_style.animates {
        vec!["unknown".to_string()]
    } else {
        vec!["none".to_string()]
    };
    let forces_style = author_style.sets_fonts || author_style.sets_colours;
    let summary = config.summary.clone().unwrap_or_else(|| {
        summary(
            &facts,
            has_math,
            has_headings,
            forces_style,
            conforms_to.as_deref(),
            locale,
        )
    });
    Accessibility {
        access_modes,
        sufficient,
        features,
        hazards,
        summary,
        conforms_to,
        certified_by: config.certified_by.clone(),
        certifier_credential: config.certifier_credential.clone(),
        exemption: config.exemption.clone(),
        page_source: has_pages.then(|| config.page_source.clone().unwrap_or_else(|| "none".into())),
    }
}

/// Whether a chapter's headings go down more than one level at a time
/// (an `h1` followed by an `h3`).
fn skips_a_level(chapter: &RenderedChapter) -> bool {
    chapter
        .headings
        .windows(2)
        .any(|pair| pair[1].level > pair[0].level + 1)
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A summary in plain words of what is true of this book, in its
/// language.
fn summary(
    facts: &ContentFacts,
    has_math: bool,
    has_headings: bool,
    forces_style: bool,
    conforms_to: Option<&str>,
    locale: &Locale,
) -> String {
    let mut sentences = vec![locale.label(if has_headings {
        Label::A11yStructureHeadings
    } else {
        Label::A11yStructure
    })];
    match (facts.images, facts.images_without_alt) {
        (0, _) => {}
        (images, 0) => sentences.push(locale.plural(Label::A11yImagesDescribed, images, &[])),
        (images, missing) => sentences.push(locale.plural(
            Label::A11yImagesMissing,
            missing,
            &[("total", &images.to_string())],
        )),
    }
    if has_math {
        sentences.push(locale.label(Label::A11yMath));
    }
    // Said only when true: the author's stylesheet may set fonts or colours.
    if !forces_style {
        sentences.push(locale.label(Label::A11yRestyle));
    }
    sentences.push(match conforms_to {
        Some(statement) => locale.format(Label::A11yConforms, &[("statement", statement)]),
        None => locale.label(Label::A11yNoClaim),
    });
    // Languages written without spaces between sentences join them so.
    let separator = if matches!(
        locale.facts().script.as_str(),
        "Jpan" | "Hans" | "Hant" | "Hani"
    ) {
        ""
    } else {
        " "
    };
    sentences.join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_author_stylesheet_is_read_for_fonts_colours_and_animation() {
        let style = AuthorStyle::of(
            "/* color: red */ h1 { margin: 0; COLOR : #336 }\n\
             a:hover { text-decoration: none }",
        );
        assert!(style.present && style.sets_colours);
        assert!(!style.sets_fonts && !style.animates);
        let style = AuthorStyle::of(
            "@font-face { font-family: X; src: url(x.woff2) }\n\
             @media (min-width: 40em) { p { animation: spin 1s } }",
        );
        assert!(style.sets_fonts && style.animates && !style.sets_colours);
        // Declarations that hand the choice back to the reader set nothing.
        let style = AuthorStyle::of("a { color: inherit; background: unset; animation: none }");
        assert!(style.present && !style.sets_colours && !style.animates);
        // A later rule that stops one animation does not stop another.
        let style = AuthorStyle::of("p { animation: spin 1s } em { animation: none }");
        assert!(style.animates);
        assert_eq!(AuthorStyle::of("  "), AuthorStyle::default());
    }
}
