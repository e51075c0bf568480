//! bindery compiles a folder of Markdown chapters into one EPUB 3 file
//! that passes EPUBCheck and is byte-for-byte the same every time it is
//! built from the same input.
//!
//! The pipeline runs in one direction, each stage a module with its own
//! error type:
//!
//! ```text
//! manifest  book.toml -> Manifest
//! load      Manifest + folder -> Book (chapters, cover image, stylesheets);
//!           later the images the chapters show
//! render    Markdown -> XHTML per chapter
//! cover     (beside render) a cover drawn for a book without one
//! outline   headings -> table of contents, landmarks
//! package   OPF, nav, NCX, container, cover and title pages
//! write     deterministic zip, renamed into place
//! site      the static download page, catalogue and OPDS feed
//! check     (with `check_only`) what is valid but probably not meant
//! ```
//!
//! Below them, modules every stage may use: [`diag`] (diagnostics, their
//! codes and how bad each is), [`paths`] (paths confined to the book),
//! [`url`], [`markdown`], [`epub_paths`], [`time`], [`typeface`] (font
//! files and the characters they have). A module only imports
//! modules above it in this list or below it in the pipeline's, never the
//! other way (a test checks). Beside the pipeline, [`inspect`] checks any
//! EPUB file, bindery's or not, and runs EPUBCheck when it is installed.
//!
//! [`build`] runs them all, in one function that reads as the list above:
//!
//! ```no_run
//! let options = bindery::BuildOptions::default();
//! match bindery::build(std::path::Path::new("my-book"), &options) {
//!     Ok(built) => println!("wrote {}", built.output.display()),
//!     Err(report) => eprint!("{}", bindery::diag::render_human(&report)),
//! }
//! ```

#![warn(missing_docs)]

pub mod batch;
pub mod check;
pub mod cover;
pub mod diag;
pub mod epub_paths;
pub mod inspect;
pub mod load;
pub mod locale;
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
pub mod typeface;
pub mod url;
pub mod write;
mod xml;

#[cfg(test)]
mod test_text;

use diag::{Diagnostic, Policy, Report, ToDiagnostic};
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
    /// `--root`: the folder the book's paths may reach into, instead of
    /// the git repository around the book (or the book folder alone): for
    /// a book from a source archive, whose includes reach the project
    /// around it. It must hold the book folder.
    pub root: Option<PathBuf>,
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
    /// Every file the book was made from, as it is on disk: what nothing
    /// written for the book may replace.
    pub inputs: Vec<PathBuf>,
    /// What the download page shows: the manifest, identifier, cover and
    /// accessibility of the book.
    pub about: site::About,
}

/// Builds the book in `dir` into an EPUB.
///
/// On failure the report holds every error found (and any warnings), and
/// nothing was written over an existing EPUB.
pub fn build(dir: &Path, options: &BuildOptions) -> Result<Built, Report> {
    let mut session = Session::default();
    let built = run(&mut session, dir, options, None);
    session.finish(built)
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
    let mut session = Session::default();
    let built = run(&mut session, dir, options, Some(cache));
    session.finish(built)
}

/// The pipeline: each stage takes what the ones before it made. Warnings
/// go into the session's report as they are found; a stage's errors stop
/// the build there.
fn run(
    s: &mut Session,
    dir: &Path,
    options: &BuildOptions,
    mut cache: Option<&mut BuildCache>,
) -> Result<Built, Stopped> {
    let (root, manifest_text) =
        s.check_one(load::read_manifest_in(dir, options.root.as_deref()))?;
    s.source(manifest::FILE_NAME, &manifest_text);
    let manifest = load::parse_manifest(&root, &manifest_text, s.warnings());
    let manifest = s.check(manifest)?;
    let mut book = s.check(load::load_book(root, manifest))?;
    let run_them = options.run_preprocessors;
    let preprocessed = load::run_preprocessors(&mut book, &manifest_text, run_them, s.warnings());
    s.report.sources = load::sources_of(&book, &manifest_text);
    s.check(preprocessed)?;
    s.loaded(&book);
    let policy = Policy {
        deny_warnings: options.deny_warnings,
        ..book.manifest.policy()
    };

    // The cover is drawn while the chapters are rendered.
    let is_missing = |path: &load::BookPath| book.root.is_missing(path);
    let (warnings, render_cache) = (s.warnings(), cache.as_deref_mut().map(|c| &mut c.render));
    let (rendered, drawn) = rayon::join(
        || render::render_book_cached(&book, &is_missing, warnings, render_cache),
        || cover::draw_for(&book),
    );
    let mut chapters = s.check(rendered)?;
    if let Some(drawn) = s.check_one(drawn)? {
        (book.cover, book.cover_svg) = (Some(drawn.png), Some(drawn.svg));
    }
    let (refs, missing) = render::images(&chapters);
    s.judge(policy, load::missing_images(&book.root, &missing));
    let assets = s.check(load::load_assets(&book.root, &refs))?;

    let untitled = book.locale.label(locale::Label::Untitled);
    let toc = outline::build_toc(&chapters, book.manifest.toc.depth, &untitled);
    let landmarks = outline::landmarks(
        &chapters,
        book.cover.is_some(),
        &book.locale,
        &book.toc_title(),
    );
    let date = book.manifest.book.date.map(manifest::PubDate::fields);
    let modified = Timestamp::of_build(options.source_date_epoch, date);
    let author_style = package::a11y::AuthorStyle::of(&book.style.css);
    let moving_images = assets
        .iter()
        .chain(&book.cover)
        .chain(&book.style.assets)
        .filter(|asset| asset.motion != load::Motion::Still)
        .count();
    let a11y = &book.manifest.accessibility;
    let accessibility = package::a11y::assess(
        &chapters,
        author_style,
        moving_images,
        a11y,
        &book.locale,
        s.warnings(),
    );
    let xhtml = render::take_xhtml(&mut chapters);
    let parts = package::Parts {
        book: &book,
        chapters: &chapters,
        assets: &assets,
        toc: &toc,
        landmarks: &landmarks,
        modified,
        accessibility: &accessibility,
    };
    let mut entries = package::package(&parts, xhtml);
    profile::adapt(options.profile, &mut entries);

    let output = match &options.output {
        Some(output) => output.clone(),
        None => s.check_one(default_output(dir, options, &book.manifest.book))?,
    };
    // Where the book decides the place, no link inside it is followed;
    // and whatever the place, nothing written replaces a file of the book.
    let inputs = load::files_read(&book, &assets);
    if !options.check_only {
        if options.output.is_none() {
            let base = options.out_dir.as_deref().unwrap_or(dir);
            s.check_one(write::refuse_links(base, &output))?;
        }
        s.check_one(write::refuse_inputs(&output, &inputs))?;
    }
    let store = profile::check(options.profile, &book, package::size_bound(&entries));
    s.warnings().extend(store);
    let metadata = check::store_metadata(&book, &manifest_text, options.profile);
    s.warnings().extend(metadata);
    let empty = check::empty_chapters(&book);
    s.warnings().extend(empty);
    if options.check_only {
        let elsewhere = chapters.iter().flat_map(|c| c.elsewhere.iter().cloned());
        s.warnings().extend(elsewhere);
        let found = check::check_folder(&book, &manifest_text, &refs);
        s.warnings().extend(found);
    }
    if policy.deny(s.warnings()) {
        return Err(Stopped);
    }
    let size = match options.check_only {
        true => 0,
        false => {
            let deflate = cache.map(|c| &mut c.deflate);
            s.check_one(write::write_epub_cached(
                entries, modified, &output, deflate,
            ))?
        }
    };
    Ok(Built {
        output,
        chapters: book.chapters.len(),
        size,
        report: Report::default(),
        files: package::entry_sources(&book, &assets),
        inputs,
        about: site::About {
            identifier: package::identifier(&book),
            modified,
            accessibility,
            cover: book.cover,
            manifest: book.manifest,
        },
    })
}

