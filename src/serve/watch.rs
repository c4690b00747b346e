//! Watching the site's files and rebuilding on change. Events are debounced so that an editor's
//! save (often: write a temporary file, rename it over the original) makes one rebuild.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};

use super::engine::{Engine, SearchJob, with_search};
use super::state::Shared;

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watcher {
    _inner: Box<dyn std::any::Any + Send>,
}

/// Long enough to gather an editor's write-then-rename into one batch, short enough not to be
/// noticed.
const DEBOUNCE: Duration = Duration::from_millis(15);

pub fn start(
    root: &Path,
    poll: bool,
    engine: Engine,
    shared: Arc<Shared>,
) -> notify::Result<Watcher> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let targets: Vec<(PathBuf, RecursiveMode)> = [
        ("content", RecursiveMode::Recursive),
        ("themes", RecursiveMode::Recursive),
        ("static", RecursiveMode::Recursive),
    ]
    .into_iter()
    .map(|(d, m)| (root.join(d), m))
    .filter(|(p, _)| p.is_dir())
    .collect();
    // site.toml is watched through its folder, so that an editor replacing it is seen too.
    let watcher: Box<dyn std::any::Any + Send> = if poll {
        // The poller compares modification times in whole seconds; comparing contents too catches
        // a second save within the same second.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(300))
            .with_compare_contents(true);
        let mut d = new_debouncer_opt::<_, notify::PollWatcher, _>(
            DEBOUNCE,
            None,
            tx,
            notify_debouncer_full::FileIdMap::new(),
            config,
        )?;
        for (path, mode) in &targets {
            d.watch(path, *mode)?;
        }
        d.watch(root, RecursiveMode::NonRecursive)?;
        Box::new(d)
    } else {
        let mut d = new_debouncer(DEBOUNCE, None, tx)?;
        for (path, mode) in &targets {
            d.watch(path, *mode)?;
        }
        d.watch(root, RecursiveMode::NonRecursive)?;
        Box::new(d)
    };
    let root = root.to_path_buf();
    std::thread::spawn(move || rebuild_loop(&root, engine, &shared, &rx));
    Ok(Watcher { _inner: watcher })
}

fn rebuild_loop(
    root: &Path,
    mut engine: Engine,
    shared: &Arc<Shared>,
    rx: &mpsc::Receiver<DebounceEventResult>,
) {
    let search = search_worker(Arc::clone(shared));
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    while let Ok(first) = rx.recv() {
        // Take every batch already waiting: one rebuild for all of them.
        let mut batches = vec![first];
        while let Ok(more) = rx.try_recv() {
            batches.push(more);
        }
        let mut changed: Vec<PathBuf> = Vec::new();
        for batch in batches {
            match batch {
                Ok(events) => {
                    for event in events {
                        if matches!(event.kind, notify::EventKind::Access(_)) {
                            continue;
                        }
                        for path in &event.paths {
                            if let Some(rel) = relevant(&canonical_root, root, path)
                                && !changed.contains(&rel)
                            {
                                changed.push(rel);
                            }
                        }
                    }
                }
                Err(errors) => {
                    for e in errors {
                        eprintln!("watch error: {e}");
                    }
                }
            }
        }
        if changed.is_empty() {
            continue;
        }
        changed.sort();
        let started = Instant::now();
        let what = describe(&changed);
        match engine.rebuild(&changed) {
            Ok(built) => {
                let (rendered, pages) = (built.rendered, built.pages);
                shared.publish(built.base_path, built.files);
                eprintln!(
                    "rebuilt in {} ms ({what}): {rendered} of {pages} pages rendered",
                    started.elapsed().as_millis()
                );
                // Warnings about files that did not change were shown before.
                let mut fresh = crate::diagnostics::Diagnostics::new();
                fresh.extend(
                    built
                        .warnings
                        .iter()
                        .filter(|d| d.path().is_some_and(|p| changed.iter().any(|c| c == p)))
                        .cloned(),
                );
                if !fresh.is_empty() {
                    eprint!("{}", fresh.report());
                }
                if let Some(job) = engine.search_job() {
                    let _ = search.send(job);
                }
            }
            Err(failure) => {
                let report = failure.diagnostics.report();
                eprint!("{report}");
                eprintln!(
                    "build failed after {} ms ({what}); still serving the last good build",
                    started.elapsed().as_millis()
                );
                shared.fail(report);
            }
        }
    }
}

const SEARCH_QUIET: Duration = Duration::from_millis(800);

/// A thread that rebuilds the search index after each good build, so that a slow index never
/// holds up the pages. Only the newest build's index is made.
fn search_worker(shared: Arc<Shared>) -> mpsc::Sender<SearchJob> {
    let (tx, rx) = mpsc::channel::<SearchJob>();
    std::thread::spawn(move || {
        while let Ok(mut job) = rx.recv() {
            // Wait for a pause in the saves: the index takes both cores for a while on a large
            // site, and the next rebuild of the pages must not queue behind it.
            while let Ok(newer) = rx.recv_timeout(SEARCH_QUIET) {
                job = newer;
            }
            let (old, fresh) = job.run();
            shared.update(|files| Arc::new(with_search(files, &old, fresh)));
            if let Some(out) = &job.output
                && let Err(e) = crate::build::write_output(out, &shared.files())
            {
                eprintln!("cannot write {}: {e}", out.display());
            }
        }
    });
    tx
}

/// The site-relative path of a change worth a rebuild, or `None` for output, hidden and editor
/// scratch files.
pub fn relevant(canonical_root: &Path, root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path
        .strip_prefix(canonical_root)
        .or_else(|_| path.strip_prefix(root))
        .ok()?;
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?;
    let top_file = parts.next().is_none();
    match first {
        "site.toml" if top_file => {}
        "content" | "themes" | "static" if !top_file => {}
        _ => return None,
    }
    let name = rel.file_name()?.to_str()?;
    let scratch = name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".orig",
            ".crswap",
            ".kate-swp",
        ]
        .iter()
        .any(|e| name.ends_with(e));
    (!scratch).then(|| rel.to_path_buf())
}

fn describe(changed: &[PathBuf]) -> String {
    let shown: Vec<String> = changed
        .iter()
        .take(3)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    match changed.len() {
        n if n > 3 => format!("{} and {} more changed", shown.join(", "), n - 3),
        _ => format!("{} changed", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_scratch_files_and_output_are_ignored() {
        let root = Path::new("/site");
        let r = |p: &str| relevant(root, root, Path::new(p));
        assert_eq!(
            r("/site/content/essays/a.md"),
            Some(PathBuf::from("content/essays/a.md"))
        );
        assert_eq!(r("/site/site.toml"), Some(PathBuf::from("site.toml")));
        assert_eq!(
            r("/site/themes/default/static/style.css"),
            Some(PathBuf::from("themes/default/static/style.css"))
        );
        for ignored in [
            "/site/public/index.html",
            "/site/content/essays/.a.md.swp",
            "/site/content/essays/a.md~",
            "/site/content/essays/4913",
            "/site/content/essays/#a.md#",
            "/site/README.md",
            "/site/content",
        ] {
            assert_eq!(r(ignored), None, "{ignored}");
        }
    }
}
