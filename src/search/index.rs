//! The inverted index: for every stem, the documents it occurs in with a precomputed score and
//! the passages to show, best first. Scores are BM25 over the text (headings and summaries
//! weighted above body text) plus a bonus for a match in the title or a term's alias, so the
//! client only adds numbers up.

use std::collections::BTreeMap;

// ahash is already built for Tera; SipHash was a tenth of the index build on large sites.
use ahash::{AHashMap as HashMap, AHashSet as HashSet};

use super::document::Doc;
use super::tokenize::Analyzer;

/// BM25's term-frequency saturation and length normalisation, at their usual values.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// How much one occurrence counts in each part of the text.
const HEADING_WEIGHT: f64 = 3.0;
const SUMMARY_WEIGHT: f64 = 1.5;
const BODY_WEIGHT: f64 = 1.0;
/// A title match is worth more than any number of body mentions (BM25's text part stays below
/// K1 + 1 = 2.2), a shorter title more than a longer one; an alias a little less than a title.
const TITLE_BONUS: (f64, f64) = (2.4, 1.8);
const ALIAS_BONUS: (f64, f64) = (2.2, 1.2);
/// Scores are stored as integers: hundredths.
const SCORE_SCALE: f64 = 100.0;
/// A posting names at most this many passages to show, best first.
pub const PASSAGES_PER_POSTING: usize = 2;

/// One document a stem occurs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub score: u32,
    /// Passage numbers within the document, best first; empty when the stem is only in the title
    /// or an alias (the client then shows the first passage).
    pub passages: Vec<u32>,
}

/// Everything the index stores about one stem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    /// The folded words that stem to it, for matching and highlighting what a reader typed.
    pub surfaces: Vec<String>,
    /// Best first.
    pub postings: Vec<Posting>,
    /// Glossary names (a term's title or alias) whose first indexed word has this stem.
    pub phrases: Vec<Phrase>,
}

/// A glossary term's name or alias, for the definition card.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Phrase {
    pub doc: u32,
    /// The stems after the first one.
    pub rest: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    /// By stem, sorted.
    pub terms: BTreeMap<String, Term>,
}

/// How often a stem occurs in each part of one document.
#[derive(Default)]
struct Counts {
    title: u32,
    alias: u32,
    text: f64,
    /// Weighted occurrences by passage number, in increasing passage order (passages are read
    /// in order, so a vector that merges into its last entry is enough).
    passages: Vec<(u32, f64)>,
}

/// A document's stems with their counts, its title length and its text length.
struct Analysed {
    counts: HashMap<String, Counts>,
    surfaces: Vec<(String, String)>,
    title_len: usize,
    alias_lens: Vec<usize>,
    length: usize,
}

impl Index {
    pub fn build(docs: &[Doc], analyzer: &Analyzer) -> Index {
        use rayon::prelude::*;
        let analysed: Vec<Analysed> = docs.par_iter().map(|d| analyse(d, analyzer)).collect();
        let total = analysed.len().max(1) as f64;
        let average = (analysed.iter().map(|a| a.length).sum::<usize>() as f64 / total).max(1.0);
        let mut df: HashMap<&str, u32> = HashMap::new();
        for a in &analysed {
            for stem in a.counts.keys() {
                *df.entry(stem).or_default() += 1;
            }
        }
        // Hash maps keyed by borrowed stems while collecting (millions of updates on a large
        // site), sorted into a BTreeMap once at the end.
        let mut terms: HashMap<&str, Term> = HashMap::with_capacity(df.len());
        let mut surface_counts: HashMap<&str, HashMap<&str, u32>> =
            HashMap::with_capacity(df.len());
        for (doc, a) in analysed.iter().enumerate() {
            for (surface, stem) in &a.surfaces {
                *surface_counts
                    .entry(stem)
                    .or_default()
                    .entry(surface)
                    .or_default() += 1;
            }
            let norm = 1.0 - B + B * a.length as f64 / average;
            for (stem, c) in &a.counts {
                let n = f64::from(df[stem.as_str()]);
                let idf = (1.0 + (total - n + 0.5) / (n + 0.5)).ln();
                let score = idf * (saturate(c.text, norm) + bonus(c, a));
                terms
                    .entry(stem.as_str())
                    .or_default()
                    .postings
                    .push(Posting {
                        doc: doc as u32,
                        score: ((score * SCORE_SCALE).round() as u32).max(1),
                        passages: best_passages(&c.passages),
                    });
            }
        }
        let mut terms: Vec<(&str, Term)> = terms.into_iter().collect();
        terms.par_iter_mut().for_each(|(stem, term)| {
            term.postings
                .sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
            if let Some(counts) = surface_counts.get(stem) {
                let mut surfaces: Vec<(&str, u32)> = counts.iter().map(|(s, n)| (*s, *n)).collect();
                surfaces.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                term.surfaces = surfaces
                    .into_iter()
                    .map(|(s, _)| s.to_string())
                    .filter(|s| s != stem)
                    .collect();
            }
        });
        let mut terms: BTreeMap<String, Term> =
            terms.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        add_phrases(docs, analyzer, &mut terms);
        Index { terms }
    }
}

