//! The index as static files under `/search/`, cut so that a query fetches little: the client
//! reads the fixed-name `manifest.json`, then only the dictionary shard, postings and passages
//! that the query and its shown results need. The manifest carries the index's content hash
//! (`"id"`) and the client asks for every other file with it (`d/3.json.gz?v=<id>`), so that a
//! cache never mixes parts of two builds, while a part's name stays the same from build to build
//! and an unchanged part is an unchanged file (a rebuild rewrites only what changed). A site
//! whose whole index is small gets it inside the manifest itself (`"index"`), every part by the
//! same names, so that its search fetches one file.
//!
//! Every part but the manifest is written gzip-compressed (`<name>.json.gz`), which the client
//! reads with `DecompressionStream`: a third of the bytes on disk and in transfer, whatever the
//! host does about compression (a host that sends them with `Content-Encoding: gzip` is fine
//! too: the client looks at the bytes it gets).
//!
//! The parts, by their names:
//! - `d/<n>`: a dictionary shard, `{"first": id of its first stem, "terms": [record, …]}`.
//!   Records are sorted by key; the manifest lists where each shard starts (the shortest prefix
//!   of its first key that sorts after the previous shard's last). A stem's record is
//!   `[stem, documents, postings group, postings chunks, surfaces, phrases?]`, and stems are
//!   numbered in order from `first`; any other word seen is `[word, its stem]`. `surfaces` are
//!   the space-separated words seen for the stem (for highlighting); `phrases` are
//!   `[document, "further stems", "name"?]` for glossary names starting with it, `name` being the
//!   term's own name when the name is an alias. A glossary name of several words is also a key
//!   of its own, its stems joined by `_` (`therapeut_allianc`), with postings like a stem's and
//!   no surfaces.
//! - `p/<n>`: a postings group, `{"<stem id>": [[document, score, passage…], …]}`: each stem's
//!   best postings, best first, for the stems of consecutive ids.
//! - `x/<stem>-<k>`: further postings of a common stem, chunk k ≥ 1 (a short last one is in `t/`).
//! - `t/<n>`: the last further chunks that are short (at most the manifest's `tail_postings`
//!   postings, which the client tells from the stem's document count and `chunk_postings`),
//!   `{"<stem>": [[document, score, passage…], …]}`, several stems to a file: stem `s` is in
//!   file FNV-1a(s) mod `tails`. Most common stems have one such short chunk, which would
//!   otherwise be a file of a few hundred bytes.
//! - `f/<g>-<k>`: passages, several documents' to a file: see `fragments`; the manifest's
//!   `fragments` lists how each run of documents is cut, `[first document, documents to a
//!   file, passages to a file or 0]`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::Arc;

use serde_json::{Value, json};

use super::document::{Doc, KIND_ORDER};
use super::fragments::{self, Segment};
use super::index::{SearchIndex, Stem};
use super::postings::{self, FIRST_CHUNK, NEXT_CHUNK, TAIL_POSTINGS};
use super::tokenize::Analyzer;

/// Format version, for a client that finds a manifest it does not understand.
const VERSION: u32 = 4;
/// Target sizes of dictionary shards, postings groups and tail files, from a small site's to a
/// large one's: small enough that a query's files add up to little on a phone, large enough
/// that a 10,000-item site is not tens of thousands of files (creating files is the slowest part
/// of writing a site, and a host counts them). A query fetches one shard and one group.
const PART_BYTES: (usize, usize) = (6 * 1024, 24 * 1024);
/// Target sizes of passage files (before compression): a few passages on a small site, so that
/// the few results a query shows fetch little; several documents' on a large one, which would
/// otherwise be tens of thousands of files (creating files is the slowest part of writing a
/// site). A results page then fetches more, within budget: see tests/search.rs.
const FRAGMENT_BYTES: (usize, usize) = (2 * 1024, 16 * 1024);
/// Documents up to which a site counts as small for the above.
const SMALL_SITE_DOCS: usize = 500;
/// A site whose whole index is at most this size gets it in one file.
const SINGLE_FILE_BYTES: usize = 28 * 1024;
/// Enough surfaces to match and highlight the ways a stem is written.
const MAX_SURFACES: usize = 12;

