//! Scanners for documents and patches: diffs, Markdown, LaTeX and
//! reStructuredText. They mark structure (headings, commands, code, math,
//! changed lines) and leave prose plain.

use super::Class;
use super::code::{LOOKAHEAD, entity_end};
use super::cursor::Cursor;

// Diffs.

/// Highlights a diff: added and removed lines, hunk and file headers.
pub(super) fn scan_diff(cursor: &mut Cursor) {
    while !cursor.at_end() {
        let pos = cursor.pos();
        let end = cursor.line_end(pos);
        match diff_line_class(cursor.slice(pos, end)) {
            Some(class) => cursor.emit(class, end),
            None => cursor.skip_to(end),
        }
        cursor.skip_char();
    }
}

/// The class of a diff line, from how it starts.
fn diff_line_class(line: &str) -> Option<Class> {
    const HEADERS: &[&str] = &[
        "+++ ",
        "--- ",
        "@@",
        "diff ",
        "index ",
        "Index: ",
        "===",
        "new file mode",
        "deleted file mode",
        "old mode",
        "new mode",
        "similarity index",
        "rename from",
        "rename to",
        "copy from",
        "copy to",
        "Binary files",
        "\\ ",
        "*** ",
        "***************",
    ];
    if HEADERS.iter().any(|header| line.starts_with(header)) || line == "---" || line == "+++" {
        return Some(Class::Meta);
    }
    match line.bytes().next()? {
        b'+' | b'>' => Some(Class::Inserted),
        b'-' | b'<' => Some(Class::Deleted),
        b'!' => Some(Class::Meta),
        // `12,14c12,13` in a normal diff.
        b'0'..=b'9'
            if line
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'a' | b'c' | b'd')) =>
        {
            Some(Class::Meta)
        }
        _ => None,
    }
}

// Markdown.

/// Highlights Markdown: headings as keywords, code (fenced blocks and
/// spans) as strings, list and quote markers, link targets, escapes and
/// HTML comments.
pub(super) fn scan_markdown(cursor: &mut Cursor) {
    while !cursor.at_end() {
        markdown_line(cursor);
        cursor.skip_char();
    }
}

fn markdown_line(cursor: &mut Cursor) {
    let start = cursor.pos();
    let line_end = cursor.line_end(start);
    let text = cursor.run_end(start, |b| b == b' ' || b == b'\t');
    cursor.skip_to(text);
    let indent = text - start;
    let b = cursor.byte();
    if indent < 4 && (cursor.starts_with("```") || cursor.starts_with("~~~")) {
        let end = fence_end(cursor, text, line_end);
        cursor.emit(Class::String, end);
        return;
    }
    let hashes = cursor.run_end(text, |b| b == b'#') - text;
    if indent < 4
        && (1..=6).contains(&hashes)
        && matches!(cursor.byte_at(text + hashes), b' ' | b'\t' | b'\n' | 0)
    {
        cursor.emit(Class::Keyword, line_end);
        return;
    }
    if indent < 4 && is_rule(cursor.slice(text, line_end)) {
        let class = if b == b'=' {
            Class::Keyword
        } else {
            Class::Meta
        };
        cursor.emit(class, line_end);
        return;
    }
    markdown_markers(cursor);
    markdown_inline(cursor, line_end);
}

/// Whether a line is a thematic break (`---`, `* * *`) or a setext
/// underline (`===`).
fn is_rule(line: &str) -> bool {
    let line = line.trim_end();
    let Some(first) = line.bytes().next() else {
        return false;
    };
    let marks = line.bytes().filter(|&b| b == first).count();
    matches!(first, b'-' | b'*' | b'_' | b'=')
        && marks >= 3
        && line.bytes().all(|b| b == first || b == b' ' || b == b'\t')
}

