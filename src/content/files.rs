//! Finding content files and reading each one.

use std::path::{Path, PathBuf};

use super::{CONTENT_DIR, Failed, Item, Kind, parse_item};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

/// The kind a content path (relative to the site root) holds, by its folder: pages in content/
/// itself, the other kinds in their folders and any subfolders of them. None for a path outside
/// content/ or in a folder that holds no kind.
pub fn kind_of(path: &Path) -> Option<Kind> {
    let inner = path.strip_prefix(CONTENT_DIR).ok()?;
    let mut parts = inner.components();
    let first = parts.next()?.as_os_str().to_str()?;
    if parts.next().is_none() {
        return Some(Kind::Page);
    }
    Kind::ALL
        .into_iter()
        .find(|k| *k != Kind::Page && k.folder() == first)
}

/// Lists content files with their kind; reports Markdown in the wrong place.
pub fn find_files(root: &Path, diags: &mut Diagnostics) -> Vec<(PathBuf, Kind)> {
    if !root.join(CONTENT_DIR).is_dir() {
        diags.push(
            Diagnostic::error(CONTENT_DIR, 1, 1, "the site has no content/ folder").with_hint(
                "create content/_index.md for the home page, or start from `lectern init DIR`",
            ),
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    for found in crate::paths::walk(root, Path::new(CONTENT_DIR), true) {
        let rel = match found {
            Ok(rel) => rel,
            Err(problem) => {
                diags.push(problem.into());
                continue;
            }
        };
        let is_markdown = rel
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if !is_markdown {
            continue;
        }
        match kind_of(&rel) {
            Some(kind) => files.push((rel, kind)),
            None => diags.push(stray_file(&rel)),
        }
    }
    files
}

/// The error for Markdown in a folder of content/ that holds no kind.
fn stray_file(rel: &Path) -> Diagnostic {
    let inner = rel.strip_prefix(CONTENT_DIR).unwrap_or(rel);
    let folder = inner
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let folders = ["essays", "glossary", "questions", "sessions"];
    let hint = match did_you_mean(&folder, folders) {
        Some(s) => format!(
            "did you mean content/{s}/? Markdown belongs in content/essays/, content/glossary/, content/questions/, content/sessions/ or content/ itself"
        ),
        None => "Markdown belongs in content/essays/, content/glossary/, content/questions/, content/sessions/ or content/ itself (pages)".to_string(),
    };
    Diagnostic::error(
        rel,
        1,
        1,
        format!("`content/{folder}/` is not a content folder"),
    )
    .with_hint(hint)
}

/// Reads and parses one content file; `rel` is relative to `root`.
pub fn read_item(root: &Path, rel: &Path, kind: Kind) -> Result<Item, Failed> {
    let unreadable = |d: Diagnostic| Failed::names(vec![d], rel, kind, None);
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        unreadable(Diagnostic::error(
            rel,
            1,
            1,
            format!("cannot read file: {e}"),
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, col) = crate::diagnostics::line_col(&prefix, prefix.len());
        unreadable(
            Diagnostic::error(rel, line, col, "file is not valid UTF-8")
                .with_hint("save the file as UTF-8"),
        )
    })?;
    parse_item(rel, kind, &text)
}
