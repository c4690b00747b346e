//! The postings as files: each stem's best postings in a group with its neighbours' (`p/<n>`),
//! its further chunks in files of their own (`x/<stem>-<k>`), and every last further chunk in
//! a tail file shared by stems (`t/<n>`). See `files` for what the client reads in them.

use super::files::{Part, Parts, push_num, push_str};
use super::index::{Posting, Stem};

/// Postings in a stem's first chunk (the results of a one-word query, with room for a filter)
/// and in each further one (fetched for narrow filters and multi-word queries). Most stems have
/// no further chunk, so most stems cost no file of their own.
pub(super) const FIRST_CHUNK: usize = 100;
pub(super) const NEXT_CHUNK: usize = 4000;
/// A last further chunk of at most this many postings goes into a shared tail file: every last
/// one, so that only the few stems found in thousands of documents have files of their own.
pub(super) const TAIL_POSTINGS: usize = NEXT_CHUNK;
/// `[[document, score, passage…], …]`.
fn push_postings(out: &mut Vec<u8>, postings: &[Posting]) {
    out.push(b'[');
    for (i, p) in postings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_num(out, p.doc);
        out.push(b',');
        push_num(out, p.score);
        for n in p.passages() {
            out.push(b',');
            push_num(out, n);
        }
        out.push(b']');
    }
    out.push(b']');
}

/// How the postings are cut into files, laid out from the lengths their text will have.
struct Layout {
    /// Each stem's group.
    groups: Vec<usize>,
    /// The stems of each group, consecutive.
    bounds: Vec<std::ops::Range<usize>>,
    /// The stems of each tail file.
    tails: Vec<Vec<usize>>,
}

impl Layout {
    fn new(stems: &[(&String, &Stem)], part: usize) -> Layout {
        use rayon::prelude::*;
        // Each stem's entry in its group, `"id":[…]`, and in a tail file, `"stem":[…]` (0: none).
        let lengths: Vec<(usize, usize)> = stems
            .par_iter()
            .enumerate()
            .map(|(id, (stem, term))| {
                let head = digits(id) + 3 + postings_len(first_chunk(term));
                let tail = tail_chunk(term).map_or(0, |c| quoted_len(stem) + 1 + postings_len(c));
                (head, tail)
            })
            .collect();
        let tail_bytes: usize = lengths.iter().map(|&(_, tail)| tail).sum();
        let tail_files = if tail_bytes == 0 {
            0
        } else {
            // Larger than a group: tail files are fetched only for filters and several words.
            tail_bytes.div_ceil(4 * part).next_power_of_two()
        };
        // Consecutive stems to a group while its text (`{`, entries joined by `,`, `}`) fits.
        let mut groups = Vec::with_capacity(stems.len());
        let mut bounds = Vec::new();
        let (mut start, mut len) = (0, 0);
        for (id, &(head, _)) in lengths.iter().enumerate() {
            if id > start && len + head + 2 > part {
                bounds.push(start..id);
                (start, len) = (id, 0);
            }
            len += head + 1;
            groups.push(bounds.len());
        }
        if start < stems.len() {
            bounds.push(start..stems.len());
        }
        let mut tails: Vec<Vec<usize>> = vec![Vec::new(); tail_files];
        for (id, (stem, term)) in stems.iter().enumerate() {
            if tail_chunk(term).is_some() {
                tails[tail_of(stem, tail_files)].push(id);
            }
        }
        Layout {
            groups,
            bounds,
            tails,
        }
    }
}