/// The end of a fenced code block whose opening fence starts at `open`:
/// the end of its closing fence, or of the text.
fn fence_end(cursor: &Cursor, open: usize, line_end: usize) -> usize {
    let mark = cursor.byte_at(open);
    let length = cursor.run_end(open, |b| b == mark) - open;
    let mut line = line_end + 1;
    while line < cursor.len() {
        let end = cursor.line_end(line);
        let fence = cursor.run_end(line, |b| b == b' ').min(line + 3);
        let marks = cursor.run_end(fence, |b| b == mark) - fence;
        if marks >= length && cursor.slice(fence + marks, end).trim().is_empty() {
            return end;
        }
        line = end + 1;
    }
    cursor.len()
}

/// Block quote markers and a list marker at the start of a line.
fn markdown_markers(cursor: &mut Cursor) {
    loop {
        let pos = cursor.pos();
        let b = cursor.byte();
        let marker_end = match b {
            b'>' => pos + 1,
            b'-' | b'*' | b'+' if matches!(cursor.byte_at(pos + 1), b' ' | b'\t') => pos + 1,
            b'0'..=b'9' => {
                let digits = cursor.run_end(pos, |b| b.is_ascii_digit());
                let ends = matches!(cursor.byte_at(digits), b'.' | b')')
                    && matches!(cursor.byte_at(digits + 1), b' ' | b'\t' | b'\n' | 0);
                if !ends || digits - pos > 9 {
                    return;
                }
                digits + 1
            }
            _ => return,
        };
        cursor.emit(Class::Operator, marker_end);
        let after = cursor.run_end(marker_end, |b| b == b' ' || b == b'\t');
        cursor.skip_to(after);
        if b != b'>' {
            return;
        }
    }
}

/// Inline Markdown up to `line_end`: code spans, escapes, autolinks, link
/// targets, entities and HTML comments.
fn markdown_inline(cursor: &mut Cursor, mut line_end: usize) {
    while cursor.pos() < line_end {
        let pos = cursor.pos();
        let end = match cursor.byte() {
            b'`' => code_span_end(cursor, pos, line_end).map(|end| (Class::String, end)),
            b'\\' if cursor.byte_at(pos + 1).is_ascii_punctuation() => {
                Some((Class::Escape, pos + 2))
            }
            b'<' if cursor.starts_with("<!--") => {
                let end = cursor
                    .find(pos + 4, "-->")
                    .map_or(cursor.len(), |at| at + 3);
                Some((Class::Comment, end))
            }
            b'<' => autolink_end(cursor, pos, line_end).map(|end| (Class::String, end)),
            b']' if cursor.byte_at(pos + 1) == b'(' => {
                cursor.skip_to(pos + 2);
                bounded_find(cursor, pos + 2, ")", line_end).map(|close| (Class::String, close))
            }
            b'&' => {
                let end = entity_end(cursor, pos);
                (end > pos).then_some((Class::Escape, end))
            }
            _ => {
                let next = cursor.run_end(pos, |b| {
                    !matches!(b, b'`' | b'\\' | b'<' | b']' | b'&' | b'\n')
                });
                cursor.skip_to(next.max(cursor.char_end(pos)));
                continue;
            }
        };
        match end {
            Some((class, end)) => cursor.emit(class, end),
            None => cursor.skip_char(),
        }
        if cursor.pos() > line_end {
            // An HTML comment went on to another line: go on to its end.
            line_end = cursor.line_end(cursor.pos());
        }
    }
}

