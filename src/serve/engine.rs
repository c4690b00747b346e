//! Rebuilding for the preview, as little as a change needs: only changed files are read again;
//! a body edit converts only that body (other pages' links cannot depend on it) and re-renders
//! only the pages whose content can differ; a template change re-renders every page from the
//! same resolved site; a change to site.toml starts from scratch. The work itself is the build's
//! pipeline, with memory as its sink and the last good build as what it may reuse.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::state::Files;
use crate::build::pipeline::{self, Inputs, MemorySink, Plan, Prepared, Search};
use crate::build::{self, Files as FileMap};
use crate::config::Config;
use crate::content::{self, Corpus, Failed, Item};
use crate::diagnostics::{Diagnostic, Diagnostics, Warned};
use crate::links::Reuse;
use crate::render::{self, Theme};
use crate::site::{BuildOptions, Entry, Site};

pub struct Engine {
    root: PathBuf,
    options: BuildOptions,
    output: Option<PathBuf>,
    /// Every content file as last read, good or bad, by site-relative path.
    items: BTreeMap<PathBuf, Result<Arc<Item>, Failed>>,
    /// Problems found while listing content/ (misplaced files).
    listing: Diagnostics,
    /// The bibliography as last read, with its problems: read again when its file changes.
    bibliography: Option<Warned<Option<Arc<content::Bibliography>>>>,
    last: Option<Last>,
    /// What changed since the last good build: after a failed rebuild, the next one starts
    /// from that build again, and must not take a file still broken for one it holds.
    unsettled: BTreeSet<PathBuf>,
    search: SearchFiles,
}

/// The last good build, kept to rebuild from.
struct Last {
    config: Warned<Config>,
    prepared: Arc<Prepared>,
    files: Files,
    /// The search index among the files: the latest when they were made, which a revision
    /// replaces if a newer one has been built since.
    search: FileMap,
    /// How many of the files are pages.
    pages: usize,
    warnings: Diagnostics,
}

/// The latest search index, which a background worker replaces after the pages are served.
pub type SearchFiles = Arc<Mutex<FileMap>>;

/// Building the search index of one good build, away from the rebuild loop.
pub struct SearchJob {
    pub prepared: Arc<Prepared>,
    pub latest: SearchFiles,
    /// `--output`, to write the site again once it has its index.
    pub output: Option<PathBuf>,
}

impl SearchJob {
    /// Builds the index, records it as the latest, and returns it with the files it replaces.
    pub fn run(&self) -> (Vec<String>, FileMap) {
        let fresh = build::search_files(&self.prepared.site);
        let mut latest = self
            .latest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let old = std::mem::replace(&mut *latest, fresh.clone());
        (old.into_keys().collect(), fresh)
    }
}

/// A good build.
pub struct Built {
    pub base_path: String,
    pub title: String,
    pub files: Files,
    /// Pages rendered by this rebuild.
    pub rendered: usize,
    pub pages: usize,
    pub warnings: Diagnostics,
}

/// A failed build: its problems, and the base path to keep serving under.
pub struct Failure {
    pub base_path: String,
    pub diagnostics: Diagnostics,
}

/// What a set of changed paths touches.
#[derive(Debug, Default)]
struct Scope {
    everything: bool,
    templates: bool,
    statics: bool,
    content: HashSet<PathBuf>,
}

impl Scope {
    /// Whether only content files changed, which a revision may handle.
    fn only_content(&self) -> bool {
        !self.everything && !self.templates && !self.statics && !self.content.is_empty()
    }

