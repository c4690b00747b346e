//! The build's stages, timed one by one on a generated course: `cargo bench --bench stages`.
//! `LECTERN_BENCH_ITEMS` sets the course's size (default 1,000 items); the whole build, against
//! Hugo, is benches/compare.sh.

#[path = "corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use lectern::render::Theme;
use lectern::{BuildOptions, Config};

fn items() -> usize {
    std::env::var("LECTERN_BENCH_ITEMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000)
}

fn stages(c: &mut Criterion) {
    let items = items();
    let dir = tempfile::tempdir().expect("tempdir");
    corpus::generate(dir.path(), items, &corpus::Options::default()).expect("generate course");
    let config = Config::load(dir.path()).expect("site.toml");
    let theme = Theme::load(&config.value).expect("theme");
    let corpus = lectern::content::load(&config.value);
    assert!(
        !corpus.diagnostics.has_errors(),
        "the generated course loads"
    );
    let corpus = corpus.value;
    // The generated course has no images.
    let assets = lectern::site::Assets::default();
    let site = lectern::links::resolve(
        corpus.clone(),
        &config.value,
        BuildOptions::default(),
        None,
        &assets,
    )
    .expect("the generated course resolves")
    .value
    .site;

    let mut group = c.benchmark_group(format!("{items} items"));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("load", |b| {
        b.iter(|| black_box(lectern::content::load(&config.value)));
    });
    group.bench_function("resolve", |b| {
        b.iter_batched(
            || corpus.clone(),
            |corpus| {
                black_box(lectern::links::resolve(
                    corpus,
                    &config.value,
                    BuildOptions::default(),
                    None,
                    &assets,
                ))
            },
            BatchSize::LargeInput,
        );
    });
    group.bench_function("render", |b| {
        b.iter(|| black_box(lectern::render::render_all(&site, &theme)));
    });
    group.bench_function("index", |b| {
        b.iter(|| black_box(lectern::search::build_index(&site)));
    });
    group.bench_function("build", |b| {
        let out = dir.path().join("public");
        b.iter(|| black_box(lectern::build(&config, BuildOptions::default(), &out)));
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
