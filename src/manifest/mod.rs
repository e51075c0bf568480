//! `book.toml` → [`Manifest`]: the first stage of the pipeline.
//!
//! The text is parsed into toml's spanned document and walked by hand, so
//! that every problem carries its span, all problems are reported at once,
//! and an unknown key gets a did-you-mean hint (see `docs/decisions.md`).
//! This stage reads no files: [`parse`] takes the text.

pub mod download;
mod error;
pub mod front;
pub mod kind;
pub mod language;
pub mod license;
pub mod mdbook;
pub mod mdbook_epub;
pub mod publishing;
pub mod relators;
mod walk;

pub use error::ManifestError;
pub use license::KnownLicense;

use crate::diag::{Code, Diagnostic, Policy};
use std::ops::Range;
use walk::{Table, Walker};

/// The name of the manifest file.
pub const FILE_NAME: &str = "book.toml";

/// A parsed and validated `book.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The `[book]` table.
    pub book: BookMeta,
    /// The `[[chapters]]` list, or `None` to take every `chapters/*.md`.
    pub chapters: Option<Vec<ChapterEntry>>,
    /// The `[toc]` table.
    pub toc: TocConfig,
    /// The `[markdown]` table.
    pub markdown: MarkdownConfig,
    /// The `[notes]` table.
    pub notes: NotesConfig,
    /// The `[accessibility]` table.
    pub accessibility: publishing::AccessibilityConfig,
    /// The `[style]` table.
    pub style: StyleConfig,
    /// What an mdBook project's manifest adds: its source folder, numbering,
    /// preprocessors. `None` for a bindery manifest.
    pub mdbook: Option<mdbook::MdBookConfig>,
    /// The `[download]` table: the download page `bindery site` writes.
    pub download: download::DownloadConfig,
    /// The `[labels]` table: the book's own words for what bindery
    /// writes itself, by label key (see [`crate::locale::Label`]).
    pub labels: std::collections::BTreeMap<String, String>,
}

impl Manifest {
    /// How this book rates the problems it may treat lightly:
    /// `broken-links = "warn"`. Whether warnings are denied is up to
    /// whoever builds it.
    pub fn policy(&self) -> Policy {
        Policy {
            lenient_links: self.markdown.broken_links == BrokenLinks::Warn,
            deny_warnings: false,
        }
    }
}

/// The `[style]` table: the author's stylesheets and fonts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StyleConfig {
    /// Stylesheets, added after bindery's, in order.
    pub css: Vec<Located<String>>,
    /// Fonts to embed, each with an `@font-face` rule.
    pub fonts: Vec<FontEntry>,
    /// The font the drawn cover is set in, before the bundled one.
    pub cover_font: Option<Located<String>>,
}

/// One font of `[style] fonts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontEntry {
    /// The font file.
    pub file: Located<String>,
    /// The family name CSS refers to it by.
    pub family: String,
    /// Its weight, 1 to 1000 (400 regular, 700 bold).
    pub weight: u16,
    /// `normal` or `italic`.
    pub style: String,
}

/// The `[notes]` table: where footnotes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesConfig {
    /// At the end of each chapter, or in one notes chapter.
    pub placement: NotesPlacement,
    /// The title of the notes chapter; default: the `notes` label in the
    /// book's language.
    pub title: Option<String>,
}

impl Default for NotesConfig {
    fn default() -> Self {
        NotesConfig {
            placement: NotesPlacement::Chapter,
            title: None,
        }
    }
}

/// `placement`: where a chapter's footnotes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotesPlacement {
    /// At the end of the chapter (the default).
    #[default]
    Chapter,
    /// In one notes chapter at the end of the book, grouped by chapter.
    Book,
}

/// The `[markdown]` table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MarkdownConfig {
    /// What a link or image that cannot be resolved is.
    pub broken_links: BrokenLinks,
}

/// `broken-links`: whether a link or image that leads nowhere stops the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BrokenLinks {
    /// An error (the default): an EPUB never holds a dead link.
    #[default]
    Error,
    /// A warning: the link keeps its text but loses its target, an image
    /// is replaced by its alt text. For converting old material.
    Warn,
}

