//! Passages as the client fetches them, to show a result: several documents' passages to a
//! file, so that a large site is not one file per document, and few enough that the handful of
//! results a query shows fetch little.
//!
//! Documents come in runs of one kind (essays, then terms, …), and within a run they are about
//! the same length, so each run is cut the same way, a `Segment`: `docs` consecutive documents
//! to a file, or, where one document alone fills a file, one document with `passages` of its
//! passages to a file. The file holding passage `n` of document `d` is `f/<g>-<k>`, where `g` is
//! the first document of `d`'s group and `k` the chunk of its passages (always 0 when documents
//! are grouped): `[[title, url, [passage, …]], …]`, one entry per document of the group. A
//! passage is `[heading id, heading, text]`, or `[text]` alone under the same heading as the
//! passage before it.

use super::document::Doc;
use super::files::{Part, Parts, push_str};

/// How a run of documents is cut: from document `start`, `docs` documents to a file, each with
/// its passages cut `passages` to a file (0: all of them in one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub docs: usize,
    pub passages: usize,
}

/// One segment per run of documents of a kind, cut so that a file holds about `target` bytes.
pub fn segments(docs: &[Doc], target: usize) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < docs.len() {
        let kind = docs[start].kind;
        let end = docs[start..]
            .iter()
            .position(|d| d.kind != kind)
            .map_or(docs.len(), |n| start + n);
        let run = &docs[start..end];
        let bytes: usize = run.iter().map(doc_bytes).sum::<usize>().max(1);
        let passages: usize = run.iter().map(|d| d.passages.len()).sum::<usize>().max(1);
        let per_doc = bytes.div_ceil(run.len());
        out.push(if per_doc * 2 <= target {
            Segment {
                start,
                docs: target / per_doc,
                passages: 0,
            }
        } else {
            Segment {
                start,
                docs: 1,
                // Up to twice the target, to keep most documents whole.
                passages: {
                    let fit = (target * passages / bytes).max(1);
                    most_passages(run).clamp(fit, 2 * fit)
                },
            }
        });
        start = end;
    }
    out
}

/// Passages enough for nineteen documents in twenty of a run to be one file each: a document a
/// little longer than most would otherwise be two files, the second a few passages long.
fn most_passages(run: &[Doc]) -> usize {
    let mut counts: Vec<usize> = run.iter().map(|d| d.passages.len()).collect();
    counts.sort_unstable();
    counts
        .get(counts.len() * 19 / 20)
        .copied()
        .unwrap_or(1)
        .max(1)
}

/// The bytes a document's passages take in a file, near enough.
fn doc_bytes(doc: &Doc) -> usize {
    let passages: usize = doc
        .passages
        .iter()
        .map(|p| p.text.len() + p.heading.len() + p.heading_id.len() + 8)
        .sum();
    doc.title.len() + doc.url.len() + passages + 8
}

/// The files, by part name (`f/<g>-<k>`), written and compressed in parallel: the passages are
/// the site's text once more, and are never held whole uncompressed.
pub(super) fn parts(docs: &[Doc], segments: &[Segment], parts: &mut Parts) {
    use rayon::prelude::*;
    let mut groups: Vec<(usize, usize, usize)> = Vec::new();
    for (i, s) in segments.iter().enumerate() {
        let end = segments.get(i + 1).map_or(docs.len(), |next| next.start);
        let step = s.docs.max(1);
        groups.extend(
            (s.start..end)
                .step_by(step)
                .map(|g| (g, (g + step).min(end), s.passages)),
        );
    }
    let files: Vec<Vec<(String, Part)>> = groups
        .par_iter()
        .map(|&(first, end, per)| group_files(&docs[first..end], first, per))
        .collect();
    parts.extend(files.into_iter().flatten());
}

