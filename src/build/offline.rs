//! The service worker at the base path (`sw.js`). With `offline = true` it keeps the pages a
//! reader opens and the search index for reading offline, in a cache named by a hash of
//! everything the build wrote: a new build is a new cache, and an unchanged one the same bytes.
//! Without it, the file is a worker that removes itself and its caches, for the readers whose
//! browsers installed the worker of an earlier build.

use std::sync::Arc;

use super::assets::Files;
use crate::site::Site;
use crate::text::escape_attr;

/// The worker's path under the base path. A worker controls the pages under its own folder, so
/// it lives at the top.
pub const WORKER: &str = "sw.js";

const OFFLINE_WORKER: &str = include_str!("offline-worker.js");
const REMOVING_WORKER: &str = include_str!("removing-worker.js");

/// A 64-bit FNV-1a hash: the same on every machine and with every compiler, which the standard
/// library's hashers do not promise, so that identical sites build identical workers.
pub fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The worker for `site`, given the digests of its rendered pages (`pages`, by output path) and
/// every other file it writes (`others`). None when the site's own static/sw.js is to stay:
/// without `offline`, a worker of the author's is the author's choice.
pub fn worker(site: &Site, mut pages: Vec<(String, u64)>, others: &Files) -> Option<Arc<[u8]>> {
    let config = &site.config;
    if !config.offline {
        let own = config.root.join("static").join(WORKER).is_file();
        return (!own).then(|| Arc::from(REMOVING_WORKER.as_bytes()));
    }
    pages.extend(
        others
            .iter()
            .filter(|(path, _)| path.as_str() != WORKER)
            .map(|(path, bytes)| (path.clone(), digest(bytes))),
    );
    pages.sort_unstable();
    let mut all = Vec::with_capacity(pages.len() * 24);
    for (path, hash) in &pages {
        all.extend_from_slice(path.as_bytes());
        all.push(0);
        all.extend_from_slice(&hash.to_le_bytes());
    }
    let settings = serde_json::json!({
        "version": format!("{:016x}", digest(&all)),
        "keep": keep(others.iter().map(|(path, bytes)| (path.as_str(), bytes.len()))),
        "offline": offline_page(site),
    });
    let text = format!("const SETTINGS = {settings};\n{OFFLINE_WORKER}");
    Some(Arc::from(text.into_bytes()))
}

/// A search index up to this size is kept whole when the worker installs, so that any search
/// works offline; a larger one's parts are kept as searches fetch them.
const WHOLE_INDEX_BYTES: usize = 3 << 20;

/// What the worker fetches when it installs, relative to the base path, from the files other
/// than pages (path, size): the home page, the search page and index, and what every page loads
/// (styles, scripts, fonts, the icon), so that a kept page shows whole.
fn keep<'a>(files: impl Iterator<Item = (&'a str, usize)> + Clone) -> Vec<String> {
    let index: usize = files
        .clone()
        .filter(|(path, _)| is_index_file(path))
        .map(|(_, size)| size)
        .sum();
    let mut keep = vec!["./".to_string(), "search/".to_string()];
    for (path, _) in files {
        let top = !path.contains('/');
        let shell = [".css", ".js", ".mjs", ".woff2", ".woff"]
            .iter()
            .any(|ext| path.ends_with(ext))
            && (top || path.starts_with("js/") || path.starts_with("fonts/"));
        let search =
            is_index_file(path) && (index <= WHOLE_INDEX_BYTES || path == "search/manifest.json");
        if path != WORKER && (shell || search || (top && path.starts_with("favicon."))) {
            keep.push(path.to_string());
        }
    }
    keep
}

/// A file of the search index: its manifest (JSON) or one of its compressed parts.
fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && (path.ends_with(".json") || path.ends_with(".json.gz"))
}

/// The page the worker answers with for a page it did not keep, in the site's language and
/// styles.
fn offline_page(site: &Site) -> String {
    let config = &site.config;
    let t = |key: &str| escape_attr(config.strings.get(key));
    let base = escape_attr(&config.base_path);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · {site}</title>\n<meta name=\"color-scheme\" content=\"light dark\">\n\
         <script>try{{var t=localStorage.getItem(\"lectern-theme\");if(t)document.documentElement.dataset.theme=t}}catch(e){{}}</script>\n\
         <link rel=\"stylesheet\" href=\"{base}style.css\">\n</head>\n<body class=\"kind-offline\">\n\
         <main id=\"main\">\n<header class=\"page-header\"><h1>{title}</h1></header>\n\
         <p class=\"lede\">{text}</p>\n<p><a href=\"{base}\">{home}</a></p>\n</main>\n</body>\n</html>\n",
        lang = escape_attr(&config.language),
        title = t("offline_title"),
        site = escape_attr(&config.title),
        text = t("offline_text"),
        home = t("offline_home"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_fnv_1a() {
        assert_eq!(digest(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(digest(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn the_worker_keeps_the_home_search_and_what_pages_load() {
        let files = [
            ("search/d/0.json.gz", 100),
            ("search/manifest.json", 10),
            ("style.css", 1),
            ("js/search.js", 1),
            ("fonts/a.woff2", 1),
            ("favicon.svg", 1),
            ("img/photo.js", 1),
            ("sw.js", 1),
        ];
        assert_eq!(
            keep(files.into_iter()),
            [
                "./",
                "search/",
                "search/d/0.json.gz",
                "search/manifest.json",
                "style.css",
                "js/search.js",
                "fonts/a.woff2",
                "favicon.svg"
            ]
        );
        // A large index is kept as it is used, but for its manifest.
        let large = [
            ("search/d/0.json.gz", WHOLE_INDEX_BYTES),
            ("search/manifest.json", 10),
        ];
        assert_eq!(
            keep(large.into_iter()),
            ["./", "search/", "search/manifest.json"]
        );
    }
}
