//! Scanners for files that are lists of commands, one a line: Makefiles,
//! Dockerfiles and Windows batch files. What a word means depends on
//! where in its line it stands, so these go line by line.

use super::Class;
use super::code::{LOOKAHEAD, Words, has_word};
use super::cursor::{Cursor, is_word};

/// Scans a line from the cursor with `token`, which either takes a token
/// and returns true or leaves the byte to be skipped as plain text.
fn scan_rest_of_line(cursor: &mut Cursor, mut token: impl FnMut(&mut Cursor) -> bool) {
    let end = cursor.line_end(cursor.pos());
    while cursor.pos() < end {
        let before = cursor.pos();
        if !token(cursor) || cursor.pos() == before {
            cursor.skip_char();
        }
    }
}

/// Moves the cursor over spaces and tabs.
fn skip_blanks(cursor: &mut Cursor) {
    let end = cursor.run_end(cursor.pos(), |b| b == b' ' || b == b'\t');
    cursor.skip_to(end);
}

/// A string in double or single quotes that ends with its line.
fn quoted(cursor: &mut Cursor) -> bool {
    let quote = cursor.byte();
    if quote != b'"' && quote != b'\'' {
        return false;
    }
    let pos = cursor.pos();
    let close = cursor.run_end(pos + 1, |b| b != quote && b != b'\n');
    cursor.emit(
        Class::String,
        if cursor.byte_at(close) == quote {
            close + 1
        } else {
            close
        },
    );
    true
}

// Makefiles.

const MAKE_DIRECTIVES: Words = &[
    "-include", "define", "else", "endef", "endif", "export", "ifdef", "ifeq", "ifndef", "ifneq",
    "include", "override", "private", "sinclude", "undefine", "unexport", "vpath",
];

/// Highlights a Makefile: rules (targets as functions), variable
/// assignments, directives, `$(VAR)` references and comments.
pub(super) fn scan_makefile(cursor: &mut Cursor) {
    while !cursor.at_end() {
        makefile_line(cursor);
        // The line's '\n'.
        cursor.skip_char();
    }
}

fn makefile_line(cursor: &mut Cursor) {
    let start = cursor.pos();
    let recipe = cursor.byte() == b'\t';
    skip_blanks(cursor);
    if !recipe {
        makefile_statement(cursor, start);
    }
    scan_rest_of_line(cursor, make_token);
}

/// The start of a line that is not a recipe: a directive, an assignment
/// or a rule.
fn makefile_statement(cursor: &mut Cursor, start: usize) {
    let pos = cursor.pos();
    let word_end = cursor.run_end(pos, |b| is_word(b) || b == b'-');
    if has_word(
        MAKE_DIRECTIVES,
        cursor.slice(pos, word_end).as_bytes(),
        false,
    ) {
        cursor.emit(Class::Keyword, word_end);
        return;
    }
    let line_end = cursor.line_end(start);
    // The first `=` or `:` outside `$(…)` says what the line is.
    let mut depth = 0u32;
    let mut i = pos;
    while i < line_end {
        match cursor.byte_at(i) {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth = depth.saturating_sub(1),
            b'#' => return,
            b'=' | b':' | b'?' | b'+' | b'!' if depth == 0 => break,
            _ => {}
        }
        i += 1;
    }
    if i >= line_end || i == pos {
        return;
    }
    let operator_end = cursor.run_end(i, |b| matches!(b, b':' | b'=' | b'?' | b'+' | b'!'));
    let operator = cursor.slice(i, operator_end);
    let name_end = i - (cursor.slice(pos, i).len() - cursor.slice(pos, i).trim_end().len());
    if operator.ends_with('=') {
        cursor.emit(Class::Variable, name_end);
        cursor.skip_to(i);
        cursor.emit(Class::Operator, operator_end);
    } else if operator.starts_with(':') {
        let special = cursor.byte() == b'.' && cursor.byte_at(pos + 1).is_ascii_uppercase();
        cursor.emit(
            if special {
                Class::Keyword
            } else {
                Class::Function
            },
            name_end,
        );
    }
}

