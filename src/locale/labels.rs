//! The label files: one TOML file per language in `labels/`, compiled
//! in, read once per process.
//!
//! A file names its quotation marks and punctuation spaces, then its
//! labels. A label is a string with `{name}` placeholders, or, when it
//! counts something, a table of CLDR plural forms (`one`, `few`,
//! `other` …). A label a file lacks is taken from `en.toml`, which has
//! them all (a test makes sure).

use super::LanguageFacts;
use super::quotes::Quotes;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

macro_rules! labels {
    ($($variant:ident = $key:literal: $doc:literal,)*) => {
        /// Every text bindery writes itself, by its key in the label files
        /// and in `[labels]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Label {
            $(#[doc = $doc] $variant,)*
        }

        impl Label {
            /// Every label, in the order of `en.toml`.
            pub const ALL: &'static [Label] = &[$(Label::$variant,)*];
            /// Every key, in the same order.
            pub const KEYS: &'static [&'static str] = &[$($key,)*];

            /// The key in the label files and in `[labels]`.
            pub fn key(self) -> &'static str {
                match self {
                    $(Label::$variant => $key,)*
                }
            }
        }
    };
}

labels! {
    Contents = "contents": "The heading of the table of contents.",
    Landmarks = "landmarks": "The heading of the landmarks (hidden; read by assistive technology).",
    Pages = "pages": "The heading of the list of print pages (hidden).",
    Cover = "cover": "The cover page, in the landmarks.",
    TitlePage = "title-page": "The title page, in the landmarks.",
    StartOfReading = "start-of-reading": "Where the text begins, in the landmarks.",
    CoverAlt = "cover-alt": "The cover image's text alternative; `{title}`.",
    Notes = "notes": "The title of the notes chapter.",
    BackToReference = "back-to-reference": "A footnote's link back to where it is referred to; `{number}`.",
    TaskDone = "task-done": "A ticked task list item, for screen readers.",
    TaskNotDone = "task-not-done": "An unticked task list item.",
    Note = "note": "The title of a `[!NOTE]` admonition.",
    Tip = "tip": "The title of a `[!TIP]` admonition.",
    Important = "important": "The title of an `[!IMPORTANT]` admonition.",
    Warning = "warning": "The title of a `[!WARNING]` admonition.",
    Caution = "caution": "The title of a `[!CAUTION]` admonition.",
    CodeDoesNotCompile = "code-does-not-compile": "Above a code block marked `does_not_compile` or `compile_fail`.",
    CodePanics = "code-panics": "Above a code block marked `panics` or `should_panic`.",
    CodeNotDesired = "code-not-desired": "Above a code block marked `not_desired_behavior`.",
    Untitled = "untitled": "A chapter or heading without a title, in the contents.",
    License = "license": "`dc:rights` for a known licence; `{name}`, `{id}`, `{url}`.",
    LicenseOther = "license-other": "`dc:rights` for any other licence; `{license}`.",
    A11yStructure = "a11y-structure": "Summary: contents and reading order.",
    A11yStructureHeadings = "a11y-structure-headings": "Summary: contents, headings and reading order.",
    A11yImagesDescribed = "a11y-images-described": "Summary: every image has alt text; `{count}` (plural).",
    A11yImagesMissing = "a11y-images-missing": "Summary: `{count}` of `{total}` images lack alt text (plural).",
    A11yMath = "a11y-math": "Summary: formulas are MathML.",
    A11yRestyle = "a11y-restyle": "Summary: the reader may resize and restyle.",
    A11yConforms = "a11y-conforms": "Summary: the standard met; `{statement}`.",
    A11yNoClaim = "a11y-no-claim": "Summary: no claim of conformance.",
    SiteBy = "site-by": "The download page: who wrote the book; `{names}`.",
    SiteSummary = "site-summary": "The download page's description; `{title}`, `{names}`.",
    SiteSummaryAnonymous = "site-summary-anonymous": "The same, for a book without authors; `{title}`.",
    SiteAllBooks = "site-all-books": "A book's page in a catalogue: the link back to the catalogue.",
    SiteDownload = "site-download": "The heading of the download section.",
    SiteDownloadEpub = "site-download-epub": "The download button.",
    SiteEpubFile = "site-epub-file": "What the file is; `{size}` (\"1.2 MiB\"), `{bytes}` (`site-bytes`).",
    SiteBytes = "site-bytes": "A size in bytes; `{count}` (plural).",
    SiteAlsoAvailable = "site-also-available": "Links to other formats; `{formats}`.",
    SiteAbout = "site-about": "The heading of the list of the edition's details.",
    SitePublisher = "site-publisher": "Details: the publisher.",
    SitePublished = "site-published": "Details: the date of publication.",
    SiteVersion = "site-version": "Details: the edition's version.",
    SiteIdentifier = "site-identifier": "Details: the book's identifier.",
    SiteLanguage = "site-language": "Details: the book's language.",
    SiteLicence = "site-licence": "Details: the licence.",
    SiteSubjects = "site-subjects": "Details: the subjects.",
    SiteAccessibility = "site-accessibility": "Details: the accessibility summary.",
    DonationText = "donation-text": "The donation prompt, when `[download] donation-text` is not given.",
    DonationLabel = "donation-label": "The donation link, when `[download] donation-label` is not given.",
    DonationVoluntary = "donation-voluntary": "Said under every donation prompt: donating is not needed to download.",
    SitePublishedBy = "site-published-by": "The footer: the publisher; `{publisher}`.",
    SiteMadeWith = "site-made-with": "The footer: the tool.",
    SiteOpds = "site-opds": "The footer of a catalogue: the link to its OPDS feed.",
    SiteCatalogue = "site-catalogue": "The catalogue's title, when `--title` is not given.",
    SiteCatalogueDescription = "site-catalogue-description": "The catalogue's description; `{title}`.",
}

