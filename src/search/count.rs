//! Counting each document's stems and phrases by where they occur (title, alias, heading,
//! summary, text, link text), the step between reading the words and scoring them.

use super::index::{NOT_INDEXED, PASSAGES_PER_POSTING};
use super::phrases::Phrases;
use super::vocabulary::{Chunk, JOINED, PART, Part, STOP, Vocabulary, WORD};

/// A word counts for this share where it is only part of a longer name: "trust" in "self-trust"
/// or in "epistemic trust" is about trust, but less so than "trust" alone is.
pub(super) const PART_SHARE: f32 = 0.5;
/// How much one occurrence counts in the text of a link to another page: the titles a page
/// links to say less about the page itself than its own words (and count for the page they
/// name: see `Doc::anchors`).
const LINK_WEIGHT: f32 = 0.5;

/// How often a stem occurs in each part of one document, while the document is read; weights
/// are sums of halves and quarters, exact in an f32.
#[derive(Clone, Copy)]
struct Counts {
    stem: u32,
    /// The stem's slot in its chunk (see `Tally`).
    slot: u32,
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

/// A stem's counts in one document once it is read: what scoring needs. There is one for every
/// stem of every document, all held until every document is read, so it is kept small.
#[derive(Clone, Copy)]
pub(super) struct Counted {
    pub(super) stem: u32,
    pub(super) text: f32,
    /// The best passages, best first; `shown` of them are set.
    pub(super) best: [u32; PASSAGES_PER_POSTING],
    pub(super) shown: u8,
    /// Whether the stem is in the title and in an alias: as a word (`WHOLE`), only as part of a
    /// hyphenated word (`PARTLY`), or not (0).
    pub(super) title: u8,
    pub(super) alias: u8,
}

impl Counts {
    fn new(slot: u32, stem: u32) -> Counts {
        Counts {
            stem,
            slot,
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

/// How a stem is in a title or alias (see `Counts::title`).
pub(super) const WHOLE: u8 = 2;
const PARTLY: u8 = 1;

/// A document's stems with their counts, its title length and its text length.
pub(super) struct Analysed {
    /// Sorted by stem.
    pub(super) counts: Box<[Counted]>,
    pub(super) title_len: usize,
    pub(super) alias_lens: Vec<usize>,
    pub(super) length: usize,
    /// Words of `length` in the text of links to other pages.
    pub(super) link_length: usize,
}

/// Every document's stems counted, in document order. Each chunk keeps a slot per stem of its
/// own (the stem's place in the document's counts), reset after each document, instead of a
/// hash map per document; the chunk's stems are numbered for it, so that its slots stay as few
/// as its words, whatever the size of the site's vocabulary. Each chunk is freed once its
/// documents are counted, so that the counts, which grow as the chunks are read, take the
/// place of the words they were counted from.
pub(super) fn analyse_all(
    chunks: Vec<Chunk>,
    vocab: &Vocabulary,
    phrases: &Phrases,
) -> Vec<Analysed> {
    use rayon::prelude::*;
    let stem_count = vocab.stems.len();
    let keys = Keys {
        stem_count: stem_count as u32,
        phrases,
    };
    chunks
        .into_par_iter()
        .zip(&vocab.stem_of)
        .map_init(
            || vec![NOT_INDEXED; stem_count],
            |numbers, (chunk, stem_of)| {
                let (of, local) = number_stems(stem_of, numbers);
                let mut slots = vec![NOT_INDEXED; local as usize + phrases.len()];
                let mut counts = Vec::new();
                let mut start = 0;
                chunk
                    .pieces
                    .iter()
                    .map(|pieces| {
                        let words = Words {
                            ids: &chunk.ids,
                            of: &of,
                            phrase_slots: local,
                        };
                        let tally = Tally {
                            counts: &mut counts,
                            slots: &mut slots,
                        };
                        let a = analyse(words, start, pieces, &keys, tally);
                        start = pieces.last().map_or(start, |&(_, end)| end);
                        a
                    })
                    .collect::<Vec<_>>()
            },
        )
        .flatten()
        .collect()
}

/// A chunk's own numbering of its stems: for each of its words, its stem (as in `stem_of`) and
/// the chunk's number for the stem (`NOT_INDEXED` for a word that is not indexed); and how many
/// stems the chunk has. `numbers` has an entry per stem of the site, all `NOT_INDEXED`, and is
/// left that way.
fn number_stems(stem_of: &[u32], numbers: &mut [u32]) -> (Vec<(u32, u32)>, u32) {
    let mut stems = Vec::new();
    let of = stem_of
        .iter()
        .map(|&stem| {
            if stem == NOT_INDEXED {
                return (stem, NOT_INDEXED);
            }
            let number = &mut numbers[(stem & !STOP) as usize];
            if *number == NOT_INDEXED {
                *number = stems.len() as u32;
                stems.push(stem & !STOP);
            }
            (stem, *number)
        })
        .collect();
    for &stem in &stems {
        numbers[stem as usize] = NOT_INDEXED;
    }
    (of, stems.len() as u32)
}

/// A chunk's words with the stem of each and the chunk's number for it; the chunk's slots for
/// phrases follow those for its stems, from `phrase_slots`.
#[derive(Clone, Copy)]
struct Words<'a> {
    ids: &'a [u32],
    of: &'a [(u32, u32)],
    phrase_slots: u32,
}

impl Words<'_> {
    fn stem(&self, id: u32) -> u32 {
        self.of[(id & WORD) as usize].0
    }

    /// The slot of the stem of word `id` in the chunk.
    fn slot(&self, id: u32) -> u32 {
        self.of[(id & WORD) as usize].1
    }
}

/// What is counted besides stems: phrases, numbered after the vocabulary's stems.
struct Keys<'a> {
    stem_count: u32,
    phrases: &'a Phrases,
}

/// One document's counts as it is read: a `Counts` for each stem or phrase met, found through
/// `slots` (one entry per stem and phrase of the chunk, `NOT_INDEXED` where the document has none
/// yet). Both are the chunk's, emptied after each document, so that counting a document
/// allocates nothing but its result.
struct Tally<'s> {
    counts: &'s mut Vec<Counts>,
    slots: &'s mut [u32],
}

