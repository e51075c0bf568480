//! bindery compiles a folder of Markdown chapters into one EPUB 3 file
//! that passes EPUBCheck and is byte-for-byte the same every time it is
//! built from the same input.
//!
//! The pipeline runs in one direction, each stage a module with its own
//! error type:
//!
//! ```text
//! manifest  book.toml -> Manifest
//! load      Manifest + folder -> Book (chapters, cover, images)
//! render    Markdown -> XHTML per chapter
//! outline   headings -> table of contents, landmarks
//! package   OPF, nav, NCX, container, cover and title pages
//! write     deterministic zip, renamed into place
//! site      the static download page, catalogue and OPDS feed
//! check     (with `check_only`) what is valid but probably not meant
//! ```
//!
//! Beside the pipeline, [`inspect`] checks any EPUB file, bindery's or not,
//! and runs EPUBCheck when it is installed.
//!
//! [`build`] runs them all:
//!
//! ```no_run
//! let options = bindery::BuildOptions::default();
//! match bindery::build(std::path::Path::new("my-book"), &options) {
//!     Ok(built) => println!("wrote {}", built.output.display()),
//!     Err(report) => eprint!("{}", bindery::diag::render_human(&report)),
//! }
//! ```

#![warn(missing_docs)]

pub mod check;
pub mod cover;
pub mod diag;
pub mod epub_paths;
pub mod inspect;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod mdbook;
pub mod new;
pub mod outline;
pub mod package;
pub mod paths;
pub mod profile;
pub mod release;
pub mod render;
pub mod site;
pub mod time;
pub mod url;
pub mod write;
mod xml;

#[cfg(test)]
mod test_text;

use diag::{Code, Diagnostic, Report, ToDiagnostic};
use std::path::{Path, PathBuf};
use time::Timestamp;

pub use release::slug_of_title;

/// What a build may be told from outside the book.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Where to write the EPUB; default `build/<slug-of-title>.epub` in the book folder.
    pub output: Option<PathBuf>,
    /// `SOURCE_DATE_EPOCH`: the instant to stamp the book with, which wins
    /// over the manifest's date.
    pub source_date_epoch: Option<i64>,
    /// The store the book is for.
    pub profile: profile::Profile,
    /// Treat warnings as errors: a book with warnings is not written.
    pub deny_warnings: bool,
    /// Check the book without writing the EPUB, and run the checks that
    /// only `bindery check` runs (see [`check`]).
    pub check_only: bool,
    /// Run the preprocessors an mdBook project configures (programs the
    /// book names: never run unless asked).
    pub run_preprocessors: bool,
    /// The folder to write into when `output` is not given (default
    /// `build` in the book folder).
    pub out_dir: Option<PathBuf>,
    /// The file name, as a [`release::file_name`] template (default
    /// `{slug}.epub`), when `output` is not given.
    pub name_template: Option<String>,
}

/// A finished build.
#[derive(Debug, Clone)]
pub struct Built {
    /// The EPUB written (or that would be written, with `check_only`).
    pub output: PathBuf,
    /// How many chapters it has.
    pub chapters: usize,
    /// Its size in bytes (0 with `check_only`).
    pub size: u64,
    /// Warnings, with the sources they point into.
    pub report: Report,
    /// The book file each entry of the EPUB was made from, where there is
    /// one: chapters' XHTML → their Markdown, images → themselves, the
    /// package document → `book.toml`. Lets messages about the EPUB (from
    /// EPUBCheck) point at what the author wrote.
    pub files: std::collections::BTreeMap<String, String>,
    /// What the download page shows: the manifest, identifier, cover and
    /// accessibility of the book.
    pub about: site::About,
}

/// Builds the book in `dir` into an EPUB.
///
/// On failure the report holds every error found (and any warnings), and
/// nothing was written over an existing EPUB.
pub fn build(dir: &Path, options: &BuildOptions) -> Result<Built, Report> {
    build_inner(dir, options, None)
}

/// What one build keeps for the next, so that a rebuild after a change
/// renders and deflates only what changed: for `bindery watch`. The EPUB
/// is the same, byte for byte, as a build from nothing.
#[derive(Default)]
pub struct BuildCache {
    render: render::RenderCache,
    deflate: write::DeflateCache,
}

impl BuildCache {
    /// How many chapters the last build rendered rather than reused.
    pub fn rendered(&self) -> usize {
        self.render.rendered
    }

    /// Those chapters, as the user names them (`chapters/02-roads.md`), in
    /// reading order.
    pub fn rendered_chapters(&self) -> &[String] {
        &self.render.rendered_chapters
    }
}

/// [`build`], reusing what `cache` holds from earlier builds of the same
/// book and leaving this build's work there.
pub fn build_with_cache(
    dir: &Path,
    options: &BuildOptions,
    cache: &mut BuildCache,
) -> Result<Built, Report> {
    build_inner(dir, options, Some(cache))
}

