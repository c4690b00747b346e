//! Rebuilding for the preview: the whole pipeline in memory, returning the files to serve.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::state::Files;
use crate::build;
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::site::BuildOptions;

pub struct Engine {
    root: PathBuf,
    options: BuildOptions,
    output: Option<PathBuf>,
}

/// A good build.
pub struct Built {
    pub base_path: String,
    pub title: String,
    pub files: Files,
    pub pages: usize,
    pub warnings: Diagnostics,
}

/// A failed build: what to show, and the base path to keep serving under.
pub struct Failure {
    pub base_path: String,
    pub report: String,
}

impl Engine {
    pub fn new(root: PathBuf, options: BuildOptions, output: Option<PathBuf>) -> Engine {
        Engine {
            root,
            options,
            output,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Rebuilds after `changed` files (relative to the root) changed; empty means everything.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Built, Failure> {
        let _ = changed;
        let config = Config::load(&self.root).map_err(|d| Failure {
            base_path: "/".to_string(),
            report: Diagnostics::from(d).report(),
        })?;
        let base_path = config.base_path.clone();
        let (output, diags) = build::generate(&config, self.options);
        let Some(output) = output else {
            return Err(Failure {
                base_path,
                report: diags.report(),
            });
        };
        if let Some(out) = &self.output
            && let Err(e) = build::write_output(out, &output.files)
        {
            return Err(Failure {
                base_path,
                report: format!("cannot write {}: {e}\n", out.display()),
            });
        }
        let pages = output.files.keys().filter(|p| p.ends_with(".html")).count();
        Ok(Built {
            base_path,
            title: config.title.clone(),
            files: Arc::new(output.files),
            pages,
            warnings: diags,
        })
    }
}

/// What is served before the first good build: a page that waits for the errors to be fixed.
pub fn placeholder() -> Files {
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>lectern</title></head>\
        <body><h1>The site has errors</h1><p>Fix them and save; this page reloads by itself.</p></body></html>";
    Arc::new(
        [
            ("index.html".to_string(), page.as_bytes().to_vec()),
            ("404.html".to_string(), page.as_bytes().to_vec()),
        ]
        .into(),
    )
}
