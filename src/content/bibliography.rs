//! The site's bibliography: content/references.bib (BibTeX or BibLaTeX) or
//! content/references.yaml (hayagriva's YAML), read by hayagriva into its `Library`, with where
//! each entry's key is written so that messages about an entry can point at it.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hayagriva::Library;

use super::yaml_limits::{self, Limit};
use crate::diagnostics::{Diagnostic, Diagnostics, Warned, line_col};

/// Where a site's bibliography may be, relative to its root: one of them, not both.
pub const BIBLIOGRAPHY_FILES: [&str; 2] = ["content/references.bib", "content/references.yaml"];

/// A bibliography as read.
#[derive(Debug, Clone)]
pub struct Bibliography {
    /// Relative to the site root: `content/references.bib`.
    pub path: PathBuf,
    pub text: Arc<str>,
    pub library: Library,
    /// The line and column of each entry's key, by the entry's place in `library`.
    pub at: Vec<(usize, usize)>,
}

impl Bibliography {
    /// The keys of the entries, in the file's order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.library.keys()
    }

    /// A fingerprint of the file: equal fingerprints, equal bibliographies.
    pub fn fingerprint(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (&self.path, &*self.text).hash(&mut h);
        h.finish()
    }

    /// A problem with the entry at `index`, pointing at its key.
    pub fn warning_at(&self, index: usize, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.at.get(index).copied().unwrap_or((1, 1));
        Diagnostic::warning(&self.path, line, col, message).with_source(&*self.text)
    }

    /// Parses a bibliography's text; the format comes from `path`'s extension (`.bib`, or YAML).
    pub fn parse(path: &Path, text: &str) -> Result<Bibliography, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = if text.contains('\r') {
            text.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            text.to_string()
        };
        let is_bib = path.extension().is_some_and(|e| e == "bib");
        let library = if is_bib {
            read_bib(path, &text)?
        } else {
            read_yaml(path, &text)?
        };
        let starts = if is_bib {
            bib_keys(&text)
        } else {
            yaml_keys(&text)
        };
        let at = library
            .keys()
            .map(|key| {
                starts
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or((1, 1), |&(_, offset)| line_col(&text, offset))
            })
            .collect();
        Ok(Bibliography {
            path: path.to_path_buf(),
            text: text.into(),
            library,
            at,
        })
    }
}

/// Reads the site's bibliography, if it has one. Problems come as errors beside no bibliography.
pub fn load(root: &Path) -> Warned<Option<Arc<Bibliography>>> {
    let present: Vec<&str> = BIBLIOGRAPHY_FILES
        .into_iter()
        .filter(|p| root.join(p).is_file())
        .collect();
    let mut diags = Diagnostics::new();
    let Some(&first) = present.first() else {
        return Warned::clean(None);
    };
    if let Some(&second) = present.get(1) {
        diags.push(
            Diagnostic::error(
                second,
                1,
                1,
                format!("the site has two bibliographies, {first} and {second}"),
            )
            .with_hint("keep one of them: lectern reads its entries from one file"),
        );
        return Warned::new(None, diags);
    }
    let text = match std::fs::read(root.join(first)).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(e)) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, col) = line_col(&prefix, prefix.len());
            diags.push(
                Diagnostic::error(first, line, col, "file is not valid UTF-8")
                    .with_hint("save the file as UTF-8"),
            );
            return Warned::new(None, diags);
        }
        Err(e) => {
            diags.push(Diagnostic::error(first, 1, 1, format!("cannot read: {e}")));
            return Warned::new(None, diags);
        }
    };
    match Bibliography::parse(Path::new(first), &text) {
        Ok(bibliography) => Warned::clean(Some(Arc::new(bibliography))),
        Err(problems) => Warned::new(None, problems.into_iter().collect()),
    }
}

fn read_bib(path: &Path, text: &str) -> Result<Library, Vec<Diagnostic>> {
    hayagriva::io::from_biblatex_str(text).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                let (span, message) = match e {
                    hayagriva::io::BibLaTeXError::Parse(e) => (e.span, e.kind.to_string()),
                    hayagriva::io::BibLaTeXError::Type(e) => (e.span, e.kind.to_string()),
                };
                let (line, col) = line_col(text, span.start);
                Diagnostic::error(path, line, col, format!("in the bibliography: {message}"))
                    .with_source(text)
                    .with_hint(bib_hint(&message))
            })
            .collect()
    })
}

