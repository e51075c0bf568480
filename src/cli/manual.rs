//! What `--help` and the manual pages say beyond the options: exit status,
//! environment and examples, written once here and given to both, so the
//! two cannot drift apart.
//!
//! `--help` shows them after the options (`-h` stays short); `bindery man`
//! renders them as the manual's EXIT STATUS, ENVIRONMENT and EXAMPLES
//! sections.

use clap_mangen::roff::{Roff, bold, roman};

/// A section: its title, and its entries as a term and what it means.
struct Section {
    title: &'static str,
    entries: Vec<(&'static str, &'static str)>,
}

/// What each exit code means.
const EXIT_STATUS: &[(&str, &str)] = &[
    (
        "0",
        "Success: the book was built or checked; there may have been warnings.",
    ),
    (
        "1",
        "The book has errors (with --deny warnings, warnings count as errors), or building several books, any of them has; or a file could not be written.",
    ),
    (
        "2",
        "Bad usage: an unknown option or value, a name template that does not parse, a pattern that matches no book, or a SOURCE_DATE_EPOCH that is not a number.",
    ),
];

/// The environment variables bindery reads.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "SOURCE_DATE_EPOCH",
        "Seconds since 1970 to date the EPUB with, for reproducible builds; before the manifest's date.",
    ),
    (
        "NO_COLOR",
        "When set to anything but the empty string, messages are never in colour.",
    ),
    (
        "CLICOLOR_FORCE",
        "When set to anything but 0, messages are in colour even when standard error is not a terminal.",
    ),
    (
        "BINDERY_PREPROCESSORS",
        "When true, run the preprocessors an mdBook's book.toml names, as --preprocessors does.",
    ),
    (
        "BINDERY_EPUBCHECK",
        "The EPUBCheck command, or the path of epubcheck.jar, that --epubcheck runs.",
    ),
    (
        "BINDERY_EPUBCHECK_JAR",
        "The path of epubcheck.jar, when BINDERY_EPUBCHECK is not set.",
    ),
];

/// A few command lines for each command, and what each does.
fn examples(command: &str) -> &'static [(&'static str, &'static str)] {
    match command {
        "bindery" => &[
            (
                "bindery new my-book",
                "Create a book folder that builds as it is.",
            ),
            (
                "bindery build my-book",
                "Build it into my-book/build/my-book.epub.",
            ),
            (
                "bindery check my-book --profile kdp --deny warnings",
                "Check it for Amazon KDP without writing the EPUB; fail on any warning.",
            ),
            (
                "bindery explain RSC-007",
                "List the codes that report what EPUBCheck calls RSC-007.",
            ),
        ],
        "new" => &[(
            "bindery new my-book --title 'Borders and Belts'",
            "Create my-book/ with book.toml, a first chapter and assets/.",
        )],
        "build" => &[
            (
                "bindery build",
                "Build the book in this folder into build/.",
            ),
            (
                "bindery build path/to/book -o out/book.epub",
                "Build a book into a file of your choosing.",
            ),
            (
                "bindery build 'books/*' --out-dir dist --checksums",
                "Build every book under books/ in parallel, with SHA256SUMS.",
            ),
            (
                "bindery build --epubcheck",
                "Build, then run EPUBCheck on the EPUB.",
            ),
        ],
        "watch" => &[(
            "bindery watch path/to/book",
            "Build the book, then again after every change to its files.",
        )],
        "check" => &[
            (
                "bindery check --message-format github --deny warnings",
                "Check the book in CI, with GitHub annotations.",
            ),
            (
                "bindery check some-book.epub --epubcheck",
                "Check any EPUB file, with EPUBCheck too.",
            ),
        ],
        "site" => &[
            (
                "bindery site -o dist/site",
                "Build the book and write its download page into dist/site.",
            ),
            (
                "bindery site 'books/*' --title 'Our books'",
                "Build several books, with a catalogue and an OPDS feed.",
            ),
        ],
        "completions" => &[(
            "bindery completions bash > ~/.local/share/bash-completion/completions/bindery",
            "Install completions for bash.",
        )],
        "man" => &[(
            "bindery man -o man/",
            "Write bindery.1, bindery-build.1 and a page for each command.",
        )],
        "explain" => &[
            ("bindery explain", "List every code with a line on each."),
            (
                "bindery explain B201",
                "Explain a code, with an example and its fix.",
            ),
            (
                "bindery explain RSC-012",
                "List the codes that report what EPUBCheck calls RSC-012.",
            ),
        ],
        _ => &[],
    }
}

/// The sections of `command`'s help and manual page.
fn sections(command: &str) -> Vec<Section> {
    let mut sections = vec![
        Section {
            title: "EXIT STATUS",
            entries: EXIT_STATUS.to_vec(),
        },
        Section {
            title: "ENVIRONMENT",
            entries: ENVIRONMENT.to_vec(),
        },
    ];
    let examples = examples(command);
    if !examples.is_empty() {
        sections.push(Section {
            title: "EXAMPLES",
            entries: examples.to_vec(),
        });
    }
    sections
}

/// The sections as `--help` prints them, after the options.
fn help_text(command: &str) -> String {
    let mut text = String::new();
    for section in sections(command) {
        let title = section.title[..1].to_string() + &section.title[1..].to_lowercase();
        text.push_str(&format!("{title}:\n"));
        for (term, meaning) in &section.entries {
            text.push_str(&format!("  {term}\n          {meaning}\n"));
        }
        text.push('\n');
    }
    text.trim_end().to_string()
}

/// The command line's clap command, with these sections in each command's
/// long help.
pub fn command(command: clap::Command) -> clap::Command {
    let mut command = command.after_long_help(help_text("bindery"));
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let text = help_text(&name);
        command = command.mut_subcommand(&name, |sub| sub.after_long_help(text));
    }
    command
}

/// The manual page of `command` (named `name`, such as `build`): clap's
/// sections, then these, then the version.
pub fn render(command: clap::Command, name: &str) -> std::io::Result<Vec<u8>> {
    // clap_mangen would print the long help's text as a section called
    // EXTRA; the sections are rendered as roff here instead.
    let command = command.after_long_help(None::<&str>);
    let has_options = command.get_arguments().any(|a| !a.is_hide_set());
    let has_version = command.get_version().is_some();
    let man = clap_mangen::Man::new(command);
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if has_options {
        man.render_options_section(&mut out)?;
    }
    if name == "bindery" {
        man.render_subcommands_section(&mut out)?;
    }
    let mut roff = Roff::new();
    for section in sections(name) {
        roff.control("SH", [section.title]);
        for (term, meaning) in section.entries {
            roff.control("TP", []);
            roff.text([bold(term)]);
            roff.text([roman(meaning)]);
        }
    }
    out.extend_from_slice(roff.render().as_bytes());
    if has_version {
        man.render_version_section(&mut out)?;
    }
    Ok(out)
}

/// Writes the manual page of bindery and of each command into `dir`, as
/// `bindery.1`, `bindery-build.1` and so on.
pub fn write_all(command: clap::Command, dir: &std::path::Path) -> std::io::Result<()> {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    std::fs::create_dir_all(dir)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name().to_string();
        let page = render(sub.clone(), &name)?;
        std::fs::write(dir.join(format!("bindery-{name}.1")), page)?;
    }
    let page = render(command.clone(), "bindery")?;
    std::fs::write(dir.join("bindery.1"), page)
}
