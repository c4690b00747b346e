//! The search index as a build writes it: what it contains (and must not), that it is the same
//! every time, and how much a first query has to fetch on small and large courses.

mod common;

#[path = "../benches/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use common::TempSite;
use common::served::{FirstQuery, Served, unpack};
use lectern::BuildOptions;
use serde_json::Value;

const MARKER: &str = "SECRET-FACILITATOR-MARKER";

/// Every index file under the build's search/ folder (not the search page), path → bytes.
fn search_files(site: &TempSite) -> BTreeMap<String, Vec<u8>> {
    common::served::index_files(&site.out().join("search"))
}

/// Whether any index file holds `needle`, read as the client reads it.
fn contains<B: AsRef<[u8]>>(files: &BTreeMap<String, B>, needle: &str) -> bool {
    files
        .values()
        .any(|b| String::from_utf8_lossy(&unpack(b.as_ref())).contains(needle))
}

#[test]
fn public_search_files_never_contain_facilitator_notes() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let public = search_files(&site);
    assert!(!public.is_empty());
    assert!(!contains(&public, MARKER));
    // The notes' heading is gone too, not just their text.
    assert!(!contains(&public, "facilitator-notes"));

    site.build_with(BuildOptions {
        facilitator: true,
        ..BuildOptions::default()
    });
    let facilitator = search_files(&site);
    assert!(contains(&facilitator, MARKER));
}

#[test]
fn facilitator_notes_are_searchable_in_a_facilitator_build() {
    let site = TempSite::from_fixture("sites/basic");
    site.build_with(BuildOptions {
        facilitator: true,
        ..BuildOptions::default()
    });
    let served = Served::from_files(&search_files(&site));
    let q = served.first_query("secret", 5);
    assert_eq!(q.results, ["questions/opening/#facilitator-notes"]);
}

#[test]
fn drafts_are_searchable_only_in_draft_builds() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let served = Served::from_files(&search_files(&site));
    assert!(served.first_query("unfinished", 5).results.is_empty());
    // (A link to the draft still shows its title as plain text, as the page does.)
    assert!(!contains(&search_files(&site), "Unfinished"));
    assert!(!contains(&search_files(&site), "essays/gamma-draft/"));

    site.build_with(BuildOptions {
        drafts: true,
        ..BuildOptions::default()
    });
    let served = Served::from_files(&search_files(&site));
    assert_eq!(
        served.first_query("unfinished", 5).results,
        ["essays/gamma-draft/"]
    );
}

#[test]
fn the_same_site_always_gives_the_same_index_bytes() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let first = search_files(&site);
    site.build();
    assert_eq!(first, search_files(&site));

    let showcase = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = lectern::Config::load(showcase).expect("showcase config");
    let build = || {
        let output = lectern::generate(&config, BuildOptions::default())
            .unwrap_or_else(|d| panic!("{}", common::render(&d)));
        output
            .value
            .files
            .into_iter()
            .filter(|(p, _)| p.starts_with("search/"))
            .collect::<BTreeMap<_, _>>()
    };
    let a = build();
    assert!(a.len() > 10, "the showcase's index is sharded");
    assert_eq!(a, build());
}

/// The manifest's id changes with any part (the client fetches parts with `?v=<id>`, so no cache
/// mixes two builds), while a part that did not change keeps its name and bytes.
#[test]
fn a_changed_index_gets_a_new_id_and_unchanged_parts_stay_as_they_were() {
    let dir = tempfile::tempdir().expect("tempdir");
    corpus::generate(dir.path(), 300, &corpus::Options::short()).expect("generate corpus");
    let config = lectern::Config::load(dir.path()).expect("config");
    let index = |config: &lectern::Warned<lectern::Config>| {
        lectern::search::build_index(&common::resolved(config))
    };
    let before = index(&config);
    let essay = dir.path().join("content/essays/essay-1.md");
    let text = std::fs::read_to_string(&essay).expect("essay");
    std::fs::write(&essay, format!("{text}\nA closing word on quokkas.\n")).expect("write");
    let after = index(&config);
    let id = |files: &BTreeMap<String, Arc<[u8]>>| {
        let m: Value = serde_json::from_slice(&files["manifest.json"]).expect("manifest");
        m["id"].as_str().expect("id").to_string()
    };
    assert_ne!(id(&before), id(&after));
    assert!(!contains(&before, "quokka") && contains(&after, "quokka"));
    let same = before
        .iter()
        .filter(|(name, bytes)| after.get(*name) == Some(bytes))
        .count();
    assert!(
        same * 2 > before.len(),
        "most parts are unchanged: {same} of {}",
        before.len()
    );
    let part_names =
        |files: &BTreeMap<String, Arc<[u8]>>| files.keys().filter(|n| n.starts_with("f/")).count();
    assert_eq!(part_names(&before), part_names(&after));
}

