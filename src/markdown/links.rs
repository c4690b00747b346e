//! Links as conversion writes them: wikilinks resolved and labelled, Markdown links to content
//! files rewritten to URLs, root-relative paths put under the base path, drafts shown as text.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::Lookup;
use super::converter::{Converter, OpenLink};
use crate::content::{Item, Kind, Meta};
use crate::diagnostics::Diagnostic;
use crate::site::{EntryId, FragmentRef, OutLink};
use crate::text::{escape_attr, percent_decode, url_scheme};

impl<'a> Converter<'a, '_> {
    /// The opening `<a>` of a link to item `target`; a term's carries the key its card is found by.
    pub(super) fn anchor_open(
        &self,
        target: EntryId,
        fragment: Option<&str>,
        auto: bool,
    ) -> String {
        let t = self.ctx.item(target);
        let anchor = self.ctx.anchors[target.index()].get_or_init(|| super::Anchor {
            href: escape_attr(&self.ctx.urls[target.index()]),
            // A term's name and summary are written once per page, where its card reads them
            // (the page's key terms, or its data block), not on every link to it.
            attrs: match &t.meta {
                Meta::Term { .. } => format!(" data-term=\"{}\"", escape_attr(&t.slug)),
                _ => format!(" class=\"xref xref-{}\"", t.kind.name()),
            },
        });
        let mut a = String::with_capacity(anchor.href.len() + anchor.attrs.len() + 64);
        a.push_str("<a href=\"");
        a.push_str(&anchor.href);
        if let Some(f) = fragment {
            a.push('#');
            a.push_str(&escape_attr(f));
        }
        a.push('"');
        if matches!(t.meta, Meta::Term { .. }) {
            a.push_str(if auto {
                " class=\"term-link auto\""
            } else {
                " class=\"term-link\""
            });
        }
        a.push_str(&anchor.attrs);
        a.push('>');
        a
    }

    /// Resolves `[[…]]`, writing the opening of the link (or plain text when it cannot be made).
    /// Returns how to close it, and the label written when the raw target text is to be skipped.
    pub(super) fn wikilink(
        &mut self,
        dest: &str,
        piped: bool,
        range: &Range<usize>,
        in_notes: bool,
        hidden: bool,
    ) -> (OpenLink, Option<String>) {
        let (reference, fragment) = match dest.split_once('#') {
            Some((r, f)) => (r, Some(f)),
            None => (dest, None),
        };
        let (line, col) = self.position(range.start);
        let found = if reference.trim().is_empty() {
            Lookup::Found(self.me)
        } else {
            self.ctx.targets.lookup(reference)
        };
        let target = match found {
            Lookup::Found(t) => t,
            Lookup::Unloaded => return self.plain(dest, piped, hidden),
            unresolved => {
                let d = self.unresolved(line, col, reference, unresolved);
                self.result.diagnostics.push(d);
                return self.plain(dest, piped, hidden);
            }
        };
        if let Some(id) = fragment {
            self.record_fragment(target, id, (line, col), in_notes);
        }
        let own_heading = (target == self.me)
            .then(|| fragment.and_then(|f| self.own_headings.iter().find(|(id, _)| id == f)))
            .flatten();
        let label = match own_heading {
            Some((_, text)) => text.clone(),
            None => link_label(self.ctx.item(target), reference),
        };
        if !self.ctx.included[target.index()] {
            self.warn_draft(line, col, target);
            return self.plain(&label, piped, hidden);
        }
        self.record_link(target, in_notes, true);
        if self.ctx.item(target).kind == Kind::Term {
            self.linked_terms.insert(target);
        }
        if hidden {
            return (OpenLink::Plain, None);
        }
        self.out.push(Event::Html(
            self.anchor_open(target, fragment, false).into(),
        ));
        if piped {
            (OpenLink::Raw, None)
        } else {
            self.out.push(Event::Text(label.clone().into()));
            (OpenLink::Raw, Some(label))
        }
    }

    /// The error for a wikilink that names nothing, or several things.
    fn unresolved(&self, line: usize, col: usize, reference: &str, found: Lookup) -> Diagnostic {
        match found {
            Lookup::Ambiguous(candidates) => {
                let list = candidates
                    .iter()
                    .map(|c| format!("`[[{c}]]`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                self.error(
                    line,
                    col,
                    format!(
                        "`[[{reference}]]` is ambiguous: several items are called `{reference}`"
                    ),
                )
                .with_hint(format!("write {list}"))
            }
            Lookup::Missing { suggestion } => self
                .error(
                    line,
                    col,
                    format!("link to `{reference}`, which does not exist"),
                )
                .with_hint(match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "link by file name (slug), `kind/slug`, a term's alias, or `session/N`"
                        .to_string(),
                }),
            Lookup::Found(_) | Lookup::Unloaded => {
                self.error(line, col, format!("link to `{reference}`"))
            }
        }
    }

    /// Records a link to `#id` of `target`, checked once every page's ids are known.
    fn record_fragment(
        &mut self,
        target: EntryId,
        id: &str,
        (line, col): (usize, usize),
        in_notes: bool,
    ) {
        self.result.fragments.push(FragmentRef {
            target,
            id: id.to_string(),
            line,
            col,
            in_notes,
        });
    }

    /// Records a link for backlinks: a link inside notes counts only where notes are shown.
    fn record_link(&mut self, target: EntryId, in_notes: bool, card: bool) {
        if !in_notes || self.ctx.facilitator {
            self.result.links.push(OutLink {
                target,
                auto: false,
                card,
            });
        }
    }

    /// A link that cannot be made shows as its label: the author's for piped links, else `label`.
    fn plain(&mut self, label: &str, piped: bool, hidden: bool) -> (OpenLink, Option<String>) {
        if piped || hidden {
            return (OpenLink::Plain, None);
        }
        self.out.push(Event::Text(label.to_string().into()));
        (OpenLink::Plain, Some(label.to_string()))
    }

    /// Warns that a link to `target`, a draft left out of this build, shows as plain text.
    fn warn_draft(&mut self, line: usize, col: usize, target: EntryId) {
        let d = Diagnostic::warning(
            &self.item.path,
            line,
            col,
            format!(
                "link to draft `{}` is shown as plain text",
                self.ctx.item(target).slug
            ),
        )
        .with_source(&self.item.source)
        .with_hint("build with --drafts to include drafts, or remove `draft: true`");
        self.result.diagnostics.push(d);
    }

    /// Rewrites a Markdown link's target: `x.md` files to their URLs, root-relative paths under
    /// the base path. Anything else is left alone. None for a link to a draft that this build
    /// leaves out, which shows as its text, and for a link that could run script.
    pub(super) fn rewrite_link(
        &mut self,
        dest: &CowStr<'a>,
        range: &Range<usize>,
        in_notes: bool,
    ) -> Option<CowStr<'a>> {
        let d: &str = dest;
        if let Some(scheme) = url_scheme(d)
            && runs_script(&scheme, d, true)
        {
            let (line, col) = self.position(range.start);
            let d = self
                .error(
                    line,
                    col,
                    format!("a link may not use a `{scheme}:` URL, which can run script in the reader's browser"),
                )
                .with_hint("link to a page of the site, a file in static/, or a web address (https://…)");
            self.result.diagnostics.push(d);
            return None;
        }
        if let Some(id) = d.strip_prefix('#').filter(|id| !id.is_empty()) {
            let (line, col) = self.position(range.start);
            self.local_refs.push(FragmentRef {
                target: self.me,
                id: percent_decode(id),
                line,
                col,
                in_notes,
            });
        }
        if d.starts_with("//")
            || d.contains("://")
            || d.starts_with("mailto:")
            || d.starts_with('#')
            || d.is_empty()
        {
            return Some(dest.clone());
        }
        let (path, fragment) = match d.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (d, None),
        };
        if path.to_ascii_lowercase().ends_with(".md") {
            return self.content_link(dest, path, fragment, range, in_notes);
        }
        if let Some(rest) = d.strip_prefix('/')
            && !d.starts_with(self.ctx.base_path)
        {
            return Some(format!("{}{rest}", self.ctx.base_path).into());
        }
        Some(dest.clone())
    }

    /// A Markdown link to a content file: its URL, text for a draft left out, or an error.
    fn content_link(
        &mut self,
        dest: &CowStr<'a>,
        path: &str,
        fragment: Option<&str>,
        range: &Range<usize>,
        in_notes: bool,
    ) -> Option<CowStr<'a>> {
        let (line, col) = self.position(range.start);
        let target = match self.ctx.targets.lookup_path(&self.item.path, path) {
            Lookup::Found(target) => target,
            Lookup::Missing { suggestion } => {
                let hint = match suggestion {
                    Some(s) => format!("did you mean `{s}`? Paths are relative to this file"),
                    None => {
                        "paths are relative to this file, e.g. `../glossary/trust.md`".to_string()
                    }
                };
                let d = self
                    .error(
                        line,
                        col,
                        format!("link to `{path}`, which is not a content file"),
                    )
                    .with_hint(hint);
                self.result.diagnostics.push(d);
                return Some(dest.clone());
            }
            Lookup::Unloaded | Lookup::Ambiguous(_) => return Some(dest.clone()),
        };
        if !self.ctx.included[target.index()] {
            self.warn_draft(line, col, target);
            return None;
        }
        if let Some(id) = fragment {
            self.record_fragment(target, id, (line, col), in_notes);
        }
        self.record_link(target, in_notes, false);
        let mut url = self.ctx.urls[target.index()].clone();
        if let Some(f) = fragment {
            url.push('#');
            url.push_str(f);
        }
        Some(url.into())
    }

    /// Line and column of a byte offset in the body. Conversion asks in the order of the text,
    /// so the last answer is the place to count on from: a long line with many links is read
    /// once, not once per link.
    pub(super) fn position(&self, body_offset: usize) -> (usize, usize) {
        let source = &self.item.source;
        let offset = (source.body_start + body_offset).min(source.text.len());
        let (at, line, col) = self.cursor.get();
        let found = match source.text.get(at..offset) {
            Some(between) if offset >= at => match between.rfind('\n') {
                Some(nl) => (
                    line + between.matches('\n').count(),
                    between[nl + 1..].chars().count() + 1,
                ),
                None => (line, col + between.chars().count()),
            },
            _ => source.line_col(offset),
        };
        self.cursor.set((offset, found.0, found.1));
        found
    }

    /// An error at `line`:`col` of this file. Past the number of problems a report shows for
    /// one file, the source line is left off: it would not be shown.
    pub(super) fn error(&self, line: usize, col: usize, message: String) -> Diagnostic {
        let d = Diagnostic::error(&self.item.path, line, col, message);
        if self.result.diagnostics.len() < crate::diagnostics::PER_FILE {
            d.with_source(&self.item.source)
        } else {
            d
        }
    }
}

