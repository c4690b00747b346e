//! Building fixture sites: the files written, the URLs, the HTML a reader gets.

mod common;

use common::{TempSite, attr_values, main_of, snapshot_dir};
use lectern::BuildOptions;

#[test]
fn writes_pretty_urls_for_every_kind_and_listing() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    for page in [
        "index.html",
        "about/index.html",
        "essays/index.html",
        "essays/alpha/index.html",
        "essays/beta/index.html",
        "glossary/index.html",
        "glossary/trust/index.html",
        "glossary/epistemic-trust/index.html",
        "questions/index.html",
        "questions/opening/index.html",
        "sessions/index.html",
        "sessions/1/index.html",
        "sessions/2/index.html",
        "search/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "CNAME",
        "style.css",
        "img/logo.svg",
    ] {
        assert!(site.out().join(page).is_file(), "missing {page}");
    }
    assert_eq!(site.read("CNAME"), "guide.example.org\n");
}

#[test]
fn every_internal_link_and_asset_resolves_under_the_base_path() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let files = snapshot_dir(&site.out());
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for url in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if url.starts_with("http") || url.starts_with("mailto:") || url.starts_with('#') {
                continue;
            }
            assert!(
                url.starts_with("/course/"),
                "{path}: `{url}` is not under the base path"
            );
            let tail = url.trim_start_matches("/course/");
            let tail = tail.split(['#', '?']).next().unwrap_or_default();
            let target = if tail.is_empty() || tail.ends_with('/') {
                format!("{tail}index.html")
            } else {
                tail.to_string()
            };
            assert!(
                files.contains_key(&target),
                "{path}: `{url}` points at nothing ({target})"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn builds_are_byte_for_byte_deterministic() {
    let a = TempSite::from_fixture("sites/basic");
    let b = TempSite::from_fixture("sites/basic");
    a.build();
    b.build();
    let (x, y) = (snapshot_dir(&a.out()), snapshot_dir(&b.out()));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (path, bytes) in &x {
        assert!(bytes == &y[path], "{path} differs between two builds");
    }
    // And a rebuild in place gives the same bytes again.
    a.build();
    assert_eq!(snapshot_dir(&a.out()), x);
}

#[test]
fn sitemap_lists_pages_with_lastmod_only_from_dates() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://example.org/course/essays/alpha/</loc>\n    <lastmod>2026-01-14</lastmod>"
    ));
    assert!(sitemap.contains("<loc>https://example.org/course/glossary/trust/</loc>\n  </url>"));
    assert!(!sitemap.contains("404"));
    assert!(!sitemap.contains("/search/"));
    assert!(!sitemap.contains("gamma"), "drafts are not in the sitemap");
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/course/sitemap.xml")
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TempSite::from_fixture("sites/basic");
    let report = site.build();
    assert!(!site.out().join("essays/gamma-draft/index.html").exists());
    assert!(!site.read("essays/index.html").contains("Gamma draft"));
    // The link to the draft is plain text, with a warning.
    let term = site.read("glossary/reliance/index.html");
    assert!(
        term.contains("Compare with Gamma draft."),
        "{}",
        main_of(&term)
    );
    let warnings: String = report.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .contains("content/glossary/reliance.md:6:14: warning: link to draft `gamma-draft`"),
        "{warnings}"
    );

    site.build_with(BuildOptions {
        drafts: true,
        facilitator: false,
        ..BuildOptions::default()
    });
    assert!(site.out().join("essays/gamma-draft/index.html").is_file());
    assert!(
        site.read("glossary/reliance/index.html")
            .contains("href=\"/course/essays/gamma-draft/\"")
    );
}

#[test]
fn listings_follow_session_then_order_then_title() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let essays = site.read("essays/index.html");
    let alpha = essays.find("Alpha essay").expect("alpha listed");
    let beta = essays.find("beta essay").expect("beta listed");
    assert!(alpha < beta);
    let glossary = site.read("glossary/index.html");
    let order: Vec<usize> = ["Epistemic trust", "Reliance", "Trust"]
        .iter()
        .map(|t| glossary.find(&format!(">{t}</a>")).expect("term"))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "glossary is A–Z");
    assert!(glossary.contains("id=\"letter-e\""));
}

#[test]
fn an_accented_term_is_filed_under_its_plain_letter() {
    let site = TempSite::from_fixture("sites/basic");
    site.write(
        "content/glossary/epee.md",
        "---\nterm: Épée\nsummary: A sword.\n---\n",
    );
    site.write(
        "content/glossary/zeal.md",
        "---\nterm: Zeal\nsummary: Eagerness.\n---\n",
    );
    site.build();
    let glossary = main_of(&site.read("glossary/index.html"));
    let at = |t: &str| {
        glossary
            .find(t)
            .unwrap_or_else(|| panic!("{t} in {glossary}"))
    };
    assert!(at(">Épée</a>") < at(">Epistemic trust</a>"), "{glossary}");
    assert!(at(">Epistemic trust</a>") < at(">Zeal</a>"), "{glossary}");
    assert_eq!(
        glossary.matches("id=\"letter-").count(),
        4,
        "E, R, T, Z: {glossary}"
    );
    assert!(!glossary.contains("letter-é"), "{glossary}");
}

