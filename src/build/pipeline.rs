//! The pipeline, written once for `build`, `check` and `serve`: prepare (configuration problems,
//! content, theme, resolution, every problem reported together), then emit (render the pages,
//! add static files, the site's own files and the search index) into a sink: the disk for a
//! build, memory for the preview. What `serve` keeps between rebuilds comes in through `Reuse`
//! and `Plan`; nothing here knows about HTTP or watching.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use super::assets::{self, Files};
use super::offline;
use crate::config::Config;
use crate::content::{Corpus, Item};
use crate::diagnostics::{Diagnostic, Diagnostics, Warned};
use crate::links::{self, LinkCache, Reuse};
use crate::render::{self, Theme};
use crate::search::Doc;
use crate::site::{Assets, BuildOptions, EntryId, Site};

/// A resolved site with its theme and static files: everything before rendering.
pub struct Prepared {
    pub site: Site,
    pub theme: Arc<Theme>,
    pub cache: LinkCache,
    /// The theme's static files overlaid with the site's.
    pub statics: Files,
    /// The static files as conversion knows them.
    assets: Arc<Assets>,
    /// What every page's template context shares, made when the first page renders.
    values: OnceLock<Arc<render::Values>>,
}

impl Prepared {
    fn values(&self) -> &render::Values {
        self.values
            .get_or_init(|| Arc::new(render::Values::new(&self.site)))
    }
}

/// A prepared site after edits to bodies alone (see `links::revise`), with the pages they change.
pub struct Revised {
    pub prepared: Prepared,
    /// The entries whose pages render again: those edited, and those whose relations changed.
    pub pages: Vec<EntryId>,
    /// The warnings the edited files had, and those they have now.
    pub gone: Vec<Diagnostic>,
    pub new: Vec<Diagnostic>,
}

/// `previous` with the files of `edited` read again, when only their own pages and their
/// relations change: no other page cites or lists anything different (not even a reading time).
/// None otherwise, for `prepare` to do the whole work.
pub fn revise(previous: &Prepared, edited: &[Arc<Item>]) -> Option<Revised> {
    let revision = links::revise(&previous.site, &previous.cache, edited, &previous.assets)?;
    let site = revision.resolved.site;
    let values = previous
        .values
        .get()
        .filter(|v| v.still_hold(&site, &revision.edited))?;
    let mut pages = revision.edited;
    pages.extend(revision.related);
    pages.sort_unstable();
    pages.dedup();
    let prepared = Prepared {
        site,
        theme: Arc::clone(&previous.theme),
        cache: revision.resolved.cache,
        statics: previous.statics.clone(),
        assets: Arc::clone(&previous.assets),
        values: OnceLock::from(Arc::clone(values)),
    };
    Some(Revised {
        prepared,
        pages,
        gone: revision.gone,
        new: revision.new,
    })
}

/// What `prepare` works from besides the configuration.
pub struct Inputs<'a> {
    pub corpus: Warned<Corpus>,
    pub theme: Result<Arc<Theme>, Diagnostics>,
    /// Static files gathered before (a rebuild that no static file's change touched); else
    /// they are read now.
    pub statics: Option<&'a Files>,
    pub reuse: Option<Reuse<'a>>,
}

/// Resolves the corpus under `config` and pairs it with the theme and the static files (which
/// conversion needs: an image must exist, and its size goes into the page). Every problem of
/// them all comes back at once; the site only when there are no errors.
pub fn prepare(
    config: &Warned<Config>,
    inputs: Inputs,
    options: BuildOptions,
) -> Result<Warned<Prepared>, Diagnostics> {
    let timer = crate::timing::Timer::start();
    let mut diags = config.diagnostics.clone();
    let corpus = inputs.corpus.take(&mut diags);
    let theme = inputs.theme.map_err(|d| diags.extend(d)).ok();
    let statics = match (inputs.statics, &theme) {
        (Some(files), _) => Some(files.clone()),
        (None, Some(theme)) => assets::static_files(&config.value, theme)
            .map_err(|d| diags.extend(d))
            .ok(),
        (None, None) => None,
    };
    timer.lap("statics");
    // Without the static files, images cannot be checked: the build fails for another reason.
    let assets = statics.as_ref().map_or_else(Assets::unknown, |files| {
        Assets::new(
            files
                .iter()
                .map(|(path, bytes)| (path.as_str(), &bytes[..])),
        )
    });
    let assets = Arc::new(assets);
    let resolved = links::resolve(corpus, &config.value, options, inputs.reuse, &assets);
    timer.lap("resolve");
    let resolved = resolved
        .map(|r| r.take(&mut diags))
        .map_err(|d| diags.extend(d));
    if options.strict {
        diags = diags.strict();
    }
    match (resolved, theme, statics) {
        (Ok(r), Some(theme), Some(statics)) if !diags.has_errors() => Ok(Warned::new(
            Prepared {
                site: r.site,
                theme,
                cache: r.cache,
                statics,
                assets,
                values: OnceLock::new(),
            },
            diags,
        )),
        _ => Err(diags),
    }
}

