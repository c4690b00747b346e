//! Reading the documents for the index: every word read and hashed once, each distinct word of
//! the site stemmed once.

// ahash is already built for Tera; SipHash was a tenth of the index build on large sites.
use ahash::AHashMap as HashMap;

use super::document::Doc;
use super::index::{BODY_WEIGHT, HEADING_WEIGHT, NOT_INDEXED, SUBJECT_WEIGHT, SUMMARY_WEIGHT};
use super::tokenize::{Analyzer, Token};

/// Marks on a word's number in `Chunk::ids`: a part of a hyphenated word ("well" and "being" of
/// "well-being"), and a hyphenated word as a whole, which follows its parts. Word numbers stay
/// below both.
pub(super) const PART: u32 = 1 << 31;
pub(super) const JOINED: u32 = 1 << 30;
pub(super) const WORD: u32 = JOINED - 1;
/// Marks on a stem number in `Vocabulary::stem_of`: the word is a stop word, indexed only in a
/// title or alias, or as a part of a hyphenated word.
pub(super) const STOP: u32 = 1 << 31;

/// A run of consecutive documents read together. Reading turns every word into a number of the
/// run's own with one hash lookup; from then on the index works with numbers, so the text is
/// read and hashed once.
#[derive(Default)]
pub(super) struct Chunk<'d> {
    /// The run's distinct words, by number: taken by the `Vocabulary`, the only one to read them.
    pub(super) words: Words<'d>,
    /// Every word of every document of the run, in order, as its number: a hyphenated word's
    /// parts (marked `PART`) and then the whole (marked `JOINED`).
    pub(super) ids: Vec<u32>,
    /// For each document, its pieces of text in order: where each counts and where it ends in
    /// `ids`. A document starts where the one before it ends.
    pub(super) pieces: Vec<Vec<(Part, u32)>>,
}

/// A run's distinct words.
#[derive(Default)]
pub(super) struct Words<'d> {
    text: Vec<&'d str>,
    /// Each word of up to 16 bytes as one number (see `pack`), or 0 for a longer one: merging
    /// the runs' words then reads no text and compares no strings.
    keys: Vec<u128>,
    /// For each word, the number of the run's documents it is in.
    docs: Vec<u32>,
}

/// What reading a run knows of one of its words: its number, the last document it was seen in
/// and the number of documents it is in. Kept in the word's hash table entry, so a word read
/// touches one place in memory.
#[derive(Clone, Copy)]
struct Seen {
    id: u32,
    last: u32,
    docs: u32,
}

impl<'d> Chunk<'d> {
    pub(super) fn read(docs: &'d [Doc]) -> Chunk<'d> {
        let mut chunk = Chunk::default();
        // Words of up to 16 bytes (nearly all) are looked up as one number: no string compare.
        let mut short: HashMap<u128, Seen> = HashMap::new();
        let mut long: HashMap<&str, Seen> = HashMap::new();
        for (n, doc) in docs.iter().enumerate() {
            let n = n as u32;
            let mut pieces = Vec::with_capacity(doc.passages.len() + 2);
            for_each_text(doc, |text, part| {
                for (run, joined) in super::tokenize::marked_runs(text) {
                    let mut add = |word: &'d str, mark: u32| {
                        let id = chunk.number(word, &mut short, &mut long, n);
                        chunk.ids.push(id | mark);
                    };
                    if joined {
                        for word in super::tokenize::words(run) {
                            add(word, PART);
                        }
                        add(run, JOINED);
                    } else {
                        add(run, 0);
                    }
                }
                pieces.push((part, chunk.ids.len() as u32));
            });
            chunk.pieces.push(pieces);
        }
        let words = &mut chunk.words;
        words.docs = vec![0; words.text.len()];
        for seen in short.values().chain(long.values()) {
            words.docs[seen.id as usize] = seen.docs;
        }
        // Held until every document is counted: no room to spare.
        chunk.ids.shrink_to_fit();
        chunk
    }

