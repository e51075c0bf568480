//! Text from a book made safe to print on a terminal.
//!
//! A book's text reaches messages: a key it misspelt, a path it wrote, the
//! line a problem is on. Printed raw, a control character in it is an
//! instruction to the terminal: `ESC ] 52` writes the clipboard, `ESC [ 2 J`
//! clears the screen, U+202E turns the rest of the line around so that it
//! reads as something else. As rustc does, messages show such characters
//! escaped (`\u{1b}`), and source lines show each as one visible
//! character (`␛`, `�`), so that the caret under the line still lines up.

use std::borrow::Cow;

/// Whether a terminal could take `c` for an instruction rather than text:
/// the C0 and C1 controls and DEL, and the characters that change the
/// direction of the text around them (overrides, embeddings, isolates and
/// marks).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every unsafe character written as an escape, `\u{1b}`:
/// for messages, help and file names. Text without one is returned as it
/// is.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source line with every unsafe character shown as one character that
/// can be seen: a C0 control or DEL as its Control Pictures symbol
/// (`␛` for ESC), any other as U+FFFD. A tab is left to the caller, which
/// widens it.
pub fn visible_line(line: &str) -> Cow<'_, str> {
    if !line.chars().any(|c| c != '\t' && is_unsafe(c)) {
        return Cow::Borrowed(line);
    }
    Cow::Owned(
        line.chars()
            .map(|c| match c {
                '\t' => '\t',
                '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'),
                '\u{7f}' => '\u{2421}',
                c if is_unsafe(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_direction_characters_are_escaped_in_messages() {
        assert_eq!(escape("plain é 日"), "plain é 日");
        assert_eq!(
            escape("a\u{1b}]52;c;ZXZpbA==\u{7}b"),
            "a\\u{1b}]52;c;ZXZpbA==\\u{7}b"
        );
        assert_eq!(escape("x\u{202E}gpj.exe"), "x\\u{202e}gpj.exe");
        assert_eq!(escape("line\nbreak\u{9b}2J"), "line\\u{a}break\\u{9b}2J");
    }

    #[test]
    fn source_lines_keep_one_character_for_each() {
        let line = "a\u{1b}[2Jb\u{7f}\u{202E}c\td";
        let shown = visible_line(line);
        assert_eq!(shown, "a␛[2Jb␡\u{FFFD}c\td");
        assert_eq!(shown.chars().count(), line.chars().count());
    }
}
