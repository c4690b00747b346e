//! The inverted index: for every stem, the documents it occurs in with a precomputed score and
//! the passages to show, best first. Scores are BM25 over the text (headings and summaries
//! weighted above body text) plus a bonus for a match in the title or a term's alias, so the
//! client only adds numbers up.

use std::collections::BTreeMap;

use super::count::{Analysed, Counted, PART_SHARE, WHOLE, analyse_all};
use super::document::{Doc, DocKind};
use super::phrases::{Phrases, attach_names};
use super::tokenize::Analyzer;
use super::vocabulary::{Chunk, Vocabulary, chunk_length};

/// BM25's term-frequency saturation, at its usual value, and length normalisation, below its
/// usual 0.75: a course's pages differ in length tenfold (a glossary entry of sixty words, an
/// essay of fifteen hundred), and at 0.75 an essay that treats a subject at length ranked below
/// a short page that names it once. Anywhere from 0.4 to 0.6 scores alike on the judged queries
/// (tests/browser/search-judgments.json).
const K1: f64 = 1.2;
const B: f64 = 0.5;
/// How much one occurrence counts in each part of the text.
pub(super) const HEADING_WEIGHT: f32 = 3.0;
pub(super) const SUMMARY_WEIGHT: f32 = 1.5;
pub(super) const BODY_WEIGHT: f32 = 1.0;
pub(super) const SUBJECT_WEIGHT: f32 = 1.5;
/// A title match is worth more than any number of body mentions (BM25's text part stays below
/// K1 + 1 = 2.2), a shorter title more than a longer one; an alias a little less than a title.
const TITLE_BONUS: (f64, f64) = (2.4, 1.8);
const ALIAS_BONUS: (f64, f64) = (2.2, 1.2);
/// Scores are stored as integers: hundredths.
const SCORE_SCALE: f64 = 100.0;
/// A posting names at most this many passages to show, best first.
pub const PASSAGES_PER_POSTING: usize = 2;
/// A page whose text is more than the first share links to other pages is a hub (a session's
/// plan, a list of readings): it gathers other pages' subjects rather than treating its own, so
/// every word counts for less on it, down to half from the second share.
const HUB_LINK_SHARE: (f64, f64) = (0.15, 0.25);

/// The standing of a work of the bibliography (see `standing`).
const REFERENCE_STANDING: f64 = 0.3;

/// One document a stem occurs in. There is one for every stem of every document, all held at
/// once, so it is kept to 16 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub score: u32,
    /// The passages to show, best first, then `NO_PASSAGE`.
    best: [u32; PASSAGES_PER_POSTING],
}

/// Fills a posting's places for passages beyond those it has.
const NO_PASSAGE: u32 = u32::MAX;
const _: () = assert!(std::mem::size_of::<Posting>() == 16);

impl Posting {
    /// A posting with the first `shown` passages of `best`.
    pub(super) fn new(
        doc: u32,
        score: u32,
        mut best: [u32; PASSAGES_PER_POSTING],
        shown: u8,
    ) -> Posting {
        best[usize::from(shown).min(PASSAGES_PER_POSTING)..].fill(NO_PASSAGE);
        Posting { doc, score, best }
    }

    /// Passage numbers within the document, best first; empty when the stem is only in the title
    /// or an alias (the client then shows the first passage).
    pub fn passages(&self) -> &[u32] {
        let shown = self.best.iter().take_while(|&&p| p != NO_PASSAGE).count();
        &self.best[..shown]
    }
}

/// Everything the index stores about one stem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stem {
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
    /// For an alias, the term's name, lowercase: a query that names the term by an alias finds
    /// the pages that use its name as well.
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// By stem, sorted.
    pub stems: BTreeMap<String, Stem>,
}

/// Marks a word that is not indexed (a stop word, an overlong word).
pub(super) const NOT_INDEXED: u32 = u32::MAX;

