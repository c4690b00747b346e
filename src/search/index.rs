//! The inverted index: for every stem, the documents it occurs in with a precomputed score and
//! the passages to show, best first. Scores are BM25 over the text (headings and summaries
//! weighted above body text) plus a bonus for a match in the title or a term's alias, so the
//! client only adds numbers up.

use std::collections::BTreeMap;

use super::document::Doc;
use super::phrases::{Phrases, attach_names};
use super::tokenize::Analyzer;
use super::vocabulary::{Chunk, JOINED, PART, Part, STOP, Vocabulary, WORD, few_pieces};

/// BM25's term-frequency saturation and length normalisation, at their usual values.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// How much one occurrence counts in each part of the text.
pub(super) const HEADING_WEIGHT: f32 = 3.0;
pub(super) const SUMMARY_WEIGHT: f32 = 1.5;
pub(super) const BODY_WEIGHT: f32 = 1.0;
pub(super) const SUBJECT_WEIGHT: f32 = 1.5;
/// A title match is worth more than any number of body mentions (BM25's text part stays below
/// K1 + 1 = 2.2), a shorter title more than a longer one; an alias a little less than a title.
const TITLE_BONUS: (f64, f64) = (2.4, 1.8);
const ALIAS_BONUS: (f64, f64) = (2.2, 1.2);
/// A word counts for this share where it is only part of a hyphenated word: "self-trust" is
/// about trust, but less so than "trust" is.
const PART_SHARE: f32 = 0.5;
/// Scores are stored as integers: hundredths.
const SCORE_SCALE: f64 = 100.0;
/// A posting names at most this many passages to show, best first.
pub const PASSAGES_PER_POSTING: usize = 2;
/// How much one occurrence counts in the text of a link to another page: the titles a page
/// links to say less about the page itself than its own words (and count for the page they
/// name: see `Doc::anchors`).
const LINK_WEIGHT: f32 = 0.5;
/// A page whose text is more than the first share links to other pages is a hub (a session's
/// plan, a list of readings): it gathers other pages' subjects rather than treating its own, so
/// every word counts for less on it, down to half from the second share.
const HUB_LINK_SHARE: (f64, f64) = (0.15, 0.25);

/// One document a stem occurs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub score: u32,
    best: [u32; PASSAGES_PER_POSTING],
    shown: u8,
}

