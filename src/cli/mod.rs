//! The command line: clap arguments over the library.
//!
//! Exit codes: 0 success, 1 the book (or, building several, any book) has
//! errors, 2 bad usage (clap's own code for argument errors).
#![allow(
    clippy::disallowed_methods,
    reason = "the command line is where the environment and the arguments are read, into BuildOptions"
)]

// Everything the command line prints goes through these, in place of
// std's macros of the same names, which panic when the reader has gone
// (`bindery man | head -1`, `bindery explain B003 | true`): a closed pipe
// ends the output quietly, as it does for any Unix tool. They are defined
// before the modules of the commands, so that the macros those use are
// these.
macro_rules! print {
    ($($arg:tt)*) => { $crate::cli::write_quietly(&mut ::std::io::stdout(), format_args!($($arg)*)) };
}
macro_rules! println {
    ($($arg:tt)*) => { $crate::cli::write_quietly(&mut ::std::io::stdout(), format_args!("{}\n", format_args!($($arg)*))) };
}
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::cli::write_quietly(&mut ::std::io::stderr(), format_args!($($arg)*)) };
}
macro_rules! eprintln {
    ($($arg:tt)*) => { $crate::cli::write_quietly(&mut ::std::io::stderr(), format_args!("{}\n", format_args!($($arg)*))) };
}

mod build;
mod check;
mod explain;
mod manual;
mod new;
mod progress;
mod release;
mod site;
mod watch;

use bindery::BuildOptions;
use bindery::diag::{
    Report, render_github, render_human_in, render_human_styled, render_json, render_sarif,
};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
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
    /// Build a book into an EPUB, or several books at once
    Build {
        /// The book folders (holding book.toml); a quoted pattern such as
        /// 'books/*' stands for the book folders it matches
        #[arg(value_name = "DIR", default_value = ".")]
        dirs: Vec<PathBuf>,
        /// Where to write the EPUB, for one book (default:
        /// DIR/build/<title>.epub)
        #[arg(short, long, value_name = "FILE", conflicts_with_all = ["out_dir", "name_template"])]
        output: Option<PathBuf>,
        #[command(flatten)]
        release: release::ReleaseArgs,
        #[command(flatten)]
        checks: Checks,
    },
    /// Build a book, then build it again on every change
    Watch {
        /// The book folder (holding book.toml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Where to write the EPUB (default: DIR/build/<title>.epub)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        checks: Checks,
    },
    /// Check a book as a build would, without writing the EPUB; or check any EPUB file
    Check {
        /// The book folder (holding book.toml), or an EPUB file
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        checks: Checks,
    },
    /// Build books and write a static download page (and, for several books, a catalogue)
    Site(site::SiteArgs),
    /// Print a shell completion script
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one per command into a folder
    Man {
        /// Write bindery.1, bindery-build.1 … into this folder
        #[arg(short, long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
    /// Explain a diagnostic code, with an example of the problem and its
    /// fix; with no code, list them all
    Explain {
        /// The code, such as B003, or an EPUBCheck id, such as RSC-007, for
        /// the codes that report it
        code: Option<String>,
    },
}

/// What `build` and `check` share: which checks, and how to report.
#[derive(Debug, clap::Args)]
struct Checks {
    /// The store the book is for: warn about what it asks for
    #[arg(long, value_enum, default_value_t = ProfileArg::Generic)]
    profile: ProfileArg,
    /// How to print problems
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Treat warnings as errors (`--deny warnings`)
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Run the preprocessors an mdBook's book.toml names: programs, which
    /// only the person running bindery may allow, never the book
    #[arg(long, env = "BINDERY_PREPROCESSORS", value_parser = clap::builder::FalseyValueParser::new())]
    preprocessors: bool,
    /// Also run EPUBCheck (from BINDERY_EPUBCHECK, or `epubcheck` on PATH)
    #[arg(long)]
    epubcheck: bool,
    /// The folder the book's includes and paths may reach into (default:
    /// the git repository around the book, else the book folder): for a
    /// book from a source archive, without `.git`
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
}

/// `--message-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MessageFormat {
    /// For people: the line, a caret under the problem, and help
    Human,
    /// One JSON object per line
    Json,
    /// GitHub Actions annotations
    Github,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
}

