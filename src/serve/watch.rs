//! Watching the site's files and rebuilding on change. Events are debounced so that an editor's
//! save (often: write a temporary file, rename it over the original) makes one rebuild.
//!
//! The site root is watched by itself, and content/, themes/ and static/ each recursively. A
//! folder moved away and back, replaced (`rm -rf`, then a copy: git checkouts and sync tools do
//! this) or created after the start is a new folder to the file system: its appearance is seen
//! at the root, and it is watched afresh. The root is not watched recursively, which would also
//! watch the output folder, `.git` and whatever else lives there (and, with `--poll`, read every
//! file in them three times a second).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak, mpsc};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdCache, new_debouncer, new_debouncer_opt,
};

use super::engine::{Engine, SearchJob, with_search};
use super::state::Shared;

/// The site's folders, each watched recursively when it exists.
const FOLDERS: [&str; 3] = ["content", "themes", "static"];

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watcher {
    _watches: Arc<Mutex<dyn Watches>>,
}

/// Long enough to gather an editor's write-then-rename into one batch, short enough not to be
/// noticed.
const DEBOUNCE: Duration = Duration::from_millis(15);

/// After a file or folder came or went, how long to wait for quiet before rebuilding: a
/// checkout, a sync or a `cp -r` is a burst, and a site rebuilt half-copied shows errors that
/// are not there. `SETTLE_LIMIT` bounds the wait, so that a stream of changes still shows.
const SETTLE: Duration = Duration::from_millis(200);
const SETTLE_LIMIT: Duration = Duration::from_secs(2);

/// Adding and removing watched paths, whichever watcher the debouncer drives.
trait Watches: Send {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()>;
    fn unwatch(&mut self, path: &Path) -> notify::Result<()>;
}

impl<W: notify::Watcher + Send, C: FileIdCache + Send> Watches for Debouncer<W, C> {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        Debouncer::watch(self, path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        Debouncer::unwatch(self, path)
    }
}

/// Watches the site at `root` and, on a thread of its own, rebuilds with `engine` after every
/// burst of changes, publishing each result to `shared`.
pub fn start(
    root: &Path,
    poll: bool,
    engine: Engine,
    shared: Arc<Shared>,
) -> notify::Result<Watcher> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let watches: Arc<Mutex<dyn Watches>> = if poll {
        // The poller compares modification times in whole seconds; comparing contents too catches
        // a second save within the same second.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(300))
            .with_compare_contents(true);
        Arc::new(Mutex::new(new_debouncer_opt::<_, notify::PollWatcher, _>(
            DEBOUNCE,
            None,
            tx,
            notify_debouncer_full::FileIdMap::new(),
            config,
        )?))
    } else {
        Arc::new(Mutex::new(new_debouncer(DEBOUNCE, None, tx)?))
    };
    {
        let mut w = watches.lock().unwrap_or_else(PoisonError::into_inner);
        // site.toml is watched through the root, so that an editor replacing it is seen too.
        w.watch(root, RecursiveMode::NonRecursive)?;
        for name in FOLDERS {
            rewatch(&mut *w, root, name)?;
        }
    }
    let rebuilds = Rebuilds {
        root: root.to_path_buf(),
        canonical_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        search: search_worker(Arc::clone(&shared)),
        engine,
        shared,
        watches: Arc::downgrade(&watches),
    };
    std::thread::spawn(move || rebuilds.run(&rx));
    Ok(Watcher { _watches: watches })
}

/// Watches `root/name` afresh, if it is a folder. A folder replaced, or moved away and back,
/// is not the one watched before, so that watch is dropped first (the watcher may have dropped
/// it already: failing to is no error).
fn rewatch(watches: &mut dyn Watches, root: &Path, name: &str) -> notify::Result<()> {
    let dir = root.join(name);
    let _ = watches.unwatch(&dir);
    if !dir.is_dir() {
        return Ok(());
    }
    match watches.watch(&dir, RecursiveMode::Recursive) {
        // Gone again: its return will be seen at the root.
        Err(e) if vanished(&e) => Ok(()),
        other => other,
    }
}