/// One language's file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LanguageFile {
    /// The language's own name for itself.
    pub name: String,
    /// Outer opening and closing marks, inner opening and closing marks.
    quotes: [String; 4],
    /// Put between a word and a following `;`, `!` or `?` (French).
    #[serde(default)]
    space_before_punctuation: Option<String>,
    /// Put between a word and a following `:` (French).
    #[serde(default)]
    space_before_colon: Option<String>,
    labels: BTreeMap<String, Text>,
    /// The file's tag, set when it is read.
    #[serde(skip)]
    pub tag: &'static str,
}

/// A label: one text, or one per plural form.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Text {
    One(String),
    Plural(BTreeMap<String, String>),
}

impl LanguageFile {
    /// A label's text, in the plural form `category` when it has forms.
    pub fn text(&self, key: &str, category: Option<&str>) -> Option<&str> {
        match self.labels.get(key)? {
            Text::One(text) => Some(text),
            Text::Plural(forms) => category
                .and_then(|c| forms.get(c))
                .or_else(|| forms.get("other"))
                .map(String::as_str),
        }
    }

    /// The keys the file gives, each once.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.labels.keys().map(String::as_str)
    }

    /// The plural forms a label is given in, if it is given by form.
    pub fn forms(&self, key: &str) -> Option<Vec<&str>> {
        match self.labels.get(key)? {
            Text::One(_) => None,
            Text::Plural(forms) => Some(forms.keys().map(String::as_str).collect()),
        }
    }

    /// The language's quotation marks and punctuation spaces.
    pub fn quotes(&self) -> Quotes {
        let [outer_open, outer_close, inner_open, inner_close] = self.quotes.clone();
        Quotes {
            outer: (outer_open, outer_close),
            inner: (inner_open, inner_close),
            before_punctuation: self.space_before_punctuation.clone(),
            before_colon: self.space_before_colon.clone(),
        }
    }
}

/// The label files, by tag: a language, or a language and script where
/// the script decides (`zh-Hans`, `zh-Hant`).
const FILES: &[(&str, &str)] = &[
    ("ar", include_str!("labels/ar.toml")),
    ("ca", include_str!("labels/ca.toml")),
    ("cs", include_str!("labels/cs.toml")),
    ("da", include_str!("labels/da.toml")),
    ("de", include_str!("labels/de.toml")),
    ("el", include_str!("labels/el.toml")),
    ("en", include_str!("labels/en.toml")),
    ("es", include_str!("labels/es.toml")),
    ("fa", include_str!("labels/fa.toml")),
    ("fi", include_str!("labels/fi.toml")),
    ("fr", include_str!("labels/fr.toml")),
    ("he", include_str!("labels/he.toml")),
    ("hi", include_str!("labels/hi.toml")),
    ("hu", include_str!("labels/hu.toml")),
    ("id", include_str!("labels/id.toml")),
    ("it", include_str!("labels/it.toml")),
    ("ja", include_str!("labels/ja.toml")),
    ("ko", include_str!("labels/ko.toml")),
    ("nb", include_str!("labels/nb.toml")),
    ("nl", include_str!("labels/nl.toml")),
    ("pl", include_str!("labels/pl.toml")),
    ("pt", include_str!("labels/pt.toml")),
    ("ro", include_str!("labels/ro.toml")),
    ("ru", include_str!("labels/ru.toml")),
    ("sv", include_str!("labels/sv.toml")),
    ("th", include_str!("labels/th.toml")),
    ("tr", include_str!("labels/tr.toml")),
    ("uk", include_str!("labels/uk.toml")),
    ("vi", include_str!("labels/vi.toml")),
    ("zh-Hans", include_str!("labels/zh-Hans.toml")),
    ("zh-Hant", include_str!("labels/zh-Hant.toml")),
];

/// Every label file, parsed; a file that does not parse is left out
/// (a test makes sure none is).
pub fn files() -> &'static [LanguageFile] {
    static FILES_READ: OnceLock<Vec<LanguageFile>> = OnceLock::new();
    FILES_READ.get_or_init(|| {
        FILES
            .iter()
            .filter_map(|(tag, text)| {
                let mut file: LanguageFile = toml::from_str(text).ok()?;
                file.tag = tag;
                Some(file)
            })
            .collect()
    })
}

/// Whether a label file does not parse: its tag and the reason.
#[cfg(test)]
pub fn broken_files() -> Vec<(&'static str, String)> {
    FILES
        .iter()
        .filter_map(|(tag, text)| {
            toml::from_str::<LanguageFile>(text)
                .err()
                .map(|e| (*tag, e.to_string()))
        })
        .collect()
}

/// The English file, which has every label.
pub fn english() -> &'static LanguageFile {
    static EMPTY: OnceLock<LanguageFile> = OnceLock::new();
    files().iter().find(|f| f.tag == "en").unwrap_or_else(|| {
        EMPTY.get_or_init(|| LanguageFile {
            name: "English".into(),
            quotes: ["“".into(), "”".into(), "‘".into(), "’".into()],
            space_before_punctuation: None,
            space_before_colon: None,
            labels: BTreeMap::new(),
            tag: "en",
        })
    })
}

/// The file for a tag: its language and script (`zh-Hant` for `zh-TW`),
/// else its language. Norwegian (`no`) is read as Bokmål.
pub fn find_file(facts: &LanguageFacts) -> Option<&'static LanguageFile> {
    let language = match facts.language.as_str() {
        "no" => "nb",
        other => other,
    };
    let with_script = format!("{language}-{}", facts.script);
    files()
        .iter()
        .find(|f| f.tag == with_script)
        .or_else(|| files().iter().find(|f| f.tag == language))
}