/// The book's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookMeta {
    /// The title.
    pub title: String,
    /// Where the title is written in `book.toml`; `None` when it was not
    /// (an mdBook titled by its folder's name).
    pub title_span: Option<Range<usize>>,
    /// The subtitle.
    pub subtitle: Option<String>,
    /// Authors first (from `authors`), then `[[book.contributors]]`.
    pub contributors: Vec<Contributor>,
    /// BCP 47 language tag.
    pub language: String,
    /// The unique identifier as written, if one was given.
    pub identifier: Option<String>,
    /// The publisher.
    pub publisher: Option<String>,
    /// Date of publication.
    pub date: Option<PubDate>,
    /// A description or blurb.
    pub description: Option<String>,
    /// Subjects or keywords.
    pub subjects: Vec<String>,
    /// An SPDX licence expression.
    pub license: Option<License>,
    /// A free-text rights statement.
    pub rights: Option<String>,
    /// The cover image's path, relative to the book folder.
    pub cover: Option<Located<String>>,
    /// The ISBN.
    pub isbn: Option<publishing::Isbn>,
    /// The DOI, as `10.…/…`.
    pub doi: Option<String>,
    /// The book's address on the web.
    pub url: Option<String>,
    /// The series the book belongs to.
    pub series: Option<publishing::Series>,
    /// The direction pages turn in, when `direction` gives it; see
    /// [`BookMeta::page_direction`].
    pub direction: Option<crate::locale::TextDirection>,
    /// Horizontal lines, or vertical ones (Chinese, Japanese, Korean).
    pub writing_mode: publishing::WritingMode,
    /// The edition's version, such as `1.2.0`: for file names and the
    /// download page.
    pub version: Option<String>,
}

impl BookMeta {
    /// The authors' names, in order.
    pub fn authors(&self) -> impl Iterator<Item = &str> {
        self.contributors
            .iter()
            .filter(|c| c.is_author())
            .map(|c| c.name.as_str())
    }

    /// The publisher, unless it is also one of the authors, as when an
    /// institute writes and publishes its own report: the title page and
    /// the drawn cover then name it once, as the author.
    pub fn publisher_apart_from_authors(&self) -> Option<&str> {
        let publisher = self.publisher.as_deref()?;
        let same = |a: &str, b: &str| {
            a.split_whitespace()
                .map(str::to_lowercase)
                .eq(b.split_whitespace().map(str::to_lowercase))
        };
        (!self.authors().any(|author| same(author, publisher))).then_some(publisher)
    }

    /// The text the drawn cover shows: the title, the subtitle, the
    /// authors, and the publisher unless it is one of them.
    pub fn on_cover(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.title.as_str())
            .chain(self.subtitle.as_deref())
            .chain(self.authors())
            .chain(self.publisher_apart_from_authors())
    }

    /// The direction pages turn in: `direction`, else right to left for
    /// vertical lines and for a language written right to left, else left
    /// to right.
    pub fn page_direction(&self) -> crate::locale::TextDirection {
        use crate::locale::{LanguageFacts, TextDirection};
        match self.direction {
            Some(direction) => direction,
            None if self.writing_mode == publishing::WritingMode::VerticalRl => {
                crate::locale::TextDirection::Rtl
            }
            None if LanguageFacts::of(&self.language).direction == TextDirection::Rtl => {
                crate::locale::TextDirection::Rtl
            }
            None => crate::locale::TextDirection::Ltr,
        }
    }
}

/// A value with the span it came from in `book.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Its byte span in `book.toml`.
    pub span: Range<usize>,
}

/// Someone who made the book, with a MARC relator role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contributor {
    /// The name as it is displayed.
    pub name: String,
    /// MARC relator code, such as `aut` or `edt`.
    pub role: String,
    /// The name as it is sorted, such as "Writer, A.".
    pub file_as: Option<String>,
}

impl Contributor {
    /// Whether this is one of the book's authors.
    pub fn is_author(&self) -> bool {
        self.role == "aut"
    }
}

/// A licence: the SPDX expression, and its name and text when bindery knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct License {
    /// The expression as written.
    pub spdx: String,
    /// The licence, when the expression is a single id bindery knows.
    pub known: Option<&'static KnownLicense>,
}

impl License {
    /// Whether it gives the work to the public domain (CC0 and its kin),
    /// so that nobody is named as holding rights in it.
    pub fn is_public_domain(&self) -> bool {
        ["CC0-1.0", "CC-PDDC", "PDDL-1.0", "Unlicense"]
            .iter()
            .any(|id| self.spdx.trim().eq_ignore_ascii_case(id))
    }
}

/// A publication date: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PubDate {
    /// The year.
    pub year: u16,
    /// The month, 1–12.
    pub month: Option<u8>,
    /// The day of the month.
    pub day: Option<u8>,
}