/// `--deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    /// Every warning is an error
    Warnings,
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
    let matches = command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::New { dir, title } => new::run(&dir, title),
        Command::Build {
            dirs,
            output,
            release,
            checks,
        } => build::run_many(&dirs, output, &release, &checks),
        Command::Watch {
            dir,
            output,
            checks,
        } => watch::run(&dir, output, &checks),
        Command::Check { dir, checks } if check::is_epub(&dir) => check::run(&dir, &checks),
        Command::Check { dir, checks } => {
            // `bindery check book.toml` checks the book it describes.
            let dir = match dir.file_name() {
                Some(name) if name == "book.toml" && dir.is_file() => match dir.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                    _ => PathBuf::from("."),
                },
                _ => dir,
            };
            build::run(&dir, None, &Default::default(), &checks, true)
        }
        Command::Site(args) => site::run(&args),
        Command::Completions { shell } => release::completions(shell, &mut command()),
        Command::Man { out_dir } => release::man(command(), out_dir.as_deref()),
        Command::Explain { code } => explain::run(code.as_deref()),
    }
}

/// A path as the command line prints it: folders a pattern matched, and
/// the files in them, may be named by anyone, so a control character in a
/// name is shown escaped rather than obeyed by the terminal.
fn visible(path: &std::path::Path) -> String {
    bindery::diag::escape::escape(&path.display().to_string()).into_owned()
}

/// The command line as clap parses it, with the exit status, environment
/// and examples in each command's `--help`.
fn command() -> clap::Command {
    manual::command(Cli::command())
}

/// Writes to standard output or error, giving up quietly when it cannot:
/// the reader closed the pipe, and there is no one left to tell.
fn write_quietly(stream: &mut dyn std::io::Write, text: std::fmt::Arguments<'_>) {
    let _ = stream.write_fmt(text);
}

/// Writes bytes to standard output. A reader that closed the pipe early
/// has what it wanted: that is not an error.
fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result,
    }
}

/// Prints a report: for people on standard error, for tools on standard
/// output.
fn print_report(report: &Report, format: MessageFormat, dir: &std::path::Path) {
    match format {
        // Paths a user can paste: from where bindery runs, through the
        // book's folder as given. The files of an EPUB are named inside it.
        MessageFormat::Human if dir.is_dir() => eprint!(
            "{}",
            render_human_in(report, &dir.to_string_lossy().replace('\\', "/"), colour())
        ),
        MessageFormat::Human => eprint!("{}", render_human_styled(report, colour())),
        MessageFormat::Json => print!("{}", render_json(report)),
        MessageFormat::Github => print!(
            "{}",
            render_github(report, &dir.to_string_lossy().replace('\\', "/"))
        ),
        MessageFormat::Sarif => print!(
            "{}",
            render_sarif(
                report,
                &dir.to_string_lossy().replace('\\', "/"),
                env!("CARGO_PKG_VERSION")
            )
        ),
    }
}

/// Whether what goes to standard error is in colour: never when
/// `NO_COLOR` is set (to anything but the empty string), always when
/// `CLICOLOR_FORCE` is (to anything but `0`), else when standard error is
/// a terminal that is not `TERM=dumb`.
fn colour() -> bool {
    use std::io::IsTerminal;
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("NO_COLOR") {
        return false;
    }
    if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
        return true;
    }
    std::io::stderr().is_terminal() && std::env::var_os("TERM").is_none_or(|term| term != "dumb")
}

/// Where a build writes its EPUB, as the command line says.
#[derive(Debug, Clone, Default)]
struct Target {
    /// `-o`: the EPUB itself.
    output: Option<PathBuf>,
    /// `--out-dir`: the folder, the name made from the template.
    out_dir: Option<PathBuf>,
    /// `--name-template`.
    name_template: Option<String>,
}

impl Checks {
    /// The options of a build under these checks, writing to `target`:
    /// the one place where the arguments and `SOURCE_DATE_EPOCH` become
    /// [`BuildOptions`]. A `SOURCE_DATE_EPOCH` that is not a number is
    /// printed, and is a usage error.
    fn build_options(&self, target: Target, check_only: bool) -> Result<BuildOptions, ExitCode> {
        let source_date_epoch = source_date_epoch().map_err(|message| {
            eprintln!("error: {message}");
            ExitCode::from(2)
        })?;
        Ok(BuildOptions {
            output: target.output,
            source_date_epoch,
            profile: self.profile.into(),
            deny_warnings: self.deny == Some(Deny::Warnings),
            check_only,
            run_preprocessors: self.preprocessors,
            out_dir: target.out_dir,
            name_template: target.name_template,
            root: self.root.clone(),
        })
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