    /// The run's number for `word`, counting the document `n` it is seen in.
    fn number(
        &mut self,
        word: &'d str,
        short: &mut HashMap<u128, Seen>,
        long: &mut HashMap<&'d str, Seen>,
        n: u32,
    ) -> u32 {
        let key = pack(word);
        let words = &mut self.words;
        let add = || {
            words.text.push(word);
            words.keys.push(key.unwrap_or(0));
            Seen {
                id: (words.text.len() - 1) as u32,
                last: u32::MAX,
                docs: 0,
            }
        };
        let seen = match key {
            Some(key) => short.entry(key).or_insert_with(add),
            None => long.entry(word).or_insert_with(add),
        };
        if seen.last != n {
            seen.last = n;
            seen.docs += 1;
        }
        seen.id
    }
}

/// A word of up to 16 bytes as one number (words hold no NUL byte, so the padding is unambiguous).
fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 16 {
        return None;
    }
    let mut key = [0u8; 16];
    key[..bytes.len()].copy_from_slice(bytes);
    Some(u128::from_le_bytes(key))
}

/// Every distinct word of the site, analysed once: stemming is the costly part of indexing, and a
/// large site has a few hundred thousand distinct words among its millions.
pub(super) struct Vocabulary {
    /// Stems, sorted: a stem's number is its place here.
    pub(super) stems: Vec<String>,
    /// For each stem, its surfaces with the number of documents each was written in.
    pub(super) surfaces: Vec<Vec<(String, u32)>>,
    /// For each chunk, the stem number of each of its words (marked `STOP` for a stop word), or
    /// `NOT_INDEXED`.
    pub(super) stem_of: Vec<Vec<u32>>,
}

impl Vocabulary {
    /// The vocabulary of the runs' `words`, which it takes.
    pub(super) fn build(words: Vec<Words>, analyzer: &Analyzer) -> Vocabulary {
        use rayon::prelude::*;
        let timer = crate::timing::Timer::start();
        let (words, numbering) = merge(words);
        timer.lap("v:merge");
        let mut tokens: Vec<Option<Token>> =
            words.par_iter().map(|(w, _)| analyzer.token(w)).collect();
        timer.lap("v:stem");
        let (stems, surfaces, word_stem) = by_stem(&words, &mut tokens);
        drop((words, tokens));
        timer.lap("v:group");
        let stem_of = (numbering.runs.par_iter())
            .map(|run| {
                let mut stem_of = vec![NOT_INDEXED; run.order.of.len()];
                run.each(&numbering.numbers, |w, n| {
                    stem_of[w as usize] = word_stem[n as usize];
                });
                stem_of
            })
            .collect();
        Vocabulary {
            stems,
            surfaces,
            stem_of,
        }
    }
}

/// How many bits of a word's hash pick its bucket in `merge`: 128 buckets, so that a bucket of a
/// site of a million distinct words keeps its table in a core's own cache (half a megabyte).
const BUCKET_BITS: u32 = 7;
const BUCKETS: usize = 1 << BUCKET_BITS;

