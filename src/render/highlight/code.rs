//! The scanner for programming languages, configured per language by a
//! [`Syntax`].
//!
//! Most languages a book shows are streams of the same kinds of tokens:
//! comments, strings, numbers, words (keywords, types, names), operators
//! and punctuation. They differ in the details (which markers start a
//! comment, which quotes a string, whether `'a` is a character or a
//! lifetime), which a [`Syntax`] lists, and in a few constructs of their
//! own, which a language's [`Hook`] handles before the shared rules.
//!
//! The scanner looks at each byte a bounded number of times: a token is
//! written as soon as it is found, and where it has to look ahead to decide
//! (the end of a regex, of `${…}`), it looks at most [`LOOKAHEAD`] bytes.
//! Strings that interpolate code (`${…}` in JavaScript, `#{…}` in Ruby)
//! and JSX elements keep their state on a stack of [`Frame`]s rather than
//! in recursive calls, so deep nesting costs memory, not stack.

use super::Class;
use super::cursor::{Cursor, escape_end, is_word, is_word_start};

/// How far the scanner looks ahead for the end of a small construct
/// before it gives up on it.
pub(super) const LOOKAHEAD: usize = 512;

/// A sorted list of words (a test checks the order).
pub(super) type Words = &'static [&'static str];

/// A language-specific rule tried before the shared ones at each token;
/// returns whether it took a token.
pub(super) type Hook = fn(&mut Scanner<'_, '_>) -> bool;

/// What the scanner needs to know about a language.
pub(super) struct Syntax {
    /// Markers of comments that run to the end of the line.
    pub line_comments: &'static [&'static str],
    pub block_comments: &'static [BlockComment],
    /// Longest first where one opens like another (`"""` before `"`).
    pub quotes: &'static [Quote],
    /// Words or signs that change the string right after them (`r"…"`).
    pub prefixes: &'static [Prefix],
    pub chars: Chars,
    /// Word lists, each sorted; several so that languages can share them.
    pub keywords: &'static [Words],
    pub types: &'static [Words],
    pub constants: &'static [Words],
    /// Well-known functions, highlighted even where they are not called
    /// with parentheses.
    pub builtins: &'static [Words],
    pub variables: &'static [Words],
    /// Keywords and the other word lists match in any case; the lists
    /// are then lower case.
    pub case_insensitive: bool,
    /// Bytes that may continue a word besides letters, digits and `_`.
    pub word_extra: &'static [u8],
    /// Bytes that may start a word besides letters and `_`.
    pub word_start_extra: &'static [u8],
    /// Bytes that may end a word (`empty?` in Ruby).
    pub word_suffix: &'static [u8],
    pub calls: Calls,
    pub capitals: Capitals,
    /// Keywords after which the next name is declared, and its class:
    /// `fn` → function, `struct` → type.
    pub declarations: &'static [(&'static str, Class)],
    /// A sign before a word (or `{…}`) and the class of both: `$x`.
    pub sigils: &'static [(u8, Class)],
    /// A sign that makes the word after it an annotation: `@Override`.
    pub annotation: Option<(u8, Class)>,
    /// A sign that starts a directive at the start of a line: `#include`.
    pub directive: Option<u8>,
    /// `#[…]` and `#![…]` are attributes (Rust).
    pub hash_attributes: bool,
    /// `/…/` is a regex where a value is expected.
    pub regex: bool,
    pub operators: &'static [u8],
    /// A line comment marker only counts after a blank or at the start of
    /// a line (`#` in shells, where `a#b` is a word).
    pub comment_after_space: bool,
    /// `name!(…)` is a macro call (Rust).
    pub macros: bool,
    /// `:name` is a symbol (Ruby, Elixir, Clojure).
    pub symbols: bool,
    /// `<<EOF` starts a here-document.
    pub heredocs: bool,
    /// `<tag>` where a value is expected starts a JSX element.
    pub jsx: bool,
    /// A word followed by `=` is a key (`name = "x"` in HCL).
    pub keys: bool,
    /// The class of the first word of a statement (nginx directives).
    pub statement_start: Option<Class>,
    pub hook: Option<Hook>,
}

impl Syntax {
    /// A language with no comments, strings or words: the base the
    /// language tables fill in.
    pub(super) const BASE: Syntax = Syntax {
        line_comments: &[],
        block_comments: &[],
        quotes: &[],
        prefixes: &[],
        chars: Chars::None,
        keywords: &[],
        types: &[],
        constants: &[],
        builtins: &[],
        variables: &[],
        case_insensitive: false,
        word_extra: &[],
        word_start_extra: &[],
        word_suffix: &[],
        calls: Calls::Parens,
        capitals: Capitals::Plain,
        declarations: &[],
        sigils: &[],
        annotation: None,
        directive: None,
        hash_attributes: false,
        regex: false,
        operators: OPERATORS,
        comment_after_space: false,
        macros: false,
        symbols: false,
        heredocs: false,
        jsx: false,
        keys: false,
        statement_start: None,
        hook: None,
    };

    fn is_word_byte(&self, b: u8) -> bool {
        is_word(b) || self.word_extra.contains(&b)
    }

    /// Whether `word` is in one of `lists`.
    pub(super) fn has(&self, lists: &[Words], word: &[u8]) -> bool {
        lists
            .iter()
            .any(|list| has_word(list, word, self.case_insensitive))
    }
}

