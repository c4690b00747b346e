//! site.toml: the site's configuration, validated, with defaults filled in.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{
    Diagnostic, Diagnostics, Warned, did_you_mean, line_col, set_aside_entry, stands_for,
};
use crate::i18n::{Problem, Strings};

mod readers;

mod citation_style;

use citation_style::read_citation_style;
pub use citation_style::{citation_style, citation_styles, style_name};

pub const CONFIG_FILE: &str = "site.toml";

/// How the message about a language without strings begins.
const UNSUPPORTED: &str = "lectern has no interface text for language";

const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "output_dir",
    "autolink",
    "cname",
    "repo_url",
    "repo_branch",
    "timezone",
    "image",
    "citation_style",
    "offline",
];

/// How glossary terms are linked automatically in prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Autolink {
    /// The first mention of each term on a page.
    #[default]
    First,
    /// Every mention.
    All,
    Off,
}

impl<'de> Deserialize<'de> for Autolink {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bool(false) => Ok(Autolink::Off),
            Raw::Bool(true) => Ok(Autolink::First),
            Raw::Text(s) => match s.as_str() {
                "first" => Ok(Autolink::First),
                "all" => Ok(Autolink::All),
                "off" => Ok(Autolink::Off),
                other => Err(serde::de::Error::custom(format!(
                    "autolink must be \"first\", \"all\" or \"off\" (or false), not \"{other}\""
                ))),
            },
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// Required; checked by hand so that a site.toml without it is still read for its other
    /// problems.
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    output_dir: Option<String>,
    #[serde(default)]
    autolink: Autolink,
    #[serde(default)]
    cname: Option<String>,
    #[serde(default)]
    repo_url: Option<String>,
    #[serde(default)]
    repo_branch: Option<String>,
    #[serde(default)]
    timezone: Option<String>,
    #[serde(default)]
    image: Option<String>,
    citation_style: Option<String>,
    #[serde(default, deserialize_with = "offline_flag")]
    offline: bool,
}

/// `offline`, said plainly when it is not a boolean: TOML's own message speaks of types.
fn offline_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::Boolean(on) => Ok(on),
        toml::Value::String(s) => Err(serde::de::Error::custom(format!(
            "offline must be true or false, without quotes, not \"{s}\""
        ))),
        other => {
            let kind = other.type_str();
            let a = if kind.starts_with(['a', 'i']) {
                "an"
            } else {
                "a"
            };
            Err(serde::de::Error::custom(format!(
                "offline must be true or false, not {a} {kind}"
            )))
        }
    }
}

/// The validated configuration. Templates receive it whole as `config`.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url`: `/` or `/course/`. Every internal URL starts with it.
    pub base_path: String,
    pub language: String,
    pub theme: String,
    pub output_dir: String,
    pub autolink: Autolink,
    pub cname: Option<String>,
    /// The repository holding the site's files (`https://github.com/you/course`), for each
    /// page's "Edit this page" link, and the branch they are on.
    pub repo_url: Option<String>,
    pub repo_branch: String,
    /// The IANA time zone of sessions' times, for `sessions.ics`.
    pub timezone: Option<String>,
    /// The image a shared link shows when a page names none: a path from the site root or a
    /// web address.
    pub image: Option<String>,
    /// The built-in CSL style citations and reference lists are formatted in, by its name in
    /// `citation_styles()`: "apa" unless site.toml names another.
    pub citation_style: String,
    /// Whether a service worker keeps the pages a reader has opened for reading offline.
    pub offline: bool,
    #[serde(skip)]
    pub root: PathBuf,
    /// The interface's words in `language`.
    #[serde(skip)]
    pub strings: std::sync::Arc<Strings>,
    /// Where site.toml's keys are, for messages about their values.
    #[serde(skip)]
    keys: KeyPositions,
}

/// The text of site.toml and where each top-level key and its value start, recorded once while
/// parsing so that later stages can point at a value without reading the file again.
#[derive(Debug, Clone, Default)]
struct KeyPositions {
    text: std::sync::Arc<str>,
    /// Key → (line, column of the key, column of the value), 1-based.
    at: Vec<(String, usize, usize, usize)>,
}

