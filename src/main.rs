//! The `lectern` binary: parses the command line, runs the library, prints diagnostics and picks
//! the exit status (0 success, 1 content or template errors, 2 usage errors).

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, NewKind, SiteArgs};
use lectern::content::Kind;
use lectern::{BuildOptions, Config, Diagnostic, Diagnostics};

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
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => {
            report(&diags);
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<(), Diagnostics> {
    match cli.command {
        Command::Build(args) => {
            let config = load_config(&args.site, args.base_url.as_deref())?;
            let out = match args.output {
                Some(dir) => dir,
                None => config.root.join(&config.output_dir),
            };
            let report = lectern::build(&config, options(&args.site), &out)?;
            print_warnings(&report.warnings);
            eprintln!(
                "built {} pages ({} files) into {} in {} ms",
                report.pages,
                report.files,
                out.display(),
                report.elapsed.as_millis()
            );
            Ok(())
        }
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
        Command::Check { site } => {
            let config = load_config(&site, None)?;
            let (ok, diags, built) = lectern::check(&config, options(&site));
            if !ok {
                return Err(diags);
            }
            print_warnings(&diags);
            if let Some(site) = built {
                let st = site.stats();
                eprintln!(
                    "ok: {} essays, {} terms, {} questions, {} sessions, {} pages; {} links, {} auto-links, {} backlinks; no errors",
                    site.count(Kind::Essay),
                    site.count(Kind::Term),
                    site.count(Kind::Question),
                    site.count(Kind::Session),
                    site.count(Kind::Page),
                    st.links,
                    st.auto_links,
                    st.backlinks
                );
            }
            Ok(())
        }
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
    }
}

fn options(site: &SiteArgs) -> BuildOptions {
    BuildOptions {
        drafts: site.drafts,
        facilitator: site.facilitator,
    }
}

fn load_config(site: &SiteArgs, base_url: Option<&str>) -> Result<Config, Diagnostics> {
    let config = Config::load(&site.root)?;
    match base_url {
        Some(url) => config.with_base_url(url).map_err(|m| {
            Diagnostics::from(
                Diagnostic::error("--base-url", 1, 1, m)
                    .with_hint("pass a full URL such as https://user.github.io/course/"),
            )
        }),
        None => Ok(config),
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
