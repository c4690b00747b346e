//! lectern: a static site generator for study groups. Markdown essays, glossary entries and
//! discussion questions become a cross-linked, searchable site.
//!
//! The pipeline is plain data from stage to stage:
//! `Config::load` → `content::load` → `links::resolve` → `render::render_all` → `build::write_output`.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod links;
pub mod render;
pub mod scaffold;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod timing;

pub use build::{BuildReport, build, check, generate};
pub use config::Config;
pub use diagnostics::{Diagnostic, Diagnostics};
pub use site::{BuildOptions, Site};