impl KeyPositions {
    fn new(text: &str) -> KeyPositions {
        let mut at = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if !starts_entry(line) || line.trim_start().starts_with('[') {
                continue;
            }
            let Some((key, _)) = line.split_once('=') else {
                continue;
            };
            let key_col = line.len() - line.trim_start().len();
            let eq = key.len();
            let after = &line[eq + 1..];
            let value = eq + 1 + after.len() - after.trim_start().len();
            let key = key.trim().trim_matches('"').to_string();
            at.push((
                key,
                i + 1,
                line[..key_col].chars().count() + 1,
                line[..value].chars().count() + 1,
            ));
        }
        KeyPositions {
            text: text.into(),
            at,
        }
    }

    fn find(&self, key: &str) -> Option<&(String, usize, usize, usize)> {
        self.at.iter().find(|(k, ..)| k == key)
    }
}

impl Config {
    /// An error in site.toml at `key`'s line (column 1), or at the top when the key is not
    /// written there.
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let line = self.keys.find(key).map_or(1, |k| k.1);
        Diagnostic::error(CONFIG_FILE, line, 1, message).with_source(&self.keys.text)
    }

    /// An error in site.toml at `key`'s value.
    pub fn error_at_value(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.keys.find(key).map_or((1, 1), |k| (k.1, k.3));
        Diagnostic::error(CONFIG_FILE, line, col, message).with_source(&self.keys.text)
    }

    /// Whether site.toml sets `key`.
    pub fn sets(&self, key: &str) -> bool {
        self.keys.find(key).is_some()
    }

    /// Reads `site.toml` under `root`. `Err` only when not even a partial configuration can be
    /// had; problems with single keys come as errors beside a configuration that leaves those
    /// keys at their defaults, so that the site's content is still checked.
    pub fn load(root: &Path) -> Result<Warned<Config>, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                let d = Diagnostic::error(CONFIG_FILE, 1, 1, "there is no site.toml here");
                d.with_hint(format!(
                    "is `{}` a lectern site? Create one with `lectern init DIR`, or pass --root",
                    root.display()
                ))
            } else {
                Diagnostic::error(CONFIG_FILE, 1, 1, format!("cannot read {CONFIG_FILE}: {e}"))
            }
        })?;
        let mut config = Config::parse(&text)?;
        config.value.root = root.to_path_buf();
        // The site's theme may replace a language's strings, or add a language.
        let own = Path::new("themes").join(&config.value.theme).join("i18n");
        if root.join(own).is_dir() {
            let Warned { value, diagnostics } = config;
            let mut problems: Vec<Diagnostic> = diagnostics
                .into_iter()
                .filter(|d| !d.message.starts_with(UNSUPPORTED))
                .collect();
            let strings = value.strings_for(Some(root), &mut problems);
            config = Warned::new(
                Config {
                    strings: std::sync::Arc::new(strings),
                    ..value
                },
                problems.into_iter().collect(),
            );
        }
        Ok(config)
    }

    /// The interface strings for this configuration's language and theme (the site's files
    /// under `root`, else the built-in ones); English, and a problem, when there are none.
    fn strings_for(&self, root: Option<&Path>, problems: &mut Vec<Diagnostic>) -> Strings {
        match Strings::load(root, &self.theme, &self.language) {
            Ok(strings) => strings,
            Err(Problem::Unsupported { supported }) => {
                problems.push(
                    self.error_at_value(
                        "language",
                        format!("{UNSUPPORTED} `{}`", self.language),
                    )
                    .with_hint(format!(
                        "the supported languages are {}; add themes/{}/i18n/{}.toml for another",
                        supported.join(", "),
                        self.theme,
                        self.language.to_ascii_lowercase()
                    )),
                );
                Strings::default()
            }
            Err(Problem::File(diags)) => {
                problems.extend(diags);
                Strings::default()
            }
        }
    }

    /// Parses the text of a `site.toml`. A key in error is set aside and the rest read again,
    /// so that every problem is found at once.
    pub fn parse(text: &str) -> Result<Warned<Config>, Diagnostics> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut problems = Vec::new();
        let (mut raw, set_aside) = read_raw(text, &mut problems)?;
        let reader_keys = readers::Keys::take(&mut raw);
        let title = match raw.title {
            Some(title) => title,
            None => {
                // A misspelt `title` is reported once, as the unknown key it is.
                if !stands_for(&set_aside, KNOWN_KEYS, "title") {
                    problems.push(
                        Diagnostic::error(CONFIG_FILE, 1, 1, "site.toml needs a `title`")
                            .with_hint("add a line such as: title = \"My reading guide\""),
                    );
                }
                String::new()
            }
        };
        let keys = KeyPositions::new(text);
        let at_key = |key: &str, message: String| {
            let (line, col) = keys.find(key).map_or((1, 1), |k| (k.1, k.2));
            Diagnostic::error(CONFIG_FILE, line, col, message).with_source(text)
        };
        let mut theme = raw.theme.unwrap_or_else(|| "default".to_string());
        if !is_folder_name(&theme) {
            problems.push(
                at_key("theme", format!("theme `{theme}` is not a folder name")).with_hint(
                    "a theme is a folder under themes/, named without `/`: theme = \"default\"",
                ),
            );
            theme = "default".to_string();
        }
        let mut base_url = raw.base_url.unwrap_or_else(|| "/".to_string());
        if let Err(message) = base_path(&base_url) {
            problems.push(at_key("base_url", message).with_hint(
                "write a full URL such as \"https://user.github.io/course/\", or \"/\"",
            ));
            base_url = "/".to_string();
        }
        let cname = raw.cname.filter(|c| !c.trim().is_empty());
        if let Some(d) = cname.as_deref().and_then(|c| cname_problem(c, &at_key)) {
            problems.push(d);
        }
        let citation_style = read_citation_style(raw.citation_style.as_deref(), &keys, text)
            .unwrap_or_else(|d| {
                problems.push(d);
                "apa".to_string()
            });
        let mut config = Config {
            title,
            description: raw.description,
            base_path: String::new(),
            base_url: String::new(),
            language: raw.language.unwrap_or_else(|| "en".to_string()),
            theme,
            output_dir: raw.output_dir.unwrap_or_else(|| "public".to_string()),
            autolink: raw.autolink,
            cname: cname.filter(|c| is_host_name(c.trim())),
            repo_url: None,
            repo_branch: "main".to_string(),
            timezone: None,
            image: None,
            citation_style,
            offline: raw.offline,
            root: PathBuf::new(),
            strings: std::sync::Arc::default(),
            keys,
        };
        readers::apply(&mut config, &reader_keys, &mut problems);
        // The base URL was checked above, so this cannot fail.
        let mut config = config
            .with_base_url(&base_url)
            .map_err(|m| Diagnostic::error(CONFIG_FILE, 1, 1, m))?;
        config.strings = std::sync::Arc::new(config.strings_for(None, &mut problems));
        Ok(Warned::new(config, problems.into_iter().collect()))
    }

    /// Replaces the base URL (from `--base-url` or site.toml), normalising its trailing slash.
    pub fn with_base_url(mut self, url: &str) -> Result<Config, String> {
        let url = url.trim();
        let path = base_path(url)?;
        let with_slash = |s: &str| {
            if s.ends_with('/') {
                s.to_string()
            } else {
                format!("{s}/")
            }
        };
        self.base_url = with_slash(url);
        self.base_path = with_slash(&path);
        Ok(self)
    }

    /// Whether the base URL names a host (`https://…`), so that absolute URLs can be made.
    pub fn has_host(&self) -> bool {
        self.base_url.starts_with("https://") || self.base_url.starts_with("http://")
    }

    /// The absolute form of a site path, for the sitemap and canonical links.
    pub fn permalink(&self, path: &str) -> String {
        let tail = path.strip_prefix(&self.base_path).unwrap_or(path);
        format!("{}{}", self.base_url, tail.trim_start_matches('/'))
    }
}

