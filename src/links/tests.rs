//! Link lookup and resolution from an in-memory corpus.

use super::*;
use crate::content::CorpusBuilder;
use crate::markdown::Lookup;

/// An essay and a term that share the slug `care`, a term with aliases, a session, a page, and
/// a question that fails to load.
fn corpus() -> Corpus {
    CorpusBuilder::new()
        .essay("care", "On care", "Care matters; see [[term/care]].")
        .essay("alliance", "The alliance", "Trust and [[reliance]].")
        .term("care", "Care", "Looking after someone.", "")
        .item(
            Kind::Term,
            "trust",
            "term: Trust\nsummary: Counting on someone.\naliases: [Reliance, counting on]",
            "",
        )
        .item(
            Kind::Term,
            "epistemic-trust",
            "term: Epistemic Trust\nsummary: Trust in what others tell.",
            "",
        )
        .item(
            Kind::Session,
            "week-one",
            "title: One\nnumber: 1\nessays: [alliance]",
            "",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\nAbout [[session/1]].",
        )
        .file("content/questions/broken.md", "---\ntitel: Oops\n---\n")
        .build()
        .value
}

#[test]
fn lookup_finds_slugs_names_aliases_and_numbers() {
    let corpus = corpus();
    let names = Names::new(&corpus.items, &corpus.unloaded);
    let slug_of = |reference: &str| match names.lookup(&corpus.items, reference) {
        Lookup::Found(id) => {
            let item = &corpus.items[id.index()];
            format!("{}/{}", item.kind.name(), item.key())
        }
        Lookup::Missing { suggestion } => format!("missing ({suggestion:?})"),
        Lookup::Ambiguous(candidates) => format!("ambiguous {candidates:?}"),
        Lookup::Unloaded => "unloaded".to_string(),
    };
    let table = [
        ("alliance", "essay/alliance"),
        ("essay/care", "essay/care"),
        ("term/care", "term/care"),
        ("care", "ambiguous [\"essay/care\", \"term/care\"]"),
        // Aliases and a term's name resolve, case aside.
        ("reliance", "term/trust"),
        ("Counting On", "term/trust"),
        ("epistemic trust", "term/epistemic-trust"),
        ("term/Reliance", "term/trust"),
        // A session is named by its number, not its file name.
        ("session/1", "session/1"),
        ("week-one", "missing (None)"),
        ("about", "page/about"),
        ("trsut", "missing (Some(\"trust\"))"),
        ("essay/alliace", "missing (Some(\"essay/alliance\"))"),
        // A file that failed to load answers to its names without a second error.
        ("broken", "unloaded"),
        ("question/broken", "unloaded"),
    ];
    for (reference, expected) in table {
        assert_eq!(slug_of(reference), expected, "{reference}");
    }
}

#[test]
fn lookup_by_path_is_relative_to_the_linking_file() {
    let corpus = corpus();
    let names = Names::new(&corpus.items, &corpus.unloaded);
    let from = std::path::Path::new("content/essays/care.md");
    let found = |dest: &str| match names.lookup_path(from, dest) {
        Lookup::Found(id) => corpus.items[id.index()].path.display().to_string(),
        other => format!("{other:?}"),
    };
    assert_eq!(found("alliance.md"), "content/essays/alliance.md");
    assert_eq!(found("../glossary/care.md"), "content/glossary/care.md");
    assert_eq!(found("/glossary/trust.md"), "content/glossary/trust.md");
    assert_eq!(found("../questions/broken.md"), "Unloaded");
    assert_eq!(
        found("../glossary/trsut.md"),
        "Missing { suggestion: Some(\"trust.md\") }"
    );
}

fn config() -> Config {
    Config::parse("title = \"T\"\nbase_url = \"/c/\"\n")
        .expect("site.toml")
        .value
}

