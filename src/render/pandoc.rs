//! pandoc's Markdown in books that are not mdBooks: a chapter's events,
//! as pulldown-cmark parsed them, → the events pandoc would have seen.
//!
//! A book made from one long pandoc document uses pandoc's extensions,
//! which CommonMark reads as text: fenced divs (`::: note`), bracketed
//! spans (`[text]{.smallcaps}`), attributes on images and links
//! (`{width=50%}`), `^superscript^` and `~subscript~`, and line blocks
//! (`| a line`). Heading attributes (`{#id .class}`) and definition lists
//! pulldown-cmark reads itself. Each construct is rewritten into events
//! the writer already knows: divs, spans, images and links with
//! attributes become raw HTML, written as pandoc writes them, which the
//! writer resolves and checks as any raw HTML; superscripts and
//! subscripts become pulldown-cmark's own tags. What cannot be read as
//! pandoc reads it is a warning (`B265`), never text left as it was
//! without a word.
//!
//! Called by `scan`, first, only for books that are not mdBooks: an
//! mdBook is read as mdBook reads it. Every event keeps its place in the
//! chapter's text: a fence line is parsed as a blank line of the same
//! length.

use crate::diag::{Code, Diagnostic};
use crate::xml::{escape_into, is_ncname};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::ops::Range;

/// One event and where it is in the chapter's text.
type Spanned<'a> = (Event<'a>, Range<usize>);

/// What reading pandoc's Markdown gives: the events, the ids its
/// attributes give, and its warnings.
pub struct Read<'a> {
    pub events: Vec<Spanned<'a>>,
    /// Ids given in attributes (`{#id}`), with where each is: the author's,
    /// like a heading's explicit id.
    pub ids: Vec<(String, Range<usize>)>,
    pub warnings: Vec<Diagnostic>,
}

/// Reads the events of `text`, parsed as CommonMark, as pandoc would.
pub fn read<'a>(text: &'a str, display: &str, events: Vec<Spanned<'a>>) -> Read<'a> {
    let mut read = Read {
        events,
        ids: Vec::new(),
        warnings: Vec::new(),
    };
    let warn = |span: Range<usize>, message: String, help: &str| {
        Diagnostic::new(Code::PandocMarkdown, message)
            .in_file(display.to_string())
            .at(span)
            .with_help(help.to_string())
    };
    fenced_divs(text, &mut read, &warn);
    line_blocks(text, &mut read.events);
    inline(text, &mut read, &warn);
    read
}

/// The attributes pandoc writes in braces: `{#id .class key=value}`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Attributes {
    id: Option<String>,
    classes: Vec<String>,
    pairs: Vec<(String, String)>,
}

/// Attributes at the start of `text`, which starts with `{`, and how many
/// bytes they take; `None` when it is not a list of attributes.
fn attributes(text: &str) -> Option<(Attributes, usize)> {
    let inner = text.strip_prefix('{')?;
    let mut found = Attributes::default();
    let mut rest = inner;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        if let Some(after) = rest.strip_prefix('}') {
            let used = text.len() - after.len();
            return Some((found, used));
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '}' || c == '=')
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        if let Some(value) = after.strip_prefix('=') {
            if word.is_empty() {
                return None;
            }
            let (value, after) = match value.strip_prefix('"') {
                Some(quoted) => {
                    let close = quoted.find('"')?;
                    (&quoted[..close], &quoted[close + 1..])
                }
                None => {
                    let end = value
                        .find(|c: char| c.is_whitespace() || c == '}')
                        .unwrap_or(value.len());
                    value.split_at(end)
                }
            };
            found.pairs.push((word.to_string(), value.to_string()));
            rest = after;
            continue;
        }
        match word.split_at_checked(1) {
            Some(("#", id)) if !id.is_empty() => found.id = Some(id.to_string()),
            Some((".", class)) if !class.is_empty() => found.classes.push(class.to_string()),
            // pandoc's short form of `.unnumbered`.
            Some(("-", "")) => found.classes.push("unnumbered".to_string()),
            _ => return None,
        }
        rest = after;
    }
}

