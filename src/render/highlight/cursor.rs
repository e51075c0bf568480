//! The position of a scanner in the text, and the one way tokens reach the
//! output.
//!
//! Every scanner walks the text with a [`Cursor`]: it looks at bytes,
//! moves on over plain text, and [`Cursor::emit`]s a token when it has
//! found one. Plain text piles up until the next token, so a run of plain
//! code costs one write. Emitting slices with `get`, and an emit whose
//! bounds are not character boundaries leaves its text plain, so no
//! scanner mistake can lose text or panic.

use std::cell::Cell;

use super::{Class, Spans};

#[cfg(test)]
thread_local! {
    /// How many bytes the scanners of this thread have looked at, counted
    /// by every way a cursor lets them look: a test's measure of work
    /// that, unlike time, is the same on every machine.
    static EXAMINED: Cell<u64> = const { Cell::new(0) };
}

/// The bytes examined on this thread so far (see [`EXAMINED`]).
#[cfg(test)]
pub(super) fn examined() -> u64 {
    EXAMINED.with(Cell::get)
}

/// Counts `n` bytes looked at; nothing outside tests.
#[inline(always)]
fn count(n: usize) {
    #[cfg(test)]
    EXAMINED.with(|examined| examined.set(examined.get() + n as u64));
    #[cfg(not(test))]
    let _ = n;
}

