//! Atomic output: a new build is written beside the output folder and swapped in at the end, so
//! a failed or interrupted build never leaves a half-written site and the previous output stays
//! as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// The list of what a build wrote, inside the output: an output folder is lectern's to replace
/// only if it holds nothing else.
pub const MANIFEST: &str = ".lectern-manifest";
const MANIFEST_HEADER: &str = "# The files lectern wrote here; a build replaces exactly these.\n";

/// The files the manifest in `out` lists, or None when there is no manifest.
pub fn manifest(out: &Path) -> Option<std::collections::HashSet<String>> {
    let text = std::fs::read_to_string(out.join(MANIFEST)).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_string)
            .chain(std::iter::once(MANIFEST.to_string()))
            .collect(),
    )
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
        let mut listed: Vec<&String> = Vec::new();
        let written = std::mem::take(&mut *lock(&self.written));
        listed.extend(written.iter());
        listed.sort();
        let manifest: String = std::iter::once(MANIFEST_HEADER.to_string())
            .chain(listed.iter().map(|p| format!("{p}\n")))
            .collect();
        std::fs::write(self.dir.join(MANIFEST), manifest)?;
        let written: std::collections::HashSet<String> = written
            .into_iter()
            .chain(std::iter::once(MANIFEST.to_string()))
            .collect();
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

impl super::pipeline::Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        Staging::put(self, path, bytes).map_err(|e| {
            std::io::Error::new(e.kind(), format!("{}: {e}", self.dir.join(path).display()))
        })
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
    Ok(survey_folder(dir, dir)?.into_iter().collect())
}

/// What `survey` finds in `folder`, a folder of `dir`, and in the folders inside it. A large
/// site's output holds a folder for each page, so the folders are read in parallel: reading
/// them one after another took seconds at 100,000 pages.
fn survey_folder(dir: &Path, folder: &Path) -> std::io::Result<Vec<(String, bool)>> {
    let entries = std::fs::read_dir(folder)?.collect::<std::io::Result<Vec<_>>>()?;
    entries
        .par_iter()
        .try_fold(Vec::new, |mut found, entry| {
            let path = entry.path();
            // The entry itself, not what a link points to.
            let kind = entry.file_type()?;
            let rel = (path.strip_prefix(dir).ok())
                .and_then(Path::to_str)
                .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"));
            match rel {
                Some(rel) if kind.is_dir() => {
                    found.extend(survey_folder(dir, &path)?);
                    found.push((rel, true));
                }
                Some(rel) if kind.is_file() => found.push((rel, false)),
                _ if kind.is_dir() => std::fs::remove_dir_all(&path)?,
                _ => std::fs::remove_file(&path)?,
            }
            Ok(found)
        })
        .try_reduce(Vec::new, |mut a, b| {
            a.extend(b);
            Ok(a)
        })
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
