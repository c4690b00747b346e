//! Resolution: from a loaded corpus to an immutable `Site`. Checks every reference, converts
//! each body with its links resolved (through `markdown`), then builds sessions and typed
//! backlinks from front matter, explicit links and auto-links together.

mod checks;
pub mod citations;
mod csl;
pub mod glossary;
mod graph;
mod matter;
mod names;
mod ranks;
mod revise;
mod tags;

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Corpus, Item, Kind};
use crate::diagnostics::{Diagnostics, Warned};
use crate::markdown::{self, LinkContext};
use crate::site::{Assets, BuildOptions, Converted, Entry, EntryId, Site, url_for};
pub use citations::Keys;
pub use glossary::Glossary;
use graph::LinkGraph;
pub use names::{Names, SiteTargets};
use ranks::Ranks;
pub use revise::{Revision, revise};

/// A resolved site, with what a rebuild may keep of the work that made it.
pub struct Resolved {
    pub site: Site,
    pub cache: LinkCache,
}

/// The work of one resolution that a later one can reuse while no front matter changes (front
/// matter holds every fact another page's conversion depends on: slugs, titles, term names,
/// aliases and summaries, drafts): the names, keys and glossary matcher that conversion looks
/// links up in, and each file's converted body. Equal facts mean the same items in the same
/// order, so bodies and citations are kept by entry.
#[derive(Debug, Clone, Default)]
pub struct LinkCache {
    facts: u64,
    /// A fingerprint of the formatted bibliography: each work's place and form in it, which
    /// every page's citations depend on.
    references: u64,
    lookups: Lookups,
    keys: Arc<Keys>,
    /// What front matter names.
    matter_refs: Arc<[matter::MatterRef]>,
    /// Each entry's body as converted, its citations not yet written.
    bodies: Vec<Arc<Converted>>,
    /// Each entry's citations as written into its body: (HTML, plain text), in marker order.
    forms: Arc<[Vec<(String, String)>]>,
    /// What the citation engine made, reused while the site cites the same.
    citations: Option<csl::Made>,
}

impl LinkCache {
    /// The same cache with the bodies of a revision.
    fn with_bodies(&self, bodies: Vec<Arc<Converted>>) -> LinkCache {
        LinkCache {
            facts: self.facts,
            references: self.references,
            lookups: self.lookups.clone(),
            keys: Arc::clone(&self.keys),
            matter_refs: Arc::clone(&self.matter_refs),
            bodies,
            forms: Arc::clone(&self.forms),
            citations: self.citations.clone(),
        }
    }

    /// Whether the facts of two resolutions are the same: then only the pages of changed
    /// bodies (and those that list them) can differ.
    pub fn same_facts(&self, other: &LinkCache) -> bool {
        self.facts == other.facts && self.references == other.references
    }
}

/// What a rebuild may keep: the previous resolution's cache, except for the files that changed.
pub struct Reuse<'a> {
    pub cache: &'a LinkCache,
    /// Site-relative paths of the files that changed.
    pub changed: &'a HashSet<PathBuf>,
}

/// A fingerprint of everything but the bodies: the settings, the bibliography, the static files and each file's
/// path and front matter. Equal fingerprints mean a body edit cannot change any other page's
/// conversion.
fn facts(
    items: &[Arc<Item>],
    corpus_bibliography: Option<u64>,
    config: &Config,
    options: BuildOptions,
    assets: &Assets,
) -> u64 {
    let mut h = DefaultHasher::new();
    (
        &config.base_path,
        &config.base_url,
        config.autolink as u8,
        &config.citation_style,
        &config.language,
        corpus_bibliography,
        options,
        assets.fingerprint(),
        config.strings.fingerprint(),
    )
        .hash(&mut h);
    for item in items {
        (&item.path, item.source.yaml()).hash(&mut h);
    }
    h.finish()
}

