//! Resolution: from a loaded corpus to an immutable `Site`. Checks every reference, converts
//! each body with its links resolved, then builds sessions and typed backlinks from front matter,
//! explicit links and auto-links together.

pub mod autolink;
pub mod index;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Corpus, Item, Kind, Meta, listing_order};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::render::markdown::{self, Converted, LinkContext};
use crate::site::{BuildOptions, Entry, Relation, Session, Site, url_for};
use autolink::Autolinker;
use index::{Field, Index, MatterRef};

/// Resolves every reference of `corpus`. Diagnostics hold warnings as well as errors; the site is
/// returned whenever there are no errors.
pub fn resolve(
    corpus: Corpus,
    config: &Config,
    options: BuildOptions,
) -> (Option<Site>, Diagnostics) {
    resolve_reusing(corpus, config, options, None)
}

/// What a rebuild may keep from the previous build: the converted bodies of files that did not
/// change, as long as no front matter changed anywhere (front matter holds every fact another
/// page's conversion depends on: slugs, titles, term names, aliases and summaries, drafts).
pub struct Reuse<'a> {
    pub previous: &'a Site,
    /// Site-relative paths of the files that changed.
    pub changed: &'a HashSet<PathBuf>,
}

/// A fingerprint of everything but the bodies: the settings and each file's path and front
/// matter. Equal fingerprints mean a body edit cannot change any other page's conversion.
pub fn facts(items: &[Item], config: &Config, options: BuildOptions) -> u64 {
    let mut h = DefaultHasher::new();
    (
        &config.base_path,
        &config.base_url,
        config.autolink as u8,
        options.drafts,
        options.facilitator,
    )
        .hash(&mut h);
    for item in items {
        (&item.path, item.source.yaml()).hash(&mut h);
    }
    h.finish()
}

/// `resolve`, converting again only the bodies that `reuse` cannot vouch for.
pub fn resolve_reusing(
    corpus: Corpus,
    config: &Config,
    options: BuildOptions,
    reuse: Option<Reuse>,
) -> (Option<Site>, Diagnostics) {
    let items = corpus.items;
    let facts = facts(&items, config, options);
    let reusable: HashMap<&PathBuf, &Arc<Converted>> = match &reuse {
        Some(r) if r.previous.facts == facts => r
            .previous
            .entries
            .iter()
            .filter(|e| !r.changed.contains(&e.item.path))
            .map(|e| (&e.item.path, &e.body))
            .collect(),
        _ => HashMap::new(),
    };
    let mut diags = Diagnostics::new();
    let index = Index::new(&items);
    index::check_aliases(&items, &mut diags);
    let matter_refs = index::check_matter_refs(&items, &index, &mut diags);

    let included: Vec<bool> = items.iter().map(|i| options.drafts || !i.draft).collect();
    let urls: Vec<String> = items
        .iter()
        .map(|i| url_for(&config.base_path, i))
        .collect();
    let autolinker = Autolinker::new(&items, &included);
    let ctx = LinkContext {
        items: &items,
        index: &index,
        autolinker: &autolinker,
        urls: &urls,
        included: &included,
        facilitator: options.facilitator,
        autolink: config.autolink,
        base_path: &config.base_path,
    };
    let bodies: Vec<Arc<Converted>> = (0..items.len())
        .into_par_iter()
        .map(|i| match reusable.get(&items[i].path) {
            Some(body) => Arc::clone(body),
            None => Arc::new(markdown::convert(i, &ctx)),
        })
        .collect();
    for body in &bodies {
        diags.extend(body.diagnostics.iter().cloned());
    }
    check_fragments(&items, &bodies, &mut diags);
    for r in &matter_refs {
        if included[r.from] && !included[r.to] {
            let item = &items[r.from];
            diags.push(
                Diagnostic::warning(
                    &item.path,
                    1,
                    1,
                    format!(
                        "`{}` is a draft and is left out of this build",
                        items[r.to].slug
                    ),
                )
                .with_hint("build with --drafts to include drafts"),
            );
        }
    }
    if diags.has_errors() {
        return (None, diags);
    }

    let entries: Vec<Entry> = items
        .into_iter()
        .zip(bodies)
        .zip(urls)
        .zip(included)
        .map(|(((item, body), url), included)| Entry {
            item,
            url,
            body,
            included,
            relations: Vec::new(),
        })
        .collect();
    let mut site = assemble(entries, config.clone(), options, &matter_refs);
    site.facts = facts;
    (Some(site), diags)
}