/// The site path of a base URL (`https://host/course` → `/course`), or why it cannot be one.
pub fn base_path(url: &str) -> Result<String, String> {
    let url = url.trim();
    let path = if url.starts_with('/') {
        url.to_string()
    } else if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        match rest.find('/') {
            Some(i) if i > 0 => rest[i..].to_string(),
            None if !rest.is_empty() => "/".to_string(),
            _ => return Err(format!("base_url `{url}` has no host")),
        }
    } else {
        return Err(format!(
            "base_url `{url}` must start with http://, https:// or /"
        ));
    };
    if path.contains(['?', '#', ' ', '\\']) || path.split('/').any(|s| s == "..") {
        return Err(format!(
            "base_url `{url}` has characters that cannot be part of a site path"
        ));
    }
    Ok(path)
}

fn toml_diagnostic(text: &str, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_string();
    if e.span().is_none() && message.contains("recursion limit") {
        return too_deep(text);
    }
    let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    let plain = match unknown {
        Some(key) => format!("unknown key `{key}`"),
        None if message.starts_with("invalid basic string") => {
            "this text has no closing `\"`".to_string()
        }
        None => message.clone(),
    };
    let d = Diagnostic::error(CONFIG_FILE, line, col, plain).with_source(text);
    if let Some(unknown) = unknown {
        let known = format!("site.toml accepts: {}", KNOWN_KEYS.join(", "));
        d.with_hint(match did_you_mean(unknown, KNOWN_KEYS.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? {known}"),
            None => known,
        })
    } else if message.contains("missing field `title`") {
        d.with_hint("add a line such as: title = \"My reading guide\"")
    } else if ["invalid", "expected", "unclosed", "unterminated"]
        .iter()
        .any(|p| message.starts_with(p))
    {
        d.with_hint("site.toml holds `key = value` lines, with text in double quotes")
    } else {
        d
    }
}

