//! Glossary names and tags as phrases. A name of several words ("therapeutic alliance", "up to
//! us", "group therapy") is indexed as a key of its own, its stems joined by `_`, found wherever
//! its words stand together in that order (stop words included), so that pages with the phrase
//! rank above pages with its words apart. And every glossary name is attached to the stem of its
//! first word, where the client looks when a query might name a term (for the definition card).

use ahash::AHashMap as HashMap;
use std::collections::BTreeMap;

use super::document::Doc;
use super::index::{Phrase, Stem};
use super::tokenize::Analyzer;
use crate::content::Kind;

/// Joins a phrase's stems into its key; no stem holds it (words are letters, digits and
/// apostrophes), and it is safe in a file name and a URL.
pub const PHRASE_JOIN: &str = "_";

/// The site's glossary names and tags of two words or more, as stem numbers of the vocabulary.
/// Phrases are numbered in the order of their stems, so that those opening with the same two
/// stems are numbered consecutively.
#[derive(Default)]
pub(super) struct Phrases {
    /// For each stem of the vocabulary, one bit: whether a phrase starts with it (a lookup for
    /// every word of the site, so it stays small enough for the cache).
    starts: Vec<u64>,
    /// The phrases opening with each pair of stems (see `pair`), as a range of their numbers:
    /// where a word starts a phrase, one lookup in a table of a few bytes a phrase decides, and
    /// a phrase of two words is found without reading more.
    by_pair: HashMap<u64, (u32, u32)>,
    /// Each phrase's stems after its first two, as a range of `rest` (one more for the end).
    rest_at: Vec<u32>,
    rest: Vec<u32>,
    /// Each phrase's key: its stems joined.
    pub(super) keys: Vec<String>,
}

/// The key of two consecutive stems in `Phrases::by_pair`.
fn pair(first: u32, second: u32) -> u64 {
    u64::from(first) << 32 | u64::from(second)
}

impl Phrases {
    /// The names and aliases of the glossary's terms in `docs`, and the essays' tags; `stems` is
    /// the vocabulary, sorted. A name whose words are not all in it (which the site's own names
    /// always are) is left out.
    pub(super) fn build(docs: &[Doc], analyzer: &Analyzer, stems: &[String]) -> Phrases {
        // By stems: the order phrases are numbered in.
        let mut found: BTreeMap<Vec<u32>, String> = BTreeMap::new();
        for name in subject_names(docs) {
            let terms = analyzer.terms(name);
            if terms.len() < 2 {
                continue;
            }
            let numbers: Option<Vec<u32>> = terms
                .iter()
                .map(|t| {
                    stems
                        .binary_search_by(|s| s.as_str().cmp(&t.stem))
                        .ok()
                        .map(|n| n as u32)
                })
                .collect();
            let Some(numbers) = numbers else { continue };
            found.entry(numbers).or_insert_with(|| {
                let key: Vec<&str> = terms.iter().map(|t| t.stem.as_str()).collect();
                key.join(PHRASE_JOIN)
            });
        }
        let mut phrases = Phrases {
            starts: vec![0; stems.len().div_ceil(64)],
            rest_at: Vec::with_capacity(found.len() + 1),
            ..Phrases::default()
        };
        for (n, (numbers, key)) in (0..).zip(found) {
            let (first, second) = (numbers[0], numbers[1]);
            phrases.starts[first as usize / 64] |= 1 << (first % 64);
            let range = phrases.by_pair.entry(pair(first, second)).or_insert((n, n));
            range.1 = n + 1;
            phrases.rest_at.push(phrases.rest.len() as u32);
            phrases.rest.extend_from_slice(&numbers[2..]);
            phrases.keys.push(key);
        }
        phrases.rest_at.push(phrases.rest.len() as u32);
        phrases
    }

    pub(super) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether a phrase starts with stem `stem`.
    pub(super) fn starts(&self, stem: u32) -> bool {
        self.starts
            .get(stem as usize / 64)
            .is_some_and(|bits| bits & (1 << (stem % 64)) != 0)
    }

    /// Phrase `p`'s stems after its first two.
    fn rest(&self, p: u32) -> &[u32] {
        let p = p as usize;
        &self.rest[self.rest_at[p] as usize..self.rest_at[p + 1] as usize]
    }

    /// Calls `found` with the number, place and length of each phrase that starts at each place
    /// of `stream` (stem numbers of consecutive words, `u32::MAX` for a word that matches
    /// nothing).
    pub(super) fn find(&self, stream: &[u32], mut found: impl FnMut(u32, usize, usize)) {
        if self.by_pair.is_empty() {
            return;
        }
        for (i, two) in stream.windows(2).enumerate() {
            if !self.starts(two[0]) {
                continue;
            }
            let Some(&(from, to)) = self.by_pair.get(&pair(two[0], two[1])) else {
                continue;
            };
            let after = &stream[i + 2..];
            for p in from..to {
                let rest = self.rest(p);
                if after.starts_with(rest) {
                    found(p, i, 2 + rest.len());
                }
            }
        }
    }
}

/// Every glossary term's name and aliases, and every essay's tags, in document order: the
/// names of the course's subjects.
fn subject_names(docs: &[Doc]) -> impl Iterator<Item = &str> {
    let names = docs
        .iter()
        .filter(|d| d.kind == Kind::Term)
        .flat_map(|d| std::iter::once(&d.title).chain(&d.aliases));
    names
        .chain(docs.iter().flat_map(|d| &d.tags))
        .map(String::as_str)
}

/// Attaches each glossary name to the stem of its first word, where the client looks when the
/// query starts with that word. A name is attached as written (stop words included: "up to
/// us"), without its stop words when two words or more remain ("therapy bridge" for "therapy as
/// a bridge"), and with its hyphenated words in parts ("well being" for "well-being"). An alias
/// carries the term's name.
pub(super) fn attach_names(docs: &[Doc], analyzer: &Analyzer, stems: &mut BTreeMap<String, Stem>) {
    for (n, d) in docs.iter().enumerate() {
        if d.kind != Kind::Term {
            continue;
        }
        let title = d.title.to_lowercase();
        for (k, name) in std::iter::once(&d.title).chain(&d.aliases).enumerate() {
            let terms: Vec<String> = analyzer.terms(name).into_iter().map(|t| t.stem).collect();
            let content: Vec<String> = analyzer
                .terms(name)
                .into_iter()
                .filter(|t| !t.stop)
                .map(|t| t.stem)
                .collect();
            let parts: Vec<String> = super::tokenize::words(name)
                .filter_map(|w| analyzer.token(w))
                .map(|t| t.stem)
                .collect();
            let mut forms = vec![terms];
            if content.len() >= 2 {
                forms.push(content);
            }
            forms.push(parts);
            for form in forms {
                let Some((first, rest)) = form.split_first() else {
                    continue;
                };
                if let Some(stem) = stems.get_mut(first) {
                    let phrase = Phrase {
                        doc: n as u32,
                        rest: rest.to_vec(),
                        name: (k > 0).then(|| title.clone()),
                    };
                    if !stem.phrases.contains(&phrase) {
                        stem.phrases.push(phrase);
                        stem.phrases.sort();
                    }
                }
            }
        }
    }
}
