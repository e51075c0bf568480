//! Syntax highlighting of fenced code blocks, done once at build time.
//!
//! The render stage calls [`highlight`] with a fence's info word and the
//! block's text; it gets back the inside of `<code>`: the code, escaped for
//! XHTML, with `<span class="hl-…">` around tokens (`<b>` around keywords and
//! `<i>` around comments, so that they stand out even where a reading
//! system ignores the book's stylesheet). The spans are flat (never
//! nested) and use a small fixed set of classes that `highlight.css` styles,
//! so the book needs no script and no per-theme markup. An unknown language
//! gives `None` and the caller writes the block as plain text.
//!
//! The grammars are syntect's Sublime Text syntaxes, with the extra ones
//! (TypeScript, Kotlin, Swift, TOML, …) that two-face collects from bat,
//! run on the pure-Rust fancy-regex engine. The set is loaded lazily on first
//! use and shared by every thread; each grammar compiles its regexes the
//! first time it is used.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

use Class as C;
use Rule::{Inherit, Is, Plain};

/// Highlights `code` written in `language` (the fence's info word, any case).
///
/// Returns the inside of `<code>`: the code, XML-escaped, with
/// `<span class="…">` around tokens (`<b>` for keywords, `<i>` for
/// comments); `None` when the language is unknown.
/// Carriage returns are dropped and characters that XML 1.0 forbids become
/// U+FFFD, so the result is always a well-formed fragment. From a line
/// longer than 2,000 bytes on, the rest of the block is left plain.
pub fn highlight(language: &str, code: &str) -> Option<String> {
    let name = syntax_name(language)?;
    let highlighter = highlighter();
    let syntax = highlighter.syntaxes.find_syntax_by_name(name)?;
    let mut text = clean(code);
    let visible = text.len();
    // The grammars are the "newlines" variants: they expect every line,
    // the last one too, to end with '\n'. The added one is not written out.
    if !text.ends_with('\n') {
        text.push('\n');
    }
    // syntect has a few internal unwraps and runs on whatever a book
    // contains: a bug there should cost one block its colours, not the
    // whole build. Its shared state is only lazily filled caches, which a
    // panic leaves consistent.
    let html = catch_unwind(AssertUnwindSafe(|| {
        render(highlighter, syntax, &text, visible)
    }))
    .unwrap_or_else(|_| {
        let mut spans = Spans::default();
        spans.push(None, text.get(..visible).unwrap_or(&text));
        spans.finish()
    });
    Some(html)
}

/// Whether a language name is known.
#[cfg(test)]
pub fn is_known(language: &str) -> bool {
    syntax_name(language).is_some()
}