fn build_inner(
    dir: &Path,
    options: &BuildOptions,
    cache: Option<&mut BuildCache>,
) -> Result<Built, Report> {
    let mut traces = load::Traces::default();
    match build_traced(dir, options, &mut traces, cache) {
        Ok(mut built) => {
            traces.apply(&mut built.report);
            Ok(built)
        }
        Err(mut report) => {
            traces.apply(&mut report);
            Err(report)
        }
    }
}

/// Where the EPUB of the book in `dir` goes without `-o`: the name
/// template (`--name-template`, else [`release::DEFAULT_TEMPLATE`])
/// filled from `[book]`, in `--out-dir`, else in `dir/build`.
pub fn default_output(
    dir: &Path,
    options: &BuildOptions,
    book: &manifest::BookMeta,
) -> Result<PathBuf, String> {
    let template = options
        .name_template
        .as_deref()
        .unwrap_or(release::DEFAULT_TEMPLATE);
    let name = release::file_name(template, book)?;
    let folder = options.out_dir.clone().unwrap_or_else(|| dir.join("build"));
    Ok(folder.join(name))
}

/// [`build`], leaving in `traces` how to point messages about
/// preprocessed chapters back at the files the author wrote.
fn build_traced(
    dir: &Path,
    options: &BuildOptions,
    traces: &mut load::Traces,
    mut cache: Option<&mut BuildCache>,
) -> Result<Built, Report> {
    let mut report = Report::default();
    let fail = |mut report: Report, diagnostics: Vec<Diagnostic>| {
        report.diagnostics.extend(diagnostics);
        report.sort();
        report
    };

    let (root, manifest_text) = load::read_manifest(dir).map_err(|e| {
        let mut report = Report::default();
        if let Some((file, text)) = e.lossy_source() {
            report.sources.insert(file, text.clone());
        }
        fail(report, vec![e.to_diagnostic()])
    })?;
    report
        .sources
        .insert(manifest::FILE_NAME, manifest_text.clone());

    let mut warnings = Vec::new();
    let manifest =
        load::parse_manifest(&root, &manifest_text, &mut warnings).map_err(|errors| {
            warnings.extend(errors.iter().map(ToDiagnostic::to_diagnostic));
            fail(report.clone(), std::mem::take(&mut warnings))
        })?;

    let mut book = load::load_book(root, manifest).map_err(|errors| {
        let mut report = report.clone();
        for e in &errors {
            if let Some((file, text)) = e.lossy_source() {
                report.sources.insert(file, text.clone());
            }
        }
        warnings.extend(errors.iter().map(ToDiagnostic::to_diagnostic));
        fail(report, std::mem::take(&mut warnings))
    })?;
    if let Err(errors) = load::run_preprocessors(
        &mut book,
        &manifest_text,
        options.run_preprocessors,
        &mut warnings,
    ) {
        report.sources = load::sources_of(&book, &manifest_text);
        return Err(fail(
            report,
            [std::mem::take(&mut warnings), errors].concat(),
        ));
    }
    report.sources = load::sources_of(&book, &manifest_text);
    *traces = load::Traces::of(&book);
    warnings.extend(book.notes.iter().cloned());
    warnings.extend(load::check_cover(&book));

    let render_failed = |errors: Vec<render::RenderError>, warnings: &mut Vec<Diagnostic>| {
        warnings.extend(errors.iter().map(ToDiagnostic::to_diagnostic));
        fail(report.clone(), std::mem::take(warnings))
    };
    let mut chapters = render::render_book_cached(
        &book,
        &Default::default(),
        &mut warnings,
        cache.as_deref_mut().map(|c| &mut c.render),
    )
    .map_err(|e| render_failed(e, &mut warnings))?;
    let mut refs: Vec<load::AssetRef> = chapters
        .iter()
        .flat_map(|c| c.assets.iter().cloned())
        .collect();
    let policy = diag::Policy {
        deny_warnings: options.deny_warnings,
        ..book.manifest.policy()
    };
    let assets = match load::load_assets(&book.root, &refs) {
        Ok(assets) => assets,
        Err(errors) => {
            // With `broken-links = "warn"`, missing images become warnings and
            // the chapters are written again without them.
            let missing: std::collections::BTreeSet<load::BookPath> = errors
                .iter()
                .filter_map(|e| match e {
                    load::LoadError::Missing { origin, .. } if !policy.is_fatal(e) => refs
                        .iter()
                        .find(|r| &r.origin == origin)
                        .map(|r| r.path.clone()),
                    _ => None,
                })
                .collect();
            if errors.iter().any(|e| policy.is_fatal(e)) || missing.is_empty() {
                warnings.extend(errors.iter().map(ToDiagnostic::to_diagnostic));
                return Err(fail(report.clone(), std::mem::take(&mut warnings)));
            }
            warnings.extend(errors.iter().map(|e| policy.judge(e)));
            let mut again = Vec::new();
            chapters = render::render_book_cached(
                &book,
                &missing,
                &mut again,
                cache.as_deref_mut().map(|c| &mut c.render),
            )
            .map_err(|e| render_failed(e, &mut warnings))?;
            refs = chapters
                .iter()
                .flat_map(|c| c.assets.iter().cloned())
                .collect();
            load::load_assets(&book.root, &refs).map_err(|errors| {
                warnings.extend(errors.iter().map(ToDiagnostic::to_diagnostic));
                fail(report.clone(), std::mem::take(&mut warnings))
            })?
        }
    };

    let toc = outline::build_toc(&chapters, book.manifest.toc.depth);
    let landmarks = outline::landmarks(&chapters, book.cover.is_some(), &book.manifest.toc.title);
    let modified = timestamp(&book, options);
    let accessibility = package::a11y::assess(
        &chapters,
        !book.style.css.is_empty(),
        &book.manifest.accessibility,
        &mut warnings,
    );
    // The chapters' XHTML moves into the entries: a large book is never
    // held twice.
    let xhtml: Vec<std::sync::Arc<str>> = chapters
        .iter_mut()
        .map(|c| std::mem::replace(&mut c.xhtml, "".into()))
        .collect();
    let entries = package::package(
        &package::Parts {
            book: &book,
            chapters: &chapters,
            assets: &assets,
            toc: &toc,
            landmarks: &landmarks,
            modified,
            accessibility: &accessibility,
        },
        xhtml,
    );

    let output = match &options.output {
        Some(output) => output.clone(),
        None => default_output(dir, options, &book.manifest.book).map_err(|message| {
            warnings.push(
                Diagnostic::new(Code::TemplateKeyMissing, message)
                    .in_file(manifest::FILE_NAME)
                    .with_help("add the key to [book], or change --name-template"),
            );
            fail(report.clone(), std::mem::take(&mut warnings))
        })?,
    };
    let fonts: Vec<&load::Asset> = book
        .style
        .assets
        .iter()
        .filter(|a| a.media_type.is_font())
        .collect();
    // The zip is never larger than its entries: a bound known before writing.
    let bound: u64 = entries.iter().map(|e| e.size() + 128).sum();
    warnings.extend(profile::check(options.profile, &book, &fonts, bound));
    if options.check_only {
        let asset_files = load::list_files(&book.root, check::ASSETS);
        let chapter_files = check::chapter_folder(&book.manifest)
            .map(|folder| load::list_files(&book.root, &folder))
            .unwrap_or_default();
        warnings.extend(check::check_book(&check::Input {
            book: &book,
            manifest_text: &manifest_text,
            refs: &refs,
            asset_files: &asset_files,
            chapter_files: &chapter_files,
            profile: options.profile,
        }));
    }
    if policy.deny(&mut warnings) {
        return Err(fail(report.clone(), std::mem::take(&mut warnings)));
    }
    let size = if options.check_only {
        0
    } else {
        write::write_epub_cached(entries, modified, &output, cache.map(|c| &mut c.deflate))
            .map_err(|e| {
                warnings.push(e.to_diagnostic());
                fail(report.clone(), std::mem::take(&mut warnings))
            })?
    };
    report.diagnostics = warnings;
    report.sort();
    Ok(Built {
        output,
        chapters: book.chapters.len(),
        size,
        report,
        files: files_of(&book, &assets),
        about: site::About {
            identifier: package::identifier(&book),
            modified,
            accessibility,
            cover: book.cover,
            manifest: book.manifest,
        },
    })
}