/// A part of the index, compressed as soon as it is written, so that a large site's index is
/// never held whole as text. Its length and hash are the JSON text's: they decide whether the
/// index travels in the manifest, and the index's id.
pub(super) struct Part {
    gz: Arc<[u8]>,
    len: usize,
    hash: u64,
}

impl Part {
    /// `json`, the text of the part `name`, compressed (at level 2: at 10,000 items it writes 29%
    /// fewer bytes than level 1 in the same time, and most of the default level's gain), under
    /// its name.
    pub(super) fn named(name: String, json: Vec<u8>) -> (String, Part) {
        use flate2::{Compression, write::GzEncoder};
        let mut hash = Hasher::default();
        hash.add(name.as_bytes());
        hash.add(&json);
        let mut gz = GzEncoder::new(Vec::with_capacity(json.len() / 3), Compression::new(2));
        // Writing to a Vec cannot fail.
        let _ = gz.write_all(&json);
        let part = Part {
            gz: gz.finish().unwrap_or_default().into(),
            len: json.len(),
            hash: hash.0,
        };
        (name, part)
    }

    /// The length of its JSON text.
    pub(super) fn text_len(&self) -> usize {
        self.len
    }

    /// The part's JSON, read back.
    pub(super) fn json(&self) -> Value {
        let mut text = Vec::with_capacity(self.len);
        let read =
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&self.gz[..]), &mut text);
        read.ok()
            .and_then(|_| serde_json::from_slice(&text).ok())
            .unwrap_or(Value::Null)
    }
}

/// The parts by name (`d/3`, `f/120-0`, …).
pub(super) type Parts = BTreeMap<String, Part>;

/// Each of `texts` made a `Part`, in parallel.
pub(super) fn pack(texts: Vec<(String, Vec<u8>)>) -> Vec<(String, Part)> {
    use rayon::prelude::*;
    texts
        .into_par_iter()
        .map(|(name, json)| Part::named(name, json))
        .collect()
}

/// The passage files (`f/…`), which need only the documents, and how they are cut.
pub struct Passages {
    segments: Vec<Segment>,
    parts: Parts,
}

/// The documents' passages as files: written while the index is built, whose serial steps leave
/// a core free.
pub fn passages(docs: &[Doc]) -> Passages {
    let segments = fragments::segments(docs, scaled(FRAGMENT_BYTES, docs.len()));
    let mut parts = Parts::new();
    fragments::parts(docs, &segments, &mut parts);
    Passages { segments, parts }
}

/// The files, by path under `/search/`.
pub fn encode(
    docs: &[Doc],
    index: &SearchIndex,
    analyzer: &Analyzer,
    passages: Passages,
) -> BTreeMap<String, Arc<[u8]>> {
    let Passages {
        segments,
        mut parts,
    } = passages;
    let stems: Vec<(&String, &Stem)> = index.stems.iter().collect();
    let part = scaled(PART_BYTES, docs.len());
    let (groups, chunks, tails) = postings::parts(&stems, part, &mut parts);
    let dict = dictionary_parts(&stems, &groups, &chunks, part, &mut parts);

    let total: usize = parts.values().map(Part::text_len).sum();
    let id = content_hash(&parts);
    let single = total <= SINGLE_FILE_BYTES;
    let mut files = BTreeMap::new();
    let layout = Layout {
        dict,
        segments,
        tails,
        single,
    };
    let mut manifest = manifest(docs, analyzer, &id, layout);
    if single {
        // A small site's index travels inside the manifest: one file for the whole search.
        let whole: serde_json::Map<String, Value> = parts
            .iter()
            .map(|(name, part)| (name.clone(), part.json()))
            .collect();
        if let Some(m) = manifest.as_object_mut() {
            m.insert("index".into(), Value::Object(whole));
        }
    } else {
        files.extend(
            parts
                .into_iter()
                .map(|(name, part)| (format!("{name}.json.gz"), part.gz)),
        );
    }
    files.insert("manifest.json".into(), to_bytes(&manifest).into());
    files
}

