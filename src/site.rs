//! The resolved site: every item with its URL, HTML body and typed backlinks. Built once by
//! `links::resolve` and never changed afterwards, so every page renders from the same facts.

use std::sync::Arc;

use crate::config::Config;
use crate::content::{Item, Kind, Meta};
use crate::render::markdown::Converted;

/// What a build includes beyond the public site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildOptions {
    pub drafts: bool,
    pub facilitator: bool,
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
    pub entries: Vec<usize>,
}

/// A session with its readings and questions gathered.
#[derive(Debug, Clone)]
pub struct Session {
    pub entry: usize,
    pub number: u32,
    pub essays: Vec<usize>,
    pub questions: Vec<usize>,
    pub terms: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Site {
    /// `links::facts` of the build: equal between two builds when only bodies changed.
    pub facts: u64,
    pub config: Config,
    pub options: BuildOptions,
    /// Every content item, drafts included (see `Entry::included`), in path order.
    pub entries: Vec<Entry>,
    /// Included essays in listing order.
    pub essays: Vec<usize>,
    /// Included terms, A–Z.
    pub terms: Vec<usize>,
    /// Included questions in listing order.
    pub questions: Vec<usize>,
    /// Sessions by number.
    pub sessions: Vec<Session>,
    /// Included pages other than the home page, by title.
    pub pages: Vec<usize>,
    pub home: Option<usize>,
    /// The glossary's automaton: a rebuild with the same facts reuses it.
    pub(crate) autolinker: std::sync::Arc<crate::links::autolink::Autolinker>,
}

impl Site {
    pub fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    /// The included entries, in path order.
    pub fn included(&self) -> impl Iterator<Item = (usize, &Entry)> {
        self.entries.iter().enumerate().filter(|(_, e)| e.included)
    }

    pub fn session_of(&self, entry: usize) -> Option<&Session> {
        let number = match self.entries[entry].item.meta {
            Meta::Session { number, .. } => Some(number),
            _ => self.entries[entry].item.session(),
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