/// Whether a URL of `scheme` can run script: `javascript:` and `vbscript:`, and `data:` but for
/// an image's own `data:image/…`.
pub(super) fn runs_script(scheme: &str, url: &str, is_link: bool) -> bool {
    match scheme {
        "javascript" | "vbscript" => true,
        "data" => {
            let image = url
                .trim_start()
                .get(5..)
                .is_some_and(|rest| rest.to_ascii_lowercase().starts_with("image/"));
            is_link || !image
        }
        _ => false,
    }
}

/// The text of an unpiped wikilink: the target's title. A term named in lowercase mid-sentence
/// keeps the author's case (`[[reliance]]` reads "reliance", not "Reliance") when the reference is
/// the term's name and the name is a plain phrase; an alias shows as written.
fn link_label(target: &Item, reference: &str) -> String {
    let title = &target.title;
    let written = match reference.split_once('/') {
        Some((kind, name)) if Kind::from_name(kind.trim()).is_some() => name.trim(),
        _ => reference.trim(),
    };
    let Meta::Term { aliases, .. } = &target.meta else {
        return title.clone();
    };
    let lower = written.to_lowercase();
    if aliases.iter().any(|a| a.to_lowercase() == lower) {
        return written.to_string();
    }
    let mut chars = title.chars();
    let Some(first) = chars.next() else {
        return title.clone();
    };
    let written_lower = written.chars().next().is_some_and(char::is_lowercase);
    // "Bowlby attachment" named by `[[bowlby]]`, or "DBT", or "Epistemic Trust": a proper noun,
    // an acronym or a title-cased name keeps its capitals.
    let names_it = lower.replace('-', " ") == title.to_lowercase().replace('-', " ");
    let plain = !chars.any(char::is_uppercase);
    if written_lower && names_it && plain && first.is_uppercase() {
        first.to_lowercase().chain(title.chars().skip(1)).collect()
    } else {
        title.clone()
    }
}
