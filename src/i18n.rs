//! The words of the interface in the site's language: one TOML file per language in the theme
//! (`i18n/<language>.toml`), the built-in ones for English, German, French, Spanish and Dutch,
//! each replaceable (or a language added) by a file of the same name in the site's theme folder.
//! Every file must hold exactly the keys of the built-in English one.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean, line_col};

/// The built-in files, by language.
const BUILTIN: &[(&str, &str)] = &[
    ("de", include_str!("../themes/default/i18n/de.toml")),
    ("en", include_str!("../themes/default/i18n/en.toml")),
    ("es", include_str!("../themes/default/i18n/es.toml")),
    ("fr", include_str!("../themes/default/i18n/fr.toml")),
    ("nl", include_str!("../themes/default/i18n/nl.toml")),
];

/// The interface strings of one language.
#[derive(Debug, Clone)]
pub struct Strings {
    table: toml::Table,
    fingerprint: u64,
}

/// Why a language's strings could not be had.
#[derive(Debug)]
pub enum Problem {
    /// Neither the site's theme nor the built-in one has a file for the language.
    Unsupported { supported: Vec<String> },
    /// The site's file for it is wrong: what is wrong, where.
    File(Diagnostics),
}

impl Default for Strings {
    fn default() -> Strings {
        Strings::parse(builtin("en").unwrap_or_default()).unwrap_or_else(|_| Strings {
            table: toml::Table::new(),
            fingerprint: 0,
        })
    }
}

fn builtin(language: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(l, _)| *l == language)
        .map(|(_, text)| *text)
}

/// The file names a `language` may be found under, most specific first: `en-gb`, then `en`.
fn candidates(language: &str) -> Vec<String> {
    let lower = language.trim().to_ascii_lowercase().replace('_', "-");
    let mut out = vec![lower.clone()];
    if let Some((primary, _)) = lower.split_once('-') {
        out.push(primary.to_string());
    }
    out
}

impl Strings {
    /// The strings for `language`: the site's theme file when `root` has one (under
    /// `themes/<theme>/i18n/`), else the built-in one.
    pub fn load(root: Option<&Path>, theme: &str, language: &str) -> Result<Strings, Problem> {
        let folder = Path::new("themes").join(theme).join("i18n");
        for name in candidates(language) {
            let rel = folder.join(format!("{name}.toml"));
            if let Some(root) = root
                && root.join(&rel).is_file()
            {
                return Strings::read(root, &rel).map_err(Problem::File);
            }
            if let Some(text) = builtin(&name) {
                // The built-in files are checked by the tests: a problem here is lectern's own.
                return Strings::parse(text).map_err(|problems| {
                    let d = problems.into_iter().map(|(_, message, _)| {
                        Diagnostic::general(format!("built-in {name}.toml: {message}"))
                    });
                    Problem::File(d.collect())
                });
            }
        }
        let mut supported: Vec<String> = BUILTIN.iter().map(|(l, _)| (*l).to_string()).collect();
        if let Some(root) = root
            && let Ok(entries) = std::fs::read_dir(root.join(&folder))
        {
            supported.extend(entries.flatten().filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".toml").map(str::to_string)
            }));
        }
        supported.sort();
        supported.dedup();
        Err(Problem::Unsupported { supported })
    }

    fn read(root: &Path, rel: &Path) -> Result<Strings, Diagnostics> {
        let text = std::fs::read_to_string(root.join(rel))
            .map_err(|e| Diagnostic::error(rel, 1, 1, format!("cannot read: {e}")))?;
        let strings = Strings::parse(&text).map_err(|problems| {
            problems
                .into_iter()
                .map(|(offset, message, hint)| {
                    let (line, col) = line_col(&text, offset);
                    let d = Diagnostic::error(rel, line, col, message).with_source(&text);
                    match hint {
                        Some(h) => d.with_hint(h),
                        None => d,
                    }
                })
                .collect::<Diagnostics>()
        })?;
        Ok(strings)
    }

    /// Reads a file's text and checks it against the English keys. Problems come as (byte
    /// offset, message, hint).
    fn parse(text: &str) -> Result<Strings, Vec<(usize, String, Option<String>)>> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            vec![(at, e.message().to_string(), None)]
        })?;
        if let Some(english) = builtin("en").and_then(|t| toml::from_str::<toml::Table>(t).ok()) {
            let mut problems = Vec::new();
            compare(&english, &table, "", text, &mut problems);
            if !problems.is_empty() {
                return Err(problems);
            }
        }
        let mut h = DefaultHasher::new();
        text.hash(&mut h);
        Ok(Strings {
            table,
            fingerprint: h.finish(),
        })
    }

    /// A top-level string, or a string in table `group`: `get("relations.key_terms")`.
    pub fn get(&self, key: &str) -> &str {
        let mut value = None;
        let mut table = Some(&self.table);
        for part in key.split('.') {
            value = table.and_then(|t| t.get(part));
            table = value.and_then(toml::Value::as_table);
        }
        value.and_then(toml::Value::as_str).unwrap_or_default()
    }

    /// The name of month `month` (1–12).
    pub fn month(&self, month: u8) -> &str {
        self.table
            .get("months")
            .and_then(toml::Value::as_array)
            .and_then(|m| m.get(usize::from(month.saturating_sub(1))))
            .and_then(toml::Value::as_str)
            .unwrap_or_default()
    }

    /// A date written the language's way: "3 March 2027", "3. März 2027".
    pub fn date(&self, year: i32, month: u8, day: u8) -> String {
        self.get("date_format")
            .replace("{day}", &day.to_string())
            .replace("{month}", self.month(month))
            .replace("{year}", &year.to_string())
    }

    /// The whole table, for templates (`t.key`).
    pub fn table(&self) -> &toml::Table {
        &self.table
    }

    /// Changes whenever any string does.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