impl Tally<'_> {
    /// One occurrence of `key` (a stem, or a phrase after the stems) in `part`, at `slot` in the
    /// chunk; `whole`: the word stands on its own, not as part of a longer name.
    fn count(&mut self, (slot, key): (u32, u32), part: Part, whole: bool) {
        let at = &mut self.slots[slot as usize];
        if *at == NOT_INDEXED {
            *at = self.counts.len() as u32;
            self.counts.push(Counts::new(slot, key));
        }
        let c = &mut self.counts[*at as usize];
        let found = if whole { WHOLE } else { PARTLY };
        let share = if whole { 1.0 } else { PART_SHARE };
        match part {
            Part::Title => c.title = c.title.max(found),
            Part::Alias => c.alias = c.alias.max(found),
            Part::Subject(weight) => c.text += weight * share,
            Part::Link(number) => c.add(number, LINK_WEIGHT * share),
            Part::Passage(number, weight) => c.add(number, weight * share),
        }
    }

    /// The counts, sorted by stem (scoring reads a range of stems at a time), with every slot
    /// set back to `NOT_INDEXED` and the counts emptied for the next document.
    fn finish(self) -> Box<[Counted]> {
        let mut counted: Box<[Counted]> = self
            .counts
            .drain(..)
            .map(|mut c| {
                c.finish_passage();
                self.slots[c.slot as usize] = NOT_INDEXED;
                Counted {
                    stem: c.stem,
                    text: c.text,
                    best: c.best.map(|(passage, _)| passage),
                    shown: c.shown,
                    title: c.title,
                    alias: c.alias,
                }
            })
            .collect();
        counted.sort_unstable_by_key(|c| c.stem);
        counted
    }
}

/// Counts one document's stems and phrases into `tally` (empty): its words are
/// `words.ids[start..]`, cut into `pieces`.
fn analyse(
    words: Words,
    start: u32,
    pieces: &[(Part, u32)],
    keys: &Keys,
    mut tally: Tally,
) -> Analysed {
    let mut title_len = 0;
    let mut alias_lens = Vec::new();
    let (mut length, mut link_length) = (0, 0);
    let mut from = start as usize;
    let mut scratch = (Vec::new(), Vec::new());
    for &(part, end) in pieces {
        let piece = &words.ids[from..end as usize];
        from = end as usize;
        let in_phrase = find_phrases(piece, words, keys, part, &mut tally, &mut scratch);
        let counted = count_words(piece, words, part, in_phrase, &mut tally);
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
    Analysed {
        counts: tally.finish(),
        title_len,
        alias_lens,
        length,
        link_length,
    }
}

/// Counts the phrases in `piece`, and returns whether each of its whole words (hyphenated ones
/// whole, their parts left out) stands in one: empty when none does, as in most pieces, which
/// then cost one look at each word. `scratch` holds the buffers between calls.
fn find_phrases<'s>(
    piece: &[u32],
    words: Words,
    keys: &Keys,
    part: Part,
    tally: &mut Tally,
    (stream, in_phrase): &'s mut (Vec<u32>, Vec<bool>),
) -> &'s [bool] {
    in_phrase.clear();
    let starts = |id: &u32| {
        let stem = words.stem(*id);
        id & PART == 0 && stem != NOT_INDEXED && keys.phrases.starts(stem & !STOP)
    };
    if !piece.iter().any(starts) {
        return in_phrase;
    }
    stream.clear();
    stream.extend(piece.iter().filter(|&&id| id & PART == 0).map(|&id| {
        let stem = words.stem(id);
        if stem == NOT_INDEXED {
            u32::MAX
        } else {
            stem & !STOP
        }
    }));
    in_phrase.resize(stream.len(), false);
    keys.phrases.find(stream, |p, at, len| {
        tally.count((words.phrase_slots + p, keys.stem_count + p), part, true);
        in_phrase[at..at + len].fill(true);
    });
    in_phrase
}

/// Counts the words of `piece` (`in_phrase` from `find_phrases`); returns its length in words.
fn count_words(
    piece: &[u32],
    words: Words,
    part: Part,
    in_phrase: &[bool],
    tally: &mut Tally,
) -> usize {
    let in_name = matches!(part, Part::Title | Part::Alias);
    let mut counted = 0;
    let mut place = 0;
    for &id in piece {
        let stem = words.stem(id);
        // A word counts in part where it is part of a hyphenated word or of a glossary name of
        // several words: "trust" in "self-trust" and in "epistemic trust".
        let whole = id & PART == 0 && !in_phrase.get(place).copied().unwrap_or(false);
        if id & PART == 0 {
            place += 1;
        }
        if stem == NOT_INDEXED {
            continue;
        }
        let stop = stem & STOP != 0;
        // A stop word counts only in a title or alias, or as part of a hyphenated word; a
        // text's length counts its words, not their hyphenated whole.
        if stop && id & PART == 0 && !in_name {
            continue;
        }
        if !stop && id & JOINED == 0 {
            counted += 1;
        }
        tally.count((words.slot(id), stem & !STOP), part, whole);
    }
    counted
}