fn check_fragments(items: &[Item], bodies: &[Arc<Converted>], diags: &mut Diagnostics) {
    for (from, body) in bodies.iter().enumerate() {
        for f in &body.fragments {
            let ids = &bodies[f.target].ids;
            if ids.iter().any(|id| id == &f.id) {
                continue;
            }
            let item = &items[from];
            let target = &items[f.target];
            let hint = match did_you_mean(&f.id, ids.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `#{s}`?"),
                None if ids.is_empty() => format!("{} has no headings", target.path.display()),
                None => format!(
                    "headings in {}: {}",
                    target.path.display(),
                    ids.iter()
                        .map(|i| format!("#{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(
                    &item.path,
                    f.line,
                    f.col,
                    format!("`{}` has no heading `#{}`", target.slug, f.id),
                )
                .with_source(&item.source.text)
                .with_hint(hint),
            );
        }
    }
}

/// Builds listings, sessions and typed backlinks.
fn assemble(
    mut entries: Vec<Entry>,
    config: Config,
    options: BuildOptions,
    matter_refs: &[MatterRef],
) -> Site {
    let included = |e: &Entry| e.included;
    let of_kind = |entries: &[Entry], kind: Kind| -> Vec<usize> {
        let mut v: Vec<usize> = (0..entries.len())
            .filter(|&i| {
                included(&entries[i]) && entries[i].item.kind == kind && !entries[i].item.is_home()
            })
            .collect();
        v.sort_by(|&a, &b| listing_order(&entries[a].item, &entries[b].item));
        v
    };
    let essays = of_kind(&entries, Kind::Essay);
    let questions = of_kind(&entries, Kind::Question);
    let mut terms = of_kind(&entries, Kind::Term);
    terms.sort_by(|&a, &b| {
        let (x, y) = (&entries[a].item, &entries[b].item);
        x.title
            .to_lowercase()
            .cmp(&y.title.to_lowercase())
            .then_with(|| x.slug.cmp(&y.slug))
    });
    let mut pages = of_kind(&entries, Kind::Page);
    pages.sort_by(|&a, &b| {
        entries[a]
            .item
            .title
            .to_lowercase()
            .cmp(&entries[b].item.title.to_lowercase())
    });
    let home = entries.iter().position(|e| e.item.is_home() && e.included);

    // The link graph: (from, to, how), only between entries in this build.
    let mut explicit: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut auto: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (from, e) in entries.iter().enumerate() {
        for l in &e.body.links {
            if from != l.target && e.included && entries[l.target].included {
                if l.auto {
                    auto.insert((from, l.target))
                } else {
                    explicit.insert((from, l.target))
                };
            }
        }
    }
    let matter: Vec<MatterRef> = matter_refs
        .iter()
        .copied()
        .filter(|r| entries[r.from].included && entries[r.to].included)
        .collect();

    let sessions = gather_sessions(&entries, &essays, &questions, &matter, &explicit);
    let relations = backlinks(&entries, &sessions, &matter, &explicit, &auto);
    for (i, r) in relations.into_iter().enumerate() {
        entries[i].relations = r;
    }
    Site {
        facts: 0,
        config,
        options,
        entries,
        essays,
        terms,
        questions,
        sessions,
        pages,
        home,
    }
}

fn gather_sessions(
    entries: &[Entry],
    essays: &[usize],
    questions: &[usize],
    matter: &[MatterRef],
    explicit: &BTreeSet<(usize, usize)>,
) -> Vec<Session> {
    let mut sessions: Vec<Session> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e.item.meta {
            Meta::Session { number, .. } if e.included => Some(Session {
                entry: i,
                number,
                essays: Vec::new(),
                questions: Vec::new(),
                terms: Vec::new(),
            }),
            _ => None,
        })
        .collect();
    sessions.sort_by_key(|s| s.number);
    for s in &mut sessions {
        let entry = s.entry;
        let listed = |field: Field| -> Vec<usize> {
            matter
                .iter()
                .filter(|r| r.from == entry && r.field == field)
                .map(|r| r.to)
                .collect()
        };
        let mut chosen: Vec<usize> = listed(Field::Essays);
        chosen.extend(
            essays
                .iter()
                .copied()
                .filter(|&e| entries[e].item.session() == Some(s.number)),
        );
        s.essays = dedup(chosen);
        let mut chosen: Vec<usize> = listed(Field::Questions);
        chosen.extend(
            questions
                .iter()
                .copied()
                .filter(|&q| entries[q].item.session() == Some(s.number)),
        );
        s.questions = dedup(chosen);
        // Terms to know: those the session's questions name, and those its texts link on purpose.
        let mut terms: Vec<usize> = Vec::new();
        for &q in &s.questions {
            terms.extend(
                matter
                    .iter()
                    .filter(|r| r.from == q && r.field == Field::Terms)
                    .map(|r| r.to),
            );
        }
        for &from in std::iter::once(&s.entry)
            .chain(&s.essays)
            .chain(&s.questions)
        {
            terms.extend(
                explicit
                    .range((from, 0)..(from + 1, 0))
                    .map(|&(_, to)| to)
                    .filter(|&t| entries[t].item.kind == Kind::Term),
            );
        }
        let mut terms = dedup(terms);
        terms.sort_by_key(|&t| entries[t].item.title.to_lowercase());
        s.terms = terms;
    }
    sessions
}

fn dedup(v: Vec<usize>) -> Vec<usize> {
    let mut seen = BTreeSet::new();
    v.into_iter().filter(|x| seen.insert(*x)).collect()
}

/// Typed relations for every entry, each list labelled by what the relation means.
fn backlinks(
    entries: &[Entry],
    sessions: &[Session],
    matter: &[MatterRef],
    explicit: &BTreeSet<(usize, usize)>,
    auto: &BTreeSet<(usize, usize)>,
) -> Vec<Vec<Relation>> {
    let n = entries.len();
    // Undirected neighbours by kind, from every source of connection.
    let mut linked_to: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    let mut linked_from: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for &(a, b) in explicit.iter().chain(auto.iter()) {
        linked_to[a].insert(b);
        linked_from[b].insert(a);
    }
    let mut named: HashMap<(usize, Field), Vec<usize>> = HashMap::new();
    let mut named_by: HashMap<(usize, Field), Vec<usize>> = HashMap::new();
    for r in matter {
        named.entry((r.from, r.field)).or_default().push(r.to);
        named_by.entry((r.to, r.field)).or_default().push(r.from);
    }
    let get = |m: &HashMap<(usize, Field), Vec<usize>>, i: usize, f: Field| {
        m.get(&(i, f)).cloned().unwrap_or_default()
    };
    let kind_of = |i: &usize| entries[*i].item.kind;
    let session_entry = |number: Option<u32>| -> Vec<usize> {
        sessions
            .iter()
            .filter(|s| Some(s.number) == number)
            .map(|s| s.entry)
            .collect()
    };
    let sort = |mut v: Vec<usize>| -> Vec<usize> {
        v.sort_by(|&a, &b| listing_order(&entries[a].item, &entries[b].item));
        v.dedup();
        v
    };
    let both = |i: usize, kind: Kind| -> Vec<usize> {
        linked_to[i]
            .iter()
            .chain(linked_from[i].iter())
            .copied()
            .filter(|j| kind_of(j) == kind)
            .collect()
    };
    let rel = |key, label, entries: Vec<usize>| Relation {
        key,
        label,
        entries,
    };

    (0..n)
        .map(|i| {
            let e = &entries[i];
            if !e.included {
                return Vec::new();
            }
            let mentioned_by = |kinds: &[Kind]| -> Vec<usize> {
                linked_from[i]
                    .iter()
                    .copied()
                    .filter(|j| kinds.contains(&kind_of(j)))
                    .collect()
            };
            let mut out = match e.item.kind {
                Kind::Essay => {
                    let mut questions = get(&named_by, i, Field::Essays);
                    questions.extend(both(i, Kind::Question));
                    let terms: Vec<usize> = linked_to[i]
                        .iter()
                        .copied()
                        .filter(|j| kind_of(j) == Kind::Term)
                        .collect();
                    vec![
                        rel("questions", "Discussion questions", sort(questions)),
                        rel("terms", "Key terms", sort_terms(entries, terms)),
                        rel("session", "Read in", session_entry(e.item.session())),
                        rel(
                            "mentioned",
                            "Mentioned in",
                            sort(mentioned_by(&[
                                Kind::Essay,
                                Kind::Session,
                                Kind::Page,
                                Kind::Term,
                            ])),
                        ),
                    ]
                }
                Kind::Term => {
                    let essays: Vec<usize> = linked_from[i]
                        .iter()
                        .copied()
                        .filter(|j| kind_of(j) == Kind::Essay)
                        .collect();
                    let mut questions = get(&named_by, i, Field::Terms);
                    questions.extend(
                        linked_from[i]
                            .iter()
                            .copied()
                            .filter(|j| kind_of(j) == Kind::Question),
                    );
                    let mut related = get(&named, i, Field::Related);
                    related.extend(get(&named_by, i, Field::Related));
                    related.extend(both(i, Kind::Term));
                    vec![
                        rel("essays", "Used in essays", sort(essays)),
                        rel("questions", "Discussed in questions", sort(questions)),
                        rel("related", "Related terms", sort_terms(entries, related)),
                        rel(
                            "mentioned",
                            "Mentioned in",
                            sort(mentioned_by(&[Kind::Session, Kind::Page])),
                        ),
                    ]
                }
                Kind::Question => {
                    let mut essays = get(&named, i, Field::Essays);
                    essays.extend(both(i, Kind::Essay));
                    let mut terms = get(&named, i, Field::Terms);
                    terms.extend(
                        linked_to[i]
                            .iter()
                            .copied()
                            .filter(|j| kind_of(j) == Kind::Term),
                    );
                    let mut related = get(&named, i, Field::Related);
                    related.extend(get(&named_by, i, Field::Related));
                    related.extend(both(i, Kind::Question));
                    vec![
                        rel("essays", "Essays", sort(essays)),
                        rel("terms", "Terms", sort_terms(entries, terms)),
                        rel("related", "Related questions", sort(related)),
                        rel("session", "Discussed in", session_entry(e.item.session())),
                    ]
                }
                Kind::Session => match sessions.iter().find(|s| s.entry == i) {
                    Some(s) => vec![
                        rel("essays", "Readings", s.essays.clone()),
                        rel("terms", "Terms to know", s.terms.clone()),
                        rel("questions", "Questions", s.questions.clone()),
                    ],
                    None => Vec::new(),
                },
                Kind::Page => vec![rel(
                    "mentioned",
                    "Mentioned in",
                    sort(mentioned_by(&Kind::ALL)),
                )],
            };
            for r in &mut out {
                r.entries.retain(|&j| j != i && entries[j].included);
            }
            out.retain(|r| !r.entries.is_empty());
            out
        })
        .collect()
}

fn sort_terms(entries: &[Entry], mut v: Vec<usize>) -> Vec<usize> {
    v.sort_by_key(|&t| (entries[t].item.title.to_lowercase(), t));
    v.dedup();
    v
}
