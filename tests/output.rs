//! The output folder is replaced whole or not at all. `lectern build` is killed at random
//! moments, most of them while it writes, and the output folder must hold exactly the previous
//! build or exactly the new one every time; the next run clears whatever the killed one left.
//!
//! `cargo test` kills a handful of builds. The long run kills hundreds:
//! `LECTERN_KILLS=300 cargo test --release --test output -- --ignored --nocapture`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TempSite, snapshot_dir, stderr};
use lectern::BuildOptions;

/// A small, seedable generator, so a failing run can be repeated with `LECTERN_SEED`.
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("LECTERN_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        eprintln!("LECTERN_SEED={seed}");
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A site big enough that writing its output takes a while: `essays` cross-linked essays and
/// `statics` small static files.
fn big_site(essays: usize, statics: usize) -> TempSite {
    let site = TempSite::from_fixture("invalid/_base");
    for i in 0..essays {
        let next = (i + 1) % essays;
        site.write(
            &format!("content/essays/essay-{i}.md"),
            &format!(
                "---\ntitle: Essay {i}\nsession: 1\norder: {i}\n---\n\n## Part one\n\n\
                 Trust and epistemic trust, then [[essay-{next}]].\n\n## Part two\n\n{}\n",
                "Words about trust and the people we count on. ".repeat(40)
            ),
        );
    }
    for i in 0..statics {
        site.write(
            &format!("static/assets/{}/file-{i}.txt", i % 20),
            &format!("{i}:").repeat(200),
        );
    }
    site
}

fn set_title(site: &TempSite, title: &str) {
    site.write(
        "site.toml",
        &format!("title = \"{title}\"\nbase_url = \"/\"\n"),
    );
}

/// Names beside the output folder that a build writes while it works; not the spare, the
/// previous output kept on purpose for the next build to start from.
fn leftovers(site: &TempSite) -> Vec<String> {
    std::fs::read_dir(site.root())
        .expect("read site")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".lectern-") && n != SPARE)
        .collect()
}

const SPARE: &str = ".public.lectern-spare";

fn build_to_end(site: &TempSite) -> Duration {
    let started = Instant::now();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    started.elapsed()
}

#[derive(Debug, Default)]
struct Tally {
    kills: usize,
    /// Killed while the staging folder was being written (or the old output removed).
    mid_write: usize,
    /// Killed after the new output was in place.
    swapped: usize,
    /// Killed before the output folder was touched.
    before: usize,
}

/// Kills `kills` builds, alternating the site between two titles so the two possible outputs
/// differ in every page, and checks the output folder after each kill.
fn kill_builds(kills: usize) -> Tally {
    let mut rng = Rng::from_env();
    let site = big_site(150, 2500);
    let out = site.out();
    set_title(&site, "Title A");
    build_to_end(&site);
    let a = snapshot_dir(&out);
    set_title(&site, "Title B");
    let full = build_to_end(&site);
    let b = snapshot_dir(&out);
    assert_ne!(a, b);
    let mut current = "Title B";
    let mut tally = Tally::default();
    for n in 0..kills {
        let next = if current == "Title A" {
            "Title B"
        } else {
            "Title A"
        };
        set_title(&site, next);
        let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .arg("build")
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn lectern build");
        let staging = site
            .root()
            .join(format!(".public.lectern-staging-{}", child.id()));
        // Half the kills land anywhere in the build; the other half once writing has begun.
        if n % 2 == 0 {
            let budget = full.as_micros() as u64 * 12 / 10;
            std::thread::sleep(Duration::from_micros(rng.below(budget)));
        } else {
            let deadline = Instant::now() + full * 3;
            while !staging.exists() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_micros(200));
            }
            std::thread::sleep(Duration::from_micros(rng.below(80_000)));
        }
        let _ = child.kill();
        let _ = child.wait();
        tally.kills += 1;
        let now = snapshot_dir(&out);
        let expected = |t: &str| if t == "Title A" { &a } else { &b };
        if now == *expected(next) {
            current = next;
            tally.swapped += 1;
        } else {
            assert!(
                now == *expected(current),
                "kill {n}: the output is neither the previous build nor the new one ({} files)",
                now.len()
            );
            if leftovers(&site).is_empty() {
                tally.before += 1;
            } else {
                tally.mid_write += 1;
            }
        }
    }
    // The next run clears what the killed ones left, and writes the site as it now stands.
    build_to_end(&site);
    assert_eq!(leftovers(&site), Vec::<String>::new());
    let title = std::fs::read_to_string(site.root().join("site.toml")).expect("site.toml");
    let now = snapshot_dir(&out);
    assert!(
        (title.contains("Title A") && now == a) || (title.contains("Title B") && now == b),
        "the last build wrote the whole site as it stands ({} files)",
        now.len()
    );
    tally
}

