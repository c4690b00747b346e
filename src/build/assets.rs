//! The output files that are not rendered pages: static files (the theme's overlaid by the
//! site's), the files made from the whole site (sitemap, robots.txt, .nojekyll, CNAME) and the
//! search index.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::paths::output_key;
use crate::render::Theme;
use crate::search::Doc;
use crate::site::Site;
use crate::text::escape_attr;

/// Output files by path (relative, forward slashes), their bytes shared so that a rebuild keeps
/// unchanged ones without copying them.
pub type Files = BTreeMap<String, Arc<[u8]>>;

/// The theme's static files overlaid with the site's static/ folder, and the icons made from
/// their favicon.
pub fn static_files(config: &Config, theme: &Theme) -> Result<Files, Diagnostics> {
    let mut files: Files = theme
        .statics
        .iter()
        .map(|(path, file)| (path.clone(), Arc::from(file.bytes.as_slice())))
        .collect();
    files.extend(site_statics(&config.root)?);
    let icons = super::icons::icon_files(config, &files)?;
    files.extend(icons);
    Ok(files)
}

/// Files under the site's static/ folder, which win over the theme's.
fn site_statics(root: &Path) -> Result<Files, Diagnostics> {
    let dir = Path::new("static");
    if !root.join(dir).is_dir() {
        return Ok(Files::new());
    }
    let mut diags = Diagnostics::new();
    let mut out = Files::new();
    for found in crate::paths::walk(root, dir, false) {
        let path = match found {
            Ok(path) => path,
            Err(problem) => {
                diags.push(problem.into());
                continue;
            }
        };
        let rel = path.strip_prefix(dir).unwrap_or(&path);
        match std::fs::read(root.join(&path)) {
            Ok(bytes) => {
                out.insert(output_key(rel), Arc::from(bytes));
            }
            Err(e) => diags.push(Diagnostic::error(&path, 1, 1, format!("cannot read: {e}"))),
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}

/// The search index files, under `search/`.
pub fn search_files(site: &Site) -> Files {
    under_search(crate::search::build_index(site))
}

/// The same, from search documents made before.
pub fn search_files_of(site: &Site, docs: &[Doc]) -> Files {
    under_search(crate::search::index_files(site, docs))
}

fn under_search(files: BTreeMap<String, Arc<[u8]>>) -> Files {
    files
        .into_iter()
        .map(|(path, bytes)| (format!("search/{path}"), bytes))
        .collect()
}

/// The files made from the whole site rather than one page: sitemap (when the base URL has a
/// host: a sitemap holds absolute URLs), robots.txt, the scripts' words, .nojekyll and CNAME.
pub fn site_files(site: &Site) -> Files {
    let mut files = Files::new();
    let mut add = |path: &str, text: String| {
        files.insert(path.to_string(), Arc::from(text.into_bytes()));
    };
    let mut robots = "User-agent: *\nAllow: /\n".to_string();
    if site.config.has_host() {
        if let Some(feed) = super::feeds::atom(site) {
            add("atom.xml", feed);
        }
        add("sitemap.xml", sitemap(site));
        let sitemap_url = site
            .config
            .permalink(&format!("{}sitemap.xml", site.config.base_path));
        robots.push_str(&format!("\nSitemap: {sitemap_url}\n"));
    }
    // A robots.txt of the site's own (in static/) is the author's choice, and stays.
    if !site.config.root.join("static/robots.txt").is_file() {
        add("robots.txt", robots);
    }
    if let Some(calendar) = super::calendar::sessions_ics(site) {
        add("sessions.ics", calendar);
    }
    // The scripts' words in the site's language, once for every page rather than in each.
    add(
        "js/words.js",
        format!(
            "window.lecternWords = {};\n",
            crate::render::script_words(site)
        ),
    );
    add(".nojekyll", String::new());
    if let Some(cname) = &site.config.cname {
        add("CNAME", format!("{}\n", cname.trim()));
    }
    files
}

fn sitemap(site: &Site) -> String {
    let mut urls: Vec<(String, Option<String>)> = Vec::new();
    let base = &site.config.base_path;
    if site.home.is_none() {
        urls.push((base.clone(), None));
    }
    for (_, e) in site.included() {
        urls.push((e.url.clone(), e.item.date().map(|d| d.to_string())));
    }
    for dir in ["essays", "glossary", "questions", "sessions"] {
        urls.push((format!("{base}{dir}/"), None));
    }
    if site.references.is_some() {
        urls.push((format!("{base}references/"), None));
    }
    urls.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in urls {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape_attr(&site.config.permalink(&url)));
        xml.push_str("</loc>\n");
        if let Some(d) = lastmod {
            xml.push_str(&format!("    <lastmod>{d}</lastmod>\n"));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
