//! The search index, built from the resolved `Site` (never by re-parsing HTML) and written as
//! static files under `/search/`.

use std::collections::BTreeMap;

use crate::site::Site;

/// The index files, by path relative to `/search/`.
pub fn build_index(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let _ = site;
    BTreeMap::new()
}
