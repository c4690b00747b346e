//! Markdown → HTML for one item, with every reference resolved through the lookup it is given
//! (`Targets`): wikilinks, links to content files, glossary auto-links, heading ids, footnotes,
//! facilitator notes. Records what the item links to, so that backlinks are known before any
//! page is rendered.

mod citations;
mod cite;
mod converter;
mod footnotes;
mod images;
mod layout;
mod links;

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use std::sync::OnceLock;

use pulldown_cmark::{Options, Parser};

use crate::config::Autolink;
use crate::content::Item;
use crate::i18n::Strings;
use crate::site::{Assets, Converted, EntryId};

pub use layout::THEME_IDS;

/// How a reference resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(EntryId),
    Missing {
        suggestion: Option<String>,
    },
    /// Several items share the name: the qualified forms to choose from.
    Ambiguous(Vec<String>),
    /// A file that failed to load has the name: its own error says what is wrong.
    Unloaded,
}

/// How a citation key resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CiteLookup {
    /// The entry's place in the bibliography.
    Found(usize),
    Missing {
        suggestion: Option<String>,
    },
    /// The site has no bibliography.
    NoBibliography,
    /// The site's bibliography failed to read: its own error says why.
    Unloaded,
}

/// The rest of the site, as conversion sees it: the names links use, the glossary and the
/// bibliography.
pub trait Targets: Sync {
    /// The target part of a wikilink: `slug`, `kind/slug`, an alias, or `session/3`.
    fn lookup(&self, reference: &str) -> Lookup;
    /// A Markdown link to a content file, relative to the file `from` that holds it (or rooted
    /// at content/). `Missing` suggests a file name.
    fn lookup_path(&self, from: &Path, dest: &str) -> Lookup;
    /// Whole-word mentions of glossary terms in `text`: byte range and the term.
    fn mentions(&self, text: &str) -> Vec<(Range<usize>, EntryId)>;
    /// A citation's key.
    fn cite(&self, _key: &str) -> CiteLookup {
        CiteLookup::NoBibliography
    }
}

/// Everything conversion needs to know about the rest of the site.
pub struct LinkContext<'a> {
    pub items: &'a [Arc<Item>],
    pub targets: &'a dyn Targets,
    pub urls: &'a [String],
    /// Whether each item is part of this build (drafts are not, without --drafts).
    pub included: &'a [bool],
    pub facilitator: bool,
    pub autolink: Autolink,
    pub base_path: &'a str,
    /// Each item's link attributes, escaped once when first needed (`anchors()` makes the
    /// empty cells): a glossary term is linked from thousands of pages.
    pub anchors: &'a [OnceLock<Anchor>],
    /// The static files, which local images must be among.
    pub assets: &'a Assets,
    /// The interface's words, for the few a body carries (footnotes, facilitator notes).
    pub strings: &'a Strings,
}

impl LinkContext<'_> {
    fn item(&self, id: EntryId) -> &Item {
        &self.items[id.index()]
    }
}

/// The escaped parts of a link to one item: its URL, and its attributes after the class.
#[derive(Debug)]
pub struct Anchor {
    href: String,
    attrs: String,
}

/// One empty cell per item, for `LinkContext::anchors`.
pub fn anchors(items: usize) -> Vec<OnceLock<Anchor>> {
    (0..items).map(|_| OnceLock::new()).collect()
}

/// The Markdown extensions every body is read with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Converts item `me` of `ctx.items`.
pub fn convert(me: EntryId, ctx: &LinkContext) -> Converted {
    let item = ctx.item(me);
    let events: Vec<_> = Parser::new_ext(item.source.body(), options())
        .into_offset_iter()
        .collect();
    let events = footnotes::drop_repeated_definitions(events);
    let layout = layout::Layout::of(&events, ctx.facilitator);
    let mut result = converter::Converter::new(ctx, me, &layout).run(events);
    result.words = result.text.split_whitespace().count();
    result
}

#[cfg(test)]
mod tests;