/// The grammars bindery offers, each with the fence names it answers to
/// (lower case, space-separated). Only names listed here are known: the
/// list stays explicit, and a new syntax set cannot silently change which
/// blocks get colours.
const LANGUAGES: &[(&str, &str)] = &[
    ("Ada", "ada adb ads"),
    ("AWK", "awk gawk mawk"),
    (
        "Bourne Again Shell (bash)",
        "bash sh shell zsh ksh shellscript",
    ),
    ("Batch File", "bat batch cmd dos"),
    ("BibTeX", "bibtex bib"),
    ("C", "c h"),
    ("C#", "c# csharp cs"),
    ("C++", "c++ cpp cxx cc hpp cplusplus"),
    ("Clojure", "clojure clj cljs cljc edn"),
    ("CMake", "cmake"),
    ("CoffeeScript", "coffeescript coffee"),
    ("Crystal", "crystal cr"),
    ("CSS", "css"),
    ("D", "d"),
    ("Dart", "dart"),
    ("Diff", "diff patch udiff"),
    ("Dockerfile", "dockerfile docker containerfile"),
    ("Elixir", "elixir ex exs"),
    ("Elm", "elm"),
    ("Erlang", "erlang erl"),
    ("F#", "f# fsharp fs"),
    ("Fish", "fish"),
    ("Fortran (Modern)", "fortran f90 f95 f03 f08"),
    ("GLSL", "glsl"),
    ("Go", "go golang"),
    ("Graphviz (DOT)", "dot graphviz gv"),
    ("GraphQL", "graphql gql"),
    ("Groovy", "groovy gradle"),
    ("Haskell", "haskell hs"),
    ("HTML", "html htm xhtml"),
    ("INI", "ini cfg dosini"),
    ("Java", "java"),
    ("Java Properties", "properties java-properties"),
    ("JavaScript", "javascript js mjs cjs node"),
    ("JSON", "json jsonc jsonl geojson"),
    ("Julia", "julia jl"),
    ("Kotlin", "kotlin kt kts"),
    ("LaTeX", "latex tex"),
    ("Less", "less"),
    (
        "Lisp",
        "lisp common-lisp commonlisp elisp emacs-lisp scheme scm",
    ),
    ("Lua", "lua"),
    ("Makefile", "makefile make mk mak"),
    ("Markdown", "markdown md mkd"),
    ("MATLAB", "matlab octave"),
    ("nginx", "nginx nginxconf"),
    ("Nim", "nim"),
    ("Nix", "nix"),
    ("Objective-C", "objective-c objectivec objc obj-c"),
    ("Objective-C++", "objective-c++ objc++ objcpp"),
    ("OCaml", "ocaml ml"),
    ("Pascal", "pascal delphi pas"),
    ("Perl", "perl pl pm"),
    ("PHP", "php"),
    ("Protocol Buffer", "protobuf proto"),
    ("Python", "python py python3 py3 pyi"),
    ("R", "r rscript"),
    ("Racket", "racket rkt"),
    ("reStructuredText", "restructuredtext rst"),
    ("Ruby", "ruby rb gemspec rake"),
    ("Rust", "rust rs"),
    ("Sass", "sass"),
    ("Scala", "scala sbt"),
    ("SCSS", "scss"),
    ("SQL", "sql mysql postgresql postgres psql plsql sqlite"),
    ("Swift", "swift"),
    ("SystemVerilog", "systemverilog sv"),
    ("Tcl", "tcl"),
    ("Terraform", "terraform tf hcl"),
    ("TOML", "toml"),
    ("TypeScript", "typescript ts mts cts"),
    ("TypeScriptReact", "tsx jsx"),
    ("Verilog", "verilog"),
    ("VHDL", "vhdl"),
    ("VimL", "vim viml vimscript"),
    ("x86_64 Assembly", "asm assembly nasm x86asm"),
    ("XML", "xml svg xsd xsl xslt rss atom plist opf ncx"),
    ("YAML", "yaml yml"),
    ("Zig", "zig"),
];

/// The grammar's name for a fence's language, if it is known.
fn syntax_name(language: &str) -> Option<&'static str> {
    let language = language.trim().to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|(_, aliases)| aliases.split(' ').any(|alias| alias == language))
        .map(|&(name, _)| name)
}

/// The classes written out, one per kind of token that `highlight.css`
/// colours. Few on purpose: grammars name thousands of scopes, readers need
/// about a dozen distinctions, and every class is a stable contract with the
/// stylesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Keyword,
    Operator,
    String,
    Escape,
    Comment,
    Number,
    Constant,
    Function,
    Type,
    Attribute,
    Tag,
    Variable,
    Meta,
    Inserted,
    Deleted,
}

impl Class {
    /// The element the class is written on: keywords in `<b>` and comments
    /// in `<i>`, so the two main distinctions survive in reading systems
    /// that ignore the book's stylesheet.
    fn element(self) -> &'static str {
        match self {
            Class::Keyword => "b",
            Class::Comment => "i",
            _ => "span",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Class::Keyword => "hl-keyword",
            Class::Operator => "hl-operator",
            Class::String => "hl-string",
            Class::Escape => "hl-escape",
            Class::Comment => "hl-comment",
            Class::Number => "hl-number",
            Class::Constant => "hl-constant",
            Class::Function => "hl-function",
            Class::Type => "hl-type",
            Class::Attribute => "hl-attribute",
            Class::Tag => "hl-tag",
            Class::Variable => "hl-variable",
            Class::Meta => "hl-meta",
            Class::Inserted => "hl-inserted",
            Class::Deleted => "hl-deleted",
        }
    }
}

/// What a scope means for the class of the text inside it.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// The text gets this class.
    Is(Class),
    /// Look at the enclosing scope instead: a string's quotes are string.
    Inherit,
    /// Plain text, whatever encloses it: code interpolated in a string.
    Plain,
}