    fn of(changed: &[PathBuf]) -> Scope {
        let mut scope = Scope {
            everything: changed.is_empty(),
            ..Scope::default()
        };
        for path in changed {
            let mut parts = path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            match parts.next().as_deref() {
                Some("site.toml") => scope.everything = true,
                Some("content") => {
                    scope.content.insert(path.clone());
                }
                Some("static") => scope.statics = true,
                Some("themes") => match parts.nth(1).as_deref() {
                    Some("templates") => scope.templates = true,
                    // The interface strings are read with site.toml.
                    Some("i18n") => scope.everything = true,
                    Some(_) => scope.statics = true,
                    // `themes` or a whole theme came, went or was replaced: templates and all.
                    None => {
                        scope.templates = true;
                        scope.statics = true;
                    }
                },
                _ => {}
            }
        }
        scope
    }
}

impl Engine {
    pub fn new(root: PathBuf, options: BuildOptions, output: Option<PathBuf>) -> Engine {
        Engine {
            root,
            options,
            output,
            items: BTreeMap::new(),
            listing: Diagnostics::new(),
            bibliography: None,
            last: None,
            unsettled: BTreeSet::new(),
            search: SearchFiles::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Rebuilds after `changed` files or folders (relative to the root) changed; empty means
    /// everything.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Built, Failure> {
        let changed: Vec<PathBuf> = match changed {
            [] => Vec::new(),
            _ => self.unsettled.iter().chain(changed).cloned().collect(),
        };
        let changed = self.with_folder_contents(&changed);
        let scope = Scope::of(&changed);
        let last = if scope.everything {
            None
        } else {
            self.last.take()
        };
        let fallback_base = last
            .as_ref()
            .map_or_else(|| "/".to_string(), |l| l.config.value.base_path.clone());
        match self.rebuild_from(last.as_ref(), &scope) {
            Ok((built, next)) => {
                self.last = Some(next);
                self.unsettled.clear();
                // Freeing a large site's previous build takes a while: not on the way to the
                // browser.
                std::thread::spawn(move || drop(last));
                Ok(built)
            }
            Err(diagnostics) => {
                self.unsettled.extend(changed);
                let base_path = last
                    .as_ref()
                    .map_or(fallback_base, |l| l.config.value.base_path.clone());
                self.last = last;
                Err(Failure {
                    base_path,
                    diagnostics,
                })
            }
        }
    }

    /// site.toml as a preview reads it: a preview always shows the latest build, so no worker
    /// keeps its pages for reading offline, and one left from an earlier visit removes itself.
    fn load_config(&self) -> Result<Warned<Config>, Diagnostics> {
        let mut config = Config::load(&self.root)?;
        config.value.offline = false;
        Ok(config)
    }

    fn rebuild_from(
        &mut self,
        last: Option<&Last>,
        scope: &Scope,
    ) -> Result<(Built, Last), Diagnostics> {
        if let Some(l) = last.filter(|_| scope.only_content())
            && let Some(revised) = self.revise(l, &scope.content)
        {
            return revised;
        }
        let timer = crate::timing::Timer::start();
        let config = match last {
            Some(l) => l.config.clone(),
            None => self.load_config()?,
        };
        let theme = match last {
            Some(l) if !scope.templates && !scope.statics => Ok(Arc::clone(&l.prepared.theme)),
            _ => Theme::load(&config.value).map(Arc::new),
        };
        let corpus = self.refresh_items(last.is_none(), &scope.content);
        timer.lap("load");
        let inputs = Inputs {
            corpus,
            theme,
            statics: last.filter(|_| !scope.statics).map(|l| &l.prepared.statics),
            reuse: last.map(|l| Reuse {
                cache: &l.prepared.cache,
                changed: &scope.content,
            }),
        };
        let prepared = pipeline::prepare(&config, inputs, self.options)?;
        let Warned {
            value: prepared,
            diagnostics: warnings,
        } = prepared;
        timer.lap("resolve");
        let wanted = last
            .filter(|l| !scope.templates && l.prepared.cache.same_facts(&prepared.cache))
            .map(|l| dirty_pages(&prepared.site, &l.prepared.site, &scope.content));
        // Pages of entries that are gone (a file removed) are not kept.
        let live: HashSet<String> = render::page_paths(&prepared.site).into_iter().collect();
        let kept: FileMap = match (last, &wanted) {
            (Some(l), Some(_)) => l
                .files
                .iter()
                .filter(|(p, _)| live.contains(*p))
                .map(|(p, b)| (p.clone(), Arc::clone(b)))
                .collect(),
            _ => FileMap::new(),
        };
        // Until the search index is rebuilt, the previous one is served: pages come first.
        let search = self.latest_search();
        let plan = Plan {
            pages: wanted.as_ref(),
            search: Search::Given(&search),
        };
        let sink = MemorySink::with(kept);
        let emitted = pipeline::emit(&prepared, &plan, &sink)?;
        timer.lap("render");
        let files = Arc::new(sink.into_files());
        timer.lap("files");
        let built = Built {
            base_path: config.value.base_path.clone(),
            title: config.value.title.clone(),
            pages: live.len(),
            rendered: emitted.rendered,
            files: Arc::clone(&files),
            warnings: warnings.clone(),
        };
        let next = Last {
            config,
            prepared: Arc::new(prepared),
            files,
            search,
            pages: live.len(),
            warnings,
        };
        Ok((built, next))
    }

    /// Rebuilds after edits to content files read before, when only their own pages change
    /// (`pipeline::revise`): those pages render again, every other file stays. None when the
    /// edits need more, or a file no longer reads.
    fn revise(
        &mut self,
        last: &Last,
        changed: &HashSet<PathBuf>,
    ) -> Option<Result<(Built, Last), Diagnostics>> {
        let timer = crate::timing::Timer::start();
        let mut edited = Vec::with_capacity(changed.len());
        for path in changed {
            let Some(Ok(before)) = self.items.get(path) else {
                return None;
            };
            edited.push(read_shared(&self.root, path, before.kind).ok()?);
        }
        timer.lap("load");
        let revised = pipeline::revise(&last.prepared, &edited)?;
        timer.lap("revise");
        for item in edited {
            self.items.insert(item.path.clone(), Ok(item));
        }
        let search = self.latest_search();
        let kept = if same_files(&search, &last.search) {
            FileMap::clone(&last.files)
        } else {
            let old: Vec<String> = last.search.keys().cloned().collect();
            with_search(&last.files, &old, search.clone())
        };
        let sink = MemorySink::with(kept);
        timer.lap("v:files");
        let rendered = match pipeline::emit_revised(&revised, &sink) {
            Ok(n) => n,
            Err(diags) => return Some(Err(diags)),
        };
        let files = Arc::new(sink.into_files());
        timer.lap("render");
        let warnings = with_warnings(&last.warnings, revised.gone, revised.new);
        let built = Built {
            base_path: last.config.value.base_path.clone(),
            title: last.config.value.title.clone(),
            files: Arc::clone(&files),
            rendered,
            pages: last.pages,
            warnings: warnings.clone(),
        };
        let next = Last {
            config: last.config.clone(),
            prepared: Arc::new(revised.prepared),
            files,
            search,
            pages: last.pages,
            warnings,
        };
        Some(Ok((built, next)))
    }

    /// The newest search index built.
    fn latest_search(&self) -> FileMap {
        self.search.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// The work of rebuilding the search index of the last good build.
    pub fn search_job(&self) -> Option<SearchJob> {
        let last = self.last.as_ref()?;
        Some(SearchJob {
            prepared: Arc::clone(&last.prepared),
            latest: Arc::clone(&self.search),
            output: self.output.clone(),
        })
    }

    /// Rebuilds the search index now and returns the files with it (for the first build, and
    /// for tests; the rebuild loop does this on a worker thread instead).
    pub fn update_search(&mut self) -> Result<Files, std::io::Error> {
        let Some(job) = self.search_job() else {
            return Err(std::io::Error::other("no good build yet"));
        };
        let (old, fresh) = job.run();
        let Some(last) = self.last.as_mut() else {
            return Err(std::io::Error::other("no good build yet"));
        };
        last.files = Arc::new(with_search(&last.files, &old, fresh.clone()));
        last.search = fresh;
        let files = Arc::clone(&last.files);
        self.write_output(&files)?;
        Ok(files)
    }

    /// Writes `files` to `--output`, if one was given.
    pub fn write_output(&self, files: &FileMap) -> Result<(), std::io::Error> {
        match &self.output {
            Some(out) => build::write_output(out, files).map_err(|e| {
                std::io::Error::new(e.kind(), format!("cannot write {}: {e}", out.display()))
            }),
            None => Ok(()),
        }
    }

    /// `changed`, with everything a changed content folder held before and holds now: a folder
    /// moved away, moved back, replaced or copied in is reported as the folder alone, and
    /// reading it as a file would fail ("Is a directory").
    fn with_folder_contents(&self, changed: &[PathBuf]) -> Vec<PathBuf> {
        let mut out: BTreeSet<PathBuf> = changed.iter().cloned().collect();
        for path in changed
            .iter()
            .filter(|p| p.starts_with(content::CONTENT_DIR))
        {
            // Paths sort by component, so what was under `path` follows it.
            let held = self
                .items
                .range(path.clone()..)
                .map(|(p, _)| p)
                .take_while(|p| p.starts_with(path));
            out.extend(held.cloned());
            if self.root.join(path).is_dir() {
                let holds = crate::paths::walk(&self.root, path, true);
                out.extend(holds.into_iter().filter_map(Result::ok));
            }
        }
        out.into_iter().collect()
    }

    /// Reads the content files that changed (all of them on a full rebuild), and lists content/
    /// again unless every change is to a content file read before that is still there: files
    /// that came or went, folders, and files that are not content may change the listing.
    fn refresh_items(&mut self, full: bool, changed: &HashSet<PathBuf>) -> Warned<Corpus> {
        let listing_may_differ = changed
            .iter()
            .any(|p| !self.items.contains_key(p) || !self.root.join(p).is_file());
        if full || listing_may_differ || self.items.is_empty() {
            self.relist(full, changed);
        } else {
            for path in changed {
                let kind = self
                    .items
                    .get(path)
                    .and_then(|r| r.as_ref().ok().map(|i| i.kind))
                    .or_else(|| content::kind_of(path));
                if let Some(kind) = kind {
                    self.items
                        .insert(path.clone(), read_shared(&self.root, path, kind));
                }
            }
        }
        let bibliography_changed = changed.iter().any(|p| {
            p == Path::new(content::CONTENT_DIR)
                || content::bibliography::BIBLIOGRAPHY_FILES
                    .iter()
                    .any(|f| p == Path::new(f))
        });
        if full || bibliography_changed || self.bibliography.is_none() {
            self.bibliography = Some(content::bibliography::load(&self.root));
        }
        let mut diags = self.listing.clone();
        let mut corpus = Corpus::assemble(self.items.values().cloned()).take(&mut diags);
        if let Some(bibliography) = &self.bibliography {
            corpus.bibliography_unread = bibliography.diagnostics.has_errors();
            corpus.bibliography = bibliography.value.clone();
            diags.extend(bibliography.diagnostics.clone());
        }
        Warned::new(corpus, diags)
    }

    /// Lists content/ again, reading the files that are new or changed (every file when `full`).
    fn relist(&mut self, full: bool, changed: &HashSet<PathBuf>) {
        use rayon::prelude::*;
        let mut listing = Diagnostics::new();
        let found = content::find_files(&self.root, &mut listing);
        self.listing = listing;
        let fresh: Vec<(PathBuf, Result<Arc<Item>, Failed>)> = found
            .par_iter()
            .filter(|(path, _)| full || changed.contains(path) || !self.items.contains_key(path))
            .map(|(path, kind)| (path.clone(), read_shared(&self.root, path, *kind)))
            .collect();
        let keep: HashSet<&PathBuf> = found.iter().map(|(p, _)| p).collect();
        let mut items: BTreeMap<PathBuf, Result<Arc<Item>, Failed>> =
            std::mem::take(&mut self.items)
                .into_iter()
                .filter(|(p, _)| keep.contains(p))
                .collect();
        items.extend(fresh);
        self.items = items;
    }
}

/// `warnings` without those of `gone` and with those of `new`. Only warnings of the files that
/// `gone` names are looked for in it, and a file has few.
fn with_warnings(
    warnings: &Diagnostics,
    mut gone: Vec<Diagnostic>,
    new: Vec<Diagnostic>,
) -> Diagnostics {
    let files: HashSet<PathBuf> = gone
        .iter()
        .filter_map(|d| d.path().map(Path::to_path_buf))
        .collect();
    let mut out = Diagnostics::new();
    for d in warnings.iter() {
        let was = d
            .path()
            .filter(|p| files.contains(*p))
            .and_then(|_| gone.iter().position(|g| g == d));
        match was {
            Some(i) => {
                gone.swap_remove(i);
            }
            None => out.push(d.clone()),
        }
    }
    out.extend(new);
    out
}

/// A content file read, shared with the sites built from it.
fn read_shared(root: &Path, path: &Path, kind: content::Kind) -> Result<Arc<Item>, Failed> {
    content::read_item(root, path, kind).map(Arc::new)
}

/// Whether two sets of files are the same files, the very same bytes.
fn same_files(a: &FileMap, b: &FileMap) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((pa, ba), (pb, bb))| pa == pb && Arc::ptr_eq(ba, bb))
}