#[test]
fn a_small_site_fetches_one_file() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let files = search_files(&site);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(names, ["manifest.json"]);
    let manifest: Value = serde_json::from_slice(&files["manifest.json"]).expect("manifest");
    assert!(
        manifest["index"].is_object(),
        "the index is inside the manifest"
    );
}

#[test]
fn the_manifest_offers_kinds_and_question_kinds_as_filters() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let served = Served::from_files(&search_files(&site));
    let m = &served.manifest;
    assert_eq!(m["kinds"]["term"], serde_json::json!([0, 3]));
    let kinds: Vec<&str> = m["question_kinds"]
        .as_array()
        .expect("question kinds")
        .iter()
        .map(|k| k[0].as_str().expect("label"))
        .collect();
    assert_eq!(kinds, ["critique", "opening"]);
    assert_eq!(m["stop_words"][0], "a");
}

#[test]
fn works_of_the_bibliography_are_found_by_author_and_title_as_references() {
    let site = TempSite::from_fixture("sites/citations");
    site.build();
    let served = Served::from_files(&search_files(&site));
    let kinds = &served.manifest["kinds"];
    let [start, end] = [0, 1].map(|i| kinds["reference"][i].as_u64().expect("reference range"));
    // Seven works, after every page.
    assert_eq!(end - start, 7, "{kinds}");
    assert_eq!(end, served.manifest["docs"].as_u64().expect("docs"));
    // By author: the work itself, at its entry on /references/.
    let q = served.first_query("holton", 10);
    assert_eq!(
        q.results.first().map(String::as_str),
        Some("references/#holton1994deciding"),
        "{:?}",
        q.results
    );
    // By a word of its title only the work has.
    let q = served.first_query("antitrust", 10);
    assert_eq!(
        q.results.first().map(String::as_str),
        Some("references/#baier1986trust"),
        "{:?}",
        q.results
    );
}

#[test]
fn a_title_match_comes_before_body_mentions() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let served = Served::from_files(&search_files(&site));
    let q = served.first_query("reliance", 10);
    // The term named "Reliance" is the definition card; the session titled "Reliance" comes
    // before the essay and question that only mention it.
    assert_eq!(q.card.as_deref(), Some("glossary/reliance/"));
    let session = q.results.iter().position(|u| u == "sessions/2/");
    let essay = q.results.iter().position(|u| u.starts_with("essays/beta/"));
    assert!(session < essay && essay.is_some(), "{:?}", q.results);
}

#[test]
fn results_point_at_the_heading_where_the_word_is() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let served = Served::from_files(&search_files(&site));
    let q = served.first_query("struck", 5);
    assert_eq!(q.results, ["essays/alpha/#markdown-features"]);
    let q = served.first_query("old", 5);
    assert_eq!(q.results, ["glossary/trust/#origins"]);
}

#[test]
fn an_alias_leads_to_its_term() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let served = Served::from_files(&search_files(&site));
    let mut fetched = BTreeMap::new();
    // "trusting relationship" is an alias of Trust: its first word's stem carries the phrase.
    let (_, record) = served.record("trusting", &mut fetched).expect("trusting");
    let phrases = record[5].as_array().expect("phrases");
    let alias = phrases
        .iter()
        .find(|p| p[1] == "relationship")
        .expect("alias phrase");
    let doc = alias[0].as_u64().expect("doc");
    assert_eq!(served.passage(doc, 0, &mut fetched).0, "glossary/trust/");
    assert_eq!(
        served.first_query("relationship", 5).results[0],
        "glossary/trust/"
    );
}

#[test]
fn inflected_and_accented_words_find_their_stem() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let served = Served::from_files(&search_files(&site));
    let trusting = served.first_query("trusting", 10).results;
    assert!(
        trusting.iter().any(|u| u.starts_with("essays/alpha/")),
        "{trusting:?}"
    );
    let accented = served.first_query("Épistémic", 5).results;
    assert!(
        accented.contains(&"essays/alpha/#custom-id".to_string()),
        "{accented:?}"
    );
}

/// Generates a course, builds its index through the library (the pipeline up to `build_index`,
/// without rendering pages), and reports sizes and a first query's transfer for a few words.
fn measure(
    items: usize,
    options: &corpus::Options,
) -> (f64, usize, usize, Vec<(String, FirstQuery)>) {
    let dir = tempfile::tempdir().expect("tempdir");
    corpus::generate(dir.path(), items, options).expect("generate corpus");
    let config = lectern::Config::load(dir.path()).expect("config");
    let site = common::resolved(&config);
    let started = Instant::now();
    let files = lectern::search::build_index(&site);
    let elapsed = started.elapsed().as_secs_f64();
    let total: usize = files.values().map(|f| f.len()).sum();
    let served = Served::from_files(&files);
    // A frequent word, a glossary word, and a word from the middle of the vocabulary.
    let words = ["trust", "rupture", "vulnerability", "patience"];
    let queries = words
        .iter()
        .map(|w| (w.to_string(), served.first_query(w, 8)))
        .collect();
    (elapsed, files.len(), total, queries)
}

