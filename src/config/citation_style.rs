//! site.toml's `citation_style`: one of hayagriva's built-in CSL styles that cite in the text.

use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{Style, StyleClass};

use super::{CONFIG_FILE, KeyPositions};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// site.toml's `citation_style` by its name, "apa" when it has none, or the error at its value.
pub(super) fn read_citation_style(
    written: Option<&str>,
    keys: &KeyPositions,
    text: &str,
) -> Result<String, Diagnostic> {
    let Some(name) = written else {
        return Ok("apa".to_string());
    };
    citation_style(name)
        .map(|style| style_name(style).to_string())
        .map_err(|message| {
            let (line, col) = keys.find("citation_style").map_or((1, 1), |k| (k.1, k.3));
            Diagnostic::error(CONFIG_FILE, line, col, message)
                .with_source(text)
                .with_hint(style_hint(name))
        })
}

/// The built-in style `name` names (any case; `harvard` is Cite Them Right), if it is one that
/// cites in the running text: lectern places citations where they are written, so styles that
/// cite in footnotes are refused.
pub fn citation_style(name: &str) -> Result<ArchivedStyle, String> {
    let lower = name.trim().to_lowercase();
    let lower = if lower == "harvard" {
        "harvard-cite-them-right"
    } else {
        lower.as_str()
    };
    match ArchivedStyle::by_name(lower) {
        Some(style) if cites_in_text(style) => Ok(style),
        Some(_) => Err(format!(
            "`{name}` cites in footnotes; lectern places citations in the text"
        )),
        None => Err(format!("unknown citation style `{name}`")),
    }
}

/// A built-in style's name as site.toml writes it (the short one where it has one: `apa`).
pub fn style_name(style: ArchivedStyle) -> &'static str {
    let names = style.names();
    names
        .iter()
        .copied()
        .min_by_key(|n| n.len())
        .unwrap_or_default()
}

fn cites_in_text(style: ArchivedStyle) -> bool {
    matches!(style.get(), Style::Independent(s) if s.settings.class == StyleClass::InText)
}

/// The names of the built-in styles that `citation_style` accepts, sorted.
pub fn citation_styles() -> Vec<&'static str> {
    let mut names: Vec<&str> = ArchivedStyle::all()
        .iter()
        .filter(|s| cites_in_text(**s))
        .map(|s| style_name(*s))
        .collect();
    names.sort_unstable();
    names
}

/// What to write instead of the unknown style `name`.
fn style_hint(name: &str) -> String {
    let names = citation_styles();
    let all = names.join(", ");
    match did_you_mean(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? The built-in styles are {all}"),
        None => format!("the built-in styles are {all}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn citation_style_is_a_built_in_style_that_cites_in_the_text() {
        let style = |text: &str| Config::parse(&format!("title = \"T\"\n{text}")).unwrap();
        assert_eq!(style("").value.citation_style, "apa");
        assert_eq!(
            style("citation_style = \"Chicago-Author-Date\"\n")
                .value
                .citation_style,
            "chicago-author-date"
        );
        assert_eq!(
            style("citation_style = \"harvard\"\n").value.citation_style,
            "harvard-cite-them-right"
        );
        assert_eq!(
            style("citation_style = \"modern-language-association\"\n")
                .value
                .citation_style,
            "mla"
        );
        let notes = style("citation_style = \"chicago-notes\"\n");
        let d = notes.diagnostics.iter().next().unwrap();
        assert_eq!(d.at(), (2, 18));
        assert!(d.message.contains("cites in footnotes"), "{d}");
        assert_eq!(notes.value.citation_style, "apa");
        assert!(!citation_styles().contains(&"chicago-notes"));
        assert!(citation_styles().contains(&"ieee"));
    }
}
