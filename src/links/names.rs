//! The names links use: every slug, qualified name, alias and content path of a corpus, and the
//! names of files that failed to load (so that references to them are not reported again).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::glossary::Glossary;
use crate::content::{Item, Kind, Meta, Unloaded};
use crate::diagnostics::did_you_mean;
use crate::markdown::{Lookup, Targets};
use crate::site::EntryId;
use crate::text::percent_decode;

#[derive(Debug, Default)]
pub struct Names {
    qualified: HashMap<(Kind, String), usize>,
    unqualified: HashMap<String, Vec<usize>>,
    by_path: HashMap<PathBuf, usize>,
    /// Every name a reference may use, for "did you mean".
    names: Vec<String>,
    /// Every content file's name, for "did you mean" on a path.
    file_names: Vec<String>,
    /// The names of files that failed to load, plain (`slug`, a term's name or alias) and
    /// qualified (`kind/slug`, `session/3`), lowercased.
    unloaded: HashSet<String>,
    unloaded_paths: HashSet<PathBuf>,
}

impl Names {
    pub fn new(items: &[Arc<Item>], unloaded: &[Unloaded]) -> Names {
        let mut names = Names::default();
        for u in unloaded {
            names.add_unloaded(u);
        }
        for (i, item) in items.iter().enumerate() {
            names.add(i, item);
        }
        names.names.sort();
        names.names.dedup();
        names.file_names = names
            .by_path
            .keys()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        names
    }

    fn add_unloaded(&mut self, u: &Unloaded) {
        self.unloaded_paths.insert(u.path.clone());
        let kind = u.kind.name();
        let mut add = |name: &str, plain: bool| {
            let name = name.to_lowercase();
            self.unloaded.insert(format!("{kind}/{name}"));
            if plain {
                self.unloaded.insert(name);
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

    fn add(&mut self, i: usize, item: &Item) {
        self.by_path.insert(item.path.clone(), i);
        if item.is_home() {
            return;
        }
        self.qualified.insert((item.kind, item.key()), i);
        if item.kind == Kind::Session {
            self.qualified
                .entry((Kind::Session, item.slug.clone()))
                .or_insert(i);
        }
        // A session is named by its number: its file name is free, and no link name.
        if item.kind != Kind::Session {
            self.add_unqualified(&item.slug, i);
            self.names.push(item.slug.clone());
        }
        self.names
            .push(format!("{}/{}", item.kind.name(), item.key()));
        if let Meta::Term { aliases, .. } = &item.meta {
            for alias in aliases {
                self.add_unqualified(&alias.to_lowercase(), i);
                self.names.push(alias.to_lowercase());
            }
            let name = item.title.to_lowercase();
            if name != item.slug {
                self.add_unqualified(&name, i);
            }
        }
    }

    fn add_unqualified(&mut self, key: &str, i: usize) {
        let entry = self.unqualified.entry(key.to_string()).or_default();
        if !entry.contains(&i) {
            entry.push(i);
        }
    }

    /// The item a qualified name (`kind`, slug or session number) names.
    pub fn qualified(&self, kind: Kind, key: &str) -> Option<usize> {
        self.qualified.get(&(kind, key.to_string())).copied()
    }

    /// Resolves the target part of a wikilink: `slug`, `kind/slug`, an alias, or `session/3`.
    pub fn lookup(&self, items: &[Arc<Item>], reference: &str) -> Lookup {
        let reference = reference.trim();
        if let Some((kind, name)) = reference.split_once('/')
            && let Some(kind) = Kind::from_name(kind.trim())
        {
            return self.lookup_qualified(items, reference, kind, name.trim());
        }
        let key = reference.to_lowercase();
        match self.unqualified.get(&key).map(Vec::as_slice) {
            Some([i]) => Lookup::Found(EntryId(*i)),
            Some(several) => {
                let mut qualified: Vec<String> = several
                    .iter()
                    .map(|&i| format!("{}/{}", items[i].kind.name(), items[i].key()))
                    .collect();
                qualified.sort();
                qualified.dedup();
                if qualified.len() == 1 {
                    Lookup::Found(EntryId(several[0]))
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

    /// `kind/name`: the slug (or number) as written or lowercased; for a term, also its name
    /// or an alias.
    fn lookup_qualified(
        &self,
        items: &[Arc<Item>],
        reference: &str,
        kind: Kind,
        name: &str,
    ) -> Lookup {
        let found = self
            .qualified
            .get(&(kind, name.to_string()))
            .or_else(|| self.qualified.get(&(kind, name.to_lowercase())));
        if let Some(&i) = found {
            return Lookup::Found(EntryId(i));
        }
        if self.is_unloaded(kind, name) {
            return Lookup::Unloaded;
        }
        if kind == Kind::Term
            && let Some(v) = self.unqualified.get(&name.to_lowercase())
            && let Some(&i) = v.iter().find(|&&i| items[i].kind == Kind::Term)
        {
            return Lookup::Found(EntryId(i));
        }
        let candidates = self
            .qualified
            .keys()
            .filter(|(k, _)| *k == kind)
            .map(|(k, s)| format!("{}/{s}", k.name()))
            .collect::<Vec<_>>();
        Lookup::Missing {
            suggestion: did_you_mean(reference, candidates.iter().map(String::as_str)),
        }
    }

    /// Whether `kind/name` names a file that failed to load.
    pub fn is_unloaded(&self, kind: Kind, name: &str) -> bool {
        self.unloaded
            .contains(&format!("{}/{}", kind.name(), name.trim().to_lowercase()))
    }

    /// Resolves a Markdown link to a content file, relative to the file that contains it.
    pub fn lookup_path(&self, from: &Path, dest: &str) -> Lookup {
        let path = content_path(from, dest);
        if let Some(&i) = self.by_path.get(&path) {
            return Lookup::Found(EntryId(i));
        }
        if self.unloaded_paths.contains(&path) {
            return Lookup::Unloaded;
        }
        let name = Path::new(dest)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        Lookup::Missing {
            suggestion: name
                .and_then(|n| did_you_mean(&n, self.file_names.iter().map(String::as_str))),
        }
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
    crate::paths::lexical(&joined)
}

/// What conversion may ask of the site: names for links, the glossary for mentions and the
/// bibliography's keys for citations.
pub struct SiteTargets<'a> {
    pub items: &'a [Arc<Item>],
    pub names: &'a Names,
    pub keys: &'a super::Keys,
    pub glossary: &'a Glossary,
}

impl Targets for SiteTargets<'_> {
    fn lookup(&self, reference: &str) -> Lookup {
        self.names.lookup(self.items, reference)
    }

    fn lookup_path(&self, from: &Path, dest: &str) -> Lookup {
        self.names.lookup_path(from, dest)
    }

    fn mentions(&self, text: &str) -> Vec<(Range<usize>, EntryId)> {
        self.glossary.find(text)
    }

    fn cite(&self, key: &str) -> crate::markdown::CiteLookup {
        self.keys.lookup(key)
    }
}