fn report(
    items: usize,
    (elapsed, files, total, queries): &(f64, usize, usize, Vec<(String, FirstQuery)>),
) {
    eprintln!(
        "search index for {items} items: built in {elapsed:.2} s, {files} files, {} KB",
        total / 1024
    );
    for (word, q) in queries {
        eprintln!(
            "  first query {word:?}: {} files, {:.1} KB, {} results",
            q.files,
            q.bytes as f64 / 1024.0,
            q.results.len()
        );
    }
}

#[test]
fn a_first_query_on_100_items_fetches_at_most_30_kb() {
    let measured = measure(100, &corpus::Options::default());
    report(100, &measured);
    for (word, q) in &measured.3 {
        assert!(!q.results.is_empty(), "{word} finds something");
        assert!(q.bytes <= 30 * 1024, "{word}: {} bytes", q.bytes);
    }
}

/// Ten thousand items with shorter bodies than the default, so that a debug build runs it in
/// reasonable time; the shards' sizes, not the bodies' length, decide a first query's transfer.
#[test]
fn a_first_query_on_10000_items_fetches_at_most_100_kb() {
    let measured = measure(10_000, &corpus::Options::short());
    report(10_000, &measured);
    for (word, q) in &measured.3 {
        assert!(q.results.len() >= 8, "{word} finds a page of results");
        assert!(q.bytes <= 100 * 1024, "{word}: {} bytes", q.bytes);
    }
}

/// A stem's further postings are in `x/<stem>-<k>.json.gz` for k = 1 … chunks - 1, the names the
/// client asks for: named by the stem, they keep their names when other words come and go. A
/// short last chunk is instead in the tail file `t/<FNV-1a(stem) mod tails>.json.gz`, under the
/// stem. Every stem's postings, read as the client reads them, are all its documents once.
#[test]
fn further_postings_are_where_the_client_looks() {
    let dir = tempfile::tempdir().expect("tempdir");
    corpus::generate(dir.path(), 5000, &corpus::Options::short()).expect("generate corpus");
    let config = lectern::Config::load(dir.path()).expect("config");
    let site = common::resolved(&config);
    let files = lectern::search::build_index(&site);
    let manifest: Value = serde_json::from_slice(&files["manifest.json"]).expect("manifest");
    assert_eq!(
        manifest["single"],
        Value::Bool(false),
        "a site with separate parts"
    );
    let number = |key: &str| manifest[key].as_u64().expect(key);
    let (first, next) = (
        manifest["chunk_postings"][0].as_u64().expect("first"),
        manifest["chunk_postings"][1].as_u64().expect("next"),
    );
    let (tail_postings, tails) = (number("tail_postings"), number("tails"));
    let json = |name: &str| -> Value {
        let bytes = files
            .get(&format!("{name}.json.gz"))
            .unwrap_or_else(|| panic!("no {name}.json.gz"));
        serde_json::from_slice(&unpack(bytes)).expect("json")
    };
    let (mut expected_x, mut in_tails) = (Vec::new(), 0);
    for (name, bytes) in &files {
        if !name.starts_with("d/") {
            continue;
        }
        let shard: Value = serde_json::from_slice(&unpack(bytes)).expect("shard");
        let mut id = shard["first"].as_u64().expect("first");
        for record in shard["terms"].as_array().expect("terms") {
            if record.as_array().expect("record").len() == 2 {
                continue;
            }
            let stem = record[0].as_str().expect("stem");
            let df = record[1].as_u64().expect("documents");
            let chunks = record[3].as_u64().expect("chunks");
            let mut docs: Vec<u64> = json(&format!("p/{}", record[2]))[id.to_string()]
                .as_array()
                .expect("first chunk")
                .iter()
                .map(|p| p[0].as_u64().expect("doc"))
                .collect();
            for k in 1..chunks {
                let tail = k == chunks - 1 && df > first && (df - first - 1) % next < tail_postings;
                let chunk = if tail {
                    in_tails += 1;
                    json(&format!("t/{}", fnv1a(stem) % tails))[stem].clone()
                } else {
                    expected_x.push(format!("x/{stem}-{k}.json.gz"));
                    json(&format!("x/{stem}-{k}"))
                };
                let chunk = chunk.as_array().expect("chunk").clone();
                docs.extend(chunk.iter().map(|p| p[0].as_u64().expect("doc")));
            }
            let count = docs.len();
            docs.sort_unstable();
            docs.dedup();
            assert_eq!((docs.len(), count), (df as usize, df as usize), "{stem}");
            id += 1;
        }
    }
    expected_x.sort();
    let found: Vec<String> = files
        .keys()
        .filter(|n| n.starts_with("x/"))
        .cloned()
        .collect();
    assert!(in_tails > 0, "common stems have short last chunks");
    assert!(!expected_x.is_empty(), "the commonest stems have long ones");
    assert_eq!(found, expected_x);
}

/// 32-bit FNV-1a, as the client computes it (js/search-index.js, `tailOf`).
fn fnv1a(s: &str) -> u64 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    u64::from(hash)
}
