//! Typed front matter for each kind of content, parsed strictly: unknown keys, wrong types and
//! missing required keys are errors that point at the file's own line.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::Kind;
use super::source::Source;
use crate::config::Autolink;
use crate::diagnostics::{Diagnostic, did_you_mean, set_aside_entry, stands_for};

/// Where an essay's ideas come from.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub title: String,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EssayMatter {
    pub title: String,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub session: Option<u32>,
    #[serde(default)]
    pub order: Option<i64>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub source: Option<Citation>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub autolink: Option<Autolink>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermMatter {
    pub term: String,
    pub summary: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub autolink: Option<Autolink>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionMatter {
    pub title: String,
    #[serde(default)]
    pub essays: Vec<String>,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub session: Option<u32>,
    #[serde(default)]
    pub order: Option<i64>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub autolink: Option<Autolink>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionMatter {
    pub title: String,
    pub number: u32,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub essays: Vec<String>,
    #[serde(default)]
    pub questions: Vec<String>,
    #[serde(default)]
    pub autolink: Option<Autolink>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    pub title: String,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub autolink: Option<Autolink>,
}

/// The keys each kind accepts, for hints.
pub fn known_keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Essay => &[
            "title", "author", "date", "summary", "session", "order", "tags", "source", "draft",
            "autolink",
        ],
        Kind::Term => &["term", "summary", "aliases", "related", "draft", "autolink"],
        Kind::Question => &[
            "title", "essays", "terms", "related", "session", "order", "kind", "draft", "autolink",
        ],
        Kind::Session => &[
            "title",
            "number",
            "date",
            "summary",
            "essays",
            "questions",
            "autolink",
        ],
        Kind::Page => &["title", "draft", "autolink"],
    }
}

const LIST_KEYS: &[&str] = &["tags", "aliases", "related", "essays", "terms", "questions"];

/// Deserialises the front matter of `source` as `T`, with YAML errors mapped to file positions
/// and pushed to `problems`. A key in error is set aside and the rest read again, so that one
/// mistake does not hide the next: the value returned lacks the keys in error. None when the YAML
/// itself is broken or a required key is missing.
pub fn parse<T: DeserializeOwned>(
    kind: Kind,
    path: &std::path::Path,
    source: &Source,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    let mut yaml = source.yaml().to_string();
    let mut set_aside: Vec<String> = Vec::new();
    loop {
        // An empty block is an empty mapping, so that the error names the missing key.
        let text = if yaml.trim().is_empty() { "{}" } else { &yaml };
        let e = match serde_yaml::from_str::<T>(text) {
            Ok(value) => return Some(value),
            Err(e) => e,
        };
        let message = e.to_string();
        // A required key set aside for its own error, or misspelt, is not missing as well.
        if let Some(missing) = between(&message, "missing field `", "`")
            && stands_for(&set_aside, known_keys(kind), missing)
        {
            return None;
        }
        problems.push(yaml_diagnostic(kind, path, source, &e));
        let recoverable = [
            "unknown field",
            "invalid type",
            "invalid value",
            "invalid length",
            "unknown variant",
            "expected a sequence",
        ]
        .iter()
        .any(|p| message.contains(p));
        // A key's entry starts at the line's start; list items, comments and nested keys
        // belong to the entry above.
        let starts_entry = |line: &str| {
            !line.starts_with([' ', '\t', '-', '#'])
                && !line.trim().is_empty()
                && line.contains(':')
        };
        let key = recoverable
            .then(|| set_aside_entry(&mut yaml, e.location()?.index(), starts_entry, ':'))
            .flatten()?;
        set_aside.push(key);
    }
}

