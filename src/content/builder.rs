//! A corpus made in memory, for tests, benchmarks and fuzzing: files given as text, parsed as
//! `load` would parse them from disk.

use std::path::PathBuf;

use super::{Corpus, Kind, kind_of, parse_item};
use crate::diagnostics::Warned;

/// Files by site-relative path (`content/essays/a.md`) and text.
#[derive(Debug, Clone, Default)]
pub struct CorpusBuilder {
    files: Vec<(PathBuf, String)>,
}

impl CorpusBuilder {
    pub fn new() -> CorpusBuilder {
        CorpusBuilder::default()
    }

    /// Adds a file at `path`, relative to the site root.
    pub fn file(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> CorpusBuilder {
        self.files.push((path.into(), text.into()));
        self
    }

    /// Adds `content/<kind's folder>/<slug>.md` with `front_matter` (without the `---` lines)
    /// and `body`.
    pub fn item(self, kind: Kind, slug: &str, front_matter: &str, body: &str) -> CorpusBuilder {
        let path = PathBuf::from(super::CONTENT_DIR)
            .join(kind.folder())
            .join(format!("{slug}.md"));
        self.file(path, format!("---\n{front_matter}\n---\n{body}"))
    }

    pub fn essay(self, slug: &str, title: &str, body: &str) -> CorpusBuilder {
        self.item(Kind::Essay, slug, &format!("title: \"{title}\""), body)
    }

    pub fn term(self, slug: &str, name: &str, summary: &str, body: &str) -> CorpusBuilder {
        let matter = format!("term: \"{name}\"\nsummary: \"{summary}\"");
        self.item(Kind::Term, slug, &matter, body)
    }

    /// The corpus, files in path order as `load` reads them, with every problem found.
    /// A file outside the content folders is left out.
    pub fn build(mut self) -> Warned<Corpus> {
        self.files.sort();
        let reads = self.files.iter().filter_map(|(path, text)| {
            let kind = kind_of(path)?;
            Some(parse_item(path, kind, text).map(std::sync::Arc::new))
        });
        Corpus::assemble(reads.collect::<Vec<_>>())
    }
}
