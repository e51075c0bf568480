//! The scanner for stylesheets: CSS and its dialects SCSS, Sass and Less.
//!
//! A stylesheet is a list of statements, and what a word is depends on
//! the kind of statement: a tag name in a selector, a property name in a
//! declaration, a keyword value after the colon. At the start of each
//! statement the scanner looks ahead to the `{`, `;` or `}` that ends it
//! to tell selectors from declarations (nested rules in SCSS look like
//! declarations until their brace).

use super::Class;
use super::code::{LOOKAHEAD, number_end};
use super::cursor::{Cursor, escape_end, is_word};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    Css,
    Scss,
    /// SCSS without braces and semicolons: lines and indentation.
    Sass,
    Less,
}

/// What part of a statement the scanner is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Before the statement's first token.
    Start,
    Selector,
    /// A declaration's property name.
    Property,
    /// A declaration's value.
    Value,
    /// An at-rule's name and prelude: `@media screen and (…)`.
    AtRule,
}

/// How far the scanner looks for the end of a statement; a statement
/// longer than that counts as a declaration inside braces and as a
/// selector outside.
pub(super) const STATEMENT_LOOKAHEAD: usize = 4 * LOOKAHEAD;

/// Highlights a stylesheet in `dialect`.
pub(super) fn scan(dialect: Dialect, cursor: &mut Cursor) {
    let mut part = Part::Start;
    let mut depth = 0u32;
    while !cursor.at_end() {
        let before = cursor.pos();
        part = token(dialect, cursor, part, &mut depth);
        if cursor.pos() == before {
            cursor.skip_char();
        }
    }
}

/// Scans one token; returns the part of the statement after it.
fn token(dialect: Dialect, cursor: &mut Cursor, part: Part, depth: &mut u32) -> Part {
    let pos = cursor.pos();
    let b = cursor.byte();
    match b {
        b' ' | b'\t' => {
            let end = cursor.run_end(pos, |b| b == b' ' || b == b'\t');
            cursor.skip_to(end);
            return part;
        }
        b'\n' => {
            cursor.skip_char();
            return if dialect == Dialect::Sass {
                Part::Start
            } else {
                part
            };
        }
        b'/' if cursor.byte_at(pos + 1) == b'*' => {
            let end = cursor.find(pos + 2, "*/").map_or(cursor.len(), |at| at + 2);
            cursor.emit(Class::Comment, end);
            return part;
        }
        b'/' if cursor.byte_at(pos + 1) == b'/' && dialect != Dialect::Css => {
            let end = cursor.line_end(pos);
            cursor.emit(Class::Comment, end);
            return part;
        }
        b'{' => {
            *depth += 1;
            cursor.skip_char();
            return Part::Start;
        }
        b'}' => {
            *depth = depth.saturating_sub(1);
            cursor.skip_char();
            return Part::Start;
        }
        b';' => {
            cursor.skip_char();
            return Part::Start;
        }
        b'"' | b'\'' => {
            string(cursor);
            return part;
        }
        _ => {}
    }
    let part = if part == Part::Start {
        statement_kind(dialect, cursor, *depth)
    } else {
        part
    };
    match part {
        Part::Start | Part::Selector => selector_token(dialect, cursor),
        Part::Property => property_token(dialect, cursor),
        Part::Value | Part::AtRule => value_token(dialect, cursor, part),
    }
}

/// What the statement at the cursor is, from how it starts and ends.
fn statement_kind(dialect: Dialect, cursor: &Cursor, depth: u32) -> Part {
    let pos = cursor.pos();
    let b = cursor.byte();
    if b == b'@' {
        let name_end = cursor.run_end(pos + 1, |b| is_word(b) || b == b'-');
        // `@width: 10px;` declares a variable in Less.
        let less_variable = dialect == Dialect::Less && cursor.byte_at(name_end) == b':';
        return if less_variable {
            Part::Property
        } else {
            Part::AtRule
        };
    }
    if b == b'$' && dialect != Dialect::Css {
        return Part::Property;
    }
    if dialect == Dialect::Sass {
        let name_end = cursor.run_end(pos, |b| is_word(b) || b == b'-');
        let colon = cursor.byte_at(name_end) == b':'
            && matches!(cursor.byte_at(name_end + 1), b' ' | b'\t' | b'\n' | 0);
        return if name_end > pos && colon {
            Part::Property
        } else {
            Part::Selector
        };
    }
    let mut parens = 0u32;
    for &b in cursor.bytes(pos, pos + STATEMENT_LOOKAHEAD) {
        match b {
            b'(' => parens += 1,
            b')' => parens = parens.saturating_sub(1),
            b'{' if parens == 0 => return Part::Selector,
            b';' | b'}' if parens == 0 => return Part::Property,
            _ => {}
        }
    }
    if depth > 0 {
        Part::Property
    } else {
        Part::Selector
    }
}

/// A string, with its escapes; an unclosed one ends with its line.
fn string(cursor: &mut Cursor) {
    let quote = cursor.byte();
    let mut i = cursor.pos() + 1;
    loop {
        match cursor.byte_at(i) {
            b'\n' | 0 => break,
            b'\\' => {
                cursor.emit(Class::String, i);
                let end = escape_end(cursor, i);
                cursor.emit(Class::Escape, end);
                i = end;
            }
            b if b == quote => {
                i += 1;
                break;
            }
            _ => i += 1,
        }
    }
    cursor.emit(Class::String, i);
}

