//! Loading content/: every Markdown file becomes a typed `Item` with its front matter checked.
//! Nothing here knows about links or HTML.

pub mod bibliography;
mod builder;
mod files;
pub mod front_matter;
mod item;
pub mod source;
mod yaml;
mod yaml_limits;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

pub use bibliography::Bibliography;
pub use builder::CorpusBuilder;
pub use files::{find_files, kind_of, read_item};
pub use front_matter::{Citation, Date, EssaySource};
pub use item::parse_item;
pub use source::Source;

use crate::config::{Autolink, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, Warned};

pub const CONTENT_DIR: &str = "content";

/// The text `lectern new` writes for an author to replace. Left in place, it would reach hover
/// cards, listings and search, so a check warns about it.
pub const PLACEHOLDERS: [&str; 5] = [
    "Write the essay here.",
    "One plain sentence that defines the term.",
    "Explain the term here.",
    "Context and follow-up prompts for the group.",
    "The plan for this meeting.",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Essay,
    Term,
    Question,
    Session,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Essay,
        Kind::Term,
        Kind::Question,
        Kind::Session,
        Kind::Page,
    ];

    /// The folder under content/ that holds this kind (pages live in content/ itself).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Essay => "essays",
            Kind::Term => "glossary",
            Kind::Question => "questions",
            Kind::Session => "sessions",
            Kind::Page => "",
        }
    }

    /// The name used in `[[kind/slug]]` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Essay => "essay",
            Kind::Term => "term",
            Kind::Question => "question",
            Kind::Session => "session",
            Kind::Page => "page",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What each kind carries beyond the common fields.
#[derive(Debug, Clone)]
pub enum Meta {
    Essay {
        author: Option<String>,
        date: Option<Date>,
        summary: Option<String>,
        session: Option<u32>,
        order: Option<i64>,
        tags: Vec<String>,
        source: Option<EssaySource>,
    },
    Term {
        summary: String,
        aliases: Vec<String>,
        related: Vec<String>,
    },
    Question {
        essays: Vec<String>,
        terms: Vec<String>,
        related: Vec<String>,
        session: Option<u32>,
        order: Option<i64>,
        kind: Option<String>,
    },
    Session {
        number: u32,
        date: Option<Date>,
        summary: Option<String>,
        essays: Vec<String>,
        questions: Vec<String>,
        /// Start (hour, minute) and length in minutes, for the group's calendar.
        time: Option<(u8, u8)>,
        duration: Option<u32>,
    },
    Page {
        is_home: bool,
    },
}

/// One content file, its front matter checked for shape (not yet for references).
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: Kind,
    pub slug: String,
    /// Relative to the site root, e.g. `content/essays/trust.md`.
    pub path: PathBuf,
    pub source: Source,
    pub title: String,
    pub draft: bool,
    pub autolink: Option<Autolink>,
    /// The image a shared link to the page shows (front matter `image`).
    pub image: Option<String>,
    pub meta: Meta,
}

impl Item {
    pub fn session(&self) -> Option<u32> {
        match &self.meta {
            Meta::Essay { session, .. } | Meta::Question { session, .. } => *session,
            Meta::Session { number, .. } => Some(*number),
            _ => None,
        }
    }

    pub fn order(&self) -> Option<i64> {
        match &self.meta {
            Meta::Essay { order, .. } | Meta::Question { order, .. } => *order,
            _ => None,
        }
    }

    pub fn summary(&self) -> Option<&str> {
        match &self.meta {
            Meta::Essay { summary, .. } | Meta::Session { summary, .. } => summary.as_deref(),
            Meta::Term { summary, .. } => Some(summary),
            _ => None,
        }
    }

    pub fn date(&self) -> Option<Date> {
        match &self.meta {
            Meta::Essay { date, .. } | Meta::Session { date, .. } => *date,
            _ => None,
        }
    }

    pub fn is_home(&self) -> bool {
        matches!(self.meta, Meta::Page { is_home: true })
    }

    /// The key this item is stored under: the slug, or the number for sessions.
    pub fn key(&self) -> String {
        match &self.meta {
            Meta::Session { number, .. } => number.to_string(),
            _ => self.slug.clone(),
        }
    }
}

