//! The theme: Tera templates and static files, from the built-in default theme overlaid file by
//! file with the site's `themes/<name>/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};

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

/// The built-in default theme's files, for `lectern init`.
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

impl Theme {
    pub fn load(config: &Config) -> Result<Theme, Diagnostics> {
        let mut templates: BTreeMap<String, ThemeFile> = BTreeMap::new();
        let mut statics: BTreeMap<String, ThemeFile> = BTreeMap::new();
        let builtin = Path::new("themes/default");
        for (path, bytes) in default_theme_files() {
            let origin = builtin.join(&path);
            let file = ThemeFile {
                origin,
                bytes: bytes.to_vec(),
            };
            place(&path, file, &mut templates, &mut statics);
        }
        let site_theme = Path::new("themes").join(&config.theme);
        let dir = config.root.join(&site_theme);
        if dir.is_dir() {
            let canonical_root = config
                .root
                .canonicalize()
                .unwrap_or_else(|_| config.root.clone());
            crate::content::check_inside(&canonical_root, &dir, &site_theme)
                .map_err(Diagnostics::from)?;
            let mut diags = Diagnostics::new();
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        diags.push(Diagnostic::error(
                            &site_theme,
                            1,
                            1,
                            format!("cannot read theme: {e}"),
                        ));
                        continue;
                    }
                };
                let rel = entry
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(entry.path())
                    .to_path_buf();
                if entry.path_is_symlink()
                    && let Err(d) = crate::content::check_inside(
                        &canonical_root,
                        entry.path(),
                        &site_theme.join(&rel),
                    )
                {
                    diags.push(d);
                    continue;
                }
                if !entry.path().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                match std::fs::read(entry.path()) {
                    Ok(bytes) => place(
                        &rel,
                        ThemeFile {
                            origin: site_theme.join(&rel),
                            bytes,
                        },
                        &mut templates,
                        &mut statics,
                    ),
                    Err(e) => diags.push(Diagnostic::error(
                        site_theme.join(&rel),
                        1,
                        1,
                        format!("cannot read: {e}"),
                    )),
                }
            }
            if diags.has_errors() {
                return Err(diags);
            }
        } else if config.theme != "default" {
            let text = std::fs::read_to_string(config.root.join(CONFIG_FILE)).unwrap_or_default();
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("theme"))
                .map_or(1, |i| i + 1);
            return Err(Diagnostic::error(
                CONFIG_FILE,
                line,
                1,
                format!("theme `{}` not found", config.theme),
            )
            .with_source(&text)
            .with_hint(format!(
                "create {}/ or set theme = \"default\"",
                site_theme.display()
            ))
            .into());
        }
        let tera = build_tera(&templates)?;
        Ok(Theme {
            tera,
            statics,
            templates,
        })
    }

    /// Maps a Tera error to diagnostics naming the template file, line and column.
    pub fn diagnostic(&self, err: &tera::Error, rendering: &str) -> Diagnostic {
        tera_diagnostic(err, &self.templates, rendering)
    }
}

fn place(
    rel: &Path,
    file: ThemeFile,
    templates: &mut BTreeMap<String, ThemeFile>,
    statics: &mut BTreeMap<String, ThemeFile>,
) {
    let key = output_key(rel);
    if let Some(name) = key.strip_prefix("templates/") {
        templates.insert(name.to_string(), file);
    } else if let Some(name) = key.strip_prefix("static/") {
        statics.insert(name.to_string(), file);
    }
}

/// A relative path as a key of the output: its parts joined with `/`. A backslash is a separator
/// only where the platform says so; elsewhere it is part of a name and must stay one.
pub fn output_key(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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
        Err(batch_err) => {
            // The batch stops at the first error: parse each template alone to report them all.
            for (name, text) in &sources {
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
                let origin = |name: &str| {
                    templates.get(name).map_or_else(
                        || PathBuf::from("themes/default/templates").join(name),
                        |f| f.origin.clone(),
                    )
                };
                let source = |name: &str| {
                    templates
                        .get(name)
                        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
                };
                diags.extend(parse_reports(text, &origin, &source));
            }
            if !diags.has_errors() {
                diags.push(tera_diagnostic(&batch_err, templates, ""));
            }
            Err(diags)
        }
    }
}

fn tera_diagnostic(
    err: &tera::Error,
    templates: &BTreeMap<String, ThemeFile>,
    rendering: &str,
) -> Diagnostic {
    let origin = |name: &str| {
        templates.get(name).map_or_else(
            || PathBuf::from("themes/default/templates").join(name),
            |f| f.origin.clone(),
        )
    };
    let source = |name: &str| {
        templates
            .get(name)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
    };
    let context = if rendering.is_empty() {
        String::new()
    } else {
        format!(" (rendering {rendering})")
    };
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let what = if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
                "template syntax"
            } else {
                "template"
            };
            let mut d = Diagnostic::error(
                origin(report.filename()),
                span.start_line,
                span.start_col + 1,
                format!("{what} error: {}{context}", report.message()),
            );
            if let Some(text) = source(report.filename()) {
                d = d.with_source(&text);
            }
            if report.message().contains("not found in context")
                || report.message().contains("undefined")
            {
                d = d.with_hint("templates receive `config`, `site`, `page` and `base`; see the README's theme section");
            }
            d
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let text = source(current).unwrap_or_default();
            let line = text
                .lines()
                .position(|l| l.contains("extends"))
                .map_or(1, |i| i + 1);
            Diagnostic::error(
                origin(current),
                line,
                1,
                format!("template extends `{parent}`, which does not exist"),
            )
            .with_source(&text)
            .with_hint("templates are named by their path under templates/, e.g. \"base.html\"")
        }
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            origin(name),
            1,
            1,
            format!("template `{name}` is missing{context}"),
        )
        .with_hint("a site theme overlays the built-in one file by file; check the file's name"),
        tera::ErrorKind::Msg(text) => {
            match parse_reports(text, &origin, &source).into_iter().next() {
                Some(d) => d,
                None => {
                    Diagnostic::error("themes", 1, 1, format!("template error: {text}{context}"))
                }
            }
        }
        other => Diagnostic::error("themes", 1, 1, format!("template error: {other}{context}")),
    }
}

/// Tera reports template-wide checks (unknown filters, tests, functions) as pre-formatted text,
/// one `error: …\n --> name:line:col` block per problem; this turns each into a diagnostic.
fn parse_reports(
    text: &str,
    origin: &dyn Fn(&str) -> PathBuf,
    source: &dyn Fn(&str) -> Option<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let (Some(m), Some(loc)) = (message, line.trim_start().strip_prefix("--> ")) {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
            let line_no = parts.next().and_then(|l| l.parse().ok()).unwrap_or(1);
            let name = parts.next().unwrap_or_default();
            let mut d =
                Diagnostic::error(origin(name), line_no, col, format!("template error: {m}"));
            if let Some(text) = source(name) {
                d = d.with_source(&text);
            }
            if m.starts_with("Unknown filter")
                || m.starts_with("Unknown function")
                || m.starts_with("Unknown test")
            {
                d = d.with_hint(
                    "see Tera's documentation for the built-in filters, tests and functions",
                );
            }
            out.push(d);
            message = None;
        }
    }
    out
}
