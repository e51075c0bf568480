//! `bindery site`: build books and write their download pages.

use super::release::template;
use super::{Checks, check, print_report};
use bindery::BuildOptions;
use bindery::site::{self, CatalogueEntry, Placement};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `bindery site`'s arguments.
#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The book folders (default: the current one); with several, a
    /// catalogue links a page per book
    #[arg(default_value = ".")]
    dirs: Vec<PathBuf>,
    /// The folder to write the site into (default: DIR/build/site, or
    /// build/site for several books)
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// The catalogue's title, for several books (default: "Books" in the
    /// language most of them are in)
    #[arg(long)]
    title: Option<String>,
    /// The EPUB's file name, as for `bindery build`
    #[arg(long, value_name = "TEMPLATE", value_parser = template)]
    name_template: Option<String>,
    #[command(flatten)]
    checks: Checks,
}

/// A built book, waiting for the catalogue.
struct Done {
    about: site::About,
    page: site::BookPage,
    folder: String,
    source: String,
}

/// Runs `bindery site`.
pub fn run(args: &SiteArgs) -> ExitCode {
    let target = super::Target {
        name_template: args.name_template.clone(),
        ..Default::default()
    };
    let options = match args.checks.build_options(target, false) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let base = args.dirs.first().map_or(Path::new("."), PathBuf::as_path);
    let epubcheck = match check::wanted(&args.checks, base) {
        Ok(epubcheck) => epubcheck,
        Err(code) => return code,
    };
    let several = args.dirs.len() > 1;
    let out = match (&args.output, args.dirs.first()) {
        (Some(out), _) => out.clone(),
        (None, Some(dir)) if !several => dir.join("build").join("site"),
        _ => PathBuf::from("build").join("site"),
    };
    // The default folder is inside the book (or the folder of the books):
    // no link there is followed. A folder given with `-o` is the user's.
    let confined_to = match (&args.output, args.dirs.first()) {
        (Some(_), _) => None,
        (None, Some(dir)) if !several => Some(dir.clone()),
        _ => Some(PathBuf::from(".")),
    };
    if let Some(base) = &confined_to
        && let Err(e) = bindery::write::refuse_links(base, &out)
    {
        print_written_error(&e, args.checks.message_format, base);
        return ExitCode::from(1);
    }
    let mut used = BTreeSet::new();
    let mut done = Vec::new();
    let mut failed = 0;
    for dir in &args.dirs {
        let folder = if several {
            unique(&mut used, folder_name(dir))
        } else {
            String::new()
        };
        let target = if folder.is_empty() {
            out.clone()
        } else {
            out.join(&folder)
        };
        if let Some(base) = &confined_to
            && let Err(e) = bindery::write::refuse_links(base, &target)
        {
            print_written_error(&e, args.checks.message_format, dir);
            failed += 1;
            continue;
        }
        let options = BuildOptions {
            out_dir: Some(target.clone()),
            ..options.clone()
        };
        let mut built = match bindery::build(dir, &options) {
            Ok(built) => built,
            Err(report) => {
                print_report(&report, args.checks.message_format, dir);
                eprintln!("error: could not build `{}`", super::visible(dir));
                failed += 1;
                continue;
            }
        };
        // As `bindery build --epubcheck`: the EPUB is written, but a book
        // EPUBCheck finds errors in gets no page.
        if let Some(epubcheck) = &epubcheck {
            let verdict =
                check::add_epubcheck(epubcheck, &built.output, &built.files, &mut built.report);
            check::deny(&mut built.report, &args.checks);
            print_report(&built.report, args.checks.message_format, dir);
            // With errors, the line below says what EPUBCheck found.
            if let Some(verdict) = verdict.filter(|_| !built.report.has_errors()) {
                eprintln!("{verdict}");
            }
        } else {
            print_report(&built.report, args.checks.message_format, dir);
        }
        if built.report.has_errors() {
            let errors = built
                .report
                .diagnostics
                .iter()
                .filter(|d| d.severity == bindery::diag::Severity::Error)
                .count();
            eprintln!(
                "error: wrote {}, but EPUBCheck finds {}: no page for `{}`",
                super::visible(&built.output),
                check::count(errors, "error"),
                super::visible(dir)
            );
            failed += 1;
            continue;
        }
        let epub = match std::fs::read(&built.output) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!(
                    "error: cannot read `{}`: {e}",
                    super::visible(&built.output)
                );
                failed += 1;
                continue;
            }
        };
        let name = built
            .output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let placement = if several {
            Placement::InCatalogue
        } else {
            Placement::Alone
        };
        let page = site::book_files(&built.about, &name, &epub, placement);
        let replaces_input = page.files.iter().try_for_each(|file| {
            bindery::write::refuse_inputs(&target.join(&file.path), &built.inputs)
        });
        if let Err(e) = replaces_input
            .and_then(|()| site::write_files(&target, &page.files, confined_to.as_deref()))
        {
            print_written_error(&e, args.checks.message_format, dir);
            failed += 1;
            continue;
        }
        eprintln!(
            "wrote {} ({}, {})",
            super::visible(&target.join("index.html")),
            name,
            site::human_size(epub.len() as u64)
        );
        done.push(Done {
            about: built.about,
            page,
            folder,
            source: super::visible(dir),
        });
    }
    if failed > 0 {
        eprintln!(
            "error: {failed} of {} book{} could not be published",
            args.dirs.len(),
            if args.dirs.len() == 1 { "" } else { "s" }
        );
        return ExitCode::from(1);
    }
    if several {
        let entries: Vec<CatalogueEntry<'_>> = done
            .iter()
            .map(|d| CatalogueEntry {
                about: &d.about,
                page: &d.page,
                folder: d.folder.clone(),
                source: d.source.clone(),
            })
            .collect();
        let files = match site::catalogue_files(args.title.as_deref(), &entries) {
            Ok(files) => files,
            Err(diagnostics) => {
                let report = bindery::diag::Report {
                    diagnostics,
                    ..Default::default()
                };
                print_report(&report, args.checks.message_format, base);
                eprintln!(
                    "error: could not write the catalogue ({})",
                    check::count(report.diagnostics.len(), "error")
                );
                return ExitCode::from(1);
            }
        };
        if let Err(e) = site::write_files(&out, &files, confined_to.as_deref()) {
            print_written_error(&e, args.checks.message_format, base);
            return ExitCode::from(1);
        }
        eprintln!(
            "wrote {} and catalog.xml ({} books)",
            super::visible(&out.join("index.html")),
            done.len()
        );
    }
    ExitCode::SUCCESS
}

/// The book's folder in the catalogue: its title's slug, else the folder's.
fn folder_name(dir: &Path) -> String {
    let from_manifest = bindery::load::read_manifest(dir)
        .ok()
        .and_then(|(_, text)| {
            bindery::manifest::parse(&text, &mut Vec::new())
                .ok()
                .map(|m| bindery::slug_of_title(&m.book.title))
        });
    from_manifest.unwrap_or_else(|| {
        let name = std::fs::canonicalize(dir)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default();
        bindery::slug_of_title(&name)
    })
}

/// `name`, or `name-2`, `name-3` … when taken.
fn unique(used: &mut BTreeSet<String>, name: String) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// Prints why a file of the site was not written, as a diagnostic.
fn print_written_error(
    error: &bindery::write::WriteError,
    format: super::MessageFormat,
    dir: &Path,
) {
    let report = bindery::diag::Report {
        diagnostics: vec![bindery::diag::ToDiagnostic::to_diagnostic(error)],
        ..Default::default()
    };
    print_report(&report, format, dir);
}
