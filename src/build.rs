//! Orchestration of a build, and the only code that writes the output folder. Output is written
//! beside the target folder and swapped in at the end, so a failed or interrupted build never
//! leaves a half-written site and the previous output stays as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links;
use crate::render::{self, Page, Theme};
use crate::site::{BuildOptions, Site};

/// Everything a build produces in memory, before anything is written.
#[derive(Debug)]
pub struct Output {
    pub site: Site,
    /// Output path (relative, forward slashes) → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
    pub output_dir: PathBuf,
}

/// Loads, resolves and renders a site without writing anything. Errors and warnings come back
/// together; the output only when there are no errors.
pub fn generate(config: &Config, options: BuildOptions) -> (Option<Output>, Diagnostics) {
    let timer = crate::timing::Timer::start();
    let (corpus, mut diags) = content::load(config);
    timer.lap("load");
    let theme = Theme::load(config);
    timer.lap("theme");
    let (site, link_diags) = links::resolve(corpus, config, options);
    timer.lap("resolve");
    diags.extend(link_diags);
    let theme = match theme {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let (Some(site), Some(theme)) = (site, theme) else {
        return (None, diags);
    };
    if diags.has_errors() {
        return (None, diags);
    }
    let pages = match render::render_all(&site, &theme) {
        Ok(p) => p,
        Err(d) => {
            diags.extend(d);
            return (None, diags);
        }
    };
    timer.lap("render");
    let files = assemble_files(&site, &theme, pages, &mut diags);
    timer.lap("files");
    if diags.has_errors() {
        return (None, diags);
    }
    (Some(Output { site, files }), diags)
}

fn assemble_files(
    site: &Site,
    theme: &Theme,
    pages: Vec<Page>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Vec<u8>> {
    let mut files = static_files(&site.config, theme, diags);
    for page in pages {
        files.insert(page.path, page.html.into_bytes());
    }
    files.extend(site_files(site));
    files.extend(search_files(site));
    files
}

/// The theme's static files overlaid with the site's static/ folder.
pub fn static_files(
    config: &Config,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Vec<u8>> {
    let mut files: BTreeMap<String, Vec<u8>> = theme
        .statics
        .iter()
        .map(|(path, file)| (path.clone(), file.bytes.clone()))
        .collect();
    files.extend(site_statics(&config.root, diags));
    files
}

/// The search index files, under `search/`.
pub fn search_files(site: &Site) -> BTreeMap<String, Vec<u8>> {
    crate::search::build_index(site)
        .into_iter()
        .map(|(path, bytes)| (format!("search/{path}"), bytes))
        .collect()
}

/// The files made from the whole site rather than one page: sitemap, robots.txt, .nojekyll and
/// CNAME.
pub fn site_files(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert("sitemap.xml".into(), sitemap(site).into_bytes());
    let sitemap_url = site
        .config
        .permalink(&format!("{}sitemap.xml", site.config.base_path));
    files.insert(
        "robots.txt".into(),
        format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n").into_bytes(),
    );
    files.insert(".nojekyll".into(), Vec::new());
    if let Some(cname) = &site.config.cname {
        files.insert("CNAME".into(), format!("{}\n", cname.trim()).into_bytes());
    }
    files
}

/// Files under the site's static/ folder, which win over the theme's.
fn site_statics(root: &Path, diags: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Vec::new();
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .follow_links(false)
    {
        let Ok(entry) = entry else { continue };
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let shown = Path::new("static").join(rel);
        if entry.path_is_symlink() {
            let inside = entry
                .path()
                .canonicalize()
                .is_ok_and(|t| t.starts_with(&canonical_root));
            if !inside {
                diags.push(
                    Diagnostic::error(&shown, 1, 1, "symbolic link points outside the site")
                        .with_hint("copy the file into static/ instead"),
                );
                continue;
            }
        }
        if !entry.path().is_file() {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => out.push((rel.to_string_lossy().replace('\\', "/"), bytes)),
            Err(e) => diags.push(Diagnostic::error(&shown, 1, 1, format!("cannot read: {e}"))),
        }
    }
    out
}

fn sitemap(site: &Site) -> String {
    let mut urls: Vec<(String, Option<String>)> = Vec::new();
    let base = &site.config.base_path;
    let home_listed = site.home.is_some();
    if !home_listed {
        urls.push((base.clone(), None));
    }
    for (_, e) in site.included() {
        let lastmod = match e.item.meta {
            content::Meta::Essay {
                date: Some((y, m, d)),
                ..
            }
            | content::Meta::Session {
                date: Some((y, m, d)),
                ..
            } => Some(format!("{y:04}-{m:02}-{d:02}")),
            _ => None,
        };
        urls.push((e.url.clone(), lastmod));
    }
    for dir in ["essays", "glossary", "questions", "sessions"] {
        urls.push((format!("{base}{dir}/"), None));
    }
    urls.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in urls {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&render::markdown::escape_attr(&site.config.permalink(&url)));
        xml.push_str("</loc>\n");
        if let Some(d) = lastmod {
            xml.push_str(&format!("    <lastmod>{d}</lastmod>\n"));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Builds the site and writes it to `out`, replacing what was there only on success.
pub fn build(
    config: &Config,
    options: BuildOptions,
    out: &Path,
) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let (output, diags) = generate(config, options);
    let Some(output) = output else {
        return Err(diags);
    };
    let pages = output.files.keys().filter(|p| p.ends_with(".html")).count();
    let files = output.files.len();
    write_output(out, &output.files).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(out, 1, 1, format!("cannot write the output: {e}"))
                .with_hint("check that the output folder's parent exists and is writable"),
        )
    })?;
    Ok(BuildReport {
        pages,
        files,
        warnings: diags,
        elapsed: started.elapsed(),
        output_dir: out.to_path_buf(),
    })
}

/// Checks a site as a build would, writing nothing.
pub fn check(config: &Config, options: BuildOptions) -> (bool, Diagnostics, Option<Site>) {
    let (output, diags) = generate(config, options);
    (output.is_some(), diags, output.map(|o| o.site))
}

const STAGING_MARK: &str = ".lectern-staging-";
const RETIRED_MARK: &str = ".lectern-old-";

/// Writes `files` into a fresh sibling folder, then swaps it into place.
pub fn write_output<B: AsRef<[u8]> + Sync>(
    out: &Path,
    files: &BTreeMap<String, B>,
) -> std::io::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .ok_or_else(|| std::io::Error::other("the output path has no folder name"))?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(&parent)?;
    remove_leftovers(&parent, &name);
    let staging = parent.join(format!(".{name}{STAGING_MARK}{}", std::process::id()));
    let result = write_tree(&staging, files).and_then(|()| swap_in(&staging, out, &parent, &name));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_tree<B: AsRef<[u8]> + Sync>(
    dir: &Path,
    files: &BTreeMap<String, B>,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut dirs: Vec<PathBuf> = files
        .keys()
        .filter_map(|p| Path::new(p).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(dir.join(d))?;
    }
    files
        .par_iter()
        .try_for_each(|(path, bytes)| std::fs::write(dir.join(path), bytes.as_ref()))
}

fn swap_in(staging: &Path, out: &Path, parent: &Path, name: &str) -> std::io::Result<()> {
    if out.exists() {
        let retired = parent.join(format!(".{name}{RETIRED_MARK}{}", std::process::id()));
        std::fs::rename(out, &retired)?;
        if let Err(e) = std::fs::rename(staging, out) {
            let _ = std::fs::rename(&retired, out);
            return Err(e);
        }
        std::fs::remove_dir_all(&retired)?;
    } else {
        std::fs::rename(staging, out)?;
    }
    Ok(())
}

/// Removes staging or retired folders left by a build that was killed part-way.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(read) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}{STAGING_MARK}");
    let retired = format!(".{name}{RETIRED_MARK}");
    for entry in read.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&staging) || file.starts_with(&retired) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
