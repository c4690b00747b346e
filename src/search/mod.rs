//! The search index, built from the resolved `Site` (never by re-parsing HTML) and written as
//! static files under `/search/`: documents cut into passages, an inverted index of stems with
//! precomputed scores, and the files the client fetches piece by piece.

mod count;
pub mod document;
pub mod files;
mod fragments;
pub mod index;
pub mod phrases;
mod postings;
mod stop_words;
pub mod tokenize;
mod vocabulary;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::site::Site;

pub use document::{Doc, DocKind, Passage, documents};
pub use index::SearchIndex;
pub use tokenize::Analyzer;

/// The index files, by path relative to `/search/`.
pub fn build_index(site: &Site) -> BTreeMap<String, Arc<[u8]>> {
    let timer = crate::timing::Timer::start();
    let docs = documents(site);
    timer.lap("s:docs");
    index_files(site, &docs)
}

/// The index files of `site` from its documents, made before.
pub fn index_files(site: &Site, docs: &[Doc]) -> BTreeMap<String, Arc<[u8]>> {
    let timer = crate::timing::Timer::start();
    let analyzer = Analyzer::new(&site.config.language);
    let (index, passages) = rayon::join(
        || SearchIndex::build(docs, &analyzer),
        || files::passages(docs),
    );
    timer.lap("s:index");
    let files = files::encode(docs, &index, &analyzer, passages);
    timer.lap("s:files");
    files
}