/// Whether `word` is in `list`; with `ignore_case`, the list is lower case.
pub(super) fn has_word(list: Words, word: &[u8], ignore_case: bool) -> bool {
    let mut lower = [0; 32];
    let word = if ignore_case {
        // Longer words are in no list.
        let Some(lower) = lower.get_mut(..word.len()) else {
            return false;
        };
        for (to, from) in lower.iter_mut().zip(word) {
            *to = from.to_ascii_lowercase();
        }
        &*lower
    } else {
        word
    };
    list.binary_search_by(|k| {
        let k = k.as_bytes();
        // The first byte decides most comparisons, without a `memcmp` call.
        match (k.first(), word.first()) {
            (Some(a), Some(b)) if a != b => a.cmp(b),
            _ => k.cmp(word),
        }
    })
    .is_ok()
}

/// The operator signs most languages share.
pub(super) const OPERATORS: &[u8] = b"+-*/%=<>!&|^~?";

pub(super) struct BlockComment {
    pub open: &'static str,
    pub close: &'static str,
    /// Comments inside it nest (`/* /* */ */` in Rust).
    pub nests: bool,
    /// The markers only count at the start of a line, and the comment
    /// ends with the line of the closing one (`=begin`/`=end` in Ruby).
    pub lines: bool,
}

impl BlockComment {
    pub(super) const fn new(open: &'static str, close: &'static str) -> BlockComment {
        BlockComment {
            open,
            close,
            nests: false,
            lines: false,
        }
    }

    pub(super) const fn nesting(open: &'static str, close: &'static str) -> BlockComment {
        BlockComment {
            nests: true,
            ..BlockComment::new(open, close)
        }
    }

    pub(super) const fn lines(open: &'static str, close: &'static str) -> BlockComment {
        BlockComment {
            lines: true,
            ..BlockComment::new(open, close)
        }
    }
}

/// A kind of string literal.
#[derive(Clone, Copy)]
pub(super) struct Quote {
    pub open: &'static str,
    pub close: &'static str,
    /// The sign that escapes the next character, if any.
    pub escape: Option<u8>,
    /// The string may span lines; if not, an unclosed one ends with its
    /// line.
    pub multiline: bool,
    /// A doubled closing quote stands for itself (`'it''s'` in SQL).
    pub doubled: bool,
    /// `$name` and `${name}` inside are variables.
    pub variables: bool,
    /// The sign that starts code inside (`${`, `#{`, `\(`); the code ends
    /// at the matching bracket.
    pub code: Option<&'static str>,
    /// The quote may open right after a value; not so for `'` in MATLAB
    /// and Julia, where `a'` transposes.
    pub after_value: bool,
}

impl Quote {
    pub(super) const fn new(open: &'static str, close: &'static str) -> Quote {
        Quote {
            open,
            close,
            escape: Some(b'\\'),
            multiline: false,
            doubled: false,
            variables: false,
            code: None,
            after_value: true,
        }
    }

    /// The same quote opening and closing.
    pub(super) const fn same(quote: &'static str) -> Quote {
        Quote::new(quote, quote)
    }

    pub(super) const fn raw(self) -> Quote {
        Quote {
            escape: None,
            ..self
        }
    }

    pub(super) const fn escape(self, escape: u8) -> Quote {
        Quote {
            escape: Some(escape),
            ..self
        }
    }

    pub(super) const fn multiline(self) -> Quote {
        Quote {
            multiline: true,
            ..self
        }
    }

    pub(super) const fn doubled(self) -> Quote {
        Quote {
            doubled: true,
            ..self
        }
    }

    pub(super) const fn variables(self) -> Quote {
        Quote {
            variables: true,
            ..self
        }
    }

    pub(super) const fn code(self, open: &'static str) -> Quote {
        Quote {
            code: Some(open),
            ..self
        }
    }

    pub(super) const fn not_after_value(self) -> Quote {
        Quote {
            after_value: false,
            ..self
        }
    }
}

/// A prefix that changes the string right after it.
pub(super) struct Prefix {
    /// Matched in any case.
    pub text: &'static str,
    /// Backslashes are literal.
    pub raw: bool,
    /// `#`s may stand between the prefix and the quote, and as many must
    /// follow the closing one (`r#"…"#` in Rust).
    pub hashes: bool,
    pub variables: bool,
    pub code: Option<&'static str>,
}

impl Prefix {
    pub(super) const fn new(text: &'static str) -> Prefix {
        Prefix {
            text,
            raw: false,
            hashes: false,
            variables: false,
            code: None,
        }
    }

    pub(super) const fn raw(text: &'static str) -> Prefix {
        Prefix {
            raw: true,
            ..Prefix::new(text)
        }
    }

    pub(super) const fn hashes(self) -> Prefix {
        Prefix {
            hashes: true,
            ..self
        }
    }

    pub(super) const fn variables(self) -> Prefix {
        Prefix {
            variables: true,
            ..self
        }
    }

    pub(super) const fn code(self, open: &'static str) -> Prefix {
        Prefix {
            code: Some(open),
            ..self
        }
    }
}

/// What a single quote starts where it is not in [`Syntax::quotes`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Chars {
    /// Nothing special.
    None,
    /// `'a'` is a character, `'a` a label: a lifetime in Rust, a type
    /// variable in OCaml.
    OrLabel,
    /// `'a'` is a character; a lone `'` is something else (`X'Length` in
    /// Ada).
    Only,
}

