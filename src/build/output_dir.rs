//! Which output folders a build may replace: never the site itself, its sources, a home folder
//! or someone else's files.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::paths::{display_path, lexical};

/// Refuses an output folder whose replacement would delete something other than a previous
/// build. Points at `output_dir` in site.toml when the folder came from there; a folder given
/// by `--output` belongs to no file.
pub fn check_output_dir(config: &Config, out: &Path, clean: bool) -> Result<(), Diagnostic> {
    let Some((message, hint)) = output_dir_problem(&config.root, out, clean) else {
        return Ok(());
    };
    let from_config = out == config.root.join(&config.output_dir);
    let d = if from_config {
        config.error_at_value("output_dir", message)
    } else {
        Diagnostic::general(message)
    };
    Err(d.with_hint(hint))
}

/// What is wrong with replacing `out` by a build of the site at `root`, and what to do instead.
/// With `clean`, files that no build wrote may go.
pub fn output_dir_problem(root: &Path, out: &Path, clean: bool) -> Option<(String, String)> {
    let shown = format!("the output folder `{}`", display_path(out));
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
    if clean {
        return None;
    }
    foreign_folder(&target, &shown)
}

/// A file where a folder should be, or a folder holding files that no build wrote: the build's
/// manifest lists what it wrote, and anything else is someone's own.
fn foreign_folder(target: &Path, shown: &str) -> Option<(String, String)> {
    let meta = std::fs::metadata(target).ok()?;
    if !meta.is_dir() {
        return Some((
            format!("{shown} is a file, not a folder"),
            "choose a folder's name; a build makes the folder".to_string(),
        ));
    }
    let listed = super::staging::manifest(target).unwrap_or_default();
    let mut foreign: Vec<String> = walkdir::WalkDir::new(target)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(target).ok()?;
            let key = crate::paths::output_key(rel);
            (!listed.contains(&key)).then_some(key)
        })
        .collect();
    if foreign.is_empty() {
        return None;
    }
    let count = foreign.len();
    foreign.truncate(5);
    let more = if count > 5 {
        format!(" and {} more", count - 5)
    } else {
        String::new()
    };
    Some((
        format!(
            "{shown} holds files that lectern did not write: {}{more}",
            foreign.join(", ")
        ),
        "a build replaces its output folder whole: move those files to static/ (copied into every build), or build with --clean to discard them".to_string(),
    ))
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
                break lexical(&absolute);
            }
        }
    };
    for part in rest.iter().rev() {
        resolved.push(part);
    }
    lexical(&resolved)
}
