use super::code::{Syntax, Words};
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
    ("tsx", "const a = <div className=\"x\">{n}</div>;\n"),
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
    ("ini", "[a]\nb = c ; d\n"),
    ("lua", "local function f(x) return x .. \"s\" end\n"),
    ("r", "f <- function(x) { x + 1 }\n"),
    ("objc", "@interface A : NSObject\n@end\n"),
    ("erlang", "-module(a).\nf(X) -> X + 1.\n"),
    ("elixir", "defmodule A do\n  def f(x), do: :ok\nend\n"),
    ("clojure", "(defn f [x] (+ x 1))\n"),
    ("scheme", "(define (f x) (* x 2)) ; c\n"),
    ("ocaml", "let f x = x + 1 (* c *)\n"),
    ("fsharp", "let f x = x + 1 // c\n"),
    ("latex", "\\section{A} $x^2$ % c\n"),
    ("makefile", "all: a.o\n\t$(CC) -o $@ $^\n"),
    ("dockerfile", "FROM rust:1 AS build\nRUN cargo build\n"),
    ("diff", "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n"),
    ("markdown", "# Title\nSome `code` and *em*.\n"),
    ("dart", "void main() { print('hi'); }\n"),
    ("julia", "function f(x)\n    x^2 # c\nend\n"),
    ("matlab", "x = [1 2 3]'; % c\n"),
    (
        "powershell",
        "Get-ChildItem -Path $dir | Where-Object { $_.Length -gt 1 }\n",
    ),
    ("zig", "const std = @import(\"std\");\n"),
    ("nim", "proc f(x: int): int = x + 1\n"),
    ("groovy", "def x = \"a ${b}\"\n"),
    ("graphql", "query Q($id: ID!) { user(id: $id) { name } }\n"),
    ("protobuf", "message A { string b = 1; }\n"),
    ("nix", "{ pkgs }: let x = 1; in x\n"),
    ("vim", "\" c\nlet g:x = 1\n"),
    (
        "fortran",
        "program a\n  integer :: x = 1 ! c\nend program a\n",
    ),
    ("pascal", "begin x := 1; { c } end.\n"),
    ("ada", "procedure A is begin null; end A; -- c\n"),
    ("awk", "{ print $1 } # c\n"),
    ("fish", "set -x a 1 # c\n"),
    ("tcl", "proc f {x} { return $x }\n"),
    (
        "verilog",
        "module a(input b); assign c = 8'hFF; endmodule\n",
    ),
    ("vhdl", "entity a is end a; -- c\n"),
    ("asm", "_start:\n    mov rax, 60 ; c\n"),
    ("scss", "$c: red;\n.a { color: $c; }\n"),
    ("less", "@c: red;\n.a { color: @c; }\n"),
    ("bat", "@echo off\nREM c\nset X=%1\n"),
    ("rst", "Title\n=====\n\n.. note:: ``x``\n"),
    ("properties", "# c\na=b\\n\n"),
    ("cmake", "add_executable(a main.c) # c\n"),
    ("hcl", "resource \"a\" \"b\" { x = 1 }\n"),
];

/// Checks that `html` is only text and flat `<span class="hl-…">` (or
/// `<b>`, `<i>`) elements, properly closed, with `&`, `<` and `>` escaped;
/// returns the text with the markup taken out and the escapes undone.
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

/// The tokens of `class` in the highlighted `code`, in order.
fn tokens(language: &str, code: &str, class: Class) -> Vec<String> {
    let html = highlight(language, code).unwrap_or_default();
    let open = format!("<{} class=\"{}\">", class.element(), class.name());
    let close = format!("</{}>", class.element());
    html.split(&open)
        .skip(1)
        .filter_map(|piece| piece.split_once(&close).map(|(token, _)| text_of(token)))
        .collect()
}

/// Every syntax of a language with code, to check the word lists.
fn syntaxes() -> Vec<(&'static str, &'static Syntax)> {
    LANGUAGES
        .iter()
        .filter_map(|&(name, _, lexer)| match lexer {
            Lexer::Code(syntax) => Some((name, syntax)),
            _ => None,
        })
        .collect()
}