/// Loads the site's content and theme from disk and prepares them.
pub fn load_and_prepare(
    config: &Warned<Config>,
    options: BuildOptions,
) -> Result<Warned<Prepared>, Diagnostics> {
    let timer = crate::timing::Timer::start();
    let corpus = crate::content::load(&config.value);
    timer.lap("load");
    let theme = Theme::load(&config.value).map(Arc::new);
    timer.lap("theme");
    let inputs = Inputs {
        corpus,
        theme,
        statics: None,
        reuse: None,
    };
    prepare(config, inputs, options)
}

/// Where emitted files go. `put` may be called from several threads at once.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;

    /// The same, for bytes already shared (static files, the search index): a sink that keeps
    /// them keeps the same bytes rather than a copy, and a preview then sees at once that they
    /// did not change.
    fn put_shared(&self, path: &str, bytes: &Arc<[u8]>) -> std::io::Result<()> {
        self.put(path, bytes)
    }
}

/// Files kept in memory.
#[derive(Default)]
pub struct MemorySink(Mutex<Files>);

impl MemorySink {
    /// A sink that already holds `files` (a rebuild's unchanged pages).
    pub fn with(files: Files) -> MemorySink {
        MemorySink(Mutex::new(files))
    }

    pub fn into_files(self) -> Files {
        self.0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_string(), Arc::from(bytes));
        Ok(())
    }

    fn put_shared(&self, path: &str, bytes: &Arc<[u8]>) -> std::io::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_string(), Arc::clone(bytes));
        Ok(())
    }
}

/// A sink that keeps nothing: `check` renders every page to find template errors.
pub struct NullSink;

impl Sink for NullSink {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

/// The search index an emit writes.
pub enum Search<'a> {
    /// Built now, beside the pages.
    Build,
    /// Files made earlier (the preview builds its index after the pages are served).
    Given(&'a Files),
    None,
}

/// What to emit beyond what every build writes.
pub struct Plan<'a> {
    /// The pages to render (by output path); all when None.
    pub pages: Option<&'a HashSet<String>>,
    pub search: Search<'a>,
}

impl Plan<'_> {
    /// Every page, the search index built.
    pub fn everything() -> Plan<'static> {
        Plan {
            pages: None,
            search: Search::Build,
        }
    }
}

/// What an emit did.
#[derive(Debug)]
pub struct Emitted {
    /// Pages rendered, and files put, by this emit.
    pub rendered: usize,
    pub files: usize,
    /// Every HTML file of the output (rendered now or not).
    pub pages: usize,
}