/// The end of a name (`font-size`, `--gap`, `my_mixin`) at `from`.
fn name_end(cursor: &Cursor, from: usize) -> usize {
    cursor.run_end(from, |b| is_word(b) || b == b'-')
}

fn selector_token(dialect: Dialect, cursor: &mut Cursor) -> Part {
    let pos = cursor.pos();
    let b = cursor.byte();
    let next = cursor.byte_at(pos + 1);
    match b {
        b'.' | b'#' | b'%' if is_word(next) || next == b'-' => {
            let end = name_end(cursor, pos + 1);
            cursor.emit(Class::Attribute, end);
        }
        b':' => {
            let start = if next == b':' { pos + 2 } else { pos + 1 };
            let end = name_end(cursor, start);
            cursor.emit(Class::Attribute, end);
        }
        b'[' => {
            let end = name_end(cursor, pos + 1);
            cursor.skip_char();
            cursor.emit(Class::Attribute, end);
        }
        b'>' | b'+' | b'~' | b'*' | b'&' | b'=' | b'|' | b'^' | b'$' => {
            if b == b'$' && dialect != Dialect::Css && is_word(next) {
                let end = name_end(cursor, pos + 1);
                cursor.emit(Class::Variable, end);
            } else {
                cursor.emit(Class::Operator, pos + 1);
            }
        }
        b'0'..=b'9' => {
            // Keyframe selectors: `50%`.
            let end = number_end(cursor, pos);
            let end = if cursor.byte_at(end) == b'%' {
                end + 1
            } else {
                end
            };
            cursor.emit(Class::Number, end);
        }
        b if is_word(b) || b == b'-' => {
            let end = name_end(cursor, pos);
            cursor.emit(Class::Tag, end);
        }
        _ => cursor.skip_char(),
    }
    Part::Selector
}

fn property_token(dialect: Dialect, cursor: &mut Cursor) -> Part {
    let pos = cursor.pos();
    let b = cursor.byte();
    match b {
        b':' => {
            cursor.skip_char();
            Part::Value
        }
        b'$' | b'@' if dialect != Dialect::Css => {
            let end = name_end(cursor, pos + 1);
            cursor.emit(Class::Variable, end);
            Part::Property
        }
        b'-' if cursor.byte_at(pos + 1) == b'-' => {
            let end = name_end(cursor, pos);
            cursor.emit(Class::Variable, end);
            Part::Property
        }
        b if is_word(b) || b == b'-' || b == b'*' => {
            let end = name_end(cursor, pos + 1);
            cursor.emit(Class::Attribute, end);
            Part::Property
        }
        _ => {
            cursor.skip_char();
            Part::Property
        }
    }
}

/// A token of a declaration's value or an at-rule's prelude.
fn value_token(dialect: Dialect, cursor: &mut Cursor, part: Part) -> Part {
    let pos = cursor.pos();
    let b = cursor.byte();
    let next = cursor.byte_at(pos + 1);
    let number_start = b.is_ascii_digit()
        || (matches!(b, b'.' | b'-' | b'+') && next.is_ascii_digit())
        || (b == b'-' && next == b'.' && cursor.byte_at(pos + 2).is_ascii_digit());
    if number_start && !is_word(cursor.byte_before(pos)) {
        let mut end = number_end(cursor, pos);
        if cursor.byte_at(end) == b'%' {
            end += 1;
        }
        cursor.emit(Class::Number, end);
        return part;
    }
    match b {
        b'@' if is_word(next) => {
            let end = name_end(cursor, pos + 1);
            // Less names variables like at-rules; in a value they are
            // variables.
            let class = if dialect == Dialect::Less && part == Part::Value {
                Class::Variable
            } else {
                Class::Keyword
            };
            cursor.emit(class, end);
        }
        b'$' if dialect != Dialect::Css && is_word(next) => {
            let end = name_end(cursor, pos + 1);
            cursor.emit(Class::Variable, end);
        }
        b'#' if next.is_ascii_hexdigit() => {
            let end = cursor.run_end(pos + 1, is_word);
            cursor.emit(Class::Constant, end);
        }
        b'!' if next.is_ascii_alphabetic() => {
            let end = cursor.run_end(pos + 1, |b| b.is_ascii_alphabetic());
            cursor.emit(Class::Keyword, end);
        }
        b'-' if next == b'-' => {
            let end = name_end(cursor, pos);
            cursor.emit(Class::Variable, end);
        }
        b if is_word(b) || b == b'-' => value_word(cursor, part),
        _ => cursor.skip_char(),
    }
    part
}

/// A word in a value: a function name, a keyword value, `url(…)`.
fn value_word(cursor: &mut Cursor, part: Part) {
    let pos = cursor.pos();
    let end = name_end(cursor, pos);
    let word = cursor.slice(pos, end);
    if cursor.byte_at(end) == b'(' {
        cursor.emit(Class::Function, end);
        if word.eq_ignore_ascii_case("url") && !matches!(cursor.byte_at(end + 1), b'"' | b'\'') {
            // An unquoted URL may hold `//`, which is no comment.
            let close = cursor.run_end(end + 1, |b| b != b')' && b != b'\n');
            cursor.skip_to(end + 1);
            cursor.emit(Class::String, close);
        }
        return;
    }
    let class = if part == Part::AtRule {
        match word {
            "and" | "not" | "only" | "or" => Some(Class::Keyword),
            _ if cursor.byte_at(end) == b':' => Some(Class::Attribute),
            _ => None,
        }
    } else {
        Some(Class::Constant)
    };
    match class {
        Some(class) => cursor.emit(class, end),
        None => cursor.skip_to(end),
    }
}