pub(super) struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Where scanning is.
    pos: usize,
    /// Where the plain text not yet written starts; always a character
    /// boundary.
    plain_from: usize,
    /// Where scanning stops: the end of the text, or of the part of it
    /// that an embedded language covers (a `<script>` in HTML).
    end: usize,
    /// The last line looked up by [`Cursor::line_end`]: a start and the
    /// index of the first '\n' at or after it (or the length of the text).
    /// Scanners ask for the end of the line they are on at every token;
    /// remembering it keeps a long line from being searched again and
    /// again.
    line: Cell<(usize, usize)>,
    spans: &'a mut Spans,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(text: &'a str, spans: &'a mut Spans) -> Cursor<'a> {
        Cursor {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            plain_from: 0,
            end: text.len(),
            line: Cell::new((1, 0)),
            spans,
        }
    }

    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    /// Where scanning stops.
    pub(super) fn len(&self) -> usize {
        self.end
    }

    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.end
    }

    /// The byte at the cursor; 0 at the end (0 never occurs in cleaned
    /// text, so it matches nothing a scanner looks for).
    pub(super) fn byte(&self) -> u8 {
        self.byte_at(self.pos)
    }

    /// The byte at `i`; 0 past the end.
    pub(super) fn byte_at(&self, i: usize) -> u8 {
        count(1);
        if i < self.end {
            self.bytes.get(i).copied().unwrap_or(0)
        } else {
            0
        }
    }

    /// The byte before `i`; 0 at the start.
    pub(super) fn byte_before(&self, i: usize) -> u8 {
        i.checked_sub(1).map_or(0, |i| self.byte_at(i))
    }

    /// The bytes from `i` to `to` (both clamped to where scanning stops).
    pub(super) fn bytes(&self, i: usize, to: usize) -> &'a [u8] {
        let to = to.min(self.end);
        count(to.saturating_sub(i));
        self.bytes.get(i..to).unwrap_or_default()
    }

    /// The bytes from `i` to where scanning stops, not yet looked at.
    fn rest(&self, i: usize) -> &'a [u8] {
        self.bytes.get(i..self.end).unwrap_or_default()
    }

    pub(super) fn starts_with(&self, s: &str) -> bool {
        self.starts_with_at(self.pos, s)
    }

    pub(super) fn starts_with_at(&self, i: usize, s: &str) -> bool {
        let (bytes, s) = (self.rest(i), s.as_bytes());
        // Most tries fail on the first byte: compared inline, without a
        // call to `memcmp` for each.
        match (bytes.first(), s.first()) {
            (Some(a), Some(b)) if a != b => {
                count(1);
                false
            }
            _ => {
                count(s.len().min(bytes.len()).max(1));
                bytes.starts_with(s)
            }
        }
    }

    /// Like [`Self::starts_with_at`], ignoring ASCII case.
    pub(super) fn starts_with_ignore_case_at(&self, i: usize, s: &str) -> bool {
        count(s.len());
        self.rest(i)
            .get(..s.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(s.as_bytes()))
    }

    /// The text from `from` to `to`; empty if those are not character
    /// boundaries.
    pub(super) fn slice(&self, from: usize, to: usize) -> &'a str {
        count(to.saturating_sub(from));
        self.text.get(from..to).unwrap_or_default()
    }

    /// Where the line holding `i` ends: the index of its '\n', or the end.
    pub(super) fn line_end(&self, i: usize) -> usize {
        let (start, newline) = self.line.get();
        let newline = if (start..=newline).contains(&i) {
            newline
        } else {
            let newline = self
                .bytes
                .get(i..)
                .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
                .map_or(self.bytes.len(), |at| i + at);
            count(newline.saturating_sub(i) + 1);
            self.line.set((i, newline));
            newline
        };
        newline.min(self.end).max(i.min(self.end))
    }

    /// The first `byte` at or after `i`, or the end.
    pub(super) fn find_byte(&self, i: usize, byte: u8) -> usize {
        let found = self
            .rest(i)
            .iter()
            .position(|&b| b == byte)
            .map_or(self.len(), |at| i + at);
        count(found.saturating_sub(i) + 1);
        found
    }

    /// The first occurrence of `s` at or after `i`, if any.
    pub(super) fn find(&self, i: usize, s: &str) -> Option<usize> {
        let needle = s.as_bytes();
        let first = *needle.first()?;
        let mut at = i;
        while at < self.len() {
            at = self.find_byte(at, first);
            if self.starts_with_at(at, s) {
                return Some(at);
            }
            at += 1;
        }
        None
    }

    /// Whether only spaces and tabs stand between the start of the line and
    /// `i`.
    pub(super) fn at_line_start(&self, i: usize) -> bool {
        let before = self.bytes.get(..i).unwrap_or_default();
        let blanks = before
            .iter()
            .rev()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        count(blanks + 1);
        before.iter().rev().nth(blanks).is_none_or(|&b| b == b'\n')
    }

    /// The end of the run of bytes from `i` on that satisfy `keep`.
    pub(super) fn run_end(&self, i: usize, keep: impl Fn(u8) -> bool) -> usize {
        let end = self
            .rest(i)
            .iter()
            .position(|&b| !keep(b))
            .map_or(self.len(), |n| i + n);
        count(end.saturating_sub(i) + 1);
        end
    }

    /// The end of the character that starts at `i`.
    pub(super) fn char_end(&self, i: usize) -> usize {
        let width = match self.byte_at(i) {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        (i + width).min(self.len())
    }

    /// Moves on over plain text to `to`.
    pub(super) fn skip_to(&mut self, to: usize) {
        self.pos = to.clamp(self.pos, self.len());
    }

    /// Moves on over one character of plain text.
    pub(super) fn skip_char(&mut self) {
        self.pos = self.char_end(self.pos).max(self.pos + 1).min(self.len());
    }

    /// Writes the text from the cursor to `to` as one token of `class`,
    /// after the plain text before it, and moves on to `to`.
    pub(super) fn emit(&mut self, class: Class, to: usize) {
        let to = to.clamp(self.pos, self.len());
        if to == self.pos {
            return;
        }
        let (Some(plain), Some(token)) = (
            self.text.get(self.plain_from..self.pos),
            self.text.get(self.pos..to),
        ) else {
            // Not character boundaries: a scanner bug. The text is written
            // plain with what follows.
            self.pos = to;
            return;
        };
        self.spans.push(None, plain);
        self.spans.push(Some(class), token);
        self.pos = to;
        self.plain_from = to;
    }

    /// Runs `scan` on the text from the cursor to `end` only, then moves
    /// on to `end`: for a language embedded in another.
    pub(super) fn scan_until(&mut self, end: usize, scan: impl FnOnce(&mut Cursor<'a>)) {
        let outer = self.end;
        self.end = end.clamp(self.pos, outer);
        scan(self);
        self.pos = self.end;
        self.end = outer;
    }

    /// Writes the plain text left.
    pub(super) fn finish(&mut self) {
        let rest = self.text.get(self.plain_from..).unwrap_or_default();
        self.spans.push(None, rest);
        self.plain_from = self.text.len();
        self.pos = self.text.len();
    }
}

/// Whether `b` can be part of a word: an ASCII letter, digit or `_`, or
/// any byte of a non-ASCII character, so that a word never ends inside a
/// character.
pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Whether `b` can start a word.
pub(super) fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// The end of a backslash escape that starts at `i` (at the backslash):
/// `\n`, `\x41`, `\u{1F600}`, `\u00e9`, `\012`.
pub(super) fn escape_end(cursor: &Cursor, i: usize) -> usize {
    let after = i + 1;
    let hex = |from: usize, most: usize| {
        let end = cursor.run_end(from, |b| b.is_ascii_hexdigit());
        end.min(from + most)
    };
    match cursor.byte_at(after) {
        b'x' => hex(after + 1, 2),
        b'u' if cursor.byte_at(after + 1) == b'{' => {
            let close = cursor.run_end(after + 2, |b| b.is_ascii_hexdigit());
            if cursor.byte_at(close) == b'}' {
                close + 1
            } else {
                after + 1
            }
        }
        b'u' => hex(after + 1, 4),
        b'U' => hex(after + 1, 8),
        b'0'..=b'7' => cursor
            .run_end(after, |b| (b'0'..=b'7').contains(&b))
            .min(after + 3),
        0 => after.min(cursor.len()),
        _ => cursor.char_end(after),
    }
}