#[test]
fn a_killed_build_leaves_the_previous_output_or_the_new_one_never_a_mix() {
    let tally = kill_builds(8);
    eprintln!("{tally:?}");
    assert_eq!(tally.kills, 8);
}

#[test]
#[ignore = "long: hundreds of killed builds; run by hand"]
fn many_killed_builds_never_damage_the_output() {
    let kills = std::env::var("LECTERN_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let started = Instant::now();
    let tally = kill_builds(kills);
    eprintln!("{tally:?} in {:.1} s", started.elapsed().as_secs_f64());
    assert!(
        tally.mid_write > 0,
        "no kill landed while writing: {tally:?}"
    );
}

/// What a build killed between moving the old output aside and putting the new one in place
/// leaves where the folders cannot be exchanged in one step: no output folder, and the previous
/// build under a retired name.
fn killed_mid_swap(site: &TempSite) -> BTreeMap<String, Vec<u8>> {
    site.build();
    let before = snapshot_dir(&site.out());
    let retired: PathBuf = site.root().join(".public.lectern-old-4242");
    std::fs::rename(site.out(), &retired).expect("move aside");
    let staging = site.root().join(".public.lectern-staging-4242");
    std::fs::create_dir_all(staging.join("essays")).expect("mkdir");
    std::fs::write(staging.join("essays/half.html"), "<p>half").expect("write");
    before
}

#[test]
fn a_previous_output_moved_aside_by_a_killed_build_survives_a_failing_build() {
    let site = TempSite::from_fixture("invalid/_base");
    let before = killed_mid_swap(&site);
    site.write(
        "content/essays/broken.md",
        "---\ntitle: Broken\n---\n\n[[nowhere]]\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        snapshot_dir(&site.out()),
        before,
        "the previous output is back"
    );
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn a_previous_output_moved_aside_by_a_killed_build_is_replaced_by_the_next_good_one() {
    let site = TempSite::from_fixture("invalid/_base");
    killed_mid_swap(&site);
    site.write("content/about.md", "---\ntitle: About\n---\n\nNew page.\n");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.out().join("about/index.html").is_file());
    assert!(!site.out().join("essays/half.html").exists());
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn leftovers_of_another_output_folder_are_not_touched() {
    let site = TempSite::from_fixture("invalid/_base");
    let other = site.root().join(".docs.lectern-staging-1");
    std::fs::create_dir_all(&other).expect("mkdir");
    site.build();
    assert!(
        other.is_dir(),
        "only public's leftovers are public's to remove"
    );
    assert!(Path::new(&site.out()).join("index.html").is_file());
}

/// The output a fresh build of `site` writes, in a folder of its own.
fn fresh_build(site: &TempSite) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("fresh");
    let report = lectern::build::build(&site.config(), BuildOptions::default(), &out)
        .unwrap_or_else(|d| panic!("{}", common::render(&d)));
    assert!(report.value.pages > 0);
    snapshot_dir(&out)
}

#[test]
fn the_previous_output_is_kept_as_a_spare_and_the_next_build_starts_from_it() {
    let site = TempSite::from_fixture("invalid/_base");
    site.build();
    assert!(!site.root().join(SPARE).exists(), "nothing to retire yet");
    set_title(&site, "Second");
    site.build();
    let spare = site.root().join(SPARE);
    assert!(
        spare.join("index.html").is_file(),
        "the retired output is the spare"
    );
    // Whatever the spare holds, the next output is exactly what a fresh build writes.
    std::fs::write(spare.join("stale.html"), "<p>stale").expect("write");
    std::fs::write(spare.join("index.html"), "<p>edited").expect("write");
    std::fs::remove_file(spare.join("robots.txt")).expect("remove");
    std::fs::create_dir_all(spare.join("robots.txt")).expect("a folder where a file goes");
    let essays = std::fs::read_dir(spare.join("essays"))
        .expect("essays")
        .flatten()
        .next()
        .expect("an essay folder")
        .path();
    std::fs::remove_dir_all(&essays).expect("remove");
    std::fs::write(&essays, "a file where a folder goes").expect("write");
    set_title(&site, "Third");
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\n\nA new page.\n",
    );
    site.build();
    assert_eq!(snapshot_dir(&site.out()), fresh_build(&site));
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn links_planted_in_the_spare_are_removed_never_followed() {
    let site = TempSite::from_fixture("invalid/_base");
    site.build();
    site.build();
    let spare = site.root().join(SPARE);
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("index.html"), "outside").expect("write");
    // A folder the build writes into, and a file it writes, both made links out of the tree.
    std::fs::remove_dir_all(spare.join("essays")).expect("remove");
    std::os::unix::fs::symlink(outside.path(), spare.join("essays")).expect("symlink");
    std::fs::remove_file(spare.join("index.html")).expect("remove");
    std::os::unix::fs::symlink(outside.path().join("index.html"), spare.join("index.html"))
        .expect("symlink");
    set_title(&site, "After");
    site.build();
    assert_eq!(
        std::fs::read_to_string(outside.path().join("index.html")).expect("read"),
        "outside"
    );
    assert_eq!(std::fs::read_dir(outside.path()).expect("dir").count(), 1);
    let out = site.out();
    for path in snapshot_dir(&out).keys() {
        let meta = std::fs::symlink_metadata(out.join(path)).expect("meta");
        assert!(!meta.file_type().is_symlink(), "{path} is a link");
    }
    assert!(
        std::fs::symlink_metadata(out.join("essays"))
            .expect("meta")
            .is_dir()
    );
    assert_eq!(snapshot_dir(&out), fresh_build(&site));
}

