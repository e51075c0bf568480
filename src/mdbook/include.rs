//! mdBook's link preprocessor: the `{{#include}}`, `{{#rustdoc_include}}`,
//! `{{#playground}}` and `{{#title}}` directives in a chapter, expanded
//! the way mdBook expands them.
//!
//! Takes a chapter's text and a callback that reads files; returns the
//! text with every directive replaced, the title a `{{#title}}` set, and
//! a map from each piece of the new text back to the file and offset it
//! came from, so that later stages can still point at the right line.
//! This module never touches the disk: the callback resolves paths
//! (relative to the file that holds the directive) and keeps them inside
//! the book.
//!
//! What mdBook does, and so does bindery:
//!
//! - A directive is found anywhere in the text, code blocks included
//!   (that is what it is for), by the pattern of mdBook's regex:
//!   `{{#name rest}}`, with optional whitespace after `{{`.
//! - `{{#include file}}` inserts the file; `file:anchor` the lines between
//!   `ANCHOR: anchor` and `ANCHOR_END: anchor` (in any comment syntax, or
//!   none); `file:10` line 10, `file:10:20` lines 10 to 20, `file:10:` from
//!   10 on, `file::20` up to 20. Lines count from 1 and both ends are
//!   included; `0` reads as `1`; a range past the end takes what there is,
//!   and a reversed one takes nothing. A path with spaces is quoted:
//!   `{{#include "my file.rs":3}}`.
//! - `{{#rustdoc_include …}}` selects the same way but keeps the other
//!   lines too, behind `# `, so they become hidden lines of a Rust block.
//! - `{{#playground file attr…}}` wraps the whole file in a ```` ```rust ````
//!   block with the attributes.
//! - `{{#title Text}}` is removed and sets the chapter's title.
//! - `\{{#…}}` is kept as text without its backslash.
//! - Every line of inserted text after the first repeats what stood before
//!   the directive on its line, so an include inside a list item or a
//!   block quote stays inside it. The inserted text loses its final line
//!   break.
//! - Included text is expanded in turn, relative to its own file, up to
//!   [`MAX_DEPTH`] files deep.
//!
//! Includes multiply: three small files each including the next a
//! hundred times make a million copies. So a chapter's expansion has a
//! budget, [`MAX_EXPANDED`] bytes: the chapter's own text, every included
//! file counted in full each time it is included (with its directive),
//! and the line prefixes repeated for it. Going over it is an error that
//! names the chain of includes, and the expansion stops there: its time
//! and memory stay bounded by the budget, whatever the files.
//!
//! Where bindery is stricter than mdBook, which logs a problem and keeps
//! going with the directive left in the text: a file that cannot be read,
//! an anchor that is not in the file, a cycle, too deep a nesting, an
//! unclosed quote, a directive without a path and an empty title are all
//! errors.
//!
//! `ANCHOR`/`ANCHOR_END` lines are dropped where an anchor picks the lines
//! (every marker line inside it, and with `rustdoc_include` every one in
//! the file), and kept in a whole file or a range of lines, as mdBook 0.5
//! keeps them.

use crate::diag::{Code, Diagnostic, ToDiagnostic};
use std::ops::Range;

/// How many files deep includes may nest: mdBook's limit.
pub const MAX_DEPTH: usize = 10;

/// The most text a chapter's expansion may cost, in bytes: the chapter,
/// each included file in full each time it is included, and what
/// expanding writes (the same limit as for any text file a book has,
/// `load::MAX_TEXT_FILE`).
pub const MAX_EXPANDED: usize = 8 * 1024 * 1024;

/// A file the reader callback found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    /// The file's canonical name, as the user should read it in messages
    /// (say `src/listings/main.rs`): two directives that reach the same
    /// file must get the same name, since it is what cycles are found by.
    /// It is passed back to the callback as the including file when the
    /// file's own directives are expanded.
    pub file: String,
    /// Its text.
    pub text: String,
}

/// A chapter with its directives expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The new text.
    pub text: String,
    /// The title the last `{{#title}}` set, if any.
    pub title: Option<String>,
    /// Where each piece of `text` came from, in order, covering all of it.
    pub segments: Vec<Segment>,
}

/// A piece of expanded text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The piece, as a range of the expanded text.
    pub expanded: Range<usize>,
    /// The file it came from: the chapter, or an included file.
    pub file: String,
    /// Where the piece starts in `file`. For text that bindery wrote
    /// itself (the `# ` of a hidden line, a line prefix repeated, the fence
    /// of a playground) it is the start of the directive that wrote it.
    pub source: usize,
    /// Whether the piece is a copy of `file`'s bytes from `source` on (else
    /// bindery wrote it).
    pub copied: bool,
}

impl Expanded {
    /// The file and byte offset an offset of the expanded text comes from:
    /// for a diagnostic found after expansion.
    pub fn locate(&self, offset: usize) -> Option<(&str, usize)> {
        let segment = if offset == self.text.len() {
            self.segments.last()?
        } else {
            let index = self.segments.partition_point(|s| s.expanded.end <= offset);
            self.segments.get(index)?
        };
        let source = if segment.copied {
            segment.source + (offset - segment.expanded.start)
        } else {
            segment.source
        };
        Some((&segment.file, source))
    }
}

impl Expanded {
    /// The text of a file, as is: for a chapter with nothing to expand.
    pub fn unchanged(text: &str, file: &str) -> Expanded {
        let traced = Traced::copy_of(text, file);
        Expanded {
            text: traced.text,
            title: None,
            segments: traced.segments,
        }
    }

    /// Where a range of the expanded text is written: the file, and the
    /// span there (shortened to the first piece when the range runs over
    /// text from several places).
    pub fn source_span(&self, range: Range<usize>) -> (String, Range<usize>) {
        let traced = Traced {
            text: String::new(),
            segments: self.segments.clone(),
        };
        traced.source_span(range)
    }

    /// Replaces ranges of the text with text bindery writes, keeping the
    /// map to the files right: each replacement points at the start of
    /// what it replaces. The ranges come in order, on character
    /// boundaries, without overlaps.
    pub fn splice(&mut self, edits: &[(Range<usize>, String)]) {
        let old = Traced {
            text: std::mem::take(&mut self.text),
            segments: std::mem::take(&mut self.segments),
        };
        let mut new = Traced::default();
        let mut copied_to = 0;
        for (range, replacement) in edits {
            if range.start < copied_to {
                continue;
            }
            new.push_from(&old, copied_to..range.start);
            let (file, span) = old.source_span(range.clone());
            new.push_generated(replacement, &file, span.start);
            copied_to = range.end;
        }
        new.push_from(&old, copied_to..old.text.len());
        self.text = new.text;
        self.segments = new.segments;
    }

    /// Cuts ranges out of the text, keeping the map to the files right.
    /// The ranges come in order, on character boundaries.
    pub(super) fn cut(&mut self, cuts: &[Range<usize>]) {
        let old = Traced {
            text: std::mem::take(&mut self.text),
            segments: std::mem::take(&mut self.segments),
        };
        let mut new = Traced::default();
        let mut copied_to = 0;
        for cut in cuts {
            if cut.start < copied_to {
                continue;
            }
            new.push_from(&old, copied_to..cut.start);
            copied_to = cut.end;
        }
        new.push_from(&old, copied_to..old.text.len());
        self.text = new.text;
        self.segments = new.segments;
    }
}

/// A directive that could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeError {
    /// The file the directive is written in, as [`Included::file`] (or the
    /// chapter's name) gives it.
    pub file: String,
    /// The directive, in that file.
    pub span: Range<usize>,
    /// What is wrong.
    pub kind: IncludeErrorKind,
}