#[test]
fn markdown_extensions_render() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let html = site.read("essays/alpha/index.html");
    assert!(html.contains("<table>"));
    assert!(html.contains("<del>Struck</del>"));
    assert!(html.contains("type=\"checkbox\" checked"));
    assert!(html.contains("“smart quotes” – with dashes…"));
    assert!(html.contains("<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\""));
    assert!(html.contains("<li id=\"fn-1\">\n<p>The footnote text. <a href=\"#fnref-1\""));
}

#[test]
fn heading_ids_are_unique_unicode_aware_and_overridable() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let html = site.read("essays/alpha/index.html");
    assert!(html.contains("<h2 id=\"markdown-features\">"));
    assert!(html.contains("<h2 id=\"markdown-features-1\">"));
    assert!(html.contains("<h2 id=\"custom-id\">"));
    let ids = lectern::text::heading_id("Épistémic Ünïcode & more!");
    assert_eq!(ids, "épistémic-ünïcode-more");
}

#[test]
fn essays_get_a_table_of_contents_and_reading_time() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let html = site.read("essays/alpha/index.html");
    assert!(html.contains("<nav class=\"toc\""));
    assert!(html.contains("<a href=\"#markdown-features-1\">Markdown features</a>"));
    assert!(html.contains("1 min read"));
    assert!(html.contains("<time datetime=\"2026-01-14\">14 January 2026</time>"));
}

#[test]
fn wikilinks_and_markdown_links_point_at_their_pages() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let html = site.read("essays/alpha/index.html");
    assert!(html.contains(
        "<a href=\"/course/essays/beta/#second-part\" class=\"xref xref-essay\">beta essay</a>"
    ));
    assert!(html.contains("class=\"term-link\" data-term=\"trust\""));
    assert!(html.contains(">the trust entry</a>"));
    assert!(
        html.contains(">trusting relationship</a>"),
        "an alias link reads as written"
    );
    assert!(html.contains("<code>[[not-a-link]]</code>"));
    assert!(html.contains("<pre><code>[[also-not-a-link]] trust\n"));
    let about = site.read("about/index.html");
    assert!(about.contains("<a href=\"/course/essays/alpha/\">the first essay</a>"));
    assert!(about.contains("<a href=\"/course/glossary/trust/#origins\">glossary entry</a>"));
    assert!(about.contains("src=\"/course/img/logo.svg\""));
    let home = site.read("index.html");
    assert!(
        home.contains("<a href=\"/course/sessions/1/\" class=\"xref xref-session\">Beginnings</a>")
    );
}

#[test]
fn sessions_gather_their_items_and_the_home_page_shows_the_syllabus() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let one = site.read("sessions/1/index.html");
    assert!(one.contains("Alpha essay"));
    assert!(one.contains("What does trust mean to you?"));
    assert!(!one.contains("Is reliance enough?"));
    let home = site.read("index.html");
    assert!(home.contains("Sessions at a glance"));
    assert!(home.contains("<a href=\"/course/sessions/2/\">Reliance</a>"));
}