/// Scope prefixes and what they mean; the longest prefix that matches a
/// scope wins. The innermost scope with a rule other than `Inherit`
/// decides a token's class; scopes with no rule are looked through.
const RULES: &[(&str, Rule)] = &[
    ("comment", Is(C::Comment)),
    ("string", Is(C::String)),
    ("storage.type.string", Is(C::String)),
    ("markup.raw", Is(C::String)),
    ("markup.underline.link", Is(C::String)),
    ("constant", Is(C::Constant)),
    ("constant.numeric", Is(C::Number)),
    ("keyword.other.unit", Is(C::Number)),
    ("constant.character.escape", Is(C::Escape)),
    ("constant.character.entity", Is(C::Escape)),
    ("constant.other.placeholder", Is(C::Escape)),
    ("punctuation.section.interpolation", Is(C::Escape)),
    ("punctuation.section.embedded", Is(C::Escape)),
    ("punctuation.definition.template-expression", Is(C::Escape)),
    ("support.constant", Is(C::Constant)),
    ("variable.language", Is(C::Constant)),
    ("variable.other.constant", Is(C::Constant)),
    ("entity.name.constant", Is(C::Constant)),
    ("keyword", Is(C::Keyword)),
    ("storage", Is(C::Keyword)),
    ("keyword.operator", Is(C::Operator)),
    ("keyword.operator.word", Is(C::Keyword)),
    ("markup.heading", Is(C::Keyword)),
    ("entity.name.section", Is(C::Keyword)),
    ("entity.name", Is(C::Type)),
    ("entity.name.function", Is(C::Function)),
    ("entity.name.tag", Is(C::Tag)),
    ("punctuation.definition.tag", Is(C::Tag)),
    ("entity.other", Is(C::Attribute)),
    ("entity.other.inherited-class", Is(C::Type)),
    ("support.function", Is(C::Function)),
    ("support.macro", Is(C::Function)),
    ("variable.function", Is(C::Function)),
    ("support.type", Is(C::Type)),
    ("support.class", Is(C::Type)),
    ("support.type.property-name", Is(C::Attribute)),
    ("meta.annotation", Is(C::Attribute)),
    ("variable.annotation", Is(C::Attribute)),
    ("variable.parameter", Is(C::Variable)),
    // Sigilled variables ($x, @x); other grammars call every identifier
    // `variable.other`, which would colour all the code.
    ("variable.other.readwrite.shell", Is(C::Variable)),
    ("variable.other.readwrite.perl", Is(C::Variable)),
    ("variable.other.readwrite.instance", Is(C::Variable)),
    ("variable.other.readwrite.class", Is(C::Variable)),
    ("variable.other.readwrite.global", Is(C::Variable)),
    ("variable.other.php", Is(C::Variable)),
    ("meta.preprocessor", Is(C::Meta)),
    ("meta.diff", Is(C::Meta)),
    ("markup.inserted", Is(C::Inserted)),
    ("markup.deleted", Is(C::Deleted)),
    ("punctuation.definition", Inherit),
    ("invalid", Inherit),
    ("meta.interpolation", Plain),
    ("meta.embedded", Plain),
    ("source", Plain),
    ("text", Plain),
];

/// The syntax set and the compiled rules, built once for the process.
struct Highlighter {
    syntaxes: SyntaxSet,
    rules: Vec<(Scope, Rule)>,
}

fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(|| Highlighter {
        // Cheap: the grammars' contexts and regexes are decoded and
        // compiled lazily, per grammar, when first used.
        syntaxes: two_face::syntax::extra_newlines(),
        // The prefixes are constants and all valid (a test checks).
        rules: RULES
            .iter()
            .filter_map(|&(prefix, rule)| Some((Scope::new(prefix).ok()?, rule)))
            .collect(),
    })
}

impl Highlighter {
    /// The rule for one scope: that of its longest matching prefix.
    fn rule(&self, scope: Scope) -> Option<Rule> {
        self.rules
            .iter()
            .filter(|(prefix, _)| prefix.is_prefix_of(scope))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|&(_, rule)| rule)
    }

    /// The class of text inside `stack`. `known` caches [`Self::rule`]: a
    /// block uses few distinct scopes, each many times.
    fn class(&self, stack: &[Scope], known: &mut HashMap<Scope, Option<Rule>>) -> Option<Class> {
        for &scope in stack.iter().rev() {
            match *known.entry(scope).or_insert_with(|| self.rule(scope)) {
                Some(Is(class)) => return Some(class),
                Some(Plain) => return None,
                Some(Inherit) | None => {}
            }
        }
        None
    }
}

