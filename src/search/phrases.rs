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
#[derive(Default)]
pub(super) struct Phrases {
    /// Each phrase's stems, in order.
    stems: Vec<Vec<u32>>,
    /// Phrases by their first stem.
    by_first: HashMap<u32, Vec<u32>>,
    /// For each stem of the vocabulary, one bit: whether a phrase starts with it (a lookup for
    /// every word of the site, so cheaper than `by_first`).
    starts: Vec<u64>,
    /// Each phrase's key: its stems joined.
    pub(super) keys: Vec<String>,
}

impl Phrases {
    /// The names and aliases of the glossary's terms in `docs`, and the essays' tags; `stems` is
    /// the vocabulary, sorted. A name whose words are not all in it (which the site's own names
    /// always are) is left out.
    pub(super) fn build(docs: &[Doc], analyzer: &Analyzer, stems: &[String]) -> Phrases {
        let mut phrases = Phrases {
            starts: vec![0; stems.len().div_ceil(64)],
            ..Phrases::default()
        };
        let mut seen: HashMap<Vec<u32>, u32> = HashMap::new();
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
            if seen.contains_key(&numbers) {
                continue;
            }
            let n = phrases.stems.len() as u32;
            seen.insert(numbers.clone(), n);
            let key: Vec<&str> = terms.iter().map(|t| t.stem.as_str()).collect();
            phrases.keys.push(key.join(PHRASE_JOIN));
            phrases.by_first.entry(numbers[0]).or_default().push(n);
            phrases.starts[numbers[0] as usize / 64] |= 1 << (numbers[0] % 64);
            phrases.stems.push(numbers);
        }
        phrases
    }

    pub(super) fn len(&self) -> usize {
        self.stems.len()
    }

    /// Whether a phrase starts with stem `stem`.
    pub(super) fn starts(&self, stem: u32) -> bool {
        self.starts
            .get(stem as usize / 64)
            .is_some_and(|bits| bits & (1 << (stem % 64)) != 0)
    }

    /// Calls `found` with the number, place and length of each phrase that starts at each place
    /// of `stream` (stem numbers of consecutive words, `u32::MAX` for a word that matches
    /// nothing).
    pub(super) fn find(&self, stream: &[u32], mut found: impl FnMut(u32, usize, usize)) {
        if self.by_first.is_empty() {
            return;
        }
        for (i, &first) in stream.iter().enumerate() {
            if !self.starts(first) {
                continue;
            }
            let Some(candidates) = self.by_first.get(&first) else {
                continue;
            };
            for &p in candidates {
                let stems = &self.stems[p as usize];
                if stream[i..].starts_with(stems) {
                    found(p, i, stems.len());
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