/// The start tag pandoc's HTML writer gives an element with these
/// attributes: the id, the classes, and each pair as an HTML attribute
/// when HTML has it (`title`, `lang`, `dir`, and on an image `width` and
/// `height` in pixels, other sizes as a style), else as `data-` one.
fn start_tag(name: &str, extra: &[(&str, &str)], attributes: &Attributes) -> String {
    let mut tag = format!("<{name}");
    let push = |tag: &mut String, name: &str, value: &str| {
        tag.push(' ');
        tag.push_str(name);
        tag.push_str("=\"");
        escape_into(tag, value, true);
        tag.push('"');
    };
    for (name, value) in extra {
        push(&mut tag, name, value);
    }
    if let Some(id) = &attributes.id {
        push(&mut tag, "id", id);
    }
    if !attributes.classes.is_empty() {
        push(&mut tag, "class", &attributes.classes.join(" "));
    }
    let mut style = String::new();
    for (key, value) in &attributes.pairs {
        let key = key.as_str();
        match key {
            "width" | "height" if name == "img" => {
                if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                    push(&mut tag, key, value);
                } else {
                    style.push_str(&format!("{key}:{value};"));
                }
            }
            "title" | "lang" | "dir" | "style" => push(&mut tag, key, value),
            _ if key.starts_with("data-") && is_ncname(key) => push(&mut tag, key, value),
            _ if is_ncname(key) && !key.contains(':') => {
                push(&mut tag, &format!("data-{key}"), value)
            }
            // Not a name an attribute can have: nothing to write it as.
            _ => {}
        }
    }
    if !style.is_empty() {
        push(&mut tag, "style", &style);
    }
    tag.push_str(if name == "img" { "/>" } else { ">" });
    tag
}

/// Raw HTML as a block of its own.
fn html_block<'a>(html: String, span: Range<usize>) -> [Spanned<'a>; 3] {
    [
        (Event::Start(Tag::HtmlBlock), span.clone()),
        (Event::Html(CowStr::from(html)), span.clone()),
        (Event::End(TagEnd::HtmlBlock), span),
    ]
}

/// A fence of a fenced div: `::: {.class}` or `::: class` opens one,
/// `:::` alone closes it.
#[derive(Debug)]
enum Fence {
    Open(Attributes),
    Close,
}

/// The fence on a line, if it is one.
fn fence(line: &str) -> Option<Fence> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line.get(indent..)?;
    if indent > 3 || !rest.starts_with(":::") {
        return None;
    }
    let rest = rest.trim_start_matches(':').trim();
    if rest.is_empty() {
        return Some(Fence::Close);
    }
    // An opening fence may end with colons too.
    let rest = rest.trim_end_matches(':').trim_end();
    if rest.starts_with('{') {
        let (attributes, used) = attributes(rest)?;
        return (used == rest.len()).then_some(Fence::Open(attributes));
    }
    if rest.contains(char::is_whitespace) {
        return None;
    }
    Some(Fence::Open(Attributes {
        classes: vec![rest.to_string()],
        ..Attributes::default()
    }))
}