impl PubDate {
    /// The year, month and day, as [`crate::time::Timestamp::of_build`]
    /// takes them.
    pub fn fields(self) -> (i64, Option<u8>, Option<u8>) {
        (i64::from(self.year), self.month, self.day)
    }
}

impl std::fmt::Display for PubDate {
    /// W3CDTF, as `dc:date` wants it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
            if let Some(day) = self.day {
                write!(f, "-{day:02}")?;
            }
        }
        Ok(())
    }
}

/// One `[[chapters]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterEntry {
    /// The Markdown file, relative to the book folder.
    pub file: Located<String>,
    /// A title that replaces the chapter's first heading.
    pub title: Option<String>,
    /// Where the chapter sits in the book, when the entry says.
    pub matter: Option<Matter>,
    /// What the chapter is (preface, appendix …), when the entry says.
    pub kind: Option<kind::ChapterKind>,
    /// The title of the part the chapter belongs to.
    pub part: Option<String>,
}

/// Front, body or back matter (EPUB 3 Structural Semantics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Matter {
    /// Before the main text: preface, foreword …
    Front,
    /// The main text.
    #[default]
    Body,
    /// After the main text: appendix, notes …
    Back,
}

impl Matter {
    /// The `epub:type` of the matter.
    pub fn epub_type(self) -> &'static str {
        match self {
            Matter::Front => "frontmatter",
            Matter::Body => "bodymatter",
            Matter::Back => "backmatter",
        }
    }
}

/// The `[toc]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocConfig {
    /// How many levels the table of contents shows: 1 is chapters only.
    pub depth: u8,
    /// The heading of the table of contents; default: the `contents`
    /// label in the book's language.
    pub title: Option<String>,
    /// Whether the table of contents is also a page of the book; `None`
    /// when the manifest does not say, and the book decides: a book of one
    /// chapter has no contents page in its reading order.
    pub in_book: Option<bool>,
}

impl Default for TocConfig {
    fn default() -> Self {
        TocConfig {
            depth: 2,
            title: None,
            in_book: None,
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "book",
    "chapters",
    "toc",
    "markdown",
    "notes",
    "accessibility",
    "style",
    "download",
    "labels",
];
const STYLE_KEYS: &[&str] = &["css", "fonts", "cover-font"];
const FONT_KEYS: &[&str] = &["file", "family", "weight", "style"];
const NOTES_KEYS: &[&str] = &["placement", "title"];
const MARKDOWN_KEYS: &[&str] = &["broken-links"];
const BOOK_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "authors",
    "contributors",
    "language",
    "identifier",
    "publisher",
    "date",
    "description",
    "subjects",
    "license",
    "rights",
    "cover",
    "isbn",
    "doi",
    "url",
    "series",
    "direction",
    "writing-mode",
    "version",
];
const CONTRIBUTOR_KEYS: &[&str] = &["name", "role", "file-as"];
const CHAPTER_KEYS: &[&str] = &["file", "title", "matter", "type", "part"];
const TOC_KEYS: &[&str] = &["depth", "title", "in-book"];

/// Parses and validates a manifest. Warnings (such as an unknown licence
/// id) are pushed to `warnings`; errors are all returned together.
///
/// ```
/// let mut warnings = Vec::new();
/// let manifest = bindery::manifest::parse(
///     "[book]\ntitle = \"Borders\"\nlanguage = \"en\"\n",
///     &mut warnings,
/// )
/// .unwrap();
/// assert_eq!(manifest.book.title, "Borders");
/// assert_eq!(manifest.toc.depth, 2);
/// ```
pub fn parse(text: &str, warnings: &mut Vec<Diagnostic>) -> Result<Manifest, Vec<ManifestError>> {
    let document = match toml::de::DeTable::parse(text) {
        Ok(document) => document,
        Err(error) => {
            return Err(vec![ManifestError::Syntax {
                message: syntax_message(error.message()),
                span: error.span(),
            }]);
        }
    };
    let mut walker = Walker::default();
    let top = Table::new(document.get_ref(), "top level", document.span());
    walker.check_keys(&top, TOP_KEYS);

    let book = match walker.table(&top, "book") {
        Some(book_table) => read_book(&mut walker, &book_table, warnings),
        None => {
            walker.errors.push(ManifestError::MissingKey {
                key: "title",
                table: "book".into(),
                span: None,
            });
            walker.errors.push(ManifestError::MissingKey {
                key: "language",
                table: "book".into(),
                span: None,
            });
            None
        }
    };
    let chapters = walker.array_of_tables(&top, "chapters").map(|tables| {
        tables
            .iter()
            .filter_map(|table| read_chapter(&mut walker, table))
            .collect()
    });
    let toc = match walker.table(&top, "toc") {
        Some(table) => read_toc(&mut walker, &table),
        None => TocConfig::default(),
    };

    let markdown = match walker.table(&top, "markdown") {
        Some(table) => read_markdown(&mut walker, &table),
        None => MarkdownConfig::default(),
    };

    let notes = match walker.table(&top, "notes") {
        Some(table) => read_notes(&mut walker, &table),
        None => NotesConfig::default(),
    };

    let accessibility = match walker.table(&top, "accessibility") {
        Some(table) => publishing::read_accessibility(&mut walker, &table),
        None => publishing::AccessibilityConfig::default(),
    };

    let style = match walker.table(&top, "style") {
        Some(table) => read_style(&mut walker, &table),
        None => StyleConfig::default(),
    };

    let download = match walker.table(&top, "download") {
        Some(table) => download::read_download(&mut walker, &table),
        None => download::DownloadConfig::default(),
    };

    let labels = match walker.table(&top, "labels") {
        Some(table) => read_labels(&mut walker, &table),
        None => Default::default(),
    };

    let mut errors = walker.errors;
    if errors.is_empty()
        && let Some(book) = book
    {
        return Ok(Manifest {
            book,
            chapters,
            toc,
            markdown,
            notes,
            accessibility,
            style,
            mdbook: None,
            download,
            labels,
        });
    }
    errors.sort_by_key(|e| match e {
        ManifestError::Syntax { span, .. } | ManifestError::MissingKey { span, .. } => {
            span.as_ref().map_or(0, |s| s.start)
        }
        ManifestError::UnknownKey { span, .. }
        | ManifestError::WrongType { span, .. }
        | ManifestError::InvalidValue { span, .. } => span.start,
    });
    Err(errors)
}

/// toml's messages end with a newline and sometimes start with a capital.
fn syntax_message(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => format!("invalid TOML: {}{}", first.to_lowercase(), chars.as_str()),
        None => "invalid TOML".to_string(),
    }
}

