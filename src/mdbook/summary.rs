//! mdBook's `SUMMARY.md`: the list of chapters, read the way mdBook reads
//! it, so that a book that builds with mdBook builds with bindery in the
//! same order, with the same numbers.
//!
//! The file is Markdown with a fixed shape:
//!
//! ```text
//! # Summary                      title: optional, ignored
//!
//! [Preface](preface.md)          prefix chapters: plain links, no number
//!
//! # Part title                   part titles: level-1 headings
//!
//! - [One](one.md)                numbered chapters: list items, nested by
//!   - [One, part two](one-b.md)  indentation; `- [Draft]()` is a draft
//!
//! ---                            separators
//!
//! [Appendix](appendix.md)        suffix chapters: plain links, no number
//! ```
//!
//! Like mdBook, the parser walks pulldown-cmark's events (CommonMark
//! without extensions), ignores what the shape does not mention (other
//! headings, HTML comments, text), and numbers the chapters on from part
//! to part: the first chapter of the second part follows the last of the
//! first, as in mdBook's `parse_parts`. Where mdBook quietly drops a
//! chapter or accepts something that cannot become a valid EPUB table of
//! contents, bindery reports an error instead; [`SummaryErrorKind`] lists
//! them.

use crate::diag::{Code, Diagnostic, ToDiagnostic};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

/// How deep numbered chapters may nest. Far beyond any real book, and low
/// enough that the recursion cannot exhaust the stack on hostile input
/// such as `- - - - …`.
const MAX_NESTING: usize = 64;

/// A parsed `SUMMARY.md`: its parts, chapters and separators in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Everything listed, in reading order.
    pub items: Vec<SummaryItem>,
    /// What mdBook reads without a word but is likely not what the author
    /// meant ([`SummaryErrorKind::SwallowedLine`]).
    pub warnings: Vec<SummaryError>,
}

/// One entry at the top level of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryItem {
    /// A part title: a level-1 heading between the numbered chapters.
    Part {
        /// Its text, without Markdown.
        title: String,
        /// The heading.
        span: Range<usize>,
    },
    /// A `---` line.
    Separator,
    /// A prefix, numbered or suffix chapter.
    Chapter(SummaryChapter),
}

/// A chapter named in the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryChapter {
    /// The link text, without Markdown: `[The *fast* path](x.md)` gives
    /// "The fast path".
    pub title: String,
    /// The file, relative to the book's `src` folder, as written (with
    /// `%20` read as a space, as mdBook does); `None` for a draft chapter
    /// (`[Title]()`), which has no file yet.
    pub path: Option<String>,
    /// The section number of a numbered chapter, `[2, 1]` for 2.1; `None`
    /// for prefix and suffix chapters.
    pub number: Option<Vec<u32>>,
    /// The chapters nested under this one.
    pub children: Vec<SummaryChapter>,
    /// The link.
    pub span: Range<usize>,
}

/// A problem in `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryError {
    /// Where in `SUMMARY.md`.
    pub span: Range<usize>,
    /// What is wrong.
    pub kind: SummaryErrorKind,
}

/// What is wrong with a `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SummaryErrorKind {
    /// A list item that does not start with a link.
    #[error("this list item is not a link to a chapter")]
    NotALink,
    /// A chapter link with no text.
    #[error("this chapter has no title")]
    EmptyTitle,
    /// A part heading with no text.
    #[error("this part has no title")]
    EmptyPartTitle,
    /// A list after the suffix chapters began: mdBook stops with "suffix
    /// chapters cannot be followed by a list".
    #[error("numbered chapters after the suffix chapters began")]
    ListAfterSuffix {
        /// The start of the paragraph that ended the numbered chapters.
        ended_by: String,
    },
    /// A part title after the suffix chapters began.
    #[error("a part title after the suffix chapters began")]
    PartAfterSuffix {
        /// The start of the paragraph that ended the numbered chapters.
        ended_by: String,
    },
    /// Something indented under a prefix or suffix chapter.
    #[error("{} chapters cannot have nested chapters", if *prefix { "prefix" } else { "suffix" })]
    NestedAffix {
        /// Under a prefix chapter (else a suffix chapter).
        prefix: bool,
    },
    /// A plain link right after a part title. mdBook skips it without a
    /// word, so the chapter would be missing from the book.
    #[error("a plain link after a part title is not a chapter")]
    LinkAfterPartTitle,
    /// The same file listed twice.
    #[error("`{path}` is listed twice")]
    Duplicate {
        /// The file as written the second time.
        path: String,
        /// Where it was listed first.
        first: Range<usize>,
    },
    /// Numbered chapters nested deeper than bindery follows.
    #[error("chapters are nested more than {MAX_NESTING} levels deep")]
    TooDeep,
    /// A link on a line of its own right under a list item, with no blank
    /// line between: Markdown reads it as the item's next line (a lazy
    /// continuation), so mdBook, and bindery, take only the item's first
    /// link and leave this chapter out. A warning.
    #[error("`{title}` is read as more text of the chapter above, not as a chapter")]
    SwallowedLine {
        /// The link's text.
        title: String,
    },
}