/// Fenced divs: each fence line outside code and HTML is parsed as a
/// blank line, so that the blocks between fences are blocks of their own
/// (CommonMark would take `::: note` for the start of a paragraph, or of
/// a definition), and becomes a `<div>` start or end tag between the
/// top-level blocks around it.
fn fenced_divs(
    text: &str,
    read: &mut Read<'_>,
    warn: &dyn Fn(Range<usize>, String, &str) -> Diagnostic,
) {
    if !text.contains(":::") {
        return;
    }
    let verbatim: Vec<Range<usize>> = read
        .events
        .iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)))
        .map(|(_, span)| span.clone())
        .collect();
    let mut fences: Vec<(Range<usize>, Option<Fence>)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let span = start..start + content.len();
        if verbatim.iter().any(|v| v.contains(&start)) {
            continue;
        }
        match fence(content) {
            Some(Fence::Close) if open.pop().is_none() => {
                read.warnings.push(warn(
                    span.clone(),
                    "a closing `:::` without a fenced div to close is left out".into(),
                    "open the div with `::: class` or `::: {#id .class}` on a line of its own",
                ));
                fences.push((span, None));
            }
            Some(fence) => {
                if matches!(fence, Fence::Open(_)) {
                    open.push(fences.len());
                }
                fences.push((span, Some(fence)));
            }
            None => {}
        }
    }
    if fences.is_empty() {
        return;
    }
    for index in &open {
        if let Some((span, _)) = fences.get(*index) {
            read.warnings.push(warn(
                span.clone(),
                "this fenced div is never closed; it ends with the chapter".into(),
                "close it with `:::` on a line of its own",
            ));
        }
    }
    // The text with every fence line blank, parsed again: each byte keeps
    // its place, so every span still points into the chapter's text.
    let mut masked = text.as_bytes().to_vec();
    for (span, _) in &fences {
        if let Some(line) = masked.get_mut(span.clone()) {
            line.fill(b' ');
        }
    }
    let Ok(masked) = String::from_utf8(masked) else {
        return;
    };
    let events: Vec<Spanned<'static>> = crate::markdown::events(&masked)
        .into_iter()
        .map(|(event, span)| (event.into_static(), span))
        .collect();
    let mut out = Vec::with_capacity(events.len() + 3 * fences.len());
    let mut pending = fences.into_iter().peekable();
    let mut depth = 0usize;
    let mut push_div = |out: &mut Vec<Spanned<'static>>, span: Range<usize>, fence: Fence| {
        let html = match fence {
            Fence::Open(attributes) => {
                if let Some(id) = &attributes.id {
                    read.ids.push((id.clone(), span.clone()));
                }
                start_tag("div", &[], &attributes) + "\n"
            }
            Fence::Close => "</div>\n".to_string(),
        };
        out.extend(html_block(html, span));
    };
    for (event, span) in events {
        if depth == 0 {
            while let Some((fence_span, _)) = pending.peek() {
                if fence_span.start > span.start {
                    break;
                }
                if let Some((fence_span, Some(fence))) = pending.next() {
                    push_div(&mut out, fence_span, fence);
                }
            }
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push((event, span));
    }
    for (fence_span, fence) in pending {
        if let Some(fence) = fence {
            push_div(&mut out, fence_span, fence);
        }
    }
    // Those never closed end with the chapter.
    let end = text.len()..text.len();
    for _ in open {
        out.extend(html_block("</div>\n".to_string(), end.clone()));
    }
    read.events = out;
}

/// Line blocks: a paragraph whose every line starts with `| ` keeps its
/// lines and their leading spaces, in a `<div class="line-block">`.
fn line_blocks(text: &str, events: &mut Vec<Spanned<'_>>) {
    let starts: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, (e, span))| {
            matches!(e, Event::Start(Tag::Paragraph))
                && text.get(span.clone()).is_some_and(is_line_block)
        })
        .map(|(i, _)| i)
        .collect();
    if starts.is_empty() {
        return;
    }
    let mut out = Vec::with_capacity(events.len() + 4 * starts.len());
    let mut inside = false;
    let mut line_start = false;
    for (index, (event, span)) in std::mem::take(events).into_iter().enumerate() {
        match event {
            Event::Start(Tag::Paragraph) if starts.binary_search(&index).is_ok() => {
                let html = "<div class=\"line-block\">".to_string();
                out.extend(html_block(html, span.start..span.start));
                (inside, line_start) = (true, true);
            }
            Event::End(TagEnd::Paragraph) if inside => {
                out.extend(html_block("</div>\n".to_string(), span.end..span.end));
                inside = false;
            }
            Event::SoftBreak | Event::HardBreak if inside => {
                let next_is_line = text
                    .get(span.end..)
                    .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with('|'));
                if next_is_line {
                    out.push((Event::HardBreak, span));
                    line_start = true;
                } else {
                    out.push((Event::SoftBreak, span));
                }
            }
            Event::Text(piece) if inside && line_start => {
                line_start = false;
                let rest = piece.strip_prefix('|').unwrap_or(&piece);
                let rest = rest.strip_prefix(' ').unwrap_or(rest);
                // Leading spaces are kept, as no-break spaces.
                let kept = rest.trim_start_matches(' ');
                let line = "\u{a0}".repeat(rest.len() - kept.len()) + kept;
                out.push((Event::Text(CowStr::from(line)), span));
            }
            other => {
                if inside && !matches!(other, Event::Text(_)) {
                    line_start = false;
                }
                out.push((other, span));
            }
        }
    }
    *events = out;
}