/// Whether a watch error only says that a path is gone, which the events report too.
fn vanished(e: &notify::Error) -> bool {
    match &e.kind {
        notify::ErrorKind::PathNotFound | notify::ErrorKind::WatchNotFound => true,
        notify::ErrorKind::Io(io) => io.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

/// What a burst of events changed.
#[derive(Default)]
struct Changes {
    /// Site-relative paths, files or folders.
    paths: BTreeSet<PathBuf>,
    /// Whether something came or went (rather than only changed), so that more may follow.
    came_or_went: bool,
}

impl Changes {
    /// Adds what `event` changed in the site at `root` (`canonical_root` as the file system
    /// names it).
    fn note(&mut self, event: &notify::Event, canonical_root: &Path, root: &Path) {
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        // The system dropped events (too many at once): anything may have changed.
        if event.need_rescan() {
            self.paths
                .extend(FOLDERS.iter().chain(&["site.toml"]).map(PathBuf::from));
            self.came_or_went = true;
        }
        // A folder's own times change whenever something in it comes or goes, which is reported
        // by itself; a folder matters when it comes, goes or moves.
        let touches_only_times = matches!(
            event.kind,
            EventKind::Modify(
                notify::event::ModifyKind::Data(_) | notify::event::ModifyKind::Metadata(_)
            )
        );
        for path in &event.paths {
            let Some(rel) = relevant(canonical_root, root, path) else {
                continue;
            };
            if !path.is_file() {
                if touches_only_times && path.is_dir() {
                    continue;
                }
                self.came_or_went = true;
            }
            self.paths.insert(rel);
        }
    }
}

/// The rebuild loop's state: it runs on its own thread.
struct Rebuilds {
    root: PathBuf,
    canonical_root: PathBuf,
    engine: Engine,
    shared: Arc<Shared>,
    /// Weak, so that dropping the `Watcher` still stops watching (and so this loop).
    watches: Weak<Mutex<dyn Watches>>,
    search: mpsc::Sender<SearchJob>,
}

impl Rebuilds {
    fn run(mut self, rx: &mpsc::Receiver<DebounceEventResult>) {
        while let Ok(first) = rx.recv() {
            let mut changes = Changes::default();
            self.take(first, &mut changes);
            // Take every batch already waiting: one rebuild for all of them.
            while let Ok(more) = rx.try_recv() {
                self.take(more, &mut changes);
            }
            if changes.came_or_went {
                self.settle(rx, &mut changes);
            }
            if changes.paths.is_empty() {
                continue;
            }
            let changed: Vec<PathBuf> = changes.paths.into_iter().collect();
            self.rewatch_folders(&changed);
            self.rebuild(&changed);
        }
    }

    fn take(&self, batch: DebounceEventResult, changes: &mut Changes) {
        match batch {
            Ok(events) => {
                for event in events {
                    changes.note(&event, &self.canonical_root, &self.root);
                }
            }
            Err(errors) => {
                for e in errors.iter().filter(|e| !vanished(e)) {
                    eprintln!("watch error: {e}");
                }
            }
        }
    }

    /// Takes batches until none has come for `SETTLE` (or for `SETTLE_LIMIT` in all).
    fn settle(&self, rx: &mpsc::Receiver<DebounceEventResult>, changes: &mut Changes) {
        let deadline = Instant::now() + SETTLE_LIMIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(SETTLE.min(left)) {
                Ok(batch) => self.take(batch, changes),
                Err(_) => return,
            }
        }
    }

    /// Watches afresh each of the site's folders that came, went or was replaced.
    fn rewatch_folders(&self, changed: &[PathBuf]) {
        let Some(watches) = self.watches.upgrade() else {
            return;
        };
        for name in FOLDERS
            .into_iter()
            .filter(|n| changed.iter().any(|c| c == Path::new(n)))
        {
            let mut w = watches.lock().unwrap_or_else(PoisonError::into_inner);
            if let Err(e) = rewatch(&mut *w, &self.root, name) {
                eprintln!("cannot watch {name}/: {e}");
            }
        }
    }

    fn rebuild(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        let what = describe(changed);
        match self.engine.rebuild(changed) {
            Ok(built) => {
                let (rendered, pages) = (built.rendered, built.pages);
                self.shared.publish(built.base_path, built.files);
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
                        .filter(|d| {
                            d.path()
                                .is_some_and(|p| changed.iter().any(|c| p.starts_with(c)))
                        })
                        .cloned(),
                );
                if !fresh.is_empty() {
                    eprint!("{}", fresh.report());
                }
                if let Some(job) = self.engine.search_job() {
                    let _ = self.search.send(job);
                }
            }
            Err(failure) => {
                let report = failure.diagnostics.report();
                eprint!("{report}");
                eprintln!(
                    "build failed after {} ms ({what}); still serving the last good build",
                    started.elapsed().as_millis()
                );
                self.shared.fail(report);
            }
        }
    }
}

