//! Citations as conversion writes them: each found in the running text is checked against the
//! bibliography and replaced by a marker that `links` replaces with the citation formatted (the
//! style needs every citation of the site at once: "2021a" and "2021b" are told apart across
//! pages). Citations in text a build does not show are checked all the same.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::CiteLookup;
use super::citations::{self, Written};
use super::converter::{Converter, Pieces};
use crate::site::{Cite, CiteItem, cite_marker};

impl<'a> Converter<'a, '_> {
    /// Text that this build does not show, kept for its citations to be checked.
    pub(super) fn hidden_text(&mut self, t: &str, range: &Range<usize>) {
        if self.suppress > 0 || self.hidden_depth > 0 {
            return;
        }
        let (text, pieces) = self.hidden.get_or_insert_with(Default::default);
        pieces.push((text.len(), range.clone()));
        text.push_str(t);
    }

    /// Checks the citations of the hidden text read so far: they must name works in the
    /// bibliography, and count as citing them.
    pub(super) fn check_hidden_citations(&mut self) {
        let Some((text, pieces)) = self.hidden.take() else {
            return;
        };
        if !text.contains('@') {
            return;
        }
        for written in citations::find(&text) {
            if let Some(cite) = self.resolve(&written, &pieces) {
                let entries = cite.items.iter().map(|i| i.entry);
                self.result.cited_unshown.extend(entries);
            }
        }
    }

    /// Whether the waiting text has opened a citation's brackets and not closed them.
    pub(super) fn citation_open(&self) -> bool {
        let Some(p) = &self.pending else {
            return false;
        };
        self.suppress == 0
            && p.rfind('[')
                .is_some_and(|i| !p[i..].contains(']') && p[i..].contains('@'))
    }

    /// A line break inside a citation's brackets, joined to the waiting text.
    pub(super) fn join_break(&mut self, range: &Range<usize>) {
        if let Some(p) = self.pending.take() {
            self.pieces.push((p.len(), range.clone()));
            self.pending = Some(format!("{p}\n").into());
            self.result.text.push(' ');
        }
    }

    /// Writes `text` with each citation in it as a marker, and the rest with its terms linked.
    pub(super) fn cite_and_link(&mut self, text: CowStr<'a>, in_notes: bool) {
        let pieces = std::mem::take(&mut self.pieces);
        let mut cited: Vec<(Range<usize>, usize)> = Vec::new();
        for written in citations::find(&text) {
            if let Some(cite) = self.resolve(&written, &pieces) {
                cited.push((written.range, self.result.citations.len()));
                self.result.citations.push(cite);
            }
        }
        if cited.is_empty() {
            self.link_terms(text, in_notes);
            return;
        }
        // The visible text so far ends with this text (a break inside brackets as a space):
        // the markers take the citations' places there too.
        let tail = self
            .result
            .text
            .split_off(self.text_start.min(self.result.text.len()));
        let mut last = 0;
        for (range, n) in &cited {
            self.link_terms(text[last..range.start].to_string().into(), in_notes);
            self.out.push(Event::Html(cite_marker(*n).into()));
            if tail.len() == text.len() {
                self.result.text.push_str(&tail[last..range.start]);
                self.result.text.push_str(&cite_marker(*n));
            }
            last = range.end;
        }
        self.link_terms(text[last..].to_string().into(), in_notes);
        if tail.len() == text.len() {
            self.result.text.push_str(&tail[last..]);
        } else {
            self.result.text.push_str(&tail);
        }
    }

    /// The citation `written` with its keys resolved, or None (with an error for each key the
    /// bibliography lacks). `@key` in the running text is a citation only when the site has a
    /// bibliography and the `@` is not escaped (`\@`).
    fn resolve(&mut self, written: &Written, pieces: &Pieces) -> Option<Cite> {
        let mut items = Vec::new();
        let mut complete = true;
        for item in &written.items {
            let offset = self.body_offset(pieces, item.at);
            let escaped =
                offset > 0 && self.item.source.body().as_bytes().get(offset - 1) == Some(&b'\\');
            if written.narrative && escaped {
                return None;
            }
            let (line, col) = self.position(offset);
            let entry = match self.look_up(item.key, written.narrative, (line, col)) {
                Looked::Found(entry) => entry,
                Looked::NotACitation => return None,
                Looked::Failed => {
                    complete = false;
                    continue;
                }
            };
            if item.suppress_author && written.items.len() > 1 {
                let d = self
                    .error(
                        line,
                        col,
                        format!(
                            "`-@{}` leaves out the author in a citation of several works",
                            item.key
                        ),
                    )
                    .with_hint(format!("cite the work on its own: `[-@{}]`", item.key));
                self.result.diagnostics.push(d);
                complete = false;
                continue;
            }
            items.push(CiteItem {
                entry,
                prefix: item.prefix.to_string(),
                locator: item.locator.map(|(kind, value)| (kind, value.to_string())),
                suffix: item.suffix.to_string(),
                suppress_author: item.suppress_author,
            });
        }
        complete.then_some(Cite {
            items,
            narrative: written.narrative,
        })
    }

    /// The entry a cited key names, or an error at `line`:`col` said once.
    fn look_up(&mut self, key: &str, narrative: bool, (line, col): (usize, usize)) -> Looked {
        match self.ctx.targets.cite(key) {
            CiteLookup::Found(entry) => Looked::Found(entry),
            CiteLookup::Unloaded => Looked::NotACitation,
            CiteLookup::NoBibliography if narrative => Looked::NotACitation,
            CiteLookup::NoBibliography => {
                let d = self
                    .error(
                        line,
                        col,
                        format!("citation of `{key}`, but the site has no bibliography"),
                    )
                    .with_hint("add the work to content/references.bib (BibTeX) or content/references.yaml; write `\\[` for a bracket that is no citation");
                self.result.diagnostics.push(d);
                Looked::Failed
            }
            CiteLookup::Missing { suggestion } => {
                let hint = match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if narrative => {
                        "add an entry with this key to the bibliography; write `\\@` for an @ that is no citation".to_string()
                    }
                    None => "add an entry with this key to the bibliography".to_string(),
                };
                let d = self
                    .error(
                        line,
                        col,
                        format!("citation of `{key}`, which the bibliography does not have"),
                    )
                    .with_hint(hint);
                self.result.diagnostics.push(d);
                Looked::Failed
            }
        }
    }

    /// The offset in the body of the `@` at `at` in text made of `pieces`: where the piece holding
    /// it starts plus the distance into it when the piece is written as it reads, else the
    /// piece's first `@` (its text was an escape or an entity away from its source).
    fn body_offset(&self, pieces: &Pieces, at: usize) -> usize {
        let i = pieces
            .partition_point(|(start, _)| *start <= at)
            .saturating_sub(1);
        let Some((start, range)) = pieces.get(i) else {
            return 0;
        };
        let body = self.item.source.body();
        let direct = range.start + (at - start);
        if body.as_bytes().get(direct) == Some(&b'@') {
            return direct;
        }
        body.get(range.clone())
            .and_then(|s| s.find('@'))
            .map_or(range.start, |i| range.start + i)
    }
}

/// What a cited key turned out to be.
enum Looked {
    Found(usize),
    /// Not a citation after all (an `@` in prose of a site without a bibliography, or a key a
    /// file that failed to load would have): left as text.
    NotACitation,
    /// An error, reported.
    Failed,
}
