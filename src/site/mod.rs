//! The resolved site: every item with its URL, HTML body and typed backlinks. Built once by
//! `links::resolve` and never changed afterwards, so every page renders from the same facts.

mod assets;
mod converted;
mod references;

use std::sync::Arc;

pub use assets::{Assets, Size};
pub use converted::{
    Cite, CiteItem, Converted, FragmentRef, Heading, LinkSpan, OutLink, cite_marker,
};
pub use references::{Reference, References, entry_id, fragment, reference_id};

use crate::config::Config;
use crate::content::{Item, Kind};

/// What a build includes beyond the public site, and how strict it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct BuildOptions {
    pub drafts: bool,
    pub facilitator: bool,
    /// Warnings stop the build as errors do (`--strict`).
    pub strict: bool,
    /// The output folder is replaced even if it holds files no build wrote (`--clean`).
    pub clean: bool,
}

/// An entry's place in `Site::entries` (the corpus's path order): how entries name each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryId(pub usize);

impl EntryId {
    pub fn index(self) -> usize {
        self.0
    }
}

/// One item after resolution.
#[derive(Debug, Clone)]
pub struct Entry {
    pub item: Arc<Item>,
    /// Site path, under the base path: `/course/essays/trust/`.
    pub url: String,
    /// Shared, so that a rebuild can keep the conversions of files that did not change.
    pub body: Arc<Converted>,
    /// Whether this build writes a page for it (drafts only with --drafts).
    pub included: bool,
    /// Labelled lists of related entries, e.g. ("Discussion questions", [..]).
    pub relations: Vec<Relation>,
    /// The works its body cites, as places in `Site::references`, in the list's order.
    pub cites: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// A stable name for templates and styling: `questions`, `terms`, `essays`, …
    pub key: &'static str,
    /// What the list holds, as a key of the interface strings' `relations` table:
    /// `discussion_questions`, `key_terms`, `read_in`, …
    pub label: &'static str,
    pub entries: Vec<EntryId>,
}

/// A session with its readings and questions gathered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub entry: EntryId,
    pub number: u32,
    pub essays: Vec<EntryId>,
    pub questions: Vec<EntryId>,
    pub terms: Vec<EntryId>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub options: BuildOptions,
    /// Every content item, drafts included (see `Entry::included`), in path order. Shared, so
    /// that a preview's revision of one entry copies no other.
    pub entries: Vec<Arc<Entry>>,
    /// Included essays in listing order.
    pub essays: Vec<EntryId>,
    /// Included terms, A–Z.
    pub terms: Vec<EntryId>,
    /// Included questions in listing order.
    pub questions: Vec<EntryId>,
    /// Sessions by number.
    pub sessions: Vec<Session>,
    /// Included pages other than the home page, by title.
    pub pages: Vec<EntryId>,
    pub home: Option<EntryId>,
    /// The bibliography formatted, when the site has one.
    pub references: Option<References>,
    /// The essays' tags, by name, each with what carries it.
    pub tags: Vec<Tag>,
}

/// A tag and the included entries that carry it, in listing order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// As first written.
    pub name: String,
    /// Its address under `/tags/`.
    pub slug: String,
    pub entries: Vec<EntryId>,
}

impl Site {
    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.entries[id.index()]
    }

    /// The included entries, in path order.
    pub fn included(&self) -> impl Iterator<Item = (EntryId, &Entry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.included)
            .map(|(i, e)| (EntryId(i), &**e))
    }

    /// Frees every content file's text. Once a site is resolved, rendering and search read only
    /// the converted bodies: a build that will not resolve again need not keep what a large
    /// course's files say twice. An item shared elsewhere (a preview's files) is left whole.
    pub fn release_sources(&mut self) {
        for e in self.entries.iter_mut().filter_map(Arc::get_mut) {
            if let Some(item) = Arc::get_mut(&mut e.item) {
                item.source.release();
            }
        }
    }

    /// Frees every converted body (its HTML and its plain text), once the pages are written and
    /// the search documents made: a build that will not render again need not hold a course's
    /// text while it builds the index. A body shared elsewhere (a preview's cache) is left whole.
    pub fn release_bodies(&mut self) {
        for e in self.entries.iter_mut().filter_map(Arc::get_mut) {
            if let Some(body) = Arc::get_mut(&mut e.body) {
                *body = Converted::default();
            }
        }
    }

    /// Whether the site has an Atom feed: an included essay or session with a date (an entry
    /// needs one), and a base URL with a host (a feed holds full addresses).
    pub fn has_feed(&self) -> bool {
        self.config.has_host()
            && self.included().any(|(_, e)| {
                matches!(e.item.kind, Kind::Essay | Kind::Session) && e.item.date().is_some()
            })
    }

    /// Whether the site has a calendar: a session with a date.
    pub fn has_calendar(&self) -> bool {
        self.sessions
            .iter()
            .any(|s| self.entry(s.entry).item.date().is_some())
    }

    /// The session an entry is read or discussed in (a session's own, for a session).
    pub fn session_of(&self, id: EntryId) -> Option<&Session> {
        self.session_place(id).map(|p| &self.sessions[p])
    }

    /// The place in `sessions` (which are in order of number) of the session of `id`.
    pub fn session_place(&self, id: EntryId) -> Option<usize> {
        let number = self.entry(id).item.session()?;
        self.sessions
            .binary_search_by_key(&number, |s| s.number)
            .ok()
    }

    /// Counts for the summary `lectern check` prints.
    pub fn stats(&self) -> Stats {
        let mut stats = Stats::default();
        for (_, e) in self.included() {
            for l in &e.body.links {
                if l.auto {
                    stats.auto_links += 1
                } else {
                    stats.links += 1
                }
            }
            stats.backlinks += e.relations.iter().map(|r| r.entries.len()).sum::<usize>();
            stats.citations += e.body.citations.len();
        }
        stats
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.included().filter(|(_, e)| e.item.kind == kind).count()
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Links written by authors: wikilinks and links to content files.
    pub links: usize,
    /// Glossary mentions linked automatically.
    pub auto_links: usize,
    /// Citations the pages show.
    pub citations: usize,
    /// Entries in the typed connection lists of all pages.
    pub backlinks: usize,
}

/// The URL path of an item under `base_path`.
pub fn url_for(base_path: &str, item: &Item) -> String {
    match item.kind {
        Kind::Page if item.is_home() => base_path.to_string(),
        Kind::Page => format!("{base_path}{}/", item.slug),
        Kind::Session => format!("{base_path}sessions/{}/", item.key()),
        kind => format!("{base_path}{}/{}/", kind.folder(), item.slug),
    }
}
