//! Rebuilding for the preview, as little as a change needs: only changed files are read again;
//! a body edit converts only that body (other pages' links cannot depend on it) and re-renders
//! only the pages whose content can differ; a template change re-renders every page from the
//! same resolved site; a change to site.toml starts from scratch.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::state::Files;
use crate::build;
use crate::config::Config;
use crate::content::{self, Corpus, Failed, Item, Kind, Partial, Unloaded};
use crate::diagnostics::Diagnostics;
use crate::links;
use crate::render::{self, Theme};
use crate::site::{BuildOptions, Site};

type Bytes = Arc<[u8]>;

pub struct Engine {
    root: PathBuf,
    options: BuildOptions,
    output: Option<PathBuf>,
    /// Every content file as last read, good or bad, by site-relative path.
    items: BTreeMap<PathBuf, Result<Item, Failed>>,
    /// Problems found while listing content/ (misplaced files).
    listing: Diagnostics,
    last: Option<Last>,
    search: SearchFiles,
}

/// The last good build, kept to rebuild from.
struct Last {
    config: Config,
    theme: Arc<Theme>,
    site: Arc<Site>,
    statics: BTreeMap<String, Bytes>,
    pages: BTreeMap<String, Bytes>,
    files: Files,
}

/// The latest search index, which a background worker replaces after the pages are served.
pub type SearchFiles = Arc<Mutex<BTreeMap<String, Bytes>>>;

/// Building the search index of one good build, away from the rebuild loop.
pub struct SearchJob {
    pub site: Arc<Site>,
    pub latest: SearchFiles,
    /// `--output`, to write the site again once it has its index.
    pub output: Option<PathBuf>,
}