/// The files of one group of documents, starting with document `first`.
fn group_files(group: &[Doc], first: usize, per: usize) -> Vec<(String, Part)> {
    let most = group.iter().map(|d| d.passages.len()).max().unwrap_or(0);
    let per = if per == 0 { most.max(1) } else { per };
    (0..most.div_ceil(per).max(1))
        .map(|k| {
            let mut bytes = Vec::new();
            bytes.push(b'[');
            for (i, d) in group.iter().enumerate() {
                if i > 0 {
                    bytes.push(b',');
                }
                bytes.push(b'[');
                push_str(&mut bytes, &d.title);
                bytes.push(b',');
                push_str(&mut bytes, &d.url);
                bytes.extend_from_slice(b",[");
                let from = (k * per).min(d.passages.len());
                let to = (k * per + per).min(d.passages.len());
                push_passages(&mut bytes, &d.passages[from..to]);
                bytes.extend_from_slice(b"]]");
            }
            bytes.push(b']');
            Part::named(format!("f/{first}-{k}"), bytes)
        })
        .collect()
}

fn push_passages(bytes: &mut Vec<u8>, passages: &[super::Passage]) {
    let mut heading: Option<&str> = None;
    for (i, p) in passages.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        bytes.push(b'[');
        if heading != Some(p.heading_id.as_str()) {
            push_str(bytes, &p.heading_id);
            bytes.push(b',');
            push_str(bytes, &p.heading);
            bytes.push(b',');
        }
        heading = Some(&p.heading_id);
        push_str(bytes, &p.text);
        bytes.push(b']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Kind;
    use crate::search::{DocKind, Passage};

    fn doc(kind: Kind, n: usize, passages: usize, bytes: usize) -> Doc {
        Doc {
            kind: DocKind::Content(kind),
            question_kind: None,
            title: format!("Document {n}"),
            url: format!("d/{n}/"),
            aliases: Vec::new(),
            tags: Vec::new(),
            anchors: Vec::new(),
            passages: (0..passages)
                .map(|p| Passage {
                    heading_id: format!("h{}", p / 3),
                    heading: format!("Heading {}", p / 3),
                    text: format!("{n}.{p} {}", "x".repeat(bytes)),
                    is_summary: false,
                    opens_section: p % 3 == 0,
                    links: Vec::new(),
                })
                .collect(),
        }
    }

    /// Terms (short, grouped), then essays of which one in twenty is long, then questions.
    fn course() -> Vec<Doc> {
        let terms = (0..30).map(|n| doc(Kind::Term, n, 2, 100));
        let essays = (30..70).map(|n| doc(Kind::Essay, n, if n % 20 == 0 { 60 } else { 12 }, 400));
        let questions = (70..75).map(|n| doc(Kind::Question, n, 3, 150));
        terms.chain(essays).chain(questions).collect()
    }

    #[test]
    fn each_run_of_a_kind_is_cut_its_own_way() {
        let docs = course();
        let segments = segments(&docs, 4096);
        let starts: Vec<usize> = segments.iter().map(|s| s.start).collect();
        assert_eq!(starts, [0, 30, 70]);
        // Short documents go several to a file, whole.
        assert!(segments[0].docs > 1 && segments[0].passages == 0);
        // Long ones one to a file, cut by passages: enough for most to be one file, at most
        // twice what fits the target.
        let essays = segments[1];
        assert_eq!(essays.docs, 1);
        assert!(essays.passages >= 9 && essays.passages <= 20, "{essays:?}");
    }

    #[test]
    fn every_passage_is_in_the_file_the_client_computes() {
        let docs = course();
        let segments = segments(&docs, 4096);
        let mut files = Parts::new();
        parts(&docs, &segments, &mut files);
        for (d, doc) in docs.iter().enumerate() {
            let s = segments
                .iter()
                .rev()
                .find(|s| s.start <= d)
                .expect("segment");
            let first = s.start + (d - s.start) / s.docs * s.docs;
            for (n, passage) in doc.passages.iter().enumerate() {
                let (k, i) = n
                    .checked_div(s.passages)
                    .map_or((0, n), |k| (k, n % s.passages));
                let file = files[&format!("f/{first}-{k}")].json();
                let entry = &file[d - first];
                assert_eq!(entry[1], doc.url.as_str());
                let found = &entry[2][i];
                let text = &found[found.as_array().expect("passage").len() - 1];
                assert_eq!(text, passage.text.as_str(), "document {d}, passage {n}");
            }
        }
        // Fewer files than documents, and no file is far over twice the target.
        assert!(files.len() < docs.len(), "{} files", files.len());
        assert!(files.values().all(|f| f.text_len() < 2 * 4096 + 2048));
    }
}
