//! `lectern new` and `lectern init`: writing new content files and new sites.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::content::{Kind, PLACEHOLDERS};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::text::slugify;

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/starter");

/// Writes a new content file of `kind` titled `title` under `root`; returns its path.
pub fn new_item(root: &Path, kind: Kind, title: &str) -> Result<PathBuf, Diagnostic> {
    let title = title.trim();
    if title.is_empty() {
        return Err(
            Diagnostic::general("the title is empty").with_hint("lectern new essay \"On trust\"")
        );
    }
    let slug = slugify(title);
    let folder = root.join("content").join(kind.folder());
    let quoted = yaml_string(title);
    let (file, text) = match kind {
        Kind::Essay => (
            format!("{slug}.md"),
            format!(
                "---\ntitle: {quoted}\ndate: {}\nsummary: \"\"\n---\n\n{} Link to a glossary term, essay or question with `[[its-slug]]`.\n",
                today(),
                PLACEHOLDERS[0]
            ),
        ),
        Kind::Term => (
            format!("{slug}.md"),
            format!(
                "---\nterm: {quoted}\nsummary: \"{}\"\naliases: []\nrelated: []\n---\n\n{}\n",
                PLACEHOLDERS[1], PLACEHOLDERS[2]
            ),
        ),
        Kind::Question => (
            format!("{slug}.md"),
            format!(
                "---\ntitle: {quoted}\nkind: opening\nessays: []\nterms: []\n---\n\n{}\n",
                PLACEHOLDERS[3]
            ),
        ),
        Kind::Session => {
            let number = next_session_number(&folder);
            (
                format!("{slug}.md"),
                format!(
                    "---\ntitle: {quoted}\nnumber: {number}\nessays: []\nquestions: []\n---\n\n{}\n",
                    PLACEHOLDERS[4]
                ),
            )
        }
        Kind::Page => (
            format!("{slug}.md"),
            format!("---\ntitle: {quoted}\n---\n\n"),
        ),
    };
    let path = folder.join(&file);
    let shown = Path::new("content").join(kind.folder()).join(&file);
    if path.exists() {
        return Err(Diagnostic::error(&shown, 1, 1, "this file already exists")
            .with_hint("choose another title, or edit the existing file"));
    }
    std::fs::create_dir_all(&folder)
        .and_then(|()| std::fs::write(&path, text))
        .map_err(|e| Diagnostic::error(&shown, 1, 1, format!("cannot write: {e}")))?;
    Ok(shown)
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn next_session_number(folder: &Path) -> u32 {
    let mut max = 0;
    for entry in walkdir::WalkDir::new(folder).into_iter().flatten() {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            for line in text.lines().take(40) {
                if let Some(n) = line
                    .strip_prefix("number:")
                    .and_then(|v| v.trim().parse::<u32>().ok())
                {
                    max = max.max(n);
                }
            }
        }
    }
    max + 1
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Where the Pages workflow's template lies among the starter's files.
const WORKFLOW_TEMPLATE: &str = "github/workflows/pages.yml";

/// The GitHub Pages workflow, for the lectern that writes it: it installs this version from
/// this repository's releases.
pub fn pages_workflow() -> String {
    let template = STARTER
        .get_file(WORKFLOW_TEMPLATE)
        .and_then(|f| f.contents_utf8())
        .unwrap_or_default();
    template
        .replace("@LECTERN_VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@LECTERN_REPOSITORY@", env!("CARGO_PKG_REPOSITORY"))
}

/// `lectern theme eject`: copies built-in theme files into the site's `themes/<theme>/`, where
/// they override the built-in ones. `names` are paths in the theme (`templates/essay.html`,
/// `static/style.css`) or a file name that only one theme file has (`essay.html`); none means
/// every file. Files the site already has are left as they are. Returns the files written.
pub fn eject(root: &Path, theme: &str, names: &[String]) -> Result<Vec<PathBuf>, Diagnostics> {
    let builtin = crate::render::theme::default_theme_files();
    let mut chosen: Vec<&(PathBuf, &[u8])> = Vec::new();
    let mut diags = Diagnostics::new();
    if names.is_empty() {
        chosen.extend(builtin.iter());
    }
    for name in names {
        match theme_file(&builtin, name) {
            Ok(file) => chosen.push(file),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let folder = Path::new("themes").join(theme);
    let mut written = Vec::new();
    for (path, bytes) in chosen {
        let shown = folder.join(path);
        let target = root.join(&shown);
        if target.exists() {
            continue;
        }
        target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, bytes))
            .map_err(|e| Diagnostic::error(&shown, 1, 1, format!("cannot write: {e}")))?;
        written.push(shown);
    }
    Ok(written)
}

/// The built-in theme file `name` names: its path in the theme, or a file name only one has.
fn theme_file<'a>(
    builtin: &'a [(PathBuf, &'static [u8])],
    name: &str,
) -> Result<&'a (PathBuf, &'static [u8]), Diagnostic> {
    let wanted = name.trim().trim_start_matches("./").replace('\\', "/");
    let exact = builtin
        .iter()
        .find(|(p, _)| crate::paths::output_key(p) == wanted);
    let by_name: Vec<_> = builtin
        .iter()
        .filter(|(p, _)| p.file_name().is_some_and(|n| n.to_string_lossy() == wanted))
        .collect();
    if let Some(file) = exact.or(match by_name.as_slice() {
        [one] => Some(*one),
        _ => None,
    }) {
        return Ok(file);
    }
    let keys: Vec<String> = builtin
        .iter()
        .map(|(p, _)| crate::paths::output_key(p))
        .collect();
    let file_names = builtin
        .iter()
        .filter_map(|(p, _)| p.file_name().and_then(|n| n.to_str()));
    let candidates = keys.iter().map(String::as_str).chain(file_names);
    let hint = match crate::diagnostics::did_you_mean(&wanted, candidates) {
        Some(s) => format!("did you mean `{s}`?"),
        None if by_name.len() > 1 => format!(
            "several theme files are called that: {}",
            by_name
                .iter()
                .map(|(p, _)| crate::paths::output_key(p))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!("the theme's files: {}", keys.join(", ")),
    };
    Err(Diagnostic::general(format!("the built-in theme has no file `{wanted}`")).with_hint(hint))
}

/// How one file of the site's theme folder stands against the built-in theme of this version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeChange {
    /// Overrides a built-in file and differs from it.
    Changed(PathBuf),
    /// Overrides a built-in file with the same bytes: it can go.
    Same(PathBuf),
    /// A file the built-in theme does not have.
    Added(PathBuf),
}