/// Whether a paragraph's source is a line block: each line starts with
/// `|` and a space, or is `|` alone, or continues the line before it
/// (starts with a space).
fn is_line_block(source: &str) -> bool {
    // A line that also ends with `|` is a table row that did not make a
    // table (no delimiter row), which GitHub's Markdown keeps as text.
    let is_line = |l: &str| l == "|" || (l.starts_with("| ") && !l.ends_with('|'));
    let mut lines = source.lines().map(str::trim_end);
    let first = lines.next().unwrap_or("");
    is_line(first) && lines.all(|l| is_line(l) || (l.starts_with(' ') && !l.ends_with('|')))
}

/// The inline constructs: attributes after images and links, bracketed
/// spans, superscripts and subscripts.
fn inline(
    text: &str,
    read: &mut Read<'_>,
    warn: &dyn Fn(Range<usize>, String, &str) -> Diagnostic,
) {
    let events = &mut read.events;
    // Where each inline container starts, by depth, and the `[` texts
    // open in it.
    let mut starts: Vec<usize> = Vec::new();
    let mut brackets: Vec<Vec<usize>> = vec![Vec::new()];
    let mut index = 0;
    let mut in_code = false;
    while index < events.len() {
        let source = |span: &Range<usize>| text.get(span.clone()).unwrap_or_default();
        match &events[index].0 {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ if in_code => {}
            Event::Start(_) => {
                starts.push(index);
                brackets.push(Vec::new());
            }
            Event::End(end) => {
                let start = starts.pop();
                brackets.pop();
                if brackets.is_empty() {
                    brackets.push(Vec::new());
                }
                if matches!(end, TagEnd::Image | TagEnd::Link)
                    && let Some(start) = start
                    && let Some(attributes) = attributes_after(text, events, index, &mut read.ids)
                {
                    index = with_attributes(events, start, index, attributes);
                    continue;
                }
            }
            Event::Text(piece) if &**piece == "[" && source(&events[index].1) == "[" => {
                if let Some(open) = brackets.last_mut() {
                    open.push(index);
                }
            }
            Event::Text(piece) if &**piece == "]" && source(&events[index].1) == "]" => {
                let open = brackets.last_mut().and_then(Vec::pop);
                if let Some(open) = open
                    && let Some(attributes) = attributes_after(text, events, index, &mut read.ids)
                {
                    let span = events[open].1.clone();
                    events[open] = (
                        Event::InlineHtml(CowStr::from(start_tag("span", &[], &attributes))),
                        span,
                    );
                    let span = events[index].1.clone();
                    events[index] = (Event::InlineHtml(CowStr::from("</span>")), span);
                }
            }
            Event::Text(piece)
                if piece.ends_with('^')
                    && matches!(events.get(index + 1), Some((Event::Text(next), _)) if &**next == "[") =>
            {
                // At the `^`, the text's last character.
                let span = events[index].1.end.saturating_sub(1)..events[index].1.end;
                read.warnings.push(warn(
                    span,
                    "an inline note `^[…]` is kept as text".into(),
                    "write it as a footnote: `[^1]` here and `[^1]: …` on a line of its own",
                ));
            }
            _ => {}
        }
        index += 1;
    }
    single_tilde_subscripts(text, events);
    scripts(text, events);
}

