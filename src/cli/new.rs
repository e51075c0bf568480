//! `bindery new`.

use bindery::diag::{Report, ToDiagnostic, render_human};
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path, title: Option<String>) -> ExitCode {
    let title = title.unwrap_or_else(|| bindery::new::title_from_dir(dir));
    match bindery::new::create(dir, &title) {
        Ok(()) => {
            eprintln!("created book `{title}` in {}", super::visible(dir));
            eprintln!(
                "next: cd {} && bindery build",
                shell_word(&super::visible(dir))
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            let report = Report {
                diagnostics: vec![e.to_diagnostic()],
                ..Report::default()
            };
            eprint!("{}", render_human(&report));
            ExitCode::from(1)
        }
    }
}

/// `word` as one word of a command line the user can paste: as it is when
/// no shell gives any of its characters a meaning, else quoted. POSIX
/// shells take everything between single quotes literally (a `'` itself is
/// closed, escaped and reopened); `!`, `$`, `&` and spaces are common in
/// titles made folder names. Windows' shells take double quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./+,:@%=".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else if cfg!(windows) {
        format!("\"{word}\"")
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    #[test]
    #[cfg(unix)]
    fn a_folder_name_the_shell_would_split_or_expand_is_quoted() {
        assert_eq!(shell_word("my-book"), "my-book");
        assert_eq!(shell_word("books/ünïcode_1.0"), "books/ünïcode_1.0");
        assert_eq!(shell_word("My Great Book!"), "'My Great Book!'");
        assert_eq!(shell_word("Tom's $5 & more"), r"'Tom'\''s $5 & more'");
        assert_eq!(shell_word("a*b"), "'a*b'");
    }
}
