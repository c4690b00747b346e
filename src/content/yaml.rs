//! Reading front matter as YAML: one mistake does not hide the next, and YAML's own messages
//! become messages about the file's keys, at the file's own line and column.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::Kind;
use super::front_matter::known_keys;
use super::source::Source;
use super::yaml_limits::{ALIAS_BUDGET, Limit, MAX_DEPTH};
use crate::diagnostics::{Diagnostic, did_you_mean, set_aside_entry, stands_for};
use crate::text::{capitalize, with_article};

const LIST_KEYS: &[&str] = &["tags", "aliases", "related", "essays", "terms", "questions"];

/// YAML's messages about a key that can be set aside and the rest read again.
const RECOVERABLE: [&str; 6] = [
    "unknown field",
    "invalid type",
    "invalid value",
    "invalid length",
    "unknown variant",
    "expected a sequence",
];

/// Deserialises the front matter of `source` as `T`, with YAML errors mapped to file positions
/// and pushed to `problems`. A key in error is set aside and the rest read again, so that one
/// mistake does not hide the next: the value returned lacks the keys in error. None when the YAML
/// itself is broken or a required key is missing.
pub fn parse<T: DeserializeOwned>(
    kind: Kind,
    path: &Path,
    source: &Source,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    if let Err(limit) = super::yaml_limits::check(source.yaml()) {
        problems.push(limit_diagnostic(path, source, &limit));
        return None;
    }
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
        problems.push(diagnostic(kind, path, source, &e));
        let recoverable = RECOVERABLE.iter().any(|p| message.contains(p));
        let key = recoverable
            .then(|| set_aside_entry(&mut yaml, e.location()?.index(), starts_entry, ':'))
            .flatten()?;
        set_aside.push(key);
    }
}

/// The error for front matter past one of the reader's limits.
fn limit_diagnostic(path: &Path, source: &Source, limit: &Limit) -> Diagnostic {
    let (offset, message, hint) = match *limit {
        Limit::TooDeep(at) => (
            at,
            format!("front matter nests `[` or `{{` more than {MAX_DEPTH} deep"),
            "YAML reads a value that starts with `[` or `{` as a list or a mapping: put text in quotes",
        ),
        Limit::AliasesTooLarge(at) => (
            at,
            format!(
                "front matter's aliases stand for more than {} KB of text",
                ALIAS_BUDGET / 1024
            ),
            "each `*name` repeats the whole value anchored by `&name`: write the values out instead",
        ),
    };
    let (line, col) = source.line_col(source.front_matter.start + offset);
    Diagnostic::error(path, line, col, message)
        .with_source(source)
        .with_hint(hint)
}

/// A key's entry starts at the line's start; list items, comments and nested keys belong to the
/// entry above.
fn starts_entry(line: &str) -> bool {
    !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty() && line.contains(':')
}

fn diagnostic(kind: Kind, path: &Path, source: &Source, e: &serde_yaml::Error) -> Diagnostic {
    if let Some(d) = tab_diagnostic(path, source, e) {
        return d;
    }
    // From the byte offset rather than YAML's own line count, which also breaks lines at U+0085,
    // U+2028 and U+2029 and so would point past the file's real lines.
    let (line, col) = match e.location() {
        Some(loc) => {
            let offset = source.front_matter.start + loc.index().min(source.yaml().len());
            crate::diagnostics::line_col(&source.text, offset)
        }
        None => (1, 1),
    };
    let (message, hint) = explain(kind, source, line, &core_message(e));
    let d = Diagnostic::error(path, line, col, message).with_source(source);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// YAML refuses a tab where it expects indentation, with a message about tokens and a caret at
/// the line's start: say what is wrong, at the tab.
fn tab_diagnostic(path: &Path, source: &Source, e: &serde_yaml::Error) -> Option<Diagnostic> {
    let message = e.to_string();
    if !message.contains("cannot start any token") && !message.contains("tab character") {
        return None;
    }
    let offset = source.front_matter.start + e.location()?.index().min(source.yaml().len());
    let (line, _) = source.line_col(offset);
    let text = crate::diagnostics::Lines::line(source, line)?;
    let tab = text.find('\t')?;
    let col = text[..tab].chars().count() + 1;
    Some(
        Diagnostic::error(
            path,
            line,
            col,
            "a tab in the front matter: YAML indents with spaces only",
        )
        .with_source(source)
        .with_hint(
            "replace the tab with spaces (your editor may have a setting to insert spaces for Tab)",
        ),
    )
}

/// YAML's message without its position, and from the phrase that says what is wrong (messages
/// about a value come as `key: invalid type: …`; the key is added back by `explain`).
fn core_message(e: &serde_yaml::Error) -> String {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full,
    };
    let phrases = [
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown field",
        "missing field",
        "unknown variant",
    ];
    let start = phrases.iter().find_map(|p| message.find(p)).unwrap_or(0);
    message[start..].to_string()
}