#[test]
fn a_file_the_spare_shares_with_the_live_output_is_replaced_not_written_through() {
    let site = TempSite::from_fixture("invalid/_base");
    // The first rebuild has no spare: it links unchanged files from the output, so the output
    // it retires shares those files with the one it puts in place.
    site.build();
    site.build();
    let live = snapshot_dir(&site.out());
    // The next build changes every page, starting from the spare that shares files with the
    // live output; once it is done, the retired output must be exactly what was live.
    set_title(&site, "Changed everywhere");
    site.build();
    assert_eq!(snapshot_dir(&site.root().join(SPARE)), live);
    assert_eq!(snapshot_dir(&site.out()), fresh_build(&site));
}

/// An output folder that holds a file no build wrote is refused, naming the file, even when it
/// looks like a previous build (`.nojekyll`); `--clean` discards such files on purpose.
#[test]
fn a_file_lectern_did_not_write_is_never_lost() {
    let site = TempSite::from_fixture("invalid/_base");
    std::fs::create_dir_all(site.out()).expect("mkdir");
    std::fs::write(site.out().join(".nojekyll"), "").expect("write");
    std::fs::write(site.out().join("handwritten.html"), "mine").expect("write");
    for _ in 0..2 {
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
        let err = common::stderr(&out);
        assert!(
            err.contains("holds files that lectern did not write: .nojekyll, handwritten.html"),
            "{err}"
        );
        assert!(err.contains("--clean"), "{err}");
        assert_eq!(
            std::fs::read_to_string(site.out().join("handwritten.html")).expect("kept"),
            "mine"
        );
    }
    // A build's own output, listed in its manifest, is replaced without a word.
    let out = site.run(&["build", "--clean"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(!site.out().join("handwritten.html").exists());
    let manifest = std::fs::read_to_string(site.out().join(".lectern-manifest")).expect("manifest");
    assert!(manifest.lines().any(|l| l == "index.html"), "{manifest}");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    // A file added to a previous build's folder is someone's: refused again.
    std::fs::write(site.out().join("essays/notes.txt"), "mine too").expect("write");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(common::stderr(&out).contains("essays/notes.txt"));
}
