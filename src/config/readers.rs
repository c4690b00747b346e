//! The site.toml keys that serve readers beyond the pages: the repository a page's "Edit this
//! page" link points into, the time zone of the group's calendar, and the default image a shared
//! link shows.

use super::Config;
use crate::diagnostics::Diagnostic;
use crate::text::url_scheme;

fn is_web(url: &str) -> bool {
    matches!(url_scheme(url).as_deref(), Some("http" | "https"))
}

/// The reader keys as site.toml gives them.
pub(super) struct Keys {
    pub repo_url: Option<String>,
    pub repo_branch: Option<String>,
    pub timezone: Option<String>,
    pub image: Option<String>,
}

impl Keys {
    /// The reader keys, taken out of what site.toml gave.
    pub(super) fn take(raw: &mut super::RawConfig) -> Keys {
        Keys {
            repo_url: raw.repo_url.take(),
            repo_branch: raw.repo_branch.take(),
            timezone: raw.timezone.take(),
            image: raw.image.take(),
        }
    }
}

fn trimmed(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The validated reader settings of `raw`, written into `config`; problems go to `problems`.
pub(super) fn apply(config: &mut Config, raw: &Keys, problems: &mut Vec<Diagnostic>) {
    if let Some(url) = trimmed(&raw.repo_url) {
        if is_web(url) {
            config.repo_url = Some(url.trim_end_matches('/').to_string());
        } else {
            let message = format!("repo_url `{url}` is not a web address");
            problems.push(config.error_at_value("repo_url", message).with_hint(
                "write the repository's address, e.g. repo_url = \"https://github.com/you/course\"",
            ));
        }
    }
    if let Some(branch) = raw.repo_branch.as_deref().map(str::trim) {
        let plain = !branch.is_empty()
            && !branch.contains(char::is_whitespace)
            && !branch.contains("..")
            && !branch.starts_with('/');
        if plain {
            config.repo_branch = branch.to_string();
        } else {
            let message = format!("repo_branch `{branch}` is not a branch name");
            problems.push(config.error_at_value("repo_branch", message).with_hint(
                "write the branch the site's files are on, e.g. repo_branch = \"main\"",
            ));
        }
    }
    if let Some(zone) = trimmed(&raw.timezone) {
        if jiff::tz::TimeZone::get(zone).is_ok() {
            config.timezone = Some(zone.to_string());
        } else {
            let message = format!("timezone `{zone}` is not a time zone name");
            problems.push(config.error_at_value("timezone", message).with_hint(
                "use an IANA name such as \"Europe/London\", \"America/New_York\" or \"UTC\"",
            ));
        }
    }
    if let Some(image) = trimmed(&raw.image) {
        if url_scheme(image).is_none() && image.starts_with('/') || is_web(image) {
            config.image = Some(image.to_string());
        } else {
            let message =
                format!("image `{image}` is not a web address or a path from the site root");
            problems.push(config.error_at_value("image", message).with_hint(
                "write e.g. image = \"/images/cover.png\" for static/images/cover.png, or https://…",
            ));
        }
    }
}
