//! Citations across the site: keys resolved (with "did you mean"), an essay's `source` key
//! checked, every citation formatted at once (see `csl`) and written in place of its marker,
//! and which pages cite each work ("cited in" on /references/).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::csl;
use crate::config::Config;
use crate::content::{Bibliography, EssaySource, Item, Kind, Meta, front_matter};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::markdown::CiteLookup;
use crate::site::{BuildOptions, Converted, EntryId, References};

/// The bibliography's keys, for resolving citations.
#[derive(Debug, Default)]
pub struct Keys {
    by_key: HashMap<String, usize>,
    keys: Vec<String>,
    present: bool,
    unread: bool,
}

impl Keys {
    /// The keys of `bibliography`; `unread` when the site has one that failed to read.
    pub fn new(bibliography: Option<&Bibliography>, unread: bool) -> Keys {
        let keys: Vec<String> = bibliography
            .map(|b| b.keys().map(str::to_string).collect())
            .unwrap_or_default();
        Keys {
            by_key: keys
                .iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), i))
                .collect(),
            keys,
            present: bibliography.is_some(),
            unread,
        }
    }

    pub fn lookup(&self, key: &str) -> CiteLookup {
        if let Some(&i) = self.by_key.get(key) {
            return CiteLookup::Found(i);
        }
        if self.unread {
            CiteLookup::Unloaded
        } else if !self.present {
            CiteLookup::NoBibliography
        } else {
            CiteLookup::Missing {
                suggestion: did_you_mean(key, self.keys.iter().map(String::as_str)),
            }
        }
    }
}

/// What front matter and file names must be for citations: an essay's `source` that names a
/// key names one the bibliography has, and no page takes /references/ from the bibliography.
pub(super) fn check_matter(items: &[Arc<Item>], keys: &Keys, diags: &mut Diagnostics) {
    if keys.present || keys.unread {
        super::checks::check_references_page(items, diags);
    }
    check_sources(items, keys, diags);
}

/// An essay's `source` that names a key must name one the bibliography has.
fn check_sources(items: &[Arc<Item>], keys: &Keys, diags: &mut Diagnostics) {
    for item in items {
        let Meta::Essay {
            source: Some(EssaySource::Key(key)),
            ..
        } = &item.meta
        else {
            continue;
        };
        let (message, hint) = match keys.lookup(key) {
            CiteLookup::Found(_) | CiteLookup::Unloaded => continue,
            CiteLookup::NoBibliography => (
                format!("`source` names `{key}`, but the site has no bibliography"),
                "add the work to content/references.bib, or write it out: `source: {title: …, author: …, year: …, url: …}`".to_string(),
            ),
            CiteLookup::Missing { suggestion } => (
                format!("`source` names `{key}`, which the bibliography does not have"),
                match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "name the key of an entry in the bibliography".to_string(),
                },
            ),
        };
        let (line, col) = front_matter::locate(&item.source, "source", key);
        diags.push(
            Diagnostic::error(&item.path, line, col, message)
                .with_source(&item.source)
                .with_hint(hint),
        );
    }
}

/// What formatting the citations made of the bodies.
pub(super) struct Cited {
    pub bodies: Vec<Arc<Converted>>,
    pub references: Option<References>,
    /// By entry: the works its body cites, as places in the references, in their order.
    pub cites: Vec<Vec<usize>>,
    /// By entry: its citations as written, (HTML, plain text) in marker order.
    pub forms: Vec<Vec<(String, String)>>,
    /// What the engine made, for the next rebuild.
    pub made: Option<csl::Made>,
}

/// Formats every citation the `included` bodies show, writes each in place of its marker, and
/// records which pages cite each work.
pub(super) fn format(
    bibliography: Option<&Bibliography>,
    items: &[Arc<Item>],
    bodies: Vec<Arc<Converted>>,
    included: &[bool],
    config: &Config,
    kept: Option<&csl::Made>,
    diags: &mut Diagnostics,
) -> Cited {
    let none = |bodies| Cited {
        bodies,
        references: None,
        cites: vec![Vec::new(); items.len()],
        forms: vec![Vec::new(); items.len()],
        made: None,
    };
    let Some(bibliography) = bibliography else {
        return none(bodies);
    };
    let Some((formatted, made)) = csl::format(bibliography, config, &bodies, included, kept) else {
        diags.push(Diagnostic::general(format!(
            "the citation style `{}` could not be read",
            config.citation_style
        )));
        return none(bodies);
    };
    let mut references = formatted.references;
    let mut cites = vec![Vec::new(); items.len()];
    let keys: Vec<&str> = bibliography.keys().collect();
    let place = |entry: usize| {
        keys.get(entry)
            .and_then(|k| references.by_key.get(*k))
            .copied()
    };
    let mut cited_in: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); references.entries.len()];
    for (e, body) in bodies.iter().enumerate().filter(|(e, _)| included[*e]) {
        let shown: BTreeSet<usize> = body
            .citations
            .iter()
            .flat_map(|c| c.items.iter().filter_map(|i| place(i.entry)))
            .collect();
        for &p in &shown {
            cited_in[p].insert(e);
        }
        if let Meta::Essay {
            source: Some(EssaySource::Key(key)),
            ..
        } = &items[e].meta
            && let Some(&p) = references.by_key.get(key)
        {
            cited_in[p].insert(e);
        }
        cites[e] = shown.into_iter().collect();
    }
    for (reference, pages) in references.entries.iter_mut().zip(cited_in) {
        let mut pages: Vec<EntryId> = pages.into_iter().map(EntryId).collect();
        pages.sort_by_key(|id| page_order(&items[id.index()]));
        reference.cited_in = pages;
    }
    let bodies = bodies
        .into_iter()
        .zip(&formatted.citations)
        .map(|(body, forms)| written(body, forms))
        .collect();
    Cited {
        bodies,
        references: Some(references),
        cites,
        forms: formatted.citations,
        made: Some(made),
    }
}