/// The attributes that follow the event at `index` at once (`{…}` in the
/// source right after it, with no space between), taken out of the text
/// events that hold them; their id, if any, goes to `ids`. They are read
/// from the source: smart punctuation has split the events at quotes.
fn attributes_after(
    text: &str,
    events: &mut [Spanned<'_>],
    index: usize,
    ids: &mut Vec<(String, Range<usize>)>,
) -> Option<Attributes> {
    let end = events.get(index)?.1.end;
    let (Event::Text(_), span) = events.get(index + 1)? else {
        return None;
    };
    let source = text.get(span.start..)?;
    if span.start != end || !source.starts_with('{') {
        return None;
    }
    let (found, used) = attributes(source)?;
    let until = span.start + used;
    // The events the attributes take, up to the one that holds their end.
    let mut last = index + 1;
    while let Some((event, span)) = events.get(last) {
        let inside = matches!(event, Event::Text(_) | Event::SoftBreak);
        if !inside {
            return None;
        }
        if span.end >= until {
            break;
        }
        last += 1;
    }
    let (Event::Text(piece), span) = events.get(last)? else {
        return None;
    };
    // What follows the `}` in the last of them, if its text is as written.
    let cut = until.checked_sub(span.start)?;
    let rest = match text.get(span.clone()) == Some(&**piece) {
        true => piece.get(cut..).unwrap_or_default().to_string(),
        false => String::new(),
    };
    let rest_span = until.min(span.end)..span.end;
    for taken in events.get_mut(index + 1..last)? {
        taken.0 = Event::Text(CowStr::from(""));
    }
    events[last] = (Event::Text(CowStr::from(rest)), rest_span);
    if let Some(id) = &found.id {
        ids.push((id.clone(), end..until));
    }
    Some(found)
}

/// An image or link with attributes, from `start` to `end`, as raw HTML:
/// an image as one `<img>`, its alt text from its description; a link as
/// `<a>` start and end tags around its content. Returns the index after it.
fn with_attributes(
    events: &mut Vec<Spanned<'_>>,
    start: usize,
    end: usize,
    attributes: Attributes,
) -> usize {
    let (event, span) = events[start].clone();
    match event {
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => {
            let alt: String = events[start + 1..end]
                .iter()
                .filter_map(|(e, _)| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                    Event::SoftBreak | Event::HardBreak => Some(" ".to_string()),
                    _ => None,
                })
                .collect();
            let mut extra = vec![("src", dest_url.as_ref()), ("alt", alt.as_str())];
            if !title.is_empty() {
                extra.push(("title", title.as_ref()));
            }
            let tag = start_tag("img", &extra, &attributes);
            events.splice(start..=end, [(Event::InlineHtml(CowStr::from(tag)), span)]);
            start + 1
        }
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) => {
            let mut extra = vec![("href", dest_url.as_ref())];
            if !title.is_empty() {
                extra.push(("title", title.as_ref()));
            }
            let tag = start_tag("a", &extra, &attributes);
            events[start] = (Event::InlineHtml(CowStr::from(tag)), span);
            let end_span = events[end].1.clone();
            events[end] = (Event::InlineHtml(CowStr::from("</a>")), end_span);
            end + 1
        }
        _ => end + 1,
    }
}

