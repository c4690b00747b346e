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
use crate::content::{Corpus, Item, Kind, Meta, front_matter};
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
    let timer = crate::timing::Timer::start();
    let Corpus { items, unloaded } = corpus;
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
    timer.lap("r:facts");
    let index = Index::new(&items, &unloaded);
    index::check_aliases(&items, &mut diags);
    let matter_refs = index::check_matter_refs(&items, &index, &mut diags);

    let included: Vec<bool> = items.iter().map(|i| options.drafts || !i.draft).collect();
    let urls: Vec<String> = items
        .iter()
        .map(|i| url_for(&config.base_path, i))
        .collect();
    timer.lap("r:index");
    // Equal facts mean the same items in the same order with the same names and aliases.
    let autolinker = match &reuse {
        Some(r) if r.previous.facts == facts => Arc::clone(&r.previous.autolinker),
        _ => Arc::new(Autolinker::new(&items, &included)),
    };
    timer.lap("r:autolk");
    let anchors = markdown::anchors(items.len());
    let ctx = LinkContext {
        items: &items,
        index: &index,
        autolinker: &autolinker,
        urls: &urls,
        included: &included,
        facilitator: options.facilitator,
        autolink: config.autolink,
        base_path: &config.base_path,
        anchors: &anchors,
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
    timer.lap("r:convert");
    check_fragments(&items, &bodies, &mut diags);
    for r in &matter_refs {
        if included[r.from] && !included[r.to] {
            let item = &items[r.from];
            let (line, col) = front_matter::locate(&item.source, r.field.key(), &items[r.to].key());
            diags.push(
                Diagnostic::warning(
                    &item.path,
                    line,
                    col,
                    format!(
                        "`{}` is a draft and is left out of this build",
                        items[r.to].slug
                    ),
                )
                .with_source(&item.source.text)
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
    timer.lap("r:frag");
    let mut site = assemble(entries, config.clone(), options, &matter_refs);
    timer.lap("r:assemble");
    site.facts = facts;
    site.autolinker = autolinker;
    (Some(site), diags)
}

fn check_fragments(items: &[Item], bodies: &[Arc<Converted>], diags: &mut Diagnostics) {
    for (from, body) in bodies.iter().enumerate() {
        for f in &body.fragments {
            let item = &items[from];
            let target = &items[f.target];
            let ids = &bodies[f.target].ids;
            if ids.iter().any(|id| id == &f.id) {
                // The heading would be missing from the public page, and its id, made from the
                // heading's words, would carry them into public text.
                if !f.in_notes && bodies[f.target].note_ids.contains(&f.id) {
                    diags.push(
                        Diagnostic::error(
                            &item.path,
                            f.line,
                            f.col,
                            format!(
                                "`#{}` is a heading in the facilitator notes of {}, which public pages do not show",
                                f.id,
                                target.path.display()
                            ),
                        )
                        .with_source(&item.source.text)
                        .with_hint("link to it from inside facilitator notes, or move the heading out of them"),
                    );
                }
                continue;
            }
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
            let message = if f.target == from {
                format!(
                    "this page has no heading or element with the id `#{}`",
                    f.id
                )
            } else {
                format!("`{}` has no heading `#{}`", target.slug, f.id)
            };
            diags.push(
                Diagnostic::error(&item.path, f.line, f.col, message)
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
    let ranks = Ranks::new(&entries);
    let of_kind = |kind: Kind, rank: &[usize]| -> Vec<usize> {
        let mut v: Vec<usize> = (0..entries.len())
            .filter(|&i| {
                entries[i].included && entries[i].item.kind == kind && !entries[i].item.is_home()
            })
            .collect();
        v.sort_by_key(|&i| rank[i]);
        v
    };
    let essays = of_kind(Kind::Essay, &ranks.listing);
    let questions = of_kind(Kind::Question, &ranks.listing);
    let terms = of_kind(Kind::Term, &ranks.alpha);
    let pages = of_kind(Kind::Page, &ranks.alpha);
    let home = entries.iter().position(|e| e.item.is_home() && e.included);

    // The link graph: (from, to, how), only between entries in this build.
    // Sorted, deduplicated pair lists: far cheaper than sets for the hundreds of thousands of
    // links of a large site.
    let mut explicit: Vec<(usize, usize)> = Vec::new();
    let mut auto: Vec<(usize, usize)> = Vec::new();
    for (from, e) in entries.iter().enumerate() {
        for l in &e.body.links {
            if from != l.target && e.included && entries[l.target].included {
                if l.auto { &mut auto } else { &mut explicit }.push((from, l.target));
            }
        }
    }
    for pairs in [&mut explicit, &mut auto] {
        pairs.sort_unstable();
        pairs.dedup();
    }
    let matter: Vec<MatterRef> = matter_refs
        .iter()
        .copied()
        .filter(|r| entries[r.from].included && entries[r.to].included)
        .collect();

    let mut named: HashMap<(usize, Field), Vec<usize>> = HashMap::new();
    let mut named_by: HashMap<(usize, Field), Vec<usize>> = HashMap::new();
    for r in &matter {
        named.entry((r.from, r.field)).or_default().push(r.to);
        named_by.entry((r.to, r.field)).or_default().push(r.from);
    }
    let sessions = gather_sessions(&entries, &essays, &questions, &named, &explicit, &ranks);
    let relations = backlinks(
        &entries, &sessions, &named, &named_by, &explicit, &auto, &ranks,
    );
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
        autolinker: Arc::default(),
    }
}

fn gather_sessions(
    entries: &[Entry],
    essays: &[usize],
    questions: &[usize],
    named: &HashMap<(usize, Field), Vec<usize>>,
    explicit: &[(usize, usize)],
    ranks: &Ranks,
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
    let by_session = |list: &[usize]| {
        let mut map: HashMap<u32, Vec<usize>> = HashMap::new();
        for &i in list {
            if let Some(n) = entries[i].item.session() {
                map.entry(n).or_default().push(i);
            }
        }
        map
    };
    let (essays_in, questions_in) = (by_session(essays), by_session(questions));
    let get = |i: usize, f: Field| named.get(&(i, f)).map_or(&[][..], Vec::as_slice);
    for s in &mut sessions {
        let mut chosen: Vec<usize> = get(s.entry, Field::Essays).to_vec();
        chosen.extend(essays_in.get(&s.number).into_iter().flatten());
        s.essays = dedup(chosen);
        let mut chosen: Vec<usize> = get(s.entry, Field::Questions).to_vec();
        chosen.extend(questions_in.get(&s.number).into_iter().flatten());
        s.questions = dedup(chosen);
        // Terms to know: those the session's questions name and those the session's own page
        // links on purpose; not every term its readings touch, which would fill the handout.
        let mut terms: Vec<usize> = Vec::new();
        for &q in &s.questions {
            terms.extend(get(q, Field::Terms));
        }
        terms.extend(links_from(explicit, s.entry).filter(|&t| entries[t].item.kind == Kind::Term));
        let mut terms = dedup(terms);
        terms.sort_by_key(|&t| ranks.alpha[t]);
        s.terms = terms;
    }
    sessions
}

/// The targets of `from`'s links in a sorted pair list.
fn links_from(pairs: &[(usize, usize)], from: usize) -> impl Iterator<Item = usize> + '_ {
    let start = pairs.partition_point(|&(f, _)| f < from);
    pairs[start..]
        .iter()
        .take_while(move |&&(f, _)| f == from)
        .map(|&(_, to)| to)
}

fn dedup(v: Vec<usize>) -> Vec<usize> {
    let mut seen = BTreeSet::new();
    v.into_iter().filter(|x| seen.insert(*x)).collect()
}

/// Typed relations for every entry, each list labelled by what the relation means.
fn backlinks(
    entries: &[Entry],
    sessions: &[Session],
    named: &HashMap<(usize, Field), Vec<usize>>,
    named_by: &HashMap<(usize, Field), Vec<usize>>,
    explicit: &[(usize, usize)],
    auto: &[(usize, usize)],
    ranks: &Ranks,
) -> Vec<Vec<Relation>> {
    let n = entries.len();
    // Undirected neighbours by kind, from every source of connection.
    let mut linked_to: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut linked_from: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in explicit.iter().chain(auto.iter()) {
        linked_to[a].push(b);
        linked_from[b].push(a);
    }
    for list in linked_to.iter_mut().chain(linked_from.iter_mut()) {
        list.sort_unstable();
        list.dedup();
    }
    let get = |m: &HashMap<(usize, Field), Vec<usize>>, i: usize, f: Field| {
        m.get(&(i, f)).cloned().unwrap_or_default()
    };
    let kind_of = |i: &usize| entries[*i].item.kind;
    // The sessions whose readings (or questions) include each entry, in session order: named
    // in the session's front matter or naming the session in their own.
    let mut read_in: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut discussed_in: Vec<Vec<usize>> = vec![Vec::new(); n];
    for s in sessions {
        for (list, by_entry) in [(&s.essays, &mut read_in), (&s.questions, &mut discussed_in)] {
            for &i in list {
                if by_entry[i].last() != Some(&s.entry) {
                    by_entry[i].push(s.entry);
                }
            }
        }
    }
    let sort = |mut v: Vec<usize>| -> Vec<usize> {
        v.sort_by_key(|&i| ranks.listing[i]);
        v.dedup();
        v
    };
    let mut explicit_from: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in explicit {
        explicit_from[b].push(a);
    }
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
        .into_par_iter()
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
                    // Sessions list essays too; only questions discuss them.
                    let mut questions: Vec<usize> = get(named_by, i, Field::Essays)
                        .into_iter()
                        .filter(|&j| kind_of(&j) == Kind::Question)
                        .collect();
                    questions.extend(both(i, Kind::Question));
                    let terms: Vec<usize> = linked_to[i]
                        .iter()
                        .copied()
                        .filter(|j| kind_of(j) == Kind::Term)
                        .collect();
                    vec![
                        rel("questions", "Discussion questions", sort(questions)),
                        rel("terms", "Key terms", sort_terms(ranks, terms)),
                        rel("session", "Read in", read_in[i].clone()),
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
                    let mut questions = get(named_by, i, Field::Terms);
                    questions.extend(
                        linked_from[i]
                            .iter()
                            .copied()
                            .filter(|j| kind_of(j) == Kind::Question),
                    );
                    let mut related = get(named, i, Field::Related);
                    related.extend(get(named_by, i, Field::Related));
                    // Terms written in the same breath (explicit links either way), not every
                    // term whose name happens to appear in the other's text.
                    related.extend(links_from(explicit, i).filter(|&j| kind_of(&j) == Kind::Term));
                    related.extend(
                        explicit_from[i]
                            .iter()
                            .copied()
                            .filter(|j| kind_of(j) == Kind::Term),
                    );
                    vec![
                        rel("essays", "Used in essays", sort(essays)),
                        rel("questions", "Discussed in questions", sort(questions)),
                        rel("related", "Related terms", sort_terms(ranks, related)),
                        rel(
                            "mentioned",
                            "Mentioned in",
                            sort(mentioned_by(&[Kind::Session, Kind::Page])),
                        ),
                    ]
                }
                Kind::Question => {
                    let mut essays = get(named, i, Field::Essays);
                    essays.extend(both(i, Kind::Essay));
                    let mut terms = get(named, i, Field::Terms);
                    terms.extend(
                        linked_to[i]
                            .iter()
                            .copied()
                            .filter(|j| kind_of(j) == Kind::Term),
                    );
                    let mut related = get(named, i, Field::Related);
                    related.extend(get(named_by, i, Field::Related));
                    related.extend(both(i, Kind::Question));
                    vec![
                        rel("essays", "Essays", sort(essays)),
                        rel("terms", "Terms", sort_terms(ranks, terms)),
                        rel("related", "Related questions", sort(related)),
                        rel("session", "Discussed in", discussed_in[i].clone()),
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
            // An entry shown under a specific relation is not repeated under a later one
            // ("Mentioned in" is what is left).
            let mut shown: Vec<usize> = Vec::new();
            for r in &mut out {
                r.entries
                    .retain(|&j| j != i && entries[j].included && !shown.contains(&j));
                shown.extend(&r.entries);
            }
            out.retain(|r| !r.entries.is_empty());
            out
        })
        .collect()
}

fn sort_terms(ranks: &Ranks, mut v: Vec<usize>) -> Vec<usize> {
    v.sort_by_key(|&t| ranks.alpha[t]);
    v.dedup();
    v
}

/// Every entry's place in the two orders listings use, computed once so that the many sorts
/// of a build compare integers: `listing` (session, order, title) and `alpha` (title A–Z).
struct Ranks {
    listing: Vec<usize>,
    alpha: Vec<usize>,
}

impl Ranks {
    fn new(entries: &[Entry]) -> Ranks {
        // A–Z as a reader expects it: case and accents aside ("Épée" among the E's), then
        // accents and case deciding between titles that are otherwise the same.
        let titles: Vec<(String, String)> = entries
            .iter()
            .map(|e| {
                let lower = e.item.title.to_lowercase();
                (crate::search::tokenize::fold(&lower), lower)
            })
            .collect();
        let rank = |cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering| {
            let mut order: Vec<usize> = (0..entries.len()).collect();
            order.sort_by(|&a, &b| cmp(a, b));
            let mut rank = vec![0; entries.len()];
            for (r, i) in order.into_iter().enumerate() {
                rank[i] = r;
            }
            rank
        };
        let none_last = |x: Option<i64>| (x.is_none(), x.unwrap_or(0));
        let listing = rank(&|a, b| {
            let (x, y) = (&entries[a].item, &entries[b].item);
            none_last(x.session().map(i64::from))
                .cmp(&none_last(y.session().map(i64::from)))
                .then_with(|| none_last(x.order()).cmp(&none_last(y.order())))
                .then_with(|| titles[a].cmp(&titles[b]))
                .then_with(|| x.slug.cmp(&y.slug))
        });
        let alpha = rank(&|a, b| {
            titles[a]
                .cmp(&titles[b])
                .then_with(|| entries[a].item.slug.cmp(&entries[b].item.slug))
        });
        Ranks { listing, alpha }
    }
}
