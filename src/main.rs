//! The `bindery` command: parse the arguments, run, exit.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
