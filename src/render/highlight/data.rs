//! Scanners for data and configuration files: JSON, YAML, TOML, INI and
//! Java properties. Their keys are attributes, so that a reader can tell
//! them from the values.

use super::Class;
use super::code::number_end;
use super::cursor::{Cursor, escape_end, is_word};

/// The end of a string in `quote` at `open`, with backslash escapes
/// (`escapes`) or doubled quotes (`'it''s'` in YAML), within its line;
/// the end of the line when it is not closed there.
fn string_end(cursor: &Cursor, open: usize, quote: u8, escapes: bool) -> usize {
    let mut i = open + 1;
    loop {
        match cursor.byte_at(i) {
            b'\n' | 0 => return i,
            b'\\' if escapes => i = escape_end(cursor, i),
            b if b == quote => {
                if !escapes && cursor.byte_at(i + 1) == quote {
                    i += 2;
                } else {
                    return i + 1;
                }
            }
            _ => i += 1,
        }
    }
}

/// Writes the string from the cursor to `end` in `class`, with its
/// backslash escapes as escapes.
fn emit_with_escapes(cursor: &mut Cursor, class: Class, end: usize) {
    let mut i = cursor.pos();
    while i < end {
        if cursor.byte_at(i) == b'\\' {
            cursor.emit(class, i);
            let escape = escape_end(cursor, i).min(end);
            cursor.emit(Class::Escape, escape);
            i = escape;
        } else {
            i += 1;
        }
    }
    cursor.emit(class, end);
}

/// The first byte from `i` on that is not a blank (space or tab; with
/// `lines`, line breaks too).
fn skip_blanks_from(cursor: &Cursor, i: usize, lines: bool) -> usize {
    cursor.run_end(i, |b| b == b' ' || b == b'\t' || (lines && b == b'\n'))
}

fn skip_blanks(cursor: &mut Cursor) {
    let end = skip_blanks_from(cursor, cursor.pos(), false);
    cursor.skip_to(end);
}

/// Whether `text` is a number as data files write them: `42`, `-1.5e3`,
/// `0x1F`, `1_000`, a date.
fn is_number(text: &str) -> bool {
    let digits = text.trim_start_matches(['-', '+']);
    let starts = digits.bytes().next().is_some_and(|b| b.is_ascii_digit())
        || (digits.starts_with('.')
            && digits.as_bytes().get(1).is_some_and(|b| b.is_ascii_digit()));
    starts
        && digits
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+' | b':'))
}

// JSON.

/// Highlights JSON (with the comments of JSONC): keys as attributes,
/// strings, numbers and the constants `true`, `false` and `null`.
pub(super) fn scan_json(cursor: &mut Cursor) {
    while !cursor.at_end() {
        let pos = cursor.pos();
        match cursor.byte() {
            b'"' => {
                let end = string_end(cursor, pos, b'"', true);
                let after = skip_blanks_from(cursor, end, true);
                let class = if cursor.byte_at(after) == b':' {
                    Class::Attribute
                } else {
                    Class::String
                };
                emit_with_escapes(cursor, class, end);
            }
            b'-' | b'0'..=b'9' => {
                let end = number_end(cursor, pos);
                cursor.emit(Class::Number, end);
            }
            b'/' if cursor.byte_at(pos + 1) == b'/' => {
                let end = cursor.line_end(pos);
                cursor.emit(Class::Comment, end);
            }
            b'/' if cursor.byte_at(pos + 1) == b'*' => {
                let end = cursor.find(pos + 2, "*/").map_or(cursor.len(), |at| at + 2);
                cursor.emit(Class::Comment, end);
            }
            b if b.is_ascii_alphabetic() => {
                let end = cursor.run_end(pos, |b| b.is_ascii_alphanumeric());
                match cursor.slice(pos, end) {
                    "true" | "false" | "null" | "NaN" | "Infinity" => {
                        cursor.emit(Class::Constant, end);
                    }
                    _ => cursor.skip_to(end),
                }
            }
            _ => cursor.skip_char(),
        }
    }
}

// YAML.

/// Highlights YAML: keys, comments, strings, numbers, constants, anchors
/// and aliases, tags, document markers and block scalars.
pub(super) fn scan_yaml(cursor: &mut Cursor) {
    while !cursor.at_end() {
        yaml_line(cursor);
        cursor.skip_char();
    }
}