/// `body` with each citation marker replaced by its form, (HTML, plain text) in marker order.
pub(super) fn written(body: Arc<Converted>, forms: &[(String, String)]) -> Arc<Converted> {
    if forms.is_empty() {
        return body;
    }
    let mut written = Converted::clone(&body);
    written.html = replace_markers(&body.html, forms, |f| &f.0, &mut Vec::new());
    let mut moved = Vec::new();
    written.text = replace_markers(&body.text, forms, |f| &f.1, &mut moved);
    shift_offsets(&mut written, &moved);
    Arc::new(written)
}

/// Where a page comes among the pages that cite a work: essays, sessions, questions, terms,
/// then pages, each by title.
fn page_order(item: &Item) -> (usize, String) {
    let kind = [
        Kind::Essay,
        Kind::Session,
        Kind::Question,
        Kind::Term,
        Kind::Page,
    ]
    .iter()
    .position(|k| *k == item.kind)
    .unwrap_or(0);
    let session = item.session().unwrap_or(u32::MAX);
    (kind, format!("{session:010}{}", item.title.to_lowercase()))
}

/// Warns of each entry that no file cites, shown or not, nor names as its `source`: with
/// `--strict` only, where warnings are errors (a course may list works it does not cite).
pub(super) fn warn_uncited(
    bibliography: Option<&Bibliography>,
    options: BuildOptions,
    items: &[Arc<Item>],
    bodies: &[Arc<Converted>],
    diags: &mut Diagnostics,
) {
    let Some(bibliography) = bibliography.filter(|_| options.strict) else {
        return;
    };
    let mut cited = vec![false; bibliography.library.len()];
    for body in bodies {
        let shown = body
            .citations
            .iter()
            .flat_map(|c| &c.items)
            .map(|i| i.entry);
        for entry in shown.chain(body.cited_unshown.iter().copied()) {
            if let Some(c) = cited.get_mut(entry) {
                *c = true;
            }
        }
    }
    let sources: BTreeSet<&str> = items
        .iter()
        .filter_map(|item| match &item.meta {
            Meta::Essay {
                source: Some(EssaySource::Key(key)),
                ..
            } => Some(key.as_str()),
            _ => None,
        })
        .collect();
    for (i, key) in bibliography.keys().enumerate() {
        if !cited[i] && !sources.contains(key) {
            diags.push(
                bibliography
                    .warning_at(i, format!("`{key}` is in the bibliography but never cited"))
                    .with_hint(format!(
                        "cite it where it is used, e.g. `[@{key}]`, or remove the entry"
                    )),
            );
        }
    }
}

/// `text` with each citation marker (NUL, number, NUL) replaced by its form. `moved` gets,
/// for each marker, where the text after it started and starts now (byte offsets), in order.
fn replace_markers<T>(
    text: &str,
    forms: &[T],
    form: impl Fn(&T) -> &String,
    moved: &mut Vec<(usize, usize)>,
) -> String {
    let mut out = String::with_capacity(text.len() + forms.len() * 64);
    let mut rest = text;
    while let Some(start) = rest.find('\0') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('\0') else {
            rest = after;
            continue;
        };
        if let Some(f) = after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|n| forms.get(n))
        {
            out.push_str(form(f));
        }
        rest = &after[end + 1..];
        moved.push((text.len() - rest.len(), out.len()));
    }
    out.push_str(rest);
    out
}

/// Moves the offsets into a body's text (where its sections start, where its links' text is)
/// to where they fall once its citation markers are replaced; `moved` as `replace_markers`
/// gives it.
fn shift_offsets(body: &mut Converted, moved: &[(usize, usize)]) {
    let shift = |offset: usize| {
        let passed = moved.partition_point(|&(old, _)| old <= offset);
        match passed.checked_sub(1).map(|i| moved[i]) {
            Some((old, new)) => offset - old + new,
            None => offset,
        }
    };
    for offset in &mut body.heading_offsets {
        *offset = shift(*offset);
    }
    for span in &mut body.link_spans {
        span.start = shift(span.start);
        span.end = shift(span.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_replaced_in_one_pass() {
        let forms = vec!["(A, 2021)".to_string(), "(B, 1986)".to_string()];
        assert_eq!(
            replace_markers(
                "x \u{0}1\u{0} y \u{0}0\u{0}.",
                &forms,
                |f| f,
                &mut Vec::new()
            ),
            "x (B, 1986) y (A, 2021)."
        );
    }

    #[test]
    fn offsets_after_a_citation_move_with_the_text() {
        let forms = vec!["(Allen, 2021)".to_string()];
        let text = "See \u{0}0\u{0}. Trust matters.";
        let mut moved = Vec::new();
        let written = replace_markers(text, &forms, |f| f, &mut moved);
        let mut body = Converted {
            heading_offsets: vec![0, text.find("Trust").unwrap_or(0)],
            ..Converted::default()
        };
        body.link_spans.push(crate::site::LinkSpan {
            start: text.find("matters").unwrap_or(0),
            end: text.len() - 1,
            target: crate::site::EntryId(0),
        });
        shift_offsets(&mut body, &moved);
        assert_eq!(&written[body.heading_offsets[1]..], "Trust matters.");
        assert_eq!(
            &written[body.link_spans[0].start..body.link_spans[0].end],
            "matters"
        );
        assert_eq!(body.heading_offsets[0], 0);
    }
}
