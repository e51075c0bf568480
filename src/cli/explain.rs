//! `bindery explain [CODE]`.

use bindery::diag::{Code, codes_for_epubcheck, did_you_mean, explain, is_epubcheck_id};
use std::process::ExitCode;

/// Prints the explanation of a code on standard output; with no code, a
/// line for each; with an EPUBCheck id, the codes that report it. An
/// unknown code is a usage error.
pub fn run(code: Option<&str>) -> ExitCode {
    let Some(code) = code else {
        list();
        return ExitCode::SUCCESS;
    };
    if let Some(explanation) = explain(code) {
        println!(
            "{}: {}\n\n{}",
            explanation.code, explanation.summary, explanation.text
        );
        return ExitCode::SUCCESS;
    }
    if is_epubcheck_id(code) {
        return epubcheck(code);
    }
    let wanted = code.trim().to_ascii_uppercase();
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    eprintln!("error: there is no diagnostic code `{code}`");
    match did_you_mean(&wanted, codes.iter().copied()) {
        Some(close) => eprintln!("  = help: did you mean `{close}`?"),
        None => eprintln!(
            "  = help: codes are `B` and three digits, such as `B003`, or EPUBCheck's, such as `RSC-007`; `bindery explain` lists them all"
        ),
    }
    ExitCode::from(2)
}

/// One line per code: the code, how bad it usually is, what it is about.
fn list() {
    for code in Code::ALL {
        println!(
            "{}  {:<7}  {}",
            code,
            code.severity().to_string(),
            code.summary()
        );
    }
    println!(
        "\n`bindery explain CODE` explains one, with an example and its fix; it also takes EPUBCheck's ids, such as RSC-007"
    );
}

/// The codes that report what EPUBCheck reports as `id`.
fn epubcheck(id: &str) -> ExitCode {
    let id = id.trim().to_ascii_uppercase();
    let codes = codes_for_epubcheck(&id);
    if codes.is_empty() {
        println!(
            "no bindery code of its own reports EPUBCheck's {id}; with --epubcheck, EPUBCheck's message is shown as {}",
            Code::EpubcheckMessage
        );
    } else {
        println!("EPUBCheck's {id} is reported by bindery as:\n");
        for code in &codes {
            println!(
                "  {}  {:<7}  {}",
                code,
                code.severity().to_string(),
                code.summary()
            );
        }
        println!("\n`bindery explain {}` explains one", codes[0]);
    }
    ExitCode::SUCCESS
}