#[test]
fn every_alias_names_one_language() {
    for (name, aliases, _) in LANGUAGES {
        for alias in aliases.split(' ') {
            assert_eq!(alias, alias.to_ascii_lowercase(), "{alias}");
            let listed = LANGUAGES
                .iter()
                .filter(|(_, aliases, _)| aliases.split(' ').any(|a| a == alias))
                .count();
            assert_eq!(listed, 1, "{alias} ({name}) is listed {listed} times");
        }
    }
    assert!(LANGUAGES.len() >= 40);
}

#[test]
fn word_lists_are_sorted_and_in_the_right_case() {
    for (name, syntax) in syntaxes() {
        let lists: [&[Words]; 5] = [
            syntax.keywords,
            syntax.types,
            syntax.constants,
            syntax.builtins,
            syntax.variables,
        ];
        for list in lists.iter().flat_map(|lists| lists.iter()) {
            for pair in list.windows(2) {
                assert!(
                    pair[0] < pair[1],
                    "{name}: {:?} before {:?}",
                    pair[0],
                    pair[1]
                );
            }
            for word in *list {
                assert!(word.len() <= 32, "{name}: {word}");
                if syntax.case_insensitive {
                    assert_eq!(*word, word.to_ascii_lowercase(), "{name}");
                }
            }
        }
    }
}

#[test]
fn comment_markers_do_not_start_like_words() {
    // The scanner reads words before comments.
    for (name, syntax) in syntaxes() {
        let markers = syntax
            .line_comments
            .iter()
            .chain(syntax.block_comments.iter().map(|block| &block.open));
        for marker in markers {
            let first = marker.bytes().next().unwrap_or(b'a');
            assert!(
                !first.is_ascii_alphanumeric() && first != b'_',
                "{name}: {marker}"
            );
        }
    }
}