fn yaml_line(cursor: &mut Cursor) {
    let start = cursor.pos();
    let line_end = cursor.line_end(start);
    if (cursor.starts_with("---") || cursor.starts_with("..."))
        && matches!(cursor.byte_at(start + 3), b' ' | b'\t' | b'\n' | 0)
    {
        cursor.emit(Class::Meta, start + 3);
    }
    skip_blanks(cursor);
    let indent = cursor.pos() - start;
    // List items and explicit keys: `- `, `? `, `: `.
    while matches!(cursor.byte(), b'-' | b'?' | b':')
        && matches!(cursor.byte_at(cursor.pos() + 1), b' ' | b'\t' | b'\n' | 0)
    {
        let pos = cursor.pos();
        cursor.emit(Class::Operator, pos + 1);
        skip_blanks(cursor);
    }
    while cursor.pos() < line_end {
        let before = cursor.pos();
        yaml_token(cursor, line_end, indent);
        if cursor.pos() == before {
            cursor.skip_char();
        }
    }
}

/// One token of a YAML line; `indent` is the line's indentation, which a
/// block scalar's lines exceed.
fn yaml_token(cursor: &mut Cursor, line_end: usize, indent: usize) {
    let pos = cursor.pos();
    let b = cursor.byte();
    let after_blank = matches!(cursor.byte_before(pos), b' ' | b'\t' | b'\n' | 0);
    match b {
        b' ' | b'\t' => skip_blanks(cursor),
        b'#' if after_blank => cursor.emit(Class::Comment, line_end),
        b'"' | b'\'' => {
            let end = string_end(cursor, pos, b, b == b'"');
            let class = if yaml_key_follows(cursor, end) {
                Class::Attribute
            } else {
                Class::String
            };
            if b == b'"' {
                emit_with_escapes(cursor, class, end);
            } else {
                cursor.emit(class, end);
            }
        }
        b'&' | b'*' if after_blank && is_word(cursor.byte_at(pos + 1)) => {
            let end = cursor.run_end(pos + 1, |b| {
                !matches!(b, b' ' | b'\t' | b'\n' | b',' | b']' | b'}')
            });
            cursor.emit(Class::Variable, end);
        }
        b'!' if after_blank => {
            let end = cursor.run_end(pos + 1, |b| !matches!(b, b' ' | b'\t' | b'\n'));
            cursor.emit(Class::Type, end);
        }
        b'|' | b'>' if after_blank && block_scalar_header(cursor, pos, line_end) => {
            let indicators =
                cursor.run_end(pos + 1, |b| b.is_ascii_digit() || b == b'-' || b == b'+');
            cursor.emit(Class::Operator, indicators);
            let end = block_scalar_end(cursor, line_end, indent);
            let header_end = skip_blanks_from(cursor, cursor.pos(), false);
            if cursor.byte_at(header_end) == b'#' {
                cursor.skip_to(header_end);
                cursor.emit(Class::Comment, line_end);
            }
            if end > line_end {
                cursor.skip_to(line_end + 1);
                cursor.emit(Class::String, end);
            }
        }
        b'[' | b']' | b'{' | b'}' | b',' => cursor.skip_char(),
        _ => yaml_scalar(cursor, line_end),
    }
}

/// Whether `: ` (or `:` at the end of the line) follows `end`, after
/// blanks: what makes the text before it a key.
fn yaml_key_follows(cursor: &Cursor, end: usize) -> bool {
    let colon = skip_blanks_from(cursor, end, false);
    cursor.byte_at(colon) == b':' && matches!(cursor.byte_at(colon + 1), b' ' | b'\t' | b'\n' | 0)
}

/// A plain scalar: a key, a number, a constant or plain text.
fn yaml_scalar(cursor: &mut Cursor, line_end: usize) {
    let pos = cursor.pos();
    // The scalar runs to a key's colon, a comment, a flow indicator or the
    // end of the line.
    let mut end = pos;
    while end < line_end {
        let b = cursor.byte_at(end);
        let next = cursor.byte_at(end + 1);
        if (b == b':' && matches!(next, b' ' | b'\t' | b'\n' | 0))
            || (matches!(b, b' ' | b'\t') && next == b'#')
            || matches!(b, b',' | b'[' | b']' | b'{' | b'}')
        {
            break;
        }
        end += 1;
    }
    let text = cursor.slice(pos, end).trim_end();
    let token_end = pos + text.len();
    let class = if cursor.byte_at(end) == b':' && end < line_end {
        Some(Class::Attribute)
    } else if is_number(text) || matches!(text, ".inf" | "-.inf" | ".nan" | ".NaN" | ".Inf") {
        Some(Class::Number)
    } else if matches!(
        text,
        "true"
            | "false"
            | "True"
            | "False"
            | "TRUE"
            | "FALSE"
            | "null"
            | "Null"
            | "NULL"
            | "~"
            | "yes"
            | "no"
            | "on"
            | "off"
    ) {
        Some(Class::Constant)
    } else {
        None
    };
    match class {
        Some(class) => cursor.emit(class, token_end),
        None => cursor.skip_to(end.max(pos + 1)),
    }
}

