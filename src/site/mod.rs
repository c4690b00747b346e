//! The resolved site: every item with its URL, HTML body and typed backlinks. Built once by
//! `links::resolve` and never changed afterwards, so every page renders from the same facts.

mod converted;

use std::sync::Arc;

pub use converted::{Converted, FragmentRef, Heading, LinkSpan, OutLink};

use crate::config::Config;
use crate::content::{Item, Kind, Meta};

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
    pub item: Item,
    /// Site path, under the base path: `/course/essays/trust/`.
    pub url: String,
    /// Shared, so that a rebuild can keep the conversions of files that did not change.
    pub body: Arc<Converted>,
    /// Whether this build writes a page for it (drafts only with --drafts).
    pub included: bool,
    /// Labelled lists of related entries, e.g. ("Discussion questions", [..]).
    pub relations: Vec<Relation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// A stable name for templates and styling: `questions`, `terms`, `essays`, …
    pub key: &'static str,
    pub label: &'static str,
    pub entries: Vec<EntryId>,
}

/// A session with its readings and questions gathered.
#[derive(Debug, Clone)]
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
    /// Every content item, drafts included (see `Entry::included`), in path order.
    pub entries: Vec<Entry>,
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
            .map(|(i, e)| (EntryId(i), e))
    }

    /// The session an entry is read or discussed in (a session's own, for a session).
    pub fn session_of(&self, id: EntryId) -> Option<&Session> {
        let item = &self.entry(id).item;
        let number = match item.meta {
            Meta::Session { number, .. } => Some(number),
            _ => item.session(),
        }?;
        self.sessions.iter().find(|s| s.number == number)
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
