//! Orchestration of a build, and the only code that writes the output folder (see `staging`).
//! `build`, `check` and `generate` are the pipeline (`pipeline`) with the disk, nothing, or
//! memory as its sink.

mod assets;
mod calendar;
mod feeds;
mod icons;
mod offline;
mod output_dir;
pub mod pipeline;
mod staging;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use assets::{Files, search_files, site_files, static_files};
pub use output_dir::{check_output_dir, output_dir_problem};
use pipeline::{MemorySink, NullSink, Plan, Search};
pub use staging::{Staging, tidy_output, write_output};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Warned};
use crate::links::LinkCache;
use crate::site::{BuildOptions, Site};

/// Everything a build produces in memory, before anything is written.
#[derive(Debug)]
pub struct Output {
    pub site: Site,
    /// Output path (relative, forward slashes) → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output_dir: PathBuf,
}

/// The error for output that could not be written.
fn cannot_write(e: std::io::Error) -> Diagnostics {
    Diagnostic::general(format!("cannot write the output: {e}"))
        .with_hint("check that the output folder's parent exists and is writable")
        .into()
}

/// Builds the site and writes it to `out`, replacing what was there only on success. Pages are
/// written as they are rendered, while the search index is built beside them, so the whole
/// output is never held in memory at once.
pub fn build(
    config: &Warned<Config>,
    options: BuildOptions,
    out: &Path,
) -> Result<Warned<BuildReport>, Diagnostics> {
    let started = Instant::now();
    check_output_dir(&config.value, out, options.clean)?;
    // A build killed part-way may have left the previous output moved aside: put it back first,
    // so that it survives even if this build fails.
    tidy_output(out);
    let mut prepared = pipeline::load_and_prepare(config, options)?;
    if !config.value.has_host() {
        let mut warning = no_sitemap(&config.value);
        warning.severity = crate::diagnostics::Severity::Warning;
        if options.strict {
            return Err(Diagnostics::from(warning).strict());
        }
        prepared.diagnostics.push(warning);
    }
    let timer = crate::timing::Timer::start();
    // Nothing is resolved again: the files' text and the link cache are freed, and the search
    // documents made now, before the pages, from the bodies' text; the bodies are freed once
    // the pages are written, before the index is built from the documents.
    prepared.value.cache = LinkCache::default();
    prepared.value.site.release_sources();
    let docs = crate::search::documents(&prepared.value.site);
    timer.lap("s:docs");
    let staging = Staging::open(out).map_err(cannot_write)?;
    timer.lap("w:open");
    let emitted = pipeline::emit_in_turn(&mut prepared.value, &docs, &staging)?;
    staging.commit().map_err(cannot_write)?;
    timer.lap("w:swap");
    let report = BuildReport {
        pages: emitted.pages,
        files: emitted.files,
        elapsed: started.elapsed(),
        output_dir: out.to_path_buf(),
    };
    let Warned { value, diagnostics } = prepared;
    drop_later((value, docs));
    Ok(Warned::new(report, diagnostics))
}

/// The warning for a base URL without a host: no sitemap can be written.
fn no_sitemap(config: &Config) -> Diagnostic {
    let message = format!(
        "base_url `{}` has no host, so no sitemap.xml is written",
        config.base_url
    );
    let d = if config.sets("base_url") {
        config.error_at_value("base_url", message)
    } else {
        Diagnostic::general(message)
    };
    d.with_hint("a sitemap lists full addresses: set base_url = \"https://user.github.io/course/\" in site.toml, or build with --base-url")
}

/// Writes the facilitator's edition (see `render::facilitator_edition`) to `file`, from a build
/// with the facilitator notes. It is never written into the output folder, which is public.
pub fn facilitator_edition(
    config: &Warned<Config>,
    options: BuildOptions,
    file: &Path,
) -> Result<Warned<usize>, Diagnostics> {
    let output = config.value.root.join(&config.value.output_dir);
    let absolute =
        |p: &Path| crate::paths::lexical(&std::env::current_dir().unwrap_or_default().join(p));
    if absolute(file).starts_with(absolute(&output)) {
        return Err(Diagnostic::general(format!(
            "the facilitator's edition `{}` would be inside the public output folder",
            crate::paths::display_path(file)
        ))
        .with_hint("write it outside the site's output, e.g. --facilitator-edition facilitator-edition.html")
        .into());
    }
    let options = BuildOptions {
        facilitator: true,
        ..options
    };
    let prepared = pipeline::load_and_prepare(config, options)?;
    let html = crate::render::facilitator_edition(&prepared.value.site, &prepared.value.theme)?;
    let temporary = file.with_extension("html.lectern-tmp");
    std::fs::write(&temporary, &html)
        .and_then(|()| std::fs::rename(&temporary, file))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            Diagnostics::from(Diagnostic::general(format!(
                "cannot write {}: {e}",
                crate::paths::display_path(file)
            )))
        })?;
    Ok(prepared.map(|_| html.len()))
}

/// Frees `value` on a thread of its own: a large site is millions of allocations, and the
/// command that built it need not wait for them to be freed before it exits.
fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// Checks a site as a build would, writing nothing: every page is rendered (templates can fail
/// on any of them) and the static files are read.
pub fn check(config: &Warned<Config>, options: BuildOptions) -> Result<Warned<Site>, Diagnostics> {
    let prepared = pipeline::load_and_prepare(config, options)?;
    let plan = Plan {
        search: Search::None,
        ..Plan::everything()
    };
    pipeline::emit(&prepared.value, &plan, &NullSink)?;
    Ok(prepared.map(|p| p.site))
}

/// Loads, resolves and renders a site without writing anything.
pub fn generate(
    config: &Warned<Config>,
    options: BuildOptions,
) -> Result<Warned<Output>, Diagnostics> {
    let prepared = pipeline::load_and_prepare(config, options)?;
    let sink = MemorySink::default();
    pipeline::emit(&prepared.value, &Plan::everything(), &sink)?;
    let files = sink
        .into_files()
        .into_iter()
        .map(|(path, bytes)| (path, bytes.to_vec()))
        .collect();
    Ok(prepared.map(|p| Output {
        site: p.site,
        files,
    }))
}