/// `files` with the search index files `old` replaced by `fresh`.
pub fn with_search(files: &FileMap, old: &[String], fresh: FileMap) -> FileMap {
    let mut out: FileMap = files.clone();
    for key in old {
        out.remove(key);
    }
    out.extend(fresh);
    out
}

/// The pages a body-only edit can change: the edited pages, pages whose connections changed,
/// the sessions that list an edited page, and the pages that list many items (listings and
/// home, which show reading times).
fn dirty_pages(site: &Site, previous: &Site, changed: &HashSet<PathBuf>) -> HashSet<String> {
    let base = &site.config.base_path;
    let before: HashMap<&PathBuf, &Entry> = previous
        .entries
        .iter()
        .map(|e| (&e.item.path, &**e))
        .collect();
    let edited: HashSet<usize> = site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| changed.contains(&e.item.path))
        .map(|(i, _)| i)
        .collect();
    // A session page shows its readings' reading times: it changes with them.
    let lists_edited = |e: &Entry| {
        e.relations
            .iter()
            .any(|r| r.entries.iter().any(|i| edited.contains(&i.index())))
    };
    let mut dirty = HashSet::new();
    for e in site.entries.iter().filter(|e| e.included) {
        let touched = changed.contains(&e.item.path)
            || (e.item.kind == content::Kind::Session && lists_edited(e))
            || e.item.is_home()
            || before
                .get(&e.item.path)
                .is_none_or(|old| old.relations != e.relations);
        if touched {
            dirty.insert(render::page_path(base, &e.url));
        }
    }
    for listing in render::page_paths(site) {
        if !listing.contains('/') || listing.split('/').count() == 2 {
            dirty.insert(listing);
        }
    }
    dirty
}

/// What is served before the first good build: a page that waits for the errors to be fixed.
pub fn placeholder() -> Files {
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>lectern</title></head>\
        <body><h1>The site has errors</h1><p>Fix them and save; this page reloads by itself.</p></body></html>";
    let bytes: Arc<[u8]> = Arc::from(page.as_bytes());
    Arc::new(
        [
            ("index.html".to_string(), Arc::clone(&bytes)),
            ("404.html".to_string(), bytes),
        ]
        .into(),
    )
}
