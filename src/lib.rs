//! lectern: a static site generator for study groups. Markdown essays, glossary entries and
//! discussion questions become a cross-linked, searchable site.
//!
//! The pipeline is plain data from stage to stage, written once (`build::pipeline`) for `build`,
//! `check` and `serve`:
//! `Config::load` → `content::load` → `links::resolve` (converting bodies with `markdown`) →
//! `render::render_each` → `search::build_index` → a sink (the disk, memory, or nothing).
//!
//! # Layers
//!
//! Each module imports only from the layers below it; `tests/architecture.rs` fails when one
//! reaches up. From the bottom:
//!
//! | layer | owns |
//! |---|---|
//! | `timing` | stage timings for profiling |
//! | `text`, `paths` | folding, slugs, smart punctuation, escaping, heading ids; lexical paths, inside-checks, the one folder walk |
//! | `diagnostics` | `Diagnostic` (with an optional location), `Diagnostics`, `Warned<T>` |
//! | `i18n` | the interface's words in the site's language |
//! | `config` | site.toml → validated `Config` |
//! | `content` | content files → typed `Item`s in a `Corpus`, with the bibliography |
//! | `site` | the resolved site's data types: `Site`, `Entry`, `EntryId`, `Converted` |
//! | `markdown` | one body → HTML, with links and citation keys resolved through the `Targets` it is given |
//! | `links` | names, glossary, reference checks, citations formatted (hayagriva), the link graph: builds the `Site` |
//! | `render` | the Tera theme and page contexts |
//! | `search` | the search index from the `Site` |
//! | `scaffold` | `lectern new` and `lectern init` |
//! | `build` | the pipeline, output sinks, atomic output |
//! | `serve` | HTTP, watching, live reload |
//!
//! Every stage returns `Result<Warned<T>, Diagnostics>`: `Err` with every problem found when
//! nothing usable was made, else the value with its warnings. Loaders that always recover
//! something (`content::load`, `Corpus::assemble`) return `Warned<T>` whose diagnostics may hold
//! errors, so that later stages can still check their part.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod i18n;
pub mod links;
pub mod markdown;
pub mod paths;
pub mod render;
pub mod scaffold;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod text;
pub mod timing;

pub use build::{BuildReport, build, check, generate};
pub use config::Config;
pub use diagnostics::{Diagnostic, Diagnostics, Warned};
pub use site::{BuildOptions, Site};
