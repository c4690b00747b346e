//! Footnotes: numbered in order of first reference, their definitions gathered apart from the
//! flow and listed at the end with links back to each reference.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::i18n::Strings;
use crate::text::{escape_attr, heading_id};

/// A footnote defined twice keeps its first definition, as a link reference would: the events
/// of a later one are dropped before anything counts its headings, links or references.
pub fn drop_repeated_definitions<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut defined: HashSet<String> = HashSet::new();
    let mut dropping = false;
    events
        .into_iter()
        .filter(|(event, _)| match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                dropping = !defined.insert(name.to_string());
                !dropping
            }
            Event::End(TagEnd::FootnoteDefinition) if dropping => {
                dropping = false;
                false
            }
            _ => !dropping,
        })
        .collect()
}

/// The footnotes of one page as conversion meets them.
pub struct Footnotes<'a> {
    /// Names in order of first reference, with how often each was referenced.
    refs: Vec<(String, usize)>,
    /// Name → its place in `refs`.
    numbers: HashMap<String, usize>,
    /// Definitions, rendered apart from the flow.
    defs: Vec<(String, Vec<Event<'a>>)>,
    /// Name → the id its `fn-` and `fnref-` ids share, unique on the page.
    ids: HashMap<String, String>,
    /// Ids given out, and ids the page's headings make unavailable (`fn-x` makes `x` taken).
    taken: HashSet<String>,
    /// Per base id, the first suffix not yet known to be taken.
    next_suffix: HashMap<String, usize>,
}

impl<'a> Footnotes<'a> {
    /// Footnotes for a page whose headings have `heading_ids`.
    pub fn new(heading_ids: &[String]) -> Footnotes<'a> {
        let taken = heading_ids
            .iter()
            .filter_map(|h| h.strip_prefix("fn-").or_else(|| h.strip_prefix("fnref-")))
            .map(str::to_string)
            .collect();
        Footnotes {
            refs: Vec::new(),
            numbers: HashMap::new(),
            defs: Vec::new(),
            ids: HashMap::new(),
            taken,
            next_suffix: HashMap::new(),
        }
    }

    pub fn define(&mut self, name: String, events: Vec<Event<'a>>) {
        self.defs.push((name, events));
    }

    /// `<sup>` for a reference to footnote `name`, numbered in order of first reference.
    pub fn reference(&mut self, name: &str) -> String {
        let (number, count) = match self.numbers.get(name) {
            Some(&p) => {
                self.refs[p].1 += 1;
                (p + 1, self.refs[p].1)
            }
            None => {
                self.numbers.insert(name.to_string(), self.refs.len());
                self.refs.push((name.to_string(), 1));
                (self.refs.len(), 1)
            }
        };
        let id = self.id(name);
        let ref_id = if count == 1 {
            format!("fnref-{id}")
        } else {
            format!("fnref-{id}-{count}")
        };
        format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"{ref_id}\" role=\"doc-noteref\">{number}</a></sup>"
        )
    }

    /// The id shared by a footnote's `fn-` and `fnref-` ids: from its name, with a suffix when
    /// another name or a heading already gives the same.
    fn id(&mut self, name: &str) -> String {
        if let Some(id) = self.ids.get(name) {
            return id.clone();
        }
        let base = heading_id(name);
        let id = if self.taken.contains(&base) {
            let mut n = self.next_suffix.get(&base).copied().unwrap_or(1);
            let id = loop {
                let candidate = format!("{base}-{n}");
                n += 1;
                if !self.taken.contains(&candidate) {
                    break candidate;
                }
            };
            self.next_suffix.insert(base, n);
            id
        } else {
            base
        };
        self.taken.insert(id.clone());
        self.ids.insert(name.to_string(), id.clone());
        id
    }

    /// The footnotes section: referenced notes in order, each with links back to its
    /// references, labelled in the site's language. Nothing when the page defines no footnote.
    pub fn render(mut self, html: &mut String, strings: &Strings) {
        if self.defs.is_empty() {
            return;
        }
        let mut defs = std::mem::take(&mut self.defs);
        defs.sort_by_key(|(name, _)| self.numbers.get(name).copied().unwrap_or(usize::MAX));
        let back = escape_attr(strings.get("back_to_reference"));
        html.push_str(&format!(
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"{}\">\n<ol>\n",
            escape_attr(strings.get("notes"))
        ));
        for (name, events) in defs {
            let id = self.id(&name);
            let mut body = String::new();
            pulldown_cmark::html::push_html(&mut body, events.into_iter());
            let count = self.numbers.get(&name).map_or(0, |&p| self.refs[p].1);
            let backrefs: String = (1..=count)
                .map(|k| {
                    let target = if k == 1 { format!("fnref-{id}") } else { format!("fnref-{id}-{k}") };
                    format!(" <a href=\"#{target}\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"{back}\">↩</a>")
                })
                .collect();
            let body = body.trim_end();
            let body = match body.strip_suffix("</p>") {
                Some(head) => format!("{head}{backrefs}</p>"),
                None => format!("{body}{backrefs}"),
            };
            html.push_str(&format!("<li id=\"fn-{id}\">\n{body}\n</li>\n"));
        }
        html.push_str("</ol>\n</section>\n");
    }
}
