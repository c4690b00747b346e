//! site.toml parsing: defaults, every problem at once, positions of keys and values.
use super::*;

#[test]
fn base_path_comes_from_base_url() {
    let c = Config::parse("title = \"T\"\nbase_url = \"https://u.github.io/course\"\n")
        .unwrap()
        .value;
    assert_eq!(c.base_url, "https://u.github.io/course/");
    assert_eq!(c.base_path, "/course/");
    assert_eq!(
        c.permalink("/course/essays/a/"),
        "https://u.github.io/course/essays/a/"
    );
    let c = Config::parse("title = \"T\"\nbase_url = \"https://guide.example.org\"\n")
        .unwrap()
        .value;
    assert_eq!(c.base_path, "/");
}

#[test]
fn unknown_key_points_at_it_with_a_suggestion() {
    let c = Config::parse("title = \"T\"\nbase_ur = \"/\"\n").unwrap();
    let d = c.diagnostics.iter().next().unwrap();
    assert_eq!(d.at(), (2, 1));
    assert!(
        d.hint
            .as_deref()
            .is_some_and(|h| h.starts_with("did you mean `base_url`? site.toml accepts: title,"))
    );
}

#[test]
fn every_problem_is_found_and_the_rest_still_read() {
    let c = Config::parse(
        "titel = \"T\"\nzzz = [\n  1,\n]\nlanguage = \"fr\"\nautolink = \"sometimes\"\n",
    )
    .unwrap();
    let mut at: Vec<(usize, usize)> = c.diagnostics.iter().map(Diagnostic::at).collect();
    at.sort();
    assert_eq!(at, [(1, 1), (2, 1), (6, 12)], "{:?}", c.diagnostics);
    assert_eq!(c.value.language, "fr");
    // Broken TOML cannot be read past.
    let d = Config::parse("title = \"T\nzzz = 1\n").unwrap_err();
    assert_eq!(d.error_count(), 1);
    // A site.toml without a title says so.
    let c = Config::parse("language = \"en\"\n").unwrap();
    let d = c.diagnostics.iter().next().unwrap();
    assert_eq!(d.message, "site.toml needs a `title`");
}

#[test]
fn a_theme_is_a_folder_name_not_a_path() {
    for bad in ["../../etc", "/etc", "a/b", "..", "", "..\\x"] {
        let text = format!("title = \"T\"\ntheme = \"{}\"\n", bad.replace('\\', "\\\\"));
        let c = Config::parse(&text).unwrap();
        let d = c.diagnostics.iter().next().unwrap();
        assert_eq!(d.at(), (2, 1), "{bad}");
        assert!(d.message.contains("is not a folder name"), "{bad}");
    }
    assert!(
        Config::parse("title = \"T\"\ntheme = \"my-theme\"\n")
            .unwrap()
            .diagnostics
            .is_empty()
    );
}

#[test]
fn a_key_nested_too_deeply_is_pointed_at() {
    let text = format!(
        "title = \"T\"\nlanguage = \"en\"\n{} = 1\n",
        vec!["a"; 300].join(".")
    );
    let d = Config::parse(&text).expect_err("refused");
    let d = d.iter().next().expect("one problem");
    assert_eq!(d.at(), (3, 1), "{d}");
    assert!(d.message.contains("nested too deeply"), "{d}");
}

#[test]
fn autolink_accepts_false() {
    let c = Config::parse("title = \"T\"\nautolink = false\n").unwrap();
    assert_eq!(c.value.autolink, Autolink::Off);
    assert!(
        !Config::parse("title = \"T\"\nautolink = \"some\"\n")
            .unwrap()
            .diagnostics
            .is_empty()
    );
}
