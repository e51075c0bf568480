//! The scanner for HTML and XML: tags, attribute names and values,
//! entities, comments, CDATA sections, processing instructions and
//! document type declarations. In HTML, the insides of `<script>` and
//! `<style>` are highlighted as JavaScript and CSS.

use super::Class;
use super::code::{self, entity_end};
use super::cursor::{Cursor, is_word};
use super::languages::JAVASCRIPT;
use super::stylesheet::{self, Dialect};

/// Highlights HTML.
pub(super) fn scan_html(cursor: &mut Cursor) {
    scan_markup(cursor, true);
}

/// Highlights XML.
pub(super) fn scan_xml(cursor: &mut Cursor) {
    scan_markup(cursor, false);
}

fn scan_markup(cursor: &mut Cursor, html: bool) {
    while !cursor.at_end() {
        let pos = cursor.pos();
        match cursor.byte() {
            b'<' => markup_construct(cursor, html),
            b'&' => {
                let end = entity_end(cursor, pos);
                if end > pos {
                    cursor.emit(Class::Escape, end);
                } else {
                    cursor.skip_char();
                }
            }
            _ => {
                let next = cursor.run_end(pos, |b| b != b'<' && b != b'&');
                cursor.skip_to(next);
            }
        }
    }
}

/// Whatever starts with `<` at the cursor.
fn markup_construct(cursor: &mut Cursor, html: bool) {
    let pos = cursor.pos();
    let next = cursor.byte_at(pos + 1);
    if cursor.starts_with("<!--") {
        let end = cursor
            .find(pos + 4, "-->")
            .map_or(cursor.len(), |at| at + 3);
        cursor.emit(Class::Comment, end);
    } else if cursor.starts_with("<![CDATA[") {
        cursor.emit(Class::Meta, pos + 9);
        let close = cursor.find(pos + 9, "]]>");
        cursor.emit(Class::String, close.unwrap_or(cursor.len()));
        if let Some(close) = close {
            cursor.emit(Class::Meta, close + 3);
        }
    } else if cursor.starts_with("<?") {
        let end = cursor.find(pos + 2, "?>").map_or(cursor.len(), |at| at + 2);
        cursor.emit(Class::Meta, end);
    } else if next == b'!' {
        declaration(cursor);
    } else if next.is_ascii_alphabetic()
        || next == b'_'
        || (next == b'/' && is_word(cursor.byte_at(pos + 2)))
    {
        tag(cursor, html);
    } else {
        cursor.skip_char();
    }
}

/// `<!DOCTYPE html>` and the other declarations: the keyword after `<!`,
/// the rest as meta.
fn declaration(cursor: &mut Cursor) {
    let pos = cursor.pos();
    cursor.emit(Class::Tag, pos + 2);
    let word_end = cursor.run_end(pos + 2, |b| b.is_ascii_alphabetic());
    cursor.emit(Class::Keyword, word_end);
    let close = cursor.find_byte(word_end, b'>');
    cursor.emit(Class::Meta, close);
    cursor.emit(Class::Tag, close + 1);
}

/// A start or end tag, with its attributes; after an HTML `<script>` or
/// `<style>` start tag, its content too.
fn tag(cursor: &mut Cursor, html: bool) {
    let pos = cursor.pos();
    let closing = cursor.byte_at(pos + 1) == b'/';
    let name_start = if closing { pos + 2 } else { pos + 1 };
    let name_end = cursor.run_end(name_start, |b| {
        is_word(b) || matches!(b, b'-' | b':' | b'.')
    });
    let name = cursor.slice(name_start, name_end);
    let script = name.eq_ignore_ascii_case("script");
    let style = name.eq_ignore_ascii_case("style");
    cursor.emit(Class::Tag, name_end);
    let self_closing = attributes(cursor);
    if !html || closing || self_closing || !(script || style) {
        return;
    }
    let content_end = find_end_tag(cursor, cursor.pos(), name);
    if script {
        cursor.scan_until(content_end, |cursor| code::scan(&JAVASCRIPT, cursor));
    } else {
        cursor.scan_until(content_end, |cursor| stylesheet::scan(Dialect::Css, cursor));
    }
}

/// A tag's attributes and its end; returns whether it closed itself
/// (`/>`).
fn attributes(cursor: &mut Cursor) -> bool {
    let mut value_expected = false;
    while !cursor.at_end() {
        let pos = cursor.pos();
        match cursor.byte() {
            b' ' | b'\t' | b'\n' => {
                let end = cursor.run_end(pos, |b| matches!(b, b' ' | b'\t' | b'\n'));
                cursor.skip_to(end);
                continue;
            }
            b'>' => {
                cursor.emit(Class::Tag, pos + 1);
                return false;
            }
            b'/' if cursor.byte_at(pos + 1) == b'>' => {
                cursor.emit(Class::Tag, pos + 2);
                return true;
            }
            // A tag left open: what follows is another construct.
            b'<' => return false,
            b'=' => {
                cursor.skip_char();
                value_expected = true;
                continue;
            }
            quote @ (b'"' | b'\'') => {
                let close = cursor.find_byte(pos + 1, quote);
                cursor.emit(Class::String, close + 1);
            }
            _ if value_expected => {
                let end = cursor.run_end(pos, |b| !matches!(b, b' ' | b'\t' | b'\n' | b'>'));
                cursor.emit(Class::String, end);
            }
            _ => {
                let end = cursor.run_end(pos, |b| {
                    !matches!(
                        b,
                        b' ' | b'\t' | b'\n' | b'=' | b'>' | b'/' | b'"' | b'\'' | b'<'
                    )
                });
                if end > pos {
                    cursor.emit(Class::Attribute, end);
                } else {
                    cursor.skip_char();
                }
            }
        }
        value_expected = false;
    }
    false
}

/// Where the end tag `</name` next starts from `from`, in any case; the
/// end of the text if there is none.
fn find_end_tag(cursor: &Cursor, from: usize, name: &str) -> usize {
    let mut at = from;
    while at < cursor.len() {
        at = cursor.find_byte(at, b'<');
        if cursor.byte_at(at + 1) == b'/' && cursor.starts_with_ignore_case_at(at + 2, name) {
            return at;
        }
        at += 1;
    }
    cursor.len()
}