const SEARCH_QUIET: Duration = Duration::from_millis(800);

/// A thread that rebuilds the search index after each good build, so that a slow index never
/// holds up the pages. Only the newest build's index is made.
fn search_worker(shared: Arc<Shared>) -> mpsc::Sender<SearchJob> {
    let (tx, rx) = mpsc::channel::<SearchJob>();
    // Threads of its own, below the rebuilds': a save while the index is being built gets the
    // processor at once, instead of queueing its work behind the index's in one shared pool.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(|i| format!("lectern-search-{i}"))
        .start_handler(|_| yield_to_rebuilds())
        .build()
        .ok();
    std::thread::spawn(move || {
        while let Ok(mut job) = rx.recv() {
            // Wait for a pause in the saves: the index takes both cores for a while on a large
            // site, and the next rebuild of the pages must not queue behind it.
            while let Ok(newer) = rx.recv_timeout(SEARCH_QUIET) {
                job = newer;
            }
            let (old, fresh) = match &pool {
                Some(pool) => pool.install(|| job.run()),
                None => job.run(),
            };
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

/// Lowers the calling thread's priority, where the system allows it (on Linux a thread has a nice
/// value of its own): the search index waits while a rebuild runs.
fn yield_to_rebuilds() {
    #[cfg(target_os = "linux")]
    {
        let tid = rustix::thread::gettid();
        let _ = rustix::process::setpriority_process(Some(tid), 10);
    }
}

/// The site-relative path of a change worth a rebuild (a file, or a folder of the site), or
/// `None` for output, hidden and editor scratch files.
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
        // The folders themselves too: one that comes, goes or is replaced.
        "content" | "themes" | "static" => {}
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

    fn noted(root: &Path, events: &[(EventKind, &str)]) -> Changes {
        let mut changes = Changes::default();
        for (kind, rel) in events {
            let event = notify::Event::new(*kind).add_path(root.join(rel));
            changes.note(&event, root, root);
        }
        changes
    }

    #[test]
    fn a_folder_counts_when_it_comes_or_goes_not_when_its_times_change() {
        use notify::event::{CreateKind, MetadataKind, ModifyKind, RemoveKind, RenameMode};
        let site = tempfile::tempdir().expect("tempdir");
        let root = site.path();
        std::fs::create_dir_all(root.join("content/essays")).expect("mkdir");
        std::fs::write(root.join("content/essays/a.md"), "a").expect("write");

        let times = EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime));
        let changes = noted(root, &[(times, "content/essays")]);
        assert!(changes.paths.is_empty() && !changes.came_or_went);

        let edit = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any));
        let changes = noted(root, &[(edit, "content/essays/a.md")]);
        assert_eq!(changes.paths, [PathBuf::from("content/essays/a.md")].into());
        assert!(!changes.came_or_went, "an edit needs no wait");

        for (kind, rel) in [
            (EventKind::Create(CreateKind::Folder), "content"),
            (
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                "content/essays",
            ),
            (EventKind::Remove(RemoveKind::Folder), "static"),
            (
                EventKind::Remove(RemoveKind::File),
                "content/essays/gone.md",
            ),
        ] {
            let changes = noted(root, &[(kind, rel)]);
            assert_eq!(changes.paths, [PathBuf::from(rel)].into(), "{rel}");
            assert!(changes.came_or_went, "{rel}");
        }
    }

    #[test]
    fn dropped_events_mean_everything_may_have_changed() {
        let root = Path::new("/site");
        let mut changes = Changes::default();
        let event = notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        changes.note(&event, root, root);
        let expected: BTreeSet<PathBuf> = ["content", "site.toml", "static", "themes"]
            .into_iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(changes.paths, expected);
    }

    #[test]
    fn editor_scratch_files_and_output_are_ignored() {
        let root = Path::new("/site");
        let r = |p: &str| relevant(root, root, Path::new(p));
        assert_eq!(
            r("/site/content/essays/a.md"),
            Some(PathBuf::from("content/essays/a.md"))
        );
        assert_eq!(r("/site/site.toml"), Some(PathBuf::from("site.toml")));
        assert_eq!(r("/site/content"), Some(PathBuf::from("content")));
        assert_eq!(r("/site/static"), Some(PathBuf::from("static")));
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
            "/site/.git/index",
            "/site/site.toml~",
            "/site/content.md",
        ] {
            assert_eq!(r(ignored), None, "{ignored}");
        }
    }
}