/// How a function call looks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Calls {
    None,
    /// `name(`.
    Parens,
    /// `(name`.
    Lisp,
}

/// What a capitalised word is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Capitals {
    Plain,
    /// `Name` is a type, `NAME` a constant.
    Types,
    /// `Name` is a variable (Erlang).
    Variables,
    /// `NAME` is a constant.
    Constants,
}

/// A string being scanned: a [`Quote`] as a prefix changed it.
#[derive(Clone, Copy)]
struct OpenString {
    close: &'static str,
    escape: Option<u8>,
    multiline: bool,
    doubled: bool,
    variables: bool,
    code: Option<&'static str>,
    /// How many `#`s must follow the closing quote.
    hashes: usize,
}

impl OpenString {
    fn new(quote: &Quote) -> OpenString {
        OpenString {
            close: quote.close,
            escape: quote.escape,
            multiline: quote.multiline,
            doubled: quote.doubled,
            variables: quote.variables,
            code: quote.code,
            hashes: 0,
        }
    }
}

/// Code nested in something that resumes when the code's closing bracket
/// comes.
struct Frame {
    resume: Resume,
    open: u8,
    close: u8,
    /// Brackets opened inside the code and not yet closed.
    depth: u32,
}

#[derive(Clone, Copy)]
enum Resume {
    /// A string's interpolation: the string goes on.
    String(OpenString),
    /// `{…}` in a JSX tag.
    JsxAttributes { elements: u32, closing: bool },
    /// `{…}` between JSX elements.
    JsxChildren { elements: u32 },
}

/// Where a JSX element is being scanned; `elements` counts those open.
#[derive(Clone, Copy)]
enum Jsx {
    /// At the `<` of a tag.
    Tag { elements: u32 },
    /// After a tag's name.
    Attributes { elements: u32, closing: bool },
    /// Between tags.
    Children { elements: u32 },
    /// The outermost element has ended.
    Done,
    /// Code inside `{…}` comes first.
    Suspended,
}

/// A here-document whose body starts on the next line.
struct Heredoc {
    /// Where its terminating word is.
    word: (usize, usize),
    /// The terminating line may be indented (`<<-EOF`, `<<~EOF`).
    indented: bool,
}

/// The state of the scan of one block.
pub(super) struct Scanner<'c, 'a> {
    pub syntax: &'static Syntax,
    pub cursor: &'c mut Cursor<'a>,
    frames: Vec<Frame>,
    /// The last token was a value (a name, number, string or closing
    /// bracket): a `/` after it divides, a `<` compares.
    pub after_value: bool,
    /// The class the next name gets, after a keyword that declares one.
    pending: Option<Class>,
    heredoc: Option<Heredoc>,
    /// The last byte of the last token or '\n' after a line break: where
    /// a statement starts.
    pub last: u8,
}

/// Highlights the text under `cursor` as code in `syntax`.
pub(super) fn scan(syntax: &'static Syntax, cursor: &mut Cursor<'_>) {
    let mut scanner = Scanner {
        syntax,
        cursor,
        frames: Vec::new(),
        after_value: false,
        pending: None,
        heredoc: None,
        last: b'\n',
    };
    while !scanner.cursor.at_end() {
        let before = scanner.cursor.pos();
        scanner.step();
        // Every step moves on; this keeps a rule that took nothing from
        // stalling the scan.
        if scanner.cursor.pos() == before {
            scanner.cursor.skip_char();
        }
    }
}

impl Scanner<'_, '_> {
    fn step(&mut self) {
        let cursor = &mut *self.cursor;
        match cursor.byte() {
            b' ' | b'\t' => {
                let end = cursor.run_end(cursor.pos(), |b| b == b' ' || b == b'\t');
                cursor.skip_to(end);
            }
            b'\n' => {
                cursor.skip_char();
                self.last = b'\n';
                if let Some(heredoc) = self.heredoc.take() {
                    self.heredoc_body(&heredoc);
                }
            }
            _ => {
                self.token();
                self.last = self.cursor.byte_before(self.cursor.pos());
            }
        }
    }

    fn token(&mut self) {
        let b = self.cursor.byte();
        if b != b'.' && !is_word_start(b) {
            // A declared name follows its keyword directly.
            self.pending = None;
        }
        if let Some(hook) = self.syntax.hook
            && hook(self)
        {
            return;
        }
        if self.frame_bracket(b) {
            return;
        }
        let signed =
            (b == b'-' || b == b'+') && self.cursor.byte_at(self.cursor.pos() + 1).is_ascii_digit();
        if self.syntax.word_start_extra.contains(&b) && signed {
            self.number(self.cursor.pos());
            return;
        }
        if is_word_start(b) || self.syntax.word_start_extra.contains(&b) {
            self.word();
            return;
        }
        if b.is_ascii_digit() || (b == b'.' && self.starts_fraction()) {
            self.number(self.cursor.pos());
            return;
        }
        let taken = self.comment()
            || self.string()
            || self.char_literal(b)
            || self.sigil(b)
            || self.annotation(b)
            || self.directive(b)
            || self.hash_attribute(b)
            || self.heredoc_start(b)
            || self.regex(b)
            || self.jsx_start(b)
            || self.symbol(b);
        if !taken {
            self.punctuation(b);
        }
    }

