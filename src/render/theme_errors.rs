//! Tera's errors as diagnostics that name the template file, line and column.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::theme::ThemeFile;
use crate::diagnostics::Diagnostic;

/// Where template `name` came from, for messages.
pub(super) fn origin(templates: &BTreeMap<String, ThemeFile>, name: &str) -> PathBuf {
    templates.get(name).map_or_else(
        || PathBuf::from("themes/default/templates").join(name),
        |f| f.origin.clone(),
    )
}

/// The text of template `name`, for the line a message shows.
pub(super) fn source(templates: &BTreeMap<String, ThemeFile>, name: &str) -> Option<String> {
    templates
        .get(name)
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
}

pub(super) fn tera_diagnostic(
    err: &tera::Error,
    templates: &BTreeMap<String, ThemeFile>,
    rendering: &str,
) -> Diagnostic {
    let origin = |name: &str| origin(templates, name);
    let source = |name: &str| source(templates, name);
    let context = if rendering.is_empty() {
        String::new()
    } else {
        format!(" (rendering {rendering})")
    };
    let whole = err.to_string();
    if whole.contains("Circular include") {
        return circular_include(&whole, templates);
    }
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
                None => Diagnostic::general(format!("template error: {text}{context}")),
            }
        }
        other => Diagnostic::general(format!("template error: {other}{context}")),
    }
}

/// Templates that include each other in a circle: the error names them all, at the include
/// that closes the circle. Tera gives the chain as text: `Include chain: `["a", "b", "a"]``.
fn circular_include(text: &str, templates: &BTreeMap<String, ThemeFile>) -> Diagnostic {
    let chain: Vec<&str> = text
        .split_once("Include chain:")
        .map(|(_, rest)| rest.split('"').skip(1).step_by(2).collect::<Vec<&str>>())
        .unwrap_or_default();
    let message = format!(
        "templates include each other in a circle: {}",
        chain.join(" → ")
    );
    let hint = "remove one of these includes, so that no template includes itself";
    let (Some(last), Some(includer)) = (
        chain.last(),
        chain.len().checked_sub(2).and_then(|i| chain.get(i)),
    ) else {
        return Diagnostic::general(message).with_hint(hint);
    };
    let text = source(templates, includer).unwrap_or_default();
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            let at = l.find("include")?;
            l[at..]
                .contains(last)
                .then_some((i + 1, l[..at].chars().count() + 1))
        })
        .unwrap_or((1, 1));
    Diagnostic::error(origin(templates, includer), line, col, message)
        .with_source(&text)
        .with_hint(hint)
}

/// Tera reports template-wide checks (unknown filters, tests, functions) as pre-formatted text,
/// one `error: …\n --> name:line:col` block per problem; this turns each into a diagnostic.
pub(super) fn parse_reports(
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
