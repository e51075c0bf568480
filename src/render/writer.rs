//! The second pass: events → one XHTML document.

use super::deferred::marker;
use super::error::{RenderError, RenderErrorKind};
use super::html::{self, Contains};
use super::links::{self, LinkTargets};
use super::scan::Scanned;
use super::{ContentFacts, Heading, RenderedChapter, title_from_file_name};
use crate::diag::{Code, Diagnostic, Policy};
use crate::epub_paths;
use crate::load::{AssetRef, BookRoot, Origin, SourceChapter};
use crate::locale::{Label, Locale};
use crate::manifest::Matter;
use crate::manifest::front::Direction;
use crate::manifest::kind::ChapterKind;
use crate::manifest::language;
use crate::xml::XmlWriter;
use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, LinkType, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// What every chapter's writer shares.
pub struct Context<'a> {
    pub root: &'a BookRoot,
    pub language: &'a str,
    /// The book's language: labels, quotes, direction.
    pub locale: &'a Locale,
    /// Every chapter's file. Not the other chapters' ids: links to them
    /// are written as markers and filled in later
    /// ([`super::deferred::fill_in`]).
    pub targets: &'a LinkTargets,
    /// How problems are rated: with `broken-links = "warn"` a link or
    /// image that cannot be resolved is a warning, and the link loses its
    /// target, the image becomes its alt text.
    pub policy: Policy,
    /// Whether an image is missing, as `load` finds (asked only with
    /// `broken-links = "warn"`).
    pub missing: super::IsMissing<'a>,
    /// The notes chapter's file, when footnotes go there rather than to
    /// the end of each chapter.
    pub notes_file: Option<&'a str>,
    /// For an mdBook: where links may lead besides its chapters.
    pub mdbook: Option<&'a crate::load::MdBookSite>,
}

/// How footnotes and their references point at each other.
struct NoteHrefs {
    /// The chapter's own file.
    chapter_file: String,
    /// The notes chapter's file, when the notes go there.
    notes_file: Option<String>,
    /// Put before each footnote's id, so that ids stay unique in the
    /// notes chapter.
    id_prefix: String,
}

impl NoteHrefs {
    /// A `#fragment` of the chapter, as seen from where its notes are.
    fn local(&self, href: &str) -> String {
        match self.notes_file {
            Some(_) => format!("{}{href}", self.chapter_file),
            None => href.to_string(),
        }
    }

    fn note_id(&self, id: &str) -> String {
        format!("{}{id}", self.id_prefix)
    }

    /// From a reference to its footnote.
    fn to_note(&self, id: &str) -> String {
        match &self.notes_file {
            Some(file) => format!("{file}#{}", self.note_id(id)),
            None => format!("#{id}"),
        }
    }
}

/// What writing one chapter gives.
#[derive(Clone)]
pub struct Written {
    pub chapter: Option<RenderedChapter>,
    pub errors: Vec<RenderError>,
    pub warnings: Vec<Diagnostic>,
    /// The chapter's own ids, found as it was written.
    pub own: Option<std::sync::Arc<links::Target>>,
    /// Links to ids in other chapters, by their marker's number, with
    /// where each is written in the chapter.
    pub deferred: Vec<(links::Deferred, Range<usize>)>,
}

struct PendingImage {
    src: String,
    title: String,
    alt: String,
    depth: usize,
}

struct CodeBlock {
    language: String,
    /// The other words of the info string (`ignore`, `should_panic` …),
    /// kept as classes as mdBook keeps them.
    classes: Vec<String>,
    text: String,
}

struct Writer<'c> {
    chapter: &'c SourceChapter,
    context: &'c Context<'c>,
    /// The chapter's language: the book's, or its own.
    locale: Locale,
    /// The link targets, with the chapter's own ids.
    lookups: links::Lookups<'c>,
    /// Links to ids in other chapters, written as markers for now.
    deferred: Vec<(links::Deferred, Range<usize>)>,
    /// The chapter's body.
    body: XmlWriter,
    /// Footnote bodies by label, while and after they are written.
    notes: BTreeMap<String, XmlWriter>,
    /// The footnote being written, if any.
    in_note: Option<String>,
    /// Where footnotes and references point.
    note_hrefs: NoteHrefs,
    /// References written inside notes, which go with them to the notes
    /// chapter.
    refs_in_notes: BTreeSet<String>,
    /// The ids of the chapter's footnotes.
    note_ids: BTreeSet<String>,
    /// How many references to each footnote have been written.
    note_refs_written: BTreeMap<String, usize>,
    headings_seen: usize,
    table_alignments: Vec<Alignment>,
    table_column: usize,
    in_table_head: bool,
    tbody_open: bool,
    image: Option<PendingImage>,
    raw_html: Option<String>,
    /// Whether the body holds raw HTML, so it must be parsed and written
    /// again as XHTML.
    has_html: bool,
    /// Where the first raw HTML is, for an error about all of it.
    first_html: Option<Range<usize>>,
    html_state: html::SnippetState,
    /// Text waiting to be written, so that a run split into several
    /// events is searched for autolinks as a whole.
    text_run: String,
    /// Where each piece of `text_run` came from: its offset in the run and
    /// its span in the source, to tell an escaped `\{{` from a marker.
    text_pieces: Vec<(usize, Range<usize>)>,
    /// The page markers written: (label, id).
    pages: Vec<(String, String)>,
    /// How many links are open (no autolinks inside a link).
    in_link: usize,
    /// The fenced or indented code block being collected, with its
    /// language: it is highlighted as a whole when it ends.
    code_block: Option<CodeBlock>,
    /// Whether the chapter holds a formula, written as MathML.
    has_math: bool,
    /// Whether the paragraph starting at this event is a lone image with
    /// a title, to be written as a figure.
    figure_next: bool,
    /// Whether the open paragraph is a figure.
    in_figure: bool,
    errors: Vec<RenderError>,
    warnings: Vec<Diagnostic>,
    assets: Vec<AssetRef>,
    /// Images left out because they are missing.
    missing_images: Vec<AssetRef>,
}