/// The end of a code span whose backticks start at `open`, if it closes
/// on its line.
fn code_span_end(cursor: &Cursor, open: usize, line_end: usize) -> Option<usize> {
    let ticks = cursor.run_end(open, |b| b == b'`') - open;
    let limit = line_end.min(open + LOOKAHEAD);
    let mut i = open + ticks;
    while i < limit {
        if cursor.byte_at(i) == b'`' {
            let run = cursor.run_end(i, |b| b == b'`') - i;
            if run == ticks {
                return Some(i + run);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// The end of an autolink (`<https://…>`, `<a@b.c>`) at `open`.
fn autolink_end(cursor: &Cursor, open: usize, line_end: usize) -> Option<usize> {
    let close = cursor.run_end(open + 1, |b| !matches!(b, b'>' | b' ' | b'<' | b'\n'));
    let link = cursor.slice(open + 1, close);
    let plausible = link.contains(':') || link.contains('@');
    (cursor.byte_at(close) == b'>' && close < line_end && plausible).then_some(close + 1)
}

// LaTeX.

/// How far math is looked for before a `$` is taken for a dollar.
pub(super) const MATH_LOOKAHEAD: usize = 8 * LOOKAHEAD;

/// Highlights LaTeX: commands as keywords, environment names as types,
/// escaped characters, math as strings and `%` comments.
pub(super) fn scan_latex(cursor: &mut Cursor) {
    while !cursor.at_end() {
        let pos = cursor.pos();
        match cursor.byte() {
            b'%' => {
                let end = cursor.line_end(pos);
                cursor.emit(Class::Comment, end);
            }
            b'\\' => latex_command(cursor),
            b'$' => {
                let delimiter = if cursor.byte_at(pos + 1) == b'$' {
                    "$$"
                } else {
                    "$"
                };
                match math_end(cursor, pos + delimiter.len(), delimiter) {
                    Some(end) => cursor.emit(Class::String, end),
                    None => cursor.skip_to(pos + delimiter.len()),
                }
            }
            b'&' => cursor.emit(Class::Operator, pos + 1),
            _ => {
                let next = cursor.run_end(pos, |b| !matches!(b, b'%' | b'\\' | b'$' | b'&'));
                cursor.skip_to(next.max(cursor.char_end(pos)));
            }
        }
    }
}

/// A command (`\section`), an escaped character (`\%`) or inline and
/// display math (`\(…\)`, `\[…\]`).
fn latex_command(cursor: &mut Cursor) {
    let pos = cursor.pos();
    let next = cursor.byte_at(pos + 1);
    if next == b'(' || next == b'[' {
        let close = if next == b'(' { "\\)" } else { "\\]" };
        if let Some(end) = math_end(cursor, pos + 2, close) {
            cursor.emit(Class::String, end);
            return;
        }
    }
    if !next.is_ascii_alphabetic() {
        let end = cursor.char_end(pos + 1);
        cursor.emit(Class::Escape, end);
        return;
    }
    let mut end = cursor.run_end(pos + 1, |b| b.is_ascii_alphabetic() || b == b'@');
    if cursor.byte_at(end) == b'*' {
        end += 1;
    }
    let environment = matches!(cursor.slice(pos, end), "\\begin" | "\\end");
    cursor.emit(Class::Keyword, end);
    if environment && cursor.byte_at(end) == b'{' {
        let name_end = cursor.run_end(end + 1, |b| b.is_ascii_alphanumeric() || b == b'*');
        if cursor.byte_at(name_end) == b'}' {
            cursor.skip_to(end + 1);
            cursor.emit(Class::Type, name_end);
        }
    }
}

/// The end of math that opened before `from` and closes with `close`:
/// within [`MATH_LOOKAHEAD`] and its paragraph, escaped dollars skipped.
fn math_end(cursor: &Cursor, from: usize, close: &str) -> Option<usize> {
    let mut i = from;
    let limit = (from + MATH_LOOKAHEAD).min(cursor.len());
    while i < limit {
        if cursor.starts_with_at(i, close) {
            return (i > from).then_some(i + close.len());
        }
        match cursor.byte_at(i) {
            b'\\' if close.starts_with('$') => i += 2,
            b'\n' if cursor.byte_at(i + 1) == b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

// reStructuredText.

/// Highlights reStructuredText: section titles as keywords, directives
/// and targets as meta, comments, literals and interpreted text as
/// strings, roles and fields as attributes, list markers.
pub(super) fn scan_rst(cursor: &mut Cursor) {
    while !cursor.at_end() {
        rst_line(cursor);
        cursor.skip_char();
    }
}

fn rst_line(cursor: &mut Cursor) {
    let start = cursor.pos();
    let line_end = cursor.line_end(start);
    let next_end = cursor.line_end(line_end + 1);
    let title = line_end < cursor.len()
        && !cursor.slice(start, line_end).trim().is_empty()
        && is_adornment(cursor.slice(line_end + 1, next_end));
    if is_adornment(cursor.slice(start, line_end)) || title {
        cursor.emit(Class::Keyword, line_end);
        return;
    }
    let text = cursor.run_end(start, |b| b == b' ' || b == b'\t');
    cursor.skip_to(text);
    if cursor.starts_with("..") && matches!(cursor.byte_at(text + 2), b' ' | b'\n' | 0) {
        rst_explicit_markup(cursor, text, line_end);
        return;
    }
    if cursor.byte() == b':'
        && let Some(close) = bounded_find(cursor, text + 1, ":", line_end)
        && close > text + 1
        && !cursor.slice(text, close).contains('`')
    {
        cursor.emit(Class::Attribute, close + 1);
    }
    let pos = cursor.pos();
    if matches!(cursor.byte(), b'-' | b'*' | b'+') && cursor.byte_at(pos + 1) == b' ' {
        cursor.emit(Class::Operator, pos + 1);
    }
    rst_inline(cursor, line_end);
}

/// Whether a line is a section adornment: one punctuation character,
/// repeated at least three times.
fn is_adornment(line: &str) -> bool {
    let line = line.trim_end();
    let Some(first) = line.bytes().next() else {
        return false;
    };
    line.len() >= 3 && b"=-~^\"'#*+_:.`".contains(&first) && line.bytes().all(|b| b == first)
}

/// A line starting with `..`: a directive, a target, a footnote or a
/// comment.
fn rst_explicit_markup(cursor: &mut Cursor, text: usize, line_end: usize) {
    let after = cursor.run_end(text + 2, |b| b == b' ');
    let rest = cursor.slice(after, line_end);
    let directive = rest.split_once("::").map(|(name, _)| name).filter(|name| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'|' | b' '))
    });
    if let Some(name) = directive {
        cursor.emit(Class::Meta, after + name.len() + 2);
        rst_inline(cursor, line_end);
    } else if rest.starts_with('_') || rest.starts_with('[') || rest.starts_with('|') {
        cursor.emit(Class::Meta, line_end);
    } else {
        cursor.emit(Class::Comment, line_end);
    }
}

/// Inline markup up to `line_end`.
fn rst_inline(cursor: &mut Cursor, line_end: usize) {
    while cursor.pos() < line_end {
        let pos = cursor.pos();
        let end = match cursor.byte() {
            b'`' if cursor.starts_with("``") => {
                bounded_find(cursor, pos + 2, "``", line_end).map(|at| (Class::String, at + 2))
            }
            b'`' => bounded_find(cursor, pos + 1, "`", line_end).map(|at| {
                let end = cursor.run_end(at + 1, |b| b == b'_').min(at + 3);
                (Class::String, end)
            }),
            b':' if cursor.byte_at(pos + 1).is_ascii_alphabetic() => {
                let close = cursor.run_end(pos + 1, |b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':')
                });
                // `:role:` right before interpreted text.
                if cursor.byte_before(close) == b':' && cursor.byte_at(close) == b'`' {
                    Some((Class::Attribute, close))
                } else {
                    // No role starts anywhere in the run either: it would
                    // end at the same place.
                    cursor.skip_to(close);
                    continue;
                }
            }
            b'\\' => Some((Class::Escape, cursor.char_end(pos + 1))),
            _ => {
                let next = cursor.run_end(pos, |b| !matches!(b, b'`' | b':' | b'\\' | b'\n'));
                cursor.skip_to(next.max(cursor.char_end(pos)));
                continue;
            }
        };
        match end {
            Some((class, end)) => cursor.emit(class, end),
            None => cursor.skip_char(),
        }
    }
}

/// Where `needle` next occurs from `from`, before `line_end` and within
/// [`LOOKAHEAD`].
fn bounded_find(cursor: &Cursor, from: usize, needle: &str, line_end: usize) -> Option<usize> {
    let limit = line_end.min(from + LOOKAHEAD);
    (from..limit).find(|&i| cursor.starts_with_at(i, needle))
}