fn saturate(tf: f64, norm: f64) -> f64 {
    if tf <= 0.0 {
        0.0
    } else {
        tf * (K1 + 1.0) / (tf + K1 * norm)
    }
}

fn bonus(c: &Counts, a: &Analysed) -> f64 {
    let scaled = |(base, extra): (f64, f64), len: usize| base + extra / len.max(1) as f64;
    let title = (c.title > 0).then(|| scaled(TITLE_BONUS, a.title_len));
    let alias = (c.alias > 0).then(|| {
        let shortest = a.alias_lens.iter().copied().min().unwrap_or(1);
        scaled(ALIAS_BONUS, shortest)
    });
    match (title, alias) {
        (Some(t), Some(al)) => t.max(al) + 0.25 * t.min(al),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => 0.0,
    }
}

fn best_passages(passages: &[(u32, f64)]) -> Vec<u32> {
    let mut by_weight: Vec<(u32, f64)> = passages.to_vec();
    by_weight.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    by_weight
        .into_iter()
        .take(PASSAGES_PER_POSTING)
        .map(|(p, _)| p)
        .collect()
}

/// A document's words, each analysed once however often it occurs: stemming is the costly part
/// of building the index.
struct DocWords<'d, 'a> {
    analyzer: &'a Analyzer,
    /// Raw word → its stem's number in `stems`, or None for a stop word.
    cache: HashMap<&'d str, Option<usize>>,
    stems: Vec<(String, Counts)>,
    by_stem: HashMap<String, usize>,
    surfaces: HashSet<(String, usize)>,
}

impl<'d> DocWords<'d, '_> {
    /// The stem numbers of `text`'s indexed words, in order.
    fn stems_of(&mut self, text: &'d str) -> Vec<usize> {
        let mut out = Vec::new();
        for word in super::tokenize::words(text) {
            let known = match self.cache.get(word) {
                Some(known) => *known,
                None => {
                    let n = self.analyzer.token(word).map(|t| {
                        let n = match self.by_stem.get(&t.stem) {
                            Some(&n) => n,
                            None => {
                                self.by_stem.insert(t.stem.clone(), self.stems.len());
                                self.stems.push((t.stem, Counts::default()));
                                self.stems.len() - 1
                            }
                        };
                        self.surfaces.insert((t.surface, n));
                        n
                    });
                    self.cache.insert(word, n);
                    n
                }
            };
            out.extend(known);
        }
        out
    }
}

fn analyse(doc: &Doc, analyzer: &Analyzer) -> Analysed {
    let mut w = DocWords {
        analyzer,
        cache: HashMap::new(),
        stems: Vec::new(),
        by_stem: HashMap::new(),
        surfaces: HashSet::new(),
    };
    let title = w.stems_of(&doc.title);
    for &n in &title {
        w.stems[n].1.title += 1;
    }
    let mut alias_lens = Vec::new();
    for alias in &doc.aliases {
        let stems = w.stems_of(alias);
        alias_lens.push(stems.len());
        for n in stems {
            w.stems[n].1.alias += 1;
        }
    }
    let mut length = 0;
    for (number, p) in doc.passages.iter().enumerate() {
        let number = number as u32;
        let mut count = |stems: Vec<usize>, weight: f64, w: &mut DocWords| {
            length += stems.len();
            for n in stems {
                let c = &mut w.stems[n].1;
                c.text += weight;
                match c.passages.last_mut() {
                    Some((last, w)) if *last == number => *w += weight,
                    _ => c.passages.push((number, weight)),
                }
            }
        };
        if p.opens_section {
            let stems = w.stems_of(&p.heading);
            count(stems, HEADING_WEIGHT, &mut w);
        }
        let weight = if p.is_summary {
            SUMMARY_WEIGHT
        } else {
            BODY_WEIGHT
        };
        let stems = w.stems_of(&p.text);
        count(stems, weight, &mut w);
    }
    let surfaces = w
        .surfaces
        .into_iter()
        .map(|(surface, n)| (surface, w.stems[n].0.clone()))
        .collect();
    Analysed {
        counts: w.stems.into_iter().collect(),
        surfaces,
        title_len: title.len(),
        alias_lens,
        length,
    }
}