/// A token inside a Makefile line: a reference, a comment, a string.
fn make_token(cursor: &mut Cursor) -> bool {
    let pos = cursor.pos();
    match cursor.byte() {
        b'$' => {
            let end = make_reference_end(cursor, pos);
            cursor.emit(Class::Variable, end);
            true
        }
        b'#' if cursor.byte_before(pos) != b'\\' => {
            let end = cursor.line_end(pos);
            cursor.emit(Class::Comment, end);
            true
        }
        b'"' | b'\'' => quoted(cursor),
        _ => false,
    }
}

/// The end of a reference at `$`: `$(CC)`, `${CFLAGS}`, `$@`, `$$`.
fn make_reference_end(cursor: &Cursor, dollar: usize) -> usize {
    let open = cursor.byte_at(dollar + 1);
    let close = match open {
        b'(' => b')',
        b'{' => b'}',
        b'\n' | 0 => return dollar + 1,
        _ => return cursor.char_end(dollar + 1),
    };
    let mut depth = 0u32;
    let line_end = cursor.line_end(dollar).min(dollar + LOOKAHEAD);
    for i in dollar + 1..line_end {
        let b = cursor.byte_at(i);
        if b == open {
            depth += 1;
        } else if b == close {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i + 1;
            }
        }
    }
    dollar + 2
}

// Dockerfiles.