    /// Whether a `.` here starts a number (`.5`), rather than following a
    /// value (`x.0` in Rust).
    fn starts_fraction(&self) -> bool {
        let pos = self.cursor.pos();
        // `0..10` and `x...5` are ranges and spreads, not `.10` or `.5`.
        self.cursor.byte_at(pos + 1).is_ascii_digit()
            && !self.after_value
            && self.cursor.byte_before(pos) != b'.'
            && !self.syntax.is_word_byte(self.cursor.byte_before(pos))
    }

    /// An operator sign, or plain punctuation.
    fn punctuation(&mut self, b: u8) {
        let pos = self.cursor.pos();
        if self.syntax.operators.contains(&b) {
            self.cursor.emit(Class::Operator, pos + 1);
        } else {
            self.cursor.skip_char();
        }
        self.after_value = matches!(b, b')' | b']');
    }

    /// Handles a bracket that opens or closes code nested in a string or
    /// a JSX element; returns whether that code ended here.
    fn frame_bracket(&mut self, b: u8) -> bool {
        let Some(frame) = self.frames.last_mut() else {
            return false;
        };
        if b == frame.open {
            frame.depth += 1;
            return false;
        }
        if b != frame.close {
            return false;
        }
        if frame.depth > 0 {
            frame.depth -= 1;
            return false;
        }
        let resume = frame.resume;
        self.frames.pop();
        let pos = self.cursor.pos();
        match resume {
            Resume::String(string) => {
                self.cursor.emit(Class::Escape, pos + 1);
                self.string_body(string);
            }
            Resume::JsxAttributes { elements, closing } => {
                self.cursor.skip_char();
                self.jsx(Jsx::Attributes { elements, closing });
            }
            Resume::JsxChildren { elements } => {
                self.cursor.skip_char();
                self.jsx(Jsx::Children { elements });
            }
        }
        true
    }

    /// A word: keyword, name, type, …, or the prefix of a string.
    fn word(&mut self) {
        let syntax = self.syntax;
        let start = self.cursor.pos();
        let mut end = self.cursor.run_end(start + 1, |b| syntax.is_word_byte(b));
        let suffix = self.cursor.byte_at(end);
        if syntax.word_suffix.contains(&suffix) && self.cursor.byte_at(end + 1) != b'=' {
            end += 1;
        }
        if self.prefixed_string(start, end) {
            return;
        }
        let word = self.cursor.bytes(start, end);
        let class = self.word_class(word, start, end);
        if let Some((class, end)) = class {
            self.cursor.emit(class, end);
        } else {
            self.cursor.skip_to(end);
        }
    }

    /// The class of the word from `start` to `end`, and where its token
    /// ends (after the `!` of a macro).
    fn word_class(&mut self, word: &[u8], start: usize, end: usize) -> Option<(Class, usize)> {
        let syntax = self.syntax;
        let cursor = &*self.cursor;
        let statement_start = matches!(self.last, b'\n' | b';' | b'{' | b'}');
        if syntax.has(syntax.keywords, word) {
            self.pending = syntax
                .declarations
                .iter()
                .find(|(keyword, _)| keyword.as_bytes().eq_ignore_ascii_case(word))
                .map(|&(_, class)| class);
            self.after_value = false;
            return Some((Class::Keyword, end));
        }
        self.after_value = true;
        if syntax.has(syntax.constants, word) {
            return Some((Class::Constant, end));
        }
        if let Some(class) = self.pending.take() {
            return Some((class, end));
        }
        if syntax.has(syntax.types, word) {
            return Some((Class::Type, end));
        }
        if syntax.has(syntax.builtins, word) {
            return Some((Class::Function, end));
        }
        if syntax.has(syntax.variables, word) {
            return Some((Class::Variable, end));
        }
        let next = cursor.byte_at(end);
        if syntax.macros && next == b'!' && matches!(cursor.byte_at(end + 1), b'(' | b'[' | b'{') {
            return Some((Class::Function, end + 1));
        }
        let called = match syntax.calls {
            Calls::None => false,
            Calls::Parens => next == b'(',
            Calls::Lisp => cursor.byte_before(start) == b'(',
        };
        if called {
            return Some((Class::Function, end));
        }
        if syntax.keys {
            let after = cursor.run_end(end, |b| b == b' ' || b == b'\t');
            if cursor.byte_at(after) == b'=' && cursor.byte_at(after + 1) != b'=' {
                return Some((Class::Attribute, end));
            }
        }
        if let Some(class) = syntax.statement_start
            && statement_start
        {
            return Some((class, end));
        }
        capital_class(syntax.capitals, word).map(|class| (class, end))
    }

    /// A number: `42`, `0xFF`, `1_000`, `3.14e-2`, `10u32`, `2.5f`.
    fn number(&mut self, start: usize) {
        let end = number_end(self.cursor, start);
        self.cursor.emit(Class::Number, end);
        self.after_value = true;
    }

    /// A comment, if one starts here.
    fn comment(&mut self) -> bool {
        let syntax = self.syntax;
        let pos = self.cursor.pos();
        for block in syntax.block_comments {
            if self.cursor.starts_with(block.open)
                && (!block.lines || self.cursor.at_line_start(pos))
            {
                let end = block_comment_end(self.cursor, block, pos);
                self.cursor.emit(Class::Comment, end);
                return true;
            }
        }
        for marker in syntax.line_comments {
            if !self.cursor.starts_with(marker) {
                continue;
            }
            let before = self.cursor.byte_before(pos);
            let spaced = pos == 0
                || matches!(
                    before,
                    b' ' | b'\t' | b'\n' | b';' | b'(' | b'{' | b'|' | b'&'
                );
            if syntax.comment_after_space && !spaced {
                continue;
            }
            let end = self.cursor.line_end(pos);
            self.cursor.emit(Class::Comment, end);
            return true;
        }
        false
    }

