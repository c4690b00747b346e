//! The table of link targets: every slug, qualified name, alias and content path of a corpus,
//! and the checks that need the whole table (front-matter references, alias clashes).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::content::{Item, Kind, Meta, Unloaded, front_matter};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

/// How a reference text resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(usize),
    Missing {
        suggestion: Option<String>,
    },
    /// Several items share the name: the qualified forms to choose from.
    Ambiguous(Vec<String>),
    /// A file that failed to load has the name: its own error says what is wrong.
    Unloaded,
}

#[derive(Debug, Default)]
pub struct Index {
    qualified: HashMap<(Kind, String), usize>,
    unqualified: HashMap<String, Vec<usize>>,
    by_path: HashMap<PathBuf, usize>,
    /// Every name a reference may use, for "did you mean".
    names: Vec<String>,
    /// The names of files that failed to load, plain (`slug`, a term's name or alias) and
    /// qualified (`kind/slug`, `session/3`), lowercased.
    unloaded: HashSet<String>,
    unloaded_paths: HashSet<PathBuf>,
}

impl Index {
    pub fn new(items: &[Item], unloaded: &[Unloaded]) -> Index {
        let mut index = Index::default();
        for u in unloaded {
            index.unloaded_paths.insert(u.path.clone());
            let kind = u.kind.name();
            let mut add = |name: &str, plain: bool| {
                let name = name.to_lowercase();
                index.unloaded.insert(format!("{kind}/{name}"));
                if plain {
                    index.unloaded.insert(name);
                }
            };
            add(&u.slug, u.kind != Kind::Session);
            if let Some(number) = &u.number {
                add(number, false);
            }
            for name in &u.names {
                add(name, true);
            }
        }
        for (i, item) in items.iter().enumerate() {
            index.by_path.insert(item.path.clone(), i);
            if item.is_home() {
                continue;
            }
            index.qualified.insert((item.kind, item.key()), i);
            if item.kind == Kind::Session {
                index
                    .qualified
                    .entry((Kind::Session, item.slug.clone()))
                    .or_insert(i);
            }
            // A session is named by its number: its file name is free, and no link name.
            if item.kind != Kind::Session {
                index.add_unqualified(&item.slug, i);
                index.names.push(item.slug.clone());
            }
            index
                .names
                .push(format!("{}/{}", item.kind.name(), item.key()));
            if let Meta::Term { aliases, .. } = &item.meta {
                for alias in aliases {
                    index.add_unqualified(&alias.to_lowercase(), i);
                    index.names.push(alias.to_lowercase());
                }
                let name = item.title.to_lowercase();
                if name != item.slug {
                    index.add_unqualified(&name, i);
                }
            }
        }
        index.names.sort();
        index.names.dedup();
        index
    }

    fn add_unqualified(&mut self, key: &str, i: usize) {
        let entry = self.unqualified.entry(key.to_string()).or_default();
        if !entry.contains(&i) {
            entry.push(i);
        }
    }

    /// Resolves the target part of a wikilink: `slug`, `kind/slug`, an alias, or `session/3`.
    pub fn lookup(&self, items: &[Item], reference: &str) -> Lookup {
        let reference = reference.trim();
        if let Some((kind, name)) = reference.split_once('/')
            && let Some(kind) = Kind::from_name(kind.trim())
        {
            let name = name.trim();
            let found = self
                .qualified
                .get(&(kind, name.to_string()))
                .or_else(|| self.qualified.get(&(kind, name.to_lowercase())));
            if let Some(&i) = found {
                return Lookup::Found(i);
            }
            if self.is_unloaded(kind, name) {
                return Lookup::Unloaded;
            }
            if kind == Kind::Term
                && let Some(v) = self.unqualified.get(&name.to_lowercase())
                && let Some(&i) = v.iter().find(|&&i| items[i].kind == Kind::Term)
            {
                return Lookup::Found(i);
            }
            let candidates = self
                .qualified
                .keys()
                .filter(|(k, _)| *k == kind)
                .map(|(k, s)| format!("{}/{s}", k.name()))
                .collect::<Vec<_>>();
            return Lookup::Missing {
                suggestion: did_you_mean(reference, candidates.iter().map(String::as_str)),
            };
        }
        let key = reference.to_lowercase();
        match self.unqualified.get(&key).map(Vec::as_slice) {
            Some([i]) => Lookup::Found(*i),
            Some(several) => {
                let mut qualified: Vec<String> = several
                    .iter()
                    .map(|&i| format!("{}/{}", items[i].kind.name(), items[i].key()))
                    .collect();
                qualified.sort();
                qualified.dedup();
                if qualified.len() == 1 {
                    Lookup::Found(several[0])
                } else {
                    Lookup::Ambiguous(qualified)
                }
            }
            None if self.unloaded.contains(&key) => Lookup::Unloaded,
            None => Lookup::Missing {
                suggestion: did_you_mean(reference, self.names.iter().map(String::as_str)),
            },
        }
    }