impl SearchIndex {
    pub fn build(docs: &[Doc], analyzer: &Analyzer) -> SearchIndex {
        use rayon::prelude::*;
        let timer = crate::timing::Timer::start();
        let mut chunks: Vec<Chunk> = docs
            .par_chunks(chunk_length(docs.len()))
            .map(Chunk::read)
            .collect();
        timer.lap("i:read");
        let words = chunks.iter_mut().map(|c| std::mem::take(&mut c.words));
        let vocab = Vocabulary::build(words.collect(), analyzer);
        let phrases = Phrases::build(docs, analyzer, &vocab.stems);
        timer.lap("i:vocab");
        let analysed = analyse_all(chunks, &vocab, &phrases);
        // The chunks' words were the index's largest allocations so far: scoring reuses little.
        crate::timing::give_back_freed_memory();
        timer.lap("i:count");
        let standing: Vec<f64> = docs.iter().map(standing).collect();
        let mut postings = score(&analysed, &standing, vocab.stems.len() + phrases.len());
        timer.lap("i:post");
        drop(analysed);
        // The counts were as large as the postings: hand them back before the stems are sorted.
        crate::timing::give_back_freed_memory();
        postings.par_iter_mut().for_each(|list| {
            list.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        });
        let keys = vocab.stems.into_iter().chain(phrases.keys);
        let surfaces = vocab
            .surfaces
            .into_iter()
            .chain(std::iter::repeat_with(Vec::new));
        let mut stems: BTreeMap<String, Stem> = keys
            .zip(postings)
            .zip(surfaces)
            .filter(|((_, postings), _)| !postings.is_empty())
            .map(|((stem, postings), surfaces)| {
                let entry = Stem {
                    surfaces: surfaces.into_iter().map(|(s, _)| s).collect(),
                    postings,
                    phrases: Vec::new(),
                };
                (stem, entry)
            })
            .collect();
        timer.lap("i:sort");
        attach_names(docs, analyzer, &mut stems);
        timer.lap("i:phrase");
        SearchIndex { stems }
    }
}

/// How a document's matches count beside others': a work of the bibliography, whose title often
/// holds the very words a course is about, ranks below the course's own pages on them (but not
/// on its authors' names).
fn standing(doc: &Doc) -> f64 {
    if doc.kind == DocKind::Reference {
        REFERENCE_STANDING
    } else {
        1.0
    }
}

/// Each stem's postings, scored by BM25 with the title and alias bonuses and each document's
/// standing, in document order. Stems are scored in ranges, in parallel: each range reads its
/// part of every document's counts (sorted by stem), so no list is filled from two threads.
fn score(analysed: &[Analysed], standing: &[f64], stem_count: usize) -> Vec<Vec<Posting>> {
    use rayon::prelude::*;
    let total = analysed.len().max(1) as f64;
    let average = (analysed.iter().map(|a| a.length).sum::<usize>() as f64 / total).max(1.0);
    // Each document's length normalisation, hub factor and standing.
    let weights: Vec<(f64, f64, f64)> = analysed
        .iter()
        .enumerate()
        .map(|(doc, a)| {
            let norm = 1.0 - B + B * a.length as f64 / average;
            (
                norm,
                hub_factor(a),
                standing.get(doc).copied().unwrap_or(1.0),
            )
        })
        .collect();
    let step = stem_count.div_ceil(rayon::current_num_threads() * 8).max(1);
    let starts: Vec<u32> = (0..stem_count).step_by(step).map(|s| s as u32).collect();
    let splits = Splits::new(analysed, &starts);
    (0..starts.len())
        .into_par_iter()
        .flat_map_iter(|range| {
            let first = starts[range];
            let in_range = |doc| splits.counts(doc, range);
            let mut df = vec![0u32; (first as usize + step).min(stem_count) - first as usize];
            for doc in 0..analysed.len() {
                for c in in_range(doc) {
                    df[(c.stem - first) as usize] += 1;
                }
            }
            let mut lists: Vec<Vec<Posting>> =
                df.iter().map(|&n| Vec::with_capacity(n as usize)).collect();
            for (doc, (a, &(norm, hub, standing))) in analysed.iter().zip(&weights).enumerate() {
                for c in in_range(doc) {
                    let n = f64::from(df[(c.stem - first) as usize]);
                    let idf = (1.0 + (total - n + 0.5) / (n + 0.5)).ln();
                    lists[(c.stem - first) as usize].push(posting(
                        doc as u32,
                        idf,
                        (norm, hub, standing),
                        c,
                        a,
                    ));
                }
            }
            lists
        })
        .collect()
}

