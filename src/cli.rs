//! The command line, as clap types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `-V`: the version and the commit it was built from.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("LECTERN_COMMIT"), ")");

/// `--version`: the same, and where lectern lives.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("LECTERN_COMMIT"),
    ")\n",
    env!("CARGO_PKG_REPOSITORY")
);

#[derive(Debug, Parser)]
#[command(
    name = "lectern",
    version = VERSION,
    long_version = LONG_VERSION,
    about = "Build cross-linked, searchable reading guides for study groups"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder
    Build(BuildArgs),
    /// Build, serve on loopback, rebuild on every save and reload open tabs
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Validate everything a build would, writing nothing
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Create a new essay, term, question or session
    New {
        kind: NewKind,
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site with a starter course and a GitHub Pages workflow
    Init { dir: PathBuf },
    /// Change the theme: copy built-in files to edit them, or see which ones you changed
    Theme {
        #[command(subcommand)]
        action: ThemeAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum ThemeAction {
    /// Copy built-in theme files (e.g. templates/essay.html, static/style.css, or all of them)
    /// into themes/<theme>/, where your copies override the built-in ones
    Eject {
        files: Vec<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// List the site's theme files that differ from the built-in ones of this version
    Diff {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site's folder (holding site.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include drafts
    #[arg(long)]
    pub drafts: bool,
    /// Include facilitator notes
    #[arg(long)]
    pub facilitator: bool,
    /// Treat warnings as errors: nothing is written while any remains
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder, relative to the current folder (default: output_dir from site.toml)
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override base_url from site.toml
    #[arg(long, value_parser = base_url)]
    pub base_url: Option<String>,
    /// Replace the output folder even if it holds files lectern did not write
    #[arg(long)]
    pub clean: bool,
    /// Instead of the site, write the facilitator's edition: every session with its readings,
    /// questions and notes, as one self-contained HTML file
    #[arg(long, value_name = "FILE")]
    pub facilitator_edition: Option<PathBuf>,
}

/// A `--base-url` that cannot be one is a usage error, caught with the other arguments.
fn base_url(url: &str) -> Result<String, String> {
    lectern::config::base_path(url).map(|_| url.to_string())
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on (0 takes any free port)
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of using file-system notifications
    #[arg(long)]
    pub poll: bool,
    /// Also write each good build to this folder
    #[arg(long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NewKind {
    Essay,
    Term,
    Question,
    Session,
}