    /// Whether `kind/name` names a file that failed to load.
    pub fn is_unloaded(&self, kind: Kind, name: &str) -> bool {
        self.unloaded
            .contains(&format!("{}/{}", kind.name(), name.trim().to_lowercase()))
    }

    /// Resolves a Markdown link to a content file, relative to the file that contains it.
    pub fn lookup_path(&self, from: &Path, dest: &str) -> Option<usize> {
        self.by_path.get(&content_path(from, dest)).copied()
    }

    /// Whether a Markdown link to a content file points at one that failed to load.
    pub fn is_unloaded_path(&self, from: &Path, dest: &str) -> bool {
        self.unloaded_paths.contains(&content_path(from, dest))
    }

    /// Every content path, for hints.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.by_path.keys().map(PathBuf::as_path)
    }
}

/// The content path a Markdown link's destination names, from the file `from` that holds it.
fn content_path(from: &Path, dest: &str) -> PathBuf {
    let dest = percent_decode(dest);
    let joined = if let Some(rooted) = dest.strip_prefix('/') {
        let rooted = rooted.strip_prefix("content/").unwrap_or(rooted);
        Path::new(crate::content::CONTENT_DIR).join(rooted)
    } else {
        from.parent().unwrap_or(Path::new("")).join(&dest)
    };
    crate::content::lexical(&joined)
}

pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A front-matter reference from one item to another, checked and resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MatterRef {
    pub from: usize,
    pub to: usize,
    pub field: Field,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Essays,
    Terms,
    Related,
    Questions,
    Session,
}

impl Field {
    pub fn key(self) -> &'static str {
        match self {
            Field::Essays => "essays",
            Field::Terms => "terms",
            Field::Related => "related",
            Field::Questions => "questions",
            Field::Session => "session",
        }
    }
}

/// Checks every slug named in front matter and returns the references that resolved.
pub fn check_matter_refs(items: &[Item], index: &Index, diags: &mut Diagnostics) -> Vec<MatterRef> {
    let mut refs = Vec::new();
    for (from, item) in items.iter().enumerate() {
        let mut lists: Vec<(Field, Kind, &[String])> = Vec::new();
        let session_owned;
        match &item.meta {
            Meta::Term { related, .. } => lists.push((Field::Related, Kind::Term, related)),
            Meta::Question {
                essays,
                terms,
                related,
                session,
                ..
            } => {
                lists.push((Field::Essays, Kind::Essay, essays));
                lists.push((Field::Terms, Kind::Term, terms));
                lists.push((Field::Related, Kind::Question, related));
                session_owned = session.map(|n| vec![n.to_string()]).unwrap_or_default();
                lists.push((Field::Session, Kind::Session, &session_owned));
            }
            Meta::Essay { session, .. } => {
                session_owned = session.map(|n| vec![n.to_string()]).unwrap_or_default();
                lists.push((Field::Session, Kind::Session, &session_owned));
            }
            Meta::Session {
                essays, questions, ..
            } => {
                lists.push((Field::Essays, Kind::Essay, essays));
                lists.push((Field::Questions, Kind::Question, questions));
            }
            Meta::Page { .. } => {}
        }
        for (field, kind, slugs) in lists {
            for slug in slugs {
                match index.qualified.get(&(kind, slug.clone())) {
                    Some(&to) if field != Field::Session || items[to].kind == Kind::Session => {
                        if to == from {
                            let (line, col) = front_matter::locate(&item.source, field.key(), slug);
                            diags.push(
                                Diagnostic::error(
                                    &item.path,
                                    line,
                                    col,
                                    format!("`{}` lists the item itself", field.key()),
                                )
                                .with_source(&item.source.text),
                            );
                        } else {
                            refs.push(MatterRef { from, to, field });
                        }
                    }
                    _ if index.is_unloaded(kind, slug) => {}
                    _ => diags.push(missing_ref(items, index, item, field, kind, slug)),
                }
            }
        }
    }
    refs
}