/// `~sub~` with one tilde is a subscript in pandoc, where GitHub's
/// Markdown strikes it through; `~~struck~~` stays struck through.
fn single_tilde_subscripts(text: &str, events: &mut [Spanned<'_>]) {
    let mut open: Vec<bool> = Vec::new();
    for (event, span) in events.iter_mut() {
        match event {
            Event::Start(Tag::Strikethrough) => {
                let source = text.get(span.clone()).unwrap_or_default();
                let single = !source.starts_with("~~") && !source.contains(char::is_whitespace);
                open.push(single);
                if single {
                    *event = Event::Start(Tag::Subscript);
                }
            }
            Event::End(TagEnd::Strikethrough) => {
                let single = open.pop();
                if single == Some(true) {
                    *event = Event::End(TagEnd::Subscript);
                }
            }
            _ => {}
        }
    }
}

/// `^superscript^` and `~subscript~` inside runs of text, as pandoc reads
/// them: no space inside, not empty, the marks not escaped.
fn scripts(text: &str, events: &mut Vec<Spanned<'_>>) {
    let mut out: Vec<Spanned<'_>> = Vec::with_capacity(events.len());
    let mut run: Vec<Spanned<'_>> = Vec::new();
    // Code and an image's alt text are left as they are.
    let mut verbatim = 0usize;
    for (event, span) in std::mem::take(events) {
        match event {
            Event::Text(piece) if verbatim == 0 => run.push((Event::Text(piece), span)),
            other => {
                flush_run(text, &mut run, &mut out);
                match &other {
                    Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => verbatim += 1,
                    Event::End(TagEnd::CodeBlock | TagEnd::Image) => {
                        verbatim = verbatim.saturating_sub(1)
                    }
                    _ => {}
                }
                out.push((other, span));
            }
        }
    }
    flush_run(text, &mut run, &mut out);
    *events = out;
}

/// A run of text events, with its superscripts and subscripts as tags.
fn flush_run<'a>(text: &str, run: &mut Vec<Spanned<'a>>, out: &mut Vec<Spanned<'a>>) {
    let has_marks = run
        .iter()
        .any(|(e, _)| matches!(e, Event::Text(t) if t.contains(['^', '~'])));
    if !has_marks {
        out.append(run);
        return;
    }
    // The run as one string; for each byte, where it is in the source and
    // whether it was escaped there.
    let mut joined = String::new();
    let mut source_at: Vec<usize> = Vec::new();
    let mut escaped: Vec<bool> = Vec::new();
    for (event, span) in run.iter() {
        let Event::Text(piece) = event else { continue };
        let source = text.get(span.clone()).unwrap_or_default();
        let was_escaped = source.len() == piece.len() + 1 && source.starts_with('\\');
        let verbatim = source == &**piece;
        for offset in 0..piece.len() {
            source_at.push(match verbatim {
                true => span.start + offset,
                false => span.start,
            });
            escaped.push(was_escaped);
        }
        joined.push_str(piece);
    }
    let pairs = script_pairs(&joined, &escaped);
    if pairs.is_empty() {
        out.append(run);
        return;
    }
    run.clear();
    let span_of = |range: Range<usize>| -> Range<usize> {
        let start = source_at.get(range.start).copied().unwrap_or_default();
        let end = range
            .end
            .checked_sub(1)
            .and_then(|last| source_at.get(last))
            .map_or(start, |at| at + 1);
        start..end.max(start)
    };
    let mut at = 0;
    for (open, close, superscript) in pairs {
        if open > at {
            out.push((
                Event::Text(CowStr::from(joined[at..open].to_string())),
                span_of(at..open),
            ));
        }
        let (start, end) = match superscript {
            true => (Tag::Superscript, TagEnd::Superscript),
            false => (Tag::Subscript, TagEnd::Subscript),
        };
        let whole = span_of(open..close + 1);
        out.push((Event::Start(start), whole.clone()));
        out.push((
            Event::Text(CowStr::from(joined[open + 1..close].to_string())),
            span_of(open + 1..close),
        ));
        out.push((Event::End(end), whole));
        at = close + 1;
    }
    if at < joined.len() {
        out.push((
            Event::Text(CowStr::from(joined[at..].to_string())),
            span_of(at..joined.len()),
        ));
    }
}

