//! The bibliography as the site shows it: every entry formatted in the site's citation style,
//! in the style's order, with the pages that cite it.

use std::collections::HashMap;

use super::EntryId;

#[derive(Debug, Clone, Default)]
pub struct References {
    /// The style's name as its authors give it: "APA Style 7th edition".
    pub style: String,
    /// Every entry of the bibliography, in the order the style lists them.
    pub entries: Vec<Reference>,
    /// Whether the style sets its list with a hanging indent.
    pub hanging_indent: bool,
    /// Each key's place in `entries`.
    pub by_key: HashMap<String, usize>,
}

impl References {
    pub fn get(&self, key: &str) -> Option<&Reference> {
        self.entries.get(*self.by_key.get(key)?)
    }
}

/// One entry, formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub key: String,
    /// The full reference, as HTML: its web address or DOI a link.
    pub html: String,
    /// The same as plain text, for hover cards and search.
    pub text: String,
    /// The work's title, plain.
    pub title: String,
    /// Its authors' names, given name first: what a reader searches for it by.
    pub authors: Vec<String>,
    /// The included pages whose shown text cites it (an essay naming it as its `source` too),
    /// in listing order.
    pub cited_in: Vec<EntryId>,
}

/// The element id of the entry `key` on /references/: the key itself (an id holds no spaces).
pub fn entry_id(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect()
}

/// The element id of the entry `key` in a page's own list of references: what a citation on
/// the page links to.
pub fn reference_id(key: &str) -> String {
    format!("ref-{}", entry_id(key))
}

/// An element id as a URL fragment: characters a fragment cannot hold, percent-encoded.
pub fn fragment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_alphanumeric() || "-._~:/?@!$&'()*+,;=".contains(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}