#[test]
fn resolution_reports_every_problem_of_the_links() {
    let mut broken = corpus();
    let ambiguous = crate::content::parse_item(
        std::path::Path::new("content/essays/z.md"),
        Kind::Essay,
        "---\ntitle: Z\n---\n[[care]] and [[nowhere]]\n",
    )
    .expect("parses");
    broken.items.push(std::sync::Arc::new(ambiguous));
    let report = resolve(
        broken,
        &config(),
        BuildOptions::default(),
        None,
        &Assets::default(),
    )
    .err()
    .expect("errors")
    .report();
    assert!(
        report.contains("content/essays/z.md:4:1: error: `[[care]]` is ambiguous"),
        "{report}"
    );
    assert!(
        report.contains("write `[[essay/care]]` or `[[term/care]]`"),
        "{report}"
    );
    assert!(
        report.contains("content/essays/z.md:4:14: error: link to `nowhere`"),
        "{report}"
    );
}

#[test]
fn resolution_builds_sessions_and_backlinks() {
    let clean = CorpusBuilder::new()
        .essay("alliance", "The alliance", "Trust and [[reliance]].")
        .item(
            Kind::Term,
            "trust",
            "term: Trust\nsummary: Counting on someone.\naliases: [Reliance]",
            "",
        )
        .item(
            Kind::Question,
            "why",
            "title: Why trust?\nessays: [alliance]\nsession: 1",
            "",
        )
        .item(Kind::Session, "one", "title: One\nnumber: 1", "")
        .build()
        .value;
    let resolved = resolve(
        clean,
        &config(),
        BuildOptions::default(),
        None,
        &Assets::default(),
    )
    .unwrap_or_else(|d| panic!("{}", d.report()));
    let site = resolved.value.site;
    let strings = crate::i18n::Strings::default();
    let relations = |slug: &str| -> Vec<String> {
        let entry = site
            .entries
            .iter()
            .find(|e| e.item.slug == slug)
            .expect("entry");
        entry
            .relations
            .iter()
            .map(|r| {
                let names: Vec<&str> = r
                    .entries
                    .iter()
                    .map(|&id| site.entry(id).item.slug.as_str())
                    .collect();
                let label = strings.get(&format!("relations.{}", r.label));
                format!("{label}: {}", names.join(", "))
            })
            .collect()
    };
    assert_eq!(
        relations("alliance"),
        ["Discussion questions: why", "Key terms: trust"]
    );
    assert_eq!(relations("trust"), ["Used in essays: alliance"]);
    assert_eq!(relations("why"), ["Essays: alliance", "Discussed in: one"]);
    assert_eq!(relations("one"), ["Questions: why"]);
    assert_eq!(site.sessions.len(), 1);
    assert_eq!(
        site.sessions[0].questions,
        [site
            .entries
            .iter()
            .position(|e| e.item.slug == "why")
            .map(EntryId)
            .expect("why")]
    );
}

#[test]
fn a_rebuild_that_cites_nothing_new_keeps_what_the_citation_engine_made() {
    let bib = "@book{a2021,\n  author = {Allen, Jon G.},\n  title = {Trusting in psychotherapy},\n  year = {2021},\n  publisher = {APA}\n}\n@book{b1986,\n  author = {Baier, Annette},\n  title = {Trust and antitrust},\n  year = {1986},\n  publisher = {Ethics}\n}\n";
    let bibliography =
        crate::content::Bibliography::parse(std::path::Path::new("content/references.bib"), bib)
            .expect("reads");
    let build = |body: &str| {
        let mut corpus = CorpusBuilder::new()
            .essay("a", "A", body)
            .essay("b", "B", "Unchanged [@b1986].")
            .build()
            .value;
        corpus.bibliography = Some(Arc::new(bibliography.clone()));
        corpus
    };
    let changed: HashSet<PathBuf> = [PathBuf::from("content/essays/a.md")].into();
    let resolve_after = |previous: Option<&Resolved>, body: &str| {
        let reuse = previous.map(|p| Reuse {
            cache: &p.cache,
            changed: &changed,
        });
        resolve(
            build(body),
            &config(),
            BuildOptions::default(),
            reuse,
            &Assets::default(),
        )
        .expect("resolves")
        .value
    };
    let first = resolve_after(None, "One [@a2021].");
    let second = resolve_after(Some(&first), "Two [@a2021], again.");
    let made = |r: &Resolved| r.cache.citations.clone().expect("formatted");
    assert!(made(&first).same_work(&made(&second)));
    assert!(first.cache.same_facts(&second.cache));
    assert!(
        second.site.entries[0]
            .body
            .html
            .contains("Two (<a class=\"term-link cite-link\"")
    );
    let third = resolve_after(Some(&second), "Three [@a2021, p. 3].");
    assert!(!made(&second).same_work(&made(&third)));
    assert!(
        third.site.entries[0]
            .body
            .html
            .contains("Allen, 2021, p. 3</a>)")
    );
}