/// What is wrong with a directive.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncludeErrorKind {
    /// The callback could not read the file.
    #[error("cannot include `{target}`: {message}")]
    Read {
        /// The path as written.
        target: String,
        /// The callback's words.
        message: String,
    },
    /// A file that includes itself, directly or not.
    #[error("`{}` includes itself: {}", chain.last().map_or("", String::as_str), chain_text(chain))]
    Cycle {
        /// The files from the chapter to the repeated one.
        chain: Vec<String>,
    },
    /// Includes nested deeper than [`MAX_DEPTH`].
    #[error("includes nest more than {MAX_DEPTH} files deep at `{target}`")]
    TooDeep {
        /// The path as written.
        target: String,
    },
    /// A chapter whose includes come to more than [`MAX_EXPANDED`].
    #[error(
        "`{}` with its includes comes to more than {} MiB: {}",
        chain.first().map_or("", String::as_str),
        MAX_EXPANDED / (1024 * 1024),
        chain_text(chain)
    )]
    TooLarge {
        /// The files from the chapter to the one whose inclusion went over.
        chain: Vec<String>,
    },
    /// An anchor that is not in the file.
    #[error("there is no anchor `{anchor}` in `{file}`")]
    MissingAnchor {
        /// The file, as the callback named it.
        file: String,
        /// The anchor asked for.
        anchor: String,
        /// The closest anchor the file has.
        nearest: Option<String>,
    },
    /// A quoted path without its closing quote.
    #[error("the quoted path has no closing `\"`")]
    UnclosedQuote,
    /// A directive that names no file.
    #[error("`{{{{#{directive}}}}}` names no file")]
    NoPath {
        /// `include`, `rustdoc_include` or `playground`.
        directive: String,
    },
    /// `{{#title}}` with nothing after it.
    #[error("`{{{{#title}}}}` sets an empty title")]
    EmptyTitle,
}

fn chain_text(chain: &[String]) -> String {
    chain
        .iter()
        .map(|file| format!("`{file}`"))
        .collect::<Vec<_>>()
        .join(" → ")
}

impl ToDiagnostic for IncludeError {
    fn code(&self) -> Code {
        match self.kind {
            IncludeErrorKind::Read { .. } => Code::IncludeUnreadable,
            IncludeErrorKind::Cycle { .. } => Code::IncludeCycle,
            IncludeErrorKind::TooDeep { .. } => Code::IncludesTooDeep,
            IncludeErrorKind::TooLarge { .. } => Code::IncludesTooLarge,
            IncludeErrorKind::MissingAnchor { .. } => Code::MissingIncludeAnchor,
            IncludeErrorKind::UnclosedQuote
            | IncludeErrorKind::NoPath { .. }
            | IncludeErrorKind::EmptyTitle => Code::BadDirective,
        }
    }

    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(self.code(), self.kind.to_string())
            .in_file(self.file.clone())
            .at(self.span.clone())
            .with_help(self.help())
    }
}

impl IncludeError {
    /// What to do about it.
    pub fn help(&self) -> String {
        match &self.kind {
            IncludeErrorKind::Read { .. } => {
                "the path is relative to the file that holds the directive, and may reach anywhere \
                 in the git repository around the book, else in the book folder; for a book from \
                 a source archive (no `.git`), build with `--root DIR` naming the project's folder"
                    .into()
            }
            IncludeErrorKind::Cycle { .. } => "remove one of the includes in the chain".into(),
            IncludeErrorKind::TooDeep { .. } => {
                "include the innermost files from a file higher up; mdBook stops at the same depth"
                    .into()
            }
            IncludeErrorKind::TooLarge { .. } => format!(
                "include less, or split the chapter: a chapter and everything it includes, \
                 counting a file each time it is included, may hold {} MiB",
                MAX_EXPANDED / (1024 * 1024)
            ),
            IncludeErrorKind::MissingAnchor {
                nearest: Some(n), ..
            } => format!("did you mean `{n}`?"),
            IncludeErrorKind::MissingAnchor { anchor, .. } => format!(
                "mark the lines with `ANCHOR: {anchor}` and `ANCHOR_END: {anchor}` comments in the file"
            ),
            IncludeErrorKind::UnclosedQuote => {
                "close the path with `\"`; write a quote inside it as `\\\"`".into()
            }
            IncludeErrorKind::NoPath { directive } => {
                format!("write the path after it: `{{{{#{directive} file.rs}}}}`")
            }
            IncludeErrorKind::EmptyTitle => {
                "write the title after it: `{{#title My Title}}`, or remove it".into()
            }
        }
    }
}

/// Expands the directives in `text`, the chapter `file`.
///
/// `read(target, from)` reads `target` as written in the directive,
/// relative to the file named `from` (the chapter's `file`, or the
/// [`Included::file`] of an included file); it refuses paths that leave
/// the book. Name the chapter the way the callback names files, so that a
/// file including the chapter is found to be a cycle.
///
/// ```
/// use bindery::mdbook::{expand, Included};
///
/// let mut read = |target: &str, _from: &str| match target {
///     "hello.rs" => Ok(Included { file: "src/hello.rs".into(), text: "fn main() {}\n".into() }),
///     _ => Err("no such file".to_string()),
/// };
/// let expanded = expand("```rust\n{{#include hello.rs}}\n```\n", "src/intro.md", &mut read).unwrap();
/// assert_eq!(expanded.text, "```rust\nfn main() {}\n```\n");
/// assert_eq!(expanded.locate(8), Some(("src/hello.rs", 0)));
/// ```
///
/// # Errors
///
/// Every directive that could not be expanded, each with the file it is
/// written in and its span there.
pub fn expand(
    text: &str,
    file: &str,
    read: &mut dyn FnMut(&str, &str) -> Result<Included, String>,
) -> Result<Expanded, Vec<IncludeError>> {
    expand_outside(text, file, &[], read)
}

/// [`expand`], leaving alone the directives of `text` that start inside
/// one of the byte ranges `kept` (given in order): a bindery book's code
/// spans, where `` `{{#include file}}` `` is text about includes. Those of
/// included files are all expanded.
///
/// # Errors
///
/// As [`expand`].
pub fn expand_outside(
    text: &str,
    file: &str,
    kept: &[Range<usize>],
    read: &mut dyn FnMut(&str, &str) -> Result<Included, String>,
) -> Result<Expanded, Vec<IncludeError>> {
    let mut expander = Expander {
        read,
        kept,
        errors: Vec::new(),
        title: None,
        chain: vec![file.to_string()],
        spent: text.len(),
        exhausted: false,
    };
    let input = Traced::copy_of(text, file);
    let output = expander.expand(&input, file);
    if expander.errors.is_empty() {
        Ok(Expanded {
            text: output.text,
            title: expander.title,
            segments: output.segments,
        })
    } else {
        Err(expander.errors)
    }
}

/// Text that knows where each of its pieces came from.
#[derive(Debug, Default)]
struct Traced {
    text: String,
    segments: Vec<Segment>,
}

impl Traced {
    /// The whole of a file, as is.
    fn copy_of(text: &str, file: &str) -> Traced {
        let mut traced = Traced::default();
        traced.push_copy(text, file, 0);
        traced
    }

    /// Appends `piece`, found at `source` in `file`.
    fn push_copy(&mut self, piece: &str, file: &str, source: usize) {
        self.push(piece, file, source, true);
    }

    /// Appends text bindery writes, on behalf of the directive at `source`.
    fn push_generated(&mut self, piece: &str, file: &str, source: usize) {
        self.push(piece, file, source, false);
    }

    fn push(&mut self, piece: &str, file: &str, source: usize, copied: bool) {
        if piece.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(piece);
        let end = self.text.len();
        if let Some(last) = self.segments.last_mut() {
            let continues = last.file == file
                && last.copied == copied
                && if copied {
                    last.source + last.expanded.len() == source
                } else {
                    last.source == source
                };
            if continues {
                last.expanded.end = end;
                return;
            }
        }
        self.segments.push(Segment {
            expanded: start..end,
            file: file.to_string(),
            source,
            copied,
        });
    }