/// A JSON string, escaped.
pub(super) fn push_str(out: &mut Vec<u8>, s: &str) {
    // Writing a string to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

pub(super) fn push_num(out: &mut Vec<u8>, n: impl std::fmt::Display) {
    let _ = write!(out, "{n}");
}

/// Cuts the dictionary into shards; returns each shard's first key, for the manifest. The
/// dictionary holds a record for every stem and one for every other word seen that stems to it,
/// sorted together by key, so the shard a typed word falls in tells what it means.
fn dictionary_parts(
    stems: &[(&String, &Stem)],
    groups: &[usize],
    chunks: &[usize],
    part: usize,
    parts: &mut Parts,
) -> Vec<String> {
    // (key, is a word pointing at a stem, stem id)
    let mut records: Vec<(&str, bool, usize)> = Vec::new();
    for (id, (stem, term)) in stems.iter().enumerate() {
        records.push((stem.as_str(), false, id));
        records.extend(term.surfaces.iter().map(|s| (s.as_str(), true, id)));
    }
    records.sort_unstable();
    // (first key, number of stems before the shard, records joined by commas, last key)
    let mut shards: Vec<(&str, usize, Vec<u8>, &str)> = Vec::new();
    let mut stems_before = 0;
    let mut record: Vec<u8> = Vec::new();
    for (key, is_word, id) in records {
        let (stem, term) = stems[id];
        record.clear();
        if is_word {
            record.push(b'[');
            push_str(&mut record, key);
            record.push(b',');
            push_str(&mut record, stem);
            record.push(b']');
        } else {
            dictionary_entry(&mut record, stem, term, groups[id], chunks[id]);
        }
        match shards.last_mut() {
            Some((_, _, bytes, last)) if bytes.len() + record.len() < part => {
                bytes.push(b',');
                bytes.extend_from_slice(&record);
                *last = key;
            }
            _ => shards.push((key, stems_before, record.clone(), key)),
        }
        if !is_word {
            stems_before += 1;
        }
    }
    if shards.is_empty() {
        shards.push(("", 0, Vec::new(), ""));
    }
    let mut firsts = Vec::with_capacity(shards.len());
    let mut texts = Vec::with_capacity(shards.len());
    let mut previous_last: Option<&str> = None;
    for (n, (first, first_id, records, last)) in shards.into_iter().enumerate() {
        firsts.push(boundary(previous_last, first));
        previous_last = Some(last);
        let mut bytes = Vec::with_capacity(records.len() + 32);
        bytes.extend_from_slice(b"{\"first\":");
        push_num(&mut bytes, first_id);
        bytes.extend_from_slice(b",\"terms\":[");
        bytes.extend_from_slice(&records);
        bytes.extend_from_slice(b"]}");
        texts.push((format!("d/{n}"), bytes));
    }
    parts.extend(pack(texts));
    firsts
}

/// The shortest start of `first` that still sorts after `previous`: any key from there on
/// belongs to the shard, so the manifest need not spell out whole words.
fn boundary(previous: Option<&str>, first: &str) -> String {
    let Some(previous) = previous else {
        return String::new();
    };
    first
        .char_indices()
        .map(|(i, c)| &first[..i + c.len_utf8()])
        .find(|p| *p > previous)
        .unwrap_or(first)
        .to_string()
}

/// A stem's record: `[stem, documents, postings group, postings chunks, surfaces, phrases?]`.
fn dictionary_entry(out: &mut Vec<u8>, stem: &str, term: &Stem, group: usize, chunks: usize) {
    let surfaces: Vec<&str> = term
        .surfaces
        .iter()
        .take(MAX_SURFACES)
        .map(String::as_str)
        .collect();
    out.push(b'[');
    push_str(out, stem);
    for n in [term.postings.len(), group, chunks] {
        out.push(b',');
        push_num(out, n);
    }
    out.push(b',');
    push_str(out, &surfaces.join(" "));
    if !term.phrases.is_empty() {
        out.extend_from_slice(b",[");
        for (i, p) in term.phrases.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'[');
            push_num(out, p.doc);
            out.push(b',');
            push_str(out, &p.rest.join(" "));
            if let Some(name) = &p.name {
                out.push(b',');
                push_str(out, name);
            }
            out.push(b']');
        }
        out.push(b']');
    }
    out.push(b']');
}