#[test]
fn crlf_and_bom_files_build_like_any_other() {
    let site = TempSite::from_fixture("sites/basic");
    site.write("content/glossary/crlf.md", "\u{feff}---\r\nterm: Windows term\r\nsummary: Saved on Windows.\r\n---\r\n\r\nBody **bold**.\r\n");
    site.build();
    let html = site.read("glossary/crlf/index.html");
    assert!(html.contains("<dfn>Windows term</dfn>"));
    assert!(html.contains("<strong>bold</strong>"));
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let site = TempSite::from_fixture("sites/basic");
    let out = site.run(&[
        "build",
        "--base-url",
        "https://user.github.io/other",
        "--output",
        "elsewhere",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let html = std::fs::read_to_string(site.root().join("elsewhere/essays/alpha/index.html"))
        .expect("built");
    assert!(html.contains("href=\"/other/style.css\""));
    assert!(
        html.contains(
            "<link rel=\"canonical\" href=\"https://user.github.io/other/essays/alpha/\">"
        )
    );
}

#[test]
fn a_site_theme_overlays_the_built_in_one_file_by_file() {
    let site = TempSite::from_fixture("sites/basic");
    site.write(
        "themes/default/templates/partials/footer.html",
        "<footer>CUSTOM FOOTER {{ config.title }}</footer>",
    );
    site.write("themes/default/static/style.css", "body { color: red }");
    site.write("static/style.css", "body { color: blue }");
    site.build();
    let html = site.read("essays/alpha/index.html");
    assert!(html.contains("<footer>CUSTOM FOOTER Fixture Course</footer>"));
    assert!(
        html.contains("<nav class=\"toc\""),
        "templates not overridden come from the built-in theme"
    );
    assert_eq!(
        site.read("style.css"),
        "body { color: blue }",
        "the site's static/ wins over the theme"
    );
    assert!(site.out().join("js/theme.js").is_file());
}

#[test]
fn templates_receive_config_site_and_page() {
    let site = TempSite::from_fixture("sites/basic");
    site.write(
        "themes/default/templates/page.html",
        "{{ config.title }}|{{ config.base_url }}|{{ page.title }}|{{ site.essays | length }}|{{ site.terms | length }}",
    );
    site.build();
    assert_eq!(
        site.read("about/index.html"),
        "Fixture Course|https://example.org/course/|About this course|2|3"
    );
}

#[test]
fn facilitator_notes_appear_only_in_facilitator_builds() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    for (path, bytes) in snapshot_dir(&site.out()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET-FACILITATOR-MARKER"),
            "{path} leaks notes"
        );
    }
    site.build_with(BuildOptions {
        drafts: false,
        facilitator: true,
        ..BuildOptions::default()
    });
    let html = site.read("questions/opening/index.html");
    assert!(html.contains("<section class=\"facilitator-notes\""));
    assert!(html.contains("SECRET-FACILITATOR-MARKER"));
}

#[test]
fn term_pages_do_not_link_to_themselves_and_show_what_uses_them() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let html = site.read("glossary/trust/index.html");
    let main = main_of(&html);
    assert!(!main.contains("class=\"term-link auto\" data-term=\"trust\""));
    assert!(main.contains("Used in essays"));
    assert!(main.contains("Related terms"));
}

#[test]
fn main_of_an_essay() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    insta::assert_snapshot!(main_of(&site.read("essays/alpha/index.html")));
}

#[test]
fn main_of_a_session() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    insta::assert_snapshot!(main_of(&site.read("sessions/1/index.html")));
}

#[test]
fn a_markdown_link_to_a_draft_is_plain_text_too() {
    let site = TempSite::from_fixture("sites/basic");
    site.write(
        "content/questions/third.md",
        "---\ntitle: Third?\n---\n\nSee [the draft](../essays/gamma-draft.md) first.\n",
    );
    let report = site.build();
    let html = main_of(&site.read("questions/third/index.html"));
    assert!(html.contains("See the draft first."), "{html}");
    assert!(!html.contains("gamma-draft"), "{html}");
    let warnings: String = report.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        warnings.contains(
            "content/questions/third.md:5:5: warning: link to draft `gamma-draft` is shown as plain text"
        ),
        "{warnings}"
    );

    site.build_with(BuildOptions {
        drafts: true,
        facilitator: false,
        ..BuildOptions::default()
    });
    assert!(
        site.read("questions/third/index.html")
            .contains("<a href=\"/course/essays/gamma-draft/\">the draft</a>")
    );
}

#[test]
fn front_matter_naming_a_draft_is_warned_about_at_the_name() {
    let site = TempSite::from_fixture("sites/basic");
    site.write(
        "content/questions/third.md",
        "---\ntitle: Third?\nessays: [alpha, gamma-draft]\n---\n\nBody.\n",
    );
    let report = site.build();
    let warnings: String = report.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        warnings.contains(
            "content/questions/third.md:3:17: warning: `gamma-draft` is a draft and is left out of this build"
        ),
        "{warnings}"
    );
    assert!(
        warnings.contains("3 | essays: [alpha, gamma-draft]"),
        "{warnings}"
    );
    let html = main_of(&site.read("questions/third/index.html"));
    assert!(html.contains("/course/essays/alpha/"), "{html}");
    assert!(!html.contains("gamma"), "{html}");
}

#[test]
fn a_robots_txt_of_the_sites_own_is_kept() {
    let site = TempSite::from_fixture("sites/basic");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build();
    assert_eq!(site.read("robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn plain_text_fields_are_shown_literally_and_escaped() {
    let site = TempSite::from_fixture("sites/basic");
    site.write(
        "content/essays/literal.md",
        "---\ntitle: \"Why <em> matters & *stars* stay\"\nsummary: \"<script>alert(1)</script> -- plain\"\n---\n\nA NUL\u{0} here.\n",
    );
    site.build();
    let html = site.read("essays/literal/index.html");
    assert!(
        html.contains("Why &lt;em&gt; matters &amp; *stars* stay"),
        "{}",
        main_of(&html)
    );
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; – plain"),
        "{html}"
    );
    assert!(html.contains("A NUL\u{fffd} here."), "{}", main_of(&html));
}