impl Posting {
    /// Passage numbers within the document, best first; empty when the stem is only in the title
    /// or an alias (the client then shows the first passage).
    pub fn passages(&self) -> &[u32] {
        &self.best[..usize::from(self.shown)]
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

/// How often a stem occurs in each part of one document. Kept small (there is one for every
/// stem of every document); weights are sums of halves and quarters, exact in an f32.
#[derive(Clone, Copy)]
struct Counts {
    stem: u32,
    /// Whether the stem is in the title and in an alias: as a word (`WHOLE`), only as part of a
    /// hyphenated word (`PARTLY`), or not (0).
    title: u8,
    alias: u8,
    shown: u8,
    text: f32,
    /// The passage being read and the stem's weighted occurrences in it so far.
    current: (u32, f32),
    /// The best finished passages, best first: passages are read in order, so a passage's weight
    /// is final once a later one starts.
    best: [(u32, f32); PASSAGES_PER_POSTING],
}

impl Counts {
    fn new(stem: u32) -> Counts {
        Counts {
            stem,
            title: 0,
            alias: 0,
            shown: 0,
            text: 0.0,
            current: (NOT_INDEXED, 0.0),
            best: [(0, 0.0); PASSAGES_PER_POSTING],
        }
    }

    fn add(&mut self, passage: u32, weight: f32) {
        self.text += weight;
        if self.current.0 != passage {
            self.finish_passage();
            self.current = (passage, 0.0);
        }
        self.current.1 += weight;
    }

    /// Ranks the passage being read among the best: by weight, then the earlier passage.
    fn finish_passage(&mut self) {
        let (passage, weight) = self.current;
        if passage == NOT_INDEXED {
            return;
        }
        self.current = (NOT_INDEXED, 0.0);
        let better =
            |a: (u32, f32), b: (u32, f32)| a.1.total_cmp(&b.1).reverse().then(a.0.cmp(&b.0));
        let shown = usize::from(self.shown);
        let mut at = shown;
        while at > 0 && better((passage, weight), self.best[at - 1]).is_lt() {
            at -= 1;
        }
        if at >= PASSAGES_PER_POSTING {
            return;
        }
        let end = shown.min(PASSAGES_PER_POSTING - 1);
        self.best.copy_within(at..end, at + 1);
        self.best[at] = (passage, weight);
        self.shown = (shown + 1).min(PASSAGES_PER_POSTING) as u8;
    }
}

const WHOLE: u8 = 2;
const PARTLY: u8 = 1;

/// A document's stems with their counts, its title length and its text length.
struct Analysed {
    counts: Vec<Counts>,
    title_len: usize,
    alias_lens: Vec<usize>,
    length: usize,
    /// Words of `length` in the text of links to other pages.
    link_length: usize,
}

impl SearchIndex {
    pub fn build(docs: &[Doc], analyzer: &Analyzer) -> SearchIndex {
        use rayon::prelude::*;
        let timer = crate::timing::Timer::start();
        let chunks: Vec<Chunk> = docs
            .par_chunks(few_pieces(docs.len()))
            .map(Chunk::read)
            .collect();
        timer.lap("i:read");
        let vocab = Vocabulary::build(&chunks, analyzer);
        let phrases = Phrases::build(docs, analyzer, &vocab.stems);
        timer.lap("i:vocab");
        let analysed = analyse_all(&chunks, &vocab, &phrases);
        drop(chunks);
        timer.lap("i:count");
        let mut postings = score(&analysed, vocab.stems.len() + phrases.len());
        timer.lap("i:post");
        drop(analysed);
        postings.par_iter_mut().for_each(|list| {
            list.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        });
        let keys = vocab.stems.into_iter().chain(phrases.keys);
        let surfaces = vocab.surfaces.into_iter().chain(std::iter::repeat_with(Vec::new));
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

/// Every document's stems counted, in document order. Each chunk keeps a slot per stem (its
/// place in the document's counts), reset after each document, instead of a hash map per
/// document.
fn analyse_all(chunks: &[Chunk], vocab: &Vocabulary, phrases: &Phrases) -> Vec<Analysed> {
    use rayon::prelude::*;
    let stem_count = vocab.stems.len();
    let keys = Keys {
        stem_count: stem_count as u32,
        phrases,
    };
    chunks
        .par_iter()
        .zip(&vocab.stem_of)
        .map(|(chunk, stem_of)| {
            let mut slots = vec![NOT_INDEXED; stem_count + phrases.len()];
            let mut start = 0;
            chunk
                .pieces
                .iter()
                .map(|pieces| {
                    let words = Words {
                        ids: &chunk.ids,
                        stem_of,
                    };
                    let a = analyse(words, start, pieces, &keys, &mut slots);
                    start = pieces.last().map_or(start, |&(_, end)| end);
                    a
                })
                .collect::<Vec<_>>()
        })
        .flatten()
        .collect()
}

/// Each stem's postings, scored by BM25 with the title and alias bonuses, in document order.
fn score(analysed: &[Analysed], stem_count: usize) -> Vec<Vec<Posting>> {
    let total = analysed.len().max(1) as f64;
    let average = (analysed.iter().map(|a| a.length).sum::<usize>() as f64 / total).max(1.0);
    let mut df = vec![0u32; stem_count];
    for a in analysed {
        for c in &a.counts {
            df[c.stem as usize] += 1;
        }
    }
    let idf: Vec<f64> = df
        .iter()
        .map(|&n| {
            let n = f64::from(n);
            (1.0 + (total - n + 0.5) / (n + 0.5)).ln()
        })
        .collect();
    let mut postings: Vec<Vec<Posting>> =
        df.iter().map(|&n| Vec::with_capacity(n as usize)).collect();
    for (doc, a) in analysed.iter().enumerate() {
        let norm = 1.0 - B + B * a.length as f64 / average;
        let hub = hub_factor(a);
        for c in &a.counts {
            let score = hub * idf[c.stem as usize] * (saturate(f64::from(c.text), norm) + bonus(c, a));
            let mut best = [0; PASSAGES_PER_POSTING];
            for (slot, (passage, _)) in best.iter_mut().zip(&c.best[..usize::from(c.shown)]) {
                *slot = *passage;
            }
            postings[c.stem as usize].push(Posting {
                doc: doc as u32,
                score: ((score * SCORE_SCALE).round() as u32).max(1),
                best,
                shown: c.shown,
            });
        }
    }
    postings
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

fn bonus(c: &Counts, a: &Analysed) -> f64 {
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

/// A chunk's words and the stem of each.
#[derive(Clone, Copy)]
struct Words<'a> {
    ids: &'a [u32],
    stem_of: &'a [u32],
}

/// What is counted besides stems: phrases, numbered after the vocabulary's stems.
struct Keys<'a> {
    stem_count: u32,
    phrases: &'a Phrases,
}

/// Counts one document's stems and phrases: its words are `words.ids[start..]`, cut into
/// `pieces`. `slots` has one entry per stem and phrase, all `NOT_INDEXED`, and is left that way.
fn analyse(
    words: Words,
    start: u32,
    pieces: &[(Part, u32)],
    keys: &Keys,
    slots: &mut [u32],
) -> Analysed {
    let mut counts: Vec<Counts> = Vec::new();
    // `whole`: the word stands on its own, not as part of a longer name.
    let mut count = |key: u32, part: Part, whole: bool| {
        let slot = &mut slots[key as usize];
        if *slot == NOT_INDEXED {
            *slot = counts.len() as u32;
            counts.push(Counts::new(key));
        }
        let c = &mut counts[*slot as usize];
        let found = if whole { WHOLE } else { PARTLY };
        match part {
            Part::Title => c.title = c.title.max(found),
            Part::Alias => c.alias = c.alias.max(found),
            Part::Subject(weight) => c.text += if whole { weight } else { weight * PART_SHARE },
            Part::Link(number) => c.add(number, LINK_WEIGHT * if whole { 1.0 } else { PART_SHARE }),
            Part::Passage(number, weight) if whole => c.add(number, weight),
            Part::Passage(number, weight) => c.add(number, weight * PART_SHARE),
        }
    };
    let mut title_len = 0;
    let mut alias_lens = Vec::new();
    let mut length = 0;
    let mut link_length = 0;
    let mut from = start as usize;
    // The piece's stems as phrases are matched against (whole words, hyphenated ones whole),
    // and whether each stands in a phrase.
    let mut stream: Vec<u32> = Vec::new();
    let mut in_phrase: Vec<bool> = Vec::new();
    for &(part, end) in pieces {
        let piece = &words.ids[from..end as usize];
        stream.clear();
        stream.extend(piece.iter().filter(|&&id| id & PART == 0).map(|&id| {
            let stem = words.stem_of[(id & WORD) as usize];
            if stem == NOT_INDEXED { u32::MAX } else { stem & !STOP }
        }));
        in_phrase.clear();
        in_phrase.resize(stream.len(), false);
        keys.phrases.find(&stream, |p, at, len| {
            count(keys.stem_count + p, part, true);
            in_phrase[at..at + len].fill(true);
        });
        let mut counted = 0;
        let mut place = 0;
        for &id in piece {
            let stem = words.stem_of[(id & WORD) as usize];
            // A word counts in part where it is part of a hyphenated word or of a glossary
            // name of several words: "trust" in "self-trust" and in "epistemic trust".
            let whole = id & PART == 0 && !in_phrase[place];
            if id & PART == 0 {
                place += 1;
            }
            if stem == NOT_INDEXED {
                continue;
            }
            let stop = stem & STOP != 0;
            let stem = stem & !STOP;
            // A stop word counts only in a title or alias, or as part of a hyphenated word;
            // a text's length counts its words, not their hyphenated whole.
            let in_name = matches!(part, Part::Title | Part::Alias);
            if stop && id & PART == 0 && !in_name {
                continue;
            }
            if !stop && id & JOINED == 0 {
                counted += 1;
            }
            count(stem, part, whole);
        }
        from = end as usize;
        match part {
            Part::Title => title_len = counted,
            Part::Alias => alias_lens.push(counted),
            Part::Passage(..) => length += counted,
            Part::Link(_) => {
                length += counted;
                link_length += counted;
            }
            Part::Subject(_) => {}
        }
    }
    for c in &mut counts {
        c.finish_passage();
        slots[c.stem as usize] = NOT_INDEXED;
    }
    Analysed {
        counts,
        title_len,
        alias_lens,
        length,
        link_length,
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
