//! `bindery explain`.

use bindery::diag::{Code, did_you_mean, explain};
use std::process::ExitCode;

/// Prints the explanation of a code on standard output; an unknown code
/// is a usage error.
pub fn run(code: &str) -> ExitCode {
    if let Some(explanation) = explain(code) {
        println!(
            "{}: {}\n\n{}",
            explanation.code, explanation.summary, explanation.text
        );
        return ExitCode::SUCCESS;
    }
    let wanted = code.trim().to_ascii_uppercase();
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    eprintln!("error: there is no diagnostic code `{code}`");
    match did_you_mean(&wanted, codes.iter().copied()) {
        Some(close) => eprintln!("  = help: did you mean `{close}`?"),
        None => eprintln!(
            "  = help: codes are `B` and three digits, such as `B003`; chapter 5 of the guide lists them all"
        ),
    }
    ExitCode::from(2)
}