fn read_book(
    walker: &mut Walker,
    table: &Table<'_, '_>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<BookMeta> {
    walker.check_keys(table, BOOK_KEYS);
    let title = walker.required_string(table, "title");
    let language = walker
        .required_string(table, "language")
        .and_then(|lang| read_language(walker, lang));
    let rest = read_book_rest(walker, table, warnings);
    let language = language?;
    let writing_mode = publishing::read_writing_mode(walker, table, &language);
    let title = title?;
    Some(BookMeta {
        title: title.value,
        title_span: Some(title.span),
        language,
        writing_mode: writing_mode.unwrap_or_default(),
        ..rest
    })
}

/// A language tag, if it is well formed.
fn read_language(walker: &mut Walker, lang: Located<String>) -> Option<String> {
    if language::is_well_formed(&lang.value) {
        Some(lang.value)
    } else {
        walker
            .errors
            .push(language::invalid(&lang.value, lang.span));
        None
    }
}

/// Every key of `[book]` but `title` and `language`, which are left empty.
fn read_book_rest(
    walker: &mut Walker,
    table: &Table<'_, '_>,
    warnings: &mut Vec<Diagnostic>,
) -> BookMeta {
    let mut contributors: Vec<Contributor> = walker
        .string_array(table, "authors")
        .into_iter()
        .map(|name| Contributor {
            name: name.value,
            role: "aut".into(),
            file_as: None,
        })
        .collect();
    if let Some(tables) = walker.array_of_tables(table, "contributors") {
        contributors.extend(tables.iter().filter_map(|t| read_contributor(walker, t)));
    }

    let date = walker.date(table, "date");
    let license = walker.string(table, "license").and_then(|lic| {
        let text = lic.value.trim().to_string();
        if !license::is_expression(&text) {
            walker.errors.push(ManifestError::InvalidValue {
                code: Code::BadLicence,
                message: format!("`{text}` is not an SPDX licence id"),
                help: "use an SPDX id such as `CC-BY-4.0`, or put free text in `rights`".into(),
                span: lic.span,
            });
            return None;
        }
        let known = license::find(&text);
        let single_id = !text.contains(char::is_whitespace) && !text.contains('(');
        if single_id && known.is_none() {
            let help = match crate::diag::did_you_mean(&text, license::LICENSES.iter().map(|l| l.id)) {
                Some(id) => format!("did you mean `{id}`? Otherwise check the id against the SPDX licence list"),
                None => "check the id against the SPDX licence list; bindery writes it without a name or link".into(),
            };
            warnings.push(
                Diagnostic::new(Code::UnknownSpdxId, format!("unknown SPDX licence id `{text}`"))
                    .in_file(FILE_NAME)
                    .at(lic.span.clone())
                    .with_help(help),
            );
        }
        Some(License { spdx: text, known })
    });

    BookMeta {
        title: String::new(),
        title_span: None,
        subtitle: walker.string(table, "subtitle").map(|s| s.value),
        contributors,
        language: String::new(),
        identifier: walker.string(table, "identifier").map(|s| s.value),
        publisher: walker.string(table, "publisher").map(|s| s.value),
        date,
        description: walker.string(table, "description").map(|s| s.value),
        subjects: walker
            .string_array(table, "subjects")
            .into_iter()
            .map(|s| s.value)
            .collect(),
        license,
        rights: walker.string(table, "rights").map(|s| s.value),
        cover: walker.string(table, "cover"),
        isbn: publishing::read_isbn(walker, table),
        doi: publishing::read_doi(walker, table),
        url: publishing::read_url(walker, table),
        series: publishing::read_series(walker, table),
        direction: publishing::read_direction(walker, table),
        writing_mode: publishing::WritingMode::default(),
        version: download::read_version(walker, table),
    }
}

fn read_contributor(walker: &mut Walker, table: &Table<'_, '_>) -> Option<Contributor> {
    walker.check_keys(table, CONTRIBUTOR_KEYS);
    let name = walker.required_string(table, "name");
    let role = match walker.string(table, "role") {
        None => "ctb".to_string(),
        Some(role) => {
            let code = role.value.trim().to_ascii_lowercase();
            if relators::RELATORS
                .binary_search_by(|(c, _)| (*c).cmp(code.as_str()))
                .is_ok()
            {
                code
            } else {
                let by_term = relators::RELATORS
                    .iter()
                    .find(|(_, term)| term.eq_ignore_ascii_case(role.value.trim()))
                    .map(|(c, _)| *c);
                let suggestion = by_term.or_else(|| {
                    crate::diag::did_you_mean(&code, relators::RELATORS.iter().map(|(c, _)| *c))
                });
                walker.errors.push(ManifestError::InvalidValue {
                    code: Code::UnknownRole,
                    message: format!("`{}` is not a MARC relator code", role.value),
                    help: match suggestion {
                        Some(code) => format!("did you mean `{code}`? Roles are three-letter MARC relator codes such as `aut`, `edt`, `trl`, `ill`"),
                        None => "use a three-letter MARC relator code such as `aut`, `edt`, `trl` or `ill`".into(),
                    },
                    span: role.span,
                });
                return None;
            }
        }
    };
    Some(Contributor {
        name: name?.value,
        role,
        file_as: walker.string(table, "file-as").map(|s| s.value),
    })
}

fn read_chapter(walker: &mut Walker, table: &Table<'_, '_>) -> Option<ChapterEntry> {
    walker.check_keys(table, CHAPTER_KEYS);
    let file = walker.required_string(table, "file");
    let title = walker.string(table, "title").map(|s| s.value);
    let matter = read_matter(walker, table);
    let kind = kind::read_kind(walker, table);
    let part = walker.string(table, "part").map(|s| s.value);
    Some(ChapterEntry {
        file: file?,
        title,
        matter,
        kind,
        part,
    })
}

/// The `matter` key of a chapter entry or a chapter's front matter.
fn read_matter(walker: &mut Walker, table: &Table<'_, '_>) -> Option<Matter> {
    let matter = walker.string(table, "matter")?;
    let words = [
        ("front", Matter::Front, ""),
        ("body", Matter::Body, ""),
        ("back", Matter::Back, ""),
    ];
    walker.one_of(matter, Code::BadMatter, "a kind of matter", &words)
}

fn read_toc(walker: &mut Walker, table: &Table<'_, '_>) -> TocConfig {
    walker.check_keys(table, TOC_KEYS);
    let default = TocConfig::default();
    let depth = walker.integer(table, "depth").and_then(|d| {
        if (1..=6).contains(&d.value) {
            u8::try_from(d.value).ok()
        } else {
            walker.errors.push(ManifestError::InvalidValue {
                code: Code::TocDepthOutOfRange,
                message: format!("`depth` must be between 1 and 6, found {}", d.value),
                help: "1 lists chapters only, 2 adds their sections, and so on down to 6".into(),
                span: d.span,
            });
            None
        }
    });
    TocConfig {
        depth: depth.unwrap_or(default.depth),
        title: walker
            .string(table, "title")
            .map(|s| s.value)
            .or(default.title),
        in_book: walker.boolean(table, "in-book").or(default.in_book),
    }
}

fn read_markdown(walker: &mut Walker, table: &Table<'_, '_>) -> MarkdownConfig {
    walker.check_keys(table, MARKDOWN_KEYS);
    let words = [
        ("error", BrokenLinks::Error, "the default"),
        ("warn", BrokenLinks::Warn, ""),
    ];
    let broken_links = walker
        .string(table, "broken-links")
        .and_then(|value| {
            walker.one_of(
                value,
                Code::BadBrokenLinks,
                "a way to treat broken links",
                &words,
            )
        })
        .unwrap_or(BrokenLinks::Error);
    MarkdownConfig { broken_links }
}

fn read_style(walker: &mut Walker, table: &Table<'_, '_>) -> StyleConfig {
    walker.check_keys(table, STYLE_KEYS);
    let css = walker.string_array(table, "css");
    let fonts = walker
        .array_of_tables(table, "fonts")
        .unwrap_or_default()
        .iter()
        .filter_map(|font| {
            walker.check_keys(font, FONT_KEYS);
            let file = walker.required_string(font, "file");
            let family = walker.required_string(font, "family");
            let weight = match walker.integer(font, "weight") {
                None => Some(400),
                Some(w) => match u16::try_from(w.value) {
                    Ok(weight @ 1..=1000) => Some(weight),
                    _ => {
                        walker.errors.push(ManifestError::InvalidValue {
                            code: Code::BadFontStyle,
                            message: format!("`{}` is not a font weight", w.value),
                            help: "use a number from 1 to 1000: 400 is regular, 700 bold".into(),
                            span: w.span,
                        });
                        None
                    }
                },
            };
            let words = [("normal", "normal", ""), ("italic", "italic", "")];
            let style = match walker.string(font, "style") {
                None => Some("normal".to_string()),
                Some(style) => walker
                    .one_of(style, Code::BadFontStyle, "a font style", &words)
                    .map(str::to_string),
            };
            Some(FontEntry {
                file: file?,
                family: family?.value,
                weight: weight?,
                style: style?,
            })
        })
        .collect();
    StyleConfig {
        css,
        fonts,
        cover_font: walker.string(table, "cover-font"),
    }
}

/// Reads `[labels]`: each key a label of [`crate::locale::Label`], or
/// `role-` and a MARC relator code, each value a string.
fn read_labels(
    walker: &mut Walker,
    table: &Table<'_, '_>,
) -> std::collections::BTreeMap<String, String> {
    let keys = crate::locale::Label::KEYS;
    let mut labels = std::collections::BTreeMap::new();
    let mut unknown = Vec::new();
    for (key, _) in table.entries.iter() {
        let name: &str = key.get_ref();
        let role = name
            .strip_prefix("role-")
            .is_some_and(|code| relators::term(code).is_some());
        if keys.contains(&name) || role {
            if let Some(value) = walker.string(table, name) {
                labels.insert(name.to_string(), value.value);
            }
        } else {
            unknown.push((name.to_string(), key.span()));
        }
    }
    for (key, span) in unknown {
        let suggestion = crate::diag::did_you_mean(&key, keys.iter().copied());
        walker.errors.push(ManifestError::UnknownKey {
            key,
            table: table.name.clone(),
            span,
            suggestion,
        });
    }
    labels
}

fn read_notes(walker: &mut Walker, table: &Table<'_, '_>) -> NotesConfig {
    walker.check_keys(table, NOTES_KEYS);
    let default = NotesConfig::default();
    let words = [
        (
            "chapter",
            NotesPlacement::Chapter,
            "notes at the end of each chapter, the default",
        ),
        ("book", NotesPlacement::Book, "one notes chapter at the end"),
    ];
    let placement = walker
        .string(table, "placement")
        .and_then(|value| {
            walker.one_of(value, Code::BadNotesPlacement, "a place for notes", &words)
        })
        .unwrap_or(default.placement);
    NotesConfig {
        placement,
        title: walker
            .string(table, "title")
            .map(|t| t.value)
            .or(default.title),
    }
}

#[cfg(test)]
mod tests;