#[test]
fn names_and_aliases_are_known_in_any_case() {
    for name in [
        "rust",
        "Rust",
        "RS",
        "py",
        "Python3",
        "js",
        "ts",
        "rb",
        "sh",
        "bash",
        "zsh",
        "yml",
        "c++",
        "cpp",
        "cs",
        "C#",
        "golang",
        "kt",
        "objc",
        "tex",
        "make",
        "patch",
        " md ",
        "PowerShell",
        "ps1",
        "pwsh",
        "jsx",
        "tsx",
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
    assert!(SAMPLES.len() >= 60);
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
    let html = highlight("rust", "fn main() { a < b }\n").unwrap_or_default();
    assert_eq!(
        html,
        "<b class=\"hl-keyword\">fn</b> <span class=\"hl-function\">main</span>() \
         { a <span class=\"hl-operator\">&lt;</span> b }\n"
    );
    let html = highlight("diff", "-a\n+b\n").unwrap_or_default();
    assert_eq!(
        html,
        "<span class=\"hl-deleted\">-a</span>\n<span class=\"hl-inserted\">+b</span>\n"
    );
}

#[test]
fn python_triple_quoted_strings_span_lines() {
    let code = "x = \"\"\"one\n# not a comment\ntwo\"\"\"  # a comment\n";
    assert_eq!(
        tokens("python", code, Class::String),
        ["\"\"\"one\n# not a comment\ntwo\"\"\""]
    );
    assert_eq!(tokens("python", code, Class::Comment), ["# a comment"]);
    assert_eq!(
        tokens("python", "f'{x} and {{y}}' r'\\d'", Class::String),
        ["f'", "and", "y", "' r'\\d'"]
    );
}

#[test]
fn rust_raw_strings_lifetimes_and_characters_differ() {
    let code = r###"let s = r#"a "quoted" \n"#; fn f<'a>(x: &'a str) -> char { 'x' } '\n'"###;
    let strings = tokens("rust", code, Class::String);
    assert_eq!(strings, [r###"r#"a "quoted" \n"#"###, "'x'", "'", "'"]);
    assert_eq!(tokens("rust", code, Class::Escape), ["\\n"]);
    // Adjacent tokens of one class merge, blanks between them too.
    assert_eq!(tokens("rust", code, Class::Type), ["'a", "'a str", "char"]);
    assert_eq!(
        tokens("rust", "#[derive(Debug)]\nstruct A;", Class::Attribute),
        ["#[derive(Debug)]"]
    );
    assert_eq!(
        tokens("rust", "println!(\"{}\", x)", Class::Function),
        ["println!"]
    );
}

#[test]
fn nested_block_comments_nest_where_the_language_nests_them() {
    let rust = tokens("rust", "/* a /* b */ c */ d", Class::Comment);
    assert_eq!(rust, ["/* a /* b */ c */"]);
    let haskell = tokens("haskell", "{- a {- b -} c -} d", Class::Comment);
    assert_eq!(haskell, ["{- a {- b -} c -}"]);
    let ocaml = tokens("ocaml", "(* a (* b *) c *) d", Class::Comment);
    assert_eq!(ocaml, ["(* a (* b *) c *)"]);
    // C does not nest them.
    let c = tokens("c", "/* a /* b */ c */ d", Class::Comment);
    assert_eq!(c, ["/* a /* b */"]);
}

#[test]
fn template_strings_interpolate_code() {
    let code = "`a ${b + \"}\"} c`";
    // Blanks at the edges of a token stay outside its element.
    assert_eq!(tokens("js", code, Class::String), ["`a", "\"}\"", "c`"]);
    assert_eq!(tokens("js", code, Class::Escape), ["${", "}"]);
    assert_eq!(tokens("js", code, Class::Operator), ["+"]);
    let html = highlight("js", "const re = /a<b>/g; x = a / b / c;").unwrap_or_default();
    assert!(
        html.contains("<span class=\"hl-string\">/a&lt;b&gt;/g</span>"),
        "{html}"
    );
    assert_eq!(
        tokens("js", "x = a / b / c", Class::String),
        Vec::<String>::new()
    );
}

#[test]
fn jsx_elements_have_tags_attributes_and_code() {
    let code = "return <div id=\"a\" on={f}>Hi {name}!</div>;";
    assert_eq!(tokens("jsx", code, Class::Tag), ["<div", ">", "</div>"]);
    assert_eq!(tokens("jsx", code, Class::Attribute), ["id", "on"]);
    assert_eq!(tokens("jsx", code, Class::String), ["\"a\""]);
    // TypeScript's angle brackets are generics, not elements.
    assert_eq!(
        tokens("ts", "let a = <T>(b)", Class::Tag),
        Vec::<String>::new()
    );
}

#[test]
fn shell_variables_are_variables_inside_strings_too() {
    let code = "echo \"$HOME and ${USER:-me}\" $1 $# # c";
    assert_eq!(
        tokens("bash", code, Class::Variable),
        ["$HOME", "${USER:-me}", "$1 $#"]
    );
    assert_eq!(tokens("bash", code, Class::Comment), ["# c"]);
    assert_eq!(tokens("bash", "a#b", Class::Comment), Vec::<String>::new());
    let heredoc = "cat <<EOF\nif $x\nEOF\necho done\n";
    assert_eq!(
        tokens("bash", heredoc, Class::String),
        // One span: the line break between the two is inside it.
        ["<<EOF\nif $x\nEOF"]
    );
    assert_eq!(tokens("bash", heredoc, Class::Function), ["echo"]);
}

#[test]
fn a_command_substitution_in_a_shell_string_holds_strings_of_its_own() {
    let code = "echo \"$(basename \"$x\" .md) done\" # c";
    assert_eq!(
        tokens("bash", code, Class::String),
        ["\"", "\"", "\"", "done\""]
    );
    assert_eq!(tokens("bash", code, Class::Escape), ["$(", ")"]);
    assert_eq!(tokens("bash", code, Class::Variable), ["$x"]);
    assert_eq!(tokens("bash", code, Class::Function), ["echo"]);
    assert_eq!(tokens("bash", code, Class::Comment), ["# c"]);
    // Arithmetic and nested substitutions close where they should.
    let nested = "v=\"$(( $(wc -l < \"$f\") + 1 ))\" # n";
    assert_eq!(tokens("bash", nested, Class::Comment), ["# n"]);
    assert_eq!(tokens("bash", nested, Class::Variable), ["$f"]);
}

#[test]
fn sql_keywords_match_in_any_case() {
    let code = "select a from t where b = 'it''s' -- c";
    assert_eq!(
        tokens("sql", code, Class::Keyword),
        ["select", "from", "where"]
    );
    assert_eq!(tokens("sql", code, Class::String), ["'it''s'"]);
    assert_eq!(tokens("sql", "SELECT COUNT(*)", Class::Function), ["COUNT"]);
}

#[test]
fn html_has_tags_attributes_values_entities_and_embedded_code() {
    let code =
        "<!DOCTYPE html>\n<a href=\"x\" hidden>&amp;</a><!-- c -->\n<script>let a = 1;</script>";
    assert_eq!(tokens("html", code, Class::Keyword), ["DOCTYPE", "let"]);
    assert_eq!(tokens("html", code, Class::Attribute), ["href", "hidden"]);
    assert_eq!(tokens("html", code, Class::String), ["\"x\""]);
    assert_eq!(tokens("html", code, Class::Escape), ["&amp;"]);
    assert_eq!(tokens("html", code, Class::Comment), ["<!-- c -->"]);
    assert_eq!(tokens("html", code, Class::Number), ["1"]);
}

#[test]
fn json_keys_differ_from_string_values() {
    let code = "{\"key\": \"value \\\"q\\\"\", \"n\": [1, -2.5e3, true, null]}";
    assert_eq!(tokens("json", code, Class::Attribute), ["\"key\"", "\"n\""]);
    assert_eq!(tokens("json", code, Class::Escape), ["\\\"", "\\\""]);
    assert_eq!(tokens("json", code, Class::Number), ["1", "-2.5e3"]);
    assert_eq!(tokens("json", code, Class::Constant), ["true", "null"]);
    assert!(tokens("json", code, Class::Keyword).is_empty());
}

#[test]
fn diff_lines_are_inserted_deleted_or_meta() {
    let code = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n ctx\n-old\n+new\n";
    assert_eq!(
        tokens("diff", code, Class::Meta),
        ["diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@"]
    );
    assert_eq!(tokens("diff", code, Class::Deleted), ["-old"]);
    assert_eq!(tokens("diff", code, Class::Inserted), ["+new"]);
}

#[test]
fn data_files_mark_keys() {
    let yaml = "# c\nkey: value\nlist:\n  - \"a\"\n  - 1\nbody: |\n  text: not a key\n";
    assert_eq!(
        tokens("yaml", yaml, Class::Attribute),
        ["key", "list", "body"]
    );
    assert_eq!(
        tokens("yaml", yaml, Class::String),
        ["\"a\"", "text: not a key"]
    );
    let toml = "[book]\ntitle = \"x\" # c\npages = 1_000\nlist = [1, 2]\n";
    assert_eq!(tokens("toml", toml, Class::Type), ["[book]"]);
    assert_eq!(
        tokens("toml", toml, Class::Attribute),
        ["title", "pages", "list"]
    );
    assert_eq!(tokens("toml", toml, Class::Number), ["1_000", "1", "2"]);
}

#[test]
fn stylesheets_tell_selectors_from_declarations() {
    let css = "/* c */\na:hover > .note { color: #336699; margin: 0 1.5em !important; }";
    assert_eq!(tokens("css", css, Class::Tag), ["a"]);
    assert_eq!(
        tokens("css", css, Class::Attribute),
        [":hover", ".note", "color", "margin"]
    );
    assert_eq!(tokens("css", css, Class::Number), ["0 1.5em"]);
    assert_eq!(tokens("css", css, Class::Keyword), ["!important"]);
    let scss = ".a {\n  &:hover { color: red; }\n  b { x: 1 }\n}";
    assert_eq!(tokens("scss", scss, Class::Tag), ["b"]);
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
        "`${`${`${",
        "<a b={<c>{d}</c>}>",
        "}}}}))]]",
        "((((((((((((((((((((",
        "\\",
        "#",
        "#[",
        "r#\"",
        "'",
        "'\\",
        "<<EOF",
        "$",
        "@",
        "```",
        "\u{0}\u{1}\u{2}",
        "é\u{301}日本語🦀",
        "'é' '日' \"\\é\" \\日 $日 @日 #日 .日 -日 <日 &日; `日",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // A fixed xorshift stream: random bytes, the same every run.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut random = |len: usize, alphabet: &[u8]| -> String {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                if alphabet.is_empty() {
                    seed as u8
                } else {
                    alphabet[(seed % alphabet.len() as u64) as usize]
                }
            })
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    for len in [1, 7, 64, 300, 2000] {
        inputs.push(random(len, &[]));
        // Punctuation that opens and closes constructs, densely.
        inputs.push(random(
            len,
            b"\"'`/*#-{}()[]<>$@\\!=:;.,%&|?~+ \n\tab1_\xc3\xa9",
        ));
    }
    for (name, aliases, _) in LANGUAGES {
        let alias = aliases.split(' ').next().unwrap_or_default();
        for input in &inputs {
            let html = highlight(alias, input);
            let html = html.unwrap_or_else(|| panic!("{name}"));
            assert_eq!(text_of(&html), clean(input), "{name}: {input:?}");
        }
    }
}