pub fn write_chapter(
    index: usize,
    chapter: &SourceChapter,
    mut scanned: Scanned<'_>,
    context: &Context<'_>,
) -> Written {
    let file = context.targets.get(&chapter.path);
    let lookups = links::Lookups::new(
        context.targets,
        &chapter.path,
        links::Target {
            file: file.map(|t| t.file.clone()).unwrap_or_default(),
            display: chapter.display.clone(),
            ids: std::mem::take(&mut scanned.ids),
            slugs: std::mem::take(&mut scanned.slugs),
        },
    );
    let own = lookups.get(&chapter.path);
    let file = own.map(|t| t.file.clone()).unwrap_or_default();
    let note_hrefs = NoteHrefs {
        chapter_file: file.clone(),
        notes_file: context.notes_file.map(str::to_string),
        id_prefix: match context.notes_file {
            Some(_) => format!("c{}-", index + 1),
            None => String::new(),
        },
    };
    let locale = match &chapter.language {
        Some(language) => context.locale.other(language),
        None => context.locale.clone(),
    };
    let mut w = Writer {
        chapter,
        context,
        locale,
        lookups,
        deferred: Vec::new(),
        body: XmlWriter::fragment(),
        notes: BTreeMap::new(),
        in_note: None,
        note_hrefs,
        refs_in_notes: BTreeSet::new(),
        note_ids: scanned.footnotes.values().map(|f| f.id.clone()).collect(),
        note_refs_written: BTreeMap::new(),
        headings_seen: 0,
        table_alignments: Vec::new(),
        table_column: 0,
        in_table_head: false,
        tbody_open: false,
        image: None,
        raw_html: None,
        has_html: false,
        first_html: None,
        html_state: html::SnippetState::default(),
        text_run: String::new(),
        text_pieces: Vec::new(),
        pages: Vec::new(),
        in_link: 0,
        code_block: None,
        has_math: false,
        figure_next: false,
        in_figure: false,
        errors: std::mem::take(&mut scanned.errors),
        warnings: std::mem::take(&mut scanned.warnings),
        assets: Vec::new(),
        missing_images: Vec::new(),
    };
    let figures = lone_titled_images(&scanned.events);
    for (index, (event, span)) in scanned.events.iter().enumerate() {
        w.figure_next = figures.contains(&index);
        w.event(event, span, &scanned);
    }
    w.flush_text();
    let headings: Vec<Heading> = scanned
        .headings
        .iter()
        .map(|h| Heading {
            level: h.level,
            id: h.id.clone(),
            text: h.text.trim().to_string(),
        })
        .collect();
    let min_level = headings.iter().map(|h| h.level).min();
    let first_heading_is_title = headings.first().is_some_and(|h| Some(h.level) == min_level);
    let title = chapter
        .title
        .clone()
        .or_else(|| {
            headings
                .first()
                .map(|h| h.text.clone())
                .filter(|t| !t.is_empty())
        })
        .unwrap_or_else(|| title_from_file_name(&chapter.path));
    let notes = w.finish_notes(&scanned);
    let language = chapter.language.as_deref().unwrap_or(context.language);
    let page = Page {
        // mdBook's `{{#title}}` names the page, not its entry in the contents.
        title: chapter
            .trace
            .as_ref()
            .and_then(|trace| trace.title.as_deref())
            .unwrap_or(&title),
        language,
        // Every page says its direction: the chapter's, else its
        // language's.
        dir: Some(chapter.dir.unwrap_or_else(|| direction_of(language))),
        matter: chapter.matter,
    };
    let depth = if w.has_html {
        nesting_depth(w.body.as_str()).max(nesting_depth(&notes))
    } else {
        0
    };
    if depth > MAX_HTML_DEPTH {
        let span = w.first_html.clone().unwrap_or(0..0);
        w.error(
            &span,
            RenderErrorKind::TooDeep {
                depth,
                limit: MAX_HTML_DEPTH,
            },
        );
    }
    let (body, notes) = if w.has_html && depth <= MAX_HTML_DEPTH {
        (html::to_xhtml(w.body.as_str()).0, html::to_xhtml(&notes).0)
    } else if w.has_html {
        (String::new(), String::new())
    } else {
        (w.body.as_str().to_string(), notes)
    };
    let (notes_here, notes_for_book) = match context.notes_file {
        _ if notes.is_empty() => (String::new(), String::new()),
        Some(_) => (String::new(), notes),
        None => (
            format!("<div class=\"footnotes\">\n<hr/>\n{notes}</div>\n"),
            String::new(),
        ),
    };
    let xhtml = document(&page, chapter.kind, &body, &notes_here);
    let (contains, tags) = TagCounts::of(&xhtml);
    let (_, note_tags) = TagCounts::of(&notes_for_book);
    let facts = ContentFacts {
        images: tags.images + note_tags.images,
        images_without_alt: w
            .warnings
            .iter()
            .filter(|d| d.code == Code::ImageWithoutAlt)
            .count(),
        tables_without_headers: tags.tables_without_headers + note_tags.tables_without_headers,
    };
    let assets = std::mem::take(&mut w.assets);
    let missing_images = std::mem::take(&mut w.missing_images);
    Written {
        chapter: w.errors.is_empty().then_some(RenderedChapter {
            file,
            title,
            matter: chapter.matter,
            headings,
            first_heading_is_title,
            xhtml: xhtml.into(),
            assets,
            missing_images,
            contains,
            notes: notes_for_book,
            language: chapter.language.clone(),
            kind: chapter.kind,
            facts,
            pages: std::mem::take(&mut w.pages),
            part: chapter.part.clone(),
            depth: chapter.depth,
            elsewhere: Vec::new(),
        }),
        errors: w.errors,
        warnings: w.warnings,
        own: Some(std::sync::Arc::new(w.lookups.into_own())),
        deferred: w.deferred,
    }
}

/// Files a problem as a warning or an error, as the book's policy rates
/// it (with `broken-links = "warn"`, a link or image that cannot be
/// resolved is a warning).
pub fn judge(
    error: RenderError,
    policy: Policy,
    warnings: &mut Vec<Diagnostic>,
    errors: &mut Vec<RenderError>,
) {
    if policy.is_fatal(&error) {
        errors.push(error);
    } else {
        warnings.push(policy.judge(&error));
    }
}

/// The deepest a chapter with raw HTML may nest its elements. The HTML
/// parser that reads it looks through the open elements at each new one,
/// so its work grows with the square of the depth: a thousand levels take
/// a moment, a hundred thousand minutes. No book nests a thousand deep.
pub const MAX_HTML_DEPTH: usize = 1000;

