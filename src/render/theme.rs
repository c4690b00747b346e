//! The theme: Tera templates and static files, from the built-in default theme overlaid file by
//! file with the site's `themes/<name>/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use super::theme_errors::{origin, parse_reports, source, tera_diagnostic};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::paths::output_key;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A file of the theme and where it came from, for diagnostics.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Where to report problems: `themes/<name>/templates/x.html`.
    pub origin: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Debug)]
pub struct Theme {
    pub tera: tera::Tera,
    /// Static files by output path (relative, forward slashes).
    pub statics: BTreeMap<String, ThemeFile>,
    /// Template sources by name, for error messages.
    templates: BTreeMap<String, ThemeFile>,
}

/// The built-in default theme's files, by path within the theme.
pub fn default_theme_files() -> Vec<(PathBuf, &'static [u8])> {
    let mut out = Vec::new();
    collect_embedded(&DEFAULT_THEME, &mut out);
    out.sort();
    out
}

fn collect_embedded(dir: &'static Dir<'static>, out: &mut Vec<(PathBuf, &'static [u8])>) {
    for f in dir.files() {
        out.push((f.path().to_path_buf(), f.contents()));
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

/// The theme's files as they are gathered: templates by name, statics by output path.
#[derive(Default)]
struct Files {
    templates: BTreeMap<String, ThemeFile>,
    statics: BTreeMap<String, ThemeFile>,
}

impl Files {
    /// Files the built-in theme has, overlaid by those of the site's theme folder.
    fn place(&mut self, rel: &Path, file: ThemeFile) {
        let key = output_key(rel);
        if let Some(name) = key.strip_prefix("templates/") {
            self.templates.insert(name.to_string(), file);
        } else if let Some(name) = key.strip_prefix("static/") {
            self.statics.insert(name.to_string(), file);
        }
    }
}

impl Theme {
    pub fn load(config: &Config) -> Result<Theme, Diagnostics> {
        let mut files = Files::default();
        let builtin = Path::new("themes/default");
        for (path, bytes) in default_theme_files() {
            let file = ThemeFile {
                origin: builtin.join(&path),
                bytes: bytes.to_vec(),
            };
            files.place(&path, file);
        }
        let site_theme = Path::new("themes").join(&config.theme);
        if config.root.join(&site_theme).is_dir() {
            overlay_site_theme(&config.root, &site_theme, &mut files)?;
        } else if config.theme != "default" {
            return Err(config
                .error_at_key("theme", format!("theme `{}` not found", config.theme))
                .with_hint(format!(
                    "create {}/ or set theme = \"default\"",
                    site_theme.display()
                ))
                .into());
        }
        let tera = build_tera(&files.templates)?;
        Ok(Theme {
            tera,
            statics: files.statics,
            templates: files.templates,
        })
    }

    /// Maps a Tera error to diagnostics naming the template file, line and column.
    pub fn diagnostic(&self, err: &tera::Error, rendering: &str) -> Diagnostic {
        tera_diagnostic(err, &self.templates, rendering)
    }
}

/// Reads the site's theme folder `site_theme` (relative to `root`) over the built-in files.
/// Hidden files are skipped.
fn overlay_site_theme(
    root: &Path,
    site_theme: &Path,
    files: &mut Files,
) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new();
    for found in crate::paths::walk(root, site_theme, false) {
        let path = match found {
            Ok(path) => path,
            Err(problem) => {
                diags.push(problem.into());
                continue;
            }
        };
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        let rel = path.strip_prefix(site_theme).unwrap_or(&path).to_path_buf();
        match std::fs::read(root.join(&path)) {
            Ok(bytes) => files.place(
                &rel,
                ThemeFile {
                    origin: path,
                    bytes,
                },
            ),
            Err(e) => diags.push(Diagnostic::error(&path, 1, 1, format!("cannot read: {e}"))),
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}

fn build_tera(templates: &BTreeMap<String, ThemeFile>) -> Result<tera::Tera, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut sources: Vec<(&str, String)> = Vec::new();
    for (name, file) in templates {
        match String::from_utf8(file.bytes.clone()) {
            Ok(text) => sources.push((name, text)),
            Err(_) => diags.push(Diagnostic::error(
                &file.origin,
                1,
                1,
                "template is not valid UTF-8",
            )),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    match tera.add_raw_templates(sources.iter().map(|(n, t)| (*n, t.as_str()))) {
        Ok(()) => Ok(tera),
        Err(batch_err) => Err(template_errors(&batch_err, &sources, templates)),
    }
}

/// Every template error, when adding them all at once failed: the batch stops at the first
/// error, so each template is parsed alone to report them all.
fn template_errors(
    batch_err: &tera::Error,
    sources: &[(&str, String)],
    templates: &BTreeMap<String, ThemeFile>,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for (name, text) in sources {
        let mut alone = tera::Tera::new();
        if let Err(e) = alone.add_raw_template(name, text)
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            diags.push(tera_diagnostic(&e, templates, ""));
        }
    }
    if !diags.has_errors()
        && let tera::ErrorKind::Msg(text) = batch_err.kind()
    {
        let origin = |name: &str| origin(templates, name);
        let source = |name: &str| source(templates, name);
        diags.extend(parse_reports(text, &origin, &source));
    }
    if !diags.has_errors() {
        diags.push(tera_diagnostic(batch_err, templates, ""));
    }
    diags
}