/// Where each range of stems starts in each document's counts, found once for every range while
/// the document's counts are in the cache: a range's pass over the documents then reads two
/// numbers a document instead of searching its counts twice.
struct Splits<'a> {
    analysed: &'a [Analysed],
    /// For each document, one place per range and then the end of its counts.
    at: Vec<u32>,
    ranges: usize,
}

impl<'a> Splits<'a> {
    fn new(analysed: &'a [Analysed], starts: &[u32]) -> Splits<'a> {
        use rayon::prelude::*;
        let ranges = starts.len();
        let mut at = vec![0u32; analysed.len() * (ranges + 1)];
        at.par_chunks_mut(ranges + 1)
            .zip(analysed)
            .for_each(|(places, a)| {
                for (place, &start) in places.iter_mut().zip(starts) {
                    *place = a.counts.partition_point(|c| c.stem < start) as u32;
                }
                places[ranges] = a.counts.len() as u32;
            });
        Splits {
            analysed,
            at,
            ranges,
        }
    }

    /// Document `doc`'s counts of the stems of range `range`.
    fn counts(&self, doc: usize, range: usize) -> &'a [Counted] {
        let places = &self.at[doc * (self.ranges + 1)..];
        &self.analysed[doc].counts[places[range] as usize..places[range + 1] as usize]
    }
}

/// A document's posting for the stem it counted `c` of.
fn posting(
    doc: u32,
    idf: f64,
    (norm, hub, standing): (f64, f64, f64),
    c: &Counted,
    a: &Analysed,
) -> Posting {
    // A work's author (its alias) names it as surely as a page's title; the rest of a work
    // counts at its standing.
    let named = if c.alias > 0 && standing < 1.0 {
        bonus(c, a)
    } else {
        standing * bonus(c, a)
    };
    let text = standing * saturate(f64::from(c.text), norm);
    let score = hub * idf * (text + named);
    let score = ((score * SCORE_SCALE).round() as u32).max(1);
    Posting::new(doc, score, c.best, c.shown)
}

/// 1 for a page of its own prose, less for a hub (see `HUB_LINK_SHARE`).
fn hub_factor(a: &Analysed) -> f64 {
    let share = a.link_length as f64 / a.length.max(1) as f64;
    let (from, half) = HUB_LINK_SHARE;
    (1.0 - 0.5 * (share - from).max(0.0) / (half - from)).max(0.5)
}

fn saturate(tf: f64, norm: f64) -> f64 {
    if tf <= 0.0 {
        0.0
    } else {
        tf * (K1 + 1.0) / (tf + K1 * norm)
    }
}