/// What to do about a BibTeX problem.
fn bib_hint(message: &str) -> &'static str {
    if message.contains("duplicate") {
        "each entry needs a key of its own"
    } else if message.starts_with("expected") {
        "is the entry above closed with `}`, and are its fields separated by commas?"
    } else {
        "entries are written `@book{key, author = {…}, title = {…}, year = {2021}}`"
    }
}

fn read_yaml(path: &Path, text: &str) -> Result<Library, Vec<Diagnostic>> {
    if let Err(limit) = yaml_limits::check(text) {
        let (offset, message) = match limit {
            Limit::TooDeep(at) => (at, "in the bibliography: values are nested too deeply"),
            Limit::AliasesTooLarge(at) => (
                at,
                "in the bibliography: aliases (`*name`) stand for more text than a bibliography needs",
            ),
        };
        let (line, col) = line_col(text, offset);
        return Err(vec![
            Diagnostic::error(path, line, col, message).with_source(text),
        ]);
    }
    hayagriva::io::from_yaml_str(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map_or((1, 1), |at| (at.line(), at.column()));
        // The message without serde's own "at line … column …".
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        vec![
            Diagnostic::error(path, line, col, format!("in the bibliography: {message}"))
                .with_source(text)
                .with_hint(
                "entries are written `key:` then, indented, `type: book`, `title: …`, `author: …`, `date: 2021`",
            ),
        ]
    })
}

/// Where each entry's key is written in a `.bib` file: `@type{key,` (or `@type(key,`), by key.
fn bib_keys(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let rest = &text[at + 1..];
        let kind_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let after_kind = rest[kind_len..].trim_start();
        let Some(inner) = after_kind.strip_prefix(['{', '(']) else {
            continue;
        };
        let inner = inner.trim_start();
        let key_len = inner.find([',', '}', ')', '\n']).unwrap_or(inner.len());
        let key = inner[..key_len].trim();
        if kind_len == 0 || key.is_empty() {
            continue;
        }
        out.push((key.to_string(), text.len() - inner.len()));
    }
    out
}

/// Where each entry's key is written in hayagriva's YAML: the unindented `key:` lines.
fn yaml_keys(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !line.starts_with([' ', '\t', '#', '-']) {
            let (key, _) = line.split_once(':').unwrap_or_default();
            let key = key.trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                out.push((key.to_string(), offset));
            }
        }
        offset += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIB: &str = "% a comment\n@book{allen2021,\n  author = {Allen, Jon G.},\n  title = {Trusting in Psychotherapy},\n  year = {2021},\n  publisher = {APA Publishing}\n}\n\n@article{baier1986,\n  author = {Baier, Annette},\n  title = {Trust and Antitrust},\n  journal = {Ethics},\n  year = {1986}\n}\n";

    #[test]
    fn reads_a_bib_file_and_finds_each_key() {
        let b = Bibliography::parse(Path::new("content/references.bib"), BIB).unwrap();
        assert_eq!(b.keys().collect::<Vec<_>>(), ["allen2021", "baier1986"]);
        assert_eq!(b.at, [(2, 7), (9, 10)]);
    }

    #[test]
    fn a_bib_syntax_error_names_its_line_and_column() {
        let text = "@book{a,\n  title = {A},\n  year = {2021}\n\n@book{b, title = {B}}\n";
        let e = Bibliography::parse(Path::new("content/references.bib"), text).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(
            e[0].message.starts_with("in the bibliography: "),
            "{}",
            e[0]
        );
        assert!(e[0].at().0 >= 3, "{}", e[0]);
    }

    #[test]
    fn reads_yaml_and_points_at_its_errors() {
        let text = "allen2021:\n  type: book\n  title: Trusting in Psychotherapy\n  author: Allen, Jon G.\n  date: 2021\n";
        let b = Bibliography::parse(Path::new("content/references.yaml"), text).unwrap();
        assert_eq!(b.keys().collect::<Vec<_>>(), ["allen2021"]);
        assert_eq!(b.at, [(1, 1)]);
        let bad = "a:\n  type: book\n  title: A\n\nb:\n  title: B\n";
        let e = Bibliography::parse(Path::new("content/references.yaml"), bad).unwrap_err();
        assert_eq!(e[0].at(), (6, 3), "{}", e[0]);
    }
}