/// What to tell an author for a YAML message: the message about their key, and a hint.
fn explain(kind: Kind, source: &Source, line: usize, message: &str) -> (String, Option<String>) {
    let noun = kind.name();
    if let Some(key) = between(message, "unknown field `", "`") {
        let keys = known_keys(kind);
        let accepts = format!("{} accepts: {}", capitalize(noun), keys.join(", "));
        let hint = match did_you_mean(key, keys.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? {accepts}"),
            None => accepts,
        };
        let message = format!(
            "unknown front-matter key `{key}` for {}",
            with_article(noun)
        );
        return (message, Some(hint));
    }
    if let Some(key) = between(message, "missing field `", "`") {
        let message = format!("{} needs `{key}` in its front matter", with_article(noun));
        return (
            message,
            Some(format!("add `{key}: …` between the `---` lines")),
        );
    }
    if message.contains("expected a sequence") {
        let key = key_at_line(source, line).unwrap_or_default();
        let hint = LIST_KEYS
            .contains(&key.as_str())
            .then(|| format!("`{key}` takes a list: `{key}: [first, second]`"));
        let found = message
            .strip_prefix("invalid type: ")
            .and_then(|rest| rest.split_once(", expected"))
            .map(|(found, _)| found.replacen("string ", "the text ", 1));
        let message = match found {
            Some(found) => format!("`{key}` must be a list, not {found}"),
            None => format!("`{key}` must be a list"),
        };
        return (message, hint);
    }
    if message.starts_with("invalid type: sequence, expected struct")
        || message.starts_with("invalid type: string") && message.contains("expected struct")
    {
        return (
            "front matter must be `key: value` lines".to_string(),
            Some(format!(
                "write the {noun}'s keys one per line between the `---` lines, e.g. `title: …`"
            )),
        );
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let prefix = key_at_line(source, line)
            .map(|k| format!("`{k}`: "))
            .unwrap_or_default();
        if let Some(plain) = plain_type(message) {
            return (format!("{prefix}{plain}"), None);
        }
        // `title: [Draft] Notes` or `title: {x}` reads as a list or a mapping, not as text.
        let read_as_structure = (message.contains("invalid type: sequence")
            || message.contains("invalid type: map"))
            && message.contains("expected a string");
        let hint = read_as_structure.then(|| {
            "YAML reads a value that starts with `[` or `{` as a list or a mapping: put text in quotes, e.g. title: \"[Draft] Notes\"".to_string()
        });
        return (format!("{prefix}{message}"), hint);
    }
    if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
    {
        let hint = "a value that contains `: ` or starts with `[`, `{`, `*` or `&` needs quotes";
        let plain = if message.contains("mapping values are not allowed") {
            "front matter cannot be read: this line has a second `: `, which YAML takes for another key"
                .to_string()
        } else {
            format!("front matter cannot be read: {message}")
        };
        return (plain, Some(hint.to_string()));
    }
    (format!("front matter: {message}"), None)
}

/// A wrong type said in an author's words: "a whole number", "true or false", not Rust's
/// `u32` or `a boolean`.
fn plain_type(message: &str) -> Option<String> {
    let (found, expected) = message
        .strip_prefix("invalid type: ")?
        .split_once(", expected ")?;
    let wanted = match expected.trim() {
        "u32" => "a whole number (1, 2, 3, …)",
        "i64" | "u64" | "i32" => "a whole number",
        "a boolean" => "true or false",
        _ => return None,
    };
    let found = found.replacen("string ", "the text ", 1);
    Some(format!("{found} is not {wanted}"))
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

#[cfg(test)]
mod tests {
    use super::super::front_matter::{EssayMatter, QuestionMatter};
    use super::*;

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
        let at: Vec<(usize, usize)> = found.iter().map(Diagnostic::at).collect();
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
    fn wrong_types_and_tabs_are_said_in_plain_words() {
        let path = Path::new("content/essays/a.md");
        let d = problem::<EssayMatter>(
            Kind::Essay,
            path,
            &source("---\ntitle: A\nsession: \"two\"\n---\n"),
        );
        assert_eq!(
            d.message,
            "`session`: the text \"two\" is not a whole number (1, 2, 3, …)"
        );
        let d = problem::<EssayMatter>(
            Kind::Essay,
            path,
            &source("---\ntitle: A\norder: first\n---\n"),
        );
        assert_eq!(
            d.message,
            "`order`: the text \"first\" is not a whole number"
        );
        let d = problem::<EssayMatter>(
            Kind::Essay,
            path,
            &source("---\ntitle: A\ndraft: yes\n---\n"),
        );
        assert_eq!(d.message, "`draft`: the text \"yes\" is not true or false");
        let d = problem::<EssayMatter>(
            Kind::Essay,
            path,
            &source("---\ntitle: A\n\tsummary: x\n---\n"),
        );
        assert_eq!(
            d.message,
            "a tab in the front matter: YAML indents with spaces only"
        );
        assert_eq!(d.at(), (3, 1));
        let d = problem::<EssayMatter>(
            Kind::Essay,
            path,
            &source("---\ntitle: A\ntags:\n  -\tx\n---\n"),
        );
        assert!(
            d.message.contains("tab") || d.message.contains("tags"),
            "{d}"
        );
    }

    #[test]
    fn unknown_key_is_located_and_suggested() {
        let s = source("---\ntitle: A\ntitel: B\n---\n");
        let e = problem::<EssayMatter>(Kind::Essay, Path::new("content/essays/a.md"), &s);
        assert_eq!(e.at(), (3, 1));
        assert_eq!(e.message, "unknown front-matter key `titel` for an essay");
        assert!(e.hint.unwrap().starts_with("did you mean `title`?"));
    }

    #[test]
    fn text_read_as_a_list_says_to_quote_it() {
        let s = source("---\ntitle: [Draft] Notes\n---\n");
        let e = problem::<EssayMatter>(Kind::Essay, Path::new("content/essays/a.md"), &s);
        assert_eq!(e.at().0, 2);
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
        assert_eq!(e.at().0, 3);
        assert!(
            e.message.starts_with("`terms` must be a list"),
            "{}",
            e.message
        );
    }

    #[test]
    fn yaml_errors_count_lines_as_the_file_does() {
        // YAML also breaks lines at U+0085 and U+2028; the file's lines do not.
        let s = source("---\ntitle: \"a\u{85}b\u{2028}c\"\nsession: [x\n---\n");
        let d = problem::<EssayMatter>(Kind::Essay, Path::new("content/essays/a.md"), &s);
        assert_eq!(d.at(), (3, 10), "{d}");
    }
}