impl ToDiagnostic for SummaryError {
    fn code(&self) -> Code {
        match self.kind {
            SummaryErrorKind::NotALink => Code::SummaryItemNotALink,
            SummaryErrorKind::EmptyTitle | SummaryErrorKind::EmptyPartTitle => Code::MissingTitle,
            SummaryErrorKind::ListAfterSuffix { .. } | SummaryErrorKind::PartAfterSuffix { .. } => {
                Code::NumberedAfterSuffix
            }
            SummaryErrorKind::NestedAffix { .. } => Code::NestedAffixChapters,
            SummaryErrorKind::LinkAfterPartTitle => Code::LinkAfterPartTitle,
            SummaryErrorKind::Duplicate { .. } => Code::ListedTwiceInSummary,
            SummaryErrorKind::TooDeep => Code::SummaryTooDeep,
            SummaryErrorKind::SwallowedLine { .. } => Code::SummaryLineSwallowed,
        }
    }

    /// The problem, without the file: the summary does not know its
    /// name (`load` adds it).
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(self.code(), self.kind.to_string())
            .at(self.span.clone())
            .with_help(self.help())
    }
}

impl SummaryError {
    /// What to do about it.
    pub fn help(&self) -> String {
        match &self.kind {
            SummaryErrorKind::NotALink => {
                "write a chapter as `- [Title](file.md)`, or `- [Title]()` for a draft without a file".into()
            }
            SummaryErrorKind::EmptyTitle => {
                "write the chapter's title between the brackets: `[Title](file.md)`".into()
            }
            SummaryErrorKind::EmptyPartTitle => "write the part's title after the `#`".into(),
            SummaryErrorKind::ListAfterSuffix { ended_by } | SummaryErrorKind::PartAfterSuffix { ended_by } => {
                format!(
                    "`{ended_by}` is not a list item, so it ended the numbered chapters and began the suffix chapters; \
                     make it a list item (`- [Title](file.md)`) or move it after the last numbered chapter"
                )
            }
            SummaryErrorKind::NestedAffix { prefix: true } => {
                "prefix chapters all sit at the top level: remove the indentation, \
                 or make the outer chapter a numbered one with `- `"
                    .into()
            }
            SummaryErrorKind::NestedAffix { prefix: false } => {
                "suffix chapters all sit at the top level: remove the indentation and the `- `".into()
            }
            SummaryErrorKind::LinkAfterPartTitle => {
                "make it a numbered chapter of the part with `- [Title](file.md)`".into()
            }
            SummaryErrorKind::Duplicate { .. } => {
                "list each file once; link to a heading inside a chapter from its text instead".into()
            }
            SummaryErrorKind::TooDeep => "flatten the outline".into(),
            SummaryErrorKind::SwallowedLine { .. } => {
                "a line right under a list item continues that item: put a blank line before it \
                 to make it a suffix chapter, or start it with `- ` to make it a numbered chapter"
                    .into()
            }
        }
    }
}

/// Parses a `SUMMARY.md`.
///
/// ```
/// use bindery::mdbook::{parse_summary, SummaryItem};
///
/// let summary = parse_summary("# Summary\n\n- [Start](start.md)\n  - [Detail](detail.md)\n").unwrap();
/// let SummaryItem::Chapter(start) = &summary.items[0] else { panic!() };
/// assert_eq!(start.children[0].number, Some(vec![1, 1]));
/// ```
///
/// # Errors
///
/// Every problem found, each with its span.
pub fn parse_summary(text: &str) -> Result<Summary, Vec<SummaryError>> {
    let mut reader = Reader::new(text);
    reader.skip_title();
    reader.affix_chapters(Affix::Prefix);
    reader.numbered_chapters();
    reader.affix_chapters(Affix::Suffix);
    reader.check_duplicates();
    if reader.errors.is_empty() {
        Ok(Summary {
            items: reader.items,
            warnings: reader.warnings,
        })
    } else {
        Err(reader.errors)
    }
}

/// Which unnumbered chapters are being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Affix {
    Prefix,
    Suffix,
}

