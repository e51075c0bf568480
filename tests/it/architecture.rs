//! The shape of the library: its modules import each other in one
//! direction only, down the pipeline, so that each can be read (and
//! changed) knowing only the modules below it.
//!
//! A module is a file or a folder directly under `src/`; `lib.rs` is the
//! crate root, which runs the pipeline. An import is any path starting
//! with `crate::` (or `$crate::` in a macro), in a `use` or in code;
//! comments and string literals are skipped. Paths within one module
//! (`super::`, `self::`) are not edges between modules.

use crate::support::repo;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The crate root's name in the graph.
const ROOT: &str = "lib.rs";

/// For each module, the modules it imports and, for each, the first file
/// that does.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

#[test]
fn modules_under_src_import_each_other_without_a_cycle() {
    let graph = import_graph(&repo().join("src"));
    assert!(
        graph.len() > 10,
        "too few modules found under src/: {:?}",
        graph.keys()
    );
    let cycles = cycles(&graph);
    assert!(
        cycles.is_empty(),
        "modules under src/ import each other in a circle; move what both \
         need into a module below both:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn only_diag_decides_how_bad_a_problem_is() {
    // A diagnostic's severity comes from its code, changed only by the
    // book's policy (`src/diag/policy.rs`): no stage sets it itself.
    let mut found = Vec::new();
    rust_files(&repo().join("src"), &mut |file| {
        let shown = file.strip_prefix(repo()).unwrap_or(&file).to_path_buf();
        if shown.starts_with("src/diag") {
            return;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let tokens = tokens(&text);
        for (i, token) in tokens.iter().enumerate() {
            let next = tokens.get(i + 1).map(String::as_str);
            let after = tokens.get(i + 2).map(String::as_str);
            let sets = token == "severity"
                && (next == Some(":") || (next == Some("=") && after != Some("=")));
            if sets {
                found.push(shown.display().to_string());
            }
        }
    });
    assert!(
        found.is_empty(),
        "severity set outside src/diag (give the code its severity in \
         src/diag/code.rs, or decide it in src/diag/policy.rs): {found:?}"
    );
}

#[test]
fn the_checker_finds_imports_in_every_form_and_skips_text() {
    let code = r#"
        use crate::diag::{Diagnostic, Severity};
        use crate::{load::{BookPath, BookRoot}, manifest, xml};
        pub(crate) fn f() -> crate::render::Html { $crate::time::now() }
        // crate::commented::Out
        /* crate::block::Comment */
        const S: &str = "crate::quoted::Text";
        const R: &str = r"crate::raw::Text";
        fn g<'a>(x: &'a str) -> char { 'c' }
        use crate::SlugOfTitle;
    "#;
    let found: BTreeSet<String> = imports(code).into_iter().collect();
    let expected: BTreeSet<String> = [
        "diag",
        "load",
        "manifest",
        "xml",
        "render",
        "time",
        "SlugOfTitle",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn the_checker_reports_a_cycle_with_the_files_that_make_it() {
    let mut graph = Graph::new();
    let mut edge = |from: &str, to: &str, file: &str| {
        graph
            .entry(from.to_string())
            .or_default()
            .insert(to.to_string(), file.to_string());
    };
    edge("load", "render", "src/load/style.rs");
    edge("render", "load", "src/render/links.rs");
    edge("render", "diag", "src/render/error.rs");
    assert_eq!(
        cycles(&graph),
        vec!["load -> render (src/load/style.rs) -> load (src/render/links.rs)".to_string()]
    );
}

/// Reads every `.rs` file under `src` (the binary's `main.rs` and `cli/`
/// are not part of the library, so are left out).
fn import_graph(src: &Path) -> Graph {
    let mut graph = Graph::new();
    let mut modules = BTreeSet::new();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(src).expect("src/ can be listed") {
        let path = entry.expect("src/ can be listed").path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == "main.rs" || name == "cli" {
            continue;
        }
        let module = match name.strip_suffix(".rs") {
            Some(_) if name == ROOT => ROOT.to_string(),
            Some(stem) => stem.to_string(),
            None if path.is_dir() => name.clone(),
            None => continue,
        };
        modules.insert(module.clone());
        rust_files(&path, &mut |file| files.push((module.clone(), file)));
    }
    for (module, file) in files {
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let shown = file
            .strip_prefix(repo())
            .unwrap_or(&file)
            .display()
            .to_string();
        let edges = graph.entry(module.clone()).or_default();
        let mut names = imports(&text);
        if module == ROOT {
            names.extend(root_imports(&text, &modules));
        }
        for name in names {
            // A path to an item of the crate root (`crate::build`) is an
            // import of the root.
            let target = if modules.contains(&name) {
                name
            } else {
                ROOT.to_string()
            };
            if target != module {
                edges.entry(target).or_insert_with(|| shown.clone());
            }
        }
    }
    graph
}

/// Calls `f` with `path` if it is a Rust file, or with every Rust file
/// under it, in a fixed order.
fn rust_files(path: &Path, f: &mut dyn FnMut(std::path::PathBuf)) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .expect("a folder under src/ can be listed")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, f);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        f(path.to_path_buf());
    }
}