impl SearchJob {
    /// Builds the index, records it as the latest, and returns it with the files it replaces.
    pub fn run(&self) -> (Vec<String>, BTreeMap<String, Bytes>) {
        let fresh = share(build::search_files(&self.site));
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

/// A failed build: what to show, and the base path to keep serving under.
pub struct Failure {
    pub base_path: String,
    pub report: String,
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
                    _ => scope.statics = true,
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
            last: None,
            search: SearchFiles::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Rebuilds after `changed` files (relative to the root) changed; empty means everything.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Built, Failure> {
        let scope = Scope::of(changed);
        let last = if scope.everything {
            None
        } else {
            self.last.take()
        };
        let result = self.rebuild_from(last.as_ref(), &scope);
        match result {
            Ok((built, next)) => {
                self.last = Some(next);
                Ok(built)
            }
            Err(failure) => {
                self.last = last;
                Err(failure)
            }
        }
    }

    fn rebuild_from(
        &mut self,
        last: Option<&Last>,
        scope: &Scope,
    ) -> Result<(Built, Last), Failure> {
        let fallback_base = last.map_or_else(|| "/".to_string(), |l| l.config.base_path.clone());
        let fail = |diags: Diagnostics, base: &str| Failure {
            base_path: base.to_string(),
            report: diags.report(),
        };
        let config = match last {
            Some(l) => l.config.clone(),
            None => Config::load(&self.root).map_err(|d| fail(d, &fallback_base))?,
        };
        let base = config.base_path.clone();
        let theme = match last {
            Some(l) if !scope.templates && !scope.statics => Arc::clone(&l.theme),
            _ => Arc::new(Theme::load(&config).map_err(|d| fail(d, &base))?),
        };

        let timer = crate::timing::Timer::start();
        let mut diags = self.refresh_items(last.is_none(), &scope.content);
        diags.extend(config.problems.iter().cloned());
        timer.lap("load");
        let mut corpus = Corpus::default();
        for read in self.items.values() {
            match read {
                Ok(item) => corpus.items.push(item.clone()),
                Err(failed) => match &failed.partial {
                    Partial::Item(item) => corpus.items.push(Item::clone(item)),
                    Partial::Names(names) => corpus.unloaded.push(Unloaded::clone(names)),
                },
            }
        }
        content::check_duplicates(&corpus.items, &mut diags);
        let reuse = last.map(|l| links::Reuse {
            previous: &l.site,
            changed: &scope.content,
        });
        let (site, link_diags) = links::resolve_reusing(corpus, &config, self.options, reuse);
        diags.extend(link_diags);
        timer.lap("resolve");
        let site = match site {
            Some(site) if !diags.has_errors() => site,
            _ => return Err(fail(diags, &base)),
        };

        let statics = match last {
            Some(l) if !scope.statics => l.statics.clone(),
            _ => {
                let files = build::static_files(&config, &theme, &mut diags);
                if diags.has_errors() {
                    return Err(fail(diags, &base));
                }
                share(files)
            }
        };
        let (pages, rendered) =
            render_changed(&site, &theme, last, scope).map_err(|d| fail(d, &base))?;
        timer.lap("render");
        let extras = share(build::site_files(&site));
        // Until the search index is rebuilt, the previous one is served: pages come first.
        let search = self.search.lock().map(|s| s.clone()).unwrap_or_default();

        let mut files: BTreeMap<String, Bytes> = statics.clone();
        for map in [&pages, &extras, &search] {
            files.extend(map.iter().map(|(k, v)| (k.clone(), Arc::clone(v))));
        }
        let files = Arc::new(files);
        timer.lap("files");
        let built = Built {
            base_path: base,
            title: config.title.clone(),
            pages: pages.len(),
            rendered,
            files: Arc::clone(&files),
            warnings: diags,
        };
        Ok((
            built,
            Last {
                config,
                theme,
                site: Arc::new(site),
                statics,
                pages,
                files,
            },
        ))
    }

    /// The work of rebuilding the search index of the last good build.
    pub fn search_job(&self) -> Option<SearchJob> {
        let last = self.last.as_ref()?;
        Some(SearchJob {
            site: Arc::clone(&last.site),
            latest: Arc::clone(&self.search),
            output: self.output.clone(),
        })
    }

    /// Rebuilds the search index now and returns the files with it (for the first build, and
    /// for tests; the rebuild loop does this on a worker thread instead).
    pub fn update_search(&mut self) -> Result<Files, String> {
        let job = self.search_job().ok_or("no good build yet")?;
        let (old, fresh) = job.run();
        let last = self.last.as_mut().ok_or("no good build yet")?;
        last.files = Arc::new(with_search(&last.files, &old, fresh));
        let files = Arc::clone(&last.files);
        self.write_output(&files)?;
        Ok(files)
    }

    /// Writes `files` to `--output`, if one was given.
    pub fn write_output(&self, files: &BTreeMap<String, Bytes>) -> Result<(), String> {
        match &self.output {
            Some(out) => build::write_output(out, files)
                .map_err(|e| format!("cannot write {}: {e}", out.display())),
            None => Ok(()),
        }
    }

    /// Reads the content files that changed (all of them on a full rebuild), and lists content/
    /// again when files came or went. Returns the problems of every file as it now stands.
    fn refresh_items(&mut self, full: bool, changed: &HashSet<PathBuf>) -> Diagnostics {
        let appeared_or_vanished = changed
            .iter()
            .any(|p| self.items.contains_key(p) != self.root.join(p).is_file());
        if full || appeared_or_vanished || self.items.is_empty() {
            let mut listing = Diagnostics::new();
            let found = content::find_files(&self.root, &mut listing);
            self.listing = listing;
            let fresh: Vec<(PathBuf, Result<Item, Failed>)> = {
                use rayon::prelude::*;
                found
                    .par_iter()
                    .filter(|(path, _)| {
                        full || changed.contains(path) || !self.items.contains_key(path)
                    })
                    .map(|(path, kind)| (path.clone(), content::read_item(&self.root, path, *kind)))
                    .collect()
            };
            let keep: HashSet<&PathBuf> = found.iter().map(|(p, _)| p).collect();
            let mut items: BTreeMap<PathBuf, Result<Item, Failed>> =
                std::mem::take(&mut self.items)
                    .into_iter()
                    .filter(|(p, _)| keep.contains(p))
                    .collect();
            items.extend(fresh);
            self.items = items;
        } else {
            for path in changed {
                let kind = self
                    .items
                    .get(path)
                    .and_then(|r| r.as_ref().ok().map(|i| i.kind))
                    .or_else(|| kind_of(path));
                if let Some(kind) = kind {
                    self.items
                        .insert(path.clone(), content::read_item(&self.root, path, kind));
                }
            }
        }
        let mut diags = self.listing.clone();
        for failed in self.items.values().filter_map(|r| r.as_ref().err()) {
            diags.extend(failed.problems.iter().cloned());
        }
        diags
    }
}

/// The kind a content path holds, by its folder.
fn kind_of(path: &Path) -> Option<Kind> {
    let inner = path.strip_prefix("content").ok()?;
    let mut parts = inner.components();
    let first = parts.next()?.as_os_str().to_str()?;
    if parts.next().is_none() {
        return Some(Kind::Page);
    }
    Kind::ALL
        .into_iter()
        .find(|k| *k != Kind::Page && k.folder() == first)
}

/// `files` with the search index files `old` replaced by `fresh`.
pub fn with_search(
    files: &BTreeMap<String, Bytes>,
    old: &[String],
    fresh: BTreeMap<String, Bytes>,
) -> BTreeMap<String, Bytes> {
    let mut out: BTreeMap<String, Bytes> = files.clone();
    for key in old {
        out.remove(key);
    }
    out.extend(fresh);
    out
}

fn share(files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Bytes> {
    files.into_iter().map(|(k, v)| (k, Arc::from(v))).collect()
}

/// Renders what the change can have altered and keeps the rest of the previous pages.
fn render_changed(
    site: &Site,
    theme: &Theme,
    last: Option<&Last>,
    scope: &Scope,
) -> Result<(BTreeMap<String, Bytes>, usize), Diagnostics> {
    let everything = match last {
        None => true,
        Some(l) => scope.templates || l.site.facts != site.facts,
    };
    let wanted: Option<HashSet<String>> = match last {
        Some(l) if !everything => Some(dirty_pages(site, &l.site, &scope.content)),
        _ => None,
    };
    let pages = render::render_pages(site, theme, &|path| {
        wanted.as_ref().is_none_or(|w| w.contains(path))
    })?;
    let rendered = pages.len();
    let mut out: BTreeMap<String, Bytes> = match (last, everything) {
        (Some(l), false) => {
            let live: HashSet<String> = render::page_paths(site).into_iter().collect();
            l.pages
                .iter()
                .filter(|(p, _)| live.contains(*p))
                .map(|(p, b)| (p.clone(), Arc::clone(b)))
                .collect()
        }
        _ => BTreeMap::new(),
    };
    for page in pages {
        out.insert(page.path, Arc::from(page.html.into_bytes()));
    }
    Ok((out, rendered))
}

/// The pages a body-only edit can change: the edited pages, pages whose connections changed,
/// the sessions that list an edited page, and the pages that list many items (listings and
/// home, which show reading times).
fn dirty_pages(site: &Site, previous: &Site, changed: &HashSet<PathBuf>) -> HashSet<String> {
    let base = &site.config.base_path;
    let page_of = |url: &str| {
        format!(
            "{}index.html",
            url.strip_prefix(base.as_str()).unwrap_or(url)
        )
    };
    let before: HashMap<&PathBuf, &crate::site::Entry> =
        previous.entries.iter().map(|e| (&e.item.path, e)).collect();
    let edited: HashSet<usize> = site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| changed.contains(&e.item.path))
        .map(|(i, _)| i)
        .collect();
    // A session page shows its readings' reading times: it changes with them.
    let lists_edited = |e: &crate::site::Entry| {
        e.relations
            .iter()
            .any(|r| r.entries.iter().any(|i| edited.contains(i)))
    };
    let mut dirty = HashSet::new();
    for e in site.entries.iter().filter(|e| e.included) {
        let touched = changed.contains(&e.item.path)
            || (e.item.kind == Kind::Session && lists_edited(e))
            || e.item.is_home()
            || before
                .get(&e.item.path)
                .is_none_or(|old| old.relations != e.relations);
        if touched {
            dirty.insert(page_of(&e.url));
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
    let bytes: Bytes = Arc::from(page.as_bytes());
    Arc::new(
        [
            ("index.html".to_string(), Arc::clone(&bytes)),
            ("404.html".to_string(), bytes),
        ]
        .into(),
    )
}
