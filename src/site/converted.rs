//! An item's body after conversion: its HTML and what it links to, headings, text and problems.

use serde::Serialize;

use super::EntryId;
use crate::diagnostics::Diagnostic;

/// What an item's body links to and where, plus its HTML.
#[derive(Debug, Clone, Default)]
pub struct Converted {
    pub html: String,
    /// Every heading in the output, in order.
    pub headings: Vec<Heading>,
    /// Every heading id, including those in facilitator notes of a public build, so that links to
    /// them validate the same in every build.
    pub ids: Vec<String>,
    pub links: Vec<OutLink>,
    pub fragments: Vec<FragmentRef>,
    pub diagnostics: Vec<Diagnostic>,
    /// The visible text, for search and word counts.
    pub text: String,
    /// Where each of `headings` starts in `text` (byte offsets), so search can split the text
    /// into sections.
    pub heading_offsets: Vec<usize>,
    /// Where the text of each link to another page is in `text` (byte ranges, in order) and
    /// the page it links to, so search can tell a page's own words from the titles it links to,
    /// and read what other pages call a page.
    pub link_spans: Vec<LinkSpan>,
    pub words: usize,
    pub has_notes: bool,
    /// The ids of headings inside facilitator notes: public text must not link to them.
    pub note_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The text of a link to another page: `text[start..end]` links to `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSpan {
    pub start: usize,
    pub end: usize,
    pub target: EntryId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutLink {
    pub target: EntryId,
    /// Made by glossary auto-linking rather than written by the author.
    pub auto: bool,
}

/// A `#heading-id` on a link to an item, checked once every item's headings are known.
#[derive(Debug, Clone)]
pub struct FragmentRef {
    pub target: EntryId,
    pub id: String,
    pub line: usize,
    pub col: usize,
    /// Written inside facilitator notes, where a link to another note's heading is fine.
    pub in_notes: bool,
}
