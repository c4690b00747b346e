//! The link graph of a site: every connection between entries, from front matter, explicit
//! links and auto-links, and from it each session's readings and each entry's typed backlinks.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::matter::{Field, MatterRef};
use super::ranks::Ranks;
use crate::content::{Kind, Meta};
use crate::site::{Entry, EntryId, Relation, Session};

/// Connections between the entries of one build (drafts left out of it take no part).
pub struct LinkGraph<'a> {
    entries: &'a [Arc<Entry>],
    ranks: &'a Ranks,
    /// Sorted, deduplicated (from, to) pairs: far cheaper than sets for the hundreds of
    /// thousands of links of a large site.
    explicit: Vec<(usize, usize)>,
    /// Front-matter references by (from, field) and by (to, field), in the order written.
    named: HashMap<(usize, Field), Vec<usize>>,
    named_by: HashMap<(usize, Field), Vec<usize>>,
    /// Neighbours by every link, explicit or auto, each list sorted.
    linked_to: Vec<Vec<usize>>,
    linked_from: Vec<Vec<usize>>,
    /// Entries that link to each entry explicitly.
    explicit_from: Vec<Vec<usize>>,
}

impl<'a> LinkGraph<'a> {
    pub fn new(
        entries: &'a [Arc<Entry>],
        matter_refs: &[MatterRef],
        ranks: &'a Ranks,
    ) -> LinkGraph<'a> {
        let n = entries.len();
        let mut explicit: Vec<(usize, usize)> = Vec::new();
        let mut auto: Vec<(usize, usize)> = Vec::new();
        for (from, e) in entries.iter().enumerate() {
            for l in &e.body.links {
                let to = l.target.index();
                if from != to && e.included && entries[to].included {
                    if l.auto { &mut auto } else { &mut explicit }.push((from, to));
                }
            }
        }
        for pairs in [&mut explicit, &mut auto] {
            pairs.par_sort_unstable();
            pairs.dedup();
        }
        let mut named: HashMap<(usize, Field), Vec<usize>> = HashMap::new();
        let mut named_by: HashMap<(usize, Field), Vec<usize>> = HashMap::new();
        for r in matter_refs {
            if entries[r.from].included && entries[r.to].included {
                named.entry((r.from, r.field)).or_default().push(r.to);
                named_by.entry((r.to, r.field)).or_default().push(r.from);
            }
        }
        let mut linked_to: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut linked_from: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(a, b) in explicit.iter().chain(auto.iter()) {
            linked_to[a].push(b);
            linked_from[b].push(a);
        }
        linked_to
            .par_iter_mut()
            .chain(linked_from.par_iter_mut())
            .for_each(|list| {
                list.sort_unstable();
                list.dedup();
            });
        let mut explicit_from: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(a, b) in &explicit {
            explicit_from[b].push(a);
        }
        LinkGraph {
            entries,
            ranks,
            explicit,
            named,
            named_by,
            linked_to,
            linked_from,
            explicit_from,
        }
    }

    fn kind(&self, i: usize) -> Kind {
        self.entries[i].item.kind
    }

    fn named(&self, i: usize, field: Field) -> Vec<usize> {
        self.named.get(&(i, field)).cloned().unwrap_or_default()
    }

    fn named_by(&self, i: usize, field: Field) -> Vec<usize> {
        self.named_by.get(&(i, field)).cloned().unwrap_or_default()
    }

    /// The targets of `from`'s explicit links.
    fn explicit_from_entry(&self, from: usize) -> impl Iterator<Item = usize> + '_ {
        let start = self.explicit.partition_point(|&(f, _)| f < from);
        self.explicit[start..]
            .iter()
            .take_while(move |&&(f, _)| f == from)
            .map(|&(_, to)| to)
    }

    fn of_kind<'s>(&'s self, list: &'s [usize], kind: Kind) -> impl Iterator<Item = usize> + 's {
        list.iter().copied().filter(move |&j| self.kind(j) == kind)
    }

    /// The included sessions by number, each with its readings, questions and terms to know:
    /// those its front matter names first, then those that name it.
    pub fn sessions(&self, essays: &[EntryId], questions: &[EntryId]) -> Vec<Session> {
        let mut sessions: Vec<(usize, u32)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e.item.meta {
                Meta::Session { number, .. } if e.included => Some((i, number)),
                _ => None,
            })
            .collect();
        sessions.sort_by_key(|&(_, number)| number);
        let by_session = |list: &[EntryId]| {
            let mut map: HashMap<u32, Vec<usize>> = HashMap::new();
            for &id in list {
                if let Some(n) = self.entries[id.index()].item.session() {
                    map.entry(n).or_default().push(id.index());
                }
            }
            map
        };
        let (essays_in, questions_in) = (by_session(essays), by_session(questions));
        sessions
            .into_iter()
            .map(|(entry, number)| {
                let mut chosen = self.named(entry, Field::Essays);
                chosen.extend(essays_in.get(&number).into_iter().flatten());
                let essays = dedup(chosen);
                let mut chosen = self.named(entry, Field::Questions);
                chosen.extend(questions_in.get(&number).into_iter().flatten());
                let questions = dedup(chosen);
                let terms = self.terms_to_know(entry, &questions);
                Session {
                    entry: EntryId(entry),
                    number,
                    essays: ids(essays),
                    questions: ids(questions),
                    terms,
                }
            })
            .collect()
    }

    /// A session's terms to know: those its questions name and those its own page links on
    /// purpose; not every term its readings touch, which would fill the handout.
    fn terms_to_know(&self, session: usize, questions: &[usize]) -> Vec<EntryId> {
        let mut terms: Vec<usize> = Vec::new();
        for &q in questions {
            terms.extend(self.named(q, Field::Terms));
        }
        terms.extend(
            self.explicit_from_entry(session)
                .filter(|&t| self.kind(t) == Kind::Term),
        );
        self.ranks.by_title(ids(dedup(terms)))
    }

    /// Typed relations for every entry, each list labelled by what the relation means. An
    /// entry shown under one relation is not repeated under a later one ("mentioned_in" is what
    /// is left).
    pub fn relations(&self, sessions: &[Session]) -> Vec<Vec<Relation>> {
        let n = self.entries.len();
        // The sessions whose readings (or questions) include each entry, in session order.
        let mut read_in: Vec<Vec<EntryId>> = vec![Vec::new(); n];
        let mut discussed_in: Vec<Vec<EntryId>> = vec![Vec::new(); n];
        for s in sessions {
            for (list, by_entry) in [(&s.essays, &mut read_in), (&s.questions, &mut discussed_in)] {
                for &i in list {
                    if by_entry[i.index()].last() != Some(&s.entry) {
                        by_entry[i.index()].push(s.entry);
                    }
                }
            }
        }
        let context = Sessions {
            by_entry: sessions
                .iter()
                .enumerate()
                .map(|(k, s)| (s.entry.index(), k))
                .collect(),
            all: sessions,
            read_in: &read_in,
            discussed_in: &discussed_in,
        };
        (0..n)
            .into_par_iter()
            .map(|i| {
                if !self.entries[i].included {
                    return Vec::new();
                }
                let mut out = match self.kind(i) {
                    Kind::Essay => self.essay_relations(i, &context),
                    Kind::Term => self.term_relations(i),
                    Kind::Question => self.question_relations(i, &context),
                    Kind::Session => context.relations(i),
                    Kind::Page => vec![rel(
                        "mentioned",
                        "mentioned_in",
                        self.sorted(self.mentioned_by(i, &Kind::ALL)),
                    )],
                };
                let mut shown: HashSet<EntryId> = HashSet::new();
                for r in &mut out {
                    r.entries.retain(|&j| {
                        j.index() != i && self.entries[j.index()].included && !shown.contains(&j)
                    });
                    shown.extend(&r.entries);
                }
                out.retain(|r| !r.entries.is_empty());
                out
            })
            .collect()
    }

    fn sorted(&self, v: Vec<usize>) -> Vec<EntryId> {
        self.ranks.by_listing(ids(v))
    }

    fn sorted_terms(&self, v: Vec<usize>) -> Vec<EntryId> {
        self.ranks.by_title(ids(v))
    }

    /// Entries of `kinds` that link to `i`.
    fn mentioned_by(&self, i: usize, kinds: &[Kind]) -> Vec<usize> {
        self.linked_from[i]
            .iter()
            .copied()
            .filter(|&j| kinds.contains(&self.kind(j)))
            .collect()
    }

    /// Entries of `kind` linked with `i` either way.
    fn either_way(&self, i: usize, kind: Kind) -> Vec<usize> {
        self.of_kind(&self.linked_to[i], kind)
            .chain(self.of_kind(&self.linked_from[i], kind))
            .collect()
    }

    fn essay_relations(&self, i: usize, sessions: &Sessions) -> Vec<Relation> {
        // Sessions list essays too; only questions discuss them.
        let mut questions: Vec<usize> = self
            .named_by(i, Field::Essays)
            .into_iter()
            .filter(|&j| self.kind(j) == Kind::Question)
            .collect();
        questions.extend(self.either_way(i, Kind::Question));
        let terms: Vec<usize> = self.of_kind(&self.linked_to[i], Kind::Term).collect();
        let mentioned = [Kind::Essay, Kind::Session, Kind::Page, Kind::Term];
        vec![
            rel("questions", "discussion_questions", self.sorted(questions)),
            rel("terms", "key_terms", self.sorted_terms(terms)),
            rel("session", "read_in", sessions.read_in[i].clone()),
            rel(
                "mentioned",
                "mentioned_in",
                self.sorted(self.mentioned_by(i, &mentioned)),
            ),
        ]
    }

    fn term_relations(&self, i: usize) -> Vec<Relation> {
        let essays: Vec<usize> = self.of_kind(&self.linked_from[i], Kind::Essay).collect();
        let mut questions = self.named_by(i, Field::Terms);
        questions.extend(self.of_kind(&self.linked_from[i], Kind::Question));
        let mut related = self.named(i, Field::Related);
        related.extend(self.named_by(i, Field::Related));
        // Terms written in the same breath (explicit links either way), not every term whose
        // name happens to appear in the other's text.
        related.extend(
            self.explicit_from_entry(i)
                .filter(|&j| self.kind(j) == Kind::Term),
        );
        related.extend(self.of_kind(&self.explicit_from[i], Kind::Term));
        vec![
            rel("essays", "used_in_essays", self.sorted(essays)),
            rel(
                "questions",
                "discussed_in_questions",
                self.sorted(questions),
            ),
            rel("related", "related_terms", self.sorted_terms(related)),
            rel(
                "mentioned",
                "mentioned_in",
                self.sorted(self.mentioned_by(i, &[Kind::Session, Kind::Page])),
            ),
        ]
    }

    fn question_relations(&self, i: usize, sessions: &Sessions) -> Vec<Relation> {
        let mut essays = self.named(i, Field::Essays);
        essays.extend(self.either_way(i, Kind::Essay));
        let mut terms = self.named(i, Field::Terms);
        terms.extend(self.of_kind(&self.linked_to[i], Kind::Term));
        let mut related = self.named(i, Field::Related);
        related.extend(self.named_by(i, Field::Related));
        related.extend(self.either_way(i, Kind::Question));
        vec![
            rel("essays", "essays", self.sorted(essays)),
            rel("terms", "terms", self.sorted_terms(terms)),
            rel("related", "related_questions", self.sorted(related)),
            rel("session", "discussed_in", sessions.discussed_in[i].clone()),
        ]
    }
}