/// The superscripts (`^…^`) and subscripts (`~…~`) in a text: the byte
/// offsets of their two marks, and whether each is a superscript.
fn script_pairs(text: &str, escaped: &[bool]) -> Vec<(usize, usize, bool)> {
    let bytes = text.as_bytes();
    let mut pairs = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let mark = bytes[at];
        let is_mark =
            |i: usize| bytes.get(i) == Some(&mark) && !escaped.get(i).copied().unwrap_or(true);
        if (mark == b'^' || mark == b'~') && is_mark(at) {
            let close =
                (at + 1..bytes.len()).find(|&i| is_mark(i) || bytes[i].is_ascii_whitespace());
            if let Some(close) = close
                && close > at + 1
                && is_mark(close)
                && !(mark == b'~' && (is_mark(close + 1) || (at > 0 && is_mark(at - 1))))
            {
                pairs.push((at, close, mark == b'^'));
                at = close + 1;
                continue;
            }
        }
        at += 1;
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_as_pandoc_writes_them() {
        let (found, used) =
            attributes("{#intro .note .wide key=value title=\"A b\"} rest").unwrap();
        assert_eq!(used, 42);
        assert_eq!(found.id.as_deref(), Some("intro"));
        assert_eq!(found.classes, ["note", "wide"]);
        assert_eq!(
            found.pairs,
            [
                ("key".to_string(), "value".to_string()),
                ("title".to_string(), "A b".to_string())
            ]
        );
        assert_eq!(attributes("{-}").unwrap().0.classes, ["unnumbered"]);
        for not in ["{not attributes}", "{#}", "{.a", "{=x}", "{a=\"open}"] {
            assert_eq!(attributes(not), None, "{not}");
        }
    }

    #[test]
    fn start_tags_keep_html_attributes_and_make_the_others_data() {
        let (found, _) = attributes("{#f .wide width=50% height=200 lang=fr source=x}").unwrap();
        assert_eq!(
            start_tag("img", &[("src", "a&b.png")], &found),
            "<img src=\"a&amp;b.png\" id=\"f\" class=\"wide\" height=\"200\" lang=\"fr\" data-source=\"x\" style=\"width:50%;\"/>"
        );
    }

    #[test]
    fn scripts_need_no_space_inside_and_unescaped_marks() {
        let none = vec![false; 40];
        assert_eq!(
            script_pairs("H~2~O and 2^10^", &none),
            [(1, 3, false), (11, 14, true)]
        );
        assert_eq!(script_pairs("a ^b c^ d ~~ e", &none), []);
        assert_eq!(script_pairs("^^ and ~~", &none), []);
        let mut escaped = vec![false; 5];
        escaped[1] = true;
        assert_eq!(script_pairs("2^10^", &escaped), []);
    }

    #[test]
    fn fences_open_with_a_class_or_attributes_and_close_alone() {
        assert!(matches!(fence("::: note"), Some(Fence::Open(a)) if a.classes == ["note"]));
        assert!(
            matches!(fence("::::: {#w .warning} :::"), Some(Fence::Open(a)) if a.id.as_deref() == Some("w"))
        );
        assert!(matches!(fence(":::"), Some(Fence::Close)));
        assert!(fence("::: two words").is_none());
        assert!(fence("    ::: indented code").is_none());
        assert!(fence(":: not").is_none());
    }

    #[test]
    fn line_blocks_are_paragraphs_of_bar_lines() {
        assert!(is_line_block("| one\n|   two\n|\n| three"));
        assert!(is_line_block("| one\n  continued\n| two"));
        assert!(!is_line_block("| one\ntwo"));
        assert!(!is_line_block("|one"));
        assert!(!is_line_block("| abc | def |\n| --- |\n| bar |"));
    }
}