    /// Appends a line break: the one of `included` at `at` when there is
    /// one (a `\r\n` becomes `\n`, as `str::lines` reads it).
    fn push_line_break(&mut self, included: &Included, at: usize, writer: Writer<'_>) {
        if included.text.get(at..at + 1) == Some("\n") {
            self.push_copy("\n", &included.file, at);
        } else {
            self.push_generated("\n", writer.file, writer.at);
        }
    }

    /// Appends `range` of another traced text, keeping its origins.
    fn push_from(&mut self, from: &Traced, range: Range<usize>) {
        let first = from
            .segments
            .partition_point(|s| s.expanded.end <= range.start);
        for segment in from.segments.iter().skip(first) {
            if segment.expanded.start >= range.end {
                break;
            }
            let start = segment.expanded.start.max(range.start);
            let end = segment.expanded.end.min(range.end);
            let Some(piece) = from.text.get(start..end) else {
                continue;
            };
            if segment.copied {
                let source = segment.source + (start - segment.expanded.start);
                self.push_copy(piece, &segment.file, source);
            } else {
                self.push_generated(piece, &segment.file, segment.source);
            }
        }
    }

    /// Where a range of this text is written: its file and span there.
    fn source_span(&self, range: Range<usize>) -> (String, Range<usize>) {
        let index = self
            .segments
            .partition_point(|s| s.expanded.end <= range.start);
        let Some(segment) = self.segments.get(index) else {
            return (String::new(), range);
        };
        if !segment.copied {
            return (segment.file.clone(), segment.source..segment.source);
        }
        let start = segment.source + (range.start - segment.expanded.start);
        // A directive may run over lines that were not copied together;
        // then the span stops where the first piece does.
        let end = segment.source + (range.end.min(segment.expanded.end) - segment.expanded.start);
        (segment.file.clone(), start..end)
    }
}

/// The state of one chapter's expansion.
struct Expander<'r> {
    read: &'r mut dyn FnMut(&str, &str) -> Result<Included, String>,
    /// Ranges of the chapter's own text whose directives stay as written.
    kept: &'r [Range<usize>],
    errors: Vec<IncludeError>,
    title: Option<String>,
    /// The files being expanded, the chapter first.
    chain: Vec<String>,
    /// How much of [`MAX_EXPANDED`] is spent.
    spent: usize,
    /// Whether the budget ran out: then nothing more is expanded.
    exhausted: bool,
}

impl Expander<'_> {
    /// Expands the directives in `input`, the text of `file` (or the
    /// selected part of it).
    fn expand(&mut self, input: &Traced, file: &str) -> Traced {
        let mut output = Traced::default();
        let mut copied_to = 0;
        let kept = match self.chain.len() {
            1 => self.kept,
            _ => &[],
        };
        let is_kept = |at: usize| {
            let index = kept.partition_point(|r| r.end <= at);
            kept.get(index).is_some_and(|r| r.start <= at)
        };
        for directive in find_directives(&input.text) {
            if self.exhausted {
                break;
            }
            if is_kept(directive.span.start) {
                continue;
            }
            let span = directive.span.clone();
            output.push_from(input, copied_to..span.start);
            copied_to = span.start;
            let replacement = match directive.kind {
                DirectiveKind::Unknown => continue,
                DirectiveKind::Escaped => {
                    let mut kept = Traced::default();
                    kept.push_from(input, span.start + 1..span.end);
                    Some(kept)
                }
                DirectiveKind::Title(title) => {
                    let title = title.trim();
                    if title.is_empty() {
                        self.error(input, span.clone(), IncludeErrorKind::EmptyTitle);
                        None
                    } else {
                        self.title = Some(title.to_string());
                        Some(Traced::default())
                    }
                }
                DirectiveKind::Invalid(kind) => {
                    self.error(input, span.clone(), kind);
                    None
                }
                DirectiveKind::Include {
                    target,
                    selection,
                    how,
                } => self.include(input, file, span.clone(), &target, &selection, how),
            };
            // On an error the directive stays in the text, as in mdBook.
            if self.exhausted {
                break;
            }
            if let Some(replacement) = replacement {
                // Each line after the first repeats the text before the
                // directive on its line: that is written too.
                let prefix = output.text.len() - line_start(&output.text, output.text.len());
                let repeated = prefix.saturating_mul(replacement.text.matches('\n').count());
                if !self.spend(repeated) {
                    self.over_budget(input, span, file);
                    break;
                }
                paste(&mut output, &replacement, input.source_span(span.clone()));
                copied_to = span.end;
            }
        }
        output.push_from(input, copied_to..input.text.len());
        output
    }

    /// Reads `target`, selects from it, and expands what was selected.
    fn include(
        &mut self,
        input: &Traced,
        file: &str,
        span: Range<usize>,
        target: &str,
        selection: &Selection,
        how: How,
    ) -> Option<Traced> {
        if self.chain.len() > MAX_DEPTH {
            let target = target.to_string();
            self.error(input, span, IncludeErrorKind::TooDeep { target });
            return None;
        }
        let included = match (self.read)(target, file) {
            Ok(included) => included,
            Err(message) => {
                let target = target.to_string();
                self.error(input, span, IncludeErrorKind::Read { target, message });
                return None;
            }
        };
        if self.chain.contains(&included.file) {
            let mut chain = self.chain.clone();
            chain.push(included.file);
            self.error(input, span, IncludeErrorKind::Cycle { chain });
            return None;
        }
        // Paid before the file is looked at: reading it and selecting from
        // it take time in proportion to it, whatever is selected.
        if !self.spend(included.text.len().saturating_add(span.len())) {
            self.over_budget(input, span, &included.file);
            return None;
        }
        let (directive_file, directive) = input.source_span(span.clone());
        let writer = Writer {
            file: &directive_file,
            at: directive.start,
        };
        let selected = match select(&included, selection, how, writer) {
            Ok(selected) => selected,
            Err(kind) => {
                self.error(input, span, kind);
                return None;
            }
        };
        // What selecting wrote besides the file's own text (the `# ` of
        // hidden lines, a playground's fence).
        if !self.spend(selected.text.len().saturating_sub(included.text.len())) {
            self.over_budget(input, span, &included.file);
            return None;
        }
        self.chain.push(included.file.clone());
        let expanded = self.expand(&selected, &included.file);
        self.chain.pop();
        Some(expanded)
    }

    /// Spends `bytes` of the budget: whether there were enough.
    fn spend(&mut self, bytes: usize) -> bool {
        self.spent = self.spent.saturating_add(bytes);
        self.spent <= MAX_EXPANDED
    }

    /// Reports the budget spent at the directive at `span`, which includes
    /// `file`, and stops the expansion.
    fn over_budget(&mut self, input: &Traced, span: Range<usize>, file: &str) {
        let mut chain = self.chain.clone();
        if chain.last().map(String::as_str) != Some(file) {
            chain.push(file.to_string());
        }
        self.error(input, span, IncludeErrorKind::TooLarge { chain });
        self.exhausted = true;
    }

    fn error(&mut self, input: &Traced, span: Range<usize>, kind: IncludeErrorKind) {
        let (file, span) = input.source_span(span);
        self.errors.push(IncludeError { file, span, kind });
    }
}

/// Puts inserted text in place of a directive: its lines joined with a
/// line break and whatever stood before the directive on its line, as
/// mdBook does, which keeps an include inside a list item or a quote.
fn paste(output: &mut Traced, inserted: &Traced, (file, directive): (String, Range<usize>)) {
    let line_start = output.text.rfind('\n').map_or(0, |i| i + 1);
    let prefix = output.text[line_start..].to_string();
    // Every line, an empty last one too: the lines an anchor picks may end
    // with an empty one, which mdBook keeps.
    let mut lines = split_lines(&inserted.text).peekable();
    while let Some(line) = lines.next() {
        output.push_from(inserted, line.clone());
        if lines.peek().is_none() {
            break;
        }
        // The line break itself stays a copy where nothing is added.
        if prefix.is_empty() && inserted.text.get(line.end..line.end + 1) == Some("\n") {
            output.push_from(inserted, line.end..line.end + 1);
        } else {
            output.push_generated(&format!("\n{prefix}"), &file, directive.start);
        }
    }
}