/// Resolves every reference of `corpus` (images against `assets`), converting again only the
/// bodies that `reuse` cannot vouch for.
pub fn resolve(
    corpus: Corpus,
    config: &Config,
    options: BuildOptions,
    reuse: Option<Reuse>,
    assets: &Assets,
) -> Result<Warned<Resolved>, Diagnostics> {
    let timer = crate::timing::Timer::start();
    let Corpus {
        items,
        unloaded,
        bibliography,
        bibliography_unread,
    } = corpus;
    let bibliography = bibliography.as_deref();
    let cited = bibliography.map(|b| b.fingerprint());
    let facts = facts(&items, cited, config, options, assets);
    let previous = reuse.filter(|r| r.cache.facts == facts);
    let mut diags = Diagnostics::new();
    let included: Vec<bool> = items.iter().map(|i| options.drafts || !i.draft).collect();
    let lookups = Lookups::new(&items, &unloaded, &included, previous.as_ref());
    let keys = Arc::new(Keys::new(bibliography, bibliography_unread));
    matter::check_aliases(&items, &mut diags);
    let matter_refs = matter::check_matter_refs(&items, &lookups.names, &mut diags);
    citations::check_matter(&items, &keys, &mut diags);
    let urls: Vec<String> = items
        .iter()
        .map(|i| url_for(&config.base_path, i))
        .collect();
    timer.lap("r:index");
    let bodies = lookups
        .bodies(&items, &keys, &urls, &included, assets)
        .convert(config, options, &|i| {
            let r = previous.as_ref()?;
            let unchanged = !r.changed.contains(&items[i].path);
            unchanged.then(|| Arc::clone(&r.cache.bodies[i]))
        });
    diags.extend(bodies.iter().flat_map(|b| b.diagnostics.iter().cloned()));
    timer.lap("r:convert");
    checks::after_conversion(&items, &bodies, &matter_refs, &included, &mut diags);
    citations::warn_uncited(bibliography, options, &items, &bodies, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let kept = bodies.clone();
    let made = previous.as_ref().and_then(|r| r.cache.citations.as_ref());
    let cited = citations::format(
        bibliography,
        &items,
        bodies,
        &included,
        config,
        made,
        &mut diags,
    );
    timer.lap("r:cite");
    let cache = LinkCache {
        facts,
        references: fingerprint(cited.references.as_ref()),
        lookups,
        keys,
        matter_refs: matter_refs.into(),
        bodies: kept,
        forms: cited.forms.into(),
        citations: cited.made,
    };
    let entries = entries(items, cited.bodies, urls, included, cited.cites);
    let mut site = assemble(entries, config.clone(), options, &cache);
    site.references = cited.references;
    timer.lap("r:assemble");
    Ok(Warned::new(Resolved { site, cache }, diags))
}

/// What conversion and the listings look entries up by: the names links use, the glossary's
/// matcher and the listings' orders, kept from the last resolution while equal facts vouch for
/// them (the same items in the same order with the same front matter).
#[derive(Debug, Clone, Default)]
struct Lookups {
    names: Arc<Names>,
    glossary: Arc<Glossary>,
    ranks: Arc<Ranks>,
}

impl Lookups {
    fn new(
        items: &[Arc<Item>],
        unloaded: &[crate::content::Unloaded],
        included: &[bool],
        previous: Option<&Reuse>,
    ) -> Lookups {
        let timer = crate::timing::Timer::start();
        let lookups = match previous {
            // Names come from the files that failed to load too.
            Some(r) if unloaded.is_empty() => r.cache.lookups.clone(),
            _ => {
                // The glossary's automaton takes longest to build: the others are built beside it.
                let (glossary, (names, ranks)) = rayon::join(
                    || Glossary::new(items, included),
                    || (Names::new(items, unloaded), Ranks::new(items)),
                );
                Lookups {
                    names: Arc::new(names),
                    glossary: Arc::new(glossary),
                    ranks: Arc::new(ranks),
                }
            }
        };
        timer.lap("r:lookup");
        lookups
    }

    /// What converting the bodies of `items` needs.
    fn bodies<'a>(
        &'a self,
        items: &'a [Arc<Item>],
        keys: &'a Keys,
        urls: &'a [String],
        included: &'a [bool],
        assets: &'a Assets,
    ) -> Bodies<'a> {
        Bodies {
            items,
            names: &self.names,
            keys,
            glossary: &self.glossary,
            urls,
            included,
            assets,
        }
    }
}

/// Each item with what resolution made of it.
fn entries(
    items: Vec<Arc<Item>>,
    bodies: Vec<Arc<Converted>>,
    urls: Vec<String>,
    included: Vec<bool>,
    cites: Vec<Vec<usize>>,
) -> Vec<Entry> {
    items
        .into_iter()
        .zip(bodies)
        .zip(urls)
        .zip(included)
        .zip(cites)
        .map(|((((item, body), url), included), cites)| Entry {
            item,
            url,
            body,
            included,
            relations: Vec::new(),
            cites,
        })
        .collect()
}

/// A fingerprint of the formatted bibliography, for `LinkCache::same_facts`.
fn fingerprint(references: Option<&crate::site::References>) -> u64 {
    let mut h = DefaultHasher::new();
    if let Some(r) = references {
        for e in &r.entries {
            (&e.key, &e.html).hash(&mut h);
        }
    }
    h.finish()
}

