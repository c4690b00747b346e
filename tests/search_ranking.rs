//! What the search index holds for ranking, on a small course made for it
//! (tests/fixtures/sites/search): stop words that are part of names and hyphenated words,
//! glossary names as phrases, and link text, which counts less on the page that holds it and
//! for the page it names. The client's side of these is in tests/browser/search-queries.test.mjs.

mod common;

use std::collections::BTreeMap;

use common::TempSite;
use common::served::Served;
use serde_json::Value;

fn served() -> Served {
    let site = TempSite::from_fixture("sites/search");
    site.build();
    Served::from_files(&common::served::index_files(&site.out().join("search")))
}

/// The URLs of the documents in a stem's record's postings, best first; empty when the key has
/// no record.
fn postings(served: &Served, key: &str) -> Vec<String> {
    let mut fetched = BTreeMap::new();
    let Some((id, record)) = served.record(key, &mut fetched) else {
        return Vec::new();
    };
    let group = record[2].as_u64().expect("group");
    let list = served.part(&format!("p/{group}"), &mut fetched)[id.to_string()]
        .as_array()
        .expect("postings")
        .clone();
    list.iter()
        .map(|p| {
            let doc = p[0].as_u64().expect("doc");
            served.passage(doc, 0, &mut fetched).0
        })
        .collect()
}

#[test]
fn a_hyphenated_word_is_indexed_whole_and_in_parts_stop_words_included() {
    let served = served();
    let whole = postings(&served, "wellbeing");
    for url in ["glossary/well-being/", "essays/flourishing/"] {
        assert!(whole.contains(&url.to_string()), "{url} in {whole:?}");
    }
    // "being" is a stop word, but not as part of "well-being": it finds the term.
    let being = postings(&served, "being");
    assert!(being.contains(&"glossary/well-being/".to_string()));
    assert!(being.contains(&"essays/flourishing/".to_string()));
}

#[test]
fn stop_words_are_indexed_in_titles_and_names_but_not_in_running_text() {
    let served = served();
    // The term and the session called "Up to us".
    for word in ["up", "to"] {
        let found = postings(&served, word);
        assert!(found.contains(&"glossary/up-to-us/".to_string()), "{word}");
        assert!(found.contains(&"sessions/1/".to_string()), "{word}");
    }
    // "the" is in no title or name, only in running text.
    assert!(postings(&served, "the").is_empty());
    // The name's phrase, and the term's card under the first word of its name.
    assert!(postings(&served, "up_to_us").contains(&"glossary/up-to-us/".to_string()));
    let (_, up) = served.record("up", &mut BTreeMap::new()).expect("up");
    let phrases = up[5].as_array().expect("phrases");
    assert!(phrases.iter().any(|p| p[1] == "to us"), "{phrases:?}");
}

#[test]
fn a_glossary_name_of_several_words_is_a_phrase_found_where_its_words_stand_together() {
    let served = served();
    let phrase = postings(&served, "therapeut_allianc");
    assert_eq!(phrase[0], "glossary/therapeutic-alliance/");
    assert!(phrase.contains(&"essays/working-together/".to_string()));
    // Both words, but apart.
    assert!(!phrase.contains(&"essays/notes-on-method/".to_string()));
    assert!(postings(&served, "allianc").contains(&"essays/notes-on-method/".to_string()));
}

#[test]
fn an_alias_carries_its_terms_name_for_the_client_to_search_as_well() {
    let served = served();
    let (_, record) = served
        .record("positive", &mut BTreeMap::new())
        .expect("positive");
    let phrases = record[5].as_array().expect("phrases");
    let alias = phrases
        .iter()
        .find(|p| p[1] == "regard")
        .expect("the alias");
    assert_eq!(alias[2], Value::from("acceptance"));
}

#[test]
fn a_page_of_links_ranks_below_the_pages_it_links_to() {
    let served = served();
    // Session two lists the pages about trustworthiness; they discuss it.
    let q = served.first_query("trustworthiness", 10);
    let pages: Vec<&str> = q
        .results
        .iter()
        .map(|u| u.split('#').next().unwrap_or(u))
        .collect();
    assert_eq!(
        pages,
        [
            "essays/earning-trustworthiness/",
            "questions/earning-it/",
            "sessions/2/"
        ]
    );
}

#[test]
fn link_text_counts_for_the_page_it_names() {
    let served = served();
    // Session two links to the question as "Earning trustworthiness, and losing it": the
    // question never says "losing", but that is what it is called.
    let q = served.first_query("losing", 5);
    assert_eq!(q.results[0], "questions/earning-it/");
}