/// The longest line, in bytes, that is highlighted. Some grammars take time
/// quadratic in a line's length (a 20 kB line can take seconds); code meant
/// to be read is far shorter, so from a longer line on the block stays plain.
const MAX_LINE: usize = 2_000;

/// Highlights `text`, which ends with '\n'; only `text[..visible]` is
/// written out.
fn render(
    highlighter: &Highlighter,
    syntax: &SyntaxReference,
    text: &str,
    visible: usize,
) -> String {
    let shown = text.get(..visible).unwrap_or(text);
    let mut spans = Spans::default();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut class = None;
    let mut known = HashMap::new();
    // How far `shown` has been written, in bytes.
    let mut done = 0;
    let mut line_start = 0;
    'lines: for line in text.split_inclusive('\n') {
        if line.len() > MAX_LINE {
            break;
        }
        let Ok(ops) = state.parse_line(line, &highlighter.syntaxes) else {
            break;
        };
        for (offset, op) in &ops {
            advance(&mut spans, class, shown, &mut done, line_start + offset);
            if stack.apply(op).is_err() {
                break 'lines;
            }
            class = highlighter.class(stack.as_slice(), &mut known);
        }
        line_start += line.len();
        advance(&mut spans, class, shown, &mut done, line_start);
    }
    // A grammar error or an overlong line stops the colours, not the text.
    advance(&mut spans, None, shown, &mut done, shown.len());
    spans.finish()
}

/// Writes `shown[*done..to]` in `class` and moves `done` on. `to` may lie
/// past the end (the added newline); an offset that is not a character
/// boundary, which a sound grammar never gives, is left for the next call.
fn advance(spans: &mut Spans, class: Option<Class>, shown: &str, done: &mut usize, to: usize) {
    let to = to.min(shown.len());
    if let Some(piece) = shown.get(*done..to) {
        spans.push(class, piece);
        *done = to;
    }
}

/// The output being built: flat spans around the non-blank part of tokens,
/// adjacent ones of the same class merged.
#[derive(Default)]
struct Spans {
    html: String,
    /// The class of the span left open, if any.
    open: Option<Class>,
    /// Whitespace not yet written. Whitespace shows no colour, so it is
    /// held back: it goes inside the open span if the next token has the
    /// same class, and outside any span otherwise.
    gap: String,
}

impl Spans {
    fn push(&mut self, class: Option<Class>, text: &str) {
        let rest = text.trim_start();
        self.gap.push_str(&text[..text.len() - rest.len()]);
        let token = rest.trim_end();
        if token.is_empty() {
            return;
        }
        if class == self.open {
            self.html.push_str(&self.gap);
            self.gap.clear();
        } else {
            self.close();
            if let Some(class) = class {
                self.html.push('<');
                self.html.push_str(class.element());
                self.html.push_str(" class=\"");
                self.html.push_str(class.name());
                self.html.push_str("\">");
            }
            self.open = class;
        }
        escape_into(&mut self.html, token);
        self.gap.push_str(&rest[token.len()..]);
    }

    /// Closes the open span, then writes the whitespace held back.
    fn close(&mut self) {
        if let Some(class) = self.open.take() {
            self.html.push_str("</");
            self.html.push_str(class.element());
            self.html.push('>');
        }
        self.html.push_str(&self.gap);
        self.gap.clear();
    }

    fn finish(mut self) -> String {
        self.close();
        self.html
    }
}

/// The code with carriage returns dropped and characters that XML 1.0
/// does not allow replaced by U+FFFD.
fn clean(code: &str) -> String {
    code.chars()
        .filter(|&c| c != '\r')
        .map(|c| match c {
            '\t' | '\n' | ' '..='\u{FFFD}' | '\u{10000}'.. => c,
            _ => '\u{FFFD}',
        })
        .collect()
}

