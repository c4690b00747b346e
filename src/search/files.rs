//! The index as static files under `/search/`, cut so that a query fetches little: the client
//! reads the fixed-name `manifest.json`, then only the dictionary shard, postings and passages
//! that the query and its shown results need. Every other file's name carries the index's
//! content hash (`d/3-<id>.json`), so it can be cached for good; a site whose whole index is
//! small gets it inside the manifest itself (`"index"`), every part by the same names, so that
//! its search fetches one file.
//!
//! The parts, by their names (`<name>-<id>.json`):
//! - `d/<n>`: a dictionary shard, `{"first": id of its first stem, "terms": [record, …]}`.
//!   Records are sorted by key; the manifest lists where each shard starts (the shortest prefix
//!   of its first key that sorts after the previous shard's last). A stem's record is
//!   `[stem, documents, postings group, postings chunks, surfaces, phrases?]`, and stems are
//!   numbered in order from `first`; any other word seen is `[word, its stem]`. `surfaces` are
//!   the space-separated words seen for the stem (for highlighting); `phrases` are
//!   `[document, "further stems"]` for glossary names starting with it.
//! - `p/<n>`: a postings group, `{"<stem id>": [[document, score, passage…], …]}`: each stem's
//!   best postings, best first, for the stems of consecutive ids.
//! - `x/<stem id>-<k>`: further postings of a common stem, chunk k ≥ 1.
//! - `f/<document>-<k>`: passages k·P … k·P+P-1 of a document, `{"doc": [title, url],
//!   "passages": [[heading id, heading, text], …]}`, where `[text]` alone is under the same
//!   heading as the passage before it; P is the manifest's `passages_per_file`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::document::{Doc, KIND_ORDER};
use super::index::{Index, Term};
use super::tokenize::Analyzer;

/// Format version, for a client that finds a manifest it does not understand.
const VERSION: u32 = 1;
/// Target sizes: small enough that a query's files add up to little on a phone, large enough
/// that a 10,000-item site is not hundreds of thousands of files.
const DICT_SHARD_BYTES: usize = 6 * 1024;
const POSTINGS_GROUP_BYTES: usize = 6 * 1024;
/// Postings in a stem's first chunk (the results of a one-word query, with room for a filter)
/// and in each further one (fetched for narrow filters and multi-word queries). Most stems have
/// no further chunk, so most stems cost no file of their own.
const FIRST_CHUNK: usize = 100;
const NEXT_CHUNK: usize = 1000;
/// Passages in a fragment file: about 1.5 KB of text on a small site, so that the few results a
/// query shows fetch little; more on a large one, so that it is not hundreds of thousands of
/// files (a results page then fetches more, within budget: see tests/search.rs).
const PASSAGES_PER_FILE: (usize, usize) = (6, 16);
/// Documents up to which a site counts as small for the above.
const SMALL_SITE_DOCS: f64 = 500.0;
/// A site whose whole index is at most this size gets it in one file.
const SINGLE_FILE_BYTES: usize = 28 * 1024;
/// Enough surfaces to match and highlight the ways a stem is written.
const MAX_SURFACES: usize = 12;

/// The files, by path under `/search/`.
pub fn write(docs: &[Doc], index: &Index, analyzer: &Analyzer) -> BTreeMap<String, Vec<u8>> {
    let mut parts: BTreeMap<String, Value> = BTreeMap::new();
    let stems: Vec<(&String, &Term)> = index.terms.iter().collect();
    let (groups, chunks) = postings_parts(&stems, &mut parts);
    let dict = dictionary_parts(&stems, &groups, &chunks, &mut parts);
    let per_file = passages_per_file(docs.len());
    fragment_parts(docs, per_file, &mut parts);

    let bytes: BTreeMap<String, Vec<u8>> = parts
        .into_iter()
        .map(|(name, value)| (name, to_bytes(&value)))
        .collect();
    let total: usize = bytes.values().map(Vec::len).sum();
    let id = content_hash(&bytes);
    let single = total <= SINGLE_FILE_BYTES;
    let mut files = BTreeMap::new();
    let mut whole_index = None;
    if single {
        let whole: BTreeMap<&str, Value> = bytes
            .iter()
            .map(|(name, b)| {
                (
                    name.as_str(),
                    serde_json::from_slice(b).unwrap_or(Value::Null),
                )
            })
            .collect();
        // A small site's index travels inside the manifest: one file for the whole search.
        whole_index = Some(json!(whole));
    } else {
        for (name, b) in bytes {
            files.insert(format!("{name}-{id}.json"), b);
        }
    }
    let mut manifest = manifest(docs, analyzer, &id, dict, per_file, single);
    if let (Some(index), Some(m)) = (whole_index, manifest.as_object_mut()) {
        m.insert("index".into(), index);
    }
    files.insert("manifest.json".into(), to_bytes(&manifest));
    files
}

/// Cuts every stem's postings into its first chunk (grouped with its neighbours') and further
/// chunks. Returns each stem's group and its number of chunks.
fn postings_parts(
    stems: &[(&String, &Term)],
    parts: &mut BTreeMap<String, Value>,
) -> (Vec<usize>, Vec<usize>) {
    let mut groups = Vec::with_capacity(stems.len());
    let mut chunks = Vec::with_capacity(stems.len());
    let mut group: serde_json::Map<String, Value> = serde_json::Map::new();
    let mut group_bytes = 0;
    let mut group_number = 0;
    for (id, (_, term)) in stems.iter().enumerate() {
        let first = term.postings.len().min(FIRST_CHUNK);
        let head = postings_value(&term.postings[..first]);
        let head_bytes = to_bytes(&head).len() + 8;
        if !group.is_empty() && group_bytes + head_bytes > POSTINGS_GROUP_BYTES {
            parts.insert(
                format!("p/{group_number}"),
                Value::Object(std::mem::take(&mut group)),
            );
            group_bytes = 0;
            group_number += 1;
        }
        group.insert(id.to_string(), head);
        group_bytes += head_bytes;
        groups.push(group_number);
        let rest = &term.postings[first..];
        for (k, chunk) in rest.chunks(NEXT_CHUNK).enumerate() {
            parts.insert(format!("x/{id}-{}", k + 1), postings_value(chunk));
        }
        chunks.push(1 + rest.len().div_ceil(NEXT_CHUNK));
    }
    if !group.is_empty() {
        parts.insert(format!("p/{group_number}"), Value::Object(group));
    }
    (groups, chunks)
}