/// What converting the bodies needs of the corpus.
struct Bodies<'a> {
    items: &'a [Arc<Item>],
    names: &'a Names,
    keys: &'a Keys,
    glossary: &'a Glossary,
    urls: &'a [String],
    included: &'a [bool],
    assets: &'a Assets,
}

impl Bodies<'_> {
    /// Every body converted, but for those `kept` gives (by entry), in parallel.
    fn convert(
        &self,
        config: &Config,
        options: BuildOptions,
        kept: &(dyn Fn(usize) -> Option<Arc<Converted>> + Sync),
    ) -> Vec<Arc<Converted>> {
        self.with_context(config, options, |ctx| {
            (0..self.items.len())
                .into_par_iter()
                .map(|i| kept(i).unwrap_or_else(|| Arc::new(markdown::convert(EntryId(i), ctx))))
                .collect()
        })
    }

    /// The bodies of `ids` converted, one after another on this thread.
    fn convert_only(
        &self,
        config: &Config,
        options: BuildOptions,
        ids: &[EntryId],
    ) -> Vec<Arc<Converted>> {
        self.with_context(config, options, |ctx| {
            ids.iter()
                .map(|&id| Arc::new(markdown::convert(id, ctx)))
                .collect()
        })
    }

    /// `work` given what conversion looks links up in.
    fn with_context<R>(
        &self,
        config: &Config,
        options: BuildOptions,
        work: impl FnOnce(&LinkContext) -> R,
    ) -> R {
        let targets = SiteTargets {
            items: self.items,
            names: self.names,
            keys: self.keys,
            glossary: self.glossary,
        };
        let anchors = markdown::anchors(self.items.len());
        work(&LinkContext {
            items: self.items,
            targets: &targets,
            urls: self.urls,
            included: self.included,
            facilitator: options.facilitator,
            autolink: config.autolink,
            base_path: &config.base_path,
            anchors: &anchors,
            assets: self.assets,
            strings: &config.strings,
        })
    }
}

/// Builds listings, sessions and typed backlinks.
fn assemble(entries: Vec<Entry>, config: Config, options: BuildOptions, cache: &LinkCache) -> Site {
    let (matter_refs, ranks) = (&cache.matter_refs, &*cache.lookups.ranks);
    let entries: Vec<Arc<Entry>> = entries.into_iter().map(Arc::new).collect();
    let of_kind = |kind: Kind, rank: &[usize]| -> Vec<EntryId> {
        let mut v: Vec<usize> = (0..entries.len())
            .filter(|&i| {
                entries[i].included && entries[i].item.kind == kind && !entries[i].item.is_home()
            })
            .collect();
        v.sort_by_key(|&i| rank[i]);
        v.into_iter().map(EntryId).collect()
    };
    let essays = of_kind(Kind::Essay, &ranks.listing);
    let questions = of_kind(Kind::Question, &ranks.listing);
    let terms = of_kind(Kind::Term, &ranks.alpha);
    let pages = of_kind(Kind::Page, &ranks.alpha);
    let home = entries
        .iter()
        .position(|e| e.item.is_home() && e.included)
        .map(EntryId);
    let (sessions, relations) = connect(&entries, matter_refs, ranks, &essays, &questions);
    let entries: Vec<Arc<Entry>> = entries
        .into_iter()
        .zip(relations)
        .map(|(e, relations)| {
            let mut e = Arc::unwrap_or_clone(e);
            e.relations = relations;
            Arc::new(e)
        })
        .collect();
    let tags = tags::gather(&entries, &essays);
    Site {
        config,
        options,
        entries,
        essays,
        terms,
        questions,
        sessions,
        pages,
        home,
        tags,
        references: None,
    }
}

/// The sessions, with their readings, questions and terms to know, and every entry's typed
/// relations, from the links and front matter of `entries`.
fn connect(
    entries: &[Arc<Entry>],
    matter_refs: &[matter::MatterRef],
    ranks: &Ranks,
    essays: &[EntryId],
    questions: &[EntryId],
) -> (Vec<crate::site::Session>, Vec<Vec<crate::site::Relation>>) {
    let timer = crate::timing::Timer::start();
    let graph = LinkGraph::new(entries, matter_refs, ranks);
    timer.lap("a:graph");
    let sessions = graph.sessions(essays, questions);
    let relations = graph.relations(&sessions);
    timer.lap("a:relate");
    (sessions, relations)
}

#[cfg(test)]
mod tests;