#[test]
fn a_rebuild_with_the_same_facts_keeps_the_bodies_of_unchanged_files() {
    let build = |body: &str| {
        CorpusBuilder::new()
            .essay("a", "A", body)
            .essay("b", "B", "Unchanged.")
            .build()
            .value
    };
    let first = resolve(
        build("One."),
        &config(),
        BuildOptions::default(),
        None,
        &Assets::default(),
    )
    .expect("resolves")
    .value;
    let changed: HashSet<PathBuf> = [PathBuf::from("content/essays/a.md")].into();
    let reuse = Reuse {
        cache: &first.cache,
        changed: &changed,
    };
    let second = resolve(
        build("Two."),
        &config(),
        BuildOptions::default(),
        Some(reuse),
        &Assets::default(),
    )
    .expect("resolves")
    .value;
    assert!(first.cache.same_facts(&second.cache));
    let body = |r: &Resolved, i: usize| Arc::clone(&r.site.entries[i].body);
    assert!(
        Arc::ptr_eq(&body(&first, 1), &body(&second, 1)),
        "b is kept"
    );
    assert!(
        !Arc::ptr_eq(&body(&first, 0), &body(&second, 0)),
        "a is converted again"
    );
    assert!(second.site.entries[0].body.html.contains("Two."));
}

#[test]
fn a_link_may_name_an_element_id_of_another_page() {
    let corpus = CorpusBuilder::new()
        .file(
            "content/reading.md",
            "---\ntitle: Reading\n---\n- <span id=\"allen2021\"></span>Allen (2021).\n",
        )
        .essay(
            "a",
            "A",
            "See [Allen](../reading.md#allen2021) and [[reading#allen2021]].",
        )
        .essay("b", "B", "But not [[reading#nobody]].")
        .build()
        .value;
    let report = resolve(
        corpus,
        &config(),
        BuildOptions::default(),
        None,
        &Assets::default(),
    )
    .err()
    .expect("one link is broken")
    .report();
    assert!(!report.contains("content/essays/a.md"), "{report}");
    assert!(
        report.contains("content/essays/b.md:4:9: error: `reading` has no heading `#nobody`"),
        "{report}"
    );
}

#[test]
fn questions_without_an_order_run_by_kind_then_title() {
    let question = |b: CorpusBuilder, slug: &str, title: &str, kind: &str| {
        b.item(
            Kind::Question,
            slug,
            &format!("title: {title}\nsession: 1{kind}"),
            "",
        )
    };
    let mut b = CorpusBuilder::new().item(Kind::Session, "one", "title: One\nnumber: 1", "");
    b = question(b, "a", "A critique?", "\nkind: critique");
    b = question(b, "b", "B with no kind?", "");
    b = question(b, "c", "C opening?", "\nkind: opening");
    b = question(b, "d", "D other?", "\nkind: warm-up");
    b = question(b, "e", "E close?", "\nkind: close reading");
    let site = resolve(
        b.build().value,
        &config(),
        BuildOptions::default(),
        None,
        &Assets::default(),
    )
    .expect("resolves")
    .value
    .site;
    let order: Vec<&str> = site.sessions[0]
        .questions
        .iter()
        .map(|&q| site.entry(q).item.slug.as_str())
        .collect();
    assert_eq!(order, ["c", "e", "a", "d", "b"]);
}