/// The ranges of a text's lines, as `str::lines` splits them: without
/// their `\n` or `\r\n`, and no empty line after a final line break.
fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let base = text.as_ptr() as usize;
    text.lines().map(move |line| {
        let start = line.as_ptr() as usize - base;
        start..start + line.len()
    })
}

/// The ranges of every line of a text, without their `\n` or `\r\n`: as
/// [`line_ranges`], but with an empty line after a final line break.
fn split_lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let range = start..start + line.strip_suffix('\r').unwrap_or(line).len();
        start += line.len() + 1;
        range
    })
}

/// How an include treats the lines it did not select.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// `{{#include}}`: leaves them out.
    Include,
    /// `{{#rustdoc_include}}`: keeps them behind `# `.
    Rustdoc,
    /// `{{#playground}}`: takes the whole file, in a Rust block.
    Playground,
}

/// Which lines of a file to include.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selection {
    /// Lines `start..end`, counted from 0, `end` excluded (so the 1-based
    /// numbers as written, both included).
    Lines { start: usize, end: Option<usize> },
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
    /// The whole file wrapped for the playground, with these attributes.
    Playground(Vec<String>),
}

/// The directive that makes bindery write text: its file and offset.
#[derive(Clone, Copy)]
struct Writer<'w> {
    file: &'w str,
    at: usize,
}

/// The lines of `included` that `selection` picks, joined by line breaks.
/// Marker lines are dropped only when an anchor picks the lines, as mdBook
/// 0.5 does: a whole file, or a range of its lines, keeps them.
fn select(
    included: &Included,
    selection: &Selection,
    how: How,
    writer: Writer<'_>,
) -> Result<Traced, IncludeErrorKind> {
    let text = &included.text;
    let lines: Vec<Range<usize>> = line_ranges(text).collect();
    let line = |range: &Range<usize>| text.get(range.clone()).unwrap_or_default();
    let inside: Vec<bool> = match selection {
        Selection::Lines { start, end } => (0..lines.len())
            .map(|index| index >= *start && end.is_none_or(|end| index < end))
            .collect(),
        Selection::Anchor(anchor) => anchored(lines.iter().map(line), anchor, how == How::Rustdoc)
            .ok_or_else(|| missing_anchor(included, anchor))?,
        Selection::Playground(attributes) => {
            return Ok(playground(included, &lines, attributes, writer));
        }
    };
    let by_anchor = matches!(selection, Selection::Anchor(_));
    let mut selected = Traced::default();
    let mut previous: Option<&Range<usize>> = None;
    for (range, inside) in lines.iter().zip(inside) {
        if (by_anchor && is_marker(line(range))) || (!inside && how != How::Rustdoc) {
            continue;
        }
        if let Some(previous) = previous {
            selected.push_line_break(included, previous.end, writer);
        }
        if !inside {
            selected.push_generated("# ", writer.file, writer.at);
        }
        selected.push_copy(line(range), &included.file, range.start);
        previous = Some(range);
    }
    Ok(selected)
}

/// Which lines lie inside the anchor, or `None` when the file never opens
/// it. `include` takes only the first stretch, as mdBook's
/// `take_anchored_lines` does; `rustdoc_include` takes every one.
fn anchored<'t>(
    lines: impl Iterator<Item = &'t str>,
    anchor: &str,
    every: bool,
) -> Option<Vec<bool>> {
    let mut inside = false;
    let mut found = false;
    let mut done = false;
    let mut picks = Vec::new();
    for line in lines {
        if inside {
            if anchor_name(line, "ANCHOR_END:") == Some(anchor) {
                inside = false;
                done = !every;
            }
            picks.push(inside);
        } else {
            if !done && anchor_name(line, "ANCHOR:") == Some(anchor) {
                inside = true;
                found = true;
            }
            picks.push(false);
        }
    }
    found.then_some(picks)
}

fn missing_anchor(included: &Included, anchor: &str) -> IncludeErrorKind {
    let names: Vec<&str> = included
        .text
        .lines()
        .filter_map(|line| anchor_name(line, "ANCHOR:"))
        .collect();
    IncludeErrorKind::MissingAnchor {
        file: included.file.clone(),
        anchor: anchor.to_string(),
        nearest: crate::diag::did_you_mean(anchor, names).map(str::to_string),
    }
}

/// A whole file in a Rust block for the playground, as mdBook writes it:
/// ```` ```rust,attr1,attr2 ````, the file (its marker lines too), a line
/// break if it had none, and the closing fence.
fn playground(
    included: &Included,
    lines: &[Range<usize>],
    attributes: &[String],
    writer: Writer<'_>,
) -> Traced {
    let mut wrapped = Traced::default();
    let info = if attributes.is_empty() {
        "rust".to_string()
    } else {
        format!("rust,{}", attributes.join(","))
    };
    wrapped.push_generated(&format!("```{info}\n"), writer.file, writer.at);
    for range in lines {
        let line = included.text.get(range.clone()).unwrap_or_default();
        wrapped.push_copy(line, &included.file, range.start);
        wrapped.push_line_break(included, range.end, writer);
    }
    wrapped.push_generated("```\n", writer.file, writer.at);
    wrapped
}

/// Whether a line marks an anchor's start or end.
fn is_marker(line: &str) -> bool {
    anchor_name(line, "ANCHOR:").is_some() || anchor_name(line, "ANCHOR_END:").is_some()
}

/// The anchor named after `tag` anywhere in the line: mdBook's pattern
/// `ANCHOR:\s*([\w_-]+)`, which does not care about comment syntax.
fn anchor_name<'l>(line: &'l str, tag: &str) -> Option<&'l str> {
    line.match_indices(tag).find_map(|(at, _)| {
        let after = line.get(at + tag.len()..)?.trim_start();
        let end = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(after.len());
        let name = after.get(..end)?;
        (!name.is_empty()).then_some(name)
    })
}

/// A directive found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive<'t> {
    span: Range<usize>,
    kind: DirectiveKind<'t>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum DirectiveKind<'t> {
    /// `\{{#…}}`.
    Escaped,
    /// `{{#title …}}`.
    Title(&'t str),
    /// `{{#include}}`, `{{#rustdoc_include}}` or `{{#playground}}`.
    Include {
        target: String,
        selection: Selection,
        how: How,
    },
    /// A known directive that cannot be read.
    Invalid(IncludeErrorKind),
    /// Some other `{{#name …}}`, for another preprocessor: left alone.
    Unknown,
}

/// Every directive in the text, in order, found as mdBook's regex finds
/// them:
///
/// ```text
/// \\\{\{\#.*\}\}                                  escaped, to the last }} of the line
/// \{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}          a directive
/// ```
fn find_directives(text: &str) -> Vec<Directive<'_>> {
    let mut found = Vec::new();
    let mut scanner = Scanner::new(text);
    let mut at = 0;
    while let Some(offset) = text.get(at..).and_then(|rest| rest.find(['\\', '{'])) {
        let start = at + offset;
        if let Some(end) = scanner.escaped_at(start) {
            found.push(Directive {
                span: start..end,
                kind: DirectiveKind::Escaped,
            });
            at = end;
        } else if let Some((end, name, rest)) = scanner.directive_at(start) {
            found.push(Directive {
                span: start..end,
                kind: classify(name, rest),
            });
            at = end;
        } else {
            // `\` and `{` are one byte long.
            at = start + 1;
        }
    }
    found
}