fn yaml_diagnostic(
    kind: Kind,
    path: &std::path::Path,
    source: &Source,
    e: &serde_yaml::Error,
) -> Diagnostic {
    // From the byte offset rather than YAML's own line count, which also breaks lines at U+0085,
    // U+2028 and U+2029 and so would point past the file's real lines.
    let (line, col) = match e.location() {
        Some(loc) => {
            let offset = source.front_matter.start + loc.index().min(source.yaml().len());
            crate::diagnostics::line_col(&source.text, offset)
        }
        None => (1, 1),
    };
    let full = e.to_string();
    let mut message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    // Messages about a value come as `key: invalid type: …`; the key is added back below.
    for phrase in [
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown field",
        "missing field",
        "unknown variant",
    ] {
        if let Some(i) = message.find(phrase) {
            message = message[i..].to_string();
            break;
        }
    }
    let keys = known_keys(kind);
    let noun = kind.noun();
    let (message, hint) = if let Some(key) = between(&message, "unknown field `", "`") {
        let hint = match did_you_mean(key, keys.iter().copied()) {
            Some(s) => format!(
                "did you mean `{s}`? {} accepts: {}",
                noun_cap(noun),
                keys.join(", ")
            ),
            None => format!("{} accepts: {}", noun_cap(noun), keys.join(", ")),
        };
        (
            format!(
                "unknown front-matter key `{key}` for {} {noun}",
                article(noun)
            ),
            Some(hint),
        )
    } else if let Some(key) = between(&message, "missing field `", "`") {
        let hint = format!("add `{key}: …` between the `---` lines");
        (
            format!(
                "{} {noun} needs `{key}` in its front matter",
                noun_cap(article(noun))
            ),
            Some(hint),
        )
    } else if message.contains("expected a sequence") {
        let key = key_at_line(source, line).unwrap_or_default();
        let hint = if LIST_KEYS.contains(&key.as_str()) {
            Some(format!("`{key}` takes a list: `{key}: [first, second]`"))
        } else {
            None
        };
        (
            format!(
                "`{key}` must be a list, {}",
                message
                    .trim_start_matches(|c| c != ':')
                    .trim_start_matches(": ")
            ),
            hint,
        )
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let key = key_at_line(source, line);
        let prefix = key.map(|k| format!("`{k}`: ")).unwrap_or_default();
        // `title: [Draft] Notes` or `title: {x}` reads as a list or a mapping, not as text.
        let hint = (message.contains("invalid type: sequence")
            || message.contains("invalid type: map"))
            && message.contains("expected a string");
        let hint = hint.then(|| {
            "YAML reads a value that starts with `[` or `{` as a list or a mapping: put text in quotes, e.g. title: \"[Draft] Notes\"".to_string()
        });
        (format!("{prefix}{message}"), hint)
    } else if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
    {
        (
            format!("front matter is not valid YAML: {message}"),
            Some(
                "a value that contains `: ` or starts with `[`, `{`, `*` or `&` needs quotes"
                    .to_string(),
            ),
        )
    } else {
        (format!("front matter: {message}"), None)
    };
    let mut d = Diagnostic::error(path, line, col, message).with_source(&source.text);
    if let Some(h) = hint {
        d = d.with_hint(h);
    }
    d
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &text[text.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The front-matter key whose value is at `line`, looking upwards past list items.
fn key_at_line(source: &Source, line: usize) -> Option<String> {
    let lines: Vec<&str> = source.text.lines().collect();
    let first = source.front_matter_line.saturating_sub(1);
    let mut i = line.checked_sub(1)?.min(lines.len().checked_sub(1)?);
    loop {
        let l = lines[i];
        if !l.starts_with([' ', '\t', '-'])
            && let Some((k, _)) = l.split_once(':')
        {
            return Some(k.trim().to_string());
        }
        if i <= first {
            return None;
        }
        i -= 1;
    }
}

/// Line and column of `value` in the list or value of front-matter `key`, for errors about the
/// meaning of a value (an unknown slug, a bad date) that YAML parsing itself cannot see.
pub fn locate(source: &Source, key: &str, value: &str) -> (usize, usize) {
    let mut in_key = false;
    let mut key_pos = None;
    for (line_no, l) in (source.front_matter_line..).zip(source.yaml().lines()) {
        let top_level = !l.starts_with([' ', '\t', '-']) && !l.trim().is_empty();
        if top_level {
            in_key = l.split_once(':').is_some_and(|(k, _)| k.trim() == key);
            if in_key && key_pos.is_none() {
                key_pos = Some((line_no, 1));
            }
        }
        if in_key {
            let content = if top_level {
                l.split_once(':').map_or("", |(_, v)| v)
            } else {
                l
            };
            if let Some(at) = find_word(content, value) {
                let base = l.len() - content.len();
                return (line_no, l[..base + at].chars().count() + 1);
            }
        }
    }
    key_pos.unwrap_or((1, 1))
}

fn find_word(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let is_slug_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    haystack.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(is_slug_char) && !after.is_some_and(is_slug_char)
    })
}

fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn noun_cap(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// Checks a `YYYY-MM-DD` date, returning (year, month, day).
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i32 = s[0..4].parse().ok()?;
    let month: u32 = s[5..7].parse().ok()?;
    let day: u32 = s[8..10].parse().ok()?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some((year, month, day))
}

