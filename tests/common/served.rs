//! The search index files as the client reads them, for tests of what a query finds and fetches.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// Every index file in a build's `search/` folder (not the search page), path → bytes as on disk.
pub fn index_files(search: &Path) -> BTreeMap<String, Vec<u8>> {
    super::snapshot_dir(search)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".json") || path.ends_with(".json.gz"))
        .collect()
}

/// The index files as the client sees them: parts by name (`d/0`, `p/3`, `f/12-0`), whether
/// they come as separate files or inside the one file of a small site, with each part's size.
pub struct Served {
    pub manifest: Value,
    manifest_bytes: usize,
    /// Part name → (the file it comes in, that file's size).
    parts: BTreeMap<String, (String, usize)>,
    values: BTreeMap<String, Value>,
}

impl Served {
    pub fn from_files<B: AsRef<[u8]>>(files: &BTreeMap<String, B>) -> Served {
        let manifest_bytes = files["manifest.json"].as_ref().len();
        let manifest: Value =
            serde_json::from_slice(files["manifest.json"].as_ref()).expect("manifest");
        let mut parts = BTreeMap::new();
        let mut values = BTreeMap::new();
        if manifest["single"] == Value::Bool(true) {
            // The whole index is inside the manifest: its parts cost no further fetch.
            for (part, v) in manifest["index"].as_object().expect("inline index") {
                parts.insert(part.clone(), ("manifest.json".to_string(), 0));
                values.insert(part.clone(), v.clone());
            }
        } else {
            for (path, bytes) in files {
                if let Some(part) = path.strip_suffix(".json.gz") {
                    let bytes = bytes.as_ref();
                    parts.insert(part.to_string(), (path.clone(), bytes.len()));
                    values.insert(
                        part.to_string(),
                        serde_json::from_slice(&unpack(bytes)).expect("json"),
                    );
                }
            }
        }
        Served {
            manifest,
            manifest_bytes,
            parts,
            values,
        }
    }

    pub fn part(&self, name: &str, fetched: &mut BTreeMap<String, usize>) -> &Value {
        let (file, size) = self
            .parts
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}"));
        fetched.insert(file.clone(), *size);
        &self.values[name]
    }

    /// What a first one-word query fetches, as the client does it for a word it finds as typed:
    /// the manifest, the word's dictionary shard (and its stem's, if elsewhere), the stem's best
    /// postings, and the passages of the first `shown` results (plus the definition card's).
    /// Returns the bytes transferred, the files, and the results' URLs (with heading) in order.
    pub fn first_query(&self, word: &str, shown: usize) -> FirstQuery {
        let mut fetched: BTreeMap<String, usize> = BTreeMap::new();
        fetched.insert("manifest.json".into(), self.manifest_bytes);
        let word = lectern::text::fold(word);
        let stem_record = self.record(&word, &mut fetched);
        let Some((stem_id, record)) = stem_record else {
            return FirstQuery {
                bytes: fetched.values().sum(),
                files: fetched.len(),
                results: Vec::new(),
                card: None,
            };
        };
        let group = record[2].as_u64().expect("group");
        let postings = self.part(&format!("p/{group}"), &mut fetched)[stem_id.to_string()]
            .as_array()
            .expect("postings")
            .clone();
        let card = record
            .get(5)
            .and_then(|p| p.as_array()?.iter().find(|p| p[1] == "").cloned())
            .map(|p| p[0].as_u64().expect("doc"));
        let mut results = Vec::new();
        let docs = postings
            .iter()
            .filter(|p| Some(p[0].as_u64().expect("doc")) != card)
            .take(shown);
        for p in card
            .map(|d| vec![Value::from(d)])
            .into_iter()
            .chain(docs.map(|p| p.as_array().expect("posting").clone()))
        {
            let doc = p[0].as_u64().expect("doc");
            let passage = p.get(2).and_then(Value::as_u64).unwrap_or(0);
            let (url, heading) = self.passage(doc, passage, &mut fetched);
            results.push(if heading.is_empty() {
                url
            } else {
                format!("{url}#{heading}")
            });
        }
        let card = card.map(|_| results.remove(0));
        FirstQuery {
            bytes: fetched.values().sum(),
            files: fetched.len(),
            results,
            card,
        }
    }

    /// The URL of document `doc` and the id of the heading its passage `n` is under, read from
    /// the passages file the client would fetch for it.
    pub fn passage(
        &self,
        doc: u64,
        n: u64,
        fetched: &mut BTreeMap<String, usize>,
    ) -> (String, String) {
        let segment = self.manifest["fragments"]
            .as_array()
            .expect("fragments")
            .iter()
            .map(|s| {
                let s = s.as_array().expect("segment");
                [0, 1, 2].map(|i| s[i].as_u64().expect("number"))
            })
            .take_while(|[start, ..]| *start <= doc)
            .last()
            .expect("a segment for every document");
        let [start, docs, per] = segment;
        let first = start + (doc - start) / docs * docs;
        let (k, index) = n.checked_div(per).map_or((0, n), |k| (k, n % per));
        let file = self.part(&format!("f/{first}-{k}"), fetched);
        let entry = file[(doc - first) as usize].as_array().expect("entry");
        let url = entry[1].as_str().expect("url").to_string();
        let mut heading = String::new();
        for (i, p) in entry[2].as_array().expect("passages").iter().enumerate() {
            if p.as_array().expect("passage").len() == 3 {
                heading = p[0].as_str().expect("id").to_string();
            }
            if i as u64 == index {
                break;
            }
        }
        (url, heading)
    }

    /// The stem record a folded word leads to, with the stem's id.
    pub fn record(
        &self,
        word: &str,
        fetched: &mut BTreeMap<String, usize>,
    ) -> Option<(u64, Value)> {
        let dict: Vec<&str> = self.manifest["dict"]
            .as_array()
            .expect("dict")
            .iter()
            .map(|v| v.as_str().expect("key"))
            .collect();
        let shard_of = |key: &str| dict.iter().rposition(|f| *f <= key).unwrap_or(0);
        let mut key = word.to_string();
        for _ in 0..2 {
            let shard = self.part(&format!("d/{}", shard_of(&key)), fetched);
            let mut id = shard["first"].as_u64().expect("first");
            let mut pointer = None;
            for r in shard["terms"].as_array().expect("terms") {
                let is_stem = r.as_array().expect("record").len() > 2;
                if r[0] == key.as_str() {
                    if is_stem {
                        return Some((id, r.clone()));
                    }
                    pointer = Some(r[1].as_str().expect("stem").to_string());
                }
                if is_stem {
                    id += 1;
                }
            }
            key = pointer?;
        }
        None
    }
}

/// A file's bytes as the client reads them: decompressed when they are gzip.
pub fn unpack(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read as _;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("gzip");
        out
    } else {
        bytes.to_vec()
    }
}

pub struct FirstQuery {
    pub bytes: usize,
    pub files: usize,
    pub results: Vec<String>,
    pub card: Option<String>,
}