    /// A string, if one starts here; prefixes that are words are taken by
    /// [`Self::word`].
    fn string(&mut self) -> bool {
        let pos = self.cursor.pos();
        for prefix in self.syntax.prefixes {
            let starts_word = prefix.text.bytes().next().is_some_and(is_word_start);
            if !starts_word
                && self.cursor.starts_with_ignore_case_at(pos, prefix.text)
                && self.prefixed_string(pos, pos + prefix.text.len())
            {
                return true;
            }
        }
        let Some(quote) = self
            .syntax
            .quotes
            .iter()
            .find(|q| self.cursor.starts_with(q.open) && (q.after_value || !self.after_value))
        else {
            return false;
        };
        // The string's first token starts at the cursor, with the quote.
        self.string_scan(OpenString::new(quote), pos + quote.open.len());
        true
    }

    /// A string whose prefix runs from `start` to `end`, if the prefix is
    /// one and a quote follows it.
    fn prefixed_string(&mut self, start: usize, end: usize) -> bool {
        let cursor = &*self.cursor;
        let Some(prefix) = self.syntax.prefixes.iter().find(|p| {
            p.text.len() == end - start && cursor.starts_with_ignore_case_at(start, p.text)
        }) else {
            return false;
        };
        let quote_at = if prefix.hashes {
            cursor.run_end(end, |b| b == b'#')
        } else {
            end
        };
        let Some(quote) = self
            .syntax
            .quotes
            .iter()
            .find(|q| cursor.starts_with_at(quote_at, q.open))
        else {
            return false;
        };
        let mut string = OpenString::new(quote);
        if prefix.raw {
            string.escape = None;
        }
        if prefix.variables {
            string.variables = true;
        }
        if prefix.code.is_some() {
            string.code = prefix.code;
        }
        string.hashes = quote_at - end;
        // The cursor is still at `start`: the prefix goes into the string.
        self.string_scan(string, quote_at + quote.open.len());
        true
    }

    /// Scans a string from the cursor, where its next token starts.
    fn string_body(&mut self, string: OpenString) {
        let from = self.cursor.pos();
        self.string_scan(string, from);
    }

    /// Scans the inside of a string from `i`; the string's current token
    /// starts at the cursor.
    fn string_scan(&mut self, string: OpenString, mut i: usize) {
        self.after_value = true;
        let cursor = &mut *self.cursor;
        loop {
            let b = cursor.byte_at(i);
            if i >= cursor.len() || (b == b'\n' && !string.multiline) {
                cursor.emit(Class::String, i);
                return;
            }
            if cursor.starts_with_at(i, string.close) {
                let end = i + string.close.len();
                if string.doubled && cursor.starts_with_at(end, string.close) {
                    i = end + string.close.len();
                    continue;
                }
                let hashes = cursor.run_end(end, |b| b == b'#') - end;
                if hashes >= string.hashes {
                    cursor.emit(Class::String, end + string.hashes);
                    return;
                }
                i = end;
                continue;
            }
            if Some(b) == string.escape {
                cursor.emit(Class::String, i);
                let end = escape_end(cursor, i);
                cursor.emit(Class::Escape, end);
                i = end;
                continue;
            }
            if let Some(open) = string.code {
                let braces = open == "{";
                if braces && (cursor.starts_with_at(i, "{{") || cursor.starts_with_at(i, "}}")) {
                    cursor.emit(Class::String, i);
                    cursor.emit(Class::Escape, i + 2);
                    i += 2;
                    continue;
                }
                if cursor.starts_with_at(i, open) {
                    cursor.emit(Class::String, i);
                    cursor.emit(Class::Escape, i + open.len());
                    let bracket = open.bytes().last().unwrap_or(b'{');
                    self.frames.push(Frame {
                        resume: Resume::String(string),
                        open: bracket,
                        close: if bracket == b'(' { b')' } else { b'}' },
                        depth: 0,
                    });
                    self.after_value = false;
                    return;
                }
            }
            if string.variables
                && b == b'$'
                && let Some(end) = variable_end(cursor, i)
            {
                cursor.emit(Class::String, i);
                cursor.emit(Class::Variable, end);
                i = end;
                continue;
            }
            i += 1;
        }
    }

    /// A character literal, or a label (`'a` in Rust), at a single quote.
    fn char_literal(&mut self, b: u8) -> bool {
        let chars = self.syntax.chars;
        if b != b'\'' || chars == Chars::None {
            return false;
        }
        let cursor = &mut *self.cursor;
        let pos = cursor.pos();
        let next = pos + 1;
        if cursor.byte_at(next) == b'\\' {
            let end = escape_end(cursor, next);
            if cursor.byte_at(end) == b'\'' && end - next <= 12 {
                cursor.emit(Class::String, next);
                cursor.emit(Class::Escape, end);
                cursor.emit(Class::String, end + 1);
                self.after_value = true;
                return true;
            }
        }
        let end = cursor.char_end(next);
        if !matches!(cursor.byte_at(next), b'\n' | b'\'' | 0) && cursor.byte_at(end) == b'\'' {
            cursor.emit(Class::String, end + 1);
            self.after_value = true;
            return true;
        }
        if chars == Chars::OrLabel && is_word_start(cursor.byte_at(next)) {
            let end = cursor.run_end(next, is_word);
            cursor.emit(Class::Type, end);
            return true;
        }
        false
    }