/// Cuts every stem's postings into its first chunk (grouped with its neighbours') and further
/// chunks, the last of which goes into a tail file when it is short. Returns each stem's group,
/// its number of chunks, and the number of tail files (their number is a power of two, so that
/// it changes seldom). Groups and tail files are about `part` bytes each.
///
/// The parts are laid out from the lengths their text will have, then each is written and
/// compressed on its own, in parallel: the postings are never held whole as text.
pub(super) fn parts(
    stems: &[(&String, &Stem)],
    part: usize,
    parts: &mut Parts,
) -> (Vec<usize>, Vec<usize>, usize) {
    use rayon::prelude::*;
    let layout = Layout::new(stems, part);
    let group_parts = layout.bounds.par_iter().enumerate().map(|(n, ids)| {
        let mut bytes = Vec::with_capacity(part + part / 4);
        for id in ids.clone() {
            bytes.push(if id == ids.start { b'{' } else { b',' });
            push_str(&mut bytes, &id.to_string());
            bytes.push(b':');
            push_postings(&mut bytes, first_chunk(stems[id].1));
        }
        bytes.push(b'}');
        Part::named(format!("p/{n}"), bytes)
    });
    let tail_parts = layout
        .tails
        .par_iter()
        .enumerate()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(n, ids)| {
            let mut bytes = Vec::with_capacity(5 * part);
            for (i, &id) in ids.iter().enumerate() {
                let (stem, term) = stems[id];
                bytes.push(if i == 0 { b'{' } else { b',' });
                push_str(&mut bytes, stem);
                bytes.push(b':');
                push_postings(&mut bytes, tail_chunk(term).unwrap_or_default());
            }
            bytes.push(b'}');
            Part::named(format!("t/{n}"), bytes)
        });
    // Further chunks but a last one in a tail file, named by the stem rather than its number,
    // so that a new word elsewhere in the site does not rename them.
    let chunk_parts = stems.par_iter().flat_map_iter(|(stem, term)| {
        let own = further_chunks(term).count() - usize::from(tail_chunk(term).is_some());
        further_chunks(term)
            .take(own)
            .enumerate()
            .map(move |(k, chunk)| {
                let mut bytes = Vec::with_capacity(chunk.len() * 16);
                push_postings(&mut bytes, chunk);
                Part::named(format!("x/{stem}-{}", k + 1), bytes)
            })
    });
    let written: Vec<(String, Part)> = group_parts.chain(tail_parts).chain(chunk_parts).collect();
    parts.extend(written);
    let chunks = stems
        .iter()
        .map(|(_, term)| 1 + further_chunks(term).count())
        .collect();
    (layout.groups, chunks, layout.tails.len())
}

/// A stem's best postings, in its group.
fn first_chunk(term: &Stem) -> &[Posting] {
    &term.postings[..term.postings.len().min(FIRST_CHUNK)]
}

/// The stem's postings after the first chunk, `NEXT_CHUNK` at a time.
fn further_chunks(term: &Stem) -> std::slice::Chunks<'_, Posting> {
    term.postings[first_chunk(term).len()..].chunks(NEXT_CHUNK)
}

/// The stem's last further chunk when it goes to a tail file.
fn tail_chunk(term: &Stem) -> Option<&[Posting]> {
    has_tail(term.postings.len())
        .then(|| further_chunks(term).next_back())
        .flatten()
}

/// The length of `push_postings`' text.
fn postings_len(postings: &[Posting]) -> usize {
    let one = |p: &Posting| {
        let passages: usize = p.passages().iter().map(|&n| 1 + digits(n as usize)).sum();
        3 + digits(p.doc as usize) + digits(p.score as usize) + passages
    };
    2 + postings.iter().map(one).sum::<usize>() + postings.len().saturating_sub(1)
}

/// The length of `push_str`'s text.
fn quoted_len(s: &str) -> usize {
    serde_json::to_string(s).map_or(0, |q| q.len())
}

/// Decimal digits of `n`.
fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Whether a stem found in `documents` documents has a last further chunk short enough for a
/// tail file. The client decides the same from the stem's document count.
fn has_tail(documents: usize) -> bool {
    documents > FIRST_CHUNK && (documents - FIRST_CHUNK - 1) % NEXT_CHUNK < TAIL_POSTINGS
}

/// The tail file of `stem`: 32-bit FNV-1a of its UTF-8 bytes, modulo the number of tail files.
fn tail_of(stem: &str, tails: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for b in stem.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % tails.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The client computes the same hash (js/search-index.js, `tailOf`); these are FNV-1a's values.
    #[test]
    fn tail_files_are_chosen_by_fnv_1a() {
        assert_eq!(tail_of("a", u32::MAX as usize), 0xe40c_292c);
        assert_eq!(tail_of("trust", 1024), 373);
        assert_eq!(tail_of("épist", 1024), 57);
        assert_eq!(tail_of("anything", 0), 0);
    }

    /// Groups and tail files are laid out from these lengths before they are written.
    #[test]
    fn lengths_are_those_of_the_text_written() {
        let posting = |doc, score, shown| Posting::new(doc, score, [3, 12], shown);
        let postings = [posting(0, 7, 0), posting(12, 1045, 2), posting(999, 10, 1)];
        for n in 0..=postings.len() {
            let mut bytes = Vec::new();
            push_postings(&mut bytes, &postings[..n]);
            assert_eq!(postings_len(&postings[..n]), bytes.len());
        }
        for s in ["trust", "épist", "a\\\"b"] {
            let mut bytes = Vec::new();
            push_str(&mut bytes, s);
            assert_eq!(quoted_len(s), bytes.len());
        }
        assert_eq!(
            (digits(0), digits(9), digits(10), digits(4000)),
            (1, 1, 2, 4)
        );
    }

    #[test]
    fn every_last_further_chunk_goes_to_a_tail_file() {
        assert!(!has_tail(FIRST_CHUNK));
        for extra in [1, NEXT_CHUNK, NEXT_CHUNK + 1, 5 * NEXT_CHUNK] {
            assert!(has_tail(FIRST_CHUNK + extra), "{extra}");
        }
    }
}
