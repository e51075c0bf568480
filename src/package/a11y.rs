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

/// Looks at the chapters and the manifest, and says what can be claimed.
/// A claimed conformance that bindery's checks refute is a warning in
/// `warnings`, and is not written.
pub fn assess(
    chapters: &[RenderedChapter],
    author_style: bool,
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
    if !author_style {
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

    let hazards = if config.hazards.is_empty() {
        vec!["none".to_string()]
    } else {
        config.hazards.clone()
    };
    let summary = config.summary.clone().unwrap_or_else(|| {
        summary(
            &facts,
            has_math,
            has_headings,
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
    sentences.push(locale.label(Label::A11yRestyle));
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