/// The sessions, and where each entry is read or discussed.
struct Sessions<'s> {
    all: &'s [Session],
    /// A session's entry → its place in `all`.
    by_entry: HashMap<usize, usize>,
    read_in: &'s [Vec<EntryId>],
    discussed_in: &'s [Vec<EntryId>],
}

impl Sessions<'_> {
    /// The relations of session entry `i`: its readings, terms and questions.
    fn relations(&self, i: usize) -> Vec<Relation> {
        match self.by_entry.get(&i).map(|&k| &self.all[k]) {
            Some(s) => vec![
                rel("essays", "readings", s.essays.clone()),
                rel("terms", "terms_to_know", s.terms.clone()),
                rel("questions", "questions", s.questions.clone()),
            ],
            None => Vec::new(),
        }
    }
}

fn rel(key: &'static str, label: &'static str, entries: Vec<EntryId>) -> Relation {
    Relation {
        key,
        label,
        entries,
    }
}

/// `v` with later repeats dropped.
fn dedup(v: Vec<usize>) -> Vec<usize> {
    let mut seen = BTreeSet::new();
    v.into_iter().filter(|x| seen.insert(*x)).collect()
}

fn ids(v: Vec<usize>) -> Vec<EntryId> {
    v.into_iter().map(EntryId).collect()
}