/// The runs' words merged: each distinct word of the site once, with the number of documents it
/// is in, and the number in that list of each run's words.
///
/// One table of every word of a large site is many times larger than the processor's caches, so
/// that nearly every word looked up in it would be a trip to main memory. The words are dealt
/// into buckets by a hash of their key instead, and each bucket is merged on its own, in
/// parallel, in a table that stays in the cache. A word's number is its place in its bucket
/// after the words of the buckets before it.
fn merge<'d>(runs: Vec<Words<'d>>) -> (Vec<(&'d str, u32)>, Numbering) {
    use rayon::prelude::*;
    let (dealt, orders): (Vec<Words>, Vec<Order>) = runs.into_par_iter().map(deal).unzip();
    let buckets: Vec<Bucket> = (0..BUCKETS)
        .into_par_iter()
        .map(|b| Bucket::merge(&dealt, &orders, b))
        .collect();
    drop(dealt);
    let mut words = Vec::with_capacity(buckets.iter().map(|b| b.words.len()).sum());
    let mut numbers = Vec::with_capacity(BUCKETS);
    for mut bucket in buckets {
        let first = words.len() as u32;
        words.append(&mut bucket.words);
        bucket.numbers.iter_mut().for_each(|n| *n += first);
        numbers.push(bucket.numbers);
    }
    // Where each run's words start in each bucket's numbers.
    let mut seen = vec![0; BUCKETS];
    let runs = (orders.into_iter())
        .map(|order| {
            let at = seen.clone();
            for (b, n) in seen.iter_mut().enumerate() {
                *n += order.bucket(b).len();
            }
            RunNumbers { order, at }
        })
        .collect();
    (words, Numbering { numbers, runs })
}

/// The number `merge` gives each word of each run.
struct Numbering {
    /// For each bucket, the numbers of its words in every run, run by run.
    numbers: Vec<Vec<u32>>,
    runs: Vec<RunNumbers>,
}

/// Where a run's words are in `Numbering::numbers`.
struct RunNumbers {
    order: Order,
    /// Where the run's words start in each bucket's numbers.
    at: Vec<usize>,
}

impl RunNumbers {
    /// Calls `f` with each word of the run, by its number in the run, and its number in `merge`.
    fn each(&self, numbers: &[Vec<u32>], mut f: impl FnMut(u32, u32)) {
        for (b, numbers) in numbers.iter().enumerate() {
            let numbers = &numbers[self.at[b]..];
            for (&w, &n) in self.order.bucket(b).iter().zip(numbers) {
                f(w, n);
            }
        }
    }
}

/// A run's words in bucket order, as `deal` lays them out: each bucket's words in the run's
/// order, and the run's number of each.
struct Order {
    of: Vec<u32>,
    /// Where each bucket's words start in `of`, and where the last ends.
    starts: Vec<u32>,
}

impl Order {
    /// The place in the bucket order of bucket `b`'s words.
    fn range(&self, b: usize) -> std::ops::Range<usize> {
        self.starts[b] as usize..self.starts[b + 1] as usize
    }

    /// The run's numbers of bucket `b`'s words.
    fn bucket(&self, b: usize) -> &[u32] {
        &self.of[self.range(b)]
    }
}

/// A run's words laid out bucket by bucket, so that merging a bucket reads each run's words of
/// it side by side, and where each came from.
fn deal(words: Words) -> (Words, Order) {
    let buckets = || (words.keys.iter().zip(&words.text)).map(|(&k, w)| bucket_of(k, w));
    let mut starts = vec![0u32; BUCKETS + 1];
    for b in buckets() {
        starts[b + 1] += 1;
    }
    for b in 0..BUCKETS {
        starts[b + 1] += starts[b];
    }
    let mut next = starts.clone();
    let mut of = vec![0; words.text.len()];
    for (w, b) in buckets().enumerate() {
        of[next[b] as usize] = w as u32;
        next[b] += 1;
    }
    let dealt = Words {
        text: of.iter().map(|&w| words.text[w as usize]).collect(),
        keys: of.iter().map(|&w| words.keys[w as usize]).collect(),
        docs: of.iter().map(|&w| words.docs[w as usize]).collect(),
    };
    (dealt, Order { of, starts })
}

/// One bucket of `merge`: its distinct words with the number of documents each is in, and the
/// number in this list of each of its words in each run, run by run.
struct Bucket<'d> {
    words: Vec<(&'d str, u32)>,
    numbers: Vec<u32>,
}

impl<'d> Bucket<'d> {
    fn merge(dealt: &[Words<'d>], orders: &[Order], b: usize) -> Bucket<'d> {
        let mut short: HashMap<u128, u32> = HashMap::new();
        let mut long: HashMap<&str, u32> = HashMap::new();
        let mut words: Vec<(&str, u32)> = Vec::new();
        let mut numbers = Vec::new();
        for (run, order) in dealt.iter().zip(orders) {
            let range = order.range(b);
            let (text, keys) = (&run.text[range.clone()], &run.keys[range.clone()]);
            for ((&word, &key), &docs) in text.iter().zip(keys).zip(&run.docs[range]) {
                let add = || {
                    words.push((word, 0));
                    (words.len() - 1) as u32
                };
                let n = match key {
                    0 => *long.entry(word).or_insert_with(add),
                    key => *short.entry(key).or_insert_with(add),
                };
                words[n as usize].1 += docs;
                numbers.push(n);
            }
        }
        Bucket { words, numbers }
    }
}

/// The bucket of `merge` for a word with the packed `key` (0 for a word too long to pack): the
/// top bits of a multiplicative hash of the key, or of a long word's first 16 bytes and length.
fn bucket_of(key: u128, word: &str) -> usize {
    let key = match key {
        0 => prefix(word) ^ word.len() as u128,
        key => key,
    };
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BUCKET_BITS)) as usize
}

/// A stem of the vocabulary: its surfaces, but the stem itself, with the number of documents
/// each is written in, most first.
type Surfaces = Vec<(String, u32)>;

/// The stems of the words `tokens` analyse, sorted, each with its `Surfaces`, and the stem number
/// of each word (marked `STOP` for a stop word), or `NOT_INDEXED`; `words` are the words with
/// the number of documents each is in. The words are sorted by stem and surface, so that each stem's
/// words, and each surface's, are side by side: no table of stems or of surfaces is needed.
/// The tokens' strings are taken.
fn by_stem(
    words: &[(&str, u32)],
    tokens: &mut [Option<Token>],
) -> (Vec<String>, Vec<Surfaces>, Vec<u32>) {
    use rayon::prelude::*;
    // Sorted by the stem's first 16 bytes, held beside the word: most comparisons read no string.
    let mut sorted: Vec<(u128, u32)> = tokens
        .iter()
        .enumerate()
        .filter_map(|(w, t)| t.as_ref().map(|t| (prefix(&t.stem), w as u32)))
        .collect();
    {
        let key = |w: u32| {
            let t = tokens[w as usize].as_ref();
            t.map(|t| (t.stem.as_str(), t.surface.as_str()))
        };
        sorted.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| key(a.1).cmp(&key(b.1))));
    }
    let order: Vec<u32> = sorted.into_iter().map(|(_, w)| w).collect();
    let mut word_stem = vec![NOT_INDEXED; tokens.len()];
    let (mut stems, mut surfaces) = (Vec::new(), Vec::new());
    let mut rest = &order[..];
    let mut groups = Vec::new();
    while let Some(&first) = rest.first() {
        let stem_of = |w: &u32| tokens[*w as usize].as_ref().map(|t| t.stem.as_str());
        let end = rest
            .iter()
            .position(|w| stem_of(w) != stem_of(&first))
            .unwrap_or(rest.len());
        let (same, after) = rest.split_at(end);
        rest = after;
        // The stem's words by surface, found before the surfaces are taken from their tokens.
        groups.clear();
        groups.extend(same.chunk_by(|a, b| surface(tokens, *a) == surface(tokens, *b)));
        let n = stems.len() as u32;
        let mut counts: Surfaces = Vec::new();
        let mut stem = String::new();
        for group in &groups {
            let written: u32 = group.iter().map(|&w| words[w as usize].1).sum();
            for &w in *group {
                let stop = tokens[w as usize].as_ref().is_some_and(|t| t.stop);
                word_stem[w as usize] = if stop { n | STOP } else { n };
            }
            let Some(token) = tokens[group[0] as usize].take() else {
                continue;
            };
            if token.surface != token.stem {
                counts.push((token.surface, written));
            }
            stem = token.stem;
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        stems.push(stem);
        surfaces.push(counts);
    }
    (stems, surfaces, word_stem)
}

