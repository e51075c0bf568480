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
//! The lexers are written by hand and driven by tables, one pass over the
//! bytes with no backtracking: programming languages share one scanner
//! ([`code`]) that a [`code::Syntax`] per language configures (comment
//! markers, quotes, keyword lists, …), and the languages that are not
//! token streams of that kind (markup, stylesheets, data files, documents,
//! build files) have small scanners of their own. Book code is read, not
//! compiled, so the lexers aim at what a reader notices, not at a full
//! grammar: a construct they misjudge costs some colours, never text.
//! They run in time linear in the input, allocate little and never panic.

mod code;
mod commands;
mod cursor;
mod data;
mod documents;
mod languages;
mod markup;
mod stylesheet;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use code::Syntax;
use cursor::Cursor;
use languages as lang;
use stylesheet::Dialect;

/// Highlights `code` written in `language` (the fence's info word, any case).
///
/// Returns the inside of `<code>`: the code, XML-escaped, with
/// `<span class="…">` around tokens (`<b>` for keywords, `<i>` for
/// comments); `None` when the language is unknown.
/// Carriage returns are dropped and characters that XML 1.0 forbids become
/// U+FFFD, so the result is always a well-formed fragment.
pub fn highlight(language: &str, code: &str) -> Option<String> {
    let lexer = lexer(language)?;
    let text = clean(code);
    // Markup roughly doubles the size of highlighted code.
    let mut spans = Spans::with_capacity(text.len() * 2);
    lexer.run(&text, &mut spans);
    Some(spans.finish())
}

/// Whether a language name is known.
#[cfg(test)]
pub fn is_known(language: &str) -> bool {
    lexer(language).is_some()
}

/// The lexer for a fence's language, if it is known.
fn lexer(language: &str) -> Option<Lexer> {
    let language = language.trim();
    LANGUAGES
        .iter()
        .find(|(_, aliases, _)| {
            aliases
                .split(' ')
                .any(|alias| alias.eq_ignore_ascii_case(language))
        })
        .map(|&(_, _, lexer)| lexer)
}

