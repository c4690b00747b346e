//! Typed front matter for each kind of content, parsed strictly: unknown keys, wrong types and
//! missing required keys are errors that point at the file's own line (see `yaml`), and each
//! kind's keys are converted here into the fields an `Item` holds.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::source::Source;
use super::yaml;
use super::{Kind, Meta};
use crate::config::Autolink;
use crate::diagnostics::Diagnostic;
use crate::text::smarten;

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

/// An essay's `source`: the key of a bibliography entry, or the work spelt out.
#[derive(Debug, Clone, PartialEq)]
pub enum EssaySource {
    Key(String),
    Work(Citation),
}

impl<'de> Deserialize<'de> for EssaySource {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = EssaySource;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a bibliography key, or a work with `title` and optionally `author`, `url` and `year`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<EssaySource, E> {
                Ok(EssaySource::Key(v.trim().to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<EssaySource, A::Error> {
                let d = serde::de::value::MapAccessDeserializer::new(map);
                Citation::deserialize(d).map(EssaySource::Work)
            }
        }
        d.deserialize_any(Visit)
    }
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
    pub source: Option<EssaySource>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub autolink: Option<Autolink>,
    #[serde(default)]
    pub image: Option<String>,
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
    #[serde(default)]
    pub image: Option<String>,
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
    #[serde(default)]
    pub image: Option<String>,
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
    /// The time the session starts, `HH:MM`, and how long it lasts in minutes.
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub duration: Option<u32>,
    #[serde(default)]
    pub autolink: Option<Autolink>,
    #[serde(default)]
    pub image: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    pub title: String,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub autolink: Option<Autolink>,
    #[serde(default)]
    pub image: Option<String>,
}

/// The keys each kind accepts, for hints.
pub fn known_keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Essay => &[
            "title", "author", "date", "summary", "session", "order", "tags", "source", "draft",
            "autolink", "image",
        ],
        Kind::Term => &[
            "term", "summary", "aliases", "related", "draft", "autolink", "image",
        ],
        Kind::Question => &[
            "title", "essays", "terms", "related", "session", "order", "kind", "draft", "autolink",
            "image",
        ],
        Kind::Session => &[
            "title",
            "number",
            "date",
            "time",
            "duration",
            "summary",
            "essays",
            "questions",
            "autolink",
            "image",
        ],
        Kind::Page => &["title", "draft", "autolink", "image"],
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

/// A calendar date, checked to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Checks a `YYYY-MM-DD` date.
    pub fn parse(s: &str) -> Option<Date> {
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
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }
}

/// `YYYY-MM-DD`.
impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// What is wrong with a date written YYYY-MM-DD for a day the calendar has not.
fn calendar_hint(text: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let year: i32 = text[0..4].parse().unwrap_or(0);
    let month: usize = text[5..7].parse().unwrap_or(0);
    let Some(name) = month.checked_sub(1).and_then(|m| MONTHS.get(m)) else {
        return format!("there is no month {month}: a year has 12");
    };
    let days = (28..=31)
        .rev()
        .find(|&d| Date::parse(&format!("{year:04}-{month:02}-{d:02}")).is_some())
        .unwrap_or(28);
    format!("{name} {year} has {days} days")
}

/// The fields every kind has, and the kind's own, as an `Item` holds them.
pub struct Fields {
    pub title: String,
    pub draft: bool,
    pub autolink: Option<Autolink>,
    /// The image a shared link to the page shows.
    pub image: Option<String>,
    pub meta: Meta,
}