/// Every key of `english` must be in `other` with a value of the same shape, and `other` may
/// have no key English lacks.
fn compare(
    english: &toml::Table,
    other: &toml::Table,
    prefix: &str,
    text: &str,
    problems: &mut Vec<(usize, String, Option<String>)>,
) {
    for (key, value) in english {
        let name = format!("{prefix}{key}");
        match other.get(key) {
            None => problems.push((
                table_offset(text, prefix),
                format!("the interface string `{name}` is missing"),
                Some(format!(
                    "add it, e.g. {key} = {} (`lectern theme eject i18n/en.toml` shows the English file)",
                    shown(value)
                )),
            )),
            Some(found) => match (value, found) {
                (toml::Value::Table(e), toml::Value::Table(o)) => {
                    compare(e, o, &format!("{name}."), text, problems);
                }
                (toml::Value::Array(e), toml::Value::Array(o)) if e.len() != o.len() => problems
                    .push((
                        key_offset(text, key),
                        format!("`{name}` needs {} entries, not {}", e.len(), o.len()),
                        None,
                    )),
                (e, o) if e.type_str() != o.type_str() => problems.push((
                    key_offset(text, key),
                    format!(
                        "`{name}` must be a {}, like the English {}",
                        e.type_str(),
                        shown(value)
                    ),
                    None,
                )),
                _ => {}
            },
        }
    }
    for key in other.keys().filter(|k| !english.contains_key(*k)) {
        let hint = did_you_mean(key, english.keys().map(String::as_str))
            .map(|s| format!("did you mean `{prefix}{s}`?"));
        problems.push((
            key_offset(text, key),
            format!("unknown interface string `{prefix}{key}`"),
            hint,
        ));
    }
}

/// A value as a TOML file would write it, shortened.
fn shown(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Array(a) => format!("[…{} entries]", a.len()),
        toml::Value::Table(_) => "[table]".to_string(),
        other => other.type_str().to_string(),
    }
}

/// Where `key = …` starts in `text` (its first occurrence at a line start), else 0.
fn key_offset(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return offset + (line.len() - trimmed.len());
        }
        offset += line.len();
    }
    0
}

/// Where table `[prefix]` starts in `text` (a `prefix` of `a.` is table `[a]`), else 0.
fn table_offset(text: &str, prefix: &str) -> usize {
    let name = prefix.trim_end_matches('.');
    if name.is_empty() {
        return 0;
    }
    text.find(&format!("[{name}]")).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_language_has_every_english_key() {
        for (language, text) in BUILTIN {
            if let Err(problems) = Strings::parse(text) {
                panic!("{language}: {problems:?}");
            }
        }
    }

    #[test]
    fn a_regional_language_falls_back_to_its_primary_language() {
        let strings = Strings::load(None, "default", "de-AT").expect("German");
        assert_eq!(strings.get("search"), "Suche");
        assert_eq!(strings.date(2027, 3, 3), "3. März 2027");
    }

    #[test]
    fn an_unsupported_language_lists_the_supported_ones() {
        match Strings::load(None, "default", "xx") {
            Err(Problem::Unsupported { supported }) => {
                assert_eq!(supported, ["de", "en", "es", "fr", "nl"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