/// Inputs that make a scanner with a backtracking or look-ahead flaw take
/// quadratic time: long single lines of constructs that never close.
fn pathological_lines(size: usize) -> Vec<String> {
    [
        "a", "\"", "/*", "(/", "#[", "${", "'a", "<a ", "`", "](", "<<A ", "$(", "@{", "/[", "{-",
        "<!--", ":a", "[[", "\\(", "$x", "a(", "#{", "'\\",
    ]
    .iter()
    .map(|unit| unit.repeat(size / unit.len()))
    .collect()
}

#[test]
fn pathological_lines_keep_their_text_in_every_language() {
    for (name, aliases, _) in LANGUAGES {
        let alias = aliases.split(' ').next().unwrap_or_default();
        for line in pathological_lines(4 << 10) {
            let html = highlight(alias, &line).unwrap_or_default();
            assert_eq!(text_of(&html), line, "{name} on {:?}", &line[..8]);
        }
    }
}

/// How many bytes highlighting `line` in `language` looks at.
fn examined_by(language: &str, line: &str) -> u64 {
    let before = super::cursor::examined();
    let _ = highlight(language, line);
    super::cursor::examined() - before
}

/// The longest stretch a lexer looks ahead from one place (the end of a
/// CSS statement, of LaTeX math, of anything else): below that length a
/// bounded look ahead costs as much as a look at the rest of the line.
fn lookahead_of(lexer: Lexer) -> usize {
    match lexer {
        Lexer::Css(_) => super::stylesheet::STATEMENT_LOOKAHEAD,
        Lexer::Latex => super::documents::MATH_LOOKAHEAD,
        _ => super::code::LOOKAHEAD,
    }
}