    /// A sigilled variable: `$x`, `@x`, `${x}`, `$1`.
    fn sigil(&mut self, b: u8) -> bool {
        let Some(&(_, class)) = self.syntax.sigils.iter().find(|(sigil, _)| *sigil == b) else {
            return false;
        };
        let cursor = &*self.cursor;
        let pos = cursor.pos();
        // `@@x` in Ruby.
        let name = if cursor.byte_at(pos + 1) == b {
            pos + 2
        } else {
            pos + 1
        };
        let end = if cursor.byte_at(name) == b'{' {
            brace_end(cursor, name)
        } else if cursor.byte_at(name).is_ascii_alphanumeric() || cursor.byte_at(name) == b'_' {
            Some(cursor.run_end(name, |b| b.is_ascii_alphanumeric() || b == b'_'))
        } else if b == b'$'
            && matches!(
                cursor.byte_at(name),
                b'?' | b'@' | b'#' | b'$' | b'!' | b'*' | b'-'
            )
        {
            Some(name + 1)
        } else {
            None
        };
        let Some(end) = end else {
            return false;
        };
        let word = cursor.bytes(name, end);
        let class = if self.syntax.has(self.syntax.constants, word) {
            Class::Constant
        } else {
            class
        };
        self.cursor.emit(class, end);
        self.after_value = true;
        true
    }

    /// An annotation: `@Override`, `@app.route`.
    fn annotation(&mut self, b: u8) -> bool {
        let Some((sign, class)) = self.syntax.annotation else {
            return false;
        };
        let cursor = &*self.cursor;
        let pos = cursor.pos();
        if b != sign || !is_word_start(cursor.byte_at(pos + 1)) {
            return false;
        }
        let end = cursor.run_end(pos + 1, |b| is_word(b) || b == b'.');
        self.cursor.emit(class, end);
        true
    }

    /// A preprocessor directive at the start of a line: `#include <x>`.
    fn directive(&mut self, b: u8) -> bool {
        let cursor = &mut *self.cursor;
        let pos = cursor.pos();
        if Some(b) != self.syntax.directive || !cursor.at_line_start(pos) {
            return false;
        }
        let name = cursor.run_end(pos + 1, |b| b == b' ' || b == b'\t');
        let end = cursor.run_end(name, is_word);
        if end == name {
            return false;
        }
        let include = matches!(
            cursor.slice(name, end),
            "include" | "import" | "include_next"
        );
        cursor.emit(Class::Meta, end);
        let path = cursor.run_end(end, |b| b == b' ' || b == b'\t');
        if include && cursor.byte_at(path) == b'<' {
            let close = cursor.find_byte(path, b'>');
            if close < cursor.line_end(path) {
                cursor.skip_to(path);
                cursor.emit(Class::String, close + 1);
            }
        }
        true
    }

