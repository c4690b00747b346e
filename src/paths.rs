//! Paths in the small: lexical normalising, the check that a path stays inside the site, and
//! the one folder walk that every reader of the site's folders uses. Below diagnostics: problems
//! come back as plain values, which `diagnostics` turns into messages.

use std::path::{Component, Path, PathBuf};

/// `path` with `.` dropped and each `..` taking away the part before it, without asking the file
/// system (a `..` at the top goes nowhere).
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A relative path as a key of the output: its parts joined with `/`. A backslash is a separator
/// only where the platform says so; elsewhere it is part of a name and must stay one.
pub fn output_key(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Paths print with forward slashes on every platform, so messages and tests agree. Elsewhere
/// than on Windows a backslash is part of a file's name, and printing it as `/` would misname it.
pub fn display_path(path: &Path) -> String {
    if cfg!(windows) {
        path.to_string_lossy().replace('\\', "/")
    } else {
        path.to_string_lossy().into_owned()
    }
}

/// Why a path the site names cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// A symbolic link that leads outside the site's folder.
    OutsideSite,
    /// A symbolic link that leads nowhere.
    Dangling,
    /// The file system refused, with its reason.
    Io(String),
}

/// A path that a walk could not read, named as messages show it (relative to the site).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathProblem {
    pub path: PathBuf,
    pub why: Unreadable,
}

/// Refuses a path that symbolic links lead outside the site (`canonical_root`) or to nothing.
/// `shown` is the path as messages name it.
pub fn check_inside(canonical_root: &Path, path: &Path, shown: &Path) -> Result<(), PathProblem> {
    let why = match path.canonicalize() {
        Ok(target) if target.starts_with(canonical_root) => return Ok(()),
        Ok(_) => Unreadable::OutsideSite,
        Err(_) => Unreadable::Dangling,
    };
    Err(PathProblem {
        path: shown.to_path_buf(),
        why,
    })
}

/// The site root as the file system names it, for `check_inside`.
pub fn canonical(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// Every file under `root/dir`, by path relative to `root`, sorted by name at each level, with
/// the paths that could not be read. Symbolic links are followed only where they stay inside
/// the site; a linked folder is not descended. With `skip_hidden`, names starting with `.` are
/// left out (folders with all they hold).
pub fn walk(root: &Path, dir: &Path, skip_hidden: bool) -> Vec<Result<PathBuf, PathProblem>> {
    let canonical_root = canonical(root);
    let top = root.join(dir);
    if let Err(problem) = check_inside(&canonical_root, &top, dir) {
        return vec![Err(problem)];
    }
    let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let walker = walkdir::WalkDir::new(&top)
        .sort_by_file_name()
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            !skip_hidden || e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
        });
    let mut out = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.push(Err(PathProblem {
                    path: e.path().map_or_else(|| dir.to_path_buf(), relative),
                    why: Unreadable::Io(e.to_string()),
                }));
                continue;
            }
        };
        let rel = relative(entry.path());
        if entry.path_is_symlink()
            && let Err(problem) = check_inside(&canonical_root, entry.path(), &rel)
        {
            out.push(Err(problem));
            continue;
        }
        if entry.path().is_file() {
            out.push(Ok(rel));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_applies_dots_without_the_file_system() {
        assert_eq!(lexical(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(lexical(Path::new("../a")), PathBuf::from("a"));
    }

    #[test]
    fn output_keys_use_forward_slashes() {
        assert_eq!(output_key(Path::new("a/b/c.css")), "a/b/c.css");
    }
}