/// The work on a line four times as long is about four times the work,
/// for every language and every pathological line: a lexer that looks
/// again and again at the rest of a line would do sixteen times as much.
/// Work is the bytes the lexers look at, counted by the cursor, so the
/// test is exact on any machine and in a debug build. The lines are
/// longer than the language's longest look ahead, which costs a bounded
/// amount at each byte.
#[test]
fn work_grows_linearly_on_pathological_lines() {
    let mut failures = Vec::new();
    for &(name, aliases, lexer) in LANGUAGES {
        let alias = aliases.split(' ').next().unwrap_or_default();
        let size = 2 * lookahead_of(lexer);
        let (small, large) = (pathological_lines(size), pathological_lines(4 * size));
        for (small, large) in small.iter().zip(&large) {
            let (small_work, large_work) = (examined_by(alias, small), examined_by(alias, large));
            // Four times the text; five times the work where each byte
            // is looked at again in the look ahead of the bytes before it
            // (whose last stretch is cut short by the end of the line).
            if large_work > 6 * small_work.max(1) {
                failures.push(format!(
                    "{name} on {:?}…: {small_work} bytes looked at for {} bytes, {large_work} for {}",
                    &small[..8],
                    small.len(),
                    large.len()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The count is of real work: a lexer that looked at the rest of the line
/// at every byte would be caught.
#[test]
fn the_work_count_sees_a_quadratic_scan() {
    let line = "a".repeat(1 << 10);
    let before = super::cursor::examined();
    let mut spans = super::Spans::with_capacity(0);
    let cursor = super::cursor::Cursor::new(&line, &mut spans);
    for i in 0..line.len() {
        let _ = cursor.find_byte(i, b'\n');
    }
    let work = super::cursor::examined() - before;
    assert!(work >= (line.len() * line.len() / 2) as u64, "{work}");
}

/// A mixed body of code in the common languages, `size` bytes or more.
fn mixed_code(size: usize) -> Vec<(&'static str, String)> {
    let samples: &[(&str, &str)] = &[
        ("rust", include_str!("code.rs")),
        ("rust", include_str!("languages.rs")),
        ("python", PYTHON_SAMPLE),
        ("js", JS_SAMPLE),
        ("c", C_SAMPLE),
        ("html", HTML_SAMPLE),
        ("css", include_str!("../highlight.css")),
        ("json", JSON_SAMPLE),
        ("bash", BASH_SAMPLE),
    ];
    let mut total = 0;
    let mut blocks = Vec::new();
    while total < size {
        for (language, code) in samples {
            total += code.len();
            blocks.push((*language, code.to_string()));
        }
    }
    blocks
}

const PYTHON_SAMPLE: &str = r#"
import os
from typing import List

class Book(object):
    """A book with chapters."""

    def __init__(self, title: str, chapters: List[str]) -> None:
        self.title = title  # the title
        self.chapters = chapters

    @property
    def size(self) -> int:
        return sum(len(c) for c in self.chapters) + 0x1F * 2.5e-3

def main():
    book = Book(f"Title {os.getcwd()!r}", ['a', 'b'])
    print(book.size, r'\d+', b"\x00")
"#;

const JS_SAMPLE: &str = r#"
// Render a list of items.
export async function render(items, { limit = 10 } = {}) {
  const out = [];
  for (const [i, item] of items.entries()) {
    if (i >= limit) break;
    out.push(`<li data-i="${i}">${item.name.replace(/[<>&]/g, escape)}</li>`);
  }
  return out.join('\n') || null; /* empty */
}
"#;

const C_SAMPLE: &str = r#"
#include <stdio.h>
#define MAX 100

/* Sum an array. */
static long sum(const int *xs, size_t n) {
    long total = 0;
    for (size_t i = 0; i < n && i < MAX; i++) {
        total += xs[i] << 1;
    }
    printf("%ld\n", total);
    return total;
}
"#;

const HTML_SAMPLE: &str = r#"
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Fish &amp; chips</title></head>
<body>
  <p class="lead">Hello <b>world</b></p>
  <!-- a comment -->
</body>
</html>
"#;

const JSON_SAMPLE: &str = r#"
{"name": "bindery", "version": [1, 2.5, -3e2], "ok": true, "none": null,
 "nested": {"text": "a \"quoted\" word", "list": ["x", "y", "z"]}}
"#;

const BASH_SAMPLE: &str = r#"
#!/bin/bash
set -euo pipefail
for f in "$@"; do
    if [[ -f "$f" ]]; then
        echo "file: ${f%.md}" >&2 # note
    fi
done
cat <<EOF
done with $#
EOF
"#;

/// Prints the highlighter's speed; run it with
/// `cargo test --release --lib highlight -- --ignored --nocapture`.
#[test]
#[ignore = "a benchmark, for release builds"]
fn throughput_on_mixed_code() {
    let blocks = mixed_code(10 << 20);
    let bytes: usize = blocks.iter().map(|(_, code)| code.len()).sum();
    let start = std::time::Instant::now();
    let mut out = 0;
    for (language, code) in &blocks {
        out += highlight(language, code).map_or(0, |html| html.len());
    }
    let seconds = start.elapsed().as_secs_f64();
    eprintln!(
        "highlighted {:.1} MB in {seconds:.3} s: {:.1} MB/s ({:.1} MB of XHTML)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds,
        out as f64 / 1e6
    );
    for (name, aliases, _) in LANGUAGES {
        let alias = aliases.split(' ').next().unwrap_or_default();
        let text: String = blocks.iter().map(|(_, code)| code.as_str()).collect();
        let start = std::time::Instant::now();
        let _ = highlight(alias, &text);
        let seconds = start.elapsed().as_secs_f64();
        eprintln!("{name:>20}: {:7.1} MB/s", text.len() as f64 / 1e6 / seconds);
    }
}

#[test]
fn ranges_are_not_fractions() {
    assert_eq!(
        tokens("rust", "for i in 0..10 {}", Class::Number),
        ["0", "10"]
    );
    assert_eq!(tokens("rust", "let r = 1..=9;", Class::Number), ["1", "9"]);
    assert_eq!(
        tokens("python", "x = .5 + 0.25", Class::Number),
        [".5", "0.25"]
    );
    assert_eq!(tokens("javascript", "f(...5)", Class::Number), ["5"]);
}

proptest::proptest! {
    #[test]
    fn any_text_in_every_language_gives_a_well_formed_fragment(code in crate::test_text::any_text()) {
        for (_, aliases, _) in LANGUAGES {
            let language = aliases.split(' ').next().unwrap_or_default();
            let Some(inside) = highlight(language, &code) else {
                continue;
            };
            let document = format!("<code>{inside}</code>");
            proptest::prop_assert!(roxmltree::Document::parse(&document).is_ok(), "{}: {}", language, document);
        }
    }
}
