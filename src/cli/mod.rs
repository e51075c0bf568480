//! The command line: clap arguments over the library.
//!
//! Exit codes: 0 success, 1 the book has errors, 2 bad usage (clap's own
//! code for argument errors).

mod build;
mod new;

use bindery::diag::{Report, render_human};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Compile Markdown books into valid, reproducible EPUB 3.
#[derive(Debug, Parser)]
#[command(name = "bindery", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new book folder
    New {
        /// The folder to create
        dir: PathBuf,
        /// The book's title (default: made from the folder name)
        #[arg(long)]
        title: Option<String>,
    },
    /// Build a book into an EPUB
    Build {
        /// The book folder (holding book.toml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Where to write the EPUB (default: DIR/build/<title>.epub)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The store the book is for: warn about what it asks for
        #[arg(long, value_enum, default_value_t = ProfileArg::Generic)]
        profile: ProfileArg,
    },
}

/// `--profile`: a store's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ProfileArg {
    /// Any reading system
    Generic,
    /// Amazon Kindle Direct Publishing
    Kdp,
    /// Apple Books
    Apple,
    /// Kobo Writing Life
    Kobo,
}

impl From<ProfileArg> for bindery::profile::Profile {
    fn from(arg: ProfileArg) -> Self {
        use bindery::profile::Profile;
        match arg {
            ProfileArg::Generic => Profile::Generic,
            ProfileArg::Kdp => Profile::Kdp,
            ProfileArg::Apple => Profile::Apple,
            ProfileArg::Kobo => Profile::Kobo,
        }
    }
}

/// Runs the command line and says how it went.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::New { dir, title } => new::run(&dir, title),
        Command::Build {
            dir,
            output,
            profile,
        } => build::run(&dir, output, profile.into()),
    }
}

/// Prints a report to standard error.
fn print_report(report: &Report) {
    let text = render_human(report);
    if !text.is_empty() {
        eprint!("{text}");
    }
}

/// Reads `SOURCE_DATE_EPOCH`, the one environment variable a build obeys.
fn source_date_epoch() -> Result<Option<i64>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => value.trim().parse().map(Some).map_err(|_| {
            format!("SOURCE_DATE_EPOCH must be a whole number of seconds, found `{value}`")
        }),
        Err(_) => Ok(None),
    }
}
