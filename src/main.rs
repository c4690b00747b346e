//! The `lectern` binary: parses the command line, runs the library, prints diagnostics and picks
//! the exit status (0 success, 1 content or template errors, 2 usage errors).

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{BuildArgs, Cli, Command, NewKind, SiteArgs, ThemeAction};
use lectern::content::Kind;
use lectern::{BuildOptions, Config, Diagnostic, Diagnostics, Warned};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // Only a build would have written anything: its errors say that it did not.
    let builds = matches!(cli.command, Command::Build(_));
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => {
            let text = if builds {
                diags.report_for_build()
            } else {
                diags.report()
            };
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<(), Diagnostics> {
    match cli.command {
        Command::Build(args) => build(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => lectern::serve::run(lectern::serve::ServeOptions {
            root: args.site.root.clone(),
            bind: args.bind,
            port: args.port,
            open: args.open,
            build: options(&args.site),
            poll: args.poll,
            output: args.output,
        }),
        Command::Check { site } => check(&site),
        Command::New { kind, title, root } => {
            let kind = match kind {
                NewKind::Essay => Kind::Essay,
                NewKind::Term => Kind::Term,
                NewKind::Question => Kind::Question,
                NewKind::Session => Kind::Session,
            };
            let path = lectern::scaffold::new_item(&root, kind, &title)?;
            println!("created {}", path.display());
            Ok(())
        }
        Command::Init { dir } => {
            let files = lectern::scaffold::init(&dir)?;
            println!(
                "created a new site in {} ({} files)",
                dir.display(),
                files.len()
            );
            println!("next: cd {} && lectern build", dir.display());
            Ok(())
        }
        Command::Theme { action } => theme(action),
    }
}

/// `lectern theme eject` and `lectern theme diff`, for the theme site.toml names.
fn theme(action: ThemeAction) -> Result<(), Diagnostics> {
    use lectern::scaffold::ThemeChange;
    match action {
        ThemeAction::Eject { files, root } => {
            let config = Config::load(&root)?.value;
            let written = lectern::scaffold::eject(&root, &config.theme, &files)?;
            for path in &written {
                println!("created {}", path.display());
            }
            if written.is_empty() {
                println!("nothing to copy: the site already has those files");
            }
            Ok(())
        }
        ThemeAction::Diff { root } => {
            let config = Config::load(&root)?.value;
            let changes = lectern::scaffold::theme_diff(&root, &config.theme)?;
            if changes.is_empty() {
                println!(
                    "themes/{}/ overrides nothing: the built-in theme applies",
                    config.theme
                );
            }
            for change in changes {
                match change {
                    ThemeChange::Changed(p) => println!("changed  {}", p.display()),
                    ThemeChange::Same(p) => {
                        println!("same     {} (as built in; it can be deleted)", p.display())
                    }
                    ThemeChange::Added(p) => println!("added    {}", p.display()),
                }
            }
            Ok(())
        }
    }
}

/// `lectern build`: the site into its output folder, or the facilitator's edition.
fn build(args: BuildArgs) -> Result<(), Diagnostics> {
    let config = load_config(&args.site, args.base_url.as_deref())?;
    if let Some(file) = &args.facilitator_edition {
        let written = lectern::build::facilitator_edition(&config, options(&args.site), file)?;
        print_warnings(&written.diagnostics);
        eprintln!(
            "wrote the facilitator's edition to {} ({} KB)",
            file.display(),
            written.value / 1024
        );
        return Ok(());
    }
    let out = match args.output {
        Some(dir) => dir,
        None => config.value.root.join(&config.value.output_dir),
    };
    let options = BuildOptions {
        clean: args.clean,
        ..options(&args.site)
    };
    let Warned {
        value: report,
        diagnostics: warnings,
    } = lectern::build(&config, options, &out)?;
    print_warnings(&warnings);
    eprintln!(
        "built {} pages ({} files) into {} in {} ms",
        report.pages,
        report.files,
        out.display(),
        report.elapsed.as_millis()
    );
    Ok(())
}

/// `lectern check`: everything a build would find, and what the site holds.
fn check(site: &SiteArgs) -> Result<(), Diagnostics> {
    let config = load_config(site, None)?;
    let checked = lectern::check(&config, options(site))?;
    print_warnings(&checked.diagnostics);
    let site = checked.value;
    let st = site.stats();
    eprintln!(
        "ok: {} essays, {} terms, {} questions, {} sessions, {} pages; {} links, {} auto-links, {} citations, {} backlinks; no errors",
        site.count(Kind::Essay),
        site.count(Kind::Term),
        site.count(Kind::Question),
        site.count(Kind::Session),
        site.count(Kind::Page),
        st.links,
        st.auto_links,
        st.citations,
        st.backlinks
    );
    Ok(())
}

fn options(site: &SiteArgs) -> BuildOptions {
    BuildOptions {
        drafts: site.drafts,
        facilitator: site.facilitator,
        strict: site.strict,
        clean: false,
    }
}

fn load_config(site: &SiteArgs, base_url: Option<&str>) -> Result<Warned<Config>, Diagnostics> {
    let config = Config::load(&site.root)?;
    let Some(url) = base_url else {
        return Ok(config);
    };
    let Warned { value, diagnostics } = config;
    match value.with_base_url(url) {
        Ok(value) => Ok(Warned { value, diagnostics }),
        Err(m) => Err(Diagnostics::from(
            Diagnostic::general(format!("--base-url: {m}"))
                .with_hint("pass a full URL such as https://user.github.io/course/"),
        )),
    }
}

fn print_warnings(diags: &Diagnostics) {
    if !diags.is_empty() {
        report(diags);
    }
}

/// Prints diagnostics to stderr, sorted by file and position, with a count at the end.
fn report(diags: &Diagnostics) {
    let _ = std::io::stderr()
        .lock()
        .write_all(diags.report().as_bytes());
}