fn postings_value(postings: &[super::index::Posting]) -> Value {
    Value::Array(
        postings
            .iter()
            .map(|p| {
                let mut v = vec![json!(p.doc), json!(p.score)];
                v.extend(p.passages.iter().map(|n| json!(n)));
                Value::Array(v)
            })
            .collect(),
    )
}

/// Cuts the dictionary into shards; returns each shard's first key, for the manifest. The
/// dictionary holds a record for every stem and one for every other word seen that stems to it,
/// sorted together by key, so the shard a typed word falls in tells what it means.
fn dictionary_parts(
    stems: &[(&String, &Term)],
    groups: &[usize],
    chunks: &[usize],
    parts: &mut BTreeMap<String, Value>,
) -> Vec<String> {
    // (key, is a word pointing at a stem, stem id)
    let mut records: Vec<(&str, bool, usize)> = Vec::new();
    for (id, (stem, term)) in stems.iter().enumerate() {
        records.push((stem.as_str(), false, id));
        records.extend(term.surfaces.iter().map(|s| (s.as_str(), true, id)));
    }
    records.sort();
    // (first key, number of stems before the shard, records)
    let mut shards: Vec<(String, usize, Vec<Value>)> = Vec::new();
    let mut shard_bytes = 0;
    let mut stems_before = 0;
    for (key, is_word, id) in records {
        let (stem, term) = stems[id];
        let record = if is_word {
            json!([key, stem])
        } else {
            dictionary_entry(stem, term, groups[id], chunks[id])
        };
        let record_bytes = to_bytes(&record).len() + 1;
        match shards.last_mut() {
            Some((_, _, records)) if shard_bytes + record_bytes <= DICT_SHARD_BYTES => {
                records.push(record);
                shard_bytes += record_bytes;
            }
            _ => {
                shards.push((key.to_string(), stems_before, vec![record]));
                shard_bytes = record_bytes;
            }
        }
        if !is_word {
            stems_before += 1;
        }
    }
    if shards.is_empty() {
        shards.push((String::new(), 0, Vec::new()));
    }
    let mut firsts = Vec::with_capacity(shards.len());
    let mut previous_last: Option<String> = None;
    for (n, (first, first_id, records)) in shards.into_iter().enumerate() {
        firsts.push(boundary(previous_last.as_deref(), &first));
        previous_last = records
            .last()
            .and_then(|r| r[0].as_str())
            .map(str::to_string);
        parts.insert(
            format!("d/{n}"),
            json!({"first": first_id, "terms": records}),
        );
    }
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
fn dictionary_entry(stem: &str, term: &Term, group: usize, chunks: usize) -> Value {
    let surfaces: Vec<&str> = term
        .surfaces
        .iter()
        .take(MAX_SURFACES)
        .map(String::as_str)
        .collect();
    let mut entry = vec![
        json!(stem),
        json!(term.postings.len()),
        json!(group),
        json!(chunks),
        json!(surfaces.join(" ")),
    ];
    if !term.phrases.is_empty() {
        entry.push(Value::Array(
            term.phrases
                .iter()
                .map(|p| json!([p.doc, p.rest.join(" ")]))
                .collect(),
        ));
    }
    Value::Array(entry)
}

/// Grows with the square root of the number of documents, from the small-site size to the cap.
fn passages_per_file(docs: usize) -> usize {
    let (small, most) = PASSAGES_PER_FILE;
    let scaled = small as f64 * (docs as f64 / SMALL_SITE_DOCS).sqrt();
    (scaled.round() as usize).clamp(small, most)
}

fn fragment_parts(docs: &[Doc], per_file: usize, parts: &mut BTreeMap<String, Value>) {
    for (n, d) in docs.iter().enumerate() {
        for (k, passages) in d.passages.chunks(per_file).enumerate() {
            let mut heading: Option<&str> = None;
            let passages: Vec<Value> = passages
                .iter()
                .map(|p| {
                    let same = heading == Some(p.heading_id.as_str());
                    heading = Some(&p.heading_id);
                    if same {
                        json!([p.text])
                    } else {
                        json!([p.heading_id, p.heading, p.text])
                    }
                })
                .collect();
            parts.insert(
                format!("f/{n}-{k}"),
                json!({"doc": [d.title, d.url], "passages": passages}),
            );
        }
    }
}

fn manifest(
    docs: &[Doc],
    analyzer: &Analyzer,
    id: &str,
    dict: Vec<String>,
    per_file: usize,
    single: bool,
) -> Value {
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
        "dict": dict,
        "passages_per_file": per_file,
        "single": single,
    })
}

fn to_bytes(v: &Value) -> Vec<u8> {
    // Serialising a Value with string keys cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}

/// FNV-1a over every part's name and bytes: the same index always gets the same name, and any
/// change gives new names, so stale files are never read from a cache.
fn content_hash(parts: &BTreeMap<String, Vec<u8>>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, bytes) in parts {
        for b in name
            .bytes()
            .chain([0])
            .chain(bytes.iter().copied())
            .chain([0])
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")[..12].to_string()
}