/// `lectern theme diff`: every file of the site's `themes/<theme>/`, against the built-in one.
pub fn theme_diff(root: &Path, theme: &str) -> Result<Vec<ThemeChange>, Diagnostics> {
    let builtin = crate::render::theme::default_theme_files();
    let folder = Path::new("themes").join(theme);
    let mut out = Vec::new();
    let mut diags = Diagnostics::new();
    if !root.join(&folder).is_dir() {
        return Ok(out);
    }
    for found in crate::paths::walk(root, &folder, true) {
        let path = match found {
            Ok(path) => path,
            Err(problem) => {
                diags.push(problem.into());
                continue;
            }
        };
        let rel = path.strip_prefix(&folder).unwrap_or(&path).to_path_buf();
        let own = std::fs::read(root.join(&path))
            .map_err(|e| Diagnostic::error(&path, 1, 1, format!("cannot read: {e}")));
        let own = match own {
            Ok(bytes) => bytes,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        out.push(match builtin.iter().find(|(p, _)| *p == rel) {
            Some((_, bytes)) if *bytes == own.as_slice() => ThemeChange::Same(path),
            Some(_) => ThemeChange::Changed(path),
            None => ThemeChange::Added(path),
        });
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}

/// Writes a starter site into `dir`, which must be missing or empty. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = dir.to_path_buf();
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut r| r.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diagnostic::error(
                &shown,
                1,
                1,
                format!("{} exists and is not empty", shown.display()),
            )
            .with_hint("give a new folder name, e.g. `lectern init my-course`"));
        }
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    collect(&STARTER, &mut files);
    files.sort();
    let mut written = Vec::new();
    for (rel, mut bytes) in files {
        if rel == Path::new(WORKFLOW_TEMPLATE) {
            bytes = pages_workflow().into_bytes();
        }
        // The workflow and .gitignore are stored without their leading dot so that they are not
        // mistaken for this repository's own.
        let rel = match rel.strip_prefix("github") {
            Ok(rest) => Path::new(".github").join(rest),
            Err(_) if rel == Path::new("gitignore") => PathBuf::from(".gitignore"),
            Err(_) => rel,
        };
        let path = dir.join(&rel);
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &bytes));
        result.map_err(|e| Diagnostic::error(&path, 1, 1, format!("cannot write: {e}")))?;
        written.push(rel);
    }
    Ok(written)
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for f in dir.files() {
        out.push((f.path().to_path_buf(), f.contents().to_vec()));
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
    }
}