/// Whether `|` or `>` at `pos` starts a block scalar: only indicators and
/// maybe a comment follow on its line.
fn block_scalar_header(cursor: &Cursor, pos: usize, line_end: usize) -> bool {
    let end = cursor.run_end(pos + 1, |b| b.is_ascii_digit() || b == b'-' || b == b'+');
    let rest = skip_blanks_from(cursor, end, false);
    rest >= line_end || cursor.byte_at(rest) == b'#'
}

/// The end of a block scalar's body: the lines after `line_end` that are
/// blank or indented more than `indent`.
fn block_scalar_end(cursor: &Cursor, line_end: usize, indent: usize) -> usize {
    let mut end = line_end;
    let mut line = line_end + 1;
    while line < cursor.len() {
        let next_end = cursor.line_end(line);
        let text = skip_blanks_from(cursor, line, false);
        let blank = text >= next_end;
        if !blank && text - line <= indent {
            break;
        }
        if !blank {
            end = next_end;
        }
        line = next_end + 1;
    }
    end
}

// TOML.

/// Highlights TOML: table headers as types, keys as attributes, strings
/// (multi-line too), numbers and dates, booleans and comments.
pub(super) fn scan_toml(cursor: &mut Cursor) {
    // The brackets open around the cursor: `[` arrays and `{` inline
    // tables, where keys come after `{` and `,`.
    let mut brackets: Vec<u8> = Vec::new();
    let mut key_position = true;
    while !cursor.at_end() {
        let pos = cursor.pos();
        let b = cursor.byte();
        let mut next_key_position = false;
        match b {
            b' ' | b'\t' => {
                skip_blanks(cursor);
                next_key_position = key_position;
            }
            b'\n' => {
                cursor.skip_char();
                next_key_position = brackets.is_empty();
            }
            b'#' => {
                let end = cursor.line_end(pos);
                cursor.emit(Class::Comment, end);
                next_key_position = key_position;
            }
            b'[' if key_position && brackets.is_empty() => {
                let line_end = cursor.line_end(pos);
                let close = cursor.find_byte(pos, b']').min(line_end);
                let end = cursor.run_end(close, |b| b == b']').min(line_end);
                cursor.emit(Class::Type, end);
            }
            b'[' | b'{' => {
                brackets.push(b);
                cursor.skip_char();
                next_key_position = b == b'{';
            }
            b']' | b'}' => {
                brackets.pop();
                cursor.skip_char();
            }
            b',' => {
                cursor.skip_char();
                next_key_position = brackets.last() == Some(&b'{');
            }
            b'"' | b'\'' => toml_string(cursor, key_position),
            _ if key_position && (is_word(b) || b == b'-') => {
                let end = cursor.run_end(pos, |b| is_word(b) || matches!(b, b'-' | b'.'));
                cursor.emit(Class::Attribute, end);
            }
            b'+' | b'-' | b'0'..=b'9' => {
                let end = cursor.run_end(pos + 1, |b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-' | b'+')
                });
                cursor.emit(Class::Number, end);
            }
            b if b.is_ascii_alphabetic() => {
                let end = cursor.run_end(pos, |b| b.is_ascii_alphanumeric());
                let class = match cursor.slice(pos, end) {
                    "true" | "false" => Some(Class::Constant),
                    "inf" | "nan" => Some(Class::Number),
                    _ => None,
                };
                match class {
                    Some(class) => cursor.emit(class, end),
                    None => cursor.skip_to(end),
                }
            }
            _ => cursor.skip_char(),
        }
        key_position = next_key_position;
    }
}

/// A TOML string: basic or literal, on one line or (tripled) several; a
/// key when it stands where a key does.
fn toml_string(cursor: &mut Cursor, key_position: bool) {
    let pos = cursor.pos();
    let quote = cursor.byte();
    let escapes = quote == b'"';
    let triple = if escapes { "\"\"\"" } else { "'''" };
    if cursor.starts_with(triple) {
        let close = cursor.find(pos + 3, triple);
        // Up to two quotes may stand right before the closing three.
        let end = close.map_or(cursor.len(), |at| cursor.run_end(at, |b| b == quote));
        if escapes {
            emit_with_escapes(cursor, Class::String, end);
        } else {
            cursor.emit(Class::String, end);
        }
        return;
    }
    let mut end = pos + 1;
    loop {
        match cursor.byte_at(end) {
            b'\n' | 0 => break,
            b'\\' if escapes => end = escape_end(cursor, end),
            b if b == quote => {
                end += 1;
                break;
            }
            _ => end += 1,
        }
    }
    let class = if key_position {
        Class::Attribute
    } else {
        Class::String
    };
    if escapes {
        emit_with_escapes(cursor, class, end);
    } else {
        cursor.emit(class, end);
    }
}