/// The first segment of every path that starts with `crate::`, in order.
fn imports(code: &str) -> Vec<String> {
    let tokens = tokens(code);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == "crate" && tokens.get(i + 1).is_some_and(|t| t == "::") {
            match tokens.get(i + 2).map(String::as_str) {
                Some("{") => group(&tokens, i + 3, &mut found),
                Some(name) if is_ident(name) => found.push(name.to_string()),
                _ => {}
            }
        }
        i += 1;
    }
    found
}

/// In the crate root, modules are named without `crate::`: every path
/// that starts with a module's name.
fn root_imports(code: &str, modules: &BTreeSet<String>) -> Vec<String> {
    let tokens = tokens(code);
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let starts_path = i == 0 || tokens[i - 1] != "::";
        if starts_path && modules.contains(token) && tokens.get(i + 1).is_some_and(|t| t == "::") {
            found.push(token.clone());
        }
    }
    found
}

/// The first segment of each item of a `{a::b, c::{d, e}, self}` group
/// whose items start at `at`.
fn group(tokens: &[String], at: usize, found: &mut Vec<String>) {
    let mut depth = 0;
    let mut item_start = true;
    for token in &tokens[at.min(tokens.len())..] {
        match token.as_str() {
            "{" => depth += 1,
            "}" if depth == 0 => return,
            "}" => depth -= 1,
            "," if depth == 0 => item_start = true,
            name if item_start && depth == 0 && is_ident(name) => {
                if name != "self" {
                    found.push(name.to_string());
                }
                item_start = false;
            }
            _ => {}
        }
    }
}

fn is_ident(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::` and single punctuation, with comments, strings and
/// character literals left out.
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if (c == 'r' || c == 'b')
            && raw_string_start(&chars, i).is_some()
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            let (hashes, body) = raw_string_start(&chars, i).unwrap_or((0, i));
            i = body;
            loop {
                if i >= chars.len() {
                    break;
                }
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'), or a lifetime.
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && next == Some(':') {
            tokens.push("::".to_string());
            i += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            i += 1;
        }
    }
    tokens
}

/// Where a raw string (`r"…"`, `r#"…"#`, `br"…"`) starting at `at` has
/// its text: the number of `#` and the index after the opening quote.
fn raw_string_start(chars: &[char], at: usize) -> Option<(usize, usize)> {
    let mut i = at;
    if chars.get(i) == Some(&'b') {
        i += 1;
    }
    if chars.get(i) != Some(&'r') {
        return None;
    }
    i += 1;
    let mut hashes = 0;
    while chars.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    (chars.get(i) == Some(&'"')).then_some((hashes, i + 1))
}

/// Every cycle, each as `a -> b (file) -> a (file)`, once each (found
/// from its alphabetically first module).
fn cycles(graph: &Graph) -> Vec<String> {
    let mut found = BTreeSet::new();
    for start in graph.keys() {
        let mut path = vec![start.clone()];
        walk(graph, start, &mut path, &mut found);
    }
    found.into_iter().collect()
}

fn walk(graph: &Graph, start: &str, path: &mut Vec<String>, found: &mut BTreeSet<String>) {
    let Some(last) = path.last().cloned() else {
        return;
    };
    for (next, file) in graph.get(&last).into_iter().flatten() {
        if next == start {
            let mut text = start.to_string();
            for pair in path.windows(2) {
                let via = &graph[&pair[0]][&pair[1]];
                text.push_str(&format!(" -> {} ({via})", pair[1]));
            }
            text.push_str(&format!(" -> {start} ({file})"));
            found.insert(text);
        } else if next.as_str() > start && !path.contains(next) {
            path.push(next.clone());
            walk(graph, start, path, found);
            path.pop();
        }
    }
}