/// How deep the elements of an HTML fragment nest, counted from its tags
/// alone: each start tag opens a level, unless it is void (`<br>`) or
/// closes itself (`<br/>`), and each end tag closes one. Tags left open
/// count as open to the end, as a parser would keep them.
fn nesting_depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(offset) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        let start = at + offset + 1;
        let end = bytes
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| b == b'>'))
            .map_or(bytes.len(), |n| start + n);
        let tag = &bytes[start..end];
        at = end;
        match tag.first() {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_len = tag
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .unwrap_or(tag.len());
                let name = std::str::from_utf8(&tag[..name_len]).unwrap_or("");
                let void = VOID.iter().any(|v| v.eq_ignore_ascii_case(name));
                if !void && tag.last() != Some(&b'/') {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    deepest
}

/// The notes chapter: every chapter's footnotes under the chapter's
/// title, in reading order.
pub fn notes_chapter(chapters: &[RenderedChapter], title: &str, language: &str) -> RenderedChapter {
    let mut w = XmlWriter::fragment();
    w.element("h1", &[("id", "notes")], title);
    w.newline();
    let mut headings = vec![Heading {
        level: 1,
        id: "notes".into(),
        text: title.to_string(),
    }];
    for (index, chapter) in chapters.iter().enumerate() {
        if chapter.notes.is_empty() {
            continue;
        }
        let id = format!("notes-c{}", index + 1);
        let mut attributes = vec![("id", id.as_str())];
        if let Some(language) = &chapter.language {
            attributes.extend([("xml:lang", language.as_str()), ("lang", language.as_str())]);
            let rtl = language::is_right_to_left(language);
            attributes.push(("dir", if rtl { "rtl" } else { "ltr" }));
        }
        w.start("section", &attributes);
        w.newline();
        // The chapter's title leads back to the chapter.
        w.start("h2", &[]);
        w.element("a", &[("href", &chapter.file)], &chapter.title);
        w.end("h2");
        w.newline();
        w.raw(&chapter.notes);
        w.end("section");
        w.newline();
        headings.push(Heading {
            level: 2,
            id,
            text: chapter.title.clone(),
        });
    }
    let page = Page {
        title,
        language,
        dir: Some(direction_of(language)),
        matter: Matter::Back,
    };
    let xhtml = document_of(
        &page,
        Some(("endnotes", Some("doc-endnotes"))),
        w.as_str(),
        "",
    );
    RenderedChapter {
        file: epub_paths::NOTES_FILE.to_string(),
        title: title.to_string(),
        matter: Matter::Back,
        headings,
        first_heading_is_title: true,
        contains: Contains::of(&xhtml),
        xhtml: xhtml.into(),
        assets: Vec::new(),
        missing_images: Vec::new(),
        notes: String::new(),
        language: None,
        kind: ChapterKind::chapter(),
        facts: ContentFacts::default(),
        pages: Vec::new(),
        part: None,
        depth: 0,
        elsewhere: Vec::new(),
    }
}

/// A part's title page, the `number`th of the book.
pub fn part_page(number: usize, title: &str, language: &str) -> RenderedChapter {
    let mut w = XmlWriter::fragment();
    w.element("h1", &[("class", "part-title")], title);
    w.newline();
    let page = Page {
        title,
        language,
        dir: Some(direction_of(language)),
        matter: Matter::Body,
    };
    let kind = ChapterKind::named("part").unwrap_or_else(ChapterKind::chapter);
    let xhtml = document(&page, kind, w.as_str(), "");
    RenderedChapter {
        file: epub_paths::part_file(number),
        title: title.to_string(),
        matter: Matter::Body,
        headings: vec![Heading {
            level: 1,
            id: String::new(),
            text: title.to_string(),
        }],
        first_heading_is_title: true,
        contains: Contains::of(&xhtml),
        xhtml: xhtml.into(),
        assets: Vec::new(),
        missing_images: Vec::new(),
        notes: String::new(),
        language: None,
        kind,
        facts: ContentFacts::default(),
        pages: Vec::new(),
        part: Some(title.to_string()),
        depth: 0,
        elsewhere: Vec::new(),
    }
}

/// The page markers in a run of text: `{{page 12}}`, with the label (digits,
/// letters, `.` and `-`, such as `xii` or `12a`).
fn page_markers(text: &str) -> Vec<(Range<usize>, &str)> {
    const OPEN: &str = "{{page ";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(OPEN) {
        let start = from + at;
        let rest = &text[start + OPEN.len()..];
        let label_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
            .unwrap_or(rest.len());
        let label = &rest[..label_len];
        if !label.is_empty() && rest[label_len..].starts_with("}}") {
            let end = start + OPEN.len() + label_len + 2;
            found.push((start..end, label));
            from = end;
        } else {
            from = start + OPEN.len();
        }
    }
    found
}

/// The events that start a paragraph holding nothing but an image with a
/// title: that image is a figure, and its title the caption.
fn lone_titled_images(events: &[(Event<'_>, Range<usize>)]) -> BTreeSet<usize> {
    let mut figures = BTreeSet::new();
    for (index, pair) in events.windows(2).enumerate() {
        let (Event::Start(Tag::Paragraph), Event::Start(Tag::Image { title, .. })) =
            (&pair[0].0, &pair[1].0)
        else {
            continue;
        };
        if title.trim().is_empty() {
            continue;
        }
        // The image's end, then the paragraph's, with nothing between.
        let mut depth = 0usize;
        let end = events[index + 1..]
            .iter()
            .position(|(event, _)| match event {
                Event::Start(Tag::Image { .. }) => {
                    depth += 1;
                    false
                }
                Event::End(TagEnd::Image) => {
                    depth -= 1;
                    depth == 0
                }
                _ => false,
            });
        if let Some(end) = end
            && matches!(
                events.get(index + 1 + end + 1),
                Some((Event::End(TagEnd::Paragraph), _))
            )
        {
            figures.insert(index);
        }
    }
    figures
}

/// How many tables in a document have no header cell. Exact enough for
/// XHTML bindery wrote: every `<` in text is escaped.
/// What a chapter's XHTML holds, counted in one pass over its tags (the
/// XHTML of a code-heavy chapter is large, and each separate search
/// would read all of it again).
#[derive(Debug, Default, PartialEq, Eq)]
struct TagCounts {
    images: usize,
    tables_without_headers: usize,
}

impl TagCounts {
    fn of(xhtml: &str) -> (Contains, TagCounts) {
        let mut contains = Contains::default();
        let mut counts = TagCounts::default();
        // Whether the table open now has a header cell yet.
        let mut table: Option<bool> = None;
        for (at, _) in xhtml.match_indices('<') {
            let rest = &xhtml.as_bytes()[at + 1..];
            let name_end = rest
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            match &rest[..name_end] {
                b"img" => counts.images += 1,
                b"svg" => contains.svg = true,
                b"math" => contains.mathml = true,
                b"table" => table = Some(false),
                b"th" => table = table.map(|_| true),
                _ if rest.starts_with(b"/table>") => {
                    if table == Some(false) {
                        counts.tables_without_headers += 1;
                    }
                    table = None;
                }
                _ => {}
            }
        }
        (contains, counts)
    }
}

/// What a footnote's link back to its reference shows: ↩ as text.
const BACK_ARROW: &str = "\u{21a9}\u{fe0e}";

/// The longest word of code kept on one line: a longer one (a path, an
/// address) may be broken, or it could not fit a phone's line.
const UNBROKEN_CODE_WORD: usize = 30;

/// Code in a line of text. A word of it with a hyphen inside, such as
/// `--preprocessors` or `2-methods.md`, is kept on one line: engines break
/// lines after hyphens, and `--` at the end of one line with
/// `preprocessors` on the next reads as two words.
fn inline_code(w: &mut XmlWriter, code: &str) {
    w.start("code", &[]);
    let mut rest = code;
    while !rest.is_empty() {
        let space = rest.len() - rest.trim_start().len();
        let (spaces, after) = rest.split_at(space);
        w.text(spaces);
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        let (word, after) = after.split_at(end);
        if word.len() > 1 && word.contains('-') && word.chars().count() <= UNBROKEN_CODE_WORD {
            w.element("span", &[("class", "nobreak")], word);
        } else {
            w.text(word);
        }
        rest = after;
    }
    w.end("code");
}

/// The class and the title of a GitHub-style admonition (`> [!NOTE]`),
/// the title in the chapter's language.
fn admonition(kind: BlockQuoteKind, locale: &Locale) -> (&'static str, String) {
    let (class, label) = match kind {
        BlockQuoteKind::Note => ("note", Label::Note),
        BlockQuoteKind::Tip => ("tip", Label::Tip),
        BlockQuoteKind::Important => ("important", Label::Important),
        BlockQuoteKind::Warning => ("warning", Label::Warning),
        BlockQuoteKind::Caution => ("caution", Label::Caution),
    };
    (class, locale.label(label))
}

/// The direction a language is written in.
fn direction_of(language: &str) -> Direction {
    if language::is_right_to_left(language) {
        Direction::Rtl
    } else {
        Direction::Ltr
    }
}

/// What a chapter's document says about itself.
#[derive(Clone, Copy)]
struct Page<'a> {
    title: &'a str,
    language: &'a str,
    dir: Option<Direction>,
    matter: Matter,
}

/// Wraps a chapter's body in its XHTML document.
fn document(page: &Page<'_>, kind: ChapterKind, body: &str, notes: &str) -> String {
    let section = match (kind.name, page.matter) {
        // An ordinary chapter is a chapter only in the body of the book.
        ("chapter", Matter::Body) => Some((kind.name, kind.role)),
        ("chapter", _) => None,
        _ => Some((kind.name, kind.role)),
    };
    document_of(page, section, body, notes)
}

/// [`document`], with the section's `epub:type` and role.
fn document_of(
    page: &Page<'_>,
    section: Option<(&str, Option<&str>)>,
    body: &str,
    notes: &str,
) -> String {
    let Page {
        title,
        language,
        dir,
        matter,
    } = *page;
    let mut w = XmlWriter::new();
    w.reserve(body.len() + notes.len() + 1024);
    let dir = dir.map(Direction::as_str);
    let stylesheet = epub_paths::STYLESHEET_FROM_TEXT;
    w.xhtml_start(title, language, dir, stylesheet, matter.epub_type());
    match section {
        Some((epub_type, Some(role))) => {
            w.start("section", &[("epub:type", epub_type), ("role", role)])
        }
        Some((epub_type, None)) => w.start("section", &[("epub:type", epub_type)]),
        None => w.start("section", &[]),
    }
    w.newline();
    w.raw(body);
    w.raw(notes);
    w.raw("</section>\n</body>\n</html>\n");
    w.finish()
}

impl Writer<'_> {
    fn out(&mut self) -> &mut XmlWriter {
        match &self.in_note {
            Some(label) => self
                .notes
                .entry(label.clone())
                .or_insert_with(XmlWriter::fragment),
            None => &mut self.body,
        }
    }

    fn error(&mut self, span: &Range<usize>, kind: RenderErrorKind) {
        let error = RenderError {
            file: self.chapter.display.clone(),
            span: span.clone(),
            kind,
        };
        judge(
            error,
            self.context.policy,
            &mut self.warnings,
            &mut self.errors,
        );
    }

    fn event(&mut self, event: &Event<'_>, span: &Range<usize>, scanned: &Scanned<'_>) {
        if let Some(block) = &mut self.code_block {
            match event {
                Event::Text(text) => block.text.push_str(text),
                Event::End(TagEnd::CodeBlock) => self.finish_code_block(),
                _ => {}
            }
            return;
        }
        if self.image.is_none() && self.raw_html.is_none() {
            if let Event::Text(text) = event {
                self.text_pieces.push((self.text_run.len(), span.clone()));
                self.text_run.push_str(text);
                return;
            }
            self.flush_text();
        }
        if let Some(image) = &mut self.image {
            match event {
                Event::Start(Tag::Image { .. }) => image.depth += 1,
                Event::End(TagEnd::Image) if image.depth > 0 => image.depth -= 1,
                Event::End(TagEnd::Image) => self.finish_image(span),
                Event::Text(text) | Event::Code(text) => image.alt.push_str(text),
                Event::SoftBreak | Event::HardBreak => image.alt.push(' '),
                _ => {}
            }
            return;
        }
        if let Some(raw) = &mut self.raw_html {
            match event {
                Event::Html(text) => raw.push_str(text),
                Event::End(TagEnd::HtmlBlock) => {
                    let raw = self.raw_html.take().unwrap_or_default();
                    self.raw_html_text(&raw, span, true);
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, span, scanned),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) => self.out().text(text),
            Event::Code(text) => inline_code(self.out(), text),
            Event::InlineMath(tex) => self.math(tex, false, span),
            Event::DisplayMath(tex) => self.math(tex, true, span),
            Event::Html(text) | Event::InlineHtml(text) => self.raw_html_text(text, span, false),
            Event::FootnoteReference(label) => self.footnote_reference(label, scanned),
            Event::SoftBreak => self.out().newline(),
            Event::HardBreak => {
                self.out().empty("br", &[]);
                self.out().newline();
            }
            Event::Rule => {
                self.out().empty("hr", &[]);
                self.out().newline();
            }
            Event::TaskListMarker(checked) => {
                // A form field needs a name for screen readers (and Ace):
                // the state, since the item's text follows.
                let mut attrs = vec![("type", "checkbox"), ("disabled", "disabled")];
                let label = self.locale.label(if *checked {
                    Label::TaskDone
                } else {
                    Label::TaskNotDone
                });
                if *checked {
                    attrs.push(("checked", "checked"));
                }
                attrs.push(("aria-label", &label));
                self.out().empty("input", &attrs);
                self.out().text(" ");
            }
        }
    }

    fn start(&mut self, tag: &Tag<'_>, span: &Range<usize>, scanned: &Scanned<'_>) {
        match tag {
            Tag::Paragraph if self.figure_next => {
                self.in_figure = true;
                self.out().start("figure", &[]);
            }
            Tag::Paragraph => self.out().start("p", &[]),
            Tag::Heading {
                level,
                classes,
                attrs,
                ..
            } => {
                let id = scanned
                    .headings
                    .get(self.headings_seen)
                    .map(|h| h.id.clone())
                    .unwrap_or_default();
                self.headings_seen += 1;
                let class = classes
                    .iter()
                    .map(|c| c.as_ref())
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut attributes: Vec<(&str, &str)> = vec![("id", &id)];
                if !class.is_empty() {
                    attributes.push(("class", &class));
                }
                let mut kept: Vec<(String, String)> = Vec::new();
                for (name, value) in attrs {
                    let allowed = name.starts_with("data-") && name.len() > 5
                        || matches!(name.as_ref(), "title" | "dir");
                    if allowed && crate::xml::is_ncname(name) {
                        kept.push((name.to_string(), value.as_deref().unwrap_or("").to_string()));
                    } else {
                        self.warnings.push(
                            Diagnostic::new(Code::HeadingAttributeLeftOut, format!("heading attribute `{name}` is left out"))
                                .in_file(self.chapter.display.clone())
                                .at(span.clone())
                                .with_help("headings keep an id, classes, `title`, `dir` and `data-*` attributes"),
                        );
                    }
                }
                attributes.extend(kept.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                let name = format!("h{}", *level as u8);
                self.out().start(&name, &attributes);
            }
            Tag::BlockQuote(None) => {
                self.out().start("blockquote", &[]);
                self.out().newline();
            }
            Tag::BlockQuote(Some(kind)) => {
                let (class, title) = admonition(*kind, &self.locale);
                let class = format!("admonition {class}");
                let role = if *kind == BlockQuoteKind::Tip {
                    "doc-tip"
                } else {
                    "note"
                };
                self.out()
                    .start("aside", &[("class", &class), ("role", role)]);
                self.out().newline();
                self.out()
                    .element("p", &[("class", "admonition-title")], &title);
                self.out().newline();
            }
            Tag::CodeBlock(kind) => {
                let (language, classes) = match kind {
                    CodeBlockKind::Fenced(info) => info_words(info),
                    CodeBlockKind::Indented => (String::new(), Vec::new()),
                };
                self.code_block = Some(CodeBlock {
                    language,
                    classes,
                    text: String::new(),
                });
            }
            Tag::HtmlBlock => self.raw_html = Some(String::new()),
            Tag::List(Some(start)) => {
                let start = start.to_string();
                if start == "1" {
                    self.out().start("ol", &[]);
                } else {
                    self.out().start("ol", &[("start", &start)]);
                }
                self.out().newline();
            }
            Tag::List(None) => {
                self.out().start("ul", &[]);
                self.out().newline();
            }
            Tag::Item => self.out().start("li", &[]),
            Tag::FootnoteDefinition(label) => self.in_note = Some(label.to_string()),
            Tag::DefinitionList => {
                self.out().start("dl", &[]);
                self.out().newline();
            }
            Tag::DefinitionListTitle => self.out().start("dt", &[]),
            Tag::DefinitionListDefinition => self.out().start("dd", &[]),
            Tag::Table(alignments) => {
                self.table_alignments = alignments.clone();
                self.tbody_open = false;
                // The wrapper scrolls a table too wide for the page, rather
                // than let its last columns be cut off.
                self.out().start("div", &[("class", html::TABLE_WRAPPER)]);
                self.out().newline();
                self.out().start("table", &[]);
                self.out().newline();
            }
            Tag::TableHead => {
                self.in_table_head = true;
                self.table_column = 0;
                self.out().raw("<thead>\n<tr>");
            }
            Tag::TableRow => {
                self.table_column = 0;
                if !self.tbody_open {
                    self.tbody_open = true;
                    self.out().raw("<tbody>\n");
                }
                self.out().start("tr", &[]);
            }
            Tag::TableCell => {
                let name = if self.in_table_head { "th" } else { "td" };
                let class = match self.table_alignments.get(self.table_column) {
                    Some(Alignment::Left) => Some("align-left"),
                    Some(Alignment::Center) => Some("align-center"),
                    Some(Alignment::Right) => Some("align-right"),
                    _ => None,
                };
                match class {
                    Some(class) => self.out().start(name, &[("class", class)]),
                    None => self.out().start(name, &[]),
                }
            }
            Tag::Emphasis => self.out().start("em", &[]),
            Tag::Strong => self.out().start("strong", &[]),
            Tag::Strikethrough => self.out().start("del", &[]),
            Tag::Superscript => self.out().start("sup", &[]),
            Tag::Subscript => self.out().start("sub", &[]),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let href = if *link_type == LinkType::Email {
                    Ok(crate::url::encode_url(&format!("mailto:{dest_url}")))
                } else {
                    self.resolve_link(dest_url, span)
                };
                let href = match href {
                    Ok(href) => href,
                    Err(kind) => {
                        self.error(span, kind);
                        String::new()
                    }
                };
                let mut attrs: Vec<(&str, &str)> = Vec::new();
                if !href.is_empty() {
                    attrs.push(("href", &href));
                }
                if !title.is_empty() {
                    attrs.push(("title", title));
                }
                self.out().start("a", &attrs);
                self.in_link += 1;
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let src = self.image_source(dest_url, span);
                self.image = Some(PendingImage {
                    src,
                    title: title.to_string(),
                    alt: String::new(),
                    depth: 0,
                });
            }
            Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        // Inline HTML stays inside its block.
        if matches!(
            tag,
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::TableCell
                | TagEnd::Item
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::FootnoteDefinition
        ) {
            let closing = self.html_state.close_inline();
            self.out().raw(&closing);
        }
        match tag {
            TagEnd::Paragraph if self.in_figure => {
                self.in_figure = false;
                self.out().end("figure");
                self.out().newline();
            }
            TagEnd::Paragraph => {
                self.out().end("p");
                self.out().newline();
            }
            TagEnd::Heading(level) => {
                self.out().end(&format!("h{}", level as u8));
                self.out().newline();
            }
            TagEnd::BlockQuote(None) => {
                self.out().end("blockquote");
                self.out().newline();
            }
            TagEnd::BlockQuote(Some(_)) => {
                self.out().end("aside");
                self.out().newline();
            }
            TagEnd::CodeBlock => self.finish_code_block(),
            TagEnd::HtmlBlock => {}
            TagEnd::List(ordered) => {
                self.out().end(if ordered { "ol" } else { "ul" });
                self.out().newline();
            }
            TagEnd::Item => {
                self.out().end("li");
                self.out().newline();
            }
            TagEnd::FootnoteDefinition => self.in_note = None,
            TagEnd::DefinitionList => {
                self.out().end("dl");
                self.out().newline();
            }
            TagEnd::DefinitionListTitle => {
                self.out().end("dt");
                self.out().newline();
            }
            TagEnd::DefinitionListDefinition => {
                self.out().end("dd");
                self.out().newline();
            }
            TagEnd::Table => {
                if self.tbody_open {
                    self.out().raw("</tbody>\n");
                }
                self.out().end("table");
                self.out().newline();
                self.out().end("div");
                self.out().newline();
            }
            TagEnd::TableHead => {
                self.in_table_head = false;
                self.out().raw("</tr>\n</thead>\n");
            }
            TagEnd::TableRow => {
                self.out().end("tr");
                self.out().newline();
            }
            TagEnd::TableCell => {
                let name = if self.in_table_head { "th" } else { "td" };
                self.out().end(name);
                self.table_column += 1;
            }
            TagEnd::Emphasis => self.out().end("em"),
            TagEnd::Strong => self.out().end("strong"),
            TagEnd::Strikethrough => self.out().end("del"),
            TagEnd::Superscript => self.out().end("sup"),
            TagEnd::Subscript => self.out().end("sub"),
            TagEnd::Link => {
                self.in_link = self.in_link.saturating_sub(1);
                self.out().end("a");
            }
            TagEnd::Image | TagEnd::MetadataBlock(_) => {}
        }
    }

    /// A link's target in the EPUB. A link to this chapter's own headings
    /// written in a footnote that goes to the notes chapter names the file.
    fn resolve_link(&mut self, dest: &str, span: &Range<usize>) -> Result<String, RenderErrorKind> {
        let href = links::resolve(
            dest,
            &self.chapter.path,
            self.context.root,
            &self.lookups,
            self.context.mdbook,
        )?;
        let href = match href {
            links::Href::Ready(href) => href,
            links::Href::Later(deferred) => {
                self.deferred.push((deferred, span.clone()));
                return Ok(marker(self.deferred.len() - 1));
            }
        };
        // With the notes in the notes chapter, a link to a note goes there.
        if let (Some(file), Some(id)) = (&self.note_hrefs.notes_file, href.strip_prefix('#'))
            && self.note_ids.contains(id)
        {
            return Ok(format!("{file}#{}", self.note_hrefs.note_id(id)));
        }
        Ok(if self.in_note.is_some() && href.starts_with('#') {
            self.note_hrefs.local(&href)
        } else {
            href
        })
    }

    /// Writes a collected code block, highlighted when its language is
    /// known, with a label above it when its info string says it does
    /// not compile, panics or misbehaves.
    fn finish_code_block(&mut self) {
        let Some(block) = self.code_block.take() else {
            return;
        };
        // What the code does, said in words above it: a reader of the
        // EPUB cannot run it to find out.
        let marked = block.classes.iter().find_map(|c| code_label(c));
        if let Some((class, label)) = marked {
            let class = format!("code-label {class}");
            let text = self.locale.label(label);
            self.out().element("p", &[("class", &class)], &text);
            self.out().newline();
        }
        match marked {
            Some((class, _)) => self.out().start("pre", &[("class", class)]),
            None => self.out().start("pre", &[]),
        }
        let mut class = match block.language.is_empty() {
            true => String::new(),
            false => format!("language-{}", block.language),
        };
        for word in &block.classes {
            if !class.is_empty() {
                class.push(' ');
            }
            class.push_str(word);
        }
        if class.is_empty() {
            self.out().start("code", &[]);
        } else {
            self.out().start("code", &[("class", &class)]);
        }
        match super::highlight::highlight(&block.language, &block.text) {
            Some(html) => self.out().raw(&html),
            None => self.out().text(&block.text),
        }
        self.out().raw("</code></pre>\n");
    }

    /// Writes a formula as MathML; one that does not parse is an error
    /// pointing at the place in the formula.
    fn math(&mut self, tex: &str, display: bool, span: &Range<usize>) {
        match super::math::to_mathml(tex, display) {
            Ok(mathml) => {
                self.has_math = true;
                self.out().raw(&mathml);
            }
            Err(err) => {
                let source = &self.chapter.text[span.clone()];
                let tex_start = source.find(tex).map_or(span.start, |i| span.start + i);
                let at = err.offset.map_or(span.clone(), |offset| {
                    let start = (tex_start + offset).min(span.end);
                    // Under the whole command, when it is one.
                    let rest = &self.chapter.text[start..span.end];
                    let command = match rest.strip_prefix('\\') {
                        Some(name) => {
                            1 + name
                                .find(|c: char| !c.is_ascii_alphabetic())
                                .unwrap_or(name.len())
                                .max(1)
                        }
                        None => 1,
                    };
                    start..(start + command).min(span.end)
                });
                self.error(
                    &at,
                    RenderErrorKind::BadMath {
                        tex: tex.split_whitespace().collect::<Vec<_>>().join(" "),
                        message: err.message,
                    },
                );
                self.out().text(tex);
            }
        }
    }

    /// Writes the waiting text, with GFM's extended autolinks.
    fn flush_text(&mut self) {
        if self.text_run.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text_run);
        let pieces = std::mem::take(&mut self.text_pieces);
        let mut written = 0;
        for (range, label) in page_markers(&text) {
            // `\{{page 1}}`: the text after an escaped brace starts right
            // after an odd number of backslashes in the source.
            let escaped = pieces
                .iter()
                .rev()
                .find(|(offset, _)| *offset <= range.start)
                .is_some_and(|(offset, span)| {
                    let before = &self.chapter.text.as_bytes()[..span.start];
                    let backslashes = before.iter().rev().take_while(|&&b| b == b'\\').count();
                    *offset == range.start && backslashes % 2 == 1
                });
            if escaped {
                continue;
            }
            self.write_text_run(&text[written..range.start]);
            self.page_marker(label);
            written = range.end;
        }
        self.write_text_run(&text[written..]);
    }

    /// A page of the print edition starts here.
    fn page_marker(&mut self, label: &str) {
        let id = format!("page-{label}");
        let id = if crate::xml::is_ncname(&id) {
            id
        } else {
            format!("page-{}", self.pages.len() + 1)
        };
        let written = self.pages.iter().any(|(_, taken)| *taken == id);
        let id = if written {
            format!("{id}-{}", self.pages.len() + 1)
        } else {
            id
        };
        self.out().empty(
            "span",
            &[
                ("epub:type", "pagebreak"),
                ("role", "doc-pagebreak"),
                ("id", &id),
                ("aria-label", label),
            ],
        );
        self.pages.push((label.to_string(), id));
    }

    /// Writes text, with GFM's extended autolinks outside links.
    fn write_text_run(&mut self, text: &str) {
        if self.in_link > 0 {
            self.out().text(text);
            return;
        }
        let mut written = 0;
        for (range, href) in super::autolink::find(text) {
            // Autolinks have a scheme: they never wait for another chapter.
            let Ok(href) = self.resolve_link(&href, &(0..0)) else {
                continue;
            };
            self.out().text(&text[written..range.start]);
            self.out()
                .element("a", &[("href", &href)], &text[range.clone()]);
            written = range.end;
        }
        self.out().text(&text[written..]);
    }

    /// Resolves an image path and asks `load` for the file.
    fn image_source(&mut self, dest: &str, span: &Range<usize>) -> String {
        if crate::url::has_scheme(dest) || dest.starts_with("//") {
            self.error(
                span,
                RenderErrorKind::RemoteImage {
                    url: dest.to_string(),
                },
            );
            return String::new();
        }
        let decoded = crate::url::percent_decode(dest.split(['#', '?']).next().unwrap_or(""));
        match self
            .context
            .root
            .resolve(&self.chapter.path.parent(), &decoded)
        {
            Ok(path) if self.context.policy.lenient_links && (self.context.missing)(&path) => {
                self.missing_images.push(AssetRef {
                    path,
                    origin: Origin::chapter(&self.chapter.display, span.clone()),
                });
                String::new()
            }
            Ok(path) => {
                let src = format!(
                    "../{}",
                    epub_paths::asset_file(&self.context.root.display(&path))
                );
                self.assets.push(AssetRef {
                    path,
                    origin: Origin::chapter(&self.chapter.display, span.clone()),
                });
                src
            }
            Err(problem) => {
                self.error(
                    span,
                    RenderErrorKind::BadPath {
                        path: decoded,
                        problem,
                    },
                );
                String::new()
            }
        }
    }

    fn finish_image(&mut self, span: &Range<usize>) {
        let Some(image) = self.image.take() else {
            return;
        };
        if image.alt.trim().is_empty() {
            self.warnings.push(
                Diagnostic::new(Code::ImageWithoutAlt, "image without alt text")
                    .in_file(self.chapter.display.clone())
                    .at(span.clone())
                    .with_help("describe the image between the brackets: `![a red kite over the hill](kite.jpg)`"),
            );
        }
        if image.src.is_empty() {
            self.out()
                .element("span", &[("class", "missing-image")], &image.alt);
            return;
        }
        // An image the author did not describe has no `alt` at all:
        // `alt=""` would tell screen readers it is decoration.
        let mut attrs: Vec<(&str, &str)> = vec![("src", &image.src)];
        if !image.alt.trim().is_empty() {
            attrs.push(("alt", &image.alt));
        }
        if self.in_figure {
            // The title is the caption: shown, not a tooltip.
            self.out().empty("img", &attrs);
            self.out().element("figcaption", &[], &image.title);
            return;
        }
        if !image.title.is_empty() {
            attrs.push(("title", &image.title));
        }
        self.out().empty("img", &attrs);
    }

    /// Raw HTML: comments are dropped; anything else is rewritten with
    /// resolved references and parsed again with the whole body at the end.
    fn raw_html_text(&mut self, raw: &str, span: &Range<usize>, block: bool) {
        if html::is_only_comments(raw) {
            return;
        }
        self.has_html = true;
        self.first_html.get_or_insert_with(|| span.clone());
        let mut state = std::mem::take(&mut self.html_state);
        let rewritten =
            html::rewrite_snippet(raw, !block, &mut state, &mut Host { writer: self, span });
        self.html_state = state;
        self.out().raw(&rewritten);
    }

    fn footnote_reference(&mut self, label: &str, scanned: &Scanned<'_>) {
        let Some(ids) = scanned.footnotes.get(label) else {
            self.out().text(&format!("[^{label}]"));
            return;
        };
        let number = scanned
            .note_order
            .iter()
            .position(|l| l == label)
            .map_or(0, |i| i + 1)
            .to_string();
        let written = self.note_refs_written.entry(label.to_string()).or_default();
        let mut ref_id = ids.refs.get(*written).cloned().unwrap_or_default();
        *written += 1;
        // A reference inside a note that goes to the notes chapter lives
        // there, among every chapter's notes: its id gets the chapter's prefix.
        if self.in_note.is_some() && self.note_hrefs.notes_file.is_some() {
            self.refs_in_notes.insert(ref_id.clone());
            ref_id = self.note_hrefs.note_id(&ref_id);
        }
        let href = self.note_hrefs.to_note(&ids.id);
        self.out().start("sup", &[]);
        self.out().element(
            "a",
            &[
                ("epub:type", "noteref"),
                ("role", "doc-noteref"),
                ("id", &ref_id),
                ("href", &href),
            ],
            &number,
        );
        self.out().end("sup");
    }

    /// The footnotes, in the order they are first referred to.
    fn finish_notes(&mut self, scanned: &Scanned<'_>) -> String {
        for label in scanned.footnotes.keys() {
            if !scanned.note_order.contains(label) {
                let span = scanned
                    .events
                    .iter()
                    .find(|(e, _)| matches!(e, Event::Start(Tag::FootnoteDefinition(l)) if l.as_ref() == label))
                    .map(|(_, s)| s.start..s.start + label.len() + 4);
                self.warnings.push(
                    Diagnostic::new(
                        Code::UnusedFootnote,
                        format!("footnote `{label}` is never referred to"),
                    )
                    .in_file(self.chapter.display.clone())
                    .at_opt(span)
                    .with_help(format!("refer to it with `[^{label}]`, or remove it")),
                );
            }
        }
        if scanned.note_order.is_empty() {
            return String::new();
        }
        // The notes are numbered by the list, outside each note: a reading
        // system that shows a note in a pop-up shows its text alone.
        let mut w = XmlWriter::fragment();
        w.start("ol", &[("class", "footnote-list")]);
        w.newline();
        for label in &scanned.note_order {
            let Some(ids) = scanned.footnotes.get(label) else {
                continue;
            };
            let id = self.note_hrefs.note_id(&ids.id);
            w.start("li", &[]);
            w.start(
                "aside",
                &[
                    ("epub:type", "footnote"),
                    ("role", "doc-footnote"),
                    ("id", &id),
                ],
            );
            w.newline();
            let mut back = XmlWriter::fragment();
            // A no-break space keeps the first arrow on the line of the
            // words it follows.
            back.text("\u{a0}");
            for (i, ref_id) in ids.refs.iter().enumerate() {
                if i > 0 {
                    back.text(" ");
                }
                let href = if self.refs_in_notes.contains(ref_id) {
                    format!("#{}", self.note_hrefs.note_id(ref_id))
                } else {
                    self.note_hrefs.local(&format!("#{ref_id}"))
                };
                // U+FE0E asks for the arrow as text, not as an emoji.
                let text = if i == 0 {
                    BACK_ARROW.to_string()
                } else {
                    format!("{BACK_ARROW}{}", i + 1)
                };
                let label = self
                    .locale
                    .format(Label::BackToReference, &[("number", &(i + 1).to_string())]);
                back.element(
                    "a",
                    &[
                        ("href", &href),
                        ("role", "doc-backlink"),
                        ("aria-label", &label),
                    ],
                    &text,
                );
            }
            // The back-links end the note's last paragraph, or follow its
            // last block in a paragraph of their own.
            let body = self.notes.get(label).map_or("", XmlWriter::as_str);
            match body.trim_end().strip_suffix("</p>") {
                Some(paragraphs) => {
                    w.raw(paragraphs);
                    w.raw(back.as_str());
                    w.raw("</p>\n");
                }
                None => {
                    w.raw(body);
                    w.start("p", &[]);
                    w.raw(back.as_str());
                    w.end("p");
                    w.newline();
                }
            }
            w.end("aside");
            w.end("li");
            w.newline();
        }
        w.end("ol");
        w.newline();
        w.finish()
    }
}

/// Lets a raw HTML snippet resolve references and report problems at
/// the snippet's position.
struct Host<'w, 'c> {
    writer: &'w mut Writer<'c>,
    span: &'w Range<usize>,
}

impl html::SnippetHost for Host<'_, '_> {
    fn link(&mut self, href: &str) -> Option<String> {
        let w = &mut *self.writer;
        match w.resolve_link(href, self.span) {
            Ok(href) => Some(href),
            Err(kind) => {
                w.error(self.span, kind);
                None
            }
        }
    }

    fn image(&mut self, src: &str) -> Option<String> {
        let src = self.writer.image_source(src, self.span);
        (!src.is_empty()).then_some(src)
    }

    fn warn(&mut self, code: Code, message: String, help: &'static str) {
        let w = &mut *self.writer;
        w.warnings.push(
            Diagnostic::new(code, message)
                .in_file(w.chapter.display.clone())
                .at(self.span.clone())
                .with_help(help),
        );
    }
}

/// The language of a fenced code block and the other words of its info
/// string, as mdBook reads them: words are split at commas and spaces
/// (`rust,ignore` and `rust ignore`), up to a `{` of attributes. A word
/// that could not be a class name is left out.
fn info_words(info: &str) -> (String, Vec<String>) {
    let info = info.split('{').next().unwrap_or_default();
    let mut words = info
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty());
    let language = words.next().unwrap_or_default().to_string();
    let mut classes: Vec<String> = Vec::new();
    for word in words {
        let is_class = word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '#'));
        if is_class && !classes.iter().any(|c| c == word) {
            classes.push(word.to_string());
        }
    }
    (language, classes)
}

