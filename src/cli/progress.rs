//! Progress on long work, shown on a terminal only: a spinner with the
//! time so far while a book builds and while EPUBCheck runs (a check
//! starts a Java virtual machine and takes seconds). Nothing is drawn when
//! standard error is not a terminal, so logs and pipes get only the
//! messages.

use std::io::IsTerminal;
use std::time::Duration;

/// A spinner on standard error, or nothing.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    /// A spinner saying `message`, when standard error is a terminal that
    /// is not `TERM=dumb`; else nothing.
    pub fn start(message: String) -> Progress {
        let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
        if !std::io::stderr().is_terminal() || dumb {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message);
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    /// No spinner: for books built side by side, which print as they end.
    pub fn hidden() -> Progress {
        Progress(None)
    }

    /// Says what is being done now.
    pub fn set(&self, message: String) {
        if let Some(bar) = &self.0 {
            bar.set_message(message);
        }
    }

    /// Clears the spinner, before the results are printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
