//! What the preview server holds between rebuilds: the last good site, the current error (if
//! any), and the channel that tells open tabs what changed.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use serde::Serialize;
use tokio::sync::broadcast;

/// The files of one successful build, in memory, by output path (`essays/x/index.html`). The
/// bytes are shared, so that a rebuild keeps unchanged files without copying them.
pub type Files = Arc<BTreeMap<String, Arc<[u8]>>>;

/// A message to open tabs, sent as a Server-Sent Event.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Event {
    /// Pages (their URLs) whose HTML changed; `all` when a shared asset other than CSS changed.
    Reload { pages: Vec<String>, all: bool },
    /// Only stylesheets changed: tabs swap them in place.
    Css { files: Vec<String> },
    /// The site has errors: tabs show them over the page. The text is what the terminal prints.
    Error { text: String },
    /// The errors are fixed.
    Ok,
}

pub struct Shared {
    pub base_path: RwLock<String>,
    pub files: RwLock<Files>,
    pub error: RwLock<Option<String>>,
    pub events: broadcast::Sender<Event>,
}

impl Shared {
    pub fn new(base_path: String, files: Files, error: Option<String>) -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        Arc::new(Shared {
            base_path: RwLock::new(base_path),
            files: RwLock::new(files),
            error: RwLock::new(error),
            events,
        })
    }

    pub fn files(&self) -> Files {
        self.files
            .read()
            .map_or_else(|p| p.into_inner().clone(), |f| f.clone())
    }

    pub fn base_path(&self) -> String {
        self.base_path
            .read()
            .map_or_else(|p| p.into_inner().clone(), |b| b.clone())
    }

    pub fn error(&self) -> Option<String> {
        self.error
            .read()
            .map_or_else(|p| p.into_inner().clone(), |e| e.clone())
    }

    /// Installs a new good build and tells open tabs what changed.
    pub fn publish(&self, base_path: String, files: Files) {
        let old = self.files();
        let old_base = self.base_path();
        let had_error = self.error().is_some();
        if let Ok(mut e) = self.error.write() {
            *e = None;
        }
        if let Ok(mut b) = self.base_path.write() {
            *b = base_path.clone();
        }
        if let Ok(mut f) = self.files.write() {
            *f = files.clone();
        }
        if had_error {
            let _ = self.events.send(Event::Ok);
        }
        if let Some(event) = changes(&old, &files, &old_base, &base_path) {
            let _ = self.events.send(event);
        }
    }

    /// Changes the served files in place (under the lock, so that a rebuild published meanwhile
    /// is not undone), telling tabs what changed.
    pub fn update(&self, change: impl FnOnce(&Files) -> Files) {
        let base = self.base_path();
        let (old, new) = {
            let Ok(mut files) = self.files.write() else {
                return;
            };
            let new = change(&files);
            let old = std::mem::replace(&mut *files, Arc::clone(&new));
            (old, new)
        };
        if let Some(event) = changes(&old, &new, &base, &base) {
            let _ = self.events.send(event);
        }
    }

    /// Keeps the last good build and shows the errors in every open tab.
    pub fn fail(&self, text: String) {
        if let Ok(mut e) = self.error.write() {
            *e = Some(text.clone());
        }
        let _ = self.events.send(Event::Error { text });
    }
}

/// What changed between two builds, as one event (or none when nothing did).
pub fn changes(old: &Files, new: &Files, old_base: &str, base: &str) -> Option<Event> {
    if old_base != base {
        return Some(Event::Reload {
            pages: Vec::new(),
            all: true,
        });
    }
    let mut changed: Vec<&str> = Vec::new();
    for (path, bytes) in new.iter() {
        let same = old
            .get(path)
            .is_some_and(|o| Arc::ptr_eq(o, bytes) || o == bytes);
        if !same {
            changed.push(path);
        }
    }
    for path in old.keys() {
        if !new.contains_key(path) {
            changed.push(path);
        }
    }
    if changed.is_empty() {
        return None;
    }
    if changed.iter().all(|p| p.ends_with(".css")) {
        return Some(Event::Css {
            files: changed.iter().map(|p| format!("{base}{p}")).collect(),
        });
    }
    // Assets other than pages and stylesheets (scripts, images, the search index) may be used
    // by any page: every tab reloads.
    let all = changed
        .iter()
        .any(|p| !p.ends_with(".html") && !p.ends_with(".css") && !p.starts_with("search/"));
    let pages: Vec<String> = changed
        .iter()
        .filter(|p| p.ends_with(".html"))
        .map(|p| page_url(base, p))
        .collect();
    if pages.is_empty() && !all {
        return None;
    }
    Some(Event::Reload { pages, all })
}

/// `essays/x/index.html` → `/base/essays/x/`.
pub fn page_url(base: &str, path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) => format!("{base}{dir}"),
        None => format!("{base}{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Files {
        Arc::new(
            list.iter()
                .map(|(p, b)| (p.to_string(), Arc::from(b.as_bytes())))
                .collect(),
        )
    }

    #[test]
    fn a_changed_page_reloads_only_that_page() {
        let old = files(&[
            ("index.html", "a"),
            ("essays/x/index.html", "b"),
            ("style.css", "c"),
        ]);
        let new = files(&[
            ("index.html", "a"),
            ("essays/x/index.html", "B"),
            ("style.css", "c"),
        ]);
        assert_eq!(
            changes(&old, &new, "/c/", "/c/"),
            Some(Event::Reload {
                pages: vec!["/c/essays/x/".into()],
                all: false
            })
        );
    }

    #[test]
    fn a_stylesheet_change_swaps_css() {
        let old = files(&[("index.html", "a"), ("style.css", "c")]);
        let new = files(&[("index.html", "a"), ("style.css", "C")]);
        assert_eq!(
            changes(&old, &new, "/", "/"),
            Some(Event::Css {
                files: vec!["/style.css".into()]
            })
        );
        assert_eq!(changes(&old, &old, "/", "/"), None);
    }
}