fn bonus(c: &Counted, a: &Analysed) -> f64 {
    let share = |found: u8| {
        if found == WHOLE {
            1.0
        } else {
            f64::from(PART_SHARE)
        }
    };
    let scaled = |(base, extra): (f64, f64), len: usize| base + extra / len.max(1) as f64;
    let title = (c.title > 0).then(|| scaled(TITLE_BONUS, a.title_len) * share(c.title));
    let alias = (c.alias > 0).then(|| {
        let shortest = a.alias_lens.iter().copied().min().unwrap_or(1);
        scaled(ALIAS_BONUS, shortest) * share(c.alias)
    });
    match (title, alias) {
        (Some(t), Some(al)) => t.max(al) + 0.25 * t.min(al),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::document::Passage;
    use super::*;
    use crate::content::Kind;

    fn doc(kind: Kind, title: &str, aliases: &[&str], body: &[(&str, &str)]) -> Doc {
        Doc {
            kind: kind.into(),
            question_kind: None,
            title: title.into(),
            url: format!("{}/", title.to_lowercase().replace(' ', "-")),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            tags: Vec::new(),
            anchors: Vec::new(),
            passages: body
                .iter()
                .map(|(heading, text)| Passage {
                    heading_id: heading.to_lowercase().replace(' ', "-"),
                    heading: heading.to_string(),
                    text: text.to_string(),
                    is_summary: false,
                    opens_section: !heading.is_empty(),
                    links: Vec::new(),
                })
                .collect(),
        }
    }

    /// Documents by the summed score of the query's stems, as the client ranks exact matches:
    /// more query words matched first, then score.
    fn rank(index: &SearchIndex, analyzer: &Analyzer, query: &str) -> Vec<u32> {
        let mut scores: BTreeMap<u32, (u32, u32)> = BTreeMap::new();
        for t in analyzer.tokens(query) {
            let Some(term) = index.stems.get(&t.stem) else {
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
        let index = SearchIndex::build(&corpus(), &a);
        let ranked = rank(&index, &a, "rupture");
        let title_match = ranked.iter().position(|&d| d == 2).unwrap();
        let body_mentions = ranked.iter().position(|&d| d == 1).unwrap();
        assert!(title_match < body_mentions, "{ranked:?}");
    }

    #[test]
    fn a_term_named_by_title_and_alias_ranks_first() {
        let a = Analyzer::new("en");
        let index = SearchIndex::build(&corpus(), &a);
        assert_eq!(rank(&index, &a, "rupture")[0], 0);
    }

    #[test]
    fn a_heading_match_outranks_a_single_body_mention() {
        let a = Analyzer::new("en");
        let docs = vec![
            doc(Kind::Essay, "One", &[], &[("", "We speak of repair once.")]),
            doc(Kind::Essay, "Two", &[], &[("Repair", "Nothing else.")]),
        ];
        let index = SearchIndex::build(&docs, &a);
        assert_eq!(rank(&index, &a, "repair"), [1, 0]);
    }

    #[test]
    fn an_alias_finds_its_term_and_the_card_phrase() {
        let a = Analyzer::new("en");
        let index = SearchIndex::build(&corpus(), &a);
        let term = &index.stems["ruptur"];
        assert!(term.postings.iter().any(|p| p.doc == 0));
        assert!(term.phrases.contains(&Phrase {
            doc: 0,
            rest: Vec::new(),
            name: Some("alliance rupture".into()),
        }));
        let alliance = &index.stems["allianc"];
        assert!(alliance.phrases.contains(&Phrase {
            doc: 0,
            rest: vec!["ruptur".into()],
            name: None,
        }));
    }

    #[test]
    fn inflections_are_one_term_with_their_surfaces() {
        let a = Analyzer::new("en");
        let index = SearchIndex::build(&corpus(), &a);
        let term = &index.stems["ruptur"];
        assert!(term.surfaces.contains(&"rupture".to_string()));
        assert!(term.surfaces.contains(&"ruptures".to_string()));
    }

    #[test]
    fn postings_point_at_the_passages_that_mention_the_word() {
        let a = Analyzer::new("en");
        let index = SearchIndex::build(&corpus(), &a);
        let repair = &index.stems["repair"];
        let many = repair.postings.iter().find(|p| p.doc == 1).unwrap();
        assert_eq!(many.passages(), [1]);
        let title_only = repair.postings.iter().find(|p| p.doc == 2).unwrap();
        assert!(title_only.passages().is_empty());
    }

    #[test]
    fn multi_word_queries_prefer_documents_with_every_word() {
        let a = Analyzer::new("en");
        let index = SearchIndex::build(&corpus(), &a);
        assert_eq!(rank(&index, &a, "epistemic trust")[0], 4);
    }
}