/// The error for keys nested past what the TOML reader follows, at the most deeply dotted key
/// (TOML names no place for it).
fn too_deep(text: &str) -> Diagnostic {
    let dots = |line: &str| {
        line.split('=')
            .next()
            .unwrap_or_default()
            .matches('.')
            .count()
    };
    let (index, _) = text
        .lines()
        .enumerate()
        .max_by_key(|(i, line)| (dots(line), std::cmp::Reverse(*i)))
        .unwrap_or((0, ""));
    Diagnostic::error(CONFIG_FILE, index + 1, 1, "a key is nested too deeply")
        .with_source(text)
        .with_hint("site.toml's keys are plain names such as `title` and `base_url`; each `.` in a key opens a table inside a table")
}

/// site.toml's keys as TOML gives them: a key in error is set aside and the rest read again, so
/// that every problem is found at once (returned with the keys set aside). `Err` for TOML that
/// cannot be read at all.
fn read_raw(
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> Result<(RawConfig, Vec<String>), Diagnostics> {
    let mut readable = text.to_string();
    let mut set_aside: Vec<String> = Vec::new();
    loop {
        let e = match toml::from_str(&readable) {
            Ok(raw) => return Ok((raw, set_aside)),
            Err(e) => e,
        };
        problems.push(toml_diagnostic(text, &e));
        // A value in error can be set aside; broken TOML cannot.
        let recoverable = toml::from_str::<toml::Table>(&readable).is_ok();
        let Some(key) = recoverable
            .then(|| set_aside_entry(&mut readable, e.span()?.start, starts_entry, '='))
            .flatten()
        else {
            return Err(std::mem::take(problems).into_iter().collect());
        };
        set_aside.push(key);
    }
}

/// Whether a line of site.toml starts an entry: `key = …` or a `[table]` header. Other lines
/// (a multi-line array or string running on, comments, blanks) belong to the entry above.
fn starts_entry(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with('[') && !l.contains('=')
        || l.split_once('=').is_some_and(|(k, _)| {
            let k = k.trim().trim_matches('"');
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        })
}

/// The error for a `cname` that is not a host name, if it is not.
fn cname_problem(c: &str, at_key: &dyn Fn(&str, String) -> Diagnostic) -> Option<Diagnostic> {
    (!is_host_name(c.trim())).then(|| {
        at_key("cname", format!("cname `{c}` is not a host name"))
            .with_hint("write the domain alone, e.g. cname = \"guide.example.org\"")
    })
}

/// A domain such as `guide.example.org`: labels of letters, digits and inner hyphens.
fn is_host_name(name: &str) -> bool {
    name.len() <= 253
        && name.contains('.')
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// One plain part of a path: themes live under themes/ and nowhere else.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', ':', '\0'])
}

#[cfg(test)]
mod tests;