/// The first 16 bytes of `s` as a number that sorts as they do (short strings padded with zeros,
/// which no word holds).
fn prefix(s: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = s.len().min(16);
    bytes[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

/// The surface of word `w`'s token.
fn surface(tokens: &[Option<Token>], w: u32) -> Option<&str> {
    tokens[w as usize].as_ref().map(|t| t.surface.as_str())
}

/// The most documents read as one chunk: a chunk's table of words grows with its documents, and
/// past a few hundred thousand words each word read costs a trip to main memory.
const MOST_DOCS_PER_CHUNK: usize = 4096;

/// A length that cuts `n` documents into chunks: a few per thread, enough to balance the
/// threads' work, few enough that per-chunk setup stays small, and none longer than
/// `MOST_DOCS_PER_CHUNK`.
pub(super) fn chunk_length(n: usize) -> usize {
    n.div_ceil(rayon::current_num_threads() * 4)
        .clamp(1, MOST_DOCS_PER_CHUNK)
}

/// Where a piece of a document's text counts.
#[derive(Clone, Copy)]
pub(super) enum Part {
    Title,
    Alias,
    /// A subject the author gives the page (a tag, a term a question names): counts like text
    /// of this weight, but in no passage.
    Subject(f32),
    /// The text of a link to another page in passage `number`.
    Link(u32),
    /// Passage number and weight.
    Passage(u32, f32),
}

/// Calls `f` with each piece of `doc`'s text in order: title, aliases, tags, anchors, then each
/// passage's
/// heading (where it opens a section) and text, the text cut where links to other pages start
/// and end.
fn for_each_text<'d>(doc: &'d Doc, mut f: impl FnMut(&'d str, Part)) {
    f(&doc.title, Part::Title);
    for alias in &doc.aliases {
        f(alias, Part::Alias);
    }
    for subject in doc.tags.iter().chain(&doc.anchors) {
        f(subject, Part::Subject(SUBJECT_WEIGHT));
    }
    for (number, p) in doc.passages.iter().enumerate() {
        let number = number as u32;
        if p.opens_section {
            f(&p.heading, Part::Passage(number, HEADING_WEIGHT));
        }
        let weight = if p.is_summary {
            SUMMARY_WEIGHT
        } else {
            BODY_WEIGHT
        };
        let mut last = 0;
        for &(a, b) in &p.links {
            let (a, b) = (a as usize, b as usize);
            let (Some(own), Some(link)) = (p.text.get(last..a), p.text.get(a..b)) else {
                continue;
            };
            f(own, Part::Passage(number, weight));
            f(link, Part::Link(number));
            last = b;
        }
        f(&p.text[last..], Part::Passage(number, weight));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of a run, each with the number of the run's documents it is in.
    fn run<'d>(words: &[(&'d str, u32)]) -> Words<'d> {
        Words {
            text: words.iter().map(|(w, _)| *w).collect(),
            keys: words.iter().map(|(w, _)| pack(w).unwrap_or(0)).collect(),
            docs: words.iter().map(|(_, d)| *d).collect(),
        }
    }

    /// The runs' words merged, and each run's words as the merged words they are numbered to.
    fn numbered<'d>(runs: Vec<Words<'d>>) -> (Vec<(&'d str, u32)>, Vec<Vec<&'d str>>) {
        let (words, numbering) = merge(runs);
        let seen = (numbering.runs.iter())
            .map(|run| {
                let mut seen = vec![""; run.order.of.len()];
                run.each(&numbering.numbers, |w, n| {
                    seen[w as usize] = words[n as usize].0
                });
                seen
            })
            .collect();
        (words, seen)
    }

    #[test]
    fn a_word_in_several_runs_is_one_word_with_their_documents() {
        let long = "psychotherapeutically-minded";
        let runs = vec![
            run(&[("trust", 2), ("rupture", 1), (long, 1)]),
            run(&[("rupture", 3), ("repair", 1), ("trust", 1), (long, 2)]),
        ];
        let (mut words, seen) = numbered(runs);
        assert_eq!(seen[0], ["trust", "rupture", long]);
        assert_eq!(seen[1], ["rupture", "repair", "trust", long]);
        words.sort();
        let expected = [(long, 3), ("repair", 1), ("rupture", 4), ("trust", 3)];
        assert_eq!(words, expected);
    }

    #[test]
    fn every_bucket_numbers_its_words_apart_from_the_others() {
        let names: Vec<String> = (0..5_000).map(|i| format!("word{i}")).collect();
        let all: Vec<(&str, u32)> = names.iter().map(|n| (n.as_str(), 1)).collect();
        let (words, seen) = numbered(vec![run(&all[..3_000]), run(&all[2_000..])]);
        assert_eq!(words.len(), 5_000);
        assert_eq!(seen[0], names[..3_000]);
        assert_eq!(seen[1], names[2_000..]);
        let twice = words.iter().filter(|(_, docs)| *docs == 2).count();
        assert_eq!(twice, 1_000);
    }
}