/// Every content file of a site, in path order.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Shared: a preview keeps the items of files that did not change from one rebuild to the
    /// next, and the resolved site holds the same ones.
    pub items: Vec<Arc<Item>>,
    /// The files that failed to load, by the names they would have had.
    pub unloaded: Vec<Unloaded>,
    /// content/references.bib or content/references.yaml, when the site has one that reads.
    pub bibliography: Option<std::sync::Arc<Bibliography>>,
    /// Whether the site has a bibliography file that failed to read (its errors say why).
    pub bibliography_unread: bool,
}

impl Corpus {
    /// The corpus of files read one by one (in path order), with every problem they had and
    /// the clashes between them.
    pub fn assemble(reads: impl IntoIterator<Item = Result<Arc<Item>, Failed>>) -> Warned<Corpus> {
        let mut corpus = Corpus::default();
        let mut diags = Diagnostics::new();
        for read in reads {
            match read {
                Ok(item) => corpus.items.push(item),
                Err(failed) => {
                    diags.extend(failed.problems);
                    match failed.partial {
                        Partial::Item(item) => corpus.items.push(Arc::new(*item)),
                        Partial::Names(names) => corpus.unloaded.push(*names),
                    }
                }
            }
        }
        check_duplicates(&corpus.items, &mut diags);
        Warned::new(corpus, diags)
    }
}

/// The names of a content file that failed to load: enough to recognise references to it, so
/// that one mistake in a file is reported once, not again at every link to the file.
#[derive(Debug, Clone)]
pub struct Unloaded {
    pub path: PathBuf,
    pub kind: Kind,
    pub slug: String,
    /// A session's `number`, as written.
    pub number: Option<String>,
    /// A term's name and aliases, lowercased.
    pub names: Vec<String>,
}

/// A content file that did not load cleanly: every problem found in it, and what the rest of
/// the site can still know of it.
#[derive(Debug, Clone)]
pub struct Failed {
    /// At least one.
    pub problems: Vec<Diagnostic>,
    pub partial: Partial,
}

/// What is left of a file that did not load cleanly.
#[derive(Debug, Clone)]
pub enum Partial {
    /// The item without its front-matter keys in error: its body and the links to it are still
    /// checked with the rest of the site.
    Item(Box<Item>),
    /// Not even that: only the names it would have had.
    Names(Box<Unloaded>),
}

/// Walks content/ and parses every file. Problems come with whatever did load, so that later
/// stages can report their own problems too.
pub fn load(config: &Config) -> Warned<Corpus> {
    let mut diags = Diagnostics::new();
    let files = find_files(&config.root, &mut diags);
    let reads: Vec<Result<Arc<Item>, Failed>> = files
        .par_iter()
        .map(|(path, kind)| read_item(&config.root, path, *kind).map(Arc::new))
        .collect();
    let mut corpus = Corpus::assemble(reads).take(&mut diags);
    let bibliography = bibliography::load(&config.root);
    corpus.bibliography_unread = bibliography.diagnostics.has_errors();
    corpus.bibliography = bibliography.take(&mut diags);
    Warned::new(corpus, diags)
}

fn check_duplicates(items: &[Arc<Item>], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<(Kind, String), &Path> = BTreeMap::new();
    for item in items {
        if item.is_home() {
            continue;
        }
        let key = (item.kind, item.key());
        match seen.get(&key) {
            Some(first) => diags.push(duplicate(item, &key.1, first)),
            None => {
                seen.insert(key, &item.path);
            }
        }
    }
}

/// The error for `item`, whose key `key` the earlier file `first` has too.
fn duplicate(item: &Item, key: &str, first: &Path) -> Diagnostic {
    let (message, hint, (line, col)) = match item.kind {
        Kind::Session => (
            format!(
                "session number {key} is already used by {}",
                first.display()
            ),
            "give each session its own `number`",
            front_matter::locate(&item.source, "number", key),
        ),
        _ => (
            format!(
                "duplicate {} slug `{key}`: {} has it too",
                item.kind.name(),
                first.display()
            ),
            "slugs come from file names and must be unique within a kind; rename one file",
            (1, 1),
        ),
    };
    Diagnostic::error(&item.path, line, col, message)
        .with_source(&item.source)
        .with_hint(hint)
}
