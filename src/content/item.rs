//! One content file's text to an `Item`: its slug from the file name, its front matter read
//! into the kind's fields.

use std::path::Path;

use super::front_matter::{self, Fields};
use super::{Failed, Item, Kind, Partial, Source, Unloaded};
use crate::diagnostics::Diagnostic;
use crate::text::{is_valid_slug, slugify, smarten};

/// The folders of the generated listings and the search page: a page of the same name would
/// overwrite them.
const RESERVED_PAGE_SLUGS: [&str; 5] = ["essays", "glossary", "questions", "sessions", "search"];

/// Parses one file's text; used by `load` and by tests that never touch the disk.
pub fn parse_item(path: &Path, kind: Kind, raw: &str) -> Result<Item, Failed> {
    let source = Source::parse(path, raw).map_err(|d| Failed::names(vec![d], path, kind, None))?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let is_home = kind == Kind::Page && stem == "_index";
    if let Some(d) = bad_name(path, kind, &stem, is_home) {
        return Err(Failed::names(vec![d], path, kind, Some(&source)));
    }
    let mut problems = Vec::new();
    let Some(fields) = front_matter::fields(kind, path, &source, is_home, &mut problems) else {
        return Err(Failed::names(problems, path, kind, Some(&source)));
    };
    let Fields {
        title,
        draft,
        autolink,
        image,
        meta,
    } = fields;
    if title.trim().is_empty() {
        let key = if kind == Kind::Term { "term" } else { "title" };
        let (line, col) = front_matter::locate(&source, key, "");
        problems.push(
            Diagnostic::error(path, line, col, format!("`{key}` is empty"))
                .with_source(&source)
                .with_hint(format!(
                    "every page is listed and linked by its {key}: write one, e.g. `{key}: Trust`"
                )),
        );
        // Nothing can link to an item without a name.
        return Err(Failed::names(problems, path, kind, Some(&source)));
    }
    let item = Item {
        kind,
        slug: if is_home { String::new() } else { stem },
        path: path.to_path_buf(),
        source,
        title,
        draft,
        autolink,
        image,
        meta,
    };
    if problems.is_empty() {
        Ok(item)
    } else {
        Err(Failed {
            problems,
            partial: Partial::Item(Box::new(item)),
        })
    }
}

/// What is wrong with a file's name, if anything: a slug must be URL-safe (a session's file name
/// is free, being no link name), and a page may not take a listing's name.
fn bad_name(path: &Path, kind: Kind, stem: &str, is_home: bool) -> Option<Diagnostic> {
    if !is_home && !is_valid_slug(stem) && kind != Kind::Session {
        return Some(
            Diagnostic::error(path, 1, 1, format!("`{stem}` is not a valid slug")).with_hint(
                format!(
                    "file names become URLs: use lowercase ASCII letters, digits and `-`, e.g. `{}.md`",
                    slugify(stem)
                ),
            ),
        );
    }
    if kind == Kind::Page && RESERVED_PAGE_SLUGS.contains(&stem) {
        return Some(
            Diagnostic::error(
                path,
                1,
                1,
                format!("a page called `{stem}` would take the place of the site's /{stem}/ page"),
            )
            .with_hint(format!(
                "rename the file, e.g. `content/about-{stem}.md`; pages may not be called {}",
                RESERVED_PAGE_SLUGS.map(|s| format!("`{s}`")).join(", ")
            )),
        );
    }
    None
}

impl Failed {
    /// A file known only by the names that can be read of it.
    pub(super) fn names(
        problems: Vec<Diagnostic>,
        rel: &Path,
        kind: Kind,
        source: Option<&Source>,
    ) -> Failed {
        Failed {
            problems,
            partial: Partial::Names(Box::new(Unloaded::of(rel, kind, source))),
        }
    }
}

impl Unloaded {
    /// What can be read of the names of `rel` from its `source` (when it has front matter at
    /// all), whatever else is wrong with the file.
    fn of(rel: &Path, kind: Kind, source: Option<&Source>) -> Unloaded {
        let slug = rel
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        // Front matter past the reader's limits is not read again for its names.
        let matter: Option<serde_yaml::Value> = source
            .filter(|source| super::yaml_limits::check(source.yaml()).is_ok())
            .and_then(|source| serde_yaml::from_str(source.yaml()).ok());
        let field = |key: &str| matter.as_ref().and_then(|m| m.get(key));
        let text = |v: &serde_yaml::Value| match v {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let mut names = Vec::new();
        if kind == Kind::Term {
            // As the link table names a term: its smartened name and its aliases as written.
            names.extend(field("term").and_then(text).map(|t| smarten(&t)));
            if let Some(aliases) = field("aliases").and_then(|a| a.as_sequence()) {
                names.extend(aliases.iter().filter_map(text));
            }
        }
        Unloaded {
            path: rel.to_path_buf(),
            kind,
            slug,
            number: field("number").and_then(text),
            names: names.iter().map(|n| n.to_lowercase()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_essay() {
        let item = parse_item(
            Path::new("content/essays/a.md"),
            Kind::Essay,
            "---\ntitle: A\ndate: 2026-01-14\nsession: 2\ntags: [x]\n---\nBody\n",
        )
        .unwrap();
        assert_eq!(item.title, "A");
        assert_eq!(item.session(), Some(2));
    }

    #[test]
    fn bad_date_points_at_the_value() {
        let e = parse_item(
            Path::new("content/essays/a.md"),
            Kind::Essay,
            "---\ntitle: A\ndate: 14/01/2026\n---\n",
        )
        .unwrap_err();
        let e = &e.problems[0];
        assert_eq!(e.at(), (3, 7));
        assert_eq!(e.message, "`14/01/2026` is not a date");
    }

    #[test]
    fn a_page_may_not_take_a_listing_name() {
        let e = parse_item(
            Path::new("content/essays.md"),
            Kind::Page,
            "---\ntitle: E\n---\n",
        )
        .unwrap_err();
        assert!(e.problems[0].message.contains("would take the place"));
    }
}