    /// A Rust attribute, `#[…]` or `#![…]`, to its closing bracket or the
    /// end of its line.
    fn hash_attribute(&mut self, b: u8) -> bool {
        let cursor = &mut *self.cursor;
        let pos = cursor.pos();
        let bracket = if cursor.byte_at(pos + 1) == b'!' {
            pos + 2
        } else {
            pos + 1
        };
        if !self.syntax.hash_attributes || b != b'#' || cursor.byte_at(bracket) != b'[' {
            return false;
        }
        let mut depth = 0u32;
        let mut i = bracket;
        let end = loop {
            match cursor.byte_at(i) {
                b'\n' | 0 => break i,
                b'[' => depth += 1,
                b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break i + 1;
                    }
                }
                b'"' => {
                    // A string inside may hold brackets.
                    i += 1;
                    while !matches!(cursor.byte_at(i), b'"' | b'\n' | 0) {
                        i += if cursor.byte_at(i) == b'\\' { 2 } else { 1 };
                    }
                    if cursor.byte_at(i) != b'"' {
                        continue;
                    }
                }
                _ => {}
            }
            i += 1;
        };
        cursor.emit(Class::Attribute, end);
        true
    }

    /// The start of a here-document: `<<EOF`, `<<-'EOF'`, `<<~EOS`.
    fn heredoc_start(&mut self, b: u8) -> bool {
        let cursor = &mut *self.cursor;
        let pos = cursor.pos();
        if !self.syntax.heredocs || b != b'<' || cursor.byte_at(pos + 1) != b'<' {
            return false;
        }
        let mut i = pos + 2;
        if matches!(cursor.byte_at(i), b'<' | b'-' | b'~') {
            i += 1;
        }
        let quote = cursor.byte_at(i);
        let quoted = matches!(quote, b'\'' | b'"');
        let word = if quoted { i + 1 } else { i };
        let word_end = cursor.run_end(word, |b| b.is_ascii_alphanumeric() || b == b'_');
        let first = cursor.byte_at(word);
        let plausible = word_end > word && (quoted || first.is_ascii_uppercase() || first == b'_');
        if !plausible || (quoted && cursor.byte_at(word_end) != quote) {
            return false;
        }
        let end = if quoted { word_end + 1 } else { word_end };
        self.heredoc = Some(Heredoc {
            word: (word, word_end),
            indented: i > pos + 2,
        });
        cursor.emit(Class::String, end);
        true
    }

    /// The body of a here-document, from the cursor (at the start of a
    /// line) to its terminating line.
    fn heredoc_body(&mut self, heredoc: &Heredoc) {
        let cursor = &mut *self.cursor;
        let word = cursor.slice(heredoc.word.0, heredoc.word.1).as_bytes();
        let mut line = cursor.pos();
        while line < cursor.len() {
            let end = cursor.line_end(line);
            let text = cursor.bytes(line, end);
            let text = if heredoc.indented {
                text.trim_ascii_start()
            } else {
                text
            };
            if text == word {
                cursor.emit(Class::String, end);
                return;
            }
            line = end + 1;
        }
        cursor.emit(Class::String, cursor.len());
    }

    /// A regex literal where a value is expected: `/a+b/g`.
    fn regex(&mut self, b: u8) -> bool {
        let cursor = &mut *self.cursor;
        let pos = cursor.pos();
        if !self.syntax.regex || b != b'/' || self.after_value {
            return false;
        }
        if matches!(cursor.byte_at(pos + 1), b' ' | b'\t' | b'\n' | b'=' | 0) {
            return false;
        }
        let mut class = false;
        let mut i = pos + 1;
        let close = loop {
            if i > pos + LOOKAHEAD {
                return false;
            }
            match cursor.byte_at(i) {
                b'\n' | 0 => return false,
                b'\\' => i = cursor.char_end(i + 1),
                b'[' => {
                    class = true;
                    i += 1;
                }
                b']' => {
                    class = false;
                    i += 1;
                }
                b'/' if !class => break i,
                _ => i += 1,
            }
        };
        let end = cursor.run_end(close + 1, |b| b.is_ascii_alphabetic());
        cursor.emit(Class::String, end);
        self.after_value = true;
        true
    }

    /// A symbol: `:name` (not `::`).
    fn symbol(&mut self, b: u8) -> bool {
        let cursor = &mut *self.cursor;
        let pos = cursor.pos();
        if !self.syntax.symbols || b != b':' || cursor.byte_before(pos) == b':' {
            return false;
        }
        if !is_word_start(cursor.byte_at(pos + 1)) {
            return false;
        }
        let syntax = self.syntax;
        let mut end = cursor.run_end(pos + 1, |b| syntax.is_word_byte(b));
        if syntax.word_suffix.contains(&cursor.byte_at(end)) {
            end += 1;
        }
        cursor.emit(Class::Constant, end);
        self.after_value = true;
        true
    }

    /// A JSX element, if one starts here.
    fn jsx_start(&mut self, b: u8) -> bool {
        let next = self.cursor.byte_at(self.cursor.pos() + 1);
        if !self.syntax.jsx
            || b != b'<'
            || self.after_value
            || !(next.is_ascii_alphabetic() || next == b'>')
        {
            return false;
        }
        self.jsx(Jsx::Tag { elements: 0 });
        true
    }

    /// Scans JSX from the given state until the outermost element ends or
    /// code in braces comes.
    fn jsx(&mut self, mut state: Jsx) {
        loop {
            state = match state {
                Jsx::Tag { elements } => self.jsx_tag(elements),
                Jsx::Attributes { elements, closing } => self.jsx_attributes(elements, closing),
                Jsx::Children { elements } => self.jsx_children(elements),
                Jsx::Done => {
                    self.after_value = true;
                    return;
                }
                Jsx::Suspended => {
                    self.after_value = false;
                    return;
                }
            };
        }
    }

    /// A tag's `<` or `</` and name.
    fn jsx_tag(&mut self, elements: u32) -> Jsx {
        let cursor = &mut *self.cursor;
        let pos = cursor.pos();
        let closing = cursor.byte_at(pos + 1) == b'/';
        let name = if closing { pos + 2 } else { pos + 1 };
        let end = cursor.run_end(name, |b| is_word(b) || matches!(b, b'-' | b'.' | b':'));
        cursor.emit(Class::Tag, end);
        Jsx::Attributes { elements, closing }
    }

    /// A tag's attributes and its end.
    fn jsx_attributes(&mut self, elements: u32, closing: bool) -> Jsx {
        let cursor = &mut *self.cursor;
        loop {
            let pos = cursor.pos();
            match cursor.byte() {
                0 => return Jsx::Done,
                b'/' if cursor.byte_at(pos + 1) == b'>' => {
                    cursor.emit(Class::Tag, pos + 2);
                    return if elements == 0 {
                        Jsx::Done
                    } else {
                        Jsx::Children { elements }
                    };
                }
                b'>' => {
                    cursor.emit(Class::Tag, pos + 1);
                    let open = if closing {
                        elements.saturating_sub(1)
                    } else {
                        elements.saturating_add(1)
                    };
                    return if open == 0 {
                        Jsx::Done
                    } else {
                        Jsx::Children { elements: open }
                    };
                }
                b'{' => {
                    cursor.skip_char();
                    self.frames.push(Frame {
                        resume: Resume::JsxAttributes { elements, closing },
                        open: b'{',
                        close: b'}',
                        depth: 0,
                    });
                    return Jsx::Suspended;
                }
                quote @ (b'"' | b'\'') => {
                    let close = cursor.find_byte(pos + 1, quote);
                    cursor.emit(Class::String, close + 1);
                }
                b if is_word_start(b) => {
                    let end = cursor.run_end(pos, |b| is_word(b) || matches!(b, b'-' | b':'));
                    cursor.emit(Class::Attribute, end);
                }
                _ => cursor.skip_char(),
            }
        }
    }

    /// Text between tags, up to the next tag or `{`.
    fn jsx_children(&mut self, elements: u32) -> Jsx {
        let cursor = &mut *self.cursor;
        loop {
            let pos = cursor.pos();
            let next = cursor.run_end(pos, |b| !matches!(b, b'<' | b'{' | b'&'));
            cursor.skip_to(next);
            match cursor.byte() {
                b'<' => return Jsx::Tag { elements },
                b'{' => {
                    cursor.skip_char();
                    self.frames.push(Frame {
                        resume: Resume::JsxChildren { elements },
                        open: b'{',
                        close: b'}',
                        depth: 0,
                    });
                    return Jsx::Suspended;
                }
                b'&' => {
                    let end = entity_end(cursor, next);
                    if end > next {
                        cursor.emit(Class::Escape, end);
                    } else {
                        cursor.skip_char();
                    }
                }
                _ => return Jsx::Done,
            }
        }
    }
}