/// A static file of the site's own at the path of a generated page is an error naming both: one
/// of them would otherwise be lost without a word.
fn check_collisions(
    site: &Site,
    statics: &Files,
    pages: &HashSet<String>,
) -> Result<(), Diagnostics> {
    let own = site.config.root.join("static");
    let mut diags = Diagnostics::new();
    for path in statics.keys().filter(|p| pages.contains(*p)) {
        if !own.join(path).is_file() {
            continue;
        }
        let base = &site.config.base_path;
        let page = site
            .included()
            .find(|(_, e)| render::page_path(base, &e.url) == *path)
            .map_or_else(
                || {
                    format!(
                        "the generated page {base}{}",
                        path.trim_end_matches("index.html")
                    )
                },
                |(_, e)| format!("the page of {}", e.item.path.display()),
            );
        diags.push(
            Diagnostic::error(
                format!("static/{path}"),
                1,
                1,
                format!("static/{path} has the same path as {page}"),
            )
            .with_hint(
                "rename or move the static file: a page and a static file cannot share an address",
            ),
        );
    }
    if site.config.offline && own.join(offline::WORKER).is_file() {
        diags.push(
            site.config
                .error_at_key(
                    "offline",
                    format!("offline = true writes the service worker {base}{worker}, and static/{worker} is there too", base = site.config.base_path, worker = offline::WORKER),
                )
                .with_hint(format!("remove static/{}, or set offline = false to keep it", offline::WORKER)),
        );
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// Renders the pages the plan asks for and puts them, the static files, the site's own files
/// and the search index into `sink`. A page wins over a static file of the same name, and the
/// site's own files and the search index over both.
pub fn emit(prepared: &Prepared, plan: &Plan, sink: &dyn Sink) -> Result<Emitted, Diagnostics> {
    let timer = crate::timing::Timer::start();
    let page_paths = page_paths(prepared)?;
    // Pages are rendered and written while the search index is built: both use every core,
    // and each fills the other's pauses (file system calls, the index's serial steps).
    let (pages, search) = rayon::join(
        || put_pages(prepared, plan.pages, sink),
        || match plan.search {
            Search::Build => assets::search_files(&prepared.site),
            Search::Given(files) => files.clone(),
            Search::None => Files::new(),
        },
    );
    let pages = pages?;
    timer.lap("pg+srch");
    put_the_rest(prepared, &page_paths, pages, search, sink)
}

/// Emits every page and the search index made from `docs`, one after the other: once the pages
/// are written, the bodies they were made from are freed (`Site::release_bodies`), so that they
/// and the index, the two largest things a build holds, are never in memory together. For a
/// build, which resolves nothing again; the documents are made before, from the bodies' text.
pub fn emit_in_turn(
    prepared: &mut Prepared,
    docs: &[Doc],
    sink: &dyn Sink,
) -> Result<Emitted, Diagnostics> {
    let timer = crate::timing::Timer::start();
    let page_paths = page_paths(prepared)?;
    let pages = put_pages(prepared, None, sink)?;
    timer.lap("pages");
    prepared.values = OnceLock::new();
    prepared.site.release_bodies();
    crate::timing::give_back_freed_memory();
    timer.lap("free");
    let search = assets::search_files_of(&prepared.site, docs);
    timer.lap("search");
    put_the_rest(prepared, &page_paths, pages, search, sink)
}

/// Renders the pages of a revision alone into `sink`, on this thread, and returns how many: the
/// other files of a revision are those of the build it revises.
pub fn emit_revised(revised: &Revised, sink: &dyn Sink) -> Result<usize, Diagnostics> {
    let prepared = &revised.prepared;
    let pages = render::render_entries(
        &prepared.site,
        &prepared.theme,
        prepared.values(),
        &revised.pages,
    )?;
    for page in &pages {
        sink.put(&page.path, page.html.as_bytes())
            .map_err(super::cannot_write)?;
    }
    Ok(pages.len())
}

/// The output path of every page, once no static file of the site's own is at one of them.
fn page_paths(prepared: &Prepared) -> Result<HashSet<String>, Diagnostics> {
    let paths: HashSet<String> = render::page_paths(&prepared.site).into_iter().collect();
    check_collisions(&prepared.site, &prepared.statics, &paths)?;
    Ok(paths)
}

/// A rendered page's path and digest (with `offline`, for the worker's cache name).
type Digest = Option<(String, u64)>;

/// Renders the pages (those of `only`, or all) and puts them into `sink`. With `offline`, each
/// page's digest is taken where it is rendered.
fn put_pages(
    prepared: &Prepared,
    only: Option<&HashSet<String>>,
    sink: &dyn Sink,
) -> Result<Vec<Digest>, Diagnostics> {
    let want = |path: &str| only.is_none_or(|p| p.contains(path));
    let site = &prepared.site;
    let offline = site.config.offline;
    let values = prepared.values();
    render::render_each(site, &prepared.theme, values, &want, &|page| {
        sink.put(&page.path, page.html.as_bytes())?;
        Ok(offline.then(|| (page.path, offline::digest(page.html.as_bytes()))))
    })?
    .into_iter()
    .collect::<std::io::Result<Vec<_>>>()
    .map_err(super::cannot_write)
}

/// Puts the static files, the site's own files, the search index and the offline worker into
/// `sink`, after the pages.
fn put_the_rest(
    prepared: &Prepared,
    page_paths: &HashSet<String>,
    pages: Vec<Digest>,
    search: Files,
    sink: &dyn Sink,
) -> Result<Emitted, Diagnostics> {
    let timer = crate::timing::Timer::start();
    let site = &prepared.site;
    let rendered = pages.len();
    let mut others: Files = prepared
        .statics
        .iter()
        .filter(|(path, _)| !page_paths.contains(*path))
        .map(|(path, bytes)| (path.clone(), Arc::clone(bytes)))
        .collect();
    others.extend(assets::site_files(site));
    others.extend(search);
    if let Some(worker) = offline::worker(site, pages.into_iter().flatten().collect(), &others) {
        others.insert(offline::WORKER.to_string(), worker);
    }
    others
        .par_iter()
        .try_for_each(|(path, bytes)| sink.put_shared(path, bytes))
        .map_err(super::cannot_write)?;
    timer.lap("w:rest");
    Ok(Emitted {
        rendered,
        files: rendered + others.len(),
        pages: page_paths.len() + others.keys().filter(|p| p.ends_with(".html")).count(),
    })
}