/// "14 Jan 2026"
pub fn format_date((year, month, day): (i32, u32, u32)) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{day} {} {year}",
        MONTHS[(month as usize).saturating_sub(1) % 12]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn source(text: &str) -> Source {
        Source::parse(Path::new("content/essays/a.md"), text).unwrap()
    }

    /// Every problem of front matter that does not parse cleanly.
    fn problems<T: DeserializeOwned>(kind: Kind, path: &Path, s: &Source) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let _ = parse::<T>(kind, path, s, &mut problems);
        assert!(!problems.is_empty(), "parsed cleanly");
        problems
    }

    fn problem<T: DeserializeOwned>(kind: Kind, path: &Path, s: &Source) -> Diagnostic {
        problems::<T>(kind, path, s).remove(0)
    }

    #[test]
    fn every_key_in_error_is_reported_and_the_rest_still_read() {
        let s = source(
            "---\ntitle: Q?\ntitel: B\nterms: trust\nrelated:\n  - [x]\nsession: 2\nsource: {titl: x}\n---\n",
        );
        let mut found = Vec::new();
        let matter =
            parse::<QuestionMatter>(Kind::Question, Path::new("q.md"), &s, &mut found).unwrap();
        let at: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(at[..3], [(3, 1), (4, 8), (6, 5)], "{found:?}");
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(matter.title, "Q?");
        assert_eq!(matter.session, Some(2));
        assert!(matter.terms.is_empty());

        // A required key in error is not reported missing too, and there is no value to read.
        let s = source("---\ntitle: [a]\ntitel: B\n---\n");
        let mut found = Vec::new();
        let matter = parse::<EssayMatter>(Kind::Essay, Path::new("e.md"), &s, &mut found);
        assert!(matter.is_none());
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].message.starts_with("`title`: invalid type"),
            "{found:?}"
        );
        assert!(
            found[1]
                .message
                .starts_with("unknown front-matter key `titel`"),
            "{found:?}"
        );
    }

    #[test]
    fn unknown_key_is_located_and_suggested() {
        let s = source("---\ntitle: A\ntitel: B\n---\n");
        let e = problem::<EssayMatter>(Kind::Essay, Path::new("content/essays/a.md"), &s);
        assert_eq!((e.line, e.col), (3, 1));
        assert_eq!(e.message, "unknown front-matter key `titel` for an essay");
        assert!(e.hint.unwrap().starts_with("did you mean `title`?"));
    }

    #[test]
    fn text_read_as_a_list_says_to_quote_it() {
        let s = source("---\ntitle: [Draft] Notes\n---\n");
        let e = problem::<EssayMatter>(Kind::Essay, Path::new("content/essays/a.md"), &s);
        assert_eq!(e.line, 2);
        assert!(
            e.message.starts_with("`title`: invalid type: sequence"),
            "{}",
            e.message
        );
        assert!(e.hint.unwrap_or_default().contains("put text in quotes"));
    }

    #[test]
    fn plain_string_for_a_list_is_an_error() {
        let s = source("---\ntitle: Q?\nterms: trust\n---\n");
        let e = problem::<QuestionMatter>(Kind::Question, Path::new("q.md"), &s);
        assert_eq!(e.line, 3);
        assert!(
            e.message.starts_with("`terms` must be a list"),
            "{}",
            e.message
        );
    }

    #[test]
    fn locate_finds_list_items() {
        let s = source("---\ntitle: Q?\nterms:\n  - trust\n  - alliance\n---\n");
        assert_eq!(locate(&s, "terms", "alliance"), (5, 5));
        let s = source("---\ntitle: Q?\nterms: [trust, alliance]\n---\n");
        assert_eq!(locate(&s, "terms", "alliance"), (3, 16));
    }

    #[test]
    fn yaml_errors_count_lines_as_the_file_does() {
        // YAML also breaks lines at U+0085 and U+2028; the file's lines do not.
        let s = source("---\ntitle: \"a\u{85}b\u{2028}c\"\nsession: [x\n---\n");
        let d = problem::<EssayMatter>(Kind::Essay, Path::new("content/essays/a.md"), &s);
        assert_eq!((d.line, d.col), (3, 10), "{d}");
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("14 Jan 2024"), None);
        assert_eq!(format_date((2026, 1, 14)), "14 Jan 2026");
    }
}