/// Attaches each glossary name to the stem of its first word, where the client looks when the
/// query starts with that word.
fn add_phrases(docs: &[Doc], analyzer: &Analyzer, terms: &mut BTreeMap<String, Term>) {
    for (n, d) in docs.iter().enumerate() {
        if d.kind != crate::content::Kind::Term {
            continue;
        }
        for name in std::iter::once(&d.title).chain(&d.aliases) {
            let stems: Vec<String> = analyzer.tokens(name).into_iter().map(|t| t.stem).collect();
            let Some((first, rest)) = stems.split_first() else {
                continue;
            };
            if let Some(term) = terms.get_mut(first) {
                let phrase = Phrase {
                    doc: n as u32,
                    rest: rest.to_vec(),
                };
                if !term.phrases.contains(&phrase) {
                    term.phrases.push(phrase);
                }
                term.phrases.sort();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::document::Passage;
    use super::*;
    use crate::content::Kind;

    fn doc(kind: Kind, title: &str, aliases: &[&str], body: &[(&str, &str)]) -> Doc {
        Doc {
            kind,
            question_kind: None,
            title: title.into(),
            url: format!("{}/", title.to_lowercase().replace(' ', "-")),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            passages: body
                .iter()
                .map(|(heading, text)| Passage {
                    heading_id: heading.to_lowercase().replace(' ', "-"),
                    heading: heading.to_string(),
                    text: text.to_string(),
                    is_summary: false,
                    opens_section: !heading.is_empty(),
                })
                .collect(),
        }
    }

    /// Documents by the summed score of the query's stems, as the client ranks exact matches:
    /// more query words matched first, then score.
    fn rank(index: &Index, analyzer: &Analyzer, query: &str) -> Vec<u32> {
        let mut scores: BTreeMap<u32, (u32, u32)> = BTreeMap::new();
        for t in analyzer.tokens(query) {
            let Some(term) = index.terms.get(&t.stem) else {
                continue;
            };
            for p in &term.postings {
                let e = scores.entry(p.doc).or_default();
                e.0 += 1;
                e.1 += p.score;
            }
        }
        let mut ranked: Vec<(u32, (u32, u32))> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().map(|(d, _)| d).collect()
    }

    /// A small course: a term, essays that mention it more or less, a question.
    fn corpus() -> Vec<Doc> {
        vec![
            doc(
                Kind::Term,
                "Alliance rupture",
                &["rupture"],
                &[(
                    "",
                    "A strain in the collaboration between patient and therapist.",
                )],
            ),
            doc(
                Kind::Essay,
                "Many mentions",
                &[],
                &[
                    ("", "A rupture here, a rupture there, ruptures everywhere."),
                    ("Repair", "After the rupture comes repair. Ruptures heal."),
                ],
            ),
            doc(
                Kind::Essay,
                "Trust through rupture and repair",
                &[],
                &[("", "How relationships recover after strain.")],
            ),
            doc(
                Kind::Essay,
                "Unrelated reading",
                &[],
                &[("Rupture in passing", "Nothing much here.")],
            ),
            doc(
                Kind::Question,
                "What is epistemic trust?",
                &[],
                &[("", "Think about trust in what others tell you.")],
            ),
        ]
    }

    #[test]
    fn a_title_match_outranks_body_mentions() {
        let a = Analyzer::new("en");
        let index = Index::build(&corpus(), &a);
        let ranked = rank(&index, &a, "rupture");
        let title_match = ranked.iter().position(|&d| d == 2).unwrap();
        let body_mentions = ranked.iter().position(|&d| d == 1).unwrap();
        assert!(title_match < body_mentions, "{ranked:?}");
    }

    #[test]
    fn a_term_named_by_title_and_alias_ranks_first() {
        let a = Analyzer::new("en");
        let index = Index::build(&corpus(), &a);
        assert_eq!(rank(&index, &a, "rupture")[0], 0);
    }

    #[test]
    fn a_heading_match_outranks_a_single_body_mention() {
        let a = Analyzer::new("en");
        let docs = vec![
            doc(Kind::Essay, "One", &[], &[("", "We speak of repair once.")]),
            doc(Kind::Essay, "Two", &[], &[("Repair", "Nothing else.")]),
        ];
        let index = Index::build(&docs, &a);
        assert_eq!(rank(&index, &a, "repair"), [1, 0]);
    }

    #[test]
    fn an_alias_finds_its_term_and_the_card_phrase() {
        let a = Analyzer::new("en");
        let index = Index::build(&corpus(), &a);
        let term = &index.terms["ruptur"];
        assert!(term.postings.iter().any(|p| p.doc == 0));
        assert!(term.phrases.contains(&Phrase {
            doc: 0,
            rest: Vec::new()
        }));
        let alliance = &index.terms["allianc"];
        assert!(alliance.phrases.contains(&Phrase {
            doc: 0,
            rest: vec!["ruptur".into()]
        }));
    }

    #[test]
    fn inflections_are_one_term_with_their_surfaces() {
        let a = Analyzer::new("en");
        let index = Index::build(&corpus(), &a);
        let term = &index.terms["ruptur"];
        assert!(term.surfaces.contains(&"rupture".to_string()));
        assert!(term.surfaces.contains(&"ruptures".to_string()));
    }

    #[test]
    fn postings_point_at_the_passages_that_mention_the_word() {
        let a = Analyzer::new("en");
        let index = Index::build(&corpus(), &a);
        let repair = &index.terms["repair"];
        let many = repair.postings.iter().find(|p| p.doc == 1).unwrap();
        assert_eq!(many.passages, [1]);
        let title_only = repair.postings.iter().find(|p| p.doc == 2).unwrap();
        assert!(title_only.passages.is_empty());
    }

    #[test]
    fn multi_word_queries_prefer_documents_with_every_word() {
        let a = Analyzer::new("en");
        let index = Index::build(&corpus(), &a);
        assert_eq!(rank(&index, &a, "epistemic trust")[0], 4);
    }
}