/// Which book file each entry of the EPUB comes from.
fn files_of(
    book: &load::Book,
    assets: &[load::Asset],
) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
    files.insert(
        epub_paths::PACKAGE.to_string(),
        manifest::FILE_NAME.to_string(),
    );
    let count = book.chapters.len();
    for (index, chapter) in book.chapters.iter().enumerate() {
        files.insert(
            format!(
                "EPUB/text/{}",
                epub_paths::chapter_file(index, count, &chapter.path)
            ),
            chapter.display.clone(),
        );
    }
    let images = book.cover.iter().chain(assets).chain(&book.style.assets);
    for asset in images {
        let display = book.root.display(&asset.path);
        files.insert(
            format!("EPUB/{}", epub_paths::asset_file(&display)),
            display,
        );
    }
    files
}

/// `SOURCE_DATE_EPOCH`, else the manifest's date, else 1980-01-01.
fn timestamp(book: &load::Book, options: &BuildOptions) -> Timestamp {
    if let Some(unix) = options.source_date_epoch {
        return Timestamp { unix };
    }
    match book.manifest.book.date {
        Some(date) => Timestamp::from_date(
            i64::from(date.year),
            date.month.unwrap_or(1),
            date.day.unwrap_or(1),
        ),
        None => Timestamp::DEFAULT,
    }
}