fn missing_ref(
    items: &[Item],
    index: &Index,
    item: &Item,
    field: Field,
    kind: Kind,
    slug: &str,
) -> Diagnostic {
    let (line, col) = front_matter::locate(&item.source, field.key(), slug);
    let candidates: Vec<&str> = items
        .iter()
        .filter(|i| i.kind == kind)
        .map(|i| {
            if kind == Kind::Session {
                ""
            } else {
                i.slug.as_str()
            }
        })
        .filter(|s| !s.is_empty())
        .collect();
    let message = if field == Field::Session {
        format!("there is no session {slug}")
    } else {
        format!(
            "`{}` names {} `{slug}`, which does not exist",
            field.key(),
            article_noun(kind)
        )
    };
    // A term's name or alias is a sure answer; a near miss only a guess.
    let mut hint = match index.lookup(items, slug) {
        Lookup::Found(other) if items[other].kind == kind && field != Field::Session => Some(
            format!("front matter lists slugs: write `{}`", items[other].slug),
        ),
        _ => did_you_mean(slug, candidates.iter().copied()).map(|s| format!("did you mean `{s}`?")),
    };
    if hint.is_none() {
        if field == Field::Session {
            let numbers: Vec<String> = items
                .iter()
                .filter_map(|i| match i.meta {
                    Meta::Session { number, .. } => Some(number.to_string()),
                    _ => None,
                })
                .collect();
            hint = Some(if numbers.is_empty() {
                "create the session with `lectern new session \"Title\"`".to_string()
            } else {
                format!("sessions are: {}", numbers.join(", "))
            });
        } else if let Lookup::Found(other) = index.lookup(items, slug) {
            let o = &items[other];
            hint = Some(format!(
                "`{slug}` is {}, not {}",
                article_noun(o.kind),
                article_noun(kind)
            ));
        } else {
            hint = Some(format!(
                "{} slugs are file names in content/{}/",
                kind.name(),
                kind.folder()
            ));
        }
    }
    let mut d = Diagnostic::error(&item.path, line, col, message).with_source(&item.source.text);
    if let Some(h) = hint {
        d = d.with_hint(h);
    }
    d
}

fn article_noun(kind: Kind) -> String {
    let n = kind.name();
    if n.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {n}")
    } else {
        format!("a {n}")
    }
}

/// Aliases must be unique across terms (case-insensitively) and differ from every slug.
pub fn check_aliases(items: &[Item], diags: &mut Diagnostics) {
    let slugs: BTreeMap<String, usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.is_home())
        .map(|(n, i)| (i.slug.clone(), n))
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    // Items are in path order, so the later file is the one reported.
    for (n, item) in items.iter().enumerate() {
        let Meta::Term { aliases, .. } = &item.meta else {
            continue;
        };
        for alias in aliases {
            let key = alias.trim().to_lowercase();
            let (line, col) = front_matter::locate(&item.source, "aliases", alias);
            let clash = if key.is_empty() {
                Some((
                    "an alias is empty".to_string(),
                    "remove the empty entry".to_string(),
                ))
            } else if let Some(&other) = slugs.get(&key) {
                let o = &items[other];
                Some((
                    format!(
                        "alias `{alias}` is the slug of {} {}",
                        o.kind.name(),
                        o.path.display()
                    ),
                    "an alias must differ from every slug; remove it or rename the file"
                        .to_string(),
                ))
            } else if let Some(&other) = seen.get(&key) {
                let o = &items[other];
                let message = if other == n {
                    format!("alias `{alias}` is listed twice")
                } else {
                    format!(
                        "alias `{alias}` is already an alias of `{}` ({})",
                        o.slug,
                        o.path.display()
                    )
                };
                Some((
                    message,
                    "aliases must be unique across all terms (case does not count)".to_string(),
                ))
            } else {
                None
            };
            match clash {
                Some((message, hint)) => diags.push(
                    Diagnostic::error(&item.path, line, col, message)
                        .with_source(&item.source.text)
                        .with_hint(hint),
                ),
                None => {
                    seen.insert(key, n);
                }
            }
        }
    }
}