/// Reads the front matter of `source` as `kind`'s fields, with titles and summaries given the
/// same typographic quotes and dashes as the bodies (so that cards, listings and term matching
/// agree with the prose). Problems go to `problems`; None when not even a partial reading can
/// be had.
pub fn fields(
    kind: Kind,
    path: &Path,
    source: &Source,
    is_home: bool,
    problems: &mut Vec<Diagnostic>,
) -> Option<Fields> {
    let reader = Reader { kind, path, source };
    let fields = match kind {
        Kind::Essay => reader.essay(problems)?,
        Kind::Term => reader.term(problems)?,
        Kind::Question => reader.question(problems)?,
        Kind::Session => reader.session(problems)?,
        Kind::Page => {
            let m: PageMatter = reader.matter(problems)?;
            Fields {
                title: m.title,
                draft: m.draft,
                autolink: m.autolink,
                image: reader.image(m.image, problems),
                meta: Meta::Page { is_home },
            }
        }
    };
    Some(Fields {
        title: smarten(&fields.title),
        ..fields
    })
}

/// One file's front matter being read.
struct Reader<'a> {
    kind: Kind,
    path: &'a Path,
    source: &'a Source,
}

impl Reader<'_> {
    fn matter<T: serde::de::DeserializeOwned>(&self, problems: &mut Vec<Diagnostic>) -> Option<T> {
        yaml::parse(self.kind, self.path, self.source, problems)
    }

    fn essay(&self, problems: &mut Vec<Diagnostic>) -> Option<Fields> {
        let mut m: EssayMatter = self.matter(problems)?;
        if let Some(EssaySource::Work(work)) = &mut m.source
            && let Some(url) = work.url.clone()
            && !crate::text::is_safe_url(&url)
        {
            problems.push(self.unsafe_url("source", &url));
            work.url = None;
        }
        let meta = Meta::Essay {
            author: m.author,
            date: self.date(m.date.as_deref(), problems),
            summary: m.summary.map(|s| smarten(&s)),
            session: m.session,
            order: m.order,
            tags: m.tags,
            source: m.source,
        };
        Some(Fields {
            title: m.title,
            draft: m.draft,
            autolink: m.autolink,
            image: self.image(m.image, problems),
            meta,
        })
    }

    fn term(&self, problems: &mut Vec<Diagnostic>) -> Option<Fields> {
        let m: TermMatter = self.matter(problems)?;
        let meta = Meta::Term {
            summary: smarten(&m.summary),
            aliases: m.aliases,
            related: m.related,
        };
        Some(Fields {
            title: m.term,
            draft: m.draft,
            autolink: m.autolink,
            image: self.image(m.image, problems),
            meta,
        })
    }

    fn question(&self, problems: &mut Vec<Diagnostic>) -> Option<Fields> {
        let m: QuestionMatter = self.matter(problems)?;
        let meta = Meta::Question {
            essays: m.essays,
            terms: m.terms,
            related: m.related,
            session: m.session,
            order: m.order,
            kind: m.kind.filter(|k| !k.trim().is_empty()),
        };
        Some(Fields {
            title: m.title,
            draft: m.draft,
            autolink: m.autolink,
            image: self.image(m.image, problems),
            meta,
        })
    }

    fn session(&self, problems: &mut Vec<Diagnostic>) -> Option<Fields> {
        let m: SessionMatter = self.matter(problems)?;
        let meta = Meta::Session {
            number: m.number,
            date: self.date(m.date.as_deref(), problems),
            summary: m.summary.map(|s| smarten(&s)),
            essays: m.essays,
            questions: m.questions,
            time: self.time(m.time.as_deref(), problems),
            duration: self.duration(m.duration, problems),
        };
        Some(Fields {
            title: m.title,
            draft: false,
            autolink: m.autolink,
            image: self.image(m.image, problems),
            meta,
        })
    }

    /// The error for a URL that a page could not safely link to.
    fn unsafe_url(&self, key: &str, url: &str) -> Diagnostic {
        let (line, col) = locate(self.source, key, url);
        Diagnostic::error(
            self.path,
            line,
            col,
            format!("`{url}` is not a web address: only http://, https://, mailto: and relative URLs are allowed"),
        )
        .with_source(self.source)
        .with_hint("write the full address, e.g. https://example.org/article")
    }

    /// An `image` value: a path from the site root or a web address; anything else is an error.
    fn image(&self, value: Option<String>, problems: &mut Vec<Diagnostic>) -> Option<String> {
        let value = value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())?;
        let web = matches!(
            crate::text::url_scheme(&value).as_deref(),
            Some("http" | "https")
        );
        if web || value.starts_with('/') && !value.starts_with("//") {
            return Some(value);
        }
        let (line, col) = locate(self.source, "image", &value);
        let message = format!("image `{value}` is not a web address or a path from the site root");
        problems.push(
            Diagnostic::error(self.path, line, col, message)
                .with_source(self.source)
                .with_hint("write e.g. `image: /images/cover.png` for static/images/cover.png"),
        );
        None
    }

    /// A session's `time`, `HH:MM` on a 24-hour clock.
    fn time(&self, text: Option<&str>, problems: &mut Vec<Diagnostic>) -> Option<(u8, u8)> {
        let text = text?.trim();
        let parsed = text.split_once(':').and_then(|(h, m)| {
            let ok = h.len() == 2 && m.len() == 2;
            let (h, m) = (h.parse::<u8>().ok()?, m.parse::<u8>().ok()?);
            (ok && h < 24 && m < 60).then_some((h, m))
        });
        if parsed.is_none() {
            let (line, col) = locate(self.source, "time", text);
            let message = format!("`{text}` is not a time of day");
            problems.push(
                Diagnostic::error(self.path, line, col, message)
                    .with_source(self.source)
                    .with_hint("write the start on a 24-hour clock, in quotes: `time: \"18:30\"`"),
            );
        }
        parsed
    }

    /// A session's `duration` in minutes: at least 1, at most a day.
    fn duration(&self, minutes: Option<u32>, problems: &mut Vec<Diagnostic>) -> Option<u32> {
        let minutes = minutes?;
        if (1..=1440).contains(&minutes) {
            return Some(minutes);
        }
        let (line, col) = locate(self.source, "duration", &minutes.to_string());
        problems.push(
            Diagnostic::error(self.path, line, col, format!("a session of {minutes} minutes"))
                .with_source(self.source)
                .with_hint("`duration` is the session's length in minutes, from 1 to 1440, e.g. `duration: 90`"),
        );
        None
    }

    /// A `date` value checked, or None with an error when it is not a date.
    fn date(&self, text: Option<&str>, problems: &mut Vec<Diagnostic>) -> Option<Date> {
        let text = text?;
        let date = Date::parse(text.trim());
        if date.is_none() {
            let (line, col) = locate(self.source, "date", text);
            let d = Diagnostic::error(self.path, line, col, format!("`{text}` is not a date"))
                .with_source(self.source);
            // Written as YYYY-MM-DD but for a day the calendar has not: say so.
            let shaped = text.trim().len() == 10
                && text.trim().bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            problems.push(if shaped {
                d.with_hint(calendar_hint(text.trim()))
            } else {
                d.with_hint("write dates as YYYY-MM-DD, e.g. 2026-01-14")
            });
        }
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source::parse(Path::new("content/essays/a.md"), text).unwrap()
    }

    #[test]
    fn locate_finds_list_items() {
        let s = source("---\ntitle: Q?\nterms:\n  - trust\n  - alliance\n---\n");
        assert_eq!(locate(&s, "terms", "alliance"), (5, 5));
        let s = source("---\ntitle: Q?\nterms: [trust, alliance]\n---\n");
        assert_eq!(locate(&s, "terms", "alliance"), (3, 16));
    }

    #[test]
    fn dates_are_checked() {
        let date = |y, m, d| {
            Some(Date {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(Date::parse("2024-02-29"), date(2024, 2, 29));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::parse("14 Jan 2024"), None);
        assert_eq!(Date::parse("2026-01-14").unwrap().to_string(), "2026-01-14");
    }
}