/// Matches directives at given offsets, remembering what it searched for
/// so that a text full of `{{#` without `}}` takes linear time.
struct Scanner<'t> {
    text: &'t str,
    /// The next `}` at or after some offset, or the text's length.
    next_brace: Option<(usize, usize)>,
    /// The line last searched for an escape's end, and where its last
    /// `}}` starts.
    line: Option<(Range<usize>, Option<usize>)>,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        Scanner {
            text,
            next_brace: None,
            line: None,
        }
    }

    /// `\{{#` then anything on the line up to its last `}}`: the end.
    fn escaped_at(&mut self, start: usize) -> Option<usize> {
        if !self.text.get(start..)?.starts_with("\\{{#") {
            return None;
        }
        let last = match &self.line {
            Some((line, last)) if line.contains(&start) => *last,
            _ => {
                let line_start = line_start(self.text, start);
                let line_end = self.text[start..]
                    .find('\n')
                    .map_or(self.text.len(), |i| start + i);
                let last = self.text[line_start..line_end]
                    .rfind("}}")
                    .map(|i| line_start + i);
                self.line = Some((line_start..line_end, last));
                last
            }
        };
        last.filter(|&close| close >= start + 4)
            .map(|close| close + 2)
    }

    /// `{{`, whitespace, `#name`, whitespace, anything but `}`, `}}`: the
    /// end, the name and the rest.
    fn directive_at(&mut self, start: usize) -> Option<(usize, &'t str, &'t str)> {
        let text = self.text;
        let after_braces = text.get(start..)?.strip_prefix("{{")?;
        let after_space = after_braces.trim_start();
        let name_and_rest = after_space.strip_prefix('#')?;
        let name_len = name_and_rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(name_and_rest.len());
        let name_start = text.len() - name_and_rest.len();
        let name_end = name_start + name_len;
        if name_len == 0 {
            return None;
        }
        let after_name = &text[name_end..];
        let rest_start = name_end + (after_name.len() - after_name.trim_start().len());
        if rest_start == name_end {
            return None;
        }
        let close = self.next_brace(name_end);
        if !text[close..].starts_with("}}") {
            return None;
        }
        // `\s+` gives back its last character when nothing else is left
        // for `[^}]+`.
        let rest_start = if rest_start < close {
            rest_start
        } else {
            let last_space = text[name_end..close].chars().next_back()?;
            let backed = close - last_space.len_utf8();
            if backed <= name_end {
                return None;
            }
            backed
        };
        Some((
            close + 2,
            &text[name_start..name_end],
            &text[rest_start..close],
        ))
    }

    /// The first `}` at or after `from`, or the text's length.
    fn next_brace(&mut self, from: usize) -> usize {
        if let Some((searched_from, found)) = self.next_brace
            && searched_from <= from
            && from <= found
        {
            return found;
        }
        let found = self.text[from..]
            .find('}')
            .map_or(self.text.len(), |i| from + i);
        self.next_brace = Some((from, found));
        found
    }
}

/// Where the line holding `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// What a `{{#name rest}}` directive asks for.
fn classify<'t>(name: &str, rest: &'t str) -> DirectiveKind<'t> {
    match name {
        "include" => include_arguments(rest, How::Include, name),
        "rustdoc_include" => include_arguments(rest, How::Rustdoc, name),
        // `playpen` is the old name, which mdBook still reads.
        "playground" | "playpen" => playground_arguments(rest, name),
        "title" => DirectiveKind::Title(rest),
        _ => DirectiveKind::Unknown,
    }
}

/// `file`, `file:selection` or `"quoted file":selection`.
fn include_arguments<'t>(rest: &str, how: How, name: &str) -> DirectiveKind<'t> {
    let (target, selection) = match path_argument(rest) {
        PathArgument::Quoted { path, after } => {
            let after = after.trim_start();
            (path, selection(after.strip_prefix(':').unwrap_or("")))
        }
        PathArgument::Unclosed => return DirectiveKind::Invalid(IncludeErrorKind::UnclosedQuote),
        PathArgument::Plain => {
            let argument = rest.split_whitespace().next().unwrap_or("");
            let (path, selection_text) = argument.split_once(':').unwrap_or((argument, ""));
            (path.to_string(), selection(selection_text))
        }
    };
    if target.is_empty() {
        return DirectiveKind::Invalid(IncludeErrorKind::NoPath {
            directive: name.to_string(),
        });
    }
    DirectiveKind::Include {
        target,
        selection,
        how,
    }
}

/// `file attr…` or `"quoted file" attr…`.
fn playground_arguments<'t>(rest: &str, name: &str) -> DirectiveKind<'t> {
    let (target, attributes) = match path_argument(rest) {
        PathArgument::Quoted { path, after } => (path, after),
        PathArgument::Unclosed => return DirectiveKind::Invalid(IncludeErrorKind::UnclosedQuote),
        PathArgument::Plain => {
            let rest = rest.trim_start();
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        }
    };
    if target.is_empty() {
        return DirectiveKind::Invalid(IncludeErrorKind::NoPath {
            directive: name.to_string(),
        });
    }
    let attributes = attributes.split_whitespace().map(str::to_string).collect();
    DirectiveKind::Include {
        target,
        selection: Selection::Playground(attributes),
        how: How::Playground,
    }
}

/// How a directive's path is written.
enum PathArgument<'t> {
    /// Not quoted: up to the first whitespace.
    Plain,
    /// In double quotes, where `\` escapes the next character.
    Quoted {
        /// The path without quotes or escapes.
        path: String,
        /// What follows the closing quote.
        after: &'t str,
    },
    /// A quote that is never closed.
    Unclosed,
}

/// Reads a quoted path at the start of a directive's argument.
fn path_argument(rest: &str) -> PathArgument<'_> {
    let Some(inside) = rest.trim_start().strip_prefix('"') else {
        return PathArgument::Plain;
    };
    let mut path = String::new();
    let mut chars = inside.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    path.push(escaped);
                }
            }
            '"' => {
                return PathArgument::Quoted {
                    path,
                    after: &inside[at + 1..],
                };
            }
            _ => path.push(c),
        }
    }
    PathArgument::Unclosed
}