/// The label for a block marked as code that fails, from the words
/// rustdoc and the Rust books use: the class the `<pre>` and the label
/// get, and the label's text.
fn code_label(word: &str) -> Option<(&'static str, Label)> {
    match word {
        "does_not_compile" | "compile_fail" => {
            Some(("does-not-compile", Label::CodeDoesNotCompile))
        }
        "panics" | "should_panic" => Some(("panics", Label::CodePanics)),
        "not_desired_behavior" => Some(("not-desired-behavior", Label::CodeNotDesired)),
        _ => None,
    }
}

#[cfg(test)]
mod tag_count_tests {
    use super::*;

    #[test]
    fn nesting_is_counted_from_the_tags() {
        assert_eq!(nesting_depth("text"), 0);
        assert_eq!(nesting_depth("<p>a<br>b<br/><img src=\"x>y\"/></p>"), 1);
        assert_eq!(
            nesting_depth("<div><div><p>x</p></div><!-- <a> --></div>"),
            3
        );
        assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(nesting_depth("</p></p><b>"), 1);
        assert_eq!(nesting_depth("<BR><Hr>a < b"), 0);
    }

    #[test]
    fn one_pass_counts_images_tables_and_foreign_content() {
        let (contains, counts) = TagCounts::of(
            "<p><img src=\"a\"/><imgx/></p><table><tr><td>1</td></tr></table>\
             <table><tr><th>h</th></tr></table><svg></svg><p>&lt;math</p>",
        );
        assert_eq!(counts.images, 1);
        assert_eq!(counts.tables_without_headers, 1);
        assert!(contains.svg);
        assert!(!contains.mathml);
        let (contains, _) = TagCounts::of("<math><mi>x</mi></math>");
        assert!(contains.mathml);
    }
}