/// A size that grows with the number of documents, from a small site's to the cap.
fn scaled((small, most): (usize, usize), docs: usize) -> usize {
    (small * docs / SMALL_SITE_DOCS).clamp(small, most)
}

/// How the parts are cut, for the manifest.
struct Layout {
    /// Each dictionary shard's first key.
    dict: Vec<String>,
    segments: Vec<Segment>,
    tails: usize,
    single: bool,
}

fn manifest(docs: &[Doc], analyzer: &Analyzer, id: &str, layout: Layout) -> Value {
    let mut kinds = serde_json::Map::new();
    for kind in KIND_ORDER {
        let start = docs.iter().position(|d| d.kind == kind);
        let end = docs.iter().rposition(|d| d.kind == kind);
        if let (Some(s), Some(e)) = (start, end) {
            kinds.insert(kind.name().to_string(), json!([s, e + 1]));
        }
    }
    let mut question_kinds: Vec<(String, usize, usize)> = Vec::new();
    for (n, d) in docs.iter().enumerate() {
        let Some(label) = &d.question_kind else {
            continue;
        };
        match question_kinds.last_mut() {
            Some((l, _, end)) if l.to_lowercase() == label.to_lowercase() && *end == n => {
                *end = n + 1;
            }
            _ => question_kinds.push((label.clone(), n, n + 1)),
        }
    }
    json!({
        "version": VERSION,
        "id": id,
        "stemmed": analyzer.stems(),
        "stop_words": analyzer.stop_words(),
        "docs": docs.len(),
        "kinds": kinds,
        "question_kinds": question_kinds.iter().map(|(l, s, e)| json!([l, s, e])).collect::<Vec<_>>(),
        "dict": layout.dict,
        "fragments": layout.segments.iter().map(|s| json!([s.start, s.docs, s.passages])).collect::<Vec<_>>(),
        "chunk_postings": [FIRST_CHUNK, NEXT_CHUNK],
        "tail_postings": TAIL_POSTINGS,
        "tails": layout.tails,
        "single": layout.single,
    })
}

fn to_bytes(v: &Value) -> Vec<u8> {
    // Serialising a Value with string keys cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}

/// A 64-bit hash of every part's name and text (each part hashed on its own as it is made,
/// then the parts' hashes in order): the same index always gets the same name, and any change
/// gives new names, so stale files are never read from a cache.
fn content_hash(parts: &Parts) -> String {
    let mut h = Hasher::default();
    for part in parts.values() {
        h.mix(part.hash);
    }
    format!("{:016x}", h.0 ^ (h.0 >> 29))[..12].to_string()
}

/// Eight bytes at a time: a multiply and a rotation per word.
struct Hasher(u64);

impl Default for Hasher {
    fn default() -> Hasher {
        Hasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn add(&mut self, data: &[u8]) {
        let mut words = data.chunks_exact(8);
        for w in &mut words {
            self.mix(u64::from_le_bytes([
                w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
            ]));
        }
        let mut tail = [0u8; 8];
        tail[..words.remainder().len()].copy_from_slice(words.remainder());
        self.mix(u64::from_le_bytes(tail));
        self.mix(data.len() as u64);
    }
}