/// How a language is lexed.
#[derive(Clone, Copy)]
enum Lexer {
    /// By the shared scanner for programming languages.
    Code(&'static Syntax),
    Html,
    Xml,
    Css(Dialect),
    Json,
    Yaml,
    Toml,
    Ini,
    Properties,
    Diff,
    Markdown,
    Latex,
    Rst,
    Makefile,
    Dockerfile,
    Batch,
}

impl Lexer {
    fn run(self, text: &str, spans: &mut Spans) {
        let mut cursor = Cursor::new(text, spans);
        match self {
            Lexer::Code(syntax) => code::scan(syntax, &mut cursor),
            Lexer::Html => markup::scan_html(&mut cursor),
            Lexer::Xml => markup::scan_xml(&mut cursor),
            Lexer::Css(dialect) => stylesheet::scan(dialect, &mut cursor),
            Lexer::Json => data::scan_json(&mut cursor),
            Lexer::Yaml => data::scan_yaml(&mut cursor),
            Lexer::Toml => data::scan_toml(&mut cursor),
            Lexer::Ini => data::scan_ini(&mut cursor),
            Lexer::Properties => data::scan_properties(&mut cursor),
            Lexer::Diff => documents::scan_diff(&mut cursor),
            Lexer::Markdown => documents::scan_markdown(&mut cursor),
            Lexer::Latex => documents::scan_latex(&mut cursor),
            Lexer::Rst => documents::scan_rst(&mut cursor),
            Lexer::Makefile => commands::scan_makefile(&mut cursor),
            Lexer::Dockerfile => commands::scan_dockerfile(&mut cursor),
            Lexer::Batch => commands::scan_batch(&mut cursor),
        }
        cursor.finish();
    }
}

/// The languages bindery highlights, each with the fence names it answers
/// to (lower case, space-separated; matched in any case) and its lexer.
/// Only names listed here are known: the list stays explicit, so a block
/// in a language nobody wrote a lexer for stays plain.
const LANGUAGES: &[(&str, &str, Lexer)] = &[
    ("Ada", "ada adb ads", Lexer::Code(&lang::ADA)),
    (
        "Assembly",
        "asm assembly nasm x86asm",
        Lexer::Code(&lang::ASM),
    ),
    ("AWK", "awk gawk mawk", Lexer::Code(&lang::AWK)),
    ("Batch File", "bat batch cmd dos", Lexer::Batch),
    ("BibTeX", "bibtex bib", Lexer::Code(&lang::BIBTEX)),
    ("C", "c h", Lexer::Code(&lang::C)),
    ("C#", "c# csharp cs", Lexer::Code(&lang::CSHARP)),
    (
        "C++",
        "c++ cpp cxx cc hpp cplusplus",
        Lexer::Code(&lang::CPP),
    ),
    (
        "Clojure",
        "clojure clj cljs cljc edn",
        Lexer::Code(&lang::CLOJURE),
    ),
    ("CMake", "cmake", Lexer::Code(&lang::CMAKE)),
    (
        "CoffeeScript",
        "coffeescript coffee",
        Lexer::Code(&lang::COFFEESCRIPT),
    ),
    ("Crystal", "crystal cr", Lexer::Code(&lang::CRYSTAL)),
    ("CSS", "css", Lexer::Css(Dialect::Css)),
    ("D", "d", Lexer::Code(&lang::D)),
    ("Dart", "dart", Lexer::Code(&lang::DART)),
    ("Diff", "diff patch udiff", Lexer::Diff),
    (
        "Dockerfile",
        "dockerfile docker containerfile",
        Lexer::Dockerfile,
    ),
    ("Elixir", "elixir ex exs", Lexer::Code(&lang::ELIXIR)),
    ("Elm", "elm", Lexer::Code(&lang::ELM)),
    ("Erlang", "erlang erl", Lexer::Code(&lang::ERLANG)),
    ("F#", "f# fsharp fs", Lexer::Code(&lang::FSHARP)),
    ("Fish", "fish", Lexer::Code(&lang::FISH)),
    (
        "Fortran",
        "fortran f90 f95 f03 f08",
        Lexer::Code(&lang::FORTRAN),
    ),
    ("GLSL", "glsl", Lexer::Code(&lang::GLSL)),
    ("Go", "go golang", Lexer::Code(&lang::GO)),
    ("Graphviz (DOT)", "dot graphviz gv", Lexer::Code(&lang::DOT)),
    ("GraphQL", "graphql gql", Lexer::Code(&lang::GRAPHQL)),
    ("Groovy", "groovy gradle", Lexer::Code(&lang::GROOVY)),
    ("Haskell", "haskell hs", Lexer::Code(&lang::HASKELL)),
    ("HTML", "html htm xhtml", Lexer::Html),
    ("INI", "ini cfg dosini", Lexer::Ini),
    ("Java", "java", Lexer::Code(&lang::JAVA)),
    (
        "Java Properties",
        "properties java-properties",
        Lexer::Properties,
    ),
    (
        "JavaScript",
        "javascript js mjs cjs node",
        Lexer::Code(&lang::JAVASCRIPT),
    ),
    ("JSON", "json jsonc jsonl geojson", Lexer::Json),
    ("Julia", "julia jl", Lexer::Code(&lang::JULIA)),
    ("Kotlin", "kotlin kt kts", Lexer::Code(&lang::KOTLIN)),
    ("LaTeX", "latex tex", Lexer::Latex),
    ("Less", "less", Lexer::Css(Dialect::Less)),
    (
        "Lisp",
        "lisp common-lisp commonlisp elisp emacs-lisp scheme scm",
        Lexer::Code(&lang::LISP),
    ),
    ("Lua", "lua", Lexer::Code(&lang::LUA)),
    ("Makefile", "makefile make mk mak", Lexer::Makefile),
    ("Markdown", "markdown md mkd", Lexer::Markdown),
    ("MATLAB", "matlab octave", Lexer::Code(&lang::MATLAB)),
    ("nginx", "nginx nginxconf", Lexer::Code(&lang::NGINX)),
    ("Nim", "nim", Lexer::Code(&lang::NIM)),
    ("Nix", "nix", Lexer::Code(&lang::NIX)),
    (
        "Objective-C",
        "objective-c objectivec objc obj-c",
        Lexer::Code(&lang::OBJECTIVE_C),
    ),
    (
        "Objective-C++",
        "objective-c++ objc++ objcpp",
        Lexer::Code(&lang::OBJECTIVE_CPP),
    ),
    ("OCaml", "ocaml ml", Lexer::Code(&lang::OCAML)),
    ("Pascal", "pascal delphi pas", Lexer::Code(&lang::PASCAL)),
    ("Perl", "perl pl pm", Lexer::Code(&lang::PERL)),
    ("PHP", "php", Lexer::Code(&lang::PHP)),
    (
        "PowerShell",
        "powershell ps1 pwsh",
        Lexer::Code(&lang::POWERSHELL),
    ),
    (
        "Protocol Buffer",
        "protobuf proto",
        Lexer::Code(&lang::PROTOBUF),
    ),
    (
        "Python",
        "python py python3 py3 pyi",
        Lexer::Code(&lang::PYTHON),
    ),
    ("R", "r rscript", Lexer::Code(&lang::R)),
    ("Racket", "racket rkt", Lexer::Code(&lang::LISP)),
    ("reStructuredText", "restructuredtext rst", Lexer::Rst),
    ("Ruby", "ruby rb gemspec rake", Lexer::Code(&lang::RUBY)),
    ("Rust", "rust rs", Lexer::Code(&lang::RUST)),
    ("Sass", "sass", Lexer::Css(Dialect::Sass)),
    ("Scala", "scala sbt", Lexer::Code(&lang::SCALA)),
    ("SCSS", "scss", Lexer::Css(Dialect::Scss)),
    (
        "Shell",
        "bash sh shell zsh ksh shellscript",
        Lexer::Code(&lang::SHELL),
    ),
    (
        "SQL",
        "sql mysql postgresql postgres psql plsql sqlite",
        Lexer::Code(&lang::SQL),
    ),
    ("Swift", "swift", Lexer::Code(&lang::SWIFT)),
    (
        "SystemVerilog",
        "systemverilog sv",
        Lexer::Code(&lang::VERILOG),
    ),
    ("Tcl", "tcl", Lexer::Code(&lang::TCL)),
    ("Terraform", "terraform tf hcl", Lexer::Code(&lang::HCL)),
    ("TOML", "toml", Lexer::Toml),
    (
        "TypeScript",
        "typescript ts mts cts",
        Lexer::Code(&lang::TYPESCRIPT),
    ),
    ("TypeScriptReact", "tsx jsx", Lexer::Code(&lang::TSX)),
    ("Verilog", "verilog", Lexer::Code(&lang::VERILOG)),
    ("VHDL", "vhdl", Lexer::Code(&lang::VHDL)),
    ("VimL", "vim viml vimscript", Lexer::Code(&lang::VIM)),
    (
        "XML",
        "xml svg xsd xsl xslt rss atom plist opf ncx",
        Lexer::Xml,
    ),
    ("YAML", "yaml yml", Lexer::Yaml),
    ("Zig", "zig", Lexer::Code(&lang::ZIG)),
];

/// The classes written out, one per kind of token that `highlight.css`
/// colours. Few on purpose: readers need about a dozen distinctions, and
/// every class is a stable contract with the stylesheet.
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

/// The output being built: flat spans around the non-blank part of tokens,
/// adjacent ones of the same class merged.
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
    fn with_capacity(capacity: usize) -> Spans {
        Spans {
            html: String::with_capacity(capacity),
            open: None,
            gap: String::new(),
        }
    }

    /// Appends `text` in `class` (`None`: plain text).
    fn push(&mut self, class: Option<Class>, text: &str) {
        let rest = text.trim_start();
        let (lead, _) = text
            .split_at_checked(text.len() - rest.len())
            .unwrap_or_default();
        self.gap.push_str(lead);
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
        crate::xml::escape_into(&mut self.html, token, false);
        let (_, trail) = rest.split_at_checked(token.len()).unwrap_or_default();
        self.gap.push_str(trail);
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
/// does not allow replaced by U+FFFD; borrowed when there are none, as in
/// nearly every block.
fn clean(code: &str) -> Cow<'_, str> {
    let control = code.bytes().any(|b| b < b' ' && b != b'\t' && b != b'\n');
    if !control && !code.contains(['\u{FFFE}', '\u{FFFF}']) {
        return Cow::Borrowed(code);
    }
    Cow::Owned(
        code.chars()
            .filter(|&c| c != '\r')
            .map(|c| match c {
                '\t' | '\n' | ' '..='\u{FFFD}' | '\u{10000}'.. => c,
                _ => '\u{FFFD}',
            })
            .collect(),
    )
}
