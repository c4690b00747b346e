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

/// Loads and resolves a site and loads its theme: everything before rendering. The site and
/// theme come back only when there are no errors.
fn prepare(config: &Config, options: BuildOptions) -> (Option<(Site, Theme)>, Diagnostics) {
    let timer = crate::timing::Timer::start();
    let (corpus, mut diags) = content::load(config);
    diags.extend(config.problems.iter().cloned());
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
    match (site, theme) {
        (Some(site), Some(theme)) if !diags.has_errors() => (Some((site, theme)), diags),
        _ => (None, diags),
    }
}

/// Loads, resolves and renders a site without writing anything. Errors and warnings come back
/// together; the output only when there are no errors.
pub fn generate(config: &Config, options: BuildOptions) -> (Option<Output>, Diagnostics) {
    let (prepared, mut diags) = prepare(config, options);
    let Some((site, theme)) = prepared else {
        return (None, diags);
    };
    let timer = crate::timing::Timer::start();
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
    // A robots.txt of the site's own (in static/) is the author's choice, and stays.
    if !site.config.root.join("static/robots.txt").is_file() {
        files.insert(
            "robots.txt".into(),
            format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n").into_bytes(),
        );
    }
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
    if let Err(d) = content::check_inside(&canonical_root, &dir, Path::new("static")) {
        diags.push(d);
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .follow_links(false)
    {
        let Ok(entry) = entry else { continue };
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let shown = Path::new("static").join(rel);
        if entry.path_is_symlink()
            && let Err(d) = content::check_inside(&canonical_root, entry.path(), &shown)
        {
            diags.push(d);
            continue;
        }
        if !entry.path().is_file() {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => out.push((render::theme::output_key(rel), bytes)),
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

/// Builds the site and writes it to `out`, replacing what was there only on success. Pages are
/// written as they are rendered, while the search index is built beside them, so the whole
/// output is never held in memory at once.
pub fn build(
    config: &Config,
    options: BuildOptions,
    out: &Path,
) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    check_output_dir(config, out)?;
    // A build killed part-way may have left the previous output moved aside: put it back first,
    // so that it survives even if this build fails.
    tidy_output(out);
    let (prepared, mut diags) = prepare(config, options);
    let Some((site, theme)) = prepared else {
        return Err(diags);
    };
    let timer = crate::timing::Timer::start();
    let cannot_write = |e: std::io::Error| {
        Diagnostics::from(
            Diagnostic::error(out, 1, 1, format!("cannot write the output: {e}"))
                .with_hint("check that the output folder's parent exists and is writable"),
        )
    };
    let mut others = static_files(&site.config, &theme, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    // Pages are rendered and written while the search index is built: both use every core,
    // and each fills the other's pauses (file system calls, the index's serial steps).
    let (written, search) = rayon::join(
        || {
            let timer = crate::timing::Timer::start();
            let staging = Staging::open(out).map_err(cannot_write)?;
            timer.lap("w:open");
            let pages = render::render_each(&site, &theme, &|_| true, &|page| {
                staging
                    .put(&page.path, page.html.as_bytes())
                    .map(|()| page.path)
            });
            timer.lap("pages");
            Ok::<_, Diagnostics>((staging, pages))
        },
        || search_files(&site),
    );
    let (staging, pages) = written?;
    let pages = pages.map_err(|d| {
        diags.extend(d);
        std::mem::take(&mut diags)
    })?;
    let pages: Vec<String> = pages
        .into_iter()
        .collect::<std::io::Result<_>>()
        .map_err(cannot_write)?;
    timer.lap("pg+srch");
    // As in `generate`, a page wins over a static file of the same name, and the site's own
    // files and the search index over both.
    for page in &pages {
        others.remove(page);
    }
    others.extend(site_files(&site));
    others.extend(search);
    others
        .par_iter()
        .try_for_each(|(path, bytes)| staging.put(path, bytes))
        .map_err(cannot_write)?;
    let files = pages.len() + others.len();
    let pages = pages.len() + others.keys().filter(|p| p.ends_with(".html")).count();
    drop(others);
    timer.lap("w:rest");
    staging.commit().map_err(cannot_write)?;
    timer.lap("w:swap");
    drop_later((site, theme));
    Ok(BuildReport {
        pages,
        files,
        warnings: diags,
        elapsed: started.elapsed(),
        output_dir: out.to_path_buf(),
    })
}

/// Frees `value` on a thread of its own: a large site is millions of allocations, and the
/// command that built it need not wait for them to be freed before it exits.
fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// Refuses an output folder whose replacement would delete something other than a previous
/// build: the site itself or a folder holding it, the site's sources, the home folder, the file
/// system's root, or a folder of someone else's files. Points at `output_dir` in site.toml when
/// the folder came from there, else at `--output`.
pub fn check_output_dir(config: &Config, out: &Path) -> Result<(), Diagnostic> {
    let Some((message, hint)) = output_dir_problem(&config.root, out) else {
        return Ok(());
    };
    let from_config = out == config.root.join(&config.output_dir);
    let text = if from_config {
        std::fs::read_to_string(config.root.join(crate::config::CONFIG_FILE)).unwrap_or_default()
    } else {
        String::new()
    };
    let key = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("output_dir"));
    let d = match key {
        Some((i, line)) => {
            // The column of the value, counted in characters.
            let value = line.find('=').map_or(0, |eq| {
                let after = &line[eq + 1..];
                eq + 1 + after.len() - after.trim_start().len()
            });
            let col = line[..value].chars().count() + 1;
            Diagnostic::error(crate::config::CONFIG_FILE, i + 1, col, message).with_source(&text)
        }
        None if from_config => Diagnostic::error(crate::config::CONFIG_FILE, 1, 1, message),
        None => Diagnostic::error("--output", 1, 1, message),
    };
    Err(d.with_hint(hint))
}

/// What is wrong with replacing `out` by a build of the site at `root`, and what to do instead.
pub fn output_dir_problem(root: &Path, out: &Path) -> Option<(String, String)> {
    let shown = format!(
        "the output folder `{}`",
        crate::diagnostics::display_path(out)
    );
    let use_public = "use a folder inside or beside the site, such as `public`".to_string();
    let root = root.canonicalize().ok()?;
    let target = resolve_path(out);
    if target.parent().is_none() {
        return Some((
            format!("{shown} is the root of the file system"),
            use_public,
        ));
    }
    if root == target {
        return Some((
            format!("{shown} is the site's own folder; a build there would delete the site"),
            use_public,
        ));
    }
    if root.starts_with(&target) {
        return Some((
            format!("{shown} holds the site's folder; a build there would delete the site"),
            use_public,
        ));
    }
    if let Some(home) = std::env::home_dir().and_then(|h| h.canonicalize().ok())
        && home.starts_with(&target)
    {
        return Some((format!("{shown} is or holds your home folder"), use_public));
    }
    for source in [crate::content::CONTENT_DIR, "static", "themes"] {
        if target.starts_with(root.join(source)) {
            return Some((
                format!("{shown} is inside the site's `{source}/` folder"),
                "the output would be read back as part of the site; use a folder such as `public`"
                    .to_string(),
            ));
        }
    }
    let meta = std::fs::metadata(&target).ok()?;
    if !meta.is_dir() {
        return Some((
            format!("{shown} is a file, not a folder"),
            "choose a folder's name; a build makes the folder".to_string(),
        ));
    }
    // Every build writes `.nojekyll`: a folder with other files and none is not a previous build.
    let foreign = !target.join(".nojekyll").exists()
        && std::fs::read_dir(&target).is_ok_and(|mut entries| entries.next().is_some());
    if foreign {
        return Some((
            format!("{shown} holds files that lectern did not write"),
            "a build replaces its output folder whole: choose a new or empty folder, or move those files away first".to_string(),
        ));
    }
    None
}

/// `path` made absolute with its symbolic links resolved, as far as it exists; the rest (which
/// a build would create) is appended with `.` and `..` applied.
fn resolve_path(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = absolute.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    let mut resolved = loop {
        if let Ok(c) = existing.canonicalize() {
            break c;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            // `..` at the end, or nothing left that exists: apply the parts as written.
            _ => {
                rest.clear();
                break crate::content::lexical(&absolute);
            }
        }
    };
    for part in rest.iter().rev() {
        resolved.push(part);
    }
    crate::content::lexical(&resolved)
}

/// Checks a site as a build would, writing nothing.
pub fn check(config: &Config, options: BuildOptions) -> (bool, Diagnostics, Option<Site>) {
    let (output, diags) = generate(config, options);
    (output.is_some(), diags, output.map(|o| o.site))
}

const STAGING_MARK: &str = ".lectern-staging-";
const RETIRED_MARK: &str = ".lectern-old-";
const SPARE_MARK: &str = ".lectern-spare";

/// Writes `files` beside the output folder, then swaps them into place (see `Staging`). Keys are
/// relative paths with forward slashes; one that could leave the folder is refused before
/// anything is written.
pub fn write_output<B: AsRef<[u8]> + Sync>(
    out: &Path,
    files: &BTreeMap<String, B>,
) -> std::io::Result<()> {
    if let Some(bad) = files.keys().find(|k| !is_inside_path(k)) {
        return Err(std::io::Error::other(format!(
            "`{bad}` is not a path inside the output folder"
        )));
    }
    let staging = Staging::open(out)?;
    files
        .par_iter()
        .try_for_each(|(path, bytes)| staging.put(path, bytes.as_ref()))?;
    staging.commit()
}

/// A new output being written in a folder beside the output folder; `commit` swaps the two, so
/// the output folder always holds one whole build.
///
/// The output a commit retires is kept beside it as the spare (`.public.lectern-spare`) and
/// becomes the next staging folder: brought up to date in place, it needs no new file or folder
/// for what did not change, and creating files and folders is what costs most when writing a
/// large site. Without a spare, an unchanged file is hard-linked from the current output
/// instead; a changed file that shares its data with the live output through such a link is
/// replaced by a new file, while one whose data is its own is rewritten in place. Dropped
/// without a commit, the staging folder becomes the spare (or is removed) and the output is
/// untouched.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    /// Whether unchanged files may be linked from `out` (a fresh staging folder only).
    link_from_out: bool,
    /// What the reused spare held: relative path → whether it is a folder (else a file). What
    /// no `put` claims is removed by `commit`.
    found: std::collections::HashMap<String, bool>,
    /// Folders known to exist, relative (`""` is the staging folder itself).
    ready: std::sync::Mutex<std::collections::HashSet<String>>,
    written: std::sync::Mutex<std::collections::HashSet<String>>,
    committed: bool,
}

impl Staging {
    pub fn open(out: &Path) -> std::io::Result<Staging> {
        let (parent, name) = split_output(out)?;
        std::fs::create_dir_all(&parent)?;
        tidy_output(out);
        let dir = parent.join(format!(".{name}{STAGING_MARK}{}", std::process::id()));
        let spare = parent.join(format!(".{name}{SPARE_MARK}"));
        let reused = is_real_dir(&spare) && std::fs::rename(&spare, &dir).is_ok();
        let found = if reused {
            survey(&dir)?
        } else {
            std::fs::create_dir_all(&dir)?;
            std::collections::HashMap::new()
        };
        Ok(Staging {
            link_from_out: !reused && is_real_dir(out),
            dir,
            out: out.to_path_buf(),
            parent,
            name,
            found,
            ready: std::sync::Mutex::new(std::iter::once(String::new()).collect()),
            written: std::sync::Mutex::new(std::collections::HashSet::new()),
            committed: false,
        })
    }

    /// Writes one file; may be called from several threads at once.
    pub fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        if !is_inside_path(path) {
            return Err(std::io::Error::other(format!(
                "`{path}` is not a path inside the output folder"
            )));
        }
        self.make_folders(path)?;
        lock(&self.written).insert(path.to_string());
        let target = self.dir.join(path);
        match self.found.get(path) {
            Some(false) => {
                // A file, not a link: `survey` removed those.
                let meta = std::fs::symlink_metadata(&target)?;
                if meta.len() == bytes.len() as u64 && same_bytes(&target, bytes) {
                    return Ok(());
                }
                // A file linked from the live output must not change under it: it is replaced.
                // One of its own is rewritten in place, which costs no new file.
                if !has_one_link(&meta) {
                    std::fs::remove_file(&target)?;
                }
            }
            Some(true) => std::fs::remove_dir_all(&target)?,
            None if self.link_from_out => {
                let old = self.out.join(path);
                if unchanged(&old, bytes) && std::fs::hard_link(&old, &target).is_ok() {
                    return Ok(());
                }
            }
            None => {}
        }
        std::fs::write(target, bytes)
    }

    /// Makes the folders above `path`, replacing a file found where a folder goes. Threads may
    /// make the same folder at once: whoever comes second finds it made.
    fn make_folders(&self, path: &str) -> std::io::Result<()> {
        let Some((folder, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        if lock(&self.ready).contains(folder) {
            return Ok(());
        }
        let mut end = 0;
        for part in folder.split('/') {
            end += part.len();
            let rel = &folder[..end];
            end += 1;
            if lock(&self.ready).contains(rel) {
                continue;
            }
            let at = self.dir.join(rel);
            match self.found.get(rel) {
                // Found as a folder (and links were removed): it is there.
                Some(true) => {
                    lock(&self.ready).insert(rel.to_string());
                    continue;
                }
                // Another thread may have replaced it already; `create_dir` tells.
                Some(false) => {
                    let _ = std::fs::remove_file(&at);
                }
                None => {}
            }
            match std::fs::create_dir(&at) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && is_real_dir(&at) => {}
                Err(e) => return Err(e),
            }
            lock(&self.ready).insert(rel.to_string());
        }
        Ok(())
    }

    /// Removes what no `put` wrote, then swaps the staging folder into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let written = std::mem::take(&mut *lock(&self.written));
        let ready = std::mem::take(&mut *lock(&self.ready));
        for (rel, is_folder) in &self.found {
            if written.contains(rel) || ready.contains(rel) {
                continue;
            }
            let path = self.dir.join(rel);
            let removed = if *is_folder {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            match removed {
                // Inside a folder removed before it.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                other => other?,
            }
        }
        swap_in(&self.dir, &self.out, &self.parent, &self.name)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // What was written is as good a start for the next build as the spare was.
            keep_as_spare(&self.dir, &self.parent, &self.name);
        }
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave these sets inconsistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether a file's data is reachable from this name only (where the system says; else no).
fn has_one_link(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink() == 1
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// Everything under `dir` (relative path → whether it is a folder), once links and anything
/// else that is neither a file nor a folder are removed, so that nothing written into `dir`
/// later can land outside it. Reads folders only: what a file holds is looked at when it is
/// written, by the threads that write.
fn survey(dir: &Path) -> std::io::Result<std::collections::HashMap<String, bool>> {
    let mut found = std::collections::HashMap::new();
    let mut walker = walkdir::WalkDir::new(dir).min_depth(1).into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(std::io::Error::other)?;
        let kind = entry.file_type();
        let rel = entry
            .path()
            .strip_prefix(dir)
            .ok()
            .and_then(Path::to_str)
            .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"));
        match rel {
            Some(rel) if kind.is_dir() || kind.is_file() => {
                found.insert(rel, kind.is_dir());
            }
            _ if kind.is_dir() => {
                std::fs::remove_dir_all(entry.path())?;
                walker.skip_current_dir();
            }
            _ => std::fs::remove_file(entry.path())?,
        }
    }
    Ok(found)
}

fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Relative, with no `..`, no empty part, and (on Windows) no other separator or drive.
fn is_inside_path(key: &str) -> bool {
    let bad = |c: char| c == '\0' || (cfg!(windows) && matches!(c, '\\' | ':'));
    !key.is_empty()
        && !key.contains(bad)
        && key
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

fn split_output(out: &Path) -> std::io::Result<(PathBuf, String)> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .ok_or_else(|| std::io::Error::other("the output path has no folder name"))?
        .to_string_lossy()
        .into_owned();
    Ok((parent, name))
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`.
fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && same_bytes(path, bytes)
}

/// Whether the file at `path`, of the same length as `bytes`, holds exactly them.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut buf = vec![0u8; bytes.len().min(64 * 1024)];
    let mut at = 0;
    while at < bytes.len() {
        let want = (bytes.len() - at).min(buf.len());
        if file.read_exact(&mut buf[..want]).is_err() || buf[..want] != bytes[at..at + want] {
            return false;
        }
        at += want;
    }
    true
}

/// Puts the new output in place. On Linux the two folders are exchanged in one step, so the
/// output folder always holds one whole build; elsewhere the old one is moved aside first, and
/// `tidy_output` puts it back if the process dies in between.
fn swap_in(staging: &Path, out: &Path, parent: &Path, name: &str) -> std::io::Result<()> {
    if std::fs::symlink_metadata(out).is_err() {
        return std::fs::rename(staging, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous build: the next one starts from it.
            keep_as_spare(staging, parent, name);
            return Ok(());
        }
    }
    let retired = parent.join(format!(".{name}{RETIRED_MARK}{}", std::process::id()));
    std::fs::rename(out, &retired)?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&retired, out);
        return Err(e);
    }
    keep_as_spare(&retired, parent, name);
    Ok(())
}

/// Keeps a retired output as the spare for the next build (see `write_output`).
fn keep_as_spare(retired: &Path, parent: &Path, name: &str) {
    let spare = parent.join(format!(".{name}{SPARE_MARK}"));
    if std::fs::symlink_metadata(&spare).is_ok() || std::fs::rename(retired, &spare).is_err() {
        let _ = std::fs::remove_dir_all(retired);
    }
}

/// Repairs what a build killed part-way leaves beside `out`: a previous output moved aside is put
/// back if `out` is missing, and half-written or retired folders are removed.
pub fn tidy_output(out: &Path) {
    let Ok((parent, name)) = split_output(out) else {
        return;
    };
    let Ok(read) = std::fs::read_dir(&parent) else {
        return;
    };
    let staging = format!(".{name}{STAGING_MARK}");
    let retired = format!(".{name}{RETIRED_MARK}");
    let mut leftovers: Vec<(bool, std::time::SystemTime, PathBuf)> = read
        .flatten()
        .filter_map(|entry| {
            let file = entry.file_name().to_string_lossy().into_owned();
            let is_retired = file.starts_with(&retired);
            (is_retired || file.starts_with(&staging)).then(|| {
                let modified = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .unwrap_or(std::time::UNIX_EPOCH);
                (is_retired, modified, entry.path())
            })
        })
        .collect();
    // The newest retired folder is the last complete output.
    leftovers.sort();
    if std::fs::symlink_metadata(out).is_err()
        && let Some(i) = leftovers.iter().rposition(|(is_retired, _, _)| *is_retired)
        && std::fs::rename(&leftovers[i].2, out).is_ok()
    {
        leftovers.remove(i);
    }
    for (_, _, path) in leftovers {
        let _ = std::fs::remove_dir_all(path);
    }
}