const DOCKER_INSTRUCTIONS: Words = &[
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// Highlights a Dockerfile: instructions, comments, strings, variables
/// and `--flags`.
pub(super) fn scan_dockerfile(cursor: &mut Cursor) {
    let mut continued = false;
    while !cursor.at_end() {
        let start = cursor.pos();
        let line_end = cursor.line_end(start);
        skip_blanks(cursor);
        let pos = cursor.pos();
        if cursor.byte() == b'#' && !continued {
            cursor.emit(Class::Comment, line_end);
        } else if !continued {
            let end = cursor.run_end(pos, |b| b.is_ascii_alphabetic());
            if has_word(DOCKER_INSTRUCTIONS, cursor.slice(pos, end).as_bytes(), true) {
                cursor.emit(Class::Keyword, end);
            }
        }
        scan_rest_of_line(cursor, docker_token);
        continued = cursor.slice(start, line_end).trim_end().ends_with('\\');
        cursor.skip_char();
    }
}

fn docker_token(cursor: &mut Cursor) -> bool {
    let pos = cursor.pos();
    let b = cursor.byte();
    let after_blank = matches!(cursor.byte_before(pos), b' ' | b'\t');
    match b {
        b'"' | b'\'' => quoted(cursor),
        b'$' => {
            let end = match cursor.byte_at(pos + 1) {
                b'{' => super::code::brace_end(cursor, pos + 1).unwrap_or(pos + 1),
                _ => cursor.run_end(pos + 1, |b| b.is_ascii_alphanumeric() || b == b'_'),
            };
            cursor.emit(Class::Variable, end);
            true
        }
        b'-' if after_blank && cursor.byte_at(pos + 1) == b'-' => {
            let end = cursor.run_end(pos + 2, |b| is_word(b) || b == b'-');
            cursor.emit(Class::Attribute, end);
            true
        }
        b'&' | b'|' | b'>' | b'<' => {
            cursor.emit(Class::Operator, pos + 1);
            true
        }
        b'a' | b'A' if after_blank => {
            let end = cursor.run_end(pos, is_word);
            let word = cursor.slice(pos, end);
            if word.eq_ignore_ascii_case("as") && cursor.byte_at(end) == b' ' {
                cursor.emit(Class::Keyword, end);
            } else {
                cursor.skip_to(end);
            }
            true
        }
        b if is_word(b) => {
            let end = cursor.run_end(pos, is_word);
            cursor.skip_to(end);
            true
        }
        _ => false,
    }
}

// Batch files.

const BATCH_KEYWORDS: Words = &[
    "call",
    "cd",
    "chdir",
    "cls",
    "copy",
    "defined",
    "del",
    "dir",
    "do",
    "echo",
    "else",
    "endlocal",
    "equ",
    "errorlevel",
    "exist",
    "exit",
    "for",
    "geq",
    "goto",
    "gtr",
    "if",
    "in",
    "leq",
    "lss",
    "md",
    "mkdir",
    "move",
    "neq",
    "not",
    "off",
    "on",
    "pause",
    "popd",
    "pushd",
    "rd",
    "ren",
    "rename",
    "rmdir",
    "set",
    "setlocal",
    "shift",
    "start",
    "title",
    "type",
];

/// Highlights a Windows batch file: `REM` and `::` comments, labels,
/// commands, `%VAR%` and `!VAR!` variables.
pub(super) fn scan_batch(cursor: &mut Cursor) {
    while !cursor.at_end() {
        skip_blanks(cursor);
        let pos = cursor.pos();
        let line_end = cursor.line_end(pos);
        if cursor.byte() == b'@' {
            cursor.emit(Class::Operator, pos + 1);
        }
        let pos = cursor.pos();
        let word_end = cursor.run_end(pos, |b| b.is_ascii_alphabetic());
        let rem = cursor.slice(pos, word_end).eq_ignore_ascii_case("rem")
            && matches!(cursor.byte_at(word_end), b' ' | b'\t' | b'\n' | 0);
        if rem || cursor.starts_with("::") {
            cursor.emit(Class::Comment, line_end);
        } else if cursor.byte() == b':' {
            let end = cursor.run_end(pos + 1, |b| is_word(b) || b == b'-' || b == b'.');
            cursor.emit(Class::Function, end);
        }
        scan_rest_of_line(cursor, batch_token);
        cursor.skip_char();
    }
}

fn batch_token(cursor: &mut Cursor) -> bool {
    let pos = cursor.pos();
    match cursor.byte() {
        b'"' => quoted(cursor),
        sign @ (b'%' | b'!') => {
            let end = batch_variable_end(cursor, pos, sign);
            if end > pos + 1 {
                cursor.emit(Class::Variable, end);
                true
            } else {
                false
            }
        }
        b'>' | b'<' | b'|' | b'&' | b'=' => {
            cursor.emit(Class::Operator, pos + 1);
            true
        }
        b if b.is_ascii_alphabetic() => {
            let end = cursor.run_end(pos, |b| is_word(b) || b == b'-' || b == b'.');
            if has_word(BATCH_KEYWORDS, cursor.slice(pos, end).as_bytes(), true) {
                cursor.emit(Class::Keyword, end);
            } else {
                cursor.skip_to(end);
            }
            true
        }
        _ => false,
    }
}

/// The end of a variable at `%` or `!`: `%PATH%`, `%1`, `%~dp0`, `%%i`,
/// `!count!`; `sign + 1` when there is none.
fn batch_variable_end(cursor: &Cursor, pos: usize, sign: u8) -> usize {
    let next = cursor.byte_at(pos + 1);
    if sign == b'%' && (next.is_ascii_digit() || next == b'*') {
        return pos + 2;
    }
    if sign == b'%' && next == b'~' {
        return cursor.run_end(pos + 2, |b| b.is_ascii_alphanumeric());
    }
    if sign == b'%' && next == b'%' {
        return cursor
            .run_end(pos + 2, |b| b.is_ascii_alphabetic())
            .min(pos + 3);
    }
    let name_end = cursor.run_end(pos + 1, |b| {
        is_word(b) || matches!(b, b'-' | b'.' | b':' | b'~' | b',')
    });
    if name_end > pos + 1 && name_end - pos < 64 && cursor.byte_at(name_end) == sign {
        name_end + 1
    } else {
        pos + 1
    }
}
