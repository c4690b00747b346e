//! The search index files as the client reads them, for tests of what a query finds and fetches.

use std::collections::BTreeMap;

use serde_json::Value;

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
    pub fn from_files(files: &BTreeMap<String, Vec<u8>>) -> Served {
        let manifest_bytes = files["manifest.json"].len();
        let manifest: Value = serde_json::from_slice(&files["manifest.json"]).expect("manifest");
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
                if let Some(part) = path.strip_suffix(".json").filter(|p| *p != "manifest") {
                    parts.insert(part.to_string(), (path.clone(), bytes.len()));
                    values.insert(
                        part.to_string(),
                        serde_json::from_slice(bytes).expect("json"),
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
        let per = self.manifest["passages_per_file"].as_u64().expect("per");
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
            let file = self.part(&format!("f/{doc}-{}", passage / per), &mut fetched);
            let url = file["doc"][1].as_str().expect("url").to_string();
            let mut heading = String::new();
            for (i, p) in file["passages"]
                .as_array()
                .expect("passages")
                .iter()
                .enumerate()
            {
                if p.as_array().expect("passage").len() == 3 {
                    heading = p[0].as_str().expect("id").to_string();
                }
                if i as u64 == passage % per {
                    break;
                }
            }
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

pub struct FirstQuery {
    pub bytes: usize,
    pub files: usize,
    pub results: Vec<String>,
    pub card: Option<String>,
}