/// What follows the path's `:`, read as mdBook's `parse_range_or_anchor`
/// reads it: `10`, `10:20`, `10:`, `:20`, `:` or nothing, else an anchor.
/// Numbers count lines from 1 (0 reads as 1); an end that is not a number
/// leaves the range open; a third `:` and what follows are ignored.
fn selection(text: &str) -> Selection {
    let mut parts = text.splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let start = match first.parse::<usize>() {
        Ok(line) => Some(line.saturating_sub(1)),
        Err(_) if first.is_empty() => None,
        Err(_) => return Selection::Anchor(first.to_string()),
    };
    let end = parts.next().map(str::parse::<usize>);
    match (start, end) {
        (Some(start), Some(Ok(end))) => Selection::Lines {
            start,
            end: Some(end),
        },
        (Some(start), Some(Err(_))) => Selection::Lines { start, end: None },
        (Some(start), None) => Selection::Lines {
            start,
            end: Some(start.saturating_add(1)),
        },
        (None, Some(Ok(end))) => Selection::Lines {
            start: 0,
            end: Some(end),
        },
        (None, _) => Selection::Lines {
            start: 0,
            end: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A book in memory: files by name, resolved relative to the including
    /// file's folder, `..` allowed.
    struct Files(BTreeMap<String, String>);

    impl Files {
        fn new(files: &[(&str, &str)]) -> Self {
            Files(
                files
                    .iter()
                    .map(|(name, text)| (name.to_string(), text.to_string()))
                    .collect(),
            )
        }

        fn read(&self, target: &str, from: &str) -> Result<Included, String> {
            let mut parts: Vec<&str> = from.split('/').collect();
            parts.pop();
            for segment in target.split('/') {
                match segment {
                    "." | "" => {}
                    ".." => {
                        parts.pop();
                    }
                    _ => parts.push(segment),
                }
            }
            let file = parts.join("/");
            match self.0.get(&file) {
                Some(text) => Ok(Included {
                    file,
                    text: text.clone(),
                }),
                None => Err("no such file".into()),
            }
        }

        fn expand(&self, text: &str) -> Result<Expanded, Vec<IncludeError>> {
            expand(text, "src/chapter.md", &mut |target, from| {
                self.read(target, from)
            })
        }

        fn text(&self, text: &str) -> String {
            match self.expand(text) {
                Ok(expanded) => expanded.text,
                Err(errors) => panic!("{errors:?}"),
            }
        }
    }

    const LOREM: &str = "one\ntwo\nthree\nfour\nfive\n";

    fn lorem() -> Files {
        Files::new(&[("src/lorem.txt", LOREM)])
    }

    #[test]
    fn a_whole_file_loses_its_last_line_break() {
        let files = lorem();
        assert_eq!(
            files.text("{{#include lorem.txt}}\n"),
            "one\ntwo\nthree\nfour\nfive\n"
        );
        // Each line after the first repeats what stood before the directive.
        assert_eq!(
            files.text("[{{#include lorem.txt}}]"),
            "[one\n[two\n[three\n[four\n[five]"
        );
        assert_eq!(
            files.text("{{ #include   lorem.txt  }}"),
            "one\ntwo\nthree\nfour\nfive"
        );
        assert_eq!(
            files.text("{{#include lorem.txt:}}"),
            files.text("{{#include lorem.txt::}}")
        );
    }

    #[test]
    fn line_ranges_count_from_one_and_include_both_ends() {
        let files = lorem();
        let pick = |selection: &str| files.text(&format!("{{{{#include lorem.txt:{selection}}}}}"));
        assert_eq!(pick("2"), "two");
        assert_eq!(pick("2:4"), "two\nthree\nfour");
        assert_eq!(pick("4:"), "four\nfive");
        assert_eq!(pick(":2"), "one\ntwo");
        // The edges, as mdBook treats them.
        assert_eq!(pick("0"), "one", "0 reads as 1");
        assert_eq!(pick("0:2"), "one\ntwo");
        assert_eq!(
            pick("4:99"),
            "four\nfive",
            "past the end takes what there is"
        );
        assert_eq!(pick("9"), "");
        assert_eq!(pick("9:"), "");
        assert_eq!(pick("4:2"), "", "reversed takes nothing");
        assert_eq!(pick(":0"), "");
        assert_eq!(
            pick("::2"),
            LOREM.trim_end(),
            "three parts, and no number in the second"
        );
        assert_eq!(
            pick("2:x"),
            "two\nthree\nfour\nfive",
            "an end that is no number leaves it open"
        );
        assert_eq!(pick("2:3:9"), "two\nthree", "a third part is ignored");
        assert_eq!(
            pick("+2"),
            "two",
            "Rust's integer parsing takes a plus sign"
        );
    }

    #[test]
    fn anchors_work_in_any_comment_syntax() {
        let source = "\
use std::io;
// ANCHOR: main
fn main() {
    # ANCHOR: inner
    body();
    # ANCHOR_END: inner
}
// ANCHOR_END: main
/* ANCHOR: css */ a {} /* ANCHOR_END: css */
<!-- ANCHOR:html -->
<p>hi</p>
<!-- ANCHOR_END:html -->
-- ANCHOR: sql
select 1;
";
        let files = Files::new(&[("src/code.rs", source)]);
        assert_eq!(
            files.text("{{#include code.rs:main}}"),
            "fn main() {\n    body();\n}"
        );
        assert_eq!(files.text("{{#include code.rs:inner}}"), "    body();");
        assert_eq!(files.text("{{#include code.rs:html}}"), "<p>hi</p>");
        // An anchor never closed runs to the end of the file.
        assert_eq!(files.text("{{#include code.rs:sql}}"), "select 1;");
        // The whole file, and a range of lines, keep their marker lines.
        assert_eq!(files.text("{{#include code.rs}}"), source.trim_end());
        assert_eq!(
            files.text("{{#include code.rs:1:3}}"),
            "use std::io;\n// ANCHOR: main\nfn main() {"
        );
    }

    /// The file of mdBook's guide, "Including portions of a file".
    const GUIDE_FILE: &str = "\
/* ANCHOR: all */

// ANCHOR: component
struct Paddle {
    hello: f32,
}
// ANCHOR_END: component

////////// ANCHOR: system
impl System for MySystem { ... }
////////// ANCHOR_END: system

/* ANCHOR_END: all */
";

    #[test]
    fn the_anchors_of_mdbooks_guide_give_what_mdbook_gives() {
        let files = Files::new(&[("src/file.rs", GUIDE_FILE)]);
        assert_eq!(
            files.text("{{#include file.rs:component}}"),
            "struct Paddle {\n    hello: f32,\n}"
        );
        assert_eq!(
            files.text("{{#include file.rs:system}}"),
            "impl System for MySystem { ... }"
        );
        // "Lines containing anchor patterns inside the included anchor are
        // ignored."
        assert_eq!(
            files.text("{{#include file.rs:all}}"),
            "\nstruct Paddle {\n    hello: f32,\n}\n\nimpl System for MySystem { ... }\n"
        );
        // The whole file is the whole file, marker lines and all.
        assert_eq!(files.text("{{#include file.rs}}"), GUIDE_FILE.trim_end());
        assert_eq!(
            files.text("{{#include file.rs:3:5}}"),
            "// ANCHOR: component\nstruct Paddle {\n    hello: f32,"
        );
        assert_eq!(
            files.text("{{#playground file.rs}}"),
            format!("```rust\n{GUIDE_FILE}```\n")
        );
    }

    #[test]
    fn anchored_lines_follow_mdbooks_own_examples() {
        // The cases mdBook's `take_anchored_lines` is tested with.
        let pick = |text: &str, anchor: &str| {
            let files = Files::new(&[("src/s.txt", text)]);
            match files.expand(&format!("{{{{#include s.txt:{anchor}}}}}")) {
                Ok(expanded) => Some(expanded.text),
                Err(_) => None,
            }
        };
        let s = "Lorem\nipsum\nANCHOR: test\ndolor\nsit\namet";
        assert_eq!(pick(s, "test").as_deref(), Some("dolor\nsit\namet"));
        let s = "Lorem\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nipsum";
        assert_eq!(pick(s, "test").as_deref(), Some("dolor\nsit\namet"));
        let s = "Lorem\nANCHOR: test\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nipsum";
        assert_eq!(pick(s, "test").as_deref(), Some("ipsum\ndolor\nsit\namet"));
        let s = "Lorem\nANCHOR:    test2\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nANCHOR_END:test2\nipsum";
        assert_eq!(
            pick(s, "test2").as_deref(),
            Some("ipsum\ndolor\nsit\namet\nlorem")
        );
        assert_eq!(pick(s, "test").as_deref(), Some("dolor\nsit\namet"));
        // mdBook gives nothing for an anchor the file lacks; bindery says so.
        assert_eq!(pick(s, "something"), None);
    }

    #[test]
    fn rustdoc_include_follows_mdbooks_own_examples() {
        let pick = |text: &str, selection: &str| {
            let files = Files::new(&[("src/s.txt", text)]);
            files.text(&format!("{{{{#rustdoc_include s.txt:{selection}}}}}"))
        };
        let s = "Lorem\nipsum\ndolor\nsit\namet";
        assert_eq!(pick(s, "2:3"), "# Lorem\nipsum\ndolor\n# sit\n# amet");
        assert_eq!(pick(s, "4:"), "# Lorem\n# ipsum\n# dolor\nsit\namet");
        let s = "Lorem\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nipsum";
        assert_eq!(
            pick(s, "test"),
            "# Lorem\n# ipsum\ndolor\nsit\namet\n# lorem\n# ipsum"
        );
        let s = "Lorem\nANCHOR:    test2\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nANCHOR_END:test2\nipsum";
        assert_eq!(
            pick(s, "test2"),
            "# Lorem\nipsum\ndolor\nsit\namet\nlorem\n# ipsum"
        );
        assert_eq!(
            pick(s, "test"),
            "# Lorem\n# ipsum\ndolor\nsit\namet\n# lorem\n# ipsum"
        );
        let s = "Lorem\nANCHOR: test\nipsum\nANCHOR_END: test\ndolor\nANCHOR: test\nsit\nANCHOR_END: test\namet";
        assert_eq!(pick(s, "test"), "# Lorem\nipsum\n# dolor\nsit\n# amet");
        // The example of mdBook's guide: line 2 shown, the rest hidden.
        let file = "fn main() {\n    let x = add_one(2);\n    assert_eq!(x, 3);\n}\n\nfn add_one(num: i32) -> i32 {\n    num + 1\n}\n";
        assert_eq!(
            pick(file, "2"),
            "# fn main() {\n    let x = add_one(2);\n#     assert_eq!(x, 3);\n# }\n# \n# fn add_one(num: i32) -> i32 {\n#     num + 1\n# }"
        );
    }

    #[test]
    fn include_takes_the_first_stretch_of_a_repeated_anchor() {
        let files = Files::new(&[(
            "src/a.rs",
            "x\n// ANCHOR: a\none\n// ANCHOR_END: a\ny\n// ANCHOR: a\ntwo\n// ANCHOR_END: a\nz\n",
        )]);
        assert_eq!(files.text("{{#include a.rs:a}}"), "one");
        assert_eq!(
            files.text("{{#rustdoc_include a.rs:a}}"),
            "# x\none\n# y\ntwo\n# z"
        );
    }

    #[test]
    fn a_missing_anchor_is_an_error_with_a_suggestion() {
        let files = Files::new(&[("src/a.rs", "// ANCHOR: setup\nx\n// ANCHOR_END: setup\n")]);
        let text = "See:\n{{#include a.rs:stup}}\n";
        let errors = files.expand(text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].kind.to_string(),
            "there is no anchor `stup` in `src/a.rs`"
        );
        assert_eq!(errors[0].file, "src/chapter.md");
        assert_eq!(&text[errors[0].span.clone()], "{{#include a.rs:stup}}");
        assert_eq!(errors[0].help(), "did you mean `setup`?");
        assert_eq!(errors[0].code(), "B173");
    }

    #[test]
    fn rustdoc_include_hides_the_lines_it_does_not_select() {
        let source = "use std::fmt;\n\n// ANCHOR: show\nfn show() {}\n// ANCHOR_END: show\nfn main() { show() }\n";
        let files = Files::new(&[("src/show.rs", source)]);
        assert_eq!(
            files.text("{{#rustdoc_include show.rs:show}}"),
            "# use std::fmt;\n# \nfn show() {}\n# fn main() { show() }"
        );
        // Selected by line, the marker lines stay, hidden.
        assert_eq!(
            files.text("{{#rustdoc_include show.rs:4}}"),
            "# use std::fmt;\n# \n# // ANCHOR: show\nfn show() {}\n# // ANCHOR_END: show\n# fn main() { show() }"
        );
        assert_eq!(
            files.text("{{#rustdoc_include show.rs}}"),
            source.trim_end()
        );
        assert_eq!(
            files.text("{{#rustdoc_include show.rs:9:1}}"),
            "# use std::fmt;\n# \n# // ANCHOR: show\n# fn show() {}\n# // ANCHOR_END: show\n# fn main() { show() }"
        );
    }

    #[test]
    fn playground_wraps_the_file_in_a_rust_block() {
        let files = Files::new(&[("src/p.rs", "fn main() {}")]);
        // The closing fence keeps its line break, as in mdBook.
        assert_eq!(
            files.text("{{#playground p.rs}}\n"),
            "```rust\nfn main() {}\n```\n\n"
        );
        assert_eq!(
            files.text("{{#playpen p.rs editable no_run}}"),
            "```rust,editable,no_run\nfn main() {}\n```\n"
        );
    }

    #[test]
    fn quoted_paths_may_hold_spaces_and_quotes() {
        let files = Files::new(&[("src/my file.txt", LOREM), ("src/say \"hi\".txt", "hi\n")]);
        assert_eq!(files.text("{{#include \"my file.txt\":2:3}}"), "two\nthree");
        assert_eq!(files.text("{{#include \"my file.txt\"}}"), LOREM.trim_end());
        assert_eq!(files.text("{{#include \"say \\\"hi\\\".txt\"}}"), "hi");
        let errors = files.expand("{{#include \"my file.txt}}").unwrap_err();
        assert_eq!(errors[0].kind, IncludeErrorKind::UnclosedQuote);
    }

    #[test]
    fn titles_are_taken_out_of_the_text() {
        let files = Files::new(&[("src/inner.md", "{{#title Inner}}body")]);
        let expanded = files.expand("{{#title  My Title }}\n# Heading\n").unwrap();
        assert_eq!(expanded.text, "\n# Heading\n");
        assert_eq!(expanded.title.as_deref(), Some("My Title"));
        // The last one wins, wherever it is.
        let expanded = files
            .expand("{{#title Outer}}\n{{#include inner.md}}\n")
            .unwrap();
        assert_eq!(expanded.text, "\nbody\n");
        assert_eq!(expanded.title.as_deref(), Some("Inner"));
        assert_eq!(files.expand("no title").unwrap().title, None);
        let errors = files.expand("{{#title  }}").unwrap_err();
        assert_eq!(errors[0].kind, IncludeErrorKind::EmptyTitle);
    }

    #[test]
    fn escaped_directives_stay_as_text() {
        let files = lorem();
        assert_eq!(
            files.text("```hbs\n\\{{#include lorem.txt}} << escaped\n```"),
            "```hbs\n{{#include lorem.txt}} << escaped\n```"
        );
        // The escape reaches the last `}}` of its line, as mdBook's does.
        assert_eq!(
            files.text("\\{{#include a}} and {{#include lorem.txt:1}}\n{{#include lorem.txt:2}}"),
            "{{#include a}} and {{#include lorem.txt:1}}\ntwo"
        );
        // Without `}}` on the line it is no escape.
        assert_eq!(files.text("\\{{#include lorem.txt:1\n}}"), "\\one");
    }

    #[test]
    fn other_directives_and_near_misses_are_left_alone() {
        let files = lorem();
        for text in [
            "{{#tabs}} {{#playground}} {{#include}} {{#}} {{}}",
            "{{#include lorem.txt",
            "{{#include lorem.txt}",
            "{{#include lo}rem.txt}}",
            "{{#mdbook-thing x}}",
            "{#include lorem.txt}",
        ] {
            assert_eq!(files.text(text), text);
        }
    }

    #[test]
    fn directives_without_a_path_are_errors() {
        let files = lorem();
        let errors = files.expand("{{#include  }} {{#include :3}}").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].kind.to_string(), "`{{#include}}` names no file");
        assert_eq!(errors[0].span, 0..14);
    }

    #[test]
    fn inserted_lines_repeat_the_text_before_the_directive() {
        let files = Files::new(&[("src/hello.rs", "fn main() {\n    hi();\n}\n")]);
        assert_eq!(
            files.text("- Item:\n\n  ```rust\n  {{#include hello.rs}}\n  ```\n"),
            "- Item:\n\n  ```rust\n  fn main() {\n      hi();\n  }\n  ```\n"
        );
        assert_eq!(
            files.text("> ```rust\n> {{#include hello.rs}}\n> ```"),
            "> ```rust\n> fn main() {\n>     hi();\n> }\n> ```"
        );
    }

    #[test]
    fn nested_includes_resolve_relative_to_their_own_file() {
        let files = Files::new(&[
            ("src/parts/outer.md", "Outer: {{#include inner/inner.md}}!"),
            (
                "src/parts/inner/inner.md",
                "inner and {{#include ../../shared.txt:1}}",
            ),
            ("src/shared.txt", "shared\nmore\n"),
        ]);
        assert_eq!(
            files.text("{{#include parts/outer.md}}"),
            "Outer: inner and shared!"
        );
    }

    #[test]
    fn a_cycle_is_an_error_naming_the_chain() {
        let files = Files::new(&[
            ("src/a.md", "a {{#include b.md}}"),
            ("src/b.md", "b\n{{#include chapter.md}}"),
            ("src/chapter.md", "unused"),
        ]);
        let errors = files.expand("start {{#include a.md}}").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].kind.to_string(),
            "`src/chapter.md` includes itself: `src/chapter.md` → `src/a.md` → `src/b.md` → `src/chapter.md`"
        );
        // The span is that of the directive in the file that holds it.
        assert_eq!(errors[0].file, "src/b.md");
        assert_eq!(errors[0].span, 2..25);
        let files = Files::new(&[("src/self.md", "{{#include self.md}}")]);
        let errors = files.expand("{{#include self.md}}").unwrap_err();
        assert_eq!(
            errors[0].kind.to_string(),
            "`src/self.md` includes itself: `src/chapter.md` → `src/self.md` → `src/self.md`"
        );
    }

    #[test]
    fn nesting_stops_at_the_depth_limit() {
        let mut files = Vec::new();
        for level in 0..=MAX_DEPTH + 1 {
            files.push((
                format!("src/f{level}.md"),
                format!("{level} {{{{#include f{}.md}}}}", level + 1),
            ));
        }
        files.push((format!("src/f{}.md", MAX_DEPTH + 2), "end".to_string()));
        let files = Files(files.into_iter().collect());
        let errors = files.expand("{{#include f1.md}}").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].kind.to_string(),
            "includes nest more than 10 files deep at `f11.md`"
        );
        assert_eq!(errors[0].file, "src/f10.md");
        // Ten files deep is fine.
        let mut shallow = files.0.clone();
        shallow.insert("src/f10.md".into(), "10".into());
        let expanded = Files(shallow).text("{{#include f1.md}}");
        assert_eq!(expanded, "1 2 3 4 5 6 7 8 9 10");
    }

    #[test]
    fn every_error_is_reported_with_its_file_and_span() {
        let files = Files::new(&[("src/inner.md", "x\n{{#include gone.md}}\n")]);
        let text = "{{#include missing.md}}\n{{#include inner.md}}\n";
        let errors = files.expand(text).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.file.as_str(), e.span.clone(), e.kind.to_string()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "src/chapter.md",
                    0..23,
                    "cannot include `missing.md`: no such file".to_string()
                ),
                (
                    "src/inner.md",
                    2..22,
                    "cannot include `gone.md`: no such file".to_string()
                ),
            ]
        );
        let diagnostic = errors[1].to_diagnostic();
        assert_eq!(diagnostic.code, "B170");
        assert_eq!(diagnostic.file.as_deref(), Some("src/inner.md"));
    }

    #[test]
    fn offsets_map_back_to_their_files() {
        let files = Files::new(&[(
            "src/code.rs",
            "// ANCHOR: a\nlet x = 1;\nlet y = 2;\n// ANCHOR_END: a\n",
        )]);
        let text = "Intro\n> {{#include code.rs:a}}\nEnd\n";
        let expanded = files.expand(text).unwrap();
        assert_eq!(expanded.text, "Intro\n> let x = 1;\n> let y = 2;\nEnd\n");
        let at = |needle: &str| expanded.text.find(needle).unwrap();
        assert_eq!(expanded.locate(at("Intro")), Some(("src/chapter.md", 0)));
        assert_eq!(expanded.locate(at("let x")), Some(("src/code.rs", 13)));
        assert_eq!(expanded.locate(at("let y")), Some(("src/code.rs", 24)));
        // The repeated `> ` was written by the directive.
        assert_eq!(
            expanded.locate(at("let y") - 2),
            Some(("src/chapter.md", 8))
        );
        assert_eq!(expanded.locate(at("End")), Some(("src/chapter.md", 31)));
        assert_eq!(
            expanded.locate(expanded.text.len()),
            Some(("src/chapter.md", 35))
        );
        assert_eq!(expanded.locate(expanded.text.len() + 1), None);
        // The segments cover the text without gaps.
        let mut end = 0;
        for segment in &expanded.segments {
            assert_eq!(segment.expanded.start, end);
            end = segment.expanded.end;
        }
        assert_eq!(end, expanded.text.len());
    }

    #[test]
    fn text_without_directives_is_one_segment() {
        let expanded = lorem().expand("plain {text} with { braces }\n").unwrap();
        assert_eq!(expanded.text, "plain {text} with { braces }\n");
        assert_eq!(expanded.segments.len(), 1);
        assert_eq!(lorem().expand("").unwrap().segments, []);
    }

    #[test]
    fn random_input_never_panics() {
        let alphabet: Vec<char> = "{#}:\n[]()-*# \\\"\tincludetl12é".chars().collect();
        let files = Files::new(&[
            ("src/a", "x\n{{#include b}}\n"),
            ("src/b", "// ANCHOR: a\ny\n"),
            ("src/1", "1"),
        ]);
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..4000 {
            let len = (next() % 60) as usize;
            let mut text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            if round % 3 == 0 {
                text.insert_str(0, "{{#include a}}");
            }
            match files.expand(&text) {
                Ok(expanded) if expanded.text.is_empty() => assert_eq!(expanded.locate(0), None),
                Ok(expanded) => {
                    for offset in 0..=expanded.text.len() {
                        let (file, source) = expanded.locate(offset).unwrap();
                        assert!(source <= files.0.get(file).map_or(text.len(), String::len));
                    }
                }
                Err(errors) => {
                    for error in errors {
                        let source = files
                            .0
                            .get(&error.file)
                            .map_or(text.as_str(), String::as_str);
                        assert!(
                            source.get(error.span.clone()).is_some(),
                            "{text:?} {error:?}"
                        );
                    }
                }
            }
        }
        // Long runs of openers without closers stay fast.
        let hostile = "{{#include x ".repeat(20_000) + &"\\{{#".repeat(20_000);
        assert_eq!(files.text(&hostile), hostile);
    }

    #[test]
    fn includes_that_multiply_stop_at_the_budget_naming_the_chain() {
        let times = |file: &str| format!("{{{{#include {file}}}}}\n").repeat(100);
        let files = Files::new(&[
            ("src/b.md", &times("c.md")),
            ("src/c.md", &times("d.md")),
            ("src/d.md", &"Words. ".repeat(20)),
        ]);
        let errors = files.expand(&times("b.md")).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].kind,
            IncludeErrorKind::TooLarge {
                chain: ["src/chapter.md", "src/b.md", "src/c.md", "src/d.md"]
                    .map(String::from)
                    .to_vec()
            }
        );
        assert_eq!(errors[0].code(), "B183");
        assert_eq!(errors[0].file, "src/c.md");
        assert_eq!(
            errors[0].to_diagnostic().message,
            "`src/chapter.md` with its includes comes to more than 8 MiB: \
             `src/chapter.md` → `src/b.md` → `src/c.md` → `src/d.md`"
        );
    }

    #[test]
    fn a_file_counts_in_full_each_time_it_is_included() {
        let mib = "x".repeat(1024 * 1024 - 1) + "\n";
        let files = Files::new(&[("src/big.rs", &mib)]);
        // Seven lines of it, and seven times the whole: within 8 MiB.
        assert!(files.expand(&"{{#include big.rs:1}}\n".repeat(7)).is_ok());
        let errors = files
            .expand(&"{{#include big.rs:1}}\n".repeat(8))
            .unwrap_err();
        assert!(
            matches!(errors[0].kind, IncludeErrorKind::TooLarge { .. }),
            "{errors:?}"
        );
    }

    #[test]
    fn repeated_line_prefixes_are_counted() {
        let lines = "a\n".repeat(4096);
        let files = Files::new(&[("src/lines.txt", &lines)]);
        // Each of the 4,096 lines repeats the 4 KiB before the directive.
        let prefix = "> ".repeat(2048);
        let text = format!("{prefix}{{{{#include lines.txt}}}}\n");
        let errors = files.expand(&text).unwrap_err();
        assert!(
            matches!(errors[0].kind, IncludeErrorKind::TooLarge { .. }),
            "{errors:?}"
        );
    }
}