/// The class a capitalised word gets, if any.
fn capital_class(capitals: Capitals, word: &[u8]) -> Option<Class> {
    let first = *word.first()?;
    if !first.is_ascii_uppercase() {
        return None;
    }
    let shouting = word.len() > 1 && !word.iter().any(u8::is_ascii_lowercase);
    match capitals {
        Capitals::Plain => None,
        Capitals::Types if shouting => Some(Class::Constant),
        Capitals::Types => Some(Class::Type),
        Capitals::Variables => Some(Class::Variable),
        Capitals::Constants if shouting => Some(Class::Constant),
        Capitals::Constants => None,
    }
}

/// The end of a number that starts at `start`: `42`, `0xFF`, `1_000`,
/// `3.14e-2`, `10u32`, `-1`.
pub(super) fn number_end(cursor: &Cursor, start: usize) -> usize {
    let mut i = start;
    if matches!(cursor.byte_at(i), b'-' | b'+') {
        i += 1;
    }
    let hex = cursor.byte_at(i) == b'0' && matches!(cursor.byte_at(i + 1), b'x' | b'X');
    loop {
        let b = cursor.byte_at(i);
        let exponent = matches!(cursor.byte_before(i), b'e' | b'E') && !hex;
        let part_of_number = b.is_ascii_alphanumeric()
            || b == b'_'
            || (b == b'.' && cursor.byte_at(i + 1).is_ascii_digit() && !hex)
            || (matches!(b, b'+' | b'-') && exponent && cursor.byte_at(i + 1).is_ascii_digit());
        if !part_of_number {
            return i.max(start + 1);
        }
        i += 1;
    }
}

/// The end of a block comment that starts at `start`.
fn block_comment_end(cursor: &Cursor, block: &BlockComment, start: usize) -> usize {
    let mut depth = 0u32;
    let mut i = start + block.open.len();
    let close = block.close.as_bytes().first().copied().unwrap_or(0);
    let open = block.open.as_bytes().first().copied().unwrap_or(0);
    while i < cursor.len() {
        let b = cursor.byte_at(i);
        if block.lines {
            if b == b'\n' && cursor.starts_with_at(i + 1, block.close) {
                return cursor.line_end(i + 1);
            }
        } else if b == close && cursor.starts_with_at(i, block.close) {
            if depth == 0 {
                return i + block.close.len();
            }
            depth -= 1;
            i += block.close.len();
            continue;
        } else if block.nests && b == open && cursor.starts_with_at(i, block.open) {
            depth += 1;
            i += block.open.len();
            continue;
        }
        i += 1;
    }
    cursor.len()
}

/// The end of `{…}` starting at `open`, within the line and
/// [`LOOKAHEAD`]; nested braces count.
pub(super) fn brace_end(cursor: &Cursor, open: usize) -> Option<usize> {
    let mut depth = 0u32;
    for (i, &b) in cursor.bytes(open, open + LOOKAHEAD).iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(open + i + 1);
                }
            }
            b'\n' => return None,
            _ => {}
        }
    }
    None
}

/// The end of a variable in a string at `$`: `$name`, `${name}`, `$1`.
pub(super) fn variable_end(cursor: &Cursor, dollar: usize) -> Option<usize> {
    let name = dollar + 1;
    match cursor.byte_at(name) {
        b'{' => brace_end(cursor, name),
        b if b.is_ascii_alphanumeric() || b == b'_' => {
            Some(cursor.run_end(name, |b| b.is_ascii_alphanumeric() || b == b'_'))
        }
        _ => None,
    }
}

/// The end of a character entity at `&` (`&amp;`, `&#x41;`), or `amp`
/// itself when there is none.
pub(super) fn entity_end(cursor: &Cursor, amp: usize) -> usize {
    let name = amp + 1;
    let end = cursor.run_end(name, |b| b.is_ascii_alphanumeric() || b == b'#');
    if end > name && end - name <= 32 && cursor.byte_at(end) == b';' {
        end + 1
    } else {
        amp
    }
}