// INI and Java properties.

/// Highlights an INI file: `[sections]` as types, keys as attributes,
/// values, and `;` and `#` comments.
pub(super) fn scan_ini(cursor: &mut Cursor) {
    while !cursor.at_end() {
        skip_blanks(cursor);
        let pos = cursor.pos();
        let line_end = cursor.line_end(pos);
        match cursor.byte() {
            b';' | b'#' => cursor.emit(Class::Comment, line_end),
            b'[' => {
                let close = cursor.find_byte(pos, b']').min(line_end);
                cursor.emit(Class::Type, (close + 1).min(line_end));
            }
            b'\n' | 0 => {}
            _ => {
                let separator = cursor
                    .run_end(pos, |b| !matches!(b, b'=' | b':' | b'\n'))
                    .min(line_end);
                if separator < line_end {
                    let key = cursor.slice(pos, separator).trim_end();
                    cursor.emit(Class::Attribute, pos + key.len());
                    cursor.skip_to(separator + 1);
                }
                ini_value(cursor, line_end);
            }
        }
        cursor.skip_to(line_end);
        cursor.skip_char();
    }
}

/// The value after an INI key, with a comment after it.
fn ini_value(cursor: &mut Cursor, line_end: usize) {
    skip_blanks(cursor);
    let pos = cursor.pos();
    let comment = (pos..line_end)
        .find(|&i| {
            matches!(cursor.byte_at(i), b';' | b'#')
                && matches!(cursor.byte_before(i), b' ' | b'\t')
        })
        .unwrap_or(line_end);
    let value = cursor.slice(pos, comment).trim_end();
    let value_end = pos + value.len();
    let quoted = value.len() >= 2
        && ((value.starts_with('"') && value.ends_with('"'))
            || (value.starts_with('\'') && value.ends_with('\'')));
    let class = if quoted {
        Some(Class::String)
    } else if is_number(value) {
        Some(Class::Number)
    } else if ["true", "false", "yes", "no", "on", "off"]
        .iter()
        .any(|word| value.eq_ignore_ascii_case(word))
    {
        Some(Class::Constant)
    } else {
        None
    };
    match class {
        Some(class) => cursor.emit(class, value_end),
        None => cursor.skip_to(value_end),
    }
    if comment < line_end {
        cursor.skip_to(comment);
        cursor.emit(Class::Comment, line_end);
    }
}

/// Highlights Java properties: `#` and `!` comments, keys, and values
/// with their escapes.
pub(super) fn scan_properties(cursor: &mut Cursor) {
    let mut continued = false;
    while !cursor.at_end() {
        skip_blanks(cursor);
        let pos = cursor.pos();
        let line_end = cursor.line_end(pos);
        let is_comment = matches!(cursor.byte(), b'#' | b'!');
        if is_comment && !continued {
            cursor.emit(Class::Comment, line_end);
        } else {
            if !continued {
                properties_key(cursor, line_end);
            }
            let end_escape = properties_value(cursor, line_end);
            continued = end_escape;
        }
        if is_comment {
            continued = false;
        }
        cursor.skip_to(line_end);
        cursor.skip_char();
    }
}

/// A key, up to an unescaped `=`, `:` or blank.
fn properties_key(cursor: &mut Cursor, line_end: usize) {
    let pos = cursor.pos();
    let mut end = pos;
    while end < line_end && !matches!(cursor.byte_at(end), b'=' | b':' | b' ' | b'\t') {
        end = if cursor.byte_at(end) == b'\\' {
            cursor.char_end(end + 1)
        } else {
            end + 1
        };
    }
    cursor.emit(Class::Attribute, end.min(line_end));
}

/// A value with its escapes; returns whether the line ends with a
/// backslash, which continues the value on the next line.
fn properties_value(cursor: &mut Cursor, line_end: usize) -> bool {
    let mut i = cursor.pos();
    while i < line_end {
        if cursor.byte_at(i) == b'\\' {
            if i + 1 >= line_end {
                return true;
            }
            cursor.skip_to(i);
            let end = escape_end(cursor, i);
            cursor.emit(Class::Escape, end);
            i = end;
        } else {
            i += 1;
        }
    }
    false
}