/// What one build has to say, gathered as its stages run: the warnings
/// so far, the text of every file they point into, and how to point
/// messages about preprocessed chapters back at the files the author
/// wrote. The one place where a stage's errors stop the build.
#[derive(Default)]
struct Session {
    report: Report,
    traces: load::Traces,
}

/// A stage failed; the session's report says why.
struct Stopped;

impl Session {
    /// A stage's output; or, when it failed, its errors in the report and
    /// the build stopped.
    fn check<T, E: ToDiagnostic>(&mut self, result: Result<T, Vec<E>>) -> Result<T, Stopped> {
        result.map_err(|errors| {
            for error in &errors {
                if let Some((file, text)) = error.source_text() {
                    self.report.sources.insert(file, text.clone());
                }
                self.report.diagnostics.push(error.to_diagnostic());
            }
            Stopped
        })
    }

    /// Keeps the text of a file diagnostics may point into.
    fn source(&mut self, file: &str, text: &std::sync::Arc<str>) {
        self.report.sources.insert(file, text.clone());
    }

    /// Where the stages put their warnings.
    fn warnings(&mut self) -> &mut Vec<Diagnostic> {
        &mut self.report.diagnostics
    }

    /// [`Session::check`] for a stage that fails with one error.
    fn check_one<T, E: ToDiagnostic>(&mut self, result: Result<T, E>) -> Result<T, Stopped> {
        self.check(result.map_err(|error| vec![error]))
    }

    /// Problems the book's policy lets through as warnings (a missing
    /// image, with `broken-links = "warn"`).
    fn judge<E: ToDiagnostic>(&mut self, policy: Policy, problems: Vec<E>) {
        let judged = problems.iter().map(|problem| policy.judge(problem));
        self.report.diagnostics.extend(judged);
    }

    /// The book is read: what loading noticed, and where the text of its
    /// preprocessed chapters came from.
    fn loaded(&mut self, book: &load::Book) {
        self.traces = load::Traces::of(book);
        self.report.diagnostics.extend(book.notes.iter().cloned());
        self.report.diagnostics.extend(load::check_cover(book));
    }

    /// The build's outcome, with every diagnostic pointing at the file the
    /// author wrote, in the order of files and places.
    fn finish(mut self, result: Result<Built, Stopped>) -> Result<Built, Report> {
        self.report.sort();
        self.traces.apply(&mut self.report);
        match result {
            Ok(built) => Ok(Built {
                report: self.report,
                ..built
            }),
            Err(Stopped) => Err(self.report),
        }
    }
}

/// Where the EPUB of the book in `dir` goes without `-o`: the name
/// template (`--name-template`, else [`release::DEFAULT_TEMPLATE`], or
/// `{slug}.kepub.epub` for Kobo) filled from `[book]`, in `--out-dir`,
/// else in `dir/build`.
pub fn default_output(
    dir: &Path,
    options: &BuildOptions,
    book: &manifest::BookMeta,
) -> Result<PathBuf, release::NameError> {
    let template = match &options.name_template {
        Some(template) => template.clone(),
        None if options.profile == profile::Profile::Kobo => {
            format!("{{slug}}{}", profile::extension(options.profile))
        }
        None => release::DEFAULT_TEMPLATE.to_string(),
    };
    let name = release::file_name(&template, book).map_err(release::NameError)?;
    let folder = options.out_dir.clone().unwrap_or_else(|| dir.join("build"));
    Ok(folder.join(name))
}
