//! mdBook's includes: any text as a chapter and as the files it includes.
//! The input is split at NUL bytes into the chapter and up to four files;
//! a directive whose path is a number names the file of that number (any
//! other path names one by its length), so that the fuzzer writes chains,
//! cycles and files included many times. Expanding must not panic, must
//! stop within its budget, and must keep its map from the expanded text
//! back to the files whole.

#![no_main]

use bindery::diag::ToDiagnostic;
use bindery::mdbook::{Included, MAX_EXPANDED, expand};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let mut parts = input.split('\0');
    let chapter = parts.next().unwrap_or_default();
    let files: Vec<&str> = parts.take(4).collect();
    let mut read = |target: &str, _from: &str| -> Result<Included, String> {
        if files.is_empty() {
            return Err("no such file".into());
        }
        let index = target.parse::<usize>().unwrap_or(target.len()) % files.len();
        Ok(Included {
            file: format!("src/{index}.md"),
            text: files[index].to_string(),
        })
    };
    match expand(chapter, "src/chapter.md", &mut read) {
        Ok(expanded) => {
            assert!(expanded.text.len() <= MAX_EXPANDED, "{} bytes", expanded.text.len());
            let mut end = 0;
            for segment in &expanded.segments {
                assert_eq!(segment.expanded.start, end, "{:?}", expanded.segments);
                assert!(expanded.text.is_char_boundary(segment.expanded.end));
                end = segment.expanded.end;
            }
            assert_eq!(end, expanded.text.len());
            for offset in (0..=expanded.text.len()).step_by(7) {
                let _ = expanded.locate(offset);
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for error in errors {
                let _ = error.to_diagnostic();
            }
        }
    }
});