/// A cursor over the summary's events, and what it has found so far.
struct Reader<'a> {
    text: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    at: usize,
    items: Vec<SummaryItem>,
    errors: Vec<SummaryError>,
    warnings: Vec<SummaryError>,
    /// How many top-level numbered chapters came before: numbering goes
    /// on across parts and separators.
    numbered_so_far: u32,
    /// The paragraph being read among the prefix or suffix chapters.
    open_paragraph: Option<Range<usize>>,
    /// The paragraph holding the latest prefix or suffix chapter, to tell
    /// a list indented under it.
    affix_paragraph: Option<Range<usize>>,
    /// The paragraph that began the suffix chapters.
    suffix_start: Option<Range<usize>>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        // No extensions: mdBook reads the summary with `Parser::new`.
        let events = Parser::new_ext(text, Options::empty())
            .into_offset_iter()
            .collect();
        Reader {
            text,
            events,
            at: 0,
            items: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            numbered_so_far: 0,
            open_paragraph: None,
            affix_paragraph: None,
            suffix_start: None,
        }
    }

    fn peek(&self) -> Option<&(Event<'a>, Range<usize>)> {
        self.events.get(self.at)
    }

    fn advance(&mut self) {
        self.at += 1;
    }

    fn error(&mut self, span: Range<usize>, kind: SummaryErrorKind) {
        self.errors.push(SummaryError { span, kind });
    }

    /// Skips a first level-1 heading (the "# Summary" title), looking past
    /// HTML such as comments before it, as mdBook does.
    fn skip_title(&mut self) {
        while let Some((event, _)) = self.peek() {
            match event {
                Event::Html(_) | Event::InlineHtml(_) => self.advance(),
                Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => self.advance(),
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => {
                    self.skip_block();
                    return;
                }
                _ => return,
            }
        }
    }

    /// Reads prefix chapters up to the first list or part title, or suffix
    /// chapters to the end. Any link counts, wherever it sits, as in
    /// mdBook.
    fn affix_chapters(&mut self, affix: Affix) {
        while let Some((event, span)) = self.peek() {
            let span = span.clone();
            match event {
                Event::Start(Tag::List(_)) => {
                    if affix == Affix::Prefix {
                        if self.indented_under_affix(span.start) {
                            self.error(
                                self.first_line(span.clone()),
                                SummaryErrorKind::NestedAffix { prefix: true },
                            );
                        }
                        return;
                    }
                    self.list_after_suffix(span);
                }
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => {
                    if affix == Affix::Prefix {
                        return;
                    }
                    let ended_by = self.suffix_snippet();
                    self.error(
                        trim_end(self.text, span),
                        SummaryErrorKind::PartAfterSuffix { ended_by },
                    );
                    self.skip_block();
                }
                Event::Start(Tag::Paragraph) => {
                    self.open_paragraph = Some(span);
                    self.advance();
                }
                Event::Start(Tag::Link { .. }) => {
                    self.affix_paragraph = self.open_paragraph.clone();
                    let chapter = self.link(None);
                    self.items.push(SummaryItem::Chapter(chapter));
                }
                Event::Rule => {
                    self.items.push(SummaryItem::Separator);
                    self.advance();
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                    // Four spaces of indentation make a code block, which
                    // mdBook skips; a link in it was meant as a chapter.
                    if self
                        .text
                        .get(span.clone())
                        .is_some_and(|s| s.contains("]("))
                    {
                        self.error(
                            self.first_line(span),
                            SummaryErrorKind::NestedAffix {
                                prefix: affix == Affix::Prefix,
                            },
                        );
                    }
                    self.skip_block();
                }
                _ => self.advance(),
            }
        }
    }

    /// A list where only suffix chapters may follow: an error, but its
    /// items are still read so that their own problems are reported too.
    fn list_after_suffix(&mut self, span: Range<usize>) {
        let already_reported = self.errors.iter().any(|e| {
            matches!(
                e.kind,
                SummaryErrorKind::ListAfterSuffix { .. }
                    | SummaryErrorKind::NestedAffix { prefix: false }
            )
        });
        if !already_reported {
            let kind = if self.indented_under_affix(span.start) {
                SummaryErrorKind::NestedAffix { prefix: false }
            } else {
                SummaryErrorKind::ListAfterSuffix {
                    ended_by: self.suffix_snippet(),
                }
            };
            self.error(self.first_line(span), kind);
        }
        let chapters = self.list(&[], 0);
        self.items
            .extend(chapters.into_iter().map(SummaryItem::Chapter));
    }

    /// Whether a list starting at `list_start` follows the latest prefix or
    /// suffix chapter's paragraph without a blank line, indented further:
    /// written as if nested under it.
    fn indented_under_affix(&self, list_start: usize) -> bool {
        let Some(paragraph) = &self.affix_paragraph else {
            return false;
        };
        let list_line = line_start(self.text, list_start);
        let touching = self
            .text
            .get(paragraph.end.min(list_line)..list_line)
            .is_some_and(|gap| gap.trim().is_empty() && !gap.contains('\n'))
            && paragraph.end <= list_line;
        let paragraph_column = paragraph.start - line_start(self.text, paragraph.start);
        let list_column = self.text.get(list_line..).map_or(0, |line| {
            line.len() - line.trim_start_matches([' ', '\t']).len()
        });
        touching && list_column > paragraph_column
    }

    /// The first line of the paragraph that began the suffix chapters.
    fn suffix_snippet(&self) -> String {
        let span = self.suffix_start.clone().or(self.affix_paragraph.clone());
        let text = span
            .and_then(|span| self.text.get(span))
            .unwrap_or_default();
        let line = text.lines().next().unwrap_or_default().trim();
        let mut snippet: String = line.chars().take(60).collect();
        if snippet.len() < line.len() {
            snippet.push('…');
        }
        snippet
    }

    /// Reads the numbered chapters: lists, part titles and separators, up
    /// to the paragraph that begins the suffix chapters.
    fn numbered_chapters(&mut self) {
        // Right after a part title (and at the start) mdBook skips a
        // paragraph; anywhere else a paragraph begins the suffix.
        let mut after_part_title = true;
        while let Some((event, span)) = self.peek() {
            let span = span.clone();
            match event {
                Event::Start(Tag::Paragraph) if after_part_title => {
                    let has_link = self.skip_block();
                    if has_link {
                        self.error(
                            trim_end(self.text, span),
                            SummaryErrorKind::LinkAfterPartTitle,
                        );
                    }
                }
                Event::Start(Tag::Paragraph) => {
                    self.suffix_start = Some(span);
                    return;
                }
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => {
                    self.part_title(span);
                    after_part_title = true;
                    continue;
                }
                Event::Start(Tag::List(_)) => {
                    let chapters = self.list(&[], self.numbered_so_far);
                    let count = u32::try_from(chapters.len()).unwrap_or(u32::MAX);
                    self.numbered_so_far = self.numbered_so_far.saturating_add(count);
                    self.items
                        .extend(chapters.into_iter().map(SummaryItem::Chapter));
                }
                Event::Rule => {
                    self.items.push(SummaryItem::Separator);
                    self.advance();
                }
                Event::Start(_) => {
                    // Other headings, HTML, quotes: ignored with all they
                    // hold, as mdBook does (the Rust book puts `##`
                    // headings between its chapters).
                    self.skip_block();
                }
                _ => self.advance(),
            }
            after_part_title = false;
        }
    }

    /// Reads a level-1 heading as a part title.
    fn part_title(&mut self, span: Range<usize>) {
        self.advance();
        let title = self.text_until(|end| matches!(end, TagEnd::Heading(_)));
        let span = trim_end(self.text, span);
        if title.trim().is_empty() {
            self.error(span.clone(), SummaryErrorKind::EmptyPartTitle);
        }
        self.items.push(SummaryItem::Part { title, span });
    }

    /// Reads a list of numbered chapters whose numbers extend `parent`,
    /// counting on from `before` siblings. The cursor is on the list's
    /// start and ends after its end.
    fn list(&mut self, parent: &[u32], before: u32) -> Vec<SummaryChapter> {
        self.advance();
        let mut chapters: Vec<SummaryChapter> = Vec::new();
        while let Some((event, span)) = self.peek() {
            let span = span.clone();
            match event {
                Event::Start(Tag::Item) => {
                    self.advance();
                    let count = u32::try_from(chapters.len()).unwrap_or(u32::MAX);
                    let mut number = parent.to_vec();
                    number.push(before.saturating_add(count).saturating_add(1));
                    if let Some(chapter) = self.item(number, span) {
                        chapters.push(chapter);
                    }
                }
                Event::End(TagEnd::List(_)) => {
                    self.advance();
                    break;
                }
                _ => self.advance(),
            }
        }
        chapters
    }

    /// Reads one list item: a link, then perhaps lists nested under it.
    /// The cursor is after the item's start and ends after its end.
    fn item(&mut self, number: Vec<u32>, span: Range<usize>) -> Option<SummaryChapter> {
        // Inside the item; a loose list wraps the link in a paragraph.
        let mut depth = 0usize;
        while let Some((Event::Start(Tag::Paragraph), _)) = self.peek() {
            depth += 1;
            self.advance();
        }
        let mut chapter = match self.peek() {
            Some((Event::Start(Tag::Link { .. }), _)) => Some(self.link(Some(number.clone()))),
            _ => {
                self.error(self.first_line(span), SummaryErrorKind::NotALink);
                None
            }
        };
        // The rest of the item: text after the link is ignored, as in
        // mdBook; a list at the item's own level holds its children. A
        // link that starts a later line of the item was meant as a
        // chapter of its own: said once, at the first such line.
        let mut line_broken = false;
        let mut warned = false;
        while let Some((event, span)) = self.peek() {
            let span = span.clone();
            let at_line_start = std::mem::take(&mut line_broken);
            match event {
                Event::SoftBreak | Event::HardBreak => {
                    line_broken = true;
                    self.advance();
                }
                Event::Start(Tag::Link { .. }) if at_line_start && !warned => {
                    warned = true;
                    let line = line_start(self.text, span.start);
                    let link = self.link(None);
                    let line = self.first_line(line..link.span.end.max(line));
                    self.warnings.push(SummaryError {
                        span: line,
                        kind: SummaryErrorKind::SwallowedLine { title: link.title },
                    });
                }
                Event::Start(Tag::List(_)) if depth == 0 => {
                    if number.len() >= MAX_NESTING {
                        self.error(self.first_line(span), SummaryErrorKind::TooDeep);
                        self.skip_block();
                        continue;
                    }
                    let before = chapter
                        .as_ref()
                        .map_or(0, |c| u32::try_from(c.children.len()).unwrap_or(u32::MAX));
                    let children = self.list(&number, before);
                    if let Some(chapter) = &mut chapter {
                        chapter.children.extend(children);
                    }
                }
                Event::Start(_) => {
                    depth += 1;
                    self.advance();
                }
                Event::End(TagEnd::Item) if depth == 0 => {
                    self.advance();
                    break;
                }
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    self.advance();
                }
                _ => self.advance(),
            }
        }
        chapter
    }

    /// Reads a link as a chapter. The cursor is on the link's start and
    /// ends after its end.
    fn link(&mut self, number: Option<Vec<u32>>) -> SummaryChapter {
        let (destination, span) = match self.peek() {
            Some((Event::Start(Tag::Link { dest_url, .. }), span)) => {
                (dest_url.to_string(), span.clone())
            }
            _ => (String::new(), 0..0),
        };
        self.advance();
        let title = self.text_until(|end| matches!(end, TagEnd::Link));
        if title.trim().is_empty() {
            self.error(span.clone(), SummaryErrorKind::EmptyTitle);
        }
        // mdBook turns `%20` into a space and nothing else: a file named
        // `a%C3%A9.md` keeps its name.
        let path = (!destination.is_empty()).then(|| destination.replace("%20", " "));
        SummaryChapter {
            title,
            path,
            number,
            children: Vec::new(),
            span,
        }
    }

    /// The plain text of events up to the end tag `is_end` matches, which
    /// is consumed: text and code as written, line breaks inside as spaces,
    /// everything else dropped (mdBook's `stringify_events`).
    fn text_until(&mut self, is_end: impl Fn(&TagEnd) -> bool) -> String {
        let mut text = String::new();
        while let Some((event, _)) = self.peek() {
            match event {
                Event::End(end) if is_end(end) => {
                    self.advance();
                    break;
                }
                Event::Text(piece) | Event::Code(piece) => text.push_str(piece),
                Event::SoftBreak => text.push(' '),
                _ => {}
            }
            self.advance();
        }
        text
    }

    /// Skips from a start event past its matching end; says whether a link
    /// was inside.
    fn skip_block(&mut self) -> bool {
        let mut depth = 0usize;
        let mut has_link = false;
        while let Some((event, _)) = self.peek() {
            match event {
                Event::Start(tag) => {
                    has_link |= matches!(tag, Tag::Link { .. });
                    depth += 1;
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.advance();
            if depth == 0 {
                break;
            }
        }
        has_link
    }

    /// The first line of a span, without its line break: an error about a
    /// list item points at the item, not at all it holds.
    fn first_line(&self, span: Range<usize>) -> Range<usize> {
        let end = self
            .text
            .get(span.clone())
            .and_then(|s| s.find('\n'))
            .map_or(span.end, |i| span.start + i);
        trim(self.text, span.start..end)
    }

    /// Reports every file listed more than once. mdBook rejects them too;
    /// `./a.md` and `a.md` count as the same file here.
    fn check_duplicates(&mut self) {
        let mut seen: BTreeMap<String, Range<usize>> = BTreeMap::new();
        let mut duplicates = Vec::new();
        let mut stack: Vec<&SummaryChapter> = self
            .items
            .iter()
            .rev()
            .filter_map(|item| match item {
                SummaryItem::Chapter(chapter) => Some(chapter),
                _ => None,
            })
            .collect();
        while let Some(chapter) = stack.pop() {
            if let Some(path) = &chapter.path {
                match seen.get(&normalize(path)) {
                    Some(first) => duplicates.push(SummaryError {
                        span: chapter.span.clone(),
                        kind: SummaryErrorKind::Duplicate {
                            path: path.clone(),
                            first: first.clone(),
                        },
                    }),
                    None => {
                        seen.insert(normalize(path), chapter.span.clone());
                    }
                }
            }
            stack.extend(chapter.children.iter().rev());
        }
        self.errors.extend(duplicates);
    }
}

/// A path with `.` segments and doubled slashes dropped, to compare files.
fn normalize(path: &str) -> String {
    path.split('/')
        .filter(|segment| !segment.is_empty() && *segment != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Where the line holding `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// A span without the whitespace at either end.
fn trim(text: &str, span: Range<usize>) -> Range<usize> {
    let span = trim_end(text, span);
    match text.get(span.clone()) {
        Some(s) => span.end - s.trim_start().len()..span.end,
        None => span,
    }
}

/// A span without the whitespace and line break at its end.
fn trim_end(text: &str, span: Range<usize>) -> Range<usize> {
    match text.get(span.clone()) {
        Some(s) => span.start..span.start + s.trim_end().len(),
        None => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chapter as the tests write it: title, path, number.
    type Entry = (String, Option<String>, Option<Vec<u32>>);

    fn chapter(title: &str, path: Option<&str>, number: Option<&[u32]>) -> Entry {
        (
            title.into(),
            path.map(Into::into),
            number.map(<[u32]>::to_vec),
        )
    }

    /// Every chapter in reading order, nested ones after their parent.
    fn flat(summary: &Summary) -> Vec<Entry> {
        fn walk(c: &SummaryChapter, out: &mut Vec<Entry>) {
            out.push((c.title.clone(), c.path.clone(), c.number.clone()));
            for child in &c.children {
                walk(child, out);
            }
        }
        let mut out = Vec::new();
        for item in &summary.items {
            if let SummaryItem::Chapter(c) = item {
                walk(c, &mut out);
            }
        }
        out
    }

    /// The shape of the top level: `P:title`, `---`, or a chapter's title.
    fn shape(summary: &Summary) -> Vec<String> {
        summary
            .items
            .iter()
            .map(|item| match item {
                SummaryItem::Part { title, .. } => format!("P:{title}"),
                SummaryItem::Separator => "---".into(),
                SummaryItem::Chapter(c) => c.title.clone(),
            })
            .collect()
    }

    fn errors(text: &str) -> Vec<(String, &str)> {
        parse_summary(text)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.kind.to_string(), &text[e.span]))
            .collect()
    }

    #[test]
    fn a_whole_summary_is_read_in_order() {
        let text = "\
# Summary

[Preface](preface.md)
[Foreword](<fore word.md>)

---

# Getting started

- [Install](install.md)
    - [On Linux](install/linux.md)
        - [From source](install/linux/source.md)
    - [On macOS]()
- [First steps](first.md)

# Going further

* [Tuning](tuning.md)

---

[Appendix](appendix.md)
[Credits](credits%20and%20thanks.md)
";
        let summary = parse_summary(text).unwrap();
        assert_eq!(
            shape(&summary),
            [
                "Preface",
                "Foreword",
                "---",
                "P:Getting started",
                "Install",
                "First steps",
                "P:Going further",
                "Tuning",
                "---",
                "Appendix",
                "Credits"
            ]
        );
        assert_eq!(
            flat(&summary),
            [
                chapter("Preface", Some("preface.md"), None),
                chapter("Foreword", Some("fore word.md"), None),
                chapter("Install", Some("install.md"), Some(&[1])),
                chapter("On Linux", Some("install/linux.md"), Some(&[1, 1])),
                chapter(
                    "From source",
                    Some("install/linux/source.md"),
                    Some(&[1, 1, 1])
                ),
                chapter("On macOS", None, Some(&[1, 2])),
                chapter("First steps", Some("first.md"), Some(&[2])),
                // Numbering goes on across parts, as in mdBook.
                chapter("Tuning", Some("tuning.md"), Some(&[3])),
                chapter("Appendix", Some("appendix.md"), None),
                chapter("Credits", Some("credits and thanks.md"), None),
            ]
        );
        let SummaryItem::Part { span, .. } = &summary.items[3] else {
            panic!("expected a part");
        };
        assert_eq!(&text[span.clone()], "# Getting started");
        let SummaryItem::Chapter(install) = &summary.items[4] else {
            panic!("expected a chapter");
        };
        assert_eq!(&text[install.span.clone()], "[Install](install.md)");
    }

    #[test]
    fn the_title_is_optional_and_never_a_part() {
        let without = parse_summary("- [A](a.md)\n").unwrap();
        assert_eq!(shape(&without), ["A"]);
        // The first heading is the title whatever it says, even after a
        // comment; the second is a part.
        let with = parse_summary("<!-- toc -->\n# Contents\n# Part\n- [A](a.md)\n").unwrap();
        assert_eq!(shape(&with), ["P:Part", "A"]);
        assert_eq!(parse_summary("").unwrap(), Summary::default());
    }

    #[test]
    fn numbering_continues_after_separators_and_comments() {
        let summary = parse_summary(
            "- [A](a.md)\n\n---\n\n- [B](b.md)\n<!-- later -->\n- [C](c.md)\n\n## Sub heading\n\n- [D](d.md)\n",
        )
        .unwrap();
        let numbers: Vec<_> = flat(&summary).into_iter().map(|c| c.2).collect();
        assert_eq!(
            numbers,
            [Some(vec![1]), Some(vec![2]), Some(vec![3]), Some(vec![4])]
        );
        assert_eq!(shape(&summary), ["A", "---", "B", "C", "D"]);
        // mdBook's own regression test: separators right under items.
        let summary = parse_summary(
            "- [First](./first.md)\n---\n- [Second](./second.md)\n---\n- [Third](./third.md)\n",
        )
        .unwrap();
        assert_eq!(shape(&summary), ["First", "---", "Second", "---", "Third"]);
        let numbers: Vec<_> = flat(&summary).into_iter().map(|c| c.2).collect();
        assert_eq!(numbers, [Some(vec![1]), Some(vec![2]), Some(vec![3])]);
    }

    #[test]
    fn drafts_take_a_number() {
        let summary = parse_summary("- [Soon]()\n- [Now](now.md)\n  - [Later](<>)\n").unwrap();
        assert_eq!(
            flat(&summary),
            [
                chapter("Soon", None, Some(&[1])),
                chapter("Now", Some("now.md"), Some(&[2])),
                chapter("Later", None, Some(&[2, 1])),
            ]
        );
    }

    #[test]
    fn titles_lose_their_markup() {
        let summary = parse_summary(
            "- [The *fast* path](fast.md)\n- [`Vec<T>` **in** depth](vec.md)\n- [Two\n  lines](two.md)\n- [A \\[bracket\\]](b.md)\n",
        )
        .unwrap();
        let titles: Vec<_> = flat(&summary).into_iter().map(|c| c.0).collect();
        assert_eq!(
            titles,
            [
                "The fast path",
                "Vec<T> in depth",
                "Two lines",
                "A [bracket]"
            ]
        );
    }

    #[test]
    fn destinations_are_read_as_mdbook_reads_them() {
        let summary = parse_summary(
            "- [A](<with space.md>)\n- [B](with%20space%202.md)\n- [C](caf%C3%A9.md)\n- [D](./d.md)\n- [E][e]\n\n[e]: e.md\n",
        )
        .unwrap();
        let paths: Vec<_> = flat(&summary).into_iter().map(|c| c.1.unwrap()).collect();
        assert_eq!(
            paths,
            [
                "with space.md",
                "with space 2.md",
                "caf%C3%A9.md",
                "./d.md",
                "e.md"
            ]
        );
    }

    #[test]
    fn loose_lists_and_star_bullets_are_chapters_too() {
        let summary = parse_summary("* [A](a.md)\n\n* [B](b.md)\n\n  * [B1](b1.md)\n").unwrap();
        let numbers: Vec<_> = flat(&summary).into_iter().map(|c| (c.0, c.2)).collect();
        assert_eq!(
            numbers,
            [
                ("A".to_string(), Some(vec![1])),
                ("B".to_string(), Some(vec![2])),
                ("B1".to_string(), Some(vec![2, 1]))
            ]
        );
    }

    #[test]
    fn a_list_item_must_be_a_link() {
        let text = "- [A](a.md)\n- Just text\n  - [A1](a1.md)\n- *[Emphasised](e.md)*\n-\n";
        assert_eq!(
            errors(text),
            [
                (
                    "this list item is not a link to a chapter".to_string(),
                    "- Just text"
                ),
                (
                    "this list item is not a link to a chapter".to_string(),
                    "- *[Emphasised](e.md)*"
                ),
                ("this list item is not a link to a chapter".to_string(), "-"),
            ]
        );
        let error = &parse_summary(text).unwrap_err()[0];
        assert_eq!(error.code(), "B160");
        assert!(error.help().contains("`- [Title](file.md)`"));
    }

    #[test]
    fn empty_titles_are_errors() {
        assert_eq!(
            errors("# Summary\n[](intro.md)\n#\n- [ ](a.md)\n"),
            [
                ("this chapter has no title".to_string(), "[](intro.md)"),
                ("this part has no title".to_string(), "#"),
                ("this chapter has no title".to_string(), "[ ](a.md)"),
            ]
        );
    }

    #[test]
    fn a_chapter_after_the_numbered_list_ends_it() {
        let text =
            "- [A](a.md)\n\n[Interlude](interlude.md)\n\n- [B](b.md)\n- [C](c.md)\n\n# Part\n";
        assert_eq!(
            errors(text),
            [
                (
                    "numbered chapters after the suffix chapters began".to_string(),
                    "- [B](b.md)"
                ),
                (
                    "a part title after the suffix chapters began".to_string(),
                    "# Part"
                ),
            ]
        );
        let error = &parse_summary(text).unwrap_err()[0];
        assert!(
            error
                .help()
                .starts_with("`[Interlude](interlude.md)` is not a list item"),
            "{}",
            error.help()
        );
    }

    #[test]
    fn a_link_swallowed_into_the_item_above_is_warned_once_at_its_line() {
        let text = "- [A](a.md)\n- [B](b.md)\n[Appendix](appendix.md)\n[Glossary](glossary.md)\n\n[Index](index.md)\n";
        let summary = parse_summary(text).unwrap();
        let warnings: Vec<(String, &str)> = summary
            .warnings
            .iter()
            .map(|w| (w.kind.to_string(), &text[w.span.clone()]))
            .collect();
        assert_eq!(
            warnings,
            [(
                "`Appendix` is read as more text of the chapter above, not as a chapter"
                    .to_string(),
                "[Appendix](appendix.md)"
            )]
        );
        assert!(
            summary.warnings[0]
                .help()
                .contains("put a blank line before it")
        );
        // As mdBook reads it: B keeps only its own link; Index is a suffix
        // chapter.
        assert_eq!(shape(&summary), ["A", "B", "Index"]);
        // A link inside a chapter's line, or after a blank line, is fine.
        let text = "- [A](a.md) and [more](more.md)\n\n[Index](index.md)\n";
        assert!(parse_summary(text).unwrap().warnings.is_empty());
    }

    #[test]
    fn affix_chapters_cannot_nest() {
        assert_eq!(
            errors("[Intro](intro.md)\n  - [Detail](detail.md)\n"),
            [(
                "prefix chapters cannot have nested chapters".to_string(),
                "- [Detail](detail.md)"
            )]
        );
        assert_eq!(
            errors("[Intro](intro.md)\n\n    [Detail](detail.md)\n- [A](a.md)\n"),
            [(
                "prefix chapters cannot have nested chapters".to_string(),
                "[Detail](detail.md)"
            )]
        );
        assert_eq!(
            errors("- [A](a.md)\n\n[End](end.md)\n  - [More](more.md)\n"),
            [(
                "suffix chapters cannot have nested chapters".to_string(),
                "- [More](more.md)"
            )]
        );
        // Not indented: the list simply starts the numbered chapters.
        let summary = parse_summary("[Intro](intro.md)\n- [A](a.md)\n").unwrap();
        assert_eq!(flat(&summary)[1], chapter("A", Some("a.md"), Some(&[1])));
    }

    #[test]
    fn a_link_right_after_a_part_title_is_an_error() {
        assert_eq!(
            errors("# Summary\n# Part\n\n[Overview](overview.md)\n\n- [A](a.md)\n"),
            [(
                "a plain link after a part title is not a chapter".to_string(),
                "[Overview](overview.md)"
            )]
        );
        // Plain text there is skipped, as mdBook skips it.
        let summary = parse_summary("# Summary\n# Part\n\nSome words.\n\n- [A](a.md)\n").unwrap();
        assert_eq!(shape(&summary), ["P:Part", "A"]);
    }

    #[test]
    fn a_file_listed_twice_is_an_error() {
        let text = "[A](a.md)\n- [B](b.md)\n  - [A again](./a.md)\n";
        let errors = parse_summary(text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind.to_string(), "`./a.md` is listed twice");
        assert_eq!(&text[errors[0].span.clone()], "[A again](./a.md)");
        assert!(
            matches!(&errors[0].kind, SummaryErrorKind::Duplicate { first, .. } if *first == (0..9))
        );
        // Drafts have no file, so two are fine.
        assert!(parse_summary("- [A]()\n- [B]()\n").is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "- ".repeat(10_000) + "[a](a.md)\n";
        let errors = parse_summary(&text).unwrap_err();
        assert!(errors.iter().any(|e| e.kind == SummaryErrorKind::TooDeep));
        let mut text = String::new();
        for depth in 0..70 {
            text.push_str(&"  ".repeat(depth));
            text.push_str(&format!("- [c{depth}](c{depth}.md)\n"));
        }
        let errors = parse_summary(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, SummaryErrorKind::TooDeep);
    }

    #[test]
    fn diagnostics_carry_code_span_and_help() {
        let error = &parse_summary("- nope\n").unwrap_err()[0];
        let diagnostic = error.to_diagnostic().in_file("src/SUMMARY.md");
        assert_eq!(diagnostic.code, "B160");
        assert_eq!(diagnostic.file.as_deref(), Some("src/SUMMARY.md"));
        assert_eq!(diagnostic.span, Some(0..6));
        assert!(diagnostic.help.is_some());
    }

    #[test]
    fn random_input_never_panics() {
        let alphabet: Vec<char> = "{#}:\n[]()-*# >`<\\%2 0\t.mdxé".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..3000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 80) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            if let Err(errors) = parse_summary(&text) {
                for e in errors {
                    assert!(text.get(e.span.clone()).is_some(), "{text:?} {e:?}");
                }
            }
        }
    }
}