/// Escapes text for XML; `>` too, so that `]]>` never appears.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small sample in each of the languages a book most often shows.
    const SAMPLES: &[(&str, &str)] = &[
        ("c", "#include <stdio.h>\nint main(void) { return 0; }\n"),
        (
            "cpp",
            "template <typename T> class A { public: int x = 1; };\n",
        ),
        (
            "csharp",
            "public class A { static void Main() { var x = \"s\"; } }\n",
        ),
        ("java", "public class A { int x = 1; // c\n}\n"),
        ("js", "const f = (a) => `x ${a}`; // c\n"),
        ("ts", "interface A { b: number }\nlet x: A;\n"),
        ("python", "def f(x):\n    return x + 1  # c\n"),
        ("ruby", "def f(x) = x + 1 # c\n"),
        ("go", "package main\nfunc main() { x := 1 }\n"),
        ("rust", "fn main() { let x: u8 = 1; }\n"),
        ("php", "<?php $x = 1; echo \"hi\"; ?>\n"),
        ("perl", "my $x = 1; print \"$x\\n\";\n"),
        ("haskell", "main :: IO ()\nmain = putStrLn \"hi\"\n"),
        ("scala", "object A { def f(x: Int): Int = x + 1 }\n"),
        ("kotlin", "fun main() { val x = 1 }\n"),
        ("swift", "let x = 1\nfunc f() -> Int { return x }\n"),
        ("bash", "for f in *; do echo \"$f\"; done\n"),
        ("sql", "SELECT a FROM t WHERE b = 'c';\n"),
        ("html", "<p class=\"x\">Hi &amp; bye</p>\n"),
        ("css", "p > a { color: red; margin: 0 1px; }\n"),
        (
            "xml",
            "<?xml version=\"1.0\"?>\n<a b=\"c\"><!-- d --></a>\n",
        ),
        ("yaml", "a: 1\nb: [x, \"y\"]\n"),
        ("json", "{\"a\": [1, true, null]}\n"),
        ("toml", "[a]\nb = \"c\" # d\n"),
        ("lua", "local function f(x) return x .. \"s\" end\n"),
        ("r", "f <- function(x) { x + 1 }\n"),
        ("objc", "@interface A : NSObject\n@end\n"),
        ("erlang", "-module(a).\nf(X) -> X + 1.\n"),
        ("clojure", "(defn f [x] (+ x 1))\n"),
        ("ocaml", "let f x = x + 1 (* c *)\n"),
        ("latex", "\\section{A} $x^2$ % c\n"),
        ("makefile", "all: a.o\n\t$(CC) -o $@ $^\n"),
        ("diff", "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n"),
        ("markdown", "# Title\nSome `code` and *em*.\n"),
    ];

    /// Checks that `html` is only text and flat `<span class="hl-…">`
    /// (or `<b>`, `<i>`) elements, properly closed, with `&`, `<` and `>` escaped; returns
    /// the text with the markup taken out and the escapes undone.
    fn text_of(html: &str) -> String {
        let mut text = String::new();
        let mut open: Option<&str> = None;
        let mut rest = html;
        while let Some(i) = rest.find(['<', '&', '>']) {
            text.push_str(&rest[..i]);
            rest = &rest[i..];
            if let Some(element) = open
                && let Some(after) = rest.strip_prefix(&format!("</{element}>"))
            {
                open = None;
                rest = after;
            } else if let Some((class, after)) = ALL_CLASSES.iter().find_map(|class| {
                let tag = format!("<{} class=\"{}\">", class.element(), class.name());
                rest.strip_prefix(&tag).map(|after| (class, after))
            }) {
                assert!(open.is_none(), "nested element in {html}");
                open = Some(class.element());
                rest = after;
            } else {
                let (entity, c) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')]
                    .into_iter()
                    .find(|(entity, _)| rest.starts_with(entity))
                    .unwrap_or_else(|| panic!("bare markup character in {html}"));
                text.push(c);
                rest = &rest[entity.len()..];
            }
        }
        assert!(open.is_none(), "unclosed element in {html}");
        text.push_str(rest);
        text
    }

    const ALL_CLASSES: &[Class] = &[
        Class::Keyword,
        Class::Operator,
        Class::String,
        Class::Escape,
        Class::Comment,
        Class::Number,
        Class::Constant,
        Class::Function,
        Class::Type,
        Class::Attribute,
        Class::Tag,
        Class::Variable,
        Class::Meta,
        Class::Inserted,
        Class::Deleted,
    ];

    #[test]
    fn every_listed_language_has_a_grammar() {
        let syntaxes = &highlighter().syntaxes;
        for (name, aliases) in LANGUAGES {
            assert!(syntaxes.find_syntax_by_name(name).is_some(), "{name}");
            for alias in aliases.split(' ') {
                assert_eq!(alias, alias.to_ascii_lowercase(), "{alias}");
                assert_eq!(syntax_name(alias), Some(*name), "{alias} is listed twice");
            }
        }
    }

    #[test]
    fn every_rule_is_a_valid_scope() {
        assert_eq!(highlighter().rules.len(), RULES.len());
    }

    #[test]
    fn names_and_aliases_are_known_in_any_case() {
        for name in [
            "rust", "Rust", "RS", "py", "Python3", "js", "ts", "rb", "sh", "bash", "zsh", "yml",
            "c++", "cpp", "cs", "C#", "golang", "kt", "objc", "tex", "make", "patch", " md ",
        ] {
            assert!(is_known(name), "{name}");
            assert!(highlight(name, "x").is_some(), "{name}");
        }
    }

    #[test]
    fn unknown_languages_give_none() {
        for name in [
            "",
            "text",
            "plain",
            "console",
            "klingon",
            "rust,ignore",
            "c+",
        ] {
            assert!(!is_known(name), "{name}");
            assert_eq!(highlight(name, "fn main() {}"), None, "{name}");
        }
    }

    #[test]
    fn each_common_language_is_highlighted() {
        assert!(SAMPLES.len() >= 30);
        for (language, code) in SAMPLES {
            let html = highlight(language, code).unwrap_or_default();
            assert!(html.contains(" class=\"hl-"), "{language}: {html}");
            assert_eq!(text_of(&html), *code, "{language}");
        }
    }

    #[test]
    fn markup_characters_are_escaped() {
        let html = highlight("rust", "a < b && c > d").unwrap_or_default();
        assert!(html.contains("&lt;") && html.contains("&amp;&amp;") && html.contains("&gt;"));
        assert_eq!(text_of(&html), "a < b && c > d");
        let html = highlight("html", "<b>&amp;</b>").unwrap_or_default();
        assert_eq!(text_of(&html), "<b>&amp;</b>");
    }

    #[test]
    fn tokens_get_the_expected_classes() {
        let html = highlight("rust", "fn f() { 1 } // c").unwrap_or_default();
        assert_eq!(
            html,
            "<b class=\"hl-keyword\">fn</b> <span class=\"hl-function\">f</span>() \
             { <span class=\"hl-number\">1</span> } <i class=\"hl-comment\">// c</i>"
        );
        let html = highlight("diff", "-a\n+b\n").unwrap_or_default();
        assert_eq!(
            html,
            "<span class=\"hl-deleted\">-a</span>\n<span class=\"hl-inserted\">+b</span>\n"
        );
    }

    #[test]
    fn carriage_returns_and_control_characters_are_cleaned() {
        let code = "let a = \"x\u{0}y\";\r\n// \u{1b}[0m \u{FFFE}\u{FFFF}\r\nb\u{7}";
        let html = highlight("rust", code).unwrap_or_default();
        let text = text_of(&html);
        assert_eq!(
            text,
            "let a = \"x\u{FFFD}y\";\n// \u{FFFD}[0m \u{FFFD}\u{FFFD}\nb\u{FFFD}"
        );
        assert!(!html.contains('\r'));
    }

    #[test]
    fn the_last_line_keeps_its_ending_or_lack_of_one() {
        for code in ["x = 1", "x = 1\n", "x = 1\n\n", "", "\n"] {
            let html = highlight("python", code).unwrap_or_default();
            assert_eq!(text_of(&html), code);
        }
    }

    #[test]
    fn output_is_deterministic() {
        for (language, code) in SAMPLES {
            let first = highlight(language, code);
            let again = std::thread::scope(|s| s.spawn(|| highlight(language, code)).join());
            assert_eq!(first, again.ok().flatten(), "{language}");
        }
    }

    #[test]
    fn broken_and_random_input_does_not_panic() {
        let mut inputs: Vec<String> = [
            "\"unterminated",
            "/* unterminated",
            "'''",
            "<!--",
            "<?php",
            "${{{{{{{",
            "((((((((((((((((((((",
            "\\",
            "#",
            "\u{0}\u{1}\u{2}",
            "é\u{301}日本語🦀",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // A fixed xorshift stream: random bytes, the same every run.
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for len in [1, 7, 64, 300] {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            inputs.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        inputs.push(format!("ok\n{}\nok", "\"a".repeat(MAX_LINE)));
        for (name, aliases) in LANGUAGES {
            let alias = aliases.split(' ').next().unwrap_or_default();
            for input in &inputs {
                let html = highlight(alias, input);
                let html = html.unwrap_or_else(|| panic!("{name}"));
                assert_eq!(text_of(&html), clean(input), "{name}");
            }
        }
    }
}
