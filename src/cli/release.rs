//! Release helpers: `build --out-dir --name-template --checksums`,
//! `bindery completions` and `bindery man`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where `build` puts the EPUB, and whether it writes `SHA256SUMS`.
#[derive(Debug, Default, clap::Args)]
pub struct ReleaseArgs {
    /// The folder to write the EPUB into (default: DIR/build)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// The EPUB's file name: {slug}, {version}, {language}, {date} and
    /// {year} are replaced with the book's values
    #[arg(long, value_name = "TEMPLATE", value_parser = template)]
    pub name_template: Option<String>,
    /// Also write SHA256SUMS beside the EPUB (kept up to date for every
    /// EPUB built into the same folder)
    #[arg(long)]
    pub checksums: bool,
}

impl ReleaseArgs {
    /// Where the EPUB goes: `output` (`-o`), or the folder and name these
    /// arguments give.
    pub fn target(&self, output: Option<PathBuf>) -> super::Target {
        super::Target {
            output,
            out_dir: self.out_dir.clone(),
            name_template: self.name_template.clone(),
        }
    }
}

/// Checks `--name-template` when the arguments are parsed, so a typo is a
/// usage error.
pub fn template(value: &str) -> Result<String, String> {
    bindery::release::check_template(value).map(|()| value.to_string())
}

/// Adds the EPUB's checksum to `SHA256SUMS` beside it.
pub fn checksums(epub: &Path) -> Result<(), String> {
    let bytes =
        std::fs::read(epub).map_err(|e| format!("cannot read `{}`: {e}", super::visible(epub)))?;
    let name = epub
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = epub.parent().unwrap_or(Path::new("."));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    bindery::release::write_sha256sums(dir, &name, &bindery::release::sha256_hex(&bytes)).map_err(
        |e| {
            format!(
                "cannot write `{}`: {e}",
                super::visible(&dir.join("SHA256SUMS"))
            )
        },
    )
}

/// `bindery completions SHELL`.
pub fn completions(shell: clap_complete::Shell, command: &mut clap::Command) -> ExitCode {
    // Written whole from memory: clap_complete panics when a write fails.
    let mut script = Vec::new();
    clap_complete::generate(shell, command, "bindery", &mut script);
    match super::write_stdout(&script) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the completion script: {e}");
            ExitCode::from(1)
        }
    }
}

/// `bindery man [-o DIR]`.
pub fn man(command: clap::Command, out_dir: Option<&Path>) -> ExitCode {
    let result = match out_dir {
        Some(dir) => super::manual::write_all(command, dir).map_err(|e| {
            format!(
                "cannot write manual pages into `{}`: {e}",
                super::visible(dir)
            )
        }),
        None => super::manual::render(command, "bindery")
            .and_then(|page| super::write_stdout(&page))
            .map_err(|e| format!("cannot write the manual page: {e}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}
