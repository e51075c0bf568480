//! Any bytes as an EPUB: the inspector must not panic, and what it finds
//! must turn into a report.

#![no_main]

use bindery::inspect::{self, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let inspection = inspect::inspect_bytes(bytes, &Limits::default());
    let _ = inspection.to_report();
});
