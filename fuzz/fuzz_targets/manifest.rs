//! Any bytes as book.toml: the manifest parser must not panic, and every
//! error it reports must turn into a diagnostic.

#![no_main]

use bindery::diag::ToDiagnostic;
use bindery::manifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // `load` rejects a book.toml that is not UTF-8 before parsing it.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut warnings = Vec::new();
    if let Err(errors) = manifest::parse(text, &mut warnings) {
        for error in errors {
            let _ = error.to_diagnostic();
        }
    }
});
